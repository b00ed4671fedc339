package server

import (
	"crypto/sha256"
	"crypto/subtle"
	"log/slog"
	"net/http"
	"strings"
)

// requireAdmin lets a request through only with "Authorization: Bearer
// <token>" equal to the configured admin token. The comparison is in
// constant time over SHA-256 digests, so neither the token's content nor
// its length leaks through timing. With no token configured, writes are
// off: every request gets 403 saying how to turn them on. The header is
// never logged (the request log records no headers).
func requireAdmin(logger *slog.Logger, token string, next http.Handler) http.Handler {
	want := sha256.Sum256([]byte(token))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if token == "" {
			writeError(w, r, logger, &apiError{status: http.StatusForbidden, body: errorJSON{Code: codePermissionDenied,
				Message: "writes are disabled: start the server with NEWSEARCH_ADMIN_TOKEN set to a secret of at least 16 characters, " +
					"then send it as \"Authorization: Bearer <token>\""}})
			return
		}
		got, ok := bearer(r.Header.Get("Authorization"))
		if !ok {
			w.Header().Set("WWW-Authenticate", `Bearer realm="newsearch"`)
			writeError(w, r, logger, &apiError{status: http.StatusUnauthorized, body: errorJSON{Code: codeUnauthenticated,
				Message: "this endpoint needs \"Authorization: Bearer <admin token>\""}})
			return
		}
		sum := sha256.Sum256([]byte(got))
		if subtle.ConstantTimeCompare(sum[:], want[:]) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="newsearch", error="invalid_token"`)
			writeError(w, r, logger, &apiError{status: http.StatusUnauthorized, body: errorJSON{Code: codeUnauthenticated,
				Message: "the bearer token is not the admin token"}})
			return
		}
		next.ServeHTTP(w, r)
	})
}

// bearer returns the token of an "Authorization: Bearer <token>" header
// (the scheme is case-insensitive, RFC 6750).
func bearer(h string) (string, bool) {
	scheme, tok, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	tok = strings.TrimSpace(tok)
	return tok, tok != ""
}
