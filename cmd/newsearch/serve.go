package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync/atomic"
	"time"

	"newsearch/index"
	"newsearch/server"
)

func parseServe(args []string, getenv func(string) string, stderr io.Writer) (*Config, error) {
	c := &Config{}
	fs := newFlagSet("newsearch serve", getenv, stderr)
	fs.stringVar(&c.Addr, settingAddr)
	fs.stringVar(&c.IndexDir, settingIndex)
	fs.stringVar(&c.Seeds, settingSeeds)
	fs.boolVar(&c.Strict, settingStrict)
	fs.stringVar(&c.Synonyms, settingSynonyms)
	fs.boolVar(&c.Rebuild, settingRebuild)
	fs.stringVar(&c.LogLevel, settingLevel)
	fs.stringVar(&c.LogFormat, settingFormat)
	fs.durationVar(&c.RequestTimeout, settingTimeout)
	fs.durationVar(&c.ShutdownTimeout, settingShutdown)
	fs.stringVar(&c.AdminTokenFile, settingTokenFile)
	fs.stringVar(&c.CORSOrigins, settingCORS)
	fs.int64Var(&c.MaxBulkBytes, settingMaxBulk)
	fs.durationVar(&c.WriteTimeout, settingWriteTime)
	fs.intVar(&c.QueryCache, settingCache)
	if err := fs.parse(args); err != nil {
		return nil, usageError{err}
	}
	// Each problem names the flag or the variable its value came by.
	if err := c.loadToken(getenv, fs.named(settingTokenFile)); err != nil {
		return nil, usageError{err}
	}
	if _, err := c.origins(); err != nil {
		return nil, usageError{fmt.Errorf("%s: %w", fs.named(settingCORS), err)}
	}
	if c.QueryCache < 0 {
		return nil, usageError{fmt.Errorf("%s must be 0 or more", fs.named(settingCache))}
	}
	if c.MaxBulkBytes <= 0 {
		return nil, usageError{fmt.Errorf("%s must be positive", fs.named(settingMaxBulk))}
	}
	if c.WriteTimeout <= 0 {
		return nil, usageError{fmt.Errorf("%s must be positive", fs.named(settingWriteTime))}
	}
	if fs.NArg() > 0 {
		return nil, usageError{fmt.Errorf("serve takes no arguments, got %q", fs.Args())}
	}
	c.seedsExplicit = fs.set("seeds")
	if err := c.validate(fs.named); err != nil {
		return nil, usageError{err}
	}
	return c, nil
}

