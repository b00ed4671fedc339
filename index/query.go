package index

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The search-box syntax, the only query language users get:
//
//	words            every word is a clause; see Match for how many must match
//	"exact phrase"   the words in this order
//	-word, -"a b"    excluded: no hit contains it, nor its other spellings
//	                 (names, synonyms, transliterations: -Putin, no Путин)
//	NOT word         the same as -word (NOT in capitals, before a clause)
//	a OR b           either (OR in capitals, between two clauses)
//	title:word       in the title only; also title:"a b", -title:word,
//	                 and Google's intitle:
//
// Everything else is literal text: an unbalanced quote, a lone "-", a
// leading or trailing OR, a trailing NOT, a "title:" with nothing after
// it, other bleve query-string operators such as "body:x" or "a*" are not
// syntax. NOT is there for readers used to boolean search, whose "Putin
// NOT Biden" would otherwise rank the articles with both words first
// ("not" is a stop word). Parsing never fails; analysis later drops what
// carries no searchable term (punctuation, stop words).

// maxClauses caps how many clauses one query may have; further words are
// ignored. Each clause costs a sub-query per field, and the matching
// strategy's tiers grow with the clause count.
const maxClauses = 32

// qterm is one word or phrase as typed.
type qterm struct {
	text   string
	phrase bool // quoted by the user
	// open: the word ends the query with nothing after it, not even a
	// space, so the user may still be typing it (prefix search).
	open  bool
	title bool // title:t: in the title only
	// weight multiplies the clause's score; 0 is 1. A compound's words
	// and the compound itself weigh less (compoundPieces).
	weight float64
	// joined is, for a word of a compound of two (compoundPieces), the
	// compound's joined term (cyberattack for cyber-attack), which stands
	// for both of its words.
	joined string
	// capitals is the term with capitals a word typed with them
	// searches: its acronym (acronym.go), when the index has it often
	// enough, or its cased name (casedname.go); "" otherwise.
	capitals string
}

// written is t as the query writes it: a phrase in quotes, a title's
// word after title:.
func (t qterm) written() string {
	s := t.text
	if t.phrase {
		s = `"` + s + `"`
	}
	if t.title {
		s = titlePrefix + s
	}
	return s
}

// weighs is t's weight: 1 unless set.
func (t qterm) weighs() float64 {
	if t.weight == 0 {
		return 1
	}
	return t.weight
}

// titlePrefix restricts a word or phrase to the title; intitle: is
// Google's spelling of it.
const titlePrefix = "title:"

// blankFieldPrefixes returns s with each title: or intitle: that starts a
// word (after a space or a leading -) replaced by as many spaces, so that
// an analyzer finds the words after them where s has them: suggestions
// complete and correct title:Minnik as Minnik, and keep the prefix.
func blankFieldPrefixes(s string) string {
	var b []byte
	for i := 0; i < len(s); {
		_, size := utf8.DecodeRuneInString(s[i:])
		start := i == 0 || unicode.IsSpace(runeBefore(s, i)) || s[i-1] == '-' && (i == 1 || unicode.IsSpace(runeBefore(s, i-1)))
		if n := fieldPrefix(s[i:]); start && n > 0 {
			if b == nil {
				b = []byte(s)
			}
			for k := i; k < i+n; k++ {
				b[k] = ' '
			}
			i += n
			continue
		}
		i += size
	}
	if b == nil {
		return s
	}
	return string(b)
}

// runeBefore is the rune that ends s[:i].
func runeBefore(s string, i int) rune {
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return r
}

// fieldPrefix returns the length of the title: or intitle: (in any case)
// that s starts with, when a word or phrase follows it; else 0.
func fieldPrefix(s string) int {
	for _, p := range []string{titlePrefix, "in" + titlePrefix} {
		if len(s) > len(p) && strings.EqualFold(s[:len(p)], p) {
			if r, _ := utf8.DecodeRuneInString(s[len(p):]); !unicode.IsSpace(r) {
				return len(p)
			}
		}
	}
	return 0
}

// qclause is one clause: alternatives joined by OR (usually just one).
type qclause struct {
	alts []qterm
	// bonus: a Chinese run or a hyphenated compound that is also searched
	// as its pieces (splitRuns): it ranks the articles that write it
	// first, and is no word of its own (plan.bonus). gated: the run is
	// not the whole query, so only the articles with every other word too
	// have it (gatedQuery), where tiers count clauses: under match=any it
	// only adds to the score, wherever it is found.
	bonus, gated bool
}

// parsedQuery is q after parsing, before analysis.
type parsedQuery struct {
	clauses  []qclause
	excluded []qterm
}

