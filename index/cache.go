package index

import (
	"container/list"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// DefaultQueryCache is the number of result pages Options.QueryCache keeps
// unless told otherwise.
const DefaultQueryCache = 1000

// queryCache keeps the results of recent searches, least recently used
// out first. Every change to the index's contents clears it (invalidate),
// so a cached page is always what the search would return now. News
// search traffic repeats itself: the same names and the same page of
// newest articles, requested by many people.
type queryCache struct {
	max          int
	mu           sync.Mutex
	ll           *list.List // of *cacheEntry, most recent first
	byKey        map[string]*list.Element
	gen          uint64 // bumped by clear; a search started before it is not kept
	hits, misses atomic.Uint64
}

type cacheEntry struct {
	key string
	res Results
}

func newQueryCache(max int) *queryCache {
	if max <= 0 {
		return nil
	}
	return &queryCache{max: max, ll: list.New(), byKey: map[string]*list.Element{}}
}

// get returns the cached results for key, or the cache generation to
// hand to put once the search is done.
func (c *queryCache) get(key string) (res Results, gen uint64, ok bool) {
	if c == nil {
		return Results{}, 0, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.byKey[key]
	if !ok {
		c.misses.Add(1)
		return Results{}, c.gen, false
	}
	c.hits.Add(1)
	c.ll.MoveToFront(e)
	return e.Value.(*cacheEntry).res, c.gen, true
}

// put keeps res unless the cache was cleared since get returned gen: the
// search may then have read the index from before the change.
func (c *queryCache) put(key string, res Results, gen uint64) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if e, ok := c.byKey[key]; ok {
		e.Value.(*cacheEntry).res = res
		c.ll.MoveToFront(e)
		return
	}
	c.byKey[key] = c.ll.PushFront(&cacheEntry{key: key, res: res})
	for c.ll.Len() > c.max {
		old := c.ll.Remove(c.ll.Back()).(*cacheEntry)
		delete(c.byKey, old.key)
	}
}

func (c *queryCache) clear() {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	c.ll.Init()
	clear(c.byKey)
}

// cacheKey is a canonical form of q: two queries with the same key give
// the same results. Facet and filter order do not matter.
func cacheKey(q Query) string {
	var b strings.Builder
	field := func(s string) {
		b.WriteString(strconv.Quote(s))
		b.WriteByte(' ')
	}
	field(q.Text)
	names := make([]string, 0, len(q.Filters))
	for name, values := range q.Filters {
		if len(values) > 0 {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	for _, name := range names {
		field(name)
		values := slices.Clone(q.Filters[name])
		slices.Sort(values)
		for _, v := range values {
			field(v)
		}
		b.WriteString("; ")
	}
	date := func(t time.Time) string {
		if t.IsZero() {
			return "-"
		}
		return t.UTC().Format(time.RFC3339Nano)
	}
	field(date(q.DateFrom))
	field(date(q.DateTo))
	field(string(q.Sort))
	field(string(q.Match))
	facets := slices.Clone(q.Facets)
	slices.Sort(facets)
	facets = slices.Compact(facets)
	field(strings.Join(facets, ","))
	num := func(n int) { b.WriteString(strconv.Itoa(n)); b.WriteByte(' ') }
	num(q.From)
	num(q.Size)
	num(q.Fragments)
	num(q.FragmentSize)
	field(strconv.FormatBool(q.Typos) + strconv.FormatBool(q.Prefix) + strconv.FormatBool(q.plain))
	return b.String()
}
