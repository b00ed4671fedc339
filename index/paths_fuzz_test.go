package index

import (
	"reflect"
	"slices"
	"testing"
	"unicode/utf8"
)

// FuzzSearchPaths: any query text gives the same page, total, count with
// every word and facets whether it is ranked on postings (rank.go) or
// through bleve's collector, over articles in the three languages with
// copies (ties), undated ones, and Chinese written together and apart.
//
//	go test ./index -run '^$' -fuzz '^FuzzSearchPaths$' -fuzztime 60s
func FuzzSearchPaths(f *testing.F) {
	for _, s := range []string{"石油价格", "美国大选", `"石油价格"`, "石油价格 国际", "美国大选 投票", "国际 石油价格 美国大选", "习近平普京", "title:石油价格", "石油价格 -出口",
		"Putin Xi", "Путин", "trade talks", "grain", "выборы", "China -Russia", "", "OR", `"a b" c*`,
		"China-Russia", "trade-talks grain", `"Odesa-grain"`, "title:grain-exports"} {
		f.Add(s, uint8(0))
		f.Add(s, uint8(0x35)) // typos, match=all, the second page, newest first
	}
	x := openJSONL(f, zhArticles(append(slices.Clone(typedTogether),
		[3]string{"vote", "美国大选投票", "美国大选投票今天举行。"},
		[3]string{"vote-apart", "美国举行大选", "美国今天举行大选投票。"})...)+articles("copy", 3, "Grain exports resume", "Ships left Odesa with grain and trade talks resumed.")+
		`{"id":"undated","title":"Trade talks","body":"Trade talks with China and Russia.","source":"Test","lang":"en"}`+"\n"+
		langArticle("ru-vote", "ru", "Выборы", "Путин прокомментировал выборы.")+
		langArticle("ru-choice", "ru", "Выбор", "Выбор роутера.")+
		article("en-xi", "Putin and Xi meet", "Xi Jinping met Vladimir Putin; grain trade was discussed."))
	f.Fuzz(func(t *testing.T, text string, mode uint8) {
		if !utf8.ValidString(text) || utf8.RuneCountInString(text) > 40 {
			return
		}
		q := Query{Text: text, Size: 5, From: int(mode>>4&1) * 2, Facets: DefaultFacets(), Typos: mode&1 != 0, Prefix: mode&2 != 0}
		q.Match = []Match{MatchAuto, MatchAll, MatchAny, MatchAuto}[mode>>2&3]
		q.Sort = []Sort{SortRelevance, SortNewest, SortOldest, ""}[mode>>5&3]
		if err := q.Validate(); err != nil {
			return
		}
		x.cache = nil
		got, want, _ := bothPaths(t, x, q)
		if !reflect.DeepEqual(hitIDs(got), hitIDs(want)) || got.Total != want.Total {
			t.Fatalf("%+v: on postings %v (%d), through bleve %v (%d)", q, hitIDs(got), got.Total, hitIDs(want), want.Total)
		}
		if !reflect.DeepEqual(got.Facets, want.Facets) {
			t.Fatalf("%+v: facets on postings %v, through bleve %v", q, got.Facets, want.Facets)
		}
		for i := range got.Hits {
			if !reflect.DeepEqual(got.Hits[i].Missing, want.Hits[i].Missing) {
				t.Fatalf("%+v: %s lacks %v on postings, %v through bleve", q, got.Hits[i].ID, got.Hits[i].Missing, want.Hits[i].Missing)
			}
		}
	})
}
