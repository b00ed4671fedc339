package index

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
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
		comparePruned(t, x, qs, fmt.Sprintf("decoded %v", decoded))
	}
	if x.unscored.Load() == before {
		t.Error("MaxScore skipped no document: the comparison proves nothing")
	}
}

// comparePruned checks that each of qs gives the same page and total
// with MaxScore and block bounds as scoring every document.
func comparePruned(t *testing.T, x *Index, qs []Query, when string) {
	t.Helper()
	for _, q := range qs {
		x.noPrune.Store(true)
		want := mustSearch(t, x, q)
		x.noPrune.Store(false)
		got := mustSearch(t, x, q)
		if !reflect.DeepEqual(got.Hits, want.Hits) || got.Total != want.Total {
			t.Errorf("%s, %+v: pruned %v (total %d), scoring all %v (total %d)", when, q, hitIDs(got), got.Total, hitIDs(want), want.Total)
		}
	}
}

// TestRank_blockMaxMatchesFullScan: skipping runs of documents by their
// block bounds gives the page that scoring every document gives, and does
// skip runs. 6,000 articles vary a word's frequency, the body's length and
// whether the title has the word; the searches are one word and several,
// with and without a title match, a phrase and an exclusion, at several
// page sizes. Then 300 long articles are written, which lengthens the
// average body by more than maxBlockDrift after the large segment's
// bounds were computed for the shorter one, and the searches are compared
// again.
func TestRank_blockMaxMatchesFullScan(t *testing.T) {
	t.Parallel()
	rnd := rand.New(rand.NewPCG(7, 11))
	var b strings.Builder
	for i := range 6000 {
		title := fmt.Sprintf("Port report %d", i%17)
		switch rnd.IntN(100) {
		case 0:
			title = "Grain harvest report"
		case 1:
			title = "Wheat market"
		}
		// Most articles mention wheat once in a long text; a few are
		// about it (short, the word repeated): those make the pages.
		filler, wheat := 10+rnd.IntN(30), 0
		switch r := rnd.IntN(1000); {
		case r < 5:
			filler, wheat = rnd.IntN(3), 4+rnd.IntN(3)
		case r < 60:
			filler, wheat = 5+rnd.IntN(10), 1+rnd.IntN(2)
		case r < 450:
			wheat = 1
		}
		var body strings.Builder
		body.WriteString("The harbour was busy. ")
		for range filler {
			body.WriteString("Ships came and went. ")
		}
		for range rnd.IntN(5) {
			body.WriteString("Grain exports rose. ")
		}
		body.WriteString(strings.Repeat("Wheat was loaded. ", wheat))
		// Barley, never in a title, leaves MaxScore nothing to skip.
		switch r := rnd.IntN(1000); {
		case r < 4:
			body.WriteString(strings.Repeat("Barley too. ", 3+rnd.IntN(4)))
		case r < 500:
			body.WriteString("Some barley. ")
		}
		b.WriteString(article(fmt.Sprintf("p%d", i), title, body.String()))
	}
	x := openJSONL(t, b.String())
	x.cache = nil
	x.dec.minDocs, x.dec.minDF = 1, 1
	waitColumns(t, x)
	var qs []Query
	for _, text := range []string{"barley", "wheat", "grain", "harbour", "barley harbour", "barley wheat", "grain wheat", "grain exports", `"grain exports" barley`, "barley -grain"} {
		for _, size := range []int{1, 10, 40} {
			qs = append(qs, Query{Text: text, Size: size, Facets: DefaultFacets()})
		}
		qs = append(qs, Query{Text: text, Match: MatchAny, From: 20, Size: 20})
	}
	compare := func(when string) {
		t.Helper()
		skips := x.blockSkips.Load()
		comparePruned(t, x, qs, when)
		if x.blockSkips.Load() == skips {
			t.Errorf("%s: no run of documents was skipped: the comparison proves nothing", when)
		}
	}
	compare("built")
	// A word in no title: only its postings' runs prune; a title term
	// with no postings in the segment must bound nothing.
	skips := x.blockSkips.Load()
	mustSearch(t, x, Query{Text: "barley", Size: 10})
	if x.blockSkips.Load() == skips {
		t.Error(`"barley": no run of documents was skipped`)
	}

	long := strings.Repeat("Cranes lifted containers all day. ", 200)
	var arts []Article
	for i := range 300 {
		a, err := Prepare(Article{ID: fmt.Sprintf("long%d", i), Title: "Dock log", Body: long + "Grain exports rose. Wheat was loaded.", Source: "Test", Lang: "en"})
		if err != nil {
			t.Fatal(err)
		}
		arts = append(arts, a)
	}
	if err := x.Add(context.Background(), arts); err != nil {
		t.Fatal(err)
	}
	waitColumns(t, x)
	compare("after long articles")
}

