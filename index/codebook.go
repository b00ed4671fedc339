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

// The body codebook: how articles' titles and bodies are stored.
//
// zap stores each document's fields snappy-compressed on their own, which
// gains little on one article (×1.26 on Reuters bodies): snappy finds no
// repeats in a few hundred words. A generation's codebook instead numbers
// the tokens its articles repeat most, and a text is stored as the numbers
// of its tokens: a dense code (Brisaboa et al.'s (s,c)-dense code), in
// which the commonest tokens take one byte, the next 12,288 two and the
// rest three. Decoding is a table look-up and a copy per token, about a
// microsecond per article, where inflating with a preset dictionary took
// 8 µs (bench/RESULTS.md).
//
// A token (nextStoredToken) is a word with the one space after it, two
// Chinese characters (Chinese has no spaces; its vocabulary is bigrams),
// or a run of the other characters between two words (", ", ".\n"). A
// byte below cbStoppers ends a code and one from cbStoppers up continues
// it, so a code of n bytes has n-1 continuers and a stopper. Code 0 is a
// literal: a uvarint length and that many bytes of text, for the tokens
// the codebook lacks, so any text, even invalid UTF-8, is stored as it
// was. Code i names the codebook's word i-1. A stored text starts with a
// tag byte, tagRaw (the text itself follows, when a generation has no
// codebook) or tagCoded, followed by the text's length (a uvarint) and its
// codes.
//
// A build makes the codebook as it loads (codebookBuilder): the tokens of
// a sample of its articles are counted, and each megabyte of sampled text
// appends the tokens it saw most often to the codebook, the commonest
// first. Codes are only ever added, so a text coded early decodes with the
// final codebook, which the build stores in the generation (codebookKey).
// Articles written later are coded with that codebook, which no longer
// changes.

const (
	tagRaw   = 'R'
	tagCoded = 'D'

	// cbStoppers of the 256 byte values end a code; the others continue
	// it. 192 stored the Reuters, Russian and Chinese corpora smallest of
	// 128, 160, 192, 224 and 240.
	cbStoppers   = 192
	cbContinuers = 256 - cbStoppers
	// cbOneByte and cbTwoBytes are the numbers of codes of one byte and of
	// up to two bytes.
	cbOneByte  = cbStoppers
	cbTwoBytes = cbOneByte + cbStoppers*cbContinuers

	// cbLiteral is the code of a literal.
	cbLiteral = 0

	// maxCodes is the codebook's capacity: its words are codes 1 to
	// maxCodes, all of three bytes at most.
	maxCodes = 1<<17 - 1

	// maxCodedWordLen is the longest token coded, in bytes: a longer one
	// is rarely repeated, and the bound limits what a corrupt body's
	// length may claim.
	maxCodedWordLen = 64
	// maxSeparatorLen bounds a token of characters between words: a run
	// longer than it is two tokens or more.
	maxSeparatorLen = 8
)

// codebook maps tokens to codes and back. A built codebook never changes;
// codebookBuilder appends to its own under a lock.
type codebook struct {
	words []string          // word i has code i+1
	codes map[string]uint32 // word to code
}

// encodeBody appends s to dst as a stored text: coded with cb, or raw when
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
		j := nextStoredToken(s, i)
		if j-i <= maxCodedWordLen {
			if c, ok := cb.codes[s[i:j]]; ok {
				dst = appendLiteral(dst, s[lit:i])
				dst = appendCode(dst, c)
				lit = j
			}
		}
		i = j
	}
	return appendLiteral(dst, s[lit:])
}

// appendCode appends code c, which is below maxCodes+1.
func appendCode(dst []byte, c uint32) []byte {
	switch {
	case c < cbOneByte:
		return append(dst, byte(c))
	case c < cbTwoBytes:
		c -= cbOneByte
		return append(dst, byte(cbStoppers+c/cbStoppers), byte(c%cbStoppers))
	}
	c -= cbTwoBytes
	hi := c / cbStoppers
	return append(dst, byte(cbStoppers+hi/cbContinuers), byte(cbStoppers+hi%cbContinuers), byte(c%cbStoppers))
}

// appendLiteral appends s, if any, as a literal.
func appendLiteral(dst []byte, s string) []byte {
	if s == "" {
		return dst
	}
	dst = append(dst, cbLiteral)
	dst = binary.AppendUvarint(dst, uint64(len(s)))
	return append(dst, s...)
}

var errCorruptBody = errors.New("corrupt stored body")

// decodeBody returns the text of the stored text b. cb is the codebook of
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
	// A code of one byte stands for at most maxCodedWordLen bytes of text,
	// and a literal for fewer than its own: n is bounded here so that a
	// corrupt length cannot allocate much. A corrupt body that decodes
	// longer grows dst by as much at most, and fails the length check at
	// the end.
	if n > uint64(len(b))*maxCodedWordLen {
		return "", fmt.Errorf("%w: length %d for %d bytes", errCorruptBody, n, len(b))
	}
	dst := make([]byte, 0, n)
	words := cb.words
	for i := 1 + k; i < len(b); {
		code := int(b[i])
		i++
		if code >= cbStoppers {
			if i == len(b) {
				return "", fmt.Errorf("%w: code cut at %d", errCorruptBody, i)
			}
			c2 := int(b[i])
			i++
			if c2 < cbStoppers {
				code = cbOneByte + (code-cbStoppers)*cbStoppers + c2
			} else {
				if i == len(b) || b[i] >= cbStoppers {
					return "", fmt.Errorf("%w: code cut or longer than three bytes at %d", errCorruptBody, i)
				}
				code = cbTwoBytes + ((code-cbStoppers)*cbContinuers+c2-cbStoppers)*cbStoppers + int(b[i])
				i++
			}
		}
		if code == cbLiteral {
			l, k := binary.Uvarint(b[i:])
			if k <= 0 || l == 0 || l > uint64(len(b)-i-k) {
				return "", fmt.Errorf("%w: literal at %d", errCorruptBody, i)
			}
			i += k
			dst = append(dst, b[i:i+int(l)]...)
			i += int(l)
			continue
		}
		if code > len(words) {
			return "", fmt.Errorf("%w: code %d of %d", errCorruptBody, code, len(words))
		}
		dst = append(dst, words[code-1]...)
	}
	if uint64(len(dst)) != n {
		return "", fmt.Errorf("%w: %d bytes, want %d", errCorruptBody, len(dst), n)
	}
	// dst is this call's own and never written again.
	return unsafe.String(unsafe.SliceData(dst), len(dst)), nil
}

