package index

import (
	"bytes"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/registry"
	"github.com/blevesearch/bleve/v2/search/query"
	bleveindex "github.com/blevesearch/bleve_index_api"
	"github.com/blevesearch/segment"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// TestAnalyze checks the terms of the full analyzer, in order, like bleve's
// analysis/lang/*/analyzer_*_test.go.
func TestAnalyze(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, input string
		want        []string
	}{
		// English
		{"en stems", "cooperating cooperation cooperate", []string{"cooperat", "cooperat", "cooperat"}},
		{"en possessive", "China’s China's China＇s", []string{"china", "china", "china"}},
		{"en stop words", "the state of the union is not a game", []string{"state", "union", "game"}},
		{"en kept by the short stop list", "US sanctions who over", []string{"US", "us", "sanction", "who", "over"}},
		// Dots between capitals make an acronym, indexed as its capitals
		// too (acronym.go); e.g. is no acronym.
		{"en acronym dots", "U.S. U.S.A. e.g.", []string{"US", "us", "USA", "usa", "eg"}},
		{"en apostrophes unified", "O’Neill O'Neill", []string{"o'neil", "o'neil"}},
		{"en diacritics", "Économie Straße Œuvre naïve Łódź Ærø", []string{"economi", "strass", "oeuvr", "naiv", "lodz", "aero"}},
		{"en decomposed diacritics", "e\u0301conomie", []string{stemTerm("economie")}},
		{"en elision", "l'économie d’Alema qu'il", []string{stemTerm("economie"), "alema", "il"}},
		{"en elision needs a vowel", "l'x d'", []string{"l'x", "d"}},
		{"en full width", "ＡＢＣ Ｎｅｗｓ", []string{"abc", "news"}},
		{"en soft hyphen and joiners", "Mos\u00adcow x\u200dy", []string{"moscow", "xy"}},
		{"en numbers", "2026 15th 80th 1,000.5 1980s", []string{"2026", "15th", "80th", "1,000.5", "1980"}},
		// Russian
		{"ru stems", "затрагивает затрагивают", []string{"затрагива", "затрагива"}},
		{"ru stems 2", "предполагает предполагают", []string{"предполага", "предполага"}},
		{"ru yo folded", "ёлка елка Ёлки", []string{"елк", "елк", "елк"}},
		{"ru cases", "Москва Москвы Москве", []string{"москв", "москв", "москв"}},
		{"ru stop words", "и в не что", nil},
		{"ru stress mark and decomposed й", "Москва́ и\u0306од", []string{"москв", "йод"}},
		{"ru sentence", "Вместе с тем о силе электромагнитной энергии имели представление еще",
			[]string{"вмест", "сил", "электромагнитн", "энерг", "имел", "представлен"}},
		// Mixed scripts
		{"mixed en ru", "the speech заметно sobered up", []string{"speech", "заметн", "sober", "up"}},
		{"mixed ru en", "профильные vice premiers", []string{"профильн", "vice", "premier"}},
		{"mixed token, Latin majority", "Tеst", []string{"test"}},       // Cyrillic е, its look-alike folded
		{"mixed token, Cyrillic majority", "Пyтина", []string{"путин"}}, // Latin y, its look-alike folded
		{"mixed token, no look-alike", "Пfтина", []string{"пfтин"}},     // f has none: left as written
		// Chinese and Japanese
		{"zh bigrams", "习近平会见普京", []string{"习近", "近平", "平会", "会见", "见普", "普京"}},
		{"zh four chars", "中俄关系", []string{"中俄", "俄关", "关系"}},
		{"zh single char", "中", []string{"中"}},
		{"zh punctuation breaks runs", "中，国 俄", []string{"中", "国", "俄"}},
		{"zh with acronym", "APEC会议", []string{"apec", "会议"}},
		{"zh with number", "2026年中国", []string{"2026", "年中", "中国"}},
		{"ja kana", "カタカナ ひらがな", []string{"カタ", "タカ", "カナ", "ひら", "らが", "がな"}},
		{"ja half width", "ｶﾀｶﾅ ｶﾞｷﾞ", []string{"カタ", "タカ", "カナ", "ガギ"}},
		// Other scripts: lower-cased only
		{"other scripts", "Ελλάδα مرحبا שָׁלוֹם 한국어", []string{"ελλάδα", "مرحبا", "שָׁלוֹם", "한국어"}},
		{"empty", "", nil},
		{"punctuation only", "… — !? «»", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := analyzeTerms(tt.input)
			if len(tt.want) == 0 && len(got) == 0 {
				return
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("analyzeTerms(%q) mismatch (-want +got):\n%s", tt.input, diff)
			}
		})
	}
}

// TestAnalyze_sameTerm checks that the forms in each group index as one term.
func TestAnalyze_sameTerm(t *testing.T) {
	t.Parallel()
	groups := [][]string{
		{"cooperating", "cooperation", "cooperate", "Cooperates"},
		{"economy", "economies"},
		{"l'économie", "économie", "economie", "Economie"},
		{"затрагивает", "затрагивают", "затрагивать"},
		{"предполагает", "предполагают"},
		{"ёлка", "елка", "Ёлка", "ЕЛКА"},
		{"Москва", "Москвы", "Москве", "москву"},
		{"US", "us", "u.s."},
		{"nation", "nations"},
		{"national", "nationally", "nationals"},
		{"cooperation", "cooperative"},
		// Full-width digits, as Chinese input methods type them, are
		// digits: Ｇ２０ had been the letter g, ２０２４年 only 年.
		{"G20", "Ｇ２０", "ｇ２０"},
		{"2024", "２０２４"},
	}
	for _, g := range groups {
		want := analyzeTerms(g[0])
		if len(want) != 1 {
			t.Fatalf("analyzeTerms(%q) = %q, want one term", g[0], want)
		}
		for _, w := range g[1:] {
			if got := analyzeTerms(w); !cmp.Equal(got, want) {
				t.Errorf("analyzeTerms(%q) = %q, want %q (as %q)", w, got, want, g[0])
			}
		}
	}
}

// TestAnalyzeRaw checks the raw analyzer: folded, unstemmed, stop words kept.
func TestAnalyzeRaw(t *testing.T) {
	t.Parallel()
	tests := []struct {
		input string
		want  []string
	}{
		{"The cooperation of China’s leaders", []string{"the", "cooperation", "of", "china", "leaders"}},
		{"l'Économie U.S. Straße", []string{"economie", "us", "strasse"}},
		{"Ёлки и палки", []string{"елки", "и", "палки"}},
		{"中俄关系 中", []string{"中俄", "俄关", "关系", "中"}},
		{"ＡＢＣ 2026", []string{"abc", "2026"}},
	}
	for _, tt := range tests {
		if got := analyzeRawTerms(tt.input); !cmp.Equal(got, tt.want) {
			t.Errorf("analyzeRawTerms(%q) mismatch (-want +got):\n%s", tt.input, cmp.Diff(tt.want, got))
		}
	}
}

