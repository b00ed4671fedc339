package index

import (
	"slices"
	"strings"
	"testing"
)

// TestAnalyze_hanInside: inside 印度尼西亚, 白俄罗斯 and 索马里, the bigrams of
// 印度, 俄罗斯 and 马里 are terms of their own; everywhere else, and inside
// a longer name that means the name inside (俄罗斯石油公司, Rosneft), they
// are the plain bigrams.
func TestAnalyze_hanInside(t *testing.T) {
	t.Parallel()
	checkTerms(t, []termsCase{
		{"印度", []string{"印度"}},
		{"印度尼西亚", []string{"⊂印度", "度尼", "尼西", "西亚"}},
		{"白俄罗斯总统", []string{"白俄", "⊂俄罗", "⊂罗斯", "斯总", "总统"}},
		{"俄罗斯总统", []string{"俄罗", "罗斯", "斯总", "总统"}},
		{"俄罗斯石油公司", []string{"俄罗", "罗斯", "斯石", "石油", "油公", "公司"}},
		{"索马里和马里", []string{"索马", "⊂马里", "里和", "和马", "马里"}},
		{"发展中国家", []string{"发展", "展中", "⊂中国", "国家"}},
		{"东南亚和南亚", []string{"东南", "⊂南亚", "亚和", "和南", "南亚"}},
		// Only the whole longer name counts: 白俄罗 is not Belarus.
		{"白俄罗", []string{"白俄", "俄罗"}},
		// A comma ends the longer name's run.
		{"印度尼西亚，印度", []string{"⊂印度", "度尼", "尼西", "西亚", "印度"}},
	})
}

// TestInnerAlternatives: a phrase that can stand inside a longer name and
// holds more of it than the name inside also matches the marked bigrams;
// the name inside, alone or with text after it that the longer name does
// not have, does not.
func TestInnerAlternatives(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		text string
		want [][]string
	}{
		{"印度", [][]string{{"印度"}}},
		{"印度尼", [][]string{{"印度", "⊂印度"}, {"度尼"}}},
		{"白俄罗", [][]string{{"白俄"}, {"俄罗", "⊂俄罗"}}},
		{"白俄罗斯", [][]string{{"白俄"}, {"⊂俄罗"}, {"⊂罗斯"}}},
		{"俄罗斯总统", [][]string{{"俄罗"}, {"罗斯"}, {"斯总"}, {"总统"}}},
		{"发展中国", [][]string{{"发展"}, {"展中"}, {"中国", "⊂中国"}}},
		{"中国家", [][]string{{"中国", "⊂中国"}, {"国家"}}},
		{"国家", [][]string{{"国家"}}},
		{"马里乌", [][]string{{"马里", "⊂马里"}, {"里乌"}}},
		{"Indonesia", [][]string{{"indonesia"}}},
	} {
		if got := tokensToPhrase(stemmedAnalyzer.Analyze([]byte(c.text))); !slices.EqualFunc(got, c.want, slices.Equal) {
			t.Errorf("tokensToPhrase(%s) = %q, want %q", c.text, got, c.want)
		}
	}
}

func TestParseHanInside(t *testing.T) {
	t.Parallel()
	for _, fields := range [][]string{
		{"白俄罗斯"},
		{"白俄罗斯", "俄罗斯", "Russia"},
		{"白俄罗斯", "中国"},      // not inside
		{"白俄罗斯", "俄"},       // one character
		{"俄罗斯", "俄罗斯"},      // not shorter
		{"Belarus", "Bela"}, // not Han
		{"白俄罗斯x", "俄罗斯"},    // not all Han
		{"印度尼西亚", "印度 尼西亚"}, // two fields at most
	} {
		if _, err := parseHanInside(fields); err == nil {
			t.Errorf("parseHanInside(%q): no error", fields)
		}
	}
	rule, err := parseHanInside([]string{"巴布亚新几内亚", "几内亚"})
	if err != nil || rule.at != 4 || rule.n != 3 {
		t.Errorf("parseHanInside(巴布亚新几内亚 几内亚) = %+v, %v; want at 4, 3 characters", rule, err)
	}
}

