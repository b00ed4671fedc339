package index

import (
	"runtime"
	"runtime/debug"
	"testing"
	"testing/fstest"
)

func TestBuildGCPercent(t *testing.T) {
	const mb = 1 << 20
	for _, c := range []struct {
		live uint64
		base int
		want int
	}{
		{0, 100, buildGCMax},          // nothing measured yet
		{20 * mb, 100, buildGCMax},    // a small heap: the highest target
		{110 * mb, 100, buildGCMax},   // the 108k Reuters build
		{256 * mb, 100, 150},          // the goal stays at the budget: 256 MB × 2.5
		{400 * mb, 100, 100},          // over half the budget: the process's own
		{2048 * mb, 100, 100},         // never below it
		{110 * mb, 500, 500},          // nor below a higher one
		{buildHeapBudget, 50, 50},     // a lower one is kept
		{buildHeapBudget * 3, 50, 50}, //
	} {
		if got := buildGCPercent(c.live, buildHeapBudget, c.base); got != c.want {
			t.Errorf("buildGCPercent(%d MB, %d) = %d, want %d", c.live/mb, c.base, got, c.want)
		}
	}
	// A container's smaller budget: 256 MiB for 110 MiB live is 132%.
	if got := buildGCPercent(110*mb, 256*mb, 100); got != 132 {
		t.Errorf("buildGCPercent(110 MB, budget 256 MB, 100) = %d, want 132", got)
	}
	if got := buildGCPercent(1, 1<<62, 100); got != buildGCMax {
		t.Errorf("buildGCPercent(1 byte, budget 2^62, 100) = %d, want %d (no overflow)", got, buildGCMax)
	}
}

func TestParseMemoryLimit(t *testing.T) {
	for _, c := range []struct {
		in   string
		want uint64
		ok   bool
	}{
		{"536870912\n", 512 << 20, true},                     // cgroup v2, 512 MiB
		{"max\n", 0, false},                                  // cgroup v2, no limit
		{"9223372036854771712\n", 9223372036854771712, true}, // cgroup v1, no limit
		{"", 0, false},
		{"0", 0, false},
		{"-1", 0, false},
	} {
		got, ok := parseMemoryLimit(c.in)
		if got != c.want || ok != c.ok {
			t.Errorf("parseMemoryLimit(%q) = %d, %v; want %d, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

// A Go memory limit lowers the budget.
func TestHeapBudget_memoryLimit(t *testing.T) {
	old := debug.SetMemoryLimit(300 << 20)
	defer debug.SetMemoryLimit(old)
	if got := heapBudget(); got > 300<<20 {
		t.Errorf("heap budget %d MiB under a 300 MiB memory limit", got>>20)
	}
}

// gcPercent reads the collector's target.
func gcPercent() int {
	p := debug.SetGCPercent(100)
	debug.SetGCPercent(p)
	return p
}

// Not parallel: it reads and sets the process's collector target, which
// builds in parallel tests would change under it.
func TestRaiseBuildGC(t *testing.T) {
	t.Setenv("GOGC", "")
	base := gcPercent()
	defer debug.SetGCPercent(base)

	first := raiseBuildGC()
	if got := gcPercent(); got <= base {
		t.Fatalf("during a build the GC target is %d, want above the process's %d", got, base)
	}
	second := raiseBuildGC() // a concurrent build
	first()
	first() // twice: no effect
	if got := gcPercent(); got <= base {
		t.Fatalf("with one build still running the GC target is %d, want above %d", got, base)
	}
	second()
	if got := gcPercent(); got != base {
		t.Fatalf("after the builds the GC target is %d, want the process's %d back", got, base)
	}

	t.Setenv("GOGC", "150")
	debug.SetGCPercent(150)
	restore := raiseBuildGC()
	if got := gcPercent(); got != 150 {
		t.Errorf("with GOGC=150 set, a build's GC target is %d, want it left at 150", got)
	}
	restore()

	t.Setenv("GOGC", "")
	debug.SetGCPercent(-1)
	restore = raiseBuildGC()
	if got := gcPercent(); got != -1 {
		t.Errorf("with the collector off, a build's GC target is %d, want it left off", got)
	}
	restore()
}

// A build raises the target while it runs and gives the process its own
// back when it ends.
func TestBuild_raisesGCPercent(t *testing.T) {
	t.Setenv("GOGC", "")
	base := gcPercent()
	var during []int
	x, err := openMap(t, t.TempDir(), fstest.MapFS{"a.jsonl": {Data: []byte(articles("gc", 50, "Wheat exports", "Wheat exports rose in March."))}}, func(o *Options) {
		o.Progress = func(BuildStats) { during = append(during, gcPercent()) }
	})
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if len(during) == 0 {
		t.Fatal("the build reported no progress")
	}
	for _, p := range during {
		if p <= base {
			t.Errorf("during the build the GC target was %d, want above the process's %d", p, base)
		}
	}
	if got := gcPercent(); got != base {
		t.Errorf("after the build the GC target is %d, want the process's %d back", got, base)
	}
}

// The live heap the target follows is the runtime's: a live 64 MiB slice
// counts in it after a collection.
func TestLiveHeap(t *testing.T) {
	keep := make([]byte, 64<<20)
	runtime.GC()
	if got := liveHeap(); got < uint64(len(keep)) {
		t.Errorf("live heap %d MiB with a live 64 MiB slice", got>>20)
	}
	runtime.KeepAlive(keep)
}

func TestBulkBatchBytes_followsTheHeapBudget(t *testing.T) {
	for _, c := range []struct {
		budget uint64
		want   int
	}{
		{buildHeapBudget, 2 << 20},   // the default budget: 2 MiB
		{8 << 30, 2 << 20},           // never more
		{256 << 20, 256 << 20 / 320}, // half a 512 MB container's limit
		{64 << 20, 256 << 10},        // never less than 256 KiB
	} {
		if got := bulkBatchBytes(c.budget); got != c.want {
			t.Errorf("bulkBatchBytes(%d MiB) = %d, want %d", c.budget>>20, got, c.want)
		}
	}
}
