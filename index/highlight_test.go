package index

import (
	"context"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

// spansFor marks every occurrence of each word in text.
func spansFor(text string, words ...string) []span {
	var out []span
	for _, w := range words {
		for i := 0; ; {
			j := strings.Index(text[i:], w)
			if j < 0 {
				break
			}
			out = append(out, span{i + j, i + j + len(w), w})
			i += j + len(w)
		}
	}
	return sortSpans(out)
}

func sortSpans(s []span) []span {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j].start < s[j-1].start; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
	return s
}

func TestMarkAll(t *testing.T) {
	t.Parallel()
	text := `Putin & "Xi" <b>meet</b>`
	got := markAll(text, spansFor(text, "Putin", "Xi"))
	want := `<mark>Putin</mark> &amp; &#34;<mark>Xi</mark>&#34; &lt;b&gt;meet&lt;/b&gt;`
	if got != want {
		t.Errorf("markAll = %q\nwant      %q", got, want)
	}
}

// Matches that touch share one mark: side by side, two marks read as
// words with a space between, which Chinese written together has not.
// Matches with anything between them keep their own.
func TestMarkAll_touchingMatchesShareAMark(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ text, want string }{
		{"李克强会见外国专家", "<mark>李克强会见</mark>外国专家"},
		{"总理李克强会见，会见后", "总理<mark>李克强会见</mark>，<mark>会见</mark>后"},
		{"Putin Putin", "<mark>Putin</mark> <mark>Putin</mark>"},
	} {
		spans := spansFor(tt.text, "李克强", "会见", "Putin")
		if got := markAll(tt.text, spans); got != tt.want {
			t.Errorf("markAll(%q) = %q, want %q", tt.text, got, tt.want)
		}
		if got := markText(tt.text, spans); got != tt.want {
			t.Errorf("markText(%q) = %q, want %q", tt.text, got, tt.want)
		}
		if got := fragments(tt.text, spans, 3, 180); len(got) != 1 || got[0] != tt.want {
			t.Errorf("fragments(%q) = %q, want [%q]", tt.text, got, tt.want)
		}
	}
}

func TestFragments(t *testing.T) {
	t.Parallel()
	para := "Filler sentence number one is here. "
	long := strings.Repeat(para, 20) + "Putin met Xi. " + strings.Repeat(para, 20) + "Later Xi spoke. " + strings.Repeat(para, 20)
	tests := []struct {
		name     string
		text     string
		words    []string
		n, size  int
		want     []string // substrings, one per expected fragment, in order
		wantFrag int
	}{
		{"no match gives the lead", long, nil, 3, 60, []string{"Filler sentence number one is here."}, 1},
		{"two distant matches, two fragments", long, []string{"Putin", "Xi"}, 3, 80, []string{"<mark>Putin</mark> met <mark>Xi</mark>.", "Later <mark>Xi</mark> spoke."}, 2},
		{"fragment count capped", long, []string{"Putin", "Xi"}, 1, 80, []string{"<mark>Putin</mark> met <mark>Xi</mark>"}, 1},
		{"short text is one fragment without ellipses", "Putin met Xi.", []string{"Putin"}, 3, 180, []string{"<mark>Putin</mark> met Xi."}, 1},
		{"newlines become spaces", "Putin spoke.\n\nXi answered.", []string{"Xi"}, 3, 180, []string{"Putin spoke. <mark>Xi</mark> answered."}, 1},
		{"html escaped", "<script>alert(1)</script> Putin", []string{"Putin"}, 1, 180, []string{"&lt;script&gt;alert(1)&lt;/script&gt; <mark>Putin</mark>"}, 1},
		{"chinese", strings.Repeat("新闻联播报道", 40) + "中俄关系稳步发展" + strings.Repeat("国内要闻", 40), []string{"关系"}, 3, 40, []string{"中俄<mark>关系</mark>稳步发展"}, 1},
		// A Chinese sentence ends at 。 with no space after it.
		{"chinese sentence", "会议强调，要加大宏观政策调节力度，扩大国内需求，稳定市场预期。主席习近平会见俄罗斯总统普京。" + strings.Repeat("双方交换意见。", 10),
			[]string{"习近平"}, 3, 30, []string{"…主席<mark>习近平</mark>"}, 1},
		{"chinese sentence, quoted", "他说：“要加大宏观政策调节力度，扩大国内需求。”主席习近平会见俄罗斯总统普京。" + strings.Repeat("双方交换意见。", 10),
			[]string{"习近平"}, 3, 30, []string{"…主席<mark>习近平</mark>"}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := fragments(tt.text, spansFor(tt.text, tt.words...), tt.n, tt.size)
			if len(got) != tt.wantFrag {
				t.Fatalf("got %d fragments, want %d: %q", len(got), tt.wantFrag, got)
			}
			for i, sub := range tt.want {
				if !strings.Contains(got[i], sub) {
					t.Errorf("fragment %d = %q, lacks %q", i, got[i], sub)
				}
			}
			for _, f := range got {
				plain := strings.NewReplacer("<mark>", "", "</mark>", "", "…", "").Replace(f)
				if n := utf8.RuneCountInString(plain); n > tt.size+10 {
					t.Errorf("fragment of %d runes, size %d: %q", n, tt.size, f)
				}
				if !utf8.ValidString(f) {
					t.Errorf("invalid UTF-8 fragment %q", f)
				}
			}
		})
	}
}

