package index

import (
	"bytes"
	_ "embed"
	"encoding/binary"
	"iter"
	"maps"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/lang/ru"
	"github.com/blevesearch/bleve/v2/registry"
	bleveindex "github.com/blevesearch/bleve_index_api"
	porterstemmer "github.com/blevesearch/go-porterstemmer"
	"github.com/blevesearch/segment"
	"github.com/blevesearch/snowballstem"
	"github.com/blevesearch/snowballstem/russian"
)

// The analyzers in this file read one text and analyse every word by the
// rules of its own script, so mixed-language news ("the speech … заметно
// sobered up Tatarstan", "APEC会议") needs one field and one set of postings
// instead of one field per language:
//
//   - Latin: English possessive removed, elision stripped (l'économie →
//     économie), lower-cased, diacritics folded (é→e, ß→ss), English stop
//     words dropped, Porter stem.
//   - Cyrillic: lower-cased, ё→е, Russian stop words dropped, Russian
//     Snowball stem.
//   - Han and Kana: width-normalised, then overlapping character bigrams
//     (an isolated character is a unigram), as bleve's cjk analyzer does.
//   - Numbers: kept verbatim. Other scripts (Greek, Arabic, Hebrew, Hangul…):
//     lower-cased only.
//
// Conventions that query building depends on:
//
//   - Start/End are byte offsets into the original input; a term may differ
//     from input[Start:End] (stems, folding, possessives), never the offsets.
//   - Positions start at 1 and count every word the tokenizer saw. A
//     dropped stop word leaves a gap, as bleve's stop filter does, so phrase
//     queries analysed with the same analyzer line up.
//   - Every Han/Kana character takes one position; a bigram sits at the
//     position of its first character, so the last character of a run adds
//     an unused position. 中俄关系 gives 中俄, 俄关, 关系 at p, p+1, p+2 and
//     the next word is at p+4.

const (
	// analyzerName is the registered name of the full analyzer (stop words
	// removed, stems); title and body use it, at index and query time.
	analyzerName = "newsearch"
	// rawAnalyzerName is the registered name of the unstemmed analyzer with
	// no stop list, for the vocabulary field behind typo tolerance, prefix
	// completion and suggestions: those need the words as written, only
	// normalised (see foldTerm).
	rawAnalyzerName = "newsearch_raw"
)

// stemmedAnalyzer and rawAnalyzer are the two registered analyzers. They are
// built once and never modified (the pool inside only caches scratch
// buffers), so every index and every goroutine can share them.
var (
	stemmedAnalyzer = &scriptAnalyzer{
		rules: [numScripts]wordRules{
			scriptLatin:    {stop: englishStop, stem: appendPorterStem},
			scriptCyrillic: {stop: russianStop, stem: appendRussianStem, variant: appendSurnameVariant},
		},
		segmentHan:  bigrams,
		acronyms:    true,
		innerNames:  true,
		numberUnits: true,
	}
	rawAnalyzer = &scriptAnalyzer{segmentHan: bigrams}
)

// init registers both analyzers in bleve's registry. bleve mappings name
// analyzers by string (DefaultAnalyzer, FieldMapping.Analyzer,
// MatchQuery.Analyzer) and resolve the name through the global registry,
// which only init functions can fill before a mapping is validated; this is
// what bleve's own analysis/lang packages do. The constructors ignore their
// config and return the shared values.
func init() {
	mustRegister(analyzerName, stemmedAnalyzer)
	mustRegister(rawAnalyzerName, rawAnalyzer)
}

// mustRegister registers a under name; a duplicate name is a programming
// error caught at start-up, so it panics like bleve's own init functions.
func mustRegister(name string, a analysis.Analyzer) {
	err := registry.RegisterAnalyzer(name, func(map[string]interface{}, *registry.Cache) (analysis.Analyzer, error) {
		return a, nil
	})
	if err != nil {
		panic(err)
	}
}

// analyzeTerms returns the terms the newsearch analyzer produces for s
// (stemmed, stop words removed), in order; for tests, query building and
// debugging.
func analyzeTerms(s string) []string { return tokenTerms(stemmedAnalyzer.Analyze([]byte(s))) }

// analyzeRawTerms returns the words the newsearch_raw analyzer finds in s,
// in order: folded but unstemmed, stop words kept, and without the joined
// term of a compound (joinedWord), which stands at its first word's
// position: the words of Kassym-Jomart are kassym and jomart, whether
// typed whole or being typed (Kassym-J), and a name's spellings are
// matched word by word.
func analyzeRawTerms(s string) []string {
	return tokenTerms(slices.DeleteFunc(rawAnalyzer.Analyze([]byte(s)), isShingle))
}

// isShingle reports whether tok is a compound's joined term (joinedWord).
func isShingle(tok *analysis.Token) bool { return tok.Type == analysis.Shingle }

// tokenTerms copies the terms of ts into strings.
func tokenTerms(ts analysis.TokenStream) []string {
	terms := make([]string, len(ts))
	for i, t := range ts {
		terms[i] = string(t.Term)
	}
	return terms
}

// foldTerm lower-cases and folds one user-typed word the way the raw
// analyzer folds a word ("Minnik" → "minnik", "Ёлка" → "елка", "Économie" →
// "economie", "China's" → "china"), so that prefix and fuzzy queries can be
// run against the raw vocabulary, which bleve does not analyse for them. It
// does not split s into words and does not cut Han text into bigrams; a Han
// word comes back width-normalised only.
func foldTerm(s string) string {
	var st stream
	return string(st.foldWord([]byte(s)))
}

// stemTerm stems one folded term by the rules of its script ("cooperation"
// → "cooperat", "затрагивают" → "затрагива"); Han, numbers and other scripts
// come back unchanged. It does not drop stop words. The term is folded again
// first, which changes nothing for a folded term and makes it safe on
// unfolded input.
func stemTerm(s string) string {
	var st stream
	sc := st.fold([]byte(s))
	st.word = appendRunes(st.word[:0], st.runes)
	stem := stemmedAnalyzer.rules[sc].stem
	if stem == nil {
		return string(st.word)
	}
	return string(stem(nil, st.word, st.runes))
}

// script is what decides which rules analyse a word. Han and Kana are not
// here: ideographic text never reaches the word rules, it is cut into
// bigrams (scriptAnalyzer.segmentHan) instead.
type script uint8

const (
	scriptNumber   script = iota // no letters at all: "2026", "1,000.5"; kept verbatim
	scriptLatin                  // English rules (also French/Italian names in English news)
	scriptCyrillic               // Russian rules
	scriptOther                  // Greek, Arabic, Hebrew, Hangul, Devanagari…: lower-cased only
	numScripts
)

// wordRules are the language stages applied to one folded word of a script.
// Each is optional (nil skips it), so the raw analyzer is the same code with
// no rules. This table is the place to change relevance behaviour: swap the
// stop list or the stemmer of a script, or add a variant stage (Russian
// surnames, see appendSurnameVariant) that emits a second term at the same
// Position, which bleve treats as a synonym in phrases.
type wordRules struct {
	// stop reports whether word (folded, unstemmed) is a stop word. A dropped
	// word keeps its position, leaving a gap.
	stop func(word []byte) bool
	// stem appends the stem of word to dst and returns the extended slice,
	// in the style of strconv.Append*, so stems go straight into the term
	// arena. runes holds the same word decoded; stem may overwrite it.
	stem func(dst, word []byte, runes []rune) []byte
	// variant appends a second term for the word, indexed at the same
	// position as its stem, and returns the extended slice; it returns dst
	// unchanged when the word has none. seg is the word as written, word
	// folded, stem what stem produced.
	variant func(dst, seg, word, stem []byte) []byte
}

// englishStopWords is Lucene's EnglishAnalyzer default list (33 words)
// rather than the ~170-word Snowball list bleve's "en" uses. For news the
// long list removes words that carry meaning in queries and phrases: "who"
// (WHO), "up"/"down"/"out"/"off" (sobered up, stepped down), "over",
// "against", "after", "before", "between", "under", "more"; BM25's IDF
// already discounts the frequent words we keep. The cost is somewhat larger
// postings. Cranfield's reference BM25 baseline uses this list too.
var englishStopWords = wordSet(strings.Fields(`a an and are as at be but by for if
	in into is it no not of on or such that the their then there these they
	this to was will with`))

// russianStopWords is bleve's Russian (Snowball) list with ё folded to е,
// because words are folded before the stop check.
var russianStopWords = func() map[string]struct{} {
	m := analysis.NewTokenMap()
	if err := m.LoadBytes(ru.RussianStopWords); err != nil {
		panic(err) // LoadBytes reads from memory; it cannot fail
	}
	words := make([]string, 0, len(m))
	for w := range m {
		words = append(words, strings.ReplaceAll(w, "ё", "е"))
	}
	return wordSet(words)
}()

//go:embed data/indeclinable-ru.txt
var indeclinableRussian string

// russianIndeclinables are the words appendRussianStem keeps whole.
var russianIndeclinables = func() map[string]struct{} {
	var words []string
	for fields := range dataLines(indeclinableRussian) {
		words = append(words, fields...)
	}
	return wordSet(words)
}()

//go:embed data/stems-ru.txt
var stemsRussian string

// russianStems maps the forms of the words in data/stems-ru.txt, and of
// the names nameParadigms finds in the gazetteer, to one stem each, which
// appendRussianStem gives instead of Snowball's.
var russianStems = func() map[string]string {
	m := map[string]string{}
	for forms := range dataLines(stemsRussian) {
		for _, f := range forms {
			m[f] = forms[0]
		}
	}
	maps.Copy(m, nameParadigms(m))
	return m
}()

// dataLines yields the words of each line of an embedded data file that
// has any once its comment (from #) is cut.
func dataLines(text string) iter.Seq[[]string] {
	return func(yield func([]string) bool) {
		for line := range strings.Lines(text) {
			line, _, _ = strings.Cut(line, "#")
			if fields := strings.Fields(line); len(fields) > 0 && !yield(fields) {
				return
			}
		}
	}
}

// wordSet makes a set for stop-word lookups; m[string(b)] with a []byte key
// does not allocate.
func wordSet(words []string) map[string]struct{} {
	m := make(map[string]struct{}, len(words))
	for _, w := range words {
		m[w] = struct{}{}
	}
	return m
}

// englishStop and russianStop are the stop stages of the stemmed analyzer.
func englishStop(word []byte) bool { _, ok := englishStopWords[string(word)]; return ok }
func russianStop(word []byte) bool { _, ok := russianStopWords[string(word)]; return ok }

// appendPorterStem stems with the same Porter implementation as bleve's
// "en" analyzer, so stems match what other bleve users expect, but for
// the few words in porterExceptions, and British spellings, which it stems
// as the American ones (americanSpellings).
func appendPorterStem(dst, word []byte, runes []rune) []byte {
	// porterExceptions also holds each British spelling with its American
	// one's stem (britishspelling.go): one look-up for both.
	if stem, ok := porterExceptions[string(word)]; ok {
		return append(dst, stem...)
	}
	return appendRunes(dst, porterstemmer.StemWithoutLowerCasing(runes))
}

// splitFrom reports whether completion is a word porterExceptions took
// apart from word, which Porter stems alike: cooperation from Cooper,
// national from nation, news from new. A word typed whole does not
// complete to it: Cooper, as the page searches it, had found the 483
// articles on cooperation. Both are folded words.
func splitFrom(word, completion string) bool {
	if _, split := porterExceptions[completion]; !split {
		return false
	}
	return string(porterstemmer.StemWithoutLowerCasing([]rune(completion))) == string(porterstemmer.StemWithoutLowerCasing([]rune(word)))
}

