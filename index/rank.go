package index

import (
	"bytes"
	"cmp"
	"container/heap"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	bleveindex "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// Ranking on postings.
//
// Through bleve, every match of a ranked search is a DocumentMatch that
// climbs a tree of searchers (each OR and AND comparing 8-byte ids), then
// bleve's collector and the facet hook: on 108k articles that machinery,
// not reading the postings, was most of a search's CPU. A relevance-ranked
// text search is answered here instead, from one snapshot:
//
//  1. Each clause's match set, and those of the filters and exclusions,
//     are roaring bitmaps per segment (count.go's set algebra). The tiers
//     (articles with all clauses, then one fewer, …) are bitmap operations
//     on them, so Total and every facet, the disjunctive ones included,
//     are counted from set bits without scoring anything.
//  2. Only the tiers that hold the requested page are scored: their
//     documents, in order, each summing its clauses' BM25 read straight
//     from the segment's postings iterators (frequency and norm, no
//     locations), into a bounded heap.
//  3. The page's hits load their stored fields, and locate reads their
//     match locations, as before.
//
// The scores are those of bm25.go's searchers, computed by the same
// formulas from the same numbers, and ties are broken as sortOrder asks
// bleve's collector to break them (directSearch.worse): a query answered
// here and through bleve gives the same page (checkBitmapCounts compares
// whole pages). A search sorted by date is ranked here too, by the facet
// columns' dates (rankByDate).
// A query or a snapshot this path cannot serve goes through bleve: more
// than maxRankClauses clauses, a snapshot that is not scorch's, and facets
// or dates whose columns are being built in the background.

// maxRankClauses bounds the clauses ranked on postings: the tier sets cost
// one bitmap operation per clause and tier level.
const maxRankClauses = 12

// errNoDirect reports a query part this path cannot evaluate.
var errNoDirect = errors.New("not rankable on postings")

// rankNode is one part of a clause, compiled for a snapshot: it scores a
// document of the current segment and gives the segment's match set.
type rankNode interface {
	// reset positions the node at the start of segment s.
	reset(s *segmentSet) error
	// score returns the node's score for document d of the current
	// segment; d must not decrease between resets. 0 means no match.
	score(d uint64) float64
	// set returns the node's matches in the current segment.
	set(s *segmentSet) (*roaring.Bitmap, error)
	// count is what bleve's searcher for the part reports as its Count:
	// its conjunctions sum their parts in ascending order of it.
	count() uint64
	// bound is the most the part's matches in field can add to a score
	// in the current segment (its other fields count nothing).
	bound(field string) float64
	// fieldSet returns the current segment's documents that match the
	// part in field.
	fieldSet(s *segmentSet, field string) (*roaring.Bitmap, error)
	// blockBound is bound for a run of the current segment's documents:
	// the most the part's matches in field can add to the score of any
	// document from d up to, not including, the end it returns. d must not
	// decrease between resets.
	blockBound(field string, d uint64) (float64, uint64)
}

// noEnd is the end of a block bound that holds to the end of the segment.
const noEnd = math.MaxUint64

// rankTerm scores one term in one field with BM25, as bm25Searcher does.
type rankTerm struct {
	field, term string
	weight      float64 // boost × idf
	avgdl       float64
	df          uint64 // the term's own, before any blend
	err         *error

	decoded map[segment.Segment]*decodedSegment // postings.go

	// The segment's postings, decoded:
	dec  *decodedTerm
	lens *fieldLens
	at   int
	// or read through zap's iterator (nil once used up), and its current
	// posting:
	it segment.PostingsIterator
	p  segment.Posting

	// For blockBound, with decoded postings: the term's block maxima
	// (nil until asked), what turns one into a bound, and the block of
	// the last document asked about.
	blocks *termBlocks
	scale  float64
	block  int
}

func (t *rankTerm) reset(s *segmentSet) error {
	t.dec, t.it, t.p = nil, nil, nil
	t.blocks, t.block = nil, 0
	if ds := t.decoded[s.seg.Segment()]; ds != nil {
		dt, lens, err := ds.term(t.field, t.term)
		if err != nil {
			return err
		}
		if dt != nil {
			t.dec, t.lens, t.at = dt, lens, 0
			return nil
		}
	}
	pl, err := s.list(t.field, t.term)
	if err != nil {
		return err
	}
	if pl.Count() > 0 {
		t.it = pl.Iterator(true, true, false, nil)
	}
	return nil
}

func (t *rankTerm) score(d uint64) float64 {
	if t.dec != nil {
		t.at = t.dec.seek(t.at, uint32(d))
		if t.at == len(t.dec.docs) || uint64(t.dec.docs[t.at]) != d {
			return 0
		}
		return t.weight * tfNorm(float64(t.dec.freq(t.at)), t.lens.dl(d), t.avgdl)
	}
	if t.it == nil {
		return 0
	}
	p, err := advance(t.it, t.p, d)
	if err != nil && *t.err == nil {
		*t.err = err
	}
	if p == nil || err != nil {
		t.it = nil // used up
		return 0
	}
	t.p = p
	if p.Number() != d {
		return 0
	}
	return t.weight * tfNorm(float64(p.Frequency()), fieldLength(p.Norm()), t.avgdl)
}

func (t *rankTerm) set(s *segmentSet) (*roaring.Bitmap, error) {
	return s.postings(t.field, t.term)
}

func (t *rankTerm) count() uint64 { return t.df }

// bound is the term's best score in the segment: with the decoded
// postings, at its largest frequency in its shortest field; through zap,
// BM25's ceiling, weight·(k1+1), or 0 once there are no postings left.
func (t *rankTerm) bound(field string) float64 {
	if field != t.field {
		return 0
	}
	if t.dec == nil {
		if t.it == nil {
			return 0
		}
		return t.weight * (bm25K1 + 1)
	}
	tf := float64(t.dec.maxTF)
	return t.weight * max(tfNorm(tf, t.dec.minDL, t.avgdl), tfNorm(tf, 0, t.avgdl))
}

func (t *rankTerm) fieldSet(s *segmentSet, field string) (*roaring.Bitmap, error) {
	if field != t.field {
		return roaring.New(), nil
	}
	return t.set(s)
}

// blockBound is the best score of the term's block of blockPostings
// postings that holds d (the first block for a d before it): it holds up
// to the next block's first document. Through zap it is bound, for the
// whole segment.
func (t *rankTerm) blockBound(field string, d uint64) (float64, uint64) {
	if field != t.field {
		return 0, noEnd
	}
	if t.dec == nil || t.avgdl <= 0 {
		return t.bound(field), noEnd
	}
	if len(t.dec.docs) == 0 {
		return 0, noEnd
	}
	if t.blocks == nil {
		t.blocks = t.dec.blockMaxima(t.lens, t.avgdl)
		// A longer average field raises every score with a length, by
		// at most the ratio of the averages (see termBlocks).
		t.scale = t.weight * max(1, t.avgdl/t.blocks.avgdl)
	}
	docs := t.dec.docs
	next := (t.block + 1) * blockPostings
	for next < len(docs) && uint64(docs[next]) <= d {
		t.block++
		next += blockPostings
	}
	end := uint64(noEnd)
	if next < len(docs) {
		end = uint64(docs[next])
	}
	return t.scale * float64(t.blocks.best[t.block]), end
}

// rankList is a part whose matches and scores were found over the whole
// snapshot at once (a phrase, phrase.go): document numbers ascending.
type rankList struct {
	field  string
	docs   []uint64 // snapshot document numbers
	scores []float64
	top    float64 // the best of scores
	found  *roaring.Bitmap
	n      uint64 // bleve's phrase searcher's Count
	offset uint64
	i      int
}

func (l *rankList) count() uint64 { return l.n }

func (l *rankList) bound(field string) float64 {
	if field != l.field {
		return 0
	}
	return l.top
}

func (l *rankList) fieldSet(s *segmentSet, field string) (*roaring.Bitmap, error) {
	if field != l.field {
		return roaring.New(), nil
	}
	return l.set(s)
}

// blockBound is bound: phrases keep no blocks.
func (l *rankList) blockBound(field string, _ uint64) (float64, uint64) {
	return l.bound(field), noEnd
}

func (l *rankList) reset(s *segmentSet) error {
	l.offset = s.offset
	l.i, _ = slices.BinarySearch(l.docs, s.offset)
	return nil
}

func (l *rankList) score(d uint64) float64 {
	g := l.offset + d
	for l.i < len(l.docs) && l.docs[l.i] < g {
		l.i++
	}
	if l.i < len(l.docs) && l.docs[l.i] == g {
		return l.scores[l.i]
	}
	return 0
}

func (l *rankList) set(s *segmentSet) (*roaring.Bitmap, error) {
	return s.local(l.found), nil
}

// rankSum scores the sum of its matching parts, or with best their
// maximum (sumQuery, newMaxQuery).
type rankSum struct {
	parts []rankNode
	best  bool
}

func (n *rankSum) reset(s *segmentSet) error {
	for _, p := range n.parts {
		if err := p.reset(s); err != nil {
			return err
		}
	}
	return nil
}

func (n *rankSum) score(d uint64) float64 {
	s := 0.0
	for _, p := range n.parts {
		v := p.score(d)
		if n.best {
			s = max(s, v)
		} else {
			s += v
		}
	}
	return s
}

func (n *rankSum) bound(field string) float64 {
	b := 0.0
	for _, p := range n.parts {
		if n.best {
			b = max(b, p.bound(field))
		} else {
			b += p.bound(field)
		}
	}
	return b
}

func (n *rankSum) blockBound(field string, d uint64) (float64, uint64) {
	b, end := 0.0, uint64(noEnd)
	for _, p := range n.parts {
		pb, pend := p.blockBound(field, d)
		if n.best {
			b = max(b, pb)
		} else {
			b += pb
		}
		end = min(end, pend)
	}
	return b, end
}

func (n *rankSum) fieldSet(s *segmentSet, field string) (*roaring.Bitmap, error) {
	return union(n.parts, func(p rankNode) (*roaring.Bitmap, error) { return p.fieldSet(s, field) })
}

func (n *rankSum) count() uint64 {
	var c uint64
	for _, p := range n.parts {
		c += p.count()
	}
	return c
}

func (n *rankSum) set(s *segmentSet) (*roaring.Bitmap, error) {
	return union(n.parts, func(p rankNode) (*roaring.Bitmap, error) { return p.set(s) })
}

// rankGated scores its part in the documents that every gate matches
// (gatedQuery).
type rankGated struct {
	part   rankNode
	gates  []rankNode
	pass   *roaring.Bitmap // the documents of passOf with every gate
	passOf *segmentSet
}

// passing returns the documents of s that every gate matches.
func (n *rankGated) passing(s *segmentSet) (*roaring.Bitmap, error) {
	if n.passOf != s {
		sets := make([]*roaring.Bitmap, len(n.gates))
		for i, g := range n.gates {
			var err error
			if sets[i], err = g.set(s); err != nil {
				return nil, err
			}
		}
		n.pass, n.passOf = roaring.FastAnd(sets...), s
	}
	return n.pass, nil
}

func (n *rankGated) reset(s *segmentSet) error {
	if _, err := n.passing(s); err != nil {
		return err
	}
	return n.part.reset(s)
}

func (n *rankGated) score(d uint64) float64 {
	if !n.pass.Contains(uint32(d)) {
		return 0
	}
	return n.part.score(d)
}

func (n *rankGated) set(s *segmentSet) (*roaring.Bitmap, error) {
	return n.gate(s, n.part.set)
}

func (n *rankGated) fieldSet(s *segmentSet, field string) (*roaring.Bitmap, error) {
	return n.gate(s, func(s *segmentSet) (*roaring.Bitmap, error) { return n.part.fieldSet(s, field) })
}

// gate is the documents of s that of gives and every gate matches.
func (n *rankGated) gate(s *segmentSet, of func(*segmentSet) (*roaring.Bitmap, error)) (*roaring.Bitmap, error) {
	b, err := of(s)
	if err != nil {
		return nil, err
	}
	pass, err := n.passing(s)
	if err != nil {
		return nil, err
	}
	return roaring.And(b, pass), nil
}

// The gates only filter: the part's bounds and count are the node's.
func (n *rankGated) count() uint64              { return n.part.count() }
func (n *rankGated) bound(field string) float64 { return n.part.bound(field) }
func (n *rankGated) blockBound(field string, d uint64) (float64, uint64) {
	return n.part.blockBound(field, d)
}

// compileRank compiles a clause of the plan for the snapshot r: the
// shapes plan and withAlternatives build (BM25 terms and phrases under sums
// and maxima with at most one required part).
func compileRank(ctx context.Context, r bleveindex.IndexReader, dec map[segment.Segment]*decodedSegment, docs uint64, q query.Query, errp *error) (rankNode, error) {
	switch q := q.(type) {
	case *bm25Query:
		tfr, err := r.TermFieldReader(ctx, []byte(q.term), q.field, false, false, false)
		if err != nil {
			return nil, err
		}
		df := tfr.Count()
		tfr.Close()
		weight, err := q.weight(ctx, r, docs, df)
		if err != nil {
			return nil, err
		}
		return &rankTerm{field: q.field, term: q.term, weight: weight, avgdl: q.stats.avgdl(q.field), df: df, err: errp, decoded: dec}, nil
	case *bm25PhraseQuery:
		snap, ok := r.(*scorch.IndexSnapshot)
		if !ok {
			return nil, errNoDirect
		}
		return phraseList(ctx, snap, r, q, dec)
	case *gatedQuery:
		part, err := compileRank(ctx, r, dec, docs, q.q, errp)
		if err != nil {
			return nil, err
		}
		n := &rankGated{part: part, gates: make([]rankNode, len(q.gates))}
		for i, g := range q.gates {
			if n.gates[i], err = compileRank(ctx, r, dec, docs, g, errp); err != nil {
				return nil, err
			}
		}
		return n, nil
	case *sumQuery:
		if q.min > 1 {
			return nil, errNoDirect
		}
		n := &rankSum{best: q.best, parts: make([]rankNode, len(q.parts))}
		for i, p := range q.parts {
			var err error
			if n.parts[i], err = compileRank(ctx, r, dec, docs, p, errp); err != nil {
				return nil, err
			}
		}
		return n, nil
	}
	return nil, errNoDirect
}

// ranked is one scored document.
type ranked struct {
	doc   uint64 // snapshot document number
	score float64
	date  int64  // publication instant, Unix nanoseconds; noDate: none
	id    []byte // the article id, once a tie needed it (directSearch.id)
}

// worse reports whether a ranks after b, as sortOrder orders hits
// through bleve: by score, equal scores newest first (undated last), then
// by article id. Ties are common (copies of a wire story, short items of
// one length), and the index order that bleve's collector would fall back
// on differs from one build of the same articles to the next. A tie reads
// the two ids in place, in the segments' stored data, and the ranked
// documents keep them for the next tie.
func (ds *directSearch) worse(a, b *ranked) bool {
	switch {
	case a.score != b.score:
		return a.score < b.score
	case a.date != b.date:
		return a.date < b.date // noDate is the least
	case a.doc == b.doc:
		return false
	}
	return bytes.Compare(ds.id(a), ds.id(b)) > 0
}

// id returns r's article id, a slice of its segment's data. A failure to
// read it is kept in ds.err.
func (ds *directSearch) id(r *ranked) []byte {
	if r.id != nil {
		return r.id
	}
	s := ds.segs[segmentOf(ds.segs, r.doc)]
	b, err := s.seg.DocID(r.doc - s.offset)
	if err == nil && b == nil {
		err = fmt.Errorf("document %d has no stored id", r.doc)
	}
	if err != nil && ds.err == nil {
		ds.err = err
	}
	r.id = b
	return b
}

// segmentOf returns the index in segs of the segment holding snapshot
// document doc.
func segmentOf(segs []*segmentSet, doc uint64) int {
	return sort.Search(len(segs), func(j int) bool { return segs[j].offset > doc }) - 1
}

// topK keeps the k best documents; its root is the worst of them.
type topK struct {
	k    int
	docs []ranked
	ds   *directSearch // whose order (worse) ranks them
}

func (h *topK) Len() int           { return len(h.docs) }
func (h *topK) Less(i, j int) bool { return h.ds.worse(&h.docs[i], &h.docs[j]) }
func (h *topK) Swap(i, j int)      { h.docs[i], h.docs[j] = h.docs[j], h.docs[i] }
func (h *topK) Push(x any)         { h.docs = append(h.docs, x.(ranked)) }
func (h *topK) Pop() any {
	n := len(h.docs) - 1
	v := h.docs[n]
	h.docs = h.docs[:n]
	return v
}

// admits reports whether a document scoring score could be among the k
// best so far.
func (h *topK) admits(score float64) bool {
	return len(h.docs) < h.k || score >= h.docs[0].score
}

// offer keeps r if it is among the k best so far, and reports whether it
// was kept.
func (h *topK) offer(r ranked) bool {
	switch {
	case len(h.docs) < h.k:
		heap.Push(h, r)
	case h.ds.worse(&h.docs[0], &r):
		h.docs[0] = r
		heap.Fix(h, 0)
	default:
		return false
	}
	return true
}

// sorted returns the kept documents best first.
func (h *topK) sorted() []ranked {
	out := &topK{docs: slices.Clone(h.docs), ds: h.ds}
	sort.Sort(sort.Reverse(out))
	return out.docs
}

// directSearch is one query ranked on postings over one snapshot.
type directSearch struct {
	p       *plan
	snap    *scorch.IndexSnapshot
	clauses []rankNode
	err     error         // the first postings or id error met while ranking
	cols    *facetColumns // of snap: the dates that break ties

	// Per segment, in snapshot order.
	segs    []*segmentSet
	atLeast [][]*roaring.Bitmap // [segment][k]: documents with ≥ k clauses (k ≥ 1)
	each    [][]*roaring.Bitmap // [segment][i]: documents with clause i
	allowed []*roaring.Bitmap   // [segment]: filters met, nothing excluded; nil: all
}

// runDirect answers the plan from the postings of one snapshot, as the
// section comment describes. ok is false, with nothing done, when the
// query or the snapshot needs bleve's path.
func (p *plan) runDirect(ctx context.Context, bi bleve.Index) (res Results, ok bool, err error) {
	// Without text, articles come newest first unless asked otherwise
	// (sortOrder).
	byDate := p.q.Sort == SortNewest || p.q.Sort == SortOldest || !p.text
	if p.q.Sort != "" && p.q.Sort != SortRelevance && !byDate || len(p.clauses) > maxRankClauses || p.x.cols.noBitmaps.Load() {
		return Results{}, false, nil
	}
	r, err := snapshot(bi)
	if err != nil {
		return Results{}, false, err
	}
	defer r.Close()
	snap, isScorch := r.(*scorch.IndexSnapshot)
	if !isScorch {
		return Results{}, false, nil
	}
	// The columns give the facets and the dates, which order by date and
	// break ties of score.
	cols := p.x.freshColumns(r)
	if cols == nil {
		return Results{}, false, nil // a build runs, or freshColumns asked for one
	}
	ds := &directSearch{p: p, snap: snap, cols: cols}
	dec := p.x.decodedFor(snap)
	docs, err := r.DocCount()
	if err != nil {
		return Results{}, false, err
	}
	for _, c := range p.clauses {
		n, err := compileRank(ctx, r, dec, docs, c, &ds.err)
		if errors.Is(err, errNoDirect) {
			return Results{}, false, nil
		}
		if err != nil {
			return Results{}, false, err
		}
		ds.clauses = append(ds.clauses, n)
	}
	excluded, err := p.excludedSet(ctx, r)
	if err != nil {
		return Results{}, false, err
	}
	filter := func(except string) (*setNode, error) {
		fq := p.filter(except)
		if fq == nil {
			return nil, nil
		}
		n, ok := compileSet(fq)
		if !ok {
			return nil, errNoDirect
		}
		return n, searchLeaves(ctx, r, p.x.m, n)
	}
	mainFilter, err := filter("")
	if err != nil {
		return Results{}, false, err
	}
	if err := ds.sets(excluded, mainFilter); errors.Is(err, errNoBitmap) {
		return Results{}, false, nil
	} else if err != nil {
		return Results{}, false, err
	}

	// Total and facets: the result tier, counted on its bitmaps.
	rt := p.resultTier()
	if !p.text {
		rt = tier{0, 0} // every article (atLeast[0])
	}
	var plain []string
	counts := map[string][]Bucket{}
	for _, f := range p.q.Facets {
		if !p.selected(f) {
			plain = append(plain, f)
			continue
		}
		// A selected facet counts without its own selection.
		fs, err := filter(f)
		if err != nil {
			return Results{}, false, err
		}
		t := newTally([]string{f})
		t.useColumns(cols)
		unselected := func(i int) (*roaring.Bitmap, error) { return allowedSet(ds.segs[i], excluded, fs) }
		if _, err := ds.tally(rt, unselected, t); err != nil {
			return Results{}, false, err
		}
		own, err := t.results(p.q.Filters)
		if err != nil {
			return Results{}, false, err
		}
		counts[f] = own[f]
	}
	t := newTally(plain)
	t.useColumns(cols)
	total, err := ds.tally(rt, func(i int) (*roaring.Bitmap, error) { return ds.allowed[i], nil }, t)
	if err != nil {
		return Results{}, false, err
	}
	got, err := t.results(p.q.Filters)
	if err != nil {
		return Results{}, false, err
	}
	for name, bs := range got {
		counts[name] = bs
	}
	// The page: tiers best first when the strategy ranks by tiers.
	tiers := []tier{rt}
	if pt := p.pageTiers(); pt != nil {
		tiers = pt
	}
	rank := ds.rank
	if byDate {
		rank = func(ctx context.Context, t tier, k int) ([]ranked, uint64, error) {
			return ds.rankByDate(ctx, t, k, p.q.Sort != SortOldest)
		}
	}
	var page []ranked
	var all *uint64 // Results.TotalAll: the top tier's count, once ranked
	every := p.every()
	skip, need := p.q.From, p.q.Size
	for _, tr := range tiers {
		if need <= 0 {
			break
		}
		got, n, err := rank(ctx, tr, skip+need)
		if err != nil {
			return Results{}, false, err
		}
		if tr == every {
			all = &n
		}
		if skip >= int(n) {
			skip -= int(n)
			continue
		}
		got = got[skip:]
		skip = 0
		if len(got) > need {
			got = got[:need]
		}
		page = append(page, got...)
		need -= len(got)
	}
	switch {
	case !p.text || p.wordCount() < 2:
		all = nil
	case all == nil: // match any: no tier of every clause was ranked
		n, err := ds.tally(every, func(i int) (*roaring.Bitmap, error) { return ds.allowed[i], nil }, newTally(nil))
		if err != nil {
			return Results{}, false, err
		}
		all = &n
	}
	hits, arts, err := ds.loadHits(page)
	if err != nil {
		return Results{}, false, err
	}
	if !p.q.plain {
		if err := p.locate(hits, locateOn(ctx, snap, dec)); err != nil {
			return Results{}, false, err
		}
	}
	res = Results{Total: total, TotalAll: all, Hits: make([]Hit, len(hits))}
	for i, h := range hits {
		res.Hits[i] = p.hit(h, arts[i])
		if !p.q.plain {
			res.Hits[i].Missing = ds.missing(page[i].doc)
		}
	}
	res.Facets = p.facets(counts)
	p.x.cols.direct.Add(1)
	return res, true, nil
}

// excludedSet is the union of the query's exclusions, with bleve's
// searchers run for the parts bitmaps cannot express; nil when none.
func (p *plan) excludedSet(ctx context.Context, r bleveindex.IndexReader) (*setNode, error) {
	if len(p.excluded) == 0 {
		return nil, nil
	}
	n, ok := compileAll(setOr, p.excluded)
	if !ok {
		return nil, errNoDirect
	}
	return n, searchLeaves(ctx, r, p.x.m, n)
}

// sets computes, per segment, the documents with at least k clauses
// (k = 1..n) and those the filter and exclusions allow.
func (ds *directSearch) sets(excluded, filter *setNode) error {
	n := len(ds.clauses)
	for _, s := range segmentSets(ds.snap) {
		// atLeast[k] after clause i: documents with ≥ k of clauses 0..i.
		atLeast := make([]*roaring.Bitmap, n+1)
		each := make([]*roaring.Bitmap, n)
		for i, c := range ds.clauses {
			b, err := c.set(s)
			if err != nil {
				return err
			}
			each[i] = b
			for k := min(i+1, n); k >= 2; k-- {
				if atLeast[k-1] == nil {
					continue
				}
				both := roaring.And(atLeast[k-1], b)
				if atLeast[k] == nil {
					atLeast[k] = both
				} else {
					atLeast[k] = roaring.Or(atLeast[k], both)
				}
			}
			if atLeast[1] == nil {
				atLeast[1] = b
			} else {
				atLeast[1] = roaring.Or(atLeast[1], b)
			}
		}
		if n == 0 { // no text: every live article
			all, err := s.eval(&setNode{op: setAll})
			if err != nil {
				return err
			}
			atLeast[0] = all
		}
		for k := range atLeast {
			if atLeast[k] == nil {
				atLeast[k] = roaring.New()
			}
		}
		allowed, err := allowedSet(s, excluded, filter)
		if err != nil {
			return err
		}
		ds.segs = append(ds.segs, s)
		ds.atLeast = append(ds.atLeast, atLeast)
		ds.each = append(ds.each, each)
		ds.allowed = append(ds.allowed, allowed)
	}
	return nil
}

// allowedSet is the segment's documents that pass filter and are not
// excluded; nil when neither applies.
func allowedSet(s *segmentSet, excluded, filter *setNode) (*roaring.Bitmap, error) {
	if excluded == nil && filter == nil {
		return nil, nil
	}
	n := &setNode{op: setAnd}
	if filter != nil {
		n.kids = append(n.kids, filter)
	} else {
		n.kids = append(n.kids, &setNode{op: setAll})
	}
	if excluded != nil {
		n.not = append(n.not, excluded)
	}
	return s.eval(n)
}

// missing returns the words of the query (plan.words) whose clauses
// snapshot document doc lacks; nil when it has them all, or when the
// query has one clause.
func (ds *directSearch) missing(doc uint64) []string {
	si := segmentOf(ds.segs, doc)
	local := uint32(doc - ds.segs[si].offset)
	return ds.p.missingWords(func(i int) bool { return !ds.each[si][i].Contains(local) })
}

// tierSet is the documents of segment i in tier t that the filters allow.
func (ds *directSearch) tierSet(i int, t tier, allowed *roaring.Bitmap) *roaring.Bitmap {
	bm := ds.atLeast[i][t.lo]
	if t.hi < len(ds.clauses) {
		bm = roaring.AndNot(bm, ds.atLeast[i][t.hi+1])
	}
	if allowed != nil {
		bm = roaring.And(bm, allowed)
	}
	return bm
}

// tally counts tier tr's documents that allowed(segment) lets through
// and tallies t's facets over them.
func (ds *directSearch) tally(tr tier, allowed func(i int) (*roaring.Bitmap, error), t *facetTally) (uint64, error) {
	var total uint64
	for i := range ds.segs {
		a, err := allowed(i)
		if err != nil {
			return 0, err
		}
		bm := ds.tierSet(i, tr, a)
		total += bm.GetCardinality()
		if len(t.defs) > 0 {
			t.addSet(bm, i)
		}
	}
	return total, nil
}

// rank scores tier t's documents and returns its k best, best first, and
// the number of documents in the tier.
//
// It skips documents that cannot make the k best (MaxScore, Turtle and
// Flood 1995): each clause's score in the title and in the body is a
// "unit" with an upper bound (bound). The articles with a query word in
// the title are scored first; once k documents are kept, the units whose
// bounds add up to no more than the worst kept score can no longer bring
// a document in alone, so the rest of the tier is read only where it
// matches one of the other units: for a one-word search, once the page
// holds articles with the word in title and body, the articles with it
// in the body only. When no unit is left, ranking stops.
//
// Within what is read, it skips runs of documents by their block bounds
// (block-max MaxScore, as Lucene does): a decoded term keeps its best
// score in each run of blockPostings postings, and while the sum of every
// unit's run bound around a document stays under the worst kept score, no
// document up to the first run's end can make the page. On the second
// phase's documents, which match no title unit, only the body's units
// count. On the 108k Reuters articles this took the documents scored per
// ranked tier from 702 to 303 on average. Within a phase, the runs also
// pass over the documents that only outgrown units match: narrowing the
// candidate set again each time a unit was outgrown (a union and an
// intersection of bitmaps) cost more than it saved: 3% of the query log's
// CPU on 108k articles.
//
// Every document scored is scored in full, and a document left out scores
// less than the worst kept one (the bounds' comparisons are strict), so no
// tie-break could have let it in: the page is the one a full scan gives.
func (ds *directSearch) rank(ctx context.Context, t tier, k int) ([]ranked, uint64, error) {
	top := ds.topK(k)
	var blockSkips uint64
	prune := !ds.p.x.noPrune.Load() // tests turn pruning off
	clauses := ds.sumOrder(t)
	var n uint64
	for i, s := range ds.segs {
		bm := ds.tierSet(i, t, ds.allowed[i])
		if bm.IsEmpty() {
			continue
		}
		n += bm.GetCardinality()
		for _, c := range ds.clauses {
			if err := c.reset(s); err != nil {
				return nil, 0, err
			}
		}
		units := ds.units(s)
		var err error
		// Articles with a query word in the title usually rank first:
		// scoring them first raises the bar for the rest at once.
		phases := []*roaring.Bitmap{bm}
		if prune {
			if seed, err := units.titled(bm); err != nil {
				return nil, 0, err
			} else if !seed.IsEmpty() && seed.GetCardinality() < bm.GetCardinality() {
				phases = []*roaring.Bitmap{seed, roaring.AndNot(bm, seed)}
			}
		}
		scored, skipped := uint64(0), 0
	phases:
		for ph, base := range phases {
			if ph > 0 {
				for _, c := range ds.clauses { // back to the segment's start
					if err := c.reset(s); err != nil {
						return nil, 0, err
					}
				}
			}
			cands := base
			if skipped > 0 {
				if cands, err = units.candidates(base, skipped); err != nil {
					return nil, 0, err
				}
			}
			// ub bounds the score of every document below blockEnd.
			ub, blockEnd := 0.0, uint64(0)
			it := cands.Iterator()
			for j := 0; it.HasNext(); j++ {
				if j%4096 == 0 && ctx.Err() != nil {
					return nil, 0, ctx.Err()
				}
				d := uint64(it.Next())
				if prune && len(top.docs) == top.k {
					if d >= blockEnd {
						ub, blockEnd = units.blockBound(d, ph > 0)
					}
					if ub*boundSlack < top.docs[0].score {
						// No document of the run can make the page.
						blockSkips++
						if blockEnd > math.MaxUint32 {
							break
						}
						it.AdvanceIfNeeded(uint32(blockEnd))
						continue
					}
				}
				score := 0.0
				for _, c := range clauses {
					score += c.score(d)
				}
				scored++
				// The date, which breaks ties, is read only for a score
				// that can make the page: it costs a cache miss.
				if !top.admits(score) || !top.offer(ranked{doc: s.offset + d, score: score, date: ds.date(i, d)}) || len(top.docs) < top.k || !prune {
					continue
				}
				// The worst kept score rose: drop the units it outgrew (the
				// next phase reads only the others' documents).
				if skipped = units.essentialFrom(top.docs[0].score); skipped == len(units.ub) {
					break phases // nothing left can make the page
				}
			}
		}
		if ds.err != nil {
			return nil, 0, ds.err
		}
		ds.p.x.unscored.Add(bm.GetCardinality() - scored)
	}
	ds.p.x.blockSkips.Add(blockSkips)
	page := top.sorted()
	return page, n, ds.err
}

// topK returns an empty topK for the k best documents of ds.
func (ds *directSearch) topK(k int) *topK { return &topK{k: k, ds: ds} }

// date is the publication date of document d of segment i, or noDate.
func (ds *directSearch) date(i int, d uint64) int64 {
	dates := ds.cols.segs[i].dates
	if d >= uint64(len(dates)) {
		return noDate
	}
	return dates[d]
}

// rankByDate returns tier t's k first documents by publication date,
// newest or oldest first, and the number of documents in the tier. The
// order is sortOrder's through bleve: articles without a date last, equal
// dates by score, then by article id (worse).
//
// A first pass reads the tier's dates from the date column and finds the
// k-th date in that order, the cut. Only the documents dated at or before
// the cut can make the page, and only they are scored: the fewer than k
// dated strictly before it all make it, and the rest of the page is the
// best scored of those dated exactly at the cut (all of the tier when no
// article has a date).
func (ds *directSearch) rankByDate(ctx context.Context, t tier, k int, newest bool) ([]ranked, uint64, error) {
	key := func(seg int, doc uint64) int64 {
		date := ds.date(seg, doc)
		switch {
		case date == noDate:
			return math.MaxInt64
		case newest:
			return -date // dates lie in minYear..maxYear: no overflow
		}
		return date
	}
	sets := make([]*roaring.Bitmap, len(ds.segs))
	var n uint64
	for i := range ds.segs {
		sets[i] = ds.tierSet(i, t, ds.allowed[i])
		n += sets[i].GetCardinality()
	}
	if n == 0 || k == 0 {
		return nil, n, nil
	}
	// Only the newest (oldest) months that hold k matches need reading.
	if w := ds.cols.monthWindow(sets, k, newest); w != nil {
		sets = w
		ds.p.x.cols.windows.Add(1)
	}
	kth := &keyHeap{}
	for i := range ds.segs {
		bm := sets[i]
		it := bm.Iterator()
		for j := 0; it.HasNext(); j++ {
			if j%4096 == 0 && ctx.Err() != nil {
				return nil, 0, ctx.Err()
			}
			kth.offer(key(i, uint64(it.Next())), k)
		}
	}
	cut := (*kth)[0]
	type datedDoc struct {
		ranked
		key int64
	}
	var before []datedDoc
	atCut := ds.topK(k)
	clauses := ds.sumOrder(t)
	for i, s := range ds.segs {
		bm := sets[i]
		if bm.IsEmpty() {
			continue
		}
		for _, c := range ds.clauses {
			if err := c.reset(s); err != nil {
				return nil, 0, err
			}
		}
		it := bm.Iterator()
		for it.HasNext() {
			d := uint64(it.Next())
			kd := key(i, d)
			if kd > cut {
				continue
			}
			score := 0.0
			for _, c := range clauses {
				score += c.score(d)
			}
			if len(clauses) == 0 {
				score = matchAllScore
			}
			r := ranked{doc: s.offset + d, score: score, date: ds.date(i, d)}
			if kd < cut {
				before = append(before, datedDoc{r, kd})
			} else {
				atCut.offer(r)
			}
		}
		if ds.err != nil {
			return nil, 0, ds.err
		}
	}
	sort.Slice(before, func(i, j int) bool {
		a, b := &before[i], &before[j]
		if a.key != b.key {
			return a.key < b.key
		}
		return ds.worse(&b.ranked, &a.ranked)
	})
	page := make([]ranked, 0, k)
	for _, d := range before {
		page = append(page, d.ranked)
	}
	page = append(page, atCut.sorted()...)
	return page[:min(k, len(page))], n, ds.err
}

// matchAllScore is the score bleve gives every article of a search
// without text (its match-all searcher's constant score).
const matchAllScore = 1.0

// keyHeap keeps the k smallest keys offered; its root is the largest of
// them.
type keyHeap []int64

func (h keyHeap) Len() int           { return len(h) }
func (h keyHeap) Less(i, j int) bool { return h[i] > h[j] }
func (h keyHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *keyHeap) Push(x any)        { *h = append(*h, x.(int64)) }
func (h *keyHeap) Pop() any {
	old := *h
	v := old[len(old)-1]
	*h = old[:len(old)-1]
	return v
}

func (h *keyHeap) offer(key int64, k int) {
	switch {
	case len(*h) < k:
		heap.Push(h, key)
	case key < (*h)[0]:
		(*h)[0] = key
		heap.Fix(h, 0)
	}
}

// scoreUnits are the units of one segment's ranking, by ascending bound.
// Their match sets are read once pruning starts, each once.
type scoreUnits struct {
	seg    *segmentSet
	ub     []float64
	clause []rankNode
	field  []string
	sum    []float64         // sum[i]: the bounds of units 0..i
	sets   []*roaring.Bitmap // read so far
}

// units returns the segment's units: each clause in each field.
func (ds *directSearch) units(s *segmentSet) *scoreUnits {
	type unit struct {
		ub     float64
		clause rankNode
		field  string
	}
	var us []unit
	for _, c := range ds.clauses {
		for _, f := range []string{fieldTitle, fieldBody} {
			if ub := c.bound(f); ub > 0 {
				us = append(us, unit{ub, c, f})
			}
		}
	}
	slices.SortStableFunc(us, func(a, b unit) int { return cmp.Compare(a.ub, b.ub) })
	out := &scoreUnits{seg: s, sets: make([]*roaring.Bitmap, len(us))}
	total := 0.0
	for _, u := range us {
		total += u.ub
		out.ub = append(out.ub, u.ub)
		out.clause = append(out.clause, u.clause)
		out.field = append(out.field, u.field)
		out.sum = append(out.sum, total)
	}
	return out
}

// set returns unit i's documents in the segment.
func (u *scoreUnits) set(i int) (*roaring.Bitmap, error) {
	if u.sets[i] == nil {
		set, err := u.clause[i].fieldSet(u.seg, u.field[i])
		if err != nil {
			return nil, err
		}
		u.sets[i] = set
	}
	return u.sets[i], nil
}

// boundSlack covers the rounding of sums in another order than a
// document's score adds them up.
const boundSlack = 1 + 1e-9

// essentialFrom returns how many units, the weakest first, together score
// no more than worst: documents matching only those cannot be kept.
func (u *scoreUnits) essentialFrom(worst float64) int {
	p := 0
	for p < len(u.sum) && u.sum[p]*boundSlack < worst {
		p++
	}
	return p
}

// blockBound bounds the score of every document of the segment from d up
// to the end it returns: the sum of every unit's block bound there, or,
// untitled, of the body's (for documents that match no title unit).
func (u *scoreUnits) blockBound(d uint64, untitled bool) (float64, uint64) {
	ub, end := 0.0, uint64(noEnd)
	for i, c := range u.clause {
		if untitled && u.field[i] == fieldTitle {
			continue
		}
		b, e := c.blockBound(u.field[i], d)
		ub += b
		end = min(end, e)
	}
	return ub, end
}

// titled is bm's documents matching a unit in the title.
func (u *scoreUnits) titled(bm *roaring.Bitmap) (*roaring.Bitmap, error) {
	var title []int
	for i, f := range u.field {
		if f == fieldTitle {
			title = append(title, i)
		}
	}
	return u.matching(bm, title)
}

// candidates is bm's documents matching one of the units from p on.
func (u *scoreUnits) candidates(bm *roaring.Bitmap, p int) (*roaring.Bitmap, error) {
	if p == 0 {
		return bm, nil
	}
	rest := make([]int, 0, len(u.ub)-p)
	for i := p; i < len(u.ub); i++ {
		rest = append(rest, i)
	}
	return u.matching(bm, rest)
}

// matching is bm's documents matching one of the units numbered in is.
func (u *scoreUnits) matching(bm *roaring.Bitmap, is []int) (*roaring.Bitmap, error) {
	if len(is) == 0 {
		return roaring.New(), nil
	}
	set, err := union(is, u.set)
	if err != nil {
		return nil, err
	}
	return roaring.And(bm, set), nil
}

// sumOrder returns the clauses in the order bleve adds up their scores
// for tier t, so that scores agree to the last bit: a conjunction (the
// top tier) sorts its parts by Count, a disjunction keeps their order.
func (ds *directSearch) sumOrder(t tier) []rankNode {
	n := len(ds.clauses)
	if n == 1 || t.lo < n {
		return ds.clauses
	}
	out := slices.Clone(ds.clauses)
	slices.SortStableFunc(out, func(a, b rankNode) int { return cmp.Compare(a.count(), b.count()) })
	return out
}

// loadHits turns ranked documents into bleve matches, for locate, and
// their stored articles, read straight from their segments: one visit of
// each document's stored fields, where bleve's Document looks the id up
// in the _id field first and ExternalID visits them once more.
func (ds *directSearch) loadHits(page []ranked) (search.DocumentMatchCollection, []Article, error) {
	hits := make(search.DocumentMatchCollection, len(page))
	arts := make([]Article, len(page))
	for i, d := range page {
		si := segmentOf(ds.segs, d.doc)
		s := ds.segs[si]
		a, err := storedArticle(ds.p.x.cb, s.seg, d.doc-s.offset)
		if err != nil {
			return nil, nil, err
		}
		id := bleveindex.IndexInternalID(binary.BigEndian.AppendUint64(nil, d.doc))
		hits[i] = &search.DocumentMatch{ID: a.ID, IndexInternalID: id, Score: d.score, HitNumber: d.doc}
		arts[i] = a
	}
	return hits, arts, nil
}

// storedArticle reads the stored fields of document num of seg, as
// fromFields reads them from bleve's search results; cb is the codebook of
// seg's generation.
func storedArticle(cb *codebook, seg *scorch.SegmentSnapshot, num uint64) (Article, error) {
	// One variable for the callback to fill: each one it captures is a
	// heap allocation per hit.
	var v struct {
		a         Article
		stored    bool
		storedErr error
	}
	a := &v.a
	err := seg.VisitDocument(num, func(name string, _ byte, val []byte, _ []uint64) bool {
		switch name {
		case "_id":
			a.ID = string(val)
		case fieldRecord:
			v.stored = true
			v.storedErr = decodeStored(cb, val, a)
		}
		return true
	})
	switch {
	case err != nil:
	case a.ID == "":
		err = fmt.Errorf("document %d has no stored id", num)
	case !v.stored:
		err = fmt.Errorf("article %q: %w: none", a.ID, errCorruptRecord)
	case v.storedErr != nil:
		err = fmt.Errorf("article %q: %w", a.ID, v.storedErr)
	}
	return v.a, err
}
