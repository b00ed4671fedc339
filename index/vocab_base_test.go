package index

import (
	"context"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
)

// fixtureArticles reads the articles of testdata/corpus as a build does.
func fixtureArticles(t *testing.T) []Article {
	t.Helper()
	var arts []Article
	r := NewReader(testLogger(t), true)
	err := r.Read(context.Background(), Input{FS: os.DirFS("testdata/corpus"), Path: ".", Label: "testdata/corpus"}, func(a Article) error {
		arts = append(arts, a)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return arts
}

// openWritten opens an empty index and writes arts into it over the
// write path, which indexes the words field.
func openWritten(t *testing.T, arts []Article) *Index {
	t.Helper()
	x, err := Open(context.Background(), Options{Dir: t.TempDir(), Logger: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { x.Close() })
	for batch := range slices.Chunk(arts, 7) {
		mustAdd(t, x, batch...)
	}
	return x
}

// vocabOf opens x's vocabulary for the rest of the test.
func vocabOf(t *testing.T, x *Index) *vocabulary {
	t.Helper()
	bi, done, err := x.reader()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(done)
	v, err := openVocabulary(context.Background(), bi, vocabAids{base: x.base})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(v.close)
	return v
}

// TestBaseVocab_matchesWordsField: a build's base vocabulary holds the
// words, and the article counts, that the words field holds for the same
// articles written one by one; and the typo, prefix and count look-ups of
// both indexes agree. The build itself indexes no words field.
func TestBaseVocab_matchesWordsField(t *testing.T) {
	t.Parallel()
	built := openFixture(t)
	arts := fixtureArticles(t)
	written := openWritten(t, arts)
	if built.base == nil || built.base.docs != uint64(len(arts)) {
		t.Fatalf("base vocabulary %+v, want one of %d articles", built.base, len(arts))
	}
	if written.base == nil || written.base.fst.Len() != 0 {
		t.Fatal("an index built from no articles should have an empty base vocabulary")
	}

	bv, wv := vocabOf(t, built), vocabOf(t, written)
	fd, err := bv.r.FieldDict(fieldWords)
	if err != nil {
		t.Fatal(err)
	}
	if de, err := fd.Next(); err != nil || de != nil {
		t.Errorf("the build indexed the words field: %v, %v", de, err)
	}
	fd.Close()

	fromBase := map[string]uint64{}
	it := built.base.terms(nil, nil, nil, true)
	for de, err := it.Next(); de != nil || err != nil; de, err = it.Next() {
		if err != nil {
			t.Fatal(err)
		}
		fromBase[de.Term] = de.Count
	}
	fd, err = wv.r.FieldDict(fieldWords)
	if err != nil {
		t.Fatal(err)
	}
	defer fd.Close()
	fromField := map[string]uint64{}
	for de, err := fd.Next(); de != nil || err != nil; de, err = fd.Next() {
		if err != nil {
			t.Fatal(err)
		}
		// Counted by a reader: zap's dictionary iterator miscounts (see
		// countedTerms).
		if fromField[de.Term], err = wv.count(de.Term); err != nil {
			t.Fatal(err)
		}
	}
	if len(fromField) < 100 {
		t.Fatalf("the written index has only %d words", len(fromField))
	}
	for w, n := range fromField {
		if fromBase[w] != n {
			t.Errorf("%q: %d articles in the base vocabulary, %d in the words field", w, fromBase[w], n)
		}
	}
	for w := range fromBase {
		if _, ok := fromField[w]; !ok {
			t.Errorf("%q is in the base vocabulary only", w)
		}
	}

	compared := 0
	for _, w := range []string{"shoigo", "cooperaton", "beijng", "tradd", "moscow", "путн", "минник", "kremlin"} {
		for _, typos := range []int{1, 2} {
			got, err := bv.near(w, typos, 50)
			if err != nil {
				t.Fatal(err)
			}
			want, err := wv.near(w, typos, 50)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, want) {
				t.Errorf("near(%q, %d): built %v, written %v", w, typos, got, want)
			}
			compared += len(want)
		}
		p := string([]rune(w)[:3])
		got, err := bv.withPrefix(p, maxPrefixScan)
		if err != nil {
			t.Fatal(err)
		}
		want, err := wv.withPrefix(p, maxPrefixScan)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, want) {
			t.Errorf("withPrefix(%q): built %v, written %v", p, got, want)
		}
		compared += len(want)
	}
	if compared < 20 {
		t.Errorf("only %d words compared: the comparison proves little", compared)
	}
}

// TestBaseVocab_writesAdd: a word written after the build counts with the
// build's: the vocabulary is the base plus the segments' words fields.
func TestBaseVocab_writesAdd(t *testing.T) {
	t.Parallel()
	x := openFixture(t)
	before, err := vocabOf(t, x).count("beijing")
	if err != nil {
		t.Fatal(err)
	}
	if before == 0 {
		t.Fatal("the fixture has no article with beijing")
	}
	mustAdd(t, x, Article{ID: "vocab-1", Title: "Beijing visit", Body: "Zyxwvut spoke in Beijing.", Source: "Wire", Lang: "en"})
	v := vocabOf(t, x)
	if n, err := v.count("beijing"); err != nil || n != before+1 {
		t.Errorf("beijing in %d articles after a write (%v), want %d", n, err, before+1)
	}
	near, err := v.near("zyxwvat", 1, 50)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(near, func(w vocabWord) bool { return w.word == "zyxwvut" && w.count == 1 }) {
		t.Errorf("near(zyxwvat) = %v: the written word is missing", near)
	}
}

// TestOpen_baseVocabDamaged: a generation whose base vocabulary is
// missing or corrupt is rebuilt, not searched without its words; with
// RebuildNever, opening it fails and says why.
func TestOpen_baseVocabDamaged(t *testing.T) {
	t.Parallel()
	for name, damage := range map[string]func(path string) error{
		"missing": os.Remove,
		"corrupt": func(path string) error {
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			b[len(b)-3] ^= 0x55
			return os.WriteFile(path, b, 0o644)
		},
		"truncated": func(path string) error { return os.Truncate(path, int64(len(baseVocabMagic)+1)) },
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			opts := Options{Dir: dir, Inputs: []Input{{FS: os.DirFS("testdata/corpus"), Path: ".", Label: "testdata/corpus"}}, Logger: testLogger(t)}
			x, err := Open(context.Background(), opts)
			if err != nil {
				t.Fatal(err)
			}
			gen := x.gen
			x.Close()
			if err := damage(baseVocabPath(filepath.Join(dir, gen))); err != nil {
				t.Fatal(err)
			}

			never := opts
			never.Rebuild = RebuildNever
			if _, err := Open(context.Background(), never); err == nil || !strings.Contains(err.Error(), "vocabulary") {
				t.Errorf("Open with RebuildNever = %v, want a vocabulary error", err)
			}

			x, err = Open(context.Background(), opts)
			if err != nil {
				t.Fatal(err)
			}
			defer x.Close()
			if x.gen == gen {
				t.Errorf("generation %s kept with a damaged vocabulary", gen)
			}
			res := mustSearch(t, x, Query{Text: "Shoigo", Typos: true})
			if res.Total == 0 {
				t.Error("no typo match for Shoigo after the rebuild")
			}
		})
	}
}

