"""The response cache of the API: hits, invalidation on any write, single flight."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi")

import httpx  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402

from onrecord.serve import ServeSettings, create_app  # noqa: E402
from onrecord.serve._cache import ResponseCache, _Entry  # noqa: E402
from onrecord.serve._demo import DemoQuote, annotate, build_demo_bank  # noqa: E402
from onrecord.serve._thread import ServerThread  # noqa: E402
from onrecord.store import open_bank  # noqa: E402


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = str(tmp_path / "cache.db")
    build_demo_bank(path)
    return path


@pytest.fixture
def client(db: str) -> Iterator[TestClient]:
    with TestClient(create_app(ServeSettings(db=db))) as c:
        yield c


def state(resp: httpx.Response) -> str | None:
    value: str | None = resp.headers.get("x-onrecord-cache")
    return value


def test_serve_cache_second_request_is_a_hit(client: TestClient) -> None:
    first = client.get("/api/quotes?q=quays")
    second = client.get("/api/quotes?q=quays")
    assert (state(first), state(second)) == ("miss", "hit")
    assert first.json() == second.json()
    # security headers are added to hits as well
    assert "default-src 'none'" in second.headers["content-security-policy"]
    assert state(client.get("/api/quotes?q=quays&limit=3")) == "miss"


@pytest.mark.parametrize(
    "path", ["/api/nothing", "/api/articles/nope", "/api/quotes?limit=0"]
)
def test_serve_cache_keeps_no_errors(client: TestClient, path: str) -> None:
    client.get(path)
    assert state(client.get(path)) == "miss"


def test_serve_cache_pages_are_not_cached(client: TestClient) -> None:
    client.get("/")
    assert state(client.get("/")) is None


def test_serve_cache_sees_writes_by_other_processes(
    client: TestClient, db: str
) -> None:
    before = client.get("/api/quotes?q=lighthouse").json()
    assert before["total"] == 0
    result = annotate(
        "lighthouse",
        "\u201cThe lighthouse is lit,\u201d said Oona Frey.",
        [DemoQuote("The lighthouse is lit", "Oona Frey", "Oona Frey", "said")],
        published="2025-04-01",
    )
    with open_bank(db) as other:  # another connection, as `onrecord ingest` would be
        assert other.add_result(result)
    after = client.get("/api/quotes?q=lighthouse")
    assert state(after) == "miss"
    assert after.json()["total"] == 1


def test_serve_cache_emptied_by_extract_store(client: TestClient) -> None:
    client.get("/api/quotes?q=lantern")
    assert state(client.get("/api/quotes?q=lantern")) == "hit"
    body = {"text": "\u201cLight the lantern,\u201d said Oona Frey.", "id": "lantern"}
    assert client.post("/api/extract?store=true", json=body).json()["stored"] is True
    again = client.get("/api/quotes?q=lantern")
    assert state(again) == "miss"
    assert again.json()["total"] >= 1


def test_serve_cache_off(db: str) -> None:
    with TestClient(create_app(ServeSettings(db=db, cache_entries=0))) as c:
        c.get("/api/quotes")
        assert state(c.get("/api/quotes")) is None


class SlowCountingBank:
    """The real bank, with a slow search that counts its calls."""

    def __init__(self, db: str, calls: list[int]) -> None:
        self._bank = open_bank(db)
        self._calls = calls

    def search_quotes(self, *args: Any, **kwargs: Any) -> Any:
        self._calls.append(1)
        time.sleep(0.3)
        return self._bank.search_quotes(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._bank, name)


def test_serve_cache_single_flight(db: str) -> None:
    calls: list[int] = []
    app = create_app(
        # reads in worker threads, as for PostgreSQL, so that the requests overlap
        ServeSettings(db=db, inline_read_ms=0),
        opener=lambda: SlowCountingBank(db, calls),
    )
    results: list[tuple[int, Any]] = []

    def get(url: str) -> None:
        resp = httpx.get(url + "/api/quotes?q=bridge", timeout=10)
        results.append((resp.status_code, resp.json()["total"]))

    with ServerThread(app) as server:
        threads = [threading.Thread(target=get, args=(server.url,)) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert len(results) == 8
    assert len(set(results)) == 1
    assert results[0][0] == 200
    assert len(calls) == 1


def test_serve_cache_bounded() -> None:
    cache = ResponseCache(lambda: 0, max_entries=3, max_bytes=10_000)
    for i in range(5):
        cache.get(b"k")  # sets the generation
        cache.put(f"k{i}".encode(), _Entry(200, (), b"x" * 100))
    assert len(cache) == 3
    assert cache.get(b"k0") is None
    assert cache.get(b"k4") is not None
    cache.put(b"big", _Entry(200, (), b"x" * 20_000))
    assert cache.get(b"big") is None  # larger than the whole budget: not kept
    generation = [0]
    cache2 = ResponseCache(lambda: generation[0])
    cache2.get(b"a")
    cache2.put(b"a", _Entry(200, (), b"1"))
    assert cache2.get(b"a") is not None
    generation[0] = 1
    assert cache2.get(b"a") is None
