package index

import (
	"context"
	"fmt"
	"sync"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/numeric"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	bleveindex "github.com/blevesearch/bleve_index_api"
)

// The publication date.
//
// bleve's datetime fields index every date as sixteen terms, its instant
// at full precision and at fifteen coarser ones, so that a range query
// visits a few dozen terms instead of one per instant; their docvalues
// hold all sixteen, and the stored value carries the layout string of the
// mapping's date parser. On the 108k Reuters articles that came to 7.7 MB
// of index and docvalues and 4.8 MB of stored values (44 bytes an
// article), and to a sixth of every article's postings in a build.
//
// newsearch reads dates from its columns (columns.go) and filters ranges
// on them, so an article's date is one term, its full-precision prefix
// code: the docvalue the columns and bleve's date sort read, and the
// stored value (without a layout, which bleve then formats as RFC 3339).
// Prefix codes of one shift sort as their numbers, so a term range over
// the field is a date range, for the searches that cannot use columns.

// dateField is an article's publication date as bleve indexes it: one
// term, with docvalues. The stored record keeps the date (record.go).
type dateField struct {
	term  []byte
	freqs bleveindex.TokenFrequencies
}

func newDateField(ns int64) *dateField {
	return &dateField{term: numeric.MustNewPrefixCodedInt64(ns, 0)}
}

func (f *dateField) Name() string             { return fieldPublished }
func (f *dateField) Value() []byte            { return f.term }
func (f *dateField) ArrayPositions() []uint64 { return nil }
func (f *dateField) EncodedFieldType() byte   { return 'd' }
func (f *dateField) NumPlainTextBytes() uint64 {
	return 8
}

func (f *dateField) Options() bleveindex.FieldIndexingOptions {
	return bleveindex.IndexField | bleveindex.DocValues | bleveindex.SkipFreqNorm
}

func (f *dateField) Analyze() {
	tf := &bleveindex.TokenFreq{Term: f.term}
	tf.SetFrequency(1)
	f.freqs = bleveindex.TokenFrequencies{string(f.term): tf}
}

func (f *dateField) AnalyzedLength() int { return 1 }

func (f *dateField) AnalyzedTokenFrequencies() bleveindex.TokenFrequencies { return f.freqs }

// Size is what bleve counts for the field in its memory statistics.
func (f *dateField) Size() int { return 64 + 2*len(f.term) }

// dateRangeQuery matches the articles published in [from, to), Unix
// nanoseconds. Counts and direct searches take its matches from the date
// columns of the snapshot they read (matches); bleve's searchers, when the
// columns are not current, from a term range.
type dateRangeQuery struct {
	from, to int64
	x        *Index // nil: always the term range
	// seen and found are the last snapshot matches read and its matches:
	// a search and its facet counts, some in goroutines of their own,
	// filter the same snapshot by the same range (plan.dates).
	mu    sync.Mutex
	seen  bleveindex.IndexReader
	found *roaring.Bitmap
}

// Searcher runs the term range of the query's prefix codes.
func (q *dateRangeQuery) Searcher(ctx context.Context, r bleveindex.IndexReader, m mapping.IndexMapping, o search.SearcherOptions) (search.Searcher, error) {
	lo := string(numeric.MustNewPrefixCodedInt64(q.from, 0))
	hi := string(numeric.MustNewPrefixCodedInt64(q.to, 0))
	incl, excl := true, false
	tr := query.NewTermRangeInclusiveQuery(lo, hi, &incl, &excl)
	tr.SetField(fieldPublished)
	return tr.Searcher(ctx, r, m, o)
}

// matches returns the live documents of snapshot r (by snapshot number)
// published in the range, read from r's date columns; false when r has
// none (freshColumns). The bitmap is shared: callers only read it.
func (q *dateRangeQuery) matches(r bleveindex.IndexReader) (*roaring.Bitmap, bool) {
	if q.x == nil {
		return nil, false
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.found != nil && q.seen == r {
		return q.found, true
	}
	cols := q.x.freshColumns(r)
	if cols == nil {
		return nil, false
	}
	out := roaring.New()
	var buf []uint32
	for i, sc := range cols.segs {
		del := cols.segDel[i]
		base := uint32(cols.offsets[i])
		buf = buf[:0]
		for d, t := range sc.dates {
			if t >= q.from && t < q.to && (del == nil || !del.Contains(uint32(d))) {
				buf = append(buf, base+uint32(d))
			}
		}
		out.AddMany(buf)
	}
	q.seen, q.found = r, out
	return out, true
}

func (q *dateRangeQuery) String() string {
	return fmt.Sprintf("published in [%d, %d)", q.from, q.to)
}
