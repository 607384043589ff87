"""``onrecord verify`` on fictional batches, with and without a quote bank."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from onrecord.cli import cli

ORIGINAL = [
    {
        "id": "harbour-1",
        "published": "2025-03-01",
        "text": (
            "Harbour minister Lena Vasquez spoke in Port Amsel on Monday. "
            "\u201cWe will never accept a plan that leaves our fishing crews behind, "
            "whatever the price,\u201d Vasquez told reporters."
        ),
    }
]
LATER = [
    {
        "id": "harbour-2",
        "published": "2025-03-04",
        "text": (
            "Mayor Tom Brannock opened the fair on Thursday. "
            "\u201cWe will accept a plan that leaves our fishing crews behind, "
            "whatever the price,\u201d Harbour minister Lena Vasquez told reporters."
        ),
    },
    {
        "id": "harbour-3",
        "published": "2025-03-05",
        "text": (
            "Mayor Tom Brannock spoke on Friday. "
            "\u201cWe will never accept a plan that leaves our fishing crews behind, "
            "whatever the price,\u201d Brannock said at the fair."
        ),
    },
]


def write(path: Path, rows: list[dict[str, str]]) -> str:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return str(path)


def kinds(line: dict[str, object]) -> set[str]:
    quotes = line["quotes"]
    assert isinstance(quotes, list)
    return {f["kind"] for q in quotes for f in q["flags"]}


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_verify_cli_batch_jsonl(runner: CliRunner, tmp_path: Path) -> None:
    batch = write(tmp_path / "batch.jsonl", LATER[::-1] + ORIGINAL)  # not in date order
    res = runner.invoke(cli, ["verify", "--format", "jsonl", batch])
    assert res.exit_code == 0, res.output
    lines = [json.loads(x) for x in res.stdout.splitlines()]
    assert [x["id"] for x in lines] == ["harbour-3", "harbour-2", "harbour-1"]
    assert kinds(lines[2]) == set()
    assert kinds(lines[1]) == {"truncated"}  # "never" dropped
    assert kinds(lines[0]) == {"conflicting_attribution"}
    flag = next(f for q in lines[0]["quotes"] for f in q["flags"])
    assert flag["likely_speaker"] == "Lena Vasquez"
    assert flag["other_article"] == "harbour-1"


def test_verify_cli_table(runner: CliRunner, tmp_path: Path) -> None:
    batch = write(tmp_path / "batch.jsonl", ORIGINAL + LATER)
    res = runner.invoke(cli, ["verify", batch])
    assert res.exit_code == 0, res.output
    assert "2 flag(s)" in res.stdout
    assert "conflicting_attribution" in res.stdout
    assert "[-never-]" in res.stdout


def test_verify_cli_against_bank(runner: CliRunner, tmp_path: Path) -> None:
    db = str(tmp_path / "bank.db")
    first = write(tmp_path / "first.jsonl", ORIGINAL)
    later = write(tmp_path / "later.jsonl", LATER)
    res = runner.invoke(cli, ["ingest", "--db", db, first])
    assert res.exit_code == 0, res.output
    # the ingested file itself: no flags against its own records
    res = runner.invoke(cli, ["verify", "--db", db, "--format", "jsonl", first])
    assert res.exit_code == 0, res.output
    assert kinds(json.loads(res.stdout)) == set()
    res = runner.invoke(cli, ["verify", "--db", db, "--format", "jsonl", later])
    assert res.exit_code == 0, res.output
    lines = [json.loads(x) for x in res.stdout.splitlines()]
    assert [kinds(x) for x in lines] == [{"truncated"}, {"conflicting_attribution"}]
    # the bank was only read
    res = runner.invoke(cli, ["verify", "--db", db, "--format", "jsonl"])
    assert res.exit_code == 0, res.output
    assert res.stdout.strip() == ""


def test_verify_cli_checks_the_bank_itself(runner: CliRunner, tmp_path: Path) -> None:
    db = str(tmp_path / "bank.db")
    batch = write(tmp_path / "all.jsonl", ORIGINAL + LATER)
    assert (
        runner.invoke(cli, ["ingest", "--db", db, "--no-verify", batch]).exit_code == 0
    )
    res = runner.invoke(cli, ["verify", "--db", db, "--format", "jsonl"])
    assert res.exit_code == 0, res.output
    found = [json.loads(x) for x in res.stdout.splitlines()]
    got = {(r["article_id"], f["kind"]) for r in found for f in r["flags"]}
    assert got == {("harbour-2", "truncated"), ("harbour-3", "conflicting_attribution")}
    res = runner.invoke(cli, ["verify", "--db", db])
    assert res.exit_code == 0
    assert "2 flag(s)" in res.stdout


def test_verify_cli_usage_and_errors(runner: CliRunner, tmp_path: Path) -> None:
    assert runner.invoke(cli, ["verify"]).exit_code == 2
    res = runner.invoke(cli, ["verify", "--db", str(tmp_path / "none.db")])
    assert res.exit_code == 1
    assert "no quote bank" in res.output
    res = runner.invoke(cli, ["verify", str(tmp_path / "missing.txt")])
    assert res.exit_code == 3
