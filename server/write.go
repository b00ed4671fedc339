package server

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/gorilla/mux"

	"newsearch/index"
)

// Writer is what the write API needs from the index. *index.Index
// implements it. When the Searcher given to New also implements Writer, the
// write routes are served (behind the admin token); otherwise they answer
// 403.
type Writer interface {
	Add(ctx context.Context, articles []index.Article) error
	Delete(ctx context.Context, id string) error
	StartReindex() error
	ReindexStatus() index.ReindexStatus
}

const (
	// maxArticleBody caps the JSON body of PUT /api/articles/{id}: a 1 MiB
	// article body with every character escaped fits.
	maxArticleBody = 8 << 20
	// bulkChunk is how many good lines are committed together; each chunk
	// is one journal fsync and one bleve batch.
	bulkChunk = 500
)

// writeResponse is the body of a successful PUT or DELETE.
type writeResponse struct {
	ID     string `json:"id"`
	Result string `json:"result"` // "indexed" or "deleted"
}

// extendDeadlines lets a write outlive the server's default read and write
// timeouts, up to the write timeout the middleware gave its context.
func extendDeadlines(w http.ResponseWriter, r *http.Request) {
	if d, ok := r.Context().Deadline(); ok {
		rc := http.NewResponseController(w)
		rc.SetReadDeadline(d.Add(time.Second))
		rc.SetWriteDeadline(d.Add(5 * time.Second))
	}
}

// handlePut serves PUT /api/articles/{id}: one article as JSON, validated
// as the loader validates, stored durably, replacing any with that id.
func handlePut(logger *slog.Logger, wr Writer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := mux.Vars(r)["id"]
		if err := index.ValidID(id); err != nil {
			writeError(w, r, logger, invalid("invalid article id", map[string]string{"id": err.Error()}))
			return
		}
		if err := noParams(r); err != nil {
			writeError(w, r, logger, err)
			return
		}
		if r.ContentLength > maxArticleBody {
			writeError(w, r, logger, tooLarge(maxArticleBody))
			return
		}
		extendDeadlines(w, r)
		// The body is one article in the corpus format. Its id may be left
		// out; when given it must equal the path's id.
		body, err := decode[index.Record](w, r, maxArticleBody)
		if err != nil {
			writeError(w, r, logger, err)
			return
		}
		if body.ID != "" && body.ID != id {
			writeError(w, r, logger, invalid("invalid article", map[string]string{"id": fmt.Sprintf("%q differs from the id in the path", body.ID)}))
			return
		}
		a, err := body.Article()
		if err != nil {
			writeError(w, r, logger, err)
			return
		}
		a.ID = id
		if err := wr.Add(r.Context(), []index.Article{a}); err != nil {
			writeError(w, r, logger, err)
			return
		}
		encode(w, r, logger, http.StatusOK, writeResponse{ID: id, Result: "indexed"})
	})
}

// handleDelete serves DELETE /api/articles/{id}; 404 when there is no such
// article.
func handleDelete(logger *slog.Logger, wr Writer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := mux.Vars(r)["id"]
		if err := index.ValidID(id); err != nil {
			writeError(w, r, logger, invalid("invalid article id", map[string]string{"id": err.Error()}))
			return
		}
		if err := noParams(r); err != nil {
			writeError(w, r, logger, err)
			return
		}
		if err := wr.Delete(r.Context(), id); err != nil {
			writeError(w, r, logger, err)
			return
		}
		encode(w, r, logger, http.StatusOK, writeResponse{ID: id, Result: "deleted"})
	})
}

// noParams refuses a write with query parameters, none of which it takes,
// as the read endpoints refuse unknown ones: a typo must not pass
// silently.
func noParams(r *http.Request) error {
	problems := map[string]string{}
	eachParam(r.URL.Query(), nil, problems, func(string, []string) {})
	if len(problems) > 0 {
		return invalid("invalid parameters", problems)
	}
	return nil
}

// bulkTooLarge is tooLarge with the way out for a bulk request.
func bulkTooLarge(limit int64) *apiError {
	ae := tooLarge(limit)
	ae.body.Message += "; split it into smaller requests"
	return ae
}

// bulkResult is the outcome of one non-blank line of a bulk request.
type bulkResult struct {
	Line   int    `json:"line"`
	ID     string `json:"id,omitempty"`
	Status string `json:"status"` // "indexed" or "error"
	Error  string `json:"error,omitempty"`
}

