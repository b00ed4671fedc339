package index

import (
	"context"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/blevesearch/bleve/v2/index/scorch"
)

// TestDecodedTerm_seek: the galloping search finds, from any start, the
// first document at or after the one asked for.
func TestDecodedTerm_seek(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(5, 6))
	dt := &decodedTerm{}
	for d := uint32(0); len(dt.docs) < 3000; d += 1 + uint32(rng.IntN(40)) {
		dt.docs = append(dt.docs, d)
	}
	last := dt.docs[len(dt.docs)-1]
	for range 5000 {
		from := rng.IntN(len(dt.docs) + 1)
		d := uint32(rng.IntN(int(last) + 50))
		want := from
		for want < len(dt.docs) && dt.docs[want] < d {
			want++
		}
		if got := dt.seek(from, d); got != want {
			t.Fatalf("seek(%d, %d) = %d, want %d", from, d, got, want)
		}
	}
}

// decodedAndZap indexes the article data (JSON Lines) beside a short one
// and twenty alike, decodes every term, and searches "grain wheat" with
// the decoded postings and with zap's.
func decodedAndZap(t *testing.T, data string) (x *Index, decoded, zap Results) {
	t.Helper()
	x = openJSONL(t, data+article("short", "Grain prices", "Grain prices rose. Wheat too.")+
		articles("other-", 20, "Wheat and grain harvest", "The grain harvest of wheat was large."))
	x.cache = nil
	waitColumns(t, x)
	x.dec.minDocs, x.dec.minDF = 1, 1
	q := Query{Text: "grain wheat", Facets: DefaultFacets(), Size: 30}
	x.dec.off = true
	zap = mustSearch(t, x, q)
	x.dec.off = false
	return x, mustSearch(t, x, q), zap
}

// TestDecoded_largeFrequency: a term an article repeats more than 255
// times scores the same from decoded postings as from zap's.
func TestDecoded_largeFrequency(t *testing.T) {
	t.Parallel()
	x, decoded, zap := decodedAndZap(t, article("big", "Grain exports", strings.Repeat("grain ", 300)+"and wheat."))
	var big *decodedTerm
	for _, ds := range x.dec.segs {
		if dt := ds.terms[termKey{fieldBody, "grain"}]; dt != nil && len(dt.big) > 0 {
			big = dt
		}
	}
	if big == nil {
		t.Fatal("no decoded term holds a frequency over 255")
	}
	if !reflect.DeepEqual(decoded.Hits, zap.Hits) {
		t.Errorf("decoded postings rank\n%+v\nzap's\n%+v", decoded.Hits, zap.Hits)
	}
	if !slices.Contains(hitIDs(decoded), "big") {
		t.Errorf("hits %v lack the article repeating the word", hitIDs(decoded))
	}
}

// TestDecoded_longField: an article of 70,000 words, past the lengths a
// one-byte norm holds, scores the same from decoded postings as from
// zap's, and so do the short ones beside it.
func TestDecoded_longField(t *testing.T) {
	t.Parallel()
	_, decoded, zap := decodedAndZap(t, article("long", "Wheat harvest", strings.Repeat("wheat ", 70000)+"and grain."))
	if !reflect.DeepEqual(decoded.Hits, zap.Hits) {
		t.Errorf("decoded postings rank\n%+v\nzap's\n%+v", decoded.Hits, zap.Hits)
	}
}

