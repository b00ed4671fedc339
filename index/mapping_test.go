package index

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
)

// bleve's memory statistics take a document's size from its fields;
// sizedText estimates it from counts instead of walking every location.
// The estimate stays within a quarter of bleve's exact walk, for a title
// and for a long body.
func TestSizedText_estimate(t *testing.T) {
	t.Parallel()
	m := newMapping()
	a := &Article{
		ID:     "s1",
		Title:  "Putin and Xi reaffirm strategic partnership in New Year video talks",
		Body:   strings.Repeat("Russian and Chinese officials discussed grain exports, energy cooperation and the Power of Siberia pipeline in Moscow on Tuesday. Министр сказал, что торговля растёт. ", 40),
		Lang:   "en",
		Source: "Test",
		Date:   time.Date(2026, 2, 4, 0, 0, 0, 0, time.UTC),
	}
	doc, err := articleDocument(m, a, toDoc(a), (*codebook)(nil))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, f := range doc.Fields {
		st, ok := f.(*sizedText)
		if !ok {
			if _, plain := f.(*document.TextField); plain {
				t.Errorf("field %s is a plain TextField: bleve would walk its locations to size it", f.Name())
			}
			continue
		}
		if !f.Options().IsIndexed() {
			continue // stored only: scorch never analyses it (the stored body)
		}
		f.Analyze()
		seen[f.Name()] = true
		// bleve's own analysis of the field, packed, sized its way.
		tf := document.NewTextFieldCustom(st.Name(), st.ArrayPositions(), st.Value(), st.Options(), st.Analyzer())
		tf.Analyze()
		if st.Options().IncludeTermVectors() {
			packPositions(tf.AnalyzedTokenFrequencies())
		}
		exact, est := tf.Size(), st.Size()
		t.Logf("%s: exact %d, estimate %d", f.Name(), exact, est)
		if est < exact*3/4 || est > exact*5/4 {
			t.Errorf("field %s: estimated size %d, bleve's %d: more than a quarter apart", f.Name(), est, exact)
		}
	}
	for _, name := range []string{fieldTitle, fieldBody, fieldWords} {
		if !seen[name] {
			t.Errorf("field %s is not a sizedText", name)
		}
	}
}

// The index keeps its title and body locations' positions but not their
// byte offsets; spansOf finds the bytes again from the positions: each
// span is a word of the text that analyses to its location's term.
func TestArticleDocument_positionsOnly(t *testing.T) {
	t.Parallel()
	a := &Article{
		ID:    "p1",
		Title: "Лавров и Wang Yi: 中俄关系 «на подъёме»",
		Body: "Sergei Lavrov's talks with Wang Yi in Moscow — Лаврова встретили в Пекине. " +
			"中俄新时代全面战略协作伙伴关系 U.S.-led ｶﾞｷﾞ high-speed rail, the Power of Siberia pipeline. " +
			"Talks on trade: trade, trade and more trade talks, then the pipeline; " +
			strings.Repeat("trade ", 300) + "Лавров, Лаврова и Лавровым.",
		Lang: "en",
	}
	doc, err := articleDocument(newMapping(), a, toDoc(a), (*codebook)(nil))
	if err != nil {
		t.Fatal(err)
	}
	an := newMapping().AnalyzerNamed(analyzerName)
	texts := map[string]string{fieldTitle: a.Title, fieldBody: a.Body}
	for _, f := range doc.Fields {
		text, ok := texts[f.Name()]
		if !ok {
			continue
		}
		// Each term's positions as the analyzer gives them.
		want := map[string][]uint64{}
		for _, tok := range an.Analyze([]byte(text)) {
			want[string(tok.Term)] = append(want[string(tok.Term)], uint64(tok.Position))
		}
		f.Analyze()
		tl := search.TermLocationMap{}
		n, packed := 0, 0
		for term, tf := range f.AnalyzedTokenFrequencies() {
			// One location a term, with every position packed in it and
			// no byte offsets (positions.go).
			if len(tf.Locations) != 1 {
				t.Fatalf("%s: %q has %d locations, want 1", f.Name(), term, len(tf.Locations))
			}
			l := tf.Locations[0]
			var got []uint64
			for _, u := range appendPositions(nil, uint64(l.Position), uint64(l.Start), uint64(l.End), l.ArrayPositions) {
				got = append(got, u.Pos)
				tl[term] = append(tl[term], &search.Location{Pos: u.Pos})
				n++
			}
			if !slices.Equal(got, want[term]) {
				t.Errorf("%s: %q at positions %v, the analyzer has %v", f.Name(), term, got, want[term])
			}
			if tf.Frequency() != len(got) {
				t.Errorf("%s: %q occurs %d times, %d positions", f.Name(), term, tf.Frequency(), len(got))
			}
			if len(got) > 3 {
				packed++
			}
		}
		if f.Name() == fieldBody && packed < 2 {
			t.Errorf("body: %d terms with more than three positions, want trade and лавров", packed)
		}
		found := 0
		for _, s := range spansOf(tl, text) {
			word := text[s.start:s.end]
			// A word alone is no acronym (acronym.go): that term is its
			// capitals.
			if acronym, _ := appendAcronym(nil, []byte(word)); !slices.Contains(analyzeTerms(word), s.term) && string(acronym) != s.term {
				t.Errorf("%s: span %q analyses to %q, not to its term %q", f.Name(), word, analyzeTerms(word), s.term)
			}
			found++
		}
		if found == 0 || n == 0 {
			t.Errorf("%s: %d locations, %d spans", f.Name(), n, found)
		}
	}
}

