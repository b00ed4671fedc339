package server

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"newsearch/index"
)

// The browser tests drive Debian's headless Chromium against the real
// server (server.New over a real index of ../seeds plus testdata/articles)
// and write screenshots of the main states to $NEWSEARCH_ARTIFACTS (or a
// temporary directory). They skip when /usr/bin/chromium is absent; CI
// installs it (see .ci/run).

const chromiumPath = "/usr/bin/chromium"

// browserEnv is one test's server and browser tab.
type browserEnv struct {
	t    *testing.T
	ctx  context.Context
	base string
	h    http.Handler
}

// newBrowser starts the site over a real index behind an httptest server,
// wrapped by wrap when given, and a headless Chromium with one tab of the
// given size.
func newBrowser(t *testing.T, width, height int, wrap func(http.Handler) http.Handler, extra ...index.Input) *browserEnv {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Skipf("browser test skipped: %s not found (apt-get install chromium)", chromiumPath)
	}
	h, _ := openLive(t, extra...)
	site := h
	if wrap != nil {
		site = wrap(h)
	}
	srv := httptest.NewServer(site)
	t.Cleanup(srv.Close)

	browser, err := sharedBrowser()
	if err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	// Each test gets a tab in a browser context of its own (no shared
	// cache, storage or history) and a deadline.
	ctx, cancelCtx := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	if err := chromedp.Do(ctx); err != nil {
		cancelCtx()
		t.Fatalf("open a tab: %v", err)
	}
	tctx, cancelT := context.WithTimeout(ctx, 25*time.Second)
	t.Cleanup(func() { cancelT(); cancelCtx() })
	// Record what a page should never produce: Content-Security-Policy
	// violations (inline script or style the page itself tried to use) and
	// uncaught script errors. Checked when the test ends.
	record := chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: problemRecorder})
		return err
	})
	if err := chromedp.Do(tctx, chromedp.EmulateViewport(int64(width), int64(height)), record); err != nil {
		t.Fatal(err)
	}
	b := &browserEnv{t: t, ctx: tctx, base: srv.URL, h: h}
	t.Cleanup(b.checkProblems) // runs before the browser closes
	return b
}

// browser is the one headless Chromium the browser tests share: starting
// one takes about a second, a tab much less. TestMain closes it.
var browser struct {
	once   sync.Once
	ctx    context.Context
	cancel func()
	dir    string
	err    error
}

func sharedBrowser() (context.Context, error) {
	browser.once.Do(func() {
		dir, err := os.MkdirTemp("", "newsearch-chromium-")
		if err != nil {
			browser.err = err
			return
		}
		browser.dir = dir
		opts := append(chromedp.DefaultExecAllocatorOptions[:],
			chromedp.ExecPath(chromiumPath),
			chromedp.NoSandbox, // CI runs as root
			chromedp.UserDataDir(dir),
			chromedp.Flag("disable-quic", true),
			chromedp.WindowSize(1280, 900),
		)
		allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
		ctx, cancelCtx := chromedp.NewContext(allocCtx)
		browser.ctx, browser.cancel = ctx, func() { cancelCtx(); cancelAlloc() }
		// No deadline here: the first Run binds the browser's life to its
		// context.
		browser.err = chromedp.Do(ctx)
	})
	return browser.ctx, browser.err
}

func TestMain(m *testing.M) {
	code := m.Run()
	if browser.cancel != nil {
		browser.cancel()
	}
	if browser.dir != "" {
		os.RemoveAll(browser.dir)
	}
	os.Exit(code)
}

// problemRecorder runs in every page before its scripts.
const problemRecorder = `window.__problems = [];
document.addEventListener("securitypolicyviolation", (e) => window.__problems.push("CSP: " + e.violatedDirective + " " + e.blockedURI + " " + e.sourceFile + ":" + e.lineNumber));
window.addEventListener("error", (e) => window.__problems.push("error: " + e.message + " " + e.filename + ":" + e.lineno));
window.addEventListener("unhandledrejection", (e) => window.__problems.push("unhandled rejection: " + e.reason));`

// checkProblems fails the test if the current page recorded a CSP
// violation or an uncaught error.
func (b *browserEnv) checkProblems() {
	problems, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]string](`window.__problems || []`))
	if err != nil {
		b.t.Errorf("read page problems: %v", err)
		return
	}
	for _, p := range problems {
		b.t.Errorf("page problem: %s", p)
	}
}

func (b *browserEnv) do(steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, steps...); err != nil {
		b.t.Fatal(err)
	}
}

// js evaluates a JavaScript expression.
func js[T any](b *browserEnv, expr string) T {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		b.t.Fatalf("%s: %v", expr, err)
	}
	return v
}

// wait polls until the expression is truthy, failing after ten seconds
// with what the page shows.
func (b *browserEnv) wait(what, expr string) {
	b.t.Helper()
	_, err := chromedp.Run(b.ctx, chromedp.Poll[bool]("Boolean("+expr+")", chromedp.WithPollingTimeout(10*time.Second)))
	if err != nil {
		status, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string](`location.href + " | " + document.getElementById("status").textContent + " | " + (document.getElementById("error").hidden ? "" : document.getElementById("error").textContent)`))
		b.t.Fatalf("waiting for %s: %v (page: %s)", what, err, status)
	}
}

// open loads a page of the site and waits for its first results or article.
func (b *browserEnv) open(path string) {
	b.t.Helper()
	b.do(chromedp.Navigate(b.base + path))
	b.wait("the page to render", `document.getElementById("status").textContent !== "" || document.getElementById("article-title").textContent !== ""`)
}

// screenshot writes the whole page as a PNG test artifact.
func (b *browserEnv) screenshot(name string) {
	b.t.Helper()
	b.shoot(name, chromedp.FullScreenshot(100))
}

// screenshotViewport writes what the window shows.
func (b *browserEnv) screenshotViewport(name string) {
	b.t.Helper()
	b.shoot(name, chromedp.CaptureScreenshot())
}

func (b *browserEnv) shoot(name string, capture chromedp.Action[[]byte]) {
	b.t.Helper()
	dir := os.Getenv("NEWSEARCH_ARTIFACTS")
	if dir == "" {
		dir = b.t.TempDir()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.t.Fatal(err)
	}
	png, err := chromedp.Run(b.ctx, capture)
	if err != nil {
		b.t.Fatal(err)
	}
	path := filepath.Join(dir, name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		b.t.Fatal(err)
	}
	b.t.Logf("screenshot %s", path)
}

// apiTotal asks the API directly how many articles a search finds.
func (b *browserEnv) apiTotal(query string) int {
	b.t.Helper()
	return int(b.api(query).Total)
}

