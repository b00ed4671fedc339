package index

import (
	"context"
	"fmt"
	"html"
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
)

// ArticleHighlights is an article's whole title and body as HTML with the
// matches of a query marked: the text is escaped and only <mark>…</mark> is
// added. Unlike search snippets, Body keeps its line breaks ("\n"), so a
// page can split it into paragraphs; no match spans a line break.
type ArticleHighlights struct {
	Title, Body string
	// Matches gives each match's offsets in the stored field, per field.
	Matches map[string][]Span
}

// HighlightArticle returns the article with the given id (or ErrNotFound)
// and its full text highlighted for q, matched as Search matches it (words,
// phrases, typos and prefixes as q asks; exclusions mark nothing). An
// article that q does not match comes back with nothing marked.
func (x *Index) HighlightArticle(ctx context.Context, id string, q Query) (Article, ArticleHighlights, error) {
	q.Size = 1
	if err := q.Validate(); err != nil {
		return Article{}, ArticleHighlights{}, err
	}
	bi, done, err := x.reader()
	if err != nil {
		return Article{}, ArticleHighlights{}, err
	}
	defer done()
	ex, err := newExpander(ctx, bi, q, x.lex, x.vocabAids())
	if err != nil {
		return Article{}, ArticleHighlights{}, err
	}
	defer ex.close()
	p := x.plan(q, ex)
	if ex != nil && ex.err != nil {
		return Article{}, ArticleHighlights{}, searchError(ex.err)
	}

	// The article itself must match; the query's clauses are optional and
	// only contribute their locations.
	b := query.NewBooleanQuery([]query.Query{query.NewDocIDQuery([]string{id})}, nil, nil)
	if p.text {
		b.AddShould(p.clauses...)
	}
	req := bleve.NewSearchRequestOptions(b, 1, 0, false)
	req.Fields = storedFields
	req.IncludeLocations = p.text
	r, err := bi.SearchInContext(ctx, req)
	if err != nil {
		return Article{}, ArticleHighlights{}, searchError(err)
	}
	if len(r.Hits) == 0 {
		return Article{}, ArticleHighlights{}, fmt.Errorf("article %q: %w", id, ErrNotFound)
	}
	h := r.Hits[0]
	a, err := fromFields(x.cb, h.ID, h.Fields)
	if err != nil {
		return Article{}, ArticleHighlights{}, err
	}
	titleSpans := spansOf(h.Locations[fieldTitle], a.Title)
	bodySpans := spansOf(h.Locations[fieldBody], a.Body)
	return a, ArticleHighlights{
		Title: markText(a.Title, titleSpans),
		Body:  markText(a.Body, bodySpans),
		Matches: map[string][]Span{
			fieldTitle: utf16Spans(a.Title, titleSpans),
			fieldBody:  utf16Spans(a.Body, bodySpans),
		},
	}, nil
}

// markText returns text HTML-escaped, as writeEscaped escapes it but with
// line breaks kept, and every span wrapped in <mark>.
func markText(text string, spans []span) string {
	var b strings.Builder
	b.Grow(len(text) + len(spans)*13)
	writeMarked(&b, text, 0, len(text), spans, writeHTMLEscaped)
	return b.String()
}

// writeHTMLEscaped writes s escaped as html.EscapeString escapes it.
func writeHTMLEscaped(b *strings.Builder, s string) {
	b.WriteString(html.EscapeString(s))
}
