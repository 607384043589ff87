// onrecord web page: shared helpers.
//
// Article text, quotes and names are untrusted input. Every string from the API
// reaches the page through textContent / createTextNode (see el()), never as
// markup, and links only get http(s) or same-site hrefs (safeHref()).
"use strict";

const OR = (() => {
  const SVG_NS = "http://www.w3.org/2000/svg";

  /**
   * Build an element. attrs: {class, text, href, title, data: {k: v}, on: {event: fn},
   * anything else via setAttribute}. children: nodes or strings (as text nodes).
   */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    applyAttrs(node, attrs || {});
    append(node, children);
    return node;
  }

  function svg(tag, attrs, ...children) {
    const node = document.createElementNS(SVG_NS, tag);
    applyAttrs(node, attrs || {});
    append(node, children);
    return node;
  }

  function applyAttrs(node, attrs) {
    for (const [key, value] of Object.entries(attrs)) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "class") node.setAttribute("class", value);
      else if (key === "text") node.textContent = String(value);
      else if (key === "href") node.setAttribute("href", safeHref(value));
      else if (key === "data") {
        for (const [k, v] of Object.entries(value)) node.dataset[k] = String(v);
      } else if (key === "on") {
        for (const [ev, fn] of Object.entries(value)) node.addEventListener(ev, fn);
      } else if (key.startsWith("on")) {
        throw new Error("use attrs.on for event handlers");
      } else node.setAttribute(key, value === true ? "" : String(value));
    }
  }

  function append(node, children) {
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
    }
  }

  /** Only http(s) URLs and paths on this site; anything else becomes "#". */
  function safeHref(value) {
    const s = String(value);
    if (s.startsWith("/") && !s.startsWith("//")) return s;
    if (s.startsWith("#") || s.startsWith("?")) return s;
    try {
      const u = new URL(s);
      if (u.protocol === "http:" || u.protocol === "https:") return u.href;
    } catch (_e) {
      /* not a URL */
    }
    return "#";
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  class ApiError extends Error {
    constructor(status, code, message) {
      super(message);
      this.status = status;
      this.code = code;
    }
  }

  /** GET (or POST with body) a JSON API path; throws ApiError with the error shape's message. */
  async function api(path, params, body) {
    const url = new URL(path, window.location.origin);
    for (const [k, v] of Object.entries(params || {})) {
      if (v !== null && v !== undefined && v !== "") url.searchParams.set(k, v);
    }
    const init = { headers: { accept: "application/json" } };
    if (body !== undefined) {
      init.method = "POST";
      init.headers["content-type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    const resp = await fetch(url, init);
    let data = null;
    try {
      data = await resp.json();
    } catch (_e) {
      data = null;
    }
    if (!resp.ok) {
      const err = (data && data.error) || {};
      throw new ApiError(resp.status, err.code || "HTTP" + resp.status, err.message || resp.statusText);
    }
    return data;
  }

  const articleHref = (id) => "/article/" + encodeURIComponent(id);
  const speakerHref = (id) => "/speaker/" + encodeURIComponent(id);

  /** Distinct colours for the speakers of one page, in order of first appearance. */
  class Palette {
    constructor() {
      this.index = new Map();
    }
    key(quote) {
      if (quote.speaker_id !== null && quote.speaker_id !== undefined) return "id:" + quote.speaker_id;
      if (quote.speaker) return "name:" + quote.speaker;
      return null;
    }
    color(quote) {
      const key = this.key(quote);
      if (key === null) return "hsl(0 0% 55%)";
      if (!this.index.has(key)) this.index.set(key, this.index.size);
      const hue = Math.round((this.index.get(key) * 137.508 + 210) % 360);
      return "hsl(" + hue + " 70% 42%)";
    }
  }

  const FLAG_LABELS = {
    misattribution: "possibly misattributed",
    conflicting_attribution: "conflicting attribution",
    altered_wording: "altered wording",
    truncated: "truncated",
    spliced: "spliced",
  };
  const flagLabel = (kind) => FLAG_LABELS[kind] || String(kind).replace(/_/g, " ");

  function flagBadges(flags) {
    return (flags || []).map((f) =>
      el("span", { class: "badge flag-" + String(f.kind).replace(/[^a-z_]/g, ""), title: f.evidence || "" }, "⚠ " + flagLabel(f.kind))
    );
  }

  function quoteDate(q) {
    return q.said_on || q.published || "";
  }

  /** One search result / latest quote: the words, who, when, and a link to the article. */
  function quoteItem(q, { showSpeaker = true } = {}) {
    const meta = el("p", { class: "meta" });
    if (showSpeaker) {
      if (q.speaker_id !== null && q.speaker_id !== undefined && q.speaker) {
        meta.append(el("a", { class: "speaker-link", href: speakerHref(q.speaker_id) }, q.speaker));
      } else {
        meta.append(el("span", { class: "speaker-name" }, q.speaker || "unknown speaker"));
      }
    }
    if (q.cue) meta.append(" ", el("span", { class: "cue-word" }, q.cue));
    const date = quoteDate(q);
    if (date) meta.append(" · ", el("time", { datetime: date }, date));
    meta.append(" · ", el("span", { class: "kind" }, q.kind));
    if (q.article_id !== null && q.article_id !== undefined) {
      const target = articleHref(q.article_id) + (q.quote_id !== undefined && q.quote_id !== null ? "#q" + q.quote_id : "");
      meta.append(" · ", el("a", { class: "article-link", href: target }, "in the article"));
    }
    const text = el("blockquote", { class: "quote-text quote-" + q.kind }, q.content);
    return el("li", { class: "result" + ((q.flags || []).length ? " has-flags" : "") }, text, meta, el("p", { class: "badges" }, flagBadges(q.flags)));
  }

  /** Word-level diff of two strings: [{op: "same"|"del"|"ins", text, old}]. */
  function wordDiff(a, b) {
    const A = String(a || "").split(/\s+/).filter(Boolean);
    const B = String(b || "").split(/\s+/).filter(Boolean);
    const norm = (w) => w.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, "");
    const n = A.length;
    const m = B.length;
    // LCS table; quotes are short, so O(n*m) is fine (capped for safety).
    if (n * m > 4e6) return [{ op: "del", text: A.join(" "), old: A.join(" ") }, { op: "ins", text: B.join(" "), old: "" }];
    const L = Array.from({ length: n + 1 }, () => new Uint16Array(m + 1));
    for (let i = n - 1; i >= 0; i--)
      for (let j = m - 1; j >= 0; j--)
        L[i][j] = norm(A[i]) === norm(B[j]) ? L[i + 1][j + 1] + 1 : Math.max(L[i + 1][j], L[i][j + 1]);
    const ops = [];
    // "same" ops keep both spellings: the words match once normalised, but each
    // side shows its own punctuation
    const push = (op, text, oldText) => {
      const last = ops[ops.length - 1];
      const old = oldText === undefined ? text : oldText;
      if (last && last.op === op) {
        last.text += " " + text;
        last.old += " " + old;
      } else ops.push({ op, text, old });
    };
    let i = 0;
    let j = 0;
    while (i < n && j < m) {
      if (norm(A[i]) === norm(B[j])) {
        push("same", B[j], A[i]);
        i++;
        j++;
      } else if (L[i + 1][j] >= L[i][j + 1]) push("del", A[i++]);
      else push("ins", B[j++]);
    }
    while (i < n) push("del", A[i++]);
    while (j < m) push("ins", B[j++]);
    return ops;
  }

  function diffNode(ops, side) {
    // side "old": same + del; side "new": same + ins
    const node = el("p", { class: "diff diff-" + side });
    for (const op of ops) {
      if (op.op === "same") node.append(el("span", { class: "same" }, side === "old" ? op.old : op.text), " ");
      else if (op.op === "del" && side === "old") node.append(el("del", {}, op.text), " ");
      else if (op.op === "ins" && side === "new") node.append(el("ins", {}, op.text), " ");
    }
    return node;
  }

  function setStatus(text, isError) {
    const node = document.getElementById("status");
    if (!node) return;
    node.textContent = text;
    node.classList.toggle("error", Boolean(isError));
  }

  /** Tell tests and screenshots the page is drawn (data-ready="true" or "error"). */
  function markReady(state) {
    document.body.dataset.ready = state || "true";
  }

  return {
    markReady, el, svg, clear, api, ApiError, safeHref, articleHref, speakerHref, Palette,
    flagLabel, flagBadges, quoteItem, quoteDate, wordDiff, diffNode, setStatus,
  };
})();
