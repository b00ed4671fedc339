package index

import (
	"bufio"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// Chinese precision: a Han query is a phrase of overlapping bigrams
// (search.go termQuery), so it should find exactly the articles whose text
// contains the query string, and nothing that merely shares its characters
// or its bigrams apart. The fixtures below are traps for the four names the
// issue asks about; TestChinese_corpusPrecision checks the same on the real
// CCTV news corpus against a substring ground truth.

// zhNames are the queries the issue requires to be found precisely.
var zhNames = []string{"习近平", "普京", "中俄关系", "一带一路"}

// zhFixture is a small all-Chinese corpus: every name once in a true
// article, and traps that hold its characters or bigrams but not the name.
var zhFixture = []struct{ id, title, body string }{
	{"xi", "国家主席习近平会见外宾", "国家主席习近平在人民大会堂会见来访的外国领导人。"},
	// 习 and 近 and 平 apart; also the bigrams 习近 (学习近期) and 近平
	// (接近平衡), but never adjacent as 习近平.
	{"xi-trap", "学生学习近期经济数据", "学生们认真学习近期的经济数据，发现今年收支接近平衡，习惯于平稳增长。"},
	{"putin", "俄罗斯总统普京发表讲话", "俄罗斯总统普京在莫斯科发表年度讲话。"},
	// 普 and 京 apart: 普通, 京剧, 北京.
	{"putin-trap", "普通市民爱看京剧", "许多普通市民周末去北京的剧院看京剧，普及传统文化。"},
	{"sino-russian", "中俄关系持续发展", "两国元首同意推动中俄关系不断向前发展。"},
	{"sino-us", "中美关系面临挑战", "专家认为中美关系面临新的挑战。"},
	// 中, 俄 and 关系 apart; 中俄 and 关系 both present but not as 中俄关系;
	// 中俄，关系 across a comma.
	{"russia-apart", "中国与俄罗斯的关系", "中国与俄罗斯保持良好关系。中俄双方加强海关系统合作。中俄，关系紧密。"},
	{"belt-road", "一带一路倡议十周年", "共建一带一路倡议提出十周年，成果丰硕。"},
	// 一带 and 一路 apart, and adjacent across a comma.
	{"belt-apart", "这一带的一路上", "这一带的一路上风景很美。沿海一带，一路向南。"},
}

// zhFixtureWant is what each query must find in zhFixture. The last rows
// are the price of bigrams, recorded so a change shows: a query matches
// the string wherever it occurs, also across a word boundary (近平 in
// 接近平衡, 京剧 in the true 京剧 only, since 北京的剧院 breaks it).
var zhFixtureWant = []struct {
	query string
	ids   []string
	note  string
}{
	{"习近平", []string{"xi"}, ""},
	{"普京", []string{"putin"}, ""},
	{"中俄关系", []string{"sino-russian"}, ""},
	{"一带一路", []string{"belt-road"}, ""},
	{"中美关系", []string{"sino-us"}, ""},
	{"关系", []string{"russia-apart", "sino-russian", "sino-us"}, "海关系统 counts: 关系 is a substring"},
	{"近平", []string{"xi", "xi-trap"}, "接近平衡 counts: bigrams do not know word boundaries"},
	{"京剧", []string{"putin-trap"}, ""},
	{"一带", []string{"belt-apart", "belt-road"}, ""},
}

func zhRecord(id, title, body string) string {
	b, err := json.Marshal(map[string]string{"id": id, "title": title, "body": body, "date": "2026-01-02", "source": "Test", "lang": "zh"})
	if err != nil {
		panic(err)
	}
	return string(b) + "\n"
}

// zhIDs runs q through the unexported search (no page limit, no
// snippets) and returns every hit's ID, sorted.
func zhIDs(t *testing.T, x *Index, q string, size int) []string {
	t.Helper()
	res, err := x.search(context.Background(), Query{Text: q, Size: size, Fragments: -1}, time.Now())
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	if res.Total != uint64(len(res.Hits)) {
		t.Fatalf("%s: total %d but %d hits returned (size %d too small)", q, res.Total, len(res.Hits), size)
	}
	ids := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		ids[i] = h.ID
	}
	slices.Sort(ids)
	return ids
}

// TestChinese_fixturePrecision: each name finds its article and none of
// the traps.
func TestChinese_fixturePrecision(t *testing.T) {
	t.Parallel()
	var sb strings.Builder
	for _, a := range zhFixture {
		sb.WriteString(zhRecord(a.id, a.title, a.body))
	}
	x, err := openMap(t, t.TempDir(), fstest.MapFS{"zh.jsonl": {Data: []byte(sb.String())}})
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	for _, tt := range zhFixtureWant {
		got := zhIDs(t, x, tt.query, len(zhFixture))
		want := slices.Sorted(slices.Values(tt.ids))
		if !slices.Equal(got, want) {
			t.Errorf("%s: got %v, want %v %s", tt.query, got, want, tt.note)
		}
		// The ground truth the corpus test uses: the query string occurs
		// in title or body.
		var truth []string
		for _, a := range zhFixture {
			if strings.Contains(a.title+"\n"+a.body, tt.query) {
				truth = append(truth, a.id)
			}
		}
		slices.Sort(truth)
		if !slices.Equal(got, truth) {
			t.Errorf("%s: got %v, substring ground truth %v", tt.query, got, truth)
		}
	}
}

