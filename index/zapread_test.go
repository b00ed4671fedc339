package index

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2/search"
	segment "github.com/blevesearch/scorch_segment_api/v2"
	"github.com/google/go-cmp/cmp"
)

// TestZapLocations_matchZap: for every term of every field of every
// persisted segment, the locations zapread.go reads of any set of
// documents are those zap's own postings iterator gives, and so are
// iterCursor's, the cursor of segments zapread.go cannot read. The corpus has
// words in every article (several chunks), in every third, in a few, and
// repeated, and some articles are deleted.
func TestZapLocations_matchZap(t *testing.T) {
	t.Parallel()
	const n = 2600
	var b strings.Builder
	for i := range n {
		body := fmt.Sprintf("Trade news %d from the port. %s The harbour w%d and w%d.", i,
			strings.Repeat("Grain exports rose again. ", 1+i%6), i%7, i%11)
		if i%3 == 0 {
			body += " Wheat prices, wheat futures and wheat fields."
		}
		if i%500 == 0 {
			body += " A rare zeppelin sighting."
		}
		b.WriteString(article(fmt.Sprintf("a%d", i), fmt.Sprintf("Trade report %d", i%13), body))
	}
	x := openJSONL(t, b.String())
	for i := 0; i < n; i += 97 {
		if err := x.Delete(context.Background(), fmt.Sprintf("a%d", i)); err != nil {
			t.Fatal(err)
		}
	}
	snap, done := liveSnapshot(t, x)
	defer done()
	rng := rand.New(rand.NewPCG(1, 2))
	var read, multiChunk, located int
	for _, s := range segmentSets(snap) {
		seg := s.seg.Segment()
		zf := newZapFields(seg)
		if zf == nil {
			continue
		}
		read++
		count := seg.Count()
		for _, field := range seg.Fields() {
			fst, err := zf.fst(field)
			if err != nil {
				t.Fatal(err)
			}
			if fst == nil {
				continue
			}
			dict, err := seg.Dictionary(field)
			if err != nil {
				t.Fatal(err)
			}
			it, err := fst.Iterator(nil, nil)
			for err == nil {
				term, _ := it.Current()
				term = slices.Clone(term)
				want, postings := zapIteratorLocations(t, dict, term)
				zt, found, zerr := zf.term(field, string(term))
				if zerr != nil || !found {
					t.Fatalf("%s %q: found %v, %v", field, term, found, zerr)
				}
				if len(zt.freqs.ends) > 1 {
					multiChunk++
				}
				// decode gives zap's postings, and skips for the cursor.
				dt := &decodedTerm{chunkSize: zt.chunkSize}
				var decoded []zapPosting
				dt.skips, err = zt.decode(func(d uint32, tf uint64, norm float64) {
					decoded = append(decoded, zapPosting{d, tf, norm})
					dt.docs = append(dt.docs, d)
				})
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(postings, decoded, cmp.AllowUnexported(zapPosting{})); diff != "" {
					t.Fatalf("%s %q decoded: -zap +decode:\n%s", field, term, diff)
				}
				// All documents, then a sparse random set, read with zap's
				// bytes, then with the skips; then the live ones of both
				// through zap's iterator (termCursor without a reader),
				// which skips deleted documents.
				sets := [][]uint32{nil, nil}
				live := [][]uint32{nil, nil}
				for d := range uint32(count) {
					sampled := rng.IntN(40) == 0
					sets[0] = append(sets[0], d)
					if sampled {
						sets[1] = append(sets[1], d)
					}
					if del := s.seg.Deleted(); del == nil || !del.Contains(d) {
						live[0] = append(live[0], d)
						if sampled {
							live[1] = append(live[1], d)
						}
					}
				}
				for k, docs := range slices.Concat(sets, sets, live) {
					got := map[uint32][]search.Location{}
					var c locCursor
					switch k / len(sets) {
					case 0:
						zc := zt.cursor(nil)
						c = &zc
					case 1:
						zc := zt.cursor(dt)
						c = &zc
					default:
						if c, err = termCursor(s, nil, nil, field, string(term)); err != nil {
							t.Fatal(err)
						}
					}
					for _, d := range docs {
						locs, ok, err := c.at(d)
						if err != nil {
							t.Fatalf("%s %q: %v", field, term, err)
						}
						if ok {
							got[d] = slices.Clone(locs)
							located++
						}
					}
					wantHere := map[uint32][]search.Location{}
					for _, d := range docs {
						if l, ok := want[d]; ok && len(l) > 0 {
							wantHere[d] = l
						}
					}
					for d, l := range got {
						if len(l) == 0 {
							delete(got, d)
						}
					}
					if diff := cmp.Diff(wantHere, got); diff != "" {
						t.Fatalf("%s %q (%d docs asked): -zap +read:\n%s", field, term, len(docs), diff)
					}
				}
				err = it.Next()
			}
		}
	}
	if read == 0 || multiChunk == 0 || located == 0 {
		t.Fatalf("nothing compared: %d segments read, %d terms with several chunks, %d located", read, multiChunk, located)
	}
}

// zapPosting is a posting as zap's iterator gives it.
type zapPosting struct {
	doc  uint32
	tf   uint64
	norm float64
}

// zapIteratorLocations is every document's locations of term, unpacked,
// and every posting, from zap's postings iterator (deleted documents
// included).
func zapIteratorLocations(t *testing.T, dict segment.TermDictionary, term []byte) (map[uint32][]search.Location, []zapPosting) {
	t.Helper()
	pl, err := dict.PostingsList(term, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	out := map[uint32][]search.Location{}
	var postings []zapPosting
	it := pl.Iterator(true, true, true, nil)
	for {
		p, err := it.Next()
		if err != nil {
			t.Fatal(err)
		}
		if p == nil {
			return out, postings
		}
		postings = append(postings, zapPosting{uint32(p.Number()), p.Frequency(), p.Norm()})
		var ls []search.Location
		for _, l := range p.Locations() {
			ls = appendPositions(ls, l.Pos(), l.Start(), l.End(), l.ArrayPositions())
		}
		// Every occurrence has its position, packed (positions.go).
		if ls != nil && uint64(len(ls)) != p.Frequency() {
			t.Fatalf("%q in document %d: %d occurrences, %d positions", term, p.Number(), p.Frequency(), len(ls))
		}
		out[uint32(p.Number())] = ls
	}
}
