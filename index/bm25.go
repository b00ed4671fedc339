package index

import (
	"container/heap"
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"math/bits"
	"slices"
	"sync"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/bleve/v2/search/scorer"
	"github.com/blevesearch/bleve/v2/search/searcher"
	bleveindex "github.com/blevesearch/bleve_index_api"
)

// Ranking is Okapi BM25 as Lucene's BM25Similarity and the literature
// define it, not bleve's: bleve v2.6.1 scores √tf, counts idf twice (the
// term score times a query weight of idf × queryNorm), takes as avgdl the
// distinct terms per document rather than the tokens (about 20× too small
// on Cranfield, so b's length normalisation is far too strong), and
// multiplies every disjunction by matched/total clauses. On the Cranfield
// collection that scored MAP 0.298 / nDCG@10 0.370; the same queries with
// textbook BM25 and sums without coordination score 0.313 / 0.382 (see
// relevance_test.go and doc.go).
const (
	bm25K1 = 1.2
	bm25B  = 0.75
)

// fieldLengths are the token totals behind BM25's average field length
// (avgdl) for title and body, over every article version put into one
// generation. Like Lucene's sumTotalTermFreq until a merge, replaced and
// deleted versions still count: the average stays an average of article
// lengths, and a rebuild starts it afresh.
type fieldLengths struct {
	docs, title, body uint64
}

// lengthsKey holds a generation's fieldLengths in bleve's internal storage.
var lengthsKey = []byte("newsearch.lengths")

func (l fieldLengths) encode() []byte {
	b := make([]byte, 0, 3*binary.MaxVarintLen64)
	b = binary.AppendUvarint(b, l.docs)
	b = binary.AppendUvarint(b, l.title)
	return binary.AppendUvarint(b, l.body)
}

func decodeLengths(b []byte) (fieldLengths, error) {
	var l fieldLengths
	for _, v := range []*uint64{&l.docs, &l.title, &l.body} {
		n, k := binary.Uvarint(b)
		if k <= 0 {
			return fieldLengths{}, fmt.Errorf("field lengths: bad encoding")
		}
		*v, b = n, b[k:]
	}
	return l, nil
}

// readLengths returns bi's field lengths; zero when none were recorded.
func readLengths(bi bleve.Index) (fieldLengths, error) {
	b, err := bi.GetInternal(lengthsKey)
	if err != nil || len(b) == 0 {
		return fieldLengths{}, err
	}
	return decodeLengths(b)
}

func (l *fieldLengths) add(o fieldLengths) {
	l.docs += o.docs
	l.title += o.title
	l.body += o.body
}

// avgdl is the mean length of field across articles; 0 when unknown.
func (l fieldLengths) avgdl(field string) float64 {
	if l.docs == 0 {
		return 0
	}
	switch field {
	case fieldTitle:
		return float64(l.title) / float64(l.docs)
	case fieldBody:
		return float64(l.body) / float64(l.docs)
	}
	return 0
}

// articleLengths analyses a's title and body as the index will: one
// article's contribution to fieldLengths.
func articleLengths(m mapping.IndexMapping, a *Article) fieldLengths {
	an := m.AnalyzerNamed(analyzerName)
	return fieldLengths{docs: 1, title: uint64(positionCount(an.Analyze([]byte(a.Title)))), body: uint64(positionCount(an.Analyze([]byte(a.Body))))}
}

// positionCount is the length of a field that analyses to ts: its distinct
// positions, as the frequencies count them (freqBuilder.finish), not
// counting a variant at a word's position.
func positionCount(ts analysis.TokenStream) int {
	pos := make([]int, len(ts))
	for i, t := range ts {
		pos[i] = t.Position
	}
	slices.Sort(pos)
	return len(slices.Compact(pos))
}

// analysedLengths reads the lengths bleve recorded while analysing doc
// (after its batch): the same counts as articleLengths, without analysing
// the text a second time.
func analysedLengths(doc *document.Document) fieldLengths {
	l := fieldLengths{docs: 1}
	for _, f := range doc.Fields {
		switch f.Name() {
		case fieldTitle:
			l.title += uint64(tokenCount(f))
		case fieldBody:
			l.body += uint64(tokenCount(f))
		}
	}
	return l
}

