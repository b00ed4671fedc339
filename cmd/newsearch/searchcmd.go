package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"html"
	"io"
	"io/fs"
	"net/url"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"newsearch/index"
	"newsearch/server"
)

// splitQueryFlags sorts args into the command's flags and the query's
// words, which may come in any order, as people type them: search Putin
// -size 1 had searched for "Putin -size 1" (leaving out articles with
// size). Once the query has begun, a word with a dash that names no flag
// is the query's exclusion (-Shoigu); before it, it is a flag, and an
// unknown one is an error. "--" ends the flags.
func splitQueryFlags(fs *flag.FlagSet, args []string) (flags, words []string) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			return flags, append(words, args[i+1:]...)
		}
		name, _, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		fl := fs.Lookup(name)
		if !strings.HasPrefix(a, "-") || a == "-" || len(words) > 0 && fl == nil {
			words = append(words, a)
			continue
		}
		flags = append(flags, a)
		if fl == nil || hasValue {
			continue // an unknown flag (fs.Parse reports it), or -size=3
		}
		if b, ok := fl.Value.(interface{ IsBoolFlag() bool }); !(ok && b.IsBoolFlag()) && i+1 < len(args) {
			flags = append(flags, args[i+1]) // its value: -size 3
			i++
		}
	}
	return flags, words
}

// parseSearchCmd reads the search command's flags: the configuration, the
// search's API parameters, and the id of -related (empty without it).
func parseSearchCmd(args []string, getenv func(string) string, stderr io.Writer) (*Config, url.Values, string, error) {
	c := &Config{}
	fs := newFlagSet("newsearch search", getenv, stderr)
	fs.stringVar(&c.IndexDir, settingIndex)
	fs.stringVar(&c.Seeds, settingSeeds)
	fs.boolVar(&c.Strict, settingStrict)
	fs.stringVar(&c.Synonyms, settingSynonyms)
	fs.stringVar(&c.LogLevel, searchLevel)
	fs.stringVar(&c.LogFormat, settingFormat)
	fs.BoolVar(&c.JSON, "json", false, "print the results as the API's JSON")
	var langs, sources multiFlag
	fs.Var(&langs, "lang", "language filter (repeatable)")
	fs.Var(&sources, "source", "source filter (repeatable)")
	size := fs.Int("size", index.DefaultSize, "number of hits")
	from := fs.Int("from", 0, "offset of the first hit")
	sortBy := fs.String("sort", "", "relevance, date (newest first) or -date")
	match := fs.String("match", "", "auto, all or any")
	typos := fs.Bool("typos", true, "let words match words a typo or two away")
	// A query on the command line is finished: its last word is not being
	// typed, so it is not a prefix unless asked.
	prefix := fs.Bool("prefix", false, "let the last word match words that start with it")
	facets := fs.String("facets", "", "comma-separated facets to count and print: "+strings.Join(index.FacetNames(), ", "))
	related := fs.String("related", "", "print the articles most like the one with this id (-size of them, at most "+strconv.Itoa(index.MaxRelated)+") instead of searching")
	flags, words := splitQueryFlags(fs.FlagSet, args)
	if err := fs.parse(flags); err != nil {
		return nil, nil, "", usageError{err}
	}
	words = append(words, fs.Args()...)
	c.seedsExplicit = fs.set("seeds")
	c.indexExplicit = fs.set("index")
	c.RequestTimeout = 1
	if err := c.validate(fs.named); err != nil {
		return nil, nil, "", usageError{err}
	}
	if fs.set("related") {
		switch {
		case len(words) > 0:
			return nil, nil, "", usageError{errors.New("-related takes no query words")}
		case *size < 1 || *size > index.MaxRelated:
			return nil, nil, "", usageError{fmt.Errorf("-size must be between 1 and %d with -related", index.MaxRelated)}
		}
		if err := index.ValidID(*related); err != nil {
			return nil, nil, "", usageError{fmt.Errorf("-related: %w", err)}
		}
	}
	v := url.Values{}
	v.Set("q", strings.Join(words, " "))
	v.Set("size", strconv.Itoa(*size))
	v.Set("from", strconv.Itoa(*from))
	v.Set("facets", *facets)
	v.Set("typos", strconv.FormatBool(*typos))
	v.Set("prefix", strconv.FormatBool(*prefix))
	if *sortBy != "" {
		v.Set("sort", *sortBy)
	}
	if *match != "" {
		v.Set("match", *match)
	}
	v["lang"], v["source"] = langs, sources
	if len(langs) == 0 {
		delete(v, "lang")
	}
	if len(sources) == 0 {
		delete(v, "source")
	}
	return c, v, *related, nil
}

