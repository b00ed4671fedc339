package index

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestSuggest(t *testing.T) {
	t.Parallel()
	x := openFixture(t)
	tests := []struct {
		text string
		size int
		want Suggestions
	}{
		{"", 0, Suggestions{}},
		{"Minnik", 0, Suggestions{Completions: []Completion{{Text: "minnikhanov", Count: 1, Query: "Minnikhanov"}}}},
		// A name is completed as the gazetteer writes it; a word in the
		// case typed.
		{"rustam MINNIK", 0, Suggestions{Completions: []Completion{{Text: "minnikhanov", Count: 1, Query: "Rustam Minnikhanov"}}}},
		{"ЗАТРАГ", 0, Suggestions{Completions: []Completion{{Text: "затрагивает", Count: 1, Query: "ЗАТРАГИВАЕТ"}}}},
		// Cyrillic, one form per index term: затрагивают is затрагивает's.
		{"затраг", 0, Suggestions{Completions: []Completion{{Text: "затрагивает", Count: 1, Query: "затрагивает"}}}},
		{"затраг", 1, Suggestions{Completions: []Completion{{Text: "затрагивает", Count: 1, Query: "затрагивает"}}}},
		// Chinese: the last character completes to the vocabulary's bigrams,
		// those that follow the characters typed before it: 中俄关系, not
		// 中俄关工 or 中俄关心 (zh-single has 有关工作, 关心).
		{"普", 0, Suggestions{Completions: []Completion{{Text: "普京", Count: 1, Query: "普京"}}}},
		{"中俄关", 2, Suggestions{Completions: []Completion{{Text: "关系", Count: 1, Query: "中俄关系"}}}},
		// A finished word is not completed; a stop word is never offered.
		{"Minnik ", 0, Suggestions{}},
		{"th", 0, Suggestions{}},
		// Did you mean, keeping the typed capitalisation and the rest of the text.
		{"Shoigo", 0, Suggestions{Corrections: []Correction{{Query: "Shoigu", Changes: []Change{{From: "Shoigo", To: "Shoigu"}}}}}},
		{"SHOIGO in Beijing ", 0, Suggestions{Corrections: []Correction{{Query: "SHOIGU in Beijing ", Changes: []Change{{From: "SHOIGO", To: "SHOIGU"}}}}}},
		{"предпологают", 0, Suggestions{Corrections: []Correction{{Query: "предполагают", Changes: []Change{{From: "предпологают", To: "предполагают"}}}}}},
		// Two misspelt words; runners-up for the first.
		{`"Shoigo" -Pekan `, 0, Suggestions{Corrections: []Correction{
			{Query: `"Shoigu" -Peking `, Changes: []Change{{From: "Shoigo", To: "Shoigu"}, {From: "Pekan", To: "Peking"}}}}}},
		// A word the articles write only otherwise is found as typed, so
		// it is not misspelt: Pekin is Пекин's transliteration (see
		// TestSuggest_nameWrittenOtherwise).
		{`"Shoigo" -Pekin `, 0, Suggestions{Corrections: []Correction{
			{Query: `"Shoigu" -Pekin `, Changes: []Change{{From: "Shoigo", To: "Shoigu"}}}}}},
		// Being typed, Pekin is the start of a name, Peking (the group
		// of Beijing, Пекин, 北京): completed, not corrected.
		{`"Shoigo" -Pekin`, 0, Suggestions{
			Completions: []Completion{{Text: "peking", Count: 2, Query: `"Shoigo" -Peking`}},
			Corrections: []Correction{{Query: `"Shoigu" -Pekin`, Changes: []Change{{From: "Shoigo", To: "Shoigu"}}}}}},
		// Names complete before the vocabulary's words, as the gazetteer
		// or the name table writes them, when the index has them: counted
		// as the entity facet counts them, or estimated from the name
		// table's spellings (Wang Yi is in the name table only).
		{"Xi Jin", 0, Suggestions{Completions: []Completion{{Text: "jinping", Count: 3, Query: "Xi Jinping"}}}},
		{"wang y", 0, Suggestions{Completions: []Completion{{Text: "yi", Count: 1, Query: "Wang Yi"}}}},
		// Rubio | Рубио | 鲁比奥: no article has any of them.
		{"Rubi", 0, Suggestions{}},
		// A word being typed that completes is not a misspelling. After
		// other words, a completion is counted with them.
		{"forum Minnikh", 0, Suggestions{Completions: []Completion{{Text: "minnikhanov", Count: 1, Query: "forum Minnikhanov"}}}},
		// No article has Shoigu with Minnikhanov: not offered, and not a
		// misspelling either.
		{"Shoigu Minnikh", 0, Suggestions{}},
		// Words after title: complete and correct, keeping it.
		{"title:Minnik", 0, Suggestions{Completions: []Completion{{Text: "minnikhanov", Count: 1, Query: "title:Minnikhanov"}}}},
		{"-intitle:Shoigo ", 0, Suggestions{Corrections: []Correction{{Query: "-intitle:Shoigu ", Changes: []Change{{From: "Shoigo", To: "Shoigu"}}}}}},
		// Known words get no corrections.
		{"Putin cooperation ", 0, Suggestions{}},
	}
	for _, tt := range tests {
		got, err := x.Suggest(context.Background(), SuggestQuery{Text: tt.text, Size: tt.size})
		if err != nil {
			t.Fatalf("%q: %v", tt.text, err)
		}
		if diff := cmp.Diff(tt.want, got, cmpopts.EquateEmpty(), cmpopts.IgnoreFields(Suggestions{}, "Took")); diff != "" {
			t.Errorf("Suggest(%q) (-want +got):\n%s", tt.text, diff)
		}
	}
}

