package server

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"newsearch/index"
)

// The JSON wire types: the public contract of the API (documented in
// openapi.json). They are filled from index types by the functions below and
// by nothing else, so no storage detail leaks into responses.

// searchResponse is the body of GET and POST /api/search.
type searchResponse struct {
	Query    string                  `json:"query"`
	Total    uint64                  `json:"total"`
	TotalAll *uint64                 `json:"total_all,omitempty"`
	Ignored  []string                `json:"ignored,omitempty"`
	TookMS   float64                 `json:"took_ms"`
	Hits     []hitJSON               `json:"hits"`
	Facets   map[string][]bucketJSON `json:"facets"`
}

// articleRefJSON is what every answer says of an article it names, hit,
// related article or the article itself. All plain text.
type articleRefJSON struct {
	ID           string  `json:"id"`
	Title        string  `json:"title"`
	TitleDerived bool    `json:"title_derived,omitempty"`
	Date         *string `json:"date"`
	Source       string  `json:"source"`
	Lang         string  `json:"lang"`
	URL          string  `json:"url"`
}

func hitRef(h index.Hit) articleRefJSON {
	return articleRefJSON{ID: h.ID, Title: h.Title, TitleDerived: h.TitleDerived, Date: dateJSON(h.Date), Source: h.Source, Lang: h.Lang, URL: h.URL}
}

// hitJSON is one search hit. Highlights values are HTML: the article text
// escaped, with only <mark>…</mark> added. Every other string is plain text
// and must be inserted as text.
type hitJSON struct {
	articleRefJSON
	Score      float64               `json:"score"`
	Highlights map[string][]string   `json:"highlights"`
	Matches    map[string][]spanJSON `json:"matches"`
	Missing    []string              `json:"missing,omitempty"`
	// DuplicateOf: an earlier hit of the page with the same title and
	// text (index.Hit.DuplicateOf).
	DuplicateOf string `json:"duplicate_of,omitempty"`
}

// spanJSON locates one match in the stored field (title or body as
// returned by GET /api/articles/{id}): [start, end) in UTF-8 bytes and
// [start_utf16, end_utf16) in UTF-16 code units, JavaScript's string index.
type spanJSON struct {
	Start   int `json:"start"`
	End     int `json:"end"`
	Start16 int `json:"start_utf16"`
	End16   int `json:"end_utf16"`
}

type bucketJSON struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// articleResponse is the body of GET /api/articles/{id}. Every field is
// plain text except Highlights, present only when the request names a
// search (q).
type articleResponse struct {
	articleRefJSON
	Body       string                 `json:"body"`
	Highlights *articleHighlightsJSON `json:"highlights,omitempty"`
}

// articleHighlightsJSON is an article's whole title and body as HTML: the
// text escaped, with only <mark>…</mark> added around the search's matches.
// Body keeps the article's line breaks ("\n").
type articleHighlightsJSON struct {
	Title   string                `json:"title"`
	Body    string                `json:"body"`
	Matches map[string][]spanJSON `json:"matches"`
}

const dateLayout = "2006-01-02"

func dateJSON(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := t.UTC().Format(dateLayout)
	return &s
}

func newSearchResponse(q string, r index.Results) searchResponse {
	resp := searchResponse{
		Query:    q,
		Total:    r.Total,
		TotalAll: r.TotalAll,
		Ignored:  r.Ignored,
		TookMS:   tookMS(r.Took),
		Hits:     make([]hitJSON, len(r.Hits)),
		Facets:   make(map[string][]bucketJSON, len(r.Facets)),
	}
	for i, h := range r.Hits {
		resp.Hits[i] = hitJSON{articleRefJSON: hitRef(h), Score: h.Score, Highlights: h.Highlights, Matches: matchesJSON(h.Matches), Missing: h.Missing, DuplicateOf: h.DuplicateOf}
	}
	for _, f := range r.Facets {
		bs := make([]bucketJSON, len(f.Buckets))
		for i, b := range f.Buckets {
			bs[i] = bucketJSON{b.Value, b.Count}
		}
		resp.Facets[f.Name] = bs
	}
	return resp
}

func matchesJSON(m map[string][]index.Span) map[string][]spanJSON {
	matches := make(map[string][]spanJSON, len(m))
	for field, spans := range m {
		js := make([]spanJSON, len(spans))
		for j, s := range spans {
			js[j] = spanJSON{s.Start, s.End, s.Start16, s.End16}
		}
		matches[field] = js
	}
	return matches
}

func newArticleResponse(a index.Article) articleResponse {
	return articleResponse{
		articleRefJSON: articleRefJSON{ID: a.ID, Title: a.Title, TitleDerived: a.TitleDerived, Date: dateJSON(a.Date), Source: a.Source, Lang: a.Lang, URL: a.URL},
		Body:           a.Body,
	}
}

// resultsFinite reports whether r's numbers are finite, as JSON needs.
func resultsFinite(r *index.Results) bool {
	ok := func(f float64) bool { return !math.IsInf(f, 0) && !math.IsNaN(f) }
	for i := range r.Hits {
		if !ok(r.Hits[i].Score) {
			return false
		}
	}
	return true
}