// api returns the API's answer to GET /api/search?query.
func (b *browserEnv) api(query string) searchResponse {
	b.t.Helper()
	rec := httptest.NewRecorder()
	b.h.ServeHTTP(rec, httptest.NewRequest("GET", "/api/search?"+query, nil))
	var res searchResponse
	if err := json.Unmarshal(rec.Body.Bytes(), &res); err != nil || rec.Code != 200 {
		b.t.Fatalf("api %s: %d %s", query, rec.Code, rec.Body)
	}
	return res
}

const statusJS = `document.getElementById("status").textContent`

// sortMenuJS is the Sort menu's value and whether Relevance is disabled.
const sortMenuJS = `document.getElementById("sort").value + " " + document.querySelector('#sort option[value="relevance"]').disabled`

// TestBrowser_typeQuery: typing gives highlighted results with the right
// count, as you type, and the URL follows.
func TestBrowser_typeQuery(t *testing.T) {
	b := newBrowser(t, 1280, 900, nil)
	b.open("/")
	all := b.apiTotal("")
	b.wait("the newest articles", fmt.Sprintf(`%s.startsWith("%d articles")`, statusJS, all))
	if n := js[int](b, `document.querySelectorAll("#hits .hit").length`); n != all {
		t.Errorf("empty query shows %d hits, want all %d", n, all)
	}
	// Without words the Sort menu says what the order is: newest first,
	// relevance not offered.
	if got := js[string](b, sortMenuJS); got != "date true" {
		t.Errorf("empty query: Sort menu %q, want date, relevance disabled", got)
	}
	// Nor with only spaces (it had said Relevance).
	b.open("/?q=%20%20")
	b.wait("the newest articles", fmt.Sprintf(`%s.startsWith("%d articles")`, statusJS, all))
	if got := js[string](b, sortMenuJS); got != "date true" {
		t.Errorf("a query of spaces: Sort menu %q, want date, relevance disabled", got)
	}
	// The page has a top heading for screen readers' heading navigation.
	if got := js[string](b, `[...document.querySelectorAll("h1")].filter(h => !h.closest("[hidden]")).map(h => h.textContent).join("|")`); got != "Search news articles" {
		t.Errorf("visible h1s %q, want the search view's", got)
	}
	b.open("/")

	want := b.apiTotal("q=Putin")
	b.do(chromedp.SendKeys(chromedp.ID("q"), "Putin"))
	b.wait("results for Putin", fmt.Sprintf(`%s.startsWith("%d article") && document.querySelectorAll("#hits mark").length > 0`, statusJS, want))
	hits := js[int](b, `document.querySelectorAll("#hits .hit").length`)
	withMark := js[int](b, `[...document.querySelectorAll("#hits .hit")].filter(h => /putin/i.test([...h.querySelectorAll("mark")].map(m => m.textContent).join(" "))).length`)
	if hits != want || withMark != want {
		t.Errorf("%d hits, %d with a highlighted Putin; the API finds %d", hits, withMark, want)
	}
	if !strings.Contains(js[string](b, statusJS), " ms") {
		t.Errorf("status %q lacks the time", js[string](b, statusJS))
	}
	b.wait("the URL", `location.search === "?q=Putin"`)
	if got := js[string](b, sortMenuJS); got != "relevance false" {
		t.Errorf("Putin: Sort menu %q, want relevance, enabled", got)
	}
	if got := js[string](b, `document.title`); got != "Putin – newsearch" {
		t.Errorf("title %q", got)
	}
	b.screenshot("results")

	// Enter searches at once, and a reload restores the search.
	b.do(chromedp.SendKeys(chromedp.ID("q"), " Xi\r"))
	b.wait("results for Putin Xi", `location.search === "?q=Putin+Xi" && document.querySelectorAll("#hits mark").length > 0`)
	b.do(chromedp.Reload())
	b.wait("the reloaded search", `document.getElementById("q").value === "Putin Xi" && document.querySelectorAll("#hits .hit").length > 0`)

	// When not every article has every word, the status says how many do.
	res := b.api("q=Putin+Kazan")
	if res.TotalAll == nil || *res.TotalAll == 0 || *res.TotalAll >= res.Total {
		t.Fatalf("Putin Kazan: total %d, total_all %v: the seeds no longer have articles with one of the words only", res.Total, fmtPtr(res.TotalAll))
	}
	b.open("/?q=Putin+Kazan")
	every := fmt.Sprintf("%d articles · %d with every word · ", res.Total, *res.TotalAll)
	b.wait("the count with every word", fmt.Sprintf(`%s.startsWith(%q)`, statusJS, every))
	// ...and each hit that lacks a word says which.
	var lacking []string
	for _, h := range res.Hits {
		if len(h.Missing) > 0 {
			lacking = append(lacking, "Missing: "+strings.Join(h.Missing, ", "))
		}
	}
	if len(lacking) != int(res.Total-*res.TotalAll) {
		t.Errorf("API: %d hits name missing words, want %d", len(lacking), res.Total-*res.TotalAll)
	}
	got := js[[]string](b, `[...document.querySelectorAll("#hits .hit .missing")].map(p => p.textContent)`)
	if !slices.Equal(got, lacking) {
		t.Errorf("the page's missing words %q, the API's %q", got, lacking)
	}
	b.screenshot("missing-words")
}

