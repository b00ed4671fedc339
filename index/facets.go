package index

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/collector"
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
// A tally counts from the facet columns (columns.go) when they are those
// of the snapshot the search reads. While they are being built it
// collects the matches instead and, once the search has handed it the
// last, counts each facet value's postings in them: the slow way, with
// the same counts.

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
	cols    *facetColumns         // fast: the columns of the search's snapshot
	fields  []int                 // fast: per def, its column (facetDefs order)
	counts  [][]uint32            // fast: per def, per value ordinal
	seg     int                   // fast: the segment of the last document counted
	snap    *scorch.IndexSnapshot // slow: the snapshot searched
	matched *roaring.Bitmap       // slow: its matches so far
	byTerm  []map[string]int      // slow: per def
	err     error
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
			} else {
				t.finish() // the search's last match: the snapshot is still open
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
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		return errNoColumns
	}
	x.cols.slow.Add(1)
	x.refreshColumns()
	t.snap, t.matched = snap, roaring.New()
	t.byTerm = make([]map[string]int, len(t.defs))
	for i := range t.defs {
		t.byTerm[i] = map[string]int{}
	}
	return nil
}

// useColumns makes t count from cols, the columns of its search's
// snapshot.
func (t *facetTally) useColumns(cols *facetColumns) {
	t.cols = cols
	t.fields = make([]int, len(t.defs))
	t.counts = make([][]uint32, len(t.defs))
	for i, d := range t.defs {
		t.fields[i] = fieldColumn(d.field)
		t.counts[i] = make([]uint32, len(cols.values[t.fields[i]]))
	}
}

// addDoc counts the facet values of snapshot document doc (columns only).
func (t *facetTally) addDoc(doc uint64) {
	t.seg = t.cols.segment(doc, t.seg)
	sc, local := t.cols.segs[t.seg], doc-t.cols.offsets[t.seg]
	for i := range t.defs {
		t.addLocal(i, sc, local)
	}
}

// addLocal counts the values of document d of segment sc for the i-th
// facet.
func (t *facetTally) addLocal(i int, sc *segColumns, d uint64) {
	c := sc.cols[t.fields[i]]
	switch {
	case c.single != nil:
		if d < uint64(len(c.single)) {
			if o := c.single[d]; o > 0 {
				t.counts[i][o-1]++
			}
		}
	case d+1 < uint64(len(c.offsets)):
		for _, o := range c.ords[c.offsets[d]:c.offsets[d+1]] {
			t.counts[i][o]++
		}
	}
}

// addSet counts the facet values of the documents of bm, a match set of
// the snapshot's segment seg, by its own document numbers (columns
// only). Columns with value bitmaps count a large set by intersecting it
// with each value's documents.
func (t *facetTally) addSet(bm *roaring.Bitmap, seg int) {
	n := bm.GetCardinality()
	sc := t.cols.segs[seg]
	var walk []int // the facets counted match by match, in one pass
	for i := range t.defs {
		c := sc.cols[t.fields[i]]
		if c.sets == nil || n < uint64(setCountFactor*len(c.sets)) {
			walk = append(walk, i)
			continue
		}
		derive := c.everyDoc && bm.Maximum() < uint32(len(c.single))
		rest := n
		for _, vs := range c.sets {
			if derive && vs.ord == c.commonest {
				continue
			}
			k := bm.AndCardinality(vs.docs)
			t.counts[i][vs.ord] += uint32(k)
			rest -= k
		}
		if derive {
			t.counts[i][c.commonest] += uint32(rest)
		}
	}
	if len(walk) == 0 {
		return
	}
	it := bm.Iterator()
	for it.HasNext() {
		d := uint64(it.Next())
		for _, i := range walk {
			t.addLocal(i, sc, d)
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
	t.matched.Add(uint32(d.IndexInternalID.Value()))
}

// finish counts the slow way's matches, by each facet value's postings in
// every segment of the snapshot.
func (t *facetTally) finish() {
	if t.cols != nil || t.err != nil || t.matched.IsEmpty() {
		return
	}
	for _, s := range segmentSets(t.snap) {
		local := s.local(t.matched)
		if local.IsEmpty() {
			continue
		}
		for i, d := range t.defs {
			if t.err = countField(s, d.field, local, t.byTerm[i]); t.err != nil {
				return
			}
		}
	}
}

// countField adds to counts the documents of docs, a match set of segment
// s, that have each value of field.
func countField(s *segmentSet, field string, docs *roaring.Bitmap, counts map[string]int) error {
	dict, err := s.dict(field)
	if err != nil {
		return err
	}
	return eachTermDocs(dict, s.seg.Deleted(), func(term string, bm *roaring.Bitmap) error {
		if n := docs.AndCardinality(bm); n > 0 {
			counts[term] += int(n)
		}
		return nil
	})
}

// results returns each facet's top buckets by count, ties by value, and
// after them the selected values (keep, by facet name) that counted
// articles but fell outside the top: a value selected from "Show all" or
// typed into a link keeps its count instead of showing 0.
func (t *facetTally) results(keep map[string][]string) (map[string][]Bucket, error) {
	if t.err != nil {
		return nil, t.err
	}
	out := make(map[string][]Bucket, len(t.defs))
	for i, d := range t.defs {
		var bs []Bucket
		switch {
		case t.cols != nil:
			values := t.cols.values[t.fields[i]]
			for o, n := range t.counts[i] {
				if n > 0 {
					bs = append(bs, Bucket{Value: values[o], Count: int(n)})
				}
			}
		case t.byTerm != nil:
			for v, n := range t.byTerm[i] {
				bs = append(bs, Bucket{Value: v, Count: n})
			}
		}
		slices.SortFunc(bs, byCount)
		if len(bs) > d.size {
			top := bs[:d.size:d.size]
			for _, b := range bs[d.size:] {
				if slices.Contains(keep[d.name], b.Value) {
					top = append(top, b)
				}
			}
			bs = top
		}
		out[d.name] = bs
	}
	return out, nil
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
	cols.count()
	t := newTally(names)
	t.useColumns(cols)
	for i, f := range t.fields {
		t.counts[i] = cols.totals[f]
	}
	out, err := t.results(nil) // no filters: nothing selected
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
// columns may be a snapshot behind (a search that could put the current
// ones together is ranked on postings instead, rank.go); the caller
// checks that the window really held need articles.
func (x *Index) dateWindow(need int, newest bool) (start, end time.Time, ok bool) {
	cols := x.cols.cur.Load()
	if cols == nil {
		return time.Time{}, time.Time{}, false
	}
	cols.count()
	f := monthColumn
	sum := 0
	for i := range cols.months {
		o := cols.months[i]
		if newest {
			o = cols.months[len(cols.months)-1-i]
		}
		sum += int(cols.totals[f][o])
		if sum < need {
			continue
		}
		m, err := time.Parse(monthLayout, cols.values[f][o])
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

// byCount orders buckets most articles first, then by value.
func byCount(a, b Bucket) int {
	return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Value, b.Value))
}
