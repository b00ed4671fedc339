package index

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unsafe"
)

// codebookTexts are bodies in every script the index handles, with the
// bytes that codes are made of, invalid UTF-8 and words longer than any
// code.
var codebookTexts = []string{
	"Russian and Chinese officials discussed grain exports, energy cooperation and the Power of Siberia pipeline in Moscow on Tuesday.",
	"Министр сказал, что торговля растёт, а представитель Кремля назвал решение «недружественным».",
	"新华社报道，中俄关系稳定，习近平会见普京，双方讨论了能源合作。",
	"Bytes of codes: \xc0\xc1\xf5\xf9\xfd\xfe\xff, and text around them \xc0",
	"invalid \xe2\x82 UTF-8 \xff\xfe and a lone continuation \x80 byte",
	strings.Repeat("x", 200) + " " + strings.Repeat("Ж", 50) + " ",
	"",
	" leading and trailing spaces  ",
	"e\u0301te\u0301 (combining accents) naïve café 2026 COVID-19",
}

// builtCodebook counts texts until the codebook has codes for their words,
// as a build would, and returns it.
func builtCodebook(texts ...string) *codebook {
	b := newCodebookBuilder()
	for range codebookMinCount {
		for _, s := range texts {
			b.observe(s)
		}
	}
	return b.finish()
}

func TestCodebook_roundTrip(t *testing.T) {
	t.Parallel()
	cb := builtCodebook(codebookTexts...)
	if len(cb.words) == 0 {
		t.Fatal("no codes for texts counted three times")
	}
	for _, s := range codebookTexts {
		for name, enc := range map[string]*codebook{"coded": cb, "raw": nil} {
			stored := enc.encodeBody(nil, s)
			got, err := decodeBody(cb, stored)
			if err != nil {
				t.Fatalf("%s %q: %v", name, s, err)
			}
			if got != s {
				t.Errorf("%s: stored %q, read back %q", name, s, got)
			}
		}
	}
	// Words counted often enough are coded: the Russian sentence (two
	// bytes a letter) shrinks to under half.
	ru := codebookTexts[1]
	if n := len(cb.encodeBody(nil, ru)); n*2 > len(ru) {
		t.Errorf("Russian body of %d bytes stored in %d", len(ru), n)
	}
}

func TestCodebook_threeByteCodes(t *testing.T) {
	t.Parallel()
	var sb strings.Builder
	// Each word thrice: the first epoch ends within the first count.
	for i := range cbTwoBytes + 500 {
		fmt.Fprintf(&sb, "слово%d слово%[1]d слово%[1]d ", i)
	}
	text := sb.String()
	cb := builtCodebook(text)
	if len(cb.words) < cbTwoBytes {
		t.Fatalf("%d codes, want three-byte ones too", len(cb.words))
	}
	stored := cb.encodeBody(nil, text)
	got, err := decodeBody(cb, stored)
	if err != nil || got != text {
		t.Fatalf("read back %d bytes of %d, %v", len(got), len(text), err)
	}
	if len(stored) > len(text)/3 {
		t.Errorf("%d bytes stored in %d", len(text), len(stored))
	}
}

// TestCodebook_everyCode stores every code the codebook can hold and
// reads each back as its word, in one byte below cbOneByte, two below
// cbTwoBytes and three up to maxCodes.
func TestCodebook_everyCode(t *testing.T) {
	t.Parallel()
	cb := &codebook{codes: map[string]uint32{}}
	var text strings.Builder
	stored := []byte{tagCoded}
	var codes []byte
	for c := uint32(1); c <= maxCodes; c++ {
		w := strconv.Itoa(int(c)) + " "
		cb.words = append(cb.words, w)
		cb.codes[w] = c
		text.WriteString(w)
		n := len(codes)
		codes = appendCode(codes, c)
		want := 3
		switch {
		case c < cbOneByte:
			want = 1
		case c < cbTwoBytes:
			want = 2
		}
		if len(codes)-n != want {
			t.Fatalf("code %d takes %d bytes, want %d", c, len(codes)-n, want)
		}
	}
	stored = binary.AppendUvarint(stored, uint64(text.Len()))
	stored = append(stored, codes...)
	got, err := decodeBody(cb, stored)
	if err != nil || got != text.String() {
		t.Fatalf("read back %d bytes of %d, %v", len(got), text.Len(), err)
	}
	if enc := cb.encodeBody(nil, text.String()); !bytes.Equal(enc, stored) {
		t.Errorf("coded to %d bytes, want the %d of the codes", len(enc), len(stored))
	}
}

