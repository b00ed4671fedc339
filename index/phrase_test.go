package index

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/search"
)

// blevePhrase runs q through bleve's scored phrase searcher (bm25.go): the
// reference phraseList must agree with.
func blevePhrase(t *testing.T, x *Index, snap *scorch.IndexSnapshot, q *bm25PhraseQuery) *rankList {
	t.Helper()
	s, err := q.Searcher(context.Background(), snap, x.m, search.SearcherOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	sctx := &search.SearchContext{DocumentMatchPool: search.NewDocumentMatchPool(s.DocumentMatchPoolSize(), 0)}
	l := &rankList{n: s.Count()}
	for {
		d, err := s.Next(sctx)
		if err != nil {
			t.Fatal(err)
		}
		if d == nil {
			return l
		}
		l.docs = append(l.docs, d.IndexInternalID.Value())
		l.scores = append(l.scores, d.Score)
		sctx.DocumentMatchPool.Put(d)
	}
}

// checkPhrases requires phraseList to find the documents, scores and
// Count bleve's phrase searcher gives, for each text as a phrase in the
// title and the body.
func checkPhrases(t *testing.T, x *Index, texts []string) {
	t.Helper()
	snap, done := liveSnapshot(t, x)
	defer done()
	an := x.m.AnalyzerNamed(analyzerName)
	found := 0
	for _, text := range texts {
		toks := an.Analyze([]byte(text))
		if len(toks) == 0 {
			t.Fatalf("%q analyses to nothing", text)
		}
		slots := tokensToPhrase(toks)
		variants := [][][]string{slots}
		if len(slots[0]) == 1 {
			// A first position with an alternative, as a surname has.
			variants = append(variants, append([][]string{{slots[0][0], "zzznotaword"}}, slots[1:]...))
		}
		for _, terms := range variants {
			for _, field := range []string{fieldTitle, fieldBody} {
				q := newBM25PhraseQuery(terms, field, 0.7)
				want := blevePhrase(t, x, snap, q)
				got, err := phraseList(context.Background(), snap, snap, q)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(got.docs, want.docs) || !reflect.DeepEqual(got.scores, want.scores) || got.n != want.n {
					t.Errorf("%q %v in %s:\nphraseList %v %v count %d\nbleve      %v %v count %d", text, terms, field, got.docs, got.scores, got.n, want.docs, want.scores, want.n)
				}
				found += len(got.docs)
			}
		}
	}
	if found == 0 {
		t.Error("no phrase matched anything: the comparison proves nothing")
	}
}

// TestPhraseList_matchesBleve: on the fixture, after writes that leave
// several segments and a deleted article, phrases with stop-word gaps,
// repeated words, Chinese bigram runs and alternatives match and score as
// bleve's phrase searcher has them.
func TestPhraseList_matchesBleve(t *testing.T) {
	t.Parallel()
	x := openFixture(t)
	ctx := context.Background()
	a, err := Prepare(Article{ID: "phrase-new", Title: "Trade trade talks", Body: "The People's Republic of China and the Republic of China held trade trade trade talks.",
		Source: "Phrase Wire", Lang: "en", Date: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	if err := x.Add(ctx, []Article{a}); err != nil {
		t.Fatal(err)
	}
	if err := x.Delete(ctx, "en-summit"); err != nil {
		t.Fatal(err)
	}
	checkPhrases(t, x, []string{"Republic of China", "People's Republic of China", "trade trade", "trade talks", "中俄关系", "strategic partnership", "Putin said", "chairman of the board"})
}

// TestPhraseList_matchesBleve_corpus does the same over BBC, when
// ../shared/corpus is present.
func TestPhraseList_matchesBleve_corpus(t *testing.T) {
	t.Parallel()
	x := openCorpus(t, "bbc")
	checkPhrases(t, x, []string{"prime minister", "the government said", "chief executive", "mobile phone", "out of the blue", "bye bye", "world cup final"})
}
