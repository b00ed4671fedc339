package server

import (
	"log/slog"
	"net/http"

	"github.com/gorilla/mux"

	"newsearch/index"
)

// handleArticle serves GET /api/articles/{id}: the whole stored article.
func handleArticle(logger *slog.Logger, s Searcher) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := mux.Vars(r)["id"]
		if err := index.ValidID(id); err != nil {
			writeError(w, r, logger, invalid("invalid article id", map[string]string{"id": err.Error()}))
			return
		}
		a, err := s.Article(r.Context(), id)
		if err != nil {
			writeError(w, r, logger, err)
			return
		}
		encode(w, r, logger, http.StatusOK, newArticleResponse(a))
	})
}
