package main

import (
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
func seedInputs(cfg *Config, logger *slog.Logger) ([]index.Input, error) {
	in, err := pathInput(cfg.Seeds)
	if errors.Is(err, fs.ErrNotExist) && !cfg.seedsExplicit {
		logger.Info("no seeds directory; using the embedded seed articles", "seeds", cfg.Seeds)
		return []index.Input{{FS: seeds.FS, Path: ".", Label: "embedded seeds"}}, nil
	}
	if err != nil {
		return nil, err
	}
	return []index.Input{in}, nil
}

// pathInput turns a path the user typed into an Input.
func pathInput(path string) (index.Input, error) {
	st, err := os.Stat(path)
	if err != nil {
		return index.Input{}, fmt.Errorf("articles: %w", err)
	}
	if st.IsDir() {
		return index.Input{FS: os.DirFS(path), Path: ".", Label: path}, nil
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return index.Input{}, fmt.Errorf("articles: %w", err)
	}
	return index.Input{FS: os.DirFS(filepath.Dir(abs)), Path: filepath.Base(abs), Label: path}, nil
}
