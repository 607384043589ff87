"""CLI adapters for the core: ``onrecord extract`` and ``onrecord evaluate``."""

from __future__ import annotations

import csv
import io
import json
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click

from onrecord.errors import OnrecordError
from onrecord.types import Article, Result

FORMATS = ("table", "json", "jsonl", "csv")
CSV_FIELDS = [
    "article_id",
    "kind",
    "speaker",
    "speaker_mention",
    "cue",
    "content",
    "content_start",
    "content_end",
    "addressee",
    "medium",
    "said_on",
    "stance",
    "confidence",
    "flags",
]


def exit_code(n_ok: int, n_failed: int) -> int:
    """Batch exit code: 0 all ok, 1 some failed, 3 all failed."""
    if n_failed == 0:
        return 0
    return 3 if n_ok == 0 else 1


def results_of(
    paths: tuple[str, ...], published: str | None, workers: int
) -> Iterator[Result]:
    """Read and extract every input, streaming, in input order; unreadable inputs
    become results with an ``error`` (shared by ``extract`` and ``verify``)."""
    from onrecord._pipeline import extract_articles
    from onrecord.io import InputFailure, read_inputs

    failures: dict[int, Result] = {}
    order: list[int] = []

    def articles() -> Iterator[Article]:
        for n, item in enumerate(read_inputs(paths, published=published)):
            if isinstance(item, InputFailure):
                failures[n] = Result(Article(item.id, ""), (), item.reason)
                order.append(-n - 1)
            else:
                order.append(n)
                yield item

    # keep input order: failures are interleaved where they occurred
    it = extract_articles(articles(), n_process=workers)
    emitted = 0
    for res in it:
        while emitted < len(order) and order[emitted] < 0:
            yield failures.pop(-order[emitted] - 1)
            emitted += 1
        yield res
        emitted += 1
    while emitted < len(order):
        if order[emitted] < 0:
            yield failures.pop(-order[emitted] - 1)
        emitted += 1


def _table_rows(res: Result) -> list[list[str]]:
    rows = []
    for q in res.quotes:
        flags = ",".join(f.kind for f in q.flags)
        content = q.content.replace("\n", " ")
        rows.append(
            [
                q.speaker or "—",
                q.kind,
                q.cue or "—",
                q.said_on or "",
                f"{q.confidence:.2f}",
                flags,
                content[:70] + ("…" if len(content) > 70 else ""),
            ]
        )
    return rows


def _print_table(res: Result) -> None:
    header = ["speaker", "kind", "cue", "said on", "conf", "flags", "content"]
    rows = _table_rows(res)
    click.echo(
        click.style(f"# {res.article.id}", bold=True)
        + (f"  ({res.article.published})" if res.article.published else "")
    )
    if res.error:
        click.echo(f"  error: {res.error}")
        return
    if not rows:
        click.echo("  no quotes")
        return
    widths = [
        min(28, max(len(h), *(len(r[i]) for r in rows)))
        for i, h in enumerate(header[:-1])
    ]
    line = (
        "  ".join(h.ljust(w) for h, w in zip(header[:-1], widths, strict=False))
        + "  "
        + header[-1]
    )
    click.echo(line)
    click.echo("-" * min(len(line) + 60, 160))
    for r in rows:
        cells = [c[:w].ljust(w) for c, w in zip(r[:-1], widths, strict=False)]
        if r[5]:
            cells[5] = click.style(cells[5], fg="red", bold=True)
        click.echo("  ".join(cells) + "  " + r[-1])
    click.echo()


def _use_model(model: str | None) -> None:
    """--model: set ONRECORD_MODEL, so this process and its workers load it."""
    if model:
        os.environ["ONRECORD_MODEL"] = model


@click.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="table",
    show_default=True,
    help="Output format.",
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
    help="Worker processes.",
)
@click.option(
    "--model",
    metavar="NAME",
    help="spaCy pipeline: sm (the pinned small English package, default), fast "
    "(the distilled pipeline shipped with onrecord: a whole run about 1.5 times as "
    "fast, under a point less accurate), a package name or a path. "
    "Env: ONRECORD_MODEL.",
)
def extract(
    inputs: tuple[str, ...],
    fmt: str,
    published: str | None,
    workers: int,
    model: str | None,
) -> None:
    """Extract quotes and their speakers from articles.

    INPUTS are .txt, .html, .jsonl (one {"id","text","published"?,"url"?} per
    line), .warc.gz or .csv files, directories, or - for stdin.
    """
    _use_model(model)
    if published is not None:
        from onrecord.attribute.dates import parse_published

        if parse_published(published) is None:
            raise click.UsageError(
                f"--published: cannot read {published!r} as a date (use YYYY-MM-DD)"
            )
    n_ok = n_failed = 0
    all_results: list[dict[str, Any]] = []
    writer = None
    try:
        for res in results_of(inputs, published, workers):
            if res.error:
                n_failed += 1
                click.echo(f"onrecord: {res.article.id}: {res.error}", err=True)
            else:
                n_ok += 1
            if fmt == "table":
                _print_table(res)
            elif fmt == "jsonl":
                click.echo(json.dumps(res.to_dict(), ensure_ascii=False))
            elif fmt == "json":
                all_results.append(res.to_dict())
            else:
                if writer is None:
                    writer = csv.DictWriter(sys.stdout, fieldnames=CSV_FIELDS)
                    writer.writeheader()
                for q in res.quotes:
                    writer.writerow(
                        {
                            "article_id": res.article.id,
                            "kind": q.kind,
                            "speaker": q.speaker,
                            "speaker_mention": q.speaker_mention,
                            "cue": q.cue,
                            "content": q.content,
                            "content_start": q.content_span[0],
                            "content_end": q.content_span[1],
                            "addressee": q.addressee,
                            "medium": q.medium,
                            "said_on": q.said_on,
                            "stance": q.stance,
                            "confidence": q.confidence,
                            "flags": ";".join(f.kind for f in q.flags),
                        }
                    )
    except OnrecordError as exc:
        raise click.ClickException(str(exc)) from exc
    if fmt == "json":
        if len(all_results) == 1:
            click.echo(json.dumps(all_results[0], ensure_ascii=False, indent=2))
        else:
            quotes = [
                dict(q, article_id=r["id"]) for r in all_results for q in r["quotes"]
            ]
            click.echo(
                json.dumps(
                    {"articles": all_results, "quotes": quotes},
                    ensure_ascii=False,
                    indent=2,
                )
            )
    sys.exit(exit_code(n_ok, n_failed))