// scoring carries a search's collection statistics to its BM25 queries.
// The plan builds the queries first and fills it in from the snapshot it
// searches.
type scoring struct{ lengths fieldLengths }

func (s *scoring) avgdl(field string) float64 {
	if s == nil {
		return 0
	}
	return s.lengths.avgdl(field)
}

// Field lengths are indexed as codes (sizedText.AnalyzedLength), which
// zap keeps as each posting's norm, a uvarint: a length below
// exactLengths as itself, and a longer one rounded to one of
// lengthSteps lengths per doubling, 4 × 2^e apart from 64 × 2^e up
// (about 3% from the length at most), as Lucene keeps its norms in a
// byte. Lengths below 1,008 then take one byte instead of two: 3.3 MB
// of the 108k Reuters index, where half the bodies have 64 to 1,007
// tokens. Cranfield's MAP went from 0.3133 to 0.3126.
// BM25's average length (fieldLengths) counts the lengths themselves.
const (
	exactLengths = 64
	lengthSteps  = 16
	// maxLengthCode is past the code of the longest length a field has
	// (an int32 of tokens).
	maxLengthCode = 512
)

// lengthCode returns the code of a field n tokens long.
func lengthCode(n int) int {
	if n < exactLengths {
		return max(n, 0)
	}
	e := bits.Len(uint(n)) - 7 // n is in [64<<e, 128<<e)
	step := 4 << e
	return exactLengths + lengthSteps*e + (n+step/2)/step - lengthSteps
}

// codeLengths holds the length each code stands for.
var codeLengths = func() (t [maxLengthCode]float64) {
	for c := range t {
		if c < exactLengths {
			t[c] = float64(c)
			continue
		}
		e, m := (c-exactLengths)/lengthSteps, (c-exactLengths)%lengthSteps
		t[c] = float64((lengthSteps + m) << (e + 2))
	}
	return t
}()

// normCode returns the length code a posting's norm holds: bleve stores
// 1/√code (zap's Posting.Norm).
func normCode(norm float64) int {
	if norm <= 0 {
		return 0
	}
	return min(int(math.Round(1/(norm*norm))), maxLengthCode-1)
}

// fieldLength is the length of a posting's field as BM25 reads it from
// the posting's norm; 0 without a norm.
func fieldLength(norm float64) float64 {
	return codeLengths[normCode(norm)]
}

// idf is BM25's inverse document frequency, Lucene's form (never negative).
func idf(docs, df uint64) float64 {
	return math.Log(1 + (float64(docs)-float64(df)+0.5)/(float64(df)+0.5))
}

// tfNorm is BM25's saturated term frequency for a field of length dl.
func tfNorm(tf, dl, avgdl float64) float64 {
	norm := 1.0
	if avgdl > 0 && dl > 0 {
		norm = 1 - bm25B + bm25B*dl/avgdl
	}
	return tf * (bm25K1 + 1) / (tf + bm25K1*norm)
}

// bm25Query matches one term in one field, scored by BM25.
type bm25Query struct {
	term, field string
	boost       float64
	stats       *scoring
	blend       *blend // when set, the term's idf is its blend's
}

// blend gives a word's forms one idf per field: the smallest of theirs
// among those some document has, their commonest's. Typo and prefix
// matches blend with each other (Lucene's blended rewrite of fuzzy
// queries: by its own idf, the rarest completion of "trad" outranked the
// word), and so do a word's other spellings, names in other scripts,
// transliterations and synonyms: Xi Jinping's Си Цзиньпин and 习近平 are
// one name, but by their own idfs the rarer spelling's articles outranked
// the commoner's whatever their text (on the news corpora, Xi Jinping
// Moscow visit ranked two Russian posts that name Си and Москва once each
// above the CCTV article on Xi's arrival in Moscow for a state visit;
// 习近平 is in 7,484 articles, Си Цзиньпин in a few hundred). A phrase
// counts its words' mean idf, as its weight does (withAlternatives). The
// word as typed keeps its own idf.
type blend struct {
	terms   []string
	phrases [][][]string
	mu      sync.Mutex
	idf     map[string]float64 // per field, once computed; 0: none is in the field
}

