package index

// Plain-text articles (*.txt) are pages as a newsroom has them after a scrape
// or a copy and paste: a headline line, sometimes prefixed with
// " date YYYY-MM-DD", then paragraphs separated by blank lines or one per
// line, with site furniture, feed headers, disclaimers and photo credits
// mixed in. parseText turns one such file into an Article; the rules it
// applies are the tables below, so a new kind of boilerplate is one new row.
//
// A sidecar file meta.json next to the .txt files supplies what the text
// cannot give (a date, an outlet, a URL) and corrects what the text gets
// wrong (a headline broken by the scrape). See parseSidecar.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

const (
	// maxTextFileBytes caps a .txt article file. A body may be 1 MiB;
	// boilerplate and blank lines never need three more.
	maxTextFileBytes = 4 << 20
	// maxSidecarBytes caps meta.json. Entries are a few hundred bytes.
	maxSidecarBytes = 1 << 20
	// A title line longer than this is a paragraph that lost its headline.
	maxTitleLineRunes = 200
	// sidecarName is the per-directory metadata file for .txt articles.
	sidecarName = "meta.json"
)

// Building blocks of the photo-credit patterns: one to four capitalised
// words ("Artem Dergunov", "Мария Зверева", "J. Smith"), a slash and a
// domain name ("realnoevremya.ru").
const (
	creditName   = `\p{Lu}[\p{L}'’-]*\.?(?: \p{Lu}[\p{L}'’-]*\.?){0,3}`
	creditDomain = `(?:[\p{L}\d-]+\.)+\p{L}{2,}`
	creditItem   = creditName + ` / ` + creditDomain
	credits      = creditItem + `(?:[.,;]? ` + creditItem + `)*\.?`
)

// lineAction says what a lineRule removes.
type lineAction int

const (
	dropLine lineAction = iota // the whole paragraph is boilerplate
	cutTail                    // the match at the end of the paragraph is boilerplate
)

// lineRule is one kind of boilerplate in plain-text articles. Rules are
// matched against each paragraph after white space is collapsed.
type lineRule struct {
	name   string
	re     *regexp.Regexp
	action lineAction
	// tail, when set, limits matching to the last tail bytes of the
	// paragraph: the pattern is anchored at the end, and running an
	// unanchored pattern over a megabyte paragraph takes seconds.
	tail   int
	credit bool   // the removed text may carry a photo credit naming the outlet
	why    string // where this text comes from and why it is not article text
}

// lineRules is the boilerplate removed from plain-text articles. Keep the
// patterns generic: they describe a kind of page furniture, never one
// article.
var lineRules = []lineRule{
	{name: "site icon", re: regexp.MustCompile(`^Site icon\b`), action: dropLine,
		why: "WordPress themes put the site logo's alt text first; scraped pages start with it"},
	{name: "translation header", re: regexp.MustCompile(`^Translation\. Region:`), action: dropLine,
		why: "MIL-OSI feed header naming the region of a machine-translated item"},
	{name: "source header", re: regexp.MustCompile(`^Source: `), action: dropLine,
		why: "feed header naming where a press release came from; the outlet comes from other rules"},
	{name: "disclaimer pointer", re: regexp.MustCompile(`^An important disclaimer\b`), action: dropLine,
		why: "feed header announcing the disclaimer at the bottom"},
	{name: "disclaimer", re: regexp.MustCompile(`^Please note: This information is raw content\b`), action: dropLine,
		why: "MIL-OSI legal disclaimer appended to every item"},
	{name: "photo caption", re: regexp.MustCompile(`^(?i:photo|фото)\s?:`), action: dropLine, credit: true,
		why: "caption of an image that is not part of the text"},
	{name: "photo credit", re: regexp.MustCompile(`^` + credits + `$`), action: dropLine, credit: true,
		why: `a photographer credit on its own line, "Name Surname / domain.tld"`},
	{name: "photo credit after text", re: regexp.MustCompile(`[.!?…"”»)](\s+` + credits + `)$`), action: cutTail, credit: true, tail: 1000,
		why: "an image caption flattened into the paragraph before it ends with the credits; the sentence stays"},
	{name: "mobile footer", re: regexp.MustCompile(`^Exit mobile version$`), action: dropLine,
		why: "link of WordPress AMP themes at the end of the page"},
}

