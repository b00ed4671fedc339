package index

import (
	"cmp"
	"compress/gzip"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"
	"unicode"
	"unicode/utf8"
)

// russianForms are inflected forms that must find each other: nouns and
// names across cases, and surnames in -ов/-ев/-ин, whose nominative plain
// Snowball stems apart from the other cases (Лавров → лавр, Лаврова →
// лавров).
var russianForms = [][]string{
	{"Москва", "Москвы", "Москве", "Москву", "Москвой"},
	{"Путин", "Путина", "Путину", "Путиным", "Путине"},
	{"сотрудничество", "сотрудничества", "сотрудничеству", "сотрудничеством"},
	{"Лавров", "Лаврова", "Лаврову", "Лавровым", "Лаврове", "Лавровой"}, // Лаврова: also the feminine
	{"Медведев", "Медведева", "Медведеву", "Медведевым"},
	{"Песков", "Пескова", "Пескову", "Песковым"},
	{"Ростов", "Ростова", "Ростове"},
	{"Воробьев", "Воробьева", "Воробьевым", "Воробьёв"}, // Snowball: вороб, воробьев
	{"Алихаджиев", "Алихаджиева", "Алихаджиеву"},        // Snowball: алихадж, алихаджиев
	{"Шойгу"}, // indeclinable
	// Names whose cases Snowball stems apart (nameParadigms).
	{"Иран", "Ирана", "Иране", "Ирану", "Ираном"},            // Snowball: ира, иран
	{"Киев", "Киева", "Киеве", "Киеву", "Киевом"},            // ки, киев
	{"Китай", "Китая", "Китае", "Китаю", "Китаем"},           // кита, кит
	{"Орбан", "Орбана", "Орбаном"},                           // орба, орбан
	{"Байден", "Байдена", "Байдену", "Байденом"},             // байд, байден
	{"Казахстан", "Казахстана", "Казахстане", "Казахстаном"}, // казахста, казахстан
	{"Алексей", "Алексея", "Алексею", "Алексеем"},            // алекс, алексе
	// Nouns whose vowel drops in the other cases (data/stems-ru.txt).
	{"ребёнок", "ребёнка", "ребенку", "ребёнком"}, // Snowball: ребенок, ребенк
	{"день", "дня", "дней", "днями"},              // ден, дн
	{"боец", "бойца", "бойцы", "бойцов"},          // боец, бойц
	{"рынок", "рынка", "рынке", "рынки"},          // рынок, рынк
	{"Орёл", "Орла", "Орле"},                      // орел, орл
}

// TestSearch_russianInflections: every form of a group, typed capitalised
// or in lower case, finds the articles with every other form of it, and
// no article of another group.
func TestSearch_russianInflections(t *testing.T) {
	t.Parallel()
	var docs strings.Builder
	want := map[string][]string{} // form → ids of its group
	for g, forms := range russianForms {
		var ids []string
		for i, f := range forms {
			id := fmt.Sprintf("g%d-%d", g, i)
			ids = append(ids, id)
			docs.WriteString(langArticle(id, "ru", "Новости", "Вчера "+f+" упоминали в новостях."))
		}
		for _, f := range forms {
			want[f] = append(want[f], ids...)
		}
	}
	x, err := openMap(t, t.TempDir(), fstest.MapFS{"a.jsonl": {Data: []byte(docs.String())}})
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	for form, ids := range want {
		for _, q := range []string{form, strings.ToLower(form)} {
			res, err := x.Search(context.Background(), Query{Text: q, Typos: false, Size: 50})
			if err != nil {
				t.Fatal(err)
			}
			got := hitIDs(res)
			if !sameSet(got, ids) {
				t.Errorf("%q: hits %v, want %v", q, got, ids)
			}
		}
	}
}

