package index

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"testing/fstest"
	"time"

	"newsearch/bench/querylog"
)

// benchIndex builds an index of the inputs in a temp dir, outside the timer.
// Its query cache is off: the benchmarks repeat one query, and measure the
// search, not the cache.
func benchIndex(b *testing.B, inputs ...Input) *Index {
	b.Helper()
	x, err := Open(context.Background(), Options{Dir: b.TempDir(), Inputs: inputs, Logger: testLogger(b), QueryCache: -1})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { x.Close() })
	return x
}

// searchCases are the shapes of query the page and scripts send.
var searchCases = []struct {
	name string
	q    Query
}{
	{"term", Query{Text: "cooperation", Fragments: -1}},
	{"two_words", Query{Text: "trade cooperation", Fragments: -1}},
	{"phrase", Query{Text: `"strategic partnership"`, Fragments: -1}},
	{"facets", Query{Text: "cooperation", Facets: []string{FacetSource, FacetLang, FacetDate}, Fragments: -1}},
	{"highlight", Query{Text: "cooperation"}},
	{"full", Query{Text: "trade cooperation", Facets: []string{FacetSource, FacetLang, FacetDate}}},
	{"full_filtered", Query{Text: "trade cooperation", Facets: []string{FacetSource, FacetLang, FacetDate}, Filters: map[string][]string{FacetLang: {"en"}}}},
	{"empty_newest", Query{Facets: []string{FacetSource, FacetLang, FacetDate}}},
}

