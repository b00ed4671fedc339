// newsearch search page: plain JavaScript, no build step, no dependencies.
//
// Security rule: highlight HTML from the API (hit.highlights, article
// highlights) is the only server text inserted as HTML, and only through
// setHighlightHTML. The server escapes every character of it and adds only
// <mark>. Everything else goes in with textContent or attribute setters,
// and links to other sites only when they are http(s).
//
// State lives in the URL: /?q=…&source=…&lang=…&from_date=…&to_date=…
// &sort=…&page=… for searches and /articles/{id}?<the same> for an
// article, so reload, share and back/forward restore it. Facets are drawn
// from the response's facets object: a facet whose values are months
// (YYYY-MM) becomes a histogram filtering from_date/to_date, any other a
// checkbox list filtering the URL/API parameter of the facet's name. A
// facet the API adds later appears without changes here.
"use strict";
(() => {
  const PAGE_SIZE = 10;
  const MAX_WINDOW = 10000; // the API's from+size limit
  const MAX_QUERY_CHARS = 256; // the API's limit on q
  const TYPE_DELAY = 140; // ms of quiet typing before searching
  const FACET_LABELS = { source: "Source", lang: "Language", date: "Date", person: "People", place: "Places", org: "Organisations" };
  const LANG_NAMES = { en: "English", ru: "Russian", zh: "Chinese", other: "Other" };
  const TERM_FACET_SHOWN = 8;
  // Facets the page asks for: the API counts only source, lang and date
  // unless asked, since the entity facets cost more.
  const FACETS = "source,lang,date,person,place,org";
  // The URL parameters that filter by a facet's values: the term facets
  // the page asks for (the date facet filters from_date and to_date).
  // Any other parameter of the page's URL that the page does not know (a
  // tracking parameter such as fbclid or utm_source, which sites add to
  // the links they share) is left out of the search: the API refuses
  // unknown parameters, and the search had failed.
  const FILTERS = new Set(FACETS.split(",").filter((f) => f !== "date"));
  // Facets in this order first, any other facet after them by name.
  const FACET_ORDER = ["source", "lang", "date", "person", "org", "place"];
  const facetRank = (name) => (FACET_ORDER.includes(name) ? FACET_ORDER.indexOf(name) : FACET_ORDER.length);

  const $ = (id) => document.getElementById(id);
  const box = $("q");
  const form = $("search");
  const statusEl = $("status");
  const hitsEl = $("hits");
  const facetList = $("facet-list");
  const sortEl = $("sort");

  const dayFmt = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
  const monthFmt = new Intl.DateTimeFormat("en-GB", { month: "short", year: "numeric", timeZone: "UTC" });
  const longMonthFmt = new Intl.DateTimeFormat("en-GB", { month: "long", year: "numeric", timeZone: "UTC" });
  const numFmt = new Intl.NumberFormat("en");

  // el builds an element. props: class, text, on<event>, and attributes.
  // It never parses HTML.
  function el(tag, props, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(props || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === "class") e.className = v;
      else if (k === "text") e.textContent = v;
      else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v === true ? "" : String(v));
    }
    for (const c of children) if (c !== null && c !== undefined && c !== false) e.append(c);
    return e;
  }

  // setHighlightHTML is the one place server HTML enters the page: API
  // highlights, whose text is escaped with only <mark> added.
  function setHighlightHTML(node, html) {
    node.innerHTML = html;
  }

  // safeURL returns u when it is an http(s) URL, else "".
  function safeURL(u) {
    try {
      const url = new URL(u);
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : "";
    } catch {
      return "";
    }
  }

  const plural = (n, one, many) => numFmt.format(n) + " " + (n === 1 ? one : many);
  const facetLabel = (name) => FACET_LABELS[name] || name.charAt(0).toUpperCase() + name.slice(1).replace(/_/g, " ");
  // NO_SOURCE is the index's source of an article that names none.
  const NO_SOURCE = "unknown";
  const valueLabel = (facet, v) => (facet === "lang" && LANG_NAMES[v]) || (facet === "source" && v === NO_SOURCE && "No source") || v;
  const monthDate = (m) => new Date(Date.UTC(+m.slice(0, 4), +m.slice(5, 7) - 1, 1));
  const monthLabel = (m) => monthFmt.format(monthDate(m));
  const lastDay = (m) => {
    const d = new Date(Date.UTC(+m.slice(0, 4), +m.slice(5, 7), 0));
    return m + "-" + String(d.getUTCDate()).padStart(2, "0");
  };
  const isMonth = (v) => /^\d{4}-\d{2}$/.test(v);
  // isDay: a real calendar day written YYYY-MM-DD, as from_date and
  // to_date take it. A date typed in the address in any other way is left
  // out: 2024-3-1 had failed every search with a false "cannot reach the
  // server", and 2024-13-01 read as January 2025.
  const isDay = (v) => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) return false;
    const d = new Date(v + "T00:00:00Z");
    return !isNaN(d) && d.toISOString().slice(0, 10) === v;
  };
  // A typos or prefix switch the API reads; anything else is left out.
  const switchValue = (v) => (v === "true" || v === "false" ? v : "");

  // ---- State and URL ----------------------------------------------------

  function emptyState() {
    return { q: "", filters: {}, from: "", to: "", sort: "relevance", page: 1, typos: "", prefix: "" };
  }

  function stateFromURL() {
    const p = new URLSearchParams(location.search);
    const day = (name) => (isDay(p.get(name) || "") ? p.get(name) : "");
    const s = emptyState();
    s.q = p.get("q") || "";
    s.from = day("from_date");
    s.to = day("to_date");
    s.sort = ["date", "-date"].includes(p.get("sort")) ? p.get("sort") : "relevance";
    s.page = Math.max(1, parseInt(p.get("page"), 10) || 1);
    s.typos = switchValue(p.get("typos"));
    s.prefix = switchValue(p.get("prefix"));
    for (const [k, v] of p) {
      if (FILTERS.has(k) && v !== "") (s.filters[k] = s.filters[k] || []).includes(v) || s.filters[k].push(v);
    }
    return s;
  }

  // params returns the state as URL parameters: the page's own URL, or,
  // with api set, GET /api/search's.
  function params(s, api) {
    const p = new URLSearchParams();
    if (s.q) p.set("q", s.q);
    for (const [k, vs] of Object.entries(s.filters)) for (const v of vs) p.append(k, v);
    if (s.from) p.set("from_date", s.from);
    if (s.to) p.set("to_date", s.to);
    if (s.sort !== "relevance") p.set("sort", s.sort);
    if (s.typos) p.set("typos", s.typos);
    if (s.prefix) p.set("prefix", s.prefix);
    if (api) {
      p.set("facets", FACETS);
      p.set("from", String((s.page - 1) * PAGE_SIZE));
      p.set("size", String(PAGE_SIZE));
    } else if (s.page > 1) {
      p.set("page", String(s.page));
    }
    return p;
  }

  const searchURL = (s) => {
    const qs = params(s, false).toString();
    return "/" + (qs ? "?" + qs : "");
  };
  const articleURL = (id, s) => {
    const qs = params(s, false).toString();
    return "/articles/" + encodeURIComponent(id) + (qs ? "?" + qs : "");
  };
  const filterCount = (s) => Object.values(s.filters).reduce((n, vs) => n + vs.length, 0) + (s.from || s.to ? 1 : 0);

  let state = emptyState();
  let rendered = ""; // the search URL whose results are on screen
  let typing = false; // the current history entry belongs to a typing session

  // go moves to a new search state: a new history entry for discrete
  // actions, the same entry while typing, then searches.
  function go(next, { push = true, focusResults = false } = {}) {
    state = next;
    const url = searchURL(state);
    if (push && url !== location.pathname + location.search) {
      history.pushState({ view: "search" }, "", url);
    } else {
      history.replaceState({ view: "search", scrollY: window.scrollY }, "", url);
    }
    showView("search");
    search(state, { focusResults });
  }

  // ---- Searching ------------------------------------------------------------

  let searchSeq = 0;
  let searchCtl = null;
  let lastResults = null;

  async function search(s, { focusResults = false } = {}) {
    const mine = ++searchSeq;
    if (searchCtl) searchCtl.abort();
    const ctl = (searchCtl = new AbortController());
    const progress = setTimeout(() => { if (mine === searchSeq) setBusy(true); }, 120);
    let resp, body;
    try {
      resp = await fetch("/api/search?" + params(s, true), { signal: ctl.signal, headers: { Accept: "application/json" } });
      body = await resp.json().catch(() => null);
    } catch (err) {
      if (err.name === "AbortError" || mine !== searchSeq) return;
      resp = null; // the server could not be reached
    } finally {
      clearTimeout(progress);
      if (mine === searchSeq) setBusy(false);
    }
    if (mine !== searchSeq) return; // a newer search has started
    // Only a failed fetch says the server cannot be reached: an error in
    // drawing the answer is no network trouble, and had been shown as one.
    if (!resp || !resp.ok || !body || !Array.isArray(body.hits)) {
      showSearchError(resp ? resp.status : 0, body, s);
      return;
    }
    lastResults = body;
    rendered = searchURL(s);
    renderResults(s, body);
    if (focusResults) $("results").focus({ preventScroll: true });
  }

  function setBusy(on) {
    $("progress").hidden = !on;
    $("results").setAttribute("aria-busy", on ? "true" : "false");
  }

  let retryTimer = null;
  function showSearchError(status, body, s) {
    const errBox = $("error");
    clearTimeout(retryTimer);
    let msg;
    const apiMsg = body && body.error && body.error.message;
    if (status === 503) {
      msg = "The search index is still being prepared. Trying again in a moment…";
      retryTimer = setTimeout(() => { if (searchURL(state) === searchURL(s)) search(state); }, 1500);
    } else if (status === 400) {
      const fields = (body && body.error && body.error.fields) || {};
      if (fields.from && s.page > 1) {
        // A page past what the API pages through (a typed address): the
        // first page's total says which page is the last.
        showNoSuchPage(s);
        return;
      }
      if (fields.q && [...s.q].length > MAX_QUERY_CHARS) {
        msg = "Your search is too long: " + numFmt.format([...s.q].length) + " characters, and the limit is " + MAX_QUERY_CHARS + ". Shorten it to a few words.";
      } else {
        const list = Object.entries(fields).map(([k, v]) => k + " " + v).join("; ");
        msg = "This search cannot be run: " + (list || apiMsg || "the request was not understood") + ".";
      }
    } else if (status === 0) {
      msg = "Cannot reach the search server. Check your connection and try again.";
    } else {
      msg = "Something went wrong on our side (error " + status + "). Please try again.";
    }
    // While the index is prepared the page retries by itself: no button.
    // (replaceChildren would show a null as the text "null".)
    // Nor for a refused search, which would only be refused again.
    const retry = status === 503 || status === 400 ? [] : [el("button", { type: "button", class: "small-button", text: "Try again", onclick: () => search(state) })];
    errBox.replaceChildren(el("p", { text: msg }), ...retry);
    errBox.hidden = false;
    // The filters the failed search asked for stay visible and removable;
    // the counts of the search before it go.
    renderChips(s);
    facetList.replaceChildren(el("p", { class: "muted", text: "No filters: the search failed." }));
    setSearchTitle(s);
    statusEl.textContent = "Search failed";
    hitsEl.replaceChildren();
    $("empty").hidden = true;
    $("pager").hidden = true;
  }

  // showNoSuchPage answers a page past the API's window with the last page
  // this search has, which a search of its first page tells.
  async function showNoSuchPage(s) {
    const mine = searchSeq;
    let total = 0;
    try {
      const resp = await fetch("/api/search?" + params({ ...s, page: 1 }, true), { headers: { Accept: "application/json" } });
      const body = await resp.json();
      if (resp.ok && typeof body.total === "number") total = body.total;
    } catch {
      // Offer the first page.
    }
    if (mine !== searchSeq) return;
    $("error").hidden = true;
    setSearchTitle(s);
    statusEl.textContent = "No such page";
    hitsEl.replaceChildren();
    $("pager").hidden = true;
    renderEmpty(s, { total, hits: [] });
  }

  // ---- Rendering results -------------------------------------------------------

  function renderResults(s, body) {
    $("error").hidden = true;
    clearTimeout(retryTimer);
    if (document.activeElement !== box) box.value = s.q;
    updateClear();
    // Without words there is no relevance: the newest articles come first,
    // and the menu says so.
    // (A query of spaces has no words either.)
    const words = s.q.trim() !== "";
    sortEl.querySelector('option[value="relevance"]').disabled = !words;
    sortEl.value = !words && s.sort === "relevance" ? "date" : s.sort;
    setSearchTitle(s);

    const took = typeof body.took_ms === "number" ? " · " + (body.took_ms < 0.1 ? "< 0.1" : body.took_ms < 10 ? body.took_ms.toFixed(1) : Math.round(body.took_ms)) + " ms" : "";
    // With several words, the articles with most of them follow those
    // with every one: say how many have every one when not all do.
    const every = typeof body.total_all === "number" && body.total_all < body.total
      ? " · " + (body.total_all ? numFmt.format(body.total_all) : "none") + " with every word" : "";
    statusEl.textContent = plural(body.total, "article", "articles") + every + took;

    // A copy of an earlier hit (a repeated wire story, a repost) is
    // folded into it: a line under that hit says how many copies.
    const copies = {};
    for (const h of body.hits) if (h.duplicate_of) copies[h.duplicate_of] = (copies[h.duplicate_of] || 0) + 1;
    hitsEl.replaceChildren(...body.hits.filter((h) => !h.duplicate_of).map((h) => hitItem(h, s, copies[h.id] || 0)));
    hitsEl.start = (s.page - 1) * PAGE_SIZE + 1;
    renderFacets(s, body.facets || {});
    renderChips(s);
    if (s.page > 1 && !body.hits.length) {
      // Past the last page: renderEmpty offers the last page, and the
      // pager no link to another page past it; the status says what
      // showNoSuchPage's does for a page past the API's window.
      statusEl.textContent = "No such page";
      $("pager").hidden = true;
    } else {
      renderPager(s, body.total);
    }
    renderEmpty(s, body);
    renderSuggestions();
    $("filters-done").textContent = "Show " + plural(body.total, "result", "results");
  }

  // setSearchTitle names the tab after the search, for history and bookmarks.
  function setSearchTitle(s) {
    document.title = s.q.trim() ? s.q.trim() + " – newsearch" : "newsearch";
  }

  function hitItem(h, s, copies = 0) {
    const link = el("a", { class: "hit-link", href: articleURL(h.id, s), "data-id": h.id });
    const titleHTML = h.highlights && h.highlights.title && h.highlights.title[0];
    if (titleHTML) setHighlightHTML(link, titleHTML);
    else link.textContent = h.title;
    const title = el("h2", { class: "hit-title" + (h.title_derived ? " derived" : "") }, link);
    if (h.title_derived) link.title = "This article has no headline; its first words are shown";
    const lang = LANG_NAMES[h.lang] ? h.lang : null;
    const frags = el("div", { class: "snippets", lang: lang === "other" ? null : lang });
    for (const frag of (h.highlights && h.highlights.body) || []) {
      const p = el("p", { class: "snippet" });
      setHighlightHTML(p, frag);
      frags.append(p);
    }
    if (lang && lang !== "other") title.lang = lang;
    const copyNote = copies ? el("p", { class: "copies", text: copies === 1 ? "An identical copy is folded into this one." : copies + " identical copies are folded into this one." }) : null;
    return el("li", { class: "hit" }, el("article", {}, title, meta(h), frags, missing(h.missing), copyNote));
  }

  // missing says which of the search's words an article lacks: past the
  // articles with every word come those with most of them.
  function missing(words) {
    if (!Array.isArray(words) || words.length === 0) return null;
    const p = el("p", { class: "missing" }, "Missing: ");
    words.forEach((w, i) => p.append(i ? ", " : "", el("s", { text: w })));
    return p;
  }

  function meta(a) {
    const parts = [];
    parts.push(a.date ? el("time", { datetime: a.date, text: dayFmt.format(new Date(a.date + "T00:00:00Z")) }) : el("span", { class: "undated", text: "Undated" }));
    if (a.source === NO_SOURCE) parts.push(el("span", { class: "source undated", text: "No source" }));
    else if (a.source) parts.push(el("span", { class: "source", text: a.source }));
    if (a.lang) parts.push(el("span", { class: "badge", title: LANG_NAMES[a.lang] || a.lang, text: a.lang.toUpperCase() }));
    const m = el("div", { class: "meta" });
    parts.forEach((p, i) => { if (i) m.append(el("span", { class: "dot", "aria-hidden": "true", text: "·" })); m.append(p); });
    return m;
  }

  // ---- Facets ----------------------------------------------------------------

  const expandedFacets = new Set();

  function renderFacets(s, facets) {
    const focusKey = document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.key : undefined;
    const sections = [];
    for (const [name, buckets] of Object.entries(facets).sort(([a], [b]) => facetRank(a) - facetRank(b) || (a < b ? -1 : 1))) {
      if (!Array.isArray(buckets)) continue;
      const isDate = name === "date" || (buckets.length > 0 && buckets.every((b) => isMonth(b.value)));
      const section = isDate ? dateFacet(s, name, buckets) : termFacet(s, name, buckets);
      if (section) sections.push(section);
    }
    facetList.replaceChildren(...sections);
    if (!sections.length) facetList.append(el("p", { class: "muted", text: "No filters for these results." }));
    $("clear-all").hidden = filterCount(s) === 0;
    const n = filterCount(s);
    $("filters-count").textContent = n ? " (" + n + ")" : "";
    if (focusKey) {
      const again = facetList.querySelector('[data-key="' + CSS.escape(focusKey) + '"]');
      if (again) again.focus();
    }
  }

  function termFacet(s, name, buckets) {
    const selected = s.filters[name] || [];
    if (!buckets.length && !selected.length) return null;
    const id = "facet-" + name.replace(/[^a-z0-9_-]/gi, "_");
    const expanded = expandedFacets.has(name);
    // Selected values stay visible even beyond the first few.
    const shown = expanded ? buckets : buckets.filter((b, i) => i < TERM_FACET_SHOWN || selected.includes(b.value));
    const list = el("ul", { class: "facet-values" });
    for (const b of shown) {
      const cb = el("input", { type: "checkbox", value: b.value, "data-key": name + " :: " + b.value });
      cb.checked = selected.includes(b.value);
      cb.addEventListener("change", () => toggleFilter(name, b.value, cb.checked));
      const label = el("label", { class: "facet-value" + (b.count === 0 ? " zero" : "") }, cb,
        el("span", { class: "facet-name", text: valueLabel(name, b.value), title: b.value }),
        el("span", { class: "facet-count", text: numFmt.format(b.count), "aria-label": plural(b.count, "article", "articles") }));
      list.append(el("li", {}, label));
    }
    const fs = el("fieldset", { class: "facet", id }, el("legend", { class: "facet-title", text: facetLabel(name) }), list);
    if (buckets.length > TERM_FACET_SHOWN) {
      fs.append(el("button", {
        type: "button", class: "link-button more", "aria-expanded": expanded ? "true" : "false", "data-key": name + " :: more",
        text: expanded ? "Show fewer" : "Show all " + buckets.length,
        onclick: () => { expanded ? expandedFacets.delete(name) : expandedFacets.add(name); renderFacets(state, lastResults.facets || {}); },
      }));
    }
    return fs;
  }

  function toggleFilter(name, value, on) {
    const next = structuredClone(state);
    const vs = (next.filters[name] || []).filter((v) => v !== value);
    if (on) vs.push(value);
    if (vs.length) next.filters[name] = vs;
    else delete next.filters[name];
    next.page = 1;
    typing = false;
    go(next);
  }

  // months lists every month from the first bucket to the last (gaps as
  // zero) when the span is at most 15 years, else only the buckets.
  function months(buckets) {
    const sorted = buckets.filter((b) => isMonth(b.value)).sort((a, b) => (a.value < b.value ? -1 : 1));
    if (!sorted.length) return [];
    const first = monthDate(sorted[0].value), last = monthDate(sorted[sorted.length - 1].value);
    const span = (last.getUTCFullYear() - first.getUTCFullYear()) * 12 + last.getUTCMonth() - first.getUTCMonth() + 1;
    if (span > 180) return sorted.map((b) => ({ month: b.value, count: b.count }));
    const counts = new Map(sorted.map((b) => [b.value, b.count]));
    const out = [];
    for (let i = 0; i < span; i++) {
      const d = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + i, 1));
      const m = d.getUTCFullYear() + "-" + String(d.getUTCMonth() + 1).padStart(2, "0");
      out.push({ month: m, count: counts.get(m) || 0 });
    }
    return out;
  }

  function dateFacet(s, name, buckets) {
    const ms = months(buckets);
    const selFrom = s.from ? s.from.slice(0, 7) : "";
    const selTo = s.to ? s.to.slice(0, 7) : "";
    const hasSel = Boolean(s.from || s.to);
    if (!ms.length && !hasSel) return null;
    const inSel = (m) => hasSel && (!selFrom || m >= selFrom) && (!selTo || m <= selTo);
    const max = Math.max(1, ...ms.map((m) => m.count));

    const section = el("section", { class: "facet date-facet", "aria-labelledby": "facet-title-" + name });
    const head = el("div", { class: "facet-head" }, el("h3", { class: "facet-title", id: "facet-title-" + name, text: facetLabel(name) }));
    if (hasSel) {
      head.append(el("button", { type: "button", class: "link-button", text: "All dates", "data-key": name + " :: all", onclick: () => setDates("", "") }));
    }
    section.append(head);
    section.append(el("p", { class: "date-range", text: hasSel ? rangeLabel(s.from, s.to) : "All dates · click a bar or drag across months" }));

    // Every month must fit the column (about 250 px): thinner gaps as
    // the months grow, down to none past 80 (a bar of 1-3 px).
    const density = ms.length > 80 ? " dense2" : ms.length > 40 ? " dense" : "";
    const hist = el("div", { class: "histogram" + density + (hasSel ? " has-selection" : ""), role: "group", "aria-label": "Articles per month" });
    ms.forEach((m, i) => {
      const bar = el("button", {
        type: "button", class: "bar" + (inSel(m.month) ? " selected" : "") + (m.count === 0 ? " zero" : ""),
        "data-index": i, "data-key": name + " :: " + m.month,
        "aria-label": longMonthFmt.format(monthDate(m.month)) + ": " + plural(m.count, "article", "articles"),
        "aria-pressed": inSel(m.month) ? "true" : "false",
        title: monthLabel(m.month) + ": " + plural(m.count, "article", "articles"),
      }, el("span", { class: "fill" }));
      bar.firstChild.style.height = m.count ? Math.max(6, Math.round((m.count / max) * 100)) + "%" : "2px";
      hist.append(bar);
    });
    attachDrag(hist, ms);
    section.append(hist);
    if (ms.length) {
      section.append(el("div", { class: "axis", "aria-hidden": "true" },
        el("span", { text: monthLabel(ms[0].month) }),
        ms.length > 1 ? el("span", { text: monthLabel(ms[ms.length - 1].month) }) : null));
    }
    return section;
  }

  function rangeLabel(from, to) {
    const f = from ? monthLabel(from.slice(0, 7)) : "";
    const t = to ? monthLabel(to.slice(0, 7)) : "";
    if (f && t) return f === t ? f : f + " – " + t;
    return f ? "From " + f : "Until " + t;
  }

  function setDates(from, to) {
    const next = structuredClone(state);
    next.from = from;
    next.to = to;
    next.page = 1;
    typing = false;
    go(next);
  }

  function selectMonths(ms, a, b) {
    const lo = ms[Math.min(a, b)].month, hi = ms[Math.max(a, b)].month;
    // Clicking the only selected month again clears the date filter.
    if (lo === hi && state.from === lo + "-01" && state.to === lastDay(hi)) setDates("", "");
    else setDates(lo + "-01", lastDay(hi));
  }

  // attachDrag lets a pointer click one bar or drag across several; the
  // keyboard clicks a bar (Shift extends the current selection).
  function attachDrag(hist, ms) {
    let start = -1, cur = -1;
    const indexAt = (x) => {
      const bars = hist.children;
      for (let i = 0; i < bars.length; i++) {
        const r = bars[i].getBoundingClientRect();
        if (x < r.right || i === bars.length - 1) return i;
      }
      return -1;
    };
    const preview = () => {
      const lo = Math.min(start, cur), hi = Math.max(start, cur);
      [...hist.children].forEach((b, i) => b.classList.toggle("preview", i >= lo && i <= hi));
    };
    hist.addEventListener("pointerdown", (e) => {
      if (e.button !== 0 || !ms.length) return;
      start = cur = indexAt(e.clientX);
      hist.setPointerCapture(e.pointerId);
      hist.classList.add("dragging");
      preview();
      e.preventDefault();
    });
    hist.addEventListener("pointermove", (e) => {
      if (start < 0) return;
      const i = indexAt(e.clientX);
      if (i !== cur) { cur = i; preview(); }
    });
    const end = (commit) => {
      if (start < 0) return;
      hist.classList.remove("dragging");
      const a = start, b = cur;
      start = cur = -1;
      [...hist.children].forEach((bar) => bar.classList.remove("preview"));
      if (commit) selectMonths(ms, a, b);
    };
    hist.addEventListener("pointerup", () => end(true));
    hist.addEventListener("pointercancel", () => end(false));
    hist.addEventListener("click", (e) => {
      // Pointer clicks were handled on pointerup; this is the keyboard.
      const bar = e.target.closest(".bar");
      if (!bar || e.detail !== 0) return;
      const i = +bar.dataset.index;
      if (e.shiftKey && state.from) {
        const j = ms.findIndex((m) => m.month === state.from.slice(0, 7));
        selectMonths(ms, j < 0 ? i : j, i);
      } else {
        selectMonths(ms, i, i);
      }
    });
  }

  function renderChips(s) {
    const chips = $("chips");
    const items = [];
    for (const [name, vs] of Object.entries(s.filters)) {
      for (const v of vs) {
        items.push(chip(facetLabel(name) + ": " + valueLabel(name, v), () => toggleFilter(name, v, false)));
      }
    }
    if (s.from || s.to) items.push(chip(facetLabel("date") + ": " + rangeLabel(s.from, s.to), () => setDates("", "")));
    if (items.length > 1) items.push(el("li", {}, el("button", { type: "button", class: "link-button", text: "Clear all", onclick: clearAll })));
    // A removed chip takes the focus with it: give it to the chip now in
    // its place, or to the box when none is left.
    const was = [...chips.querySelectorAll("button")].indexOf(document.activeElement);
    chips.replaceChildren(...items);
    chips.hidden = items.length === 0;
    if (was >= 0) {
      const buttons = chips.querySelectorAll("button");
      if (buttons.length) buttons[Math.min(was, buttons.length - 1)].focus();
      else box.focus();
    }
  }

  function chip(text, remove) {
    return el("li", {}, el("button", { type: "button", class: "chip", "aria-label": "Remove filter " + text, onclick: remove },
      el("span", { text }), el("span", { class: "chip-x", "aria-hidden": "true", text: "×" })));
  }

  function clearAll() {
    const next = structuredClone(state);
    next.filters = {};
    next.from = next.to = "";
    next.page = 1;
    typing = false;
    go(next);
  }

  // ---- Pages ------------------------------------------------------------------

  function renderPager(s, total) {
    const pager = $("pager");
    const pages = Math.min(Math.ceil(total / PAGE_SIZE), Math.floor(MAX_WINDOW / PAGE_SIZE));
    if (pages <= 1) {
      pager.hidden = true;
      pager.replaceChildren();
      return;
    }
    const link = (page, text, label, cls) => {
      const next = { ...s, page };
      const a = el("a", { href: searchURL(next), class: cls || "page", text, "aria-label": label });
      a.addEventListener("click", (e) => {
        if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
        e.preventDefault();
        typing = false;
        go(structuredClone(next), { focusResults: true });
        window.scrollTo({ top: 0 });
      });
      return a;
    };
    const items = [];
    if (s.page > 1) items.push(link(s.page - 1, "‹ Previous", "Previous page", "page step"));
    const nums = new Set([1, pages, s.page - 1, s.page, s.page + 1]);
    let prev = 0;
    for (const n of [...nums].filter((n) => n >= 1 && n <= pages).sort((a, b) => a - b)) {
      if (n - prev > 1) items.push(el("span", { class: "gap", "aria-hidden": "true", text: "…" }));
      if (n === s.page) items.push(el("span", { class: "page current", "aria-current": "page", text: String(n) }));
      else items.push(link(n, String(n), "Page " + n));
      prev = n;
    }
    if (s.page < pages) items.push(link(s.page + 1, "Next ›", "Next page", "page step"));
    pager.replaceChildren(...items);
    pager.hidden = false;
  }

  // ---- No results and suggestions -----------------------------------------------

  function renderEmpty(s, body) {
    const empty = $("empty");
    if (body.hits.length > 0) {
      empty.hidden = true;
      empty.replaceChildren();
      return;
    }
    const items = [];
    if (s.page > 1) {
      // Past the last page (a link kept from a larger result, a page typed
      // in the address): say so and offer the last page there is.
      const last = Math.min(Math.ceil(body.total / PAGE_SIZE), Math.floor(MAX_WINDOW / PAGE_SIZE));
      items.push(el("h2", { text: "There is no page " + numFmt.format(s.page) + " for this search." }));
      const to = last > 1 ? last : 1;
      items.push(el("p", {}, el("button", {
        type: "button", class: "small-button", text: to > 1 ? "Go to the last page (" + numFmt.format(to) + ")" : "Go to the first page",
        onclick: () => { typing = false; go({ ...structuredClone(s), page: to }); },
      })));
    } else {
      // A word of one or two letters still being typed is not yet
      // searched as a word's beginning (the API completes from the
      // third): say so, not that nothing matches.
      const typingShort = typing && /(^|\s)[^\s"]{1,2}$/u.test(s.q) && !ignoredWords(body).length;
      if (typingShort) {
        items.push(el("h2", { text: "Keep typing…" }));
        items.push(el("p", { class: "muted", text: "Words are completed from their third letter: type more." }));
        empty.replaceChildren(...items);
        empty.hidden = false;
        return;
      }
      items.push(el("h2", {}, s.q ? "No articles match " : "No articles", s.q ? el("q", { text: s.q }) : null, filterCount(s) ? " with these filters" : ""));
      const ignored = ignoredWords(body);
      if (ignored.length) {
        // Only stop words: nothing was searched at all.
        const words = el("span");
        ignored.forEach((w, i) => { if (i) words.append(i === ignored.length - 1 ? " and " : ", "); words.append(el("q", { text: w })); });
        items.push(el("p", { class: "ignored", id: "empty-ignored" }, words, ignored.length > 1 ? " are" : " is", " too common to search for: add a word that says what the articles are about."));
      }
      const did = el("p", { class: "did-you-mean", id: "empty-did-you-mean", hidden: true });
      items.push(did);
      const tips = el("ul", { class: "tips" });
      if (filterCount(s)) tips.append(el("li", {}, el("button", { type: "button", class: "link-button", text: "Search without filters", onclick: clearAll })));
      if (s.q && (s.typos === "false" || s.prefix === "false")) {
        tips.append(el("li", {}, el("button", { type: "button", class: "link-button", text: "Allow typos and word beginnings", onclick: () => go({ ...structuredClone(s), typos: "", prefix: "", page: 1 }) })));
      }
      if (s.q && !ignored.length) {
        tips.append(el("li", { text: "Check the spelling, or try fewer or more general words." }));
      }
      if (s.q) {
        tips.append(el("li", {}, el("button", { type: "button", class: "link-button", text: "Show the newest articles", onclick: () => { box.value = ""; typing = false; go({ ...emptyState(), filters: s.filters, from: s.from, to: s.to }); } })));
      }
      items.push(tips);
    }
    empty.replaceChildren(...items);
    empty.hidden = false;
  }

  function ignoredWords(body) {
    return Array.isArray(body.ignored) ? body.ignored : [];
  }

  let dismissedSuggest = null; // the box's text when Escape closed its completions
  let suggestSeq = 0;
  let suggestCtl = null;
  let lastSuggest = null; // {q, body}

  // fetchSuggestions asks for completions and corrections of q. A search
  // opened from an address (a shared link, Back) gets its corrections
  // only: the completions row is for a word being typed.
  async function fetchSuggestions(q, { completions = true } = {}) {
    const mine = ++suggestSeq;
    if (suggestCtl) suggestCtl.abort();
    if (!q.trim()) {
      lastSuggest = null;
      renderSuggestions();
      return;
    }
    const ctl = (suggestCtl = new AbortController());
    try {
      const resp = await fetch("/api/suggest?" + new URLSearchParams({ q, size: "5" }), { signal: ctl.signal, headers: { Accept: "application/json" } });
      const body = await resp.json().catch(() => null);
      if (mine !== suggestSeq) return;
      lastSuggest = resp.ok && body ? { q, body, completions } : null;
    } catch (err) {
      if (err.name === "AbortError" || mine !== suggestSeq) return;
      lastSuggest = null; // suggestions are optional; the search shows errors
    }
    renderSuggestions();
  }

  // renderSuggestions shows completions of the word being typed and "did
  // you mean" corrections under the box, and corrections in the
  // no-results message, for the text now in the box.
  function renderSuggestions() {
    const bar = $("suggest");
    const sug = lastSuggest && lastSuggest.q === box.value && !$("search-view").hidden ? lastSuggest.body : null;
    const parts = [];
    const empty = document.getElementById("empty-did-you-mean");
    if (empty) { empty.hidden = true; empty.replaceChildren(); }
    // With no results the correction is part of the message instead.
    if (sug && sug.corrections && sug.corrections.length && empty) {
      empty.append("Did you mean ", correctionLink(sug.corrections[0]), "?");
      empty.hidden = false;
    } else if (sug && sug.corrections && sug.corrections.length) {
      const links = sug.corrections.map((c) => correctionLink(c));
      const line = el("p", { class: "did-you-mean" }, "Did you mean ");
      links.forEach((l, i) => { if (i) line.append(i === links.length - 1 ? " or " : ", "); line.append(l); });
      line.append("?");
      parts.push(line);
    }
    const typed = box.value;
    if (sug && lastSuggest.completions && sug.completions && sug.completions.length && typed && !/\s$/.test(typed) && dismissedSuggest !== typed) {
      const list = el("ul", { class: "completions", "aria-label": "Complete the last word" });
      for (const c of sug.completions) {
        const rest = c.query.slice(commonPrefix(typed, c.query));
        const b = el("button", { type: "button", class: "completion", "aria-label": "Search " + c.query + ", " + plural(c.count, "article", "articles") },
          el("span", { class: "typed", text: c.query.slice(0, c.query.length - rest.length) }),
          el("strong", { text: rest }),
          el("span", { class: "count", text: numFmt.format(c.count) }));
        b.addEventListener("click", () => { box.value = c.query + " "; typing = false; updateClear(); go({ ...structuredClone(state), q: box.value, page: 1 }); fetchSuggestions(box.value); box.focus(); });
        list.append(el("li", {}, b));
      }
      parts.push(list);
    }
    bar.replaceChildren(...parts);
    bar.hidden = parts.length === 0;
  }

  function commonPrefix(a, b) {
    const la = a.toLowerCase(), lb = b.toLowerCase();
    let i = 0;
    while (i < la.length && i < lb.length && la[i] === lb[i]) i++;
    return i;
  }

  function correctionLink(c) {
    const next = { ...structuredClone(state), q: c.query, page: 1 };
    const a = el("a", { href: searchURL(next), class: "correction" });
    // The corrected query with the changed words emphasised.
    let rest = c.query;
    for (const ch of c.changes || []) {
      const i = rest.indexOf(ch.to);
      if (i < 0) continue;
      a.append(rest.slice(0, i), el("strong", { text: ch.to }));
      rest = rest.slice(i + ch.to.length);
    }
    a.append(rest);
    a.addEventListener("click", (e) => {
      if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
      e.preventDefault();
      box.value = c.query;
      typing = false;
      updateClear();
      go(next);
      fetchSuggestions(c.query);
    });
    return a;
  }

  // ---- Article view -------------------------------------------------------------

  let articleSeq = 0;
  let marks = [];
  let markAt = -1;

  async function showArticle(id, s) {
    const mine = ++articleSeq;
    showView("article");
    const title = $("article-title"), body = $("article-body"), errBox = $("article-error");
    title.replaceChildren();
    $("article-meta").replaceChildren();
    body.replaceChildren(el("p", { class: "muted", text: "Loading…" }));
    $("related").hidden = true;
    $("related-list").replaceChildren();
    errBox.hidden = true;
    $("match-nav").hidden = true;
    $("back").href = searchURL(s);
    box.value = s.q;
    updateClear();
    const p = new URLSearchParams();
    if (s.q) p.set("q", s.q);
    if (s.typos) p.set("typos", s.typos);
    if (s.prefix) p.set("prefix", s.prefix);
    let resp, a;
    try {
      resp = await fetch("/api/articles/" + encodeURIComponent(id) + (s.q ? "?" + p : ""), { headers: { Accept: "application/json" } });
      a = await resp.json().catch(() => null);
    } catch {
      resp = { ok: false, status: 0 };
    }
    if (mine !== articleSeq) return;
    if (!resp.ok || !a) {
      body.replaceChildren();
      errBox.replaceChildren(el("p", {
        text: resp.status === 404 ? "This article does not exist. It may have been removed from the index."
          : resp.status === 503 ? "The search index is still being prepared. Reload the page in a moment."
            : resp.status === 0 ? "Cannot reach the search server. Check your connection and try again."
              : "The article could not be loaded (error " + resp.status + ").",
      }));
      errBox.hidden = false;
      title.textContent = resp.status === 404 ? "Article not found" : "Article unavailable";
      document.title = title.textContent + " – newsearch";
      return;
    }
    const lang = LANG_NAMES[a.lang] && a.lang !== "other" ? a.lang : null;
    document.title = a.title + " – newsearch";
    if (a.highlights) setHighlightHTML(title, a.highlights.title);
    else title.textContent = a.title;
    if (lang) { title.lang = lang; body.lang = lang; } else { title.removeAttribute("lang"); body.removeAttribute("lang"); }
    const m = meta(a);
    const url = safeURL(a.url);
    if (url) {
      m.append(el("span", { class: "dot", "aria-hidden": "true", text: "·" }),
        el("a", { href: url, rel: "noopener noreferrer nofollow", target: "_blank", class: "original", text: "Original ↗" }));
    }
    $("article-meta").replaceChildren(...m.childNodes);
    const paras = [];
    const text = a.highlights ? a.highlights.body : a.body;
    for (const chunk of text.split(/\n+/)) {
      if (!chunk.trim()) continue;
      const para = el("p");
      // A match never spans a line break, so every chunk of the
      // highlighted body is complete HTML.
      if (a.highlights) setHighlightHTML(para, chunk);
      else para.textContent = chunk;
      paras.push(para);
    }
    body.replaceChildren(...paras);
    marks = markGroups([...document.querySelectorAll("#article-view mark")]);
    markAt = -1;
    if (s.q) {
      // A query with quotes of its own is shown as typed, not quoted again.
      const asked = s.q.includes('"') ? s.q.trim() : "“" + s.q.trim() + "”";
      $("match-count").textContent = marks.length ? plural(marks.length, "match", "matches") + " for " + asked : "No matches for " + asked + " in this article";
      $("match-nav").hidden = false;
      $("match-prev").hidden = $("match-next").hidden = marks.length === 0;
    }
    window.scrollTo({ top: 0 });
    title.tabIndex = -1;
    title.focus({ preventScroll: true });
    showRelated(id, s, mine);
  }

  // showRelated lists the articles most like article id under it; a
  // failure leaves the list out, as the article itself is what was asked.
  async function showRelated(id, s, mine) {
    let d;
    try {
      const resp = await fetch("/api/articles/" + encodeURIComponent(id) + "/related", { headers: { Accept: "application/json" } });
      d = resp.ok ? await resp.json() : null;
    } catch {
      d = null;
    }
    if (mine !== articleSeq || !d || !Array.isArray(d.related) || d.related.length === 0) return;
    const items = d.related.map((r) => {
      const link = el("a", { class: r.title_derived ? "related-link derived" : "related-link", href: articleURL(r.id, s), "data-id": r.id, text: r.title });
      if (LANG_NAMES[r.lang] && r.lang !== "other") link.lang = r.lang;
      return el("li", {}, link, meta(r));
    });
    $("related-list").replaceChildren(...items);
    $("related").hidden = false;
  }

  // markGroups gathers the marks that only spaces part into one match:
  // the words of a phrase ("oil prices") are marked one by one, and the
  // navigator counted "oil" and "prices" as two matches.
  function markGroups(all) {
    const groups = [];
    for (const m of all) {
      const prev = groups.length ? groups[groups.length - 1] : null;
      const last = prev && prev[prev.length - 1];
      const between = last && last.nextSibling;
      if (last && (between === m || between && between.nodeType === Node.TEXT_NODE && !between.textContent.trim() && between.nextSibling === m)) prev.push(m);
      else groups.push([m]);
    }
    return groups;
  }

  function jumpMark(step) {
    if (!marks.length) return;
    if (markAt >= 0) marks[markAt].forEach((m) => m.classList.remove("current"));
    // From no match yet, Next goes to the first and Previous to the last.
    markAt = markAt < 0 ? (step > 0 ? 0 : marks.length - 1) : (markAt + step + marks.length) % marks.length;
    const m = marks[markAt][0];
    marks[markAt].forEach((x) => x.classList.add("current"));
    m.scrollIntoView({ block: "center", behavior: matchMedia("(prefers-reduced-motion: reduce)").matches ? "auto" : "smooth" });
    $("match-count").textContent = "Match " + (markAt + 1) + " of " + marks.length;
  }

  // ---- Views and routing ----------------------------------------------------------

  function showView(view) {
    const article = view === "article";
    $("search-view").hidden = article;
    $("article-view").hidden = !article;
    $("suggest").hidden = article || $("suggest").childElementCount === 0;
    document.body.classList.toggle("reading", article);
  }

  function route() {
    const m = location.pathname.match(/^\/articles\/([^/]+)$/);
    const s = stateFromURL();
    if (m) {
      let id;
      try { id = decodeURIComponent(m[1]); } catch { id = m[1]; }
      showArticle(id, s);
      return;
    }
    state = s;
    box.value = s.q;
    updateClear();
    showView("search");
    const url = searchURL(s);
    if (url === rendered && lastResults) {
      // Back from an article: the results are still here.
      setSearchTitle(s);
      renderSuggestions();
      const y = history.state && history.state.scrollY;
      if (typeof y === "number") window.scrollTo(0, y);
      // Focus goes back to the result that was opened, so that the
      // arrows go on from there, as they do from a list's item.
      const back = lastOpened && hitsEl.querySelector('a.hit-link[data-id="' + CSS.escape(lastOpened) + '"]');
      if (back) back.focus({ preventScroll: true });
      return;
    }
    search(s);
    fetchSuggestions(s.q, { completions: false });
  }

  let lastOpened = null; // the result last opened, which Back focuses again
  function openArticle(id) {
    lastOpened = id;
    // Remember where the results were scrolled to, for Back.
    history.replaceState({ ...(history.state || {}), view: "search", scrollY: window.scrollY }, "", location.href);
    typing = false;
    history.pushState({ view: "article", depth: 1 }, "", articleURL(id, state));
    route();
  }

  // openRelated opens a related article of the one being read, at href
  // (the same search highlighted). depth counts the articles read since
  // the results, so that Back to results goes past all of them.
  function openRelated(href) {
    typing = false;
    const depth = (history.state && history.state.depth) || 1;
    history.pushState({ view: "article", depth: depth + 1 }, "", href);
    route();
  }

  // ---- Events -----------------------------------------------------------------

  let typeTimer = null;

  function updateClear() {
    $("clear").hidden = box.value === "";
  }

  // searchSoon searches for what the box holds once typing pauses.
  function searchSoon() {
    clearTimeout(typeTimer);
    typeTimer = setTimeout(() => {
      const next = { ...structuredClone(state), q: box.value, page: 1 };
      const push = !typing || !$("article-view").hidden;
      typing = true;
      go(next, { push });
      fetchSuggestions(box.value);
    }, TYPE_DELAY);
  }

  // While an input method composes a word (pinyin becoming 习近平), the box
  // holds its unfinished letters: search once the word is committed.
  // Chrome fires the last input before compositionend, Firefox after it.
  box.addEventListener("input", (e) => {
    updateClear();
    if (e.isComposing) return;
    searchSoon();
  });
  box.addEventListener("compositionend", () => {
    updateClear();
    searchSoon();
  });

  form.addEventListener("submit", (e) => {
    e.preventDefault();
    clearTimeout(typeTimer);
    const next = { ...structuredClone(state), q: box.value, page: 1 };
    const push = !typing;
    typing = false;
    go(next, { push });
    fetchSuggestions(box.value);
  });

  // In the box, its word's completions are offered again (a search
  // opened from an address shows none until then).
  box.addEventListener("focus", () => {
    if (lastSuggest && !lastSuggest.completions) {
      lastSuggest.completions = true;
      renderSuggestions();
    }
  });

  $("clear").addEventListener("click", () => {
    clearSearch();
    box.focus();
  });

  function clearSearch() {
    clearTimeout(typeTimer);
    box.value = "";
    updateClear();
    typing = false;
    go({ ...structuredClone(state), q: "", page: 1 });
    fetchSuggestions("");
  }

  sortEl.addEventListener("change", () => {
    typing = false;
    go({ ...structuredClone(state), sort: sortEl.value, page: 1 });
  });

  $("clear-all").addEventListener("click", clearAll);

  // On small screens the filters open as a full-screen panel.
  function setFiltersOpen(open) {
    $("filters-toggle").setAttribute("aria-expanded", open ? "true" : "false");
    document.body.classList.toggle("filters-open", open);
    if (open) $("filters-done").focus();
    else if (document.activeElement && $("facets").contains(document.activeElement)) $("filters-toggle").focus();
  }
  $("filters-toggle").addEventListener("click", () => setFiltersOpen($("filters-toggle").getAttribute("aria-expanded") !== "true"));
  $("filters-done").addEventListener("click", () => setFiltersOpen(false));

  hitsEl.addEventListener("click", (e) => {
    const a = e.target.closest("a.hit-link");
    if (!a || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    openArticle(a.dataset.id);
  });

  $("related-list").addEventListener("click", (e) => {
    const a = e.target.closest("a.related-link");
    if (!a || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    openRelated(a.getAttribute("href"));
  });

  $("back").addEventListener("click", (e) => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    goBackToResults();
  });

  function goBackToResults() {
    if (history.state && history.state.view === "article" && rendered) {
      // to the results we came from, scroll position kept
      history.go(-(history.state.depth || 1));
    } else {
      history.pushState({ view: "search" }, "", $("back").getAttribute("href"));
      route();
    }
  }

  $("match-next").addEventListener("click", () => jumpMark(1));
  $("match-prev").addEventListener("click", () => jumpMark(-1));

  window.addEventListener("popstate", () => {
    typing = false;
    clearTimeout(typeTimer);
    route();
  });

  // isField reports whether keys typed at t are text for it (so / and the
  // arrows are not ours): text inputs, text areas, selects.
  const isField = (t) => Boolean(t) && (t.isContentEditable || t.tagName === "TEXTAREA" || t.tagName === "SELECT" ||
    (t.tagName === "INPUT" && !["checkbox", "radio", "button", "submit", "reset"].includes(t.type)));

  document.addEventListener("keydown", (e) => {
    if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey) return;
    // Keys that pick or cancel an input method's candidate are its own
    // (Safari marks the one that ends a composition only by keyCode 229).
    if (e.isComposing || e.keyCode === 229) return;
    const t = e.target;
    if (e.key === "/" && !isField(t)) {
      e.preventDefault();
      box.focus();
      box.select();
      return;
    }
    const completions = $("suggest").hidden ? [] : [...$("suggest").querySelectorAll("button.completion")];
    const ci = completions.indexOf(t);
    if (e.key === "Escape" && (ci >= 0 || (t === box && completions.length))) {
      // The completions close first; a second Escape clears the box.
      e.preventDefault();
      dismissedSuggest = box.value;
      renderSuggestions();
      box.focus();
      return;
    }
    if (completions.length && (t === box && e.key === "ArrowDown" || ci >= 0 && ["ArrowDown", "ArrowUp", "ArrowLeft", "ArrowRight"].includes(e.key))) {
      // Down from the box goes through the completions, then the results.
      e.preventDefault();
      const step = e.key === "ArrowDown" || e.key === "ArrowRight" ? 1 : -1;
      const next = t === box ? 0 : ci + step;
      if (next < 0) box.focus();
      else if (next < completions.length) completions[next].focus();
      else if (e.key === "ArrowDown" && hitsEl.querySelector("a.hit-link")) focusHit(hitsEl.querySelector("a.hit-link"));
      return;
    }
    if (e.key === "Tab" && document.body.classList.contains("filters-open")) {
      // The open filters panel covers the page: Tab cycles inside it, as
      // in any dialog, rather than reaching the hidden box behind it.
      const inside = [...$("facets").querySelectorAll("button, input, a[href], select")].filter((x) => !x.disabled && x.offsetParent !== null);
      if (inside.length) {
        const first = inside[0], last = inside[inside.length - 1];
        if (e.shiftKey && (t === first || !$("facets").contains(t))) { e.preventDefault(); last.focus(); }
        else if (!e.shiftKey && (t === last || !$("facets").contains(t))) { e.preventDefault(); first.focus(); }
      }
      return;
    }
    if (e.key === "Escape") {
      if (document.body.classList.contains("filters-open")) {
        e.preventDefault();
        setFiltersOpen(false);
      } else if (t === box) {
        if (box.value) { e.preventDefault(); clearSearch(); }
        else box.blur();
      } else if (!$("article-view").hidden) {
        e.preventDefault();
        goBackToResults();
      } else if (!isField(t)) {
        e.preventDefault();
        box.focus();
      }
      return;
    }
    if (e.key !== "ArrowDown" && e.key !== "ArrowUp") return;
    if (!$("article-view").hidden) return; // arrows scroll the article
    const links = [...hitsEl.querySelectorAll("a.hit-link")];
    if (!links.length) return;
    const i = links.indexOf(t);
    if (t === box) {
      if (e.key !== "ArrowDown") return;
      e.preventDefault();
      focusHit(links[0]);
    } else if (i >= 0) {
      e.preventDefault();
      if (e.key === "ArrowDown") focusHit(links[Math.min(i + 1, links.length - 1)]);
      else if (i === 0) box.focus();
      else focusHit(links[i - 1]);
    } else if (!isField(t) && e.key === "ArrowDown") {
      e.preventDefault();
      focusHit(links[0]);
    }
  });

  // The sticky header covers the top of the page: what scrolls into view
  // (a focused result, the results after paging) stops below it, however
  // tall the header grows (the suggestions' row, a narrow screen).
  const header = document.querySelector(".top");
  if (header && "ResizeObserver" in window) {
    new ResizeObserver(() => {
      document.documentElement.style.scrollPaddingTop = header.offsetHeight + 8 + "px";
    }).observe(header);
  }

  function focusHit(a) {
    a.focus({ preventScroll: true });
    a.closest(".hit").scrollIntoView({ block: "nearest" });
  }

  if ("scrollRestoration" in history) history.scrollRestoration = "manual";
  route();
})();