// porterExceptions are the stems of words that Porter's algorithm makes
// one with a common word of another meaning, in a news archive above
// all: news is new (news matched 7,648 articles of the news corpora,
// most of them for new, and fake news put "new network" first),
// international internal, business busy, general generation and
// generous, united unit, relations related. The second block splits
// families whose members are common in news and mean different things
// (articles of English Reuters and BBC with each form): securities
// (1,763) from security (480) and secure, community (611) from
// communications (341), executive (946) from execution and executed,
// position (692) from positive (293), authorities (290) and authority
// from author, university from universal, experiment from experience,
// organisation from organ and organic (the British spelling, which
// Porter stems to organis, joins the American one), fertilizer from
// fertility and fertile (fertilizer found the articles on IVF). The third block
// comes from grouping the words of those articles by Porter's stem: the
// pairs that met there mean different things (imports and important,
// accord and according, France and francs, future and futures, good and
// goods, major and majority, like and likely, several and severe,
// response and responsible, common and Commons, emerge and emergency,
// customers and customs, consider and considerable, respect and
// respectively, engine and engineer, initial and initiative, expense
// and expensive, aid and aide, even and evening, nominate and nominal,
// inform and informal, terminate and terminal, quit and quite, extend
// and extensive, consist and consistent, rate and rating, office and
// officer, state and stated, interest and interested or interesting).
// The fourth block came from searching the news corpora as a reader
// would: universe ranked Universal Resources first, capitalism met
// capital (its first article with the word at 1,342 of 1,529), generic
// generation and generous, hospitality hospital, animation animal, communism
// communications, minerals miners, organic organ,
// conservative (the party) conservation, conversation conversion; and
// Porter stems gas to ga but gases to gase. The fifth came from an
// audit of the API: Cooper (a name) found the 483 articles of
// cooperation, ranking "CO-OPERATIVE <COBK.O> COMPLETES ACQUISITION"
// first, and united nations found "United National Bank of Callicoon".
// The sixth came from an audit of English search: Porter stems use,
// used and useful to us, so a search for us (the country, typed in lower
// case) marked "use of fertilizers". Their other forms keep Porter's
// stems: internationally is already internation.
var porterExceptions = map[string]string{
	"use":            "use",
	"uses":           "use",
	"used":           "use",
	"using":          "use",
	"useful":         "use",
	"usefulness":     "use",
	"news":           "news",
	"international":  "internation",
	"internationals": "internation",
	"business":       "business",
	"businesses":     "business",
	"general":        "general",
	"generals":       "general",
	"united":         "united",
	"relation":       "relation",
	"relations":      "relation",

	"securities":     "securities",
	"community":      "community",
	"communities":    "community",
	"executive":      "executive",
	"executives":     "executive",
	"position":       "position",
	"positions":      "position",
	"positioned":     "position",
	"positioning":    "position",
	"positional":     "position",
	"authority":      "authority",
	"authorities":    "authority",
	"authorize":      "authoriz",
	"authorizes":     "authoriz",
	"authorized":     "authoriz",
	"authorizing":    "authoriz",
	"authorization":  "authoriz",
	"authorizations": "authoriz",
	"authorise":      "authoriz",
	"authorises":     "authoriz",
	"authorised":     "authoriz",
	"authorising":    "authoriz",
	"authorisation":  "authoriz",
	"authorisations": "authoriz",
	"university":     "university",
	"universities":   "university",
	"experiment":     "experiment",
	"experiments":    "experiment",
	"experimented":   "experiment",
	"experimenting":  "experiment",
	"organization":   "organiz",
	"organizations":  "organiz",
	"organisation":   "organiz",
	"organisations":  "organiz",
	"organize":       "organiz",
	"organizes":      "organiz",
	"organized":      "organiz",
	"organizing":     "organiz",
	"organizer":      "organiz",
	"organizers":     "organiz",
	"organise":       "organiz",
	"organises":      "organiz",
	"organised":      "organiz",
	"organising":     "organiz",
	"organiser":      "organiz",
	"organisers":     "organiz",
	"organisational": "organiz",
	"fertilizer":     "fertiliz",
	"fertilizers":    "fertiliz",
	"fertiliser":     "fertiliz",
	"fertilisers":    "fertiliz",
	"fertilize":      "fertiliz",
	"fertilizes":     "fertiliz",
	"fertilized":     "fertiliz",
	"fertilizing":    "fertiliz",
	"fertilise":      "fertiliz",
	"fertilises":     "fertiliz",
	"fertilised":     "fertiliz",
	"fertilising":    "fertiliz",

	"important":        "importan",
	"importance":       "importan",
	"unimportant":      "unimportan",
	"according":        "according",
	"accordingly":      "according",
	"france":           "france",
	"futures":          "futures",
	"goods":            "goods",
	"majority":         "majority",
	"majorities":       "majority",
	"likely":           "likely",
	"unlikely":         "unlikely",
	"severe":           "severe",
	"severely":         "severe",
	"severity":         "severe",
	"responsible":      "responsib",
	"responsibility":   "responsib",
	"responsibilities": "responsib",
	"commons":          "commons",
	"emergency":        "emergency",
	"emergencies":      "emergency",
	"customs":          "customs",
	"considerable":     "considerabl",
	"considerably":     "considerabl",
	"respectively":     "respectively",
	"engineer":         "engineer",
	"engineers":        "engineer",
	"engineering":      "engineer",
	"engineered":       "engineer",
	"initiative":       "initiative",
	"initiatives":      "initiative",
	"expensive":        "expensive",
	"aide":             "aide",
	"aides":            "aide",
	"evening":          "evening",
	"evenings":         "evening",
	"nominal":          "nominal",
	"nominally":        "nominal",
	"informal":         "informal",
	"informally":       "informal",
	"terminal":         "terminal",
	"terminals":        "terminal",
	"quite":            "quite",
	"extensive":        "extensive",
	"extensively":      "extensive",
	"consistent":       "consistent",
	"consistently":     "consistent",
	"rating":           "rating",
	"ratings":          "rating",
	"rated":            "rating",
	"officer":          "officer",
	"officers":         "officer",
	"stated":           "stated",
	"interested":       "interested",
	"interesting":      "interesting",
	"interestingly":    "interesting",

	"universe":      "universe",
	"universes":     "universe",
	"generic":       "generic",
	"generics":      "generic",
	"generous":      "generous",
	"generously":    "generous",
	"generosity":    "generous",
	"capitalism":    "capitalist",
	"hospitality":   "hospitality",
	"animation":     "animation",
	"animations":    "animation",
	"animated":      "animation",
	"animator":      "animation",
	"animators":     "animation",
	"gas":           "gas",
	"gases":         "gas",
	"gasses":        "gas",
	"communism":     "communist",
	"mineral":       "mineral",
	"minerals":      "mineral",
	"organic":       "organic",
	"organically":   "organic",
	"conservative":  "conservative",
	"conservatives": "conservative",
	"conservatism":  "conservative",
	"conversation":  "conversation",
	"conversations": "conversation",

	"cooperate":     "cooperat",
	"cooperates":    "cooperat",
	"cooperated":    "cooperat",
	"cooperating":   "cooperat",
	"cooperation":   "cooperat",
	"cooperative":   "cooperat",
	"cooperatives":  "cooperat",
	"cooperatively": "cooperat",
	"national":      "national",
	"nationally":    "national",
	"nationals":     "national",
	// A surname Porter reads as a plural: Roland Dumas, France's
	// foreign minister, had ranked first for Duma (the Russian
	// parliament, which the names table also finds as Госдума).
	"dumas": "dumas",
	// Names Porter stems into a common word, or a common word into a
	// name, found by the English audit on Reuters and BBC: Downing (48
	// articles) found the 1,771 with down and ranked the first Downing
	// Street 75th; Providence provide; Harding hard; Manning man; Costas
	// Costa Rica; Yukos Yuko; Federer federal; Philips Prince Philip.
	// mobile and mobility stemmed to Mobil (39 articles), whose first was
	// 12th under mobile phones; so did Lucente to Lucent, Athlone to
	// Athlon, Baptiste to Baptist, analogy to Analog Devices, arsenic to
	// Arsenal. Their own forms are rare enough as common words (downing
	// and manning in 2 and 3 articles) to go apart with the name.
	"downing":    "downing",
	"providence": "providence",
	"harding":    "harding",
	"manning":    "manning",
	"costas":     "costas",
	"yukos":      "yukos",
	"federer":    "federer",
	"philips":    "philips",
	"mobile":     "mobile",
	"mobiles":    "mobile",
	"mobility":   "mobility",
	"lucente":    "lucente",
	"athlone":    "athlone",
	"baptiste":   "baptiste",
	"analogy":    "analogy",
	"analogies":  "analogy",
	"arsenic":    "arsenic",
}

// appendRussianStem stems with the Snowball Russian stemmer bleve's "ru"
// analyzer uses. Our input is already ё-folded, which stock "ru" misses.
// The words of data/indeclinable-ru.txt stay whole: Snowball stems Токио
// to ток, as it does током and токен, and Мали to мал, as мало. The
// forms of the names in data/stems-ru.txt stem to the name: Snowball
// stems Грузия to груз, as груза (cargo), and Ханой to хан (khan).
func appendRussianStem(dst, word []byte, _ []rune) []byte {
	if _, ok := russianIndeclinables[string(word)]; ok {
		return append(dst, word...)
	}
	if stem, ok := russianStems[string(word)]; ok {
		return append(dst, stem...)
	}
	env := snowballstem.NewEnv(string(word))
	russian.Stem(env)
	stem := env.Current()
	if n := len(stem) + len("н"); strings.HasSuffix(stem, "н") && len(word) >= n &&
		string(word[len(stem):n]) == "н" && string(word[:len(stem)]) == stem {
		if _, ok := russianDoubleN[string(word[:n])]; ok {
			return append(dst, word[:n]...)
		}
	}
	return append(dst, stem...)
}

// russianDoubleN are the stems that keep the double н Snowball's last
// step undoes, because the undoubled stem is a common word of another
// meaning (the words are from the Russian news corpus): странный
// (strange) met страна (country, in 1,218 articles), данные (data, in
// 2,287) Дания and Даниил, именно (precisely) имени (name), ценный and
// ценные бумаги (securities) цена (price), совершенно (completely)
// совершение (committing), колонна (column) колония (colony), тонна
// (tonne) тон (tone), винный (wine) вина (guilt), Анна ан, ванная (bath)
// Ван. The other -нн- words keep Snowball's stem, which is often what a
// reader wants: телефонный with телефон, сезонный with сезон.
var russianDoubleN = map[string]struct{}{
	"странн": {}, "данн": {}, "именн": {}, "ценн": {}, "совершенн": {},
	"колонн": {}, "тонн": {}, "винн": {}, "анн": {}, "ванн": {},
	"ранн": {}, // ранний (early), with ранее and рано (data/stems-ru.txt), not ранены (wounded)
	"инн":  {}, // ИНН (tax number), Инна, not иной, иные
}

// appendSurnameVariant gives Russian surnames in -ов/-ев one term across
// their cases. Snowball reads the -ов of a nominative Лавров as a genitive
// plural ending (городов → город) and stems it to лавр (Воробьев to
// вороб), while Лаврова, Лаврову, Лавровым and Лавровой keep the suffix:
// лавров. Stripping -ов from every stem would be wrong for common words
// (годовой → годов would meet год, правовой → прав, условие → усл), so
// only a capitalised word, as names are written, gets the other form as a
// second term: Лавров indexes лавр and лавров, Лаврова indexes лавров and
// лавр (the stem's own stem). A capitalised query searches the -ов form
// alone (see termQuery), which every case of the name indexes and which
// Ростов's other stem, рост ("growth"), does not; a lower-case query keeps
// its one Snowball stem, which is also among every case's terms. Surnames
// in -ин need nothing: Snowball stems Путин, Путина, Путину, Путиным to
// путин. The cost is a second term for capitalised -ов/-ев words (surnames,
// places, sentence-initial words).
func appendSurnameVariant(dst, seg, word, stem []byte) []byte {
	first, n := utf8.DecodeRune(seg)
	second, _ := utf8.DecodeRune(seg[n:])
	if !unicode.IsUpper(first) || !unicode.IsLower(second) {
		return dst // lower-case word or an abbreviation (СССР, МИД)
	}
	root := len(word) - len("ов")
	switch {
	case hasOvSuffix(word) && len(stem) <= root && string(word[:len(stem)]) == string(stem):
		// Лавров: Snowball took the suffix (and maybe ь or и before it).
		if utf8.RuneCount(word[:root]) >= surnameMinRoot {
			return append(dst, word...)
		}
	case hasOvSuffix(stem) && utf8.RuneCount(stem) >= surnameMinRoot+2:
		// Лаврова: the suffix survived; add what the nominative stems to.
		mark := len(dst)
		dst = appendRussianStem(dst, stem, nil)
		if string(dst[mark:]) == string(stem) {
			return dst[:mark]
		}
	}
	return dst
}

// surnameMinRoot is the fewest runes before the -ов or -ев of a word that
// appendSurnameVariant takes for a surname: not Лев, Зов, Ков or Киев.
const surnameMinRoot = 3

