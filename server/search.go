package server

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"newsearch/index"
)

// maxSearchBody caps the JSON body of POST /api/search. A search request
// is a few hundred bytes; anything near this is not a search.
const maxSearchBody = 64 << 10

// searchParams is a search request from either GET parameters or a POST
// body, before validation. Problems found while parsing (a size that is not
// a number) are kept in problems so that Valid reports all of them at once.
type searchParams struct {
	Q            string
	Langs        []string
	Sources      []string
	Entities     map[string][]string // person, place, org: canonical names
	FromDate     string
	ToDate       string
	Sort         string
	Match        string
	From         int
	Size         int
	Facets       []string
	Fragments    int
	FragmentSize int
	Typos        bool // typo tolerance (default on)
	Prefix       bool // the last word, still being typed, as a prefix (default on)

	problems map[string]string
	dateFrom time.Time // set by Valid
	dateTo   time.Time
}

func defaultSearchParams() searchParams {
	return searchParams{
		Size:         index.DefaultSize,
		Facets:       index.DefaultFacets(),
		Fragments:    index.DefaultFragments,
		FragmentSize: index.DefaultFragment,
		Typos:        true,
		Prefix:       true,
		problems:     map[string]string{},
	}
}

// searchGETParams lists the parameters GET /api/search accepts and whether
// each may repeat. Anything else is rejected so typos do not pass silently.
var searchGETParams = map[string]bool{
	"q": false, "lang": true, "source": true, "from_date": false, "to_date": false,
	"sort": false, "match": false, "from": false, "size": false, "facets": false,
	"fragments": false, "fragment_size": false, "typos": false, "prefix": false,
	"person": true, "place": true, "org": true,
}

// entityFacets are the entity facets, each filtered by the parameter of
// its name.
var entityFacets = []string{index.FacetPerson, index.FacetPlace, index.FacetOrg}

// parseSearchGET reads searchParams from a query string.
func parseSearchGET(v url.Values) searchParams {
	p := defaultSearchParams()
	eachParam(v, searchGETParams, p.problems, func(name string, values []string) {
		val := values[0]
		switch name {
		case "q":
			p.Q = val
		case "lang":
			p.Langs = values
		case "source":
			p.Sources = values
		case index.FacetPerson, index.FacetPlace, index.FacetOrg:
			p.setEntities(name, values)
		case "from_date":
			p.FromDate = val
		case "to_date":
			p.ToDate = val
		case "sort":
			p.Sort = val
		case "match":
			p.Match = val
		case "from":
			p.From = p.integer(name, val)
		case "size":
			p.Size = p.integer(name, val)
		case "fragments":
			p.Fragments = p.integer(name, val)
		case "fragment_size":
			p.FragmentSize = p.integer(name, val)
		case "typos":
			p.Typos = p.boolean(name, val)
		case "prefix":
			p.Prefix = p.boolean(name, val)
		case "facets":
			p.Facets = nil
			for _, f := range strings.Split(val, ",") {
				if f = strings.TrimSpace(f); f != "" {
					p.Facets = append(p.Facets, f)
				}
			}
		}
	})
	return p
}

func (p *searchParams) setEntities(facet string, values []string) {
	if values == nil {
		return
	}
	if p.Entities == nil {
		p.Entities = map[string][]string{}
	}
	p.Entities[facet] = values
}

func (p *searchParams) integer(name, s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		p.problems[name] = "must be an integer"
	}
	return n
}

func (p *searchParams) boolean(name, s string) bool {
	return parseBool(p.problems, name, s)
}

// parseBool reads a boolean parameter (true/false, also 1/0), recording a
// problem when it is neither.
func parseBool(problems map[string]string, name, s string) bool {
	b, err := strconv.ParseBool(s)
	if err != nil {
		problems[name] = "must be true or false"
	}
	return b
}

// searchBody is the JSON body of POST /api/search: our own schema, never
// bleve's request JSON. Pointers tell "absent" (use the default) from zero.
type searchBody struct {
	Q       string `json:"q"`
	Filters struct {
		Source []string `json:"source"`
		Lang   []string `json:"lang"`
		Person []string `json:"person"`
		Place  []string `json:"place"`
		Org    []string `json:"org"`
		Date   struct {
			From string `json:"from"`
			To   string `json:"to"`
		} `json:"date"`
	} `json:"filters"`
	Facets    *[]string `json:"facets"`
	Sort      string    `json:"sort"`
	Match     string    `json:"match"`
	From      int       `json:"from"`
	Size      *int      `json:"size"`
	Highlight struct {
		Fragments    *int `json:"fragments"`
		FragmentSize *int `json:"fragment_size"`
	} `json:"highlight"`
	Typos  *bool `json:"typos"`
	Prefix *bool `json:"prefix"`
}

