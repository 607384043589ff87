"""``GET /api/articles/{id}``: an article's text with its quote spans."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response

from onrecord.serve.deps import BankDep
from onrecord.serve.routes import json_response
from onrecord.serve.schemas import ERROR_RESPONSES, ArticleOut

router = APIRouter(prefix="/api/articles", tags=["articles"], responses=ERROR_RESPONSES)


@router.get("/{article_id:path}", response_model=ArticleOut, summary="One article")
async def get_article(
    bank: BankDep,
    article_id: Annotated[str, Path(max_length=500)],
) -> Response:
    """The article text and its quotes, with character spans into the text."""
    return json_response(await bank.read("get_article", article_id))
