"""Readers: every input format, bad inputs as failures, never an exception."""

from __future__ import annotations

import csv
import gzip
import io
import json
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from onrecord.io import InputFailure, ReadOptions, format_of, read_inputs
from onrecord.io._files import (
    read_csv_stream,
    read_html_stream,
    read_jsonl_stream,
    read_text_stream,
    read_warc_stream,
)
from onrecord.types import Article

# Fictional text written for these tests.
STORY = (
    "The harbour committee met on Tuesday. \u201cWe will rebuild the pier before "
    "winter,\u201d said Mara Quill, the committee chair. She added that the "
    "town had set aside money for the work."
)
HTML = f"""<!doctype html><html><head><title>Pier plan</title>
<meta property="article:published_time" content="2021-06-01"></head>
<body><nav>Home | About</nav><article><h1>Pier plan</h1>
<p>{STORY}</p><p>{STORY}</p></article><footer>Contact us</footer></body></html>"""


def _all(paths: list[str | Path], **kw: object) -> list[Article | InputFailure]:
    return list(read_inputs(paths, **kw))  # type: ignore[arg-type]


def _write_warc(path: Path, pages: list[tuple[str, str, str]]) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=path.suffix == ".gz")
        for uri, ctype, body in pages:
            headers = StatusAndHeaders(
                "200 OK", [("Content-Type", ctype)], protocol="HTTP/1.0"
            )
            record = writer.create_warc_record(
                uri, "response", payload=io.BytesIO(body.encode()), http_headers=headers
            )
            writer.write_record(record)


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("a.txt", "text"),
        ("a.HTML", "html"),
        ("a.htm", "html"),
        ("a.jsonl", "jsonl"),
        ("a.jsonl.gz", "jsonl"),
        ("a.warc.gz", "warc"),
        ("a.warc", "warc"),
        ("a.csv", "csv"),
        ("a.bin", None),
    ],
)
def test_io_format_of_suffix(name: str, fmt: str | None) -> None:
    assert format_of(name) == fmt


def test_io_text_file(tmp_path: Path) -> None:
    p = tmp_path / "story.txt"
    p.write_text(STORY, encoding="utf-8")
    [item] = _all([p], published="2021-06-02")
    assert isinstance(item, Article)
    assert item.text == STORY
    assert item.id == str(p)
    assert item.published == "2021-06-02"


def test_io_text_cp1252_decoded(tmp_path: Path) -> None:
    p = tmp_path / "old.txt"
    p.write_bytes(
        ("Caf\u00e9 owners said the r\u00e9gime of fees " + STORY).encode("cp1252")
    )
    [item] = _all([p])
    assert isinstance(item, Article)
    assert "owners said" in item.text


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"   \n\t ", "empty"),
        (b"abc\x00def", "binary"),
        (bytes(range(256)) * 4, "binary"),
        ("\u4f60\u597d\u4e16\u754c " * 60, "wrong language"),
        (
            " ".join(["lorem", "ipsum", "dolor", "sitam", "consectetur"] * 20),
            "wrong language",
        ),
    ],
)
def test_io_text_bad_inputs(tmp_path: Path, data: bytes | str, reason: str) -> None:
    p = tmp_path / "bad.txt"
    p.write_bytes(data.encode() if isinstance(data, str) else data)
    [item] = _all([p])
    assert isinstance(item, InputFailure)
    assert reason in item.reason
    assert item.source == str(p)


def test_io_too_large(tmp_path: Path) -> None:
    p = tmp_path / "big.txt"
    p.write_text(STORY * 10, encoding="utf-8")
    [item] = _all([p], options=ReadOptions(max_bytes=100))
    assert isinstance(item, InputFailure)
    assert "too large" in item.reason


def test_io_language_check_can_be_off(tmp_path: Path) -> None:
    p = tmp_path / "zh.txt"
    p.write_text("\u4f60\u597d\u4e16\u754c " * 60, encoding="utf-8")
    [item] = _all([p], options=ReadOptions(language=None))
    assert isinstance(item, Article)


def test_io_html_main_text(tmp_path: Path) -> None:
    p = tmp_path / "page.html"
    p.write_text(HTML, encoding="utf-8")
    [item] = _all([p])
    assert isinstance(item, Article)
    assert "Mara Quill" in item.text
    assert "Contact us" not in item.text
    assert item.title == "Pier plan"
    assert item.published == "2021-06-01"


