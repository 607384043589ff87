"""Load test of ``onrecord serve``: N concurrent clients for D seconds on loopback.

Builds (once, cached in ``.bench/``) a synthetic quote bank of fictional quotes
through the store's own API (``open_bank(...).add_result``), starts
``onrecord serve`` on it in a subprocess on a free loopback port, then runs a
closed loop of concurrent keep-alive HTTP/1.1 clients written on asyncio
streams (light enough that the client does not starve the server of CPU).
Each client sends one request, waits for the whole answer, and sends the next:
the load is bounded by the number of clients, never by an open-ended rate.

Usage::

    python bench/load.py                       # 200 clients, 30 s, 200k quotes
    python bench/load.py --clients 50 --duration 10 --quotes 20000
    python bench/load.py --mix all             # also speakers, articles, flags
    python bench/load.py --url http://127.0.0.1:8000   # an already running server

Prints requests/s, latency percentiles and errors, and writes them as JSON
(``--json``, default ``.bench/load-<quotes>.json``).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import itertools
import json
import os
import random
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BENCH_DIR = ROOT / ".bench"

# -- a fictional world ----------------------------------------------------------

FIRST = (
    "Ada Bram Cato Dara Edda Finn Gala Hugo Ines Jory Kira Lars Mira Nils Oona Pia "
    "Quin Rhea Soren Tova Ulla Vero Wim Xena Yara Zeno Alma Bodil Corin Dagny Elio "
    "Frey Greta Hale Ivo Jana Kell Liv Mats Nora"
).split()
LAST = (
    "Marrow Okafor Szabo Lindqvist Anand Frey Oyelaran Quist Halloran Brenn Calder "
    "Dunmore Eskel Farrow Garvey Hollis Ingram Jessup Kestrel Lowell Mercer Nyberg "
    "Orrin Pell Quarry Rowan Sallow Thorne Umber Vance Wren Yarrow Zell Ashby Birch"
).split()
TITLES = ("Mayor", "Councillor", "Dr.", "", "", "", "Minister", "Chief")
ORGS = (
    "the Harbour Workers' Union",
    "the Transit Authority",
    "the Port Council",
    "the Riverside Tenants' Association",
    "the Halden Chamber of Trade",
    "the Northshore Health Trust",
    "the Ferry Operators' Guild",
)
CUES = ("said", "told reporters", "added", "warned", "claimed", "insisted", "wrote")
WORDS = (
    "bridge harbour ferry budget council plan road school water tax people town "
    "night strike union repair cost money vote week month year family worker nurse "
    "teacher parent child market price rent house street river port light tower "
    "station train bus ticket fare route service shift office report review rule "
    "law court judge case police safety fire storm flood wind rain summer winter "
    "spring autumn morning evening promise deal talk meeting agreement contract "
    "grant loan debt fund project site work job wage pension health hospital clinic "
    "doctor patient bed queue delay crowd protest petition letter statement answer "
    "question problem solution future past history record truth mistake chance risk "
    "hope fear pride trust support plan choice decision change growth jobs homes "
    "schools roads bridges ferries boats quays docks cranes ships cargo fish market "
    "festival library museum park garden field farm bakery shop cafe hotel visitor"
).split()
VERBS = (
    "will build",
    "cannot afford",
    "must protect",
    "should close",
    "will reopen",
    "has delayed",
    "never promised",
    "will not accept",
    "needs",
    "deserves",
    "is ready to fund",
    "has failed",
    "will fight for",
    "must not lose",
    "wants",
)
OPENERS = ("We", "The council", "This town", "Nobody", "Our members", "I", "They")


def speaker_names(rnd: random.Random, n: int) -> list[tuple[str, str]]:
    """(name, type) for n fictional speakers."""
    names: set[str] = set()
    out: list[tuple[str, str]] = [
        (o.removeprefix("the ").strip(), "organisation") for o in ORGS
    ]
    while len(out) < n:
        name = f"{rnd.choice(FIRST)} {rnd.choice(LAST)}"
        if name not in names:
            names.add(name)
            out.append((name, "person"))
    return out


def sentence(rnd: random.Random) -> str:
    words = " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(2, 6)))
    return f"{rnd.choice(OPENERS)} {rnd.choice(VERBS)} the {words}"


def synthetic_results(
    n_quotes: int, *, seed: int = 7, per_article: int = 10
) -> Iterator[Any]:
    """Fictional articles with ``per_article`` quotes each, as Results."""
    from onrecord.types import Article, Flag, Quote, Result

    rnd = random.Random(seed)
    speakers = speaker_names(rnd, 400)
    start = dt.date(2023, 1, 1)
    n_articles = (n_quotes + per_article - 1) // per_article
    for a in range(n_articles):
        day = start + dt.timedelta(days=rnd.randrange(3 * 365))
        text = f"Port Halden report {a}.\n\n"
        quotes = []
        cast = rnd.sample(speakers, 4)
        for i in range(min(per_article, n_quotes - a * per_article)):
            name, stype = cast[i % len(cast)]
            title = rnd.choice(TITLES) if stype == "person" else ""
            mention = f"{title} {name}".strip()
            content = sentence(rnd)
            cue = rnd.choice(CUES)
            direct = rnd.random() < 0.6
            if direct:
                lead = "\u201c"
                text += lead
                c0 = len(text)
                text += content
                c1 = len(text)
                text += ",\u201d "
                s0 = len(text)
                text += mention
                s1 = len(text)
                text += " "
                k0 = len(text)
                text += cue
                k1 = len(text)
                text += ".\n\n"
            else:
                s0 = len(text)
                text += mention
                s1 = len(text)
                text += " "
                k0 = len(text)
                text += cue
                k1 = len(text)
                text += " that "
                c0 = len(text)
                text += content.lower()
                c1 = len(text)
                text += ".\n\n"
            flags: tuple[Flag, ...] = ()
            if rnd.random() < 0.01:
                flags = (
                    Flag(
                        kind=rnd.choice(("altered_wording", "conflicting_attribution")),
                        evidence="synthetic flag for the load test",
                        original=sentence(rnd),
                        likely_speaker=rnd.choice(speakers)[0],
                        score=0.7,
                    ),
                )
            quotes.append(
                Quote(
                    kind="direct" if direct else "indirect",
                    content=text[c0:c1],
                    content_span=(c0, c1),
                    content_fragments=((c0, c1),),
                    cue=cue,
                    cue_span=(k0, k1),
                    speaker=name,
                    speaker_span=(s0, s1),
                    speaker_mention=mention,
                    speaker_type=stype,
                    said_on=day.isoformat(),
                    confidence=round(rnd.uniform(0.4, 0.99), 3),
                    flags=flags,
                    rule="bench:synthetic",
                )
            )
        yield Result(
            article=Article(
                id=f"bench-{a:07d}",
                text=text,
                published=day.isoformat(),
                title=f"Synthetic report {a}",
            ),
            quotes=tuple(quotes),
        )


def build_bank(path: Path, n_quotes: int) -> float:
    """Fill the bank at ``path`` up to ``n_quotes`` quotes; returns seconds spent."""
    from onrecord.store import open_bank

    path.parent.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    with open_bank(str(path)) as bank:
        have = bank.stats()["quotes"]
        if have >= n_quotes:
            return 0.0
        print(
            f"building {path} with {n_quotes:,} fictional quotes ...", file=sys.stderr
        )
        done = 0
        for result in synthetic_results(n_quotes):
            bank.add_result(result)
            done += len(result.quotes)
            if done % 20_000 == 0:
                print(f"  {done:,} quotes", file=sys.stderr)
        # planner statistics, as the store advises after a large ingest
        analyze = getattr(bank, "analyze", None)
        if analyze is not None:
            analyze()
    return time.perf_counter() - t0


# -- requests ------------------------------------------------------------------


def bank_facts(db: Path) -> tuple[list[tuple[str, str]], list[str]]:
    """(id, name) of the bank's speakers and a sample of its article ids."""
    from onrecord.store import open_bank

    with open_bank(str(db)) as bank:
        speakers = [(s["id"], s["name"]) for s in bank.list_speakers(limit=1000)]
        articles = [q["article_id"] for q in bank.search_quotes(limit=1000)]
    return speakers, sorted(set(articles))


