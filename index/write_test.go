package index

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"testing/fstest"
	"time"

	"github.com/blevesearch/bleve/v2"
)

func seedMap() fstest.MapFS {
	return fstest.MapFS{"a.jsonl": {Data: []byte(article("s1", "Alpha seed", "first seed body") + article("s2", "Beta seed", "second seed body"))}}
}

func mustAdd(t *testing.T, x *Index, arts ...Article) {
	t.Helper()
	if err := x.Add(context.Background(), arts); err != nil {
		t.Fatal(err)
	}
}

func has(t *testing.T, x *Index, id string) bool {
	t.Helper()
	_, err := x.Article(context.Background(), id)
	if err != nil && !errors.Is(err, ErrNotFound) {
		t.Fatal(err)
	}
	return err == nil
}

// TestWrites_surviveReopenAndRebuild: articles added and deleted through
// the write path are still added and deleted after a restart, and after a
// rebuild from the inputs (a new mapping version, a reindex), because the
// rebuild replays the journal.
func TestWrites_surviveReopenAndRebuild(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	x, err := openMap(t, dir, seedMap())
	if err != nil {
		t.Fatal(err)
	}
	mustAdd(t, x, Article{ID: "w1", Title: "Written zebra", Body: "added over http", Source: "API"})
	mustAdd(t, x, Article{ID: "s2", Title: "Beta corrected", Body: "a corrected quokka", Source: "API"})
	if err := x.Delete(context.Background(), "s1"); err != nil {
		t.Fatal(err)
	}
	check := func(when string, x *Index) {
		t.Helper()
		if !has(t, x, "w1") || has(t, x, "s1") || totalFor(t, x, "quokka") != 1 || totalFor(t, x, "zebra") != 1 {
			t.Errorf("%s: writes lost: w1=%v s1=%v quokka=%d zebra=%d", when, has(t, x, "w1"), has(t, x, "s1"),
				totalFor(t, x, "quokka"), totalFor(t, x, "zebra"))
		}
		if n, _ := x.DocCount(); n != 2 {
			t.Errorf("%s: DocCount = %d, want 2 (s2 corrected, w1 added, s1 deleted)", when, n)
		}
	}
	check("live", x)
	x.Close()

	x, err = openMap(t, dir, seedMap())
	if err != nil {
		t.Fatal(err)
	}
	check("reopened", x)
	gen := x.gen
	x.Close()

	x, err = openMap(t, dir, seedMap(), func(o *Options) { o.Rebuild = RebuildAlways })
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if x.gen == gen {
		t.Fatal("RebuildAlways reused the generation")
	}
	check("rebuilt", x)
	if st, _ := x.Stats(); st.Build.Replayed != 3 {
		t.Errorf("Build.Replayed = %d, want 3", st.Build.Replayed)
	}
}

// TestOpen_replaysUnappliedJournal: entries that reached the journal but
// not bleve (a crash between the two) are applied on the next Open.
func TestOpen_replaysUnappliedJournal(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	x, err := openMap(t, dir, seedMap())
	if err != nil {
		t.Fatal(err)
	}
	mustAdd(t, x, Article{ID: "w1", Title: "Applied", Body: "applied body"})
	a, _ := Prepare(Article{ID: "w2", Title: "Journal only", Body: "the wombat was journaled"})
	if _, err := x.jr.append([]entry{{Op: opPut, Article: toJournal(&a)}, {Op: opDelete, ID: "s1"}}); err != nil {
		t.Fatal(err)
	}
	x.Close()

	x, err = openMap(t, dir, seedMap())
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if !has(t, x, "w1") || !has(t, x, "w2") || has(t, x, "s1") || totalFor(t, x, "wombat") != 1 {
		t.Errorf("journal not replayed: w1=%v w2=%v s1=%v", has(t, x, "w1"), has(t, x, "w2"), has(t, x, "s1"))
	}
}