// tookMS is a search's duration as the API gives it, in milliseconds.
func tookMS(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// appendSearchJSON appends the response to a search for q with results r,
// byte for byte as encoding/json with SetEscapeHTML(false) encodes
// newSearchResponse(q, *r), from r itself and without reflection: a
// search's response is the one body encoded on every request, and the wire
// structs took 67 allocations for a page of ten hits
// (TestSearchResponse_appendJSON holds the two to the same bytes). r's
// numbers must be finite (resultsFinite).
func appendSearchJSON(b []byte, q string, r *index.Results) []byte {
	b = append(b, `{"query":`...)
	b = appendJSONString(b, q)
	b = append(b, `,"total":`...)
	b = strconv.AppendUint(b, r.Total, 10)
	if r.TotalAll != nil {
		b = append(b, `,"total_all":`...)
		b = strconv.AppendUint(b, *r.TotalAll, 10)
	}
	if len(r.Ignored) > 0 {
		b = append(b, `,"ignored":`...)
		b = appendJSONSlice(b, r.Ignored, appendJSONString)
	}
	b = append(b, `,"took_ms":`...)
	b = appendJSONFloat(b, tookMS(r.Took))
	b = append(b, `,"hits":[`...)
	for i := range r.Hits {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendHitJSON(b, &r.Hits[i])
	}
	b = append(b, `],"facets":{`...)
	// A map in newSearchResponse: sorted by name, the last of a name kept.
	var buf [8]int
	order := buf[:0]
	for i := range r.Facets {
		order = append(order, i)
	}
	slices.SortStableFunc(order, func(x, y int) int { return strings.Compare(r.Facets[x].Name, r.Facets[y].Name) })
	first := true
	for k, i := range order {
		f := &r.Facets[i]
		if k+1 < len(order) && r.Facets[order[k+1]].Name == f.Name {
			continue
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = appendJSONString(b, f.Name)
		b = append(b, ":["...)
		for j, bk := range f.Buckets {
			if j > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"value":`...)
			b = appendJSONString(b, bk.Value)
			b = append(b, `,"count":`...)
			b = strconv.AppendInt(b, int64(bk.Count), 10)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	return append(b, "}}"...)
}

// appendHitJSON appends h as encoding/json encodes hitJSON made from it.
func appendHitJSON(b []byte, h *index.Hit) []byte {
	b = append(b, `{"id":`...)
	b = appendJSONString(b, h.ID)
	b = append(b, `,"title":`...)
	b = appendJSONString(b, h.Title)
	if h.TitleDerived {
		b = append(b, `,"title_derived":true`...)
	}
	b = append(b, `,"date":`...)
	if h.Date.IsZero() {
		b = append(b, "null"...)
	} else {
		b = append(b, '"')
		b = h.Date.UTC().AppendFormat(b, dateLayout)
		b = append(b, '"')
	}
	b = append(b, `,"source":`...)
	b = appendJSONString(b, h.Source)
	b = append(b, `,"lang":`...)
	b = appendJSONString(b, h.Lang)
	b = append(b, `,"url":`...)
	b = appendJSONString(b, h.URL)
	b = append(b, `,"score":`...)
	b = appendJSONFloat(b, h.Score)
	b = append(b, `,"highlights":`...)
	b = appendJSONMap(b, h.Highlights, func(b []byte, ss []string) []byte {
		return appendJSONSlice(b, ss, appendJSONString)
	})
	b = append(b, `,"matches":`...)
	if h.Matches == nil {
		b = append(b, "{}"...) // matchesJSON makes a map
	} else {
		b = appendJSONMap(b, h.Matches, func(b []byte, spans []index.Span) []byte {
			b = append(b, '[') // matchesJSON makes a slice, never nil
			for i, s := range spans {
				if i > 0 {
					b = append(b, ',')
				}
				b = append(b, `{"start":`...)
				b = strconv.AppendInt(b, int64(s.Start), 10)
				b = append(b, `,"end":`...)
				b = strconv.AppendInt(b, int64(s.End), 10)
				b = append(b, `,"start_utf16":`...)
				b = strconv.AppendInt(b, int64(s.Start16), 10)
				b = append(b, `,"end_utf16":`...)
				b = strconv.AppendInt(b, int64(s.End16), 10)
				b = append(b, '}')
			}
			return append(b, ']')
		})
	}
	if len(h.Missing) > 0 {
		b = append(b, `,"missing":`...)
		b = appendJSONSlice(b, h.Missing, appendJSONString)
	}
	if h.DuplicateOf != "" {
		b = append(b, `,"duplicate_of":`...)
		b = appendJSONString(b, h.DuplicateOf)
	}
	return append(b, '}')
}

// appendJSONMap appends m with its keys sorted, as encoding/json does; a
// nil map is null.
func appendJSONMap[V any](b []byte, m map[string]V, value func([]byte, V) []byte) []byte {
	if m == nil {
		return append(b, "null"...)
	}
	var buf [4]string // a hit's maps hold title and body
	keys := buf[:0]
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	b = append(b, '{')
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, k)
		b = append(b, ':')
		b = value(b, m[k])
	}
	return append(b, '}')
}

// appendJSONSlice appends s; a nil slice is null.
func appendJSONSlice[V any](b []byte, s []V, value func([]byte, V) []byte) []byte {
	if s == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i, v := range s {
		if i > 0 {
			b = append(b, ',')
		}
		b = value(b, v)
	}
	return append(b, ']')
}

// appendJSONFloat formats f as encoding/json does (ES6 number to string).
// f must be finite.
func appendJSONFloat(b []byte, f float64) []byte {
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		// e-09 → e-9
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}

// appendJSONString quotes s as encoding/json does without HTML escaping:
// quote, backslash and control characters escaped, invalid UTF-8 as
// U+FFFD, and U+2028 and U+2029 escaped.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
