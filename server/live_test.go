package server

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"newsearch/index"
)

// openLive builds a real index of ../seeds plus testdata/articles (a
// hostile article for XSS tests) and any extra inputs in a temp dir and
// returns the whole site over it.
func openLive(t testing.TB, extra ...index.Input) (http.Handler, *index.Index) {
	t.Helper()
	x, err := index.Open(context.Background(), index.Options{
		Dir: t.TempDir(),
		Inputs: append([]index.Input{
			{FS: os.DirFS("../seeds"), Path: ".", Label: "seeds"},
			{FS: os.DirFS("testdata/articles"), Path: ".", Label: "testdata/articles"},
		}, extra...),
		Strict: true,
		Logger: discardLogger(),
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { x.Close() })
	return New(discardLogger(), Config{}, x), x
}

// get requests url from h and decodes the JSON answer into v.
func get(t *testing.T, h http.Handler, method, target, body string, v any) int {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(method, target, strings.NewReader(body)))
	if err := json.Unmarshal(rec.Body.Bytes(), v); err != nil {
		t.Fatalf("%s %s: %v: %s", method, target, err, rec.Body)
	}
	return rec.Code
}

// TestSearch_typosAndPrefix runs typo tolerance and prefix search through
// the API over the real seeds, and their off switches.
func TestSearch_typosAndPrefix(t *testing.T) {
	t.Parallel()
	h, _ := openLive(t)
	tests := []struct {
		method, target, body string
		wantTotal            uint64
		wantMark             string // in some hit's highlights
	}{
		{"GET", "/api/search?q=Shoigo", "", 1, "<mark>Shoigu</mark>"},
		{"GET", "/api/search?q=Shoigo&typos=false", "", 0, ""},
		{"POST", "/api/search", `{"q":"Shoigo","typos":false}`, 0, ""},
		{"POST", "/api/search", `{"q":"Shoigo"}`, 1, "<mark>Shoigu</mark>"},
		{"GET", "/api/search?q=cooperaton+Putin+", "", 5, "<mark>cooperation</mark>"},
		{"GET", "/api/search?q=Minnik", "", 1, "<mark>Minnikhanov</mark>"},
		{"GET", "/api/search?q=Minnik&prefix=false", "", 0, ""},
		{"GET", "/api/search?q=Minnik+", "", 0, ""},
		{"GET", "/api/search?q=%D0%B7%D0%B0%D1%82%D1%80%D0%B0%D0%B3", "", 1, "<mark>затрагивают</mark>"},         // затраг
		{"GET", "/api/search?q=%D0%97%D0%90%D0%A2%D0%A0%D0%90%D0%93&typos=0", "", 1, "<mark>затрагивают</mark>"}, // ЗАТРАГ
	}
	for _, tt := range tests {
		var res searchResponse
		if code := get(t, h, tt.method, tt.target, tt.body, &res); code != 200 {
			t.Fatalf("%s %s %s: status %d", tt.method, tt.target, tt.body, code)
		}
		if res.Total != tt.wantTotal {
			t.Errorf("%s %s %s: total %d, want %d", tt.method, tt.target, tt.body, res.Total, tt.wantTotal)
		}
		if tt.wantMark == "" {
			continue
		}
		found := false
		for _, hit := range res.Hits {
			for _, hs := range hit.Highlights {
				found = found || strings.Contains(strings.Join(hs, " "), tt.wantMark)
			}
		}
		if !found {
			t.Errorf("%s %s %s: no hit highlights %s", tt.method, tt.target, tt.body, tt.wantMark)
		}
	}
}

func TestSuggest_live(t *testing.T) {
	t.Parallel()
	h, _ := openLive(t)
	var res suggestResponse
	if code := get(t, h, "GET", "/api/suggest?q=Putin+Minnik", "", &res); code != 200 {
		t.Fatalf("status %d", code)
	}
	if len(res.Completions) == 0 || res.Completions[0].Text != "minnikhanov" || res.Completions[0].Query != "Putin Minnikhanov" || res.Completions[0].Count != 1 {
		t.Errorf("completions %+v", res.Completions)
	}
	res = suggestResponse{}
	get(t, h, "GET", "/api/suggest?q="+url.QueryEscape("Shoigo cooperaton "), "", &res)
	if len(res.Corrections) == 0 || res.Corrections[0].Query != "Shoigu cooperation " {
		t.Errorf("corrections %+v", res.Corrections)
	}
	if res.Completions == nil || res.Corrections == nil {
		t.Error("lists must be [] rather than null")
	}
	res = suggestResponse{}
	get(t, h, "GET", "/api/suggest?size=2&q="+url.QueryEscape("c"), "", &res)
	if len(res.Completions) != 2 || res.Completions[0].Count < res.Completions[1].Count {
		t.Errorf("size=2 completions %+v", res.Completions)
	}
}

