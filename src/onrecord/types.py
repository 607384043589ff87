"""Core records of onrecord.

Every record is a frozen, slotted dataclass holding plain Python values and
character offsets into the article text (Python ``str`` indices), never spaCy
objects, so results pickle through process pools and Ray and map directly onto
rows of the quote bank.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Span = tuple[int, int]
"""A ``[start, end)`` pair of character offsets into the article text."""

QuoteKind = Literal["direct", "indirect", "mixed"]
FlagKind = Literal[
    "misattribution",
    "conflicting_attribution",
    "altered_wording",
    "truncated",
    "spliced",
]
SpeakerType = Literal["person", "organisation", "group", "document", "other"]

QUOTE_KINDS: tuple[str, ...] = ("direct", "indirect", "mixed")
FLAG_KINDS: tuple[str, ...] = (
    "misattribution",
    "conflicting_attribution",
    "altered_wording",
    "truncated",
    "spliced",
)


@dataclass(frozen=True, slots=True)
class Flag:
    """A verification finding attached to one quote.

    Attributes:
        kind: One of :data:`FLAG_KINDS`.
        evidence: Human-readable explanation: the sentences, mentions or other
            articles involved.
        likely_speaker: The most likely true speaker, for attribution flags.
        original: The earlier recorded wording, for wording flags.
        diff: A word-level diff (``[-old-] {+new+}``) for wording flags.
        other_article: Id of the other article involved, for cross-article flags.
        score: Strength of the finding in [0, 1].
    """

    kind: str
    evidence: str
    likely_speaker: str | None = None
    original: str | None = None
    diff: str | None = None
    other_article: str | None = None
    score: float = 1.0

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}


@dataclass(frozen=True, slots=True)
class Quote:
    """One attribution: who said (or claimed, or wrote) what.

    Attributes:
        kind: ``direct`` (all in quote marks), ``indirect`` (reported speech) or
            ``mixed`` (reported speech with a quoted part).
        content: The text of the content, as in the article (``text[s:e]`` of
            ``content_span``).
        content_span: Offsets of the whole content, from the first fragment's
            start to the last fragment's end.
        content_fragments: The pieces of a discontinuous content
            (``"A," he said, "B"``); one fragment for a continuous one.
        cue: The cue words ("said", "told", "according to"), or None.
        cue_span: Offsets of the cue, or None.
        speaker: The resolved speaker name ("Sergei Ryabkov"), or None.
        speaker_span: Offsets of the speaker mention in the text ("he"), or None.
        speaker_mention: The text of that mention.
        speaker_type: person, organisation, group, document or other.
        addressee: Whom it was said to ("Russian state media").
        medium: Where it was said ("a post on X").
        said_on: ISO date when it was said, resolved against the publication date.
        date_text: The words that dated it ("on Friday").
        stance: The reporter's stance where marked ("falsely", "without evidence").
        confidence: Confidence of the attribution, in [0, 1].
        flags: Verification findings.
        rule: Which rule produced the quote and resolved its speaker.
    """

    kind: str
    content: str
    content_span: Span
    content_fragments: tuple[Span, ...] = ()
    cue: str | None = None
    cue_span: Span | None = None
    speaker: str | None = None
    speaker_span: Span | None = None
    speaker_mention: str | None = None
    speaker_type: str | None = None
    addressee: str | None = None
    medium: str | None = None
    said_on: str | None = None
    date_text: str | None = None
    stance: str | None = None
    confidence: float = 0.5
    flags: tuple[Flag, ...] = field(default_factory=tuple)
    rule: str = ""

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict with the public field names (spans as lists)."""
        return {
            "kind": self.kind,
            "content": self.content,
            "content_span": list(self.content_span),
            "content_fragments": [list(f) for f in self.content_fragments]
            or [list(self.content_span)],
            "cue": self.cue,
            "cue_span": list(self.cue_span) if self.cue_span else None,
            "speaker": self.speaker,
            "speaker_span": list(self.speaker_span) if self.speaker_span else None,
            "speaker_mention": self.speaker_mention,
            "speaker_type": self.speaker_type,
            "addressee": self.addressee,
            "medium": self.medium,
            "said_on": self.said_on,
            "date_text": self.date_text,
            "stance": self.stance,
            "confidence": round(self.confidence, 3),
            "flags": [f.to_dict() for f in self.flags],
            "rule": self.rule,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Quote:
        """Rebuild a quote from :meth:`to_dict` output."""

        def span(v: Any) -> Span | None:
            return (int(v[0]), int(v[1])) if v else None

        cs = span(d["content_span"])
        assert cs is not None
        return cls(
            kind=d["kind"],
            content=d["content"],
            content_span=cs,
            content_fragments=tuple(
                (int(a), int(b)) for a, b in d.get("content_fragments") or []
            ),
            cue=d.get("cue"),
            cue_span=span(d.get("cue_span")),
            speaker=d.get("speaker"),
            speaker_span=span(d.get("speaker_span")),
            speaker_mention=d.get("speaker_mention"),
            speaker_type=d.get("speaker_type"),
            addressee=d.get("addressee"),
            medium=d.get("medium"),
            said_on=d.get("said_on"),
            date_text=d.get("date_text"),
            stance=d.get("stance"),
            confidence=float(d.get("confidence", 0.5)),
            flags=tuple(
                Flag(**{k: v for k, v in f.items() if k in Flag.__slots__})
                for f in d.get("flags") or []
            ),
            rule=d.get("rule", ""),
        )


@dataclass(frozen=True, slots=True)
class Article:
    """An input article: its text and what is known about it."""

    id: str
    text: str
    published: str | None = None
    url: str | None = None
    title: str | None = None


@dataclass(frozen=True, slots=True)
class Result:
    """The outcome of processing one article.

    ``error`` holds a one-line reason when the article could not be processed;
    ``quotes`` is then empty. A failed article is a result, not an exception, so
    one bad article never stops a batch.
    """

    article: Article
    quotes: tuple[Quote, ...] = ()
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"id": self.article.id}
        if self.article.published:
            d["published"] = self.article.published
        if self.article.url:
            d["url"] = self.article.url
        d["quotes"] = [q.to_dict() for q in self.quotes]
        if self.error:
            d["error"] = self.error
        return d
