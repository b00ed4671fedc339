package index

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/index/scorch"
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
	// it), most frequent first. Stop words are left out. After other
	// words, only those some article has with every other word, counted
	// and ranked so (suggestcontext.go).
	Completions []Completion
	// Corrections of the text's unknown (or much rarer than a neighbour)
	// words: "did you mean", best first.
	Corrections []Correction
	Took        time.Duration
}

// Completion is one vocabulary word that completes the last word.
type Completion struct {
	Text  string // the vocabulary word (folded: lower case, no diacritics)
	Count int    // articles that contain it; after other words, articles with every word of Query
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
	if snap, ok := voc.r.(*scorch.IndexSnapshot); ok {
		voc.dec = x.decodedFor(snap)
	}

	out := Suggestions{Completions: []Completion{}, Corrections: []Correction{}}
	// As a search reads it: full-width letters as ASCII, traditional
	// Chinese as simplified (習近 completes to 习近平), invisible
	// characters dropped.
	text := cleanQueryText(q.Text)
	toks := rawAnalyzer.Analyze([]byte(blankFieldPrefixes(text)))
	if len(toks) == 0 {
		out.Took = time.Since(start)
		return out, nil
	}
	toks = typedJoinedName(text, toks)
	last := toks[len(toks)-1]
	open := last.End == len(text)
	if open {
		names, weak, err := completeNames(voc, x.lex, text, toks)
		if err != nil {
			return Suggestions{}, searchError(err)
		}
		// After other words, completions are counted in context
		// (suggestcontext.go): more of the vocabulary's are looked at, as
		// many lead nowhere.
		before := contextText(text)
		pool := q.Size
		if before != "" {
			pool = maxContextChecks
		}
		an := x.m.AnalyzerNamed(analyzerName)
		words, hyphenated, err := completeHyphenated(voc, an, text, last, pool)
		if err == nil && !hyphenated {
			words, err = completeCompound(voc, an, text, toks, pool)
		}
		if err == nil && !hyphenated && len(words) == 0 {
			words, err = complete(voc, x.lex, an, text, last, pool)
		}
		if err != nil {
			return Suggestions{}, searchError(err)
		}
		rest := mergeByCount(weak, words)
		if before != "" {
			if names, rest, err = x.newContextCounter(bi, voc).completions(ctx, text, before, names, rest, q.Size); err != nil {
				return Suggestions{}, searchError(err)
			}
		}
		out.Completions = mergeCompletions(names, rest, q.Size)
	}
	if out.Corrections, err = correct(voc, x.lex, text, toks, open && len(out.Completions) > 0); err != nil {
		return Suggestions{}, searchError(err)
	}
	out.Took = time.Since(start)
	return out, nil
}

// typedJoinedName returns toks, the tokens of text, with a name that
// ends text and that the index has whole (wholeNameAt: AT&T, S/P, C++)
// as their last token, in place of its letters':
// s&p had completed its p (s&pct, s&price), and c++ nothing.
func typedJoinedName(text string, toks analysis.TokenStream) analysis.TokenStream {
	input := []byte(text)
	for _, tok := range toks {
		if tok.End-tok.Start > maxAmpersandLetters {
			continue
		}
		// A name written with and (S and P) is typed as words.
		name := wholeNameAt(input, tok.Start, tok.End-tok.Start)
		if name.next != len(input) || input[tok.End] == ' ' {
			continue
		}
		kept := slices.DeleteFunc(slices.Clone(toks), func(t *analysis.Token) bool { return t.Start >= tok.Start })
		return append(kept, &analysis.Token{Term: name.term(input, tok.Start), Start: tok.Start, End: len(input), Position: tok.Position, Type: analysis.AlphaNumeric})
	}
	return toks
}

