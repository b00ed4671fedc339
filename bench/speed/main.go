// Command speed is newsearch's reproducible speed benchmark: one entry
// point, loopback only, bounded in time. It measures, in one run on one
// machine:
//
//  1. Indexing with the real binary: all of reuters21578 five times over
//     with fresh ids (~108k English articles, the standard size we compare
//     at), and the three news corpora together (~70k en+zh+ru): docs/s,
//     MB/s of text, index size on disk, peak RSS, wall time. The 108k
//     articles are indexed -rounds times (3), newsearch and raw bleve (3.)
//     one after the other in each round: the machines' speed drifts from
//     hour to hour, and their ratio is what a round measures fairly. The
//     report gives every round, the median run of each, and the median of
//     the rounds' ratios.
//  2. Search over HTTP against the running binary on the 108k index, with a
//     fixed, deterministic log of distinct queries drawn from the corpus
//     vocabulary (1–3 words, some phrases): top 10 with highlights and the
//     three default facets, at concurrency 1 and 2: p50/p95/p99, QPS,
//     zero-hit queries, errors; the server's peak RSS. A first pass over
//     the log checks every response and warms the server up; the timed
//     runs read each response whole but parse only its total, so that
//     the load generator takes little of the two cores it shares.
//  3. The same queries in-process against raw bleve with its defaults
//     (en analyzer, BM25, one stored snippet per hit), indexed from the same
//     articles, as the baseline; its indexing speed too.
//  4. Cold start: seconds from exec to the first answered query, for the
//     seeds and for the 108k index.
//
// Usage (from the repository root; needs ../shared/corpus):
//
//	go run ./bench/speed                      # everything, ~7–12 minutes on 2 cores
//	go run ./bench/speed -only search -keep   # reuse the indexes of a previous -keep run
//	go run ./bench/speed -copies 25 -rounds 1 -only index -keep   # 539k articles: how it scales
//	go run ./bench/speed -copies 25 -only search -keep
//
// It prints a Markdown report and writes bench/out/speed.json. This
// command imports bleve directly, for the baseline only: measuring raw
// bleve is its job.
package main

import (
	"bufio"
	"bytes"
	"cmp"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/search/query"
	bleveindex "github.com/blevesearch/bleve_index_api"

	"newsearch/bench/querylog"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "speed:", err)
		os.Exit(1)
	}
}

type options struct {
	corpus   string
	work     string
	out      string
	only     string
	keep     bool
	duration time.Duration
	queries  int
	tags     string
	copies   int
	rounds   int

	loadDuration time.Duration
}

