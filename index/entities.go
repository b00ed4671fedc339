package index

import (
	"bufio"
	"bytes"
	_ "embed"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"
)

// Entity facets: the people, places and organisations an article mentions,
// found at index time (toDoc) and stored as keyword fields. doc.go states
// the rules; data/entities.txt is the gazetteer.

//go:embed data/entities.txt
var entitiesFile string

// Entity kinds, in facet order.
const (
	entityPerson = iota
	entityPlace
	entityOrg
	numEntityKinds
)

// entityKindNames are the kinds as the gazetteer and the facets name them.
var entityKindNames = [numEntityKinds]string{"person", "place", "org"}

// MaxEntityBytes is the longest entity name stored, in bytes; longer
// names are left out, and a filter value longer than this cannot match.
const MaxEntityBytes = 100

// Limits on what one article contributes to an entity facet.
const (
	maxEntitiesPerKind = 20
	maxEntityBytes     = MaxEntityBytes
	maxNameWords       = 4 // words of a name found by the capitalisation rules
	maxOrgWords        = 6
)

// Entities are the canonical names an article mentions, per kind.
type entities [numEntityKinds][]string

// add records name under kind unless it is already there or the kind is
// full.
func (e *entities) add(kind int, name string) {
	if len(name) > maxEntityBytes || len(e[kind]) >= maxEntitiesPerKind || slices.Contains(e[kind], name) {
		return
	}
	e[kind] = append(e[kind], name)
}

// Capitalisation a gazetteer word demands of the text.
const (
	capAny     = iota // written lower-case in the gazetteer (of, da, партия)
	capInitial        // Putin: capitalised
	capAll            // NATO, ООН: all capitals
)

// gazWord is one word of a spelling, folded (lower case, ё→е, diacritics
// and possessives removed).
type gazWord struct {
	key string
	cap uint8
	// For Cyrillic: the word matches key followed by one of the case
	// endings (nounEndings, or adjEndings when adj), unless exact.
	cyr, adj, exact bool
}

type gazSpelling struct {
	words  []gazWord
	entity int32
}

type gazEntity struct {
	kind      int
	canonical string
	// spellings are the entity's spellings as written (the canonical
	// name first): a query that names the entity in one also searches the
	// others (expander.gazetteerNames).
	spellings []string
	// exact are its spellings whose last word counts only as written, a
	// final "=" dropped (Газа=, whose stem is газ, gas). A search matches
	// stems, so it cannot look for them: they are not among spellings,
	// and transliterations that stem as they do are dropped
	// (expander.translits).
	exact []string
}

type hanSpelling struct {
	text   string
	entity int32
}

// gazetteer is the parsed data/entities.txt. It is built once and never
// modified, so every goroutine can share it.
type gazetteer struct {
	entities []gazEntity
	// first maps the key of a spelling's first word to the spellings,
	// most words first, so the longest match wins.
	first map[string][]gazSpelling
	// han maps the first character of a Han spelling to the spellings,
	// longest first.
	han   map[rune][]hanSpelling
	given map[string]string // folded given name → canonical spelling
	// givenWord maps a folded given name to its canonical spelling's
	// folded word (dmitri, dmitriy → dmitry), when they differ.
	givenWord map[string]string
	zhSurname map[string]bool // folded pinyin surnames
	pinyin    map[string]bool // pinyin syllables
	// spelt are the Latin and Cyrillic spellings that are not acronyms,
	// by entity: the names a search box completes (completeNames) and a
	// query's words may spell (expander.nameRuns, begunNames).
	spelt nameSpellings
	// firsts holds the first folded word of every spelt of several words.
	firsts map[string]bool
}

// defaultGazetteer parses the embedded gazetteer on first use. The file is
// part of the binary and TestGazetteer parses it, so an error is a
// programming error.
var defaultGazetteer = sync.OnceValue(func() *gazetteer {
	g, err := parseGazetteer(entitiesFile)
	if err != nil {
		panic(err)
	}
	return g
})

