package index

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
)

// TestSignOffs_strip: a last line that a source ends a tenth or more of
// its articles with, twenty times at least, is dropped from then on; a
// rarer one, another source's, a long one and an article's only line are
// kept.
func TestSignOffs_strip(t *testing.T) {
	t.Parallel()
	var s signOffs
	const footer = "🔴 Подписаться на Москву - новостную"
	for i := range 40 {
		body := fmt.Sprintf("Новость номер %d.\n%s", i, footer)
		got, n := s.strip("Москва", body, true)
		if i+1 < minSignOffs {
			if got != body || n != 0 {
				t.Fatalf("article %d: stripped to %q before the sign-off was learnt", i+1, got)
			}
			continue
		}
		if want := fmt.Sprintf("Новость номер %d.", i); got != want || n != 1 {
			t.Fatalf("article %d: %q (%d dropped), want %q", i+1, got, n, want)
		}
	}
	// Another source's repost goes without it too, once one source has
	// taught it; a line no source has taught stays.
	if got, _ := s.strip("Другой канал", "Текст.\n"+footer, true); got != "Текст." {
		t.Errorf("a repost in another channel kept the sign-off: %q", got)
	}
	if got, _ := s.strip("Другой канал", "Текст.\nПодписаться на нас", true); !strings.HasSuffix(got, "Подписаться на нас") {
		t.Errorf("another source's article lost its last line: %q", got)
	}
	// A body that is only the sign-off loses it under a title of its
	// own, and keeps it under a title derived from it.
	if got, _ := s.strip("Москва", footer, true); got != "" {
		t.Errorf("a titled post's one-line body became %q, want none", got)
	}
	if got, _ := s.strip("Москва", footer, false); got != footer {
		t.Errorf("an untitled post's one-line body became %q", got)
	}
	// A one-line body filed again and again is a repeated article, not a
	// sign-off: it is not learnt from, titled or not.
	var dup signOffs
	for i := range 40 {
		if got, _ := dup.strip("Wire", "Most people want lower prices.", true); got == "" {
			t.Fatalf("repeat %d of a one-line article lost its body", i+1)
		}
	}
	// A two-line sign-off goes whole.
	var two signOffs
	for i := range minSignOffs {
		got, _ := two.strip("Топор", fmt.Sprintf("Пост %d.\n👉 Топор Live\nПодписаться", i), true)
		if i+1 == minSignOffs && got != fmt.Sprintf("Пост %d.", i) {
			t.Errorf("two-line sign-off: %q", got)
		}
	}
	// A line a source repeats in under a tenth of its articles is text:
	// CCTV's 王毅参加会见。 ends 0.5% of its items.
	var cctv signOffs
	kept := 0
	for i := range 1000 {
		last := fmt.Sprintf("第%d条新闻。", i)
		if i%20 == 0 {
			last = "王毅参加会见。"
		}
		body := "央视网消息：会谈。\n" + last
		if got, _ := cctv.strip("CCTV", body, true); got == body {
			kept++
		}
	}
	if kept != 1000 {
		t.Errorf("a line in 5%% of the articles was dropped from %d of them", 1000-kept)
	}
}

// TestRead_dropsSignOffs: a channel's sign-off no longer makes its posts
// match the words in it, nor shows in their snippets.
func TestRead_dropsSignOffs(t *testing.T) {
	t.Parallel()
	var jl strings.Builder
	for i := range 40 {
		fmt.Fprintf(&jl, `{"id":"tg-%d","title":"Погода %d","body":"Завтра в столице снег, пост %d.\n🔴 Подписаться на Москву - новостную","source":"Telegram: Москва - новостная","lang":"ru"}`+"\n", i, i, i)
	}
	jl.WriteString(`{"id":"tg-short","title":"Снегопад","body":"🔴 Подписаться на Москву - новостную","source":"Telegram: Москва - новостная","lang":"ru"}` + "\n")
	jl.WriteString(`{"id":"tg-moscow","title":"Снег в Москве","body":"В Москве выпал снег.\n🔴 Подписаться на Москву - новостную","source":"Telegram: Москва - новостная","lang":"ru"}` + "\n")
	x, err := openMap(t, t.TempDir(), fstest.MapFS{"tg.jsonl": {Data: []byte(jl.String())}})
	if err != nil {
		t.Fatal(err)
	}
	res, err := x.Search(context.Background(), Query{Text: "Москва", Match: MatchAll})
	if err != nil {
		t.Fatal(err)
	}
	// The posts read before the sign-off was learnt keep it.
	if want := uint64(minSignOffs - 1 + 1); res.Total != want {
		t.Errorf("Москва: %d articles, want %d (the %d read before the sign-off was learnt, and tg-moscow)", res.Total, want, minSignOffs-1)
	}
	a, err := x.Article(context.Background(), "tg-moscow")
	if err != nil {
		t.Fatal(err)
	}
	if a.Body != "В Москве выпал снег." {
		t.Errorf("tg-moscow body %q, want the sign-off dropped", a.Body)
	}
}

// TestWrite_dropsLearntSignOffs: an article written over the API loses the
// sign-offs its generation's build learnt, and keeps a last line no
// build learnt; a rebuild, which replays the journal, drops them again.
func TestWrite_dropsLearntSignOffs(t *testing.T) {
	t.Parallel()
	const footer = "🔴 Подписаться на Москву - новостную"
	var jl strings.Builder
	for i := range 30 {
		fmt.Fprintf(&jl, `{"id":"tg-%d","title":"Погода %d","body":"Завтра снег, пост %d.\n%s","source":"Telegram: Москва - новостная","lang":"ru"}`+"\n", i, i, i, footer)
	}
	x, err := openMap(t, t.TempDir(), fstest.MapFS{"tg.jsonl": {Data: []byte(jl.String())}})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	write := func(id, body string) {
		t.Helper()
		a := Article{ID: id, Title: "Новость " + id, Body: body, Source: "Telegram: Москва - новостная", Lang: "ru"}
		if err := x.Add(ctx, []Article{a}); err != nil {
			t.Fatal(err)
		}
	}
	write("new", "В Москве снегопад.\n"+footer)
	write("other", "В Москве дождь.\nПодписаться на нас")
	check := func(when string) {
		t.Helper()
		for id, want := range map[string]string{"new": "В Москве снегопад.", "other": "В Москве дождь.\nПодписаться на нас"} {
			a, err := x.Article(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if a.Body != want {
				t.Errorf("%s: %s's body %q, want %q", when, id, a.Body, want)
			}
		}
	}
	check("written")
	if err := x.rebuild(ctx); err != nil {
		t.Fatal(err)
	}
	check("after a rebuild")
}
