"""The quote-mark scanner on fictional text, and its invariants under any input."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from onrecord.extract.quotemarks import find_quote_runs


def inner(text: str) -> list[str]:
    return [text[r.inner[0] : r.inner[1]] for r in find_quote_runs(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("“We will win,” she said.", ["We will win,"]),
        ('"We will win," she said.', ["We will win,"]),
        ("''Hopefully,'' the mayor said, ''we finish.''", ["Hopefully,", "we finish."]),
        # a stray opening mark inside a quote does not end it
        ("“We came. “And we stayed,” he said.", ["We came. “And we stayed,"]),
        # a stray closing mark extends the quote before it
        (
            "He said the plan “is late.” It is over budget. It is badly run.” "
            "Then he left.",
            ["is late.” It is over budget. It is badly run."],
        ),
        # a missing closing mark ends the quote with its paragraph
        ("“We will not go,\nThe next paragraph.", ["We will not go,"]),
        # a closing mark used to open a paragraph's quote
        (
            "Photo.\n”Fear. I am afraid the dam will fail.” ― Ana Ruiz\n",
            ["Fear. I am afraid the dam will fail."],
        ),
    ],
)
def test_quotemarks_runs(text: str, expected: list[str]) -> None:
    assert inner(text) == expected


def test_quotemarks_quote_over_paragraphs_reopens_each_paragraph() -> None:
    text = "“First part of the speech.\n“Second part,” she said."
    runs = find_quote_runs(text)
    assert len(runs) == 1
    assert len(runs[0].fragments) == 2
    assert text[runs[0].fragments[1][0] : runs[0].fragments[1][1]] == "Second part,"


def test_quotemarks_different_marks_do_not_continue_a_quote() -> None:
    text = '"An unclosed straight quote.\n“A curly one,” she said.'
    assert inner(text) == ["An unclosed straight quote.", "A curly one,"]


def test_quotemarks_stray_close_of_another_mark_family_does_not_extend() -> None:
    text = '“It was fine,” she said later.\nAnd then it ended."'
    assert inner(text) == ["It was fine,"]


def test_quotemarks_apostrophes_are_not_quotes() -> None:
    assert inner("The mayor’s office didn’t answer.") == []


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab \n.,“”\"'`’")), max_size=200))
def test_quotemarks_offsets_in_bounds_and_ordered(text: str) -> None:
    prev_end = -1
    for r in find_quote_runs(text):
        assert 0 <= r.span[0] <= r.inner[0] <= r.inner[1] <= r.span[1] <= len(text)
        for a, b in r.fragments:
            assert r.inner[0] <= a <= b <= r.inner[1]
        assert r.span[0] >= prev_end or r.span[0] < prev_end  # order is by start
        prev_end = r.span[1]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_quotemarks_never_crash(text: str) -> None:
    find_quote_runs(text)
