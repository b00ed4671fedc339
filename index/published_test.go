package index

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/search"
	bleveindex "github.com/blevesearch/bleve_index_api"
)

// TestDateRange_columnsMatchTerms: a date range matches the same live
// articles read from the date columns (counts and direct searches) and
// through bleve's term range (searches without current columns), and
// those are the articles dated in [from, to): over a build's segment and
// written ones, after deletions, with undated articles, at the bounds.
func TestDateRange_columnsMatchTerms(t *testing.T) {
	t.Parallel()
	day0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	dates := map[string]time.Time{} // live articles' dates; zero: undated
	var b strings.Builder
	for i := range 300 {
		id := fmt.Sprintf("b%03d", i)
		date := day0.AddDate(0, 0, 3*i)
		if i%11 == 10 {
			date = time.Time{}
		}
		dates[id] = date
		ds := ""
		if !date.IsZero() {
			ds = date.Format(time.DateOnly)
		}
		fmt.Fprintf(&b, `{"id":%q,"title":"Range %d","body":"Body %d.","date":%q,"source":"S","lang":"en"}`+"\n", id, i, i, ds)
	}
	x, err := openMap(t, t.TempDir(), fstest.MapFS{"r.jsonl": {Data: []byte(b.String())}})
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	ctx := context.Background()
	for i := range 40 {
		a := Article{ID: fmt.Sprintf("w%02d", i), Title: "Written", Body: "Written body.", Source: "S", Lang: "en", Date: day0.AddDate(0, 0, 7*i+1)}
		if err := x.Add(ctx, []Article{a}); err != nil {
			t.Fatal(err)
		}
		dates[a.ID] = a.Date
	}
	for _, id := range []string{"b000", "b003", "b150", "b299", "w00", "w17", "w39"} {
		if err := x.Delete(ctx, id); err != nil {
			t.Fatal(err)
		}
		delete(dates, id)
	}
	waitColumns(t, x)
	snap, done := liveSnapshot(t, x)
	defer done()
	t.Logf("%d segments", len(snap.Segments()))

	checkDateRanges(t, x, snap, day0, dates)
}

