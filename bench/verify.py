"""Benchmark of the verify stage: plant errors in PolNeAR dev and count flags.

In-article mode plants, one per article copy, (a) a speaker swapped for a
person the article never mentions (a bare surname, as in the example
article), (b) the speakers of two quotes swapped; then runs
``check_article``. Cross-article mode keeps the original articles in a
``MemoryIndex`` (optionally with PolNeAR train as background) and
re-publishes each article one day later with one perturbation: an unknown
speaker, two speakers swapped, 1-3 words changed, a truncation (a part, or a
dropped qualifier), two quotes spliced into one. Unperturbed copies count
false alarms. Precision and recall are per flag kind.

Gold quotes (dev.jsonl) and resolved speakers (dev.resolved.jsonl) are used
by default so the numbers do not depend on the extractor; ``--extract`` uses
``onrecord.extract_articles`` instead: across articles on the original texts,
in one article on the perturbed texts (one copy each; every record is then the
tool's reading of the perturbed text).

Usage: python bench/verify.py [--copies 3] [--seed 0] [--swaps people|any]
                              [--background] [--extract] [--json OUT]
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import functools
import json
import random
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from onrecord.types import Article, Quote, Span
from onrecord.verify import (
    MemoryIndex,
    check_article,
    lsh_keys,
    same_speaker,
    verify_article,
)
from onrecord.verify.normalize import (
    PRONOUNS,
    QUALIFIERS,
    fold,
    norm_words,
    parse_name,
)

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "polnear"
if not DATA.exists():
    DATA = Path("/work/shared/data/polnear")

SURNAMES = [
    "Castellanos", "Okonkwo", "Lindqvist", "Marchetti", "Abernathy", "Kowalczyk",
    "Delacroix", "Haverford", "Szabados", "Quennell", "Brannigan", "Vasquez-Ortiz",
]  # fmt: skip
GIVEN = ["Elena", "Tomasz", "Ingrid", "Rafael", "Margot", "Desmond", "Priya", "Anton"]

Gold = tuple[Article, tuple[Quote, ...]]


# ---------------------------------------------------------------------------
# data
# ---------------------------------------------------------------------------


def load(path: Path, resolved: Path | None) -> list[Gold]:
    """Articles and their gold quotes, speakers resolved where annotated."""
    names: dict[tuple[str, int], str] = {}
    types: dict[tuple[str, int], str] = {}
    if resolved and resolved.exists():
        for line in resolved.open(encoding="utf-8"):
            r = json.loads(line)
            names[(r["id"], r["i"])] = r["resolved"]
            types[(r["id"], r["i"])] = r.get("type")
    out: list[Gold] = []
    for line in path.open(encoding="utf-8"):
        d = json.loads(line)
        art = Article(d["id"], d["text"], d.get("published"), title=d.get("title"))
        quotes = []
        for i, g in enumerate(d["quotes"]):
            span = g.get("speaker_span")
            quotes.append(
                Quote(
                    kind=g["kind"],
                    content=g["content"],
                    content_span=tuple(g["content_span"]),  # type: ignore[arg-type]
                    content_fragments=tuple(
                        tuple(f)  # type: ignore[misc]
                        for f in g.get("content_fragments") or []
                    ),
                    cue=g.get("cue"),
                    cue_span=tuple(g["cue_span"]) if g.get("cue_span") else None,  # type: ignore[arg-type]
                    speaker=names.get((d["id"], i), g.get("speaker")),
                    speaker_span=tuple(span) if span else None,  # type: ignore[arg-type]
                    speaker_mention=g.get("speaker"),
                    speaker_type=types.get((d["id"], i)),
                )
            )
        out.append((art, tuple(quotes)))
    return out


def _shift(span: Span | None, at: int, old_end: int, delta: int) -> Span | None:
    if span is None:
        return None
    s, e = span
    if s >= old_end:
        s += delta
    if e >= old_end:
        e += delta
    return (s, e)


def replace_text(
    art: Article, quotes: Sequence[Quote], span: Span, new: str
) -> tuple[Article, list[Quote]]:
    """Replace ``text[span]`` with ``new``, shifting every offset after it."""
    s, e = span
    text = art.text[:s] + new + art.text[e:]
    delta = len(new) - (e - s)
    out = []
    for q in quotes:
        cs = _shift(q.content_span, s, e, delta)
        assert cs is not None
        q2 = dataclasses.replace(
            q,
            content_span=cs,
            content_fragments=tuple(
                _shift(f, s, e, delta)  # type: ignore[misc]
                for f in q.content_fragments
            ),
            cue_span=_shift(q.cue_span, s, e, delta),
            speaker_span=_shift(q.speaker_span, s, e, delta),
            content=text[cs[0] : cs[1]],
        )
        out.append(q2)
    return dataclasses.replace(art, text=text), out


def _tokens(text: str) -> set[str]:
    return {fold(t) for t in re.findall(r"\w+", text)}


def _fresh_surname(art: Article, rng: random.Random) -> str:
    seen = _tokens(art.text)
    return rng.choice([s for s in SURNAMES if fold(s) not in seen])


def _named(q: Quote) -> bool:
    return bool(parse_name(q.speaker).surname)


# ---------------------------------------------------------------------------
# in-article
# ---------------------------------------------------------------------------

Plant = tuple[Article, list[Quote], set[int]]


def plant_unknown(
    art: Article, quotes: Sequence[Quote], rng: random.Random
) -> Plant | None:
    """A quote's speaker mention replaced by a bare surname never in the article."""
    idx = [i for i, q in enumerate(quotes) if q.speaker_span and q.speaker_mention]
    if not idx:
        return None
    i = rng.choice(idx)
    span = quotes[i].speaker_span
    assert span is not None
    name = _fresh_surname(art, rng)
    art2, qs = replace_text(art, quotes, span, name)
    planted = {j for j, q in enumerate(quotes) if q.speaker_span == span}
    for j in planted:
        qs[j] = dataclasses.replace(
            qs[j], speaker=name, speaker_mention=name, speaker_type=None
        )
    return art2, qs, planted


