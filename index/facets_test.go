package index

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
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

// TestFacets_columnsMatchDocvalues: counting from the in-memory columns
// gives exactly the counts read from docvalues, for every facet, with and
// without text and filters.
func TestFacets_columnsMatchDocvalues(t *testing.T) {
	t.Parallel()
	x := openFixture(t)
	x.cache = nil // every search must count
	var slow [][]Facet
	for _, q := range allFacetQueries() {
		x.cols.cur.Store(nil) // no columns: the docvalue path
		x.cols.building.Store(true)
		slow = append(slow, facetsOf(t, x, q))
		x.cols.building.Store(false)
	}
	if x.cols.fast.Load() != 0 {
		t.Fatalf("%d searches counted from columns that were dropped", x.cols.fast.Load())
	}
	waitColumns(t, x)
	// Both column forms are compared: one value per article, and several.
	if c := x.cols.cur.Load().fields[fieldSource]; c.single == nil {
		t.Error("the source column is not in its single-value form")
	}
	if c := x.cols.cur.Load().fields[fieldPerson]; c.single != nil {
		t.Error("the person column has no article with two people: the multi-value form goes untested")
	}
	fromColumns := func() uint64 { return x.cols.fast.Load() + x.cols.bitmaps.Load() + x.cols.direct.Load() }
	fast0 := fromColumns()
	for i, q := range allFacetQueries() {
		got := facetsOf(t, x, q)
		if !reflect.DeepEqual(got, slow[i]) {
			t.Errorf("query %+v: from columns %+v, from docvalues %+v", q, got, slow[i])
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
// for a set in the first segment and one further on (an offset).
func TestFacetTally_setsMatchWalk(t *testing.T) {
	t.Parallel()
	const docs = 5000
	rng := rand.New(rand.NewPCG(1, 2))
	c := &facetColumn{values: []string{"a", "b", "c", "d", "e"}, offsets: []uint32{0}}
	for range docs {
		if rng.IntN(10) > 0 { // some documents have no value
			c.ords = append(c.ords, uint32(rng.IntN(len(c.values))))
		}
		c.offsets = append(c.offsets, uint32(len(c.ords)))
	}
	c.compact()
	if c.sets == nil {
		t.Fatal("a five-value column has no value bitmaps")
	}
	for _, offset := range []uint64{0, 1234} {
		for _, n := range []int{3, 400, 3000} { // below and above setCountFactor per value
			bm := roaring.New()
			for range n {
				bm.Add(uint32(rng.IntN(docs - int(offset))))
			}
			walk := &facetTally{cols: []*facetColumn{c}, counts: [][]uint32{make([]uint32, 5)}}
			it := bm.Iterator()
			for it.HasNext() {
				walk.addDoc(offset + uint64(it.Next()))
			}
			sets := &facetTally{cols: []*facetColumn{c}, counts: [][]uint32{make([]uint32, 5)}}
			sets.addSet(bm, offset)
			if !reflect.DeepEqual(sets.counts, walk.counts) {
				t.Errorf("offset %d, %d matches: intersections count %v, the walk %v", offset, bm.GetCardinality(), sets.counts, walk.counts)
			}
		}
	}
}

// BenchmarkFacetTally counts one facet (12 values, like a year of months)
// over 20,000 of 108,000 documents, by walking the matches and by
// intersecting them with each value's documents.
func BenchmarkFacetTally(b *testing.B) {
	const docs, matches = 108000, 20000
	rng := rand.New(rand.NewPCG(3, 4))
	c := &facetColumn{offsets: []uint32{0}}
	for i := range 12 {
		c.values = append(c.values, fmt.Sprintf("1987-%02d", i+1))
	}
	for d := range docs {
		c.ords = append(c.ords, uint32(d*12/docs))
		c.offsets = append(c.offsets, uint32(len(c.ords)))
	}
	c.compact()
	bm := roaring.New()
	for range matches {
		bm.Add(uint32(rng.IntN(docs)))
	}
	for _, mode := range []string{"walk", "sets"} {
		b.Run(mode, func(b *testing.B) {
			b.ReportAllocs()
			t := &facetTally{cols: []*facetColumn{c}, counts: [][]uint32{make([]uint32, 12)}}
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
