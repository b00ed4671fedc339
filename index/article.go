package index

import (
	"io/fs"
	"time"
)

// Languages are the language codes an Article may carry. Every article is
// stored with exactly one of them; mixed-language text is still analysed
// token by token (see doc.go), the code only drives the lang facet.
var Languages = []string{"en", "ru", "zh", "other"}

// Article is one news article as the engine sees it. It is a plain value with
// no bleve types and no JSON tags: the corpus format is decoded elsewhere
// (see Reader), and the HTTP API has its own wire types.
type Article struct {
	ID    string // unique, stable; see ValidID for the allowed form
	Title string
	// TitleDerived reports that the source had no title and Title was cut
	// from the start of Body.
	TitleDerived bool
	Body         string    // paragraphs separated by a blank line
	Date         time.Time // publication day in UTC; zero when unknown
	Source       string    // the outlet, e.g. "Realist"
	Lang         string    // one of Languages
	URL          string    // may be empty
}

// Input names one place articles are read from: a directory (every article
// file below it) or a single file, inside FS.
type Input struct {
	FS    fs.FS
	Path  string // "." for the whole FS, or a file or directory inside it
	Label string // how messages name it, e.g. the path the user typed
	// Source is what the index records it was built from (an absolute
	// path, or "embedded seeds"; see RecordedSources); "" records none.
	Source string
}
