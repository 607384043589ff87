"""A small demo quote bank: fictional articles, annotated by hand.

Everything here is invented (the town of Port Halden and its people), so the
demo and the tests carry no real news text. The quotes are annotated by hand,
with verification flags, so the demo shows every part of the web page whatever
the extractor finds; ``onrecord ingest`` fills a real bank.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from onrecord.types import Article, Flag, Quote, Result


@dataclass(frozen=True, slots=True)
class DemoQuote:
    """A hand annotation: the content, who said it, the mention and cue near it."""

    content: str
    speaker: str | None
    mention: str | None = None
    cue: str | None = None
    kind: str = "direct"
    speaker_type: str = "person"
    said_on: str | None = None
    date_text: str | None = None
    addressee: str | None = None
    medium: str | None = None
    confidence: float = 0.9
    flags: tuple[Flag, ...] = ()


@dataclass(frozen=True, slots=True)
class DemoArticle:
    id: str
    title: str
    published: str
    text: str
    quotes: tuple[DemoQuote, ...] = field(default_factory=tuple)
    url: str | None = None


def _nearest(text: str, needle: str, near: int) -> tuple[int, int]:
    """Span of the whole-word occurrence of ``needle`` closest to offset ``near``."""
    pattern = re.compile(r"(?<!\w)" + re.escape(needle) + r"(?!\w)")
    starts = [m.start() for m in pattern.finditer(text)]
    if not starts:
        raise ValueError(f"demo annotation {needle!r} is not in the text")
    best = min(starts, key=lambda start: abs(start - near))
    return best, best + len(needle)


def annotate(
    article_id: str,
    text: str,
    quotes: Sequence[DemoQuote],
    *,
    published: str | None = None,
    title: str | None = None,
    url: str | None = None,
) -> Result:
    """A Result from hand annotations, with spans found in ``text``.

    The content must occur in the text; the mention and cue are taken at their
    occurrence nearest to the content.

    Raises:
        ValueError: when an annotation is not in the text.
    """
    built: list[Quote] = []
    for dq in quotes:
        cs = _nearest(text, dq.content, 0)
        mid = (cs[0] + cs[1]) // 2
        ss = _nearest(text, dq.mention, mid) if dq.mention else None
        cue = _nearest(text, dq.cue, mid) if dq.cue else None
        built.append(
            Quote(
                kind=dq.kind,
                content=dq.content,
                content_span=cs,
                content_fragments=(cs,),
                cue=dq.cue,
                cue_span=cue,
                speaker=dq.speaker,
                speaker_span=ss,
                speaker_mention=dq.mention,
                speaker_type=dq.speaker_type if dq.speaker else None,
                addressee=dq.addressee,
                medium=dq.medium,
                said_on=dq.said_on or published,
                date_text=dq.date_text,
                confidence=dq.confidence,
                flags=dq.flags,
                rule="demo:hand",
            )
        )
    built.sort(key=lambda q: q.content_span)
    article = Article(
        id=article_id, text=text, published=published, url=url, title=title
    )
    return Result(article=article, quotes=tuple(built))


MARROW = "Ilse Marrow"
OKAFOR = "Dev Okafor"
SZABO = "Renata Szabo"
LINDQVIST = "Tomas Lindqvist"
ANAND = "Priya Anand"

_BRIDGE_FULL = "The bridge will reopen by the end of April, weather permitting"
_BRIDGE_CUT = "The bridge will reopen by the end of April"
_HARBOUR = "We will not let the harbour become a car park"

ARTICLES: tuple[DemoArticle, ...] = (
    DemoArticle(
        id="demo-bridge-closure",
        title="Port Halden closes Kestrel Bridge for repairs",
        published="2025-03-03",
        url="https://example.org/port-halden/bridge-closure",
        text=(
            "Port Halden closed the Kestrel Bridge on Monday after engineers found "
            "cracks in two of its supports.\n\n"
            f"\u201c{_BRIDGE_FULL},\u201d Mayor Ilse Marrow told reporters at the "
            "town hall. She said the council had set aside money for the work in "
            "January.\n\n"
            "Councillor Dev Okafor said the closure had come too late. \u201cWe warned "
            "about those supports two years ago,\u201d he said.\n\n"
            f"At the harbour, Marrow added: \u201c{_HARBOUR}.\u201d\n\n"
            "Renata Szabo, who runs the Port Halden Transit Authority, said extra "
            "ferries would run every twenty minutes until the bridge reopens."
        ),
        quotes=(
            DemoQuote(
                _BRIDGE_FULL,
                MARROW,
                "Mayor Ilse Marrow",
                "told",
                addressee="reporters",
                confidence=0.95,
            ),
            DemoQuote(
                "the council had set aside money for the work in January",
                MARROW,
                "She",
                "said",
                kind="indirect",
                confidence=0.8,
            ),
            DemoQuote(
                "the closure had come too late",
                OKAFOR,
                "Councillor Dev Okafor",
                "said",
                kind="indirect",
                confidence=0.9,
            ),
            DemoQuote(
                "We warned about those supports two years ago",
                OKAFOR,
                "he",
                "said",
                confidence=0.85,
            ),
            DemoQuote(_HARBOUR, MARROW, "Marrow", "added", confidence=0.9),
            DemoQuote(
                "extra ferries would run every twenty minutes until the bridge reopens",
                SZABO,
                "Renata Szabo",
                "said",
                kind="indirect",
                confidence=0.9,
            ),
        ),
    ),
    DemoArticle(
        id="demo-council-budget",
        title="Council splits over bridge repair budget",
        published="2025-03-06",
        text=(
            "The Port Halden council argued for three hours on Wednesday over how to "
            "pay for the Kestrel Bridge repairs.\n\n"
            "Mayor Ilse Marrow defended the plan to borrow the money, saying the town "
            "could not wait for a grant that might never come. Standing beside "
            "her, Councillor Dev Okafor listened in silence. \u201cBorrowing now is "
            "cheaper than a bridge that falls down later,\u201d he said, according to "
            "the council's own recording.\n\n"
            "Okafor later told the Halden Courier: \u201cThis budget hides the real "
            "cost from the people who will pay it.\u201d\n\n"
            "The vote was postponed to next week."
        ),
        quotes=(
            DemoQuote(
                "the town could not wait for a grant that might never come",
                MARROW,
                "Mayor Ilse Marrow",
                "saying",
                kind="indirect",
                confidence=0.86,
            ),
            DemoQuote(
                "Borrowing now is cheaper than a bridge that falls down later",
                OKAFOR,
                "he",
                "said",
                confidence=0.41,
                flags=(
                    Flag(
                        kind="misattribution",
                        evidence=(
                            "The paragraph is about the mayor's plan to borrow; "
                            "'he' is nearest to Okafor, who 'listened in "
                            "silence', and the council recording credits the "
                            "words to Marrow."
                        ),
                        likely_speaker=MARROW,
                        score=0.82,
                    ),
                ),
            ),
            DemoQuote(
                "This budget hides the real cost from the people who will pay it",
                OKAFOR,
                "Okafor",
                "told",
                addressee="the Halden Courier",
                confidence=0.92,
            ),
        ),
    ),
    DemoArticle(
        id="demo-harbour-plan",
        title="Harbour car park plan draws fire",
        published="2025-03-10",
        text=(
            "Plans to pave part of the old harbour for parking drew protests on "
            "Sunday.\n\n"
            f"\u201c{_HARBOUR},\u201d Transit Authority chief Renata Szabo said in a "
            "post on the authority's website.\n\n"
            "Tomas Lindqvist, a spokesman for the Harbour Workers' Union, said the "
            "union would block any paving work. \u201cThese quays fed this town "
            "for two hundred years,\u201d Lindqvist said."
        ),
        quotes=(
            DemoQuote(
                _HARBOUR,
                SZABO,
                "Transit Authority chief Renata Szabo",
                "said",
                medium="a post on the authority's website",
                confidence=0.88,
                flags=(
                    Flag(
                        kind="conflicting_attribution",
                        evidence=(
                            "The same words are attributed to Ilse Marrow in "
                            "'Port Halden closes Kestrel Bridge for repairs' "
                            "(2025-03-03)."
                        ),
                        likely_speaker=MARROW,
                        other_article="demo-bridge-closure",
                        score=0.9,
                    ),
                ),
            ),
            DemoQuote(
                "the union would block any paving work",
                LINDQVIST,
                "Tomas Lindqvist",
                "said",
                kind="indirect",
                confidence=0.9,
            ),
            DemoQuote(
                "These quays fed this town for two hundred years",
                LINDQVIST,
                "Lindqvist",
                "said",
                confidence=0.95,
            ),
        ),
    ),
    DemoArticle(
        id="demo-bridge-update",
        title="Mayor promises April reopening for Kestrel Bridge",
        published="2025-03-14",
        text=(
            "Mayor Ilse Marrow repeated on Thursday her promise that the Kestrel "
            f"Bridge would be back in use this spring. \u201c{_BRIDGE_CUT},\u201d the "
            "mayor said.\n\n"
            "Ferry passengers were less sure. Dr. Priya Anand, who commutes to the "
            "Halden General Hospital, said the ferries were full by seven in the "
            "morning. \u201cNurses are arriving late for their shifts,\u201d she said."
        ),
        quotes=(
            DemoQuote(
                _BRIDGE_CUT,
                MARROW,
                "the mayor",
                "said",
                confidence=0.9,
                date_text="on Thursday",
                said_on="2025-03-13",
                flags=(
                    Flag(
                        kind="truncated",
                        evidence=(
                            "Shorter than the wording recorded on 2025-03-03 in "
                            "'Port Halden closes Kestrel Bridge for repairs': "
                            "the condition 'weather permitting' is gone."
                        ),
                        original=_BRIDGE_FULL + ".",
                        diff="The bridge will reopen by the end of April[-, weather "
                        "permitting-]",
                        other_article="demo-bridge-closure",
                        score=0.75,
                    ),
                ),
            ),
            DemoQuote(
                "the ferries were full by seven in the morning",
                ANAND,
                "Dr. Priya Anand",
                "said",
                kind="indirect",
                confidence=0.9,
            ),
            DemoQuote(
                "Nurses are arriving late for their shifts",
                ANAND,
                "she",
                "said",
                confidence=0.88,
            ),
        ),
    ),
    DemoArticle(
        id="demo-union-strike",
        title="Harbour union threatens strike",
        published="2025-03-18",
        text=(
            "The Harbour Workers' Union voted on Monday to strike if the car park "
            "plan goes ahead.\n\n"
            "\u201cThese quays fed this town for three hundred years, and they will "
            "feed it for three hundred more,\u201d union spokesman Tomas Lindqvist "
            "told the crowd.\n\n"
            "In a statement, the union said it was ready to talk to the council at "
            "any time."
        ),
        quotes=(
            DemoQuote(
                "These quays fed this town for three hundred years, and they "
                "will feed it for three hundred more",
                LINDQVIST,
                "union spokesman Tomas Lindqvist",
                "told",
                addressee="the crowd",
                said_on="2025-03-17",
                date_text="on Monday",
                confidence=0.93,
                flags=(
                    Flag(
                        kind="altered_wording",
                        evidence=(
                            "Recorded on 2025-03-10 in 'Harbour car park plan "
                            "draws fire' with 'two hundred years' and without "
                            "the second half."
                        ),
                        original="These quays fed this town for two hundred years",
                        diff="These quays fed this town for [-two-] {+three+} "
                        "hundred years{+, and they will feed it for three "
                        "hundred more+}",
                        other_article="demo-harbour-plan",
                        score=0.7,
                    ),
                ),
            ),
            DemoQuote(
                "it was ready to talk to the council at any time",
                "Harbour Workers' Union",
                "the union",
                "said",
                kind="indirect",
                speaker_type="organisation",
                medium="a statement",
                confidence=0.85,
            ),
        ),
    ),
    DemoArticle(
        id="demo-ferry-extra",
        title="Transit Authority adds night ferries",
        published="2025-03-20",
        text=(
            "The Port Halden Transit Authority will add two night ferries from "
            "Friday, its chief Renata Szabo announced.\n\n"
            "\u201cNobody should have to choose between a late shift and a way "
            "home,\u201d Szabo said. Mayor Marrow welcomed the change, saying the "
            "council would cover half of the cost."
        ),
        quotes=(
            DemoQuote(
                "The Port Halden Transit Authority will add two night ferries "
                "from Friday",
                SZABO,
                "its chief Renata Szabo",
                "announced",
                kind="indirect",
                confidence=0.8,
            ),
            DemoQuote(
                "Nobody should have to choose between a late shift and a way home",
                SZABO,
                "Szabo",
                "said",
                confidence=0.95,
            ),
            DemoQuote(
                "the council would cover half of the cost",
                MARROW,
                "Mayor Marrow",
                "saying",
                kind="indirect",
                confidence=0.85,
            ),
        ),
    ),
)


def demo_results() -> list[Result]:
    """The demo articles as Results, oldest first."""
    return [
        annotate(
            a.id, a.text, a.quotes, published=a.published, title=a.title, url=a.url
        )
        for a in ARTICLES
    ]


def build_demo_bank(db: str, *, only_if_empty: bool = False) -> int:
    """Add the demo articles to the bank at ``db``; returns how many were new.

    Args:
        db: SQLite path or PostgreSQL URL (created if missing).
        only_if_empty: Leave a bank that already holds articles alone, so that
            ``onrecord serve --demo`` never mixes fiction into a real bank.
    """
    from onrecord.store import open_bank

    bank = open_bank(db)
    try:
        if only_if_empty and bank.stats().get("articles", 0):
            return 0
        return sum(1 for result in demo_results() if bank.add_result(result))
    finally:
        bank.close()
