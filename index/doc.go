// Package index is newsearch's search engine: it reads news articles, keeps
// them in an on-disk bleve index and answers queries with hits, highlighted
// snippets and facet counts. It is the only package that imports bleve; its
// types (Article, Query, Results) are plain Go values.
//
// # Articles
//
// A Reader turns article files into Articles: plain-text articles as a
// newsroom has them (a title line, an optional " date YYYY-MM-DD" before it,
// boilerplate such as "Site icon …" or photo credits, which is dropped from
// the searchable text; a meta.json sidecar may add or correct fields) and
// JSON Lines corpora, plain or gzipped. Prepare validates every article the
// same way, whether it comes from a file or, later, over HTTP: a bad record
// is reported with its file and line and skipped, or stops the build in
// strict mode. Each article's language (en, ru, zh, other) is detected from
// its letters when the source does not say. A Reader also learns each
// source's sign-off, a last line that a tenth or more of the source's
// articles end with ("🔴 Подписаться на Москву - новостную" under a
// Telegram channel's posts, Reuters' "REUTER"), and drops it from the
// articles after it (signoff.go).
//
// # Analysis: every token by the rules of its own script
//
// Our English articles carry Russian words and names, Russian posts quote
// English, Chinese items carry Latin acronyms. A per-document analyzer gets
// mixed text wrong, and indexing every text once per language triples the
// postings. So one analyzer ("newsearch", analyzer.go) splits text into
// words with Unicode word boundaries and routes each word by its script:
//
//   - Latin: possessive 's removed, lower-cased, diacritics folded, light
//     elision (l'économie), Lucene's 33 English stop words, Porter stemming
//     with exceptions, a British spelling stemmed as the American one
//     (britishspelling.go: defence, defense), and names of letters joined
//     by an ampersand (AT&T, S&P; Reuters' S/P) or C++ and C# indexed whole
//     as well as letter by letter.
//   - Cyrillic: lower-cased, ё folded to е, Russian stop words, Snowball
//     Russian stemming, and one more term for capitalised surnames in
//     -ов/-ев: Snowball stems Лавров to лавр but Лаврова, Лавровым to
//     лавров, so a capitalised -ов/-ев word indexes both stems at one
//     position, and a capitalised query searches the -ов form alone.
//     Common words are left alone, because for them -ов is often part of
//     the stem (годовой, условие). On ru_telegram_news the nominative of the
//     40 commonest such names finds 99.9% of the articles naming them in
//     any case (64.5% with Snowball alone; TestRussianSurnames_corpus).
//     Words that never decline (метро, радио, Токио, Мали;
//     data/indeclinable-ru.txt) stay whole: Snowball took their last
//     vowel for an ending and met other words (метров, рад, током, мало).
//     The gazetteer's names in a consonant or -й (Иран, Киев, Китай) get
//     one stem for all their cases where Snowball stems them apart
//     (nameParadigms): it took Иран's -ан for a verb's ending.
//   - Han and Kana: width-normalised, overlapping character bigrams (中俄关系
//     → 中俄 俄关 关系), so a query never matches on one shared character.
//   - Anything else: lower-cased.
//
// The query text goes through the same analyzer, so a query word and an
// article word meet in the same form. A second analyzer ("newsearch_raw")
// does the same without stemming or stop words; it finds the index's own
// vocabulary, for typo tolerance, prefixes and suggestions: a build counts
// its articles' words into a base vocabulary beside its segments (vocab.go),
// and an article written later keeps its words in the "words" field.
//
// # Fields
//
// title and body are indexed with term vectors, positions only, packed one
// location per word of an article (phrases need them; sizedText clears the
// byte offsets and packs the positions, positions.go, and highlighting
// finds a match's bytes from its position by segmenting the stored text
// again, up to the last match: eachSpan); words is indexed only, for
// written articles; source and lang are keyword fields (term facets,
// counted from the columns their postings fill); published is the date as
// one term, its instant's full-precision prefix code, with docvalues, which
// articleDocument adds outside the mapping (published.go): date filters
// read the date columns the docvalues fill, or run a term range; month is
// its "YYYY-MM" keyword twin behind the date histogram. None of them is
// stored: an article's stored values are one record in the stored-only
// field record (record.go), its title and body coded with the generation's
// codebook: every token as a dense code of one to three bytes, the
// commonest shortest (codebook.go, about three eighths of the bytes of
// Reuters bodies).
//
// # Ranking and matching
//
// Scoring is Okapi BM25 as Lucene defines it (k1 1.2, b 0.75, idf
// ln(1 + (N − df + 0.5)/(df + 0.5))), scored by our own term searcher
// (bm25.go) rather than bleve's: bleve's "BM25" scores √tf, squares the idf
// through its query weight, normalises lengths by distinct terms per
// document instead of tokens, and multiplies every OR by matched/total
// parts. Replacing it took Cranfield from MAP 0.298 to 0.313 and nDCG@10
// from 0.370 to 0.382 (go test ./index -run Relevance -v). The average field lengths
// come from token totals each generation keeps in bleve's internal
// storage: a build adds up the lengths bleve's analysis found, a write
// analyses its articles itself, in the same batch. Replaced and deleted
// versions stay counted until a rebuild, as in Lucene until a merge; the
// average stays one of article lengths.
//
// A query is parsed (query.go) into clauses: words, "phrases",
// alternatives joined by OR, and -exclusions. Each clause scores the sum of
// its BM25 in the title and in the body, weighted equally (Lucene's
// default; weighting the body ×2 scored the same). A phrase scores as one
// term: the sum of its words' idfs, its occurrences as tf, normalised by
// the field's length as a term's are (as Lucene scores phrases; a Chinese
// word of two characters or more is a phrase of its bigrams). A compound
// ("high-speed", "U.S.-led") scores half as its words and half as its
// phrase, so the compound itself weighs as both words typed. A word's
// alternatives (typos, prefixes, names, synonyms) are forms of that word:
// an article scores with its best form, weighted. With several clauses the
// result set is every article with at least one of them, ordered in tiers:
// articles with all clauses first, then those with one fewer, and so on,
// BM25 within a tier (Meilisearch's matching strategy). A tier is only
// searched when the tiers above it do not fill the requested page.
// Match=all keeps only the top tier; Match=any is plain BM25 over all
// clauses, the form relevance evaluations use.
//
// A Chinese run is one clause, matched as a phrase of its bigrams, since
// Chinese is written without spaces. When no article holds the run as a
// phrase, it is cut where a bigram is far rarer than both its neighbours,
// which is where two words meet (平普 in 习近平普京), at the name table's
// Han names in it (which an index with no Chinese text needs), and at
// punctuation, and each piece becomes a clause, as if a space were there;
// while no article has every piece, the piece in fewest articles is cut
// again at its rarest inner bigram (hansplit.go).
//
// # Typos, prefixes and suggestions
//
// With Query.Typos, a word of 5 or more letters also matches words one
// typo away, from 9 letters two unless minRareTyped articles contain the
// word as typed (a typo on the first letter counts two; numbers and
// Chinese are never fuzzed). With Query.Prefix, the last word,
// when nothing follows it, also matches words that start with it. Both
// look the query word up in the vocabulary (the words field) at query time
// and add what they find, stemmed, as lower-weighted alternatives of the
// word in title and body (expand.go): exact matches rank first, and
// snippets mark the words that are really in the article. A capitalised
// word's typo neighbours that are names (of the name table or the
// gazetteer) are the only ones used when there are any, with the names'
// other spellings, and the first corrections: Beijng is Beijing misspelt,
// not "being", and finds Пекин too. A capitalised word that no article
// has is also compared with the name table's one-word names, which need
// not be in the index as typed: Shoigo finds Шойгу. Suggest offers
// completions and "did you mean" corrections from the same vocabulary
// (suggest.go), and names complete first when the index has them: the
// gazetteer's, counted by their entity facet (Vladimir P: Vladimir Putin),
// and the name table's (Xi Jin: Xi Jinping, which the articles write Си
// Цзиньпин and 习近平); a capitalised word in
// minRareTyped or more articles is corrected only to names (Wang is not
// "want"). A word typed on the wrong keyboard layout (Genby for Путин,
// Згешт for Putin) that no article has is offered, and searched, as the
// word its keys spell on the other one, when the articles use that word
// (layout.go). HighlightArticle marks a query's matches in a whole
// article.
//
// # Names across scripts and synonyms
//
// News spells one name in several scripts and romanisations: Путин,
// Putin, 普京; Шойгу, Shoigu, Shoygu. A query word also matches its other
// spellings, added at query time as lower-weighted alternatives in the
// same way as typos (names.go, expand.go): the members of its group in
// the embedded name table (data/names.txt: Han and irregular spellings
// such as Moscow | Москва | 莫斯科) and synonym list (data/synonyms.txt,
// UN | United Nations; extendable with Options.Synonyms), and, for a
// capitalised Latin or Cyrillic word, its transliterations into the other
// script by the rules of several romanisation systems (й → y/i/j,
// х → kh/h/x, -ий → -iy/-y/-ii, …), kept only when their stem is in the
// title or body dictionary and some word of the vocabulary starts with the
// spelling less its last letter (at most 4; Brexit's брехит has the stem
// of the village Брёхово, but no word begins брехи). Alternatives are analysed like
// article text, so "Putin" finds Путина through the Russian stemmer, and
// a member of several words is a phrase; adjacent words typed without
// quotes that spell such a member match it as a phrase or the group's
// other spellings, not as words apart (expander.nameRuns: White House
// finds Белый дом, and united nations no longer finds UNIT and NATIONAL;
// the facet gazetteer's entities count too: Vladimir Putin finds 普京), and
// the run's last word is not completed as a fragment (Wang Yi is not Wang
// yield); two or three words that begin a name while its last is being
// typed get the name's spellings too (expander.begunNames: Xi Jin finds
// 习近平). A spelling that stop words leave one word of is dropped: Wang
// Yi's Ван И would search ван, which Snowball also makes of ванна.
// Snippets mark the article's own spelling, since highlighting uses the
// matched terms of each hit.
//
// Query time rather than index time: the table and the rules change
// without a rebuild, the postings stay one set per field (index-time
// expansion would add every transliteration of every capitalised word of
// 100k articles), the vocabulary check keeps only spellings that exist,
// and scores keep the exact spelling first: names weigh 0.15 of the word,
// synonyms 0.5, and an alternative that is a phrase (a Chinese name is a
// phrase of bigrams) the mean of its words' idfs, one word's worth, where
// a phrase query sums them. This is a tendency, not a guarantee: BM25's
// idf and field lengths differ across scripts (Chinese bigrams make long
// fields), which is why the name weight is low.
//
// # Facets
//
// Facets are disjunctive: the counts of a facet ignore that facet's own
// selection, so that a page can show the other choices with true counts,
// and respect every other filter. Bleve has no such mode; each facet with a
// selection costs one extra search (size 0, that facet only), run in
// parallel with the main one.
//
// newsearch counts facets itself, in the same pass over the matches as
// bleve's top-N collector (facets.go): from in-memory columns (each facet
// field's value ordinals per document, decoded once per index segment;
// columns.go, which inverts the fields' postings), or, after a merge or a
// bulk import and until a background build catches up, by intersecting
// the matches with each value's postings. Both give the same counts; the
// columns cost a fraction of the CPU. A search that only counts (the Total and
// facets of a query ranked by tiers, a selected facet's own counts) does
// not go through the collector at all when the columns are current:
// count.go evaluates its match set on the postings' roaring bitmaps and
// tallies the set bits.
//
// # Speed
//
// A build loads articles with one worker per core, each committing its
// own bleve batches (bulk.go), then merges the generation into one segment
// (mergeAll): term lookups and the typo automaton run per segment.
//
// A relevance-ranked text search does not go through bleve's searchers
// and collector (rank.go), which other sort orders still take. Its
// clauses, filters, exclusions and tiers are roaring bitmaps; Total and
// the facets are counted from them (a large set's language, source and
// month counts by one bitmap intersection per value). Only the tiers that
// hold the page are scored, with the same BM25 and the same tie order as
// bleve's path: a common term's postings come from arrays decoded on
// first use (postings.go) rather than zap's varint chunks, phrases from
// their words' positions (phrase.go), and MaxScore skips the documents
// whose matches cannot lift them onto the page, the articles with a query
// word in the title scored first; within the rest, block-max bounds (each
// decoded term's best score per run of 64 postings) skip whole runs of
// documents that cannot make it. Ranking reads no term locations; locate
// reads them for the page's hits only, for the words as typed first and
// for their alternatives only in hits that lack a typed word, and the
// hits' stored fields are read with one visit each. Locations and
// phrases' positions come straight from the bytes of persisted zap
// segments (zapread.go): the bitmap's rank, or a decoded term's skips,
// lead to a hit's posting without decoding the postings before it. Typo
// look-ups walk the vocabulary with a lazily built Levenshtein automaton
// (levenshtein.go). Repeated searches come from a query cache (cache.go)
// that every change clears. bench/speed measures all of it against raw
// bleve.
//
// # Entity facets
//
// The person, place and org facets count the people, places and
// organisations articles mention, under one canonical (English) name across
// scripts: Putin, Путина and 普京 are all "Vladimir Putin". toDoc extracts
// them at index time (entities.go) into keyword fields, so
// they cost nothing at query time unless a search asks for them; they are
// not among the default facets. Each article keeps at most 20 names per
// kind, each at most 100 bytes. One pass over title and body finds:
//
//   - Gazetteer names (data/entities.txt: world leaders, countries,
//     capitals, the organisations of our corpora; each with its spellings in
//     Latin, Cyrillic and Han). Latin and Cyrillic spellings match whole
//     words, the longest spelling first (Shanghai Cooperation Organisation
//     before Shanghai). A capitalised gazetteer word must be capitalised in
//     the text (China, not china), an acronym all capitals (US, not us).
//     Cyrillic words match their case forms: the gazetteer word is reduced
//     to a stem (Москва → москв, Путин stays, Зеленский → зеленск with
//     adjective endings) and a text word matches the stem plus a Russian
//     case ending of up to three letters (Москве, Путиным, Лаврову);
//     indeclinable words (Шойгу, Токио, and words marked "=") match exactly.
//     Han spellings of two characters or more match anywhere in Han text,
//     longest first at each position (上海合作组织 before 上海); Chinese has
//     no spaces, so a spelling inside a longer word also counts.
//   - Unlisted names, in the body only (headlines are often in title
//     case): runs of capitalised words (Latin or Cyrillic, no punctuation
//     between them; of/and/for may join them) left over by the gazetteer,
//     leading sentence words (The, In, However…) dropped. A run yields an
//     organisation when it ends in an organisation word (Council, Ministry,
//     Bank, Party, Committee, Agency, Commission, Court…) or starts with one
//     followed by of/for (Ministry of Foreign Affairs); a person when it
//     holds a known given name and a surname (Anton Alikhanov; a patronymic
//     is dropped, Сергей Владимирович Иванов → Sergei Ivanov), two name words
//     right after a title (President, Minister, министр, губернатор…), or a
//     pinyin surname and a pinyin given name ending the run (Xiang Bo).
//     Anything else is skipped: precision over recall, so "New Year",
//     "The Kremlin Said" or "General Motors Corp" add no person. Given
//     names map to one spelling (Sergey and Сергей → Sergei) and Cyrillic
//     surnames are romanised (Минниханов → Minnikhanov), so the same
//     unlisted person written in both scripts usually gives one value.
//     Cyrillic organisations are not guessed (their names are lower case
//     after the first word), only Russian given names are trusted in
//     Cyrillic (romanising Майкл Уолтц gives no usable spelling), and an
//     inflected unlisted name (Рустама Минниханова) is skipped.
//
// An article's outlet is not one of its organisations: the gazetteer's
// organisations in its source's name (CCTV in "CCTV Xinwen Lianbo", RIA
// Novosti in "Telegram: РИА Новости") are dropped from its own, since
// datelines and sign-offs name them in nearly every article
// (articleEntities).
//
// names.txt (query-time spellings) and entities.txt must agree;
// TestGazetteer checks that no names.txt group spans two entities.
//
// # Snippets
//
// Bleve's highlighter gives one fixed-length fragment per field. We take
// the term locations of each hit and build our own (highlight.go): up to N
// fragments of about M runes that cover the most distinct matched terms,
// starting at sentence or word boundaries, with the text HTML-escaped and
// only <mark> added, plus every match's offsets in UTF-8 bytes and UTF-16
// code units.
//
// # Storage
//
// An index directory holds a LOCK file (an exclusive flock: a second
// process fails at once with ErrLocked), a CURRENT file naming the live
// generation, and one bleve (scorch) index per generation. A rebuild writes
// a new generation and then replaces CURRENT atomically, so a crash leaves
// either the old index or the new one. Each generation records the
// fingerprint of the files it was built from and the mapping version, so
// Open reuses an up-to-date index and rebuilds a stale one.
package index