// TestSearch_homoglyphs: a Russian word written with a Latin letter that
// looks like a Cyrillic one (CША with a Latin C, Дeнь with a Latin e) is
// found by the word typed in Cyrillic, and a word typed so finds the
// articles (Mосква with a Latin M); an English word with a Cyrillic о is
// the English word.
func TestSearch_homoglyphs(t *testing.T) {
	t.Parallel()
	x := openJSONL(t, langArticle("usa", "ru", "Новости", "Власти CША ввели пошлины.")+
		langArticle("day", "ru", "Праздник", "Сегодня Дeнь города.")+
		langArticle("moscow", "ru", "Погода", "В Москве тепло.")+
		article("en", "Trade", "Moscоw and Beijing signed a deal.")+
		fillers(4))
	for q, want := range map[string][]string{
		"США":    {"usa"},
		"день":   {"day"},
		"Mосква": {"moscow", "en"}, // and Moscow, the name's English spelling
		"Moscow": {"en", "moscow"},
	} {
		if got := hitIDs(mustSearch(t, x, Query{Text: q, Size: 10, Typos: false})); !sameSet(got, want) {
			t.Errorf("%s: %v, want %v", q, got, want)
		}
	}
}

// TestSearch_dottedNames: a Russian word with dots inside (Яндекс.Музыка,
// г.Москва) is found by each of its parts of two letters or more, and as
// written; т.е. gives no part.
func TestSearch_dottedNames(t *testing.T) {
	t.Parallel()
	x := openJSONL(t, langArticle("music", "ru", "Сервис", "Яндекс.Музыка обновила приложение.")+
		langArticle("yandex", "ru", "Компания", "Яндекс открыл офис.")+
		langArticle("city", "ru", "Погода", "В г.Москва похолодание.")+
		langArticle("other", "ru", "Музыка", "Музыка звучала всю ночь, т.е. до утра.")+
		fillers(4))
	for q, want := range map[string][]string{
		"Яндекс":          {"music", "yandex"},
		"Яндекс.Музыка":   {"music"},
		`"Яндекс.Музыка"`: {"music"},
		"Москва":          {"city"},
	} {
		if got := hitIDs(mustSearch(t, x, Query{Text: q, Size: 10, Typos: false})); !sameSet(got, want) {
			t.Errorf("%s: %v, want %v", q, got, want)
		}
	}
}

