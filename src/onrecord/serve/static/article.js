// Article view: the text with each quote highlighted in its speaker's colour, the
// speaker mention and the cue marked; hover or select a quote for its details.
//
// The text is cut into segments at every span boundary; each segment becomes a
// text node or a <span> holding a text node. Nothing from the article is ever
// parsed as HTML.
"use strict";

(() => {
  const { el, clear, api, Palette, flagLabel, speakerHref, setStatus } = OR;

  function spanOf(pair, length) {
    if (!Array.isArray(pair) || pair.length !== 2) return null;
    const a = Math.max(0, Math.min(length, Number(pair[0])));
    const b = Math.max(0, Math.min(length, Number(pair[1])));
    return Number.isFinite(a) && Number.isFinite(b) && b > a ? [a, b] : null;
  }

  function marksOf(quotes, length) {
    const marks = [];
    quotes.forEach((q, qi) => {
      const frags = q.content_fragments && q.content_fragments.length ? q.content_fragments : [q.content_span];
      for (const f of frags) {
        const s = spanOf(f, length);
        if (s) marks.push({ start: s[0], end: s[1], type: "q", qi });
      }
      const sp = spanOf(q.speaker_span, length);
      if (sp) marks.push({ start: sp[0], end: sp[1], type: "s", qi });
      const cue = spanOf(q.cue_span, length);
      if (cue) marks.push({ start: cue[0], end: cue[1], type: "c", qi });
    });
    return marks;
  }

  const flagKinds = (q) => (q.flags || []).map((f) => f.kind);
  const isMisattributed = (q) => flagKinds(q).some((k) => k === "misattribution" || k === "conflicting_attribution");

  function render(article) {
    const text = String(article.text || "");
    const quotes = article.quotes || [];
    const palette = new Palette();
    const colors = quotes.map((q) => palette.color(q));
    const marks = marksOf(quotes, text.length);
    const cuts = new Set([0, text.length]);
    for (const m of marks) {
      cuts.add(m.start);
      cuts.add(m.end);
    }
    const bounds = [...cuts].sort((a, b) => a - b);
    const container = document.getElementById("article-text");
    clear(container);
    const segmentsOf = quotes.map(() => []);
    const lastQuoteSegment = new Map();
    const firstQuoteSegment = new Map();

    for (let i = 0; i + 1 < bounds.length; i++) {
      const a = bounds[i];
      const b = bounds[i + 1];
      const piece = text.slice(a, b);
      const here = marks.filter((m) => m.start <= a && m.end >= b);
      if (!here.length) {
        container.append(document.createTextNode(piece));
        continue;
      }
      // the innermost (shortest) quote wins the colour; speaker and cue marks style on top
      const qMarks = here.filter((m) => m.type === "q").sort((x, y) => x.end - x.start - (y.end - y.start));
      const primary = qMarks.length ? qMarks[0] : here[0];
      const q = quotes[primary.qi];
      const classes = [];
      if (qMarks.length) classes.push("q", "q-" + q.kind);
      if (here.some((m) => m.type === "s")) classes.push("s");
      if (here.some((m) => m.type === "c")) classes.push("c");
      if (qMarks.length && (q.flags || []).length) classes.push("flagged");
      if (qMarks.length && isMisattributed(q)) classes.push("misattributed");
      const node = el("span", { class: classes.join(" "), data: { q: primary.qi } }, piece);
      node.style.setProperty("--c", colors[primary.qi]);
      container.append(node);
      for (const m of here) {
        segmentsOf[m.qi].push(node);
        if (m.type === "q") {
          lastQuoteSegment.set(m.qi, node);
          if (!firstQuoteSegment.has(m.qi)) firstQuoteSegment.set(m.qi, node);
        }
      }
    }

    // focus targets, anchors and at-a-glance flag badges
    quotes.forEach((q, qi) => {
      const first = firstQuoteSegment.get(qi);
      if (first) {
        first.setAttribute("tabindex", "0");
        first.setAttribute("role", "button");
        first.setAttribute("aria-label", "Quote by " + (q.speaker || "unknown speaker") + (q.flags && q.flags.length ? ", flagged" : ""));
        if (!first.id) first.id = q.quote_id !== undefined && q.quote_id !== null ? "q" + q.quote_id : "quote-" + qi;
      }
      const last = lastQuoteSegment.get(qi);
      if (last && (q.flags || []).length) {
        // the label is CSS-generated content (::after), so that selecting and
        // copying the article copies the article's words only
        const badge = el("span", {
          class: "badge inline" + (isMisattributed(q) ? " badge-misattribution" : ""),
          data: { q: qi, label: "⚠ " + flagLabel(q.flags[0].kind) },
          "aria-hidden": "true",
        });
        last.after(badge);
        segmentsOf[qi].push(badge);
      }
    });

    return { quotes, colors, segmentsOf, palette };
  }

  function detailRow(dl, label, value, node) {
    if ((value === null || value === undefined || value === "") && !node) return;
    dl.append(el("dt", {}, label), el("dd", {}, node || String(value)));
  }

  function showDetails(state, qi) {
    const q = state.quotes[qi];
    const box = document.getElementById("details");
    clear(box);
    box.append(el("h2", {}, "Quote"));
    box.append(el("blockquote", { class: "detail-quote" }, q.content));
    const dl = el("dl", { class: "detail-list" });
    const who =
      q.speaker_id !== null && q.speaker_id !== undefined && q.speaker
        ? el("a", { href: speakerHref(q.speaker_id), class: "speaker-link" }, q.speaker)
        : el("span", {}, q.speaker || "unknown");
    const swatch = el("span", { class: "swatch", "aria-hidden": "true" });
    swatch.style.setProperty("--c", state.colors[qi]);
    detailRow(dl, "Speaker", null, el("span", {}, swatch, who));
    if (q.speaker_mention && q.speaker_mention !== q.speaker) detailRow(dl, "Mention", "“" + q.speaker_mention + "”");
    detailRow(dl, "Kind", q.kind);
    detailRow(dl, "Cue", q.cue);
    detailRow(dl, "Said on", q.said_on ? q.said_on + (q.date_text ? " (" + q.date_text + ")" : "") : null);
    detailRow(dl, "To", q.addressee);
    detailRow(dl, "Where", q.medium);
    detailRow(dl, "Stance", q.stance);
    const conf = Number(q.confidence);
    if (Number.isFinite(conf)) {
      const meter = el("meter", { min: "0", max: "1", value: String(conf) });
      detailRow(dl, "Confidence", null, el("span", {}, meter, " " + Math.round(conf * 100) + "%"));
    }
    box.append(dl);
    const flags = q.flags || [];
    if (flags.length) {
      const list = el("ul", { class: "detail-flags" });
      for (const f of flags) {
        const item = el("li", { class: "flag-item flag-" + String(f.kind).replace(/[^a-z_]/g, "") }, el("strong", {}, "⚠ " + flagLabel(f.kind)));
        if (f.evidence) item.append(el("p", {}, f.evidence));
        if (f.likely_speaker) item.append(el("p", {}, "Likely speaker: ", el("strong", {}, f.likely_speaker)));
        if (f.original) item.append(el("p", {}, "Earlier wording: ", el("q", {}, f.original)));
        if (f.other_article) item.append(el("p", {}, el("a", { href: OR.articleHref(f.other_article) }, "the other article")));
        list.append(item);
      }
      box.append(el("h3", {}, "Flags"), list);
    } else {
      box.append(el("p", { class: "hint" }, "No flags."));
    }
  }

  function wire(state) {
    const container = document.getElementById("article-text");
    let pinned = null;
    let shown = null;
    const highlight = (qi) => {
      if (shown !== null) for (const n of state.segmentsOf[shown]) n.classList.remove("active");
      shown = qi;
      if (qi !== null) {
        for (const n of state.segmentsOf[qi]) n.classList.add("active");
        showDetails(state, qi);
      }
    };
    const qiOf = (target) => {
      const node = target instanceof Element ? target.closest("[data-q]") : null;
      return node ? Number(node.dataset.q) : null;
    };
    container.addEventListener("mouseover", (e) => {
      const qi = qiOf(e.target);
      if (qi !== null) highlight(qi);
    });
    container.addEventListener("mouseleave", () => highlight(pinned));
    const select = (qi) => {
      pinned = qi;
      highlight(qi);
      document.body.dataset.selected = String(qi);
    };
    container.addEventListener("click", (e) => {
      const qi = qiOf(e.target);
      if (qi !== null) select(qi);
    });
    container.addEventListener("focusin", (e) => {
      const qi = qiOf(e.target);
      if (qi !== null) select(qi);
    });
    container.addEventListener("keydown", (e) => {
      if (e.key === "Enter" || e.key === " ") {
        const qi = qiOf(e.target);
        if (qi !== null) {
          e.preventDefault();
          select(qi);
        }
      }
    });
    return select;
  }

  function legend(state) {
    const list = document.getElementById("legend");
    clear(list);
    const seen = new Map();
    state.quotes.forEach((q, qi) => {
      const key = state.palette.key(q) || "unknown";
      if (!seen.has(key)) seen.set(key, { q, qi, n: 0 });
      seen.get(key).n += 1;
    });
    for (const { q, qi, n } of seen.values()) {
      const swatch = el("span", { class: "swatch", "aria-hidden": "true" });
      swatch.style.setProperty("--c", state.colors[qi]);
      const name =
        q.speaker_id !== null && q.speaker_id !== undefined && q.speaker
          ? el("a", { href: speakerHref(q.speaker_id) }, q.speaker)
          : el("span", {}, q.speaker || "unknown speaker");
      list.append(el("li", {}, swatch, name, el("span", { class: "count" }, " " + n)));
    }
  }

  function banner(quotes) {
    const node = document.getElementById("flag-banner");
    const mis = quotes.filter(isMisattributed).length;
    const other = quotes.filter((q) => (q.flags || []).length && !isMisattributed(q)).length;
    if (!mis && !other) return;
    const parts = [];
    if (mis) parts.push(mis + " quote" + (mis === 1 ? "" : "s") + " may be attributed to the wrong speaker");
    if (other) parts.push(other + " other flagged quote" + (other === 1 ? "" : "s"));
    node.textContent = "⚠ " + parts.join("; ") + ".";
    node.classList.toggle("banner-misattribution", mis > 0);
    node.hidden = false;
  }

  async function main() {
    const root = document.getElementById("article");
    const id = root.dataset.articleId;
    let article;
    try {
      article = await api("/api/articles/" + encodeURIComponent(id));
    } catch (e) {
      setStatus("");
      document.getElementById("article-text").textContent = "Could not load the article: " + e.message;
      OR.markReady("error");
      return;
    }
    document.getElementById("article-title").textContent = article.title || article.id;
    const date = document.getElementById("article-date");
    if (article.published) date.textContent = "Published " + article.published;
    const link = document.getElementById("article-url");
    if (article.url && OR.safeHref(article.url) !== "#") {
      link.setAttribute("href", OR.safeHref(article.url));
      link.textContent = "original";
      link.hidden = false;
    }
    const state = render(article);
    legend(state);
    banner(state.quotes);
    const select = wire(state);
    const hash = decodeURIComponent(window.location.hash.slice(1));
    const target = hash ? document.getElementById(hash) : null;
    if (target && target.dataset.q !== undefined) {
      select(Number(target.dataset.q));
      target.scrollIntoView({ block: "center" });
    }
    OR.markReady();
  }

  document.addEventListener("DOMContentLoaded", main);
})();
