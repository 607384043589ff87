"""The HTTP API of ``onrecord serve`` over a real SQLite quote bank (tmp dir)."""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi")

from click.testing import CliRunner  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402

from onrecord.serve import ServeSettings, create_app  # noqa: E402
from onrecord.serve._cli import is_loopback, serve  # noqa: E402
from onrecord.serve._demo import build_demo_bank, demo_results  # noqa: E402
from onrecord.store import open_bank  # noqa: E402


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = str(tmp_path_factory.mktemp("serve") / "demo.db")
    assert build_demo_bank(path) == len(demo_results())
    return path


@pytest.fixture(scope="module")
def client(demo_db: str) -> Iterator[TestClient]:
    with TestClient(create_app(ServeSettings(db=demo_db))) as c:
        yield c


@pytest.fixture
def writable_client(tmp_path: Path) -> Iterator[TestClient]:
    path = str(tmp_path / "w.db")
    build_demo_bank(path)
    with TestClient(create_app(ServeSettings(db=path))) as c:
        yield c


def quotes(client: TestClient, **params: Any) -> dict[str, Any]:
    resp = client.get("/api/quotes", params=params)
    assert resp.status_code == 200, resp.text
    data: dict[str, Any] = resp.json()
    return data


# -- /api/quotes --------------------------------------------------------------


def test_serve_quotes_search_returns_results_shape(client: TestClient) -> None:
    data = quotes(client, q="twenty minutes")
    assert set(data) >= {"results", "total", "limit", "offset", "next"}
    assert data["total"] >= 1
    first = data["results"][0]
    assert "twenty minutes" in first["content"]
    assert first["article_id"] == "demo-bridge-closure"
    assert first["speaker_id"] == "renata-szabo"


@pytest.mark.parametrize(
    ("params", "expected_articles"),
    [
        ({"q": "quays"}, {"demo-harbour-plan", "demo-union-strike"}),
        ({"speaker": "Okafor"}, {"demo-bridge-closure", "demo-council-budget"}),
        (
            {"speaker": "ilse-marrow", "since": "2025-03-10"},
            {"demo-bridge-update", "demo-ferry-extra"},
        ),
        ({"speaker": "Renata Szabo", "until": "2025-03-05"}, {"demo-bridge-closure"}),
        ({"flag": "misattribution"}, {"demo-council-budget"}),
        ({"flag": "any", "since": "2025-03-15"}, {"demo-union-strike"}),
        ({"q": "no such words anywhere"}, set()),
    ],
)
def test_serve_quotes_filters(
    client: TestClient, params: dict[str, str], expected_articles: set[str]
) -> None:
    data = quotes(client, **params)
    assert {r["article_id"] for r in data["results"]} == expected_articles
    assert data["total"] == len(data["results"])


def test_serve_quotes_paginates_with_next_url(client: TestClient) -> None:
    everything = quotes(client, limit=200)
    total = everything["total"]
    assert total == sum(len(r.quotes) for r in demo_results())
    seen: list[int] = []
    data = quotes(client, limit=5)
    while True:
        seen.extend(r["quote_id"] for r in data["results"])
        if not data["next"]:
            break
        resp = client.get(data["next"])
        data = resp.json()
    assert len(seen) == total == len(set(seen))
    assert seen == [r["quote_id"] for r in everything["results"]]


# -- speakers, articles, flags -------------------------------------------------


def test_serve_speakers_list_most_quoted_first(client: TestClient) -> None:
    data = client.get("/api/speakers").json()
    counts = [s["quote_count"] for s in data["results"]]
    assert counts == sorted(counts, reverse=True)
    assert data["results"][0]["id"] == "ilse-marrow"


def test_serve_speaker_detail_has_aliases_and_days(client: TestClient) -> None:
    data = client.get("/api/speakers/ilse-marrow").json()
    assert data["name"] == "Ilse Marrow"
    assert "Marrow" in data["aliases"]
    assert {"day": "2025-03-03", "count": 3} in data["per_day"]
    assert sum(d["count"] for d in data["per_day"]) == data["quote_count"]
    assert all(q["speaker_id"] == "ilse-marrow" for q in data["quotes"])