func run() error {
	var o options
	flag.StringVar(&o.corpus, "corpus", "../shared/corpus", "shared corpora directory")
	flag.StringVar(&o.work, "work", "", "work directory (default: a temp dir, removed unless -keep)")
	flag.StringVar(&o.out, "out", "bench/out", "where to write speed.json")
	flag.StringVar(&o.only, "only", "", "run one part: index, search, raw, cold; or load (the load test, not part of the default run)")
	flag.BoolVar(&o.keep, "keep", false, "keep the work directory (indexes) for a later -only run")
	flag.DurationVar(&o.duration, "duration", 10*time.Second, "time per concurrency level in the search phases")
	flag.IntVar(&o.queries, "queries", 1200, "distinct queries in the query log")
	flag.IntVar(&o.copies, "copies", 5, "copies of reuters21578 in the big corpus (5: the 108k articles the targets are set for)")
	flag.IntVar(&o.rounds, "rounds", 3, "rounds of indexing the big corpus, newsearch and raw bleve in turn; the report gives each round, the median runs and the median of the rounds' ratios")
	flag.StringVar(&o.tags, "tags", "", "go build -tags for the binary")
	flag.DurationVar(&o.loadDuration, "load-duration", 60*time.Second, "length of the -only load run")
	flag.Parse()

	if o.copies < 1 {
		return fmt.Errorf("-copies %d: want at least 1", o.copies)
	}
	if o.rounds < 1 {
		return fmt.Errorf("-rounds %d: want at least 1", o.rounds)
	}
	reuters := filepath.Join(o.corpus, "reuters21578", "docs.jsonl.gz")
	if _, err := os.Stat(reuters); err != nil {
		return fmt.Errorf("the shared corpora are needed (%v); pass -corpus", err)
	}
	if o.work == "" {
		o.work = filepath.Join(os.TempDir(), "newsearch-speed")
	}
	if err := os.MkdirAll(o.work, 0o755); err != nil {
		return err
	}
	if !o.keep && o.only == "" {
		defer os.RemoveAll(o.work)
	}
	r := &report{Machine: fmt.Sprintf("%s/%s, %d CPUs, %s", runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), runtime.Version()), Started: time.Now().UTC()}

	bin := filepath.Join(o.work, "newsearch")
	args := []string{"build", "-trimpath", "-ldflags", "-s -w", "-o", bin}
	if o.tags != "" {
		args = append(args, "-tags", o.tags)
	}
	if out, err := exec.Command("go", append(args, "./cmd/newsearch")...).CombinedOutput(); err != nil {
		return fmt.Errorf("go build: %v\n%s", err, out)
	}
	r.BuildTags = o.tags
	if o.only == "load" {
		return loadTest(o, bin)
	}

	// The big corpus: reuters -copies times with fresh ids (5: 108k
	// articles), named by its size.
	big := filepath.Join(o.work, fmt.Sprintf("reuters%dx.jsonl", o.copies))
	docs, textBytes, err := writeReutersCopies(reuters, big, o.copies)
	if err != nil {
		return err
	}
	r.Big = fmt.Sprintf("%dk", (docs+500)/1000)
	log := queryLog(reuters, o.queries)
	r.Queries = len(log)
	news := []string{
		filepath.Join(o.corpus, "reuters21578", "docs.jsonl.gz"),
		filepath.Join(o.corpus, "bbc", "docs.jsonl.gz"),
		filepath.Join(o.corpus, "cctv_xwlb", "docs.jsonl.gz"),
		filepath.Join(o.corpus, "ru_telegram_news", "docs.jsonl.gz"),
	}
	bigIndex := filepath.Join(o.work, "index-"+r.Big)
	rawDir := filepath.Join(o.work, "raw-"+r.Big)
	want := func(part string) bool { return o.only == "" || o.only == part }

	if want("index") || want("raw") {
		c := bigCorpus{path: big, docs: docs, textBytes: textBytes, name: fmt.Sprintf("reuters ×%d (%s en)", o.copies, r.Big)}
		if err := indexRounds(o.rounds, bin, bigIndex, rawDir, c, want("index"), want("raw"), r); err != nil {
			return err
		}
	}
	if want("index") {
		var newsDocs int
		var newsBytes int64
		for _, p := range news {
			n, b, err := countDocs(p)
			if err != nil {
				return err
			}
			newsDocs, newsBytes = newsDocs+n, newsBytes+b
		}
		fmt.Fprintln(os.Stderr, "indexing the news corpora (en+zh+ru) with newsearch …")
		res, err := indexWithBinary(bin, filepath.Join(o.work, "index-news"), news, newsDocs, newsBytes)
		if err != nil {
			return err
		}
		r.Index = append(r.Index, res.named("news: reuters+bbc+cctv+telegram (en+zh+ru)"))
	}
	if want("search") {
		fmt.Fprintln(os.Stderr, "searching over HTTP …")
		if err := searchHTTP(bin, bigIndex, big, log, o.duration, r); err != nil {
			return err
		}
	}
	if want("raw") {
		fmt.Fprintln(os.Stderr, "raw bleve baseline: searching in-process …")
		if err := rawSearch(rawDir, log, o.duration, r); err != nil {
			return err
		}
	}
	if want("cold") {
		fmt.Fprintln(os.Stderr, "cold starts …")
		seedsIdx := filepath.Join(o.work, "index-seeds")
		if _, err := coldStart(bin, seedsIdx, "seeds"); err != nil { // build it
			return err
		}
		for _, c := range []struct{ name, dir, seeds string }{
			{"seeds (5 articles, index prebuilt)", seedsIdx, "seeds"},
			{fmt.Sprintf("reuters ×%d (%s, index prebuilt)", o.copies, r.Big), bigIndex, big},
		} {
			var ds []float64
			for range 5 {
				d, err := coldStart(bin, c.dir, c.seeds)
				if err != nil {
					return err
				}
				ds = append(ds, d.Seconds())
			}
			r.Cold = append(r.Cold, coldResult{Name: c.name, Seconds: median(ds)})
		}
	}
	r.print(os.Stdout)
	if err := os.MkdirAll(o.out, 0o755); err != nil {
		return err
	}
	b, _ := json.MarshalIndent(r, "", "  ")
	return os.WriteFile(filepath.Join(o.out, "speed.json"), b, 0o644)
}

