package index

import (
	"context"
	"errors"
	"math"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/numeric"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/collector"
	"github.com/blevesearch/bleve/v2/search/query"
	bleveindex "github.com/blevesearch/bleve_index_api"
)

// Facet counting.
//
// Bleve counts a term facet by reading the field's docvalues for every
// matching article: on 108k articles that was 40% of a search's CPU
// (decoding docvalue chunks, per field, per search), more than finding the
// matches. newsearch counts facets itself instead, in the same pass over
// the matches as bleve's top-N collector: a hook bleve offers
// (search.MakeDocumentMatchHandlerKey) hands every match to facetTally
// before the collector ranks it.
//
// A tally counts from facet columns when it has them for the snapshot the
// search reads: per facet field, every value's ordinal per document number,
// decoded once from docvalues and kept in memory (as Lucene's field caches
// do). Counting is then an array increment per value. Columns belong to one
// index snapshot; a write, a merge or a new generation makes another
// snapshot, whose searches read docvalues the slow way (the same counts)
// and start a rebuild of the columns in the background. Rebuilds are rate
// limited so that a stream of writes cannot keep a core busy with them.

// facetColumns are the facet fields' values per document of one snapshot.
type facetColumns struct {
	snap   bleveindex.IndexReader // compared by identity; kept to keep its address unique
	fields map[string]*facetColumn
	// months orders the month column's value ordinals oldest first
	// (see dateWindow).
	months []int
	// dates holds each document's publication instant in Unix
	// nanoseconds, noDate when it has none: searches sorted by date rank
	// on postings with it (rank.go, rankByDate).
	dates []int64
	docs  uint64 // live articles in the snapshot
}

// noDate is the date column's value for a document without a date.
const noDate = math.MinInt64

// facetColumn holds one field: document d has the values
// values[ords[offsets[d]:offsets[d+1]]]. A field with at most one value
// per document (source, language, month) keeps them as one array instead:
// document d has values[single[d]-1], none when single[d] is 0. Counting
// then reads one number per document, not three.
type facetColumn struct {
	values  []string
	offsets []uint32 // nil when single
	ords    []uint32 // nil when single
	single  []uint32
	totals  []uint32 // articles per value over the whole snapshot
	// sets holds, for a single-value column with at most maxSetValues
	// values, each value's documents: a large match set is then counted
	// by one bitmap intersection per value instead of a look-up per match.
	sets []*roaring.Bitmap
}

// maxSetValues is the most values a column keeps bitmaps for (languages,
// sources and months do; people and places do not).
const maxSetValues = 256

// compact turns a column with at most one value per document into its
// single form.
func (c *facetColumn) compact() {
	for d := 0; d+1 < len(c.offsets); d++ {
		if c.offsets[d+1]-c.offsets[d] > 1 {
			return
		}
	}
	c.single = make([]uint32, len(c.offsets)-1)
	for d := range c.single {
		if c.offsets[d+1] > c.offsets[d] {
			c.single[d] = c.ords[c.offsets[d]] + 1
		}
	}
	c.offsets, c.ords = nil, nil
	if len(c.values) <= maxSetValues {
		c.sets = make([]*roaring.Bitmap, len(c.values))
		for o := range c.sets {
			c.sets[o] = roaring.New()
		}
		for d, o := range c.single {
			if o > 0 {
				c.sets[o-1].Add(uint32(d))
			}
		}
		for _, bm := range c.sets {
			bm.RunOptimize()
		}
	}
}

// columnState guards the facet columns and their rebuilds.
type columnState struct {
	cur      atomic.Pointer[facetColumns]
	building atomic.Bool
	mu       sync.Mutex // guards next
	next     time.Time  // no rebuild starts before this
	// Counts of facet searches by path (columns in bleve's pass, docvalues,
	// bitmaps), and of date-sorted searches that read only a window of
	// months (dateWindow), for tests.
	fast, slow, bitmaps, windows atomic.Uint64
	direct                       atomic.Uint64 // searches ranked on postings (rank.go)
	noBitmaps                    atomic.Bool   // tests: count through bleve's collector only
}

// facetFields are the bleve fields of every facet, the ones columns hold.
func facetFields() []string {
	out := make([]string, len(facetDefs))
	for i, d := range facetDefs {
		out[i] = d.field
	}
	return out
}

