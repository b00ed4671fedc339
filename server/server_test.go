package server

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"newsearch/index"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

// fakeSearcher records the queries it gets and answers canned results, so
// that handler tests see exactly what the handler asked the index for.
type fakeSearcher struct {
	mu       sync.Mutex
	queries  []index.Query
	results  index.Results
	articles map[string]index.Article
	suggests []index.SuggestQuery
	err      error
}

func (f *fakeSearcher) Search(ctx context.Context, q index.Query) (index.Results, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.queries = append(f.queries, q)
	return f.results, f.err
}

func (f *fakeSearcher) Article(ctx context.Context, id string) (index.Article, error) {
	if a, ok := f.articles[id]; ok {
		return a, nil
	}
	if f.err != nil {
		return index.Article{}, f.err
	}
	return index.Article{}, index.ErrNotFound
}

func (f *fakeSearcher) HighlightArticle(ctx context.Context, id string, q index.Query) (index.Article, index.ArticleHighlights, error) {
	f.mu.Lock()
	f.queries = append(f.queries, q)
	f.mu.Unlock()
	a, err := f.Article(ctx, id)
	if err != nil {
		return a, index.ArticleHighlights{}, err
	}
	return a, index.ArticleHighlights{
		Title:   "<mark>Putin</mark> &lt;b&gt;meets&lt;/b&gt; Xi",
		Body:    "Body &amp; more",
		Matches: map[string][]index.Span{"title": {{Start: 0, End: 5, Start16: 0, End16: 5}}, "body": {}},
	}, nil
}

func (f *fakeSearcher) Related(ctx context.Context, id string, size int) ([]index.Hit, error) {
	if _, err := f.Article(ctx, id); err != nil {
		return nil, err
	}
	return f.results.Hits[:min(size, len(f.results.Hits))], nil
}

func (f *fakeSearcher) Suggest(ctx context.Context, q index.SuggestQuery) (index.Suggestions, error) {
	f.mu.Lock()
	f.suggests = append(f.suggests, q)
	f.mu.Unlock()
	if f.err != nil {
		return index.Suggestions{}, f.err
	}
	return index.Suggestions{
		Took:        300 * time.Microsecond,
		Completions: []index.Completion{{Text: "minnikhanov", Count: 3, Query: "Putin Minnikhanov"}},
		Corrections: []index.Correction{{Query: "Putin Minnikhanov", Changes: []index.Change{{From: "Minnikhanof", To: "Minnikhanov"}}}},
	}, nil
}

func (f *fakeSearcher) DocCount() (uint64, error) {
	if f.err != nil {
		return 0, f.err
	}
	return uint64(len(f.articles)), nil
}

func (f *fakeSearcher) Stats() (index.Stats, error) {
	if f.err != nil {
		return index.Stats{}, f.err
	}
	return index.Stats{Generation: "index-test", Articles: uint64(len(f.articles)), DiskBytes: 4096, Opens: 1, Rebuilds: 1, CacheHits: 7, CacheMisses: 3}, nil
}

func (f *fakeSearcher) lastQuery(t *testing.T) index.Query {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.queries) == 0 {
		t.Fatal("the handler did not search")
	}
	return f.queries[len(f.queries)-1]
}

func discardLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func cannedResults() index.Results {
	return index.Results{
		Total: 2,
		Took:  1500 * time.Microsecond,
		Hits: []index.Hit{{
			ID: "a1", Title: "Putin <b>meets</b> Xi", Date: time.Date(2026, 2, 4, 0, 0, 0, 0, time.UTC),
			Source: "Realist", Lang: "en", Score: 1.25,
			Highlights: map[string][]string{"title": {"<mark>Putin</mark> &lt;b&gt;meets&lt;/b&gt; Xi"}, "body": {"…said <mark>Putin</mark>…"}},
			Matches:    map[string][]index.Span{"title": {{Start: 0, End: 5, Start16: 0, End16: 5}}},
		}},
		Facets: []index.Facet{
			{Name: "source", Buckets: []index.Bucket{{Value: "Realist", Count: 1}, {Value: "TASS", Count: 1}}},
			{Name: "date", Buckets: []index.Bucket{{Value: "2026-02", Count: 2}}},
		},
	}
}

