package index

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/index/scorch"
	segment "github.com/blevesearch/scorch_segment_api/v2"
	"github.com/google/go-cmp/cmp"
)

func hitIDs(res Results) []string {
	ids := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		ids[i] = h.ID
	}
	return ids
}

// TestSearch_exactAboveFuzzy: when both an exact and a fuzzy or prefix
// match exist, the exact one ranks first, even when the other article
// repeats its word; typos=false and prefix=false keep only exact matches.
func TestSearch_exactAboveFuzzy(t *testing.T) {
	t.Parallel()
	x, err := openMap(t, t.TempDir(), fstest.MapFS{"a.jsonl": {Data: []byte(
		article("exact", "Talks in Beijing", "Shoigu met the minister in Beijing on Tuesday.") +
			article("typo", "Talks in Beijing", "Shoigo met the minister. Shoigo said little on Tuesday.") +
			article("country", "Notes from abroad", "Russia signed the accord with its neighbour today.") +
			article("adjective", "Notes from abroad", "Russian diplomats signed; Russian officials said so.") +
			article("other", "Weather", "Rain is expected in the capital on Tuesday."),
	)}})
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	tests := []struct {
		q             string
		typos, prefix bool
		want          []string
	}{
		{"Shoigu ", true, false, []string{"exact", "typo"}},
		{"Shoigo ", true, false, []string{"typo", "exact"}}, // the misspelling is in an article: it is exact there
		{"Shoigu ", false, false, []string{"exact"}},
		{"Russia", true, true, []string{"country", "adjective"}},
		{"Russia", false, false, []string{"country"}},
		{"Russia", false, true, []string{"country", "adjective"}},
		// Russian begins names (Russian Federation): a word as typed,
		// not Russia misspelt.
		{"Russian", true, true, []string{"adjective"}},
		{"Shoigu Tuesday", true, true, []string{"exact", "typo", "other"}},
	}
	for _, tt := range tests {
		res, err := x.Search(context.Background(), Query{Text: tt.q, Typos: tt.typos, Prefix: tt.prefix})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tt.want, hitIDs(res)); diff != "" {
			t.Errorf("%q typos=%v prefix=%v (-want +got):\n%s", tt.q, tt.typos, tt.prefix, diff)
		}
	}
}

// TestSearch_typedWordFirst: a rare word the index has as typed ranks
// its articles above those that only have a commoner word one typo away,
// however short or titled those are; the neighbours still come after.
// hurling, in one article of the news corpora, had put 8 Reuters articles
// with HURT in the title first.
func TestSearch_typedWordFirst(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("Engineers studied the debris and the orbits of old satellites for years. ", 8)
	x := openJSONL(t, article("hurling", "Space junk", long+"Lasers could stop fragments hurling around the planet at rates no one tracks.")+
		articles("hurt", 6, "RATES ARE HURTING INVESTMENT", "Higher rates are hurting investment, he said.")+
		fillers(4))
	for _, q := range []string{"hurling", "hurling rates"} {
		got := hitIDs(mustSearch(t, x, Query{Text: q, Typos: true, Size: 10}))
		if len(got) != 7 || got[0] != "hurling" {
			t.Errorf("%s: %v, want hurling first, then the 6 hurt articles", q, got)
		}
	}
	// With every word of the query in the hurt articles and not in the
	// hurling one, those come first: the bonus counts only with every word.
	if got := hitIDs(mustSearch(t, x, Query{Text: "hurling investment", Typos: true, Size: 10})); len(got) != 7 || got[6] != "hurling" {
		t.Errorf("hurling investment: %v, want the 6 hurt articles (with investment) first", got)
	}
	// total_all counts the articles with every word, whatever the match.
	for _, m := range []Match{MatchAuto, MatchAny, MatchAll} {
		res := mustSearch(t, x, Query{Text: "hurling investment", Typos: true, Size: 10, Match: m})
		if res.TotalAll == nil || *res.TotalAll != 6 {
			t.Errorf("hurling investment, match %q: total_all %s, want 6", m, totalAll(res))
		}
	}
}

