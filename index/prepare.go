package index

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Limits on article fields. They keep one article well below what a search
// result page or a bleve document can carry, and stop a corrupt record from
// turning into a multi-megabyte title.
const (
	maxIDBytes     = 200
	maxTitleRunes  = 1000
	maxBodyBytes   = 1 << 20 // 1 MiB
	maxSourceRunes = 200
	maxURLBytes    = 2048

	// A derived title is at most this wide, counting a CJK character as
	// two columns, so a Chinese title is about as long on screen as an
	// English one.
	maxDerivedTitleWidth = 100

	// Dates outside these years are certainly errors in a news corpus, and
	// bleve's datetime fields cannot store instants outside 1678–2262.
	minYear = 1700
	maxYear = 2200
)

// defaultSource is the Source of an article whose outlet is not known.
const defaultSource = "unknown"

// FieldError is the error returned when an Article fails validation. It names
// the offending field, so the HTTP layer can report it, and unwraps to
// ErrInvalidArticle.
type FieldError struct {
	Field  string // "id", "title", "body", "date", "source", "lang" or "url"
	Reason string // e.g. "not valid UTF-8"
}

// Error returns a message such as "invalid article: title: not valid UTF-8".
func (e *FieldError) Error() string {
	return ErrInvalidArticle.Error() + ": " + e.Field + ": " + e.Reason
}

// Unwrap returns ErrInvalidArticle.
func (e *FieldError) Unwrap() error { return ErrInvalidArticle }

func fieldErr(field, format string, args ...any) *FieldError {
	return &FieldError{Field: field, Reason: fmt.Sprintf(format, args...)}
}

// Prepare validates a and fills in what can be derived from it. The loader and
// the write API both call it, so every stored article obeys the same rules:
//
//   - ID passes ValidID.
//   - Every string is valid UTF-8 without NUL or other control characters;
//     Body alone may contain newlines and tabs. A carriage return in Body is
//     turned into a newline ("\r\n" into one "\n") rather than rejected,
//     because form fields send line breaks that way.
//   - Title is trimmed and its runs of white space collapsed to one space; it
//     is at most 1,000 characters. Body is trimmed and at most 1 MiB. Source
//     is trimmed and collapsed like Title and at most 200 characters. URL is
//     at most 2,048 bytes and, when not empty, an absolute http or https URL.
//   - There is a title or a body. Without a title, Title is derived from the
//     start of Body (its first sentence, or about 100 characters cut at a word
//     boundary and ended with "…") and TitleDerived is set.
//   - An empty Lang is detected from the title and body with DetectLang; any
//     other Lang must be one of Languages.
//   - An empty Source becomes "unknown".
//   - A non-zero Date is converted to its day in UTC and must lie between the
//     years 1700 and 2200.
//
// Errors are *FieldError values and so wrap ErrInvalidArticle. Prepare is
// idempotent: preparing a prepared article changes nothing.
func Prepare(a Article) (Article, error) {
	return prepare(a, false)
}

