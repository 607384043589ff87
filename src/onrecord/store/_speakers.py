"""Speaker names to stable speaker ids: normalisation and alias rules (pure)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_TITLES = frozenset(
    """mr mrs ms miss mx dr prof professor sir dame lord lady rev reverend
    sen senator rep representative gov governor president vice pm
    gen general col colonel lt capt captain sgt adm admiral judge justice
    chancellor minister secretary mayor king queen prince princess pope
    the""".split()
)
_SUFFIXES = frozenset("jr sr ii iii iv phd md esq".split())
_PRONOUNS = frozenset(
    """i me my we us our you your he him his she her hers it its they them their
    this that these those who whom which someone somebody anyone one another
    himself herself itself themselves""".split()
)
_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)
_POSSESSIVE = re.compile(r"['\u2019]s\b")


def _fold(text: str) -> str:
    if text.isascii():
        return text.casefold()
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.casefold()


_ORG_WORDS = frozenset(
    """council ministry department party university college school company inc
    ltd llc corp corporation news times post journal agency association committee
    union group bank court police office government house senate congress board
    commission institute foundation press reuters network campaign administration
    service services authority organisation organization federation league club
    team council""".split()
)


def clean_name(name: str) -> str:
    """The name in a speaker string: ``"Ines Arbor, the leader"`` -> ``"Ines Arbor"``.

    An apposition after the first comma is cut when what precedes it
    contains a capitalised word; otherwise the string is kept whole.
    """
    head, sep, _ = name.partition(",")
    if sep and any(w[:1].isupper() for w in head.split()):
        return head.strip()
    return name.strip()


@lru_cache(maxsize=1 << 16)
def normalise_name(name: str) -> str:
    """A speaker name folded for matching: accents, case, titles, punctuation.

    ``"Mr. Sergéi  Ryabkov Jr."`` and ``"sergei ryabkov"`` both become
    ``"sergei ryabkov"``; an apposition after a comma is dropped
    (:func:`clean_name`). Titles are dropped only in front of a longer name,
    so ``"the President"`` stays ``"president"``.
    """
    folded = _POSSESSIVE.sub("", _fold(clean_name(name)))
    words = [w for w in _NON_WORD.split(folded) if w and w != "_"]
    while len(words) > 1 and words[0] in _TITLES:
        words = words[1:]
    while len(words) > 1 and words[-1] in _SUFFIXES:
        words = words[:-1]
    return " ".join(words)


def speaker_slug(norm: str, *, max_len: int = 80) -> str:
    """The stable speaker id of a normalised name (``"sergei-ryabkov"``)."""
    slug = "-".join(norm.split())[:max_len].strip("-")
    return slug or "unknown"


def looks_like_person(name: str, speaker_type: str | None) -> bool:
    """Whether a speaker name reads as a person's name.

    The extractor's type is a hint, not the truth: a name of capitalised
    words without organisation words counts as a person unless typed as a
    group or document.
    """
    if speaker_type == "person":
        return True
    if speaker_type in ("group", "document"):
        return False
    words = clean_name(name).split()
    if not words or not all(w[:1].isupper() for w in words):
        return False
    return not any(_fold(w).strip(".") in _ORG_WORDS for w in words)


def surname_of(norm: str, person: bool) -> str | None:
    """The last name of a person-like normalised name of 2 to 5 words."""
    if not person:
        return None
    words = norm.split()
    if not 2 <= len(words) <= 5:
        return None
    return words[-1]


def is_alias(mention: str | None) -> bool:
    """Whether a mention is worth keeping as an alias (not a pronoun, not huge)."""
    if not mention:
        return False
    norm = normalise_name(mention)
    if not norm or len(norm) > 120:
        return False
    return norm not in _PRONOUNS
