package main

import (
	"bufio"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

var (
	binOnce sync.Once
	binPath string
	binErr  error
)

// buildBinary builds newsearch once per test binary, as the Dockerfile does.
func buildBinary(tb testing.TB) string {
	tb.Helper()
	binOnce.Do(func() {
		dir, err := os.MkdirTemp("", "newsearch-bin")
		if err != nil {
			binErr = err
			return
		}
		binPath = filepath.Join(dir, "newsearch")
		out, err := exec.Command("go", "build", "-trimpath", "-ldflags", "-s -w", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			tb.Logf("go build: %s", out)
			binErr = err
		}
	})
	if binErr != nil {
		tb.Fatal(binErr)
	}
	return binPath
}

// startToFirstAnswer starts the binary on the seeds with the given index
// directory and returns the time from exec to the first 200 from
// /api/search?q=Putin.
func startToFirstAnswer(tb testing.TB, bin, indexDir string) time.Duration {
	tb.Helper()
	seeds, _ := filepath.Abs("../../seeds")
	cmd := exec.Command(bin, "serve", "-addr", "127.0.0.1:0", "-index", indexDir, "-seeds", seeds, "-log-level", "warn")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		tb.Fatal(err)
	}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	defer func() {
		cmd.Process.Signal(os.Interrupt)
		cmd.Wait()
	}()
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		tb.Fatalf("no listening line: %v", err)
	}
	url := "http://" + strings.TrimSpace(strings.TrimPrefix(line, "listening on ")) + "/api/search?q=Putin"
	for {
		resp, err := http.Get(url)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return time.Since(start)
			}
		}
		if time.Since(start) > 30*time.Second {
			tb.Fatal("no answer within 30 s")
		}
		time.Sleep(time.Millisecond)
	}
}

// BenchmarkStartToFirstAnswer measures seconds from process start to the
// first answered search on the seeds: "fresh" builds the index first,
// "prebuilt" reuses one (as the container does).
//
//	go test -run='^$' -bench=StartToFirstAnswer -count=10 ./cmd/newsearch
func BenchmarkStartToFirstAnswer(b *testing.B) {
	bin := buildBinary(b)
	// ns/op also counts the shutdown after each answer; s/start is the
	// figure: the mean time from exec to the first answer.
	b.Run("fresh", func(b *testing.B) {
		var total time.Duration
		for b.Loop() {
			total += startToFirstAnswer(b, bin, b.TempDir())
		}
		b.ReportMetric(total.Seconds()/float64(b.N), "s/start")
	})
	b.Run("prebuilt", func(b *testing.B) {
		dir := b.TempDir()
		startToFirstAnswer(b, bin, dir) // build it once
		var total time.Duration
		for b.Loop() {
			total += startToFirstAnswer(b, bin, dir)
		}
		b.ReportMetric(total.Seconds()/float64(b.N), "s/start")
	})
}
