package index

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
)

// Limits on a Query. They protect the server: every one bounds work done per
// request. The HTTP layer reports violations per field before a Query is
// built; Search checks them again.
const (
	MaxQueryRunes    = 256
	MaxSize          = 100
	DefaultSize      = 10
	MaxWindow        = 10000 // From+Size
	MaxFilterValues  = 20    // per facet
	MaxFragments     = 10
	DefaultFragments = 3
	MinFragmentRunes = 40
	MaxFragmentRunes = 1000
	DefaultFragment  = 180 // runes
	maxMatches       = 256 // match offsets reported per field
)

// Sort orders results.
type Sort string

// The sort orders. SortRelevance falls back to SortNewest for an empty query.
const (
	SortRelevance Sort = "relevance"
	SortNewest    Sort = "date"
	SortOldest    Sort = "-date"
)

// Match says how many of the query's clauses a hit must contain.
type Match string

// The matching strategies.
const (
	// MatchAuto ranks articles with all clauses first; when they do not fill
	// the page, articles with fewer clauses follow, most clauses first
	// (Meilisearch's strategy). Total counts every article with any clause.
	MatchAuto Match = ""
	// MatchAll returns only articles that contain every clause.
	MatchAll Match = "all"
	// MatchAny is plain BM25 over all clauses: the mode relevance
	// evaluations use.
	MatchAny Match = "any"
)

// Facet names. Each names a facet in Results and a filter in Query.
const (
	FacetSource = "source"
	FacetLang   = "lang"
	FacetDate   = "date"
	// The entity facets: canonical names of the people, places and
	// organisations articles mention (entities.go).
	FacetPerson = "person"
	FacetPlace  = "place"
	FacetOrg    = "org"
)

// facetDef describes one facet: the keyword field it counts and how many
// values it returns.
type facetDef struct {
	name    string
	field   string
	size    int
	byValue bool // sort buckets by value (chronological) instead of count
}

// facetDefs lists the facets in response order.
var facetDefs = []facetDef{
	{FacetSource, fieldSource, 50, false},
	{FacetLang, fieldLang, 10, false},
	{FacetDate, fieldMonth, 1200, true},
	{FacetPerson, fieldPerson, 30, false},
	{FacetPlace, fieldPlace, 30, false},
	{FacetOrg, fieldOrg, 30, false},
}

// DefaultFacets are the facets a search counts unless it names others:
// the cheap ones. The entity facets are counted on request.
func DefaultFacets() []string {
	return []string{FacetSource, FacetLang, FacetDate}
}

// FacetNames returns the facet names a Query may request.
func FacetNames() []string {
	names := make([]string, len(facetDefs))
	for i, d := range facetDefs {
		names[i] = d.name
	}
	return names
}

func facetByName(name string) (facetDef, bool) {
	for _, d := range facetDefs {
		if d.name == name {
			return d, true
		}
	}
	return facetDef{}, false
}

// Query is a search as the engine understands it.
type Query struct {
	Text string // search-box syntax, see query.go; empty matches every article
	// Filters selects facet values: OR within one facet, AND across facets.
	// Keys are term facet names (FacetSource, FacetLang, FacetPerson,
	// FacetPlace, FacetOrg).
	Filters map[string][]string
	// DateFrom and DateTo bound the publication day, inclusive; zero means
	// open. Articles without a date never match a date bound.
	DateFrom, DateTo time.Time
	Sort             Sort
	Match            Match
	From, Size       int
	// Facets to compute; nil means none.
	Facets       []string
	Fragments    int // body fragments per hit; 0 means DefaultFragments, <0 none
	FragmentSize int // runes per fragment; 0 means DefaultFragment
	// Typos lets a word also match vocabulary words a typo or two away
	// (expand.go), ranked below exact matches. Prefix lets the last word,
	// when nothing follows it, also match words that start with it. The
	// HTTP API turns both on unless asked not to.
	Typos, Prefix bool

	// plain asks for hits without highlights, matches or missing words:
	// Related lists only titles, and locating each hit's matches was
	// most of its time.
	plain bool
}

// Results is one page of hits with facet counts.
type Results struct {
	Total uint64
	// TotalAll counts the articles with every clause, of a query of two
	// clauses or more (nil otherwise): with match auto, Total counts those
	// with any, and the page tells the reader how many have every word.
	TotalAll *uint64
	// Ignored lists the query's words and phrases (without quotes or
	// title:) when none of them can be searched: stop words, too common to
	// be indexed (there, "to be or not to be", и не). Nothing matches such a
	// query, and the reader should be told why rather than to check the
	// spelling. nil otherwise.
	Ignored []string
	Took    time.Duration
	Hits    []Hit
	Facets  []Facet
}

// Hit is one article in Results.
type Hit struct {
	ID           string
	Title        string
	TitleDerived bool
	Date         time.Time
	Source       string
	Lang         string
	URL          string
	Score        float64
	// Highlights holds HTML, per field ("title", "body"): the text is
	// escaped and only <mark>…</mark> is added around matches. Title is one
	// string (the whole title); body has up to Query.Fragments fragments.
	// Every other field of Hit is plain text.
	Highlights map[string][]string
	// Matches gives each match's offsets in the stored field, per field.
	Matches map[string][]Span
	// Missing lists the query's words (each clause as written: a word,
	// a "quoted phrase", a OR b) that the article lacks in every form the
	// search looks for, of a query of two clauses or more; nil when it
	// has them all. The direct path reads it from the clauses' documents,
	// bleve's searches each clause among the page's hits (missingBySearch).
	Missing []string
	// DuplicateOf is the id of an earlier hit of the page with the same
	// title and text: a copy (Reuters repeats a story, channels repost
	// one), which a page may fold into that hit. "" for none.
	DuplicateOf string

	content uint64 // the hash of title and text that finds copies
}

// Span is the position of one match in a stored field: [Start, End) in
// UTF-8 bytes, and [Start16, End16) in UTF-16 code units (the unit of
// JavaScript string indexes).
type Span struct {
	Start, End     int
	Start16, End16 int
}

// Facet is the counts of one facet's values.
type Facet struct {
	Name    string
	Buckets []Bucket
}

// Bucket is one facet value and the number of articles that have it.
type Bucket struct {
	Value string
	Count int
}

