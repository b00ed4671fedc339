package index

import (
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
	terms := make([]map[string]bool, len(p.typed))
	for i, c := range p.typed {
		terms[i] = leafTerms(c, map[string]bool{})
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
func locateOn(ctx context.Context, snap *scorch.IndexSnapshot) locator {
	return func(hits search.DocumentMatchCollection, clauses []query.Query) error {
		var leaves []locLeaf
		for _, c := range clauses {
			leaves = appendLeaves(leaves, c)
		}
		locs, err := readLocations(ctx, snap, hits, leaves)
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
}

type termKey struct{ field, term string }

// appendLeaves adds the terms and phrases q searches for (the shapes plan
// builds: bm25.go's queries under sums) to leaves.
func appendLeaves(leaves []locLeaf, q query.Query) []locLeaf {
	switch q := q.(type) {
	case *bm25Query:
		leaves = append(leaves, locLeaf{field: q.field, term: q.term})
	case *bm25PhraseQuery:
		leaves = append(leaves, locLeaf{field: q.field, slots: q.terms})
	case *sumQuery:
		for _, part := range q.parts {
			leaves = appendLeaves(leaves, part)
		}
	}
	return leaves
}

// readLocations reads the locations of every term of leaves in every hit:
// result[key][i] are hit i's.
func readLocations(ctx context.Context, snap *scorch.IndexSnapshot, hits search.DocumentMatchCollection, leaves []locLeaf) (map[termKey][][]search.Location, error) {
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
		for k := range keys {
			pl, err := s.list(k.field, k.term)
			if err != nil {
				return nil, err
			}
			it := pl.Iterator(true, true, true, nil)
			var p segment.Posting
			for _, i := range mine {
				d := hits[i].IndexInternalID.Value() - s.offset
				if p, err = advance(it, p, d); err != nil {
					return nil, err
				}
				if p == nil {
					break
				}
				if p.Number() != d {
					continue
				}
				ls := make([]search.Location, 0, len(p.Locations()))
				for _, l := range p.Locations() {
					ls = append(ls, search.Location{Pos: l.Pos(), Start: l.Start(), End: l.End()})
				}
				out[k][i] = ls
			}
		}
	}
	return out, nil
}

// addLocations adds locs of term in field to h's locations.
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
	for j := range locs {
		l := &locs[j]
		if !slices.ContainsFunc(have, func(o *search.Location) bool { return o.Pos == l.Pos }) {
			have = append(have, l)
		}
	}
	tl[term] = have
}

// addPhrase adds to hit i the locations of the words of l's occurrences:
// positions where every slot has one of its terms, one after another
// (an empty slot takes any word).
func addPhrase(h *search.DocumentMatch, l locLeaf, locs map[termKey][][]search.Location, i int) {
	at := func(slot int, pos uint64) bool {
		if len(l.slots[slot]) == 0 {
			return true // a stop word's place
		}
		for _, t := range l.slots[slot] {
			if t == "" {
				return true
			}
			for _, loc := range locs[termKey{l.field, t}][i] {
				if loc.Pos == pos {
					return true
				}
			}
		}
		return false
	}
	for _, first := range l.slots[0] {
		for _, start := range locs[termKey{l.field, first}][i] {
			ok := true
			for s := 1; s < len(l.slots) && ok; s++ {
				ok = at(s, start.Pos+uint64(s))
			}
			if !ok {
				continue
			}
			for s, slot := range l.slots {
				for _, t := range slot {
					if t == "" {
						continue
					}
					for _, loc := range locs[termKey{l.field, t}][i] {
						if loc.Pos == start.Pos+uint64(s) {
							addLocations(h, l.field, t, []search.Location{loc})
						}
					}
				}
			}
		}
	}
}

// leafTerms adds the terms q searches for to into, and returns it.
func leafTerms(q query.Query, into map[string]bool) map[string]bool {
	switch q := q.(type) {
	case *bm25Query:
		into[q.term] = true
	case *bm25PhraseQuery:
		for _, slot := range q.terms {
			for _, t := range slot {
				if t != "" {
					into[t] = true
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

// hasAny reports whether locs has a match of any of terms, in any field.
func hasAny(locs search.FieldTermLocationMap, terms map[string]bool) bool {
	for _, byTerm := range locs {
		for t := range byTerm {
			if terms[t] {
				return true
			}
		}
	}
	return false
}
