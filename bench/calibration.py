"""Reliability of onrecord's confidences, and the calibration map `make train` fits.

A prediction is correct when it is an end-to-end true positive (content matches a
gold quote with token Dice >= 0.5 and the speaker mention is right). Confidences are
binned in tenths; each bin's accuracy against its mean confidence is the reliability
diagram. With `--fit TRAIN.jsonl` the per-bin accuracies on that file (monotone,
pooled adjacent violators) are written to src/onrecord/data/calibration.json, which
the pipeline applies to raw confidences. Fit on train, report on dev.

Usage:
  python bench/calibration.py [DEV.jsonl] [--fit TRAIN.jsonl]
                              [--svg docs/reliability.svg]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "polnear"
OUT = ROOT / "src" / "onrecord" / "data" / "calibration.json"
BINS = 10


def scored(path: Path, *, raw: bool) -> list[tuple[float, bool]]:
    import onrecord
    from onrecord._pipeline import Options, Pipeline
    from onrecord.evaluate import evaluate

    gold = [json.loads(x) for x in path.open(encoding="utf-8") if x.strip()]
    pipe = Pipeline(Options(calibrate=not raw))
    preds = {
        r.article.id: r.to_dict()
        for r in pipe.process_many(onrecord.Article(g["id"], g["text"]) for g in gold)
    }
    sc = evaluate(gold, preds)
    ok = {(p.article, p.pred_i) for p in sc.pairs if p.speaker_ok}
    out = []
    for g in gold:
        for j, q in enumerate(preds[g["id"]]["quotes"]):
            out.append((float(q["confidence"]), (g["id"], j) in ok))
    return out


def bins(pairs: list[tuple[float, bool]]) -> list[tuple[int, float, float]]:
    rows = []
    for b in range(BINS):
        lo, hi = b / BINS, (b + 1) / BINS
        inside = [
            (c, y) for c, y in pairs if lo <= c < hi or b == BINS - 1 and c == 1.0
        ]
        if inside:
            mean_c = sum(c for c, _ in inside) / len(inside)
            acc = sum(y for _, y in inside) / len(inside)
            rows.append((len(inside), mean_c, acc))
        else:
            rows.append((0, (lo + hi) / 2, float("nan")))
    return rows


def ece(rows: list[tuple[int, float, float]]) -> float:
    n = sum(r[0] for r in rows)
    return sum(r[0] * abs(r[1] - r[2]) for r in rows if r[0]) / n if n else 0.0


def pava(rows: list[tuple[int, float, float]]) -> list[float]:
    """Monotone (non-decreasing) accuracies per bin, pooled adjacent violators."""
    blocks = [[r[0], r[2] if r[0] else 0.0, [i]] for i, r in enumerate(rows) if r[0]]
    merged: list[list] = []
    for blk in blocks:
        merged.append(blk)
        while len(merged) > 1 and merged[-2][1] > merged[-1][1]:
            b = merged.pop()
            a = merged.pop()
            n = a[0] + b[0]
            merged.append([n, (a[0] * a[1] + b[0] * b[1]) / n, a[2] + b[2]])
    value = [float("nan")] * len(rows)
    for _n, acc, idx in merged:
        for i in idx:
            value[i] = round(acc, 4)
    # bins without data take their neighbour's value (the first filled one at the start)
    filled = [v for v in value if v == v]
    last = filled[0] if filled else 0.0
    for i in range(len(value)):
        if value[i] != value[i]:
            value[i] = last
        last = value[i]
    return value


def svg(rows_raw: list, rows_cal: list, path: Path) -> None:
    w, h, pad = 360, 360, 40

    def xy(c: float, a: float) -> tuple[float, float]:
        return pad + c * (w - 2 * pad), h - pad - a * (h - 2 * pad)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" '
        'font-family="sans-serif" font-size="11">',
        f'<rect width="{w}" height="{h}" fill="white"/>',
        f'<line x1="{pad}" y1="{h - pad}" x2="{w - pad}" y2="{pad}" '
        'stroke="#999" stroke-dasharray="4"/>',
        f'<line x1="{pad}" y1="{h - pad}" x2="{w - pad}" y2="{h - pad}" '
        'stroke="black"/>',
        f'<line x1="{pad}" y1="{h - pad}" x2="{pad}" y2="{pad}" stroke="black"/>',
        f'<text x="{w / 2 - 40}" y="{h - 8}">confidence</text>',
        f'<text x="4" y="{pad - 10}">accuracy (end-to-end correct)</text>',
    ]
    for rows, colour in ((rows_raw, "#c0392b"), (rows_cal, "#1f6fb2")):
        pts = [xy(c, a) for n, c, a in rows if n]
        parts.append(
            f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="'
            + " ".join(f"{x:.1f},{y:.1f}" for x, y in pts)
            + '"/>'
        )
        for x, y in pts:
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}"/>')
    parts.append(f'<text x="{pad + 8}" y="{pad + 12}" fill="#c0392b">raw</text>')
    parts.append(
        f'<text x="{pad + 8}" y="{pad + 26}" fill="#1f6fb2">'
        "calibrated (fit on train)</text>"
    )
    parts.append("</svg>")
    path.write_text("\n".join(parts) + "\n", encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dev", nargs="?", default=str(DATA / "dev.jsonl"))
    ap.add_argument("--fit", help="fit the calibration map on this JSONL (train)")
    ap.add_argument("--svg", help="write the reliability diagram here")
    args = ap.parse_args()
    if args.fit:
        rows = bins(scored(Path(args.fit), raw=True))
        table = pava(rows)
        OUT.write_text(
            json.dumps(
                {
                    "_doc": "End-to-end accuracy per raw-confidence tenth on "
                    "PolNeAR train (monotone); written by bench/calibration.py --fit.",
                    "bins": table,
                },
                indent=1,
            )
            + "\n",
            encoding="utf-8",
        )
        print(f"fit on {args.fit}: {table} -> {OUT.relative_to(ROOT)}")
    raw = bins(scored(Path(args.dev), raw=True))
    cal = bins(scored(Path(args.dev), raw=False))
    print(
        f"{'bin':<10}{'n raw':>7}{'conf':>7}{'acc':>7}   "
        f"{'n cal':>7}{'conf':>7}{'acc':>7}"
    )
    for b in range(BINS):
        r, c = raw[b], cal[b]
        print(
            f"{b / BINS:.1f}-{(b + 1) / BINS:.1f}  {r[0]:>7}{r[1]:>7.2f}{r[2]:>7.2f}   "
            f"{c[0]:>7}{c[1]:>7.2f}{c[2]:>7.2f}"
        )
    print(f"expected calibration error: raw {ece(raw):.3f}, calibrated {ece(cal):.3f}")
    if args.svg:
        svg(raw, cal, Path(args.svg))


if __name__ == "__main__":
    main()