func TestFragments_prefersDistinctTerms(t *testing.T) {
	t.Parallel()
	filler := strings.Repeat("Nothing to see in this sentence at all. ", 10)
	text := "Putin Putin Putin Putin. " + filler + "Putin and Shoigu. " + filler
	got := fragments(text, spansFor(text, "Putin", "Shoigu"), 1, 60)
	if len(got) != 1 || !strings.Contains(got[0], "<mark>Shoigu</mark>") {
		t.Errorf("want the fragment with both terms, got %q", got)
	}
}

// The second fragment shows a term the first does not, before another
// match of the first's: a Chinese article about Lavrov's visit showed
// 拉夫罗夫 twice and not 王毅, the other name searched for.
func TestFragments_secondShowsAnotherTerm(t *testing.T) {
	t.Parallel()
	filler := strings.Repeat("Nothing to see in this sentence at all. ", 10)
	text := "Lavrov arrived. " + filler + "Lavrov spoke. " + filler + "Wang Yi attended."
	got := fragments(text, spansFor(text, "Lavrov", "Wang"), 2, 60)
	if len(got) != 2 || !strings.Contains(got[0], "<mark>Lavrov</mark> arrived") || !strings.Contains(got[1], "<mark>Wang</mark>") {
		t.Errorf("want the fragments with Lavrov and with Wang, got %q", got)
	}
}

// A match whose window overlaps a picked one still gets a fragment, in
// the gap beside it, when there is room for another: a Reuters story on
// "baker directors" showed Baker twice and not "director", 120 bytes
// before the first Baker; a BBC story on "sanctions Russia" showed
// "sanctioned" and not Russia, 190 bytes after it near the end.
func TestFragments_fitsBesidePicked(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		text  string
		words []string
		want  []string // in text order
	}{
		{"before", "WASHINGTON, March 2 - The White House announced it was withdrawing the controversial nomination of Robert Gates as CIA director at Gates's request and has not yet decided on a replacement.\n\n" +
			"Withdrawal of the Gates nomination was announced by new White House Chief of Staff Howard Baker, who said President Reagan had several names under consideration to replace Gates but had made no decision on that score.\n\n" +
			"Baker said Gates had sent Reagan a letter today requesting his name be withdrawn from nomination to succeed the ailing and resigned William Casey.",
			[]string{"Baker", "director"}, []string{"CIA <mark>director</mark> at", "Howard <mark>Baker</mark>, who"}},
		{"after", strings.Repeat("The governing body met in Nyon on Thursday to discuss the rules. ", 4) +
			"\"We have sanctioned its use from the start of next season but only as long as it is the latest generation of artificial turf and meets a whole series of standards.\" " +
			"Several leading clubs from Scandinavia, Russia and eastern Europe play on artificial pitches.",
			[]string{"sanctioned", "Russia"}, []string{"We have <mark>sanctioned</mark> its use", "Scandinavia, <mark>Russia</mark> and"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := fragments(tt.text, spansFor(tt.text, tt.words...), 3, 180)
			if len(got) != len(tt.want) {
				t.Fatalf("got %d fragments, want %d: %q", len(got), len(tt.want), got)
			}
			for i, sub := range tt.want {
				if !strings.Contains(got[i], sub) {
					t.Errorf("fragment %d = %q, lacks %q", i, got[i], sub)
				}
			}
			// The fragments never repeat text: each mark is shown once.
			if n := strings.Count(strings.Join(got, " "), "<mark>"); n != len(spansFor(tt.text, tt.words...)) {
				t.Errorf("%d marks in %q, want each match once", n, got)
			}
		})
	}
}