// bulkResponse is the body of POST /api/articles/_bulk. On a failure that
// stops the request (body over the cap, index unavailable) it also has
// Error, and the status is that error's; Results still says which lines
// were indexed before it.
type bulkResponse struct {
	Indexed int          `json:"indexed"`
	Failed  int          `json:"failed"`
	Results []bulkResult `json:"results"`
	Error   *errorJSON   `json:"error,omitempty"`
}

// handleBulk serves POST /api/articles/_bulk: NDJSON, one article per line
// in the corpus format (fields other than ours ignored, so a corpus file can
// be posted as is), read as a stream. Good lines are committed in chunks;
// a bad line is reported with its number and reason and never costs the
// good ones. A 2xx means every line reported "indexed" is durable.
func handleBulk(logger *slog.Logger, wr Writer, limit int64) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := noParams(r); err != nil {
			writeError(w, r, logger, err)
			return
		}
		if r.ContentLength > limit {
			writeError(w, r, logger, bulkTooLarge(limit))
			return
		}
		if err := plainBody(r); err != nil {
			writeError(w, r, logger, err)
			return
		}
		extendDeadlines(w, r)
		resp := bulkResponse{Results: []bulkResult{}}
		var (
			chunk []index.Article
			at    []int // chunk[i] is resp.Results[at[i]]
		)
		commit := func() error {
			if len(chunk) == 0 {
				return nil
			}
			if err := wr.Add(r.Context(), chunk); err != nil {
				for _, i := range at {
					resp.Results[i].Status, resp.Results[i].Error = "error", "not indexed: "+errorFor(err).body.Message
				}
				resp.Failed += len(at)
				return err
			}
			for _, i := range at {
				resp.Results[i].Status = "indexed"
			}
			resp.Indexed += len(at)
			chunk, at = chunk[:0], at[:0]
			return nil
		}
		fail := func(err error) {
			ae := errorFor(err)
			for _, i := range at { // read but not committed
				resp.Results[i].Status, resp.Results[i].Error = "error", "not indexed: "+ae.body.Message
				resp.Failed++
			}
			resp.Error = &ae.body
			if ae.status == http.StatusInternalServerError {
				logger.ErrorContext(r.Context(), "bulk write failed", "err", err)
			}
			drainBody(w, r)
			encode(w, r, logger, ae.status, resp)
		}

		body, err := ndjsonBody(http.MaxBytesReader(w, r.Body, limit))
		if err != nil {
			drainBody(w, r)
			writeError(w, r, logger, err)
			return
		}
		var commitErr error
		err = index.DecodeLines(r.Context(), body, func(n int, a index.Article, derr error) error {
			if derr != nil {
				res := bulkResult{Line: n, ID: a.ID, Status: "error", Error: derr.Error()}
				var p *index.Problem
				if errors.As(derr, &p) {
					res.Error = p.Reason
				}
				resp.Results = append(resp.Results, res)
				resp.Failed++
				return nil
			}
			resp.Results = append(resp.Results, bulkResult{Line: n, ID: a.ID})
			chunk = append(chunk, a)
			at = append(at, len(resp.Results)-1)
			if len(chunk) < bulkChunk {
				return nil
			}
			if err := commit(); err != nil {
				at = at[:0] // commit reported them
				commitErr = err
				return err
			}
			return nil
		})
		var mbe *http.MaxBytesError
		switch {
		case commitErr != nil:
			fail(commitErr)
			return
		case errors.As(err, &mbe):
			fail(bulkTooLarge(limit))
			return
		case isTimeout(err) || errors.Is(err, context.DeadlineExceeded):
			// The server's time limit, not the client's body, is at fault
			// (a 400 had said "reading the request body failed").
			ae := bodyTimeout()
			ae.status, ae.body.Message = http.StatusServiceUnavailable, fmt.Sprintf(
				"the request ran past the server's time limit after line %d: the lines marked indexed are stored; send the rest in smaller requests", lastLine(resp.Results))
			fail(ae)
			return
		case err != nil:
			fail(invalid("reading the request body failed", nil))
			return
		}
		if err := commit(); err != nil {
			at = at[:0]
			fail(err)
			return
		}
		if len(resp.Results) == 0 {
			writeError(w, r, logger, invalid("the body holds no articles: send NDJSON, one article object per line", nil))
			return
		}
		encode(w, r, logger, http.StatusOK, resp)
	})
}

