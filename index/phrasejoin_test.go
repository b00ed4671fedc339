package index

import (
	"reflect"
	"slices"
	"strings"
	"testing"
)

// TestSearch_quotedPhraseJoinedCompounds: a quoted phrase finds a
// compound written either way, joined or with its hyphen, and in any
// place in the phrase; but not the joined word with another word between.
func TestSearch_quotedPhraseJoinedCompounds(t *testing.T) {
	t.Parallel()
	x := openJSONL(t, article("hymail", "Contact", "Write to the e-mail address below.")+
		article("jomail", "Contact", "Write to the email address below.")+
		article("hytax", "Results", "It reported record pre-tax profit for the year.")+
		article("jotax", "Results", "It reported record pretax profit for the year.")+
		article("optax", "Results", "It reported pretax operating profit for the year.")+
		article("wifi", "Hotels", "A Wi-Fi router in every room.")+
		article("guided", "Arms", "The guided-missile destroyer sailed.")+
		article("inhouse", "Law", "The firm hired an in-house lawyer last year.")+
		article("walkin", "Homes", "A walk-in closet and a garden."))
	for _, c := range []struct {
		q    string
		want []string
	}{
		{`"email address"`, []string{"hymail", "jomail"}},
		{`"e-mail address"`, []string{"hymail", "jomail"}},
		{`"to the email address"`, []string{"hymail", "jomail"}},
		{`"record pretax profit"`, []string{"hytax", "jotax"}},
		{`"record pre-tax profit"`, []string{"hytax", "jotax"}},
		{`"pretax profit"`, []string{"hytax", "jotax"}},
		{`"wifi router"`, []string{"wifi"}},
		{`"guidedmissile destroyer"`, []string{"guided"}},
		{`"pretax operating"`, []string{"optax"}},
		{`"inhouse lawyer"`, []string{"inhouse"}}, // in: a stop word, not indexed
		{`"walkin closet"`, []string{"walkin"}},
	} {
		q := Query{Text: c.q, Size: 10, Typos: false}
		res := mustSearch(t, x, q)
		got := hitIDs(res)
		slices.Sort(got)
		if !slices.Equal(got, c.want) {
			t.Errorf("%s: got %v, want %v", c.q, got, c.want)
		}
		whole := map[string]string{"hymail": "<mark>e-mail</mark>", "hytax": "<mark>pre-tax</mark>",
			"wifi": "<mark>Wi-Fi</mark>", "guided": "<mark>guided-missile</mark>"}
		for _, h := range res.Hits {
			body := strings.Join(h.Highlights["body"], " ")
			if strings.Count(body, "<mark>") < 2 {
				t.Errorf("%s: %s's snippet %q, want the phrase's words marked", c.q, h.ID, body)
			}
			if w := whole[h.ID]; w != "" && !strings.Contains(body, w) {
				t.Errorf("%s: %s's snippet %q, want %s", c.q, h.ID, body, w)
			}
		}
		got2, want2, _ := bothPaths(t, x, Query{Text: c.q, Size: 10, Facets: DefaultFacets()})
		if !reflect.DeepEqual(got2.Hits, want2.Hits) || got2.Total != want2.Total {
			t.Errorf("%s: on postings %v (%d), through bleve %v (%d)", c.q, hitIDs(got2), got2.Total, hitIDs(want2), want2.Total)
		}
	}
}

func TestCompoundParts(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		word string
		want compoundPart // among the parts
	}{
		{"email", compoundPart{"e", "mail"}},
		{"pretax", compoundPart{"pre", "tax"}},
		{"guidedmissil", compoundPart{"guid", "missil"}}, // guided stems to guid
		{"inhous", compoundPart{"", "hous"}},             // in: a stop word
		{"walkin", compoundPart{"walk", ""}},
		{"g7", compoundPart{"g", "7"}},
	} {
		if got := compoundParts(c.word); !slices.Contains(got, c.want) {
			t.Errorf("compoundParts(%q) = %v, want %v among them", c.word, got, c.want)
		}
	}
	for _, w := range []string{"", "a", "7g", "путин", "普京", "Email", "wi-fi", strings.Repeat("x", maxJoinedBytes+1)} {
		if got := compoundParts(w); got != nil {
			t.Errorf("compoundParts(%q) = %v, want none", w, got)
		}
	}
}