// TestBrowser_facets: ticking a source narrows the results while the other
// sources keep their counts (disjunctive facets); the URL changes; Back
// restores the previous state.
func TestBrowser_facets(t *testing.T) {
	b := newBrowser(t, 1280, 900, nil)
	b.open("/?q=Russia")
	total := b.apiTotal("q=Russia")
	b.wait("results", fmt.Sprintf(`%s.startsWith("%d articles")`, statusJS, total))
	sources := js[[]string](b, `[...document.querySelectorAll("#facet-source .facet-value")].map(l => l.textContent)`)
	if len(sources) < 2 {
		t.Fatalf("source facet shows %q; want at least two sources", sources)
	}
	// Tick the last (smallest) source.
	value := js[string](b, `[...document.querySelectorAll("#facet-source input")].at(-1).value`)
	narrowed := b.apiTotal("q=Russia&source=" + url.QueryEscape(value))
	if narrowed >= total {
		t.Fatalf("source %q does not narrow %d results", value, total)
	}
	b.do(chromedp.Click(chromedp.CSS(`#facet-source li:last-child input`)))
	b.wait("narrowed results", fmt.Sprintf(`%s.startsWith("%d article") && document.querySelectorAll("#hits .hit").length === %d`, statusJS, narrowed, narrowed))
	if got := js[string](b, `location.search`); got != "?q=Russia&source="+url.QueryEscape(value) {
		t.Errorf("URL query %q", got)
	}
	after := js[[]string](b, `[...document.querySelectorAll("#facet-source .facet-value")].map(l => l.textContent)`)
	if strings.Join(after, "|") != strings.Join(sources, "|") {
		t.Errorf("source facet changed with its own selection:\nbefore %q\nafter  %q", sources, after)
	}
	if !js[bool](b, `document.querySelector("#facet-source li:last-child input").checked && document.activeElement === document.querySelector("#facet-source li:last-child input")`) {
		t.Error("the ticked checkbox is not checked and focused after the results came")
	}
	if !js[bool](b, `!document.getElementById("chips").hidden && document.getElementById("chips").textContent.includes(`+jsString(value)+`)`) {
		t.Error("no active-filter chip")
	}
	b.screenshot("facet-selected")
	// Removing the chip with the keyboard leaves the focus in the page,
	// on the search box when no chip is left, not on nothing.
	b.do(chromedp.Focus(chromedp.CSS("#chips button.chip")), chromedp.KeyEvent(kb.Enter))
	b.wait("the filter removed", `location.search === "?q=Russia" && document.getElementById("chips").hidden`)
	if got := js[string](b, `document.activeElement.id || document.activeElement.tagName`); got != "q" {
		t.Errorf("after removing the last chip, focus is on %q, want the search box", got)
	}
	b.do(chromedp.NavigateBack())
	b.wait("the filter again", `!document.getElementById("chips").hidden`)

	b.do(chromedp.NavigateBack())
	b.wait("the previous state", fmt.Sprintf(`location.search === "?q=Russia" && %s.startsWith("%d articles") && !document.querySelector("#facet-source input:checked")`, statusJS, total))

	// The date histogram: clicking a month filters by it.
	month := js[string](b, `[...document.querySelectorAll(".histogram .bar")].find(b => !b.classList.contains("zero")).dataset.key.split(" :: ")[1]`)
	b.do(chromedp.Click(chromedp.CSS(`.histogram .bar:not(.zero)`)))
	b.wait("a month filter", fmt.Sprintf(`location.search.includes("from_date=%s-01") && location.search.includes("to_date=%s-")`, month, month))
	b.wait("the month's results", `document.querySelector(".histogram .bar.selected") && document.querySelectorAll("#hits .hit").length > 0`)
	b.do(chromedp.Click(chromedp.CSS(`#clear-all`)))
	b.wait("all dates again", `location.search === "?q=Russia" && !document.querySelector(".histogram.has-selection")`)

	// Dragging across the histogram selects a range of months.
	type point struct{ X, Y float64 }
	ends := js[[]point](b, `(() => { const bars = [...document.querySelectorAll(".histogram .bar")];
		const c = (e) => { const r = e.getBoundingClientRect(); return {X: r.left + r.width / 2, Y: r.bottom - 3}; };
		return [c(bars[0]), c(bars.at(-1))]; })()`)
	months := js[[]string](b, `[...document.querySelectorAll(".histogram .bar")].map(b => b.dataset.key.split(" :: ")[1])`)
	b.do(chromedp.MouseEvent(chromedp.MousePressed, ends[0].X, ends[0].Y, chromedp.ButtonLeft, chromedp.ClickCount(1)),
		chromedp.MouseEvent(chromedp.MouseMoved, (ends[0].X+ends[1].X)/2, ends[0].Y, chromedp.ButtonLeft),
		chromedp.MouseEvent(chromedp.MouseMoved, ends[1].X, ends[1].Y, chromedp.ButtonLeft),
		chromedp.MouseEvent(chromedp.MouseReleased, ends[1].X, ends[1].Y, chromedp.ButtonLeft, chromedp.ClickCount(1)))
	b.wait("a range of months", fmt.Sprintf(`location.search.includes("from_date=%s-01") && location.search.includes("to_date=%s-")`, months[0], months[len(months)-1]))
	b.wait("every month selected", `document.querySelectorAll(".histogram .bar.selected").length === document.querySelectorAll(".histogram .bar").length`)
}

// TestBrowser_entityFacets: the page asks for the people, places and
// organisations facets and shows them; ticking a person filters by the
// person parameter, and the other people stay visible (disjunctive).
func TestBrowser_entityFacets(t *testing.T) {
	b := newBrowser(t, 1280, 900, nil)
	b.open("/?q=Russia")
	total := b.apiTotal("q=Russia")
	b.wait("results", fmt.Sprintf(`%s.startsWith("%d articles")`, statusJS, total))
	for _, id := range []string{"facet-person", "facet-place", "facet-org"} {
		if n := js[int](b, `document.querySelectorAll("#`+id+` .facet-value").length`); n == 0 {
			t.Errorf("#%s shows no values", id)
		}
	}
	// The filters panel scrolls down, never sideways: its rows' hover
	// backgrounds reach past its edges and once gave it a horizontal
	// scrollbar.
	if w := js[[]int](b, `(f => [f.scrollWidth, f.clientWidth])(document.querySelector(".facets"))`); w[0] > w[1] {
		t.Errorf("filters panel is %dpx wide inside %dpx: it scrolls sideways", w[0], w[1])
	}
	people := js[[]string](b, `[...document.querySelectorAll("#facet-person input")].map(i => i.value)`)
	if !slices.Contains(people, "Vladimir Putin") || !slices.Contains(people, "Xi Jinping") {
		t.Fatalf("people facet %q; want Vladimir Putin and Xi Jinping", people)
	}
	// Tick the person with the fewest articles.
	value := people[len(people)-1]
	narrowed := b.apiTotal("q=Russia&person=" + url.QueryEscape(value))
	if narrowed >= total || narrowed == 0 {
		t.Fatalf("person %q gives %d of %d results: pick one that narrows", value, narrowed, total)
	}
	b.do(chromedp.Click(chromedp.CSS(`#facet-person li:last-child input`)))
	b.wait("narrowed results", fmt.Sprintf(`%s.startsWith("%d article") && document.querySelectorAll("#hits .hit").length === %d`, statusJS, narrowed, narrowed))
	if got, want := js[string](b, `location.search`), "?q=Russia&person="+strings.ReplaceAll(url.QueryEscape(value), "%20", "+"); got != want {
		t.Errorf("URL query %q, want %q", got, want)
	}
	after := js[[]string](b, `[...document.querySelectorAll("#facet-person input")].map(i => i.value)`)
	if strings.Join(after, "|") != strings.Join(people, "|") {
		t.Errorf("people facet changed with its own selection:\nbefore %q\nafter  %q", people, after)
	}
	if !js[bool](b, `document.getElementById("chips").textContent.includes(`+jsString("People: "+value)+`)`) {
		t.Error("no People chip for the selection")
	}
	b.screenshot("entity-facet-selected")
}

