"""Readers for one file or stream each: text, HTML, JSONL, WARC and CSV."""

from __future__ import annotations

import contextlib
import csv
import gzip
import io
import json
import zlib
from collections.abc import Iterator
from typing import IO, Any

from onrecord.io._base import (
    RAW_FACTOR,
    InputFailure,
    ReadOptions,
    decode_bytes,
    logger,
    make_article,
)
from onrecord.types import Article

Item = Article | InputFailure

_GZIP_ERRORS = (OSError, EOFError, zlib.error)


def _read_limited(fh: IO[bytes], limit: int) -> tuple[bytes, bool]:
    """Read at most ``limit`` bytes; say whether more was left."""
    data = fh.read(limit + 1)
    return data[:limit], len(data) > limit


def read_text_stream(
    fh: IO[bytes], *, id: str, source: str, opts: ReadOptions
) -> Iterator[Item]:
    """One plain-text article from a byte stream."""
    data, more = _read_limited(fh, opts.max_bytes)
    if more:
        yield InputFailure(id, source, f"too large (> {opts.max_bytes} bytes of text)")
        return
    text, note = decode_bytes(data)
    if text is None:
        yield InputFailure(id, source, note)
        return
    if note != "utf-8":
        logger.warning("%s: not UTF-8, decoded as %s", source, note)
    yield make_article(id=id, source=source, text=text, opts=opts)


def html_to_article(
    data: bytes | str,
    *,
    id: str,
    source: str,
    opts: ReadOptions,
    url: str | None = None,
    charset: str | None = None,
    published: str | None = None,
) -> Item:
    """The main text of an HTML page, via trafilatura, as an article."""
    if isinstance(data, bytes):
        html, note = decode_bytes(data, hint=charset)
        if html is None:
            return InputFailure(id, source, note)
    else:
        html = data
    if not html.strip():
        return InputFailure(id, source, "empty")
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(
            html, url=url, with_metadata=True, include_comments=False, fast=True
        )
    except Exception as exc:  # noqa: BLE001 - a bad page must not stop the batch
        return InputFailure(id, source, f"HTML could not be parsed ({exc!r:.100})")
    text = getattr(doc, "text", None) if doc is not None else None
    title = getattr(doc, "title", None) if doc is not None else None
    date = getattr(doc, "date", None) if doc is not None else None
    if not text:
        # trafilatura drops short pages; keep their visible text if there is any
        try:
            text = trafilatura.html2txt(html)
        except Exception:  # noqa: BLE001
            text = ""
    if not text or not text.strip():
        return InputFailure(id, source, "HTML has no main text (no body or empty)")
    return make_article(
        id=id,
        source=source,
        text=text,
        opts=opts,
        url=url or (getattr(doc, "url", None) if doc is not None else None),
        title=title,
        published=published or date,
    )


def read_html_stream(
    fh: IO[bytes], *, id: str, source: str, opts: ReadOptions
) -> Iterator[Item]:
    """One article from an HTML page."""
    limit = opts.max_bytes * RAW_FACTOR
    data, more = _read_limited(fh, limit)
    if more:
        yield InputFailure(id, source, f"too large (HTML > {limit} bytes)")
        return
    yield html_to_article(data, id=id, source=source, opts=opts)


def _lines(fh: IO[bytes], limit: int) -> Iterator[tuple[int, bytes | None]]:
    """Numbered lines; ``None`` for a line longer than ``limit`` (skipped)."""
    lineno = 0
    while True:
        line = fh.readline(limit + 1)
        if not line:
            return
        lineno += 1
        if len(line) > limit and not line.endswith(b"\n"):
            while True:  # drain the rest of the oversized line
                rest = fh.readline(1 << 20)
                if not rest or rest.endswith(b"\n"):
                    break
            yield lineno, None
            continue
        yield lineno, line


def _opt_str(value: Any) -> str | None:
    if value is None or value == "":
        return None
    return str(value)


def _record_to_item(
    record: Any, *, fallback_id: str, source: str, opts: ReadOptions
) -> Item:
    if not isinstance(record, dict):
        return InputFailure(fallback_id, source, "JSON line is not an object")
    rid = _opt_str(record.get("id")) or fallback_id
    text = record.get("text")
    published = _opt_str(record.get("published") or record.get("date"))
    url = _opt_str(record.get("url"))
    title = _opt_str(record.get("title"))
    if text is None and isinstance(record.get("html"), str):
        return html_to_article(
            record["html"],
            id=rid,
            source=source,
            opts=opts,
            url=url,
            published=published,
        )
    if not isinstance(text, str):
        got = "missing" if text is None else type(text).__name__
        return InputFailure(rid, source, f"no 'text' string in JSON line ({got})")
    return make_article(
        id=rid,
        source=source,
        text=text,
        opts=opts,
        published=published,
        url=url,
        title=title,
    )


