package index

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Sign-offs: the line a source ends its articles with.
//
// Telegram channels end every post with the same line: "🔴 Подписаться на
// Москву - новостную" (Subscribe to Moscow, the news channel) closes 896
// of one channel's 1,000 posts in ru_telegram_news, "👉 Топор Live.
// Подписаться" 854 of another's; BBC News Russian's posts end "Читать нас
// без VPN можно здесь: bit.ly/bbcrussian". Indexed, they made a search for
// Москва find 938 of the first channel's posts, most of them for the sign-
// off alone, with the sign-off marked in the snippet. They are no part of
// the article, as the boilerplate a text article drops is none (see
// textseed.go), so a Reader drops them.
//
// A sign-off is learnt as a build reads: a body's last line, word for
// word, that at least minSignOffs of the same source's articles so far
// have ended with, and at least a tenth of them; once learnt, it goes
// from every source's articles, as channels repost each other's posts.
// Lines that a source repeats but rarely are content, however formulaic:
// 王毅参加会见。(Wang Yi attended the meeting) ends 132 of CCTV's 24,102
// items (0.5%), "Record April 10" 28 of Reuters' dividend notices.
// Reuters' own sign-off, "REUTER" (21% of its articles), goes. A source's
// first articles keep their sign-off until it is learnt; a body is left
// empty only under a title of the article's own (many posts are a title
// line above the sign-off). A build keeps what it learnt in its
// generation, and articles written to it later over the API lose those
// sign-offs too; a write learns none of its own.

const (
	// minSignOffs is how many of a source's articles must end with a line
	// before it is taken for a sign-off.
	minSignOffs = 20
	// maxSignOffLen bounds a sign-off, in bytes: a longer line is text.
	maxSignOffLen = 200
	// maxSignOffLines bounds the last lines counted per source; a full
	// count forgets the lines seen once.
	maxSignOffLines = 1024
	// maxSignOffsPerArticle is how many last lines one article may lose:
	// a sign-off of two lines ("Подписаться" below a channel's name).
	maxSignOffsPerArticle = 2
)

// signOffs learns the sign-offs of a build's sources. It is not safe for
// concurrent use.
type signOffs struct {
	sources map[string]*sourceEnds
	learnt  map[string]bool // every source's sign-offs so far
}

// sourceEnds counts how one source's articles end.
type sourceEnds struct {
	articles int
	lines    map[string]int // last lines, and how many articles ended with each
}

// strip returns body without the sign-offs source has ended its articles
// with so far, counting body's own last lines in. It reports how many
// lines it dropped. A body may lose its only line when titled is set:
// a post whose text is its title and whose body is the sign-off.
func (s *signOffs) strip(source, body string, titled bool) (string, int) {
	if s.sources == nil {
		s.sources = make(map[string]*sourceEnds)
	}
	src := s.sources[source]
	if src == nil {
		src = &sourceEnds{lines: make(map[string]int)}
		s.sources[source] = src
	}
	src.articles++
	// Count the last lines first, so that the lines of a sign-off of two
	// are learnt together: only lines below some text, as a one-line body
	// repeated is a repeated article (a short item filed twice), not a
	// sign-off.
	rest := body
	for range maxSignOffsPerArticle {
		cut, last := lastLine(rest, false)
		if cut < 0 {
			break
		}
		src.count(last)
		rest = rest[:cut]
	}
	return cutSignOffs(body, titled, func(line string) bool { return s.signOff(src, line) })
}

// cutSignOffs drops the last lines of body that isSignOff takes for
// sign-offs, at most maxSignOffsPerArticle, and reports how many; the
// only line too when titled is set.
func cutSignOffs(body string, titled bool, isSignOff func(line string) bool) (string, int) {
	dropped := 0
	for dropped < maxSignOffsPerArticle {
		cut, last := lastLine(body, titled)
		if cut < 0 || !isSignOff(last) {
			break
		}
		body = strings.TrimRight(body[:cut], " \t\n")
		dropped++
	}
	return body, dropped
}

// signOffsKey holds, in a generation's internal storage, the sign-offs
// its build learnt, one per line: articles written to it later lose them
// too (stripWritten).
var signOffsKey = []byte("newsearch.signoffs")

// encode returns the sign-offs learnt so far, sorted, one per line.
func (s *signOffs) encode() []byte {
	lines := slices.Sorted(maps.Keys(s.learnt))
	return []byte(strings.Join(lines, "\n"))
}

// readSignOffs reads the sign-offs a generation's build learnt (none for
// an index only written to, or built before they were kept).
func readSignOffs(bi interface{ GetInternal([]byte) ([]byte, error) }) (map[string]bool, error) {
	b, err := bi.GetInternal(signOffsKey)
	if err != nil {
		return nil, fmt.Errorf("read sign-offs: %w", err)
	}
	if len(b) == 0 {
		return nil, nil
	}
	known := make(map[string]bool)
	for line := range strings.SplitSeq(string(b), "\n") {
		known[line] = true
	}
	return known, nil
}

// stripWritten drops from a's body the sign-offs known, as the build's
// Reader dropped them from the articles it read.
func stripWritten(a *Article, known map[string]bool) {
	if len(known) == 0 {
		return
	}
	a.Body, _ = cutSignOffs(a.Body, a.Title != "" && !a.TitleDerived, func(line string) bool { return known[line] })
}

// lastLine returns where the last line of body starts (its newline, or 0
// for the only line when whole is set), and the line, trimmed; -1 when
// there is none, when it is body's only line and whole is not set (the
// article itself), or when the line could be no sign-off.
func lastLine(body string, whole bool) (int, string) {
	cut := strings.LastIndexByte(body, '\n')
	if cut < 0 {
		if !whole {
			return -1, ""
		}
		cut = 0
	}
	last := strings.TrimSpace(body[cut:])
	if last == "" || len(last) > maxSignOffLen {
		return -1, ""
	}
	return cut, last
}

// count counts one article's line.
func (src *sourceEnds) count(line string) {
	n, ok := src.lines[line]
	if !ok && len(src.lines) >= maxSignOffLines {
		maps.DeleteFunc(src.lines, func(_ string, n int) bool { return n < 2 })
	}
	if ok || len(src.lines) < maxSignOffLines {
		if !ok {
			line = strings.Clone(line) // not the article's whole body
		}
		src.lines[line] = n + 1
	}
}

// signOff reports whether line is src's sign-off, or another source's:
// channels repost each other's posts, sign-off and all (Топор+ carries
// "👉 Топор Live. Подписаться" under 71 of its 1,000 posts, the sign-off
// of 854 of Топор Live's). A sign-off is remembered for every source
// once one source's articles have taught it.
func (s *signOffs) signOff(src *sourceEnds, line string) bool {
	if src.signOff(line) {
		if !s.learnt[line] && len(s.learnt) < maxSignOffLines {
			if s.learnt == nil {
				s.learnt = make(map[string]bool)
			}
			s.learnt[strings.Clone(line)] = true
		}
		return true
	}
	return s.learnt[line]
}

// signOff reports whether the source's articles end with line often
// enough for it to be a sign-off.
func (src *sourceEnds) signOff(line string) bool {
	n := src.lines[line]
	return n >= minSignOffs && n*10 >= src.articles
}
