package index

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"testing/fstest"
	"time"
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
// bulk path of issue 7. It skips when ../shared/corpus is absent.
//
//	go test ./index -run '^$' -bench Build -benchtime 1x -count 6
//
// BENCH_BATCH=n builds with n articles per batch instead of the default.
func BenchmarkBuild(b *testing.B) {
	path := filepath.Join("..", "..", "shared", "corpus", "reuters21578", "docs.jsonl.gz")
	if _, err := os.Stat(path); err != nil {
		b.Skipf("corpus absent (%v): skipping", err)
	}
	in := Input{FS: os.DirFS(filepath.Dir(path)), Path: filepath.Base(path)}
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
