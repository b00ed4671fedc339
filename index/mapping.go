package index

import (
	"fmt"
	"unsafe"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/size"
	bleveindex "github.com/blevesearch/bleve_index_api"
)

// mappingVersion names the shape of the index: fields, analyzers and how
// documents are converted. Bump it whenever any of those change; an index
// built with another version is stale and gets rebuilt (see Open).
const mappingVersion = "91"

// Field names in the bleve index. They are internal: the API has its own.
const (
	fieldTitle     = "title"
	fieldBody      = "body"
	fieldRecord    = "record" // the article as stored, title and body coded with the generation's codebook (record.go)
	fieldWords     = "words"  // title+body, unstemmed: the vocabulary of written articles (see vocab.go)
	fieldLang      = "lang"
	fieldSource    = "source"
	fieldPublished = "published"
	fieldMonth     = "month"  // "2026-02": keyword field behind the date histogram
	fieldPerson    = "person" // canonical names found by extractEntities
	fieldPlace     = "place"
	fieldOrg       = "org"
)

// entityFields are the keyword fields of the entity kinds, by kind.
var entityFields = [numEntityKinds]string{fieldPerson, fieldPlace, fieldOrg}

// monthLayout formats the month facet values.
const monthLayout = "2006-01"

// newMapping builds the index mapping. Every document has the same fields;
// there is no per-language document type because the newsearch analyzer
// routes each token by its own script (see doc.go). Text fields keep term
// vectors because phrase queries and highlighting need positions
// (sizedText packs them); facet fields are keyword fields, their values
// read per document from their postings (columns.go), and the date and
// the stored record are added by articleDocument.
func newMapping() mapping.IndexMapping {
	text := func(analyzer string, store, vectors bool) *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Analyzer = analyzer
		f.Store = store
		f.IncludeTermVectors = vectors
		f.IncludeInAll = false
		f.DocValues = false
		return f
	}
	keywordField := func(store bool) *mapping.FieldMapping {
		f := bleve.NewKeywordFieldMapping()
		f.Analyzer = keyword.Name
		f.Store = store
		f.IncludeInAll = false
		f.IncludeTermVectors = false
		// The facet columns read their values from the postings
		// (columns.go): docvalues would only repeat them, 3.3 MB of the
		// 108k Reuters index.
		f.DocValues = false
		// Keyword fields filter and count; nothing scores them, so
		// their postings need no frequencies and norms.
		f.SkipFreqNorm = true
		return f
	}

	doc := bleve.NewDocumentStaticMapping()
	// Title and body are stored in the article's record, with every
	// other stored value (articleDocument).
	doc.AddFieldMappingsAt(fieldTitle, text(analyzerName, false, true))
	doc.AddFieldMappingsAt(fieldBody, text(analyzerName, false, true))
	// The vocabulary reads only which articles have a word, never how
	// often or in how long a text: without frequencies and norms the
	// 108k Reuters index is 226 MB instead of 239 MB, built as fast.
	words := text(rawAnalyzerName, false, false)
	words.SkipFreqNorm = true
	doc.AddFieldMappingsAt(fieldWords, words)
	doc.AddFieldMappingsAt(fieldLang, keywordField(false))
	doc.AddFieldMappingsAt(fieldSource, keywordField(false))
	doc.AddFieldMappingsAt(fieldMonth, keywordField(false))
	for _, f := range entityFields {
		doc.AddFieldMappingsAt(f, keywordField(false))
	}
	// The publication date is not mapped: articleDocument adds it as one
	// term (published.go). No field goes into bleve's _all, and with the
	// date added outside the mapping it would: there is none.
	doc.AddSubDocumentMapping("_all", bleve.NewDocumentDisabledMapping())

	im := bleve.NewIndexMapping()
	im.DefaultMapping = doc
	im.DefaultAnalyzer = analyzerName
	im.ScoringModel = bleveindex.BM25Scoring
	im.StoreDynamic = false
	im.IndexDynamic = false
	im.DocValuesDynamic = false
	return im
}

// toDoc converts an Article into the value bleve's mapping indexes, as a
// write indexes it (articleDocument adds the date). Absent values are left
// out rather than indexed as empty terms.
func toDoc(a *Article) map[string]any {
	d := toBulkDoc(a)
	d[fieldWords] = wordsText(a)
	return d
}

// toBulkDoc is toDoc without the words field: a build counts the words
// into the base vocabulary instead (vocab.go).
func toBulkDoc(a *Article) map[string]any {
	d := make(map[string]any, 12)
	bulkFields(a, func(name, value string, i int) {
		if i < 0 {
			d[name] = value
			return
		}
		names, _ := d[name].([]string)
		d[name] = append(names, value)
	})
	return d
}