// upperFirst reports whether b starts with an upper-case letter, as a
// word must for appendSurnameVariant or casedName to add a term.
func upperFirst(b []byte) bool {
	r, _ := utf8.DecodeRune(b)
	return unicode.IsUpper(r)
}

// hasOvSuffix reports whether a folded Cyrillic word ends in -ов or -ев
// (ё is already folded to е).
func hasOvSuffix(b []byte) bool {
	return len(b) >= 4 && (string(b[len(b)-4:]) == "ов" || string(b[len(b)-4:]) == "ев")
}

// scriptAnalyzer is a bleve analysis.Analyzer that segments text into words
// (Unicode UAX #29, the same segments as bleve's unicode tokenizer), folds
// each word, and applies the rules of the word's script. It is one pass over
// the segmenter output with no chain of generic filters, because it runs on
// the indexing hot path for every title and body.
type scriptAnalyzer struct {
	// rules are the language stages per script; with none set the
	// analyzer is raw (folding only).
	rules [numScripts]wordRules
	// segmentHan cuts one run of adjacent Han/Kana characters into terms:
	// it appends to dst the spans of the run to index and returns dst.
	// bigrams is the default; a dictionary segmenter (e.g. gse words) can
	// replace it without touching the rest, since it sees whole runs with
	// their characters, offsets and positions.
	segmentHan func(dst []hanSpan, run []hanChar) []hanSpan
	// acronyms indexes words in capitals in text of mixed case also as
	// acronym terms (acronym.go), and the names of casedStems also with a
	// capital (casedname.go).
	acronyms bool
	// innerNames indexes the bigrams of a Chinese name inside a longer
	// name that does not mean it as terms of their own (haninside.go).
	innerNames bool
	// numberUnits indexes the first character of a Han run written
	// right after a digit also alone, marked (numberUnitMark), when the
	// index counts a field's terms.
	numberUnits bool
	// pool caches scratch buffers between calls; bleve analyses many
	// fields concurrently and each call needs its own.
	pool sync.Pool
}

// maxPooledSegments bounds the scratch kept for reuse, so one huge document
// does not pin megabytes of segment slices in the pool.
const maxPooledSegments = 1 << 14

// Analyze implements analysis.Analyzer.
func (a *scriptAnalyzer) Analyze(input []byte) analysis.TokenStream {
	return a.run(input, nil)
}

// eachTerm calls visit with the term of every token Analyze returns for
// input, in order, without building the tokens: a build counts its
// articles' words this way (vocab.go). A term is valid during its call
// only.
func (a *scriptAnalyzer) eachTerm(input []byte, visit func(term []byte)) {
	a.run(input, visit)
}

// eachSpan calls at with the byte span and position of the tokens Analyze
// returns for input, in order, from position from on, without folding or
// stemming: a word's span is its whole segment, a Han term's its
// characters. Two tokens at one position (a surname's two stems) have the
// same span. at returns the next position it wants: the tokens before it
// are skipped, and with 0 eachSpan stops. The index keeps positions but
// not offsets (sizedText), so highlighting finds a match's bytes through
// its position here.
func (a *scriptAnalyzer) eachSpan(input []byte, from int, at func(start, end, pos int) (next int)) {
	if from > 0 {
		a.analyze(input, nil, nil, at, from, nil)
	}
}

// frequencies analyses input into the token frequencies bleve indexes, as
// packPositions(analysis.TokenFrequency(Analyze(input))) gives them, and
// the number of tokens, without building the tokens (freqs.go). raw, when
// set, also takes the terms rawAnalyzer gives for input, in order, as it
// goes, though a word of a stemmed script only the first time: a build
// counts the articles that have each word (vocab.go) in the analysis that
// indexes them, instead of in a second pass over the text. A raw term is
// valid during its call only.
func (a *scriptAnalyzer) frequencies(input []byte, raw func(term []byte)) (bleveindex.TokenFrequencies, int) {
	b := newFreqBuilder(len(input))
	a.analyze(input, nil, raw, nil, 0, b)
	return b.freqs, b.length
}

// run analyses input into tokens, or, with visit, hands visit the terms.
func (a *scriptAnalyzer) run(input []byte, visit func(term []byte)) analysis.TokenStream {
	return a.analyze(input, visit, nil, nil, 0, nil)
}

// analyze is run, eachSpan with at and from, or frequencies with fb (and
// raw).
func (a *scriptAnalyzer) analyze(input []byte, visit, raw func(term []byte), at func(start, end, pos int) int, from int, fb *freqBuilder) analysis.TokenStream {
	sc, _ := a.pool.Get().(*scratch)
	if sc == nil {
		sc = new(scratch)
	}
	// The stream lives on the stack: its fields change for every word,
	// and stores into a heap object would each cost a GC write barrier.
	s := stream{input: input, scratch: *sc, visit: visit, raw: raw, at: at, want: from}
	s.field++
	switch {
	case at != nil:
		// Spans only: no tokens, no terms.
	case fb != nil:
		s.freq, fb.tokens = fb, s.tokens[:0]
	case visit == nil:
		s.out = make(analysis.TokenStream, 0, len(input)/7+1)
	default:
		// Terms are consumed at once, so the arena can start where the
		// last call's did; one call never overwrites its own terms.
		s.arena = s.terms[:0]
	}
	pos := 0 // position of the last word seen
	s.segmenter.words(input, func(word []byte, start, typ int) bool {
		if s.at != nil && pos+1 < s.want && typ != segment.Ideo && typ != segment.Kana && len(s.run) == 0 {
			pos++ // a word before the span wanted: only counted
			return true
		}
		pos = a.segment(&s, word, start, pos, typ)
		return !s.stopped
	})
	if s.stopped {
		s.run, s.runBytes, s.innerName = s.run[:0], s.runBytes[:0], false // what flushHan leaves
	} else {
		a.flushHan(&s)
	}
	if fb != nil {
		fb.finish()
		s.tokens = fb.tokens
	}
	if cap(s.segmenter.segs) <= maxPooledSegments {
		if visit != nil && cap(s.arena) <= maxPooledTerms {
			s.terms = s.arena[:0]
		}
		if cap(s.tokens) > maxPooledSegments {
			s.tokens = nil
		}
		*sc = s.scratch
		a.pool.Put(sc)
	}
	return s.out
}

// maxPooledTerms bounds the term arena eachTerm keeps for reuse.
const maxPooledTerms = 256 << 10

// wordSegmenter finds words by the Unicode word-boundary rules (UAX #29,
// Unicode 8 as in github.com/blevesearch/segment), giving exactly the words,
// offsets and types bleve's unicode tokenizer gives. Runs of ASCII are
// segmented here directly, since the segment package's generic state
// machine costs most of the analysis time on English text (about 30 MB/s
// here); everything else goes to segment. The fields are scratch reused
// across calls.
type wordSegmenter struct {
	segs  [][]byte
	types []int
	wide  []byte // the text with its full-width digits replaced (segment)
}

// words calls word for every word of input (segments of type None, such as
// spaces and punctuation, are skipped), in order, with its byte offset and
// segment type (segment.Letter, Number, Kana or Ideo).
//
// The text is cut only where a break is certain whatever surrounds it:
// after an ASCII character of word-break class Other (space, most
// punctuation) and before an ASCII byte or a letter. ASCII pieces between
// such cuts are segmented by asciiWords, the rest by segment. When word
// returns false, words stops.
func (ws *wordSegmenter) words(input []byte, word func(w []byte, start, typ int) bool) {
	for i := 0; i < len(input); {
		j := i + indexNonASCII(input[i:])
		if j == len(input) {
			asciiWords(input, i, j, word)
			return
		}
		c := lastCut(input, i, j)
		if !asciiWords(input, i, c, word) {
			return
		}
		k := nextCut(input, j)
		if !ws.segment(input, c, k, word) {
			return
		}
		i = k
	}
}

// segment runs the segment package on input[from:to], which starts and
// ends at certain word breaks. It returns false when word did.
//
// Full-width digits (０–９, U+FF10–FF19, which Chinese input methods type)
// are no Numeric characters to UAX #29, which so dropped them: Ｇ２０ was
// the letter g. The segmenter reads them as Devanagari digits, as long in
// UTF-8, so that they join a word as digits do, and the words keep the
// input's bytes, which fold makes ASCII.
func (ws *wordSegmenter) segment(input []byte, from, to int, word func(w []byte, start, typ int) bool) bool {
	text := input
	if hasWideDigit(input[from:to]) {
		ws.wide = append(ws.wide[:0], input...)
		devanagariDigits(ws.wide, from, to)
		text = ws.wide
	}
	more := true
	for off := from; off < to && more; {
		vals, types, n, _ := segment.SegmentWordsDirect(text[off:to], ws.segs[:0], ws.types[:0])
		ws.segs, ws.types = vals, types
		start := off
		for i, seg := range vals {
			seg = input[start : start+len(seg)]
			if types[i] != segment.None && !word(seg, start, types[i]) {
				more = false
				break
			}
			start += len(seg)
		}
		off += n
		if n == 0 {
			// The segmenter stalls, without an error, on a Han or Kana
			// character followed by invalid UTF-8 ("议\xff"); bleve's
			// tokenizer then drops the rest of the text. Take one rune
			// ourselves and carry on.
			r, size := utf8.DecodeRune(input[off:to])
			if typ := runeSegmentType(r); typ != segment.None {
				more = word(input[off:off+size], off, typ)
			}
			off += size
		}
	}
	clear(ws.segs) // they point into input; do not keep it alive in the pool
	return more
}

// hasWideDigit reports whether b holds a full-width digit (U+FF10–FF19).
func hasWideDigit(b []byte) bool {
	for {
		i := bytes.Index(b, []byte{0xEF, 0xBC})
		if i < 0 {
			return false
		}
		if wideDigitAt(b, i) {
			return true
		}
		b = b[i+2:]
	}
}

// devanagariDigits rewrites the full-width digits of b[from:to] as
// Devanagari ones, as long in UTF-8: U+FF10+k (EF BC 90+k) becomes
// U+0966+k (E0 A5 A6+k).
func devanagariDigits(b []byte, from, to int) {
	for i := from; i+2 < to; i++ {
		if wideDigitAt(b, i) {
			b[i], b[i+1], b[i+2] = 0xE0, 0xA5, 0xA6+b[i+2]-0x90
			i += 2
		}
	}
}

// wideDigitAt reports whether b holds a full-width digit (U+FF10–FF19,
// EF BC 90–99 in UTF-8) at byte i.
func wideDigitAt(b []byte, i int) bool {
	return i >= 0 && i+2 < len(b) && b[i] == 0xEF && b[i+1] == 0xBC && b[i+2] >= 0x90 && b[i+2] <= 0x99
}

// narrowASCII returns the ASCII character a full-width one (U+FF01–FF5E)
// stands for, and any other r as it is.
func narrowASCII(r rune) rune {
	if r >= 0xFF01 && r <= 0xFF5E {
		return r - 0xFEE0
	}
	return r
}

// Word-break classes of ASCII bytes (UAX #29, Unicode 8).
const (
	wbOther        = iota // breaks on both sides: a safe place to cut
	wbLetter              // A-Z a-z
	wbNumeric             // 0-9
	wbExtendNumLet        // _
	wbMidLetter           // :
	wbMidNumLet           // . and ' (Single_Quote acts the same for ASCII)
	wbMidNum              // , ;
	wbJoiner              // " (Double_Quote: joins Hebrew letters), never cut after
)

// asciiClass maps an ASCII byte to its word-break class.
var asciiClass = func() (t [utf8.RuneSelf]uint8) {
	for c := 'a'; c <= 'z'; c++ {
		t[c], t[c-'a'+'A'] = wbLetter, wbLetter
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = wbNumeric
	}
	t['_'] = wbExtendNumLet
	t[':'] = wbMidLetter
	t['.'], t['\''] = wbMidNumLet, wbMidNumLet
	t[','], t[';'] = wbMidNum, wbMidNum
	t['"'] = wbJoiner
	return t
}()

// isWordClass reports whether ASCII class cl starts or continues a word
// (WB5, WB8–WB10, WB13a/b join any two of them).
func isWordClass(cl uint8) bool {
	return cl == wbLetter || cl == wbNumeric || cl == wbExtendNumLet
}

