package index

import (
	"slices"
	"testing"
)

// TestAnalyze_casedNames: Маск is also indexed as Маск where it is the
// name: with no ending anywhere, with one inside a sentence; маска, and
// Маска starting a sentence, are not.
func TestAnalyze_casedNames(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		text string
		want []string
	}{
		{"Маск заявил", []string{"маск", "Маск", "заяв"}},
		{"❗️Маск заявил", []string{"маск", "Маск", "заяв"}},
		{"Компания Маска выросла", []string{"компан", "маск", "Маск", "выросл"}},
		{"Маска для сна. Маски продают", []string{"маск", "сна", "маск", "прода"}},
		{"Сон в маске", []string{"сон", "маск"}},
	} {
		if got := analyzeTerms(tt.text); !slices.Equal(got, tt.want) {
			t.Errorf("analyzeTerms(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

// TestSearch_casedNames: Elon Musk and Маск find the articles on Musk,
// not those on masks, which маска in lower case still finds.
func TestSearch_casedNames(t *testing.T) {
	t.Parallel()
	x := openJSONL(t, langArticle("musk-title", "ru", "Маск купил соцсеть", "Сделка закрыта.")+
		langArticle("musk-mid", "ru", "Акции выросли", "Компания Маска отчиталась о прибыли.")+
		langArticle("mask", "ru", "Сон в маске", "Маска для сна помогает уснуть. Маски продают в аптеках.")+
		fillers(6))
	checkPageHits(t, x, "Elon Musk", "musk-mid", "musk-title")
	checkPageHits(t, x, "Маск", "musk-mid", "musk-title")
	checkPageHits(t, x, "маска", "mask", "musk-mid", "musk-title")
}