// article is one record of the shared corpora.
type article struct {
	ID     string `json:"id"`
	Title  string `json:"title"`
	Body   string `json:"body"`
	Date   string `json:"date"`
	Source string `json:"source"`
	Lang   string `json:"lang"`
	URL    string `json:"url"`
}

func eachDoc(path string, fn func(article) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	var rd io.Reader = f
	if strings.HasSuffix(path, ".gz") {
		gz, err := gzip.NewReader(f)
		if err != nil {
			return err
		}
		rd = gz
	}
	sc := bufio.NewScanner(rd)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var a article
		if err := json.Unmarshal(sc.Bytes(), &a); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		if err := fn(a); err != nil {
			return err
		}
	}
	return sc.Err()
}

func countDocs(path string) (int, int64, error) {
	var n int
	var b int64
	err := eachDoc(path, func(a article) error {
		n++
		b += int64(len(a.Title) + len(a.Body))
		return nil
	})
	return n, b, err
}

// writeReutersCopies writes reuters copies times over with fresh ids,
// skipping records that have neither title nor body (the loader skips them
// too).
func writeReutersCopies(src, dst string, copies int) (int, int64, error) {
	var all []article
	if err := eachDoc(src, func(a article) error {
		if strings.TrimSpace(a.Title+a.Body) != "" {
			all = append(all, a)
		}
		return nil
	}); err != nil {
		return 0, 0, err
	}
	f, err := os.Create(dst)
	if err != nil {
		return 0, 0, err
	}
	w := bufio.NewWriter(f)
	enc := json.NewEncoder(w)
	var n int
	var bytes int64
	for round := 1; round <= copies; round++ {
		for _, a := range all {
			a.ID = fmt.Sprintf("%s-c%d", a.ID, round)
			if err := enc.Encode(a); err != nil {
				return 0, 0, err
			}
			n++
			bytes += int64(len(a.Title) + len(a.Body))
		}
	}
	if err := w.Flush(); err != nil {
		return 0, 0, err
	}
	return n, bytes, f.Close()
}

// queryLog draws n distinct queries from the corpus (querylog.Draw).
func queryLog(path string, n int) []string {
	var bodies []string
	eachDoc(path, func(a article) error {
		if len(a.Body) > querylog.MinBody {
			bodies = append(bodies, a.Body)
		}
		return nil
	})
	return querylog.Draw(bodies, n)
}

type indexResult struct {
	Name      string  `json:"name"`
	Docs      int     `json:"docs"`
	Seconds   float64 `json:"seconds"`
	DocsPerS  float64 `json:"docs_per_s"`
	MBPerS    float64 `json:"mb_per_s"`
	SizeBytes int64   `json:"size_bytes"`
	PeakRSS   int64   `json:"peak_rss_bytes"`
	// CPU is user+system time; Written is what the build passed to
	// write(2) (wchar in /proc/PID/io): on these shared machines it does
	// not drift with the load as time does, so it shows how much a change
	// to merging or to the index's size saves.
	CPUSeconds   float64 `json:"cpu_seconds"`
	WrittenBytes int64   `json:"written_bytes"`
}

func (r indexResult) named(n string) indexResult { r.Name = n; return r }