// TestSearch_exactScoreUnchanged: adding alternatives to a word does not
// change how much an article with only the word itself scores relative to
// others, so a word with alternatives keeps its weight against the other
// words of the query. (bleve normalises every score of a query by the
// query's total weight, so absolute scores differ; ratios must not.)
func TestSearch_exactScoreUnchanged(t *testing.T) {
	t.Parallel()
	x, err := openMap(t, t.TempDir(), fstest.MapFS{"a.jsonl": {Data: []byte(
		article("country", "Notes", "Shoigu visited Russia.") +
			article("alone", "Notes", "Shoigu visited Kazan.") +
			article("adjective", "Notes", "Shoigu met Russian diplomats."),
	)}})
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	ratio := func(q Query) float64 {
		res, err := x.Search(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		scores := map[string]float64{}
		for _, h := range res.Hits {
			scores[h.ID] = h.Score
		}
		if scores["country"] == 0 || scores["alone"] == 0 {
			t.Fatalf("%+v: hits %v", q, scores)
		}
		return scores["country"] / scores["alone"]
	}
	// Russia has a prefix alternative (russian); "country" only has the
	// word itself.
	exact := ratio(Query{Text: "Shoigu Russia"})
	expanded := ratio(Query{Text: "Shoigu Russia", Typos: true, Prefix: true})
	if fmt.Sprintf("%.6f", exact) != fmt.Sprintf("%.6f", expanded) {
		t.Errorf("country/alone score ratio with alternatives %v, without %v", expanded, exact)
	}
}

// TestSearch_noFuzz: numbers, words with digits and Chinese are never
// fuzzed; stop words get no prefix alternatives.
func TestSearch_noFuzz(t *testing.T) {
	t.Parallel()
	x, err := openMap(t, t.TempDir(), fstest.MapFS{"a.jsonl": {Data: []byte(
		article("year", "Budget 20255", "The 20255 budget and covid19 figures.") +
			article("theory", "Theory", "A theory of everything."),
	)}})
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	for _, q := range []string{"20256 ", "covid18 ", "the"} {
		res, err := x.Search(context.Background(), Query{Text: q, Typos: true, Prefix: true})
		if err != nil {
			t.Fatal(err)
		}
		if res.Total != 0 {
			t.Errorf("%q: %d hits %v, want none", q, res.Total, hitIDs(res))
		}
	}
	// A number is still a prefix while typed.
	res, err := x.Search(context.Background(), Query{Text: "2025", Prefix: true})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"year"}, hitIDs(res)); diff != "" {
		t.Errorf("2025 as a prefix (-want +got):\n%s", diff)
	}
}

// TestAlternatives_caps: a prefix that matches many words expands into at
// most maxAlternatives terms, the most frequent first, and a query into at
// most maxQueryAlternatives.
func TestAlternatives_caps(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	for i := range 120 {
		// zeta0aa…, each word in (i%7)+1 articles: frequencies differ.
		w := fmt.Sprintf("zeta%c%c", 'a'+rune(i/26), 'a'+rune(i%26))
		for j := 0; j <= i%7; j++ {
			b.WriteString(article(fmt.Sprintf("a%d-%d", i, j), "Title", "Body "+w+"."))
		}
	}
	x, err := openMap(t, t.TempDir(), fstest.MapFS{"a.jsonl": {Data: []byte(b.String())}})
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	bi, done, err := x.reader()
	if err != nil {
		t.Fatal(err)
	}
	defer done()
	ex, err := newExpander(context.Background(), bi, Query{Typos: true, Prefix: true}, nil, vocabAids{base: x.base})
	if err != nil {
		t.Fatal(err)
	}
	defer ex.close()
	alts := ex.alternatives(qterm{text: "zeta", open: true})
	if len(alts) != maxAlternatives {
		t.Fatalf("%d alternatives, want %d", len(alts), maxAlternatives)
	}
	if !slices.IsSortedFunc(alts, func(a, b alternative) int { return int(b.count) - int(a.count) }) || alts[0].count != 7 {
		t.Errorf("alternatives not most frequent first: %+v", alts[:5])
	}
	total := len(alts)
	for range 10 {
		total += len(ex.alternatives(qterm{text: "zeta", open: true}))
	}
	if total != maxQueryAlternatives {
		t.Errorf("query expanded into %d alternatives, want %d", total, maxQueryAlternatives)
	}
	// The search still runs, with every article of the prefix found.
	res, err := x.Search(context.Background(), Query{Text: "zet", Prefix: true, Size: 1})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total == 0 {
		t.Error("zet: no hits")
	}
}