def read_jsonl_stream(
    fh: IO[bytes], *, source: str, opts: ReadOptions
) -> Iterator[Item]:
    """Articles from JSON lines ``{"id", "text", "published"?, "url"?, "title"?}``."""
    limit = opts.max_bytes * 4 + 4096
    lineno = 0
    try:
        for lineno, line in _lines(fh, limit):
            fallback_id = f"{source}:{lineno}"
            if line is None:
                yield InputFailure(
                    fallback_id, source, f"too large (line > {limit} bytes)"
                )
                continue
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except (ValueError, RecursionError) as exc:
                yield InputFailure(
                    fallback_id, source, f"malformed JSON line {lineno}: {exc!s:.80}"
                )
                continue
            yield _record_to_item(
                record, fallback_id=fallback_id, source=source, opts=opts
            )
    except _GZIP_ERRORS as exc:
        yield InputFailure(
            f"{source}:{lineno + 1}",
            source,
            f"corrupt or truncated file after line {lineno}: {exc!s:.80}",
        )


def read_warc_stream(
    fh: IO[bytes], *, source: str, opts: ReadOptions
) -> Iterator[Item]:
    """Articles from the HTML response records of a WARC file (plain or gzipped)."""
    from warcio.archiveiterator import ArchiveIterator

    limit = opts.max_bytes * RAW_FACTOR
    n = 0
    try:
        for record in ArchiveIterator(fh):
            if record.rec_type not in ("response", "resource"):
                continue
            n += 1
            uri = record.rec_headers.get_header("WARC-Target-URI")
            rid = (
                uri
                or record.rec_headers.get_header("WARC-Record-ID")
                or f"{source}#{n}"
            )
            ctype = ""
            if record.http_headers is not None:
                status = record.http_headers.get_statuscode() or "200"
                if not status.startswith("2"):
                    logger.debug("%s: skipping %s (HTTP %s)", source, rid, status)
                    continue
                ctype = record.http_headers.get_header("Content-Type") or ""
            else:
                ctype = record.rec_headers.get_header("Content-Type") or ""
            if "html" not in ctype.lower():
                continue
            charset = None
            if "charset=" in ctype.lower():
                charset = (
                    ctype.lower().split("charset=", 1)[1].split(";")[0].strip(" \"'")
                )
            data, more = _read_limited(record.content_stream(), limit)
            if more:
                yield InputFailure(rid, source, f"too large (HTML > {limit} bytes)")
                continue
            yield html_to_article(
                data, id=rid, source=source, opts=opts, url=uri, charset=charset
            )
    except Exception as exc:  # noqa: BLE001 - warcio raises many kinds on bad input
        yield InputFailure(
            f"{source}#{n + 1}",
            source,
            f"corrupt WARC after record {n}: {exc!s:.100}",
        )


def read_csv_stream(
    fh: IO[bytes], *, source: str, opts: ReadOptions, delimiter: str = ","
) -> Iterator[Item]:
    """Articles from a CSV with a text column; id, published, url, title optional."""
    csv.field_size_limit(max(opts.max_bytes * 4, 1 << 20))
    text_fh = io.TextIOWrapper(fh, encoding="utf-8-sig", errors="replace", newline="")
    rowno = 0
    try:
        reader = csv.DictReader(text_fh, delimiter=delimiter)
        fields = reader.fieldnames or []
        if opts.text_column not in fields:
            yield InputFailure(
                source,
                source,
                f"no {opts.text_column!r} column in CSV (columns: "
                f"{', '.join(fields) or 'none'})",
            )
            return
        for rowno, row in enumerate(reader, start=1):
            rid = _opt_str(row.get("id")) or f"{source}:{rowno}"
            yield make_article(
                id=rid,
                source=source,
                text=row.get(opts.text_column) or "",
                opts=opts,
                published=_opt_str(row.get("published") or row.get("date")),
                url=_opt_str(row.get("url")),
                title=_opt_str(row.get("title")),
            )
    except (csv.Error, *_GZIP_ERRORS) as exc:
        yield InputFailure(
            f"{source}:{rowno + 1}", source, f"bad CSV after row {rowno}: {exc!s:.100}"
        )
    finally:
        with contextlib.suppress(Exception):
            text_fh.detach()


def gunzip(fh: IO[bytes]) -> IO[bytes]:
    """A decompressing view of a gzip stream."""
    return gzip.GzipFile(fileobj=fh, mode="rb")  # type: ignore[return-value]
