"""``GET /api/speakers`` and ``GET /api/speakers/{id}``: who is on record."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response

from onrecord.serve.deps import BankDep, PageDep
from onrecord.serve.routes import json_response, next_url
from onrecord.serve.schemas import ERROR_RESPONSES, SpeakerDetail, SpeakerPage

router = APIRouter(prefix="/api/speakers", tags=["speakers"], responses=ERROR_RESPONSES)


@router.get("", response_model=SpeakerPage, summary="List speakers")
async def list_speakers(
    request: Request,
    bank: BankDep,
    page: PageDep,
    q: Annotated[
        str | None, Query(max_length=300, description="Part of a name or alias.")
    ] = None,
) -> Response:
    """Speakers by number of quotes, most quoted first."""
    results = await bank.read(
        "list_speakers", (q or "").strip() or None, limit=page.limit, offset=page.offset
    )
    return json_response(
        {
            "results": results,
            "limit": page.limit,
            "offset": page.offset,
            "next": next_url(request, page, len(results)),
        }
    )


@router.get("/{speaker_id}", response_model=SpeakerDetail, summary="One speaker")
async def get_speaker(
    bank: BankDep,
    speaker_id: Annotated[str, Path(max_length=300)],
) -> Response:
    """A speaker's aliases, quotes per day and latest quotes."""
    return json_response(await bank.read("get_speaker", speaker_id))