func TestSuggest_invalid(t *testing.T) {
	t.Parallel()
	x := openFixture(t)
	for _, q := range []SuggestQuery{
		{Text: "\xff"},
		{Text: strings.Repeat("a", MaxQueryRunes+1)},
		{Text: "a", Size: MaxSuggestions + 1},
		{Text: "a", Size: -1},
	} {
		if _, err := x.Suggest(context.Background(), q); !errors.Is(err, ErrInvalidQuery) {
			t.Errorf("%+v: err = %v, want ErrInvalidQuery", q, err)
		}
	}
}

func TestMatchCase(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ typed, word, want string }{
		{"shoigo", "shoigu", "shoigu"},
		{"Shoigo", "shoigu", "Shoigu"},
		{"SHOIGO", "shoigu", "SHOIGU"},
		{"S", "shoigu", "Shoigu"},
		{"Москв", "москва", "Москва"},
		{"普", "普京", "普京"},
	} {
		if got := matchCase(tt.typed, tt.word); got != tt.want {
			t.Errorf("matchCase(%q, %q) = %q, want %q", tt.typed, tt.word, got, tt.want)
		}
	}
}

func TestHighlightArticle(t *testing.T) {
	t.Parallel()
	x := openFixture(t)
	tests := []struct {
		id, q           string
		typos, prefix   bool
		wantTitle, body string // body: a substring
	}{
		{"en-summit", "Putin", false, false, "<mark>Putin</mark> and Xi reaffirm strategic partnership",
			"Vladimir <mark>Putin</mark> held"},
		// The whole body, line breaks kept.
		{"en-summit", "partnership", false, false, "Putin and Xi reaffirm strategic <mark>partnership</mark>",
			"trade.\n\nPutin said the <mark>partnership</mark>"},
		{"en-shoigu", "Shoigo", true, false, "<mark>Shoigu</mark> meets Wang Yi in Beijing", "Sergei <mark>Shoigu</mark> met"},
		{"en-shoigu", "Shoigo", false, false, "Shoigu meets Wang Yi in Beijing", "Sergei Shoigu met"},
		{"en-undated", "Minnik", false, true, "<mark>Minnikhanov</mark> visits the ROSSTKI forum", "Rustam <mark>Minnikhanov</mark>"},
		{"ru-moscow", "ёлка", false, false, "Москва принимает делегацию", "посетила <mark>ёлку</mark>"},
		// Everything is escaped; only <mark> is added.
		{"en-xss", "never", false, false, "&lt;script&gt;window.__pwned=1&lt;/script&gt; Alert &lt;img src=x onerror=&#34;window.__pwned=1&#34;&gt;",
			"the scripts must <mark>never</mark> run &amp; ampersands"},
		// A query the article does not match, and none at all: nothing marked.
		{"en-summit", "Минниханов", false, false, "Putin and Xi reaffirm strategic partnership", "Vladimir Putin held"},
		{"en-summit", "", false, false, "Putin and Xi reaffirm strategic partnership", "Vladimir Putin held"},
		// Exclusions mark nothing.
		{"en-summit", "-Putin Xi", false, false, "Putin and <mark>Xi</mark> reaffirm strategic partnership", "President <mark>Xi</mark> Jinping"},
	}
	for _, tt := range tests {
		a, hl, err := x.HighlightArticle(context.Background(), tt.id, Query{Text: tt.q, Typos: tt.typos, Prefix: tt.prefix})
		if err != nil {
			t.Fatalf("%s %q: %v", tt.id, tt.q, err)
		}
		if a.ID != tt.id || a.Body == "" {
			t.Errorf("%s %q: article %+v", tt.id, tt.q, a)
		}
		if hl.Title != tt.wantTitle {
			t.Errorf("%s %q: title\n got %q\nwant %q", tt.id, tt.q, hl.Title, tt.wantTitle)
		}
		if !strings.Contains(hl.Body, tt.body) {
			t.Errorf("%s %q: body lacks %q:\n%s", tt.id, tt.q, tt.body, hl.Body)
		}
		if strings.Count(hl.Body, "\n") != strings.Count(a.Body, "\n") {
			t.Errorf("%s %q: line breaks not kept", tt.id, tt.q)
		}
		if len(hl.Matches["title"]) != strings.Count(hl.Title, "<mark>") {
			t.Errorf("%s %q: %d title matches for %q", tt.id, tt.q, len(hl.Matches["title"]), hl.Title)
		}
	}
	if _, _, err := x.HighlightArticle(context.Background(), "nope", Query{Text: "Putin"}); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing article: err = %v", err)
	}
	if _, _, err := x.HighlightArticle(context.Background(), "en-summit", Query{Text: "\xff"}); !errors.Is(err, ErrInvalidQuery) {
		t.Errorf("invalid query: err = %v", err)
	}
}

