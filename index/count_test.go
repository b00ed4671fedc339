package index

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
)

// countCase is a search and whether it counts on bitmaps: every
// relevance-ranked text search does (rank.go ranks it on postings and
// counts on the same bitmaps), and so do the count-only searches of the
// others (the counts of a facet with a selection).
type countCase struct {
	q       Query
	bitmaps bool
}

// countQueries are the shapes whose totals and facets may be counted on
// bitmaps, and some whose counts go through bleve (phrases, date ranges),
// over text taken from the corpus at hand.
func countQueries(words []string, source string) []countCase {
	all := []string{FacetSource, FacetLang, FacetDate, FacetPerson, FacetPlace, FacetOrg}
	var cs []countCase
	add := func(bitmaps bool, q Query) {
		q.Facets = all
		cs = append(cs, countCase{q, bitmaps})
	}
	w := words
	add(true, Query{Text: w[0]})
	add(true, Query{Text: w[0] + " " + w[1]})
	add(true, Query{Text: w[0] + " " + w[1] + " " + w[2], Match: MatchAll})
	add(true, Query{Text: w[1] + " " + w[2], Match: MatchAny})
	add(true, Query{Text: w[0] + " -" + w[1]})
	add(true, Query{Text: w[2] + " " + w[0] + " -" + w[1]})
	add(true, Query{Text: w[2][:len(w[2])-1]})               // a prefix
	add(true, Query{Text: w[1][:1] + w[1][2:] + " " + w[0]}) // a typo
	add(true, Query{Text: w[0], Filters: map[string][]string{FacetSource: {source}}})
	add(true, Query{Text: w[0] + " " + w[2], Filters: map[string][]string{FacetLang: {"en"}, FacetSource: {source}}})
	add(true, Query{Filters: map[string][]string{FacetSource: {source}}})
	add(true, Query{Text: `"` + w[0] + " " + w[1] + `"`})
	add(true, Query{Text: `"` + w[0] + " " + w[1] + `" ` + w[2]}) // a phrase among the clauses
	add(true, Query{Text: `"` + w[1] + " " + w[2] + `"`})         // a phrase the fixture's writes add to
	add(true, Query{Text: w[0] + " " + w[2], DateFrom: time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)})
	add(true, Query{Text: "zzzqqxnotaword"})
	// Ranked on postings: typo, prefix and name alternatives, pages that
	// run across tiers, a top tier with no article, a deep MatchAny page.
	add(true, Query{Text: w[0] + " " + w[1][:len(w[1])-1], Typos: true, Prefix: true})
	add(true, Query{Text: w[1][:1] + w[1][2:] + " " + w[2], Typos: true, Prefix: true})
	add(true, Query{Text: w[0] + " " + w[1] + " " + w[2], From: 3, Size: 40})
	add(true, Query{Text: w[0] + " zzzqqxnotaword", Size: 5})
	add(true, Query{Text: w[2] + " " + w[1], Match: MatchAny, From: 10, Size: 50})
	add(true, Query{Text: "Putin " + w[0], Typos: true, Prefix: true})
	add(true, Query{Text: w[0] + "-" + w[1] + " " + w[2]}) // a compound: words and phrase
	add(true, Query{Text: "中俄关系 Путину " + w[0], Typos: true, Prefix: true})
	// Sorted by date, ranked on postings with the date column.
	add(true, Query{Text: w[0], Sort: SortNewest})
	add(true, Query{Text: w[0] + " " + w[1], Sort: SortOldest, Size: 3})
	add(true, Query{Text: w[0] + " " + w[1] + " " + w[2], Sort: SortNewest, From: 3, Size: 40})
	add(true, Query{Text: w[1] + " -" + w[2], Sort: SortOldest, Filters: map[string][]string{FacetSource: {source}}})
	add(true, Query{Text: `"` + w[0] + " " + w[1] + `" ` + w[2], Sort: SortNewest, Size: 2})
	add(true, Query{Text: w[2] + " " + w[0], Match: MatchAny, Sort: SortOldest, From: 7, Size: 15, Typos: true, Prefix: true})
	// Restricted to the title.
	add(true, Query{Text: "title:" + w[0] + " " + w[1]})
	add(true, Query{Text: w[0] + " -title:" + w[1], Typos: true, Prefix: true})
	add(true, Query{Text: `title:"` + w[0] + " " + w[1] + `" ` + w[2], Sort: SortNewest})
	add(true, Query{Text: "title:" + w[2] + " OR " + w[1], Match: MatchAny, Size: 40})
	// Without text: every article, newest first unless asked otherwise.
	add(true, Query{})
	add(true, Query{Sort: SortOldest, From: 2, Size: 5})
	add(true, Query{Sort: SortRelevance, Filters: map[string][]string{FacetLang: {"en"}}})
	add(true, Query{Text: "-" + w[1], Size: 30})
	add(true, Query{DateTo: time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)})
	// A date range with selected facets: the search and the facets'
	// counts, some concurrent, share the range's matches (plan.dates).
	add(true, Query{Text: w[0] + " " + w[2], DateFrom: time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), Filters: map[string][]string{FacetLang: {"en"}, FacetSource: {source}}})
	add(true, Query{DateTo: time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC), Filters: map[string][]string{FacetSource: {source}}})
	return cs
}

