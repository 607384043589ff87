"""Resolve when a statement was made, against the article's publication date."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

_WEEKDAYS = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
]
_RELATIVE = {
    "today": 0,
    "tonight": 0,
    "this morning": 0,
    "this afternoon": 0,
    "this evening": 0,
    "yesterday": -1,
    "last night": -1,
}


def parse_published(value: str | None) -> dt.date | None:
    """Parse a publication date given as ISO (or anything dateparser reads)."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        pass
    import dateparser

    parsed = dateparser.parse(value, languages=["en"])
    return parsed.date() if parsed else None


@lru_cache(maxsize=4096)
def resolve_date(expression: str, published: dt.date) -> dt.date | None:
    """Turn a date expression ("on Friday", "Saturday afternoon", "Feb. 9") into a date.

    Weekday names refer to the most recent such day up to the publication day
    itself (news convention: "on Saturday" in a Saturday paper is that day).
    Other expressions go through dateparser with the publication date as base.

    Args:
        expression: The date words from the sentence.
        published: The article's publication date.

    Returns:
        The date, or None when the expression is not a date (or lies after
        the publication date, which a report of speech cannot).
    """
    low = expression.lower().strip()
    low = re.sub(
        r"^(on|late|early|later|earlier|last|this|during|since|by)\s+", "", low
    )
    for key, delta in _RELATIVE.items():
        if low.startswith(key):
            return published + dt.timedelta(days=delta)
    for wi, name in enumerate(_WEEKDAYS):
        if low.startswith((name, name[:3] + ".")):
            back = (published.weekday() - wi) % 7
            if expression.lower().strip().startswith("last ") and back == 0:
                back = 7
            return published - dt.timedelta(days=back)
    if not re.search(r"\d|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec", low):
        return None
    import dateparser

    base = dt.datetime(published.year, published.month, published.day, 12)
    parsed = dateparser.parse(
        expression,
        languages=["en"],
        settings={
            "RELATIVE_BASE": base,
            "PREFER_DATES_FROM": "past",
            "REQUIRE_PARTS": ["day"],
        },
    )
    if parsed is None:
        return None
    day: dt.date = parsed.date()
    if day > published:
        return None
    return day