// TestSuggest_deletedArticle: a word only a deleted article had is
// neither completed nor offered as a correction, though the vocabulary
// still counts it until the next build.
func TestSuggest_deletedArticle(t *testing.T) {
	t.Parallel()
	x := openFixture(t)
	ctx := context.Background()
	suggest := func(text string) Suggestions {
		t.Helper()
		got, err := x.Suggest(ctx, SuggestQuery{Text: text})
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	offered := func(s Suggestions, word string) bool {
		for _, c := range s.Completions {
			if c.Text == word {
				return true
			}
		}
		for _, c := range s.Corrections {
			if strings.Contains(strings.ToLower(c.Query), word) {
				return true
			}
		}
		return false
	}
	for _, text := range []string{"Minnik", "Minnikhanof"} {
		if !offered(suggest(text), "minnikhanov") {
			t.Fatalf("Suggest(%q) does not offer minnikhanov before the delete: %+v", text, suggest(text))
		}
	}
	if err := x.Delete(ctx, "en-undated"); err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{"Minnik", "Minnikhanof"} {
		if got := suggest(text); offered(got, "minnikhanov") {
			t.Errorf("Suggest(%q) offers minnikhanov, whose only article is deleted: %+v", text, got)
		}
	}
	// A word written and then deleted in a segment goes the same way.
	mustAdd(t, x, Article{ID: "sugg-1", Title: "Zyxwvutsr report", Body: "Zyxwvutsr spoke.", Source: "Wire", Lang: "en"})
	if !offered(suggest("Zyxwv"), "zyxwvutsr") {
		t.Fatal("a written word is not completed")
	}
	if err := x.Delete(ctx, "sugg-1"); err != nil {
		t.Fatal(err)
	}
	if got := suggest("Zyxwv"); offered(got, "zyxwvutsr") {
		t.Errorf("Suggest(Zyxwv) offers a deleted article's word: %+v", got)
	}
}

// TestSuggest_chineseContext: a Chinese completion follows the characters
// typed before the last one, and counts the articles that hold the
// completed characters together, not the bigram alone.
func TestSuggest_chineseContext(t *testing.T) {
	t.Parallel()
	// 斯坦 (of 哈萨克斯坦, 巴基斯坦) is the commonest bigram of 斯, and one
	// article holds 俄罗斯 and 哈萨克斯坦 apart: 俄罗斯坦 is in no article.
	x := openJSONL(t, articles("kz", 4, "哈萨克斯坦新闻", "哈萨克斯坦和巴基斯坦举行会谈。")+
		article("ru-kz", "俄罗斯和哈萨克斯坦", "俄罗斯和哈萨克斯坦签署协议。")+
		articles("pres", 2, "俄罗斯总统讲话", "俄罗斯总统发表讲话。")+
		article("state", "俄罗斯国家杜马", "俄罗斯国家杜马通过法案。"))
	tests := []struct {
		text string
		want []Completion
	}{
		// One character: the bigrams, by the articles holding each, but
		// for a function character added alone (俄罗斯和: "Russia and").
		{"斯", []Completion{{Text: "斯坦", Count: 5, Query: "斯坦"}, {Text: "斯总", Count: 2, Query: "斯总"},
			{Text: "斯国", Count: 1, Query: "斯国"}}},
		{"俄罗斯", []Completion{{Text: "斯总", Count: 2, Query: "俄罗斯总"}, {Text: "斯国", Count: 1, Query: "俄罗斯国"}}},
		// Only the last characters of a long run count: 讲话俄罗斯 is in no
		// article, 俄罗斯总 is.
		{"讲话俄罗斯", []Completion{{Text: "斯总", Count: 2, Query: "讲话俄罗斯总"}, {Text: "斯国", Count: 1, Query: "讲话俄罗斯国"}}},
		// Text before the run does not take part.
		{"Putin 俄罗斯", []Completion{{Text: "斯总", Count: 2, Query: "Putin 俄罗斯总"}, {Text: "斯国", Count: 1, Query: "Putin 俄罗斯国"}}},
		// Nothing follows 坦新 but 坦新闻's 闻.
		{"坦新", []Completion{{Text: "新闻", Count: 4, Query: "坦新闻"}}},
	}
	for _, tt := range tests {
		checkCompletions(t, x, tt.text, tt.want)
	}
	// The counts are those of the live articles: a deleted article's
	// 俄罗斯国家 is no longer offered, though the remembered answer was.
	if err := x.Delete(context.Background(), "state"); err != nil {
		t.Fatal(err)
	}
	got, err := x.Suggest(context.Background(), SuggestQuery{Text: "俄罗斯"})
	if err != nil {
		t.Fatal(err)
	}
	want := []Completion{{Text: "斯总", Count: 2, Query: "俄罗斯总"}}
	if diff := cmp.Diff(want, got.Completions); diff != "" {
		t.Errorf("after deleting 俄罗斯国家, Suggest(俄罗斯).Completions (-want +got):\n%s", diff)
	}
}

// TestSuggest_oneFormPerTerm: a completion is offered once per index term,
// in its commonest form, since a search matches every form of a term; the
// forms of a typed word that is itself a word are not offered.
func TestSuggest_oneFormPerTerm(t *testing.T) {
	t.Parallel()
	x := openJSONL(t, articles("a", 11, "Встреча в Москве", "Переговоры прошли в Москве, заявил министр.")+
		articles("b", 2, "Поездка", "Делегация приехала в Москву. Они заявили о планах.")+
		article("c", "Погода", "Жители Москвы могут ждать снега.")+
		articles("d", 2, "Trade", "Cooperation between the two countries grew.")+
		article("e", "Banks", "A cooperative bank opened."))
	tests := []struct {
		text string
		want []Completion
	}{
		{"Мо", []Completion{{Text: "москве", Count: 11, Query: "Москве"}, {Text: "могут", Count: 1, Query: "Могут"}}},
		{"заявил", nil}, // заявили is one of its forms
		{"cooperat", []Completion{{Text: "cooperation", Count: 2, Query: "cooperation"}}},
	}
	for _, tt := range tests {
		checkCompletions(t, x, tt.text, tt.want)
	}
	// Nor is a commoner form of a typed word a correction: Москвы is one
	// typo from Москве and eleven times rarer, but their term is the same.
	checkNoCorrections(t, x, "Москвы ")
}

// checkNoCorrections checks that x offers no correction of each text.
func checkNoCorrections(t *testing.T, x *Index, texts ...string) {
	t.Helper()
	for _, text := range texts {
		if got := mustSuggest(t, x, text); len(got.Corrections) > 0 {
			t.Errorf("Suggest(%q) corrects it to %+v", text, got.Corrections)
		}
	}
}

// TestSuggest_acronymTypedWhole: an acronym the articles use or the name
// table knows, typed in capitals, is not completed to a longer word (OPEC
// offered OPECNA on the news corpora, SCO Scotland); lower case it is a
// prefix like any other (ope), and capitals that are no word (NAT) still
// complete (NATO). Capitals that are a word complete only to the name
// table's acronyms: NAT, which 5 articles of the news corpora write, had
// offered National People's Congress and not NATO (611).
func TestSuggest_acronymTypedWhole(t *testing.T) {
	t.Parallel()
	x := openJSONL(t, articles("opec", 4, "OPEC meets", "OPEC ministers met in Vienna.")+
		articles("opecna", 2, "OPECNA", "The OPECNA group met.")+
		articles("nato", 3, "NATO summit", "NATO leaders met in Brussels.")+
		articles("scot", 3, "Scotland", "Scotland voted on Thursday."))
	checkCompletions(t, x, "OPEC", nil)
	checkCompletions(t, x, "SCO", nil)
	checkCompletions(t, x, "ope", []Completion{{Text: "opec", Count: 4, Query: "opec"}, {Text: "opecna", Count: 2, Query: "opecna"}})
	checkCompletions(t, x, "Sco", []Completion{{Text: "scotland", Count: 3, Query: "Scotland"}})
	checkCompletions(t, x, "NAT", []Completion{{Text: "nato", Count: 3, Query: "NATO"}})

	y := openJSONL(t, articles("nato", 12, "NATO summit", "NATO leaders met in Brussels.")+
		articles("nat", 4, "Routers", "NAT traversal on home routers.")+
		articles("national", 20, "National news", "The national team won."))
	checkCompletions(t, y, "NAT", []Completion{{Text: "nato", Count: 12, Query: "NATO"}})
}

// checkCompletions checks x's completions of text.
func checkCompletions(t *testing.T, x *Index, text string, want []Completion) {
	t.Helper()
	got, err := x.Suggest(context.Background(), SuggestQuery{Text: text})
	if err != nil {
		t.Fatalf("%q: %v", text, err)
	}
	if diff := cmp.Diff(want, got.Completions, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("Suggest(%q).Completions (-want +got):\n%s", text, diff)
	}
}

// TestSuggest_chineseWordEnd: a Chinese completion takes the characters
// that nearly all its articles have next (上海合 becomes 上海合作组织),
// and stops where they part (峰会 or 成员国) or when few articles hold it.
func TestSuggest_chineseWordEnd(t *testing.T) {
	t.Parallel()
	x := openJSONL(t, articles("summit", 6, "上海合作组织峰会", "上海合作组织峰会开幕。")+
		articles("members", 6, "成员国会议", "上海合作组织成员国举行会议。")+
		article("choir", "上海合唱团", "上海合唱团演出。")+
		articles("rare", 3, "金砖国家", "金砖国家领导人会晤。"))
	checkCompletions(t, x, "上海合", []Completion{
		{Text: "合作组织", Count: 12, Query: "上海合作组织"},
		{Text: "合唱", Count: 1, Query: "上海合唱"},
	})
	// Three articles are too few to say where a word ends.
	checkCompletions(t, x, "金砖", []Completion{{Text: "砖国", Count: 3, Query: "金砖国"}})
}

// TestSuggest_chineseRare: a Chinese completion a hundred times rarer than
// the first is left out (这一带雨: "rain in this area", not a word).
func TestSuggest_chineseRare(t *testing.T) {
	t.Parallel()
	x := openJSONL(t, articles("road", 120, "倡议", "一带一路倡议。")+
		article("rain", "天气", "这一带雨很大。"))
	checkCompletions(t, x, "一带", []Completion{{Text: "带一路倡议", Count: 120, Query: "一带一路倡议"}})
}

// TestSuggest_capitalisedKnownWord: a word the articles use, typed with a
// capital, is a name: Wang is not corrected to the commoner "want" (Wang
// Yi had "Did you mean Want Yi?"). In lower case it still is, when "want"
// is ten times as common.
// TestSuggest_nameWrittenOtherwise: a name that the articles write only
// in another script is no misspelling, since a search finds it as typed:
// on English articles that write Putin, Путин is not offered Пекин (a
// name two letters away whose group, Beijing, the articles have). A
// misspelt name is offered the nearest names first: Pekin, which no
// article writes in any script here, is Peking before Putin.
func TestSuggest_nameWrittenOtherwise(t *testing.T) {
	t.Parallel()
	x := openJSONL(t, articles("en", 3, "Talks", "Putin met Xi in Beijing."))
	for _, text := range []string{"Путин Xi ", "Путин Xi", "путин ", "ПУТИН"} {
		sug, err := x.Suggest(context.Background(), SuggestQuery{Text: text})
		if err != nil {
			t.Fatal(err)
		}
		if len(sug.Corrections) > 0 {
			t.Errorf("corrections of %q: %+v, want none", text, sug.Corrections)
		}
		res, err := x.Search(context.Background(), Query{Text: strings.TrimSpace(text), Typos: true})
		if err != nil {
			t.Fatal(err)
		}
		if res.Total != 3 {
			t.Errorf("%q finds %d articles, want the 3 that write Putin", text, res.Total)
		}
	}
	if got := correctionQueries(t, x, "Pekin "); len(got) == 0 || got[0] != "Peking " {
		t.Errorf("corrections of Pekin: %q, want Peking first", got)
	}
}

// TestSuggest_shortNameWord: a word shorter than minNameFragment
// completes no names as a fragment (Pu is no start of Putin's name), but
// typed capitalised it completes the names it is a whole word of: Xi
// offers Xi Jinping before the vocabulary's Xiang.
func TestSuggest_shortNameWord(t *testing.T) {
	t.Parallel()
	x := openJSONL(t, articles("xi", 3, "Talks", "Xi Jinping met Vladimir Putin.")+
		articles("xiang", 2, "Trade", "Xiang province exports grew.")+
		articles("xinhua", 1, "Trade", "Exports grew, Xinhua reported."))
	completions := func(text string) []Completion {
		t.Helper()
		sug, err := x.Suggest(context.Background(), SuggestQuery{Text: text})
		if err != nil {
			t.Fatal(err)
		}
		return sug.Completions
	}
	if got, want := completions("Putin Xi"), (Completion{Text: "xi jinping", Count: 3, Query: "Putin Xi Jinping"}); len(got) == 0 || got[0] != want {
		t.Errorf("Putin Xi: completions %+v, want %+v first", got, want)
	}
	// Xi starts no name but Xi Jinping's: Xinhua comes as a word, after
	// the commoner Xiang, not as a name before it. Lower case, in capitals (an
	// acronym) or a fragment, a short word completes no names.
	want := []Completion{{Text: "xi jinping", Count: 3, Query: "Xi Jinping"}, {Text: "xiang", Count: 2, Query: "Xiang"}, {Text: "xinhua", Count: 1, Query: "Xinhua"}}
	if got := completions("Xi"); !slices.Equal(got, want) {
		t.Errorf("Xi: completions %+v, want %+v", got, want)
	}
	for _, text := range []string{"xi", "XI", "Pu"} {
		for _, c := range completions(text) {
			if strings.Contains(c.Query, " ") {
				t.Errorf("%s: completion %+v, a name", text, c)
			}
		}
	}
}

// correctionQueries returns the queries of x's corrections of text.
func correctionQueries(t *testing.T, x *Index, text string) []string {
	t.Helper()
	var out []string
	for _, c := range mustSuggest(t, x, text).Corrections {
		out = append(out, c.Query)
	}
	return out
}

// completionQueries returns the queries of x's completions of text.
func completionQueries(t *testing.T, x *Index, text string) []string {
	t.Helper()
	var out []string
	for _, c := range mustSuggest(t, x, text).Completions {
		out = append(out, c.Query)
	}
	return out
}

// mustSuggest returns x's suggestions for text, failing the test on an
// error.
func mustSuggest(t *testing.T, x *Index, text string) Suggestions {
	t.Helper()
	sug, err := x.Suggest(context.Background(), SuggestQuery{Text: text})
	if err != nil {
		t.Fatal(err)
	}
	return sug
}

func TestSuggest_capitalisedKnownWord(t *testing.T) {
	t.Parallel()
	x := openJSONL(t, articles("wang", 3, "Deal", "Wang Laboratories signed a deal.")+
		articles("want", 40, "Survey", "Most people want lower prices."))
	if got := correctionQueries(t, x, "Wang deal "); len(got) > 0 {
		t.Errorf("corrections of Wang deal: %q, want none", got)
	}
	if got := correctionQueries(t, x, "wang deal "); !slices.Contains(got, "want deal ") {
		t.Errorf("corrections of wang deal: %q, want want deal", got)
	}
}

// TestSuggest_nameInOtherScripts: a name completes when only its other
// spellings are in the index, counted by them: Xi Jin offers Xi Jinping
// where the articles write Си Цзиньпин and 习近平 (the English ones of the
// news corpora predate him), in all three, and Power of S the pipeline
// whose only article writes 西伯利亚力量. Сергей Лав completes to the
// gazetteer's Cyrillic spelling of Sergei Lavrov.
func TestSuggest_nameInOtherScripts(t *testing.T) {
	t.Parallel()
	x := openJSONL(t, langArticle("zh-xi1", "zh", "会见", "习近平会见普京。")+
		langArticle("zh-xi2", "zh", "会谈", "习近平同普京会谈。")+
		langArticle("ru-xi", "ru", "Встреча", "Си Цзиньпин встретился с Путиным.")+
		langArticle("ru-lavrov", "ru", "Переговоры", "Министр Сергей Лавров провёл переговоры.")+
		langArticle("zh-pipe", "zh", "管道", "西伯利亚力量管道输气。")+
		articles("year", 4, "Outlook", "The year ahead looks strong in Jinan, prices rise.")+
		article("en-putin", "Talks", "Vladimir Putin spoke."))
	first := func(text string) Completion {
		t.Helper()
		sug, err := x.Suggest(context.Background(), SuggestQuery{Text: text})
		if err != nil {
			t.Fatal(err)
		}
		if len(sug.Completions) == 0 {
			t.Fatalf("%q: no completions", text)
		}
		return sug.Completions[0]
	}
	if got, want := first("Xi Jin"), (Completion{Text: "jinping", Count: 3, Query: "Xi Jinping"}); got != want {
		t.Errorf("Xi Jin: first completion %+v, want %+v", got, want)
	}
	if got := first("Power of S"); got.Query != "Power of Siberia" || got.Count != 1 {
		t.Errorf("Power of S: first completion %+v, want Power of Siberia, 1 article", got)
	}
	if got, want := first("Сергей Лав"), (Completion{Text: "лавров", Count: 1, Query: "Сергей Лавров"}); got != want {
		t.Errorf("Сергей Лав: first completion %+v, want %+v", got, want)
	}
	// The gazetteer's names before commoner words, counted by the
	// facet: Путиным and 普京 are Vladimir Putin too.
	if got, want := first("Vladimir P"), (Completion{Text: "putin", Count: 4, Query: "Vladimir Putin"}); got != want {
		t.Errorf("Vladimir P: first completion %+v, want %+v", got, want)
	}
}

// TestSuggest_inContext: after other words, a completion is offered only
// when some article has it with them, counted so and ranked by that
// count. Lavrov Wang Yi offered Lavrov Wang Yield on the news corpora
// (359 articles have yield, none with Lavrov and Wang).
func TestSuggest_inContext(t *testing.T) {
	t.Parallel()
	x := openJSONL(t, articles("bond", 4, "Bonds", "The bond yield rose as yields climbed.")+
		articles("film", 2, "Film", "Director Yilin spoke at the festival.")+
		article("mixed", "Markets", "The festival saw the bond yield fall.")+
		article("lavrov", "Talks", "Sergei Lavrov met Wang Yi in Moscow.")+
		articles("putin", 12, "Summit", "Trump and Putin spoke.")+
		article("typo", "Summit", "Trump called Puting."))
	checkQueryCounts(t, x, []completionCase{
		// Alone, the vocabulary's words, commonest first.
		{"yi", []sug{{"yield", 5}, {"yilin", 2}}},
		// The name is typed whole: nothing completes it that the
		// articles have with Lavrov.
		{"Lavrov Wang Yi", nil},
		{"Lavrov Wang Y", []sug{{"Lavrov Wang Yi", 1}}},
		{"bond yi", []sug{{"bond yield", 5}}},
		// Counted with festival: Yilin first.
		{"festival yi", []sug{{"festival yilin", 2}, {"festival yield", 1}}},
		// A context no article has, or none to search, says nothing.
		{"xyzzy yi", []sug{{"xyzzy yield", 5}, {"xyzzy yilin", 2}}},
		{"the yi", []sug{{"the yield", 5}, {"the yilin", 2}}},
		// A rare misspelling in the vocabulary (puting, in 1 article)
		// would be counted as the word its typo finds: not offered.
		{"trump puti", []sug{{"trump Putin", 12}}},
	})
	// A count in context is what the completion's search finds with
	// every word.
	for _, text := range []string{"Lavrov Wang Y", "bond yi", "festival yi", "trump puti"} {
		for _, c := range mustSuggest(t, x, text).Completions {
			res, err := x.Search(context.Background(), Query{Text: c.Query, Typos: true, Match: MatchAll})
			if err != nil {
				t.Fatal(err)
			}
			if res.Total != uint64(c.Count) {
				t.Errorf("%q: count %d, but the search finds %d with every word", c.Query, c.Count, res.Total)
			}
		}
	}
}

// TestSuggest_compound: the word typed after a hyphen completes the
// compounds the articles write, counted by the articles that have its two
// words together, however they write them: Coca-C offered Coca-Company
// and Coca-Corp, words that C begins. A joined word that two words begin
// but no article writes apart is no compound (e-m: employment), and with
// no compound found the word's own completions stand.
func TestSuggest_compound(t *testing.T) {
	t.Parallel()
	x := openJSONL(t, articles("company", 3, "Company", "The company and its corporation reported.")+
		article("hyphen", "Drinks", "Coca-Cola sold more drinks.")+
		article("apart", "Bottler", "A Coca Cola bottler opened.")+
		article("joined", "Ads", "CocaCola ads ran.")+
		article("mail", "Post", "An e-mail arrived.")+
		articles("jobs", 2, "Jobs", "Employment rose.")+
		article("tokayev", "Astana", "President Kassym-Jomart Tokayev spoke."))
	// A name with a compound completes while the compound is typed.
	for _, text := range []string{"Kassym-J", "Kassym-Jomart T"} {
		if c := mustSuggest(t, x, text).Completions; len(c) == 0 || c[0].Query != "Kassym-Jomart Tokayev" {
			t.Errorf("%q: completions %v, want Kassym-Jomart Tokayev first", text, c)
		}
	}
	checkQueryCounts(t, x, []completionCase{
		{"Coca-C", []sug{{"Coca-Cola", 2}}},
		{"coca-co", []sug{{"coca-cola", 2}}},
		{"e-m", []sug{{"e-mail", 1}}},
		{"Coca-Cola", nil},
		// No compound: the word's completions, as before.
		{"drinks-cor", []sug{{"drinks-corporation", 3}}},
	})
}

// TestSuggest_hyphenatedCyrillic: after a hyphen in a word of another
// script than ASCII, the word being typed completes to the compounds the
// articles write, counted as such: Санкт-П had offered Санкт-Подписывайся
// (the commonest word starting п), Ростов-на-Д Ростов-на-Данным.
func TestSuggest_hyphenatedCyrillic(t *testing.T) {
	t.Parallel()
	x := openJSONL(t, articles("spb", 2, "Город", "В Санкт-Петербурге открыли мост.")+
		articles("subscribe", 5, "Канал", "Подписывайся на канал, пока не поздно.")+
		langArticle("rostov", "ru", "Юг", "В Ростове-на-Дону прошел дождь.")+
		articles("data", 4, "Данные", "По данным ведомства, день прошел спокойно."))
	checkQueryCounts(t, x, []completionCase{
		{"Санкт-П", []sug{{"Санкт-Петербург", 2}}},
		{"Ростове-на-Д", []sug{{"Ростове-на-Дону", 1}}},
		{"Санкт-Я", nil},
		// The compound typed whole is not offered again, nor in its
		// other forms.
		{"Санкт-Петербург", nil},
	})
}

// TestSuggest_lowerCaseFragmentNames: a name that only a lower-case
// fragment begins ranks among the words by its count, as the fragment is
// as likely a word's start: oil pri offered Prigozhin (3 articles) before
// price (2,066) on the news corpora. Capitalised, or after a word of the
// name, the fragment completes names first.
func TestSuggest_lowerCaseFragmentNames(t *testing.T) {
	t.Parallel()
	x := openJSONL(t, articles("price", 5, "Oil", "The oil price rose again.")+
		articles("prigozhin", 1, "Wagner", "Yevgeny Prigozhin spoke of the oil price."))
	for _, tt := range []struct {
		text string
		want []string
	}{
		{"oil pri", []string{"oil price", "oil Prigozhin"}},
		{"oil Pri", []string{"oil Prigozhin", "oil Price"}},
		{"Yevgeny pri", []string{"Yevgeny Prigozhin", "Yevgeny price"}},
	} {
		if got := completionQueries(t, x, tt.text); !slices.Equal(got, tt.want) {
			t.Errorf("%q: completions %q, want %q", tt.text, got, tt.want)
		}
	}
}

// TestSuggest_wordTypedWhole: a last word the articles use completes only
// to commoner words, as the search takes it: death does not offer
// deathmatch, trade still offers traders.
func TestSuggest_wordTypedWhole(t *testing.T) {
	t.Parallel()
	x := openJSONL(t, articles("death", 4, "Death toll rises", "The death toll rose.")+
		articles("deathmatch", 2, "Deathmatch", "The deathmatch was streamed.")+
		articles("trade", 3, "Trade talks", "Trade talks resumed.")+
		articles("traders", 5, "Traders wait", "Traders waited for the data."))
	checkCompletions(t, x, "Navalny death", nil)
	checkCompletions(t, x, "trade", []Completion{{Text: "traders", Count: 5, Query: "traders"}})
	checkCompletions(t, x, "deat", []Completion{{Text: "death", Count: 4, Query: "death"}, {Text: "deathmatch", Count: 2, Query: "deathmatch"}})

	// A word is known by its articles in all its forms, as the search
	// matches them: танкер, typed in one article and in three more in
	// another case, offers nothing rarer, and finds nothing rarer.
	x = openJSONL(t, article("tanker", "Порт", "В порт зашёл танкер.")+
		articles("tankers", 3, "Флот", "Санкции против танкеров.")+
		article("adjective", "Флот", "Нефть танкерного флота."))
	checkCompletions(t, x, "танкер", nil)
	if got := hitIDs(mustSearch(t, x, Query{Text: "танкер", Prefix: true, Size: 10})); slices.Contains(got, "adjective") {
		t.Errorf("танкер, prefixes on: %v, want no танкерного", got)
	}
}

// TestSuggest_nameAndWordOnce: a name and a vocabulary word that search
// the same terms are offered once, the name first: Москв offered the name
// Москва and the word москве.
func TestSuggest_nameAndWordOnce(t *testing.T) {
	t.Parallel()
	x := openJSONL(t, articles("moscow", 3, "Новости", "В Москве прошел саммит.")+
		articles("moscow-nom", 2, "Москва", "Москва встречает гостей."))
	sug, err := x.Suggest(context.Background(), SuggestQuery{Text: "Москв"})
	if err != nil {
		t.Fatal(err)
	}
	if len(sug.Completions) != 1 || sug.Completions[0].Query != "Москва" {
		t.Errorf("Москв: completions %+v, want Москва once", sug.Completions)
	}
}

// sug is a completion's query and count.
type sug struct {
	Query string
	Count int
}

// completionCase is a text and the completions it should get.
type completionCase struct {
	text string
	want []sug
}

// checkQueryCounts fails t for each case whose text gets other
// completions (queries and counts) than it wants, or in another order.
func checkQueryCounts(t *testing.T, x *Index, cases []completionCase) {
	t.Helper()
	for _, tt := range cases {
		var got []sug
		for _, c := range mustSuggest(t, x, tt.text).Completions {
			got = append(got, sug{c.Query, c.Count})
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%q: completions %v, want %v", tt.text, got, tt.want)
		}
	}
}

// TestSuggest_overlongWord: a word longer than maxTermBytes (a base64 blob,
// a run of one letter) is not a term, written by a build or over HTTP, so
// no completion or correction offers it. An article with a word of
// 30,000 letters made one suggestion take 3 GB: its typo look-ups cost
// the square of its length.
func TestSuggest_overlongWord(t *testing.T) {
	t.Parallel()
	blob := strings.Repeat("a", 3000)
	x := openJSONL(t, article("built", "Blob", "image "+blob+" aaaaab")+fillers(5))
	mustAdd(t, x, Article{ID: "written", Title: "Blob", Body: "image " + strings.Repeat("b", 3000), Source: "Wire", Lang: "en"})
	for _, text := range []string{"aaaaa aaaaaa", "aaaaa", "image aaaa", "bbbbb bbbbbb", "image bbb"} {
		got, err := x.Suggest(context.Background(), SuggestQuery{Text: text})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range got.Completions {
			if len(c.Text) > maxTermBytes+len(text) {
				t.Errorf("Suggest(%q) offers a completion of %d bytes", text, len(c.Text))
			}
		}
		for _, c := range got.Corrections {
			if len(c.Query) > maxTermBytes+len(text) {
				t.Errorf("Suggest(%q) offers a correction of %d bytes", text, len(c.Query))
			}
		}
	}
	if res := mustSearch(t, x, Query{Text: "image", Typos: true}); res.Total != 2 {
		t.Errorf("image: %d articles, want both blobs' articles", res.Total)
	}
}

// TestSuggest_surnameWrittenInCyrillic: a surname the articles write in
// Cyrillic, from the name table (Lavrov, Лавров) or by transliteration
// (Zubkov, Зубков), is no misspelling of a rarer-looking Latin word, even
// when an English article or two write it too: Medvedev was offered
// Medvedej (a web address's), Lavrov Lavoro, on the news corpora, because
// a capitalised -ов surname has two terms and counted as none.
func TestSuggest_surnameWrittenInCyrillic(t *testing.T) {
	t.Parallel()
	x := openJSONL(t, langArticle("ru-1", "ru", "Переговоры", "Сергей Лавров и Виктор Зубков провели переговоры.")+
		langArticle("ru-2", "ru", "Заявление", "Лавров заявил, что Зубков прав.")+
		article("en-1", "Talks", "Zubkov met the delegation.")+
		articles("lavoro", 12, "Banca", "Banca Nazionale del Lavoro and Zubkow Holdings reported.")+fillers(3))
	checkNoCorrections(t, x, "Lavrov", "Zubkov", "Lavrov ")
	// A misspelling still is one.
	got, err := x.Suggest(context.Background(), SuggestQuery{Text: "Lavorv "})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Corrections) == 0 || !strings.HasPrefix(got.Corrections[0].Query, "Lavrov") {
		t.Errorf("Suggest(Lavorv) = %+v, want Lavrov first", got.Corrections)
	}
}

