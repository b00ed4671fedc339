package index

import (
	"context"
	"encoding/binary"
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/search"
	bleveindex "github.com/blevesearch/bleve_index_api"
	"github.com/google/go-cmp/cmp"
)

// blevePhrase runs q through bleve's scored phrase searcher (bm25.go): the
// reference phraseList and phraseSearcher must agree with. With locs, the
// matches carry their term locations.
func blevePhrase(t *testing.T, x *Index, snap *scorch.IndexSnapshot, q *bm25PhraseQuery, locs bool) (*rankList, []search.FieldTermLocationMap) {
	t.Helper()
	s, err := q.bleveSearcher(context.Background(), snap, x.m, search.SearcherOptions{IncludeTermVectors: locs})
	if err != nil {
		t.Fatal(err)
	}
	return drainPhrase(t, s)
}

// drainPhrase reads every match of s.
func drainPhrase(t *testing.T, s search.Searcher) (*rankList, []search.FieldTermLocationMap) {
	t.Helper()
	defer s.Close()
	sctx := &search.SearchContext{DocumentMatchPool: search.NewDocumentMatchPool(s.DocumentMatchPoolSize(), 0)}
	l := &rankList{n: s.Count()}
	var locs []search.FieldTermLocationMap
	for {
		d, err := s.Next(sctx)
		if err != nil {
			t.Fatal(err)
		}
		if d == nil {
			return l, locs
		}
		l.docs = append(l.docs, d.IndexInternalID.Value())
		l.scores = append(l.scores, d.Score)
		d.Complete(nil)
		locs = append(locs, sortedLocations(d.Locations))
		d.Locations, d.FieldTermLocations = nil, d.FieldTermLocations[:0]
		sctx.DocumentMatchPool.Put(d)
	}
}

// sortedLocations orders each term's locations by position.
func sortedLocations(m search.FieldTermLocationMap) search.FieldTermLocationMap {
	for _, tl := range m {
		for _, ls := range tl {
			slices.SortFunc(ls, func(a, b *search.Location) int { return int(a.Pos) - int(b.Pos) })
		}
	}
	return m
}

// checkPhrases requires phraseList to find the documents, scores and
// Count bleve's phrase searcher gives, for each text as a phrase in the
// title and the body.
func checkPhrases(t *testing.T, x *Index, texts []string) {
	t.Helper()
	snap, done := liveSnapshot(t, x)
	defer done()
	bi, release, err := x.reader()
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	lengths, err := readLengths(bi)
	if err != nil || lengths.docs == 0 {
		t.Fatalf("field lengths %+v, %v", lengths, err)
	}
	// Scored with BM25's length normalisation, as searches are.
	stats := &scoring{lengths: lengths}
	an := x.m.AnalyzerNamed(analyzerName)
	found := 0
	for _, text := range texts {
		toks := an.Analyze([]byte(text))
		if len(toks) == 0 {
			t.Fatalf("%q analyses to nothing", text)
		}
		slots := tokensToPhrase(toks)
		variants := [][][]string{slots}
		if len(slots[0]) == 1 {
			// A first position with an alternative, as a surname has.
			variants = append(variants, append([][]string{{slots[0][0], "zzznotaword"}}, slots[1:]...))
		}
		for _, terms := range variants {
			for _, field := range []string{fieldTitle, fieldBody} {
				q := newBM25PhraseQuery(terms, field, 0.7, stats)
				want, wantLocs := blevePhrase(t, x, snap, q, true)
				got, err := phraseList(context.Background(), snap, snap, q, nil)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(got.docs, want.docs) || !reflect.DeepEqual(got.scores, want.scores) || got.n != want.n {
					t.Errorf("%q %v in %s:\nphraseList %v %v count %d\nbleve      %v %v count %d", text, terms, field, got.docs, got.scores, got.n, want.docs, want.scores, want.n)
				}
				ps, err := q.Searcher(context.Background(), snap, x.m, search.SearcherOptions{IncludeTermVectors: true})
				if err != nil {
					t.Fatal(err)
				}
				if _, ok := ps.(*phraseSearcher); !ok {
					t.Fatalf("the phrase's searcher on a scorch snapshot is a %T, want *phraseSearcher", ps)
				}
				gotS, gotLocs := drainPhrase(t, ps)
				if !reflect.DeepEqual(gotS.docs, want.docs) || !reflect.DeepEqual(gotS.scores, want.scores) || gotS.n != want.n {
					t.Errorf("%q %v in %s:\nphraseSearcher %v %v count %d\nbleve          %v %v count %d", text, terms, field, gotS.docs, gotS.scores, gotS.n, want.docs, want.scores, want.n)
				}
				if !reflect.DeepEqual(gotLocs, capLocations(wantLocs, gotLocs)) {
					t.Errorf("%q %v in %s: phraseSearcher's locations differ from bleve's: %s", text, terms, field, cmp.Diff(wantLocs, gotLocs))
				}
				checkPhraseAdvance(t, x, snap, q, want.docs)
				found += len(got.docs)
			}
		}
	}
	if found == 0 {
		t.Error("no phrase matched anything: the comparison proves nothing")
	}
}