// lexeme is a raw item of q: a word or quoted phrase, maybe negated.
type lexeme struct {
	term    qterm
	negated bool
	or      bool // the bare operator OR
	not     bool // the bare operator NOT (term: the word, if it is none)
	and     bool // the bare operator AND (term: the word, if it is none)
}

// parseQuery parses the search-box syntax. It accepts any string.
func parseQuery(s string) parsedQuery {
	s = joinSpacedAmpersands(cleanQueryText(strings.ToValidUTF8(s, " ")))
	lex := lexQuery(s)
	var p parsedQuery
	for i := 0; i < len(lex); i++ {
		l := lex[i]
		if l.or {
			// An OR with no clause before or after it is just the word "or".
			continue
		}
		if l.negated {
			p.excluded = append(p.excluded, l.term)
			continue
		}
		c := qclause{alts: []qterm{l.term}}
		// Absorb "OR x" chains. A negated item cannot be an alternative, so
		// a chain stops before one.
		for i+2 < len(lex) && lex[i+1].or && !lex[i+2].or && !lex[i+2].negated {
			c.alts = append(c.alts, lex[i+2].term)
			i += 2
		}
		if len(p.clauses) < maxClauses {
			p.clauses = append(p.clauses, c)
		}
	}
	if len(p.excluded) > maxClauses {
		p.excluded = p.excluded[:maxClauses]
	}
	return p
}

// distinctClauses folds the clauses that repeat an earlier one into it,
// with its weight added: a word typed twice is searched once and scores
// twice, as the two clauses did (BM25's query term frequency, linear as in
// Lucene; Cranfield's long questions repeat words, and MAP fell from
// 0.3152 to 0.3137 when the copies were dropped). Fifty copies of a
// Chinese word had each located its every occurrence in a long article
// (1.9 GB for one search).
func distinctClauses(clauses []qclause) []qclause {
	same := func(a, b qterm) bool {
		a.open, b.open = false, false
		a.weight, b.weight = 0, 0
		return a == b
	}
	out := clauses[:0:0]
	for _, c := range clauses {
		i := slices.IndexFunc(out, func(o qclause) bool {
			return o.bonus == c.bonus && o.gated == c.gated && slices.EqualFunc(o.alts, c.alts, same)
		})
		if i < 0 {
			out = append(out, c)
			continue
		}
		alts := slices.Clone(out[i].alts)
		for j := range alts {
			alts[j].weight = alts[j].weighs() + c.alts[j].weighs()
		}
		out[i].alts = alts
	}
	return out
}

// quotePairs maps each opening quotation mark a phrase may be typed in to
// its closing marks: a Chinese input method types “美国大选” and
// 「美国大选」, a Russian keyboard layout «ключевая ставка», and each had
// been searched as loose words (10,409 articles for “美国大选”, against
// the 2 that write it).
var quotePairs = map[rune]string{
	'"': `"`,
	'“': "”“", // English, Chinese; “…“ as some keyboards type it
	'„': "“”", // German, Russian
	'«': "»",
	'「': "」",
	'『': "』",
}