// TestAnalyze_surnameVariantOnlyForNames: the second stem is for
// capitalised words in -ов/-ев; common words keep Snowball's one stem, so
// годовой does not meet год and условие does not become усл.
func TestAnalyze_surnameVariantOnlyForNames(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want []string
	}{
		{"Лавров", []string{"лавр", "лавров"}},
		{"Лаврова", []string{"лавров", "лавр"}},
		{"лавров", []string{"лавр"}},
		{"годовой отчет городов", []string{"годов", "отчет", "город"}},
		{"условие", []string{"услов"}},
		{"МИДов", []string{"мид"}}, // not title case: no variant
		{"Лев", []string{"льву"}},  // root too short; льву is its forms' term (data/stems-ru.txt)
		{"Путина", []string{"путин"}},
		{"Воробьев", []string{"вороб", "воробьев"}},
		{"Воробьевым", []string{"воробьев", "вороб"}},
	}
	for _, tt := range tests {
		if got := analyzeTerms(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("analyzeTerms(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	// The variant stands at the word's own position and offsets, so
	// phrases and highlights are unaffected.
	ts := stemmedAnalyzer.Analyze([]byte("министр Лавров приехал"))
	if len(ts) != 4 || ts[1].Position != ts[2].Position || ts[1].Start != ts[2].Start || ts[1].End != ts[2].End {
		t.Fatalf("tokens of %q: %v", "министр Лавров приехал", ts)
	}
}

// TestAnalyze_russianIndeclinables: the words of data/indeclinable-ru.txt
// keep their own term, which Snowball gave other words too.
func TestAnalyze_russianIndeclinables(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ word, other string }{
		{"метро", "метров"}, {"Токио", "током"}, {"Токио", "токен"}, {"Мали", "мало"},
		{"Дели", "дело"}, {"радио", "ради"}, {"меню", "менее"}, {"кредо", "кредит"},
	} {
		got, other := analyzeTerms(tt.word), analyzeTerms(tt.other)
		if len(got) != 1 || got[0] != foldTerm(strings.ToLower(tt.word)) || slices.Equal(got, other) {
			t.Errorf("%s: %q, %s: %q; want the word whole, apart from the other", tt.word, got, tt.other, other)
		}
	}
	if len(russianIndeclinables) < 20 {
		t.Errorf("%d indeclinable words read", len(russianIndeclinables))
	}
}

// TestAnalyze_russianNameStems: the forms of a word in data/stems-ru.txt
// (mostly names) share one term, which Snowball's stem of another word
// does not.
func TestAnalyze_russianNameStems(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		forms []string
		other string
	}{
		{[]string{"Грузия", "Грузии", "Грузию", "Грузией"}, "груза"},
		{[]string{"Сирия", "Сирии", "Сирию"}, "сирены"},
		{[]string{"Азия", "Азии"}, "азы"},
		{[]string{"Индия", "Индии"}, "инди"},
		{[]string{"Дания", "Дании"}, "дань"},
		{[]string{"Ханой", "Ханоя", "Ханое"}, "хан"},
		{[]string{"Рубио"}, "руб"},
		// Generated from the gazetteer (nameParadigms).
		{[]string{"Китай", "Китая", "Китае", "Китаю"}, "кита"}, {[]string{"Китая"}, "китов"},
		{[]string{"Иран", "Ирана", "Иране"}, "Ира"}, {[]string{"Киев", "Киева"}, "Ки"},
		{[]string{"Иван", "Ивана", "Иваном"}, "Иванов"}, {[]string{"Максим", "Максима"}, "Максимов"},
		{[]string{"милей", "миль"}, "Иране"},
		// Common words: early is not wounded, summer not years.
		{[]string{"ранее", "рано", "ранний", "ранних", "раннего"}, "ранены"},
		{[]string{"ранее"}, "раны"},
		{[]string{"лето", "летом", "лете"}, "лет"},
		{[]string{"стать"}, "статья"}, {[]string{"вместо"}, "вместе"}, {[]string{"часто"}, "часть"},
		{[]string{"подписаться"}, "подписал"}, {[]string{"среди"}, "среда"}, {[]string{"дать"}, "дата"},
		{[]string{"долго", "долгий", "долгие"}, "долги"},
		{[]string{"капитал", "капитала", "капиталом"}, "капитан"},
		{[]string{"прибыль", "прибыли", "прибылью"}, "прибыл"},
		{[]string{"Елена", "Елены", "Еленой"}, "ели"}, {[]string{"Дарья", "Дарьи"}, "дары"},
		{[]string{"Алёна", "Алены", "Алёной"}, "Аль"}, {[]string{"Алёна"}, "Али"},
		{[]string{"Семён", "Семёну", "Семёном"}, "семь"}, {[]string{"Семён"}, "Семёнов"},
		{[]string{"Артём", "Артёма", "Артёмом"}, "арт"}, {[]string{"Артём"}, "Артемий"},
		{[]string{"Женя", "Жени"}, "жена"}, {[]string{"Петя", "Пети"}, "петь"}, {[]string{"Коля", "Коли"}, "кола"},
		{[]string{"Лина", "Лины"}, "линия"}, {[]string{"Ваня", "Вани"}, "Ван"}, {[]string{"Вася", "Васи"}, "вау"},
		{[]string{"Майя", "Майи"}, "Майами"},
		{[]string{"Лев", "Льва", "Львом"}, "левый"}, {[]string{"угол", "угла", "углу"}, "уголь"}, {[]string{"уголь", "угля", "углем"}, "углом"},
		{[]string{"реже"}, "режим"}, {[]string{"столь"}, "стол"}, {[]string{"Инна", "Инны"}, "иные"},
		{[]string{"сталь", "сталью"}, "стало"}, {[]string{"сталь"}, "стала"},
		{[]string{"выборы", "выборов", "выборах"}, "выбор"}, {[]string{"выборы"}, "выбором"},
		{[]string{"вино", "вином"}, "вину"}, {[]string{"вино"}, "виной"},
		{[]string{"визит", "визита", "визитом", "визиты"}, "виза"}, {[]string{"визит"}, "визы"},
		{[]string{"поэтому"}, "поэт"}, {[]string{"семья", "семьи", "семье", "семьёй"}, "семь"}, {[]string{"семья"}, "семи"},
		{[]string{"время", "времени", "временем", "времён"}, "временно"}, {[]string{"имя", "имени", "именем"}, "ими"},
	} {
		first := analyzeTerms(tt.forms[0])
		for _, f := range tt.forms[1:] {
			if got := analyzeTerms(f); !slices.Equal(got, first) {
				t.Errorf("%s %q and %s %q should share their terms", tt.forms[0], first, f, got)
			}
		}
		if other := analyzeTerms(tt.other); slices.Equal(first, other) {
			t.Errorf("%s and %s share the terms %q", tt.forms[0], tt.other, first)
		}
	}
}

