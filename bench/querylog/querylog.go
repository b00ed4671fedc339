// Package querylog draws the benchmarks' query log: a fixed, deterministic
// list of distinct queries taken from a corpus's own text. bench/speed
// sends it over HTTP; index's BenchmarkSearchLog runs it in-process.
package querylog

import (
	"math/rand/v2"
	"regexp"
	"strings"
)

var wordRE = regexp.MustCompile(`[A-Za-z]{3,}`)

// commonWords are left out of the query log: a query of "the" says little
// about an engine.
var commonWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`the and for that with from said was were are has have had not but its this will
	would which they their been also mln pct dlrs reuter year last share shares company inc corp april march
	june may july new one two three than about into after over more other vs cts net loss profit`) {
		m[w] = true
	}
	return m
}()

// MinBody is the shortest article body Draw takes words from; callers
// pass only bodies longer than this.
const MinBody = 200

// Draw returns n distinct queries drawn with a fixed seed from bodies: one
// to three consecutive words of a random body, a fifth of the multi-word
// ones as quoted phrases. The same bodies give the same log.
func Draw(bodies []string, n int) []string {
	rng := rand.New(rand.NewPCG(1987, 21578))
	seen := map[string]bool{}
	var out []string
	for len(out) < n {
		words := wordRE.FindAllString(bodies[rng.IntN(len(bodies))], -1)
		if len(words) < 4 {
			continue
		}
		k := 1 + rng.IntN(3)
		i := rng.IntN(len(words) - k)
		parts := make([]string, 0, k)
		for _, w := range words[i : i+k] {
			if !commonWords[strings.ToLower(w)] {
				parts = append(parts, strings.ToLower(w))
			}
		}
		if len(parts) == 0 {
			continue
		}
		q := strings.Join(parts, " ")
		if len(parts) > 1 && rng.IntN(5) == 0 {
			q = `"` + q + `"`
		}
		if !seen[q] {
			seen[q] = true
			out = append(out, q)
		}
	}
	return out
}
