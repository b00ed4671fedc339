package index

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/search/query"
	bleveindex "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// Query-time expansion: typo tolerance and prefix search.
//
// title and body hold stems, and bleve's fuzzy and prefix queries compare
// against indexed terms as they are, so "cooperaton" would be compared with
// stems like "cooper" and "Minnik" with nothing useful. The words field
// holds every word unstemmed (only folded), which is the vocabulary a user
// types against. For each query word we look up the vocabulary words it
// could mean: within the allowed number of typos, or, for the word still
// being typed, starting with it. Each is stemmed the way title and body are
// analysed and searched there as a lower-weighted alternative of the word.
// So BM25 ranks exact matches above fuzzy ones, and highlighting marks the
// real words of the article ("Shoigu" for the query "Shoigo").
//
// The alternatives of one word come from one function, alternatives, which
// also adds names in other scripts and synonyms (names.go).

// Typo tolerance and prefix rules, after Meilisearch: a word of at least
// minTypo1 runes (counted after folding) may have one typo, from minTypo2
// runes two, unless the word typed is in minRareTyped articles or more. A
// typo on the first letter costs two, so a five-letter word must start
// right. Numbers, words with digits and Chinese are never fuzzed.
// A word within the typos must be in at least as many articles as the word
// typed, the prior of a spelling corrector: a rare word is likely a typo
// of a common neighbour, a common word is likely what was meant. It also
// keeps common words from expanding into dozens of rare alternatives, the
// largest cost of a search (bench/speed: typos=false was 1.5× the QPS).
const (
	minTypo1 = 5
	minTypo2 = 9
	// minRareTyped: a word typed that this many articles contain gets one
	// typo at most, however long (see alternatives).
	minRareTyped = 3
	// knownWordTypoFactor is how much commoner than a word the articles
	// use (minRareTyped or more) a typo neighbour must be to count, and
	// than any known word a correction must be to be offered.
	knownWordTypoFactor = 10
	// A word that at least max(minTypoCeiling, articles/typoCeilingShare)
	// articles use, in all its forms, is no misspelling: it takes no typos
	// (expander.typoCeiling).
	minTypoCeiling   = 20
	typoCeilingShare = 4000
	// minPrefixRunes is the shortest word (Han: one character) expanded as
	// a prefix. A single Latin letter would match most of the vocabulary,
	// and two letters its commonest words: Li, searched as typed (with no
	// space after it), found 6,588 English articles on the news corpora,
	// for like, life and little, Ma 18,398, and Xi's first hits were the
	// companies XIOX and XIDEX.
	minPrefixRunes = 3
	// maxAlternatives caps the alternatives of one word, and
	// maxQueryAlternatives those of a whole query: each is two term
	// queries (title, body).
	maxAlternatives      = 50
	maxQueryAlternatives = 200
	// maxFuzzyCandidates caps the vocabulary words within typo distance
	// that are looked at per word (each costs a doc-frequency lookup);
	// maxPrefixScan caps the dictionary entries read per prefix.
	maxFuzzyCandidates = 200
	maxPrefixScan      = 50000
	// maxFuzzyWords caps the words of one query looked up with typos: each
	// lookup builds a Levenshtein automaton (about 1–2 ms for two typos),
	// and a 32-word query should not cost 32 of them.
	maxFuzzyWords = 8
)

// Weights of alternatives relative to the word as typed. They multiply the
// BM25 boosts; an article scores with its best form of a word (see
// withAlternatives).
const (
	weightPrefix = 0.5
	weightTypo1  = 0.4
	weightTypo2  = 0.2
	// weightLayout: the word typed on the wrong keyboard layout (layout.go)
	// is what was meant more surely than a typo's neighbours are.
	weightLayout = 0.8
)

// alternative is another form of one query word: an analysed term (or,
// for a name or synonym of several words, a phrase) of the title and body
// fields and how much a match on it counts, relative to the word itself
// (1). Before analysis it is text, a vocabulary word or lexicon member.
type alternative struct {
	text   string
	term   string
	phrase [][]string
	weight float64
	count  uint64 // documents with the vocabulary word behind it, for ranking
	// blended: a typo or prefix match, scored with the commonest such
	// match's document frequency (see withAlternatives).
	blended bool
	// belowTyped: a typo's neighbour of a word the index has as typed;
	// the articles with the word itself rank first (plan: exactBonus).
	belowTyped bool
}

// expander finds the alternatives of query words in the vocabulary of one
// index snapshot. A nil *expander expands nothing.
type expander struct {
	voc      *vocabulary
	lex      *lexicon
	typos    bool
	prefix   bool
	budget   int   // alternatives left for this query
	fuzzy    int   // typo lookups left for this query
	translit int   // transliterated words left for this query
	err      error // the first vocabulary error; the search fails with it
}

// newExpander returns an expander for q, or nil when q asks for neither
// typo tolerance nor prefixes and there is no lexicon (names, synonyms).
// Call close when done.
func newExpander(ctx context.Context, bi bleve.Index, q Query, lex *lexicon, aids vocabAids) (*expander, error) {
	if !q.Typos && !q.Prefix && lex == nil {
		return nil, nil
	}
	voc, err := openVocabulary(ctx, bi, aids)
	if err != nil {
		return nil, err
	}
	return expanderOn(voc, q, lex), nil
}

// expanderOn returns an expander for q over an open vocabulary, which
// the caller closes.
func expanderOn(voc *vocabulary, q Query, lex *lexicon) *expander {
	return &expander{voc: voc, lex: lex, typos: q.Typos, prefix: q.Prefix,
		budget: maxQueryAlternatives, fuzzy: maxFuzzyWords, translit: maxTranslitWords}
}

// typoCeiling is how many articles make a word typed no misspelling.
// Writers' misspellings are rare: on the news corpora (69,954 articles)
// goverment is in 10, recieve in 12, seperate in 8, accomodation in 13.
// A word in more is another word, though ten times rarer than its
// neighbour: peace (66 articles) had found place (1,042) for a typo,
// crash cash, prize price, debut debt, boeing being, tanks talks. Of
// the 58,522 words of five letters or more in 3 articles or more there,
// 4,855 had a neighbour 10 to 30 times commoner and 1,314 one 30 to 100
// times (pairs of the two), nearly all of them two words.
func (e *expander) typoCeiling() (uint64, error) {
	docs, err := e.voc.r.DocCount()
	if err != nil {
		return 0, err
	}
	return max(minTypoCeiling, docs/typoCeilingShare), nil
}

func (e *expander) close() {
	if e != nil {
		e.voc.close()
	}
}

