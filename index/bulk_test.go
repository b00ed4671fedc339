package index

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

// bulkCorpus is n articles in one JSON Lines file; article i has the
// marker word "zq<letters>q" (letters only: digits would be split off).
func bulkCorpus(n int) fstest.MapFS {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, `{"id":"b%d","title":"Bulk article %d","body":"Body of a bulk article with the marker zq%sq.","date":"2026-01-02","source":"Bulk","lang":"en"}`+"\n",
			i, i, letters(i))
	}
	return fstest.MapFS{"bulk.jsonl": {Data: []byte(b.String())}}
}

// letters spells n in base 26 with a–z, so that each marker is one word.
func letters(n int) string {
	s := ""
	for {
		s = string(rune('a'+n%26)) + s
		n /= 26
		if n == 0 {
			return s
		}
	}
}

// TestBuild_parallelBatches: a build spread over several workers and many
// small batches indexes every article exactly once, and what it reports
// durable is on disk: the reopened index has them all without a rebuild.
func TestBuild_parallelBatches(t *testing.T) {
	t.Parallel()
	const n = 2500
	dir := t.TempDir()
	fsys := bulkCorpus(n)
	small := func(o *Options) { o.BatchSize = 97 }
	x, err := openMap(t, dir, fsys, small)
	if err != nil {
		t.Fatal(err)
	}
	check := func(x *Index) {
		t.Helper()
		if got, err := x.DocCount(); err != nil || got != n {
			t.Fatalf("DocCount = %d, %v; want %d", got, err, n)
		}
		for _, i := range []int{0, 1, 96, 97, 1234, n - 1} {
			res, err := x.Search(context.Background(), Query{Text: "zq" + letters(i) + "q"})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Hits) != 1 || res.Hits[0].ID != fmt.Sprintf("b%d", i) {
				t.Errorf("marker of b%d: %d hits %+v", i, len(res.Hits), res.Hits)
			}
		}
	}
	check(x)
	if n := segments(t, x); n != 1 {
		t.Errorf("built index has %d segments, want 1 (mergeAll)", n)
	}
	gen := x.gen
	if err := x.Close(); err != nil {
		t.Fatal(err)
	}
	x, err = openMap(t, dir, fsys, small)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if x.gen != gen {
		t.Errorf("reopen rebuilt the index: %s → %s", gen, x.gen)
	}
	check(x)
}

// TestBuild_keepsDefaultMergePlan: a build loads with its own merge plan
// (buildConfig), but bleve reuses the configuration a generation was
// created with on every later open: it must be the default one, or the
// live index would merge its writes only a hundred segments at a time.
func TestBuild_keepsDefaultMergePlan(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	x, err := openMap(t, dir, bulkCorpus(50))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	b, err := os.ReadFile(filepath.Join(dir, x.gen, "index_meta.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m struct{ Config map[string]any }
	// bleve pads the file with NULs after the JSON value.
	if err := json.NewDecoder(bytes.NewReader(b)).Decode(&m); err != nil {
		t.Fatal(err)
	}
	if _, ok := m.Config["scorchMergePlanOptions"]; ok || m.Config["bolt_timeout"] == nil {
		t.Errorf("generation created with %v, want openConfig's %v", m.Config, openConfig())
	}
}

// TestBuild_cancelled: a build whose context ends stops with the
// context's error and leaves no generation behind.
func TestBuild_cancelled(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Open(ctx, Options{Dir: dir, Inputs: []Input{{FS: bulkCorpus(500), Path: ".", Label: "bulk"}}, Logger: testLogger(t)})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Open with a cancelled context: %v, want context.Canceled", err)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), genPrefix) {
			t.Errorf("generation %s left behind", e.Name())
		}
	}
}

// segments returns the number of segments of x's live snapshot.
func segments(t *testing.T, x *Index) int {
	t.Helper()
	snap, done := liveSnapshot(t, x)
	defer done()
	return len(snap.Segments())
}
