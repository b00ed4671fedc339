package index

import (
	"slices"
	"testing"
)

// TestAnalyze_acronyms: a word in capitals in text of mixed case is also
// its acronym term, at its position; in a title in capitals it is not.
func TestAnalyze_acronyms(t *testing.T) {
	t.Parallel()
	checkTerms(t, []termsCase{
		{"The WHO said miners who were trapped", []string{"WHO", "who", "said", "miner", "who", "were", "trap"}},
		{"NORANDA SAYS MINERS WHO WERE TRAPPED", []string{"noranda", "sai", "miner", "who", "were", "trap"}},
		// Dots between capitals make an acronym even in capitals.
		{"VOLCKER SAYS U.S. TRADE DEFICIT GREW, U.K. TOO", []string{"volcker", "sai", "US", "us", "trade", "deficit", "grew", "UK", "uk", "too"}},
		// A stop word in capitals keeps its acronym; dots and a possessive go.
		{"IT firms and the U.S. economy, NATO's plan", []string{"IT", "firm", "US", "us", "economi", "NATO", "nato", "plan"}},
		{"Страны ОПЕК договорились, опека над детьми", []string{"стран", "ОПЕК", "опек", "договор", "опек", "детьм"}},
		{"Ёлки и ЁЖ растут", []string{"елк", "ЕЖ", "еж", "растут"}},
		// A dateline's place is no acronym; the same word later is.
		{"NEW YORK, March 3 - Flights to TOKYO and the NYSE", []string{"new", "york", "march", "3", "flight", "TOKYO", "tokyo", "NYSE", "nyse"}},
		{"TOKYO (Reuters) - Prices rose", []string{"tokyo", "reuter", "price", "rose"}},
		// Not acronyms: one letter, six, mixed case, digits.
		{"A plan by NASDAQ, iPhone and G7 leaders", []string{"plan", "nasdaq", "iphon", "g7", "leader"}},
	})
	// A query word alone has no text around it: no acronym term, which
	// termQuery adds itself (queryAcronym).
	if got := analyzeTerms("WHO"); !slices.Equal(got, []string{"who"}) {
		t.Errorf("analyzeTerms(WHO) = %q", got)
	}
	for text, want := range map[string]string{"U.S.": "US", "U.K.'s": "UK", "US": "", "U.": "", "Ph.D.": "", "a.m.": ""} {
		got, ok := undottedAcronym(text)
		if ok != (want != "") || got != want {
			t.Errorf("undottedAcronym(%q) = %q, %v; want %q", text, got, ok, want)
		}
	}
	for text, want := range map[string]string{"WHO": "WHO", "U.S.": "US", "ОПЕК": "ОПЕК", "NATO's": "NATO", "Who": "", "NASDAQ": "", "A": "", "..": "", "U..S": "", "XIV": ""} {
		got, ok := queryAcronym(qterm{text: text})
		if ok != (want != "") || got != want {
			t.Errorf("queryAcronym(%q) = %q, %v; want %q", text, got, ok, want)
		}
	}
}

