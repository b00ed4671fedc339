package index

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/index/scorch/mergeplan"
	"github.com/blevesearch/bleve/v2/mapping"
	bolt "go.etcd.io/bbolt"
)

// Rebuild says when Open builds a fresh index from Options.Inputs.
type Rebuild int

const (
	// RebuildIfStale rebuilds when there is no index, or when it was built
	// from other inputs (fingerprint) or by another mapping version.
	RebuildIfStale Rebuild = iota
	// RebuildAlways rebuilds unconditionally.
	RebuildAlways
	// RebuildNever opens what is there (or an empty index) and never reads
	// the inputs; an index of another mapping version is ErrNeedsRebuild.
	RebuildNever
)

// Options configures Open.
type Options struct {
	// Dir is the data directory. It holds a lock file, a CURRENT file naming
	// the live generation, and one directory per index generation.
	Dir string
	// LockWait is how long Open waits for another process that holds Dir
	// to let it go, unless that process is a server, which never does:
	// a search from the command line waits for the one before it. Zero
	// fails at once with ErrLocked.
	LockWait time.Duration
	// AfterWait, when set, is called when Open got the lock only after
	// waiting for it: the process that held it may have rebuilt the
	// index from other inputs, and recorded them (SOURCES), meanwhile. It
	// sets the Inputs and Rebuild to open with from what the directory
	// records now; those worked out before the wait had a search undo
	// the build it waited for, rebuilding from the inputs before it.
	AfterWait func(*Options) error
	// Inputs are the article files the index is built from.
	Inputs []Input
	// Strict stops a build at the first bad record instead of skipping it.
	Strict bool
	// RequireArticles fails a build whose inputs give no article with
	// ErrNoArticles, also where there is no index to keep: newsearch index
	// of an empty file builds nothing. Without it a build of none fails
	// only when it would replace articles (a server's empty seeds make an
	// empty index that writes over HTTP fill).
	RequireArticles bool
	// RebuildInBackground opens an index whose inputs changed since its
	// build (its mapping being this version's) as it is, and rebuilds it
	// in the background (StartReindex), swapping the new one in when done:
	// a server answers from the old articles meanwhile, where it had
	// answered 503 for the whole build (50 s for 43k articles).
	RebuildInBackground bool
	Rebuild             Rebuild
	// QueryCache is the number of result pages kept for repeated
	// searches: 0 means DefaultQueryCache, a negative number none.
	QueryCache int
	// BatchSize is the number of articles per bleve batch of a build
	// (default defaultBulkBatch; bulkBatchBytes caps a batch's text).
	BatchSize int
	// DiskReserve is the free space a build keeps on the index's file
	// system, stopping with ErrDiskFull rather than fill it: 0 means
	// DefaultDiskReserve, a negative number no check.
	DiskReserve int64
	// Progress, when set, is called about every ProgressEvery during a build
	// and once at its end.
	Progress      func(BuildStats)
	ProgressEvery time.Duration
	Logger        *slog.Logger
	// Synonyms, when set, is the path of a synonyms file merged with the
	// embedded ones (format of index/data/synonyms.txt); a bad line fails
	// Open with the file and line number.
	Synonyms string
}

// BuildStats summarises a build (or the build an opened index came from).
type BuildStats struct {
	Articles int           `json:"articles"`
	Skipped  int           `json:"skipped"`
	Files    int           `json:"files"`
	CutShort int           `json:"cut_short,omitempty"` // files read only in part (ReadStats.CutShort)
	Bytes    int64         `json:"bytes"`               // title+body bytes indexed
	Replayed int           `json:"replayed"`            // journal entries (writes over HTTP) applied after the inputs
	Duration time.Duration `json:"duration_ns"`
	Done     bool          `json:"-"`
}

// meta is what an index records about how it was built, in bleve's internal
// key/value store, so that a later Open can tell whether it is stale.
type meta struct {
	MappingVersion string     `json:"mapping_version"`
	Fingerprint    string     `json:"fingerprint"`
	BuiltAt        time.Time  `json:"built_at"`
	Stats          BuildStats `json:"stats"`
}

var metaKey = []byte("newsearch.meta")

const (
	lockFile    = "LOCK"
	currentFile = "CURRENT"
	genPrefix   = "index-"
)