// checkGolden compares got with testdata/name.golden, or rewrites it with -update.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./server -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", path, diff)
	}
}

func TestHandlers_golden(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("x", maxSearchBody+1)
	tests := []struct {
		name       string
		method     string
		url        string
		body       string
		err        error
		wantStatus int
	}{
		{"search_ok", "GET", "/api/search?q=Putin", "", nil, 200},
		{"search_post_ok", "POST", "/api/search", `{"q":"Putin","filters":{"source":["Realist"]},"size":5}`, nil, 200},
		{"search_size_zero", "GET", "/api/search?q=x&size=0", "", nil, 400},
		{"search_size_1000", "GET", "/api/search?q=x&size=1000", "", nil, 400},
		{"search_size_not_number", "GET", "/api/search?q=x&size=ten", "", nil, 400},
		{"search_from_negative", "GET", "/api/search?q=x&from=-1", "", nil, 400},
		{"search_window_too_deep", "GET", "/api/search?q=x&from=9995&size=10", "", nil, 400},
		{"search_from_max_int", "GET", "/api/search?q=x&from=9223372036854775807", "", nil, 400},
		{"search_size_overflow", "GET", "/api/search?q=x&size=99999999999999999999999", "", nil, 400},
		{"search_bad_date", "GET", "/api/search?q=x&from_date=2026-13-01", "", nil, 400},
		{"search_reversed_dates", "GET", "/api/search?q=x&from_date=2026-03-01&to_date=2026-02-01", "", nil, 400},
		{"search_unknown_sort", "GET", "/api/search?q=x&sort=popularity", "", nil, 400},
		{"search_unknown_facet", "GET", "/api/search?q=x&facets=source,color", "", nil, 400},
		{"search_unknown_param", "GET", "/api/search?q=x&qq=y", "", nil, 400},
		{"search_repeated_q", "GET", "/api/search?q=x&q=y", "", nil, 400},
		{"search_invalid_utf8", "GET", "/api/search?q=%FF%FE", "", nil, 400},
		{"search_unknown_lang", "GET", "/api/search?q=x&lang=xx", "", nil, 400},
		{"search_unknown_match", "GET", "/api/search?q=x&match=some", "", nil, 400},
		{"search_long_q", "GET", "/api/search?q=" + strings.Repeat("a", 257), "", nil, 400},
		{"search_many_problems", "GET", "/api/search?size=0&from=-3&sort=x&lang=xx", "", nil, 400},
		{"search_post_not_json", "POST", "/api/search", `q=Putin`, nil, 400},
		{"search_post_empty", "POST", "/api/search", ``, nil, 400},
		{"search_post_too_deep", "POST", "/api/search", `{"q":"x","facets":` + strings.Repeat("[", 20000), nil, 400},
		{"search_post_too_large", "POST", "/api/search", `{"q":"` + long + `"}`, nil, 413},
		{"search_post_unknown_field", "POST", "/api/search", `{"query":{"match":"x"}}`, nil, 400},
		{"search_post_wrong_type", "POST", "/api/search", `{"q":"x","size":"10"}`, nil, 400},
		{"search_post_trailing", "POST", "/api/search", `{"q":"x"} {"q":"y"}`, nil, 400},
		{"search_post_size_zero", "POST", "/api/search", `{"q":"x","size":0}`, nil, 400},
		{"search_post_huge_from", "POST", "/api/search", `{"q":"x","from":1e18}`, nil, 400},
		{"search_post_key_case", "POST", "/api/search", `{"q":"Putin","Q":"x","SIZE":2}`, nil, 400},
		{"search_post_key_twice", "POST", "/api/search", `{"q":"Putin","q":"x","filters":{"lang":["en"],"lang":["ru"]}}`, nil, 400},
		{"search_post_nested_key_case", "POST", "/api/search", `{"q":"x","filters":{"Date":{"from":"2026-01-01"}}}`, nil, 400},
		{"search_post_null", "POST", "/api/search", `null`, nil, 400},
		{"search_post_invalid_utf8", "POST", "/api/search", "{\"q\":\"Put\xffin\"}", nil, 400},
		{"search_post_url_params", "POST", "/api/search?size=1&bogus=2", `{"q":"x"}`, nil, 400},
		{"search_not_ready", "GET", "/api/search?q=x", "", index.ErrNotReady, 503},
		{"search_timeout", "GET", "/api/search?q=x", "", context.DeadlineExceeded, 503},
		{"search_internal", "GET", "/api/search?q=x", "", io.ErrUnexpectedEOF, 500},
		{"search_invalid_query", "GET", "/api/search?q=x", "", index.ErrInvalidQuery, 400},
		{"search_typos_not_bool", "GET", "/api/search?q=x&typos=maybe&prefix=2", "", nil, 400},
		{"search_post_typos_wrong_type", "POST", "/api/search", `{"q":"x","typos":"no"}`, nil, 400},
		{"suggest_ok", "GET", "/api/suggest?q=Putin+Minnik", "", nil, 200},
		{"suggest_empty", "GET", "/api/suggest", "", nil, 200},
		{"suggest_unknown_param", "GET", "/api/suggest?q=x&lang=en", "", nil, 400},
		{"suggest_bad_size", "GET", "/api/suggest?q=x&size=0", "", nil, 400},
		{"suggest_size_too_big", "GET", "/api/suggest?q=x&size=21", "", nil, 400},
		{"suggest_size_not_number", "GET", "/api/suggest?q=x&size=many", "", nil, 400},
		{"suggest_long_q", "GET", "/api/suggest?q=" + strings.Repeat("й", 257), "", nil, 400},
		{"suggest_invalid_utf8", "GET", "/api/suggest?q=%FF", "", nil, 400},
		{"suggest_repeated_q", "GET", "/api/suggest?q=a&q=b", "", nil, 400},
		{"suggest_not_ready", "GET", "/api/suggest?q=x", "", index.ErrNotReady, 503},
		{"suggest_wrong_method", "POST", "/api/suggest", `{}`, nil, 405},
		{"article_ok", "GET", "/api/articles/a1", "", nil, 200},
		{"article_highlighted", "GET", "/api/articles/a1?q=Putin", "", nil, 200},
		{"article_unknown_param", "GET", "/api/articles/a1?query=Putin", "", nil, 400},
		{"article_bad_typos", "GET", "/api/articles/a1?q=Putin&typos=nope", "", nil, 400},
		{"article_highlighted_missing", "GET", "/api/articles/nope?q=Putin", "", nil, 404},
		{"static_dir_not_listed", "GET", "/static/", "", nil, 404},
		{"article_missing", "GET", "/api/articles/nope", "", nil, 404},
		{"healthz_ok", "GET", "/healthz", "", nil, 200},
		{"healthz_not_ready", "GET", "/healthz", "", index.ErrNotReady, 503},
		{"readyz_ok", "GET", "/readyz", "", nil, 200},
		{"readyz_not_ready", "GET", "/readyz", "", index.ErrNotReady, 503},
		{"livez_not_ready", "GET", "/livez", "", index.ErrNotReady, 200},
		{"unknown_path", "GET", "/api/nothing", "", nil, 404},
		{"wrong_method", "DELETE", "/api/search", "", nil, 405},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fake := &fakeSearcher{results: cannedResults(), err: tt.err, articles: map[string]index.Article{
				"a1": {ID: "a1", Title: "Putin <b>meets</b> Xi", Body: "Body & more", Source: "Realist", Lang: "en",
					Date: time.Date(2026, 2, 4, 0, 0, 0, 0, time.UTC)},
			}}
			if tt.err != nil {
				fake.articles = nil
			}
			h := New(discardLogger(), Config{Version: "v-test"}, fake)
			var body io.Reader
			if tt.body != "" {
				body = strings.NewReader(tt.body)
			}
			req := httptest.NewRequest(tt.method, tt.url, body)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != tt.wantStatus {
				t.Errorf("status = %d, want %d; body: %s", rec.Code, tt.wantStatus, rec.Body)
			}
			if ct := rec.Header().Get("Content-Type"); ct != "application/json; charset=utf-8" {
				t.Errorf("Content-Type = %q", ct)
			}
			if !json.Valid(rec.Body.Bytes()) {
				t.Fatalf("body is not JSON: %s", rec.Body)
			}
			if rec.Code >= 400 {
				var e errorBody
				if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || e.Error.Code == "" || e.Error.Message == "" {
					t.Errorf("error body lacks code or message: %s", rec.Body)
				}
			}
			var pretty bytes.Buffer
			json.Indent(&pretty, rec.Body.Bytes(), "", "  ")
			checkGolden(t, tt.name, pretty.Bytes())
		})
	}
}

