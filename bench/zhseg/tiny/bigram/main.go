// Command bigram is the baseline of tiny/gse: the same program shape
// (flags, JSON output, one sentence cut) with overlapping character bigrams
// instead of a dictionary, so the difference in binary size, start-up and
// memory is what gse costs.
package main

import (
	"encoding/json"
	"flag"
	"os"
	"runtime"
	"strings"
	"time"

	"newsearch/bench/zhseg/tiny/rss"
)

func main() {
	flag.Parse()
	start := time.Now()
	runes := []rune("中俄关系持续发展，共建一带一路倡议。")
	var words []string
	for i := 0; i+1 < len(runes); i++ {
		words = append(words, string(runes[i:i+2]))
	}
	load := time.Since(start)
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	json.NewEncoder(os.Stdout).Encode(map[string]any{
		"load_ns":    load.Nanoseconds(),
		"rss_kb":     rss.KB(),
		"heap_bytes": ms.HeapAlloc,
		"words":      strings.Join(words, "/"),
	})
}