// complete returns up to size vocabulary words that complete the token
// last, which ends text. For Chinese the last character is the prefix and
// the completions are the vocabulary's bigrams that start with it, checked
// against the characters typed before it (following).
func complete(voc *vocabulary, lx *lexicon, an analysis.Analyzer, text string, last *analysis.Token, size int) ([]Completion, error) {
	prefix, typed := string(last.Term), text[last.Start:last.End]
	replaceFrom := last.Start
	var before string // Han characters typed before prefix
	han := isHanToken(last)
	if han {
		r, n := utf8.DecodeLastRuneInString(text)
		prefix, typed = string(r), string(r)
		replaceFrom = len(text) - n
		before = hanTail(text[:replaceFrom], hanContext-2)
	}
	// One word per index term: the search matches a term's every form, so
	// москве, москву and москвы would be one completion three times. When
	// the typed word is itself a word, its own forms are left out too:
	// заявил searches заявили already.
	offered := map[string]bool{}
	var least uint64 // the fewest articles a completion may have
	acronymsOnly := false
	var nameStarts []string // the names a misspelt name may be (see below)
	if before == "" {
		n, err := voc.count(prefix)
		if err != nil {
			return nil, err
		}
		term := indexTerm(prefix) // "": a stop word
		if n == 0 && term != "" { // else no misspelling, nor is a stop word, which the vocabulary does not count
			if nameStarts, err = misspeltNameStarts(voc, lx, prefix, typed); err != nil {
				return nil, err
			}
		}
		if typedAcronym(typed) && (n >= minRareTyped || lx.has(typed)) {
			// An acronym the articles use or the name table knows is
			// typed whole, as the search takes it (typedAcronym): OPEC
			// offered OPECNA (2 articles), SCO Scotland. It completes
			// only to the name table's longer acronyms: NAT, which 5
			// articles of the news corpora write, to NATO (611).
			acronymsOnly = true
		}
		if n > 0 && term != "" {
			offered[term] = true
			// The word in all its forms, as the search matches them:
			// танкер, in 1 article of the news corpora as typed and 17
			// in all, offered танкерного (1). Not a stem shorter than a
			// prefix, which is many words' (обо's об, in thousands):
			// Министерство обо had offered nothing, not even обороны.
			if utf8.RuneCountInString(term) >= minPrefixRunes {
				s, err := voc.stemCount(term)
				if err != nil {
					return nil, err
				}
				n = max(n, s)
			}
		}
		if n >= minRareTyped && utf8.RuneCountInString(prefix) >= minPrefixRunes && term != "" {
			// A word the articles use is likely typed whole: as the
			// search does, offer only commoner words it begins. death
			// (140 articles on the news corpora) offered deathmatch (4)
			// and deathifier (1). A shorter word still offers the
			// words it starts, as the search does not complete it: Xi,
			// Xinhua. So does a stop word, which no search looks for
			// and no word is commoner than: Путин под had offered
			// nothing, not поддержку.
			least = n
		}
	}
	var words []vocabWord
	var err error
	if before == "" {
		words, err = voc.withPrefix(prefix, maxPrefixScan)
	} else {
		words, err = voc.following(an, before, prefix)
	}
	if err != nil {
		return nil, err
	}
	out := []Completion{}
	var top uint64 // the count of the first Chinese completion
	for _, w := range words {
		if len(out) == size {
			break
		}
		if before != "" && top > 0 && w.count*hanRare < top {
			break // following gives the commonest first: the rest are rarer
		}
		if w.count < least {
			break // withPrefix gives the commonest first too
		}
		if acronymsOnly {
			if up := strings.ToUpper(w.word); !typedAcronym(up) || !lx.has(up) {
				continue
			}
		}
		if nameStarts != nil && !beginsWithAny(w.word, nameStarts) {
			continue
		}
		if least > 0 && splitFrom(prefix, w.word) {
			continue // a word typed whole: Cooper does not complete to cooperation
		}
		term, ok, err := voc.completes(prefix, w.word)
		if err != nil {
			return nil, err
		}
		if ok && !offered[term] {
			offered[term] = true
			word := matchCase(typed, w.word)
			c := Completion{Text: w.word, Count: int(w.count), Query: text[:replaceFrom] + word}
			if before != "" && len(out) < hanExtended {
				if c, err = extendHan(voc, an, c, before+w.word); err != nil {
					return nil, err
				}
			}
			if han && hanFunctionEnd(c.Text) {
				continue
			}
			if top == 0 {
				top = w.count
			}
			out = append(out, c)
		}
	}
	return out, nil
}

