package index

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"
	"unsafe"
)

// The body codebook: how articles' bodies are stored.
//
// zap stores each document's fields snappy-compressed on their own, which
// gains little on one article (×1.26 on Reuters bodies): snappy finds no
// repeats in a few hundred words. A generation's codebook gives the words
// its articles repeat most a code of two or three bytes, and a body is
// stored as its text with those words (and one space after each) replaced
// by their codes. Decoding is a copy per word, about a microsecond per
// article, where inflating with a preset dictionary took 8 µs (README,
// "Speed").
//
// The codes are bytes that valid UTF-8 never has: 0xF5–0xFD start a
// two-byte code, 0xFE and 0xFF a three-byte one. 0xC0 escapes the next
// byte, so any text, even invalid UTF-8, is stored as it was. A stored body
// starts with a tag byte, tagRaw (the text itself follows, when a
// generation has no codebook) or tagCoded, followed by the text's length
// (a uvarint) and the coded text.
//
// A build makes the codebook as it loads (codebookBuilder): the words of a
// sample of its articles are counted, and each megabyte of sampled text
// appends the words it saw most often to the codebook. Codes are only ever
// added, so a body coded early decodes with the final codebook, which the
// build stores in the generation (codebookKey). Articles written later are
// coded with that codebook, which no longer changes.

const (
	tagRaw   = 'R'
	tagCoded = 'C'

	cbEscape     = 0xC0
	cbTwoFirst   = 0xF5
	cbTwoLast    = 0xFD
	cbThreeFirst = 0xFE

	cbTwoCodes = (cbTwoLast - cbTwoFirst + 1) << 8
	// maxCodes is the codebook's capacity: the two-byte codes and two
	// prefixes of three-byte ones.
	maxCodes = cbTwoCodes + 2<<16

	// minCodedLen is the shortest word coded: a code is two bytes.
	minCodedLen = 3
	// maxCodedWordLen is the longest word coded, in bytes: a longer one is
	// rarely repeated, and the bound limits what a corrupt body's length
	// may claim.
	maxCodedWordLen = 64
)

// cbReserved marks the bytes that start a code or an escape in a coded
// body. Valid UTF-8 has none of them.
var cbReserved = func() (t [256]bool) {
	t[cbEscape], t[cbEscape+1] = true, true
	for b := cbTwoFirst; b <= 0xFF; b++ {
		t[b] = true
	}
	return t
}()

// codebook maps words to codes and back. A built codebook never changes;
// codebookBuilder appends to its own under a lock.
type codebook struct {
	words []string
	codes map[string]uint32
}

// encodeBody appends s to dst as a stored body: coded with cb, or raw when
// cb is nil.
func (cb *codebook) encodeBody(dst []byte, s string) []byte {
	if cb == nil {
		dst = append(dst, tagRaw)
		return append(dst, s...)
	}
	dst = append(dst, tagCoded)
	dst = binary.AppendUvarint(dst, uint64(len(s)))
	lit := 0 // start of the text not yet appended
	for i := 0; i < len(s); {
		j, word := nextCodebookToken(s, i)
		if word && j-i >= minCodedLen && j-i <= maxCodedWordLen {
			if c, ok := cb.codes[s[i:j]]; ok {
				dst = appendEscaped(dst, s[lit:i])
				dst = appendCode(dst, c)
				lit = j
			}
		}
		i = j
	}
	return appendEscaped(dst, s[lit:])
}

func appendCode(dst []byte, c uint32) []byte {
	if c < cbTwoCodes {
		return append(dst, byte(cbTwoFirst+c>>8), byte(c))
	}
	c -= cbTwoCodes
	return append(dst, byte(cbThreeFirst+c>>16), byte(c>>8), byte(c))
}