// checkBitmapCounts runs each query counted on bitmaps and through bleve's
// collector, and requires the same results.
func checkBitmapCounts(t *testing.T, x *Index, cs []countCase) {
	t.Helper()
	x.cache = nil
	waitColumns(t, x)
	// Ranked on postings twice: read through zap's iterators, and from
	// decoded postings (postings.go), every term of every segment decoded.
	x.dec.minDocs, x.dec.minDF = 1, 1
	defer func() { x.dec.off = false }()
	decoded := func(on bool) {
		x.dec.mu.Lock()
		x.dec.off, x.dec.segs = !on, nil
		x.dec.mu.Unlock()
	}
	for _, c := range cs {
		q := c.q
		for _, on := range []bool{false, true} {
			decoded(on)
			got, want, used := bothPaths(t, x, q)
			if got.Total != want.Total {
				t.Errorf("%+v (decoded %v): total %d on bitmaps, %d by bleve", q, on, got.Total, want.Total)
			}
			if !reflect.DeepEqual(got.Facets, want.Facets) {
				t.Errorf("%+v (decoded %v): facets on bitmaps %+v\nby bleve %+v", q, on, got.Facets, want.Facets)
			}
			if g, w := hitIDs(got), hitIDs(want); !reflect.DeepEqual(g, w) {
				t.Errorf("%+v (decoded %v): hits %v on postings, %v through bleve", q, on, g, w)
			} else if !reflect.DeepEqual(got.Hits, want.Hits) {
				t.Errorf("%+v (decoded %v): the same hits differ in score, highlights or matches:\n%+v\n%+v", q, on, got.Hits, want.Hits)
			}
			if used != c.bitmaps {
				t.Errorf("%+v: counted on bitmaps %v, want %v", q, used, c.bitmaps)
			}
		}
	}
}

// checkSamePages fails t for each query whose page, total or count with
// every word differs between the postings path and bleve's (bothPaths).
func checkSamePages(t *testing.T, x *Index, qs ...Query) {
	t.Helper()
	for _, q := range qs {
		got, want, _ := bothPaths(t, x, q)
		if !reflect.DeepEqual(got.Hits, want.Hits) || got.Total != want.Total || !reflect.DeepEqual(got.TotalAll, want.TotalAll) {
			t.Errorf("%+v: on postings %v (%d, %s with every word), through bleve %v (%d, %s)", q, hitIDs(got), got.Total, totalAll(got), hitIDs(want), want.Total, totalAll(want))
		}
	}
}

// bothPaths runs q on postings (got, and whether it was ranked or counted
// there) and through bleve's collector (want) on the same snapshot: the
// two see the same scores only when scorch merges no segments between
// them.
func bothPaths(t *testing.T, x *Index, q Query) (got, want Results, used bool) {
	t.Helper()
	for try := 0; ; try++ {
		before, done := liveSnapshot(t, x)
		done()
		got, used = searchFreshColumns(t, x, q)
		x.cols.noBitmaps.Store(true)
		want = mustSearch(t, x, q)
		x.cols.noBitmaps.Store(false)
		after, done := liveSnapshot(t, x)
		done()
		if before == after || try == 20 {
			if (got.TotalAll == nil) != (want.TotalAll == nil) || got.TotalAll != nil && *got.TotalAll != *want.TotalAll {
				t.Errorf("%+v: total_all %v on postings, %v through bleve", q, got.TotalAll, want.TotalAll)
			}
			return got, want, used
		}
	}
}

// searchFreshColumns runs q with the facet columns current, and reports
// whether it was counted on bitmaps. Scorch merges a fixture's segments
// in the background, and a search that meets a snapshot newer than the
// columns takes bleve's path (with the same results): a search that did
// not count on bitmaps is run again, up to five times, before it counts
// as not taking them.
func searchFreshColumns(t *testing.T, x *Index, q Query) (Results, bool) {
	t.Helper()
	for try := 0; ; try++ {
		waitColumns(t, x)
		before := x.cols.bitmaps.Load() + x.cols.direct.Load()
		res := mustSearch(t, x, q)
		used := x.cols.bitmaps.Load()+x.cols.direct.Load() > before
		if used || try == 5 {
			return res, used
		}
	}
}

