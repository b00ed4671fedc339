package index

import (
	_ "embed"
	"strings"
	"unicode/utf8"
)

// Traditional Chinese.
//
// Chinese news from the mainland, the CCTV corpus among it, is written in
// simplified characters; readers in Taiwan, Hong Kong and abroad write
// traditional ones. Typed in traditional characters, 習近平 found none of
// the news corpora's 7,271 articles on 习近平, and 俄羅斯 none of the 5,650
// on 俄罗斯. The analyzer folds every traditional character to its
// simplified form before it cuts a Han run into terms, in articles and in
// queries alike (cleanQueryText), as it narrows full-width letters: 習近平
// and 习近平 are one term, and highlights mark the text as written. The
// table goes character by character (data/trad-simp.txt): where the two
// scripts use different words (軟體 and 软件, software) they stay
// different. Simplified text is untouched: a character that simplified
// text also writes (乾 of 乾隆, 於, 吒 of 哪吒) is left out of the table,
// and the CCTV corpus has 16 of its characters in 13 million.

//go:embed data/trad-simp.txt
var tradSimpText string

// tradLow and tradHigh bound the code points the bitset tradBits covers:
// CJK Extension A and the unified ideographs, where all but 66 of the
// table's characters are. Those beyond it are looked up in the map alone.
const tradLow, tradHigh = 0x3400, 0xA000

var (
	// tradSimp maps a traditional character to its simplified form.
	tradSimp map[rune]rune
	// tradBits has a bit for each character in [tradLow, tradHigh) that
	// tradSimp holds, so that most Han characters cost no map look-up.
	tradBits [(tradHigh - tradLow) / 64]uint64
)

func init() {
	tradSimp = make(map[rune]rune, 3300)
	for fields := range dataLines(tradSimpText) {
		t, tn := utf8.DecodeRuneInString(fields[0])
		s, sn := utf8.DecodeRuneInString(fields[len(fields)-1])
		if len(fields) != 2 || tn != len(fields[0]) || sn != len(fields[1]) || t == s || !isIdeograph(t) {
			panic("data/trad-simp.txt: bad line " + strings.Join(fields, " "))
		}
		tradSimp[t] = s
		if tradLow <= t && t < tradHigh {
			tradBits[(t-tradLow)/64] |= 1 << ((t - tradLow) % 64)
		}
	}
	for t, s := range tradSimp {
		if _, ok := tradSimp[s]; ok {
			panic("data/trad-simp.txt: " + string(t) + " folds to " + string(s) + ", which folds again")
		}
	}
}

// simplified returns the simplified form of a traditional Chinese
// character, and any other character unchanged.
func simplified(r rune) rune {
	if r < tradLow {
		return r
	}
	if r < tradHigh && tradBits[(r-tradLow)/64]&(1<<((r-tradLow)%64)) == 0 {
		return r
	}
	if s, ok := tradSimp[r]; ok {
		return s
	}
	return r
}

// hasTraditional reports whether s holds a character simplified changes.
func hasTraditional(s string) bool {
	for i := 0; i < len(s); {
		if s[i] < 0xE3 { // below U+3000: no Han character starts here
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if simplified(r) != r {
			return true
		}
		i += size
	}
	return false
}

// foldTraditional returns s with its traditional characters simplified.
func foldTraditional(s string) string {
	if !hasTraditional(s) {
		return s
	}
	return strings.Map(simplified, s)
}
