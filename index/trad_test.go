package index

import (
	"context"
	"slices"
	"strings"
	"testing"
)

// TestTraditional_search: a query in traditional characters finds the
// articles in simplified ones and the other way round, marks the text as
// it is written, and a traditional article counts for its entities.
func TestTraditional_search(t *testing.T) {
	t.Parallel()
	x := openJSONL(t, langArticle("zh-xi", "zh", "习近平会见外宾", "国家主席习近平在北京会见俄罗斯总统。")+
		langArticle("tw-xi", "zh", "習近平與普京會晤", "國家主席習近平在北京與俄羅斯總統普京會晤。")+
		langArticle("zh-study", "zh", "学生学习", "学生们认真学习近期的经济数据。")+
		langArticle("tw-soft", "zh", "軟體", "臺灣的軟體產業發展迅速。")+
		fillers(3))
	for _, tt := range []struct {
		query string
		want  []string
	}{
		{"习近平", []string{"tw-xi", "zh-xi"}},
		{"習近平", []string{"tw-xi", "zh-xi"}},
		{"俄羅斯", []string{"tw-xi", "zh-xi"}},
		{"俄罗斯总统", []string{"tw-xi", "zh-xi"}},
		{`"國家主席"`, []string{"tw-xi", "zh-xi"}},
		{"學習", []string{"zh-study"}},
		{"台湾", []string{"tw-soft"}}, // 臺 and 台 are one character
		{"软件", nil},                 // a different word, not a spelling
	} {
		got := hitIDs(mustSearch(t, x, Query{Text: tt.query, Size: 10}))
		slices.Sort(got)
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: %v, want %v", tt.query, got, tt.want)
		}
	}

	// The marks are on the characters as written, in either script.
	res := mustSearch(t, x, Query{Text: "习近平 俄罗斯", Size: 10})
	for _, h := range res.Hits {
		title, body := strings.Join(h.Highlights["title"], ""), strings.Join(h.Highlights["body"], "")
		switch h.ID {
		case "tw-xi":
			if !strings.Contains(title, "<mark>習近平</mark>") || !strings.Contains(body, "<mark>習近平</mark>") || !strings.Contains(body, "<mark>俄羅斯</mark>") {
				t.Errorf("tw-xi marked %q / %q, want 習近平 and 俄羅斯 marked", title, body)
			}
		case "zh-xi":
			if !strings.Contains(body, "<mark>习近平</mark>") || !strings.Contains(body, "<mark>俄罗斯</mark>") {
				t.Errorf("zh-xi marked %q, want 习近平 and 俄罗斯 marked", body)
			}
		}
	}

	// The traditional article counts for Xi Jinping, Putin and Russia.
	res, err := x.Search(context.Background(), Query{Facets: []string{FacetPerson}, Filters: map[string][]string{FacetPerson: {"Xi Jinping"}}})
	if err != nil {
		t.Fatal(err)
	}
	got := hitIDs(res)
	slices.Sort(got)
	if !slices.Equal(got, []string{"tw-xi", "zh-xi"}) {
		t.Errorf("person=Xi Jinping finds %v, want tw-xi and zh-xi", got)
	}
	if persons := bucketsOf(t, res, FacetPerson); persons["Vladimir Putin"] != 1 {
		t.Errorf("person facet %v: want Vladimir Putin 1 (普京 in tw-xi)", persons)
	}

	// Suggest reads the traditional characters typed as a search does.
	sug, err := x.Suggest(context.Background(), SuggestQuery{Text: "俄羅"})
	if err != nil {
		t.Fatal(err)
	}
	if len(sug.Completions) == 0 || sug.Completions[0].Query != "俄罗斯" || sug.Completions[0].Count != 2 {
		t.Errorf("suggest 俄羅: %+v, want 俄罗斯 (2 articles) first", sug.Completions)
	}
}

// TestTraditional_fold: the table folds traditional characters and leaves
// simplified text, Latin and kana alone.
func TestTraditional_fold(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"習近平與普京會晤":       "习近平与普京会晤",
		"俄羅斯總統":          "俄罗斯总统",
		"薴":              "苎", // a chain in OpenCC's table, followed to its end
		"习近平会见俄罗斯总统":     "习近平会见俄罗斯总统",
		"Putin 普京 Путин": "Putin 普京 Путин",
		"東京で開かれた":        "东京で开かれた",
		// Characters simplified text writes too stay: 乾隆, 於, 哪吒.
		"乾隆 於 哪吒": "乾隆 於 哪吒",
	} {
		if got := foldTraditional(in); got != want {
			t.Errorf("foldTraditional(%q) = %q, want %q", in, got, want)
		}
	}
	if got, want := analyzeTerms("習近平與普京會晤"), analyzeTerms("习近平与普京会晤"); !slices.Equal(got, want) {
		t.Errorf("terms of the traditional text %v, of the simplified %v", got, want)
	}
}