func (b searchBody) params() searchParams {
	p := defaultSearchParams()
	p.Q = b.Q
	p.Sources, p.Langs = b.Filters.Source, b.Filters.Lang
	p.setEntities(index.FacetPerson, b.Filters.Person)
	p.setEntities(index.FacetPlace, b.Filters.Place)
	p.setEntities(index.FacetOrg, b.Filters.Org)
	p.FromDate, p.ToDate = b.Filters.Date.From, b.Filters.Date.To
	p.Sort, p.Match, p.From = b.Sort, b.Match, b.From
	if b.Facets != nil {
		p.Facets = *b.Facets
	}
	if b.Size != nil {
		p.Size = *b.Size
	}
	if b.Highlight.Fragments != nil {
		p.Fragments = *b.Highlight.Fragments
	}
	if b.Highlight.FragmentSize != nil {
		p.FragmentSize = *b.Highlight.FragmentSize
	}
	if b.Typos != nil {
		p.Typos = *b.Typos
	}
	if b.Prefix != nil {
		p.Prefix = *b.Prefix
	}
	return p
}

// Valid reports every problem with p, by field name, and parses the dates.
// Field names are the GET parameter names.
func (p *searchParams) Valid(ctx context.Context) map[string]string {
	problems := p.problems
	if problems == nil {
		problems = map[string]string{}
	}
	set := func(field, msg string) {
		if _, ok := problems[field]; !ok {
			problems[field] = msg
		}
	}
	if msg := index.QueryTextProblem(p.Q); msg != "" {
		set("q", msg)
	}
	for _, l := range p.Langs {
		if !slices.Contains(index.Languages, l) {
			set("lang", fmt.Sprintf("must be one of %s", strings.Join(index.Languages, ", ")))
		}
	}
	if len(p.Langs) > index.MaxFilterValues {
		set("lang", fmt.Sprintf("at most %d values", index.MaxFilterValues))
	}
	if len(p.Sources) > index.MaxFilterValues {
		set("source", fmt.Sprintf("at most %d values", index.MaxFilterValues))
	}
	for _, s := range p.Sources {
		if s == "" || !utf8.ValidString(s) || len(s) > 256 {
			set("source", "each value must be non-empty valid UTF-8 of at most 256 bytes")
		}
	}
	for _, f := range entityFacets {
		values := p.Entities[f]
		if len(values) > index.MaxFilterValues {
			set(f, fmt.Sprintf("at most %d values", index.MaxFilterValues))
		}
		for _, v := range values {
			if v == "" || !utf8.ValidString(v) || len(v) > index.MaxEntityBytes {
				set(f, fmt.Sprintf("each value must be non-empty valid UTF-8 of at most %d bytes", index.MaxEntityBytes))
			}
		}
	}
	p.dateFrom = p.date(set, "from_date", p.FromDate)
	p.dateTo = p.date(set, "to_date", p.ToDate)
	if !p.dateFrom.IsZero() && !p.dateTo.IsZero() && p.dateTo.Before(p.dateFrom) {
		set("to_date", "must not be before from_date")
	}
	switch index.Sort(p.Sort) {
	case "", index.SortRelevance, index.SortNewest, index.SortOldest:
	default:
		set("sort", "must be relevance, date (newest first) or -date (oldest first)")
	}
	switch p.Match {
	case "", "auto", string(index.MatchAll), string(index.MatchAny):
	default:
		set("match", "must be auto, all or any")
	}
	if p.From < 0 {
		set("from", "must not be negative")
	}
	if p.Size < 1 || p.Size > index.MaxSize {
		set("size", fmt.Sprintf("must be between 1 and %d", index.MaxSize))
	}
	// From > MaxWindow-Size, not From+Size > MaxWindow, which a From near
	// the largest int overflows past; and only for a valid size, or a
	// size too large to parse would add an untrue from problem.
	if _, bad := problems["from"]; !bad && problems["size"] == "" && p.From > index.MaxWindow-p.Size {
		set("from", fmt.Sprintf("from+size must not exceed %d", index.MaxWindow))
	}
	for _, f := range p.Facets {
		if !slices.Contains(index.FacetNames(), f) {
			set("facets", "each must be one of "+strings.Join(index.FacetNames(), ", "))
		}
	}
	if p.Fragments < 0 || p.Fragments > index.MaxFragments {
		set("fragments", fmt.Sprintf("must be between 0 and %d", index.MaxFragments))
	}
	if p.FragmentSize < index.MinFragmentRunes || p.FragmentSize > index.MaxFragmentRunes {
		set("fragment_size", fmt.Sprintf("must be between %d and %d", index.MinFragmentRunes, index.MaxFragmentRunes))
	}
	return problems
}

func (p *searchParams) date(set func(string, string), field, s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		set(field, "must be a date as YYYY-MM-DD")
	}
	return t
}

