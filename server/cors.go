package server

import (
	"net/http"
	"slices"
)

// cors answers cross-origin requests from the configured origins only.
// With no origins configured it does nothing, so browsers keep the
// same-origin policy; "*" allows every origin for reads only: its
// preflights offer GET, HEAD and POST (a search's body) and no
// Authorization header, so a page of any site cannot send a write with a
// token (it had been offered PUT and DELETE with Authorization). Origins
// named one by one may write, with the token. Preflight requests (OPTIONS with
// Access-Control-Request-Method) from an allowed origin get 204 here,
// before routing; from any other origin they fall through to the router,
// whose 405 carries no CORS headers, which the browser treats as a refusal.
func cors(origins []string, next http.Handler) http.Handler {
	if len(origins) == 0 {
		return next
	}
	any := slices.Contains(origins, "*")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		origin := r.Header.Get("Origin")
		if origin == "" {
			next.ServeHTTP(w, r)
			return
		}
		h := w.Header()
		h.Add("Vary", "Origin")
		if !any && !slices.Contains(origins, origin) {
			next.ServeHTTP(w, r)
			return
		}
		h.Set("Access-Control-Allow-Origin", origin)
		h.Set("Access-Control-Expose-Headers", "X-Request-Id, Retry-After")
		if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
			h.Add("Vary", "Access-Control-Request-Method, Access-Control-Request-Headers")
			if any {
				h.Set("Access-Control-Allow-Methods", "GET, HEAD, POST")
				h.Set("Access-Control-Allow-Headers", "Content-Type, X-Request-Id")
			} else {
				h.Set("Access-Control-Allow-Methods", "GET, HEAD, POST, PUT, DELETE")
				h.Set("Access-Control-Allow-Headers", "Authorization, Content-Type, X-Request-Id")
			}
			h.Set("Access-Control-Max-Age", "600")
			w.WriteHeader(http.StatusNoContent)
			return
		}
		next.ServeHTTP(w, r)
	})
}