def test_serve_article_has_text_and_quote_spans(client: TestClient) -> None:
    data = client.get("/api/articles/demo-council-budget").json()
    text = data["text"]
    assert data["title"] == "Council splits over bridge repair budget"
    assert len(data["quotes"]) == 3
    for q in data["quotes"]:
        s, e = q["content_span"]
        assert text[s:e] == q["content"]
        if q["speaker_span"]:
            s, e = q["speaker_span"]
            assert text[s:e] == q["speaker_mention"]
    assert [q["speaker_id"] for q in data["quotes"]] == [
        "ilse-marrow",
        "dev-okafor",
        "dev-okafor",
    ]
    assert data["quotes"][1]["flags"][0]["kind"] == "misattribution"


def test_serve_flags_lists_both_versions(client: TestClient) -> None:
    data = client.get("/api/flags").json()
    kinds = {f["flag"]["kind"] for f in data["results"]}
    assert kinds == {
        "misattribution",
        "conflicting_attribution",
        "altered_wording",
        "truncated",
    }
    altered = client.get("/api/flags", params={"kind": "altered_wording"}).json()[
        "results"
    ]
    assert len(altered) == 1
    assert (
        altered[0]["other"]["content"]
        == "These quays fed this town for two hundred years"
    )
    assert altered[0]["content"].startswith("These quays fed this town for three")


@pytest.mark.parametrize(
    ("path", "model"),
    [
        ("/api/quotes?limit=200", "QuotePage"),
        ("/api/quotes?q=bridge&limit=2", "QuotePage"),
        ("/api/speakers", "SpeakerPage"),
        ("/api/speakers/ilse-marrow", "SpeakerDetail"),
        ("/api/articles/demo-union-strike", "ArticleOut"),
        ("/api/flags", "FlagPage"),
    ],
)
def test_serve_answers_match_documented_models(
    client: TestClient, path: str, model: str
) -> None:
    # the hot read routes send the bank's dicts as they are: check their shape
    from onrecord.serve import schemas

    data = client.get(path).json()
    getattr(schemas, model).model_validate(data)
    if "results" in data:
        assert data["results"]


def test_serve_reads_in_worker_processes(demo_db: str) -> None:
    with TestClient(create_app(ServeSettings(db=demo_db, processes=1))) as c:
        assert quotes(c, q="quays")["total"] == 2
        assert c.get("/api/speakers/ilse-marrow").json()["name"] == "Ilse Marrow"
        missing = c.get("/api/articles/no-such-article").json()["error"]
        assert missing["code"] == "OR201"
        assert (
            missing["message"]
            == "[OR201] no article 'no-such-article' in the quote bank"
        )
        assert c.get("/api/speakers/nobody").json()["error"]["code"] == "OR204"
        assert c.get("/article/no-such-article").status_code == 404


def test_serve_worker_processes_leave_with_the_server(demo_db: str) -> None:
    import time

    from onrecord.serve._procpool import ReadProcesses

    procs = ReadProcesses(demo_db, 2)
    assert procs.call("count_quotes", "quays") == 2
    pids = list(procs._pool._processes)
    assert pids
    procs.close()
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(pid) for pid in pids)


def _alive(pid: int) -> bool:
    import os

    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie is gone for good
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split(") ")[-1][0] != "Z"
    except OSError:
        return False


# -- POST /api/extract --------------------------------------------------------

ARTICLE = (
    "\u201cThe lighthouse will be lit again by midsummer,\u201d harbour master "
    "Oona Frey said on Tuesday. Councillor Bram Oyelaran said the repairs were "
    "overdue."
)


def test_serve_extract_text_returns_quotes(client: TestClient) -> None:
    resp = client.post(
        "/api/extract", json={"text": ARTICLE, "published": "2025-05-06"}
    )
    assert resp.status_code == 200, resp.text
    data = resp.json()
    assert "stored" not in data
    contents = " ".join(q["content"] for q in data["quotes"])
    assert "lighthouse" in contents
    for q in data["quotes"]:
        assert isinstance(q["flags"], list)
        s, e = q["content_span"]
        assert ARTICLE[s:e] == q["content"]


