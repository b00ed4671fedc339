//go:build !linux

package index

import "os"

// dropPages does nothing where there is no posix_fadvise to call.
func dropPages(*os.File) error { return nil }