// TestBrowser_typosAndPrefix: a misspelt word finds its article, a prefix
// finds it while typing, and with nothing found the page says so and
// offers the correction.
func TestBrowser_typosAndPrefix(t *testing.T) {
	b := newBrowser(t, 1280, 900, nil)
	b.open("/")
	b.do(chromedp.SendKeys(chromedp.ID("q"), "Shoigo "))
	b.wait("a typo-tolerant result", `document.querySelector("#hits mark") && [...document.querySelectorAll("#hits mark")].some(m => m.textContent === "Shoigu")`)
	b.wait("did you mean", `document.querySelector("#suggest .correction") && document.querySelector("#suggest .correction").textContent === "Shoigu "`)

	b.do(chromedp.Click(chromedp.ID("clear")), chromedp.SendKeys(chromedp.ID("q"), "Minnik"))
	b.wait("a prefix result while typing", `[...document.querySelectorAll("#hits mark")].some(m => m.textContent === "Minnikhanov")`)
	b.wait("a completion", `document.querySelector("#suggest .completion") && document.querySelector("#suggest .completion").textContent.startsWith("Minnikhanov")`)
	b.screenshot("prefix-completion")
	b.do(chromedp.Click(chromedp.CSS("#suggest .completion")))
	b.wait("the completed query", `document.getElementById("q").value === "Minnikhanov " && location.search === "?q=Minnikhanov+"`)

	// Exact words only: nothing found, the page says so and suggests.
	b.open("/?q=Shoigo&typos=false")
	b.wait("no results", `!document.getElementById("empty").hidden && document.getElementById("empty").textContent.includes("No articles match")`)
	b.wait("the correction", `document.querySelector("#empty .correction")`)
	if got := js[string](b, statusJS); !strings.HasPrefix(got, "0 articles") {
		t.Errorf("status %q", got)
	}
	b.screenshot("no-results")
	b.do(chromedp.Click(chromedp.CSS("#empty .correction")))
	b.wait("the corrected search", `location.search === "?q=Shoigu&typos=false" && document.querySelectorAll("#hits .hit").length === 1`)

	// Only stop words: the page says they are too common, not misspelt.
	b.open("/?q=there+it+is")
	b.wait("the stop words named", `!document.getElementById("empty").hidden && document.getElementById("empty-ignored") &&
		document.getElementById("empty-ignored").textContent === "there, it and is are too common to search for: add a word that says what the articles are about." && document.querySelectorAll("#empty-ignored q").length === 3`)
	if got := js[string](b, `document.getElementById("empty").textContent`); strings.Contains(got, "Check the spelling") {
		t.Errorf("stop words only: the page says to check the spelling: %q", got)
	}
	b.screenshot("stop-words")
}

// TestBrowser_xss: an article whose title, body and source hold <script>,
// <img onerror> and javascript: links is shown as text, and none of it runs.
func TestBrowser_xss(t *testing.T) {
	b := newBrowser(t, 1280, 900, nil)
	b.open("/?q=Hostile")
	b.wait("the hostile article", `document.querySelector("#hits .hit-link")`)
	check := func(where string) {
		t.Helper()
		if js[bool](b, `window.__pwned !== undefined`) {
			t.Fatalf("%s: a script from the article ran", where)
		}
		if n := js[int](b, `document.querySelectorAll("main script, main img, main iframe, main [onerror], main [onmouseover], main a[href^='javascript:' i]").length`); n != 0 {
			t.Errorf("%s: %d elements from article text in the page", where, n)
		}
	}
	check("results")
	title := js[string](b, `document.querySelector("#hits .hit-link").textContent`)
	if !strings.Contains(title, "<script>window.__pwned=1</script>") || !strings.Contains(title, "<img src=x") {
		t.Errorf("title not shown as text: %q", title)
	}
	if src := js[string](b, `document.querySelector("#hits .source").textContent`); !strings.Contains(src, "<b onmouseover") {
		t.Errorf("source not shown as text: %q", src)
	}
	b.do(chromedp.Click(chromedp.CSS("#hits .hit-link")))
	b.wait("the article", `location.pathname === "/articles/xss-test" && document.getElementById("article-body").textContent.includes("javascript:")`)
	check("article")
	if !js[bool](b, `document.getElementById("article-body").textContent.includes('<a href="javascript:window.__pwned=1">click me</a>')`) {
		t.Error("article body not shown as text")
	}
	href := js[string](b, `(document.querySelector("#article-meta a.original") || {}).href || ""`)
	if !strings.HasPrefix(href, "https://example.org/") || strings.Contains(href, "<") {
		t.Errorf("original link %q", href)
	}
	time.Sleep(200 * time.Millisecond) // give an injected handler a chance
	check("article, later")
}

// TestBrowser_keyboard: / focuses the box, arrows move through the
// results, Enter opens one, Esc goes back and clears.
func TestBrowser_keyboard(t *testing.T) {
	b := newBrowser(t, 1280, 900, nil)
	b.open("/?q=Russia")
	b.wait("results", `document.querySelectorAll("#hits .hit-link").length >= 2`)
	// A search opened from an address offers no completions until the
	// box is used (a shared link had shown a row of them at once).
	b.do(chromedp.Evaluate[chromedp.Void](`document.activeElement.blur()`), chromedp.Sleep(500*time.Millisecond))
	if n := js[int](b, `document.querySelectorAll("#suggest button.completion").length`); n != 0 {
		t.Errorf("%d completions offered for a search opened from its address", n)
	}
	b.do(typeChar("/", "Slash", 191))
	if !js[bool](b, `document.activeElement === document.getElementById("q")`) {
		t.Fatal("/ did not focus the search box")
	}
	if got := js[string](b, `document.getElementById("q").value`); got != "Russia" {
		t.Errorf("/ typed into the box: %q", got)
	}
	// The box's completions (Russian, …) come first, as in a search
	// box's list: down, down through them, up back to the box; Escape
	// closes them and keeps the text; down then goes to the results.
	b.wait("completions of Russia", `!document.getElementById("suggest").hidden && document.querySelectorAll("#suggest button.completion").length >= 2`)
	b.do(chromedp.KeyEvent(kb.ArrowDown))
	if !js[bool](b, `document.activeElement === document.querySelectorAll("#suggest button.completion")[0]`) {
		t.Fatal("ArrowDown from the box did not focus the first completion")
	}
	b.do(chromedp.KeyEvent(kb.ArrowDown))
	if !js[bool](b, `document.activeElement === document.querySelectorAll("#suggest button.completion")[1]`) {
		t.Fatal("ArrowDown did not move to the second completion")
	}
	b.do(chromedp.KeyEvent(kb.ArrowUp), chromedp.KeyEvent(kb.ArrowUp))
	if !js[bool](b, `document.activeElement === document.getElementById("q")`) {
		t.Fatal("ArrowUp from the first completion did not go back to the box")
	}
	b.do(chromedp.KeyEvent(kb.Escape))
	if got := js[string](b, `document.getElementById("q").value + "|" + document.getElementById("suggest").hidden + "|" + (document.activeElement === document.getElementById("q"))`); got != "Russia|true|true" {
		t.Fatalf("Escape over the completions: box, hidden, focused = %s; want the text kept and the completions closed", got)
	}
	b.do(chromedp.KeyEvent(kb.ArrowDown))
	if !js[bool](b, `document.activeElement === document.querySelectorAll("#hits .hit-link")[0]`) {
		t.Fatal("ArrowDown from the box without completions did not focus the first result")
	}
	b.do(chromedp.KeyEvent(kb.ArrowDown), chromedp.KeyEvent(kb.ArrowDown), chromedp.KeyEvent(kb.ArrowUp))
	second := js[string](b, `document.querySelectorAll("#hits .hit-link")[1].dataset.id`)
	if got := js[string](b, `document.activeElement.dataset.id || ""`); got != second {
		t.Fatalf("after down, down, up the focus is on %q, want the second result %q", got, second)
	}
	b.screenshot("keyboard-focus")
	b.do(chromedp.KeyEvent(kb.Enter))
	b.wait("the article", fmt.Sprintf(`location.pathname === "/articles/%s" && document.getElementById("article-title").textContent !== ""`, second))
	b.wait("highlights in the article", `document.querySelectorAll("#article-body mark").length > 0`)
	b.do(chromedp.KeyEvent(kb.Escape))
	b.wait("the results again", `location.pathname === "/" && location.search === "?q=Russia" && !document.getElementById("search-view").hidden`)
	// Focus is back on the result that was opened; down goes on from it.
	if got := js[string](b, `document.activeElement.dataset.id || document.activeElement.tagName`); got != second {
		t.Errorf("back from the article, focus is on %q, want the opened result %q", got, second)
	}
	b.do(chromedp.KeyEvent(kb.ArrowDown))
	if !js[bool](b, `document.activeElement === document.querySelectorAll("#hits .hit-link")[2]`) {
		t.Error("down after coming back did not go to the result after the opened one")
	}
	b.do(chromedp.Focus(chromedp.ID("q")), chromedp.KeyEvent(kb.Escape))
	b.wait("a cleared box", `document.getElementById("q").value === "" && location.search === ""`)
}