// match returns the submatch indexes of rule in text, as
// regexp.FindStringSubmatchIndex does.
func (rule *lineRule) match(text string) []int {
	if rule.tail == 0 || len(text) <= rule.tail {
		return rule.re.FindStringSubmatchIndex(text)
	}
	start := len(text) - rule.tail
	for start < len(text) && !utf8.RuneStart(text[start]) {
		start++
	}
	m := rule.re.FindStringSubmatchIndex(text[start:])
	for i := range m {
		if m[i] >= 0 {
			m[i] += start
		}
	}
	return m
}

// sourceScope says which text a sourceRule looks at.
type sourceScope int

const (
	anyParagraph  sourceScope = iota // every paragraph, boilerplate included
	leadParagraph                    // the start of the first body paragraph
	creditText                       // text removed by a lineRule with credit set
)

// sourceRule finds the outlet (Article.Source) in a plain-text article.
// Submatch 1 of re is the outlet.
type sourceRule struct {
	name  string
	re    *regexp.Regexp
	hint  string // when set, text without this string cannot match: skip re
	scope sourceScope
	why   string
}

// sourceRules are tried in order; the first that matches wins, because
// earlier rules name the outlet more directly.
var sourceRules = []sourceRule{
	{name: "site icon", re: regexp.MustCompile(`^Site icon (.+?)(?::|\s[-–—|]\s|$)`), scope: anyParagraph,
		why: `"Site icon Realist: news and analytics" is the site's own name`},
	{name: "dateline", re: regexp.MustCompile(`^\p{Lu}[\p{Lu}\p{M}'’. -]*\p{Lu}(?:,[^()]{1,30})? \(([^()]{2,60}?)(?: English)?\)`),
		scope: leadParagraph,
		why:   `wire style "MOSCOW (Realist English). …" or "NEW YORK, March 3 (Reuters) -"`},
	{name: "disclaimer", re: regexp.MustCompile(`position of (.+?) or its clients`), hint: " or its clients", scope: anyParagraph,
		why: `feed disclaimers name the distributor: "…the position of MIL-OSI or its clients"`},
	{name: "photo credit", re: regexp.MustCompile(` / (` + creditDomain + `)`), scope: creditText,
		why: `an outlet credits its own photographers "Name / domain.tld"; the domain names the outlet`},
}

// datePrefix is the " date YYYY-MM-DD " some exports put before the title.
var datePrefix = regexp.MustCompile(`^date (\d{4}-\d{2}-\d{2})(?:\s+|$)`)

// paragraph is one paragraph of a text article and the line it starts on.
type paragraph struct {
	text string
	line int
}

// parseText reads a plain-text article whose file is named id + ".txt".
// It returns the article before Prepare: ID, Title (empty when the text has
// none), Body, Date and Source as found in the text. A problem has Line set
// when it belongs to one line, and File left empty for the caller.
func parseText(id string, data []byte) (Article, *Problem) {
	if !utf8.Valid(data) {
		return Article{}, &Problem{Line: lineOf(data, InvalidUTF8At(data)), Reason: "not valid UTF-8"}
	}
	text := strings.TrimPrefix(string(data), "\uFEFF")
	if strings.IndexByte(text, '\r') >= 0 {
		text = strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\r", "\n")
	}
	paras, p := splitParagraphs(text)
	if p != nil {
		return Article{}, p
	}

	// Drop boilerplate, remembering what was removed for the source rules.
	var kept []paragraph
	var removed []string
	for _, para := range paras {
		keep := true
		for _, rule := range lineRules {
			m := rule.match(para.text)
			if m == nil {
				continue
			}
			cut := para.text
			if rule.action == cutTail {
				cut = para.text[m[2]:m[3]]
				para.text = strings.TrimSpace(para.text[:m[2]])
			} else {
				keep = false
			}
			if rule.credit {
				removed = append(removed, cut)
			}
			if !keep {
				break
			}
		}
		if keep && para.text != "" {
			kept = append(kept, para)
		}
	}
	if len(kept) == 0 {
		return Article{}, &Problem{Reason: "no title or body text"}
	}

	a := Article{ID: id}
	// The title is the first paragraph left, after its date prefix.
	first := &kept[0]
	if m := datePrefix.FindStringSubmatchIndex(first.text); m != nil {
		d, err := parseDate(first.text[m[2]:m[3]])
		if err != nil {
			var fe *FieldError
			errors.As(err, &fe)
			return Article{}, &Problem{Line: first.line, Reason: fe.Field + ": " + fe.Reason, err: err}
		}
		a.Date = d
		first.text = first.text[m[1]:]
		if first.text == "" {
			kept = kept[1:]
		}
	}
	if len(kept) > 0 && !isParagraph(kept[0].text) {
		a.Title = kept[0].text
		kept = kept[1:]
	}
	a.Source = findSource(paras, kept, removed)

	texts := make([]string, len(kept))
	for i, para := range kept {
		texts[i] = para.text
	}
	a.Body = strings.Join(texts, "\n\n")
	return a, nil
}