// query converts valid params into an index.Query.
func (p *searchParams) query() index.Query {
	q := index.Query{
		Text:         p.Q,
		DateFrom:     p.dateFrom,
		DateTo:       p.dateTo,
		Sort:         index.Sort(p.Sort),
		Match:        index.Match(p.Match),
		From:         p.From,
		Size:         p.Size,
		Facets:       dedupe(p.Facets),
		Fragments:    p.Fragments,
		FragmentSize: p.FragmentSize,
		Typos:        p.Typos,
		Prefix:       p.Prefix,
	}
	if p.Match == "auto" {
		q.Match = index.MatchAuto
	}
	if q.Fragments == 0 {
		q.Fragments = -1 // the API's 0 means "no body fragments"
	}
	if len(p.Langs) > 0 || len(p.Sources) > 0 || len(p.Entities) > 0 {
		q.Filters = map[string][]string{}
		for f, values := range p.Entities {
			if len(values) > 0 {
				q.Filters[f] = dedupe(values)
			}
		}
		if len(p.Langs) > 0 {
			q.Filters[index.FacetLang] = dedupe(p.Langs)
		}
		if len(p.Sources) > 0 {
			q.Filters[index.FacetSource] = dedupe(p.Sources)
		}
	}
	return q
}

func dedupe(list []string) []string {
	if list == nil {
		return nil
	}
	out := make([]string, 0, len(list))
	for _, s := range list {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// handleSearch serves GET /api/search (parameters in the query string).
func handleSearch(logger *slog.Logger, s Searcher, m *metrics) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !utf8.ValidString(r.URL.RawQuery) {
			writeError(w, r, logger, invalid("query string is not valid UTF-8", nil))
			return
		}
		v, err := url.ParseQuery(r.URL.RawQuery)
		if err != nil {
			writeError(w, r, logger, invalid("malformed query string: "+err.Error(), nil))
			return
		}
		p := parseSearchGET(v)
		serveSearch(w, r, logger, s, m, p, nil)
	})
}

// handleSearchPOST serves POST /api/search (a JSON body, for scripts).
func handleSearchPOST(logger *slog.Logger, s Searcher, m *metrics) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// The body says it all: a parameter in the URL as well would be
		// ignored, so it is refused, as on every other endpoint.
		if v := r.URL.Query(); len(v) > 0 {
			fields := make(map[string]string, len(v))
			for name := range v {
				fields[name] = "not allowed in the URL of a POST: parameters go in the JSON body"
			}
			writeError(w, r, logger, invalid("a POST search takes its parameters in the JSON body", fields))
			return
		}
		body, err := decode[searchBody](w, r, maxSearchBody)
		if err != nil {
			writeError(w, r, logger, err)
			return
		}
		serveSearch(w, r, logger, s, m, body.params(), bodyFieldNames)
	})
}

// bodyFieldNames names the problems Valid finds, by GET parameter, as
// the fields of a POST body: filters.date.from, not from_date, so that a
// client can point at what it sent.
var bodyFieldNames = map[string]string{
	"from_date": "filters.date.from", "to_date": "filters.date.to",
	"source": "filters.source", "lang": "filters.lang",
	index.FacetPerson: "filters." + index.FacetPerson, index.FacetPlace: "filters." + index.FacetPlace, index.FacetOrg: "filters." + index.FacetOrg,
	"fragments": "highlight.fragments", "fragment_size": "highlight.fragment_size",
}

// serveSearch validates p and answers its search; names renames the
// problems' fields (nil: GET's parameter names).
func serveSearch(w http.ResponseWriter, r *http.Request, logger *slog.Logger, s Searcher, m *metrics, p searchParams, names map[string]string) {
	if problems := p.Valid(r.Context()); len(problems) > 0 {
		for from, to := range names {
			if v, ok := problems[from]; ok {
				delete(problems, from)
				problems[to] = v
			}
		}
		writeError(w, r, logger, invalid("invalid search parameters", problems))
		return
	}
	logger.DebugContext(r.Context(), "search", "q", p.Q)
	res, err := s.Search(r.Context(), p.query())
	if err != nil {
		writeError(w, r, logger, err)
		return
	}
	m.searchTime.Observe(res.Took.Seconds())
	encodeSearch(w, r, logger, p.Q, &res)
}

// ParseSearch validates search parameters given as GET /api/search takes
// them and returns the query, or the problems by parameter name. The CLI
// uses it so that it accepts exactly what the API accepts.
func ParseSearch(ctx context.Context, v url.Values) (index.Query, map[string]string) {
	p := parseSearchGET(v)
	if problems := p.Valid(ctx); len(problems) > 0 {
		return index.Query{}, problems
	}
	return p.query(), nil
}

// WriteSearchJSON writes results exactly as GET /api/search would.
func WriteSearchJSON(w io.Writer, q string, r index.Results) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(newSearchResponse(q, r))
}