// TestHandleSearch_query checks how parameters become an index.Query.
func TestHandleSearch_query(t *testing.T) {
	t.Parallel()
	d := func(s string) time.Time { t, _ := time.Parse("2006-01-02", s); return t }
	tests := []struct {
		name   string
		method string
		url    string
		body   string
		want   index.Query
	}{
		{"defaults", "GET", "/api/search?q=Putin", "", index.Query{
			Text: "Putin", Size: 10, Facets: []string{"source", "lang", "date"}, Fragments: 3, FragmentSize: 180,
			Typos: true, Prefix: true}},
		{"typos and prefix off", "GET", "/api/search?q=Putin&typos=false&prefix=false", "", index.Query{
			Text: "Putin", Size: 10, Facets: []string{"source", "lang", "date"}, Fragments: 3, FragmentSize: 180}},
		{"post typos off", "POST", "/api/search", `{"q":"Putin","typos":false}`, index.Query{
			Text: "Putin", Size: 10, Facets: []string{"source", "lang", "date"}, Fragments: 3, FragmentSize: 180,
			Prefix: true}},
		{"everything", "GET", "/api/search?q=a+b&lang=ru&lang=en&lang=ru&source=TASS&from_date=2026-01-01&to_date=2026-01-31&sort=-date&match=all&from=20&size=5&facets=lang&fragments=1&fragment_size=100", "",
			index.Query{Text: "a b", Filters: map[string][]string{"lang": {"ru", "en"}, "source": {"TASS"}},
				DateFrom: d("2026-01-01"), DateTo: d("2026-01-31"), Sort: "-date", Match: "all", From: 20, Size: 5,
				Facets: []string{"lang"}, Fragments: 1, FragmentSize: 100, Typos: true, Prefix: true}},
		{"no facets, no fragments", "GET", "/api/search?q=x&facets=&fragments=0&match=auto", "", index.Query{
			Text: "x", Size: 10, Fragments: -1, FragmentSize: 180, Typos: true, Prefix: true}},
		{"post", "POST", "/api/search", `{"q":"x","filters":{"lang":["zh"],"date":{"from":"2025-01-01"}},"facets":["date"],"sort":"date","match":"any","from":10,"size":20,"highlight":{"fragments":2,"fragment_size":60}}`,
			index.Query{Text: "x", Filters: map[string][]string{"lang": {"zh"}}, DateFrom: d("2025-01-01"), Sort: "date",
				Match: "any", From: 10, Size: 20, Facets: []string{"date"}, Fragments: 2, FragmentSize: 60,
				Typos: true, Prefix: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fake := &fakeSearcher{results: cannedResults()}
			h := New(discardLogger(), Config{}, fake)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(tt.method, tt.url, strings.NewReader(tt.body)))
			if rec.Code != 200 {
				t.Fatalf("status %d: %s", rec.Code, rec.Body)
			}
			if diff := cmp.Diff(tt.want, fake.lastQuery(t), cmp.AllowUnexported(index.Query{})); diff != "" {
				t.Errorf("query mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestPage_icon: the page names its icon, and the icon is served, so a
// browser asks for no /favicon.ico, which would be a 404 on every visit.
func TestPage_icon(t *testing.T) {
	t.Parallel()
	h := New(discardLogger(), Config{}, &fakeSearcher{})
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	if !strings.Contains(rec.Body.String(), `<link rel="icon" href="/static/favicon.svg"`) {
		t.Fatalf("the page names no icon")
	}
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/static/favicon.svg", nil))
	if rec.Code != 200 || rec.Header().Get("Content-Type") != "image/svg+xml" || !strings.HasPrefix(rec.Body.String(), "<svg") {
		t.Errorf("GET /static/favicon.svg: %d %q %.40q", rec.Code, rec.Header().Get("Content-Type"), rec.Body.String())
	}
}

func TestSecurityHeaders(t *testing.T) {
	t.Parallel()
	h := New(discardLogger(), Config{}, &fakeSearcher{})
	for _, path := range []string{"/", "/api/search?q=x", "/nope", "/static/app.js"} {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest("GET", path, nil)
		req.Header.Set("X-Request-Id", "abc-123")
		h.ServeHTTP(rec, req)
		for k, want := range map[string]string{
			"X-Content-Type-Options": "nosniff",
			"X-Frame-Options":        "DENY",
			"Referrer-Policy":        "no-referrer",
			"X-Request-Id":           "abc-123",
		} {
			if got := rec.Header().Get(k); got != want {
				t.Errorf("%s: %s = %q, want %q", path, k, got, want)
			}
		}
		csp := rec.Header().Get("Content-Security-Policy")
		if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") {
			t.Errorf("%s: weak CSP %q", path, csp)
		}
	}
}

// TestRecoverPanics checks that a panicking handler yields a JSON 500
// without the panic text.
func TestRecoverPanics(t *testing.T) {
	t.Parallel()
	h := chain(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { panic("secret detail") }), discardLogger(), Config{RequestTimeout: time.Second}, newMetrics(discardLogger(), &fakeSearcher{}))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/x", nil))
	if rec.Code != 500 || strings.Contains(rec.Body.String(), "secret") || !json.Valid(rec.Body.Bytes()) {
		t.Errorf("got %d %s", rec.Code, rec.Body)
	}
}

// TestOpenAPI checks that the document parses and describes every API
// route and every GET /api/search parameter the handler accepts.
func TestOpenAPI(t *testing.T) {
	t.Parallel()
	h := New(discardLogger(), Config{}, &fakeSearcher{})
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/api/openapi.json", nil))
	var doc struct {
		OpenAPI string `json:"openapi"`
		Paths   map[string]map[string]struct {
			Parameters []struct{ Name string } `json:"parameters"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Errorf("openapi = %q", doc.OpenAPI)
	}
	for _, p := range []string{"/api/search", "/api/suggest", "/api/articles/{id}", "/api/articles/{id}/related", "/api/articles/_bulk", "/api/reindex", "/healthz", "/readyz", "/livez", "/metrics", "/api/openapi.json"} {
		if _, ok := doc.Paths[p]; !ok {
			t.Errorf("path %s not documented", p)
		}
	}
	for path, accepted := range map[string]map[string]bool{
		"/api/search":        searchGETParams,
		"/api/suggest":       suggestGETParams,
		"/api/articles/{id}": articleGETParams,
	} {
		documented := map[string]bool{}
		for _, p := range doc.Paths[path]["get"].Parameters {
			if p.Name != "id" {
				documented[p.Name] = true
			}
		}
		for name := range accepted {
			if !documented[name] {
				t.Errorf("%s: parameter %s not documented", path, name)
			}
		}
		if len(documented) != len(accepted) {
			t.Errorf("%s: documented %d parameters, handler accepts %d", path, len(documented), len(accepted))
		}
	}
}

// TestMetrics checks that /metrics exposes request counts by route
// template, search latency and the index's size and history.
func TestMetrics(t *testing.T) {
	t.Parallel()
	h := New(discardLogger(), Config{}, &fakeSearcher{results: cannedResults(), articles: map[string]index.Article{"a1": {}}})
	for _, u := range []string{"/api/search?q=a", "/api/search?q=b", "/api/articles/zzz", "/api/search?size=0"} {
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", u, nil))
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body := rec.Body.String()
	for _, want := range []string{
		`newsearch_http_requests_total{code="200",method="GET",route="/api/search"} 2`,
		`newsearch_http_requests_total{code="400",method="GET",route="/api/search"} 1`,
		`newsearch_http_requests_total{code="404",method="GET",route="/api/articles/{id}"} 1`,
		`newsearch_http_request_duration_seconds_count{route="/api/search"} 3`,
		`newsearch_search_duration_seconds_count 2`,
		`newsearch_index_documents 1`,
		`newsearch_index_size_bytes 4096`,
		`newsearch_index_opens_total 1`,
		`newsearch_index_rebuilds_total 1`,
		`newsearch_query_cache_total{outcome="hit"} 7`,
		`newsearch_query_cache_total{outcome="miss"} 3`,
		`newsearch_index_ready 1`,
		`go_goroutines`,
		`process_resident_memory_bytes`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	if strings.Contains(body, "zzz") {
		t.Error("raw paths leak into metric labels")
	}
	// A made-up method is counted as other, not as a series of its own;
	// HEAD is answered as GET is.
	for _, method := range []string{"ZZMETHOD1", "ZZMETHOD2"} {
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(method, "/nope", nil))
	}
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("HEAD", "/metrics", nil))
	if rec.Code != http.StatusOK {
		t.Errorf("HEAD /metrics: %d, want 200", rec.Code)
	}
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body = rec.Body.String()
	if want := `newsearch_http_requests_total{code="404",method="other",route="unmatched"} 2`; !strings.Contains(body, want) {
		t.Errorf("/metrics lacks %q", want)
	}
	if strings.Contains(body, "ZZMETHOD") {
		t.Error("made-up methods leak into metric labels")
	}
}

// TestMethodNotAllowed_allow: a 405 names the methods its path takes in
// Allow, as HTTP asks.
func TestMethodNotAllowed_allow(t *testing.T) {
	t.Parallel()
	h := New(discardLogger(), Config{}, &fakeSearcher{results: cannedResults()})
	for _, tt := range []struct{ method, path, allow string }{
		{"DELETE", "/api/search", "GET, HEAD, POST"},
		{"PATCH", "/api/articles/x", "GET, HEAD, PUT, DELETE"},
		{"POST", "/api/suggest", "GET, HEAD"},
		{"PUT", "/metrics", "GET, HEAD"},
	} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(tt.method, tt.path, nil))
		if rec.Code != http.StatusMethodNotAllowed || rec.Header().Get("Allow") != tt.allow {
			t.Errorf("%s %s: %d, Allow %q; want 405, Allow %q", tt.method, tt.path, rec.Code, rec.Header().Get("Allow"), tt.allow)
		}
	}
}

// TestCleanPaths: an unclean path redirects to the clean one, with 308
// for a POST, which clients repeat as a POST with its body (mux's 301
// made them GET the page without it), and 301 for a GET.
func TestCleanPaths(t *testing.T) {
	t.Parallel()
	h := New(discardLogger(), Config{Version: "v-test"}, &fakeSearcher{results: cannedResults()})
	for _, tt := range []struct {
		method, url, location string
		status                int
	}{
		{"POST", "//api/search", "/api/search", http.StatusPermanentRedirect},
		{"GET", "/api/./search?q=x", "/api/search?q=x", http.StatusMovedPermanently},
		{"GET", "/static//app.js", "/static/app.js", http.StatusMovedPermanently},
	} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(tt.method, tt.url, strings.NewReader(`{"q":"x"}`)))
		if rec.Code != tt.status || rec.Header().Get("Location") != tt.location || !json.Valid(rec.Body.Bytes()) {
			t.Errorf("%s %s: %d to %q, body %q; want %d to %q", tt.method, tt.url, rec.Code, rec.Header().Get("Location"), rec.Body, tt.status, tt.location)
		}
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("POST", "/api/search", strings.NewReader(`{"q":"x"}`)))
	if rec.Code != http.StatusOK {
		t.Errorf("POST /api/search: %d", rec.Code)
	}
}
