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


class _IndexList(list):  # type: ignore[type-arg]
    """A word list whose ``in`` is a set lookup.

    spaCy's rule lemmatizer tests each candidate form with ``form in index``, and
    the English index tables are lists of up to 57,000 words: about 0.1 ms per
    uncached word, half a second on a short corpus. Still a list, so the tables
    serialise as before."""

    __slots__ = ("_set",)

    def __init__(self, items: Any = ()) -> None:
        super().__init__(items)
        self._set = frozenset(self)

    def __contains__(self, item: object) -> bool:
        return item in self._set


def set_lemmatizer(component: Any) -> None:
    """Use this (disabled) spaCy lemmatizer component for :func:`lemma`."""
    global _LEMMATIZER
    _LEMMATIZER = component
    lookups = getattr(component, "lookups", None)
    if lookups is not None and lookups.has_table("lemma_index"):
        table = lookups.get_table("lemma_index")
        for key, words in list(table.items()):
            if isinstance(words, list) and not isinstance(words, _IndexList):
                table[key] = _IndexList(words)


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
