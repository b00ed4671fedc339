package index

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestHanCuts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		dfs  []uint64
		want []int
	}{
		// Article counts of the bigrams on the news corpora.
		{"习近平普京: 平普", []uint64{7259, 7259, 9, 1222}, []int{2}},
		{"石油价格: 油价", []uint64{389, 81, 730}, []int{1}},
		{"上海合作组织: 海合, 作组", []uint64{1605, 306, 5136, 533, 4373}, []int{1, 3}},
		{"习近平普京会晤: 平普 only; 京会 is no valley", []uint64{7259, 7259, 9, 525, 554, 587}, []int{2}},
		{"一带一路: none", []uint64{1568, 1494, 1562}, nil},
		{"新闻联播: none", []uint64{24090, 24089, 24090}, nil},
		{"中俄关系: 俄关 is not rare enough", []uint64{192, 102, 3304}, nil},
		{"a slope, no valley", []uint64{100, 50, 20, 10}, nil},
		{"an edge bigram is never cut", []uint64{0, 500, 500}, nil},
		{"nothing known", []uint64{0, 0, 0, 0}, nil},
		{"unknown between known", []uint64{3, 0, 3}, []int{1}},
		{"too short", []uint64{10, 1}, nil},
	}
	for _, tt := range tests {
		if got := hanCuts(tt.dfs); !slices.Equal(got, tt.want) {
			t.Errorf("%s: hanCuts(%v) = %v, want %v", tt.name, tt.dfs, got, tt.want)
		}
	}
}

// TestSearch_chineseWordsTypedTogether: words typed without a space, as
// Chinese is written, find the articles that have them apart; the
// articles that have them together, as typed, come first.
func TestSearch_chineseWordsTypedTogether(t *testing.T) {
	t.Parallel()
	x := openJSONL(t, zhArticles(typedTogether...))

	for _, q := range []string{"习近平普京", "习近平，普京", "习近平普京 "} {
		res := mustSearch(t, x, Query{Text: q})
		got := hitIDs(res)
		if len(got) != 3 || got[0] != "meet" || !slices.Contains(got, "xi") || !slices.Contains(got, "putin") {
			t.Errorf("%q: got %v, want meet first, then xi and putin", q, got)
			continue
		}
		marked := strings.Join(res.Hits[0].Highlights["body"], " ")
		if !strings.Contains(marked, "<mark>习近平</mark>") || !strings.Contains(marked, "<mark>普京</mark>") {
			t.Errorf("%q: meet's snippet marks %q, want both names", q, marked)
		}
	}
	if got := hitIDs(mustSearch(t, x, Query{Text: "习近平普京", Match: MatchAll})); !slices.Equal(got, []string{"meet"}) {
		t.Errorf("习近平普京 match=all: got %v, want [meet]", got)
	}
	// Quoted, the run is the phrase the user asked for.
	if got := hitIDs(mustSearch(t, x, Query{Text: `"习近平普京"`})); len(got) != 0 {
		t.Errorf(`"习近平普京": got %v, want nothing`, got)
	}
	// An article has 石油价格 as typed: it comes first, then the one with
	// 石油 and 价格 apart, then those with one of them, each lacking the
	// other; the run itself is no word a hit lacks.
	for _, q := range []Query{{Text: "石油价格"}, {Text: "石油价格", Facets: DefaultFacets()}} {
		res := mustSearch(t, x, q)
		got := hitIDs(res)
		if len(got) != 4 || !slices.Equal(got[:2], []string{"oil-price", "oil-apart"}) {
			t.Errorf("%+v: got %v, want oil-price, oil-apart, then oil and price", q, got)
			continue
		}
		if res.Total != 4 || res.TotalAll == nil || *res.TotalAll != 2 {
			t.Errorf("%+v: total %d, with every word %v; want 4 and 2", q, res.Total, res.TotalAll)
		}
		for _, h := range res.Hits {
			want := map[string][]string{"oil": {"价格"}, "price": {"石油"}}[h.ID]
			if !slices.Equal(h.Missing, want) {
				t.Errorf("%+v: %s lacks %q, want %q", q, h.ID, h.Missing, want)
			}
		}
		marked := strings.Join(res.Hits[1].Highlights["body"], " ")
		if !strings.Contains(marked, "<mark>石油</mark>") || !strings.Contains(marked, "<mark>价格</mark>") {
			t.Errorf("%+v: oil-apart's snippet marks %q, want both words", q, marked)
		}
	}
	res := mustSearch(t, x, Query{Text: "石油价格", Match: MatchAll})
	if got := hitIDs(res); !slices.Equal(got, []string{"oil-price", "oil-apart"}) {
		t.Errorf("石油价格 match=all: got %v, want [oil-price oil-apart]", got)
	}
	// bleve's path, the fallback, gives the same pages.
	checkSamePages(t, x, Query{Text: "石油价格", Size: 10}, Query{Text: "石油价格", From: 1, Size: 2, Facets: DefaultFacets()},
		Query{Text: "石油价格", Match: MatchAll, Size: 10}, Query{Text: "石油价格", Match: MatchAny, Size: 10}, Query{Text: "石油价格", Sort: SortNewest, Size: 10})
	// Quoted, the run stays a phrase.
	if got := hitIDs(mustSearch(t, x, Query{Text: `"石油价格"`})); !slices.Equal(got, []string{"oil-price"}) {
		t.Errorf(`"石油价格": got %v, want [oil-price]`, got)
	}
}

