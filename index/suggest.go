package index

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
)

// Limits of a SuggestQuery.
const (
	DefaultSuggestions = 5
	MaxSuggestions     = 20
	maxCorrections     = 3
)

// SuggestQuery asks for completions and corrections of a search-box text.
type SuggestQuery struct {
	Text string // as typed; at most MaxQueryRunes
	Size int    // completions to return; 0 means DefaultSuggestions
}

// Suggestions are what the index's own vocabulary (the words of every
// title and body, folded but not stemmed) offers for a text.
type Suggestions struct {
	// Completions of the last word while it is being typed (nothing after
	// it), most frequent first. Stop words are left out.
	Completions []Completion
	// Corrections of the text's unknown (or much rarer than a neighbour)
	// words: "did you mean", best first.
	Corrections []Correction
	Took        time.Duration
}

// Completion is one vocabulary word that completes the last word.
type Completion struct {
	Text  string // the vocabulary word (folded: lower case, no diacritics)
	Count int    // articles that contain it
	Query string // the whole text with the last word completed
}

// Correction is the whole text with misspelt words replaced.
type Correction struct {
	Query   string
	Changes []Change
}

// Change is one replaced word.
type Change struct {
	From string // as typed
	To   string // as it appears in Query
}

// Validate checks q's limits. Errors wrap ErrInvalidQuery.
func (q *SuggestQuery) Validate() error {
	switch {
	case !utf8.ValidString(q.Text):
		return fmt.Errorf("%w: text is not valid UTF-8", ErrInvalidQuery)
	case utf8.RuneCountInString(q.Text) > MaxQueryRunes:
		return fmt.Errorf("%w: text longer than %d characters", ErrInvalidQuery, MaxQueryRunes)
	case q.Size < 0 || q.Size > MaxSuggestions:
		return fmt.Errorf("%w: size must be between 1 and %d", ErrInvalidQuery, MaxSuggestions)
	}
	return nil
}

// Suggest returns completions for the word being typed at the end of
// q.Text and corrections for its misspelt words, from the vocabulary of
// every article (filters do not apply).
func (x *Index) Suggest(ctx context.Context, q SuggestQuery) (Suggestions, error) {
	start := time.Now()
	if q.Size == 0 {
		q.Size = DefaultSuggestions
	}
	if err := q.Validate(); err != nil {
		return Suggestions{}, err
	}
	bi, done, err := x.reader()
	if err != nil {
		return Suggestions{}, err
	}
	defer done()
	voc, err := openVocabulary(ctx, bi, x.vocabAids())
	if err != nil {
		return Suggestions{}, err
	}
	defer voc.close()

	out := Suggestions{Completions: []Completion{}, Corrections: []Correction{}}
	text := q.Text
	toks := rawAnalyzer.Analyze([]byte(text))
	if len(toks) == 0 {
		out.Took = time.Since(start)
		return out, nil
	}
	last := toks[len(toks)-1]
	open := last.End == len(text)
	if open {
		if out.Completions, err = complete(voc, text, last, q.Size); err != nil {
			return Suggestions{}, searchError(err)
		}
	}
	if out.Corrections, err = correct(voc, text, toks, open && len(out.Completions) > 0); err != nil {
		return Suggestions{}, searchError(err)
	}
	out.Took = time.Since(start)
	return out, nil
}

// complete returns up to size vocabulary words that complete the token
// last, which ends text. For Chinese the last character is the prefix and
// the completions are the vocabulary's bigrams that start with it.
func complete(voc *vocabulary, text string, last *analysis.Token, size int) ([]Completion, error) {
	prefix, typed := string(last.Term), text[last.Start:last.End]
	replaceFrom := last.Start
	if isHanToken(last) {
		r, n := utf8.DecodeLastRuneInString(text)
		prefix, typed = string(r), string(r)
		replaceFrom = len(text) - n
	}
	words, err := voc.withPrefix(prefix, maxPrefixScan)
	if err != nil {
		return nil, err
	}
	out := []Completion{}
	for _, w := range words {
		if len(out) == size {
			break
		}
		if w.word == prefix || utf8.RuneCountInString(w.word) < 2 {
			continue // nothing to complete
		}
		term := indexTerm(w.word)
		if term == "" {
			continue // a stop word
		}
		if ok, err := voc.live(term); err != nil {
			return nil, err
		} else if !ok {
			continue
		}
		word := matchCase(typed, w.word)
		out = append(out, Completion{Text: w.word, Count: int(w.count), Query: text[:replaceFrom] + word})
	}
	return out, nil
}

