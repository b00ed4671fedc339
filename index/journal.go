package index

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// The journal is an append-only log of the writes made through Add and
// Delete, one JSON object per line, in the data directory next to the index
// generations:
//
//	{"seq":17,"op":"put","article":{"id":"a1","title":"…","body":"…","date":"2026-02-01",…}}
//	{"seq":18,"op":"delete","id":"a1"}
//
// It is what makes written articles outlive the index they were written
// into: a rebuild (a new mapping version, changed inputs, POST /api/reindex)
// reads the configured inputs and then replays the whole journal, so a
// correction made over HTTP is never undone by a rebuild. And it closes the
// window between the journal and bleve: every bleve batch records, in the
// same atomic batch, the seq of the last journal entry it applied, and Open
// replays whatever entries came after it.
//
// Writes are ordered journal first: the entries are appended and fsynced,
// then applied to bleve, whose batch returns only once persisted. A crash
// after the fsync replays the entries on the next Open; a crash during the
// append leaves a torn last line, which Open cuts off (that write was never
// acknowledged).
const journalFile = "journal.ndjson"

// appliedKey is bleve's internal key holding the seq of the last journal
// entry applied to that generation.
var appliedKey = []byte("newsearch.journal.applied")

// Journal operations.
const (
	opPut    = "put"
	opDelete = "delete"
)

// entry is one journal line.
type entry struct {
	Seq     uint64          `json:"seq"`
	Op      string          `json:"op"`
	ID      string          `json:"id,omitempty"`
	Article *journalArticle `json:"article,omitempty"`
}

// journalArticle is an Article as the journal stores it.
type journalArticle struct {
	ID           string `json:"id"`
	Title        string `json:"title"`
	TitleDerived bool   `json:"title_derived,omitempty"`
	Body         string `json:"body"`
	Date         string `json:"date,omitempty"`
	Source       string `json:"source,omitempty"`
	Lang         string `json:"lang,omitempty"`
	URL          string `json:"url,omitempty"`
}

func toJournal(a *Article) *journalArticle {
	j := &journalArticle{ID: a.ID, Title: a.Title, TitleDerived: a.TitleDerived, Body: a.Body,
		Source: a.Source, Lang: a.Lang, URL: a.URL}
	if !a.Date.IsZero() {
		j.Date = a.Date.UTC().Format(time.DateOnly)
	}
	return j
}

func (j *journalArticle) article() (Article, error) {
	a := Article{ID: j.ID, Title: j.Title, TitleDerived: j.TitleDerived, Body: j.Body,
		Source: j.Source, Lang: j.Lang, URL: j.URL}
	if j.Date != "" {
		d, err := time.Parse(time.DateOnly, j.Date)
		if err != nil {
			return Article{}, fieldErr("date", "%q is not YYYY-MM-DD", j.Date)
		}
		a.Date = d
	}
	if a.TitleDerived {
		// Prepare derives the title again from the body when it is empty;
		// the stored one is the same text.
		return prepare(Article{ID: a.ID, Body: a.Body, Date: a.Date, Source: a.Source, Lang: a.Lang, URL: a.URL}, true)
	}
	return prepare(a, true)
}

// journal appends entries to the journal file. It is not safe for
// concurrent use; Index serialises writers with its writeMu.
type journal struct {
	path string
	f    *os.File // opened on first append
	size int64    // bytes of whole entries in the file, once f is open
	seq  uint64   // seq of the last entry in the file
	buf  bytes.Buffer
	// broken is why an append's failure could not be undone: appends
	// fail until a restart, whose Open cuts the torn tail off.
	broken error
	// write writes to f; tests make it fail part-way, as a full disk does.
	write func(f *os.File, b []byte) (int, error)
}