// TestCount_bitmapsMatchCollector: totals and facets counted on bitmaps
// are those bleve's collector counts, over several segments and with
// deleted and replaced articles.
func TestCount_bitmapsMatchCollector(t *testing.T) {
	t.Parallel()
	x := openFixture(t)
	ctx := context.Background()
	res := mustSearch(t, x, Query{Size: 3})
	if len(res.Hits) < 3 {
		t.Fatalf("fixture: %d articles, want 3", len(res.Hits))
	}
	// A new segment, a replaced article and a deleted one.
	a, err := Prepare(Article{ID: "count-new", Title: "Russia and China sign a trade deal", Body: "Moscow and Beijing agreed on trade cooperation.",
		Source: "Count Wire", Lang: "en", Date: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	old, err := x.Article(ctx, res.Hits[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	old.Body += " Trade cooperation grew."
	if err := x.Add(ctx, []Article{a, old}); err != nil {
		t.Fatal(err)
	}
	if err := x.Delete(ctx, res.Hits[1].ID); err != nil {
		t.Fatal(err)
	}
	checkBitmapCounts(t, x, countQueries([]string{"china", "trade", "cooperation"}, "Count Wire"))
}

// TestCount_bitmapsMatchCollector_corpus does the same over the BBC
// corpus (2,225 articles), when ../shared/corpus is present.
func TestCount_bitmapsMatchCollector_corpus(t *testing.T) {
	t.Parallel()
	x := openCorpus(t, "bbc")
	src := facetsOf(t, x, Query{Facets: []string{FacetSource}})[0].Buckets[0].Value
	for _, words := range [][]string{
		{"election", "labour", "government"},
		{"film", "award", "music"},
		{"economy", "growth", "market"},
		{"mobile", "phone", "software"},
	} {
		checkBitmapCounts(t, x, countQueries(words, src))
	}
}

// TestSegmentSet_local: a segment's share of a snapshot-wide set is its
// documents numbered from the segment's start, for the first segment and
// for later ones, with the snapshot-wide set left as it was.
func TestSegmentSet_local(t *testing.T) {
	t.Parallel()
	// Three batches, three segments: a batch returns once persisted, and
	// the merge policy, its floor at one document, budgets a segment per
	// smallest segment's worth of documents (12/3 = 4) and merges none.
	bi, err := bleve.NewUsing(t.TempDir(), bleve.NewIndexMapping(), scorch.Name, scorch.Name,
		map[string]any{"scorchMergePlanOptions": map[string]any{"MaxSegmentsPerTier": 100, "SegmentsPerMergeTask": 100, "FloorSegmentSize": 1}})
	if err != nil {
		t.Fatal(err)
	}
	defer bi.Close()
	for b, n := range []int{5, 3, 4} {
		batch := bi.NewBatch()
		for i := range n {
			if err := batch.Index(fmt.Sprintf("b%d-%d", b, i), map[string]any{"text": "an article"}); err != nil {
				t.Fatal(err)
			}
		}
		if err := bi.Batch(batch); err != nil {
			t.Fatal(err)
		}
	}
	sets := segmentSets(segmentsSnapshot(t, bi, 3))
	last := sets[len(sets)-1].end()
	global := roaring.New()
	for d := uint64(0); d < last; d += 2 {
		global.Add(uint32(d))
	}
	global.Add(uint32(last + 1000)) // past every segment
	before := global.Clone()
	for i, s := range sets {
		want := roaring.New()
		for d := s.offset; d < s.end(); d++ {
			if global.Contains(uint32(d)) {
				want.Add(uint32(d - s.offset))
			}
		}
		if got := s.local(global); !got.Equals(want) {
			t.Errorf("segment %d (documents %d to %d): local %v, want %v", i, s.offset, s.end(), got.ToArray(), want.ToArray())
		}
	}
	if !global.Equals(before) {
		t.Errorf("local changed the snapshot-wide set")
	}
	if got := sets[0].local(roaring.New()); !got.IsEmpty() {
		t.Errorf("local of an empty set: %v", got.ToArray())
	}
}

// segmentsSnapshot returns bi's current snapshot, closed when the test
// ends, and fails the test unless it holds want segments.
func segmentsSnapshot(t *testing.T, bi bleve.Index, want int) *scorch.IndexSnapshot {
	t.Helper()
	r, err := snapshot(bi)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	snap := r.(*scorch.IndexSnapshot)
	if n := len(snap.Segments()); n != want {
		t.Fatalf("%d segments, want %d", n, want)
	}
	return snap
}
