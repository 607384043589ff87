"""The server's view of the quote bank, and one bank connection per thread.

FastAPI runs plain ``def`` endpoints in a thread pool. SQLite connections must
not be shared between threads, so each thread opens its own bank on first use
and keeps it (``threading.local``); every connection is closed when the app
shuts down.

The JSON API's reads run in the event loop's own thread first, within a time
budget (:class:`ReadBudget`); only a read that overruns it is finished in a
worker thread. See ``ThreadBank.read`` in ``deps.py`` for why.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Protocol

from onrecord.types import Article, Quote, Result


class Bank(Protocol):
    """The part of ``onrecord.store.QuoteBank`` the server uses (CONTRACTS.md)."""

    def add_result(self, result: Result) -> bool: ...

    def has_article(self, article_id: str, content_hash: str) -> bool: ...

    # QuoteIndex (onrecord.verify): cross-article checks against the bank
    def candidates(self, keys: Sequence[int]) -> list[Any]: ...

    def add(self, article: Article, quotes: Sequence[Quote]) -> None: ...

    def search_quotes(
        self,
        q: str | None = None,
        *,
        speaker: str | None = None,
        since: str | None = None,
        until: str | None = None,
        flag: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> list[dict[str, Any]]: ...

    def count_quotes(
        self,
        q: str | None = None,
        *,
        speaker: str | None = None,
        since: str | None = None,
        until: str | None = None,
        flag: str | None = None,
    ) -> int: ...

    def iter_quotes(self) -> Iterator[dict[str, Any]]: ...

    def get_article(self, article_id: str) -> dict[str, Any]: ...

    def list_speakers(
        self, q: str | None = None, *, limit: int = 50, offset: int = 0
    ) -> list[dict[str, Any]]: ...

    def get_speaker(self, speaker_id: str) -> dict[str, Any]: ...

    def list_flags(
        self, kind: str | None = None, *, limit: int = 50, offset: int = 0
    ) -> list[dict[str, Any]]: ...

    def close(self) -> None: ...


BankOpener = Callable[[], Bank]


def default_opener(db: str, *, read_only: bool = False) -> BankOpener:
    """An opener for ``onrecord.store.open_bank(db)``, tuned for serving reads."""

    def open_() -> Bank:
        from onrecord.store import open_bank

        bank: Bank = open_bank(db)
        tune_for_reads(bank, read_only=read_only)
        return bank

    return open_


def tune_for_reads(bank: object, *, read_only: bool = False) -> None:
    """Per-connection SQLite settings for a server that mostly reads.

    The store opens connections with SQLite's defaults (a 2 MB page cache,
    reads by ``pread``). A server keeps its connections, so memory-mapped reads
    and a larger cache pay off: full-text queries over a 200k-quote bank ran
    about 1.5x faster with them. Pages read through the map live in the OS
    cache, shared by every connection, so each connection's own cache stays
    small (a server keeps one connection per thread). ``query_only`` makes a
    ``--read-only`` server unable to write even by mistake. Other backends are
    left as they are.
    """
    if getattr(bank, "dialect", None) != "sqlite":
        return
    conn = getattr(bank, "conn", None)
    if conn is None:
        return
    conn.execute("PRAGMA mmap_size = 268435456")  # 256 MiB, shared by the OS
    conn.execute("PRAGMA cache_size = -8192")  # 8 MiB per connection
    if read_only:
        conn.execute("PRAGMA query_only = 1")


class BankPool:
    """One open bank per thread, all closed by :meth:`close`."""

    def __init__(self, opener: BankOpener) -> None:
        self._opener = opener
        self._local = threading.local()
        self._lock = threading.Lock()
        self._all: list[Bank] = []

    def get(self) -> Bank:
        """The calling thread's bank, opened on first use."""
        bank: Bank | None = getattr(self._local, "bank", None)
        if bank is None:
            bank = self._opener()
            self._local.bank = bank
            with self._lock:
                self._all.append(bank)
        return bank

    def close(self) -> None:
        """Close every bank this pool opened."""
        with self._lock:
            banks, self._all = self._all, []
        for bank in banks:
            try:
                bank.close()
            except Exception:  # noqa: BLE001 - closing is best effort at shutdown
                pass
        self._local = threading.local()


def search_page(
    bank: Bank,
    q: str | None,
    filters: dict[str, Any],
    limit: int,
    offset: int,
) -> tuple[list[dict[str, Any]], int]:
    """One page of ``search_quotes`` and the number of all matches.

    The count is skipped when the whole answer fits on the first page.
    """
    results = bank.search_quotes(q, limit=limit, offset=offset, **filters)
    if offset == 0 and len(results) < limit:
        return results, len(results)
    return results, bank.count_quotes(q, **filters)


def call_bank(
    bank: Bank, method: str, args: Sequence[Any], kwargs: dict[str, Any]
) -> Any:
    """``bank.<method>(*args, **kwargs)``; ``"search_page"`` is :func:`search_page`."""
    if method == "search_page":
        return search_page(bank, *args, **kwargs)
    return getattr(bank, method)(*args, **kwargs)


class ReadBudget:
    """Interrupts a SQLite connection's statements once a deadline has passed.

    Installed on the event loop thread's own connection: a read that runs
    longer than the budget is stopped (``sqlite3.OperationalError``,
    "interrupted") and can be run again in a worker thread, so no query holds
    the loop for more than about ``seconds``.
    """

    # SQLite virtual machine instructions between two looks at the clock
    # (a few microseconds of work)
    EVERY = 1000

    def __init__(self, conn: sqlite3.Connection, seconds: float) -> None:
        self.conn = conn
        self.seconds = seconds
        self._deadline = float("inf")
        self.expired = False
        conn.set_progress_handler(self._check, self.EVERY)

    def _check(self) -> int:
        if time.perf_counter() > self._deadline:
            self.expired = True
            return 1  # SQLite stops the statement
        return 0

    def run(self, fn: Callable[[], Any]) -> Any:
        """``fn()`` within the budget.

        Raises:
            ReadTooSlow: the budget ran out; ``fn`` was stopped.
        """
        self.expired = False
        self._deadline = time.perf_counter() + self.seconds
        try:
            return fn()
        except sqlite3.OperationalError:
            if self.expired:
                raise ReadTooSlow() from None
            raise
        finally:
            self._deadline = float("inf")


class ReadTooSlow(Exception):
    """A read ran out of its :class:`ReadBudget` (run it in a thread instead)."""
