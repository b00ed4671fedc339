// Command newsearch is an embedded full-text search engine for news
// archives: it indexes articles in English, Russian and Chinese into an
// on-disk bleve index and answers faceted, highlighted searches over HTTP,
// with a search page.
//
// Usage:
//
//	newsearch serve  [flags]              index the seeds when needed, then serve HTTP
//	newsearch index  [flags] [PATH...]    build the index from article files
//	newsearch search [flags] QUERY...     search from the terminal
//	newsearch health [-addr ADDR]         exit 0 when the server is ready (/readyz)
//	newsearch version                     print the version
//
// Article files are plain-text articles (*.txt, a title line, optionally
// " date YYYY-MM-DD" before it, with a meta.json sidecar) and JSON Lines
// corpora (*.jsonl, *.jsonl.gz: {"id","title","body","date","source","lang","url"}).
// A directory means every such file below it.
//
// Settings (each flag's default comes from its environment variable):
//
//	-addr              NEWSEARCH_ADDR              :8080     listen address (serve)
//	-index             NEWSEARCH_INDEX             ./data    index data directory
//	-seeds             NEWSEARCH_SEEDS             ./seeds   articles to index (serve, search); the
//	                                                         embedded seeds when ./seeds is absent
//	-input             (repeatable; or PATH args)            articles to index (index)
//	-strict            NEWSEARCH_STRICT            false     stop at the first bad article
//	-synonyms          NEWSEARCH_SYNONYMS                    extra synonyms file, merged (serve, search)
//	-rebuild           NEWSEARCH_REBUILD           false     rebuild even when up to date
//	-log-level         NEWSEARCH_LOG_LEVEL         info      debug, info, warn, error
//	-log-format        NEWSEARCH_LOG_FORMAT        auto      text, json; auto = text on a terminal
//	-request-timeout   NEWSEARCH_REQUEST_TIMEOUT   10s       time limit per request (serve)
//	-shutdown-timeout  NEWSEARCH_SHUTDOWN_TIMEOUT  15s       grace period on SIGINT/SIGTERM (serve)
//	-json                                                    print results as API JSON (search)
//	-typos                                         true      match words a typo or two away (search)
//	-prefix                                        false     the last word also as a prefix (search)
//
// The index records what it was built from; serve and search reuse it while
// the articles are unchanged and rebuild it when they change.
//
// Example:
//
//	newsearch serve &
//	curl 'http://localhost:8080/api/search?q=Putin&size=3'
//	newsearch index -index /tmp/news ../shared/corpus/bbc/docs.jsonl.gz
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

func main() {
	ctx := context.Background()
	if err := run(ctx, os.Args, os.Getenv, os.Stdout, os.Stderr); err != nil {
		switch {
		case errors.Is(err, flag.ErrHelp):
		case errors.Is(err, context.Canceled) && !strings.Contains(err.Error(), "interrupted"):
			fmt.Fprintln(os.Stderr, "newsearch: interrupted") // not "context canceled"
		default:
			fmt.Fprintf(os.Stderr, "newsearch: %v\n", err)
		}
		os.Exit(exitCode(err))
	}
}

// usageError marks errors in how the command was called (exit status 2).
type usageError struct{ error }

func (e usageError) Unwrap() error { return e.error }

// exitCode is 0 for help asked for (-h, as the flag package's own
// ExitOnError does), 2 for a usage error, 130 for a command that SIGINT
// or SIGTERM stopped (as shells report an interrupted one), 1 for any
// other failure.
func exitCode(err error) int {
	var ue usageError
	switch {
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &ue):
		return 2
	case errors.Is(err, context.Canceled):
		return 130
	}
	return 1
}

const usage = `usage: newsearch <command> [flags]

commands:
  serve    index the seed articles when needed and serve the search API and page
  index    build an index from article files
  search   search the index from the terminal
  health   exit 0 when the server at -addr is ready (for container health checks)
  version  print the version

Run "newsearch <command> -h" for a command's flags.
`

// run is the whole program: it parses args, reads settings through getenv
// and writes to stdout and stderr only. It returns when the command is
// done or ctx is cancelled (or SIGINT, SIGTERM or SIGHUP arrives).
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	// SIGHUP (a terminal closed, or an operator expecting a reload) stops
	// as gracefully as SIGTERM; unhandled, it killed the server at once.
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()
	if len(args) < 2 {
		fmt.Fprint(stderr, usage)
		return usageError{errors.New("no command given")}
	}
	cmd, rest := args[1], args[2:]
	if cmd != "search" && asksHelp(rest) || cmd == "search" && len(rest) > 0 && asksHelp(rest[:1]) {
		// The flags' help, asked for, goes to stdout (newsearch search
		// -h | less); after a usage error it goes to stderr.
		stderr = stdout
	}
	switch cmd {
	case "serve":
		return runServe(ctx, rest, getenv, stdout, stderr)
	case "index":
		return runIndex(ctx, rest, getenv, stdout, stderr)
	case "search":
		return runSearch(ctx, rest, getenv, stdout, stderr)
	case "health":
		return runHealth(ctx, rest, getenv, stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, versionString())
		return nil
	case "help", "-h", "-help", "--help":
		if len(rest) == 1 && rest[0] != "help" {
			return run(ctx, []string{args[0], rest[0], "-h"}, getenv, stdout, stderr) // help search
		}
		fmt.Fprint(stdout, usage)
		return nil
	}
	return usageError{fmt.Errorf("unknown command %q (the commands: serve, index, search, health, version; newsearch help tells more)", cmd)}
}

// asksHelp reports whether args hold -h or -help before any "--".
func asksHelp(args []string) bool {
	for _, a := range args {
		switch a {
		case "--":
			return false
		case "-h", "-help", "--h", "--help":
			return true
		}
	}
	return false
}