// TestBulkDocument requires a build's documents, made without bleve's
// mapping (fieldMaker), to hold the fields the mapping gives the same
// articles: names, values, array positions, options and analyzers, for
// the seed articles and the first 1,500 of each corpus. It also requires
// a fieldMaker of a mapping read back from JSON, as an opened index's is.
func TestBulkDocument(t *testing.T) {
	t.Parallel()
	var reread mapping.IndexMappingImpl
	if b, err := json.Marshal(newMapping()); err != nil {
		t.Fatal(err)
	} else if err := json.Unmarshal(b, &reread); err != nil {
		t.Fatal(err)
	}
	for _, m := range []mapping.IndexMapping{newMapping(), &reread} {
		fm, err := newFieldMaker(m)
		if err != nil {
			t.Fatalf("newFieldMaker: %v", err)
		}
		inputs := []Input{{FS: os.DirFS("../seeds"), Path: "."}}
		for _, c := range []string{"reuters21578", "ru_telegram_news", "cctv_xwlb", "bbc"} {
			if _, err := os.Stat(filepath.Join(sharedCorpus, c)); err == nil {
				inputs = append(inputs, Input{FS: os.DirFS(filepath.Join(sharedCorpus, c)), Path: "docs.jsonl.gz"})
			}
		}
		for _, in := range inputs {
			n := 0
			err := NewReader(nil, false).Read(context.Background(), in, func(a Article) error {
				if n++; n > 1500 {
					return errStopReading
				}
				want, err := articleDocument(m, &a, toBulkDoc(&a), (*codebook)(nil))
				if err != nil {
					t.Fatal(err)
				}
				got := fm.bulkDocument(&a, (*codebook)(nil), nil)
				if g, w := docFieldList(got), docFieldList(want); !slices.Equal(g, w) {
					t.Fatalf("%s: bulkDocument's fields\n%q\nmapping's\n%q", a.ID, g, w)
				}
				return nil
			})
			if err != nil && !errors.Is(err, errStopReading) {
				t.Fatal(err)
			}
		}
	}
}

var errStopReading = errors.New("enough articles")

// docFieldList describes doc's fields, sorted.
func docFieldList(doc *document.Document) []string {
	var out []string
	for _, f := range doc.Fields {
		an := ""
		if st, ok := f.(*sizedText); ok {
			an = fmt.Sprintf("%T %p", st.Analyzer(), st.Analyzer())
		}
		out = append(out, fmt.Sprintf("%T %s %q %v %v %s", f, f.Name(), f.Value(), f.ArrayPositions(), f.Options(), an))
	}
	slices.Sort(out)
	return out
}

// BenchmarkBulkDocument makes the documents of 1,000 Reuters articles as
// a build does (fieldMaker) and through bleve's mapping, as before; both
// find the entities, and neither codes the record.
func BenchmarkBulkDocument(b *testing.B) {
	in := Input{FS: os.DirFS(filepath.Join(sharedCorpus, "reuters21578")), Path: "docs.jsonl.gz"}
	if _, err := fs.Stat(in.FS, in.Path); err != nil {
		b.Skipf("corpus absent (%v): skipping", err)
	}
	var arts []Article
	NewReader(nil, false).Read(context.Background(), in, func(a Article) error {
		if arts = append(arts, a); len(arts) == 1000 {
			return errStopReading
		}
		return nil
	})
	m := newMapping()
	fm, err := newFieldMaker(m)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("fieldMaker", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			for i := range arts {
				fm.bulkDocument(&arts[i], (*codebook)(nil), nil)
			}
		}
	})
	b.Run("mapping", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			for i := range arts {
				articleDocument(m, &arts[i], toBulkDoc(&arts[i]), (*codebook)(nil))
			}
		}
	})
}
