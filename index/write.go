package index

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"time"

	"github.com/blevesearch/bleve/v2"
	bleveindex "github.com/blevesearch/bleve_index_api"
)

// maxWriteBatch is the number of journal entries applied in one bleve
// batch, by live writes and by replays.
const maxWriteBatch = 1000

// Add validates articles and stores them, replacing any with the same id.
// It returns once they are durable and searchable: appended to the journal
// and fsynced, then indexed by a bleve batch that returns only when it is
// persisted. An invalid article fails the whole call before anything is
// written; the error names its position and wraps a *FieldError.
func (x *Index) Add(ctx context.Context, articles []Article) error {
	entries := make([]entry, len(articles))
	prepared := make([]Article, len(articles))
	for i := range articles {
		a, err := Prepare(articles[i])
		if err != nil {
			return fmt.Errorf("add article %d: %w", i, err)
		}
		prepared[i] = a
		entries[i] = entry{Op: opPut, Article: toJournal(&prepared[i])}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	x.writeMu.Lock()
	defer x.writeMu.Unlock()
	for len(entries) > 0 {
		n := min(len(entries), maxWriteBatch)
		if err := x.writeLocked(entries[:n], prepared[:n]); err != nil {
			return err
		}
		entries, prepared = entries[n:], prepared[n:]
	}
	return nil
}

// Delete removes the article with the given id, durably; ErrNotFound when
// there is none.
func (x *Index) Delete(ctx context.Context, id string) error {
	if err := ValidID(id); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	x.writeMu.Lock()
	defer x.writeMu.Unlock()
	doc, err := x.document(id)
	if err != nil {
		return fmt.Errorf("delete %q: %w", id, err)
	}
	if doc == nil {
		return fmt.Errorf("article %q: %w", id, ErrNotFound)
	}
	return x.writeLocked([]entry{{Op: opDelete, ID: id}}, nil)
}

// document reads the stored document id from the live index. The read
// lock is released however the read ends: a panic inside bleve (a store
// left broken by a failed write) had kept it, and Close then waited on it
// for ever.
func (x *Index) document(id string) (bleveindex.Document, error) {
	bi, done, err := x.reader()
	if err != nil {
		return nil, err
	}
	defer done()
	return bi.Document(id)
}

// writeLocked journals entries, then applies them to the live generation
// with the journal position, in one atomic bleve batch. prepared holds the
// articles of put entries, in order (nil for deletes only). x.writeMu is
// held.
//
// A write either is stored, in the journal and the index, or fails with
// ErrWriteFailed and leaves neither changed. A journal append that fails
// is undone (journal.append), and the next write may succeed. When the
// bleve batch fails (a full or read-only disk), the live generation is
// reopened from what it persisted (reopenAfterFailure), and the entries
// it lacks are cut from the journal again: a 500 had left them there, to
// come back on the next restart, and the store bleve left behind had
// panicked in every search after it, killing the process from one of
// bleve's goroutines. Writes are then refused (writeErr) until a restart
// or a reindex, and searches answer ErrNotReady when there is no index to
// read.
func (x *Index) writeLocked(entries []entry, prepared []Article) error {
	if x.writeErr != nil {
		return fmt.Errorf("%w: writes are refused after an earlier failure (restart or reindex to recover): %w", ErrWriteFailed, x.writeErr)
	}
	before := x.jr.mark()
	seq, batchErr, err := x.apply(entries, prepared)
	switch {
	case batchErr != nil:
		return x.reopenAfterFailure(before, seq, batchErr)
	case err != nil && seq > 0:
		// Journaled but never given to bleve (an article bleve refused).
		if uerr := x.jr.undo(before); uerr != nil {
			x.writeErr = uerr
		}
		return err
	case err != nil:
		return err
	}
	x.invalidate()
	return nil
}

// apply journals entries and applies them in one bleve batch under the
// read lock. seq is the journal's last entry once appended (0 before);
// batchErr is the batch's failure, err any failure before it.
func (x *Index) apply(entries []entry, prepared []Article) (seq uint64, batchErr, err error) {
	bi, done, err := x.reader()
	if err != nil {
		return 0, nil, err
	}
	defer done()
	lengths, err := readLengths(bi)
	if err != nil {
		return 0, nil, fmt.Errorf("read field lengths: %w", err)
	}
	known, err := readSignOffs(bi)
	if err != nil {
		return 0, nil, err
	}
	if seq, err = x.jr.append(entries); err != nil {
		return 0, nil, writeFailed(err)
	}
	batch := bi.NewBatch()
	p := 0
	for i := range entries {
		switch entries[i].Op {
		case opPut:
			a := &prepared[p]
			p++
			stripWritten(a, known)
			lengths.add(articleLengths(x.m, a))
			err = indexArticle(x.m, batch, a, x.cb)
		case opDelete:
			batch.Delete(entries[i].ID)
		}
		if err != nil {
			return seq, nil, fmt.Errorf("index %s: %w", prepared[p-1].ID, err)
		}
	}
	batch.SetInternal(appliedKey, []byte(strconv.FormatUint(seq, 10)))
	batch.SetInternal(lengthsKey, lengths.encode())
	write := x.batch
	if write == nil {
		write = bleve.Index.Batch
	}
	return seq, safely(func() error { return write(bi, batch) }), nil
}

// reopenAfterFailure recovers from a failed bleve batch of the journal
// entries up to seq, appended at before: it closes the live generation,
// whose in-memory store a failed persist can leave broken, and opens it
// again from disk. When the batch did not reach the disk, its entries are
// cut from the journal and the write failed as a whole; when it did, it
// stands. x.writeMu is held.
func (x *Index) reopenAfterFailure(before journalMark, seq uint64, cause error) error {
	x.mu.Lock()
	defer x.mu.Unlock()
	defer x.invalidate()
	if x.bi != nil {
		old := x.bi
		x.bi = nil
		if err := safely(old.Close); err != nil {
			x.logger.Warn("closing the index after a failed write", "err", err)
		}
	}
	path := filepath.Join(x.dir, x.gen)
	bi, m, base, cb, err := openGen(path)
	if err != nil {
		// A read-only disk: search what is there; writes wait for a
		// restart or a reindex.
		var roErr error
		if bi, m, base, cb, roErr = openGenReadOnly(path); roErr != nil {
			x.writeErr = cause
			x.broken = fmt.Errorf("reopen after a failed write (%v): %w", cause, err)
			x.logger.Error("a write failed and the index could not be reopened; not serving until a restart", "err", x.broken)
			return fmt.Errorf("%w: %v; the index could not be reopened (%v): restart the server", ErrWriteFailed, cause, err)
		}
		x.writeErr = fmt.Errorf("the index could only be reopened read-only: %w", err)
		x.logger.Error("a write failed and the index was reopened read-only; writes refused until a restart or reindex", "err", err)
	}
	x.bi, x.base, x.cb, x.meta = bi, base, cb, m
	// Writes wait for a restart or a reindex: each would be one more
	// small segment for a store whose disk refused the last one, and the
	// re-audit saw a store on a full disk that took writes again grow to
	// 2,200 segment files and fill the disk again once space was freed.
	if x.writeErr == nil {
		x.writeErr = cause
	}
	b, err := bi.GetInternal(appliedKey)
	if err == nil && parseSeq(b) >= seq {
		x.logger.Warn("a write batch reported a failure but was stored; writes refused until a restart or reindex", "err", cause)
		return nil
	}
	if uerr := x.jr.undo(before); uerr != nil {
		x.writeErr = uerr
		x.logger.Error("a write failed and the journal could not be cut back; writes refused until a restart", "err", uerr)
	}
	x.logger.Error("a write failed; nothing of it was stored", "err", cause)
	return writeFailed(cause)
}

// writeFailed wraps err, a failure that left nothing stored, in
// ErrWriteFailed, saying what the system said (no space left on device).
func writeFailed(err error) error {
	var errno syscall.Errno
	if errors.As(err, &errno) {
		return fmt.Errorf("%w: %w", ErrWriteFailed, errno)
	}
	return fmt.Errorf("%w: %w", ErrWriteFailed, err)
}

// safely runs f, turning a panic into an error: bleve's store, once a
// persist failed, can panic (a nil map in zapx's cache).
func safely(f func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	return f()
}

// invalidate is called after every change to the live index's contents
// (writes, a new generation): anything cached from earlier searches is
// stale. The facet columns need nothing: they belong to segments, which
// never change (columns.go).
func (x *Index) invalidate() { x.cache.clear() }

// catchUp replays, into an opened generation, the journal entries written
// after the last batch it applied: writes whose bleve batch a crash cut
// short.
func (x *Index) catchUp(bi bleve.Index, cb *codebook) error {
	b, err := bi.GetInternal(appliedKey)
	if err != nil {
		return fmt.Errorf("read journal position: %w", err)
	}
	after := parseSeq(b)
	if after > x.jr.seq {
		// The index has seen entries the journal lacks: the journal was
		// replaced or cut. Nothing to replay; say so.
		x.logger.Warn("journal is behind the index; was it moved or truncated?", "journal_seq", x.jr.seq, "index_seq", after)
		return nil
	}
	n, err := x.replay(bi, cb, after)
	if n > 0 {
		x.logger.Info("replayed journal entries a crash left unapplied", "entries", n)
	}
	return err
}

// replay applies the journal entries after seq to bi in batches, each
// recording its journal position, and returns how many it applied. An
// entry whose article no longer passes validation (the rules changed) is
// skipped with a warning.
func (x *Index) replay(bi bleve.Index, cb *codebook, after uint64) (int, error) {
	lengths, err := readLengths(bi)
	if err != nil {
		return 0, fmt.Errorf("replay journal: read field lengths: %w", err)
	}
	known, err := readSignOffs(bi)
	if err != nil {
		return 0, fmt.Errorf("replay journal: %w", err)
	}
	batch := bi.NewBatch()
	var last uint64
	n := 0
	flush := func() error {
		if last == 0 {
			return nil
		}
		batch.SetInternal(appliedKey, []byte(strconv.FormatUint(last, 10)))
		batch.SetInternal(lengthsKey, lengths.encode())
		if err := bi.Batch(batch); err != nil {
			return fmt.Errorf("replay journal: %w", err)
		}
		// A new batch, not Reset: bleve v2.6.1 can still be ranging over the
		// old batch's map in a goroutine after Batch returns (a data race
		// the race detector reports when the map is cleared).
		batch = bi.NewBatch()
		return nil
	}
	_, err = scanJournal(x.jr.path, after, func(e entry) error {
		last = e.Seq
		switch e.Op {
		case opPut:
			if e.Article == nil {
				x.logger.Warn("journal entry without article, skipped", "seq", e.Seq)
				break
			}
			a, err := e.Article.article()
			if err != nil {
				x.logger.Warn("journal article no longer valid, skipped", "seq", e.Seq, "id", e.Article.ID, "err", err)
				break
			}
			stripWritten(&a, known)
			if err := indexArticle(x.m, batch, &a, cb); err != nil {
				return fmt.Errorf("replay journal: %w", err)
			}
			lengths.add(articleLengths(x.m, &a))
			n++
		case opDelete:
			batch.Delete(e.ID)
			n++
		}
		if batch.Size() >= maxWriteBatch {
			return flush()
		}
		return nil
	})
	if err != nil {
		return n, err
	}
	return n, flush()
}

// ReindexStatus describes the last reindex started by StartReindex.
type ReindexStatus struct {
	State    string    // "idle" (none yet), "running", "done" or "failed"
	Started  time.Time // zero when idle
	Finished time.Time // zero while running
	Build    BuildStats
	Err      string // why it failed
}

// Reindex states.
const (
	ReindexIdle    = "idle"
	ReindexRunning = "running"
	ReindexDone    = "done"
	ReindexFailed  = "failed"
)

// reindexState is guarded by its own mutex, so status reads never wait
// for a build.
type reindexState struct {
	mu sync.Mutex
	st ReindexStatus
}

// StartReindex rebuilds the index in the background from the inputs it was
// opened with, plus the journal, into a fresh generation, and swaps it in
// when complete; searches answer from the old one until then, and a failed
// or interrupted rebuild leaves it in place. It returns ErrBusy while a
// reindex is running. ReindexStatus follows its progress.
func (x *Index) StartReindex() error {
	x.mu.RLock()
	closed := x.closed
	x.mu.RUnlock()
	if closed || x.bg.Err() != nil {
		return ErrClosed
	}
	x.reindex.mu.Lock()
	defer x.reindex.mu.Unlock()
	if x.reindex.st.State == ReindexRunning {
		return fmt.Errorf("reindex started %s: %w", x.reindex.st.Started.Format(time.RFC3339), ErrBusy)
	}
	x.reindex.st = ReindexStatus{State: ReindexRunning, Started: time.Now().UTC()}
	x.bgWG.Add(1)
	go func() {
		defer x.bgWG.Done()
		err := x.rebuild(x.bg)
		x.reindex.mu.Lock()
		defer x.reindex.mu.Unlock()
		x.reindex.st.Finished = time.Now().UTC()
		if err != nil {
			x.reindex.st.State, x.reindex.st.Err = ReindexFailed, errReason(err)
			x.logger.Error("reindex failed", "err", err)
			return
		}
		x.reindex.st.State = ReindexDone
	}()
	return nil
}

// ReindexStatus reports the state of the last reindex.
func (x *Index) ReindexStatus() ReindexStatus {
	x.reindex.mu.Lock()
	defer x.reindex.mu.Unlock()
	st := x.reindex.st
	if st.State == "" {
		st.State = ReindexIdle
	}
	return st
}

// rebuild is one reindex: Open's build, with progress going to the status.
func (x *Index) rebuild(ctx context.Context) error {
	opts := x.opts
	user := opts.Progress
	opts.Progress = func(s BuildStats) {
		x.reindex.mu.Lock()
		x.reindex.st.Build = s
		x.reindex.mu.Unlock()
		if user != nil {
			user(s)
		}
	}
	x.logger.Info("reindex started", "index_dir", x.dir, "inputs", len(opts.Inputs))
	if err := x.build(ctx, opts.Inputs, "", opts); err != nil {
		if errors.Is(err, context.Canceled) {
			return fmt.Errorf("reindex interrupted by shutdown: %w", err)
		}
		return err
	}
	x.cleanOld()
	return nil
}
