package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// The load test (-only load): the server under mixed searches at about
// twice its saturation concurrency, with one writer streaming PUTs and
// small bulks, for -load-duration (60 s). It reports transport errors, 5xx
// answers, search and write latencies and the server's peak RSS. Run it as
//
//	go run ./bench/speed -only load
//
// It indexes bbc and ru_telegram_news (~24k en+ru articles) first.

const loadToken = "load-test-admin-token-0123456789"

type loadReport struct {
	Docs          int     `json:"docs"`
	Saturation    int     `json:"saturation_concurrency"`
	Concurrency   int     `json:"concurrency"`
	Seconds       float64 `json:"seconds"`
	Searches      int     `json:"searches"`
	SearchQPS     float64 `json:"search_qps"`
	SearchP50ms   float64 `json:"search_p50_ms"`
	SearchP99ms   float64 `json:"search_p99_ms"`
	Writes        int     `json:"writes_acknowledged"`
	WriteP50ms    float64 `json:"write_p50_ms"`
	WriteP99ms    float64 `json:"write_p99_ms"`
	Transport     int     `json:"transport_errors"`
	Status5xx     int     `json:"status_5xx"`
	Status4xx     int     `json:"status_4xx"`
	PeakRSSBytes  int64   `json:"peak_rss_bytes"`
	WritesVisible bool    `json:"writes_visible"`
}

func loadTest(o options, bin string) error {
	corpora := []string{
		filepath.Join(o.corpus, "bbc", "docs.jsonl.gz"),
		filepath.Join(o.corpus, "ru_telegram_news", "docs.jsonl.gz"),
	}
	seeds := filepath.Join(o.work, "load-seeds")
	os.RemoveAll(seeds)
	if err := os.MkdirAll(seeds, 0o755); err != nil {
		return err
	}
	var r loadReport
	for _, c := range corpora {
		abs, _ := filepath.Abs(c)
		if err := os.Symlink(abs, filepath.Join(seeds, filepath.Base(filepath.Dir(c))+".jsonl.gz")); err != nil {
			return err
		}
		n, _, err := countDocs(c)
		if err != nil {
			return err
		}
		r.Docs += n
	}
	os.Setenv("NEWSEARCH_ADMIN_TOKEN", loadToken)
	s, err := startServer(bin, filepath.Join(o.work, "index-load"), seeds, "-request-timeout", "30s")
	if err != nil {
		return err
	}
	defer s.stop()
	fmt.Fprintln(os.Stderr, "load: indexing bbc + ru_telegram_news …")
	if err := s.waitReady(10 * time.Minute); err != nil {
		return err
	}

	var log []string
	for _, c := range corpora {
		log = append(log, queryLog(c, o.queries/2)...)
	}
	// Mixed searches: plain, filtered, sorted, second pages.
	variants := []string{"", "&lang=ru", "&sort=date", "&from=10", "&lang=en&sort=-date"}
	targets := make([]string, len(log))
	for i, q := range log {
		targets[i] = s.base + "/api/search?q=" + url.QueryEscape(q) + variants[i%len(variants)]
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}, Timeout: 30 * time.Second}
	var transport, s5, s4 atomic.Int64
	search := func(target string) (int, error) {
		resp, err := client.Get(target)
		if err != nil {
			transport.Add(1)
			return 0, err
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		switch {
		case resp.StatusCode >= 500:
			s5.Add(1)
		case resp.StatusCode >= 400:
			s4.Add(1)
		}
		return 1, nil
	}

	// Saturation: the smallest concurrency past which QPS grows < 10%. Each
	// level makes at least one pass over the query log (see load).
	r.Saturation = 1
	best := 0.0
	for _, c := range []int{1, 2, 4, 8} {
		res := load("saturation", s.cmd.Process.Pid, c, 4*time.Second, targets, shared(search))
		fmt.Fprintf(os.Stderr, "load: c=%d %.0f QPS\n", c, res.QPS)
		if res.QPS < best*1.1 {
			break
		}
		best, r.Saturation = res.QPS, c
	}
	r.Concurrency = 2 * r.Saturation

	// The run: searches at 2× saturation, one writer.
	stop := make(chan struct{})
	var wlat []float64
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			t0 := time.Now()
			var ok bool
			if i%10 == 9 {
				ok = loadBulk(client, s.base, i, &transport, &s5)
			} else {
				ok = loadPut(client, s.base, i, &transport, &s5)
			}
			if ok {
				wlat = append(wlat, time.Since(t0).Seconds()*1000)
			}
		}
	}()
	fmt.Fprintf(os.Stderr, "load: %d searchers and one writer for %s …\n", r.Concurrency, o.loadDuration)
	res := load("load", s.cmd.Process.Pid, r.Concurrency, o.loadDuration, targets, shared(search))
	close(stop)
	wg.Wait()
	slices.Sort(wlat)
	r.Seconds, r.Searches, r.SearchQPS = float64(res.Requests)/res.QPS, res.Requests, res.QPS
	r.SearchP50ms, r.SearchP99ms = res.P50ms, res.P99ms
	r.Writes, r.WriteP50ms, r.WriteP99ms = len(wlat), pct(wlat, 50), pct(wlat, 99)
	r.Transport, r.Status5xx, r.Status4xx = int(transport.Load()), int(s5.Load()), int(s4.Load())
	r.PeakRSSBytes = s.peakRSS()
	r.WritesVisible = loadVisible(client, s.base)

	fmt.Printf("## Load: %d articles, %d searchers (2× saturation %d) + 1 writer, %.0f s\n\n", r.Docs, r.Concurrency, r.Saturation, r.Seconds)
	fmt.Println("| searches | QPS | p50 ms | p99 ms | writes | write p50 ms | write p99 ms | transport errors | 5xx | 4xx | peak RSS MB | writes visible |")
	fmt.Println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
	fmt.Printf("| %d | %.0f | %.2f | %.2f | %d | %.1f | %.1f | %d | %d | %d | %.0f | %v |\n", r.Searches, r.SearchQPS, r.SearchP50ms, r.SearchP99ms,
		r.Writes, r.WriteP50ms, r.WriteP99ms, r.Transport, r.Status5xx, r.Status4xx, float64(r.PeakRSSBytes)/(1<<20), r.WritesVisible)
	if err := os.MkdirAll(o.out, 0o755); err != nil {
		return err
	}
	b, _ := json.MarshalIndent(r, "", "  ")
	if err := os.WriteFile(filepath.Join(o.out, "load.json"), b, 0o644); err != nil {
		return err
	}
	if r.Transport > 0 || r.Status5xx > 0 || !r.WritesVisible {
		return fmt.Errorf("load: %d transport errors, %d 5xx, writes visible %v", r.Transport, r.Status5xx, r.WritesVisible)
	}
	return nil
}

