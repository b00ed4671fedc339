package index

import (
	"bytes"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
)

// Acronyms. The index folds case, so WHO was who, IT the stop word it,
// AIDS Porter's aid and ОПЕК Snowball's опек, the stem of опека
// (guardianship): a search for WHO put miners "who were trapped" first, and
// one for ОПЕК an article on child guardianship. So a word of 2 to
// maxAcronymRunes capital letters (dots between them allowed, as in U.S.,
// and a possessive 's after them), written in text that is not itself in
// capitals, is also indexed as its capitals (WHO, US, ОПЕК), at the word's
// position. No other term has capitals, so those match only acronyms. A
// word typed in capitals that is an acronym of the name table, or that
// the articles write as one often enough (minAcronymShare), searches that
// term, and its ordinary stem as a lesser alternative (acronymWordWeight)
// unless the stem is a stop word (IT) or an ordinary word (wordAcronyms:
// US, WHO), or the acronym is in Cyrillic (acronymOnly: СВО, not свой);
// see expander.acronym and termQuery.
//
// Text in capitals is no evidence: Reuters writes every title so ("NORANDA
// REVISES NUMBER OF MINERS WHO WERE TRAPPED"). A word counts as an
// acronym only when the text around it (acronymContext bytes on either
// side) has more lower-case letters than capitals, or when dots part its
// letters (U.S., U.K.), which no word of capitals has: "U.K. MONEY MARKET
// GIVEN FURTHER HELP" is the United Kingdom's. Typed in a query, U.S. is
// US (undottedAcronym), with the name table's spellings.

// acronymContext is how many bytes on either side of a word in capitals
// mixedCaseAround weighs the case of.
const acronymContext = 16

// acronymWordWeight weighs the ordinary stem of a word typed in capitals
// against its acronym term: an article with the pronoun who comes after
// those with WHO, and after those with its other spellings (ВОЗ, 世卫组织,
// weightName), but it still comes.
const acronymWordWeight = 0.1

// minAcronymShare is the least share of the articles with a word's stem
// that must have its acronym term for the word typed in capitals to be
// searched as that acronym. On the news corpora US is an acronym in 65% of
// the articles with us, GDP in 33%, AIDS in 11%; TRADE, typed with caps
// lock on, in none of those with trade, OIL in 0.5%, BANK in 0.1%: those
// are the words. (WHO, in 0.1%, is the name table's.)
const minAcronymShare = 0.01

// appendAcronym appends to dst the acronym term of seg, a word as written,
// and reports whether seg is an acronym: 2 to maxAcronymRunes capital
// Latin or Cyrillic letters (Ё as Е), with single dots between them and an
// optional trailing dot or possessive 's. dst is returned unchanged
// otherwise.
func appendAcronym(dst, seg []byte) ([]byte, bool) {
	switch {
	case bytes.HasSuffix(seg, []byte("'s")):
		seg = seg[:len(seg)-len("'s")]
	case bytes.HasSuffix(seg, []byte("’s")):
		seg = seg[:len(seg)-len("’s")]
	}
	if len(seg) < 2 || len(seg) > 4*maxAcronymRunes {
		return dst, false
	}
	mark := len(dst)
	letters, dot := 0, true
	for i := 0; i < len(seg); {
		r, size := utf8.DecodeRune(seg[i:])
		i += size
		switch {
		case r == '.':
			if dot {
				return dst[:mark], false // a leading dot, or two together
			}
			dot = true
			continue
		case r >= 'A' && r <= 'Z', r >= 'А' && r <= 'Я':
		case r == 'Ё':
			r = 'Е'
		default:
			return dst[:mark], false
		}
		if letters++; letters > maxAcronymRunes {
			return dst[:mark], false
		}
		dot = false
		dst = utf8.AppendRune(dst, r)
	}
	if letters < 2 {
		return dst[:mark], false
	}
	if folded := foldAcronymHomoglyphs(dst[mark:]); folded != nil {
		dst = append(dst[:mark], folded...)
	}
	return dst, true
}

// foldAcronymHomoglyphs returns an acronym's capitals with those of the
// rarer script that look like the commoner one's rewritten into it (CША
// with a Latin C is США), by foldHomoglyphs; nil when there is nothing
// to rewrite, or a letter of the rarer script has no look-alike.
func foldAcronymHomoglyphs(b []byte) []byte {
	latin, cyr := 0, 0
	for _, r := range string(b) {
		if r < utf8.RuneSelf {
			latin++
		} else {
			cyr++
		}
	}
	if latin == 0 || cyr == 0 || latin == cyr {
		return nil
	}
	rs := []rune(strings.ToLower(string(b)))
	if l, _ := foldHomoglyphs(rs, latin, cyr); l == latin {
		return nil // left as it is
	}
	return []byte(strings.ToUpper(string(rs)))
}

// mixedCaseAround reports whether the text around input[start:end] has
// more lower-case letters than capitals (Latin and Cyrillic, within
// acronymContext bytes on either side).
func mixedCaseAround(input []byte, start, end int) bool {
	lower, upper := 0, 0
	count := func(b []byte) {
		for i := 0; i < len(b); i++ {
			c := b[i]
			switch {
			case c >= 'a' && c <= 'z':
				lower++
			case c >= 'A' && c <= 'Z':
				upper++
			case (c == 0xD0 || c == 0xD1) && i+1 < len(b):
				// Cyrillic: А–Я and Ё are D0 90–AF and D0 81, а–п D0 B0–BF,
				// р–я and ё D1 80–91.
				n := b[i+1]
				i++
				switch {
				case c == 0xD0 && (n >= 0x90 && n <= 0xAF || n == 0x81):
					upper++
				case c == 0xD0 && n >= 0xB0 && n <= 0xBF, c == 0xD1 && n >= 0x80 && n <= 0x91:
					lower++
				}
			}
		}
	}
	count(input[max(0, start-acronymContext):start])
	count(input[end:min(len(input), end+acronymContext)])
	return lower > upper
}

