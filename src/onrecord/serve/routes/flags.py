"""``GET /api/flags``: conflicting attributions and altered quotes."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response

from onrecord.serve.deps import BankDep, PageDep
from onrecord.serve.routes import json_response, next_url
from onrecord.serve.schemas import ERROR_RESPONSES, FlagPage

router = APIRouter(prefix="/api/flags", tags=["flags"], responses=ERROR_RESPONSES)

FlagKind = Literal[
    "misattribution",
    "conflicting_attribution",
    "altered_wording",
    "truncated",
    "spliced",
]


@router.get("", response_model=FlagPage, summary="Flagged quotes")
async def list_flags(
    request: Request,
    bank: BankDep,
    page: PageDep,
    kind: Annotated[
        FlagKind | None, Query(description="Only this kind of flag.")
    ] = None,
) -> Response:
    """Flagged quotes, each with its flag and the other version where there is one."""
    results = await bank.read("list_flags", kind, limit=page.limit, offset=page.offset)
    return json_response(
        {
            "results": results,
            "limit": page.limit,
            "offset": page.offset,
            "next": next_url(request, page, len(results)),
        }
    )
