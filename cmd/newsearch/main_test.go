package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"

	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"newsearch/index"
)

// syncBuffer is a bytes.Buffer safe for the concurrent writes of run and
// reads of the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func env(kv map[string]string) func(string) string {
	return func(k string) string { return kv[k] }
}

// startServe runs "newsearch serve" on 127.0.0.1:0 and returns its base URL
// once /healthz answers 200, and a stop func that cancels it and returns
// run's error.
func startServe(t *testing.T, args ...string) (string, func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr syncBuffer
	done := make(chan error, 1)
	argv := append([]string{"newsearch", "serve", "-addr", "127.0.0.1:0", "-index", t.TempDir(), "-seeds", "../../seeds", "-log-format", "text"}, args...)
	go func() { done <- run(ctx, argv, env(nil), &stdout, &stderr) }()

	var base string
	deadline := time.Now().Add(30 * time.Second)
	for base == "" {
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("no listening line; stderr:\n%s", stderr.String())
		}
		select {
		case err := <-done:
			cancel()
			t.Fatalf("run returned early: %v\nstderr:\n%s", err, stderr.String())
		case <-time.After(10 * time.Millisecond):
		}
		if addr, ok := strings.CutPrefix(strings.TrimSpace(stdout.String()), "listening on "); ok {
			base = "http://" + addr
		}
	}
	for {
		resp, err := http.Get(base + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				break
			}
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("never healthy; stderr:\n%s", stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	stopped := false
	stop := func() error {
		if stopped {
			return nil
		}
		stopped = true
		cancel()
		select {
		case err := <-done:
			return err
		case <-time.After(20 * time.Second):
			return errors.New("run did not return after cancel")
		}
	}
	t.Cleanup(func() { stop() })
	return base, stop
}

func getJSON(t *testing.T, url string, v any) int {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if err := json.Unmarshal(body, v); err != nil {
		t.Fatalf("%s: not JSON: %v\n%s", url, err, body)
	}
	return resp.StatusCode
}

// TestRun_serve is the end-to-end test: the real command over seeds/,
// queried over HTTP, then shut down cleanly.
func TestRun_serve(t *testing.T) {
	t.Parallel()
	base, stop := startServe(t)

	var res struct {
		Total int `json:"total"`
		Hits  []struct {
			ID         string              `json:"id"`
			Highlights map[string][]string `json:"highlights"`
		} `json:"hits"`
		Facets map[string][]struct {
			Value string `json:"value"`
			Count int    `json:"count"`
		} `json:"facets"`
	}
	if code := getJSON(t, base+"/api/search?q=Putin", &res); code != 200 {
		t.Fatalf("search status %d", code)
	}
	if res.Total < 3 || len(res.Hits) != res.Total {
		t.Errorf("q=Putin: total %d, %d hits", res.Total, len(res.Hits))
	}
	for _, h := range res.Hits {
		if !strings.Contains(strings.Join(h.Highlights["body"], ""), "<mark>Putin") {
			t.Errorf("%s: no highlighted Putin", h.ID)
		}
	}
	if len(res.Facets["source"]) == 0 || len(res.Facets["lang"]) == 0 || len(res.Facets["date"]) == 0 {
		t.Errorf("default facets missing: %v", res.Facets)
	}

	var errBody struct {
		Error struct{ Code string } `json:"error"`
	}
	if code := getJSON(t, base+"/api/search?size=0", &errBody); code != 400 || errBody.Error.Code != "invalid_argument" {
		t.Errorf("size=0: %d %+v", code, errBody)
	}

	resp, err := http.Get(base + "/")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Type"), "text/html") || !strings.Contains(string(page), `type="search"`) {
		t.Errorf("page: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}

	if err := stop(); err != nil {
		t.Fatalf("run returned %v after cancel, want nil", err)
	}
	if _, err := http.Get(base + "/healthz"); err == nil {
		t.Error("server still answering after shutdown")
	}
}

// TestRun_indexAndSearch drives the index and search subcommands.
func TestRun_indexAndSearch(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ctx := context.Background()
	var out, errOut syncBuffer
	if err := run(ctx, []string{"newsearch", "index", "-index", dir, "-input", "../../seeds", "-log-format", "text"}, env(nil), &out, &errOut); err != nil {
		t.Fatalf("index: %v\n%s", err, errOut.String())
	}
	if !strings.Contains(out.String(), "indexed 5 articles") {
		t.Errorf("index output: %q", out.String())
	}
	out = syncBuffer{}
	if err := run(ctx, []string{"newsearch", "index", "-index", dir, "../../seeds"}, env(nil), &out, &errOut); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "up to date") {
		t.Errorf("second index run: %q", out.String())
	}

	out = syncBuffer{}
	if err := run(ctx, []string{"newsearch", "search", "-json", "-index", dir, "-seeds", "../../seeds", "Shoigu"}, env(nil), &out, &errOut); err != nil {
		t.Fatal(err)
	}
	var res struct {
		Total int                   `json:"total"`
		Hits  []struct{ ID string } `json:"hits"`
	}
	if err := json.Unmarshal([]byte(out.String()), &res); err != nil || res.Total != 1 || res.Hits[0].ID != "001_f73cd8b2b73a01dd" {
		t.Errorf("search -json Shoigu: %v %s", err, out.String())
	}

	out, errOut = syncBuffer{}, syncBuffer{}
	if err := run(ctx, []string{"newsearch", "search", "-index", dir, "-seeds", "../../seeds", "Shoigu"}, env(nil), &out, &errOut); err != nil {
		t.Fatal(err)
	}
	// A search of an index that is up to date says nothing on stderr: it
	// had logged two INFO lines each time, noise for a script's loop.
	if errOut.String() != "" {
		t.Errorf("search logged %q", errOut.String())
	}
	if !strings.HasPrefix(out.String(), "1 article · ") || !strings.Contains(out.String(), "[Shoigu]") {
		t.Errorf("text output:\n%s", out.String())
	}
	if strings.Contains(out.String(), "person:") {
		t.Errorf("facets printed without -facets:\n%s", out.String())
	}

	// Several words: how many articles have every one.
	out = syncBuffer{}
	if err := run(ctx, []string{"newsearch", "search", "-index", dir, "-seeds", "../../seeds", "Putin Kazan"}, env(nil), &out, &errOut); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out.String(), "4 articles · 2 with every word · ") {
		t.Errorf("search Putin Kazan: first line of\n%s", out.String())
	}
	if n := strings.Count(out.String(), "\n   Missing: Kazan\n"); n != 2 {
		t.Errorf("search Putin Kazan: %d hits missing Kazan, want 2:\n%s", n, out.String())
	}

	// Stop words only: nothing found, and the words named.
	out = syncBuffer{}
	if err := run(ctx, []string{"newsearch", "search", "-index", dir, "-seeds", "../../seeds", "there it is"}, env(nil), &out, &errOut); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out.String(), "0 articles · ") || !strings.Contains(out.String(), "\nToo common to search for: there, it, is\n") {
		t.Errorf("search there it is:\n%s", out.String())
	}

	out = syncBuffer{}
	if err := run(ctx, []string{"newsearch", "search", "-index", dir, "-seeds", "../../seeds", "-facets", "person,lang", "Putin"}, env(nil), &out, &errOut); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"\nlang: en 4\n", "\nperson: Vladimir Putin 4 · Xi Jinping 3 · "} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("search -facets person,lang Putin lacks %q:\n%s", want, out.String())
		}
	}

	// -related lists the articles most like one, never itself.
	out = syncBuffer{}
	if err := run(ctx, []string{"newsearch", "search", "-index", dir, "-seeds", "../../seeds", "-related", "001_f73cd8b2b73a01dd", "-size", "2"}, env(nil), &out, &errOut); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out.String(), "2 articles like 001_f73cd8b2b73a01dd\n") || strings.Contains(out.String(), "id 001_f73cd8b2b73a01dd") {
		t.Errorf("search -related:\n%s", out.String())
	}
	out = syncBuffer{}
	if err := run(ctx, []string{"newsearch", "search", "-json", "-index", dir, "-seeds", "../../seeds", "-related", "001_f73cd8b2b73a01dd"}, env(nil), &out, &errOut); err != nil {
		t.Fatal(err)
	}
	var rel struct {
		ID      string                `json:"id"`
		Related []struct{ ID string } `json:"related"`
	}
	if err := json.Unmarshal([]byte(out.String()), &rel); err != nil || rel.ID != "001_f73cd8b2b73a01dd" || len(rel.Related) == 0 {
		t.Errorf("search -json -related: %v %s", err, out.String())
	}
	if err := run(ctx, []string{"newsearch", "search", "-index", dir, "-seeds", "../../seeds", "-related", "no-such"}, env(nil), &out, &errOut); !errors.Is(err, index.ErrNotFound) {
		t.Errorf("search -related no-such: %v, want ErrNotFound", err)
	}

	// Typos are tolerated unless -typos=false; the last word is a prefix
	// only with -prefix (a command-line query is finished).
	for _, tt := range []struct {
		args  []string
		total int
	}{
		{[]string{"Shoigo"}, 1},
		{[]string{"-typos=false", "Shoigo"}, 0},
		{[]string{"Minnik"}, 0},
		{[]string{"-prefix", "Minnik"}, 1},
	} {
		out = syncBuffer{}
		args := append([]string{"newsearch", "search", "-json", "-index", dir, "-seeds", "../../seeds"}, tt.args...)
		if err := run(ctx, args, env(nil), &out, &errOut); err != nil {
			t.Fatal(err)
		}
		res.Total = -1
		if err := json.Unmarshal([]byte(out.String()), &res); err != nil || res.Total != tt.total {
			t.Errorf("search %q: total %d, want %d (%v)", tt.args, res.Total, tt.total, err)
		}
	}
}

