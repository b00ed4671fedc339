package index

import "errors"

// Sentinel errors returned (wrapped with %w) by this package. Callers test
// them with errors.Is; server maps each to one HTTP status.
var (
	// ErrNotFound means no article has the requested id.
	ErrNotFound = errors.New("not found")
	// ErrInvalidQuery means a Query cannot be run as given.
	ErrInvalidQuery = errors.New("invalid query")
	// ErrInvalidArticle means an Article failed validation.
	ErrInvalidArticle = errors.New("invalid article")
	// ErrLocked means another process holds the index directory.
	ErrLocked = errors.New("index directory in use by another process")
	// ErrNotIndexDir means the index directory holds other files and no
	// index, so Open will not build one there.
	ErrNotIndexDir = errors.New("not an index directory")
	// ErrNoArticles means a build's inputs gave no article, so it left
	// the index it would have replaced as it was.
	ErrNoArticles = errors.New("no articles to index")
	// ErrNeedsRebuild means the index was built by another mapping version
	// and Open was told not to rebuild it.
	ErrNeedsRebuild = errors.New("index needs a rebuild")
	// ErrClosed means the index was used after Close.
	ErrClosed = errors.New("index closed")
	// ErrNotReady means the index is still being opened or built.
	ErrNotReady = errors.New("index not ready")
	// ErrDirLost means the index directory was removed or replaced under
	// the process: it comes with ErrNotReady, but waiting does not help;
	// only a restart does.
	ErrDirLost = errors.New("the index directory was removed or replaced under this process; restart it")
	// ErrBusy means the operation conflicts with one in progress (a
	// reindex while another runs).
	ErrBusy = errors.New("busy")
	// ErrWriteFailed means a write could not be stored (a full or
	// read-only disk) and nothing of it was: the journal was cut back and
	// the index holds what it held before.
	ErrWriteFailed = errors.New("write failed; nothing was stored")
)
