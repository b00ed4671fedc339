package server

import (
	"log/slog"
	"net/http"
	"net/url"

	"github.com/gorilla/mux"

	"newsearch/index"
)

// articleGETParams lists the parameters GET /api/articles/{id} accepts:
// the search whose matches to highlight, matched as GET /api/search
// matches it.
var articleGETParams = map[string]bool{"q": false, "typos": false, "prefix": false}

// articleParams is an article request's query string, before validation.
type articleParams struct {
	Q             string
	Typos, Prefix bool
	problems      map[string]string
}

func parseArticleGET(v url.Values) articleParams {
	p := articleParams{Typos: true, Prefix: true, problems: map[string]string{}}
	eachParam(v, articleGETParams, p.problems, func(name string, values []string) {
		switch name {
		case "q":
			p.Q = values[0]
		case "typos":
			p.Typos = parseBool(p.problems, name, values[0])
		case "prefix":
			p.Prefix = parseBool(p.problems, name, values[0])
		}
	})
	if msg := index.QueryTextProblem(p.Q); msg != "" {
		p.problems["q"] = msg
	}
	return p
}

// articleRequest reads the article id of r's path and r's query string,
// answering 400 itself when either is bad.
func articleRequest(w http.ResponseWriter, r *http.Request, logger *slog.Logger) (string, url.Values, bool) {
	id := mux.Vars(r)["id"]
	if err := index.ValidID(id); err != nil {
		writeError(w, r, logger, invalid("invalid article id", map[string]string{"id": err.Error()}))
		return "", nil, false
	}
	v, ok := queryValues(w, r, logger)
	return id, v, ok
}

// handleArticle serves GET /api/articles/{id}: the whole stored article;
// with q, also its whole title and body highlighted for that search.
func handleArticle(logger *slog.Logger, s Searcher) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, v, ok := articleRequest(w, r, logger)
		if !ok {
			return
		}
		p := parseArticleGET(v)
		if len(p.problems) > 0 {
			writeError(w, r, logger, invalid("invalid article parameters", p.problems))
			return
		}
		if p.Q == "" {
			a, err := s.Article(r.Context(), id)
			if err != nil {
				writeError(w, r, logger, err)
				return
			}
			encode(w, r, logger, http.StatusOK, newArticleResponse(a))
			return
		}
		a, hl, err := s.HighlightArticle(r.Context(), id, index.Query{Text: p.Q, Typos: p.Typos, Prefix: p.Prefix})
		if err != nil {
			writeError(w, r, logger, err)
			return
		}
		resp := newArticleResponse(a)
		resp.Highlights = &articleHighlightsJSON{
			Title:   hl.Title,
			Body:    hl.Body,
			Matches: matchesJSON(hl.Matches),
		}
		encode(w, r, logger, http.StatusOK, resp)
	})
}