// alternatives returns the other forms of the query word t that a search
// should also match, best first: names and synonyms from the lexicon (also
// for phrases and Chinese runs), spellings in the other script that occur
// in the index, vocabulary words within the allowed typos, and, when t is
// still being typed, vocabulary words that start with it. Stop words have
// none. The word's own term is never among them.
func (e *expander) alternatives(t qterm) []alternative {
	cands, tok, term, ok := e.spellings(t)
	if !ok {
		return nil
	}
	if tok == nil {
		// several words or bigrams: searched as a phrase, exactly
		return e.best(t, cands)
	}
	word := string(tok.Term)
	// The articles with the word as typed, and with its stem, each looked
	// up once, when a rule below asks.
	typedCount := countOnce{voc: e.voc, of: word}
	stemCount := countOnce{voc: e.voc, of: term, stem: true}
	if numeral, ok := lowerRomanNumeral(t.text); ok && !e.lex.has(t.text) {
		// louis xiv means Louis XIV; but xi is the name Xi, typed lazily.
		cands = append(cands, alternative{text: numeral, weight: 1})
	}
	names, err := e.fragmentNames(t, word, &typedCount)
	if err != nil {
		e.err = err
		return nil
	}
	if len(names) > 0 {
		// A fragment's transliterations spell no word the user means:
		// Zelen's зелен is green.
		cands = names
	}
	spelt := cands // the name's other spellings, before typos are added
	if len(spelt) > 0 {
		typed, err := stemCount.get()
		if err != nil {
			e.err = err
			return nil
		}
		if typed == 0 {
			standIn(spelt)
		}
	}
	// An acronym, or a cased name (casedname.go), is the word as typed:
	// no typos, no completions (Маск does not complete to маска).
	_, cased := queryCasedName(t)
	acronym := typedAcronym(t.text) || cased
	// A capitalised word no article writes in any of its forms, a typo
	// from a name, is that name misspelt, not a word being typed: Puttin
	// had found putting, and through its stem the articles on puts,
	// before Putin. Its completions that begin with the name stay
	// (Brazili: Brazilian, of Brazil). (Херсон, which the articles write
	// only as Херсоне and Херсона, still completes to Херсонской.)
	var misspeltNames []string
	if e.typos && !acronym {
		layout, err := e.layoutAlternatives(t)
		if err != nil {
			e.err = err
			return nil
		}
		cands = append(cands, layout...)
	}
	if e.typos && e.fuzzy > 0 && !acronym {
		if maxTypos := typoBudget(tok); maxTypos > 0 {
			e.fuzzy--
			typed, err := typedCount.get()
			if err != nil {
				e.err = err
				return nil
			}
			// How many articles use the word, in any of its forms, as
			// the search matches them all: a Russian word's cases spread
			// its count, and the form typed may be rare where the word is
			// not. танкер (tanker) is in 1 article of the news corpora
			// as typed and in 17 in all its cases; taken for rare, it
			// had found Такер (Tucker, 13), and удобрения (fertilisers,
			// 1 and 6) одобрения (approval) in 31 articles more.
			n, err := stemCount.get()
			if err != nil {
				e.err = err
				return nil
			}
			known := max(typed, n)
			ceiling, err := e.typoCeiling()
			if err != nil {
				e.err = err
				return nil
			}
			if known < ceiling && len(spelt) > 0 {
				// Nor is a word whose other spellings are as common:
				// the articles of the news corpora write drone in 4
				// and its subject's беспилотник and 无人机 in 1,706,
				// and its typos had put done and drove first.
				n, err := e.spellingsCount(spelt, ceiling)
				if err != nil {
					e.err = err
					return nil
				}
				known += n
			}
			if known >= ceiling {
				// A word this many articles use is no misspelling.
				maxTypos = 0
			} else if known >= minRareTyped {
				// A word the articles use is likely meant. Its second typo
				// would only reach commoner words two edits away, mostly
				// other words, and it costs the most: a two-typo lookup
				// took 0.9 ms on Reuters, one typo 0.1 ms.
				maxTypos = 1
			}
			if isCapitalised(t.text) {
				// A name the articles use, in any of its forms: its
				// neighbours are other words. Навальный (in 2 articles as
				// typed, 13 in all its cases) found начальный (initial) in
				// 41 more on the news corpora.
				n, err := stemCount.get()
				if err != nil {
					e.err = err
					return nil
				}
				if max(typed, n) < minRareTyped {
					// Or in its other spellings: no English article
					// writes Kazan, 83 Russian ones Казань, and its
					// typos had put Kahan, a Reuters economist, first.
					n, err = e.spellingsCount(spelt, minRareTyped)
					if err != nil {
						e.err = err
						return nil
					}
				}
				// Or the first word of a name the tables know: Сирил, of
				// Сирил Рамафоса, in 2 Russian articles of the news
				// corpora, had been taken for Сирия misspelt (473
				// articles on Syria).
				if max(typed, n) >= minRareTyped || e.lex.startsMember(word) || defaultGazetteer().firsts[word] {
					maxTypos = 0
				}
			}
			var near []vocabWord
			switch maxTypos {
			case 0:
			case 1:
				// A word the articles use is meant unless a neighbour is
				// much commoner, as for corrections: "house white" took
				// "while" (three times as common) for white.
				minCount := typed
				if known >= minRareTyped {
					minCount = knownWordTypoFactor * known
				}
				near, err = e.voc.commoner(word, minCount, maxFuzzyCandidates)
			default:
				near, err = e.voc.near(word, maxTypos, maxFuzzyCandidates)
			}
			if err != nil {
				e.err = err
				return nil
			}
			names := false
			var lexNear []vocabWord
			if isCapitalised(t.text) {
				// A capitalised word with a name among its neighbours is
				// that name misspelt: "Beijng Olympics" had found 1,762
				// articles on the news corpora, most for "being". The
				// name need not be in the index when the word is not
				// either (Shoigo: Shoigu, written Шойгу).
				if typed == 0 {
					lexNear = e.lex.near(word, maxTypos)
				}
				if ordered, n := e.lex.namesFirst(near); n > 0 || len(lexNear) > 0 {
					// A copy: near may be the vocabulary's remembered
					// look-up, which appending to would overwrite.
					near, names = append(ordered[:n:n], lexNear...), true
				}
			}
			// A neighbour one typo away that the articles use is what was
			// meant rather than one two typos away, however common:
			// arguement found agreement (2,176 articles of the news
			// corpora, two typos) in all of its first hundred hits, and
			// argument (97, one typo) in none.
			closer := slices.ContainsFunc(near, func(n vocabWord) bool {
				return n.typos == 1 && n.count >= max(typed, minRareTyped)
			})
			for _, n := range near {
				if closer && n.typos > 1 {
					continue
				}
				if n.count < typed {
					// What was typed is the commoner word: its rarer
					// neighbours are other words or the articles' own
					// misspellings, not what the user meant.
					continue
				}
				w := weightTypo1
				if n.typos > 1 {
					w = weightTypo2
				}
				cands = append(cands, alternative{text: n.word, weight: w, count: n.count, blended: true, belowTyped: known > 0})
				if names && known == 0 {
					misspeltNames = append(misspeltNames, n.word)
				}
				if names {
					// The name misspelt finds what the name finds: Beijng
					// also Пекин and 北京, each weighed as the name's
					// spelling and the typo together.
					for _, a := range e.lex.alternatives(n.word) {
						a.weight *= w
						a.belowTyped = known > 0
						cands = append(cands, a)
					}
				}
			}
		}
	}
	if e.prefix && t.open && prefixable(tok) && !acronym {
		words, err := e.voc.withPrefix(word, maxPrefixScan)
		if err != nil {
			e.err = err
			return nil
		}
		// The typed text is itself a word when the vocabulary holds it:
		// then, as for typos, only commoner completions are likely meant
		// ("trade" → trades, not trademark). A fragment ("Minnik") keeps
		// all of them, commonest first.
		var typed uint64
		for _, w := range words {
			if w.word == word {
				typed = w.count
			}
		}
		if typed > 0 {
			// In all its forms, as the search matches them: танкер is in
			// 1 article of the news corpora as typed and in 17 in all.
			n, err := stemCount.get()
			if err != nil {
				e.err = err
				return nil
			}
			typed = max(typed, n)
		}
		for _, w := range words {
			if misspeltNames != nil && !beginsWithAny(w.word, misspeltNames) {
				continue
			}
			if typed > 0 && (!strings.HasPrefix(stemTerm(w.word), term) || splitFrom(word, w.word)) {
				// A completion of a word whose stem is shorter than the
				// word typed reaches what the typed word does not:
				// Дели (Delhi, in 9 articles of the news corpora) had
				// completed to делиться, whose stem дел is also дело's
				// (a case), and found 1,312 articles, дело first.
				continue
			}
			if w.word != word && w.count >= typed {
				cands = append(cands, alternative{text: w.word, weight: weightPrefix, count: w.count, blended: true})
			}
		}
	}
	return e.best(t, cands)
}

// maxNameRunWords is the most words of a name nameRuns looks for: the
// longest spelling of the tables (Ministry of Foreign Affairs of China).
// Runs of three at most had left the 33 names of four words or more
// unfound as typed: Communist Party of China had every word in 13
// articles of the news corpora, though 3,576 name the party, most as
// 中国共产党.
const maxNameRunWords = 6