QUOTE_KINDS = (
    # kind, share of /api/quotes requests, distinct requests in the Zipf pool
    ("quotes?q=word", 0.40, 200),
    ("quotes?q=2 words", 0.20, 5000),
    ("quotes?speaker", 0.15, 400),
    ("quotes?since&until", 0.10, 3000),
    ("quotes (latest, paged)", 0.10, 50),
    ("quotes?flag", 0.05, 1),
)
OTHER_KINDS = (
    # with --mix all, a quarter of the requests go to the other routes
    ("speakers", 0.30, 1),
    ("speaker", 0.30, 400),
    ("article", 0.25, 5000),
    ("flags", 0.15, 1),
)


def draw_kind(
    rnd: random.Random, kind: str, speakers: list[tuple[str, str]], articles: list[str]
) -> str:
    """One request path of the given kind."""
    quote = urllib.parse.quote
    if kind == "speakers":
        return "/api/speakers?limit=50"
    if kind == "speaker":
        return "/api/speakers/" + quote(rnd.choice(speakers)[0], safe="")
    if kind == "article":
        return "/api/articles/" + quote(rnd.choice(articles))
    if kind == "flags":
        return "/api/flags?limit=25"
    params: dict[str, str] = {"limit": "20"}
    if kind == "quotes?q=word":
        params["q"] = rnd.choice(WORDS)
    elif kind == "quotes?q=2 words":
        params["q"] = f"{rnd.choice(WORDS)} {rnd.choice(WORDS)}"
    elif kind == "quotes?speaker":
        params["speaker"] = rnd.choice(speakers)[1]
    elif kind == "quotes?since&until":
        d0 = dt.date(2023, 1, 1) + dt.timedelta(days=rnd.randrange(1000))
        params["since"] = d0.isoformat()
        params["until"] = (d0 + dt.timedelta(days=rnd.randrange(1, 60))).isoformat()
    elif kind == "quotes (latest, paged)":
        params["offset"] = str(20 * rnd.randrange(50))
    else:
        params["flag"] = "any"
    return "/api/quotes?" + urllib.parse.urlencode(params)


