package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"sync"

	"newsearch/index"
)

// Error codes in error responses. Clients branch on these, never on the
// message; new codes may be added, existing ones never change meaning.
const (
	codeInvalidArgument  = "invalid_argument"
	codeNotFound         = "not_found"
	codeMethodNotAllowed = "method_not_allowed"
	codeUnavailable      = "unavailable"
	codeTimeout          = "deadline_exceeded"
	codeInternal         = "internal"
	codeUnauthenticated  = "unauthenticated"
	codePermissionDenied = "permission_denied"
	codeTooLarge         = "too_large"
	codeConflict         = "conflict"
)

// errorBody is the one shape of every error response.
type errorBody struct {
	Error errorJSON `json:"error"`
}

type errorJSON struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
}

// apiError is an error that already knows its response.
type apiError struct {
	status int
	body   errorJSON
	cause  error // what it was made from, for errors.As; never shown
}

func (e *apiError) Error() string { return e.body.Message }

func (e *apiError) Unwrap() error { return e.cause }

// tooLarge is the 413 of a request whose body is over its cap.
func tooLarge(limit int64) *apiError {
	return &apiError{status: http.StatusRequestEntityTooLarge, body: errorJSON{Code: codeTooLarge,
		Message: fmt.Sprintf("request body larger than %d bytes", limit)}}
}

// invalid reports bad request input, per field.
func invalid(message string, fields map[string]string) *apiError {
	return &apiError{status: http.StatusBadRequest, body: errorJSON{Code: codeInvalidArgument, Message: message, Fields: fields}}
}

// errorFor maps an error to its response. This table is the only place
// that decides statuses for errors from index:
//
//	*apiError                                  its own status
//	index.ErrInvalidQuery, ErrInvalidArticle   400
//	index.ErrNotFound                          404
//	index.ErrBusy                              409
//	index.ErrWriteFailed                       503, with the reason
//	index.ErrNotReady, ErrClosed               503
//	context.DeadlineExceeded                   503
//	anything else                              500 "internal error"
func errorFor(err error) *apiError {
	var ae *apiError
	var fe *index.FieldError
	switch {
	case errors.As(err, &ae):
		return ae
	case errors.As(err, &fe):
		return invalid("invalid article", map[string]string{fe.Field: fe.Reason})
	case errors.Is(err, index.ErrInvalidQuery), errors.Is(err, index.ErrInvalidArticle):
		return invalid(err.Error(), nil)
	case errors.Is(err, index.ErrNotFound):
		return &apiError{status: http.StatusNotFound, body: errorJSON{Code: codeNotFound, Message: err.Error()}}
	case errors.Is(err, index.ErrBusy):
		return &apiError{status: http.StatusConflict, body: errorJSON{Code: codeConflict, Message: "a reindex is already running; poll GET /api/reindex"}}
	case errors.Is(err, index.ErrWriteFailed):
		// The disk refused it (full, read-only): say so, and that nothing
		// was stored, so that a client may retry the whole write later.
		return &apiError{status: http.StatusServiceUnavailable, body: errorJSON{Code: codeUnavailable, Message: err.Error()}}
	case errors.Is(err, index.ErrDirLost):
		// Not ready for good: no Retry-After, and the message says what helps.
		return &apiError{status: http.StatusServiceUnavailable, body: errorJSON{Code: codeUnavailable, Message: "the index directory was removed or replaced under the server; restart the server"}}
	case errors.Is(err, index.ErrNotReady), errors.Is(err, index.ErrClosed):
		return &apiError{status: http.StatusServiceUnavailable, body: errorJSON{Code: codeUnavailable, Message: "the index is not ready yet; retry shortly"}}
	case errors.Is(err, context.DeadlineExceeded):
		return &apiError{status: http.StatusServiceUnavailable, body: errorJSON{Code: codeTimeout, Message: "the request took too long"}}
	}
	return &apiError{status: http.StatusInternalServerError, body: errorJSON{Code: codeInternal, Message: "internal error"}}
}

// writeError writes err as a JSON error response. Only internal errors
// (500) are logged, with the full error: a 503 while the index loads or a
// timed-out search is expected, not a fault. Clients never see internal
// error text.
func writeError(w http.ResponseWriter, r *http.Request, logger *slog.Logger, err error) {
	ae := errorFor(err)
	if ae.status == http.StatusInternalServerError && !errors.Is(r.Context().Err(), context.Canceled) {
		logger.LogAttrs(r.Context(), slog.LevelError, "request failed",
			slog.String("method", r.Method), slog.String("path", r.URL.Path), slog.Any("err", err))
	}
	if ae.status == http.StatusServiceUnavailable && !errors.Is(err, index.ErrDirLost) {
		w.Header().Set("Retry-After", "1")
	}
	encode(w, r, logger, ae.status, errorBody{ae.body})
}

