package index

import (
	"bufio"
	"os"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

// TestExtractEntities: the same people, places and organisations come out
// of English, Russian (inflected) and Chinese text under one canonical name.
func TestExtractEntities(t *testing.T) {
	t.Parallel()
	type want struct{ person, place, org []string }
	cases := []struct {
		name        string
		title, body string
		want        want
	}{
		{
			name:  "en",
			title: "Putin and Xi Reaffirm Partnership At SCO Summit",
			body:  "MOSCOW. Russian President Vladimir Putin met Chinese President Xi Jinping in Moscow before both flew to Beijing for the Shanghai Cooperation Organisation summit. Putin's aide said the SCO would grow.",
			want: want{
				person: []string{"Vladimir Putin", "Xi Jinping"},
				place:  []string{"Moscow", "Beijing"},
				org:    []string{"Shanghai Cooperation Organisation"},
			},
		},
		{
			name: "ru inflected",
			body: "Си Цзиньпин провёл переговоры с Путиным в Москве. Министр иностранных дел Сергей Лавров заявил, что позиция Путина неизменна; встреча с Лавровым прошла в Москве, у стен Кремля. Газ подорожал.",
			want: want{
				person: []string{"Xi Jinping", "Vladimir Putin", "Sergei Lavrov"},
				place:  []string{"Moscow"},
				org:    []string{"Kremlin"},
			},
		},
		{
			name: "zh",
			body: "习近平同普京在莫斯科会谈。上海合作组织峰会在天津举行。欧洲央行加息。",
			want: want{
				person: []string{"Xi Jinping", "Vladimir Putin"},
				place:  []string{"Moscow", "Tianjin", "Europe"}, // Europe in 欧洲央行 (the ECB)
				org:    []string{"Shanghai Cooperation Organisation"},
			},
		},
		{
			// Names inside longer text of data/han-inside.txt are no
			// place: 重庆 of 隆重庆祝 (to celebrate grandly), 古巴 (Cuba)
			// of 内蒙古巴彦淖尔, 印度 (India) of 印度洋 (the Indian Ocean).
			name: "zh names inside longer text",
			body: "重庆市隆重庆祝。内蒙古巴彦淖尔市和古巴。印度洋岛国。",
			want: want{
				place: []string{"Chongqing", "Cuba"},
			},
		},
		{
			name:  "zh only inside longer text",
			title: "隆重庆祝",
			body:  "内蒙古巴彦淖尔市，印度洋岛国，发展中国家，延边朝鲜族自治州。",
		},
		{
			name:  "a place inside a longer one",
			title: "New Mexico Oil Output Falls",
			body:  "Output in New Mexico fell. 新墨西哥州产量下降。",
			want: want{
				place: []string{"New Mexico"},
			},
		},
		{
			name: "names not in the gazetteer",
			body: "The Kremlin Said nothing. Russian Security Council Secretary Sergei Shoigu met Anton Alikhanov, Minister of Industry and Trade, and Xiang Bo, the consul. Earlier Rustam Ivanov spoke. The Council of Mortgage Lenders agreed.",
			want: want{
				person: []string{"Sergei Shoigu", "Anton Alikhanov", "Xiang Bo", "Rustam Ivanov"},
				org:    []string{"Kremlin", "Russian Security Council", "Council of Mortgage Lenders"},
			},
		},
		{
			name: "ru names not in the gazetteer",
			body: "Глава района Рустам Минниханов и губернатор Иван Петров встретились. Сергей Владимирович Иванов выступил.",
			want: want{
				person: []string{"Rustam Minnikhanov", "Ivan Petrov", "Sergei Ivanov"},
			},
		},
		{
			name: "no junk",
			body: "Putin And Xi Reaffirm Strategic Partnership In New Year Video Talks. Spring Festival. The Treaty of Good-Neighborliness, Friendship and Cooperation. General Motors Corp said. China's china. us and US. Chinese and Russian.",
			want: want{
				person: []string{"Vladimir Putin", "Xi Jinping"},
				place:  []string{"China", "United States"},
			},
		},
		{
			name: "the war's places, in three scripts",
			body: "Обстрел Харькова и Курской области. Shells hit Kharkiv and Odesa. 哈尔科夫和扎波罗热遭到炮击。МАГАТЭ направило миссию в Запорожье.",
			want: want{
				place: []string{"Kharkiv", "Zaporizhzhia", "Kursk", "Odesa"}, // Han first (scanHan)
				org:   []string{"IAEA"},
			},
		},
		{
			name: "CCTV the broadcaster, CCTV the cameras",
			body: "State broadcaster CCTV reported the talks. Police studied CCTV footage of the street. Мальчик бросил обувь в камеры CCTV.",
			want: want{
				org: []string{"CCTV"},
			},
		},
		{
			name: "CCTV cameras only",
			body: "CCTV cameras caught the thief. Police released CCTV images.",
			want: want{},
		},
		{
			// The English corpora's people without a title before them,
			// and their central banks (the person facet had Tony Blair in
			// 30 BBC articles of the 155 that name him, always after Prime
			// Minister). A given name that is also a word or a surname
			// makes no name: Will Britain, Michael Howard.
			name: "en names without titles",
			body: "Tony Blair is now recycling it, Michael Howard said. Will Britain follow? Reagan met Margaret Thatcher. The Fed and the Bank of Japan held rates; the Bundesbank did not, nor did the EEC. Karl Otto Poehl, its president, spoke. John Terry scored; Charles Schwab gained. The Industrial Bank of Japan lent.",
			want: want{
				person: []string{"Tony Blair", "Michael Howard", "Ronald Reagan", "Margaret Thatcher", "Karl Otto Poehl", "John Terry"},
				place:  []string{"United Kingdom", "Japan"},
				org:    []string{"Federal Reserve", "Bank of Japan", "Bundesbank", "European Community", "Charles Schwab", "Industrial Bank"}, // not the Bank of Japan
			},
		},
		{
			name:  "acronyms and possessives",
			title: "NATO, the EU and the U.S. on Russia's UN Seat",
			want: want{
				place: []string{"United States", "Russia"},
				org:   []string{"NATO", "European Union", "United Nations"},
			},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			e := extractEntities(c.title, c.body)
			got := want{e[entityPerson], e[entityPlace], e[entityOrg]}
			if diff := cmp.Diff(c.want, got, cmp.AllowUnexported(want{}), cmp.Transformer("nilEmpty", func(s []string) []string {
				if len(s) == 0 {
					return nil
				}
				return s
			})); diff != "" {
				t.Errorf("entities (-want +got):\n%s", diff)
			}
		})
	}
}

