package index

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
)

// Cased names. A few Russian names share their stem with a common word,
// and Snowball cannot tell them apart: Маск (Musk) and маска (a mask) are
// both маск, and "Elon Musk" found 125 Russian articles of the news
// corpora, among them sleep masks, thieves in masks and quadrobers' masks.
// Only capitals can: a word of casedStems written with a capital inside a
// sentence, or as the name's own form (Маск, Куба) wherever it stands, as
// titles start with it, is also indexed as its stem with a capital (Маск),
// at its position. No other term is capitalised but not all capitals. The
// name's own form typed with a capital, or as another spelling of a name
// (Elon Musk's Маск), searches that term only; in lower case, or in
// another form, the word is the word, masks and Musk both.

// casedStems maps the Snowball stems of the names indexed with a capital
// too to the name's forms as a query writes them (folded), with what the stem met
// in the news corpora's Russian articles. Only those forms, typed with a
// capital, are the name: Маски typed at a query's start, as phones
// capitalise it, is masks.
var casedStems = map[string][]string{
	"маск": {"маск"}, // маска, маски, масках (masks)
	"куб":  {"куба"}, // куб (cubic metres of gas), кубы, кубит (qubit)
	"си":   {"си"},   // Xi; the си of Би-би-си (BBC): 217 of 226 Russian articles 习近平 found
	// Gaza, in the forms news writes it (в Газе); газа, газе (gas): Газа
	// found 1,286 articles, gas first.
	"газ": {"газа", "газе"},
	// Vienna; вены (veins): Вена found 2 articles, Vienna 51, English only.
	"вен": {"вена", "вене"},
}

// casedName emits the capitalised stem of seg, a Cyrillic word whose
// folded form is word and stem stem, at pos, when stem is in casedStems and
// seg is the name (see the comment at the top of this file).
func (s *stream) casedName(seg, word, stem []byte, start, pos int) {
	names, ok := casedStems[string(stem)]
	if !ok {
		return
	}
	first, n := utf8.DecodeRune(seg)
	second, _ := utf8.DecodeRune(seg[n:])
	if !unicode.IsUpper(first) || !unicode.IsLower(second) {
		return
	}
	if !slices.Contains(names, string(word)) && sentenceStart(s.input, start) {
		return // Маска at a sentence's start may be a mask
	}
	if names[0] == "си" && notXi(s.input, start, start+len(seg)) {
		return
	}
	s.reserve(len(stem)+4, start)
	mark := len(s.arena)
	s.arena = appendCased(s.arena, stem)
	s.emitFrom(mark, start, start+len(seg), pos, analysis.AlphaNumeric)
}

// notXi reports whether the Си at input[start:end] is not Xi Jinping: a
// piece of a hyphenated word (Си-Джей, CJ) or the C language (язык Си,
// языке Си), which 5 of the 16 Russian articles Xi found on the news
// corpora were.
func notXi(input []byte, start, end int) bool {
	if start > 0 && input[start-1] == '-' || end < len(input) && input[end] == '-' {
		return true
	}
	end = backOver(input, start, unicode.IsSpace) // the word before ends here
	prev := strings.ToLower(string(input[backOver(input, end, unicode.IsLetter):end]))
	return strings.HasPrefix(prev, "язык")
}

// backOver returns where the runes before input[:i] that is holds start.
func backOver(input []byte, i int, is func(rune) bool) int {
	for i > 0 {
		r, n := utf8.DecodeLastRune(input[:i])
		if !is(r) {
			break
		}
		i -= n
	}
	return i
}

// appendCased appends stem with its first letter in capitals to dst.
func appendCased(dst, stem []byte) []byte {
	r, n := utf8.DecodeRune(stem)
	return append(utf8.AppendRune(dst, unicode.ToUpper(r)), stem[n:]...)
}

// sentenceStart reports whether the word at input[start:] starts a
// sentence: nothing but spaces, quotes, dashes, emoji and the like come
// before it, back to the text's start or a sentence's end (. ! ? … or a
// line break).
func sentenceStart(input []byte, start int) bool {
	for i := start; i > 0; {
		r, size := utf8.DecodeLastRune(input[:i])
		i -= size
		switch {
		case r == '.' || r == '!' || r == '?' || r == '…' || r == '\n':
			return true
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == ',' || r == ';' || r == ':':
			return false
		}
	}
	return true
}

// queryCasedName returns the capitalised term a query word searches when
// it is one of casedStems' names as a query writes it, with a capital
// (Маск, Куба), not a quoted phrase.
func queryCasedName(t qterm) (string, bool) {
	if t.phrase || !isCapitalised(t.text) || typedAcronym(t.text) {
		return "", false
	}
	stem, ok := casedStem(t.text)
	if !ok {
		return "", false
	}
	return string(appendCased(nil, []byte(stem))), true
}

// casedNameStems maps each name of casedStems, as a query writes it
// (folded), back to its stem.
var casedNameStems = func() map[string]string {
	m := make(map[string]string, len(casedStems))
	for stem, names := range casedStems {
		for _, name := range names {
			m[name] = stem
		}
	}
	return m
}()

// casedStem returns the stem of casedStems whose name text is (as a
// query writes it, in any case), or false.
func casedStem(text string) (string, bool) {
	if text == "" || text[0] != 0xD0 && text[0] != 0xD1 {
		return "", false // every name of casedStems is Cyrillic
	}
	stem, ok := casedNameStems[foldTerm(text)]
	return stem, ok
}

// casedKey reports whether key, text's name-table key (lexKey), is one
// of casedStems' stems, and whether text is then the name: its own form
// as a query writes it, capitalised (Газа, Маск), where газа is gas's
// genitive and маск masks', кубит, маски or Газе other words or forms.
func casedKey(text, key string) (cased, name bool) {
	if _, ok := casedStems[key]; !ok {
		return false, false // nearly every text; a key of several words is none
	}
	// The key of a phrase whose other words are stop words ("в Газе")
	// is its one word's: that word decides.
	for _, w := range strings.Fields(text) {
		if _, form := casedStem(w); form && isCapitalised(w) {
			return true, true
		}
	}
	return true, false
}

// tokenCasedName is queryCasedName for the word of text that tok
// spans: in quotes, which ask for the words as written, a cased name as
// written is the name.
func tokenCasedName(text string, tok *analysis.Token) (string, bool) {
	if tok.Start < 0 || tok.End > len(text) || tok.Start >= tok.End {
		return "", false
	}
	return queryCasedName(qterm{text: text[tok.Start:tok.End]})
}

// casedSlots puts, in the slots of a quoted phrase of text (tokens, as
// tokensToPhrase made slots of them), the capitalised term of each word
// written as a cased name in place of the word's own: "в Газе" had found
// the 1,281 articles on gas.
func casedSlots(text string, tokens analysis.TokenStream, slots [][]string) {
	first := tokens[0].Position
	for _, tok := range tokens {
		first = min(first, tok.Position)
	}
	for _, tok := range tokens {
		if i := tok.Position - first; i < len(slots) {
			if term, ok := tokenCasedName(text, tok); ok {
				slots[i] = []string{term}
			}
		}
	}
}
