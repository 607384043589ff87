"""``POST /api/extract``: quotes (with flags) from one article's text or HTML."""

from __future__ import annotations

import hashlib
import threading
from typing import Annotated, Any

from fastapi import APIRouter, Query

from onrecord.errors import InputError, MissingExtra
from onrecord.serve.deps import BankDep, SettingsDep
from onrecord.serve.schemas import ERROR_RESPONSES, ExtractIn, ExtractOut
from onrecord.types import Article, Result

router = APIRouter(prefix="/api/extract", tags=["extract"], responses=ERROR_RESPONSES)

# One article at a time through the spaCy pipeline: it is loaded once and is
# not documented as thread-safe.
_PIPELINE_LOCK = threading.Lock()


def html_to_text(html: str) -> tuple[str, str | None]:
    """Main text and title of a web page (trafilatura, as the HTML reader does).

    Raises:
        InputError: when no article text can be found in the page.
    """
    import trafilatura

    text = trafilatura.extract(
        html, include_comments=False, include_tables=False, favor_precision=True
    )
    if not text or not text.strip():
        raise InputError("no article text found in the HTML page")
    meta = trafilatura.extract_metadata(html)
    return text, (meta.title if meta is not None else None)


def _extract(article: Article) -> Result:
    try:
        import onrecord
    except ImportError as exc:  # pragma: no cover - the package itself is there
        raise MissingExtra(f"onrecord core could not be imported: {exc}") from exc
    extract = getattr(onrecord, "extract", None)
    if extract is None:
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


def _verify_across(bank: Any, result: Result) -> Result:
    """Add cross-article flags against the bank, when verify/ is installed."""
    try:
        from onrecord.verify import verify_results
    except ImportError:
        return result
    checked = verify_results([result], index=bank)
    return checked[0] if checked else result


@router.post("", response_model=ExtractOut, summary="Extract quotes from an article")
def extract_article(
    body: ExtractIn,
    bank: BankDep,
    settings: SettingsDep,
    store: Annotated[
        bool, Query(description="Also add the article and its quotes to the bank.")
    ] = False,
) -> dict[str, Any]:
    """Quotes, speakers and verification flags of one article.

    Give plain ``text`` or raw ``html`` (its main text is extracted first).
    """
    title = body.title
    if body.html is not None:
        text, page_title = html_to_text(body.html)
        title = title or page_title
    else:
        text = body.text or ""
    if not text.strip():
        raise InputError("the article text is empty")
    article_id = (
        body.id or body.url or "sha1:" + hashlib.sha1(text.encode()).hexdigest()
    )
    article = Article(
        id=article_id,
        text=text,
        published=body.published.isoformat() if body.published else None,
        url=body.url,
        title=title,
    )
    result = _extract(article)
    out: dict[str, Any] = result.to_dict()
    if store:
        if not settings.allow_store:
            from fastapi import HTTPException

            raise HTTPException(
                403, "this server is read-only (started with --read-only)"
            )
        if result.error is None:
            result = _verify_across(bank.raw(), result)
            out = result.to_dict()
            out["stored"] = bank.add_result(result)
        else:
            out["stored"] = False
    return out
