package server

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"unicode/utf8"

	"newsearch/index"
)

// suggestGETParams lists the parameters GET /api/suggest accepts; none may
// repeat.
var suggestGETParams = map[string]bool{"q": false, "size": false}

// suggestParams is a suggest request before validation.
type suggestParams struct {
	Q        string
	Size     int
	problems map[string]string
}

func parseSuggestGET(v url.Values) suggestParams {
	p := suggestParams{Size: index.DefaultSuggestions, problems: map[string]string{}}
	eachParam(v, suggestGETParams, p.problems, func(name string, values []string) {
		switch name {
		case "q":
			p.Q = values[0]
		case "size":
			p.Size = parseInt(p.problems, name, values[0])
		}
	})
	return p
}

// eachParam calls set with each parameter of v that params lists (true:
// it may be given more than once), and records in problems those it does
// not list and those given more than once that may not be.
func eachParam(v url.Values, params map[string]bool, problems map[string]string, set func(name string, values []string)) {
	for name, values := range v {
		repeatable, ok := params[name]
		switch {
		case !ok:
			problems[name] = "unknown parameter"
		case !repeatable && len(values) > 1:
			problems[name] = "given more than once"
		default:
			set(name, values)
		}
	}
}

// parseInt reads an integer parameter, recording a problem when it is not
// one.
func parseInt(problems map[string]string, name, s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		problems[name] = "must be an integer"
	}
	return n
}

// Valid reports every problem with p by parameter name.
func (p *suggestParams) Valid() map[string]string {
	problems := p.problems
	set := func(field, msg string) {
		if _, ok := problems[field]; !ok {
			problems[field] = msg
		}
	}
	if msg := index.QueryTextProblem(p.Q); msg != "" {
		set("q", msg)
	}
	if p.Size < 1 || p.Size > index.MaxSuggestions {
		set("size", fmt.Sprintf("must be between 1 and %d", index.MaxSuggestions))
	}
	return problems
}

// suggestResponse is the body of GET /api/suggest. Every string is plain
// text.
type suggestResponse struct {
	Query       string           `json:"query"`
	TookMS      float64          `json:"took_ms"`
	Completions []completionJSON `json:"completions"`
	Corrections []correctionJSON `json:"corrections"`
}

type completionJSON struct {
	Text  string `json:"text"`
	Count int    `json:"count"`
	Query string `json:"query"`
}

type correctionJSON struct {
	Query   string       `json:"query"`
	Changes []changeJSON `json:"changes"`
}

type changeJSON struct {
	From string `json:"from"`
	To   string `json:"to"`
}

func newSuggestResponse(q string, s index.Suggestions) suggestResponse {
	resp := suggestResponse{
		Query:       q,
		TookMS:      float64(s.Took.Microseconds()) / 1000,
		Completions: make([]completionJSON, len(s.Completions)),
		Corrections: make([]correctionJSON, len(s.Corrections)),
	}
	for i, c := range s.Completions {
		resp.Completions[i] = completionJSON{Text: c.Text, Count: c.Count, Query: c.Query}
	}
	for i, c := range s.Corrections {
		changes := make([]changeJSON, len(c.Changes))
		for j, ch := range c.Changes {
			changes[j] = changeJSON{From: ch.From, To: ch.To}
		}
		resp.Corrections[i] = correctionJSON{Query: c.Query, Changes: changes}
	}
	return resp
}

// handleSuggest serves GET /api/suggest: completions of the word being
// typed and "did you mean" corrections, from the index's vocabulary.
func handleSuggest(logger *slog.Logger, s Searcher) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v, ok := queryValues(w, r, logger)
		if !ok {
			return
		}
		p := parseSuggestGET(v)
		if problems := p.Valid(); len(problems) > 0 {
			writeError(w, r, logger, invalid("invalid suggest parameters", problems))
			return
		}
		res, err := s.Suggest(r.Context(), index.SuggestQuery{Text: p.Q, Size: p.Size})
		if err != nil {
			writeError(w, r, logger, err)
			return
		}
		encode(w, r, logger, http.StatusOK, newSuggestResponse(p.Q, res))
	})
}

// queryValues parses the request's query string, answering 400 itself when
// it is not valid UTF-8 or malformed.
func queryValues(w http.ResponseWriter, r *http.Request, logger *slog.Logger) (url.Values, bool) {
	if !utf8.ValidString(r.URL.RawQuery) {
		writeError(w, r, logger, invalid("query string is not valid UTF-8", nil))
		return nil, false
	}
	v, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		writeError(w, r, logger, invalid("malformed query string: "+err.Error(), nil))
		return nil, false
	}
	return v, true
}
