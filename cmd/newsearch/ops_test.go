package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestRun_gracefulShutdown: a request in flight when shutdown starts still
// gets its answer, and run returns nil after it.
func TestRun_gracefulShutdown(t *testing.T) {
	t.Parallel()
	base, stop := startServe(t, "-shutdown-timeout", "10s")
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	body := `{"q":"Putin","size":1}`
	fmt.Fprintf(conn, "POST /api/search HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", len(body), body[:5])
	time.Sleep(200 * time.Millisecond) // the handler is now reading the body

	stopped := make(chan error, 1)
	go func() { stopped <- stop() }()
	select {
	case err := <-stopped:
		t.Fatalf("run returned (%v) while a request was in flight", err)
	case <-time.After(300 * time.Millisecond):
	}
	if _, err := http.Get(base + "/healthz"); err == nil {
		t.Error("new connections still accepted during shutdown")
	}
	io.WriteString(conn, body[5:])
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("in-flight request lost: %v", err)
	}
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || !strings.Contains(string(b), `"total"`) {
		t.Errorf("in-flight request: %d %s", resp.StatusCode, b)
	}
	if err := <-stopped; err != nil {
		t.Errorf("run returned %v, want nil", err)
	}
}

// TestRun_shutdownCutsSlowClient: a client slower than the grace period
// (a body sent a byte at a time) is cut off, and run still returns nil:
// it had returned "shutdown: context deadline exceeded", exit status 1.
func TestRun_shutdownCutsSlowClient(t *testing.T) {
	t.Parallel()
	base, stop := startServe(t, "-shutdown-timeout", "200ms")
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /api/search HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"q\"")
	time.Sleep(200 * time.Millisecond) // the handler is now reading the body
	start := time.Now()
	if err := stop(); err != nil {
		t.Errorf("run returned %v, want nil", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("shutdown took %v with a 200ms grace period", d)
	}
}

// TestRun_healthAndVersion drives the health and version subcommands.
func TestRun_healthAndVersion(t *testing.T) {
	t.Parallel()
	base, _ := startServe(t)
	addr := strings.TrimPrefix(base, "http://")
	var out, errOut syncBuffer
	if err := run(context.Background(), []string{"newsearch", "health", "-addr", addr}, env(nil), &out, &errOut); err != nil {
		t.Fatalf("health: %v", err)
	}
	if !strings.Contains(out.String(), `"ready"`) || !strings.Contains(out.String(), `"version":"dev"`) {
		t.Errorf("health output %q", out.String())
	}
	// Env default for -addr, as the container's HEALTHCHECK uses it.
	out = syncBuffer{}
	if err := run(context.Background(), []string{"newsearch", "health"}, env(map[string]string{"NEWSEARCH_ADDR": addr}), &out, &errOut); err != nil {
		t.Errorf("health with NEWSEARCH_ADDR: %v", err)
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := ln.Addr().String()
	ln.Close()
	if err := run(context.Background(), []string{"newsearch", "health", "-addr", dead}, env(nil), &out, &errOut); err == nil {
		t.Error("health of a dead address succeeded")
	}
	// An address without a port, or a URL, is a usage error, not port 80
	// or a host named http; so is a timeout that leaves no time.
	for _, args := range [][]string{{"-addr", "localhost"}, {"-addr", "http://" + dead}, {"-addr", dead, "-timeout", "0s"}} {
		err := run(context.Background(), append([]string{"newsearch", "health"}, args...), env(nil), &out, &errOut)
		if code := exitCode(err); code != 2 {
			t.Errorf("health %v: exit %d (%v), want 2", args, code, err)
		}
	}

	out = syncBuffer{}
	if err := run(context.Background(), []string{"newsearch", "version"}, env(nil), &out, &errOut); err != nil || !strings.HasPrefix(out.String(), "newsearch dev (go") {
		t.Errorf("version: %v %q", err, out.String())
	}
}

func TestDialAddr(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{":8080": "127.0.0.1:8080", "0.0.0.0:9": "127.0.0.1:9", "[::]:9": "127.0.0.1:9", "10.0.0.1:80": "10.0.0.1:80"} {
		if got := dialAddr(in); got != want {
			t.Errorf("dialAddr(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestRun_jsonLogDurations: JSON logs give durations in milliseconds under
// a key that says so; slog's own JSON writes nanoseconds.
func TestRun_jsonLogDurations(t *testing.T) {
	t.Parallel()
	var out, errOut syncBuffer
	err := run(context.Background(), []string{"newsearch", "index", "-index", t.TempDir(), "-log-format", "json", "../../seeds"}, env(nil), &out, &errOut)
	if err != nil {
		t.Fatalf("index: %v\n%s", err, errOut.String())
	}
	var built map[string]any
	for line := range strings.Lines(errOut.String()) {
		var rec map[string]any
		if json.Unmarshal([]byte(line), &rec) == nil && rec["msg"] == "index built" {
			built = rec
		}
	}
	if built == nil {
		t.Fatalf("no \"index built\" line in\n%s", errOut.String())
	}
	ms, ok := built["duration_ms"].(float64)
	if !ok || ms <= 0 || ms > 60_000 {
		t.Errorf("index built: duration_ms = %v, want milliseconds; line %v", built["duration_ms"], built)
	}
	if _, ok := built["duration"]; ok {
		t.Errorf("index built still has duration (nanoseconds): %v", built)
	}

	var text bytes.Buffer
	newLogger(&Config{LogLevel: "info", LogFormat: "text"}, &text).Info("shutting down", "grace", 30*time.Second)
	if !strings.Contains(text.String(), "grace=30s") {
		t.Errorf("text log: %q, want grace=30s", text.String())
	}
}
