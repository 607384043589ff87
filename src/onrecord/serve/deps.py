"""FastAPI dependencies, as ``Annotated[..., Depends()]`` aliases."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Query, Request
from starlette.concurrency import run_in_threadpool

from onrecord.serve._bank import (
    Bank,
    BankPool,
    ReadBudget,
    ReadTooSlow,
    call_bank,
)
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
    instead (see ``_procpool``); writes always stay here. ``async`` endpoints
    call :meth:`read`, which may run a read in the event loop's thread.
    """

    def __init__(
        self,
        pool: BankPool,
        processes: ReadProcesses | None = None,
        *,
        inline_budget: float = 0.0,
    ) -> None:
        self._pool = pool
        self._processes = processes
        self._inline_budget = inline_budget
        self._budgets = threading.local()

    async def read(self, method: str, *args: Any, **kwargs: Any) -> Any:
        """``bank.<method>(*args, **kwargs)`` for an ``async`` endpoint.

        A SQLite read runs first in the event loop's own thread, stopped if it
        takes longer than ``inline_budget`` seconds; a read stopped so, and
        every read of other banks, runs in a worker thread. Why not always a
        thread: Python's sqlite3 module gives up the GIL at every SQLite step
        and must take it back for the next one, and while the loop's thread
        is busy answering other requests each take-back waits for it, so a
        2 ms query took 30 ms and more in a worker thread under load (a GIL
        convoy), and first-time searches queued behind one another. In the
        loop's thread the same query costs its 2 ms, in arrival order.
        """
        if self._processes is not None:
            return await run_in_threadpool(
                self._processes.call, method, *args, **kwargs
            )
        budget = self._budget()
        if budget is not None:
            try:
                return budget.run(lambda: call_bank(budget.bank, method, args, kwargs))
            except ReadTooSlow:
                pass  # finished in a worker thread, with the loop free meanwhile
        return await run_in_threadpool(
            lambda: call_bank(self._pool.get(), method, args, kwargs)
        )

    def _budget(self) -> _InlineBank | None:
        """This thread's budgeted bank, or None when reads must not run here."""
        if self._inline_budget <= 0:
            return None
        inline: _InlineBank | None = getattr(self._budgets, "inline", None)
        if inline is None:
            bank = self._pool.get()
            conn = getattr(bank, "conn", None)
            if getattr(bank, "dialect", None) != "sqlite" or conn is None:
                self._inline_budget = 0.0  # e.g. PostgreSQL: network waits
                return None
            inline = _InlineBank(bank, conn, self._inline_budget)
            self._budgets.inline = inline
        return inline

    def _read(self, method: str, *args: Any, **kwargs: Any) -> Any:
        if self._processes is not None:
            return self._processes.call(method, *args, **kwargs)
        return getattr(self._pool.get(), method)(*args, **kwargs)

    def raw(self) -> Bank:
        """This thread's bank itself (for ``verify_results(index=...)``)."""
        return self._pool.get()

    def add_result(self, result: Result) -> bool:
        return self._pool.get().add_result(result)

    def get_article(self, article_id: str) -> dict[str, Any]:
        found: dict[str, Any] = self._read("get_article", article_id)
        return found

    def get_speaker(self, speaker_id: str) -> dict[str, Any]:
        found: dict[str, Any] = self._read("get_speaker", speaker_id)
        return found


class _InlineBank(ReadBudget):
    """A thread's own bank with a :class:`ReadBudget` on its connection."""

    def __init__(self, bank: Bank, conn: Any, seconds: float) -> None:
        super().__init__(conn, seconds)
        self.bank = bank


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