// lexQuery splits s into words, quoted phrases, negations and OR operators.
func lexQuery(s string) []lexeme {
	var out []lexeme
	i := 0
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			i += size
			continue
		}
		neg := false
		if r == '-' && i+1 < len(s) {
			if next, _ := utf8.DecodeRuneInString(s[i+1:]); !unicode.IsSpace(next) && next != '-' {
				neg = true
				i++
				r, size = utf8.DecodeRuneInString(s[i:])
			}
		}
		title := false
		if n := fieldPrefix(s[i:]); n > 0 {
			title = true
			i += n
			r, _ = utf8.DecodeRuneInString(s[i:])
		}
		if closers, ok := quotePairs[r]; ok {
			open := utf8.RuneLen(r)
			if end := strings.IndexAny(s[i+open:], closers); end >= 0 {
				text := s[i+open : i+open+end]
				_, closeSize := utf8.DecodeRuneInString(s[i+open+end:])
				i += open + end + closeSize
				if strings.TrimSpace(text) != "" {
					out = append(out, lexeme{term: qterm{text: text, phrase: true, title: title}, negated: neg})
				}
				continue
			}
			// Unbalanced quote: literal; it is read as part of the word.
		}
		j := i
		for j < len(s) {
			r, size := utf8.DecodeRuneInString(s[j:])
			if unicode.IsSpace(r) {
				break
			}
			j += size
		}
		word := s[i:j]
		i = j
		if a, ok := undottedAcronym(word); ok {
			word = a // U.S. is US
		}
		operator := !neg && !title
		if word == "OR" && operator {
			out = append(out, lexeme{or: true})
			continue
		}
		t := qterm{text: word, open: j == len(s), title: title}
		out = append(out, lexeme{term: t, negated: neg, not: word == "NOT" && operator, and: word == "AND" && operator})
	}
	// An operator after the last item is one still being typed (the page
	// searches as the reader types Putin NOT Medvedev), not the word:
	// Putin NOT had ranked "(NOT 1200 GMT)" first. Alone it is the word.
	for len(out) > 1 {
		last := out[len(out)-1]
		if !last.or && !last.not && !last.and {
			break
		}
		out = out[:len(out)-1]
	}
	// An AND between two items joins them as a space does (the articles
	// with every word rank first), as boolean search writes it: Putin AND
	// Xi had searched for the acronym AND, in no article. Elsewhere it is
	// the word.
	joined := make([]lexeme, 0, len(out))
	for k, l := range out {
		if l.and {
			if k > 0 && k < len(out)-1 && !out[k-1].or && !out[k-1].and && !out[k+1].or && !out[k+1].and {
				continue
			}
			l.and = false
		}
		joined = append(joined, l)
	}
	out = joined
	// A NOT before a word or phrase excludes it; elsewhere it is the word.
	kept := out[:0]
	for k, l := range out {
		if l.not {
			if next := k + 1; next < len(out) && !out[next].or && !out[next].not && !out[next].negated {
				out[next].negated = true
				continue
			}
			l.not = false
		}
		kept = append(kept, l)
	}
	out = kept
	// An OR is an operator only between two items. After an excluded
	// item it is dropped: -Putin OR Lavrov (Lavrov's articles without
	// Putin) had searched the word OR, and ranked "OR подкаст" posts
	// first. Elsewhere it is the word.
	kept = out[:0]
	for k, l := range out {
		if l.or && k > 0 && k < len(out)-1 && out[k-1].negated {
			continue
		}
		if l.or && (k == 0 || k == len(out)-1 || out[k-1].or || out[k-1].negated) {
			l = lexeme{term: qterm{text: "OR"}}
		}
		kept = append(kept, l)
	}
	return kept
}

// cleanQueryText makes control characters and the zero-width space
// spaces, drops the invisible characters pasted text carries inside words
// (word joiner, soft hyphen, byte-order mark), reads full-width ASCII as
// ASCII, as Chinese keyboards in full-width mode type it, and traditional
// Chinese characters as the simplified ones the index has (trad.go):
// Putin\x1b[31m (a terminal's colour code) had searched Putin[31m,
// Pu\u00adtin pu and tin, and ＡＰＥＣ峰会 found nothing where APEC峰会
// finds 1,093 articles. The zero-width space breaks words in text
// (oil\u200bprices).
func cleanQueryText(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return cleanQueryRune(r) != r }) {
		return s
	}
	return strings.Map(cleanQueryRune, s)
}

// cleanQueryRune is cleanQueryText for one character: -1 drops it.
func cleanQueryRune(r rune) rune {
	switch {
	case r == '\u2060' || r == '\ufeff' || r == '\u00ad': // word joiner, BOM, soft hyphen
		return -1
	case unicode.IsControl(r) || r == '\u200b':
		return ' '
	}
	return simplified(narrowASCII(r)) // trad.go
}

// joinSpacedAmpersands writes a name of capital letters typed with spaces
// around its ampersand (AT & T, S & P, B & Q) as the index has it, whole
// (AT&T, ampersandJoinable): typed apart, AT & T was the letter t, and on
// the news corpora none of the 9 articles with AT&T was among its first
// hundred. Each side is one to maxAmpersandLetters capitals, a word of
// its own; Marks & Spencer stays as typed.
func joinSpacedAmpersands(s string) string {
	if !strings.Contains(s, "&") {
		return s
	}
	capitals := func(w string) bool { return len(w) <= maxAmpersandLetters && allASCIIUpper([]byte(w)) }
	words := strings.Split(s, " ")
	var out []string
	for i := 0; i < len(words); i++ {
		// word, spaces (empty words), "&", spaces, word
		j := i + 1
		for j < len(words) && words[j] == "" {
			j++
		}
		k := j + 1
		for k < len(words) && words[k] == "" {
			k++
		}
		if j < len(words) && words[j] == "&" && k < len(words) && capitals(strings.TrimLeft(words[i], `"(`)) && capitals(strings.TrimRight(words[k], `")’'s.,;:!?`)) {
			out = append(out, words[i]+"&"+words[k])
			i = k
			continue
		}
		out = append(out, words[i])
	}
	return strings.Join(out, " ")
}
