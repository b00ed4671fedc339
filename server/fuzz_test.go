package server

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"

	"newsearch/index"
)

// fuzzHandler is the whole site over a real index of the seeds with writes
// on, built once per fuzz target.
func fuzzHandler(f *testing.F) http.Handler {
	x, err := index.Open(f.Context(), index.Options{
		Dir:    f.TempDir(),
		Inputs: []index.Input{{FS: os.DirFS("../seeds"), Path: ".", Label: "seeds"}},
		Logger: discardLogger(),
	})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { x.Close() })
	return New(discardLogger(), Config{AdminToken: testToken, MaxBulkBytes: 1 << 20}, x)
}

// serveFuzz runs one request and checks the property every fuzz target
// shares: never a 5xx, always a JSON body.
func serveFuzz(t *testing.T, h http.Handler, r *http.Request) *httptest.ResponseRecorder {
	r.Header.Set("Authorization", "Bearer "+testToken)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	if rec.Code >= 500 {
		t.Fatalf("%s %s: status %d: %s", r.Method, r.URL, rec.Code, rec.Body)
	}
	if !json.Valid(rec.Body.Bytes()) {
		t.Fatalf("%s %s: status %d, body not JSON: %q", r.Method, r.URL, rec.Code, rec.Body)
	}
	return rec
}

// FuzzSearchParams: any query string on GET /api/search.
func FuzzSearchParams(f *testing.F) {
	for _, s := range []string{"q=putin", "q=%22Xi+Jinping%22&sort=date&size=3", "q=a*+b*&from=1e18", "size=-1",
		"from_date=2026-02-30", "q=%FF", "facets=source,lang,date,,x", "q=-&match=any&typos=false", "source=Realist&source=MIL-OSI&lang=en", "q=title%3APutin+-intitle%3A%22a+b%22+NOT+c", "q=title%3A+NOT",
		"q=%E4%B9%A0%E8%BF%91%E5%B9%B3%EF%BC%8C%E6%99%AE%E4%BA%AC%E4%BC%9A%E8%B0%88"} { // 习近平，普京会谈: a Chinese run cut at its comma
		f.Add(s)
	}
	h := fuzzHandler(f)
	f.Fuzz(func(t *testing.T, raw string) {
		r := httptest.NewRequest("GET", "/api/search", nil)
		r.URL.RawQuery = raw
		serveFuzz(t, h, r)
	})
}

// FuzzRelated: any id and query string on GET /api/articles/{id}/related.
func FuzzRelated(f *testing.F) {
	for _, s := range [][2]string{{"004_6f79ba49cfbf81dd", ""}, {"004_6f79ba49cfbf81dd", "size=20"}, {"no-such", "size=1"},
		{"004_6f79ba49cfbf81dd", "size=0"}, {"%FF", ""}, {"a/b", "size=x&q=1"}, {"..", ""}} {
		f.Add(s[0], s[1])
	}
	h := fuzzHandler(f)
	f.Fuzz(func(t *testing.T, id, raw string) {
		if id == "" || id == "." || id == ".." || strings.Contains(id, "/") {
			// mux cleans the decoded path: it redirects dot segments and
			// empty ones (an escaped / decodes to one, an empty id is one) to the clean path.
			t.Skip("not one path segment")
		}
		r := httptest.NewRequest("GET", "/api/articles/"+url.PathEscape(id)+"/related", nil)
		r.URL.RawQuery = raw
		serveFuzz(t, h, r)
	})
}

// FuzzSearchPOST: any body on POST /api/search.
func FuzzSearchPOST(f *testing.F) {
	for _, s := range []string{`{"q":"putin"}`, `{"q":"x","filters":{"source":["Realist"],"date":{"from":"2026-01-01"}},"size":5,"highlight":{"fragments":2,"fragment_size":80}}`,
		`{"q":1}`, `[]`, `{"q":"a"}{"q":"b"}`, `{"facets":["source","nope"]}`, ``} {
		f.Add([]byte(s))
	}
	h := fuzzHandler(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		serveFuzz(t, h, httptest.NewRequest("POST", "/api/search", bytes.NewReader(body)))
	})
}

// FuzzPutArticle: any body on PUT /api/articles/{id}; a 200 means the
// article reads back.
func FuzzPutArticle(f *testing.F) {
	for _, s := range []string{`{"title":"T","body":"B"}`, `{"id":"f1","title":"","body":"only body"}`, `{"title":"T","date":"2026-02-29"}`,
		`{"title":"T","url":"ftp://x"}`, `{"title":"T\u0000"}`, `{"lang":"zh","body":"中俄关系"}`} {
		f.Add([]byte(s))
	}
	h := fuzzHandler(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		rec := serveFuzz(t, h, httptest.NewRequest("PUT", "/api/articles/f1", bytes.NewReader(body)))
		if rec.Code == 200 {
			get := httptest.NewRecorder()
			h.ServeHTTP(get, httptest.NewRequest("GET", "/api/articles/f1", nil))
			if get.Code != 200 {
				t.Fatalf("PUT 200 but GET %d", get.Code)
			}
			// The body comes back as written, line ends normalised and
			// trimmed: stored coded (index/codebook.go), nothing lost.
			var put, got struct{ Body string }
			json.Unmarshal(body, &put)
			json.Unmarshal(get.Body.Bytes(), &got)
			want := strings.TrimSpace(strings.ReplaceAll(strings.ReplaceAll(put.Body, "\r\n", "\n"), "\r", "\n"))
			if got.Body != want {
				t.Fatalf("PUT body %q, GET body %q", want, got.Body)
			}
		}
	})
}

// FuzzBulk: any body on POST /api/articles/_bulk; every non-blank line
// gets exactly one result, and indexed+failed adds up.
func FuzzBulk(f *testing.F) {
	for _, s := range []string{"{\"id\":\"b1\",\"title\":\"T\"}\n{\"id\":\"b2\",\"body\":\"x\"}\n", "not json\n\n{}", "{\"id\":\"b1\",\"title\":\"\xff\"}",
		"{\"id\":\"b1\",\"title\":\"T\"}\r\n{\"id\":\"b1\",\"title\":\"again\"}"} {
		f.Add([]byte(s))
	}
	h := fuzzHandler(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		rec := serveFuzz(t, h, httptest.NewRequest("POST", "/api/articles/_bulk", bytes.NewReader(body)))
		if rec.Code != 200 {
			return
		}
		var r bulkResponse
		json.Unmarshal(rec.Body.Bytes(), &r)
		lines := 0
		for _, l := range strings.Split(string(body), "\n") {
			if len(bytes.TrimSpace([]byte(l))) > 0 {
				lines++
			}
		}
		if len(r.Results) != lines || r.Indexed+r.Failed != lines {
			t.Fatalf("%d non-blank lines, %d results, %d indexed + %d failed", lines, len(r.Results), r.Indexed, r.Failed)
		}
	})
}
