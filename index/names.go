package index

import (
	"bufio"
	"embed"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
)

// Cross-script names and synonyms: query-time alternatives (expand.go).
//
// A lexicon is groups of spellings that mean the same: "Putin | Путин |
// 普京" (data/names.txt) or "UN | United Nations" (data/synonyms.txt). A
// query word (or quoted phrase) that is a member of a group gets the other
// members as alternatives. Members are keyed by their analysed terms, so
// Путина (genitive) finds the group of Путин, and analysed again when they
// become alternatives, so the Cyrillic alternative of "Putin" matches every
// inflected form. Regular Cyrillic↔Latin spellings are not listed: the
// transliteration rules below generate them, and only spellings whose stem
// is in the index are kept.

//go:embed data/names.txt data/synonyms.txt data/topics.txt
var lexiconFiles embed.FS

// Weights of name and synonym alternatives relative to the word as typed:
// an article that spells the name as the query does ranks first.
const (
	weightName     = 0.15
	weightTranslit = 0.15
	weightSynonym  = 0.5
	weightTopic    = weightName
	// maxTranslitCandidates caps the spellings generated for one word and
	// maxTranslit those kept (found in the index); maxTranslitWords caps
	// the transliterated words of one query. Each candidate costs one
	// dictionary lookup.
	maxTranslitCandidates = 64
	maxTranslit           = 4
	maxTranslitWords      = 8
)

// lexicon maps the analysed key of a spelling to the groups it belongs to.
type lexicon struct {
	groups [][]string
	keys   map[string][]lexEntry
	// firsts holds the folded first word of every member of several words
	// (white, of White House): a query's words start such a member only
	// there (see expander.nameRuns).
	firsts map[string]bool
	// words are the members of one Latin or Cyrillic word, not acronyms,
	// folded: the names a misspelt query word may mean (near).
	words []lexWord
	// spelt are the members that are not acronyms, by group: the names a
	// search box completes (completeNames) and a query's words begin
	// (expander.begunNames).
	spelt nameSpellings
	// han holds the members written in Han characters only, as written,
	// and hanRunes the longest's length: the names a run of Chinese typed
	// without spaces may hold (hanNamePieces).
	han      map[string]bool
	hanRunes int
	// topics are the topic words' groups (data/topics.txt), whose members
	// alternatives gives too; nil in a topics lexicon itself.
	topics *lexicon
}

// nameSpelling is one spelling of a name, as written, with its words
// folded (analyzeRawTerms), and the name's id: a lexicon group or a
// gazetteer entity.
type nameSpelling struct {
	text  string
	words []string
	id    int
}

// nameSpellings are the spellings of a lexicon's or a gazetteer's names.
type nameSpellings []nameSpelling

// begun returns the spellings that the folded words typed begin (begins),
// the first of each name, in order (Xi Jin: Xi Jinping).
func (ss nameSpellings) begun(typed []string) []nameSpelling {
	var out []nameSpelling
	for _, sp := range ss {
		if begins(typed, sp.words) && !slices.ContainsFunc(out, func(o nameSpelling) bool { return o.id == sp.id }) {
			out = append(out, sp)
		}
	}
	return out
}

// named returns the ids of the names with a spelling of exactly the
// folded words words.
func (ss nameSpellings) named(words []string) []int {
	var out []int
	for _, sp := range ss {
		if slices.Equal(sp.words, words) && !slices.Contains(out, sp.id) {
			out = append(out, sp.id)
		}
	}
	return out
}

type lexWord struct {
	folded string
	runes  int
	text   string // as the lexicon writes it
}

type lexEntry struct {
	group   int
	acronym bool // the member is all capitals: the query word must be too
	weight  float64
}

