package index

import (
	"slices"
	"unsafe"

	bleveindex "github.com/blevesearch/bleve_index_api"
)

// Token frequencies straight from the analyzer.
//
// bleve indexes a text field by analysing it into a token stream, one
// token and one location per word, and counting the stream into a map of
// terms (analysis.TokenFrequency); sizedText then packed each term's
// locations into one (packPositions). In a build of the 108k Reuters
// articles those tokens, locations and their slices were 45% of all the
// bytes allocated (pprof, alloc_space), and counting them 5.6% of the CPU.
//
// frequencies builds the packed map as the analyzer finds the words: a
// term seen again costs a map look-up and a (term, position) pair in a
// scratch buffer, and its stem in the analyzer's arena is given back
// (stream.emit). The result is what packPositions(TokenFrequency(Analyze))
// gives; FuzzAnalyze holds the two to each other.

// termState is one term of a field being counted. tf must stay its first
// field: the map holds &tf, and a look-up finds the state from it.
type termState struct {
	tf   bleveindex.TokenFreq
	loc  bleveindex.TokenLocation
	locs [1]*bleveindex.TokenLocation
	last int // the last distinct position seen
	n    int // distinct positions
	off  int // of the term's array positions in the field's slab
}

// termPos is one token: its term and position.
type termPos struct {
	st  *termState
	pos int
}

// freqBuilder counts the tokens of one field into packed token
// frequencies.
type freqBuilder struct {
	freqs  bleveindex.TokenFrequencies
	states []termState // free states; allocated in chunks
	chunks [][]termState
	tokens []termPos // every token so far, in the order found
	length int       // tokens counted, once finished
	// marks counts the tokens at positions of their own that are no
	// word of the text (numberBeforeMark), left out of length.
	marks int
}

// newFreqBuilder returns a builder for a field of n input bytes.
func newFreqBuilder(n int) *freqBuilder {
	return &freqBuilder{freqs: make(bleveindex.TokenFrequencies, n/12+1)}
}

// add counts one token of term at pos, and reports whether term is new: a
// new term is kept (the map and its TokenFreq alias it), a known one is
// not, so the caller may reuse its bytes.
func (b *freqBuilder) add(term []byte, pos int) bool {
	if tf := b.freqs[string(term)]; tf != nil {
		st := (*termState)(unsafe.Pointer(tf))
		tf.SetFrequency(tf.Frequency() + 1)
		b.tokens = append(b.tokens, termPos{st, pos})
		return false
	}
	if len(b.states) == 0 {
		b.states = make([]termState, max(16, len(b.freqs)/2))
		b.chunks = append(b.chunks, b.states)
	}
	st := &b.states[0]
	b.states = b.states[1:]
	st.tf.Term = term
	st.tf.SetFrequency(1)
	st.locs[0] = &st.loc
	st.tf.Locations = st.locs[:]
	// The term's bytes are never written again: they are the input's or
	// the stream's arena's, which only grows.
	b.freqs[unsafe.String(unsafe.SliceData(term), len(term))] = &st.tf
	b.tokens = append(b.tokens, termPos{st, pos})
	return true
}

// again counts one more token, at pos, of the term of token i, which
// add counted: the word cache's way to a term without add's look-up
// (scriptAnalyzer.word).
func (b *freqBuilder) again(i, pos int) {
	st := b.tokens[i].st
	st.tf.SetFrequency(st.tf.Frequency() + 1)
	b.tokens = append(b.tokens, termPos{st, pos})
}

// finish packs each term's positions into its one location (see
// packPositions: the first position, then the gaps to the next distinct
// ones as start, end and array positions) and keeps the frequencies and
// the number of positions in b. It clears b.tokens for reuse.
func (b *freqBuilder) finish() {
	toks := b.tokens
	if !slices.IsSortedFunc(toks, func(x, y termPos) int { return x.pos - y.pos }) {
		slices.SortStableFunc(toks, func(x, y termPos) int { return x.pos - y.pos })
	}
	for _, t := range toks {
		if st := t.st; st.n == 0 {
			st.n, st.last = 1, t.pos
		} else if t.pos > st.last {
			st.n++
			st.last = t.pos
		}
	}
	rest := 0
	b.each(func(st *termState) {
		if st.n > 3 {
			st.off = rest
			rest += st.n - 3
		}
		st.n = 0
	})
	var slab []uint64
	if rest > 0 {
		slab = make([]uint64, rest)
	}
	for _, t := range toks {
		st := t.st
		if st.n == 0 {
			st.n, st.last = 1, t.pos
			st.loc.Position = t.pos
			continue
		}
		if t.pos <= st.last {
			continue
		}
		switch gap := t.pos - st.last; st.n {
		case 1:
			st.loc.Start = gap
		case 2:
			st.loc.End = gap
		default:
			slab[st.off+st.n-3] = uint64(gap)
		}
		st.n++
		st.last = t.pos
	}
	if rest > 0 {
		b.each(func(st *termState) {
			if st.n > 3 {
				st.loc.ArrayPositions = slab[st.off : st.off+st.n-3 : st.off+st.n-3]
			}
		})
	}
	// The field's length counts positions, not tokens: a variant at a
	// word's position (a surname's second stem, a cased name, an
	// acronym's lower case) is no longer text, as Lucene's BM25 discounts
	// overlapping tokens. Counted, Си's cased term had made Путин
	// встретился с Си Цзиньпином a longer title than it is.
	b.length = -b.marks
	for i, t := range toks {
		if i == 0 || t.pos != toks[i-1].pos {
			b.length++
		}
	}
	b.marks = 0
	clear(toks)
	b.tokens = toks[:0]
}

// each calls f with every term's state.
func (b *freqBuilder) each(f func(st *termState)) {
	for i, c := range b.chunks {
		if i == len(b.chunks)-1 {
			c = c[:len(c)-len(b.states)]
		}
		for j := range c {
			f(&c[j])
		}
	}
}
