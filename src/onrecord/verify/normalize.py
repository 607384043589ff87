"""Text and name normalisation for verification.

Everything here is pure string work (no spaCy), linear in the input, and never
raises on any ``str``: quotes are compared on normalised *words*, so quote
marks, punctuation, case, curly apostrophes and accents never make two
versions of a quote differ.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from onrecord.types import Span

# A word: letters/digits, with inner apostrophes ("shouldn't", "o'brien").
# Apostrophe variants are folded to "'" in the normalised form.
_WORD_RE = re.compile(r"[^\W_]+(?:['’‘`´][^\W_]+)*")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'"})

STOPWORDS: frozenset[str] = frozenset(
    """a about above after again against all also am an and any are as at be
    because been before being below between both but by can could did do does
    doing down during each few for from further had has have having he her here
    hers herself him himself his how i if in into is it it's its itself just
    let's me more most my myself no nor not of off on once only or other our
    ours ourselves out over own same she should so some such than that that's
    the their theirs them themselves then there these they this those through
    to too under until up very was we were what when where which while who whom
    why will with would you your yours yourself yourselves said says say
    i'm i've i'd i'll we're we've they're they've he's she's there's don't
    doesn't didn't isn't wasn't aren't weren't won't can't couldn't wouldn't
    shouldn't we'll they'll you're you've""".split()
)
"""Function words, ignored when building match keys (never when diffing)."""

QUALIFIERS: frozenset[str] = frozenset(
    """not no never nor n't don't doesn't didn't isn't wasn't aren't weren't
    won't can't cannot couldn't wouldn't shouldn't hasn't haven't hadn't
    mustn't only if unless except without nobody nothing none neither hardly
    barely maybe perhaps possibly might may allegedly""".split()
)
"""Words whose removal changes what a quote claims ("not", "only", "if")."""