@pytest.mark.parametrize(
    "html",
    ["<html><head><title>Nothing</title></head></html>", "<html><body></body></html>"],
)
def test_io_html_without_body_fails(tmp_path: Path, html: str) -> None:
    p = tmp_path / "empty.html"
    p.write_text(html, encoding="utf-8")
    [item] = _all([p])
    assert isinstance(item, InputFailure)
    assert "no main text" in item.reason or "empty" in item.reason


@pytest.mark.parametrize("gz", [False, True])
def test_io_jsonl(tmp_path: Path, gz: bool) -> None:
    lines = [
        json.dumps({"id": "a1", "text": STORY, "published": "2021-01-02", "url": "u"}),
        "{not json",
        json.dumps({"id": "a3"}),
        json.dumps([1, 2]),
        "",
        json.dumps({"id": 4, "text": STORY, "title": "T"}),
        json.dumps({"text": STORY}),
    ]
    raw = ("\n".join(lines) + "\n").encode()
    p = tmp_path / ("in.jsonl.gz" if gz else "in.jsonl")
    p.write_bytes(gzip.compress(raw) if gz else raw)
    items = _all([p])
    assert [type(i).__name__ for i in items] == [
        "Article",
        "InputFailure",
        "InputFailure",
        "InputFailure",
        "Article",
        "Article",
    ]
    a1, bad, a3, arr, a4, a7 = items
    assert isinstance(a1, Article)
    assert a1.published == "2021-01-02"
    assert a1.url == "u"
    assert isinstance(bad, InputFailure)
    assert "malformed JSON line 2" in bad.reason
    assert bad.id == f"{p}:2"
    assert isinstance(a3, InputFailure)
    assert a3.id == "a3"
    assert "'text'" in a3.reason
    assert isinstance(arr, InputFailure)
    assert "not an object" in arr.reason
    assert isinstance(a4, Article)
    assert a4.id == "4"
    assert a4.title == "T"
    assert isinstance(a7, Article)
    assert a7.id == f"{p}:7"


def test_io_jsonl_truncated_gzip(tmp_path: Path) -> None:
    raw = "".join(json.dumps({"id": f"x{i}", "text": STORY}) + "\n" for i in range(200))
    data = gzip.compress(raw.encode())
    p = tmp_path / "cut.jsonl.gz"
    p.write_bytes(data[: len(data) // 2])
    items = _all([p])
    assert isinstance(items[-1], InputFailure)
    assert "truncated" in items[-1].reason or "corrupt" in items[-1].reason
    assert all(isinstance(i, Article) for i in items[:-1])


def test_io_jsonl_oversized_line_skipped(tmp_path: Path) -> None:
    p = tmp_path / "big.jsonl"
    big = json.dumps({"id": "big", "text": "word " * 5000})
    ok = json.dumps({"id": "ok", "text": STORY})
    p.write_text(big + "\n" + ok + "\n", encoding="utf-8")
    items = _all([p], options=ReadOptions(max_bytes=1000))
    assert isinstance(items[0], InputFailure)
    assert "too large" in items[0].reason
    assert isinstance(items[1], Article)
    assert items[1].id == "ok"


@pytest.mark.parametrize("name", ["crawl.warc", "crawl.warc.gz"])
def test_io_warc(tmp_path: Path, name: str) -> None:
    p = tmp_path / name
    _write_warc(
        p,
        [
            ("http://example.org/pier", "text/html; charset=utf-8", HTML),
            ("http://example.org/logo.png", "image/png", "PNGDATA"),
            ("http://example.org/empty", "text/html", "<html></html>"),
        ],
    )
    items = _all([p])
    assert len(items) == 2
    page, empty = items
    assert isinstance(page, Article)
    assert page.id == page.url == "http://example.org/pier"
    assert "Mara Quill" in page.text
    assert isinstance(empty, InputFailure)


def test_io_csv(tmp_path: Path) -> None:
    p = tmp_path / "a.csv"
    with open(p, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "published", "text"])
        w.writerow(["c1", "2020-02-02", STORY])
        w.writerow(["c2", "", ""])
        w.writerow(["", "", STORY])
    c1, c2, c3 = _all([p])
    assert isinstance(c1, Article)
    assert c1.id == "c1"
    assert c1.published == "2020-02-02"
    assert isinstance(c2, InputFailure)
    assert c2.reason == "empty"
    assert isinstance(c3, Article)
    assert c3.id == f"{p}:3"


def test_io_csv_without_text_column(tmp_path: Path) -> None:
    p = tmp_path / "a.csv"
    p.write_text("id,body\n1,hello\n", encoding="utf-8")
    [item] = _all([p])
    assert isinstance(item, InputFailure)
    assert "no 'text' column" in item.reason


def test_io_directory_recursive_sorted(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "a").mkdir()
    (tmp_path / "b" / "2.txt").write_text(STORY)
    (tmp_path / "a" / "1.html").write_text(HTML)
    (tmp_path / "a" / "z.txt").write_text(STORY)
    (tmp_path / "a" / "skip.png").write_bytes(b"\x89PNG")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "3.txt").write_text(STORY)
    ids = [i.id for i in _all([tmp_path])]
    assert ids == [
        str(tmp_path / "a" / "1.html"),
        str(tmp_path / "a" / "z.txt"),
        str(tmp_path / "b" / "2.txt"),
    ]