// TestRun_locked: a second process on a served index directory gets a
// clear error at once.
func TestRun_locked(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	_, _ = startServe(t, "-index", dir)
	start := time.Now()
	var out, errOut syncBuffer
	err := run(context.Background(), []string{"newsearch", "search", "-index", dir, "-seeds", "../../seeds", "x"}, env(nil), &out, &errOut)
	if !errors.Is(err, index.ErrLocked) {
		t.Fatalf("err = %v, want ErrLocked", err)
	}
	if time.Since(start) > 2*time.Second {
		t.Errorf("took %v to fail", time.Since(start))
	}
}

func TestRun_config(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		wantErr string
	}{
		{"no command", []string{"newsearch"}, nil, "no command"},
		{"unknown command", []string{"newsearch", "fly"}, nil, `unknown command "fly"`},
		{"bad level", []string{"newsearch", "serve", "-log-level", "loud"}, nil, "-log-level"},
		{"bad env bool", []string{"newsearch", "serve"}, map[string]string{"NEWSEARCH_STRICT": "maybe"}, "NEWSEARCH_STRICT"},
		{"bad env duration", []string{"newsearch", "serve"}, map[string]string{"NEWSEARCH_REQUEST_TIMEOUT": "soon"}, "NEWSEARCH_REQUEST_TIMEOUT"},
		{"bad format", []string{"newsearch", "serve"}, map[string]string{"NEWSEARCH_LOG_FORMAT": "xml"}, "NEWSEARCH_LOG_FORMAT"}, // the variable, not the flag no one gave
		{"bad format flag", []string{"newsearch", "serve", "-log-format", "xml"}, map[string]string{"NEWSEARCH_LOG_FORMAT": "json"}, "-log-format"},
		{"bad env cache", []string{"newsearch", "serve"}, map[string]string{"NEWSEARCH_QUERY_CACHE": "lots"}, "NEWSEARCH_QUERY_CACHE"},
		{"negative cache", []string{"newsearch", "serve", "-query-cache", "-5"}, nil, "-query-cache"},
		{"bad env write timeout", []string{"newsearch", "serve"}, map[string]string{"NEWSEARCH_WRITE_TIMEOUT": "0s"}, "NEWSEARCH_WRITE_TIMEOUT must be positive"},
		{"bad env origins", []string{"newsearch", "serve"}, map[string]string{"NEWSEARCH_CORS_ORIGINS": "notanorigin"}, `NEWSEARCH_CORS_ORIGINS: "notanorigin" is not an origin`},
		{"bad flag origins", []string{"newsearch", "serve", "-cors-origins", "x"}, nil, `-cors-origins: "x" is not an origin`},
		{"missing env token file", []string{"newsearch", "serve"}, map[string]string{"NEWSEARCH_ADMIN_TOKEN_FILE": "/nonexistent/token"}, "NEWSEARCH_ADMIN_TOKEN_FILE: open /nonexistent/token"},
		{"serve args", []string{"newsearch", "serve", "extra"}, nil, "no arguments"},
		{"index no input", []string{"newsearch", "index"}, nil, "no input"},
		{"missing seeds", []string{"newsearch", "serve", "-addr", "127.0.0.1:0", "-seeds", "/nonexistent/seeds"}, nil, "no such file"},
		{"bad search param", []string{"newsearch", "search", "-size", "0", "x"}, nil, "size"},
		{"related with words", []string{"newsearch", "search", "-related", "a", "x"}, nil, "no query words"},
		{"related too many", []string{"newsearch", "search", "-related", "a", "-size", "21"}, nil, "-size"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var out, errOut syncBuffer
			err := run(context.Background(), tt.args, env(tt.env), &out, &errOut)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("err = %v, want it to mention %q", err, tt.wantErr)
			}
		})
	}
}

