package index

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/snowballstem"
	"github.com/blevesearch/snowballstem/russian"
)

// Name paradigms. Snowball reads the end of many Russian names as a case
// or verb ending, and the name's cases then stem apart: Иран and Ирана to
// ира (as if -ан were a verb's), Иране, Ирану and Ираном to иран; Киев to
// ки, Киева to киев; Китая to кит, which кит (a whale) and Кита (Keith
// Kellogg) are too. Searching one form of the name found only the articles
// that wrote a form sharing its stem: Иране found 13 articles of the news
// corpora and Иран 1,120, Орбаном none.
//
// nameParadigms gives every Cyrillic word of a name in the gazetteer
// (data/names.txt, data/entities.txt) that ends in a consonant or й the
// forms of its singular cases, and when Snowball stems them apart, one
// stem for all of them: the commonest of their Snowball stems (иран,
// киев, кита). A form already in the word tables keeps its line there.
// Surnames in -ов and -ев have their own rule (appendSurnameVariant), and
// a word of three letters or fewer is left alone: Ван is also the Dutch
// van, Ким and Рим are too short to be only names. Names in -а and -я
// decline like common nouns and share their forms too (Газа, газа: gas),
// so those that Snowball confuses are listed by hand in data/stems-ru.txt.
func nameParadigms(tables map[string]string) map[string]string {
	out := map[string]string{}
	for _, w := range gazetteerCyrillicWords() {
		if _, common := notParadigms[w]; common {
			continue
		}
		forms := caseForms(w)
		if forms == nil {
			continue
		}
		distinct, skip := map[string]bool{}, false
		for _, f := range forms {
			_, listed := tables[f]
			_, whole := russianIndeclinables[f]
			if listed || whole {
				skip = true
				break
			}
			env := snowballstem.NewEnv(f)
			russian.Stem(env)
			distinct[env.Current()] = true
		}
		if skip || len(distinct) < 2 {
			continue
		}
		// The stem is the nominative with a stress mark, which the
		// analyzer strips from every word it reads: no other word can
		// have it. The nominative alone is Snowball's stem of the
		// surname made from the name (Иванов, Максимов), which Иван
		// had then found.
		stem := w + paradigmMark
		for _, f := range forms {
			if prev, ok := out[f]; ok && prev != stem {
				// Two names share the form: neither gets it.
				out[f] = ""
				continue
			}
			out[f] = stem
		}
	}
	for f, w := range out {
		if w == "" {
			delete(out, f)
		}
	}
	return out
}

// paradigmMark ends every stem nameParadigms gives (a combining acute,
// U+0301, a stress mark).
const paradigmMark = "\u0301"

// notParadigms are the gazetteer's words whose forms are common words'
// too: милей, Milei's nominative, is the genitive plural of миля (mile),
// and "морских милей" had found nothing once it was Milei's.
var notParadigms = map[string]struct{}{"милей": {}}

// caseForms returns the singular case forms of the folded name word w, or
// nil when nameParadigms leaves it alone.
func caseForms(w string) []string {
	rs := []rune(w)
	n := len(rs)
	if n < 4 {
		return nil
	}
	switch string(rs[n-2:]) {
	case "ый", "ий", "ой", "ых", "их", "ые", "ие", "ая", "ое", "ее", "ья":
		return nil // an adjective: Белый дом, Объединенных Наций
	case "ей":
		// Алексей; Милей's prepositional would be милее (nicer).
		s := string(rs[:n-1])
		return []string{w, s + "я", s + "ю", s + "ем"}
	case "ов", "ев":
		if n-2 >= surnameMinRoot {
			return nil // appendSurnameVariant's: Лавров, not Киев
		}
	}
	switch last := rs[n-1]; {
	case last == 'й':
		s := string(rs[:n-1])
		return []string{w, s + "я", s + "ю", s + "ем", s + "е"}
	case strings.ContainsRune("аяьеиоуыэю", last):
		return nil
	}
	return []string{w, w + "а", w + "у", w + "ом", w + "ем", w + "е"}
}

// gazetteerCyrillicWords returns the folded Cyrillic words, written with a
// capital, of the spellings in data/names.txt and data/entities.txt.
func gazetteerCyrillicWords() []string {
	names, _ := lexiconFiles.ReadFile("data/names.txt")
	seen := map[string]bool{}
	var words []string
	for _, text := range []string{string(names), entitiesFile} {
		for fields := range dataLines(text) {
			for _, w := range fields {
				first, n := utf8.DecodeRuneInString(w)
				second, _ := utf8.DecodeRuneInString(w[n:])
				if !unicode.Is(unicode.Cyrillic, first) || !unicode.IsUpper(first) || !unicode.IsLower(second) ||
					strings.IndexFunc(w, func(r rune) bool { return !unicode.IsLetter(r) }) >= 0 {
					continue // not a name's word: КНДР, Улан-Батор, "|"
				}
				w = strings.ReplaceAll(strings.ToLower(w), "ё", "е")
				if !seen[w] {
					seen[w] = true
					words = append(words, w)
				}
			}
		}
	}
	return words
}
