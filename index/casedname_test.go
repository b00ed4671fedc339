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
	checkTerms(t, []termsCase{
		{"Маск заявил", []string{"маск", "Маск", "заяв"}},
		{"❗️Маск заявил", []string{"маск", "Маск", "заяв"}},
		{"Компания Маска выросла", []string{"компан", "маск", "Маск", "выросл"}},
		{"Маска для сна. Маски продают", []string{"маск", "сна", "маск", "прода"}},
		{"Сон в маске", []string{"сон", "маск"}},
		{"Рейсы на Кубу, газ по 300 долларов за куб", []string{"рейс", "куб", "Куб", "газ", "300", "доллар", "куб"}},
		{"Куба ответила", []string{"куб", "Куб", "ответ"}},
	})
}

// TestSearch_casedNames: Elon Musk and Маск find the articles on Musk,
// not those on masks, which маска in lower case still finds; Cuba finds
// Куба, not кубы of gas.
func TestSearch_casedNames(t *testing.T) {
	t.Parallel()
	x := openJSONL(t, langArticle("musk-title", "ru", "Маск купил соцсеть", "Сделка закрыта.")+
		langArticle("musk-mid", "ru", "Акции выросли", "Компания Маска отчиталась о прибыли.")+
		langArticle("mask", "ru", "Сон в маске", "Маска для сна помогает уснуть. Маски продают в аптеках.")+
		langArticle("ru-cuba", "ru", "Куба ответила", "Власти Кубы ответили.")+
		langArticle("ru-cube", "ru", "Газ подорожал", "Тысяча кубов газа стоит больше. Кубит считает быстрее.")+
		langArticle("zh-cuba", "zh", "古巴", "古巴政府发表声明。")+
		fillers(6))
	checkPageHits(t, x, "Elon Musk", "musk-mid", "musk-title")
	checkPageHits(t, x, "Маск", "musk-mid", "musk-title")
	checkPageHits(t, x, "маска", "mask", "musk-mid", "musk-title")
	// Capitalised as phones capitalise a query's first word, маски is
	// still masks; кубит (a qubit) is not Cuba, whose stem it shares.
	checkPageHits(t, x, "Маски", "mask", "musk-mid", "musk-title")
	if got := pageHits(t, x, "кубит"); slices.Contains(got, "zh-cuba") {
		t.Errorf("кубит: %v, want no article on Cuba", got)
	}
	checkPageHits(t, x, "Cuba", "ru-cuba", "zh-cuba")
}