func TestArticle_highlighted(t *testing.T) {
	t.Parallel()
	h, _ := openLive(t)
	var plain, hl articleResponse
	get(t, h, "GET", "/api/articles/001_f73cd8b2b73a01dd", "", &plain)
	if code := get(t, h, "GET", "/api/articles/001_f73cd8b2b73a01dd?q=Shoigo+Beijing", "", &hl); code != 200 {
		t.Fatalf("status %d", code)
	}
	if plain.Highlights != nil {
		t.Error("highlights without q")
	}
	if hl.Highlights == nil || !strings.Contains(hl.Highlights.Body, "<mark>Shoigu</mark>") || !strings.Contains(hl.Highlights.Body, "<mark>Beijing</mark>") {
		t.Fatalf("highlights %+v", hl.Highlights)
	}
	hl.Highlights = nil
	if diff := cmp.Diff(plain, hl, cmp.AllowUnexported(articleResponse{})); diff != "" {
		t.Errorf("the article's own fields changed with q (-without +with):\n%s", diff)
	}
	var xss articleResponse
	get(t, h, "GET", "/api/articles/xss-test?q=script", "", &xss)
	if xss.Highlights == nil || strings.Contains(xss.Highlights.Body, "<script") || strings.Contains(xss.Highlights.Title, "<img") ||
		!strings.Contains(xss.Highlights.Body, "&lt;<mark>script</mark>&gt;") {
		t.Errorf("hostile article not escaped: %+v", xss.Highlights)
	}
}

// FuzzSuggestParams sends arbitrary query strings to GET /api/suggest over
// a real index: the answer is 200 or 400, never 5xx, and always JSON.
func FuzzSuggestParams(f *testing.F) {
	for _, s := range []string{"", "q=", "q=Minnik", "q=Shoigo+cooperaton", "q=%E6%99%AE", "q=%FF", "q=a&q=b",
		"size=0", "size=20&q=c", "size=-1", "size=99999999999999999999", "lang=en", "q=" + strings.Repeat("%D0%B9", 300),
		"q=%22unbalanced", "q=-", "q=%E4%B8%AD%E4%BF%84%E5%85%B3", "q=a;b", "%zz", "q=OR+OR", "q=\x00", "q=title%3AMinnik", "q=-intitle%3AShoigo+", "q=title%3A",
		"q=Putin+Minnik", "q=Xi+Jin", "q=-Putin+Kaz", "q=%22strategic+part", "q=title%3ARussia+NOT+Put", "q=Putin+OR+Xi+Ji",
		"q=Genby+d+Vjcrdt+", "q=%5Bf%2Cfhjdcr+", "q=%D0%97%D0%B3%D0%B5%D1%88%D1%82+", // keyboard layouts: Путин в Москве, хабаровск, Putin
		"q=Russia-Ch", "q=e-m", "q=Putin+Russia-", "q=a-b-c"} { // compounds being typed
		f.Add(s)
	}
	h, _ := openLive(f)
	f.Fuzz(func(t *testing.T, raw string) {
		req := httptest.NewRequest("GET", "/api/suggest", nil)
		req.URL.RawQuery = raw
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != 200 && rec.Code != 400 {
			t.Fatalf("%q: status %d: %s", raw, rec.Code, rec.Body)
		}
		if !json.Valid(rec.Body.Bytes()) {
			t.Fatalf("%q: not JSON: %s", raw, rec.Body)
		}
	})
}

