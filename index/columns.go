package index

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/numeric"
	bleveindex "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// Facet columns.
//
// A column holds one facet field's values per document, read once from the
// field's postings (each value's documents, inverted) and kept in memory
// (as Lucene's field caches do): counting a facet is then an array
// increment per value. Columns are kept per segment, which scorch never
// changes once written, and a snapshot's columns are its segments' columns
// side by side. A write makes a new snapshot whose segments are the old
// ones (some with more deletions) and a small new one: a search that meets
// it builds the new segment's columns itself, in well under a millisecond,
// and goes on counting from columns. Only when the new segments are large
// (a merge, a bulk import) are they built in the background, rate limited
// so that a stream of such changes cannot keep a core busy; searches
// meanwhile count the slow way, by each value's postings (facets.go).
//
// Values are numbered by one dictionary per field, shared by every
// segment (ordinals only grow), so that counts from different segments
// add up without translation. Deleted documents keep their values in their
// segment's columns: searches never count them (their match sets exclude
// deletions), and whole-index totals subtract them. Their values stay in
// the dictionaries until those have doubled; a background build then
// numbers the live segments' values afresh.

// facetColumns are the columns of one snapshot.
type facetColumns struct {
	snap    bleveindex.IndexReader // compared by identity; kept to keep its address unique
	segs    []*segColumns          // per segment of snap, in order
	offsets []uint64               // the snapshot number of each segment's first document
	// values holds, per field (facetDefs order), the field's dictionary as
	// it was when these columns were put together: every ordinal of segs
	// is below its length.
	values [][]string

	once   sync.Once // computes totals, months and docs on first use
	totals [][]uint32
	// months orders the month column's value ordinals oldest first
	// (see dateWindow), months with no live article left out.
	months []int
	docs   uint64 // live articles in the snapshot
	segDel []*roaring.Bitmap
}

// segColumns are one segment's columns, by the segment's own document
// numbers, deleted documents included.
type segColumns struct {
	cols []*facetColumn // per field, facetDefs order
	// dates holds each document's publication instant in Unix
	// nanoseconds, noDate when it has none: searches sorted by date rank
	// on postings with it (rank.go, rankByDate).
	dates []int64
	// values are each column's values, by the local ordinals the columns
	// hold until adopt numbers them by the shared dictionaries.
	values [][]string
}

// noDate is the date column's value for a document without a date.
const noDate = math.MinInt64

// facetColumn holds one field of one segment: document d has the values
// ords[offsets[d]:offsets[d+1]]. A field with at most one value per
// document (source, language, month) keeps them as one array instead:
// document d has value single[d]-1, none when single[d] is 0. Counting
// then reads one number per document, not three.
type facetColumn struct {
	offsets []uint32 // nil when single
	ords    []uint32 // nil when single
	single  []uint32
	// counts holds the segment's articles per value, deleted ones
	// included, for the whole-index totals.
	counts []valueCount
	// sets holds, for a single-value column with at most maxSetValues
	// values, each value's documents: a large match set is then counted
	// by one bitmap intersection per value instead of a look-up per match.
	sets []valueSet
	// everyDoc: every document of the segment has a value (one). A match
	// set's count of the commonest value (ordinal commonest) is then the
	// rest of the set, with no intersection: a language or source that
	// every article has costs nothing to count.
	everyDoc  bool
	commonest uint32
}

type valueCount struct{ ord, n uint32 }

type valueSet struct {
	ord  uint32
	docs *roaring.Bitmap
}

// maxSetValues is the most values a column keeps bitmaps for (languages,
// sources and months do; people and places do not).
const maxSetValues = 256

// visit calls f with each value ordinal of document d.
func (c *facetColumn) visit(d uint64, f func(ord uint32)) {
	switch {
	case c.single != nil:
		if d < uint64(len(c.single)) && c.single[d] > 0 {
			f(c.single[d] - 1)
		}
	case d+1 < uint64(len(c.offsets)):
		for _, o := range c.ords[c.offsets[d]:c.offsets[d+1]] {
			f(o)
		}
	}
}

