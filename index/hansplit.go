package index

import (
	"context"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/bleve/v2/search/searcher"
	bleveindex "github.com/blevesearch/bleve_index_api"
)

// Chinese words typed together.
//
// Chinese is written without spaces, so a user types 习近平普京 (Xi
// Jinping, Putin) as one string. A Han run is matched as a phrase of its
// bigrams (termQuery), which is what finds 中俄关系 precisely, but this
// string is in no article: every article writes something between the two
// names, and the search found nothing.
//
// So a run is cut where its words likely meet, and each piece becomes a
// clause of its own, as if a space had been typed there: match=auto then
// ranks the articles with every piece first.
//
// A run that some article holds as typed is cut too: 美国大选 (the US
// election) is written so in 2 articles of the news corpora, and 美国 and
// 大选 are both in 28. When the run is the whole query, the run itself
// stays as one more clause (qclause.bonus), which only the articles that
// write it have: they rank first, then those with every piece, then the
// rest, and the words a hit lacks and the count of articles with every
// word are the pieces'. Beside other words (美国大选 特朗普), the run's
// clause counts only in the articles that have every other word as well
// (gatedQuery): a tier counts clauses, and an article with 美国大选 but
// no 特朗普 would otherwise rank with those that have all three words.
//
// The cuts come from the index's own counts, without a dictionary: a
// bigram that spans two words is mostly much rarer than the bigrams either
// side of it, which lie inside the words (平普 is in 9 articles of the
// news corpora, 近平 in 7,259 and 普京 in 525). Not always: 京会 is in 554
// (北京会见 and the like), more than 普京. So when no article has every
// piece, the pieces are cut further (cutUntilFound). A run is also cut
// where punctuation interrupts it (中俄关系，习近平).

// minWholeRun is how many articles must write a run as typed for it to be
// searched whole, as a term, and not cut: 中国式现代化 (Chinese-style
// modernisation), in 1,942 articles of the news corpora, had been cut
// into pieces and found 12,171, the term's later hits listing 式现代化 as
// missing; 国内生产总值 (GDP) 3,341 for its 243. A run in fewer is cut
// (美国大选, the US election, is written so in 2, its pieces in 28).
const minWholeRun = 50

// maxSplitBigrams bounds the runs split: longer text pasted into the box
// (a paragraph) would cost a vocabulary look-up per character.
const maxSplitBigrams = 64

// valleyDepth is how much rarer than both its neighbours a bigram must
// be to be cut at first: on the news corpora 平普 (9 articles against 525)
// and 油价 (81 against 389) are cut, 一带一路's 带一 (1,494 against 1,562)
// is not.
const valleyDepth = 0.5

// splitRuns returns clauses with each unquoted Chinese run split into the
// pieces hanPieces finds, and each hyphenated compound into its words
// (compoundPieces), one clause each, up to maxClauses in all, as the
// parser keeps; a run some article holds, and a compound, also stays as a
// bonus clause, after every other clause (gated when the query has other
// words). It returns clauses itself when none is split.
func (e *expander) splitRuns(an analysis.Analyzer, clauses []qclause) []qclause {
	var out, bonus []qclause
	for i, c := range clauses {
		pieces, run := e.pieces(an, c)
		if pieces == nil {
			if out != nil {
				out = append(out, c)
			}
			continue
		}
		if out == nil {
			out = append(make([]qclause, 0, len(clauses)+len(pieces)), clauses[:i]...)
		}
		for _, p := range pieces {
			p.title = c.alts[0].title
			out = append(out, qclause{alts: []qterm{p}})
		}
		if run != nil {
			bonus = append(bonus, qclause{alts: run, bonus: true, gated: len(clauses) > 1})
		}
	}
	if out == nil {
		return clauses
	}
	out = append(out, bonus...)
	return out[:min(len(out), maxClauses)] // bonus clauses, last, go first
}

// pieces returns the pieces c is searched as, one clause each, and what
// its bonus clause searches (nil: it has none): a Chinese run's pieces
// (hanPieces) and the run when some article holds it, or the words of a
// Latin word written against Chinese (mixedScriptPieces) or of a compound
// (compoundPieces) and the word exactly; nil, nil when c stays whole.
func (e *expander) pieces(an analysis.Analyzer, c qclause) (pieces, run []qterm) {
	if e != nil { // else no vocabulary to cut Chinese runs by
		if pieces, found := e.hanPieces(an, c); pieces != nil {
			if found {
				return pieces, c.alts
			}
			return pieces, nil
		}
	}
	pieces = mixedScriptPieces(c)
	if pieces == nil {
		var lx *lexicon
		if e != nil {
			lx = e.lex
		}
		pieces = compoundPieces(an, c, lx)
	}
	if pieces != nil {
		t := c.alts[0]
		return pieces, []qterm{{text: t.text, phrase: true, title: t.title, weight: 1 - splitWordWeight}}
	}
	return nil, nil
}