// TestRun_portTaken: a taken port fails at once, before any indexing.
func TestRun_portTaken(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	var out, errOut syncBuffer
	err = run(context.Background(), []string{"newsearch", "serve", "-addr", ln.Addr().String(), "-index", t.TempDir()}, env(nil), &out, &errOut)
	if err == nil || !strings.Contains(err.Error(), "listen") {
		t.Errorf("err = %v, want a listen error", err)
	}
}

// TestRun_envDefaults: an environment variable sets a default, and a flag
// beats it.
func TestRun_envDefaults(t *testing.T) {
	t.Parallel()
	c, err := parseServe([]string{"-addr", ":9999"}, env(map[string]string{"NEWSEARCH_ADDR": ":7777", "NEWSEARCH_INDEX": "/tmp/x", "NEWSEARCH_REQUEST_TIMEOUT": "3s"}), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != ":9999" || c.IndexDir != "/tmp/x" || c.RequestTimeout != 3*time.Second {
		t.Errorf("config = %+v", c)
	}
	c, err = parseServe(nil, env(nil), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != ":8080" || c.IndexDir != "./data" || c.Seeds != "./seeds" || c.seedsExplicit {
		t.Errorf("defaults = %+v", c)
	}

}

// TestRun_indexKeptWithoutSeeds: an index that `newsearch index` built
// from a corpus is searched as built by search and serve given no seeds,
// not rebuilt from the default seeds (which had replaced a 2,225-article
// BBC index with the 5 seed articles, and deleted it); -seeds still
// chooses other articles, and a corpus that is gone is a clear error.
func TestRun_indexKeptWithoutSeeds(t *testing.T) {
	t.Parallel()
	tmp := t.TempDir()
	corpus := filepath.Join(tmp, "corpus.jsonl")
	if err := os.WriteFile(corpus, []byte(`{"id":"w1","title":"Wombats of Tasmania","body":"The wombat census found more wombats.","lang":"en"}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(tmp, "idx")
	ctx := context.Background()
	var out, errOut syncBuffer
	if err := run(ctx, []string{"newsearch", "index", "-index", dir, corpus}, env(nil), &out, &errOut); err != nil {
		t.Fatalf("index: %v\n%s", err, errOut.String())
	}
	total := func(args ...string) (int, error) {
		out = syncBuffer{}
		err := run(ctx, append([]string{"newsearch", "search", "-json", "-index", dir}, args...), env(nil), &out, &errOut)
		var res struct{ Total int }
		if err == nil {
			err = json.Unmarshal([]byte(out.String()), &res)
		}
		return res.Total, err
	}
	// The default seeds (./seeds is absent here: the embedded ones) are
	// not the index's articles.
	if n, err := total("wombat"); err != nil || n != 1 {
		t.Fatalf("search wombat without seeds: %d, %v; want the corpus's article\n%s", n, err, errOut.String())
	}
	if n, err := total("Putin"); err != nil || n != 0 {
		t.Errorf("search Putin without seeds: %d, %v; want none, the index is the corpus's", n, err)
	}
	// Asked for other articles, it indexes them.
	if n, err := total("-seeds", "../../seeds", "Putin"); err != nil || n != 4 {
		t.Errorf("search -seeds ../../seeds Putin: %d, %v; want the seeds' 4", n, err)
	}
	if err := run(ctx, []string{"newsearch", "index", "-index", dir, corpus}, env(nil), &out, &errOut); err != nil {
		t.Fatal(err)
	}
	// Indexing a directory with no article files is an error, and leaves
	// the index as it was.
	err := run(ctx, []string{"newsearch", "index", "-index", dir, t.TempDir()}, env(nil), &out, &errOut)
	if err == nil || !strings.Contains(err.Error(), "no article files") {
		t.Errorf("index of an empty directory: %v, want an error", err)
	}
	if n, err := total("wombat"); err != nil || n != 1 {
		t.Errorf("after the refused index, wombat: %d, %v; want the corpus's article", n, err)
	}
	if err := os.Remove(corpus); err != nil {
		t.Fatal(err)
	}
	// With the corpus gone (moved to save space), the index still holds
	// its articles: it is searched as it is. It had been an error.
	if n, err := total("wombat"); err != nil || n != 1 {
		t.Errorf("search wombat with the corpus gone: %d, %v; want the index's article", n, err)
	}
	if !strings.Contains(errOut.String(), "cannot be read now; using it as it is") {
		t.Errorf("search with the corpus gone logged no warning:\n%s", errOut.String())
	}
}

// TestRebuild_recordedInputs: serve -rebuild (NEWSEARCH_REBUILD) rebuilds
// an index from the articles it was built from, as POST /api/reindex does;
// it had rebuilt a corpus's index from the 5 seed articles. With those
// articles gone it keeps the index as it is, and says it cannot rebuild.
func TestRebuild_recordedInputs(t *testing.T) {
	t.Parallel()
	tmp := t.TempDir()
	corpus := filepath.Join(tmp, "corpus.jsonl")
	if err := os.WriteFile(corpus, []byte(`{"id":"w1","title":"Wombats","body":"The wombat census."}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(tmp, "idx")
	var out, errOut syncBuffer
	if err := run(context.Background(), []string{"newsearch", "index", "-index", dir, corpus}, env(nil), &out, &errOut); err != nil {
		t.Fatalf("index: %v\n%s", err, errOut.String())
	}
	logs := syncBuffer{}
	cfg := &Config{IndexDir: dir, Seeds: "./seeds", Rebuild: true}
	logger := slog.New(slog.NewTextHandler(&logs, nil))
	inputs, err := seedInputs(cfg, logger)
	if err != nil {
		t.Fatal(err)
	}
	if opts := indexOptions(cfg, inputs, logger); len(opts.Inputs) != 1 || opts.Inputs[0].Source != corpus || opts.Rebuild != index.RebuildAlways {
		t.Errorf("-rebuild: inputs %+v, rebuild %v; want the corpus, rebuilt", opts.Inputs, opts.Rebuild)
	}
	if err := os.Remove(corpus); err != nil {
		t.Fatal(err)
	}
	inputs, err = seedInputs(cfg, logger)
	if err != nil {
		t.Fatal(err)
	}
	if opts := indexOptions(cfg, inputs, logger); len(opts.Inputs) != 0 || opts.Rebuild != index.RebuildNever {
		t.Errorf("-rebuild with the corpus gone: inputs %+v, rebuild %v; want the index kept as it is", opts.Inputs, opts.Rebuild)
	}
	if !strings.Contains(logs.String(), "cannot rebuild") {
		t.Errorf("-rebuild with the corpus gone logged no warning:\n%s", logs.String())
	}
}

// TestExitCodes: help asked for exits 0 (as the flag package's
// ExitOnError does), for every command; a usage error 2; a failure 1.
// search -h had exited 2 with "flag: help requested".
func TestExitCodes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, tt := range []struct {
		args []string
		code int
	}{
		{[]string{"search", "-h"}, 0}, {[]string{"index", "--help"}, 0}, {[]string{"serve", "-help"}, 0},
		{[]string{"health", "-h"}, 0}, {[]string{"search", "-size", "0", "x"}, 2}, {[]string{"bogus"}, 2},
		{[]string{"index", "-index", t.TempDir(), "/no/such/path"}, 1},
	} {
		var out, errOut syncBuffer
		err := run(ctx, append([]string{"newsearch"}, tt.args...), env(nil), &out, &errOut)
		if got := exitCode(err); (err == nil && tt.code != 0) || got != tt.code {
			t.Errorf("newsearch %q: exit %d (%v), want %d", tt.args, got, err, tt.code)
		}
	}
}

// TestRun_flagBeatsBadVariable: a flag given on the command line beats
// its variable even when the variable's value is bad; without the flag
// the bad value is an error naming the variable.
func TestRun_flagBeatsBadVariable(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	vars := env(map[string]string{"NEWSEARCH_STRICT": "yes"})
	var out, errOut syncBuffer
	dir := t.TempDir()
	if err := run(ctx, []string{"newsearch", "search", "-index", dir, "-seeds", "../../seeds", "-strict=false", "Putin"}, vars, &out, &errOut); err != nil {
		t.Errorf("NEWSEARCH_STRICT=yes search -strict=false: %v", err)
	}
	err := run(ctx, []string{"newsearch", "search", "-index", dir, "-seeds", "../../seeds", "Putin"}, vars, &out, &errOut)
	if err == nil || !strings.Contains(err.Error(), "NEWSEARCH_STRICT") || exitCode(err) != 2 {
		t.Errorf("NEWSEARCH_STRICT=yes search: %v (exit %d), want a usage error naming the variable", err, exitCode(err))
	}
}

// TestRun_indexInterrupted: an index build that SIGINT stops says so,
// exits 130, and leaves the index as it was.
func TestRun_indexInterrupted(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	var out, errOut syncBuffer
	if err := run(context.Background(), []string{"newsearch", "index", "-index", dir, "../../seeds"}, env(nil), &out, &errOut); err != nil {
		t.Fatal(err)
	}
	corpus := filepath.Join(t.TempDir(), "c.jsonl")
	if err := os.WriteFile(corpus, []byte(`{"id":"w1","title":"Wombats","body":"A wombat.","lang":"en"}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // as SIGINT does
	err := run(ctx, []string{"newsearch", "index", "-index", dir, corpus}, env(nil), &out, &errOut)
	if err == nil || !strings.Contains(err.Error(), "interrupted") || exitCode(err) != 130 {
		t.Fatalf("interrupted index: %v (exit %d), want \"interrupted\" and 130", err, exitCode(err))
	}
	out = syncBuffer{}
	if err := run(context.Background(), []string{"newsearch", "search", "-index", dir, "Putin"}, env(nil), &out, &errOut); err != nil || !strings.HasPrefix(out.String(), "4 articles") {
		t.Errorf("after the interrupted build: %v\n%s", err, out.String())
	}
}

// TestRun_flagsAfterQuery: flags may follow the query's words, as people
// type them; a dashed word that names no flag is an exclusion, and "--"
// ends the flags. search Putin -size 1 had searched for "Putin -size 1".
func TestRun_flagsAfterQuery(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ctx := context.Background()
	for _, tt := range []struct {
		args  []string
		query string
		hits  int
	}{
		{[]string{"Putin", "-size", "1"}, "Putin", 1},
		{[]string{"Putin", "-size=2", "-typos=false"}, "Putin", 2},
		{[]string{"Putin", "-Shoigu"}, "Putin -Shoigu", 4},
		{[]string{"--", "-size", "Putin"}, "-size Putin", 4},
	} {
		var out, errOut syncBuffer
		args := append([]string{"newsearch", "search", "-json", "-index", dir, "-seeds", "../../seeds"}, tt.args...)
		if err := run(ctx, args, env(nil), &out, &errOut); err != nil {
			t.Fatalf("%q: %v", tt.args, err)
		}
		var res struct {
			Query string
			Hits  []struct{ ID string }
		}
		if err := json.Unmarshal([]byte(out.String()), &res); err != nil || res.Query != tt.query || len(res.Hits) != tt.hits {
			t.Errorf("search %q: query %q, %d hits (%v); want %q, %d", tt.args, res.Query, len(res.Hits), err, tt.query, tt.hits)
		}
	}
	var out, errOut syncBuffer
	if err := run(ctx, []string{"newsearch", "search", "-index", dir, "-bogus", "Putin"}, env(nil), &out, &errOut); exitCode(err) != 2 {
		t.Errorf("search -bogus Putin: %v, want a usage error", err)
	}
}

// TestRun_indexFlagsAfterPaths: index takes its flags after the paths too
// (-rebuild had been taken for a file), and reads a path named twice once
// (it had read it twice, skipping every article of the second reading as
// a duplicate).
func TestRun_indexFlagsAfterPaths(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	var out, errOut syncBuffer
	if err := run(ctx, []string{"newsearch", "index", "-index", dir, "../../seeds", "-log-format", "text"}, env(nil), &out, &errOut); err != nil {
		t.Fatalf("index: %v\n%s", err, errOut.String())
	}
	out, errOut = syncBuffer{}, syncBuffer{}
	if err := run(ctx, []string{"newsearch", "index", "-index", dir, "../../seeds", "../../seeds/../seeds", "-rebuild", "-log-format", "text"}, env(nil), &out, &errOut); err != nil {
		t.Fatalf("index PATH PATH -rebuild: %v\n%s", err, errOut.String())
	}
	if !strings.Contains(out.String(), "indexed 5 articles") || !strings.Contains(out.String(), "skipped 0 bad records") || !strings.Contains(errOut.String(), "given more than once") {
		t.Errorf("index of the seeds named twice, with -rebuild after them: %q\n%s", out.String(), errOut.String())
	}
}

// TestRun_searchMissingIndex: a search of an index directory that is not
// there (a mistyped -index or NEWSEARCH_INDEX) fails and creates nothing;
// with -seeds it builds the index from them.
func TestRun_searchMissingIndex(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	missing := filepath.Join(t.TempDir(), "nope")
	for name, c := range map[string]struct {
		args []string
		env  map[string]string
	}{
		"flag": {args: []string{"newsearch", "search", "-index", missing, "Putin"}},
		"env":  {args: []string{"newsearch", "search", "Putin"}, env: map[string]string{"NEWSEARCH_INDEX": missing}},
	} {
		var out, errOut syncBuffer
		err := run(ctx, c.args, env(c.env), &out, &errOut)
		if err == nil || !strings.Contains(err.Error(), "no index in "+missing) || !strings.Contains(err.Error(), "newsearch index -index") {
			t.Errorf("%s: err = %v, want no index in %s with the command to build one", name, err, missing)
		}
		if out.String() != "" {
			t.Errorf("%s: printed results:\n%s", name, out.String())
		}
		if _, err := os.Stat(missing); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s: the missing directory was created", name)
		}
	}

	// A directory with no index in it (an interrupted first build left
	// it) is refused alike: it had got the seeds.
	emptyDir := t.TempDir()
	var out, errOut syncBuffer
	if err := run(ctx, []string{"newsearch", "search", "-index", emptyDir, "Putin"}, env(nil), &out, &errOut); err == nil || !strings.Contains(err.Error(), "no index in "+emptyDir+": the directory holds none") {
		t.Errorf("search of an empty directory: err = %v, want no index", err)
	}
	if index.HasIndex(emptyDir) {
		t.Errorf("search of an empty directory built an index in it")
	}

	if err := run(ctx, []string{"newsearch", "search", "-index", missing, "-seeds", "../../seeds", "Shoigu"}, env(nil), &out, &errOut); err != nil {
		t.Fatalf("search -seeds into a new directory: %v", err)
	}
	if !strings.HasPrefix(out.String(), "1 article · ") {
		t.Errorf("search -seeds into a new directory:\n%s", out.String())
	}
}

// TestRun_indexKeptWhenInputsFail: an input that gives no article (an
// empty file) never replaces an index with an empty one.
func TestRun_indexKeptWhenInputsFail(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	work := t.TempDir()
	dir := filepath.Join(work, "idx")
	corpus := filepath.Join(work, "corpus.jsonl")
	os.WriteFile(corpus, []byte(`{"id":"w1","title":"Wombats","body":"A wombat dug a burrow."}`+"\n"), 0o644)
	var out, errOut syncBuffer
	if err := run(ctx, []string{"newsearch", "index", "-index", dir, corpus}, env(nil), &out, &errOut); err != nil {
		t.Fatalf("index: %v", err)
	}
	empty := filepath.Join(work, "empty.jsonl")
	os.WriteFile(empty, nil, 0o644)
	// Into a new directory, no index either: it had built one of none and
	// exited 0, for an operator's first import of a wrong file.
	fresh := filepath.Join(work, "fresh")
	err := run(ctx, []string{"newsearch", "index", "-index", fresh, empty}, env(nil), &out, &errOut)
	if !errors.Is(err, index.ErrNoArticles) || !strings.Contains(err.Error(), "no index was built") || index.HasIndex(fresh) {
		t.Errorf("index of an empty file into a new directory: err = %v, index there %v; want ErrNoArticles and none", err, index.HasIndex(fresh))
	}
	err = run(ctx, []string{"newsearch", "index", "-index", dir, empty}, env(nil), &out, &errOut)
	if !errors.Is(err, index.ErrNoArticles) || !strings.Contains(err.Error(), "is left as it is") {
		t.Errorf("index of an empty file over an index: err = %v, want ErrNoArticles", err)
	}
	out = syncBuffer{}
	if err := run(ctx, []string{"newsearch", "search", "-index", dir, "wombat"}, env(nil), &out, &errOut); err != nil || !strings.HasPrefix(out.String(), "1 article · ") {
		t.Errorf("search after the refused index: %v\n%s", err, out.String())
	}
	// The file the index was built from emptied (rotated, overwritten to
	// save space): search warns and uses the index as it is, as when the
	// file is gone.
	os.WriteFile(corpus, nil, 0o644)
	out, errOut = syncBuffer{}, syncBuffer{}
	if err := run(ctx, []string{"newsearch", "search", "-index", dir, "-log-format", "text", "wombat"}, env(nil), &out, &errOut); err != nil || !strings.HasPrefix(out.String(), "1 article · ") || !strings.Contains(errOut.String(), "give none now; using it as it is") {
		t.Errorf("search with its corpus emptied: %v\n%s\n%s", err, out.String(), errOut.String())
	}
}

// TestRun_helpToStdout: help asked for goes to stdout, so that it pages
// (newsearch search -h | less), for every command and for help COMMAND;
// after a usage error it goes to stderr. A -h after search's words is a
// word to exclude.
func TestRun_helpToStdout(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, args := range [][]string{{"search", "-h"}, {"index", "-help"}, {"serve", "-h"}, {"health", "-h"}, {"help", "search"}} {
		var out, errOut syncBuffer
		err := run(ctx, append([]string{"newsearch"}, args...), env(nil), &out, &errOut)
		if !errors.Is(err, flag.ErrHelp) || !strings.Contains(out.String(), "Usage of newsearch ") || errOut.String() != "" {
			t.Errorf("%q: err %v, stdout %q, stderr %q; want the help on stdout", args, err, out.String(), errOut.String())
		}
	}
	// A -h among search's words is a word to exclude: nothing but the
	// results goes to stdout, so -json stays JSON.
	dir := t.TempDir()
	var out, errOut syncBuffer
	if err := run(ctx, []string{"newsearch", "search", "-index", dir, "-seeds", "../../seeds", "-log-format", "json", "-json", "Putin", "-size", "1", "-h"}, env(nil), &out, &errOut); err != nil || !json.Valid([]byte(out.String())) {
		t.Errorf("search -json Putin -size 1 -h: %v; stdout not JSON:\n%s", err, out.String())
	}
	out, errOut = syncBuffer{}, syncBuffer{}
	// A mistyped flag is one line that says where the flags are, not the
	// forty lines of them before it (run's caller prints the error).
	if err := run(ctx, []string{"newsearch", "search", "-nope"}, env(nil), &out, &errOut); err == nil || out.String() != "" || errOut.String() != "" ||
		!strings.Contains(err.Error(), `-nope (run "newsearch search -h" for its flags)`) || exitCode(err) != 2 {
		t.Errorf("search -nope: err %v, stdout %q, stderr %q; want a usage error naming -h, nothing printed", err, out.String(), errOut.String())
	}
}

// TestRun_indexCutShort: a truncated .gz is one bad record in the count,
// but the summary says its later articles are missing.
func TestRun_indexCutShort(t *testing.T) {
	t.Parallel()
	work := t.TempDir()
	var lines bytes.Buffer
	zw := gzip.NewWriter(&lines)
	for i := range 50 {
		fmt.Fprintf(zw, `{"id":"a%d","title":"Article %d","body":"Some words about wombats, number %d."}`+"\n", i, i, i)
	}
	zw.Close()
	b := lines.Bytes()
	os.WriteFile(filepath.Join(work, "cut.jsonl.gz"), b[:len(b)/2], 0o644)
	var out, errOut syncBuffer
	if err := run(context.Background(), []string{"newsearch", "index", "-index", filepath.Join(work, "idx"), filepath.Join(work, "cut.jsonl.gz")}, env(nil), &out, &errOut); err != nil {
		t.Fatalf("index: %v\n%s", err, errOut.String())
	}
	if !strings.Contains(out.String(), "warning: reading stopped early in 1 file") {
		t.Errorf("index of a truncated file:\n%s", out.String())
	}
}

// TestRun_searchWaitsForBuild: a search that waits for a build of other
// inputs answers from that build. It had read the index's recorded inputs
// before the wait, found the new index stale against them, and rebuilt it
// from the old ones: the build it waited for was undone, though `newsearch
// index` had reported it done.
func TestRun_searchWaitsForBuild(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir, files := t.TempDir(), t.TempDir()
	older, newer := filepath.Join(files, "older.jsonl"), filepath.Join(files, "newer.jsonl")
	var b strings.Builder
	for i := range 300 {
		fmt.Fprintf(&b, `{"id":"new-%d","title":"Newer %d","body":"The zqnewer article number %d."}`+"\n", i, i, i)
	}
	if err := os.WriteFile(older, []byte(`{"id":"old-1","title":"Older","body":"The zqolder article."}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(newer, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errOut syncBuffer
	if err := run(ctx, []string{"newsearch", "index", "-index", dir, older}, env(nil), &out, &errOut); err != nil {
		t.Fatalf("index: %v\n%s", err, errOut.String())
	}
	// Another process builds the index from newer: once its build has
	// begun, under the lock, a search starts and waits for the lock.
	in, err := pathInput(newer)
	if err != nil {
		t.Fatal(err)
	}
	building, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	built := make(chan error, 1)
	go func() {
		x, err := index.Open(ctx, index.Options{Dir: dir, Inputs: []index.Input{in}, Rebuild: index.RebuildAlways,
			BatchSize: 10, ProgressEvery: time.Nanosecond, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
			Progress: func(s index.BuildStats) {
				if !s.Done {
					once.Do(func() { close(building); <-release })
				}
			}})
		if err == nil {
			err = x.Close()
		}
		built <- err
	}()
	<-building
	// The search runs as a process of its own (TestMain): a lock this
	// process holds is taken for a server's, which a search never waits for.
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	out, errOut = syncBuffer{}, syncBuffer{}
	search := exec.Command(exe, "search", "-json", "-log-level", "info", "-index", dir, "zqnewer")
	search.Env = append(os.Environ(), "NEWSEARCH_TEST_AS_MAIN=1")
	search.Stdout, search.Stderr = &out, &errOut
	if err := search.Start(); err != nil {
		t.Fatal(err)
	}
	searched := make(chan error, 1)
	go func() { searched <- search.Wait() }()
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(errOut.String(), "waiting for another process"); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			close(release)
			t.Fatalf("the search did not wait for the build: %s", errOut.String())
		}
	}
	close(release)
	if err := <-built; err != nil {
		t.Fatal(err)
	}
	if err := <-searched; err != nil {
		t.Fatalf("search: %v\n%s", err, errOut.String())
	}
	var res struct{ Total int }
	if err := json.Unmarshal([]byte(out.String()), &res); err != nil || res.Total != 300 {
		t.Errorf("search after the build: %v %s, want the 300 newer articles", err, out.String())
	}
	if strings.Contains(errOut.String(), "rebuilding") {
		t.Errorf("the search rebuilt the index: %s", errOut.String())
	}
	if got, err := index.RecordedSources(dir); err != nil || len(got) != 1 || got[0] != in.Source {
		t.Errorf("recorded inputs %q (%v), want %q", got, err, in.Source)
	}
}

// TestRun_searchDamagedIndex: a search of an index whose segment file is
// damaged fails with an error that says so, never a panic (exit 2 and a
// goroutine dump): blocks of the segment are overwritten one after
// another, on a fresh copy each time, and a few words searched.
func TestRun_searchDamagedIndex(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "idx")
	var out, errOut syncBuffer
	if err := run(ctx, []string{"newsearch", "index", "-index", dir, "../../seeds"}, env(nil), &out, &errOut); err != nil {
		t.Fatalf("index: %v\n%s", err, errOut.String())
	}
	segs, _ := filepath.Glob(filepath.Join(dir, "index-*", "store", "*.zap"))
	if len(segs) != 1 {
		t.Fatalf("segments %q, want one", segs)
	}
	data, err := os.ReadFile(segs[0])
	if err != nil {
		t.Fatal(err)
	}
	rnd := rand.New(rand.NewPCG(1, 2))
	failed := 0
	for off := 0; off < len(data); off += 8192 {
		damaged := filepath.Join(t.TempDir(), "idx")
		if err := os.CopyFS(damaged, os.DirFS(dir)); err != nil {
			t.Fatal(err)
		}
		bad := slices.Clone(data)
		for i := off; i < min(off+1024, len(bad)); i++ {
			bad[i] = byte(rnd.Uint32())
		}
		seg := filepath.Join(damaged, strings.TrimPrefix(segs[0], dir))
		if err := os.WriteFile(seg, bad, 0o600); err != nil {
			t.Fatal(err)
		}
		os.Remove(filepath.Join(damaged, "LOCK"))
		for _, q := range []string{"Putin", "strategic partnership", "Kazan"} {
			out, errOut = syncBuffer{}, syncBuffer{}
			err := run(ctx, []string{"newsearch", "search", "-index", damaged, q}, env(nil), &out, &errOut)
			if err != nil {
				failed++
			}
		}
	}
	t.Logf("%d of the searches of damaged copies failed with an error", failed)
}
