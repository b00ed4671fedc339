// Command zhseg measures Chinese segmentation for search on the CCTV
// Xinwen Lianbo corpus (24,102 articles): newsearch's overlapping character
// bigrams against dictionary words from the pure-Go segmenter
// github.com/go-ego/gse, and what gse costs.
//
// It is its own module so that gse never becomes a dependency of newsearch:
// `go test ./...` at the repository root does not see it.
//
// Usage (from this directory; needs ../../../shared/corpus):
//
//	CGO_ENABLED=0 go run . > ../out/zhseg.md        # everything, ~5 minutes on 2 cores
//	CGO_ENABLED=0 go run . -only cost               # binary size, start-up, memory
//	CGO_ENABLED=0 go run . -only quality -limit 3000
//
// Quality: both segmentations are indexed side by side in one bleve index
// (fields *_bg with newsearch's registered analyzer, fields *_w with gse
// words) and every query is run the way newsearch runs a Han query: the
// query is analysed with the field's analyzer and becomes a phrase of its
// terms, on title or body (search.go termQuery). The ground truth of a
// query is the set of articles whose title or body contains the query
// string. See README.md for the results.
package main

import (
	"bufio"
	"cmp"
	"compress/gzip"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/registry"
	"github.com/blevesearch/bleve/v2/search/query"
	bleveindex "github.com/blevesearch/bleve_index_api"
	"github.com/go-ego/gse"

	_ "newsearch/index" // registers the "newsearch" analyzer in bleve's registry
)