// bulkFields calls add with each mapped field of a as a build indexes it
// (toBulkDoc, fieldMaker.bulkDocument): its name, its value, and its
// array position in a field of several values (-1: none).
func bulkFields(a *Article, add func(name, value string, i int)) {
	add(fieldTitle, a.Title, -1)
	add(fieldBody, a.Body, -1)
	add(fieldLang, a.Lang, -1)
	add(fieldSource, a.Source, -1)
	if !a.Date.IsZero() {
		add(fieldMonth, a.Date.UTC().Format(monthLayout), -1)
	}
	for kind, names := range articleEntities(a) {
		for i, name := range names {
			add(entityFields[kind], name, i)
		}
	}
}

// bodyEncoder codes the title and body of stored records: a generation's
// codebook (nil: none) or, in a build, its codebookBuilder.
type bodyEncoder interface {
	encodeBody(dst []byte, s string) []byte
}

// articleDocument maps a to the document bleve indexes: the mapped fields
// of fields (toDoc or toBulkDoc of a), the date, and a's stored record,
// its title and body coded by enc.
func articleDocument(m mapping.IndexMapping, a *Article, fields map[string]any, enc bodyEncoder) (*document.Document, error) {
	doc := document.NewDocument(a.ID)
	if err := m.MapDocument(doc, fields); err != nil {
		return nil, err
	}
	for i, f := range doc.Fields {
		if t, ok := f.(*document.TextField); ok {
			doc.Fields[i] = &sizedText{TextField: t}
		}
	}
	addDateAndRecord(doc, a, enc)
	return doc, nil
}

// addDateAndRecord adds a's date and stored record to doc.
func addDateAndRecord(doc *document.Document, a *Article, enc bodyEncoder) {
	if !a.Date.IsZero() {
		doc.AddField(newDateField(a.Date.UnixNano()))
	}
	stored := appendStored(make([]byte, 0, (len(a.Title)+len(a.Body))*3/4+len(a.Lang)+len(a.Source)+len(a.URL)+32), enc, a)
	doc.AddField(&sizedText{TextField: document.NewTextFieldCustom(fieldRecord, nil, stored, bleveindex.StoreField, nil)})
}

// fieldMaker makes a build's documents (bulkDocument) without bleve's
// mapping: MapDocument walks the map toBulkDoc makes by reflection and
// looks each field's analyzer up by name, 2.3% of the CPU of a build of
// the 108k Reuters articles (pprof). The fields are the mapping's own:
// their options and analyzers are read from a document it mapped.
type fieldMaker struct {
	fields map[string]fieldTemplate
}

type fieldTemplate struct {
	options  bleveindex.FieldIndexingOptions
	analyzer analysis.Analyzer
}

// newFieldMaker reads the fields m maps for toBulkDoc's keys. It fails
// when m maps them otherwise than as one text field each.
func newFieldMaker(m mapping.IndexMapping) (*fieldMaker, error) {
	sample := map[string]any{fieldTitle: "t", fieldBody: "b", fieldLang: "en", fieldSource: "s", fieldMonth: "2026-01"}
	for _, f := range entityFields {
		sample[f] = []string{"e"}
	}
	doc := document.NewDocument("sample")
	if err := m.MapDocument(doc, sample); err != nil {
		return nil, err
	}
	fm := &fieldMaker{fields: map[string]fieldTemplate{}}
	for _, f := range doc.Fields {
		t, ok := f.(*document.TextField)
		if _, seen := fm.fields[f.Name()]; !ok || seen {
			return nil, fmt.Errorf("mapping: field %s is not one text field", f.Name())
		}
		fm.fields[f.Name()] = fieldTemplate{options: t.Options(), analyzer: t.Analyzer()}
	}
	if len(fm.fields) != len(sample) || len(doc.CompositeFields) > 0 {
		return nil, fmt.Errorf("mapping: %d fields and %d composite fields for %d keys", len(fm.fields), len(doc.CompositeFields), len(sample))
	}
	return fm, nil
}

// add adds a field name holding value, at array position i (-1: none).
func (fm *fieldMaker) add(doc *document.Document, name, value string, i int) *sizedText {
	var ap []uint64
	if i >= 0 {
		ap = []uint64{uint64(i)}
	}
	t := fm.fields[name]
	f := &sizedText{TextField: document.NewTextFieldCustom(name, ap, []byte(value), t.options, t.analyzer)}
	doc.AddField(f)
	return f
}

// bulkDocument is articleDocument(m, a, toBulkDoc(a), enc), for the
// mapping fm was made from. With taps, its title and body hand their raw
// terms to taps as they are analysed (articleTaps).
func (fm *fieldMaker) bulkDocument(a *Article, enc bodyEncoder, taps *articleTaps) *document.Document {
	doc := document.NewDocument(a.ID)
	bulkFields(a, func(name, value string, i int) {
		f := fm.add(doc, name, value, i)
		switch {
		case taps == nil:
		case name == fieldTitle:
			f.tap = &taps.title
		case name == fieldBody:
			f.tap = &taps.body
		}
	})
	addDateAndRecord(doc, a, enc)
	return doc
}