// TestSearch_chineseRunBesideWords: a run some article holds, typed beside
// another word, is split too; the articles with every word come first,
// those that write the run as typed first among them, and an article with
// the run but not the other word ranks with those lacking a word.
func TestSearch_chineseRunBesideWords(t *testing.T) {
	t.Parallel()
	x := openJSONL(t, zhArticles(append([][3]string{
		{"exact", "石油价格上涨", "国际石油价格今天上涨。"},
		{"apart", "国际能源市场", "国际市场石油出口增加，价格有所下降。"},
		{"run-only", "石油价格平稳", "石油价格保持平稳。"},
	}, oilOrPrice...)...))
	for _, q := range []Query{{Text: "石油价格 国际"}, {Text: "国际 石油价格", Facets: DefaultFacets()}} {
		res := mustSearch(t, x, q)
		got := hitIDs(res)
		if len(got) < 3 || !slices.Equal(got[:3], []string{"exact", "apart", "run-only"}) {
			t.Errorf("%q: got %v, want exact, apart, run-only first", q.Text, got)
		}
		if all := res.TotalAll; all == nil || *all != 2 {
			t.Errorf("%q: TotalAll %v (nil: none), want 2", q.Text, reflect.ValueOf(all).Elem())
		}
		for _, h := range res.Hits {
			if h.ID == "run-only" && !slices.Equal(h.Missing, []string{"国际"}) {
				t.Errorf("%q: run-only lacks %q, want [国际]", q.Text, h.Missing)
			}
			if h.ID == "exact" && len(h.Missing) > 0 {
				t.Errorf("%q: exact lacks %q, want nothing", q.Text, h.Missing)
			}
		}
	}
	if got := hitIDs(mustSearch(t, x, Query{Text: "石油价格 国际", Match: MatchAll})); !slices.Equal(got, []string{"exact", "apart"}) {
		t.Errorf("石油价格 国际 match=all: got %v, want [exact apart]", got)
	}
	// bleve's path, the fallback, gives the same pages.
	checkSamePages(t, x, Query{Text: "石油价格 国际", Size: 10}, Query{Text: "国际 石油价格", From: 1, Size: 2, Facets: DefaultFacets()},
		Query{Text: "石油价格 国际", Match: MatchAll, Size: 10}, Query{Text: "石油价格 国际", Match: MatchAny, Size: 10},
		Query{Text: "石油价格 国际", Sort: SortNewest, Size: 10})
}

// TestSearch_chineseRunFirstWithMatchAll: with match=all too, the
// articles that write the run as typed come first, though an article
// with the words apart, short and repeated, scores higher; sorted by date,
// they are not set apart.
func TestSearch_chineseRunFirstWithMatchAll(t *testing.T) {
	t.Parallel()
	x := openJSONL(t, zhArticles(append([][3]string{
		{"exact", "国际新闻", "今天国际石油价格小幅上涨，市场观察人士认为供需关系总体稳定，各方继续关注后续走势。"},
		{"apart", "石油 价格", "石油，石油，石油。价格，价格，价格。"},
	}, oilOrPrice...)...))
	if got := hitIDs(mustSearch(t, x, Query{Text: "石油价格", Match: MatchAny})); len(got) < 2 || got[0] != "apart" {
		t.Fatalf("石油价格 match=any: got %v, want apart first (it scores higher)", got)
	}
	for _, q := range []Query{{Text: "石油价格", Match: MatchAll}, {Text: "石油价格", Match: MatchAll, Facets: DefaultFacets()}, {Text: "石油价格"}} {
		res := mustSearch(t, x, q)
		if got := hitIDs(res); len(got) < 2 || !slices.Equal(got[:2], []string{"exact", "apart"}) {
			t.Errorf("%+v: got %v, want exact, then apart", q, got)
		}
		if all := res.TotalAll; all == nil || *all != 2 {
			t.Errorf("%+v: TotalAll %v (nil: none), want 2", q, reflect.ValueOf(all).Elem())
		}
	}
	if got := hitIDs(mustSearch(t, x, Query{Text: "石油价格", Match: MatchAll, Sort: SortNewest})); !slices.Equal(got, []string{"apart", "exact"}) {
		t.Errorf("石油价格 match=all, newest first: got %v, want apart, exact (one date, then by id)", got)
	}
	checkSamePages(t, x, Query{Text: "石油价格", Match: MatchAll, Size: 10}, Query{Text: "石油价格", Match: MatchAll, From: 1, Size: 1, Facets: DefaultFacets()},
		Query{Text: "石油价格", Match: MatchAll, Sort: SortNewest, Size: 10})
}

