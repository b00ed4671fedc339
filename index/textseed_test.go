package index

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"
)

// textResult is what a text-article test compares.
type textResult struct {
	Title        string
	TitleDerived bool
	Date         string
	Source       string
	Lang         string
	Body         string
}

func project(a Article) textResult {
	date := ""
	if !a.Date.IsZero() {
		date = a.Date.Format(time.DateOnly)
	}
	return textResult{a.Title, a.TitleDerived, date, a.Source, a.Lang, a.Body}
}

func TestRead_text(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("word ", 50) + "end"
	tests := []struct {
		name    string
		file    string // file name, a.txt when empty
		text    string
		want    textResult
		wantErr string // the strict Read error, instead of want
	}{
		{
			name: "date line before title",
			text: " date 2026-03-13 China and Russia talk\n\nFirst paragraph of the story.\n\nSecond paragraph.\n",
			want: textResult{Title: "China and Russia talk", Date: "2026-03-13", Source: "unknown", Lang: "en",
				Body: "First paragraph of the story.\n\nSecond paragraph."},
		},
		{
			name: "date on a line of its own",
			text: " date 2026-03-13\nChina and Russia talk\nThe story is here.",
			want: textResult{Title: "China and Russia talk", Date: "2026-03-13", Source: "unknown", Lang: "en", Body: "The story is here."},
		},
		{
			name:    "impossible date",
			text:    "\n date 2026-02-30 Headline\n\nBody.",
			wantErr: `a.txt: line 2: date: "2026-02-30" is not a YYYY-MM-DD or RFC 3339 date`,
		},
		{
			name: "dateline names the outlet",
			text: "Putin and Xi talk\n\nMOSCOW (Realist English). Russian President Vladimir Putin held a video conference.",
			want: textResult{Title: "Putin and Xi talk", Source: "Realist", Lang: "en",
				Body: "MOSCOW (Realist English). Russian President Vladimir Putin held a video conference."},
		},
		{
			name: "wire dateline with a date",
			text: "Oil rises\n\nNEW YORK, March 3 (Reuters) - Oil prices rose on the news.",
			want: textResult{Title: "Oil rises", Source: "Reuters", Lang: "en", Body: "NEW YORK, March 3 (Reuters) - Oil prices rose on the news."},
		},
		{
			name: "brackets later in the text are not a dateline",
			text: "Headline\n\nThe minister (who spoke first) said the talks went well.\n\nKAZAN (Tatar-inform) is not the lead.",
			want: textResult{Title: "Headline", Source: "unknown", Lang: "en",
				Body: "The minister (who spoke first) said the talks went well.\n\nKAZAN (Tatar-inform) is not the lead."},
		},
		{
			name: "site icon wins over the dateline",
			text: "Site icon Daily Planet: all the news\n\nHeadline\n\nMETROPOLIS (AP) - The story.\n\nExit mobile version\n",
			want: textResult{Title: "Headline", Source: "Daily Planet", Lang: "en", Body: "METROPOLIS (AP) - The story."},
		},
		{
			name: "feed headers and disclaimer",
			text: "Translation. Region: Russian Federation –\nSource: Some Ministry – Press Service –\n" +
				"An important disclaimer is at the bottom of this article.\n" + long + ".\n" +
				"Please note: This information is raw content obtained directly from the source. It does not necessarily reflect the position of MIL-OSI or its clients.\n",
			want: textResult{Title: strings.TrimSpace(deriveTitle(long)), TitleDerived: true, Source: "MIL-OSI", Lang: "other", Body: long + "."},
		},
		{
			name: "credits after a sentence are cut, the sentence stays",
			text: "Headline\n\nThe minister sobered up the businesses. Artem Dergunov / realnoevremya.ru. Артем Дергунов / realnoevremya.ru\n\nMore text follows.",
			want: textResult{Title: "Headline", Source: "realnoevremya.ru", Lang: "en",
				Body: "The minister sobered up the businesses.\n\nMore text follows."},
		},
		{
			name: "credit and photo lines are dropped",
			text: "Headline\n\nPhoto: Дина Фатхова\n\nText one is here.\n\nМария Зверева / Example.COM\n\nJ. R. Smith / news.example.co.uk.\n\nText two is here.",
			want: textResult{Title: "Headline", Source: "example.com", Lang: "en", Body: "Text one is here.\n\nText two is here."},
		},
		{
			name: "a slash in prose is not a credit",
			text: "Headline\n\nThe ratio was 3 / 4 and the site is example.com. Prices rose.",
			want: textResult{Title: "Headline", Source: "unknown", Lang: "en", Body: "The ratio was 3 / 4 and the site is example.com. Prices rose."},
		},
		{
			name: "one paragraph per line",
			text: "Headline\nThe first paragraph is here.\nA subheading\nThe second paragraph is here.\n\n\n",
			want: textResult{Title: "Headline", Source: "unknown", Lang: "en",
				Body: "The first paragraph is here.\n\nA subheading\n\nThe second paragraph is here."},
		},
		{
			name: "hard-wrapped lines are joined",
			text: "Headline\n\nThis sentence of the story is wrapped\nacross two lines. It goes on.\nA new paragraph starts here.",
			want: textResult{Title: "Headline", Source: "unknown", Lang: "en",
				Body: "This sentence of the story is wrapped across two lines. It goes on.\n\nA new paragraph starts here."},
		},
		{
			name: "spaces collapsed, tabs too",
			text: "  Head   line \t\n\n  Body  with\t\tgaps.  ",
			want: textResult{Title: "Head line", Source: "unknown", Lang: "en", Body: "Body with gaps."},
		},
		{
			name: "first line is prose: no title",
			text: "The first sentence is here. The second one is here. And a third.\n\nMore of the story.",
			want: textResult{Title: "The first sentence is here", TitleDerived: true, Source: "unknown", Lang: "en",
				Body: "The first sentence is here. The second one is here. And a third.\n\nMore of the story."},
		},
		{
			name: "two-sentence headline stays a title",
			text: "Oil falls. Stocks rise\n\nMarkets moved on the news.",
			want: textResult{Title: "Oil falls. Stocks rise", Source: "unknown", Lang: "en", Body: "Markets moved on the news."},
		},
		{
			name: "title only",
			text: "Just a headline about the news",
			want: textResult{Title: "Just a headline about the news", Source: "unknown", Lang: "en"},
		},
		{
			name: "Russian article",
			text: "Заголовок новости\n\nТекст статьи на русском языке, про экономику.",
			want: textResult{Title: "Заголовок новости", Source: "unknown", Lang: "ru", Body: "Текст статьи на русском языке, про экономику."},
		},
		{
			name: "BOM and CRLF",
			text: "\uFEFFHeadline\r\n\r\nThe body of the story.\r\n",
			want: textResult{Title: "Headline", Source: "unknown", Lang: "en", Body: "The body of the story."},
		},
		{
			name:    "invalid UTF-8",
			text:    "Headline\n\nBad \xff byte here.\n",
			wantErr: "a.txt: line 3: not valid UTF-8",
		},
		{
			name:    "control character",
			text:    "Headline\n\nBad \x00 byte.",
			wantErr: "a.txt: line 3: control character U+0000 at byte 4",
		},
		{
			name:    "only boilerplate",
			text:    "Site icon Realist: news\n\nPhoto: Someone\n\nExit mobile version\n",
			wantErr: "a.txt: no title or body text",
		},
		{
			name:    "empty file",
			text:    "",
			wantErr: "a.txt: no title or body text",
		},
		{
			name:    "file name is not an id",
			file:    "a b.txt",
			text:    "Headline",
			wantErr: `a b.txt: id: "a b" contains white space`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			file := tt.file
			if file == "" {
				file = "a.txt"
			}
			fsys := fstest.MapFS{file: {Data: []byte(tt.text)}}
			got, err := readAll(t, NewReader(nil, true), Input{FS: fsys, Path: "."})
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("Read error = %v, want %q", err, tt.wantErr)
				}
				var p *Problem
				if !errors.As(err, &p) {
					t.Errorf("Read error %T is not a *Problem", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Read: %v", err)
			}
			if len(got) != 1 || got[0].ID != strings.TrimSuffix(file, ".txt") {
				t.Fatalf("Read gave %v, want one article", ids(got))
			}
			if diff := cmp.Diff(tt.want, project(got[0])); diff != "" {
				t.Errorf("article mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRead_sidecar(t *testing.T) {
	t.Parallel()
	const text = "Broken headline Special to Real\n\nTime by the author.\n\nThe story."
	fromText := textResult{Title: "Broken headline Special to Real", Source: "unknown", Lang: "en", Body: "Time by the author.\n\nThe story."}
	tests := []struct {
		name     string
		meta     string
		want     textResult
		problems []string // logged in default mode; the first is the strict error
	}{
		{
			name: "no sidecar entry",
			meta: `{}`,
			want: fromText,
		},
		{
			name: "values override and fill in",
			meta: `{"a.txt": {"title": " Fixed  headline ", "date": "2026-02-03", "source": "Real Time",
				"url": "https://example.com/a", "lang": "other", "note": "The scrape broke the headline.\nSee the page."}}`,
			want: textResult{Title: "Fixed headline", Date: "2026-02-03", Source: "Real Time", Lang: "other", Body: fromText.Body},
		},
		{
			name: "RFC 3339 date",
			meta: `{"a.txt": {"date": "2026-02-03T23:30:00-05:00"}}`,
			want: textResult{Title: fromText.Title, Date: "2026-02-04", Source: "unknown", Lang: "en", Body: fromText.Body},
		},
		{
			name:     "unknown key",
			meta:     "{\n  \"a.txt\": {\"titel\": \"Fixed\"}\n}",
			want:     fromText,
			problems: []string{`in/meta.json: line 2: "a.txt": unknown key "titel"`},
		},
		{
			name:     "unknown file",
			meta:     `{"b.txt": {"title": "x"}, "a": {}, "a.txt": {"source": "S"}}`,
			want:     textResult{Title: fromText.Title, Source: "S", Lang: "en", Body: fromText.Body},
			problems: []string{`in/meta.json: line 1: "b.txt": no such .txt file in this directory`, `in/meta.json: line 1: "a": no such .txt file in this directory`},
		},
		{
			name:     "bad date",
			meta:     `{"a.txt": {"date": "3 Feb 2026", "title": "Fixed"}}`,
			want:     fromText,
			problems: []string{`in/meta.json: line 1: "a.txt": date: "3 Feb 2026" is not a YYYY-MM-DD or RFC 3339 date`},
		},
		{
			name:     "wrong type",
			meta:     `{"a.txt": {"date": 20260203}}`,
			want:     fromText,
			problems: []string{`in/meta.json: line 1: "a.txt": date: got number, want string`},
		},
		{
			name:     "entry not an object",
			meta:     `{"a.txt": "Fixed"}`,
			want:     fromText,
			problems: []string{`in/meta.json: line 1: "a.txt": got string, want an object`},
		},
		{
			name:     "bad lang",
			meta:     `{"a.txt": {"lang": "english"}}`,
			want:     fromText,
			problems: []string{`in/meta.json: line 1: "a.txt": lang: "english" is not one of en, ru, zh, other`},
		},
		{
			name:     "bad url",
			meta:     `{"a.txt": {"url": "example.com/a"}}`,
			want:     fromText,
			problems: []string{`in/meta.json: line 1: "a.txt": url: "example.com/a" is not an absolute http or https URL`},
		},
		{
			name:     "title with a newline",
			meta:     `{"a.txt": {"title": "two\nlines"}}`,
			want:     fromText,
			problems: []string{`in/meta.json: line 1: "a.txt": title: control character U+000A at byte 3`},
		},
		{
			name:     "repeated key",
			meta:     `{"a.txt": {"source": "S"}, "a.txt": {"source": "T"}}`,
			want:     textResult{Title: fromText.Title, Source: "S", Lang: "en", Body: fromText.Body},
			problems: []string{`in/meta.json: line 1: "a.txt": repeated`},
		},
		{
			name:     "invalid JSON",
			meta:     `{"a.txt": {"title": "x"}`,
			want:     fromText,
			problems: []string{`in/meta.json: invalid JSON: unexpected end of file`},
		},
		{
			name:     "not an object",
			meta:     `["a.txt"]`,
			want:     fromText,
			problems: []string{`in/meta.json: not a JSON object keyed by file name`},
		},
		{
			name:     "trailing data",
			meta:     `{} {}`,
			want:     fromText,
			problems: []string{`in/meta.json: invalid JSON: data after the object`},
		},
		{
			name:     "invalid UTF-8",
			meta:     "{\n\"a.txt\": {\"title\": \"\xff\"}}",
			want:     fromText,
			problems: []string{`in/meta.json: line 2: not valid UTF-8`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fsys := fstest.MapFS{
				"a.txt":     {Data: []byte(text)},
				"meta.json": {Data: []byte(tt.meta)},
			}
			in := Input{FS: fsys, Path: ".", Label: "in"}
			var logs logCapture
			r := NewReader(logs.logger(), false)
			got, err := readAll(t, r, in)
			if err != nil {
				t.Fatalf("Read: %v", err)
			}
			if len(got) != 1 {
				t.Fatalf("Read gave %v, want one article", ids(got))
			}
			if diff := cmp.Diff(tt.want, project(got[0])); diff != "" {
				t.Errorf("article mismatch (-want +got):\n%s", diff)
			}
			var problems []string
			for _, l := range logs.records(t) {
				problems = append(problems, (&Problem{File: l.File, Line: l.Line, Reason: l.Reason}).Error())
			}
			if diff := cmp.Diff(tt.problems, problems); diff != "" {
				t.Errorf("problems mismatch (-want +got):\n%s", diff)
			}
			if r.Stats().Skipped != len(tt.problems) {
				t.Errorf("Skipped = %d, want %d", r.Stats().Skipped, len(tt.problems))
			}
			_, err = readAll(t, NewReader(nil, true), in)
			if len(tt.problems) == 0 && err != nil || len(tt.problems) > 0 && (err == nil || err.Error() != tt.problems[0]) {
				t.Errorf("strict Read error = %v, want %v", err, tt.problems)
			}
		})
	}
}

func TestRead_sidecarPerDirectory(t *testing.T) {
	t.Parallel()
	fsys := fstest.MapFS{
		"a/x.txt":     {Data: []byte("Headline A")},
		"a/meta.json": {Data: []byte(`{"x.txt": {"source": "Outlet A"}}`)},
		"b/y.txt":     {Data: []byte("Headline B")},
		"c/meta.json": {Data: []byte(`{"z.txt": {"source": "Outlet C"}}`)},
	}
	var logs logCapture
	r := NewReader(logs.logger(), false)
	got, err := readAll(t, r, Input{FS: fsys, Path: "."})
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	var sources []string
	for _, a := range got {
		sources = append(sources, a.ID+"="+a.Source)
	}
	if diff := cmp.Diff([]string{"x=Outlet A", "y=unknown"}, sources); diff != "" {
		t.Errorf("sources mismatch (-want +got):\n%s", diff)
	}
	l := logs.records(t)
	if len(l) != 1 || l[0].File != "c/meta.json" {
		t.Errorf("log = %+v, want one problem for c/meta.json", l)
	}

	// Reading one .txt file still applies its directory's sidecar.
	got, err = readAll(t, NewReader(nil, true), Input{FS: fsys, Path: "a/x.txt"})
	if err != nil || len(got) != 1 || got[0].Source != "Outlet A" {
		t.Errorf("Read a/x.txt = %+v, %v; want source Outlet A", got, err)
	}
}

// TestRead_seedMeta checks that every value in seeds/meta.json matters:
// without the sidecar the seeds lack the dates and the fixed title.
func TestRead_seedMeta(t *testing.T) {
	t.Parallel()
	fsys := fstest.MapFS{}
	entries, err := os.ReadDir("../seeds")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if filepath.Ext(e.Name()) != ".txt" {
			continue
		}
		data, err := os.ReadFile(filepath.Join("../seeds", e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		fsys[e.Name()] = &fstest.MapFile{Data: data}
	}
	articles, err := ReadSeeds(fsys)
	if err != nil {
		t.Fatalf("ReadSeeds without meta.json: %v", err)
	}
	var undated []string
	for _, a := range articles {
		if a.Date.IsZero() {
			undated = append(undated, a.ID)
		}
	}
	want := []string{"001_f73cd8b2b73a01dd", "002_4583d04b90af7f86", "004_6f79ba49cfbf81dd"}
	if diff := cmp.Diff(want, undated); diff != "" {
		t.Errorf("seeds without a date in the text (-want +got):\n%s", diff)
	}
	if got := articles[0].Title; got != "China-Russia relations have been—and remain—steady as a mountain Special to Real" {
		t.Errorf("000 title from the text = %q", got)
	}
}

func FuzzReadText(f *testing.F) {
	f.Add([]byte(""))
	f.Add([]byte(" date 2026-03-13 Headline\n\nBody."))
	f.Add([]byte("Headline\n\nBad \xff byte\n"))
	f.Add([]byte("Заголовок 新闻 Headline\n\nMixed текст 中文 text. Иван Петров / example.ru"))
	f.Add([]byte("Site icon X: y\nMOSCOW (X English). Text.\nPhoto: A / b.ru\nExit mobile version"))
	f.Add([]byte(strings.Repeat("A long line of text without end ", 2_000)))
	f.Add([]byte(strings.Repeat("\n", 1000) + "\r\r\t\x00"))
	if entries, err := os.ReadDir("../seeds"); err == nil {
		for _, e := range entries {
			if data, err := os.ReadFile(filepath.Join("../seeds", e.Name())); err == nil && filepath.Ext(e.Name()) == ".txt" {
				f.Add(data)
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fsys := fstest.MapFS{"a.txt": {Data: data}}
		n := 0
		err := NewReader(nil, true).Read(context.Background(), Input{FS: fsys, Path: "."}, func(a Article) error {
			n++
			checkPrepared(t, a)
			return nil
		})
		var p *Problem
		switch {
		case err != nil && !errors.As(err, &p):
			t.Fatalf("Read error %v is not a *Problem", err)
		case err != nil && n > 0:
			t.Fatalf("Read yielded an article and returned %v", err)
		case err == nil && n != 1:
			t.Fatalf("Read yielded %d articles without error, want 1", n)
		}
	})
}