// splitParagraphs splits text into paragraphs with white space collapsed.
// Blank lines separate paragraphs, and so does a line break, except where a
// hard-wrapped sentence goes on: the line does not end in punctuation and
// the next starts with a lower-case letter. So both blank-line-separated
// files and one-paragraph-per-line files come out the same.
func splitParagraphs(text string) ([]paragraph, *Problem) {
	var paras []paragraph
	var lines []string // of the paragraph being read
	flush := func() {
		if len(lines) > 0 {
			paras[len(paras)-1].text = strings.Join(lines, " ")
			lines = lines[:0]
		}
	}
	for i, line := range strings.Split(text, "\n") {
		for j, r := range line {
			if unicode.IsControl(r) && r != '\t' {
				return nil, &Problem{Line: i + 1, Reason: fmt.Sprintf("control character %U at byte %d", r, j)}
			}
		}
		line = collapseSpace(line)
		if line == "" {
			flush()
			continue
		}
		if len(lines) > 0 && continues(lines[len(lines)-1], line) {
			lines = append(lines, line)
			continue
		}
		flush()
		paras = append(paras, paragraph{line: i + 1})
		lines = append(lines, line)
	}
	flush()
	return paras, nil
}

// continues reports whether next is the rest of a sentence hard-wrapped at
// the end of prev.
func continues(prev, next string) bool {
	last, _ := utf8.DecodeLastRuneInString(prev)
	first, _ := utf8.DecodeRuneInString(next)
	return !strings.ContainsRune(`.!?…:;"'”’»)]`, last) && unicode.IsLower(first)
}

// isParagraph reports whether a would-be title line is really body text:
// too long for a headline, or several sentences that end like prose.
func isParagraph(line string) bool {
	if utf8.RuneCountInString(line) > maxTitleLineRunes {
		return true
	}
	sentences, end := 0, 0
	for end < len(line) {
		e := sentenceEnd(line, end)
		if e < 0 {
			break
		}
		sentences, end = sentences+1, e
	}
	if strings.TrimSpace(line[end:]) != "" {
		sentences++ // text after the last full stop
		return sentences >= 3
	}
	return sentences >= 2
}

// findSource applies sourceRules: paras is every paragraph, kept the body
// (the lead is kept[0]), removed the text removed as photo credits.
func findSource(paras, kept []paragraph, removed []string) string {
	for _, rule := range sourceRules {
		var texts []string
		switch rule.scope {
		case anyParagraph:
			for _, p := range paras {
				texts = append(texts, p.text)
			}
		case leadParagraph:
			if len(kept) > 0 {
				texts = []string{kept[0].text}
			}
		case creditText:
			texts = removed
		}
		for _, t := range texts {
			if rule.hint != "" && !strings.Contains(t, rule.hint) {
				continue
			}
			if m := rule.re.FindStringSubmatch(t); m != nil {
				if s := strings.Trim(m[1], " .,:;-–—"); s != "" {
					if rule.scope == creditText {
						s = strings.ToLower(s)
					}
					return s
				}
			}
		}
	}
	return ""
}

// InvalidUTF8At returns the offset of the first byte of data that is not
// valid UTF-8, or len(data).
func InvalidUTF8At(data []byte) int {
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size == 1 {
			return i
		}
		i += size
	}
	return len(data)
}

// lineOf returns the 1-based line number of byte offset off in data.
func lineOf(data []byte, off int) int {
	return bytes.Count(data[:off], []byte{'\n'}) + 1
}

// sidecarEntry is one value of a meta.json sidecar: what to set on the
// article from the .txt file named by its key. Non-empty values replace
// what the text gave; empty or missing values leave it alone.
type sidecarEntry struct {
	Title  string `json:"title"`
	Date   string `json:"date"`
	Source string `json:"source"`
	URL    string `json:"url"`
	Lang   string `json:"lang"`
	Note   string `json:"note"` // for people: why the values are what they are

	date time.Time // Date, parsed
}

// apply sets the entry's values on a.
func (e *sidecarEntry) apply(a *Article) {
	if e.Title != "" {
		a.Title, a.TitleDerived = e.Title, false
	}
	if !e.date.IsZero() {
		a.Date = e.date
	}
	if e.Source != "" {
		a.Source = e.Source
	}
	if e.URL != "" {
		a.URL = e.URL
	}
	if e.Lang != "" {
		a.Lang = e.Lang
	}
}