// TestExtractEntities_limits: an article contributes at most
// maxEntitiesPerKind values per kind.
func TestExtractEntities_limits(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	for _, s := range []string{"Ivanov", "Petrov", "Sidorov", "Smirnov", "Kuznetsov", "Popov", "Vasiliev", "Sokolov", "Mikhailov", "Novikov", "Fedorov", "Morozov", "Volkov", "Alekseev", "Lebedev", "Semenov", "Egorov", "Pavlov", "Kozlov", "Stepanov", "Nikolaev", "Orlov"} {
		b.WriteString("Then Ivan " + s + " spoke. ")
	}
	e := extractEntities("", b.String())
	if len(e[entityPerson]) != maxEntitiesPerKind {
		t.Errorf("%d persons, want %d", len(e[entityPerson]), maxEntitiesPerKind)
	}
}

// TestGazetteer: the embedded gazetteer parses, every canonical name finds
// its own entity, and the query-time name table (names.txt) agrees with
// it: spellings grouped there never belong to two different entities.
func TestGazetteer(t *testing.T) {
	t.Parallel()
	g, err := parseGazetteer(entitiesFile)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(g.entities); n < 150 || n > 400 {
		t.Errorf("%d entities; the gazetteer is meant to stay modest (150–400)", n)
	}
	// entityOf is the one entity s names: an organisation's name may
	// also give the place it holds (Bank of Japan: Japan), which is not
	// the entity it names.
	entityOf := func(s string) (string, bool) {
		e := extractEntities("", s)
		for _, k := range []int{entityOrg, entityPerson, entityPlace} {
			if len(e[k]) == 1 {
				return e[k][0], true
			}
		}
		return "", false
	}
	for _, e := range g.entities {
		if got, ok := entityOf(e.canonical); !ok || got != e.canonical {
			t.Errorf("%q finds %q", e.canonical, got)
		}
	}
	f, err := os.Open("data/names.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line, _, _ := strings.Cut(sc.Text(), "#")
		var found []string
		for _, m := range strings.Split(line, "|") {
			if m = strings.TrimSpace(m); m == "" {
				continue
			}
			if e, ok := entityOf(m); ok && !slices.Contains(found, e) {
				found = append(found, e)
			}
		}
		if len(found) > 1 {
			t.Errorf("names.txt %q: spellings of different entities %q", line, found)
		}
	}
}

