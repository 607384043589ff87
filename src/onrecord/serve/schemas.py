"""Pydantic models of the HTTP API: request bodies and documented responses.

Response models allow extra fields, so that a field the quote bank adds later
reaches clients without a server change; the fields listed here are the ones
clients may rely on.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

Id = int | str


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class FlagOut(_Open):
    kind: str = Field(description="misattribution, conflicting_attribution, ...")
    evidence: str = ""
    likely_speaker: str | None = None
    original: str | None = None
    diff: str | None = None
    other_article: str | None = None
    score: float | None = None


class QuoteOut(_Open):
    quote_id: Id | None = None
    article_id: str | None = None
    article_url: str | None = None
    published: str | None = None
    kind: str
    content: str
    content_span: list[int]
    content_fragments: list[list[int]] | None = None
    cue: str | None = None
    cue_span: list[int] | None = None
    speaker: str | None = None
    speaker_id: Id | None = None
    speaker_span: list[int] | None = None
    speaker_mention: str | None = None
    speaker_type: str | None = None
    addressee: str | None = None
    medium: str | None = None
    said_on: str | None = None
    date_text: str | None = None
    stance: str | None = None
    confidence: float | None = None
    flags: list[FlagOut] = []


class QuotePage(BaseModel):
    results: list[QuoteOut]
    total: int = Field(description="Number of quotes matching the filters.")
    limit: int
    offset: int
    next: str | None = Field(description="URL of the next page, or null.")


class SpeakerOut(_Open):
    id: Id
    name: str
    aliases: list[str] = []
    quote_count: int = 0


class SpeakerPage(BaseModel):
    results: list[SpeakerOut]
    limit: int
    offset: int
    next: str | None


class DayCount(BaseModel):
    day: str
    count: int


class SpeakerDetail(_Open):
    id: Id
    name: str
    aliases: list[str] = []
    quote_count: int = 0
    per_day: list[DayCount] = []
    quotes: list[QuoteOut] = []


class ArticleOut(_Open):
    id: str
    text: str
    published: str | None = None
    url: str | None = None
    title: str | None = None
    quotes: list[QuoteOut] = []


class FlagEntry(_Open):
    """A flagged quote with the flag and, where there is one, the other version."""

    flag: FlagOut | None = None
    other: dict[str, Any] | None = None


class FlagPage(BaseModel):
    results: list[FlagEntry]
    limit: int
    offset: int
    next: str | None


class ExtractIn(BaseModel):
    """An article to extract quotes from: plain ``text`` or raw ``html``."""

    model_config = ConfigDict(extra="forbid")

    text: str | None = Field(default=None, description="Plain article text.")
    html: str | None = Field(default=None, description="Raw HTML of a web page.")
    published: dt.date | None = Field(
        default=None, description="Publication date, to resolve 'on Friday'."
    )
    url: str | None = Field(default=None, max_length=2048)
    title: str | None = Field(default=None, max_length=1000)
    id: str | None = Field(
        default=None,
        max_length=500,
        description="Article id in the bank (default: derived from url or content).",
    )

    @model_validator(mode="after")
    def _one_input(self) -> ExtractIn:
        if (self.text is None) == (self.html is None):
            raise ValueError("give exactly one of 'text' or 'html'")
        return self


class ExtractOut(_Open):
    id: str
    published: str | None = None
    url: str | None = None
    quotes: list[QuoteOut]
    error: str | None = None
    stored: bool | None = Field(
        default=None, description="With ?store=true: whether it was new to the bank."
    )


class ErrorBody(BaseModel):
    status: int
    code: str = Field(description="OR### for onrecord errors, else HTTP<status>.")
    message: str
    details: list[Any] = []


class ErrorOut(BaseModel):
    error: ErrorBody


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorOut, "description": "Bad request"},
    404: {"model": ErrorOut, "description": "Not found"},
    413: {"model": ErrorOut, "description": "Request body too large"},
    422: {"model": ErrorOut, "description": "Invalid parameters"},
    500: {"model": ErrorOut, "description": "Server error"},
}
