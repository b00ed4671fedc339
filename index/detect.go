package index

import (
	"unicode"
	"unicode/utf8"
)

// DetectLang guesses the language of text from how many of its letters
// belong to each script, and returns one of Languages:
//
//   - "zh" when at least 30% of the letters are Han characters (and there
//     are not so many kana that the text looks Japanese);
//   - "ru" when more than half are Cyrillic (and under 2% are letters
//     Russian does not use, such as Ukrainian і or Serbian ђ);
//   - "en" when more than half are Latin and at least one word in ten is an
//     English function word ("the", "of", "and", …), with English function
//     words outnumbering those of French, German, Spanish, Italian, Dutch and
//     Swedish at least two to one;
//   - "other" otherwise, including for text without letters.
//
// So an English article quoting Russian words is "en", and a Russian post
// with some English terms is "ru". Short Latin text without any function word
// ("Oil prices rise") is "other": there is not enough evidence for English.
//
// DetectLang runs once over text and does not allocate; Prepare calls it for
// every article without a language.
func DetectLang(text string) string {
	var c scriptCounts
	c.add(text)
	return c.lang()
}

// maxWord is the longest function word, in bytes.
const maxWord = 6

// scriptCounts accumulates what DetectLang decides on. add may be called
// several times (title, then body) without joining the strings.
type scriptCounts struct {
	latin, cyrillic, nonRussian, han, kana, hangul, other int

	words   int // Latin words
	english int // English function words among them
	foreign int // function words of other Latin-script languages

	// The Latin word being read, lower-case ASCII; n counts its letters
	// and is set past maxWord when the word cannot be a function word.
	word [maxWord]byte
	n    int
}

func (c *scriptCounts) add(text string) {
	for i := 0; i < len(text); {
		b := text[i]
		if b < utf8.RuneSelf {
			i++
			if lb := b | 0x20; lb >= 'a' && lb <= 'z' { // ASCII letter, lower-cased
				c.latin++
				if c.n < maxWord {
					c.word[c.n] = lb
				}
				c.n++
				continue
			}
			c.endWord()
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		i += size
		switch {
		case r >= 0xc0 && r <= 0x24f && r != 0xd7 && r != 0xf7, // Latin-1 letters, Latin Extended-A/B
			r >= 0x1e00 && r <= 0x1eff: // Latin Extended Additional
			c.latin++
			c.n = maxWord + 1 // "für", "señor": not an English function word
			continue
		case r >= 0x400 && r <= 0x52f: // Cyrillic and its supplement
			c.cyrillic++
			if (r < 0x410 || r > 0x44f) && r != 0x401 && r != 0x451 { // not А–я, Ё, ё
				c.nonRussian++
			}
		case r >= 0x4e00 && r <= 0x9fff, r >= 0x3400 && r <= 0x4dbf,
			r >= 0xf900 && r <= 0xfaff, r >= 0x20000 && r <= 0x3134f:
			c.han++
		case r >= 0x3040 && r <= 0x30ff: // hiragana, katakana
			c.kana++
		case r >= 0xac00 && r <= 0xd7a3, r >= 0x1100 && r <= 0x11ff:
			c.hangul++
		case isOtherLetter(r):
			c.other++
		}
		c.endWord()
	}
	c.endWord()
}

// isOtherLetter reports whether r is a letter of a script add does not
// count by name. It avoids unicode.IsLetter's table search for the common
// non-letters of news text: punctuation, quotes, dashes and spaces.
func isOtherLetter(r rune) bool {
	switch {
	case r < 0x370, // Latin-1 punctuation, spacing modifiers, combining marks
		r >= 0x2000 && r <= 0x2bff,                             // punctuation, symbols, arrows, boxes
		r >= 0x3000 && r <= 0x303f,                             // CJK punctuation
		r >= 0xfe00 && r <= 0xfe6f, r >= 0xff00 && r <= 0xff20, // variation selectors, full-width punctuation
		r >= 0x1f000: // emoji and other symbols
		return false
	}
	return unicode.IsLetter(r)
}

func (c *scriptCounts) endWord() {
	if c.n == 0 {
		return
	}
	c.words++
	if c.n <= maxWord {
		switch string(c.word[:c.n]) {
		case "a", "the", "of", "and", "to", "in", "is", "was", "for", "that", "with",
			"on", "as", "by", "at", "from", "it", "its", "be", "are", "were",
			"has", "have", "had", "been", "an", "or", "not", "but", "this",
			"which", "would", "will", "said", "he", "she", "his", "her", "they",
			"their", "we", "you", "who", "after", "also", "than":
			c.english++
		case "de", "la", "le", "les", "et", "des", "du", "une", "est", "dans",
			"und", "der", "die", "das", "nicht", "ist", "ein", "eine", "mit", "den",
			"el", "los", "las", "y", "que", "del", "por", "con", "para", "una",
			"il", "che", "di", "della", "per", "het", "een", "van", "och", "att":
			c.foreign++
		}
	}
	c.n = 0
}

func (c *scriptCounts) lang() string {
	letters := c.latin + c.cyrillic + c.han + c.kana + c.hangul + c.other
	switch {
	case letters == 0:
		return "other"
	case c.han*10 >= letters*3:
		if c.kana*4 >= c.han {
			return "other" // Japanese mixes kana with its kanji
		}
		return "zh"
	case c.cyrillic*2 > letters:
		if c.nonRussian*50 > c.cyrillic {
			return "other" // Ukrainian, Belarusian, Serbian, …
		}
		return "ru"
	case c.latin*2 > letters && c.english > 0 &&
		c.english*10 >= c.words && c.english >= c.foreign*2:
		return "en"
	}
	return "other"
}
