package index

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sync"

	bleveindex "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
	"github.com/blevesearch/vellum"
)

// The base vocabulary.
//
// The vocabulary (typo tolerance, prefixes, suggestions) needs every word
// of title and body, unstemmed, with the number of articles holding it.
// Articles written over HTTP keep it in the "words" field, but in a build
// that field was the largest single cost: a second full set of postings per
// article, built into every batch's segment and merged again, for counts
// nobody reads per article. Building 108k Reuters articles without it
// took a fifth less CPU and made a 10% smaller index (bench/RESULTS.md).
//
// So a build counts its articles' words itself (bulk.go) and writes them
// once, with their counts, into a vellum FST beside the generation's
// segments: the base vocabulary. The vocabulary of a snapshot is the base
// plus the words fields of the segments: articles written after the build.
// Like the field lengths (bm25.go), the base keeps counting an article a
// write later replaces or deletes, until the next build; a count bounds the
// live articles from above, as zap's dictionaries do until a merge.

// baseVocabFile is the base vocabulary's file in a generation's directory.
const baseVocabFile = "newsearch-vocab"

// baseVocabMagic starts the file; a format change gets a new one.
var baseVocabMagic = []byte("nsvocab1")

// baseVocab is a generation's base vocabulary. It never changes.
type baseVocab struct {
	fst  *vellum.FST
	docs uint64 // the articles of the build

	commonOnce sync.Once
	common     commonTable // its common-word table (common.go)
	walks      segWalks    // its typo walks and prefix counts (expand.go)
}

// baseVocabPath returns the base vocabulary's file of the generation in
// genDir.
func baseVocabPath(genDir string) string { return filepath.Join(genDir, baseVocabFile) }

// writeBaseVocab writes the words c counted, with those of c's runs, to
// the generation in genDir, syncs the file and removes the runs.
func writeBaseVocab(genDir string, c *vocabCounter) error {
	if err := writeVocabFile(genDir, c); err != nil {
		return fmt.Errorf("write vocabulary: %w", err)
	}
	for _, r := range c.runs {
		if err := os.Remove(r); err != nil {
			return fmt.Errorf("write vocabulary: %w", err)
		}
	}
	c.runs = nil
	if err := syncDir(genDir); err != nil {
		return fmt.Errorf("write vocabulary: %w", err)
	}
	return nil
}

