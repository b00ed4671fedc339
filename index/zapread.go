package index

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/search"
	indexapi "github.com/blevesearch/bleve_index_api"
	"github.com/blevesearch/vellum"
	zap "github.com/blevesearch/zapx/v17"
)

// A page's match locations, for its snippets, are read straight from the
// bytes of a persisted zap segment (zapx v17, the format bleve writes).
//
// zap's postings iterator reaches a document by stepping through the
// term's posting bitmap one entry at a time, from wherever it was, and
// then decoding every posting before the document in its chunk (a chunk
// holds up to about 1,024 postings). For a common word in a 100k-article
// segment that is tens of thousands of steps per term for a page of ten
// articles: 22% of the server's CPU at 2 clients. Here the bitmap's rank
// gives the posting's place in its chunk at once, and the postings before
// it are skipped by their lengths, without decoding them into values. A
// term decoded for ranking (postings.go) also knows where every
// skipEvery-th posting starts, so at most skipEvery-1 are skipped.
//
// The layout read (zapx v17 posting.go, intDecoder.go, chunk.go): a
// term's dictionary value is the offset of its postings, or a "1-hit"
// encoding (one document, frequency 1, no locations). At the offset:
// the uvarint offsets of the freq/norm and the location streams, then the
// roaring bitmap of documents with its length. Each stream is chunked by
// document number: the number of chunks, each chunk's end, then the
// bytes. Per posting, the freq/norm stream holds freq<<1|hasLocations
// and, when freq > 0, the norm; the location stream holds the byte length
// of the posting's locations and, per location, field, position, start,
// end and array positions, all uvarints: for title and body, one location
// holding every position, packed as positions.go describes.

// errZapFormat reports bytes that do not follow the layout above.
var errZapFormat = errors.New("zap segment: unexpected postings layout")

// zapFields reads the term dictionaries of one persisted segment.
type zapFields struct {
	seg  *zap.Segment
	mem  []byte
	fsts map[string]*vellum.FST
}

// newZapFields returns a reader for seg, or nil when seg's postings
// cannot be read here: a segment still in memory, another zap version or
// chunk mode, or a reader hook (encryption) set that would transform the
// bytes.
func newZapFields(seg any) *zapFields {
	zs, ok := seg.(*zap.Segment)
	if !ok || indexapi.ReaderHook != nil || zs.Version() != zap.Version {
		return nil
	}
	if m := zs.ChunkMode(); m == 0 || m > 1026 {
		return nil
	}
	return &zapFields{seg: zs, mem: zs.Data(), fsts: map[string]*vellum.FST{}}
}

// fst returns field's dictionary, or nil when the segment has none.
func (z *zapFields) fst(field string) (*vellum.FST, error) {
	if f, ok := z.fsts[field]; ok {
		return f, nil
	}
	addr, err := z.seg.DictAddr(field)
	if err != nil {
		z.fsts[field] = nil // the field is absent from the segment
		return nil, nil
	}
	n, read := binary.Uvarint(z.tail(addr))
	if read <= 0 || n == 0 || addr+uint64(read)+n > uint64(len(z.mem)) {
		return nil, errZapFormat
	}
	start := addr + uint64(read)
	f, err := vellum.Load(z.mem[start : start+n])
	if err != nil {
		return nil, fmt.Errorf("zap segment dictionary of %s: %w", field, err)
	}
	z.fsts[field] = f
	return f, nil
}

// tail returns the bytes from off, at most a uvarint's worth.
func (z *zapFields) tail(off uint64) []byte {
	if off >= uint64(len(z.mem)) {
		return nil
	}
	return z.mem[off:min(off+binary.MaxVarintLen64, uint64(len(z.mem)))]
}

// zapTerm is one term's postings in one field of a segment.
type zapTerm struct {
	docs      *roaring.Bitmap // nil: the 1-hit encoding, or absent
	chunkSize uint64
	freqs     zapChunks
	locs      zapChunks
	// The 1-hit encoding's document and norm bits.
	oneHit          bool
	hitDoc, hitNorm uint64
}

// zapChunks is one chunked stream of a term.
type zapChunks struct {
	data []byte   // from the first chunk's start
	ends []uint64 // each chunk's end in data
}

// chunk returns chunk i's bytes; a stream zap did not write (locations
// of a field without them) has no chunks, and reads as empty.
func (c *zapChunks) chunk(i uint64) ([]byte, error) {
	if len(c.ends) == 0 {
		return nil, nil
	}
	if i >= uint64(len(c.ends)) {
		return nil, errZapFormat
	}
	var start uint64
	if i > 0 {
		start = c.ends[i-1]
	}
	end := c.ends[i]
	if start > end || end > uint64(len(c.data)) {
		return nil, errZapFormat
	}
	return c.data[start:end], nil
}

