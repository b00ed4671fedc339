package index

import (
	"reflect"
	"testing"
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