func runSearchCases(b *testing.B, x *Index) {
	for _, c := range searchCases {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			ctx := context.Background()
			for b.Loop() {
				if _, err := x.Search(ctx, c.q); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkSearch runs the query shapes over the five seed articles.
//
//	go test -run='^$' -bench=Search -count=10 ./index
func BenchmarkSearch(b *testing.B) {
	x := benchIndex(b, Input{FS: os.DirFS("../seeds"), Path: "."})
	runSearchCases(b, x)
}

// BenchmarkSearchCorpus runs them over a real news corpus (BBC, 2,225
// English articles, and Reuters-21578, 21,578) when ../shared/corpus is
// present.
func BenchmarkSearchCorpus(b *testing.B) {
	for _, name := range []string{"bbc", "reuters21578"} {
		path := filepath.Join("..", "..", "shared", "corpus", name, "docs.jsonl.gz")
		if _, err := os.Stat(path); err != nil {
			b.Skipf("corpus absent (%v): skipping", err)
		}
		b.Run(name, func(b *testing.B) {
			x := benchIndex(b, Input{FS: os.DirFS(filepath.Dir(path)), Path: filepath.Base(path)})
			runSearchCases(b, x)
		})
	}
}

var (
	benchDir    = flag.String("bench.dir", "", "BenchmarkSearchLog: keep its index in this directory, reused while current")
	benchInput  = flag.String("bench.input", "", "BenchmarkSearchLog: index this JSON Lines corpus instead of Reuters-21578 (bench/speed -keep leaves WORK/reuters5x.jsonl, 108k articles)")
	benchSort   = flag.String("bench.sort", "", "BenchmarkSearchLog: sort every query so (date, -date; default relevance), as the search page's Sort menu does")
	benchDays   = flag.Int("bench.days", 0, "BenchmarkSearchLog: filter every query to this many days from an article's date (0: no date filter)")
	benchWrites = flag.Duration("bench.writes", 0, "BenchmarkSearchLog: while timed, rewrite one article this often (a newsroom's stream of edits)")
)

// BenchmarkSearchLog runs the query log bench/speed sends over HTTP
// (querylog.Draw over Reuters-21578) in-process, each query as the search
// page asks: top 10, three snippets, the default facets, typos and
// prefixes on. One op is one query; the log repeats once used up, after
// one untimed pass (a warm server: decoded postings, page cache). It skips
// when ../shared/corpus is absent. -bench.input searches another corpus
// with the same log, such as bench/speed's 108k articles, where postings
// are five times longer.
//
//	go test ./index -run '^$' -bench SearchLog -benchtime 2400x -count 6
//	go test ./index -run '^$' -bench SearchLog -benchtime 2400x -bench.input /tmp/newsearch-speed/reuters5x.jsonl -bench.dir /tmp/searchlog-108k
//	go test ./index -run '^$' -bench SearchLog -benchtime 2400x -bench.sort date
//	go test ./index -run '^$' -bench SearchLog -benchtime 2400x -bench.days 30
func BenchmarkSearchLog(b *testing.B) {
	path, in := benchLogInput(b)
	var x *Index
	if *benchDir == "" {
		x = benchIndex(b, in)
	} else {
		// A kept index: runs after the first skip the build, so that
		// alternating binaries (bench/RESULTS.md) compare searches only.
		var err error
		if x, err = Open(context.Background(), Options{Dir: *benchDir, Inputs: []Input{in}, Logger: testLogger(b), QueryCache: -1}); err != nil {
			b.Fatal(err)
		}
		defer x.Close()
	}
	var bodies []string // as bench/speed takes them
	for _, a := range readArticlesGz(b, path) {
		if len(a.Body) > querylog.MinBody {
			bodies = append(bodies, a.Body)
		}
	}
	log := querylog.Draw(bodies, 1200)
	ctx := context.Background()
	waitColumns(b, x) // as a server does soon after it opens
	// -bench.days: windows start on days spread over the articles' dates.
	var first time.Time
	var span int
	if *benchDays > 0 {
		oldest, newest := mustSearch(b, x, Query{Sort: SortOldest, Size: 1}), mustSearch(b, x, Query{Size: 1})
		if len(oldest.Hits) == 0 || oldest.Hits[0].Date.IsZero() {
			b.Fatal("-bench.days: the articles have no dates")
		}
		first = oldest.Hits[0].Date
		span = int(newest.Hits[0].Date.Sub(first).Hours()/24) + 1
	}
	query := func(i int) Query {
		q := Query{Text: log[i%len(log)], Size: DefaultSize, Facets: DefaultFacets(), Fragments: DefaultFragments,
			FragmentSize: DefaultFragment, Typos: true, Prefix: true, Sort: Sort(*benchSort)}
		if *benchDays > 0 {
			q.DateFrom = first.AddDate(0, 0, i%len(log)*7919%span)
			q.DateTo = q.DateFrom.AddDate(0, 0, *benchDays-1) // inclusive
		}
		return q
	}
	for i := range log {
		if _, err := x.Search(ctx, query(i)); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	i := 0
	// A search runs its parts in parallel: the CPU time per query, not the
	// wall time, is what bounds throughput on two busy cores. With
	// -bench.writes it includes the writer's, and the rebuilds it causes.
	cpu0, direct0 := cpuTime(), x.cols.direct.Load()
	defer func() {
		b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N), "cpu-ns/op")
		b.ReportMetric(100*float64(x.cols.direct.Load()-direct0)/float64(b.N), "%postings")
	}()
	if *benchWrites > 0 {
		stop := rewriteEvery(b, x, *benchWrites)
		defer stop()
	}
	for b.Loop() {
		i++
		if _, err := x.Search(ctx, query(i)); err != nil {
			b.Fatal(err)
		}
	}
}

// rewriteEvery rewrites one of x's articles every interval, cycling
// through the first hundred with a changed body, until stop is called.
// It reports the number of writes as a metric.
func rewriteEvery(b *testing.B, x *Index, interval time.Duration) (stop func()) {
	ctx := context.Background()
	res, err := x.Search(ctx, Query{Size: 100})
	if err != nil {
		b.Fatal(err)
	}
	var arts []Article
	for _, h := range res.Hits {
		a, err := x.Article(ctx, h.ID)
		if err != nil {
			b.Fatal(err)
		}
		arts = append(arts, a)
	}
	done, finished := make(chan struct{}), make(chan int)
	go func() {
		tick := time.NewTicker(interval)
		defer tick.Stop()
		n := 0
		for {
			select {
			case <-done:
				finished <- n
				return
			case <-tick.C:
			}
			a := arts[n%len(arts)]
			a.Body += " Updated."
			arts[n%len(arts)] = a
			n++
			p, err := Prepare(a)
			if err == nil {
				err = x.Add(ctx, []Article{p})
			}
			if err != nil {
				b.Error(err)
			}
		}
	}()
	return func() {
		close(done)
		b.ReportMetric(float64(<-finished), "writes")
	}
}

// cpuTime is the CPU time this process has used, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkAdd measures indexing through Add, in batches of 100 articles.
func BenchmarkAdd(b *testing.B) {
	arts, err := ReadSeeds(os.DirFS("../seeds"))
	if err != nil {
		b.Fatal(err)
	}
	x := benchIndex(b, Input{FS: fstest.MapFS{}, Path: "."})
	batch := make([]Article, 100)
	var bytes int64
	for i := range batch {
		batch[i] = arts[i%len(arts)]
		bytes += int64(len(batch[i].Body))
	}
	b.SetBytes(bytes)
	b.ReportAllocs()
	n := 0
	start := time.Now()
	for b.Loop() {
		for i := range batch {
			batch[i].ID = "a" + itoa(n)
			n++
		}
		if err := x.Add(context.Background(), batch); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)/time.Since(start).Seconds(), "docs/s")
}

func itoa(n int) string {
	var buf [20]byte
	i := len(buf)
	for {
		i--
		buf[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			return string(buf[i:])
		}
	}
}

// BenchmarkBuild builds an index of Reuters-21578 (21,578 English news
// articles) from scratch per iteration, as `newsearch index` does: the
// bulk path of issue 7, or of -bench.input. It skips when ../shared/corpus
// is absent.
//
//	go test ./index -run '^$' -bench Build -benchtime 1x -count 6
//
// BENCH_BATCH=n builds with n articles per batch instead of the default.
func BenchmarkBuild(b *testing.B) {
	_, in := benchLogInput(b)
	b.ReportAllocs()
	var docs int
	var elapsed time.Duration
	for b.Loop() {
		dir := b.TempDir()
		start := time.Now()
		bs, _ := strconv.Atoi(os.Getenv("BENCH_BATCH"))
		x, err := Open(context.Background(), Options{Dir: dir, Inputs: []Input{in}, Logger: testLogger(b), BatchSize: bs})
		if err != nil {
			b.Fatal(err)
		}
		elapsed += time.Since(start)
		b.StopTimer()
		n, err := x.DocCount()
		if err != nil {
			b.Fatal(err)
		}
		docs += int(n)
		x.Close()
		os.RemoveAll(dir)
		b.StartTimer()
	}
	b.ReportMetric(float64(docs)/elapsed.Seconds(), "docs/s")
}

// benchLogInput returns the path of Reuters-21578 and the input a benchmark
// indexes: that corpus, or -bench.input. It skips b when the corpus is
// absent.
func benchLogInput(b *testing.B) (string, Input) {
	b.Helper()
	path := filepath.Join("..", "..", "shared", "corpus", "reuters21578", "docs.jsonl.gz")
	if _, err := os.Stat(path); err != nil {
		b.Skipf("corpus absent (%v): skipping", err)
	}
	in := Input{FS: os.DirFS(filepath.Dir(path)), Path: filepath.Base(path)}
	if *benchInput != "" {
		in = Input{FS: os.DirFS(filepath.Dir(*benchInput)), Path: filepath.Base(*benchInput)}
	}
	return path, in
}
