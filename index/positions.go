package index

import (
	"context"
	"slices"

	"github.com/blevesearch/bleve/v2/search"
	bleveindex "github.com/blevesearch/bleve_index_api"
)

// Packed positions: how the index keeps where a word occurs.
//
// zap writes each location of a term in a document as five uvarints and
// its array positions: field, position, start, end and the number of array
// positions. The index keeps positions only (sizedText clears the byte
// offsets), so most of those bytes were zeros: a word's every occurrence
// in a body cost about six bytes, 60.7 MB of the 108k Reuters index.
//
// sizedText.Analyze now gives each term of a document one location that
// holds all its positions: the first as the position, the gap to the
// second as the start, the gap from the second to the third as the end,
// and the gaps between the rest as the array positions. A zero gap ends
// the list, so a word that occurs once is a location like before, and
// each further occurrence costs its gap's uvarint, a byte or two. zap
// keeps a term's frequency apart from its locations (a composite field
// has fewer locations than occurrences too), reads locations by their
// byte length, and copies them through merges unchanged; BM25 reads the
// frequency and is unaffected.
//
// Every reader of locations unpacks them: zapCursor and iterCursor
// (locate.go, zapread.go) as they decode, bm25Searcher as it reports a
// match, and bleve's own searchers (phrases, unscored terms) through
// unpackedReader.

// packPositions rewrites the locations of each term of tfs as one packed
// location, without byte offsets. Locations at a position the term
// already has are dropped: a gap of zero would end the list. The array
// positions of all the terms share one slab.
func packPositions(tfs bleveindex.TokenFrequencies) {
	var slab []uint64
	for _, tf := range tfs {
		locs := tf.Locations
		if len(locs) == 0 {
			continue
		}
		if !slices.IsSortedFunc(locs, func(a, b *bleveindex.TokenLocation) int { return a.Position - b.Position }) {
			slices.SortStableFunc(locs, func(a, b *bleveindex.TokenLocation) int { return a.Position - b.Position })
		}
		first := locs[0]
		first.Start, first.End, first.ArrayPositions = 0, 0, nil
		prev, gaps, from := first.Position, 0, len(slab)
		for _, l := range locs[1:] {
			if l.Position <= prev {
				continue
			}
			switch gap := l.Position - prev; gaps {
			case 0:
				first.Start = gap
			case 1:
				first.End = gap
			default:
				if slab == nil {
					slab = make([]uint64, 0, len(tfs))
				}
				slab = append(slab, uint64(gap))
			}
			prev = l.Position
			gaps++
		}
		if len(slab) > from {
			first.ArrayPositions = slab[from:len(slab):len(slab)]
		}
		tf.Locations = locs[:1]
	}
}

// appendPositions appends to dst the locations packed in one location:
// its position pos, start and end, and array positions rest.
func appendPositions(dst []search.Location, pos, start, end uint64, rest []uint64) []search.Location {
	dst = append(dst, search.Location{Pos: pos})
	for _, gap := range [2]uint64{start, end} {
		if gap == 0 {
			return dst
		}
		pos += gap
		dst = append(dst, search.Location{Pos: pos})
	}
	for _, gap := range rest {
		if gap == 0 {
			return dst
		}
		pos += gap
		dst = append(dst, search.Location{Pos: pos})
	}
	return dst
}

// unpackedReader is an index reader whose term readers unpack the
// positions of the term vectors they return, for bleve's searchers.
type unpackedReader struct{ bleveindex.IndexReader }

func (r unpackedReader) TermFieldReader(ctx context.Context, term []byte, field string, freq, norm, vectors bool) (bleveindex.TermFieldReader, error) {
	tfr, err := r.IndexReader.TermFieldReader(ctx, term, field, freq, norm, vectors)
	if err != nil || !vectors {
		return tfr, err
	}
	return &unpackedTermReader{TermFieldReader: tfr}, nil
}

// unpackedTermReader unpacks the positions of its term vectors.
type unpackedTermReader struct {
	bleveindex.TermFieldReader
	locs []search.Location
}

func (r *unpackedTermReader) Next(d *bleveindex.TermFieldDoc) (*bleveindex.TermFieldDoc, error) {
	d, err := r.TermFieldReader.Next(d)
	r.unpack(d)
	return d, err
}

func (r *unpackedTermReader) Advance(id bleveindex.IndexInternalID, d *bleveindex.TermFieldDoc) (*bleveindex.TermFieldDoc, error) {
	d, err := r.TermFieldReader.Advance(id, d)
	r.unpack(d)
	return d, err
}

func (r *unpackedTermReader) unpack(d *bleveindex.TermFieldDoc) {
	if d == nil || !slices.ContainsFunc(d.Vectors, isPacked) {
		return
	}
	vs := make([]*bleveindex.TermFieldVector, 0, d.Freq)
	for _, v := range d.Vectors {
		r.locs = appendPositions(r.locs[:0], v.Pos, v.Start, v.End, v.ArrayPositions)
		for _, l := range r.locs {
			vs = append(vs, &bleveindex.TermFieldVector{Field: v.Field, Pos: l.Pos})
		}
	}
	d.Vectors = vs
}

// isPacked reports whether v holds more than one position.
func isPacked(v *bleveindex.TermFieldVector) bool { return v.Start != 0 }
