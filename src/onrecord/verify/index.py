"""Quote indexes: the protocol the cross-article checks query, and an in-memory one.

The quote bank (``onrecord.store.QuoteBank``) implements :class:`QuoteIndex` by
storing :func:`~onrecord.verify.match.lsh_keys` in a ``quote_keys(key,
quote_id)`` table; :class:`MemoryIndex` does the same with dicts, for a batch of
articles verified without a bank.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from onrecord.types import Article, Quote
from onrecord.verify.match import lsh_keys


@dataclass(frozen=True, slots=True)
class IndexedQuote:
    """A quote as recorded in an index: enough to compare and cite it.

    Attributes:
        article_id: Id of the article that recorded it.
        published: Publication date (ISO) of that article, or None.
        url: URL of that article, or None.
        content: The quote's content as written there.
        speaker: Its resolved speaker name, or None.
        speaker_id: The bank's speaker id, when the bank resolved one.
        index: Position of the quote in its article's quotes.
        kind: ``direct``, ``indirect`` or ``mixed``, when known.
    """

    article_id: str
    published: str | None
    url: str | None
    content: str
    speaker: str | None
    speaker_id: int | str | None = None
    index: int = 0
    kind: str | None = None


@runtime_checkable
class QuoteIndex(Protocol):
    """What the cross-article checks need from a store of earlier quotes."""

    def candidates(self, keys: Sequence[int]) -> list[IndexedQuote]:
        """Quotes sharing at least one key, most shared keys first."""
        ...

    def add(self, article: Article, quotes: Sequence[Quote]) -> None:
        """Record an article's quotes (computing their keys)."""
        ...


MAX_POSTINGS = 2000
"""A key shared by more quotes than this is too common to select candidates."""
MAX_CANDIDATES = 100
"""Candidates returned per lookup, ranked by the number of shared keys."""


def indexed(article: Article, quotes: Sequence[Quote]) -> list[IndexedQuote]:
    """The :class:`IndexedQuote` records of an article's quotes."""
    return [
        IndexedQuote(
            article_id=article.id,
            published=article.published,
            url=article.url,
            content=q.content,
            speaker=q.speaker or q.speaker_mention,
            index=i,
            kind=q.kind,
        )
        for i, q in enumerate(quotes)
    ]


class MemoryIndex:
    """An in-memory :class:`QuoteIndex`: key -> postings, O(keys) per quote."""

    def __init__(self) -> None:
        self._items: list[IndexedQuote] = []
        self._postings: dict[int, list[int]] = {}

    def __len__(self) -> int:
        return len(self._items)

    def add(self, article: Article, quotes: Sequence[Quote]) -> None:
        """Record an article's quotes (see :class:`QuoteIndex`)."""
        for item in indexed(article, quotes):
            self.add_item(item)

    def add_item(self, item: IndexedQuote, keys: Sequence[int] | None = None) -> None:
        """Record one quote, with precomputed keys if given."""
        pos = len(self._items)
        self._items.append(item)
        for key in lsh_keys(item.content) if keys is None else keys:
            self._postings.setdefault(key, []).append(pos)

    def candidates(self, keys: Sequence[int]) -> list[IndexedQuote]:
        """Quotes sharing a key, most shared keys first (see :class:`QuoteIndex`)."""
        counts: Counter[int] = Counter()
        for key in set(keys):
            posting = self._postings.get(key)
            if posting and len(posting) <= MAX_POSTINGS:
                counts.update(posting)
        return [self._items[pos] for pos, _ in counts.most_common(MAX_CANDIDATES)]


class LayeredIndex:
    """A read-only base index (e.g. the quote bank) with an in-memory overlay.

    Used to verify a batch against a bank without writing to it: lookups see
    both, :meth:`add` only records into the overlay.
    """

    def __init__(self, base: QuoteIndex, overlay: MemoryIndex | None = None) -> None:
        self.base = base
        self.overlay = overlay if overlay is not None else MemoryIndex()

    def candidates(self, keys: Sequence[int]) -> list[IndexedQuote]:
        """Candidates from the base, then from the overlay."""
        return [*self.base.candidates(keys), *self.overlay.candidates(keys)]

    def add(self, article: Article, quotes: Sequence[Quote]) -> None:
        """Record into the overlay only."""
        self.overlay.add(article, quotes)