// TestFoldTerm checks that user-typed words fold like the raw analyzer's
// terms, which is what prefix and fuzzy queries run against.
func TestFoldTerm(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"Minnik":     "minnik",
		"Ёлка":       "елка",
		"Économie":   "economie",
		"l'Économie": "economie",
		"China’s":    "china",
		"U.S.A":      "usa",
		"ＡＢＣ":        "abc",
		"МОСК":       "моск",
		"中俄":         "中俄",
		"ｶﾞｷﾞ":       "ガギ",
		"":           "",
	}
	for in, want := range tests {
		if got := foldTerm(in); got != want {
			t.Errorf("foldTerm(%q) = %q, want %q", in, got, want)
		}
		if raw := analyzeRawTerms(in); len(raw) == 1 && raw[0] != foldTerm(in) && !strings.ContainsAny(in, "中ｶ") {
			t.Errorf("foldTerm(%q) = %q, but the raw analyzer indexes %q", in, foldTerm(in), raw[0])
		}
	}
}

// TestStemTerm checks stemming by script, and that it agrees with the full
// analyzer on single words.
func TestStemTerm(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"cooperation": "cooperat",
		"economie":    "economi",
		"затрагивают": "затрагива",
		"елки":        "елк",
		"关系":          "关系",
		"2026":        "2026",
		"ελλάδα":      "ελλάδα",
	}
	for in, want := range tests {
		if got := stemTerm(in); got != want {
			t.Errorf("stemTerm(%q) = %q, want %q", in, got, want)
		}
		if got := analyzeTerms(in); len(got) != 1 || got[0] != stemTerm(foldTerm(in)) {
			t.Errorf("analyzeTerms(%q) = %q, stemTerm(foldTerm) = %q", in, got, stemTerm(foldTerm(in)))
		}
	}
}

// tok is the part of an analysis.Token the offset tests compare; Text is the
// original input at [Start, End).
type tok struct {
	Term, Text string
	Pos        int
}

// toks converts ts for comparison, slicing each token's text from input.
func toks(input string, ts analysis.TokenStream) []tok {
	out := make([]tok, len(ts))
	for i, t := range ts {
		out[i] = tok{string(t.Term), input[t.Start:t.End], t.Position}
	}
	return out
}

// TestAnalyze_offsets checks that Start/End point at the original words
// (highlighting depends on it) and the position conventions: stop words
// leave gaps, bigrams sit at their first character, and a Han run uses one
// position per character.
func TestAnalyze_offsets(t *testing.T) {
	t.Parallel()
	tests := []struct {
		input string
		want  []tok
	}{
		{"The speech заметно sobered up Tatarstan’s", []tok{
			{"speech", "speech", 2}, {"заметн", "заметно", 3}, {"sober", "sobered", 4},
			{"up", "up", 5}, {"tatarstan", "Tatarstan’s", 6},
		}},
		{"l'Économie и ВЕЛИКОЙ", []tok{{"economi", "l'Économie", 1}, {"велик", "ВЕЛИКОЙ", 3}}},
		{"中俄关系 APEC会议 中", []tok{
			{"中俄", "中俄", 1}, {"俄关", "俄关", 2}, {"关系", "关系", 3},
			{"apec", "APEC", 5}, {"会议", "会议", 6}, {"中", "中", 8},
		}},
		{"ｶﾞｷﾞ ＡＢＣ", []tok{{"ガギ", "ｶﾞｷﾞ", 1}, {"abc", "ＡＢＣ", 3}}},
		// The segmenter stalls on a Han character before invalid UTF-8;
		// the text after it must still be analysed.
		{"会议\xff中俄 cooperation", []tok{
			{"会议", "会议", 1}, {"中俄", "中俄", 3}, {"cooperat", "cooperation", 5},
		}},
	}
	for _, tt := range tests {
		got := toks(tt.input, stemmedAnalyzer.Analyze([]byte(tt.input)))
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("Analyze(%q) mismatch (-want +got):\n%s", tt.input, diff)
		}
	}
}

// TestAnalyze_bleveSegments checks that, on text where no word is dropped
// or split, the raw analyzer sees exactly the words, offsets and positions
// of bleve's unicode tokenizer, so mappings can mix our fields with stock
// ones and highlighting behaves as with bleve's analyzers.
func TestAnalyze_bleveSegments(t *testing.T) {
	t.Parallel()
	input := "Quarterly profits at US media giant TimeWarner jumped 76% to $1.13bn (£600m)." +
		" Новые правила затрагивают рынок, — сказал Лавров. Ελλάδα 15th U.S. e\u0301"
	want := unicode.NewUnicodeTokenizer().Tokenize([]byte(input))
	got := rawAnalyzer.Analyze([]byte(input))
	if len(got) != len(want) {
		t.Fatalf("got %d tokens, bleve's tokenizer %d", len(got), len(want))
	}
	for i := range want {
		w, g := want[i], got[i]
		if g.Start != w.Start || g.End != w.End || g.Position != w.Position || g.Type != w.Type {
			t.Errorf("token %d: got %v, bleve %v", i, g, w)
		}
	}
}

// segWord is one word found by a segmenter.
type segWord struct{ Start, End, Type int }

// ourSegments returns the words wordSegmenter finds.
func ourSegments(input []byte) []segWord {
	var ws wordSegmenter
	var out []segWord
	ws.words(input, func(w []byte, start, typ int) bool {
		out = append(out, segWord{start, start + len(w), typ})
		return true
	})
	return out
}

// bleveSegments returns the words found by segment's Segmenter, which is
// what bleve's unicode tokenizer runs, and whether it got through the whole
// input (it stalls on a Han character before invalid UTF-8).
func bleveSegments(input []byte) (words []segWord, complete bool) {
	seg := segment.NewWordSegmenterDirect(input)
	off := 0
	for seg.Segment() {
		n := len(seg.Bytes())
		if seg.Type() != segment.None {
			words = append(words, segWord{off, off + n, seg.Type()})
		}
		off += n
	}
	return words, off == len(input)
}

