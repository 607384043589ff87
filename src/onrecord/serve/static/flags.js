// Flags page: conflicting attributions and altered wording, the two versions side by side.
"use strict";

(() => {
  const { el, clear, api, flagLabel, articleHref, speakerHref, wordDiff, diffNode, setStatus } = OR;
  const LIMIT = 25;

  function speakerNode(q) {
    if (!q) return el("span", {}, "unknown");
    if (q.speaker_id !== null && q.speaker_id !== undefined && q.speaker)
      return el("a", { href: speakerHref(q.speaker_id), class: "speaker-link" }, q.speaker);
    if (q.speaker) return el("a", { href: "/?speaker=" + encodeURIComponent(q.speaker), class: "speaker-link" }, q.speaker);
    return el("span", { class: "speaker-name" }, "unknown speaker");
  }

  function articleLink(q) {
    if (!q || q.article_id === null || q.article_id === undefined) return null;
    const anchor = q.quote_id !== null && q.quote_id !== undefined ? "#q" + q.quote_id : "";
    return el("a", { href: articleHref(q.article_id) + anchor, class: "article-link" }, q.title || q.article_title || String(q.article_id));
  }

  function side(title, q, contentNode, who) {
    const date = q ? q.said_on || q.published : null;
    return el(
      "div",
      { class: "side-version" },
      el("h3", {}, title),
      contentNode,
      el("p", { class: "meta" }, who || speakerNode(q), date ? " · " + date : "", q && q.cue ? " · " + q.cue : ""),
      el("p", { class: "meta" }, articleLink(q))
    );
  }

  /** The other version: the store's `other` record, completed from the flag itself. */
  function otherVersion(entry, flag) {
    const o = entry.other && typeof entry.other === "object" ? entry.other : {};
    const kind = String(flag.kind);
    const attribution = kind === "misattribution" || kind === "conflicting_attribution";
    const content = o.content || flag.original || (attribution ? entry.content : null);
    if (!content && !flag.likely_speaker && !o.article_id && !flag.other_article) return null;
    let articleId = o.article_id || flag.other_article || null;
    if (!articleId && kind === "misattribution") articleId = entry.article_id;
    return {
      content: content || entry.content,
      speaker: attribution ? flag.likely_speaker || o.speaker || null : o.speaker || entry.speaker,
      speaker_id: attribution ? o.speaker_id : o.speaker_id || entry.speaker_id,
      article_id: articleId,
      article_title: o.article_title || o.title || (articleId === entry.article_id ? entry.article_title : null),
      published: o.published || null,
      said_on: o.said_on || null,
    };
  }

  function card(entry) {
    const flag = entry.flag || (entry.flags || [])[0] || { kind: "unknown" };
    const kind = String(flag.kind);
    const other = otherVersion(entry, flag);
    const head = el("header", {}, el("h2", { class: "flag-title flag-" + kind.replace(/[^a-z_]/g, "") }, "⚠ " + flagLabel(kind)));
    if (typeof flag.score === "number") head.append(el("span", { class: "score" }, "score " + flag.score.toFixed(2)));
    const body = el("div", { class: "versions" });
    const wording = kind === "altered_wording" || kind === "truncated" || kind === "spliced";
    if (wording && other) {
      const ops = wordDiff(other.content, entry.content);
      body.append(side("Earlier wording", other, diffNode(ops, "old")), side("This wording", entry, diffNode(ops, "new")));
    } else if (other) {
      const differs = (other.speaker || "") !== (entry.speaker || "");
      const mark = (q) => el("strong", { class: differs ? "speaker-diff" : "" }, speakerNode(q));
      // the two tellings may also differ in wording: then show the word diff too
      const sameWords = String(other.content || "").trim() === String(entry.content || "").trim();
      const ops = sameWords ? null : wordDiff(other.content, entry.content);
      const here = ops ? diffNode(ops, "new") : el("blockquote", {}, entry.content);
      const there = ops ? diffNode(ops, "old") : el("blockquote", {}, other.content);
      body.append(
        side("Attributed here to", entry, here, mark(entry)),
        side(kind === "misattribution" ? "Likely speaker" : "Attributed elsewhere to", other, there, mark(other))
      );
    } else {
      body.append(side("Quote", entry, el("blockquote", {}, entry.content)));
    }
    const evidence = flag.evidence ? el("p", { class: "evidence" }, flag.evidence) : null;
    const diffText = wording && flag.diff ? el("p", { class: "raw-diff" }, el("code", {}, flag.diff)) : null;
    return el("article", { class: "flag-card flag-card-" + kind.replace(/[^a-z_]/g, "") }, head, body, evidence, diffText);
  }

  async function main() {
    const url = new URLSearchParams(window.location.search);
    const kind = url.get("kind") || "";
    const offset = Math.max(0, parseInt(url.get("offset") || "0", 10) || 0);
    document.getElementById("kind").value = kind;
    setStatus("Loading…");
    let data;
    try {
      data = await api("/api/flags", { kind, limit: LIMIT, offset });
    } catch (e) {
      setStatus("Could not load flags: " + e.message, true);
      OR.markReady("error");
      return;
    }
    const box = document.getElementById("flags");
    clear(box);
    for (const entry of data.results) box.append(card(entry));
    setStatus(data.results.length ? "" : "No flags" + (kind ? " of this kind" : "") + ".");
    const href = (o) => "/flags?" + new URLSearchParams({ ...(kind ? { kind } : {}), ...(o ? { offset: String(o) } : {}) }).toString();
    const prev = document.getElementById("prev");
    const next = document.getElementById("next");
    prev.hidden = offset === 0;
    prev.setAttribute("href", href(Math.max(0, offset - LIMIT)));
    next.hidden = !data.next;
    next.setAttribute("href", href(offset + LIMIT));
    document.getElementById("pager").hidden = prev.hidden && next.hidden;
    OR.markReady();
  }

  document.addEventListener("DOMContentLoaded", main);
})();