// TestBulkLoader_vocabularySpills: workers whose counters hold only a few
// words spill them to runs, and the base vocabulary merged from the runs
// has every word with the count the words field would give; the runs are
// removed afterwards.
func TestBulkLoader_vocabularySpills(t *testing.T) {
	t.Parallel()
	var arts []Article
	for i := range 3 { // the same texts again: counts add up across runs
		for _, a := range fixtureArticles(t) {
			a.ID = fmt.Sprintf("%s-%d", a.ID, i)
			arts = append(arts, a)
		}
	}
	dir := filepath.Join(t.TempDir(), "gen")
	bi, err := bleve.NewUsing(dir, newMapping(), scorch.Name, scorch.Name, openConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer bi.Close()
	l := newBulkLoader(bi, 2, 4, dir, 25)
	for _, a := range arts {
		if err := l.add(context.Background(), a); err != nil {
			t.Fatal(err)
		}
	}
	if err := l.close(); err != nil {
		t.Fatal(err)
	}
	if len(l.vocab.runs) < 4 {
		t.Fatalf("%d runs: the counters should have spilled", len(l.vocab.runs))
	}
	if err := writeBaseVocab(dir, l.vocab); err != nil {
		t.Fatal(err)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, vocabRunPattern)); len(left) > 0 {
		t.Errorf("runs left behind: %v", left)
	}
	base, err := openBaseVocab(dir)
	if err != nil {
		t.Fatal(err)
	}
	if base.docs != uint64(len(arts)) {
		t.Errorf("base of %d articles, want %d", base.docs, len(arts))
	}
	want := map[string]uint64{}
	for _, a := range arts {
		seen := map[string]bool{}
		for _, tok := range rawAnalyzer.Analyze([]byte(wordsText(&a))) {
			if w := string(tok.Term); !seen[w] {
				seen[w] = true
				want[w]++
			}
		}
	}
	got := map[string]uint64{}
	it := base.terms(nil, nil, nil, true)
	for de, err := it.Next(); de != nil || err != nil; de, err = it.Next() {
		if err != nil {
			t.Fatal(err)
		}
		got[de.Term] = de.Count
	}
	if !maps.Equal(got, want) {
		t.Errorf("merged runs hold %d words, the words field %d; first differences: %v", len(got), len(want), firstDiffs(got, want, 5))
	}
}

// firstDiffs lists up to n words whose counts differ in a and b.
func firstDiffs(a, b map[string]uint64, n int) []string {
	var out []string
	for _, w := range slices.Sorted(maps.Keys(a)) {
		if a[w] != b[w] && len(out) < n {
			out = append(out, fmt.Sprintf("%s %d/%d", w, a[w], b[w]))
		}
	}
	for _, w := range slices.Sorted(maps.Keys(b)) {
		if _, ok := a[w]; !ok && len(out) < n {
			out = append(out, fmt.Sprintf("%s missing", w))
		}
	}
	return out
}
