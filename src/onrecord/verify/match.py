"""Near-duplicate keys and word-level comparison of two quote versions.

Candidate lookup uses two kinds of integer keys per quote, both computed from
the quote alone (so adding a quote costs O(its words), never O(bank size)):

* **MinHash-LSH band keys** over the set of content words: quotes whose
  wordings are similar as a whole (a few words changed) share a band key.
* **Winnowed window keys** (Schleimer et al., "Winnowing", SIGMOD 2003) over
  content-word k-grams: any run of ``K + W - 1`` content words that two
  quotes share yields a shared key, however short the overlap is relative to
  either quote, so a truncated part or one half of a splice still finds the
  whole.

The final decision compares the candidate's words with rapidfuzz.
"""

from __future__ import annotations

import zlib
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
from rapidfuzz.distance import Levenshtein

from onrecord.verify.normalize import content_words, norm_words, words

# MinHash-LSH: BANDS bands of ROWS rows. A pair with content-word Jaccard s
# becomes a candidate with probability 1 - (1 - s**ROWS)**BANDS
# (s=0.7: 0.99, s=0.5: 0.80, s=0.3: 0.28, s=0.1: 0.01 with the values below).
BANDS = 12
ROWS = 3
# Winnowing over content-word K-grams with windows of W k-grams: every shared
# run of K + W - 1 = 5 content words is guaranteed to share a key.
K = 3
W = 3
MIN_CONTENT_WORDS = 4
"""Quotes with fewer content words get no keys: too common to be evidence."""

_rng = np.random.default_rng(20250222)
# one 64-bit seed per hash function; values are mixed with splitmix64
_SEEDS = _rng.integers(0, 1 << 63, size=BANDS * ROWS, dtype=np.uint64)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_KEY_MASK = (1 << 62) - 1  # keys fit a signed 64-bit SQLite INTEGER


@lru_cache(maxsize=1 << 16)
def _h32(token: str) -> int:
    return zlib.crc32(token.encode("utf-8", "surrogatepass"))


def _key(tag: bytes, payload: bytes) -> int:
    # two CRC-32s with different seeds make a 62-bit key: deterministic across
    # processes (unlike hash()) and several times faster than a digest
    data = tag + payload
    return ((zlib.crc32(data, 0x9E3779B9) << 31) ^ zlib.crc32(data)) & _KEY_MASK


def minhash(tokens: Sequence[str]) -> np.ndarray:
    """The MinHash signature (``BANDS * ROWS`` values) of a set of tokens.

    Args:
        tokens: The tokens; duplicates are ignored. Must not be empty.

    Returns:
        A ``uint64`` array, one minimum per hash function.
    """
    hv = np.fromiter({_h32(t) for t in tokens}, dtype=np.uint64)
    # splitmix64 of (token hash XOR seed): an independent permutation per
    # seed (uint64 arithmetic wraps modulo 2**64, as the mixer intends)
    z = _SEEDS[:, None] ^ hv[None, :]
    z = (z ^ (z >> np.uint64(30))) * _M1
    z = (z ^ (z >> np.uint64(27))) * _M2
    z = z ^ (z >> np.uint64(31))
    return z.min(axis=1)  # type: ignore[no-any-return]


def _band_keys(tokens: Sequence[str]) -> list[int]:
    sig = minhash(tokens)
    return [
        _key(b"m%d:" % band, sig[band * ROWS : (band + 1) * ROWS].tobytes())
        for band in range(BANDS)
    ]


def _window_keys(tokens: Sequence[str]) -> list[int]:
    grams = [
        _key(b"w:", " ".join(tokens[i : i + K]).encode("utf-8", "surrogatepass"))
        for i in range(max(1, len(tokens) - K + 1))
    ]
    if len(grams) <= W:
        return [min(grams)]
    picked: set[int] = set()
    for i in range(len(grams) - W + 1):
        picked.add(min(grams[i : i + W]))
    return sorted(picked)


def lsh_keys(content: str) -> list[int]:
    """MinHash-LSH band keys and winnowed window keys of a quote's words.

    Keys are deterministic across processes and runs and fit a signed 64-bit
    integer, so they can be stored in the quote bank.

    Args:
        content: The quote's content as in the article.

    Returns:
        Distinct keys, or ``[]`` when the quote has fewer than
        :data:`MIN_CONTENT_WORDS` content words.
    """
    return list(_lsh_keys(content))


