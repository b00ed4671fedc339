// Package rss reads the resident set size of the running process.
package rss

import (
	"os"
	"strconv"
	"strings"
)

// KB returns VmRSS from /proc/self/status in kB, or -1 where there is none.
func KB() int {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return -1
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(rest), " kB"))
			if err != nil {
				return -1
			}
			return n
		}
	}
	return -1
}