// term returns term's postings in field; found is false when the segment
// lacks it.
func (z *zapFields) term(field, term string) (t zapTerm, found bool, err error) {
	f, err := z.fst(field)
	if f == nil || err != nil {
		return t, false, err
	}
	off, found, err := f.Get([]byte(term))
	if !found || err != nil {
		return t, false, err
	}
	if off&zap.FSTValEncodingMask == zap.FSTValEncoding1Hit {
		t.oneHit = true // one document, no locations
		t.hitDoc, t.hitNorm = zap.FSTValDecode1Hit(off)
		return t, true, nil
	}
	freqOff := z.uvarint(off)
	locOff := z.uvarint(freqOff.next)
	length := z.uvarint(locOff.next)
	start, size := length.next, uint64(len(z.mem))
	if start > size || length.v > size-start {
		return t, false, errZapFormat
	}
	t.docs = roaring.New()
	if _, err := t.docs.FromBuffer(z.mem[start : start+length.v]); err != nil {
		return t, false, fmt.Errorf("zap postings of %s: %w", term, err)
	}
	t.chunkSize, err = zapChunkSize(z.seg.ChunkMode(), t.docs.GetCardinality(), z.seg.NumDocs())
	if err != nil {
		return t, false, err
	}
	if t.freqs, err = z.chunks(freqOff.v); err != nil {
		return t, false, err
	}
	if t.locs, err = z.chunks(locOff.v); err != nil {
		return t, false, err
	}
	return t, true, nil
}

// uvarintAt is a uvarint read at some offset, and the offset after it.
type uvarintAt struct{ v, next uint64 }

// uvarint reads the uvarint at off; at a bad offset it reads past the
// end, which the callers' bounds checks report.
func (z *zapFields) uvarint(off uint64) uvarintAt {
	v, n := binary.Uvarint(z.tail(off))
	if n <= 0 {
		return uvarintAt{0, uint64(len(z.mem)) + 1}
	}
	return uvarintAt{v, off + uint64(n)}
}

// chunks reads the chunk index of the stream at off.
func (z *zapFields) chunks(off uint64) (zapChunks, error) {
	if off == 0 {
		return zapChunks{}, nil // zapx's termNotEncoded
	}
	count := z.uvarint(off)
	if count.next > uint64(len(z.mem)) || count.v > uint64(len(z.mem)) {
		return zapChunks{}, errZapFormat
	}
	c := zapChunks{ends: make([]uint64, count.v)}
	at := count.next
	for i := range c.ends {
		u := z.uvarint(at)
		if u.next > uint64(len(z.mem)) {
			return zapChunks{}, errZapFormat
		}
		c.ends[i], at = u.v, u.next
	}
	c.data = z.mem[at:]
	return c, nil
}

// zapChunkSize is zapx's getChunkSize: how many document numbers one
// chunk of a term's postings covers.
func zapChunkSize(mode uint32, cardinality, maxDocs uint64) (uint64, error) {
	var size uint64
	switch {
	case mode <= 1024:
		size = uint64(mode)
	case mode == 1025:
		size = 1024
		if cardinality <= 1024 {
			size = maxDocs
		}
	case mode == 1026:
		size = maxDocs / (cardinality/1024 + 1)
	}
	if size == 0 {
		return 0, errZapFormat
	}
	return size, nil
}

// zapNorm is zap's Posting.Norm of the norm bits it stores.
func zapNorm(bits uint64) float64 {
	return float64(float32(1.0 / math.Sqrt(float64(uint32(bits)))))
}

// skipEvery is how many postings apart decode records where one starts.
const skipEvery = 16

// decode calls each with every posting of the term, in document order:
// its document, frequency and norm (as zap's Posting.Norm gives it). It
// returns, for every skipEvery-th posting, where it starts in its chunk
// of the freq/norm stream and of the location stream.
func (t *zapTerm) decode(each func(d uint32, tf uint64, norm float64)) ([]uint32, error) {
	if t.oneHit {
		each(uint32(t.hitDoc), 1, zapNorm(t.hitNorm))
		return nil, nil
	}
	if t.docs == nil {
		return nil, nil
	}
	var (
		skips []uint32
		c     = t.cursor(nil)
		buf   = make([]uint32, 256)
		it    = t.docs.ManyIterator()
		ord   int
	)
	for n := it.NextMany(buf); n > 0; n = it.NextMany(buf) {
		for _, d := range buf[:n] {
			if err := c.load(d); err != nil {
				return nil, err
			}
			if ord%skipEvery == 0 {
				skips = append(skips, uint32(c.fr.i), uint32(c.lr.i))
			}
			ord++
			fh := c.fr.uvarint()
			var norm uint64
			if fh>>1 != 0 {
				norm = c.fr.uvarint()
			}
			if fh&1 != 0 {
				c.lr.skip(c.lr.uvarint())
			}
			if c.fr.err != nil || c.lr.err != nil {
				return nil, errZapFormat
			}
			each(d, fh>>1, zapNorm(norm))
		}
	}
	return skips, nil
}

// zapCursor reads a term's postings at ascending documents.
type zapCursor struct {
	t      *zapTerm
	dt     *decodedTerm // the term decoded with skips, or nil
	fr, lr byteReader
	chunk  uint64 // the chunk fr and lr read
	next   uint64 // the rank of the posting fr is at
	locs   []search.Location
	normAt float64 // the norm of the document at last found, 0 for none
}

