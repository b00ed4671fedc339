package index

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"
)

// FuzzDecodeRecordFast requires the fast path, whenever it decodes a line,
// to give what json.Unmarshal gives, and json.Unmarshal to accept the line.
func FuzzDecodeRecordFast(f *testing.F) {
	for _, s := range []string{
		`{"id":"a","title":"T","body":"B","date":"2024-01-02","source":"S","lang":"en","url":"u"}`,
		`{"id": "tg-1", "title": "В Китае", "body": "x", "category": "science"}`,
		` {"id":"a\n","body":"line\nnext \"quoted\" \\ \/ \u00e9 \u4e2d \b\f\r\t"} `,
		`{"id":"a","id":"b"}`, `{"ID":"a"}`, `{"Id":"a","body":"b"}`, `{"\u0069d":"a"}`, `{"ſource":"a"}`,
		`{"id":null}`, `{"id":1}`, `{"id":"a",}`, `{"id":"a"} x`, `{}`, `{"id":"\ud83d\ude00"}`, `{"id":"\ud800"}`,
		"{\"id\":\"a\tb\"}", `{"id":"a"`, `[]`, `{"x":{"id":"a"}}`, `{"x":"y","id":"z"}`, `{"id":"\u00"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		if !utf8.Valid(line) {
			return // decodeRecord refuses it first
		}
		var fast Record
		if !decodeRecordFast(line, &fast) {
			return
		}
		var want Record
		if err := json.Unmarshal(line, &want); err != nil {
			t.Fatalf("fast path decoded %q, which json.Unmarshal refuses: %v", line, err)
		}
		if fast != want {
			t.Fatalf("fast path decoded %q as %+v, json.Unmarshal as %+v", line, fast, want)
		}
	})
}

// TestDecodeRecordFast_corpus requires the lines of a real corpus and of
// json.Encoder's output to take the fast path, and to decode as
// json.Unmarshal decodes them: otherwise builds silently lose its speed.
func TestDecodeRecordFast_corpus(t *testing.T) {
	check := func(t *testing.T, line []byte) {
		t.Helper()
		var fast, want Record
		if err := json.Unmarshal(line, &want); err != nil {
			t.Fatalf("corpus line %.80q: %v", line, err)
		}
		if !decodeRecordFast(line, &fast) {
			t.Fatalf("corpus line %.80q does not take the fast path", line)
		}
		if fast != want {
			t.Fatalf("fast path decoded %.80q as %+v, json.Unmarshal as %+v", line, fast, want)
		}
	}
	t.Run("encoder", func(t *testing.T) {
		for line := range splitLines(benchCorpus(30)) {
			check(t, line)
		}
	})
	for _, corpus := range []string{"reuters21578", "ru_telegram_news", "cctv_xwlb", "bbc"} {
		t.Run(corpus, func(t *testing.T) {
			f, err := os.Open(filepath.Join(sharedCorpus, corpus, "docs.jsonl.gz"))
			if err != nil {
				t.Skipf("corpus absent (%v): skipping", err)
			}
			defer f.Close()
			zr, err := gzip.NewReader(f)
			if err != nil {
				t.Fatal(err)
			}
			sc := bufio.NewScanner(zr)
			sc.Buffer(nil, 16<<20)
			for n := 0; n < 2000 && sc.Scan(); n++ {
				check(t, sc.Bytes())
			}
			if err := sc.Err(); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// splitLines yields the non-empty lines of b.
func splitLines(b []byte) func(func([]byte) bool) {
	return func(yield func([]byte) bool) {
		sc := bufio.NewScanner(bytes.NewReader(b))
		sc.Buffer(nil, 16<<20)
		for sc.Scan() {
			if len(sc.Bytes()) > 0 && !yield(sc.Bytes()) {
				return
			}
		}
	}
}