// TestBrowser_inputMethod: while an input method composes a word (pinyin
// becoming 习近平), the page neither searches for the unfinished letters
// nor takes the keys that pick a candidate; it searches for the word once
// it is committed.
func TestBrowser_inputMethod(t *testing.T) {
	b := newBrowser(t, 1280, 900, nil)
	b.open("/")
	b.wait("the newest articles", `document.querySelectorAll("#hits .hit-link").length >= 2`)
	b.do(chromedp.Focus(chromedp.ID("q")))
	for _, pinyin := range []string{"x", "xi", "xijin", "xijinping"} {
		b.do(compose(pinyin))
	}
	// Well past the pause after which typing searches.
	b.do(chromedp.Sleep(600 * time.Millisecond))
	if got := js[string](b, `document.getElementById("q").value + " | " + location.search`); got != "xijinping | " {
		t.Errorf("while composing: box and query %q, want the pinyin and no search", got)
	}
	// ArrowDown picks the next candidate, not the first result.
	b.do(chromedp.KeyEvent(kb.ArrowDown))
	if got := js[string](b, `(document.activeElement && document.activeElement.id) + " | " + document.getElementById("q").value`); got != "q | xijinping" {
		t.Errorf("ArrowDown while composing: focus and box %q, want them left to the input method", got)
	}
	want := b.apiTotal("q=" + url.QueryEscape("习近平"))
	if want == 0 {
		t.Fatal("习近平 finds nothing in the test index")
	}
	b.do(commit("习近平"))
	b.wait("results for 习近平", fmt.Sprintf(`location.search === "?q=%s" && %s.startsWith("%d article") && document.querySelectorAll("#hits mark").length > 0`,
		url.QueryEscape("习近平"), statusJS, want))
	b.screenshot("input-method")
}

// TestBrowser_related: an article lists the articles most like it, none
// of them itself, and a click opens one.
func TestBrowser_related(t *testing.T) {
	b := newBrowser(t, 1280, 900, nil)
	b.open("/?q=Putin")
	b.wait("results", `document.querySelectorAll("#hits .hit-link").length >= 2`)
	id := js[string](b, `document.querySelector("#hits .hit-link").dataset.id`)
	b.do(chromedp.Click(chromedp.CSS(`#hits .hit-link`)))
	b.wait("the related articles", `!document.getElementById("related").hidden && document.querySelectorAll("#related-list a.related-link").length > 0`)
	ids := js[[]string](b, `[...document.querySelectorAll("#related-list a.related-link")].map(a => a.dataset.id)`)
	if slices.Contains(ids, id) || len(ids) > 5 {
		t.Errorf("article %s lists related %q: itself, or more than 5", id, ids)
	}
	if titles := js[[]string](b, `[...document.querySelectorAll("#related-list a.related-link")].map(a => a.textContent)`); slices.Contains(titles, "") {
		t.Errorf("a related article without a title: %q", titles)
	}
	b.screenshot("article-related")
	b.do(chromedp.Click(chromedp.CSS(`#related-list a.related-link`)))
	b.wait("the related article", fmt.Sprintf(`location.pathname === "/articles/%s" && document.getElementById("article-title").textContent !== ""`, ids[0]))
	// Its own related articles replace the first one's, and the search is
	// still highlighted.
	b.wait("its related articles", fmt.Sprintf(`document.querySelectorAll("#related-list a.related-link").length > 0 && ![...document.querySelectorAll("#related-list a.related-link")].some(a => a.dataset.id === %q)`, ids[0]))
	if got := js[string](b, `location.search`); got != "?q=Putin" {
		t.Errorf("related article opened with %q, want the search ?q=Putin", got)
	}
	// Back to results goes back to the results, past both articles.
	b.do(chromedp.Click(chromedp.ID("back")))
	b.wait("the results again", `location.pathname === "/" && location.search === "?q=Putin" && !document.getElementById("search-view").hidden`)
}

// colorScheme emulates prefers-color-scheme (light or dark; "" clears it).
func colorScheme(scheme string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		p := emulation.SetEmulatedMediaParams{}
		if scheme != "" {
			p.Features = []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}}
		}
		_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, p)
		return err
	})
}

// contrastJS is the WCAG contrast ratio of the text of the first element
// sel finds in the article view, against its own background.
func contrastJS(sel string) string {
	return `(() => {
		const el = document.querySelector("#article-view ` + sel + `"), cs = getComputedStyle(el);
		const rgb = (c) => c.match(/[\d.]+/g).slice(0, 3).map(Number);
		const lum = (c) => { const [r, g, b] = rgb(c).map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
		const a = lum(cs.color), b = lum(cs.backgroundColor);
		return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
	})()`
}

// compose sets the text an input method is composing in the focused field.
func compose(text string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		n := int64(len([]rune(text)))
		_, err := cdp.Call(ctx, t, input.ImeSetComposition, input.ImeSetCompositionParams{Text: text, SelectionStart: n, SelectionEnd: n})
		return err
	})
}