func TestParseGazetteer_errors(t *testing.T) {
	t.Parallel()
	for _, text := range []string{
		"person | Putin\nplace | Putin",
		"thing | Putin",
		"person",
		"place | 京",
		"org | of Something",
		"person | Putin | | Путин",
	} {
		if _, err := parseGazetteer(text); err == nil {
			t.Errorf("%q: no error", text)
		}
	}
}

func TestCyrillicStem(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		word, stem string
		adj, exact bool
	}{
		{"путин", "путин", false, false},
		{"москва", "москв", false, false},
		{"россия", "росси", false, false},
		{"казань", "казан", false, false},
		{"китай", "кита", false, false},
		{"зеленский", "зеленск", true, false},
		{"шойгу", "шойгу", false, true},
		{"си", "си", false, true},
	} {
		stem, adj, exact := cyrillicStem(c.word)
		if stem != c.stem || adj != c.adj || exact != c.exact {
			t.Errorf("cyrillicStem(%q) = %q, %v, %v; want %q, %v, %v", c.word, stem, adj, exact, c.stem, c.adj, c.exact)
		}
	}
}

// FuzzTextWords holds every word textWords finds to what its text says:
// the words in order, apart and not empty, and a word's capital, all
// capitals and script those of its letters (its first letter's script;
// ASCII letters are Latin; no letters, a number).
func FuzzTextWords(f *testing.F) {
	for _, s := range []string{"Putin and Xi met in Нью-Дели.", "NATO's U.S. base, 2024-25", "ИТАР-ТАСС сообщил: «Путин»",
		"习近平 met Путиным", "a-b 'c' d.e. x.", "éclair Ölfeld naïve", "mIxEd cAsE\u00a0words", "ǅemal 123abc abc123"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		end := 0
		for _, w := range textWords(s, nil) {
			if w.start < end || w.end <= w.start || w.end > len(s) {
				t.Fatalf("%q: word [%d, %d) after %d", s, w.start, w.end, end)
			}
			end = w.end
			letters, upper := 0, 0
			first := rune(-1)
			for _, r := range s[w.start:w.end] {
				if unicode.IsLetter(r) {
					if first < 0 {
						first = r
					}
					letters++
					if unicode.IsUpper(r) {
						upper++
					}
				}
			}
			script := scriptNumber
			switch {
			case letters == 0:
			case first < utf8.RuneSelf || unicode.Is(unicode.Latin, first):
				script = scriptLatin
			case unicode.Is(unicode.Cyrillic, first):
				script = scriptCyrillic
			default:
				script = scriptOther
			}
			cap := first >= 0 && unicode.IsUpper(first)
			all := letters > 0 && upper == letters
			if w.script != script || w.cap != cap || w.allCaps != all {
				t.Fatalf("%q: word %q: script %v, capital %v, all capitals %v; want %v, %v, %v",
					s, s[w.start:w.end], w.script, w.cap, w.allCaps, script, cap, all)
			}
		}
	})
}

// BenchmarkEntities extracts the entities of the seed articles (English
// news with Russian and Chinese names, 3–6 KB each).
//
//	go test ./index -run '^$' -bench Entities -benchmem
func BenchmarkEntities(b *testing.B) {
	arts, err := ReadSeeds(os.DirFS("../seeds"))
	if err != nil {
		b.Fatal(err)
	}
	bytes := 0
	for _, a := range arts {
		bytes += len(a.Title) + len(a.Body)
	}
	defaultGazetteer()
	b.SetBytes(int64(bytes / len(arts)))
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		a := &arts[i%len(arts)]
		extractEntities(a.Title, a.Body)
		i++
	}
}
