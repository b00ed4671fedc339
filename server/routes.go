package server

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"path"
	"strings"

	"github.com/gorilla/mux"
)

// routes lists every route. The API answers JSON for everything, including
// unknown paths (404) and wrong methods (405).
func routes(logger *slog.Logger, cfg Config, s Searcher) http.Handler {
	m := newMetrics(logger, s)
	r := mux.NewRouter().SkipClean(true) // cleanPaths redirects instead
	r.Handle("/api/search", handleSearch(logger, s, m)).Methods(http.MethodGet, http.MethodHead)
	r.Handle("/api/search", handleSearchPOST(logger, s, m)).Methods(http.MethodPost)
	r.Handle("/api/suggest", handleSuggest(logger, s)).Methods(http.MethodGet, http.MethodHead)
	wr, _ := s.(Writer)
	admin := func(h func(Writer) http.Handler) http.Handler {
		if wr == nil {
			return requireAdmin(logger, "", nil) // 403: no writable index
		}
		return requireAdmin(logger, cfg.AdminToken, h(wr))
	}
	r.Handle("/api/articles/_bulk", admin(func(wr Writer) http.Handler { return handleBulk(logger, wr, cfg.MaxBulkBytes) })).Methods(http.MethodPost)
	// Before the routes of one article: _bulk is none (its id is
	// refused), so any other method there is 405 with Allow: POST, not a
	// 400 for an invalid id, nor a 405 that allows GET, PUT and DELETE.
	r.Handle("/api/articles/_bulk", onlyPost(logger))
	r.Handle("/api/articles/{id}", handleArticle(logger, s)).Methods(http.MethodGet, http.MethodHead)
	r.Handle("/api/articles/{id}/related", handleRelated(logger, s)).Methods(http.MethodGet, http.MethodHead)
	r.Handle("/api/articles/{id}", admin(func(wr Writer) http.Handler { return handlePut(logger, wr) })).Methods(http.MethodPut)
	r.Handle("/api/articles/{id}", admin(func(wr Writer) http.Handler { return handleDelete(logger, wr) })).Methods(http.MethodDelete)
	r.Handle("/api/reindex", admin(func(wr Writer) http.Handler { return handleReindex(logger, wr) })).Methods(http.MethodPost)
	r.Handle("/api/reindex", admin(func(wr Writer) http.Handler { return handleReindexStatus(logger, wr) })).Methods(http.MethodGet, http.MethodHead)
	r.Handle("/api/openapi.json", handleOpenAPI()).Methods(http.MethodGet, http.MethodHead)
	r.Handle("/healthz", handleHealthz(logger, s)).Methods(http.MethodGet, http.MethodHead)
	r.Handle("/readyz", handleReadyz(logger, cfg, s)).Methods(http.MethodGet, http.MethodHead)
	r.Handle("/livez", handleLivez(logger)).Methods(http.MethodGet, http.MethodHead)
	r.Handle("/metrics", handleMetrics(m)).Methods(http.MethodGet, http.MethodHead)
	r.Handle("/", handlePage()).Methods(http.MethodGet, http.MethodHead)
	r.Handle("/articles/{id}", handlePage()).Methods(http.MethodGet, http.MethodHead)
	r.PathPrefix("/static/").Handler(handleStatic(handleNotFound(logger))).Methods(http.MethodGet, http.MethodHead)

	r.NotFoundHandler = chain(handleNotFound(logger), logger, cfg, m)
	r.MethodNotAllowedHandler = chain(handleMethodNotAllowed(logger, r), logger, cfg, m)
	r.Use(func(next http.Handler) http.Handler { return chain(next, logger, cfg, m) })
	return cleanPaths(cors(cfg.CORSOrigins, r), func(h http.Handler) http.Handler { return chain(h, logger, cfg, m) })
}

// methodNotAllowed is the 405 error for r.
func methodNotAllowed(r *http.Request) *apiError {
	return &apiError{status: http.StatusMethodNotAllowed, body: errorJSON{Code: codeMethodNotAllowed, Message: "method " + r.Method + " not allowed on " + r.URL.Path}}
}

// onlyPost answers 405 with Allow: POST, for a path that only POST may
// use and that a route with a variable would otherwise take.
func onlyPost(logger *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Allow", http.MethodPost)
		writeError(w, r, logger, methodNotAllowed(r))
	})
}

// cleanPaths redirects a request for an unclean path (//api/search,
// /api/./search) to its clean form, as mux would, but keeps the method
// of a POST, PUT or DELETE with 308: mux's 301 made clients repeat a
// POST search as a GET without its body, which searched for nothing.
// The redirect goes through wrap, the middleware of every response.
func cleanPaths(next http.Handler, wrap func(http.Handler) http.Handler) http.Handler {
	redirect := wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u := *r.URL
		u.Path, u.RawPath = cleanPath(u.Path), ""
		status := http.StatusMovedPermanently
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			status = http.StatusPermanentRedirect
		}
		w.Header().Set("Location", u.RequestURI())
		writeJSON(w, status, fmt.Appendf(nil, "{\"location\":%q}\n", u.RequestURI()))
	}))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if cleanPath(r.URL.Path) != r.URL.Path {
			redirect.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// cleanPath is p cleaned as mux cleans it, a final slash kept.
func cleanPath(p string) string {
	clean := path.Clean("/" + p)
	if strings.HasSuffix(p, "/") && clean != "/" {
		clean += "/"
	}
	return clean
}

// chain wraps h in the middleware every response gets, outermost first.
func chain(h http.Handler, logger *slog.Logger, cfg Config, m *metrics) http.Handler {
	h = timeout(cfg.RequestTimeout, cfg.WriteTimeout, h)
	h = recoverPanics(logger, h)
	h = securityHeaders(h)
	h = logRequests(logger, m, h)
	return requestID(h)
}

// handleNotFound answers unknown paths with a JSON 404; a browser that
// asked for a page outside /api/ (a mistyped or outdated address, an
// article address with a slash at its end) gets a page that leads back to
// the search, where it had been shown the raw JSON.
func handleNotFound(logger *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, "/api/") && strings.Contains(r.Header.Get("Accept"), "text/html") {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Header().Set("Cache-Control", "no-cache")
			w.WriteHeader(http.StatusNotFound)
			if r.Method != http.MethodHead {
				io.WriteString(w, notFoundPage)
			}
			return
		}
		writeError(w, r, logger, &apiError{status: http.StatusNotFound, body: errorJSON{Code: codeNotFound, Message: "no such page: " + r.URL.Path}})
	})
}

// notFoundPage is the 404 page browsers get: no script, the site's style.
const notFoundPage = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Page not found – newsearch</title>
<link rel="stylesheet" href="/static/style.css">
</head>
<body>
<main class="not-found">
<h1>Page not found</h1>
<p>There is no page at this address. <a href="/">Search the news</a></p>
</main>
</body>
</html>
`

// handleMethodNotAllowed answers a known path with the wrong method, and
// names the methods the path takes in Allow, as HTTP asks of a 405.
func handleMethodNotAllowed(logger *slog.Logger, router *mux.Router) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var allowed []string
		for _, method := range []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodDelete} {
			probe := r.Clone(r.Context())
			probe.Method = method
			var match mux.RouteMatch
			if router.Match(probe, &match) && match.MatchErr == nil {
				allowed = append(allowed, method)
			}
		}
		if len(allowed) > 0 {
			w.Header().Set("Allow", strings.Join(allowed, ", "))
		}
		writeError(w, r, logger, methodNotAllowed(r))
	})
}