// parseGazetteer reads the gazetteer format (see data/entities.txt).
func parseGazetteer(text string) (*gazetteer, error) {
	g := &gazetteer{
		first:     map[string][]gazSpelling{},
		han:       map[rune][]hanSpelling{},
		given:     map[string]string{},
		givenWord: map[string]string{},
		zhSurname: map[string]bool{},
		pinyin:    pinyinSyllables(),
		firsts:    map[string]bool{},
	}
	var st stream
	sc := bufio.NewScanner(strings.NewReader(text))
	for line := 1; sc.Scan(); line++ {
		body, _, _ := strings.Cut(sc.Text(), "#")
		if strings.TrimSpace(body) == "" {
			continue
		}
		fields := strings.Split(body, "|")
		for i := range fields {
			fields[i] = strings.Join(strings.Fields(fields[i]), " ")
			if fields[i] == "" {
				return nil, fmt.Errorf("entities.txt:%d: empty field", line)
			}
		}
		if len(fields) < 2 {
			return nil, fmt.Errorf("entities.txt:%d: want kind | name | spellings…", line)
		}
		kind, members := fields[0], fields[1:]
		switch kind {
		case "given":
			canon := string(st.foldWord([]byte(members[0])))
			for _, m := range members {
				w := string(st.foldWord([]byte(m)))
				g.given[w] = members[0]
				if w != canon {
					g.givenWord[w] = canon
				}
			}
			continue
		case "zh-surname":
			for _, m := range members {
				g.zhSurname[string(st.foldWord([]byte(m)))] = true
			}
			continue
		}
		k := slices.Index(entityKindNames[:], kind)
		if k < 0 {
			return nil, fmt.Errorf("entities.txt:%d: unknown kind %q", line, kind)
		}
		id := int32(len(g.entities))
		g.entities = append(g.entities, gazEntity{kind: k, canonical: members[0]})
		for _, m := range members {
			if err := g.addSpelling(&st, m, id); err != nil {
				return nil, fmt.Errorf("entities.txt:%d: %q: %v", line, m, err)
			}
			text, exact := strings.CutSuffix(m, "=")
			if exact {
				g.entities[id].exact = append(g.entities[id].exact, text)
			} else {
				g.entities[id].spellings = append(g.entities[id].spellings, text)
			}
			if r, _ := utf8.DecodeRuneInString(text); !unicode.Is(unicode.Han, r) && !isAcronym(strings.ReplaceAll(text, " ", "")) {
				words := analyzeRawTerms(text)
				g.spelt = append(g.spelt, nameSpelling{text: text, words: words, id: int(id)})
				if len(words) > 1 {
					g.firsts[words[0]] = true
				}
			}
		}
	}
	for k, ss := range g.first {
		// Most words first; among equals, exact words first (Бразилиа=,
		// the city, before Бразилия, the country, whose stem it shares).
		slices.SortStableFunc(ss, func(a, b gazSpelling) int {
			if len(a.words) != len(b.words) {
				return len(b.words) - len(a.words)
			}
			return exactWords(b) - exactWords(a)
		})
		g.first[k] = ss
	}
	for r, ss := range g.han {
		slices.SortStableFunc(ss, func(a, b hanSpelling) int { return len(b.text) - len(a.text) })
		g.han[r] = ss
	}
	return g, sc.Err()
}

func exactWords(s gazSpelling) int {
	n := 0
	for _, w := range s.words {
		if w.exact {
			n++
		}
	}
	return n
}

func (g *gazetteer) addSpelling(st *stream, m string, id int32) error {
	if r, _ := utf8.DecodeRuneInString(m); unicode.Is(unicode.Han, r) {
		if utf8.RuneCountInString(m) < 2 {
			return fmt.Errorf("a Han spelling needs two characters or more")
		}
		for _, c := range m {
			if !unicode.Is(unicode.Han, c) {
				return fmt.Errorf("a Han spelling must be Han only")
			}
		}
		for _, s := range g.han[r] {
			if s.text == m && s.entity != id {
				return fmt.Errorf("spelling of two entities")
			}
		}
		g.han[r] = append(g.han[r], hanSpelling{text: m, entity: id})
		return nil
	}
	var sp gazSpelling
	sp.entity = id
	// A final "=" asks for the last word as written, without case
	// endings (Газа=: not Газ, gas).
	m, exactLast := strings.CutSuffix(m, "=")
	words := textWords(m, nil)
	if len(words) == 0 {
		return fmt.Errorf("no word")
	}
	for i, w := range words {
		if w.brk && i > 0 {
			return fmt.Errorf("punctuation between words")
		}
		raw := m[w.start:w.end]
		exact := exactLast && i == len(words)-1
		gw := gazWord{key: string(wordKey(st, raw)), exact: exact}
		switch {
		case w.allCaps:
			gw.cap = capAll
		case w.cap:
			gw.cap = capInitial
		}
		if i == 0 && gw.cap == capAny {
			return fmt.Errorf("the first word must be capitalised")
		}
		if w.script == scriptCyrillic && gw.cap != capAll && !exact {
			gw.cyr = true
			gw.key, gw.adj, gw.exact = cyrillicStem(gw.key)
		}
		sp.words = append(sp.words, gw)
	}
	k := sp.words[0].key
	for _, s := range g.first[k] {
		if slices.Equal(s.words, sp.words) && s.entity != id {
			return fmt.Errorf("spelling of two entities")
		}
	}
	g.first[k] = append(g.first[k], sp)
	return nil
}

