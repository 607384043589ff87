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
from onrecord.verify.normalize import (
    HONORIFICS,
    PRONOUNS,
    STOPWORDS,
    fold,
    parse_name,
    same_speaker,
)

MAX_GAP = 400
"""Characters between two quotes for them to be part of one run."""

_TOKEN_RE = re.compile(r"[^\W\d_][\w\-]*(?:['’][^\W\d_][\w\-]*)*")
_POSSESSIVE_RE = re.compile(r"['’]s$|['’]$")
_ENDS_SENTENCE = re.compile(r"[.!?][\"”’')\]]*$")
_SENT_END = re.compile(r"[.!?][\"”’')\]]*(?=\s|$)|\n")
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
    participants respondents insiders allies rivals employees families scholars
    historians teachers readers viewers fans""".split()
)
_GROUP_SUFFIXES = ("ers", "ors", "ists", "ants", "ents", "ians", "ans", "ees")


@dataclass(frozen=True, slots=True)
class _Slot:
    """One quote as seen by the run analysis."""

    pos: int  # index into the caller's quotes
    start: int
    end: int
    mention: str | None
    surname: str | None  # folded surname: of the mention if named, else resolved
    named: bool  # the mention is a person-like name ("Ryabkov", "Sen. Kaine")
    bare: bool  # the mention is a surname alone, without title or given name
    pronoun: bool  # a personal pronoun ("he", "she", "his", "her")


def _mention(text: str, q: Quote) -> str | None:
    if q.speaker_mention:
        return q.speaker_mention
    if q.speaker_span and 0 <= q.speaker_span[0] < q.speaker_span[1] <= len(text):
        return text[q.speaker_span[0] : q.speaker_span[1]]
    return None


def _raw_tokens(mention: str) -> list[str]:
    toks = (_POSSESSIVE_RE.sub("", t) for t in _TOKEN_RE.findall(mention))
    return [t for t in toks if t]


_PREPOSITION_RE = re.compile(r"\s(?:of|for|at|from|with|in|to|on|by|and)\s")


def _name_parts(mention: str) -> tuple[list[str], bool]:
    """The name in a mention, and whether it is the whole mention.

    The name is the trailing run of capitalised words of the first segment
    (split at commas and parentheses) that has one, titles removed:
    "Clinton, the former secretary of State," -> Clinton; "Trump campaign
    spokesman Jason Miller" -> Jason Miller; "Apple's chief executive, Tim
    Cook," -> Tim Cook. An empty list when no segment ends in a name, or
    when the name is an organisation's ("The New York Times").
    """
    for segment in re.split(r"[,(\[;:—–]", mention):
        # "Mr. Morgan of the Sierra Club", "A spokeswoman for Hillary Clinton"
        segment = _PREPOSITION_RE.split(segment, maxsplit=1)[0]
        toks = _raw_tokens(segment)
        run: list[str] = []
        for t in reversed(toks):
            if not t[:1].isupper():
                break
            run.insert(0, t)
        if not run:
            continue
        if run[0] == "The":
            return [], False
        while run and fold(run[0]).replace(".", "") in HONORIFICS:
            run.pop(0)
        whole = len(toks) == len(run) == 1 and len(_raw_tokens(mention)) == 1
        return run, whole
    return [], False


def _looks_like_name(parts: list[str], known: set[str]) -> bool:
    if not parts or len(parts) > 4:
        return False
    last = parts[-1]
    if len(last) > 1 and last.isupper():  # an acronym ("NATO") or a transcript
        return fold(last) in known  # label ("WALLACE") for a named person
    return sum(c.isupper() for c in last) < 3  # "RealClearPolitics"


def _slot(text: str, pos: int, q: Quote, known: set[str]) -> _Slot:
    mention = _mention(text, q)
    spans: list[Span] = [q.content_span]
    if q.speaker_span:
        spans.append(q.speaker_span)
    start, end = min(s for s, _ in spans), max(e for _, e in spans)
    if not mention:
        return _Slot(pos, start, end, None, None, False, False, False)
    low = fold(mention.strip())
    if low in PRONOUNS:
        return _Slot(pos, start, end, mention, None, False, False, low in _PERSONAL)
    parts, whole = _name_parts(mention)
    if not _looks_like_name(parts, known):
        # a description ("a source") or an organisation: no person named
        return _Slot(
            pos, start, end, mention, _resolved_surname(q), False, False, False
        )
    name = " ".join(parts)
    return _Slot(pos, start, end, name, fold(parts[-1]), True, whole, False)


def _resolved_surname(q: Quote) -> str | None:
    name = parse_name(q.speaker)
    return name.surname or None


def _entity(s: _Slot, q: Quote) -> str | None:
    """The folded surname a quote is credited to (its resolution, else mention)."""
    return _resolved_surname(q) or s.surname


def _sentence(text: str, start: int, end: int) -> str:
    """The sentence(s) around ``text[start:end]``, at most 300 characters out."""
    lo = max(0, start - 300)
    head = text[lo:start]
    cut = max((m.end() for m in _SENT_END.finditer(head)), default=0)
    if _ENDS_SENTENCE.search(text[max(0, end - 3) : end]):
        stop = end  # the span itself closes its sentence
    else:
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
        parts = _name_parts(m.group(0))[0]
        if parts and fold(parts[-1]) == surname and len(" ".join(parts)) > len(best):
            best = " ".join(parts)
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
    counts = Counter(fold(t) for t in _raw_tokens(text))
    known = _known_people(text, quotes)
    slots = sorted(
        (_slot(text, i, q, known) for i, q in enumerate(quotes)),
        key=lambda s: (s.start, s.pos),
    )
    gender = _genders(text, quotes)
    out = list(quotes)
    for k, s in enumerate(slots):
        q = quotes[s.pos]
        flag = (
            _unintroduced(text, quotes, slots, k, counts)
            or _mention_conflict(text, quotes, s, gender, known)
            or _pronoun_continues(text, quotes, slots, k)
        )
        if flag is not None and all(f.kind != flag.kind for f in q.flags):
            out[s.pos] = dataclasses.replace(q, flags=q.flags + (flag,))
    return tuple(out)


def _unintroduced(
    text: str,
    quotes: Sequence[Quote],
    slots: list[_Slot],
    k: int,
    counts: Counter[str],
) -> Flag | None:
    """A bare name that the article mentions nowhere else."""
    s = slots[k]
    if not (s.bare and s.surname) or counts[s.surname] > 1:
        return None
    if quotes[s.pos].speaker_type not in (None, "person", "other"):
        return None
    if not _person_like(text, s, quotes[s.pos]):
        return None
    flag = _run_flag(text, quotes, slots, k)
    if flag is not None:
        return flag
    return Flag(
        kind="misattribution",
        evidence=(
            f"“{s.mention}” is named nowhere else in the article and never "
            f"introduced: “{_sentence(text, s.start, s.end)}”"
        ),
        score=0.5,
    )


_MALE = frozenset({"he", "him", "his", "mr"})
_FEMALE = frozenset({"she", "her", "hers", "mrs", "ms", "miss"})


_HONORIFIC_RE = re.compile(
    r"\b(Mr|Mrs|Ms|Miss)\.?\s+((?:[A-Z][\w\-]+\s+){0,2}[A-Z][\w\-]+)"
)


def _genders(text: str, quotes: Sequence[Quote]) -> dict[str, Counter[str]]:
    """Surname -> votes for "m"/"f" in the article.

    Evidence: honorifics ("Mr. Deese", "Ms. Martin") in the text, and
    pronoun mentions resolved to that speaker.
    """
    votes: dict[str, Counter[str]] = {}
    for m in _HONORIFIC_RE.finditer(text):
        g = "m" if m.group(1) == "Mr" else "f"
        votes.setdefault(fold(m.group(2).split()[-1]), Counter())[g] += 1
    for q in quotes:
        mention = fold(q.speaker_mention or "")
        sur = parse_name(q.speaker).surname
        if sur and mention in _MALE | _FEMALE:
            g = "m" if mention in _MALE else "f"
            votes.setdefault(sur, Counter())[g] += 1
    return votes


def _shared_surname(text: str, surname: str) -> bool:
    """Whether the article names two people with this surname (a family)."""
    pat = re.compile(
        r"\b([A-Z][a-z]+)\s+(?:[A-Z]\.\s+)?" + re.escape(surname) + r"\b", re.I
    )
    given = {
        fold(m.group(1))
        for m in pat.finditer(text)
        if m.group(1)[:1].isupper() and fold(m.group(1)) not in HONORIFICS | STOPWORDS
    }
    return len(given) > 1


def _gender_of(
    votes: dict[str, Counter[str]], surname: str, minus: str | None = None
) -> str | None:
    """The article's one gender for a surname, not counting one own vote."""
    v = Counter(votes.get(surname, ()))
    if minus:
        v[minus] -= 1
    known = [g for g, n in v.items() if n > 0]
    return known[0] if len(known) == 1 else None


