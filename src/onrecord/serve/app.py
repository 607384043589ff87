"""The FastAPI application: JSON API under /api, web pages, static files."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from onrecord.serve._bank import BankOpener, BankPool, default_opener
from onrecord.serve._cache import (
    CacheMiddleware,
    Generation,
    ResponseCache,
    clock_generation,
    sqlite_generation,
)
from onrecord.serve._http import (
    BodyLimitMiddleware,
    HostCheckMiddleware,
    SecurityHeadersMiddleware,
    install_error_handlers,
)
from onrecord.serve.deps import ThreadBank
from onrecord.serve.routes import articles, extract, flags, pages, quotes, speakers
from onrecord.serve.settings import ServeSettings

log = logging.getLogger("onrecord.serve")

STATIC_DIR = Path(__file__).parent / "static"

DESCRIPTION = """\
Who said what, on the record. Search quotes, read an article with its quotes,
follow a speaker, and review verification flags.

Every error answers `{"error": {"status", "code", "message", "details"}}`.
"""


def create_app(
    settings: ServeSettings,
    *,
    opener: BankOpener | None = None,
    freeze: bool = False,
) -> FastAPI:
    """Build the app serving ``settings.db``.

    Args:
        settings: What to serve and how.
        opener: Opens one bank connection (called once per worker thread);
            defaults to ``onrecord.store.open_bank(settings.db)``.
        freeze: At start-up, leave every object alive then out of later
            garbage collections (:func:`freeze_heap`): for a process that
            only serves this app, as ``onrecord serve`` runs it.

    Returns:
        The FastAPI application (ASGI), ready for uvicorn.
    """
    pool = BankPool(
        opener or default_opener(settings.db, read_only=not settings.allow_store)
    )
    processes = None
    if settings.processes and opener is None:
        from onrecord.serve._procpool import ReadProcesses

        processes = ReadProcesses(settings.db, settings.processes)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        import anyio.to_thread

        anyio.to_thread.current_default_thread_limiter().total_tokens = settings.threads
        if freeze:
            # once the server has imported all it needs: opening the bank
            # (the loop thread's own connection) imports the store and the core
            pool.get()
            freeze_heap()
        yield
        if processes is not None:
            processes.close()
        pool.close()

    app = FastAPI(
        title="onrecord",
        summary="A verified record of who said what.",
        description=DESCRIPTION,
        version=_version(),
        lifespan=lifespan,
        docs_url=None,  # served by routes/pages.py, with no inline script (CSP)
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.pool = pool
    app.state.bank = ThreadBank(
        pool, processes, inline_budget=settings.inline_read_ms / 1000
    )

    install_error_handlers(app)
    for module in (quotes, speakers, articles, flags, extract, pages):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    cache = None
    if settings.cache_entries:
        cache = ResponseCache(_generation(settings), max_entries=settings.cache_entries)
        app.add_middleware(CacheMiddleware, cache=cache)
    app.state.cache = cache
    # CORS outside the cache: its headers depend on each request's Origin
    if settings.cors_origins:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["content-type"],
        )
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)
    if settings.allowed_hosts:
        app.add_middleware(HostCheckMiddleware, allowed=settings.allowed_hosts)
    app.add_middleware(SecurityHeadersMiddleware)
    return app


def freeze_heap() -> None:
    """Leave the objects alive now out of every later garbage collection.

    A server process holds about 150,000 objects once FastAPI, pydantic,
    uvicorn and the app are loaded; a full collection walks all of them and
    took 90-150 ms here, stalling every request in flight (six such stalls in
    a 30 s load test). Frozen, they are never walked again; the objects that
    requests create are collected as before.
    """
    import gc

    gc.collect()
    gc.freeze()
    # and full collections 100 times rarer (after 1,000 second-generation
    # collections instead of 10): each still cost tens of milliseconds here
    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, 1000)


def _generation(settings: ServeSettings) -> Generation:
    from onrecord.store import is_postgres_url

    if is_postgres_url(settings.db):
        return clock_generation(settings.cache_ttl)
    return sqlite_generation(settings.db)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("onrecord")
    except PackageNotFoundError:  # running from a source tree
        return "0"


def app_from_env() -> FastAPI:
    """The app configured by ``ONRECORD_SERVE_SETTINGS`` (JSON of ServeSettings).

    Used by ``onrecord serve --workers N``: uvicorn's worker processes each
    build their own app from this factory.
    """
    import os

    raw = os.environ.get("ONRECORD_SERVE_SETTINGS")
    if not raw:
        from onrecord.errors import ConfigError

        raise ConfigError("ONRECORD_SERVE_SETTINGS is not set (JSON of ServeSettings)")
    return create_app(ServeSettings.model_validate_json(raw), freeze=True)