def plant_swap(
    art: Article,
    quotes: Sequence[Quote],
    rng: random.Random,
    *,
    people_only: bool = True,
) -> Plant | None:
    """The speaker mentions of two quotes by different named people swapped.

    A journalist's slip: one quoted person's name (with its title or
    description) written for another's. Only people's mentions that name or
    describe them move: a pronoun ("he", "who", "I", "it") carried to another
    sentence, or a poll's or an organisation's description swapped with a
    person's name ("Jane Doe released Friday shows that …"), is broken text,
    not a slip. ``people_only=False`` swaps any two named speakers
    (organisations, polls and documents too), as the first version did.
    """
    spans = Counter(q.speaker_span for q in quotes if q.speaker_span)
    idx = [
        i
        for i, q in enumerate(quotes)
        if q.speaker_span and spans[q.speaker_span] == 1 and _named(q)
        and (q.speaker_type == "person" or not people_only)
        and q.speaker_mention and fold(q.speaker_mention.strip()) not in PRONOUNS
    ]  # fmt: skip
    pairs = [
        (a, b)
        for a in idx
        for b in idx
        if a < b
        and parse_name(quotes[a].speaker).surname
        != parse_name(quotes[b].speaker).surname
    ]
    if not pairs:
        return None
    a, b = rng.choice(pairs)
    qa, qb = quotes[a], quotes[b]
    assert qa.speaker_span is not None
    assert qb.speaker_span is not None
    ta = art.text[qa.speaker_span[0] : qa.speaker_span[1]]
    tb = art.text[qb.speaker_span[0] : qb.speaker_span[1]]
    first, second = sorted([(qa.speaker_span, tb), (qb.speaker_span, ta)], reverse=True)
    art2, qs = replace_text(art, quotes, first[0], first[1])
    art2, qs = replace_text(art2, qs, second[0], second[1])
    qs[a] = dataclasses.replace(qs[a], speaker=qb.speaker, speaker_mention=tb)
    qs[b] = dataclasses.replace(qs[b], speaker=qa.speaker, speaker_mention=ta)
    return art2, qs, {a, b}