// QueryTextProblem says what is wrong with s as the text of a query, in
// words that follow the parameter's name ("must be valid UTF-8"), or
// returns "" when nothing is. Control characters other than tab, line
// feed and carriage return (which a pasted text may hold, and which
// separate words) are refused: no one types a NUL, and a script that
// sends one has a bug it should hear about. A NUL had been read as
// blank, so q=%00 listed every article as an empty query does.
func QueryTextProblem(s string) string {
	switch {
	case !utf8.ValidString(s):
		return "must be valid UTF-8"
	case utf8.RuneCountInString(s) > MaxQueryRunes:
		return fmt.Sprintf("must be at most %d characters", MaxQueryRunes)
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f {
			return fmt.Sprintf("must not contain control characters (U+%04X at byte %d)", c, i)
		}
	}
	return ""
}

// Validate checks q against the limits above. Errors wrap ErrInvalidQuery.
func (q *Query) Validate() error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: %s", ErrInvalidQuery, fmt.Sprintf(format, args...))
	}
	if p := QueryTextProblem(q.Text); p != "" {
		return bad("text %s", p)
	}
	switch {
	case q.Size < 0 || q.Size > MaxSize:
		return bad("size must be between 1 and %d", MaxSize)
	case q.From < 0:
		return bad("from must not be negative")
	case q.From > MaxWindow-q.Size: // From+Size would overflow for a huge From
		return bad("from+size must not exceed %d", MaxWindow)
	case !q.DateFrom.IsZero() && !q.DateTo.IsZero() && q.DateTo.Before(q.DateFrom):
		return bad("date range ends before it starts")
	case q.Fragments > MaxFragments:
		return bad("fragments must be at most %d", MaxFragments)
	case q.FragmentSize != 0 && (q.FragmentSize < MinFragmentRunes || q.FragmentSize > MaxFragmentRunes):
		return bad("fragment size must be between %d and %d", MinFragmentRunes, MaxFragmentRunes)
	}
	switch q.Sort {
	case "", SortRelevance, SortNewest, SortOldest:
	default:
		return bad("unknown sort %q", q.Sort)
	}
	switch q.Match {
	case MatchAuto, MatchAll, MatchAny:
	default:
		return bad("unknown match %q", q.Match)
	}
	for _, f := range q.Facets {
		if _, ok := facetByName(f); !ok {
			return bad("unknown facet %q", f)
		}
	}
	for name, values := range q.Filters {
		if d, ok := facetByName(name); !ok || d.name == FacetDate {
			return bad("unknown filter %q", name)
		}
		if len(values) > MaxFilterValues {
			return bad("more than %d values for filter %q", MaxFilterValues, name)
		}
		for _, v := range values {
			if !utf8.ValidString(v) || len(v) > 256 {
				return bad("invalid value for filter %q", name)
			}
		}
	}
	return nil
}

// Search runs q. The context bounds it: bleve stops when ctx is done.
// Results may come from the query cache (Options.QueryCache): they are
// shared, so callers must not modify them.
func (x *Index) Search(ctx context.Context, q Query) (Results, error) {
	start := time.Now()
	if q.Size == 0 {
		q.Size = DefaultSize
	}
	if err := q.Validate(); err != nil {
		return Results{}, err
	}
	if x.cache == nil {
		return x.search(ctx, q, start)
	}
	key := cacheKey(q)
	res, gen, ok := x.cache.get(key)
	if ok {
		res.Took = time.Since(start)
		return res, nil
	}
	res, err := x.search(ctx, q, start)
	if err == nil {
		x.cache.put(key, res, gen)
	}
	return res, err
}

// search runs a Query without checking the public limits. Search validates
// first; tests use it directly for evaluation runs deeper than a page
// (relevance_test.go scores the top 1000 hits of queries longer than
// MaxQueryRunes). q.Size must be set.
func (x *Index) search(ctx context.Context, q Query, start time.Time) (Results, error) {
	bi, done, err := x.reader()
	if err != nil {
		return Results{}, err
	}
	defer done()
	ctx = withCodebook(ctx, x.cb) // the reader's generation's (phrasestops.go)

	ex, err := newExpander(ctx, bi, q, x.lex, x.vocabAids())
	if err != nil {
		return Results{}, err
	}
	defer ex.close()
	p := x.plan(q, ex)
	if ex != nil && ex.err != nil {
		return Results{}, searchError(ex.err)
	}
	res, err := p.run(ctx, bi)
	if err != nil {
		return Results{}, err
	}
	markCopies(res.Hits)
	res.Took = time.Since(start)
	return res, nil
}

// contentSeed seeds the hashes of articles' contents (markCopies).
var contentSeed = maphash.MakeSeed()

// contentHash hashes an article's title and text, trimmed.
func contentHash(a *Article) uint64 {
	var h maphash.Hash
	h.SetSeed(contentSeed)
	h.WriteString(strings.TrimSpace(a.Title))
	h.WriteByte(0)
	h.WriteString(strings.TrimSpace(a.Body))
	return h.Sum64()
}

// markCopies sets DuplicateOf on each hit whose title and text an
// earlier hit of the page has: on the news corpora 1.7% of the articles
// are copies (820 Telegram reposts, 235 Reuters repeats), and a page of
// discount rate had four copies of one Freddie Mac story.
func markCopies(hits []Hit) {
	for i := 1; i < len(hits); i++ {
		for j := range i {
			if hits[i].content != 0 && hits[i].content == hits[j].content && hits[j].DuplicateOf == "" {
				hits[i].DuplicateOf = hits[j].ID
				break
			}
		}
	}
}

// plan is a Query turned into bleve queries.
type plan struct {
	x       *Index
	q       Query
	clauses []query.Query // positive clauses, each matching title or body
	typed   []query.Query // the clauses as typed, without alternatives (for locate)
	words   []string      // the clauses as the query writes them (Hit.Missing); "" for a bonus clause
	// bonus counts the clauses, last, that only rank (qclause.bonus): an
	// article with every word has the others, and Total, TotalAll and
	// match=all are theirs.
	bonus    int
	excluded []query.Query
	stats    *scoring // BM25's collection statistics, filled in by run
	ignored  []string // the words with no searchable term, as typed
	// dates is the query's date filter, made once by filter: the search
	// and each facet count share it, and with it its matches (published.go).
	dates query.Query
	text  bool // the query has searchable text (else: match all, newest first)
	empty bool // the text had words but none searchable: nothing matches
}