func TestCodebook_builderCodesBeforeFinish(t *testing.T) {
	t.Parallel()
	b := newCodebookBuilder()
	text := "The central bank said on Tuesday that inflation would slow. "
	before := len(b.encodeBody(nil, text))
	for n := 0; n < codebookFirstEpochBytes; n += len(text) {
		b.observe(text)
	}
	// The first epoch is over: later articles of the build are coded.
	during := b.encodeBody(nil, text)
	if len(during) >= before/2 {
		t.Errorf("after the first epoch %q is stored in %d bytes, %d before", text, len(during), before)
	}
	cb := b.finish()
	if got, err := decodeBody(cb, during); err != nil || got != text {
		t.Errorf("coded during the build, read with the final codebook: %q, %v", got, err)
	}
}

func TestCodebook_marshal(t *testing.T) {
	t.Parallel()
	cb := builtCodebook(codebookTexts...)
	b := cb.marshal()
	got, err := unmarshalCodebook(b)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(got.words, "\x00") != strings.Join(cb.words, "\x00") {
		t.Fatalf("words differ after a round trip: %d and %d", len(got.words), len(cb.words))
	}
	for i := range b {
		bad := append([]byte(nil), b...)
		bad[i] ^= 0x20
		if _, err := unmarshalCodebook(bad); err == nil {
			t.Fatalf("byte %d flipped: no error", i)
		}
	}
	for n := range len(b) {
		if _, err := unmarshalCodebook(b[:n]); err == nil {
			t.Fatalf("cut to %d of %d bytes: no error", n, len(b))
		}
	}
}

func TestDecodeBody_corrupt(t *testing.T) {
	t.Parallel()
	cb := builtCodebook(codebookTexts...)
	good := cb.encodeBody(nil, codebookTexts[1])
	tests := []struct {
		name   string
		stored []byte
		cb     *codebook
	}{
		{"empty", nil, cb},
		{"unknown tag", []byte("Xabc"), cb},
		{"coded without a codebook", good, nil},
		{"no length", []byte{tagCoded}, cb},
		{"length too long", append([]byte{tagCoded}, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 1), cb},
		{"length beyond any decoding", []byte{tagCoded, 0xff, 0x7f, 'a'}, cb},
		{"length differs", []byte{tagCoded, 5, 'a', 'b'}, cb},
		{"code cut after one byte", []byte{tagCoded, 9, cbStoppers}, cb},
		{"code cut after two bytes", []byte{tagCoded, 9, cbStoppers, cbStoppers}, cb},
		{"code of four bytes", []byte{tagCoded, 9, cbStoppers, cbStoppers, cbStoppers, 1}, cb},
		{"literal without a length", []byte{tagCoded, 1, cbLiteral}, cb},
		{"empty literal", []byte{tagCoded, 1, cbLiteral, 0, cbLiteral, 1, 'a'}, cb},
		{"literal beyond the end", []byte{tagCoded, 3, cbLiteral, 3, 'a', 'b'}, cb},
		{"code beyond the codebook", []byte{tagCoded, 9, 0xFF, 0xFF, 0}, cb},
		{"cut short", good[:len(good)-1], cb},
	}
	for _, tt := range tests {
		if got, err := decodeBody(tt.cb, tt.stored); !errors.Is(err, errCorruptBody) {
			t.Errorf("%s: got %q, %v; want errCorruptBody", tt.name, got, err)
		}
	}
}