// cursor returns a cursor over t; dt, when not nil, is the same term
// decoded (postings.go), whose document array and skips save a rank of
// the bitmap per document and most of the postings skipped.
func (t *zapTerm) cursor(dt *decodedTerm) zapCursor {
	if dt != nil && (dt.skips == nil || dt.chunkSize != t.chunkSize) {
		dt = nil
	}
	return zapCursor{t: t, dt: dt, chunk: ^uint64(0)}
}

// load points the readers at the start of d's chunk, unless they read
// it already.
func (c *zapCursor) load(d uint32) error {
	ch := uint64(d) / c.t.chunkSize
	if ch == c.chunk {
		return nil
	}
	b, err := c.t.freqs.chunk(ch)
	if err != nil {
		return err
	}
	c.fr = byteReader{b: b}
	if b, err = c.t.locs.chunk(ch); err != nil {
		return err
	}
	c.lr = byteReader{b: b}
	// The rank of the chunk's first posting.
	c.chunk, c.next = ch, 0
	if start := ch * c.t.chunkSize; start > 0 {
		if c.dt != nil {
			i, _ := slices.BinarySearch(c.dt.docs, uint32(start))
			c.next = uint64(i)
		} else {
			c.next = c.t.docs.Rank(uint32(start - 1))
		}
	}
	return nil
}

func (c *zapCursor) norm() float64 { return c.normAt }

// at returns the term's locations in segment document d, valid until
// the next call; ok is false when d lacks the term. Each call's d must be
// larger than the last's.
func (c *zapCursor) at(d uint32) (locs []search.Location, ok bool, err error) {
	t := c.t
	var rank uint64 // postings before d
	if dt := c.dt; dt != nil {
		i := dt.seek(int(min(c.next, uint64(len(dt.docs)))), d)
		if i == len(dt.docs) || dt.docs[i] != d {
			return nil, false, nil
		}
		rank = uint64(i)
	} else {
		if t.docs == nil || !t.docs.Contains(d) {
			return nil, false, nil // a 1-hit posting has no locations
		}
		rank = t.docs.Rank(d) - 1
	}
	if err := c.load(d); err != nil {
		return nil, false, err
	}
	if k := rank - rank%skipEvery; c.dt != nil && k > c.next {
		// k is at or after the chunk's first posting: the skip is in
		// d's chunk.
		c.fr.i, c.lr.i = int(c.dt.skips[2*k/skipEvery]), int(c.dt.skips[2*k/skipEvery+1])
		c.next = k
	}
	// The postings' headers are read inline here and in decode: a helper
	// for them is over the compiler's inlining budget, and cost up to 3%
	// of a search's CPU in BenchmarkSearchLog.
	fr, lr := &c.fr, &c.lr
	for ; c.next < rank; c.next++ {
		fh := fr.uvarint()
		if fh>>1 != 0 {
			fr.skipUvarint() // the norm
		}
		if fh&1 != 0 {
			lr.skip(lr.uvarint())
		}
	}
	fh := fr.uvarint()
	c.normAt = 0
	if fh>>1 != 0 {
		c.normAt = zapNorm(fr.uvarint())
	}
	c.next++
	c.locs = c.locs[:0]
	if fh&1 != 0 {
		n := lr.uvarint()
		end := lr.i + int(min(n, uint64(len(lr.b)-lr.i)))
		for lr.i < end {
			// Packed positions (positions.go): the first, then gaps, the
			// first zero gap ending them.
			lr.skipUvarint() // the field: the term's own
			pos := lr.uvarint()
			c.locs = append(c.locs, search.Location{Pos: pos})
			more := true
			for _, gap := range [2]uint64{lr.uvarint(), lr.uvarint()} {
				if more = more && gap != 0; more {
					pos += gap
					c.locs = append(c.locs, search.Location{Pos: pos})
				}
			}
			for ap := lr.uvarint(); ap > 0 && lr.err == nil; ap-- {
				if gap := lr.uvarint(); more && gap != 0 {
					pos += gap
					c.locs = append(c.locs, search.Location{Pos: pos})
				} else {
					more = false
				}
			}
		}
	}
	if fr.err != nil || lr.err != nil {
		return nil, false, errZapFormat
	}
	return c.locs, true, nil
}

// byteReader reads uvarints from b; past the end it reads zeros and
// sets err.
type byteReader struct {
	b   []byte
	i   int
	err error
}

func (r *byteReader) uvarint() uint64 {
	var v uint64
	for shift := uint(0); r.i < len(r.b); shift += 7 {
		c := r.b[r.i]
		r.i++
		if c < 0x80 {
			return v | uint64(c)<<shift
		}
		v |= uint64(c&0x7f) << shift
	}
	r.err = errZapFormat
	return 0
}

func (r *byteReader) skipUvarint() {
	for r.i < len(r.b) {
		c := r.b[r.i]
		r.i++
		if c < 0x80 {
			return
		}
	}
	r.err = errZapFormat
}

func (r *byteReader) skip(n uint64) {
	if n > uint64(len(r.b)-r.i) {
		r.i, r.err = len(r.b), errZapFormat
		return
	}
	r.i += int(n)
}