// prepare is Prepare. When validUTF8 is set the caller has already checked
// that the strings are valid UTF-8 (the JSON Lines reader checks each raw
// line, and encoding/json only produces valid UTF-8), so that pass over
// every body is skipped.
func prepare(a Article, validUTF8 bool) (Article, error) {
	if err := ValidID(a.ID); err != nil {
		return Article{}, err
	}
	check := checkText
	if validUTF8 {
		check = checkControls
	}

	if err := check("title", a.Title, false); err != nil {
		return Article{}, err
	}
	a.Title = collapseSpace(a.Title)
	if n := utf8.RuneCountInString(a.Title); n > maxTitleRunes {
		return Article{}, fieldErr("title", "%d characters, more than %d", n, maxTitleRunes)
	}

	if strings.IndexByte(a.Body, '\r') >= 0 {
		a.Body = strings.ReplaceAll(strings.ReplaceAll(a.Body, "\r\n", "\n"), "\r", "\n")
	}
	if err := check("body", a.Body, true); err != nil {
		return Article{}, err
	}
	a.Body = strings.TrimSpace(a.Body)
	if len(a.Body) > maxBodyBytes {
		return Article{}, fieldErr("body", "%d bytes, more than %d", len(a.Body), maxBodyBytes)
	}

	if a.Title == "" {
		if a.Body == "" {
			return Article{}, fieldErr("body", "empty, and there is no title")
		}
		a.Title = deriveTitle(a.Body)
		a.TitleDerived = true
	}

	if err := check("source", a.Source, false); err != nil {
		return Article{}, err
	}
	a.Source = collapseSpace(a.Source)
	if a.Source == "" {
		a.Source = defaultSource
	}
	if n := utf8.RuneCountInString(a.Source); n > maxSourceRunes {
		return Article{}, fieldErr("source", "%d characters, more than %d", n, maxSourceRunes)
	}

	if err := checkURL(a.URL); err != nil {
		return Article{}, err
	}

	if a.Lang == "" {
		var c scriptCounts
		if !a.TitleDerived {
			c.add(a.Title) // a derived title only repeats the body
		}
		c.add(a.Body)
		a.Lang = c.lang()
	} else if err := checkLang(a.Lang); err != nil {
		return Article{}, err
	}

	if !a.Date.IsZero() {
		d, err := utcDay(a.Date)
		if err != nil {
			return Article{}, err
		}
		a.Date = d
	}
	return a, nil
}

// ValidID reports whether id can name an article: 1 to 200 bytes of valid
// UTF-8, only printable characters, no white space, and none of '/', '?',
// '#' and '%', which would have to be escaped in the /api/articles/{id} path.
// "." and ".." are refused because routers clean them out of paths, and
// "_bulk", which names the bulk route (PUT /api/articles/_bulk had stored
// an article no POST could reach). The error is a *FieldError for the
// field "id".
func ValidID(id string) error {
	switch {
	case id == "":
		return fieldErr("id", "missing")
	case len(id) > maxIDBytes:
		return fieldErr("id", "%d bytes, more than %d", len(id), maxIDBytes)
	case !utf8.ValidString(id):
		return fieldErr("id", "not valid UTF-8")
	case id == "." || id == ".." || id == "_bulk":
		return fieldErr("id", "%q is not allowed", id)
	}
	for _, r := range id {
		switch {
		case unicode.IsSpace(r):
			return fieldErr("id", "%q contains white space", id)
		case r == '/' || r == '?' || r == '#' || r == '%':
			return fieldErr("id", "%q contains %q", id, r)
		case !unicode.IsPrint(r):
			return fieldErr("id", "%q contains the non-printable character %U", id, r)
		}
	}
	return nil
}

// checkText reports whether s is valid UTF-8 without control characters.
// When multiline is set, '\n' and '\t' are allowed.
func checkText(field, s string, multiline bool) error {
	if !utf8.ValidString(s) {
		return fieldErr(field, "not valid UTF-8")
	}
	return checkControls(field, s, multiline)
}

// checkControls is checkText for a string known to be valid UTF-8. It sees
// every body at index time, so it tests eight bytes at a time for anything
// that could be a control character and looks closer only at those words.
func checkControls(field, s string, multiline bool) error {
	i := 0
	for ; i+8 <= len(s); i += 8 {
		x := uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
			uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
		if hasByteBelow(x, 0x20) || hasByte(x, 0x7f) || hasByte(x, 0xc2) {
			if err := checkBytes(field, s, i, i+8, multiline); err != nil {
				return err
			}
		}
	}
	return checkBytes(field, s, i, len(s), multiline)
}

// checkBytes checks s[from:to] byte by byte for control characters.
func checkBytes(field, s string, from, to int, multiline bool) error {
	for i := from; i < to; i++ {
		b := s[i]
		switch {
		case b < 0x20:
			if multiline && (b == '\n' || b == '\t') {
				continue
			}
			return fieldErr(field, "control character %U at byte %d", rune(b), i)
		case b == 0x7f:
			return fieldErr(field, "control character %U at byte %d", rune(b), i)
		case b == 0xc2 && i+1 < len(s) && s[i+1] < 0xa0:
			// U+0080–U+009F (C1 controls) encode as C2 80–C2 9F.
			return fieldErr(field, "control character %U at byte %d", rune(s[i+1]), i)
		}
	}
	return nil
}