// sizedText is a text field whose Size is estimated from counts. bleve
// calls Size only for its memory statistics, once a batch's documents are
// analysed, and TextField's own walks every token location: 4% of a
// build's CPU, in each loader's Batch call (pprof of newsearch index on
// 108k Reuters articles).
//
// It also analyses its text itself (Analyze), and can hand the raw terms
// of a build's articles on (tap).
type sizedText struct {
	*document.TextField
	tap    *rawTerms // when set, takes the raw terms (frequencies)
	freqs  bleveindex.TokenFrequencies
	length int // tokens
}

// The static sizes in sizedText's estimate, as bleve counts them (its size
// package); a term is taken to be 8 bytes, in its TokenFreq and as its
// map key.
var (
	sizeOfTextField     = int(unsafe.Sizeof(document.TextField{}))
	sizeOfTerm          = int(unsafe.Sizeof(bleveindex.TokenFreq{})) + size.SizeOfString + size.SizeOfPtr + 2*8
	sizeOfTokenLocation = int(unsafe.Sizeof(bleveindex.TokenLocation{}))
)

// Analyze analyses the field as TextField does, then packs each term's
// positions into one location without byte offsets (packPositions,
// positions.go): phrases need positions, and highlighting finds a match's
// bytes from its position in the stored text (spansOf). zap writes every
// location's offsets as two varints; zeros take one byte each, which made
// the 108k Reuters index 16.4 MB smaller (177.8 → 161.4 MB). The
// newsearch analyzers count the packed frequencies as they go
// (scriptAnalyzer.frequencies); another analyzer's tokens are counted and
// packed after.
func (f *sizedText) Analyze() {
	a, ours := f.Analyzer().(*scriptAnalyzer)
	vectors := f.Options().IncludeTermVectors()
	if ours && vectors {
		var raw func(term []byte)
		if f.tap != nil {
			raw = f.tap.add
		}
		f.freqs, f.length = a.frequencies(f.Value(), raw)
		return
	}
	f.TextField.Analyze()
	f.freqs, f.length = f.TextField.AnalyzedTokenFrequencies(), f.TextField.AnalyzedLength()
	if vectors {
		packPositions(f.freqs)
	}
}

func (f *sizedText) AnalyzedTokenFrequencies() bleveindex.TokenFrequencies { return f.freqs }

// AnalyzedLength is the code of the field's number of tokens (lengthCode,
// bm25.go), which zap stores as the norm of each of its postings.
func (f *sizedText) AnalyzedLength() int { return lengthCode(f.length) }

// tokenCount is f's number of tokens, after analysis.
func tokenCount(f document.Field) int {
	if st, ok := f.(*sizedText); ok {
		return st.length
	}
	return f.AnalyzedLength()
}

func (f *sizedText) Size() int {
	n := sizeOfTextField + len(f.Name()) + len(f.ArrayPositions())*size.SizeOfUint64 + len(f.Value())
	n += len(f.AnalyzedTokenFrequencies()) * sizeOfTerm
	if f.Options().IncludeTermVectors() {
		// One location a term (packPositions), holding the gaps after
		// its third occurrence as array positions: at least
		// AnalyzedLength - 3 × terms of them.
		terms := len(f.AnalyzedTokenFrequencies())
		n += terms*sizeOfTokenLocation + max(0, f.length-3*terms)*size.SizeOfUint64
	}
	return n
}

// indexArticle adds a, as a write indexes it (with the words field), to
// batch, its title and body stored coded with cb (the generation's
// codebook; nil: none).
func indexArticle(m mapping.IndexMapping, batch *bleve.Batch, a *Article, cb *codebook) error {
	doc, err := articleDocument(m, a, toDoc(a), cb)
	if err != nil {
		return err
	}
	return batch.IndexAdvanced(doc)
}

// wordsText is the text of a's vocabulary words: title and body.
func wordsText(a *Article) string { return a.Title + "\n" + a.Body }

// storedFields are loaded with every hit and every article.
var storedFields = []string{fieldRecord}

// fromFields rebuilds an Article from stored fields as bleve returns them
// (text as string); cb is the codebook of the generation they come from.
func fromFields(cb *codebook, id string, f map[string]any) (Article, error) {
	a := Article{ID: id}
	stored, _ := f[fieldRecord].(string)
	if err := decodeStored(cb, []byte(stored), &a); err != nil {
		return a, fmt.Errorf("article %q: %w", id, err)
	}
	return a, nil
}
