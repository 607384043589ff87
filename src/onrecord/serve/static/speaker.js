// Speaker page: names, a timeline of quotes per day (SVG drawn here), latest quotes.
"use strict";

(() => {
  const { el, svg, clear, api, quoteItem, setStatus } = OR;
  const DAY = 86400000;

  const parseDay = (s) => {
    const t = Date.parse(String(s).slice(0, 10) + "T00:00:00Z");
    return Number.isFinite(t) ? t : null;
  };
  const fmtDay = (t) => new Date(t).toISOString().slice(0, 10);

  /** Fill the days between the first and last quote with zeros; bucket by week or month when long. */
  function series(perDay) {
    const counts = new Map();
    for (const d of perDay || []) {
      const t = parseDay(d.day);
      if (t !== null) counts.set(t, (counts.get(t) || 0) + Number(d.count || 0));
    }
    if (!counts.size) return { unit: "day", points: [] };
    const days = [...counts.keys()].sort((a, b) => a - b);
    const first = days[0];
    const last = days[days.length - 1];
    const span = (last - first) / DAY + 1;
    const unit = span > 730 ? "month" : span > 120 ? "week" : "day";
    const bucket = (t) => {
      const d = new Date(t);
      if (unit === "month") return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
      if (unit === "week") return t - ((d.getUTCDay() + 6) % 7) * DAY; // Monday
      return t;
    };
    const step = (t) => {
      const d = new Date(t);
      if (unit === "month") return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
      return t + (unit === "week" ? 7 : 1) * DAY;
    };
    const sums = new Map();
    for (const [t, n] of counts) sums.set(bucket(t), (sums.get(bucket(t)) || 0) + n);
    const points = [];
    for (let t = bucket(first); t <= bucket(last); t = step(t)) points.push({ t, n: sums.get(t) || 0 });
    return { unit, points };
  }

  function niceMax(n) {
    if (n <= 5) return Math.max(1, Math.ceil(n));
    const pow = Math.pow(10, Math.floor(Math.log10(n)));
    for (const m of [1, 2, 2.5, 5, 10]) if (m * pow >= n) return m * pow;
    return n;
  }

  function drawChart(perDay) {
    const box = document.getElementById("chart");
    clear(box);
    const { unit, points } = series(perDay);
    const caption = document.getElementById("chart-caption");
    if (!points.length) {
      box.append(el("p", { class: "hint" }, "No dated quotes."));
      return;
    }
    const W = 720;
    const H = 220;
    const pad = { l: 36, r: 12, t: 12, b: 34 };
    const max = niceMax(Math.max(...points.map((p) => p.n)));
    const iw = W - pad.l - pad.r;
    const ih = H - pad.t - pad.b;
    const bw = iw / points.length;
    const total = points.reduce((s, p) => s + p.n, 0);
    const label = "Quotes per " + unit + " from " + fmtDay(points[0].t) + " to " + fmtDay(points[points.length - 1].t) + ": " + total + " in all, at most " + Math.max(...points.map((p) => p.n)) + " in one " + unit + ".";
    const chart = svg("svg", {
      viewBox: "0 0 " + W + " " + H,
      class: "timeline",
      role: "img",
      "aria-label": label,
      preserveAspectRatio: "xMidYMid meet",
    });
    // gridlines and y labels
    const ticks = max <= 5 ? Array.from({ length: max + 1 }, (_, i) => i) : [0, max / 2, max];
    for (const tick of ticks) {
      const y = pad.t + ih - (tick / max) * ih;
      chart.append(svg("line", { x1: pad.l, x2: W - pad.r, y1: y, y2: y, class: "grid" }));
      chart.append(svg("text", { x: pad.l - 6, y: y + 4, class: "axis", "text-anchor": "end" }, String(tick)));
    }
    points.forEach((p, i) => {
      const h = (p.n / max) * ih;
      const x = pad.l + i * bw;
      const bar = svg("rect", {
        x: (x + Math.min(1, bw * 0.1)).toFixed(2),
        y: (pad.t + ih - h).toFixed(2),
        width: Math.max(0.5, bw - Math.min(2, bw * 0.2)).toFixed(2),
        height: h.toFixed(2),
        class: "bar",
        data: { day: fmtDay(p.t), count: p.n },
      });
      bar.append(svg("title", {}, fmtDay(p.t) + ": " + p.n + " quote" + (p.n === 1 ? "" : "s")));
      chart.append(bar);
    });
    // x labels: first, middle, last
    const idx = [...new Set([0, Math.floor((points.length - 1) / 2), points.length - 1])];
    for (const i of idx) {
      const x = pad.l + i * bw + bw / 2;
      chart.append(svg("text", { x, y: H - 10, class: "axis", "text-anchor": idx.length > 1 && i === 0 ? "start" : i === points.length - 1 && idx.length > 1 ? "end" : "middle" }, fmtDay(points[i].t)));
    }
    chart.append(svg("line", { x1: pad.l, x2: W - pad.r, y1: pad.t + ih, y2: pad.t + ih, class: "baseline" }));
    box.append(chart);
    caption.textContent = label;
    document.getElementById("chart-title").textContent = "Quotes per " + unit;
  }

  async function main() {
    const root = document.getElementById("speaker");
    const id = root.dataset.speakerId;
    let sp;
    try {
      sp = await api("/api/speakers/" + encodeURIComponent(id));
    } catch (e) {
      setStatus("");
      document.getElementById("speaker-summary").textContent = "Could not load the speaker: " + e.message;
      OR.markReady("error");
      return;
    }
    document.getElementById("speaker-name").textContent = sp.name;
    const quotes = sp.quotes || [];
    const count = sp.quote_count || quotes.length;
    document.getElementById("speaker-summary").textContent = count + " quote" + (count === 1 ? "" : "s") + " on record" + (sp.type || sp.speaker_type ? " · " + (sp.type || sp.speaker_type) : "");
    const aliases = document.getElementById("aliases");
    clear(aliases);
    const names = (sp.aliases || []).filter((a) => a !== sp.name);
    if (names.length) for (const a of names) aliases.append(el("li", {}, a));
    else aliases.append(el("li", { class: "hint" }, "No other names."));
    drawChart(sp.per_day);
    const list = document.getElementById("quotes");
    clear(list);
    for (const q of quotes) list.append(quoteItem(q, { showSpeaker: false }));
    if (!quotes.length) list.append(el("li", { class: "hint" }, "No quotes."));
    OR.markReady();
  }

  document.addEventListener("DOMContentLoaded", main);
})();
