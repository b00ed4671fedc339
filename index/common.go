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
			if b, err := buildCommon(seg, minDF); err == nil {
				t.buckets.Store(&b)
			} // else the segment stays walked
		}()
		return t
	})
	return c.segs
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

// buildCommon reads the words of seg that can be one typo from a fuzzed
// word and are in at least minDF of its articles (deleted ones included:
// a count only bounds from above here).
func buildCommon(seg segment.Segment, minDF uint64) (map[commonBucket][]vocabWord, error) {
	dict, err := seg.Dictionary(fieldWords)
	if err != nil {
		return nil, fmt.Errorf("common words: %w", err)
	}
	buckets := map[commonBucket][]vocabWord{}
	var pl segment.PostingsList
	for _, r := range commonRanges {
		// Counted one by one: a zap dictionary iterator's counts go wrong
		// after a one-document term (see prefixCounts), and most words
		// are skipped uncounted.
		it := termsOf(dict, nil, r[0], r[1])
		for {
			de, err := it.Next()
			if err != nil {
				return nil, fmt.Errorf("common words: %w", err)
			}
			if de == nil {
				break
			}
			first, _ := utf8.DecodeRuneInString(de.Term)
			runes := utf8.RuneCountInString(de.Term)
			if !fuzzable(first) || runes < minTypo1-1 {
				continue
			}
			if pl, err = dict.PostingsList([]byte(de.Term), nil, pl); err != nil {
				return nil, fmt.Errorf("common words: %w", err)
			}
			if n := pl.Count(); n >= minDF {
				b := commonBucket{first, runes}
				buckets[b] = append(buckets[b], vocabWord{word: de.Term, count: n, typos: 1})
			}
		}
	}
	for _, ws := range buckets {
		sortByCount(ws)
	}
	return buckets, nil
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
	_, minDF := v.common.thresholds()
	var ready uint64
	for _, t := range tables {
		if t.ready() != nil {
			ready++
		}
	}
	if ready*minDF > minCount {
		// A word too rare for every table could be commoner than word.
		return v.commonerByWalk(word, minCount, limit)
	}
	var docs uint64
	for _, ss := range snap.Segments() {
		docs += ss.Count()
	}
	typos := map[string]int{}
	w := v.walker(snap, word, 1, limit)
	for _, ss := range snap.Segments() {
		seg := ss.Segment()
		buckets := tables[seg].ready()
		if buckets == nil {
			// A small segment, or its table is not ready: walked, as
			// near walks it.
			if err := w.walk(seg, typos); err != nil {
				return nil, err
			}
			continue
		}
		// A qualifying word has at least need of its articles here: the
		// other segments hold at most the rest.
		var need uint64
		if others := docs - ss.Count(); minCount > others {
			need = minCount - others
		}
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
