package index

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"
)

func langArticle(id, lang, title, body string) string {
	return `{"id":"` + id + `","title":"` + title + `","body":"` + body + `","date":"2026-01-02","source":"Test","lang":"` + lang + `"}` + "\n"
}

// namesCorpus has each name in each script, in articles that are not the
// seeds, with Russian names inflected.
func namesCorpus() fstest.MapFS {
	return fstest.MapFS{"a.jsonl": {Data: []byte(
		langArticle("en-putin", "en", "Kremlin notes", "Putin spoke to reporters on Monday.") +
			langArticle("ru-putin", "ru", "Заметки", "Заявление Путина прозвучало в понедельник.") +
			langArticle("zh-putin", "zh", "新闻", "普京星期一发表讲话。") +
			langArticle("en-moscow", "en", "City notes", "Snow fell in Moscow overnight.") +
			langArticle("ru-moscow", "ru", "Город", "В Москве выпал снег.") +
			langArticle("zh-moscow", "zh", "城市", "莫斯科下雪了。") +
			langArticle("en-xi", "en", "Summit", "Xi Jinping arrived for the summit.") +
			langArticle("ru-xi", "ru", "Саммит", "Си Цзиньпин прибыл на саммит.") +
			langArticle("zh-xi", "zh", "峰会", "习近平抵达峰会。") +
			langArticle("en-shoigu", "en", "Defence", "Shoigu inspected the troops.") +
			langArticle("ru-shoigu", "ru", "Оборона", "Шойгу провёл проверку войск.") +
			langArticle("en-lavrov", "en", "Diplomacy", "Lavrov met his counterpart.") +
			langArticle("ru-lavrov", "ru", "Дипломатия", "Лавров встретил коллегу.") +
			langArticle("ru-lavrov-gen", "ru", "Встреча", "Лаврова принял министр.") +
			langArticle("en-medvedev", "en", "Council", "Medvedev wrote a long post.") +
			langArticle("ru-medvedev", "ru", "Совет", "Медведев написал длинный пост.") +
			langArticle("en-beijing", "en", "Capital", "Rain fell in Beijing overnight.") +
			langArticle("ru-beijing", "ru", "Столица", "В Пекине прошёл дождь.") +
			langArticle("zh-beijing", "zh", "首都", "北京下雨了。") +
			langArticle("en-mosque", "en", "Religion", "The mosque and the moss garden reopened; data show visitors returned.") +
			langArticle("ru-data", "ru", "Календарь", "Дата встречи и мосты назначены.") +
			langArticle("en-un", "en", "Assembly", "The United Nations General Assembly met.") +
			langArticle("en-us", "en", "Letters", "Readers wrote to us about the weather.") +
			langArticle("en-usa", "en", "Tariffs", "The United States raised tariffs.") +
			langArticle("en-prc", "en", "Trade", "The People's Republic of China reported exports.") +
			langArticle("en-dprk", "en", "Launch", "North Korea launched a missile.") +
			langArticle("en-uk", "en", "Politics", "Britain held an election.") +
			langArticle("en-sco", "en", "Bloc", "The Shanghai Cooperation Organisation met in Astana.") +
			langArticle("ru-brexit", "ru", "Опрос", "Британцы сожалеют о брексите.") +
			langArticle("ru-brekhovo", "ru", "Школа", "В Брёхово открыли школу.") +
			langArticle("en-kharkiv", "en", "Shelling", "Shells hit Kharkiv overnight.") +
			langArticle("ru-kharkiv", "ru", "Обстрел", "Ночью обстреляли Харьков.") +
			langArticle("zh-kharkiv", "zh", "炮击", "哈尔科夫夜间遭到炮击。") +
			langArticle("en-nordstream", "en", "Pipelines", "The Nord Stream pipelines were blown up.") +
			langArticle("ru-nordstream", "ru", "Газопроводы", "Газопроводы «Северный поток» взорваны.") +
			langArticle("zh-nordstream", "zh", "管道", "北溪管道遭到破坏。") +
			langArticle("en-stream", "en", "Rivers", "A stream runs past Nord farm."),
	)}}
}

// openNames opens an index of namesCorpus, closed when the test ends.
func openNames(t *testing.T) *Index {
	t.Helper()
	x, err := openMap(t, t.TempDir(), namesCorpus())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { x.Close() })
	return x
}

// TestSearch_crossScriptNames: a name in one script finds the articles that
// write it in another, in every direction, and the article that spells it
// as the query does ranks first.
func TestSearch_crossScriptNames(t *testing.T) {
	t.Parallel()
	x := openNames(t)
	tests := []struct {
		q    string
		want []string // first the exact-script articles, then the others in any order
		// exact is how many articles lead want (default 1): they write the
		// name in the query's script and must outscore the others.
		exact int
	}{
		{"Putin", []string{"en-putin", "ru-putin", "zh-putin"}, 0},
		{"Путин", []string{"ru-putin", "en-putin", "zh-putin"}, 0},
		{"普京", []string{"zh-putin", "en-putin", "ru-putin"}, 0},
		{"Moscow", []string{"en-moscow", "ru-moscow", "zh-moscow"}, 0},
		{"Москва", []string{"ru-moscow", "en-moscow", "zh-moscow"}, 0},
		{"莫斯科", []string{"zh-moscow", "en-moscow", "ru-moscow"}, 0},
		{"Xi Jinping", []string{"en-xi", "ru-xi", "zh-xi"}, 0},
		{"Си Цзиньпин", []string{"ru-xi", "en-xi", "zh-xi"}, 0},
		{"习近平", []string{"zh-xi", "en-xi", "ru-xi"}, 0},
		{"Shoigu", []string{"en-shoigu", "ru-shoigu"}, 0},
		{"Шойгу", []string{"ru-shoigu", "en-shoigu"}, 0},
		{"Lavrov", []string{"en-lavrov", "ru-lavrov", "ru-lavrov-gen"}, 0}, // Лаврова: see inflections
		{"Лавров", []string{"ru-lavrov", "ru-lavrov-gen", "en-lavrov"}, 2}, // Лаврова too: appendSurnameVariant
		{"Лаврова", []string{"ru-lavrov", "ru-lavrov-gen", "en-lavrov"}, 2},
		{"лаврова", []string{"ru-lavrov", "ru-lavrov-gen"}, 2}, // lower case: not taken for a name
		{"Medvedev", []string{"en-medvedev", "ru-medvedev"}, 0},
		{"Медведев", []string{"ru-medvedev", "en-medvedev"}, 0},
		{"Beijing", []string{"en-beijing", "ru-beijing", "zh-beijing"}, 0},
		{"Пекин", []string{"ru-beijing", "en-beijing", "zh-beijing"}, 0},
		{"北京", []string{"zh-beijing", "en-beijing", "ru-beijing"}, 0},
		// Kharkiv (Ukrainian) is no transliteration of Харьков (Russian):
		// only the table joins them, and their Han spelling.
		{"Kharkiv", []string{"en-kharkiv", "ru-kharkiv", "zh-kharkiv"}, 0},
		{"哈尔科夫", []string{"zh-kharkiv", "en-kharkiv", "ru-kharkiv"}, 0},
		// A name of two words is a phrase: not "a stream past Nord farm".
		{"Nord Stream", []string{"en-nordstream", "ru-nordstream", "zh-nordstream"}, 0},
		{"北溪", []string{"zh-nordstream", "en-nordstream", "ru-nordstream"}, 0},
	}
	for _, tt := range tests {
		for _, typos := range []bool{false, true} {
			res, err := x.Search(context.Background(), Query{Text: tt.q, Typos: typos})
			if err != nil {
				t.Fatal(err)
			}
			exact := max(tt.exact, 1)
			got := hitIDs(res)
			if len(got) < exact || !sameSet(got[:exact], tt.want[:exact]) {
				t.Errorf("%q typos=%v: first hits %v, want %v first", tt.q, typos, got, tt.want[:exact])
				continue
			}
			if !sameSet(got, tt.want) {
				t.Errorf("%q typos=%v: hits %v, want %v", tt.q, typos, got, tt.want)
			}
			if len(res.Hits) > exact && res.Hits[exact-1].Score <= res.Hits[exact].Score {
				t.Errorf("%q: exact score %v not above %v", tt.q, res.Hits[exact-1].Score, res.Hits[exact].Score)
			}
		}
	}
}

