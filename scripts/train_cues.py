"""Learn cue-word statistics from PolNeAR's training split (`make train`).

For every verb (and "according") in the training articles, count how often it
is annotated as the cue of an attribution, per lemma, with and without a
complement. Writes ``src/onrecord/data/cues.learned.json``: the lemmas whose
cue precision on train is high enough to use, with their counts. The file is
small (kilobytes) and committed, so users never need the data.

Usage: python scripts/train_cues.py [TRAIN.jsonl] [--min-support N]
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_TRAIN = next(
    (
        p
        for p in (
            ROOT.parent / "shared" / "data" / "polnear" / "train.jsonl",
            Path("/work/shared/data/polnear/train.jsonl"),
        )
        if p.exists()
    ),
    ROOT.parent / "shared" / "data" / "polnear" / "train.jsonl",
)
OUT = ROOT / "src" / "onrecord" / "data" / "cues.learned.json"
MODEL_OUT = ROOT / "src" / "onrecord" / "data" / "cue_model.json"
_COMPLEMENT = {"ccomp", "xcomp", "dobj", "prep", "attr", "oprd", "dative"}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("train", nargs="?", default=str(DEFAULT_TRAIN))
    ap.add_argument("--min-support", type=int, default=4)
    ap.add_argument("--min-precision", type=float, default=0.25)
    ap.add_argument(
        "--c", type=float, default=0.5, help="inverse regularisation strength"
    )
    ap.add_argument(
        "--threshold",
        type=float,
        default=0.45,
        help="decision threshold (chosen on dev)",
    )
    args = ap.parse_args()

    from onrecord._pipeline import load_nlp

    nlp = load_nlp()
    rows = [
        json.loads(line) for line in open(args.train, encoding="utf-8") if line.strip()
    ]
    t0 = time.perf_counter()
    total: Counter[str] = Counter()
    pos: Counter[str] = Counter()
    words = 0
    from onrecord.extract._lemma import lemma
    from onrecord.extract.cuemodel import cue_features
    from onrecord.extract.cues import load_lexicon
    from onrecord.extract.quotemarks import find_quote_runs

    lex = load_lexicon()
    X: list[dict[str, int]] = []
    y: list[int] = []
    for row, doc in zip(rows, nlp.pipe((r["text"] for r in rows), batch_size=16), strict=False):
        words += len(row["text"].split())
        cue_chars: set[int] = set()
        for q in row.get("quotes") or []:
            if q.get("cue_span"):
                cue_chars.update(range(*q["cue_span"]))
        runs = find_quote_runs(row["text"])
        quoted = [r.inner for r in runs]
        for sent in doc.sents:
            near = any(a < sent.end_char and b > sent.start_char for a, b in quoted)
            for tok in sent:
                if not (tok.pos_ == "VERB" or tok.tag_.startswith("VB")):
                    continue
                if any(a <= tok.idx < b for a, b in quoted):
                    continue
                feats = cue_features(
                    tok, in_lexicon=lex.is_cue(lemma(tok)), near_quote=near
                )
                X.append(dict.fromkeys(feats, 1))
                y.append(int(tok.idx in cue_chars))
        for tok in doc:
            if tok.pos_ not in {"VERB", "NOUN"}:
                continue
            if tok.pos_ == "NOUN" and tok.dep_ not in {"ROOT", "dobj", "nsubj"}:
                continue
            has_comp = any(c.dep_ in _COMPLEMENT for c in tok.children)
            if not has_comp:
                continue
            key = f"{lemma(tok)}/{tok.pos_[0]}"
            total[key] += 1
            if tok.idx in cue_chars:
                pos[key] += 1
    precision = {
        k.split("/")[0]: round(pos[k] / n, 3)
        for k, n in total.items()
        if k.endswith("/V")
        and n >= args.min_support
        and pos[k] / n >= args.min_precision
    }
    nouns = {
        k.split("/")[0]: round(pos[k] / n, 3)
        for k, n in total.items()
        if k.endswith("/N") and n >= args.min_support and pos[k] / n >= 0.5
    }
    out = {
        "_doc": "Learned by scripts/train_cues.py from PolNeAR train (Newell, Margolin & Ruths, "
        "LREC 2018; no data licence stated: use for research; no text is stored here). "
        "precision = share of a verb lemma's occurrences (with a complement) annotated as a cue.",
        "source": Path(args.train).name,
        "articles": len(rows),
        "words": words,
        "precision": dict(sorted(precision.items())),
        "noun_precision": dict(sorted(nouns.items())),
        "support": {
            k.split("/")[0]: n
            for k, n in sorted(total.items())
            if k.split("/")[0] in precision and k.endswith("/V")
        },
    }
    OUT.write_text(
        json.dumps(out, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )

    # the cue classifier (scikit-learn at training time only; weights shipped as JSON)
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = DictVectorizer()
    matrix = vec.fit_transform(X)
    clf = LogisticRegression(C=args.c, fit_intercept=False, max_iter=2000)
    clf.fit(matrix, y)
    weights = {
        name: round(float(w), 4)
        for name, w in zip(vec.get_feature_names_out(), clf.coef_[0], strict=False)
        if abs(w) >= 0.01
    }
    acc = clf.score(matrix, y)
    model = {
        "_doc": "Cue classifier (logistic regression over onrecord.extract.cuemodel.cue_features), "
        "trained by scripts/train_cues.py on PolNeAR train; see docs/model-card.md.",
        "threshold": args.threshold,
        "examples": len(y),
        "positives": int(sum(y)),
        "train_accuracy": round(acc, 4),
        "weights": dict(sorted(weights.items())),
    }
    MODEL_OUT.write_text(
        json.dumps(model, indent=0, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    print(
        f"cue model: {len(y):,} candidate verbs ({sum(y):,} cues), {len(weights):,} weights, "
        f"train accuracy {acc:.3f} -> {MODEL_OUT.relative_to(ROOT)} ({MODEL_OUT.stat().st_size // 1024} KB)"
    )
    print(
        f"{len(rows)} articles, {words:,} words in {time.perf_counter() - t0:.0f}s; "
        f"{len(precision)} verb cues, {len(nouns)} noun cues -> {OUT.relative_to(ROOT)}"
    )


if __name__ == "__main__":
    main()
