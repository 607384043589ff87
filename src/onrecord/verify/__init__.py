"""Verification: in-article attribution checks and cross-article matching.

Pure functions over :class:`~onrecord.types.Article` and
:class:`~onrecord.types.Quote` records; flags are added with
:func:`dataclasses.replace`, never by mutation. The subpackage itself is
callable: ``onrecord.verify(results, index=...)`` is :func:`verify`.
"""

from __future__ import annotations

import sys
import types
from collections.abc import Iterable
from typing import Any

from onrecord.types import Result
from onrecord.verify.inarticle import check_article
from onrecord.verify.index import (
    IndexedQuote,
    LayeredIndex,
    MemoryIndex,
    QuoteIndex,
    indexed,
)
from onrecord.verify.match import align, lsh_keys, word_diff
from onrecord.verify.normalize import normalize, same_speaker
from onrecord.verify.verdict import (
    Provenance,
    check_quote,
    provenance,
    verify_article,
    verify_results,
)

__all__ = [
    "IndexedQuote",
    "LayeredIndex",
    "MemoryIndex",
    "Provenance",
    "QuoteIndex",
    "align",
    "check_article",
    "check_quote",
    "indexed",
    "lsh_keys",
    "normalize",
    "provenance",
    "same_speaker",
    "verify",
    "verify_article",
    "verify_results",
    "word_diff",
]


def verify(
    results: Iterable[Result],
    *,
    index: QuoteIndex | None = None,
    in_article: bool = True,
) -> list[Result]:
    """Verify a batch: in-article checks, then cross-article checks.

    Args:
        results: Extraction results (e.g. from ``onrecord.extract_articles``).
        index: Earlier quotes to check against (the quote bank, or a
            :class:`MemoryIndex`); a fresh :class:`MemoryIndex` when None, so
            the batch is checked against itself. Results are added to it.
        in_article: Also run :func:`check_article` on each result.

    Returns:
        The results in input order, with flags added to their quotes.
    """
    batch = [
        Result(r.article, check_article(r.article, r.quotes), r.error)
        if in_article and not r.error
        else r
        for r in results
    ]
    return verify_results(batch, index=MemoryIndex() if index is None else index)


class _CallableModule(types.ModuleType):
    # The issue asks for ``onrecord.verify(...)`` while ``onrecord.verify`` is
    # also this subpackage; making the module callable keeps both working
    # (a function of that name in ``onrecord/__init__`` would be shadowed by,
    # or would shadow, the subpackage).
    def __call__(self, *args: Any, **kwargs: Any) -> list[Result]:
        return verify(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