// openJournal scans the journal in dir for its last seq, cutting off a torn
// last line left by a crash during an append. It does not create the file.
func openJournal(dir string) (*journal, error) {
	j := &journal{path: filepath.Join(dir, journalFile)}
	end, err := scanJournal(j.path, 0, func(e entry) error {
		j.seq = e.Seq
		return nil
	})
	if err != nil {
		return nil, err
	}
	if end >= 0 {
		fi, err := os.Stat(j.path)
		if err != nil {
			return nil, fmt.Errorf("journal: %w", err)
		}
		if fi.Size() > end {
			// A torn tail: the append that wrote it never returned.
			if err := os.Truncate(j.path, end); err != nil {
				return nil, fmt.Errorf("journal: cut torn last entry: %w", err)
			}
		}
	}
	return j, nil
}

// errJournalCorrupt reports a journal line that is not a valid entry before
// the last line, which a crash cannot produce.
var errJournalCorrupt = errors.New("journal corrupt")

// scanJournal calls fn for each entry with seq > after, in order. It returns
// the byte offset just past the last complete, valid entry (-1 when there is
// no journal), so a torn last line can be cut off. A bad line that is not
// the last one is an error: the journal was damaged, not interrupted.
func scanJournal(path string, after uint64, fn func(entry) error) (int64, error) {
	return scanJournalRaw(path, after, func(e entry, _ []byte) error { return fn(e) })
}

// scanJournalRaw is scanJournal, giving fn each entry's line too (valid
// during the call), as compact copies it.
func scanJournalRaw(path string, after uint64, fn func(e entry, line []byte) error) (int64, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return -1, nil
	}
	if err != nil {
		return -1, fmt.Errorf("journal: %w", err)
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 1<<16)
	var (
		off  int64
		line = 0
		prev uint64
		bad  error // a bad line; an error unless it is the last
	)
	for {
		b, err := br.ReadBytes('\n')
		if len(b) == 0 && err == io.EOF {
			break
		}
		if err != nil && err != io.EOF {
			return -1, fmt.Errorf("journal: %w", err)
		}
		line++
		if bad != nil {
			return -1, bad
		}
		if err == io.EOF { // no newline: the append was cut short
			break
		}
		var e entry
		if jerr := json.Unmarshal(b, &e); jerr != nil || e.Seq <= prev || (e.Op != opPut && e.Op != opDelete) {
			bad = fmt.Errorf("%w: %s line %d is not a valid entry; move the file aside to start without it", errJournalCorrupt, path, line)
			continue
		}
		prev = e.Seq
		off += int64(len(b))
		if e.Seq > after {
			if err := fn(e, b); err != nil {
				return -1, err
			}
		}
	}
	return off, nil
}

