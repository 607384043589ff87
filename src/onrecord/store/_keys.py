"""Bridges to ``onrecord.verify``: LSH keys and IndexedQuote, imported lazily.

The verify package is written alongside the store; until its ``lsh_keys`` and
``IndexedQuote`` exist the bank stores quotes without keys (``keyed = 0``) and
``QuoteBank.backfill_keys`` fills them in later.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

logger = logging.getLogger("onrecord.store")

_MASK64 = (1 << 64) - 1
_SIGN64 = 1 << 63

_lsh: Callable[[str], Sequence[int]] | None = None
_lsh_checked = False


def to_signed64(key: int) -> int:
    """Fold any int key into SQLite/PostgreSQL's signed 64-bit range."""
    key &= _MASK64
    return key - (1 << 64) if key >= _SIGN64 else key


def lsh_function() -> Callable[[str], Sequence[int]] | None:
    """``onrecord.verify.lsh_keys`` if it is available, else ``None``."""
    global _lsh, _lsh_checked
    if not _lsh_checked:
        _lsh_checked = True
        try:
            from onrecord.verify import lsh_keys

            _lsh = lsh_keys
        except ImportError:
            logger.warning(
                "onrecord.verify.lsh_keys is not available: quotes are stored "
                "without match keys (backfilled on a later ingest)"
            )
            _lsh = None
    return _lsh


def quote_keys(content: str) -> list[int] | None:
    """Signed LSH keys of a quote's content, or ``None`` without verify."""
    fn = lsh_function()
    if fn is None:
        return None
    return sorted({to_signed64(int(k)) for k in fn(content)})


def wording_key(content: str) -> int | None:
    """A signed 64-bit hash of a quote's normalised words, or ``None`` without
    verify: quotes with the same wording (one quote republished by many
    outlets) share it and are one posting in the match index, as in
    ``onrecord.verify.MemoryIndex``."""
    try:
        from onrecord.verify.normalize import normalize
    except ImportError:
        return None
    digest = hashlib.blake2b(normalize(content).encode("utf-8"), digest_size=8)
    return to_signed64(int.from_bytes(digest.digest(), "big"))


@dataclass(frozen=True, slots=True)
class StoredQuote:
    """Fallback for ``onrecord.verify.IndexedQuote`` while verify is missing."""

    article_id: str
    published: str | None
    url: str | None
    content: str
    speaker: str | None
    speaker_id: str | None
    index: int
    kind: str | None = None


def index_limits() -> tuple[int, int]:
    """``(MAX_POSTINGS, MAX_CANDIDATES)`` of ``onrecord.verify.index``."""
    try:
        from onrecord.verify.index import MAX_CANDIDATES, MAX_POSTINGS
    except ImportError:
        return 2000, 100
    return int(MAX_POSTINGS), int(MAX_CANDIDATES)


def indexed_quote(row: dict[str, Any]) -> Any:
    """An ``IndexedQuote`` (or :class:`StoredQuote`) from a bank row."""
    cls: Any
    try:
        from onrecord.verify import IndexedQuote

        cls = IndexedQuote
    except ImportError:
        cls = StoredQuote
    values = {
        "article_id": row["article_id"],
        "published": row.get("published"),
        "url": row.get("article_url"),
        "article_url": row.get("article_url"),
        "content": row["content"],
        "speaker": row.get("speaker") or row.get("speaker_mention"),
        "kind": row.get("kind"),
        "speaker_id": row.get("speaker_id"),
        "index": row["idx"],
        "quote_index": row["idx"],
        "i": row["idx"],
        "idx": row["idx"],
        "quote_id": row.get("id"),
    }
    return cls(**{n: values[n] for n in _field_names(cls) if n in values})


_FIELDS: dict[type, tuple[str, ...]] = {}


def _field_names(cls: type) -> tuple[str, ...]:
    names = _FIELDS.get(cls)
    if names is None:
        names = _FIELDS[cls] = tuple(f.name for f in dataclasses.fields(cls))
    return names