// appendEscaped appends s, escaping the bytes that would read as codes.
func appendEscaped(dst []byte, s string) []byte {
	for {
		i := 0
		for i < len(s) && !cbReserved[s[i]] {
			i++
		}
		dst = append(dst, s[:i]...)
		if i == len(s) {
			return dst
		}
		dst = append(dst, cbEscape, s[i])
		s = s[i+1:]
	}
}

var errCorruptBody = errors.New("corrupt stored body")

// decodeBody returns the text of the stored body b. cb is the codebook of
// the generation that stored it (nil: none).
func decodeBody(cb *codebook, b []byte) (string, error) {
	if len(b) == 0 {
		return "", fmt.Errorf("%w: empty", errCorruptBody)
	}
	switch b[0] {
	case tagRaw:
		return string(b[1:]), nil
	case tagCoded:
		if cb == nil {
			return "", fmt.Errorf("%w: coded, and the index has no codebook", errCorruptBody)
		}
	default:
		return "", fmt.Errorf("%w: tag %#x", errCorruptBody, b[0])
	}
	n, k := binary.Uvarint(b[1:])
	if k <= 0 {
		return "", fmt.Errorf("%w: length", errCorruptBody)
	}
	// Decoding never shrinks the text: n is at most the coded bytes times
	// the longest word, bounded here so that a corrupt length cannot
	// allocate much. A corrupt body that decodes longer grows dst by as
	// much at most, and fails the length check at the end.
	if n > uint64(len(b))*maxCodedWordLen {
		return "", fmt.Errorf("%w: length %d for %d bytes", errCorruptBody, n, len(b))
	}
	dst := make([]byte, 0, n)
	for i := 1 + k; i < len(b); {
		c := b[i]
		if !cbReserved[c] {
			j := i + 1
			for j < len(b) && !cbReserved[b[j]] {
				j++
			}
			dst = append(dst, b[i:j]...)
			i = j
			continue
		}
		var code int
		switch {
		case c == cbEscape && i+1 < len(b):
			dst = append(dst, b[i+1])
			i += 2
			continue
		case c >= cbTwoFirst && c <= cbTwoLast && i+1 < len(b):
			code = int(c-cbTwoFirst)<<8 | int(b[i+1])
			i += 2
		case c >= cbThreeFirst && i+2 < len(b):
			code = cbTwoCodes + (int(c-cbThreeFirst)<<16 | int(b[i+1])<<8 | int(b[i+2]))
			i += 3
		default:
			return "", fmt.Errorf("%w: byte %#x at %d", errCorruptBody, c, i)
		}
		if code >= len(cb.words) {
			return "", fmt.Errorf("%w: code %d of %d", errCorruptBody, code, len(cb.words))
		}
		dst = append(dst, cb.words[code]...)
	}
	if uint64(len(dst)) != n {
		return "", fmt.Errorf("%w: %d bytes, want %d", errCorruptBody, len(dst), n)
	}
	// dst is this call's own and never written again.
	return unsafe.String(unsafe.SliceData(dst), len(dst)), nil
}

// nextCodebookToken returns the end of the token of s that starts at i,
// and whether it is a word, which may have a code: a run of letters and
// digits with the one space after it, or two Chinese characters (Chinese
// has no spaces; its vocabulary is bigrams). Anything else is a token of
// one character, or of one byte of invalid UTF-8.
func nextCodebookToken(s string, i int) (int, bool) {
	c := s[i]
	j := i + 1
	if c < utf8.RuneSelf {
		if !isASCIIWordByte(c) {
			return j, false
		}
	} else {
		r, n := utf8.DecodeRuneInString(s[i:])
		j = i + n
		if isHan(r) {
			if r2, n2 := utf8.DecodeRuneInString(s[j:]); n2 > 0 && isHan(r2) {
				j += n2
			}
			return j, true
		}
		if !isWordRune(r) {
			return j, false
		}
	}
	for j < len(s) {
		if c := s[j]; c < utf8.RuneSelf {
			if !isASCIIWordByte(c) {
				break
			}
			j++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[j:])
		if !isWordRune(r) {
			break
		}
		j += n
	}
	if j < len(s) && s[j] == ' ' {
		j++
	}
	return j, true
}

