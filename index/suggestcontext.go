package index

import (
	"context"
	"strings"
	"unicode"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/search/query"
)

// Completions in context.
//
// A word's completions come from the vocabulary, by the word alone: with
// nothing else typed, the commonest words it begins are the best guess.
// After other words they often lead nowhere: Lavrov Wang Yi offered
// Lavrov Wang Yield (359 articles have yield, none of them with Lavrov and
// Wang), Yilin and Yimou, though the name Wang Yi was typed whole. So when
// words come before the one being typed, each completion's query is
// counted as the search box searches it (typos allowed, names in their
// other scripts): the articles with every word, what its search shows
// "with every word". Only completions with some are offered, by that
// count. When none has any but the words before, or the text as typed,
// are in articles, the completions lead nowhere and none is offered
// (Lavrov Wang Yi). When neither is, or the words before are only stop
// words, the context says nothing: the vocabulary's completions stay.

// maxContextChecks bounds the completions a suggestion counts in context.
const maxContextChecks = 24

// contextText is the text before the word being typed: up to its last
// space. "" when the text is one word (a Chinese run is one word).
func contextText(text string) string {
	i := strings.LastIndexFunc(text, unicode.IsSpace)
	if i < 0 {
		return ""
	}
	return strings.TrimSpace(text[:i])
}

// contextCounter counts, for one suggestion, the articles that have every
// word of texts that share their first words. It counts on the
// vocabulary's snapshot, so that the matches of the phrases among the
// words (a name in another script is one: Xi is also 习近平 and Си
// Цзиньпин) are searched once and reused by every text that has them,
// and by the next suggestions on that snapshot (vocabMemo.phrase): the
// search box asks at every pause in typing.
type contextCounter struct {
	x    *Index
	bi   bleve.Index
	voc  *vocabulary
	memo *vocabMemo // the vocabulary's, or this suggestion's own when it keeps none
}

func (x *Index) newContextCounter(bi bleve.Index, voc *vocabulary) *contextCounter {
	memo := voc.memo
	if memo == nil {
		memo = &vocabMemo{snap: voc.r}
		memo.clear()
	}
	return &contextCounter{x: x, bi: bi, voc: voc, memo: memo}
}

// count counts the articles that have every word of text, searched as
// the search box searches it. ok is false when text has no word to
// search (only stop words, or nothing).
func (c *contextCounter) count(ctx context.Context, text string) (n uint64, ok bool, err error) {
	q := Query{Text: text, Typos: true, Match: MatchAll}
	ex := expanderOn(c.voc, q, c.x.lex)
	p := c.x.plan(q, ex)
	if ex.err != nil {
		return 0, false, ex.err
	}
	if !p.text {
		return 0, false, nil
	}
	every := p.scoring(p.every(), "")
	if n, ok, err := c.onBitmaps(ctx, every); ok || err != nil {
		return n, err == nil, err
	}
	r, err := c.bi.SearchInContext(ctx, p.request(every, 0, 0, false))
	if err != nil {
		return 0, false, err
	}
	return r.Total, true, nil
}

// onBitmaps counts the matches of q on the snapshot's bitmaps (count.go);
// ok is false when they cannot.
func (c *contextCounter) onBitmaps(ctx context.Context, q query.Query) (n uint64, ok bool, err error) {
	set, ok := compileSet(q)
	snap, isScorch := c.voc.r.(*scorch.IndexSnapshot)
	if !ok || !isScorch || c.x.cols.noBitmaps.Load() {
		return 0, false, nil
	}
	if err := c.searchLeaves(ctx, set); err != nil {
		return 0, false, err
	}
	return evalSet(ctx, snap, set, nil)
}

// searchLeaves fills in the matches of set's leaves that bleve's searchers
// find, as searchLeaves does, a phrase's from the memo when a text on
// this snapshot had the same phrase.
func (c *contextCounter) searchLeaves(ctx context.Context, n *setNode) error {
	for _, ks := range [][]*setNode{n.kids, n.not} {
		for _, k := range ks {
			if err := c.searchLeaves(ctx, k); err != nil {
				return err
			}
		}
	}
	if n.op != setSearch {
		return nil
	}
	pq, ok := n.q.(*bm25PhraseQuery)
	if !ok {
		return searchLeaves(ctx, c.voc.r, c.x.m, n)
	}
	found, err := c.memo.phrase(phraseKey(pq), func() (*roaring.Bitmap, error) {
		err := searchLeaves(ctx, c.voc.r, c.x.m, n)
		return n.found, err
	})
	n.found = found
	return err
}

// phraseKey is what a phrase matches by: its field, its words' forms and
// whether they stand for compounds.
func phraseKey(q *bm25PhraseQuery) string {
	var b strings.Builder
	b.WriteString(q.field)
	if q.compounds {
		b.WriteString("\x00c")
	}
	for _, alts := range q.terms {
		b.WriteString("\x00")
		for _, t := range alts {
			b.WriteString(t)
			b.WriteString("\x01")
		}
	}
	return b.String()
}

// completions returns the completions of text, whose words before the
// one being typed are before, in context: the names and the other words
// that some article has with every other word, with those articles'
// counts, the words by that count. When none has, though before or the
// text as typed is in articles, the completions lead nowhere, and there
// are none. When before has no word to search, or no article has it or
// the text, the context says nothing: names and words stay the
// vocabulary's, at most size of them.
func (c *contextCounter) completions(ctx context.Context, text, before string, names, words []Completion, size int) ([]Completion, []Completion, error) {
	plain := func() ([]Completion, []Completion, error) {
		return names, words[:min(len(words), size)], nil
	}
	// Counted first, its phrases are then at hand for every completion.
	n, ok, err := c.count(ctx, before)
	if err != nil {
		return nil, nil, err
	}
	if !ok {
		return plain()
	}
	found := n > 0
	checks := maxContextChecks
	keep := func(cs []Completion, own bool) ([]Completion, error) {
		out := []Completion{}
		for _, cm := range cs {
			if len(out) == size || checks == 0 {
				break
			}
			checks--
			n, _, err := c.count(ctx, cm.Query)
			if err != nil {
				return nil, err
			}
			if own && cm.Count < minRareTyped && n > uint64(cm.Count)*knownWordTypoFactor {
				// A rare word whose search finds far more than the word
				// does finds another word, by a typo: Trump Puti offered
				// Trump Puting (a misspelling in 1 article of the news
				// corpora), counted as Trump Putin's 107.
				continue
			}
			if n > 0 {
				cm.Count = int(n)
				out = append(out, cm)
			}
		}
		return out, nil
	}
	keptNames, err := keep(names, false)
	if err != nil {
		return nil, nil, err
	}
	keptWords, err := keep(words, true)
	if err != nil {
		return nil, nil, err
	}
	if len(keptNames)+len(keptWords) > 0 {
		return keptNames, mergeByCount(keptWords, nil), nil
	}
	if !found {
		if n, _, err = c.count(ctx, text); err != nil {
			return nil, nil, err
		}
		found = n > 0
	}
	if found {
		return nil, nil, nil
	}
	return plain()
}