// TestSearch_hanInside: 印度 (India) finds the articles on India, not those
// that write only 印度尼西亚 (Indonesia), also when searched as India or
// Индия; 俄罗斯 does not find Belarus, Chongqing 隆重庆祝, nor Cuba
// 内蒙古巴彦淖尔; the longer names, and 白俄, Belarus's short name, still
// find their articles, and the snippet marks the whole name.
func TestSearch_hanInside(t *testing.T) {
	t.Parallel()
	x := openJSONL(t, zhArticles(
		[3]string{"india", "印度总理会见外宾", "印度总理在新德里会见外宾。"},
		[3]string{"indonesia", "印度尼西亚总统访华", "印度尼西亚总统抵达北京。"},
		[3]string{"both", "印度和印度尼西亚举行会谈", "两国外长举行会谈。"},
		[3]string{"belarus", "白俄罗斯总统发表讲话", "白俄罗斯总统卢卡申科在明斯克发表讲话。"},
		[3]string{"russia", "俄罗斯总统发表讲话", "俄罗斯总统在莫斯科发表讲话。"},
		[3]string{"celebrate", "各地隆重庆祝国庆", "各地群众隆重庆祝国庆节。"},
		[3]string{"chongqing", "重庆举行博览会", "博览会在重庆开幕。"},
		[3]string{"bayannur", "内蒙古巴彦淖尔春耕", "内蒙古巴彦淖尔春耕忙。"},
		[3]string{"cuba", "古巴外长访华", "古巴外长抵达北京。"},
		[3]string{"romania", "罗马尼亚总统访华", "罗马尼亚总统抵达北京。"},
		[3]string{"rome", "罗马举行会议", "会议在罗马举行。"},
		[3]string{"mali", "马里总统就职", "马里新总统宣誓就职。"},
		[3]string{"mariupol", "马里乌波尔重建", "马里乌波尔市区重建。"},
		[3]string{"developing", "发展中国家合作", "发展中国家加强合作。"},
		[3]string{"socialism", "坚持和发展中国特色社会主义", "坚持和发展中国特色社会主义。"},
		[3]string{"central-america", "中美洲国家会议", "中美洲国家举行峰会。"},
		[3]string{"china-us", "中美经贸磋商", "中美两国举行经贸磋商。"},
		[3]string{"dongcheng", "北京东城区举办活动", "北京东城区举办文化活动。"},
		[3]string{"jd", "京东发布财报", "京东集团发布季度财报。"},
	)+fillers(6))
	checkPageHits(t, x, "印度", "both", "india")
	checkPageHits(t, x, "India", "both", "india")
	checkPageHits(t, x, "Индия", "both", "india")
	checkPageHits(t, x, "印度尼西亚", "both", "indonesia")
	checkPageHits(t, x, "Indonesia", "both", "indonesia")
	checkPageHits(t, x, "俄罗斯", "russia")
	checkPageHits(t, x, "白俄罗斯", "belarus")
	checkPageHits(t, x, "白俄", "belarus")
	checkPageHits(t, x, `"俄罗斯总统"`, "russia")
	checkPageHits(t, x, "Chongqing", "chongqing")
	checkPageHits(t, x, "隆重庆祝", "celebrate")
	checkPageHits(t, x, "Cuba", "cuba")
	checkPageHits(t, x, "Rome", "rome")
	checkPageHits(t, x, "Мали", "mali")
	checkPageHits(t, x, "中美", "china-us") // not 中美洲, Central America
	checkPageHits(t, x, "京东", "jd")       // not 北京东城区, Beijing's Dongcheng
	checkPageHits(t, x, "中美洲", "central-america")
	// Typed on the way to a longer name, the text still finds it.
	checkPageHits(t, x, "印度尼", "both", "indonesia")
	checkPageHits(t, x, "白俄罗", "belarus")
	checkPageHits(t, x, "马里乌", "mariupol")
	checkPageHits(t, x, "发展中国", "developing", "socialism")
	checkPageHits(t, x, "中国", "socialism")

	// Typed together, the names are cut apart (hansplit.go), and the
	// pieces are looked up as the index has them.
	if got := hitIDs(mustSearch(t, x, Query{Text: "白俄罗斯卢卡申科", Match: MatchAll})); !slices.Equal(got, []string{"belarus"}) {
		t.Errorf("白俄罗斯卢卡申科 match=all: got %v, want [belarus]", got)
	}

	res := mustSearch(t, x, Query{Text: "白俄罗斯"})
	if len(res.Hits) != 1 {
		t.Fatalf("白俄罗斯: %d hits, want 1", len(res.Hits))
	}
	marked := strings.Join(res.Hits[0].Highlights["body"], " ")
	if !strings.Contains(marked, "<mark>白俄罗斯</mark>") {
		t.Errorf("白俄罗斯: the snippet marks %q, want the whole name", marked)
	}
}