// TestAlternatives_none: phrases, stop words, finished words and, with
// both options off, every word have no alternatives.
func TestAlternatives_none(t *testing.T) {
	t.Parallel()
	x := openFixture(t)
	bi, done, err := x.reader()
	if err != nil {
		t.Fatal(err)
	}
	defer done()
	ex, err := newExpander(context.Background(), bi, Query{Typos: true, Prefix: true}, nil, vocabAids{base: x.base})
	if err != nil {
		t.Fatal(err)
	}
	defer ex.close()
	for _, term := range []qterm{
		{text: "Minnik", phrase: true, open: true},
		{text: "the", open: true},
		{text: "Minnik"},
		{text: "中俄关系", open: true},
	} {
		if alts := ex.alternatives(term); len(alts) != 0 {
			t.Errorf("%+v: alternatives %+v", term, alts)
		}
	}
	// The fragment is completed, and it begins a name: its other
	// spellings come too (fragmentNames).
	if got := ex.alternatives(qterm{text: "Minnik", open: true}); len(got) == 0 || got[0].term != "minnikhanov" ||
		!slices.ContainsFunc(got, func(a alternative) bool { return a.text == "Минниханов" }) {
		t.Errorf("Minnik: %+v", got)
	}
	off, err := newExpander(context.Background(), bi, Query{}, nil, vocabAids{base: x.base})
	if err != nil || off != nil {
		t.Fatalf("expander with both options off: %v, %v", off, err)
	}
	if alts := off.alternatives(qterm{text: "Minnik", open: true}); alts != nil {
		t.Errorf("nil expander gave %+v", alts)
	}
}

// FuzzExpand: any text searches with typo tolerance and prefixes, and gets
// suggestions, without an error other than ErrInvalidQuery and without a
// panic; every correction and completion query is valid UTF-8.
func FuzzExpand(f *testing.F) {
	for _, s := range []string{"", "Shoigo", "Minnik", "затраг", "普", "中俄关", "coperaton Putin", "\xff", "-Minnik",
		`"Minnik`, "a OR Minnik", "2025", "the", "é", "ё", strings.Repeat("zz ", 200), "Ǆungla ǅ",
		"-Putin", "-普京 中俄", "中俄关系稳", "Путин Мо", "Brexit", "Навальный", "。」",
		"Xi Jin", "wang y", "Power of S", "BRICS", "ШОС", "Wang Yi", "Xi 中 Jin", `"Xi" Jin`,
		"Zelen", "Dmitry", "Germ", "Navalny death", "F-16", "COVID-19", "Су-57", "U.S.-led", "Токио", "метро",
		"WHO", "IT", "-US", "ОПЕК", "U.S.", "NATO's", "TRADE", `"WHO" IT`, "Маск", "Куба", "кубит", "Маски", "Elon Musk"} {
		f.Add(s)
	}
	x := openFixture(f)
	f.Fuzz(func(t *testing.T, text string) {
		_, err := x.Search(context.Background(), Query{Text: text, Typos: true, Prefix: true, Facets: FacetNames()})
		if err != nil && !errors.Is(err, ErrInvalidQuery) {
			t.Fatalf("Search(%q): %v", text, err)
		}
		s, err := x.Suggest(context.Background(), SuggestQuery{Text: text})
		if err != nil {
			if !errors.Is(err, ErrInvalidQuery) {
				t.Fatalf("Suggest(%q): %v", text, err)
			}
			return
		}
		for _, c := range s.Completions {
			if !utf8.ValidString(c.Query) || c.Text == "" {
				t.Errorf("Suggest(%q): completion %+v", text, c)
			}
		}
		for _, c := range s.Corrections {
			if !utf8.ValidString(c.Query) || len(c.Changes) == 0 {
				t.Errorf("Suggest(%q): correction %+v", text, c)
			}
		}
	})
}

