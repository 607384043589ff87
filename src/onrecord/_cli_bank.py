"""CLI adapters for the quote bank: ``ingest``, ``export`` and ``search``."""

from __future__ import annotations

import csv
import json
import logging
import os
import re
import sys
from collections.abc import Iterable, Iterator
from typing import IO, Any

import click

from onrecord.errors import OnrecordError
from onrecord.types import FLAG_KINDS

DEFAULT_DB = "onrecord.db"
EXPORT_FORMATS = ("jsonl", "csv", "parquet")
SEARCH_FORMATS = ("table", "jsonl")
EXPORT_FIELDS = (
    "quote_id",
    "article_id",
    "article_url",
    "article_title",
    "published",
    "index",
    "kind",
    "content",
    "content_span",
    "content_fragments",
    "cue",
    "cue_span",
    "speaker",
    "speaker_id",
    "speaker_mention",
    "speaker_span",
    "speaker_type",
    "addressee",
    "medium",
    "said_on",
    "date_text",
    "stance",
    "confidence",
    "rule",
    "flags",
)
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def _check_date(ctx: click.Context, param: click.Parameter, value: str | None) -> Any:
    if value is not None and not _DATE.match(value):
        raise click.BadParameter(
            f"{value!r} is not a date; use YYYY-MM-DD, YYYY-MM or YYYY", ctx, param
        )
    return value


def _setup_logging() -> None:
    log = logging.getLogger("onrecord")
    if not log.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)


def _open_existing(db: str) -> Any:
    from onrecord.store import is_postgres_url, open_bank

    if not is_postgres_url(db) and not os.path.exists(db):
        raise click.ClickException(
            f"no quote bank at {db!r}; create one with:"
            f" onrecord ingest --db {db} FILE..."
        )
    return open_bank(db)


db_option = click.option(
    "--db",
    default=DEFAULT_DB,
    show_default=True,
    help="Quote bank: a SQLite file path or a postgresql:// URL.",
)


