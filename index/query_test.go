package index

import (
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseQuery(t *testing.T) {
	t.Parallel()
	w := func(s string) qterm { return qterm{text: s} }
	ph := func(s string) qterm { return qterm{text: s, phrase: true} }
	o := func(s string) qterm { return qterm{text: s, open: true} } // last word, still being typed
	c := func(alts ...qterm) qclause { return qclause{alts: alts} }
	ti := func(q qterm) qterm { q.title = true; return q } // title:q
	tests := []struct {
		in   string
		want parsedQuery
	}{
		{"", parsedQuery{}},
		{"   ", parsedQuery{}},
		{"Putin Xi", parsedQuery{clauses: []qclause{c(w("Putin")), c(o("Xi"))}}},
		{`"exact phrase" word`, parsedQuery{clauses: []qclause{c(ph("exact phrase")), c(o("word"))}}},
		{`-excluded kept`, parsedQuery{clauses: []qclause{c(o("kept"))}, excluded: []qterm{w("excluded")}}},
		{`-"a phrase" kept`, parsedQuery{clauses: []qclause{c(o("kept"))}, excluded: []qterm{ph("a phrase")}}},
		{`a OR b c`, parsedQuery{clauses: []qclause{c(w("a"), w("b")), c(o("c"))}}},
		{`a OR "b c" OR d`, parsedQuery{clauses: []qclause{c(w("a"), ph("b c"), o("d"))}}},
		{`OR a`, parsedQuery{clauses: []qclause{c(w("OR")), c(o("a"))}}},
		{`a OR`, parsedQuery{clauses: []qclause{c(w("a"))}}},
		{`a or b`, parsedQuery{clauses: []qclause{c(w("a")), c(w("or")), c(o("b"))}}},
		{`a OR OR b`, parsedQuery{clauses: []qclause{c(w("a"), w("OR")), c(o("b"))}}}, // the second OR is a word
		{`a OR -b`, parsedQuery{clauses: []qclause{c(w("a"))}, excluded: []qterm{o("b")}}},
		{"Pu\u00adtin\x1b[31m", parsedQuery{clauses: []qclause{c(w("Putin")), c(o("[31m"))}}},        // invisible and control characters
		{"oil\u200bprices", parsedQuery{clauses: []qclause{c(w("oil")), c(o("prices"))}}},            // a zero-width space breaks words
		{"ＡＰＥＣ峰会 Ｔｒｕｍｐ／Ｐｕｔｉｎ", parsedQuery{clauses: []qclause{c(w("APEC峰会")), c(o("Trump/Putin"))}}}, // full-width ASCII
		{`Putin NOT Biden`, parsedQuery{clauses: []qclause{c(w("Putin"))}, excluded: []qterm{o("Biden")}}},
		{`NOT "a b" c`, parsedQuery{clauses: []qclause{c(o("c"))}, excluded: []qterm{ph("a b")}}},
		{`-a OR b`, parsedQuery{clauses: []qclause{c(o("b"))}, excluded: []qterm{w("a")}}},    // no word OR after an excluded one
		{`NOT a OR b`, parsedQuery{clauses: []qclause{c(o("b"))}, excluded: []qterm{w("a")}}}, // nor after NOT
		{`c -a OR b`, parsedQuery{clauses: []qclause{c(w("c")), c(o("b"))}, excluded: []qterm{w("a")}}},
		{`a OR NOT b c`, parsedQuery{clauses: []qclause{c(w("a")), c(o("c"))}, excluded: []qterm{w("b")}}},
		{`Putin AND Xi`, parsedQuery{clauses: []qclause{c(w("Putin")), c(o("Xi"))}}}, // AND joins as a space does
		{`a AND b OR c`, parsedQuery{clauses: []qclause{c(w("a")), c(w("b"), o("c"))}}},
		{`Putin AND NOT Biden`, parsedQuery{clauses: []qclause{c(w("Putin"))}, excluded: []qterm{o("Biden")}}},
		{`AND a`, parsedQuery{clauses: []qclause{c(w("AND")), c(o("a"))}}}, // nothing before it: the word
		{`a AND`, parsedQuery{clauses: []qclause{c(w("a"))}}},              // an operator being typed: dropped
		{`a and b`, parsedQuery{clauses: []qclause{c(w("a")), c(w("and")), c(o("b"))}}},
		{`a OR AND b`, parsedQuery{clauses: []qclause{c(w("a"), w("AND")), c(o("b"))}}},
		{`a NOT`, parsedQuery{clauses: []qclause{c(w("a"))}}},                                  // being typed: dropped
		{`Putin OR NOT`, parsedQuery{clauses: []qclause{c(w("Putin"))}}},                       // both being typed
		{`NOT`, parsedQuery{clauses: []qclause{c(o("NOT"))}}},                                  // alone: the word
		{`NOT NOT a`, parsedQuery{clauses: []qclause{c(w("NOT"))}, excluded: []qterm{o("a")}}}, // the first is the word
		{`NOT -a b`, parsedQuery{clauses: []qclause{c(w("NOT")), c(o("b"))}, excluded: []qterm{w("a")}}},
		{`NOT OR a`, parsedQuery{clauses: []qclause{c(w("NOT"), o("a"))}}},
		{`title:Putin Xi`, parsedQuery{clauses: []qclause{c(ti(w("Putin"))), c(o("Xi"))}}},
		{`Xi title:"a b" -intitle:c`, parsedQuery{clauses: []qclause{c(w("Xi")), c(ti(ph("a b")))}, excluded: []qterm{ti(o("c"))}}},
		{`Title:a OR b`, parsedQuery{clauses: []qclause{c(ti(w("a")), o("b"))}}},
		{`NOT title:a b`, parsedQuery{clauses: []qclause{c(o("b"))}, excluded: []qterm{ti(w("a"))}}},
		{`title:OR a title:NOT`, parsedQuery{clauses: []qclause{c(ti(w("OR"))), c(w("a")), c(ti(o("NOT")))}}}, // words in the title
		{`title: a title:`, parsedQuery{clauses: []qclause{c(w("title:")), c(w("a")), c(o("title:"))}}},       // nothing after it: a word
		{`title:"" a`, parsedQuery{clauses: []qclause{c(o("a"))}}},
		{`body:a`, parsedQuery{clauses: []qclause{c(o("body:a"))}}},
		{`a not b -NOT`, parsedQuery{clauses: []qclause{c(w("a")), c(w("not")), c(w("b"))}, excluded: []qterm{o("NOT")}}},
		{`"unbalanced quote`, parsedQuery{clauses: []qclause{c(w(`"unbalanced`)), c(o("quote"))}}},
		{`- lone`, parsedQuery{clauses: []qclause{c(w("-")), c(o("lone"))}}},
		{`--double`, parsedQuery{clauses: []qclause{c(o("--double"))}}},
		{`title:Putin +Xi* a~2`, parsedQuery{clauses: []qclause{c(ti(w("Putin"))), c(w("+Xi*")), c(o("a~2"))}}},
		{`""`, parsedQuery{}},
		{"中俄关系 普京", parsedQuery{clauses: []qclause{c(w("中俄关系")), c(o("普京"))}}},
		{"Putin ", parsedQuery{clauses: []qclause{c(w("Putin"))}}}, // a finished word
		{`Putin "Xi"`, parsedQuery{clauses: []qclause{c(w("Putin")), c(ph("Xi"))}}},
		{"a\u00a0b", parsedQuery{clauses: []qclause{c(w("a")), c(o("b"))}}},
		// The quotation marks of Chinese, Russian and English typing.
		{"“美国大选” 特朗普", parsedQuery{clauses: []qclause{c(ph("美国大选")), c(o("特朗普"))}}},
		{"「美国 大选」", parsedQuery{clauses: []qclause{c(ph("美国 大选"))}}},
		{"『大选』", parsedQuery{clauses: []qclause{c(ph("大选"))}}},
		{"«ключевая ставка» -„Банк России“", parsedQuery{clauses: []qclause{c(ph("ключевая ставка"))}, excluded: []qterm{ph("Банк России")}}},
		{"“oil prices“", parsedQuery{clauses: []qclause{c(ph("oil prices"))}}},
		{"title:«Путин»", parsedQuery{clauses: []qclause{c(ti(ph("Путин")))}}},
		{"«unbalanced", parsedQuery{clauses: []qclause{c(o("«unbalanced"))}}},
		{`"a» b"`, parsedQuery{clauses: []qclause{c(ph("a» b"))}}}, // each opening mark has its own closers
	}
	for _, tt := range tests {
		got := parseQuery(tt.in)
		if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(parsedQuery{}, qclause{}, qterm{})); diff != "" {
			t.Errorf("parseQuery(%q) (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestParseQuery_limits(t *testing.T) {
	t.Parallel()
	p := parseQuery(strings.Repeat("w ", 1000) + strings.Repeat("-x ", 1000))
	if len(p.clauses) != maxClauses || len(p.excluded) != maxClauses {
		t.Errorf("got %d clauses, %d exclusions; want %d each", len(p.clauses), len(p.excluded), maxClauses)
	}
}

// FuzzParseQuery: any input parses, and every term is a non-empty
// substring of valid UTF-8 input.
func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{"", `"a b" -c d OR e`, "a NOT b", "NOT", `title:"a b" -intitle:c title:`, "\xff\xfe", "中俄 -\"普京\"", strings.Repeat(`"`, 100), "a OR", "-", "a AND b", "AND", "a AND NOT b OR c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if b := blankFieldPrefixes(s); len(b) != len(s) {
			t.Errorf("blankFieldPrefixes(%q) = %q: not as long", s, b)
		}
		p := parseQuery(s)
		check := func(q qterm) {
			if q.text == "" {
				t.Errorf("empty term from %q", s)
			}
		}
		for _, c := range p.clauses {
			if len(c.alts) == 0 {
				t.Errorf("empty clause from %q", s)
			}
			for _, a := range c.alts {
				check(a)
			}
		}
		for _, e := range p.excluded {
			check(e)
		}
	})
}

