"""Docs stay true: the CLI reference matches --help, and every command is documented."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from onrecord.cli import cli

ROOT = Path(__file__).resolve().parents[1]


def test_docs_cli_reference_is_current() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "cogapp", "--check", str(ROOT / "docs" / "cli.md")],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 0, (
        "docs/cli.md is stale: run `cog -r docs/cli.md`\n"
        + result.stdout
        + result.stderr
    )


def test_docs_every_command_is_in_the_reference() -> None:
    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    for name in cli.commands:
        assert f"## onrecord {name}" in text