func (x *Index) plan(q Query, ex *expander) *plan {
	p := &plan{x: x, q: q, stats: &scoring{}}
	an := x.m.AnalyzerNamed(analyzerName)
	pq := parseQuery(q.Text)
	pq.clauses = distinctClauses(ex.splitRuns(an, pq.clauses))
	for _, c := range pq.clauses {
		for i := range c.alts {
			c.alts[i].capitals = ex.capitals(c.alts[i])
		}
	}
	for i := range pq.excluded {
		pq.excluded[i].capitals = ex.capitals(pq.excluded[i])
	}
	oneOf := func(qs []query.Query) query.Query {
		if len(qs) == 1 {
			return qs[0]
		}
		return newSumQuery(qs, 1)
	}
	shared, runs := ex.nameRuns(pq.clauses)
	begun := ex.begunNames(pq.clauses)
	var runTyped, runAlts query.Query // of the run the last clause was in
	var exact []query.Query           // exactBonus's clauses
	for i, c := range pq.clauses {
		if runs[i] != "" {
			// A word of a name typed whole is the name: the run as a
			// phrase, or its other spellings. It is not a fragment being
			// typed either: the Yi of Wang Yi does not complete to yield.
			// Every clause of the run is the same query, built once.
			if i == 0 || runs[i-1] != runs[i] {
				runTyped = termQuery(an, qterm{text: runs[i], phrase: true}, p.stats)
				runAlts = withAlternatives(runTyped, shared[i], titleAndBody, p.stats)
			}
			if runTyped != nil {
				p.clauses = append(p.clauses, runAlts)
				p.typed = append(p.typed, runTyped)
				p.words = append(p.words, c.alts[0].written())
			}
			continue
		}
		if c.bonus {
			// The run as typed, without alternatives: its pieces have them.
			// Bonus clauses come last: every word's clause is in.
			if tq := termQuery(an, c.alts[0], p.stats); tq != nil {
				q := tq
				if words := p.clauses[:len(p.clauses)-p.bonus]; c.gated && len(words) > 0 && p.q.Match != MatchAny {
					q = &gatedQuery{q: tq, gates: slices.Clone(words)}
				}
				p.clauses = append(p.clauses, q)
				p.typed = append(p.typed, tq)
				p.words = append(p.words, "")
				p.bonus++
			}
			continue
		}
		var alts, typed []query.Query
		var words []string
		for _, t := range c.alts {
			if tq := termQuery(an, t, p.stats); tq != nil {
				typed = append(typed, tq)
				more := slices.Concat(ex.alternatives(t), shared[i], begun[i])
				if t.joined != "" {
					more = append(more, alternative{text: t.text, term: t.joined, weight: 1})
				}
				alts = append(alts, withAlternatives(tq, more, fieldsOf(t), p.stats))
				if len(c.alts) == 1 && slices.ContainsFunc(more, func(a alternative) bool { return a.belowTyped }) {
					spelt := slices.DeleteFunc(slices.Clone(more), func(a alternative) bool { return a.belowTyped })
					exact = append(exact, withAlternatives(tq, spelt, fieldsOf(t), p.stats))
				}
				words = append(words, t.written())
			} else if hasWord(t.text) && !overlong(t.text) {
				// A stop word; punctuation (---) is no word at all, and a
				// word too long to be a term (maxTermBytes) no common one.
				p.ignored = append(p.ignored, t.text)
			}
		}
		if len(alts) > 0 {
			p.clauses = append(p.clauses, oneOf(alts))
			p.typed = append(p.typed, oneOf(typed))
			p.words = append(p.words, strings.Join(words, " OR "))
		}
	}
	p.exactBonus(exact)
	if p.bonus == len(p.clauses) {
		p.bonus = 0 // no piece was searchable: the run is the query
	}
	for _, t := range pq.excluded {
		if tq := termQuery(an, t, p.stats); tq != nil {
			p.excluded = append(p.excluded, withAlternatives(tq, ex.names(t), fieldsOf(t), p.stats))
		}
	}
	p.text = len(p.clauses) > 0
	p.empty = !p.text && len(pq.clauses) > 0
	return p
}

// exactBonus adds a bonus clause for each word that the index has as
// typed and that typos reached other words for (alternative.belowTyped):
// the word itself and its other spellings, no typos. match=auto then
// ranks the articles with the words as typed first, as Meilisearch's typo
// rule does: hurling, in one article of the news corpora, also searched
// hurting (one typo), and 8 short Reuters articles with HURT in the title
// ranked above the one with hurling. With other words, the bonus counts
// only in articles with every word (gatedQuery), so that an article with
// the word exactly but not the others neither joins the tier of those
// with every word nor counts in total_all.
func (p *plan) exactBonus(exact []query.Query) {
	words := p.clauses[:len(p.clauses)-p.bonus]
	for _, q := range exact {
		typed := q
		if len(words) > 1 {
			// Gated with match=any too: ungated, an article with the word
			// exactly and not the others counted among those with every
			// word (total_all 8 for hurling tea, where 7 have both).
			q = &gatedQuery{q: q, gates: slices.Clone(words)}
		}
		p.clauses = append(p.clauses, q)
		p.typed = append(p.typed, typed)
		p.words = append(p.words, "")
		p.bonus++
	}
}

// Field weights for BM25. Equal, Lucene's default: on Cranfield a body
// weighted ×2 (what this was under bleve's scoring) scores MAP 0.3147 and
// nDCG@10 0.3807, equal weights 0.3133 and 0.3819: no reason to differ.
const (
	titleBoost = 1.0
	bodyBoost  = 1.0
)

// fieldBoost is a text field a clause searches, with its weight.
type fieldBoost struct {
	name  string
	boost float64
}

var (
	titleAndBody = []fieldBoost{{fieldTitle, titleBoost}, {fieldBody, bodyBoost}}
	titleOnly    = []fieldBoost{{fieldTitle, titleBoost}}
)

// fieldsOf returns the fields t searches, weighed by t's weight: the
// title for title:t, else the title and the body.
func fieldsOf(t qterm) []fieldBoost {
	fields := titleAndBody
	if t.title {
		fields = titleOnly
	}
	w := t.weighs()
	if w == 1 {
		return fields
	}
	weighed := make([]fieldBoost, len(fields))
	for i, f := range fields {
		weighed[i] = fieldBoost{f.name, f.boost * w}
	}
	return weighed
}

