package index

import (
	"os"
	"testing"
)

// bbcSegmentBudget bounds the segments of the BBC corpus's index (2,225
// articles, every text stored): 8,435,829 bytes at 1b4c91b, 9,980,970
// before texts were coded densely, positions packed, lengths coded and
// facets read from postings (e39052b).
const bbcSegmentBudget = 8_900_000

// TestIndexSize_bbc: the BBC corpus's index stays within its budget, so a
// change that makes every index bigger fails here rather than only in
// bench/speed's figures. Raise the budget only on purpose, with the
// 108k-article size (go run ./bench/speed) in the commit.
func TestIndexSize_bbc(t *testing.T) {
	t.Parallel()
	x := openCorpus(t, "bbc")
	snap, done := liveSnapshot(t, x)
	defer done()
	var n int64
	for _, ss := range snap.Segments() {
		p, ok := ss.Segment().(interface{ Path() string })
		if !ok {
			t.Fatalf("segment %T is not persisted", ss.Segment())
		}
		fi, err := os.Stat(p.Path())
		if err != nil {
			t.Fatal(err)
		}
		n += fi.Size()
	}
	docs, err := snap.DocCount()
	if err != nil || docs == 0 {
		t.Fatalf("%d articles, %v", docs, err)
	}
	t.Logf("%d segments, %d bytes, %d per article", len(snap.Segments()), n, n/int64(docs))
	if n > bbcSegmentBudget {
		t.Errorf("the BBC corpus's segments take %d bytes, over the budget of %d", n, bbcSegmentBudget)
	}
}
