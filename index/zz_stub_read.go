package index

// Temporary stand-in until the loader lands (branch loader).

import (
	"context"

	"io/fs"
	"log/slog"
	"strings"
)

type FieldError struct{ Field, Reason string }

func (e *FieldError) Error() string { return "invalid article: " + e.Field + ": " + e.Reason }
func (e *FieldError) Unwrap() error { return ErrInvalidArticle }

func Prepare(a Article) (Article, error) {
	if a.ID == "" {
		return a, &FieldError{"id", "missing"}
	}
	if a.Lang == "" {
		a.Lang = "en"
	}
	if a.Title == "" {
		a.Title, a.TitleDerived = a.Body, true
	}
	return a, nil
}

type ReadStats struct{ Files, Articles, Skipped int }
type Reader struct{ stats ReadStats }

func NewReader(logger *slog.Logger, strict bool) *Reader { return &Reader{} }
func (r *Reader) Stats() ReadStats                       { return r.stats }
func (r *Reader) Read(ctx context.Context, in Input, yield func(Article) error) error {
	return fs.WalkDir(in.FS, in.Path, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".txt") {
			return err
		}
		b, err := fs.ReadFile(in.FS, p)
		if err != nil {
			return err
		}
		title, body, _ := strings.Cut(string(b), "\n")
		a, err := Prepare(Article{ID: strings.TrimSuffix(d.Name(), ".txt"), Title: title, Body: body, Source: "x"})
		if err != nil {
			return err
		}
		r.stats.Articles++
		return yield(a)
	})
}
func Fingerprint(inputs []Input) (string, error) { return "stub", nil }

func ValidID(id string) error {
	if id == "" {
		return &FieldError{"id", "missing"}
	}
	return nil
}
