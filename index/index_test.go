package index

import (
	"context"
	"encoding/json"
	"errors"
	"github.com/blevesearch/bleve/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"testing/fstest"
	"time"
)

func article(id, title, body string) string {
	return `{"id":"` + id + `","title":"` + title + `","body":"` + body + `","date":"2026-01-02","source":"Test","lang":"en"}` + "\n"
}

// articles returns n articles in article's JSON Lines form, ids prefix0,
// prefix1, …, all with one title and body.
func articles(prefix string, n int, title, body string) string {
	var b strings.Builder
	for i := range n {
		b.WriteString(article(prefix+strconv.Itoa(i), title, body))
	}
	return b.String()
}

// fillers returns n articles on nothing the tests search for, ids
// filler0, filler1, …, so that a test corpus's words have realistic
// document frequencies.
func fillers(n int) string {
	return articles("filler", n, "Markets were calm", "Stocks closed flat in quiet trading before the holiday.")
}

func openMap(t testing.TB, dir string, fsys fstest.MapFS, opts ...func(*Options)) (*Index, error) {
	t.Helper()
	o := Options{Dir: dir, Inputs: []Input{{FS: fsys, Path: ".", Label: "map"}}, Logger: testLogger(t)}
	for _, f := range opts {
		f(&o)
	}
	return Open(context.Background(), o)
}

