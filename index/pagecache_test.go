package index

import (
	"bytes"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

// TestRereadSegments: reading a build's segments back leaves every file
// as it was, zap segments and others, and a directory without segments is
// no error. (What it is for, the page cache's shape, BenchmarkSearchLog
// shows on a fresh index; see pagecache.go.)
func TestRereadSegments(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := rereadSegments(dir); err != nil {
		t.Fatalf("no store: %v", err)
	}
	store := filepath.Join(dir, "store")
	if err := os.Mkdir(store, 0o755); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	files := map[string][]byte{}
	for name, size := range map[string]int{"000000000002.zap": 3<<20 + 17, "000000000005.zap": 0, "root.bolt": 4096} {
		data := make([]byte, size)
		for i := range data {
			data[i] = byte(rng.Uint32())
		}
		files[name] = data
		if err := os.WriteFile(filepath.Join(store, name), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := rereadSegments(dir); err != nil {
		t.Fatal(err)
	}
	for name, want := range files {
		got, err := os.ReadFile(filepath.Join(store, name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s changed", name)
		}
	}
	// A segment it cannot open is reported, and the others still read.
	if err := os.Chmod(filepath.Join(store, "000000000005.zap"), 0); err != nil {
		t.Fatal(err)
	}
	if os.Geteuid() != 0 { // root opens it anyway
		if err := rereadSegments(dir); err == nil {
			t.Error("an unreadable segment gave no error")
		}
	}
}
