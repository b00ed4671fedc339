package index

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
)

// TestRank_maxScoreMatchesFullScan: skipping the documents that cannot
// make the page (MaxScore) gives the page scoring every document gives,
// over BBC, for one-word, several-word, phrase, alternative-rich and deep
// searches, with decoded postings (tight bounds) and without (loose).
func TestRank_maxScoreMatchesFullScan(t *testing.T) {
	t.Parallel()
	x := openCorpus(t, "bbc")
	x.cache = nil
	waitColumns(t, x) // faceted searches take the postings path only with them
	x.dec.minDocs, x.dec.minDF = 1, 1
	var qs []Query
	for _, text := range []string{"election", "government", "film", "the", "mobile phone", "labour party election", `"prime minister" blair`,
		"economy growth rates", "Blair Brown", "electon", "technolog", "world cup", "music award -film"} {
		for _, size := range []int{1, 10, 50} {
			qs = append(qs, Query{Text: text, Size: size, Typos: true, Prefix: true, Facets: DefaultFacets()})
		}
		qs = append(qs, Query{Text: text, Match: MatchAny, From: 30, Size: 20})
	}
	before := x.unscored.Load()
	for _, decoded := range []bool{true, false} {
		x.dec.mu.Lock()
		x.dec.off, x.dec.segs = !decoded, nil
		x.dec.mu.Unlock()
		for _, q := range qs {
			x.noPrune.Store(true)
			want := mustSearch(t, x, q)
			x.noPrune.Store(false)
			got := mustSearch(t, x, q)
			if !reflect.DeepEqual(got.Hits, want.Hits) || got.Total != want.Total {
				t.Errorf("%+v (decoded %v): with MaxScore %v (total %d), scoring all %v (total %d)", q, decoded, hitIDs(got), got.Total, hitIDs(want), want.Total)
			}
		}
	}
	if x.unscored.Load() == before {
		t.Error("MaxScore skipped no document: the comparison proves nothing")
	}
}

// TestRank_byDateMatchesBleve: a search sorted by date, ranked on
// postings with the date column, gives bleve's sorted page: newest or
// oldest first, undated articles last, equal dates by score, equal scores
// by index order, whether the page is read from a window of the newest
// (oldest) months or from every match. The articles share a few days of
// five months, some have no date, and some are copies of each other
// (equal dates and scores).
func TestRank_byDateMatchesBleve(t *testing.T) {
	t.Parallel()
	x := openFixture(t)
	x.cache = nil
	var arts []Article
	for i := range 90 {
		body := strings.Repeat("Trade talks resumed. ", 1+i%4)
		if i%2 == 0 {
			body += "China and Russia signed a deal. "
		}
		if i%5 == 0 {
			body += strings.Repeat("Sanctions weigh on trade. ", 2)
		}
		a := Article{ID: fmt.Sprintf("dated-%02d", i), Title: fmt.Sprintf("Desk note %d", i%6), Body: body, Source: "Date Desk", Lang: "en"}
		if i%9 != 0 {
			a.Date = time.Date(2026, time.Month(1+i%5), 1+i%7, 0, 0, 0, 0, time.UTC)
		}
		p, err := Prepare(a)
		if err != nil {
			t.Fatal(err)
		}
		arts = append(arts, p)
	}
	// Two batches: two segments until scorch merges them.
	if err := x.Add(context.Background(), arts[:45]); err != nil {
		t.Fatal(err)
	}
	if err := x.Add(context.Background(), arts[45:]); err != nil {
		t.Fatal(err)
	}
	var qs []Query
	for _, text := range []string{"trade", "trade talks", "china sanctions", `"trade talks" russia`, "note -sanctions", "", "-sanctions"} {
		for _, sort := range []Sort{SortNewest, SortOldest} {
			for _, page := range [][2]int{{0, 10}, {0, 1}, {8, 30}, {40, 100}} {
				qs = append(qs, Query{Text: text, Sort: sort, From: page[0], Size: page[1], Facets: DefaultFacets()})
			}
		}
	}
	windows := x.cols.windows.Load()
	for _, q := range qs {
		got, want, direct := bothPaths(t, x, q)
		if !direct {
			t.Errorf("%+v: not ranked on postings", q)
		}
		if g, w := hitIDs(got), hitIDs(want); !reflect.DeepEqual(g, w) {
			t.Errorf("%+v: on postings %v\nthrough bleve %v", q, g, w)
		} else if !reflect.DeepEqual(got.Hits, want.Hits) || got.Total != want.Total {
			t.Errorf("%+v: the same hits differ in score, highlights or total", q)
		}
	}
	// The comparison covers what it claims: pages read from a window of
	// months, the page of a broad search holds equal dates, and undated
	// articles come last.
	if x.cols.windows.Load() == windows {
		t.Error("no search read only a window of months")
	}
	res := mustSearch(t, x, Query{Text: "trade", Sort: SortNewest, Size: 100})
	var undated, sameDay int
	for i, h := range res.Hits {
		if h.Date.IsZero() {
			undated++
		} else if undated > 0 {
			t.Errorf("hit %d (%s) is dated after an undated one", i, h.ID)
		}
		if i > 0 && h.Date.Equal(res.Hits[i-1].Date) {
			sameDay++
		}
	}
	if undated == 0 || sameDay == 0 {
		t.Errorf("fixture: %d undated hits and %d sharing a day with the one before; want both", undated, sameDay)
	}
}
