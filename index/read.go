package index

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

const (
	// maxLineBytes caps one JSON Lines record. A 1 MiB body fits even when
	// every character is escaped; anything longer is skipped without being
	// held in memory.
	maxLineBytes = 4 << 20
	// readBufferBytes is the bufio buffer for JSON Lines files: large
	// enough that most records are read without copying.
	readBufferBytes = 64 << 10
	// fingerprintVersion starts every Fingerprint. Change it when the way
	// files are turned into articles changes, so indexes built by the old
	// rules count as stale.
	fingerprintVersion = "newsearch-articles-v1"
)

// Log attribute keys used by Reader.
const (
	logKeyFile     = "file"
	logKeyLine     = "line"
	logKeyRecord   = "record"
	logKeyReason   = "reason"
	logKeyArticles = "articles"
	logKeySkipped  = "skipped"
	logKeyDuration = "duration"
)

// ReadStats counts what a Reader has read so far.
type ReadStats struct {
	Files    int // article files opened (.txt, .jsonl, .jsonl.gz)
	Articles int // articles passed to yield
	Skipped  int // problems: bad records, bad sidecar entries, unreadable files
	SignOffs int // sign-off lines dropped from bodies (signoff.go)
	// CutShort counts the files whose reading stopped before their end
	// (a truncated or corrupt .gz): their later articles are missing.
	CutShort int
}

// Problem describes one bad record, file or sidecar entry. Record is the
// 1-based line number of a JSON Lines record; Line is a line in a text
// article or in meta.json. Both are zero when the problem concerns the whole
// file. Unwrap returns the underlying error, a *FieldError when Prepare
// rejected the article, so errors.Is(p, ErrInvalidArticle) tells validation
// failures from unreadable input.
type Problem struct {
	File   string // as named by Input.Label, e.g. "seeds/corpus.jsonl"
	Line   int
	Record int
	Reason string

	err error
}

// Error returns a message such as "seeds/corpus.jsonl: record 17: missing id"
// or "seeds/x.txt: line 3: not valid UTF-8".
func (p *Problem) Error() string {
	switch {
	case p.Record > 0:
		return p.File + ": record " + strconv.Itoa(p.Record) + ": " + p.Reason
	case p.Line > 0:
		return p.File + ": line " + strconv.Itoa(p.Line) + ": " + p.Reason
	}
	return p.File + ": " + p.Reason
}

// Unwrap returns the error that caused the problem, if any.
func (p *Problem) Unwrap() error { return p.err }

// problemFor turns an error from Prepare or parseDate into a Problem.
func problemFor(err error) *Problem {
	var fe *FieldError
	if errors.As(err, &fe) {
		return &Problem{Reason: fe.Field + ": " + fe.Reason, err: err}
	}
	return &Problem{Reason: err.Error(), err: err}
}

// Reader reads articles from Inputs: plain-text articles (*.txt, with an
// optional meta.json sidecar per directory, see below) and JSON Lines
// corpora (*.jsonl, *.jsonl.gz). Every article goes through Prepare.
//
// A Reader remembers the ids of all articles read through it, across
// inputs, and reports a repeated id as a problem naming where it was first
// seen. A problem (a bad record, a bad sidecar entry, an unreadable file, a
// corrupt gzip stream) is by default logged at Warn, counted in
// Stats().Skipped and skipped; a corrupt stream ends that file but not the
// others. A strict Reader instead stops at the first problem and returns it
// (errors.As finds the *Problem).
//
// JSON Lines records are objects with the string fields "id", "title",
// "body", "date" ("YYYY-MM-DD", RFC 3339 or empty), "source", "lang" and
// "url"; other fields are ignored. Blank lines are skipped. Record numbers
// are line numbers.
//
// A meta.json sidecar in a directory of .txt files is an object keyed by
// file name whose values may set "title", "date", "source", "url" and
// "lang" and explain them in "note". Its values fill in what the text
// lacks and override what the text gave: the sidecar is where a person
// corrects the scrape. It is validated strictly (see parseSidecar).
//
// A Reader is not safe for concurrent use.
type Reader struct {
	logger *slog.Logger
	strict bool
	stats  ReadStats

	seen  map[string]idOrigin // every id read, and where
	files []string            // file names, indexed by idOrigin.file

	lines lineReader // reused between JSON Lines files

	signOffs signOffs // learnt from the articles read so far
}

