// newsearch search page. Highlight HTML from the API is the only server
// text inserted as HTML; everything else goes in with textContent.
"use strict";
(function () {
  const form = document.getElementById("search");
  const box = document.getElementById("q");
  const status = document.getElementById("status");
  const list = document.getElementById("hits");
  let seq = 0;

  async function run(q) {
    const mine = ++seq;
    const params = new URLSearchParams();
    if (q) params.set("q", q);
    const resp = await fetch("/api/search?" + params.toString());
    const body = await resp.json();
    if (mine !== seq) return; // a newer search has started
    list.replaceChildren();
    if (!resp.ok) {
      status.textContent = body.error ? body.error.message : "Search failed";
      return;
    }
    status.textContent = body.total + " articles · " + body.took_ms.toFixed(1) + " ms";
    for (const h of body.hits) {
      const li = document.createElement("li");
      const a = document.createElement("a");
      a.href = "/articles/" + encodeURIComponent(h.id);
      a.textContent = h.title;
      const meta = document.createElement("div");
      meta.className = "meta";
      meta.textContent = [h.date, h.source, h.lang].filter(Boolean).join(" · ");
      li.append(a, meta);
      for (const frag of (h.highlights.body || [])) {
        const p = document.createElement("p");
        p.innerHTML = frag; // server-escaped, only <mark> added
        li.append(p);
      }
      list.append(li);
    }
  }

  let timer;
  box.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => run(box.value), 150);
  });
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    clearTimeout(timer);
    run(box.value);
  });
  box.value = new URLSearchParams(location.search).get("q") || "";
  run(box.value);
})();
