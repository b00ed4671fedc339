package index

import (
	"os"
	"runtime/debug"
	rtmetrics "runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"time"
)

// A build's garbage collector.
//
// A build allocates about 60 KB per article (bleve's token frequencies,
// analysis tokens, zap's segment buffers) while holding only about 110 MB
// of live heap for the 108k Reuters articles: at Go's default GOGC=100
// the collector ran 148 times in a 19 s build, and with its write
// barriers and assists cost a fifth of the build's CPU.
//
// So while a build runs, the collector's target is raised within a heap
// budget: the largest target, up to buildGCMax, whose heap goal stays
// within the budget (heapBudget: buildHeapBudget, less under a memory
// limit), and never below the process's own, which is what a build with a
// large live heap keeps (the 70k news articles, with their Chinese
// vocabulary, mostly do). The live heap is read a few times a second.
// A GOGC set in the environment is the user's choice and is left alone.
//
// newsearch index on the 108k articles, three alternating rounds: 16.0–17.9
// → 13.2–14.0 s of wall time, 27.4–28.9 → 22.1–23.1 s of CPU, 389–428 →
// 649–767 MB of peak RSS. A server rebuilding them (POST /api/reindex,
// one run each): 17.1 → 14.0 s, 423 → 704 MB of peak RSS.

const (
	// buildHeapBudget is the heap a build may grow to before the
	// collector's target falls back to the process's own.
	buildHeapBudget = 640 << 20
	// buildGCMax is the highest target set: beyond it the 108k build
	// gained nothing measurable and its peak RSS kept growing.
	buildGCMax = 300
	// buildGCEvery is how often the target follows the live heap.
	buildGCEvery = 200 * time.Millisecond
)

// buildGCPercent is the collector target for a build whose live heap is
// live bytes, in a process whose own target is base: the largest target
// (at most buildGCMax) whose heap goal stays within budget bytes, and
// never below base.
func buildGCPercent(live, budget uint64, base int) int {
	p := buildGCMax
	if live > 0 {
		p = int(min(float64(p), float64(budget)/float64(live)*100-100))
	}
	return max(p, base)
}

// heapBudget is the heap a build may grow to here: buildHeapBudget, no
// more than a Go memory limit (GOMEMLIMIT), and no more than half the
// memory limit of the process's cgroup, so that in a container with
// little memory a build keeps close to the default.
func heapBudget() uint64 {
	b := uint64(buildHeapBudget)
	if l := debug.SetMemoryLimit(-1); l > 0 {
		b = min(b, uint64(l))
	}
	for _, f := range []string{"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"} {
		if data, err := os.ReadFile(f); err == nil {
			if l, ok := parseMemoryLimit(string(data)); ok {
				b = min(b, l/2)
			}
			break
		}
	}
	return b
}

// parseMemoryLimit reads a cgroup memory limit file: a number of bytes,
// or "max" for none (cgroup v1 writes a number near 2^63 instead).
func parseMemoryLimit(s string) (uint64, bool) {
	n, err := strconv.ParseUint(strings.TrimSpace(s), 10, 64)
	return n, err == nil && n > 0
}

// buildGC holds the raised target while builds run; concurrent builds
// share it, and the last one to finish restores the process's target.
var buildGC struct {
	sync.Mutex
	builds int
	base   int           // the process's target before the first build
	stop   chan struct{} // closed to stop the goroutine following the heap
	done   chan struct{} // closed when it has stopped
}

// raiseBuildGC raises the collector's target for a build; the returned
// function undoes it. It does nothing when GOGC is set in the environment
// or the collector is off.
func raiseBuildGC() (restore func()) {
	if os.Getenv("GOGC") != "" {
		return func() {}
	}
	buildGC.Lock()
	defer buildGC.Unlock()
	if buildGC.builds == 0 {
		base := debug.SetGCPercent(100) // reads the target; set below
		if base < 0 {                   // the collector is off: leave it off
			debug.SetGCPercent(base)
			return func() {}
		}
		budget := heapBudget()
		set := buildGCPercent(liveHeap(), budget, base)
		debug.SetGCPercent(set)
		buildGC.base = base
		buildGC.stop, buildGC.done = make(chan struct{}), make(chan struct{})
		go followHeap(base, budget, set, buildGC.stop, buildGC.done)
	}
	buildGC.builds++
	var once sync.Once
	return func() {
		once.Do(func() {
			buildGC.Lock()
			defer buildGC.Unlock()
			if buildGC.builds--; buildGC.builds == 0 {
				close(buildGC.stop)
				<-buildGC.done
				debug.SetGCPercent(buildGC.base)
			}
		})
	}
}

// followHeap sets the collector's target from the live heap until stop is
// closed; set is the target in force when it starts.
func followHeap(base int, budget uint64, set int, stop <-chan struct{}, done chan<- struct{}) {
	defer close(done)
	tick := time.NewTicker(buildGCEvery)
	defer tick.Stop()
	for {
		select {
		case <-stop:
			return
		case <-tick.C:
		}
		if p := buildGCPercent(liveHeap(), budget, base); p != set {
			debug.SetGCPercent(p)
			set = p
		}
	}
}

// liveHeap returns the heap the last collection found live, in bytes (0
// before the first, or when the runtime does not report it).
func liveHeap() uint64 {
	sample := []rtmetrics.Sample{{Name: "/gc/heap/live:bytes"}}
	rtmetrics.Read(sample)
	if sample[0].Value.Kind() != rtmetrics.KindUint64 {
		return 0
	}
	return sample[0].Value.Uint64()
}