// gatedQuery matches the documents of q that every gate matches too, with
// q's score: the gates only filter. It is a bonus clause beside other
// words (splitRuns), its gates those words' clauses.
type gatedQuery struct {
	q     query.Query
	gates []query.Query
}

func (q *gatedQuery) Searcher(ctx context.Context, r bleveindex.IndexReader, m mapping.IndexMapping, o search.SearcherOptions) (search.Searcher, error) {
	if unscored(o) {
		return query.NewConjunctionQuery(append([]query.Query{q.q}, q.gates...)).Searcher(ctx, r, m, o)
	}
	inner, err := q.q.Searcher(ctx, r, m, o)
	if err != nil {
		return nil, err
	}
	gate, err := query.NewConjunctionQuery(q.gates).Searcher(ctx, r, m, search.SearcherOptions{Score: "none"})
	if err != nil {
		inner.Close()
		return nil, err
	}
	// As bleve's BooleanQuery filters: gate advances to each match of
	// inner, which come in index order.
	var at *search.DocumentMatch
	started := false
	pass := func(sctx *search.SearchContext, d *search.DocumentMatch) bool {
		if !started {
			started = true
			if at, err = gate.Next(sctx); err != nil {
				return false
			}
		}
		if at != nil && at.IndexInternalID.Compare(d.IndexInternalID) < 0 {
			sctx.DocumentMatchPool.Put(at)
			if at, err = gate.Advance(sctx, d.IndexInternalID); err != nil {
				return false
			}
		}
		return at != nil && at.IndexInternalID.Equals(d.IndexInternalID)
	}
	return &gatedSearcher{FilteringSearcher: searcher.NewFilteringSearcher(ctx, inner, pass), gate: gate, err: &err}, nil
}

// gatedSearcher is gatedQuery's searcher: it closes the gate too, and
// reports the gate's error.
type gatedSearcher struct {
	*searcher.FilteringSearcher
	gate search.Searcher
	err  *error
}

func (s *gatedSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	d, err := s.FilteringSearcher.Next(ctx)
	if err == nil {
		err = *s.err
	}
	return d, err
}

func (s *gatedSearcher) Advance(ctx *search.SearchContext, id bleveindex.IndexInternalID) (*search.DocumentMatch, error) {
	d, err := s.FilteringSearcher.Advance(ctx, id)
	if err == nil {
		err = *s.err
	}
	return d, err
}

// DocumentMatchPoolSize counts the gate's matches too, which come from
// the same pool.
func (s *gatedSearcher) DocumentMatchPoolSize() int {
	return s.FilteringSearcher.DocumentMatchPoolSize() + s.gate.DocumentMatchPoolSize()
}

func (s *gatedSearcher) Close() error {
	err := s.FilteringSearcher.Close()
	if gErr := s.gate.Close(); err == nil {
		err = gErr
	}
	return err
}

