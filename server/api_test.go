package server

import (
	"bytes"
	"encoding/json"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"newsearch/index"
)

// TestSearchResponse_appendJSON: the hand-written encoder writes exactly
// what encoding/json (without HTML escaping) writes, for responses with
// every kind of string and number the API can carry.
func TestSearchResponse_appendJSON(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(7, 8))
	pieces := []string{"", "plain", `"quoted"`, `back\slash`, "tab\tnew\nline\r", "\b\f\x00\x01\x1f\x7f",
		"<mark>Путин</mark> & 普京", "\u2028\u2029", "bad \xff\xfe utf-8", "emoji 😀", "é" + string([]byte{0xe2, 0x80})}
	str := func() string {
		var b strings.Builder
		for range rng.IntN(4) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		return b.String()
	}
	zones := []*time.Location{time.UTC, time.FixedZone("MSK", 3*3600), time.FixedZone("PST", -8*3600)}
	floats := []float64{0, 1, -1, 0.1, 1e-7, 1.5e-6, 123456.789, 1e20, 1e21, 3.4028234663852886e38, 16.407822112115404, math.SmallestNonzeroFloat64}
	for n := range 300 {
		res := index.Results{Total: rng.Uint64N(1e6), Took: time.Duration(rng.Int64N(1e9))}
		if rng.IntN(2) == 0 {
			all := rng.Uint64N(res.Total + 1)
			res.TotalAll = &all
		}
		switch rng.IntN(3) {
		case 0:
			res.Ignored = []string{str(), str()}
		case 1:
			res.Ignored = []string{} // omitted, as encoding/json omits it
		}
		for range rng.IntN(4) {
			h := index.Hit{ID: str(), Title: str(), TitleDerived: rng.IntN(2) == 0, Source: str(), Lang: str(), URL: str(),
				Score: floats[rng.IntN(len(floats))] * float64(1-2*rng.IntN(2))}
			if rng.IntN(2) == 0 {
				h.Date = time.Date(1987, 3, 1+rng.IntN(28), rng.IntN(24), 0, 0, 0, zones[rng.IntN(len(zones))])
			}
			if rng.IntN(4) > 0 {
				h.Highlights = map[string][]string{"title": {str()}}
				if rng.IntN(2) == 0 {
					h.Highlights["body"] = []string{str(), str()}
				} else if rng.IntN(2) == 0 {
					h.Highlights["body"] = nil
				}
				h.Matches = map[string][]index.Span{"title": {{Start: 1, End: 5, Start16: 1, End16: 3}}, "body": nil}
			}
			switch rng.IntN(3) {
			case 0:
				h.Missing = []string{str()}
			case 1:
				h.Missing = []string{} // omitted, as encoding/json omits it
			}
			res.Hits = append(res.Hits, h)
		}
		for range rng.IntN(3) {
			f := index.Facet{Name: str()}
			for range rng.IntN(3) {
				f.Buckets = append(f.Buckets, index.Bucket{Value: str(), Count: rng.IntN(1000)})
			}
			res.Facets = append(res.Facets, f)
		}
		q := str()
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(newSearchResponse(q, res)); err != nil {
			t.Fatal(err)
		}
		got := append(appendSearchJSON(nil, q, &res), '\n')
		if !bytes.Equal(got, want.Bytes()) {
			t.Fatalf("case %d:\nhand-written %s\nencoding/json %s", n, got, want.Bytes())
		}
	}
}

// BenchmarkSearchResponse encodes a page of ten hits as the API does.
func BenchmarkSearchResponse(b *testing.B) {
	res := index.Results{Total: 21780, Took: 1500 * time.Microsecond}
	body := strings.Repeat("Energy futures now set the price of crude oil, traders said. ", 3)
	span := func(start, end int) index.Span { return index.Span{Start: start, End: end, Start16: start, End16: end} }
	for i := range 10 {
		res.Hits = append(res.Hits, index.Hit{ID: "reuters-" + string(rune('a'+i)), Title: "OIL PRICES SAID NOW BASED ON FUTURES PRICE",
			Date: time.Date(1987, 3, 31, 0, 0, 0, 0, time.UTC), Source: "Reuters newswire (Reuters-21578)", Lang: "en", Score: 16.407822112115404,
			Highlights: map[string][]string{"title": {"<mark>OIL</mark> <mark>PRICES</mark> SAID NOW BASED ON FUTURES PRICE"}, "body": {body, body, body}},
			Matches:    map[string][]index.Span{"title": {span(0, 3), span(4, 10)}, "body": {span(30, 35), span(60, 66), span(90, 95)}}})
	}
	res.Facets = []index.Facet{{Name: "source", Buckets: []index.Bucket{{Value: "Reuters newswire (Reuters-21578)", Count: 21780}}},
		{Name: "lang", Buckets: []index.Bucket{{Value: "en", Count: 21780}}},
		{Name: "date", Buckets: []index.Bucket{{Value: "1987-02", Count: 100}, {Value: "1987-03", Count: 8000}, {Value: "1987-04", Count: 9000}}}}
	resp := newSearchResponse("oil prices", res)
	b.Run("encoding_json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(false)
			enc.Encode(resp)
		}
	})
	b.Run("append", func(b *testing.B) {
		b.ReportAllocs()
		var buf []byte // reused, as encodeSearch's pool does
		for b.Loop() {
			buf = appendSearchJSON(buf[:0], "oil prices", &res)
		}
	})
}
