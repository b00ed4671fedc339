package index

import (
	"reflect"
	"strings"
	"unicode/utf8"
	"unsafe"
)

// decodeRecordFast decodes line, one JSON object whose values are all
// strings, into rec as json.Unmarshal would, and reports whether it could.
// Anything else is left to json.Unmarshal, which also words the errors:
// other values (null, numbers, objects), keys that name a field of Record
// but not exactly as its tag does (json matches them case-insensitively),
// escaped surrogates (json turns a lone one into U+FFFD), and malformed
// JSON. Like json.Unmarshal it ignores unknown keys and lets a repeated
// key's last value win.
//
// json.Unmarshal checks a line in one pass and decodes it by reflection in
// a second: reading the JSON was 4.4% of the CPU of a build of the 108k
// Reuters articles (pprof). line must be valid UTF-8 (decodeRecord checks
// it first); rec's strings do not alias it.
func decodeRecordFast(line []byte, rec *Record) bool {
	p := jsonScanner{b: line}
	p.space()
	if !p.eat('{') {
		return false
	}
	p.space()
	if p.eat('}') {
		return p.end()
	}
	for {
		p.space()
		key, _, ok := p.strBytes()
		if !ok {
			return false
		}
		p.space()
		if !p.eat(':') {
			return false
		}
		p.space()
		val, ok := p.str()
		if !ok {
			return false
		}
		switch string(key) { // no string is made to compare
		case "id":
			rec.ID = val
		case "title":
			rec.Title = val
		case "body":
			rec.Body = val
		case "date":
			rec.Date = val
		case "source":
			rec.Source = val
		case "lang":
			rec.Lang = val
		case "url":
			rec.URL = val
		default:
			if !ignoredKey(string(key)) {
				return false
			}
		}
		p.space()
		if p.eat(',') {
			continue
		}
		if p.eat('}') {
			return p.end()
		}
		return false
	}
}

// recordKeys are Record's JSON keys, from its tags: a key decodeRecordFast
// does not know yet falls to json.Unmarshal (ignoredKey).
var recordKeys = func() (keys []string) {
	t := reflect.TypeFor[Record]()
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		keys = append(keys, name)
	}
	return keys
}()

// ignoredKey reports whether json.Unmarshal surely ignores key, which is
// none of recordKeys exactly: an ASCII key that no key of Record matches
// case-insensitively. (json folds some non-ASCII letters to ASCII ones:
// the Kelvin sign matches k.)
func ignoredKey(key string) bool {
	for i := 0; i < len(key); i++ {
		if key[i] >= utf8.RuneSelf {
			return false
		}
	}
	for _, k := range recordKeys {
		if strings.EqualFold(key, k) {
			return false
		}
	}
	return true
}

// jsonScanner reads JSON from b at i.
type jsonScanner struct {
	b []byte
	i int
}

func (p *jsonScanner) space() {
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *jsonScanner) eat(c byte) bool {
	if p.i < len(p.b) && p.b[p.i] == c {
		p.i++
		return true
	}
	return false
}

// end reports whether only white space is left.
func (p *jsonScanner) end() bool {
	p.space()
	return p.i == len(p.b)
}

// str reads a string; ok is false when there is none, or it holds an
// escaped surrogate.
func (p *jsonScanner) str() (s string, ok bool) {
	b, own, ok := p.strBytes()
	switch {
	case !ok || len(b) == 0:
		return "", ok
	case own:
		// b is this call's own and never written again.
		return unsafe.String(unsafe.SliceData(b), len(b)), true
	}
	return string(b), true
}

// strBytes reads a string as bytes: p.b's own when it has no escapes,
// else decoded into a new slice (own).
func (p *jsonScanner) strBytes() (b []byte, own, ok bool) {
	if !p.eat('"') {
		return nil, false, false
	}
	start := p.i
	for p.i < len(p.b) {
		switch c := p.b[p.i]; {
		case c == '"':
			p.i++
			return p.b[start : p.i-1], false, true
		case c == '\\':
			b, ok := p.escaped(start)
			return b, true, ok
		case c < 0x20:
			return nil, false, false // a control character must be escaped
		}
		p.i++
	}
	return nil, false, false
}

// escaped reads the rest of a string that started at start and has an
// escape at i.
func (p *jsonScanner) escaped(start int) ([]byte, bool) {
	// The string decoded is no longer than it is escaped, to its closing
	// quote; it is made in place, in one allocation.
	end := p.i
	for end < len(p.b) && p.b[end] != '"' {
		if p.b[end] == '\\' {
			end++
		}
		end++
	}
	buf := make([]byte, 0, min(end, len(p.b))-start)
	buf = append(buf, p.b[start:p.i]...)
	for p.i < len(p.b) {
		c := p.b[p.i]
		switch {
		case c == '"':
			p.i++
			return buf, true
		case c < 0x20:
			return nil, false
		case c != '\\':
			buf = append(buf, c)
			p.i++
			continue
		}
		if p.i+1 >= len(p.b) {
			return nil, false
		}
		e := p.b[p.i+1]
		p.i += 2
		switch e {
		case '"', '\\', '/':
			buf = append(buf, e)
		case 'b':
			buf = append(buf, '\b')
		case 'f':
			buf = append(buf, '\f')
		case 'n':
			buf = append(buf, '\n')
		case 'r':
			buf = append(buf, '\r')
		case 't':
			buf = append(buf, '\t')
		case 'u':
			r, ok := p.hex4()
			if !ok || r >= 0xd800 && r < 0xe000 {
				return nil, false
			}
			buf = utf8.AppendRune(buf, r)
		default:
			return nil, false
		}
	}
	return nil, false
}

// hex4 reads the four hex digits of a \u escape.
func (p *jsonScanner) hex4() (rune, bool) {
	if p.i+4 > len(p.b) {
		return 0, false
	}
	var r rune
	for _, c := range p.b[p.i : p.i+4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	p.i += 4
	return r, true
}
