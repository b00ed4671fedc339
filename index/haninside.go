package index

import (
	_ "embed"
	"fmt"
	"slices"
	"strings"
	"unicode"
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
)

func init() {
	for fields := range dataLines(hanInsideData) {
		rule, err := parseHanInside(fields)
		if err != nil {
			panic("data/han-inside.txt: " + err.Error())
		}
		r := rule.outer[rule.at]
		hanInsideRules[r] = append(hanInsideRules[r], rule)
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
	for i, c := range run {
		if c.base != word[i] {
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