// TestAnalyze_russianDoubleN: the stems in russianDoubleN keep their
// double н, so странный is not страна nor данные Дания, while each
// word's own forms, and the -нн- words not listed, still share a stem.
func TestAnalyze_russianDoubleN(t *testing.T) {
	t.Parallel()
	for _, pair := range [][2]string{
		{"странный", "страна"}, {"данные", "Дания"}, {"именно", "имени"},
		{"ценные", "цены"}, {"совершенно", "совершение"}, {"колонна", "колонии"},
		{"тонн", "тон"}, {"винный", "вина"}, {"Анна", "ан"}, {"ванной", "Ван"},
	} {
		if a, b := analyzeTerms(pair[0]), analyzeTerms(pair[1]); slices.Equal(a, b) {
			t.Errorf("%s and %s share the terms %q", pair[0], pair[1], a)
		}
	}
	for _, same := range [][]string{
		{"странный", "странно", "странного", "странная"},
		{"данные", "данных", "данным", "данный"},
		{"тонна", "тонн", "тонну", "тоннами"},
		{"страна", "страны", "стране"},
		{"телефон", "телефонный", "телефонных"},
	} {
		for _, w := range same[1:] {
			if a, b := analyzeTerms(same[0]), analyzeTerms(w); !slices.Equal(a, b) {
				t.Errorf("%s %q and %s %q should share their terms", same[0], a, w, b)
			}
		}
	}
}

// TestSearch_russianIndeclinableNames: Tokyo finds Токио, not the Russian
// articles on tokens (токен) or electric current (током), which shared
// Snowball's stem ток; метро does not find метров.
func TestSearch_russianIndeclinableNames(t *testing.T) {
	t.Parallel()
	x := openJSONL(t, langArticle("ru-tokyo", "ru", "Саммит в Токио", "Лидеры встретились в Токио.")+
		langArticle("ru-token", "ru", "Новый токен", "Биржа добавила токен, цена токена выросла.")+
		langArticle("ru-current", "ru", "Удар током", "Рабочего ударило током.")+
		langArticle("ru-metro", "ru", "Новая станция метро", "В Москве открыли станцию метро.")+
		langArticle("ru-metres", "ru", "Высота моста", "Мост поднимается на сорок метров.")+
		fillers(6))
	for q, want := range map[string][]string{"Tokyo": {"ru-tokyo"}, "Токио": {"ru-tokyo"}, "метро": {"ru-metro"}, "метров": {"ru-metres"}} {
		// Typos off: in five articles, метров is as common as метро and
		// one letter from it.
		if got := sortedHits(t, x, Query{Text: q, Size: MaxSize}); !slices.Equal(got, want) {
			t.Errorf("%s: %v, want %v", q, got, want)
		}
	}
}

const ruTelegramPath = "../../shared/corpus/ru_telegram_news/docs.jsonl.gz"

// ruCorpus enables TestRussianSurnames_corpus: it indexes 22k articles,
// about 25 s, and several minutes under the race detector CI runs with.
var ruCorpus = flag.Bool("ru.corpus", false, "run TestRussianSurnames_corpus over ../shared/corpus/ru_telegram_news")

// surnameEndings are the case endings of a masculine or feminine Russian
// surname in -ов/-ев after the suffix (Лавров, Лаврова, Лаврову, Лавровым,
// Лаврове, Лавровой, Лавровых, Лавровыми, Лавровы).
var surnameEndings = []string{"", "а", "у", "ым", "е", "ой", "ых", "ыми", "ы"}