@click.command()
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option(
    "--db",
    default=None,
    help="Quote bank: a SQLite file path or a postgresql:// URL."
    "  [default: onrecord.db]",
)
@click.option(
    "--workers",
    "-w",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Extraction processes (each loads the spaCy pipeline once).",
)
@click.option(
    "--batch-size",
    type=click.IntRange(min=1),
    default=16,
    show_default=True,
    help="Articles per parser batch.",
)
@click.option(
    "--engine",
    type=click.Choice(["local", "ray"]),
    default="local",
    show_default=True,
    help="local: processes on this machine;"
    " ray: Ray Data (pip install 'onrecord[ray]').",
)
@click.option(
    "--parquet",
    type=click.Path(file_okay=False),
    default=None,
    help="With --engine ray: write Parquet shards here (alone, or as well as --db).",
)
@click.option(
    "--published",
    callback=_check_date,
    help="Publication date for articles that carry none (YYYY-MM-DD).",
)
@click.option(
    "--max-bytes",
    type=click.IntRange(min=1),
    default=10_000_000,
    show_default=True,
    help="Largest article text accepted; larger ones are recorded as errors.",
)
@click.option(
    "--text-column", default="text", show_default=True, help="CSV column with the text."
)
@click.option(
    "--any-language", is_flag=True, help="Do not reject articles that are not English."
)
@click.option("--no-verify", is_flag=True, help="Skip the cross-article checks.")
@click.option(
    "--progress/--no-progress",
    default=None,
    help="Progress bar (default: on a terminal; log lines to stderr otherwise).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
def ingest(
    paths: tuple[str, ...],
    db: str | None,
    workers: int,
    batch_size: int,
    engine: str,
    parquet: str | None,
    published: str | None,
    max_bytes: int,
    text_column: str,
    any_language: bool,
    no_verify: bool,
    progress: bool | None,
    as_json: bool,
) -> None:
    """Extract the quotes of every article in PATH... into the quote bank.

    PATH is a .txt, .html, .jsonl(.gz), .warc(.gz) or .csv file, a directory
    of them, or - for stdin. Resumable: articles already stored are skipped,
    so rerunning after an interruption stores each article exactly once. Bad
    articles are recorded in the bank's errors table with the reason.

    Exit status: 0 all stored, 1 some failed, 3 all failed.
    """
    from onrecord.io import ReadOptions
    from onrecord.run import IngestOptions
    from onrecord.run import ingest as run_ingest
    from onrecord.store import open_bank

    _setup_logging()
    if parquet and engine != "ray":
        raise click.UsageError("--parquet needs --engine ray")
    write_bank = db is not None or not parquet
    options = IngestOptions(
        workers=workers,
        batch_size=batch_size,
        verify=not no_verify,
        read=ReadOptions(
            published=published,
            max_bytes=max_bytes,
            text_column=text_column,
            language=None if any_language else "en",
        ),
        progress=progress,
        engine=engine,
        parquet=parquet,
        write_bank=write_bank,
    )
    try:
        if engine == "ray":
            from onrecord.run._ray import import_ray

            import_ray()
        bank = open_bank(db or DEFAULT_DB) if write_bank else None
        try:
            report = run_ingest(list(paths), bank, options=options)
        finally:
            if bank is not None:
                bank.close()
    except OnrecordError as exc:
        raise click.ClickException(str(exc)) from exc
    summary = report.to_dict()
    if as_json:
        click.echo(json.dumps(summary))
    else:
        click.echo(
            f"{report.seen} articles: {report.stored} stored, {report.skipped} already"
            f" stored, {report.failed} failed; {report.quotes} quotes"
            f" ({report.rate:.1f} articles/s)"
        )
    sys.exit(report.exit_code)


def _flat(value: Any) -> Any:
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def write_records(
    records: Iterable[dict[str, Any]], fmt: str, out: IO[str] | None, path: str | None
) -> int:
    """Write quote records as JSONL, CSV or Parquet; return how many."""
    n = 0
    if fmt == "parquet":
        if not path:
            raise click.UsageError("--format parquet needs --output FILE")
        return _write_parquet(records, path)
    assert out is not None
    if fmt == "jsonl":
        for r in records:
            out.write(
                json.dumps({k: r.get(k) for k in EXPORT_FIELDS}, ensure_ascii=False)
            )
            out.write("\n")
            n += 1
        return n
    writer = csv.DictWriter(out, fieldnames=list(EXPORT_FIELDS), extrasaction="ignore")
    writer.writeheader()
    for r in records:
        writer.writerow({k: _flat(r.get(k)) for k in EXPORT_FIELDS})
        n += 1
    return n


def _write_parquet(records: Iterable[dict[str, Any]], path: str) -> int:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise click.ClickException(
            "--format parquet needs pyarrow; install it with: "
            "pip install 'onrecord[parquet]'"
        ) from exc
    span = pa.list_(pa.int64())
    schema = pa.schema(
        [
            ("quote_id", pa.int64()),
            ("article_id", pa.string()),
            ("article_url", pa.string()),
            ("article_title", pa.string()),
            ("published", pa.string()),
            ("index", pa.int64()),
            ("kind", pa.string()),
            ("content", pa.string()),
            ("content_span", span),
            ("content_fragments", pa.list_(span)),
            ("cue", pa.string()),
            ("cue_span", span),
            ("speaker", pa.string()),
            ("speaker_id", pa.string()),
            ("speaker_mention", pa.string()),
            ("speaker_span", span),
            ("speaker_type", pa.string()),
            ("addressee", pa.string()),
            ("medium", pa.string()),
            ("said_on", pa.string()),
            ("date_text", pa.string()),
            ("stance", pa.string()),
            ("confidence", pa.float64()),
            ("rule", pa.string()),
            ("flags", pa.string()),  # JSON list of flag objects
        ]
    )
    n = 0
    with pq.ParquetWriter(path, schema) as writer:
        for chunk in _chunks(records, 5000):
            rows = [
                {
                    **{k: r.get(k) for k in EXPORT_FIELDS},
                    "flags": json.dumps(r["flags"]),
                }
                for r in chunk
            ]
            writer.write_table(pa.Table.from_pylist(rows, schema=schema))
            n += len(rows)
    return n


def _chunks(it: Iterable[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    buf: list[dict[str, Any]] = []
    for x in it:
        buf.append(x)
        if len(buf) >= size:
            yield buf
            buf = []
    if buf:
        yield buf


@click.command()
@db_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(EXPORT_FORMATS),
    default="jsonl",
    show_default=True,
    help="Output format: one record per quote.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, writable=True),
    default=None,
    help="Output file (default: stdout; required for parquet).",
)
def export(db: str, fmt: str, output: str | None) -> None:
    """Export every quote in the bank, one record per quote.

    Each record has the quote's text and spans, speaker and speaker id,
    article id, URL and date, when it was said, confidence and flags.
    """
    try:
        bank = _open_existing(db)
        try:
            if fmt == "parquet":
                n = write_records(bank.iter_quotes(), fmt, None, output)
            elif output:
                with open(output, "w", encoding="utf-8", newline="") as fh:
                    n = write_records(bank.iter_quotes(), fmt, fh, None)
            else:
                n = write_records(bank.iter_quotes(), fmt, sys.stdout, None)
        finally:
            bank.close()
    except OnrecordError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"exported {n} quotes", err=True)


def _table(rows: list[dict[str, Any]], out: IO[str]) -> None:
    if not rows:
        out.write("no quotes found\n")
        return
    for r in rows:
        day = (r.get("said_on") or r.get("published") or "")[:10]
        who = (r.get("speaker") or "(unknown)")[:24]
        flags = ",".join(f["kind"] for f in r.get("flags") or [])
        text = " ".join((r.get("content") or "").split())
        if len(text) > 90:
            text = text[:89] + "\u2026"
        out.write(f"{day:<10}  {who:<24}  {text}")
        out.write(f"  [{flags}]\n" if flags else "\n")
        out.write(f"{'':<10}  {'':<24}  \u2014 {r['article_id']}\n")


@click.command()
@click.argument("words", nargs=-1)
@db_option
@click.option("--speaker", help="Speaker id, name, alias or surname.")
@click.option("--since", callback=_check_date, help="First day (YYYY[-MM[-DD]]).")
@click.option("--until", callback=_check_date, help="Last day, inclusive.")
@click.option(
    "--flag",
    type=click.Choice([*FLAG_KINDS, "any"]),
    default=None,
    help="Only quotes with this verification flag.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(SEARCH_FORMATS),
    default="table",
    show_default=True,
)
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True)
@click.option("--offset", type=click.IntRange(min=0), default=0, show_default=True)
@click.option("--count", is_flag=True, help="Print only the number of matches.")
def search(
    words: tuple[str, ...],
    db: str,
    speaker: str | None,
    since: str | None,
    until: str | None,
    flag: str | None,
    fmt: str,
    limit: int,
    offset: int,
    count: bool,
) -> None:
    """Find quotes containing WORDS (all of them; "quoted phrases" too).

    Matches the quote text and the speaker's name, best match first (most
    recently stored first when more than 5,000 quotes match); with no WORDS,
    newest first. Filter by speaker and by the day the quote was said (or,
    when unknown, the article's publication date).
    """
    q = " ".join(words) or None
    try:
        bank = _open_existing(db)
        try:
            if count:
                n = bank.count_quotes(
                    q, speaker=speaker, since=since, until=until, flag=flag
                )
                click.echo(str(n))
                return
            rows = bank.search_quotes(
                q,
                speaker=speaker,
                since=since,
                until=until,
                flag=flag,
                limit=limit,
                offset=offset,
            )
        finally:
            bank.close()
    except OnrecordError as exc:
        raise click.ClickException(str(exc)) from exc
    if fmt == "jsonl":
        write_records(rows, "jsonl", sys.stdout, None)
    else:
        _table(rows, sys.stdout)


COMMANDS = [ingest, export, search]