// compact turns a column with at most one value per document into its
// single form, and counts its values (nvalues of them).
func (c *facetColumn) compact(nvalues int) {
	counts := make([]uint32, nvalues)
	for _, o := range c.ords {
		counts[o]++
	}
	var commonest valueCount
	for o, n := range counts {
		if n > 0 {
			c.counts = append(c.counts, valueCount{uint32(o), n})
		}
		if n > commonest.n {
			commonest = valueCount{uint32(o), n}
		}
	}
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
	if len(c.counts) <= maxSetValues {
		sets := make([]*roaring.Bitmap, nvalues)
		for _, vc := range c.counts {
			sets[vc.ord] = roaring.New()
		}
		for d, o := range c.single {
			if o > 0 {
				sets[o-1].Add(uint32(d))
			}
		}
		for _, vc := range c.counts {
			sets[vc.ord].RunOptimize()
			c.sets = append(c.sets, valueSet{vc.ord, sets[vc.ord]})
		}
		c.everyDoc = len(c.counts) > 0 && !slices.Contains(c.single, 0)
		c.commonest = commonest.ord
	}
}

// renumber maps the column's ordinals through to.
func (c *facetColumn) renumber(to []uint32) {
	for i, o := range c.ords {
		c.ords[i] = to[o]
	}
	for d, o := range c.single {
		if o > 0 {
			c.single[d] = to[o-1] + 1
		}
	}
	for i := range c.counts {
		c.counts[i].ord = to[c.counts[i].ord]
	}
	for i := range c.sets {
		c.sets[i].ord = to[c.sets[i].ord]
	}
	if c.everyDoc {
		c.commonest = to[c.commonest]
	}
	slices.SortFunc(c.sets, func(a, b valueSet) int { return cmp.Compare(a.ord, b.ord) })
}

// set returns the documents with value ord, when the column keeps value
// bitmaps (ok), nil when none has it.
func (c *facetColumn) set(ord uint32) (docs *roaring.Bitmap, ok bool) {
	if c.single == nil || c.sets == nil && len(c.counts) > 0 {
		return nil, false // several values per document, or too many values
	}
	i, found := slices.BinarySearchFunc(c.sets, ord, func(vs valueSet, o uint32) int { return cmp.Compare(vs.ord, o) })
	if !found {
		return nil, true
	}
	return c.sets[i].docs, true
}

// columnState guards the facet columns and their builds.
type columnState struct {
	cur atomic.Pointer[facetColumns]
	// building is set while a background build runs (and by tests, to
	// keep searches on the slow path).
	building atomic.Bool
	mu       sync.Mutex // guards next
	next     time.Time  // no background build starts before this

	// segMu guards the segments' columns and the dictionaries, and
	// serialises putting a snapshot's columns together.
	segMu sync.Mutex
	segs  map[segment.Segment]*segColumns
	dicts []columnDict // per field, facetDefs order
	// started is the number of values the dictionaries held when they
	// last started afresh; stale asks the next background build to start
	// them again, once they hold more than twice that and slack more
	// (dictSlack; tests lower it).
	started int
	slack   int
	stale   atomic.Bool

	// Counts of facet searches by path (columns in bleve's pass, the slow
	// way, bitmaps), and of date-sorted searches that read only a window of
	// months (dateWindow), for tests.
	fast, slow, bitmaps, windows atomic.Uint64
	direct                       atomic.Uint64 // searches ranked on postings (rank.go)
	noBitmaps                    atomic.Bool   // tests: count through bleve's collector only
}

// columnDict numbers one field's values. Values are only appended:
// readers keep the slice they were given, whose elements never change.
type columnDict struct {
	values []string
	ords   map[string]uint32
}

// dictSlack is how many values the dictionaries may gain beyond twice
// what they started with before a background build starts them afresh.
const dictSlack = 4096

// syncColumnDocs is the most documents a search builds the columns of
// itself, in new segments, rather than leaving them to a background build.
// A thousand articles take about a millisecond.
const syncColumnDocs = 4096

// errNoColumns reports a segment whose facet fields cannot be read from
// its postings, or its dates from docvalues.
var errNoColumns = errors.New("facet columns: a segment's facet fields cannot be read")

// facetFields are the bleve fields of every facet, facetDefs order, the
// ones columns hold.
func facetFields() []string {
	out := make([]string, len(facetDefs))
	for i, d := range facetDefs {
		out[i] = d.field
	}
	return out
}