// asciiWords segments input[from:to], which is ASCII and bounded by certain
// breaks, by the UAX #29 rules that apply to ASCII: letters, digits and _
// join (WB5, WB8–WB10, WB13a/b); : . ' join two letters (WB6/7); , ; . '
// join two digits (WB11/12). A word is segment.Letter if it has a letter,
// else Number if it has a digit, else Letter ("_"), as segment types them.
func asciiWords(input []byte, from, to int, word func(w []byte, start, typ int) bool) bool {
	for p := from; p < to; {
		cl := asciiClass[input[p]]
		if !isWordClass(cl) {
			p++
			continue
		}
		start := p
		var letters, digits bool
		for {
			letters = letters || cl == wbLetter
			digits = digits || cl == wbNumeric
			last := cl
			p++
			if p == to {
				break
			}
			cl = asciiClass[input[p]]
			if isWordClass(cl) {
				continue
			}
			if p+1 < to {
				next := asciiClass[input[p+1]]
				if last == wbLetter && next == wbLetter && (cl == wbMidLetter || cl == wbMidNumLet) ||
					last == wbNumeric && next == wbNumeric && (cl == wbMidNum || cl == wbMidNumLet) {
					p++
					cl = next
					continue
				}
			}
			break
		}
		typ := segment.Letter
		if digits && !letters {
			typ = segment.Number
		}
		if !word(input[start:p], start, typ) {
			return false
		}
	}
	return true
}

// indexNonASCII returns the index of the first byte >= 0x80 in b, or len(b).
func indexNonASCII(b []byte) int {
	i := 0
	for ; i+8 <= len(b); i += 8 {
		if binary.LittleEndian.Uint64(b[i:])&0x8080808080808080 != 0 {
			break
		}
	}
	for ; i < len(b); i++ {
		if b[i] >= utf8.RuneSelf {
			return i
		}
	}
	return i
}

// lastCut returns the last certain break c in (from, j], where input[from:j]
// is ASCII and input[j] is not: input[c-1] is of class Other and input[c] is
// ASCII or a letter. No word spans such a cut, since input[c-1] breaks on
// both sides, so segmenting the two sides separately finds the same words
// (requiring a letter at j is conservative; the parity tests and the fuzz
// target check the whole scheme against segment). It returns from, itself
// a cut, if there is none.
func lastCut(input []byte, from, j int) int {
	for c := j; c > from; c-- {
		if asciiClass[input[c-1]] == wbOther {
			if c < j {
				return c
			}
			if r, _ := utf8.DecodeRune(input[j:]); unicode.IsLetter(r) {
				return c
			}
		}
	}
	return from
}

// nextCut returns the first certain break after j at which ASCII text
// resumes: input[k-1] is ASCII of class Other and input[k] is ASCII; or
// len(input).
func nextCut(input []byte, j int) int {
	for k := j + 1; k < len(input); k++ {
		if input[k] < utf8.RuneSelf && input[k-1] < utf8.RuneSelf && asciiClass[input[k-1]] == wbOther {
			return k
		}
	}
	return len(input)
}

// runeSegmentType classifies a single rune the way the segmenter would.
func runeSegmentType(r rune) int {
	switch {
	case unicode.In(r, unicode.Han, unicode.Hiragana):
		return segment.Ideo
	case unicode.Is(unicode.Katakana, r):
		return segment.Kana
	case unicode.IsLetter(r):
		return segment.Letter
	case unicode.IsDigit(r):
		return segment.Number
	}
	return segment.None
}

// segment handles one segment starting at byte start; pos is the position of
// the previous word and the result the position of the last one used.
func (a *scriptAnalyzer) segment(s *stream, seg []byte, start, pos, typ int) int {
	switch typ {
	case segment.None:
		return pos
	case segment.Ideo, segment.Kana:
		return a.ideographic(s, seg, start, pos+1)
	}
	a.flushHan(s)
	a.word(s, seg, start, pos+1, typ == segment.Number)
	if s.at != nil {
		return pos + 1 // spans: a joined word has its first word's span
	}
	if typ != segment.Number && bytes.IndexByte(seg, '.') > 0 {
		a.dottedParts(s, seg, start, pos+1)
	}
	if next := joinable(s.input, start, len(seg)); next > 0 {
		// Wi-Fi also indexes wifi, at Wi's position and with its span,
		// so that wifi finds it, and Wi-Fi the articles that write WiFi
		// (wordQuery).
		end := start + len(seg)
		s.joined = append(append(s.joined[:0], seg...), s.input[end+1:next]...)
		a.joinedWord(s, s.joined, start, end, pos+1)
	}
	if name := wholeNameAt(s.input, start, len(seg)); name.next > 0 {
		// AT&T also indexes at&t, as Wi-Fi does wifi; S and P, as
		// Reuters wrote S&P, s&p; C++ c++.
		s.emitWholeName(name, start, start+len(seg), pos+1)
	}
	return pos + 1
}

// languageJoinable returns the end of a programming language's name of
// one letter and ++ or # (C++, C#, F#) that starts at input[start], whose
// letter is input[start:start+n], and 0 otherwise. Split, they were the
// letter alone: on the news corpora C++ found 551 articles, on the C
// language and any other c first.
func languageJoinable(input []byte, start, n int) int {
	end := start + n
	if n != 1 || !isASCIILetter(input[start]) || end >= len(input) {
		return 0
	}
	next := end
	switch {
	case bytes.HasPrefix(input[end:], []byte("++")):
		next += 2
	case input[end] == '#':
		next++
	default:
		return 0
	}
	if start > 0 && (isASCIIAlnum(input[start-1]) || strings.IndexByte("#+-./@_&", input[start-1]) >= 0) {
		return 0
	}
	if next < len(input) && (isASCIIAlnum(input[next]) || strings.IndexByte("#+_@&", input[next]) >= 0) {
		return 0
	}
	return next
}

// wholeName is a name the index also has whole (AT&T, S and P, C++),
// begun by a word (wholeNameAt).
type wholeName struct {
	next       int                           // the end of its last word; 0: no name
	appendTerm func(dst, name []byte) []byte // writes its term (at&t, s&p, c++)
	typ        analysis.TokenType            // Shingle: a compound's joined term (wordQuery); else a variant of the first word
}

// wholeNameAt returns the name the word input[start:start+n] begins, when
// the index has it whole: letters joined by & or / (ampersandJoinable:
// AT&T, S/P), written with and (andJoinable: S and P, a variant at S's
// position, since the and between them is a stop word, not a compound's
// hyphen), or a language with ++ or # (languageJoinable: C++, a variant
// at c's position, which the query C++ searches as wordTerm takes the
// longer term). Most words are followed by none of these, or are no
// capitals, and cost a comparison or two: the analyzer asks for every
// word, the highlighter for every marked one.
func wholeNameAt(input []byte, start, n int) wholeName {
	end := start + n
	if end >= len(input) {
		return wholeName{}
	}
	switch input[end] {
	case '&', '/':
		if next := ampersandJoinable(input, start, n); next > 0 {
			return wholeName{next, appendAmpersandName, analysis.Shingle}
		}
	case ' ':
		if n > maxAndLetters || !isASCIIUpper(input[start]) {
			break // most words: not one or two capitals
		}
		if next := andJoinable(input, start, n); next > 0 {
			return wholeName{next, appendAndName, analysis.AlphaNumeric}
		}
	case '+', '#':
		if next := languageJoinable(input, start, n); next > 0 {
			return wholeName{next, appendLowerASCII, analysis.AlphaNumeric}
		}
	}
	return wholeName{}
}

// term returns name's term, name starting at input[start].
func (name wholeName) term(input []byte, start int) []byte {
	return name.appendTerm(nil, input[start:name.next])
}

// emitWholeName indexes name, which starts at input[start], at the
// position and with the span of its first word (start:end).
func (s *stream) emitWholeName(name wholeName, start, end, pos int) {
	s.reserve(name.next-start, start)
	mark := len(s.arena)
	s.arena = name.appendTerm(s.arena, s.input[start:name.next])
	if s.raw != nil {
		s.raw(s.arena[mark:])
	}
	s.emitFrom(mark, start, end, pos, name.typ)
}

// Names of letters joined by an ampersand (AT&T, S&P, R&D, M&A, Q&A,
// P&G, H&M) are also indexed whole, ampersand and all (at&t), as Lucene's
// classic tokenizer keeps them: split, AT&T was the stop word at and the
// letter t, and found T-Mobile first on the news corpora, and R&D the
// letters r and d. The ampersand keeps the term apart from words its
// letters spell (M&S is not Ms, R&D not Rd). Reuters' wire of 1987 had no
// ampersand and wrote S/P, R/D, A/W and S/L: a capital letter, a slash and
// another is the same name (s&p), so that S&P finds Reuters' 160 articles
// on Standard and Poor's ratings.
const maxAmpersandLetters = 3

// ampersandJoinable returns the end of the second word when
// input[start:start+n], a word of one to maxAmpersandLetters ASCII letters,
// is joined by an ampersand to another such word, neither part of a longer
// chain (A&B&C) or compound; a possessive may follow (M&S’s). It returns
// 0 otherwise.
func ampersandJoinable(input []byte, start, n int) int {
	end := start + n
	if n > maxAmpersandLetters || end+1 >= len(input) || !allASCIILetters(input[start:end]) {
		return 0
	}
	switch input[end] {
	case '&':
	case '/':
		// S/P: one capital letter on each side.
		if n != 1 || !isASCIIUpper(input[start]) || !isASCIIUpper(input[end+1]) || end+2 < len(input) && isASCIILetter(input[end+2]) {
			return 0
		}
	default:
		return 0
	}
	if start > 0 && (isASCIIAlnum(input[start-1]) || strings.IndexByte("&-./@_", input[start-1]) >= 0) {
		return 0
	}
	next := end + 1
	for next < len(input) && isASCIILetter(input[next]) {
		next++
	}
	if k := next - end - 1; k == 0 || k > maxAmpersandLetters {
		return 0
	}
	if next < len(input) && !bytes.HasPrefix(input[next:], []byte("’")) {
		c := input[next]
		if c >= utf8.RuneSelf && !ideographAt(input, next) || c == '_' || c == '@' || c == '&' || isASCIIAlnum(c) ||
			(c == '-' || c == '.' || c == '/') && next+1 < len(input) && isASCIIAlnum(input[next+1]) {
			return 0
		}
	}
	return next
}

// maxAndLetters bounds each side of a name written with "and" (S and P,
// AT and T): Reuters' 1987 wire wrote S&P so 191 times, AT&T 10 times,
// P&O 6 times (andJoinable).
const maxAndLetters = 2

// andJoinable returns the end of the second word when input[start:start+n],
// one or two capital letters, is followed by " and " (or " AND ") and one
// or two more capitals, a word of their own; it returns 0 otherwise. The
// name is indexed as if written with an ampersand, so that S&P finds the
// Reuters articles that write S and P. A pair that names nothing (class A
// and B shares) only adds a term no search of words looks for.
func andJoinable(input []byte, start, n int) int {
	end := start + n
	if n > maxAndLetters || !allASCIIUpper(input[start:end]) {
		return 0
	}
	rest := input[end:]
	if !bytes.HasPrefix(rest, []byte(" and ")) && !bytes.HasPrefix(rest, []byte(" AND ")) {
		return 0
	}
	if start > 0 && (isASCIIAlnum(input[start-1]) || strings.IndexByte("&-./@_'", input[start-1]) >= 0) {
		return 0
	}
	from := end + len(" and ")
	next := from
	for next < len(input) && isASCIIUpper(input[next]) {
		next++
	}
	if k := next - from; k == 0 || k > maxAndLetters {
		return 0
	}
	if next < len(input) {
		c := input[next]
		if isASCIIAlnum(c) || c >= utf8.RuneSelf && !bytes.HasPrefix(input[next:], []byte("’")) || c == '_' || c == '@' || c == '&' ||
			(c == '-' || c == '.' || c == '/') && next+1 < len(input) && isASCIIAlnum(input[next+1]) {
			return 0
		}
	}
	return next
}

// appendAndName appends the term of name, two words of capitals with
// "and" between them (andJoinable): s&p for S and P.
func appendAndName(dst, name []byte) []byte {
	first, _, _ := bytes.Cut(name, []byte(" "))
	last := name[bytes.LastIndexByte(name, ' ')+1:]
	dst = appendLowerASCII(dst, first)
	dst = append(dst, '&')
	return appendLowerASCII(dst, last)
}

func allASCIIUpper(b []byte) bool {
	for _, c := range b {
		if !isASCIIUpper(c) {
			return false
		}
	}
	return len(b) > 0
}