// misspeltNameStarts returns, for a capitalised word that no article
// has in any form and that is a typo from names, those names: the word is
// one of them misspelt, and completes only to words that begin with one,
// as the search takes it (expander.alternatives). Puttin offered putting
// (154 articles of the news corpora) and no correction; now Putin is its
// correction, and Brazili still completes to Brazilian. nil for any other
// word.
func misspeltNameStarts(voc *vocabulary, lx *lexicon, prefix, typed string) ([]string, error) {
	if !isCapitalised(typed) || utf8.RuneCountInString(prefix) < 5 {
		return nil, nil
	}
	if term, n, err := voc.formsCount(prefix); err != nil || term == "" || n > 0 {
		return nil, err
	}
	near, err := voc.near(prefix, 1, maxFuzzyCandidates)
	if err != nil {
		return nil, err
	}
	ordered, n := lx.namesFirst(near)
	var names []string
	for _, w := range ordered[:n] {
		names = append(names, w.word)
	}
	return names, nil
}

// completeCompound completes the word being typed after a hyphen as the
// compound's second word: Coca-C offered Coca-Company, Coca-Corp and
// Coca-Cts, words that C begins, and no Coca-Cola. A compound of two
// ASCII words is also indexed joined (joinable), so the vocabulary's
// words that the two begin joined (cocac: cocacola, in 30 articles of the
// news corpora) are the compounds the articles may write, commonest
// first. Each is offered when some article has its two words together
// (Coca-Cola, Coca Cola), with the number of those: em begins employment,
// but no article writes e-mployment. It returns none when the last word
// is not a compound's second, or no compound is found: the word's own
// completions stand.
func completeCompound(voc *vocabulary, an analysis.Analyzer, text string, toks analysis.TokenStream, size int) ([]Completion, error) {
	// The analyzer gives the compound's first word, its joined term (a
	// Shingle, where joinable allows one) and the word being typed.
	last := toks[len(toks)-1]
	var first, joined *analysis.Token
	for _, tok := range toks[:len(toks)-1] {
		switch {
		case tok.Position != last.Position-1:
		case isShingle(tok):
			joined = tok
		default:
			first = tok
		}
	}
	if first == nil || joined == nil {
		return nil, nil
	}
	head, prefix := string(first.Term), string(joined.Term)
	if !strings.HasPrefix(prefix, head) {
		return nil, nil
	}
	words, err := voc.withPrefix(prefix, maxPrefixScan)
	if err != nil {
		return nil, err
	}
	var out []Completion
	offered := map[string]bool{}
	for i, w := range words {
		if len(out) == size || i == maxContextChecks {
			break
		}
		term, ok, err := voc.completes(prefix, w.word)
		if err != nil {
			return nil, err
		}
		if !ok || offered[term] {
			continue
		}
		offered[term] = true
		second := w.word[len(head):]
		n, err := voc.compoundCount(an, head+"-"+second)
		if err != nil {
			return nil, err
		}
		if n > 0 {
			out = append(out, Completion{Text: w.word, Count: int(n), Query: text[:last.Start] + matchCase(text[last.Start:last.End], second)})
		}
	}
	slices.SortStableFunc(out, func(a, b Completion) int { return b.Count - a.Count })
	return out, nil
}

// completeHyphenated completes the word being typed after a hyphen (the
// second word of Санкт-П, the third of Ростов-на-Д) to the words that
// make, with the compound's words before it, a compound the articles
// write (Санкт-Петербург), with the number of those, most first. ok is
// false when the last word follows no hyphen, or when the compound's
// first words are ASCII, which completeCompound completes through their
// joined term (Coca-Cola). Before, the word was completed alone:
// Санкт-П offered Санкт-Подписывайся and Санкт-Пока.
func completeHyphenated(voc *vocabulary, an analysis.Analyzer, text string, last *analysis.Token, size int) (_ []Completion, ok bool, err error) {
	if last.Start < 2 || text[last.Start-1] != '-' {
		return nil, false, nil
	}
	start := strings.LastIndexFunc(text[:last.Start], unicode.IsSpace) + 1
	head := text[start:last.Start]
	if !containsLetter(head[:len(head)-1]) || indexNonASCII([]byte(head)) == len(head) {
		return nil, false, nil
	}
	prefix := string(last.Term)
	words, err := voc.withPrefix(prefix, maxPrefixScan)
	if err != nil {
		return nil, true, err
	}
	// One word per index term, as complete offers, and none of the typed
	// word's own term, which its search matches already: Нью-Йорк had
	// offered Нью-Йорке.
	offered := map[string]bool{indexTerm(prefix): true}
	var out []Completion
	for i, w := range words {
		if len(out) == size || i == maxContextChecks {
			break
		}
		term := indexTerm(w.word)
		if term == "" || offered[term] {
			continue // a stop word (the phrase would be the head's alone) or a form offered
		}
		offered[term] = true
		n, err := voc.compoundCount(an, head+w.word)
		if err != nil {
			return nil, true, err
		}
		if n > 0 {
			out = append(out, Completion{Text: w.word, Count: int(n), Query: text[:last.Start] + matchCase(text[last.Start:last.End], w.word)})
		}
	}
	slices.SortStableFunc(out, func(a, b Completion) int { return b.Count - a.Count })
	return out, true, nil
}

