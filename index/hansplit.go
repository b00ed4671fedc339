package index

import (
	"github.com/blevesearch/bleve/v2/analysis"
)

// Chinese words typed together.
//
// Chinese is written without spaces, so a user types 习近平普京 (Xi
// Jinping, Putin) as one string. A Han run is matched as a phrase of its
// bigrams (termQuery), which is what finds 中俄关系 precisely, but this
// string is in no article: every article writes something between the two
// names, and the search found nothing.
//
// So a run that no article holds as typed is cut where its words likely
// meet, and each piece becomes a clause of its own, as if a space had been
// typed there: match=auto then ranks the articles with every piece first.
// A run that some article holds is left whole, so 中俄关系 still finds
// exactly the articles that write it.
//
// The cuts come from the index's own counts, without a dictionary: a
// bigram that spans two words is much rarer than the bigrams either side
// of it, which lie inside the words (平普 is in 9 articles of the news
// corpora, 近平 in 7,259 and 普京 in 1,222). A run is also cut where
// punctuation interrupts it (中俄关系，习近平).

// maxSplitBigrams bounds the runs split: longer text pasted into the box
// (a paragraph) would cost a vocabulary look-up per character.
const maxSplitBigrams = 64

// valleyDepth is how much rarer than both its neighbours a bigram must
// be to be cut: on the news corpora 平普 (9 articles against 1,222) and
// 油价 (81 against 389) are cut, 一带一路's 带一 (1,494 against 1,562) is
// not.
const valleyDepth = 0.5

// splitUnfound returns clauses with each unquoted Chinese run that no
// article holds split into the pieces hanPieces finds, one clause each,
// up to maxClauses in all, as the parser keeps. It returns clauses itself
// when none is split.
func (e *expander) splitUnfound(an analysis.Analyzer, clauses []qclause) []qclause {
	if e == nil {
		return clauses
	}
	var out []qclause
	for i, c := range clauses {
		pieces := e.hanPieces(an, c)
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
			out = append(out, qclause{alts: []qterm{p}})
		}
	}
	if out == nil {
		return clauses
	}
	return out[:min(len(out), maxClauses)]
}

// hanPieces returns the pieces of c's text when c is one unquoted word of
// Han characters that no article holds as a phrase and that splits into
// two or more pieces; nil otherwise. The last piece is still being typed
// when c is.
func (e *expander) hanPieces(an analysis.Analyzer, c qclause) []qterm {
	if len(c.alts) != 1 || c.alts[0].phrase {
		return nil
	}
	t := c.alts[0]
	toks := rawAnalyzer.Analyze([]byte(t.text))
	if len(toks) < 2 || len(toks) > maxSplitBigrams {
		return nil
	}
	for _, tok := range toks {
		if tok.Type != analysis.Double && tok.Type != analysis.Single {
			return nil // not Chinese, or mixed with other words
		}
	}
	if e.err != nil {
		return nil
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
		return nil // three characters or fewer: no bigram has two neighbours
	}
	var pieces []qterm
	for _, run := range runs {
		dfs := make([]uint64, len(run))
		for i, tok := range run {
			if tok.Type != analysis.Double {
				continue // a lone character: a run of its own
			}
			var err error
			if dfs[i], err = e.voc.count(string(tok.Term)); err != nil {
				e.err = err
				return nil
			}
		}
		from := 0
		for _, cut := range append(hanCuts(dfs), len(run)) {
			pieces = append(pieces, qterm{text: t.text[run[from].Start:run[cut-1].End]})
			from = cut + 1
		}
	}
	if len(pieces) < 2 {
		return nil
	}
	// Last, as it costs the most: the phrase's postings.
	n, err := e.voc.phraseCount(an, t.text)
	if err != nil {
		e.err = err
		return nil
	}
	if n > 0 {
		return nil
	}
	pieces[len(pieces)-1].open = t.open
	return pieces
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