// oilOrPrice are Chinese articles with 石油 or 价格 alone: enough that
// 油价 is a valley of 石油价格 (hanCuts), which splits it.
var oilOrPrice = [][3]string{
	{"oil", "石油储备", "国家石油储备充足。"},
	{"oil-2", "石油出口", "石油出口增加。"},
	{"price", "价格平稳", "市场价格总体平稳。"},
	{"price-2", "价格上涨", "蔬菜价格上涨。"},
}

// typedTogether are Chinese articles (id, title, body) with 习近平 and
// 普京, and 石油 and 价格, together, apart and alone.
var typedTogether = [][3]string{
	{"meet", "习近平同普京举行会谈", "国家主席习近平在北京同俄罗斯总统普京举行会谈。"},
	{"xi", "习近平出席会议", "国家主席习近平出席会议并发表讲话。"},
	{"putin", "普京发表讲话", "俄罗斯总统普京在莫斯科发表讲话。"},
	{"oil-price", "国际石油价格上涨", "国际石油价格今天上涨。"},
	{"oil-apart", "石油出口增加", "石油出口增加，价格有所下降。"},
	{"price", "价格平稳", "市场价格总体平稳。"},
	{"oil", "石油储备", "国家石油储备充足。"},
}

// TestSearch_chineseSplitKeepsTheClauseCap: a pasted run that splits into
// more pieces than a query may have clauses keeps maxClauses of them.
func TestSearch_chineseSplitKeepsTheClauseCap(t *testing.T) {
	t.Parallel()
	x := openJSONL(t, zhRecord("meet", "习近平同普京举行会谈", "国家主席习近平在北京同俄罗斯总统普京举行会谈。"))
	bi, done, err := x.reader()
	if err != nil {
		t.Fatal(err)
	}
	defer done()
	ex, err := newExpander(t.Context(), bi, Query{Typos: true}, x.lex, x.vocabAids())
	if err != nil {
		t.Fatal(err)
	}
	defer ex.close()
	run := strings.Repeat("普京，", maxClauses+8) // a bigram a piece
	got := ex.splitRuns(x.m.AnalyzerNamed(analyzerName), parseQuery(run).clauses)
	if len(got) != maxClauses || got[0].alts[0].text != "普京" {
		t.Errorf("%d clauses, the first %+v; want %d of 普京", len(got), got[0], maxClauses)
	}
}

// TestSearch_chineseCutUntilFound: when the valleys leave a piece that no
// article has with the others (京会, of 北京会见, is no valley between 普京
// and 会晤), that piece is cut again, so the article with all the words
// is found.
func TestSearch_chineseCutUntilFound(t *testing.T) {
	t.Parallel()
	x := openJSONL(t, zhArticles(
		[3]string{"meet", "习近平在北京会见普京", "国家主席习近平在北京会见普京，双方举行会晤。"},
		[3]string{"visit1", "总理在北京会见外宾", "总理在北京会见外宾。"},
		[3]string{"visit2", "副总理在北京会见代表团", "副总理在北京会见代表团。"},
		[3]string{"visit3", "部长在北京会见记者", "部长在北京会见记者。"},
		[3]string{"putin", "普京发表讲话", "俄罗斯总统普京发表讲话。"},
		[3]string{"talks", "双方举行会晤", "两国外长举行会晤。"},
	))
	if got := hitIDs(mustSearch(t, x, Query{Text: "习近平普京会晤", Match: MatchAll})); !slices.Equal(got, []string{"meet"}) {
		t.Errorf("习近平普京会晤 match=all: got %v, want [meet]", got)
	}
	if got := hitIDs(mustSearch(t, x, Query{Text: "习近平普京会晤"})); len(got) == 0 || got[0] != "meet" {
		t.Errorf("习近平普京会晤: got %v, want meet first", got)
	}
}

