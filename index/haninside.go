package index

import (
	_ "embed"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Chinese names inside other names.
//
// Chinese is indexed as overlapping bigrams and searched as phrases of
// them (doc.go), so a name matched wherever its characters stand
// together, also inside a longer name: 印度 (India) found the 120 articles
// of the CCTV corpus that wrote only 印度尼西亚 (Indonesia), 43% of its
// 278; 俄罗斯 (Russia) found Belarus (白俄罗斯), and 中国 (China) found
// 发展中国家 (developing countries). data/han-inside.txt lists the longer
// names and words that hold a name they do not mean. Where one of them is
// written, the bigrams of the name inside are indexed as terms of their
// own, hanInsideMark before the bigram: 白俄罗斯 gives 白俄 ⊂俄罗 ⊂罗斯. A
// query is analysed the same way, so 白俄罗斯 finds those terms, 俄罗斯
// (俄罗 罗斯) no longer finds them, and 白俄, Belarus's short name, still
// does. The positions are the bigrams' own, so phrases and highlighting
// are unchanged. rawAnalyzer, behind the vocabulary, keeps the plain
// bigrams: they are the words as written.

//go:embed data/han-inside.txt
var hanInsideData string

// hanInsideMark starts the term of a bigram inside a longer name.
const hanInsideMark = "⊂"

// hanInsideRule is one line of data/han-inside.txt.
type hanInsideRule struct {
	outer []rune
	at, n int // the inner name, in characters of outer

	outerText string
	innerAt   int // the inner name's first byte in outerText
	innerLen  int // its bytes
}

var (
	// hanInsideRules are the rules by the inner name's first character;
	// hanInsideFirst has those characters' bits set, for a quick test.
	hanInsideRules = map[rune][]hanInsideRule{}
	hanInsideFirst [1 << 16 / 64]uint64
	// hanInsideAll are all the rules, in the file's order.
	hanInsideAll []hanInsideRule
)

func init() {
	for fields := range dataLines(hanInsideData) {
		rule, err := parseHanInside(fields)
		if err != nil {
			panic("data/han-inside.txt: " + err.Error())
		}
		r := rule.outer[rule.at]
		hanInsideRules[r] = append(hanInsideRules[r], rule)
		hanInsideAll = append(hanInsideAll, rule)
		hanInsideFirst[r>>6] |= 1 << (r & 63)
	}
}

// parseHanInside reads a line's fields: a name of Han characters and a
// shorter name it holds.
func parseHanInside(fields []string) (hanInsideRule, error) {
	if len(fields) != 2 {
		return hanInsideRule{}, fmt.Errorf("%q: want a name and the name inside it", fields)
	}
	outer, inner := []rune(fields[0]), []rune(fields[1])
	at := -1
	for i := 0; i+len(inner) <= len(outer); i++ {
		if slices.Equal(outer[i:i+len(inner)], inner) {
			at = i
			break
		}
	}
	if at < 0 || len(inner) < 2 || len(inner) == len(outer) {
		return hanInsideRule{}, fmt.Errorf("%q: %s is not a name of two characters or more inside it", fields, fields[1])
	}
	for _, r := range outer {
		if r >= 1<<16 || !unicode.Is(unicode.Han, r) {
			return hanInsideRule{}, fmt.Errorf("%q: %q is not a Han character", fields, r)
		}
	}
	return hanInsideRule{outer: outer, at: at, n: len(inner),
		outerText: fields[0], innerAt: len(string(outer[:at])), innerLen: len(fields[1])}, nil
}

// insideLonger reports whether the n bytes of text at i, Han characters
// the first of which is r, lie inside a name that a longer word of
// data/han-inside.txt holds there: the entity matcher (scanHan) takes 重庆
// of 隆重庆祝 (to celebrate grandly) for no place.
func insideLonger(text string, i, n int, r rune) bool {
	if !startsInnerName(r) {
		return false
	}
	for _, rule := range hanInsideRules[r] {
		start := i - rule.innerAt
		if n <= rule.innerLen && start >= 0 && strings.HasPrefix(text[start:], rule.outerText) {
			return true
		}
	}
	return false
}

// hanRange is run[from:to] of a Han run.
type hanRange struct{ from, to int }

// hanInside appends to dst the inner names of run that stand inside the
// longer names of data/han-inside.txt.
func hanInside(dst []hanRange, run []hanChar) []hanRange {
	for i := range run {
		r := run[i].base
		if !startsInnerName(r) {
			continue
		}
		for _, rule := range hanInsideRules[r] {
			start := i - rule.at
			if start < 0 || start+len(rule.outer) > len(run) {
				continue
			}
			if hanRunIs(run[start:start+len(rule.outer)], rule.outer) {
				dst = append(dst, hanRange{i, i + rule.n})
				break
			}
		}
	}
	return dst
}

// startsInnerName reports whether r is the first character of a name
// inside a longer name.
func startsInnerName(r rune) bool {
	return r < 1<<16 && hanInsideFirst[r>>6]&(1<<(r&63)) != 0
}

// hanRunIs reports whether the characters of run are word.
func hanRunIs(run []hanChar, word []rune) bool {
	for i := range run {
		if run[i].base != word[i] {
			return false
		}
	}
	return true
}

// within reports whether run[from:to] lies inside one of rs.
func within(rs []hanRange, from, to int) bool {
	for _, r := range rs {
		if from >= r.from && to <= r.to {
			return true
		}
	}
	return false
}

// innerAlternatives adds to a phrase's slots of Han bigrams the marked
// bigram wherever the phrase can stand inside a longer text of
// data/han-inside.txt and hold more of it than the name inside: 印度尼 (as
// typed on the way to 印度尼西亚) gets ⊂印度 beside 印度, and 白俄罗 ⊂俄罗
// beside 俄罗, so they still find Indonesia and Belarus, and 发展中国 finds
// 发展中国家 as well as 发展中国特色. A phrase whose overlap with the longer
// text is the name inside, or part of it (印度, 俄罗斯总统 against
// 白俄罗斯总统), gets none: that is the match the marks are there to stop.
func innerAlternatives(slots [][]string) {
	for from := 0; from < len(slots); {
		to := from
		for to < len(slots) && hanBigramSlot(slots[to]) {
			to++
		}
		if to > from {
			innerRunAlternatives(slots[from:to])
			from = to
		} else {
			from++
		}
	}
}

// hanBigramSlot reports whether slot holds one Han bigram, marked or not.
func hanBigramSlot(slot []string) bool {
	if len(slot) != 1 {
		return false
	}
	term := strings.TrimPrefix(slot[0], hanInsideMark)
	first, n := utf8.DecodeRuneInString(term)
	second, m := utf8.DecodeRuneInString(term[n:])
	return n+m == len(term) && unicode.Is(unicode.Han, first) && unicode.Is(unicode.Han, second)
}

// innerRunAlternatives is innerAlternatives for one run of bigram slots,
// each bigram the next's first character and its own second.
func innerRunAlternatives(run [][]string) {
	chars := make([]rune, 0, len(run)+1)
	for i, slot := range run {
		rs := []rune(strings.TrimPrefix(slot[0], hanInsideMark))
		if i > 0 && chars[i] != rs[0] {
			return // not one run of text
		}
		if i == 0 {
			chars = append(chars, rs[0])
		}
		chars = append(chars, rs[1])
	}
	m := len(chars)
	for _, rule := range hanInsideAll {
		o := rule.outer
		for d := 1 - len(o); d < m; d++ { // where o starts, in chars
			lo, hi := max(0, d), min(m, d+len(o))
			in, out := d+rule.at, d+rule.at+rule.n // the name inside o
			if hi-lo < 2 || lo >= in && hi <= out || !slices.Equal(chars[lo:hi], o[lo-d:hi-d]) {
				continue
			}
			for j := max(lo, in); j+1 < min(hi, out); j++ {
				plain := run[j][0]
				if !strings.HasPrefix(plain, hanInsideMark) && !slices.Contains(run[j], hanInsideMark+plain) {
					run[j] = append(run[j], hanInsideMark+plain)
				}
			}
		}
	}
}