def _kinds(mix: str) -> list[tuple[str, float, int]]:
    if mix == "quotes":
        return list(QUOTE_KINDS)
    return [(k, 0.75 * w, n) for k, w, n in QUOTE_KINDS] + [
        (k, 0.25 * w, n) for k, w, n in OTHER_KINDS
    ]


def request_sequence(
    mix: str,
    popularity: str,
    speakers: list[tuple[str, str]],
    articles: list[str],
    *,
    length: int = 400_000,
    seed: int = 11,
) -> list[tuple[str, str]]:
    """The requests all clients take turns to send, drawn once (same every run).

    Each request's kind is drawn by its share in ``QUOTE_KINDS``. Then
    ``zipf``: within a kind, a pool of distinct requests (``QUOTE_KINDS``'s
    third column), the k-th most popular asked with weight 1/k (Zipf, s = 1),
    as searches repeat in real query logs. ``uniform``: every request drawn
    afresh; most are new, so the server's cache rarely helps (the worst case).
    """
    rnd = random.Random(seed)
    kinds = _kinds(mix)
    names = [k for k, _, _ in kinds]
    picks = rnd.choices(names, weights=[w for _, w, _ in kinds], k=length)
    if popularity == "uniform":
        return [(k, draw_kind(rnd, k, speakers, articles)) for k in picks]
    pools: dict[str, tuple[list[str], list[float]]] = {}
    for kind, _, distinct in kinds:
        pool: dict[str, None] = {}
        for _ in range(distinct * 20):  # small kinds cannot reach `distinct`
            pool[draw_kind(rnd, kind, speakers, articles)] = None
            if len(pool) >= distinct:
                break
        ranked = list(pool)
        rnd.shuffle(ranked)
        cum: list[float] = []
        total = 0.0
        for k in range(1, len(ranked) + 1):
            total += 1.0 / k
            cum.append(total)
        pools[kind] = (ranked, cum)
    out = []
    for kind in picks:
        ranked, cum = pools[kind]
        out.append((kind, rnd.choices(ranked, cum_weights=cum)[0]))
    return out


# -- the client ------------------------------------------------------------------


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    by_cache: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    bytes: int = 0


async def _one_client(
    host: str,
    port: int,
    requests: Iterator[tuple[str, str]],
    start_at: float,
    stop_at: float,
    tally: Tally,
) -> None:
    reader: asyncio.StreamReader | None = None
    writer: asyncio.StreamWriter | None = None
    while time.perf_counter() < stop_at:
        kind, path = next(requests)
        t0 = time.perf_counter()
        try:
            if writer is None:
                reader, writer = await asyncio.open_connection(host, port)
            assert reader is not None
            writer.write(
                f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\n"
                "Accept: application/json\r\n\r\n".encode()
            )
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            status = int(lines[0].split(" ", 2)[1])
            headers = {
                k.strip().lower(): v.strip()
                for k, _, v in (line.partition(":") for line in lines[1:] if line)
            }
            if "content-length" in headers:
                body = await reader.readexactly(int(headers["content-length"]))
            else:  # chunked
                body = b""
                while True:
                    size = int((await reader.readuntil(b"\r\n")).strip(), 16)
                    chunk = await reader.readexactly(size + 2)
                    if size == 0:
                        break
                    body += chunk[:-2]
            elapsed = time.perf_counter() - t0
            if t0 >= start_at:
                if status == 200:
                    tally.latencies[kind].append(elapsed)
                    cache_state = headers.get("x-onrecord-cache", "off")
                    tally.by_cache[cache_state].append(elapsed)
                    tally.bytes += len(body)
                else:
                    tally.errors[f"{kind}: HTTP {status}"] += 1
            if headers.get("connection", "").lower() == "close":
                writer.close()
                writer = None
        except (OSError, asyncio.IncompleteReadError, ValueError, IndexError) as exc:
            if t0 >= start_at:
                tally.errors[f"{kind}: {type(exc).__name__}"] += 1
            if writer is not None:
                writer.close()
            writer = None
            await asyncio.sleep(0.01)
    if writer is not None:
        writer.close()


