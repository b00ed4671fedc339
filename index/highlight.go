package index

import (
	"cmp"
	"math"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"

	"github.com/blevesearch/bleve/v2/search"
)

// We build snippets ourselves instead of using bleve's highlighter: bleve
// returns one fragment per field of a fixed length, while the API promises
// several fragments of a chosen size in runes, whole-word boundaries, and
// match offsets in UTF-8 and UTF-16.

// span is one match in a stored field: byte offsets and the indexed term
// that matched (to prefer fragments with different terms).
type span struct {
	start, end int
	term       string
}

// spansOf turns bleve's term locations for one field into sorted,
// non-overlapping spans that lie inside text, the field's text as it was
// indexed. The index keeps a location's position but not its byte offsets
// (sizedText): the spans are the tokens at those positions, found by
// segmenting text again as the analyzer did (eachSpan), up to the last
// position wanted.
func spansOf(tl search.TermLocationMap, text string) []span {
	if len(tl) == 0 {
		return nil
	}
	f := spanFinders.Get().(*spanFinder)
	for term, locs := range tl {
		for _, l := range locs {
			f.wants = append(f.wants, wantedPos{l.Pos, term})
		}
	}
	slices.SortFunc(f.wants, func(a, b wantedPos) int { return cmp.Compare(a.pos, b.pos) })
	f.out = make([]span, 0, len(f.wants))
	// eachSpan only reads its input: the text's bytes need no copy.
	if first := max(f.wants[0].pos, 1); first <= math.MaxInt32 {
		stemmedAnalyzer.eachSpan(unsafe.Slice(unsafe.StringData(text), len(text)), int(first), f.at)
	}
	out := f.out
	input := unsafe.Slice(unsafe.StringData(text), len(text))
	for i, sp := range out {
		// A compound matched as its words joined (joinedWord) has the
		// span of its first word: mark the whole of Wi-Fi for wifi.
		if next := joinable(input, sp.start, sp.end-sp.start); next > 0 &&
			stemTerm(foldTerm(text[sp.start:sp.end]+text[sp.end+1:next])) == sp.term {
			out[i].end = next
		}
		// A character after a number matched alone (⊕年 of 2024年底) is
		// that character, not the bigram it starts.
		if c, ok := strings.CutPrefix(sp.term, numberUnitMark); ok {
			out[i].end = sp.start + len(c)
			continue
		}
		if c, ok := strings.CutPrefix(sp.term, numberBeforeMark); ok {
			out[i].end = sp.start + len(c) // 约 of 数约2万
			continue
		}
		// And all of AT&T (or S/P, S and P) for at&t, of C++ for c++.
		if name := wholeNameAt(input, sp.start, sp.end-sp.start); name.next > 0 && string(name.term(input, sp.start)) == sp.term {
			out[i].end = name.next
		}
	}
	clear(f.wants) // the terms: do not keep them alive in the pool
	f.wants, f.next, f.out = f.wants[:0], 0, nil
	spanFinders.Put(f)
	slices.SortFunc(out, func(a, b span) int {
		return cmp.Or(cmp.Compare(a.start, b.start), cmp.Compare(b.end, a.end))
	})
	// Merge overlaps (a CJK bigram overlaps its neighbours: 中俄 and 俄关).
	merged := out[:0]
	for _, s := range out {
		if n := len(merged); n > 0 && s.start < merged[n-1].end {
			merged[n-1].end = max(merged[n-1].end, s.end)
			continue
		}
		merged = append(merged, s)
	}
	return merged
}

// wantedPos is a location spansOf looks for: a position and its term.
type wantedPos struct {
	pos  uint64
	term string
}

// spanFinder is spansOf's state while eachSpan walks a text: the wanted
// positions in order, the next one, the spans found. They are pooled with
// their callback, made once: eachSpan's callback escapes, and a closure
// per call cost four allocations per field of a hit.
type spanFinder struct {
	wants []wantedPos
	next  int
	out   []span
	at    func(start, end, pos int) int
}

var spanFinders = sync.Pool{New: func() any {
	f := new(spanFinder)
	f.at = f.visit
	return f
}}