func allASCIILetters(b []byte) bool {
	for _, c := range b {
		if !isASCIILetter(c) {
			return false
		}
	}
	return len(b) > 0
}

func isASCIIUpper(c byte) bool { return 'A' <= c && c <= 'Z' }

// appendAmpersandName appends the term of name, letters joined by an
// ampersand or a slash (ampersandJoinable): in lower case, joined by an
// ampersand.
func appendAmpersandName(dst, name []byte) []byte {
	mark := len(dst)
	dst = appendLowerASCII(dst, name)
	for i := mark; i < len(dst); i++ {
		if dst[i] == '/' {
			dst[i] = '&'
		}
	}
	return dst
}

// appendLowerASCII appends b to dst with ASCII letters in lower case.
func appendLowerASCII(dst, b []byte) []byte {
	for _, c := range b {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst
}

// Compounds of two ASCII words joined by a hyphen (Wi-Fi, e-mail, G-7,
// pre-tax, COVID-19) are also indexed as one word (wifi, email, g7,
// pretax, covid19), since articles and readers write them either way:
// on the news corpora wifi found 3 articles and Wi-Fi 130, email 106 and
// e-mail 194, COVID19 none and COVID-19 17.
const maxJoinedBytes = 24

// joinable returns the end of the second word of a compound that joins
// input[start:start+n], a word, to the next: the word starts with an ASCII
// letter, a hyphen and a run of ASCII letters and digits follow, and
// neither word is part of a longer compound, dotted name or domain
// (state-of-the-art, U.S.-led, wi-fi.org). It returns 0 otherwise.
func joinable(input []byte, start, n int) int {
	end := start + n
	if end+1 >= len(input) || input[end] != '-' || n > maxJoinedBytes {
		return 0
	}
	if !isASCIILetter(input[start]) {
		return cyrillicDesignation(input, start, n)
	}
	for _, c := range input[start:end] {
		if !isASCIIAlnum(c) {
			return 0
		}
	}
	if start > 0 && (strings.IndexByte("-./@_'’", input[start-1]) >= 0 || input[start-1] >= utf8.RuneSelf && !ideographBefore(input, start)) {
		return 0
	}
	next := end + 1
	for next < len(input) && isASCIIAlnum(input[next]) {
		next++
	}
	if next == end+1 || next-start-1 > maxJoinedBytes {
		return 0
	}
	if next < len(input) {
		c := input[next]
		if c >= utf8.RuneSelf && !ideographAt(input, next) || c == '_' || c == '@' || (c == '-' || c == '.' || c == '/') && next+1 < len(input) && isASCIIAlnum(input[next+1]) {
			return 0
		}
	}
	return next
}

// A Russian designation is a Cyrillic word of one to maxDesignationRunes
// letters and a number joined by a hyphen: С-400, Су-57, Т-72, Ил-76,
// МиГ-31. It is indexed joined too (с400, су57), as Latin ones are: С is
// the stop word с (with), so С-400 was the number 400 alone, and found
// the 879 articles of the news corpora with a 400 (Reuters' 747-400
// first), for the 13 that write С-400.
const maxDesignationRunes = 4

// cyrillicDesignation is joinable for a Cyrillic word: the end of the
// number after input[start:start+n] when that word is a designation's
// (one to maxDesignationRunes Cyrillic letters, not inside a longer
// compound), 0 otherwise.
func cyrillicDesignation(input []byte, start, n int) int {
	end := start + n
	letters := 0
	for i := start; i < end; {
		r, size := utf8.DecodeRune(input[i:])
		if !unicode.Is(unicode.Cyrillic, r) || !unicode.IsLetter(r) {
			return 0
		}
		letters++
		i += size
	}
	if letters > maxDesignationRunes {
		return 0
	}
	if start > 0 {
		if r, _ := utf8.DecodeLastRune(input[:start]); r == '-' || r == '.' || r == '/' || unicode.IsLetter(r) || unicode.IsDigit(r) {
			return 0
		}
	}
	next := end + 1
	for next < len(input) && input[next] >= '0' && input[next] <= '9' {
		next++
	}
	if next == end+1 || next-start-1 > maxJoinedBytes {
		return 0
	}
	if next < len(input) {
		r, _ := utf8.DecodeRune(input[next:])
		if unicode.IsLetter(r) && !isIdeograph(r) || unicode.IsDigit(r) || (r == '-' || r == '.' || r == '/' || r == ',') && next+1 < len(input) && isASCIIAlnum(input[next+1]) {
			return 0 // Су-57М, С-400-е, 1,5: not the designation alone
		}
	}
	return next
}

// ideographBefore and ideographAt report whether a Han or kana character
// ends before input[i] or starts at it. Chinese writes a compound with no
// space around it (损失一架F-16战机): those neighbours end words as a space
// does, where a Cyrillic letter joined to it would make one word of both.
func ideographBefore(input []byte, i int) bool {
	r, _ := utf8.DecodeLastRune(input[:i])
	return isIdeograph(r)
}

func ideographAt(input []byte, i int) bool {
	r, _ := utf8.DecodeRune(input[i:])
	return isIdeograph(r)
}

func isIdeograph(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana)
}

func isASCIILetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }
func isASCIIAlnum(c byte) bool  { return isASCIILetter(c) || c >= '0' && c <= '9' }

// A Russian word with dots inside is a brand's name (Яндекс.Музыка,
// Сбер.Маркет) or an abbreviation run into a word (г.Москва), which the
// word rules keep as one word: Яндекс found 131 of the 173 articles of
// the news corpora that write it, missing Яндекс.Музыка and
// Яндекс.Браузер. dottedParts also indexes each part of two letters or
// more at the word's position, as a variant of it (т.е. has none).
func (a *scriptAnalyzer) dottedParts(s *stream, seg []byte, start, pos int) {
	if r, _ := utf8.DecodeRune(seg); !unicode.Is(unicode.Cyrillic, r) {
		return
	}
	for from := 0; from < len(seg); {
		end := bytes.IndexByte(seg[from:], '.')
		if end < 0 {
			end = len(seg)
		} else {
			end += from
		}
		if part := seg[from:end]; end < len(seg) || from > 0 {
			if sc, runes := s.foldRunes(part); sc == scriptCyrillic && len(runes) >= 2 && len(s.word) > 0 && cyrillicLetters(runes) {
				// With the word's span, as its other terms have.
				stem, kept, mark := s.emitWord(&a.rules[sc], runes, part, start, start+len(seg), pos, analysis.AlphaNumeric)
				s.giveBack(mark, stem, kept)
			}
		}
		from = end + 1
	}
}

// cyrillicLetters reports whether rs is Cyrillic letters only.
func cyrillicLetters(rs []rune) bool {
	for _, r := range rs {
		if !unicode.Is(unicode.Cyrillic, r) || !unicode.IsLetter(r) {
			return false
		}
	}
	return true
}

// joinedWord indexes word, the two words of a compound joined (joinable),
// as the word at input[start:end], the compound's first, with its
// position: stemmed and counted as any word, but no acronym, numeral or
// variant of its own. Its type is Shingle, which wordQuery knows it by.
func (a *scriptAnalyzer) joinedWord(s *stream, word []byte, start, end, pos int) {
	sc, runes := s.foldRunes(word)
	if len(s.word) == 0 || sc != scriptLatin && sc != scriptCyrillic {
		return
	}
	stem, kept, mark := s.emitWord(&a.rules[sc], runes, word, start, end, pos, analysis.Shingle)
	s.giveBack(mark, stem, kept)
}

// word analyses one non-ideographic word.
func (a *scriptAnalyzer) word(s *stream, seg []byte, start, pos int, numeric bool) {
	if s.at != nil {
		s.span(start, start+len(seg), pos)
		return
	}
	sc, runes := s.foldRunes(seg)
	if len(s.word) == 0 {
		return
	}
	if sc == scriptLatin && isRomanNumeral(seg) {
		s.romanNumeral(seg, start, pos)
		return
	}
	if a.acronyms && capitalBytes(seg) > 0 {
		s.acronym(seg, start, pos)
	}
	rules := &a.rules[sc]
	typ := analysis.AlphaNumeric
	if numeric {
		typ = analysis.Numeric
	}
	stem, kept, mark := s.emitWord(rules, runes, seg, start, start+len(seg), pos, typ)
	if stem == nil {
		return
	}
	if rules.variant != nil {
		s.reserve(max(len(stem), len(s.word))+8, start)
		vmark := len(s.arena)
		if s.arena = rules.variant(s.arena, seg, s.word, stem); len(s.arena) > vmark {
			s.emitFrom(vmark, start, start+len(seg), pos, typ)
		}
	}
	if a.acronyms && sc == scriptCyrillic && capitalBytes(seg) > 0 {
		s.casedName(seg, s.word, stem, start, pos)
	}
	s.giveBack(mark, stem, kept)
}

// giveBack returns stem's bytes, emitted from s.arena[mark:] (emitWord),
// to the arena when the stream did not keep it (a known term) and nothing
// kept follows it there.
func (s *stream) giveBack(mark int, stem []byte, kept bool) {
	if stem != nil && !kept && len(s.arena) == mark+len(stem) && unsafe.SliceData(s.arena[mark:]) == unsafe.SliceData(stem) {
		s.arena = s.arena[:mark]
	}
}

// emitWord emits the term of s.word, the word input[start:end] folded
// (runes, when not nil, decoded): looked up in the word cache, left out
// if a stop word, else stemmed by rules. It returns the stem emitted, nil
// when none or when the word cache counted it again (a lower-case word,
// which adds nothing more), whether the stream kept it, and where it
// starts in the arena.
func (s *stream) emitWord(rules *wordRules, runes []rune, seg []byte, start, end, pos int, typ analysis.TokenType) (stem []byte, kept bool, mark int) {
	// A stemmed script's word is looked up once, in the word cache: its
	// stem, whether it is a stop word, and whether raw has had it from
	// this field.
	var e *wordEntry
	if rules.stem != nil {
		e = s.words[string(s.word)]
	}
	// A word longer than a term may be (maxTermBytes) is not indexed,
	// nor is it a word of the vocabulary.
	if s.raw != nil && (e == nil || e.field != s.field) && len(s.word) <= maxTermBytes {
		s.raw(s.word)
		if e != nil {
			e.field = s.field
		}
	}
	if e == nil && rules.stop != nil && rules.stop(s.word) {
		if rules.stem != nil {
			s.cacheWord(nil, true)
		}
		return nil, false, 0
	}
	if e != nil && e.stop {
		return nil, false, 0
	}
	if e != nil && e.counted == s.field && (rules.variant == nil || !upperFirst(seg)) {
		// Counted before in this field: the entry leads to the term's
		// state without the count's own look-up (freqBuilder.again).
		// A capitalised Russian word may add a surname variant or a
		// cased name: it takes the whole way.
		s.freq.again(e.token, pos)
		return nil, false, 0
	}
	s.reserve(len(s.word)+8, start)
	mark = len(s.arena)
	switch {
	case e != nil:
		s.arena = append(s.arena, e.stem...)
	case rules.stem != nil:
		s.arena = s.appendStem(rules.stem, s.arena, runes)
		e = s.cacheWord(s.arena[mark:], false)
	default:
		s.arena = append(s.arena, s.word...)
	}
	if len(s.arena) == mark {
		return nil, false, 0
	}
	stem = s.arena[mark:len(s.arena):len(s.arena)]
	kept = s.emit(stem, start, end, pos, typ)
	if e != nil && s.freq != nil {
		e.counted, e.token = s.field, len(s.freq.tokens)-1
	}
	return stem, kept, mark
}

// A Roman numeral written in capitals, of two letters or more (XI, XIV,
// XXI, II), is indexed as its own term, in the small Roman numeral
// characters (ⅹⅰ), not as the word its letters fold to: the XI of "XI
// века" (11th century) had ranked first for Xi, a name the news corpora
// write thousands of times as Си Цзиньпин and 习近平, since the numeral
// matched the name as typed. A numeral typed in capitals finds it; one
// typed in lower case finds it too, as an alternative (expander).
func isRomanNumeral(seg []byte) bool {
	if len(seg) < 2 || len(seg) > maxRomanNumeral {
		return false
	}
	for _, c := range seg {
		if c != 'I' && c != 'V' && c != 'X' {
			return false // nearly every word, at its first letter
		}
	}
	// X{0,3} then IX, IV or V?I{0,3}: 2 to 39.
	i := 0
	for i < len(seg) && i < 3 && seg[i] == 'X' {
		i++
	}
	rest := string(seg[i:])
	switch rest {
	case "IX", "IV", "", "I", "II", "III", "V", "VI", "VII", "VIII":
		return true
	}
	return false
}

