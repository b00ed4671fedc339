package index

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
)

// TestOneEdit_matchesEditDistance: oneEdit is editDistance == 1, on every
// pair of words up to four letters over a Latin-Cyrillic alphabet.
func TestOneEdit_matchesEditDistance(t *testing.T) {
	t.Parallel()
	words := []string{""}
	for range 4 {
		for _, w := range words {
			for _, r := range "abя" {
				if utf8.RuneCountInString(w) < 4 {
					words = append(words, w+string(r))
				}
			}
		}
		words = uniq(words)
	}
	if len(words) != 1+3+9+27+81 {
		t.Fatalf("%d words", len(words))
	}
	for _, a := range words {
		for _, b := range words {
			if got, want := oneEdit(a, b), editDistance(a, b) == 1; got != want {
				t.Fatalf("oneEdit(%q, %q) = %v, distance %d", a, b, got, editDistance(a, b))
			}
		}
	}
}

func uniq(ws []string) []string {
	seen := map[string]bool{}
	out := ws[:0]
	for _, w := range ws {
		if !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	return out
}

// checkCommoner compares commoner with near's walk, filtered, for words
// and the minimum counts given. It fails unless some table was read.
func checkCommoner(t *testing.T, bi bleve.Index, base *baseVocab, c *commonWords, words []string, minCounts func(typed uint64) []uint64) {
	t.Helper()
	v, err := openVocabulary(context.Background(), bi, vocabAids{base: base, common: c})
	if err != nil {
		t.Fatal(err)
	}
	defer v.close()
	c.tablesFor(v.r.(*scorch.IndexSnapshot)) // starts the builds
	c.baseTable(base)
	c.built.Wait()
	compared := 0
	for _, w := range words {
		typed, err := v.count(w)
		if err != nil {
			t.Fatal(err)
		}
		for _, mc := range minCounts(typed) {
			got, err := v.commoner(w, mc, maxFuzzyCandidates)
			if err != nil {
				t.Fatal(err)
			}
			want, err := v.commonerByWalk(w, mc, maxFuzzyCandidates)
			if err != nil {
				t.Fatal(err)
			}
			if !sameWords(got, want) {
				t.Errorf("commoner(%q, %d) = %v, the dictionary walk gives %v", w, mc, got, want)
			}
			compared += len(want)
		}
	}
	built := 0
	c.mu.Lock()
	for _, tb := range c.segs {
		if tb.buckets.Load() != nil {
			built++
		}
	}
	c.mu.Unlock()
	if base != nil && base.common.ready() != nil {
		built++
	}
	if built == 0 {
		t.Error("no common-word table was built: the comparison proves nothing")
	}
	if compared == 0 {
		t.Error("no word had a commoner neighbour: the comparison proves nothing")
	}
}

// TestCommoner_matchesWalk_corpus: on the BBC corpus, the common-word
// tables find what the dictionary walk finds, for its words and their
// misspellings.
func TestCommoner_matchesWalk_corpus(t *testing.T) {
	t.Parallel()
	bi, base := corpusReader(t, "bbc")
	words := []string{"election", "elektion", "goverment", "labour", "minister", "ministre", "technology",
		"footbal", "music", "musci", "chelsea", "blair", "economy", "britian", "prime", "games", "gamer", "players"}
	checkCommoner(t, bi, base, &commonWords{minDocs: 1, minDF: 4}, words, func(typed uint64) []uint64 { return []uint64{0, 1, 3, 4, 5, 20, typed, typed + 1} })
}

// TestCommoner_matchesWalk_segments: with several segments, some too
// small for a table, the tables and walks together find what the walk
// alone finds, whatever the counts asked.
func TestCommoner_matchesWalk_segments(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(5, 6))
	base := []string{"wheat", "prices", "market", "grain", "barley", "export", "shipping", "tonnes"}
	var vocab []string
	for _, w := range base {
		vocab = append(vocab, w)
		for range 3 { // neighbours: one letter replaced, dropped or doubled
			r := []rune(w)
			i := 1 + rng.IntN(len(r)-1)
			switch rng.IntN(3) {
			case 0:
				r[i] = rune('a' + rng.IntN(26))
			case 1:
				r = append(r[:i], r[i+1:]...)
			default:
				r = append(r[:i+1], r[i:]...)
			}
			vocab = append(vocab, string(r))
		}
	}
	// In memory, scorch keeps one segment per batch: nothing is merged.
	bi, err := bleve.NewUsing("", newMapping(), scorch.Name, scorch.Name, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer bi.Close()
	id := 0
	sizes := []int{40, 3, 25, 12, 60, 1}
	for _, n := range sizes {
		b := bi.NewBatch()
		for i := range n {
			var body []string
			for range 3 + rng.IntN(6) {
				body = append(body, vocab[rng.IntN(len(vocab))])
			}
			// A neighbour of wheat in every article of the small segment
			// of 12 and in two of each large one: too rare for any table,
			// commoner than most.
			if n == 12 || n >= 20 && i < 2 {
				body = append(body, "wheatz")
			}
			id++
			a := Article{ID: fmt.Sprintf("s%d", id), Title: "Grain report", Body: strings.Join(body, " ") + ".", Lang: "en", Source: "test"}
			if err := indexArticle(bi.Mapping(), b, &a, nil); err != nil {
				t.Fatal(err)
			}
		}
		if err := bi.Batch(b); err != nil {
			t.Fatal(err)
		}
	}
	c := &commonWords{minDocs: 20, minDF: 3}
	r, err := snapshot(bi)
	if err != nil {
		t.Fatal(err)
	}
	c.tablesFor(r.(*scorch.IndexSnapshot))
	c.built.Wait()
	if n := len(c.tablesFor(r.(*scorch.IndexSnapshot))); n != 3 || len(r.(*scorch.IndexSnapshot).Segments()) != len(sizes) {
		t.Fatalf("%d segments, %d with tables: want %d and 3", len(r.(*scorch.IndexSnapshot).Segments()), n, len(sizes))
	}
	r.Close()
	checkCommoner(t, bi, nil, c, vocab, func(typed uint64) []uint64 {
		return []uint64{0, 1, 2, 3, 5, 6, 7, 9, 12, 15, 18, 19, 20, typed, typed + 1}
	})
}

// BenchmarkCommoner: a typo look-up for commoner words by the tables and
// by the dictionary walk, and a table's build, on the BBC corpus (its
// base vocabulary, tables from minCommonDF as the index builds them).
func BenchmarkCommoner(b *testing.B) {
	bi, base := corpusReader(b, "bbc")
	c := &commonWords{minDocs: 1, minDF: minCommonDF}
	v, err := openVocabulary(context.Background(), bi, vocabAids{base: base, common: c})
	if err != nil {
		b.Fatal(err)
	}
	defer v.close()
	c.tablesFor(v.r.(*scorch.IndexSnapshot))
	c.baseTable(base)
	c.built.Wait()
	words := []string{"election", "government", "minister", "technology", "economy", "shareholders", "following", "players"}
	typed := make([]uint64, len(words))
	for i, w := range words {
		if typed[i], err = v.count(w); err != nil {
			b.Fatal(err)
		}
	}
	b.Run("tables", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			v.lookCommoner(words[i%len(words)], typed[i%len(words)], maxFuzzyCandidates)
		}
	})
	b.Run("walk", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			v.commonerByWalk(words[i%len(words)], typed[i%len(words)], maxFuzzyCandidates)
		}
	})
	b.Run("build", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			buildCommon(base, minCommonDF)
		}
	})
}