// Russian case endings. A Cyrillic gazetteer word is stored as a stem
// (cyrillicStem) and matches the stem followed by one of these.
var (
	nounEndings = wordSet(strings.Fields(`_ а я у ю е и ы ь й о ом ем ём ой ей ою ею ам ям ах ях ами ями
		ов ев ым им ию ии ией ья ью ьи ье ьем ьей ьям ьях`))
	adjEndings = wordSet(strings.Fields(`ий ый ой ая яя ое ее ые ие ого его ому ему ым им ом ем ую юю ей
		ых их ыми ими`))
)

// maxEndingRunes is the longest ending in nounEndings and adjEndings.
const maxEndingRunes = 3

// cyrillicStem turns a folded nominative Cyrillic word into the stem its
// case forms share: an adjectival ending goes (Зеленский → зеленск, with
// adjective endings), then a final а, я, ь or й (Москва → москв, Россия →
// росси, Казань → казан, Китай → кита); a consonant stays (Путин, Лавров).
// Words ending in another vowel are usually indeclinable loans (Шойгу,
// Токио, Сочи, Лукашенко) and match exactly, and so does a word whose stem
// would be shorter than three letters.
func cyrillicStem(w string) (stem string, adj, exact bool) {
	rs := []rune(w)
	n := len(rs)
	if n >= 5 {
		switch string(rs[n-2:]) {
		case "ий", "ый", "ая", "яя", "ое", "ее", "ые", "ие":
			return string(rs[:n-2]), true, false
		}
	}
	switch last := rs[n-1]; {
	case strings.ContainsRune("аяьй", last):
		if n-1 < 3 {
			return w, false, true
		}
		return string(rs[:n-1]), false, false
	case strings.ContainsRune("еиоуыэю", last), n < 3:
		return w, false, true
	}
	return w, false, false
}

// matchWord reports whether the folded text word w (with its shape) is
// the gazetteer word gw.
func (gw *gazWord) match(w string, t *textWord) bool {
	switch gw.cap {
	case capInitial:
		if !t.cap {
			return false
		}
	case capAll:
		if !t.allCaps {
			return false
		}
	}
	if !gw.cyr || gw.exact {
		return w == gw.key
	}
	rest, ok := strings.CutPrefix(w, gw.key)
	if !ok || utf8.RuneCountInString(rest) > maxEndingRunes {
		return false
	}
	if rest == "" {
		rest = "_"
	}
	if gw.adj {
		_, ok = adjEndings[rest]
	} else {
		_, ok = nounEndings[rest]
	}
	return ok
}

// textWord is one word of the text: a run of letters and digits, with
// inner apostrophes, hyphens and dots (People's, Нью-Дели, U.S).
type textWord struct {
	start, end int
	script     script
	cap        bool // starts with an upper-case letter
	allCaps    bool // every letter upper case, at least one (NATO, И)
	brk        bool // punctuation or a line break since the previous word
	keyed      bool // key holds the folded word
	key        string
}

// isHan reports whether r is a character of Han text for matching.
func isHan(r rune) bool {
	return r >= 0x2E80 && (unicode.Is(unicode.Han, r) || r == '〇')
}

// textWords splits s into words, appending to ws. Han characters break
// words and are left to the Han matcher. ASCII, most of our text, takes a
// table lookup per byte.
func textWords(s string, ws []textWord) []textWord {
	brk := true
	for i := 0; i < len(s); {
		r, size := rune(s[i]), 1
		if r < utf8.RuneSelf {
			switch entityASCII[r] {
			case entSpace:
				i++
				continue
			case entOther, entJoin:
				brk = true
				i++
				continue
			}
		} else {
			r, size = utf8.DecodeRuneInString(s[i:])
			if !isWordRune(r) { // a non-ASCII joiner too
				if r != '\u00a0' {
					brk = true
				}
				i += size
				continue
			}
		}
		w := textWord{start: i, brk: brk, allCaps: true}
		brk = false
		letters := 0
		for i < len(s) {
			if s[i]-'a' < 26 {
				// A run of lower-case ASCII letters, most of a word's
				// bytes, in a loop of its own.
				if letters == 0 {
					w.cap, w.script = false, scriptLatin
				}
				w.allCaps = false
				for i++; i < len(s) && s[i]-'a' < 26; i++ {
				}
				letters++
				continue
			}
			r, size = rune(s[i]), 1
			var letter, upper bool
			if r < utf8.RuneSelf {
				cl := entityASCII[r]
				if cl == entJoin {
					if i+1 >= len(s) || !startsWord(s[i+1:]) {
						break
					}
					i++
					continue
				}
				if cl != entLetter && cl != entDigit {
					break
				}
				letter = cl == entLetter
				upper = 'A' <= r && r <= 'Z'
			} else {
				r, size = utf8.DecodeRuneInString(s[i:])
				if isJoiner(r) {
					if !startsWord(s[i+size:]) {
						break
					}
					i += size
					continue
				}
				if !isWordRune(r) {
					break
				}
				letter = unicode.IsLetter(r)
				upper = letter && unicode.IsUpper(r)
			}
			if letter {
				if letters == 0 {
					w.cap = upper
					switch {
					case r < utf8.RuneSelf || unicode.Is(unicode.Latin, r):
						w.script = scriptLatin
					case unicode.Is(unicode.Cyrillic, r):
						w.script = scriptCyrillic
					default:
						w.script = scriptOther
					}
				}
				letters++
				w.allCaps = w.allCaps && upper
			}
			i += size
		}
		w.end = i
		if letters == 0 {
			w.script = scriptNumber
			w.allCaps = false
		}
		ws = append(ws, w)
	}
	return ws
}

