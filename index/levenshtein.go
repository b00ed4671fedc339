package index

import (
	"unicode/utf8"
)

// levenshtein is a Levenshtein automaton over UTF-8 bytes: it accepts the
// words within k edits of a word, for walking a dictionary FST (vellum's
// Automaton interface, which zap's AutomatonIterator takes). An edit is
// an insertion, deletion or substitution of a character, or a swap of two
// adjacent ones ("britian"), as in bleve's fuzzy dictionary: the optimal
// string alignment distance.
//
// vellum builds such an automaton as a complete DFA, 1 KB of transitions
// for each of its states, before the walk: for the typo look-up of one
// query word that was 90 kB of allocation and about 5% of a search's CPU
// on 108k articles, a third of all the bytes a search allocated. Here a
// state is made for each edge the walk follows, and only then: the row of
// the edit-distance table for the bytes so far (the classic dynamic
// programme, each cell capped at k+1), computed from its parent's row
// and, for a swap, its grandparent's. The walk follows each edge once, so
// there is nothing to share between states: no table, no hashing, rows
// appended to one slice.
type levenshtein struct {
	word  []rune
	k     uint8
	sizes uint8   // bit n set: the word has a character of n UTF-8 bytes (n > 1)
	n     int     // cells in a row: len(word)+1
	rows  []uint8 // state s's row is rows[s*n : (s+1)*n]
	state []levState
}

type levState struct {
	parent int32   // the state before the last character (for swaps), -1: none
	last   rune    // the last character read
	pend   [4]byte // bytes of a character not complete yet
	npend  uint8
}

// levDead is the state no word can leave: its row is all k+1.
const levDead = 0

// The automaton also refuses every word with a character whose UTF-8 size
// (2 to 4 bytes) none of its own word's characters has: an English or a
// Russian word's typos are not sought among Chinese words, whose bigrams
// are most of a multilingual vocabulary (443k of the CCTV corpus's words).
// Such a word can be within k edits only if it shares all but k of its
// characters with the word, mixing scripts. Before, a two-typo walk for an
// unknown English word followed every Chinese bigram to its end, as any two
// characters are two substitutions away from the word's first two: 37 ms of
// a suggestion on the news corpora.

// leadSize is the UTF-8 size of the character whose first byte is b (b >=
// 0xC0).
func leadSize(b byte) uint {
	switch {
	case b >= 0xF0:
		return 4
	case b >= 0xE0:
		return 3
	}
	return 2
}

func newLevenshtein(word string, k int) *levenshtein {
	w := []rune(word)
	l := &levenshtein{word: w, k: uint8(k), n: len(w) + 1}
	for _, r := range w {
		if n := utf8.RuneLen(r); n > 1 {
			l.sizes |= 1 << n
		}
	}
	dead := l.add(levState{parent: -1})
	for i := range dead {
		dead[i] = l.k + 1
	}
	start := l.add(levState{parent: -1, last: -1})
	for i := range start {
		start[i] = min(uint8(i), l.k+1)
	}
	return l
}

// add makes a state and returns its row, to be filled in.
func (l *levenshtein) add(st levState) []uint8 {
	l.state = append(l.state, st)
	l.rows = append(l.rows, make([]uint8, l.n)...)
	return l.rows[len(l.rows)-l.n:]
}

func (l *levenshtein) row(s int) []uint8 { return l.rows[s*l.n : (s+1)*l.n] }

// Start is the state before any byte.
func (l *levenshtein) Start() int { return 1 }

// IsMatch reports whether the bytes so far spell a word within k edits.
func (l *levenshtein) IsMatch(s int) bool {
	return s != levDead && l.state[s].npend == 0 && l.rows[(s+1)*l.n-1] <= l.k
}

// CanMatch reports whether some continuation can still match.
func (l *levenshtein) CanMatch(s int) bool { return s != levDead }

// WillAlwaysMatch is false: a word can always grow past k edits.
func (l *levenshtein) WillAlwaysMatch(int) bool { return false }

// Accept returns the state after byte b.
func (l *levenshtein) Accept(s int, b byte) int {
	if s == levDead {
		return levDead
	}
	st := l.state[s]
	if st.npend == 0 && b >= 0xC0 && l.sizes&(1<<leadSize(b)) == 0 {
		return levDead // another script (see leadSize)
	}
	if st.npend > 0 || b >= utf8.RuneSelf {
		st.pend[st.npend] = b
		st.npend++
		if !utf8.FullRune(st.pend[:st.npend]) {
			if st.npend == utf8.UTFMax {
				return levDead // not UTF-8; never a dictionary word
			}
			id := len(l.state)
			copy(l.add(st), l.row(s))
			return id
		}
		r, _ := utf8.DecodeRune(st.pend[:st.npend])
		return l.next(s, st.parent, st.last, r)
	}
	return l.next(s, st.parent, st.last, rune(b))
}

// next makes the state after character r from state s (whose own parent
// and last character are parent and last: for pending bytes, those of the
// state that began the character).
func (l *levenshtein) next(s int, parent int32, last, r rune) int {
	id := len(l.state)
	row := l.add(levState{parent: int32(s), last: r})
	prev := l.row(s)
	var before []uint8
	if parent >= 0 {
		before = l.row(int(parent))
	}
	row[0] = min(prev[0]+1, l.k+1)
	best := row[0]
	for j := 1; j < l.n; j++ {
		d := prev[j-1]
		if l.word[j-1] != r {
			d++
		}
		d = min(d, prev[j]+1, row[j-1]+1)
		// A swap: r and the character before it are the word's
		// (j-1)st and j-th the other way round.
		if before != nil && j >= 2 && l.word[j-2] == r && l.word[j-1] == last {
			d = min(d, before[j-2]+1)
		}
		row[j] = min(d, l.k+1)
		best = min(best, row[j])
	}
	if best > l.k {
		l.state = l.state[:id] // a dead end: forget the state
		l.rows = l.rows[:id*l.n]
		return levDead
	}
	return id
}

// editDistance is the optimal string alignment distance of a and b in
// characters: insertions, deletions, substitutions and swaps of adjacent
// characters, each counting one.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := d[i-1][j-1]
			if ra[i-1] != rb[j-1] {
				cost++
			}
			d[i][j] = min(cost, d[i-1][j]+1, d[i][j-1]+1)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}
