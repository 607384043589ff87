"""In-article checks: attributions that the article itself contradicts.

News style introduces every person by full name or title before a bare
surname is used, and reports one speaker's statements as a run ("X said …
However, he stated … X also stated …"). A quote credited to a bare name that
the article never introduces (or mentions anywhere else), sitting inside
another speaker's run, is most likely misattributed to the wrong name, and
the run's owner is the likely speaker.

Everything is regex and string work over the text and the quotes (no spaCy):
one pass over the text to count name tokens, one over the quotes. The checks
are conservative: a flag needs positive evidence for another speaker.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from onrecord.types import Article, Flag, Quote, Span
from onrecord.verify.normalize import HONORIFICS, PRONOUNS, fold, parse_name

MAX_GAP = 400
"""Characters between two quotes for them to be part of one run."""

_TOKEN_RE = re.compile(r"[^\W\d_][\w\-]*")
_SENT_END = re.compile(r"[.!?\n]")
_PERSONAL = frozenset({"he", "she", "him", "her", "his"})
# Capitalised at the start of a sentence, these name groups, not people.
_GROUPS = frozenset(
    """protesters demonstrators officials critics analysts lawmakers democrats
    republicans polls sources experts residents voters supporters opponents
    organizers organisers activists investigators prosecutors police witnesses
    observers economists scientists researchers doctors parents students members
    leaders authorities diplomats conservatives liberals progressives delegates
    aides advisers advisors staff others some many both most several few
    americans europeans russians officers troops soldiers workers reporters
    journalists commentators pundits surveys studies reports documents
    participants respondents insiders allies rivals employees families""".split()
)
_GROUP_SUFFIXES = ("ers", "ors", "ists", "ants", "ents", "ians", "ans", "ees")


@dataclass(frozen=True, slots=True)
class _Slot:
    """One quote as seen by the run analysis."""

    pos: int  # index into the caller's quotes
    start: int
    end: int
    mention: str | None
    surname: str | None  # folded surname of a named speaker
    bare: bool  # mention is the surname alone
    pronoun: bool


def _mention(text: str, q: Quote) -> str | None:
    if q.speaker_mention:
        return q.speaker_mention
    if q.speaker_span and 0 <= q.speaker_span[0] < q.speaker_span[1] <= len(text):
        return text[q.speaker_span[0] : q.speaker_span[1]]
    return None


def _name_parts(mention: str) -> list[str]:
    """Capitalised name tokens of a mention, titles and possessives removed."""
    toks = [t for t in _TOKEN_RE.findall(mention) if t.lower() not in {"s"}]
    while toks and fold(toks[0]).replace(".", "") in HONORIFICS | {"the"}:
        toks.pop(0)
    return toks


def _slot(text: str, pos: int, q: Quote) -> _Slot:
    mention = _mention(text, q)
    spans: list[Span] = [q.content_span]
    if q.speaker_span:
        spans.append(q.speaker_span)
    start, end = min(s for s, _ in spans), max(e for _, e in spans)
    if not mention:
        return _Slot(pos, start, end, None, None, False, False)
    low = fold(mention.strip())
    if low in PRONOUNS:
        return _Slot(pos, start, end, mention, None, False, low in _PERSONAL)
    parts = _name_parts(mention)
    named = parts and all(p[:1].isupper() for p in parts) and len(parts) <= 4
    if not named or (len(parts[-1]) > 1 and parts[-1].isupper()):
        # a description ("a source") or an acronym ("NATO"): no person
        surname = _resolved_surname(q)
        return _Slot(pos, start, end, mention, surname, False, False)
    return _Slot(pos, start, end, mention, fold(parts[-1]), len(parts) == 1, False)


def _resolved_surname(q: Quote) -> str | None:
    name = parse_name(q.speaker)
    return name.surname or None


def _entity(s: _Slot, q: Quote) -> str | None:
    """The folded surname a quote is credited to (its resolution, else mention)."""
    return _resolved_surname(q) or s.surname


def _sentence(text: str, start: int, end: int) -> str:
    lo = max(0, start - 300)
    head = text[lo:start]
    cut = max((m.end() for m in _SENT_END.finditer(head)), default=0)
    tail = text[end : end + 300]
    m = _SENT_END.search(tail)
    stop = end + (m.end() if m else len(tail))
    return " ".join(text[lo + cut : stop].split())


def _fullest(surname: str, quotes: Sequence[Quote], text: str) -> str:
    """The fullest name the article gives for a surname."""
    best = ""
    for q in quotes:
        if q.speaker and parse_name(q.speaker).surname == surname:
            if len(q.speaker) > len(best):
                best = q.speaker
    if best:
        return best
    pat = re.compile(r"((?:[A-Z][\w\-.]*\s){0,3})(" + re.escape(surname) + r")\b", re.I)
    for m in pat.finditer(text):
        cand = " ".join(_name_parts(m.group(0)))
        if fold(cand.split()[-1]) == surname and len(cand) > len(best):
            best = cand
    return best or surname


def check_article(article: Article, quotes: Sequence[Quote]) -> tuple[Quote, ...]:
    """Flag attributions that the article itself contradicts.

    A quote is flagged ``misattribution`` when it is credited to a bare name
    that appears nowhere else in the article while the quotes around it form
    a run of one other named speaker (the next one possibly a pronoun that
    continues the run). The flag gives the sentences involved and the run's
    speaker as ``likely_speaker``.

    Args:
        article: The article (only its text is used).
        quotes: Its quotes, with speaker mentions or spans.

    Returns:
        The quotes in the same order, flagged ones replaced.
    """
    text = article.text
    if not quotes or not text:
        return tuple(quotes)
    counts = Counter(fold(t) for t in _TOKEN_RE.findall(text))
    slots = sorted(
        (_slot(text, i, q) for i, q in enumerate(quotes)),
        key=lambda s: (s.start, s.pos),
    )
    out = list(quotes)
    for k, s in enumerate(slots):
        if not (s.bare and s.surname) or counts[s.surname] > 1:
            continue
        if not _person_like(text, s, quotes[s.pos]):
            continue
        flag = _run_flag(text, quotes, slots, k)
        if flag is not None:
            q = quotes[s.pos]
            if all(f.kind != flag.kind for f in q.flags):
                out[s.pos] = dataclasses.replace(q, flags=q.flags + (flag,))
    return tuple(out)


def _person_like(text: str, s: _Slot, q: Quote) -> bool:
    """Whether a bare capitalised mention can be a person's surname."""
    name = s.surname or ""
    if name in _GROUPS:
        return False
    if q.speaker and fold(q.speaker) != fold(s.mention or ""):
        # the resolver knows better: a description, or someone named elsewhere
        resolved = parse_name(q.speaker)
        if not resolved.surname or resolved.surname != name:
            return False
    head = (
        text[max(0, s.start - 3) : s.start]
        if q.speaker_span is None
        else (text[max(0, q.speaker_span[0] - 3) : q.speaker_span[0]])
    )
    sentence_initial = not head.strip() or head.rstrip()[-1:] in '.!?"”'
    return not (sentence_initial and name.endswith(_GROUP_SUFFIXES))