// Classes of ASCII bytes for textWords.
const (
	entOther = iota // punctuation: breaks a run of names
	entSpace
	entLetter
	entDigit
	entJoin // ' - . inside a word
)

var entityASCII = func() (t [utf8.RuneSelf]uint8) {
	for c := range t {
		switch {
		case c == ' ' || c == '\t':
			t[c] = entSpace
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
			t[c] = entLetter
		case '0' <= c && c <= '9':
			t[c] = entDigit
		case c == '\'' || c == '-' || c == '.':
			t[c] = entJoin
		}
	}
	return t
}()

// startsWord reports whether s starts with a letter or digit (not Han).
func startsWord(s string) bool {
	if s == "" {
		return false
	}
	if c := s[0]; c < utf8.RuneSelf {
		return entityASCII[c] == entLetter || entityASCII[c] == entDigit
	}
	r, _ := utf8.DecodeRuneInString(s)
	return isWordRune(r)
}

// isWordRune reports whether the non-ASCII r belongs in a word: a letter,
// digit or combining mark that is not Han.
func isWordRune(r rune) bool {
	return (unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)) && !isHan(r)
}

func isJoiner(r rune) bool {
	return r == '\'' || r == '\u2019' || r == '-' || r == '\u2010' || r == '.'
}

// wordKey folds a word for matching: lower case, ё→е, Latin diacritics
// and possessive 's removed, dots of an acronym dropped.
func wordKey(st *stream, raw string) []byte {
	k := st.foldWord([]byte(raw))
	if bytes.IndexByte(k, '.') >= 0 {
		k = bytes.ReplaceAll(k, []byte("."), nil)
	}
	return k
}

// extractor is the per-call state of entity extraction, pooled.
type extractor struct {
	g     *gazetteer
	st    stream
	words []textWord
	text  string
	out   entities
}

var extractorPool = sync.Pool{New: func() any { return &extractor{} }}

// extractEntities returns the canonical names of the entities the title
// and body mention. The gazetteer applies to both; the capitalisation
// rules for unlisted names only to the body, because headlines are often
// in title case ("Putin And Xi Reaffirm Strategic Partnership").
func extractEntities(title, body string) entities {
	x := extractorPool.Get().(*extractor)
	x.g = defaultGazetteer()
	x.out = entities{}
	x.scan(title, false)
	x.scan(body, true)
	out := x.out
	x.out = entities{}
	x.text = ""
	x.words = x.words[:0]
	extractorPool.Put(x)
	return out
}

// articleEntities returns the entities article a mentions, less the
// organisations its outlet's name spells: an outlet names itself in its
// datelines and sign-offs, not as a subject. Every CCTV Xinwen Lianbo item
// opens 央视网消息（新闻联播）, which put CCTV in the facets of 24,081 of
// its 24,102 articles, above every organisation they report on; RIA
// Novosti's Telegram posts sign off РИА Новости. Another outlet's article
// on CCTV or RIA Novosti still counts them.
func articleEntities(a *Article) entities {
	e := extractEntities(a.Title, a.Body)
	if len(e[entityOrg]) == 0 || a.Source == "" {
		return e
	}
	own := outletOrgs(a.Source)
	e[entityOrg] = slices.DeleteFunc(e[entityOrg], func(name string) bool { return slices.Contains(own, name) })
	return e
}

