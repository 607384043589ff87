"""Where the API's bank reads run: in the event loop's thread, within a budget."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi")

import httpx  # noqa: E402

from onrecord.serve import ServeSettings, create_app  # noqa: E402
from onrecord.serve._bank import ReadBudget, ReadTooSlow  # noqa: E402
from onrecord.serve._demo import build_demo_bank  # noqa: E402
from onrecord.serve._thread import ServerThread  # noqa: E402
from onrecord.store import open_bank  # noqa: E402

# about a second of SQLite work, in steps the progress handler can stop
SLOW_SQL = (
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n"
    " WHERE i < 5000000) SELECT count(*) FROM n"
)


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = str(tmp_path / "reads.db")
    build_demo_bank(path)
    return path


class RecordingBank:
    """The real bank; notes the thread of each search, slow ones for 'slow'."""

    def __init__(self, db: str, threads: list[tuple[str, str]]) -> None:
        self._bank = open_bank(db)
        self._threads = threads

    def search_quotes(self, q: str | None = None, **kwargs: Any) -> Any:
        self._threads.append((str(q), threading.current_thread().name))
        if q == "slow":
            self._bank.conn.execute(SLOW_SQL).fetchone()
        return self._bank.search_quotes(q, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._bank, name)


def test_serve_reads_run_in_the_event_loop(db: str) -> None:
    threads: list[tuple[str, str]] = []
    app = create_app(ServeSettings(db=db), opener=lambda: RecordingBank(db, threads))
    with ServerThread(app) as server:
        resp = httpx.get(server.url + "/api/quotes?q=quays", timeout=10)
        loop_thread = server._thread.name
    assert resp.status_code == 200
    assert resp.json()["total"] == 2
    assert threads == [("quays", loop_thread)]


def test_serve_slow_reads_leave_the_event_loop(db: str) -> None:
    threads: list[tuple[str, str]] = []
    app = create_app(
        ServeSettings(db=db, inline_read_ms=20),
        opener=lambda: RecordingBank(db, threads),
    )
    done: dict[str, float] = {}
    answers: dict[str, httpx.Response] = {}

    def get(name: str, url: str) -> None:
        answers[name] = httpx.get(url, timeout=30)
        done[name] = time.perf_counter()

    with ServerThread(app) as server:
        loop_thread = server._thread.name
        slow = threading.Thread(
            target=get, args=("slow", server.url + "/api/quotes?q=slow")
        )
        slow.start()
        while len(threads) < 2:  # stopped in the loop, started again in a thread
            time.sleep(0.005)
        get("fast", server.url + "/api/quotes?q=quays")
        slow.join()
    assert answers["slow"].status_code == 200
    assert answers["slow"].json()["results"] == []
    assert answers["fast"].json()["total"] == 2
    # the loop answered the fast search while the slow one ran in a worker thread
    assert done["fast"] < done["slow"]
    assert threads[0] == ("slow", loop_thread)
    assert threads[1][0] == "slow"
    assert threads[1][1] != loop_thread
    assert ("quays", loop_thread) in threads


def test_serve_read_budget_stops_only_overruns() -> None:
    conn = sqlite3.connect(":memory:")
    budget = ReadBudget(conn, 0.02)
    assert budget.run(lambda: conn.execute("SELECT 1").fetchone()) == (1,)
    t0 = time.perf_counter()
    with pytest.raises(ReadTooSlow):
        budget.run(lambda: conn.execute(SLOW_SQL).fetchone())
    assert time.perf_counter() - t0 < 0.5
    # other errors pass through, and the connection works afterwards
    with pytest.raises(sqlite3.OperationalError, match="no such table"):
        budget.run(lambda: conn.execute("SELECT * FROM nowhere").fetchone())
    assert conn.execute(SLOW_SQL).fetchone() == (5000000,)  # no budget outside run