// nameRuns gives each of clauses the other spellings of the name that it
// spells with its neighbours: runs of two to maxNameRunWords adjacent
// clauses, each typed without quotes, that together are a name table member of
// several words (White House, European Union) or a spelling of a
// gazetteer entity (Vladimir Putin). Each clause of the run gets the
// name's other spellings as alternatives, so an article that writes Белый
// дом or 白宫 matches both clauses of White House, and the run's text
// (runs, one entry per clause: "" outside a run), which the plan matches
// as a phrase: the words of a name apart are not the name (united
// nations found NATIONAL … UNIT titles first). The alternatives have one
// entry per clause (nil: none).
func (e *expander) nameRuns(clauses []qclause) (out [][]alternative, runs []string) {
	out, runs = make([][]alternative, len(clauses)), make([]string, len(clauses))
	if e == nil {
		return out, runs
	}
	g := defaultGazetteer()
	for i := 0; i < len(clauses); i++ {
		// The clause's first word: a compound's (Kassym of Kassym-Jomart
		// Tokayev) starts a name too.
		text, ok := clauseText(clauses[i])
		var first string
		if terms := analyzeRawTerms(text); ok && len(terms) > 0 {
			first = terms[0]
		}
		// A given name in another romanisation (Dmitri Peskov) spells
		// the gazetteer's name with its usual one (Dmitry Peskov).
		given := g.givenWord[first]
		if first == "" || !e.lex.startsMember(first) && !g.firsts[first] && !g.firsts[given] && !e.lex.topics.startsMember(first) {
			continue // most words start no name: no run to analyse
		}
		for n := min(maxNameRunWords, len(clauses)-i); n >= 2; n-- {
			texts := make([]string, 0, n)
			for _, c := range clauses[i : i+n] {
				if text, ok := clauseText(c); ok {
					texts = append(texts, text)
				}
			}
			if len(texts) < n {
				continue
			}
			// US and UN are never among a name's other spellings
			// (wordAcronyms): as a spelling shared by every clause, "us"
			// alone matched all of United States (4,802 -> 9,878
			// articles on the news corpora).
			run := qterm{text: strings.Join(texts, " "), phrase: true}
			var alts []alternative
			words := analyzeRawTerms(run.text)
			entities := g.spelt.named(words)
			if len(entities) == 0 && given != "" && len(words) > 0 {
				words[0] = given
				entities = g.spelt.named(words)
			}
			name := len(entities) > 0 || e.lex.has(run.text)
			switch {
			case name:
				alts = e.runNames(run, entities)
			case e.lex.topics.has(run.text):
				// A subject of several words (nuclear weapons, ядерное
				// оружие, 核武器): its other languages' words, but its
				// words still count apart, as a name's do not.
				alts = e.best(run, e.lex.topics.alternatives(run.text))
			}
			if len(alts) == 0 {
				continue
			}
			for k := i; k < i+n; k++ {
				out[k] = alts
				if name {
					runs[k] = run.text
				}
			}
			i += n - 1
			break
		}
	}
	return out, runs
}

// clauseText returns the text of clause c when it is typed without quotes
// or title: and has no alternatives joined by OR.
func clauseText(c qclause) (string, bool) {
	if len(c.alts) != 1 || c.alts[0].phrase || c.alts[0].title {
		return "", false
	}
	return c.alts[0].text, true
}

// clauseWord returns the one word that clause c is, as typed and folded;
// ok is false when c is not a clauseText or analyses to other than one
// word.
func clauseWord(c qclause) (text, folded string, ok bool) {
	text, ok = clauseText(c)
	if !ok {
		return "", "", false
	}
	terms := analyzeRawTerms(text)
	if len(terms) != 1 {
		return "", "", false
	}
	return text, terms[0], true
}

// clauseWords is clauseWord of each of clauses; ok is false unless every
// one is a word.
func clauseWords(clauses []qclause) (texts, folded []string, ok bool) {
	for _, c := range clauses {
		text, word, ok := clauseWord(c)
		if !ok {
			return nil, nil, false
		}
		texts, folded = append(texts, text), append(folded, word)
	}
	return texts, folded, true
}

// begunNames gives the last clauses the spellings of a name they begin
// while its last word is being typed (open, with prefixes on): the page
// searches as one types, and Xi Jin found the Roman numeral XI and
// Jinja, while the articles write Си Цзиньпин and 习近平. The last two or
// three clauses, each one word typed without quotes, must begin a
// member of the name table or a spelling of a gazetteer entity
// (nameSpellings.begun), whose spellings become alternatives of each of
// them; one fragment alone starts too many names. At most maxBegunNames
// names of each. The result has one entry per clause (nil: none).
func (e *expander) begunNames(clauses []qclause) [][]alternative {
	out := make([][]alternative, len(clauses))
	last := len(clauses) - 1
	if e == nil || !e.prefix || last < 1 || len(clauses[last].alts) != 1 || !clauses[last].alts[0].open {
		return out
	}
	for n := min(maxCompletedNameWords, len(clauses)); n >= 2; n-- {
		texts, typed, ok := clauseWords(clauses[len(clauses)-n:])
		if !ok {
			continue
		}
		begun, entities := e.lex.names().begun(typed), defaultGazetteer().spelt.begun(typed)
		if len(begun) == 0 && len(entities) == 0 {
			continue
		}
		var cands []alternative
		for _, sp := range begun[:min(len(begun), maxBegunNames)] {
			cands = append(cands, alternative{text: sp.text, weight: weightName})
			cands = append(cands, e.lex.alternatives(sp.text)...)
		}
		for _, sp := range entities[:min(len(entities), maxBegunNames)] {
			cands = append(cands, gazetteerNames([]int{sp.id})...)
		}
		alts := e.best(qterm{text: strings.Join(texts, " "), phrase: true}, cands)
		for k := len(clauses) - n; k < len(clauses); k++ {
			out[k] = alts
		}
		return out
	}
	return out
}

// maxBegunNames is the most names that the words being typed give their
// spellings to (begunNames).
const maxBegunNames = 2

// fragmentNames returns the spellings of the names that t begins when t,
// the last word, is being typed alone: capitalised, not an acronym, at
// least minFragmentRunes letters, in fewer than minRareTyped articles
// (typedCount),
// and the start of at most maxBegunNames names of the name table and as
// many of the gazetteer. The page searches as one types, and while
// Zelensky was typed on the news corpora, whose English articles never
// write it, Zelen found one Russian article on Greenland (its зелен,
// green), Zelens and Prigoz nothing, Luka лук (onion).
func (e *expander) fragmentNames(t qterm, word string, typedCount *countOnce) ([]alternative, error) {
	if !e.prefix || !t.open || t.title || !isCapitalised(t.text) || typedAcronym(t.text) || utf8.RuneCountInString(word) < minFragmentRunes {
		return nil, nil
	}
	if e.lex.has(t.text) {
		// A name typed whole is no fragment, though it begins longer
		// ones: Russia, of Russian Federation, keeps its own spellings
		// (РФ, 俄罗斯), which the names it begins had replaced where no
		// article wrote it.
		return nil, nil
	}
	typed := []string{word}
	// A word of the name typed whole is no fragment: Dmitry, of Dmitry
	// Peskov, is every Дмитрий.
	whole := func(sp nameSpelling) bool { return sp.words[0] == word }
	begun := slices.DeleteFunc(e.lex.names().begun(typed), whole)
	entities := slices.DeleteFunc(defaultGazetteer().spelt.begun(typed), whole)
	if len(begun)+len(entities) == 0 || len(begun) > maxBegunNames || len(entities) > maxBegunNames {
		return nil, nil
	}
	if n, err := typedCount.get(); err != nil || n >= minRareTyped {
		return nil, err
	}
	// The spelling begun weighs as a word typed whole, its other
	// spellings as a name's (Germ ranks Germany before Германия), or as
	// much as it when no article has it (standIn: Luka's Lukashenko is in
	// no English article, and its completions Lukang and Lukashov had
	// come before Лукашенко).
	var cands []alternative
	add := func(text string, others []alternative) error {
		if !strings.Contains(text, " ") {
			// A name of one word needs no spelling of several that
			// hold it, which would mark more than its word: Minnik
			// marks Minnikhanov, not Rustam Minnikhanov.
			others = slices.DeleteFunc(slices.Clone(others), func(a alternative) bool { return strings.Contains(a.text, " ") })
		}
		if term := indexTerm(text); term != "" {
			n, err := e.voc.stemCount(term)
			if err != nil {
				return err
			}
			if n == 0 {
				standIn(others)
			}
		}
		cands = append(cands, alternative{text: text, weight: 1})
		cands = append(cands, others...)
		return nil
	}
	for _, sp := range begun {
		if err := add(sp.text, e.lex.alternatives(sp.text)); err != nil {
			return nil, err
		}
	}
	for _, sp := range entities {
		if err := add(sp.text, gazetteerNames([]int{sp.id})); err != nil {
			return nil, err
		}
	}
	return cands, nil
}

// minFragmentRunes is the shortest fragment typed alone that stands for
// the names it begins (fragmentNames): Pri begins Prigozhin, Primakov and
// Pristina.
const minFragmentRunes = 4

// runNames returns the other spellings of the name that the run of
// words t spells: its name table groups' and those of the gazetteer's
// entities it spells (Vladimir Putin: Путин, Владимир Путин, 普京), best
// first.
func (e *expander) runNames(t qterm, entities []int) []alternative {
	cands, _, _, ok := e.spellings(t)
	if !ok {
		return nil
	}
	return e.best(t, append(cands, gazetteerNames(entities)...))
}