// visit takes the token at pos and returns the next position wanted, 0
// when none is.
func (f *spanFinder) visit(start, end, pos int) int {
	for f.next < len(f.wants) && f.wants[f.next].pos < uint64(pos) {
		f.next++ // no token there: not this text's location
	}
	for ; f.next < len(f.wants) && f.wants[f.next].pos == uint64(pos); f.next++ {
		f.out = append(f.out, span{start, end, f.wants[f.next].term})
	}
	if f.next == len(f.wants) || f.wants[f.next].pos > math.MaxInt32 {
		return 0
	}
	return int(f.wants[f.next].pos)
}

// markAll returns text HTML-escaped with every span wrapped in <mark>.
func markAll(text string, spans []span) string {
	var b strings.Builder
	b.Grow(len(text) + len(spans)*13)
	writeMarked(&b, text, 0, len(text), spans, writeEscaped)
	return b.String()
}

// writeMarked writes text[from:to] with escape, marking the spans that
// lie entirely inside it. A match that touches the previous one, as
// Chinese words written together do, goes into the same mark, since
// marks side by side look like words with a space between.
func writeMarked(b *strings.Builder, text string, from, to int, spans []span, escape func(*strings.Builder, string)) {
	pos, open := from, false
	for _, s := range spans {
		if s.start < from || s.end > to {
			continue
		}
		if !open || s.start > pos {
			if open {
				b.WriteString("</mark>")
			}
			escape(b, text[pos:s.start])
			b.WriteString("<mark>")
			open = true
		}
		escape(b, text[s.start:s.end])
		pos = s.end
	}
	if open {
		b.WriteString("</mark>")
	}
	escape(b, text[pos:to])
}

// writeEscaped writes s with the five HTML-special characters escaped and
// runs of line breaks folded into one space, so a fragment is one line.
func writeEscaped(b *strings.Builder, s string) {
	last := 0
	for i := 0; i < len(s); i++ {
		var rep string
		switch s[i] {
		case '<':
			rep = "&lt;"
		case '>':
			rep = "&gt;"
		case '&':
			rep = "&amp;"
		case '"':
			rep = "&#34;"
		case '\'':
			rep = "&#39;"
		case '\n', '\r':
			rep = " "
			if i > 0 && (s[i-1] == '\n' || s[i-1] == '\r') {
				rep = ""
			}
		default:
			continue
		}
		b.WriteString(s[last:i])
		b.WriteString(rep)
		last = i + 1
	}
	b.WriteString(s[last:])
}

