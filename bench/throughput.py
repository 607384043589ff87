"""Throughput of onrecord on PolNeAR dev (or any JSONL), one process, against spaCy's
floor.

Prints words/second and peak memory for: spaCy's full en_core_web_sm pipeline alone
over the same texts (the cost floor of any spaCy-based extractor), and for each
onrecord pipeline asked for, the in-process pipeline and the whole `onrecord extract`
CLI run (subprocess, model load included) with one and with two processes, with
ratios to spaCy.

Usage: python bench/throughput.py [ARTICLES.jsonl] [--models sm,fast]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

from peers import SPACY_RUNNER  # bench/: the same timing script as peers.py

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT.parent / "shared" / "data" / "polnear" / "dev.jsonl"


def _child(cmd: list[str]) -> tuple[float, float, str]:
    """Seconds, peak RSS (MB, of the largest process: the child or one of its
    workers) and standard output of a command."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    out = proc.stdout.read() if proc.stdout else b""
    _, status, usage = os.wait4(proc.pid, 0)
    secs = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise subprocess.CalledProcessError(proc.returncode, cmd)
    return secs, usage.ru_maxrss / 1024, out.decode()  # Linux reports KB


def _cli(path: str, model: str, workers: int) -> tuple[float, float]:
    """Seconds and peak RSS of a whole `onrecord extract` run."""
    cmd = [sys.executable, "-m", "onrecord", "extract", "--model", model]
    secs, rss, _ = _child([*cmd, "--workers", str(workers), "--format", "jsonl", path])
    return secs, rss


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("path", nargs="?", default=str(DEFAULT))
    ap.add_argument(
        "--models", default="sm", help="onrecord pipelines, comma-separated (sm,fast)"
    )
    args = ap.parse_args()
    rows = [json.loads(x) for x in open(args.path, encoding="utf-8") if x.strip()]
    texts = [r["text"] for r in rows]
    words = sum(len(t.split()) for t in texts)

    models = [m for m in args.models.split(",") if m]
    # the child processes first, while this process is small: a child's peak RSS
    # as Linux reports it includes what it was forked from
    cli: dict[tuple[str, int], tuple[float, float]] = {
        (model, workers): _cli(args.path, model, workers)
        for model in models
        for workers in (1, 2)
    }

    # spaCy alone: its loop over the texts, model loaded (the seconds it prints)
    _, spacy_rss, out = _child([sys.executable, "-c", SPACY_RUNNER, args.path])
    spacy_s = float(out.split()[-1])

    import spacy

    import onrecord

    runs: list[tuple[str, float, float | None]] = [
        ("spaCy en_core_web_sm full pipeline", spacy_s, spacy_rss)
    ]
    for model in models:
        pipe = onrecord.Pipeline(onrecord.Options(model=model))
        list(pipe.process_many([onrecord.Article("w", t) for t in texts[:5]]))
        t0 = time.perf_counter()
        list(pipe.process_many(onrecord.Article(r["id"], r["text"]) for r in rows))
        runs.append((f"onrecord {model}, in process", time.perf_counter() - t0, None))
        for workers in (1, 2):
            name = f"onrecord {model}, CLI, {workers} process{'es' * (workers > 1)}"
            runs.append((name, *cli[model, workers]))

    print(
        f"{len(rows)} articles, {words:,} words; "
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
        f"python {platform.python_version()}, spaCy {spacy.__version__}; "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}"
    )
    print(f"{'system':<40}{'seconds':>9}{'words/s':>10}{'ratio':>8}{'peak MB':>9}")
    for name, secs, rss in runs:
        mem = f"{rss:>9,.0f}" if rss is not None else f"{'—':>9}"
        print(
            f"{name:<40}{secs:>9.1f}{words / secs:>10,.0f}{spacy_s / secs:>7.2f}×{mem}"
        )
    print(
        "ratio: to spaCy alone (its loop only, model loaded); CLI runs include start, "
        "imports and model load, run before the others; peak MB: the largest process"
    )


if __name__ == "__main__":
    main()
