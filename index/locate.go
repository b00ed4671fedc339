package index

import (
	"cmp"
	"context"
	"slices"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// locator sets the locations of hits' matches of any of clauses,
// replacing what the hits had.
type locator func(hits search.DocumentMatchCollection, clauses []query.Query) error

// locate fills in the match locations of hits, for highlighting. Ranking
// searches run without locations: decoding the positions of every
// matching article, not only of the page's, cost 6% of a search's CPU on
// 108k articles. Here only the hits' postings are read, by with.
//
// The words as typed go first: with their typo, prefix and name
// alternatives a word can bring up to a hundred terms (a prefix), most of
// them absent from the page's ten articles. Only the hits that lack a
// clause's typed form, found through an alternative, are located again
// with every form. An article that has the typed word shows only it
// marked.
func (p *plan) locate(hits search.DocumentMatchCollection, with locator) error {
	if !p.text || len(hits) == 0 {
		return nil
	}
	if err := with(hits, p.typed); err != nil {
		return err
	}
	terms := make([]fieldTerms, len(p.typed))
	for i, c := range p.typed {
		terms[i] = leafTerms(c, fieldTerms{})
	}
	var again search.DocumentMatchCollection
	for _, h := range hits {
		for _, ts := range terms {
			if !hasAny(h.Locations, ts) {
				again = append(again, h)
				break
			}
		}
	}
	if len(again) == 0 {
		return nil
	}
	return with(again, p.clauses)
}

// locateBleve returns a locator that runs the clauses through bleve,
// restricted to the hits' ids: for hits from a bleve search, whose
// snapshot is gone.
func locateBleve(ctx context.Context, bi bleve.Index) locator {
	return func(hits search.DocumentMatchCollection, clauses []query.Query) error {
		ids := make([]string, len(hits))
		for i, h := range hits {
			ids[i] = h.ID
		}
		q := query.NewConjunctionQuery([]query.Query{query.NewDocIDQuery(ids), query.NewDisjunctionQuery(clauses)})
		req := bleve.NewSearchRequestOptions(q, len(ids), 0, false)
		req.Score = "none"
		req.IncludeLocations = true
		r, err := bi.SearchInContext(ctx, req)
		if err != nil {
			return err
		}
		byID := make(map[string]search.FieldTermLocationMap, len(r.Hits))
		for _, h := range r.Hits {
			byID[h.ID] = h.Locations
		}
		for _, h := range hits {
			h.Locations = byID[h.ID]
		}
		return nil
	}
}

// locateOn returns a locator that reads the term locations of hits
// ranked on snap (rank.go) straight from its postings: per term, one
// iterator walks to the hits in document order. A phrase keeps the
// locations of its occurrences only, as bleve's phrase searcher does.
// It gives what locateBleve gives, without a searcher per clause or a
// match per hit (checkBitmapCounts compares the highlights).
func locateOn(ctx context.Context, snap *scorch.IndexSnapshot, dec map[segment.Segment]*decodedSegment) locator {
	return func(hits search.DocumentMatchCollection, clauses []query.Query) error {
		var leaves []locLeaf
		for _, c := range clauses {
			leaves = appendLeaves(leaves, c)
		}
		locs, err := readLocations(ctx, snap, hits, leaves, dec)
		if err != nil {
			return err
		}
		for i, h := range hits {
			h.Locations = nil
			for _, l := range leaves {
				if l.slots == nil {
					addLocations(h, l.field, l.term, locs[termKey{l.field, l.term}][i])
					continue
				}
				addPhrase(h, l, locs, i)
			}
		}
		return nil
	}
}

// locLeaf is a term or a phrase of a clause, in one field.
type locLeaf struct {
	field string
	term  string
	slots [][]string // a phrase: per position, alternatives; none or "" match any word
	// parts are the words of compounds the phrase's words may stand for
	// that ranking found with them (partWords); none for other phrases.
	parts map[string]bool
}

type termKey struct{ field, term string }

// appendLeaves adds the terms and phrases q searches for (the shapes plan
// builds: bm25.go's queries under sums) to leaves.
func appendLeaves(leaves []locLeaf, q query.Query) []locLeaf {
	switch q := q.(type) {
	case *bm25Query:
		leaves = append(leaves, locLeaf{field: q.field, term: q.term})
	case *bm25PhraseQuery:
		leaves = append(leaves, locLeaf{field: q.field, slots: q.terms, parts: q.partWords()})
	case *sumQuery:
		for _, part := range q.parts {
			leaves = appendLeaves(leaves, part)
		}
	}
	return leaves
}

// maxLocatedPerTerm caps the locations readLocations gives for one term
// in one article: its first ones, by position. A news article holds a
// word a few dozen times; a 1 MB article of one Chinese word repeated
// held it 87,000 times, and locating them for highlights took 1.9 GB.
const maxLocatedPerTerm = 2000

// readLocations reads the locations of every term of leaves in every hit:
// result[key][i] are hit i's. dec, when not nil, has the snapshot's
// decoded postings, which speed up zapCursor.
func readLocations(ctx context.Context, snap *scorch.IndexSnapshot, hits search.DocumentMatchCollection, leaves []locLeaf, dec map[segment.Segment]*decodedSegment) (map[termKey][][]search.Location, error) {
	keys := map[termKey]bool{}
	for _, l := range leaves {
		if l.slots == nil {
			keys[termKey{l.field, l.term}] = true
			continue
		}
		for _, slot := range l.slots {
			for _, t := range slot {
				if t != "" {
					keys[termKey{l.field, t}] = true
				}
			}
		}
		for w := range l.parts {
			keys[termKey{l.field, w}] = true
		}
	}
	// The hits in document order, so that each iterator only moves on.
	order := make([]int, len(hits))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		return hits[a].IndexInternalID.Compare(hits[b].IndexInternalID)
	})
	out := make(map[termKey][][]search.Location, len(keys))
	for k := range keys {
		out[k] = make([][]search.Location, len(hits))
	}
	for _, s := range segmentSets(snap) {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		var mine []int // hits in this segment, in document order
		for _, i := range order {
			if d := hits[i].IndexInternalID.Value(); d >= s.offset && d < s.end() {
				mine = append(mine, i)
			}
		}
		if len(mine) == 0 {
			continue
		}
		zf, ds := newZapFields(s.seg.Segment()), dec[s.seg.Segment()]
		for k := range keys {
			c, err := termCursor(s, zf, ds, k.field, k.term)
			if err != nil {
				return nil, err
			}
			for _, i := range mine {
				locs, ok, err := c.at(uint32(hits[i].IndexInternalID.Value() - s.offset))
				if err != nil {
					return nil, err
				}
				if ok {
					out[k][i] = slices.Clone(locs[:min(len(locs), maxLocatedPerTerm)])
				}
			}
		}
	}
	return out, nil
}