// zhCorpusPath is the CCTV Xinwen Lianbo corpus (24,102 articles), outside
// the repository.
const zhCorpusPath = "../../shared/corpus/cctv_xwlb/docs.jsonl.gz"

// zhSampleEvery thins the corpus for the default run: indexing runs at
// ~300 articles/s on 2 cores and ~60/s under -race, so CI's go test -race
// indexes every 48th article (~500) plus the traps of zhSampleKeep (~200),
// in seconds. NEWSEARCH_ZH_CORPUS=all indexes all 24,102 articles (about
// 80 s without the race detector).
const zhSampleEvery = 48

// zhSampleKeep keeps the articles that test precision hardest in the
// sample: all with 中俄 (half of them have no 中俄关系), and those with 近平
// but not 习近平 (逼近平价, "nearing parity").
func zhSampleKeep(text string) bool {
	return strings.Contains(text, "中俄") || strings.Contains(text, "近平") && !strings.Contains(text, "习近平")
}

// TestChinese_corpusPrecision runs the four names on the CCTV corpus and
// compares the hits with the articles whose title or body contains the
// name: precision (hits that contain it) and recall (of those that do).
// By default it indexes a sample (zhSampleEvery); the whole corpus with
//
//	NEWSEARCH_ZH_CORPUS=all go test ./index -run Chinese_corpus -v
func TestChinese_corpusPrecision(t *testing.T) {
	if testing.Short() {
		t.Skip("indexes hundreds of Chinese articles; skipped with -short")
	}
	all := false
	switch v := os.Getenv("NEWSEARCH_ZH_CORPUS"); v {
	case "":
	case "all":
		all = true
	default:
		t.Fatalf("NEWSEARCH_ZH_CORPUS=%q: want \"all\" or nothing", v)
	}
	f, err := os.Open(zhCorpusPath)
	if err != nil {
		t.Skipf("CCTV corpus not found at %s (%v); the shared corpora live outside the repository", zhCorpusPath, err)
	}
	defer f.Close()
	t.Parallel()

	// Keep the sampled records as they are, and their text for the ground
	// truth.
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	var (
		raw  strings.Builder
		text = map[string]string{}
		ids  []string
	)
	sc := bufio.NewScanner(zr)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for i := 0; sc.Scan(); i++ {
		// The corpus writes Chinese unescaped, so the raw line can be
		// sampled before decoding; the decoded text decides the truth.
		if !all && i%zhSampleEvery != 0 && !zhSampleKeep(sc.Text()) {
			continue
		}
		var rec struct{ ID, Title, Body string }
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			t.Fatalf("record %d: %v", i+1, err)
		}
		raw.Write(sc.Bytes())
		raw.WriteByte('\n')
		text[rec.ID] = rec.Title + "\n" + rec.Body
		ids = append(ids, rec.ID)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}

	start := time.Now()
	x, err := openMap(t, t.TempDir(), fstest.MapFS{"cctv.jsonl": {Data: []byte(raw.String())}})
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	t.Logf("indexed %d articles in %s", len(ids), time.Since(start).Round(time.Millisecond))

	var table strings.Builder
	fmt.Fprintf(&table, "\n| query | articles containing it | hits | exact hits | precision | recall |\n|---|---:|---:|---:|---:|---:|\n")
	// 近平 is not a name: it shows that a bigram phrase matches a string
	// wherever it occurs (逼近平价, 习近平), which is what the substring
	// ground truth counts as right.
	for _, q := range append(slices.Clip(zhNames), "近平") {
		var truth []string
		for _, id := range ids {
			if strings.Contains(text[id], q) {
				truth = append(truth, id)
			}
		}
		slices.Sort(truth)
		got := zhIDs(t, x, q, len(ids))
		exact := 0
		for _, id := range got {
			if strings.Contains(text[id], q) {
				exact++
			} else {
				t.Errorf("%s: hit %s does not contain the query", q, id)
			}
		}
		missed := 0
		for _, id := range truth {
			if _, ok := slices.BinarySearch(got, id); !ok {
				missed++
				if missed <= 3 {
					t.Errorf("%s: article %s contains the query but was not found", q, id)
				}
			}
		}
		fmt.Fprintf(&table, "| %s | %d | %d | %d | %s | %s |\n", q, len(truth), len(got), exact,
			ratio(exact, len(got)), ratio(len(truth)-missed, len(truth)))
	}
	t.Log(table.String())
}

// ratio formats a/b to three decimals, "–" when b is 0.
func ratio(a, b int) string {
	if b == 0 {
		return "–"
	}
	return strconv.FormatFloat(float64(a)/float64(b), 'f', 3, 64)
}