// runServe binds the address first (a taken port fails at once), serves
// 503s while the index opens or builds, then answers searches until ctx
// ends; then it stops accepting, lets requests in flight finish within the
// shutdown timeout, and closes the index.
func runServe(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, err := parseServe(args, getenv, stderr)
	if err != nil {
		return err
	}
	logger := newLogger(cfg, stderr)
	logger.Info("starting newsearch", cfg.logAttrs()...)

	inputs, err := seedInputs(cfg, logger)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	fmt.Fprintf(stdout, "listening on %s\n", ln.Addr())

	var idx lazyIndex
	origins, _ := cfg.origins() // validated by parseServe
	srv := &http.Server{
		Handler: server.New(logger, server.Config{
			RequestTimeout: cfg.RequestTimeout, Version: version,
			AdminToken: cfg.AdminToken, WriteTimeout: cfg.WriteTimeout,
			MaxBulkBytes: cfg.MaxBulkBytes, CORSOrigins: origins,
		}, &idx),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      cfg.RequestTimeout + 5*time.Second, // writes extend their own deadlines
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()

	opts := indexOptions(cfg, inputs, logger)
	opts.RebuildInBackground = true // answer from the old articles while new ones load
	x, openErr := openIndex(ctx, cfg, opts, logger)
	if openErr == nil {
		idx.set(x)
		logger.Info("ready", "addr", ln.Addr().String())
		select {
		case <-ctx.Done():
		case err := <-served:
			openErr = fmt.Errorf("serve: %w", err)
		}
	}

	logger.Info("shutting down", "grace", cfg.ShutdownTimeout)
	sctx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	shutErr := srv.Shutdown(sctx)
	if errors.Is(shutErr, context.DeadlineExceeded) {
		// A client slower than the grace period (a body sent a byte a
		// second) is no failure of the server's: its connection is cut,
		// and the stop is as clean as any. It had made serve exit 1.
		logger.Warn("cut the requests still running after the grace period", "grace", cfg.ShutdownTimeout)
		shutErr = srv.Close()
	}
	if x != nil {
		if err := x.Close(); err != nil {
			shutErr = errors.Join(shutErr, fmt.Errorf("close index: %w", err))
		}
	}
	if openErr != nil && ctx.Err() == nil {
		return openErr
	}
	if shutErr != nil {
		return fmt.Errorf("shutdown: %w", shutErr)
	}
	logger.Info("stopped")
	return nil
}

func indexOptions(cfg *Config, inputs []index.Input, logger *slog.Logger) index.Options {
	opts := index.Options{Dir: cfg.IndexDir, Inputs: inputs, Strict: cfg.Strict, Synonyms: cfg.Synonyms, Logger: logger,
		QueryCache: cfg.QueryCache}
	if cfg.QueryCache == 0 {
		opts.QueryCache = -1 // none; index.Options takes 0 as its default
	}
	switch {
	case cfg.keepIndex: // its articles are gone: nothing to rebuild it from
		opts.Rebuild = index.RebuildNever
	case cfg.Rebuild:
		opts.Rebuild = index.RebuildAlways
	}
	opts.Progress = func(s index.BuildStats) {
		if !s.Done {
			logger.Info("indexing", "articles", s.Articles, "skipped", s.Skipped,
				"docs_per_sec", int(float64(s.Articles)/s.Duration.Seconds()))
		}
	}
	return opts
}

// lazyIndex is the server's Searcher before and after the index is open:
// until set, every call answers index.ErrNotReady (a 503).
type lazyIndex struct {
	p atomic.Pointer[index.Index]
}

func (l *lazyIndex) set(x *index.Index) { l.p.Store(x) }

func (l *lazyIndex) get() (*index.Index, error) {
	if x := l.p.Load(); x != nil {
		return x, nil
	}
	return nil, index.ErrNotReady
}

func (l *lazyIndex) Search(ctx context.Context, q index.Query) (index.Results, error) {
	x, err := l.get()
	if err != nil {
		return index.Results{}, err
	}
	return x.Search(ctx, q)
}

func (l *lazyIndex) Article(ctx context.Context, id string) (index.Article, error) {
	x, err := l.get()
	if err != nil {
		return index.Article{}, err
	}
	return x.Article(ctx, id)
}

func (l *lazyIndex) HighlightArticle(ctx context.Context, id string, q index.Query) (index.Article, index.ArticleHighlights, error) {
	x, err := l.get()
	if err != nil {
		return index.Article{}, index.ArticleHighlights{}, err
	}
	return x.HighlightArticle(ctx, id, q)
}

func (l *lazyIndex) Related(ctx context.Context, id string, size int) ([]index.Hit, error) {
	x, err := l.get()
	if err != nil {
		return nil, err
	}
	return x.Related(ctx, id, size)
}

func (l *lazyIndex) Suggest(ctx context.Context, q index.SuggestQuery) (index.Suggestions, error) {
	x, err := l.get()
	if err != nil {
		return index.Suggestions{}, err
	}
	return x.Suggest(ctx, q)
}

func (l *lazyIndex) DocCount() (uint64, error) {
	x, err := l.get()
	if err != nil {
		return 0, err
	}
	return x.DocCount()
}

func (l *lazyIndex) Stats() (index.Stats, error) {
	x, err := l.get()
	if err != nil {
		return index.Stats{}, err
	}
	return x.Stats()
}

func (l *lazyIndex) Add(ctx context.Context, articles []index.Article) error {
	x, err := l.get()
	if err != nil {
		return err
	}
	return x.Add(ctx, articles)
}

func (l *lazyIndex) Delete(ctx context.Context, id string) error {
	x, err := l.get()
	if err != nil {
		return err
	}
	return x.Delete(ctx, id)
}

func (l *lazyIndex) StartReindex() error {
	x, err := l.get()
	if err != nil {
		return err
	}
	return x.StartReindex()
}

func (l *lazyIndex) ReindexStatus() index.ReindexStatus {
	x, err := l.get()
	if err != nil {
		return index.ReindexStatus{State: index.ReindexIdle}
	}
	return x.ReindexStatus()
}