// checkSegments checks that wordSegmenter, with its ASCII fast path, finds
// the words bleve's tokenizer finds in valid UTF-8: all of them, or where
// bleve's stalls, the same words up to the stall. Invalid UTF-8 is not
// compared: segment's state machine reads an invalid lead byte together
// with the following bytes, even ASCII ("\xd0 0" is one word), so no local
// cut can reproduce it, and matching it has no value.
func checkSegments(t testing.TB, input []byte) {
	t.Helper()
	if !utf8.Valid(input) {
		return
	}
	// Ours read full-width digits as digits (wordSegmenter.segment):
	// bleve's, given them as Devanagari digits, must agree.
	asBleve := bytes.Clone(input)
	devanagariDigits(asBleve, 0, len(asBleve))
	want, complete := bleveSegments(asBleve)
	got := ourSegments(input)
	if !complete && len(got) >= len(want) {
		got = got[:len(want)]
	}
	if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
		t.Fatalf("segments of %q differ from bleve's (complete %v) (-bleve +ours):\n%s", input, complete, diff)
	}
}

// TestWordSegmenter_bleveParity checks the segmenter against segment on
// tricky ASCII, on text mixing ASCII and other scripts at every kind of
// boundary, and on the robustness inputs.
func TestWordSegmenter_bleveParity(t *testing.T) {
	t.Parallel()
	inputs := []string{
		"_ __ _1 1_ a_ _a a1 1a 1.5 1.a a.1 a:1 1:2 1,2 a,b 1;2 a'b 1'2 a'1 a.b.c a..b 1_a 1.5a x_.y 3.a.b a.b.3 _.a",
		"a. b\r\n c\n\nd\te\vf\fg (h) [i] {j} \"k\" 'l' m-n o/p q@r s#t u$v w%x y&z",
		"café l'économie China’s naïve e\u0301 a\u0301b Москва, 2026 год; x\u200dy soft\u00adhyphen",
		"שלום\"עולם צה\"ל ש'ב a\"ש ש\"a 1\u0660 ‿a a‿b a_‿_b",
		"中俄关系 APEC会议 カタカナ ｶﾞｷﾞ ＡＢＣ 2026年 年2026",
		" \u0301 a \u0301b \u0301 \n\u0301 \"\u0301 x",
		"x ﾞ ﾟa カ ﾞ ｶ\u3099 a \u3099 1 \u200d2 a \u00adb",
		"🇷🇺🇺🇦 a🇷🇺 👍🏽 text😀text",
	}
	for _, s := range robustInputs() {
		inputs = append(inputs, s)
	}
	for _, s := range inputs {
		checkSegments(t, []byte(s))
	}
}

// checkStream checks the invariants every token stream must keep, whatever
// the input: offsets inside the input and increasing, positions increasing
// from 1, terms non-empty valid UTF-8 without spaces or control characters.
func checkStream(t testing.TB, input []byte, ts analysis.TokenStream) {
	t.Helper()
	prevStart, prevEnd, prevPos := -1, -1, 0
	for i, tk := range ts {
		// A word's second term (an acronym, a surname's other stem) has
		// the word's span and position.
		second := tk.Start == prevStart && tk.End == prevEnd && tk.Position == prevPos
		switch {
		case tk.Start < 0 || tk.End > len(input) || tk.Start >= tk.End:
			t.Fatalf("token %d %q: offsets [%d,%d) outside input of %d bytes", i, tk.Term, tk.Start, tk.End, len(input))
		case second:
		case tk.Start <= prevStart:
			t.Fatalf("token %d %q: Start %d not after previous %d", i, tk.Term, tk.Start, prevStart)
		case tk.Position <= prevPos:
			t.Fatalf("token %d %q: Position %d not after previous %d", i, tk.Term, tk.Position, prevPos)
		case len(tk.Term) == 0:
			t.Fatalf("token %d: empty term at [%d,%d)", i, tk.Start, tk.End)
		case !utf8.Valid(tk.Term):
			t.Fatalf("token %d: term %q is not valid UTF-8", i, tk.Term)
		case bytes.ContainsFunc(tk.Term, func(r rune) bool { return r <= ' ' || r == 0x7F }):
			t.Fatalf("token %d: term %q contains a space or control character", i, tk.Term)
		}
		prevStart, prevEnd, prevPos = tk.Start, tk.End, tk.Position
	}
}

// robustInputs are inputs that have broken analyzers: control bytes,
// invalid UTF-8, lone marks, bidi text, emoji, and sheer size.
func robustInputs() map[string]string {
	return map[string]string{
		"empty":       "",
		"punctuation": "...,,,;;!!??---«»„“”",
		"nul bytes":   "a\x00b\x00\x00中\x00文",
		"invalid utf8": "\xff\xfe\xfd abc \xc3\x28 中\xe4\xb8 \xed\xa0\x80 " +
			"议\xff\xfe ｶ\xff カ\x80",
		"combining":         "\u0301\u0301a\u0301\u0308\u20dd и\u0306\u0306 中\u0301 \u0301中",
		"rtl":               "\u202eשלום עולם\u202c مرحبا بالعالم \u200f(abc)\u200f",
		"emoji":             "👍🏽 👨‍👩‍👧 🇷🇺 text😀text 中😀文",
		"zero width":        "\u200b\u200c\u200d\ufeff x\u200dy 中\u200d文 ｶ\u200dﾞ",
		"half width marks":  "ﾞﾟｶﾞﾟﾞ ﾟ",
		"apostrophes":       "' '' 's l' qu' ’s ＇s",
		"dots":              ". .. a. .a a.b. 1.2.3",
		"long word":         strings.Repeat("a", 70000),
		"long han run":      strings.Repeat("中文", 40000),
		"huge mixed (1 MB)": strings.Repeat("The speech заметно sobered up 中俄关系 APEC会议 l'économie 2026. ", 13000),
	}
}

// TestAnalyze_robust runs both analyzers and the helpers on hostile input:
// no panic, and every stream keeps its invariants.
func TestAnalyze_robust(t *testing.T) {
	t.Parallel()
	for name, input := range robustInputs() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			for _, a := range []*scriptAnalyzer{stemmedAnalyzer, rawAnalyzer} {
				checkStream(t, []byte(input), a.Analyze([]byte(input)))
				checkEachTerm(t, a, []byte(input))
			}
			if len(input) < 1000 {
				_ = stemTerm(foldTerm(input))
			}
		})
	}
}

// TestFrequencies_repeatedWords checks that a word met again in a field,
// which the word cache counts without the frequencies' own look-up, is
// counted as Analyze's tokens count it: also a Russian surname after its
// lower-case form (the capital adds a variant), a capital outside А–Я
// (Ukrainian І), and words of one stem in several forms.
func TestFrequencies_repeatedWords(t *testing.T) {
	for _, input := range []string{
		"sanctions sanction sanctioned sanctions, the sanctions of the sanction",
		"лавров сказал, что Лавров и Лаврова; лавров Лавров",
		"іванов Іванов іванов Іванова Іванов",
		"Путин, путина и Путину; путин Путин ПУТИН",
		"Oil OIL oil oils; нефть Нефть нефти 石油 石油",
	} {
		checkFrequencies(t, []byte(input))
		checkFrequencies(t, []byte(input+" "+input))
	}
}