// defaultLexicon returns the lexicon of the embedded data files and, when
// extra is not empty, of the synonyms file at that path.
func defaultLexicon(extra string) (*lexicon, error) {
	lx := &lexicon{keys: map[string][]lexEntry{}}
	// Topic words (data/topics.txt) are alternatives of each other and
	// nothing more: not names, so they take no part in name runs,
	// completions, corrections by name or the splitting of Chinese runs.
	lx.topics = &lexicon{keys: map[string][]lexEntry{}}
	for _, f := range []struct {
		name   string
		weight float64
		into   *lexicon
	}{{"data/names.txt", weightName, lx}, {"data/synonyms.txt", weightSynonym, lx}, {"data/topics.txt", weightTopic, lx.topics}} {
		r, err := lexiconFiles.Open(f.name)
		if err != nil {
			return nil, err
		}
		err = f.into.read(r, f.name, f.weight)
		r.Close()
		if err != nil {
			return nil, err
		}
	}
	if extra != "" {
		f, err := os.Open(extra)
		if err != nil {
			return nil, fmt.Errorf("synonyms: %w", err)
		}
		defer f.Close()
		if err := lx.read(f, extra, weightSynonym); err != nil {
			return nil, fmt.Errorf("synonyms: %w", err)
		}
	}
	return lx, nil
}