// newTally returns a tally of the named facets (names from facetDefs).
func newTally(names []string) *facetTally {
	t := &facetTally{}
	for _, name := range names {
		d, _ := facetByName(name)
		t.defs = append(t.defs, d)
	}
	return t
}

// facetTally counts the values of the requested facets over one search's
// matches. Its hook must be given to exactly one bleve search.
type facetTally struct {
	defs []facetDef
	// One of these is used, decided when the search opens its snapshot.
	cols   []*facetColumn // fast: columns of the search's snapshot, per def
	counts [][]uint32     // per def, per value ordinal
	dv     bleveindex.DocValueReader
	byTerm []map[string]int // slow: per def
	fields map[string]int   // field → def index, for the slow path
	err    error
}

// tallyContext returns ctx with the hook that makes bleve hand every match
// of a search to t.
func (x *Index) tallyContext(ctx context.Context, t *facetTally) context.Context {
	maker := search.MakeDocumentMatchHandler(func(sctx *search.SearchContext) (search.DocumentMatchHandler, bool, error) {
		next, loadID, err := collector.MakeTopNDocumentMatchHandler(sctx)
		if err != nil {
			return nil, false, err
		}
		if err := x.startTally(t, sctx.IndexReader); err != nil {
			return nil, false, err
		}
		return func(d *search.DocumentMatch) error {
			if d != nil {
				t.add(d)
			}
			return next(d)
		}, loadID, nil
	})
	return context.WithValue(ctx, search.MakeDocumentMatchHandlerKey, maker)
}

// startTally picks the counting path for the snapshot r.
func (x *Index) startTally(t *facetTally, r bleveindex.IndexReader) error {
	if cols := x.freshColumns(r); cols != nil {
		x.cols.fast.Add(1)
		t.useColumns(cols)
		return nil
	}
	x.cols.slow.Add(1)
	x.refreshColumns()
	fields := make([]string, len(t.defs))
	t.byTerm = make([]map[string]int, len(t.defs))
	t.fields = make(map[string]int, len(t.defs))
	for i, d := range t.defs {
		fields[i] = d.field
		t.byTerm[i] = map[string]int{}
		t.fields[d.field] = i
	}
	dv, err := r.DocValueReader(fields)
	if err != nil {
		return err
	}
	t.dv = dv
	return nil
}

// freshColumns returns the facet columns when they are those of the
// snapshot r, else nil.
func (x *Index) freshColumns(r bleveindex.IndexReader) *facetColumns {
	if cols := x.cols.cur.Load(); cols != nil && cols.snap == r {
		return cols
	}
	return nil
}

// useColumns makes t count from cols, the columns of its search's
// snapshot.
func (t *facetTally) useColumns(cols *facetColumns) {
	t.cols = make([]*facetColumn, len(t.defs))
	t.counts = make([][]uint32, len(t.defs))
	for i, d := range t.defs {
		t.cols[i] = cols.fields[d.field]
		t.counts[i] = make([]uint32, len(t.cols[i].values))
	}
}

// addDoc counts the facet values of document number doc (columns only).
func (t *facetTally) addDoc(doc uint64) {
	for i := range t.cols {
		t.addDocTo(i, doc)
	}
}

// addDocTo counts the values of document number doc for the i-th facet.
func (t *facetTally) addDocTo(i int, doc uint64) {
	c := t.cols[i]
	switch {
	case c.single != nil:
		if doc < uint64(len(c.single)) {
			if o := c.single[doc]; o > 0 {
				t.counts[i][o-1]++
			}
		}
	case doc+1 < uint64(len(c.offsets)):
		for _, o := range c.ords[c.offsets[doc]:c.offsets[doc+1]] {
			t.counts[i][o]++
		}
	}
}