// compoundCount returns the number of live articles that write the
// compound text, with its hyphens or apart: the phrase of its words.
func (v *vocabulary) compoundCount(an analysis.Analyzer, text string) (uint64, error) {
	found, err := v.phraseDocs(slices.DeleteFunc(an.Analyze([]byte(text)), isShingle))
	if err != nil {
		return 0, err
	}
	return found.GetCardinality(), nil
}

// containsLetter reports whether s has a letter.
func containsLetter(s string) bool { return strings.IndexFunc(s, unicode.IsLetter) >= 0 }

// maxCompletedNameWords is the most words of a name a completion looks back over
// (Power of S: Power of Siberia).
const maxCompletedNameWords = 3

// minNameFragment is the shortest word alone that names complete: Pu
// starts too many. A shorter word typed capitalised completes the names
// it is a whole word of: Xi, Xi Jinping.
const minNameFragment = 3

// completeNames returns the names that the last words of text begin, when
// the index has them, most common first: the people, places and
// organisations of the entity gazetteer (data/entities.txt) with the
// articles the entity facet counts for them (Vladimir P: Vladimir Putin;
// Сергей Лав: Сергей Лавров), and the name table's names (names.txt)
// when some spelling of them is in the index: Xi Jin completes to Xi
// Jinping, though no English article of the news corpora writes Jinping,
// as the Russian and Chinese ones write Си Цзиньпин and 习近平; Wang Y to
// Wang Yi rather than "Wang Year". A name table name's count is an
// estimate (groupCount). The words before the last must be the name's,
// the last its word's start (begins); a name is offered once, as written
// in the first of its spellings that fits. Acronyms and Chinese are not
// completed here.
//
// A name that only a lower-case fragment begins is weak: the fragment is
// as likely a word's start, and the caller ranks such names among the
// words by their counts (oil pri offers price, 2,066 articles, before
// Prigozhin, 3). The others, with a word of the name before the fragment
// (Vladimir P) or the fragment capitalised (Pri), are names first.
func completeNames(voc *vocabulary, lx *lexicon, text string, toks analysis.TokenStream) (names, weak []Completion, err error) {
	// Names are matched word by word, without a compound's joined term
	// (analyzeRawTerms).
	toks = slices.DeleteFunc(slices.Clone(toks), isShingle)
	if len(toks) == 0 || isHanToken(toks[len(toks)-1]) {
		return nil, nil, nil
	}
	g := defaultGazetteer()
	// The gazetteer's names first: their counts are exact, and a query a
	// name table name shares with one is left to it.
	sources := []struct {
		names nameSpellings
		count func(id int) (uint64, error)
	}{
		{g.spelt, func(id int) (uint64, error) { return entityCount(voc, g.entities[id]) }},
		{lx.names(), func(id int) (uint64, error) { return groupCount(voc, lx.groups[id]) }},
	}
	offered := make([]map[int]bool, len(sources)) // ids, per source
	queries := map[string]bool{}
	for n := min(maxCompletedNameWords, len(toks)); n >= 1; n-- {
		tail := toks[len(toks)-n:]
		typed := tokenTerms(tail)
		capital := isCapitalised(text[tail[0].Start:tail[0].End])
		whole := false // only names with the short word typed whole
		if n == 1 && utf8.RuneCountInString(typed[0]) < minNameFragment {
			if w := text[tail[0].Start:tail[0].End]; !capital || typedAcronym(w) {
				continue
			}
			whole = true
		}
		from := text[:tail[0].Start]
		for i, src := range sources {
			for _, sp := range src.names.begun(typed) {
				if offered[i][sp.id] || whole && sp.words[0] != typed[0] {
					continue
				}
				if offered[i] == nil {
					offered[i] = map[int]bool{}
				}
				offered[i][sp.id] = true
				count, err := src.count(sp.id)
				if err != nil {
					return nil, nil, err
				}
				c := Completion{Text: strings.Join(sp.words[n-1:], " "), Count: int(count), Query: from + sp.text}
				if key := strings.ToLower(c.Query); count > 0 && !queries[key] { // 0: no article has the name
					queries[key] = true
					if n == 1 && !capital {
						weak = append(weak, c)
					} else {
						names = append(names, c)
					}
				}
			}
		}
	}
	byCount := func(a, b Completion) int { return cmp.Compare(b.Count, a.Count) }
	slices.SortStableFunc(names, byCount)
	slices.SortStableFunc(weak, byCount)
	return names, weak, nil
}