// read adds the groups of r, one per line, members separated by "|", "#"
// starting a comment. Errors name the file and line.
func (lx *lexicon) read(r io.Reader, name string, weight float64) error {
	sc := bufio.NewScanner(r)
	for line := 1; sc.Scan(); line++ {
		text, _, _ := strings.Cut(sc.Text(), "#")
		if strings.TrimSpace(text) == "" {
			continue
		}
		if !utf8.ValidString(text) {
			return fmt.Errorf("%s:%d: not valid UTF-8", name, line)
		}
		var group []string
		for _, m := range strings.Split(text, "|") {
			m = strings.Join(strings.Fields(m), " ")
			if m == "" {
				return fmt.Errorf("%s:%d: empty member", name, line)
			}
			if lexKey(m) == "" {
				return fmt.Errorf("%s:%d: %q has no searchable word", name, line, m)
			}
			group = append(group, m)
		}
		if len(group) < 2 && !isAcronym(group[0]) {
			// A single acronym (NATO) still documents the word; anything
			// else alone is a mistake.
			return fmt.Errorf("%s:%d: a group needs at least two members", name, line)
		}
		g := len(lx.groups)
		lx.groups = append(lx.groups, group)
		for _, m := range group {
			if isHanName(m) {
				if lx.han == nil {
					lx.han = map[string]bool{}
				}
				lx.han[m] = true
				lx.hanRunes = max(lx.hanRunes, utf8.RuneCountInString(m))
			}
			k := lexKey(m)
			lx.keys[k] = append(lx.keys[k], lexEntry{group: g, acronym: isAcronym(m), weight: weight})
			words := analyzeRawTerms(m)
			if len(words) > 1 {
				if lx.firsts == nil {
					lx.firsts = map[string]bool{}
				}
				lx.firsts[words[0]] = true
			}
			if !isAcronym(m) {
				lx.spelt = append(lx.spelt, nameSpelling{text: m, words: words, id: g})
			}
			if len(words) == 1 && !isAcronym(m) && wordTypoBudget(words[0]) > 0 {
				lx.words = append(lx.words, lexWord{folded: words[0], runes: utf8.RuneCountInString(words[0]), text: m})
			}
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

// lexKey is the key of a spelling: its stemmed terms, or its folded terms
// when stemming drops them all ("US" is a stop word once folded). Terms at
// one position (a surname's two stems, see appendSurnameVariant) are sorted
// and joined with "|", so Лавров and Лаврова share the key "лавр|лавров".
// Terms with capitals (an acronym, a cased name) are left out: ООН in
// Совет Безопасности ООН is an acronym, in совет безопасности оон typed
// in lower case not, and both must find the group.
//
// A compound of two ASCII words that is also indexed joined (G-20, see
// joinable) is keyed by its joined term, as the joined spelling is: G-20
// finds the group of G20, Большая двадцатка and 二十国集团, where it had
// found only the 28 articles that write G-20 or G20 of the 166 the name's
// spellings have on the news corpora.
func lexKey(s string) string {
	ts := slices.DeleteFunc(stemmedAnalyzer.Analyze([]byte(s)), func(t *analysis.Token) bool { return capitalBytes(t.Term) > 0 })
	if len(ts) == 0 {
		return strings.Join(analyzeRawTerms(s), " ")
	}
	if join := joinedTerm(ts); join != nil {
		return string(join)
	}
	var b strings.Builder
	for i := 0; i < len(ts); {
		j := i + 1
		for j < len(ts) && ts[j].Position == ts[i].Position {
			j++
		}
		terms := tokenTerms(ts[i:j])
		slices.Sort(terms)
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(strings.Join(terms, "|"))
		i = j
	}
	return b.String()
}

// isAcronym reports whether s is all capital letters, at least two.
func isAcronym(s string) bool {
	n := 0
	for _, r := range s {
		if !unicode.IsUpper(r) {
			return false
		}
		n++
	}
	return n >= 2
}

// maxAcronymRunes is the longest word in capitals that a query takes for
// an acronym (BRICS, ASEAN); a longer one is more likely a word typed
// with caps lock on.
const maxAcronymRunes = 5

// typedAcronym reports whether the query word s, as typed, is an acronym:
// two to maxAcronymRunes capital letters. An acronym is neither a
// misspelling (BRICS is not Brits) nor the start of a longer word (SCO is
// not Scottish, ШОС not шоссе): it gets no typos and no completions.
func typedAcronym(s string) bool {
	return isAcronym(s) && utf8.RuneCountInString(s) <= maxAcronymRunes
}

// alternatives returns the other members of the groups text belongs to,
// and of its topic groups, as texts to analyse.
func (lx *lexicon) alternatives(text string) []alternative {
	if lx == nil {
		return nil
	}
	key := lexKey(text)
	if cased, name := casedKey(text, key); cased {
		// A stem casedStems shares between a name and a word: the name
		// table's groups are the name's (Газа: Gaza, 加沙), the topics'
		// the word's (газ: gas, 天然气), and only the name's own form,
		// capitalised, is the name.
		topics := lx.topics == nil // this is the topics' table
		switch {
		case topics && name:
			return nil // Газа is not gas
		case !topics && !name:
			return lx.topics.alternatives(text) // кубит, маски, газа: no name
		}
	}
	out := lx.topics.alternatives(text)
	for _, e := range lx.keys[key] {
		if e.acronym && !isAcronym(strings.TrimSpace(text)) {
			continue
		}
		for _, m := range lx.groups[e.group] {
			if lexKey(m) == key {
				continue
			}
			out = append(out, alternative{text: m, weight: e.weight})
		}
	}
	return out
}

// acronymMember reports whether text is a member of the lexicon's groups
// written in capitals (WHO, ОПЕК).
func (lx *lexicon) acronymMember(text string) bool {
	if lx == nil {
		return false
	}
	for _, e := range lx.keys[lexKey(text)] {
		if e.acronym {
			return true
		}
	}
	return false
}

// sameName reports whether a and b are spellings of one name: members of
// one group of the lexicon that is no acronym's.
func (lx *lexicon) sameName(a, b string) bool {
	if lx == nil {
		return false
	}
	for _, ea := range lx.keys[lexKey(a)] {
		for _, eb := range lx.keys[lexKey(b)] {
			if ea.group == eb.group && !ea.acronym && !eb.acronym {
				return true
			}
		}
	}
	return false
}

// has reports whether text is a member of the lexicon's groups.
func (lx *lexicon) has(text string) bool {
	return lx != nil && len(lx.keys[lexKey(text)]) > 0
}

// isName reports whether the folded vocabulary word is a name: a member
// of the lexicon's groups (by its stem, so пекина is one) other than an
// acronym that folds onto it (who is not WHO), or a one-word Latin
// spelling in the gazetteer (data/entities.txt), not an acronym either.
func (lx *lexicon) isName(word string) bool {
	if lx != nil {
		for _, e := range lx.keys[lexKey(word)] {
			if !e.acronym {
				return true
			}
		}
	}
	for _, s := range defaultGazetteer().first[word] {
		// Cyrillic spellings are keyed by stem, and found by the lexicon
		// when they are names of its groups.
		if len(s.words) == 1 && s.words[0].cap != capAll && !s.words[0].cyr {
			return true
		}
	}
	return false
}

// near returns the lexicon's one-word names within k typos of the folded
// word, but not the word itself, as the lexicon writes them, with their
// typos, fewest first; like the vocabulary's typos, they share the word's
// first letter. The names need not be in the index: Shoigo means Shoigu,
// which the English articles never write, and finds Шойгу through its
// group. Pekin is Peking with a letter left out before it is Putin with
// two changed.
func (lx *lexicon) near(word string, k int) []vocabWord {
	if lx == nil || k <= 0 {
		return nil
	}
	first, _ := utf8.DecodeRuneInString(word)
	n := utf8.RuneCountInString(word)
	var out []vocabWord
	for _, w := range lx.words {
		if r, _ := utf8.DecodeRuneInString(w.folded); r != first || w.runes < n-k || w.runes > n+k {
			continue
		}
		if d := editDistance(word, w.folded); d > 0 && d <= k {
			out = append(out, vocabWord{word: w.text, typos: d})
		}
	}
	slices.SortStableFunc(out, func(a, b vocabWord) int { return a.typos - b.typos })
	return out
}

// namesFirst returns a capitalised word's typo candidates with the names
// first, each part in its order, and how many are names: the user who
// typed Beijng meant Beijing, not "being", though both are one typo away
// and "being" is commoner. near is left as it is: the vocabulary
// remembers its look-ups, and other searches read the same slice.
func (lx *lexicon) namesFirst(near []vocabWord) ([]vocabWord, int) {
	name := make([]bool, len(near)) // each word analysed once
	out := make([]vocabWord, 0, len(near))
	for i, n := range near {
		if name[i] = lx.isName(n.word); name[i] {
			out = append(out, n)
		}
	}
	names := len(out)
	for i, n := range near {
		if !name[i] {
			out = append(out, n)
		}
	}
	return out, names
}

// begins reports whether the folded words typed begin the folded words
// of a name and stop short of its end: the name's words before typed's
// last are typed's, and its word at typed's last starts with that one,
// longer, or more words follow.
func begins(typed, name []string) bool {
	n := len(typed)
	if n == 0 || len(name) < n || !slices.Equal(name[:n-1], typed[:n-1]) {
		return false
	}
	w, last := name[n-1], typed[n-1]
	return strings.HasPrefix(w, last) && (len(name) > n || w != last)
}

// names returns the lexicon's spellings, none when there is no lexicon.
func (lx *lexicon) names() nameSpellings {
	if lx == nil {
		return nil
	}
	return lx.spelt
}

// startsMember reports whether the folded word is the first word of some
// member of several words.
func (lx *lexicon) startsMember(word string) bool { return lx != nil && lx.firsts[word] }

// wordAcronyms are the acronyms of the lexicon whose folded spelling, or
// its stem, is an ordinary word: as another spelling of a name US would
// find every "us" (United States in quotes found 11,606 articles on the
// news corpora, 5,232 without it), WHO every "who", ОПЕК every опека
// (guardianship) and ВОЗ возить. As alternatives they search their
// acronym terms only (acronym.go); typed in capitals they find their
// groups. Others fold onto no word (UK, EU, ЕС, США) and also search
// their folded stem, which a text in capitals has (expander.best).
var wordAcronyms = map[string]bool{"US": true, "UN": true, "WHO": true, "ОПЕК": true, "ВОЗ": true}

// acronymOnly reports whether an acronym searches its acronym term only,
// not also its folded stem: one of wordAcronyms, or one in Cyrillic. The
// stem is there for text in capitals, where no acronym term is indexed
// (Reuters' titles: GDP is gdp there), which Russian news hardly writes,
// while a Russian acronym's stem is mostly another word's: СВО (the war
// in Ukraine) is the stem of свой and своих (own), and found 2,340
// articles on the news corpora where 113 write СВО; ГОСТ (the standard)
// found гости and гость (guests), 128 articles for 10.
func acronymOnly(acronym string) bool {
	r, _ := utf8.DecodeRuneInString(acronym)
	return wordAcronyms[acronym] || unicode.Is(unicode.Cyrillic, r)
}

// isCapitalised reports whether s starts with an upper-case letter: a
// Latin or Cyrillic query word is transliterated only then, as names are
// written that way and "data" should not find Russian "дата".
func isCapitalised(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsUpper(r)
}

// Cyrillic → Latin: every romanisation the news uses for a letter (BGN/PCGN,
// ISO 9 without diacritics, scholarly, common practice), the usual first.
var cyrToLat = map[rune][]string{
	'а': {"a"}, 'б': {"b"}, 'в': {"v"}, 'г': {"g"}, 'д': {"d"},
	'е': {"e", "ye"}, 'ё': {"e", "yo"}, 'ж': {"zh", "j"}, 'з': {"z"},
	'и': {"i"}, 'й': {"y", "i", "j"}, 'к': {"k"}, 'л': {"l"}, 'м': {"m"},
	'н': {"n"}, 'о': {"o"}, 'п': {"p"}, 'р': {"r"}, 'с': {"s"}, 'т': {"t"},
	'у': {"u"}, 'ф': {"f"}, 'х': {"kh", "h", "x"}, 'ц': {"ts", "c", "tz"},
	'ч': {"ch"}, 'ш': {"sh"}, 'щ': {"shch", "sch"}, 'ъ': {""}, 'ы': {"y"},
	'ь': {""}, 'э': {"e"}, 'ю': {"yu", "iu", "ju"}, 'я': {"ya", "ia", "ja"},
}

// cyrEndings are word endings romanised as a whole (-ий: Dmitriy, Dmitry,
// Dmitrii).
var cyrEndings = []struct {
	cyr string
	lat []string
}{
	{"ий", []string{"iy", "y", "ii", "i"}},
	{"ый", []string{"y", "yy"}},
}

// latCyr is a Latin letter group and the Cyrillic it may stand for.
type latCyr struct {
	lat string
	cyr []string
}

// latToCyr: Latin letter groups and the Cyrillic they may stand for,
// longest first so that "sh" is tried as ш before с+х.
var latToCyr = []latCyr{
	{"shch", []string{"щ"}}, {"sch", []string{"щ"}},
	{"zh", []string{"ж"}}, {"kh", []string{"х"}}, {"ts", []string{"ц"}},
	{"tz", []string{"ц"}}, {"ch", []string{"ч"}}, {"sh", []string{"ш"}},
	{"ya", []string{"я"}}, {"ia", []string{"я"}}, {"ja", []string{"я"}},
	{"yu", []string{"ю"}}, {"iu", []string{"ю"}}, {"ju", []string{"ю"}},
	{"yo", []string{"ё"}}, {"ye", []string{"е"}}, {"iy", []string{"ий"}},
	{"ii", []string{"ий"}},
	{"a", []string{"а"}}, {"b", []string{"б"}}, {"v", []string{"в"}},
	{"w", []string{"в"}}, {"g", []string{"г"}}, {"d", []string{"д"}},
	{"e", []string{"е", "э"}}, {"z", []string{"з"}}, {"i", []string{"и", "й"}},
	{"y", []string{"й", "ы", "ий", "и"}}, {"j", []string{"й", "ж"}},
	{"k", []string{"к"}}, {"l", []string{"л"}}, {"m", []string{"м"}},
	{"n", []string{"н"}}, {"o", []string{"о"}}, {"p", []string{"п"}},
	{"r", []string{"р"}}, {"s", []string{"с"}}, {"t", []string{"т"}},
	{"u", []string{"у"}}, {"f", []string{"ф"}}, {"h", []string{"х"}},
	{"x", []string{"кс", "х"}}, {"c", []string{"ц", "к"}}, {"q", []string{"к"}},
}

// transliterations returns spellings of the folded word w in the other
// script (Cyrillic ↔ Latin), at most limit, likeliest first; nil for a
// word of another script or with characters the rules do not cover.
// Bounds on transliteration work per word (see transliterations).
const (
	maxTranslitBytes = 40
	maxTranslitSteps = 4000
)

// latToCyrSoft adds the soft sign that Latin spellings leave out: before
// an iotated vowel after a consonant (Ulyanovsk Ульяновск, Sheremetyevo
// Шереметьево, Vorobyov Воробьёв, Ilyin Ильин) and after л before a
// consonant (Podolsk Подольск). softTransliterations tries them, last at
// each letter, and a soft sign at the end (Tyumen Тюмень, Ryazan Рязань).
var latToCyrSoft = []latCyr{
	{"ya", []string{"ья"}}, {"yu", []string{"ью"}}, {"ye", []string{"ье"}},
	{"yo", []string{"ьё"}}, {"yi", []string{"ьи"}}, {"l", []string{"ль"}},
}

// softTransliterations is transliterations of a Latin word with the soft
// signs of latToCyrSoft: a second try for a name whose plain spellings
// the articles do not write.
func softTransliterations(w string, limit int) []string {
	return transliterate(w, limit, true)
}

func transliterations(w string, limit int) []string {
	return transliterate(w, limit, false)
}

func transliterate(w string, limit int, soft bool) []string {
	var out []string
	seen := map[string]bool{}
	// Spellings branch at every letter, and a branch that ends in an
	// impossible Russian word emits nothing, so without a budget a word
	// such as "Ayyyyyyyyyyyyyyyyyyyyyyyyyyyyyya" takes exponential time (a
	// fuzzer found it hanging a search). Names are short: past
	// maxTranslitBytes or the step budget, no more spellings are tried.
	if len(w) > maxTranslitBytes {
		return nil
	}
	steps := 0
	emit := func(s string) bool {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
		return len(out) < limit
	}
	r, _ := utf8.DecodeRuneInString(w)
	switch {
	case unicode.Is(unicode.Cyrillic, r):
		var walk func(rest, acc string, first bool) bool
		walk = func(rest, acc string, first bool) bool {
			if steps++; steps > maxTranslitSteps {
				return false
			}
			if rest == "" {
				return emit(acc)
			}
			for _, e := range cyrEndings {
				if rest == e.cyr && !first {
					for _, l := range e.lat {
						if !walk("", acc+l, false) {
							return false
						}
					}
					return true
				}
			}
			c, n := utf8.DecodeRuneInString(rest)
			opts, ok := cyrToLat[c]
			if !ok {
				return true // not a Russian letter: no spelling
			}
			for _, l := range opts {
				if !walk(rest[n:], acc+l, false) {
					return false
				}
			}
			return true
		}
		walk(w, "", true)
	case r < utf8.RuneSelf && unicode.IsLetter(r):
		tables := [][]latCyr{latToCyr}
		if soft {
			tables = append(tables, latToCyrSoft) // last at each letter
		}
		var walk func(rest, acc string) bool
		walk = func(rest, acc string) bool {
			if steps++; steps > maxTranslitSteps {
				return false
			}
			if rest == "" {
				if impossibleRussian(acc) {
					return true
				}
				// Softened, only the spellings with a soft sign: the
				// others were the first try's.
				if (!soft || strings.ContainsRune(acc, 'ь')) && !emit(acc) {
					return false
				}
				if r, _ := utf8.DecodeLastRuneInString(acc); soft && strings.ContainsRune("бвдзлмнпрстфц", r) {
					return emit(acc + "ь")
				}
				return true
			}
			for _, rules := range tables {
				for _, p := range rules {
					if !strings.HasPrefix(rest, p.lat) {
						continue
					}
					for _, c := range p.cyr {
						if !walk(rest[len(p.lat):], acc+c) {
							return false
						}
					}
				}
			}
			return true
		}
		walk(w, "")
	}
	return out
}

// inflections returns the forms of a transliterated word to look up: the
// word, and for a Russian surname in -ов/-ев/-ин also its genitive. The
// Russian stemmer takes -ов for an ending (Лавров → лавр) but keeps it in
// the other cases (Лаврова → лавров), so the nominative's stem alone
// misses most mentions of the name.
func inflections(w string) []string {
	for _, end := range []string{"ов", "ев", "ёв", "ин", "ын"} {
		if strings.HasSuffix(w, end) {
			return []string{w, w + "а"}
		}
	}
	return []string{w}
}

// impossibleRussian reports spellings Russian does not have: й after a
// consonant (Tony → тонй, Zelensky → зеленскй), a soft sign first or
// after a vowel or й.
func impossibleRussian(w string) bool {
	prev := rune(0)
	for _, r := range w {
		if r == 'й' && prev != 0 && !strings.ContainsRune("аеёиоуыэюя", prev) {
			return true
		}
		if r == 'ь' && (prev == 0 || strings.ContainsRune("аеёиоуыэюяйь", prev)) {
			return true
		}
		prev = r
	}
	return false
}

// isHanName reports whether s is all Han characters, two or more.
func isHanName(s string) bool {
	n := 0
	for _, r := range s {
		if !unicode.Is(unicode.Han, r) {
			return false
		}
		n++
	}
	return n >= 2
}