// TestBlockMaxima_bound: a term's block maxima bound the BM25 factor of
// every posting of their run, for the average field length they were
// computed with and, scaled by the ratio of the averages, for any other;
// and they are tight: each is its run's best, rounded up to a float32.
func TestBlockMaxima_bound(t *testing.T) {
	const n = 1000
	rnd := rand.New(rand.NewPCG(3, 5))
	lens := &fieldLens{codes: make([]uint16, 4*n)}
	dt := &decodedTerm{}
	for d := 0; d < 4*n; d += 1 + rnd.IntN(7) {
		dt.add(uint32(d), uint64(1+rnd.IntN(300)), float64(float32(1/math.Sqrt(float64(lengthCode(1+rnd.IntN(5000)))))), lens)
	}
	const avgdl = 120.0
	blocks := dt.blockMaxima(lens, avgdl)
	if want := (len(dt.docs) + blockPostings - 1) / blockPostings; len(blocks.best) != want {
		t.Fatalf("%d blocks for %d postings, want %d", len(blocks.best), len(dt.docs), want)
	}
	if again := dt.blockMaxima(lens, avgdl*1.04); again != blocks {
		t.Error("the maxima were computed again for an average 4% longer")
	}
	if again := dt.blockMaxima(lens, avgdl*1.06); again == blocks || again.avgdl != avgdl*1.06 {
		t.Error("the maxima were not computed again for an average 6% longer")
	}
	dt.blocks.Store(blocks)
	for _, later := range []float64{avgdl / 3, avgdl, 1.7 * avgdl, 9 * avgdl} {
		best := make([]float64, len(blocks.best))
		for i, d := range dt.docs {
			v := tfNorm(float64(dt.freq(i)), lens.dl(uint64(d)), later)
			j := i / blockPostings
			best[j] = max(best[j], v)
			if bound := float64(blocks.best[j]) * max(1, later/avgdl); v > bound {
				t.Fatalf("average %.1f: posting %d (document %d) scores %v over its run's bound %v", later, i, d, v, bound)
			}
		}
		if later != avgdl {
			continue
		}
		for j, v := range best {
			if got := float64(blocks.best[j]); got < v || got > v*(1+1e-6) {
				t.Errorf("run %d: best %v, want %v rounded up to a float32", j, got, v)
			}
		}
	}
}

// TestRankTerm_blockBound: a term's block bound holds for every document
// of the run it names, up to the end it returns, under the average field
// length its maxima were computed for and under averages a little longer
// or shorter (not computed again), and runs follow the postings.
func TestRankTerm_blockBound(t *testing.T) {
	rnd := rand.New(rand.NewPCG(9, 4))
	const docs = 3000
	lens := &fieldLens{codes: make([]uint16, docs)}
	dt := &decodedTerm{}
	for d := 0; d < docs; d += 1 + rnd.IntN(6) {
		tf := 1 + rnd.IntN(3)
		if rnd.IntN(50) == 0 {
			tf = 5 + rnd.IntN(20)
		}
		dt.add(uint32(d), uint64(tf), float64(float32(1/math.Sqrt(float64(lengthCode(5+rnd.IntN(400)))))), lens)
	}
	const avgdl = 90.0
	blocks := dt.blockMaxima(lens, avgdl)
	for _, later := range []float64{avgdl, avgdl * 1.04, avgdl * 0.97} {
		bound := &rankTerm{field: fieldBody, weight: 2.5, avgdl: later, dec: dt, lens: lens}
		scorer := &rankTerm{field: fieldBody, weight: 2.5, avgdl: later, dec: dt, lens: lens}
		if b, end := bound.blockBound(fieldTitle, 0); b != 0 || end != noEnd {
			t.Errorf("another field's bound: %v up to %d, want 0 to the end", b, end)
		}
		empty := &rankTerm{field: fieldBody, weight: 2.5, avgdl: later, dec: &decodedTerm{}, lens: lens}
		if b, end := empty.blockBound(fieldBody, 0); b != 0 || end != noEnd {
			t.Errorf("a term without postings: %v up to %d, want 0 to the end", b, end)
		}
		runs := 0
		var ub float64
		end := uint64(0)
		for d := range uint64(docs) {
			if d >= end {
				runs++
				ub, end = bound.blockBound(fieldBody, d)
				if end <= d {
					t.Fatalf("average %.1f: document %d's run ends at %d", later, d, end)
				}
				if _, found := slices.BinarySearch(dt.docs, uint32(end)); end != noEnd && !found {
					t.Fatalf("average %.1f: document %d's run ends at %d, not at the next run's first posting", later, d, end)
				}
			}
			if s := scorer.score(d); s > ub {
				t.Fatalf("average %.1f: document %d scores %v over its run's bound %v (run ends at %d)", later, d, s, ub, end)
			}
		}
		if runs != len(blocks.best) {
			t.Errorf("average %.1f: %d runs, want one per block of postings, %d", later, runs, len(blocks.best))
		}
		if dt.blocks.Load() != blocks {
			t.Errorf("average %.1f: the maxima were computed again", later)
		}
	}
}