// TestSuggest_formOfKnownWord: a word that no article writes as typed
// but that its search finds in all its forms is no misspelling: Орбаном
// was offered Образом and Органов above the 107 articles it finds.
func TestSuggest_formOfKnownWord(t *testing.T) {
	t.Parallel()
	x := openJSONL(t, langArticle("ru-1", "ru", "Венгрия", "Виктор Орбан выступил.")+
		langArticle("ru-2", "ru", "Будапешт", "Орбана поддержали.")+
		articles("ru-way", 30, "Итоги", "Таким образом, бюджет принят.")+fillers(3))
	checkNoCorrections(t, x, "Орбаном ")
}

// TestSuggest_misspeltNameWhileTyping: a capitalised word no article has,
// a typo from a name, completes only to words that begin with the name,
// and is corrected to it: Puttin offered putting and no correction.
func TestSuggest_misspeltNameWhileTyping(t *testing.T) {
	t.Parallel()
	x := openJSONL(t, articles("putin", 3, "Kremlin", "Putin spoke in Moscow.")+
		articles("put", 20, "Markets", "Investors are putting money into bonds.")+
		articles("brazil", 3, "Brazil", "Brazil voted.")+
		articles("brazilian", 4, "Real", "The Brazilian real fell.")+fillers(3))
	got := mustSuggest(t, x, "Puttin")
	if len(got.Completions) > 0 || len(got.Corrections) == 0 || got.Corrections[0].Query != "Putin" {
		t.Errorf("Suggest(Puttin): completions %+v, corrections %+v; want none, and Putin", got.Completions, got.Corrections)
	}
	if got := mustSuggest(t, x, "Brazili"); len(got.Completions) == 0 || got.Completions[0].Text != "brazilian" {
		t.Errorf("Suggest(Brazili): completions %+v, want brazilian", got.Completions)
	}
}