// TestOpen_tornJournalTail: a half-written last line (a crash during the
// append, so never acknowledged) is cut off; what came before is kept and
// later writes append cleanly.
func TestOpen_tornJournalTail(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	x, err := openMap(t, dir, seedMap())
	if err != nil {
		t.Fatal(err)
	}
	mustAdd(t, x, Article{ID: "w1", Title: "Kept", Body: "kept body"})
	x.Close()
	path := filepath.Join(dir, journalFile)
	good, _ := os.ReadFile(path)
	f, _ := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(`{"seq":2,"op":"put","article":{"id":"torn","title":"Half`)
	f.Close()

	x, err = openMap(t, dir, seedMap())
	if err != nil {
		t.Fatalf("torn tail refused: %v", err)
	}
	defer x.Close()
	if b, _ := os.ReadFile(path); string(b) != string(good) {
		t.Errorf("torn tail not cut:\n%s", b)
	}
	if !has(t, x, "w1") || has(t, x, "torn") {
		t.Error("wrong articles after torn tail")
	}
	mustAdd(t, x, Article{ID: "w3", Title: "After", Body: "after body"})
	if _, err := scanJournal(path, 0, func(entry) error { return nil }); err != nil {
		t.Errorf("journal unreadable after append: %v", err)
	}
}

// TestWrites_failedAppendUndone: an append that a full disk cuts short is
// undone, so the next write, acknowledged, is a whole line of its own and
// outlives a restart and a rebuild, and the failed one never comes back.
// The part left behind had had the next entry written onto it, which the
// restart cut off as a torn tail (the write answered 200, then lost).
func TestWrites_failedAppendUndone(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	x, err := openMap(t, dir, seedMap())
	if err != nil {
		t.Fatal(err)
	}
	mustAdd(t, x, Article{ID: "w1", Title: "Before", Body: "before the disk filled"})
	x.jr.write = func(f *os.File, b []byte) (int, error) {
		n, _ := f.Write(b[:len(b)/2])
		return n, syscall.ENOSPC
	}
	err = x.Add(context.Background(), []Article{{ID: "lost", Title: "Failed", Body: "a numbat that never made it"}, {ID: "lost2", Title: "Failed too", Body: "more"}})
	if !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("Add on a full disk: %v, want ENOSPC", err)
	}
	x.jr.write = nil // space freed
	mustAdd(t, x, Article{ID: "w2", Title: "After", Body: "after the space was freed, a bilby"})
	x.Close()

	for _, rebuild := range []Rebuild{RebuildIfStale, RebuildAlways} {
		x, err := openMap(t, dir, seedMap(), func(o *Options) { o.Rebuild = rebuild })
		if err != nil {
			t.Fatalf("reopen (%v): %v", rebuild, err)
		}
		if !has(t, x, "w1") || !has(t, x, "w2") || totalFor(t, x, "bilby") != 1 || has(t, x, "lost") || has(t, x, "lost2") {
			t.Errorf("reopened (rebuild %v): w1=%v w2=%v lost=%v lost2=%v, want the acknowledged writes only", rebuild, has(t, x, "w1"), has(t, x, "w2"), has(t, x, "lost"), has(t, x, "lost2"))
		}
		x.Close()
	}
}