// TestAnalyze_concurrent checks that concurrent calls, which share the
// analyzer's scratch pool, give the same results as sequential ones (run
// with -race).
func TestAnalyze_concurrent(t *testing.T) {
	t.Parallel()
	inputs := []string{
		"The speech заметно sobered up Tatarstan", "中俄关系发展良好", "Москва Москвы Москве",
		strings.Repeat("cooperation 合作 сотрудничество ", 200),
	}
	want := make([][]string, len(inputs))
	for i, in := range inputs {
		want[i] = analyzeTerms(in)
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 200 {
				k := (g + i) % len(inputs)
				if got := analyzeTerms(inputs[k]); !cmp.Equal(got, want[k]) {
					t.Errorf("concurrent analyzeTerms(%q) = %q, want %q", inputs[k], got, want[k])
					return
				}
				if got := eachTerms(stemmedAnalyzer, []byte(inputs[k])); !cmp.Equal(got, want[k]) {
					t.Errorf("concurrent eachTerm(%q) = %q, want %q", inputs[k], got, want[k])
					return
				}
			}
		}()
	}
	wg.Wait()
}

// FuzzAnalyze checks, on arbitrary bytes, that the segmenter agrees with
// bleve's (checkSegments), the stream invariants (checkStream) for both
// analyzers, and that the helpers never panic.
func FuzzAnalyze(f *testing.F) {
	for _, s := range robustInputs() {
		if len(s) < 4096 {
			f.Add([]byte(s))
		}
	}
	for _, s := range []string{
		"The speech заметно sobered up Tatarstan", "профильные vice premiers",
		"习近平会见普京 中俄关系", "白俄罗斯和印度尼西亚，索马里马里", "印度尼 白俄罗 发展中国", "APEC会议 ＡＢＣ ｶﾞｷﾞ", "Ｇ２０峰会 ２０２４年 Ｎｏ．１ ９", "人数约2万，第3期 今年前４个月 约2万 美国第47任总统", "В CША и Дeнь, Mосква и Moscоw, CШA", "Яндекс.Музыка, г.Москва, т.е. и Сбер.Маркет.", "l'économie China’s U.S.A.",
		"Sanctions2024", "2024", "G7", "BRICS",
		"The WHO and U.S. NATO's plan", "страны ОПЕК и ЁЖ", "NEW YORK, March 3 - IT firms",
		"AT&T and S&P 500, R&D, a&b&c, Q&A-x, M&S’s", "Wi-Fi defence programme criticised",
		"C++ and C#, F#/.NET, c++11, #C#, C+++", "S/P UPGRADES R/D; A/B/C, N/A, S/Pa",
		"S and P, AT AND T's, A and Bc, U.S. and P, X and Y-2, S and  P",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, input []byte) {
		checkSegments(t, input)
		for _, a := range []*scriptAnalyzer{stemmedAnalyzer, rawAnalyzer} {
			checkStream(t, input, a.Analyze(input))
			checkEachTerm(t, a, input)
			checkEachSpan(t, a, input)
		}
		checkPacked(t, input)
		checkFrequencies(t, input)
		checkFoldASCII(t, input)
		checkInnerAlternatives(t, input)
		if len(input) < 256 {
			if got := stemTerm(foldTerm(string(input))); !utf8.ValidString(got) {
				t.Fatalf("stemTerm(foldTerm(%q)) = %q, not valid UTF-8", input, got)
			}
		}
	})
}

// checkInnerAlternatives requires the phrase of input's terms to hold
// each term first in its slot, and anything added beside it to be that
// term marked as a bigram inside a longer Chinese name (haninside.go) or
// as a character after a number (numberUnitAlternatives).
func checkInnerAlternatives(t *testing.T, input []byte) {
	t.Helper()
	tokens := stemmedAnalyzer.Analyze(input)
	if len(tokens) == 0 {
		return
	}
	plain := make([][]string, 0, len(tokens))
	joined := map[int]string{} // a compound's joined word, by slot
	for _, tok := range tokens {
		if n := tok.Position - tokens[0].Position; n >= len(plain) {
			plain = append(plain, make([][]string, n+1-len(plain))...)
		}
		plain[tok.Position-tokens[0].Position] = append(plain[tok.Position-tokens[0].Position], string(tok.Term))
		if tok.Type == analysis.Shingle {
			joined[tok.Position-tokens[0].Position] = string(tok.Term)
		}
	}
	// A compound (Wi-Fi, AT&T) is one slot of its joined word, in place
	// of its two words' slots.
	var want [][]string
	for i := 0; i < len(plain); i++ {
		if w, ok := joined[i]; ok && i+1 < len(plain) {
			want = append(want, []string{w})
			i++
			continue
		}
		want = append(want, plain[i])
	}
	plain = want
	got := tokensToPhrase(tokens)
	if len(got) != len(plain) {
		t.Fatalf("tokensToPhrase(%q): %d slots, want %d", input, len(got), len(plain))
	}
	for i, slot := range got {
		if !slices.Equal(slot[:len(plain[i])], plain[i]) {
			t.Fatalf("tokensToPhrase(%q) slot %d = %q, want %q first", input, i, slot, plain[i])
		}
		for _, alt := range slot[len(plain[i]):] {
			if len(plain[i]) == 1 && alt == numberUnitMark+plain[i][0] && i > 0 && endsInDigit(got[i-1]) {
				continue // numberUnitAlternatives
			}
			if len(plain[i]) == 1 && alt == numberBeforeMark+plain[i][0] && i+1 < len(got) && startsWithDigit(got[i+1]) {
				continue // numberUnitAlternatives
			}
			if len(plain[i]) != 1 || alt != hanInsideMark+plain[i][0] {
				t.Fatalf("tokensToPhrase(%q) slot %d = %q: %q added to %q", input, i, slot, alt, plain[i])
			}
		}
	}
}

// checkFoldASCII requires foldASCII, where it folds a word, to give the
// word and script that fold, latinWord and appendRunes give.
func checkFoldASCII(t *testing.T, input []byte) {
	t.Helper()
	var s stream
	sc, ok := s.foldASCII(input)
	if !ok {
		return
	}
	fast := string(s.word)
	want := s.fold(input)
	runes := s.runes
	if want == scriptLatin {
		runes = latinWord(runes)
	}
	if slow := string(appendRunes(nil, runes)); sc != want || fast != slow {
		t.Fatalf("foldASCII(%q) = %q, script %d; fold gives %q, script %d", input, fast, sc, slow, want)
	}
}

