package index

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
)

// allFacets asks for every facet, with a filter so that one facet also
// takes the disjunctive path (a search of its own).
func allFacetQueries() []Query {
	return []Query{
		{Facets: FacetNames()},
		{Text: "Russia", Facets: FacetNames()},
		{Text: "trade cooperation", Facets: FacetNames()},
		{Text: "Russia", Facets: FacetNames(), Filters: map[string][]string{FacetLang: {"en"}}},
	}
}

// waitColumns waits until the facet columns are those of the live
// snapshot: a search then counts from them.
func waitColumns(t testing.TB, x *Index) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !columnsCurrent(t, x) {
		if time.Now().After(deadline) {
			t.Fatal("facet columns were not built within 10 s")
		}
		x.refreshColumns()
		time.Sleep(20 * time.Millisecond)
	}
}

func columnsCurrent(t testing.TB, x *Index) bool {
	t.Helper()
	snap, done := liveSnapshot(t, x)
	defer done()
	c := x.cols.cur.Load()
	return c != nil && c.snap == snap
}

// liveSnapshot returns the scorch snapshot searches of x read now.
func liveSnapshot(t testing.TB, x *Index) (*scorch.IndexSnapshot, func()) {
	t.Helper()
	bi, done, err := x.reader()
	if err != nil {
		t.Fatal(err)
	}
	defer done()
	r, err := snapshot(bi)
	if err != nil {
		t.Fatal(err)
	}
	return r.(*scorch.IndexSnapshot), func() { r.Close() }
}