// TestSearch_chineseCutWithoutValley: a run that no article holds is cut
// even when no bigram of it is a valley: 毒疫 is common here (新冠病毒疫苗,
// the vaccine), and 新冠病毒疫情 had found nothing, not the article with
// 新冠病毒 and 疫情.
func TestSearch_chineseCutWithoutValley(t *testing.T) {
	t.Parallel()
	x := openJSONL(t, zhArticles(
		[3]string{"epidemic", "新冠病毒感染人数下降", "新冠病毒感染人数下降，疫情形势好转。"},
		[3]string{"vaccine1", "新冠病毒疫苗接种", "新冠病毒疫苗接种工作有序推进。"},
		[3]string{"vaccine2", "新冠病毒疫苗出口", "新冠病毒疫苗出口多国。"},
		[3]string{"vaccine3", "新冠病毒疫苗研发", "新冠病毒疫苗研发取得进展。"},
	))
	if got := hitIDs(mustSearch(t, x, Query{Text: "新冠病毒疫情", Match: MatchAll})); !slices.Equal(got, []string{"epidemic"}) {
		t.Errorf("新冠病毒疫情 match=all: got %v, want [epidemic]", got)
	}
	if got := hitIDs(mustSearch(t, x, Query{Text: "新冠病毒疫情"})); len(got) == 0 || got[0] != "epidemic" {
		t.Errorf("新冠病毒疫情: got %v, want epidemic first", got)
	}
	// A run some article holds stays whole.
	if got := hitIDs(mustSearch(t, x, Query{Text: "新冠病毒疫苗", Match: MatchAll})); len(got) != 3 {
		t.Errorf("新冠病毒疫苗 match=all: got %v, want the 3 vaccine articles", got)
	}
}

// TestSearch_chineseCommonRunWhole: a run that minWholeRun articles write
// as typed is searched whole, as a term: 中国式现代化 had been cut, and
// found every article with 现代化 too, listing 式现代化 as missing.
func TestSearch_chineseCommonRunWhole(t *testing.T) {
	t.Parallel()
	var docs [][3]string
	for i := range minWholeRun {
		docs = append(docs, [3]string{fmt.Sprintf("term%d", i), "推进中国式现代化", "以中国式现代化全面推进强国建设。"})
	}
	for i := range 5 {
		docs = append(docs, [3]string{fmt.Sprintf("modern%d", i), "农业现代化", "加快农业现代化步伐，中国农民增收。"})
	}
	x := openJSONL(t, zhArticles(docs...))
	res := mustSearch(t, x, Query{Text: "中国式现代化", Size: 10})
	if res.Total != minWholeRun || res.TotalAll != nil {
		t.Errorf("中国式现代化: total %d, total_all %s; want %d articles, the term's, whole", res.Total, totalAll(res), minWholeRun)
	}
	for _, h := range res.Hits {
		if len(h.Missing) > 0 {
			t.Errorf("中国式现代化: %s lacks %v", h.ID, h.Missing)
		}
	}
}

// zhArticles is one JSON Lines corpus of the articles (id, title, body),
// each as zhRecord writes it.
func zhArticles(articles ...[3]string) string {
	var b strings.Builder
	for _, a := range articles {
		b.WriteString(zhRecord(a[0], a[1], a[2]))
	}
	return b.String()
}

// TestSearch_chineseNamesTypedTogether: names of the name table typed
// together split at the names, also in an index with no Chinese text,
// whose bigrams have no counts to cut at; each finds the name as the
// articles write it.
func TestSearch_chineseNamesTypedTogether(t *testing.T) {
	t.Parallel()
	x := openJSONL(t, article("both", "Xi and Putin meet", "Xi Jinping met Vladimir Putin in Moscow.")+
		article("xi", "Xi speaks", "Xi Jinping spoke in Beijing.")+
		article("putin", "Putin speaks", "Vladimir Putin spoke in Kazan.")+
		articles("other", 3, "Markets", "Stocks rose."))
	for _, q := range []string{"习近平普京", "习近平和普京", "习近平普京会谈"} {
		if got := hitIDs(mustSearch(t, x, Query{Text: q})); len(got) < 3 || got[0] != "both" {
			t.Errorf("%s: got %v, want both first, then xi and putin", q, got)
		}
	}
	if got := hitIDs(mustSearch(t, x, Query{Text: "习近平普京", Match: MatchAll})); !slices.Equal(got, []string{"both"}) {
		t.Errorf("习近平普京 match=all: got %v, want [both]", got)
	}
}

func TestHanNamePieces(t *testing.T) {
	t.Parallel()
	lx, err := defaultLexicon("")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		text string
		want []string // names marked with *
	}{
		{"习近平普京", []string{"*习近平", "*普京"}},
		{"习近平和普京", []string{"*习近平", "*普京"}},
		{"习近平普京会谈", []string{"*习近平", "*普京", "会谈"}},
		{"中国人民银行行长", []string{"*中国人民银行", "行长"}},
		{"经济增长", []string{"经济增长"}},
	} {
		run := rawAnalyzer.Analyze([]byte(tt.text))
		var got []string
		for _, sp := range lx.hanNamePieces(tt.text, run) {
			piece := tt.text[run[sp.from].Start:run[sp.to-1].End]
			if sp.name {
				piece = "*" + piece
			}
			got = append(got, piece)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: %q, want %q", tt.text, got, tt.want)
		}
	}
}
