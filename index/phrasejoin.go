package index

import (
	"maps"
	"strings"
	"sync"

	"github.com/RoaringBitmap/roaring/v2"
)

// Compounds inside phrases.
//
// A compound of two ASCII words joined by a hyphen (Wi-Fi, e-mail,
// pre-tax) is indexed as its two words and also as the words joined
// (joinedWord), the joined word at the first word's position. A phrase
// that has the joined word ("email address") then missed the articles
// that write the compound with its hyphen: there the next word stands two
// positions after the joined word, not one. And a phrase typed with the
// hyphen ("e-mail address") missed those that write it joined.
//
// So a phrase lays a compound typed with its hyphen out as the joined
// word, one slot (joinCompounds), and a word of a phrase followed by
// another may stand for a compound written with its hyphen: when the
// compound's first word is at the joined word's position and its second
// word at the next, the phrase goes on one position later (compoundParts
// gives the words a joined word may be made of; phraseFreq and addPhrase
// walk both ways). The joined word with any other word after it is not
// the compound: "pretax operating profit" is no "pretax profit".
//
// Only phrases a reader quoted do this (bm25PhraseQuery.compounds): a
// phrase's words then cost a look-up of their parts' postings in each
// segment, and the positions of those parts some candidate has. bleve's
// own phrase searcher, which bm25PhraseQuery still uses to explain a
// score, does not.

// compoundPart is one way a joined word may be made of two: head at the
// joined word's position, tail at the next. An empty head or tail is a
// stop word, which the index leaves out: only the other is looked for.
type compoundPart struct{ head, tail string }

// compoundParts returns the ways w, a term, may be a compound's words
// joined: every cut of w into a head, its first bytes stemmed as the
// analyzer stems a word alone, and a tail, the rest. w's stem is taken to
// be the first word as written and the second word's stem (pretax: pre,
// tax; guidedmissil: guid, missil), as the stemmer only changes endings.
// Terms that joinable never joins (not lower-case ASCII letters and
// digits, too long, not starting with a letter) have none. The slice is
// shared: callers must not change it.
func compoundParts(w string) []compoundPart {
	partsCache.Lock()
	parts, ok := partsCache.m[w]
	partsCache.Unlock()
	if ok {
		return parts
	}
	parts = cutCompound(w)
	partsCache.Lock()
	if len(partsCache.m) >= maxCachedParts {
		clear(partsCache.m)
	}
	partsCache.m[w] = parts
	partsCache.Unlock()
	return parts
}

// partsCache keeps compoundParts' answers: a quoted phrase's words are
// cut and their heads stemmed on every search and every page's
// highlighting. Bounded, since the words come from queries.
var partsCache = struct {
	sync.Mutex
	m map[string][]compoundPart
}{m: map[string][]compoundPart{}}

const maxCachedParts = 4096

// unlessStop is w, or "" for a stop word, which the index leaves out.
func unlessStop(w string) string {
	if englishStop([]byte(w)) {
		return ""
	}
	return w
}

// cutCompound is compoundParts without the cache.
func cutCompound(w string) []compoundPart {
	if len(w) < 2 || len(w) > maxJoinedBytes || !isASCIILetter(w[0]) {
		return nil
	}
	if head, tail, ok := strings.Cut(w, "&"); ok {
		// A name of letters joined by an ampersand (at&t) is cut there
		// only; its letters are no stems.
		if !allASCIILetters([]byte(head)) || !allASCIILetters([]byte(tail)) {
			return nil
		}
		if head, tail = unlessStop(head), unlessStop(tail); head == "" && tail == "" {
			return nil
		}
		return []compoundPart{{head, tail}}
	}
	for i := range len(w) {
		if !isASCIIAlnum(w[i]) || w[i] >= 'A' && w[i] <= 'Z' {
			return nil
		}
	}
	var parts []compoundPart
	for k := 1; k < len(w); k++ {
		head, tail := unlessStop(w[:k]), unlessStop(w[k:])
		if head != "" {
			head = stemTerm(head)
		} else if tail == "" {
			continue
		}
		parts = append(parts, compoundPart{head, tail})
	}
	return parts
}