// parseSidecar reads a meta.json sidecar: a JSON object keyed by the names
// of .txt files in the same directory ("000_405bb8d18efcf319.txt"), each
// value an object with optional "title", "date", "source", "url", "lang"
// and "note" strings. It is checked strictly, because a typo would
// otherwise be silently ignored: unknown keys, keys naming no .txt file
// (hasText reports which exist), repeated keys and values Prepare would
// reject are problems. A bad entry is left out and the others are returned;
// when the file as a whole is unreadable the map is nil. Problems have File
// left empty for the caller.
func parseSidecar(data []byte, hasText func(name string) bool) (map[string]*sidecarEntry, []*Problem) {
	whole := func(format string, args ...any) (map[string]*sidecarEntry, []*Problem) {
		for i, a := range args {
			if a == io.EOF {
				args[i] = "unexpected end of file"
			}
		}
		return nil, []*Problem{{Reason: fmt.Sprintf(format, args...)}}
	}
	if len(data) > maxSidecarBytes {
		return whole("%d bytes, more than %d", len(data), maxSidecarBytes)
	}
	if !utf8.Valid(data) {
		return whole("line %d: not valid UTF-8", lineOf(data, InvalidUTF8At(data)))
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return whole("not a JSON object keyed by file name")
	}
	entries := make(map[string]*sidecarEntry)
	seen := make(map[string]bool)
	var problems []*Problem
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return whole("invalid JSON: %v", err)
		}
		line := lineOf(data, int(dec.InputOffset()))
		name := tok.(string) // object keys are strings
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return whole("invalid JSON: %v", err)
		}
		bad := func(format string, args ...any) {
			problems = append(problems, &Problem{Line: line, Reason: fmt.Sprintf("%q: ", name) + fmt.Sprintf(format, args...)})
		}
		if seen[name] {
			bad("repeated")
			continue
		}
		seen[name] = true
		if !strings.HasSuffix(name, ".txt") || strings.Contains(name, "/") || !hasText(name) {
			bad("no such .txt file in this directory")
			continue
		}
		e, reason := decodeSidecarEntry(raw)
		if reason != "" {
			bad("%s", reason)
			continue
		}
		entries[name] = e
	}
	if _, err := dec.Token(); err != nil {
		return whole("invalid JSON: %v", err)
	}
	if _, err := dec.Token(); err == nil {
		return whole("invalid JSON: data after the object")
	}
	return entries, problems
}

// decodeSidecarEntry decodes and checks one sidecar value, returning a
// reason when it is bad.
func decodeSidecarEntry(raw json.RawMessage) (*sidecarEntry, string) {
	var e sidecarEntry
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&e); err != nil {
		return nil, jsonReason(err, "an object")
	}
	checks := []error{
		checkText("title", e.Title, false),
		checkText("source", e.Source, false),
		checkText("note", e.Note, true),
		checkURL(e.URL),
	}
	if e.Lang != "" {
		checks = append(checks, checkLang(e.Lang))
	}
	var err error
	e.date, err = parseDate(e.Date)
	checks = append(checks, err)
	if n := utf8.RuneCountInString(e.Title); n > maxTitleRunes {
		checks = append(checks, fieldErr("title", "%d characters, more than %d", n, maxTitleRunes))
	}
	if n := utf8.RuneCountInString(e.Source); n > maxSourceRunes {
		checks = append(checks, fieldErr("source", "%d characters, more than %d", n, maxSourceRunes))
	}
	if i := slices.IndexFunc(checks, func(err error) bool { return err != nil }); i >= 0 {
		var fe *FieldError
		errors.As(checks[i], &fe)
		return nil, fe.Field + ": " + fe.Reason
	}
	return &e, ""
}

// jsonReason words an encoding/json error for a Problem. want names what
// the value should be ("an object").
func jsonReason(err error, want string) string {
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.As(err, &typeErr):
		if typeErr.Field == "" {
			return fmt.Sprintf("got %s, want %s", typeErr.Value, want)
		}
		return fmt.Sprintf("%s: got %s, want %s", typeErr.Field, typeErr.Value, typeErr.Type)
	case errors.As(err, &syntaxErr):
		return fmt.Sprintf("invalid JSON at byte %d: %s", syntaxErr.Offset, strings.TrimPrefix(syntaxErr.Error(), "json: "))
	}
	if s, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		return "unknown key " + s
	}
	return "invalid JSON: " + strings.TrimPrefix(err.Error(), "json: ")
}