// Index is an open on-disk article index. It is safe for concurrent use:
// searches run in parallel with each other and with writes.
type Index struct {
	dir    string
	logger *slog.Logger
	lock   *os.File
	m      mapping.IndexMapping
	lex    *lexicon // names and synonyms (names.go), read-only

	mu     sync.RWMutex // guards the fields below; searches hold it for reading
	bi     bleve.Index  // the live generation
	base   *baseVocab   // its base vocabulary (vocab.go)
	cb     *codebook    // its body codebook (codebook.go); nil: none
	gen    string
	meta   meta
	closed bool

	// writeMu serialises writers: Add, Delete and the install step of a
	// build. It is taken before mu, never after.
	writeMu  sync.Mutex
	jr       *journal
	writeErr error // why writes are refused until a restart or reindex (writeLocked)
	// broken is why there is no live generation: a failed write's reopen
	// failed (reopenAfterFailure). Reads answer ErrNotReady.
	broken error
	// batch applies a bleve batch; tests make it fail as a full disk does.
	batch func(bleve.Index, *bleve.Batch) error

	opts     Options            // what Reindex rebuilds from
	bg       context.Context    // cancelled by Close; background reindexes run in it
	bgCancel context.CancelFunc // ends bg
	bgWG     sync.WaitGroup     // background reindexes
	reindex  reindexState
	cols     columnState   // facet columns (columns.go)
	dec      decodedState  // decoded postings (postings.go)
	vocab    vocabMemos    // the live snapshot's vocabulary look-ups (expand.go)
	walks    segWalks      // each segment's typo walks (expand.go)
	common   commonWords   // common-word tables for typo look-ups (common.go)
	noPrune  atomic.Bool   // tests: rank.go scores every document, no MaxScore
	unscored atomic.Uint64 // documents rank.go's MaxScore did not score, for tests
	// blockSkips counts the runs of documents rank.go skipped by their
	// block bounds, for tests.
	blockSkips atomic.Uint64
	cache      *queryCache // recent results (cache.go); nil when disabled

	opens, rebuilds atomic.Uint64
	// replacing is how many articles the stale generation Open rebuilds
	// had from its inputs, which a build of none must not replace.
	replacing int
}

// articlesReplaced returns how many articles the index a build would
// replace had from its inputs (not from writes over HTTP, which the
// build replays): the live generation's, or the stale one's Open closed.
func (x *Index) articlesReplaced() int {
	x.mu.RLock()
	defer x.mu.RUnlock()
	if x.bi != nil {
		return x.meta.Stats.Articles
	}
	return x.replacing
}

// Open opens the index in opts.Dir, building it from opts.Inputs first when
// needed (see Rebuild). It fails at once with ErrLocked when another
// process holds the directory.
func Open(ctx context.Context, opts Options) (_ *Index, err error) {
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if opts.Dir == "" {
		return nil, errors.New("open index: no directory given")
	}
	if err := checkIndexDir(opts.Dir); err != nil {
		return nil, fmt.Errorf("open index %s: %w", opts.Dir, err)
	}
	if err := os.MkdirAll(opts.Dir, 0o755); err != nil {
		return nil, fmt.Errorf("open index: %w", err)
	}
	lock, waited, err := lockDirWait(ctx, opts.Dir, opts.LockWait, logger)
	if err != nil {
		return nil, fmt.Errorf("open index %s: %w", opts.Dir, err)
	}
	defer func() {
		if err != nil {
			lock.Close()
		}
	}()
	if waited && opts.AfterWait != nil {
		if err := opts.AfterWait(&opts); err != nil {
			return nil, fmt.Errorf("open index %s: %w", opts.Dir, err)
		}
	}

	lex, err := defaultLexicon(opts.Synonyms)
	if err != nil {
		return nil, fmt.Errorf("open index: %w", err)
	}
	jr, err := openJournal(opts.Dir)
	if err != nil {
		return nil, fmt.Errorf("open index %s: %w", opts.Dir, err)
	}
	x := &Index{dir: opts.Dir, logger: logger, lock: lock, m: newMapping(), jr: jr, opts: opts, lex: lex}
	x.bg, x.bgCancel = context.WithCancel(context.Background())
	x.cols.slack = dictSlack
	cacheSize := opts.QueryCache
	if cacheSize == 0 {
		cacheSize = DefaultQueryCache
	}
	x.cache = newQueryCache(cacheSize)
	defer func() {
		if err != nil {
			x.bgCancel()
			jr.close()
		}
	}()
	x.opens.Add(1)

	gen, err := readCurrent(opts.Dir)
	if err != nil {
		return nil, err
	}
	// The inputs' fingerprint tells whether an index is stale. A build
	// that needs no such answer hashes them itself, later (build).
	var fingerprint string
	if len(opts.Inputs) > 0 && opts.Rebuild == RebuildIfStale && gen != "" {
		if fingerprint, err = Fingerprint(opts.Inputs); err != nil {
			return nil, fmt.Errorf("open index: %w", err)
		}
	}

	if gen != "" {
		bi, m, base, cb, err := openGen(filepath.Join(opts.Dir, gen))
		switch {
		case errors.Is(err, bolt.ErrTimeout):
			// Another process has the generation open, though it holds no
			// LOCK here (the directory was removed and made again under
			// it): in use, not broken. A rebuild would delete what that
			// process serves.
			return nil, fmt.Errorf("open index %s: %w", opts.Dir, &lockedError{server: true})
		case err != nil && opts.Rebuild == RebuildNever:
			return nil, fmt.Errorf("open index %s: %w", gen, err)
		case err != nil:
			logger.Warn("index unreadable, rebuilding", "index_dir", opts.Dir, "generation", gen, "err", err)
		case opts.Rebuild == RebuildNever && m.MappingVersion != mappingVersion:
			bi.Close()
			return nil, fmt.Errorf("open index %s: %w: built by mapping version %q, this newsearch reads %q; rebuild it from its articles (newsearch index -index %s FILE..., or serve -seeds DIR)", opts.Dir, ErrNeedsRebuild, m.MappingVersion, mappingVersion, opts.Dir)
		default:
			reason := staleReason(m, fingerprint, opts)
			later := reason == reasonInputsChanged && opts.RebuildInBackground
			if reason == "" || later {
				if err := x.catchUp(bi, cb); err != nil {
					bi.Close()
					return nil, fmt.Errorf("open index %s: %w", gen, err)
				}
				x.bi, x.base, x.cb, x.gen, x.meta = bi, base, cb, gen, m
				logger.Info("index opened", "index_dir", opts.Dir, "generation", gen,
					"articles", m.Stats.Articles, "built_at", m.BuiltAt)
				x.cleanOld()
				if later {
					logger.Info("the inputs changed: rebuilding in the background, answering from the index as it is meanwhile", "index_dir", opts.Dir)
					if err := x.StartReindex(); err != nil {
						x.Close()
						return nil, err
					}
				}
				return x, nil
			}
			logger.Info("index is stale, rebuilding", "index_dir", opts.Dir, "reason", reason)
			x.replacing = m.Stats.Articles
			bi.Close()
		}
	}

	inputs := opts.Inputs
	if opts.Rebuild == RebuildNever {
		inputs = nil
	}
	if err := x.build(ctx, inputs, fingerprint, opts); err != nil {
		return nil, err
	}
	x.cleanOld()
	return x, nil
}

