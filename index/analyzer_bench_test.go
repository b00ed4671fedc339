package index

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2/analysis"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/cjk"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/registry"
	bleveindex "github.com/blevesearch/bleve_index_api"
)

// sharedCorpus holds the team's shared corpora (see its README.md); the
// benchmarks that need it skip when it is absent.
const sharedCorpus = "/work/shared/corpus"

// articleBytes is the size of one benchmark "article": the indexing target
// is stated per 4 KB English article.
const articleBytes = 4096

// corpusArticle returns about articleBytes of real text from a corpus:
// title and body of consecutive documents, skipping link-only posts, joined
// by blank lines.
func corpusArticle(b *testing.B, dir string) []byte {
	b.Helper()
	f, err := os.Open(filepath.Join(sharedCorpus, dir, "docs.jsonl.gz"))
	if err != nil {
		b.Skipf("corpus not available: %v", err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		b.Fatal(err)
	}
	var sb strings.Builder
	sc := bufio.NewScanner(zr)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() && sb.Len() < articleBytes {
		var d struct{ Title, Body string }
		if err := json.Unmarshal(sc.Bytes(), &d); err != nil {
			b.Fatal(err)
		}
		if strings.HasPrefix(d.Body, "http") {
			continue
		}
		sb.WriteString(d.Title + "\n\n" + d.Body + "\n\n")
	}
	if err := sc.Err(); err != nil {
		b.Fatal(err)
	}
	return []byte(sb.String())
}

// mixedText is representative mixed-script news text: English with Russian
// words and names, Russian quoting English and Chinese, Chinese with Latin
// acronyms and numbers. Repeated to articleBytes.
const mixedText = `The speech by the head of the republic заметно sobered up Tatarstan's
officials, Reuters reported on Tuesday. Профильные vice premiers were told to
cut spending by 15% before the 2026 budget, and Minnikhanov's office said the
Kazan Forum would go ahead. В Москве заявили, что санкции затрагивают
экспорт, а представитель Кремля назвал решение «недружественным». Xinhua
quoted 中俄关系 as "stable", while 习近平会见普京 headlines dominated the day.
新华社报道，APEC会议将于2026年11月在深圳举行，WTO总干事出席。
Économie et l'Élysée: Macron’s aides declined to comment on the G7 talks.
`

// BenchmarkAnalyze measures the full analyzer on about 4 KB of text per
// language; the *_bleve sub-benchmarks run bleve's stock analyzer for that
// language on the same text, so the cost ratio is visible.
func BenchmarkAnalyze(b *testing.B) {
	cache := registry.NewCache()
	bleveAnalyzer := func(b *testing.B, name string) analysis.Analyzer {
		a, err := cache.AnalyzerNamed(name)
		if err != nil {
			b.Fatal(err)
		}
		return a
	}
	run := func(b *testing.B, a analysis.Analyzer, text []byte) {
		b.ReportAllocs()
		b.SetBytes(int64(len(text)))
		for b.Loop() {
			a.Analyze(text)
		}
	}
	b.Run("en", func(b *testing.B) { run(b, stemmedAnalyzer, corpusArticle(b, "bbc")) })
	b.Run("en_bleve", func(b *testing.B) { run(b, bleveAnalyzer(b, "en"), corpusArticle(b, "bbc")) })
	b.Run("en_raw", func(b *testing.B) { run(b, rawAnalyzer, corpusArticle(b, "bbc")) })
	b.Run("ru", func(b *testing.B) { run(b, stemmedAnalyzer, corpusArticle(b, "ru_telegram_news")) })
	b.Run("ru_bleve", func(b *testing.B) { run(b, bleveAnalyzer(b, "ru"), corpusArticle(b, "ru_telegram_news")) })
	b.Run("zh", func(b *testing.B) { run(b, stemmedAnalyzer, corpusArticle(b, "cctv_xwlb")) })
	b.Run("zh_bleve", func(b *testing.B) { run(b, bleveAnalyzer(b, "cjk"), corpusArticle(b, "cctv_xwlb")) })
	mixed := []byte(strings.Repeat(mixedText, articleBytes/len(mixedText)+1))
	b.Run("mixed", func(b *testing.B) { run(b, stemmedAnalyzer, mixed) })
}

// BenchmarkFieldFrequencies measures a text field's analysis as a build
// indexes it, on about 4 KB of text per language: counted into packed
// token frequencies as the analyzer goes (frequencies, what sizedText
// does), and, as tokens, the way bleve does it: the token stream counted
// by analysis.TokenFrequency, then packed (packPositions).
func BenchmarkFieldFrequencies(b *testing.B) {
	opts := bleveindex.IndexField | bleveindex.IncludeTermVectors
	for _, c := range []struct{ lang, dir string }{{"en", "bbc"}, {"ru", "ru_telegram_news"}, {"zh", "cctv_xwlb"}} {
		b.Run(c.lang+"/frequencies", func(b *testing.B) {
			text := corpusArticle(b, c.dir)
			b.ReportAllocs()
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				stemmedAnalyzer.frequencies(text, nil)
			}
		})
		b.Run(c.lang+"/tokens", func(b *testing.B) {
			text := corpusArticle(b, c.dir)
			b.ReportAllocs()
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				packPositions(analysis.TokenFrequency(stemmedAnalyzer.Analyze(text), nil, opts))
			}
		})
	}
}
