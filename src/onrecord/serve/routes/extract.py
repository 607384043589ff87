"""``POST /api/extract``: quotes (with flags) from one article's text or HTML."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request

from onrecord.errors import InputError, MissingExtra
from onrecord.serve._bank import Bank
from onrecord.serve.deps import BankDep, SettingsDep
from onrecord.serve.schemas import ERROR_RESPONSES, ExtractIn, ExtractOut
from onrecord.types import Article, Quote, Result

router = APIRouter(prefix="/api/extract", tags=["extract"], responses=ERROR_RESPONSES)

# One article at a time through the spaCy pipeline: it is loaded once per
# process and is not documented as thread-safe.
_PIPELINE_LOCK = threading.Lock()


def html_article(body: ExtractIn, article_id: str) -> Article:
    """The main text of the posted HTML page, by the HTML reader of ``onrecord.io``.

    Raises:
        InputError: when the page has no usable article text.
    """
    from onrecord.io import InputFailure, ReadOptions
    from onrecord.io._files import html_to_article

    published = body.published.isoformat() if body.published else None
    item = html_to_article(
        body.html or "",
        id=article_id,
        source="POST /api/extract",
        opts=ReadOptions(published=published),
        url=body.url,
        published=published,
    )
    if isinstance(item, InputFailure):
        raise InputError(f"the HTML page could not be read: {item.reason}")
    if body.title:
        item = Article(
            id=item.id,
            text=item.text,
            published=item.published,
            url=item.url,
            title=body.title,
        )
    return item


def _extract(article: Article) -> Result:
    import onrecord

    extract = getattr(onrecord, "extract", None)
    if extract is None:  # pragma: no cover - a build without the core pipeline
        raise MissingExtra("this onrecord build has no extractor (onrecord.extract)")
    with _PIPELINE_LOCK:
        result: Result = extract(
            article.text,
            published=article.published,
            id=article.id,
            url=article.url,
            title=article.title,
        )
    return result


class _LookOnly:
    """The bank as a ``QuoteIndex`` that is looked up but never written."""

    def __init__(self, bank: Any) -> None:
        self._bank = bank

    def candidates(self, keys: Sequence[int]) -> list[Any]:
        found: list[Any] = self._bank.candidates(keys)
        return found

    def add(self, article: Article, quotes: Sequence[Quote]) -> None:
        return None


def _check_and_store(bank: Bank, result: Result, *, store: bool) -> tuple[Result, bool]:
    """Cross-article flags against the bank; with ``store``, add the article.

    Returns:
        The result with flags, and whether the article was new to the bank.
    """
    from onrecord.verify import verify_results

    if store:
        from onrecord.io import content_hash

        stored_before = bank.has_article(
            result.article.id, content_hash(result.article.text)
        )
        if stored_before:
            # checking it against itself would flag every quote: leave it as it is
            return result, False
        # verify_results records the article in the index: the bank stores it
        checked = verify_results([result], index=bank)
        return checked[0], True
    checked = verify_results([result], index=_LookOnly(bank))
    return checked[0], False


@router.post(
    "",
    response_model=ExtractOut,
    response_model_exclude_unset=True,
    summary="Extract quotes from an article",
)
def extract_article(
    request: Request,
    body: ExtractIn,
    bank: BankDep,
    settings: SettingsDep,
    store: Annotated[
        bool, Query(description="Also add the article and its quotes to the bank.")
    ] = False,
) -> dict[str, Any]:
    """Quotes, speakers and verification flags of one article.

    Give plain ``text`` or raw ``html`` (its main text is extracted first).
    Quotes are checked against the bank for cross-article flags either way;
    ``?store=true`` also adds the article to it.
    """
    if store and not settings.allow_store:
        raise HTTPException(403, "this server is read-only (started with --read-only)")
    if body.html is not None:
        digest = hashlib.sha1(body.html.encode("utf-8", "surrogatepass")).hexdigest()
        article = html_article(body, body.id or body.url or f"sha1:{digest}")
    else:
        text = body.text or ""
        if not text.strip():
            raise InputError("the article text is empty")
        digest = hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()
        article = Article(
            id=body.id or body.url or f"sha1:{digest}",
            text=text,
            published=body.published.isoformat() if body.published else None,
            url=body.url,
            title=body.title,
        )
    result = _extract(article)
    stored = False
    if result.error is None:
        result, stored = _check_and_store(bank.raw(), result, store=store)
        cache = request.app.state.cache
        if stored and cache is not None:
            cache.invalidate()  # the file's mtime tells too; this is immediate
    out: dict[str, Any] = result.to_dict()
    if store:
        out["stored"] = stored
    return out
