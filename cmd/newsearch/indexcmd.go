package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"newsearch/index"
)

// multiFlag collects a repeatable string flag.
type multiFlag []string

func (m *multiFlag) String() string     { return fmt.Sprint(*m) }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

func parseIndex(args []string, getenv func(string) string, stderr io.Writer) (*Config, error) {
	c := &Config{}
	fs := newFlagSet("newsearch index", getenv, stderr)
	var inputs multiFlag
	fs.Var(&inputs, "input", "article file or directory to index (repeatable; PATH arguments work too)")
	fs.stringVar(&c.IndexDir, settingIndex)
	fs.boolVar(&c.Strict, settingStrict)
	fs.boolVar(&c.Rebuild, settingRebuild)
	fs.stringVar(&c.LogLevel, settingLevel)
	fs.stringVar(&c.LogFormat, settingFormat)
	// Flags may follow the paths, as they may follow search's words:
	// "index -index dir corpus.jsonl -rebuild" had taken -rebuild for a
	// file. After "--", everything is a path.
	flags, paths := splitQueryFlags(fs.FlagSet, args)
	if err := fs.parse(flags); err != nil {
		return nil, usageError{err}
	}
	c.Inputs = append(inputs, paths...)
	c.RequestTimeout, c.ShutdownTimeout = time.Second, 0 // unused here
	if len(c.Inputs) == 0 {
		return nil, usageError{errors.New("index: no input given; pass -input PATH or PATH arguments")}
	}
	if err := c.validate(fs.named); err != nil {
		return nil, usageError{err}
	}
	return c, nil
}

// runIndex builds (or confirms up to date) the index of the given inputs,
// printing progress lines while it works and a summary at the end.
func runIndex(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, err := parseIndex(args, getenv, stderr)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return err
	}
	logger := newLogger(cfg, stderr)
	var inputs []index.Input
	seen := map[string]bool{}
	for _, p := range cfg.Inputs {
		in, err := pathInput(p)
		if err != nil {
			return err
		}
		// The same file or directory named twice (a.jsonl ./x/../a.jsonl)
		// is read once: it had been read twice, every article of the
		// second reading skipped as a duplicate.
		if seen[in.Source] {
			logger.Warn("input given more than once; reading it once", "input", p)
			continue
		}
		seen[in.Source] = true
		inputs = append(inputs, in)
	}
	// No article file at all is a mistake (a wrong directory, a corpus not
	// yet unpacked), not an empty index to put in place of the old one.
	if n, err := index.CountFiles(inputs); err != nil {
		return err
	} else if n == 0 {
		return fmt.Errorf("no article files (*.txt, *.jsonl, *.jsonl.gz) in %s: nothing to index; the index in %s is left as it is", strings.Join(cfg.Inputs, ", "), cfg.IndexDir)
	}
	opts := index.Options{Dir: cfg.IndexDir, Inputs: inputs, Strict: cfg.Strict, Logger: logger, RequireArticles: true}
	if cfg.Rebuild {
		opts.Rebuild = index.RebuildAlways
	}
	built := false
	opts.Progress = func(s index.BuildStats) {
		built = true
		if s.Done {
			return
		}
		fmt.Fprintf(stderr, "indexed %d articles (%d skipped), %.0f/s\n",
			s.Articles, s.Skipped, float64(s.Articles)/s.Duration.Seconds())
	}
	x, err := index.Open(ctx, opts)
	if err != nil {
		if ctx.Err() != nil {
			// The generation being built is dropped; CURRENT still
			// names the one before.
			return fmt.Errorf("interrupted: the index in %s is as it was before: %w", cfg.IndexDir, ctx.Err())
		}
		return err
	}
	defer x.Close()
	st, err := x.Stats()
	if err != nil {
		return err
	}
	s, n := st.Build, st.Articles
	if !built {
		fmt.Fprintf(stdout, "index %s is up to date: %s\n", cfg.IndexDir, count(n, "article"))
		return nil
	}
	fmt.Fprintf(stdout, "indexed %s from %s in %s (%.0f articles/s); skipped %s; index %s holds %s\n",
		count(s.Articles, "article"), count(s.Files, "file"), s.Duration.Round(time.Millisecond), float64(s.Articles)/s.Duration.Seconds(), count(s.Skipped, "bad record"), cfg.IndexDir, count(n, "article"))
	if s.CutShort > 0 {
		// One bad record in the count, but the rest of the file lost.
		fmt.Fprintf(stdout, "warning: reading stopped early in %s (truncated or corrupt); the articles after that point are not indexed (the log names the files)\n", count(s.CutShort, "file"))
	}
	return nil
}