// idfIn returns the blend's idf in field: the smallest of its forms'
// that some document of r has; 0 when none has.
func (b *blend) idfIn(ctx context.Context, r bleveindex.IndexReader, field string) (float64, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if v, ok := b.idf[field]; ok {
		return v, nil
	}
	docs, err := r.DocCount()
	if err != nil {
		return 0, err
	}
	least := 0.0
	keep := func(v float64) {
		if v > 0 && (least == 0 || v < least) {
			least = v
		}
	}
	for _, t := range b.terms {
		n, err := termDF(ctx, r, field, t)
		if err != nil {
			return 0, err
		}
		if n > 0 {
			keep(idf(docs, n))
		}
	}
phrases:
	for _, p := range b.phrases {
		sum, filled := 0.0, 0
		for _, slot := range p {
			best, words := 0.0, 0
			for _, t := range slot {
				if t == "" {
					continue
				}
				words++
				n, err := termDF(ctx, r, field, t)
				if err != nil {
					return 0, err
				}
				if n > 0 {
					best = max(best, idf(docs, n))
				}
			}
			if words == 0 {
				continue
			}
			if best == 0 {
				continue phrases // no document has this position's words
			}
			sum += best
			filled++
		}
		if filled > 0 {
			keep(sum / float64(filled))
		}
	}
	if b.idf == nil {
		b.idf = map[string]float64{}
	}
	b.idf[field] = least
	return least, nil
}

// termDF is the number of documents of r with term in field.
func termDF(ctx context.Context, r bleveindex.IndexReader, field, term string) (uint64, error) {
	tfr, err := r.TermFieldReader(ctx, []byte(term), field, false, false, false)
	if err != nil {
		return 0, err
	}
	defer tfr.Close()
	return tfr.Count(), nil
}

func newBM25Query(term, field string, boost float64, s *scoring) *bm25Query {
	return &bm25Query{term: term, field: field, boost: boost, stats: s}
}

func (q *bm25Query) SetBoost(b float64) { q.boost = b }
func (q *bm25Query) Boost() float64     { return q.boost }

func (q *bm25Query) Searcher(ctx context.Context, r bleveindex.IndexReader, m mapping.IndexMapping, o search.SearcherOptions) (search.Searcher, error) {
	if unscored(o) {
		// Bleve's own searcher: its disjunctions and conjunctions of
		// unscored terms become bitmap operations.
		if o.IncludeTermVectors {
			r = unpackedReader{r}
		}
		return searcher.NewTermSearcher(ctx, r, q.term, q.field, q.boost, o)
	}
	tfr, err := r.TermFieldReader(ctx, []byte(q.term), q.field, true, true, o.IncludeTermVectors)
	if err != nil {
		return nil, err
	}
	docs, err := r.DocCount()
	if err != nil {
		tfr.Close()
		return nil, err
	}
	weight, err := q.weight(ctx, r, docs, tfr.Count())
	if err != nil {
		tfr.Close()
		return nil, err
	}
	return &bm25Searcher{
		tfr: tfr, term: q.term, noScore: o.Score == "none",
		weight: weight, avgdl: q.stats.avgdl(q.field),
	}, nil
}

// weight is the term's BM25 weight in r, whose docs documents include df
// with the term: its boost times its idf, or its blend's.
func (q *bm25Query) weight(ctx context.Context, r bleveindex.IndexReader, docs, df uint64) (float64, error) {
	if q.blend != nil {
		b, err := q.blend.idfIn(ctx, r, q.field)
		if err != nil || b > 0 {
			return q.boost * b, err
		}
	}
	return q.boost * idf(docs, df), nil
}

// unscored reports whether a searcher's scores go unused: nothing is
// gained by our scoring there, and bleve's searchers turn OR and AND of
// unscored terms into bitmap operations (and, with term vectors, as when
// locate asks where the page's hits match, skip our BM25 statistics).
func unscored(o search.SearcherOptions) bool {
	return o.Score == "none" && !o.Explain
}

// unscoredQuery runs q without scores (a clause whose scores nothing
// reads, such as a MUST NOT).
type unscoredQuery struct{ q query.Query }

func (u unscoredQuery) Searcher(ctx context.Context, r bleveindex.IndexReader, m mapping.IndexMapping, o search.SearcherOptions) (search.Searcher, error) {
	return u.q.Searcher(ctx, r, m, search.SearcherOptions{Score: "none"})
}

