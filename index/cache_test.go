package index

import (
	"context"
	"reflect"
	"testing"
	"time"
)

// TestQueryCache_servesRepeatsAndForgetsOnWrite: a repeated search is
// answered from the cache with the same results; after a write or a delete
// the same search sees the change.
func TestQueryCache_servesRepeatsAndForgetsOnWrite(t *testing.T) {
	t.Parallel()
	x := openFixture(t)
	ctx := context.Background()
	q := Query{Text: "Zyxwvut OR Russia", Facets: DefaultFacets(), Typos: true, Prefix: true}
	search := func() Results {
		t.Helper()
		res, err := x.Search(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		res.Took = 0
		return res
	}
	first := search()
	hits := x.cache.hits.Load()
	if again := search(); !reflect.DeepEqual(again, first) {
		t.Errorf("cached results differ:\n%+v\n%+v", again, first)
	}
	if x.cache.hits.Load() != hits+1 {
		t.Fatalf("the repeated search was not a cache hit")
	}

	a, err := Prepare(Article{ID: "cache-new", Title: "Zyxwvut arrives", Body: "A word no other article has: zyxwvut.",
		Source: "Cache Wire", Lang: "en", Date: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	if err := x.Add(ctx, []Article{a}); err != nil {
		t.Fatal(err)
	}
	after := search()
	if after.Total != first.Total+1 || findHit(after, "cache-new") == nil {
		t.Errorf("after the write: total %d (before %d), hits %d", after.Total, first.Total, len(after.Hits))
	}
	if err := x.Delete(ctx, "cache-new"); err != nil {
		t.Fatal(err)
	}
	if gone := search(); gone.Total != first.Total || findHit(gone, "cache-new") != nil {
		t.Errorf("after the delete: total %d, want %d", gone.Total, first.Total)
	}
}

// TestQueryCache_disabled: a negative size keeps nothing.
func TestQueryCache_disabled(t *testing.T) {
	t.Parallel()
	x, err := openMap(t, t.TempDir(), entityCorpus(), func(o *Options) { o.QueryCache = -1 })
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if x.cache != nil {
		t.Fatal("QueryCache -1 made a cache")
	}
	for range 2 {
		if _, err := x.Search(context.Background(), Query{Text: "Putin"}); err != nil {
			t.Fatal(err)
		}
	}
}

func TestCacheKey(t *testing.T) {
	t.Parallel()
	base := Query{Text: "a b", Filters: map[string][]string{FacetLang: {"en", "ru"}, FacetSource: {"X"}},
		Facets: []string{FacetSource, FacetLang}, Size: 10}
	same := Query{Text: "a b", Filters: map[string][]string{FacetSource: {"X"}, FacetLang: {"ru", "en"}, FacetOrg: {}},
		Facets: []string{FacetLang, FacetSource, FacetLang}, Size: 10}
	if cacheKey(base) != cacheKey(same) {
		t.Errorf("order of filters and facets changed the key:\n%s\n%s", cacheKey(base), cacheKey(same))
	}
	for name, change := range map[string]func(*Query){
		"text":     func(q *Query) { q.Text = "a  b" },
		"from":     func(q *Query) { q.From = 10 },
		"filter":   func(q *Query) { q.Filters = map[string][]string{FacetLang: {"en"}} },
		"date":     func(q *Query) { q.DateFrom = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) },
		"sort":     func(q *Query) { q.Sort = SortNewest },
		"match":    func(q *Query) { q.Match = MatchAll },
		"facets":   func(q *Query) { q.Facets = []string{FacetDate} },
		"typos":    func(q *Query) { q.Typos = true },
		"prefix":   func(q *Query) { q.Prefix = true },
		"fragment": func(q *Query) { q.Fragments = -1 },
	} {
		d := base
		change(&d)
		if cacheKey(d) == cacheKey(base) {
			t.Errorf("%s: a different query has the same key %s", name, cacheKey(d))
		}
	}
	// Quoting keeps field boundaries: text "x y" is not text "x" plus more.
	if cacheKey(Query{Text: `x" "y`}) == cacheKey(Query{Text: "x"}) {
		t.Error("quoting does not separate the text")
	}
}

// TestQueryCache_lruAndGenerations: the least recently used page goes
// first, and a search that started before a clear is not kept.
func TestQueryCache_lruAndGenerations(t *testing.T) {
	t.Parallel()
	c := newQueryCache(2)
	_, gen, _ := c.get("a")
	c.put("a", Results{Total: 1}, gen)
	c.put("b", Results{Total: 2}, gen)
	c.get("a") // a is now more recent than b
	c.put("c", Results{Total: 3}, gen)
	if _, _, ok := c.get("b"); ok {
		t.Error("b, the least recently used, was kept")
	}
	if r, _, ok := c.get("a"); !ok || r.Total != 1 {
		t.Errorf("a: %v %v", r, ok)
	}
	_, old, _ := c.get("d")
	c.clear()
	c.put("d", Results{Total: 4}, old)
	if _, _, ok := c.get("d"); ok {
		t.Error("a result computed before clear was kept")
	}
	if _, _, ok := c.get("a"); ok {
		t.Error("clear kept a")
	}
}

// TestQueryCache_whileColumnsBuild: a search of several words answered
// while the facet columns are being built (bleve's path) names a hit's
// missing words too, and so does the same search, cached or not, once
// they are built. A server's first searches, as its columns build, had
// left them out until a write cleared the cache.
func TestQueryCache_whileColumnsBuild(t *testing.T) {
	t.Parallel()
	x := openJSONL(t, article("both", "Sanctions on Russia", "New sanctions against Russia.")+
		article("russia", "Russia votes", "Russia held an election."))
	waitColumns(t, x)
	q := Query{Text: "sanctions Russia", Facets: DefaultFacets()}
	missingOf := func() []string {
		t.Helper()
		res := mustSearch(t, x, q)
		if h := findHit(res, "russia"); h != nil {
			return h.Missing
		}
		t.Fatalf("no hit russia in %v", hitIDs(res))
		return nil
	}
	// As while a build runs: no current columns, one being built.
	x.cols.building.Store(true)
	x.cols.cur.Store(nil)
	if got := missingOf(); len(got) != 1 || got[0] != "sanctions" {
		t.Errorf("missing %q while the columns build, want [sanctions]", got)
	}
	x.cols.building.Store(false)
	waitColumns(t, x)
	if got := missingOf(); len(got) != 1 || got[0] != "sanctions" {
		t.Errorf("missing %q once the columns are built, want [sanctions]", got)
	}
}
