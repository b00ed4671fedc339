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
// into (the stop word at and the letter t, Rd, Ms), quoted, in a phrase,
// typed with spaces (AT & T), and as Reuters wrote them (S/P); so do C++
// and C#, not C; the whole name is marked.
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
		langArticle("cpp", "en", "Jobs", "We hire C++ and C# developers.")+
		langArticle("sp-reuters", "en", "RATINGS", "S/P UPGRADES DEBT OF ACME. Standard and Poor's raised it.")+
		langArticle("sp-and", "en", "RATINGS", "ACME debt was cut by S and P on Monday, the agency said.")+
		langArticle("ab-shares", "en", "Shares", "It holds class A and B shares and some P shares.")+
		langArticle("attw", "en", "Phones", "AT&T Wireless agreed to merge with Cingular.")+
		langArticle("cw", "en", "Phones", "Cable and Wireless sold its wireless unit.")+
		langArticle("c-lang", "en", "Jobs", "A compiler for C, and plan C.")+
		articles("filler", 6, "Weather", "Rain fell across the region on Monday."))
	for _, tc := range []struct {
		q    string
		want []string
	}{
		{"AT&T", []string{"att", "attw"}},
		{"at&t", []string{"att", "attw"}},
		{`"AT&T"`, []string{"att", "attw"}}, // not the letter t of T-Mobile
		{"AT & T", []string{"att", "attw"}},
		{"S&P", []string{"sp", "sp-and", "sp-lower", "sp-reuters"}},     // Reuters writes S/P and S and P
		{"S&P 500", []string{"sp", "sp-and", "sp-lower", "sp-reuters"}}, // sp, with 500 too, first
		{`"S&P 500"`, []string{"sp"}},
		{"R&D", []string{"rd"}},
		{`"R&D budget"`, []string{"rd"}},
		{"M&S", []string{"ms"}},
		{"C++", []string{"cpp"}},
		{"c#", []string{"cpp"}},
		{"AT&T Wireless", []string{"att", "attw", "cw"}}, // attw first
	} {
		res := mustSearch(t, x, Query{Text: tc.q})
		ids := hitIDs(res)
		if (tc.q == "S&P 500" && (len(ids) == 0 || ids[0] != "sp")) || (tc.q == "AT&T Wireless" && (len(ids) == 0 || ids[0] != "attw")) {
			t.Errorf("%s: %v, want sp first", tc.q, ids)
		}
		slices.Sort(ids)
		if !slices.Equal(ids, tc.want) {
			t.Errorf("%s: %v, want %v", tc.q, ids, tc.want)
		}
		name := strings.ToLower(strings.Trim(strings.Fields(tc.q)[0], `"`))
		if tc.q == "AT & T" {
			name = "at&t"
		}
		for _, h := range res.Hits {
			if h.ID == "cw" {
				continue
			}
			text := strings.ToLower(strings.Join(append(h.Highlights["title"], h.Highlights["body"]...), " "))
			if !strings.Contains(text, "<mark>"+html.EscapeString(name)+"</mark>") && !strings.Contains(text, "<mark>"+strings.ReplaceAll(name, "&", "/")+"</mark>") &&
				!strings.Contains(text, "<mark>"+strings.ReplaceAll(name, "&", " and ")+"</mark>") {
				t.Errorf("%s: %s marks %q", tc.q, h.ID, text)
			}
		}
	}
}

// TestJoinSpacedAmpersands: a name of capitals typed with spaces around
// its ampersand is joined; words, lower case and a lone ampersand are not.
func TestJoinSpacedAmpersands(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"AT & T":              "AT&T",
		"AT  &  T Wireless":   "AT&T Wireless",
		`"S & P 500"`:         `"S&P 500"`,
		"B & Q's prices":      "B&Q's prices",
		"Marks & Spencer":     "Marks & Spencer",
		"at & t":              "at & t",
		"& T":                 "& T",
		"AT &":                "AT &",
		"Procter & Gamble":    "Procter & Gamble",
		"no ampersand at all": "no ampersand at all",
	} {
		if got := joinSpacedAmpersands(in); got != want {
			t.Errorf("joinSpacedAmpersands(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestSuggest_ampersandNames: a name typed whole is not completed letter by
// letter after its ampersand (s&p had offered s&pct and s&price).
func TestSuggest_ampersandNames(t *testing.T) {
	t.Parallel()
	x := openJSONL(t, langArticle("sp", "en", "Stocks", "The S&P 500 index rose. Prices and pay rose 5 pct, per the S&P report.")+
		langArticle("cpp", "en", "Jobs", "We hire C++ and C# developers; Cobol too.")+
		articles("filler", 6, "Weather", "Rain fell across the region on Monday, the pct of rain per day."))
	for _, typed := range []string{"s&p", "S&P", "at&t", "c++", "C#"} {
		res, err := x.Suggest(context.Background(), SuggestQuery{Text: typed})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range res.Completions {
			if !strings.HasPrefix(strings.ToLower(c.Query), strings.ToLower(typed)) || len(c.Query) > len(typed) && strings.Contains(typed, "&") {
				t.Errorf("%s: completion %q", typed, c.Query)
			}
		}
	}
	res, err := x.Suggest(context.Background(), SuggestQuery{Text: "S&P 5"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Completions) == 0 || res.Completions[0].Query != "S&P 500" {
		t.Errorf("S&P 5: %+v, want S&P 500 first", res.Completions)
	}
}
