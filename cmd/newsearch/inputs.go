package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"

	"newsearch/index"
	"newsearch/seeds"
)

// seedInputs resolves the -seeds setting: the named directory or file, or
// the seeds embedded in the binary when the default ./seeds is absent (so
// that the binary serves something anywhere, with no set-up).
//
// Given no seeds (no -seeds, no NEWSEARCH_SEEDS), serve and search read
// the articles the index in -index was built from, as the index records
// them (index.RecordedSources): an index that `newsearch index` built
// from a corpus is the corpus's, and the default seeds must not replace
// it, not even with -rebuild, which rebuilds it from those articles.
func seedInputs(cfg *Config, logger *slog.Logger) ([]index.Input, error) {
	cfg.keepIndex = false // recordedInputs sets it again if it still holds
	if !cfg.seedsExplicit {
		recorded, err := index.RecordedSources(cfg.IndexDir)
		if err != nil {
			return nil, err
		}
		if ins, ok, err := recordedInputs(cfg, recorded, logger); ok || err != nil {
			return ins, err
		}
	}
	in, err := pathInput(cfg.Seeds)
	if errors.Is(err, fs.ErrNotExist) && !cfg.seedsExplicit {
		logger.Info("no seeds directory; using the embedded seed articles", "seeds", cfg.Seeds)
		return []index.Input{embeddedSeeds}, nil
	}
	if err != nil {
		return nil, err
	}
	return []index.Input{in}, nil
}

// embeddedSeeds are the seed articles built into the binary.
var embeddedSeeds = index.Input{FS: seeds.FS, Path: ".", Label: "embedded seeds", Source: "embedded seeds"}

// recordedInputs returns the inputs the index was built from when they
// are not the default seeds (ok false: use the seeds). When a recorded
// file is gone it returns none, ok, and sets cfg.keepIndex: the index is
// used as it is, -rebuild or not. serve -rebuild rebuilds from the
// recorded inputs, as POST /api/reindex does; it had rebuilt a corpus's
// index (69,954 articles) from the 5 seed articles.
func recordedInputs(cfg *Config, recorded []string, logger *slog.Logger) ([]index.Input, bool, error) {
	if len(recorded) == 0 {
		return nil, false, nil
	}
	if len(recorded) == 1 {
		if recorded[0] == embeddedSeeds.Source {
			return nil, false, nil
		}
		if abs, err := filepath.Abs(cfg.Seeds); err == nil && recorded[0] == abs {
			return nil, false, nil
		}
	}
	var ins []index.Input
	for _, src := range recorded {
		if src == embeddedSeeds.Source {
			ins = append(ins, embeddedSeeds)
			continue
		}
		in, err := pathInput(src)
		if err != nil {
			// The articles were moved or deleted to save space: the
			// index still holds them. Use it as it is.
			msg := "the index was built from articles that cannot be read now; using it as it is (give -seeds to rebuild it from others)"
			if cfg.Rebuild {
				msg = "cannot rebuild: " + msg
			}
			logger.Warn(msg, "index_dir", cfg.IndexDir, "source", src, "err", err)
			cfg.keepIndex = true
			return nil, true, nil
		}
		ins = append(ins, in)
	}
	logger.Info("using the articles the index was built from", "index_dir", cfg.IndexDir, "inputs", recorded)
	return ins, true, nil
}

// pathInput turns a path the user typed into an Input.
func pathInput(path string) (index.Input, error) {
	st, err := os.Stat(path)
	if err != nil {
		return index.Input{}, fmt.Errorf("articles: %w", err)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return index.Input{}, fmt.Errorf("articles: %w", err)
	}
	if st.IsDir() {
		return index.Input{FS: os.DirFS(path), Path: ".", Label: path, Source: abs}, nil
	}
	return index.Input{FS: os.DirFS(filepath.Dir(abs)), Path: filepath.Base(abs), Label: path, Source: abs}, nil
}

// openIndex opens the index as serve and search do: when the articles it
// was built from (not ones given with -seeds) now give none, emptied or
// corrupted since, it warns and opens the index as it is, as when they
// are gone; a build of none would not replace it anyway.
func openIndex(ctx context.Context, cfg *Config, opts index.Options, logger *slog.Logger) (*index.Index, error) {
	x, err := index.Open(ctx, opts)
	if errors.Is(err, index.ErrNoArticles) && !cfg.seedsExplicit && opts.Rebuild != index.RebuildAlways {
		logger.Warn("the articles the index was built from give none now; using it as it is (give -seeds to rebuild it from others)",
			"index_dir", cfg.IndexDir, "err", err)
		opts.Inputs, opts.Rebuild = nil, index.RebuildNever
		return index.Open(ctx, opts)
	}
	return x, err
}
