package index

import (
	"context"
	"html"
	"slices"
	"strings"
	"testing"
)

// TestSearch_ampersandNames: AT&T, S&P, R&D and M&S find the articles that
// write them, in either case, and not the letters or words they split
// into (the stop word at and the letter t, Rd, Ms); the whole name is
// marked.
func TestSearch_ampersandNames(t *testing.T) {
	t.Parallel()
	x := openJSONL(t, langArticle("att", "en", "Phones", "AT&T reported higher profits for the quarter.")+
		langArticle("tmobile", "en", "Phones", "T-Mobile raised its prices at the start of the year.")+
		langArticle("sp", "en", "Stocks", "The S&P 500 index rose 1.2 percent on Friday.")+
		langArticle("sp-lower", "en", "Stocks", "Futures on the s&p fell in early trading.")+
		langArticle("rd", "en", "Spending", "The company raised its R&D budget again.")+
		langArticle("road", "en", "Traffic", "Main Rd was closed after the crash, D said.")+
		langArticle("ms", "en", "Retail", "M&S said Christmas sales were strong.")+
		langArticle("missus", "en", "Interview", "Ms Smith said she would stand again.")+
		articles("filler", 6, "Weather", "Rain fell across the region on Monday."))
	for _, tc := range []struct {
		q    string
		want []string
	}{
		{"AT&T", []string{"att"}},
		{"at&t", []string{"att"}},
		{"S&P", []string{"sp", "sp-lower"}},
		{"S&P 500", []string{"sp", "sp-lower"}}, // sp, with 500 too, first
		{"R&D", []string{"rd"}},
		{"M&S", []string{"ms"}},
	} {
		res, err := x.Search(context.Background(), Query{Text: tc.q})
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, h := range res.Hits {
			ids = append(ids, h.ID)
		}
		if tc.q == "S&P 500" && (len(ids) == 0 || ids[0] != "sp") {
			t.Errorf("%s: %v, want sp first", tc.q, ids)
		}
		slices.Sort(ids)
		if !slices.Equal(ids, tc.want) {
			t.Errorf("%s: %v, want %v", tc.q, ids, tc.want)
		}
		for _, h := range res.Hits {
			if body := strings.Join(h.Highlights["body"], " "); !strings.Contains(strings.ToLower(body), "<mark>"+html.EscapeString(strings.ToLower(strings.Fields(tc.q)[0]))+"</mark>") {
				t.Errorf("%s: %s marks %q", tc.q, h.ID, body)
			}
		}
	}
}