// nextStoredToken returns the end of the token of s that starts at i: a
// word with the one space after it (nextWordToken), or the characters
// from i to the next word, at most maxSeparatorLen bytes of them (more
// only to end a character).
func nextStoredToken(s string, i int) int {
	j, word := nextWordToken(s, i)
	if word {
		return j
	}
	for j < len(s) && j-i < maxSeparatorLen {
		k, word := nextWordToken(s, j)
		if word {
			break
		}
		j = k
	}
	return j
}

// nextWordToken returns the end of the token of s that starts at i, and
// whether it is a word: a run of letters and digits with the one space
// after it, or two Chinese characters. Anything else is a token of one
// character, or of one byte of invalid UTF-8.
func nextWordToken(s string, i int) (int, bool) {
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
var codebookMagic = []byte("nscbook2")

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
	// The words' bytes share one string, in code order (see endEpoch).
	text := string(r)
	cb := &codebook{words: make([]string, 0, n), codes: make(map[string]uint32, n)}
	for range n {
		l, k := binary.Uvarint(r)
		if k <= 0 || l > uint64(len(r)-k) || l == 0 || l > maxCodedWordLen {
			return bad("word length")
		}
		from := len(text) - len(r) + k
		w := text[from : from+int(l)]
		r = r[k+int(l):]
		if _, dup := cb.codes[w]; dup {
			return bad("repeated word")
		}
		cb.words = append(cb.words, w)
		cb.codes[w] = uint32(len(cb.words))
	}
	if len(r) != 0 {
		return bad("trailing bytes")
	}
	return cb, nil
}

// codebookBuilder makes a build's codebook while the loaders code bodies
// with it. Every article of the first epoch (codebookFirstEpochBytes of
// text) is counted, then one in codebookSampleEvery; each epoch's end adds
// the tokens counted at least codebookMinCount times in it, the commonest
// first, until the codebook is full. Later epochs are
// codebookEpochBytes of counted text, so a corpus whose language changes
// halfway (the news corpora are read file by file) gets codes for both.
type codebookBuilder struct {
	mu sync.RWMutex // guards cb: coding reads it, an epoch's end appends
	cb codebook

	countMu sync.Mutex
	counts  map[string]*int // by a copy of the token: see count
	counted int             // bytes counted in this epoch
	sparse  atomic.Bool     // the first epoch is over: count one in codebookSampleEvery
	full    atomic.Bool
	offered atomic.Uint64
}

const (
	// The first epoch gives out the one-byte codes and the first two-byte
	// ones: a smaller one would give them to the words of fewer articles.
	codebookFirstEpochBytes = 256 << 10
	codebookEpochBytes      = 1 << 20
	codebookSampleEvery     = 4
	codebookMinCount        = 3
	codebookCarried         = 200_000
)

func newCodebookBuilder() *codebookBuilder {
	return &codebookBuilder{cb: codebook{codes: map[string]uint32{}}, counts: map[string]*int{}}
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

// count counts the tokens of s. countMu is held.
func (b *codebookBuilder) count(s string) {
	for i := 0; i < len(s); {
		j := nextStoredToken(s, i)
		if j-i <= maxCodedWordLen {
			// A count is a pointer so that it is counted without
			// storing into the map: a store puts the token it was given
			// in as the key (Go updates string keys), and that token
			// would keep the whole article alive. A new key is a copy.
			if c := b.counts[s[i:j]]; c != nil {
				*c++
			} else {
				c = new(int)
				*c = 1
				b.counts[strings.Clone(s[i:j])] = c
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
		if _, coded := b.cb.codes[w]; !coded && *n >= codebookMinCount {
			cands = append(cands, cand{w, *n})
		}
	}
	b.mu.RUnlock()
	// The commonest tokens get the shortest codes; ties go to the token,
	// so that one sample always gives one codebook.
	slices.SortFunc(cands, func(x, y cand) int {
		if c := cmp.Compare(y.count, x.count); c != 0 {
			return c
		}
		return strings.Compare(x.word, y.word)
	})
	cands = cands[:min(len(cands), maxCodes-have)]
	// The words' bytes go into one string, in code order: coding a text
	// compares the tokens it finds with the words of the map, the common
	// ones most often, which then share a few cache lines instead of
	// lying all over the heap.
	var all strings.Builder
	for _, c := range cands {
		all.WriteString(c.word)
	}
	words := all.String()
	b.mu.Lock()
	for _, c := range cands {
		w := words[:len(c.word)]
		words = words[len(c.word):]
		b.cb.words = append(b.cb.words, w)
		b.cb.codes[w] = uint32(len(b.cb.words))
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
		if coded || *n < 2 || len(b.counts) > codebookCarried {
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