// TestWrites_failedBatchStoresNothing: when bleve's batch fails (a full
// or read-only disk), the write fails with ErrWriteFailed and nothing of it
// stays: not in the index, which is reopened from disk and keeps
// answering, nor in the journal, so it does not come back after a restart
// or a rebuild, as it had (a 500, then the article a restart later).
// Writes then wait for a reindex; after it they are stored.
func TestWrites_failedBatchStoresNothing(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	x, err := openMap(t, dir, seedMap())
	if err != nil {
		t.Fatal(err)
	}
	mustAdd(t, x, Article{ID: "w1", Title: "Before", Body: "before the disk failed"})
	x.batch = func(bleve.Index, *bleve.Batch) error {
		return &os.PathError{Op: "write", Path: "x.zap", Err: syscall.ENOSPC}
	}
	err = x.Add(context.Background(), []Article{{ID: "lost", Title: "Failed", Body: "a numbat that never made it"}})
	if !errors.Is(err, ErrWriteFailed) || !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("Add with a failing batch: %v, want ErrWriteFailed (ENOSPC)", err)
	}
	if err := x.Delete(context.Background(), "w1"); !errors.Is(err, ErrWriteFailed) {
		t.Fatalf("Delete with a failing batch: %v, want ErrWriteFailed", err)
	}
	if has(t, x, "lost") || !has(t, x, "w1") || totalFor(t, x, "seed") != 2 {
		t.Errorf("after the failed writes: lost=%v w1=%v seeds %d; want the index as before", has(t, x, "lost"), has(t, x, "w1"), totalFor(t, x, "seed"))
	}
	// Writes wait for a reindex (or a restart) once the disk has
	// refused a batch; then they are stored again.
	x.batch = nil
	if err := x.Add(context.Background(), []Article{{ID: "early", Title: "Too early", Body: "a quoll"}}); !errors.Is(err, ErrWriteFailed) {
		t.Fatalf("Add before a reindex: %v, want ErrWriteFailed", err)
	}
	if err := x.StartReindex(); err != nil {
		t.Fatal(err)
	}
	if st := waitReindex(t, x); st.State != ReindexDone {
		t.Fatalf("reindex: %+v", st)
	}
	mustAdd(t, x, Article{ID: "w2", Title: "After", Body: "after the disk was fixed, a bilby"})
	x.Close()

	for _, rebuild := range []Rebuild{RebuildIfStale, RebuildAlways} {
		x, err := openMap(t, dir, seedMap(), func(o *Options) { o.Rebuild = rebuild })
		if err != nil {
			t.Fatalf("reopen (%v): %v", rebuild, err)
		}
		if !has(t, x, "w1") || !has(t, x, "w2") || has(t, x, "lost") || has(t, x, "early") {
			t.Errorf("reopened (rebuild %v): w1=%v w2=%v lost=%v early=%v; want w1 and w2 only", rebuild, has(t, x, "w1"), has(t, x, "w2"), has(t, x, "lost"), has(t, x, "early"))
		}
		x.Close()
	}
}

// TestWrites_failedFirstBatchKeepsJournal: the first write of a process
// whose bleve batch fails cuts only its own entries from the journal, not
// those of the processes before it (the journal file opens on the first
// write).
func TestWrites_failedFirstBatchKeepsJournal(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	x, err := openMap(t, dir, seedMap())
	if err != nil {
		t.Fatal(err)
	}
	mustAdd(t, x, Article{ID: "w1", Title: "Earlier", Body: "written before the restart, a bilby"})
	x.Close()
	x, err = openMap(t, dir, seedMap())
	if err != nil {
		t.Fatal(err)
	}
	x.batch = func(bleve.Index, *bleve.Batch) error { return syscall.ENOSPC }
	if err := x.Add(context.Background(), []Article{{ID: "lost", Title: "Failed", Body: "a numbat"}}); !errors.Is(err, ErrWriteFailed) {
		t.Fatalf("Add with a failing batch: %v", err)
	}
	x.Close()
	x, err = openMap(t, dir, seedMap(), func(o *Options) { o.Rebuild = RebuildAlways })
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if !has(t, x, "w1") || has(t, x, "lost") {
		t.Errorf("after a rebuild: w1=%v lost=%v; want the earlier write kept, the failed one gone", has(t, x, "w1"), has(t, x, "lost"))
	}
}

// TestOpen_corruptJournal: a bad line followed by good ones is damage, not
// an interrupted append: Open refuses with a message naming the line.
func TestOpen_corruptJournal(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	x, err := openMap(t, dir, seedMap())
	if err != nil {
		t.Fatal(err)
	}
	mustAdd(t, x, Article{ID: "w1", Title: "One", Body: "one"})
	mustAdd(t, x, Article{ID: "w2", Title: "Two", Body: "two"})
	x.Close()
	path := filepath.Join(dir, journalFile)
	b, _ := os.ReadFile(path)
	lines := strings.SplitAfter(string(b), "\n")
	os.WriteFile(path, []byte("garbage\n"+lines[1]), 0o644)

	_, err = openMap(t, dir, seedMap())
	if !errors.Is(err, errJournalCorrupt) || !strings.Contains(err.Error(), "line 1") {
		t.Fatalf("err = %v, want journal corrupt at line 1", err)
	}
}