def plant_swap_record(
    art: Article, quotes: Sequence[Quote], rng: random.Random
) -> Plant | None:
    """The resolved speakers of two quotes swapped, the text left as it is.

    This is an attribution error of the tool (or of a data feed) rather than
    of the journalist: the record contradicts the mention in the text.
    """
    idx = [i for i, q in enumerate(quotes) if q.speaker_span and _named(q)]
    pairs = [
        (a, b)
        for a in idx
        for b in idx
        if a < b
        and parse_name(quotes[a].speaker).surname
        != parse_name(quotes[b].speaker).surname
    ]
    if not pairs:
        return None
    a, b = rng.choice(pairs)
    qs = list(quotes)
    qa, qb = quotes[a], quotes[b]
    qs[a] = dataclasses.replace(qa, speaker=qb.speaker, speaker_type=qb.speaker_type)
    qs[b] = dataclasses.replace(qb, speaker=qa.speaker, speaker_type=qa.speaker_type)
    return art, qs, {a, b}


IN_PLANTS: dict[str, Callable[[Article, Sequence[Quote], random.Random], Plant | None]]
IN_PLANTS = {
    "unknown_speaker": plant_unknown,
    "swap_in_text": plant_swap,
    "swap_in_record": plant_swap_record,
}


def bench_in_article(
    golds: list[Gold], copies: int, seed: int, *, swaps: str = "people"
) -> dict[str, Any]:
    """Precision/recall of ``misattribution`` flags on planted errors.

    For the planted quotes that are flagged, ``likely`` counts flags naming
    a likely speaker and ``likely_right`` those naming the true one.
    """
    rng = random.Random(seed)
    plants = dict(IN_PLANTS)
    if swaps == "any":
        plants["swap_in_text"] = functools.partial(plant_swap, people_only=False)
    res: dict[str, Counter[str]] = {name: Counter() for name in ["clean", *plants]}
    n_quotes = 0
    t0 = time.perf_counter()
    for art, quotes in golds:
        n_quotes += len(quotes)
        clean = check_article(art, quotes)
        res["clean"]["fp"] += sum(1 for q in clean for f in q.flags)
        for name, plant in plants.items():
            for _ in range(copies):
                p = plant(art, quotes, rng)
                if p is None:
                    continue
                art2, qs, planted = p
                out = check_article(art2, qs)
                res[name]["planted"] += len(planted)
                for j, q in enumerate(out):
                    flags = [f for f in q.flags if f.kind == "misattribution"]
                    if j not in planted:
                        res[name]["fp"] += len(q.flags)
                    elif flags:
                        res[name]["tp"] += 1
                        likely = flags[0].likely_speaker
                        res[name]["likely"] += likely is not None
                        res[name]["likely_right"] += bool(likely) and (
                            same_speaker(likely, quotes[j].speaker) is True
                            or fold(likely) == fold(quotes[j].speaker or "")
                        )
    elapsed = time.perf_counter() - t0
    report: dict[str, Any] = {}
    tot: Counter[str] = Counter()
    for name, c in res.items():
        tot.update(c)
        report[name] = _pr(c)
    report["all"] = _pr(tot)
    report["clean_quotes"] = n_quotes
    runs = max(1, len(golds)) * (1 + len(plants) * copies)
    report["ms_per_article"] = round(1000 * elapsed / runs, 3)
    return report


def _dice(a: str, b: str) -> float:
    x, y = set(norm_words(a)), set(norm_words(b))
    return 2 * len(x & y) / (len(x) + len(y)) if x or y else 0.0