// Word-at-a-time byte tests ("Bit Twiddling Hacks", S. E. Anderson).
const (
	ones  = 0x0101010101010101
	highs = 0x8080808080808080
)

// hasByteBelow reports whether any byte of x is less than n (n <= 128).
func hasByteBelow(x uint64, n byte) bool { return (x-ones*uint64(n))&^x&highs != 0 }

// hasByte reports whether any byte of x equals b.
func hasByte(x uint64, b byte) bool { return hasByteBelow(x^(ones*uint64(b)), 1) }

func checkURL(u string) error {
	if u == "" {
		return nil
	}
	if len(u) > maxURLBytes {
		return fieldErr("url", "%d bytes, more than %d", len(u), maxURLBytes)
	}
	if err := checkText("url", u, false); err != nil {
		return err
	}
	p, err := url.Parse(u)
	if err != nil {
		return fieldErr("url", "%q is not a valid URL", u)
	}
	if p.Scheme != "http" && p.Scheme != "https" || p.Host == "" {
		return fieldErr("url", "%q is not an absolute http or https URL", u)
	}
	return nil
}

func checkLang(lang string) error {
	if !slices.Contains(Languages, lang) {
		return fieldErr("lang", "%q is not one of %s", lang, strings.Join(Languages, ", "))
	}
	return nil
}

// utcDay returns the day of t in UTC, at midnight.
func utcDay(t time.Time) (time.Time, error) {
	t = t.UTC()
	if y := t.Year(); y < minYear || y > maxYear {
		return time.Time{}, fieldErr("date", "year %d is outside %d–%d", y, minYear, maxYear)
	}
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC), nil
}

// parseDate parses a corpus date: empty, "YYYY-MM-DD" or RFC 3339.
func parseDate(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	layout := time.RFC3339
	if len(s) == len(time.DateOnly) {
		layout = time.DateOnly
	}
	t, err := time.Parse(layout, s)
	if err != nil {
		return time.Time{}, fieldErr("date", "%q is not a YYYY-MM-DD or RFC 3339 date", s)
	}
	return utcDay(t)
}

