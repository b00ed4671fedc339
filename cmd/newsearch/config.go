package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"time"
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
	Inputs          []string
	Strict          bool
	Synonyms        string
	Rebuild         bool
	LogLevel        string
	LogFormat       string
	RequestTimeout  time.Duration
	ShutdownTimeout time.Duration
	JSON            bool
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
	errs    []error
	fromEnv map[string]bool
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
		f.errs = append(f.errs, fmt.Errorf("%s=%q: want true or false", s.env, v))
	}
	f.BoolVar(p, s.flag, b, f.usage(s))
}

func (f *flagSet) durationVar(p *time.Duration, s setting) {
	v := f.env(s)
	d, err := time.ParseDuration(v)
	if err != nil {
		f.errs = append(f.errs, fmt.Errorf("%s=%q: want a duration such as 10s", s.env, v))
	}
	f.DurationVar(p, s.flag, d, f.usage(s))
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

// parse parses args, then reports bad environment values.
func (f *flagSet) parse(args []string) error {
	if err := f.Parse(args); err != nil {
		return err
	}
	return errors.Join(f.errs...)
}

// The settings. Defaults serve the seeds in ./seeds (or the embedded copy)
// from an index in ./data on port 8080.
var (
	settingAddr     = setting{"addr", envPrefix + "ADDR", ":8080", "address to listen on"}
	settingIndex    = setting{"index", envPrefix + "INDEX", "./data", "index data directory"}
	settingSeeds    = setting{"seeds", envPrefix + "SEEDS", "./seeds", "directory or file of articles to index (*.txt, *.jsonl, *.jsonl.gz); the embedded seeds when the default is absent"}
	settingStrict   = setting{"strict", envPrefix + "STRICT", "false", "stop at the first bad article instead of skipping it"}
	settingLevel    = setting{"log-level", envPrefix + "LOG_LEVEL", "info", "log level: debug, info, warn, error"}
	settingFormat   = setting{"log-format", envPrefix + "LOG_FORMAT", "auto", "log format: text, json, or auto (text on a terminal, else json)"}
	settingTimeout  = setting{"request-timeout", envPrefix + "REQUEST_TIMEOUT", "10s", "time limit for one request"}
	settingShutdown = setting{"shutdown-timeout", envPrefix + "SHUTDOWN_TIMEOUT", "15s", "time in-flight requests get to finish on shutdown"}
	settingSynonyms = setting{"synonyms", envPrefix + "SYNONYMS", "", "extra synonyms file (one group per line, members separated by |), merged with the built-in list"}
	settingRebuild  = setting{"rebuild", envPrefix + "REBUILD", "false", "rebuild the index even when it is up to date"}
)

// validate checks the settings that flag parsing cannot.
func (c *Config) validate() error {
	var errs []error
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		errs = append(errs, fmt.Errorf("-log-level %q: want debug, info, warn or error", c.LogLevel))
	}
	switch c.LogFormat {
	case "auto", "text", "json":
	default:
		errs = append(errs, fmt.Errorf("-log-format %q: want text, json or auto", c.LogFormat))
	}
	if c.RequestTimeout <= 0 {
		errs = append(errs, errors.New("-request-timeout must be positive"))
	}
	if c.ShutdownTimeout < 0 {
		errs = append(errs, errors.New("-shutdown-timeout must not be negative"))
	}
	if strings.TrimSpace(c.IndexDir) == "" {
		errs = append(errs, errors.New("-index must name a directory"))
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
	return slog.New(slog.NewJSONHandler(stderr, opts))
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
	}
}
