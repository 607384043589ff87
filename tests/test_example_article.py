"""The real example article, scored from its gold file (never from hard-coded
answers)."""

from __future__ import annotations

from typing import Any

from onrecord.evaluate import evaluate, resolved_correct


def _score(gold: dict[str, Any], result: Any) -> tuple[int, int, dict[int, Any]]:
    pred = {"summit-article": result.to_dict()}
    sc = evaluate(
        [{"id": "summit-article", "text": gold["text"], "quotes": gold["quotes"]}], pred
    )
    found = {p.gold_i: result.quotes[p.pred_i] for p in sc.pairs}
    speakers = sum(
        1
        for i, q in found.items()
        if resolved_correct(
            q.speaker, {"resolved": gold["quotes"][i]["speaker"], "type": "person"}
        )
    )
    return len(found), speakers, found


def test_example_quotes_found_and_speakers_right(
    example_gold: dict[str, Any], example_result: Any
) -> None:
    found, speakers, _ = _score(example_gold, example_result)
    total = len(example_gold["quotes"])
    assert total == 24
    assert found >= 23, f"found {found}/{total}"
    assert speakers >= 23, f"speakers right {speakers}/{total}"


def test_example_pronoun_trap_resolves_to_the_running_speaker(
    example_gold: dict[str, Any], example_result: Any
) -> None:
    # the gold quote whose mention is a pronoun right after the misattributed quote
    _, _, found = _score(example_gold, example_result)
    trap = [
        i
        for i, g in enumerate(example_gold["quotes"])
        if "pronoun must resolve" in (g.get("note") or "")
    ]
    assert trap
    for i in trap:
        assert i in found
        gold_speaker = example_gold["quotes"][i]["speaker"]
        assert found[i].speaker == gold_speaker


def test_example_said_on_dates(
    example_gold: dict[str, Any], example_result: Any
) -> None:
    _, _, found = _score(example_gold, example_result)
    dated = [i for i, g in enumerate(example_gold["quotes"]) if g.get("said_on")]
    assert len(dated) >= 6
    right = sum(
        1
        for i in dated
        if i in found and found[i].said_on == example_gold["quotes"][i]["said_on"]
    )
    assert right >= len(dated) - 1, f"{right}/{len(dated)} dates right"


def test_example_offsets_match_text(
    example_gold: dict[str, Any], example_result: Any
) -> None:
    text = example_gold["text"]
    for q in example_result.quotes:
        assert text[q.content_span[0] : q.content_span[1]] == q.content
        if q.speaker_span:
            assert text[q.speaker_span[0] : q.speaker_span[1]] == q.speaker_mention
        for a, b in q.content_fragments:
            assert q.content_span[0] <= a < b <= q.content_span[1]


def test_example_end_to_end_flags_exactly_the_gold_misattribution(
    example_gold: dict[str, Any], example_result: Any
) -> None:
    _, _, found = _score(example_gold, example_result)
    expected = [
        i for i, g in enumerate(example_gold["quotes"]) if g.get("expected_flag")
    ]
    flagged = [q for q in example_result.quotes if q.flags]
    assert len(flagged) == len(expected) == 1
    gold = example_gold["quotes"][expected[0]]
    assert found[expected[0]] is flagged[0]
    flag = flagged[0].flags[0]
    assert flag.kind == gold["expected_flag"]
    assert flag.likely_speaker == gold["likely_speaker"]