// idOrigin is where an id was first read.
type idOrigin struct {
	file   int // index into Reader.files
	record int // record number in a JSON Lines file, 0 for a text article
}

// NewReader returns a Reader that logs problems to logger (nil discards
// them) and, when strict is set, stops at the first problem.
func NewReader(logger *slog.Logger, strict bool) *Reader {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Reader{logger: logger, strict: strict, seen: make(map[string]idOrigin)}
}

// Stats returns what the Reader has read so far, over all inputs.
func (r *Reader) Stats() ReadStats { return r.stats }

// signOffsLearnt returns the sign-offs the Reader has learnt, for the
// generation it builds (signOffsKey).
func (r *Reader) signOffsLearnt() []byte { return r.signOffs.encode() }

// Read reads every article file under in.Path, or in.Path itself when it
// is a file, in lexical order (directories are walked recursively; names
// starting with a dot are skipped) and calls yield with each prepared
// Article. An error from yield stops reading and is returned as is, as is
// the context's error when ctx ends; ctx is checked between records.
//
// A missing in.Path, or a file of a kind Read does not know, is an error
// even for a Reader that is not strict: nothing could be read from it.
func (r *Reader) Read(ctx context.Context, in Input, yield func(Article) error) error {
	files, err := listFiles(in)
	if err != nil {
		return err
	}
	sidecars := make(map[string]map[string]*sidecarEntry) // by directory
	for _, f := range files {
		if err := ctx.Err(); err != nil {
			return err
		}
		name := displayName(in, f.path)
		if f.err != nil {
			if err := r.problem(&Problem{File: name, Reason: errReason(f.err), err: f.err}); err != nil {
				return err
			}
			continue
		}
		dir, base := path.Split(f.path)
		if base == sidecarName {
			if _, ok := sidecars[dir]; !ok {
				if err := r.loadSidecar(in, dir, sidecars); err != nil {
					return err
				}
			}
			continue
		}
		r.stats.Files++
		start, before := time.Now(), r.stats
		if strings.HasSuffix(base, ".txt") {
			if _, ok := sidecars[dir]; !ok {
				if err := r.loadSidecar(in, dir, sidecars); err != nil {
					return err
				}
			}
			err = r.readText(in, f.path, name, sidecars[dir][base], yield)
		} else {
			err = r.readJSONLFile(ctx, in, f.path, name, yield)
		}
		if err != nil {
			return err
		}
		r.logger.Debug("read article file", logKeyFile, name,
			logKeyArticles, r.stats.Articles-before.Articles,
			logKeySkipped, r.stats.Skipped-before.Skipped,
			"sign_offs", r.stats.SignOffs-before.SignOffs,
			logKeyDuration, time.Since(start))
	}
	return nil
}

// problem records p: in strict mode it is returned, otherwise logged,
// counted and nil returned.
func (r *Reader) problem(p *Problem) error {
	r.stats.Skipped++
	if r.strict {
		return p
	}
	attrs := []any{logKeyFile, p.File}
	switch {
	case p.Record > 0:
		attrs = append(attrs, logKeyRecord, p.Record)
	case p.Line > 0:
		attrs = append(attrs, logKeyLine, p.Line)
	}
	r.logger.Warn("skipped bad article input", append(attrs, logKeyReason, p.Reason)...)
	return nil
}

