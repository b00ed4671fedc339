// Package server is newsearch's HTTP front end: a JSON search API over an
// index.Index and the search page, behind one http.Handler.
//
// Handlers are made by functions that close over their dependencies
// (handleSearch(logger, searcher)); every route is listed in routes.go; the
// JSON wire types, filled only from index types, are in api.go; errors map
// to statuses in one table in encode.go. The package never imports bleve.
package server

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"newsearch/index"
)

// Searcher is what the handlers need from the index. *index.Index
// implements it; cmd wraps it to answer index.ErrNotReady while the index
// is still being built.
type Searcher interface {
	Search(ctx context.Context, q index.Query) (index.Results, error)
	Article(ctx context.Context, id string) (index.Article, error)
	HighlightArticle(ctx context.Context, id string, q index.Query) (index.Article, index.ArticleHighlights, error)
	Related(ctx context.Context, id string, size int) ([]index.Hit, error)
	Suggest(ctx context.Context, q index.SuggestQuery) (index.Suggestions, error)
	DocCount() (uint64, error)
	Stats() (index.Stats, error)
}

// Config holds the server's settings.
type Config struct {
	// RequestTimeout bounds each request; searches get it as a context
	// deadline, which bleve honours.
	RequestTimeout time.Duration
	// Version is reported by the API.
	Version string
	// AdminToken guards the write API; empty turns writes off (403).
	AdminToken string
	// WriteTimeout bounds a write request (PUT, DELETE, bulk, reindex);
	// default one minute.
	WriteTimeout time.Duration
	// MaxBulkBytes caps a bulk request's body (413 beyond); default 32 MiB.
	MaxBulkBytes int64
	// CORSOrigins are the origins allowed to call the API from a browser
	// ("*" for any); empty keeps the same-origin policy.
	CORSOrigins []string
}

// New returns the handler for the whole site.
func New(logger *slog.Logger, cfg Config, s Searcher) http.Handler {
	if cfg.RequestTimeout <= 0 {
		cfg.RequestTimeout = 10 * time.Second
	}
	if cfg.WriteTimeout <= 0 {
		cfg.WriteTimeout = time.Minute
	}
	if cfg.MaxBulkBytes <= 0 {
		cfg.MaxBulkBytes = 32 << 20
	}
	return routes(logger, cfg, s)
}
