package index

import (
	"context"
	"slices"
	"strings"
	"unicode"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/index/scorch"
)

// Stop words inside quoted phrases. Stop words are not indexed: their
// places in a phrase are empty slots, which take any word, and "end of the
// year" found the 179 articles of the news corpora with end of this, last,
// next or fiscal year, against the 68 that write it; "Bank of England"
// found BANK NEW ENGLAND (the English audit). A quoted phrase with stop
// words between its words now remembers them (bm25PhraseQuery.stops), and
// phraseList checks, in each candidate's stored text, that one of its
// occurrences has those words between its indexed ones. Stop words at the
// phrase's ends are not checked: the analysis leaves them out of the
// phrase altogether ("The Who" is who).

// phraseStops returns, for the slots tokensToPhrase made of tokens (the
// analysis of text), the stop word each empty slot stands for, or nil when
// the phrase has none or they cannot be told: the words between two
// tokens of text must be as many as the empty slots between them.
func phraseStops(text string, tokens analysis.TokenStream, slots [][]string) []string {
	if len(tokens) == 0 {
		return nil
	}
	first, last := tokens[0].Position, tokens[0].Position
	for _, t := range tokens {
		if t.Type == analysis.Shingle || t.Start < 0 || t.End > len(text) || t.Start > t.End {
			return nil // a compound joined into one slot: slots no longer follow positions
		}
		first, last = min(first, t.Position), max(last, t.Position)
	}
	if last-first+1 != len(slots) {
		return nil
	}
	// Each position's extent in text; tokens at one position (a word's
	// variants) share it.
	starts, ends := make([]int, len(slots)), make([]int, len(slots))
	for i := range starts {
		starts[i] = -1
	}
	for _, t := range tokens {
		i := t.Position - first
		if starts[i] < 0 || t.Start < starts[i] {
			starts[i] = t.Start
		}
		ends[i] = max(ends[i], t.End)
	}
	stops := make([]string, len(slots))
	found := false
	for i := 0; i < len(slots); {
		j := i + 1
		for j < len(slots) && starts[j] < 0 {
			j++
		}
		if j == len(slots) {
			break
		}
		if gap := j - i - 1; gap > 0 {
			if starts[i] < 0 || ends[i] > starts[j] {
				return nil
			}
			words := lowerWords(text[ends[i]:starts[j]])
			if len(words) != gap {
				return nil
			}
			copy(stops[i+1:j], words)
			found = true
		}
		i = j
	}
	if !found {
		return nil
	}
	return stops
}

// lowerWords returns the words of s (runs of letters and digits) in lower
// case.
func lowerWords(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// codebookCtxKey is the context key of the codebook of the generation a
// search reads (withCodebook), which phraseList needs to read stored text.
type codebookCtxKey struct{}

func withCodebook(ctx context.Context, cb *codebook) context.Context {
	if cb == nil {
		return ctx
	}
	return context.WithValue(ctx, codebookCtxKey{}, cb)
}

func codebookFrom(ctx context.Context) *codebook {
	cb, _ := ctx.Value(codebookCtxKey{}).(*codebook)
	return cb
}

// phraseStarts returns the positions at which the phrase's slots are
// matched one after another, given each word's positions (ascending), for
// a phrase without compounds: an empty slot takes any position.
func phraseStarts(slots [][]int, pos [][]uint64) []uint64 {
	var out []uint64
	for _, w := range slots[0] {
	next:
		for _, p := range pos[w] {
			for s := 1; s < len(slots); s++ {
				if len(slots[s]) == 0 {
					continue
				}
				if !slices.ContainsFunc(slots[s], func(w int) bool {
					_, ok := slices.BinarySearch(pos[w], p+uint64(s))
					return ok
				}) {
					continue next
				}
			}
			out = append(out, p)
		}
	}
	slices.Sort(out) // a slot's alternatives may start at one position
	return slices.Compact(out)
}

// stopsAt reports whether text, the stored field, has stops's words
// between the indexed words of the phrase occurrence starting at one of
// starts: the words between the token at the last indexed slot before an
// empty one and the token at the first after it, in order.
func stopsAt(text string, starts []uint64, stops []string) bool {
	n := uint64(len(stops))
	input := []byte(text)
	from, to := make([]int, n), make([]int, n) // the occurrence's tokens' extents, by slot
	for _, p := range starts {
		if p == 0 || p > 1<<31 {
			continue
		}
		for i := range from {
			from[i] = -1
		}
		stemmedAnalyzer.eachSpan(input, int(p), func(start, end, pos int) int {
			if s := uint64(pos) - p; uint64(pos) >= p && s < n {
				if from[s] < 0 {
					from[s], to[s] = start, end
				}
			}
			if uint64(pos) >= p+n-1 {
				return 0
			}
			return pos + 1
		})
		if occurrenceHasStops(text, from, to, stops) {
			return true
		}
	}
	return false
}

// occurrenceHasStops checks the gaps of one occurrence, whose slots'
// tokens span text[from[s]:to[s]] (from -1: none found). A gap whose
// neighbours were not found is not held against the occurrence.
func occurrenceHasStops(text string, from, to []int, stops []string) bool {
	for s := 0; s < len(stops); s++ {
		if stops[s] == "" {
			continue
		}
		e := s
		for e < len(stops) && stops[e] != "" {
			e++
		}
		a, b := s-1, e // the indexed slots around the gap
		if a >= 0 && b < len(stops) && from[a] >= 0 && from[b] >= 0 && to[a] <= from[b] &&
			!slices.Equal(lowerWords(text[to[a]:from[b]]), stops[s:e]) {
			return false
		}
		s = e
	}
	return true
}

// storedHasStops reads field of document d of seg and checks an
// occurrence's stop words there (stopsAt). A document whose text cannot be
// read keeps its match.
func storedHasStops(cb *codebook, seg *scorch.SegmentSnapshot, d uint64, field string, starts []uint64, stops []string) bool {
	a, err := storedArticle(cb, seg, d)
	if err != nil {
		return true
	}
	text := a.Body
	if field == fieldTitle {
		text = a.Title
	}
	return stopsAt(text, starts, stops)
}