// mergeByCount merges two lists of completions, each most common first,
// into one, a's first on a tie.
func mergeByCount(a, b []Completion) []Completion {
	out := slices.Concat(a, b)
	slices.SortStableFunc(out, func(x, y Completion) int { return cmp.Compare(y.Count, x.Count) })
	return out
}

// entityCount is the number of articles the entity facet counts for e:
// its canonical name's documents in its kind's field.
func entityCount(voc *vocabulary, e gazEntity) (uint64, error) {
	tfr, err := voc.r.TermFieldReader(voc.ctx, []byte(e.canonical), entityFields[e.kind], false, false, false)
	if err != nil {
		return 0, err
	}
	defer tfr.Close()
	return tfr.Count(), nil
}

// groupCount estimates how many articles a name's group is in: the most,
// over its spellings, of the vocabulary count of each spelling's rarest
// word (a Chinese spelling's words are its bigrams). No article holds a
// spelling more often than its rarest word, so this bounds each
// spelling's articles from above; 0 means none has it. A spelling whose
// rarest word no live article has counts for nothing.
func groupCount(voc *vocabulary, group []string) (uint64, error) {
	var best uint64
	for _, m := range group {
		words := analyzeRawTerms(m)
		if len(words) == 0 {
			continue
		}
		least, rarest := uint64(math.MaxUint64), ""
		for _, w := range words {
			n, err := voc.count(w)
			if err != nil {
				return 0, err
			}
			if n < least {
				least, rarest = n, w
			}
		}
		if least > best {
			// The vocabulary still counts the articles a write deleted
			// or replaced: a name only they had is no name to offer.
			if term := indexTerm(rarest); term != "" {
				live, err := voc.live(term)
				if err != nil {
					return 0, err
				}
				if !live {
					continue
				}
			}
			best = least
		}
	}
	return best, nil
}

// mergeCompletions puts names before the vocabulary's words, each search
// once, at most size: a name is often a word the vocabulary completes
// too, in the same form or another that searches the same terms (Москв
// offered the name Москва and the word москве, both москв).
func mergeCompletions(names, words []Completion, size int) []Completion {
	out := make([]Completion, 0, size)
	seen := map[string]bool{}
	for _, c := range slices.Concat(names, words) {
		if len(out) == size {
			break
		}
		key := strings.Join(analyzeTerms(c.Query), " ")
		if key == "" {
			key = strings.ToLower(c.Query)
		}
		if !seen[key] {
			seen[key] = true
			out = append(out, c)
		}
	}
	return out
}

// Chinese completes a character at a time, but a word often has one
// likely end: after 俄罗斯总 (557 articles on CCTV's) comes 统 in 531 of
// them. The hanExtended best completions of a Han run take the next
// character while at least hanExtendShare of their articles have it, up
// to hanExtendChars more characters (上海合 becomes 上海合作组织), and
// only while at least hanExtendMin articles hold the run (one article's
// words are no word).
// A Chinese completion a hundred times rarer than the first is mostly two
// words' characters side by side (一带 offered 一带一路 in 1,468
// articles, then 一带的, 一带雨 and 一带高 in 8, 3 and 2): it is left out.
const hanRare = 100

const (
	hanExtended    = 3
	hanExtendChars = 4
	hanExtendShare = 0.9
	hanExtendMin   = 10
)