// termQuery matches one word or phrase in the title or the body (only the
// title for title:t). A word that analyses to several terms (a Chinese run
// becomes bigrams, "U.S.-led" two words) must match as a phrase, or
// 中俄关系 would match any article with 关系. It returns nil when t has no
// searchable term.
func termQuery(an analysis.Analyzer, t qterm, stats *scoring) query.Query {
	acronym := t.capitals
	if acronym == "" {
		return wordQuery(an, t, stats)
	}
	// A word typed in capitals (acronym.go): its acronym term, or the
	// word as written in lower case (aid, gdp in a title in capitals),
	// which weighs less. A stop word (IT) has only the acronym, and so has
	// an acronym whose word is an ordinary one (wordAcronyms: who, us,
	// опека) or in Cyrillic (acronymOnly: СВО, not свой), and a cased name
	// (casedname.go: Маск, not маска).
	fields := fieldsOf(t)
	parts := make([]query.Query, len(fields))
	for i, f := range fields {
		parts[i] = newBM25Query(acronym, f.name, f.boost, stats)
	}
	exact := newSumQuery(parts, 1)
	if acronymOnly(t.text) || !isAcronym(t.text) {
		return exact
	}
	lower := t
	lower.weight = t.weighs() * acronymWordWeight
	if word := wordQuery(an, lower, stats); word != nil {
		return newMaxQuery([]query.Query{exact, word})
	}
	return exact
}

// wordQuery is termQuery for a word not in capitals, its fields' weights
// multiplied by t's weight.
func wordQuery(an analysis.Analyzer, t qterm, stats *scoring) query.Query {
	tokens := an.Analyze([]byte(t.text))
	if len(tokens) == 0 {
		return nil
	}
	oneWord := samePosition(tokens) // a word, maybe with a variant (Лавров: лавр, лавров)
	join := joinedTerm(tokens)      // Wi-Fi: wifi, which every article with either has
	// A compound quoted, or a split one's bonus clause (compoundPieces),
	// is the compound written joined, with a hyphen or apart (Rolls
	// Royce), once, and its forms share one idf as other spellings do.
	var written [][]string
	var forms *blend
	if join != nil && t.phrase && !isAmpersandName(join) && !lostWord(tokens) {
		written = wordsApart(tokens)
		forms = &blend{terms: []string{string(join)}, phrases: [][][]string{written}}
	}
	// The word's term, or the phrase's slots, searched in each field:
	// quoted, a word written as a cased name is the name ("Газа",
	// "в Газе", whose в is a stop word).
	var term string
	var slots [][]string
	switch {
	case join != nil:
	case oneWord:
		term = wordTerm(tokens)
		if cased, ok := tokenCasedName(t.text, tokens[0]); ok && t.phrase {
			term = cased
		}
	default:
		slots = tokensToPhrase(tokens)
		if t.phrase {
			casedSlots(t.text, tokens, slots)
		}
	}
	field := func(name string, boost float64) query.Query {
		if forms != nil {
			joined := newBM25Query(string(join), name, boost, stats)
			joined.blend = forms
			apart := newBM25PhraseQuery(written, name, boost/float64(len(written)), stats)
			apart.blend = forms
			return newMaxQuery([]query.Query{joined, apart})
		}
		if join != nil {
			return newBM25Query(string(join), name, boost, stats)
		}
		if oneWord {
			return newBM25Query(term, name, boost, stats)
		}
		pq := newBM25PhraseQuery(slots, name, boost, stats)
		if t.phrase {
			pq.stops = phraseStops(t.text, tokens, slots)
		}
		// A joined compound is one slot of the phrase (joinCompounds),
		// which finds it written with its hyphen only in compounds mode:
		// F-16战机, typed without quotes, had found none of the 24
		// articles of the news corpora that write it.
		pq.compounds = t.phrase || slices.ContainsFunc(tokens, isShingle)
		return pq
	}
	fields := fieldsOf(t)
	var alone []*analysis.Token // a compound's words that count on their own
	var apart [][]string        // its words as a phrase, for those that do not
	if !oneWord && !t.phrase && !hasHan(tokens) {
		alone, apart = wordsAlone(tokens, join != nil)
	}
	if len(alone) == 0 && apart == nil {
		parts := make([]query.Query, len(fields))
		for i, f := range fields {
			parts[i] = field(f.name, f.boost)
		}
		return newSumQuery(parts, 1)
	}
	// "high-speed", "U.S.-led": each word alone counts, as Lucene's query
	// parser treats them, and the phrase adds the rest of the compound's
	// weight: an article with the compound scores as if both words were
	// typed, one with the words apart for splitWordWeight of that. But
	// not a number, a letter, or in a compound with a number a word of
	// two letters (wordsAlone), which alone name nothing: F-16 is no F
	// and no 16 (it had counted the 4,023 articles of the news corpora
	// with either, for its 48), Су-57 no су, COVID-19 COVID but no 19,
	// e-mail no e; U.S.-led is still US and led. Where a compound's short
	// words do not count alone (Wi-Fi), its words together as a phrase
	// take their place: wi fi written apart is still found.
	var alts []query.Query
	for _, f := range fields {
		alts = append(alts, field(f.name, f.boost*(1-splitWordWeight)))
		for _, tok := range alone {
			alts = append(alts, newBM25Query(string(tok.Term), f.name, f.boost*splitWordWeight, stats))
		}
		if apart != nil {
			alts = append(alts, newBM25PhraseQuery(apart, f.name, f.boost*splitWordWeight, stats))
		}
	}
	return newSumQuery(alts, 1)
}

// joinedTerm returns the term of tokens' two words joined (joinedWord)
// when tokens are those of one compound of two words (Wi-Fi, e-mail),
// and nil otherwise. Articles index such a compound under it too, so it
// finds those that write the compound either way.
func joinedTerm(tokens analysis.TokenStream) []byte {
	var join []byte
	for _, tok := range tokens {
		switch {
		case tok.Position > tokens[0].Position+1:
			return nil
		case tok.Type == analysis.Shingle:
			join = tok.Term
		}
	}
	return join
}

// lostWord reports whether a compound's first word is a stop word, which
// leaves its joined term alone at its position: "С-400" apart is no
// phrase of с and 400, only 400, which every 400 has.
func lostWord(tokens analysis.TokenStream) bool {
	for _, tok := range tokens {
		if isShingle(tok) {
			return !slices.ContainsFunc(tokens, func(o *analysis.Token) bool { return !isShingle(o) && o.Position == tok.Position })
		}
	}
	return false
}