async def run_load(
    url: str,
    *,
    clients: int,
    duration: float,
    warmup: float,
    requests: list[tuple[str, str]],
) -> tuple[Tally, float]:
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or "127.0.0.1"
    port = parts.port or 80
    tally = Tally()
    sequence = itertools.cycle(requests)
    now = time.perf_counter()
    start_at = now + warmup
    stop_at = start_at + duration
    await asyncio.gather(
        *(
            _one_client(host, port, sequence, start_at, stop_at, tally)
            for _ in range(clients)
        )
    )
    return tally, duration


# -- the server ------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def start_server(
    db: Path, port: int, workers: int, extra: list[str]
) -> subprocess.Popen[bytes]:
    cmd = [
        sys.executable,
        "-c",
        "from onrecord.cli import cli; cli()",
        "serve",
        "--db",
        str(db),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--read-only",
        *extra,
    ]
    print("server:", " ".join(cmd[3:]), file=sys.stderr)
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"onrecord serve exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(
                f"http://127.0.0.1:{port}/api/quotes?limit=1", timeout=2
            ) as resp:
                if resp.status == 200:
                    return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise TimeoutError("onrecord serve did not answer within 60 s")


# -- report -----------------------------------------------------------------------


def pct(sorted_values: list[float], p: float) -> float:
    if not sorted_values:
        return float("nan")
    k = min(len(sorted_values) - 1, max(0, round(p / 100 * len(sorted_values)) - 1))
    return sorted_values[k]


def summarise(tally: Tally, duration: float) -> dict[str, Any]:
    rows: dict[str, Any] = {}
    every: list[float] = []
    for kind, lats in sorted(tally.latencies.items()):
        lats.sort()
        every.extend(lats)
        rows[kind] = {
            "requests": len(lats),
            "p50_ms": round(pct(lats, 50) * 1000, 1),
            "p99_ms": round(pct(lats, 99) * 1000, 1),
        }
    every.sort()
    quotes = sorted(
        x for k, v in tally.latencies.items() if k.startswith("quotes") for x in v
    )
    return {
        "requests": len(every),
        "requests_per_s": round(len(every) / duration, 1),
        "p50_ms": round(pct(every, 50) * 1000, 1),
        "p90_ms": round(pct(every, 90) * 1000, 1),
        "p99_ms": round(pct(every, 99) * 1000, 1),
        "max_ms": round((every[-1] if every else float("nan")) * 1000, 1),
        "quotes_p99_ms": round(pct(quotes, 99) * 1000, 1),
        "errors": sum(tally.errors.values()),
        "error_kinds": dict(tally.errors),
        "mb_received": round(tally.bytes / 1e6, 1),
        "by_cache": {
            state: {
                "requests": len(v),
                "p50_ms": round(pct(sorted(v), 50) * 1000, 1),
                "p99_ms": round(pct(sorted(v), 99) * 1000, 1),
            }
            for state, v in sorted(tally.by_cache.items())
        },
        "by_kind": rows,
    }


def cpu_pressure() -> float | None:
    """Share of the last 10 s in which runnable tasks waited for a CPU (Linux PSI)."""
    try:
        with open("/proc/pressure/cpu") as fh:
            first = fh.readline().split()
        return float(first[1].split("=")[1])
    except (OSError, IndexError, ValueError):
        return None