// joinCompounds returns slots, the phrase tokensToPhrase laid out, with
// each compound typed with its hyphen as one slot of its joined word: the
// slot where joined holds a word, and the next, become that word alone.
// joined is per slot, the joined word found there ("": none).
func joinCompounds(slots [][]string, joined []string) [][]string {
	out := slots[:0]
	for s := 0; s < len(slots); s++ {
		if joined[s] != "" && s+1 < len(slots) {
			out = append(out, []string{joined[s]})
			s++ // the compound's second word
			continue
		}
		out = append(out, slots[s])
	}
	return out
}

// wordPart is a compoundPart by word index in a phrase's words; -1 is a
// stop word.
type wordPart struct{ head, tail int }

// wordParts returns, per word of *words, the parts (compoundParts) of
// the words of every slot but the last, adding their heads and tails to
// *words (index maps a word to its index there). A last slot's word has
// nothing after it to shift.
func wordParts(slots [][]int, words *[]string, index map[string]int) [][]wordPart {
	idx := func(t string) int {
		if t == "" {
			return -1
		}
		i, ok := index[t]
		if !ok {
			i = len(*words)
			index[t] = i
			*words = append(*words, t)
		}
		return i
	}
	byWord := map[int][]wordPart{}
	for _, slot := range slots[:max(0, len(slots)-1)] {
		for _, w := range slot {
			if _, done := byWord[w]; done {
				continue
			}
			var ps []wordPart
			for _, cp := range compoundParts((*words)[w]) {
				ps = append(ps, wordPart{idx(cp.head), idx(cp.tail)})
			}
			byWord[w] = ps
		}
	}
	parts := make([][]wordPart, len(*words))
	for w, ps := range byWord {
		parts[w] = ps
	}
	return parts
}

// liveParts sets live, per word, to its parts (wordParts) that some
// candidate document of seg has with the word itself, and need to the
// words a walk reads there: the first slotWords, and those parts' heads
// and tails. Other parts cannot match in seg.
func liveParts(seg *segmentSet, field string, words []string, slotWords int, cands *roaring.Bitmap, parts, live [][]wordPart, need []bool) error {
	for i := range need {
		need[i] = i < slotWords
		live[i] = live[i][:0]
	}
	for w, ps := range parts {
		if len(ps) == 0 {
			continue
		}
		wb, err := seg.postings(field, words[w])
		if err != nil {
			return err
		}
		if !cands.Intersects(wb) {
			continue
		}
		// A part some candidate with the word has both words of, or
		// whose words some candidates have: enough to leave most out,
		// without a bitmap made per part.
		for _, p := range ps {
			ok := true
			for _, i := range []int{p.head, p.tail} {
				if i < 0 || !ok {
					continue
				}
				pb, err := seg.postings(field, words[i])
				if err != nil {
					return err
				}
				ok = cands.Intersects(pb) && wb.Intersects(pb)
			}
			if !ok {
				continue
			}
			live[w] = append(live[w], p)
			for _, i := range []int{p.head, p.tail} {
				if i >= 0 {
					need[i] = true
				}
			}
		}
	}
	return nil
}

// markPart records that phraseList read word, a compound's part, for q.
func (q *bm25PhraseQuery) markPart(word string) {
	q.partsMu.Lock()
	defer q.partsMu.Unlock()
	if q.parts == nil {
		q.parts = map[string]bool{}
	}
	q.parts[word] = true
}

// partWords returns the compound parts phraseList read for q, for
// highlighting: a part outside it has no candidate with the phrase's
// word and cannot match.
func (q *bm25PhraseQuery) partWords() map[string]bool {
	q.partsMu.Lock()
	defer q.partsMu.Unlock()
	return maps.Clone(q.parts)
}