// runSearch searches the index (building it from the seeds first when it
// is missing or stale) and prints the hits.
func runSearch(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) (err error) {
	cfg, params, related, err := parseSearchCmd(args, getenv, stderr)
	if err != nil {
		return err
	}
	q, problems := server.ParseSearch(ctx, params)
	if len(problems) > 0 {
		keys := make([]string, 0, len(problems))
		for k := range problems {
			keys = append(keys, k+": "+problems[k])
		}
		sort.Strings(keys)
		return usageError{errors.New(strings.Join(keys, "; "))}
	}
	// A search of an index directory named but not there is a mistyped
	// path far more often than a wish for the seed articles: say so
	// rather than build the seeds there and answer from them.
	// Nor does a directory with no index in it (an interrupted first
	// build's) get the seeds.
	if cfg.indexExplicit && !cfg.seedsExplicit {
		what := ""
		if _, err := os.Stat(cfg.IndexDir); errors.Is(err, fs.ErrNotExist) {
			what = "the directory does not exist"
		} else if err == nil && !index.HasIndex(cfg.IndexDir) {
			what = "the directory holds none"
		}
		if what != "" {
			return fmt.Errorf("no index in %s: %s (build one with: newsearch index -index %s FILE...; or give -seeds to build it from those articles)", cfg.IndexDir, what, cfg.IndexDir)
		}
	}
	logger := newLogger(cfg, stderr)
	resolve := func() (index.Options, error) {
		inputs, err := seedInputs(cfg, logger)
		return indexOptions(cfg, inputs, logger), err
	}
	opts, err := resolve()
	if err != nil {
		return err
	}
	opts.LockWait = searchLockWait
	// An index build this search waited for records its own inputs:
	// read them again, or the search would rebuild the index from the
	// ones it read before.
	opts.AfterWait = func(o *index.Options) error {
		now, err := resolve()
		if err == nil {
			o.Inputs, o.Rebuild = now.Inputs, now.Rebuild
		}
		return err
	}
	x, err := openIndex(ctx, cfg, opts, logger)
	if err != nil {
		if index.IsServerLock(err) {
			return fmt.Errorf("%w\n(a running server holds it: query it over HTTP instead, at its -addr, e.g. curl 'http://localhost:8080/api/search?q=...')", err)
		}
		return err
	}
	defer x.Close()
	// A damaged segment file can make bleve's reader index past its
	// data: a panic, exit 2 and a goroutine dump, where a damaged index
	// is a failure to report (exit 1) with what to do about it.
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("search %s: the index looks damaged (%v); rebuild it from its articles: newsearch index -index %s FILE...", cfg.IndexDir, r, cfg.IndexDir)
		}
	}()
	if related != "" {
		hits, err := x.Related(ctx, related, q.Size)
		if err != nil {
			return err
		}
		if cfg.JSON {
			return server.WriteRelatedJSON(stdout, related, hits)
		}
		printRelated(stdout, related, hits)
		return nil
	}
	res, err := x.Search(ctx, q)
	if err != nil {
		return err
	}
	if cfg.JSON {
		return server.WriteSearchJSON(stdout, q.Text, res)
	}
	printHits(stdout, q, res, isTerminal(stdout))
	return nil
}

// searchLockWait is how long a search waits for another search or an
// index build to let the index go: searches run from a script's loop (or
// xargs -P) take turns instead of failing.
const searchLockWait = time.Minute

// printHits prints results for people: one block per hit, matches in bold
// on a terminal and in [brackets] elsewhere.
func printHits(w io.Writer, q index.Query, res index.Results, tty bool) {
	open, closeMark := "[", "]"
	if tty {
		open, closeMark = "\x1b[1m", "\x1b[0m"
	}
	text := func(h string) string {
		h = strings.ReplaceAll(h, "<mark>", open)
		h = strings.ReplaceAll(h, "</mark>", closeMark)
		return html.UnescapeString(h)
	}
	every := ""
	if res.TotalAll != nil && *res.TotalAll < res.Total {
		every = fmt.Sprintf(" · %d with every word", *res.TotalAll)
	}
	fmt.Fprintf(w, "%s%s · %.1f ms\n", count(res.Total, "article"), every, float64(res.Took.Microseconds())/1000)
	if len(res.Ignored) > 0 {
		fmt.Fprintf(w, "Too common to search for: %s\n", strings.Join(res.Ignored, ", "))
	}
	for _, f := range res.Facets {
		const shown = 10
		var parts []string
		for i, b := range f.Buckets {
			if i == shown {
				parts = append(parts, fmt.Sprintf("… %d more", len(f.Buckets)-shown))
				break
			}
			parts = append(parts, fmt.Sprintf("%s %d", b.Value, b.Count))
		}
		fmt.Fprintf(w, "%s: %s\n", f.Name, strings.Join(parts, " · "))
	}
	for i, h := range res.Hits {
		date := "no date"
		if !h.Date.IsZero() {
			date = h.Date.Format("2006-01-02")
		}
		fmt.Fprintf(w, "\n%d. %s\n   %s · %s · %s · id %s\n", q.From+i+1, text(h.Highlights["title"][0]), date, h.Source, h.Lang, h.ID)
		for _, f := range h.Highlights["body"] {
			fmt.Fprintf(w, "   %s\n", text(f))
		}
		if len(h.Missing) > 0 {
			fmt.Fprintf(w, "   Missing: %s\n", strings.Join(h.Missing, ", "))
		}
	}
}

// printRelated prints the articles related to the article id, one line of
// title and one of date, source, language and id each.
func printRelated(w io.Writer, id string, hits []index.Hit) {
	fmt.Fprintf(w, "%s like %s\n", count(len(hits), "article"), id)
	for i, h := range hits {
		date := "no date"
		if !h.Date.IsZero() {
			date = h.Date.Format("2006-01-02")
		}
		fmt.Fprintf(w, "\n%d. %s\n   %s · %s · %s · id %s\n", i+1, h.Title, date, h.Source, h.Lang, h.ID)
	}
}

// count gives n and the noun, plural but for one: "1 article", "4 articles".
func count[N int | uint64](n N, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
