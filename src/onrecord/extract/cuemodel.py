"""A learned cue classifier: is this verb the cue of an attribution?

A linear model over sparse, explainable features of a verb and its syntactic
neighbourhood (lemma, complement types, subject type, tense, position), trained
by ``make train`` on PolNeAR's training split with scikit-learn and shipped as a
small JSON of feature weights (``onrecord/data/cue_model.json``). Inference is a
dictionary lookup and a sum: no scikit-learn needed at run time.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from itertools import repeat

import numpy as np
from spacy.attrs import DEP, LOWER
from spacy.tokens import Token

from onrecord.extract._lemma import lemma as lemma_of

_COMP = ("ccomp", "xcomp", "dobj", "dative", "attr", "oprd", "agent")
_PERSONISH = {"he", "she", "they", "i", "we"}


def cue_features(tok: Token, *, in_lexicon: bool, near_quote: bool) -> list[str]:
    """Sparse features of a candidate cue verb. Shared by training and inference."""
    lemma = lemma_of(tok)
    tag = tok.tag_
    dep = tok.dep_
    kids = [(c, c.dep_) for c in tok.children]  # each child's label read once
    deps = sorted({d for _, d in kids})
    preps = sorted({c.lower_ for c, d in kids if d == "prep"})
    subj = next((c for c, d in kids if d in {"nsubj", "nsubjpass"}), None)
    feats = [
        "bias",
        f"lemma={lemma}",
        f"tag={tag}",
        f"dep={dep}",
        f"lex={in_lexicon}",
        f"near_quote={near_quote}",
    ]
    feats += [
        f"child={d}"
        for d in deps
        if d in _COMP or d in {"prep", "prt", "neg", "aux", "advcl", "nsubjpass"}
    ]
    feats += [f"prep={p}" for p in preps]
    feats += [f"lemma+prep={lemma}+{p}" for p in preps]
    for d in deps:
        if d in {"ccomp", "xcomp", "dobj"}:
            feats.append(f"lemma+{d}={lemma}")
    if subj is None:
        feats.append("subj=none")
        feats.append(f"lemma+nosubj={lemma}")
    else:
        kind = (
            "pron-person"
            if subj.lower_ in _PERSONISH
            else f"ent-{subj.ent_type_}"
            if subj.ent_type_
            else f"pos-{subj.pos_}"
        )
        feats.append(f"subj={kind}")
        feats.append(f"lemma+subj={lemma}+{kind}")
        if subj.tag_ in {"NNS", "NNPS"}:
            feats.append("subj=plural")
    feats.append(f"lemma+dep={lemma}+{dep}")
    feats.append(f"lemma+tag={lemma}+{tag}")
    obj = next((c for c, d in kids if d in {"dobj", "attr"}), None)
    if obj is not None:
        feats.append(f"obj={obj.ent_type_ or obj.pos_}")
        feats.append(f"lemma+objlemma={lemma}+{lemma_of(obj)}")
    head = tok.head
    if head.i != tok.i:
        feats.append(f"headpos={head.pos_}")
        if dep in {"xcomp", "conj", "advcl", "ccomp"}:
            feats.append(f"head_lemma={lemma_of(head)}+{dep}")
    if _that_in_subtree(tok):
        feats.append("that-clause")
    return feats


def _that_in_subtree(tok: Token) -> bool:
    """Is a complementiser "that" (dep mark) in ``tok``'s subtree?

    The same as scanning ``tok.subtree``, without walking the whole sentence for
    every verb: the doc's "that" marks are listed once, and those between the
    subtree's edges are checked for descent from ``tok``.
    """
    doc = tok.doc
    marks = doc.user_data.get("onrecord_that_marks")
    if marks is None:
        arr = doc.to_array([DEP, LOWER]).astype(np.uint64)
        strings = doc.vocab.strings
        hit = (arr[:, 0] == np.uint64(strings.add("mark"))) & (
            arr[:, 1] == np.uint64(strings.add("that"))
        )
        marks = np.nonzero(hit)[0].tolist()
        doc.user_data["onrecord_that_marks"] = marks
    if not marks:
        return False
    lo, hi = tok.left_edge.i, tok.right_edge.i
    for i in marks:
        if lo <= i <= hi:
            m = doc[i]
            if m.i == tok.i or tok.is_ancestor(m):
                return True
    return False


@dataclass(frozen=True, slots=True)
class CueModel:
    """A linear cue classifier: feature weights and a decision threshold."""

    weights: dict[str, float]
    threshold: float

    def probability(self, features: list[str]) -> float:
        # the same left-to-right sum as a generator, without a frame per feature
        z = sum(map(self.weights.get, features, repeat(0.0)))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


@lru_cache(maxsize=1)
def load_cue_model() -> CueModel | None:
    """The packaged model, or None when it has not been trained."""
    ref = resources.files("onrecord").joinpath("data", "cue_model.json")
    if not ref.is_file():
        return None
    data = json.loads(ref.read_text(encoding="utf-8"))
    return CueModel(
        {str(k): float(v) for k, v in data["weights"].items()}, float(data["threshold"])
    )