// checkFrequencies requires the frequencies the analyzers count for a
// field (scriptAnalyzer.frequencies, what sizedText indexes) to be what
// packPositions(analysis.TokenFrequency(Analyze)) gives, bleve's own way,
// and still to be after the next field is counted (they share pooled
// buffers); and a build's tap to hand on the terms rawAnalyzer gives, in
// order: the base vocabulary counts them instead of analysing the text
// again.
func checkFrequencies(t *testing.T, input []byte) {
	t.Helper()
	for _, a := range []*scriptAnalyzer{stemmedAnalyzer, rawAnalyzer} {
		tokens := a.Analyze(input)
		indexed := tokens
		if a.numberUnits {
			indexed = withNumberUnits(input, tokens)
		}
		want := analysis.TokenFrequency(indexed, nil, bleveindex.IndexField|bleveindex.IncludeTermVectors)
		packPositions(want)
		var raw rawTerms
		got, n := a.frequencies(input, raw.add)
		if n != positionCount(tokens) {
			t.Fatalf("%q: frequencies counted %d positions, Analyze gives %d", input, n, positionCount(tokens))
		}
		equalFrequencies(t, input, got, want)
		a.frequencies([]byte("the next field, the next field again 中俄关系"), nil)
		equalFrequencies(t, input, got, want)
		if a != stemmedAnalyzer {
			continue
		}
		// A word's repeats may be left out: the vocabulary counts the
		// articles that have it.
		var rawGot []string
		raw.each(func(term []byte) { rawGot = append(rawGot, string(term)) })
		if got, want := firstOccurrences(rawGot), firstOccurrences(tokenTerms(rawAnalyzer.Analyze(input))); !cmp.Equal(got, want, cmpopts.EquateEmpty()) {
			t.Fatalf("tapped analysis of %q: raw terms %q, rawAnalyzer's %q", input, got, want)
		}
	}
}

// withNumberUnits is tokens with the marked characters the index adds:
// before each first bigram of a Han run written right after a digit, its
// first character (numberUnitMark) at its position; after each last
// bigram of a run written right before a digit, its last character
// (numberBeforeMark) at the position after it.
func withNumberUnits(input []byte, tokens analysis.TokenStream) analysis.TokenStream {
	var out analysis.TokenStream
	runEnd := -1
	next := func(tok *analysis.Token) int { // where the run's next bigram starts
		_, n := utf8.DecodeRune(input[tok.Start:])
		return tok.Start + n
	}
	for i, tok := range tokens {
		first := tok.Type == analysis.Double && tok.Start != runEnd
		if tok.Type == analysis.Double || tok.Type == analysis.Single {
			runEnd = next(tok)
		}
		if first && digitBefore(input, tok.Start) {
			term := strings.TrimPrefix(string(tok.Term), hanInsideMark)
			_, n := utf8.DecodeRuneInString(term)
			out = append(out, &analysis.Token{Term: []byte(numberUnitMark + term[:n]), Start: tok.Start, End: tok.Start + n, Position: tok.Position, Type: analysis.Single})
		}
		out = append(out, tok)
		last := tok.Type == analysis.Double && (i+1 == len(tokens) || tokens[i+1].Type != analysis.Double || tokens[i+1].Start != runEnd)
		if last && digitAt(input, tok.End) {
			term := strings.TrimPrefix(string(tok.Term), hanInsideMark)
			_, n := utf8.DecodeLastRuneInString(term)
			_, size := utf8.DecodeLastRune(input[:tok.End])
			out = append(out, &analysis.Token{Term: []byte(numberBeforeMark + term[len(term)-n:]), Start: tok.End - size, End: tok.End, Position: tok.Position + 1, Type: analysis.Single})
		}
	}
	return out
}

// firstOccurrences is terms without their repeats.
func firstOccurrences(terms []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, t := range terms {
		if !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	return out
}

// equalFrequencies requires got to hold want's terms, frequencies and
// packed locations.
func equalFrequencies(t *testing.T, input []byte, got, want bleveindex.TokenFrequencies) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%q: frequencies counted %d terms, TokenFrequency %d", input, len(got), len(want))
	}
	for term, w := range want {
		g := got[term]
		if g == nil {
			t.Fatalf("%q: frequencies lack %q", input, term)
		}
		if string(g.Term) != term || g.Frequency() != w.Frequency() || len(g.Locations) != 1 {
			t.Fatalf("%q: %q counted as term %q, frequency %d, %d locations; want frequency %d, 1 location",
				input, term, g.Term, g.Frequency(), len(g.Locations), w.Frequency())
		}
		gl, wl := g.Locations[0], w.Locations[0]
		if gl.Position != wl.Position || gl.Start != wl.Start || gl.End != wl.End || !slices.Equal(gl.ArrayPositions, wl.ArrayPositions) {
			t.Fatalf("%q: %q packed as %+v, want %+v", input, term, *gl, *wl)
		}
	}
}

// checkPacked requires the positions the index packs for input's terms
// (packPositions) to unpack to the distinct positions of Analyze's tokens
// of each term, in order, with the term's frequency unchanged.
func checkPacked(t *testing.T, input []byte) {
	t.Helper()
	tokens := stemmedAnalyzer.Analyze(input)
	want := map[string][]uint64{}
	for _, tok := range tokens {
		ps := want[string(tok.Term)]
		if n := len(ps); n == 0 || ps[n-1] != uint64(tok.Position) {
			want[string(tok.Term)] = append(ps, uint64(tok.Position))
		}
	}
	tfs := analysis.TokenFrequency(tokens, nil, bleveindex.IndexField|bleveindex.IncludeTermVectors)
	freqs := map[string]int{}
	for term, tf := range tfs {
		freqs[term] = tf.Frequency()
	}
	packPositions(tfs)
	for term, tf := range tfs {
		if len(tf.Locations) != 1 || tf.Frequency() != freqs[term] {
			t.Fatalf("%q: %q packed into %d locations, frequency %d of %d", input, term, len(tf.Locations), tf.Frequency(), freqs[term])
		}
		l := tf.Locations[0]
		var got []uint64
		for _, u := range appendPositions(nil, uint64(l.Position), uint64(l.Start), uint64(l.End), l.ArrayPositions) {
			got = append(got, u.Pos)
		}
		if !slices.Equal(got, want[term]) {
			t.Fatalf("%q: %q unpacks to positions %v, Analyze gives %v", input, term, got, want[term])
		}
	}
}