// lowerRomanNumeral returns word in capitals when word is a Roman numeral
// typed in lower case (xiv), for a query to find it as written (XIV).
func lowerRomanNumeral(word string) (string, bool) {
	if len(word) < 2 || len(word) > maxRomanNumeral || strings.Trim(word, "ivx") != "" {
		return "", false // nearly every query word, with no copy made
	}
	upper := strings.ToUpper(word)
	return upper, isRomanNumeral([]byte(upper))
}

// maxRomanNumeral is the longest numeral isRomanNumeral takes: XXXVIII.
const maxRomanNumeral = len("XXXVIII")

// romanTerm appends the term of the capital Roman numeral seg to dst.
func romanTerm(dst, seg []byte) []byte {
	for _, c := range seg {
		switch c {
		case 'I':
			dst = utf8.AppendRune(dst, 'ⅰ')
		case 'V':
			dst = utf8.AppendRune(dst, 'ⅴ')
		case 'X':
			dst = utf8.AppendRune(dst, 'ⅹ')
		}
	}
	return dst
}

// romanNumeral emits the term of the capital Roman numeral seg, which
// no stemmer or stop list sees.
func (s *stream) romanNumeral(seg []byte, start, pos int) {
	s.word = romanTerm(s.word[:0], seg)
	if s.raw != nil {
		s.raw(s.word)
	}
	s.reserve(len(s.word)+8, start)
	mark := len(s.arena)
	s.arena = append(s.arena, s.word...)
	s.emitFrom(mark, start, start+len(seg), pos, analysis.AlphaNumeric)
}

// emitFrom emits the term the caller has just appended to the arena,
// s.arena[mark:], and gives its bytes back when emit does not keep them
// (a term the field already has).
func (s *stream) emitFrom(mark, start, end, pos int, typ analysis.TokenType) {
	if !s.emit(s.arena[mark:len(s.arena):len(s.arena)], start, end, pos, typ) {
		s.arena = s.arena[:mark]
	}
}

// hanChar is one character of an ideographic run.
type hanChar struct {
	start, end int // bytes of the input, including attached or dropped marks
	pos        int
	base       rune // the normalised character, for half-width voicing marks
	ns, ne     int  // normalised bytes in stream.runBytes
	same       bool // input[start:end] equals the normalised bytes
	marked     bool // a combining mark follows base
}

// ideographic adds the characters of one Han/Kana segment to the current run;
// pos is the position of its first character. It returns the position of the
// last character (or pos if none survived).
func (a *scriptAnalyzer) ideographic(s *stream, seg []byte, start, pos int) int {
	if n := len(s.run); n > 0 && s.run[n-1].end != start {
		a.flushHan(s)
	}
	p := pos - 1
	for i := 0; i < len(seg); {
		r, size := utf8.DecodeRune(seg[i:])
		off := start + i
		i += size
		var last *hanChar
		if n := len(s.run); n > 0 {
			last = &s.run[n-1]
		}
		switch {
		case r == utf8.RuneError && size == 1, r <= ' ', r == 0x7F, unicode.Is(unicode.Cf, r):
			// Invalid bytes and format characters (ZWJ, soft hyphen…)
			// are dropped but stay inside the span of the previous
			// character, so the run is not broken. Spaces and controls
			// get here only when the segmenter reads an invalid lead
			// byte as a Han character ("\xe80 ").
			if last != nil {
				last.end, last.same = off+size, false
			}
			continue
		case r == 0xFF9E || r == 0xFF9F: // half-width (semi-)voiced sound mark
			if last != nil && !last.marked {
				if c, ok := combineKana(last.base, r); ok {
					s.runBytes = utf8.AppendRune(s.runBytes[:last.ns], c)
					last.base, last.ne, last.end, last.same = c, len(s.runBytes), off+size, false
					continue
				}
			}
			r = kanaNorm[r-0xFF65]
		case r >= 0xFF65 && r <= 0xFF9D:
			r = kanaNorm[r-0xFF65]
		default:
			r = simplified(r) // trad.go
		}
		if unicode.In(r, unicode.Mn, unicode.Me) {
			// A combining mark belongs to the character before it.
			if last != nil {
				s.runBytes = utf8.AppendRune(s.runBytes, r)
				last.ne, last.end, last.marked = len(s.runBytes), off+size, true
				last.same = last.same && string(seg[i-size:i]) == string(s.runBytes[last.ne-size:last.ne])
			}
			continue
		}
		p++
		s.innerName = s.innerName || a.innerNames && startsInnerName(r)
		ns := len(s.runBytes)
		s.runBytes = utf8.AppendRune(s.runBytes, r)
		s.run = append(s.run, hanChar{
			start: off, end: off + size, pos: p, base: r,
			ns: ns, ne: len(s.runBytes),
			same: len(s.runBytes)-ns == size && string(s.runBytes[ns:]) == string(seg[i-size:i]),
		})
	}
	if p < pos {
		return pos
	}
	return p
}

// hanSpan is one term a Han segmenter cuts from a run: the characters
// run[from:to], indexed at position pos (normally run[from].pos).
type hanSpan struct{ from, to, pos int }

// flushHan hands the current ideographic run to the Han segmenter and
// emits the terms it cuts.
func (a *scriptAnalyzer) flushHan(s *stream) {
	if len(s.run) == 0 {
		return
	}
	segmentHan := a.segmentHan
	if segmentHan == nil {
		segmentHan = bigrams
	}
	s.spans = segmentHan(s.spans[:0], s.run)
	s.inside = s.inside[:0]
	if s.innerName {
		s.inside = hanInside(s.inside, s.run) // haninside.go
		s.innerName = false
	}
	// First: the run's terms after it have later positions.
	if a.numberUnits && s.freq != nil && len(s.run) > 1 && digitBefore(s.input, s.run[0].start) {
		first := s.run[0]
		s.emitMarked(numberUnitMark, s.hanTerm(s.run[:1]), first.start, first.end, first.pos, analysis.Single)
	}
	for _, sp := range s.spans {
		if sp.from < 0 || sp.from >= sp.to || sp.to > len(s.run) {
			continue // a segmenter bug must not become a panic
		}
		typ := analysis.Ideographic // a word from a dictionary segmenter
		switch sp.to - sp.from {
		case 1:
			typ = analysis.Single
		case 2:
			typ = analysis.Double
		}
		if s.at != nil {
			if s.span(s.run[sp.from].start, s.run[sp.to-1].end, sp.pos); s.stopped {
				break
			}
			continue
		}
		term := s.hanTerm(s.run[sp.from:sp.to])
		if s.raw != nil {
			s.raw(term)
		}
		start, end := s.run[sp.from].start, s.run[sp.to-1].end
		if len(s.inside) > 0 && within(s.inside, sp.from, sp.to) {
			s.emitMarked(hanInsideMark, term, start, end, sp.pos, typ)
			continue
		}
		s.emit(term, start, end, sp.pos, typ)
	}
	// Last: the run's last character before a number, marked; for the
	// highlighter, the character's span at its position.
	if last := len(s.run) - 1; a.numberUnits && last > 0 && !s.stopped && digitAt(s.input, s.run[last].end) && (s.freq != nil || s.at != nil) {
		c := s.run[last]
		if s.at != nil {
			s.span(c.start, c.end, c.pos)
		} else {
			s.emitMarked(numberBeforeMark, s.hanTerm(s.run[last:]), c.start, c.end, c.pos, analysis.Single)
			// The mark is no word: a field's length does not count its
			// position, which bigrams leave empty (the last character's).
			if !slices.ContainsFunc(s.spans, func(sp hanSpan) bool { return sp.pos == c.pos }) {
				s.freq.marks++
			}
		}
	}
	s.run, s.runBytes = s.run[:0], s.runBytes[:0]
}

// Chinese numbers with their units.
//
// A Chinese date or amount is digits and a character written together:
// 2024年, 5月, 3月15日, 100亿. Typed as a query, 2024年 is the number and
// the unigram 年, but an article's 2024年底 (the end of 2024) is the number
// and the bigram 年底, with no 年 of its own: on the news corpora 2024年
// found 600 of the 1,363 articles that write it, 3月15日 31 of 50. So the
// index also keeps the first character of a Han run written right after
// a digit alone, marked (2024年底 gives 2024, 年底 and ⊕年 at 年底's
// position), and a phrase of a number and one Han character looks for
// the character marked too (numberUnitAlternatives). Only the index
// counts the mark (frequencies): a query's 2024年底 stays the phrase of
// 2024 and 年底, and the vocabulary and its words never see it.

// emitMarked emits term with markText before it (hanInsideMark,
// numberUnitMark, numberBeforeMark), a term no text has.
func (s *stream) emitMarked(markText string, term []byte, start, end, pos int, typ analysis.TokenType) {
	s.reserve(len(markText)+len(term), start)
	mark := len(s.arena)
	s.arena = append(append(s.arena, markText...), term...)
	s.emitFrom(mark, start, end, pos, typ)
}

// numberUnitMark starts the term of a Han character written right after
// a digit; no text's term can start with it.
const numberUnitMark = "⊕"

// The other way round, a character written right before a number is the
// last of its run: 约2万 (about 20,000), 第3期 (the 3rd issue), 前4个月
// (the first 4 months). Typed, 约 is a run of one, its unigram, but an
// article's 人数约2万 has the bigram 数约 and no 约 of its own: on the news
// corpora 约2万 found none of the 17 articles that write it, 第3期 none
// of 5. So the index also keeps the last character of a Han run of two
// or more written right before a digit alone, marked (numberBeforeMark),
// and a phrase of one Han character and a number looks for it too.

// numberBeforeMark starts the term of a Han character written right
// before a digit; no text's term can start with it.
const numberBeforeMark = "⊖"

// digitAt reports whether input has a digit, ASCII or full-width, at
// byte i.
func digitAt(input []byte, i int) bool {
	return i < len(input) && input[i] >= '0' && input[i] <= '9' || wideDigitAt(input, i)
}

// digitBefore reports whether input has a digit, ASCII or full-width,
// right before byte i.
func digitBefore(input []byte, i int) bool {
	return i > 0 && input[i-1] >= '0' && input[i-1] <= '9' || wideDigitAt(input[:i], i-3)
}

// numberUnitAlternatives adds to each slot of a phrase that is one Han
// character after a slot that ends in a digit the character marked, as
// the index keeps it when a longer run follows the number, and to one
// before a slot that starts with a digit the character marked so, as
// the index keeps it when a longer run comes before the number.
func numberUnitAlternatives(slots [][]string) {
	for i := range slots {
		if len(slots[i]) != 1 {
			continue
		}
		r, n := utf8.DecodeRuneInString(slots[i][0])
		if n != len(slots[i][0]) || !unicode.Is(unicode.Han, r) {
			continue
		}
		plain := slots[i][0]
		if i > 0 && endsInDigit(slots[i-1]) {
			slots[i] = append(slots[i], numberUnitMark+plain)
		}
		if i+1 < len(slots) && startsWithDigit(slots[i+1]) {
			slots[i] = append(slots[i], numberBeforeMark+plain)
		}
	}
}

// startsWithDigit reports whether a slot's first term starts with an
// ASCII digit.
func startsWithDigit(slot []string) bool {
	return len(slot) > 0 && slot[0] != "" && slot[0][0] >= '0' && slot[0][0] <= '9'
}

// endsInDigit reports whether a slot's first term ends in an ASCII digit.
func endsInDigit(slot []string) bool {
	if len(slot) == 0 || slot[0] == "" {
		return false
	}
	c := slot[0][len(slot[0])-1]
	return c >= '0' && c <= '9'
}

// bigrams is the default Han segmenter: overlapping character bigrams, each
// at the position of its first character, and a unigram for a run of one.
// Bigrams make a Chinese query match only documents that share two-character
// sequences with it, never a single character, without a dictionary.
func bigrams(dst []hanSpan, run []hanChar) []hanSpan {
	if len(run) == 1 {
		return append(dst, hanSpan{0, 1, run[0].pos})
	}
	for i := 0; i+1 < len(run); i++ {
		dst = append(dst, hanSpan{i, i + 2, run[i].pos})
	}
	return dst
}