// bm25Searcher walks one term's postings. Its scores ignore bleve's query
// norm: BM25 has none.
type bm25Searcher struct {
	tfr     bleveindex.TermFieldReader
	tfd     bleveindex.TermFieldDoc
	term    string
	weight  float64 // boost × idf
	avgdl   float64
	noScore bool
	locs    []search.Location // scratch for unpacking positions
}

func (s *bm25Searcher) match(ctx *search.SearchContext, d *bleveindex.TermFieldDoc) *search.DocumentMatch {
	rv := ctx.DocumentMatchPool.Get()
	rv.IndexInternalID = append(rv.IndexInternalID, d.ID...)
	if !s.noScore {
		rv.Score = s.weight * tfNorm(float64(d.Freq), fieldLength(d.Norm), s.avgdl)
	}
	located := 0 // at most maxLocatedPerTerm, as readLocations gives
	for _, v := range d.Vectors {
		s.locs = appendPositions(s.locs[:0], v.Pos, v.Start, v.End, v.ArrayPositions)
		for _, l := range s.locs[:min(len(s.locs), maxLocatedPerTerm-located)] {
			rv.FieldTermLocations = append(rv.FieldTermLocations, search.FieldTermLocation{Field: v.Field, Term: s.term, Location: l})
		}
		located = min(located+len(s.locs), maxLocatedPerTerm)
	}
	return rv
}

func (s *bm25Searcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	d, err := s.tfr.Next(s.tfd.Reset())
	if err != nil || d == nil {
		return nil, err
	}
	return s.match(ctx, d), nil
}

func (s *bm25Searcher) Advance(ctx *search.SearchContext, id bleveindex.IndexInternalID) (*search.DocumentMatch, error) {
	d, err := s.tfr.Advance(id, s.tfd.Reset())
	if err != nil || d == nil {
		return nil, err
	}
	return s.match(ctx, d), nil
}

func (s *bm25Searcher) Close() error               { return s.tfr.Close() }
func (s *bm25Searcher) Weight() float64            { return 1 }
func (s *bm25Searcher) SetQueryNorm(float64)       {}
func (s *bm25Searcher) Count() uint64              { return s.tfr.Count() }
func (s *bm25Searcher) Min() int                   { return 0 }
func (s *bm25Searcher) Size() int                  { return 128 + s.tfr.Size() }
func (s *bm25Searcher) DocumentMatchPoolSize() int { return 1 }

// bm25PhraseQuery matches a phrase in one field. Bleve finds the
// occurrences; the score is BM25's with the phrase as one term, as
// Lucene's PhraseQuery has it: its idf is the sum of its words' idfs, its
// frequency the number of occurrences. Bleve keeps no lengths for a
// phrase's documents, so the phrase counts as found in a field of average
// length.
type bm25PhraseQuery struct {
	terms [][]string // per position, alternatives; "" matches anything
	field string
	boost float64
	stats *scoring // the field's average length; nil: no length normalisation
	blend *blend   // when set, each word's idf is the blend's
	// compounds: a word may also stand for its compound written with a
	// hyphen (phrasejoin.go); set for the phrases a reader quoted.
	compounds bool
	// parts are the compounds' words phraseList found candidates with
	// (markPart), which the page's highlighting then reads.
	partsMu sync.Mutex
	parts   map[string]bool
	// stops, when set, holds per slot the stop word a quoted phrase has
	// there ("" for the slots of indexed words): phraseList checks them
	// in the stored text (phrasestops.go).
	stops []string
}

func newBM25PhraseQuery(terms [][]string, field string, boost float64, s *scoring) *bm25PhraseQuery {
	return &bm25PhraseQuery{terms: terms, field: field, boost: boost, stats: s}
}

func (q *bm25PhraseQuery) SetBoost(b float64) { q.boost = b }
func (q *bm25PhraseQuery) Boost() float64     { return q.boost }

func (q *bm25PhraseQuery) Searcher(ctx context.Context, r bleveindex.IndexReader, m mapping.IndexMapping, o search.SearcherOptions) (search.Searcher, error) {
	if snap, ok := r.(*scorch.IndexSnapshot); ok && !o.Explain {
		return newPhraseSearcher(ctx, snap, q, o.IncludeTermVectors)
	}
	return q.bleveSearcher(ctx, r, m, o)
}

