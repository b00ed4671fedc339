package index

import (
	"math"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/blevesearch/bleve/v2/index/scorch"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// Decoded postings.
//
// zap keeps a term's frequencies and norms as varints in chunks of about a
// thousand postings, and reaching one posting decodes every posting before
// it in its chunk. Ranking a common word reads most of its postings that
// way: on 108k articles that decoding was a fifth of a search's CPU, more
// than the scoring. So the first search that ranks a title or body term
// found in at least minDecodedDF articles of a large segment decodes its
// postings into plain arrays (document numbers, frequencies) and records
// each of those documents' field length as bleve's norm gives it; later
// searches read the arrays with a galloping search instead of zap's
// iterators. Rare terms and small segments (recent writes) are read from
// zap as before. The arrays change nothing but the speed: a segment never
// changes, and its arrays go with it.
//
// Decoding on first use rather than for every term up front keeps memory
// to the terms searched for (all of them would take about 31 MB on
// Reuters-21578 ×5, and the decoding pass pages in the whole postings
// file), and costs the first search about what reading the term from zap
// costs it anyway.
const (
	minDecodedDocs = 4096 // smallest segment decoded
	minDecodedDF   = 256  // rarest term decoded
	// The decoded postings take about 5 bytes a posting: all the common
	// terms of 108k Reuters articles take 31 MB, about 290 bytes an
	// article. Their memory is bounded by maxDecodedBytes or, in a larger
	// index, decodedBytesPerDoc for each of its articles (twice what those
	// articles' common terms took), up to topDecodedBytes. Past the bound,
	// further terms are read from zap. With a fixed 64 MB, 539k articles
	// (Reuters ×25) ran out of it partway through bench/speed's query
	// log, and the log's later terms went through zap's iterators: 12% of
	// the server's CPU.
	maxDecodedBytes    = 64 << 20
	decodedBytesPerDoc = 600
	topDecodedBytes    = 1 << 30
)

// advance returns the first posting of it at or after document d, given
// cur, the posting it last returned (nil: none yet). zap's Advance moves
// past its current posting even when that is already at or after d, so it
// is asked only when behind.
func advance(it segment.PostingsIterator, cur segment.Posting, d uint64) (segment.Posting, error) {
	if cur != nil && cur.Number() >= d {
		return cur, nil
	}
	return it.Advance(d)
}

// decodedTerm is one term's postings in one field of one segment.
type decodedTerm struct {
	docs  []uint32 // segment document numbers, ascending, deleted ones included
	freqs []uint8  // term frequency; 255 means: look in big
	big   map[int]uint32
	// The largest frequency and the shortest field (0: none with a norm):
	// BM25 cannot score the term higher than with both (rank.go's upper
	// bounds).
	maxTF uint64
	minDL float64
	// Where every skipEvery-th posting starts in zap's chunks: its
	// freq/norm and location offsets, for zapCursor to jump to (none when
	// decoded through zap's iterator).
	skips     []uint32
	chunkSize uint64
	// blocks holds the best score of each run of blockPostings postings,
	// computed by the first ranking that asks (blockMaxima).
	blocks atomic.Pointer[termBlocks]
}

// blockPostings is the length of the runs of a decoded term's postings
// whose best scores let a ranking skip runs of documents that cannot make
// its page (rank.go, block-max MaxScore). As in Lucene, the runs follow
// the postings, not document numbers: a common term's run spans a few
// hundred documents, a rarer term's many more.
const blockPostings = 64

// termBlocks is a term's best BM25 term-frequency factor (tfNorm) in each
// run of blockPostings postings, rounded up to a float32 (4 bytes a run,
// 1/80 of the decoded postings), for the average field length avgdl.
// tfNorm grows with the average (a document of length dl counts as
// shorter) by at most the ratio of the new to the old average, so
// best·max(1, avgdl'/avgdl) bounds the run under any later average as
// writes change it.
type termBlocks struct {
	avgdl float64
	best  []float32
}

// blockMaxima returns t's block maxima for avgdl (positive), with the
// field lengths lens, which hold every one of t's documents. They are
// computed on first use, and again once writes have moved the average by
// more than maxBlockDrift, which would loosen them.
func (t *decodedTerm) blockMaxima(lens *fieldLens, avgdl float64) *termBlocks {
	if b := t.blocks.Load(); b != nil && avgdl <= b.avgdl*maxBlockDrift && avgdl*maxBlockDrift >= b.avgdl {
		return b
	}
	b := &termBlocks{avgdl: avgdl, best: make([]float32, (len(t.docs)+blockPostings-1)/blockPostings)}
	for i, d := range t.docs {
		v := tfNorm(float64(t.freq(i)), lens.dl(uint64(d)), avgdl)
		f := float32(v)
		if float64(f) < v {
			f = math.Nextafter32(f, float32(math.Inf(1)))
		}
		j := i / blockPostings
		b.best[j] = max(b.best[j], f)
	}
	// Searches that compute them at once each use their own; the last
	// stays.
	t.blocks.Store(b)
	return b
}

// maxBlockDrift is how far the average field length may move from the one
// a term's block maxima were computed for, as a factor, before they are
// computed again.
const maxBlockDrift = 1.05

func (t *decodedTerm) freq(i int) uint64 {
	if f := t.freqs[i]; f < 255 {
		return uint64(f)
	}
	return uint64(t.big[i])
}

// seek returns the first index at or after from whose document is at
// least d (len(docs) when none): a galloping search, since the documents
// a ranking asks for only grow.
func (t *decodedTerm) seek(from int, d uint32) int {
	docs := t.docs
	if from >= len(docs) || docs[from] >= d {
		return from
	}
	step := 1
	lo, hi := from, from+1
	for hi < len(docs) && docs[hi] < d {
		lo = hi
		step *= 2
		hi = lo + step
	}
	hi = min(hi, len(docs))
	i, _ := slices.BinarySearch(docs[lo:hi], d)
	return lo + i
}

// decodedSegment holds the decoded title and body terms of one segment.
//
// lens holds, per field and document, the field length BM25 reads (see
// fieldLens), written while decoding a term for its documents that have
// none yet. A search reads it only for documents of decoded terms, whose
// entries were written before the term was published under mu, and a
// written entry is never written again: the two never meet.
type decodedSegment struct {
	seg   segment.Segment
	state *decodedState
	minDF uint64
	mu    sync.RWMutex
	// Guarded by mu: the bytes decoded, and whether the segment has left
	// the live snapshot (its bytes are then no longer counted).
	bytes   int64
	dropped bool
	terms   map[termKey]*decodedTerm // nil: looked at, too rare
	lens    map[string]*fieldLens
}

// term returns field's postings of term in the segment, decoded (on first
// use), with the field lengths; nil when the term is too rare to decode.
func (s *decodedSegment) term(field, term string) (*decodedTerm, *fieldLens, error) {
	k := termKey{field, term}
	s.mu.RLock()
	t, seen := s.terms[k]
	lens := s.lens[field]
	s.mu.RUnlock()
	if seen {
		return t, lens, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if t, seen := s.terms[k]; seen {
		return t, s.lens[field], nil
	}
	t, err := s.decode(field, term)
	if err != nil {
		return nil, nil, err
	}
	s.terms[k] = t
	return t, s.lens[field], nil
}

// decoded returns term's decoded postings in field, decoding them on first
// use; nil when there are none (too rare, over the budget) or s is nil.
func (s *decodedSegment) decoded(field, term string) (*decodedTerm, error) {
	if s == nil {
		return nil, nil
	}
	t, _, err := s.term(field, term)
	return t, err
}

// charge counts n more decoded bytes against the budget, unless the
// segment has left the live snapshot; false when they do not fit.
func (s *decodedSegment) charge(n int64) bool {
	if s.dropped {
		return true // its bytes go with it; nothing is counted any more
	}
	if s.state.bytes.Load()+n > s.state.budget() {
		return false
	}
	s.bytes += n
	s.state.bytes.Add(n)
	return true
}

// decode reads field's postings of term from zap; s.mu is held.
func (s *decodedSegment) decode(field, term string) (*decodedTerm, error) {
	dict, err := s.seg.Dictionary(field)
	if err != nil {
		return nil, err
	}
	pl, err := dict.PostingsList([]byte(term), nil, nil)
	if err != nil {
		return nil, err
	}
	n := pl.Count()
	if n < s.minDF {
		return nil, nil
	}
	lens := s.lens[field]
	size := int64(n)*5 + int64(n/skipEvery+1)*8 + int64(n/blockPostings+1)*4
	if lens == nil {
		size += 2 * int64(s.seg.Count())
	}
	if !s.charge(size) {
		return nil, nil // over the budget: read from zap
	}
	if lens == nil {
		lens = &fieldLens{codes: make([]uint16, s.seg.Count())}
		s.lens[field] = lens
	}
	t := &decodedTerm{docs: make([]uint32, 0, n), freqs: make([]uint8, 0, n)}
	if zf := newZapFields(s.seg); zf != nil {
		zt, _, err := zf.term(field, term)
		if err != nil {
			return nil, err
		}
		t.skips, err = zt.decode(func(d uint32, tf uint64, norm float64) {
			t.add(d, tf, norm, lens)
		})
		if err != nil {
			return nil, err
		}
		t.chunkSize = zt.chunkSize
		return t, nil
	}
	it := pl.Iterator(true, true, false, nil)
	for {
		p, err := it.Next()
		if err != nil {
			return nil, err
		}
		if p == nil {
			return t, nil
		}
		t.add(uint32(p.Number()), p.Frequency(), p.Norm(), lens)
	}
}

// add appends the posting of document d, of frequency tf and norm, and
// records d's field length in lens.
func (t *decodedTerm) add(d uint32, tf uint64, norm float64, lens *fieldLens) {
	t.maxTF = max(t.maxTF, tf)
	if tf < 255 {
		t.freqs = append(t.freqs, uint8(tf))
	} else {
		if t.big == nil {
			t.big = map[int]uint32{}
		}
		t.big[len(t.freqs)] = uint32(tf)
		t.freqs = append(t.freqs, 255)
	}
	t.docs = append(t.docs, d)
	code := normCode(norm)
	lens.set(uint64(d), code)
	docLen := codeLengths[code]
	if docLen > 0 && (t.minDL == 0 || docLen < t.minDL) {
		t.minDL = docLen
	}
}

// fieldLens holds one field's lengths in a segment as BM25 reads them:
// the length code of each document's norm (lengthCode, bm25.go), 2 bytes
// an article, mapped to its length through codeLengths. They were
// float64s, 8 bytes an article, and reading them was a cache miss per
// scored document: 7% of the server's CPU on 108k articles.
type fieldLens struct {
	codes []uint16 // 0: none yet, or no norm
}

// dl returns document d's field length, 0 when it has none.
func (f *fieldLens) dl(d uint64) float64 {
	return codeLengths[f.codes[d]]
}

// set records code as document d's field length code, unless it has one.
// It is called with the segment's lock held.
func (f *fieldLens) set(d uint64, code int) {
	if f.codes[d] == 0 {
		f.codes[d] = uint16(code)
	}
}

// decodedState keeps a decodedSegment per large segment of the live
// snapshot.
type decodedState struct {
	mu    sync.Mutex
	segs  map[segment.Segment]*decodedSegment
	bytes atomic.Int64 // decoded, in the live segments
	docs  atomic.Int64 // in the live segments, deleted ones included
	// Tests lower the thresholds (0: minDecodedDocs, minDecodedDF,
	// maxDecodedBytes) or turn decoding off.
	minDocs, minDF uint64
	maxBytes       int64
	off            bool
}

func (s *decodedState) budget() int64 {
	if s.maxBytes > 0 {
		return s.maxBytes
	}
	return min(max(maxDecodedBytes, decodedBytesPerDoc*s.docs.Load()), topDecodedBytes)
}

// knowsAll reports whether known holds every segment of segs with at
// least minDocs documents: per-segment state (decoded postings,
// common-word tables) whose map then need not change.
func knowsAll[T any](segs []*scorch.SegmentSnapshot, minDocs uint64, known map[segment.Segment]T) bool {
	for _, ss := range segs {
		if ss.Segment().Count() >= minDocs {
			if _, ok := known[ss.Segment()]; !ok {
				return false
			}
		}
	}
	return true
}

// liveState returns the state of each segment of segs with at least
// minDocs documents: known's, or made by add for a segment known lacks.
func liveState[T any](segs []*scorch.SegmentSnapshot, minDocs uint64, known map[segment.Segment]T, add func(segment.Segment) T) map[segment.Segment]T {
	live := make(map[segment.Segment]T, len(segs))
	for _, ss := range segs {
		seg := ss.Segment()
		if seg.Count() < minDocs {
			continue
		}
		t, ok := known[seg]
		if !ok {
			t = add(seg)
		}
		live[seg] = t
	}
	return live
}

// decodedFor returns the decoded segments of snap's large segments. It
// adds those it lacks and then forgets the segments that left snap; the
// map it returns is never changed afterwards.
func (x *Index) decodedFor(snap *scorch.IndexSnapshot) map[segment.Segment]*decodedSegment {
	s := &x.dec
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.off {
		return nil
	}
	minDocs, minDF := uint64(minDecodedDocs), uint64(minDecodedDF)
	if s.minDocs > 0 {
		minDocs, minDF = s.minDocs, s.minDF
	}
	segs := snap.Segments()
	if knowsAll(segs, minDocs, s.segs) {
		return s.segs
	}
	live := liveState(segs, minDocs, s.segs, func(seg segment.Segment) *decodedSegment {
		return &decodedSegment{seg: seg, state: s, minDF: minDF, terms: map[termKey]*decodedTerm{}, lens: map[string]*fieldLens{}}
	})
	for seg, ds := range s.segs {
		if live[seg] == nil { // merged away or deleted: its bytes are free
			ds.mu.Lock()
			ds.dropped = true
			s.bytes.Add(-ds.bytes)
			ds.mu.Unlock()
		}
	}
	s.segs = live
	var docs uint64
	for _, ss := range segs {
		docs += ss.Segment().Count()
	}
	s.docs.Store(int64(docs))
	return live
}