// misspelt is a token of the text that the vocabulary does not know (or
// knows much less than a neighbour), with its candidates, best first.
type misspelt struct {
	tok   *analysis.Token
	cands []vocabWord
}

// correctionTypos is how far a correction may be from the typed word: more
// than search tolerates, because corrections are offered, not applied.
func correctionTypos(runes int) int {
	switch {
	case runes >= 5:
		return 2
	case runes >= 3:
		return 1
	}
	return 0
}

// correct returns whole-text corrections for the misspelt tokens of text.
// When typing is set the last token is being typed and has completions, so
// it is not a misspelling.
func correct(voc *vocabulary, text string, toks analysis.TokenStream, typing bool) ([]Correction, error) {
	var bad []misspelt
	lookups := 0
	for i, tok := range toks {
		if typing && i == len(toks)-1 || lookups == maxFuzzyWords {
			break
		}
		if tok.Type != analysis.AlphaNumeric || indexTerm(string(tok.Term)) == "" {
			continue
		}
		word := string(tok.Term)
		n := 0
		for _, r := range word {
			if !unicode.IsLetter(r) {
				n = -1
				break
			}
			n++
		}
		maxTypos := correctionTypos(n)
		if maxTypos == 0 {
			continue
		}
		have, err := voc.count(word)
		if err != nil {
			return nil, err
		}
		lookups++
		// One typo first: its automaton is cheap, and a one-typo word always
		// ranks first. Two only for unknown words with no one-typo neighbour
		// (a known word two typos from another is rarely a misspelling).
		near, err := voc.near(word, 1, maxFuzzyCandidates)
		if err == nil && len(near) == 0 && have == 0 && maxTypos > 1 {
			near, err = voc.near(word, maxTypos, maxFuzzyCandidates)
		}
		if err != nil {
			return nil, err
		}
		// Keep candidates that are real words (not stop words) in a live
		// article and, for a word the vocabulary knows, much more common
		// than it: as many as the corrections read (every runner-up of the
		// first misspelt word, the best of the others).
		need := 1
		if len(bad) == 0 {
			need = maxCorrections
		}
		cands := near[:0]
		for _, c := range near {
			if len(cands) == need {
				break
			}
			if have > 0 && c.count < 10*have {
				continue
			}
			term := indexTerm(c.word)
			if term == "" {
				continue
			}
			if ok, err := voc.live(term); err != nil {
				return nil, err
			} else if ok {
				cands = append(cands, c)
			}
		}
		if len(cands) > 0 {
			bad = append(bad, misspelt{tok: tok, cands: cands})
		}
	}
	out := []Correction{}
	if len(bad) == 0 {
		return out, nil
	}
	// The best correction takes every word's best candidate; the next ones
	// try the first misspelt word's runners-up.
	choice := make([]int, len(bad))
	for alt := 0; alt < maxCorrections && alt < len(bad[0].cands); alt++ {
		choice[0] = alt
		out = append(out, rewrite(text, bad, choice))
	}
	return out, nil
}

// rewrite replaces each misspelt token of text by its chosen candidate,
// keeping the typed capitalisation.
func rewrite(text string, bad []misspelt, choice []int) Correction {
	var b strings.Builder
	c := Correction{}
	pos := 0
	for i, m := range bad {
		typed := text[m.tok.Start:m.tok.End]
		to := matchCase(typed, m.cands[choice[i]].word)
		b.WriteString(text[pos:m.tok.Start])
		b.WriteString(to)
		pos = m.tok.End
		c.Changes = append(c.Changes, Change{From: typed, To: to})
	}
	b.WriteString(text[pos:])
	c.Query = b.String()
	return c
}

// matchCase gives word the capitalisation of typed: all capitals
// ("NATO"), a capital first letter ("Shoigo"), or as it is.
func matchCase(typed, word string) string {
	first, _ := utf8.DecodeRuneInString(typed)
	if !unicode.IsUpper(first) {
		return word
	}
	if utf8.RuneCountInString(typed) > 1 && strings.ToUpper(typed) == typed {
		return strings.ToUpper(word)
	}
	r, n := utf8.DecodeRuneInString(word)
	return string(unicode.ToTitle(r)) + word[n:]
}

func isHanToken(t *analysis.Token) bool {
	switch t.Type {
	case analysis.Single, analysis.Double, analysis.Ideographic:
		return true
	}
	return false
}
