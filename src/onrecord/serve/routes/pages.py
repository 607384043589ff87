"""The web pages: search, article, speaker, flags (and the API docs page).

Pages are shells: the server fills in only escaped ids (Jinja autoescaping,
in ``data-`` attributes); the page's script fetches ``/api`` JSON and builds
the DOM with ``textContent``, so article text is never parsed as HTML.
"""

from __future__ import annotations

from pathlib import Path as FsPath
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from onrecord.errors import OnrecordError
from onrecord.serve._http import csp_with_script_hashes, status_of
from onrecord.serve.deps import BankDep

TEMPLATES = Jinja2Templates(directory=FsPath(__file__).parent.parent / "templates")

router = APIRouter(include_in_schema=False)


def render(
    request: Request, name: str, status_code: int = 200, **context: Any
) -> HTMLResponse:
    return TEMPLATES.TemplateResponse(request, name, context, status_code=status_code)


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    return render(
        request,
        "error.html",
        status_code=status,
        status=status,
        message=message,
        title=f"Error {status}",
    )


@router.get("/", response_class=HTMLResponse)
def search_page(request: Request) -> HTMLResponse:
    return render(request, "search.html", page="search", title="Search the record")


@router.get("/article/{article_id:path}", response_class=HTMLResponse)
def article_page(
    request: Request, bank: BankDep, article_id: Annotated[str, Path(max_length=500)]
) -> HTMLResponse:
    try:
        article = bank.get_article(article_id)
    except OnrecordError as exc:
        return error_page(request, status_of(exc), str(exc))
    return render(
        request,
        "article.html",
        page="article",
        article_id=article_id,
        title=article.get("title") or article_id,
    )


@router.get("/speaker/{speaker_id}", response_class=HTMLResponse)
def speaker_page(
    request: Request, bank: BankDep, speaker_id: Annotated[str, Path(max_length=300)]
) -> HTMLResponse:
    try:
        speaker = bank.get_speaker(speaker_id)
    except OnrecordError as exc:
        return error_page(request, status_of(exc), str(exc))
    return render(
        request,
        "speaker.html",
        page="speaker",
        speaker_id=speaker_id,
        title=str(speaker.get("name") or speaker_id),
    )


@router.get("/flags", response_class=HTMLResponse)
def flags_page(request: Request) -> HTMLResponse:
    return render(request, "flags.html", page="flags", title="Flags")


@router.get("/docs", response_class=HTMLResponse)
async def docs_page(request: Request) -> HTMLResponse:
    """Swagger UI, from this package's own static files (no network needed).

    FastAPI's page starts Swagger UI with an inline script; the page's CSP
    allows exactly that script, by its hash, and no other inline code.
    """
    response = get_swagger_ui_html(
        openapi_url=request.app.openapi_url or "/openapi.json",
        title="onrecord API",
        swagger_js_url="/static/swagger-ui-bundle.js",
        swagger_css_url="/static/swagger-ui.css",
        swagger_favicon_url="/static/favicon.svg",
        # no badge from the online validator (it would fetch from the network)
        swagger_ui_parameters={"validatorUrl": None},
    )
    response.headers["content-security-policy"] = csp_with_script_hashes(
        bytes(response.body).decode("utf-8")
    )
    return response