// hanPieces returns the pieces of c's text when c is one unquoted word of
// Han characters that splits into two or more pieces, and whether some
// article holds c's text as typed; nil otherwise. The last piece is still
// being typed when c is.
//
// The pieces are cut at the run's valleys (hanCuts). When no article has
// all of them (nor, then, the run), the piece in fewest articles is cut
// again at its rarest inner bigram, as long as one of four characters or
// more is left:
// 京会 (of 北京会见) is in more articles than 普京 itself, so 习近平普京会晤
// first splits into 习近平 and 普京会晤, which no article has together,
// and then into 习近平, 普京 and 会晤, which 56 have.
func (e *expander) hanPieces(an analysis.Analyzer, c qclause) (_ []qterm, found bool) {
	if len(c.alts) != 1 || c.alts[0].phrase {
		return nil, false
	}
	t := c.alts[0]
	// an's terms, as the index has them: a name inside a longer one is
	// marked (haninside.go), and the vocabulary counts the plain bigram.
	toks := an.Analyze([]byte(t.text))
	if len(toks) < 2 || len(toks) > maxSplitBigrams {
		return nil, false
	}
	for _, tok := range toks {
		if tok.Type != analysis.Double && tok.Type != analysis.Single {
			return nil, false // not Chinese, or mixed with other words
		}
	}
	if e.err != nil {
		return nil, false
	}
	// The runs the punctuation leaves, by position.
	var runs []analysis.TokenStream
	start := 0
	for i := 1; i <= len(toks); i++ {
		if i == len(toks) || toks[i].Position != toks[i-1].Position+1 {
			runs = append(runs, toks[start:i])
			start = i
		}
	}
	if len(runs) == 1 && len(toks) < 3 {
		return nil, false // three characters or fewer: no bigram has two neighbours
	}
	var pieces []hanPiece
	for _, run := range runs {
		dfs := make([]uint64, len(run))
		for i, tok := range run {
			if tok.Type != analysis.Double {
				continue // a lone character: a run of its own
			}
			var err error
			if dfs[i], err = e.voc.count(strings.TrimPrefix(string(tok.Term), hanInsideMark)); err != nil {
				e.err = err
				return nil, false
			}
		}
		for _, span := range e.lex.hanNamePieces(t.text, run) {
			run, dfs := run[span.from:span.to], dfs[span.from:span.to]
			if span.name {
				pieces = append(pieces, hanPiece{toks: run, dfs: dfs})
				continue
			}
			from := 0
			for _, cut := range append(hanCuts(dfs), len(run)) {
				pieces = append(pieces, hanPiece{toks: run[from:cut], dfs: dfs[from:cut]})
				from = cut + 1
			}
		}
	}
	// A run of four characters or more with no valley is still cut when
	// no article holds it: 新冠病毒疫情 (COVID epidemic) has none, as 毒疫
	// is common (新冠病毒疫苗, the vaccine), and it had found nothing,
	// where 432 articles have 新冠病毒 and 疫情.
	if len(pieces) < 2 && (len(pieces) == 0 || len(pieces[0].toks) < 3) {
		return nil, false
	}
	// Last, as it costs the most: the phrase's postings.
	n, err := e.voc.phraseCount(an, t.text)
	if err != nil {
		e.err = err
		return nil, false
	}
	if n >= minWholeRun {
		return nil, false
	}
	if n == 0 {
		if pieces, err = e.voc.cutUntilFound(pieces); err != nil {
			e.err = err
			return nil, false
		}
	}
	if len(pieces) < 2 {
		return nil, false
	}
	out := make([]qterm, len(pieces))
	for i, p := range pieces {
		out[i] = qterm{text: t.text[p.toks[0].Start:p.toks[len(p.toks)-1].End]}
	}
	out[len(out)-1].open = t.open
	return out, n > 0
}

// hanNamePieces splits a run of bigrams (the Double tokens of text) at the
// names of the name table it holds, longest first from the left: 习近平普京
// is 习近平 and 普京 even in an index with no Chinese text, whose bigrams
// have no counts to cut at, and each finds the name in every script.
// One character between two names (和 in 习近平和普京) is left out. A run
// with no name is one span.
func (lx *lexicon) hanNamePieces(text string, run analysis.TokenStream) []runSpan {
	whole := []runSpan{{0, len(run), false}}
	if lx == nil || len(lx.han) == 0 || len(run) < 2 || run[0].Type != analysis.Double {
		return whole
	}
	// The run's characters: bigram i starts at character i.
	starts := make([]int, len(run)+2)
	for i, tok := range run {
		starts[i] = tok.Start
	}
	_, size := utf8.DecodeLastRuneInString(text[:run[len(run)-1].End])
	starts[len(run)] = run[len(run)-1].End - size
	starts[len(run)+1] = run[len(run)-1].End
	chars := len(run) + 1
	var out []runSpan
	gap := 0 // the first character not in a name yet
	for i := 0; i+1 < chars; {
		k := min(lx.hanRunes, chars-i)
		for ; k >= 2 && !lx.han[text[starts[i]:starts[i+k]]]; k-- {
		}
		if k < 2 {
			i++
			continue
		}
		if i-gap >= 2 {
			out = append(out, runSpan{gap, i - 1, false})
		}
		out = append(out, runSpan{i, i + k - 1, true})
		i += k
		gap = i
	}
	if out == nil {
		return whole
	}
	if chars-gap >= 2 {
		out = append(out, runSpan{gap, chars - 1, false})
	}
	return out
}