// commit ends the composition with text, as picking a candidate does.
func commit(text string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, input.InsertText, input.InsertTextParams{Text: text})
		return err
	})
}

// TestBrowser_article: the article view shows the whole text with the
// query's matches highlighted, and steps through them.
func TestBrowser_article(t *testing.T) {
	b := newBrowser(t, 1280, 900, nil)
	b.open("/articles/004_6f79ba49cfbf81dd?q=Putin+Xi")
	b.wait("the article", `document.querySelectorAll("#article-body mark").length > 3`)
	if got := js[string](b, `document.querySelector("#article-title").innerHTML`); !strings.Contains(got, "<mark>Putin</mark>") {
		t.Errorf("title %q", got)
	}
	if n := js[int](b, `document.querySelectorAll("#article-body p").length`); n < 3 {
		t.Errorf("%d paragraphs", n)
	}
	// Previous first goes to the last match (it had gone to the one
	// before the last).
	marks := js[int](b, `parseInt(document.getElementById("match-count").textContent, 10)`) // "N matches for …"
	b.do(chromedp.Click(chromedp.ID("match-prev")))
	b.wait("the last match", fmt.Sprintf(`document.getElementById("match-count").textContent === "Match %d of %d"`, marks, marks))
	// The page scrolls smoothly to each match: a mouse click at the
	// button's place could land elsewhere meanwhile, so click it from
	// the script.
	nextMatch := chromedp.Evaluate[chromedp.Void](`document.getElementById("match-next").click()`)
	b.do(nextMatch)
	b.wait("the first match", `document.getElementById("match-count").textContent.startsWith("Match 1 of")`)
	b.do(nextMatch)
	b.wait("the second match", `document.querySelectorAll("#article-body mark.current, #article-title mark.current").length === 1 && document.getElementById("match-count").textContent.startsWith("Match 2 of")`)
	b.screenshot("article")
	// The current match and the other matches are readable (WCAG AA,
	// 4.5:1) in the light scheme and the dark one: the dark current match
	// was #fff7d6 on #a8741a, 3.8:1.
	for _, scheme := range []string{"light", "dark"} {
		b.do(colorScheme(scheme))
		for _, sel := range []string{"mark.current", "mark:not(.current)"} {
			if got := js[float64](b, contrastJS(sel)); got < 4.5 {
				t.Errorf("%s scheme: %s has contrast %.2f:1, want 4.5:1 at least", scheme, sel, got)
			}
		}
	}
	b.do(colorScheme(""))
	// Back without a results page behind it goes to the search.
	b.do(chromedp.Click(chromedp.ID("back")))
	b.wait("the search", `location.pathname === "/" && location.search === "?q=Putin+Xi" && document.querySelectorAll("#hits .hit").length > 0`)
	// An article opened from the results and left again: the tab is the
	// search's again (it had kept the article's headline).
	b.do(chromedp.Click(chromedp.CSS("#hits .hit-link")))
	b.wait("the article", `location.pathname.startsWith("/articles/") && document.querySelectorAll("#article-body mark").length > 0`)
	if got := js[string](b, `document.title`); got == "Putin Xi – newsearch" {
		t.Errorf("the article's tab is named %q", got)
	}
	b.do(chromedp.NavigateBack())
	b.wait("the results again", `location.pathname === "/" && !document.getElementById("hits").closest("[hidden]")`)
	if got := js[string](b, `document.title`); got != "Putin Xi – newsearch" {
		t.Errorf("back at the results, the tab is named %q, want the search's", got)
	}

	b.open("/articles/no_such_article")
	b.wait("not found", `document.getElementById("article-title").textContent === "Article not found" && !document.getElementById("article-error").hidden`)
	// A phrase's words, marked one by one, are one match each time.
	b.open("/articles/004_6f79ba49cfbf81dd?q=" + url.QueryEscape(`"strategic partnership"`))
	b.wait("the phrase marked", `document.querySelectorAll("#article-view mark").length > 1`)
	occurrences := js[int](b, `(document.getElementById("article-title").textContent + "\n" + document.getElementById("article-body").textContent).match(/strategic\s+partnership/gi).length`)
	if got, want := js[string](b, `document.getElementById("match-count").textContent`), fmt.Sprintf("%d match", occurrences); !strings.HasPrefix(got, want) {
		t.Errorf("match counter %q, want %q… (the phrase's occurrences)", got, want)
	}
	b.do(chromedp.Click(chromedp.ID("match-next")))
	if got := js[int](b, `document.querySelectorAll("#article-view mark.current").length`); got != 2 {
		t.Errorf("the current match has %d marks, want the phrase's 2 words", got)
	}
}

