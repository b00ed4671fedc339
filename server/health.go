package server

import (
	"log/slog"
	"net/http"
)

// healthResponse is the body of GET /healthz.
type healthResponse struct {
	Status   string `json:"status"`
	Articles uint64 `json:"articles"`
}

// handleHealthz serves GET /healthz: 200 once the index is open and
// answering, 503 (with Retry-After) while it is still being built.
func handleHealthz(logger *slog.Logger, s Searcher) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, err := s.DocCount()
		if err != nil {
			writeError(w, r, logger, err)
			return
		}
		encode(w, r, logger, http.StatusOK, healthResponse{Status: "ok", Articles: n})
	})
}