// gazetteerNames are the spellings of entities, as name alternatives of
// the several words that name them, but not those that fold onto a
// common word (wordAcronyms: US is "us") nor one word of fewer than
// minSpellingRunes letters: every clause of Xi Jinping took Xi, and a
// Russian post about the 11th (XI) century came first.
func gazetteerNames(entities []int) []alternative {
	g := defaultGazetteer()
	var out []alternative
	for _, id := range entities {
		for _, s := range g.entities[id].spellings {
			if wordAcronyms[s] || !strings.Contains(s, " ") && !isHanText(s) && utf8.RuneCountInString(s) < minSpellingRunes {
				continue
			}
			out = append(out, alternative{text: s, weight: weightName})
		}
	}
	return out
}

// minSpellingRunes is the shortest one-word Latin or Cyrillic spelling of
// an entity that the words naming it search (gazetteerNames).
const minSpellingRunes = 4

// isHanText reports whether s starts with a Han character.
func isHanText(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.Is(unicode.Han, r)
}

// translits adds to cands the spellings of word (t's one folded word) in
// the other script, when t is capitalised but no acronym; e.err is set on
// a failed look-up. An acronym's letters spell the other script's
// acronym, which the vocabulary of words cannot tell from an ordinary
// word: OPEC's опек is the stem of опека (guardianship). The name table
// has the acronyms (OPEC | ОПЕК).
//
// A word typed in lower case is transliterated only when no article has
// it: oreshnik found nothing where Oreshnik found the 187 articles on
// Орешник, but data must not find дата.
func (e *expander) translits(t qterm, word string, cands []alternative) []alternative {
	if e.translit <= 0 || typedAcronym(t.text) {
		return cands
	}
	if !isCapitalised(t.text) {
		if n, err := e.voc.count(word); err != nil || n > 0 {
			e.err = cmp.Or(e.err, err)
			return cands
		}
	}
	if _, cased := queryCasedName(t); cased {
		return cands // Маск is no mask; the name table spells the name
	}
	e.translit--
	forms, err := translitSpellings(e.voc, word, maxTranslit)
	if err != nil {
		e.err = err
		return cands
	}
	var known []string // the terms of the name table's spellings
	for _, c := range cands {
		if term := indexTerm(c.text); term != "" {
			known = append(known, term)
		}
	}
	// The stems of the spellings the gazetteer takes only as written:
	// Gaza's газа stems to газ, gas, as the gazetteer's Газа= would.
	var exact []string
	if len(forms) > 0 {
		g := defaultGazetteer()
		for _, id := range g.spelt.named([]string{word}) {
			for _, sp := range g.entities[id].exact {
				if term := indexTerm(sp); term != "" {
					exact = append(exact, term)
				}
			}
		}
	}
	for _, f := range forms {
		if _, cased := casedStems[f.term]; cased {
			continue // Cuba's куба is куб (cubic metres) too; the table has Куба
		}
		if !beginsKnown(f.term, known) && !slices.Contains(exact, f.term) {
			cands = append(cands, f)
		}
	}
	return cands
}

// beginsKnown reports whether term is the beginning of one of known, but
// shorter: a transliteration that stems to less of the name than the name
// table's own spelling finds other words, not the name. Tokyo's токё
// stems to ток, the stem of током (by electric current) and a start of
// токен (token), where the table's Токио is токио.
func beginsKnown(term string, known []string) bool {
	for _, k := range known {
		if len(term) < len(k) && strings.HasPrefix(k, term) {
			return true
		}
	}
	return false
}

// minTranslitRunes is the shortest word transliterated: two letters
// spell syllables and particles, not names. Xi's хи is the chi of
// хи-квадрат and Korean given names (hits 4 to 7 of Xi on the news
// corpora), Li's ли a Russian particle.
const minTranslitRunes = 3