// TestBrowser_errorsAndStale: a failing server gives a visible, human
// message, and a slow answer to an older query never replaces a newer one.
func TestBrowser_errorsAndStale(t *testing.T) {
	var busy atomic.Bool // the first search for "busy" finds the index still being prepared
	b := newBrowser(t, 1280, 900, func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/api/search" && r.URL.Query().Get("q") == "Putin" && busy.CompareAndSwap(false, true) {
				w.Header().Set("Content-Type", "application/json")
				w.Header().Set("Retry-After", "1")
				w.WriteHeader(503)
				w.Write([]byte(`{"error":{"code":"unavailable","message":"the index is not ready yet; retry shortly"}}`))
				return
			}
			if r.URL.Path == "/api/search" && r.URL.Query().Get("q") == "Sh" {
				time.Sleep(700 * time.Millisecond) // the stale answer arrives last
			}
			if r.URL.Path == "/api/search" && r.URL.Query().Get("q") == "boom" {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(500)
				w.Write([]byte(`{"error":{"code":"internal","message":"internal error"}}`))
				return
			}
			h.ServeHTTP(w, r)
		})
	})
	b.open("/?q=boom&lang=en")
	b.wait("an error message", `!document.getElementById("error").hidden && document.getElementById("error").textContent.includes("went wrong")`)
	b.screenshot("error")
	// The filter the failed search asked for still shows, removable.
	if !js[bool](b, `!document.getElementById("chips").hidden && document.getElementById("chips").textContent.includes("English")`) {
		t.Errorf("after a failed search the active filter is not shown: chips %q", js[string](b, `document.getElementById("chips").textContent`))
	}
	// Parameters the page does not know (tracking parameters that sites
	// add to shared links, API parameters, a misspelt switch) and dates
	// that are no calendar day are left out of the search: the page had
	// sent them on, and the API's 400 failed the search. A bad date had
	// shown "Cannot reach the search server" besides.
	kazan := b.apiTotal("q=Kazan") // not Putin, whose first search below is refused
	for _, extra := range []string{"fbclid=IwAR0abc&utm_source=twitter&colour=red", "size=50&match=all&typos=no",
		"from_date=2024-3-1", "from_date=garbage&to_date=2026-13-01", "to_date=2026-02-30"} {
		b.open("/?q=Kazan&" + extra)
		b.wait("the results for "+extra, fmt.Sprintf(`%s.startsWith("%d article")`, statusJS, kazan))
		if got := js[string](b, `(document.getElementById("error").hidden ? "" : "error: " + document.getElementById("error").textContent) + (document.getElementById("chips").hidden ? "" : "chips: " + document.getElementById("chips").textContent)`); got != "" {
			t.Errorf("/?q=Kazan&%s: %s", extra, got)
		}
	}

	// An index still being prepared: the message alone (it had a stray
	// "null" under it), then the page retries by itself.
	b.open("/?q=Putin")
	b.wait("the index being prepared", `!document.getElementById("error").hidden`)
	if got, want := js[string](b, `document.getElementById("error").textContent`), "The search index is still being prepared. Trying again in a moment…"; got != want {
		t.Errorf("503: error box %q, want %q", got, want)
	}
	b.wait("the results after the retry", fmt.Sprintf(`document.getElementById("error").hidden && %s.startsWith("%d article")`, statusJS, b.apiTotal("q=Putin")))

	b.open("/")
	want := b.apiTotal("q=Shoigu")
	if stale := b.apiTotal("q=Sh"); stale == want {
		t.Fatalf("Sh and Shoigu both find %d articles; the test needs a difference", want)
	}
	b.do(chromedp.SendKeys(chromedp.ID("q"), "Sh"), chromedp.Sleep(300*time.Millisecond), // "Sh" is asked and is slow
		chromedp.SendKeys(chromedp.ID("q"), "oigu"))
	b.wait("results for Shoigu", fmt.Sprintf(`%s.startsWith("%d article") && document.getElementById("q").value === "Shoigu"`, statusJS, want))
	b.do(chromedp.Sleep(700 * time.Millisecond))
	if got := js[string](b, statusJS); !strings.HasPrefix(got, fmt.Sprintf("%d article", want)) || js[string](b, `location.search`) != "?q=Shoigu" {
		t.Errorf("after the slow answer for Sh: status %q, URL %q", got, js[string](b, `location.search`))
	}
	// A search that fails after one that worked: the filters' counts and
	// the tab's name were the search before's.
	if js[int](b, `document.querySelectorAll("#facet-list .facet-count").length`) == 0 {
		t.Fatal("no facet counts for Shoigu")
	}
	b.do(chromedp.Evaluate[chromedp.Void](`document.getElementById("q").value = ""`), chromedp.SendKeys(chromedp.ID("q"), "boom"))
	b.wait("the error", `!document.getElementById("error").hidden`)
	if got := js[string](b, `document.querySelectorAll("#facet-list .facet-count").length + " counts, tab " + document.title`); got != "0 counts, tab boom – newsearch" {
		t.Errorf("after a failed search: %s, want no counts and the tab named after boom", got)
	}
	// A paste over the limit is refused with the reason; the box had cut
	// it at 256 characters, mid-word, and searched the rest.
	b.do(chromedp.Evaluate[chromedp.Void](`(() => { const q = document.getElementById("q"); q.value = ""; q.focus(); })()`), commit(strings.Repeat("Putin ", 60)))
	b.wait("the too-long message", `!document.getElementById("error").hidden && document.getElementById("error").textContent.startsWith("Your search is too long: 360 characters")`)
}

// TestBrowser_mobile: at 360 px nothing scrolls sideways, and the filters
// open as a panel.
func TestBrowser_mobile(t *testing.T) {
	b := newBrowser(t, 360, 740, nil)
	noSideScroll := func(where string) {
		t.Helper()
		sw := js[int](b, `document.documentElement.scrollWidth`)
		iw := js[int](b, `window.innerWidth`)
		if sw > iw {
			wide := js[string](b, `[...document.querySelectorAll("body *")].filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5).slice(0, 5).map(e => e.tagName + "." + e.className).join(", ")`)
			t.Errorf("%s: scrollWidth %d > innerWidth %d (too wide: %s)", where, sw, iw, wide)
		}
	}
	b.open("/?q=Russia")
	b.wait("results", `document.querySelectorAll("#hits .hit").length > 0`)
	if iw := js[int](b, `window.innerWidth`); iw != 360 {
		t.Fatalf("innerWidth %d, want 360", iw)
	}
	noSideScroll("results")
	b.screenshotViewport("mobile")
	b.do(chromedp.Click(chromedp.ID("filters-toggle")))
	b.wait("the filters panel", `getComputedStyle(document.getElementById("facets")).display !== "none"`)
	noSideScroll("filters")
	b.screenshotViewport("mobile-filters")
	// The panel covers the page: Tab and Shift+Tab stay inside it.
	const inFilters = `document.getElementById("facets").contains(document.activeElement)`
	for _, back := range []bool{true, false, false} {
		var opts []chromedp.KeyOption
		if back {
			opts = append(opts, chromedp.KeyModifiers(chromedp.ModifierShift))
		}
		b.do(chromedp.KeyEvent(kb.Tab, opts...))
		if !js[bool](b, inFilters) {
			t.Fatalf("Tab (shift %v) left the open filters panel for %s", back, js[string](b, `document.activeElement.id || document.activeElement.tagName`))
		}
	}
	b.do(chromedp.Click(chromedp.CSS(`#facet-source input`)))
	b.wait("a filtered search", `location.search.includes("source=")`)
	b.do(chromedp.Click(chromedp.ID("filters-done")))
	b.wait("the results", `getComputedStyle(document.getElementById("facets")).display === "none"`)
	b.open("/articles/000_405bb8d18efcf319?q=Kazan")
	b.wait("the article", `document.querySelectorAll("#article-body mark").length > 0`)
	noSideScroll("article")
	b.screenshotViewport("mobile-article")
}

// typeChar presses a printable key the way a keyboard does: one keyDown
// that carries the text (so a keydown handler's preventDefault stops the
// text, as in a real browser; chromedp.KeyEvent sends the text as a
// separate char event), then keyUp.
func typeChar(key, code string, vk int64) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		for _, p := range []input.DispatchKeyEventParams{
			{Type: input.DispatchKeyEventTypeKeyDown, Key: key, Code: code, Text: key, UnmodifiedText: key, WindowsVirtualKeyCode: vk, NativeVirtualKeyCode: vk},
			{Type: input.DispatchKeyEventTypeKeyUp, Key: key, Code: code, WindowsVirtualKeyCode: vk, NativeVirtualKeyCode: vk},
		} {
			if _, err := cdp.Call(ctx, t, input.DispatchKeyEvent, p); err != nil {
				return err
			}
		}
		return nil
	})
}

