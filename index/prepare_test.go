package index

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/google/go-cmp/cmp"
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func TestPrepare(t *testing.T) {
	t.Parallel()
	moscow := time.FixedZone("MSK", 3*60*60)
	tests := []struct {
		name string
		in   Article
		want Article
	}{
		{
			name: "complete article is kept",
			in: Article{ID: "a1", Title: "Putin and Xi talk", Body: "Body text.", Date: day(2026, 2, 4),
				Source: "Realist", Lang: "en", URL: "https://example.com/a1"},
			want: Article{ID: "a1", Title: "Putin and Xi talk", Body: "Body text.", Date: day(2026, 2, 4),
				Source: "Realist", Lang: "en", URL: "https://example.com/a1"},
		},
		{
			name: "title and source collapsed, body trimmed, defaults filled",
			in:   Article{ID: "a2", Title: "  Oil\u00a0prices   rise ", Body: "\n\nThe price of oil rose.\n\nTraders said so.\n", Source: "  "},
			want: Article{ID: "a2", Title: "Oil prices rise", Body: "The price of oil rose.\n\nTraders said so.", Source: "unknown", Lang: "en"},
		},
		{
			name: "carriage returns become newlines",
			in:   Article{ID: "a3", Title: "T", Body: "one\r\ntwo\rthree", Lang: "en"},
			want: Article{ID: "a3", Title: "T", Body: "one\ntwo\nthree", Source: "unknown", Lang: "en"},
		},
		{
			name: "title derived from first sentence",
			in:   Article{ID: "a4", Body: "The dry period means the crop will be late. Arrivals were 155,221 bags."},
			want: Article{ID: "a4", Title: "The dry period means the crop will be late", TitleDerived: true,
				Body: "The dry period means the crop will be late. Arrivals were 155,221 bags.", Source: "unknown", Lang: "en"},
		},
		{
			name: "date converted to its UTC day",
			in:   Article{ID: "a5", Title: "Новости дня", Date: time.Date(2024, 1, 1, 2, 30, 0, 0, moscow)},
			want: Article{ID: "a5", Title: "Новости дня", Date: day(2023, 12, 31), Source: "unknown", Lang: "ru"},
		},
		{
			name: "language detected from Chinese title and body",
			in:   Article{ID: "xwlb-1", Title: "新闻联播", Body: "央视网消息：国家主席习近平今天在北京会见了来访的外国领导人。"},
			want: Article{ID: "xwlb-1", Title: "新闻联播", Body: "央视网消息：国家主席习近平今天在北京会见了来访的外国领导人。", Source: "unknown", Lang: "zh"},
		},
		{
			name: "body may hold tabs",
			in:   Article{ID: "a6", Body: "col1\tcol2", Lang: "other"},
			want: Article{ID: "a6", Title: "col1 col2", TitleDerived: true, Body: "col1\tcol2", Source: "unknown", Lang: "other"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := Prepare(tt.in)
			if err != nil {
				t.Fatalf("Prepare: %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Prepare mismatch (-want +got):\n%s", diff)
			}
			again, err := Prepare(got)
			if err != nil {
				t.Fatalf("Prepare(Prepare(a)): %v", err)
			}
			if diff := cmp.Diff(got, again); diff != "" {
				t.Errorf("Prepare is not idempotent (-once +twice):\n%s", diff)
			}
		})
	}
}

