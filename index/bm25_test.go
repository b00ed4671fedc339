package index

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
)

// wantLengths sums articleLengths over the articles x stores.
func wantLengths(t *testing.T, x *Index, ids ...string) fieldLengths {
	t.Helper()
	var l fieldLengths
	for _, id := range ids {
		a, err := x.Article(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		l.add(articleLengths(x.m, &a))
	}
	return l
}

func liveLengths(t *testing.T, x *Index) fieldLengths {
	t.Helper()
	bi, done, err := x.reader()
	if err != nil {
		t.Fatal(err)
	}
	defer done()
	l, err := readLengths(bi)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// TestFieldLengths_buildAndWrites: the lengths behind avgdl are the token
// counts of every article put into the generation, whether a build counted
// them from bleve's analysis or a write analysed them itself; they survive
// a reopen, and a rebuild counts afresh.
func TestFieldLengths_buildAndWrites(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fsys := fstest.MapFS{"a.jsonl": {Data: []byte(
		article("e1", "Putin meets Xi in Moscow", "The two leaders discussed trade, energy and the U.S.-led sanctions.") +
			article("r1", "Путин и Си Цзиньпин", "Лавров встретился с Лавровым в Москве; переговоры продолжатся.") +
			article("z1", "中俄关系", "习近平与普京在莫斯科会谈，双方讨论了一带一路合作。"))}}
	x, err := openMap(t, dir, fsys)
	if err != nil {
		t.Fatal(err)
	}
	built := wantLengths(t, x, "e1", "r1", "z1")
	if got := liveLengths(t, x); got != built || got.docs != 3 || got.body == 0 {
		t.Fatalf("after build: lengths %+v, want %+v", got, built)
	}

	w := Article{ID: "w1", Title: "Shoigu visits Beijing", Body: "Defence talks in Beijing on Tuesday", Source: "API"}
	mustAdd(t, x, w)
	after := built
	after.add(wantLengths(t, x, "w1"))
	if got := liveLengths(t, x); got != after {
		t.Fatalf("after a write: lengths %+v, want %+v", got, after)
	}
	x.Close()

	x, err = openMap(t, dir, fsys)
	if err != nil {
		t.Fatal(err)
	}
	if got := liveLengths(t, x); got != after {
		t.Errorf("after reopen: lengths %+v, want %+v", got, after)
	}
	x.Close()

	x, err = openMap(t, dir, fsys, func(o *Options) { o.Rebuild = RebuildAlways })
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if got := liveLengths(t, x); got != after {
		t.Errorf("after rebuild with the write replayed: lengths %+v, want %+v", got, after)
	}
}

// bm25 is the textbook formula (Robertson–Spärck Jones idf as Lucene has
// it, k1 1.2, b 0.75), written out independently of bm25.go.
func bm25(docs, df, tf, dl, avgdl float64) float64 {
	if tf == 0 {
		return 0
	}
	idf := math.Log(1 + (docs-df+0.5)/(df+0.5))
	return idf * tf * 2.2 / (tf + 1.2*(0.25+0.75*dl/avgdl))
}

// TestBM25_textbookScores: a hit's score is BM25's, summed over title and
// body, and a two-word query scores the plain sum of its words (no
// coordination factor).
func TestBM25_textbookScores(t *testing.T) {
	t.Parallel()
	// Words without stop words or stemming changes: a field's length is
	// its word count.
	docs := []struct{ id, title, body string }{
		{"d1", "zebra river", "zebra zebra grass stone stone"},
		{"d2", "grass", "river stone zebra"},
		{"d3", "stone", "stone river river river grass grass"},
		{"d4", "lantern", "lantern harbour"},
	}
	var data strings.Builder
	var tl, bl float64
	for _, d := range docs {
		data.WriteString(article(d.id, d.title, d.body))
		tl += float64(len(strings.Fields(d.title)))
		bl += float64(len(strings.Fields(d.body)))
	}
	x := openJSONL(t, data.String())
	n := float64(len(docs))
	count := func(s, w string) float64 {
		n := 0.0
		for _, f := range strings.Fields(s) {
			if f == w {
				n++
			}
		}
		return n
	}
	want := func(id string, words ...string) float64 {
		var sum float64
		for _, w := range words {
			var dfT, dfB float64
			for _, d := range docs {
				dfT += min(count(d.title, w), 1)
				dfB += min(count(d.body, w), 1)
			}
			for _, d := range docs {
				if d.id == id {
					sum += bm25(n, dfT, count(d.title, w), float64(len(strings.Fields(d.title))), tl/n)
					sum += bm25(n, dfB, count(d.body, w), float64(len(strings.Fields(d.body))), bl/n)
				}
			}
		}
		return sum
	}
	for _, q := range []string{"zebra", "grass", "zebra grass", "river stone"} {
		res := mustSearch(t, x, Query{Text: q, Match: MatchAny})
		if len(res.Hits) == 0 {
			t.Fatalf("%q: no hits", q)
		}
		for _, h := range res.Hits {
			if w := want(h.ID, strings.Fields(q)...); math.Abs(h.Score-w) > 1e-6*w {
				t.Errorf("%q: %s scores %.6f, want BM25 %.6f", q, h.ID, h.Score, w)
			}
		}
	}
}

// TestBM25_phraseFrequency: an article with a compound twice outranks one
// with it once, and one with the compound's words apart comes last.
func TestBM25_phraseFrequency(t *testing.T) {
	t.Parallel()
	x := openJSONL(t, article("once", "Report", "a high-speed line opened near the coast and the hills")+
		article("twice", "Report", "a high-speed line opened near a high-speed depot")+
		article("apart", "Report", "a high line opened near the speed depot and hills"))
	got := hitIDs(mustSearch(t, x, Query{Text: "high-speed", Match: MatchAny}))
	if strings.Join(got, " ") != "twice once apart" {
		t.Errorf("high-speed ranks %v, want [twice once apart]", got)
	}
}

// TestSearch_compoundWithNumber: a number or a word of one or two letters
// in a compound does not count alone: F-16 finds the jet, not an F or 16
// of something else; COVID-19 also finds COVID alone, after it, but not 19.
func TestSearch_compoundWithNumber(t *testing.T) {
	t.Parallel()
	x := openJSONL(t, article("jet", "Jets", "The F-16 jets arrived.")+
		article("grade", "Grade", "He got an F in maths.")+
		article("count", "Count", "There were 16 ships.")+
		article("covid19", "Cases", "COVID-19 cases rose.")+
		article("covid", "Cases", "COVID cases fell.")+
		article("nineteen", "Deaths", "19 people died."))
	if got := hitIDs(mustSearch(t, x, Query{Text: "F-16", Match: MatchAny, Size: 10})); !slices.Equal(got, []string{"jet"}) {
		t.Errorf("F-16: %v, want [jet]", got)
	}
	if got := hitIDs(mustSearch(t, x, Query{Text: "COVID-19", Match: MatchAny, Size: 10})); !slices.Equal(got, []string{"covid19", "covid"}) {
		t.Errorf("COVID-19: %v, want [covid19 covid]", got)
	}
}

// TestSearch_russianDesignation: a Russian designation (С-400, Су-57)
// finds the articles that write it, quoted or not, also when its letter
// is a stop word (С, with): С-400 had been the number 400 alone. Typed
// unquoted in one script, it also finds the other's (S-400).
func TestSearch_russianDesignation(t *testing.T) {
	t.Parallel()
	x := openJSONL(t, langArticle("s400", "ru", "Поставки ракет", "Комплексы С-400 поставлены в срок.")+
		langArticle("s400b", "ru", "ПВО", "Дивизион (С-400) заступил на дежурство.")+
		langArticle("boeing", "ru", "Самолёт", "Boeing 747-400 совершил посадку.")+
		langArticle("count", "ru", "Число", "В забеге участвовали 400 человек.")+
		langArticle("with", "ru", "Встреча", "Встреча с 400 гостями прошла.")+
		langArticle("su57", "ru", "Истребитель", "Истребитель Су-57 поднялся в воздух.")+
		langArticle("su", "ru", "Су", "Блюдо су из риса и 57 рецептов.")+
		article("s400en", "Missiles", "Turkey bought the S-400 system.")+
		fillers(3))
	// Unquoted, the other script's spelling counts too (S-400, С-400),
	// after the one typed.
	for q, want := range map[string][]string{
		"С-400":     {"s400", "s400b", "s400en"},
		`"С-400"`:   {"s400", "s400b"},
		"с400":      {"s400", "s400b"},
		"S-400":     {"s400en", "s400", "s400b"},
		"Су-57":     {"su57"},
		"Su-57":     {"su57"},
		`"Су-57"`:   {"su57"},
		"С-400 ПВО": {"s400b", "s400", "s400en"},
	} {
		got := hitIDs(mustSearch(t, x, Query{Text: q, Size: 10}))
		if !slices.Equal(got, want) {
			t.Errorf("%s: %v, want %v", q, got, want)
		}
	}
}

// TestSearch_joinedCompoundShortWords: a compound written in lower case
// that is also indexed joined (Wi-Fi: wifi) does not count its words of
// two letters alone. Hi-Fi had found 2,223 articles of the news corpora,
// through his (hi, completed) and fi; co-op 3,703 through co; al-Qaeda
// 137 through al. An acronym keeps its words: US-China is US and China.
func TestSearch_joinedCompoundShortWords(t *testing.T) {
	t.Parallel()
	x := openJSONL(t, article("wifi", "Networks", "Free Wi-Fi in every train.")+
		article("hifi", "Audio", "A hi-fi set for the lounge.")+
		article("hi", "Letters", "He said hi to his friends in Hawaii.")+
		article("fi", "Finance", "The FI desk and sci-fi films.")+
		article("coop", "Farming", "The farmers' co-op sold grain.")+
		article("co", "Firms", "Smith and Co paid the op fee.")+
		article("qaeda", "Attack", "Al-Qaeda claimed the attack.")+
		article("al", "Sport", "Al scored twice for the club.")+
		article("uschina", "Trade", "US-China trade talks resumed.")+
		article("us", "Politics", "The US Senate voted.")+
		article("china", "Economy", "China's exports grew."))
	for q, want := range map[string][]string{
		"Wi-Fi":    {"wifi"},
		"Hi-Fi":    {"hifi"},
		"co-op":    {"coop"},
		"al-Qaeda": {"qaeda"},
		"US-China": {"uschina", "china", "us"},
	} {
		got := hitIDs(mustSearch(t, x, Query{Text: q, Match: MatchAny, Typos: true, Prefix: true, Size: 20}))
		if q == "US-China" {
			slices.Sort(got[1:])
			slices.Sort(want[1:])
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: %v, want %v", q, got, want)
		}
	}
}

// TestSearch_newsIsNotNew: in a news archive, news finds the articles
// about news, not every article with new.
func TestSearch_newsIsNotNew(t *testing.T) {
	t.Parallel()
	x := openJSONL(t, article("fake", "Fake news spreads", "Fake news spread on social media.")+
		article("new", "New network", "A new file-sharing network opened."))
	if got := hitIDs(mustSearch(t, x, Query{Text: "news", Size: 10})); !slices.Equal(got, []string{"fake"}) {
		t.Errorf("news: %v, want [fake]", got)
	}
}

// TestSumQuery_againstBruteForce compares sumQuery and newMaxQuery, alone
// and under a conjunction (which drives them with Advance), with the
// matches and scores computed term by term, on random articles.
func TestSumQuery_againstBruteForce(t *testing.T) {
	t.Parallel()
	vocab := strings.Fields("amber basil cedar delta ember fjord garnet harbor indigo jasper kelp lotus")
	rng := rand.New(rand.NewPCG(7, 11))
	var data strings.Builder
	for i := range 300 {
		var words []string
		for range 1 + rng.IntN(12) {
			// Skewed: early words are common, late ones rare.
			words = append(words, vocab[min(rng.IntN(len(vocab)), rng.IntN(len(vocab)))])
		}
		data.WriteString(article(fmt.Sprintf("a%03d", i), "Note", strings.Join(words, " ")))
	}
	x := openJSONL(t, data.String())
	stats := &scoring{lengths: liveLengths(t, x)}
	bi, done, err := x.reader()
	if err != nil {
		t.Fatal(err)
	}
	defer done()
	run := func(q query.Query) map[string]float64 {
		t.Helper()
		req := bleve.NewSearchRequestOptions(q, 1000, 0, false)
		res, err := bi.Search(req)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]float64{}
		for _, h := range res.Hits {
			got[h.ID] = h.Score
		}
		return got
	}
	single := map[string]map[string]float64{}
	for _, w := range vocab {
		single[w] = run(newBM25Query(w, fieldBody, 1, stats))
	}
	compare := func(name string, got, want map[string]float64) {
		t.Helper()
		if len(got) != len(want) {
			t.Errorf("%s: %d matches, want %d", name, len(got), len(want))
		}
		for id, w := range want {
			if g, ok := got[id]; !ok || math.Abs(g-w) > 1e-9*max(1, w) {
				t.Errorf("%s: %s scores %v (found %v), want %v", name, id, g, ok, w)
			}
		}
	}
	for trial := range 60 {
		k := 2 + rng.IntN(len(vocab)-1) // both sides of heapParts
		perm := rng.Perm(len(vocab))[:k]
		var parts []query.Query
		var words []string
		for _, i := range perm {
			words = append(words, vocab[i])
			parts = append(parts, newBM25Query(vocab[i], fieldBody, 1, stats))
		}
		minMatch := 1 + rng.IntN(k)
		best := trial%3 == 0
		var q query.Query
		if best {
			q, minMatch = newMaxQuery(parts), 1
		} else {
			q = newSumQuery(parts, minMatch)
		}
		want := map[string]float64{}
		matched := map[string]int{}
		for _, w := range words {
			for id, s := range single[w] {
				matched[id]++
				if best {
					want[id] = max(want[id], s)
				} else {
					want[id] += s
				}
			}
		}
		for id, m := range matched {
			if m < minMatch {
				delete(want, id)
			}
		}
		name := fmt.Sprintf("%v min %d best %v", words, minMatch, best)
		compare(name, run(q), want)

		// Under a conjunction with a common word, Advance skips ahead.
		common := vocab[0]
		and := map[string]float64{}
		for id, s := range want {
			if c, ok := single[common][id]; ok {
				and[id] = s + c
			}
		}
		compare(name+" and "+common, run(query.NewConjunctionQuery([]query.Query{newBM25Query(common, fieldBody, 1, stats), q})), and)
	}
}

// TestFieldLengths_variantsDiscounted: a field's length counts its words'
// positions, not the variant terms some words add at theirs (a surname's
// second stem, a cased name, an acronym's lower case), as Lucene's BM25
// discounts overlapping tokens: Путин встретился с Си Цзиньпином had
// ranked below an English title for 普京 once Си gained its cased term.
func TestFieldLengths_variantsDiscounted(t *testing.T) {
	t.Parallel()
	x := openJSONL(t, langArticle("v", "ru", "Лавров Путин Си", "Лавров, Маск и US."))
	l := liveLengths(t, x)
	if l.title != 3 || l.body != 3 {
		t.Errorf("lengths title %d body %d, want 3 and 3 (the words, without their variants)", l.title, l.body)
	}
}
