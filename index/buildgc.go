package index

import (
	"os"
	"runtime/debug"
	rtmetrics "runtime/metrics"
	"sync"
	"time"
)

// A build's garbage collector.
//
// A build allocates about 60 KB per article (bleve's token frequencies,
// analysis tokens, zap's segment buffers) while holding only about 110 MB
// of live heap for the 108k Reuters articles. At Go's default GOGC=100
// the collector then ran 148 times in a 19 s build, and with its write
// barriers and assists it took 17–26% of the build's CPU more than at
// GOGC=300 (two alternating rounds of `newsearch index`, 30.2–33.3 s
// against 24.6–25.0 s of user CPU; 400 → 700–730 MB of peak RSS).
//
// So while a build runs, the collector's target is raised, within a heap
// budget: the target lets the heap grow to at most buildHeapBudget, and
// never below what the process had (when the live heap is large, as for
// the 70k news articles with their Chinese vocabulary, it stays at the
// process's setting). The live heap is read a few times a second. A GOGC
// set in the environment is the user's choice and is left alone, and so is
// a memory limit (GOMEMLIMIT), which the runtime keeps enforcing.

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
// (at most buildGCMax) whose heap goal stays within buildHeapBudget, and
// never below base.
func buildGCPercent(live uint64, base int) int {
	p := buildGCMax
	if live > 0 {
		p = min(p, int(buildHeapBudget*100/live)-100)
	}
	return max(p, base)
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
		set := buildGCPercent(liveHeap(), base)
		debug.SetGCPercent(set)
		buildGC.base = base
		buildGC.stop, buildGC.done = make(chan struct{}), make(chan struct{})
		go followHeap(base, set, buildGC.stop, buildGC.done)
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
func followHeap(base, set int, stop <-chan struct{}, done chan<- struct{}) {
	defer close(done)
	tick := time.NewTicker(buildGCEvery)
	defer tick.Stop()
	for {
		select {
		case <-stop:
			return
		case <-tick.C:
		}
		if p := buildGCPercent(liveHeap(), base); p != set {
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