// fieldColumn is the position of a facet field in facetDefs: its column
// in segColumns.cols and facetColumns.values.
func fieldColumn(field string) int {
	for i, d := range facetDefs {
		if d.field == field {
			return i
		}
	}
	panic("unknown facet field " + field)
}

// monthColumn is the month field's column, behind the date histogram and
// the date windows.
var monthColumn = fieldColumn(fieldMonth)

// freshColumns returns the facet columns of snapshot r, putting them
// together from its segments' when they are not current; nil when r's new
// segments are too large to build in a search (a background build then
// starts), a build is running, or r is not a scorch snapshot.
func (x *Index) freshColumns(r bleveindex.IndexReader) *facetColumns {
	if cols := x.cols.cur.Load(); cols != nil && cols.snap == r {
		return cols
	}
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok || x.cols.building.Load() {
		return nil
	}
	cols, err := x.columnsOf(x.bg, snap, syncColumnDocs)
	if err != nil || x.cols.stale.Load() {
		// The background build logs what fails, at its own pace.
		x.refreshColumns()
	}
	if err != nil {
		return nil
	}
	return cols
}

var errColumnsTooLarge = errors.New("facet columns: new segments too large to build in a search")

// columnsOf puts together the columns of snap, building those of segments
// not seen before, unless they hold more than limit documents in all
// (errColumnsTooLarge). The result becomes the current columns. Segments
// of more than syncColumnDocs documents in all are built without holding
// segMu, so that searches meanwhile still put small snapshots together.
func (x *Index) columnsOf(ctx context.Context, snap *scorch.IndexSnapshot, limit uint64) (*facetColumns, error) {
	segs := snap.Segments()
	x.cols.segMu.Lock()
	defer x.cols.segMu.Unlock()
	if cols := x.cols.cur.Load(); cols != nil && cols.snap == bleveindex.IndexReader(snap) {
		return cols, nil
	}
	var missing []segment.Segment
	var docs uint64
	for _, ss := range segs {
		if x.cols.segs[ss.Segment()] == nil {
			missing = append(missing, ss.Segment())
			docs += ss.Segment().Count()
		}
	}
	if docs > limit {
		return nil, errColumnsTooLarge
	}
	built := make(map[segment.Segment]*segColumns, len(missing))
	build := func() error {
		for _, seg := range missing {
			sc, err := buildSegColumns(ctx, seg)
			if err != nil {
				return err
			}
			built[seg] = sc
		}
		return nil
	}
	var err error
	if docs > syncColumnDocs {
		x.cols.segMu.Unlock()
		err = build()
		x.cols.segMu.Lock()
	} else {
		err = build()
	}
	if err != nil {
		return nil, err
	}
	restart := len(built) == len(segs) || x.cols.segs == nil
	if restart {
		// Nothing shared with earlier snapshots (a new index or
		// generation, or a restart for dead values): the dictionaries
		// start afresh.
		x.cols.segs = map[segment.Segment]*segColumns{}
		x.cols.dicts = make([]columnDict, len(facetDefs))
		for i := range x.cols.dicts {
			x.cols.dicts[i].ords = map[string]uint32{}
		}
	}
	cols := &facetColumns{snap: snap, segs: make([]*segColumns, len(segs)), offsets: make([]uint64, len(segs))}
	var offset uint64
	for i, ss := range segs {
		sc := x.cols.segs[ss.Segment()]
		if sc == nil {
			if sc = built[ss.Segment()]; sc == nil {
				// Dropped by a reset while this build ran unlocked.
				return nil, errColumnsTooLarge
			}
			x.adopt(sc)
			x.cols.segs[ss.Segment()] = sc
		}
		cols.segs[i], cols.offsets[i] = sc, offset
		cols.segDel = append(cols.segDel, ss.Deleted())
		offset += ss.Segment().Count()
	}
	cols.values = make([][]string, len(x.cols.dicts))
	values := 0
	for f, d := range x.cols.dicts {
		cols.values[f] = d.values
		values += len(d.values)
	}
	// Values of deleted articles stay in the dictionaries: once they have
	// doubled since they started, the next background build starts them
	// again from the live segments.
	if restart {
		x.cols.started = values
	} else if values > 2*x.cols.started+x.cols.slack {
		x.cols.stale.Store(true)
	}
	pruneSegments(x.cols.segs, segs)
	x.cols.cur.Store(cols)
	return cols, nil
}