// eachTerms collects the terms a.eachTerm visits for input.
func eachTerms(a *scriptAnalyzer, input []byte) []string {
	var out []string
	a.eachTerm(input, func(term []byte) { out = append(out, string(term)) })
	return out
}

// checkEachTerm requires eachTerm to visit the terms of Analyze's tokens,
// in order, twice in a row (the second call reuses the first's arena).
func checkEachTerm(t *testing.T, a *scriptAnalyzer, input []byte) {
	t.Helper()
	want := tokenTerms(a.Analyze(input))
	for range 2 {
		if got := eachTerms(a, input); !cmp.Equal(got, want, cmpopts.EquateEmpty()) {
			t.Fatalf("eachTerm(%q) = %q, Analyze's terms %q", input, got, want)
		}
	}
}

// checkEachSpan requires eachSpan to give positions in order, and at each
// position first the span of Analyze's tokens there: highlighting finds a
// match's bytes this way, since the index keeps no offsets. Asked to skip
// positions, to start later or to stop, it gives the calls it gave
// without, less those; a stopped call leaves nothing behind for the next.
func checkEachSpan(t *testing.T, a *scriptAnalyzer, input []byte) {
	t.Helper()
	type call struct{ start, end, pos int }
	// calls collects eachSpan's calls from position from, with next
	// choosing the position each call asks for next.
	calls := func(from int, next func(n, pos int) int) []call {
		var out []call
		a.eachSpan(input, from, func(start, end, pos int) int {
			out = append(out, call{start, end, pos})
			return next(len(out), pos)
		})
		return out
	}
	every := func(_, pos int) int { return pos } // the same position again: both surname stems
	all := calls(1, every)
	first := map[int]call{}
	for i, c := range all {
		if i > 0 && c.pos < all[i-1].pos {
			t.Fatalf("eachSpan(%q): position %d after %d", input, c.pos, all[i-1].pos)
		}
		if _, ok := first[c.pos]; !ok {
			first[c.pos] = c
		}
	}
	for _, tok := range a.Analyze(input) {
		got, ok := first[tok.Position]
		if want := (call{tok.Start, tok.End, tok.Position}); !ok || got != want {
			t.Fatalf("eachSpan(%q) at position %d: %v (found %v), Analyze's token %q has %v", input, tok.Position, got, ok, tok.Term, want)
		}
	}
	if len(all) < 2 {
		return
	}
	half := len(all) / 2
	stop := func(n, pos int) int {
		if n == half {
			return 0
		}
		return pos
	}
	if got := calls(1, stop); !slices.Equal(got, all[:half]) {
		t.Fatalf("eachSpan(%q) stopped after %d calls: %v, want %v", input, half, got, all[:half])
	}
	from := all[half].pos
	if got, want := calls(from, every), all[slices.IndexFunc(all, func(c call) bool { return c.pos >= from }):]; !slices.Equal(got, want) {
		t.Fatalf("eachSpan(%q) from position %d: %v, want %v", input, from, got, want)
	}
	// The calls asking for every other position: a scan that goes on from
	// where the last one stopped (all ascends), where IndexFunc from the
	// start made this quadratic: 130 s of the index package's tests under
	// -race went to the 1 MB input.
	var skipping []call
	for i, want := 0, 1; ; {
		for i < len(all) && all[i].pos < want {
			i++
		}
		if i == len(all) {
			break
		}
		skipping = append(skipping, all[i])
		want = all[i].pos + 2
	}
	if got := calls(1, func(_, pos int) int { return pos + 2 }); !slices.Equal(got, skipping) {
		t.Fatalf("eachSpan(%q) asking for every other position: %v, want %v", input, got, skipping)
	}
	if again := calls(1, every); !slices.Equal(again, all) {
		t.Fatalf("eachSpan(%q) after a stopped call: %v, want %v", input, again, all)
	}
}

// TestEachSpan checks eachSpan against Analyze on every script and on the
// inputs that once broke the analyzer.
func TestEachSpan(t *testing.T) {
	t.Parallel()
	inputs := []string{
		"The speech заметно sobered up Tatarstan’s", "Лавров и Лаврова встретились",
		"中俄关系 APEC会议 中", "ｶﾞｷﾞ ＡＢＣ", "会议\xff中俄 cooperation", "l'Économie и ВЕЛИКОЙ U.S.-led",
	}
	for _, in := range robustInputs() {
		inputs = append(inputs, in)
	}
	for _, in := range inputs {
		for _, a := range []*scriptAnalyzer{stemmedAnalyzer, rawAnalyzer} {
			checkEachSpan(t, a, []byte(in))
		}
	}
}

// TestAnalyzers_registered checks that both names resolve through bleve's
// registry, which is how mappings find them.
func TestAnalyzers_registered(t *testing.T) {
	t.Parallel()
	cache := registry.NewCache()
	for name, want := range map[string]analysis.Analyzer{analyzerName: stemmedAnalyzer, rawAnalyzerName: rawAnalyzer} {
		got, err := cache.AnalyzerNamed(name)
		if err != nil {
			t.Fatalf("AnalyzerNamed(%q): %v", name, err)
		}
		if got != want {
			t.Errorf("AnalyzerNamed(%q) = %T %p, want %p", name, got, got, want)
		}
	}
}