// locCursor reads one term's locations in one segment, at ascending
// document numbers of the segment: at returns them for d, valid until the
// next call, and ok false when d lacks the term.
type locCursor interface {
	at(d uint32) (locs []search.Location, ok bool, err error)
	// norm is the field norm of the document at last found, as zap's
	// Posting.Norm gives it (fieldLength reads it).
	norm() float64
}

// termCursor returns a cursor over term's locations in field of segment
// s: read from zap's bytes (zapCursor) when zf, s's reader, is not nil,
// helped by ds's decoded postings; else through zap's postings iterator.
func termCursor(s *segmentSet, zf *zapFields, ds *decodedSegment, field, term string) (locCursor, error) {
	if zf != nil {
		t, _, err := zf.term(field, term)
		if err != nil {
			return nil, err
		}
		dt, err := ds.decoded(field, term)
		if err != nil {
			return nil, err
		}
		c := t.cursor(dt)
		return &c, nil
	}
	pl, err := s.list(field, term)
	if err != nil {
		return nil, err
	}
	return &iterCursor{it: pl.Iterator(true, true, true, nil)}, nil
}

// iterCursor is a locCursor over zap's postings iterator.
type iterCursor struct {
	it   segment.PostingsIterator
	p    segment.Posting // the posting it last returned
	locs []search.Location
}

func (c *iterCursor) norm() float64 { return c.p.Norm() }

func (c *iterCursor) at(d uint32) ([]search.Location, bool, error) {
	var err error
	if c.p, err = advance(c.it, c.p, uint64(d)); err != nil || c.p == nil || c.p.Number() != uint64(d) {
		return nil, false, err
	}
	c.locs = c.locs[:0]
	for _, l := range c.p.Locations() {
		c.locs = appendPositions(c.locs, l.Pos(), l.Start(), l.End(), l.ArrayPositions())
	}
	return c.locs, true, nil
}

// addLocations adds locs of term in field to h's locations, but not a
// second one at a position it has. It takes time linear in the
// locations: an article can repeat a word tens of thousands of times.
func addLocations(h *search.DocumentMatch, field, term string, locs []search.Location) {
	if len(locs) == 0 {
		return
	}
	if h.Locations == nil {
		h.Locations = search.FieldTermLocationMap{}
	}
	tl := h.Locations[field]
	if tl == nil {
		tl = search.TermLocationMap{}
		h.Locations[field] = tl
	}
	have := tl[term]
	if len(have) == 0 && slices.IsSortedFunc(locs, func(a, b search.Location) int { return cmp.Compare(a.Pos, b.Pos) }) {
		// The common case, a term's first locations in order: dropping
		// repeated positions needs no set.
		have = make([]*search.Location, 0, len(locs))
		for j := range locs {
			if j == 0 || locs[j].Pos != locs[j-1].Pos {
				have = append(have, &locs[j])
			}
		}
		tl[term] = have
		return
	}
	seen := make(map[uint64]bool, len(have)+len(locs))
	for _, o := range have {
		seen[o.Pos] = true
	}
	for j := range locs {
		if l := &locs[j]; !seen[l.Pos] {
			seen[l.Pos] = true
			have = append(have, l)
		}
	}
	tl[term] = have
}