// TestSuggest_correctionsOnce: a correction is offered once, though the
// name table and the vocabulary both hold the word (Лавроа: Лавров,
// Лавров), or the name has two spellings a typo away (Shoigo: Shoigu,
// Shoygu).
func TestSuggest_correctionsOnce(t *testing.T) {
	t.Parallel()
	x := openJSONL(t, articles("lavrov", 4, "Переговоры", "Сергей Лавров провел переговоры. Лаврова встретили.")+
		articles("shoigu", 3, "Defence", "Shoigu and Shoygu met officials.")+
		fillers(3))
	for text, want := range map[string]string{"Лавроа": "Лавров", "Shoigo": "Shoigu"} {
		c := mustSuggest(t, x, text).Corrections
		if len(c) != 1 || c[0].Query != want {
			t.Errorf("%s: corrections %v, want %s once", text, c, want)
		}
	}
}

// TestSuggest_stopWordPrefix: a stop word or a short word typed last is
// the start of a longer word being typed, completed as any prefix:
// Министерство обо had offered nothing, not обороны (обо's stem об is
// every об's), Путин под not поддержку (под is a stop word).
func TestSuggest_stopWordPrefix(t *testing.T) {
	t.Parallel()
	x := openJSONL(t, langArticle("d1", "ru", "Министерство обороны", "Министерство обороны сообщило о поддержке.")+
		langArticle("d2", "ru", "Оборона", "Вопросы обороны обсуждались обо всём.")+
		langArticle("d3", "ru", "Поддержка", "Путин заявил о поддержке под Москвой.")+
		langArticle("d4", "ru", "Сводка", "Об этом сообщили под вечер.")+
		langArticle("d5", "ru", "Итоги", "Об этом сказали под конец.")+
		langArticle("d6", "ru", "Заявление", "Об этом заявили под утро.")+
		langArticle("d7", "ru", "Новости", "Об этом писали под Новый год.")+
		langArticle("d8", "ru", "Хроника", "Об этом узнали под Курском.")+
		fillers(3))
	for text, want := range map[string]string{"Министерство обо": "обороны", "обо": "обороны", "Путин под": "поддержке"} {
		got, err := x.Suggest(context.Background(), SuggestQuery{Text: text, Size: 5})
		if err != nil {
			t.Fatal(err)
		}
		var texts []string
		for _, c := range got.Completions {
			texts = append(texts, c.Text)
		}
		if !slices.Contains(texts, want) {
			t.Errorf("%s: completions %v, want %s among them", text, texts, want)
		}
	}
}