func TestPrepare_invalid(t *testing.T) {
	t.Parallel()
	ok := Article{ID: "ok", Title: "Title", Body: "Body"}
	with := func(f func(*Article)) Article { a := ok; f(&a); return a }
	tests := []struct {
		name      string
		in        Article
		wantField string
		wantErr   string
	}{
		{"missing id", with(func(a *Article) { a.ID = "" }), "id", `invalid article: id: missing`},
		{"id with slash", with(func(a *Article) { a.ID = "a/b" }), "id", `invalid article: id: "a/b" contains '/'`},
		{"title invalid UTF-8", with(func(a *Article) { a.Title = "bad \xff title" }), "title", `invalid article: title: not valid UTF-8`},
		{"title with newline", with(func(a *Article) { a.Title = "two\nlines" }), "title", `invalid article: title: control character U+000A at byte 3`},
		{"title too long", with(func(a *Article) { a.Title = strings.Repeat("я", 1001) }), "title", `invalid article: title: 1001 characters, more than 1000`},
		{"body with NUL", with(func(a *Article) { a.Body = "a\x00b" }), "body", `invalid article: body: control character U+0000 at byte 1`},
		{"body with C1 control", with(func(a *Article) { a.Body = "a\u0085b" }), "body", `invalid article: body: control character U+0085 at byte 1`},
		{"body with DEL", with(func(a *Article) { a.Body = "a\x7fb" }), "body", `invalid article: body: control character U+007F at byte 1`},
		{"body too long", with(func(a *Article) { a.Body = strings.Repeat("x", 1<<20+1) }), "body", `invalid article: body: 1048577 bytes, more than 1048576`},
		{"neither title nor body", with(func(a *Article) { a.Title, a.Body = " ", "\n\n" }), "body", `invalid article: body: empty, and there is no title`},
		{"source too long", with(func(a *Article) { a.Source = strings.Repeat("s", 201) }), "source", `invalid article: source: 201 characters, more than 200`},
		{"source with tab", with(func(a *Article) { a.Source = "a\tb" }), "source", `invalid article: source: control character U+0009 at byte 1`},
		{"url not http", with(func(a *Article) { a.URL = "ftp://example.com/x" }), "url", `invalid article: url: "ftp://example.com/x" is not an absolute http or https URL`},
		{"url relative", with(func(a *Article) { a.URL = "/news/1" }), "url", `invalid article: url: "/news/1" is not an absolute http or https URL`},
		{"url too long", with(func(a *Article) { a.URL = "https://example.com/" + strings.Repeat("x", 2048) }), "url", `invalid article: url: 2068 bytes, more than 2048`},
		{"unknown lang", with(func(a *Article) { a.Lang = "de" }), "lang", `invalid article: lang: "de" is not one of en, ru, zh, other`},
		{"date out of range", with(func(a *Article) { a.Date = day(1600, 1, 1) }), "date", `invalid article: date: year 1600 is outside 1700–2200`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := Prepare(tt.in)
			if err == nil {
				t.Fatal("Prepare succeeded, want error")
			}
			if got := err.Error(); got != tt.wantErr {
				t.Errorf("error = %q, want %q", got, tt.wantErr)
			}
			if !errors.Is(err, ErrInvalidArticle) {
				t.Errorf("errors.Is(%v, ErrInvalidArticle) = false", err)
			}
			var fe *FieldError
			if !errors.As(err, &fe) || fe.Field != tt.wantField {
				t.Errorf("error field = %+v, want field %q", fe, tt.wantField)
			}
		})
	}
}

func TestDeriveTitle(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, body, want string
	}{
		{"first sentence", "Putin met Xi. They talked.", "Putin met Xi"},
		{"question kept", "Who won? Nobody knows.", "Who won?"},
		{"closing quote", `"We are ready." He left.`, `"We are ready."`},
		{"abbreviation is not an end", "U.S. President Biden spoke on Feb. 26 in Washington. More later.",
			"U.S. President Biden spoke on Feb. 26 in Washington"},
		{"decimal is not an end", "Growth was 3.5 pct in March. Analysts agreed.", "Growth was 3.5 pct in March"},
		{"only first line", "FEDERAL RESERVE WEEKLY REPORT 1 - FEB 26\n\nTwo weeks ended Feb 25", "FEDERAL RESERVE WEEKLY REPORT 1 - FEB 26"},
		{"long sentence cut at a word",
			"In early 2026, against a backdrop of growing fragmentation in global politics and intensifying competing narratives, a video meeting took place.",
			"In early 2026, against a backdrop of growing fragmentation in global politics and intensifying…"},
		{"trailing comma dropped before ellipsis",
			"Aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk llll mmmm nnnn oooo pppp qqqq rrrr ssss, tttt uuuu vvvv",
			"Aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk llll mmmm nnnn oooo pppp qqqq rrrr ssss…"},
		{"Chinese sentence", "国家主席习近平会见外宾。双方进行了会谈。", "国家主席习近平会见外宾"},
		{"Chinese cut at width",
			strings.Repeat("中", 80) + "。",
			strings.Repeat("中", 50) + "…"},
		{"one long token", strings.Repeat("x", 150), strings.Repeat("x", 100) + "…"},
		{"Russian abbreviation", "В 2024 г. рост составил 5%. Это много.", "В 2024 г. рост составил 5%"},
		{"stop after a space", "0000 . !", "0000"},
		{"sentence of punctuation only", ". Hello there", ". Hello there"},
		{"line of punctuation", "!!!", "!!!"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := deriveTitle(tt.body); got != tt.want {
				t.Errorf("deriveTitle(%q) =\n%q, want\n%q", tt.body, got, tt.want)
			}
		})
	}
}

