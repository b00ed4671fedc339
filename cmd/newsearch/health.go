package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"runtime"
	"time"
)

// version is set at build time: -ldflags "-X main.version=v1.2.3".
var version = "dev"

func versionString() string {
	return fmt.Sprintf("newsearch %s (%s, %s/%s)", version, runtime.Version(), runtime.GOOS, runtime.GOARCH)
}

// runHealth asks the server at -addr whether it is ready: the container's
// HEALTHCHECK, since a scratch image has no curl. Exit status 0 means ready.
func runHealth(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	c := &Config{}
	fs := newFlagSet("newsearch health", getenv, stderr)
	addr := settingAddr
	addr.usage = "address of the server to ask (its serve -addr)"
	fs.stringVar(&c.Addr, addr)
	timeout := fs.Duration("timeout", 3*time.Second, "how long to wait for an answer")
	if err := fs.parse(args); err != nil {
		return usageError{err}
	}
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		// localhost alone had asked port 80; http://host:port, host http.
		return usageError{fmt.Errorf("-addr %q: want host:port or :port, as serve -addr takes", c.Addr)}
	}
	if *timeout <= 0 {
		return usageError{fmt.Errorf("-timeout %v: want a positive duration", *timeout)}
	}
	url := "http://" + dialAddr(c.Addr) + "/readyz"
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return usageError{fmt.Errorf("-addr %q: %w", c.Addr, err)}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("health: %w", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("health: %s answered %s: %s", url, resp.Status, body)
	}
	fmt.Fprintf(stdout, "%s", body)
	return nil
}

// dialAddr turns a listen address into one to connect to: ":8080" and
// "0.0.0.0:8080" mean this host.
func dialAddr(listen string) string {
	host, port, err := net.SplitHostPort(listen)
	if err != nil {
		return listen
	}
	switch host {
	case "", "0.0.0.0", "::":
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port)
}