// TestLengthCodes: lengths below 64 keep their code; longer ones come
// back within 3.2%, in order, in one byte of uvarint up to 1,007; every
// code survives the norm zap stores (1/√code as a float32); and the first
// code recorded for a document stays.
func TestLengthCodes(t *testing.T) {
	t.Parallel()
	prev := -1
	for n := 0; n < 1<<22; n += 1 + n/1000 {
		c := lengthCode(n)
		if c < prev {
			t.Fatalf("%d tokens: code %d, below the code %d of a shorter length", n, c, prev)
		}
		prev = c
		if c >= maxLengthCode {
			t.Fatalf("%d tokens: code %d past the table", n, c)
		}
		got := codeLengths[c]
		switch {
		case n < exactLengths && got != float64(n):
			t.Fatalf("%d tokens read back as %v", n, got)
		case math.Abs(got-float64(n)) > 0.032*float64(n):
			t.Fatalf("%d tokens read back as %v", n, got)
		case n < 1008 && c >= 128, n >= 1008 && c < 128:
			t.Fatalf("%d tokens: code %d", n, c)
		}
	}
	if c := lengthCode(math.MaxInt32); c >= maxLengthCode {
		t.Fatalf("the longest field's code %d is past the table", c)
	}
	for c := 1; c < maxLengthCode; c++ {
		if got := fieldLength(float64(float32(1 / math.Sqrt(float64(c))))); got != codeLengths[c] {
			t.Fatalf("code %d: its norm reads as length %v, want %v", c, got, codeLengths[c])
		}
	}
	if fieldLength(0) != 0 {
		t.Error("no norm: a length")
	}
	f := &fieldLens{codes: make([]uint16, 3)}
	f.set(0, lengthCode(500))
	f.set(0, lengthCode(9))
	if got := f.dl(0); got != codeLengths[lengthCode(500)] {
		t.Errorf("a second set changed the length: dl = %v", got)
	}
	if got := f.dl(1); got != 0 {
		t.Errorf("dl of a document with no length = %v, want 0", got)
	}
}

// TestDecoded_concurrentSearches: searches that decode terms at the same
// time (under -race in CI) rank as the zap path does.
func TestDecoded_concurrentSearches(t *testing.T) {
	t.Parallel()
	x := openFixture(t)
	x.cache = nil
	waitColumns(t, x)
	x.dec.minDocs, x.dec.minDF = 1, 1
	queries := []string{"china trade", "Putin", "cooperation russia", "китай", "中俄关系", "trade", "russia china cooperation", "Shoigu Beijing"}
	x.dec.off = true
	want := make([][]string, len(queries))
	for i, q := range queries {
		want[i] = hitIDs(mustSearch(t, x, Query{Text: q, Facets: DefaultFacets()}))
	}
	x.dec.off = false
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 20 {
				i := (g + j) % len(queries)
				res, err := x.Search(context.Background(), Query{Text: queries[i], Facets: DefaultFacets()})
				if err != nil {
					t.Error(err)
					return
				}
				if got := hitIDs(res); !reflect.DeepEqual(got, want[i]) {
					t.Errorf("%q: %v decoded, %v from zap", queries[i], got, want[i])
				}
			}
		}()
	}
	wg.Wait()
}

// TestDecoded_averageLengthChanges: a write changes the average field
// lengths; terms decoded before it then score with the new ones, as zap's
// path does.
func TestDecoded_averageLengthChanges(t *testing.T) {
	t.Parallel()
	x := openFixture(t)
	x.cache = nil
	x.dec.minDocs, x.dec.minDF = 1, 1
	q := Query{Text: "china trade cooperation", Match: MatchAny, Size: 20}
	mustSearch(t, x, q) // decodes the terms at the fixture's average lengths
	a, err := Prepare(Article{ID: "long-one", Title: "A very long title about nothing in particular at all today",
		Body: strings.Repeat("Words that make the bodies longer on average. ", 40), Source: "Len Wire", Lang: "en"})
	if err != nil {
		t.Fatal(err)
	}
	if err := x.Add(context.Background(), []Article{a}); err != nil {
		t.Fatal(err)
	}
	decoded := mustSearch(t, x, q)
	x.dec.mu.Lock()
	x.dec.off = true
	x.dec.mu.Unlock()
	zap := mustSearch(t, x, q)
	if !reflect.DeepEqual(decoded.Hits, zap.Hits) {
		t.Errorf("after a write, decoded postings rank\n%+v\nzap's\n%+v", decoded.Hits, zap.Hits)
	}
}