// TestAlternatives_fuzzyWordCap: only the first maxFuzzyWords words of a
// query are looked up with typos.
func TestAlternatives_fuzzyWordCap(t *testing.T) {
	t.Parallel()
	x := openFixture(t)
	bi, done, err := x.reader()
	if err != nil {
		t.Fatal(err)
	}
	defer done()
	ex, err := newExpander(context.Background(), bi, Query{Typos: true}, nil, vocabAids{base: x.base})
	if err != nil {
		t.Fatal(err)
	}
	defer ex.close()
	for i := range maxFuzzyWords {
		if alts := ex.alternatives(qterm{text: "zzzzzzzzzz"}); len(alts) != 0 {
			t.Fatalf("word %d: %+v", i, alts)
		}
	}
	if alts := ex.alternatives(qterm{text: "Shoigo"}); len(alts) != 0 {
		t.Errorf("typo lookup after the cap: %+v", alts)
	}
	ex.fuzzy = 1
	if alts := ex.alternatives(qterm{text: "Shoigo"}); len(alts) != 1 || alts[0].term != "shoigu" {
		t.Errorf("Shoigo: %+v", alts)
	}
}

// TestTypos_onlyTowardsCommonerWords: a typo alternative must be at least
// as common as the word typed. A rare word reaches its common neighbour
// (pricey finds prices), but a common word does not pull in its rare
// neighbours (prices does not find pricey).
func TestTypos_onlyTowardsCommonerWords(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString(articles("p", 5, "Oil prices", "Oil prices rose again."))
	b.WriteString(article("rare", "Dinner", "A pricey dinner in town."))
	x := openJSONL(t, b.String())
	search := func(q string) []string { return hitIDs(mustSearch(t, x, Query{Text: q, Typos: true})) }
	if got := search("prices"); len(got) != 5 || slices.Contains(got, "rare") {
		t.Errorf("prices: %v, want the five price articles only", got)
	}
	if got := search("pricey"); len(got) != 6 || got[0] != "rare" {
		t.Errorf("pricey: %v, want the pricey article first, then the five price articles", got)
	}
}

// TestTypos_secondTypoOnlyForRareWords: a long word gets a second typo
// only when few articles contain it; one the articles use often is taken
// as meant and reaches one typo at most.
func TestTypos_secondTypoOnlyForRareWords(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString(articles("ab", 5, "Report", "The blorpingab figures."))
	b.WriteString(articles("xy", minRareTyped, "Report", "The blorpingxy figures."))
	b.WriteString(article("qq", "Report", "The blorpingqq figures."))
	x := openJSONL(t, b.String())
	search := func(q string) []string {
		return hitIDs(mustSearch(t, x, Query{Text: q, Typos: true, Size: 20}))
	}
	// Two substitutions from blorpingab, which is commoner.
	if got := search("blorpingxy"); len(got) != minRareTyped || slices.ContainsFunc(got, func(id string) bool { return strings.HasPrefix(id, "ab") }) {
		t.Errorf("blorpingxy (in %d articles): %v, want its own articles only", minRareTyped, got)
	}
	if got := search("blorpingqq"); len(got) != 5+minRareTyped+1 || got[0] != "qq" {
		t.Errorf("blorpingqq (in one article): %v, want it first, then the commoner words two typos away", got)
	}
	if got := search("blorpingzz"); len(got) != 5+minRareTyped+1 {
		t.Errorf("blorpingzz (in none): %v, want every article, two typos away", got)
	}
}

