package index

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"
)

// readAll reads in with r and returns the articles yielded.
func readAll(t *testing.T, r *Reader, in Input) ([]Article, error) {
	t.Helper()
	var got []Article
	err := r.Read(t.Context(), in, func(a Article) error {
		got = append(got, a)
		return nil
	})
	return got, err
}

func ids(articles []Article) []string {
	var out []string
	for _, a := range articles {
		out = append(out, a.ID)
	}
	return out
}

// logRecord is one line written by a Reader's logger.
type logRecord struct {
	Level  string `json:"level"`
	Msg    string `json:"msg"`
	File   string `json:"file"`
	Line   int    `json:"line"`
	Record int    `json:"record"`
	Reason string `json:"reason"`
}

// logCapture is a slog logger whose Warn lines a test can inspect.
type logCapture struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (c *logCapture) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.buf.Write(p)
}

func (c *logCapture) logger() *slog.Logger { return slog.New(slog.NewJSONHandler(c, nil)) }

func (c *logCapture) records(t *testing.T) []logRecord {
	t.Helper()
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []logRecord
	dec := json.NewDecoder(bytes.NewReader(c.buf.Bytes()))
	for dec.More() {
		var r logRecord
		if err := dec.Decode(&r); err != nil {
			t.Fatalf("decoding log: %v", err)
		}
		out = append(out, r)
	}
	return out
}