// append writes entries for the ops with fresh seqs and fsyncs the file.
// It returns the seq of the last one.
//
// An append that fails (a full disk, an I/O error) is undone: the file is
// cut back to its entries before it. A part of a line left behind had the
// next acknowledged entry written onto it, which the next Open cut off as
// a crash's torn tail (a write answered 200 and then lost), or, with more
// entries after it, refused to start on; the whole entries of a failed
// bulk (answered "not indexed") came back on the next Open.
func (j *journal) append(entries []entry) (uint64, error) {
	if j.broken != nil {
		return 0, fmt.Errorf("journal: a failed append could not be undone (restart to recover): %w", j.broken)
	}
	if j.f == nil {
		_, statErr := os.Stat(j.path)
		f, err := os.OpenFile(j.path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
		if err != nil {
			return 0, fmt.Errorf("journal: %w", err)
		}
		if errors.Is(statErr, os.ErrNotExist) {
			if err := syncDir(filepath.Dir(j.path)); err != nil {
				f.Close()
				return 0, fmt.Errorf("journal: %w", err)
			}
		}
		fi, err := f.Stat()
		if err != nil {
			f.Close()
			return 0, fmt.Errorf("journal: %w", err)
		}
		j.f, j.size = f, fi.Size()
	}
	j.buf.Reset()
	seq := j.seq
	enc := json.NewEncoder(&j.buf)
	enc.SetEscapeHTML(false)
	for i := range entries {
		seq++
		entries[i].Seq = seq
		if err := enc.Encode(&entries[i]); err != nil {
			return 0, fmt.Errorf("journal: encode: %w", err)
		}
	}
	write := j.write
	if write == nil {
		write = (*os.File).Write
	}
	n, err := write(j.f, j.buf.Bytes())
	if err == nil {
		err = j.f.Sync()
	}
	if err != nil {
		if cerr := j.cut(j.size); cerr != nil {
			j.broken = cerr
		}
		return 0, fmt.Errorf("journal: %w", err)
	}
	j.size += int64(n)
	j.seq = seq
	if j.buf.Cap() > 1<<20 {
		j.buf = bytes.Buffer{} // do not keep a bulk request's buffer alive
	}
	return seq, nil
}

// journalMark is the journal's end between two appends.
type journalMark struct {
	size int64
	seq  uint64
}

// mark returns the journal's end now, for undo. Before the first append
// opens the file, its end is its size on disk (0 when there is none):
// the entries of earlier processes are before it.
func (j *journal) mark() journalMark {
	if j.f == nil {
		var size int64
		if fi, err := os.Stat(j.path); err == nil {
			size = fi.Size()
		}
		return journalMark{size: size, seq: j.seq}
	}
	return journalMark{size: j.size, seq: j.seq}
}

// undo cuts the journal back to m, dropping the entries appended since:
// their write failed. seqs after m are then given again.
func (j *journal) undo(m journalMark) error {
	if j.f == nil || m.seq == j.seq {
		return nil
	}
	if err := j.cut(m.size); err != nil {
		return fmt.Errorf("journal: undo: %w", err)
	}
	j.size, j.seq = m.size, m.seq
	return nil
}

// cut truncates the open journal file to size bytes, durably.
func (j *journal) cut(size int64) error {
	if err := j.f.Truncate(size); err != nil {
		return err
	}
	return j.f.Sync()
}

func (j *journal) close() error {
	if j.f == nil {
		return nil
	}
	err := j.f.Close()
	j.f = nil
	return err
}

func parseSeq(b []byte) uint64 {
	n, _ := strconv.ParseUint(string(b), 10, 64)
	return n
}

// compact rewrites the journal with only the last entry of each article:
// the one a replay from any point ends on, so a replay of the compacted
// journal, from any seq a generation has applied, leaves every article as
// the whole one did. The entries keep their seqs. Without it every write
// ever made was replayed by every rebuild (100 PUTs of one article and a
// DELETE: 101 entries, found by the operations audit), and the file grew
// without end. The caller holds the writers off (install's writeMu). The
// new file replaces the old by a rename, so a crash leaves one or the
// other, whole.
func (j *journal) compact() (kept, dropped int, err error) {
	lastOf := map[string]uint64{}
	total := 0
	if _, err := scanJournal(j.path, 0, func(e entry) error {
		lastOf[entryID(e)] = e.Seq
		total++
		return nil
	}); err != nil {
		return 0, 0, err
	}
	keep := make(map[uint64]bool, len(lastOf))
	for _, seq := range lastOf {
		keep[seq] = true
	}
	if len(keep) == total {
		return total, 0, nil
	}
	tmp := j.path + ".compact"
	out, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return 0, 0, fmt.Errorf("journal: compact: %w", err)
	}
	defer os.Remove(tmp) // after the rename, nothing
	w := bufio.NewWriterSize(out, 1<<16)
	_, err = scanJournalRaw(j.path, 0, func(e entry, line []byte) error {
		if keep[e.Seq] {
			_, err := w.Write(line)
			return err
		}
		return nil
	})
	if err == nil {
		err = w.Flush()
	}
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return 0, 0, fmt.Errorf("journal: compact: %w", err)
	}
	// Appends go to the new file: the open one is about to be replaced.
	if err := j.close(); err != nil {
		return 0, 0, fmt.Errorf("journal: compact: %w", err)
	}
	if err := os.Rename(tmp, j.path); err != nil {
		return 0, 0, fmt.Errorf("journal: compact: %w", err)
	}
	if err := syncDir(filepath.Dir(j.path)); err != nil {
		return 0, 0, fmt.Errorf("journal: compact: %w", err)
	}
	return len(keep), total - len(keep), nil
}

// entryID is the article an entry writes.
func entryID(e entry) string {
	if e.Article != nil {
		return e.Article.ID
	}
	return e.ID
}
