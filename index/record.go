package index

import (
	"encoding/binary"
	"errors"
	"fmt"
	"time"
)

// An article's stored record: everything a hit or a read needs of it, in
// one stored field (fieldRecord), rather than one stored field per value.
// zap stores each field of a document with five varints of metadata and
// the date as its 8-byte prefix code; title, lang, source, date, URL and
// the derived-title flag took 11.4 MB of the 108k Reuters index on their
// own (a build without them stored), 4% of it.
//
// The layout is
//
//	'A' flags lang source [date] [url] title body
//
// where lang, source and url are a uvarint length and the bytes, the date
// (flag recDate) Unix seconds as a varint and nanoseconds as a uvarint,
// the title a uvarint length and the title as encodeBody stores a body,
// and the body encodeBody's bytes to the end. Title and body are coded
// with the generation's codebook. A record that does not parse is an
// error (errCorruptRecord), never a wrong article.

const tagRecord = 'A'

// Record flags.
const (
	recTitleDerived = 1 << iota
	recDate
	recURL
)

var errCorruptRecord = errors.New("corrupt stored record")

// appendStored appends a's stored record to dst, its title and body coded by enc.
// The article's ID is not in it: bleve stores it as _id.
func appendStored(dst []byte, enc bodyEncoder, a *Article) []byte {
	var flags byte
	if a.TitleDerived {
		flags |= recTitleDerived
	}
	if !a.Date.IsZero() {
		flags |= recDate
	}
	if a.URL != "" {
		flags |= recURL
	}
	dst = append(dst, tagRecord, flags)
	dst = appendLenString(dst, a.Lang)
	dst = appendLenString(dst, a.Source)
	if flags&recDate != 0 {
		dst = binary.AppendVarint(dst, a.Date.Unix())
		dst = binary.AppendUvarint(dst, uint64(a.Date.Nanosecond()))
	}
	if flags&recURL != 0 {
		dst = appendLenString(dst, a.URL)
	}
	title := enc.encodeBody(make([]byte, 0, len(a.Title)+8), a.Title)
	dst = binary.AppendUvarint(dst, uint64(len(title)))
	dst = append(dst, title...)
	return enc.encodeBody(dst, a.Body)
}

func appendLenString(dst []byte, s string) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(s)))
	return append(dst, s...)
}

// decodeStored fills in a's stored values from its stored record b; cb is the
// codebook of the generation that stored it (nil: none).
func decodeStored(cb *codebook, b []byte, a *Article) error {
	r := recordReader{b: b}
	if len(b) < 2 || b[0] != tagRecord {
		return fmt.Errorf("%w: no record tag", errCorruptRecord)
	}
	flags := b[1]
	r.i = 2
	a.Lang = r.lenString()
	a.Source = r.lenString()
	if flags&recDate != 0 {
		sec, ns := r.varint(), r.uvarint()
		if ns >= uint64(time.Second) {
			r.fail("nanoseconds")
		}
		a.Date = time.Unix(sec, int64(ns)).UTC()
	}
	if flags&recURL != 0 {
		a.URL = r.lenString()
	}
	a.TitleDerived = flags&recTitleDerived != 0
	title := r.bytes(r.uvarint())
	if r.err != nil {
		return r.err
	}
	var err error
	if a.Title, err = decodeBody(cb, title); err != nil {
		return fmt.Errorf("%w: title: %w", errCorruptRecord, err)
	}
	if a.Body, err = decodeBody(cb, b[r.i:]); err != nil {
		return fmt.Errorf("%w: body: %w", errCorruptRecord, err)
	}
	return nil
}

// recordReader reads a record's values; past its end or on a bad value
// it reads zeros and sets err.
type recordReader struct {
	b   []byte
	i   int
	err error
}

func (r *recordReader) fail(what string) {
	if r.err == nil {
		r.err = fmt.Errorf("%w: %s at byte %d", errCorruptRecord, what, r.i)
	}
	r.i = len(r.b)
}

func (r *recordReader) uvarint() uint64 {
	v, n := binary.Uvarint(r.b[r.i:])
	if n <= 0 {
		r.fail("uvarint")
		return 0
	}
	r.i += n
	return v
}

// varint reads a binary.AppendVarint value: a zigzag-coded uvarint.
func (r *recordReader) varint() int64 {
	u := r.uvarint()
	return int64(u>>1) ^ -int64(u&1)
}

func (r *recordReader) bytes(n uint64) []byte {
	if n > uint64(len(r.b)-r.i) {
		r.fail("length")
		return nil
	}
	v := r.b[r.i : r.i+int(n)]
	r.i += int(n)
	return v
}

func (r *recordReader) lenString() string { return string(r.bytes(r.uvarint())) }
