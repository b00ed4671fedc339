package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"runtime/debug"
	"time"
)

// contentSecurityPolicy allows only our own scripts, styles and API: no
// inline script, no third-party origin, no framing.
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// securityHeaders sets the headers every response carries.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		for _, kv := range securityHeaderValues {
			h[kv.key] = kv.value
		}
		next.ServeHTTP(w, r)
	})
}

// securityHeaderValues are securityHeaders', under canonical keys. Every
// response shares the value slices, which Header.Set would allocate anew
// for each (five of a search's allocations): net/http only reads them,
// and Set, Add or Del on a response replace or copy them.
var securityHeaderValues = []struct {
	key   string
	value []string
}{
	{"Content-Security-Policy", []string{contentSecurityPolicy}},
	{"X-Content-Type-Options", []string{"nosniff"}},
	{"Referrer-Policy", []string{"no-referrer"}},
	{"X-Frame-Options", []string{"DENY"}},
	{"Cross-Origin-Opener-Policy", []string{"same-origin"}},
}

// timeout gives every request a deadline; handlers pass r.Context() on,
// so a slow search is cancelled inside bleve. Writes (any PUT or DELETE,
// any POST but a search) get the longer write deadline.
func timeout(read, write time.Duration, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		d := read
		if r.Method == http.MethodPut || r.Method == http.MethodDelete || r.Method == http.MethodPost && r.URL.Path != "/api/search" {
			d = write
		}
		ctx, cancel := context.WithTimeout(r.Context(), d)
		defer cancel()
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// recoverPanics turns a panic in a handler into a logged 500 JSON error,
// with the stack in the log and never in the response.
func recoverPanics(logger *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				logger.ErrorContext(r.Context(), "panic serving request", "method", r.Method,
					"path", r.URL.Path, "panic", v, "stack", string(debug.Stack()))
				if rec, ok := w.(*recorder); !ok || rec.status == 0 {
					writeError(w, r, logger, &apiError{status: http.StatusInternalServerError, body: errorJSON{Code: codeInternal, Message: "internal error"}})
				}
			}
		}()
		next.ServeHTTP(w, r)
	})
}

type ctxKey int

const requestIDKey ctxKey = 0

// requestID gives each request an id: the client's X-Request-Id when it is
// short and plain, else a random one. It is echoed in the response header
// and logged with the request.
func requestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get("X-Request-Id")
		if !plainID(id) {
			var b [8]byte
			rand.Read(b[:])
			id = hex.EncodeToString(b[:])
		}
		w.Header().Set("X-Request-Id", id)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), requestIDKey, id)))
	})
}

func plainID(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, c := range []byte(s) {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

// recorder remembers the status and size of a response for the log.
type recorder struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (r *recorder) WriteHeader(status int) {
	if r.status == 0 {
		r.status = status
	}
	r.ResponseWriter.WriteHeader(status)
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	n, err := r.ResponseWriter.Write(b)
	r.bytes += n
	return n, err
}

// Unwrap lets http.ResponseController reach the underlying writer (Flush).
func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// probeRoutes are the health checks and the metrics scrape.
var probeRoutes = map[string]bool{"/healthz": true, "/readyz": true, "/livez": true, "/metrics": true}

// logRequests logs one line per request and counts it in the metrics:
// method, route template (not the raw path, which may hold search text),
// status, duration in milliseconds, bytes, the client's address and the
// request id; successful probes at debug. Query text is never logged
// here.
func logRequests(logger *slog.Logger, m *metrics, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &recorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		d := time.Since(start)
		if rec.status == 0 {
			rec.status = http.StatusOK
		}
		m.observe(r, rec.status, d)
		route := routeOf(r)
		id, _ := r.Context().Value(requestIDKey).(string)
		if id == "" {
			id = w.Header().Get("X-Request-Id")
		}
		// Probes and scrapes that succeed are routine: at info, a 10 s
		// health check and a 15 s scrape made 14 lines a minute.
		level := slog.LevelInfo
		if probeRoutes[route] && rec.status < 400 {
			level = slog.LevelDebug
		}
		// The duration in milliseconds, its unit in its key: JSON had a
		// bare count of nanoseconds.
		logger.LogAttrs(r.Context(), level, "request",
			slog.String("method", r.Method),
			slog.String("route", route),
			slog.Int("status", rec.status),
			slog.Float64("duration_ms", float64(d.Microseconds())/1000),
			slog.Int("bytes", rec.bytes),
			slog.String("remote", r.RemoteAddr),
			slog.String("request_id", id),
		)
	})
}
