"""The cue lexicon: which words introduce an attribution. Data, not code.

The hand-written lexicon lives in ``onrecord/data/cues.json``; ``make train``
writes ``cues.learned.json`` beside it with cue lemmas and their precision
learned from PolNeAR's training split, which extends the hand-written list.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Cue words and the other word lists the extractor uses."""

    speech_verbs: frozenset[str]
    needs_complement: frozenset[str]
    learned: dict[str, float]
    noun_cues: frozenset[str]
    addressee_verbs: frozenset[str]
    medium_heads: frozenset[str]
    stance_markers: dict[str, str]
    titles: frozenset[str]
    honorifics: frozenset[str]
    female_names: frozenset[str]
    male_names: frozenset[str]

    threshold: float = 0.5

    def is_cue(self, lemma: str) -> bool:
        """A hand-listed cue, or a learned one at least ``threshold`` precise on
        train."""
        learned = self.learned.get(lemma)
        if lemma in self.speech_verbs:
            return learned is None or learned >= self.floor
        return learned is not None and learned >= self.threshold

    floor: float = 0.0

    def cue_strength(self, lemma: str) -> float:
        """How reliably this lemma introduces an attribution, in [0, 1]."""
        if lemma in self.learned:
            return self.learned[lemma]
        if lemma in self.speech_verbs:
            return 0.5 if lemma in self.needs_complement else 0.8
        return 0.0


def _load_json(name: str) -> dict[str, Any]:
    ref = resources.files("onrecord").joinpath("data", name)
    if not ref.is_file():
        return {}
    data: dict[str, Any] = json.loads(ref.read_text(encoding="utf-8"))
    return data


@lru_cache(maxsize=4)
def load_lexicon(path: str | None = None) -> Lexicon:
    """Load the cue lexicon (the packaged one, or a JSON file at ``path``)."""
    raw: dict[str, Any] = (
        json.loads(Path(path).read_text(encoding="utf-8"))
        if path
        else _load_json("cues.json")
    )
    learned_raw = _load_json("cues.learned.json")
    learned = {
        str(k): float(v) for k, v in (learned_raw.get("precision") or {}).items()
    }

    def words(key: str) -> frozenset[str]:
        return frozenset(str(w).lower() for w in raw.get(key, []))

    return Lexicon(
        speech_verbs=words("speech_verbs"),
        needs_complement=words("reporting_only_with_complement"),
        learned=learned,
        noun_cues=words("noun_cues"),
        addressee_verbs=words("addressee_verbs"),
        medium_heads=words("medium_heads"),
        stance_markers={
            str(k): str(v) for k, v in raw.get("stance_markers", {}).items()
        },
        titles=words("titles"),
        honorifics=words("honorifics"),
        female_names=words("female_names"),
        male_names=words("male_names"),
        threshold=float(os.environ.get("ONRECORD_CUE_THRESHOLD", 0.5)),
        floor=float(os.environ.get("ONRECORD_CUE_FLOOR", 0.0)),
    )