// TestAnalyzer_inBleve indexes a few mixed-language documents with a scorch
// index and BM25 and checks that match and phrase queries analysed with
// analyzerName find the right ones; in particular that one shared Han
// character is not a match.
func TestAnalyzer_inBleve(t *testing.T) {
	t.Parallel()
	im := bleve.NewIndexMapping()
	im.ScoringModel = bleveindex.BM25Scoring
	im.DefaultAnalyzer = analyzerName
	body := bleve.NewTextFieldMapping()
	body.Analyzer = analyzerName
	body.Store = true
	body.IncludeTermVectors = true
	dm := bleve.NewDocumentMapping()
	dm.AddFieldMappingsAt("body", body)
	im.DefaultMapping = dm

	idx, err := bleve.New(filepath.Join(t.TempDir(), "idx"), im)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { idx.Close() })
	docs := map[string]string{
		"en": "Leaders discussed cooperating on trade; the speech заметно sobered up Tatarstan.",
		"ru": "Новые правила затрагивают рынок. Ёлки продают у метро.",
		"zh": "中俄关系发展良好，APEC会议在北京举行。",
	}
	b := idx.NewBatch()
	for id, text := range docs {
		if err := b.Index(id, map[string]any{"body": text}); err != nil {
			t.Fatal(err)
		}
	}
	if err := idx.Batch(b); err != nil {
		t.Fatal(err)
	}

	match := func(text string) query.Query {
		q := bleve.NewMatchQuery(text)
		q.SetField("body")
		q.Analyzer = analyzerName
		return q
	}
	phrase := func(text string) query.Query {
		q := bleve.NewMatchPhraseQuery(text)
		q.SetField("body")
		q.Analyzer = analyzerName
		return q
	}
	tests := []struct {
		name string
		q    query.Query
		want []string
	}{
		{"en stem", match("cooperating"), []string{"en"}},
		{"en stem variant", match("cooperation"), []string{"en"}},
		{"ru word in en doc", match("заметно"), []string{"en"}},
		{"ru stem", match("затрагивает"), []string{"ru"}},
		{"ru yo", match("ёлки"), []string{"ru"}},
		{"ru without yo", match("елки"), []string{"ru"}},
		{"zh bigram", match("关系"), []string{"zh"}},
		{"zh single shared char", match("关"), nil},
		{"zh acronym", match("apec"), []string{"zh"}},
		{"phrase over a stop word gap", phrase("the speech заметно sobered"), []string{"en"}},
		{"phrase with the stop word swapped", phrase("a speech заметно sobered"), []string{"en"}},
		{"phrase word order matters", phrase("sobered заметно"), nil},
		{"zh phrase", phrase("中俄关系"), []string{"zh"}},
		{"zh phrase, space between bigrams", phrase("中俄 关系"), []string{"zh"}},
		{"zh phrase not in text", phrase("关系中俄"), nil},
	}
	for _, tt := range tests {
		req := bleve.NewSearchRequest(tt.q)
		req.SortBy([]string{"-_score", "_id"})
		res, err := idx.Search(req)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		var got []string
		for _, h := range res.Hits {
			got = append(got, h.ID)
		}
		if !cmp.Equal(got, tt.want) {
			t.Errorf("%s: hits %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestAnalyzeTerms_mixedExample shows on one line what a mixed sentence
// becomes; it reads as documentation of the whole pipeline.
func TestAnalyzeTerms_mixedExample(t *testing.T) {
	t.Parallel()
	got := fmt.Sprint(analyzeTerms("Reuters: В Москве the leaders of 中俄关系 met in l'Élysée"))
	want := "[reuter москв leader 中俄 俄关 关系 met elyse]"
	if got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

// TestAnalyze_porterExceptions: news is not new, international not
// internal, business not busy; their other forms keep Porter's stems.
func TestAnalyze_porterExceptions(t *testing.T) {
	t.Parallel()
	got := analyzeTerms("news new News's international internal internationally business busy businesses general generation united unit relations related")
	want := []string{"news", "new", "news", "internation", "intern", "internation", "business", "busi", "business", "general", "gener", "united", "unit", "relation", "relat"}
	if !slices.Equal(got, want) {
		t.Errorf("analyzeTerms: %q, want %q", got, want)
	}
	// Families split where their members mean different things, each
	// pair's second word keeping Porter's stem; the British and American
	// organisation join.
	for _, pair := range [][2]string{
		{"securities", "security"}, {"community", "communications"},
		{"executives", "executed"}, {"position", "positive"},
		{"authorities", "authors"}, {"authorized", "author"},
		{"university", "universal"}, {"experiments", "experience"},
		{"organisation", "organs"}, {"organizations", "organic"},
		{"important", "imports"}, {"according", "accord"}, {"france", "francs"},
		{"futures", "future"}, {"goods", "good"}, {"severe", "several"},
		{"responsible", "response"}, {"customs", "customers"}, {"quite", "quit"},
		{"evening", "even"}, {"aide", "aid"}, {"initiative", "initial"},
		{"ratings", "rates"}, {"officer", "office"}, {"stated", "state"},
		{"interested", "interest"}, {"interesting", "interests"},
		{"fertilizer", "fertility"}, {"fertilisers", "fertile"},
		{"universe", "universal"}, {"generic", "generation"}, {"generous", "generic"},
		{"generous", "generation"}, {"capitalism", "capital"}, {"hospitality", "hospital"},
		{"animation", "animal"}, {"communism", "communications"}, {"minerals", "miners"},
		{"organic", "organ"}, {"conservatives", "conservation"}, {"conservatism", "conservation"},
		{"conversation", "conversion"}, {"cooperation", "Cooper"}, {"national", "nations"},
		{"used", "us"}, {"using", "us"}, {"Dumas", "Duma"},
		{"Downing", "down"}, {"Providence", "provide"}, {"Harding", "hard"}, {"Manning", "man"},
		{"Costas", "Costa"}, {"Yukos", "Yuko"}, {"Federer", "federal"}, {"Philips", "Philip"},
		{"mobile", "Mobil"}, {"mobility", "Mobil"}, {"Lucente", "Lucent"}, {"Athlone", "Athlon"},
		{"Baptiste", "Baptist"}, {"analogy", "Analog"}, {"arsenic", "Arsenal"},
	} {
		if a, b := analyzeTerms(pair[0]), analyzeTerms(pair[1]); slices.Equal(a, b) {
			t.Errorf("%s and %s share the term %q", pair[0], pair[1], a)
		}
	}
	for _, same := range [][]string{
		{"organisation", "organization", "organised", "organizers", "organizational"},
		{"experiment", "experimental", "experimented"},
		{"authorities", "authority"}, {"positions", "position", "positioned"},
		{"security", "secure", "securing"},
		{"fertilizer", "fertilizers", "fertiliser", "fertilised"},
		{"gas", "gases"}, {"capitalism", "capitalist", "capitalists"}, {"communism", "communist"},
		{"generation", "generations", "generator", "generated"}, {"conservative", "Conservatives"},
		{"cooperation", "cooperating", "cooperatives"}, {"national", "nationals"}, {"nation", "nations"},
		{"mobile", "mobiles"}, {"analogy", "analogies"},
	} {
		for _, w := range same[1:] {
			if a, b := analyzeTerms(same[0]), analyzeTerms(w); !slices.Equal(a, b) {
				t.Errorf("%s %q and %s %q should share their term", same[0], a, w, b)
			}
		}
	}
}

// TestAnalyze_britishSpellings: a British spelling finds the American
// one and the words Porter joins it with; -ise words that are -ise on both
// sides, and spellings that mean something else across the Atlantic, keep
// their own terms.
func TestAnalyze_britishSpellings(t *testing.T) {
	t.Parallel()
	for _, same := range [][]string{
		{"criticized", "criticised", "criticise", "criticising", "criticizes", "criticism", "criticisms"},
		{"hospitalized", "hospitalised", "Hospitalisation"},
		{"privatization", "privatisation", "privatised", "privatize"},
		{"recognized", "recognised"}, {"recognizable", "recognisable"},
		{"analyzed", "analysed", "analyse", "analyzing", "analysing", "analyses"},
		{"color", "colour", "colours", "colored", "coloured", "colourful", "colorful"},
		{"behavior", "behaviour", "behavioural", "behavioral"},
		{"favorite", "favourite", "favourites"}, {"neighbors", "neighbours", "neighbouring"},
		{"honorable", "honourable"}, {"rumored", "rumoured"}, {"armored", "armoured"},
		{"defense", "defence", "Defence"}, {"offenses", "offences"},
		{"center", "centre", "Centre", "centres"}, {"theater", "theatre"},
		{"kilometers", "kilometres"}, {"maneuvers", "manoeuvres"},
		{"program", "programme", "programmes", "programs"},
		{"skeptical", "sceptical"}, {"judgment", "judgement"}, {"fueled", "fuelled"},
		{"pediatric", "paediatric"}, {"leukemia", "leukaemia"}, {"fetus", "foetus"},
		{"aluminum", "aluminium"}, {"catalog", "catalogue"}, {"cataloging", "cataloguing"},
		{"molding", "moulding"}, {"inquiring", "enquiring"}, {"airplane", "aeroplane"},
		{"defense", "defence", "defences"}, {"offense", "offences"}, {"practice", "practise", "practising"},
		{"practiced", "practised"}, {"inquiry", "enquiry"},
		{"privatization", "privatisation", "privatized", "privatising"},
		{"normalization", "normalisation", "normalize", "normalised"},
		{"organization", "organisation"}, {"authorized", "authorised"},
	} {
		for _, w := range same[1:] {
			if a, b := analyzeTerms(same[0]), analyzeTerms(w); !slices.Equal(a, b) {
				t.Errorf("%s %q and %s %q should share their term", same[0], a, w, b)
			}
		}
	}
	for _, pair := range [][2]string{
		{"advise", "advize"}, {"revise", "revize"}, {"promise", "promize"},
		{"exercise", "exercize"}, {"surprised", "surprized"}, {"enterprise", "enterprize"},
		{"labour", "labor"}, {"tyre", "tire"}, {"cheque", "check"}, {"storey", "story"},
		// -ize families Porter made one with a word of another meaning.
		{"privatization", "private"}, {"privatised", "privately"}, {"nationalisation", "national"},
		{"nationalized", "nation"}, {"normalized", "normal"}, {"globalisation", "global"},
		{"liberalization", "liberal"}, {"legalise", "legal"}, {"generalized", "generation"},
		{"rationalize", "ration"}, {"personalised", "person"}, {"mobilization", "mobile"},
		{"centralized", "central"},
		// Every -ise stem: industrialised is not industries, capitalisation
		// not capital, and so on, in both spellings.
		{"industrialised", "industries"}, {"industrialized", "industrial"},
		{"capitalisation", "capital"}, {"publicise", "public"}, {"finalised", "final"},
		{"specialised", "special"}, {"colonise", "colon"}, {"categorised", "categorically"},
		{"memorise", "memorable"}, {"optimised", "optimism"},
		{"offence", "offensive"}, {"defence", "defensive"}, {"practise", "practical"},
		{"wilful", "willing"}, {"grey", "Gray"}, {"criticised", "critical"}, {"criticism", "critics"},
	} {
		if a, b := analyzeTerms(pair[0]), analyzeTerms(pair[1]); slices.Equal(a, b) {
			t.Errorf("%s and %s share the term %q", pair[0], pair[1], a)
		}
	}
	// izePorter's families keep Porter's stems, in both spellings.
	for _, same := range [][]string{{"linearized", "linearised", "linear"}, {"stabilisation", "stabilization", "stability"}} {
		for _, w := range same[1:] {
			if a, b := analyzeTerms(same[0]), analyzeTerms(w); !slices.Equal(a, b) {
				t.Errorf("%s %q and %s %q should share their term", same[0], a, w, b)
			}
		}
	}
	// -ise words keep the family Porter gives them.
	for _, same := range [][]string{{"revise", "revised", "revision"}, {"advise", "advised", "advises"}} {
		for _, w := range same[1:] {
			if a, b := analyzeTerms(same[0]), analyzeTerms(w); !slices.Equal(a, b) {
				t.Errorf("%s %q and %s %q should share their term", same[0], a, w, b)
			}
		}
	}
}

// TestAnalyze_joinedCompounds: a compound of two ASCII words joined by a
// hyphen is also its words joined, at its first word's position and with
// its span; a longer compound, a dotted name or a domain is not.
func TestAnalyze_joinedCompounds(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in     string
		joined []string // the Shingle terms
	}{
		{"Wi-Fi router", []string{"wifi"}},
		{"an e-mails archive", []string{"email"}},
		{"G-7 talks", []string{"g7"}},
		{"COVID-19 cases", []string{"covid19"}},
		{"co-operation with Wi-Fi's makers", []string{"cooperat", "wifi"}},
		{"to-do lists", []string{"todo"}}, // a stop word's compound
		{"state-of-the-art", nil},
		{"U.S.-led sanctions", nil},
		{"wi-fi.org and a-b_c", nil},
		{"1987-88 and 10-K", nil},
		{"Санкт-Петербург", nil},
		{"Wi-Fiя", nil},
		{"яWi-Fi", nil},
		{"e-", nil},
		// Chinese writes no space around it: 一架F-16战机 (an F-16 fighter).
		{"损失一架F-16战机", []string{"f16"}},
		{"F-16战机和Wi-Fi", []string{"f16", "wifi"}},
	}
	for _, tt := range tests {
		var joined []string
		toks := stemmedAnalyzer.Analyze([]byte(tt.in))
		for i, tok := range toks {
			if tok.Type != analysis.Shingle {
				continue
			}
			joined = append(joined, string(tok.Term))
			// The first word's position and span, as its own term has.
			if i == 0 || toks[i-1].Position != tok.Position || toks[i-1].Start != tok.Start || toks[i-1].End != tok.End {
				if tt.in != "to-do lists" {
					t.Errorf("%q: joined %q at %d [%d,%d), not with the first word's term", tt.in, tok.Term, tok.Position, tok.Start, tok.End)
				}
			}
		}
		if !slices.Equal(joined, tt.joined) {
			t.Errorf("%q: joined terms %q, want %q", tt.in, joined, tt.joined)
		}
		checkStream(t, []byte(tt.in), toks)
		checkFrequencies(t, []byte(tt.in))
	}
}