// wordsAlone returns the words of a compound that count on their own:
// none when the first is one letter (e-mail), else no number, two letters
// or more, and three or more when the compound has
// a number (a designation: F-16, Су-57) or, with no acronym, is also
// indexed joined (joinedTerm): Wi-Fi's wi and fi, Hi-Fi's hi, co-op's co
// and op, al-Qaeda's al name nothing alone. On the news corpora Wi-Fi
// found 70 Reuters articles through wi (WIS, Wisconsin, by prefix) and
// Hi-Fi the articles on Wi-Fi through fi. Not the words joined. An
// acronym keeps its words: US-China is still US and China.
//
// joinable says the compound is also indexed joined (joinedTerm). apart
// is the compound's words as a phrase when the joined rule left a
// word out (nil otherwise), so that the words written apart (wi fi) still
// count, together.
func wordsAlone(tokens analysis.TokenStream, joinable bool) (alone []*analysis.Token, apart [][]string) {
	numbered := slices.ContainsFunc(tokens, func(tok *analysis.Token) bool { return tok.Type == analysis.Numeric })
	joined := joinable && !slices.ContainsFunc(tokens, func(tok *analysis.Token) bool { return isAcronym(string(tok.Term)) })
	dropped, letter := false, false
	for _, tok := range tokens {
		n := utf8.RuneCount(tok.Term)
		if n < 2 && tok.Type != analysis.Numeric && tok.Type != analysis.Shingle && tok.Position == tokens[0].Position {
			letter = true // the first word: e-mail, X-ray (Beijing-e is still being typed)
		}
		if tok.Type == analysis.Numeric || tok.Type == analysis.Shingle || n < 2 {
			continue
		}
		if n >= 3 || !numbered && !joined {
			alone = append(alone, tok)
		} else if !numbered {
			dropped = true
		}
	}
	if letter && !numbered && len(alone) > 0 && !slices.ContainsFunc(tokens, func(tok *analysis.Token) bool { return isShingle(tok) && isAmpersandName(tok.Term) }) {
		// A letter before a word makes another word: e-mail is no mail
		// (it had found 184 English articles of the news corpora, 103
		// for the Daily Mail or mail order), X-ray no ray. The words
		// count only together.
		return nil, wordsApart(tokens)
	}
	if dropped {
		apart = wordsApart(tokens)
	}
	return alone, apart
}

// isAmpersandName reports whether term is a name of letters joined by an
// ampersand (at&t): its letters written apart are no spelling of it, and
// the query's analysis drops a stop word among them (at), which left
// quoted "AT&T" the letter t.
func isAmpersandName(term []byte) bool { return bytes.IndexByte(term, '&') > 0 }

// wordsApart is the phrase of a compound's words, without its joined
// term: wi fi for Wi-Fi.
func wordsApart(tokens analysis.TokenStream) [][]string {
	var apart [][]string
	for _, tok := range tokens {
		if !isShingle(tok) {
			apart = append(apart, []string{string(tok.Term)})
		}
	}
	return apart
}

// splitWordWeight weighs one word of a hyphenated or dotted compound
// matched on its own.
const splitWordWeight = 0.5

// wordTerm is the term that finds the word tokens are, all at one
// position: its one term, or for a word with a variant, a capitalised
// Russian surname, its -ов form, the longest term, which every case of
// the name indexes (see appendSurnameVariant). Its other, Snowball's
// stem, is another word's too: Медведев's медвед is медведь's, a bear.
func wordTerm(tokens analysis.TokenStream) string {
	term := tokens[0].Term
	for _, tok := range tokens[1:] {
		if len(tok.Term) > len(term) {
			term = tok.Term
		}
	}
	return string(term)
}

// samePosition reports whether all tokens stand at one position: one word,
// possibly with a variant term.
func samePosition(tokens analysis.TokenStream) bool {
	for _, t := range tokens[1:] {
		if t.Position != tokens[0].Position {
			return false
		}
	}
	return true
}

// hasHan reports whether tokens come from Han text (bigrams or dictionary
// words), which must match as a phrase.
func hasHan(tokens analysis.TokenStream) bool {
	for _, t := range tokens {
		if t.Type == analysis.Ideographic || t.Type == analysis.Single || t.Type == analysis.Double {
			return true
		}
	}
	return false
}

// tokensToPhrase lays tokens out by position; positions left empty by
// removed stop words become empty slots, which match any term, so that
// "Republic of China" still matches as a phrase. A Chinese name's bigram
// also takes its marked term where the phrase can stand inside a longer
// name (innerAlternatives): 印度尼, typed on the way to 印度尼西亚. A
// compound typed with its hyphen is one slot, of its words joined
// (joinCompounds): e-mail address is [email] [address].
func tokensToPhrase(tokens analysis.TokenStream) [][]string {
	first, last := tokens[0].Position, tokens[0].Position
	for _, t := range tokens {
		first = min(first, t.Position)
		last = max(last, t.Position)
	}
	out := make([][]string, last-first+1)
	var joined []string
	for _, t := range tokens {
		if t.Type == analysis.Shingle {
			if joined == nil {
				joined = make([]string, len(out))
			}
			joined[t.Position-first] = string(t.Term)
		}
		out[t.Position-first] = append(out[t.Position-first], string(t.Term))
	}
	if joined != nil {
		out = joinCompounds(out, joined)
	}
	innerAlternatives(out) // haninside.go
	numberUnitAlternatives(out)
	return out
}

// filter returns the conjunction of the query's filters, leaving out the
// facet named except (for disjunctive facet counts); nil when none apply.
func (p *plan) filter(except string) query.Query {
	var must []query.Query
	for _, d := range facetDefs {
		values := p.q.Filters[d.name]
		if d.name == except || len(values) == 0 {
			continue
		}
		alts := make([]query.Query, len(values))
		for i, v := range values {
			tq := query.NewTermQuery(v)
			tq.SetField(d.field)
			alts[i] = tq
		}
		must = append(must, query.NewDisjunctionQuery(alts))
	}
	if except != FacetDate && (!p.q.DateFrom.IsZero() || !p.q.DateTo.IsZero()) {
		if p.dates == nil {
			to := p.q.DateTo
			if !to.IsZero() {
				to = to.AddDate(0, 0, 1) // DateTo is inclusive: up to the next day
			}
			p.dates = p.x.publishedRange(p.q.DateFrom, to)
		}
		must = append(must, p.dates)
	}
	switch len(must) {
	case 0:
		return nil
	case 1:
		return must[0]
	}
	return query.NewConjunctionQuery(must)
}

// atLeast matches articles with at least k of the clauses (k ≥ 1).
func (p *plan) atLeast(k int) query.Query {
	if len(p.clauses) == 1 {
		return p.clauses[0]
	}
	if k == len(p.clauses) {
		return query.NewConjunctionQuery(p.clauses)
	}
	return newSumQuery(p.clauses, k)
}

// tier is the set of articles containing between lo and hi clauses.
type tier struct{ lo, hi int }

