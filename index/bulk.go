package index

import (
	"context"
	"encoding/binary"
	"fmt"
	"runtime"
	"sync"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/document"
)

// bulkLoader indexes a stream of articles into a bleve index from several
// goroutines. Bleve analyses a batch's documents in parallel, but builds
// the batch's segment (posting lists, dictionaries: most of the cost) in
// the goroutine that called Batch; one loader goroutine left a core idle
// for most of a build. Each worker here fills and commits its own batches.
//
// Each worker also counts its articles' words for the base vocabulary
// (vocab.go), which the articles' documents leave out, from the terms
// their analysis hands on (articleTaps) once a batch is in, and codes
// their bodies with the codebook the loader makes meanwhile
// (codebook.go).
//
// The workers share one queue: the Reader drops duplicate ids, so no two
// articles of one build need a particular order, and a worker busy with a
// batch of long articles never holds the others up.
type bulkLoader struct {
	bi       bleve.Index
	size     int // articles per batch, at most
	maxBytes int // of text per batch, at most (bulkBatchBytes)
	in       chan Article
	wg       sync.WaitGroup
	once     sync.Once
	err      error         // the first failure; set before failed is closed
	failed   chan struct{} // closed on the first failure

	mu      sync.Mutex
	lengths fieldLengths  // of the committed batches' articles
	vocab   *vocabCounter // their words, once the workers are done

	bodies *codebookBuilder

	dir        string // the index's directory, where vocabulary runs go
	vocabLimit int    // of each worker's counter
}

// bulkBatchBytes caps the text of one worker's batch in a build whose
// heap budget is budget (heapBudget, buildgc.go): a 320th of it, 2 MiB
// under the default budget, at least 256 KiB. bleve holds a batch
// analysed in memory until its segment is built, and zap's structures for
// it, about a hundred times its text in live heap (the news corpora, with
// long Chinese articles, peaked at 1.4 GB RSS in 1,000-article batches
// before batches were capped at all).
//
// Fewer, larger segments cost zap less to build and to merge. With 2,000
// articles and 2 MiB to a batch instead of 1,000 and 1 MiB, newsearch
// index took 0.94 of the wall time and 0.93 of the CPU on the 108k
// Reuters articles (medians of four alternating pairs) and 0.93 and 0.91
// on the news corpora (two pairs); peak RSS rose from about 690 to 840 MB
// and from 920 MB to 1.2 GB, the news build's largest live heap from 368
// to 593 MB (gctrace). A container with less memory gets a smaller budget,
// and smaller batches with it.
func bulkBatchBytes(budget uint64) int {
	return int(max(min(budget/320, 2<<20), 256<<10))
}

// bulkWorkers is the number of loader goroutines: one per core, since
// each mostly computes.
func bulkWorkers() int {
	return max(1, min(runtime.GOMAXPROCS(0), 8))
}

// newBulkLoader starts loading into bi, whose directory is dir; each
// worker's vocabulary counter keeps at most vocabLimit words in memory
// (0: no limit), spilling runs into dir.
func newBulkLoader(bi bleve.Index, workers, batchSize int, dir string, vocabLimit int) *bulkLoader {
	l := &bulkLoader{bi: bi, size: batchSize, maxBytes: bulkBatchBytes(heapBudget()), in: make(chan Article, 64*workers), failed: make(chan struct{}),
		vocab: newVocabCounter(dir, 0), dir: dir, vocabLimit: vocabLimit, bodies: newCodebookBuilder()}
	for range workers {
		l.wg.Add(1)
		go l.work(l.in)
	}
	return l
}

func (l *bulkLoader) fail(err error) {
	l.once.Do(func() {
		l.err = err
		close(l.failed)
	})
}

func (l *bulkLoader) work(ch <-chan Article) {
	defer l.wg.Done()
	batch := l.bi.NewBatch()
	fm, err := newFieldMaker(l.bi.Mapping())
	if err != nil {
		l.fail(fmt.Errorf("index mapping: %w", err))
	}
	var docs []*document.Document
	var taps []*articleTaps // of docs, reused from batch to batch
	words := newVocabCounter(l.dir, l.vocabLimit)
	defer func() {
		l.mu.Lock()
		l.vocab.merge(words)
		l.mu.Unlock()
	}()
	commit := func() bool {
		if batch.Size() == 0 {
			return true
		}
		if err := l.bi.Batch(batch); err != nil {
			l.fail(fmt.Errorf("index batch: %w", err))
			return false
		}
		// Bleve analysed the documents in place: their field lengths
		// are BM25's, and their taps hold their words, with no second
		// pass over the text.
		var sum fieldLengths
		for i, d := range docs {
			sum.add(analysedLengths(d))
			words.addTerms(&taps[i].title, &taps[i].body)
			taps[i].reset()
			if err := words.spillIfFull(); err != nil {
				l.fail(err)
				return false
			}
		}
		docs = docs[:0]
		l.mu.Lock()
		l.lengths.add(sum)
		l.mu.Unlock()
		// A new batch, not Reset: bleve v2.6.1 can still be ranging over
		// the old batch's map in a goroutine after Batch returns (a data
		// race the race detector reports when the map is cleared).
		batch = l.bi.NewBatch()
		return true
	}
	ok := err == nil
	var bytes int
	for a := range ch {
		if !ok {
			continue // drain after a failure, so add never blocks
		}
		l.bodies.observe(a.Title, a.Body)
		if len(taps) == len(docs) {
			taps = append(taps, &articleTaps{})
		}
		doc := fm.bulkDocument(&a, l.bodies, taps[len(docs)])
		if err := batch.IndexAdvanced(doc); err != nil {
			l.fail(fmt.Errorf("index %s: %w", a.ID, err))
			ok = false
			continue
		}
		docs = append(docs, doc)
		bytes += len(a.Title) + len(a.Body)
		if batch.Size() >= l.size || bytes >= l.maxBytes {
			ok = commit()
			bytes = 0
		}
	}
	if ok {
		commit()
	}
}

// add queues a for indexing. It fails with the first worker failure, or
// when ctx is done.
func (l *bulkLoader) add(ctx context.Context, a Article) error {
	select {
	case l.in <- a:
		return nil
	case <-l.failed:
		return l.err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// close commits what is queued and stops the workers. It returns the first
// failure, if any. l.bodies.finish then gives the codebook.
func (l *bulkLoader) close() error {
	close(l.in)
	l.wg.Wait()
	select {
	case <-l.failed:
		return l.err
	default:
		return nil
	}
}

// articleTaps collects the raw terms of one article's title and body as
// bleve analyses them in a build (fieldMaker.bulkDocument sets the
// fields' taps), for the base vocabulary: counting them in the analysis
// that indexes them spares a second segmentation of every article
// (vocabCounter.add). bleve analyses one document's fields one after
// another, in one goroutine, and the taps hold each field's terms apart
// anyway.
type articleTaps struct{ title, body rawTerms }

func (t *articleTaps) reset() {
	t.title.reset()
	t.body.reset()
}

// rawTerms holds terms one after another in one buffer, each after its
// length (a uvarint).
type rawTerms struct{ b []byte }

func (r *rawTerms) add(term []byte) {
	r.b = binary.AppendUvarint(r.b, uint64(len(term)))
	r.b = append(r.b, term...)
}

func (r *rawTerms) reset() { r.b = r.b[:0] }

// each calls f with every term, in order.
func (r *rawTerms) each(f func(term []byte)) {
	for b := r.b; len(b) > 0; {
		n, k := binary.Uvarint(b)
		end := k + int(n)
		f(b[k:end:end])
		b = b[end:]
	}
}