// TestRelated_live: GET /api/articles/{id}/related over the real seeds
// gives other articles, never the article itself, at most size, and
// clear 4xx errors for bad requests.
func TestRelated_live(t *testing.T) {
	t.Parallel()
	h, _ := openLive(t)
	var sr searchResponse
	if code := get(t, h, "GET", "/api/search?q=Putin", "", &sr); code != 200 || len(sr.Hits) < 2 {
		t.Fatalf("search Putin: %d, %d hits", code, len(sr.Hits))
	}
	id := sr.Hits[0].ID
	var rr relatedResponse
	if code := get(t, h, "GET", "/api/articles/"+id+"/related", "", &rr); code != 200 {
		t.Fatalf("related: status %d", code)
	}
	if rr.ID != id || len(rr.Related) == 0 || len(rr.Related) > defaultRelated {
		t.Fatalf("related to %s: %+v, want 1 to %d others", id, rr, defaultRelated)
	}
	for i, a := range rr.Related {
		if a.ID == id || a.Title == "" || i > 0 && a.Score > rr.Related[i-1].Score {
			t.Errorf("related %d: %+v (the article itself, untitled, or out of order)", i, a)
		}
	}
	if code := get(t, h, "GET", "/api/articles/"+id+"/related?size=1", "", &rr); code != 200 || len(rr.Related) != 1 {
		t.Errorf("size=1: status %d, %d related", code, len(rr.Related))
	}
	for target, want := range map[string]int{
		"/api/articles/" + id + "/related?size=0":        400,
		"/api/articles/" + id + "/related?size=21":       400,
		"/api/articles/" + id + "/related?size=x":        400,
		"/api/articles/" + id + "/related?size=1&size=2": 400,
		"/api/articles/" + id + "/related?q=Putin":       400,
		"/api/articles/no-such-article/related":          404,
	} {
		var e struct {
			Error struct{ Code, Message string } `json:"error"`
		}
		if code := get(t, h, "GET", target, "", &e); code != want || e.Error.Message == "" {
			t.Errorf("%s: status %d %+v, want %d with a message", target, code, e, want)
		}
	}
}

// TestSearch_ignoredLive: a search of stop words only answers 200 with no
// hits and names the words in "ignored", by GET and by POST; a search with
// another word has no "ignored" at all.
func TestSearch_ignoredLive(t *testing.T) {
	t.Parallel()
	h, _ := openLive(t)
	var sr searchResponse
	if code := get(t, h, "GET", "/api/search?q=there+it+is", "", &sr); code != 200 || sr.Total != 0 || !slices.Equal(sr.Ignored, []string{"there", "it", "is"}) {
		t.Errorf("GET there it is: %d, total %d, ignored %q", code, sr.Total, sr.Ignored)
	}
	sr = searchResponse{}
	if code := get(t, h, "POST", "/api/search", `{"q":"\"to be or not to be\""}`, &sr); code != 200 || !slices.Equal(sr.Ignored, []string{"to be or not to be"}) {
		t.Errorf("POST a phrase of stop words: %d, ignored %q", code, sr.Ignored)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/api/search?q=the+Putin", nil))
	if rec.Code != 200 || strings.Contains(rec.Body.String(), `"ignored"`) {
		t.Errorf("the Putin: %d, %s", rec.Code, rec.Body.String()[:min(rec.Body.Len(), 200)])
	}
}

// TestReadyz_dirRemoved: with the index directory removed under the
// server, readiness fails and says that only a restart helps, with no
// Retry-After inviting a client to wait.
func TestReadyz_dirRemoved(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	x, err := index.Open(context.Background(), index.Options{
		Dir:    dir,
		Inputs: []index.Input{{FS: os.DirFS("../seeds"), Path: ".", Label: "seeds"}},
		Logger: discardLogger(),
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { x.Close() })
	h := New(discardLogger(), Config{}, x)
	var ok healthResponse
	if code := get(t, h, "GET", "/readyz", "", &ok); code != 200 {
		t.Fatalf("readyz before: %d %+v", code, ok)
	}
	if err := os.Remove(filepath.Join(dir, "LOCK")); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/readyz", "/healthz"} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		if rec.Code != 503 || !strings.Contains(rec.Body.String(), "restart the server") {
			t.Errorf("%s with the directory gone: %d %s, want 503 saying to restart", path, rec.Code, rec.Body)
		}
		if ra := rec.Header().Get("Retry-After"); ra != "" {
			t.Errorf("%s with the directory gone: Retry-After %q, but waiting does not help", path, ra)
		}
	}
}