// outlets caches outletOrgs for up to maxCachedOutlets sources: a build
// asks for every article's, and an archive has few outlets.
var (
	outlets       sync.Map // source -> []string
	cachedOutlets atomic.Int32
)

const maxCachedOutlets = 4096

// outletOrgs returns the gazetteer's organisations that source's name
// spells. The name is read as a title: the gazetteer alone, none of the
// rules for unlisted names (which would take "Xinwen Lianbo").
func outletOrgs(source string) []string {
	if v, ok := outlets.Load(source); ok {
		return v.([]string)
	}
	own := extractEntities(source, "")[entityOrg]
	if cachedOutlets.Add(1) <= maxCachedOutlets {
		outlets.Store(strings.Clone(source), own)
	}
	return own
}

// key returns the folded form of word i, computed once.
func (x *extractor) key(i int) string {
	w := &x.words[i]
	if !w.keyed {
		w.keyed = true
		w.key = string(wordKey(&x.st, x.text[w.start:w.end]))
	}
	return w.key
}

// scan finds the entities of one text: Han runs against the Han
// spellings, words against the gazetteer, and with rules set, the
// capitalised runs left over against the rules for unlisted names.
func (x *extractor) scan(text string, rules bool) {
	x.text = text
	x.scanHan(text)
	x.words = textWords(text, x.words[:0])
	runStart := -1 // first word of the current capitalised run
	flush := func(end int) {
		if rules && runStart >= 0 && end-runStart >= 2 {
			x.classifyRun(runStart, end)
		}
		runStart = -1
	}
	for i := 0; i < len(x.words); {
		w := &x.words[i]
		if w.brk || w.script != scriptLatin && w.script != scriptCyrillic {
			flush(i)
		}
		if w.script != scriptLatin && w.script != scriptCyrillic {
			i++
			continue
		}
		if runStart >= 0 && x.words[runStart].script != w.script {
			flush(i)
		}
		if w.cap {
			if n := x.matchGazetteer(i); n > 0 {
				flush(i)
				i += n
				continue
			}
			if runStart < 0 {
				runStart = i
			}
			i++
			continue
		}
		if runStart >= 0 && i+1 < len(x.words) && !x.words[i+1].brk && x.words[i+1].cap && connectors[x.key(i)] {
			i++ // "Ministry of Foreign Affairs": part of the run
			continue
		}
		flush(i)
		i++
	}
	flush(len(x.words))
}

// matchGazetteer tries the spellings that start at word i, longest first,
// records the entity of the first that matches and returns its length in
// words (0 for none).
func (x *extractor) matchGazetteer(i int) int {
	w := &x.words[i]
	key := x.key(i)
	try := func(stem string) int {
		for _, sp := range x.g.first[stem] {
			if !x.matchSpelling(i, &sp) {
				continue
			}
			e := x.g.entities[sp.entity]
			if e.kind == entityOrg && len(sp.words) > 1 && x.insideLongerName(i) {
				// Industrial Bank of Japan, Export-Import Bank of Japan:
				// another bank than the Bank of Japan.
				continue
			}
			if len(sp.words) > 1 || !x.commonNoun(i) {
				x.out.add(e.kind, e.canonical)
			}
			if e.kind == entityOrg && len(sp.words) > 1 {
				x.placeEnding(i+1, i+len(sp.words))
			}
			return len(sp.words)
		}
		return 0
	}
	if w.script != scriptCyrillic {
		return try(key)
	}
	// A Cyrillic word's stem is the word without a case ending.
	if n := try(key); n > 0 {
		return n
	}
	end := len(key)
	for cut := 0; cut < maxEndingRunes; cut++ {
		_, size := utf8.DecodeLastRuneInString(key[:end])
		if size == 0 {
			break
		}
		end -= size
		if end < 2 {
			break
		}
		if n := try(key[:end]); n > 0 {
			return n
		}
	}
	return 0
}

// insideLongerName reports whether word i continues a capitalised name
// begun before it (Industrial Bank of Japan): the word before is
// capitalised, in the same sentence, and no title or run stop (The Bank
// of Japan, President Putin).
func (x *extractor) insideLongerName(i int) bool {
	if i == 0 || x.words[i].brk {
		return false
	}
	prev := &x.words[i-1]
	if !prev.cap || prev.script != x.words[i].script {
		return false
	}
	k := x.key(i - 1)
	_, title := titles[k]
	_, stop := runStops[k]
	return !title && !stop
}