def _run_flag(
    text: str, quotes: Sequence[Quote], slots: list[_Slot], k: int
) -> Flag | None:
    s = slots[k]
    # the run's owner: the nearest earlier quote, credited to a named speaker
    if k == 0:
        return None
    prev = slots[k - 1]
    if s.start - prev.end > MAX_GAP:
        return None
    owner = _entity(prev, quotes[prev.pos])
    if not owner or owner == s.surname:
        return None
    # the run goes on after the quote: pronouns continue it, a name confirms it
    last_end, pronoun_after, confirmed = s.end, None, None
    for n in slots[k + 1 :]:
        if n.start - last_end > MAX_GAP:
            break
        if n.pronoun and pronoun_after is None:
            pronoun_after, last_end = n, n.end
            continue
        if n.surname is not None or _entity(n, quotes[n.pos]):
            confirmed = n if _entity(n, quotes[n.pos]) == owner else None
        break
    if confirmed is None and pronoun_after is None:
        return None
    owner_name = _fullest(owner, quotes, text)
    parts = [f"“{s.mention}” is named nowhere else in the article"]
    parts.append(f"before it, {owner_name}: “{_sentence(text, prev.start, prev.end)}”")
    for n in (pronoun_after, confirmed):
        if n is not None:
            parts.append(f"after it: “{_sentence(text, n.start, n.end)}”")
    return Flag(
        kind="misattribution",
        evidence="; ".join(parts),
        likely_speaker=owner_name,
        score=0.9 if confirmed is not None else 0.7,
    )