// TestPrefix_onlyTowardsCommonerWords: a typed word that is itself in the
// vocabulary completes only to commoner words; a fragment completes to
// every word it starts, commonest first.
func TestPrefix_onlyTowardsCommonerWords(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString(articles("t", 4, "Trade talks", "Trade talks resumed."))
	b.WriteString(articles("s", 6, "Traders", "Traders sold early."))
	b.WriteString(article("mark", "Brand", "A trademark dispute."))
	x := openJSONL(t, b.String())
	search := func(q string) []string { return hitIDs(mustSearch(t, x, Query{Text: q, Prefix: true, Size: 20})) }
	// trade (4 articles) completes to traders (6), not to trademark (1).
	if got := search("trade"); len(got) != 10 || slices.Contains(got, "mark") || !strings.HasPrefix(got[0], "t") {
		t.Errorf("trade: %v, want the four trade articles first, then the six traders ones, no trademark", got)
	}
	if got := search("trad"); len(got) != 11 || got[len(got)-1] != "mark" {
		t.Errorf("trad: %v, want all eleven, the rare trademark last", got)
	}
}

// TestPrefix_noBroaderStems: a typed word that is itself in the
// vocabulary does not complete to words whose stem is shorter than it:
// Дели (Delhi) had completed to делились and делится, whose stem дел is
// дело's too, and found every article on a court case.
func TestPrefix_noBroaderStems(t *testing.T) {
	t.Parallel()
	x := openJSONL(t, langArticle("delhi1", "ru", "Визит", "Премьер прибыл в Дели.")+
		langArticle("delhi2", "ru", "Саммит", "Саммит в Дели завершился.")+
		langArticle("delhi3", "ru", "Гости", "Дели принял гостей.")+
		articles("delo", 6, "Суд", "Уголовное дело возбуждено. Они делились новостями, делится опытом.")+
		fillers(4))
	for _, q := range []string{"Дели", "дели"} {
		if got := hitIDs(mustSearch(t, x, Query{Text: q, Typos: true, Prefix: true, Size: 20})); len(got) != 3 {
			t.Errorf("%s: %v, want the three on Delhi", q, got)
		}
	}
	// A fragment still completes to every word it starts.
	if got := hitIDs(mustSearch(t, x, Query{Text: "дел", Prefix: true, Size: 20})); len(got) != 9 {
		t.Errorf("дел: %v, want all nine", got)
	}

	// Nor to a word the Porter exceptions took apart from it: Cooper
	// had found the articles on cooperation, and offered it.
	y := openJSONL(t, articles("cooper", 3, "Cooper", "Cooper Industries said profits rose.")+
		articles("coop", 6, "Talks", "Cooperation between the two nations grew.")+
		fillers(3))
	if got := hitIDs(mustSearch(t, y, Query{Text: "Cooper", Typos: true, Prefix: true, Size: 20})); len(got) != 3 {
		t.Errorf("Cooper: %v, want the three on Cooper", got)
	}
	if got := hitIDs(mustSearch(t, y, Query{Text: "Coop", Prefix: true, Size: 20})); len(got) != 9 {
		t.Errorf("Coop: %v, want all nine", got)
	}
	for _, c := range mustSuggest(t, y, "Cooper").Completions {
		if c.Text == "cooperation" {
			t.Errorf("Cooper: suggest offers %v", c)
		}
	}
}

// TestLocate_typedFormFirst: an article with the word as typed has that
// marked; one found only through an alternative (here a prefix
// completion) has the alternative marked. Either way every hit shows why
// it matched.
func TestLocate_typedFormFirst(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString(article("both", "Trade talks", "Trade talks, and traders waited."))
	b.WriteString(articles("traders", 3, "Markets", "The traders sold early."))
	x := openJSONL(t, b.String())
	res := mustSearch(t, x, Query{Text: "trade", Prefix: true, Size: 10})
	if len(res.Hits) != 4 {
		t.Fatalf("trade: %v, want all four articles", hitIDs(res))
	}
	for _, h := range res.Hits {
		if len(h.Matches[fieldBody]) == 0 {
			t.Errorf("%s: no body match", h.ID)
		}
		body := strings.Join(h.Highlights[fieldBody], " ")
		want := "traders"
		if h.ID == "both" {
			want = "Trade"
			if strings.Contains(body, "<mark>traders</mark>") {
				t.Errorf("both: body %q marks the completion beside the typed word", body)
			}
		}
		if !strings.Contains(body, "<mark>"+want+"</mark>") {
			t.Errorf("%s: body %q, want %s marked", h.ID, body, want)
		}
	}
}

