package server

import (
	"time"

	"newsearch/index"
)

// The JSON wire types: the public contract of the API (documented in
// openapi.json). They are filled from index types by the functions below and
// by nothing else, so no storage detail leaks into responses.

// searchResponse is the body of GET and POST /api/search.
type searchResponse struct {
	Query  string                  `json:"query"`
	Total  uint64                  `json:"total"`
	TookMS float64                 `json:"took_ms"`
	Hits   []hitJSON               `json:"hits"`
	Facets map[string][]bucketJSON `json:"facets"`
}

// hitJSON is one search hit. Highlights values are HTML: the article text
// escaped, with only <mark>…</mark> added. Every other string is plain text
// and must be inserted as text.
type hitJSON struct {
	ID           string                `json:"id"`
	Title        string                `json:"title"`
	TitleDerived bool                  `json:"title_derived,omitempty"`
	Date         *string               `json:"date"`
	Source       string                `json:"source"`
	Lang         string                `json:"lang"`
	URL          string                `json:"url"`
	Score        float64               `json:"score"`
	Highlights   map[string][]string   `json:"highlights"`
	Matches      map[string][]spanJSON `json:"matches"`
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
	ID           string                 `json:"id"`
	Title        string                 `json:"title"`
	TitleDerived bool                   `json:"title_derived,omitempty"`
	Date         *string                `json:"date"`
	Source       string                 `json:"source"`
	Lang         string                 `json:"lang"`
	URL          string                 `json:"url"`
	Body         string                 `json:"body"`
	Highlights   *articleHighlightsJSON `json:"highlights,omitempty"`
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
		Query:  q,
		Total:  r.Total,
		TookMS: float64(r.Took.Microseconds()) / 1000,
		Hits:   make([]hitJSON, len(r.Hits)),
		Facets: make(map[string][]bucketJSON, len(r.Facets)),
	}
	for i, h := range r.Hits {
		resp.Hits[i] = hitJSON{
			ID: h.ID, Title: h.Title, TitleDerived: h.TitleDerived, Date: dateJSON(h.Date),
			Source: h.Source, Lang: h.Lang, URL: h.URL, Score: h.Score,
			Highlights: h.Highlights, Matches: matchesJSON(h.Matches),
		}
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
		ID: a.ID, Title: a.Title, TitleDerived: a.TitleDerived, Date: dateJSON(a.Date),
		Source: a.Source, Lang: a.Lang, URL: a.URL, Body: a.Body,
	}
}