// indexWithBinary runs "newsearch index" and measures it from outside.
func indexWithBinary(bin, dir string, inputs []string, docs int, textBytes int64) (indexResult, error) {
	os.RemoveAll(dir)
	args := append([]string{"index", "-index", dir, "-log-level", "warn"}, inputs...)
	cmd := exec.Command(bin, args...)
	cmd.Stderr = os.Stderr
	var out bytes.Buffer
	cmd.Stdout = &out
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return indexResult{}, fmt.Errorf("newsearch index: %v", err)
	}
	// /proc/PID/io goes with the process: sample it until the end. The
	// last sample misses at most the final 50 ms of writes.
	var written atomic.Int64
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(50 * time.Millisecond)
		defer t.Stop()
		for {
			if n := procWritten(cmd.Process.Pid); n > 0 {
				written.Store(n)
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	err := cmd.Wait()
	close(done)
	wall := time.Since(start)
	if err != nil {
		return indexResult{}, fmt.Errorf("newsearch index: %v\n%s", err, out.Bytes())
	}
	ps := cmd.ProcessState
	res := indexResult{Docs: docs, Seconds: wall.Seconds(), DocsPerS: float64(docs) / wall.Seconds(),
		MBPerS: float64(textBytes) / 1e6 / wall.Seconds(), SizeBytes: dirSize(dir), PeakRSS: maxRSS(ps),
		CPUSeconds: (ps.UserTime() + ps.SystemTime()).Seconds(), WrittenBytes: written.Load()}
	return res, nil
}

// procWritten returns the bytes process pid (0: this one) has passed to
// write(2) and its kin so far, 0 when Linux's /proc does not tell.
func procWritten(pid int) int64 {
	path := "/proc/self/io"
	if pid != 0 {
		path = fmt.Sprintf("/proc/%d/io", pid)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "wchar: "); ok {
			n, _ := strconv.ParseInt(v, 10, 64)
			return n
		}
	}
	return 0
}

func maxRSS(ps *os.ProcessState) int64 {
	if ru, ok := ps.SysUsage().(*syscall.Rusage); ok {
		return ru.Maxrss * 1024
	}
	return 0
}

func dirSize(dir string) int64 {
	var n int64
	filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if fi, err := d.Info(); err == nil {
				n += fi.Size()
			}
		}
		return nil
	})
	return n
}

type server struct {
	cmd  *exec.Cmd
	base string
}

// startServer starts "newsearch serve" on a free loopback port.
func startServer(bin, dir, seeds string, extra ...string) (*server, error) {
	args := append([]string{"serve", "-addr", "127.0.0.1:0", "-index", dir, "-seeds", seeds, "-log-level", "warn"}, extra...)
	cmd := exec.Command(bin, args...)
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		cmd.Process.Kill()
		return nil, fmt.Errorf("serve: no listening line: %v", err)
	}
	return &server{cmd: cmd, base: "http://" + strings.TrimSpace(strings.TrimPrefix(line, "listening on "))}, nil
}

func (s *server) waitReady(timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if resp, err := http.Get(s.base + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return nil
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	return errors.New("server not ready in time")
}

// peakRSS reads the process's high-water mark of resident memory.
func (s *server) peakRSS() int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			var kb int64
			fmt.Sscan(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), &kb)
			return kb * 1024
		}
	}
	return 0
}

func (s *server) stop() {
	s.cmd.Process.Signal(syscall.SIGTERM)
	s.cmd.Wait()
}

type searchResult struct {
	Name        string  `json:"name"`
	Concurrency int     `json:"concurrency"`
	Requests    int     `json:"requests"`
	QPS         float64 `json:"qps"`
	P50ms       float64 `json:"p50_ms"`
	P95ms       float64 `json:"p95_ms"`
	P99ms       float64 `json:"p99_ms"`
	ZeroHits    int     `json:"zero_hit_queries"`
	Errors      int     `json:"errors"`
	// CPUms is the searching process's CPU time per request: the server's
	// over HTTP, the benchmark's own in-process. Unlike QPS it does not
	// depend on what else shares the two cores (the load generator, say).
	CPUms float64 `json:"cpu_ms_per_request"`
	// ClientCPUms is the load generator's CPU time per request over HTTP
	// (0 in-process): what it takes from the two cores the server runs on.
	ClientCPUms float64 `json:"client_cpu_ms_per_request,omitempty"`
}

// processCPU returns the CPU time (user + system) that process pid has
// used, from /proc/PID/stat; pid 0 is this process.
func processCPU(pid int) time.Duration {
	if pid == 0 {
		var ru syscall.Rusage
		if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
			return 0
		}
		return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// Fields after the command name (which is in parentheses): utime and
	// stime are the 12th and 13th, in clock ticks (100 per second on Linux).
	f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:]))
	if len(f) < 13 {
		return 0
	}
	var ut, st int64
	fmt.Sscan(f[11], &ut)
	fmt.Sscan(f[12], &st)
	return time.Duration(ut+st) * 10 * time.Millisecond
}

