"""The web page in a real browser: Chromium (Debian's package) driven by Playwright.

The server runs in-process in a thread on a free loopback port, over a real
SQLite bank holding the fictional demo articles plus one hostile article.
Screenshots of each page go to ``artifacts/screenshots/`` (gitignored).

Run ``scripts/chromium.sh`` first. Without Chromium these tests skip, except
in CI (env ``CI`` set), where they must run.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi")

from onrecord.serve import ServeSettings, create_app  # noqa: E402
from onrecord.serve._demo import DemoQuote, annotate, build_demo_bank  # noqa: E402
from onrecord.serve._thread import ServerThread  # noqa: E402
from onrecord.store import open_bank  # noqa: E402
from onrecord.types import Flag  # noqa: E402

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("ONRECORD_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts" / "screenshots"

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
HOSTILE_ID = "hostile-article"
HOSTILE_TEXT = (
    f"A reader wrote to the Port Halden Courier: {SCRIPT} and then {IMG} twice.\n\n"
    f"\u201cI typed {SCRIPT} into the form,\u201d said Mallory {IMG} Quinn. "
    f"The mayor's office said it had seen {IMG} before."
)


def hostile_result() -> Any:
    return annotate(
        HOSTILE_ID,
        HOSTILE_TEXT,
        [
            DemoQuote(
                f"I typed {SCRIPT} into the form",
                f"Mallory {IMG} Quinn",
                f"Mallory {IMG} Quinn",
                "said",
                flags=(
                    Flag(
                        kind="misattribution",
                        evidence=f"evidence {SCRIPT}",
                        likely_speaker=f"Eve {IMG}",
                        score=0.5,
                    ),
                ),
            ),
            DemoQuote(
                f"it had seen {IMG} before",
                "Port Halden mayor's office",
                "The mayor's office",
                "said",
                kind="indirect",
                speaker_type="organisation",
                flags=(
                    Flag(
                        kind="altered_wording",
                        evidence=SCRIPT,
                        original=f"it had never seen {SCRIPT}",
                        other_article=HOSTILE_ID,
                        score=0.6,
                    ),
                ),
            ),
        ],
        published="2025-03-21",
        title=f"Hostile {SCRIPT} title {IMG}",
        url="javascript:alert(1)",
    )


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerThread]:
    db = str(tmp_path_factory.mktemp("browser") / "browser.db")
    build_demo_bank(db)
    with open_bank(db) as bank:
        assert bank.add_result(hostile_result())
    with ServerThread(create_app(ServeSettings(db=db))) as srv:
        yield srv


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(
                f"{CHROMIUM} is missing in CI: scripts/chromium.sh must install it"
            )
        pytest.skip(f"{CHROMIUM} not installed (run scripts/chromium.sh)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


class Watch:
    """Dialogs (alert = script ran), page errors and console errors of one page."""

    def __init__(self, page: Any) -> None:
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        page.on("dialog", self._dialog)
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        page.on(
            "console",
            lambda msg: self.errors.append(msg.text) if msg.type == "error" else None,
        )

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(10_000)
    pg.watch = Watch(pg)
    yield pg
    context.close()


def open_page(page: Any, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("body[data-ready]")
    assert page.get_attribute("body", "data-ready") == "true", page.inner_text("main")


def shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_serve_browser_search_returns_article_quotes(
    page: Any, server: ServerThread
) -> None:
    open_page(page, server.url + "/")
    page.fill("#q", "quays")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"\?q=quays"))
    page.wait_for_selector("body[data-ready='true']")
    results = page.locator("#results > li")
    assert results.count() == 2
    texts = results.all_inner_texts()
    assert any("two hundred years" in t for t in texts)
    assert any("three hundred years" in t for t in texts)
    assert "2 quotes" in page.inner_text("#status")
    shot(page, "search")
    # each result links to its article, anchored on the quote
    link = page.locator("#results a.article-link").first
    assert re.match(r"^/article/demo-[a-z-]+#q\d+$", link.get_attribute("href") or "")
    link.click()
    page.wait_for_selector("body[data-ready='true']")
    assert "/article/demo-" in page.url
    assert page.locator(".article-text .q.active").count() >= 1
    assert page.watch.dialogs == []
    assert page.watch.errors == []


def test_serve_browser_search_by_speaker_and_dates(
    page: Any, server: ServerThread
) -> None:
    open_page(page, server.url + "/?speaker=Marrow&since=2025-03-10&until=2025-03-31")
    results = page.locator("#results > li")
    assert results.count() == 2
    assert page.input_value("#speaker") == "Marrow"
    assert page.input_value("#since") == "2025-03-10"
    hrefs = page.locator("#results a.article-link").evaluate_all(
        "els => els.map(e => e.getAttribute('href'))"
    )
    assert {h.split("#")[0] for h in hrefs} == {
        "/article/demo-bridge-update",
        "/article/demo-ferry-extra",
    }


def test_serve_browser_article_flags_misattribution(
    page: Any, server: ServerThread
) -> None:
    open_page(page, server.url + "/article/demo-council-budget")
    # at a glance: a banner, a dashed red quote and an inline badge
    banner = page.locator("#flag-banner")
    assert banner.is_visible()
    assert "wrong speaker" in banner.inner_text()
    flagged = page.locator(".article-text .q.misattributed")
    assert flagged.count() >= 1
    assert "Borrowing now is cheaper" in flagged.first.inner_text()
    assert page.locator(".article-text .badge-misattribution").is_visible()
    # the quote that is not flagged is highlighted but not marked
    plain = page.locator(".article-text .q:not(.flagged)")
    assert "This budget hides" in " ".join(plain.all_inner_texts())
    # each speaker has its own colour
    colours = page.locator(".article-text .q").evaluate_all(
        "els => els.map(e => e.style.getPropertyValue('--c'))"
    )
    assert len(set(colours)) == 2
    # speaker mention and cue are marked
    assert "Okafor" in page.locator(".article-text .s").all_inner_texts()
    assert "told" in page.locator(".article-text .c").all_inner_texts()
    # hovering shows the details, with the flag and the likely speaker
    flagged.first.hover()
    page.wait_for_function("document.querySelector('#details blockquote')")
    details = page.inner_text("#details")
    for expected in (
        "Dev Okafor",
        "direct",
        "said",
        "2025-03-06",
        "41%",
        "possibly misattributed",
        "Ilse Marrow",
    ):
        assert expected in details, expected
    shot(page, "article-flagged")
    # selecting the other quote by keyboard shows its own details
    page.locator(".article-text .q[tabindex='0']").nth(2).focus()
    assert "Halden Courier" in page.inner_text("#details")
    shot(page, "article")
    assert page.watch.errors == []


def test_serve_browser_speaker_chart(page: Any, server: ServerThread) -> None:
    open_page(page, server.url + "/speaker/ilse-marrow")
    assert page.inner_text("#speaker-name") == "Ilse Marrow"
    aliases = page.locator("#aliases li").all_inner_texts()
    assert "Marrow" in aliases
    chart = page.locator("#chart svg.timeline")
    assert chart.count() == 1
    bars = page.locator("#chart svg.timeline rect.bar")
    days = {
        b.get_attribute("data-day"): int(b.get_attribute("data-count") or 0)
        for b in bars.all()
    }
    assert days["2025-03-03"] == 3
    assert sum(days.values()) == 6
    assert bars.count() == len(days) >= 3  # the days between are drawn, as zeros
    box = chart.bounding_box()
    assert box is not None
    assert box["width"] > 300
    assert box["height"] > 80
    tall = page.locator("#chart rect.bar[data-day='2025-03-03']").bounding_box()
    assert tall is not None
    assert tall["height"] > 20
    assert page.locator("#quotes > li").count() == 6
    shot(page, "speaker")
    assert page.watch.errors == []


def test_serve_browser_flags_side_by_side_diff(page: Any, server: ServerThread) -> None:
    open_page(page, server.url + "/flags?kind=altered_wording")
    card = page.locator(".flag-card").filter(has_text="quays")
    assert card.count() == 1
    assert card.locator(".diff-old del").all_inner_texts() == ["two"]
    assert "three" in card.locator(".diff-new ins").all_inner_texts()
    open_page(page, server.url + "/flags?kind=conflicting_attribution")
    card = page.locator(".flag-card").first
    speakers = card.locator(".speaker-diff").all_inner_texts()
    assert speakers == ["Renata Szabo", "Ilse Marrow"]
    open_page(page, server.url + "/flags")
    assert page.locator(".flag-card").count() >= 4
    shot(page, "flags")
    assert page.watch.errors == []


def test_serve_browser_docs_render_without_network(
    page: Any, server: ServerThread
) -> None:
    # Swagger UI comes from the package: no request may leave the server
    requests: list[str] = []
    page.on("request", lambda req: requests.append(req.url))
    page.route(
        re.compile(r"^(?!" + re.escape(server.url) + r"/|data:).*"),
        lambda route: route.abort(),
    )
    page.goto(server.url + "/docs")
    page.wait_for_selector(".opblock-summary-path")
    paths = page.locator(".opblock-summary-path").evaluate_all(
        "els => els.map(e => e.getAttribute('data-path'))"
    )
    for path in ("/api/quotes", "/api/speakers/{speaker_id}", "/api/extract"):
        assert path in paths, path
    assert "onrecord" in page.inner_text(".info .title")
    # an operation opens (the UI's own scripts run under the CSP)
    page.locator(".opblock-summary-path[data-path='/api/quotes']").click()
    page.wait_for_selector(".opblock.is-open .parameters")
    assert "speaker" in page.inner_text(".opblock.is-open .parameters")
    shot(page, "docs")
    external = [u for u in requests if not u.startswith((server.url + "/", "data:"))]
    assert external == []
    assert page.watch.errors == []  # CSP violations are console errors


@pytest.mark.parametrize(
    "path",
    [
        f"/article/{HOSTILE_ID}",
        "/?q=typed",
        "/?q=" + SCRIPT,
        "/flags",
        "speaker:Mallory",
    ],
)
def test_serve_browser_article_text_is_never_html(
    page: Any, server: ServerThread, path: str
) -> None:
    if path.startswith("speaker:"):
        import httpx

        found = httpx.get(
            server.url + "/api/speakers", params={"q": path.split(":", 1)[1]}
        ).json()["results"]
        assert len(found) == 1
        path = "/speaker/" + found[0]["id"]
    open_page(page, server.url + path)
    page.wait_for_timeout(300)  # give an injected handler (onerror) time to fire
    assert page.watch.dialogs == [], "a script from the article ran"
    # nothing from the article became an element
    assert page.locator("main img").count() == 0
    assert page.locator("main script").count() == 0
    assert page.evaluate("() => document.querySelectorAll('[onerror]').length") == 0
    body = page.inner_text("main")
    if path.startswith(("/article/", "/speaker/")) or "typed" in path:
        assert SCRIPT in body
        assert IMG.strip() in body
    if path.startswith("/article/"):
        assert page.locator("#article-text").inner_text() == HOSTILE_TEXT
        assert page.inner_text("#article-title") == f"Hostile {SCRIPT} title {IMG}"
        # the javascript: URL is not linked
        assert page.locator("#article-url").get_attribute("href") in (None, "#")
        page.locator(".article-text .q").first.hover()
        assert f"Eve {IMG}" in page.inner_text("#details")
        assert page.watch.dialogs == []
        shot(page, "hostile-article")
    assert page.watch.errors == []