// TestDateRange_segments: the same over an in-memory index, where scorch
// keeps one segment per batch, with deletions in earlier segments.
func TestDateRange_segments(t *testing.T) {
	t.Parallel()
	bi, err := bleve.NewUsing("", newMapping(), scorch.Name, scorch.Name, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer bi.Close()
	day0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	dates := map[string]time.Time{}
	id := 0
	for _, n := range []int{50, 3, 1, 40, 17} {
		b := bi.NewBatch()
		for range n {
			id++
			a := Article{ID: fmt.Sprintf("s%03d", id), Title: "Seg", Body: "Body.", Lang: "en", Source: "S", Date: day0.AddDate(0, 0, 2*id)}
			if id%9 == 0 {
				a.Date = time.Time{}
			}
			if err := indexArticle(bi.Mapping(), b, &a, nil); err != nil {
				t.Fatal(err)
			}
			dates[a.ID] = a.Date
		}
		for _, del := range []string{fmt.Sprintf("s%03d", id-n-1), fmt.Sprintf("s%03d", id-n-7)} {
			if _, ok := dates[del]; ok {
				b.Delete(del)
				delete(dates, del)
			}
		}
		if err := bi.Batch(b); err != nil {
			t.Fatal(err)
		}
	}
	snap := segmentsSnapshot(t, bi, 5) // one per batch
	x := &Index{m: bi.Mapping()}
	if _, err := x.columnsOf(context.Background(), snap, math.MaxUint64); err != nil {
		t.Fatal(err)
	}
	checkDateRanges(t, x, snap, day0, dates)
}

// TestDateField_oneTermStoredDate: an article's date is one term of the
// published field, its docvalue for bleve's date sort, and comes back from
// the stored fields, for built and written articles alike.
func TestDateField_oneTermStoredDate(t *testing.T) {
	t.Parallel()
	data := `{"id":"a","title":"One","body":"Body.","date":"2025-03-04","source":"S","lang":"en"}` + "\n" +
		`{"id":"b","title":"Two","body":"Body.","date":"2025-03-04","source":"S","lang":"en"}` + "\n" +
		`{"id":"c","title":"Three","body":"Body.","date":"1999-12-31","source":"S","lang":"en"}` + "\n" +
		`{"id":"d","title":"Undated","body":"Body.","source":"S","lang":"en"}` + "\n"
	x := openJSONL(t, data)
	ctx := context.Background()
	if err := x.Add(ctx, []Article{{ID: "e", Title: "Written", Body: "Body.", Source: "S", Lang: "en", Date: time.Date(2030, 7, 1, 0, 0, 0, 0, time.UTC)}}); err != nil {
		t.Fatal(err)
	}
	snap, done := liveSnapshot(t, x)
	defer done()
	dict, err := snap.FieldDict(fieldPublished)
	if err != nil {
		t.Fatal(err)
	}
	defer dict.Close()
	terms := 0
	for e, err := dict.Next(); e != nil || err != nil; e, err = dict.Next() {
		if err != nil {
			t.Fatal(err)
		}
		terms++
	}
	// Three dates, one term each: no coarser-precision terms (bleve's
	// datetime field indexes sixteen a date).
	if terms != 3 {
		t.Errorf("%d published terms, want 3 (1999, 2025, 2030)", terms)
	}
	for id, want := range map[string]time.Time{
		"a": time.Date(2025, 3, 4, 0, 0, 0, 0, time.UTC),
		"c": time.Date(1999, 12, 31, 0, 0, 0, 0, time.UTC),
		"d": {},
		"e": time.Date(2030, 7, 1, 0, 0, 0, 0, time.UTC),
	} {
		a, err := x.Article(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if !a.Date.Equal(want) {
			t.Errorf("article %s dated %v, want %v", id, a.Date, want)
		}
	}
	// bleve's sort on the field reads the docvalues.
	x.cache = nil
	x.cols.noBitmaps.Store(true)
	res, err := x.Search(ctx, Query{Sort: SortNewest, Size: 10})
	if err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, h := range res.Hits {
		order = append(order, h.ID)
	}
	if want := []string{"e", "a", "b", "c", "d"}; !slices.Equal(order, want) && !slices.Equal(order, []string{"e", "b", "a", "c", "d"}) {
		t.Errorf("newest first through bleve: %v, want %v (a and b either way)", order, want)
	}
}

// checkDateRanges requires every range of a set to match, from snap's
// columns and through the term range, the live articles of dates (ids to
// dates, zero for undated articles) dated in [from, to). Articles are
// dated on days from day0.
func checkDateRanges(t *testing.T, x *Index, snap *scorch.IndexSnapshot, day0 time.Time, dates map[string]time.Time) {
	t.Helper()
	ctx := context.Background()
	idsOf := func(bm *roaring.Bitmap) []string {
		t.Helper()
		var out []string
		for it := bm.Iterator(); it.HasNext(); {
			id, err := snap.ExternalID(bleveindex.NewIndexInternalID(nil, uint64(it.Next())))
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, id)
		}
		slices.Sort(out)
		return out
	}
	viaTerms := func(q *dateRangeQuery) []string {
		t.Helper()
		s, err := q.Searcher(ctx, snap, x.m, search.SearcherOptions{Score: "none"})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		sctx := &search.SearchContext{DocumentMatchPool: search.NewDocumentMatchPool(s.DocumentMatchPoolSize(), 0)}
		bm := roaring.New()
		for {
			d, err := s.Next(sctx)
			if err != nil {
				t.Fatal(err)
			}
			if d == nil {
				return idsOf(bm)
			}
			bm.Add(uint32(d.IndexInternalID.Value()))
			sctx.DocumentMatchPool.Put(d)
		}
	}
	var zero time.Time
	at := func(days int) time.Time { return day0.AddDate(0, 0, days) }
	ranges := []struct{ from, to time.Time }{
		{zero, zero},               // every dated article
		{at(0), at(3)},             // the first day or three
		{at(3), at(6)},             // from a day on, up to another, excluded
		{at(30), at(300)},          // across segments
		{at(1), at(2)},             // one day
		{at(8), at(9)},             // another
		{zero, at(100)},            // open start
		{at(800), zero},            // open end
		{at(2000), at(3000)},       // after every article
		{at(-30), at(0)},           // before every article
		{at(5), at(5)},             // empty
		{at(-400 * 365), at(9000)}, // clamped to the years articles may have
	}
	for _, rg := range ranges {
		q := x.publishedRange(rg.from, rg.to).(*dateRangeQuery)
		var want []string
		for id, d := range dates {
			if !d.IsZero() && (rg.from.IsZero() || !d.Before(rg.from)) && (rg.to.IsZero() || d.Before(rg.to)) {
				want = append(want, id)
			}
		}
		slices.Sort(want)
		bm, ok := q.matches(snap)
		if !ok {
			t.Fatalf("%v: no columns for the live snapshot", q)
		}
		if got := idsOf(bm); !slices.Equal(got, want) {
			t.Errorf("%v from the columns: %v, want %v", q, got, want)
		}
		// A search's facet counts ask again for the same snapshot: the
		// columns are read once.
		if again, _ := q.matches(snap); again != bm {
			t.Errorf("%v: the same snapshot's matches were read from the columns twice", q)
		}
		if got := viaTerms(q); !slices.Equal(got, want) {
			t.Errorf("%v through the term range: %v, want %v", q, got, want)
		}
	}
}
