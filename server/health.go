package server

import (
	"log/slog"
	"net/http"
)

// healthResponse is the body of GET /healthz and GET /readyz.
type healthResponse struct {
	Status   string `json:"status"`
	Articles uint64 `json:"articles"`
	Version  string `json:"version,omitempty"`
}

// handleHealthz serves GET /healthz: 200 once the index is open and
// answering, 503 (with Retry-After) while it is still being built. This is
// the API contract scripts rely on; orchestrators should probe /livez for
// liveness and /readyz for readiness.
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

// handleReadyz serves GET /readyz: 200 with the version and article count
// once the index is open and serving, 503 before.
func handleReadyz(logger *slog.Logger, cfg Config, s Searcher) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, err := s.DocCount()
		if err != nil {
			writeError(w, r, logger, err)
			return
		}
		encode(w, r, logger, http.StatusOK, healthResponse{Status: "ready", Articles: n, Version: cfg.Version})
	})
}

// handleLivez serves GET /livez: 200 whenever the process can answer HTTP,
// also while the index is still being built (a long build is not a reason
// to restart the container).
func handleLivez(logger *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		encode(w, r, logger, http.StatusOK, struct {
			Status string `json:"status"`
		}{"alive"})
	})
}
