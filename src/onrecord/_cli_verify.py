"""CLI adapter for the verify stage: ``onrecord verify``.

``onrecord verify FILE...`` extracts quotes (with the in-article checks), then
checks the batch against itself in publication order; ``--db PATH`` checks
against a quote bank as well (read only). ``onrecord verify --db PATH`` with no
files checks every quote already in the bank against the bank.
"""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Iterator
from typing import Any

import click

from onrecord._cli_extract import exit_code, results_of
from onrecord.errors import OnrecordError
from onrecord.types import Article, Flag, Quote

FORMATS = ("table", "json", "jsonl")


def _open_bank(db: str) -> Any:
    try:
        from onrecord.store import is_postgres_url, open_bank
    except ImportError as exc:  # pragma: no cover - store ships with onrecord
        raise click.ClickException(f"the quote bank is not available: {exc}") from exc
    if not is_postgres_url(db) and not os.path.exists(db):
        raise click.ClickException(
            f"no quote bank at {db!r}; create one with:"
            f" onrecord ingest --db {db} FILE..."
        )
    return open_bank(db)


def _flag_rows(article: Article, quotes: tuple[Quote, ...]) -> Iterator[list[str]]:
    for q in quotes:
        for f in q.flags:
            yield [
                article.id,
                q.speaker or q.speaker_mention or "—",
                f.kind,
                f"{f.score:.2f}",
                _detail(f),
                " ".join(q.content.split())[:60],
            ]


def _detail(f: Flag) -> str:
    if f.likely_speaker:
        return f"likely: {f.likely_speaker}"
    if f.diff:
        return " ".join(f.diff.split())[:60]
    return f.other_article or ""


def _print_table(rows: list[list[str]], n_quotes: int, n_articles: int) -> None:
    header = ["article", "speaker", "flag", "score", "detail", "quote"]
    click.echo(f"{len(rows)} flag(s) on {n_quotes} quote(s) in {n_articles} article(s)")
    if not rows:
        return
    widths = [
        min(30, max(len(h), *(len(r[i]) for r in rows)))
        for i, h in enumerate(header[:-1])
    ]
    line = "  ".join(h.ljust(w) for h, w in zip(header[:-1], widths, strict=True))
    click.echo(line + "  " + header[-1])
    click.echo("-" * min(len(line) + 62, 160))
    for r in rows:
        cells = [c[:w].ljust(w) for c, w in zip(r[:-1], widths, strict=True)]
        cells[2] = click.style(cells[2], fg="red", bold=True)
        click.echo("  ".join(cells) + "  " + r[-1])


def _check_bank(db: str, fmt: str) -> None:
    """Check every quote in the bank against the bank (streamed)."""
    from onrecord.verify import check_quote, lsh_keys

    bank = _open_bank(db)
    rows: list[list[str]] = []
    found: list[dict[str, Any]] = []
    n_quotes = 0
    articles: set[str] = set()
    try:
        for rec in bank.iter_quotes():
            n_quotes += 1
            articles.add(rec["article_id"])
            try:
                quote = Quote.from_dict(rec)
            except (KeyError, TypeError, ValueError):
                continue  # a row this version cannot read is not a finding
            art = Article(
                rec["article_id"], "", rec.get("published"), rec.get("article_url")
            )
            keys = lsh_keys(quote.content)
            flags = check_quote(quote, art, bank.candidates(keys)) if keys else ()
            if not flags:
                continue
            rows.extend(_flag_rows(art, (dataclasses.replace(quote, flags=flags),)))
            record = {
                "article_id": art.id,
                "quote_id": rec.get("quote_id"),
                "published": art.published,
                "speaker": quote.speaker,
                "content": quote.content,
                "flags": [f.to_dict() for f in flags],
            }
            if fmt == "jsonl":
                click.echo(json.dumps(record, ensure_ascii=False))
            else:
                found.append(record)
    except OnrecordError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        bank.close()
    if fmt == "json":
        click.echo(json.dumps(found, ensure_ascii=False, indent=2))
    elif fmt == "table":
        _print_table(rows, n_quotes, len(articles))


@click.command()
@click.argument("inputs", nargs=-1)
@click.option(
    "--db",
    metavar="PATH",
    help="Quote bank (SQLite path or postgresql:// URL) to check against; "
    "without INPUTS, check the bank itself. The bank is never written.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="table",
    show_default=True,
    help="table: one row per flag; jsonl/json: one record per article "
    "(as `onrecord extract`), or per flagged quote with --db alone.",
)
@click.option(
    "--published",
    metavar="DATE",
    help="Publication date (YYYY-MM-DD) for inputs without one.",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Worker processes for extraction.",
)
def verify(
    inputs: tuple[str, ...],
    db: str | None,
    fmt: str,
    published: str | None,
    workers: int,
) -> None:
    """Flag misattributed and altered quotes.

    Extracts quotes from INPUTS (files, directories, .jsonl batches, - for
    stdin) with the in-article checks, then compares every quote with the
    earlier ones of the batch (by publication date) and, with --db, with the
    quote bank: conflicting attribution, altered wording, truncation and
    splicing. Flags carry evidence, the likely speaker or the original words.
    """
    if not inputs and not db:
        raise click.UsageError(
            "give INPUT files to verify, or --db PATH to check a bank"
        )
    if not inputs:
        assert db is not None
        _check_bank(db, fmt)
        return
    from onrecord.verify import LayeredIndex, MemoryIndex, QuoteIndex, verify_results

    bank = _open_bank(db) if db else None
    try:
        index: QuoteIndex = LayeredIndex(bank) if bank is not None else MemoryIndex()
        results = verify_results(
            list(results_of(inputs, published, workers)), index=index
        )
    except OnrecordError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        if bank is not None:
            bank.close()
    n_failed = sum(1 for r in results if r.error)
    for r in results:
        if r.error:
            click.echo(f"onrecord: {r.article.id}: {r.error}", err=True)
    if fmt == "jsonl":
        for r in results:
            click.echo(json.dumps(r.to_dict(), ensure_ascii=False))
    elif fmt == "json":
        click.echo(
            json.dumps([r.to_dict() for r in results], ensure_ascii=False, indent=2)
        )
    else:
        rows = [row for r in results for row in _flag_rows(r.article, r.quotes)]
        _print_table(rows, sum(len(r.quotes) for r in results), len(results))
    code = exit_code(len(results) - n_failed, n_failed)
    if code:
        raise SystemExit(code)


COMMANDS = [verify]