// collapseSpace trims s and replaces each run of white space inside it with
// one space. It does not allocate when s is already in that form.
func collapseSpace(s string) string {
	prevSpace := true // a leading space is not clean
	clean := true
	for _, r := range s {
		sp := unicode.IsSpace(r)
		if sp && (prevSpace || r != ' ') {
			clean = false
			break
		}
		prevSpace = sp
	}
	if clean && !prevSpace || s == "" {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

// deriveTitle makes a title from the start of body: its first sentence when
// that is short enough, otherwise the first words that fit in
// maxDerivedTitleWidth columns followed by "…". Only the first line is used.
// A final full stop is dropped, as headlines have none.
func deriveTitle(body string) string {
	if i := strings.IndexByte(body, '\n'); i >= 0 {
		body = body[:i]
	}
	body = strings.TrimSpace(body)
	if end := sentenceEnd(body, 0); end > 0 && textWidth(body[:end]) <= maxDerivedTitleWidth {
		if t := headline(body[:end]); hasWord(t) {
			return t
		}
	}
	if textWidth(body) <= maxDerivedTitleWidth {
		return headline(body)
	}
	// Cut at the last space that fits; with none in the second half of the
	// window (CJK text, or one very long token) cut at the width limit.
	width, cut, lastSpace := 0, len(body), -1
	for i, r := range body {
		w := runeWidth(r)
		if width+w > maxDerivedTitleWidth {
			cut = i
			break
		}
		if unicode.IsSpace(r) {
			lastSpace = i
		}
		width += w
	}
	if lastSpace > 0 && textWidth(body[:lastSpace]) > maxDerivedTitleWidth/2 {
		cut = lastSpace
	}
	t := strings.TrimRightFunc(body[:cut], func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune(",;:–—-(«“\"'", r)
	})
	return collapseSpace(t) + "…"
}

// headline tidies a sentence for use as a title: white space collapsed and
// a final full stop dropped, as headlines have none.
func headline(s string) string {
	return collapseSpace(trimFinalStop(strings.TrimSpace(s)))
}

// hasWord reports whether s has a letter or a digit.
func hasWord(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0
}

func trimFinalStop(s string) string {
	if strings.HasSuffix(s, "...") {
		return s
	}
	s = strings.TrimSuffix(s, ".")
	return strings.TrimSuffix(s, "。")
}

// abbreviations are words that end in a full stop without ending a
// sentence. Lower-case; compared without the stop.
var abbreviations = []string{
	"mr", "mrs", "ms", "dr", "st", "jr", "sr", "prof", "gen", "col", "lt", "capt",
	"gov", "sen", "rep", "rev", "inc", "ltd", "co", "corp", "no", "vs", "etc",
	"jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
	"mln", "bln", "pct", "approx", "fig", "vol",
	"г", "гг", "т", "им", "ул", "млн", "млрд", "тыс", "руб", "см", "др", "пр",
}

// sentenceEnd returns the byte offset just after the first sentence of s
// that starts at or after from, including the closing punctuation and any
// closing quotes, or -1 when s has no sentence end. A full stop after a
// single letter ("U.S.") or a known abbreviation does not end a sentence; a
// Chinese full stop does, with or without a following space.
func sentenceEnd(s string, from int) int {
	for i := from; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		next := i + size
		switch r {
		case '。', '！', '？':
			return closeQuotes(s, next)
		case '.', '!', '?', '…':
			end := closeQuotes(s, next)
			if end < len(s) {
				r2, _ := utf8.DecodeRuneInString(s[end:])
				if !unicode.IsSpace(r2) {
					break // "3.5", "example.com", "?!"
				}
			}
			if r == '.' && isAbbreviation(s[:i]) {
				break
			}
			return end
		}
		i = next
	}
	return -1
}

// closeQuotes skips closing quotes and brackets from i.
func closeQuotes(s string, i int) int {
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !strings.ContainsRune(`"'”’»)]`, r) {
			break
		}
		i += size
	}
	return i
}

// isAbbreviation reports whether the word at the end of before is a
// single letter, part of a dotted abbreviation ("U.S") or one of
// abbreviations.
func isAbbreviation(before string) bool {
	word := before
	if i := strings.LastIndexFunc(before, func(r rune) bool { return !unicode.IsLetter(r) }); i >= 0 {
		if before[i] == '.' {
			return true
		}
		_, size := utf8.DecodeRuneInString(before[i:])
		word = before[i+size:]
	}
	if utf8.RuneCountInString(word) == 1 {
		return true
	}
	return slices.Contains(abbreviations, strings.ToLower(word))
}

// runeWidth is the number of columns r takes on screen: two for CJK
// characters and full-width forms, one otherwise.
func runeWidth(r rune) int {
	switch {
	case r >= 0x1100 && r <= 0x115f, // Hangul Jamo
		r >= 0x2e80 && r <= 0xa4cf && r != 0x303f,              // CJK radicals … Yi
		r >= 0xac00 && r <= 0xd7a3,                             // Hangul syllables
		r >= 0xf900 && r <= 0xfaff,                             // CJK compatibility ideographs
		r >= 0xfe30 && r <= 0xfe4f,                             // CJK compatibility forms
		r >= 0xff00 && r <= 0xff60, r >= 0xffe0 && r <= 0xffe6, // full-width forms
		r >= 0x20000 && r <= 0x3fffd:
		return 2
	}
	return 1
}

func textWidth(s string) int {
	n := 0
	for _, r := range s {
		n += runeWidth(r)
	}
	return n
}
