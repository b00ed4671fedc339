package index

import (
	"context"
	"encoding/binary"
	"slices"
	"sort"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/search"
	bleveindex "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// Phrases on postings.
//
// A postings-ranked search needs every occurrence count of its phrases
// (title, body, Chinese bigram runs, compounds, alternatives that are
// several words): their matches count towards Total and the facets, and
// their scores rank. Bleve's phrase searcher found them at the price of a
// DocumentMatch per candidate, a map of its term locations
// (DocumentMatch.Complete) and a path search that allocates: 11% of a
// search's CPU on 108k articles, against 3% for reading the positions.
// phraseList reads the positions itself: the candidates are the
// intersection of the positions' postings bitmaps, and for each, every
// word's positions come from its zap iterator.
//
// The matches and scores are bleve's: an occurrence is a run of words at
// consecutive positions, one of each position's alternatives (an empty
// position, a stop word's place, takes any word), and the phrase's term
// frequency is the number of first-position words over all occurrences,
// as bm25PhraseSearcher counts them. TestPhraseList_matchesBleve compares
// the two.

// phraseList returns the documents of snap holding the phrase q, with
// their scores.
func phraseList(ctx context.Context, snap *scorch.IndexSnapshot, r bleveindex.IndexReader, q *bm25PhraseQuery, dec map[segment.Segment]*decodedSegment) (*rankList, error) {
	weight, first, count, err := q.weight(ctx, r)
	if err != nil {
		return nil, err
	}
	avgdl := q.stats.avgdl(q.field)
	l := &rankList{field: q.field, found: roaring.New(), n: count}
	// The slots' distinct words, each read once per document.
	var words []string
	index := map[string]int{}
	slots := make([][]int, len(q.terms)) // word indexes; none: any word
	for s, slot := range q.terms {
		for _, t := range slot {
			if t == "" {
				continue
			}
			i, ok := index[t]
			if !ok {
				i = len(words)
				index[t] = i
				words = append(words, t)
			}
			slots[s] = append(slots[s], i)
		}
	}
	slotWords := len(words)
	var parts [][]wordPart
	if q.compounds {
		parts = wordParts(slots, &words, index)
	} else {
		parts = make([][]wordPart, len(words))
	}
	isFirst := make([]bool, len(words))
	for t := range first {
		isFirst[index[t]] = true
	}
	// A quoted phrase's stop words are checked in the stored text
	// (phrasestops.go), where the search has the codebook to read it.
	cb := codebookFrom(ctx)
	checkStops := q.stops != nil && cb != nil && (q.field == fieldTitle || q.field == fieldBody)
	noParts := make([][]wordPart, len(words))

	cursors := make([]locCursor, len(words))
	pos := make([][]uint64, len(words))
	live := make([][]wordPart, len(words)) // parts that some candidate has
	need := make([]bool, len(words))       // words whose positions a walk reads
	sets := make([]*roaring.Bitmap, len(words))
	for _, seg := range segmentSets(snap) {
		cands, err := phraseCandidates(seg, q.field, words[:slotWords], slots)
		if err != nil {
			return nil, err
		}
		if cands.IsEmpty() {
			continue
		}
		if err := liveParts(seg, q.field, words, slotWords, cands, parts, live, need); err != nil {
			return nil, err
		}
		zf, ds := newZapFields(seg.seg.Segment()), dec[seg.seg.Segment()]
		for i, t := range words {
			if cursors[i] = nil; !need[i] {
				continue
			}
			if cursors[i], err = termCursor(seg, zf, ds, q.field, t); err != nil {
				return nil, err
			}
			if i >= slotWords { // a part's word: read where the document has it
				if sets[i], err = seg.postings(q.field, t); err != nil {
					return nil, err
				}
				q.markPart(t)
			}
		}
		it := cands.Iterator()
		for j := 0; it.HasNext(); j++ {
			if j%1024 == 0 && ctx.Err() != nil {
				return nil, ctx.Err()
			}
			d := uint64(it.Next())
			dl := 0.0 // the field's length in d, from a word's norm
			for i := range words {
				pos[i] = pos[i][:0]
				if !need[i] || i >= slotWords && !sets[i].Contains(uint32(d)) {
					continue
				}
				locs, ok, err := cursors[i].at(uint32(d))
				if err != nil {
					return nil, err
				}
				if ok && dl == 0 {
					dl = fieldLength(cursors[i].norm())
				}
				for _, loc := range locs {
					pos[i] = append(pos[i], loc.Pos)
				}
				if !slices.IsSorted(pos[i]) { // zap keeps them in order
					slices.Sort(pos[i])
				}
			}
			if tf := phraseFreq(slots, pos, isFirst, live); tf > 0 {
				// Only the occurrences of the words one after another are
				// checked: one that a compound makes (two positions for a
				// word) keeps the document.
				if checkStops {
					if plain := phraseFreq(slots, pos, isFirst, noParts); plain == tf &&
						!storedHasStops(cb, seg.seg, d, q.field, phraseStarts(slots, pos), q.stops) {
						continue
					}
				}
				g := seg.offset + d
				l.docs = append(l.docs, g)
				score := weight * tfNorm(float64(tf), dl, avgdl)
				l.scores = append(l.scores, score)
				l.top = max(l.top, score)
			}
		}
	}
	// l.docs ascend: segments in order, each one's candidates in order.
	docs := make([]uint32, len(l.docs))
	for i, g := range l.docs {
		docs[i] = uint32(g)
	}
	l.found.AddMany(docs)
	return l, nil
}

// phraseCandidates is the segment's documents holding a word of every
// non-empty slot.
func phraseCandidates(seg *segmentSet, field string, words []string, slots [][]int) (*roaring.Bitmap, error) {
	var cands *roaring.Bitmap
	for _, slot := range slots {
		if len(slot) == 0 {
			continue
		}
		bms := make([]*roaring.Bitmap, len(slot))
		for i, w := range slot {
			var err error
			if bms[i], err = seg.postings(field, words[w]); err != nil {
				return nil, err
			}
		}
		b := bms[0]
		if len(bms) > 1 {
			b = orAll(bms)
		}
		if cands == nil {
			cands = b
		} else {
			cands = roaring.And(cands, b)
		}
		if cands.IsEmpty() {
			break
		}
	}
	if cands == nil {
		cands = roaring.New()
	}
	return cands, nil
}

// phraseFreq counts the phrase's first-position words over its
// occurrences in one document, given each word's positions there in
// ascending order. A slot's word with parts (a joined word, wordParts)
// may also stand for its compound written with a hyphen: two positions,
// the first holding the part's head and the second its tail.
func phraseFreq(slots [][]int, pos [][]uint64, isFirst []bool, parts [][]wordPart) int {
	tf := 0
	has := func(w int, at uint64) bool {
		if w < 0 {
			return true // a stop word, not indexed
		}
		_, ok := slices.BinarySearch(pos[w], at)
		return ok
	}
	var walk func(s int, at uint64, firsts int)
	// matched goes on from word w of slot s at position at: at the next
	// position, and two on when w is a compound written with its hyphen.
	matched := func(s, w int, at uint64, firsts int) {
		walk(s+1, at+1, firsts)
		if s+1 < len(slots) {
			for _, p := range parts[w] {
				if has(p.head, at) && has(p.tail, at+1) {
					walk(s+1, at+2, firsts)
					break
				}
			}
		}
	}
	walk = func(s int, at uint64, firsts int) {
		if s == len(slots) {
			tf += firsts
			return
		}
		if len(slots[s]) == 0 {
			walk(s+1, at+1, firsts)
			return
		}
		for _, w := range slots[s] {
			// Binary search, not a scan: an article can repeat a word
			// tens of thousands of times, and a scan per occurrence made
			// such a phrase quadratic.
			for k, _ := slices.BinarySearch(pos[w], at); k < len(pos[w]) && pos[w][k] == at; k++ {
				f := firsts
				if isFirst[w] {
					f++
				}
				matched(s, w, at, f)
			}
		}
	}
	for _, w := range slots[0] {
		for _, p := range pos[w] {
			f := 0
			if isFirst[w] {
				f = 1
			}
			matched(0, w, p, f)
		}
	}
	return tf
}

// phraseSearcher is a bleve search.Searcher over phraseList's matches of
// a phrase, for the paths that run bleve's searchers (searches before the
// facet columns are current, "at least k of n", locateBleve). It finds
// and scores what bleve's phrase searcher rescored by bm25PhraseSearcher
// does (checkPhrases compares them), without its path search, which
// compares every occurrence of a word with every other: on an article
// repeating a phrase 50,000 times, a date-sorted search for it took 59 s.
type phraseSearcher struct {
	snap *scorch.IndexSnapshot
	q    *bm25PhraseQuery
	l    *rankList
	next int  // index in l.docs of the next match
	locs bool // give each match the locations of its occurrences' words
}

func newPhraseSearcher(ctx context.Context, snap *scorch.IndexSnapshot, q *bm25PhraseQuery, locs bool) (*phraseSearcher, error) {
	l, err := phraseList(ctx, snap, snap, q, nil)
	if err != nil {
		return nil, err
	}
	return &phraseSearcher{snap: snap, q: q, l: l, locs: locs}, nil
}

func (s *phraseSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	if s.next >= len(s.l.docs) {
		return nil, nil
	}
	i := s.next
	s.next++
	d := ctx.DocumentMatchPool.Get()
	d.IndexInternalID = binary.BigEndian.AppendUint64(d.IndexInternalID[:0], s.l.docs[i])
	d.Score = s.l.scores[i]
	if s.locs {
		if err := s.locate(d); err != nil {
			return nil, err
		}
	}
	return d, nil
}

func (s *phraseSearcher) Advance(ctx *search.SearchContext, id bleveindex.IndexInternalID) (*search.DocumentMatch, error) {
	want := id.Value()
	s.next += sort.Search(len(s.l.docs)-s.next, func(j int) bool { return s.l.docs[s.next+j] >= want })
	return s.Next(ctx)
}

// locate sets d's term locations to those of the words of the phrase's
// occurrences, as bleve's phrase searcher gives them.
func (s *phraseSearcher) locate(d *search.DocumentMatch) error {
	leaf := locLeaf{field: s.q.field, slots: s.q.terms, parts: s.q.partWords()}
	hits := search.DocumentMatchCollection{d}
	locs, err := readLocations(context.Background(), s.snap, hits, []locLeaf{leaf}, nil)
	if err != nil {
		return err
	}
	d.Locations = nil
	addPhrase(d, leaf, locs, 0)
	for term, ls := range d.Locations[s.q.field] {
		for _, l := range ls {
			d.FieldTermLocations = append(d.FieldTermLocations, search.FieldTermLocation{Field: s.q.field, Term: term, Location: *l})
		}
	}
	d.Locations = nil // DocumentMatch.Complete builds them from FieldTermLocations
	return nil
}

func (s *phraseSearcher) Close() error               { return nil }
func (s *phraseSearcher) Weight() float64            { return 1 }
func (s *phraseSearcher) SetQueryNorm(float64)       {}
func (s *phraseSearcher) Count() uint64              { return s.l.n }
func (s *phraseSearcher) Min() int                   { return 0 }
func (s *phraseSearcher) DocumentMatchPoolSize() int { return 1 }
func (s *phraseSearcher) Size() int {
	return 64 + 16*len(s.l.docs)
}
