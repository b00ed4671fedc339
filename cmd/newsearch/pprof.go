//go:build pprof

package main

// Built only with -tags pprof (bench/profiling builds, never the release
// binary): serves net/http/pprof on NEWSEARCH_PPROF_ADDR (e.g.
// 127.0.0.1:6060), a separate loopback listener, so profiles of the real
// server can be taken while a benchmark drives it.

import (
	"net/http"
	_ "net/http/pprof"
	"os"
)

func init() {
	if addr := os.Getenv("NEWSEARCH_PPROF_ADDR"); addr != "" {
		go http.ListenAndServe(addr, nil) // DefaultServeMux holds only pprof
	}
}
