package index

import (
	"io/fs"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
)

// Hyphenated compounds of words that each say something.
//
// Moscow-Beijing, Russia-China or Coca-Cola is two words a reader wants
// together. Searched as one clause, the compound exactly and each word
// alone at half weight (wordQuery), an article with either word counted
// as having the whole compound: on the news corpora Moscow-Beijing ranked
// an article on a dam that "defies Beijing" first, with no Moscow in it,
// and found 168 articles where Moscow and Beijing typed apart find 6,912,
// as the words alone had none of their other spellings (Москва, 北京).
//
// So such a compound is split as a Chinese run is (splitRuns): each word
// is a clause of its own, with its other spellings, and the compound as
// typed, exactly (as if quoted), is a bonus clause. match=auto ranks the
// articles that write the compound first, then those with every word, then
// the rest; Hit.Missing and Results.TotalAll are the words'. The words and
// the compound weigh what they did as one clause (splitWordWeight), so
// that match=any ranks as before. A compound of two ASCII words is also
// indexed joined (joinedTerm): the joined term stands for each of its
// words, and the compound, quoted or as the bonus clause, is written
// joined, with its hyphen or apart (Rolls Royce), its forms sharing one
// idf (wordQuery).
//
// A compound stays whole when a word of it names nothing alone, as
// wordsAlone keeps them: a number (F-16), a letter (e-mail), a short word
// (Wi-Fi, al-Qaeda) or a stop word (Ростов-на-Дону); and when it is a
// word of a name the name table or the gazetteer knows (Lee Jae-myung,
// Kassym-Jomart Tokayev), which the name's words are looked up with
// (expander.nameRuns): split, Lee Jae-myung had no article with every
// word on the news corpora, where it had 38.

// maxCompoundParts bounds the words of a compound split; longer chains
// (state-of-the-art-like strings) stay whole.
const maxCompoundParts = 4

// compoundPieces returns the words of c's one unquoted term when it is a
// compound of words joined by hyphens, each one word that counts alone:
// not a number, three letters or more or an acronym (US-China), no
// Chinese. The last word keeps the term's open end (a prefix being
// typed). It returns nil for anything else.
//
// Words joined by a slash or a dash (Trump/Putin, Russia–China, as a
// pasted headline writes it) are split the same way: they are as much
// two words as a hyphen's. A short word counts when it is a name the
// lexicon knows (Putin-Xi), as it would typed alone.
func compoundPieces(an analysis.Analyzer, c qclause, lx *lexicon) []qterm {
	if len(c.alts) != 1 || c.alts[0].phrase {
		return nil
	}
	t := c.alts[0]
	parts := splitCompound(t.text)
	if len(parts) < 2 || len(parts) > maxCompoundParts || nameCompounds()[strings.ToLower(t.text)] {
		return nil
	}
	pieces := make([]qterm, len(parts))
	for i, part := range parts {
		if utf8.RuneCountInString(part) < 3 && !isAcronym(part) && !(isCapitalised(part) && lx.isName(foldTerm(part))) {
			return nil
		}
		tokens := an.Analyze([]byte(part))
		if len(tokens) == 0 || !samePosition(tokens) || hasHan(tokens) ||
			slices.ContainsFunc(tokens, func(tok *analysis.Token) bool { return tok.Type == analysis.Numeric }) {
			return nil
		}
		pieces[i] = qterm{text: part, title: t.title, weight: splitWordWeight}
	}
	if join := joinedTerm(an.Analyze([]byte(t.text))); join != nil {
		// An article that writes the compound joined (RollsRoyce,
		// cyberattack) has both words.
		for i := range pieces {
			pieces[i].joined = string(join)
		}
	}
	pieces[len(pieces)-1].open = t.open
	return pieces
}

// compoundJoiners join the words of a compound: the hyphen-minus, the
// slash, and Unicode's hyphens and dashes (U+2010–U+2015) and minus sign.
const compoundJoiners = "-/\u2010\u2011\u2012\u2013\u2014\u2015\u2212"

// splitCompound splits s at its joiners, keeping empty parts (a joiner at
// either end, or two in a row), which no compound has.
func splitCompound(s string) []string {
	var parts []string
	for {
		i := strings.IndexAny(s, compoundJoiners)
		if i < 0 {
			return append(parts, s)
		}
		parts = append(parts, s[:i])
		_, n := utf8.DecodeRuneInString(s[i:])
		s = s[i+n:]
	}
}

// nameCompounds are the hyphenated words of the embedded name table,
// synonyms, topics and gazetteer (Jae-myung, Kassym-Jomart), in lower
// case.
var nameCompounds = sync.OnceValue(func() map[string]bool {
	out := map[string]bool{}
	add := func(text string) {
		for fields := range dataLines(text) {
			for _, f := range fields {
				for _, w := range strings.Split(f, "|") {
					if strings.Contains(w, "-") {
						out[strings.ToLower(w)] = true
					}
				}
			}
		}
	}
	add(entitiesFile)
	files, _ := fs.Glob(lexiconFiles, "data/*.txt")
	for _, f := range files {
		b, _ := fs.ReadFile(lexiconFiles, f)
		add(string(b))
	}
	return out
})