// encode writes v as JSON with the given status. It encodes into a buffer
// first so that an encoding failure becomes a clean 500 instead of a
// half-written body.
func encode(w http.ResponseWriter, r *http.Request, logger *slog.Logger, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // highlights stay readable; Content-Type and nosniff keep it data
	if err := enc.Encode(v); err != nil {
		logger.ErrorContext(r.Context(), "encode response", "err", err)
		status = http.StatusInternalServerError
		buf.Reset()
		buf.WriteString(`{"error":{"code":"internal","message":"internal error"}}` + "\n")
	}
	writeJSON(w, status, buf.Bytes())
}

// writeJSON writes body, a JSON document, with the given status.
func writeJSON(w http.ResponseWriter, status int, body []byte) {
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	w.Write(body)
}

// encodeSearch writes a search response, encoded by hand (api.go): it is
// the one body written on every search.
func encodeSearch(w http.ResponseWriter, r *http.Request, logger *slog.Logger, q string, res *index.Results) {
	if !resultsFinite(res) {
		encode(w, r, logger, http.StatusOK, newSearchResponse(q, *res)) // encoding/json reports it
		return
	}
	bp := searchBufs.Get().(*[]byte)
	b := appendSearchJSON((*bp)[:0], q, res)
	b = append(b, '\n')
	writeJSON(w, http.StatusOK, b) // Write copies b: it may go back to the pool
	if cap(b) <= maxPooledSearchBuf {
		*bp = b
		searchBufs.Put(bp)
	}
}

// searchBufs are the buffers search responses are encoded into: a page of
// ten hits with highlights is about 10–15 KB, allocated once per search
// before (a tenth of a search's allocations on 108k articles).
var searchBufs = sync.Pool{New: func() any { b := make([]byte, 0, 16<<10); return &b }}

// maxPooledSearchBuf bounds the buffers kept: a page of 200 long hits
// should not stay allocated for every later search.
const maxPooledSearchBuf = 256 << 10

// decode reads one JSON object of type T from the request body, which
// must be at most limit bytes (else 413), valid UTF-8, and hold nothing
// else but a leading byte order mark. Its keys must be T's own, spelt as
// T spells them, each once: encoding/json alone matches keys in any case
// and lets a repeated key overwrite, so {"q":"Putin","Q":"x"} searched
// for x, and it turns invalid UTF-8 into U+FFFD, so a Latin-1 article was
// stored garbled with a 200 (the bulk endpoint refused it).
func decode[T any](w http.ResponseWriter, r *http.Request, limit int64) (T, error) {
	var v T
	if err := plainBody(r); err != nil {
		return v, err
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		return v, bodyError(err, limit)
	}
	if i := index.InvalidUTF8At(data); i < len(data) {
		return v, invalid(fmt.Sprintf("request body is not valid UTF-8 (at byte %d)", i), nil)
	}
	// A byte order mark, as some editors save a file, is no content: the
	// bulk endpoint skips it too. JSON itself does not allow it.
	data = bytes.TrimPrefix(data, utf8BOM)
	if bytes.Equal(bytes.TrimSpace(data), []byte("null")) {
		return v, invalid("invalid request body", map[string]string{"body": "must be an object"})
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&v); err != nil {
		if strings.HasPrefix(err.Error(), unknownFieldError) {
			// encoding/json names the key but not where it is:
			// checkKeys gives its path (filters.bogus, not bogus).
			if problems := checkKeys(data, reflect.TypeFor[T]()); len(problems) > 0 {
				return v, invalid("invalid request body", problems)
			}
		}
		return v, bodyError(err, limit)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		if err != nil {
			return v, bodyError(err, limit)
		}
		return v, invalid("request body must hold exactly one JSON object", nil)
	}
	if problems := checkKeys(data, reflect.TypeFor[T]()); len(problems) > 0 {
		return v, invalid("invalid request body", problems)
	}
	return v, nil
}

