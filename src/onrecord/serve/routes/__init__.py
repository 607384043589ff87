"""One APIRouter per resource; ``pages`` serves the HTML pages."""

from __future__ import annotations

import json
from typing import Any

from fastapi import Request, Response

from onrecord.serve.deps import Page


def next_url(
    request: Request, page: Page, returned: int, total: int | None = None
) -> str | None:
    """The URL of the next page, or None on the last one."""
    if returned < page.limit:
        return None
    if total is not None and page.offset + returned >= total:
        return None
    return str(
        request.url.include_query_params(
            offset=page.offset + page.limit, limit=page.limit
        )
    )


def json_response(payload: Any) -> Response:
    """JSON bytes as they are, skipping FastAPI's re-validation of the payload.

    For the hot read endpoints, whose payloads come straight from the bank's
    documented dicts; the route's ``response_model`` still documents the shape
    in OpenAPI (and the tests check the shape).
    """
    # default=str: dates and decimals a PostgreSQL bank may hand back
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), default=str)
    return Response(body.encode("utf-8"), media_type="application/json")