func facetsOf(t *testing.T, x *Index, q Query) []Facet {
	t.Helper()
	res, err := x.Search(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	return res.Facets
}

// TestFacets_columnsMatchPostings: counting from the in-memory columns
// (each value's postings inverted) gives exactly the counts of the slow
// way (the matches intersected with each value's postings), for every
// facet, with and without text and filters.
func TestFacets_columnsMatchPostings(t *testing.T) {
	t.Parallel()
	x := openFixture(t)
	x.cache = nil // every search must count
	var slow [][]Facet
	for _, q := range allFacetQueries() {
		x.cols.cur.Store(nil) // no columns: the slow way
		x.cols.building.Store(true)
		slow = append(slow, facetsOf(t, x, q))
		x.cols.building.Store(false)
	}
	if x.cols.fast.Load() != 0 {
		t.Fatalf("%d searches counted from columns that were dropped", x.cols.fast.Load())
	}
	waitColumns(t, x)
	// Both column forms are compared: one value per article, and several.
	column := func(field string) *facetColumn {
		return x.cols.cur.Load().segs[0].cols[fieldColumn(field)]
	}
	if c := column(fieldSource); c.single == nil {
		t.Error("the source column is not in its single-value form")
	}
	if c := column(fieldPerson); c.single != nil {
		t.Error("the person column has no article with two people: the multi-value form goes untested")
	}
	fromColumns := func() uint64 { return x.cols.fast.Load() + x.cols.bitmaps.Load() + x.cols.direct.Load() }
	fast0 := fromColumns()
	for i, q := range allFacetQueries() {
		got := facetsOf(t, x, q)
		if !reflect.DeepEqual(got, slow[i]) {
			t.Errorf("query %+v: from columns %+v, the slow way %+v", q, got, slow[i])
		}
	}
	if fromColumns() == fast0 {
		t.Error("the searches did not count from the columns")
	}
	if n := len(slow[0]); n != len(FacetNames()) {
		t.Fatalf("%d facets, want %d", n, len(FacetNames()))
	}
	for _, f := range slow[0] {
		if len(f.Buckets) == 0 {
			t.Errorf("facet %s has no buckets over the whole fixture", f.Name)
		}
	}
}

// TestFacets_afterWrites: a write is counted by the very next search,
// before the columns catch up, and after they have.
func TestFacets_afterWrites(t *testing.T) {
	t.Parallel()
	x := openFixture(t)
	x.cache = nil // every search must count
	ctx := context.Background()
	waitColumns(t, x)
	q := Query{Facets: []string{FacetSource, FacetLang, FacetPerson}}
	count := func(facet, value string) int {
		for _, f := range facetsOf(t, x, q) {
			if f.Name == facet {
				for _, b := range f.Buckets {
					if b.Value == value {
						return b.Count
					}
				}
			}
		}
		return 0
	}
	a, err := Prepare(Article{ID: "facet-new", Title: "Putin visits", Body: "President Vladimir Putin arrived in the city.",
		Source: "Facet Test Wire", Lang: "en", Date: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	putin := count(FacetPerson, "Vladimir Putin")
	if err := x.Add(ctx, []Article{a}); err != nil {
		t.Fatal(err)
	}
	if got := count(FacetSource, "Facet Test Wire"); got != 1 {
		t.Errorf("right after the write: source count %d, want 1", got)
	}
	if got := count(FacetPerson, "Vladimir Putin"); got != putin+1 {
		t.Errorf("right after the write: Putin count %d, want %d", got, putin+1)
	}
	waitColumns(t, x)
	if got := count(FacetSource, "Facet Test Wire"); got != 1 {
		t.Errorf("from rebuilt columns: source count %d, want 1", got)
	}
	if err := x.Delete(ctx, "facet-new"); err != nil {
		t.Fatal(err)
	}
	if got := count(FacetSource, "Facet Test Wire"); got != 0 {
		t.Errorf("right after the delete: source count %d, want 0", got)
	}
	waitColumns(t, x)
	if got := count(FacetSource, "Facet Test Wire"); got != 0 {
		t.Errorf("from rebuilt columns after the delete: source count %d, want 0", got)
	}
	if got := count(FacetPerson, "Vladimir Putin"); got != putin {
		t.Errorf("after the delete: Putin count %d, want %d", got, putin)
	}
}

// TestFacetTally_setsMatchWalk: counting a match set by intersecting it
// with each value's documents gives the counts of walking its documents,
// in the first segment and in one further on.
func TestFacetTally_setsMatchWalk(t *testing.T) {
	t.Parallel()
	const docs = 5000
	rng := rand.New(rand.NewPCG(1, 2))
	cols := oneFacetColumns([]string{"a", "b", "c", "d", "e"}, docs, func(int) []uint32 {
		if rng.IntN(10) == 0 { // some documents have no value
			return nil
		}
		return []uint32{uint32(rng.IntN(5))}
	})
	if cols.segs[1].cols[0].sets == nil {
		t.Fatal("a five-value column has no value bitmaps")
	}
	for seg := range cols.segs {
		for _, n := range []int{3, 400, 3000} { // below and above setCountFactor per value
			bm := roaring.New()
			for range n {
				bm.Add(uint32(rng.IntN(docs)))
			}
			walk := newTally([]string{facetDefs[0].name})
			walk.useColumns(cols)
			it := bm.Iterator()
			for it.HasNext() {
				walk.addDoc(cols.offsets[seg] + uint64(it.Next()))
			}
			sets := newTally([]string{facetDefs[0].name})
			sets.useColumns(cols)
			sets.addSet(bm, seg)
			if !reflect.DeepEqual(sets.counts, walk.counts) {
				t.Errorf("segment %d, %d matches: intersections count %v, the walk %v", seg, bm.GetCardinality(), sets.counts, walk.counts)
			}
		}
	}
}

// oneFacetColumns returns the columns of two segments of docs documents
// each, where document d of each has values(d) of the first facet's field.
func oneFacetColumns(values []string, docs int, ords func(d int) []uint32) *facetColumns {
	cols := &facetColumns{values: make([][]string, len(facetDefs))}
	cols.values[0] = values
	for seg := range 2 {
		sc := &segColumns{cols: make([]*facetColumn, len(facetDefs)), dates: make([]int64, docs)}
		for f := range sc.cols {
			sc.cols[f] = &facetColumn{offsets: make([]uint32, docs+1)}
		}
		c := sc.cols[0]
		for d := range docs {
			c.ords = append(c.ords, ords(d)...)
			c.offsets[d+1] = uint32(len(c.ords))
		}
		for f, c := range sc.cols {
			c.compact(len(cols.values[f]))
		}
		cols.segs = append(cols.segs, sc)
		cols.offsets = append(cols.offsets, uint64(seg*docs))
	}
	return cols
}

// BenchmarkFacetTally counts one facet (12 values, like a year of months)
// over 20,000 of 108,000 documents, by walking the matches and by
// intersecting them with each value's documents.
func BenchmarkFacetTally(b *testing.B) {
	const docs, matches = 108000, 20000
	rng := rand.New(rand.NewPCG(3, 4))
	var values []string
	for i := range 12 {
		values = append(values, fmt.Sprintf("1987-%02d", i+1))
	}
	cols := oneFacetColumns(values, docs, func(d int) []uint32 { return []uint32{uint32(d * 12 / docs)} })
	bm := roaring.New()
	for range matches {
		bm.Add(uint32(rng.IntN(docs)))
	}
	for _, mode := range []string{"walk", "sets"} {
		b.Run(mode, func(b *testing.B) {
			b.ReportAllocs()
			t := newTally([]string{facetDefs[0].name})
			t.useColumns(cols)
			for b.Loop() {
				if mode == "sets" {
					t.addSet(bm, 0)
					continue
				}
				it := bm.Iterator()
				for it.HasNext() {
					t.addDoc(uint64(it.Next()))
				}
			}
		})
	}
}

// TestFacets_columnsFollowWrites: after each write (a new article, a
// replaced one, a deletion), the next search counts from columns, built
// for the new segment in the search itself, and its totals and facets are
// those read from docvalues: deleted and replaced articles are not
// counted, in match sets or in the whole-index totals.
func TestFacets_columnsFollowWrites(t *testing.T) {
	t.Parallel()
	x := openFixture(t)
	x.cache = nil
	ctx := context.Background()
	waitColumns(t, x)
	queries := append(allFacetQueries(), Query{Text: "Russia", Sort: SortNewest, Facets: FacetNames()})
	var ids []string
	for i := range 12 {
		switch {
		case i%4 == 3 && len(ids) > 0: // a deletion
			if err := x.Delete(ctx, ids[0]); err != nil {
				t.Fatal(err)
			}
			ids = ids[1:]
		case i%4 == 2 && len(ids) > 0: // a replacement, in another month
			a, err := x.Article(ctx, ids[len(ids)-1])
			if err != nil {
				t.Fatal(err)
			}
			a.Source, a.Date = "Follow Desk B", a.Date.AddDate(0, -2, 0)
			mustAdd(t, x, a)
		default: // a new article, with a person
			id := fmt.Sprintf("follow-%d", i)
			mustAdd(t, x, Article{ID: id, Title: "Russia and trade cooperation", Body: "Vladimir Putin spoke about Russia and trade cooperation.",
				Source: "Follow Desk", Lang: "en", Date: time.Date(2026, time.Month(1+i%12), 3, 0, 0, 0, 0, time.UTC)})
			ids = append(ids, id)
		}
		for _, q := range queries {
			fast0 := x.cols.fast.Load() + x.cols.bitmaps.Load() + x.cols.direct.Load() + x.cols.windows.Load()
			got := mustSearch(t, x, q)
			if x.cols.fast.Load()+x.cols.bitmaps.Load()+x.cols.direct.Load()+x.cols.windows.Load() == fast0 {
				t.Errorf("write %d, %+v: not counted from columns", i, q)
			}
			want := searchDocvalues(t, x, q)
			if got.Total != want.Total || !reflect.DeepEqual(got.Facets, want.Facets) {
				t.Errorf("write %d, %+v: from columns %d %+v\nfrom docvalues %d %+v", i, q, got.Total, got.Facets, want.Total, want.Facets)
			}
		}
	}
}

// TestFacets_deadValuesDropped: values of replaced articles stay in the
// columns' dictionaries, shared by every segment, until they have doubled;
// a background build then starts them again from the live segments, and
// the counts stay right: after 40 edits, each with a new source, at most
// half of those sources are still numbered. Without it, a stream of edits
// to a large index would grow them without end. The columns and typo
// walks kept per segment forget the segments merged away.
func TestFacets_deadValuesDropped(t *testing.T) {
	t.Parallel()
	// A build of a few thousand articles makes a segment that the small
	// segments of later writes do not merge with.
	var b strings.Builder
	for i := range 3000 {
		fmt.Fprintf(&b, `{"id":"base-%d","title":"Base %d","body":"A base article.","source":"Base Desk","lang":"en"}`+"\n", i, i)
	}
	x := openJSONL(t, b.String())
	x.cols.slack = 0
	waitColumns(t, x)
	started := func() int {
		x.cols.segMu.Lock()
		defer x.cols.segMu.Unlock()
		return x.cols.started
	}
	first := started()
	source := fieldColumn(fieldSource)
	dictSize := func() int {
		x.cols.segMu.Lock()
		defer x.cols.segMu.Unlock()
		return len(x.cols.dicts[source].values)
	}
	peak := 0
	for i := range 40 {
		mustAdd(t, x, Article{ID: "dead-value", Title: "Dead value", Body: "A source that changes with every write.", Source: fmt.Sprintf("Desk %d", i), Lang: "en"})
		mustSearch(t, x, Query{Text: "sourse", Typos: true, Facets: DefaultFacets()})
		peak = max(peak, dictSize())
	}
	// The restart the last writes asked for may wait for the rate limit
	// on background builds.
	settle := func() {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for x.cols.stale.Load() || x.cols.building.Load() {
			if time.Now().After(deadline) {
				t.Fatal("the dictionaries' restart did not run within 10 s")
			}
			x.refreshColumns()
			time.Sleep(20 * time.Millisecond)
		}
		waitColumns(t, x)
	}
	settle()
	if started() == first {
		t.Fatal("the writes never restarted the dictionaries")
	}
	// A restart keeps the values of the replaced articles whose segments
	// scorch has not merged away yet; on a loaded machine (three test
	// runs at once) it merges later, and the restart had kept all 41.
	// Restart again while it catches up.
	for deadline := time.Now().Add(20 * time.Second); dictSize() > 20 && time.Now().Before(deadline); {
		time.Sleep(200 * time.Millisecond)
		x.cols.stale.Store(true)
		settle()
	}
	// What is kept per segment forgets the segments merged away.
	snap, done := liveSnapshot(t, x)
	live := len(snap.Segments())
	done()
	x.cols.segMu.Lock()
	cols := len(x.cols.segs)
	x.cols.segMu.Unlock()
	x.walks.mu.Lock()
	walks := len(x.walks.segs)
	x.walks.mu.Unlock()
	if cols > 2*live+8 || walks > 2*live+8 || walks == 0 {
		t.Errorf("%d live segments; columns kept for %d, typo walks for %d", live, cols, walks)
	}
	res := mustSearch(t, x, Query{Facets: []string{FacetSource}})
	// Values are kept until the dictionaries double since their last
	// restart, and a restart keeps the values of deleted articles that
	// scorch has not merged away yet: the bound is not the live values,
	// but it is far below the 41 sources written.
	if got := dictSize(); got > 20 {
		t.Errorf("source dictionary holds %d of the 41 source values written, %d of them live (peak %d): dead values were not dropped",
			got, len(res.Facets[0].Buckets), peak)
	}
	if !slices.ContainsFunc(res.Facets[0].Buckets, func(b Bucket) bool { return b.Value == "Desk 39" && b.Count == 1 }) {
		t.Errorf("source facet %+v lacks Desk 39", res.Facets[0].Buckets)
	}
}

// TestFacets_commonestDerived: a segment whose every article has a source
// counts its commonest source as the rest of the match set, with the
// same counts as docvalues give; renumbering a segment's values into the
// shared dictionaries renumbers its commonest value too.
func TestFacets_commonestDerived(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	for i := range 40 {
		source := "Alpha"
		if i%3 == 1 {
			source = "Beta"
		}
		fmt.Fprintf(&b, `{"id":"a%d","title":"Grain report %d","body":"The grain harvest.","date":"2026-01-02","source":%q,"lang":"en"}`+"\n", i, i, source)
	}
	x := openJSONL(t, b.String())
	x.cache = nil
	waitColumns(t, x)
	var arts []Article
	for i := range 60 {
		source := "Beta"
		if i%4 == 1 {
			source = "Gamma"
		}
		arts = append(arts, Article{ID: fmt.Sprintf("b%d", i), Title: "Grain exports", Body: "The grain harvest was sold.",
			Source: source, Lang: "en", Date: time.Date(2026, 2, 3, 0, 0, 0, 0, time.UTC)})
	}
	mustAdd(t, x, arts...)
	for _, q := range []Query{{Text: "grain", Facets: DefaultFacets()}, {Text: "exports", Facets: DefaultFacets()}, {Facets: DefaultFacets()}} {
		got, used := searchFreshColumns(t, x, q)
		if !used {
			t.Fatalf("%+v: not counted from columns", q)
		}
		want := searchDocvalues(t, x, q)
		if got.Total != want.Total || !reflect.DeepEqual(got.Facets, want.Facets) {
			t.Errorf("%+v: from columns %d %+v\nfrom docvalues %d %+v", q, got.Total, got.Facets, want.Total, want.Facets)
		}
	}
}

// searchDocvalues runs q with the facet columns out of the way: totals
// and facets come from docvalues, on bleve's path.
func searchDocvalues(t *testing.T, x *Index, q Query) Results {
	t.Helper()
	cols := x.cols.cur.Load()
	x.cols.building.Store(true)
	x.cols.cur.Store(nil)
	defer func() {
		x.cols.cur.Store(cols)
		x.cols.building.Store(false)
	}()
	return mustSearch(t, x, q)
}

// TestFacetColumn_commonestRenumbered: compact finds the value most
// documents have, and renumbering the column's values renumbers it too.
func TestFacetColumn_commonestRenumbered(t *testing.T) {
	t.Parallel()
	// Documents' local ordinals: 0, 1, 1, 2, 1; value 1 is the commonest.
	c := &facetColumn{offsets: []uint32{0, 1, 2, 3, 4, 5}, ords: []uint32{0, 1, 1, 2, 1}}
	c.compact(3)
	if !c.everyDoc || c.commonest != 1 {
		t.Fatalf("compact: everyDoc %v, commonest %d; want true, 1", c.everyDoc, c.commonest)
	}
	c.renumber([]uint32{7, 4, 9})
	if c.commonest != 4 {
		t.Fatalf("renumbered commonest %d, want 4", c.commonest)
	}
	c = &facetColumn{offsets: []uint32{0, 1, 1, 2}, ords: []uint32{0, 0}}
	if c.compact(1); c.everyDoc {
		t.Fatal("a document without a value: everyDoc")
	}
}

// TestFacets_selectedOutsideTop: a selected value that is not among its
// facet's top values (50 sources) keeps its count, with and without text,
// alone and with another selected value; it had shown 0.
func TestFacets_selectedOutsideTop(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	line := func(id, source string) {
		fmt.Fprintf(&b, `{"id":%q,"title":"Harbour news","body":"The harbour opened.","date":"2026-01-02","source":%q,"lang":"en"}`+"\n", id, source)
	}
	for i := range 50 { // 50 sources of two articles each fill the top
		line(fmt.Sprintf("a%d", i), fmt.Sprintf("Wire %02d", i))
		line(fmt.Sprintf("b%d", i), fmt.Sprintf("Wire %02d", i))
	}
	line("rare", "Zulu Wire") // one article: 51st by count
	x := openJSONL(t, b.String())
	x.cache = nil
	sourceCounts := func(q Query) map[string]int {
		t.Helper()
		res, err := x.Search(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]int{}
		for _, f := range res.Facets {
			if f.Name == FacetSource {
				for _, b := range f.Buckets {
					got[b.Value] = b.Count
				}
			}
		}
		return got
	}
	check := func(when string) {
		t.Helper()
		for _, text := range []string{"", "harbour"} {
			q := Query{Text: text, Facets: []string{FacetSource}, Filters: map[string][]string{FacetSource: {"Zulu Wire"}}}
			if got := sourceCounts(q); got["Zulu Wire"] != 1 {
				t.Errorf("%s, q=%q source=Zulu Wire: its count %d, want 1", when, text, got["Zulu Wire"])
			}
			q.Filters[FacetSource] = []string{"Zulu Wire", "Wire 07"}
			if got := sourceCounts(q); got["Zulu Wire"] != 1 || got["Wire 07"] != 2 {
				t.Errorf("%s, q=%q two sources selected: Zulu Wire %d, Wire 07 %d, want 1 and 2", when, text, got["Zulu Wire"], got["Wire 07"])
			}
			q.Filters = nil
			if got := sourceCounts(q); len(got) != 50 {
				t.Errorf("%s, q=%q nothing selected: %d sources, want the top 50", when, text, len(got))
			}
		}
	}
	check("before the columns")
	waitColumns(t, x)
	check("from the columns")
}