// TestFragments_everyMatchShown_corpus: on the BBC corpus, a hit with
// fewer fragments than asked for marks every match of its body, for
// two-word queries on the corpus's subjects. Before fitInGap, 14% of
// such hits on the news corpora left a match out, and 1.7% a searched
// word.
func TestFragments_everyMatchShown_corpus(t *testing.T) {
	t.Parallel()
	x := openCorpus(t, "bbc")
	queries := []string{
		"sanctions russia", "oil prices", "yukos court", "election labour", "blair brown",
		"mobile phone", "music award", "film festival", "world cup", "chelsea arsenal",
		"economy growth", "interest rates", "dollar euro", "china trade", "india airline",
		"security software", "virus email", "broadband internet", "games console", "tax budget",
		"tory campaign", "iraq war", "police terror", "immigration asylum", "school education",
		"tennis open", "rugby england", "champions league", "oscar nomination", "band album",
	}
	shown := 0
	for _, q := range queries {
		res := mustSearch(t, x, Query{Text: q, Size: 10})
		for _, h := range res.Hits {
			frags := h.Highlights["body"]
			if len(frags) >= DefaultFragments {
				continue
			}
			shown++
			marks := strings.Count(strings.Join(frags, ""), "<mark>")
			if all := len(h.Matches["body"]); marks < all {
				t.Errorf("%q, %s: %d of %d matches marked in %d fragments: %q", q, h.ID, marks, all, len(frags), frags)
			}
		}
	}
	if shown < 20 {
		t.Fatalf("only %d hits with room for another fragment: the test checks nothing", shown)
	}
}

// FuzzUTF16Spans: the UTF-16 offsets are those JavaScript computes, for
// any text and spans on rune boundaries, ASCII or not.
func FuzzUTF16Spans(f *testing.F) {
	f.Add("😀 Путин и 普京 and Putin", 2, 7)
	f.Add("plain ascii text", 0, 5)
	f.Add("他说：“好。”主席习近平会见普京。双方交换意见。", 30, 39)
	f.Fuzz(func(t *testing.T, text string, a, b int) {
		if !utf8.ValidString(text) || len(text) == 0 {
			return
		}
		snap := func(i int) int {
			i = max(0, i%(len(text)+1))
			for i > 0 && i < len(text) && !utf8.RuneStart(text[i]) {
				i--
			}
			return i
		}
		lo, hi := snap(min(a, b)), snap(max(a, b))
		if lo > hi {
			lo, hi = hi, lo
		}
		got := utf16Spans(text, []span{{start: lo, end: hi}})
		units := func(s string) int { return len(utf16.Encode([]rune(s))) }
		if len(got) != 1 || got[0].Start16 != units(text[:lo]) || got[0].End16 != units(text[:hi]) {
			t.Errorf("%q [%d,%d): %+v, want UTF-16 %d..%d", text, lo, hi, got, units(text[:lo]), units(text[:hi]))
		}
		if n := advanceRunes(text, lo, 3); n != lo+len(string([]rune(text[lo:])[:min(3, utf8.RuneCountInString(text[lo:]))])) {
			t.Errorf("%q: advanceRunes(%d, 3) = %d", text, lo, n)
		}
		before := []rune(text[:hi])
		if n := backRunes(text, hi, 3); n != len(string(before[:len(before)-min(3, len(before))])) {
			t.Errorf("%q: backRunes(%d, 3) = %d", text, hi, n)
		}
		// A match is a word: it neither starts nor ends with a space.
		if m := text[lo:hi]; m != "" && strings.TrimSpace(m) == m && utf8.RuneCountInString(m) <= 10 {
			for _, f := range fragments(text, []span{{start: lo, end: hi}}, 2, 40) {
				if !utf8.ValidString(f) || !strings.Contains(f, "<mark>") {
					t.Errorf("%q [%d,%d): fragment %q", text, lo, hi, f)
				}
			}
		}
	})
}