// pageTiers returns the tiers a page is filled from, best first, or nil
// when it is ranked as one set: match=auto's tiers for a query of several
// clauses; for match=all with bonus clauses, ordered by relevance, the
// articles with every clause, then those with one bonus clause fewer,
// down to none, so that the articles that write a Chinese run as typed
// come first here too.
func (p *plan) pageTiers() []tier {
	n := len(p.clauses)
	switch {
	case !p.text:
		return nil
	case p.q.Match == MatchAuto && n > 1:
		return p.tiers()
	case p.q.Match == MatchAll && p.bonus > 0 && (p.q.Sort == "" || p.q.Sort == SortRelevance):
		ts := make([]tier, 0, p.bonus+1)
		for k := n; k >= n-p.bonus; k-- {
			ts = append(ts, tier{k, k})
		}
		return ts
	}
	return nil
}

// tiers partitions the articles matching any clause by how many clauses
// they contain, most first. Below the top few tiers the rest is one tier:
// a long query would otherwise cost one search per clause count.
func (p *plan) tiers() []tier {
	n := len(p.clauses)
	const exact = 4
	var ts []tier
	k := n
	for ; k >= 1 && n-k < exact; k-- {
		ts = append(ts, tier{k, k})
	}
	if k >= 1 {
		ts = append(ts, tier{1, k})
	}
	return ts
}

// wholeIndex returns the total and the plain facets of a search that
// matches every article (no text, filters, date bounds or exclusions) and
// takes its page from a date window, from the facet columns, when they are
// current.
func (p *plan) wholeIndex(bi bleve.Index, plain []string, window query.Query) (uint64, map[string][]Bucket, bool) {
	if window == nil || p.text || len(p.excluded) > 0 || len(p.q.Filters) > 0 || !p.q.DateFrom.IsZero() || !p.q.DateTo.IsZero() {
		return 0, nil, false
	}
	return p.x.wholeIndex(bi, plain)
}

// dateWindow returns a filter on the months that must hold the page of a
// search without text or date bounds, or nil. The month counts are those
// of the whole index: with facet filters the window may hold fewer than
// need matches, and run then ranks everything.
func (p *plan) dateWindow(need int) query.Query {
	if p.text || !p.q.DateFrom.IsZero() || !p.q.DateTo.IsZero() {
		return nil
	}
	start, end, ok := p.x.dateWindow(need, p.q.Sort != SortOldest)
	if !ok {
		return nil
	}
	return p.x.publishedRange(start, end)
}

// publishedRange matches publication instants in [from, to); a zero
// bound is open. Article dates lie in minYear..maxYear (Prepare), so the
// bounds are clamped to that span, inside int64 nanoseconds (1678–2262).
func (x *Index) publishedRange(from, to time.Time) query.Query {
	lo := time.Date(minYear, 1, 1, 0, 0, 0, 0, time.UTC)
	hi := time.Date(maxYear+1, 1, 1, 0, 0, 0, 0, time.UTC)
	start, end := lo, hi
	if !from.IsZero() {
		start = clampTime(from, lo, hi)
	}
	if !to.IsZero() {
		end = clampTime(to, lo, hi)
	}
	return &dateRangeQuery{from: start.UnixNano(), to: end.UnixNano(), x: x}
}

// scoring builds the query for articles containing lo..hi clauses, with
// exclusions and filters (except the named facet's) applied, and any
// extra filters.
func (p *plan) scoring(t tier, except string, extra ...query.Query) query.Query {
	var must query.Query
	switch {
	case !p.text:
		must = query.NewMatchAllQuery()
	default:
		must = p.atLeast(t.lo)
	}
	// The must clause goes in as it is: bleve's NewBooleanQuery wraps it
	// in a conjunction, which costs a searcher and a score merge per match
	// even with one part.
	b := &query.BooleanQuery{Must: must}
	if p.text && t.hi < len(p.clauses) {
		b.AddMustNot(unscoredQuery{p.atLeast(t.hi + 1)})
	}
	for _, e := range p.excluded {
		b.AddMustNot(unscoredQuery{e})
	}
	filters := extra
	if f := p.filter(except); f != nil {
		filters = append(filters, f)
	}
	switch len(filters) {
	case 0:
		if b.MustNot == nil {
			return must
		}
	case 1:
		b.AddFilter(filters[0])
	default:
		b.AddFilter(query.NewConjunctionQuery(filters))
	}
	return b
}

// resultTier is the tier whose articles Total and the facets describe.
func (p *plan) resultTier() tier {
	if p.q.Match == MatchAll {
		return p.every()
	}
	return tier{1, len(p.clauses)}
}

// every is the tier of the articles with every word: every clause but
// the bonus ones, with or without those.
func (p *plan) every() tier {
	return tier{len(p.clauses) - p.bonus, len(p.clauses)}
}

// wordCount counts the clauses that are words: all but the bonus ones.
func (p *plan) wordCount() int { return len(p.clauses) - p.bonus }

// sortOrder is the order of hits: by relevance, equal scores newest
// first, or by date, equal dates by relevance; remaining ties by article
// id. Left to bleve's collector, ties would keep the index's own document
// order, which differs between two builds of the same articles (a build's
// workers commit their batches in no fixed order). The direct path orders
// alike (directSearch.worse), reading the ids of tied documents only; this
// path, a fallback, reads every match's date and id.
func (p *plan) sortOrder() search.SortOrder {
	published := func(desc bool) *search.SortField {
		return &search.SortField{Field: fieldPublished, Desc: desc, Type: search.SortFieldAsDate, Missing: search.SortFieldMissingLast}
	}
	score, id := &search.SortScore{Desc: true}, &search.SortDocID{}
	switch {
	case p.q.Sort == SortNewest, p.q.Sort != SortOldest && !p.text:
		return search.SortOrder{published(true), score, id}
	case p.q.Sort == SortOldest:
		return search.SortOrder{published(false), score, id}
	}
	return search.SortOrder{score, published(true), id}
}

func (p *plan) request(q query.Query, from, size int, withHits bool) *bleve.SearchRequest {
	req := bleve.NewSearchRequestOptions(q, size, from, false)
	if size > 0 {
		// A count- and facets-only search keeps bleve's default order:
		// sorting by date would read every match's date for nothing.
		req.SortByCustom(p.sortOrder())
	}
	if withHits {
		req.Fields = storedFields
	} else {
		req.Score = "none"
	}
	return req
}

// selected reports whether the facet has a selection, so that its counts
// need a search of their own (disjunctive faceting).
func (p *plan) selected(name string) bool {
	if name == FacetDate {
		return !p.q.DateFrom.IsZero() || !p.q.DateTo.IsZero()
	}
	return len(p.q.Filters[name]) > 0
}