// BenchmarkParseQuery parses search-box text of the shapes the page sends:
// words, a phrase, an exclusion, OR, mixed scripts.
func BenchmarkParseQuery(b *testing.B) {
	for _, text := range []string{"oil prices", `"strategic partnership" -Shoigu Putin OR Путин`, "中俄关系 trade-war U.S.-led"} {
		b.Run(strconv.Itoa(len(text)), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				parseQuery(text)
			}
		})
	}
}

// TestSearch_repeatedWord: a word typed twice is searched once and scores
// twice: the same hits in the same order, each with twice the score.
func TestSearch_repeatedWord(t *testing.T) {
	t.Parallel()
	x := openFixture(t)
	for _, tt := range []struct{ once, twice string }{
		{"Putin", "Putin Putin"},
		{`"strategic partnership"`, `"strategic partnership" "strategic partnership"`},
		{"Putin Kazan", "Putin Kazan Putin Kazan"},
	} {
		once := mustSearch(t, x, Query{Text: tt.once})
		twice := mustSearch(t, x, Query{Text: tt.twice})
		all := func(r Results) string {
			if r.TotalAll == nil {
				return "-"
			}
			return strconv.FormatUint(*r.TotalAll, 10)
		}
		if once.Total != twice.Total || all(once) != all(twice) || len(once.Hits) != len(twice.Hits) || len(once.Hits) == 0 {
			t.Fatalf("%q: %d (%s with all) articles, %q: %d (%s)", tt.once, once.Total, all(once), tt.twice, twice.Total, all(twice))
		}
		for i := range once.Hits {
			if a, b := once.Hits[i], twice.Hits[i]; a.ID != b.ID || math.Abs(2*a.Score-b.Score) > 1e-9*b.Score {
				t.Errorf("%q hit %d: %s %.6f, %q: %s %.6f, want twice the score", tt.once, i, a.ID, a.Score, tt.twice, b.ID, b.Score)
			}
		}
	}
}