// addSet counts the facet values of the documents of bm, a segment's
// match set whose first document is number offset in the snapshot
// (columns only). Columns with value bitmaps count a large set by
// intersecting it with each value's documents.
func (t *facetTally) addSet(bm *roaring.Bitmap, offset uint64) {
	n := bm.GetCardinality()
	var global *roaring.Bitmap // bm in snapshot numbers, made once
	var walk []int             // the facets counted match by match, in one pass
	for i, c := range t.cols {
		if c.sets == nil || n < uint64(setCountFactor*len(c.sets)) {
			walk = append(walk, i)
			continue
		}
		if global == nil {
			global = bm
			if offset > 0 {
				global = roaring.AddOffset64(bm, int64(offset))
			}
		}
		for o, set := range c.sets {
			t.counts[i][o] += uint32(global.AndCardinality(set))
		}
	}
	if len(walk) == 0 {
		return
	}
	it := bm.Iterator()
	for it.HasNext() {
		d := offset + uint64(it.Next())
		for _, i := range walk {
			t.addDocTo(i, d)
		}
	}
}

// setCountFactor: a set is counted by intersections once it holds this
// many matches per value; smaller sets are cheaper to walk.
const setCountFactor = 8

func (t *facetTally) add(d *search.DocumentMatch) {
	if t.cols != nil {
		t.addDoc(d.IndexInternalID.Value())
		return
	}
	if t.err != nil {
		return
	}
	t.err = t.dv.VisitDocValues(d.IndexInternalID, func(field string, term []byte) {
		if i, ok := t.fields[field]; ok {
			t.byTerm[i][string(term)]++
		}
	})
}

// results returns each facet's top buckets by count, ties by value.
func (t *facetTally) results() (map[string][]Bucket, error) {
	if t.err != nil {
		return nil, t.err
	}
	out := make(map[string][]Bucket, len(t.defs))
	for i, d := range t.defs {
		var bs []Bucket
		switch {
		case t.cols != nil:
			for o, n := range t.counts[i] {
				if n > 0 {
					bs = append(bs, Bucket{Value: t.cols[i].values[o], Count: int(n)})
				}
			}
		case t.byTerm != nil:
			for v, n := range t.byTerm[i] {
				bs = append(bs, Bucket{Value: v, Count: n})
			}
		}
		sort.Slice(bs, func(a, b int) bool {
			return bs[a].Count > bs[b].Count || bs[a].Count == bs[b].Count && bs[a].Value < bs[b].Value
		})
		if len(bs) > d.size {
			bs = bs[:d.size]
		}
		out[d.name] = bs
	}
	return out, nil
}

// refreshColumns starts building the columns of the live snapshot in the
// background, unless a build is running or the last one ended too recently.
func (x *Index) refreshColumns() {
	x.cols.mu.Lock()
	wait := time.Now().Before(x.cols.next)
	x.cols.mu.Unlock()
	if wait || !x.cols.building.CompareAndSwap(false, true) {
		return
	}
	go func() {
		defer x.cols.building.Store(false)
		start := time.Now()
		if err := x.buildColumns(x.bg); err != nil && x.bg.Err() == nil {
			x.logger.Warn("facet columns not built; facets are counted from docvalues", "err", err)
		}
		// At most a fifth of a core goes to rebuilds, however often the
		// index changes.
		took := time.Since(start)
		x.cols.mu.Lock()
		x.cols.next = time.Now().Add(4 * took)
		x.cols.mu.Unlock()
	}()
}