// acronym emits seg's acronym term at pos when seg is an acronym written in
// text of mixed case (see the comment at the top of this file). The word
// is then analysed as usual: its stem is indexed too, at the same position.
func (s *stream) acronym(seg []byte, start, pos int) {
	n := capitalBytes(seg)
	if n == 0 || n == len(seg) || capitalBytes(seg[n:]) == 0 && seg[n] != '.' {
		return // nearly every word: not two capitals
	}
	var buf [4 * maxAcronymRunes]byte
	term, ok := appendAcronym(buf[:0], seg)
	if !ok || !dotted(seg) && !mixedCaseAround(s.input, start, start+len(seg)) || dateline(s.input, start, start+len(seg)) {
		return
	}
	s.reserve(len(term), start)
	mark := len(s.arena)
	s.arena = append(s.arena, term...)
	s.emitFrom(mark, start, start+len(seg), pos, analysis.AlphaNumeric)
}

// dotted reports whether a dot parts two letters of seg (U.S., U.K.'s).
func dotted(seg []byte) bool {
	for i := 1; i+1 < len(seg); i++ {
		if seg[i] == '.' && seg[i-1] != '.' && seg[i+1] != '.' && seg[i+1] != '\'' {
			return true
		}
	}
	return false
}

// undottedAcronym returns a query word that is an acronym with dots
// between its letters (U.S., U.K.'s) as the letters alone (US, UK), the
// name table's spelling and the index's acronym term: typed with dots,
// U.S. had found 4,472 articles of the news corpora, without the United
// States and USA that US finds (4,802).
func undottedAcronym(word string) (string, bool) {
	if !dotted([]byte(word)) {
		return "", false
	}
	term, ok := appendAcronym(nil, []byte(word))
	return string(term), ok
}

// dateline reports whether input[start:end] ends a wire story's dateline,
// the place in capitals a text starts with: "NEW YORK, March 3 -", "TOKYO,
// March 3 -", "WASHINGTON (Reuters) -". Reuters starts most of its bodies
// so, and YORK, TOKYO and PARIS were among the commonest acronym terms.
func dateline(input []byte, start, end int) bool {
	if end >= len(input) || input[end] != ',' && input[end] != ' ' {
		return false
	}
	if input[end] == ' ' && !bytes.HasPrefix(input[end:], []byte(" (")) {
		return false
	}
	for _, r := range string(input[:start]) {
		if !unicode.IsUpper(r) && r != ' ' && r != '.' && r != '-' && r != '\'' {
			return false
		}
	}
	return true
}

// capitalBytes returns the length of the capital Latin or Cyrillic
// letter b starts with, or 0.
func capitalBytes(b []byte) int {
	switch {
	case len(b) == 0:
		return 0
	case b[0] >= 'A' && b[0] <= 'Z':
		return 1
	case b[0] == 0xD0 && len(b) > 1 && (b[1] >= 0x90 && b[1] <= 0xAF || b[1] == 0x81):
		return 2 // А–Я, Ё
	}
	return 0
}

// capitals returns the term with capitals t searches (qterm.capitals):
// its acronym or its cased name, or "".
func (e *expander) capitals(t qterm) string {
	if term := e.acronym(t); term != "" {
		return term
	}
	term, _ := queryCasedName(t)
	return term
}

// acronym returns the acronym term t searches: queryAcronym's, when t is
// an acronym of the name table (WHO, which the news corpora write in
// capitals in 3 articles and as who in 2,368), its word is a stop word
// (IT), or the index has the acronym in at least minAcronymShare of the
// articles with t's ordinary stem. A nil expander has no index to ask,
// and takes queryAcronym's word for it.
func (e *expander) acronym(t qterm) string {
	term, ok := queryAcronym(t)
	if !ok || e == nil || e.lex.acronymMember(t.text) {
		return term
	}
	stem := indexTerm(t.text)
	if stem == "" {
		return term
	}
	n, err := e.articlesWith(term)
	if err != nil || n == 0 {
		return ""
	}
	m, err := e.articlesWith(stem)
	if err != nil || float64(n) < minAcronymShare*float64(m) {
		return ""
	}
	return term
}

// articlesWith returns the number of articles with term in their body
// (an acronym or a stem), or, when more, in their title; e.err is set on
// a failed look-up.
func (e *expander) articlesWith(term string) (uint64, error) {
	var most uint64
	for _, field := range []string{fieldBody, fieldTitle} {
		tfr, err := e.voc.r.TermFieldReader(e.voc.ctx, []byte(term), field, false, false, false)
		if err != nil {
			e.err = fmt.Errorf("acronym: %w", err)
			return 0, e.err
		}
		most = max(most, tfr.Count())
		tfr.Close()
	}
	return most, nil
}

// queryAcronym returns the acronym term of a query word typed in capitals
// (WHO, ОПЕК, U.S.), which is not a quoted phrase nor a Roman numeral
// (XIV has a term of its own).
func queryAcronym(t qterm) (string, bool) {
	if t.phrase || t.text == "" || t.text[0] >= 'a' && t.text[0] <= 'z' || isRomanNumeral([]byte(t.text)) {
		return "", false // most query words, at their first letter
	}
	term, ok := appendAcronym(nil, []byte(t.text))
	return string(term), ok
}