func TestValidID(t *testing.T) {
	t.Parallel()
	tests := []struct {
		id      string
		wantErr string // "" for valid
	}{
		{"000_405bb8d18efcf319", ""},
		{"reuters-12793", ""},
		{"xwlb-20220101-01", ""},
		{"статья-1", ""},
		{"新闻-1", ""},
		{"a.b:c@d+e", ""},
		{strings.Repeat("x", 200), ""},
		{"", "invalid article: id: missing"},
		{strings.Repeat("x", 201), "invalid article: id: 201 bytes, more than 200"},
		{"a b", `invalid article: id: "a b" contains white space`},
		{"a\u00a0b", `invalid article: id: "a\u00a0b" contains white space`},
		{"a\tb", `invalid article: id: "a\tb" contains white space`},
		{"a?b", `invalid article: id: "a?b" contains '?'`},
		{"a#b", `invalid article: id: "a#b" contains '#'`},
		{"100%", `invalid article: id: "100%" contains '%'`},
		{"a/b", `invalid article: id: "a/b" contains '/'`},
		{"a\x00b", `invalid article: id: "a\x00b" contains the non-printable character U+0000`},
		{"a\u200bb", `invalid article: id: "a\u200bb" contains the non-printable character U+200B`},
		{"a\xffb", "invalid article: id: not valid UTF-8"},
		{".", `invalid article: id: "." is not allowed`},
		{"..", `invalid article: id: ".." is not allowed`},
		{"_bulk", `invalid article: id: "_bulk" is not allowed`}, // the bulk route's name
	}
	for _, tt := range tests {
		err := ValidID(tt.id)
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != tt.wantErr {
			t.Errorf("ValidID(%q) = %q, want %q", tt.id, got, tt.wantErr)
		}
	}
}

// TestCheckText compares the word-at-a-time control-character scan with a
// rune-by-rune reference, with the bad character at every offset around
// the 8-byte words.
func TestCheckText(t *testing.T) {
	t.Parallel()
	reference := func(s string, multiline bool) string {
		for i, r := range s {
			if unicode.IsControl(r) && !(multiline && (r == '\n' || r == '\t')) {
				return fmt.Sprintf("control character %U at byte %d", r, i)
			}
		}
		return ""
	}
	fillers := []string{"a", "я", "中", "«", "\u00a0"}
	specials := []string{"\x00", "\t", "\n", "\x1f", "\x7f", "\u0080", "\u0085", "\u009f", "\u00a0", "\u00bb", " "}
	for _, filler := range fillers {
		for _, special := range specials {
			for n := range 20 {
				s := strings.Repeat(filler, n) + special + strings.Repeat(filler, 20-n)
				for _, multiline := range []bool{false, true} {
					got := ""
					if err := checkText("f", s, multiline); err != nil {
						got = err.(*FieldError).Reason
					}
					if want := reference(s, multiline); got != want {
						t.Errorf("checkText(%q, %v) = %q, want %q", s, multiline, got, want)
					}
				}
			}
		}
	}
}