// runSpan is the tokens [from, to) of a run, and whether they spell a
// name of the name table (hanNamePieces).
type runSpan struct {
	from, to int
	name     bool
}

// hanPiece is a piece of a Chinese run: its bigrams (or its one lone
// character), their article counts, and once read, its articles.
type hanPiece struct {
	toks analysis.TokenStream
	dfs  []uint64
	docs *roaring.Bitmap
}

// maxRecuts bounds the pieces cutUntilFound cuts again: each costs the
// two new pieces' postings, and a pasted paragraph could ask for dozens.
const maxRecuts = 8

// cutUntilFound cuts the piece in fewest articles at its rarest inner
// bigram until some article has every piece, no piece of three bigrams or
// more is left, or it has cut maxRecuts times (hanPieces).
func (v *vocabulary) cutUntilFound(pieces []hanPiece) ([]hanPiece, error) {
	for range maxRecuts {
		if len(pieces) >= maxClauses {
			break
		}
		var all *roaring.Bitmap
		fewest, cut := uint64(0), -1
		for i := range pieces {
			p := &pieces[i]
			if p.docs == nil {
				var err error
				if p.docs, err = v.phraseDocs(p.toks); err != nil {
					return nil, err
				}
			}
			if n := p.docs.GetCardinality(); len(p.toks) >= 3 && (cut < 0 || n < fewest) {
				fewest, cut = n, i
			}
			if all == nil {
				all = p.docs.Clone()
			} else {
				all.And(p.docs)
			}
		}
		if !all.IsEmpty() || cut < 0 {
			break
		}
		p := pieces[cut]
		at := 1
		for j := 2; j+1 < len(p.dfs); j++ {
			if p.dfs[j] < p.dfs[at] {
				at = j
			}
		}
		pieces = slices.Insert(slices.Delete(pieces, cut, cut+1), cut,
			hanPiece{toks: p.toks[:at], dfs: p.dfs[:at]}, hanPiece{toks: p.toks[at+1:], dfs: p.dfs[at+1:]})
	}
	return pieces, nil
}

// hanCuts returns the bigrams of a run to cut it at, given each bigram's
// article count: those far rarer than both neighbours (valleyDepth). Two
// cuts are never adjacent, so every piece keeps two characters or more.
func hanCuts(dfs []uint64) []int {
	var cuts []int
	for i := 1; i+1 < len(dfs); i++ {
		if float64(dfs[i]) < valleyDepth*float64(min(dfs[i-1], dfs[i+1])) {
			cuts = append(cuts, i)
		}
	}
	return cuts
}

// mixedScriptPieces returns the pieces of c's one unquoted word when it
// joins a Latin word to Chinese, as Chinese writes them (G20峰会, APEC会议,
// NBA球星): the Latin word and each Chinese run, split as a space would
// split them, a run of two characters or more and a Latin piece with a
// letter (2024年 is a number and its unit, searched as one). Whole, the
// word had been one phrase: G20峰会 found the 4 articles of the news
// corpora that write it so, where G20 and 峰会 have 100 together. nil for
// anything else. The last piece keeps the word's open end.
func mixedScriptPieces(c qclause) []qterm {
	if len(c.alts) != 1 || c.alts[0].phrase {
		return nil
	}
	t := c.alts[0]
	var parts []string
	start, han := 0, false
	for i, r := range t.text {
		h := unicode.Is(unicode.Han, r)
		if i > 0 && h != han {
			parts = append(parts, t.text[start:i])
			start = i
		}
		han = h
	}
	parts = append(parts, t.text[start:])
	if len(parts) < 2 || len(parts) > maxCompoundParts {
		return nil
	}
	pieces := make([]qterm, len(parts))
	for i, part := range parts {
		r, _ := utf8.DecodeRuneInString(part)
		switch {
		case unicode.Is(unicode.Han, r):
			if utf8.RuneCountInString(part) < 2 {
				return nil
			}
		case !isASCIIWord(part):
			return nil
		}
		pieces[i] = qterm{text: part, title: t.title, weight: splitWordWeight}
	}
	pieces[len(pieces)-1].open = t.open
	return pieces
}

// isASCIIWord reports whether s is ASCII letters and digits with a letter.
func isASCIIWord(s string) bool {
	letter := false
	for i := 0; i < len(s); i++ {
		if !isASCIIAlnum(s[i]) {
			return false
		}
		letter = letter || isASCIILetter(s[i])
	}
	return letter
}
