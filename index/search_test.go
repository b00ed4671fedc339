package index

import (
	"context"
	"encoding/json"
	"errors"

	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// testLogger sends log output to t.Log.
func testLogger(t testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(tWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

type tWriter struct{ t testing.TB }

func (w tWriter) Write(p []byte) (int, error) {
	w.t.Helper()
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// openFixture builds an on-disk index of testdata/corpus in a temp dir.
func openFixture(t testing.TB) *Index {
	t.Helper()
	x, err := Open(context.Background(), Options{
		Dir:    t.TempDir(),
		Inputs: []Input{{FS: os.DirFS("testdata/corpus"), Path: ".", Label: "testdata/corpus"}},
		Strict: true,
		Logger: testLogger(t),
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { x.Close() })
	return x
}

// scenario is one file in testdata/searches.
type scenario struct {
	Comment string `json:"comment"`
	Query   struct {
		Text         string              `json:"text"`
		Filters      map[string][]string `json:"filters"`
		DateFrom     string              `json:"date_from"`
		DateTo       string              `json:"date_to"`
		Sort         Sort                `json:"sort"`
		Match        Match               `json:"match"`
		From         int                 `json:"from"`
		Size         int                 `json:"size"`
		Facets       []string            `json:"facets"`
		Fragments    int                 `json:"fragments"`
		FragmentSize int                 `json:"fragment_size"`
		Typos        bool                `json:"typos"`
		Prefix       bool                `json:"prefix"`
	} `json:"query"`
	Want struct {
		IDs []string `json:"ids"`
		// UnorderedAfter > 0 (or 0 with the key present) compares ids from
		// this index on as a set: BM25 ties and near-ties are not the point.
		UnorderedAfter *int                           `json:"unordered_after"`
		Total          *uint64                        `json:"total"`
		TotalAtLeast   *uint64                        `json:"total_at_least"`
		Facets         map[string][]Bucket            `json:"facets"`
		Highlights     map[string]map[string][]string `json:"highlights"` // id → field → substrings
		Absent         map[string][]string            `json:"absent"`     // id → substrings no highlight may contain
	} `json:"want"`
}

func (s *scenario) query(t *testing.T) Query {
	date := func(v string) time.Time {
		if v == "" {
			return time.Time{}
		}
		d, err := time.Parse("2006-01-02", v)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	q := s.Query
	return Query{Text: q.Text, Filters: q.Filters, DateFrom: date(q.DateFrom), DateTo: date(q.DateTo),
		Sort: q.Sort, Match: q.Match, From: q.From, Size: q.Size, Facets: q.Facets,
		Fragments: q.Fragments, FragmentSize: q.FragmentSize, Typos: q.Typos, Prefix: q.Prefix}
}

// TestSearch_scenarios runs every testdata/searches/*.json against the
// fixture corpus: hit ids, totals and facet counts must match exactly.
func TestSearch_scenarios(t *testing.T) {
	x := openFixture(t)
	files, err := filepath.Glob("testdata/searches/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no scenarios: %v", err)
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".json")
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			b, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			var s scenario
			dec := json.NewDecoder(strings.NewReader(string(b)))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&s); err != nil {
				t.Fatalf("%s: %v", file, err)
			}
			res, err := x.Search(context.Background(), s.query(t))
			if err != nil {
				t.Fatalf("%s: %v", s.Comment, err)
			}
			checkScenario(t, &s, res)
		})
	}
}

func checkScenario(t *testing.T, s *scenario, res Results) {
	t.Helper()
	got := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		got[i] = h.ID
	}
	if s.Want.IDs != nil {
		want := slices.Clone(s.Want.IDs)
		if u := s.Want.UnorderedAfter; u != nil && *u < len(got) && *u < len(want) {
			slices.Sort(got[*u:])
			slices.Sort(want[*u:])
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s\nhit ids (-want +got):\n%s", s.Comment, diff)
		}
	}
	if s.Want.Total != nil && res.Total != *s.Want.Total {
		t.Errorf("%s\ntotal = %d, want %d", s.Comment, res.Total, *s.Want.Total)
	}
	if s.Want.TotalAtLeast != nil && res.Total < *s.Want.TotalAtLeast {
		t.Errorf("%s\ntotal = %d, want at least %d", s.Comment, res.Total, *s.Want.TotalAtLeast)
	}
	if s.Want.Facets != nil {
		gotFacets := map[string][]Bucket{}
		for _, f := range res.Facets {
			gotFacets[f.Name] = f.Buckets
		}
		if diff := cmp.Diff(s.Want.Facets, gotFacets); diff != "" {
			t.Errorf("%s\nfacets (-want +got):\n%s", s.Comment, diff)
		}
	}
	for id, fields := range s.Want.Highlights {
		h := findHit(res, id)
		if h == nil {
			t.Errorf("%s\nno hit %s to check highlights of", s.Comment, id)
			continue
		}
		for field, subs := range fields {
			joined := strings.Join(h.Highlights[field], " ")
			for _, sub := range subs {
				if !strings.Contains(joined, sub) {
					t.Errorf("%s\n%s %s highlights lack %q:\n%s", s.Comment, id, field, sub, joined)
				}
			}
		}
	}
	for id, subs := range s.Want.Absent {
		h := findHit(res, id)
		if h == nil {
			continue
		}
		for field, hs := range h.Highlights {
			for _, sub := range subs {
				if strings.Contains(strings.Join(hs, " "), sub) {
					t.Errorf("%s\n%s %s highlights contain %q", s.Comment, id, field, sub)
				}
			}
		}
	}
}

