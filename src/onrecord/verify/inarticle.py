"""In-article checks: attributions that the article itself contradicts."""

from __future__ import annotations

from collections.abc import Sequence

from onrecord.types import Article, Quote


def check_article(article: Article, quotes: Sequence[Quote]) -> tuple[Quote, ...]:
    """Flag attributions the article contradicts (placeholder: no checks yet)."""
    return tuple(quotes)