// TestBuild_codedBodies builds an index big enough for the build to code
// bodies while it loads, writes an article after it, reopens it, and reads
// every body back: as articles, and as search hits with their highlights.
func TestBuild_codedBodies(t *testing.T) {
	t.Parallel()
	var sb strings.Builder
	words := []string{"pipeline", "Газпром", "поставки", "天然气", "合作", "exports", "Siberia", "grain", "\xff"}
	var arts []string
	for i := 0; sb.Len() < 2*codebookFirstEpochBytes; i++ {
		body := fmt.Sprintf("Article %d. %s %s and %s: the %s deal, %s. %s",
			i, words[i%len(words)], words[(i+3)%len(words)], words[(i+5)%len(words)], words[(i+7)%len(words)], codebookTexts[i%4], codebookTexts[(i+1)%3])
		line, _ := json.Marshal(map[string]string{"id": fmt.Sprintf("a%d", i), "title": fmt.Sprintf("Title %d", i), "body": body, "lang": "en"})
		sb.Write(line)
		sb.WriteByte('\n')
		// JSON has each byte of invalid UTF-8 as U+FFFD.
		var back struct{ Body string }
		if err := json.Unmarshal(line, &back); err != nil {
			t.Fatal(err)
		}
		arts = append(arts, back.Body)
	}
	dir, data := t.TempDir(), t.TempDir()
	if err := os.WriteFile(filepath.Join(data, "a.jsonl"), []byte(sb.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	opts := Options{Dir: dir, Inputs: []Input{{FS: os.DirFS(data), Path: "a.jsonl"}}, Logger: testLogger(t)}
	ctx := context.Background()
	x, err := Open(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	written := Article{ID: "w1", Title: "Written later", Body: codebookTexts[1] + " pipeline exports " + codebookTexts[2], Lang: "ru"}
	if err := x.Add(ctx, []Article{written}); err != nil {
		t.Fatal(err)
	}
	bodies := map[string]string{"w1": written.Body}
	for i, body := range arts {
		bodies[fmt.Sprintf("a%d", i)] = body
	}

	check := func(x *Index, when string) {
		t.Helper()
		if x.cb == nil || len(x.cb.words) == 0 {
			t.Fatalf("%s: the generation has no codebook", when)
		}
		coded := 0
		for id, want := range bodies {
			a, err := x.Article(ctx, id)
			if err != nil {
				t.Fatalf("%s: article %s: %v", when, id, err)
			}
			if a.Body != want {
				t.Fatalf("%s: article %s: body %q, want %q", when, id, a.Body, want)
			}
			if n := len(x.cb.encodeBody(nil, want)); n < len(want)*2/3 {
				coded++
			}
		}
		if coded < len(bodies)/2 {
			t.Errorf("%s: %d of %d bodies would be stored in under two thirds of their bytes", when, coded, len(bodies))
		}
		res, err := x.Search(ctx, Query{Text: "pipeline", Size: 20})
		if err != nil {
			t.Fatal(err)
		}
		if res.Total == 0 {
			t.Fatalf("%s: pipeline found nothing", when)
		}
		for _, h := range res.Hits {
			body := bodies[h.ID]
			for _, m := range h.Matches[fieldBody] {
				if m.End > len(body) || !strings.EqualFold(body[m.Start:m.End], "pipeline") {
					t.Errorf("%s: hit %s: match [%d,%d) is not pipeline in %q", when, h.ID, m.Start, m.End, body)
				}
			}
			if s := strings.Join(h.Highlights[fieldBody], " "); !strings.Contains(s, "<mark>pipeline</mark>") {
				t.Errorf("%s: hit %s: body highlights %q lack pipeline", when, h.ID, s)
			}
		}
	}
	check(x, "built")
	if err := x.Close(); err != nil {
		t.Fatal(err)
	}
	opts.Rebuild = RebuildNever
	y, err := Open(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer y.Close()
	check(y, "reopened")
}

func FuzzCodebook(f *testing.F) {
	for _, s := range codebookTexts {
		f.Add(s, s+s)
	}
	f.Fuzz(func(t *testing.T, sample, text string) {
		cb := builtCodebook(sample, text)
		for _, enc := range []*codebook{cb, nil} {
			got, err := decodeBody(cb, enc.encodeBody(nil, text))
			if err != nil || got != text {
				t.Fatalf("stored %q, read %q, %v", text, got, err)
			}
		}
		// Any bytes as a stored body: an error or a text, never a panic.
		decodeBody(cb, []byte{tagCoded}[0:1:1])
		decodeBody(cb, append([]byte{tagCoded}, sample...))
		decodeBody(cb, append([]byte{tagCoded, byte(len(text))}, text...))
		if c, err := unmarshalCodebook([]byte(sample)); err == nil {
			decodeBody(c, []byte(text))
		}
	})
}

// corpusBodies returns the bodies of the first n articles of a shared
// corpus, skipping b when it is absent.
func corpusBodies(b *testing.B, dir string, n int) []string {
	b.Helper()
	path := filepath.Join(sharedCorpus, dir, "docs.jsonl.gz")
	if _, err := os.Stat(path); err != nil {
		b.Skipf("corpus not available: %v", err)
	}
	var out []string
	for _, a := range readArticlesGz(b, path) {
		if len(out) == n {
			break
		}
		out = append(out, a.Body)
	}
	return out
}

// BenchmarkCodebook times coding and decoding one article's body, with a
// codebook counted from the corpus's first 5,000 articles as a build
// would, and reports the stored size against the text's.
func BenchmarkCodebook(b *testing.B) {
	for _, corpus := range []string{"reuters21578", "ru_telegram_news", "cctv_xwlb"} {
		b.Run(corpus, func(b *testing.B) {
			bodies := corpusBodies(b, corpus, 5000)
			bb := newCodebookBuilder()
			var text int
			for _, s := range bodies {
				bb.observe(s)
				text += len(s)
			}
			cb := bb.finish()
			stored := make([][]byte, len(bodies))
			var size int
			for i, s := range bodies {
				stored[i] = cb.encodeBody(nil, s)
				size += len(stored[i])
			}
			b.Run("encode", func(b *testing.B) {
				b.ReportAllocs()
				b.SetBytes(int64(text / len(bodies)))
				var buf []byte
				for i := 0; b.Loop(); i++ {
					buf = cb.encodeBody(buf[:0], bodies[i%len(bodies)])
				}
				b.ReportMetric(float64(text)/float64(size), "ratio")
			})
			b.Run("decode", func(b *testing.B) {
				b.ReportAllocs()
				b.SetBytes(int64(text / len(bodies)))
				for i := 0; b.Loop(); i++ {
					if _, err := decodeBody(cb, stored[i%len(stored)]); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}

// TestCodebookBuilder_keysOwnTheirBytes requires the builder's counts to
// keep copies of the tokens, never the texts they were counted in: a key
// that points into an article keeps the whole article alive, and Go puts
// the given key into a map on every store to a string key.
func TestCodebookBuilder_keysOwnTheirBytes(t *testing.T) {
	b := newCodebookBuilder()
	var texts []string
	for i := range 3 {
		s := strings.Repeat("pipeline gas Siberia ", 50) + strconv.Itoa(i)
		texts = append(texts, s)
		b.countMu.Lock()
		b.count(s)
		b.countMu.Unlock()
	}
	within := func(k, s string) bool {
		p, q := uintptr(unsafe.Pointer(unsafe.StringData(k))), uintptr(unsafe.Pointer(unsafe.StringData(s)))
		return p >= q && p < q+uintptr(len(s))
	}
	for k := range b.counts {
		for _, s := range texts {
			if within(k, s) {
				t.Fatalf("key %q points into a counted text", k)
			}
		}
	}
}
