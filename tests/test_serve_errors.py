"""Every error of the HTTP server has one JSON shape (cf. Datasette's test_error_shape).

``{"error": {"status": int, "code": str, "message": str, "details": list}}``
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

pytest.importorskip("fastapi")

from fastapi.testclient import TestClient  # noqa: E402

from onrecord.serve import ServeSettings, create_app  # noqa: E402
from onrecord.serve._demo import build_demo_bank  # noqa: E402
from onrecord.store import open_bank  # noqa: E402

MAX_BODY = 4096


class BrokenBank:
    """A bank whose reads fail with an unexpected error (a bug, a lost disk)."""

    def __getattr__(self, name: str) -> Any:
        def fail(*args: Any, **kwargs: Any) -> Any:
            raise RuntimeError("secret internal detail /var/lib/x")

        return fail


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    db = str(tmp_path_factory.mktemp("errors") / "e.db")
    build_demo_bank(db)
    app = create_app(ServeSettings(db=db, max_body_bytes=MAX_BODY))
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


@pytest.fixture(scope="module")
def broken_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    db = str(tmp_path_factory.mktemp("broken") / "b.db")
    open_bank(db).close()
    app = create_app(ServeSettings(db=db), opener=lambda: BrokenBank())
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def assert_error_shape(
    resp: Any, status: int, code: str | None = None
) -> dict[str, Any]:
    assert resp.status_code == status, resp.text
    assert resp.headers["content-type"].startswith("application/json")
    body = resp.json()
    assert set(body) == {"error"}
    error = body["error"]
    assert set(error) == {"status", "code", "message", "details"}
    assert error["status"] == status
    assert isinstance(error["code"], str)
    assert error["code"]
    assert isinstance(error["message"], str)
    assert error["message"]
    assert isinstance(error["details"], list)
    if code is not None:
        assert error["code"] == code
    return dict(error)


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status", "code"),
    [
        ("GET", "/api/nothing-here", {}, 404, "HTTP404"),
        ("GET", "/api/articles/no-such-article", {}, 404, "OR201"),
        ("GET", "/api/speakers/no-such-speaker", {}, 404, "OR204"),
        ("DELETE", "/api/quotes", {}, 405, "HTTP405"),
        ("GET", "/api/quotes?limit=0", {}, 422, "HTTP422"),
        ("GET", "/api/quotes?limit=100000", {}, 422, "HTTP422"),
        ("GET", "/api/quotes?since=yesterday", {}, 422, "HTTP422"),
        ("GET", "/api/quotes?flag=bogus", {}, 422, "HTTP422"),
        ("GET", "/api/flags?kind=bogus", {}, 422, "HTTP422"),
        (
            "POST",
            "/api/extract",
            {"content": b"{not json", "headers": {"content-type": "application/json"}},
            422,
            "HTTP422",
        ),
        ("POST", "/api/extract", {"json": {}}, 422, "HTTP422"),
        (
            "POST",
            "/api/extract",
            {"json": {"text": "a", "html": "<p>b</p>"}},
            422,
            "HTTP422",
        ),
        ("POST", "/api/extract", {"json": {"text": "   "}}, 400, "OR101"),
        (
            "POST",
            "/api/extract",
            {"json": {"html": "<html><body></body></html>"}},
            400,
            "OR101",
        ),
        (
            "POST",
            "/api/extract",
            {"json": {"text": "x" * (MAX_BODY + 10)}},
            413,
            "HTTP413",
        ),
    ],
)
def test_serve_error_shape(
    client: TestClient,
    method: str,
    path: str,
    kwargs: dict[str, Any],
    status: int,
    code: str,
) -> None:
    resp = client.request(method, path, **kwargs)
    assert_error_shape(resp, status, code)


def test_serve_error_shape_validation_details(client: TestClient) -> None:
    error = assert_error_shape(client.get("/api/quotes?limit=0&since=nope"), 422)
    locs = {tuple(d["loc"]) for d in error["details"]}
    assert ("query", "limit") in locs
    assert ("query", "since") in locs
    assert all(set(d) == {"loc", "msg", "type"} for d in error["details"])


def test_serve_error_shape_streamed_body_too_large(client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(10):
            yield b"x" * 1024

    resp = client.post(
        "/api/extract", content=chunks(), headers={"content-type": "application/json"}
    )
    assert_error_shape(resp, 413, "HTTP413")


@pytest.mark.parametrize(
    ("host", "status"),
    [
        ("127.0.0.1:8000", 200),
        ("localhost:8000", 200),
        ("[::1]:8000", 200),
        ("LOCALHOST", 200),
        ("evil.example", 400),
        ("evil.example:8000", 400),
        ("127.0.0.1.evil.example", 400),
    ],
)
def test_serve_host_check_against_dns_rebinding(
    tmp_path_factory: pytest.TempPathFactory, host: str, status: int
) -> None:
    db = str(tmp_path_factory.mktemp("hosts") / "h.db")
    open_bank(db).close()
    settings = ServeSettings(db=db, allowed_hosts=("127.0.0.1", "localhost", "::1"))
    with TestClient(create_app(settings)) as c:
        resp = c.get("/api/quotes", headers={"host": host})
    if status == 200:
        assert resp.status_code == 200
    else:
        assert "is not served here" in assert_error_shape(resp, 400)["message"]


def test_serve_error_shape_internal_error_hides_details(
    broken_client: TestClient,
) -> None:
    error = assert_error_shape(broken_client.get("/api/quotes?q=x"), 500, "HTTP500")
    assert "secret" not in error["message"]
    assert error["message"] == "Internal server error"