def test_serve_extract_html(client: TestClient) -> None:
    html = (
        "<html><head><title>Lighthouse</title></head><body><article><p>"
        + ARTICLE
        + "</p><p>The work starts in June, the council said.</p>"
        + "</article></body></html>"
    )
    resp = client.post(
        "/api/extract", json={"html": html, "url": "https://example.org/l"}
    )
    assert resp.status_code == 200, resp.text
    data = resp.json()
    assert data["id"] == "https://example.org/l"
    assert any("lighthouse" in q["content"] for q in data["quotes"])


def test_serve_extract_store_adds_to_bank(writable_client: TestClient) -> None:
    body = {"text": ARTICLE, "published": "2025-05-06", "id": "lighthouse"}
    first = writable_client.post("/api/extract?store=true", json=body).json()
    assert first["stored"] is True
    article = writable_client.get("/api/articles/lighthouse").json()
    assert article["text"] == ARTICLE
    assert len(article["quotes"]) == len(first["quotes"]) >= 1
    again = writable_client.post("/api/extract?store=true", json=body).json()
    assert again["stored"] is False
    assert quotes(writable_client, q="lighthouse")["total"] >= 1


def test_serve_extract_read_only_refuses_store(demo_db: str) -> None:
    app = create_app(ServeSettings(db=demo_db, allow_store=False))
    with TestClient(app) as c:
        resp = c.post("/api/extract?store=true", json={"text": ARTICLE})
    assert resp.status_code == 403
    assert "read-only" in resp.json()["error"]["message"]


# -- HTTP hygiene ----------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/api/quotes", "/article/demo-bridge-closure"])
def test_serve_sets_strict_csp(client: TestClient, path: str) -> None:
    resp = client.get(path)
    csp = resp.headers["content-security-policy"]
    assert "default-src 'none'" in csp
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp
    assert resp.headers["x-content-type-options"] == "nosniff"