// accept checks that a is new, records its id and passes it to yield.
func (r *Reader) accept(a Article, name string, record int, yield func(Article) error) error {
	if first, dup := r.seen[a.ID]; dup {
		where := r.files[first.file]
		if first.record > 0 {
			where += " record " + strconv.Itoa(first.record)
		}
		return r.problem(&Problem{File: name, Record: record,
			Reason: fmt.Sprintf("duplicate id %q (first in %s)", a.ID, where)})
	}
	if len(r.files) == 0 || r.files[len(r.files)-1] != name {
		r.files = append(r.files, name)
	}
	r.seen[a.ID] = idOrigin{file: len(r.files) - 1, record: record}
	var dropped int
	a.Body, dropped = r.signOffs.strip(a.Source, a.Body, a.Title != "" && !a.TitleDerived)
	r.stats.SignOffs += dropped
	if err := yield(a); err != nil {
		return err
	}
	r.stats.Articles++
	return nil
}

// loadSidecar reads dir's meta.json, if any, into sidecars[dir].
func (r *Reader) loadSidecar(in Input, dir string, sidecars map[string]map[string]*sidecarEntry) error {
	sidecars[dir] = nil
	file := path.Join(dir, sidecarName)
	name := displayName(in, file)
	data, err := readFile(in.FS, file, maxSidecarBytes)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return r.problem(&Problem{File: name, Reason: errReason(err), err: err})
	}
	texts := make(map[string]bool)
	if entries, err := fs.ReadDir(in.FS, path.Clean(dir)); err == nil {
		for _, e := range entries {
			if !e.IsDir() && isText(e.Name()) {
				texts[e.Name()] = true
			}
		}
	}
	entries, problems := parseSidecar(data, func(n string) bool { return texts[n] })
	for _, p := range problems {
		p.File = name
		if err := r.problem(p); err != nil {
			return err
		}
	}
	sidecars[dir] = entries
	return nil
}

// readText reads one plain-text article.
func (r *Reader) readText(in Input, file, name string, meta *sidecarEntry, yield func(Article) error) error {
	data, err := readFile(in.FS, file, maxTextFileBytes)
	if err != nil {
		return r.problem(&Problem{File: name, Reason: errReason(err), err: err})
	}
	a, p := parseText(strings.TrimSuffix(path.Base(file), ".txt"), data)
	if p != nil {
		p.File = name
		return r.problem(p)
	}
	if meta != nil {
		meta.apply(&a)
	}
	a, err = Prepare(a)
	if err != nil {
		p := problemFor(err)
		p.File = name
		return r.problem(p)
	}
	if _, taken := r.seen[a.ID]; taken {
		// Archives sorted into folders repeat names (2024/01.txt,
		// 2025/01.txt): a text whose name an earlier one took has its
		// folders in its id (2025-01), where it had been dropped as a
		// duplicate.
		rel := strings.TrimPrefix(strings.TrimSuffix(file, ".txt"), strings.TrimSuffix(in.Path, "/")+"/")
		if id := strings.ReplaceAll(rel, "/", "-"); id != a.ID && ValidID(id) == nil {
			a.ID = id
		}
	}
	return r.accept(a, name, 0, yield)
}

// readJSONLFile opens a JSON Lines file, gunzipping *.gz, and reads it.
func (r *Reader) readJSONLFile(ctx context.Context, in Input, file, name string, yield func(Article) error) error {
	f, err := in.FS.Open(file)
	if err != nil {
		return r.problem(&Problem{File: name, Reason: errReason(err), err: err})
	}
	defer f.Close()
	var src io.Reader = f
	if strings.HasSuffix(file, ".gz") {
		zr, err := gzip.NewReader(f)
		if err != nil {
			if errors.Is(err, io.ErrUnexpectedEOF) {
				r.stats.CutShort++ // cut inside its header
			}
			reason := errReason(err)
			if err == io.EOF {
				reason = "empty file"
			}
			if !strings.HasPrefix(reason, "gzip: ") {
				reason = "gzip: " + reason
			}
			return r.problem(&Problem{File: name, Reason: reason, err: err})
		}
		defer zr.Close()
		src = zr
	}
	return r.readJSONL(ctx, src, name, yield)
}

// Record is one article in the corpus format, as JSON Lines records and
// the write API carry it: every field a string, the date unparsed.
type Record struct {
	ID     string `json:"id"`
	Title  string `json:"title"`
	Body   string `json:"body"`
	Date   string `json:"date"`
	Source string `json:"source"`
	Lang   string `json:"lang"`
	URL    string `json:"url"`
}

// readJSONL reads JSON Lines from src, a file named name in messages.
func (r *Reader) readJSONL(ctx context.Context, src io.Reader, name string, yield func(Article) error) error {
	lr := &r.lines
	lr.reset(src)
	for n := 1; ; n++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		line, err := lr.next()
		if err == io.EOF {
			return nil
		}
		if err == errLineTooLong {
			if err := r.problem(&Problem{File: name, Record: n, Reason: fmt.Sprintf("line too long (more than %d bytes)", maxLineBytes)}); err != nil {
				return err
			}
			continue
		}
		if err != nil {
			// A read error (a corrupt gzip stream) loses our place in
			// the file: report it and go on with the next file.
			r.stats.CutShort++
			return r.problem(&Problem{File: name, Record: n, Reason: "reading stopped: " + errReason(err), err: err})
		}
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		a, p := decodeRecord(line)
		if p == nil {
			var err error
			if a, err = prepare(a, true); err != nil { // decodeRecord checked the UTF-8
				p = problemFor(err)
			}
		}
		if p != nil {
			p.File, p.Record = name, n
			if err := r.problem(p); err != nil {
				return err
			}
			continue
		}
		if err := r.accept(a, name, n, yield); err != nil {
			return err
		}
	}
}

// DecodeArticle decodes one record in the JSON Lines corpus format (see
// Reader; fields other than ours are ignored) and validates it with
// Prepare, exactly as the loader does. The error is a *Problem whose
// Reason reads like the loader's ("missing id", "title: not valid UTF-8")
// with File and Record left empty; it wraps ErrInvalidArticle. With an
// error, the Article holds only the record's id, when it had one, so that
// the caller can say which article was refused.
func DecodeArticle(line []byte) (Article, error) {
	a, p := decodeRecord(line)
	if p == nil {
		prepared, err := prepare(a, true)
		if err == nil {
			return prepared, nil
		}
		p = problemFor(err)
	}
	id := a.ID
	if len(id) > maxIDBytes || !utf8.ValidString(id) {
		id = ""
	}
	if !errors.Is(p.err, ErrInvalidArticle) {
		p.err = ErrInvalidArticle
	}
	return Article{ID: id}, p
}

// DecodeLines reads articles in the JSON Lines corpus format from r, one
// per line, as the loader reads a corpus file, but without stopping at bad
// records: fn gets each non-blank line's 1-based number and either its
// prepared article or the problem with it (a *Problem, see
// DecodeArticle; a line over 4 MiB is one too). fn's error stops the read
// and is returned, as is a read error (an *http.MaxBytesError, say).
func DecodeLines(ctx context.Context, r io.Reader, fn func(line int, a Article, err error) error) error {
	var lr lineReader
	lr.reset(r)
	for n := 1; ; n++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		line, err := lr.next()
		switch {
		case err == io.EOF:
			return nil
		case err == errLineTooLong:
			err = fn(n, Article{}, &Problem{Record: n, Reason: fmt.Sprintf("line too long (more than %d bytes)", maxLineBytes), err: ErrInvalidArticle})
		case err != nil:
			return err
		case len(bytes.TrimSpace(line)) == 0:
			continue
		default:
			a, derr := DecodeArticle(line)
			err = fn(n, a, derr)
		}
		if err != nil {
			return err
		}
	}
}

// utf8BOM is the byte order mark some editors write at a UTF-8 file's
// start; a JSON Lines file or bulk body may begin with it, and
// lineReader.reset skips it.
var utf8BOM = []byte("\uFEFF")

// decodeRecord decodes one JSON Lines record into an Article before
// Prepare. Problems have File and Record left for the caller.
func decodeRecord(line []byte) (Article, *Problem) {
	// encoding/json would quietly turn invalid UTF-8 into U+FFFD.
	if !utf8.Valid(line) {
		return Article{}, &Problem{Reason: fmt.Sprintf("not valid UTF-8 (byte %d)", InvalidUTF8At(line))}
	}
	var rec Record
	if !decodeRecordFast(line, &rec) {
		rec = Record{} // what the fast path filled in before it gave up
		if err := json.Unmarshal(line, &rec); err != nil {
			return Article{}, &Problem{Reason: jsonReason(err, "an object"), err: err}
		}
	}
	if rec.ID == "" {
		return Article{}, &Problem{Reason: "missing id"}
	}
	a, err := rec.Article()
	if err != nil {
		return Article{ID: rec.ID}, problemFor(err) // the id, for DecodeArticle's caller
	}
	return a, nil
}

// Article converts the record, parsing its date as the loader does (empty:
// no date); it does not validate the rest, which is Prepare's work.
func (rec Record) Article() (Article, error) {
	date, err := parseDate(rec.Date)
	if err != nil {
		return Article{}, err
	}
	return Article{
		ID:     rec.ID,
		Title:  rec.Title,
		Body:   rec.Body,
		Date:   date,
		Source: rec.Source,
		Lang:   rec.Lang,
		URL:    rec.URL,
	}, nil
}

// errLineTooLong is returned by lineReader.next for a line over its cap;
// the line has been skipped.
var errLineTooLong = errors.New("line too long")

// lineReader reads lines of any length up to maxLineBytes without holding
// more than one line in memory.
type lineReader struct {
	br  *bufio.Reader
	buf []byte // a line that did not fit in br's buffer
}

func (l *lineReader) reset(r io.Reader) {
	if l.br == nil {
		l.br = bufio.NewReaderSize(r, readBufferBytes)
	} else {
		l.br.Reset(r)
	}
	if start, err := l.br.Peek(len(utf8BOM)); err == nil && bytes.Equal(start, utf8BOM) {
		l.br.Discard(len(utf8BOM))
	}
	if cap(l.buf) > readBufferBytes*4 {
		l.buf = nil // do not keep a huge line's buffer alive
	}
}

// next returns the next line without its newline, valid until the next
// call; io.EOF at the end; errLineTooLong for a line longer than
// maxLineBytes, which is skipped; or the underlying read error.
func (l *lineReader) next() ([]byte, error) {
	l.buf = l.buf[:0]
	tooLong := false
	for {
		chunk, err := l.br.ReadSlice('\n')
		switch {
		case tooLong:
		case len(l.buf)+len(chunk) > maxLineBytes+1: // +1 for the newline
			tooLong = true
		case err == nil && len(l.buf) == 0:
			return trimNewline(chunk), nil // the common case: no copy
		default:
			l.buf = append(l.buf, chunk...)
		}
		switch err {
		case nil:
		case bufio.ErrBufferFull:
			continue
		case io.EOF:
			if tooLong {
				return nil, errLineTooLong
			}
			if len(l.buf) == 0 {
				return nil, io.EOF
			}
		default:
			return nil, err
		}
		if tooLong {
			return nil, errLineTooLong
		}
		return trimNewline(l.buf), nil
	}
}

func trimNewline(b []byte) []byte {
	b = bytes.TrimSuffix(b, []byte{'\n'})
	return bytes.TrimSuffix(b, []byte{'\r'})
}

// ReadSeeds reads every article under fsys with a strict Reader: the
// one-call form for small seed sets, where any problem is a mistake to fix.
func ReadSeeds(fsys fs.FS) ([]Article, error) {
	var articles []Article
	err := NewReader(nil, true).Read(context.Background(), Input{FS: fsys, Path: "."}, func(a Article) error {
		articles = append(articles, a)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read seeds: %w", err)
	}
	return articles, nil
}

// Fingerprint returns a hex SHA-256 over the names (relative to each
// Input.Path), sizes and contents of every file Read would consume from
// inputs, in order: article files and meta.json sidecars. Equal files give
// equal fingerprints; changing, adding, removing or renaming a file changes
// it, and so does a new version of the rules that turn files into articles
// (fingerprintVersion). The index uses it to tell whether it was built from
// the inputs it is given. A file the process may not open counts as its
// name and that fact, as Read skips it: it had failed the build after all
// its articles were read. Unlike Read, it fails on any other file it
// cannot read.
func Fingerprint(inputs []Input) (string, error) {
	h := sha256.New()
	io.WriteString(h, fingerprintVersion+"\n")
	var size [8]byte
	err := walkInputs(inputs, func(i, files int) { fmt.Fprintf(h, "input %d %d\n", i, files) },
		func(in Input, file string) error {
			err := hashFile(h, in.FS, file, relName(in, file), size[:])
			if errors.Is(err, fs.ErrPermission) {
				io.WriteString(h, relName(in, file)+"\x00unreadable\x00")
				return nil
			}
			return err
		})
	if err != nil {
		return "", fmt.Errorf("fingerprint: %w", err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// CountFiles returns how many article files (*.txt, *.jsonl, *.jsonl.gz)
// the inputs hold, as Read would read them.
func CountFiles(inputs []Input) (int, error) {
	n := 0
	err := walkInputs(inputs, func(_, files int) { n += files }, func(Input, string) error { return nil })
	return n, err
}

// walkInputs calls input with each input's number and count of files, then
// file with each file Read would consume from it, in order, and stops at
// the first failure: a listing's, or file's, named by the file.
func walkInputs(inputs []Input, input func(i, files int), file func(in Input, file string) error) error {
	for i, in := range inputs {
		files, err := listFiles(in)
		if err != nil {
			return err
		}
		// A pipe or a link to nothing is never read: not an input's file.
		files = slices.DeleteFunc(files, func(f listedFile) bool {
			return errors.Is(f.err, errNotRegular) || errors.Is(f.err, errDanglingLink)
		})
		input(i, len(files))
		for _, f := range files {
			err := f.err
			if err == nil {
				err = file(in, f.path)
			}
			if err != nil {
				return fmt.Errorf("%s: %w", displayName(in, f.path), err)
			}
		}
	}
	return nil
}

// hashFile writes name, then the size and contents of file, to h. The size
// goes first so that no two sequences of files hash the same bytes.
func hashFile(h io.Writer, fsys fs.FS, file, name string, size []byte) error {
	f, err := fsys.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	io.WriteString(h, name+"\x00")
	binary.BigEndian.PutUint64(size, uint64(fi.Size()))
	h.Write(size)
	n, err := io.Copy(h, f)
	if err != nil {
		return err
	}
	if n != fi.Size() {
		return fmt.Errorf("size changed while reading (%d bytes, then %d)", fi.Size(), n)
	}
	return nil
}

// inputStamp returns the names, sizes and modification times of every
// file Fingerprint would hash, or an error if one cannot be listed or
// stated. A build that hashes its inputs after reading them compares the
// stamps from before and after: a file written meanwhile may have been
// read and hashed in two states.
func inputStamp(inputs []Input) (string, error) {
	var b strings.Builder
	err := walkInputs(inputs, func(i, files int) { fmt.Fprintf(&b, "input %d %d\n", i, files) },
		func(in Input, file string) error {
			fi, err := fs.Stat(in.FS, file)
			if err == nil {
				fmt.Fprintf(&b, "%q %d %d\n", file, fi.Size(), fi.ModTime().UnixNano())
			}
			return err
		})
	return b.String(), err
}

// errNotRegular is a listed file's error when it is a named pipe, a
// socket or a device: Read skips it, and Fingerprint leaves it out.
var errNotRegular = errors.New("not a regular file (a named pipe, socket or device)")

// errDanglingLink is a listed file's error when it is a symbolic link to
// nothing: Read skips it, and Fingerprint leaves it out; it had failed the
// whole build.
var errDanglingLink = errors.New("a symbolic link to nothing")

// listedFile is a file Read will consume, or a directory it could not list.
type listedFile struct {
	path string
	err  error
}

// listFiles returns the files Read consumes for in, in the order it reads
// them: article files and meta.json sidecars, in lexical order. For a
// single .txt file that is its directory's meta.json, if any, then the file.
func listFiles(in Input) ([]listedFile, error) {
	if in.FS == nil {
		return nil, fmt.Errorf("read %s: no file system", inputName(in))
	}
	root := in.Path
	if root == "" {
		root = "."
	}
	fi, err := fs.Stat(in.FS, root)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", inputName(in), err)
	}
	if !fi.IsDir() {
		if !isArticleFile(root) {
			return nil, fmt.Errorf("read %s: not an article file (*.txt, *.jsonl, *.jsonl.gz)", inputName(in))
		}
		if !fi.Mode().IsRegular() {
			return nil, fmt.Errorf("read %s: %w", inputName(in), errNotRegular)
		}
		var files []listedFile
		if isText(root) {
			meta := path.Join(path.Dir(root), sidecarName)
			if _, err := fs.Stat(in.FS, meta); err == nil {
				files = append(files, listedFile{path: meta})
			}
		}
		return append(files, listedFile{path: root}), nil
	}
	var files []listedFile
	err = fs.WalkDir(in.FS, root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == root {
				return err
			}
			files = append(files, listedFile{path: p, err: err})
			return nil
		}
		if p != root && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if !d.IsDir() && (isArticleFile(p) || d.Name() == sidecarName) {
			f := listedFile{path: p}
			if !d.Type().IsRegular() {
				// A symbolic link is read when it leads to a file; a
				// named pipe, a socket or a device never is: opening a
				// pipe no one writes to had hung the build for good.
				if fi, err := fs.Stat(in.FS, p); errors.Is(err, fs.ErrNotExist) {
					f.err = errDanglingLink
				} else if err != nil {
					f.err = err
				} else if !fi.Mode().IsRegular() {
					f.err = errNotRegular
				}
			}
			files = append(files, f)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", inputName(in), err)
	}
	return files, nil
}

func isText(name string) bool { return strings.HasSuffix(name, ".txt") }

func isArticleFile(name string) bool {
	return isText(name) || strings.HasSuffix(name, ".jsonl") || strings.HasSuffix(name, ".jsonl.gz")
}

// inputName is how messages name in as a whole.
func inputName(in Input) string {
	if in.Label != "" {
		return in.Label
	}
	if in.Path == "" {
		return "."
	}
	return in.Path
}

// relName is file, a path inside in.FS, relative to in.Path: "." when it
// is in.Path itself.
func relName(in Input, file string) string {
	root := path.Clean(in.Path)
	switch {
	case root == file:
		return "."
	case root == ".":
		return file
	}
	return strings.TrimPrefix(file, root+"/")
}

// displayName is how messages name file, a path inside in.FS: relative to
// in.Path and prefixed with in.Label ("seeds/corpus.jsonl").
func displayName(in Input, file string) string {
	rel := relName(in, file)
	switch {
	case rel == ".":
		return inputName(in)
	case in.Label == "" && path.Clean(in.Path) == ".":
		return rel
	}
	return path.Join(inputName(in), rel)
}

// readFile reads file whole, failing when it is larger than limit.
func readFile(fsys fs.FS, file string, limit int64) ([]byte, error) {
	f, err := fsys.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("larger than %d bytes", limit)
	}
	return data, nil
}

// errReason words a file error for a Problem without repeating the path.
func errReason(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Op + ": " + pe.Err.Error()
	}
	return err.Error()
}