func main() {
	if err := run(os.Args, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "zhseg:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet(args[0], flag.ContinueOnError)
	corpus := fs.String("corpus", "../../../shared/corpus/cctv_xwlb/docs.jsonl.gz", "CCTV corpus (JSON Lines, gzipped)")
	limit := fs.Int("limit", 0, "index only the first n articles (0: all)")
	only := fs.String("only", "", `run one part: "cost" or "quality" (default both)`)
	runs := fs.Int("runs", 5, "start-up runs per program (the median is reported)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	logf := func(format string, a ...any) { fmt.Fprintf(stderr, format+"\n", a...) }
	fmt.Fprintf(stdout, "# zhseg: bigrams vs gse on cctv_xwlb\n\n%s, %s/%s, %d CPUs\n", runtime.Version(), runtime.GOOS, runtime.GOARCH, runtime.NumCPU())
	if *only == "" || *only == "cost" {
		if err := cost(stdout, logf, *runs); err != nil {
			return err
		}
	}
	if *only == "" || *only == "quality" {
		if err := quality(stdout, logf, *corpus, *limit); err != nil {
			return err
		}
	}
	return nil
}

// article is one corpus record; text is title + "\n" + body, the string
// the ground truth searches.
type article struct {
	ID, Title, Body string
	text            string
	bounds          []int32 // byte offsets in text where a gse word starts or ends, sorted
}

func readCorpus(path string, limit int) ([]*article, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	var docs []*article
	sc := bufio.NewScanner(zr)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() && (limit == 0 || len(docs) < limit) {
		a := &article{}
		if err := json.Unmarshal(sc.Bytes(), a); err != nil {
			return nil, fmt.Errorf("%s: record %d: %w", path, len(docs)+1, err)
		}
		a.text = a.Title + "\n" + a.Body
		docs = append(docs, a)
	}
	return docs, sc.Err()
}

func quality(w io.Writer, logf func(string, ...any), path string, limit int) error {
	docs, err := readCorpus(path, limit)
	if err != nil {
		return err
	}
	var textBytes int
	for _, a := range docs {
		textBytes += len(a.Title) + len(a.Body)
	}
	logf("read %d articles, %.1f MB of text", len(docs), mb(textBytes))

	start := time.Now()
	seg, err := gse.NewEmbed("zh")
	if err != nil {
		return err
	}
	logf("gse dictionary loaded in %s", time.Since(start).Round(time.Millisecond))
	ga := gseAnalyzer{&seg}
	if err := registry.RegisterAnalyzer(gseAnalyzerName, func(map[string]any, *registry.Cache) (analysis.Analyzer, error) {
		return ga, nil
	}); err != nil {
		return err
	}
	im, err := newMapping()
	if err != nil {
		return err
	}
	bg := im.AnalyzerNamed("newsearch")

	// Segmentation throughput, one goroutine, title and body as indexed;
	// the gse pass also records word boundaries and document frequencies.
	var bgTime, gseTime, cutTime time.Duration
	var bgTokens, gseTokens int
	df := map[string]int{}
	for _, a := range docs {
		t0 := time.Now()
		bgTokens += len(bg.Analyze([]byte(a.Title))) + len(bg.Analyze([]byte(a.Body)))
		bgTime += time.Since(t0)

		t0 = time.Now()
		tt, bt := ga.Analyze([]byte(a.Title)), ga.Analyze([]byte(a.Body))
		gseTime += time.Since(t0)
		gseTokens += len(tt) + len(bt)

		t0 = time.Now()
		seg.Cut(a.text, true)
		cutTime += time.Since(t0)

		seen := map[string]bool{}
		for _, ts := range []struct {
			toks analysis.TokenStream
			base int
		}{{tt, 0}, {bt, len(a.Title) + 1}} {
			for _, t := range ts.toks {
				a.bounds = append(a.bounds, int32(ts.base+t.Start), int32(ts.base+t.End))
				if n := utf8.RuneCount(t.Term); n >= 2 && n <= 4 && !seen[string(t.Term)] {
					seen[string(t.Term)] = true
					df[string(t.Term)]++
				}
			}
		}
		slices.Sort(a.bounds)
		a.bounds = slices.Compact(a.bounds)
	}
	fmt.Fprintf(w, "\n## Segmentation throughput (one goroutine, %.1f MB of title+body)\n\n", mb(textBytes))
	fmt.Fprintf(w, "| segmenter | MB/s | tokens |\n|---|---:|---:|\n")
	fmt.Fprintf(w, "| newsearch analyzer (bigrams + Latin/Cyrillic rules) | %.1f | %d |\n", mb(textBytes)/bgTime.Seconds(), bgTokens)
	fmt.Fprintf(w, "| gse words (Han runs, Cut with HMM) | %.1f | %d |\n", mb(textBytes)/gseTime.Seconds(), gseTokens)
	fmt.Fprintf(w, "| gse.Cut(text, true) on the raw text | %.1f | – |\n", mb(textBytes)/cutTime.Seconds())

	qs := deriveQueries(docs, df, &seg)
	logf("%d queries", len(qs))

	dir, err := os.MkdirTemp("", "zhseg-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	start = time.Now()
	bi, err := bleve.New(dir+"/idx", im)
	if err != nil {
		return err
	}
	defer bi.Close()
	for i := 0; i < len(docs); i += 500 {
		b := bi.NewBatch()
		for _, a := range docs[i:min(i+500, len(docs))] {
			if err := b.Index(a.ID, map[string]any{"title_bg": a.Title, "body_bg": a.Body, "title_w": a.Title, "body_w": a.Body}); err != nil {
				return err
			}
		}
		if err := bi.Batch(b); err != nil {
			return err
		}
	}
	logf("indexed both segmentations in %s", time.Since(start).Round(time.Millisecond))

	return evaluate(w, bi, im, docs, qs)
}

const gseAnalyzerName = "zh_gse"

// newMapping indexes title and body twice, once per segmentation, unstored
// (only hit sets and scores are needed) but with term vectors, whose
// positions phrase queries need; BM25 as newsearch does.
func newMapping() (*mapping.IndexMappingImpl, error) {
	im := bleve.NewIndexMapping()
	im.ScoringModel = bleveindex.BM25Scoring
	dm := bleve.NewDocumentStaticMapping()
	for field, an := range map[string]string{"title_bg": "newsearch", "body_bg": "newsearch", "title_w": gseAnalyzerName, "body_w": gseAnalyzerName} {
		fm := bleve.NewTextFieldMapping()
		fm.Analyzer = an
		fm.Store = false
		fm.IncludeTermVectors = true // positions, which phrase queries need
		fm.IncludeInAll = false
		dm.AddFieldMappingsAt(field, fm)
	}
	im.DefaultMapping = dm
	return im, im.Validate()
}

// zq is one query and where it came from.
type zq struct{ text, kind string }

// deriveQueries picks the queries deterministically from the corpus:
//   - the four names the issue asks about;
//   - the 20 gse words of 2–4 Han characters in most articles;
//   - 16 mid-frequency gse words: document-frequency ranks 200, 400, …, 3200;
//   - the 15 commonest title noun phrases: two or more adjacent gse tokens
//     tagged as nouns (n, nr, ns, nt, nz…), 4–8 characters together;
//   - two cross-word strings (近平 inside 接近平衡, 京剧 inside 北京剧院),
//     where a substring is not a word.
func deriveQueries(docs []*article, df map[string]int, seg *gse.Segmenter) []zq {
	var qs []zq
	have := map[string]bool{}
	add := func(s, kind string) bool {
		if have[s] {
			return false
		}
		have[s] = true
		qs = append(qs, zq{s, kind})
		return true
	}
	for _, s := range []string{"习近平", "普京", "中俄关系", "一带一路"} {
		add(s, "name")
	}
	words := make([]string, 0, len(df))
	for s := range df {
		if allHan(s) {
			words = append(words, s)
		}
	}
	slices.SortFunc(words, func(a, b string) int { return cmp.Or(cmp.Compare(df[b], df[a]), cmp.Compare(a, b)) })
	for i, n := 0, 0; i < len(words) && n < 20; i++ {
		if add(words[i], "frequent word") {
			n++
		}
	}
	for r := 200; r <= 3200 && r < len(words); r += 200 {
		add(words[r], fmt.Sprintf("word, df rank %d", r))
	}

	phrases := map[string]int{}
	for _, a := range docs {
		seen := map[string]bool{}
		var run []string
		flush := func() {
			if len(run) >= 2 {
				p := strings.Join(run, "")
				if n := utf8.RuneCountInString(p); n >= 4 && n <= 8 && allHan(p) && !seen[p] {
					seen[p] = true
					phrases[p]++
				}
			}
			run = run[:0]
		}
		for _, sp := range seg.Pos(a.Title, false) {
			if strings.HasPrefix(sp.Pos, "n") && allHan(sp.Text) {
				run = append(run, sp.Text)
			} else {
				flush()
			}
		}
		flush()
	}
	ps := make([]string, 0, len(phrases))
	for p := range phrases {
		ps = append(ps, p)
	}
	slices.SortFunc(ps, func(a, b string) int { return cmp.Or(cmp.Compare(phrases[b], phrases[a]), cmp.Compare(a, b)) })
	for i, n := 0, 0; i < len(ps) && n < 15; i++ {
		if add(ps[i], "title noun phrase") {
			n++
		}
	}
	add("近平", "cross-word")
	add("京剧", "cross-word")
	return qs
}

func allHan(s string) bool {
	for _, r := range s {
		if !unicode.Is(unicode.Han, r) {
			return false
		}
	}
	return s != ""
}

// phrase is how newsearch matches a Han query: analysed with the field's
// analyzer, one term alone or a phrase of the terms by position (gaps are
// empty slots), on title or body.
func phrase(an analysis.Analyzer, text string, fields ...string) query.Query {
	toks := an.Analyze([]byte(text))
	if len(toks) == 0 {
		return query.NewMatchNoneQuery()
	}
	first, last := toks[0].Position, toks[0].Position
	for _, t := range toks {
		first, last = min(first, t.Position), max(last, t.Position)
	}
	terms := make([][]string, last-first+1)
	for _, t := range toks {
		terms[t.Position-first] = append(terms[t.Position-first], string(t.Term))
	}
	var alts []query.Query
	for _, f := range fields {
		if len(toks) == 1 {
			tq := query.NewTermQuery(string(toks[0].Term))
			tq.SetField(f)
			alts = append(alts, tq)
			continue
		}
		alts = append(alts, query.NewMultiPhraseQuery(terms, f))
	}
	return query.NewDisjunctionQuery(alts)
}

func hits(bi bleve.Index, q query.Query, size int) ([]string, error) {
	req := bleve.NewSearchRequestOptions(q, size, 0, false)
	res, err := bi.Search(req)
	if err != nil {
		return nil, err
	}
	if res.Total > uint64(size) && size > 10 {
		return nil, errors.New("search size too small")
	}
	ids := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		ids[i] = h.ID
	}
	return ids, nil
}

// aligned reports whether q occurs in a at least once with both ends on a
// gse word boundary: a match as a word or a sequence of words, as gse
// sees the article.
func aligned(a *article, q string) bool {
	for off := 0; ; {
		i := strings.Index(a.text[off:], q)
		if i < 0 {
			return false
		}
		s := off + i
		_, ok1 := slices.BinarySearch(a.bounds, int32(s))
		_, ok2 := slices.BinarySearch(a.bounds, int32(s+len(q)))
		if ok1 && ok2 {
			return true
		}
		off = s + len(q[:utf8.RuneLen([]rune(q)[0])])
	}
}

// around returns the gse words of a that cover the first occurrence of q,
// separated by "/".
func around(a *article, q string) string {
	s := strings.Index(a.text, q)
	if s < 0 {
		return ""
	}
	e := s + len(q)
	i, _ := slices.BinarySearch(a.bounds, int32(s+1))
	j, _ := slices.BinarySearch(a.bounds, int32(e))
	lo, hi := 0, len(a.text)
	if i > 0 {
		lo = int(a.bounds[i-1])
	}
	if j < len(a.bounds) {
		hi = int(a.bounds[j])
	}
	var words []string
	for k := i - 1; k < j && k >= 0; k++ {
		if k+1 < len(a.bounds) {
			words = append(words, a.text[a.bounds[k]:a.bounds[k+1]])
		}
	}
	if len(words) == 0 {
		return a.text[lo:hi]
	}
	return strings.Join(words, "/")
}

type score struct {
	hits, exact, found int
	alignedTop, top    int // word-aligned hits among the top 10, and how many top hits
}

func (s score) precision() float64 { return ratio(s.exact, s.hits) }

func evaluate(w io.Writer, bi bleve.Index, im *mapping.IndexMappingImpl, docs []*article, qs []zq) error {
	byID := make(map[string]*article, len(docs))
	for _, a := range docs {
		byID[a.ID] = a
	}
	bg, gw := im.AnalyzerNamed("newsearch"), im.AnalyzerNamed(gseAnalyzerName)
	type row struct {
		q                 zq
		truth, alignedN   int
		bigram, word, cmb score
		qsegBG, qsegW     string
		missedAs          map[string]int // for truth articles gse missed: the gse word(s) around the query
	}
	var rows []row
	for _, q := range qs {
		truth := map[string]bool{}
		r := row{q: q}
		for _, a := range docs {
			if strings.Contains(a.text, q.text) {
				truth[a.ID] = true
				if aligned(a, q.text) {
					r.alignedN++
				}
			}
		}
		r.truth = len(truth)
		r.qsegBG = strings.Join(termsOf(bg, q.text), "/")
		r.qsegW = strings.Join(termsOf(gw, q.text), "/")

		qb := phrase(bg, q.text, "title_bg", "body_bg")
		qw := phrase(gw, q.text, "title_w", "body_w")
		// Combined: bigrams decide what matches, a word match ranks first.
		qc := query.NewBooleanQuery([]query.Query{qb}, []query.Query{qw}, nil)
		for _, m := range []struct {
			q query.Query
			s *score
		}{{qb, &r.bigram}, {qw, &r.word}, {qc, &r.cmb}} {
			ids, err := hits(bi, m.q, len(docs))
			if err != nil {
				return err
			}
			m.s.hits = len(ids)
			got := map[string]bool{}
			for _, id := range ids {
				got[id] = true
				if truth[id] {
					m.s.exact++
				}
			}
			if m.s == &r.word {
				r.missedAs = map[string]int{}
				for id := range truth {
					if !got[id] {
						r.missedAs[around(byID[id], q.text)]++
					}
				}
			}
			m.s.found = m.s.exact
			top, err := hits(bi, m.q, 10)
			if err != nil {
				return err
			}
			m.s.top = len(top)
			for _, id := range top {
				if a := byID[id]; strings.Contains(a.text, q.text) && aligned(a, q.text) {
					m.s.alignedTop++
				}
			}
		}
		rows = append(rows, r)
	}

	fmt.Fprintf(w, "\n## Per query (%d articles)\n\n", len(docs))
	fmt.Fprintf(w, "Truth: articles whose title+body contains the query. Aligned: those where some occurrence starts and ends on a gse word boundary. P = precision (hits containing the query / hits), R = recall (truth found / truth). top10 aligned: word-aligned hits among the first 10.\n\n")
	fmt.Fprintf(w, "| query | kind | gse cut | truth | aligned | bigram hits | bigram P | bigram R | gse hits | gse P | gse R | top10 aligned bigram / gse / combined |\n")
	fmt.Fprintf(w, "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n")
	var sum struct {
		pB, rB, pW, rW        float64
		truth, foundB, foundW int
		lossB, lossW, zeroW   int
		topB, topW, topC      int
		nB, nW, nC            int
	}
	for _, r := range rows {
		fmt.Fprintf(w, "| %s | %s | %s | %d | %d | %d | %.3f | %.3f | %d | %.3f | %.3f | %d / %d / %d |\n",
			r.q.text, r.q.kind, r.qsegW, r.truth, r.alignedN,
			r.bigram.hits, r.bigram.precision(), ratio(r.bigram.found, r.truth),
			r.word.hits, r.word.precision(), ratio(r.word.found, r.truth),
			r.bigram.alignedTop, r.word.alignedTop, r.cmb.alignedTop)
		sum.pB += r.bigram.precision()
		sum.rB += ratio(r.bigram.found, r.truth)
		sum.pW += r.word.precision()
		sum.rW += ratio(r.word.found, r.truth)
		sum.truth += r.truth
		sum.foundB += r.bigram.found
		sum.foundW += r.word.found
		if r.bigram.found < r.truth {
			sum.lossB++
		}
		if r.word.found < r.truth {
			sum.lossW++
		}
		if r.word.hits == 0 && r.truth > 0 {
			sum.zeroW++
		}
		sum.topB += r.bigram.alignedTop
		sum.topW += r.word.alignedTop
		sum.topC += r.cmb.alignedTop
		sum.nB += r.bigram.top
		sum.nW += r.word.top
		sum.nC += r.cmb.top
	}
	n := float64(len(rows))
	fmt.Fprintf(w, "\n## Summary (%d queries)\n\n", len(rows))
	fmt.Fprintf(w, "| method | mean precision | mean recall | recall over all truth | queries losing recall | queries with 0 hits | word-aligned in top 10 |\n|---|---:|---:|---:|---:|---:|---:|\n")
	fmt.Fprintf(w, "| bigram phrase (newsearch today) | %.3f | %.3f | %.3f | %d | – | %d / %d |\n", sum.pB/n, sum.rB/n, ratio(sum.foundB, sum.truth), sum.lossB, sum.topB, sum.nB)
	fmt.Fprintf(w, "| gse word phrase | %.3f | %.3f | %.3f | %d | %d | %d / %d |\n", sum.pW/n, sum.rW/n, ratio(sum.foundW, sum.truth), sum.lossW, sum.zeroW, sum.topW, sum.nW)
	fmt.Fprintf(w, "| combined: bigram phrase must, gse word phrase should | = bigram | = bigram | = bigram | = bigram | – | %d / %d |\n", sum.topC, sum.nC)

	fmt.Fprintf(w, "\n## Where gse words miss (queries with gse recall < 0.9: the gse words covering the first occurrence in missed articles, commonest first)\n\n| query | missed | as |\n|---|---:|---|\n")
	for _, r := range rows {
		if ratio(r.word.found, r.truth) >= 0.9 {
			continue
		}
		ws := make([]string, 0, len(r.missedAs))
		for s := range r.missedAs {
			ws = append(ws, s)
		}
		slices.SortFunc(ws, func(a, b string) int { return cmp.Or(cmp.Compare(r.missedAs[b], r.missedAs[a]), cmp.Compare(a, b)) })
		var parts []string
		for _, s := range ws[:min(5, len(ws))] {
			parts = append(parts, fmt.Sprintf("%s ×%d", s, r.missedAs[s]))
		}
		fmt.Fprintf(w, "| %s | %d | %s |\n", r.q.text, r.truth-r.word.found, strings.Join(parts, ", "))
	}
	return nil
}

func termsOf(an analysis.Analyzer, s string) []string {
	var out []string
	for _, t := range an.Analyze([]byte(s)) {
		out = append(out, string(t.Term))
	}
	return out
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

func mb(n int) float64 { return float64(n) / 1e6 }