def bench_in_article_extracted(
    golds: list[Gold], seed: int, *, swaps: str = "people"
) -> dict[str, Any]:
    """In-article flags on onrecord's own extraction of the perturbed texts.

    The text perturbations are planted in the gold text, and the perturbed
    article is extracted again, so every record (the "he said" quotes after a
    swapped name too) is the tool's reading of the perturbed text. A planted
    quote counts when an extracted quote has its words (token Dice >= 0.5) and
    the planted wrong speaker (the tool was misled); recall is over those.
    Record swaps exchange the speakers of two extracted quotes. Precision
    counts every other flag as false, also flags on the tool's own errors.
    """
    import onrecord

    rng = random.Random(seed)
    plants = {"unknown_speaker": plant_unknown, "swap_in_text": plant_swap}
    if swaps == "any":
        plants["swap_in_text"] = functools.partial(plant_swap, people_only=False)
    jobs: list[tuple[str, Article, list[Quote], set[int]]] = []
    for art, quotes in golds:
        jobs.append(("clean", art, list(quotes), set()))
        for name, plant in plants.items():
            p = plant(art, quotes, rng)
            if p is not None:
                art2, qs, planted = p
                jobs.append(
                    (
                        name,
                        dataclasses.replace(art2, id=f"{name}:{art.id}"),
                        qs,
                        planted,
                    )
                )
    t0 = time.perf_counter()
    results = list(onrecord.extract_articles([a for _, a, _, _ in jobs], verify=False))
    t_extract = time.perf_counter() - t0
    res: dict[str, Counter[str]] = {
        name: Counter() for name in ["clean", *plants, "swap_in_record"]
    }
    t_check = 0.0
    for (name, _art, qs, planted), r in zip(jobs, results, strict=True):
        extracted = list(r.quotes)
        t = time.perf_counter()
        out = check_article(r.article, extracted)
        t_check += time.perf_counter() - t
        if name == "clean":
            res["clean"]["fp"] += sum(len(q.flags) for q in out)
            p = plant_swap_record(r.article, extracted, rng)
            if p is not None:
                _, swapped, hit = p
                res["swap_in_record"]["planted"] += len(hit)
                for j, q in enumerate(check_article(r.article, swapped)):
                    if j in hit:
                        res["swap_in_record"]["tp"] += bool(q.flags)
                    else:
                        res["swap_in_record"]["fp"] += len(q.flags)
            continue
        misled: set[int] = set()
        matched: set[int] = set()
        for j in planted:
            best = max(
                range(len(extracted)),
                key=lambda i: _dice(extracted[i].content, qs[j].content),
                default=None,
            )
            if best is None or _dice(extracted[best].content, qs[j].content) < 0.5:
                continue
            matched.add(best)
            if same_speaker(extracted[best].speaker, qs[j].speaker) is True:
                misled.add(best)
        res[name]["planted"] += len(planted)
        res[name]["misled"] += len(misled)
        for i, q in enumerate(out):
            if i in misled:
                res[name]["tp"] += bool(q.flags)
            elif i not in matched:
                res[name]["fp"] += len(q.flags)
    report: dict[str, Any] = {}
    tot: Counter[str] = Counter()
    for name, c in res.items():
        tot.update(c)
        report[name] = _pr(c)
        if c["misled"]:
            report[name]["misled"] = c["misled"]
            report[name]["recall"] = round(c["tp"] / c["misled"], 3)
    tot["planted"] = tot["misled"] + res["swap_in_record"]["planted"]
    report["all"] = _pr(tot)
    report["extraction_s"] = round(t_extract, 1)
    report["check_s"] = round(t_check, 3)
    return report


def _pr(c: Counter[str]) -> dict[str, Any]:
    tp, fp, planted = c["tp"], c["fp"], c["planted"]
    out: dict[str, Any] = {"planted": planted, "tp": tp, "fp": fp}
    if c["likely"]:
        out["likely"] = c["likely"]
        out["likely_right"] = c["likely_right"]
    if tp + fp:
        out["precision"] = round(tp / (tp + fp), 3)
    if planted:
        out["recall"] = round(tp / planted, 3)
    return out


# ---------------------------------------------------------------------------
# cross-article
# ---------------------------------------------------------------------------

Perturb = Callable[[Article, list[Quote], random.Random], "set[int] | None"]


def _eligible(q: Quote, min_words: int) -> bool:
    return bool(lsh_keys(q.content)) and len(norm_words(q.content)) >= min_words


def x_unknown(art: Article, qs: list[Quote], rng: random.Random) -> set[int] | None:
    idx = [i for i, q in enumerate(qs) if _named(q) and _eligible(q, 6)]
    if not idx:
        return None
    i = rng.choice(idx)
    qs[i] = dataclasses.replace(
        qs[i], speaker=f"{rng.choice(GIVEN)} {_fresh_surname(art, rng)}"
    )
    return {i}


def x_swap(art: Article, qs: list[Quote], rng: random.Random) -> set[int] | None:
    idx = [i for i, q in enumerate(qs) if _named(q) and _eligible(q, 6)]
    pairs = [
        (a, b)
        for a in idx
        for b in idx
        if a < b
        and parse_name(qs[a].speaker).surname != parse_name(qs[b].speaker).surname
    ]
    if not pairs:
        return None
    a, b = rng.choice(pairs)
    sa, sb = qs[a].speaker, qs[b].speaker
    qs[a] = dataclasses.replace(qs[a], speaker=sb)
    qs[b] = dataclasses.replace(qs[b], speaker=sa)
    return {a, b}


