package index

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

// TestSearch_dateWindow: a search without text, sorted by date, ranks only
// the months that must hold its page, and returns exactly the page a full
// sort gives: newest and oldest, first and later pages, articles without a
// date last.
func TestSearch_dateWindow(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	for i := range 60 {
		date := fmt.Sprintf("2025-%02d-%02d", 1+i%12, 1+i%28)
		if i%10 == 9 {
			date = "" // undated articles sort last
		}
		source := "S"
		if i < 3 {
			source = "Old" // three of the oldest months' articles
		}
		fmt.Fprintf(&b, `{"id":"w%02d","title":"Window %d","body":"Body %d.","date":%q,"source":%q,"lang":"en"}`+"\n", i, i, i, date, source)
	}
	x, err := openMap(t, t.TempDir(), fstest.MapFS{"w.jsonl": {Data: []byte(b.String())}})
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	x.cache = nil
	// The window is bleve's path: with current columns, searches without
	// text are ranked on postings (rank.go), compared below.
	x.cols.noBitmaps.Store(true)
	ctx := context.Background()
	queries := []Query{
		{Size: 10}, {Size: 10, From: 10}, {Size: 7, From: 30},
		{Size: 10, Sort: SortOldest}, {Size: 10, From: 40, Sort: SortOldest},
		{Size: 10, From: 50}, // reaches the undated articles: no window
		{Size: 5, Facets: DefaultFacets()},
		{Size: 10, Filters: map[string][]string{FacetLang: {"en"}}, Facets: DefaultFacets()},
		// Outside the newest months: the window holds none, so run ranks all.
		{Size: 10, Filters: map[string][]string{FacetSource: {"Old"}}, Facets: DefaultFacets()},
	}
	var facets [][]Facet
	var totals []uint64
	ids := func(q Query) []string {
		t.Helper()
		res, err := x.Search(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		facets = append(facets, res.Facets)
		totals = append(totals, res.Total)
		var out []string
		for _, h := range res.Hits {
			out = append(out, h.ID)
		}
		return out
	}
	// The full sort: no columns, so no window.
	x.cols.building.Store(true)
	var want [][]string
	for _, q := range queries {
		want = append(want, ids(q))
	}
	x.cols.building.Store(false)
	if x.cols.windows.Load() != 0 {
		t.Fatal("a window was used without columns")
	}
	waitColumns(t, x)
	slowFacets, slowTotals := facets, totals
	facets, totals = nil, nil
	if slowTotals[0] != 60 || slowTotals[len(queries)-1] != 3 {
		t.Fatalf("totals %v: want 60 first and 3 (source Old) last", slowTotals)
	}
	for i, q := range queries {
		if got := ids(q); !slices.Equal(got, want[i]) {
			t.Errorf("%+v: windowed %v, full sort %v", q, got, want[i])
		}
		if totals[i] != slowTotals[i] {
			t.Errorf("%+v: total %d, want %d", q, totals[i], slowTotals[i])
		}
		if !reflect.DeepEqual(facets[i], slowFacets[i]) {
			t.Errorf("%+v: facets from the columns' totals %+v, counted %+v", q, facets[i], slowFacets[i])
		}
	}
	if n := x.cols.windows.Load(); n < 6 {
		t.Errorf("%d of the searches used a date window, want at least 6", n)
	}
	if got := want[len(queries)-1]; !slices.Equal(got, []string{"w02", "w01", "w00"}) {
		t.Errorf("source Old, newest first: %v, want w02 w01 w00", got)
	}
	x.cols.noBitmaps.Store(false)
	direct0 := x.cols.direct.Load()
	for i, q := range queries {
		if got := ids(q); !slices.Equal(got, want[i]) {
			t.Errorf("%+v: on postings %v, full sort %v", q, got, want[i])
		}
	}
	if n := x.cols.direct.Load() - direct0; n != uint64(len(queries)) {
		t.Errorf("%d of %d searches ranked on postings", n, len(queries))
	}
}