def test_io_missing_path(tmp_path: Path) -> None:
    [item] = _all([tmp_path / "nope.txt"])
    assert isinstance(item, InputFailure)
    assert "no such file" in item.reason


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (STORY.encode(), "text"),
        (HTML.encode(), "html"),
        ((json.dumps({"id": "s1", "text": STORY}) + "\n").encode(), "jsonl"),
        (
            gzip.compress((json.dumps({"id": "s1", "text": STORY}) + "\n").encode()),
            "jsonl",
        ),
    ],
)
def test_io_stdin_sniffed(
    monkeypatch: pytest.MonkeyPatch, data: bytes, expected: str
) -> None:
    fake = io.TextIOWrapper(io.BufferedReader(io.BytesIO(data)))  # type: ignore[arg-type]
    monkeypatch.setattr(sys, "stdin", fake)
    [item] = _all(["-"])
    assert isinstance(item, Article)
    assert "Mara Quill" in item.text
    assert item.id == ("s1" if expected == "jsonl" else "-")


_READERS = [
    lambda fh: read_text_stream(fh, id="x", source="x", opts=ReadOptions()),
    lambda fh: read_html_stream(fh, id="x", source="x", opts=ReadOptions()),
    lambda fh: read_jsonl_stream(fh, source="x", opts=ReadOptions()),
    lambda fh: read_warc_stream(fh, source="x", opts=ReadOptions()),
    lambda fh: read_csv_stream(fh, source="x", opts=ReadOptions()),
]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=2000), which=st.integers(0, len(_READERS) - 1))
def test_io_bad_bytes_never_raise(data: bytes, which: int) -> None:
    for item in _READERS[which](io.BytesIO(data)):
        assert isinstance(item, Article | InputFailure)
        if isinstance(item, Article):
            item.text.encode("utf-8")  # always valid text
            assert item.text.strip()


@settings(max_examples=40, deadline=None)
@given(text=st.text(max_size=500))
def test_io_text_round_trip_or_reason(text: str) -> None:
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:
        return
    [item] = read_text_stream(io.BytesIO(data), id="t", source="t", opts=ReadOptions())
    if isinstance(item, Article):
        assert item.text == text.removeprefix("\ufeff")
    else:
        assert item.reason


@settings(max_examples=40, deadline=None)
@given(
    lines=st.lists(
        st.one_of(
            st.binary(max_size=80),
            st.dictionaries(
                st.sampled_from(["id", "text", "url", "published"]),
                st.one_of(st.none(), st.integers(), st.text(max_size=40)),
            ),
        ),
        max_size=8,
    )
)
def test_io_jsonl_lines_never_raise(lines: list[bytes | dict[str, object]]) -> None:
    raw = b"\n".join(
        json.dumps(x).encode() if isinstance(x, dict) else x.replace(b"\n", b" ")
        for x in lines
    )
    for item in read_jsonl_stream(io.BytesIO(raw), source="s", opts=ReadOptions()):
        assert isinstance(item, Article | InputFailure)