func (p *plan) run(ctx context.Context, bi bleve.Index) (Results, error) {
	if p.empty {
		return Results{Hits: []Hit{}, Facets: p.emptyFacets(), Ignored: p.ignored}, nil
	}
	lengths, err := readLengths(bi)
	if err != nil {
		return Results{}, fmt.Errorf("search: read field lengths: %w", err)
	}
	p.stats.lengths = lengths
	// Relevance-ranked text searches are ranked on postings (rank.go);
	// the rest of run is bleve's path, for the others and as the fallback.
	if res, ok, err := p.runDirect(ctx, bi); err != nil {
		return Results{}, searchError(err)
	} else if ok {
		return res, nil
	}
	rt := p.resultTier()
	n := len(p.clauses)
	// Hits come from the tiers when there are any (pageTiers), top first;
	// Total and facets always describe rt.
	tiered := p.pageTiers() != nil

	var plain []string // facets counted with the main result set
	var own []string   // facets with a selection: counted without it
	for _, f := range p.q.Facets {
		if p.selected(f) {
			own = append(own, f)
		} else {
			plain = append(plain, f)
		}
	}

	var (
		mu     sync.Mutex
		wg     sync.WaitGroup
		errs   []error
		main   *bleve.SearchResult
		top    *bleve.SearchResult
		facets = map[string][]Bucket{}
	)
	finish := func(r *bleve.SearchResult, counts map[string][]Bucket, err error, keep func(*bleve.SearchResult)) {
		mu.Lock()
		defer mu.Unlock()
		if err != nil {
			errs = append(errs, err)
			return
		}
		for name, bs := range counts {
			facets[name] = bs
		}
		if keep != nil {
			keep(r)
		}
	}
	// do runs req; with facet names, it counts them over req's matches.
	// With a set (req's match set, when req only counts), it counts on
	// bitmaps when it can and runs req only when not.
	do := func(req *bleve.SearchRequest, set *setNode, names []string, keep func(*bleve.SearchResult)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if set != nil {
				total, counts, ok, err := p.x.countOnBitmaps(ctx, bi, set, names, p.q.Filters)
				if ok || err != nil {
					finish(&bleve.SearchResult{Total: total}, counts, err, keep)
					return
				}
			}
			sctx := ctx
			var t *facetTally
			if len(names) > 0 {
				t = newTally(names)
				sctx = p.x.tallyContext(ctx, t)
			}
			r, err := bi.SearchInContext(sctx, req)
			var counts map[string][]Bucket
			if err == nil && t != nil {
				counts, err = t.results(p.q.Filters)
			}
			finish(r, counts, err, keep)
		}()
	}
	countOnly := func(q query.Query, names []string, keep func(*bleve.SearchResult)) {
		set, _ := compileSet(q) // nil when bleve must count
		do(p.request(q, 0, 0, false), set, names, keep)
	}

	mainSize, mainFrom := p.q.Size, p.q.From
	if tiered {
		mainSize, mainFrom = 0, 0
		do(p.request(p.scoring(tier{n, n}, ""), p.q.From, p.q.Size, true), nil, nil, func(r *bleve.SearchResult) { top = r })
	}
	var all *uint64 // articles with every word (Results.TotalAll)
	every := p.every()
	if p.text && p.wordCount() > 1 && rt != every && !(tiered && every == tier{n, n}) {
		countOnly(p.scoring(every, ""), nil, func(r *bleve.SearchResult) { all = &r.Total })
	}
	// Without text, hits are sorted by date, which costs reading every
	// article's date: the newest page of 108k articles took 100-200 ms.
	// The month counts bound where the page can be; only that window is
	// ranked. Total and facets come from the main search, or, when the
	// search matches every article, from the columns (wholeIndex).
	need := p.q.From + p.q.Size
	window := p.dateWindow(need)
	if window != nil {
		mainSize, mainFrom = 0, 0
		do(p.request(p.scoring(rt, "", window), p.q.From, p.q.Size, true), nil, nil, func(r *bleve.SearchResult) { top = r })
	}
	if total, counts, ok := p.wholeIndex(bi, plain, window); ok {
		// The page comes from the window; the total and the facets are
		// those of the whole index, already counted.
		mu.Lock()
		main = &bleve.SearchResult{Total: total}
		for name, bs := range counts {
			facets[name] = bs
		}
		mu.Unlock()
	} else if mq := p.scoring(rt, ""); mainSize == 0 {
		countOnly(mq, plain, func(r *bleve.SearchResult) { main = r })
	} else {
		// The ranking search visits every match anyway: it counts them.
		// Counting on bitmaps beside it would be a second pass, and showed
		// no gain when tried.
		do(p.request(mq, mainFrom, mainSize, true), nil, plain, func(r *bleve.SearchResult) { main = r })
	}
	for _, f := range own {
		countOnly(p.scoring(rt, f), []string{f}, nil)
	}
	wg.Wait()
	if len(errs) > 0 {
		return Results{}, searchError(errs[0])
	}

	res := Results{Total: main.Total}
	switch {
	case all != nil:
		res.TotalAll = all
	case tiered && every == tier{n, n}:
		res.TotalAll = &top.Total // the top tier has every word
	case p.text && p.wordCount() > 1:
		res.TotalAll = &main.Total // match all
	}
	hits := main.Hits
	if window != nil {
		hits = top.Hits
		if top.Total < uint64(need) && main.Total > top.Total {
			// The columns were a snapshot behind: rank everything.
			r, err := bi.SearchInContext(ctx, p.request(p.scoring(rt, ""), p.q.From, p.q.Size, true))
			if err != nil {
				return Results{}, searchError(err)
			}
			hits = r.Hits
		} else {
			p.x.cols.windows.Add(1)
		}
	}
	if tiered {
		var err error
		if hits, err = p.fillTiers(ctx, bi, top); err != nil {
			return Results{}, searchError(err)
		}
	}
	missing := func(*search.DocumentMatch) []string { return nil }
	if !p.q.plain {
		if err := p.locate(hits, locateBleve(ctx, bi)); err != nil {
			return Results{}, searchError(err)
		}
		var err error
		if missing, err = p.missingBySearch(ctx, bi, hits); err != nil {
			return Results{}, searchError(err)
		}
	}
	res.Hits = make([]Hit, len(hits))
	for i, h := range hits {
		a, err := fromFields(p.x.cb, h.ID, h.Fields)
		if err != nil {
			return Results{}, err
		}
		res.Hits[i] = p.hit(h, a)
		res.Hits[i].Missing = missing(h)
	}
	res.Facets = p.facets(facets)
	return res, nil
}