// TestRank_byDateMatchesBleve: a search sorted by date, ranked on
// postings with the date column, gives bleve's sorted page: newest or
// oldest first, undated articles last, equal dates by score, equal scores
// by article id, whether the page is read from a window of the newest
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

// TestSearch_tiesOrderedByDateThenID: articles of equal score come newest
// first, undated last, then by id, on postings and through bleve alike,
// whatever order they were indexed in. Left to the index's order, two
// builds of the same articles listed copies of a story differently.
func TestSearch_tiesOrderedByDateThenID(t *testing.T) {
	t.Parallel()
	day := func(d int) time.Time { return time.Date(2026, 3, d, 9, 0, 0, 0, time.UTC) }
	var arts []Article
	for _, c := range []struct {
		id   string
		date time.Time
		body string
	}{
		{"copy-0", time.Time{}, ""},
		{"copy-1", day(1), ""},
		{"copy-2", time.Time{}, ""},
		{"copy-3", day(2), ""},
		{"copy-4", day(1), ""},
		{"copy-5", day(2), ""},
		// Newer, but a longer text: a lower score.
		{"later", day(20), " Ports in the region reopened after weeks of talks."},
	} {
		a, err := Prepare(Article{ID: c.id, Title: "Grain exports resume", Body: "Ships left Odesa with grain." + c.body,
			Source: "Tie Wire", Lang: "en", Date: c.date})
		if err != nil {
			t.Fatal(err)
		}
		arts = append(arts, a)
	}
	open := func(batches [][]Article) *Index {
		x, err := Open(context.Background(), Options{Dir: t.TempDir(), Logger: testLogger(t)})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { x.Close() })
		for _, b := range batches {
			if err := x.Add(context.Background(), b); err != nil {
				t.Fatal(err)
			}
		}
		x.cache = nil
		return x
	}
	var oneByOne [][]Article
	for _, a := range slices.Backward(arts) {
		oneByOne = append(oneByOne, []Article{a})
	}
	builds := map[string]*Index{
		"in one batch":         open([][]Article{arts}),
		"one by one, reversed": open(oneByOne),
	}
	for _, c := range []struct {
		q    Query
		want []string
	}{
		{Query{Text: "grain odesa", Size: 10, Facets: DefaultFacets()},
			[]string{"copy-3", "copy-5", "copy-1", "copy-4", "copy-0", "copy-2", "later"}},
		{Query{Text: "grain", From: 2, Size: 3}, []string{"copy-1", "copy-4", "copy-0"}},
		{Query{Text: "grain", Sort: SortOldest, Size: 10},
			[]string{"copy-1", "copy-4", "copy-3", "copy-5", "later", "copy-0", "copy-2"}},
		{Query{Size: 10}, []string{"later", "copy-3", "copy-5", "copy-1", "copy-4", "copy-0", "copy-2"}},
	} {
		for name, x := range builds {
			got, want, direct := bothPaths(t, x, c.q)
			if !direct {
				t.Errorf("%s, %+v: not ranked on postings", name, c.q)
			}
			if g := hitIDs(got); !slices.Equal(g, c.want) {
				t.Errorf("%s, %+v: on postings %v, want %v", name, c.q, g, c.want)
			}
			if w := hitIDs(want); !slices.Equal(w, c.want) {
				t.Errorf("%s, %+v: through bleve %v, want %v", name, c.q, w, c.want)
			}
		}
	}
}