// stream is the state of one Analyze call. Output (tokens, term bytes) is
// allocated fresh for every call, since bleve keeps it.
type stream struct {
	input []byte
	out   analysis.TokenStream
	slab  []analysis.Token // tokens allocated ahead; slab[used:] are free
	used  int
	arena []byte // term bytes; terms are capped sub-slices
	// innerName is set when the current Han run has a character that
	// starts a name of data/han-inside.txt (hanInside).
	innerName bool
	// visit, when set (eachTerm), takes every term instead of out.
	visit func(term []byte)
	// freq, when set (frequencies), counts every token instead of out.
	freq *freqBuilder
	// raw, when set (frequencies), also takes the term rawAnalyzer
	// gives for every word: the folded word before stop words and stems
	// (a stemmed script's once per analysis), and each Han term.
	raw func(term []byte)
	// at, when set (eachSpan), takes the spans of the tokens from
	// position want on instead; it moves want on, or sets stopped.
	at      func(start, end, pos int) int
	want    int
	stopped bool
	scratch
}

// scratch holds the buffers an Analyze call reuses from earlier calls.
// None of them may point into the input or the output when pooled.
type scratch struct {
	segmenter wordSegmenter
	terms     []byte                // eachTerm's term arena, reused
	runes     []rune                // the current word, folded
	word      []byte                // the same, UTF-8
	run       []hanChar             // the current ideographic run
	runBytes  []byte                // its normalised characters
	spans     []hanSpan             // the terms the Han segmenter cut from run
	inside    []hanRange            // the names of run inside longer names
	tokens    []termPos             // frequencies' tokens, cleared
	joined    []byte                // a compound's two words joined (joinedWord)
	words     map[string]*wordEntry // folded words seen (cacheWord)
	field     uint64                // analyses made with this scratch
}

// wordEntry is what the word cache knows of a folded word of a stemmed
// script.
type wordEntry struct {
	stem  string
	stop  bool
	field uint64 // the last analysis that handed the word to raw
	// counted is the last analysis that counted the word's stem
	// (frequencies), and token the index of one of its tokens in that
	// analysis's freqBuilder: an index, not the term's state, so that
	// the cache keeps no article's terms alive.
	counted uint64
	token   int
}

// maxTermBytes is the longest term the analyzer gives, as Lucene's
// StandardTokenizer cuts tokens at 255 characters: a longer word is a
// base64 blob or a run of one letter, which no one searches for, and its
// typo and completion look-ups cost the square of its length. An article
// that held a word of 30,000 letters made one /api/suggest request take
// 3 GB. The word keeps its position, as a stop word does.
const maxTermBytes = 255

// maxWords bounds a scratch's word cache, to about 2 MB; a full cache
// starts again.
const maxWords = 20_000

// appendStem appends the stem stem gives for s.word to dst. runes holds
// the word decoded, or is nil for an ASCII word (foldASCII).
func (s *stream) appendStem(stem func(dst, word []byte, runes []rune) []byte, dst []byte, runes []rune) []byte {
	if runes == nil {
		runes = s.runes[:0]
		for _, c := range s.word {
			runes = append(runes, rune(c))
		}
		s.runes = runes
	}
	return stem(dst, s.word, runes)
}

// cacheWord keeps what word learnt of s.word, its stem or that it is a
// stop word, for the next time, as handed to raw in this field. News
// repeats its words: a repeat then costs one look-up, where the stop
// list, the stemmer (Porter and Snowball were 4.7% of the CPU of a build
// of the 108k Reuters articles) and a build's vocabulary (3.6%) each
// took their own. One scratch serves one analyzer, and a folded word has
// one script, so a word has one stem here.
func (s *stream) cacheWord(stem []byte, stop bool) *wordEntry {
	if s.words == nil || len(s.words) >= maxWords {
		s.words = make(map[string]*wordEntry, 256)
	}
	// One string holds the word and its stem.
	kv := string(s.word) + string(stem)
	e := &wordEntry{stem: kv[len(s.word):], stop: stop, field: s.field}
	s.words[kv[:len(s.word)]] = e
	return e
}

// emit appends a token. Tokens come from slabs sized by a guess of how many
// are left, so a 4 KB article costs a few allocations, not hundreds. The
// guess is at least 16 tokens, or one per two bytes of a shorter input:
// searches analyse their words one by one, and a slab of 16 for a word
// was 7 KB of a search's 127 KB of allocations.
//
// emit reports whether the stream keeps term: when it counts frequencies,
// a term it has seen before is not kept, and its bytes may be reused.
func (s *stream) emit(term []byte, start, end, pos int, typ analysis.TokenType) bool {
	if len(term) > maxTermBytes {
		return false
	}
	if s.freq != nil {
		return s.freq.add(term, pos)
	}
	if s.visit != nil {
		s.visit(term)
		return true
	}
	if s.used == len(s.slab) {
		perToken := end/(len(s.out)+1) + 1
		least := min(16, len(s.input)/2+1)
		s.slab = make([]analysis.Token, min(max((len(s.input)-end)/perToken+1, least), 1024))
		s.used = 0
	}
	t := &s.slab[s.used]
	s.used++
	// Field by field: only Term holds a pointer, so only it needs a
	// write barrier while the GC runs.
	t.Term, t.Start, t.End, t.Position, t.Type = term, start, end, pos, typ
	s.out = append(s.out, t)
	return true
}

// span hands a token's span to at if at wants it.
func (s *stream) span(start, end, pos int) {
	if s.stopped || pos < s.want {
		return
	}
	if s.want = s.at(start, end, pos); s.want <= 0 {
		s.stopped = true
	}
}

// reserve makes room for n more term bytes, starting a new arena chunk
// rather than growing (and copying) the old one. A chunk is sized for the
// rest of the input, since terms are rarely longer than their text.
func (s *stream) reserve(n, start int) {
	if cap(s.arena)-len(s.arena) < n {
		s.arena = make([]byte, 0, max(n, len(s.input)-start+16))
	}
}

// hanTerm returns the normalised text of adjacent characters cs. When the
// input bytes are already normal the term aliases the input, as bleve's
// tokenizer does, which saves copying most Chinese text.
func (s *stream) hanTerm(cs []hanChar) []byte {
	first, last := cs[0], cs[len(cs)-1]
	same := true
	for _, c := range cs {
		same = same && c.same
	}
	if same {
		return s.input[first.start:last.end:last.end]
	}
	// The normalised characters of a run are contiguous in runBytes.
	s.reserve(last.ne-first.ns, first.start)
	mark := len(s.arena)
	s.arena = append(s.arena, s.runBytes[first.ns:last.ne]...)
	return s.arena[mark:len(s.arena):len(s.arena)]
}

// foldWord folds word b, applies the Latin possessive and elision rules if
// they apply, and returns the UTF-8 result (in s.word).
func (s *stream) foldWord(b []byte) []byte {
	s.foldRunes(b)
	return s.word
}

// foldRunes is foldWord, returning the word's script and its runes, which
// are nil for an ASCII word of letters and digits (foldASCII's way: a
// stemmer that needs them makes them, appendStem).
func (s *stream) foldRunes(b []byte) (script, []rune) {
	if sc, ok := s.foldASCII(b); ok {
		return sc, nil
	}
	sc := s.fold(b)
	runes := s.runes
	if sc == scriptLatin {
		runes = latinWord(runes)
	}
	s.word = appendRunes(s.word[:0], runes)
	return sc, runes
}

// foldASCII is fold and latinWord for a word of ASCII letters and digits
// only, most words of English text, without decoding it into runes: it
// sets s.word to the word in lower case and returns its script (Latin, or
// a number), or reports false for any other word, leaving s.word to fold.
func (s *stream) foldASCII(b []byte) (script, bool) {
	w := s.word[:0]
	letters := false
	for _, c := range b {
		switch {
		case 'a' <= c && c <= 'z':
			letters = true
		case 'A' <= c && c <= 'Z':
			c += 'a' - 'A'
			letters = true
		case '0' <= c && c <= '9':
		default:
			return 0, false
		}
		w = append(w, c)
	}
	if len(w) == 0 {
		return 0, false
	}
	s.word = w
	if letters {
		return scriptLatin, true
	}
	return scriptNumber, true
}

// base scripts for deciding what a combining mark after them means.
const (
	baseNone = iota
	baseFold // Latin or Cyrillic: combining marks are dropped (é = e + U+0301)
	baseKeep // other scripts: marks are part of the letter (Devanagari, Hebrew)
)

// fold decodes word b into s.runes, normalised: full-width ASCII to ASCII,
// half-width Katakana to full-width, lower case, Latin diacritics folded
// (latinFold), ё→е, typographic apostrophes to ', combining marks after
// Latin and Cyrillic letters dropped (и+U+0306 composes to й), format
// characters and invalid bytes dropped. It returns the script of the
// majority of letters (Latin wins ties), or scriptNumber if there are none.
func (s *stream) fold(b []byte) script {
	rs := s.runes[:0]
	var latin, cyr, other int
	base := baseNone
	for i := 0; i < len(b); {
		r := rune(b[i])
		size := 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRune(b[i:])
			r = narrowASCII(r)
		}
		i += size
		if r < utf8.RuneSelf {
			switch {
			case 'A' <= r && r <= 'Z':
				r += 'a' - 'A'
				fallthrough
			case 'a' <= r && r <= 'z':
				latin++
				base = baseFold
			case r <= ' ' || r == 0x7F:
				// Never inside a real word; the segmenter only lets
				// them in after an invalid byte ("\xd0 0").
				continue
			default:
				base = baseNone
			}
			rs = append(rs, r)
			continue
		}
		switch {
		case r == utf8.RuneError && size == 1:
			continue
		case r >= 0xC0 && r < 0x250 || r >= 0x1E00 && r < 0x1F00:
			var f string
			if r < 0x250 {
				f = latinFold[r-0xC0]
			} else {
				f = latinExtFold[r-0x1E00]
			}
			if f == "" {
				break // not a letter, or no ASCII fold: handled below
			}
			for j := 0; j < len(f); j++ {
				rs = append(rs, rune(f[j]))
			}
			latin++
			base = baseFold
			continue
		case r >= 0x400 && r < 0x460: // basic Cyrillic
			switch {
			case r < 0x410:
				r += 0x50
			case r < 0x430:
				r += 0x20
			}
			if r == 'ё' {
				r = 'е'
			}
			rs = append(rs, r)
			cyr++
			base = baseFold
			continue
		case r == '\u2019' || r == '\u2018' || r == '\u02BC':
			rs = append(rs, '\'')
			base = baseNone
			continue
		case r >= 0xFF65 && r <= 0xFF9F: // half-width Katakana
			r = kanaNorm[r-0xFF65]
			if n := len(rs); n > 0 && (r == 0x3099 || r == 0x309A) {
				if c, ok := combineKana(rs[n-1], r+0xFF9E-0x3099); ok {
					rs[n-1] = c
					continue
				}
			}
		}
		switch {
		case unicode.In(r, unicode.Mn, unicode.Me):
			if base == baseKeep {
				rs = append(rs, r)
			} else if n := len(rs); r == 0x306 && n > 0 && rs[n-1] == 'и' {
				rs[n-1] = 'й'
			}
			continue
		case unicode.Is(unicode.Cf, r):
			continue
		}
		r = unicode.ToLower(r)
		switch {
		case !unicode.IsLetter(r):
			base = baseKeep
		case unicode.Is(unicode.Latin, r):
			latin++
			base = baseFold
		case unicode.Is(unicode.Cyrillic, r):
			if r == 'ё' {
				r = 'е'
			}
			cyr++
			base = baseFold
		default:
			other++
			base = baseKeep
		}
		rs = append(rs, r)
	}
	if latin > 0 && cyr > 0 && latin != cyr {
		latin, cyr = foldHomoglyphs(rs, latin, cyr)
	}
	s.runes = rs
	switch {
	case latin == 0 && cyr == 0 && other == 0:
		return scriptNumber
	case latin >= cyr && latin >= other:
		return scriptLatin
	case cyr >= other:
		return scriptCyrillic
	}
	return scriptOther
}

// Words of Cyrillic letters with a Latin one that looks the same, or the
// other way round: CША with a Latin C, Дeнь with a Latin e, Mосква typed
// with a Latin M. 146 Russian articles of the news corpora have such a
// word, which no search for США or день found. A word whose letters of
// the rarer script all have a look-alike in the commoner one is read in
// the commoner script, in the index and in a query.
var (
	cyrillicLook = map[rune]rune{'a': 'а', 'b': 'в', 'c': 'с', 'e': 'е', 'h': 'н', 'k': 'к', 'm': 'м', 'o': 'о', 'p': 'р', 't': 'т', 'x': 'х', 'y': 'у'}
	latinLook    = map[rune]rune{'а': 'a', 'в': 'b', 'с': 'c', 'е': 'e', 'н': 'h', 'к': 'k', 'м': 'm', 'о': 'o', 'р': 'p', 'т': 't', 'х': 'x', 'у': 'y'}
)

