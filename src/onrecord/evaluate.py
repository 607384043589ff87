"""The attribution metric of ``../shared/data/README.md``: pure functions.

- tokens are ``\\w+`` runs (quote marks and punctuation never count);
- predicted and gold quotes are paired one-to-one, greedily by token Dice; a pair
  with Dice >= 0.5 is a partial match, identical token sets a strict match;
- speaker accuracy: over matched pairs whose gold has a speaker, the predicted
  ``speaker_span`` shares at least one token with the gold ``speaker_span``;
- end-to-end F1: a prediction is a true positive when its content matches and
  its speaker is correct (or both have none);
- recall by gold kind;
- resolved-speaker accuracy against ``dev.resolved.jsonl``.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

_TOKEN = re.compile(r"\w+")
_IGNORE = {"the", "a", "of", "unnamed"}


def tokens_of(text: str, spans: Sequence[Sequence[int]]) -> list[tuple[int, str]]:
    """(offset, lower-cased token) pairs of the ``\\w+`` runs inside ``spans``."""
    out: list[tuple[int, str]] = []
    for s, e in spans:
        out.extend(
            (m.start() + s, m.group().lower()) for m in _TOKEN.finditer(text[s:e])
        )
    return out


def _content_tokens(text: str, q: Mapping[str, Any]) -> frozenset[int]:
    frags = q.get("content_fragments") or [q["content_span"]]
    return frozenset(off for off, _ in tokens_of(text, frags))


def _span_tokens(text: str, span: Sequence[int] | None) -> frozenset[int]:
    if not span:
        return frozenset()
    return frozenset(off for off, _ in tokens_of(text, [span]))


def dice(a: frozenset[int], b: frozenset[int]) -> float:
    if not a and not b:
        return 1.0
    return 2 * len(a & b) / (len(a) + len(b))


def _name_tokens(name: str) -> list[str]:
    return [t.lower() for t in _TOKEN.findall(name or "")]


def resolved_correct(predicted: str | None, gold: Mapping[str, Any]) -> bool:
    """Does a predicted speaker name the annotated referent?"""
    ref = gold.get("resolved") or ""
    pred = set(_name_tokens(predicted or ""))
    ref_toks = [
        t for t in _name_tokens(ref.replace("(unnamed)", "")) if t not in _IGNORE
    ]
    if not ref_toks or not pred:
        return False
    if gold.get("type") == "person" and "(unnamed)" not in ref:
        return ref_toks[-1] in pred
    hits = sum(1 for t in ref_toks if t in pred)
    return hits * 2 >= len(ref_toks)


@dataclass
class Pair:
    article: str
    gold_i: int | None
    pred_i: int | None
    dice: float = 0.0
    strict: bool = False
    speaker_ok: bool | None = None


@dataclass
class Scores:
    """All numbers of one evaluation run."""

    n_gold: int = 0
    n_pred: int = 0
    partial_tp: int = 0
    strict_tp: int = 0
    e2e_tp: int = 0
    speaker_total: int = 0
    speaker_ok: int = 0
    by_kind: Counter[str] = field(default_factory=Counter)
    by_kind_found: Counter[str] = field(default_factory=Counter)
    resolved_total: int = 0
    resolved_ok: int = 0
    pronoun_total: int = 0
    pronoun_ok: int = 0
    pairs: list[Pair] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)

    @staticmethod
    def _f(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
        p = tp / n_pred if n_pred else 0.0
        r = tp / n_gold if n_gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f

    def summary(self) -> dict[str, float]:
        pp, pr, pf = self._f(self.partial_tp, self.n_pred, self.n_gold)
        sp, sr, sf = self._f(self.strict_tp, self.n_pred, self.n_gold)
        ep, er, ef = self._f(self.e2e_tp, self.n_pred, self.n_gold)
        out = {
            "content_precision": pp,
            "content_recall": pr,
            "content_f1": pf,
            "strict_precision": sp,
            "strict_recall": sr,
            "strict_f1": sf,
            "speaker_accuracy": self.speaker_ok / self.speaker_total
            if self.speaker_total
            else 0.0,
            "e2e_precision": ep,
            "e2e_recall": er,
            "e2e_f1": ef,
        }
        for kind in ("direct", "indirect", "mixed"):
            total = self.by_kind[kind]
            out[f"recall_{kind}"] = self.by_kind_found[kind] / total if total else 0.0
        if self.resolved_total:
            out["resolved_accuracy"] = self.resolved_ok / self.resolved_total
            out["resolved_pronoun_accuracy"] = (
                self.pronoun_ok / self.pronoun_total if self.pronoun_total else 0.0
            )
        out["n_gold"] = self.n_gold
        out["n_pred"] = self.n_pred
        return out


def evaluate(
    gold: Iterable[Mapping[str, Any]],
    predicted: Mapping[str, Mapping[str, Any]],
    *,
    resolved: Mapping[tuple[str, int], Mapping[str, Any]] | None = None,
    keep_errors: int = 0,
) -> Scores:
    """Score predictions against gold articles.

    Args:
        gold: Gold articles (``{"id", "text", "quotes"}``).
        predicted: Predictions by article id (``{"quotes": [...]}``); a missing
            article counts as no predictions.
        resolved: ``(article id, gold quote index) -> annotation`` from
            ``dev.resolved.jsonl``.
        keep_errors: Keep up to this many error examples per category.

    Returns:
        The :class:`Scores`.
    """
    sc = Scores()
    errs: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for art in gold:
        text = art["text"]
        gq = list(art.get("quotes") or [])
        pq = list((predicted.get(art["id"]) or {}).get("quotes") or [])
        sc.n_gold += len(gq)
        sc.n_pred += len(pq)
        gt = [_content_tokens(text, q) for q in gq]
        pt = [_content_tokens(text, q) for q in pq]
        cands = []
        for i, a in enumerate(gt):
            for j, b in enumerate(pt):
                if a & b:
                    d = dice(a, b)
                    if d >= 0.5:
                        cands.append((d, i, j))
        cands.sort(key=lambda x: (-x[0], x[1], x[2]))
        g_used: dict[int, int] = {}
        p_used: set[int] = set()
        for d, i, j in cands:
            if i in g_used or j in p_used:
                continue
            g_used[i] = j
            p_used.add(j)
            g, p = gq[i], pq[j]
            sc.partial_tp += 1
            strict = gt[i] == pt[j]
            sc.strict_tp += strict
            sc.by_kind_found[g.get("kind") or "indirect"] += 1
            gs = _span_tokens(text, g.get("speaker_span"))
            ps = _span_tokens(text, p.get("speaker_span"))
            if gs:
                sc.speaker_total += 1
                ok = bool(gs & ps)
                sc.speaker_ok += ok
            else:
                ok = not ps
            if ok:
                sc.e2e_tp += 1
            elif keep_errors and gs:
                errs["wrong_speaker"].append(
                    {
                        "id": art["id"],
                        "content": text[slice(*g["content_span"])][:120],
                        "gold": text[slice(*g["speaker_span"])],
                        "predicted": p.get("speaker"),
                        "predicted_mention": text[slice(*p["speaker_span"])]
                        if p.get("speaker_span")
                        else None,
                    }
                )
            if resolved is not None:
                ann = resolved.get((art["id"], i))
                if ann is not None:
                    sc.resolved_total += 1
                    rok = resolved_correct(p.get("speaker"), ann)
                    sc.resolved_ok += rok
                    if ann.get("pronoun"):
                        sc.pronoun_total += 1
                        sc.pronoun_ok += rok
                    if not rok and keep_errors:
                        errs["wrong_resolution"].append(
                            {
                                "id": art["id"],
                                "mention": ann.get("mention"),
                                "gold": ann.get("resolved"),
                                "predicted": p.get("speaker"),
                            }
                        )
            sc.pairs.append(Pair(art["id"], i, j, d, strict, ok))
        for i, g in enumerate(gq):
            sc.by_kind[g.get("kind") or "indirect"] += 1
            if i not in g_used and keep_errors:
                errs[f"missed_{g.get('kind')}"].append(
                    {
                        "id": art["id"],
                        "content": text[slice(*g["content_span"])][:160],
                        "cue": g.get("cue"),
                        "speaker": g.get("speaker"),
                    }
                )
        if keep_errors:
            for j, p in enumerate(pq):
                if j not in p_used:
                    errs["spurious"].append(
                        {
                            "id": art["id"],
                            "content": text[slice(*p["content_span"])][:160],
                            "cue": p.get("cue"),
                            "rule": p.get("rule"),
                        }
                    )
    for kind, items in errs.items():
        for item in items[:keep_errors]:
            sc.errors.append({"category": kind, **item})
    return sc


def format_table(
    rows: Mapping[str, Mapping[str, float]], *, reference: str | None = None
) -> str:
    """A plain-text table of scores, one column per system, optional ratios."""
    keys = [
        ("content_f1", "content F1 (partial)"),
        ("content_precision", "  precision"),
        ("content_recall", "  recall"),
        ("strict_f1", "content F1 (strict)"),
        ("speaker_accuracy", "speaker accuracy"),
        ("e2e_f1", "end-to-end F1"),
        ("recall_direct", "recall direct"),
        ("recall_indirect", "recall indirect"),
        ("recall_mixed", "recall mixed"),
        ("resolved_accuracy", "resolved speaker acc."),
        ("resolved_pronoun_accuracy", "  on pronouns"),
        ("words_per_second", "words/second"),
    ]
    names = list(rows)
    width = max(len(label) for _, label in keys) + 2
    col = max(16, *(len(n) + 2 for n in names))
    head = "metric".ljust(width) + "".join(n.rjust(col) for n in names)
    lines = [head, "-" * len(head)]
    for key, label in keys:
        if not any(key in rows[n] for n in names):
            continue
        cells = []
        for n in names:
            v = rows[n].get(key)
            if v is None:
                cells.append("—".rjust(col))
            elif key == "words_per_second":
                cell = f"{v:,.0f}"
                if reference and n != reference and rows[reference].get(key):
                    cell += f" ({v / rows[reference][key]:.2f}×)"
                cells.append(cell.rjust(col))
            else:
                cells.append(f"{v:.3f}".rjust(col))
        lines.append(label.ljust(width) + "".join(cells))
    return "\n".join(lines)
