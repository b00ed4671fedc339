package index

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
)

// Words typed on the wrong keyboard layout.
//
// A Russian reader switches between the Russian (ЙЦУКЕН) and the English
// (QWERTY) layouts all day, and types a word on the wrong one often
// enough that Russian search engines correct it: Genby is Путин typed on
// the English layout, Згешт is Putin typed on the Russian one. A word of
// the query that no article writes, whose keys on the other layout spell
// a word the articles use (minRareTyped of them or more), is offered as
// that word (correct) and searched as it too (layoutAlternatives).

// layoutPairs maps the keys of a US keyboard to the letters the Russian
// layout puts on them, lower and upper case.
const layoutPairs = "qйwцeуrкtеyнuгiшoщpз[х]ъaфsыdвfаgпhрjоkлlд;жzяxчcсvмbиnтmь,б.ю`ё" +
	"QЙWЦEУRКTЕYНUГIШOЩPЗ{Х}ЪAФSЫDВFАGПHРJОKЛLД:Ж\"ЭZЯXЧCСVМBИNТMЬ<Б>Ю~Ё"

var latinKeys, russianKeys = func() (map[rune]rune, map[rune]rune) {
	toRu, toEn := map[rune]rune{}, map[rune]rune{}
	for s := layoutPairs; s != ""; {
		en, n := utf8.DecodeRuneInString(s)
		ru, m := utf8.DecodeRuneInString(s[n:])
		s = s[n+m:]
		toRu[en], toEn[ru] = ru, en
	}
	toRu['\''], toEn['э'] = 'э', '\'' // the apostrophe's key
	return toRu, toEn
}()

// swapLayout returns word as the same keys give it on the other layout:
// Genby → Путин, Згешт → Putin. ok is false unless every character of word
// is a key of one layout and word has a letter.
func swapLayout(word string) (swapped string, ok bool) {
	r, _ := utf8.DecodeRuneInString(word)
	keys := latinKeys
	if _, latin := latinKeys[r]; !latin {
		keys = russianKeys
	}
	var b strings.Builder
	letter := false
	for _, r := range word {
		s, ok := keys[r]
		if !ok {
			return "", false
		}
		letter = letter || unicode.IsLetter(r)
		b.WriteRune(s)
	}
	return b.String(), letter
}

// layoutMistakes returns the words of text, split at spaces, that no
// article writes and that spell, typed on the other layout, a word that
// minRareTyped articles or more have, each with that word as its one
// candidate. Its tokens are the words' spans of text. A word ending text
// is left out when last is false: it may still be being typed.
//
// A word of one or two keys spells too many words to be taken alone, but
// beside a longer word typed on the wrong layout it is swapped too when
// the other layout's word is the commoner: Genby d Vjcrdt is Путин в
// Москве.
func layoutMistakes(voc *vocabulary, lx *lexicon, text string, last bool) ([]misspelt, error) {
	var out, short []misspelt
	for start := 0; start < len(text); {
		i := strings.IndexFunc(text[start:], func(r rune) bool { return !unicode.IsSpace(r) })
		if i < 0 {
			break
		}
		start += i
		end := len(text)
		if j := strings.IndexFunc(text[start:], unicode.IsSpace); j >= 0 {
			end = start + j
		}
		from := start
		start = end
		if end == len(text) && !last {
			break
		}
		m, stop, typed, err := layoutMistake(voc, lx, text, from, end)
		switch {
		case err != nil:
			return nil, err
		case m == nil:
		case utf8.RuneCountInString(text[from:end]) >= 3:
			if typed == 0 {
				out = append(out, *m)
			}
		case stop || m.cands[0].count > typed:
			short = append(short, *m)
		}
	}
	if len(out) == 0 {
		return nil, nil
	}
	return append(out, short...), nil
}

// layoutMistake returns text[from:end] as a misspelling of the word its
// keys spell on the other layout, if minRareTyped live articles or more
// have that word or it is a stop word (nil if not), whether it is a stop
// word, and how many articles have the word as typed.
func layoutMistake(voc *vocabulary, lx *lexicon, text string, from, end int) (m *misspelt, stop bool, typed uint64, err error) {
	swapped, ok := swapLayout(text[from:end])
	if !ok {
		return nil, false, 0, nil
	}
	toks := rawAnalyzer.Analyze([]byte(swapped))
	if len(toks) != 1 || toks[0].Start != 0 || toks[0].End != len(swapped) {
		return nil, false, 0, nil // the keys spell no single word
	}
	n, err := voc.count(string(toks[0].Term))
	if err != nil {
		return nil, false, 0, err
	}
	// A stop word (в, the) is in most articles, and searches find nothing
	// by it, so its live articles are not looked up.
	stemmed := indexTerm(swapped)
	stop = stemmed == ""
	if !stop {
		if n < minRareTyped {
			return nil, false, 0, nil
		}
		if live, err := liveSpelling(voc, lx, swapped, stemmed); err != nil || !live {
			return nil, false, 0, err
		}
	}
	for _, tok := range rawAnalyzer.Analyze([]byte(text[from:end])) {
		c, err := voc.count(string(tok.Term))
		if err != nil {
			return nil, false, 0, err
		}
		typed = max(typed, c)
	}
	return &misspelt{
		tok:   &analysis.Token{Start: from, End: end, Term: toks[0].Term, Type: analysis.AlphaNumeric},
		cands: []vocabWord{{word: swapped, count: n}},
	}, stop, typed, nil
}

// layoutAlternatives returns the word t's keys spell on the other keyboard
// layout, and its names in other scripts, as alternatives of t when no
// article has t as typed and minRareTyped live articles have that word:
// a search for Genby finds Путин (and Putin, 普京). A word of one or two
// keys gets none, and neither does a stop word.
func (e *expander) layoutAlternatives(t qterm) ([]alternative, error) {
	if utf8.RuneCountInString(t.text) < 3 {
		return nil, nil
	}
	m, stop, typed, err := layoutMistake(e.voc, e.lex, t.text, 0, len(t.text))
	if err != nil || m == nil || stop || typed > 0 {
		return nil, err
	}
	c := m.cands[0]
	alts := []alternative{{text: c.word, weight: weightLayout, count: c.count}}
	for _, a := range e.lex.alternatives(c.word) {
		a.weight *= weightLayout
		alts = append(alts, a)
	}
	return alts, nil
}