// bleveSearcher is bleve's phrase searcher, rescored: for readers other
// than a scorch snapshot, explanations, and tests to compare with. Its
// path search is quadratic in a document's occurrences of the words.
func (q *bm25PhraseQuery) bleveSearcher(ctx context.Context, r bleveindex.IndexReader, m mapping.IndexMapping, o search.SearcherOptions) (search.Searcher, error) {
	r = unpackedReader{r}
	if unscored(o) {
		return query.NewMultiPhraseQuery(q.terms, q.field).Searcher(ctx, r, m, o)
	}
	weight, first, _, err := q.weight(ctx, r)
	if err != nil {
		return nil, err
	}
	inner, err := query.NewMultiPhraseQuery(q.terms, q.field).Searcher(ctx, r, m, o)
	if err != nil {
		return nil, err
	}
	s := &bm25PhraseSearcher{Searcher: inner, weight: weight, first: first, noScore: o.Score == "none", avgdl: q.stats.avgdl(q.field)}
	if s.avgdl > 0 {
		// The field's length in a document: the norm of a first word's
		// posting there.
		for t := range first {
			tfr, err := r.TermFieldReader(ctx, []byte(t), q.field, false, true, false)
			if err != nil {
				s.Close()
				return nil, err
			}
			s.norms = append(s.norms, tfr)
		}
	}
	return s, nil
}

// weight is the phrase's BM25 weight in r (its boost times the sum of
// its words' idfs, the best of a position's alternatives), the words of
// its first position, whose occurrences count as the phrase's, and the
// sum of its words' document frequencies, position by position: what
// bleve's phrase searcher reports as its Count.
func (q *bm25PhraseQuery) weight(ctx context.Context, r bleveindex.IndexReader) (w float64, first map[string]bool, count uint64, err error) {
	docs, err := r.DocCount()
	if err != nil {
		return 0, nil, 0, err
	}
	var sum float64
	for _, slot := range q.terms {
		best := 0.0
		var words []string
		for _, t := range slot {
			if t == "" {
				continue
			}
			n, err := termDF(ctx, r, q.field, t)
			if err != nil {
				return 0, nil, 0, err
			}
			best = max(best, idf(docs, n))
			count += n
			words = append(words, t)
		}
		if first == nil && len(words) > 0 {
			first = make(map[string]bool, len(words))
			for _, w := range words {
				first[w] = true
			}
		}
		sum += best
	}
	if q.blend != nil {
		b, err := q.blend.idfIn(ctx, r, q.field)
		if err != nil {
			return 0, nil, 0, err
		}
		if b > 0 {
			// The blend's idf for each word: the boost is already divided
			// by their number (withAlternatives).
			sum = b * float64(filledSlots(q.terms))
		}
	}
	return q.boost * sum, first, count, nil
}

// bm25PhraseSearcher rescores bleve's phrase matches.
type bm25PhraseSearcher struct {
	search.Searcher
	weight  float64
	first   map[string]bool // the phrase's first words: one location each per occurrence
	noScore bool
	avgdl   float64
	norms   []bleveindex.TermFieldReader // of the first words, read in document order
	tfd     bleveindex.TermFieldDoc
}

// dl is the phrase's field length in document id, 0 when unknown.
func (s *bm25PhraseSearcher) dl(id bleveindex.IndexInternalID) (float64, error) {
	for _, r := range s.norms {
		d, err := r.Advance(id, &s.tfd)
		if err != nil {
			return 0, err
		}
		if d != nil && d.ID.Equals(id) {
			return fieldLength(d.Norm), nil
		}
	}
	return 0, nil
}

func (s *bm25PhraseSearcher) Close() error {
	err := s.Searcher.Close()
	for _, r := range s.norms {
		if e := r.Close(); err == nil {
			err = e
		}
	}
	return err
}

func (s *bm25PhraseSearcher) rescore(d *search.DocumentMatch, err error) (*search.DocumentMatch, error) {
	if d == nil || err != nil || s.noScore {
		return d, err
	}
	tf := 0
	for _, l := range d.FieldTermLocations {
		if s.first[l.Term] {
			tf++
		}
	}
	dl, err := s.dl(d.IndexInternalID)
	if err != nil {
		return nil, err
	}
	d.Score = s.weight * tfNorm(float64(max(tf, 1)), dl, s.avgdl)
	return d, nil
}