func TestDelete_errors(t *testing.T) {
	t.Parallel()
	x, err := openMap(t, t.TempDir(), seedMap())
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if err := x.Delete(context.Background(), "nope"); !errors.Is(err, ErrNotFound) {
		t.Errorf("absent id: %v", err)
	}
	if err := x.Delete(context.Background(), "a/b"); !errors.Is(err, ErrInvalidArticle) {
		t.Errorf("bad id: %v", err)
	}
	x.Close()
	if err := x.Delete(context.Background(), "s1"); !errors.Is(err, ErrClosed) {
		t.Errorf("closed: %v", err)
	}
}

func waitReindex(t *testing.T, x *Index) ReindexStatus {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if st := x.ReindexStatus(); st.State != ReindexRunning {
			return st
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatal("reindex did not finish")
	return ReindexStatus{}
}

// TestOpen_rebuildInBackground: with RebuildInBackground, an index whose
// inputs changed opens as it is, answering from the old articles, while
// it is rebuilt; the new one is swapped in when done, with the writes
// made over HTTP. A new mapping version still rebuilds first.
func TestOpen_rebuildInBackground(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fsys := fstest.MapFS{"a.jsonl": {Data: []byte(article("a1", "Alpha", "an okapi"))}}
	x, err := openMap(t, dir, fsys)
	if err != nil {
		t.Fatal(err)
	}
	mustAdd(t, x, Article{ID: "w1", Title: "Written", Body: "a narwhal"})
	gen := x.gen
	x.Close()

	fsys["b.jsonl"] = &fstest.MapFile{Data: []byte(article("b1", "Beta", "a platypus"))}
	x, err = openMap(t, dir, fsys, func(o *Options) { o.RebuildInBackground = true })
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if x.gen != gen || totalFor(t, x, "okapi") != 1 || totalFor(t, x, "narwhal") != 1 {
		t.Errorf("opened generation %s (was %s): want the old one, answering", x.gen, gen)
	}
	if st := waitReindex(t, x); st.State != ReindexDone {
		t.Fatalf("background rebuild: %+v", st)
	}
	if x.gen == gen || totalFor(t, x, "platypus") != 1 || totalFor(t, x, "narwhal") != 1 || totalFor(t, x, "okapi") != 1 {
		t.Errorf("after the rebuild: generation %s, platypus %d narwhal %d okapi %d; want a new one with all three",
			x.gen, totalFor(t, x, "platypus"), totalFor(t, x, "narwhal"), totalFor(t, x, "okapi"))
	}
	x.Close()
	// Reopened, it is current: no rebuild.
	x, err = openMap(t, dir, fsys, func(o *Options) { o.RebuildInBackground = true })
	if err != nil {
		t.Fatal(err)
	}
	if st := x.ReindexStatus(); st.State != ReindexIdle {
		t.Errorf("reopened current index: reindex %q, want idle", st.State)
	}
	x.Close()
}

// TestReindex: a reindex picks up changed inputs, keeps the journal's
// writes, refuses a second concurrent run, and never interrupts searches
// or writes made while it runs.
func TestReindex(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	var sb strings.Builder
	for i := range 3000 {
		sb.WriteString(article("r"+itoa(i), "Filler "+itoa(i), "common filler text number "+itoa(i)))
	}
	fsys := fstest.MapFS{"a.jsonl": {Data: []byte(sb.String())}}
	x, err := openMap(t, dir, fsys)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	mustAdd(t, x, Article{ID: "w1", Title: "Before reindex", Body: "narwhal"})
	gen := x.gen
	if st := x.ReindexStatus(); st.State != ReindexIdle {
		t.Errorf("state before = %q", st.State)
	}

	fsys["b.jsonl"] = &fstest.MapFile{Data: []byte(article("n1", "New input", "platypus"))}
	var stop atomic.Bool
	var wg sync.WaitGroup
	var searches, failures atomic.Int64
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !stop.Load() {
				res, err := x.Search(context.Background(), Query{Text: "filler"})
				searches.Add(1)
				if err != nil || res.Total < 3000 {
					failures.Add(1)
				}
			}
		}()
	}
	if err := x.StartReindex(); err != nil {
		t.Fatal(err)
	}
	if err := x.StartReindex(); !errors.Is(err, ErrBusy) {
		t.Errorf("second reindex: %v, want ErrBusy", err)
	}
	mustAdd(t, x, Article{ID: "w2", Title: "During reindex", Body: "axolotl"})
	st := waitReindex(t, x)
	stop.Store(true)
	wg.Wait()

	if st.State != ReindexDone || st.Err != "" || st.Build.Articles != 3001 {
		t.Fatalf("status = %+v", st)
	}
	if x.gen == gen {
		t.Error("generation not swapped")
	}
	for _, q := range []string{"narwhal", "axolotl", "platypus"} {
		if totalFor(t, x, q) != 1 {
			t.Errorf("%s not found after reindex", q)
		}
	}
	// Typos find the new build's words (its base vocabulary) and the
	// replayed writes' (their words field).
	if x.base == nil || x.base.docs != 3001 {
		t.Errorf("base vocabulary %+v after reindex, want one of the 3001 built articles", x.base)
	}
	for _, q := range []string{"platypos", "narwhel", "axolotn"} {
		if res := mustSearch(t, x, Query{Text: q, Typos: true}); res.Total != 1 {
			t.Errorf("%s found %d articles after reindex, want 1", q, res.Total)
		}
	}
	if failures.Load() > 0 {
		t.Errorf("%d of %d searches failed or saw a partial index during the reindex", failures.Load(), searches.Load())
	}
	entries, _ := os.ReadDir(dir)
	gens := 0
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), genPrefix) {
			gens++
		}
	}
	if gens != 1 {
		t.Errorf("%d generations on disk after reindex, want 1", gens)
	}
}