// TestSearch_nameHighlights: the snippet marks the name as the article
// writes it, inflected and in its own script.
func TestSearch_nameHighlights(t *testing.T) {
	t.Parallel()
	x := openNames(t)
	tests := []struct{ q, id, want string }{
		{"Putin", "ru-putin", "<mark>Путина</mark>"},
		{"Putin", "zh-putin", "<mark>普京</mark>"},
		{"普京", "en-putin", "<mark>Putin</mark>"},
		{"Moscow", "ru-moscow", "<mark>Москве</mark>"},
		{"Shoigu", "ru-shoigu", "<mark>Шойгу</mark>"},
		{"Лавров", "en-lavrov", "<mark>Lavrov</mark>"},
		{"习近平", "en-xi", "<mark>Xi</mark> <mark>Jinping</mark>"},
		{"UN", "en-un", "<mark>United</mark> <mark>Nations</mark>"},
	}
	for _, tt := range tests {
		res, err := x.Search(context.Background(), Query{Text: tt.q})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, h := range res.Hits {
			if h.ID == tt.id {
				found = true
				if body := strings.Join(h.Highlights["body"], " … "); !strings.Contains(body, tt.want) {
					t.Errorf("%q in %s: body highlight %q, want %q", tt.q, tt.id, body, tt.want)
				}
			}
		}
		if !found {
			t.Errorf("%q: %s not found in %v", tt.q, tt.id, hitIDs(res))
		}
	}
}

// TestSearch_noWeirdMatches: transliteration only adds spellings that are
// in the index and only for capitalised words; ordinary words stay put.
func TestSearch_noWeirdMatches(t *testing.T) {
	t.Parallel()
	x := openNames(t)
	tests := []struct {
		q    string
		want []string
	}{
		{"Moscow", []string{"en-moscow", "ru-moscow", "zh-moscow"}}, // not mosque, moss, мосты
		{"data", []string{"en-mosque"}},                             // not Russian дата
		{"us", []string{"en-us"}},                                   // the pronoun, not the United States
		{"snow", []string{"en-moscow"}},
		// брексит and брехит (x as х) both have stems in the index, but
		// брехит's is only that of the village Брёхово.
		{"Brexit", []string{"ru-brexit"}},
	}
	for _, tt := range tests {
		res, err := x.Search(context.Background(), Query{Text: tt.q, Match: MatchAny})
		if err != nil {
			t.Fatal(err)
		}
		got := hitIDs(res)
		slices.Sort(got)
		want := slices.Clone(tt.want)
		slices.Sort(want)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%q (-want +got):\n%s", tt.q, diff)
		}
	}
}

// TestSearch_surnameOtherSpellings: a Russian surname in -ов/-ев that is
// searched in another spelling (the name table's Medvedev | Медведев,
// or a transliteration, Ivanov) finds the name, as Медведев typed does,
// and not the other words its Snowball stem is: медвед is медведь's (a
// bear), песк песок's (sand), иван Иван's. On the news corpora Medvedev
// found 26 articles about bears, ranked as phrases without BM25's length
// normalisation; Peskov 10 on sand.
func TestSearch_surnameOtherSpellings(t *testing.T) {
	t.Parallel()
	x := openJSONL(t, langArticle("medvedev-title", "ru", "Медведев опубликовал видео", "Зампред Совбеза Дмитрий Медведев опубликовал кадры удара.")+
		langArticle("medvedev-digest", "ru", "Главное за день", "Курс рубля снизился. Погода: дождь и ветер. По словам Медведева, решение уже принято. Пробки в Москве достигли девяти баллов. В зоопарке новый вольер.")+
		langArticle("bear", "ru", "Медведь в зоопарке", "В зоопарк привезли белого медведя.")+
		langArticle("peskov", "ru", "Заявление Кремля", "Песков заявил журналистам, что переговоров нет.")+
		langArticle("sand", "ru", "Гололёд", "Коммунальщики не успели посыпать улицы песком.")+
		langArticle("ivanov", "ru", "Назначение", "Министр Иванов приехал в Казань.")+
		langArticle("ivan", "ru", "Памятник", "В Вологде открыли памятник Ивану Грозному."))
	search := func(q string) []string {
		t.Helper()
		res, err := x.Search(context.Background(), Query{Text: q, Typos: true, Size: 10})
		if err != nil {
			t.Fatal(err)
		}
		return hitIDs(res)
	}
	for _, tt := range []struct {
		q    string
		want []string
	}{
		{"Medvedev", search("Медведев")},
		{"Medvedev", []string{"medvedev-title", "medvedev-digest"}},
		{"Peskov", []string{"peskov"}},
		{"Ivanov", []string{"ivanov"}},
	} {
		if got := search(tt.q); !slices.Equal(got, tt.want) {
			t.Errorf("%q: %q, want %q", tt.q, got, tt.want)
		}
	}
}

// TestSearch_spellingsShareIdf: a name's spellings in other scripts share
// one idf, the commonest's, so the article that is about the name ranks
// first whatever the script. By their own idfs, a long Russian digest
// that names Си Цзиньпин once outranked a short Chinese article on 习近平,
// as the Chinese spelling was in many more articles.
func TestSearch_spellingsShareIdf(t *testing.T) {
	t.Parallel()
	digest := strings.Repeat("Курс рубля снизился, погода без осадков, пробки девять баллов. ", 12)
	x := openJSONL(t, langArticle("ru-digest", "ru", "Главное за день", digest+"Си Цзиньпин прилетит в Бразилию.")+
		langArticle("zh-main", "zh", "习近平抵达莫斯科", "习近平抵达莫斯科。习近平发表讲话。习近平会见总统。")+
		articles("zh-other", 12, "新闻", "习近平出席会议。今天天气很好，市场平稳，交通顺畅。今天天气很好，市场平稳，交通顺畅。"))
	res, err := x.Search(context.Background(), Query{Text: "Xi Jinping", Size: 3})
	if err != nil {
		t.Fatal(err)
	}
	if got := hitIDs(res); len(got) == 0 || got[0] != "zh-main" {
		t.Errorf("Xi Jinping: %q, want zh-main first", got)
	}
}

// TestSearch_synonyms: acronyms and their long forms find each other;
// multi-word forms are phrases.
func TestSearch_synonyms(t *testing.T) {
	t.Parallel()
	x := openNames(t)
	tests := []struct {
		q    string
		want []string
	}{
		{"UN", []string{"en-un"}},
		{"US", []string{"en-usa"}},              // the table's acronym, whose word is the pronoun: the United States only
		{`"United States"`, []string{"en-usa"}}, // not "us": US is not among its other spellings
		{`"United Nations"`, []string{"en-un"}},
		{"PRC", []string{"en-prc"}},
		{"DPRK", []string{"en-dprk"}},
		{"UK", []string{"en-uk"}},
		{"SCO", []string{"en-sco"}},
		{`"Shanghai Cooperation Organization"`, []string{"en-sco"}},
		{"China", []string{"en-prc"}},
	}
	for _, tt := range tests {
		res, err := x.Search(context.Background(), Query{Text: tt.q})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tt.want, hitIDs(res)); diff != "" {
			t.Errorf("%q (-want +got):\n%s", tt.q, diff)
		}
	}
}

// TestSearch_unitSynonyms: Reuters' units (mln, dlrs, pct) and the words
// written out find each other; per cent is percent.
func TestSearch_unitSynonyms(t *testing.T) {
	t.Parallel()
	x := openJSONL(t, article("reuters", "ACME PROFIT UP", "Acme earned 12 mln dlrs, up 3.5 pct.")+
		article("bbc", "Acme profits rise", "Acme made 12 million dollars, up 3.5 per cent.")+
		article("other", "Weather", "Rain is expected in the capital.")+fillers(3))
	for _, q := range []string{"million", "mln", "dollars", "dlrs", "percent", "pct", `"per cent"`} {
		got := hitIDs(mustSearch(t, x, Query{Text: q, Size: 10}))
		slices.Sort(got)
		if !slices.Equal(got, []string{"bbc", "reuters"}) {
			t.Errorf("%s: %v, want bbc and reuters", q, got)
		}
	}
}

func TestTransliterations(t *testing.T) {
	t.Parallel()
	tests := []struct{ word, want string }{
		{"шойгу", "shoigu"}, {"шойгу", "shoygu"}, {"лавров", "lavrov"},
		{"дмитрий", "dmitry"}, {"дмитрий", "dmitriy"}, {"щукин", "shchukin"},
		{"цой", "tsoy"}, {"хабаровск", "khabarovsk"}, {"юрий", "yuriy"},
		{"shoigu", "шойгу"}, {"lavrov", "лавров"}, {"medvedev", "медведев"},
		{"dmitry", "дмитрий"}, {"khabarovsk", "хабаровск"}, {"tsoy", "цой"},
	}
	for _, tt := range tests {
		if got := transliterations(tt.word, maxTranslitCandidates); !slices.Contains(got, tt.want) {
			t.Errorf("transliterations(%q) = %v, want %q among them", tt.word, got, tt.want)
		}
	}
	for word, bad := range map[string]string{"tony": "тонй", "zelensky": "зеленскй"} {
		if got := transliterations(word, maxTranslitCandidates); slices.Contains(got, bad) {
			t.Errorf("transliterations(%q) gave impossible %q: %v", word, bad, got)
		}
	}
	if got := transliterations("普京", 10); got != nil {
		t.Errorf("transliterations of Han: %v", got)
	}
}

