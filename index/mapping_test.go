package index

import (
	"strings"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2/document"
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
		st, ok := f.(sizedText)
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
		exact, est := st.TextField.Size(), st.Size()
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
