"""The command line on fictional samples and on bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from onrecord.cli import cli

SAMPLES = Path(__file__).resolve().parents[1] / "examples"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_cli_every_command_has_help(runner: CliRunner) -> None:
    for name, command in cli.commands.items():
        result = runner.invoke(cli, [name, "--help"])
        assert result.exit_code == 0, name
        assert command.help, f"{name} has no help text"


def test_cli_extract_json_plain_text(runner: CliRunner) -> None:
    result = runner.invoke(
        cli,
        [
            "extract",
            "--format",
            "json",
            "--published",
            "2025-03-14",
            str(SAMPLES / "harbor-bridge.txt"),
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    speakers = {q["speaker"] for q in data["quotes"]}
    assert "Elena Markovic" in speakers
    text = (SAMPLES / "harbor-bridge.txt").read_text(encoding="utf-8")
    for q in data["quotes"]:
        assert text[q["content_span"][0] : q["content_span"][1]] == q["content"]
        for key in (
            "kind",
            "content_fragments",
            "cue",
            "cue_span",
            "speaker_span",
            "addressee",
            "medium",
            "said_on",
            "stance",
            "confidence",
            "flags",
        ):
            assert key in q


def test_cli_extract_jsonl_keeps_order_and_ids(runner: CliRunner) -> None:
    result = runner.invoke(
        cli, ["extract", "--format", "jsonl", str(SAMPLES / "articles.jsonl")]
    )
    assert result.exit_code == 0
    lines = [json.loads(x) for x in result.stdout.splitlines()]
    ids = [
        json.loads(x)["id"]
        for x in (SAMPLES / "articles.jsonl").read_text().splitlines()
    ]
    assert [x["id"] for x in lines] == ids
    assert all(x["quotes"] for x in lines)


def test_cli_extract_flags_the_unintroduced_speaker(runner: CliRunner) -> None:
    result = runner.invoke(
        cli, ["extract", "--format", "jsonl", str(SAMPLES / "articles.jsonl")]
    )
    art = next(
        json.loads(x) for x in result.stdout.splitlines() if "fishing-quota-2025" in x
    )
    flagged = [
        q
        for q in art["quotes"]
        if any(f["kind"] == "misattribution" for f in q["flags"])
    ]
    assert len(flagged) == 1
    assert flagged[0]["speaker"] == "Okafor"
    assert flagged[0]["flags"][0]["likely_speaker"] == "Ana Delacroix"


def test_cli_extract_html(runner: CliRunner) -> None:
    result = runner.invoke(
        cli, ["extract", "--format", "json", str(SAMPLES / "library-strike.html")]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert any(q["speaker"] == "Maria Costa" for q in data["quotes"])


def test_cli_extract_csv(runner: CliRunner) -> None:
    result = runner.invoke(
        cli, ["extract", "--format", "csv", str(SAMPLES / "harbor-bridge.txt")]
    )
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0].startswith("article_id,kind,speaker")


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("empty.txt", b""),
        ("binary.txt", bytes(range(256)) * 4),
        (
            "latin1.txt",
            "Le maire a dit « non » à l’été.".encode("latin-1", "replace")
            + b"\xe9\xff\xfe",
        ),
        ("nobody.html", b"<html><head><title>x</title></head></html>"),
        ("broken.jsonl", b'{"id": "x", "text": \n'),
    ],
)
def test_cli_extract_bad_input_is_one_clear_line(
    runner: CliRunner, tmp_path: Path, name: str, content: bytes
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    result = runner.invoke(cli, ["extract", "--format", "json", str(path)])
    assert result.exit_code in (0, 3), result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_cli_extract_one_bad_file_does_not_stop_the_others(
    runner: CliRunner, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01\x02" * 100)
    good = SAMPLES / "harbor-bridge.txt"
    result = runner.invoke(cli, ["extract", "--format", "jsonl", str(bad), str(good)])
    assert result.exit_code == 1
    lines = [json.loads(x) for x in result.stdout.splitlines()]
    assert len(lines) == 2
    assert lines[0]["quotes"] == []
    assert lines[0]["error"]
    assert lines[1]["quotes"]


def test_cli_extract_huge_text_is_refused_cleanly(
    runner: CliRunner, tmp_path: Path
) -> None:
    path = tmp_path / "huge.txt"
    path.write_text("word " * 4_200_000, encoding="utf-8")  # about 21 MB
    result = runner.invoke(cli, ["extract", "--format", "jsonl", str(path)])
    assert result.exit_code == 3
    line = json.loads(result.stdout)
    assert line["quotes"] == []
    assert "large" in line["error"]


def test_cli_bad_published_date_is_a_usage_error(runner: CliRunner) -> None:
    result = runner.invoke(
        cli, ["extract", "--published", "someday", str(SAMPLES / "harbor-bridge.txt")]
    )
    assert result.exit_code == 2


def test_cli_evaluate_scores_a_prediction_file(
    runner: CliRunner, tmp_path: Path
) -> None:
    gold = tmp_path / "gold.jsonl"
    text = "Mayor Ana Ruiz said the bridge is safe."
    gold.write_text(
        json.dumps(
            {
                "id": "a",
                "text": text,
                "quotes": [
                    {
                        "content_span": [19, 38],
                        "speaker_span": [6, 14],
                        "kind": "indirect",
                    }
                ],
            }
        )
        + "\n"
    )
    pred = tmp_path / "pred.jsonl"
    pred.write_text(
        json.dumps(
            {"id": "a", "quotes": [{"content_span": [19, 38], "speaker_span": [6, 14]}]}
        )
        + "\n"
    )
    result = runner.invoke(cli, ["evaluate", str(gold), str(pred), "--json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["scores"]["e2e_f1"] == 1.0


def test_cli_extract_model_option(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # --model writes ONRECORD_MODEL into this process's environment (so workers see it);
    # setenv first makes monkeypatch restore the variable for the tests that follow
    monkeypatch.setenv("ONRECORD_MODEL", "sm")
    text = "Mayor Ines Arbor said the ferry would return in spring."
    ok = runner.invoke(
        cli, ["extract", "--model", "sm", "--format", "json", "-"], input=text
    )
    assert ok.exit_code == 0, ok.output
    assert (
        json.loads(ok.output)["quotes"][0]["content"]
        == "the ferry would return in spring"
    )
    missing = str(tmp_path / "no-such-pipeline")
    bad = runner.invoke(cli, ["extract", "--model", missing, "-"], input=text)
    assert bad.exit_code != 0
    assert "OR103" in bad.output
    assert "no-such-pipeline" in bad.output
