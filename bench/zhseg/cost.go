package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// cost builds tiny/bigram and tiny/gse (embedded dictionary, and with
// -tags ne reading the dictionary files from disk) the way the container
// build does, and runs each several times: binary size, wall time from exec
// to exit, the dictionary load inside main, RSS and live heap after it.
func cost(w io.Writer, logf func(string, ...any), runs int) error {
	dir, err := os.MkdirTemp("", "zhseg-bin-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	gseDir, err := output("go", "list", "-m", "-f", "{{.Dir}}", "github.com/go-ego/gse")
	if err != nil {
		return err
	}
	zhDict := filepath.Join(gseDir, "data/dict/zh")
	dictFiles := filepath.Join(zhDict, "s_1.txt") + ", " + filepath.Join(zhDict, "t_1.txt")
	dictSize := fileSize(filepath.Join(zhDict, "s_1.txt")) + fileSize(filepath.Join(zhDict, "t_1.txt"))

	progs := []struct {
		name, pkg, tags string
		args            []string
		note            string
	}{
		{"bigram (baseline)", "./tiny/bigram", "", nil, ""},
		{"gse, embedded dictionary", "./tiny/gse", "", nil, "gse.NewEmbed(\"zh\")"},
		{"gse -tags ne, dictionary from disk", "./tiny/gse", "ne", []string{"-dict", dictFiles}, fmt.Sprintf("+ %.1f MB of dictionary files to ship", mb(int(dictSize)))},
	}
	fmt.Fprintf(w, "\n## Cost (CGO_ENABLED=0 go build -trimpath -ldflags \"-s -w\"; median of %d runs)\n\n", runs)
	fmt.Fprintf(w, "| program | binary | exec→exit | dictionary load in main | VmRSS after load | live heap | note |\n|---|---:|---:|---:|---:|---:|---|\n")
	for i, p := range progs {
		bin := filepath.Join(dir, fmt.Sprintf("p%d", i))
		args := []string{"build", "-trimpath", "-ldflags", "-s -w", "-o", bin}
		if p.tags != "" {
			args = append(args, "-tags", p.tags)
		}
		if _, err := outputEnv([]string{"CGO_ENABLED=0"}, "go", append(args, p.pkg)...); err != nil {
			return err
		}
		var walls, loads, rss, heap []float64
		for range runs {
			start := time.Now()
			out, err := output(bin, p.args...)
			wall := time.Since(start)
			if err != nil {
				return err
			}
			var r struct {
				LoadNS    int64 `json:"load_ns"`
				RSSKB     int   `json:"rss_kb"`
				HeapBytes int64 `json:"heap_bytes"`
				Words     string
			}
			if err := json.Unmarshal([]byte(out), &r); err != nil {
				return fmt.Errorf("%s: %w: %q", p.name, err, out)
			}
			walls = append(walls, wall.Seconds())
			loads = append(loads, float64(r.LoadNS)/1e9)
			rss = append(rss, float64(r.RSSKB)/1024)
			heap = append(heap, float64(r.HeapBytes)/(1<<20))
			logf("%s: %s (%s)", p.name, wall.Round(time.Millisecond), r.Words)
		}
		fmt.Fprintf(w, "| %s | %.1f MB | %.3f s | %.3f s | %.0f MiB | %.0f MiB | %s |\n",
			p.name, mb(int(fileSize(bin))), median(walls), median(loads), median(rss), median(heap), p.note)
	}
	return nil
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}

func fileSize(path string) int64 {
	fi, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return fi.Size()
}

func output(name string, args ...string) (string, error) { return outputEnv(nil, name, args...) }

func outputEnv(env []string, name string, args ...string) (string, error) {
	cmd := exec.Command(name, args...)
	cmd.Env = append(os.Environ(), env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("%s %s: %w: %s", name, strings.Join(args, " "), err, stderr.String())
	}
	return strings.TrimSpace(string(out)), nil
}
