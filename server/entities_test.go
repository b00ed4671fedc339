package server

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestSearch_entities: the entity facets over the real seeds, their
// filters in GET and POST, and the limits on filter values.
func TestSearch_entities(t *testing.T) {
	t.Parallel()
	h, _ := openLive(t)
	type resp struct {
		Total  int `json:"total"`
		Facets map[string][]struct {
			Value string `json:"value"`
			Count int    `json:"count"`
		} `json:"facets"`
		Error struct {
			Fields map[string]string `json:"fields"`
		} `json:"error"`
	}
	count := func(r resp, facet, value string) int {
		for _, b := range r.Facets[facet] {
			if b.Value == value {
				return b.Count
			}
		}
		return -1
	}

	var all resp
	if code := get(t, h, "GET", "/api/search?q=&facets=person,place,org", "", &all); code != http.StatusOK {
		t.Fatalf("status %d", code)
	}
	if len(all.Facets) != 3 {
		t.Errorf("facets %v, want person, place and org only", all.Facets)
	}
	putin := count(all, "person", "Vladimir Putin")
	if putin < 3 || count(all, "place", "Moscow") < 3 || count(all, "org", "Shanghai Cooperation Organisation") < 1 {
		t.Errorf("facets %+v: want Vladimir Putin, Moscow, Shanghai Cooperation Organisation", all.Facets)
	}

	var def resp
	get(t, h, "GET", "/api/search?q=Russia", "", &def)
	if _, ok := def.Facets["person"]; ok || len(def.Facets) != 3 {
		t.Errorf("default facets %v: want source, lang, date", keys(def.Facets))
	}

	var narrowed resp
	get(t, h, "GET", "/api/search?q=&facets=person&person="+url.QueryEscape("Vladimir Putin"), "", &narrowed)
	if narrowed.Total != putin {
		t.Errorf("person=Vladimir Putin: %d hits, want %d", narrowed.Total, putin)
	}
	if len(narrowed.Facets["person"]) != len(all.Facets["person"]) {
		t.Errorf("the person facet changed with its own selection: %v vs %v", narrowed.Facets["person"], all.Facets["person"])
	}
	var post resp
	if code := get(t, h, "POST", "/api/search", `{"q":"","facets":["person"],"filters":{"person":["Vladimir Putin"],"org":["Shanghai Cooperation Organisation"]}}`, &post); code != http.StatusOK || post.Total == 0 || post.Total > putin {
		t.Errorf("POST with person and org filters: status %d, %d hits", code, post.Total)
	}
	var none resp
	get(t, h, "GET", "/api/search?q=&place=Atlantis", "", &none)
	if none.Total != 0 {
		t.Errorf("place=Atlantis: %d hits", none.Total)
	}

	many := strings.Repeat("&org=x", 21)
	for _, c := range []struct{ target, body, field string }{
		{"/api/search?q=&person=" + strings.Repeat("a", 101), "", "person"},
		{"/api/search?q=" + many, "", "org"},
		{"/api/search?q=&place=", "", "place"},
		{"/api/search", `{"filters":{"place":["` + strings.Repeat("é", 51) + `"]}}`, "filters.place"}, // a POST names the body's field
	} {
		method := "GET"
		if c.body != "" {
			method = "POST"
		}
		var bad resp
		if code := get(t, h, method, c.target, c.body, &bad); code != http.StatusBadRequest || bad.Error.Fields[c.field] == "" {
			t.Errorf("%s %.60s: status %d, fields %v; want 400 naming %s", method, c.target, code, bad.Error.Fields, c.field)
		}
	}
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
