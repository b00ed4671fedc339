package index

import (
	"context"
	"errors"
	"fmt"
	"syscall"
	"time"
)

// ErrDiskFull fails a build that would leave its file system with less
// free space than Options.DiskReserve.
//
// bleve does not survive a full disk: a merge of the segments it has
// persisted half-written then panics in a goroutine of its own ("assignment
// to entry in nil map" in zapx's dictionary cache), which no recover can
// catch, and that took a serving server down with the rebuild (found by
// the operations audit on a 2 MB tmpfs). A build therefore keeps a reserve
// free and stops, cleanly, before the disk runs out.
var ErrDiskFull = errors.New("not enough free disk space")

// DefaultDiskReserve is the free space a build leaves on the index's file
// system unless Options.DiskReserve says otherwise: more than the disk
// takes in one check interval at the fastest rate a build writes (about
// 100 MB/s in the final merge of the 108k Reuters articles).
const DefaultDiskReserve = 32 << 20

// diskCheckEvery is how often a build looks at the free space.
const diskCheckEvery = 25 * time.Millisecond

// freeBytes returns the space an unprivileged user may still write on the
// file system holding dir.
func freeBytes(dir string) (uint64, error) {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return 0, err
	}
	return uint64(st.Bavail) * uint64(st.Bsize), nil
}

// diskFullError says how much is free against the reserve, and what to do.
func diskFullError(dir string, free, reserve uint64) error {
	return fmt.Errorf("%w in %s: %.1f MB free, and a build keeps %.1f MB free (bleve cannot survive a full disk): free some space or choose another -index directory",
		ErrDiskFull, dir, float64(free)/1e6, float64(reserve)/1e6)
}

// watchDisk returns a context that is cancelled, with an ErrDiskFull cause,
// once the file system holding dir has less than reserve bytes free; it
// fails at once when it already has. stop ends the watch. A file system
// that cannot be asked is not watched.
func watchDisk(ctx context.Context, dir string, reserve uint64) (_ context.Context, stop func(), _ error) {
	free, err := freeBytes(dir)
	if err != nil {
		return ctx, func() {}, nil
	}
	if free < reserve {
		return ctx, func() {}, diskFullError(dir, free, reserve)
	}
	wctx, cancel := context.WithCancelCause(ctx)
	go func() {
		t := time.NewTicker(diskCheckEvery)
		defer t.Stop()
		for {
			select {
			case <-wctx.Done(): // stop, the build's own context, or the disk
				return
			case <-t.C:
				if free, err := freeBytes(dir); err == nil && free < reserve {
					cancel(diskFullError(dir, free, reserve))
					return
				}
			}
		}
	}()
	return wctx, func() { cancel(nil) }, nil
}