func staleReason(m meta, fingerprint string, opts Options) string {
	switch {
	case opts.Rebuild == RebuildAlways:
		return "rebuild requested"
	case opts.Rebuild == RebuildNever:
		return ""
	case m.MappingVersion != mappingVersion:
		return fmt.Sprintf("mapping version %q, want %q", m.MappingVersion, mappingVersion)
	case m.Fingerprint != fingerprint:
		return reasonInputsChanged
	}
	return ""
}

// reasonInputsChanged is staleReason's when only the inputs changed.
const reasonInputsChanged = "inputs changed"

// build reads inputs into a fresh generation and makes it the live one.
// fingerprint is the inputs' Fingerprint, or "" for build to hash them:
// while the final merge runs on one core, rather than before the first
// article is read (85 ms for the 102 MB of the 108k Reuters articles).
// An input written to during the build is recorded with no fingerprint,
// so that the next open rebuilds.
func (x *Index) build(ctx context.Context, inputs []Input, fingerprint string, opts Options) (err error) {
	if opts.DiskReserve >= 0 {
		reserve := uint64(cmp.Or(opts.DiskReserve, DefaultDiskReserve))
		var stop func()
		if ctx, stop, err = watchDisk(ctx, x.dir, reserve); err != nil {
			return fmt.Errorf("build index: %w", err)
		}
		defer stop()
		defer func() {
			// Stopped for the disk: say so, not "context canceled".
			if cause := context.Cause(ctx); err != nil && errors.Is(cause, ErrDiskFull) {
				err = fmt.Errorf("build index: %w", cause)
			}
		}()
	}
	defer raiseBuildGC()() // buildgc.go
	start := time.Now()
	gen := genPrefix + strconv.FormatInt(start.UnixNano(), 36)
	path := filepath.Join(x.dir, gen)
	bi, err := bleve.NewUsing(path, x.m, scorch.Name, scorch.Name, openConfig())
	if err == nil {
		if err = bi.Close(); err == nil {
			bi, err = bleve.OpenUsing(path, buildConfig())
		}
	}
	if err != nil {
		os.RemoveAll(path)
		return fmt.Errorf("create index: %w", err)
	}
	defer func() {
		if err != nil {
			if bi != nil {
				bi.Close()
			}
			os.RemoveAll(path)
		}
	}()

	batchSize := opts.BatchSize
	if batchSize <= 0 {
		batchSize = defaultBulkBatch
	}
	every := opts.ProgressEvery
	if every <= 0 {
		every = 2 * time.Second
	}
	var stats BuildStats
	report := func(done bool) {
		stats.Duration = time.Since(start)
		stats.Done = done
		if opts.Progress != nil {
			opts.Progress(stats)
		}
	}
	lastReport := start
	hashLater := fingerprint == "" && len(inputs) > 0
	var stamp string
	if hashLater {
		var sErr error
		if stamp, sErr = inputStamp(inputs); sErr != nil {
			return fmt.Errorf("build index: %w", sErr)
		}
	}
	loader := newBulkLoader(bi, bulkWorkers(), batchSize, path, maxVocabWords)
	loading := true
	defer func() {
		if loading {
			loader.close()
		}
	}()

	r := NewReader(x.logger, opts.Strict)
	for _, in := range inputs {
		x.logger.Debug("reading input", "input", in.Label)
		err := r.Read(ctx, in, func(a Article) error {
			if err := loader.add(ctx, a); err != nil {
				return err
			}
			stats.Articles++
			stats.Bytes += int64(len(a.Title) + len(a.Body))
			if stats.Articles%batchSize == 0 && time.Since(lastReport) >= every {
				lastReport = time.Now()
				stats.Skipped = r.Stats().Skipped // the progress had said 0 skipped
				report(false)
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("build index: %w", err)
		}
	}
	if replacing := x.articlesReplaced(); stats.Articles == 0 && (replacing > 0 || opts.RequireArticles) {
		rs := r.Stats()
		kept := fmt.Sprintf("no index was built in %s", x.dir)
		if replacing > 0 {
			kept = fmt.Sprintf("the index in %s is left as it is (articles: %d)", x.dir, replacing)
		}
		return fmt.Errorf("build index: %w: the inputs gave none (files read: %d, bad records skipped: %d); %s",
			ErrNoArticles, rs.Files, rs.Skipped, kept)
	}
	loading = false
	closing := time.Now()
	if err := loader.close(); err != nil {
		return err
	}
	x.logger.Debug("loaded the last batches", "duration", time.Since(closing))
	// The final merge runs on one core; the base vocabulary is written on
	// the other meanwhile (0.1 s for the 108k Reuters articles, 0.7 s for
	// the news corpora, whose merge takes 3.3 and 6.2 s).
	vocabDone := make(chan error, 1)
	go func() {
		writing := time.Now()
		err := writeBaseVocab(path, loader.vocab)
		x.logger.Debug("wrote the base vocabulary", "duration", time.Since(writing))
		vocabDone <- err
	}()
	hashed := make(chan error, 1)
	go func() {
		if !hashLater {
			hashed <- nil
			return
		}
		hashing := time.Now()
		fp, err := Fingerprint(inputs)
		if after, sErr := inputStamp(inputs); err == nil && (sErr != nil || after != stamp) {
			x.logger.Warn("an input changed while it was indexed; the next open rebuilds the index")
			fp = ""
		}
		fingerprint = fp
		x.logger.Debug("fingerprinted the inputs", "duration", time.Since(hashing))
		hashed <- err
	}()
	merging := time.Now()
	err = mergeAll(ctx, bi)
	x.logger.Debug("merged the segments", "duration", time.Since(merging))
	if vErr := <-vocabDone; err == nil {
		err = vErr
	}
	if hErr := <-hashed; err == nil && hErr != nil {
		err = fmt.Errorf("build index: %w", hErr)
	}
	if err != nil {
		return err
	}
	// Scorch's Close does not persist the root: a merge introduced but not
	// yet written to the root bolt is lost on reopen, which then finds the
	// segments from before the merge (TestBuild_parallelBatches saw 6 under
	// -race on a loaded machine). A batch returns only once a root at least
	// as new as its own is persisted, so this write, after the merge, is the
	// durability point of the merged index.
	cb := loader.bodies.finish()
	if err := bi.SetInternal(codebookKey, cb.marshal()); err != nil {
		return fmt.Errorf("record body codebook: %w", err)
	}
	if err := bi.SetInternal(lengthsKey, loader.lengths.encode()); err != nil {
		return fmt.Errorf("record field lengths: %w", err)
	}
	if err := bi.SetInternal(signOffsKey, r.signOffsLearnt()); err != nil {
		return fmt.Errorf("record sign-offs: %w", err)
	}
	// Scorch removes segment files that no snapshot it keeps refers to
	// when it opens an index and after it persists a snapshot, in the
	// background. Reopening now drops most merged-away files before
	// `newsearch index` exits (bench/speed, news corpora: 671 MB on disk
	// without the reopen, 328 MB with it); the previous snapshot's files
	// can outlive it until scorch next persists.
	if err := bi.Close(); err != nil {
		return fmt.Errorf("close merged index: %w", err)
	}
	// Best effort: the index is whole either way (pagecache.go).
	reread := time.Now()
	if err := rereadSegments(path); err != nil {
		x.logger.Warn("could not read the built segments back", "err", err)
	}
	x.logger.Debug("read the built segments back", "duration", time.Since(reread))
	if bi, _, _, _, err = openGen(path); err != nil {
		bi = nil
		return fmt.Errorf("reopen merged index: %w", err)
	}
	base, err := openBaseVocab(path)
	if err != nil {
		return err
	}
	rs := r.Stats()
	stats.Skipped, stats.Files, stats.CutShort = rs.Skipped, rs.Files, rs.CutShort

	if err := x.install(ctx, bi, base, cb, gen, meta{MappingVersion: mappingVersion, Fingerprint: fingerprint, BuiltAt: start.UTC()}, &stats, start); err != nil {
		return err
	}
	if err := writeSources(x.dir, inputs); err != nil {
		// Only a later command given no articles of its own needs it.
		x.logger.Warn("could not record the index's inputs", "err", err)
	}
	report(true)
	x.logger.Info("index built", "index_dir", x.dir, "generation", gen, "articles", stats.Articles,
		"replayed", stats.Replayed, "skipped", stats.Skipped, "duration", stats.Duration.Round(time.Millisecond))
	return nil
}

// install makes a freshly built generation the live one: with writers
// held off, it replays the whole journal into it (so writes made over HTTP,
// also those made while it was being built, survive the rebuild), records
// its metadata, points CURRENT at it and swaps it in. Searches keep
// answering from the old generation until the swap.
func (x *Index) install(ctx context.Context, bi bleve.Index, base *baseVocab, cb *codebook, gen string, m meta, stats *BuildStats, start time.Time) error {
	x.writeMu.Lock()
	defer x.writeMu.Unlock()
	if err := ctx.Err(); err != nil {
		return err
	}
	n, err := x.replay(bi, cb, 0)
	if err != nil {
		return err
	}
	stats.Replayed = n
	stats.Duration = time.Since(start)
	m.Stats = *stats
	mb, _ := json.Marshal(m)
	if err := bi.SetInternal(metaKey, mb); err != nil {
		return fmt.Errorf("record index metadata: %w", err)
	}
	if err := writeCurrent(x.dir, gen); err != nil {
		return err
	}
	x.mu.Lock()
	old := x.bi
	x.bi, x.base, x.cb, x.gen, x.meta = bi, base, cb, gen, m
	x.broken = nil
	x.invalidate()
	x.mu.Unlock()
	x.writeErr = nil // the new generation holds every journal entry
	x.rebuilds.Add(1)
	if old != nil {
		old.Close()
	}
	// Every entry is in the new generation: the journal can lose the
	// entries later ones replace. Best effort: the old journal is whole.
	if kept, dropped, err := x.jr.compact(); err != nil {
		x.logger.Warn("could not compact the journal", "err", err)
	} else if dropped > 0 {
		x.logger.Info("compacted the journal", "entries", kept, "dropped", dropped)
	}
	return nil
}

// openConfig is the scorch runtime configuration for every open. bolt_timeout
// makes a second opener fail instead of waiting forever on bolt's flock; our
// own directory lock normally reports the conflict first.
func openConfig() map[string]any {
	return map[string]any{"bolt_timeout": "1s"}
}

// buildConfig is the scorch configuration of a generation while a build
// loads it: merge only when a tier holds bulkMergeWidth segments. bleve
// keeps the configuration an index is created with and reuses it on every
// open, so a build creates its generation with openConfig and reopens it
// with this one, which lasts as long as that open.
func buildConfig() map[string]any {
	c := openConfig()
	c["scorchMergePlanOptions"] = map[string]any{"MaxSegmentsPerTier": bulkMergeWidth, "SegmentsPerMergeTask": bulkMergeWidth}
	return c
}

// bulkMergeWidth is how many segments a build lets a tier collect before
// merging them, and how many its final merge (mergeAll) takes at once.
//
// With bleve's default of 10, a build kept merging its batches' segments
// ten at a time while it loaded and merged the results again at the end.
// With 100, a build of 108k Reuters articles (about 90 batches) leaves 38
// segments, bleve's planner merging only past its budget for the index's
// size, and the final merge takes them all at once (3.6 s). Measured with
// newsearch index on those articles: its writes came to 721 MiB instead
// of 1,018 MiB (wchar in /proc, the same in two runs each), and over six
// alternating rounds its CPU time was 0.94 of before (median of the
// pairs' ratios; the machine's noise, ±15%, is larger than the gain), with
// the same peak RSS and the same index. A far larger archive still merges
// a hundred segments at a time, so a build never holds more than a few
// hundred segment files open.
const bulkMergeWidth = 100

// mergeAll merges a freshly loaded generation into one segment. Every
// term query looks its term up in every segment's dictionary, and typo
// tolerance walks every dictionary with a Levenshtein automaton, so a
// search's cost grows with the segment count; a bulk load leaves up to
// bulkMergeWidth.
// Measured with go run ./bench/speed: on 108k Reuters articles the merge
// takes 2-4 s and 11 segments become 1; search p50 fell from 5.6 to
// 3.4 ms and QPS at 2 clients rose from 266 to 419; the index shrank from
// 270 to 254 MB. Later writes add small segments, which bleve's merge
// policy folds in as usual.
func mergeAll(ctx context.Context, bi bleve.Index) error {
	adv, err := bi.Advanced()
	if err != nil {
		return fmt.Errorf("merge index: %w", err)
	}
	sc, ok := adv.(*scorch.Scorch)
	if !ok {
		return nil
	}
	all := mergeplan.SingleSegmentMergePlanOptions
	all.SegmentsPerMergeTask = bulkMergeWidth
	// ForceMerge takes the segments persisted when it starts; one whose
	// persistence was still being introduced stays out, so merge again.
	// On a loaded machine the persister can lag by several rounds (three
	// rounds once left 9 segments under -race): give it a little time.
	for round := range 20 {
		if round > 0 {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(time.Duration(round) * 10 * time.Millisecond):
			}
		}
		if err := sc.ForceMerge(ctx, &all); err != nil {
			return fmt.Errorf("merge index: %w", err)
		}
		r, err := sc.Reader()
		if err != nil {
			return fmt.Errorf("merge index: %w", err)
		}
		n := 0
		if snap, ok := r.(*scorch.IndexSnapshot); ok {
			n = len(snap.Segments())
		}
		r.Close()
		if n <= 1 {
			break
		}
	}
	return ctx.Err()
}

// defaultBulkBatch is the articles per batch of a build, which
// bulkBatchBytes also caps by their text. Bigger batches index faster but
// hold more analysed text in memory per worker: with two workers, 3,000
// per batch once built 108k Reuters articles at 3,400 docs/s with 1.0 GB
// peak RSS, 1,000 at 3,000 docs/s with 540 MB. Since then a batch's
// analysis takes far less memory; 2,000 and 2 MiB are measured at
// bulkBatchBytes.
const defaultBulkBatch = 2000

// openGen opens the generation in path and reads its metadata, base
// vocabulary and body codebook.
func openGen(path string) (bleve.Index, meta, *baseVocab, *codebook, error) {
	return openGenWith(path, openConfig())
}

// openGenReadOnly is openGen for a generation on a disk that refuses
// writes: searches go on, and writes are refused.
func openGenReadOnly(path string) (bleve.Index, meta, *baseVocab, *codebook, error) {
	config := openConfig()
	config["read_only"] = true
	return openGenWith(path, config)
}

func openGenWith(path string, config map[string]any) (bleve.Index, meta, *baseVocab, *codebook, error) {
	// A damaged segment file can make zap index past its data as it
	// loads it: the panic is the generation's being unreadable, which
	// Open answers with a rebuild, not the process's end.
	var bi bleve.Index
	err := safely(func() (err error) {
		bi, err = bleve.OpenUsing(path, config)
		return err
	})
	if err != nil {
		return nil, meta{}, nil, nil, err
	}
	var m meta
	b, err := bi.GetInternal(metaKey)
	if err == nil && len(b) > 0 {
		err = json.Unmarshal(b, &m)
	}
	if err != nil {
		bi.Close()
		return nil, meta{}, nil, nil, fmt.Errorf("read index metadata: %w", err)
	}
	if m.MappingVersion != mappingVersion {
		// Stale: Open rebuilds it without reading further.
		return bi, m, nil, nil, nil
	}
	base, err := openBaseVocab(path)
	if err != nil {
		bi.Close()
		return nil, meta{}, nil, nil, err
	}
	cb, err := readCodebook(bi)
	if err != nil {
		bi.Close()
		return nil, meta{}, nil, nil, err
	}
	return bi, m, base, cb, nil
}

// cleanOld removes generations other than the live one: leftovers of
// replaced indexes or of builds that a crash interrupted.
func (x *Index) cleanOld() {
	entries, err := os.ReadDir(x.dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if e.IsDir() && strings.HasPrefix(e.Name(), genPrefix) && e.Name() != x.gen {
			if err := os.RemoveAll(filepath.Join(x.dir, e.Name())); err != nil {
				x.logger.Warn("cannot remove old index generation", "path", e.Name(), "err", err)
			}
		}
	}
}

// checkIndexDir refuses a directory that holds files of its own and no
// index: an index path mistyped or swapped with an articles path (-index
// ~/articles) must not fill someone's directory with index files, nor
// answer from an index of the default seeds built there. A new or empty
// directory is fine, and so are dot files (.gitkeep) and a mount point's
// lost+found, which a container's volume may hold; a dot directory
// (.git) is someone's.
func checkIndexDir(dir string) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	var foreign []string
	for _, e := range entries {
		name := e.Name()
		switch {
		case name == currentFile:
			return nil
		case ownedName(name), strings.HasPrefix(name, ".") && !e.IsDir(), name == "lost+found":
		default:
			foreign = append(foreign, name)
		}
	}
	if len(foreign) == 0 {
		return nil
	}
	more := ""
	if len(foreign) > 3 {
		more = fmt.Sprintf(" and %d more", len(foreign)-3)
		foreign = foreign[:3]
	}
	return fmt.Errorf("%w: it holds %s%s and no newsearch index; give a new or empty directory", ErrNotIndexDir, strings.Join(foreign, ", "), more)
}