def _server_stack() -> str:
    """Which HTTP parser and event loop uvicorn picks here ("auto")."""
    import importlib.util

    http = "httptools" if importlib.util.find_spec("httptools") else "h11"
    loop = "uvloop" if importlib.util.find_spec("uvloop") else "asyncio"
    return f"uvicorn {http} {loop}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quotes", type=int, default=200_000, help="bank size")
    ap.add_argument("--clients", type=int, default=200)
    ap.add_argument("--duration", type=float, default=30.0, help="seconds measured")
    ap.add_argument("--warmup", type=float, default=3.0, help="seconds not measured")
    ap.add_argument("--workers", type=int, default=1, help="onrecord serve --workers")
    ap.add_argument("--mix", choices=("quotes", "all"), default="quotes")
    ap.add_argument(
        "--popularity",
        choices=("zipf", "uniform"),
        default="zipf",
        help="zipf: 10k distinct requests, Zipf-popular; uniform: nearly all new",
    )
    ap.add_argument("--db", type=Path, help="bank (default .bench/bank-<quotes>.db)")
    ap.add_argument("--url", help="load an already running server instead")
    ap.add_argument("--json", type=Path, help="where to write the numbers")
    ap.add_argument(
        "serve_args",
        nargs="*",
        help="more options for onrecord serve (after --), e.g. -- --cache 0",
    )
    args = ap.parse_args(argv)

    db = args.db or BENCH_DIR / f"bank-{args.quotes}.db"
    # other work on the machine skews the numbers: record how busy it was
    load_before = round(os.getloadavg()[0], 2)
    pressure_before = cpu_pressure()
    proc = None
    if args.url:
        url = args.url.rstrip("/")
    else:
        spent = build_bank(db, args.quotes)
        if spent:
            print(f"bank built in {spent:.0f} s", file=sys.stderr)
        port = free_port()
        proc = start_server(db, port, args.workers, args.serve_args)
        url = f"http://127.0.0.1:{port}"
    try:
        if args.url:
            speakers, articles = [("unknown", "Ada Marrow")], ["bench-0000000"]
            if db.exists():
                speakers, articles = bank_facts(db)
        else:
            speakers, articles = bank_facts(db)
        requests = request_sequence(args.mix, args.popularity, speakers, articles)
        print(
            f"{args.clients} clients x {args.duration:.0f} s against {url} "
            f"({args.mix} mix, {args.popularity}, {args.workers} worker(s), "
            f"bank {db.name})",
            file=sys.stderr,
        )
        try:  # the client's own overhead, lower with uvloop
            import uvloop

            uvloop.install()
        except ImportError:
            pass
        tally, duration = asyncio.run(
            run_load(
                url,
                clients=args.clients,
                duration=args.duration,
                warmup=args.warmup,
                requests=requests,
            )
        )
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(10)
    summary = summarise(tally, duration)
    summary["loadavg_1min_after"] = round(os.getloadavg()[0], 2)
    summary["loadavg_1min_before"] = load_before
    summary["cpu_pressure_10s_before"] = pressure_before
    summary["cpu_pressure_10s_after"] = cpu_pressure()
    summary.update(
        clients=args.clients,
        duration_s=args.duration,
        workers=args.workers,
        mix=args.mix,
        popularity=args.popularity,
        bank_quotes=args.quotes,
        cpus=os.cpu_count(),
        python=sys.version.split()[0],
        serve_args=args.serve_args,
        server=_server_stack(),
    )
    print(
        f"\n{summary['requests']:,} requests in {duration:.0f} s: "
        f"{summary['requests_per_s']:,} req/s, p50 {summary['p50_ms']} ms, "
        f"p90 {summary['p90_ms']} ms, p99 {summary['p99_ms']} ms, "
        f"max {summary['max_ms']} ms, errors {summary['errors']} "
        f"(load average {load_before} before, {summary['loadavg_1min_after']} after; "
        f"CPU pressure {pressure_before}% before)"
    )
    print(f"{'kind':<26} {'requests':>9} {'p50 ms':>8} {'p99 ms':>8}")
    for kind, row in summary["by_kind"].items():
        print(f"{kind:<26} {row['requests']:>9,} {row['p50_ms']:>8} {row['p99_ms']:>8}")
    for state, row in summary["by_cache"].items():
        label = f"(cache {state})"
        print(
            f"{label:<26} {row['requests']:>9,} {row['p50_ms']:>8} {row['p99_ms']:>8}"
        )
    if summary["error_kinds"]:
        print("errors:", json.dumps(summary["error_kinds"]))
    out = args.json or BENCH_DIR / (
        f"load-{args.quotes}-{args.mix}-{args.popularity}-w{args.workers}.json"
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(summary, indent=2) + "\n")
    return 0 if summary["errors"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