// TestSearch_softSignTransliterations: a Latin name that leaves out the
// soft sign (Podolsk, Tyumen, Sheremetyevo, Ilyin) finds the Russian
// articles that write it (Подольск, Тюмень, Шереметьево, Ильин); each had
// found none. A softened spelling always has a soft sign.
func TestSearch_softSignTransliterations(t *testing.T) {
	t.Parallel()
	x := openJSONL(t, langArticle("podolsk", "ru", "Новости Подольска", "В Подольске открыли школу.")+
		langArticle("tyumen", "ru", "Погода", "В Тюмени выпал снег.")+
		langArticle("sheremetyevo", "ru", "Аэропорт", "Рейсы задержаны в Шереметьево.")+
		langArticle("ilyin", "ru", "Интервью", "Иван Ильин ответил на вопросы.")+
		langArticle("other", "ru", "Спорт", "Команда выиграла матч.")+
		fillers(3))
	for q, want := range map[string]string{"Podolsk": "podolsk", "Tyumen": "tyumen", "Sheremetyevo": "sheremetyevo", "Ilyin": "ilyin"} {
		if got := hitIDs(mustSearch(t, x, Query{Text: q, Size: 10})); !slices.Equal(got, []string{want}) {
			t.Errorf("%s: %v, want [%s]", q, got, want)
		}
	}
	for word, want := range map[string]string{"podolsk": "подольск", "tyumen": "тюмень", "vorobyov": "воробьёв", "ulyanovsk": "ульяновск"} {
		if got := softTransliterations(word, maxTranslitCandidates); !slices.Contains(got, want) {
			t.Errorf("softTransliterations(%q) = %v, want %q among them", word, got, want)
		}
	}
	if got := softTransliterations("lavrov", maxTranslitCandidates); slices.Contains(got, "лавров") || slices.Contains(got, "ьлавров") {
		t.Errorf("softTransliterations(lavrov) = %v: a plain or impossible spelling", got)
	}
}

func TestLexicon_read(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, wantErr string }{
		{"# comment\nUN | United Nations\n\n", ""},
		{"UN | United Nations\nfoo\n", "x.txt:2: a group needs at least two members"},
		{"a | | b\n", "x.txt:1: empty member"},
		{"!!! | b\n", `x.txt:1: "!!!" has no searchable word`},
		{"NATO\n", ""},
	}
	for _, tt := range tests {
		lx := &lexicon{keys: map[string][]lexEntry{}}
		err := lx.read(strings.NewReader(tt.in), "x.txt", 1)
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != tt.wantErr {
			t.Errorf("read(%q) = %q, want %q", tt.in, got, tt.wantErr)
		}
	}
	if _, err := defaultLexicon(""); err != nil {
		t.Fatalf("embedded lexicon: %v", err)
	}
}

