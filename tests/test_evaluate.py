"""The PolNeAR metric on hand-made cases."""

from __future__ import annotations

from onrecord.evaluate import dice, evaluate, resolved_correct

TEXT = "Mayor Ana Ruiz said the bridge is safe. “It will reopen,” she added."


def _art(quotes: list[dict]) -> list[dict]:
    return [{"id": "a", "text": TEXT, "quotes": quotes}]


GOLD = [
    {"content_span": [19, 38], "speaker_span": [6, 14], "kind": "indirect"},
    {"content_span": [40, 55], "speaker_span": [58, 61], "kind": "direct"},
]


def test_evaluate_perfect_prediction() -> None:
    pred = {"a": {"quotes": [dict(q) for q in GOLD]}}
    s = evaluate(_art(GOLD), pred).summary()
    assert s["content_f1"] == 1.0
    assert s["strict_f1"] == 1.0
    assert s["speaker_accuracy"] == 1.0
    assert s["e2e_f1"] == 1.0


def test_evaluate_partial_content_and_wrong_speaker() -> None:
    # "the bridge is safe" vs gold "the bridge is safe" minus one token -> partial, not
    # strict
    pred = {"a": {"quotes": [{"content_span": [23, 38], "speaker_span": [58, 61]}]}}
    s = evaluate(_art(GOLD), pred).summary()
    assert s["content_precision"] == 1.0
    assert s["content_recall"] == 0.5
    assert s["strict_f1"] == 0.0
    assert s["speaker_accuracy"] == 0.0
    assert s["e2e_f1"] == 0.0
    assert s["recall_indirect"] == 1.0
    assert s["recall_direct"] == 0.0


def test_evaluate_quote_marks_do_not_count() -> None:
    pred = {"a": {"quotes": [{"content_span": [39, 56], "speaker_span": [58, 61]}]}}
    s = evaluate(_art(GOLD[1:]), pred).summary()
    assert s["strict_f1"] == 1.0


def test_evaluate_dice() -> None:
    assert dice(frozenset({1, 2}), frozenset({2, 3})) == 0.5


def test_evaluate_resolved_person_needs_last_name() -> None:
    gold = {"resolved": "Donald J. Trump", "type": "person"}
    assert resolved_correct("Donald Trump", gold)
    assert not resolved_correct("Mike Pence", gold)
    group = {"resolved": "Senior US officials (unnamed)", "type": "group"}
    assert resolved_correct("US officials", group)
    assert not resolved_correct(
        "officials", {"resolved": "senior state department officials", "type": "group"}
    )
