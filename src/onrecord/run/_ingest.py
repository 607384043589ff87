"""Resumable corpus ingestion into the quote bank, on one machine.

Inputs are streamed (:func:`onrecord.io.read_inputs`); articles already in
the bank with the same text are skipped before extraction; each article is
written in its own transaction by this process alone. Killing the run at any
point and starting it again therefore stores every article exactly once.
"""

from __future__ import annotations

import itertools
import logging
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from onrecord.io import InputFailure, ReadOptions, content_hash, read_inputs
from onrecord.store import QuoteBank
from onrecord.types import Article, Quote, Result

logger = logging.getLogger("onrecord.run")

ENGINES = ("local", "ray")


@dataclass(frozen=True, slots=True)
class IngestOptions:
    """Options of :func:`ingest`.

    Attributes:
        workers: Extraction processes (1: in this process).
        batch_size: Articles per parser batch (and per worker task).
        verify: Cross-article checks against the bank (in-article checks
            always run as part of extraction).
        read: Reader options (size limit, language, CSV column, date).
        progress: ``True`` bar, ``False`` nothing, ``None`` bar on a terminal
            and log lines otherwise.
        engine: ``local`` (processes) or ``ray`` (Ray Data).
        parquet: Directory for Parquet shards (Ray engine), or ``None``.
        write_bank: Write results to the bank (the Ray engine can write
            Parquet only).
    """

    workers: int = 1
    batch_size: int = 16
    verify: bool = True
    read: ReadOptions = field(default_factory=ReadOptions)
    progress: bool | None = None
    engine: str = "local"
    parquet: str | None = None
    write_bank: bool = True


@dataclass(slots=True)
class IngestReport:
    """What a run did."""

    seen: int = 0
    stored: int = 0
    skipped: int = 0
    failed: int = 0
    quotes: int = 0
    seconds: float = 0.0

    @property
    def rate(self) -> float:
        """Articles per second over the whole run."""
        return self.seen / self.seconds if self.seconds > 0 else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "seen": self.seen,
            "stored": self.stored,
            "skipped": self.skipped,
            "failed": self.failed,
            "quotes": self.quotes,
            "seconds": round(self.seconds, 3),
            "articles_per_s": round(self.rate, 3),
        }

    @property
    def exit_code(self) -> int:
        """0 all ok, 1 some failed, 3 all failed (STYLE.md §4)."""
        if self.failed and self.failed >= self.seen:
            return 3
        return 1 if self.failed else 0


class _BankIndex:
    """The bank as a QuoteIndex for ``verify_results``, counting what it stores."""

    def __init__(self, bank: QuoteBank) -> None:
        self.bank = bank
        self.stored: list[Result] = []

    def candidates(self, keys: Sequence[int]) -> list[Any]:
        return self.bank.candidates(keys)

    def candidates_many(self, keys_list: Sequence[Sequence[int]]) -> list[list[Any]]:
        return self.bank.candidates_many(keys_list)

    def add(self, article: Article, quotes: Sequence[Quote]) -> None:
        result = Result(article=article, quotes=tuple(quotes))
        if self.bank.add_result(result):
            self.stored.append(result)


def _verifier() -> Any:
    try:
        from onrecord.verify import verify_results
    except ImportError:
        logger.warning("onrecord.verify is not available: no cross-article checks")
        return None
    return verify_results


def write_results(
    bank: QuoteBank,
    results: Iterable[Result],
    report: IngestReport,
    progress: Any,
    *,
    verify: bool = True,
    batch_size: int = 16,
) -> None:
    """Verify results across articles against the bank and store them.

    Results are taken ``batch_size`` at a time; failed ones go to the errors
    table. Updates ``report`` and ``progress`` as it goes.
    """
    verify_results = _verifier() if verify else None
    it = iter(results)
    while batch := list(itertools.islice(it, batch_size)):
        ok = [r for r in batch if not r.error]
        stored: list[Result]
        with bank.batch_writes():
            for r in batch:
                if r.error:
                    bank.add_error(r.article.id, "", r.error)
            if verify_results is not None and ok:
                index = _BankIndex(bank)
                verify_results(ok, index=index)
                stored = index.stored
            else:
                stored = [r for r in ok if bank.add_result(r)]
        n_failed = len(batch) - len(ok)
        n_quotes = sum(len(r.quotes) for r in stored)
        report.stored += len(stored)
        report.skipped += len(ok) - len(stored)
        report.failed += n_failed
        report.quotes += n_quotes
        progress.update(
            articles=len(batch),
            quotes=n_quotes,
            stored=len(stored),
            skipped=len(ok) - len(stored),
            failed=n_failed,
        )


def pending_articles(
    items: Iterable[Article | InputFailure],
    bank: QuoteBank | None,
    report: IngestReport,
    progress: Any,
) -> Iterator[Article]:
    """Articles not yet in the bank; input failures recorded on the way."""
    for item in items:
        report.seen += 1
        if isinstance(item, InputFailure):
            if bank is not None:
                bank.add_error(item.id, item.source, item.reason)
            report.failed += 1
            progress.update(articles=1, failed=1)
            continue
        if bank is not None and bank.has_article(item.id, content_hash(item.text)):
            report.skipped += 1
            progress.update(articles=1, skipped=1)
            continue
        yield item


def ingest(
    paths: Sequence[str],
    bank: QuoteBank | None,
    *,
    options: IngestOptions | None = None,
) -> IngestReport:
    """Extract quotes from every article of the inputs into the quote bank.

    Args:
        paths: Files, directories or ``-`` (see :func:`onrecord.io.read_inputs`).
        bank: An open quote bank (``None`` only for the Ray engine writing
            Parquet alone).
        options: Workers, batch size, engine, progress...

    Returns:
        Counts of what was seen, stored, skipped and failed.

    Raises:
        MissingExtra: ``engine="ray"`` without Ray installed.
        WorkerDied: A worker process died; rerun to resume.
    """
    from onrecord.run._progress import Progress, count_inputs

    opts = options or IngestOptions()
    started = time.monotonic()
    report = IngestReport()
    total = count_inputs(paths) if opts.progress is not False else None
    progress = Progress(total, enabled=opts.progress)
    try:
        if bank is not None:
            filled = bank.backfill_keys()
            if filled:
                logger.info("added match keys to %d earlier quotes", filled)
        if opts.engine == "ray":
            from onrecord.run._ray import ingest_ray

            ingest_ray(paths, bank, opts, report, progress)
        else:
            assert bank is not None
            todo = pending_articles(
                read_inputs(paths, options=opts.read), bank, report, progress
            )
            results = _extract(todo, opts)
            write_results(
                bank,
                results,
                report,
                progress,
                verify=opts.verify,
                batch_size=opts.batch_size,
            )
    finally:
        progress.close()
        report.seconds = time.monotonic() - started
    logger.info(
        "ingest done: %d articles seen, %d stored, %d already stored, %d failed,"
        " %d quotes, %.1f articles/s",
        report.seen,
        report.stored,
        report.skipped,
        report.failed,
        report.quotes,
        report.rate,
    )
    return report


def _extract(articles: Iterable[Article], opts: IngestOptions) -> Iterator[Result]:
    from onrecord import Options, extract_articles

    options = Options(verify=True)
    if opts.workers <= 1:
        return extract_articles(articles, batch_size=opts.batch_size, options=options)
    from onrecord.run._parallel import extract_parallel

    return extract_parallel(
        articles, workers=opts.workers, batch_size=opts.batch_size, options=options
    )