// adopt numbers sc's values by the shared dictionaries (segMu held).
func (x *Index) adopt(sc *segColumns) {
	for f, c := range sc.cols {
		d := &x.cols.dicts[f]
		to := make([]uint32, len(sc.values[f]))
		for o, v := range sc.values[f] {
			g, ok := d.ords[v]
			if !ok {
				g = uint32(len(d.values))
				d.values = append(d.values, v)
				d.ords[v] = g
			}
			to[o] = g
		}
		c.renumber(to)
	}
	sc.values = nil
}

// buildSegColumns reads the facet fields of every document of seg from
// their postings, each value's documents turned into the documents'
// values, and the publication date from its docvalues. The facet fields
// keep no docvalues: the columns are all that reads them per document,
// and their docvalues took 3.3 MB of the 108k Reuters index.
func buildSegColumns(ctx context.Context, seg segment.Segment) (*segColumns, error) {
	dvv, ok := seg.(segment.DocValueVisitable)
	if !ok {
		return nil, errNoColumns
	}
	if slices.Contains(seg.Fields(), fieldPublished) {
		visitable, err := dvv.VisitableDocValueFields()
		if err != nil {
			return nil, err
		}
		if !slices.Contains(visitable, fieldPublished) {
			return nil, fmt.Errorf("%w: %s", errNoColumns, fieldPublished)
		}
	}
	n := seg.Count()
	sc := &segColumns{cols: make([]*facetColumn, len(facetDefs)), dates: make([]int64, n), values: make([][]string, len(facetDefs))}
	for f, name := range facetFields() {
		var err error
		if sc.cols[f], sc.values[f], err = invertField(ctx, seg, name); err != nil {
			return nil, err
		}
	}
	var doc uint64
	visit := func(field string, term []byte) {
		// The full-precision term of the date's prefix codes.
		if valid, shift := numeric.ValidPrefixCodedTermBytes(term); valid && shift == 0 {
			if ns, err := numeric.PrefixCoded(term).Int64(); err == nil {
				sc.dates[doc] = ns
			}
		}
	}
	fields := []string{fieldPublished}
	var dvs segment.DocVisitState
	var err error
	for doc = 0; doc < n; doc++ {
		if doc%4096 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		sc.dates[doc] = noDate
		if dvs, err = dvv.VisitDocValues(doc, fields, visit, dvs); err != nil {
			return nil, err
		}
	}
	for f, c := range sc.cols {
		c.compact(len(sc.values[f]))
	}
	return sc, nil
}

// invertField returns the column of field in seg, read from its postings,
// and its values (the column's local ordinals, in term order). Deleted
// documents keep their values, as in the segment.
func invertField(ctx context.Context, seg segment.Segment, field string) (*facetColumn, []string, error) {
	n := seg.Count()
	dict, err := seg.Dictionary(field)
	if err != nil {
		return nil, nil, err
	}
	var values []string
	var docs []*roaring.Bitmap
	counts := make([]uint32, n+1) // then the column's offsets
	err = eachTermDocs(dict, nil, func(term string, bm *roaring.Bitmap) error {
		if len(values)%256 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		if !bm.IsEmpty() && uint64(bm.Maximum()) >= n {
			return fmt.Errorf("%w: %s: document %d of %d", errNoColumns, field, bm.Maximum(), n)
		}
		values = append(values, term)
		docs = append(docs, bm)
		for it := bm.Iterator(); it.HasNext(); {
			counts[it.Next()+1]++
		}
		return nil
	})
	if errors.Is(err, errNoBitmap) {
		err = fmt.Errorf("%w: %s: %w", errNoColumns, field, err)
	}
	if err != nil {
		return nil, nil, err
	}
	for d := range n {
		counts[d+1] += counts[d]
	}
	c := &facetColumn{offsets: counts, ords: make([]uint32, counts[n])}
	next := slices.Clone(counts[:n])
	for o, bm := range docs {
		for it := bm.Iterator(); it.HasNext(); {
			d := it.Next()
			c.ords[next[d]] = uint32(o)
			next[d]++
		}
	}
	return c, values, nil
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
			x.logger.Warn("facet columns not built; facets are counted from postings, the slow way", "err", err)
		}
		// At most a fifth of a core goes to background builds, however
		// often the index changes.
		took := time.Since(start)
		x.cols.mu.Lock()
		x.cols.next = time.Now().Add(4 * took)
		x.cols.mu.Unlock()
	}()
}

