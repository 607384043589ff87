"""onrecord._greedy, the parser's transition loop without the GIL: built in CI, and
the same parse, entities and sentences as spaCy's own loop."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spacy.tokens import Doc

import onrecord._pipeline as pipeline_mod
from onrecord._pipeline import annotate, load_nlp

TEXTS = [
    "The mayor, Ada Moreno, told reporters on Tuesday that the bridge would reopen "
    'in May. "We are not there yet," she said, adding that the council had agreed.',
    "",
    "   \n\n  ",
    "Officials at the Port Authority of Lowell declined to comment. A spokesman for "
    'Governor Tom Baird said the plan was "dead on arrival" and called it a stunt.\n\n'
    "Baird, 61, has not said whether he will run again.",
    "“Unbalanced quote marks, she wrote in a post on X, are common",
    "Yes.",
]


def _annotation(doc: Doc) -> tuple[object, ...]:
    return (
        [(t.head.i, t.dep_) for t in doc],
        [(e.start, e.end, e.label_) for e in doc.ents],
        [s.start for s in doc.sents] if doc.has_annotation("SENT_START") else [],
    )


def test_built_in_ci() -> None:
    loop = pipeline_mod._greedy_parse()
    if loop is None and not os.environ.get("CI"):
        pytest.skip("onrecord._greedy is not built here (no C++ compiler?)")
    assert loop is not None, "CI builds onrecord._greedy; the install lost it"


@pytest.mark.parametrize("model", ["sm", "fast"])
def test_same_annotation_as_spacys_loop(model: str) -> None:
    if pipeline_mod._greedy_parse() is None:
        pytest.skip("onrecord._greedy is not built")
    nlp = load_nlp(model)
    ours = annotate(nlp, TEXTS)
    theirs = annotate(nlp, TEXTS, fast_loop=False)
    assert [_annotation(d) for d in ours] == [_annotation(d) for d in theirs]
    assert [d.text for d in ours] == TEXTS  # order kept
    assert ours[0].has_annotation("DEP")
    assert any(e.label_ == "PERSON" for e in ours[3].ents)


def test_batches_split_by_tokens(monkeypatch: pytest.MonkeyPatch) -> None:
    if pipeline_mod._greedy_parse() is None:
        pytest.skip("onrecord._greedy is not built")
    nlp = load_nlp("fast")
    theirs = annotate(nlp, TEXTS, fast_loop=False)
    monkeypatch.setattr(pipeline_mod, "PARSE_TOKENS", 5)  # a batch per document
    ours = annotate(nlp, TEXTS)
    assert [_annotation(d) for d in ours] == [_annotation(d) for d in theirs]


WORDS = st.sampled_from(
    "the a mayor Ada Moreno said told that “ ” \" ' , . ; : — ( ) \n \n\n and not "
    "Lowell Council 2024 $5 U.S. she he it would reopen in on Tuesday X who".split(" ")
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(WORDS, max_size=60).map(" ".join), min_size=1, max_size=5))
def test_same_annotation_on_any_text(texts: list[str]) -> None:
    if pipeline_mod._greedy_parse() is None:
        pytest.skip("onrecord._greedy is not built")
    nlp = load_nlp("fast")
    ours = annotate(nlp, texts)
    theirs = annotate(nlp, texts, fast_loop=False)
    assert [_annotation(d) for d in ours] == [_annotation(d) for d in theirs]
