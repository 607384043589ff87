"""The bank commands: ingest, export, search (CliRunner), on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import json
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from onrecord._cli_bank import COMMANDS, export, ingest, search
from onrecord.store import open_bank
from onrecord.types import Article, Flag, Quote, Result

REQUIRED = (
    "article_id", "content", "content_span", "kind", "speaker", "speaker_id",
    "said_on", "confidence", "flags",
)  # fmt: skip


def _bank_with_quotes(target: str) -> None:
    """A small bank of made-up quotes, without the spaCy pipeline."""
    with open_bank(target) as bank:
        for i, (who, said, day) in enumerate(
            [
                ("Mara Quill", "The ferry will run again from May", "2021-04-02"),
                ("Tobias Fenn", "The ferry costs too much to keep", "2021-05-10"),
                ("Mara Quill", "Our harbour is open for business", "2021-06-20"),
            ]
        ):
            text = f"\u201c{said},\u201d said {who}."
            flags = (Flag("truncated", "shorter elsewhere"),) if i == 1 else ()
            quote = Quote(
                kind="direct",
                content=f"\u201c{said},\u201d",
                content_span=(0, len(said) + 3),
                speaker=who,
                speaker_mention=who,
                said_on=day,
                confidence=0.8,
                flags=flags,
            )
            bank.add_result(Result(Article(f"art-{i}", text, published=day), (quote,)))


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        target = str(tmp_path / "bank.db")
        _bank_with_quotes(target)
        yield target
        return
    import psycopg

    url = os.environ.get("ONRECORD_TEST_PG")
    if not url:
        if os.environ.get("CI"):
            pytest.fail(
                "CI is set but ONRECORD_TEST_PG is not: run scripts/postgres.sh"
            )
        pytest.skip("ONRECORD_TEST_PG not set (run: source scripts/postgres.sh)")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")  # type: ignore[arg-type]
    target = f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{schema}"
    _bank_with_quotes(target)
    yield target
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA {schema} CASCADE")  # type: ignore[arg-type]


def test_run_cli_export_jsonl(db: str) -> None:
    res = CliRunner().invoke(export, ["--db", db, "--format", "jsonl"])
    assert res.exit_code == 0, res.output
    rows = [json.loads(line) for line in res.stdout.splitlines()]
    assert len(rows) == 3
    for row in rows:
        assert set(REQUIRED) <= set(row)
    assert rows[0]["speaker_id"] == "mara-quill"
    assert rows[1]["flags"][0]["kind"] == "truncated"


def test_run_cli_export_csv_and_parquet(db: str, tmp_path: Path) -> None:
    res = CliRunner().invoke(export, ["--db", db, "--format", "csv"])
    assert res.exit_code == 0, res.output
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert len(rows) == 3
    assert json.loads(rows[0]["content_span"])[0] == 0
    pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    out = tmp_path / "q.parquet"
    res = CliRunner().invoke(
        export, ["--db", db, "--format", "parquet", "-o", str(out)]
    )
    assert res.exit_code == 0, res.output
    table = pq.read_table(out)
    assert table.num_rows == 3
    assert set(REQUIRED) <= set(table.column_names)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["ferry"], ["art-1", "art-0"]),
        (["ferry", "--speaker", "Quill"], ["art-0"]),
        (["--speaker", "mara-quill"], ["art-2", "art-0"]),
        (["--since", "2021-05-01"], ["art-2", "art-1"]),
        (["--until", "2021-05"], ["art-1", "art-0"]),
        (["--flag", "truncated"], ["art-1"]),
        (["harbour", "--since", "2022"], []),
    ],
)
def test_run_cli_search_jsonl(db: str, args: list[str], expected: list[str]) -> None:
    res = CliRunner().invoke(search, ["--db", db, "--format", "jsonl", *args])
    assert res.exit_code == 0, res.output
    rows = [json.loads(line) for line in res.stdout.splitlines()]
    if args[0] == "ferry" and len(args) == 1:
        assert sorted(r["article_id"] for r in rows) == sorted(expected)
    else:
        assert [r["article_id"] for r in rows] == expected
    for row in rows:
        assert set(REQUIRED) <= set(row)


def test_run_cli_search_table_and_count(db: str) -> None:
    res = CliRunner().invoke(search, ["--db", db, "ferry"])
    assert res.exit_code == 0
    assert "Tobias Fenn" in res.stdout
    assert "[truncated]" in res.stdout
    res = CliRunner().invoke(search, ["--db", db, "--count", "ferry"])
    assert res.stdout.strip() == "2"


@pytest.mark.parametrize(
    ("command", "args", "code", "message"),
    [
        (search, ["--since", "last week", "x"], 2, "is not a date"),
        (search, ["--db", "/nonexistent/x.db", "x"], 1, "no quote bank"),
        (export, ["--db", "/nonexistent/x.db"], 1, "no quote bank"),
        (export, ["--format", "parquet"], 2, "needs --output"),
        (ingest, ["--parquet", "out", "x.txt"], 2, "--parquet needs --engine ray"),
        (ingest, [], 2, "Missing argument"),
    ],
)
def test_run_cli_errors(
    tmp_path: Path, command: object, args: list[str], code: int, message: str
) -> None:
    if command is export and "--db" not in args:
        target = str(tmp_path / "b.db")
        _bank_with_quotes(target)
        args = ["--db", target, *args]
    res = CliRunner().invoke(command, args)  # type: ignore[arg-type]
    assert res.exit_code == code, res.output
    assert message in res.output


def test_run_cli_ray_missing_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import builtins

    real_import = builtins.__import__

    def no_ray(name: str, *a: object, **kw: object) -> object:
        if name == "ray" or name.startswith("ray."):
            raise ImportError("No module named 'ray'")
        return real_import(name, *a, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(builtins, "__import__", no_ray)
    (tmp_path / "a.txt").write_text("text")
    res = CliRunner().invoke(
        ingest,
        ["--engine", "ray", "--db", str(tmp_path / "b.db"), str(tmp_path / "a.txt")],
    )
    assert res.exit_code == 1
    assert "OR301" in res.output
    assert "pip install 'onrecord[ray]'" in res.output


@pytest.mark.slow
def test_run_cli_ingest_txt_and_stdin(tmp_path: Path, db: str) -> None:
    story = (
        "The Norvik council met on Tuesday. \u201cWe will rebuild the pier before the"
        " winter storms arrive,\u201d said Ines Arbor, the council leader. Arbor told"
        " reporters that the budget for the new library had not been approved."
    )
    (tmp_path / "s.txt").write_text(story, encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes(b"\x00\x00")
    runner = CliRunner()
    res = runner.invoke(
        ingest,
        ["--db", db, "--no-progress", "--json", "--published", "2021-09-01",
         str(tmp_path / "s.txt"), str(tmp_path / "bad.txt")],
    )  # fmt: skip
    assert res.exit_code == 1, res.output
    summary = json.loads(res.stdout)
    assert summary["stored"] == 1
    assert summary["failed"] == 1
    line = json.dumps({"id": "stdin-1", "text": story.replace("Norvik", "Eastmere")})
    res = runner.invoke(ingest, ["--db", db, "--no-progress", "-"], input=line + "\n")
    assert res.exit_code == 0, res.output
    res = runner.invoke(search, ["--db", db, "--format", "jsonl", "--speaker", "Arbor"])
    rows = [json.loads(x) for x in res.stdout.splitlines()]
    assert {r["article_id"] for r in rows} == {str(tmp_path / "s.txt"), "stdin-1"}
    assert {r["speaker_id"] for r in rows} == {"ines-arbor"}


def test_run_cli_commands_have_help() -> None:
    for command in COMMANDS:
        res = CliRunner().invoke(command, ["--help"])
        assert res.exit_code == 0
        assert command.help