// buildColumns builds the columns of the live snapshot. It holds the read
// lock, so Close and a generation swap wait for it (or cancel it through
// ctx).
func (x *Index) buildColumns(ctx context.Context) error {
	bi, done, err := x.reader()
	if err != nil {
		return err
	}
	defer done()
	r, err := snapshot(bi)
	if err != nil {
		return err
	}
	defer r.Close()
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		return nil // not scorch: no facets
	}
	if x.cols.stale.Swap(false) {
		x.cols.segMu.Lock()
		x.cols.segs = nil // every segment is built again
		x.cols.segMu.Unlock()
	}
	_, err = x.columnsOf(ctx, snap, math.MaxUint64)
	return err
}

// count computes the whole-index totals, the months' order and the number
// of live articles, once.
func (c *facetColumns) count() {
	c.once.Do(func() {
		c.totals = make([][]uint32, len(c.values))
		for f := range c.values {
			c.totals[f] = make([]uint32, len(c.values[f]))
		}
		for i, sc := range c.segs {
			for f, col := range sc.cols {
				for _, vc := range col.counts {
					c.totals[f][vc.ord] += vc.n
				}
			}
			c.docs += uint64(len(sc.dates))
			if del := c.segDel[i]; del != nil {
				c.docs -= del.GetCardinality()
				it := del.Iterator()
				for it.HasNext() {
					d := uint64(it.Next())
					for f, col := range sc.cols {
						col.visit(d, func(o uint32) { c.totals[f][o]-- })
					}
				}
			}
		}
		m := monthColumn
		for o, n := range c.totals[m] {
			if n > 0 {
				c.months = append(c.months, o)
			}
		}
		mv := c.values[m]
		slices.SortFunc(c.months, func(a, b int) int { return strings.Compare(mv[a], mv[b]) })
	})
}

// segment returns the index of the segment holding snapshot document
// doc, starting the search at hint.
func (c *facetColumns) segment(doc uint64, hint int) int {
	if hint < len(c.offsets) && c.offsets[hint] <= doc && (hint+1 == len(c.offsets) || doc < c.offsets[hint+1]) {
		return hint
	}
	return sort.Search(len(c.offsets), func(i int) bool { return c.offsets[i] > doc }) - 1
}

// monthWindow narrows sets, a match set per segment, to the fewest newest
// (or oldest) months that hold at least k of its documents: every match
// outside them is older (newer) than all of theirs, so the k first by date
// are among them. nil when the months cannot tell: a segment keeps no
// month bitmaps, or the dated matches are fewer than k.
func (c *facetColumns) monthWindow(sets []*roaring.Bitmap, k int, newest bool) []*roaring.Bitmap {
	c.count()
	m := monthColumn
	var total uint64
	window := make([]*roaring.Bitmap, len(sets))
	for i := range c.months {
		o := c.months[i]
		if newest {
			o = c.months[len(c.months)-1-i]
		}
		for seg, sc := range c.segs {
			docs, ok := sc.cols[m].set(uint32(o))
			if !ok {
				return nil
			}
			if docs == nil {
				continue
			}
			in := roaring.And(sets[seg], docs)
			total += in.GetCardinality()
			if window[seg] == nil {
				window[seg] = in
			} else {
				window[seg].Or(in)
			}
		}
		if total >= uint64(k) {
			for seg := range window {
				if window[seg] == nil {
					window[seg] = roaring.New()
				}
			}
			return window
		}
	}
	return nil
}

// pruneSegments drops from m, kept per segment across snapshots, the
// segments that are not in segs (merged away since), once they are most
// of what m holds: a search of the live snapshot seldom pays for it.
func pruneSegments[T any](m map[segment.Segment]T, segs []*scorch.SegmentSnapshot) {
	if len(m) <= 2*len(segs)+8 {
		return
	}
	live := make(map[segment.Segment]bool, len(segs))
	for _, ss := range segs {
		live[ss.Segment()] = true
	}
	for seg := range m {
		if !live[seg] {
			delete(m, seg)
		}
	}
}
