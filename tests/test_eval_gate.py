"""Quality gate: onrecord's scores on PolNeAR dev must not drop below the pinned
floors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import onrecord
from onrecord.evaluate import evaluate

FLOORS = json.loads((Path(__file__).with_name("eval_floors.json")).read_text())
METRICS = sorted(k for k in FLOORS if not k.startswith("_") and k != "fast")
FAST_FLOORS: dict[str, float] = FLOORS.get("fast", {})


def _dev_scores(
    dev_articles: list[dict[str, Any]],
    dev_resolved: dict[tuple[str, int], Any],
    options: onrecord.Options,
) -> dict[str, float]:
    arts = [
        onrecord.Article(a["id"], a["text"], a.get("published")) for a in dev_articles
    ]
    results = onrecord.extract_articles(arts, options=options)
    preds = {r.article.id: r.to_dict() for r in results}
    return evaluate(dev_articles, preds, resolved=dev_resolved).summary()


@pytest.fixture(scope="module")
def dev_scores(
    dev_articles: list[dict[str, Any]], dev_resolved: dict[tuple[str, int], Any]
) -> dict[str, float]:
    return _dev_scores(dev_articles, dev_resolved, onrecord.Options())


@pytest.fixture(scope="module")
def fast_dev_scores(
    dev_articles: list[dict[str, Any]], dev_resolved: dict[tuple[str, int], Any]
) -> dict[str, float]:
    return _dev_scores(dev_articles, dev_resolved, onrecord.Options(model="fast"))


@pytest.mark.parametrize("metric", METRICS)
def test_eval_gate_dev_score_above_floor(
    dev_scores: dict[str, float], metric: str
) -> None:
    assert dev_scores[metric] >= FLOORS[metric], (
        f"{metric} {dev_scores[metric]:.4f} < floor {FLOORS[metric]}"
    )


@pytest.mark.parametrize("metric", sorted(FAST_FLOORS))
def test_eval_gate_fast_model_above_floor(
    fast_dev_scores: dict[str, float], metric: str
) -> None:
    assert fast_dev_scores[metric] >= FAST_FLOORS[metric], (
        f"--model fast: {metric} {fast_dev_scores[metric]:.4f} "
        f"< floor {FAST_FLOORS[metric]}"
    )