// translitSpellings returns up to limit spellings of the folded word in
// the other script that the articles write: its transliterations, in
// their inflected forms, each with its stem's count of articles. A word
// shorter than minTranslitRunes has none.
func translitSpellings(voc *vocabulary, word string, limit int) ([]alternative, error) {
	if utf8.RuneCountInString(word) < minTranslitRunes {
		return nil, nil
	}
	var out []alternative
	try := func(spellings []string) error {
		for _, s := range spellings {
			for _, form := range inflections(s) {
				if len(out) == limit {
					return nil
				}
				cased, term, surname := surnameForm(form)
				if surname {
					form = cased
				} else {
					term = indexTerm(form)
				}
				if term == "" {
					continue
				}
				n, err := voc.stemCount(term)
				if err != nil {
					return err
				}
				if n == 0 {
					continue
				}
				ok, err := voc.spelt(form, term)
				if err != nil {
					return err
				}
				if ok {
					out = append(out, alternative{text: form, term: term, weight: weightTranslit, count: n})
				}
			}
		}
		return nil
	}
	if err := try(transliterations(word, maxTranslitCandidates)); err != nil {
		return nil, err
	}
	// None written: a Latin name may leave out a soft sign (Podolsk,
	// Подольск), which only a second try adds, as it doubles the
	// spellings of every л.
	if len(out) == 0 && isASCIIWord(word) {
		if err := try(softTransliterations(word, maxTranslitCandidates)); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// countOnce is the articles with a word (vocabulary.count) or, when stem
// is set, with an index term (vocabulary.stemCount), looked up when first
// asked for and then remembered: several rules of alternatives ask.
type countOnce struct {
	voc  *vocabulary
	of   string
	stem bool
	n    uint64
	err  error
	done bool
}

func (c *countOnce) get() (uint64, error) {
	if !c.done {
		if c.stem {
			c.n, c.err = c.voc.stemCount(c.of)
		} else {
			c.n, c.err = c.voc.count(c.of)
		}
		c.done = true
	}
	return c.n, c.err
}

// standIn raises the weights of a word's other spellings when no article
// has the word itself, in any form: the best of them then weighs as the
// word typed would, and the others keep their proportions. A lower weight
// ranks the articles that spell a name as typed first; with none to rank
// first, it only made the word count for less than the query's other
// words. Navalny, in no English article of the news corpora and in 13
// Russian ones as Навальный, weighed a seventh of death, so `Navalny
// death` listed 119 of the 140 articles with death before the first of
// them; now the first three hits are on Навальный.
func standIn(spellings []alternative) {
	best := 0.0
	for _, sp := range spellings {
		best = max(best, sp.weight)
	}
	if best <= 0 || best >= 1 {
		return
	}
	for i := range spellings {
		spellings[i].weight /= best
	}
}

// spellingsCount returns how many articles have one of the first
// maxCountedSpellings of spellings (a name's other spellings, from
// spellings) that are one term, counting each spelling's articles
// apart, up to enough. A transliteration comes counted already.
func (e *expander) spellingsCount(spellings []alternative, enough uint64) (uint64, error) {
	var n uint64
	for _, sp := range spellings[:min(len(spellings), maxCountedSpellings)] {
		c := sp.count
		if c == 0 {
			term := indexTerm(sp.text)
			if term == "" {
				continue // a stop word, or several words
			}
			var err error
			if c, err = e.voc.stemCount(term); err != nil {
				return 0, err
			}
		}
		if n += c; n >= enough {
			break
		}
	}
	return n, nil
}

// maxCountedSpellings caps the dictionary look-ups of spellingsCount.
const maxCountedSpellings = 4

// names returns the other spellings of the query word t that name the
// same thing, best first: the lexicon's members of its groups and its
// transliterations, but not typos or completions. An excluded word
// excludes them too: -Putin also leaves out the articles that write
// Путин or 普京, which Putin would find.
func (e *expander) names(t qterm) []alternative {
	cands, _, _, ok := e.spellings(t)
	if !ok {
		return nil
	}
	return e.best(t, cands)
}

// spellings returns the lexicon's other spellings of t and, when t is one
// word, its transliterations, with that word's token and index term; tok
// is nil for a quoted phrase or text of several terms. ok is false when t
// gets no alternatives: a stop word, a nil expander, one out of budget, or
// a failed look-up (e.err).
func (e *expander) spellings(t qterm) (cands []alternative, tok *analysis.Token, term string, ok bool) {
	if e == nil || e.err != nil || e.budget <= 0 {
		return nil, nil, "", false
	}
	cands = e.lex.alternatives(t.text)
	toks := rawAnalyzer.Analyze([]byte(t.text))
	if !t.phrase && len(toks) > 1 {
		cands = e.designation(toks, cands)
	}
	if t.phrase || len(toks) != 1 {
		return cands, nil, "", e.err == nil
	}
	tok = toks[0]
	word := string(tok.Term)
	if term = indexTerm(word); term == "" {
		return nil, tok, "", false
	}
	cands = e.translits(t, word, cands)
	return cands, tok, term, e.err == nil
}

// designation adds to cands the other script's spelling of a designation
// (S-400: С-400, Су-57: Su-57), joined as the index has it, when some
// article writes it: the letters transliterated, the number kept.
// S-400 had found the 3 English articles that write it, not the 13
// Russian ones on С-400.
func (e *expander) designation(toks analysis.TokenStream, cands []alternative) []alternative {
	i := slices.IndexFunc(toks, isShingle)
	if i < 0 {
		return cands
	}
	joined := string(toks[i].Term)
	digits := strings.IndexFunc(joined, unicode.IsDigit)
	if digits <= 0 || utf8.RuneCountInString(joined[:digits]) > maxDesignationRunes || strings.IndexFunc(joined[digits:], func(r rune) bool { return !unicode.IsDigit(r) }) >= 0 {
		return cands // letters, then a number: nothing else
	}
	for _, letters := range transliterations(joined[:digits], maxTranslit) {
		other := letters + joined[digits:]
		term := indexTerm(other)
		if term == "" {
			continue
		}
		n, err := e.voc.stemCount(term)
		if err != nil {
			e.err = err
			return cands
		}
		if n > 0 {
			return append(cands, alternative{text: other, weight: weightTranslit, count: n})
		}
	}
	return cands
}

// filledSlots is the number of positions of a phrase that hold a word
// (stop words leave theirs empty).
func filledSlots(phrase [][]string) int {
	n := 0
	for _, slot := range phrase {
		for _, t := range slot {
			if t != "" {
				n++
				break
			}
		}
	}
	return n
}

// best orders candidates best first (weight, then how common the word is),
// analyses each into a term or phrase, and keeps the best alternative per
// term, none equal to t's own, at most maxAlternatives.
func (e *expander) best(t qterm, cands []alternative) []alternative {
	slices.SortStableFunc(cands, func(a, b alternative) int {
		if c := cmp.Compare(b.weight, a.weight); c != 0 {
			return c
		}
		return cmp.Compare(b.count, a.count)
	})
	limit := min(maxAlternatives, e.budget)
	var out []alternative
	seen := map[string]bool{strings.Join(analyzeTerms(t.text), " "): true}
	for _, c := range cands {
		if len(out) == limit {
			break
		}
		if cased, ok := queryCasedName(qterm{text: c.text}); ok {
			// Elon Musk's Маск is the name, not маска (casedname.go).
			if !seen[cased] {
				seen[cased] = true
				c.term = cased
				out = append(out, c)
			}
			continue
		}
		if acronym, ok := queryAcronym(qterm{text: c.text}); ok {
			// Another spelling in capitals is its acronym term first
			// (acronym.go), then, as typed, its ordinary stem at
			// acronymWordWeight: GDP in a Reuters title in capitals is
			// only gdp. Not the stem of those whose stem is an ordinary word
			// (wordAcronyms): the United States is no "us", ОПЕК no
			// опека (guardianship); nor of those in Cyrillic (acronymOnly).
			if !seen[acronym] {
				seen[acronym] = true
				a := c
				a.term = acronym
				out = append(out, a)
			}
			if acronymOnly(c.text) || len(out) == limit {
				continue
			}
			c.weight *= acronymWordWeight
		}
		toks := stemmedAnalyzer.Analyze([]byte(c.text))
		if len(toks) == 0 || len(toks) == 1 && len(rawAnalyzer.Analyze([]byte(c.text))) > 1 {
			// A spelling of several words that stop words leave one
			// word of is not that name: Wang Yi's Ван И is ван (и is
			// "and"), which Snowball also makes of ванна, a bath.
			continue
		}
		key := strings.Join(tokenTerms(toks), " ")
		if seen[key] {
			continue
		}
		seen[key] = true
		if samePosition(toks) {
			c.term = wordTerm(toks) // Медведев: медведев, not медвед (bear)
		} else {
			c.phrase = tokensToPhrase(toks)
		}
		out = append(out, c)
	}
	e.budget -= len(out)
	return out
}

// typoBudget returns how many typos a query token may have: 0 for short
// words, numbers, words with digits and ideographs.
func typoBudget(tok *analysis.Token) int {
	if tok.Type != analysis.AlphaNumeric {
		return 0
	}
	return wordTypoBudget(string(tok.Term))
}

// wordTypoBudget is typoBudget for a word known to be alphanumeric.
func wordTypoBudget(word string) int {
	n := 0
	for _, r := range word {
		if !fuzzable(r) {
			return 0
		}
		n++
	}
	switch {
	case n >= minTypo2:
		return 2
	case n >= minTypo1:
		return 1
	}
	return 0
}

// fuzzable reports whether r may be part of a word with typos: a letter,
// not Han.
func fuzzable(r rune) bool { return unicode.IsLetter(r) && !unicode.Is(unicode.Han, r) }

// prefixable reports whether a query token is long enough to be searched
// as a prefix: minPrefixRunes, or one ideograph (the vocabulary holds
// bigrams, so 普 finds 普京).
func prefixable(tok *analysis.Token) bool {
	switch tok.Type {
	case analysis.Single, analysis.Double, analysis.Ideographic:
		return true
	}
	return utf8.RuneCount(tok.Term) >= minPrefixRunes
}

// surnameForm returns a word that spells a name as a name is written,
// capitalised, with its term, when that is a Russian surname's -ов/-ев
// form (appendSurnameVariant); ok is false for any other word. A
// transliteration is a name: medvedev's медведев stems to медвед, which
// медведь (bear) is too, and found the bears of the news corpora;
// Медведев finds the name alone.
func surnameForm(word string) (form, term string, ok bool) {
	r, n := utf8.DecodeRuneInString(word)
	form = string(unicode.ToUpper(r)) + word[n:]
	toks := stemmedAnalyzer.Analyze([]byte(form))
	if len(toks) < 2 || !samePosition(toks) {
		return "", "", false
	}
	return form, wordTerm(toks), true
}

// indexTerm returns the title/body term of a vocabulary word (its stem),
// or "" when the analyzer drops it (a stop word) or it is several words.
// A capitalised surname in -ов has two terms at its one position
// (appendSurnameVariant); its term is the one every case of it indexes
// (wordTerm): Медведев had no term, so a lexicon's Медведев counted as no
// article, and Medvedev was offered Medvedej.
func indexTerm(word string) string {
	toks := stemmedAnalyzer.Analyze([]byte(word))
	switch {
	case len(toks) == 1:
		return string(toks[0].Term)
	case len(toks) > 1 && samePosition(toks):
		return wordTerm(toks)
	}
	return ""
}

// withAlternatives returns exact (the word's own query, from termQuery) or
// any of the alternatives, each in one of fields. The word and its
// alternatives are forms of one word: an article scores with its best
// form, weighted, so an article with many prefix completions of the last
// word does not outrank one with the word itself.
//
// Typo and prefix matches share one idf per field, their commonest's
// (Lucene's blended rewrite of fuzzy queries): by its own idf the rarest
// completion of "trad", or a misspelling found in one article, would
// outrank the common words the user more likely meant. The other
// spellings share theirs too (blend).
func withAlternatives(exact query.Query, alts []alternative, fields []fieldBoost, stats *scoring) query.Query {
	if exact == nil || len(alts) == 0 {
		return exact
	}
	// Typos and completions blend with each other; the other spellings
	// (names, transliterations, synonyms) with each other.
	b, g := &blend{}, &blend{}
	for _, a := range alts {
		switch {
		case a.blended && a.phrase == nil:
			b.terms = append(b.terms, a.term)
		case a.blended:
		case a.phrase != nil:
			g.phrases = append(g.phrases, a.phrase)
		default:
			g.terms = append(g.terms, a.term)
		}
	}
	if len(g.terms)+len(g.phrases) < 2 {
		g = nil
	}
	forms := make([]query.Query, 0, 1+len(alts))
	forms = append(forms, exact)
	for _, a := range alts {
		parts := make([]query.Query, 0, len(fields))
		for _, f := range fields {
			boost := f.boost * a.weight
			if a.phrase != nil {
				// A phrase weighs the idfs of all its words (Lucene's sum):
				// 克里姆林宫, four bigrams, weighed four terms, and as
				// Kremlin's alternative outranked the articles that say
				// Kremlin. An alternative counts as one word: the mean.
				boost /= float64(max(1, filledSlots(a.phrase)))
				pq := newBM25PhraseQuery(a.phrase, f.name, boost, stats)
				if !a.blended {
					pq.blend = g
				}
				parts = append(parts, pq)
				continue
			}
			tq := newBM25Query(a.term, f.name, boost, stats)
			if a.blended {
				tq.blend = b
			} else {
				tq.blend = g
			}
			parts = append(parts, tq)
		}
		forms = append(forms, newSumQuery(parts, 1))
	}
	return newMaxQuery(forms)
}

// vocabulary reads the vocabulary of one index snapshot: its generation's
// base vocabulary (vocab.go) and its segments' words fields.
type vocabulary struct {
	ctx    context.Context
	r      bleveindex.IndexReader
	base   *baseVocab   // nil: none (an index only written to, in tests)
	memo   *vocabMemo   // nil: nothing remembered
	walks  *segWalks    // nil: no segment's walks remembered
	common *commonWords // nil: every typo look-up walks the dictionaries
	// dec holds the snapshot's decoded postings (postings.go), which
	// phraseCount reads positions with; nil: zap's own.
	dec map[segment.Segment]*decodedSegment
}

// vocabAids are what an index keeps to speed its vocabulary look-ups up,
// and the live generation's base vocabulary.
type vocabAids struct {
	base   *baseVocab   // nil: none
	memos  *vocabMemos  // nil: nothing remembered
	walks  *segWalks    // nil: nothing remembered
	common *commonWords // nil: no common-word tables
}

// vocabAids returns x's aids: memos only while x caches (see memos). Call
// it with x's reader held (x.reader), so that the base vocabulary is that
// of the generation being read.
func (x *Index) vocabAids() vocabAids {
	a := vocabAids{base: x.base, memos: x.memos(), common: &x.common}
	if a.memos != nil {
		a.walks = &x.walks
	}
	return a
}

// openVocabulary opens the vocabulary of bi's live snapshot; with memos,
// its typo and prefix look-ups are remembered for later searches of the
// same snapshot.
func openVocabulary(ctx context.Context, bi bleve.Index, aids vocabAids) (*vocabulary, error) {
	r, err := snapshot(bi)
	if err != nil {
		return nil, fmt.Errorf("vocabulary: %w", err)
	}
	return &vocabulary{ctx: ctx, r: r, base: aids.base, memo: aids.memos.of(r), walks: aids.walks, common: aids.common}, nil
}

// vocabMemos keeps the vocabulary look-ups of the live snapshot. Search
// boxes send a query at every pause in typing ("oil p", "oil pri", "oil
// prices"), and the same words come back in query after query: a typo
// look-up walks thousands of dictionary edges (levenshtein.go) and a
// prefix one counts up to maxPrefixScan words, for the same answer until
// the index changes. A write makes a new snapshot, and a new memo. Like
// the query cache, it is a cache: an index without the query cache
// (Options.QueryCache < 0, as benchmarks of uncached searches run) keeps
// no memo either.
type vocabMemos struct {
	cur atomic.Pointer[vocabMemo]
}

// memos returns x's vocabulary memos, or nil when x caches nothing.
func (x *Index) memos() *vocabMemos {
	if x.cache == nil {
		return nil
	}
	return &x.vocab
}

// vocabMemo holds the look-ups of one snapshot. It hands out copies, so
// that callers may filter what they get.
type vocabMemo struct {
	snap   bleveindex.IndexReader // compared by identity; kept to keep its address unique
	mu     sync.Mutex
	near   map[nearKey][]vocabWord
	prefix map[prefixKey][]vocabWord
	common map[commonKey][]vocabWord
	han    map[string][]vocabWord // following, by the characters typed
	// phrases holds the matches of phrases counted in context
	// (suggestcontext.go), by phraseKey; shared, never modified.
	phrases map[string]*roaring.Bitmap
}

type nearKey struct {
	word            string
	maxTypos, limit int
}

type prefixKey struct {
	prefix string
	scan   int
}

// maxMemoWords bounds a memo: past it, it starts afresh.
const maxMemoWords = 8192

// of returns the memo of snapshot r; nil when there are no memos.
func (ms *vocabMemos) of(r bleveindex.IndexReader) *vocabMemo {
	if ms == nil {
		return nil
	}
	if m := ms.cur.Load(); m != nil && m.snap == r {
		return m
	}
	m := &vocabMemo{snap: r}
	m.clear()
	ms.cur.Store(m)
	return m
}

func (m *vocabMemo) clear() {
	m.near, m.prefix, m.common = map[nearKey][]vocabWord{}, map[prefixKey][]vocabWord{}, map[commonKey][]vocabWord{}
	m.han = map[string][]vocabWord{}
	m.phrases = map[string]*roaring.Bitmap{}
}

// maxMemoPhrases bounds the phrases a memo keeps: past it, they start
// afresh.
const maxMemoPhrases = 256

// phrase returns the matches of the phrase key, computing and keeping them
// when m has none.
func (m *vocabMemo) phrase(key string, compute func() (*roaring.Bitmap, error)) (*roaring.Bitmap, error) {
	m.mu.Lock()
	got, ok := m.phrases[key]
	m.mu.Unlock()
	if ok {
		return got, nil
	}
	got, err := compute()
	if err != nil {
		return nil, err
	}
	m.mu.Lock()
	if len(m.phrases) >= maxMemoPhrases {
		m.phrases = map[string]*roaring.Bitmap{}
	}
	m.phrases[key] = got
	m.mu.Unlock()
	return got, nil
}

// remember looks key up in m's map (one of m's), or computes it and keeps
// the answer; a nil memo only computes.
func remember[K comparable](m *vocabMemo, table func(*vocabMemo) map[K][]vocabWord, key K, compute func() ([]vocabWord, error)) ([]vocabWord, error) {
	if m == nil {
		return compute()
	}
	m.mu.Lock()
	got, ok := table(m)[key]
	m.mu.Unlock()
	if ok {
		return slices.Clone(got), nil
	}
	got, err := compute()
	if err != nil {
		return nil, err
	}
	m.mu.Lock()
	if len(m.near)+len(m.prefix)+len(m.common)+len(m.han) >= maxMemoWords {
		m.clear()
	}
	table(m)[key] = slices.Clone(got)
	m.mu.Unlock()
	return got, nil
}

func (v *vocabulary) close() { v.r.Close() }

// vocabWord is a vocabulary word with the number of articles that contain
// it and, for near, its typo cost.
type vocabWord struct {
	word  string
	count uint64
	typos int
}

// stemCount returns the number of articles with the analysed term in
// their title or body, whichever is more.
func (v *vocabulary) stemCount(term string) (uint64, error) {
	var most uint64
	for _, f := range []string{fieldTitle, fieldBody} {
		tfr, err := v.r.TermFieldReader(v.ctx, []byte(term), f, false, false, false)
		if err != nil {
			return 0, fmt.Errorf("vocabulary: %w", err)
		}
		most = max(most, tfr.Count())
		tfr.Close()
	}
	return most, nil
}

// formsCount returns word's title/body term (indexTerm) and how many
// articles have the word in any of its forms, as the search matches them:
// the more of the vocabulary's count of it as typed and its term's count.
// term is "" when the analyzer gives the word none (a stop word, several
// words); the count is then the word's as typed.
func (v *vocabulary) formsCount(word string) (term string, n uint64, err error) {
	if n, err = v.count(word); err != nil {
		return "", 0, err
	}
	if term = indexTerm(word); term != "" {
		s, err := v.stemCount(term)
		if err != nil {
			return "", 0, err
		}
		n = max(n, s)
	}
	return term, n, nil
}

// beginsWithAny reports whether word begins with one of prefixes.
func beginsWithAny(word string, prefixes []string) bool {
	return slices.ContainsFunc(prefixes, func(p string) bool { return strings.HasPrefix(word, p) })
}

// live reports whether a live article has term (a word as indexTerm
// stems it) in its title or body. The vocabulary's counts still include
// the build's articles that writes replaced or deleted, and a segment's
// deleted articles until a merge: a suggestion must not offer a word only
// they had.
func (v *vocabulary) live(term string) (bool, error) {
	n, err := v.stemCount(term)
	return n > 0, err
}

// count returns the number of articles containing word: the live
// articles written since the build, and the build's articles (those a
// write replaced or deleted included, until the next build).
func (v *vocabulary) count(word string) (uint64, error) {
	tfr, err := v.r.TermFieldReader(v.ctx, []byte(word), fieldWords, false, false, false)
	if err != nil {
		return 0, fmt.Errorf("vocabulary: %w", err)
	}
	defer tfr.Close()
	n := tfr.Count()
	if v.base != nil {
		b, err := v.base.count([]byte(word))
		if err != nil {
			return 0, fmt.Errorf("vocabulary: %w", err)
		}
		n += b
	}
	return n, nil
}

// wordDict is one dictionary of the vocabulary: a segment's words field,
// or a generation's base vocabulary.
type wordDict interface {
	// terms iterates the words between start (inclusive) and end
	// (exclusive; nil: no end) that a accepts (nil: every word). Unless
	// counted, the entries' counts need not be read.
	terms(a segment.Automaton, start, end []byte, counted bool) segment.DictionaryIterator
	// count returns the number of documents holding word.
	count(word []byte) (uint64, error)
}

// segWords is a segment's words field.
type segWords struct {
	dict segment.TermDictionary
	pl   segment.PostingsList // reused by count
}

func openSegWords(seg segment.Segment) (*segWords, error) {
	dict, err := seg.Dictionary(fieldWords)
	if err != nil {
		return nil, fmt.Errorf("vocabulary: %w", err)
	}
	return &segWords{dict: dict}, nil
}

func (d *segWords) terms(a segment.Automaton, start, end []byte, counted bool) segment.DictionaryIterator {
	if counted {
		return &countedTerms{dict: d.dict, a: a, end: end, it: d.dict.AutomatonIterator(a, start, end)}
	}
	return termsOf(d.dict, a, start, end)
}

func (d *segWords) count(word []byte) (uint64, error) {
	var err error
	if d.pl, err = d.dict.PostingsList(word, nil, d.pl); err != nil {
		return 0, err
	}
	return d.pl.Count(), nil
}

// countedTerms iterates a zap dictionary's terms with their counts. It
// works around a bug in zapx v17.2.3 (and v17.2.5): a dictionary iterator
// counts every term's documents into one reused postings list, and
// reading a term stored in the one-document encoding leaves that list's
// one-document state set, so every later term of the iteration counts 1.
// Bleve's merged FieldDictPrefix inherits the wrong counts, which ranked
// prefix completions alphabetically instead of by frequency. Here, after
// every term counted 1, a fresh iterator starts just after it: the first
// term an iterator reads is always counted right.
type countedTerms struct {
	dict    segment.TermDictionary
	a       segment.Automaton
	end     []byte
	it      segment.DictionaryIterator
	restart []byte // not nil: where a fresh iterator starts
}

func (c *countedTerms) Next() (*bleveindex.DictEntry, error) {
	if c.restart != nil {
		c.it, c.restart = c.dict.AutomatonIterator(c.a, c.restart, c.end), nil
	}
	de, err := c.it.Next()
	if de != nil && de.Count == 1 {
		c.restart = append([]byte(de.Term), 0)
	}
	return de, err
}

// baseWalks returns where the base's look-ups are remembered: nil when v
// remembers no segment's either.
func (v *vocabulary) baseWalks() *segWalks {
	if v.walks == nil {
		return nil
	}
	return &v.base.walks
}

// spelt reports whether the articles write spelling, a transliteration
// whose index term is term: whether some vocabulary word starts with
// spelling less its last character (a spelling of four or more
// characters; a shorter one must start a word whole). A transliteration
// is kept when the index has its term, but a stemmer's stem can be a
// name's while the spelling is no word at all: Brexit's брехит has the
// stem брех, and so has the village Брёхово. The spellings of names are
// words of the articles: putin, путина, лавров, зеленский.
//
// When the stemmer takes more than vowels off spelling, as from a verb,
// a word that starts with spelling must index as term too: Kazan's
// казан has the stem каза of казалось (it seemed), while the articles
// write Казань and Казани, whose stem is казан.
func (v *vocabulary) spelt(spelling, term string) (bool, error) {
	toks := rawAnalyzer.Analyze([]byte(spelling))
	if len(toks) != 1 {
		return false, nil
	}
	word := string(toks[0].Term)
	prefix := word
	if utf8.RuneCountInString(prefix) >= 4 {
		_, n := utf8.DecodeLastRuneInString(prefix)
		prefix = prefix[:len(prefix)-n]
	}
	words, err := v.withPrefix(prefix, 1)
	if err != nil || len(words) == 0 {
		return false, err
	}
	if rest, ok := strings.CutPrefix(word, term); ok && strings.Trim(rest, vowelEndings) == "" {
		return true, nil
	}
	if words, err = v.withPrefix(word, maxSpeltWords); err != nil {
		return false, err
	}
	for _, w := range words {
		if indexTerm(w.word) == term {
			return true, nil
		}
	}
	return false, nil
}

// vowelEndings are the letters of the case endings a stemmer takes off a
// Russian noun.
const vowelEndings = "аеёиоуыэюяйь"

// maxSpeltWords is how many dictionary entries spelt reads per segment
// for the words a spelling starts.
const maxSpeltWords = 16

// withPrefix returns the vocabulary words starting with prefix, most
// frequent first, reading at most scan dictionary entries (per segment).
func (v *vocabulary) withPrefix(prefix string, scan int) ([]vocabWord, error) {
	return remember(v.memo, func(m *vocabMemo) map[prefixKey][]vocabWord { return m.prefix }, prefixKey{prefix, scan},
		func() ([]vocabWord, error) { return v.lookPrefix(prefix, scan) })
}

func (v *vocabulary) lookPrefix(prefix string, scan int) ([]vocabWord, error) {
	snap, ok := v.r.(*scorch.IndexSnapshot)
	if !ok {
		return nil, fmt.Errorf("vocabulary: index reader %T is not a scorch snapshot", v.r)
	}
	out, err := prefixCounts(snap, v.walks, v.base, v.baseWalks(), prefix, scan)
	if err != nil {
		return nil, fmt.Errorf("vocabulary: %w", err)
	}
	if err := v.ctx.Err(); err != nil {
		return nil, err
	}
	sortByCount(out)
	return out, nil
}

// prefixCounts returns the vocabulary words that start with prefix, with
// the number of articles holding each, reading base (nil: none) and each
// segment's words field (see countedTerms for zap's counts).
//
// Each segment's words and counts (deleted documents included, as the
// dictionary counts them) are remembered in ws, the base's in baseWS, when
// given.
func prefixCounts(snap *scorch.IndexSnapshot, ws *segWalks, base *baseVocab, baseWS *segWalks, prefix string, scan int) ([]vocabWord, error) {
	end := prefixEnd([]byte(prefix))
	counts := map[string]uint64{}
	segs := snap.Segments()
	add := func(ws *segWalks, seg segment.Segment, open func() (wordDict, error)) error {
		words, err := segRemember(ws, segs, seg, func(l *segLookups) map[segPrefixKey][]vocabWord { return l.prefix },
			segPrefixKey{prefix, scan}, func() ([]vocabWord, error) {
				dict, err := open()
				if err != nil {
					return nil, err
				}
				var words []vocabWord
				it := dict.terms(nil, []byte(prefix), end, true)
				for range scan {
					de, err := it.Next()
					if err != nil {
						return nil, err
					}
					if de == nil {
						break
					}
					words = append(words, vocabWord{word: de.Term, count: de.Count})
				}
				return words, nil
			})
		for _, w := range words {
			counts[w.word] += w.count
		}
		return err
	}
	if base != nil {
		// Remembered with the base, under no segment.
		if err := add(baseWS, nil, func() (wordDict, error) { return base, nil }); err != nil {
			return nil, err
		}
	}
	for _, ss := range segs {
		seg := ss.Segment()
		if err := add(ws, seg, func() (wordDict, error) { return openSegWords(seg) }); err != nil {
			return nil, err
		}
	}
	out := make([]vocabWord, 0, len(counts))
	for w, n := range counts {
		out = append(out, vocabWord{word: w, count: n})
	}
	return out, nil
}

// prefixEnd returns the smallest key greater than every key starting with
// prefix, or nil when there is none (a prefix of 0xff bytes).
func prefixEnd(prefix []byte) []byte {
	end := slices.Clone(prefix)
	for i := len(end) - 1; i >= 0; i-- {
		if end[i] < 0xff {
			end[i]++
			return end[:i+1]
		}
	}
	return nil
}

// sortByCount orders vocabulary words most frequent first.
func sortByCount(ws []vocabWord) {
	slices.SortFunc(ws, func(a, b vocabWord) int {
		if c := cmp.Compare(b.count, a.count); c != 0 {
			return c
		}
		return cmp.Compare(a.word, b.word)
	})
}

// near returns the vocabulary words other than word that are at most
// maxTypos typos away, fewest typos first, then most frequent. A typo is
// an edit (a character inserted, deleted or replaced, or two adjacent ones
// swapped: levenshtein.go); one on the first letter
// costs two. At most limit candidates are considered, the first in the
// dictionary's order.
func (v *vocabulary) near(word string, maxTypos, limit int) ([]vocabWord, error) {
	return remember(v.memo, func(m *vocabMemo) map[nearKey][]vocabWord { return m.near }, nearKey{word, maxTypos, limit},
		func() ([]vocabWord, error) { return v.lookNear(word, maxTypos, limit) })
}

func (v *vocabulary) lookNear(word string, maxTypos, limit int) ([]vocabWord, error) {
	snap, ok := v.r.(*scorch.IndexSnapshot)
	if !ok {
		return nil, nil
	}
	typos := map[string]int{}
	w := v.walker(snap, word, maxTypos, limit)
	if err := w.walkBase(typos); err != nil {
		return nil, err
	}
	for _, ss := range snap.Segments() {
		if err := w.walk(ss.Segment(), typos); err != nil {
			return nil, err
		}
	}
	words := make([]string, 0, len(typos))
	for w := range typos {
		words = append(words, w)
	}
	slices.Sort(words)
	out := make([]vocabWord, 0, min(len(words), limit))
	for _, w := range words[:min(len(words), limit)] {
		// The dictionary walk does not count documents; look each word up.
		n, err := v.count(w)
		if err != nil {
			return nil, err
		}
		out = append(out, vocabWord{word: w, typos: typos[w], count: n})
	}
	if err := v.ctx.Err(); err != nil {
		return nil, err
	}
	sortNear(out)
	return out, nil
}

// walkNear adds to typos the first limit words of dict, in dictionary
// order, within maxTypos of word (first is its first letter; a is its
// automaton), with their typos.
func walkNear(dict wordDict, word string, first rune, a *levenshtein, maxTypos, limit int, typos map[string]int) error {
	var start, end []byte
	if maxTypos == 1 {
		start = []byte(string(first)) // a first-letter typo would already cost two
		end = prefixEnd(start)
	}
	it := dict.terms(a, start, end, false)
	// Each segment's first limit candidates in dictionary order hold the
	// first limit of all segments together.
	for kept := 0; kept < limit; {
		de, err := it.Next()
		if err != nil {
			return fmt.Errorf("vocabulary: %w", err)
		}
		if de == nil {
			break
		}
		if de.Term == word {
			continue
		}
		n := editDistance(word, de.Term)
		if r, _ := utf8.DecodeRuneInString(de.Term); r != first {
			n++
		}
		if n > maxTypos || n == 0 {
			continue
		}
		typos[de.Term] = n
		kept++
	}
	return nil
}

// segWalks remembers each segment's typo walks (walkNear) and prefix
// counts (prefixCounts): a segment never changes, so its answer for a word
// holds for as long as the segment lives. A write makes a new snapshot and
// a new vocabMemo, but keeps the old segments: their dictionaries are not
// walked again, only the new segment's (small, and quick to walk). Walks
// were a fifth of the server's CPU under a stream of writes.
type segWalks struct {
	mu   sync.Mutex
	segs map[segment.Segment]*segLookups
}

// segLookups are one segment's remembered look-ups.
type segLookups struct {
	near   map[nearKey][]nearHit
	prefix map[segPrefixKey][]vocabWord
	n      int // entries, at most maxMemoWords
}

type nearHit struct {
	term  string
	typos int
}

type segPrefixKey struct {
	prefix string
	scan   int
}

// segRemember returns seg's answer for key, from table (a map of seg's
// look-ups) when ws remembers it, else from compute, then remembered; a
// nil ws only computes. segs are the snapshot's segments. Answers are
// shared: callers only read them.
func segRemember[K comparable, V any](ws *segWalks, segs []*scorch.SegmentSnapshot, seg segment.Segment, table func(*segLookups) map[K]V, key K, compute func() (V, error)) (V, error) {
	if ws == nil {
		return compute()
	}
	ws.mu.Lock()
	if l := ws.segs[seg]; l != nil {
		if v, ok := table(l)[key]; ok {
			ws.mu.Unlock()
			return v, nil
		}
	}
	ws.mu.Unlock()
	v, err := compute()
	if err != nil {
		return v, err
	}
	ws.mu.Lock()
	defer ws.mu.Unlock()
	if ws.segs == nil {
		ws.segs = map[segment.Segment]*segLookups{}
	}
	pruneSegments(ws.segs, segs)
	l := ws.segs[seg]
	if l == nil || l.n >= maxMemoWords {
		l = &segLookups{near: map[nearKey][]nearHit{}, prefix: map[segPrefixKey][]vocabWord{}}
		ws.segs[seg] = l
	}
	table(l)[key] = v
	l.n++
	return v, nil
}

// walker walks the segments of one snapshot for one typo look-up,
// remembering each segment's answer in v.walks.
type walker struct {
	v               *vocabulary
	snap            *scorch.IndexSnapshot
	word            string
	first           rune
	maxTypos, limit int
	a               *levenshtein // made at the first segment walked
}

func (v *vocabulary) walker(snap *scorch.IndexSnapshot, word string, maxTypos, limit int) *walker {
	first, _ := utf8.DecodeRuneInString(word)
	return &walker{v: v, snap: snap, word: word, first: first, maxTypos: maxTypos, limit: limit}
}

// walk adds to typos seg's words near w.word, as walkNear does.
func (w *walker) walk(seg segment.Segment, typos map[string]int) error {
	return w.walkDict(w.v.walks, seg, func() (wordDict, error) { return openSegWords(seg) }, typos)
}

// walkBase adds to typos the base vocabulary's words near w.word, if there
// is a base.
func (w *walker) walkBase(typos map[string]int) error {
	if w.v.base == nil {
		return nil
	}
	// Remembered with the base, under no segment.
	return w.walkDict(w.v.baseWalks(), nil, func() (wordDict, error) { return w.v.base, nil }, typos)
}

// walkDict adds to typos the words near w.word of the dictionary open
// opens, remembered in ws under seg.
func (w *walker) walkDict(ws *segWalks, seg segment.Segment, open func() (wordDict, error), typos map[string]int) error {
	hits, err := segRemember(ws, w.snap.Segments(), seg, func(l *segLookups) map[nearKey][]nearHit { return l.near },
		nearKey{w.word, w.maxTypos, w.limit}, func() ([]nearHit, error) {
			if w.a == nil {
				w.a = newLevenshtein(w.word, w.maxTypos)
			}
			dict, err := open()
			if err != nil {
				return nil, err
			}
			own := map[string]int{}
			if err := walkNear(dict, w.word, w.first, w.a, w.maxTypos, w.limit, own); err != nil {
				return nil, err
			}
			hits := make([]nearHit, 0, len(own))
			for t, n := range own {
				hits = append(hits, nearHit{t, n})
			}
			return hits, nil
		})
	for _, h := range hits {
		typos[h.term] = h.typos
	}
	return err
}

// termsOf iterates the terms of dict between start and end that a
// accepts (nil: all), without reading their postings when the dictionary
// can skip that (zap's can): their counts are not to be read.
func termsOf(dict segment.TermDictionary, a segment.Automaton, start, end []byte) segment.DictionaryIterator {
	if oc, ok := dict.(interface {
		AutomatonIteratorOmitCount(a segment.Automaton, start, end []byte) segment.DictionaryIterator
	}); ok {
		return oc.AutomatonIteratorOmitCount(a, start, end)
	}
	return dict.AutomatonIterator(a, start, end)
}

// sortNear orders typo candidates fewest typos first, then most frequent.
func sortNear(ws []vocabWord) {
	slices.SortFunc(ws, func(a, b vocabWord) int {
		if c := cmp.Compare(a.typos, b.typos); c != 0 {
			return c
		}
		if c := cmp.Compare(b.count, a.count); c != 0 {
			return c
		}
		return cmp.Compare(a.word, b.word)
	})
}
