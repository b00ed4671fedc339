package index

import (
	"context"
	"slices"
	"strings"
	"testing"

	bleveindex "github.com/blevesearch/bleve_index_api"
)

// TestPackedPositions_search searches a real index for words and phrases
// that occur past a word's third occurrence, where the positions are the
// packed location's array positions (positions.go): the phrase is found
// only where it is, and every occurrence is marked.
func TestPackedPositions_search(t *testing.T) {
	t.Parallel()
	x := openJSONL(t, article("late", "Grain report",
		"Trade rose. Trade fell. Trade grew. Trade slowed. Trade stalled, and then trade talks began in Moscow.")+
		article("never", "Grain report",
			"Talks stalled. Trade rose, trade fell, trade grew, trade slowed; talks about trade.")+
		article("early", "Grain report", "Trade talks began. Trade rose."))
	ctx := context.Background()
	res, err := x.Search(ctx, Query{Text: `"trade talks"`, Size: 10})
	if err != nil {
		t.Fatal(err)
	}
	ids := hitIDs(res)
	slices.Sort(ids)
	if !slices.Equal(ids, []string{"early", "late"}) {
		t.Fatalf(`"trade talks" found %v, want early and late`, ids)
	}
	for _, h := range res.Hits {
		if s := strings.Join(h.Highlights[fieldBody], " "); !strings.Contains(s, "<mark>trade</mark> <mark>talks</mark>") && !strings.Contains(s, "<mark>Trade</mark> <mark>talks</mark>") {
			t.Errorf("%s: snippet %q does not mark the phrase", h.ID, s)
		}
	}

	a, hl, err := x.HighlightArticle(ctx, "late", Query{Text: "trade"})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Count(hl.Body, "<mark>"), strings.Count(strings.ToLower(a.Body), "trade"); got != want || want != 6 {
		t.Errorf("trade marked %d times in %q, want %d", got, hl.Body, want)
	}
	for _, m := range hl.Matches[fieldBody] {
		if w := a.Body[m.Start:m.End]; !strings.EqualFold(w, "trade") {
			t.Errorf("match [%d,%d) is %q, not trade", m.Start, m.End, w)
		}
	}
}

// TestFreqBuilder_packsAsPackPositions feeds a freqBuilder tokens out of
// position order, repeated at one position, and more than three times,
// and requires what packPositions makes of the same tokens.
func TestFreqBuilder_packsAsPackPositions(t *testing.T) {
	tokens := []struct {
		term string
		pos  int
	}{{"b", 4}, {"a", 9}, {"a", 2}, {"b", 1}, {"a", 2}, {"a", 30}, {"a", 5}, {"a", 7}, {"c", 3}, {"b", 1}, {"a", 11}}
	want := bleveindex.TokenFrequencies{}
	fb := newFreqBuilder(64)
	for _, tok := range tokens {
		tf := want[tok.term]
		if tf == nil {
			tf = &bleveindex.TokenFreq{Term: []byte(tok.term)}
			want[tok.term] = tf
		}
		tf.SetFrequency(tf.Frequency() + 1)
		tf.Locations = append(tf.Locations, &bleveindex.TokenLocation{Position: tok.pos})
		fb.add([]byte(tok.term), tok.pos)
	}
	packPositions(want)
	fb.finish()
	distinct := map[int]bool{}
	for _, tok := range tokens {
		distinct[tok.pos] = true
	}
	if fb.length != len(distinct) {
		t.Errorf("counted %d positions, want %d", fb.length, len(distinct))
	}
	equalFrequencies(t, []byte("tokens"), fb.freqs, want)
	a := fb.freqs["a"].Locations[0]
	got := appendPositions(nil, uint64(a.Position), uint64(a.Start), uint64(a.End), a.ArrayPositions)
	var ps []uint64
	for _, l := range got {
		ps = append(ps, l.Pos)
	}
	if !slices.Equal(ps, []uint64{2, 5, 7, 9, 11, 30}) {
		t.Errorf("a unpacks to positions %v, want 2 5 7 9 11 30", ps)
	}
}