func writeVocabFile(genDir string, c *vocabCounter) error {
	if len(c.runs) > 0 && len(c.words) > 0 {
		if err := c.spill(); err != nil {
			return err
		}
	}
	f, err := os.Create(baseVocabPath(genDir))
	if err != nil {
		return err
	}
	defer f.Close()
	// The header's checksum is filled in once the FST is written.
	head := binary.AppendUvarint(slices.Clone(baseVocabMagic), uint64(c.docs))
	at := int64(len(head))
	if _, err := f.Write(append(head, 0, 0, 0, 0)); err != nil {
		return err
	}
	sum := crc32.NewIEEE()
	w := bufio.NewWriter(io.MultiWriter(f, sum))
	if len(c.runs) == 0 {
		err = writeCounts(w, c.words)
	} else {
		err = mergeRuns(w, c.runs)
	}
	if err == nil {
		err = w.Flush()
	}
	if err == nil {
		_, err = f.WriteAt(binary.LittleEndian.AppendUint32(nil, sum.Sum32()), at)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// writeCounts writes words with their article counts as a vellum FST.
func writeCounts(w io.Writer, words map[string]*wordTally) error {
	b, err := vellum.New(w, nil)
	if err != nil {
		return err
	}
	for _, k := range slices.Sorted(maps.Keys(words)) {
		if err := b.Insert([]byte(k), uint64(words[k].articles)); err != nil {
			return err
		}
	}
	return b.Close()
}

// mergeRuns writes the words of the runs as one vellum FST, adding up the
// counts of a word in several.
func mergeRuns(w io.Writer, runs []string) error {
	var its []vellum.Iterator
	for _, r := range runs {
		fst, err := vellum.Open(r)
		if err != nil {
			return err
		}
		defer fst.Close()
		it, err := fst.Iterator(nil, nil)
		if errors.Is(err, vellum.ErrIteratorDone) {
			continue
		}
		if err != nil {
			return err
		}
		its = append(its, it)
	}
	if len(its) == 0 {
		return writeCounts(w, nil)
	}
	return vellum.Merge(w, nil, its, vellum.MergeSum)
}

// errNoBaseVocab: a generation lacks its base vocabulary file.
var errNoBaseVocab = errors.New("base vocabulary missing")

// openBaseVocab reads the base vocabulary of the generation in genDir. A
// missing, truncated or corrupt file is an error: the generation is then
// rebuilt rather than searched with a vocabulary that lacks its articles.
func openBaseVocab(genDir string) (*baseVocab, error) {
	b, err := os.ReadFile(baseVocabPath(genDir))
	if errors.Is(err, os.ErrNotExist) {
		return nil, errNoBaseVocab
	}
	if err != nil {
		return nil, fmt.Errorf("read vocabulary: %w", err)
	}
	return parseBaseVocab(b)
}

func parseBaseVocab(b []byte) (*baseVocab, error) {
	if !bytes.HasPrefix(b, baseVocabMagic) {
		return nil, errors.New("read vocabulary: not a newsearch vocabulary file")
	}
	b = b[len(baseVocabMagic):]
	docs, n := binary.Uvarint(b)
	if n <= 0 || len(b) < n+4 {
		return nil, errors.New("read vocabulary: truncated header")
	}
	sum := binary.LittleEndian.Uint32(b[n:])
	b = b[n+4:]
	if crc32.ChecksumIEEE(b) != sum {
		return nil, errors.New("read vocabulary: checksum mismatch")
	}
	fst, err := vellum.Load(b)
	if err != nil {
		return nil, fmt.Errorf("read vocabulary: %w", err)
	}
	return &baseVocab{fst: fst, docs: docs}, nil
}

// count returns the number of the build's articles holding word.
func (v *baseVocab) count(word []byte) (uint64, error) {
	n, _, err := v.fst.Get(word)
	return n, err
}

// terms iterates the words between start (inclusive) and end (exclusive;
// nil: no end) that a accepts (nil: all), always with their counts, which
// cost nothing to read here (wordDict).
func (v *baseVocab) terms(a segment.Automaton, start, end []byte, _ bool) segment.DictionaryIterator {
	var it *vellum.FSTIterator
	var err error
	if a == nil {
		it, err = v.fst.Iterator(start, end)
	} else {
		it, err = v.fst.Search(a, start, end)
	}
	if errors.Is(err, vellum.ErrIteratorDone) {
		return &fstTerms{}
	}
	return &fstTerms{it: it, err: err}
}

// fstTerms is a DictionaryIterator over a vellum iterator.
type fstTerms struct {
	it    *vellum.FSTIterator // nil: no (more) terms
	err   error
	moved bool // it has been read once: the next call advances
	e     bleveindex.DictEntry
}

func (t *fstTerms) Next() (*bleveindex.DictEntry, error) {
	if t.err != nil || t.it == nil {
		return nil, t.err
	}
	if t.moved {
		if err := t.it.Next(); err != nil {
			t.it = nil
			if errors.Is(err, vellum.ErrIteratorDone) {
				return nil, nil
			}
			t.err = err
			return nil, err
		}
	}
	t.moved = true
	k, n := t.it.Current()
	t.e = bleveindex.DictEntry{Term: string(k), Count: n}
	return &t.e, nil
}

// vocabCounter counts the articles holding each word of a build's title
// and body text, as the words field would have indexed them.
//
// A counter that limits its words spills them, past limit, to a run: a
// vellum FST of the counts so far, in dir. writeBaseVocab merges the runs.
// A word costs the map about 100 bytes; the three news corpora (70k
// articles) have 625k words, an archive of millions of articles millions.
type vocabCounter struct {
	words map[string]*wordTally
	docs  uint32   // articles counted; the last one's number, from 1
	dir   string   // where runs go
	limit int      // words kept before a spill; 0: no limit
	runs  []string // spilled runs
	text  []byte   // scratch: the article's title and body
}

// maxVocabWords is the limit of a build's counters, about 10 MB each.
// Spilling costs little (a run is an FST written in one pass, merged
// once at the end), and Chinese bigrams make large vocabularies (443k
// words for cctv_xwlb, 71k for 108k Reuters articles): with a limit of 2M
// words, cctv_xwlb's build peaked at 843 MB of RSS, with this one at
// 721 MB, writing the same vocabulary file in the same time.
const maxVocabWords = 100_000

// vocabRunPattern names the runs in a generation's directory.
const vocabRunPattern = "newsearch-vocab-run-*"

type wordTally struct {
	articles uint32
	last     uint32 // the last article counted
}

// newVocabCounter returns a counter that spills its runs into dir past
// limit words (0: never).
func newVocabCounter(dir string, limit int) *vocabCounter {
	return &vocabCounter{words: map[string]*wordTally{}, dir: dir, limit: limit}
}

// add counts the words of one article (wordsText). Looking a word up
// converts no bytes to a string; only a new word is copied, so the text
// buffer can be reused although terms may alias it.
func (c *vocabCounter) add(a *Article) {
	c.docs++
	c.text = append(append(append(c.text[:0], a.Title...), '\n'), a.Body...)
	rawAnalyzer.eachTerm(c.text, c.count)
}

// addTerms counts the words of one article as its analysis collected
// them (articleTaps): the words add finds, without a second pass over the
// text.
func (c *vocabCounter) addTerms(parts ...*rawTerms) {
	c.docs++
	for _, p := range parts {
		p.each(c.count)
	}
}

// count counts term for the current article.
func (c *vocabCounter) count(term []byte) {
	w := c.words[string(term)]
	if w == nil {
		c.words[string(term)] = &wordTally{articles: 1, last: c.docs}
	} else if w.last != c.docs {
		w.articles++
		w.last = c.docs
	}
}

// spillIfFull spills c's words to a run when there are more than its
// limit. Call it between articles.
func (c *vocabCounter) spillIfFull() error {
	if c.limit > 0 && len(c.words) > c.limit {
		return c.spill()
	}
	return nil
}

// spill writes c's words to a new run and forgets them.
func (c *vocabCounter) spill() error {
	f, err := os.CreateTemp(c.dir, vocabRunPattern)
	if err != nil {
		return fmt.Errorf("spill vocabulary: %w", err)
	}
	c.runs = append(c.runs, f.Name()) // removed with the rest, whatever happens
	w := bufio.NewWriter(f)
	err = writeCounts(w, c.words)
	if err == nil {
		err = w.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("spill vocabulary: %w", err)
	}
	c.words = map[string]*wordTally{} // a cleared map would keep its size
	return nil
}

// merge adds o's counts, articles and runs to c's.
func (c *vocabCounter) merge(o *vocabCounter) {
	c.docs += o.docs
	c.runs = append(c.runs, o.runs...)
	for w, t := range o.words {
		if own := c.words[w]; own != nil {
			own.articles += t.articles
		} else {
			c.words[w] = t
		}
	}
}
