package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"newsearch/index"
)

// envPrefix starts every environment variable newsearch reads.
const envPrefix = "NEWSEARCH_"

// Config is every setting of every subcommand. Each has a flag whose
// default comes from an environment variable (flag beats env beats the
// built-in default); see the table in main.go.
type Config struct {
	Addr            string
	IndexDir        string
	Seeds           string
	seedsExplicit   bool // Seeds came from a flag or the environment
	indexExplicit   bool // IndexDir came from a flag or the environment (search)
	keepIndex       bool // the index's recorded articles are gone: open it as it is
	Inputs          []string
	Strict          bool
	Synonyms        string
	Rebuild         bool
	LogLevel        string
	LogFormat       string
	RequestTimeout  time.Duration
	ShutdownTimeout time.Duration
	JSON            bool
	AdminToken      string // from NEWSEARCH_ADMIN_TOKEN or -admin-token-file; never logged
	AdminTokenFile  string
	CORSOrigins     string
	MaxBulkBytes    int64
	WriteTimeout    time.Duration
	QueryCache      int
}

// setting describes one flag and its environment variable.
type setting struct {
	flag, env, def, usage string
}

// flagSet builds a FlagSet for a subcommand, with defaults taken from the
// environment through getenv. It records bad environment values in errs so
// that they are reported like bad flags.
type flagSet struct {
	*flag.FlagSet
	getenv  func(string) string
	errs    []envError
	fromEnv map[string]bool
}

// envError is a bad value of a flag's environment variable.
type envError struct {
	flag string
	err  error
}

func newFlagSet(name string, getenv func(string) string, stderr io.Writer) *flagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return &flagSet{FlagSet: fs, getenv: getenv, fromEnv: map[string]bool{}}
}

func (f *flagSet) env(s setting) string {
	if v := f.getenv(s.env); v != "" {
		f.fromEnv[s.flag] = true
		return v
	}
	return s.def
}

func (f *flagSet) usage(s setting) string {
	return fmt.Sprintf("%s (env %s)", s.usage, s.env)
}

func (f *flagSet) stringVar(p *string, s setting) {
	f.StringVar(p, s.flag, f.env(s), f.usage(s))
}

func (f *flagSet) boolVar(p *bool, s setting) {
	v := f.env(s)
	b, err := strconv.ParseBool(v)
	if err != nil {
		f.errs = append(f.errs, envError{s.flag, fmt.Errorf("%s=%q: want true or false", s.env, v)})
	}
	f.BoolVar(p, s.flag, b, f.usage(s))
}

func (f *flagSet) durationVar(p *time.Duration, s setting) {
	v := f.env(s)
	d, err := time.ParseDuration(v)
	if err != nil {
		f.errs = append(f.errs, envError{s.flag, fmt.Errorf("%s=%q: want a duration such as 10s", s.env, v)})
	}
	f.DurationVar(p, s.flag, d, f.usage(s))
}

// named is the name s's value came by: its variable when the environment
// set it and the command line did not, else its flag.
func (f *flagSet) named(s setting) string {
	onLine := false
	f.Visit(func(fl *flag.Flag) { onLine = onLine || fl.Name == s.flag })
	if f.fromEnv[s.flag] && !onLine {
		return s.env
	}
	return "-" + s.flag
}

// set reports whether the flag was given on the command line or its
// variable in the environment.
func (f *flagSet) set(name string) bool {
	given := f.fromEnv[name]
	f.Visit(func(fl *flag.Flag) {
		if fl.Name == name {
			given = true
		}
	})
	return given
}

// parse parses args, then reports bad environment values, but for the
// flags given on the command line: a flag beats its variable, so
// NEWSEARCH_STRICT=yes with -strict=false is no error.
func (f *flagSet) parse(args []string) error {
	// The flags' list is help, asked for; after a mistyped flag the one
	// line saying what was wrong (printed by run) was buried under forty
	// lines of it, and printed twice.
	help := asksHelp(args)
	if !help {
		f.SetOutput(io.Discard)
	}
	if err := f.Parse(args); err != nil {
		if !help && !errors.Is(err, flag.ErrHelp) {
			return fmt.Errorf("%w (run \"%s -h\" for its flags)", err, f.Name())
		}
		return err
	}
	given := map[string]bool{}
	f.Visit(func(fl *flag.Flag) { given[fl.Name] = true })
	var errs []error
	for _, e := range f.errs {
		if !given[e.flag] {
			errs = append(errs, e.err)
		}
	}
	return errors.Join(errs...)
}