// missingBySearch returns, for a query of two words or more, a function
// giving the words (plan.words) of the clauses that a hit of hits does
// not match, in any form: one search per clause, among hits only. For one
// word it gives nil. The hits' located matches cannot tell: a phrase's
// words may be located by another clause (大选 of 国大选 by 大选 itself).
func (p *plan) missingBySearch(ctx context.Context, bi bleve.Index, hits search.DocumentMatchCollection) (func(h *search.DocumentMatch) []string, error) {
	if p.wordCount() < 2 || len(hits) == 0 {
		return func(*search.DocumentMatch) []string { return nil }, nil
	}
	ids := make([]string, len(hits))
	for i, h := range hits {
		ids[i] = h.ID
	}
	has := make([]map[string]bool, len(p.clauses))
	for i, c := range p.clauses {
		if p.words[i] == "" {
			continue // a bonus clause is no word
		}
		req := bleve.NewSearchRequestOptions(query.NewConjunctionQuery([]query.Query{query.NewDocIDQuery(ids), c}), len(ids), 0, false)
		req.Score = "none"
		r, err := bi.SearchInContext(ctx, req)
		if err != nil {
			return nil, err
		}
		has[i] = make(map[string]bool, len(r.Hits))
		for _, h := range r.Hits {
			has[i][h.ID] = true
		}
	}
	return func(h *search.DocumentMatch) []string {
		return p.missingWords(func(i int) bool { return has[i] != nil && !has[i][h.ID] })
	}, nil
}

// missingWords returns the words (plan.words) of the clauses lacks
// reports missing, each once (a word typed twice is two clauses); nil for
// a query of one clause, or when none is missing.
func (p *plan) missingWords(lacks func(clause int) bool) []string {
	if p.wordCount() < 2 {
		return nil
	}
	var out []string
	for i, w := range p.words {
		if w != "" && lacks(i) && !slices.Contains(out, w) {
			out = append(out, w)
		}
	}
	return out
}

// fillTiers pages through the tiers, top first, for the window
// [From, From+Size): top already holds the top tier's part of it.
func (p *plan) fillTiers(ctx context.Context, bi bleve.Index, top *bleve.SearchResult) (search.DocumentMatchCollection, error) {
	hits := top.Hits
	need := p.q.Size - len(hits)
	skip := max(0, p.q.From-int(top.Total))
	for _, t := range p.pageTiers()[1:] {
		if need <= 0 {
			break
		}
		r, err := bi.SearchInContext(ctx, p.request(p.scoring(t, ""), skip, need, true))
		if err != nil {
			return nil, err
		}
		hits = append(hits, r.Hits...)
		need -= len(r.Hits)
		skip = max(0, skip-int(r.Total))
	}
	return hits, nil
}

// searchError maps bleve's failures: a cancelled or expired context stays
// recognisable with errors.Is.
func searchError(err error) error {
	switch {
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		return err
	case strings.Contains(err.Error(), "context deadline exceeded"):
		return fmt.Errorf("search: %w", context.DeadlineExceeded)
	case strings.Contains(err.Error(), "context canceled"):
		return fmt.Errorf("search: %w", context.Canceled)
	}
	return fmt.Errorf("search: %w", err)
}

// hit makes the Hit of match h, the stored article a.
func (p *plan) hit(h *search.DocumentMatch, a Article) Hit {
	out := Hit{
		ID: a.ID, Title: a.Title, TitleDerived: a.TitleDerived, Date: a.Date,
		Source: a.Source, Lang: a.Lang, URL: a.URL, Score: h.Score,
	}
	if p.q.plain {
		return out
	}
	out.content = contentHash(&a)
	titleSpans := spansOf(h.Locations[fieldTitle], a.Title)
	bodySpans := spansOf(h.Locations[fieldBody], a.Body)
	out.Highlights = map[string][]string{fieldTitle: {markAll(a.Title, titleSpans)}}
	n, size := p.q.Fragments, p.q.FragmentSize
	if n == 0 {
		n = DefaultFragments
	}
	if size == 0 {
		size = DefaultFragment
	}
	if n > 0 {
		out.Highlights[fieldBody] = fragments(a.Body, bodySpans, n, size)
	}
	out.Matches = map[string][]Span{
		fieldTitle: utf16Spans(a.Title, titleSpans),
		fieldBody:  utf16Spans(a.Body, bodySpans),
	}
	return out
}

// facets converts bleve's facet results, in facetDefs order, keeping every
// selected value visible even when it has no articles.
func (p *plan) facets(got map[string][]Bucket) []Facet {
	var out []Facet
	for _, d := range facetDefs {
		if !slices.Contains(p.q.Facets, d.name) {
			continue
		}
		f := Facet{Name: d.name, Buckets: append([]Bucket{}, got[d.name]...)}
		for _, v := range p.q.Filters[d.name] {
			if !slices.ContainsFunc(f.Buckets, func(b Bucket) bool { return b.Value == v }) {
				f.Buckets = append(f.Buckets, Bucket{Value: v})
			}
		}
		if d.byValue {
			slices.SortFunc(f.Buckets, func(a, b Bucket) int { return cmp.Compare(a.Value, b.Value) })
		} else {
			slices.SortStableFunc(f.Buckets, byCount)
		}
		out = append(out, f)
	}
	return out
}

func (p *plan) emptyFacets() []Facet {
	return p.facets(nil)
}

// Article returns the stored article with the given id, or ErrNotFound.
func (x *Index) Article(ctx context.Context, id string) (Article, error) {
	bi, done, err := x.reader()
	if err != nil {
		return Article{}, err
	}
	defer done()
	req := bleve.NewSearchRequestOptions(query.NewDocIDQuery([]string{id}), 1, 0, false)
	req.Fields = storedFields
	req.Score = "none"
	r, err := bi.SearchInContext(ctx, req)
	if err != nil {
		return Article{}, searchError(err)
	}
	if len(r.Hits) == 0 {
		return Article{}, fmt.Errorf("article %q: %w", id, ErrNotFound)
	}
	return fromFields(x.cb, r.Hits[0].ID, r.Hits[0].Fields)
}

func clampTime(t, lo, hi time.Time) time.Time {
	if t.Before(lo) {
		return lo
	}
	if t.After(hi) {
		return hi
	}
	return t
}

// overlong reports whether text is one word longer than any term the
// analyzer gives (maxTermBytes): searched for nothing, and not for being
// too common.
func overlong(text string) bool {
	return len(text) > maxTermBytes && !strings.ContainsFunc(text, unicode.IsSpace)
}