// ownedName reports whether name is one an index directory's own files
// and directories have.
func ownedName(name string) bool {
	switch name {
	case lockFile, currentFile, sourcesFile, journalFile, currentFile + ".tmp", sourcesFile + ".tmp":
		return true
	}
	return strings.HasPrefix(name, genPrefix)
}

// HasIndex reports whether dir holds an index: a CURRENT naming a
// generation. A directory an interrupted first build left has none.
func HasIndex(dir string) bool {
	gen, err := readCurrent(dir)
	return err != nil || gen != "" // a bad CURRENT is an index Open reports on
}

func readCurrent(dir string) (string, error) {
	b, err := os.ReadFile(filepath.Join(dir, currentFile))
	if errors.Is(err, os.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("open index: %w", err)
	}
	gen := strings.TrimSpace(string(b))
	if !strings.HasPrefix(gen, genPrefix) || strings.ContainsAny(gen, `/\`) {
		return "", fmt.Errorf("open index: %s names no index generation: %q", currentFile, gen)
	}
	return gen, nil
}

// writeCurrent atomically points CURRENT at gen: write a temporary file,
// sync it, rename it over CURRENT, sync the directory.
func writeCurrent(dir, gen string) error {
	return writeAtomic(dir, currentFile, []byte(gen+"\n"))
}

// writeAtomic replaces dir/name with data, durably: a crash leaves the
// old file or the new one.
func writeAtomic(dir, name string, data []byte) error {
	tmp := filepath.Join(dir, name+".tmp")
	f, err := os.Create(tmp)
	if err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, filepath.Join(dir, name))
	}
	if err == nil {
		err = syncDir(dir)
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	return nil
}

// sourcesFile, in an index directory, names the inputs its live
// generation was built from (Input.Source), so that a command given no
// articles of its own reads the index's instead of rebuilding it from the
// default seeds (RecordedSources).
const sourcesFile = "SOURCES"

// RecordedSources returns the sources (Input.Source) the live index in
// dir was built from, or nil when dir holds no index or its builder
// recorded none. It reads a small file and takes no lock.
func RecordedSources(dir string) ([]string, error) {
	b, err := os.ReadFile(filepath.Join(dir, sourcesFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", sourcesFile, err)
	}
	var sources []string
	for line := range strings.Lines(string(b)) {
		if line = strings.TrimRight(line, "\n"); line != "" {
			sources = append(sources, line)
		}
	}
	return sources, nil
}

// writeSources records the inputs' sources for RecordedSources, or
// removes an old record when some input has none.
func writeSources(dir string, inputs []Input) error {
	var b strings.Builder
	for _, in := range inputs {
		if in.Source == "" || strings.Contains(in.Source, "\n") {
			err := os.Remove(filepath.Join(dir, sourcesFile))
			if errors.Is(err, fs.ErrNotExist) {
				err = nil
			}
			return err
		}
		b.WriteString(in.Source + "\n")
	}
	return writeAtomic(dir, sourcesFile, []byte(b.String()))
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// lockDirWait is lockDir, retried for up to wait while the holder is no
// server (lockHolder): two searches from a script's loop take turns
// instead of the second failing.
func lockDirWait(ctx context.Context, dir string, wait time.Duration, logger *slog.Logger) (_ *os.File, waited bool, _ error) {
	deadline := time.Now().Add(wait)
	logged := false
	for {
		f, err := lockDir(dir)
		var held *lockedError
		if !errors.As(err, &held) || held.server || time.Now().After(deadline) {
			return f, logged, err
		}
		if !logged {
			logger.Warn("waiting for another process to let the index go", "index_dir", dir, "pid", held.pid, "command", held.command)
			logged = true
		}
		select {
		case <-ctx.Done():
			return nil, logged, ctx.Err()
		case <-time.After(25 * time.Millisecond):
		}
	}
}

// lockedError is ErrLocked with what is known of the holder.
type lockedError struct {
	pid, command string
	server       bool // the holder is `newsearch serve`
}

func (e *lockedError) Error() string {
	switch {
	case e.pid == "":
		return ErrLocked.Error()
	case e.command == "":
		return fmt.Sprintf("%s (pid %s); stop it or choose another directory", ErrLocked, e.pid)
	}
	return fmt.Sprintf("%s (pid %s: %s); stop it or choose another directory", ErrLocked, e.pid, e.command)
}

func (e *lockedError) Is(target error) bool { return target == ErrLocked }

// IsServerLock reports whether err is ErrLocked by a running server.
func IsServerLock(err error) bool {
	var held *lockedError
	return errors.As(err, &held) && held.server
}

// lockHolder reads what the process pid runs (Linux: /proc), and whether
// it is a newsearch server.
func lockHolder(pid string) (command string, server bool) {
	n, err := strconv.Atoi(pid)
	if err != nil {
		return "", false
	}
	if n == os.Getpid() {
		// This process holds it already (an index opened twice, as
		// tests do): it is as good as a server's.
		return "this process", true
	}
	b, err := os.ReadFile("/proc/" + pid + "/cmdline")
	if err != nil {
		return "", false
	}
	args := strings.Split(strings.TrimRight(string(b), "\x00"), "\x00")
	for i, a := range args {
		if i > 0 && (a == "serve" || a == "search" || a == "index") {
			return filepath.Base(args[0]) + " " + a, a == "serve"
		}
	}
	return strings.Join(args, " "), false
}

// lockDir takes an exclusive, non-blocking flock on dir/LOCK and writes our
// pid into it, so a second process fails at once with a message naming the
// holder instead of waiting on bleve's own lock.
func lockDir(dir string) (*os.File, error) {
	f, err := os.OpenFile(filepath.Join(dir, lockFile), os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		holder, _ := io.ReadAll(io.LimitReader(f, 32))
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			held := &lockedError{pid: strings.TrimSpace(string(holder))}
			held.command, held.server = lockHolder(held.pid)
			return nil, held
		}
		return nil, err
	}
	if err := f.Truncate(0); err == nil {
		f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	return f, nil
}

// Close closes the index and releases the directory. Searches in flight
// finish first.
func (x *Index) Close() error {
	x.bgCancel() // a background reindex stops and removes its partial generation
	x.bgWG.Wait()
	x.writeMu.Lock()
	defer x.writeMu.Unlock()
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.closed {
		return nil
	}
	x.closed = true
	var err error
	if x.bi != nil {
		err = x.bi.Close()
	}
	if jerr := x.jr.close(); err == nil {
		err = jerr
	}
	x.lock.Close() // releases the flock
	return err
}

// reader returns the live bleve index with the read lock held; call the
// returned func when done.
func (x *Index) reader() (bleve.Index, func(), error) {
	x.mu.RLock()
	if x.closed {
		x.mu.RUnlock()
		return nil, nil, ErrClosed
	}
	if x.bi == nil {
		err := x.broken
		x.mu.RUnlock()
		return nil, nil, fmt.Errorf("%w: %v", ErrNotReady, err)
	}
	return x.bi, x.mu.RUnlock, nil
}

// DocCount returns the number of articles in the index, or ErrNotReady
// when its directory is no longer the one it opened (dirHeld).
func (x *Index) DocCount() (uint64, error) {
	if err := x.dirHeld(); err != nil {
		return 0, err
	}
	bi, done, err := x.reader()
	if err != nil {
		return 0, err
	}
	defer done()
	return bi.DocCount()
}

// dirHeld returns ErrNotReady and ErrDirLost when the index directory's LOCK is not the
// file this process locked: the directory was removed (or replaced) under
// it, so writes fail and another process could take the directory. The
// server then reports itself not ready instead of healthy.
func (x *Index) dirHeld() error {
	fi, err := os.Stat(filepath.Join(x.dir, lockFile))
	if err == nil {
		var held os.FileInfo
		if held, err = x.lock.Stat(); err == nil && os.SameFile(fi, held) {
			return nil
		}
	}
	return fmt.Errorf("%w: %w (%s)", ErrNotReady, ErrDirLost, x.dir)
}

// Stats describes the live index and what this process did with it.
type Stats struct {
	Generation string
	Articles   uint64    // documents in the index now
	DiskBytes  int64     // size of the live generation on disk
	BuiltAt    time.Time // when the live generation was built
	Build      BuildStats
	Opens      uint64 // indexes opened by this process (reused or built)
	Rebuilds   uint64 // indexes built by this process
	// Searches answered from the query cache, and those that were not.
	CacheHits, CacheMisses uint64
}

// Stats reports the live index's size and provenance. It walks the index
// directory, so it costs a few hundred stat calls: fine for a metrics
// scrape, not for every request.
func (x *Index) Stats() (Stats, error) {
	if err := x.dirHeld(); err != nil {
		return Stats{}, err
	}
	bi, done, err := x.reader()
	if err != nil {
		return Stats{}, err
	}
	defer done()
	n, err := bi.DocCount()
	if err != nil {
		return Stats{}, err
	}
	st := Stats{
		Generation: x.gen,
		Articles:   n,
		DiskBytes:  dirSize(filepath.Join(x.dir, x.gen)),
		BuiltAt:    x.meta.BuiltAt,
		Build:      x.meta.Stats,
		Opens:      x.opens.Load(),
		Rebuilds:   x.rebuilds.Load(),
	}
	if x.cache != nil {
		st.CacheHits, st.CacheMisses = x.cache.hits.Load(), x.cache.misses.Load()
	}
	return st, nil
}

// dirSize sums the sizes of the files below dir; files vanishing under a
// concurrent merge are skipped.
func dirSize(dir string) int64 {
	var n int64
	filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if fi, err := d.Info(); err == nil {
				n += fi.Size()
			}
		}
		return nil
	})
	return n
}
