package main

import (
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/go-ego/gse"
)

// gseAnalyzer is the words-only alternative to newsearch's bigrams: every
// run of Han characters is cut into dictionary words by gse (accurate mode
// with HMM for unknown words, jieba's default), one position per word, and
// a run boundary leaves a gap so that no phrase spans two runs. Text in
// other scripts is left out: only Han queries are measured here.
type gseAnalyzer struct{ seg *gse.Segmenter }

func (a gseAnalyzer) Analyze(input []byte) analysis.TokenStream {
	var ts analysis.TokenStream
	pos := 1
	for _, r := range hanRuns(input) {
		start := r[0]
		for _, w := range a.seg.Cut(string(input[r[0]:r[1]]), true) {
			end := start + len(w)
			ts = append(ts, &analysis.Token{Term: []byte(w), Start: start, End: end, Position: pos, Type: analysis.Ideographic})
			start = end
			pos++
		}
		pos++ // a gap between runs
	}
	return ts
}

// hanRuns returns the byte ranges [start, end) of the maximal runs of Han
// characters in b.
func hanRuns(b []byte) [][2]int {
	var runs [][2]int
	start := -1
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if unicode.Is(unicode.Han, r) {
			if start < 0 {
				start = i
			}
		} else if start >= 0 {
			runs = append(runs, [2]int{start, i})
			start = -1
		}
		i += n
	}
	if start >= 0 {
		runs = append(runs, [2]int{start, len(b)})
	}
	return runs
}

// boundaries returns the byte offsets in s at which a gse word starts or
// ends inside a Han run, as a set, shifted by base.
func boundaries(a gseAnalyzer, s string, base int, into map[int]bool) {
	for _, t := range a.Analyze([]byte(s)) {
		into[base+t.Start] = true
		into[base+t.End] = true
	}
}