def _words_of(text: str) -> list[str]:
    return re.findall(r"\S+", text)


def x_change(art: Article, qs: list[Quote], rng: random.Random) -> set[int] | None:
    idx = [i for i, q in enumerate(qs) if _eligible(q, 8)]
    if not idx:
        return None
    i = rng.choice(idx)
    ws = _words_of(qs[i].content)
    vocab = [w for w in _words_of(art.text) if w.isalpha() and len(w) > 3]
    for _ in range(rng.randint(1, 3)):
        op = rng.choice(["sub", "sub", "ins", "del"])
        j = rng.randrange(len(ws))
        if op == "sub":
            ws[j] = rng.choice([v for v in vocab if fold(v) != fold(ws[j])] or ["word"])
        elif op == "ins":
            ws.insert(j, rng.choice(vocab or ["word"]))
        elif fold(ws[j].strip(".,;:!?\"“”'’")) not in QUALIFIERS and len(ws) > 1:
            del ws[j]
    qs[i] = dataclasses.replace(qs[i], content=" ".join(ws))
    return {i}


def x_truncate(art: Article, qs: list[Quote], rng: random.Random) -> set[int] | None:
    idx = [i for i, q in enumerate(qs) if _eligible(q, 12)]
    if not idx:
        return None
    i = rng.choice(idx)
    ws = _words_of(qs[i].content)
    quals = [j for j, w in enumerate(ws) if fold(w.strip(".,;:!?\"“”'’")) in QUALIFIERS]
    if quals and rng.random() < 0.3:
        del ws[rng.choice(quals)]
    else:
        keep = max(8, int(len(ws) * rng.uniform(0.4, 0.8)))
        ws = ws[:keep] if rng.random() < 0.5 else ws[-keep:]
    qs[i] = dataclasses.replace(qs[i], content=" ".join(ws))
    return {i}


def x_splice(art: Article, qs: list[Quote], rng: random.Random) -> set[int] | None:
    idx = [i for i, q in enumerate(qs) if _eligible(q, 6)]
    if len(idx) < 2:
        return None
    a, b = sorted(rng.sample(idx, 2))
    joined = qs[a].content.rstrip(" ,.") + ", " + qs[b].content
    qs[a] = dataclasses.replace(qs[a], content=joined)
    del qs[b]
    return {a}


PERTURB: dict[str, tuple[Perturb, str]] = {
    "unknown_speaker": (x_unknown, "conflicting_attribution"),
    "swap_speakers": (x_swap, "conflicting_attribution"),
    "change_words": (x_change, "altered_wording"),
    "truncate": (x_truncate, "truncated"),
    "splice": (x_splice, "spliced"),
}


def _next_day(date: str | None) -> str | None:
    if not date:
        return None
    return (dt.date.fromisoformat(date[:10]) + dt.timedelta(days=1)).isoformat()


