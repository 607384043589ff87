"""Settings of the HTTP server (pydantic, as everything at the HTTP edge)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

LOOPBACK_HOSTS = ("127.0.0.1", "::1", "localhost")


class ServeSettings(BaseModel):
    """What ``onrecord serve`` was asked to serve, and how.

    Attributes:
        db: Path of the SQLite quote bank, or a ``postgresql://`` URL.
        max_body_bytes: Largest request body accepted; larger ones get 413.
        cors_origins: Origins allowed to call the API from other sites. Empty
            (the default) adds no CORS headers at all.
        allow_store: Whether ``POST /api/extract?store=true`` may write to the bank.
        page_size: Default number of results per page.
        max_page_size: Largest ``limit`` a client may ask for.
        cache_entries: Answers of ``GET /api/...`` kept in memory (0: no cache).
        cache_ttl: For banks whose changes cannot be seen (PostgreSQL), how many
            seconds a cached answer may be kept.
        threads: Worker threads running requests at once (each keeps its own
            bank connection).
        processes: Worker processes for bank reads (0: read in the threads).
        inline_read_ms: API reads of a SQLite bank run in the event loop's own
            thread for up to this many milliseconds, and only then move to a
            worker thread (0: always in a worker thread).
        allowed_hosts: Host header values the server answers (any when empty).
            ``onrecord serve`` on a loopback address allows only loopback
            names, against DNS rebinding.
    """

    model_config = ConfigDict(frozen=True)

    db: str
    max_body_bytes: int = Field(default=2 * 1024 * 1024, gt=0)
    cors_origins: tuple[str, ...] = ()
    allow_store: bool = True
    page_size: int = Field(default=50, gt=0)
    max_page_size: int = Field(default=200, gt=0)
    cache_entries: int = Field(default=4096, ge=0)
    cache_ttl: float = Field(default=1.0, gt=0)
    threads: int = Field(default=32, gt=0, le=256)
    processes: int = Field(default=0, ge=0, le=64)
    inline_read_ms: float = Field(default=10.0, ge=0)
    allowed_hosts: tuple[str, ...] = ()