// checkKeys reports, by dotted path, each key of the JSON objects in data
// that t's struct fields do not name exactly (json tags, case and all)
// and each key given twice. data has decoded into t already.
func checkKeys(data []byte, t reflect.Type) map[string]string {
	problems := map[string]string{}
	dec := json.NewDecoder(bytes.NewReader(data))
	var walk func(t reflect.Type, path string) error
	walk = func(t reflect.Type, path string) error {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		for t != nil && t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		switch tok {
		case json.Delim('{'):
			var fields map[string]reflect.Type
			if t != nil && t.Kind() == reflect.Struct {
				fields = jsonFieldsOf(t)
			}
			seen := map[string]bool{}
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return err
				}
				key, _ := kt.(string)
				name := path + key
				ft, known := fields[key]
				switch {
				case fields != nil && !known:
					problems[name] = "unknown field"
					if want := caseFold(fields, key); want != "" {
						problems[name] = "unknown field; did you mean " + path + want + "?"
					}
				case seen[key]:
					problems[name] = "given more than once"
				}
				seen[key] = true
				if err := walk(ft, name+"."); err != nil {
					return err
				}
			}
			_, err = dec.Token() // '}'
			return err
		case json.Delim('['):
			var et reflect.Type
			if t != nil && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array) {
				et = t.Elem()
			}
			for dec.More() {
				if err := walk(et, path); err != nil {
					return err
				}
			}
			_, err = dec.Token() // ']'
			return err
		}
		return nil
	}
	if err := walk(t, ""); err != nil {
		return map[string]string{"body": "is not valid JSON"}
	}
	return problems
}

// jsonFieldsOf is jsonFields, read once per type: decode checks every
// body's keys against them.
func jsonFieldsOf(t reflect.Type) map[string]reflect.Type {
	if f, ok := jsonFieldCache.Load(t); ok {
		return f.(map[string]reflect.Type)
	}
	f, _ := jsonFieldCache.LoadOrStore(t, jsonFields(t))
	return f.(map[string]reflect.Type)
}

var jsonFieldCache sync.Map // reflect.Type → map[string]reflect.Type

// jsonFields maps the JSON keys of struct type t's exported fields to
// their types.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for f := range t.Fields() {
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch name {
		case "-":
			continue
		case "":
			name = f.Name
		}
		out[name] = f.Type
	}
	return out
}

// caseFold returns the key of fields that key spells in other case, or "".
func caseFold(fields map[string]reflect.Type, key string) string {
	for name := range fields {
		if strings.EqualFold(name, key) {
			return name
		}
	}
	return ""
}

// isTimeout reports whether err is a read that ran past its deadline: a
// body sent too slowly, or a bulk longer than the server's write timeout.
func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// bodyTimeout is the answer to a body that did not arrive in time: 408,
// not a 400 that blames its content (a body sent a byte a second had been
// logged as invalid_argument).
func bodyTimeout() *apiError {
	return &apiError{status: http.StatusRequestTimeout, body: errorJSON{Code: codeTimeout, Message: "the request body did not arrive within the server's time limit"}}
}

// plainBody refuses a compressed body: a gzip file posted with
// Content-Encoding: gzip had been read as thousands of lines that were
// not valid UTF-8, answered 200.
func plainBody(r *http.Request) error {
	if ce := r.Header.Get("Content-Encoding"); ce != "" && !strings.EqualFold(ce, "identity") {
		return &apiError{status: http.StatusUnsupportedMediaType, body: errorJSON{Code: codeInvalidArgument,
			Message: fmt.Sprintf("Content-Encoding %q is not accepted: send the body uncompressed (zcat file.gz | curl --data-binary @- ...)", ce)}}
	}
	return nil
}

// unknownFieldError starts encoding/json's error for a key that
// DisallowUnknownFields refuses.
const unknownFieldError = `json: unknown field "`

func bodyError(err error, limit int64) error {
	var mbe *http.MaxBytesError
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &mbe):
		ae := tooLarge(limit)
		ae.cause = mbe
		return ae
	case isTimeout(err):
		return bodyTimeout()
	case errors.Is(err, io.EOF):
		return invalid("request body is empty; send a JSON object", nil)
	case errors.As(err, &se) && strings.Contains(se.Error(), "exceeded max depth"):
		return invalid(fmt.Sprintf("request body nests too deep (at byte %d)", se.Offset), nil)
	case errors.As(err, &se):
		return invalid(fmt.Sprintf("request body is not valid JSON (at byte %d)", se.Offset), nil)
	case errors.As(err, &te):
		field := te.Field
		if field == "" {
			field = "body"
		}
		return invalid("invalid request body", map[string]string{field: "must be " + jsonKind(te.Type.Kind().String())})
	}
	if name, ok := strings.CutPrefix(err.Error(), unknownFieldError); ok {
		return invalid("invalid request body", map[string]string{strings.TrimSuffix(name, `"`): "unknown field"})
	}
	// Truncated input and the like: encoding/json's message names the
	// problem without revealing anything internal.
	return invalid("invalid request body: "+err.Error(), nil)
}

func jsonKind(goKind string) string {
	switch goKind {
	case "string":
		return "a string"
	case "int", "int64":
		return "an integer"
	case "float64":
		return "a number"
	case "slice":
		return "an array"
	case "struct", "map":
		return "an object"
	case "bool":
		return "true or false"
	}
	return "of another type"
}