// TestVocabMemo: typo and prefix look-ups are remembered for the snapshot
// that made them, give the same answers as a fresh look-up, and are
// forgotten when a write makes a new snapshot.
func TestVocabMemo(t *testing.T) {
	t.Parallel()
	x := openFixture(t) // with the query cache, and so memos
	ctx := context.Background()
	search := func(q string) []string {
		x.cache.clear() // search for real each time: the memo is under test
		return hitIDs(mustSearch(t, x, Query{Text: q, Typos: true, Prefix: true}))
	}
	cold := search("Shoigo cooperat")
	m := x.vocab.cur.Load()
	if m == nil || len(m.common) == 0 || len(m.prefix) == 0 {
		t.Fatalf("no look-up remembered: %+v", m)
	}
	if warm := search("Shoigo cooperat"); !reflect.DeepEqual(warm, cold) {
		t.Errorf("remembered look-ups give %v, fresh ones %v", warm, cold)
	}
	// Suggestions filter the remembered candidates: every remembered
	// answer must still be a fresh look-up's.
	for _, text := range []string{"Shoigo cooperat", "cooperaton tradd", "Beijng Shoigu"} {
		if _, err := x.Suggest(ctx, SuggestQuery{Text: text}); err != nil {
			t.Fatal(err)
		}
		search(text)
	}
	bi, done, err := x.reader()
	if err != nil {
		t.Fatal(err)
	}
	v, err := openVocabulary(ctx, bi, vocabAids{base: x.base})
	done()
	if err != nil {
		t.Fatal(err)
	}
	m = x.vocab.cur.Load()
	// A caller filtering what it got (Suggest does) leaves the memo as it
	// was.
	v.memo = m
	overwritten := false
	for k, remembered := range m.near {
		if len(remembered) == 0 {
			continue
		}
		got, err := v.near(k.word, k.maxTypos, k.limit)
		if err != nil {
			t.Fatal(err)
		}
		for i := range got {
			got[i] = vocabWord{word: "overwritten"}
		}
		overwritten = true
		break
	}
	if !overwritten {
		t.Fatal("no remembered typo look-up found a word: the test proves nothing")
	}
	m.mu.Lock()
	checkRemembered(t, "near", m.near, func(k nearKey) ([]vocabWord, error) { return v.lookNear(k.word, k.maxTypos, k.limit) })
	if len(m.near) == 0 {
		t.Error("suggestions remembered no typo look-up")
	}
	checkRemembered(t, "commoner", m.common, func(k commonKey) ([]vocabWord, error) { return v.lookCommoner(k.word, k.minCount, k.limit) })
	m.mu.Unlock()
	v.close()
	a, err := Prepare(Article{ID: "memo-new", Title: "Shoigz visits", Body: "Cooperatively.", Source: "Memo Wire", Lang: "en"})
	if err != nil {
		t.Fatal(err)
	}
	if err := x.Add(ctx, []Article{a}); err != nil {
		t.Fatal(err)
	}
	search("Shoigo cooperat")
	if x.vocab.cur.Load() == m {
		t.Error("after a write, searches still use the old snapshot's memo")
	}
	x.cache = nil
	if x.memos() != nil {
		t.Error("an index without the query cache keeps vocabulary memos")
	}
}

// checkRemembered compares each look-up remembered in memo with a fresh
// one by look.
func checkRemembered[K comparable](t *testing.T, name string, memo map[K][]vocabWord, look func(K) ([]vocabWord, error)) {
	t.Helper()
	for k, got := range memo {
		want, err := look(k)
		if err != nil {
			t.Fatal(err)
		}
		if !sameWords(got, want) {
			t.Errorf("remembered %s(%+v) = %v, a fresh look-up %v", name, k, got, want)
		}
	}
}

