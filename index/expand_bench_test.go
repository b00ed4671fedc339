package index

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// benchIndexes opens the indexes the expansion benchmarks run on: the
// seeds, and the shared BBC corpus when it is present.
func benchIndexes(b *testing.B) map[string]*Index {
	b.Helper()
	out := map[string]*Index{}
	open := func(name string, in Input) {
		x, err := Open(context.Background(), Options{Dir: b.TempDir(), Inputs: []Input{in}, Logger: testLogger(b)})
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { x.Close() })
		out[name] = x
	}
	open("seeds", Input{FS: os.DirFS("../seeds"), Path: ".", Label: "seeds"})
	bbc := filepath.Join(sharedCorpus, "bbc")
	if _, err := os.Stat(filepath.Join(bbc, "docs.jsonl.gz")); err == nil {
		open("bbc", Input{FS: os.DirFS(bbc), Path: "docs.jsonl.gz", Label: "bbc"})
	}
	return out
}

// BenchmarkSuggest measures GET /api/suggest's work: completions of a
// prefix and corrections of misspelt words, and on the CCTV corpus (when
// present) Chinese completions, counted after the characters typed
// (following), and English corrections among Chinese words, with the
// query cache off so that nothing is remembered.
func BenchmarkSuggest(b *testing.B) {
	xs := benchIndexes(b)
	cctv := filepath.Join(sharedCorpus, "cctv_xwlb")
	if _, err := os.Stat(filepath.Join(cctv, "docs.jsonl.gz")); err == nil {
		x, err := Open(context.Background(), Options{Dir: b.TempDir(), Inputs: []Input{{FS: os.DirFS(cctv), Path: "docs.jsonl.gz", Label: "cctv_xwlb"}}, QueryCache: -1, Logger: testLogger(b)})
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { x.Close() })
		xs["cctv"] = x
	}
	cases := map[string][]struct{ name, text string }{
		"cctv": {{"one_char", "俄"}, {"run", "习近平会见俄罗斯"}, {"common", "习近"}, {"correction", "Shoigo cooperaton "}, {"in_context", "普京 会"}},
	}
	for _, corpus := range []string{"seeds", "bbc"} {
		cases[corpus] = []struct{ name, text string }{
			{"prefix", "Minnik"},
			{"short_prefix", "co"},
			{"cyrillic", "затраг"},
			{"correction", "Shoigo cooperaton "},
			// After other words: counted in context (suggestcontext.go).
			{"in_context", "Putin Minnik"},
			{"context_name", "economy Tony Bl"},
			{"context_nowhere", "oil minister Wang Yi"},
		}
	}
	for _, corpus := range []string{"seeds", "bbc", "cctv"} {
		x := xs[corpus]
		if x == nil {
			continue
		}
		for _, tc := range cases[corpus] {
			b.Run(corpus+"/"+tc.name, func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if _, err := x.Suggest(context.Background(), SuggestQuery{Text: tc.text}); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkSearch_expand compares searches with and without typo
// tolerance and prefixes (facets and snippets included, as the API runs
// them).
func BenchmarkSearch_expand(b *testing.B) {
	xs := benchIndexes(b)
	for _, corpus := range []string{"seeds", "bbc"} {
		x := xs[corpus]
		if x == nil {
			continue
		}
		for _, tc := range []struct{ name, text string }{
			{"word", "government "},
			{"typo", "govenment "},
			{"prefix", "gov"},
			{"two_words_prefix", "prime minis"},
		} {
			for _, on := range []bool{false, true} {
				name := corpus + "/" + tc.name + "/exact"
				if on {
					name = corpus + "/" + tc.name + "/expanded"
				}
				b.Run(name, func(b *testing.B) {
					b.ReportAllocs()
					q := Query{Text: tc.text, Typos: on, Prefix: on, Facets: FacetNames()}
					for b.Loop() {
						if _, err := x.Search(context.Background(), q); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		}
	}
}

// BenchmarkSearch_names measures what names, transliterations and
// synonyms add to a search (facets and snippets included), on the seeds:
// "without" searches with no lexicon, which also turns transliteration off.
func BenchmarkSearch_names(b *testing.B) {
	x, err := Open(context.Background(), Options{Dir: b.TempDir(),
		Inputs: []Input{{FS: os.DirFS("../seeds"), Path: ".", Label: "seeds"}}, Logger: testLogger(b)})
	if err != nil {
		b.Fatal(err)
	}
	defer x.Close()
	lex := x.lex
	for _, tc := range []struct{ name, text string }{
		{"latin", "Putin "},
		{"cyrillic", "Путин "},
		{"han", "普京 "},
		{"two_names", "Lavrov Shoigu "},
		{"synonym", "SCO "},
		{"word", "government "},
	} {
		for _, on := range []bool{false, true} {
			name := tc.name + "/without"
			if on {
				name = tc.name + "/with"
			}
			b.Run(name, func(b *testing.B) {
				x.lex = nil
				if on {
					x.lex = lex
				}
				b.ReportAllocs()
				q := Query{Text: tc.text, Facets: FacetNames()}
				for b.Loop() {
					if _, err := x.Search(context.Background(), q); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
	x.lex = lex
}