// The settings. Defaults serve the seeds in ./seeds (or the embedded copy)
// from an index in ./data on port 8080.
var (
	settingAddr      = setting{"addr", envPrefix + "ADDR", ":8080", "address to listen on"}
	settingIndex     = setting{"index", envPrefix + "INDEX", "./data", "index data directory"}
	settingSeeds     = setting{"seeds", envPrefix + "SEEDS", "./seeds", "directory or file of articles to index (*.txt, *.jsonl, *.jsonl.gz); the embedded seeds when the default is absent"}
	settingStrict    = setting{"strict", envPrefix + "STRICT", "false", "stop at the first bad article instead of skipping it"}
	settingLevel     = setting{"log-level", envPrefix + "LOG_LEVEL", "info", "log level: debug, info, warn, error"}
	settingFormat    = setting{"log-format", envPrefix + "LOG_FORMAT", "auto", "log format: text, json, or auto (text on a terminal, else json)"}
	settingTimeout   = setting{"request-timeout", envPrefix + "REQUEST_TIMEOUT", "10s", "time limit for one request"}
	settingShutdown  = setting{"shutdown-timeout", envPrefix + "SHUTDOWN_TIMEOUT", "15s", "time in-flight requests get to finish on shutdown"}
	settingSynonyms  = setting{"synonyms", envPrefix + "SYNONYMS", "", "extra synonyms file (one group per line, members separated by |), merged with the built-in list"}
	settingRebuild   = setting{"rebuild", envPrefix + "REBUILD", "false", "rebuild the index even when it is up to date"}
	settingTokenFile = setting{"admin-token-file", envPrefix + "ADMIN_TOKEN_FILE", "", "file holding the admin token for the write API (or set NEWSEARCH_ADMIN_TOKEN); no token: writes answer 403"}
	settingCORS      = setting{"cors-origins", envPrefix + "CORS_ORIGINS", "", "comma-separated origins allowed to call the API from a browser (* for any); empty: same origin only"}
	settingMaxBulk   = setting{"max-bulk-bytes", envPrefix + "MAX_BULK_BYTES", "33554432", "largest bulk request body in bytes (413 beyond)"}
	settingCache     = setting{"query-cache", envPrefix + "QUERY_CACHE", strconv.Itoa(index.DefaultQueryCache), "result pages kept for repeated searches, and their words' typo and prefix look-ups, cleared by every write (0: none)"}
	settingWriteTime = setting{"write-timeout", envPrefix + "WRITE_TIMEOUT", "2m", "time limit for one write request (PUT, DELETE, bulk)"}
)

// searchLevel is search's log level setting, warn by default: a script
// that searches in a loop wants its answers, not "using the articles…" and
// "index opened" on stderr each time (the operations audit).
var searchLevel = setting{settingLevel.flag, settingLevel.env, "warn", settingLevel.usage}

// envAdminToken holds the admin token itself. It has no flag, so the
// secret never shows in a process listing.
const envAdminToken = envPrefix + "ADMIN_TOKEN"

// minTokenLen is the shortest admin token accepted.
const minTokenLen = 16

func (f *flagSet) int64Var(p *int64, s setting) {
	v := f.env(s)
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		f.errs = append(f.errs, envError{s.flag, fmt.Errorf("%s=%q: want a number of bytes", s.env, v)})
	}
	f.Int64Var(p, s.flag, n, f.usage(s))
}

func (f *flagSet) intVar(p *int, s setting) {
	v := f.env(s)
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		f.errs = append(f.errs, envError{s.flag, fmt.Errorf("%s=%q: want a whole number, 0 or more", s.env, v)})
	}
	f.IntVar(p, s.flag, n, f.usage(s))
}

