package index

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// recordArticles are articles with every stored value present and absent,
// in every script, with the bytes codes are made of and invalid UTF-8.
func recordArticles() []Article {
	var out []Article
	for i, s := range codebookTexts {
		a := Article{
			Title: codebookTexts[(i+1)%len(codebookTexts)],
			Body:  s,
			Lang:  []string{"en", "ru", "zh", "other"}[i%4],
		}
		if i%2 == 0 {
			a.Source = "Reuters newswire \xff"
			a.URL = "https://example.com/news/" + string(rune('a'+i))
			a.TitleDerived = true
		}
		switch i % 3 {
		case 0:
			a.Date = time.Date(1987, 3, 3, 0, 0, 0, 0, time.UTC)
		case 1:
			a.Date = time.Date(1969, 12, 31, 23, 59, 59, 999_999_999, time.UTC) // before the epoch
		}
		out = append(out, a)
	}
	return out
}

func TestStored_roundTrip(t *testing.T) {
	t.Parallel()
	cb := builtCodebook(codebookTexts...)
	for _, a := range recordArticles() {
		for name, enc := range map[string]*codebook{"coded": cb, "raw": nil} {
			var got Article
			if err := decodeStored(cb, appendStored(nil, enc, &a), &got); err != nil {
				t.Fatalf("%s %q: %v", name, a.Title, err)
			}
			if diff := cmp.Diff(a, got); diff != "" {
				t.Errorf("%s: read back differs (-stored +read):\n%s", name, diff)
			}
		}
	}
}

// A stored record cut short or with any byte changed reads as an error or
// as an article, never a panic; cut short it is always an error, since
// the body's coded length is checked.
func TestDecodeStored_corrupt(t *testing.T) {
	t.Parallel()
	cb := builtCodebook(codebookTexts...)
	a := recordArticles()[0]
	good := appendStored(nil, cb, &a)
	for n := range len(good) {
		var got Article
		if err := decodeStored(cb, good[:n], &got); !errors.Is(err, errCorruptRecord) {
			t.Errorf("cut to %d of %d bytes: %v, want errCorruptRecord", n, len(good), err)
		}
	}
	for i := range good {
		for _, v := range []byte{0, 0x7f, 0x80, 0xff, good[i] ^ 1} {
			b := append([]byte(nil), good...)
			b[i] = v
			var got Article
			decodeStored(cb, b, &got)
		}
	}
	for _, b := range [][]byte{nil, {tagRecord}, {'C', 0}, {tagRecord, 0, 0xff}} {
		var got Article
		if err := decodeStored(cb, b, &got); !errors.Is(err, errCorruptRecord) {
			t.Errorf("%q: %v, want errCorruptRecord", b, err)
		}
	}
}

func FuzzStored(f *testing.F) {
	for _, a := range recordArticles() {
		f.Add(a.Title, a.Body, a.Source, a.Date.UnixNano(), a.TitleDerived, appendStored(nil, (*codebook)(nil), &a))
	}
	f.Fuzz(func(t *testing.T, title, body, source string, date int64, derived bool, stored []byte) {
		a := Article{Title: title, Body: body, Source: source, Lang: "en", TitleDerived: derived}
		if date != 0 {
			a.Date = time.Unix(0, date).UTC()
		}
		cb := builtCodebook(title, body)
		for _, enc := range []*codebook{cb, nil} {
			var got Article
			if err := decodeStored(cb, appendStored(nil, enc, &a), &got); err != nil || !cmp.Equal(a, got) {
				t.Fatalf("stored %+v, read %+v, %v", a, got, err)
			}
		}
		// Any bytes as a record: an error or an article, never a panic.
		var got Article
		decodeStored(cb, stored, &got)
	})
}