func (s *bm25PhraseSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	return s.rescore(s.Searcher.Next(ctx))
}

func (s *bm25PhraseSearcher) Advance(ctx *search.SearchContext, id bleveindex.IndexInternalID) (*search.DocumentMatch, error) {
	return s.rescore(s.Searcher.Advance(ctx, id))
}

func (s *bm25PhraseSearcher) Weight() float64      { return 1 }
func (s *bm25PhraseSearcher) SetQueryNorm(float64) {}

// sumQuery matches documents with at least min of its parts and scores
// them with the sum of the matching parts' scores, as Lucene's BooleanQuery
// of SHOULD clauses does: bleve's disjunction would multiply the sum by
// matched/total parts.
type sumQuery struct {
	parts []query.Query
	min   int
	best  bool // score with the best matching part instead (maxQuery)
}

func newSumQuery(parts []query.Query, min int) *sumQuery {
	return &sumQuery{parts: parts, min: min}
}

// newMaxQuery matches documents with any of parts and scores them with the
// best matching part (Lucene's DisjunctionMaxQuery without a tie
// breaker): the forms of one word count once, at their best.
func newMaxQuery(parts []query.Query) *sumQuery {
	return &sumQuery{parts: parts, min: 1, best: true}
}

func (q *sumQuery) Searcher(ctx context.Context, r bleveindex.IndexReader, m mapping.IndexMapping, o search.SearcherOptions) (search.Searcher, error) {
	subs := make([]search.Searcher, 0, len(q.parts))
	closeAll := func() {
		for _, s := range subs {
			s.Close()
		}
	}
	for _, p := range q.parts {
		s, err := p.Searcher(ctx, r, m, o)
		if err != nil {
			closeAll()
			return nil, err
		}
		subs = append(subs, s)
	}
	switch {
	case len(subs) == 0 || q.min > len(subs):
		closeAll()
		return searcher.NewMatchNoneSearcher(r)
	case len(subs) == 1:
		return subs[0], nil
	case unscored(o):
		return searcher.NewDisjunctionSearcher(ctx, r, subs, float64(q.min), o)
	}
	return &sumSearcher{
		subs: subs, curr: make([]*search.DocumentMatch, len(subs)), done: make([]bool, len(subs)),
		min: max(q.min, 1), best: q.best, scorer: scorer.NewDisjunctionQueryScorer(o),
		useHeap: len(subs) > heapParts,
	}, nil
}

// heapParts is the most parts a sumSearcher scans linearly for the next
// match (bleve's disjunction switches to a heap above 10).
const heapParts = 8

// sumSearcher is a disjunction over its parts' current matches.
type sumSearcher struct {
	subs     []search.Searcher
	curr     []*search.DocumentMatch // each part's current match; nil when done
	done     []bool
	heap     sumHeap // of the parts with a current match, when useHeap
	useHeap  bool    // many parts: a heap beats scanning them all per match
	min      int
	best     bool
	scorer   *scorer.DisjunctionQueryScorer
	matching []*search.DocumentMatch
	idxs     []int
	started  bool
}

type sumHeap struct {
	idx  []int
	curr []*search.DocumentMatch
}

func (h *sumHeap) Len() int { return len(h.idx) }
func (h *sumHeap) Less(i, j int) bool {
	return h.curr[h.idx[i]].IndexInternalID.Compare(h.curr[h.idx[j]].IndexInternalID) < 0
}
func (h *sumHeap) Swap(i, j int) { h.idx[i], h.idx[j] = h.idx[j], h.idx[i] }
func (h *sumHeap) Push(x any)    { h.idx = append(h.idx, x.(int)) }
func (h *sumHeap) Pop() any {
	n := len(h.idx) - 1
	v := h.idx[n]
	h.idx = h.idx[:n]
	return v
}

// set records part i's new current match.
func (s *sumSearcher) set(i int, d *search.DocumentMatch) {
	s.curr[i] = d
	s.done[i] = d == nil
}

