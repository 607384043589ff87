"""The one global conftest: shared fixtures and paths to the read-only data."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _find_shared() -> Path:
    """The read-only data folder: $ONRECORD_SHARED, ../shared beside the checkout,
    or /work/shared."""
    candidates = [
        os.environ.get("ONRECORD_SHARED"),
        ROOT.parent / "shared",
        "/work/shared",
    ]
    for c in candidates:
        if c and (Path(c) / "data" / "polnear" / "dev.jsonl").exists():
            return Path(c)
    return ROOT.parent / "shared"


SHARED = _find_shared()
EXAMPLE_GOLD = SHARED / "examples" / "summit-article.gold.json"
DEV = SHARED / "data" / "polnear" / "dev.jsonl"
DEV_RESOLVED = SHARED / "data" / "polnear" / "dev.resolved.jsonl"
SAMPLES = ROOT / "examples"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden", action="store_true", help="Rewrite golden files."
    )


@pytest.fixture(scope="session")
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


def _need(path: Path) -> Path:
    if not path.exists():
        if os.environ.get("CI"):
            raise FileNotFoundError(f"{path} is missing in CI")
        pytest.skip(f"{path} not available")
    return path


@pytest.fixture(scope="session")
def example_gold() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(_need(EXAMPLE_GOLD).read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="session")
def dev_articles() -> list[dict[str, Any]]:
    with _need(DEV).open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


@pytest.fixture(scope="session")
def dev_resolved() -> dict[tuple[str, int], dict[str, Any]]:
    with _need(DEV_RESOLVED).open(encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh if line.strip()]
    return {(r["id"], int(r["i"])): r for r in rows}


@pytest.fixture(scope="session")
def pipeline() -> Any:
    from onrecord import Pipeline

    return Pipeline()


@pytest.fixture(scope="session")
def example_result(example_gold: dict[str, Any], pipeline: Any) -> Any:
    from onrecord import Article

    return pipeline.process(
        Article("summit-article", example_gold["text"], example_gold["published"])
    )
