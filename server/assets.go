package server

import (
	"embed"
	"io/fs"
	"net/http"
	"strconv"
	"strings"
)

// web holds the search page: plain HTML, CSS and JavaScript, no build step.
//
//go:embed web
var web embed.FS

// Assets is the search page's files (index.html, app.js, style.css).
var Assets, _ = fs.Sub(web, "web")

// handlePage serves GET / and GET /articles/{id}: the single page, which
// reads its state from the URL.
func handlePage() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-cache")
		http.ServeFileFS(w, r, Assets, "index.html")
	})
}

// handleStatic serves GET /static/{file}: the page's scripts and styles.
// A directory (/static/ itself) is not listed: notFound answers it.
func handleStatic(notFound http.Handler) http.Handler {
	files := http.StripPrefix("/static/", http.FileServerFS(Assets))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(r.URL.Path, "/static/")
		if st, err := fs.Stat(Assets, name); name == "" || err != nil || st.IsDir() {
			notFound.ServeHTTP(w, r)
			return
		}
		files.ServeHTTP(w, r)
	})
}

//go:embed openapi.json
var openAPI []byte

// handleOpenAPI serves GET /api/openapi.json: the OpenAPI 3 description of
// the API.
func handleOpenAPI() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Header().Set("Content-Length", strconv.Itoa(len(openAPI)))
		if r.Method != http.MethodHead {
			w.Write(openAPI)
		}
	})
}