// TestReindex_failureKeepsOld: a reindex whose inputs vanished fails and
// leaves the old index serving.
func TestReindex_failureKeepsOld(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src := t.TempDir()
	os.WriteFile(filepath.Join(src, "a.jsonl"), []byte(article("s1", "Alpha", "kiwi")), 0o644)
	x, err := Open(context.Background(), Options{Dir: dir, Inputs: []Input{{FS: os.DirFS(src), Path: "a.jsonl", Label: "a.jsonl"}}, Logger: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	os.Remove(filepath.Join(src, "a.jsonl"))
	if err := x.StartReindex(); err != nil {
		t.Fatal(err)
	}
	st := waitReindex(t, x)
	if st.State != ReindexFailed || st.Err == "" {
		t.Errorf("status = %+v, want failed with a reason", st)
	}
	if totalFor(t, x, "kiwi") != 1 {
		t.Error("old index lost after a failed reindex")
	}
}

// TestClose_duringReindex: Close interrupts a running reindex and leaves no
// partial generation behind.
func TestClose_duringReindex(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	var sb strings.Builder
	for i := range 20000 {
		sb.WriteString(article("r"+itoa(i), "Filler", "filler text "+itoa(i)))
	}
	fsys := fstest.MapFS{"a.jsonl": {Data: []byte(sb.String())}}
	x, err := openMap(t, dir, fsys)
	if err != nil {
		t.Fatal(err)
	}
	gen := x.gen
	if err := x.StartReindex(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(20 * time.Millisecond)
	if err := x.Close(); err != nil {
		t.Fatal(err)
	}
	if st := x.ReindexStatus(); st.State == ReindexRunning {
		t.Errorf("still running after Close: %+v", st)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), genPrefix) && e.Name() != gen {
			// A reindex that completed before Close is fine; one that did
			// not must have cleaned up.
			if cur, _ := readCurrent(dir); cur != e.Name() {
				t.Errorf("partial generation %s left behind", e.Name())
			}
		}
	}
}

// TestWrites_concurrentWithSearches: writers and readers at once (run with
// -race): every acknowledged write is visible and counted in the facets, no
// search fails. The readers' faceted and date-sorted searches put the
// facet columns of new snapshots together while the writers make them.
func TestWrites_concurrentWithSearches(t *testing.T) {
	t.Parallel()
	x, err := openMap(t, t.TempDir(), seedMap())
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for w := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 10 {
				id := "c" + itoa(w) + "-" + itoa(i)
				a := Article{ID: id, Title: "Concurrent " + id, Body: "concurrent body", Source: "Concurrent Desk",
					Date: time.Date(2026, time.Month(1+i), 1+w, 0, 0, 0, 0, time.UTC)}
				if err := x.Add(ctx, []Article{a}); err != nil {
					errs <- err
				}
			}
		}()
	}
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			qs := []Query{
				{Text: "concurrent"},
				{Text: "concurrent", Sort: SortNewest, Facets: FacetNames()},
				{Facets: DefaultFacets()},
				{Text: "concurrent body", Facets: DefaultFacets(), Filters: map[string][]string{FacetSource: {"Concurrent Desk"}}},
			}
			for i := range 40 {
				if _, err := x.Search(ctx, qs[i%len(qs)]); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n := totalFor(t, x, "concurrent"); n != 20 {
		t.Errorf("found %d concurrent articles, want 20", n)
	}
	x.cache = nil
	res := mustSearch(t, x, Query{Facets: []string{FacetSource}})
	if got := res.Facets[0].Buckets; len(got) == 0 || got[0] != (Bucket{Value: "Concurrent Desk", Count: 20}) {
		t.Errorf("source facet %+v, want Concurrent Desk 20 first", got)
	}
}