// hanFunctionChars are characters that, added alone to a Chinese run,
// make no word of it: particles, conjunctions and prepositions (的, 和,
// 同, 在), and 一, which mostly starts the next word. On the news corpora
// 美国大选 offered 美国大选的 and 美国大选中, 印度 印度和 and 印度的,
// 习近平 习近平同 ("Xi with").
const hanFunctionChars = "的了和与同及在是对将也等为向把被就都而并但或之中于以从到给让由所其一"

// hanFunctionEnd reports whether the Chinese completion text (its bigram
// and what extendHan added) adds one character only, a function one.
func hanFunctionEnd(text string) bool {
	r, n := utf8.DecodeLastRuneInString(text)
	return utf8.RuneCountInString(text) == 2 && n < len(text) && strings.ContainsRune(hanFunctionChars, r)
}

// extendHan lengthens the Chinese completion c (see hanExtended), whose
// count is that of the run ctx (the characters typed before it that
// completions check, and its bigram). Each character added is counted
// with all of ctx, so a count never grows as the run lengthens.
func extendHan(voc *vocabulary, an analysis.Analyzer, c Completion, ctx string) (Completion, error) {
	for range hanExtendChars {
		if c.Count < hanExtendMin {
			break
		}
		r, n := utf8.DecodeLastRuneInString(ctx)
		need := uint64(math.Ceil(hanExtendShare * float64(c.Count)))
		next, ok, err := voc.likelyNext(an, ctx[:len(ctx)-n], string(r), need)
		if err != nil || !ok {
			return c, err
		}
		more := next.word[n:]
		ctx += more
		c.Text += more
		c.Query += more
		c.Count = int(next.count)
	}
	return c, nil
}

// likelyNext returns the vocabulary's bigram starting with prefix, a Han
// character typed after before, that at least need live articles hold
// after before, with that count; ok is false when none does. A bigram's
// own count bounds the count of the run ending in it, and the vocabulary
// gives the commonest first, so only the few common enough are counted
// as phrases. The answer is remembered per snapshot.
func (v *vocabulary) likelyNext(an analysis.Analyzer, before, prefix string, need uint64) (vocabWord, bool, error) {
	key := "\x00" + before + prefix + strconv.FormatUint(need, 10)
	got, err := remember(v.memo, func(m *vocabMemo) map[string][]vocabWord { return m.han }, key, func() ([]vocabWord, error) {
		var out []vocabWord
		err := v.countFollowing(an, before, prefix, func(w vocabWord) bool { return w.count >= need },
			func(w vocabWord, n uint64) bool {
				if n >= need {
					out = []vocabWord{{word: w.word, count: n}}
				}
				return out == nil
			})
		return out, err
	})
	if err != nil || len(got) == 0 {
		return vocabWord{}, false, err
	}
	return got[0], true, nil
}

// completes reports whether word, a vocabulary word starting with prefix,
// may be offered as its completion: it is longer, not a stop word, and
// some live article holds it; and its index term.
func (v *vocabulary) completes(prefix, word string) (string, bool, error) {
	if word == prefix || utf8.RuneCountInString(word) < 2 {
		return "", false, nil // nothing to complete
	}
	term := indexTerm(word)
	if term == "" {
		return "", false, nil // a stop word
	}
	ok, err := v.live(term)
	return term, ok, err
}

// Chinese is indexed as overlapping bigrams, so the vocabulary knows which
// characters follow the last one typed, not which follow the word it ends:
// after 俄罗斯 (Russia) the commonest bigrams of 斯 were 斯坦 (of 巴基斯坦,
// Pakistan) and 斯国, and after 习近 (of 习近平) 近日. When characters were
// typed before the last one, each of the hanChecks commonest bigrams is
// counted instead as the articles whose title or body holds it after the
// characters typed before it, hanContext characters in all, as a search
// matches a Chinese run (a phrase of its bigrams); the ones no article
// holds so are dropped.
const (
	hanContext = 4  // characters of a completed run that must occur together
	hanChecks  = 24 // bigrams counted per completion
)