// openJSONL opens a fresh index in t.TempDir() built from one JSON Lines
// file of articles; it is closed when the test ends.
func openJSONL(t testing.TB, data string) *Index {
	t.Helper()
	x, err := openMap(t, t.TempDir(), fstest.MapFS{"a.jsonl": {Data: []byte(data)}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { x.Close() })
	return x
}

// openCorpus opens an index of the shared corpus name (bbc, …) in a
// temporary directory, or skips the test when ../shared/corpus is absent.
func openCorpus(t testing.TB, name string) *Index {
	t.Helper()
	path := filepath.Join("..", "..", "shared", "corpus", name, "docs.jsonl.gz")
	if _, err := os.Stat(path); err != nil {
		t.Skipf("corpus absent (%v): skipping", err)
	}
	x, err := Open(context.Background(), Options{Dir: t.TempDir(), Inputs: []Input{{FS: os.DirFS(filepath.Dir(path)), Path: filepath.Base(path)}}, Logger: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { x.Close() })
	return x
}

// corpusReader opens the corpus index name (see openCorpus) and its live
// generation for reading, until the test ends. It returns the generation
// and its base vocabulary.
func corpusReader(t testing.TB, name string) (bleve.Index, *baseVocab) {
	t.Helper()
	x := openCorpus(t, name)
	bi, done, err := x.reader()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(done)
	return bi, x.base
}

// mustSearch runs q on x, failing the test on an error.
func mustSearch(t testing.TB, x *Index, q Query) Results {
	t.Helper()
	res, err := x.Search(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func totalFor(t *testing.T, x *Index, q string) uint64 {
	t.Helper()
	res, err := x.Search(context.Background(), Query{Text: q})
	if err != nil {
		t.Fatal(err)
	}
	return res.Total
}

// TestOpen_reuseAndRebuild: an up-to-date index is reused as is; changed
// inputs or a rebuild request make a new generation and remove the old one.
func TestOpen_reuseAndRebuild(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fsys := fstest.MapFS{"a.jsonl": {Data: []byte(article("a1", "Alpha", "first body"))}}

	x, err := openMap(t, dir, fsys)
	if err != nil {
		t.Fatal(err)
	}
	gen1 := x.gen
	x.Close()

	x, err = openMap(t, dir, fsys)
	if err != nil {
		t.Fatal(err)
	}
	if x.gen != gen1 {
		t.Errorf("unchanged inputs rebuilt the index: %s → %s", gen1, x.gen)
	}
	x.Close()

	fsys["a.jsonl"] = &fstest.MapFile{Data: []byte(article("a1", "Alpha", "first body") + article("b2", "Beta", "second body"))}
	x, err = openMap(t, dir, fsys)
	if err != nil {
		t.Fatal(err)
	}
	if x.gen == gen1 {
		t.Error("changed inputs did not rebuild the index")
	}
	if n := totalFor(t, x, "Beta"); n != 1 {
		t.Errorf("new article not searchable: total %d", n)
	}
	gen2 := x.gen
	x.Close()
	if _, err := os.Stat(filepath.Join(dir, gen1)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("old generation %s still on disk: %v", gen1, err)
	}

	x, err = openMap(t, dir, fsys, func(o *Options) { o.Rebuild = RebuildAlways })
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if x.gen == gen2 {
		t.Error("RebuildAlways reused the index")
	}
}

// TestBuild_progressCountsSkipped: the progress of a build counts the bad
// records skipped so far, not only its last report (an operator watching
// a long build saw "0 skipped" after a record was skipped).
func TestBuild_progressCountsSkipped(t *testing.T) {
	t.Parallel()
	data := "not json\n" + article("a1", "Alpha", "first body") + article("a2", "Gamma", "second body")
	var during []int
	x, err := openMap(t, t.TempDir(), fstest.MapFS{"a.jsonl": {Data: []byte(data)}}, func(o *Options) {
		o.BatchSize, o.ProgressEvery = 1, time.Nanosecond
		o.Progress = func(s BuildStats) {
			if !s.Done {
				during = append(during, s.Skipped)
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	x.Close()
	if len(during) == 0 || slices.Contains(during, 0) {
		t.Errorf("skipped counts in the progress reports: %v, want 1 in each", during)
	}
}

// TestBuild_inputChangedWhileIndexed: a build hashes its inputs after
// reading them; an input written meanwhile leaves the index with no
// fingerprint, so the next open rebuilds it from what is there now.
func TestBuild_inputChangedWhileIndexed(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	two := article("a1", "Alpha", "first body") + article("a2", "Gamma", "second body")
	fsys := fstest.MapFS{"a.jsonl": {Data: []byte(two), ModTime: time.Unix(1, 0)}}
	changed := false
	x, err := openMap(t, dir, fsys, func(o *Options) {
		o.BatchSize, o.ProgressEvery = 1, time.Nanosecond
		// Progress is called from the goroutine that reads the inputs.
		o.Progress = func(s BuildStats) {
			if !changed && !s.Done && s.Articles > 0 {
				changed = true
				fsys["a.jsonl"] = &fstest.MapFile{Data: []byte(two + article("b3", "Beta", "third body")), ModTime: time.Unix(2, 0)}
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if !changed {
		t.Fatal("the input was not changed during the build")
	}
	if x.meta.Fingerprint != "" {
		t.Errorf("fingerprint %q recorded for an input written during the build, want none", x.meta.Fingerprint)
	}
	gen1 := x.gen
	x.Close()
	x, err = openMap(t, dir, fsys)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if x.gen == gen1 {
		t.Error("the index built from a changing input was reused")
	}
	if n := totalFor(t, x, "Beta"); n != 1 {
		t.Errorf("Beta, added during the first build: total %d after the rebuild, want 1", n)
	}
	want, err := Fingerprint(x.opts.Inputs)
	if err != nil {
		t.Fatal(err)
	}
	if x.meta.Fingerprint != want {
		t.Errorf("rebuilt index's fingerprint %q, want %q", x.meta.Fingerprint, want)
	}
}

// TestOpen_locked: a second opener of the same directory fails fast with
// ErrLocked, and succeeds once the first closes.
func TestOpen_locked(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fsys := fstest.MapFS{"a.jsonl": {Data: []byte(article("a1", "Alpha", "body"))}}
	x, err := openMap(t, dir, fsys)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err = openMap(t, dir, fsys)
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("second open: err = %v, want ErrLocked", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("second open took %v", d)
	}
	if !strings.Contains(err.Error(), "pid") {
		t.Errorf("error does not name the holder: %v", err)
	}
	x.Close()
	y, err := openMap(t, dir, fsys)
	if err != nil {
		t.Fatalf("open after close: %v", err)
	}
	y.Close()
}

// TestOpen_lockRemoved: when the LOCK of a directory in use is gone (the
// directory removed and made again under a server), the process using it
// is not ready, and a second opener finds the generation in use (bolt's
// lock) and fails: it had taken that for a broken index, rebuilt it and
// deleted the generation the first was serving.
func TestOpen_lockRemoved(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fsys := fstest.MapFS{"a.jsonl": {Data: []byte(article("a1", "Alpha", "body"))}}
	x, err := openMap(t, dir, fsys)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if _, err := x.DocCount(); err != nil {
		t.Fatalf("DocCount: %v", err)
	}
	if err := os.Remove(filepath.Join(dir, lockFile)); err != nil {
		t.Fatal(err)
	}
	if _, err := x.DocCount(); !errors.Is(err, ErrNotReady) || !errors.Is(err, ErrDirLost) {
		t.Errorf("DocCount with the LOCK gone: err = %v, want ErrNotReady and ErrDirLost", err)
	}
	if _, err := x.Stats(); !errors.Is(err, ErrNotReady) {
		t.Errorf("Stats with the LOCK gone: err = %v, want ErrNotReady", err)
	}
	gen := x.gen
	if y, err := openMap(t, dir, fsys); !errors.Is(err, ErrLocked) {
		if err == nil {
			y.Close()
		}
		t.Fatalf("second open: err = %v, want ErrLocked", err)
	}
	if _, err := os.Stat(filepath.Join(dir, gen)); err != nil {
		t.Errorf("the first opener's generation: %v", err)
	}
	if got := hitIDs(mustSearch(t, x, Query{Text: "alpha"})); len(got) != 1 {
		t.Errorf("the first opener finds %v, want a1", got)
	}
}

// TestOpen_recovers: a CURRENT naming a missing generation (a crash between
// steps, a user deleting files) leads to a rebuild, not a failure.
func TestOpen_recovers(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fsys := fstest.MapFS{"a.jsonl": {Data: []byte(article("a1", "Alpha", "body"))}}
	x, err := openMap(t, dir, fsys)
	if err != nil {
		t.Fatal(err)
	}
	gen := x.gen
	x.Close()
	os.RemoveAll(filepath.Join(dir, gen))
	os.Mkdir(filepath.Join(dir, genPrefix+"leftover"), 0o755)
	x, err = openMap(t, dir, fsys)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if n := totalFor(t, x, "Alpha"); n != 1 {
		t.Errorf("rebuilt index: total %d, want 1", n)
	}
	if _, err := os.Stat(filepath.Join(dir, genPrefix+"leftover")); !errors.Is(err, os.ErrNotExist) {
		t.Error("leftover generation not cleaned up")
	}
}

// TestOpen_foreignDir: a directory of someone's files that holds no
// index is refused and left as it was; a new, empty or dot-file-only
// directory gets an index, and so does an index directory again.
func TestOpen_foreignDir(t *testing.T) {
	t.Parallel()
	fsys := fstest.MapFS{"a.jsonl": {Data: []byte(article("a1", "Alpha", "body"))}}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("mine"), 0o644)
	_, err := openMap(t, dir, fsys)
	if !errors.Is(err, ErrNotIndexDir) || !strings.Contains(err.Error(), "notes.txt") {
		t.Fatalf("open of a directory of other files: err = %v, want ErrNotIndexDir naming notes.txt", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("refused directory now holds %d entries, want only notes.txt", len(entries))
	}
	// A dot directory is someone's too: a git checkout.
	gitDir := t.TempDir()
	os.Mkdir(filepath.Join(gitDir, ".git"), 0o755)
	if _, err := openMap(t, gitDir, fsys); !errors.Is(err, ErrNotIndexDir) {
		t.Errorf("open of a directory holding .git: err = %v, want ErrNotIndexDir", err)
	}

	for name, prepare := range map[string]func(dir string){
		"new":   func(dir string) { os.Remove(dir) },
		"empty": func(string) {},
		"dot files": func(dir string) {
			os.WriteFile(filepath.Join(dir, ".gitkeep"), nil, 0o644)
			os.Mkdir(filepath.Join(dir, "lost+found"), 0o700)
		},
	} {
		dir := t.TempDir()
		prepare(dir)
		x, err := openMap(t, dir, fsys)
		if err != nil {
			t.Fatalf("%s directory: %v", name, err)
		}
		x.Close()
		// An index directory opens again, whatever else it holds.
		os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("mine"), 0o644)
		x, err = openMap(t, dir, fsys)
		if err != nil {
			t.Fatalf("%s directory, reopened: %v", name, err)
		}
		if n := totalFor(t, x, "Alpha"); n != 1 {
			t.Errorf("%s directory: total %d, want 1", name, n)
		}
		x.Close()
	}
}

// TestOpen_noArticlesKeepsIndex: inputs that give no article (an empty
// file, lines that are all bad, a wrong directory) never replace an
// index of articles with an empty one: the build fails and the index is
// left as it was. A new index may still be empty.
func TestOpen_noArticlesKeepsIndex(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	good := fstest.MapFS{"a.jsonl": {Data: []byte(article("a1", "Alpha", "body"))}}
	x, err := openMap(t, dir, good)
	if err != nil {
		t.Fatal(err)
	}
	x.Close()
	for name, fsys := range map[string]fstest.MapFS{
		"empty file": {"b.jsonl": {Data: nil}},
		"all bad":    {"b.jsonl": {Data: []byte("garbage\n{\"id\":1}\n")}},
		"no files":   {"notes.md": {Data: []byte("# notes")}},
	} {
		for _, rebuild := range []Rebuild{RebuildIfStale, RebuildAlways} {
			_, err := openMap(t, dir, fsys, func(o *Options) { o.Rebuild = rebuild })
			if !errors.Is(err, ErrNoArticles) || !strings.Contains(err.Error(), "is left as it is (articles: 1)") {
				t.Errorf("%s, rebuild %v: err = %v, want ErrNoArticles keeping 1 article", name, rebuild, err)
			}
		}
	}
	x, err = openMap(t, dir, good)
	if err != nil {
		t.Fatal(err)
	}
	if n := totalFor(t, x, "Alpha"); n != 1 {
		t.Errorf("after the refused builds: total %d, want 1", n)
	}
	x.Close()

	// An index of no articles from its inputs, filled over HTTP, is
	// rebuilt from none: the writes are replayed.
	dir = t.TempDir()
	none := fstest.MapFS{"b.jsonl": {Data: nil}}
	y, err := openMap(t, dir, none)
	if err != nil {
		t.Fatalf("a new index of no articles: %v", err)
	}
	mustAdd(t, y, Article{ID: "w1", Title: "Written", Body: "a wombat over HTTP"})
	y.Close()
	y, err = openMap(t, dir, none, func(o *Options) { o.Rebuild = RebuildAlways })
	if err != nil {
		t.Fatalf("rebuild of an index filled over HTTP: %v", err)
	}
	defer y.Close()
	if n := totalFor(t, y, "wombat"); n != 1 {
		t.Errorf("after the rebuild: wombat %d, want the written article", n)
	}
}

func TestOpen_badCurrent(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, currentFile), []byte("../../etc\n"), 0o644)
	_, err := openMap(t, dir, fstest.MapFS{})
	if err == nil || !strings.Contains(err.Error(), "CURRENT") {
		t.Errorf("err = %v, want a CURRENT error", err)
	}
}

// TestAdd: added articles are searchable and replace same-id ones.
func TestAdd(t *testing.T) {
	t.Parallel()
	x, err := openMap(t, t.TempDir(), fstest.MapFS{})
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	ctx := context.Background()
	if err := x.Add(ctx, []Article{{ID: "n1", Title: "Gamma ray", Body: "old text", Lang: "en", Source: "S"}}); err != nil {
		t.Fatal(err)
	}
	if err := x.Add(ctx, []Article{{ID: "n1", Title: "Gamma ray", Body: "new text", Lang: "en", Source: "S"}}); err != nil {
		t.Fatal(err)
	}
	if n, _ := x.DocCount(); n != 1 {
		t.Errorf("DocCount = %d, want 1", n)
	}
	if totalFor(t, x, "old") != 0 || totalFor(t, x, "new") != 1 {
		t.Error("replacement not visible")
	}
	if err := x.Add(ctx, []Article{{ID: ""}}); !errors.Is(err, ErrInvalidArticle) {
		t.Errorf("invalid article: err = %v", err)
	}
}

func TestClosed(t *testing.T) {
	t.Parallel()
	x, err := openMap(t, t.TempDir(), fstest.MapFS{})
	if err != nil {
		t.Fatal(err)
	}
	x.Close()
	if _, err := x.Search(context.Background(), Query{Text: "x"}); !errors.Is(err, ErrClosed) {
		t.Errorf("search after close: %v", err)
	}
	if err := x.Close(); err != nil {
		t.Errorf("second close: %v", err)
	}
}

// TestOpen_lockWait: with LockWait, Open waits for another process that
// holds the directory to let it go, as a search from a script waits for
// the one before it; without, it fails at once.
func TestOpen_lockWait(t *testing.T) {
	t.Parallel()
	flock, err := exec.LookPath("flock")
	if err != nil {
		t.Skip("no flock(1) to hold the lock from another process")
	}
	dir := t.TempDir()
	fsys := fstest.MapFS{"a.jsonl": {Data: []byte(article("a1", "Alpha", "body"))}}
	x, err := openMap(t, dir, fsys)
	if err != nil {
		t.Fatal(err)
	}
	x.Close()
	// flock(1) writes no pid: leave none of ours in the file.
	os.Truncate(filepath.Join(dir, lockFile), 0)
	holder := exec.Command(flock, filepath.Join(dir, lockFile), "sleep", "0.5")
	if err := holder.Start(); err != nil {
		t.Fatal(err)
	}
	defer holder.Wait()
	for deadline := time.Now().Add(5 * time.Second); ; {
		// Probe without lockDir, which would write our pid.
		f, err := os.Open(filepath.Join(dir, lockFile))
		if err != nil {
			t.Fatal(err)
		}
		err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			break // held
		}
		if time.Now().After(deadline) {
			t.Skipf("flock did not take the lock in time (err %v)", err)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if _, err := openMap(t, dir, fsys); !errors.Is(err, ErrLocked) {
		t.Fatalf("Open without LockWait: err = %v, want ErrLocked at once", err)
	}
	x, err = openMap(t, dir, fsys, func(o *Options) { o.LockWait = 10 * time.Second })
	if err != nil {
		t.Fatalf("Open with LockWait: %v", err)
	}
	defer x.Close()
	if n := totalFor(t, x, "Alpha"); n != 1 {
		t.Errorf("total %d, want 1", n)
	}
}

// TestOpen_needsRebuild: an index of another mapping version, opened with
// RebuildNever (its articles gone), is refused with ErrNeedsRebuild and
// the commands that rebuild it.
func TestOpen_needsRebuild(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	x, err := openMap(t, dir, seedMap())
	if err != nil {
		t.Fatal(err)
	}
	m := x.meta
	m.MappingVersion = "0"
	b, _ := json.Marshal(m)
	if err := x.bi.SetInternal(metaKey, b); err != nil {
		t.Fatal(err)
	}
	x.Close()
	_, err = openMap(t, dir, seedMap(), func(o *Options) { o.Inputs, o.Rebuild = nil, RebuildNever })
	if !errors.Is(err, ErrNeedsRebuild) || !strings.Contains(err.Error(), "newsearch index -index "+dir) {
		t.Errorf("err = %v, want ErrNeedsRebuild with the command to rebuild", err)
	}
}