def bench_cross(
    golds: list[Gold],
    copies: int,
    seed: int,
    background: list[Gold],
    index: Any = None,
) -> dict[str, Any]:
    """Precision/recall per cross-article flag kind on re-published copies
    (against a MemoryIndex, or the given index, e.g. a quote bank)."""
    rng = random.Random(seed)
    index = MemoryIndex() if index is None else index
    t0 = time.perf_counter()
    for art, quotes in [*background, *golds]:
        index.add(art, quotes)
    build = time.perf_counter() - t0
    tp: Counter[str] = Counter()
    flagged: Counter[str] = Counter()
    planted: Counter[str] = Counter()
    per_perturb: dict[str, Counter[str]] = defaultdict(Counter)
    per_perturb["clean"] = Counter(planted=0)
    n_checked, t_check = 0, 0.0
    examples: dict[str, str] = {}
    for art, quotes in golds:
        jobs: list[tuple[str, Perturb | None, str | None]] = [("clean", None, None)]
        for name, (fn, kind) in PERTURB.items():
            jobs += [(name, fn, kind)] * copies
        for name, fn, kind in jobs:
            qs = list(quotes)
            hit: set[int] = set()
            if fn is not None:
                got = fn(art, qs, rng)
                if got is None:
                    continue
                hit = got
            copy = Article(f"copy:{art.id}", art.text, _next_day(art.published))
            t = time.perf_counter()
            out = verify_article(copy, qs, index=index)
            t_check += time.perf_counter() - t
            n_checked += len(qs)
            if kind:
                planted[kind] += len(hit)
                per_perturb[name]["planted"] += len(hit)
            for j, q in enumerate(out):
                for f in q.flags:
                    flagged[f.kind] += 1
                    if j in hit and f.kind == kind:
                        tp[kind] += 1
                        per_perturb[name]["tp"] += 1
                        examples.setdefault(kind, f.diff or f.evidence)
                    else:
                        per_perturb[name]["fp"] += 1
    report: dict[str, Any] = {"by_kind": {}, "by_perturbation": {}}
    for kind in sorted(set(planted) | set(flagged)):
        c = Counter(tp=tp[kind], fp=flagged[kind] - tp[kind], planted=planted[kind])
        report["by_kind"][kind] = _pr(c)
    for name, c in per_perturb.items():
        report["by_perturbation"][name] = _pr(c)
    n_index = len(index) if isinstance(index, MemoryIndex) else index.stats()["quotes"]
    report["index_quotes"] = n_index
    report["index_build_us_per_quote"] = round(1e6 * build / max(1, n_index), 1)
    report["check_us_per_quote"] = round(1e6 * t_check / max(1, n_checked), 1)
    report["examples"] = examples
    return report


# ---------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DATA / "dev.jsonl")
    ap.add_argument("--resolved", type=Path, default=DATA / "dev.resolved.jsonl")
    ap.add_argument("--copies", type=int, default=3, help="plants per article and type")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--mode", choices=["in", "cross", "all"], default="all")
    ap.add_argument(
        "--background", action="store_true", help="add PolNeAR train to the bank"
    )
    ap.add_argument("--extract", action="store_true", help="use onrecord's extraction")
    ap.add_argument(
        "--swaps",
        choices=["people", "any"],
        default="people",
        help="in-article text swaps between two quoted people, or any two named "
        "speakers (organisations, polls, documents too)",
    )
    ap.add_argument(
        "--index",
        choices=["memory", "bank"],
        default="memory",
        help="cross-article: earlier quotes in memory or in a SQLite quote bank",
    )
    ap.add_argument("--json", type=Path, help="write the report here too")
    args = ap.parse_args(argv)
    golds = load(args.data, args.resolved)
    report: dict[str, Any] = {"articles": len(golds)}
    if args.extract and args.mode in ("in", "all"):
        report["in_article_extracted"] = bench_in_article_extracted(
            golds, args.seed, swaps=args.swaps
        )
    if args.extract and args.mode in ("cross", "all"):
        golds = _extracted(golds)
    if args.mode in ("in", "all") and not args.extract:
        report["in_article"] = bench_in_article(
            golds, args.copies, args.seed, swaps=args.swaps
        )
    if args.mode in ("cross", "all"):
        bg = load(DATA / "train.jsonl", None) if args.background else []
        if args.index == "bank":
            import tempfile

            from onrecord.store import open_bank

            with (
                tempfile.TemporaryDirectory() as tmp,
                open_bank(str(Path(tmp) / "bench.db")) as bank,
            ):
                report["cross_article"] = bench_cross(
                    golds, args.copies, args.seed, bg, index=bank
                )
        else:
            report["cross_article"] = bench_cross(golds, args.copies, args.seed, bg)
    text = json.dumps(report, indent=2, ensure_ascii=False)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")
    return 0


def _extracted(golds: list[Gold]) -> list[Gold]:
    import onrecord

    arts = [a for a, _ in golds]
    t0 = time.perf_counter()
    results = list(onrecord.extract_articles(arts, verify=False))
    t_extract = time.perf_counter() - t0
    t0 = time.perf_counter()
    for r in results:
        check_article(r.article, r.quotes)
    from onrecord.verify import verify_results

    verify_results(results, index=MemoryIndex())
    t_verify = time.perf_counter() - t0
    print(
        f"extraction {t_extract:.2f}s, verification {t_verify:.3f}s "
        f"({100 * t_verify / t_extract:.1f}% on top)",
        file=sys.stderr,
    )
    return [(r.article, r.quotes) for r in results]


if __name__ == "__main__":
    sys.exit(main())
