"""Bank reads in separate processes (``onrecord serve --processes N``).

Python's sqlite3 module gives up the GIL at every SQLite step and takes it back
for the next row. In a server whose event loop is busy answering requests,
each of those hand-backs waits for the loop's thread, so a 5 ms query can take
50 ms in a worker thread (a GIL convoy). Reads done in a few worker processes,
each with its own connection and its own GIL, cost their SQLite time and a
pickled answer, and leave the event loop's process free for the HTTP work.

Writes (``POST /api/extract?store=true``) stay in the server's own process.
"""

from __future__ import annotations

import importlib
import multiprocessing
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from onrecord.errors import OnrecordError

_BANK: Any = None


def _init(db: str, parent: int) -> None:
    global _BANK
    from onrecord.serve._bank import tune_for_reads
    from onrecord.store import open_bank

    _BANK = open_bank(db)
    tune_for_reads(_BANK, read_only=True)
    # A worker waits on its task queue forever: if the server dies without
    # shutting the pool down (SIGKILL, a crash), leave with it.
    threading.Thread(target=_exit_with, args=(parent,), daemon=True).start()


def _exit_with(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(0)


def _call(
    method: str, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> tuple[Any, ...]:
    try:
        if method == "search_page":
            from onrecord.serve._bank import search_page

            return ("ok", search_page(_BANK, *args, **kwargs))
        return ("ok", getattr(_BANK, method)(*args, **kwargs))
    except OnrecordError as exc:
        # sent back by name: OnrecordError's __init__ adds the code prefix,
        # so the exception itself does not survive pickling unchanged
        cls = type(exc)
        return ("onrecord", cls.__module__, cls.__qualname__, str(exc))
    except Exception as exc:  # noqa: BLE001 - re-raised in the server process
        return ("error", f"{type(exc).__name__}: {exc}")


def _rebuild(module: str, qualname: str, message: str) -> Exception:
    try:
        cls: Any = importlib.import_module(module)
        for part in qualname.split("."):
            cls = getattr(cls, part)
    except (ImportError, AttributeError):
        cls = OnrecordError
    exc: Exception = cls.__new__(cls)
    Exception.__init__(exc, message)
    return exc


class ReadProcesses:
    """A pool of processes, each with its own read-only bank connection."""

    def __init__(self, db: str, processes: int) -> None:
        # spawn, not fork: the server process runs threads and an event loop
        self._pool = ProcessPoolExecutor(
            max_workers=processes,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_init,
            initargs=(db, os.getpid()),
        )

    def call(self, method: str, *args: Any, **kwargs: Any) -> Any:
        """Run ``bank.<method>(*args, **kwargs)`` in a worker process."""
        status, *rest = self._pool.submit(_call, method, args, kwargs).result()
        if status == "ok":
            return rest[0]
        if status == "onrecord":
            raise _rebuild(*rest)
        raise RuntimeError(f"bank process failed: {rest[0]}")

    def close(self) -> None:
        # wait: idle workers exit at once, and none is left behind
        self._pool.shutdown(wait=True, cancel_futures=True)