// following returns the vocabulary's bigrams that start with prefix, a
// Han character typed after before, with the number of live articles
// holding before and the bigram together, most first; none that no
// article holds.
func (v *vocabulary) following(an analysis.Analyzer, before, prefix string) ([]vocabWord, error) {
	return remember(v.memo, func(m *vocabMemo) map[string][]vocabWord { return m.han }, before+prefix, func() ([]vocabWord, error) {
		var out []vocabWord
		checked := 0
		err := v.countFollowing(an, before, prefix, func(w vocabWord) bool { return checked < hanChecks },
			func(w vocabWord, n uint64) bool {
				checked++
				if n > 0 {
					out = append(out, vocabWord{word: w.word, count: n})
				}
				return true
			})
		// The vocabulary's order (its own counts, then the word) breaks ties.
		slices.SortStableFunc(out, func(a, b vocabWord) int { return cmp.Compare(b.count, a.count) })
		return out, err
	})
}

// countFollowing walks the vocabulary's bigrams that start with prefix,
// commonest first, while more(bigram) holds, and passes each that may
// complete it (vocabulary.completes) to yield, with the number of live
// articles holding before and the bigram together, until yield returns
// false.
func (v *vocabulary) countFollowing(an analysis.Analyzer, before, prefix string, more func(vocabWord) bool, yield func(vocabWord, uint64) bool) error {
	words, err := v.withPrefix(prefix, maxPrefixScan)
	if err != nil {
		return err
	}
	for _, w := range words {
		if !more(w) {
			return nil
		}
		if _, ok, err := v.completes(prefix, w.word); err != nil {
			return err
		} else if !ok {
			continue
		}
		n, err := v.phraseCount(an, before+w.word)
		if err != nil {
			return err
		}
		if !yield(w, n) {
			return nil
		}
	}
	return nil
}

// phraseCount returns the number of live articles whose title or body
// holds text's terms (analysed by an) as a phrase.
func (v *vocabulary) phraseCount(an analysis.Analyzer, text string) (uint64, error) {
	found, err := v.phraseDocs(an.Analyze([]byte(text)))
	if err != nil {
		return 0, err
	}
	return found.GetCardinality(), nil
}

// phraseDocs returns the live articles, by snapshot document number, whose
// title or body holds toks's terms as a phrase.
func (v *vocabulary) phraseDocs(toks analysis.TokenStream) (*roaring.Bitmap, error) {
	found := roaring.New()
	if len(toks) == 0 {
		return found, nil
	}
	snap, ok := v.r.(*scorch.IndexSnapshot)
	if !ok {
		return nil, fmt.Errorf("vocabulary: index reader %T is not a scorch snapshot", v.r)
	}
	terms := tokensToPhrase(toks)
	for _, f := range []string{fieldTitle, fieldBody} {
		l, err := phraseList(v.ctx, snap, snap, newBM25PhraseQuery(terms, f, 1, nil), v.dec)
		if err != nil {
			return nil, fmt.Errorf("vocabulary: %w", err)
		}
		found.Or(l.found)
	}
	return found, nil
}

