package index

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"testing/fstest"
)

// TestBuild_diskReserve: a build that would leave less than its reserve
// free fails with ErrDiskFull, and the index stays as it was, with no
// half-built generation left behind.
func TestBuild_diskReserve(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	seeds := []Input{{FS: os.DirFS("../seeds"), Path: ".", Label: "seeds"}}
	x, err := Open(ctx, Options{Dir: dir, Inputs: seeds, Logger: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	x.Close()
	free, err := freeBytes(dir)
	if err != nil {
		t.Skipf("no free space figure here: %v", err)
	}
	_, err = Open(ctx, Options{Dir: dir, Inputs: seeds, Rebuild: RebuildAlways, DiskReserve: int64(free) + 1<<40, Logger: testLogger(t)})
	if !errors.Is(err, ErrDiskFull) || !strings.Contains(err.Error(), "MB free") {
		t.Fatalf("rebuild with a reserve past the free space: %v, want ErrDiskFull", err)
	}
	x, err = Open(ctx, Options{Dir: dir, Inputs: seeds, Rebuild: RebuildNever, Logger: testLogger(t)})
	if err != nil {
		t.Fatalf("the index after the refused build: %v", err)
	}
	defer x.Close()
	if res := mustSearch(t, x, Query{Text: "Putin", Size: 10}); res.Total != 4 {
		t.Errorf("Putin after the refused build: %d, want the seeds' 4", res.Total)
	}
	gens, _ := filepath.Glob(filepath.Join(dir, genPrefix+"*"))
	if len(gens) != 1 {
		t.Errorf("generations left: %q, want the one built first", gens)
	}
}

// TestBuild_fullDisk builds on a small file system that fills during the
// build: the build stops with ErrDiskFull before bleve runs out of space
// (it then panics in a goroutine of its own, which killed the process).
// It needs root, to mount a tmpfs, and skips without.
func TestBuild_fullDisk(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size=40m"); err != nil {
		t.Skipf("cannot mount a small tmpfs (needs root): %v", err)
	}
	t.Cleanup(func() { syscall.Unmount(dir, 0) })
	// About 12 MB of varied text: more than the 8 MB above the reserve.
	var b strings.Builder
	for i := range 6000 {
		fmt.Fprintf(&b, `{"id":"f%d","title":"Article %d","body":"`, i, i)
		for j := range 250 {
			fmt.Fprintf(&b, "w%x ", (i*7919+j*104729)%200003)
		}
		b.WriteString("\"}\n")
	}
	in := Input{FS: fstest.MapFS{"big.jsonl": {Data: []byte(b.String())}}, Path: ".", Label: "big"}
	_, err := Open(context.Background(), Options{Dir: filepath.Join(dir, "ix"), Inputs: []Input{in}, Logger: testLogger(t)})
	if !errors.Is(err, ErrDiskFull) {
		t.Fatalf("build on a 40 MB file system: %v, want ErrDiskFull", err)
	}
	gens, _ := filepath.Glob(filepath.Join(dir, "ix", genPrefix+"*"))
	if len(gens) != 0 {
		t.Errorf("half-built generations left: %q", gens)
	}
}
