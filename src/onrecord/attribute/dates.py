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


_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH = (
    r"(?P<m>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?"
    r"|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b\.?"
)
_YEAR = r"(?:,?\s+(?P<y>\d{4})\b)?"
# "Sept. 12", "September 12th, 2016"
_MONTH_DAY = re.compile(rf"\b{_MONTH}\s*(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b{_YEAR}")
# "12 September 2016", "the 12th of Sept."
_DAY_MONTH = re.compile(
    rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}{_YEAR}"
)
# "9/12/2016", "9/12" (US order) or ISO "2016-09-12"
_NUMERIC = re.compile(
    r"\b(?:(?P<m>\d{1,2})/(?P<d>\d{1,2})(?:/(?P<y>\d{4}|\d{2}))?"
    r"|(?P<iso>\d{4})-(?P<im>\d{2})-(?P<id>\d{2}))\b"
)


def _full_year(text: str) -> int:
    """A year written with two digits is this century's."""
    return int(text) + 2000 if len(text) == 2 else int(text)


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
    itself (news convention: "on Saturday" in a Saturday paper is that day); a
    month and day without a year is the most recent such day too. Expressions
    that name no day ("in 2015", "last July", "90 minutes", "9 a.m.") are not
    dates of a statement. (dateparser, tried here before, read durations such as
    "50 days" and "30-minute" as dates, and its first call cost 0.2 s.)

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
    if low.startswith(
        ("between", "from", "until", "till", "through", "before", "after")
    ):
        return None  # a span of time or a bound, not the day of a statement
    m = _MONTH_DAY.search(low) or _DAY_MONTH.search(low)
    if m is not None:
        month, day_n = _MONTHS[m["m"][:3]], int(m["d"])
        year = int(m["y"]) if m["y"] else None
    elif (m := _NUMERIC.search(low)) is not None:
        if m["iso"]:
            year, month, day_n = int(m["iso"]), int(m["im"]), int(m["id"])
        else:
            month, day_n = int(m["m"]), int(m["d"])
            year = _full_year(m["y"]) if m["y"] else None
    else:  # no day named: a month, a year, a time or a duration is not a date
        return None
    try:
        day = dt.date(year or published.year, month, day_n)
    except ValueError:  # "Feb. 30", "13/40"
        return None
    if day > published and year is None and (day - published).days > 182:
        # "Dec. 30" in a paper of Jan. 3 is last year's; "Oct. 4" in a paper of
        # Sept. 29 is a day to come, not when something was said
        try:
            day = day.replace(year=day.year - 1)
        except ValueError:  # Feb. 29 of a leap year, one year back
            return None
    return day if day <= published else None