// hanTail returns the last n or fewer characters of text's trailing run of
// Han and Kana characters.
func hanTail(text string, n int) string {
	i := len(text)
	for k := 0; k < n && i > 0; k++ {
		r, size := utf8.DecodeLastRuneInString(text[:i])
		if !unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana) {
			break
		}
		i -= size
	}
	return text[i:]
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
// A capitalised word's names come first (lexicon.namesFirst).
func correct(voc *vocabulary, lx *lexicon, text string, toks analysis.TokenStream, typing bool) ([]Correction, error) {
	// Words typed on the wrong keyboard layout first: their keys spell
	// another word, not a word with typos (layout.go).
	layout, err := layoutMistakes(voc, lx, text, !typing)
	if err != nil {
		return nil, err
	}
	var bad []misspelt
	lookups := 0
	for i, tok := range toks {
		if typing && i == len(toks)-1 || lookups == maxFuzzyWords {
			break
		}
		if slices.ContainsFunc(layout, func(m misspelt) bool { return tok.Start >= m.tok.Start && tok.End <= m.tok.End }) {
			continue
		}
		if tok.Type != analysis.AlphaNumeric || indexTerm(string(tok.Term)) == "" || typedAcronym(text[tok.Start:tok.End]) {
			continue
		}
		word := string(tok.Term)
		capitalised := isCapitalised(text[tok.Start:tok.End])
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
		// In all its forms, as the search matches them: Орбаном is in
		// no article as typed and was offered Образом and Органов above
		// the 107 articles its search finds.
		_, have, err := voc.formsCount(word)
		if err != nil {
			return nil, err
		}
		lookups++
		if have < minRareTyped {
			// A word the articles write only otherwise, which a search
			// finds as typed (expander), is no misspelling: Путин, on
			// English articles that write Putin, was offered Пекин; and
			// Medvedev, in 2 English articles of the news corpora and
			// as Медведев in 63, was offered Medvedej (a web address's).
			found, err := otherSpellingLive(voc, lx, word, capitalised)
			if err != nil {
				return nil, err
			}
			if found {
				continue
			}
		}
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
		if capitalised {
			if have == 0 {
				// A name no article writes as typed (see expander):
				// Shoigo is offered Shoigu, written Шойгу.
				near = append(lx.near(word, maxTypos), near...)
			}
			var names int
			near, names = lx.namesFirst(near)
			if have >= minRareTyped {
				// A word the articles use, capitalised, is a name as
				// typed, or another name misspelt, never a common word:
				// Wang Yi is not "Want Yi".
				near = near[:names]
			}
		}
		// Keep candidates that are real words (not stop words) in a live
		// article and, for a word the vocabulary knows, much more common
		// than it: as many as the corrections read (every runner-up of the
		// first misspelt word, the best of the others).
		need := 1
		if len(bad) == 0 {
			need = maxCorrections
		}
		var cands []vocabWord
		own := indexTerm(word)
		seen := map[string]bool{own: true}
		for _, c := range near {
			if len(cands) == need {
				break
			}
			if have > 0 && c.count < knownWordTypoFactor*have {
				continue
			}
			term := indexTerm(c.word)
			if slices.ContainsFunc(cands, func(k vocabWord) bool { return lx.sameName(k.word, c.word) }) {
				continue // Shoygu after Shoigu: one name, offered once
			}
			if term == "" || seen[term] {
				// a stop word, another form of the word (searched
				// already) or of a word kept: a name is both in the
				// vocabulary and the lexicon
				continue
			}
			seen[term] = true
			if ok, err := liveSpelling(voc, lx, c.word, term); err != nil {
				return nil, err
			} else if ok {
				cands = append(cands, c)
			}
		}
		if len(cands) > 0 {
			bad = append(bad, misspelt{tok: tok, cands: cands})
		}
	}
	if len(layout) > 0 {
		bad = append(bad, layout...)
		slices.SortFunc(bad, func(a, b misspelt) int { return a.tok.Start - b.tok.Start })
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
		c := rewrite(text, bad, choice)
		// The name and the word it is written as give one text:
		// Лавроа was offered Лавров twice.
		if !slices.ContainsFunc(out, func(o Correction) bool { return o.Query == c.Query }) {
			out = append(out, c)
		}
	}
	return out, nil
}

// liveSpelling reports whether a live article has the word, whose index
// term is term, or, for a name of the lexicon, one of its one-word
// spellings: Shoigu is a correction worth offering when only Шойгу is in
// the articles.
func liveSpelling(voc *vocabulary, lx *lexicon, word, term string) (bool, error) {
	if ok, err := voc.live(term); ok || err != nil {
		return ok, err
	}
	return otherSpellingLive(voc, lx, word, false)
}

// otherSpellingLive reports whether a live article writes the folded word
// otherwise, as a search for it would find it (expander.spellings): as a
// one-word member of its lexicon group, or, when it was typed capitalised,
// transliterated into the other script, letter for letter. A
// transliteration that only shares a stem with the articles' words is
// found too, but may be a misspelling: Shoigo's шойго is not Шойгу.
func otherSpellingLive(voc *vocabulary, lx *lexicon, word string, capitalised bool) (bool, error) {
	for _, a := range lx.alternatives(word) {
		if t := indexTerm(a.text); t != "" {
			if ok, err := voc.live(t); ok || err != nil {
				return ok, err
			}
		}
	}
	if !capitalised {
		return false, nil
	}
	// A transliteration the articles write letter for letter: a surname's
	// comes capitalised (Лавров), the vocabulary's words in lower case.
	// One that only shares a stem may be a misspelling's: Shoigo's шойго
	// shares Шойгу's.
	forms, err := translitSpellings(voc, word, maxTranslit)
	if err != nil {
		return false, err
	}
	for _, f := range forms {
		if n, err := voc.count(strings.ToLower(f.text)); n > 0 || err != nil {
			return n > 0, err
		}
	}
	return false, nil
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