func TestUTF16Spans(t *testing.T) {
	t.Parallel()
	text := "😀 Путин и 普京"
	spans := spansFor(text, "Путин", "普京")
	got := utf16Spans(text, spans)
	want := []Span{
		{Start: 5, End: 15, Start16: 3, End16: 8},
		{Start: 19, End: 25, Start16: 11, End16: 13},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// BenchmarkHighlight builds the snippets and match offsets of one hit:
// three fragments of 180 runes from a 4 kB body with 40 matches of two
// words, and the marked title.
func BenchmarkHighlight(b *testing.B) {
	for _, c := range []struct {
		name, title, body string
		words             []string
	}{
		{"en", "Oil prices rise as supply tightens", strings.Repeat("Oil prices rose on Tuesday as traders weighed supply cuts against demand. "+
			"Analysts said the market would stay tight. Crude oil futures gained. ", 28), []string{"Oil", "oil", "prices"}},
		{"zh", "习近平会见俄罗斯总统普京", strings.Repeat("国家主席习近平在人民大会堂会见俄罗斯总统普京。习近平指出，中俄关系保持高水平发展，双方合作成果丰硕。", 28),
			[]string{"习近平", "普京"}},
	} {
		b.Run(c.name, func(b *testing.B) {
			spans := spansFor(c.body, c.words...)
			titleSpans := spansFor(c.title, c.words...)
			b.ReportAllocs()
			for b.Loop() {
				markAll(c.title, titleSpans)
				fragments(c.body, spans, DefaultFragments, DefaultFragment)
				utf16Spans(c.body, spans)
			}
		})
	}
}

// TestHighlightArticle_manyOccurrences: an article that repeats a word
// past maxLocatedPerTerm has its first maxLocatedPerTerm occurrences
// marked, and the search that finds it locates no more: a 1 MB article of
// one Chinese word located its 87,000 occurrences for each of the query's
// fifty copies of the word (1.9 GB for one search).
func TestHighlightArticle_manyOccurrences(t *testing.T) {
	t.Parallel()
	n := maxLocatedPerTerm + 500
	x := openJSONL(t, langArticle("zh-big", "zh", "中俄", strings.Repeat("中俄关系。", n))+
		langArticle("en-big", "en", "Trade", strings.Repeat("Trade grew. ", n))+fillers(3))
	for _, tt := range []struct {
		id, q string
		words int
	}{{"zh-big", "中俄关系", 1}, {"en-big", "trade", 1}, {"en-big", `"trade grew"`, 2}} {
		_, hl, err := x.HighlightArticle(context.Background(), tt.id, Query{Text: tt.q})
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Count(hl.Body, "<mark>"); got != tt.words*maxLocatedPerTerm {
			t.Errorf("%s %s: %d marks, want the first %d of %d", tt.id, tt.q, got, tt.words*maxLocatedPerTerm, tt.words*n)
		}
		res := mustSearch(t, x, Query{Text: strings.Repeat(tt.q+" ", 10), Size: 1})
		if len(res.Hits) == 0 || res.Hits[0].ID != tt.id {
			t.Errorf("%s ×10: first hits %+v, want %s", tt.q, res.Hits, tt.id)
		}
	}
}