_FULL_NAME_RE = re.compile(r"\b([A-Z][a-z]+)\s+(?:[A-Z]\.\s+)?([A-Z][\w\-’']+)")


def _known_people(text: str, quotes: Sequence[Quote]) -> set[str]:
    """Surnames of people the article names: speakers, and "Given Surname"."""
    known = {parse_name(q.speaker).surname for q in quotes if q.speaker}
    for line in text.splitlines():
        caps = sum(1 for w in line.split() if w[:1].isupper())
        if caps > 0.5 * len(line.split()):
            continue  # a headline in title case: capitals say nothing
        for m in _FULL_NAME_RE.finditer(line):
            if fold(m.group(1)) not in HONORIFICS | STOPWORDS:
                known.add(fold(parse_name(m.group(2)).surname or ""))
    known.discard("")
    return known


def _mention_conflict(
    text: str,
    quotes: Sequence[Quote],
    s: _Slot,
    gender: dict[str, Counter[str]],
    known: set[str],
) -> Flag | None:
    """The speaker's mention in the text cannot refer to the credited speaker."""
    q = quotes[s.pos]
    if not q.speaker or not s.mention:
        return None
    role = _role_conflict(text, q)
    if role is not None:
        return role
    credited = parse_name(q.speaker).surname
    if not credited:
        return None
    mention = fold(s.mention.strip())
    sentence = _sentence(text, s.start, s.end)
    if s.pronoun and mention in _MALE | _FEMALE:
        want = "m" if mention in _MALE else "f"
        if _gender_of(gender, credited, minus=want) in (None, want):
            return None
        if _shared_surname(text, credited):
            return None  # "Mrs. Trump" may be another Trump than the speaker
        # the pronoun fits another quoted speaker of the right gender
        others = [
            parse_name(o.speaker).surname
            for o in quotes
            if o.speaker and _gender_of(gender, parse_name(o.speaker).surname) == want
        ]
        likely = next((o for o in others if o), None)
        return Flag(
            kind="misattribution",
            evidence=(
                f"credited to {q.speaker}, but the text says “{s.mention}”, "
                f"which the article never uses for {q.speaker}: “{sentence}”"
            ),
            likely_speaker=_fullest(likely, quotes, text) if likely else None,
            score=0.7,
        )
    if s.named and s.surname in known and same_speaker(s.mention, q.speaker) is False:
        return Flag(
            kind="misattribution",
            evidence=(
                f"credited to {q.speaker}, but the text names “{s.mention}” "
                f"as the speaker: “{sentence}”"
            ),
            likely_speaker=_fullest(s.surname, quotes, text),
            score=0.9,
        )
    return None


