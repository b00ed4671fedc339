package index

import (
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/index/scorch"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// Common words.
//
// Most typo look-ups are for words the articles use, and for those a
// search only wants commoner words one typo away (alternatives: a rarer
// neighbour is another word or the articles' own misspelling). Walking the
// whole dictionary with a Levenshtein automaton for that took 13.6% of the
// server's CPU on 108k articles, to find a handful of words.
//
// So each large segment gets a table of its common words: those in at
// least minCommonDF of its articles that can be one typo from a word
// typoBudget fuzzes (first letter a letter, not Han; at least minTypo1-1
// letters), bucketed by first letter and length, most frequent first. A
// word one typo away has the typed word's first letter (a typo on it
// costs two) and a length within one of it, so a look-up reads three
// buckets and stops at the first word too rare to qualify.
//
// A commoner word is in some table whenever the typed word is in at least
// minCommonDF articles per table: a word below minCommonDF in every table's
// segment, and absent from the segments without one (walked with the
// automaton as before), is in fewer articles. Otherwise the look-up walks
// every dictionary as near does. The tables change nothing but the speed,
// and go with their segment.
//
// A table is built in the background when its segment first shows up in
// a look-up, and used once ready: counting the words of the 625k-word
// dictionary of the three news corpora takes about 0.2 s, too long to
// keep a search waiting.
const (
	minCommonDocs = minDecodedDocs // smallest segment with a table
	minCommonDF   = 16             // rarest word in a table
)

// commonWords keeps the common-word tables of the live snapshot's large
// segments.
type commonWords struct {
	mu   sync.Mutex
	segs map[segment.Segment]*commonTable
	// Tests lower the thresholds (0: minCommonDocs, minCommonDF).
	minDocs, minDF uint64
	built          sync.WaitGroup // tests wait for the builds
}

// commonTable is one segment's table, nil until built.
type commonTable struct {
	buckets atomic.Pointer[map[commonBucket][]vocabWord] // most frequent first
	// wordless: the segment has no words field at all (its articles
	// came from a build, whose words are in the base vocabulary). Set
	// before buckets.
	wordless atomic.Bool
}

// build builds t from dict.
func (t *commonTable) build(dict wordDict, minDF uint64) {
	b, words, err := buildCommon(dict, minDF)
	if err != nil {
		return // the dictionary stays walked
	}
	t.wordless.Store(words == 0)
	t.buckets.Store(&b)
}

type commonBucket struct {
	first rune
	runes int
}

func (c *commonWords) thresholds() (minDocs, minDF uint64) {
	if c.minDocs > 0 {
		return c.minDocs, c.minDF
	}
	return minCommonDocs, minCommonDF
}

// tablesFor returns the tables of snap's large segments, ready or not.
// It starts building those it lacks, reading snap (kept open until they
// are done), and then forgets those of segments that left snap; the map it
// returns is never changed afterwards (decodedFor's pattern), so a search
// of an unchanged snapshot allocates nothing here.
func (c *commonWords) tablesFor(snap *scorch.IndexSnapshot) map[segment.Segment]*commonTable {
	c.mu.Lock()
	defer c.mu.Unlock()
	minDocs, minDF := c.thresholds()
	segs := snap.Segments()
	if knowsAll(segs, minDocs, c.segs) {
		return c.segs
	}
	c.segs = liveState(segs, minDocs, c.segs, func(seg segment.Segment) *commonTable {
		t := &commonTable{}
		snap.AddRef()
		c.built.Add(1)
		go func() {
			defer c.built.Done()
			defer snap.DecRef()
			if dict, err := openSegWords(seg); err == nil {
				t.build(dict, minDF)
			} // else the segment stays walked
		}()
		return t
	})
	return c.segs
}

// baseTable returns the table of the base vocabulary b, ready or not; nil
// for a base too small for one. The first call starts building it.
func (c *commonWords) baseTable(b *baseVocab) *commonTable {
	minDocs, minDF := c.thresholds()
	if b == nil || b.docs < minDocs {
		return nil
	}
	b.commonOnce.Do(func() {
		c.built.Add(1)
		go func() {
			defer c.built.Done()
			b.common.build(b, minDF)
		}()
	})
	return &b.common
}

// ready returns the table's buckets, nil while it is being built.
func (t *commonTable) ready() map[commonBucket][]vocabWord {
	if t == nil {
		return nil
	}
	if b := t.buckets.Load(); b != nil {
		return *b
	}
	return nil
}

// commonRanges are the dictionary ranges a table reads: not the words
// that start with a digit or a Han character (bytes E4-E9 in UTF-8), none
// of which is ever one typo from a word typoBudget fuzzes.
var commonRanges = [][2][]byte{{nil, []byte("0")}, {[]byte(":"), {0xe4}}, {{0xea}, nil}}

// buildCommon reads the words of dict that can be one typo from a fuzzed
// word and are in at least minDF of its articles (deleted ones included:
// a count only bounds from above here). It also returns how many words it
// read.
func buildCommon(dict wordDict, minDF uint64) (map[commonBucket][]vocabWord, int, error) {
	var words int
	buckets := map[commonBucket][]vocabWord{}
	for _, r := range commonRanges {
		// Counted one by one: a zap dictionary iterator's counts go wrong
		// after a one-document term (see countedTerms), and most words
		// are skipped uncounted.
		it := dict.terms(nil, r[0], r[1], false)
		for {
			de, err := it.Next()
			if err != nil {
				return nil, 0, fmt.Errorf("common words: %w", err)
			}
			if de == nil {
				break
			}
			words++
			first, _ := utf8.DecodeRuneInString(de.Term)
			runes := utf8.RuneCountInString(de.Term)
			if !fuzzable(first) || runes < minTypo1-1 {
				continue
			}
			n, err := dict.count([]byte(de.Term))
			if err != nil {
				return nil, 0, fmt.Errorf("common words: %w", err)
			}
			if n >= minDF {
				b := commonBucket{first, runes}
				buckets[b] = append(buckets[b], vocabWord{word: de.Term, count: n, typos: 1})
			}
		}
	}
	for _, ws := range buckets {
		sortByCount(ws)
	}
	return buckets, words, nil
}

// commoner returns the words one typo from word (as near counts typos)
// that at least minCount articles contain, as near orders them. It gives
// what near(word, 1, limit) gives without its rarer words, unless more
// than limit words in a segment are one typo away (then near keeps the
// first limit in dictionary order, commoner all of them).
func (v *vocabulary) commoner(word string, minCount uint64, limit int) ([]vocabWord, error) {
	return remember(v.memo, func(m *vocabMemo) map[commonKey][]vocabWord { return m.common }, commonKey{word, minCount, limit},
		func() ([]vocabWord, error) { return v.lookCommoner(word, minCount, limit) })
}

type commonKey struct {
	word     string
	minCount uint64
	limit    int
}

func (v *vocabulary) lookCommoner(word string, minCount uint64, limit int) ([]vocabWord, error) {
	snap, ok := v.r.(*scorch.IndexSnapshot)
	if !ok || v.common == nil {
		return v.commonerByWalk(word, minCount, limit)
	}
	first, _ := utf8.DecodeRuneInString(word)
	runes := utf8.RuneCountInString(word)
	if !fuzzable(first) || runes < minTypo1 {
		// The tables hold no neighbour of such a word.
		return v.commonerByWalk(word, minCount, limit)
	}
	tables := v.common.tablesFor(snap)
	base := v.common.baseTable(v.base)
	_, minDF := v.common.thresholds()
	var ready uint64
	for _, t := range tables {
		// A wordless segment's table bounds no count.
		if t.ready() != nil && !t.wordless.Load() {
			ready++
		}
	}
	if base.ready() != nil {
		ready++
	}
	if ready*minDF > minCount {
		// A word too rare for every table could be commoner than word.
		return v.commonerByWalk(word, minCount, limit)
	}
	// docs bounds the articles of every dictionary together. A wordless
	// segment holds none; articles of the build in a segment with words
	// are counted twice, in the base and in the segment, which only makes
	// need smaller.
	var docs uint64
	if v.base != nil {
		docs = v.base.docs
	}
	for _, ss := range snap.Segments() {
		if t := tables[ss.Segment()]; t.ready() == nil || !t.wordless.Load() {
			docs += ss.Count()
		}
	}
	// A qualifying word has at least need of a dictionary's own docs
	// articles there: the other dictionaries hold at most the rest.
	need := func(own uint64) uint64 {
		if others := docs - own; minCount > others {
			return minCount - others
		}
		return 0
	}
	typos := map[string]int{}
	w := v.walker(snap, word, 1, limit)
	if buckets := base.ready(); buckets != nil {
		oneTypoCommon(buckets, word, first, runes, need(v.base.docs), typos)
	} else if err := w.walkBase(typos); err != nil {
		return nil, err
	}
	for _, ss := range snap.Segments() {
		seg := ss.Segment()
		t := tables[seg]
		buckets := t.ready()
		if buckets != nil && t.wordless.Load() {
			continue
		}
		if buckets == nil {
			// A small segment, or its table is not ready: walked, as
			// near walks it.
			if err := w.walk(seg, typos); err != nil {
				return nil, err
			}
			continue
		}
		oneTypoCommon(buckets, word, first, runes, need(ss.Count()), typos)
		if err := v.ctx.Err(); err != nil {
			return nil, err
		}
	}
	out := make([]vocabWord, 0, len(typos))
	for w := range typos {
		n, err := v.count(w)
		if err != nil {
			return nil, err
		}
		if n >= minCount {
			out = append(out, vocabWord{word: w, typos: 1, count: n})
		}
	}
	sortNear(out)
	return out, nil
}

// oneTypoCommon adds to typos the words of a table's buckets one typo from
// word (first and runes are its first letter and length) that are in at
// least need articles.
func oneTypoCommon(buckets map[commonBucket][]vocabWord, word string, first rune, runes int, need uint64, typos map[string]int) {
	for n := runes - 1; n <= runes+1; n++ {
		for _, w := range buckets[commonBucket{first, n}] {
			if w.count < need {
				break
			}
			if oneEdit(word, w.word) {
				typos[w.word] = 1
			}
		}
	}
}

// commonerByWalk is commoner by near's dictionary walk.
func (v *vocabulary) commonerByWalk(word string, minCount uint64, limit int) ([]vocabWord, error) {
	near, err := v.lookNear(word, 1, limit)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(near, func(w vocabWord) bool { return w.count < minCount }), nil
}

// oneEdit reports whether b is exactly one edit from a in the
// optimal-string-alignment distance editDistance computes: one character
// replaced, inserted or deleted, or two adjacent ones swapped.
func oneEdit(a, b string) bool {
	if a == b {
		return false
	}
	// Skip the common prefix and suffix; what is left must be one edit.
	for a != "" && b != "" {
		ra, na := utf8.DecodeRuneInString(a)
		rb, nb := utf8.DecodeRuneInString(b)
		if ra != rb {
			break
		}
		a, b = a[na:], b[nb:]
	}
	for a != "" && b != "" {
		ra, na := utf8.DecodeLastRuneInString(a)
		rb, nb := utf8.DecodeLastRuneInString(b)
		if ra != rb {
			break
		}
		a, b = a[:len(a)-na], b[:len(b)-nb]
	}
	la, lb := utf8.RuneCountInString(a), utf8.RuneCountInString(b)
	switch {
	case la+lb == 1: // one inserted or deleted
		return true
	case la == 1 && lb == 1: // one replaced
		return true
	case la == 2 && lb == 2: // two swapped
		a0, n := utf8.DecodeRuneInString(a)
		a1, _ := utf8.DecodeRuneInString(a[n:])
		b0, n := utf8.DecodeRuneInString(b)
		b1, _ := utf8.DecodeRuneInString(b[n:])
		return a0 == b1 && a1 == b0
	}
	return false
}
