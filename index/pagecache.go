package index

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Reading a build's segments back.
//
// On Linux, file pages cached as a program writes them stay as small as its
// writes (zap writes through a 4 KB buffer), while pages the kernel reads
// ahead from disk come in large folios. A search touches its segment at
// random through a memory mapping, and on the small pages of a file just
// written it ran 6–11% slower in-process (BenchmarkSearchLog on 108k
// articles, one binary, a fresh index against one read back, three
// rounds: 324, 341, 343 µs of CPU per query against 304, 311, 309); after
// dropping the fresh index's pages and reading it back the two were within
// 1–3.5%. So a build, once its index is merged and closed, drops its
// segments' pages from the page cache and reads them back in order
// (rereadSegments): 0.19 s for the 202 MB of the 108k articles here.

// rereadSegments drops the cached pages of every zap segment under dir
// and reads the files back, so that the kernel caches them as it does what
// it reads from disk. Nothing may map the files meanwhile (the index is
// closed). Without page cache advice (dropPages), it only reads them.
func rereadSegments(dir string) error {
	files, err := filepath.Glob(filepath.Join(dir, "store", "*.zap"))
	if err != nil {
		return err
	}
	buf := make([]byte, 1<<20)
	var errs []error
	for _, name := range files {
		if err := reread(name, buf); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

func reread(name string, buf []byte) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	// Dirty pages cannot be dropped: write them first (zap syncs its
	// merges already; this is cheap then).
	if err := f.Sync(); err != nil {
		return fmt.Errorf("reread %s: %w", name, err)
	}
	if err := dropPages(f); err != nil {
		return fmt.Errorf("reread %s: %w", name, err)
	}
	for {
		if _, err := f.Read(buf); err == io.EOF {
			return nil
		} else if err != nil {
			return fmt.Errorf("reread %s: %w", name, err)
		}
	}
}