func isASCIIWordByte(c byte) bool { return asciiWord[c] }

var asciiWord = func() (t [256]bool) {
	for c := range t {
		t[c] = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
	}
	return t
}()

// codebookKey holds a generation's codebook in bleve's internal storage.
var codebookKey = []byte("newsearch.codebook")

// readCodebook reads the codebook of the generation bi, which a build
// stored (nil: none, as in an index that was only written to).
func readCodebook(bi interface{ GetInternal([]byte) ([]byte, error) }) (*codebook, error) {
	b, err := bi.GetInternal(codebookKey)
	if err != nil {
		return nil, fmt.Errorf("read body codebook: %w", err)
	}
	if b == nil {
		return nil, nil
	}
	return unmarshalCodebook(b)
}

// codebookMagic starts a stored codebook; a format change gets a new one.
var codebookMagic = []byte("nscbook1")

// marshal returns the codebook as the build stores it: the magic, the
// number of words, each word with its length, and a CRC-32 of all that.
func (cb *codebook) marshal() []byte {
	b := append([]byte(nil), codebookMagic...)
	b = binary.AppendUvarint(b, uint64(len(cb.words)))
	for _, w := range cb.words {
		b = binary.AppendUvarint(b, uint64(len(w)))
		b = append(b, w...)
	}
	return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(b))
}

// unmarshalCodebook reads a codebook that marshal wrote.
func unmarshalCodebook(b []byte) (*codebook, error) {
	bad := func(why string) (*codebook, error) {
		return nil, fmt.Errorf("corrupt body codebook: %s", why)
	}
	if len(b) < len(codebookMagic)+4 || !bytes.Equal(b[:len(codebookMagic)], codebookMagic) {
		return bad("no magic")
	}
	body, sum := b[:len(b)-4], binary.BigEndian.Uint32(b[len(b)-4:])
	if crc32.ChecksumIEEE(body) != sum {
		return bad("checksum mismatch")
	}
	r := body[len(codebookMagic):]
	n, k := binary.Uvarint(r)
	if k <= 0 || n > maxCodes {
		return bad("word count")
	}
	r = r[k:]
	cb := &codebook{words: make([]string, 0, n), codes: make(map[string]uint32, n)}
	for range n {
		l, k := binary.Uvarint(r)
		if k <= 0 || l > uint64(len(r)-k) {
			return bad("word length")
		}
		w := string(r[k : k+int(l)])
		r = r[k+int(l):]
		if _, dup := cb.codes[w]; dup {
			return bad("repeated word")
		}
		cb.codes[w] = uint32(len(cb.words))
		cb.words = append(cb.words, w)
	}
	if len(r) != 0 {
		return bad("trailing bytes")
	}
	return cb, nil
}

// codebookBuilder makes a build's codebook while the loaders code bodies
// with it. Every article of the first epoch (codebookFirstEpochBytes of
// text) is counted, then one in codebookSampleEvery; each epoch's end adds
// the words counted at least codebookMinCount times in it, those that save
// the most first, until the codebook is full. Later epochs are
// codebookEpochBytes of counted text, so a corpus whose language changes
// halfway (the news corpora are read file by file) gets codes for both.
type codebookBuilder struct {
	mu sync.RWMutex // guards cb: coding reads it, an epoch's end appends
	cb codebook

	countMu sync.Mutex
	counts  map[string]int
	counted int         // bytes counted in this epoch
	sparse  atomic.Bool // the first epoch is over: count one in codebookSampleEvery
	full    atomic.Bool
	offered atomic.Uint64
}