// loadToken fills c.AdminToken from the environment or the token file;
// fileName names the file's setting as it was given (its flag or its
// variable).
func (c *Config) loadToken(getenv func(string) string, fileName string) error {
	c.AdminToken = strings.TrimSpace(getenv(envAdminToken))
	if c.AdminTokenFile != "" {
		if c.AdminToken != "" {
			return fmt.Errorf("set %s or %s, not both", envAdminToken, fileName)
		}
		b, err := os.ReadFile(c.AdminTokenFile)
		if err != nil {
			return fmt.Errorf("%s: %w", fileName, err)
		}
		c.AdminToken = strings.TrimSpace(string(b))
		if c.AdminToken == "" {
			return fmt.Errorf("%s %s is empty", fileName, c.AdminTokenFile)
		}
	}
	if c.AdminToken != "" && len(c.AdminToken) < minTokenLen {
		return fmt.Errorf("the admin token must be at least %d characters", minTokenLen)
	}
	return nil
}

// origins validates and splits CORSOrigins: "*" or scheme://host[:port].
func (c *Config) origins() ([]string, error) {
	var out []string
	for _, o := range strings.Split(c.CORSOrigins, ",") {
		o = strings.TrimSuffix(strings.TrimSpace(o), "/")
		if o == "" {
			continue
		}
		if o != "*" {
			u, err := url.Parse(o)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Path != "" || u.RawQuery != "" {
				return nil, fmt.Errorf("%q is not an origin such as https://news.example.org", o)
			}
		}
		out = append(out, o)
	}
	return out, nil
}

// validate checks the settings that flag parsing cannot. named gives the
// name a setting's value came by: its flag, or its variable when that
// set it.
func (c *Config) validate(named func(s setting) string) error {
	var errs []error
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		errs = append(errs, fmt.Errorf("%s %q: want debug, info, warn or error", named(settingLevel), c.LogLevel))
	}
	switch c.LogFormat {
	case "auto", "text", "json":
	default:
		errs = append(errs, fmt.Errorf("%s %q: want text, json or auto", named(settingFormat), c.LogFormat))
	}
	if c.RequestTimeout <= 0 {
		errs = append(errs, fmt.Errorf("%s must be positive", named(settingTimeout)))
	}
	if c.ShutdownTimeout < 0 {
		errs = append(errs, fmt.Errorf("%s must not be negative", named(settingShutdown)))
	}
	if strings.TrimSpace(c.IndexDir) == "" {
		errs = append(errs, fmt.Errorf("%s must name a directory", named(settingIndex)))
	}
	return errors.Join(errs...)
}

// newLogger builds the one logger of the process.
func newLogger(c *Config, stderr io.Writer) *slog.Logger {
	var level slog.Level
	level.UnmarshalText([]byte(c.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	format := c.LogFormat
	if format == "auto" {
		format = "json"
		if isTerminal(stderr) {
			format = "text"
		}
	}
	if format == "text" {
		return slog.New(slog.NewTextHandler(stderr, opts))
	}
	opts.ReplaceAttr = durationsInMs
	return slog.New(slog.NewJSONHandler(stderr, opts))
}

// durationsInMs writes a duration in JSON logs as milliseconds, its key
// suffixed _ms ("grace_ms":30000), as the request log's duration_ms:
// slog's JSON handler writes nanoseconds, under a key that does not say
// so. Text logs keep Go's own form (grace=30s), which a reader can read.
func durationsInMs(_ []string, a slog.Attr) slog.Attr {
	if a.Value.Kind() != slog.KindDuration {
		return a
	}
	d := a.Value.Duration()
	return slog.Float64(a.Key+"_ms", float64(d.Microseconds())/1000)
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// logAttrs is the effective configuration, logged at start.
func (c *Config) logAttrs() []any {
	return []any{
		"addr", c.Addr, "index_dir", c.IndexDir, "seeds", c.Seeds, "strict", c.Strict, "synonyms", c.Synonyms,
		"log_level", c.LogLevel, "log_format", c.LogFormat,
		"request_timeout", c.RequestTimeout, "shutdown_timeout", c.ShutdownTimeout,
		"writes", map[bool]string{true: "enabled (admin token set)", false: "disabled (no admin token)"}[c.AdminToken != ""],
		"cors_origins", c.CORSOrigins, "max_bulk_bytes", c.MaxBulkBytes, "write_timeout", c.WriteTimeout,
		"query_cache", c.QueryCache,
	}
}