@dataclass(frozen=True, slots=True)
class Word:
    """One word of a text: its normalised form and its offsets in the text."""

    norm: str
    span: Span


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Case-fold, strip accents and fold apostrophe variants.

    Args:
        text: Any string.

    Returns:
        The folded string (may differ in length from ``text``).
    """
    text = text.translate(_APOSTROPHES).casefold()
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[Word]:
    """The words of ``text`` with their spans.

    Args:
        text: Any string.

    Returns:
        One :class:`Word` per ``\\w`` run (inner apostrophes kept), in order;
        every span is within ``[0, len(text)]``.
    """
    return [
        Word(fold(m.group()), (m.start(), m.end())) for m in _WORD_RE.finditer(text)
    ]


def norm_words(text: str) -> list[str]:
    """The normalised words of ``text`` (see :func:`words`)."""
    return [fold(m.group()) for m in _WORD_RE.finditer(text)]


def normalize(text: str) -> str:
    """The normalised words of ``text`` joined by single spaces."""
    return " ".join(norm_words(text))


def content_words(tokens: list[str]) -> list[str]:
    """The tokens that are not :data:`STOPWORDS`, in order."""
    return [t for t in tokens if t not in STOPWORDS]


# ---------------------------------------------------------------------------
# Speaker names
# ---------------------------------------------------------------------------

HONORIFICS: frozenset[str] = frozenset(
    """mr mrs ms miss dr prof sir dame lord lady rev gen col capt lt sgt adm
    gov sen rep president vice prime minister secretary senator governor
    representative congressman congresswoman chancellor mayor judge justice
    ambassador general chairman chairwoman chair ceo director spokesman
    spokeswoman spokesperson deputy foreign defence defense state former
    us u s uk king queen prince princess pope chief attorney speaker leader
    candidate nominee sheriff commissioner""".split()
)
"""Titles and role words dropped from a name before comparing speakers."""

_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
PRONOUNS: frozenset[str] = frozenset(
    """i me my we us our he him his she her they them their it its you your
    who which that this these those one""".split()
)


@dataclass(frozen=True, slots=True)
class Name:
    """A speaker name reduced to comparable parts.

    Attributes:
        given: Given-name tokens (folded), possibly empty.
        surname: The last name token (folded), or "" when not a proper name.
        proper: True when the name looks like a proper name (capitalised words),
            so that two different ones really are two different speakers.
    """

    given: tuple[str, ...]
    surname: str
    proper: bool


_NAME_TOKEN_RE = re.compile(r"[^\W\d_]+(?:['’\-.][^\W\d_]+)*\.?")


@lru_cache(maxsize=1 << 14)
def parse_name(name: str | None) -> Name:
    """Reduce a speaker name to :class:`Name` parts.

    ``"Russia's deputy foreign minister"`` and ``"sources (unnamed)"`` are not
    proper names; ``"U.S. Secretary of State Marco Rubio"`` is ``(marco,) rubio``.

    Args:
        name: A resolved speaker name or mention, or None.

    Returns:
        The parts; ``surname`` is "" when nothing name-like is left.
    """
    if not name or "(unnamed)" in name:
        return Name((), "", False)
    toks = [
        _POSSESSIVE.sub("", t).rstrip(".")
        for t in (m.group() for m in _NAME_TOKEN_RE.finditer(name))
        if _key(t) not in _SUFFIXES
    ]
    toks = [t for t in toks if t]
    # leading titles and their glue: "U.S. Secretary of State Marco Rubio"
    while toks and (_key(toks[0]) in HONORIFICS or _key(toks[0]) in _GLUE):
        toks.pop(0)
    if not toks or not all(t[:1].isupper() for t in toks) or len(toks) > 5:
        # a description ("Russia's deputy foreign minister"), not a name
        return Name((), "", False)
    if len(toks) == 1 and _key(toks[0]) in PRONOUNS:
        return Name((), "", False)
    folded = tuple(_key(t) for t in toks)
    return Name(folded[:-1], folded[-1], True)


def _key(token: str) -> str:
    return fold(token).replace(".", "")


_POSSESSIVE = re.compile(r"['’]s?$")
_GLUE = frozenset({"of", "the", "and", "for"})


def _first_compatible(x: str, y: str) -> bool:
    if x == y:
        return True
    if len(x) == 1 or len(y) == 1:  # an initial
        return x[0] == y[0]
    short, long_ = sorted((x, y), key=len)
    if long_.startswith(short):  # "Bill"/"Billy", "Chris"/"Christopher"
        return True
    # transliteration variants: "Sergei"/"Sergey"
    return len(short) >= 4 and fuzz.ratio(x, y) >= 80


def _given_compatible(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """No given names on one side, or some pair of them agrees.

    Any pair, because leading words are often descriptions ("Rival Hillary
    Clinton", "Retired Lt. Gen. Michael Flynn") and middle names vary.
    """
    if not a or not b:
        return True
    return any(_first_compatible(x, y) for x in a for y in b)


def _surnames_match(x: str, y: str) -> bool:
    # spelling slips ("McLenney"/"McClenney") are one person, not two
    return x == y or (min(len(x), len(y)) >= 5 and fuzz.ratio(x, y) >= 85)


def same_speaker(a: str | None, b: str | None) -> bool | None:
    """Whether two speaker names name the same speaker.

    Args:
        a: One resolved name or mention.
        b: The other.

    Returns:
        True when they are one speaker ("Ryabkov" / "Sergei Ryabkov"), False
        when both are proper names of clearly different speakers, None when it
        cannot be told (a pronoun, a role, an unnamed source).
    """
    na, nb = parse_name(a), parse_name(b)
    if not na.surname or not nb.surname:
        return None
    if _surnames_match(na.surname, nb.surname):
        return True if _given_compatible(na.given, nb.given) else False
    # "Trump" vs "Donald J. Trump" handled above; a surname inside the other
    # name ("Clinton" vs "Clinton Foundation") is not a clear difference.
    if na.surname in nb.given or nb.surname in na.given:
        return None
    return False