@lru_cache(maxsize=8192)
def _lsh_keys(content: str) -> tuple[int, ...]:
    # cached: ingest computes a quote's keys to check it and again to store it
    tokens = content_words(norm_words(content))
    if len(tokens) < MIN_CONTENT_WORDS:
        return ()
    keys = _band_keys(tokens) + _window_keys(tokens)
    return tuple(dict.fromkeys(keys))


# ---------------------------------------------------------------------------
# Comparison
# ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Edit:
    """One difference between an old and a new word sequence.

    ``tag`` is ``replace``, ``delete`` (old words missing from the new) or
    ``insert`` (new words absent from the old); ``old``/``new`` are index
    ranges into the two word lists.
    """

    tag: str
    old: tuple[int, int]
    new: tuple[int, int]


@dataclass(frozen=True, slots=True)
class Alignment:
    """Word alignment of a new quote against an old one.

    Attributes:
        old: Normalised words of the old version.
        new: Normalised words of the new version.
        matched: Number of words the two share in order.
        edits: The differences, in order.
    """

    old: tuple[Any, ...]
    new: tuple[Any, ...]
    matched: int
    edits: tuple[Edit, ...]

    @property
    def cover_old(self) -> float:
        """Share of the old words found in the new version."""
        return self.matched / len(self.old) if self.old else 0.0

    @property
    def cover_new(self) -> float:
        """Share of the new words found in the old version."""
        return self.matched / len(self.new) if self.new else 0.0


def align(old: Sequence[Hashable], new: Sequence[Hashable]) -> Alignment:
    """Align two word sequences (Levenshtein opcodes, via rapidfuzz).

    Args:
        old: The earlier version's words.
        new: The later version's words.

    Returns:
        The alignment.
    """
    ops = Levenshtein.opcodes(list(old), list(new))
    matched = 0
    edits: list[Edit] = []
    for op in ops:
        if op.tag == "equal":
            matched += op.src_end - op.src_start
        else:
            edits.append(
                Edit(op.tag, (op.src_start, op.src_end), (op.dest_start, op.dest_end))
            )
    return Alignment(tuple(old), tuple(new), matched, tuple(edits))


def word_diff(old: str, new: str, *, context: int = 3) -> str:
    """A word-level diff of two versions, in ``[-old-] {+new+}`` notation.

    Words are compared normalised (case, punctuation and quote marks ignored)
    and shown as written in ``new`` (inserted/kept) and ``old`` (deleted).
    Unchanged runs longer than ``2 * context`` words are elided with "...".

    Args:
        old: The earlier wording.
        new: The later wording.
        context: Unchanged words kept on each side of a change.

    Returns:
        The diff, words separated by single spaces (punctuation dropped); the
        new words alone when nothing changed.
    """
    ow, nw = words(old), words(new)
    oshow = [old[w.span[0] : w.span[1]] for w in ow]
    nshow = [new[w.span[0] : w.span[1]] for w in nw]
    ops = Levenshtein.opcodes([w.norm for w in ow], [w.norm for w in nw])
    parts: list[str] = []
    n_ops = len(ops)
    for i, op in enumerate(ops):
        if op.tag == "equal":
            kept = nshow[op.dest_start : op.dest_end]
            first, last = i == 0, i == n_ops - 1
            if n_ops == 1:
                parts.extend(kept)
            elif first and len(kept) > context:
                parts.extend(["...", *kept[-context:]])
            elif last and len(kept) > context:
                parts.extend([*kept[:context], "..."])
            elif not first and not last and len(kept) > 2 * context:
                parts.extend([*kept[:context], "...", *kept[-context:]])
            else:
                parts.extend(kept)
            continue
        if op.tag in ("delete", "replace"):
            parts.append("[-" + " ".join(oshow[op.src_start : op.src_end]) + "-]")
        if op.tag in ("insert", "replace"):
            parts.append("{+" + " ".join(nshow[op.dest_start : op.dest_end]) + "+}")
    return " ".join(parts)