// TestOpen_synonymsFile: Options.Synonyms adds groups; a bad file fails
// Open with its line number.
func TestOpen_synonymsFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	good := filepath.Join(dir, "good.txt")
	bad := filepath.Join(dir, "bad.txt")
	if err := os.WriteFile(good, []byte("# ours\nsnow | blizzard\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bad, []byte("snow | blizzard\nlonely\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{"a.jsonl": {Data: []byte(article("blizzard", "Weather", "A blizzard hit the city."))}}
	x, err := openMap(t, filepath.Join(dir, "idx"), fsys, func(o *Options) { o.Synonyms = good })
	if err != nil {
		t.Fatal(err)
	}
	res, err := x.Search(context.Background(), Query{Text: "snow"})
	x.Close()
	if err != nil || len(res.Hits) != 1 {
		t.Errorf("snow with extra synonyms: %v, %v", hitIDs(res), err)
	}
	_, err = openMap(t, filepath.Join(dir, "idx2"), fsys, func(o *Options) { o.Synonyms = bad })
	if err == nil || !strings.Contains(err.Error(), "bad.txt:2: a group needs at least two members") {
		t.Errorf("bad synonyms file: %v", err)
	}
}

// TestTransliterations_bounded: a word whose spellings branch at every
// letter but never make a Russian word (found by FuzzSearchParams hanging
// a search) is given up on instead of explored exponentially.
func TestTransliterations_bounded(t *testing.T) {
	t.Parallel()
	for _, w := range []string{"ayyyyyyyyyyyyyyyyyyyyyyyyyyyyia", "shchshchshchshchshchshchshch", strings.Repeat("я", 19)} {
		done := make(chan []string, 1)
		go func() { done <- transliterations(w, 4) }()
		select {
		case got := <-done:
			if len(got) > 4 {
				t.Errorf("%s: %d spellings, limit 4", w, len(got))
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("transliterations(%q) does not return", w)
		}
	}
	if got := transliterations("lavrov", 4); len(got) == 0 {
		t.Error("the budget stops ordinary names too")
	}
}

// sameSet reports whether a and b hold the same strings, in any order.
func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// TestSearch_excludedNames: an excluded name leaves out every article that
// the name would find in another script, and nothing else; its typos and
// completions are not excluded.
func TestSearch_excludedNames(t *testing.T) {
	t.Parallel()
	x := openNames(t)
	all, err := x.Search(context.Background(), Query{Size: MaxSize})
	if err != nil {
		t.Fatal(err)
	}
	// moscov finds Moscow by a typo, which its exclusion keeps (below).
	if res, err := x.Search(context.Background(), Query{Text: "moscov", Typos: true}); err != nil {
		t.Fatal(err)
	} else if !slices.Contains(hitIDs(res), "en-moscow") {
		t.Fatalf("moscov does not find Moscow by a typo: %v", hitIDs(res))
	}
	tests := []struct {
		q    string
		gone []string
	}{
		{"-Putin", []string{"en-putin", "ru-putin", "zh-putin"}},         // the name table
		{"-putin", []string{"en-putin", "ru-putin", "zh-putin"}},         // its members are keyed by their terms
		{"-Lavrov", []string{"en-lavrov", "ru-lavrov", "ru-lavrov-gen"}}, // transliterated, and its genitive
		{"-Moscow", []string{"en-moscow", "ru-moscow", "zh-moscow"}},
		{"-Shoigu", []string{"en-shoigu", "ru-shoigu"}},
		{"-moscov", nil}, // a typo of moscow, lower case: excludes nothing
		{"NOT Putin", []string{"en-putin", "ru-putin", "zh-putin"}}, // boolean search's spelling of -Putin
	}
	for _, tt := range tests {
		res, err := x.Search(context.Background(), Query{Text: tt.q, Size: MaxSize, Typos: true, Prefix: true})
		if err != nil {
			t.Fatal(err)
		}
		var want []string
		for _, h := range all.Hits {
			if !slices.Contains(tt.gone, h.ID) {
				want = append(want, h.ID)
			}
		}
		got := hitIDs(res)
		slices.Sort(got)
		slices.Sort(want)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%q (-want +got):\n%s", tt.q, diff)
		}
	}
}

// TestSearch_nameAlternativeCountsOneWord: an alternative spelling that
// is a phrase (a Chinese name is a phrase of bigrams) weighs one word, not
// one per bigram, so the article that writes the name as the query does
// ranks first.
func TestSearch_nameAlternativeCountsOneWord(t *testing.T) {
	t.Parallel()
	x := openJSONL(t, langArticle("en-kremlin", "en", "Talks in Moscow", "The Kremlin said the talks went well. Officials met for two days.")+
		langArticle("zh-kremlin", "zh", "俄方称克里姆林宫遭袭", "克里姆林宫发表声明。")+
		articles("filler", 6, "Weather", "Rain fell across the region on Monday."))
	res, err := x.Search(context.Background(), Query{Text: "Kremlin"})
	if err != nil {
		t.Fatal(err)
	}
	if got := hitIDs(res); len(got) != 2 || got[0] != "en-kremlin" {
		t.Errorf("Kremlin: hits %v, want en-kremlin first, then zh-kremlin", got)
	}
}

// TestSearch_lowerCaseTransliteration: a word typed in lower case that
// no article has is transliterated as a capitalised one is (oreshnik:
// Орешник); one the articles have is not (data is no дата).
func TestSearch_lowerCaseTransliteration(t *testing.T) {
	t.Parallel()
	x := openJSONL(t, langArticle("oreshnik", "ru", "Ракета", "Ракета Орешник поражает цели.")+
		langArticle("date", "ru", "Календарь", "Дата выборов назначена.")+
		article("data", "Figures", "The data show growth.")+
		articles("filler", 4, "Weather", "Rain fell across the region on Monday."))
	for q, want := range map[string][]string{"oreshnik": {"oreshnik"}, "Oreshnik": {"oreshnik"}, "data": {"data"}} {
		if got := hitIDs(mustSearch(t, x, Query{Text: q, Size: 10})); !slices.Equal(got, want) {
			t.Errorf("%s: %v, want %v", q, got, want)
		}
	}
}

// TestSearch_russianInstitutions: English names of Russian institutions
// find the Russian articles (Duma: Госдума, Red Square: Красная площадь),
// and an abbreviation its words (Минобороны: Министерство обороны).
func TestSearch_russianInstitutions(t *testing.T) {
	t.Parallel()
	x := openJSONL(t, langArticle("duma", "ru", "Законопроект", "В Госдуме обсудили новый закон.")+
		langArticle("square", "ru", "Парад", "Парад прошёл на Красной площади.")+
		langArticle("mod-short", "ru", "Сводка", "Минобороны сообщило об учениях.")+
		langArticle("mod-long", "ru", "Заявление", "Министерство обороны России выпустило заявление.")+
		articles("filler", 4, "Weather", "Rain fell across the region on Monday."))
	for q, want := range map[string][]string{
		"Duma":       {"duma"},
		"Red Square": {"square"},
		"Минобороны": {"mod-long", "mod-short"},
		`"Министерство обороны"`: {"mod-long", "mod-short"},
	} {
		got := hitIDs(mustSearch(t, x, Query{Text: q, Size: 10}))
		if !sameSet(got, want) {
			t.Errorf("%s: %v, want %v", q, got, want)
		}
	}
}

// TestSearch_knownNameNoTypos: a capitalised word that the articles use
// is a name as typed; its commoner neighbours one typo away are other
// words (Навальный, начальный: initial).
func TestSearch_knownNameNoTypos(t *testing.T) {
	t.Parallel()
	// As typed, the name is in one article; in its other cases, in three.
	x := openJSONL(t, article("nav0", "Новости", "Алексей Навальный выступил с заявлением.")+
		articles("nav-gen", 3, "Новости", "Вдова Алексея Навального выступила с заявлением.")+
		articles("school", 6, "Школа", "Начальный этап ремонта начальной школы завершён."))
	search := func(q string) Results {
		t.Helper()
		res, err := x.Search(context.Background(), Query{Text: q, Typos: true})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	if res := search("Навальный"); res.Total != 4 {
		t.Errorf("Навальный: %d articles %v, want the 4 that name him", res.Total, hitIDs(res))
	}
	if res := search("начальный"); res.Total != 6 {
		t.Errorf("начальный: %d articles %v, want 6", res.Total, hitIDs(res))
	}
	// Misspelt, the name is in no article: its typos still count.
	if res := search("Навальнйы"); !slices.Contains(hitIDs(res), "nav0") {
		t.Errorf("Навальнйы: %v, want Навальный's articles among them", hitIDs(res))
	}
}

// TestSearch_nameOfSeveralWords: words typed without quotes that together
// spell a name of the name table (White House) also find its other
// spellings, which match every word's clause; in another order they are
// just words.
func TestSearch_nameOfSeveralWords(t *testing.T) {
	t.Parallel()
	x := openJSONL(t, langArticle("en-wh", "en", "Statement", "The White House said the talks went well.")+
		langArticle("ru-wh", "ru", "Заявление", "Белый дом заявил, что переговоры прошли хорошо.")+
		langArticle("zh-wh", "zh", "声明", "白宫表示会谈进展顺利。")+
		langArticle("en-house", "en", "Vote", "The house voted on the budget.")+
		articles("filler", 6, "Weather", "Rain fell across the region on Monday."))
	rank := func(q string) map[string]int {
		t.Helper()
		res, err := x.Search(context.Background(), Query{Text: q})
		if err != nil {
			t.Fatal(err)
		}
		at := map[string]int{}
		for i, h := range res.Hits {
			at[h.ID] = i
		}
		return at
	}
	at := rank("White House")
	for _, id := range []string{"en-wh", "ru-wh", "zh-wh"} {
		p, ok := at[id]
		if !ok {
			t.Errorf("White House: %s not found (%v)", id, at)
		} else if q, ok := at["en-house"]; ok && q < p {
			t.Errorf("White House: en-house, with one of the words, ranks above %s (%v)", id, at)
		}
	}
	if at["en-wh"] != 0 {
		t.Errorf("White House: the article that writes it is not first (%v)", at)
	}
	if _, ok := rank("House White")["ru-wh"]; ok {
		t.Errorf("House White finds Белый дом")
	}
}

// TestSearch_nameWithGivenNameVariant: a gazetteer name typed with
// another romanisation of its given name (Dmitri Peskov, Sergey Lavrov) is
// still the name, with all its spellings: on the news corpora Dmitri
// Peskov had found 27 articles with every word, where Dmitry Peskov found
// 335.
func TestSearch_nameWithGivenNameVariant(t *testing.T) {
	t.Parallel()
	x := openJSONL(t, langArticle("en-full", "en", "Kremlin", "Kremlin spokesman Dmitry Peskov said the talks went well.")+
		langArticle("ru-sur", "ru", "Кремль", "Песков заявил, что переговоры прошли хорошо.")+
		langArticle("en-sur", "en", "Comment", "Peskov declined to comment on the report.")+
		articles("filler", 6, "Weather", "Rain fell across the region on Monday."))
	for _, q := range []string{"Dmitry Peskov", "Dmitri Peskov", "Dmitriy Peskov"} {
		ids := hitIDs(mustSearch(t, x, Query{Text: q, Match: MatchAll}))
		slices.Sort(ids)
		if want := []string{"en-full", "en-sur", "ru-sur"}; !slices.Equal(ids, want) {
			t.Errorf("%s (match all): %v, want %v", q, ids, want)
		}
	}
}

// TestSearch_capitalisedTypoPrefersNames: a capitalised word that is no
// word of the index, but one typo from a name and from a commoner word,
// is the name misspelt, in all its spellings. Lower case, both neighbours
// count.
func TestSearch_capitalisedTypoPrefersNames(t *testing.T) {
	t.Parallel()
	x := openJSONL(t, articles("bj", 2, "Visit", "The delegation arrived in Beijing on Monday.")+
		articles("being", 8, "Markets", "Shares are being sold as rates rise.")+
		langArticle("ru-bj", "ru", "Визит", "Делегация прибыла в Пекин в понедельник.")+
		langArticle("zh-bj", "zh", "访问", "代表团周一抵达北京。")+
		langArticle("ru-sh", "ru", "Совещание", "Сергей Шойгу провёл совещание.")+
		article("shogo", "Film", "The producer Shogo Tomiyama spoke."))
	ctx := context.Background()
	search := func(q string) Results {
		t.Helper()
		res, err := x.Search(ctx, Query{Text: q, Typos: true})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	// Misspelt, the name also finds its other spellings, after its own.
	// (The two English articles tie: either may come first.)
	if res := search("Beijng"); res.Total != 4 || !strings.HasPrefix(hitIDs(res)[0], "bj") || !strings.HasPrefix(hitIDs(res)[1], "bj") {
		t.Errorf("Beijng: %d articles %v, want Beijing's 2 first, then Пекин's and 北京's", res.Total, hitIDs(res))
	}
	// A name of the name table that no article writes as typed: Shoigo is
	// Shoigu misspelt, written Шойгу, and not the producer Shogo.
	if got := hitIDs(search("Shoigo")); !slices.Equal(got, []string{"ru-sh"}) {
		t.Errorf("Shoigo: %v, want [ru-sh]", got)
	}
	if res := search("beijng"); res.Total != 10 {
		t.Errorf("beijng: %d articles %v, want 10 (Beijing's and being's)", res.Total, hitIDs(res))
	}
	if got := correctionQueries(t, x, "Beijng "); len(got) == 0 || got[0] != "Beijing " {
		t.Errorf("corrections of Beijng: %q, want Beijing first", got)
	}
	if got := correctionQueries(t, x, "Shoigo "); len(got) == 0 || got[0] != "Shoigu " {
		t.Errorf("corrections of Shoigo: %q, want Shoigu first", got)
	}
}

// TestSearch_nameSpellingLosingStopWords: a name's spelling of several
// words that the analyzer leaves one word of is not an alternative. Wang
// Yi is Ван И in Russian, but и is a stop word, and ван is also the stem
// Snowball gives ванна, a bath: Wang Yi found Telegram posts about baths
// before the Chinese articles naming 王毅.
func TestSearch_nameSpellingLosingStopWords(t *testing.T) {
	t.Parallel()
	x := openJSONL(t, article("en-wang", "Talks", "Foreign Minister Wang Yi met his counterpart.")+
		langArticle("zh-wang", "zh", "会见", "外交部长王毅会见俄罗斯外长。")+
		langArticle("ru-bath1", "ru", "Шторка", "Шторка для ванной убивает иммунитет.")+
		langArticle("ru-bath2", "ru", "Ванна", "Горячая ванна может навредить сердцу, ванны вредны."))
	res, err := x.Search(context.Background(), Query{Text: "Wang Yi"})
	if err != nil {
		t.Fatal(err)
	}
	if got := hitIDs(res); !slices.Equal(got, []string{"en-wang", "zh-wang"}) {
		t.Errorf("Wang Yi: %v, want [en-wang zh-wang]", got)
	}
}

// TestSearch_nameRunNotCompleted: the last word of a name typed whole is
// not completed as a fragment: Wang Yi found an article about Wang
// Bingqian for its "oil-yielding crops" (yi, completed to yield), above
// every article naming 王毅.
func TestSearch_nameRunNotCompleted(t *testing.T) {
	t.Parallel()
	x := openJSONL(t, article("en-wang", "Talks", "Foreign Minister Wang Yi met his counterpart.")+
		langArticle("zh-wang", "zh", "会见", "外交部长王毅会见俄罗斯外长。")+
		article("en-bingqian", "Budget", "Wang said the cotton and oil-yielding crops need more funds, Wang added."))
	ctx := context.Background()
	res, err := x.Search(ctx, Query{Text: "Wang Yi", Prefix: true, Match: MatchAll})
	if err != nil {
		t.Fatal(err)
	}
	if got := hitIDs(res); !slices.Equal(got, []string{"en-wang", "zh-wang"}) {
		t.Errorf("Wang Yi, completing the last word: %v, want [en-wang zh-wang]", got)
	}
	// A fragment is still completed.
	res, err = x.Search(ctx, Query{Text: "Wang yiel", Prefix: true, Match: MatchAll})
	if err != nil {
		t.Fatal(err)
	}
	if got := hitIDs(res); !slices.Equal(got, []string{"en-bingqian"}) {
		t.Errorf("Wang yiel, completing the last word: %v, want [en-bingqian]", got)
	}
}

// TestSearch_acronyms: a word of two to five capitals is an acronym as
// typed, neither a misspelling nor a fragment: BRICS found the Brit
// awards and bricks, SCO Scottish and Scoggins, ШОС шоссе (a highway) on
// the news corpora. It finds its other spellings. In lower case, the
// same letters are an ordinary word, with typos.
func TestSearch_acronyms(t *testing.T) {
	t.Parallel()
	x := openJSONL(t, articles("brits", 3, "Awards", "The Brits awards were held in London.")+
		articles("scot", 3, "Football", "Scottish football clubs met.")+
		langArticle("ru-brics", "ru", "Саммит", "Лидеры стран БРИКС встретились в Казани.")+
		langArticle("ru-road", "ru", "Дорога", "Новое шоссе откроют в Москве.")+
		langArticle("zh-sco", "zh", "峰会", "上海合作组织峰会在天津举行。"))
	search := func(q string) []string {
		t.Helper()
		res, err := x.Search(context.Background(), Query{Text: q, Typos: true, Prefix: true})
		if err != nil {
			t.Fatal(err)
		}
		return hitIDs(res)
	}
	for q, want := range map[string][]string{
		"BRICS": {"ru-brics"},
		"SCO":   {"zh-sco"},
		"ШОС":   {"zh-sco"},
	} {
		if got := search(q); !slices.Equal(got, want) {
			t.Errorf("%s: %v, want %v", q, got, want)
		}
	}
	if got := search("brics"); !slices.Contains(got, "brits0") {
		t.Errorf("brics: %v, want the Brits too (one typo, commoner)", got)
	}
	sug, err := x.Suggest(context.Background(), SuggestQuery{Text: "BRICS "})
	if err != nil {
		t.Fatal(err)
	}
	if len(sug.Corrections) > 0 {
		t.Errorf("corrections of BRICS: %+v, want none", sug.Corrections)
	}
}

// TestSearch_nameBeingTyped: the page searches as one types, and the
// words typed so far of a name find what the name finds: Xi Jin, with
// prefixes on, found the Roman numeral XI and Jinja on the news corpora,
// not the articles that write Си Цзиньпин and 习近平. A fragment alone
// starts too many names to do so.
func TestSearch_nameBeingTyped(t *testing.T) {
	t.Parallel()
	x := openJSONL(t, langArticle("zh-xi", "zh", "会见", "习近平会见普京。")+
		langArticle("ru-xi", "ru", "Встреча", "Си Цзиньпин встретился с Путиным.")+
		article("en-jinja", "Templates", "Jinja templates render pages."))
	search := func(q string, prefix bool) []string {
		t.Helper()
		ids := hitIDs(mustSearch(t, x, Query{Text: q, Prefix: prefix, Match: MatchAll}))
		slices.Sort(ids)
		return ids
	}
	if got := search("Xi Jin", true); !slices.Equal(got, []string{"ru-xi", "zh-xi"}) {
		t.Errorf("Xi Jin, being typed: %v, want [ru-xi zh-xi]", got)
	}
	if got := search("Xi Jin", false); len(got) != 0 {
		t.Errorf("Xi Jin, no prefixes: %v, want none", got)
	}
	if got := search("Jin", true); !slices.Equal(got, []string{"en-jinja"}) {
		t.Errorf("Jin, being typed: %v, want [en-jinja]", got)
	}
}

// TestSearch_gazetteerRuns: words that spell an entity of the facet
// gazetteer find its other spellings, as the name table's do: Vladimir
// Putin with every clause required had found 222 of the 1,222 articles
// of the news corpora that mention him, missing those that write 普京 or
// Путин alone. A spelling of one short word is not used: every clause of
// Xi Jinping took Xi, and a post on the 11th (XI) century came first.
func TestSearch_gazetteerRuns(t *testing.T) {
	t.Parallel()
	x := openJSONL(t, article("en-putin", "Talks", "Vladimir Putin said the talks went well.")+
		langArticle("ru-putin", "ru", "Заявление", "Путин заявил о переговорах.")+
		langArticle("zh-putin", "zh", "会见", "普京会见外宾。")+
		article("en-nabokov", "Books", "Vladimir Nabokov wrote novels.")+
		langArticle("ru-xi", "ru", "История", "Это было в XI веке.")+
		langArticle("zh-xi", "zh", "会见", "习近平会见外宾。"))
	search := func(q string) []string { return sortedHits(t, x, Query{Text: q, Match: MatchAll}) }
	if got, want := search("Vladimir Putin"), []string{"en-putin", "ru-putin", "zh-putin"}; !slices.Equal(got, want) {
		t.Errorf("Vladimir Putin: %v, want %v", got, want)
	}
	if got, want := search("Xi Jinping"), []string{"zh-xi"}; !slices.Equal(got, want) {
		t.Errorf("Xi Jinping: %v, want %v", got, want)
	}
}

// TestSearch_nameRunIsAPhrase: words typed without quotes that spell a
// name match it as a phrase, or its other spellings, and not as words
// apart: united nations found titles like NATIONAL INTERGROUP TO OFFER
// PERMIAN UNITS first on the news corpora, since Porter stems united to
// unit and nations and national to nation. In another order they are
// just words.
func TestSearch_nameRunIsAPhrase(t *testing.T) {
	t.Parallel()
	x := openJSONL(t, article("en-un", "Council", "The United Nations Security Council met on Monday.")+
		article("en-units", "NATIONAL STEEL UNIT TO SELL ASSETS", "National Steel said its unit was sold, and the units were united with other nations' firms.")+
		langArticle("ru-un", "ru", "Генсек", "Генсек ООН выступил с заявлением.")+
		langArticle("zh-un", "zh", "联合国", "联合国秘书长发表讲话。")+
		article("en-wh", "Statement", "The White House said the talks went well.")+
		article("en-apart", "Fence", "The house painted its fence white."))
	search := func(q string, match Match) []string { return sortedHits(t, x, Query{Text: q, Match: match}) }
	for _, match := range []Match{MatchAny, MatchAll} {
		for _, q := range []string{"united nations", "United Nations"} {
			if got, want := search(q, match), []string{"en-un", "ru-un", "zh-un"}; !slices.Equal(got, want) {
				t.Errorf("%s (%s): %v, want %v", q, match, got, want)
			}
		}
		if got, want := search("White House", match), []string{"en-wh"}; !slices.Equal(got, want) {
			t.Errorf("White House (%s): %v, want %v", match, got, want)
		}
	}
	if got := search("House White", MatchAll); !slices.Contains(got, "en-apart") {
		t.Errorf("House White, not a name: %v, want the article with both words", got)
	}
	res, err := x.Search(context.Background(), Query{Text: "United Nations"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) == 0 || res.Hits[0].ID != "en-un" {
		t.Fatalf("United Nations: %v, want en-un first", hitIDs(res))
	}
	if s := strings.Join(res.Hits[0].Highlights[fieldBody], " "); !strings.Contains(s, "<mark>United</mark> <mark>Nations</mark>") {
		t.Errorf("United Nations: snippet %q does not mark the name", s)
	}
}

// sortedHits returns the ids of q's hits in x, sorted.
func sortedHits(t *testing.T, x *Index, q Query) []string {
	t.Helper()
	res, err := x.Search(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	ids := hitIDs(res)
	slices.Sort(ids)
	return ids
}

// TestSearch_nameWrittenOtherwiseGetsNoTypos: a capitalised name that no
// article writes as typed, but 3 or more write in another script, is that
// name and not a typo: Kazan finds Казань, not Kahan. Nor is it
// transliterated, as the name table spells it: Казан, Kazan's
// transliteration, has the stem каза of казалось.
func TestSearch_nameWrittenOtherwiseGetsNoTypos(t *testing.T) {
	t.Parallel()
	x := openJSONL(t, langArticle("ru-kazan0", "ru", "Саммит в Казани", "Лидеры собрались в Казани.")+
		langArticle("ru-kazan1", "ru", "Казань встречает гостей", "В Казани открылся саммит.")+
		langArticle("ru-kazan2", "ru", "Погода в Казани", "В Казани идёт снег.")+
		article("en-kahan0", "Kahan sees higher rates", "Economist Samuel Kahan said rates will rise.")+
		article("en-kahan1", "Rates to rise, Kahan says", "Kahan expects rates to rise.")+
		langArticle("ru-seemed", "ru", "Так казалось", "Всем казалось, что зима будет тёплой.")+
		fillers(6))
	checkPageHits(t, x, "Kazan", "ru-kazan0", "ru-kazan1", "ru-kazan2")
	// A capitalised typo of no name still finds its neighbour.
	if got := pageHits(t, x, "Kahen"); len(got) != 2 {
		t.Errorf("Kahen: %v, want the two Kahan articles", got)
	}
}

// TestSearch_shortNames: a name of two letters is that name, not the
// start of longer words, the syllable of another script or an ambiguous
// short spelling: Xi finds 习近平 and Си Цзиньпин, not Русская служба
// Би-би-си (си), хи-квадрат (хи, Xi transliterated) or XIOX; Li does not
// find like.
func TestSearch_shortNames(t *testing.T) {
	t.Parallel()
	x := openJSONL(t, langArticle("zh-xi", "zh", "习近平会见普京", "习近平同普京举行会谈。")+
		langArticle("ru-xi", "ru", "Си Цзиньпин встретился с Путиным", "Си Цзиньпин и Путин провели переговоры.")+
		langArticle("ru-bbc", "ru", "Главное за неделю от Русской службы Би-би-си", "Обзор новостей недели.")+
		langArticle("ru-chi", "ru", "Критерий хи-квадрат", "Статистики считают хи-квадрат.")+
		article("en-xiox", "XIOX reincorporates in Delaware", "XIOX Corp said it will reincorporate.")+
		articles("en-like", 4, "People like markets", "Many people like calm markets and like low prices.")+
		article("en-li", "Li Qiang visits Berlin", "Premier Li arrived in Berlin.")+
		fillers(4))
	for _, q := range []string{"Xi", "Xi "} {
		checkPageHits(t, x, q, "ru-xi", "zh-xi")
	}
	checkPageHits(t, x, "Li", "en-li")
	// Three letters still complete: the page searches as one types.
	if got := pageHits(t, x, "Lik"); len(got) != 4 {
		t.Errorf("Lik: %v, want the four en-like articles", got)
	}
}

// TestSearch_romanNumerals: a Roman numeral in capitals is not the name
// its letters spell: Xi finds Си Цзиньпин and 习近平, not "XI века" (the
// 11th century); XI finds the numeral, and so does xiv in lower case.
func TestSearch_romanNumerals(t *testing.T) {
	t.Parallel()
	x := openJSONL(t, langArticle("ru-century", "ru", "Византия", "В XI веке Византия была сильна.")+
		langArticle("ru-xi", "ru", "Си Цзиньпин в Москве", "Си Цзиньпин встретился с Путиным.")+
		langArticle("zh-xi", "zh", "习近平会见普京", "习近平同普京举行会谈。")+
		article("en-louis", "Versailles", "Louis XIV built the palace.")+
		fillers(4))
	for q, want := range map[string][]string{"Xi": {"ru-xi", "zh-xi"}, "XI": {"ru-century"}, "louis xiv": {"en-louis"}, "Louis XIV": {"en-louis"}} {
		checkPageHits(t, x, q, want...)
	}
	// Louis is in one article, xiv too: as the numeral.
	if res := mustSearch(t, x, Query{Text: "louis xiv", Typos: true, Prefix: true}); res.TotalAll == nil || *res.TotalAll != 1 {
		t.Errorf("louis xiv: %s articles with both words, want 1", totalAll(res))
	}
	if got, want := analyzeTerms("XI века Xi xiv VV"), []string{"ⅹⅰ", "век", "xi", "xiv", "VV", "vv"}; !slices.Equal(got, want) {
		t.Errorf("analyzeTerms: %q, want %q", got, want)
	}
}

// TestSearch_exactGazetteerSpelling: Gaza finds сектор Газа and 加沙, not
// the Russian articles on gas (газа, газ's genitive), which its
// transliteration газа and the gazetteer's Газа= had stemmed to газ.
func TestSearch_exactGazetteerSpelling(t *testing.T) {
	t.Parallel()
	x := openJSONL(t, langArticle("ru-gaza", "ru", "Удары по сектору Газа", "В секторе Газа объявлено перемирие.")+
		langArticle("ru-gas", "ru", "Поставки газа", "Поставки газа в Европу выросли, цены на газ упали.")+
		langArticle("zh-gaza", "zh", "加沙停火", "加沙地带宣布停火。")+
		fillers(4))
	for _, q := range []string{"Gaza", "Gaza Strip"} {
		checkPageHits(t, x, q, "ru-gaza", "zh-gaza")
	}
}

// TestSearch_topicsAcrossLanguages: a topic word of data/topics.txt finds
// its translations, below the word as typed: sanctions Russia has every
// word in Russian and Chinese articles too, and -sanctions leaves them
// out. Topic words are not names of the lexicon.
func TestSearch_topicsAcrossLanguages(t *testing.T) {
	t.Parallel()
	x := openJSONL(t, article("en", "Sanctions on Russia", "The EU agreed new sanctions on Russia.")+
		langArticle("ru", "ru", "Новые санкции против России", "ЕС согласовал новые санкции против России.")+
		langArticle("zh", "zh", "欧盟对俄罗斯实施新制裁", "欧盟宣布对俄罗斯的新一轮制裁。")+
		langArticle("ru-other", "ru", "Россия и Китай", "Россия и Китай подписали соглашение.")+
		fillers(4))
	res := mustSearch(t, x, Query{Text: "sanctions Russia", Typos: true, Prefix: true})
	if res.TotalAll == nil || *res.TotalAll != 3 {
		t.Errorf("sanctions Russia: total_all %v, want 3 (en, ru, zh)", res.TotalAll)
	}
	if ids := hitIDs(res); len(ids) != 4 || ids[0] != "en" || ids[3] != "ru-other" {
		t.Errorf("sanctions Russia: %v, want en first, ru and zh next, ru-other last", ids)
	}
	for _, q := range []string{"санкции", "制裁", "sanction"} {
		checkPageHits(t, x, q, "en", "ru", "zh")
	}
	checkPageHits(t, x, "Russia -sanctions", "ru-other")
	if x.lex.has("sanctions") || x.lex.isName("sanction") {
		t.Error("sanctions is a name of the lexicon; topic words are not names")
	}

	// Elections, in all three languages, but not a choice (выбор), which
	// Snowball stems as выборы.
	x = openJSONL(t, article("en-vote", "Election in Georgia", "Georgia held a parliamentary election.")+
		langArticle("ru-vote", "ru", "Выборы в Грузии", "В Грузии прошли парламентские выборы.")+
		langArticle("zh-vote", "zh", "格鲁吉亚举行议会选举", "格鲁吉亚举行议会选举。")+
		langArticle("ru-choice", "ru", "Выбор роутера", "Как сделать выбор роутера.")+
		fillers(4))
	// Without typo tolerance: here выбор is rare enough to be a typo of
	// выборы.
	for _, q := range []string{"election", "выборы", "选举"} {
		if got := sortedHits(t, x, Query{Text: q, Size: MaxSize}); !slices.Equal(got, []string{"en-vote", "ru-vote", "zh-vote"}) {
			t.Errorf("%s: %v, want [en-vote ru-vote zh-vote]", q, got)
		}
	}
	if x.lex.has("election") {
		t.Error("sanctions is a name of the lexicon; topic words are not names")
	}

	// An acronym member counts in capitals only: AI finds ИИ and 人工智能,
	// ai (a word of its own) does not.
	x = openJSONL(t, article("en-ai", "AI chips", "Nvidia sells AI chips.")+
		langArticle("ru-ai", "ru", "ИИ в банках", "Банки внедряют ИИ.")+
		langArticle("zh-ai", "zh", "人工智能大会开幕", "世界人工智能大会在上海开幕。")+
		fillers(4))
	checkPageHits(t, x, "AI ", "en-ai", "ru-ai", "zh-ai")
	checkPageHits(t, x, "ai ", "en-ai")

	// A subject of several words typed unquoted finds its other
	// languages' words, and its own words still count apart.
	x = openJSONL(t, article("en-nw", "Nuclear weapons talks", "Talks on nuclear weapons resumed.")+
		article("en-nuclear", "Nuclear plant", "The nuclear plant restarted.")+
		langArticle("ru-nw", "ru", "Ядерное оружие", "Переговоры о ядерном оружии.")+
		langArticle("zh-nw", "zh", "核武器谈判", "各方讨论核武器问题。")+
		fillers(4))
	res = mustSearch(t, x, Query{Text: "nuclear weapons ", Size: 10, Typos: true, Prefix: true})
	if all := res.TotalAll; all == nil || *all != 3 || res.Total != 4 {
		t.Errorf("nuclear weapons: total %d, total_all %v; want 4 and 3 (en, ru, zh)", res.Total, totalAll(res))
	}

	// The groups added for the news' other subjects: talks are
	// negotiations (переговоры, 谈判), a tanker is a танкер and a 油轮.
	x = openJSONL(t, article("en-talks", "Trade talks", "Trade talks resumed in Geneva.")+
		langArticle("ru-talks", "ru", "Переговоры в Женеве", "В Женеве возобновились переговоры.")+
		langArticle("zh-talks", "zh", "日内瓦谈判", "各方在日内瓦恢复谈判。")+
		article("en-tanker", "Tanker seized", "A tanker was seized.")+
		langArticle("ru-tanker", "ru", "Танкер задержан", "Задержан танкер.")+
		langArticle("zh-tanker", "zh", "油轮被扣", "一艘油轮被扣押。")+
		fillers(4))
	for _, q := range []string{"talks ", "переговоры ", "谈判"} {
		checkPageHits(t, x, q, "en-talks", "ru-talks", "zh-talks")
	}
	for _, q := range []string{"tanker ", "танкер ", "油轮"} {
		checkPageHits(t, x, q, "en-tanker", "ru-tanker", "zh-tanker")
	}
}

// totalAll is res.TotalAll for a message: "none" when nil.
func totalAll(res Results) string {
	if res.TotalAll == nil {
		return "none"
	}
	return strconv.FormatUint(*res.TotalAll, 10)
}

// checkPageHits reports an error unless pageHits of text are want.
func checkPageHits(t *testing.T, x *Index, text string, want ...string) {
	t.Helper()
	if got := pageHits(t, x, text); !slices.Equal(got, want) {
		t.Errorf("%s: %v, want %v", text, got, want)
	}
}

// pageHits is sortedHits for text searched as the page searches it
// (typos and prefixes on), up to MaxSize hits.
func pageHits(t *testing.T, x *Index, text string) []string {
	t.Helper()
	return sortedHits(t, x, Query{Text: text, Size: MaxSize, Typos: true, Prefix: true})
}

// TestSearch_spellingStandsInForAbsentWord: a name no article writes as
// typed counts through its other spellings as much as the query's other
// words: Navalny death lists the article on Навальный, the rarer word,
// before those with only death. When some article writes Navalny, that
// article comes first, and the other spellings weigh less again.
func TestSearch_spellingStandsInForAbsentWord(t *testing.T) {
	t.Parallel()
	corpus := langArticle("ru-navalny", "ru", "Новости дня", "Алексей Навальный обратился к сторонникам, сообщили в штабе.") +
		articles("en-death", 4, "Death toll rises", "The death toll rose after the storm, officials said of each death.") +
		fillers(6)
	x := openJSONL(t, corpus)
	res, err := x.Search(context.Background(), Query{Text: "Navalny death", Size: 3, Typos: true, Prefix: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := hitIDs(res); len(got) == 0 || got[0] != "ru-navalny" {
		t.Errorf("Navalny death: %v, want ru-navalny first", got)
	}

	x = openJSONL(t, corpus+article("en-navalny", "Navalny speaks", "Navalny addressed his supporters."))
	res, err = x.Search(context.Background(), Query{Text: "Navalny", Size: 3, Typos: true, Prefix: true})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := hitIDs(res), []string{"en-navalny", "ru-navalny"}; !slices.Equal(got, want) {
		t.Errorf("Navalny with an English article: %v, want %v", got, want)
	}
}

// TestSearch_fragmentBeginsName: a capitalised fragment typed alone, which
// no article has, finds the name it begins, as the page searches while
// one types: Zelen finds Зеленский, not зеленый (green), its
// transliteration's word; Germ finds Germany first, then Германия.
func TestSearch_fragmentBeginsName(t *testing.T) {
	t.Parallel()
	x := openJSONL(t, langArticle("ru-zelensky0", "ru", "Заявление Зеленского", "Владимир Зеленский выступил с обращением.")+
		langArticle("ru-zelensky1", "ru", "Зеленский в Киеве", "Зеленский провел совещание.")+
		langArticle("ru-green", "ru", "Зеленый парк", "В городе открыли зеленый парк, зелень везде.")+
		article("en-germany", "Germany votes", "Germany held an election.")+
		langArticle("ru-germany", "ru", "Выборы в Германии", "Германия голосует.")+
		langArticle("ru-yevgeny", "ru", "Интервью", "Евгений Петров дал интервью.")+
		fillers(6))
	checkPageHits(t, x, "Zelen", "ru-zelensky0", "ru-zelensky1")
	res, err := x.Search(context.Background(), Query{Text: "Germ", Size: 3, Typos: true, Prefix: true})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := hitIDs(res), []string{"en-germany", "ru-germany"}; !slices.Equal(got, want) {
		t.Errorf("Germ: %v, want %v", got, want)
	}
	// Typed whole, or with a space after it, the fragment is a word.
	if got := pageHits(t, x, "Zelen "); slices.Contains(got, "ru-zelensky0") {
		t.Errorf("Zelen with a space: %v, want no Зеленский", got)
	}
	// A word of a name, typed whole, is that word: Yevgeny, of Yevgeny
	// Prigozhin, is every Евгений.
	checkPageHits(t, x, "Yevgeny", "ru-yevgeny")
}

// TestSearch_hyphenatedNameSpellings: a name typed with a hyphen where the
// name table writes it joined (G-20, G20) is the same name, in every
// spelling: G-20 found the articles with G-20 or G20 but not those that
// write Большая двадцатка.
func TestSearch_hyphenatedNameSpellings(t *testing.T) {
	t.Parallel()
	x := openJSONL(t, article("ru", "Саммит", "Большая двадцатка собралась в Рио.")+
		article("joined", "Summit", "The G20 met in Rio.")+
		article("hyphen", "Summit", "The G-20 met again.")+
		article("other", "Weather", "Rain in Rio."))
	for _, q := range []string{"G-20", "g-20", "G20"} {
		got := hitIDs(mustSearch(t, x, Query{Text: q}))
		slices.Sort(got)
		if want := []string{"hyphen", "joined", "ru"}; !slices.Equal(got, want) {
			t.Errorf("%s: got %v, want %v", q, got, want)
		}
	}
}

// TestSearch_longNames: a name of four words or more, or one that starts
// with a compound, typed whole, is the name in all its spellings:
// Communist Party of China had been searched word by word (runs of three
// words at most were looked up), and Kassym-Jomart Tokayev's compound
// started no run, so neither found the Chinese articles with every word.
func TestSearch_longNames(t *testing.T) {
	t.Parallel()
	x := openJSONL(t, article("cpc-en", "Congress", "The Communist Party of China opened its congress.")+
		langArticle("cpc-zh", "zh", "中国共产党代表大会开幕", "中国共产党第二十次全国代表大会开幕。")+
		article("tokayev-en", "Astana", "President Kassym-Jomart Tokayev spoke in Astana.")+
		langArticle("tokayev-zh", "zh", "托卡耶夫讲话", "哈萨克斯坦总统托卡耶夫发表讲话。")+
		fillers(4))
	for _, tt := range []struct {
		q    string
		want []string
	}{
		{"Communist Party of China ", []string{"cpc-en", "cpc-zh"}},
		{"Kassym-Jomart Tokayev ", []string{"tokayev-en", "tokayev-zh"}},
	} {
		res := mustSearch(t, x, Query{Text: tt.q, Size: 10})
		got := hitIDs(res)
		slices.Sort(got)
		if !slices.Equal(got, tt.want) || res.TotalAll == nil || *res.TotalAll != uint64(len(tt.want)) {
			t.Errorf("%q: %v, total_all %s; want %v, all with every word", tt.q, got, totalAll(res), tt.want)
		}
	}
}

// TestSearch_oneWordNameSpellings: a surname typed alone finds the name's
// other spellings when the name table has it alone too: Musk found 11
// articles of the news corpora, not the 86 that write Маск, Lula 8, not
// the 121 of 卢拉. Маск stays the name: маска (a mask) is not Musk.
func TestSearch_oneWordNameSpellings(t *testing.T) {
	t.Parallel()
	x := openJSONL(t, article("musk-en", "Tesla", "Musk spoke about Tesla.")+
		langArticle("musk-ru", "ru", "Маск о Tesla", "Илон Маск рассказал о планах.")+
		langArticle("mask", "ru", "Маски", "В магазине продают маски, и маска стоит дешево.")+
		article("lula-en", "Brasilia", "Lula met reporters in Brasilia.")+
		langArticle("lula-zh", "zh", "卢拉会见记者", "巴西总统卢拉会见记者。")+
		langArticle("avd-zh", "zh", "阿夫杰耶夫卡", "俄军宣布控制阿夫杰耶夫卡。")+
		langArticle("avd-ru", "ru", "Авдеевка", "Бои за Авдеевку продолжаются.")+
		fillers(4))
	checkPageHits(t, x, "Musk ", "musk-en", "musk-ru")
	checkPageHits(t, x, "Lula ", "lula-en", "lula-zh")
	// No English article writes Avdiivka; the Chinese and Russian do.
	checkPageHits(t, x, "Avdiivka ", "avd-ru", "avd-zh")
}

// TestSearch_misspeltNameWhileTyping: a capitalised word that no article
// writes, a typo from a name, is the name misspelt even as the last word
// of the box, not a word still being typed: Puttin had found putting, and
// through its stem put, puts first.
func TestSearch_misspeltNameWhileTyping(t *testing.T) {
	t.Parallel()
	x := openJSONL(t, articles("putin", 3, "Kremlin", "Putin spoke in Moscow.")+
		articles("put", 20, "Markets", "Investors are putting money into bonds; the fund puts more aside."))
	res := mustSearch(t, x, Query{Text: "Puttin", Typos: true, Prefix: true})
	if res.Total != 3 {
		t.Errorf("Puttin: %d articles %v, want Putin's 3", res.Total, hitIDs(res))
	}
	// A fragment of no name still completes: Invest finds investors.
	if res := mustSearch(t, x, Query{Text: "Invest", Typos: true, Prefix: true}); res.Total != 20 {
		t.Errorf("Invest: %d articles, want the 20 with investors", res.Total)
	}
	// Completions that begin with the name stay: Brazili is Brazil
	// misspelt or Brazilian being typed.
	y := openJSONL(t, articles("brazil", 3, "Brazil", "Brazil voted.")+
		articles("brazilian", 4, "Real", "The Brazilian real fell.")+fillers(3))
	if got := hitIDs(mustSearch(t, y, Query{Text: "Brazili", Typos: true, Prefix: true, Size: 20})); len(got) != 7 {
		t.Errorf("Brazili: %v, want Brazil's 3 and Brazilian's 4", got)
	}
}

// TestSearch_xiNotBBC: Си, Xi in Russian, is the name written with a
// capital; the си of Би-би-си (BBC) is not: 217 of the 226 Russian
// articles 习近平 found on the news corpora were BBC posts.
func TestSearch_xiNotBBC(t *testing.T) {
	t.Parallel()
	x := openJSONL(t, langArticle("zh-xi", "zh", "会见", "习近平会见外宾。")+
		langArticle("ru-xi", "ru", "Визит", "Си заявил о партнерстве.")+
		langArticle("ru-bbc", "ru", "Главное за неделю", "Главное за неделю от Русской службы Би-би-си.")+
		langArticle("ru-c", "ru", "История", "История C++ до языка Си. Зачем учить язык Си?")+
		langArticle("ru-cj", "ru", "Игры", "Актер, озвучивший Си-Джея, рассказал о съемках.")+
		article("en-xi", "Visit", "Xi met the delegation."))
	for _, q := range []string{"习近平", "Xi", "Си"} {
		checkPageHits(t, x, q, "en-xi", "ru-xi", "zh-xi")
	}
}

// TestSearch_countryNamesAllForms: a country's name finds the articles
// that write only its short form in another script: Russia found no
// Russian post that says only РФ (907 of the news corpora), where Россия,
// through a synonym, did.
func TestSearch_countryNamesAllForms(t *testing.T) {
	t.Parallel()
	x := openJSONL(t, langArticle("ru-rf", "ru", "Бюджет", "Правительство РФ утвердило бюджет.")+
		langArticle("ru-knr", "ru", "Торговля", "Товарооборот с КНР вырос.")+
		langArticle("zh-prc", "zh", "宪法", "中华人民共和国宪法修正案通过。")+
		fillers(4))
	for q, want := range map[string][]string{"Russia": {"ru-rf"}, "俄罗斯": {"ru-rf"}, "China": {"ru-knr", "zh-prc"}, "Китай": {"ru-knr", "zh-prc"}} {
		checkPageHits(t, x, q, want...)
	}
}

// TestSearch_nameInOtherCasesCompletes: a capitalised name that the
// articles write only in other cases is no misspelling: Херсон, written
// Херсоне and Херсона, still completes to the adjective Херсонской.
func TestSearch_nameInOtherCasesCompletes(t *testing.T) {
	t.Parallel()
	x := openJSONL(t, langArticle("ru-1", "ru", "Удар", "Взрывы прогремели в Херсоне.")+
		langArticle("ru-2", "ru", "Эвакуация", "Жителей Херсонской области эвакуируют.")+
		fillers(4))
	checkPageHits(t, x, "Херсон", "ru-1", "ru-2")
}

// TestSearch_compoundNextToChinese: a designation Chinese writes with no
// space around it (损失一架F-16战机) is found by F-16, by F-16战机 quoted or
// not, and with another word: unquoted, F-16战机 found none of the 24
// articles of the news corpora that write it, once the index joined f16.
func TestSearch_compoundNextToChinese(t *testing.T) {
	t.Parallel()
	x := openJSONL(t, langArticle("zh-f16", "zh", "乌克兰", "乌称遭俄大规模袭击损失一架F-16战机。")+
		langArticle("zh-other", "zh", "战机", "一架战机降落。")+
		article("en-f16", "Jets", "Ukraine received F-16 jets.")+
		fillers(4))
	for q, want := range map[string][]string{
		"F-16":       {"en-f16", "zh-f16"},
		"F-16战机":     {"zh-f16"},
		`"F-16战机"`:   {"zh-f16"},
		"F-16战机 乌克兰": {"zh-f16"},
		"F16":        {"en-f16", "zh-f16"},
		`"一架F-16战机"`: {"zh-f16"},
	} {
		res := mustSearch(t, x, Query{Text: q, Typos: true, Match: MatchAll})
		got := hitIDs(res)
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("%s: %v, want %v", q, got, want)
		}
	}
}

// TestSearch_nameWordTakesNoTypos: the first word of a name the tables
// know, typed capitalised, is that word, not another name misspelt:
// Сирил (of Сирил Рамафоса), in 2 Russian articles of the news corpora,
// had found 473 on Syria (Сирия) by a typo.
func TestSearch_nameWordTakesNoTypos(t *testing.T) {
	t.Parallel()
	x := openJSONL(t, langArticle("ru-cyril", "ru", "ЮАР", "Президент Сирил Рамафоса выступил.")+
		langArticle("ru-syria", "ru", "Сирия", "В Сирии прошли выборы. Сирия и Турция.")+
		langArticle("ru-syria2", "ru", "Дамаск", "Сирия объявила перемирие.")+
		langArticle("ru-syria3", "ru", "Алеппо", "Сирия восстанавливает Алеппо.")+
		fillers(4))
	checkPageHits(t, x, "Сирил", "ru-cyril")
}
