"""When a statement was made: date expressions against the publication date."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from onrecord.attribute.dates import parse_published, resolve_date

PUB = dt.date(2023, 3, 9)  # a Thursday


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("on Tuesday", "2023-03-07"),
        ("Thursday", "2023-03-09"),  # the paper's own day
        ("last Thursday", "2023-03-02"),
        ("yesterday", "2023-03-08"),
        ("Feb. 27", "2023-02-27"),
        ("February 27th, 2022", "2022-02-27"),
        ("Oct. 4", "2022-10-04"),  # over half a year ahead: last year's
        ("the 3rd of March", "2023-03-03"),
        ("3 March 2021", "2021-03-03"),
        ("2/27", "2023-02-27"),
        ("2/27/21", "2021-02-27"),
        ("2023-03-01", "2023-03-01"),
    ],
)
def test_dates_resolved(expression: str, expected: str) -> None:
    day = resolve_date(expression, PUB)
    assert day is not None
    assert day.isoformat() == expected


@pytest.mark.parametrize(
    "expression",
    [
        "March 14",  # days to come: not when something was said
        "2019",
        "March 2021",
        "last July",
        "50 days",
        "30-minute",
        "90 minutes",
        "9 a.m.",
        "25",
        "Feb. 30",
        "between January 1 and March 1",
        "until Feb. 2",
        "2024-01-01",
    ],
)
def test_not_a_day_of_speech(expression: str) -> None:
    assert resolve_date(expression, PUB) is None


def test_year_wrap() -> None:
    assert resolve_date("Dec. 30", dt.date(2024, 1, 3)) == dt.date(2023, 12, 30)
    assert resolve_date("Feb. 29", dt.date(2025, 1, 3)) is None  # 2024-02-29 is 2 back


@given(st.text(max_size=60), st.dates())
def test_any_expression_is_a_past_day_or_none(expression: str, pub: dt.date) -> None:
    day = resolve_date(expression, pub)
    assert day is None or day <= pub


def test_published() -> None:
    assert parse_published("2023-03-09T10:00:00Z") == PUB
    assert parse_published("Thu, 09 Mar 2023 10:00:00 GMT") == PUB
    assert parse_published("") is None
