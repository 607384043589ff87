"""``GET /api/quotes``: search the record."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response

from onrecord.serve.deps import BankDep, PageDep
from onrecord.serve.routes import json_response, next_url
from onrecord.serve.schemas import ERROR_RESPONSES, QuotePage

router = APIRouter(prefix="/api/quotes", tags=["quotes"], responses=ERROR_RESPONSES)

FlagName = Literal[
    "any",
    "misattribution",
    "conflicting_attribution",
    "altered_wording",
    "truncated",
    "spliced",
]


@router.get("", response_model=QuotePage, summary="Search quotes")
async def search_quotes(
    request: Request,
    bank: BankDep,
    page: PageDep,
    q: Annotated[
        str | None,
        Query(max_length=500, description="Words of the quote (full-text search)."),
    ] = None,
    speaker: Annotated[
        str | None, Query(max_length=300, description="Speaker name or id.")
    ] = None,
    since: Annotated[
        dt.date | None, Query(description="Said or published on or after (ISO date).")
    ] = None,
    until: Annotated[
        dt.date | None, Query(description="Said or published on or before (ISO date).")
    ] = None,
    flag: Annotated[
        FlagName | None, Query(description="Only quotes with this flag ('any': any).")
    ] = None,
) -> Response:
    """Quotes matching all the given filters, newest first."""
    filters = {
        "speaker": speaker or None,
        "since": since.isoformat() if since else None,
        "until": until.isoformat() if until else None,
        "flag": flag,
    }
    words = (q or "").strip() or None
    results, total = await bank.read(
        "search_page", words, filters, page.limit, page.offset
    )
    return json_response(
        {
            "results": results,
            "total": total,
            "limit": page.limit,
            "offset": page.offset,
            "next": next_url(request, page, len(results), total),
        }
    )