// placeEnding records the place a matched organisation's name ends
// with, words [from, to): an article on the Bank of Japan is one on Japan
// too (place=Japan had lost the 102 English articles of the news corpora
// that name Japan only so once the Bank of Japan was an organisation).
// A place the name begins with is no place of it: the Shanghai
// Cooperation Organisation is no Shanghai's.
func (x *extractor) placeEnding(from, to int) {
	for k := from; k < to; k++ {
		for _, sp := range x.g.first[x.key(k)] {
			if e := x.g.entities[sp.entity]; e.kind == entityPlace && k+len(sp.words) == to && x.matchSpelling(k, &sp) {
				x.out.add(e.kind, e.canonical)
				return
			}
		}
	}
}

// commonUse lists, for a word that the gazetteer takes for an entity,
// the words beside it that make it a common noun instead: "CCTV footage"
// and "камеры CCTV" are surveillance cameras, not China Central
// Television, in 3 of the 6 articles of other outlets that org=CCTV
// found on the news corpora. next holds the folded words that may follow
// it, prev the starts of the words that may come before it.
var commonUse = map[string]struct{ next, prev []string }{
	"cctv": {
		next: []string{"camera", "cameras", "footage", "image", "images", "picture", "pictures", "recording", "recordings",
			"surveillance", "system", "systems", "operator", "operators", "evidence", "video", "coverage"},
		prev: []string{"камер", "видеокамер", "систем", "запис"},
	},
}

// commonNoun reports whether word i, a one-word gazetteer spelling, is
// used beside words that make it a common noun (commonUse).
func (x *extractor) commonNoun(i int) bool {
	use, ok := commonUse[x.key(i)]
	if !ok {
		return false
	}
	if j := i + 1; j < len(x.words) && !x.words[j].brk && slices.Contains(use.next, x.key(j)) {
		return true
	}
	if i > 0 && !x.words[i].brk {
		prev := x.key(i - 1)
		for _, p := range use.prev {
			if strings.HasPrefix(prev, p) {
				return true
			}
		}
	}
	return false
}

func (x *extractor) matchSpelling(i int, sp *gazSpelling) bool {
	if i+len(sp.words) > len(x.words) {
		return false
	}
	for j := range sp.words {
		t := &x.words[i+j]
		if j > 0 && t.brk {
			return false
		}
		if !sp.words[j].match(x.key(i+j), t) {
			return false
		}
	}
	return true
}