// sameWords reports whether two look-ups found the same words, nil and
// empty alike.
func sameWords(got, want []vocabWord) bool {
	return reflect.DeepEqual(got, want) || len(got) == 0 && len(want) == 0
}

// TestSegWalks_followWrites: each segment's typo walks and prefix counts
// are remembered across writes, and a look-up after a write, which walks
// only the new segment, finds what a fresh walk of every segment finds,
// the new article's word included.
func TestSegWalks_followWrites(t *testing.T) {
	t.Parallel()
	x := openFixture(t) // with the query cache, and so memos
	ctx := context.Background()
	look := func(aids vocabAids) []vocabWord {
		t.Helper()
		bi, done, err := x.reader()
		if err != nil {
			t.Fatal(err)
		}
		defer done()
		v, err := openVocabulary(ctx, bi, aids)
		if err != nil {
			t.Fatal(err)
		}
		defer v.close()
		near, err := v.lookNear("shoigo", 2, 50)
		if err != nil {
			t.Fatal(err)
		}
		prefixed, err := v.lookPrefix("shoig", maxPrefixScan)
		if err != nil {
			t.Fatal(err)
		}
		for i := range prefixed {
			prefixed[i].typos = -1 // told apart from near's words
		}
		return append(near, prefixed...)
	}
	look(x.vocabAids())
	remembered := map[segment.Segment]bool{}
	x.walks.mu.Lock()
	for seg := range x.walks.segs {
		remembered[seg] = true
	}
	x.walks.mu.Unlock()
	if len(remembered) == 0 {
		t.Fatal("no segment's walk remembered")
	}
	x.base.walks.mu.Lock()
	baseWalks := len(x.base.walks.segs)
	x.base.walks.mu.Unlock()
	if baseWalks == 0 {
		t.Fatal("the base vocabulary's walks were not remembered")
	}
	mustAdd(t, x, Article{ID: "walk-new", Title: "Shoiga visits", Body: "A new word one typo away.", Source: "Walk Wire", Lang: "en"})
	snap, done := liveSnapshot(t, x)
	reused := slices.ContainsFunc(snap.Segments(), func(ss *scorch.SegmentSnapshot) bool { return remembered[ss.Segment()] })
	done()
	got, want := look(x.vocabAids()), look(vocabAids{base: x.base})
	if !sameWords(got, want) {
		t.Errorf("after a write, remembered walks give %v, fresh ones %v", got, want)
	}
	if n := len(slices.DeleteFunc(slices.Clone(got), func(w vocabWord) bool { return w.word != "shoiga" })); n != 2 {
		t.Errorf("the new article's word is found %d times of 2 (near and by prefix): %v", n, got)
	}
	if !reused {
		t.Log("scorch merged every segment after the write: no walk reused this time")
	}
}

// TestSearch_knownWordTypos: a word the articles use gets a typo
// neighbour only when the neighbour is much commoner (a misspelling the
// articles repeat), not one that is merely commoner: "white" is not
// "while", three times as common.
func TestSearch_knownWordTypos(t *testing.T) {
	t.Parallel()
	x := openJSONL(t, articles("white", 3, "Paint", "The walls were painted white.")+
		articles("while", 9, "Talks", "Talks went on while markets waited.")+
		articles("misspelt", 3, "Budget", "The goverment cut spending.")+
		articles("right", 40, "Budget", "The government raised taxes."))
	for _, tt := range []struct {
		q    string
		want uint64
	}{
		{"white", 3},      // while: only 3x as common
		{"goverment", 43}, // government: 13x as common
	} {
		res, err := x.Search(context.Background(), Query{Text: tt.q, Typos: true})
		if err != nil {
			t.Fatal(err)
		}
		if res.Total != tt.want {
			t.Errorf("%s: %d articles, want %d", tt.q, res.Total, tt.want)
		}
	}
}