// TestBrowser_pages: a search with more hits than a page has numbered
// pages; the page number is in the URL and Back returns to page 1.
func TestBrowser_pages(t *testing.T) {
	var b strings.Builder
	for i := range 23 {
		// Every third month from January 2020: 67 months in the histogram.
		fmt.Fprintf(&b, `{"id":"pager-%02d","title":"Pager test %d","body":"Article %d about zyxpager.","date":"%d-%02d-10","source":"Pager","lang":"en"}`+"\n", i, i, i, 2020+i*3/12, i*3%12+1)
	}
	b.WriteString(`{"id":"sourceless","title":"Sourceless","body":"An article about qqnosource.","lang":"en"}` + "\n")
	for _, id := range []string{"copy-a", "copy-b", "copy-c"} { // one wire story, repeated
		b.WriteString(`{"id":"` + id + `","title":"Copied story","body":"The qqcopied story, word for word.","source":"Wire","lang":"en"}` + "\n")
	}
	br := newBrowser(t, 1280, 900, nil, index.Input{FS: fstest.MapFS{"pager.jsonl": {Data: []byte(b.String())}}, Path: ".", Label: "pager"})
	br.open("/?q=zyxpager")
	br.wait("page 1", `document.querySelectorAll("#hits .hit").length === 10 && !document.getElementById("pager").hidden`)
	if got := js[string](br, `[...document.querySelectorAll("#pager .page")].map(p => p.textContent).join(" ")`); got != "1 2 3 Next ›" {
		t.Errorf("pager %q", got)
	}
	// Every month of the histogram fits its column, the last one too.
	if got := js[string](br, `(() => {
		const h = document.querySelector(".histogram"), bars = h.querySelectorAll(".bar"), last = bars[bars.length - 1].getBoundingClientRect();
		return bars.length + " bars, overflow " + (h.scrollWidth - h.clientWidth) + ", last bar inside " + (last.width > 0 && last.right <= h.getBoundingClientRect().right + 0.5);
	})()`); got != "67 bars, overflow 0, last bar inside true" {
		t.Errorf("histogram: %s", got)
	}
	first := js[string](br, `document.querySelector("#hits .hit-link").dataset.id`)
	br.do(chromedp.Evaluate[chromedp.Void](`window.scrollTo(0, document.body.scrollHeight)`))
	br.do(chromedp.Click(chromedp.CSS(`#pager a[aria-label="Next page"]`)))
	br.wait("page 2", `location.search === "?q=zyxpager&page=2" && document.querySelector("#pager [aria-current=page]").textContent === "2"`)
	// The new page starts below the sticky header, not under it.
	if got := js[string](br, `document.getElementById("status").getBoundingClientRect().top + " " + document.querySelector(".top").getBoundingClientRect().bottom`); !belowHeader(got) {
		t.Errorf("after paging, the status line's top and the header's bottom are %s: the header covers the results", got)
	}
	if got := js[string](br, `document.querySelector("#hits .hit-link").dataset.id`); got == first {
		t.Error("page 2 shows page 1's first hit")
	}
	br.do(chromedp.Click(chromedp.CSS(`#pager a[aria-label="Page 3"]`)))
	br.wait("page 3", `location.search === "?q=zyxpager&page=3" && document.querySelectorAll("#hits .hit").length === 3`)
	br.do(chromedp.NavigateBack(), chromedp.NavigateBack())
	br.wait("page 1 again", fmt.Sprintf(`location.search === "?q=zyxpager" && document.querySelector("#hits .hit-link").dataset.id === %s`, jsString(first)))
	// A filter starts again from page 1.
	br.open("/?q=zyxpager&page=2")
	br.wait("page 2", `document.querySelector("#pager [aria-current=page]") && document.querySelector("#pager [aria-current=page]").textContent === "2"`)
	br.do(chromedp.Click(chromedp.CSS(`#facet-source input`)))
	br.wait("page 1 of the filtered search", `location.search === "?q=zyxpager&source=Pager"`)

	// Past the last page, and past what the API pages through: the page
	// says there is no such page and offers the last one.
	// Past the API's window (page 2000), the last page offered is still
	// the search's: it had offered page 1,000, itself past the end.
	for _, page := range []string{"9", "2000"} {
		br.open("/?q=zyxpager&page=" + page)
		br.wait("no page "+page, `!document.getElementById("empty").hidden && document.getElementById("empty").textContent.includes("There is no page")`)
		if !js[bool](br, `document.getElementById("error").hidden`) {
			t.Errorf("page %s: an error shows: %s", page, js[string](br, `document.getElementById("error").textContent`))
		}
		// No pager: it had offered page 8, no page either.
		if got := js[string](br, statusJS+` + " | pager hidden " + document.getElementById("pager").hidden`); got != "No such page | pager hidden true" {
			t.Errorf("page %s: %s", page, got)
		}
		br.wait("the last-page button", `document.querySelector("#empty button") && document.querySelector("#empty button").textContent === "Go to the last page (3)"`)
		br.do(chromedp.Click(chromedp.CSS("#empty button")))
		br.wait("page 3", `location.search === "?q=zyxpager&page=3" && document.querySelectorAll("#hits .hit").length === 3`)
	}

	// An article with no source says so, not that its source is "unknown".
	br.open("/?q=qqnosource")
	br.wait("the sourceless article", `document.querySelectorAll("#hits .hit").length === 1`)
	if got := js[string](br, `document.querySelector("#hits .meta .source").textContent + " | " + document.querySelector("#facet-source .facet-name").textContent`); got != "No source | No source" {
		t.Errorf("an article with no source: meta and facet %q, want No source in both", got)
	}

	// Copies of one story are one hit, which says so.
	br.open("/?q=qqcopied")
	br.wait("the copied story", `document.querySelectorAll("#hits .hit").length === 1 && document.querySelector("#hits .copies")`)
	if got := js[string](br, `document.querySelector("#hits .copies").textContent`); got != "2 identical copies are folded into this one." {
		t.Errorf("copies note %q", got)
	}

	// Two letters typed are not yet a word's beginning: keep typing.
	br.open("/")
	br.do(chromedp.SendKeys(chromedp.ID("q"), "zy"))
	br.wait("keep typing", `!document.getElementById("empty").hidden && document.getElementById("empty").textContent.startsWith("Keep typing")`)
	br.do(chromedp.SendKeys(chromedp.ID("q"), "x"))
	br.wait("results for zyx", `document.querySelectorAll("#hits .hit").length === 10 && document.getElementById("empty").hidden`)
}

// belowHeader reports whether "top bottom" (an element's top, the sticky
// header's bottom) puts the element's top below the header.
func belowHeader(topBottom string) bool {
	var top, bottom float64
	if _, err := fmt.Sscan(topBottom, &top, &bottom); err != nil {
		return false
	}
	return top >= bottom
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// fmtPtr formats *n, or "none".
func fmtPtr(n *uint64) string {
	if n == nil {
		return "none"
	}
	return fmt.Sprint(*n)
}