// load runs the query log with c workers for d (at least one pass over
// the log), each searching with its own worker() function, and
// summarises latencies.
func load(name string, pid, c int, d time.Duration, log []string, worker func() func(q string) (hits int, err error)) searchResult {
	cpu0, self0 := processCPU(pid), processCPU(0)
	var next atomic.Int64
	var mu sync.Mutex
	var lat []float64
	var errs int
	zero := map[string]bool{}
	start := time.Now()
	var wg sync.WaitGroup
	for range c {
		wg.Add(1)
		do := worker()
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= len(log) && time.Since(start) > d {
					return
				}
				q := log[i%len(log)]
				t0 := time.Now()
				hits, err := do(q)
				el := time.Since(t0)
				mu.Lock()
				lat = append(lat, el.Seconds()*1000)
				if err != nil {
					errs++
				} else if hits == 0 {
					zero[q] = true
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	wall := time.Since(start)
	cpu, self := processCPU(pid)-cpu0, processCPU(0)-self0
	slices.Sort(lat)
	r := searchResult{Name: name, Concurrency: c, Requests: len(lat), QPS: float64(len(lat)) / wall.Seconds(),
		P50ms: pct(lat, 50), P95ms: pct(lat, 95), P99ms: pct(lat, 99), ZeroHits: len(zero), Errors: errs,
		CPUms: cpu.Seconds() * 1000 / float64(len(lat))}
	if pid != 0 {
		r.ClientCPUms = self.Seconds() * 1000 / float64(len(lat))
	}
	return r
}

// shared gives every worker of load the same search function.
func shared(do func(q string) (int, error)) func() func(string) (int, error) {
	return func() func(string) (int, error) { return do }
}

func pct(sorted []float64, p float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted)-1) * p / 100)
	return sorted[i]
}

// median sorts v and returns its median: the middle value, or the mean
// of the middle two.
func median(v []float64) float64 {
	slices.Sort(v)
	n := len(v)
	if n%2 == 0 {
		return (v[n/2-1] + v[n/2]) / 2
	}
	return v[n/2]
}

// searchHTTP loads the server with the distinct query log, the query
// cache off, so that every request is a search; then, with the cache on,
// with a few queries repeated (what the cache is for).
func searchHTTP(bin, dir, seeds string, log []string, d time.Duration, r *report) error {
	s, err := startServer(bin, dir, seeds, "-request-timeout", "30s", "-query-cache", "0")
	if err != nil {
		return err
	}
	defer s.stop()
	if err := s.waitReady(5 * time.Minute); err != nil {
		return err
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 8}, Timeout: 30 * time.Second}
	get := func(q string) ([]byte, error) {
		resp, err := client.Get(s.base + "/api/search?q=" + url.QueryEscape(q))
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err == nil && resp.StatusCode != 200 {
			err = fmt.Errorf("status %d", resp.StatusCode)
		}
		return body, err
	}
	// The timed runs read every response whole but decode only its total,
	// through rawClient (rawhttp.go): the load generator shares the
	// server's two cores, and decoding each 10 kB body as JSON cost the
	// server a fifth of its throughput at c=2.
	worker := func() func(q string) (int, error) {
		c := newRawClient(s.base)
		return func(q string) (int, error) {
			status, body, err := c.get("/api/search?q=" + url.QueryEscape(q))
			if err != nil {
				return 0, err
			}
			if status != http.StatusOK {
				return 0, fmt.Errorf("status %d", status)
			}
			return responseTotal(body)
		}
	}
	// One full pass first, decoding every response: each must be valid
	// JSON with hits, and the server is then as warm as one that has
	// served these words before (decoded postings, the page cache).
	for _, q := range log {
		body, err := get(q)
		if err != nil {
			return fmt.Errorf("warm-up %q: %w", q, err)
		}
		var resp struct {
			Hits []json.RawMessage `json:"hits"`
		}
		if err := json.Unmarshal(body, &resp); err != nil || resp.Hits == nil {
			return fmt.Errorf("warm-up %q: not a search response: %v", q, err)
		}
	}
	for _, c := range []int{1, 2} {
		r.Search = append(r.Search, load("newsearch over HTTP (top 10, highlights, 3 facets)", s.cmd.Process.Pid, c, d, log, worker))
	}
	r.ServerRSS = s.peakRSS()
	s.stop()

	s, err = startServer(bin, dir, seeds, "-request-timeout", "30s")
	if err != nil {
		return err
	}
	defer s.stop()
	if err := s.waitReady(5 * time.Minute); err != nil {
		return err
	}
	repeated := log[:min(100, len(log))]
	warm := worker()
	for _, q := range repeated {
		warm(q)
	}
	r.Search = append(r.Search, load("newsearch over HTTP, query cache on, 100 queries repeated", s.cmd.Process.Pid, 2, d, repeated, worker))
	return nil
}