def _read_jsonl(path: str) -> list[dict[str, Any]]:
    rows = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if line.strip():
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError as exc:
                    raise click.ClickException(
                        f"{path}:{n}: not JSON ({exc.msg})"
                    ) from exc
    return rows


@click.command()
@click.argument("gold", type=click.Path(exists=True, dir_okay=False))
@click.argument(
    "predicted", type=click.Path(exists=True, dir_okay=False), required=False
)
@click.option(
    "--resolved",
    type=click.Path(exists=True, dir_okay=False),
    help="dev.resolved.jsonl: who each gold speaker mention refers to.",
)
@click.option(
    "--errors",
    "n_errors",
    type=int,
    default=0,
    show_default=True,
    help="List up to N errors of each kind (missed, spurious, wrong speaker).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True)
@click.option(
    "--save",
    type=click.Path(dir_okay=False),
    help="Write the predictions made to this JSONL.",
)
@click.option(
    "--model",
    metavar="NAME",
    help="spaCy pipeline: sm (the pinned small English package, default), fast "
    "(the distilled pipeline shipped with onrecord: a whole run about 1.5 times as "
    "fast, under a point less accurate), a package name or a path. "
    "Env: ONRECORD_MODEL.",
)
def evaluate(
    gold: str,
    predicted: str | None,
    resolved: str | None,
    n_errors: int,
    as_json: bool,
    workers: int,
    save: str | None,
    model: str | None,
) -> None:
    """Score PREDICTED quotes against GOLD (the metric of PolNeAR's README).

    Without PREDICTED, onrecord runs on the gold articles' texts first.
    """
    _use_model(model)
    from onrecord._pipeline import extract_articles
    from onrecord.evaluate import evaluate as score
    from onrecord.evaluate import format_table

    gold_rows = _read_jsonl(gold)
    if resolved is None:
        cand = Path(gold).with_name(Path(gold).stem + ".resolved.jsonl")
        resolved = str(cand) if cand.exists() else None
    res_map = None
    if resolved:
        res_map = {(r["id"], int(r["i"])): r for r in _read_jsonl(resolved)}
    extra: dict[str, float] = {}
    if predicted:
        preds = {r["id"]: r for r in _read_jsonl(predicted)}
    else:
        arts = [
            Article(r["id"], r["text"], r.get("published"), r.get("url"))
            for r in gold_rows
        ]
        t0 = time.perf_counter()
        preds = {
            r.article.id: r.to_dict() for r in extract_articles(arts, n_process=workers)
        }
        secs = time.perf_counter() - t0
        words = sum(len(a.text.split()) for a in arts)
        extra = {"words_per_second": words / secs, "seconds": secs}
        if save:
            with open(save, "w", encoding="utf-8") as fh:
                for r in gold_rows:
                    fh.write(json.dumps(preds[r["id"]], ensure_ascii=False) + "\n")
    sc = score(gold_rows, preds, resolved=res_map, keep_errors=n_errors)
    summary = {
        **sc.summary(),
        **extra,
        "failed_articles": sum(1 for v in preds.values() if v.get("error")),
    }
    if as_json:
        click.echo(
            json.dumps(
                {"scores": summary, "errors": sc.errors}, indent=2, ensure_ascii=False
            )
        )
        return
    failed = [k for k, v in preds.items() if v.get("error")]
    click.echo(format_table({"onrecord": summary}))
    click.echo(
        f"gold quotes {sc.n_gold}, predicted {sc.n_pred}, "
        f"articles that failed {len(failed)}"
    )
    for k in failed[:5]:
        click.echo(f"  failed: {k}: {preds[k]['error']}", err=True)
    if sc.errors:
        buf = io.StringIO()
        for e in sc.errors:
            buf.write(json.dumps(e, ensure_ascii=False) + "\n")
        click.echo("\nworst errors:\n" + buf.getvalue())


COMMANDS = [extract, evaluate]
