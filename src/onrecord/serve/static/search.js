// Search page: the form's fields live in the URL (?q=&speaker=&since=&until=&flag=&offset=),
// so a search can be bookmarked and the form works without this script.
"use strict";

(() => {
  const { el, clear, api, quoteItem, setStatus } = OR;
  const FIELDS = ["q", "speaker", "since", "until", "flag"];
  const LIMIT = 20;

  function currentParams() {
    const url = new URLSearchParams(window.location.search);
    const params = {};
    for (const f of FIELDS) {
      const v = url.get(f);
      if (v) params[f] = v;
    }
    const offset = parseInt(url.get("offset") || "0", 10);
    params.offset = Number.isFinite(offset) && offset > 0 ? offset : 0;
    return params;
  }

  function fillForm(params) {
    for (const f of FIELDS) {
      const input = document.getElementById(f);
      if (input && params[f]) input.value = params[f];
    }
  }

  function pageHref(params, offset) {
    const url = new URLSearchParams();
    for (const f of FIELDS) if (params[f]) url.set(f, params[f]);
    if (offset > 0) url.set("offset", String(offset));
    const qs = url.toString();
    return "/" + (qs ? "?" + qs : "");
  }

  async function loadSpeakers() {
    try {
      const data = await api("/api/speakers", { limit: 200 });
      const list = document.getElementById("speaker-list");
      for (const s of data.results) list.append(el("option", { value: s.name }));
    } catch (_e) {
      /* suggestions are optional */
    }
  }

  async function run() {
    const params = currentParams();
    fillForm(params);
    const results = document.getElementById("results");
    setStatus("Searching…");
    let data;
    try {
      data = await api("/api/quotes", { ...params, limit: LIMIT });
    } catch (e) {
      setStatus("Search failed: " + e.message, true);
      OR.markReady("error");
      return;
    }
    clear(results);
    for (const q of data.results) results.append(quoteItem(q));
    const filtered = FIELDS.some((f) => params[f]);
    if (data.total === 0) setStatus(filtered ? "No quotes match." : "The record is empty.");
    else {
      const first = data.offset + 1;
      const last = data.offset + data.results.length;
      setStatus(
        (filtered ? "" : "Latest quotes: ") + first + "–" + last + " of " + data.total + " quote" + (data.total === 1 ? "" : "s")
      );
    }
    results.setAttribute("start", String(data.offset + 1));
    const pager = document.getElementById("pager");
    const prev = document.getElementById("prev");
    const next = document.getElementById("next");
    prev.hidden = data.offset === 0;
    prev.setAttribute("href", pageHref(params, Math.max(0, data.offset - LIMIT)));
    next.hidden = !data.next;
    next.setAttribute("href", pageHref(params, data.offset + LIMIT));
    pager.hidden = prev.hidden && next.hidden;
    OR.markReady();
  }

  document.addEventListener("DOMContentLoaded", () => {
    loadSpeakers();
    run();
  });
})();