// fragments picks up to n windows of about size runes from text that
// together cover the most distinct matched terms, then the most matches,
// and returns them in text order as HTML: each window in turn is the one
// with the most terms the windows before it do not show, then the most
// distinct terms, then the most matches. With no spans it returns the
// start of the text, so every hit has a snippet.
func fragments(text string, spans []span, n, size int) []string {
	if text == "" || n <= 0 {
		return []string{}
	}
	var picked []window
	const maxCandidates = 512
	used := make([]bool, len(spans))
	// Each match's window is the same in every round: find it once.
	around := make([]window, min(len(spans), maxCandidates))
	var seen []string  // the distinct terms of a candidate window
	var shown []string // the distinct terms of the windows picked
	for len(picked) < n {
		best := window{start: -1}
		for i := 0; i < len(spans) && i < maxCandidates; i++ {
			if used[i] {
				continue
			}
			if around[i].end == 0 {
				around[i].start, around[i].end = windowAround(text, spans[i].start, size)
			}
			w := window{start: around[i].start, end: around[i].end}
			if overlapsAny(w.start, w.end, picked) {
				// Fit the match's window into the gap between the
				// windows picked around it, rather than lose the
				// match: it may be the only one of its term.
				var ok bool
				if w.start, w.end, ok = fitInGap(text, spans[i], w.start, w.end, size, picked); !ok {
					continue
				}
			}
			seen = seen[:0]
			for j := i; j < len(spans) && spans[j].start < w.end; j++ {
				if used[j] || spans[j].end > w.end || spans[j].start < w.start {
					continue
				}
				w.count++
				if !contains(seen, spans[j].term) {
					seen = append(seen, spans[j].term)
				}
			}
			w.terms = len(seen)
			for _, t := range seen {
				if !contains(shown, t) {
					w.fresh++
				}
			}
			if best.start < 0 || cmp.Or(cmp.Compare(w.fresh, best.fresh), cmp.Compare(w.terms, best.terms), cmp.Compare(w.count, best.count)) > 0 {
				best = w
			}
		}
		if best.start < 0 {
			break
		}
		picked = append(picked, best)
		for j := range spans {
			if spans[j].start >= best.start && spans[j].end <= best.end {
				used[j] = true
				if !contains(shown, spans[j].term) {
					shown = append(shown, spans[j].term)
				}
			}
		}
	}
	if len(picked) == 0 {
		start, end := 0, advanceRunes(text, 0, size)
		end = snapEnd(text, start, end)
		picked = append(picked, window{start: start, end: end})
	}
	slices.SortFunc(picked, func(a, b window) int { return cmp.Compare(a.start, b.start) })
	out := make([]string, len(picked))
	for i, w := range picked {
		var b strings.Builder
		b.Grow(w.end - w.start + 2*len("…") + w.count*len("<mark></mark>") + 16)
		if w.start > 0 {
			b.WriteString("…")
		}
		writeMarked(&b, text, w.start, w.end, spans, writeEscaped)
		if w.end < len(text) {
			b.WriteString("…")
		}
		out[i] = strings.TrimSpace(b.String())
	}
	return out
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// window is a candidate fragment: its bytes, its distinct matched terms,
// those of them no window picked before shows (fresh), and its matches.
type window struct{ start, end, terms, fresh, count int }

func overlapsAny(start, end int, ws []window) bool {
	for _, w := range ws {
		if start < w.end && w.start < end {
			return true
		}
	}
	return false
}

// fitInGap narrows the window [start, end) around the match m to the gap
// between the picked windows before and after m, and reports whether m
// fits there. A window cut at its start runs on from there, up to size
// runes and the next picked window, so the two fragments read as one
// text split in two.
func fitInGap(text string, m span, start, end, size int, picked []window) (int, int, bool) {
	lo, hi := 0, len(text)
	for _, w := range picked {
		switch {
		case w.end <= m.start:
			lo = max(lo, w.end)
		case w.start >= m.end:
			hi = min(hi, w.start)
		default:
			return 0, 0, false // m is in a picked window, or straddles one
		}
	}
	if start < lo {
		start = skipSpace(text, wordStart(text, lo, m.start))
		end = snapEnd(text, m.end, advanceRunes(text, start, size))
	}
	if end > hi {
		end = trimSpaceEnd(text, m.end, hi)
	}
	return start, end, start <= m.start && m.end <= end
}

// windowAround returns a window of about size runes that contains the match
// at byte offset at. It starts up to a quarter of the window before the
// match, at the earliest sentence start in that stretch or else at a word
// start; near the end of the text it starts earlier so the window stays
// full.
func windowAround(text string, at, size int) (int, int) {
	floor := backRunes(text, at, size/4)
	start := -1
	if stretch := text[floor:at]; strings.IndexByte(stretch, 0xE3) < 0 && strings.IndexByte(stretch, 0xEF) < 0 {
		// No 。！？ (their first bytes), as in most text: the plain test.
		// (One loop with a flag for the Chinese test measured 15-25%
		// slower on English snippets: BenchmarkHighlight.)
		for i := floor; i <= at; i++ {
			if isSentenceStart(text, i) {
				start = i
				break
			}
		}
	} else {
		for i := floor; i <= at; i++ {
			if isSentenceStart(text, i) || afterCJKStop(text, i) {
				start = i
				break
			}
		}
	}
	if start < 0 {
		start = wordStart(text, floor, at)
	}
	end := advanceRunes(text, start, size)
	if end == len(text) {
		// Fill the window backwards, then snap to a word start again.
		if s := backRunes(text, len(text), size); s < start {
			start = wordStart(text, s, start)
		}
	}
	start = skipSpace(text, start)
	return start, snapEnd(text, at, end)
}

// backRunes returns the byte offset n runes before from (or 0). Stored
// text is valid UTF-8 (prepare.go), so a character starts at the first
// byte before from that is not a continuation byte: no decoding, which was
// most of a Chinese snippet's time.
func backRunes(text string, from, n int) int {
	i := from
	for k := 0; k < n && i > 0; k++ {
		i--
		for i > 0 && text[i]&0xC0 == 0x80 {
			i--
		}
	}
	return i
}

// wordStart returns the first word start at or after from, but not after
// limit; from itself when it is 0 or already at one.
func wordStart(text string, from, limit int) int {
	if from == 0 || isSentenceStart(text, from) || afterCJKStop(text, from) {
		return from
	}
	if r, _ := utf8.DecodeLastRuneInString(text[:from]); unicode.IsSpace(r) {
		return from
	}
	for i := from; i < limit; {
		r, w := utf8.DecodeRuneInString(text[i:])
		i += w
		if unicode.IsSpace(r) {
			return i
		}
	}
	return from
}

// skipSpace moves i past white space.
func skipSpace(text string, i int) int {
	for i < len(text) {
		r, w := utf8.DecodeRuneInString(text[i:])
		if !unicode.IsSpace(r) {
			break
		}
		i += w
	}
	return i
}

// cjkClosers are the closing quotation marks that may follow a Chinese
// or Japanese sentence's final mark.
var cjkClosers = []string{"”", "」", "』"}

// isSentenceStart reports whether a sentence or paragraph starts at i:
// after a line break, or after ". ", "! " or "? ". It is asked at every
// byte of a window's stretch and stays small enough to inline; its callers
// ask afterCJKStop too.
func isSentenceStart(text string, i int) bool {
	if i == 0 || text[i-1] == '\n' {
		return true
	}
	if i < 2 || text[i-1] != ' ' {
		return false
	}
	switch text[i-2] {
	case '.', '!', '?':
		return true
	}
	return false
}

// afterCJKStop (i > 0) reports whether text[:i] ends with 。, ！ or ？ (no space
// follows them), maybe closed by a quotation mark (。” 。」), and text[i:]
// does not start with one.
func afterCJKStop(text string, i int) bool {
	// The last bytes of 。！？ and of the closing marks: nothing else needs
	// a closer look (windowAround asks at every byte).
	switch text[i-1] {
	case 0x82, 0x81, 0x9F, 0x9D, 0x8D, 0x8F:
	default:
		return false
	}
	before, after := text[:i], text[i:]
	for _, q := range cjkClosers {
		if strings.HasPrefix(after, q) {
			return false // the quotation closes the sentence first
		}
		if strings.HasSuffix(before, q) {
			before = before[:len(before)-len(q)]
			break
		}
	}
	return strings.HasSuffix(before, "。") || strings.HasSuffix(before, "！") || strings.HasSuffix(before, "？")
}

// advanceRunes returns the byte offset n runes after from (or len(text)):
// each character's size is read off its first byte, as in backRunes.
func advanceRunes(text string, from, n int) int {
	i := from
	for k := 0; k < n && i < len(text); k++ {
		i++
		for i < len(text) && text[i]&0xC0 == 0x80 {
			i++
		}
	}
	return i
}

// snapEnd moves end back to the end of a word when it falls inside one, by
// at most a few runes and never before floor.
func snapEnd(text string, floor, end int) int {
	if end >= len(text) {
		return len(text)
	}
	for i, k := end, 0; i > floor && k < 24; k++ {
		r, w := utf8.DecodeLastRuneInString(text[:i])
		if unicode.IsSpace(r) {
			return trimSpaceEnd(text, floor, i-w)
		}
		if unicode.Is(unicode.Han, r) {
			return end // no spaces between Chinese words: cut anywhere
		}
		i -= w
	}
	return end
}

// trimSpaceEnd moves end back over white space, never before floor, so
// that a fragment cut at a paragraph break does not end in a blank.
func trimSpaceEnd(text string, floor, end int) int {
	for end > floor {
		r, w := utf8.DecodeLastRuneInString(text[:end])
		if !unicode.IsSpace(r) {
			break
		}
		end -= w
	}
	return end
}

// utf16Spans reports spans with UTF-16 offsets added, in one pass over text.
func utf16Spans(text string, spans []span) []Span {
	out := make([]Span, 0, min(len(spans), maxMatches))
	pos, pos16 := 0, 0
	advance := func(to int) int {
		for pos < to {
			if text[pos] < utf8.RuneSelf { // ASCII: one byte, one UTF-16 unit
				pos++
				pos16++
				continue
			}
			r, w := utf8.DecodeRuneInString(text[pos:])
			pos += w
			pos16 += max(1, utf16.RuneLen(r))
		}
		return pos16
	}
	for _, s := range spans {
		if len(out) == maxMatches {
			break
		}
		s16 := advance(s.start)
		e16 := advance(s.end)
		out = append(out, Span{Start: s.start, End: s.end, Start16: s16, End16: e16})
	}
	return out
}
