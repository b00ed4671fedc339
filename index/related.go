package index

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
)

// Related articles: the articles most like one, for the article view.
//
// An article is like another when it shares its distinctive words: those
// it uses often that few articles use (tf-idf, the classic "more like
// this"). Related picks the article's maxRelatedWords most distinctive
// words from the vocabulary and searches for any of them with BM25
// (MatchAny), without typos or completions; their names in other scripts
// still count, so an English article on Putin finds Russian and Chinese
// ones too.

const (
	// MaxRelated is the most related articles one request may ask for.
	MaxRelated = 20
	// maxRelatedWords is how many of the article's words are searched.
	// The share of the five related articles in the article's own
	// category (every 20th Reuters article, every 4th BBC one) grew with
	// the words searched: 8 words 0.536 and 0.851, 12 0.559 and 0.874, 16
	// 0.572 and 0.889, 24 0.594 and 0.910, 32 (maxClauses) 0.603 and
	// 0.918. Each word costs time: on the news corpora a list took 2.7 ms
	// (median) with 12 words, 9.4 ms with 32.
	maxRelatedWords = 24
	// maxRelatedLookups caps the words looked up in the vocabulary, most
	// frequent in the article first: a long Chinese article has thousands
	// of distinct bigrams.
	maxRelatedLookups = 300
	// relatedTitleWeight counts a word of the title as this many of the
	// body's.
	relatedTitleWeight = 3
)

// Related returns up to size articles most like the article with the
// given id (ErrNotFound if there is none), best first, without
// highlights, one of each title. size must be between 1 and MaxRelated.
func (x *Index) Related(ctx context.Context, id string, size int) ([]Hit, error) {
	if size < 1 || size > MaxRelated {
		return nil, fmt.Errorf("%w: size must be between 1 and %d", ErrInvalidQuery, MaxRelated)
	}
	a, err := x.Article(ctx, id)
	if err != nil {
		return nil, err
	}
	words, err := x.relatedWords(ctx, a)
	if err != nil || len(words) == 0 {
		return []Hit{}, err
	}
	// Archives repeat stories: a wire story filed again, a yearly item
	// under the same headline. One article of a title is enough, and not
	// the article's own title: ask for more to fill the list.
	res, err := x.Search(ctx, Query{Text: strings.Join(words, " "), Size: min(MaxSize, relatedOverfetch*size+1), Match: MatchAny, plain: true})
	if err != nil {
		return nil, err
	}
	out := make([]Hit, 0, size)
	titles := map[string]bool{relatedTitleKey(a.Title): true}
	for _, h := range res.Hits {
		if k := relatedTitleKey(h.Title); h.ID != id && !titles[k] && len(out) < size {
			titles[k] = true
			out = append(out, h)
		}
	}
	return out, nil
}

// relatedOverfetch is how many hits Related reads per article it returns,
// for those it leaves out as repeats.
const relatedOverfetch = 3

// relatedTitleKey is the title Related compares articles by: folded, its
// words joined by single spaces.
func relatedTitleKey(title string) string {
	return strings.Join(strings.Fields(strings.ToLower(title)), " ")
}

// relatedWords returns a's most distinctive words, best first, as long as
// they fit in one query's text: each word's count in a (title words
// relatedTitleWeight times) times its idf, for words that another article
// has too, or names of the name table, which other articles may write in
// another script, and that are not stop words or numbers.
func (x *Index) relatedWords(ctx context.Context, a Article) ([]string, error) {
	tf := map[string]int{}
	for _, f := range []struct {
		text   string
		weight int
	}{{a.Title, relatedTitleWeight}, {a.Body, 1}} {
		for _, tok := range rawAnalyzer.Analyze([]byte(f.text)) {
			if tok.Type == analysis.Numeric || tok.Type == analysis.AlphaNumeric && utf8.RuneCount(tok.Term) < 3 {
				continue
			}
			tf[string(tok.Term)] += f.weight
		}
	}
	type scored struct {
		word  string
		tf    int
		df    uint64 // articles with the word, the most of its forms'
		score float64
	}
	cands := make([]scored, 0, len(tf))
	for w, n := range tf {
		cands = append(cands, scored{word: w, tf: n})
	}
	slices.SortFunc(cands, func(p, q scored) int {
		if c := cmp.Compare(q.tf, p.tf); c != 0 {
			return c
		}
		return strings.Compare(p.word, q.word)
	})
	cands = cands[:min(len(cands), maxRelatedLookups)]

	bi, done, err := x.reader()
	if err != nil {
		return nil, err
	}
	defer done()
	docs, err := bi.DocCount()
	if err != nil {
		return nil, fmt.Errorf("related: %w", err)
	}
	voc, err := openVocabulary(ctx, bi, x.vocabAids())
	if err != nil {
		return nil, err
	}
	defer voc.close()
	// The forms of one word (премия, премию) are one candidate, under its
	// commonest form, with their counts summed: searched apart, they
	// would count the word twice.
	kept := cands[:0]
	byTerm := map[string]int{} // index in kept
	for _, c := range cands {
		term := indexTerm(c.word)
		if term == "" {
			continue // a stop word
		}
		df, err := voc.count(c.word)
		if err != nil {
			return nil, err
		}
		if df < 2 && !x.lex.has(c.word) {
			continue // no other article has it, nor, as a name, otherwise
		}
		if i, ok := byTerm[term]; ok {
			kept[i].tf += c.tf
			kept[i].df = max(kept[i].df, df)
			continue
		}
		c.df = df
		byTerm[term] = len(kept)
		kept = append(kept, c)
	}
	for i, c := range kept {
		kept[i].score = float64(c.tf) * math.Log(float64(max(docs, c.df, 1))/float64(max(c.df, 1)))
	}
	slices.SortStableFunc(kept, func(p, q scored) int { return cmp.Compare(q.score, p.score) })
	var words []string
	runes := 0
	for _, c := range kept {
		n := utf8.RuneCountInString(c.word) + 1
		if len(words) == maxRelatedWords || runes+n > MaxQueryRunes {
			break
		}
		if c.score > 0 {
			words = append(words, c.word)
			runes += n
		}
	}
	return words, nil
}
