"""Find direct quotations by their quote marks, robust to the marks news text really
has.

Handles curly and straight double quotes, doubled apostrophes and backticks
(``''Hopefully,''``), quotes that run over paragraphs (each paragraph reopens
the quote, only the last one closes it), stray opening marks inside a quote,
stray closing marks after one, and quotes whose closing mark is missing.
Single quotes are treated as nested quotes only, never as top-level marks: in
English news ``’`` is far more often an apostrophe.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from onrecord.types import Span

# A mark is "open", "close" or "either" (straight marks decide by their context).
_MARK_RE = re.compile(r"``|''|[\"“”„«»]")
_OPEN = {"“", "„", "«", "``"}
_CLOSE = {"”", "»"}


@dataclass(frozen=True, slots=True)
class QuoteRun:
    """A quoted stretch of text.

    Attributes:
        span: Offsets of the quoted text including its marks.
        inner: Offsets of the text between the marks.
        fragments: Per-paragraph pieces (a quote over paragraphs has several).
        balanced: False when a mark was missing or stray and had to be repaired.
    """

    span: Span
    inner: Span
    fragments: tuple[Span, ...]
    balanced: bool


def _role(text: str, start: int, end: int, mark: str) -> str:
    if mark in _OPEN:
        return "open"
    if mark in _CLOSE:
        if (
            mark == "”"
            and (start == 0 or text[start - 1] == "\n")
            and text[end : end + 1].isalnum()
        ):
            # ”Fear. I am afraid...” at a paragraph's start: a reversed opening mark
            return "open"
        return "close"
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    if before.isspace() or before in "([{—–-/":
        return "open" if not after.isspace() else "either"
    if after.isspace() or after in ".,;:!?)]}—–-" or end == len(text):
        return "close"
    return "either"


def _family(mark: str) -> str:
    """Quotes over paragraphs reopen with the same kind of mark they opened with."""
    if mark.startswith(("``", "''")):
        return "double-apostrophe"
    if mark[:1] in "“”„":
        return "curly"
    if mark[:1] in "«»":
        return "guillemet"
    return "straight"


def _paragraphs(text: str) -> list[Span]:
    spans: list[Span] = []
    for m in re.finditer(r"[^\n]+", text):
        if m.group().strip():
            spans.append((m.start(), m.end()))
    return spans


def find_quote_runs(text: str) -> list[QuoteRun]:
    """Find every quoted stretch of ``text``.

    Args:
        text: The article text.

    Returns:
        Quote runs in text order, with character offsets into ``text``.
    """
    marks_by_par: list[list[tuple[int, int, str]]] = []
    pars = _paragraphs(text)
    for ps, pe in pars:
        marks = []
        for m in _MARK_RE.finditer(text, ps, pe):
            marks.append(
                (m.start(), m.end(), _role(text, m.start(), m.end(), m.group()))
            )
        marks_by_par.append(marks)

    runs: list[QuoteRun] = []
    # an open quote carried over from the previous paragraph:
    # (start of whole run, fragments so far, the family of its opening mark)
    carry: tuple[int, list[Span], str] | None = None
    for pi, ((ps, pe), marks) in enumerate(zip(pars, marks_by_par, strict=False)):
        open_at: int | None = None  # start offset of the current open mark
        open_inner: int | None = None
        balanced = True
        frag_start: int | None = None
        prev_fragments: list[Span] = []
        run_start: int | None = None
        if carry is not None:
            # the paragraph must start by reopening the quote to continue it
            if (
                marks
                and marks[0][0] == ps
                and marks[0][2] in ("open", "either")
                and _family(text[marks[0][0] : marks[0][1]]) == carry[2]
            ):
                run_start, prev_fragments, _ = carry
                open_at, open_inner = marks[0][0], marks[0][1]
                frag_start = marks[0][1]
                marks = marks[1:]
            carry = None
        last_closed: int | None = (
            None  # index into runs of a run closed in this paragraph
        )
        for start, end, role in marks:
            if open_at is None:
                if (
                    role == "close"
                    and last_closed is not None
                    and _family(text[start:end])
                    == _family(
                        text[runs[last_closed].span[0] : runs[last_closed].span[0] + 2]
                    )
                ):
                    # stray closing mark: the previous quote ran on to here
                    prev = runs[last_closed]
                    first = prev.fragments[-1][0] if prev.fragments else prev.inner[0]
                    frags = list(prev.fragments[:-1]) + [(first, start)]
                    runs[last_closed] = QuoteRun(
                        (prev.span[0], end), (prev.inner[0], start), tuple(frags), False
                    )
                    continue
                if role == "close":
                    continue  # a lone closing mark with nothing before it: ignore
                open_at, open_inner, frag_start, run_start = start, end, end, start
                prev_fragments = []
                balanced = True
            else:
                if role == "open" and not (end < pe and text[end : end + 1].isspace()):
                    # a second opening mark inside a quote: a stray one
                    balanced = False
                    continue
                assert open_inner is not None
                assert frag_start is not None
                assert run_start is not None
                frags = prev_fragments + [(frag_start, start)]
                runs.append(
                    QuoteRun(
                        (run_start, end),
                        (frags[0][0], start),
                        tuple(f for f in frags if f[1] > f[0]),
                        balanced,
                    )
                )
                last_closed = len(runs) - 1
                open_at = None
        if open_at is not None:
            assert frag_start is not None
            assert run_start is not None
            frags = prev_fragments + [(frag_start, pe)]
            nxt = marks_by_par[pi + 1] if pi + 1 < len(pars) else []
            fam = _family(text[run_start : run_start + 2])
            if (
                nxt
                and nxt[0][0] == pars[pi + 1][0]
                and nxt[0][2] in ("open", "either")
                and _family(text[nxt[0][0] : nxt[0][1]]) == fam
            ):
                carry = (run_start, frags, fam)
            else:
                # missing closing mark: the quote ends with its paragraph
                runs.append(
                    QuoteRun((run_start, pe), (frags[0][0], pe), tuple(frags), False)
                )
    return [
        r
        for r in runs
        if r.inner[1] > r.inner[0] and text[r.inner[0] : r.inner[1]].strip()
    ]