// TestChinese_numberUnits: a number and a Chinese character typed
// together (2024年, 3月15日) find the articles that write them before more
// Chinese text (2024年底), where the character is the start of a bigram,
// not a unigram of its own; before, 2024年 found 600 of the news corpora's
// 1,363 articles with it. A longer run typed after the number stays the
// phrase it is: 2024年底 finds no 2024年初.
func TestChinese_numberUnits(t *testing.T) {
	t.Parallel()
	x := openJSONL(t, langArticle("end", "zh", "经济", "2024年底经济增长。")+
		langArticle("games", "zh", "冬奥", "办好２０２４年江原冬青奥会。")+
		langArticle("alone", "zh", "回顾", "回顾2024年，展望未来。")+
		langArticle("start", "zh", "开局", "2024年初经济开局良好。")+
		langArticle("date", "zh", "会议", "3月15日上午召开会议。")+
		langArticle("other", "zh", "年底", "年底经济增长。")+
		fillers(3))
	for _, tt := range []struct {
		q    string
		want []string
	}{
		{"2024年", []string{"alone", "end", "games", "start"}},
		{"２０２４年", []string{"alone", "end", "games", "start"}},
		{"2024年底", []string{"end"}},
		{"3月15日", []string{"date"}},
		{"15日", []string{"date"}},
	} {
		res := mustSearch(t, x, Query{Text: tt.q, Size: 10})
		got := hitIDs(res)
		slices.Sort(got)
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: got %v, want %v", tt.q, got, tt.want)
		}
		for _, h := range res.Hits {
			if !strings.Contains(strings.Join(h.Highlights["body"], ""), "<mark>") {
				t.Errorf("%s: %s has no mark: %q", tt.q, h.ID, h.Highlights["body"])
			}
		}
		// The character matched alone is marked alone: 2024年 in 2024年底.
		if tt.q == "2024年" {
			for _, h := range res.Hits {
				if body := strings.Join(h.Highlights["body"], ""); h.ID == "end" && !strings.Contains(body, "<mark>2024年</mark>底") {
					t.Errorf("2024年: end marked %q, want <mark>2024年</mark>底", body)
				}
			}
		}
	}
}

// TestChinese_characterBeforeNumber: a Chinese character typed before a
// number (约2万, 第3期) finds the articles that write it at the end of a
// longer run (人数约2万), where it is the end of a bigram, not a unigram of
// its own; before, 约2万 found none of the news corpora's 17 articles with
// it. The character is marked alone, and the field's length is the same.
func TestChinese_characterBeforeNumber(t *testing.T) {
	t.Parallel()
	x := openJSONL(t, langArticle("mid", "zh", "人数", "参会人数约2万人。")+
		langArticle("start", "zh", "规模", "约2万人参会。")+
		langArticle("wide", "zh", "观众", "现场观众约２万名。")+
		langArticle("issue", "zh", "期刊", "本刊第3期出版。")+
		langArticle("other", "zh", "合约", "合约到期。")+
		langArticle("three", "zh", "数字", "人数约3万人。")+
		fillers(3))
	for _, tt := range []struct {
		q    string
		want []string
	}{
		{"约2万", []string{"mid", "start", "wide"}},
		{"第3期", []string{"issue"}},
	} {
		res := mustSearch(t, x, Query{Text: tt.q, Size: 10, Typos: false})
		got := hitIDs(res)
		slices.Sort(got)
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: got %v, want %v", tt.q, got, tt.want)
		}
		if tt.q != "约2万" {
			continue
		}
		for _, h := range res.Hits {
			if body := strings.Join(h.Highlights["body"], ""); h.ID == "mid" && !strings.Contains(body, "人数<mark>约2万</mark>人") {
				t.Errorf("约2万: mid marked %q, want 人数<mark>约2万</mark>人", body)
			}
		}
	}
}

// TestChinese_latinJoined: a Latin word written against Chinese (G20峰会,
// APEC会议) is searched as its pieces, as if a space were there, the
// word as typed first; before, it was one phrase and found only the
// articles that write it so. A number and its unit (2024年) stays whole.
func TestChinese_latinJoined(t *testing.T) {
	t.Parallel()
	x := openJSONL(t, langArticle("joined", "zh", "峰会", "G20峰会在印度举行。")+
		langArticle("apart", "zh", "领导人", "G20领导人出席了本次峰会。")+
		langArticle("summit", "zh", "会议", "上合组织峰会开幕。")+
		article("en", "Leaders", "The G20 leaders met in Delhi.")+
		fillers(3))
	res := mustSearch(t, x, Query{Text: "G20峰会", Size: 10})
	got := hitIDs(res)
	if len(got) != 4 || got[0] != "joined" || got[1] != "apart" || res.TotalAll == nil || *res.TotalAll != 2 {
		t.Errorf("G20峰会: %v, total_all %s; want joined, apart, then summit and en", got, totalAll(res))
	}
	if got := hitIDs(mustSearch(t, x, Query{Text: "G20峰会", Match: MatchAll})); len(got) != 2 {
		t.Errorf("G20峰会, match all: %v, want joined and apart", got)
	}
}