// foldHomoglyphs rewrites in place the letters of rs, a folded word with
// latin Latin and cyr Cyrillic letters, that are of the rarer script into
// the commoner one, when every one of them has a look-alike there, and
// returns the new counts; rs is left as it is otherwise.
func foldHomoglyphs(rs []rune, latin, cyr int) (int, int) {
	look, rare := cyrillicLook, unicode.Latin
	if latin > cyr {
		look, rare = latinLook, unicode.Cyrillic
	}
	for _, r := range rs {
		if _, ok := look[r]; !ok && unicode.Is(rare, r) {
			return latin, cyr // a letter with no look-alike: a mixed word
		}
	}
	for i, r := range rs {
		if to, ok := look[r]; ok {
			rs[i] = to
		}
	}
	if latin > cyr {
		return latin + cyr, 0
	}
	return 0, latin + cyr
}

// latinWord applies the word-shape rules of Latin words, which both
// analyzers share because they are normalisation, not stemming.
func latinWord(rs []rune) []rune {
	return trimElision(trimAcronymDots(trimPossessive(rs)))
}

// trimAcronymDots turns a dotted acronym into plain letters (U.S → us,
// U.S.A → usa; the segmenter already left out the final dot), as Lucene's
// ClassicFilter does, so "U.S." finds "US". Without it Porter turns "u.s"
// into "u.".
func trimAcronymDots(rs []rune) []rune {
	n := len(rs)
	if n < 3 || n%2 == 0 {
		return rs
	}
	for i, r := range rs {
		if i%2 == 1 && r != '.' || i%2 == 0 && !unicode.IsLetter(r) {
			return rs
		}
	}
	for i := 1; i <= n/2; i++ {
		rs[i] = rs[2*i]
	}
	return rs[:n/2+1]
}

// trimPossessive removes a trailing 's (apostrophes are already folded to
// '), like bleve's possessive_en filter: China's → china. Contractions such
// as "she's" lose the 's too, which is harmless for search.
func trimPossessive(rs []rune) []rune {
	if n := len(rs); n >= 2 && rs[n-1] == 's' && rs[n-2] == '\'' {
		return rs[:n-2]
	}
	return rs
}

// trimElision strips a leading French/Italian elided article or pronoun
// (l' d' j' m' n' s' t' c' qu') before a vowel or h, so "l'économie" and
// "d'Alema" in English news match "economie" and "alema". The vowel check
// (after folding) keeps English words like "o'neill" intact; h is included
// because French elides before a mute h (l'homme, l'hôpital).
func trimElision(rs []rune) []rune {
	n := 0
	switch {
	case len(rs) > 2 && rs[1] == '\'' && strings.ContainsRune("cdjlmnst", rs[0]):
		n = 2
	case len(rs) > 3 && rs[0] == 'q' && rs[1] == 'u' && rs[2] == '\'':
		n = 3
	}
	if n > 0 && strings.ContainsRune("aeiouyh", rs[n]) {
		return rs[n:]
	}
	return rs
}

// appendRunes appends the UTF-8 encoding of rs to dst.
func appendRunes(dst []byte, rs []rune) []byte {
	for _, r := range rs {
		if r < utf8.RuneSelf {
			dst = append(dst, byte(r))
		} else {
			dst = utf8.AppendRune(dst, r)
		}
	}
	return dst
}

// combineKana applies a half-width voiced (U+FF9E) or semi-voiced (U+FF9F)
// sound mark to the preceding full-width Katakana c (カ+ﾞ → ガ), as bleve's
// cjk_width filter does; ok is false when c takes no such mark.
func combineKana(c, mark rune) (rune, bool) {
	if c < 0x30A6 || c > 0x30FD {
		return c, false
	}
	var d rune
	if mark == 0xFF9F {
		d = kanaCombineHalfVoiced[c-0x30A6]
	} else {
		d = kanaCombineVoiced[c-0x30A6]
	}
	return c + d, d != 0
}

// kanaNorm maps half-width Katakana U+FF65…U+FF9F to full width; the tables
// below are bleve's analysis/lang/cjk/cjk_width.go (Apache-2.0), from
// Lucene's CJKWidthFilter.
var kanaNorm = [...]rune{
	0x30fb, 0x30f2, 0x30a1, 0x30a3, 0x30a5, 0x30a7, 0x30a9, 0x30e3, 0x30e5,
	0x30e7, 0x30c3, 0x30fc, 0x30a2, 0x30a4, 0x30a6, 0x30a8, 0x30aa, 0x30ab,
	0x30ad, 0x30af, 0x30b1, 0x30b3, 0x30b5, 0x30b7, 0x30b9, 0x30bb, 0x30bd,
	0x30bf, 0x30c1, 0x30c4, 0x30c6, 0x30c8, 0x30ca, 0x30cb, 0x30cc, 0x30cd,
	0x30ce, 0x30cf, 0x30d2, 0x30d5, 0x30d8, 0x30db, 0x30de, 0x30df, 0x30e0,
	0x30e1, 0x30e2, 0x30e4, 0x30e6, 0x30e8, 0x30e9, 0x30ea, 0x30eb, 0x30ec,
	0x30ed, 0x30ef, 0x30f3, 0x3099, 0x309A,
}

var kanaCombineVoiced = [...]rune{
	78, 0, 0, 0, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1,
	0, 1, 0, 1, 0, 0, 1, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0, 1,
	0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 8, 8, 8, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
}

var kanaCombineHalfVoiced = [...]rune{
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 2, 0, 0, 2,
	0, 0, 2, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
}

// latinFold maps U+00C0…U+024F (index r-0xC0) to the lower-case ASCII letters
// r folds to; "" means r is not a letter or has no ASCII fold and is only
// lower-cased. A table instead of Unicode decomposition keeps folding one
// array load per rune with no allocation. Generated with Python's
// unicodedata (Unicode 14): NFKD of the lower-cased letter with combining
// marks removed, when that is ASCII; letters without a decomposition use
// the conventional fold (ß→ss, æ→ae, œ→oe, ø→o, đ/ð→d, ł→l, þ→th, ħ→h, ı→i).
var latinFold = [0x250 - 0xC0]string{
	/* U+00C0 */ "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
	/* U+00D0 */ "d", "n", "o", "o", "o", "o", "o", "", "o", "u", "u", "u", "u", "y", "th", "ss",
	/* U+00E0 */ "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
	/* U+00F0 */ "d", "n", "o", "o", "o", "o", "o", "", "o", "u", "u", "u", "u", "y", "th", "y",
	/* U+0100 */ "a", "a", "a", "a", "a", "a", "c", "c", "c", "c", "c", "c", "c", "c", "d", "d",
	/* U+0110 */ "d", "d", "e", "e", "e", "e", "e", "e", "e", "e", "e", "e", "g", "g", "g", "g",
	/* U+0120 */ "g", "g", "g", "g", "h", "h", "h", "h", "i", "i", "i", "i", "i", "i", "i", "i",
	/* U+0130 */ "i", "i", "ij", "ij", "j", "j", "k", "k", "k", "l", "l", "l", "l", "l", "l", "l",
	/* U+0140 */ "l", "l", "l", "n", "n", "n", "n", "n", "n", "n", "n", "n", "o", "o", "o", "o",
	/* U+0150 */ "o", "o", "oe", "oe", "r", "r", "r", "r", "r", "r", "s", "s", "s", "s", "s", "s",
	/* U+0160 */ "s", "s", "t", "t", "t", "t", "t", "t", "u", "u", "u", "u", "u", "u", "u", "u",
	/* U+0170 */ "u", "u", "u", "u", "w", "w", "y", "y", "y", "z", "z", "z", "z", "z", "z", "s",
	/* U+0180 */ "b", "b", "b", "b", "", "", "o", "c", "c", "d", "d", "d", "d", "", "e", "e",
	/* U+0190 */ "e", "f", "f", "g", "", "", "", "i", "k", "k", "l", "", "", "n", "", "",
	/* U+01A0 */ "o", "o", "", "", "p", "p", "", "", "", "", "", "", "t", "t", "t", "u",
	/* U+01B0 */ "u", "", "", "y", "y", "z", "z", "", "", "", "", "", "", "", "", "",
	/* U+01C0 */ "", "", "", "", "dz", "dz", "dz", "lj", "lj", "lj", "nj", "nj", "nj", "a", "a", "i",
	/* U+01D0 */ "i", "o", "o", "u", "u", "u", "u", "u", "u", "u", "u", "u", "u", "e", "a", "a",
	/* U+01E0 */ "a", "a", "ae", "ae", "g", "g", "g", "g", "k", "k", "o", "o", "o", "o", "", "",
	/* U+01F0 */ "j", "dz", "dz", "dz", "g", "g", "", "", "n", "n", "a", "a", "ae", "ae", "o", "o",
	/* U+0200 */ "a", "a", "a", "a", "e", "e", "e", "e", "i", "i", "i", "i", "o", "o", "o", "o",
	/* U+0210 */ "r", "r", "r", "r", "u", "u", "u", "u", "s", "s", "t", "t", "", "", "h", "h",
	/* U+0220 */ "", "d", "", "", "z", "z", "a", "a", "e", "e", "o", "o", "o", "o", "o", "o",
	/* U+0230 */ "o", "o", "y", "y", "l", "n", "t", "j", "db", "qp", "a", "c", "c", "l", "t", "s",
	/* U+0240 */ "z", "", "", "b", "u", "", "e", "e", "j", "j", "q", "q", "r", "r", "y", "y",
}

// latinExtFold is latinFold for Latin Extended Additional, U+1E00…U+1EFF
// (index r-0x1E00): Vietnamese and other stacked diacritics.
var latinExtFold = [0x100]string{
	/* U+1E00 */ "a", "a", "b", "b", "b", "b", "b", "b", "c", "c", "d", "d", "d", "d", "d", "d",
	/* U+1E10 */ "d", "d", "d", "d", "e", "e", "e", "e", "e", "e", "e", "e", "e", "e", "f", "f",
	/* U+1E20 */ "g", "g", "h", "h", "h", "h", "h", "h", "h", "h", "h", "h", "i", "i", "i", "i",
	/* U+1E30 */ "k", "k", "k", "k", "k", "k", "l", "l", "l", "l", "l", "l", "l", "l", "m", "m",
	/* U+1E40 */ "m", "m", "m", "m", "n", "n", "n", "n", "n", "n", "n", "n", "o", "o", "o", "o",
	/* U+1E50 */ "o", "o", "o", "o", "p", "p", "p", "p", "r", "r", "r", "r", "r", "r", "r", "r",
	/* U+1E60 */ "s", "s", "s", "s", "s", "s", "s", "s", "s", "s", "t", "t", "t", "t", "t", "t",
	/* U+1E70 */ "t", "t", "u", "u", "u", "u", "u", "u", "u", "u", "u", "u", "v", "v", "v", "v",
	/* U+1E80 */ "w", "w", "w", "w", "w", "w", "w", "w", "w", "w", "x", "x", "x", "x", "y", "y",
	/* U+1E90 */ "z", "z", "z", "z", "z", "z", "h", "t", "w", "y", "", "s", "", "", "ss", "",
	/* U+1EA0 */ "a", "a", "a", "a", "a", "a", "a", "a", "a", "a", "a", "a", "a", "a", "a", "a",
	/* U+1EB0 */ "a", "a", "a", "a", "a", "a", "a", "a", "e", "e", "e", "e", "e", "e", "e", "e",
	/* U+1EC0 */ "e", "e", "e", "e", "e", "e", "e", "e", "i", "i", "i", "i", "o", "o", "o", "o",
	/* U+1ED0 */ "o", "o", "o", "o", "o", "o", "o", "o", "o", "o", "o", "o", "o", "o", "o", "o",
	/* U+1EE0 */ "o", "o", "o", "o", "u", "u", "u", "u", "u", "u", "u", "u", "u", "u", "u", "u",
	/* U+1EF0 */ "u", "u", "y", "y", "y", "y", "y", "y", "y", "y", "", "", "", "", "", "",
}