// responseTotal reads the total of a search response without decoding
// the rest: the body starts {"query":"…","total":N, and an escaped query
// cannot hold the key's quotes unescaped.
func responseTotal(body []byte) (int, error) {
	_, rest, ok := bytes.Cut(body, []byte(`,"total":`))
	if !ok {
		return 0, fmt.Errorf("no total in %.80q", body)
	}
	end := bytes.IndexByte(rest, ',')
	if end < 0 {
		return 0, fmt.Errorf("no total in %.80q", body)
	}
	return strconv.Atoi(string(rest[:end]))
}

// bigCorpus is the corpus the targets are set for: the articles of path,
// their count and bytes of text, and its name in the report.
type bigCorpus struct {
	path      string
	docs      int
	textBytes int64
	name      string
}

// roundResult is one round of indexRounds: docs/s of each build (0: not
// run) and their ratio.
type roundResult struct {
	Newsearch float64 `json:"newsearch_docs_per_s"`
	Raw       float64 `json:"raw_bleve_docs_per_s"`
	Ratio     float64 `json:"ratio,omitempty"`
}

// indexRounds indexes c rounds times with newsearch into dir (when ns)
// and with raw bleve into rawDir (when raw), the two builds of a round
// one after the other, in turn first, so that each round compares them
// in the same minute: on these shared machines a build's speed drifts by
// up to 2x from hour to hour. The report gets each round and, in its
// indexing table, each side's median run; the indexes of the last round
// stay for the search phases.
func indexRounds(rounds int, bin, dir, rawDir string, c bigCorpus, ns, raw bool, r *report) error {
	var nsRuns, rawRuns []indexResult
	for k := range rounds {
		fmt.Fprintf(os.Stderr, "indexing %s, round %d of %d …\n", c.name, k+1, rounds)
		var round roundResult
		runNS := func() error {
			res, err := indexWithBinary(bin, dir, []string{c.path}, c.docs, c.textBytes)
			nsRuns, round.Newsearch = append(nsRuns, res), res.DocsPerS
			return err
		}
		runRaw := func() error {
			res, err := rawIndex(rawDir, c.path, c.docs, c.textBytes)
			rawRuns, round.Raw = append(rawRuns, res), res.DocsPerS
			return err
		}
		var order []func() error
		if ns {
			order = append(order, runNS)
		}
		if raw {
			order = append(order, runRaw)
		}
		if k%2 == 1 {
			slices.Reverse(order)
		}
		for _, run := range order {
			if err := run(); err != nil {
				return err
			}
		}
		if round.Newsearch > 0 && round.Raw > 0 {
			round.Ratio = round.Newsearch / round.Raw
		}
		r.Rounds = append(r.Rounds, round)
	}
	if ns {
		r.Index = append(r.Index, medianRun(nsRuns).named(c.name))
	}
	if raw {
		r.Index = append(r.Index, medianRun(rawRuns).named(fmt.Sprintf("raw bleve defaults, in-process (%s en)", r.Big)))
	}
	return nil
}

// medianRun is the run of median wall time.
func medianRun(runs []indexResult) indexResult {
	runs = slices.Clone(runs)
	slices.SortFunc(runs, func(a, b indexResult) int { return cmp.Compare(a.Seconds, b.Seconds) })
	return runs[len(runs)/2]
}

