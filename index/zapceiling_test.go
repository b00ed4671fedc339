package index

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/document"
	bleveindex "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
	zap "github.com/blevesearch/zapx/v17"
)

// BenchmarkZapCeiling times, one stage after another in one goroutine,
// what a build does with the articles, to show how fast any build on
// zap segments could be: reading and preparing the articles, bleve's
// analysis with newsearch's mapping (which hands on the words, as in a
// build: articleTaps), counting the base vocabulary and writing it
// (vocab.go), zap building a segment of every batch, writing
// the segments to disk, and one merge of them all into one (a build
// merges at least that much). Each stage's CPU time per article is
// reported, and zap-docs/s is the rate of the zap stages alone spread
// perfectly over the cores a build uses (bulkWorkers): a build's upper
// bound even if reading and analysis cost nothing. segment-MB is the
// merged segment's size.
//
//	go test ./index -run '^$' -bench ZapCeiling -benchtime 1x -bench.input /tmp/newsearch-speed/reuters5x.jsonl
//
// -bench.wordsfield indexes the vocabulary in every article's words field
// instead, as a write does and builds did before the base vocabulary.
func BenchmarkZapCeiling(b *testing.B) {
	_, in := benchLogInput(b)
	var st zapStages
	for b.Loop() {
		st.add(zapStagesOf(b, in))
	}
	per := func(d time.Duration) float64 { return float64(d.Microseconds()) / float64(st.docs) }
	b.ReportMetric(per(st.read), "read-µs/doc")
	b.ReportMetric(per(st.analyse), "analyse-µs/doc")
	b.ReportMetric(per(st.vocab), "vocab-µs/doc")
	b.ReportMetric(per(st.build), "zapnew-µs/doc")
	b.ReportMetric(per(st.persist), "persist-µs/doc")
	b.ReportMetric(per(st.merge), "merge-µs/doc")
	b.ReportMetric(float64(st.bytes)/float64(b.N)/1e6, "segment-MB")
	cores := float64(bulkWorkers())
	b.ReportMetric(cores*1e6/per(st.build+st.persist+st.merge), "zap-docs/s")
	b.ReportMetric(cores*1e6/per(st.read+st.analyse+st.vocab+st.build+st.persist+st.merge), "all-docs/s")
}

var benchWordsField = flag.Bool("bench.wordsfield", false, "BenchmarkZapCeiling: index the vocabulary in a words field, as writes do, instead of a base vocabulary")

// zapStages is the CPU time of each stage of a build, and its articles.
type zapStages struct {
	docs                                        int
	bytes                                       int64 // of the merged segment
	read, analyse, vocab, build, persist, merge time.Duration
}

func (s *zapStages) add(o zapStages) {
	s.docs += o.docs
	s.bytes += o.bytes
	s.read += o.read
	s.analyse += o.analyse
	s.vocab += o.vocab
	s.build += o.build
	s.persist += o.persist
	s.merge += o.merge
}

func zapStagesOf(b *testing.B, in Input) zapStages {
	b.Helper()
	ctx := context.Background()
	var st zapStages
	at := cpuTime()
	lap := func(d *time.Duration) {
		now := cpuTime()
		*d += now - at
		at = now
	}
	var arts []Article
	if err := NewReader(testLogger(b), false).Read(ctx, in, func(a Article) error {
		arts = append(arts, a)
		return nil
	}); err != nil {
		b.Fatal(err)
	}
	st.docs = len(arts)
	lap(&st.read)

	m := newMapping()
	fm, err := newFieldMaker(m)
	if err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	var segs []segment.Segment
	words := newVocabCounter("", 0)
	for start := 0; start < len(arts); start += defaultBulkBatch {
		batch := arts[start:min(start+defaultBulkBatch, len(arts))]
		docs := make([]bleveindex.Document, len(batch))
		taps := make([]articleTaps, len(batch))
		for i := range batch {
			// As a build makes its documents, its taps counting their
			// words (bulk.go), or with the words as a field.
			var d *document.Document
			if *benchWordsField {
				if d, err = articleDocument(m, &batch[i], toDoc(&batch[i]), (*codebook)(nil)); err != nil {
					b.Fatal(err)
				}
			} else {
				d = fm.bulkDocument(&batch[i], (*codebook)(nil), &taps[i])
			}
			d.AddIDField()
			analyseDoc(d)
			docs[i] = d
		}
		lap(&st.analyse)
		if !*benchWordsField {
			for i := range taps {
				words.addTerms(&taps[i].title, &taps[i].body)
			}
			lap(&st.vocab)
		}
		seg, _, err := (&zap.ZapPlugin{}).New(docs)
		if err != nil {
			b.Fatal(err)
		}
		lap(&st.build)
		file := filepath.Join(dir, fmt.Sprintf("%06d.zap", len(segs)))
		if err := seg.(*zap.SegmentBase).Persist(file); err != nil {
			b.Fatal(err)
		}
		seg.Close()
		if seg, err = (&zap.ZapPlugin{}).Open(file); err != nil {
			b.Fatal(err)
		}
		segs = append(segs, seg)
		lap(&st.persist)
	}
	if !*benchWordsField {
		if err := writeBaseVocab(dir, words); err != nil {
			b.Fatal(err)
		}
		lap(&st.vocab)
	}
	drops := make([]*roaring.Bitmap, len(segs))
	merged := filepath.Join(dir, "merged.zap")
	if _, _, err := (&zap.ZapPlugin{}).Merge(segs, drops, merged, make(chan struct{}), nil); err != nil {
		b.Fatal(err)
	}
	lap(&st.merge)
	fi, err := os.Stat(merged)
	if err != nil {
		b.Fatal(err)
	}
	st.bytes = fi.Size()
	// A stage that lost articles would look fast: the merged segment must
	// hold every one.
	ms, err := (&zap.ZapPlugin{}).Open(merged)
	if err != nil {
		b.Fatal(err)
	}
	if n := ms.Count(); n != uint64(st.docs) {
		b.Fatalf("merged segment holds %d articles, want %d", n, st.docs)
	}
	ms.Close()
	for _, s := range segs {
		s.Close()
	}
	return st
}

// analyseDoc analyses d's indexed fields as scorch does before it builds a
// segment.
func analyseDoc(d bleveindex.Document) {
	d.VisitFields(func(f bleveindex.Field) {
		if !f.Options().IsIndexed() {
			return
		}
		f.Analyze()
		if d.HasComposite() && f.Name() != "_id" {
			d.VisitComposite(func(cf bleveindex.CompositeField) {
				cf.Compose(f.Name(), f.AnalyzedLength(), f.AnalyzedTokenFrequencies())
			})
		}
	})
}