// TestSearch_acronymTerms: a word typed in capitals finds its acronym first
// (ОПЕК before опека; WHO the organisation, not the pronoun), a stop
// word in capitals (IT) finds its acronym, and an acronym among a name's
// other spellings is that acronym: OPEC does not find опека, ВВП finds
// GDP in a title in capitals through its ordinary stem. A Cyrillic
// acronym does not find its stem's words (СВО, свои). A word in
// capitals that the articles do not write as an acronym is the word.
func TestSearch_acronymTerms(t *testing.T) {
	t.Parallel()
	x := openJSONL(t, article("who-org", "Flu warning", "The WHO warned of a flu season, which doctors said would be a long one.")+
		article("who-pronoun", "Miners rescued", "Miners who were trapped, and those who helped, were thanked by all who came.")+
		article("caps-title", "MINERS WHO WERE TRAPPED ARE SAFE", "Rescuers reached the miners.")+
		langArticle("opeka", "ru", "Опека над детьми", "Органы опеки проверили семью.")+
		langArticle("opec-ru", "ru", "Страны ОПЕК сократят добычу", "Нефтяные страны договорились.")+
		article("it", "Jobs in IT", "IT firms hired more staff.")+
		article("gdp-caps", "CANADA GDP UP 1.2 PCT", "Output grew in December.")+
		article("uk-caps", "U.K. MONEY MARKET GIVEN HELP", "The bank provided more help.")+
		article("usa", "Trade deficit", "The United States trade deficit narrowed.")+
		article("trade", "Trade talks", "Trade talks resumed.")+
		langArticle("ru-trade", "ru", "Торговля растёт", "Торговля с Китаем выросла.")+
		langArticle("svo", "ru", "Выплаты участникам", "Участники СВО получат выплаты.")+
		langArticle("svoi", "ru", "Возвращение домой", "Жители вернулись в свои дома и к своим семьям.")+
		langArticle("gost", "ru", "Новый стандарт", "Утверждён новый ГОСТ на молоко.")+
		langArticle("gosti", "ru", "Гости фестиваля", "На фестиваль приехали гости из Казани.")+
		fillers(6))
	first := func(q string) string {
		t.Helper()
		res := mustSearch(t, x, Query{Text: q, Size: MaxSize})
		if len(res.Hits) == 0 {
			return ""
		}
		return res.Hits[0].ID
	}
	if got := first("WHO"); got != "who-org" {
		t.Errorf("WHO: %s first, want who-org", got)
	}
	// WHO's word is the pronoun (wordAcronyms): not even a title in
	// capitals has it.
	checkPageHits(t, x, "WHO", "who-org")
	if got := first("ОПЕК"); got != "opec-ru" {
		t.Errorf("ОПЕК: %s first, want opec-ru", got)
	}
	checkPageHits(t, x, "IT", "it")
	// A Cyrillic acronym is only the acronym: СВО is no свои, ГОСТ no гости.
	checkPageHits(t, x, "СВО", "svo")
	checkPageHits(t, x, "ГОСТ", "gost")
	checkPageHits(t, x, "OPEC", "opec-ru")
	if got := pageHits(t, x, "ВВП"); !slices.Contains(got, "gdp-caps") {
		t.Errorf("ВВП: %v, want gdp-caps (GDP in a title in capitals)", got)
	}
	// U.K. in a title in capitals is the United Kingdom; typed with dots,
	// U.S. is US, with the name's other spellings.
	for _, q := range []string{"U.K.", "UK", "Britain"} {
		if got := pageHits(t, x, q); !slices.Contains(got, "uk-caps") {
			t.Errorf("%s: %v, want uk-caps (U.K. in a title in capitals)", q, got)
		}
	}
	if got := pageHits(t, x, "U.S."); !slices.Contains(got, "usa") {
		t.Errorf("U.S.: %v, want usa (the United States)", got)
	}
	// No article has TRADE in capitals: typed with caps lock on, it is
	// the word, before its other languages' words.
	if got := first("TRADE"); got != "trade" {
		t.Errorf("TRADE: %s first, want trade", got)
	}
	// Lower case is the word as ever: the article that says it most first.
	if got := first("who"); got != "who-pronoun" {
		t.Errorf("who: %s first, want who-pronoun", got)
	}
}

// termsCase is a text and the terms analyzeTerms should give it.
type termsCase struct {
	text string
	want []string
}

// checkTerms checks analyzeTerms on each case.
func checkTerms(t *testing.T, cases []termsCase) {
	t.Helper()
	for _, c := range cases {
		if got := analyzeTerms(c.text); !slices.Equal(got, c.want) {
			t.Errorf("analyzeTerms(%q) = %q, want %q", c.text, got, c.want)
		}
	}
}
