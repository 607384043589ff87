"""Benchmark corpus ingestion and bank search.

    python bench/ingest.py run [--n 10000] [--workers 1,2] [--ray] [--out .bench]
    python bench/ingest.py search [--quotes 200000] [--out .bench]

``run`` resamples ../shared/data/polnear/train.jsonl (840 articles) to N
articles with distinct ids, then, each in a fresh process so numbers don't
mix: bare extraction (``onrecord.extract_articles``) and ``ingest`` into a new
SQLite bank, with each worker count, and optionally ingest on a local Ray.
It reports articles/s, the ingest/extraction ratio and the peak RSS of the
process doing the extraction (the parent for 1 worker, the largest worker or
Ray actor otherwise).

``search`` fills a bank with synthetic quotes and times ``search_quotes`` and
``count_quotes`` for a mix of queries (median and p95 over repetitions).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("ONRECORD_SHARED", ROOT.parent / "shared")) / "data"
TRAIN = DATA / "polnear" / "train.jsonl"


def make_corpus(n: int, path: Path, seed: int = 0) -> Path:
    """N articles resampled (with replacement) from the PolNeAR train split."""
    with open(TRAIN, encoding="utf-8") as fh:
        base = [json.loads(line) for line in fh]
    rnd = random.Random(seed)
    with open(path, "w", encoding="utf-8") as out:
        for i in range(n):
            src = base[i] if i < len(base) else rnd.choice(base)
            row = {
                "id": f"{src['id']}#{i}",
                "text": src["text"],
                "published": src.get("published"),
                "title": src.get("title"),
            }
            out.write(json.dumps(row) + "\n")
    return path


def _peak_rss_mb(children: bool) -> float:
    who = resource.RUSAGE_CHILDREN if children else resource.RUSAGE_SELF
    return resource.getrusage(who).ru_maxrss / 1024  # KiB on Linux


def _ray_actor_peaks_mb() -> dict[str, float]:
    peaks: dict[str, float] = {}
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
            if b"ray::" not in cmd or b"ExtractBatch" not in cmd:
                continue
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peaks[pid] = int(line.split()[1]) / 1024
        except OSError:
            continue
    return peaks


def child(mode: str, corpus: str, workers: int, db: str) -> dict[str, Any]:
    """One measurement, in this (fresh) process."""
    import onrecord
    from onrecord.io import read_inputs
    from onrecord.run import IngestOptions, ingest
    from onrecord.store import open_bank
    from onrecord.types import Article

    # load the model before timing, as a long run amortises it
    onrecord.Pipeline().nlp  # noqa: B018
    start = time.monotonic()
    ru = resource.getrusage(resource.RUSAGE_SELF)
    cpu0 = ru.ru_utime + ru.ru_stime
    n = quotes = 0
    extra: dict[str, Any] = {}
    if mode == "extract":
        articles = (a for a in read_inputs([corpus]) if isinstance(a, Article))
        for res in onrecord.extract_articles(articles, n_process=workers):
            n += 1
            quotes += len(res.quotes)
    else:
        opts = IngestOptions(
            workers=workers, progress=False, engine="ray" if mode == "ray" else "local"
        )
        if mode == "ray":
            import ray

            ray.init(num_cpus=workers + 1, include_dashboard=False, log_to_driver=False)
        peaks: dict[str, float] = {}
        done = threading.Event()

        def sample() -> None:  # Ray actors are not our children: poll /proc
            while not done.wait(0.5):
                for pid, mb in _ray_actor_peaks_mb().items():
                    peaks[pid] = max(mb, peaks.get(pid, 0.0))

        sampler = threading.Thread(target=sample, daemon=True)
        if mode == "ray":
            sampler.start()
        with open_bank(db) as bank:
            report = ingest([corpus], bank, options=opts)
        done.set()
        if mode == "ray":
            sampler.join()
            extra["ray_actor_peak_rss_mb"] = [round(v, 1) for v in peaks.values()]
        n, quotes = report.seen, report.quotes
        extra["stored"] = report.stored
    seconds = time.monotonic() - start
    self_ru = resource.getrusage(resource.RUSAGE_SELF)
    kids_ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    own = self_ru.ru_utime + self_ru.ru_stime - cpu0
    cpu = own + kids_ru.ru_utime + kids_ru.ru_stime
    worker_rss = _peak_rss_mb(children=True) if workers > 1 and mode != "ray" else None
    return {
        "mode": mode,
        "workers": workers,
        "articles": n,
        "quotes": quotes,
        "seconds": round(seconds, 2),
        "articles_per_s": round(n / seconds, 3),
        # CPU seconds of this process and its workers (not Ray actors): a
        # measure that other jobs on the machine disturb far less than time
        "cpu_s_per_article": round(cpu / n, 4) if n and mode != "ray" else None,
        # of which this process (reading, the bank, moving batches to workers)
        "parent_cpu_s_per_article": round(own / n, 4) if n else None,
        "loadavg": [round(x, 2) for x in os.getloadavg()],
        "parent_peak_rss_mb": round(_peak_rss_mb(children=False), 1),
        "worker_peak_rss_mb": round(worker_rss, 1) if worker_rss else None,
        **extra,
    }


def run(args: argparse.Namespace) -> None:
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    corpus = make_corpus(args.n, out / f"corpus-{args.n}.jsonl")
    workers = [int(w) for w in args.workers.split(",")]
    # extraction and ingest alternate, round after round, so that drift in the
    # machine's load hits both alike
    modes = [
        (m, w)
        for _ in range(args.rounds)
        for w in workers
        for m in ("extract", "ingest")
    ]
    if args.ray:
        modes.append(("ray", max(workers)))
    results = []
    for mode, w in modes:
        with tempfile.TemporaryDirectory(dir=out) as tmp:
            cmd = [
                sys.executable, __file__, "_child", mode, str(corpus), str(w),
                str(Path(tmp) / "bench.db"),
            ]  # fmt: skip
            print(f"-- {mode}, {w} worker(s), {args.n} articles", file=sys.stderr)
            proc = subprocess.run(cmd, capture_output=True, text=True)
            if proc.returncode != 0:
                print(proc.stderr[-3000:], file=sys.stderr)
                raise SystemExit(f"{mode} with {w} workers failed")
            res = json.loads(proc.stdout.strip().splitlines()[-1])
            print(json.dumps(res), file=sys.stderr)
            results.append(res)
    print(
        f"\n| run ({args.n} articles, best of {args.rounds}) | articles/s |"
        " ratio (time) | CPU s/article | ratio (CPU) | peak RSS/worker (MB) |"
    )
    print("|---|---|---|---|---|---|")
    best: dict[tuple[str, int], dict[str, Any]] = {}
    for r in results:
        key = (r["mode"], r["workers"])
        if key not in best or r["articles_per_s"] > best[key]["articles_per_s"]:
            best[key] = r
    for (mode, w), r in best.items():
        base = best.get(("extract", w))
        ratio = r["articles_per_s"] / base["articles_per_s"] if base else None
        cpu_ratio = None
        if base and r["cpu_s_per_article"] and mode != "extract":
            cpu_ratio = base["cpu_s_per_article"] / r["cpu_s_per_article"]
        rss = max(
            x["worker_peak_rss_mb"] or x["parent_peak_rss_mb"]
            for x in results
            if (x["mode"], x["workers"]) == (mode, w)
        )
        if mode == "ray" and r.get("ray_actor_peak_rss_mb"):
            rss = max(r["ray_actor_peak_rss_mb"])
        label = {"extract": "bare extraction", "ingest": "ingest -> SQLite",
                 "ray": "ingest on local Ray -> SQLite"}[mode]  # fmt: skip
        print(
            f"| {label}, {w} worker(s) | {r['articles_per_s']:.2f} |"
            f" {f'{ratio:.2f}' if ratio and mode != 'extract' else ''} |"
            f" {r['cpu_s_per_article'] or ''} |"
            f" {f'{cpu_ratio:.2f}' if cpu_ratio else ''} | {rss:.0f} |"
        )
    (out / f"ingest-{args.n}.json").write_text(json.dumps(results, indent=2))


WORDS = (
    "economy jobs border wall tax plan health care election campaign vote voters "
    "police crime trade deal china russia military war peace budget deficit debt "
    "climate energy oil school teachers students immigration court judge law "
    "media press truth lie rigged poll debate crowd rally senate congress house"
).split()
FILLER = "we will the a to of and is that it not for be this they are have".split()


def _quote(rnd: random.Random) -> str:
    words = [
        rnd.choice(WORDS) if rnd.random() < 0.35 else rnd.choice(FILLER)
        for _ in range(rnd.randint(6, 30))
    ]
    return "\u201c" + " ".join(words).capitalize() + ".\u201d"


def search(args: argparse.Namespace) -> None:
    from onrecord.store import open_bank
    from onrecord.types import Article, Quote, Result

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    db = out / f"search-{args.quotes}.db"
    rnd = random.Random(1)
    firsts = ("Ana", "Ben", "Cora", "Dev", "Eli", "Fay")
    lasts = ("Lind", "Moss", "Nye", "Orr", "Pike", "Quay", "Rusk")
    speakers = [f"{a} {b}" for a in firsts for b in lasts]
    per_article = 10
    if not db.exists():
        start = time.monotonic()
        with open_bank(db) as bank:
            for i in range(args.quotes // per_article):
                quotes = []
                pos = 0
                for _ in range(per_article):
                    text = _quote(rnd)
                    quotes.append(
                        Quote(
                            kind="direct",
                            content=text,
                            content_span=(pos, pos + len(text)),
                            speaker=rnd.choice(speakers),
                            said_on=f"20{rnd.randint(15, 24)}-{rnd.randint(1, 12):02d}"
                            f"-{rnd.randint(1, 28):02d}",
                        )
                    )
                    pos += len(text) + 1
                body = " ".join(q.content for q in quotes)
                bank.add_result(Result(Article(f"syn-{i}", body), tuple(quotes)))
        print(f"filled {db} in {time.monotonic() - start:.0f}s", file=sys.stderr)
    queries: list[dict[str, Any]] = [
        {"q": "economy"},
        {"q": "border wall"},
        {"q": '"health care"'},
        {"q": "rigged election crowd"},
        {"q": "tax", "speaker": "Cora Nye"},
        {"q": "police", "since": "2020-01-01", "until": "2020-12-31"},
        {"speaker": "Moss"},
        {"since": "2023-06"},
    ]
    results = []
    with open_bank(db) as bank:
        total = bank.stats()["quotes"]
        for query in queries:
            times, ctimes = [], []
            for _ in range(args.repeat):
                t = time.perf_counter()
                rows = bank.search_quotes(**query, limit=50)
                times.append((time.perf_counter() - t) * 1000)
                t = time.perf_counter()
                n = bank.count_quotes(**query)
                ctimes.append((time.perf_counter() - t) * 1000)
            results.append(
                {
                    "query": query,
                    "matches": n,
                    "returned": len(rows),
                    "search_ms_median": round(statistics.median(times), 2),
                    "search_ms_p95": round(
                        sorted(times)[int(0.95 * len(times)) - 1], 2
                    ),
                    "count_ms_median": round(statistics.median(ctimes), 2),
                }
            )
    print(f"\n| query ({total} quotes, SQLite) | matches | search median ms |"
          " p95 ms | count median ms |")  # fmt: skip
    print("|---|---|---|---|---|")
    for r in results:
        q = ", ".join(f"{k}={v}" for k, v in r["query"].items())
        print(
            f"| {q} | {r['matches']} | {r['search_ms_median']} |"
            f" {r['search_ms_p95']} | {r['count_ms_median']} |"
        )
    (out / f"search-{args.quotes}.json").write_text(json.dumps(results, indent=2))


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "_child":
        mode, corpus, workers, db = sys.argv[2:6]
        print(json.dumps(child(mode, corpus, int(workers), db)))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    p_run = sub.add_parser("run", help="ingestion throughput")
    p_run.add_argument("--n", type=int, default=10_000, help="articles")
    p_run.add_argument("--workers", default="1,2", help="worker counts, e.g. 1,2")
    p_run.add_argument("--ray", action="store_true", help="also on a local Ray")
    p_run.add_argument("--rounds", type=int, default=1, help="alternating rounds")
    p_run.add_argument("--out", default=str(ROOT / ".bench"))
    p_search = sub.add_parser("search", help="search latency")
    p_search.add_argument("--quotes", type=int, default=200_000)
    p_search.add_argument("--repeat", type=int, default=20)
    p_search.add_argument("--out", default=str(ROOT / ".bench"))
    args = parser.parse_args()
    {"run": run, "search": search}[args.cmd](args)


if __name__ == "__main__":
    main()
