"""Quote indexes: the protocol the cross-article checks query, and an in-memory one.

The quote bank (``onrecord.store.QuoteBank``) implements :class:`QuoteIndex` by
storing :func:`~onrecord.verify.match.lsh_keys` in a ``quote_keys(key,
quote_id)`` table; :class:`MemoryIndex` does the same with dicts, for a batch of
articles verified without a bank.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from onrecord.types import Article, Quote
from onrecord.verify.match import lsh_keys
from onrecord.verify.normalize import normalize


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
    """What the cross-article checks need from a store of earlier quotes.

    An index may also offer ``candidates_many(keys_list)``, the candidates of
    several quotes at once (an article's), as the quote bank does to answer
    them in one round of queries; :func:`~onrecord.verify.verify_article`
    uses it when present.
    """

    def candidates(self, keys: Sequence[int]) -> list[IndexedQuote]:
        """Quotes sharing at least one key, most shared keys first."""
        ...

    def add(self, article: Article, quotes: Sequence[Quote]) -> None:
        """Record an article's quotes (computing their keys)."""
        ...


MAX_POSTINGS = 256
"""A key shared by more quotes than this is too common to select candidates."""
MAX_CANDIDATES = 48
"""Distinct wordings returned per lookup, ranked by shared keys."""
MAX_MEMBERS = 256
"""Recordings returned per wording (earliest added first)."""


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
    """An in-memory :class:`QuoteIndex`: key -> postings, O(keys) per quote.

    Postings point to distinct *wordings* (normalised words), each holding
    every recording of it, so a quote republished by a thousand outlets is one
    posting, and a key is only skipped as too common when many different
    wordings share it.
    """

    def __init__(self) -> None:
        self._groups: dict[str, int] = {}
        self._members: list[list[IndexedQuote]] = []
        self._postings: dict[int, list[int]] = {}

    def __len__(self) -> int:
        return sum(len(m) for m in self._members)

    def add(self, article: Article, quotes: Sequence[Quote]) -> None:
        """Record an article's quotes (see :class:`QuoteIndex`)."""
        for item in indexed(article, quotes):
            self.add_item(item)

    def add_item(self, item: IndexedQuote, keys: Sequence[int] | None = None) -> None:
        """Record one quote, with precomputed keys if given."""
        wording = normalize(item.content)
        gid = self._groups.get(wording)
        if gid is not None:
            self._members[gid].append(item)
            return
        gid = self._groups[wording] = len(self._members)
        self._members.append([item])
        for key in lsh_keys(item.content) if keys is None else keys:
            self._postings.setdefault(key, []).append(gid)

    def candidates(self, keys: Sequence[int]) -> list[IndexedQuote]:
        """Quotes sharing a key, most shared keys first (see :class:`QuoteIndex`)."""
        # rank by shared keys, rare keys weighing more (a key shared by many
        # wordings is a common phrase, not evidence of the same quote)
        scores: dict[int, float] = {}
        for key in set(keys):
            posting = self._postings.get(key)
            if posting and len(posting) <= MAX_POSTINGS:
                weight = 1.0 / len(posting)
                for gid in posting:
                    scores[gid] = scores.get(gid, 0.0) + weight
        best = heapq.nlargest(MAX_CANDIDATES, scores.items(), key=lambda kv: kv[1])
        return [item for gid, _ in best for item in self._members[gid][:MAX_MEMBERS]]


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