// TestSearchPOST_fieldNames: the problems of a POST search are named by
// the fields of its body (filters.date.from, highlight.fragments,
// filters.bogus), so that a client can point at what it sent; GET keeps
// its parameter names.
func TestSearchPOST_fieldNames(t *testing.T) {
	t.Parallel()
	h, _ := openLive(t)
	type errBody struct {
		Error struct {
			Fields map[string]string `json:"fields"`
		} `json:"error"`
	}
	for body, field := range map[string]string{
		`{"filters":{"bogus":["x"]}}`:              "filters.bogus",
		`{"filters":{"date":{"from":"x"}}}`:        "filters.date.from",
		`{"filters":{"date":{"to":"2026-13-01"}}}`: "filters.date.to",
		`{"highlight":{"fragments":99}}`:           "highlight.fragments",
		`{"highlight":{"fragment_size":1}}`:        "highlight.fragment_size",
		`{"filters":{"lang":["xx"]}}`:              "filters.lang",
		`{"filters":{"person":[""]}}`:              "filters.person",
		`{"size":0}`:                               "size",
		`{"qq":1}`:                                 "qq",
	} {
		var e errBody
		if code := get(t, h, "POST", "/api/search", body, &e); code != 400 || e.Error.Fields[field] == "" || len(e.Error.Fields) != 1 {
			t.Errorf("POST %s: %d, fields %v; want 400 naming %s", body, code, e.Error.Fields, field)
		}
	}
	var e errBody
	if code := get(t, h, "GET", "/api/search?from_date=x", "", &e); code != 400 || e.Error.Fields["from_date"] == "" {
		t.Errorf("GET from_date=x: %d, fields %v; want 400 naming from_date", code, e.Error.Fields)
	}
}

// TestQuery_controlCharacters: a control character in q is a 400 that
// names it, on every endpoint that takes q, GET or POST; tab and line
// breaks, which pasted text holds, separate words. q=%00 had listed every
// article, as an empty query does.
func TestQuery_controlCharacters(t *testing.T) {
	t.Parallel()
	h, _ := openLive(t)
	for _, c := range []struct{ method, target, body string }{
		{"GET", "/api/search?q=%00", ""},
		{"GET", "/api/search?q=Putin%01", ""},
		{"GET", "/api/search?q=Put%7Fin", ""},
		{"POST", "/api/search", `{"q":"\u0000"}`},
		{"GET", "/api/suggest?q=Put%00", ""},
		{"GET", "/api/articles/004_6f79ba49cfbf81dd?q=%1BPutin", ""},
	} {
		var body struct {
			Error struct{ Fields map[string]string }
		}
		if status := get(t, h, c.method, c.target, c.body, &body); status != 400 || !strings.Contains(body.Error.Fields["q"], "control characters") {
			t.Errorf("%s %s %s: %d %+v, want 400 naming the control character", c.method, c.target, c.body, status, body)
		}
	}
	for _, q := range []string{"Putin%09Kazan", "Putin%0D%0AKazan"} {
		var res struct{ Total int }
		if status := get(t, h, "GET", "/api/search?q="+q+"&match=all", "", &res); status != 200 || res.Total != 2 {
			t.Errorf("q=%s: %d, total %d; want 200 and the 2 seeds with both words", q, status, res.Total)
		}
	}
}

// TestNotFound_page: a browser asking for an address outside /api/ that
// does not exist gets a page leading back to the search; it had been
// shown the JSON error. Scripts, and every /api/ address, still get JSON.
func TestNotFound_page(t *testing.T) {
	t.Parallel()
	h, _ := openLive(t)
	const browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
	for _, c := range []struct {
		path, accept string
		html         bool
	}{
		{"/foo/bar", browser, true},
		{"/articles/004_6f79ba49cfbf81dd/", browser, true},
		{"/foo/bar", "", false},
		{"/foo/bar", "application/json", false},
		{"/api/nothing", browser, false},
	} {
		req := httptest.NewRequest("GET", c.path, nil)
		if c.accept != "" {
			req.Header.Set("Accept", c.accept)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		ct, body := rec.Header().Get("Content-Type"), rec.Body.String()
		isHTML := strings.HasPrefix(ct, "text/html") && strings.Contains(body, "<h1>Page not found</h1>") && strings.Contains(body, `<a href="/">`)
		if rec.Code != 404 || isHTML != c.html || !c.html && !json.Valid(rec.Body.Bytes()) {
			t.Errorf("GET %s (Accept %q): %d %s %q; want 404 and the page: %v", c.path, c.accept, rec.Code, ct, body, c.html)
		}
	}
}