func gzipBytes(t testing.TB, data string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write([]byte(data)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

const goodJSONL = `{"id":"r1","title":"OIL PRICES RISE","body":"NEW YORK, March 3 - Oil prices rose on Tuesday.\n\nTraders said supply was tight.","date":"1987-03-03","source":"Reuters newswire","lang":"en","url":"https://example.com/r1","category":"crude"}
{"id":"r2","title":"","body":"Цены на нефть выросли во вторник. Трейдеры говорят о дефиците.","date":"2024-01-01T02:30:00+03:00","source":"","lang":""}

{"id":"r3","title":"新闻联播","body":"央视网消息：国家主席习近平今天会见外宾。","date":"","lang":"zh","extra":{"nested":[1,2]}}` + "\r\n"

func TestRead_jsonl(t *testing.T) {
	t.Parallel()
	want := []Article{
		{ID: "r1", Title: "OIL PRICES RISE", Body: "NEW YORK, March 3 - Oil prices rose on Tuesday.\n\nTraders said supply was tight.",
			Date: day(1987, 3, 3), Source: "Reuters newswire", Lang: "en", URL: "https://example.com/r1"},
		{ID: "r2", Title: "Цены на нефть выросли во вторник", TitleDerived: true,
			Body: "Цены на нефть выросли во вторник. Трейдеры говорят о дефиците.",
			Date: day(2023, 12, 31), Source: "unknown", Lang: "ru"},
		{ID: "r3", Title: "新闻联播", Body: "央视网消息：国家主席习近平今天会见外宾。", Source: "unknown", Lang: "zh"},
	}
	for _, name := range []string{"c.jsonl", "c.jsonl.gz", "bom.jsonl"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			data := []byte(goodJSONL)
			switch {
			case strings.HasSuffix(name, ".gz"):
				data = gzipBytes(t, goodJSONL)
			case strings.HasPrefix(name, "bom"):
				// A byte order mark, as some editors save files.
				data = append([]byte("\uFEFF"), data...)
			}
			r := NewReader(nil, true)
			got, err := readAll(t, r, Input{FS: fstest.MapFS{name: {Data: data}}, Path: ".", Label: "corpus"})
			if err != nil {
				t.Fatalf("Read: %v", err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("articles mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(ReadStats{Files: 1, Articles: 3}, r.Stats()); diff != "" {
				t.Errorf("Stats mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestRead_badRecords checks each kind of bad record: skipped, counted and
// logged by default, and returned as the error in strict mode.
func TestRead_badRecords(t *testing.T) {
	t.Parallel()
	const good1 = `{"id":"g1","title":"Good one","body":"Text."}`
	const good2 = `{"id":"g2","title":"Good two","body":"Text."}`
	longLine := `{"id":"long","body":"` + strings.Repeat("x", maxLineBytes) + `"}`
	tests := []struct {
		name, line, wantReason string
	}{
		{"missing id", `{"title":"t","body":"b"}`, "missing id"},
		{"null id", `{"id":null,"title":"t"}`, "missing id"},
		{"bad id", `{"id":"a b","title":"t"}`, `id: "a b" contains white space`},
		{"bad date", `{"id":"x","title":"t","date":"1987-02-30"}`, `date: "1987-02-30" is not a YYYY-MM-DD or RFC 3339 date`},
		{"US date", `{"id":"x","title":"t","date":"03/02/1987"}`, `date: "03/02/1987" is not a YYYY-MM-DD or RFC 3339 date`},
		{"neither title nor body", `{"id":"x","title":" ","body":""}`, "body: empty, and there is no title"},
		{"invalid UTF-8", "{\"id\":\"x\",\"title\":\"caf\xe9\"}", "not valid UTF-8 (byte 22)"},
		{"escaped NUL", `{"id":"x","title":"t","body":"a\u0000b"}`, "body: control character U+0000 at byte 1"},
		{"title is a number", `{"id":"x","title":5}`, "title: got number, want string"},
		{"id is a number", `{"id":17,"title":"t"}`, "id: got number, want string"},
		{"body is an object", `{"id":"x","body":{"text":"b"}}`, "body: got object, want string"},
		{"record is an array", `["x","t"]`, "got array, want an object"},
		{"invalid JSON", `{"id":"x","title":"t",}`, "invalid JSON at byte 23: invalid character '}' looking for beginning of object key string"},
		{"truncated JSON", `{"id":"x","title":"t`, "invalid JSON at byte 20: unexpected end of JSON input"},
		{"unknown lang", `{"id":"x","title":"t","lang":"fr"}`, `lang: "fr" is not one of en, ru, zh, other`},
		{"ftp url", `{"id":"x","title":"t","url":"ftp://x.example/"}`, `url: "ftp://x.example/" is not an absolute http or https URL`},
		{"line too long", longLine, "line too long (more than 4194304 bytes)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fsys := fstest.MapFS{"c.jsonl": {Data: []byte(good1 + "\n" + tt.line + "\n" + good2 + "\n")}}
			in := Input{FS: fsys, Path: ".", Label: "seeds"}
			wantErr := "seeds/c.jsonl: record 2: " + tt.wantReason

			var logs logCapture
			r := NewReader(logs.logger(), false)
			got, err := readAll(t, r, in)
			if err != nil {
				t.Fatalf("Read: %v", err)
			}
			if diff := cmp.Diff([]string{"g1", "g2"}, ids(got)); diff != "" {
				t.Errorf("ids mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(ReadStats{Files: 1, Articles: 2, Skipped: 1}, r.Stats()); diff != "" {
				t.Errorf("Stats mismatch (-want +got):\n%s", diff)
			}
			wantLog := []logRecord{{Level: "WARN", Msg: "skipped bad article input", File: "seeds/c.jsonl", Record: 2, Reason: tt.wantReason}}
			if diff := cmp.Diff(wantLog, logs.records(t)); diff != "" {
				t.Errorf("log mismatch (-want +got):\n%s", diff)
			}

			r = NewReader(nil, true)
			got, err = readAll(t, r, in)
			if err == nil || err.Error() != wantErr {
				t.Fatalf("strict Read error = %v, want %q", err, wantErr)
			}
			var p *Problem
			if !errors.As(err, &p) || p.File != "seeds/c.jsonl" || p.Record != 2 {
				t.Errorf("strict Read error %#v is not the *Problem for record 2", err)
			}
			if diff := cmp.Diff([]string{"g1"}, ids(got)); diff != "" {
				t.Errorf("strict Read did not stop at the problem (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRead_problemUnwrapsFieldError(t *testing.T) {
	t.Parallel()
	fsys := fstest.MapFS{"c.jsonl": {Data: []byte(`{"id":"x","title":"t","lang":"fr"}`)}}
	_, err := readAll(t, NewReader(nil, true), Input{FS: fsys, Path: "."})
	var fe *FieldError
	if !errors.As(err, &fe) || fe.Field != "lang" || !errors.Is(err, ErrInvalidArticle) {
		t.Errorf("Read error %v does not wrap the lang *FieldError", err)
	}
}

func TestRead_duplicateIDs(t *testing.T) {
	t.Parallel()
	fsys := fstest.MapFS{
		"a.jsonl":     {Data: []byte(`{"id":"x","title":"first"}` + "\n" + `{"id":"y","title":"y"}`)},
		"b.jsonl":     {Data: []byte(`{"id":"z","title":"z"}` + "\n" + `{"id":"x","title":"second"}`)},
		"c/y.txt":     {Data: []byte("Headline\n\nBody.")},
		"d/new.jsonl": {Data: []byte(`{"id":"new","title":"n"}`)},
		// Archives sorted into folders repeat names: a text whose name
		// is taken has its folders in its id.
		"e/2024/01.txt": {Data: []byte("January 2024\n\nBody.")},
		"e/2025/01.txt": {Data: []byte("January 2025\n\nBody.")},
	}
	var logs logCapture
	r := NewReader(logs.logger(), false)
	got, err := readAll(t, r, Input{FS: fsys, Path: ".", Label: "in"})
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	if diff := cmp.Diff([]string{"x", "y", "z", "c-y", "new", "01", "e-2025-01"}, ids(got)); diff != "" {
		t.Errorf("ids mismatch (-want +got):\n%s", diff)
	}
	if got[0].Title != "first" {
		t.Errorf("the first x was not kept: %q", got[0].Title)
	}
	want := []string{
		`in/b.jsonl: record 2: duplicate id "x" (first in in/a.jsonl record 1)`,
	}
	var gotProblems []string
	for _, l := range logs.records(t) {
		gotProblems = append(gotProblems, (&Problem{File: l.File, Record: l.Record, Line: l.Line, Reason: l.Reason}).Error())
	}
	if diff := cmp.Diff(want, gotProblems); diff != "" {
		t.Errorf("problems mismatch (-want +got):\n%s", diff)
	}

	// Ids are tracked across inputs read through one Reader.
	other := fstest.MapFS{"more.jsonl": {Data: []byte(`{"id":"new","title":"again"}`)}}
	err = r.Read(t.Context(), Input{FS: other, Path: "more.jsonl", Label: "more.jsonl"}, func(Article) error { return nil })
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	last := logs.records(t)
	wantLast := `more.jsonl: record 1: duplicate id "new" (first in in/d/new.jsonl record 1)`
	if l := last[len(last)-1]; (&Problem{File: l.File, Record: l.Record, Reason: l.Reason}).Error() != wantLast {
		t.Errorf("last problem = %+v, want %q", l, wantLast)
	}
	if diff := cmp.Diff(ReadStats{Files: 7, Articles: 7, Skipped: 2}, r.Stats()); diff != "" {
		t.Errorf("Stats mismatch (-want +got):\n%s", diff)
	}
}

func TestRead_corruptGzip(t *testing.T) {
	t.Parallel()
	good := gzipBytes(t, `{"id":"a","title":"A"}`+"\n"+`{"id":"b","title":"B"}`+"\n"+`{"id":"c","title":"C"}`+"\n")
	badCRC := bytes.Clone(good)
	badCRC[len(badCRC)-8] ^= 0xff // the CRC-32 in the trailer
	middle := bytes.Clone(good)
	middle[len(middle)/2] ^= 0xff
	tests := []struct {
		name    string
		data    []byte
		wantIDs []string
		wantErr string
	}{
		{"bad checksum", badCRC, []string{"a", "b", "c"}, "in/c.jsonl.gz: record 4: reading stopped: gzip: invalid checksum"},
		{"truncated", good[:len(good)-4], []string{"a", "b", "c"}, "in/c.jsonl.gz: record 4: reading stopped: unexpected EOF"},
		{"truncated in its header", good[:5], nil, "in/c.jsonl.gz: gzip: unexpected EOF"},
		{"not gzip", []byte(`{"id":"a","title":"A"}`), nil, "in/c.jsonl.gz: gzip: invalid header"},
		{"empty", nil, nil, "in/c.jsonl.gz: gzip: empty file"},
		{"corrupt in the middle", middle, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fsys := fstest.MapFS{
				"c.jsonl.gz": {Data: tt.data},
				"d.jsonl":    {Data: []byte(`{"id":"d","title":"D"}`)},
			}
			var logs logCapture
			r := NewReader(logs.logger(), false)
			got, err := readAll(t, r, Input{FS: fsys, Path: ".", Label: "in"})
			if err != nil {
				t.Fatalf("Read: %v", err)
			}
			// The next file is read whatever happened to this one.
			if n := len(got); n == 0 || got[n-1].ID != "d" {
				t.Errorf("ids %v do not end with d", ids(got))
			}
			l := logs.records(t)
			if tt.wantErr == "" {
				// Garbage inflated before the damage is detected may
				// make bad records too; the stream error comes last.
				if len(l) == 0 || !strings.Contains(l[len(l)-1].Reason, "reading stopped: ") {
					t.Errorf("log = %+v, want a last problem saying reading stopped", l)
				}
				return
			}
			if r.Stats().Skipped != 1 {
				t.Errorf("Skipped = %d, want 1", r.Stats().Skipped)
			}
			// A file read in part is counted as such: its one bad record
			// hides the articles after it.
			if cut := strings.HasPrefix(tt.name, "bad checksum") || strings.HasPrefix(tt.name, "truncated"); (r.Stats().CutShort == 1) != cut {
				t.Errorf("CutShort = %d, want it 1 only when reading stopped", r.Stats().CutShort)
			}
			if diff := cmp.Diff(append(tt.wantIDs, "d"), ids(got)); diff != "" {
				t.Errorf("ids mismatch (-want +got):\n%s", diff)
			}
			if got := (&Problem{File: l[0].File, Record: l[0].Record, Reason: l[0].Reason}).Error(); got != tt.wantErr {
				t.Errorf("problem = %q, want %q", got, tt.wantErr)
			}
			_, err = readAll(t, NewReader(nil, true), Input{FS: fsys, Path: ".", Label: "in"})
			if err == nil || err.Error() != tt.wantErr {
				t.Errorf("strict Read error = %v, want %q", err, tt.wantErr)
			}
		})
	}
}

func TestRead_files(t *testing.T) {
	t.Parallel()
	line := func(id string) *fstest.MapFile {
		return &fstest.MapFile{Data: []byte(fmt.Sprintf(`{"id":%q,"title":"t"}`, id))}
	}
	fsys := fstest.MapFS{
		"b.jsonl":            line("b"),
		"a/z.jsonl":          line("az"),
		"a/b/c.jsonl":        line("abc"),
		"a/a.txt":            {Data: []byte("Headline\n\nBody.")},
		".hidden.jsonl":      line("hidden"),
		".git/x.jsonl":       line("git"),
		"a/.cache/y.jsonl":   line("cache"),
		"README.md":          {Data: []byte("# not an article")},
		"c.json":             {Data: []byte(`{"id":"json"}`)},
		"d.jsonl.bz2":        {Data: []byte("BZh")},
		"queries/q.jsonl.gz": {Data: gzipBytes(t, `{"id":"gz","title":"t"}`)},
	}
	tests := []struct {
		name    string
		in      Input
		wantIDs []string
		wantErr string
	}{
		{"whole FS in lexical order", Input{FS: fsys, Path: "."}, []string{"a", "abc", "az", "b", "gz"}, ""},
		{"empty path is the whole FS", Input{FS: fsys}, []string{"a", "abc", "az", "b", "gz"}, ""},
		{"directory", Input{FS: fsys, Path: "a"}, []string{"a", "abc", "az"}, ""},
		{"one file", Input{FS: fsys, Path: "a/z.jsonl"}, []string{"az"}, ""},
		{"one gzipped file", Input{FS: fsys, Path: "queries/q.jsonl.gz"}, []string{"gz"}, ""},
		{"missing path", Input{FS: fsys, Path: "nope", Label: "/data/nope"}, nil, "read /data/nope: open nope: file does not exist"},
		{"not an article file", Input{FS: fsys, Path: "README.md"}, nil, "read README.md: not an article file (*.txt, *.jsonl, *.jsonl.gz)"},
		{"no FS", Input{Path: "."}, nil, "read .: no file system"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := readAll(t, NewReader(nil, true), tt.in)
			gotErr := ""
			if err != nil {
				gotErr = err.Error()
			}
			if gotErr != tt.wantErr {
				t.Fatalf("Read error = %q, want %q", gotErr, tt.wantErr)
			}
			if diff := cmp.Diff(tt.wantIDs, ids(got)); diff != "" {
				t.Errorf("ids mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRead_unreadableFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for name, data := range map[string]string{
		"a.jsonl": `{"id":"a","title":"A"}`,
		"b.txt":   "Headline\n\nBody.",
		"c.jsonl": `{"id":"c","title":"C"}`,
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	in := Input{FS: os.DirFS(dir), Path: ".", Label: "in"}
	before, err := Fingerprint([]Input{in})
	if err != nil {
		t.Fatal(err)
	}
	// A dangling symlink cannot be opened, like a file without permission
	// (which root, running tests in a container, could still read); a
	// named pipe would block the open until something wrote to it.
	if err := os.Symlink(filepath.Join(dir, "gone"), filepath.Join(dir, "b2.jsonl")); err != nil {
		t.Skipf("cannot make a symlink: %v", err)
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "d.jsonl"), 0o644); err != nil {
		t.Skipf("cannot make a named pipe: %v", err)
	}
	var logs logCapture
	r := NewReader(logs.logger(), false)
	done := make(chan struct{})
	var got []Article
	go func() {
		defer close(done)
		got, err = readAll(t, r, in)
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Read hangs on the named pipe")
	}
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	if diff := cmp.Diff([]string{"a", "b", "c"}, ids(got)); diff != "" {
		t.Errorf("ids mismatch (-want +got):\n%s", diff)
	}
	l := logs.records(t)
	if len(l) != 2 || l[0].File != "in/b2.jsonl" || !strings.Contains(l[0].Reason, "symbolic link to nothing") ||
		l[1].File != "in/d.jsonl" || !strings.Contains(l[1].Reason, "not a regular file") {
		t.Errorf("log = %+v, want in/b2.jsonl skipped as a link to nothing and in/d.jsonl as no regular file", l)
	}
	// Neither fails the fingerprint (it had failed the whole build after
	// the articles were read), nor changes it: they are never read.
	if after, err := Fingerprint([]Input{in}); err != nil || after != before {
		t.Errorf("Fingerprint with the link and the pipe: %q, %v; want %q", after, err, before)
	}
	// Named on its own, a pipe is refused at once.
	if _, err := readAll(t, r, Input{FS: os.DirFS(dir), Path: "d.jsonl"}); !errors.Is(err, errNotRegular) {
		t.Errorf("Read of the pipe alone: %v, want errNotRegular", err)
	}
}

func TestRead_stops(t *testing.T) {
	t.Parallel()
	var lines []string
	for i := range 100 {
		lines = append(lines, fmt.Sprintf(`{"id":"a%d","title":"t"}`, i))
	}
	fsys := fstest.MapFS{"c.jsonl": {Data: []byte(strings.Join(lines, "\n"))}}
	in := Input{FS: fsys, Path: "."}

	t.Run("yield error", func(t *testing.T) {
		t.Parallel()
		stop := errors.New("stop")
		n := 0
		err := NewReader(nil, false).Read(t.Context(), in, func(Article) error {
			n++
			if n == 10 {
				return stop
			}
			return nil
		})
		if err != stop || n != 10 {
			t.Errorf("Read = %v after %d articles, want the yield error after 10", err, n)
		}
	})
	t.Run("context canceled", func(t *testing.T) {
		t.Parallel()
		ctx, cancel := context.WithCancel(t.Context())
		n := 0
		err := NewReader(nil, false).Read(ctx, in, func(Article) error {
			n++
			if n == 10 {
				cancel()
			}
			return nil
		})
		if !errors.Is(err, context.Canceled) || n != 10 {
			t.Errorf("Read = %v after %d articles, want context.Canceled after 10", err, n)
		}
	})
}

func TestFingerprint(t *testing.T) {
	t.Parallel()
	base := func() fstest.MapFS {
		return fstest.MapFS{
			"seeds/a.txt":       {Data: []byte("Headline\n\nBody.")},
			"seeds/meta.json":   {Data: []byte(`{"a.txt":{"date":"2026-01-01"}}`)},
			"corpus/c.jsonl.gz": {Data: []byte("not really gzip")},
			"corpus/README.md":  {Data: []byte("ignored")},
		}
	}
	inputs := func(fsys fstest.MapFS) []Input {
		return []Input{{FS: fsys, Path: "seeds"}, {FS: fsys, Path: "corpus"}}
	}
	fp := func(fsys fstest.MapFS) string {
		t.Helper()
		s, err := Fingerprint(inputs(fsys))
		if err != nil {
			t.Fatalf("Fingerprint: %v", err)
		}
		return s
	}
	want := fp(base())
	if len(want) != 64 {
		t.Errorf("Fingerprint = %q, want 64 hex digits", want)
	}
	tests := []struct {
		name   string
		change func(fstest.MapFS)
		same   bool
	}{
		{"equal content", func(fstest.MapFS) {}, true},
		{"ignored file changed", func(m fstest.MapFS) { m["corpus/README.md"] = &fstest.MapFile{Data: []byte("edited")} }, true},
		{"dotfile added", func(m fstest.MapFS) { m["seeds/.b.txt"] = &fstest.MapFile{Data: []byte("x")} }, true},
		{"a byte changed", func(m fstest.MapFS) { m["seeds/a.txt"].Data[0] = 'h' }, false},
		{"file added", func(m fstest.MapFS) { m["seeds/b.txt"] = &fstest.MapFile{Data: []byte("B")} }, false},
		{"empty file added", func(m fstest.MapFS) { m["corpus/e.jsonl"] = &fstest.MapFile{} }, false},
		{"meta.json changed", func(m fstest.MapFS) { m["seeds/meta.json"].Data = []byte(`{"a.txt":{"date":"2026-01-02"}}`) }, false},
		{"file renamed", func(m fstest.MapFS) { m["seeds/b.txt"] = m["seeds/a.txt"]; delete(m, "seeds/a.txt") }, false},
		{"file removed", func(m fstest.MapFS) { delete(m, "corpus/c.jsonl.gz") }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m := base()
			tt.change(m)
			if got := fp(m); (got == want) != tt.same {
				t.Errorf("Fingerprint = %s, base %s; want same = %v", got, want, tt.same)
			}
		})
	}
	t.Run("inputs swapped", func(t *testing.T) {
		t.Parallel()
		in := inputs(base())
		got, err := Fingerprint([]Input{in[1], in[0]})
		if err != nil || got == want {
			t.Errorf("Fingerprint of swapped inputs = %s, %v; want a different fingerprint", got, err)
		}
	})
	t.Run("missing input", func(t *testing.T) {
		t.Parallel()
		if _, err := Fingerprint([]Input{{FS: base(), Path: "nope"}}); err == nil {
			t.Error("Fingerprint of a missing input succeeded")
		}
	})
}

// TestReadSeeds reads the real seed articles the binary ships with.
func TestReadSeeds(t *testing.T) {
	t.Parallel()
	articles, err := ReadSeeds(os.DirFS("../seeds"))
	if err != nil {
		t.Fatalf("ReadSeeds: %v", err)
	}
	type seed struct {
		ID, Title    string
		TitleDerived bool
		Date         string
		Source, Lang string
		URL          string
	}
	var got []seed
	for _, a := range articles {
		got = append(got, seed{a.ID, a.Title, a.TitleDerived, a.Date.Format(time.DateOnly), a.Source, a.Lang, a.URL})
	}
	want := []seed{
		{ID: "000_405bb8d18efcf319", Title: "China-Russia relations have been—and remain—steady as a mountain",
			Date: "2026-03-13", Source: "realnoevremya.ru", Lang: "en"},
		{ID: "001_f73cd8b2b73a01dd", Title: "China and Russia 2026: Deepening the strategic partnership and new prospects",
			Date: "2026-02-03", Source: "unknown outlet", Lang: "en"},
		{ID: "002_4583d04b90af7f86", Title: "In early 2026, against a backdrop of growing fragmentation in global politics and intensifying…",
			TitleDerived: true, Date: "2026-02-05", Source: "MIL-OSI", Lang: "en"},
		{ID: "003_9cf5062af831eb83", Title: "“Russia and China, like good neighbors, cannot be separated”",
			Date: "2025-08-22", Source: "realnoevremya.ru", Lang: "en"},
		{ID: "004_6f79ba49cfbf81dd", Title: "Putin and Xi reaffirm strategic partnership in New Year video talks",
			Date: "2026-02-04", Source: "Realist", Lang: "en"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("seeds mismatch (-want +got):\n%s", diff)
	}

	var all strings.Builder
	for _, a := range articles {
		for _, bad := range []string{"Site icon", "Exit mobile version", "Photo:", "/ realnoevremya.ru",
			"An important disclaimer", "Please note:", "Translation. Region", "Source: "} {
			if strings.Contains(a.Body, bad) {
				t.Errorf("%s: body contains boilerplate %q", a.ID, bad)
			}
		}
		if strings.Contains(a.Body, "\n\n\n") || strings.Contains(a.Body, "  ") {
			t.Errorf("%s: body has runs of blank lines or spaces", a.ID)
		}
		all.WriteString(a.Body)
	}
	// Russian words inside English sentences are part of the text.
	for _, word := range []string{"заметно", "профильные", "затрагивают", "предполагают"} {
		if !strings.Contains(all.String(), word) {
			t.Errorf("bodies lost the Russian word %q", word)
		}
	}
	if !strings.Contains(articles[3].Body, "sobered up Tatarstan and Chinese businesses.\n\n") {
		t.Error("003: the sentence before the photo credits was not kept as its own paragraph end")
	}
}

// TestReadCorpora reads the shared real-world corpora, when present, as
// the indexer would: one Reader, default (skipping) mode.
func TestReadCorpora(t *testing.T) {
	if testing.Short() {
		t.Skip("reading 70,000 corpus articles takes seconds; skipped with -short")
	}
	const root = "../../shared/corpus"
	if _, err := os.Stat(root); err != nil {
		t.Skipf("shared corpora not found at %s (%v); they live outside the repository", root, err)
	}
	t.Parallel()
	corpora := []struct {
		file  string
		total int // records, as documented in the corpus README
	}{
		{"cranfield/docs.jsonl", 1400},
		{"reuters21578/docs.jsonl.gz", 21578},
		{"bbc/docs.jsonl.gz", 2225},
		{"cctv_xwlb/docs.jsonl.gz", 24102},
		{"ru_telegram_news/docs.jsonl.gz", 22050},
	}
	var logs logCapture
	r := NewReader(logs.logger(), false)
	news := 0
	for _, c := range corpora {
		before := r.Stats()
		start := time.Now()
		langs := map[string]int{}
		err := r.Read(t.Context(), Input{FS: os.DirFS(root), Path: c.file, Label: c.file}, func(a Article) error {
			langs[a.Lang]++
			return nil
		})
		if err != nil {
			t.Fatalf("Read %s: %v", c.file, err)
		}
		read := r.Stats().Articles - before.Articles
		skipped := r.Stats().Skipped - before.Skipped
		elapsed := time.Since(start)
		t.Logf("%s: %d articles, %d skipped, languages %v, %v (%.0f records/s)",
			c.file, read, skipped, langs, elapsed.Round(time.Millisecond), float64(read+skipped)/elapsed.Seconds())
		if read+skipped != c.total {
			t.Errorf("%s: %d read + %d skipped, want %d records", c.file, read, skipped, c.total)
		}
		if skipped*100 > c.total {
			t.Errorf("%s: %d of %d records skipped, more than 1%%", c.file, skipped, c.total)
		}
		if c.file != "cranfield/docs.jsonl" {
			news += read
		}
	}
	if news < 69_000 {
		t.Errorf("read %d news articles, want at least 69,000", news)
	}
	reasons := map[string]int{}
	for _, l := range logs.records(t) {
		if l.Level == "WARN" {
			reasons[l.File+": "+l.Reason]++
		}
	}
	keys := make([]string, 0, len(reasons))
	for k := range reasons {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		t.Logf("skipped %d× %s", reasons[k], k)
	}
}

// benchCorpus returns n JSON Lines records shaped like the shared corpora:
// a mix of English, Russian and Chinese news with a few hundred to a few
// thousand bytes of body, some without title or language.
func benchCorpus(n int) []byte {
	en := strings.Repeat("Putin said economic ties remained resilient last year, noting that bilateral trade exceeded $200 bn for the third consecutive year. ", 8)
	ru := strings.Repeat("Президент России провёл переговоры с председателем КНР. Стороны обсудили торговлю и инвестиции. ", 6)
	zh := strings.Repeat("央视网消息：国家主席习近平今天在人民大会堂会见来访的外国领导人，双方就双边关系交换了意见。", 8)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	for i := range n {
		rec := Record{ID: fmt.Sprintf("bench-%d", i), Date: "2024-05-01", Source: "Bench wire"}
		switch i % 3 {
		case 0:
			rec.Title, rec.Body, rec.Lang = "Putin and Xi reaffirm strategic partnership", en+"\n\n"+en, "en"
		case 1:
			rec.Body = ru // no title, no lang: derived and detected
		case 2:
			rec.Title, rec.Body, rec.Lang = "国家主席习近平会见外宾", zh, "zh"
		}
		enc.Encode(rec)
	}
	return buf.Bytes()
}

func BenchmarkReadJSONL(b *testing.B) {
	const n = 10_000
	data := benchCorpus(n)
	fsys := fstest.MapFS{"c.jsonl": {Data: data}}
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		r := NewReader(nil, true)
		err := r.Read(context.Background(), Input{FS: fsys, Path: "."}, func(Article) error { return nil })
		if err != nil || r.Stats().Articles != n {
			b.Fatalf("Read: %v, %d articles", err, r.Stats().Articles)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "records/s")
}

// checkPrepared fails unless a is as Prepare leaves it.
func checkPrepared(t *testing.T, a Article) {
	t.Helper()
	again, err := Prepare(a)
	if err != nil {
		t.Fatalf("yielded article %q fails Prepare: %v", a.ID, err)
	}
	if diff := cmp.Diff(a, again); diff != "" {
		t.Fatalf("yielded article %q changes under Prepare (-yielded +prepared):\n%s", a.ID, diff)
	}
}

func FuzzReadJSONL(f *testing.F) {
	f.Add([]byte(""))
	f.Add([]byte(goodJSONL))
	f.Add([]byte(`{"id":"x","title":"t","date":"2024-13-01"}` + "\n" + `{"id":"x","title":"dup"}`))
	f.Add([]byte("{\"id\":\"x\",\"title\":\"caf\xe9\"}\n\xff\xfe"))
	f.Add([]byte(`{"id":"x","body":"Mixed 中文 русский English \u0000 \ud800"}`))
	f.Add([]byte(`{"id":"x","title":5,"body":["a"]}` + "\n[1]\nnull\n\"s\"\n{}"))
	f.Add(benchCorpus(30))
	f.Add([]byte(`{"id":"long","body":"` + strings.Repeat("слово ", 6_000) + `"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		fsys := fstest.MapFS{"c.jsonl": {Data: data}}
		r := NewReader(nil, false)
		n := 0
		err := r.Read(context.Background(), Input{FS: fsys, Path: "."}, func(a Article) error {
			n++
			checkPrepared(t, a)
			return nil
		})
		if err != nil {
			t.Fatalf("Read in default mode returned %v; problems should be skipped", err)
		}
		if s := r.Stats(); s.Articles != n || s.Files != 1 {
			t.Fatalf("Stats = %+v after %d articles", s, n)
		}
	})
}

// denyFS refuses to open one file, as a file of another user's without
// read permission would be (tests run as root, who may read anything).
type denyFS struct {
	fs.FS
	denied string
}

func (d denyFS) Open(name string) (fs.File, error) {
	if name == d.denied {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
	}
	return d.FS.Open(name)
}

// Stat works, as stat(2) does on a file one may not read.
func (d denyFS) Stat(name string) (fs.FileInfo, error) { return fs.Stat(d.FS, name) }

// TestBuild_unreadableFile: a file the process may not open is skipped,
// and the build goes on. Read had skipped it and Fingerprint then failed
// the whole build, after every article was read.
func TestBuild_unreadableFile(t *testing.T) {
	t.Parallel()
	files := fstest.MapFS{
		"a.jsonl": {Data: []byte(`{"id":"a","title":"Alpha zqreadable"}` + "\n")},
		"b.jsonl": {Data: []byte(`{"id":"b","title":"Beta zqsecret"}` + "\n")},
	}
	open := Input{FS: files, Path: ".", Label: "in"}
	denied := Input{FS: denyFS{files, "b.jsonl"}, Path: ".", Label: "in"}
	readable, err := Fingerprint([]Input{open})
	if err != nil {
		t.Fatal(err)
	}
	fp, err := Fingerprint([]Input{denied})
	if err != nil || fp == readable {
		t.Fatalf("Fingerprint with b.jsonl denied: %q, %v; want one, not the readable files'", fp, err)
	}
	x, err := Open(context.Background(), Options{Dir: t.TempDir(), Inputs: []Input{denied}, Logger: testLogger(t)})
	if err != nil {
		t.Fatalf("build with an unreadable file: %v", err)
	}
	defer x.Close()
	if got := mustSearch(t, x, Query{Text: "zqreadable", Size: 10}).Total; got != 1 {
		t.Errorf("the readable file's article: %d hits, want 1", got)
	}
}