func loadDoc(i int) map[string]string {
	return map[string]string{"id": fmt.Sprintf("load-%d", i), "title": fmt.Sprintf("Load test article %d", i),
		"body": fmt.Sprintf("loadmarker%d written during the load test about markets and talks in Moscow", i), "lang": "en", "source": "load"}
}

func loadPut(c *http.Client, base string, i int, transport, s5 *atomic.Int64) bool {
	d := loadDoc(i)
	b, _ := json.Marshal(d)
	req, _ := http.NewRequest("PUT", base+"/api/articles/"+d["id"], bytes.NewReader(b))
	return loadWrite(c, req, transport, s5)
}

func loadBulk(c *http.Client, base string, i int, transport, s5 *atomic.Int64) bool {
	var buf bytes.Buffer
	for j := range 50 {
		json.NewEncoder(&buf).Encode(loadDoc(1_000_000 + i*50 + j))
	}
	req, _ := http.NewRequest("POST", base+"/api/articles/_bulk", &buf)
	return loadWrite(c, req, transport, s5)
}

func loadWrite(c *http.Client, req *http.Request, transport, s5 *atomic.Int64) bool {
	req.Header.Set("Authorization", "Bearer "+loadToken)
	resp, err := c.Do(req)
	if err != nil {
		transport.Add(1)
		return false
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode >= 500 {
		s5.Add(1)
	}
	return resp.StatusCode == 200
}

// loadVisible checks that the first written article is searchable.
func loadVisible(c *http.Client, base string) bool {
	resp, err := c.Get(base + "/api/search?q=loadmarker0&typos=false&prefix=false")
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	var r struct{ Total int }
	json.NewDecoder(resp.Body).Decode(&r)
	return r.Total == 1
}
