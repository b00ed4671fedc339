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
		{"Маска для сна. Маски продают", []string{"маск", "сон", "маск", "прода"}},
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

	// Газа is Gaza with its capital, газа gas's genitive; Вена Vienna,
	// вены veins. Both had found gas and veins first.
	x = openJSONL(t, langArticle("ru-gaza", "ru", "Перемирие", "Обстрелы в секторе Газа продолжились. В Газе нет света.")+
		langArticle("ru-gas", "ru", "Цены", "Цена газа выросла. Поставки газа в Европу.")+
		langArticle("zh-gaza", "zh", "加沙", "加沙地带局势紧张。")+
		langArticle("ru-vienna", "ru", "Переговоры", "Переговоры прошли в Вене на этой неделе.")+
		langArticle("ru-veins", "ru", "Здоровье", "Расширение вены на ноге лечат врачи.")+
		article("en-vienna", "Talks", "Talks were held in Vienna.")+
		fillers(6))
	checkPageHits(t, x, "Газа", "ru-gaza", "zh-gaza")
	checkPageHits(t, x, "Gaza", "ru-gaza", "zh-gaza")
	checkPageHits(t, x, "Вена", "en-vienna", "ru-vienna")
	checkPageHits(t, x, "Vienna", "en-vienna", "ru-vienna")
	checkPageHits(t, x, "вены", "ru-veins", "ru-vienna")
	checkPageHits(t, x, "Газе", "ru-gaza", "zh-gaza")
	// Quoted, the name as written is the name too.
	checkPageHits(t, x, `"в Газе"`, "ru-gaza", "zh-gaza")
	checkPageHits(t, x, `"Газа"`, "ru-gaza", "zh-gaza")
	// газа, газ in lower case are gas, in every language, and no Gaza
	// but the Russian article that writes Газа, газа's stem.
	x = openJSONL(t, article("en-gas", "Gas", "Natural gas prices rose.")+
		langArticle("zh-gas", "zh", "天然气", "天然气价格上涨。")+
		langArticle("ru-gas", "ru", "Цены", "Цены на газ выросли.")+
		langArticle("ru-gaza", "ru", "Перемирие", "Обстрелы в секторе Газа.")+
		langArticle("zh-gaza", "zh", "加沙", "加沙地带局势。")+
		fillers(4))
	for _, q := range []string{"газ", "газа", "поставки газа"} {
		checkPageHits(t, x, q, "en-gas", "ru-gas", "ru-gaza", "zh-gas")
	}
	checkPageHits(t, x, "Газа", "ru-gaza", "zh-gaza")
	// Quoted with a stop word, the name is still the name, and no gas.
	checkPageHits(t, x, `"в Газе"`, "ru-gaza", "zh-gaza")
}
