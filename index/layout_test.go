package index

import (
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestSwapLayout(t *testing.T) {
	t.Parallel()
	tests := []struct {
		typed, want string
		ok          bool
	}{
		{"Genby", "Путин", true},
		{"Згешт", "Putin", true},
		{"ghbdtn", "привет", true},
		{"Vjcrdf", "Москва", true},
		{"[f,fhjdcr", "хабаровск", true},
		{"'ktrnhjyysq", "электронный", true},
		{"{JPZQCNDJ", "ХОЗЯЙСТВО", true},
		{"ёлка", "`krf", true},
		{"Путин", "Genby", true},
		{"G20", "", false},        // a digit is on both layouts
		{"Путин2", "", false},     //
		{"Pутин", "", false},      // a Latin P among Cyrillic letters
		{",.;", "", false},        // no letter typed
		{"naïve", "", false},      // ï is on neither
		{"", "", false},           //
		{"日本", "", false},         //
		{"a b", "", false},        // a space is on both
		{"Ж", ":", true},          // one key
		{"\"Э\"", "\"'\"", false}, // Э is the quote key; " is Э too, but not a letter on the Latin side
	}
	for _, tt := range tests {
		got, ok := swapLayout(tt.typed)
		if ok != tt.ok || ok && got != tt.want {
			t.Errorf("swapLayout(%q) = %q, %v; want %q, %v", tt.typed, got, ok, tt.want, tt.ok)
		}
	}
	// The two layouts are each other's inverse.
	for en, ru := range latinKeys {
		if russianKeys[ru] != en {
			t.Errorf("%q → %q → %q", en, ru, russianKeys[ru])
		}
	}
	if len(latinKeys) != 66 || len(russianKeys) != 66 {
		t.Errorf("%d and %d keys, want 33 letters in two cases each way", len(latinKeys), len(russianKeys))
	}
}

// TestSuggest_keyboardLayout: a word no article writes whose keys spell,
// on the other layout, a word the articles use is offered as that word.
func TestSuggest_keyboardLayout(t *testing.T) {
	t.Parallel()
	x := openJSONL(t, articles("ru", 3, "Встреча", "Путин встретился с министрами в Москве.")+
		articles("en", 3, "Talks", "Putin met ministers in Moscow.")+
		articles("rare", 2, "Редкость", "Электрон прибыл."))
	tests := []struct {
		text string
		want []string
	}{
		{"Genby ", []string{"Путин "}},
		{"genby", []string{"путин"}},
		{"GENBY ", []string{"ПУТИН "}},
		{"Згешт ", []string{"Putin "}},
		{"Genby d Vjcrdt ", []string{"Путин в Москве "}},
		{"d Vjcrdt ", []string{"в Москве "}},
		{"d ", nil}, // в, alone: one key spells too many words
		{"Genby Moscow ", []string{"Путин Moscow "}},
		{"Putin Москве ", nil},                     // words the articles use
		{"ghbdtn ", nil},                           // привет: in no article
		{"'ktrnhjy ", nil},                         // электрон: in 2 articles, too few
		{"Gen ", nil},                              // пут: three keys, but no word of the articles
		{"Ge ", nil},                               // two keys spell too many words
		{"Vjcrdt 2026 ", []string{"Москве 2026 "}}, // a number is on both layouts
		{"Gentyy ", nil},                           // путенн: a mistyped key is a typo, not a layout
	}
	for _, tt := range tests {
		if got := correctionQueries(t, x, tt.text); !slices.Equal(got, tt.want) {
			t.Errorf("corrections of %q: %q, want %q", tt.text, got, tt.want)
		}
	}
}

// FuzzSwapLayout: a swapped word swaps back to what was typed, unless the
// keys gave no letter to swap back from (жэ is ;').
func FuzzSwapLayout(f *testing.F) {
	for _, s := range []string{"Genby", "Згешт", "[f,fhjdcr", "жэ", "G20", "", "ёЁ`~"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, typed string) {
		swapped, ok := swapLayout(typed)
		if !ok {
			return
		}
		if utf8.RuneCountInString(swapped) != utf8.RuneCountInString(typed) {
			t.Fatalf("swapLayout(%q) = %q: another length", typed, swapped)
		}
		back, ok := swapLayout(swapped)
		if ok && back != typed || !ok && strings.ContainsFunc(swapped, unicode.IsLetter) {
			t.Fatalf("swapLayout(%q) = %q, which swaps back to %q, %v", typed, swapped, back, ok)
		}
	})
}

// TestSearch_keyboardLayout: a word typed on the wrong keyboard layout
// finds what its keys spell on the other one, marked as the articles
// write it, and the name's other spellings; typos=false turns it off.
func TestSearch_keyboardLayout(t *testing.T) {
	t.Parallel()
	x := openJSONL(t, articles("ru", 3, "Встреча", "Путин встретился с министрами в Москве.")+
		articles("en", 2, "Talks", "Putin met ministers in Moscow.")+
		articles("other", 4, "Weather", "Rain in Moscow."))
	res := mustSearch(t, x, Query{Text: "Genby", Typos: true, Fragments: 1})
	if res.Total != 5 {
		t.Errorf("Genby finds %v (%d), want the 5 articles with Путин or Putin", hitIDs(res), res.Total)
	}
	for _, h := range res.Hits {
		marked := strings.Join(h.Highlights["body"], " ")
		if !strings.Contains(marked, "<mark>Путин</mark>") && !strings.Contains(marked, "<mark>Putin</mark>") {
			t.Errorf("%s: snippet %q marks no Путин or Putin", h.ID, marked)
		}
	}
	if ids := hitIDs(res); len(ids) == 5 && !strings.HasPrefix(ids[0], "ru") {
		t.Errorf("Genby ranks %v, want the articles that write Путин first", ids)
	}
	if res := mustSearch(t, x, Query{Text: "Genby"}); res.Total != 0 {
		t.Errorf("Genby with typos=false finds %d, want 0", res.Total)
	}
	// Vjcrdt is Москве: 3 articles write it, and Moscow's other spellings
	// are found with it.
	if res := mustSearch(t, x, Query{Text: "Vjcrdt", Typos: true}); res.Total != 9 {
		t.Errorf("Vjcrdt finds %v, want all 9 articles (Москве, Moscow)", hitIDs(res))
	}
	// A word the articles have as typed is not swapped: Rain is not Кфшт.
	if res := mustSearch(t, x, Query{Text: "Rain", Typos: true}); res.Total != 4 {
		t.Errorf("Rain finds %v, want the 4 weather articles", hitIDs(res))
	}
}
