"""One APIRouter per resource; ``pages`` serves the HTML pages."""

from __future__ import annotations

from fastapi import Request

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
