"""FastAPI dependencies, as ``Annotated[..., Depends()]`` aliases."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Query, Request

from onrecord.serve._bank import Bank, BankPool, search_page
from onrecord.serve._procpool import ReadProcesses
from onrecord.serve.settings import ServeSettings
from onrecord.types import Result

MAX_LIMIT = 200
MAX_OFFSET = 100_000


class ThreadBank:
    """A bank that forwards each call to the calling thread's connection.

    FastAPI may run a dependency and its endpoint on different worker threads;
    resolving the connection at call time keeps every SQLite connection on the
    thread that opened it. With ``processes``, reads go to worker processes
    instead (see ``_procpool``); writes always stay here.
    """

    def __init__(self, pool: BankPool, processes: ReadProcesses | None = None) -> None:
        self._pool = pool
        self._processes = processes

    def _read(self, method: str, *args: Any, **kwargs: Any) -> Any:
        if self._processes is not None:
            return self._processes.call(method, *args, **kwargs)
        return getattr(self._pool.get(), method)(*args, **kwargs)

    def raw(self) -> Bank:
        """This thread's bank itself (for ``verify_results(index=...)``)."""
        return self._pool.get()

    def add_result(self, result: Result) -> bool:
        return self._pool.get().add_result(result)

    def search_page(
        self, q: str | None, filters: dict[str, Any], *, limit: int, offset: int
    ) -> tuple[list[dict[str, Any]], int]:
        """A page of quotes and the number of all matches (one round trip)."""
        if self._processes is not None:
            found: tuple[list[dict[str, Any]], int] = self._processes.call(
                "search_page", q, filters, limit, offset
            )
            return found
        return search_page(self._pool.get(), q, filters, limit, offset)

    def search_quotes(self, q: str | None = None, **kw: Any) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = self._read("search_quotes", q, **kw)
        return found

    def count_quotes(self, q: str | None = None, **kw: Any) -> int:
        return int(self._read("count_quotes", q, **kw))

    def get_article(self, article_id: str) -> dict[str, Any]:
        found: dict[str, Any] = self._read("get_article", article_id)
        return found

    def list_speakers(self, q: str | None = None, **kw: Any) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = self._read("list_speakers", q, **kw)
        return found

    def get_speaker(self, speaker_id: str) -> dict[str, Any]:
        found: dict[str, Any] = self._read("get_speaker", speaker_id)
        return found

    def list_flags(self, kind: str | None = None, **kw: Any) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = self._read("list_flags", kind, **kw)
        return found


async def get_settings(request: Request) -> ServeSettings:
    settings: ServeSettings = request.app.state.settings
    return settings


async def get_bank(request: Request) -> ThreadBank:
    bank: ThreadBank = request.app.state.bank
    return bank


@dataclass(frozen=True, slots=True)
class Page:
    """Which slice of a result list a client asked for."""

    limit: int
    offset: int


SettingsDep = Annotated[ServeSettings, Depends(get_settings)]
BankDep = Annotated[ThreadBank, Depends(get_bank)]


async def get_page(
    settings: SettingsDep,
    limit: Annotated[
        int | None,
        Query(ge=1, le=MAX_LIMIT, description="Results per page (default 50)."),
    ] = None,
    offset: Annotated[
        int, Query(ge=0, le=MAX_OFFSET, description="Results to skip.")
    ] = 0,
) -> Page:
    return Page(
        limit=min(limit or settings.page_size, settings.max_page_size), offset=offset
    )


PageDep = Annotated[Page, Depends(get_page)]

__all__ = ["Bank", "BankDep", "Page", "PageDep", "SettingsDep", "ThreadBank"]
