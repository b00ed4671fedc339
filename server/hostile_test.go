package server

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestHostileInput sends what a careless or malicious client might over
// real HTTP to the real index: each gets a 4xx or a normal answer, with a
// JSON body; never a 5xx or a hang.
func TestHostileInput(t *testing.T) {
	t.Parallel()
	srv, _ := openWritable(t, Config{AdminToken: testToken, MaxBulkBytes: 1 << 20})
	client := &http.Client{Timeout: 60 * time.Second}

	words := func(n int, f func(i int) string) string {
		parts := make([]string, n)
		for i := range parts {
			parts[i] = f(i)
		}
		return strings.Join(parts, " ")
	}
	letters := func(i int) string { return string(rune('a'+i%26)) + string(rune('a'+i/26%26)) }
	q := func(s string) string { return "/api/search?q=" + url.QueryEscape(s) }
	type req struct {
		name, method, path, body string
	}
	cases := []req{
		{"huge q (1 MB)", "GET", q(strings.Repeat("x", 1<<20)), ""},
		{"long q (64 KB)", "GET", q(strings.Repeat("ab ", 20000)), ""},
		{"10,000 terms", "GET", q(words(10000, letters)), ""},
		{"10,000 terms in POST", "POST", "/api/search", `{"q":"` + words(10000, letters) + `"}`},
		{"deep JSON nesting", "POST", "/api/search", strings.Repeat(`{"q":`, 100000) + `"x"` + strings.Repeat("}", 100000)},
		{"deep array nesting", "POST", "/api/search", `{"q":` + strings.Repeat("[", 100000)},
		{"invalid UTF-8", "GET", "/api/search?q=%FF%FEabc", ""},
		{"invalid UTF-8 in POST", "POST", "/api/search", "{\"q\":\"\xff\xfe\"}"},
		{"NUL bytes", "GET", "/api/search?q=a%00b", ""},
		{"lone %00", "GET", "/api/search?q=%00", ""},
		{"NUL in POST", "POST", "/api/search", `{"q":"a\u0000b"}`},
		{"size=-1", "GET", "/api/search?q=putin&size=-1", ""},
		{"size huge", "GET", "/api/search?q=putin&size=99999999999999999999", ""},
		{"from=1e18", "GET", "/api/search?q=putin&from=1e18", ""},
		{"from=10^18", "GET", "/api/search?q=putin&from=1000000000000000000", ""},
		{"from+size over window", "GET", "/api/search?from=9995&size=10", ""},
		{"from = max int", "GET", "/api/search?q=putin&from=9223372036854775807", ""},
		{"from = max int in POST", "POST", "/api/search", `{"q":"putin","from":9223372036854775807,"size":1}`},
		{"wildcard storm", "GET", q(words(80, func(i int) string { return letters(i)[:1] + "*" })), ""},
		{"prefix storm", "GET", q(words(60, func(i int) string { return letters(i) })), ""},
		{"fuzzy storm", "GET", q(words(25, func(i int) string { return "cooperat" + letters(i) })), ""},
		{"query-string syntax", "GET", q(`+title:x* -body:/.*/ ~2 ^10 field:[a TO z] \ "`), ""},
		{"regexp-looking", "GET", q(`/(a+)+$/`), ""},
		{"very long token", "GET", q(strings.Repeat("щ", 250)), ""},
		{"very long Han run", "GET", q(strings.Repeat("中俄", 120)), ""},
		{"RTL", "GET", q("مرحبا بالعالم \u202e\u202dabc"), ""},
		{"combining marks", "GET", q("e" + strings.Repeat("\u0301", 200)), ""},
		{"emoji and ZWJ", "GET", q("👩‍👩‍👧‍👦 🇷🇺"), ""},
		{"many facets", "GET", "/api/search?facets=" + strings.Repeat("source,", 5000), ""},
		{"many sources", "GET", "/api/search?" + strings.Repeat("source=x&", 5000), ""},
		{"huge fragments", "GET", "/api/search?q=putin&fragments=1000000&fragment_size=100000000", ""},
		{"dates far off", "GET", "/api/search?from_date=0001-01-01&to_date=9999-12-31", ""},
		{"suggest junk", "GET", "/api/suggest?q=" + url.QueryEscape(strings.Repeat("a*", 200)), ""},
		{"article id junk", "GET", "/api/articles/" + strings.Repeat("%2e", 300), ""},
		{"unknown path", "GET", "/api/" + strings.Repeat("x/", 1000), ""},
		{"PUT deep nesting", "PUT", "/api/articles/h1", strings.Repeat("[", 100000)},
		{"PUT NUL id", "PUT", "/api/articles/a%00b", `{"title":"x"}`},
		{"bulk long line", "POST", "/api/articles/_bulk", `{"id":"x","body":"` + strings.Repeat("y", 900<<10) + `"}` + "\n" + `{"id":"ok","title":"fine"}`},
		{"bulk binary", "POST", "/api/articles/_bulk", "\x00\x01\x02\xff\n\x00"},
		{"bulk over cap", "POST", "/api/articles/_bulk", strings.Repeat(`{"id":"a","title":"b"}`+"\n", 60000)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := http.NewRequest(c.method, srv.URL+c.path, strings.NewReader(c.body))
			if err != nil {
				t.Skipf("not a sendable request: %v", err)
			}
			r.Header.Set("Authorization", "Bearer "+testToken)
			start := time.Now()
			resp, err := client.Do(r)
			if err != nil {
				t.Fatalf("transport error (hang or crash?): %v", err)
			}
			defer resp.Body.Close()
			var v any
			decErr := json.NewDecoder(resp.Body).Decode(&v)
			took := time.Since(start)
			switch {
			case resp.StatusCode >= 500:
				t.Errorf("status %d: %v", resp.StatusCode, v)
			case resp.StatusCode == http.StatusRequestHeaderFieldsTooLarge:
				// net/http refuses a 1 MB request line before routing,
				// in plain text; a 4xx all the same.
			case decErr != nil:
				t.Errorf("status %d with a body that is not JSON: %v", resp.StatusCode, decErr)
			}
			// A hang, not a speed test: -race on a loaded 2-core
			// machine takes ~13 s to index the 900 KB bulk line.
			if took > 30*time.Second {
				t.Errorf("took %v", took)
			}
		})
	}
}