// lastLine is the line number of the last result, 0 for none.
func lastLine(rs []bulkResult) int {
	if len(rs) == 0 {
		return 0
	}
	return rs[len(rs)-1].Line
}

// ndjsonBody returns body, peeked at, when it looks like NDJSON; a JSON
// array, or one object pretty-printed over several lines, is refused
// whole: posted as is, an array had stored only its last element (the one
// line without a trailing comma) and answered 200.
func ndjsonBody(body io.Reader) (io.Reader, error) {
	br := bufio.NewReaderSize(body, 64<<10)
	start := 0
	if head, _ := br.Peek(len(utf8BOM)); bytes.Equal(head, utf8BOM) {
		start = len(utf8BOM)
	}
	// Up to the first byte with something on it, and for an object to the
	// end of its line, byte by byte: a stream sent a line at a time is not
	// held up. An array is known by its first byte, also on one line of
	// any length, or one the body ends without a newline.
	first := -1
	var line []byte
	for n := start + 1; n <= br.Size(); n++ {
		head, err := br.Peek(n)
		if err != nil {
			if first >= 0 {
				line = bytes.TrimSpace(head[first:])
			}
			break // the body ends (or fails: DecodeLines reports it)
		}
		c := head[n-1]
		switch {
		case first < 0 && (c == ' ' || c == '\t' || c == '\r' || c == '\n'):
			continue
		case first < 0:
			first = n - 1
			if c == '[' {
				return nil, invalid("the body is a JSON array: send NDJSON, one article object per line (jq -c '.[]' articles.json)", nil)
			}
		}
		if c == '\n' {
			line = bytes.TrimSpace(head[first:])
			break
		}
	}
	if bytes.Equal(line, []byte("{")) {
		return nil, invalid("the body is JSON written over several lines: send NDJSON, one article object per line (jq -c . articles.json)", nil)
	}
	return br, nil
}

// utf8BOM is the byte order mark some editors write at the start of a file.
var utf8BOM = []byte("\uFEFF")

// maxDrain bounds what drainBody reads of a body it drops.
const maxDrain = 64 << 20

// drainBody reads and drops what is left of a request body the handler
// stops reading early (over the cap, a failed write), up to maxDrain
// bytes and the request's deadline, so that the client, still sending,
// reads the answer: closed on it, curl had got a reset and part of the
// answer, and could not tell which lines were stored.
func drainBody(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Connection", "close")
	io.Copy(io.Discard, io.LimitReader(r.Body, maxDrain))
}

// reindexResponse is the body of POST and GET /api/reindex.
type reindexResponse struct {
	State    string  `json:"state"` // idle, running, done, failed
	Started  *string `json:"started,omitempty"`
	Finished *string `json:"finished,omitempty"`
	Articles int     `json:"articles"` // read from the inputs so far
	Skipped  int     `json:"skipped"`
	Replayed int     `json:"replayed"` // journal entries applied after the inputs
	Error    string  `json:"error,omitempty"`
}

func newReindexResponse(st index.ReindexStatus) reindexResponse {
	ts := func(t time.Time) *string {
		if t.IsZero() {
			return nil
		}
		s := t.UTC().Format(time.RFC3339)
		return &s
	}
	return reindexResponse{State: st.State, Started: ts(st.Started), Finished: ts(st.Finished),
		Articles: st.Build.Articles, Skipped: st.Build.Skipped, Replayed: st.Build.Replayed, Error: st.Err}
}

// handleReindex serves POST /api/reindex: start a rebuild from the
// configured inputs (plus every write made over HTTP) into a fresh index,
// swapped in when complete. 202 with the status and a Location to poll;
// 409 while one runs.
func handleReindex(logger *slog.Logger, wr Writer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := noParams(r); err != nil {
			writeError(w, r, logger, err)
			return
		}
		if err := wr.StartReindex(); err != nil {
			writeError(w, r, logger, err)
			return
		}
		w.Header().Set("Location", "/api/reindex")
		encode(w, r, logger, http.StatusAccepted, newReindexResponse(wr.ReindexStatus()))
	})
}

// handleReindexStatus serves GET /api/reindex: the last reindex's state.
func handleReindexStatus(logger *slog.Logger, wr Writer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := noParams(r); err != nil {
			writeError(w, r, logger, err)
			return
		}
		encode(w, r, logger, http.StatusOK, newReindexResponse(wr.ReindexStatus()))
	})
}