// rawIndex indexes corpus into dir with raw bleve's defaults (en
// analyzer, BM25, title and body stored with term vectors), in-process.
func rawIndex(dir, corpus string, docs int, textBytes int64) (indexResult, error) {
	os.RemoveAll(dir)
	im := bleve.NewIndexMapping()
	im.DefaultAnalyzer = en.AnalyzerName
	im.ScoringModel = bleveindex.BM25Scoring
	text := bleve.NewTextFieldMapping()
	text.Analyzer = en.AnalyzerName
	text.Store = true
	text.IncludeTermVectors = true
	dm := bleve.NewDocumentStaticMapping()
	dm.AddFieldMappingsAt("title", text)
	dm.AddFieldMappingsAt("body", text)
	im.DefaultMapping = dm
	idx, err := bleve.New(dir, im)
	if err != nil {
		return indexResult{}, err
	}
	start, cpu0, written0 := time.Now(), processCPU(0), procWritten(0)
	batch := idx.NewBatch()
	err = eachDoc(corpus, func(a article) error {
		batch.Index(a.ID, map[string]any{"title": a.Title, "body": a.Body})
		if batch.Size() >= 1000 {
			if err := idx.Batch(batch); err != nil {
				return err
			}
			// A new batch, not Reset: bleve v2.6.1 can still be ranging over the
			// old batch's map in a goroutine after Batch returns (a data race
			// the race detector reports when the map is cleared).
			batch = idx.NewBatch()
		}
		return nil
	})
	if err == nil && batch.Size() > 0 {
		err = idx.Batch(batch)
	}
	if err != nil {
		idx.Close()
		return indexResult{}, err
	}
	wall := time.Since(start)
	res := indexResult{Docs: docs, Seconds: wall.Seconds(),
		DocsPerS: float64(docs) / wall.Seconds(), MBPerS: float64(textBytes) / 1e6 / wall.Seconds(),
		CPUSeconds: (processCPU(0) - cpu0).Seconds(), WrittenBytes: procWritten(0) - written0}
	if err := idx.Close(); err != nil {
		return indexResult{}, err
	}
	res.SizeBytes = dirSize(dir)
	return res, nil
}

// rawSearch runs the query log against the raw bleve index in dir,
// in-process, at concurrency 1 and 2.
func rawSearch(dir string, log []string, d time.Duration, r *report) error {
	idx, err := bleve.Open(dir)
	if err != nil {
		return fmt.Errorf("raw bleve index (run the index or raw part first): %w", err)
	}
	defer idx.Close()
	do := func(q string) (int, error) {
		var mq query.Query
		if strings.HasPrefix(q, `"`) {
			t, b := bleve.NewMatchPhraseQuery(strings.Trim(q, `"`)), bleve.NewMatchPhraseQuery(strings.Trim(q, `"`))
			t.SetField("title")
			b.SetField("body")
			mq = bleve.NewDisjunctionQuery(t, b)
		} else {
			t, b := bleve.NewMatchQuery(q), bleve.NewMatchQuery(q)
			t.SetField("title")
			b.SetField("body")
			mq = bleve.NewDisjunctionQuery(t, b)
		}
		req := bleve.NewSearchRequestOptions(mq, 10, 0, false)
		req.Highlight = bleve.NewHighlightWithStyle("html")
		req.Highlight.AddField("body")
		res, err := idx.SearchInContext(context.Background(), req)
		if err != nil {
			return 0, err
		}
		return len(res.Hits), nil
	}
	for _, q := range log[:min(50, len(log))] {
		do(q)
	}
	for _, c := range []int{1, 2} {
		r.Search = append(r.Search, load("raw bleve in-process (top 10, 1 snippet, no facets)", 0, c, d, log, shared(do)))
	}
	return nil
}

type coldResult struct {
	Name    string  `json:"name"`
	Seconds float64 `json:"seconds"`
}

// coldStart measures exec to the first answered search.
func coldStart(bin, dir, seeds string) (time.Duration, error) {
	start := time.Now()
	s, err := startServer(bin, dir, seeds)
	if err != nil {
		return 0, err
	}
	defer s.stop()
	for time.Since(start) < 5*time.Minute {
		resp, err := http.Get(s.base + "/api/search?q=oil")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return time.Since(start), nil
			}
		}
		time.Sleep(time.Millisecond)
	}
	return 0, errors.New("no answer")
}

type report struct {
	Machine   string         `json:"machine"`
	Started   time.Time      `json:"started"`
	BuildTags string         `json:"build_tags,omitempty"`
	Queries   int            `json:"queries"`
	Big       string         `json:"big_corpus"` // its size: "108k" for reuters ×5
	Index     []indexResult  `json:"index"`
	Rounds    []roundResult  `json:"index_rounds"`
	Search    []searchResult `json:"search"`
	ServerRSS int64          `json:"server_peak_rss_bytes"`
	Cold      []coldResult   `json:"cold_start"`
}