// scanHan matches Han spellings in every run of Han characters, longest
// first at each position (Chinese has no spaces between words).
func (x *extractor) scanHan(text string) {
	for i := 0; i < len(text); {
		if text[i] < 0xE2 {
			i++ // ASCII, Latin, Cyrillic: Han starts at U+2E80, lead byte E2 or more
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		if !isHan(r) {
			i += size
			continue
		}
		if simplified(r) != r {
			// Traditional characters (trad.go) are matched as the
			// simplified spellings; the rest of the text is folded once.
			text = text[:i] + foldTraditional(text[i:])
			r, size = utf8.DecodeRuneInString(text[i:])
		}
		cands := x.g.han[r]
		if len(cands) == 0 {
			i += size
			continue
		}
		matched := false
		for _, c := range cands {
			if strings.HasPrefix(text[i:], c.text) && !insideLonger(text, i, len(c.text), r) {
				e := x.g.entities[c.entity]
				x.out.add(e.kind, e.canonical)
				i += len(c.text)
				matched = true
				break
			}
		}
		if !matched {
			i += size
		}
	}
}

// Words for the rules for unlisted names, folded.
var (
	// connectors may join capitalised words inside a run.
	connectors = map[string]bool{"of": true, "and": true, "for": true}
	// runStops are capitalised at the start of a sentence, never part of
	// a name: they are trimmed from the start of a run.
	runStops = wordSet(strings.Fields(`the a an in on at for but and or as by with from to of this that these
		those it its he she we they his her our their after before when while if so yet also meanwhile
		however earlier later today yesterday tomorrow last next according during since under over
		both all some many most several other such then thus there here where why how what who
		в на по с со и но а как это для при об о к у за из от до после также однако`))
	// titles come right before a person's name (President, министр).
	titles = wordSet(strings.Fields(`president minister secretary ambassador chairman chairwoman premier
		governor mayor senator spokesman spokeswoman spokesperson consul envoy chancellor commissioner
		director mr mrs ms dr prof professor chief colonel admiral king queen prince sheikh emir
		президент министр премьер премьер-министр вице-премьер глава губернатор посол председатель мэр
		генерал сенатор депутат спикер лидер раис замминистра пресс-секретарь госсекретарь канцлер
		король генсек секретарь директор гендиректор помощник советник представитель`))
	// nameStops are never part of a person's name (General Motors Corp,
	// Chief Product Officer).
	nameStops = wordSet(strings.Fields(`corp co inc ltd plc llc ag group office officer executive club company
		news motors electric general`))
	// particles may sit inside a surname (Robert De Niro, Lula da Silva).
	particles = wordSet(strings.Fields(`de da di del della du van von der le la bin al el ben`))
	// orgWords end (or, before "of", start) an organisation's name.
	orgWords = wordSet(strings.Fields(`organisation organization council ministry bank party committee
		agency commission corporation association institute university academy fund parliament
		assembly court`))
)

// classifyRun applies the rules for unlisted names to the capitalised
// words [from, to) of x.words (doc.go, "Entity facets").
func (x *extractor) classifyRun(from, to int) {
	for from < to {
		if _, stop := runStops[x.key(from)]; !stop {
			break
		}
		from++
	}
	first := from
	for from < to {
		if connectors[x.key(from)] {
			from++
			continue
		}
		n := x.orgAt(from, to)
		if n == 0 {
			n = x.personAt(from, to, from == first)
		}
		if n == 0 {
			n = 1
		}
		from += n
	}
}

// orgAt recognises an organisation starting at word i of the run ending
// before to, returning its length in words: capitalised words up to an
// orgWord (Russian Security Council, State Council), or an orgWord
// followed by of/for and more words (Ministry of Foreign Affairs). Latin
// only: Russian organisation names are lower case after the first word.
func (x *extractor) orgAt(i, to int) int {
	if x.words[i].script != scriptLatin {
		return 0
	}
	if _, ok := titles[x.key(i)]; ok {
		return 0
	}
	last := -1
	for j := i; j < to && j-i < maxOrgWords; j++ {
		if _, ok := orgWords[x.key(j)]; ok && j > i {
			last = j
		}
		if _, ok := titles[x.key(j)]; ok || !x.words[j].cap && !connectors[x.key(j)] {
			break
		}
	}
	if last < 0 {
		if _, ok := orgWords[x.key(i)]; ok {
			last = i
		}
	}
	if last >= 0 && last+2 < to && connectors[x.key(last+1)] && x.key(last+1) != "and" {
		// Council of Mortgage Lenders, Ministry of Foreign Affairs.
		last = min(to, i+maxOrgWords) - 1
	}
	for last > i && connectors[x.key(last)] {
		last--
	}
	if last <= i {
		return 0
	}
	x.out.add(entityOrg, x.phrase(i, last+1))
	return last + 1 - i
}

// personAt recognises a person starting at word i: a known given name and
// a surname (Anton Alikhanov, Сергей Иванов; a patronymic between them is
// dropped), two name words after a title (Minister Ivan Petrov), or a
// pinyin surname and given name ending the run (Xiang Bo).
func (x *extractor) personAt(i, to int, first bool) int {
	if _, ok := titles[x.key(i)]; ok {
		// The title itself is one word; the name after it is tried next,
		// and also accepted without a known given name.
		if n := x.nameAt(i+1, to, true); n > 0 {
			return 1 + n
		}
		return 1
	}
	if first && i > 0 && !x.words[i].brk {
		// A lower-case title before the run: министр Сергей Лавров.
		if _, ok := titles[x.key(i-1)]; ok {
			if n := x.nameAt(i, to, true); n > 0 {
				return n
			}
		}
	}
	if n := x.nameAt(i, to, false); n > 0 {
		return n
	}
	if x.words[i].script == scriptLatin && i+2 == to && x.g.zhSurname[x.key(i)] && x.isPinyin(x.key(i+1)) && x.words[i+1].cap && !x.words[i+1].allCaps {
		x.out.add(entityPerson, x.words0(i)+" "+x.words0(i+1))
		return 2
	}
	return 0
}

// nameAt recognises given name [+ patronymic] + surname at word i. With
// titled, the first word need not be a known given name but the name must
// end the run.
func (x *extractor) nameAt(i, to int, titled bool) int {
	if i+1 >= to {
		return 0
	}
	given, known := x.g.given[x.key(i)]
	if !known && !titled {
		return 0
	}
	if !known {
		given = x.nameWord(i)
	}
	j := i + 1
	if isPatronymic(x.key(j)) && j+1 < to {
		j++
	}
	surname := j
	for j+1 < to && j-i < maxNameWords-1 {
		if _, ok := particles[x.key(j)]; !ok {
			break
		}
		j++
	}
	if titled && j+1 != to {
		return 0
	}
	if !x.isNameWord(i) || !x.isNameWord(j) {
		return 0
	}
	if _, g := x.g.given[x.key(j)]; g && !titled {
		return 0
	}
	name := given
	for k := surname; k <= j; k++ {
		name += " " + x.nameWord(k)
	}
	x.out.add(entityPerson, name)
	return j + 1 - i
}

// isNameWord reports whether word i can be part of a person's name:
// capitalised, not all capitals, at least two letters, and not a title,
// organisation word or stop word.
func (x *extractor) isNameWord(i int) bool {
	w := &x.words[i]
	k := x.key(i)
	if !w.cap || w.allCaps || utf8.RuneCountInString(k) < 2 || connectors[k] {
		return false
	}
	for _, set := range []map[string]struct{}{titles, orgWords, runStops, nameStops} {
		if _, ok := set[k]; ok {
			return false
		}
	}
	for _, r := range k {
		if !unicode.IsLetter(r) && r != '-' && r != '\'' {
			return false
		}
	}
	return true
}

func isPatronymic(k string) bool {
	for _, end := range []string{"вич", "вна", "ична", "vich", "vna"} {
		if strings.HasSuffix(k, end) {
			return true
		}
	}
	return false
}

// nameWord returns word i as it goes into a canonical name: Latin as
// written without a possessive, Cyrillic transliterated (Минниханов →
// Minnikhanov) so that both scripts give one value.
func (x *extractor) nameWord(i int) string {
	w := &x.words[i]
	if w.script == scriptCyrillic {
		return romanise(x.key(i))
	}
	return x.words0(i)
}

// words0 returns word i as written, without a trailing possessive.
func (x *extractor) words0(i int) string {
	s := x.text[x.words[i].start:x.words[i].end]
	for _, p := range []string{"'s", "\u2019s"} {
		s = strings.TrimSuffix(s, p)
	}
	return s
}

// phrase returns words [from, to) as written, joined by single spaces.
func (x *extractor) phrase(from, to int) string {
	var b strings.Builder
	for i := from; i < to; i++ {
		if i > from {
			b.WriteByte(' ')
		}
		if i == to-1 {
			b.WriteString(x.words0(i))
		} else {
			b.WriteString(x.text[x.words[i].start:x.words[i].end])
		}
	}
	return b.String()
}

// romanise writes a folded Cyrillic word in Latin letters with the
// commonest romanisation of each letter (names.go's cyrToLat), capitalised
// after the start and after a hyphen.
func romanise(w string) string {
	var b strings.Builder
	upper := true
	rest := w
	for rest != "" {
		if e, ok := romanEnding(rest); ok {
			b.WriteString(e)
			break
		}
		r, size := utf8.DecodeRuneInString(rest)
		rest = rest[size:]
		var s string
		if opts, ok := cyrToLat[r]; ok {
			s = opts[0]
		} else {
			s = string(r)
		}
		if upper && s != "" {
			s = strings.ToUpper(s[:1]) + s[1:]
			upper = false
		}
		b.WriteString(s)
		if r == '-' {
			upper = true
		}
	}
	return b.String()
}

// romanEnding romanises a word ending in -ий/-ый as -y (Дмитрий →
// Dmitry), the form the news uses most.
func romanEnding(rest string) (string, bool) {
	switch rest {
	case "ий", "ый":
		return "y", true
	}
	return "", false
}

// isPinyin reports whether the folded word is one to three pinyin
// syllables (hanhui, bo, jinping), as Chinese given names are.
func (x *extractor) isPinyin(w string) bool {
	if len(w) < 2 || len(w) > 12 {
		return false
	}
	var ok func(s string, n int) bool
	ok = func(s string, n int) bool {
		if s == "" {
			return true
		}
		if n == 3 {
			return false
		}
		for l := min(6, len(s)); l >= 1; l-- {
			if x.g.pinyin[s[:l]] && ok(s[l:], n+1) {
				return true
			}
		}
		return false
	}
	return ok(w, 0)
}

// pinyinSyllables returns the syllables of Mandarin pinyin without tones:
// initials times finals, less the combinations Mandarin does not have
// where they would let English words through.
func pinyinSyllables() map[string]bool {
	initials := strings.Fields("b p m f d t n l g k h j q x zh ch sh r z c s y w")
	finals := strings.Fields("a e ai ei ao ou an en ang eng ong i ia ie iao iu ian in iang ing iong u ua uo uai ui uan un uang ue")
	set := map[string]bool{"er": true}
	for _, f := range strings.Fields("a o e ai ei ao ou an en ang eng") {
		set[f] = true
	}
	for _, i := range initials {
		for _, f := range finals {
			if (i == "j" || i == "q" || i == "x") && !strings.HasPrefix(f, "i") && !strings.HasPrefix(f, "u") {
				continue // ja, qo, xe are not Mandarin
			}
			set[i+f] = true
		}
	}
	for _, i := range strings.Fields("b p m f y") {
		set[i+"o"] = true
	}
	return set
}
