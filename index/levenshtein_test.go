package index

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"testing"
	"unicode/utf8"

	bleveindex "github.com/blevesearch/bleve_index_api"
	"github.com/blevesearch/vellum"
	lev "github.com/blevesearch/vellum/levenshtein"
)

// TestEditDistance: the distance in characters, Cyrillic and Han
// included.
func TestEditDistance(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"a", "", 1}, {"shoigu", "shoigo", 1}, {"cooperation", "cooperaton", 1},
		{"путин", "путина", 1}, {"путин", "путни", 1}, {"普京", "普金", 1}, {"kitten", "sitting", 3},
		{"britain", "britian", 1}, {"music", "musci", 1}, {"ca", "abc", 3},
	} {
		if got := editDistance(c.a, c.b); got != c.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
}

// TestLevenshtein_acceptsWithinK: the automaton accepts a word exactly
// when it is within k edits and has no character of a UTF-8 size the
// typed word's characters do not have, over random words in Latin,
// Cyrillic and mixed scripts (multi-byte characters cross its byte
// transitions).
func TestLevenshtein_acceptsWithinK(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(9, 10))
	alphabet := []rune("abcdeлмнопё普京")
	word := func() string {
		r := make([]rune, 1+rng.IntN(7))
		for i := range r {
			r[i] = alphabet[rng.IntN(len(alphabet))]
		}
		return string(r)
	}
	for range 300 {
		w := word()
		for k := 1; k <= 2; k++ {
			a := newLevenshtein(w, k)
			for range 50 {
				c := word()
				s := a.Start()
				for i := 0; i < len(c) && a.CanMatch(s); i++ {
					s = a.Accept(s, c[i])
				}
				got := a.CanMatch(s) && a.IsMatch(s)
				if want := editDistance(w, c) <= k && sameSizes(w, c); got != want {
					t.Fatalf("k=%d, %q vs %q: accepted %v, distance %d", k, w, c, got, editDistance(w, c))
				}
			}
		}
	}
}

// sameSizes reports whether each multi-byte character of c has a UTF-8
// size that some character of w has.
func sameSizes(w, c string) bool {
	has := map[int]bool{1: true}
	for _, r := range w {
		has[utf8.RuneLen(r)] = true
	}
	for _, r := range c {
		if !has[utf8.RuneLen(r)] {
			return false
		}
	}
	return true
}

// TestLevenshtein_otherScripts: a word's typos are sought in its own
// scripts: Chinese words are not an English or a Russian word's typos.
func TestLevenshtein_otherScripts(t *testing.T) {
	t.Parallel()
	accepts := func(word string, k int, c string) bool {
		a := newLevenshtein(word, k)
		s := a.Start()
		for i := 0; i < len(c) && a.CanMatch(s); i++ {
			s = a.Accept(s, c[i])
		}
		return a.CanMatch(s) && a.IsMatch(s)
	}
	for _, c := range []struct {
		word, cand string
		want       bool
	}{
		{"ab", "普京", false}, // two substitutions, but Chinese
		{"abc", "a普c", false},
		{"ab", "ac", true},
		{"путин", "путни", true},
		{"пу", "普京", false},
		{"пу", "пё", true},
		{"普京", "普金", true},
		{"普京", "普j", true}, // ASCII is every script's
		{"普京", "пу", false},
	} {
		if got := accepts(c.word, 2, c.cand); got != c.want {
			t.Errorf("newLevenshtein(%q, 2) accepts %q: %v, want %v", c.word, c.cand, got, c.want)
		}
	}
}

// TestNear_matchesBleve: the vocabulary's typo candidates are those
// bleve's fuzzy dictionary gave, for words of the BBC corpus, misspelt.
func TestNear_matchesBleve(t *testing.T) {
	t.Parallel()
	bi, base := corpusReader(t, "bbc")
	v, err := openVocabulary(context.Background(), bi, vocabAids{base: base})
	if err != nil {
		t.Fatal(err)
	}
	defer v.close()
	words := []string{"election", "elektion", "goverment", "labour", "minister", "ministre", "technology", "tecnology",
		"footbal", "music", "musci", "chelsea", "blair", "blare", "economy", "econmy", "britian", "prime", "zzzzzz"}
	rng := rand.New(rand.NewPCG(11, 12))
	// And 150 vocabulary words of five letters or more, drawn at random.
	if base == nil {
		t.Fatal("the corpus index has no base vocabulary")
	}
	fd := base.terms(nil, nil, nil, false)
	for {
		de, err := fd.Next()
		if err != nil {
			t.Fatal(err)
		}
		if de == nil {
			break
		}
		if utf8.RuneCountInString(de.Term) >= 5 && rng.IntN(60) == 0 && len(words) < 170 {
			words = append(words, de.Term)
		}
	}
	for _, w := range slices.Clone(words) { // each misspelt: a letter dropped, two swapped
		r := []rune(w)
		i := rng.IntN(len(r))
		words = append(words, string(r[:i])+string(r[i+1:]))
		if i+1 < len(r) {
			r[i], r[i+1] = r[i+1], r[i]
			words = append(words, string(r))
		}
	}
	compared := 0
	for _, w := range words {
		for k := 1; k <= 2; k++ {
			for _, limit := range []int{3, 50} {
				got, err := v.near(w, k, limit)
				if err != nil {
					t.Fatal(err)
				}
				want, err := v.nearBleve(w, k, limit)
				if err != nil {
					t.Fatal(err)
				}
				if !sameWords(got, want) {
					t.Errorf("near(%q, %d, %d):\n%v\nbleve's fuzzy dictionary:\n%v", w, k, limit, got, want)
				}
				compared += len(got)
			}
		}
	}
	if compared == 0 {
		t.Error("no word had a neighbour: the comparison proves nothing")
	}
}

