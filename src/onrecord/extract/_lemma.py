"""Lemmas on demand.

spaCy's lemmatizer is about a seventh of the small pipeline's time, and onrecord
needs lemmas for a few tokens only (candidate cue verbs, some nouns). The
pipeline is loaded with the lemmatizer disabled and lemmas are computed here,
lazily, with the same rule lemmatizer, so they equal what the component would
have written.
"""

from __future__ import annotations

from typing import Any

from spacy.tokens import Token

_LEMMATIZER: Any = None
_CACHE: dict[tuple[str, str], str] = {}


def set_lemmatizer(component: Any) -> None:
    """Use this (disabled) spaCy lemmatizer component for :func:`lemma`."""
    global _LEMMATIZER
    _LEMMATIZER = component


def lemma(tok: Token) -> str:
    """The lower-cased lemma of ``tok``."""
    if tok.lemma_:
        return tok.lemma_.lower()
    key = (tok.lower_, tok.pos_)
    hit = _CACHE.get(key)
    if hit is not None:
        return hit
    value = tok.lower_
    if _LEMMATIZER is not None:
        try:
            forms = _LEMMATIZER.rule_lemmatize(tok)
            if forms:
                value = forms[0].lower()
        except Exception:  # a token the rules cannot handle keeps its form
            value = tok.lower_
    if len(_CACHE) < 200_000:
        _CACHE[key] = value
    return value