// TestDecoded_budget: decoding stops at the memory budget, the terms past
// it are read from zap, and the page is the same.
func TestDecoded_budget(t *testing.T) {
	t.Parallel()
	x := openFixture(t)
	x.cache = nil
	x.dec.minDocs, x.dec.minDF = 1, 1
	q := Query{Text: "china trade cooperation russia", Match: MatchAny, Size: 20}
	x.dec.off = true
	want := mustSearch(t, x, q)
	x.dec.off = false
	x.dec.maxBytes = 600 // a few terms' worth, with the length arrays
	got := mustSearch(t, x, q)
	if !reflect.DeepEqual(got.Hits, want.Hits) {
		t.Errorf("within a budget, decoded postings rank\n%v\nzap's\n%v", hitIDs(got), hitIDs(want))
	}
	used := x.dec.bytes.Load()
	if used <= 0 || used > x.dec.maxBytes {
		t.Errorf("%d bytes decoded, want some and at most %d", used, x.dec.maxBytes)
	}
	skipped := 0
	for _, ds := range x.dec.segs {
		ds.mu.RLock()
		for _, dt := range ds.terms {
			if dt == nil {
				skipped++
			}
		}
		ds.mu.RUnlock()
	}
	if skipped == 0 {
		t.Error("every term was decoded: the budget was never reached")
	}
}

// TestDecoded_budgetGrowsWithTheIndex: the budget is maxDecodedBytes up
// to an index of maxDecodedBytes/decodedBytesPerDoc articles and grows
// with the articles past it, counted from the snapshot a search reads, up
// to topDecodedBytes.
func TestDecoded_budgetGrowsWithTheIndex(t *testing.T) {
	t.Parallel()
	x := openFixture(t)
	x.cache = nil
	x.dec.minDocs, x.dec.minDF = 1, 1
	mustSearch(t, x, Query{Text: "china trade", Size: 5})
	n, err := x.bi.DocCount()
	if err != nil {
		t.Fatal(err)
	}
	if got := x.dec.docs.Load(); got != int64(n) {
		t.Errorf("the budget counts %d articles, the index holds %d", got, n)
	}
	if got := x.dec.budget(); got != maxDecodedBytes {
		t.Errorf("budget of %d articles: %d, want %d", n, got, maxDecodedBytes)
	}
	var s decodedState
	for _, c := range []struct{ docs, want int64 }{
		{0, maxDecodedBytes},
		{maxDecodedBytes / decodedBytesPerDoc, maxDecodedBytes},
		{539_425, 539_425 * decodedBytesPerDoc},
		{1_700_000, 1_020_000_000},
		{10_000_000, topDecodedBytes},
	} {
		s.docs.Store(c.docs)
		if got := s.budget(); got != c.want {
			t.Errorf("budget of %d articles: %d, want %d", c.docs, got, c.want)
		}
	}
}

// TestDecoded_mergedAwaySegmentsFree: the bytes of segments merged away
// leave the budget's count.
func TestDecoded_mergedAwaySegmentsFree(t *testing.T) {
	t.Parallel()
	x := openFixture(t)
	x.cache = nil
	x.dec.minDocs, x.dec.minDF = 1, 1
	ctx := context.Background()
	// Decode terms of the fixture's segment, then write: the write's
	// segment and the fixture's are merged into a new one (by scorch in
	// the background or by mergeAll), and the fixture's leaves.
	q := Query{Text: "china trade", Match: MatchAny}
	mustSearch(t, x, q)
	before := x.dec.bytes.Load()
	a, err := Prepare(Article{ID: "merge-me", Title: "China trade", Body: "Trade with China and Russia.", Source: "Merge Wire", Lang: "en"})
	if err != nil {
		t.Fatal(err)
	}
	if err := x.Add(ctx, []Article{a}); err != nil {
		t.Fatal(err)
	}
	bi, done, err := x.reader()
	if err != nil {
		t.Fatal(err)
	}
	err = mergeAll(ctx, bi)
	done()
	if err != nil {
		t.Fatal(err)
	}
	// The merged snapshot's segments are new: the old ones' bytes go.
	r, err := snapshot(bi)
	if err != nil {
		t.Fatal(err)
	}
	x.decodedFor(r.(*scorch.IndexSnapshot))
	r.Close()
	if after := x.dec.bytes.Load(); after != 0 || before == 0 {
		t.Errorf("decoded bytes %d before the merge, %d after it (want some, then none)", before, after)
	}
}