func findHit(res Results, id string) *Hit {
	for i := range res.Hits {
		if res.Hits[i].ID == id {
			return &res.Hits[i]
		}
	}
	return nil
}

// TestSearch_seedsPutin is the core acceptance case on the real seeds:
// q=Putin returns exactly the seed articles that mention Putin, each with
// <mark>Putin</mark> in a body fragment.
func TestSearch_seedsPutin(t *testing.T) {
	t.Parallel()
	seeds := os.DirFS("../seeds")
	var mention []string
	arts, err := ReadSeeds(seeds)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range arts {
		if strings.Contains(a.Title+a.Body, "Putin") {
			mention = append(mention, a.ID)
		}
	}
	if len(mention) < 3 {
		t.Fatalf("only %d seeds mention Putin; the seeds changed?", len(mention))
	}
	x, err := Open(context.Background(), Options{Dir: t.TempDir(), Inputs: []Input{{FS: seeds, Path: "."}}, Logger: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	res, err := x.Search(context.Background(), Query{Text: "Putin"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, h := range res.Hits {
		got = append(got, h.ID)
		if !strings.Contains(strings.Join(h.Highlights["body"], " "), "<mark>Putin") {
			t.Errorf("%s: no <mark>Putin in body fragments %q", h.ID, h.Highlights["body"])
		}
	}
	slices.Sort(got)
	slices.Sort(mention)
	if diff := cmp.Diff(mention, got); diff != "" {
		t.Errorf("hits (-want +got):\n%s", diff)
	}
}

// TestSearch_matchOffsets checks that match offsets index the stored text
// in both UTF-8 bytes and UTF-16 code units.
func TestSearch_matchOffsets(t *testing.T) {
	t.Parallel()
	x := openFixture(t)
	for _, q := range []string{"Путину", "普京", "Putin", "затрагивает"} {
		res, err := x.Search(context.Background(), Query{Text: q, Facets: nil})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Hits) == 0 {
			t.Fatalf("%s: no hits", q)
		}
		for _, h := range res.Hits {
			a, err := x.Article(context.Background(), h.ID)
			if err != nil {
				t.Fatal(err)
			}
			for field, text := range map[string]string{"title": a.Title, "body": a.Body} {
				u16 := utf16Units(text)
				for _, m := range h.Matches[field] {
					byBytes := text[m.Start:m.End]
					byUnits := string(utf16Decode(u16[m.Start16:m.End16]))
					if byBytes != byUnits || byBytes == "" {
						t.Errorf("%s %s %s: bytes give %q, UTF-16 gives %q", q, h.ID, field, byBytes, byUnits)
					}
				}
			}
		}
	}
}

func TestSearch_invalid(t *testing.T) {
	t.Parallel()
	x := openFixture(t)
	for _, q := range []Query{
		{Text: "x", Size: 101},
		{Text: "x", Size: 10, From: 9995},
		{Text: "x", From: -1},
		{Text: strings.Repeat("й", MaxQueryRunes+1)},
		{Text: "\xff"},
		{Text: "x", Sort: "best"},
		{Text: "x", Match: "most"},
		{Text: "x", Facets: []string{"color"}},
		{Text: "x", Filters: map[string][]string{"color": {"red"}}},
		{Text: "x", DateFrom: time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC), DateTo: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)},
	} {
		if _, err := x.Search(context.Background(), q); !errors.Is(err, ErrInvalidQuery) {
			t.Errorf("%+v: err = %v, want ErrInvalidQuery", q, err)
		}
	}
}

func TestSearch_cancelled(t *testing.T) {
	t.Parallel()
	x := openFixture(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := x.Search(ctx, Query{Text: "Putin", Facets: FacetNames()})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

func TestArticle(t *testing.T) {
	t.Parallel()
	x := openFixture(t)
	a, err := x.Article(context.Background(), "ru-moscow")
	if err != nil {
		t.Fatal(err)
	}
	want := Article{ID: "ru-moscow", Title: "Москва принимает делегацию", Lang: "ru", Source: "ТАСС",
		Date: time.Date(2026, 1, 10, 0, 0, 0, 0, time.UTC),
		Body: "В Москве прошли переговоры. Стороны предполагают расширить сотрудничество. Делегация из Пекина посетила ёлку на площади."}
	if diff := cmp.Diff(want, a); diff != "" {
		t.Errorf("article (-want +got):\n%s", diff)
	}
	if _, err := x.Article(context.Background(), "nope"); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing article: err = %v", err)
	}
}

func utf16Units(s string) []uint16 { return utf16Encode([]rune(s)) }

func utf16Encode(r []rune) []uint16 { return utf16.Encode(r) }
func utf16Decode(u []uint16) []rune { return utf16.Decode(u) }

// TestSearch_totalAll: with two clauses or more, TotalAll counts the
// articles with every one, whatever the matching strategy, under the
// filters and exclusions Total respects; a one-word query has none. Past
// maxRankClauses a search takes bleve's path, which counts it too.
func TestSearch_totalAll(t *testing.T) {
	t.Parallel()
	long := make([]string, maxRankClauses+1)
	for i := range long {
		long[i] = "word" + string(rune('a'+i))
	}
	x := openJSONL(t, article("both", "Sanctions on Russia", "New sanctions against Russia.")+
		article("both2", "Russia and sanctions", "Russia answered the sanctions; "+strings.Join(long, " ")+".")+
		article("sanctions", "Sanctions on Iran", "New sanctions against Iran.")+
		article("russia", "Russia votes", "Russia held an election.")+
		article("lead", "Lead", strings.Join(long[:1], " ")+" only."))
	total := func(q Query) (uint64, *uint64) {
		t.Helper()
		res := mustSearch(t, x, q)
		return res.Total, res.TotalAll
	}
	for _, tt := range []struct {
		q          Query
		total, all uint64
	}{
		{Query{Text: "sanctions Russia"}, 4, 2},
		{Query{Text: "sanctions Russia", Match: MatchAll}, 2, 2},
		{Query{Text: "sanctions Russia", Match: MatchAny}, 4, 2},
		{Query{Text: "sanctions Russia", Sort: SortNewest}, 4, 2},
		{Query{Text: "sanctions Russia -Iran"}, 3, 2},
		{Query{Text: "sanctions Russia -election -answered"}, 2, 1},
		{Query{Text: strings.Join(long, " ")}, 2, 1},
		{Query{Text: strings.Join(long, " "), Match: MatchAny}, 2, 1},
		{Query{Text: strings.Join(long, " "), Match: MatchAll}, 1, 1},
	} {
		got, all := total(tt.q)
		if got != tt.total || all == nil || *all != tt.all {
			t.Errorf("%q match=%q sort=%q: total %d, all %v; want %d, %d", tt.q.Text, tt.q.Match, tt.q.Sort, got, all, tt.total, tt.all)
		}
	}
	// bleve's path names the missing words too.
	res := mustSearch(t, x, Query{Text: strings.Join(long, " ")})
	if h := findHit(res, "lead"); h == nil || !slices.Equal(h.Missing, long[1:]) {
		t.Errorf("%d clauses, bleve's path: lead's missing words %v, want %v", len(long), h, long[1:])
	}
	if h := findHit(res, "both2"); h == nil || h.Missing != nil {
		t.Errorf("%d clauses, bleve's path: both2 lacks %v, want nothing", len(long), h)
	}
	if _, all := total(Query{Text: "Russia"}); all != nil {
		t.Errorf("one word: TotalAll %d, want none", *all)
	}
	if _, all := total(Query{}); all != nil {
		t.Errorf("no text: TotalAll %d, want none", *all)
	}
}

// TestSearch_missing: a hit that lacks some of the query's words names
// them as written (a phrase in quotes, an OR group whole); a hit with all
// of them, and any hit of a one-word query, names none.
func TestSearch_missing(t *testing.T) {
	t.Parallel()
	x := openJSONL(t, article("both", "Sanctions on Russia", "New sanctions against Russia.")+
		article("sanctions", "Sanctions on Iran", "New sanctions against Iran.")+
		article("russia", "Russia votes", "Russia held an election."))
	missing := func(q string) map[string][]string {
		t.Helper()
		out := map[string][]string{}
		for _, h := range mustSearch(t, x, Query{Text: q}).Hits {
			out[h.ID] = h.Missing
		}
		return out
	}
	for _, tt := range []struct {
		q    string
		want map[string][]string
	}{
		{"sanctions Russia", map[string][]string{"both": nil, "sanctions": {"Russia"}, "russia": {"sanctions"}}},
		{`"sanctions against" Russia`, map[string][]string{"both": nil, "sanctions": {"Russia"}, "russia": {`"sanctions against"`}}},
		{"election Russia OR Iran", map[string][]string{"russia": nil, "both": {"election"}, "sanctions": {"election"}}},
		{"Russia", map[string][]string{"both": nil, "russia": nil}},
	} {
		if got := missing(tt.q); !cmp.Equal(got, tt.want, cmpopts.EquateEmpty()) {
			t.Errorf("%q: missing %v, want %v", tt.q, got, tt.want)
		}
	}
}

// TestSearch_title: title:word finds the articles with the word, in any
// of its spellings, in their title only; -title:word leaves those out;
// such a hit is marked in its title, and one with the word only in the
// body lists title:word as missing.
func TestSearch_title(t *testing.T) {
	t.Parallel()
	x := openJSONL(t, article("en-title", "Putin visits Kazan", "The president met the mayor of Kazan.")+
		article("en-both", "Putin speaks", "Putin said the talks in Kazan went well.")+
		article("en-body", "Kazan hosts a summit", "Putin spoke at the summit in Kazan.")+
		langArticle("ru-title", "ru", "Путин в Казани", "Президент встретился с мэром Казани.")+
		langArticle("ru-body", "ru", "Саммит в Казани", "Путин выступил на саммите в Казани.")+
		fillers(6))
	search := func(q string) Results {
		t.Helper()
		return mustSearch(t, x, Query{Text: q, Typos: true, Prefix: true})
	}
	for _, tt := range []struct {
		q    string
		want []string
	}{
		{"Putin", []string{"en-body", "en-both", "en-title", "ru-body", "ru-title"}},
		{"title:Putin", []string{"en-both", "en-title", "ru-title"}},
		{"intitle:Путин", []string{"en-both", "en-title", "ru-title"}},
		{`title:"Putin visits"`, []string{"en-title"}},
		{"Kazan -title:Putin", []string{"en-body", "ru-body"}},
		{"Kazan NOT title:Putin", []string{"en-body", "ru-body"}},
	} {
		if got := pageHits(t, x, tt.q); !slices.Equal(got, tt.want) {
			t.Errorf("%q: %v, want %v", tt.q, got, tt.want)
		}
	}
	res := search("title:Putin Kazan")
	if res.TotalAll == nil || *res.TotalAll != 3 {
		t.Errorf("title:Putin Kazan: total_all %v, want 3", res.TotalAll)
	}
	// AND, as boolean search writes it, joins as a space does.
	if and := search("title:Putin AND Kazan"); and.TotalAll == nil || *and.TotalAll != 3 || !slices.Equal(hitIDs(and), hitIDs(res)) {
		t.Errorf("title:Putin AND Kazan: %v, total_all %s; want %v, 3, as without AND", hitIDs(and), totalAll(and), hitIDs(res))
	}
	if h := findHit(res, "en-body"); h == nil || !slices.Equal(h.Missing, []string{"title:Putin"}) {
		t.Errorf("title:Putin Kazan: en-body is %+v, want it missing [title:Putin]", h)
	}
	h := findHit(search("title:Putin"), "en-both")
	if h == nil {
		t.Fatal("title:Putin: no en-both")
	}
	if got := h.Highlights[fieldTitle]; !slices.Equal(got, []string{"<mark>Putin</mark> speaks"}) {
		t.Errorf("title:Putin: en-both's title %q, want Putin marked", got)
	}
	if strings.Contains(strings.Join(h.Highlights[fieldBody], ""), "<mark>") || len(h.Matches[fieldBody]) > 0 {
		t.Errorf("title:Putin: en-both's body is marked: %q, %v", h.Highlights[fieldBody], h.Matches[fieldBody])
	}
}

// TestSearch_joinedCompounds: a compound written with a hyphen and the
// same written as one word find each other, and a match of the joined
// word marks the whole compound.
func TestSearch_joinedCompounds(t *testing.T) {
	t.Parallel()
	x := openJSONL(t, article("hyphen", "Airports", "Free Wi-Fi is offered at the airport.")+
		article("joined", "Parks", "The city plans free WiFi in parks.")+
		article("apart", "Radio", "The wi fi band: a typo of an article.")+
		article("mail", "Post", "The mail arrived late.")+
		article("email", "Spam", "An e-mail campaign targeted voters."))
	// Typed joined, the word is the compound's: the two articles that
	// write it. Typed with its hyphen, the compound also counts its words
	// alone (wordsAlone), as before: an article with both ranks after the
	// one with the compound.
	for _, q := range []string{"wifi", "WiFi", "Wi-Fi", "wi-fi"} {
		res := mustSearch(t, x, Query{Text: q})
		got := hitIDs(res)
		if strings.Contains(q, "-") {
			if len(got) != 3 || got[0] != "hyphen" || !slices.Contains(got, "joined") {
				t.Errorf("%q: got %v, want hyphen first, joined and apart", q, got)
			}
		} else if len(got) != 2 || !slices.Contains(got, "hyphen") || !slices.Contains(got, "joined") {
			t.Errorf("%q: got %v, want hyphen and joined", q, got)
		}
		for _, h := range res.Hits {
			if h.ID == "hyphen" && !strings.Contains(strings.Join(h.Highlights["body"], " "), "<mark>Wi-Fi</mark>") {
				t.Errorf("%q: hyphen's snippet %q, want Wi-Fi marked whole", q, h.Highlights["body"])
			}
		}
	}
	if got := hitIDs(mustSearch(t, x, Query{Text: "email"})); !slices.Equal(got, []string{"email"}) {
		t.Errorf("email: got %v, want [email]", got)
	}
	checkSamePages(t, x, Query{Text: "wifi", Size: 10}, Query{Text: "Wi-Fi", Size: 10, Facets: DefaultFacets()}, Query{Text: "e-mail", Size: 10})
}

// TestSearch_compoundOfWords: a hyphenated compound of words that each
// say something (Moscow-Beijing) is searched as its words, each with its
// other spellings, and the compound itself ranks first: then the
// articles with every word, in any script, then those with some, which
// lack the others. Before, the compound was one clause that an article
// with either word satisfied in its English spelling only: the Russian
// article was not found, and the article with Beijing alone, many
// times, ranked above the one with both words.
func TestSearch_compoundOfWords(t *testing.T) {
	t.Parallel()
	x := openJSONL(t, article("compound", "Axis", "The Moscow-Beijing axis grows stronger every year.")+
		article("both", "Talks", "Officials in Moscow held talks on trade with their counterparts from Beijing this week, and more talks are planned for the spring.")+
		article("ru", "Переговоры", "Москва и Пекин подписали соглашение о торговле.")+
		article("one", "Beijing", "Beijing, Beijing: the dam firm defies Beijing.")+
		article("other", "Weather", "Rain is expected on Monday."))
	// A slash or a dash joins the words as a hyphen does: Russia–China,
	// as a pasted headline writes it, and Trump/Putin had been searched
	// as one clause of their English spellings.
	for _, q := range []Query{{Text: "Moscow-Beijing"}, {Text: "moscow-beijing"}, {Text: "Moscow-Beijing", Match: MatchAll},
		{Text: "Moscow/Beijing"}, {Text: "Moscow–Beijing"}, {Text: "Moscow—Beijing", Match: MatchAll}} {
		res := mustSearch(t, x, q)
		got := hitIDs(res)
		want := 4
		if q.Match == MatchAll {
			want = 3
		}
		if len(got) != want || got[0] != "compound" || !slices.Contains(got[1:3], "both") || !slices.Contains(got[1:3], "ru") {
			t.Errorf("%+v: got %v, want compound, then both and ru, then one", q, got)
			continue
		}
		if res.TotalAll != nil && *res.TotalAll != 3 {
			t.Errorf("%+v: TotalAll %d, want 3 (compound, both, ru)", q, *res.TotalAll)
		}
		if q.Match != MatchAll {
			if h := res.Hits[3]; h.ID != "one" || !slices.Equal(h.Missing, []string{"Moscow"}) && !slices.Equal(h.Missing, []string{"moscow"}) {
				t.Errorf("%+v: last hit %s lacks %v, want one lacking Moscow", q, h.ID, h.Missing)
			}
		}
	}
	// A compound with a word that says nothing alone stays one clause:
	// F-16 is no F and no 16, e-mail no e.
	if got := hitIDs(mustSearch(t, x, Query{Text: "Beijing-e"})); !slices.Contains(got, "one") {
		t.Errorf("Beijing-e: got %v, want Beijing's articles through the word alone", got)
	}
	checkSamePages(t, x, Query{Text: "Moscow-Beijing", Size: 10}, Query{Text: "Moscow-Beijing trade", Size: 10, Facets: DefaultFacets()})

	// A letter before a word makes another word: e-mail is no mail, X-ray
	// no ray; written joined or apart, they are still found.
	y := openJSONL(t, article("hyphen", "Junk e-mail", "Junk e-mail rose again.")+
		article("joined", "Email", "An email went out.")+
		article("apart", "Post", "An e mail went out.")+
		article("mail", "Daily Mail", "The Daily Mail said so; mail order fell.")+
		article("xray", "Scans", "An X-ray machine.")+
		article("ray", "People", "Ray Charles sang.")+
		fillers(3))
	for q, want := range map[string][]string{"e-mail": {"apart", "hyphen", "joined"}, "X-ray": {"xray"}} {
		got := hitIDs(mustSearch(t, y, Query{Text: q, Size: 10}))
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("%s: %v, want %v", q, got, want)
		}
	}

	// A short word of a compound counts when it is a name (Putin-Xi),
	// but not otherwise (Beijing-e above).
	x = openJSONL(t, article("both", "Talks", "Putin met Xi in Kazan.")+
		langArticle("zh", "zh", "普京会见习近平", "普京在喀山会见习近平。")+
		article("putin", "Putin", "Putin spoke, and Putin spoke again.")+
		fillers(3))
	if res := mustSearch(t, x, Query{Text: "Putin-Xi"}); res.TotalAll == nil || *res.TotalAll != 2 || len(res.Hits) != 3 {
		t.Errorf("Putin-Xi: %v, total_all %s; want both and zh with every word, then putin", hitIDs(res), totalAll(res))
	}

	// A compound in a name the gazetteer knows stays whole, and the name
	// is found in all its spellings.
	x = openJSONL(t, article("lee-en", "Seoul", "President Lee Jae-myung met reporters.")+
		langArticle("lee-zh", "zh", "李在明会见记者", "韩国总统李在明会见记者。")+
		fillers(3))
	if res := mustSearch(t, x, Query{Text: "Lee Jae-myung "}); res.TotalAll == nil || *res.TotalAll != 2 {
		t.Errorf("Lee Jae-myung: %v, total_all %s; want lee-en and lee-zh with every word", hitIDs(res), totalAll(res))
	}
}

// TestSearch_compoundWrittenApart: a compound of two ASCII words, quoted
// or split into its words, is the compound however an article writes it:
// with its hyphen, joined, or apart (Rolls Royce), and these rank first,
// together. Before, the compound was its joined term alone, which the
// article that writes the words apart does not have.
func TestSearch_compoundWrittenApart(t *testing.T) {
	t.Parallel()
	x := openJSONL(t, article("hyphen", "Engines", "Rolls-Royce makes engines.")+
		article("joined", "Cars", "RollsRoyce sells cars.")+
		article("apart", "Credit", "Rolls Royce seeks credit.")+
		article("scattered", "Rolls", "Bread rolls, said Mr Royce, and more rolls for the bakery's customers this morning."))
	for _, q := range []string{`"Rolls-Royce"`, "Rolls-Royce"} {
		got := hitIDs(mustSearch(t, x, Query{Text: q}))
		if len(got) < 3 || !slices.Contains(got[:3], "hyphen") || !slices.Contains(got[:3], "joined") || !slices.Contains(got[:3], "apart") {
			t.Errorf("%s: got %v, want hyphen, joined and apart first", q, got)
		}
		if quoted := q[0] == '"'; quoted == slices.Contains(got, "scattered") {
			t.Errorf("%s: got %v: scattered (the words, not the compound) should be found only unquoted", q, got)
		}
	}
}

// TestSearch_ignoredStopWords: a query whose every word is a stop word
// finds nothing, and Results.Ignored names those words, so the reader is
// told they are too common rather than misspelt. A query with another
// word searches it and ignores nothing.
func TestSearch_ignoredStopWords(t *testing.T) {
	t.Parallel()
	x := openFixture(t)
	for _, tt := range []struct {
		q       string
		ignored []string
		found   bool
	}{
		{"there", []string{"there"}, false},
		{`"to be or not to be"`, []string{"to be or not to be"}, false},
		{"title:the и не", []string{"the", "и", "не"}, false},
		{"there -Putin", []string{"there"}, false},
		{"the Putin", nil, true},
		{"Putin", nil, true},
		// Punctuation is no word, not a word too common to search.
		{"---", nil, false},
		{"the ---", []string{"the"}, false},
		// A word too long to be a term is not too common: nothing is
		// ignored, and nothing found.
		{strings.Repeat("a", maxTermBytes+1), nil, false},
		{strings.Repeat("я", maxTermBytes/2+1), nil, false},
	} {
		res, err := x.Search(context.Background(), Query{Text: tt.q})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(res.Ignored, tt.ignored) || (res.Total > 0) != tt.found {
			t.Errorf("%q: ignored %q, total %d; want ignored %q, found %v", tt.q, res.Ignored, res.Total, tt.ignored, tt.found)
		}
	}
	// A control character is refused (QueryTextProblem), not read as a
	// space: a blank query would list every article.
	if _, err := x.Search(context.Background(), Query{Text: "\x00"}); !errors.Is(err, ErrInvalidQuery) {
		t.Errorf("NUL query: %v, want ErrInvalidQuery", err)
	}
}

// TestSearch_copiesMarked: a hit with the title and text of an earlier hit
// of the page is marked as its copy; one with the same title and other
// text (a daily bill auction) is not.
func TestSearch_copiesMarked(t *testing.T) {
	t.Parallel()
	x := openJSONL(t, article("copy1", "FREDDIE MAC ADJUSTS RATES", "Freddie Mac adjusted its discount rates.")+
		article("copy2", "FREDDIE MAC ADJUSTS RATES", "Freddie Mac adjusted its discount rates.  ")+
		article("other", "FREDDIE MAC ADJUSTS RATES", "Freddie Mac adjusted its discount rates again, by more.")+
		fillers(3))
	res := mustSearch(t, x, Query{Text: "Freddie Mac", Size: 10})
	dup := map[string]string{}
	for _, h := range res.Hits {
		dup[h.ID] = h.DuplicateOf
	}
	first, second := "copy1", "copy2"
	if dup["copy1"] != "" {
		first, second = second, first
	}
	if len(res.Hits) != 3 || dup[first] != "" || dup[second] != first || dup["other"] != "" {
		t.Errorf("duplicate_of: %v; want %s a copy of %s, other none", dup, second, first)
	}
}
