package index

// Temporary stand-in until the script-routing analyzer lands (branch analyzer).

import (
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/registry"
)

const (
	analyzerName    = "newsearch"
	rawAnalyzerName = "newsearch_raw"
)

func init() {
	registry.RegisterAnalyzer(analyzerName, en.AnalyzerConstructor)
	registry.RegisterAnalyzer(rawAnalyzerName, func(config map[string]interface{}, cache *registry.Cache) (analysis.Analyzer, error) {
		return &analysis.DefaultAnalyzer{Tokenizer: unicode.NewUnicodeTokenizer(), TokenFilters: []analysis.TokenFilter{lowercase.NewLowerCaseFilter()}}, nil
	})
}