// TestRussianSurnames_corpus measures the surname rule on real Russian
// news: for the 40 commonest capitalised -ов/-ев names in
// ru_telegram_news written both in the nominative and in other cases, the
// nominative query (typos off) should find every article with any case of
// the name. Ground truth is a plain scan of the text for the name's forms;
// recall and precision are printed and recall must be high.
func TestRussianSurnames_corpus(t *testing.T) {
	if !*ruCorpus {
		t.Skip("indexes 22k articles; run with -ru.corpus")
	}
	f, err := os.Open(ruTelegramPath)
	if err != nil {
		t.Skipf("ru_telegram_news not found at %s (%v); the shared corpora live outside the repository", ruTelegramPath, err)
	}
	f.Close()
	ctx := context.Background()
	x, err := Open(ctx, Options{Dir: t.TempDir(), Logger: testLogger(t),
		Inputs: []Input{{FS: os.DirFS(filepath.Dir(ruTelegramPath)), Path: filepath.Base(ruTelegramPath), Label: "ru_telegram_news"}}})
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	docs := readArticlesGz(t, ruTelegramPath)

	// Every capitalised word, by the documents it occurs in.
	words := map[string]map[string]bool{}
	for _, d := range docs {
		for _, w := range strings.FieldsFunc(d.Title+" "+d.Body, func(r rune) bool { return !unicode.IsLetter(r) }) {
			if first, _ := utf8.DecodeRuneInString(w); unicode.Is(unicode.Cyrillic, first) && unicode.IsUpper(first) {
				w = strings.ReplaceAll(w, "ё", "е")
				if words[w] == nil {
					words[w] = map[string]bool{}
				}
				words[w][d.ID] = true
			}
		}
	}
	type name struct {
		nom   string
		truth map[string]bool
	}
	var names []name
	for w := range words {
		if !hasOvSuffix([]byte(strings.ToLower(w))) || utf8.RuneCountInString(w) < 5 || len(words[w]) < 3 {
			continue
		}
		truth, oblique := map[string]bool{}, 0
		for _, e := range surnameEndings {
			for id := range words[w+e] {
				truth[id] = true
			}
			if e != "" {
				oblique += len(words[w+e])
			}
		}
		if oblique >= 3 {
			names = append(names, name{w, truth})
		}
	}
	slices.SortFunc(names, func(a, b name) int { return cmp.Or(len(b.truth)-len(a.truth), strings.Compare(a.nom, b.nom)) })
	names = names[:min(40, len(names))]

	var found, relevant, hits, lowerFound int
	for _, n := range names {
		for _, q := range []string{n.nom, strings.ToLower(n.nom)} {
			res, err := x.search(ctx, Query{Text: q, Match: MatchAny, Size: 1000, Fragments: -1}, time.Now())
			if err != nil {
				t.Fatal(err)
			}
			got := 0
			for _, h := range res.Hits {
				if n.truth[h.ID] {
					got++
				}
			}
			if q == n.nom {
				found += got
				relevant += len(n.truth)
				hits += len(res.Hits)
				t.Logf("%-14s %4d articles, found %4d of them, %4d hits", q, len(n.truth), got, len(res.Hits))
			} else {
				lowerFound += got
			}
		}
	}
	recall := float64(found) / float64(relevant)
	t.Logf("%d names: recall %.3f, precision %.3f (capitalised query); lower-case query recall %.3f",
		len(names), recall, float64(found)/float64(hits), float64(lowerFound)/float64(relevant))
	if recall < 0.95 {
		t.Errorf("recall %.3f of the articles naming a surname in any case, want ≥ 0.95", recall)
	}
}

// readArticlesGz reads a gzipped JSON Lines corpus.
func readArticlesGz(t testing.TB, path string) []Article {
	t.Helper()
	var out []Article
	for _, a := range readRecordsGz[struct{ ID, Title, Body string }](t, path) {
		out = append(out, Article{ID: a.ID, Title: a.Title, Body: a.Body})
	}
	return out
}

// readRecordsGz decodes every record of a gzipped JSON Lines file into a
// T, which names the fields wanted.
func readRecordsGz[T any](t testing.TB, path string) []T {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	var out []T
	for dec := json.NewDecoder(gz); ; {
		var r T
		if err := dec.Decode(&r); err == io.EOF {
			return out
		} else if err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
}