// buildColumns decodes the facet fields of every document in the live
// snapshot. It holds the read lock, so Close and a generation swap wait
// for it (or cancel it through ctx).
func (x *Index) buildColumns(ctx context.Context) error {
	bi, done, err := x.reader()
	if err != nil {
		return err
	}
	defer done()
	cols := &facetColumns{fields: map[string]*facetColumn{}}
	ids := map[string]map[string]uint32{} // field → value → ordinal
	fields := facetFields()
	var docs uint64
	for _, f := range fields {
		cols.fields[f] = &facetColumn{offsets: []uint32{0}}
		ids[f] = map[string]uint32{}
	}
	maker := search.MakeDocumentMatchHandler(func(sctx *search.SearchContext) (search.DocumentMatchHandler, bool, error) {
		cols.snap = sctx.IndexReader
		dv, err := sctx.IndexReader.DocValueReader(append(slices.Clone(fields), fieldPublished))
		if err != nil {
			return nil, false, err
		}
		next, loadID, err := collector.MakeTopNDocumentMatchHandler(sctx)
		if err != nil {
			return nil, false, err
		}
		return func(d *search.DocumentMatch) error {
			if d == nil {
				return next(d)
			}
			docs++
			doc := d.IndexInternalID.Value()
			for _, c := range cols.fields {
				// Documents come in increasing order; numbers without a
				// live document (deleted ones) get no values.
				for uint64(len(c.offsets)) <= doc {
					c.offsets = append(c.offsets, uint32(len(c.ords)))
				}
				if uint64(len(c.offsets)) != doc+1 {
					return errColumnOrder
				}
			}
			for uint64(len(cols.dates)) <= doc {
				cols.dates = append(cols.dates, noDate)
			}
			err := dv.VisitDocValues(d.IndexInternalID, func(field string, term []byte) {
				if field == fieldPublished {
					// The full-precision term of the date's prefix codes.
					if valid, shift := numeric.ValidPrefixCodedTermBytes(term); valid && shift == 0 {
						if ns, err := numeric.PrefixCoded(term).Int64(); err == nil {
							cols.dates[doc] = ns
						}
					}
					return
				}
				c, ok := cols.fields[field]
				if !ok {
					return
				}
				o, ok := ids[field][string(term)]
				if !ok {
					o = uint32(len(c.values))
					v := string(term)
					c.values = append(c.values, v)
					ids[field][v] = o
				}
				c.ords = append(c.ords, o)
			})
			if err != nil {
				return err
			}
			for _, c := range cols.fields {
				c.offsets = append(c.offsets, uint32(len(c.ords)))
			}
			return next(d)
		}, loadID, nil
	})
	req := bleve.NewSearchRequestOptions(query.NewMatchAllQuery(), 0, 0, false)
	req.Score = "none"
	if _, err := bi.SearchInContext(context.WithValue(ctx, search.MakeDocumentMatchHandlerKey, maker), req); err != nil {
		return err
	}
	for _, c := range cols.fields {
		c.totals = make([]uint32, len(c.values))
		for _, o := range c.ords {
			c.totals[o]++
		}
		c.compact()
	}
	cols.docs = docs
	if mc := cols.fields[fieldMonth]; mc != nil {
		cols.months = make([]int, len(mc.values))
		for i := range cols.months {
			cols.months[i] = i
		}
		slices.SortFunc(cols.months, func(a, b int) int { return strings.Compare(mc.values[a], mc.values[b]) })
	}
	x.cols.cur.Store(cols)
	return nil
}

// wholeIndex returns the number of articles and the facet counts of the
// whole index, when the facet columns are those of bi's current snapshot:
// a search without text, filters or exclusions needs no pass over the
// articles for them.
func (x *Index) wholeIndex(bi bleve.Index, names []string) (uint64, map[string][]Bucket, bool) {
	r, err := snapshot(bi)
	if err != nil {
		return 0, nil, false
	}
	cols := x.freshColumns(r)
	r.Close()
	if cols == nil {
		return 0, nil, false
	}
	t := &facetTally{}
	for _, name := range names {
		d, _ := facetByName(name)
		t.defs = append(t.defs, d)
		c := cols.fields[d.field]
		t.cols = append(t.cols, c)
		t.counts = append(t.counts, c.totals)
	}
	out, err := t.results()
	if err != nil {
		return 0, nil, false
	}
	return cols.docs, out, true
}

// dateWindow returns the publication-date range of the fewest newest (or
// oldest) months that hold at least need articles, by the facet columns.
// A search sorted by date only has to rank the articles in it: every
// article outside is older (newer) than all of them. ok is false when no
// columns are built or the months hold fewer articles than need. The
// columns may be a snapshot behind; the caller checks that the window
// really held need articles.
func (x *Index) dateWindow(need int, newest bool) (start, end time.Time, ok bool) {
	cols := x.cols.cur.Load()
	if cols == nil || len(cols.months) == 0 {
		return time.Time{}, time.Time{}, false
	}
	mc := cols.fields[fieldMonth]
	sum := 0
	for i := range cols.months {
		o := cols.months[i]
		if newest {
			o = cols.months[len(cols.months)-1-i]
		}
		sum += int(mc.totals[o])
		if sum < need {
			continue
		}
		m, err := time.Parse(monthLayout, mc.values[o])
		if err != nil {
			return time.Time{}, time.Time{}, false
		}
		if newest {
			return m, time.Time{}, true
		}
		return time.Time{}, m.AddDate(0, 1, 0), true
	}
	return time.Time{}, time.Time{}, false
}

var errColumnOrder = errors.New("facet columns: documents out of order")