// TestSearch_knownWordTyposAllForms: a word is known by its articles in
// all its forms, as the search matches them all. танкер is typed in one
// article here and in four in its other cases; taken for rare by its
// typed form, it had found Такер, a word one typo away in two articles.
// A word rare in all its forms still finds its commoner neighbour.
func TestSearch_knownWordTyposAllForms(t *testing.T) {
	t.Parallel()
	x := openJSONL(t, article("tanker", "Порт", "В порт зашёл танкер.")+
		article("tankers1", "Флот", "Санкции против танкеров.")+
		article("tankers2", "Флот", "Танкеры вышли в море.")+
		article("tankers3", "Флот", "Запрет танкерам.")+
		articles("tucker", 2, "Интервью", "Журналист Такер Карлсон взял интервью.")+
		articles("approval", 3, "Закон", "Закон получил одобрение.")+
		article("fert", "Поля", "Удобрения для полей."))
	for _, tt := range []struct {
		q    string
		want uint64
	}{
		{"танкер", 4},    // not Такер
		{"удобрение", 4}, // rare in all its forms: одобрение, three times as common, too
	} {
		res := mustSearch(t, x, Query{Text: tt.q, Typos: true})
		if res.Total != tt.want {
			t.Errorf("%s: %d articles %v, want %d", tt.q, res.Total, hitIDs(res), tt.want)
		}
	}
}

// TestSearch_commonWordNoTypos: a word that many articles use is no
// misspelling, though a neighbour is ten times commoner: peace found
// place, in 1,042 articles of the news corpora against its 66. A rare
// word still finds its commoner neighbour.
func TestSearch_commonWordNoTypos(t *testing.T) {
	t.Parallel()
	x := openJSONL(t, articles("peace", minTypoCeiling, "Peace", "Peace returned to the region.")+
		articles("place", 10*minTypoCeiling, "Venue", "The meeting took place in Geneva.")+
		articles("misspelt", 3, "Budget", "The goverment cut spending.")+
		articles("right", 40, "Budget", "The government raised taxes."))
	for _, tt := range []struct {
		q    string
		want uint64
	}{
		{"peace", minTypoCeiling},
		{"goverment", 43},
	} {
		if res := mustSearch(t, x, Query{Text: tt.q, Typos: true}); res.Total != tt.want {
			t.Errorf("%s: %d articles, want %d", tt.q, res.Total, tt.want)
		}
	}
}

// TestSearch_wordWithCommonSpellingsNoTypos: a word whose other spellings
// are common is no misspelling, however rare it is as typed: drone is in
// 4 English articles of the news corpora and беспилотник, its subject's
// Russian word (data/topics.txt), in hundreds, and its typos had put done
// and drove first.
func TestSearch_wordWithCommonSpellingsNoTypos(t *testing.T) {
	t.Parallel()
	x := openJSONL(t, articles("drone", 1, "Drone", "A drone flew over the city.")+
		articles("ru", minTypoCeiling, "Беспилотник", "Беспилотник сбит над городом.")+
		articles("done", 10*minTypoCeiling, "Deal", "The deal is done."))
	res := mustSearch(t, x, Query{Text: "drone", Typos: true})
	if res.Total != 1+minTypoCeiling {
		t.Errorf("drone: %d articles, want the %d with drone or беспилотник", res.Total, 1+minTypoCeiling)
	}
	for _, h := range res.Hits {
		if strings.HasPrefix(h.ID, "done") {
			t.Errorf("drone found %s, which says done", h.ID)
		}
	}
}

// TestSearch_oneTypoBeforeTwo: a word the articles use one typo away is
// what was meant, not a commoner one two typos away: arguement found
// agreement in all of its first hundred hits on the news corpora, and
// argument in none.
func TestSearch_oneTypoBeforeTwo(t *testing.T) {
	t.Parallel()
	x := openJSONL(t, articles("argument", 3, "Debate", "The argument went on.")+
		articles("agreement", 30, "Deal", "The agreement was signed."))
	if res := mustSearch(t, x, Query{Text: "arguement", Typos: true}); res.Total != 3 {
		t.Errorf("arguement: %d articles, want the 3 with argument", res.Total)
	}
}