def test_serve_no_cors_by_default(client: TestClient) -> None:
    resp = client.get("/api/quotes", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in resp.headers
    pre = client.options(
        "/api/quotes",
        headers={
            "Origin": "https://evil.example",
            "Access-Control-Request-Method": "GET",
        },
    )
    assert "access-control-allow-origin" not in pre.headers


def test_serve_cors_when_asked(demo_db: str) -> None:
    settings = ServeSettings(db=demo_db, cors_origins=("https://ok.example",))
    with TestClient(create_app(settings)) as c:
        resp = c.get("/api/quotes", headers={"Origin": "https://ok.example"})
    assert resp.headers["access-control-allow-origin"] == "https://ok.example"


def test_serve_openapi_docs(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    for path in (
        "/api/quotes",
        "/api/speakers",
        "/api/speakers/{speaker_id}",
        "/api/articles/{article_id}",
        "/api/flags",
        "/api/extract",
    ):
        assert path in spec["paths"], path
    docs = client.get("/docs")
    assert docs.status_code == 200
    assert "/openapi.json" in docs.text


def test_serve_docs_need_no_network(client: TestClient) -> None:
    docs = client.get("/docs")
    assert docs.status_code == 200
    assert docs.headers["content-type"].startswith("text/html")
    # nothing is loaded from another site: every URL in the page is ours
    assert re.findall(r"https?://", docs.text) == []
    assets = re.findall(r'(?:src|href)="([^"]+)"', docs.text)
    assert set(assets) >= {"/static/swagger-ui-bundle.js", "/static/swagger-ui.css"}
    for url in assets:
        assert url.startswith("/static/"), url
        asset = client.get(url)
        assert asset.status_code == 200, url
        assert len(asset.content) > 0, url
    js = client.get("/static/swagger-ui-bundle.js")
    assert "javascript" in js.headers["content-type"]
    assert "SwaggerUIBundle" in js.text
    assert client.get("/static/swagger-ui.LICENSE").status_code == 200
    # the CSP lets only the page's own inline script run, by its hash
    csp = docs.headers["content-security-policy"]
    assert "default-src 'none'" in csp
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp
    assert "http" not in csp
    inline = re.findall(r"<script>(.*?)</script>", docs.text, re.DOTALL)
    assert len(inline) == 1
    digest = base64.b64encode(hashlib.sha256(inline[0].encode()).digest()).decode()
    assert f"'sha256-{digest}'" in csp


@pytest.mark.parametrize(
    "path",
    ["/", "/flags", "/article/demo-harbour-plan", "/speaker/tomas-lindqvist"],
)
def test_serve_pages_render(client: TestClient, path: str) -> None:
    resp = client.get(path)
    assert resp.status_code == 200
    assert resp.headers["content-type"].startswith("text/html")
    assert "<script>" not in resp.text


@pytest.mark.parametrize(
    "path", ["/article/no-such-article", "/speaker/no-such-speaker"]
)
def test_serve_missing_page_is_404_html(client: TestClient, path: str) -> None:
    resp = client.get(path)
    assert resp.status_code == 404
    assert resp.headers["content-type"].startswith("text/html")


def test_serve_page_escapes_ids_in_html(client: TestClient) -> None:
    resp = client.get('/speaker/"><img src=x onerror=alert(1)>')
    assert resp.status_code == 404
    assert "<img" not in resp.text
    assert "&lt;img src=x onerror=alert(1)&gt;" in resp.text


def test_serve_static_files(client: TestClient) -> None:
    for name in (
        "common.js",
        "search.js",
        "article.js",
        "speaker.js",
        "flags.js",
        "onrecord.css",
    ):
        assert client.get(f"/static/{name}").status_code == 200, name
    js = "".join(
        client.get(f"/static/{n}").text
        for n in ("common.js", "search.js", "article.js", "speaker.js", "flags.js")
    )
    # article text must never be parsed as HTML
    for sink in (
        "innerHTML",
        "outerHTML",
        "insertAdjacentHTML",
        "document.write",
        "eval(",
    ):
        assert sink not in js, sink


# -- the command -----------------------------------------------------------------


def test_serve_cli_help() -> None:
    result = CliRunner().invoke(serve, ["--help"])
    assert result.exit_code == 0
    for option in ("--db", "--host", "--port", "--demo", "--read-only", "--max-body"):
        assert option in result.output


def test_serve_cli_missing_bank_is_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(serve, ["--db", str(tmp_path / "none.db")])
    assert result.exit_code == 2
    assert "--demo" in result.output


def test_serve_cli_missing_extra(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    real = importlib.util.find_spec

    def fake(name: str, *args: Any, **kwargs: Any) -> Any:
        return None if name == "fastapi" else real(name, *args, **kwargs)

    monkeypatch.setattr(importlib.util, "find_spec", fake)
    result = CliRunner().invoke(serve, ["--db", str(tmp_path / "x.db"), "--demo"])
    assert result.exit_code == 1
    assert "OR301" in result.output
    assert "pip install 'onrecord[serve]'" in result.output


def test_serve_cli_runs_the_server(tmp_path: Path) -> None:
    """`onrecord serve --db PATH --demo --host 127.0.0.1 --port N`, end to end."""
    import subprocess
    import sys
    import time

    import httpx

    from onrecord.serve._thread import free_port

    db = str(tmp_path / "cli.db")
    port = free_port()
    cmd = [sys.executable, "-c", "from onrecord.cli import cli; cli()", "serve"]
    cmd += ["--db", db, "--demo", "--host", "127.0.0.1", "--port", str(port)]
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
            try:
                resp = httpx.get(f"http://127.0.0.1:{port}/api/quotes?q=quays")
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "onrecord serve did not start"
                time.sleep(0.2)
        assert resp.status_code == 200
        assert resp.json()["total"] == 2
        page = httpx.get(f"http://127.0.0.1:{port}/article/demo-harbour-plan")
        assert page.status_code == 200
    finally:
        proc.terminate()
        proc.wait(10)


def test_serve_cli_demo_leaves_a_real_bank_alone(tmp_path: Path) -> None:
    db = str(tmp_path / "real.db")
    with open_bank(db) as bank:
        bank.add_result(demo_results()[0])
    assert build_demo_bank(db, only_if_empty=True) == 0
    assert build_demo_bank(db) == len(demo_results()) - 1


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("::1", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("192.168.1.4", False),
        ("example.org", False),
    ],
)
def test_serve_is_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback
