package index

import (
	"context"
	"slices"
	"testing"
	"testing/fstest"
)

// entityCorpus: the same people in English, Russian and Chinese.
func entityCorpus() fstest.MapFS {
	jl := `{"id":"en1","title":"Putin meets Xi","body":"Russian President Vladimir Putin met Xi Jinping in Moscow.","date":"2026-01-02","source":"Test","lang":"en"}
{"id":"ru1","title":"Путин и Лавров","body":"Сергей Лавров сопровождал Путина в Пекине.","date":"2026-01-03","source":"Test","lang":"ru"}
{"id":"zh1","title":"普京会见王毅","body":"普京在莫斯科会见王毅。","date":"2026-01-04","source":"Test","lang":"zh"}
{"id":"en2","title":"Shoigu in Beijing","body":"Sergei Shoigu met Wang Yi in Beijing.","date":"2026-01-05","source":"Test","lang":"en"}
`
	return fstest.MapFS{"entities.jsonl": {Data: []byte(jl)}}
}

func bucketsOf(t *testing.T, res Results, facet string) map[string]int {
	t.Helper()
	for _, f := range res.Facets {
		if f.Name == facet {
			m := map[string]int{}
			for _, b := range f.Buckets {
				m[b.Value] = b.Count
			}
			return m
		}
	}
	t.Fatalf("no %s facet in %+v", facet, res.Facets)
	return nil
}

// TestSearch_entityFacets: Putin, Путина and 普京 count as one person;
// a person filter narrows the hits; the person facet is disjunctive.
func TestSearch_entityFacets(t *testing.T) {
	t.Parallel()
	x, err := openMap(t, t.TempDir(), entityCorpus())
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	all := []string{FacetPerson, FacetPlace, FacetOrg}

	res, err := x.Search(ctx, Query{Facets: all})
	if err != nil {
		t.Fatal(err)
	}
	persons := bucketsOf(t, res, FacetPerson)
	want := map[string]int{"Vladimir Putin": 3, "Xi Jinping": 1, "Sergei Lavrov": 1, "Wang Yi": 2, "Sergei Shoigu": 1}
	if !mapsEqual(persons, want) {
		t.Errorf("person facet %v, want %v", persons, want)
	}
	if places := bucketsOf(t, res, FacetPlace); places["Moscow"] != 2 || places["Beijing"] != 2 {
		t.Errorf("place facet %v: want Moscow 2 (en, zh), Beijing 2 (ru Пекине, en)", places)
	}

	res, err = x.Search(ctx, Query{Facets: all, Filters: map[string][]string{FacetPerson: {"Vladimir Putin"}}})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, h := range res.Hits {
		ids = append(ids, h.ID)
	}
	slices.Sort(ids)
	if !slices.Equal(ids, []string{"en1", "ru1", "zh1"}) {
		t.Errorf("person=Vladimir Putin finds %v, want en1 ru1 zh1", ids)
	}
	// Disjunctive: the person facet ignores its own selection...
	if got := bucketsOf(t, res, FacetPerson); !mapsEqual(got, want) {
		t.Errorf("person facet with a person selected %v, want %v", got, want)
	}
	// ...and the other facets respect it.
	if got := bucketsOf(t, res, FacetPlace); got["Beijing"] != 1 {
		t.Errorf("place facet with Putin selected %v, want Beijing 1 (ru1 only)", got)
	}

	// Two persons: OR.
	res, err = x.Search(ctx, Query{Filters: map[string][]string{FacetPerson: {"Sergei Lavrov", "Sergei Shoigu"}}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 2 {
		t.Errorf("Lavrov OR Shoigu: %d hits, want 2", res.Total)
	}
	// Across facets: AND.
	res, err = x.Search(ctx, Query{Filters: map[string][]string{FacetPerson: {"Wang Yi"}, FacetPlace: {"Moscow"}}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 1 || res.Hits[0].ID != "zh1" {
		t.Errorf("Wang Yi AND Moscow: %d hits, want zh1", res.Total)
	}
}

func mapsEqual(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// TestSearch_outletIsNoEntity: an outlet's own name in its articles (a
// dateline, a sign-off) is not one of their organisations; another
// outlet's article naming it still counts it, and so does every other
// organisation of the outlet's articles.
func TestSearch_outletIsNoEntity(t *testing.T) {
	t.Parallel()
	jl := `{"id":"cctv1","title":"李强会见外宾","body":"央视网消息（新闻联播）：国务院总理李强在人民大会堂会见外宾。联合国秘书长出席。","date":"2026-01-02","source":"CCTV Xinwen Lianbo (tv.cctv.com)","lang":"zh"}
{"id":"cctv2","title":"国内联播快讯","body":"央视网消息（新闻联播）：全国人大常委会举行会议。","date":"2026-01-03","source":"CCTV Xinwen Lianbo (tv.cctv.com)","lang":"zh"}
{"id":"ria1","title":"Лавров в Пекине","body":"Сергей Лавров прибыл в Пекин, сообщает РИА Новости.","date":"2026-01-04","source":"Telegram: РИА Новости","lang":"ru"}
{"id":"bbc1","title":"State TV under fire","body":"China's state broadcaster CCTV and the agency RIA Novosti were criticised.","date":"2026-01-05","source":"BBC News","lang":"en"}
`
	x, err := openMap(t, t.TempDir(), fstest.MapFS{"outlets.jsonl": {Data: []byte(jl)}})
	if err != nil {
		t.Fatal(err)
	}
	res, err := x.Search(context.Background(), Query{Facets: []string{FacetOrg}})
	if err != nil {
		t.Fatal(err)
	}
	orgs := bucketsOf(t, res, FacetOrg)
	if orgs["CCTV"] != 1 || orgs["RIA Novosti"] != 1 {
		t.Errorf("org facet %v: want CCTV 1 and RIA Novosti 1 (bbc1 only), not the outlets' own articles", orgs)
	}
	if orgs["United Nations"] != 1 {
		t.Errorf("org facet %v: want United Nations 1 (cctv1 still has its other organisations)", orgs)
	}
}