// addPhrase adds to hit i the locations of the words of l's occurrences:
// positions where every slot has one of its terms, one after another
// (an empty slot takes any word), a slot's term also standing for its
// compound written with a hyphen, two positions (phraseFreq). Positions
// are looked up by value, so the time is linear in the hit's locations of
// the phrase's terms.
func addPhrase(h *search.DocumentMatch, l locLeaf, locs map[termKey][][]search.Location, i int) {
	byTerm := map[string]map[uint64]int{} // term → position → index in its locations
	positions := func(t string) map[uint64]int {
		at, ok := byTerm[t]
		if !ok {
			ls := locs[termKey{l.field, t}][i]
			at = make(map[uint64]int, len(ls))
			for j, loc := range ls {
				if _, dup := at[loc.Pos]; !dup {
					at[loc.Pos] = j
				}
			}
			byTerm[t] = at
		}
		return at
	}
	anyWord := make([]bool, len(l.slots))
	for s, slot := range l.slots {
		anyWord[s] = len(slot) == 0 || slices.Contains(slot, "") // "": a stop word's place
	}
	// A part's head or tail that is a stop word is nil: anything.
	type partAt struct{ head, tail map[uint64]int }
	parts := map[string][]partAt{}
	for _, slot := range l.slots[:max(0, len(l.slots)-1)] {
		for _, t := range slot {
			if _, done := parts[t]; done || t == "" || l.parts == nil {
				continue
			}
			var ps []partAt
			for _, cp := range compoundParts(t) {
				if cp.head != "" && !l.parts[cp.head] || cp.tail != "" && !l.parts[cp.tail] {
					continue // no hit has it (partWords)
				}
				var p partAt
				if cp.head != "" {
					p.head = positions(cp.head)
				}
				if cp.tail != "" {
					p.tail = positions(cp.tail)
				}
				ps = append(ps, p)
			}
			parts[t] = ps
		}
	}
	in := func(m map[uint64]int, pos uint64) bool {
		_, ok := m[pos]
		return m == nil || ok
	}
	type step struct {
		term string
		j    int // index in the term's locations
	}
	var path []step
	matched := map[string][]search.Location{}
	var walk func(s int, at uint64)
	walk = func(s int, at uint64) {
		if s == len(l.slots) {
			for _, st := range path {
				matched[st.term] = append(matched[st.term], locs[termKey{l.field, st.term}][i][st.j])
			}
			return
		}
		found := false
		for _, t := range l.slots[s] {
			if t == "" {
				continue
			}
			j, ok := positions(t)[at]
			if !ok {
				continue
			}
			found = true
			path = append(path, step{t, j})
			walk(s+1, at+1)
			if s+1 < len(l.slots) {
				for _, p := range parts[t] {
					if in(p.head, at) && in(p.tail, at+1) {
						walk(s+1, at+2)
						break
					}
				}
			}
			path = path[:len(path)-1]
		}
		if !found && anyWord[s] {
			walk(s+1, at+1)
		}
	}
	// walk tries every term of a slot at its position: a start that two
	// of the first slot's terms share is walked once.
	starts := map[uint64]bool{}
	for _, t := range l.slots[0] {
		if t == "" {
			continue
		}
		for start := range positions(t) {
			if !starts[start] {
				starts[start] = true
				walk(0, start)
			}
		}
	}
	for t, ms := range matched {
		slices.SortFunc(ms, func(a, b search.Location) int { return cmp.Compare(a.Pos, b.Pos) })
		addLocations(h, l.field, t, ms)
	}
}

// fieldTerms is the terms a clause searches for, each with the fields it
// searches them in (fieldBit).
type fieldTerms map[string]uint8

// fieldBit is the bit of field in fieldTerms.
func fieldBit(field string) uint8 {
	switch field {
	case fieldTitle:
		return 1
	case fieldBody:
		return 2
	}
	return 4
}

// leafTerms adds the terms q searches for, in their fields, to into, and
// returns it.
func leafTerms(q query.Query, into fieldTerms) fieldTerms {
	switch q := q.(type) {
	case *bm25Query:
		into[q.term] |= fieldBit(q.field)
	case *bm25PhraseQuery:
		for _, slot := range q.terms {
			for _, t := range slot {
				if t != "" {
					into[t] |= fieldBit(q.field)
				}
			}
		}
	case *sumQuery:
		for _, part := range q.parts {
			leafTerms(part, into)
		}
	}
	return into
}

// hasAny reports whether locs has a match of any of terms in its field:
// title:Putin is missing from an article with Putin in the body only.
func hasAny(locs search.FieldTermLocationMap, terms fieldTerms) bool {
	for field, byTerm := range locs {
		bit := fieldBit(field)
		for t, ls := range byTerm {
			if len(ls) > 0 && terms[t]&bit != 0 {
				return true
			}
		}
	}
	return false
}
