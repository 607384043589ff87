"""Progress: a tqdm bar on a terminal, plain log lines to stderr otherwise."""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Iterable
from typing import Any

from onrecord.io import format_of

logger = logging.getLogger("onrecord.run")


def count_inputs(paths: Iterable[str]) -> int | None:
    """A quick count of the articles in the inputs, or ``None`` if unknown.

    Counts lines of JSONL, rows of CSV (approximately: lines) and files in
    directories; WARC files and stdin make the total unknown.
    """
    total = 0
    for path in paths:
        if path == "-":
            return None
        files = [path]
        if os.path.isdir(path):
            files = [
                os.path.join(d, f)
                for d, _, names in os.walk(path)
                for f in names
                if not f.startswith(".") and format_of(f)
            ]
        for f in files:
            fmt = format_of(f) or "text"
            if fmt == "warc":
                return None
            if fmt in ("jsonl", "csv", "tsv"):
                n = _count_lines(f)
                if n is None:
                    return None
                total += max(n - (1 if fmt != "jsonl" else 0), 0)
            else:
                total += 1
    return total


def _count_lines(path: str) -> int | None:
    import gzip

    opener: Any = gzip.open if path.lower().endswith(".gz") else open
    try:
        n = 0
        with opener(path, "rb") as fh:
            while chunk := fh.read(1 << 20):
                n += chunk.count(b"\n")
        return n
    except (OSError, EOFError):
        return None


class Progress:
    """Articles seen, quotes stored, articles/s and ETA.

    Args:
        total: Expected number of articles, if known.
        enabled: ``True`` for a bar, ``False`` for none, ``None`` for a bar on
            a terminal and log lines otherwise.
        every: Seconds between log lines when not on a terminal.
    """

    def __init__(
        self, total: int | None, *, enabled: bool | None = None, every: float = 10.0
    ) -> None:
        self.total = total
        self.start = time.monotonic()
        self.last_log = self.start
        self.every = every
        self.articles = 0
        self.quotes = 0
        self.stored = 0
        self.skipped = 0
        self.failed = 0
        self.bar: Any = None
        self.log_lines = False
        tty = sys.stderr.isatty()
        if enabled is None:
            enabled = tty
            self.log_lines = not tty
        if enabled:
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="art", smoothing=0.1, file=sys.stderr)

    def update(
        self,
        *,
        articles: int = 0,
        quotes: int = 0,
        stored: int = 0,
        skipped: int = 0,
        failed: int = 0,
    ) -> None:
        self.articles += articles
        self.quotes += quotes
        self.stored += stored
        self.skipped += skipped
        self.failed += failed
        if self.bar is not None:
            self.bar.update(articles)
            self.bar.set_postfix(
                quotes=self.quotes,
                stored=self.stored,
                failed=self.failed,
                refresh=False,
            )
        elif self.log_lines:
            now = time.monotonic()
            if now - self.last_log >= self.every:
                self.last_log = now
                logger.info(self.line())

    @property
    def rate(self) -> float:
        elapsed = time.monotonic() - self.start
        return self.articles / elapsed if elapsed > 0 else 0.0

    def line(self) -> str:
        """``ingest: 120/1000 articles, 950 quotes, 3.1 articles/s, ETA 4m44s``."""
        done = f"{self.articles}/{self.total}" if self.total else f"{self.articles}"
        text = (
            f"ingest: {done} articles ({self.stored} stored, {self.skipped} already"
            f" stored, {self.failed} failed), {self.quotes} quotes,"
            f" {self.rate:.1f} articles/s"
        )
        if self.total and self.rate > 0:
            left = max(self.total - self.articles, 0) / self.rate
            text += f", ETA {int(left // 60)}m{int(left % 60):02d}s"
        return text

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