_ORG_NOUNS = frozenset(
    """agency fund company office department newspaper paper website site network
    committee council court campaign government ministry administration firm
    organization organisation union party bank magazine station center centre
    institute university board commission bureau service channel outlet
    convention poll survey study report group coalition""".split()
)
_PERSON_NOUNS = frozenset(
    """president senator governor secretary mayor judge doctor physician lawyer
    attorney spokesman spokeswoman spokesperson candidate nominee minister
    chancellor ambassador congressman congresswoman representative senior
    student mother father wife husband son daughter man woman professor
    chairman chairwoman director executive officer commissioner sheriff
    economist strategist adviser advisor aide reporter anchor host republican
    democrat conservative liberal independent libertarian""".split()
)
_DESCRIPTION_RE = re.compile(r"^(?:the|a|an|another)\s+(.*)$", re.IGNORECASE)


def _role_conflict(text: str, q: Quote) -> Flag | None:
    """A role or kind in the mention that the credited speaker cannot have.

    "the agency" or "The Daily Ledger" cannot be a person with a given name
    and surname; "a senior adviser" cannot be an organisation; "the
    president" cannot be anyone but the one person the article calls
    "President X".
    """
    mention = " ".join((q.speaker_mention or "").split())
    assert q.speaker is not None
    name = parse_name(q.speaker)
    person = bool(name.given) and q.speaker_type in (None, "person")
    org = q.speaker_type in ("organisation", "group", "document")
    raw = _raw_tokens(mention)
    if not raw or same_speaker(mention, q.speaker) is True:
        return None
    head = fold(raw[-1])
    m = _DESCRIPTION_RE.match(mention)
    capital_org = (
        raw[0] == "The"
        and len(raw) >= 2
        and all(t[:1].isupper() for t in raw[1:])
        and head not in _PERSON_NOUNS
    )
    if person and (capital_org or (m and head in _ORG_NOUNS)):
        if name.surname in {fold(t) for t in raw}:
            return None  # "the Trump campaign" names the person it belongs to
        return Flag(
            kind="misattribution",
            evidence=(
                f"credited to the person {q.speaker}, but the text's speaker is "
                f"“{mention}”: “{_sentence(text, *_span_of(q))}”"
            ),
            score=0.7,
        )
    if org and m and head in _PERSON_NOUNS:
        return Flag(
            kind="misattribution",
            evidence=(
                f"credited to {q.speaker}, but the text's speaker is a person, "
                f"“{mention}”: “{_sentence(text, *_span_of(q))}”"
            ),
            score=0.7,
        )
    if m and head in _PERSON_NOUNS and len(raw) == 2 and name.surname:
        holders = {
            fold(h.group(1).split()[-1])
            for h in re.finditer(
                r"\b"
                + re.escape(raw[-1].capitalize())
                + r"\s+((?:[A-Z][\w\-]+\.?\s+){0,2}[A-Z][\w\-]+)\b",
                text,
            )
        } - HONORIFICS
        if len(holders) == 1:
            (holder,) = holders
            if holder != name.surname and fold(holder) not in STOPWORDS:
                likely = _fullest(holder, [], text)
                return Flag(
                    kind="misattribution",
                    evidence=(
                        f"credited to {q.speaker}, but “{mention}” of the article "
                        f"is {likely}: “{_sentence(text, *_span_of(q))}”"
                    ),
                    likely_speaker=likely,
                    score=0.7,
                )
    return None