// TestJournal_compactedOnRebuild: a rebuild leaves in the journal only
// the last write of each article, and what the journal makes of the
// articles does not change: after a restart and another rebuild, the
// article written a hundred times has its last text, the deleted one is
// gone, and writes go on after the compaction.
func TestJournal_compactedOnRebuild(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	seeds := []Input{{FS: os.DirFS("../seeds"), Path: ".", Label: "seeds"}}
	open := func(rebuild Rebuild) *Index {
		x, err := Open(ctx, Options{Dir: dir, Inputs: seeds, Rebuild: rebuild, Logger: testLogger(t)})
		if err != nil {
			t.Fatal(err)
		}
		return x
	}
	x := open(RebuildIfStale)
	for i := range 100 {
		if err := x.Add(ctx, []Article{{ID: "often", Title: fmt.Sprintf("Version zqv%d", i), Body: "Rewritten all day."}}); err != nil {
			t.Fatal(err)
		}
	}
	if err := x.Add(ctx, []Article{{ID: "gone", Title: "Soon deleted zqgone", Body: "Text."}}); err != nil {
		t.Fatal(err)
	}
	if err := x.Delete(ctx, "gone"); err != nil {
		t.Fatal(err)
	}
	// A seed deleted over HTTP must stay deleted after rebuilds.
	if err := x.Delete(ctx, "004_6f79ba49cfbf81dd"); err != nil {
		t.Fatal(err)
	}
	lines := func() int {
		b, err := os.ReadFile(filepath.Join(dir, journalFile))
		if err != nil {
			t.Fatal(err)
		}
		return bytes.Count(b, []byte("\n"))
	}
	if n := lines(); n != 103 {
		t.Fatalf("journal before the rebuild: %d entries, want 103", n)
	}
	x.Close()
	x = open(RebuildAlways)
	if n := lines(); n != 3 {
		t.Errorf("journal after the rebuild: %d entries, want 3 (often's last, gone's delete, the seed's delete)", n)
	}
	if err := x.Add(ctx, []Article{{ID: "after", Title: "Written after zqafter", Body: "Text."}}); err != nil {
		t.Fatal(err)
	}
	x.Close()
	x = open(RebuildAlways)
	defer x.Close()
	for q, want := range map[string]uint64{"zqv99": 1, "zqv98": 0, "zqgone": 0, "zqafter": 1} {
		if got := mustSearch(t, x, Query{Text: q, Size: 10}).Total; got != want {
			t.Errorf("%s after the rebuilds: %d hits, want %d", q, got, want)
		}
	}
	for _, h := range mustSearch(t, x, Query{Text: "Putin", Size: 10}).Hits {
		if h.ID == "004_6f79ba49cfbf81dd" {
			t.Error("the seed deleted over HTTP is back after the rebuilds")
		}
	}
}