// nearBleve is near as it was, on bleve's fuzzy dictionary (a complete
// vellum DFA per word) of the words field, and the same DFA run over the
// base vocabulary: the reference for near.
//
// It returns the vocabulary words other than word that are at most
// maxTypos typos away, fewest typos first, then most frequent. A typo is
// an edit (insertion, deletion, substitution); one on the first letter
// costs two. At most limit candidates are considered.
func (v *vocabulary) nearBleve(word string, maxTypos, limit int) ([]vocabWord, error) {
	fz, ok := v.r.(bleveindex.IndexReaderFuzzy)
	if !ok {
		return nil, nil
	}
	first, _ := utf8.DecodeRuneInString(word)
	prefix := ""
	if maxTypos == 1 {
		prefix = string(first) // a first-letter typo would already cost two
	}
	fd, auto, err := fz.FieldDictFuzzyAutomaton(fieldWords, word, maxTypos, prefix)
	if err != nil {
		return nil, fmt.Errorf("vocabulary: %w", err)
	}
	defer fd.Close()
	cands := map[string]int{} // of both dictionaries, with their typos
	candidate := func(term string, d uint8) {
		if term == word {
			return
		}
		typos := int(d)
		if r, _ := utf8.DecodeRuneInString(term); r != first {
			typos++
		}
		if typos <= maxTypos && typos > 0 {
			cands[term] = typos
		}
	}
	for {
		de, err := fd.Next()
		if err != nil {
			return nil, fmt.Errorf("vocabulary: %w", err)
		}
		if de == nil {
			break
		}
		_, d := auto.MatchAndDistance(de.Term)
		candidate(de.Term, d)
	}
	if v.base != nil {
		lb, err := lev.NewLevenshteinAutomatonBuilder(uint8(maxTypos), true)
		if err != nil {
			return nil, err
		}
		dfa, err := lb.BuildDfa(word, uint8(maxTypos))
		if err != nil {
			return nil, err
		}
		var start, end []byte
		if prefix != "" {
			start, end = []byte(prefix), prefixEnd([]byte(prefix))
		}
		it, err := v.base.fst.Search(dfa, start, end)
		for err == nil {
			k, _ := it.Current()
			_, d := dfa.MatchAndDistance(string(k))
			candidate(string(k), d)
			err = it.Next()
		}
		if !errors.Is(err, vellum.ErrIteratorDone) {
			return nil, err
		}
	}
	// The first limit in dictionary order, as near considers them.
	var out []vocabWord
	for _, w := range slices.Sorted(maps.Keys(cands))[:min(len(cands), limit)] {
		out = append(out, vocabWord{word: w, typos: cands[w]})
	}
	// The fuzzy dictionary does not count documents; look each word up.
	for i := range out {
		n, err := v.count(out[i].word)
		if err != nil {
			return nil, err
		}
		out[i].count = n
	}
	sortNear(out)
	return out, nil
}

// BenchmarkNear looks up the typo neighbours of a few words in BBC's
// vocabulary, with the lazy automaton and with bleve's fuzzy dictionary.
func BenchmarkNear(b *testing.B) {
	bi, base := corpusReader(b, "bbc")
	v, _ := openVocabulary(context.Background(), bi, vocabAids{base: base})
	defer v.close()
	words := []string{"election", "goverment", "minister", "technology", "britian", "economy", "shareholders", "following"}
	for _, impl := range []string{"lazy", "bleve"} {
		b.Run(impl, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				w := words[i%len(words)]
				if impl == "lazy" {
					v.near(w, 1, 50)
				} else {
					v.nearBleve(w, 1, 50)
				}
			}
		})
	}
}
