package server

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"

	"newsearch/index"
)

// relatedGETParams lists the parameters GET /api/articles/{id}/related
// accepts; none may repeat.
var relatedGETParams = map[string]bool{"size": false}

// defaultRelated is how many related articles GET
// /api/articles/{id}/related returns without size.
const defaultRelated = 5

// relatedResponse is the body of GET /api/articles/{id}/related: the
// articles most like one, best first.
type relatedResponse struct {
	ID      string        `json:"id"`
	Related []relatedJSON `json:"related"`
}

// relatedJSON is one related article: plain text only.
type relatedJSON struct {
	articleRefJSON
	Score float64 `json:"score"`
}

// handleRelated serves GET /api/articles/{id}/related?size=N: up to size
// (1 to index.MaxRelated, default defaultRelated) articles that share the
// article's distinctive words.
func handleRelated(logger *slog.Logger, s Searcher) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, v, ok := articleRequest(w, r, logger)
		if !ok {
			return
		}
		size := defaultRelated
		problems := map[string]string{}
		eachParam(v, relatedGETParams, problems, func(name string, values []string) {
			size = parseInt(problems, name, values[0])
			if _, bad := problems[name]; !bad && (size < 1 || size > index.MaxRelated) {
				problems[name] = fmt.Sprintf("must be between 1 and %d", index.MaxRelated)
			}
		})
		if len(problems) > 0 {
			writeError(w, r, logger, invalid("invalid related parameters", problems))
			return
		}
		hits, err := s.Related(r.Context(), id, size)
		if err != nil {
			writeError(w, r, logger, err)
			return
		}
		encode(w, r, logger, http.StatusOK, newRelatedResponse(id, hits))
	})
}

func newRelatedResponse(id string, hits []index.Hit) relatedResponse {
	resp := relatedResponse{ID: id, Related: make([]relatedJSON, len(hits))}
	for i, h := range hits {
		resp.Related[i] = relatedJSON{articleRefJSON: hitRef(h), Score: h.Score}
	}
	return resp
}

// WriteRelatedJSON writes the articles related to the article id as GET
// /api/articles/{id}/related answers them, indented (newsearch search
// -related -json).
func WriteRelatedJSON(w io.Writer, id string, hits []index.Hit) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(newRelatedResponse(id, hits))
}
