// Command gse is the smallest program that segments Chinese with
// github.com/go-ego/gse: it loads the dictionary, cuts one sentence and
// prints, as one JSON line, how long the load took and the memory after it.
// zhseg builds it with and without the embedded dictionary (-tags ne) to
// measure what gse adds to a binary, its start-up and its memory.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/go-ego/gse"
	"newsearch/bench/zhseg/tiny/rss"
)

func main() {
	dict := flag.String("dict", "", "comma-separated dictionary files; empty loads gse's embedded zh dictionary")
	flag.Parse()
	start := time.Now()
	var (
		seg gse.Segmenter
		err error
	)
	seg.SkipLog = true
	if *dict == "" {
		seg, err = gse.NewEmbed("zh")
	} else {
		err = seg.LoadDict(*dict)
	}
	load := time.Since(start)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	words := seg.Cut("中俄关系持续发展，共建一带一路倡议。", true)
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	runtime.KeepAlive(&seg) // the dictionary counts as live memory
	json.NewEncoder(os.Stdout).Encode(map[string]any{
		"load_ns":    load.Nanoseconds(),
		"rss_kb":     rss.KB(),
		"heap_bytes": ms.HeapAlloc,
		"words":      strings.Join(words, "/"),
	})
}