const (
	// The first epoch gives out the two-byte codes: a smaller one would
	// give them to the words of fewer articles.
	codebookFirstEpochBytes = 256 << 10
	codebookEpochBytes      = 1 << 20
	codebookSampleEvery     = 4
	codebookMinCount        = 3
	codebookCarried         = 200_000
)

func newCodebookBuilder() *codebookBuilder {
	return &codebookBuilder{cb: codebook{codes: map[string]uint32{}}, counts: map[string]int{}}
}

// encodeBody appends s to dst, coded with the codebook as it is now.
func (b *codebookBuilder) encodeBody(dst []byte, s string) []byte {
	b.mu.RLock()
	defer b.mu.RUnlock()
	return b.cb.encodeBody(dst, s)
}

// observe counts the words of texts, one article's title and body, when
// the article is in the sample.
func (b *codebookBuilder) observe(texts ...string) {
	if b.full.Load() {
		return
	}
	if n := b.offered.Add(1); b.sparse.Load() && n%codebookSampleEvery != 0 {
		return
	}
	b.countMu.Lock()
	defer b.countMu.Unlock()
	for _, s := range texts {
		b.count(s)
	}
	epoch := codebookEpochBytes
	if !b.sparse.Load() {
		epoch = codebookFirstEpochBytes
	}
	if b.counted >= epoch {
		b.endEpoch()
	}
}

// count counts the words of s. countMu is held.
func (b *codebookBuilder) count(s string) {
	for i := 0; i < len(s); {
		j, word := nextCodebookToken(s, i)
		if word && j-i >= minCodedLen && j-i <= maxCodedWordLen {
			if c, ok := b.counts[s[i:j]]; ok {
				b.counts[s[i:j]] = c + 1
			} else {
				// A copy: the key would keep the whole article alive.
				b.counts[strings.Clone(s[i:j])] = 1
			}
		}
		i = j
	}
	b.counted += len(s)
}

// endEpoch adds the epoch's commonest words to the codebook. countMu is
// held.
func (b *codebookBuilder) endEpoch() {
	type cand struct {
		word  string
		count int
	}
	b.mu.RLock()
	have := len(b.cb.words)
	var cands []cand
	for w, n := range b.counts {
		if _, coded := b.cb.codes[w]; !coded && n >= codebookMinCount {
			cands = append(cands, cand{w, n})
		}
	}
	b.mu.RUnlock()
	// Longer words save more per use; ties go to the word, so that one
	// sample always gives one codebook.
	slices.SortFunc(cands, func(x, y cand) int {
		if c := cmp.Compare(y.count*(len(y.word)-2), x.count*(len(x.word)-2)); c != 0 {
			return c
		}
		return strings.Compare(x.word, y.word)
	})
	cands = cands[:min(len(cands), maxCodes-have)]
	b.mu.Lock()
	for _, c := range cands {
		b.cb.codes[c.word] = uint32(len(b.cb.words))
		b.cb.words = append(b.cb.words, c.word)
	}
	full := len(b.cb.words) >= maxCodes
	b.mu.Unlock()
	b.full.Store(full)
	b.sparse.Store(true)
	b.counted = 0
	// Words seen twice in the epoch may be common yet: they keep their
	// counts into the next epoch, up to codebookCarried words (about 10
	// MB), which their next sighting codes. The news corpora then got
	// 65k codes instead of 48k: ×1.68 instead of ×1.63.
	for w, n := range b.counts {
		_, coded := b.cb.codes[w]
		if coded || n < 2 || len(b.counts) > codebookCarried {
			delete(b.counts, w)
		}
	}
}

// finish ends the last epoch and returns the codebook, which no longer
// changes. The builder must not be used after.
func (b *codebookBuilder) finish() *codebook {
	b.countMu.Lock()
	if b.counted > 0 && !b.full.Load() {
		b.endEpoch()
	}
	b.countMu.Unlock()
	b.mu.Lock()
	defer b.mu.Unlock()
	return &codebook{words: b.cb.words, codes: b.cb.codes}
}