// checkPhraseAdvance requires phraseSearcher.Advance to land on every
// other match of want, asked for by that match's number or one past the
// match before it, and to end after the last.
func checkPhraseAdvance(t *testing.T, x *Index, snap *scorch.IndexSnapshot, q *bm25PhraseQuery, want []uint64) {
	t.Helper()
	ps, err := q.Searcher(context.Background(), snap, x.m, search.SearcherOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer ps.Close()
	sctx := &search.SearchContext{DocumentMatchPool: search.NewDocumentMatchPool(1, 0)}
	for i := 0; i < len(want); i += 2 {
		target := want[i]
		if i > 0 {
			target = want[i-1] + 1
		}
		d, err := ps.Advance(sctx, bleveindex.IndexInternalID(binary.BigEndian.AppendUint64(nil, target)))
		if err != nil {
			t.Fatal(err)
		}
		if d == nil || d.IndexInternalID.Value() != want[i] {
			t.Fatalf("Advance(%d) = %v, want document %d", target, d, want[i])
		}
		sctx.DocumentMatchPool.Put(d)
	}
	if len(want) > 0 {
		d, err := ps.Advance(sctx, bleveindex.IndexInternalID(binary.BigEndian.AppendUint64(nil, want[len(want)-1]+1)))
		if err != nil || d != nil {
			t.Fatalf("Advance past the last match = %v, %v; want none", d, err)
		}
	}
}

// capLocations returns bleve's locations want as a phraseSearcher gives
// them, which locates a term at its first maxLocatedPerTerm positions in an
// article only: a term bleve locates more often than that keeps the first
// of its locations that got has, which must be a prefix of bleve's.
func capLocations(want, got []search.FieldTermLocationMap) []search.FieldTermLocationMap {
	if len(want) != len(got) {
		return want
	}
	out := slices.Clone(want)
	for i, fields := range want {
		for f, terms := range fields {
			for term, locs := range terms {
				n := len(got[i][f][term])
				if len(locs) <= maxLocatedPerTerm || n == 0 || n >= len(locs) {
					continue
				}
				copied := search.FieldTermLocationMap{}
				for f2, terms2 := range out[i] {
					copied[f2] = maps.Clone(terms2)
				}
				copied[f][term] = locs[:n]
				out[i] = copied
			}
		}
	}
	return out
}

// TestPhraseList_matchesBleve: on the fixture, after writes that leave
// several segments and a deleted article, phrases with stop-word gaps,
// repeated words, Chinese bigram runs and alternatives match and score as
// bleve's phrase searcher has them.
func TestPhraseList_matchesBleve(t *testing.T) {
	t.Parallel()
	x := openFixture(t)
	ctx := context.Background()
	a, err := Prepare(Article{ID: "phrase-new", Title: "Trade trade talks", Body: "The People's Republic of China and the Republic of China held trade trade trade talks.",
		Source: "Phrase Wire", Lang: "en", Date: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	if err := x.Add(ctx, []Article{a}); err != nil {
		t.Fatal(err)
	}
	if err := x.Delete(ctx, "en-summit"); err != nil {
		t.Fatal(err)
	}
	checkPhrases(t, x, []string{"Republic of China", "People's Republic of China", "trade trade", "trade talks", "中俄关系", "strategic partnership", "Putin said", "chairman of the board"})
}

// TestPhraseList_matchesBleve_corpus does the same over BBC, when
// ../shared/corpus is present.
func TestPhraseList_matchesBleve_corpus(t *testing.T) {
	t.Parallel()
	x := openCorpus(t, "bbc")
	checkPhrases(t, x, []string{"prime minister", "the government said", "chief executive", "mobile phone", "out of the blue", "bye bye", "world cup final"})
}

// TestPhrase_repeatedWords: an article that repeats a phrase thousands of
// times ranks as bleve ranks it, and its matches are the words of the
// occurrences, in order, each once (up to maxMatches). Scanning positions
// once per occurrence made both quadratic: two searches for a word
// repeated 70,000 times took 3.3 s (BenchmarkSearch_repeatedWords). bleve's
// own phrase searcher, the reference here, is still quadratic, hence the
// smaller article.
func TestPhrase_repeatedWords(t *testing.T) {
	t.Parallel()
	const n = 3000
	x := openFixture(t)
	ctx := context.Background()
	a, err := Prepare(Article{ID: "repeats", Title: "Trade talks", Body: strings.Repeat("trade trade talks ", n),
		Source: "Phrase Wire", Lang: "en", Date: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	if err := x.Add(ctx, []Article{a}); err != nil {
		t.Fatal(err)
	}
	checkPhrases(t, x, []string{"trade trade", "trade talks", "trade trade talks"})
	res, err := x.Search(ctx, Query{Text: `"trade trade" repeats`, Match: MatchAny, Size: 20})
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range res.Hits {
		if h.ID != "repeats" {
			continue
		}
		body := h.Matches[fieldBody]
		if len(body) != maxMatches {
			t.Fatalf("%d body matches, want %d (the most reported of 2×%d)", len(body), maxMatches, n)
		}
		for i, m := range body {
			if i > 0 && m.Start <= body[i-1].Start {
				t.Fatalf("match %d at %d after one at %d: out of order or twice", i, m.Start, body[i-1].Start)
			}
			if got := a.Body[m.Start:m.End]; got != "trade" {
				t.Fatalf("match %d is %q, want trade", i, got)
			}
		}
		return
	}
	t.Fatalf("the repeating article is not among the hits %v", hitIDs(res))
}

// BenchmarkSearch_repeatedWords searches an article that repeats a phrase
// 50,000 times, for a word and for the phrase: locating and counting its
// matches must stay linear in them.
func BenchmarkSearch_repeatedWords(b *testing.B) {
	x := openJSONL(b, article("repeats", "Trade talks", strings.Repeat("trade trade talks ", 50000))+
		articles("other-", 20, "Wheat and trade", "The trade in wheat was large."))
	x.cache = nil
	waitColumns(b, x) // searches rank on postings, as a server's do

	for name, q := range map[string]Query{
		"word":   {Text: "trade"},
		"phrase": {Text: `"trade trade"`},
		// Facet counts with a selection, and an excluded phrase, count
		// their matches on bitmaps (count.go).
		"phrase_filtered": {Text: `"trade trade"`, Filters: map[string][]string{"lang": {"en"}}, Facets: DefaultFacets()},
		"phrase_excluded": {Text: `trade -"trade talks"`},
		// Sorted by date: bleve's searchers rank, and locateBleve
		// highlights.
		"phrase_newest": {Text: `"trade trade"`, Sort: SortNewest},
	} {
		b.Run(name, func(b *testing.B) {
			q.Size = 10
			for b.Loop() {
				if _, err := x.Search(context.Background(), q); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestSearch_phraseLengthNormalised: a phrase is scored as a term is, with
// BM25's length normalisation, so an article that has it as often in a
// shorter text ranks first. Phrases ignored the length: every Chinese word
// of two characters or more is one (its bigrams), and long CCTV articles
// that mentioned 中俄关系 once tied with short ones about it, newest first;
// so did the Russian articles Medvedev found through the name's phrase.
func TestSearch_phraseLengthNormalised(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("今天天气很好，市场平稳，交通顺畅。", 30)
	filler := strings.Repeat("The weather was fine and the markets were calm. ", 30)
	x := openJSONL(t, `{"id":"zh-short","title":"会谈","body":"双方表示中俄关系稳步发展。","date":"2026-01-02","source":"Test","lang":"zh"}`+"\n"+
		`{"id":"zh-long","title":"新闻","body":"`+long+`中俄关系稳步发展。`+long+`","date":"2026-01-03","source":"Test","lang":"zh"}`+"\n"+
		`{"id":"en-short","title":"Talks","body":"They spoke of the strategic partnership.","date":"2026-01-02","source":"Test","lang":"en"}`+"\n"+
		`{"id":"en-long","title":"Digest","body":"`+filler+`They spoke of the strategic partnership. `+filler+`","date":"2026-01-03","source":"Test","lang":"en"}`+"\n")
	for q, want := range map[string][]string{
		"中俄关系":                    {"zh-short", "zh-long"},
		`"strategic partnership"`: {"en-short", "en-long"},
	} {
		res, err := x.Search(context.Background(), Query{Text: q, Size: 10})
		if err != nil {
			t.Fatal(err)
		}
		if got := hitIDs(res); !slices.Equal(got, want) {
			t.Errorf("%s: %q, want %q", q, got, want)
		}
		if len(res.Hits) == 2 && !(res.Hits[0].Score > res.Hits[1].Score) {
			t.Errorf("%s: scores %v and %v, want the shorter article's higher", q, res.Hits[0].Score, res.Hits[1].Score)
		}
	}
}

// TestPhrase_stopWords: a quoted phrase's stop words between its words
// must be those of the text; they had taken any word ("end of the year"
// found end of this and last year, "Bank of England" BANK NEW ENGLAND).
// Counts, hits and highlights agree; unquoted words are unaffected.
func TestPhrase_stopWords(t *testing.T) {
	t.Parallel()
	files := fstest.MapFS{"a.jsonl": {Data: []byte(`{"id":"the","title":"Sales","body":"Sales rose at the end of the year, the firm said."}
{"id":"this","title":"Sales","body":"Sales rose at the end of this year."}
{"id":"last","title":"Sales","body":"Sales fell at the END OF LAST YEAR."}
{"id":"twice","title":"Sales","body":"At the end of this year, and at the end of the year before, sales rose."}
{"id":"boe","title":"Bank of England holds rates","body":"Rates are held."}
{"id":"bne","title":"Bank New England sells unit","body":"A unit is sold."}
{"id":"ru","title":"Заявление","body":"Министр заявил в интервью о переговорах."}
{"id":"ru2","title":"Заявление","body":"Министр заявил об интервью, которого не было."}
`)}}
	x, err := Open(context.Background(), Options{Dir: t.TempDir(), Inputs: []Input{{FS: files, Path: ".", Label: "t"}}, Logger: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	for _, tt := range []struct {
		q    string
		want []string
	}{
		{`"end of the year"`, []string{"the", "twice"}},
		{`"end of this year"`, []string{"this", "twice"}},
		{`"end of last year"`, []string{"last"}},
		{`"Bank of England"`, []string{"boe"}},
		{`title:"Bank of England"`, []string{"boe"}},
		{`"end of the year" -before`, []string{"the"}},
		// Unquoted, the words are words: every article with both.
		{`end year`, []string{"last", "the", "this", "twice"}},
	} {
		res := mustSearch(t, x, Query{Text: tt.q, Size: 10, Facets: DefaultFacets(), Fragments: DefaultFragments, FragmentSize: DefaultFragment, Match: MatchAll})
		var got []string
		for _, h := range res.Hits {
			got = append(got, h.ID)
		}
		slices.Sort(got)
		if !slices.Equal(got, tt.want) || res.Total != uint64(len(tt.want)) {
			t.Errorf("%s: hits %q, total %d; want %q", tt.q, got, res.Total, tt.want)
		}
		if n := langCount(res.Facets); uint64(n) != res.Total {
			t.Errorf("%s: the lang facet counts %d, the total is %d", tt.q, n, res.Total)
		}
	}
	// Russian stop words too: в is not об.
	if res := mustSearch(t, x, Query{Text: `"заявил в интервью"`, Size: 10}); res.Total != 1 || res.Hits[0].ID != "ru" {
		t.Errorf(`"заявил в интервью": %+v`, res.Hits)
	}
}

// langCount adds the lang facet's counts.
func langCount(facets []Facet) int {
	n := 0
	for _, f := range facets {
		if f.Name == "lang" {
			for _, b := range f.Buckets {
				n += b.Count
			}
		}
	}
	return n
}