// rebuild refills the heap from every part's current match.
func (s *sumSearcher) rebuild() {
	if !s.useHeap {
		return
	}
	s.heap.curr = s.curr
	s.heap.idx = s.heap.idx[:0]
	for i, d := range s.curr {
		if d != nil {
			s.heap.idx = append(s.heap.idx, i)
		}
	}
	heap.Init(&s.heap)
}

func (s *sumSearcher) start(ctx *search.SearchContext) error {
	s.started = true
	for i, sub := range s.subs {
		d, err := sub.Next(ctx)
		if err != nil {
			return err
		}
		s.set(i, d)
	}
	s.rebuild()
	return nil
}

// collect gathers the parts whose current match is the smallest document.
func (s *sumSearcher) collect() {
	s.matching, s.idxs = s.matching[:0], s.idxs[:0]
	if !s.useHeap {
		for i, d := range s.curr {
			if d == nil {
				continue
			}
			if len(s.matching) > 0 {
				c := d.IndexInternalID.Compare(s.matching[0].IndexInternalID)
				if c > 0 {
					continue
				}
				if c < 0 {
					s.matching, s.idxs = s.matching[:0], s.idxs[:0]
				}
			}
			s.matching = append(s.matching, d)
			s.idxs = append(s.idxs, i)
		}
		return
	}
	if s.heap.Len() == 0 {
		return
	}
	id := s.curr[s.heap.idx[0]].IndexInternalID
	for s.heap.Len() > 0 && s.curr[s.heap.idx[0]].IndexInternalID.Equals(id) {
		i := heap.Pop(&s.heap).(int)
		s.matching = append(s.matching, s.curr[i])
		s.idxs = append(s.idxs, i)
	}
}

func (s *sumSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	if !s.started {
		if err := s.start(ctx); err != nil {
			return nil, err
		}
	}
	for {
		s.collect()
		if len(s.matching) == 0 {
			return nil, nil
		}
		var rv *search.DocumentMatch
		if len(s.matching) >= s.min {
			top := 0.0
			for _, d := range s.matching {
				top = max(top, d.Score)
			}
			n := len(s.matching)
			rv = s.scorer.Score(ctx, s.matching, n, n) // coord n/n: the plain sum
			if s.best {
				rv.Score = top
			}
		}
		for _, i := range s.idxs {
			if s.curr[i] != rv {
				ctx.DocumentMatchPool.Put(s.curr[i])
			}
			d, err := s.subs[i].Next(ctx)
			if err != nil {
				return nil, err
			}
			s.set(i, d)
			if d != nil && s.useHeap {
				heap.Push(&s.heap, i)
			}
		}
		if rv != nil {
			return rv, nil
		}
	}
}

func (s *sumSearcher) Advance(ctx *search.SearchContext, id bleveindex.IndexInternalID) (*search.DocumentMatch, error) {
	if !s.started {
		if err := s.start(ctx); err != nil {
			return nil, err
		}
	}
	for i, sub := range s.subs {
		if s.done[i] || s.curr[i].IndexInternalID.Compare(id) >= 0 {
			continue
		}
		ctx.DocumentMatchPool.Put(s.curr[i])
		d, err := sub.Advance(ctx, id)
		if err != nil {
			return nil, err
		}
		s.set(i, d)
	}
	s.rebuild()
	return s.Next(ctx)
}

func (s *sumSearcher) Weight() float64 {
	var w float64
	for _, sub := range s.subs {
		w += sub.Weight()
	}
	return w
}

func (s *sumSearcher) SetQueryNorm(n float64) {
	for _, sub := range s.subs {
		sub.SetQueryNorm(n)
	}
}

func (s *sumSearcher) Count() uint64 {
	var c uint64
	for _, sub := range s.subs {
		c += sub.Count()
	}
	return c
}

func (s *sumSearcher) Close() (err error) {
	for _, sub := range s.subs {
		if e := sub.Close(); e != nil && err == nil {
			err = e
		}
	}
	return err
}

func (s *sumSearcher) Min() int { return s.min }

func (s *sumSearcher) Size() int {
	n := 128 + 48*len(s.subs)
	for _, sub := range s.subs {
		n += sub.Size()
	}
	return n
}

func (s *sumSearcher) DocumentMatchPoolSize() int {
	n := len(s.subs)
	for _, sub := range s.subs {
		n += sub.DocumentMatchPoolSize()
	}
	return n
}