def _span_of(q: Quote) -> Span:
    spans = [q.content_span] + ([q.speaker_span] if q.speaker_span else [])
    return min(a for a, _ in spans), max(b for _, b in spans)


_ROLE_RE = re.compile(
    r"\bthe (?:\w+ )?(?:" + "|".join(sorted(HONORIFICS)) + r")\b", re.IGNORECASE
)


def _pronoun_continues(
    text: str, quotes: Sequence[Quote], slots: list[_Slot], k: int
) -> Flag | None:
    """A named quote followed at once by "he/she said" that continues someone else.

    In news style a pronoun right after a named speaker's quote refers to that
    speaker; when the article's next quote is a pronoun resolved to another
    named speaker (and that speaker is not mentioned in between), the named
    quote sits inside the other speaker's run.
    """
    s = slots[k]
    q = quotes[s.pos]
    credited = parse_name(q.speaker).surname if q.speaker else ""
    if not credited or not s.named or k + 1 >= len(slots):
        return None
    n = slots[k + 1]
    if fold(n.mention or "") not in {"he", "she"}:
        return None
    if n.start < s.end or n.start - s.end > 300:
        return None
    other = _resolved_surname(quotes[n.pos])
    if not other or other == credited:
        return None
    if re.search(r"\b" + re.escape(other) + r"\b", fold(text[s.end : n.start])):
        return None
    if _ROLE_RE.search(text[s.start : n.start]):
        return None  # "the president" in between may be whom the pronoun means
    owner = _fullest(other, quotes, text)
    return Flag(
        kind="misattribution",
        evidence=(
            f"credited to {q.speaker}, but the next sentence continues with "
            f"“{n.mention}” for {owner}: “{_sentence(text, s.start, s.end)}” "
            f"→ “{_sentence(text, n.start, n.end)}”"
        ),
        likely_speaker=owner,
        score=0.6,
    )


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
    for after in (pronoun_after, confirmed):
        if after is not None:
            parts.append(f"after it: “{_sentence(text, after.start, after.end)}”")
    return Flag(
        kind="misattribution",
        evidence="; ".join(parts),
        likely_speaker=owner_name,
        score=0.9 if confirmed is not None else 0.7,
    )
