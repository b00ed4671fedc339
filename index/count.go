package index

import (
	"context"
	"errors"
	"math"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	bleveindex "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// Counting on bitmaps.
//
// A search's Total and facet counts cover every match, not a page. Through
// bleve's collector each match costs a DocumentMatch, a trip through the
// searcher tree and the facet hook. Yet bleve keeps each term's postings
// as a roaring bitmap per segment. A count-only query made of terms, AND,
// OR and NOT (words with their alternatives, facet filters, exclusions) is
// evaluated here on those bitmaps, segment by segment, and the facets are
// tallied from the set bits against the facet columns. Parts a bitmap
// cannot express run through their searchers, once per count, into a
// bitmap of their own: a phrase's is phraseSearcher (phrase.go); a date
// range's comes from the date columns when they are the snapshot's
// (published.go). Snapshots without current facet columns, and an "at least
// k of n" (k > 1), which no count asks for, take bleve's path.

// setNode is a query's match set as bitmap operations.
type setNode struct {
	op          setOp
	field, term string          // setTerm
	kids        []*setNode      // setAnd, setOr
	not         []*setNode      // setAnd: minus these
	q           query.Query     // setSearch
	found       *roaring.Bitmap // setSearch: q's matches, by snapshot document number
}

type setOp uint8

const (
	setTerm setOp = iota
	setAll
	setAnd
	setOr
	setSearch // a query bleve's searchers evaluate
)

// compileSet returns q's match set, or false when q has a part that
// neither bitmaps nor bleve's unscored searchers can evaluate alone.
func compileSet(q query.Query) (*setNode, bool) {
	switch q := q.(type) {
	case *bm25PhraseQuery:
		return &setNode{op: setSearch, q: q}, true
	case *dateRangeQuery:
		return &setNode{op: setSearch, q: q}, true
	case *bm25Query:
		return &setNode{op: setTerm, field: q.field, term: q.term}, true
	case *query.TermQuery:
		return &setNode{op: setTerm, field: q.FieldVal, term: q.Term}, true
	case *query.MatchAllQuery:
		return &setNode{op: setAll}, true
	case unscoredQuery:
		return compileSet(q.q)
	case *gatedQuery:
		return compileAll(setAnd, append([]query.Query{q.q}, q.gates...))
	case *sumQuery:
		switch {
		case q.min <= 1:
			return compileAll(setOr, q.parts)
		case q.min == len(q.parts):
			return compileAll(setAnd, q.parts)
		}
		return nil, false // at least k of n
	case *query.ConjunctionQuery:
		return compileAll(setAnd, q.Conjuncts)
	case *query.DisjunctionQuery:
		if q.Min > 1 {
			return nil, false
		}
		return compileAll(setOr, q.Disjuncts)
	case *query.BooleanQuery:
		if q.Should != nil || q.Must == nil {
			return nil, false
		}
		n := &setNode{op: setAnd}
		for _, part := range []query.Query{q.Must, q.Filter} {
			if part == nil {
				continue
			}
			k, ok := compileSet(part)
			if !ok {
				return nil, false
			}
			n.kids = append(n.kids, k)
		}
		if q.MustNot != nil {
			k, ok := compileSet(q.MustNot)
			if !ok {
				return nil, false
			}
			n.not = append(n.not, k)
		}
		return n, true
	}
	return nil, false
}

func compileAll(op setOp, qs []query.Query) (*setNode, bool) {
	if len(qs) == 0 {
		return nil, false
	}
	n := &setNode{op: op, kids: make([]*setNode, len(qs))}
	for i, q := range qs {
		k, ok := compileSet(q)
		if !ok {
			return nil, false
		}
		n.kids[i] = k
	}
	return n, true
}

var errNoBitmap = errors.New("postings without a bitmap")

// union is the union of the sets of parts; the set itself for one part.
func union[T any](parts []T, set func(T) (*roaring.Bitmap, error)) (*roaring.Bitmap, error) {
	if len(parts) == 1 {
		return set(parts[0])
	}
	bms := make([]*roaring.Bitmap, len(parts))
	for i, p := range parts {
		var err error
		if bms[i], err = set(p); err != nil {
			return nil, err
		}
	}
	return orAll(bms), nil
}

// orAll returns the union of two or more bitmaps as a new bitmap. It ORs
// them one by one: roaring's FastOr ORs lazily, turning array containers
// into bitmaps, then turns the results of fewer than 4,096 documents back
// into arrays; for the postings of a word's forms, which overlap, that
// conversion was 4% of the server's CPU.
func orAll(bms []*roaring.Bitmap) *roaring.Bitmap {
	out := roaring.Or(bms[0], bms[1])
	for _, b := range bms[2:] {
		out.Or(b)
	}
	return out
}

// segmentSet evaluates a setNode on one segment of a snapshot. Bitmaps
// taken from the postings are bleve's own and shared: every result is
// built with roaring's allocating operations, never by changing one in
// place.
type segmentSet struct {
	seg    *scorch.SegmentSnapshot
	offset uint64 // of the segment's first document in the snapshot
	dicts  map[string]segment.TermDictionary
	sets   map[termKey]*roaring.Bitmap // postings read so far
}

// segmentSets returns a segmentSet for each of snap's segments, in order.
// Document numbers run on across segments, deleted ones included
// (scorch's snapshot offsets).
func segmentSets(snap *scorch.IndexSnapshot) []*segmentSet {
	segs := snap.Segments()
	out := make([]*segmentSet, len(segs))
	var offset uint64
	for i, seg := range segs {
		out[i] = &segmentSet{seg: seg, offset: offset, dicts: map[string]segment.TermDictionary{}, sets: map[termKey]*roaring.Bitmap{}}
		offset += seg.Segment().Count()
	}
	return out
}

// end is the snapshot number after the segment's last document.
func (s *segmentSet) end() uint64 { return s.offset + s.seg.Segment().Count() }

// dict returns the segment's dictionary of field, read once.
func (s *segmentSet) dict(field string) (segment.TermDictionary, error) {
	d, ok := s.dicts[field]
	if !ok {
		var err error
		if d, err = s.seg.Segment().Dictionary(field); err != nil {
			return nil, err
		}
		s.dicts[field] = d
	}
	return d, nil
}

// list returns the postings of term in field, without deleted documents.
func (s *segmentSet) list(field, term string) (segment.PostingsList, error) {
	d, err := s.dict(field)
	if err != nil {
		return nil, err
	}
	return d.PostingsList([]byte(term), s.seg.Deleted(), nil)
}

func (s *segmentSet) eval(n *setNode) (*roaring.Bitmap, error) {
	switch n.op {
	case setSearch:
		return s.local(n.found), nil
	case setTerm:
		return s.postings(n.field, n.term)
	case setAll:
		bm := roaring.New()
		bm.AddRange(0, s.seg.Segment().Count())
		if del := s.seg.Deleted(); del != nil {
			bm.AndNot(del) // bm is this evaluation's own
		}
		return bm, nil
	case setOr:
		return union(n.kids, s.eval)
	}
	// setAnd
	bm, err := s.eval(n.kids[0])
	for _, k := range n.kids[1:] {
		if err != nil || bm.IsEmpty() {
			break
		}
		var o *roaring.Bitmap
		if o, err = s.eval(k); err == nil {
			bm = roaring.And(bm, o)
		}
	}
	for _, k := range n.not {
		if err != nil || bm.IsEmpty() {
			break
		}
		var o *roaring.Bitmap
		if o, err = s.eval(k); err == nil {
			bm = roaring.AndNot(bm, o)
		}
	}
	return bm, err
}

// postings returns the live documents of the segment holding term in
// field, read once per segmentSet.
func (s *segmentSet) postings(field, term string) (*roaring.Bitmap, error) {
	k := termKey{field, term}
	if bm, ok := s.sets[k]; ok {
		return bm, nil
	}
	pl, err := s.list(field, term)
	if err != nil {
		return nil, err
	}
	bm, err := listBitmap(pl)
	if err != nil {
		return nil, err
	}
	s.sets[k] = bm
	return bm, nil
}

// eachTermDocs calls f with every term of dict, in order, and its
// documents but those of except, as a bitmap f must not change. It stops
// at f's first error.
func eachTermDocs(dict segment.TermDictionary, except *roaring.Bitmap, f func(term string, docs *roaring.Bitmap) error) error {
	it := termsOf(dict, nil, nil, nil)
	for {
		e, err := it.Next()
		if e == nil || err != nil {
			return err
		}
		pl, err := dict.PostingsList([]byte(e.Term), except, nil)
		if err != nil {
			return err
		}
		bm, err := listBitmap(pl)
		if err != nil {
			return err
		}
		if err := f(e.Term, bm); err != nil {
			return err
		}
	}
}

// listBitmap returns the documents of pl as a bitmap the caller must not
// change, or errNoBitmap when its segment keeps none.
func listBitmap(pl segment.PostingsList) (*roaring.Bitmap, error) {
	it, ok := pl.Iterator(false, false, false, nil).(segment.OptimizablePostingsIterator)
	if !ok {
		return nil, errNoBitmap
	}
	bm := it.ActualBitmap()
	switch doc, one := it.DocNum1Hit(); {
	case one:
		bm = roaring.BitmapOf(uint32(doc))
	case bm == nil:
		bm = roaring.New() // no such term, or its one article deleted
	}
	return bm, nil
}

// local returns the documents of global (snapshot numbers) that are in
// the segment, numbered within it.
//
// Results are never changed in place (see segmentSet), so the one segment
// of a freshly built index gets global itself; others get a shifted copy,
// moved a container at a time rather than a document at a time (a Chinese
// name's phrase matched 7,485 articles, and adding them one by one was a
// tenth of its search).
func (s *segmentSet) local(global *roaring.Bitmap) *roaring.Bitmap {
	end := s.end()
	if global.IsEmpty() {
		return roaring.New()
	}
	if s.offset == 0 && uint64(global.Maximum()) < end {
		return global
	}
	out := roaring.AddOffset64(global, -int64(s.offset))
	if n := end - s.offset; n <= math.MaxUint32 {
		out.RemoveRange(n, math.MaxUint32+1)
	}
	return out
}

// searchLeaves fills in the matches of every setSearch node under n by
// running its query's unscored searcher over the snapshot r (a phrase's is
// phraseSearcher on a scorch snapshot).
func searchLeaves(ctx context.Context, r bleveindex.IndexReader, m mapping.IndexMapping, n *setNode) error {
	for _, ks := range [][]*setNode{n.kids, n.not} {
		for _, k := range ks {
			if err := searchLeaves(ctx, r, m, k); err != nil {
				return err
			}
		}
	}
	if n.op != setSearch {
		return nil
	}
	if dq, ok := n.q.(*dateRangeQuery); ok {
		if found, ok := dq.matches(r); ok {
			n.found = found
			return nil
		}
	}
	s, err := n.q.Searcher(ctx, r, m, search.SearcherOptions{Score: "none"})
	if err != nil {
		return err
	}
	defer s.Close()
	sctx := &search.SearchContext{DocumentMatchPool: search.NewDocumentMatchPool(s.DocumentMatchPoolSize(), 0)}
	n.found = roaring.New()
	for i := 0; ; i++ {
		if i%1024 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		d, err := s.Next(sctx)
		if err != nil || d == nil {
			return err
		}
		n.found.Add(uint32(d.IndexInternalID.Value()))
		sctx.DocumentMatchPool.Put(d)
	}
}

// countSet counts the matches of n in the snapshot r and tallies t's
// facets over them, from the facet columns cols (which must be r's).
// ok is false when r is not a scorch snapshot or a segment keeps postings
// bleve does not expose as bitmaps; nothing is counted then.
func countSet(ctx context.Context, r bleveindex.IndexReader, m mapping.IndexMapping, n *setNode, t *facetTally, cols *facetColumns) (total uint64, ok bool, err error) {
	snap, isScorch := r.(*scorch.IndexSnapshot)
	if !isScorch {
		return 0, false, nil
	}
	if err := searchLeaves(ctx, r, m, n); err != nil {
		return 0, false, err
	}
	t.useColumns(cols)
	return evalSet(ctx, snap, n, func(i int, bm *roaring.Bitmap) {
		if len(t.defs) > 0 {
			t.addSet(bm, i)
		}
	})
}

// evalSet counts the matches of n, whose leaves bleve's searchers find
// are searched already, segment by segment in snap, handing each
// segment's matches to each (nil: none). ok is false when a segment keeps
// postings bleve does not expose as bitmaps; nothing is counted then.
func evalSet(ctx context.Context, snap *scorch.IndexSnapshot, n *setNode, each func(i int, bm *roaring.Bitmap)) (total uint64, ok bool, err error) {
	for i, s := range segmentSets(snap) {
		if err := ctx.Err(); err != nil {
			return 0, false, err
		}
		bm, err := s.eval(n)
		if errors.Is(err, errNoBitmap) {
			return 0, false, nil
		}
		if err != nil {
			return 0, false, err
		}
		total += bm.GetCardinality()
		if each != nil {
			each(i, bm)
		}
	}
	return total, true, nil
}

// countOnBitmaps counts the matches of set in the live snapshot, with the
// named facets, on bitmaps. ok is false, with nothing counted, when the
// facet columns are not the snapshot's or countSet cannot run on it.
func (x *Index) countOnBitmaps(ctx context.Context, bi bleve.Index, set *setNode, names []string, selected map[string][]string) (total uint64, counts map[string][]Bucket, ok bool, err error) {
	r, err := snapshot(bi)
	if err != nil {
		return 0, nil, false, err
	}
	defer r.Close()
	cols := x.freshColumns(r)
	if cols == nil || x.cols.noBitmaps.Load() {
		return 0, nil, false, nil
	}
	t := newTally(names)
	total, ok, err = countSet(ctx, r, x.m, set, t, cols)
	if !ok || err != nil {
		return 0, nil, ok, err
	}
	x.cols.bitmaps.Add(1)
	counts, err = t.results(selected)
	return total, counts, true, err
}

// snapshot returns bi's live snapshot; the caller closes it.
func snapshot(bi bleve.Index) (bleveindex.IndexReader, error) {
	adv, err := bi.Advanced()
	if err != nil {
		return nil, err
	}
	return adv.Reader()
}