func (r *report) print(w io.Writer) {
	fmt.Fprintf(w, "# newsearch speed, %s\n\n%s; build tags %q; %d distinct queries\n\n", r.Started.Format(time.RFC3339), r.Machine, r.BuildTags, r.Queries)
	if len(r.Index) > 0 {
		fmt.Fprintln(w, "| indexing | docs | wall s | CPU s | docs/s | MB/s | index MB | written MB | peak RSS MB |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|")
		for _, x := range r.Index {
			fmt.Fprintf(w, "| %s | %d | %.1f | %.1f | %.0f | %.2f | %.1f | %.0f | %.0f |\n", x.Name, x.Docs, x.Seconds, x.CPUSeconds, x.DocsPerS, x.MBPerS,
				float64(x.SizeBytes)/1e6, float64(x.WrittenBytes)/1e6, float64(x.PeakRSS)/1e6)
		}
		fmt.Fprintln(w)
	}
	if len(r.Rounds) > 0 {
		fmt.Fprintln(w, "| indexing the "+r.Big+" corpus, round | newsearch docs/s | raw bleve docs/s | newsearch/raw |\n|---|---:|---:|---:|")
		// A part not run (-only index, -only raw) shows as –.
		cell := func(v float64, format string) string {
			if v == 0 {
				return "–"
			}
			return fmt.Sprintf(format, v)
		}
		var ns, raw, ratio []float64
		for i, x := range r.Rounds {
			fmt.Fprintf(w, "| %d | %s | %s | %s |\n", i+1, cell(x.Newsearch, "%.0f"), cell(x.Raw, "%.0f"), cell(x.Ratio, "%.2f"))
			ns, raw, ratio = append(ns, x.Newsearch), append(raw, x.Raw), append(ratio, x.Ratio)
		}
		fmt.Fprintf(w, "| median | %s | %s | %s |\n\n", cell(median(ns), "%.0f"), cell(median(raw), "%.0f"), cell(median(ratio), "%.2f"))
	}
	if len(r.Search) > 0 {
		fmt.Fprintln(w, "| search ("+r.Big+") | c | requests | QPS | p50 ms | p95 ms | p99 ms | CPU ms/request | load generator CPU ms/request | zero-hit queries | errors |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
		for _, s := range r.Search {
			client := "–"
			if s.ClientCPUms > 0 {
				client = fmt.Sprintf("%.2f", s.ClientCPUms)
			}
			fmt.Fprintf(w, "| %s | %d | %d | %.0f | %.2f | %.2f | %.2f | %.2f | %s | %d | %d |\n", s.Name, s.Concurrency, s.Requests, s.QPS, s.P50ms, s.P95ms, s.P99ms, s.CPUms, client, s.ZeroHits, s.Errors)
		}
		for _, c := range []int{1, 2} { // newsearch over HTTP vs raw bleve in-process, same run
			var ns, raw *searchResult
			for i := range r.Search {
				s := &r.Search[i]
				if s.Concurrency == c && strings.HasPrefix(s.Name, "newsearch") && !strings.Contains(s.Name, "cache on") {
					ns = s
				} else if s.Concurrency == c && strings.HasPrefix(s.Name, "raw bleve") {
					raw = s
				}
			}
			if ns != nil && raw != nil && raw.P50ms > 0 && raw.QPS > 0 {
				fmt.Fprintf(w, "\nc=%d, newsearch/raw bleve: p50 ×%.1f, p99 ×%.1f, QPS ×%.2f", c, ns.P50ms/raw.P50ms, ns.P99ms/raw.P99ms, ns.QPS/raw.QPS)
			}
		}
		if r.ServerRSS > 0 {
			fmt.Fprintf(w, "\nserver peak RSS while serving the %s index: %.0f MB\n", r.Big, float64(r.ServerRSS)/1e6)
		}
		fmt.Fprintln(w)
	}
	if len(r.Cold) > 0 {
		fmt.Fprintln(w, "| cold start (exec → first answer), median of 5 | s |\n|---|---:|")
		for _, c := range r.Cold {
			fmt.Fprintf(w, "| %s | %.3f |\n", c.Name, c.Seconds)
		}
	}
}
