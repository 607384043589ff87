"""``read_inputs``: paths, directories and stdin to a stream of articles."""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any

from onrecord.io._base import InputFailure, ReadOptions, logger
from onrecord.io._files import (
    Item,
    gunzip,
    read_csv_stream,
    read_html_stream,
    read_jsonl_stream,
    read_text_stream,
    read_warc_stream,
)
from onrecord.types import Article

FORMATS = ("text", "html", "jsonl", "warc", "csv", "tsv")

_SUFFIXES: dict[str, str] = {
    ".txt": "text",
    ".text": "text",
    ".md": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".jsonl.gz": "jsonl",
    ".ndjson.gz": "jsonl",
    ".warc": "warc",
    ".warc.gz": "warc",
    ".csv": "csv",
    ".csv.gz": "csv",
    ".tsv": "tsv",
    ".tsv.gz": "tsv",
}


def format_of(path: str | os.PathLike[str]) -> str | None:
    """The reader format for a file name, from its suffix, or ``None``."""
    name = os.fspath(path).lower()
    for suffix in sorted(_SUFFIXES, key=len, reverse=True):
        if name.endswith(suffix):
            return _SUFFIXES[suffix]
    return None


def read_inputs(
    paths: Iterable[str | os.PathLike[str]],
    *,
    published: str | None = None,
    options: ReadOptions | None = None,
) -> Iterator[Article | InputFailure]:
    """Read articles from files, directories and stdin, lazily and in order.

    Supports ``.txt``, ``.html``/``.htm`` (main text via trafilatura),
    ``.jsonl``/``.jsonl.gz`` (``{"id", "text", "published"?, "url"?,
    "title"?}``), ``.warc``/``.warc.gz`` (HTML responses), ``.csv`` (a
    ``text`` column), directories (recursive, sorted; files of those types)
    and ``"-"`` for stdin (format sniffed). Never raises for a bad input: it
    yields an :class:`InputFailure` with the reason instead.

    Args:
        paths: Files, directories or ``"-"``.
        published: Publication date for articles that carry none.
        options: Limits and choices (:class:`ReadOptions`).

    Yields:
        One :class:`Article` or :class:`InputFailure` per article.
    """
    opts = options or ReadOptions()
    if published is not None:
        opts = ReadOptions(
            published=published,
            max_bytes=opts.max_bytes,
            text_column=opts.text_column,
            language=opts.language,
        )
    for raw in paths:
        path = os.fspath(raw)
        if path == "-":
            yield from _read_stdin(opts)
        elif os.path.isdir(path):
            for file in _walk(path):
                yield from _read_file(file, format_of(file) or "text", opts)
        elif os.path.exists(path):
            yield from _read_file(path, format_of(path) or _sniff_file(path), opts)
        else:
            yield InputFailure(path, path, "no such file or directory")


def _walk(root: str) -> Iterator[str]:
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            full = os.path.join(dirpath, name)
            if format_of(full) is None:
                logger.debug("skipping %s (unknown file type)", full)
                continue
            yield full


def _sniff_file(path: str) -> str:
    try:
        with open(path, "rb") as fh:
            head = fh.read(4096)
    except OSError:
        return "text"
    return _sniff(head)


def _sniff(head: bytes) -> str:
    start = head.lstrip()[:512].lower()
    if start.startswith(b"warc/"):
        return "warc"
    if start.startswith(b"{"):
        return "jsonl"
    if start.startswith(b"<"):
        return "html"
    return "text"


def _reader(
    fmt: str, *, id: str, source: str, opts: ReadOptions
) -> Callable[[IO[bytes]], Iterator[Item]]:
    if fmt == "html":
        return lambda fh: read_html_stream(fh, id=id, source=source, opts=opts)
    if fmt == "jsonl":
        return lambda fh: read_jsonl_stream(fh, source=source, opts=opts)
    if fmt == "warc":
        # warcio detects and decompresses gzip members itself
        return lambda fh: read_warc_stream(fh, source=source, opts=opts)
    if fmt in ("csv", "tsv"):
        delimiter = "\t" if fmt == "tsv" else ","
        return lambda fh: read_csv_stream(
            fh, source=source, opts=opts, delimiter=delimiter
        )
    return lambda fh: read_text_stream(fh, id=id, source=source, opts=opts)


def _read_file(path: str, fmt: str, opts: ReadOptions) -> Iterator[Item]:
    try:
        fh: IO[bytes] = open(path, "rb")  # noqa: SIM115 - closed below
    except OSError as exc:
        yield InputFailure(path, path, f"cannot open: {exc.strerror or exc}")
        return
    try:
        stream = fh
        if path.lower().endswith(".gz") and fmt != "warc":
            stream = gunzip(fh)
        try:
            yield from _reader(fmt, id=path, source=path, opts=opts)(stream)
        except OSError as exc:  # unreadable or corrupt compressed file
            yield InputFailure(path, path, f"cannot read: {exc!s:.100}")
    finally:
        fh.close()


def _read_stdin(opts: ReadOptions) -> Iterator[Item]:
    raw: Any = getattr(sys.stdin, "buffer", sys.stdin)
    stream: Any = raw if hasattr(raw, "peek") else io.BufferedReader(raw)
    head: bytes = stream.peek(4096)[:4096]
    if head[:2] == b"\x1f\x8b":
        stream = io.BufferedReader(gunzip(stream))
        try:
            head = stream.peek(4096)[:4096]
        except OSError as exc:
            yield InputFailure("-", "-", f"corrupt gzip on stdin: {exc!s:.100}")
            return
    fmt = _sniff(head)
    yield from _reader(fmt, id="-", source="-", opts=opts)(stream)
