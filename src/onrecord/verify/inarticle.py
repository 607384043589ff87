"""In-article checks: attributions that the article itself contradicts.

News style introduces every person by full name or title before a bare
surname is used, reports one speaker's statements as a run ("X said …
However, he stated … X also stated …") and lets "he"/"she" continue the
person just quoted. A record that breaks these conventions is most likely
misattributed, and the article usually tells by whom:

- the mention itself contradicts the credited speaker: another name, a role
  ("the senator") the article gives someone else, an organisation for a
  person, "she" for a man, "he" for someone not named anywhere before;
- a bare name that appears nowhere else, inside another speaker's run;
- the name in the text is out of place: the quote speaks of that person in
  the third person, the surname comes before the article introduces the
  person, the next sentence goes on with a pronoun of the other gender, or
  the "he said" that follows is someone else's.

Everything is regex and string work over the text and the quotes (no spaCy):
a few passes over the text, two over the quotes. A flag needs positive
evidence, and the weaker checks never lean on a quote already flagged.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from onrecord.types import Article, Flag, Quote, Span
from onrecord.verify._names import (
    FEMALE,
    FEMALE_NOUNS,
    GENDERED_NOUNS,
    GROUP_SUFFIXES,
    GROUPS,
    MALE,
    NOT_GIVEN,
    POSSESSIVE_RE,
    ROLE_HEADS,
    SAID_PRONOUN_RE,
    SENT_END,
    Genders,
    content_text,
    fullest,
    gender_of,
    genders,
    holders,
    looks_like_name,
    name_parts,
    names_in,
    people,
    raw_tokens,
    same_org,
    sentence,
    third_person,
)
from onrecord.verify.normalize import (
    HONORIFICS,
    PRONOUNS,
    fold,
    parse_name,
    same_speaker,
)

MAX_GAP = 400
"""Characters between two quotes for them to be part of one run."""

PAIR_GAP = 300
"""Characters between a quote and the "he said" quote that continues it."""

ANTECEDENT_WINDOW = 1000
"""Characters before a "he"/"she" in which its referent must be named."""

_PERSONAL = frozenset({"he", "she", "him", "her", "his"})
_THINGS = frozenset({"it", "its", "which", "that"})
_WHICH_RE = re.compile(r"\b((?:[A-Z][\w\-’'.]*\s+){0,4}[A-Z][\w\-’']+),?\s*$")
_PLURAL = frozenset({"they", "them", "their"})
_FIRST = frozenset({"i", "me", "my"})
_NOT_PERSON = ("organisation", "group", "document")
_PLAIN_TITLES = frozenset({"mr", "mrs", "ms", "miss", "dr"})
_ROLE_RE = re.compile(
    r"\bthe (?:\w+ )?(?:" + "|".join(sorted(HONORIFICS)) + r")\b", re.IGNORECASE
)


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


def _span_of(q: Quote) -> Span:
    spans = [q.content_span] + ([q.speaker_span] if q.speaker_span else [])
    return min(a for a, _ in spans), max(b for _, b in spans)


def _slot(text: str, pos: int, q: Quote, known: set[str]) -> _Slot:
    mention = _mention(text, q)
    start, end = _span_of(q)
    if not mention:
        return _Slot(pos, start, end, None, None, False, False, False)
    low = fold(mention.strip())
    if low in PRONOUNS:
        return _Slot(pos, start, end, mention, None, False, False, low in _PERSONAL)
    parts, whole = name_parts(mention)
    if not looks_like_name(parts, known):
        # a description ("a source") or an organisation: no person named
        surname = parse_name(q.speaker).surname or None
        return _Slot(pos, start, end, mention, surname, False, False, False)
    name = " ".join(parts)
    return _Slot(pos, start, end, name, fold(parts[-1]), True, whole, False)


@dataclass
class _Article:
    """One article under check: its text, quotes and what the text tells."""

    text: str
    quotes: Sequence[Quote]
    slots: list[_Slot]
    counts: Counter[str]  # folded token -> occurrences
    known: set[str]  # surnames of the article's people
    given: dict[str, set[str]]  # surname -> given names the text pairs it with
    gender: Genders
    found: dict[int, Flag] = field(default_factory=dict)  # by position in quotes

    @classmethod
    def read(cls, text: str, quotes: Sequence[Quote]) -> _Article:
        known, given = people(text, quotes)
        slots = sorted(
            (_slot(text, i, q, known) for i, q in enumerate(quotes)),
            key=lambda s: (s.start, s.pos),
        )
        counts: Counter[str] = Counter()
        for token, n in Counter(raw_tokens(text)).items():  # fold each form once
            counts[fold(token)] += n
        return cls(text, quotes, slots, counts, known, given, genders(text, quotes))

    def quote(self, k: int) -> Quote:
        return self.quotes[self.slots[k].pos]

    def entity(self, k: int) -> str | None:
        """The folded surname a quote is credited to (its resolution, else mention)."""
        s = self.slots[k]
        return parse_name(self.quotes[s.pos].speaker).surname or s.surname

    def person(self, k: int) -> str | None:
        """The folded surname of a quote's speaker when it is a named person."""
        s = self.slots[k]
        q = self.quotes[s.pos]
        if q.speaker_type not in (None, "person"):
            return None
        name = parse_name(q.speaker)
        if name.surname and (name.given or s.named):
            return name.surname
        return None

    def sentence(self, k: int) -> str:
        s = self.slots[k]
        return sentence(self.text, s.start, s.end)

    def fullest(self, surname: str, near: int | None = None) -> str:
        """The fullest name for a surname; near ``slots[near]`` when it is shared.

        "Johnson" in an article quoting Gary Johnson and Jeh Johnson is the
        one whose quote is nearest.
        """
        if near is not None and len(self.given.get(surname, ())) > 1:
            s = self.slots[near]
            nearest = min(
                (o for j, o in enumerate(self.slots) if self.person(j) == surname),
                key=lambda o: abs(o.start - s.start),
                default=None,
            )
            speaker = self.quotes[nearest.pos].speaker if nearest else None
            if speaker and parse_name(speaker).given:
                return speaker
        return fullest(surname, self.quotes, self.text)

    def around(self, k: int, gap: int = MAX_GAP) -> tuple[int | None, int | None]:
        """The nearest credited quotes before and after ``slots[k]``, if near."""
        s = self.slots[k]
        before = after = None
        for j in range(k - 1, -1, -1):
            if s.start - self.slots[j].end > gap:
                break
            if self.entity(j):
                before = j
                break
        for j in range(k + 1, len(self.slots)):
            if self.slots[j].start - s.end > gap:
                break
            if self.entity(j):
                after = j
                break
        return before, after

    def context_speaker(self, k: int, not_: str) -> str | None:
        """The nearest other person quoted around a quote: after it, else before.

        The next quote is preferred: a quote whose name is wrong most often
        opens or continues its true speaker's run ("… he added"). Flagged
        quotes are no evidence.
        """
        s = self.slots[k]
        later = range(k + 1, len(self.slots))
        earlier = range(k - 1, -1, -1)
        for js, after in ((later, True), (earlier, False)):
            for j in js:
                o = self.slots[j]
                if (o.start - s.end if after else s.start - o.end) > MAX_GAP:
                    break
                who = self.person(j)
                if who and who != not_ and o.pos not in self.found:
                    return who
        return None

    def antecedent(self, k: int, want: str | None, not_: str) -> str | None:
        """The nearest person quoted before ``slots[k]`` whom "he"/"she" can mean."""
        s = self.slots[k]
        for j in range(k - 1, -1, -1):
            if s.start - self.slots[j].end > ANTECEDENT_WINDOW:
                break
            who = self.person(j)
            if who and who != not_ and gender_of(self.gender, who) in (None, want):
                return who
        return None

    def speaker_after(self, k: int) -> str | None:
        """Who the next credited quote after ``slots[k]`` (if near) belongs to."""
        last = self.slots[k].end
        for j in range(k + 1, len(self.slots)):
            if self.slots[j].start - last > 2 * PAIR_GAP:
                return None
            who = self.entity(j)
            if who:
                return who
            last = self.slots[j].end
        return None


def check_article(article: Article, quotes: Sequence[Quote]) -> tuple[Quote, ...]:
    """Flag attributions that the article itself contradicts.

    A quote is flagged ``misattribution`` when its speaker mention cannot
    refer to the credited speaker, when it is credited to a bare name that
    the article never introduces, or when the name in the text is out of
    place among the quotes and pronouns around it (see the module doc). The
    flag gives the sentences involved and, when the article tells, the
    likely speaker.

    Args:
        article: The article (only its text is used).
        quotes: Its quotes, with speaker mentions or spans.

    Returns:
        The quotes in the same order, flagged ones replaced.
    """
    if not quotes or not article.text:
        return tuple(quotes)
    a = _Article.read(article.text, quotes)
    # first what the mentions themselves contradict, then the weaker
    # evidence of the quotes around, which must not lean on a flagged quote
    for k, s in enumerate(a.slots):
        flag = _unintroduced(a, k) or _mention_conflict(a, k)
        if flag is not None:
            a.found[s.pos] = flag
    for k, s in enumerate(a.slots):
        if s.pos in a.found:
            continue
        flag = (
            _no_referent(a, k)
            or _pronoun_chain(a, k)
            or _self_reference(a, k)
            or _gender_after(a, k)
        )
        if flag is not None:
            a.found[s.pos] = flag
    for pos, flag in _introduction_order(a).items():
        a.found.setdefault(pos, flag)
    pairs, breaks = _pronoun_pairs(a)
    for pos, flag in pairs.items():
        a.found.setdefault(pos, flag)
    for pos, flag in _swapped_twins(a, breaks).items():
        a.found.setdefault(pos, flag)
    out = list(quotes)
    for pos, flag in a.found.items():
        q = quotes[pos]
        if all(f.kind != flag.kind for f in q.flags):
            out[pos] = dataclasses.replace(q, flags=q.flags + (flag,))
    return tuple(out)


def _misattribution(evidence: str, likely: str | None, score: float) -> Flag:
    return Flag(
        kind="misattribution", evidence=evidence, likely_speaker=likely, score=score
    )


# ---------------------------------------------------------------------------
# a bare name introduced nowhere
# ---------------------------------------------------------------------------


def _unintroduced(a: _Article, k: int) -> Flag | None:
    """A bare name that the article mentions nowhere else."""
    s = a.slots[k]
    q = a.quotes[s.pos]
    if not (s.bare and s.surname) or a.counts[s.surname] > 1:
        return None
    if not _person_like(a.text, s, q):
        return None
    flag = _run_flag(a, k)
    if flag is not None:
        # inside a person's run even a name typed as an organisation (a guess
        # for a name seen once) is out of place
        return flag
    if q.speaker_type not in (None, "person", "other") and not _acts_as_person(a, k):
        return None  # "Reuters said": an organisation may be named once
    return _misattribution(
        f"“{s.mention}” is named nowhere else in the article and never "
        f"introduced: “{a.sentence(k)}”",
        None,
        0.5,
    )


def _acts_as_person(a: _Article, k: int) -> bool:
    """Whether the text treats a speaker as a person: "I" in its words, "X
    said he …", or "he"/"she" right after."""
    s = a.slots[k]
    q = a.quotes[s.pos]
    if q.kind != "indirect" and _FIRST_PERSON_RE.search(content_text(a.text, q)):
        return True
    end = q.speaker_span[1] if q.speaker_span else s.end
    if SAID_PRONOUN_RE.match(a.text, max(0, end - len(s.mention or "") - 1), end + 40):
        return True
    return _next_subject_pronoun(a, k) is not None


def _person_like(text: str, s: _Slot, q: Quote) -> bool:
    """Whether a bare capitalised mention can be a person's surname."""
    name = s.surname or ""
    if name in GROUPS:
        return False
    if q.speaker and fold(q.speaker) != fold(s.mention or ""):
        # the resolver knows better: a description, or someone named elsewhere
        resolved = parse_name(q.speaker)
        if not resolved.surname or resolved.surname != name:
            return False
    at = s.start if q.speaker_span is None else q.speaker_span[0]
    head = text[max(0, at - 3) : at]
    sentence_initial = not head.strip() or head.rstrip()[-1:] in '.!?"”'
    return not (sentence_initial and name.endswith(GROUP_SUFFIXES))


def _run_flag(a: _Article, k: int) -> Flag | None:
    """The unintroduced name sits in a run of another named speaker."""
    s = a.slots[k]
    # the run's owner: the nearest earlier quote, credited to a named speaker
    if k == 0:
        return None
    prev = a.slots[k - 1]
    if s.start - prev.end > MAX_GAP:
        return None
    owner = a.entity(k - 1)
    if not owner or owner == s.surname:
        return None
    # the run goes on after the quote: pronouns continue it, a name confirms it
    last_end, pronoun_after, confirmed = s.end, None, None
    for j in range(k + 1, len(a.slots)):
        n = a.slots[j]
        if n.start - last_end > MAX_GAP:
            break
        if n.pronoun and pronoun_after is None:
            pronoun_after, last_end = j, n.end
            continue
        if n.surname is not None or a.entity(j):
            confirmed = j if a.entity(j) == owner else None
        break
    if confirmed is None and pronoun_after is None:
        return None
    owner_name = a.fullest(owner, k - 1)
    parts = [f"“{s.mention}” is named nowhere else in the article"]
    parts.append(f"before it, {owner_name}: “{a.sentence(k - 1)}”")
    for after in (pronoun_after, confirmed):
        if after is not None:
            parts.append(f"after it: “{a.sentence(after)}”")
    return _misattribution(
        "; ".join(parts), owner_name, 0.9 if confirmed is not None else 0.7
    )


# ---------------------------------------------------------------------------
# the mention cannot be the credited speaker
# ---------------------------------------------------------------------------


def _mention_conflict(a: _Article, k: int) -> Flag | None:
    """The speaker's mention in the text cannot refer to the credited speaker."""
    s = a.slots[k]
    q = a.quotes[s.pos]
    if not q.speaker or not s.mention:
        return None
    role = _role_conflict(a, q)
    if role is not None:
        return role
    if not parse_name(q.speaker).surname:
        return None
    if fold(s.mention.strip()) in PRONOUNS:
        return _pronoun_conflict(a, k)
    if not s.named or not s.surname:
        return None
    person = s.surname in a.known or (
        _PERSONAL_MENTION_RE.search(q.speaker_mention or "")
        and a.counts[s.surname] > 0  # a whole word, not a cut-off span
    )
    same = same_speaker(s.mention, q.speaker)
    if same is None and not parse_name(s.mention).surname:
        # "Mr. King": a surname that is also a title word
        credited = parse_name(q.speaker).surname
        same = s.surname == credited or s.surname in parse_name(q.speaker).given
    if person and same is False:
        return _misattribution(
            f"credited to {q.speaker}, but the text names “{s.mention}” as the "
            f"speaker: “{a.sentence(k)}”",
            a.fullest(s.surname, k),
            0.9,
        )
    return None


def _pronoun_conflict(a: _Article, k: int) -> Flag | None:
    """A pronoun speaker that cannot refer to the credited speaker.

    "she" for a man (the article's honorifics and pronouns give genders),
    "he" for an organisation, "it" or "which" for a person.
    """
    s = a.slots[k]
    q = a.quotes[s.pos]
    assert q.speaker is not None
    assert s.mention is not None
    credited = parse_name(q.speaker).surname
    mention = fold(s.mention.strip())
    if mention in MALE | FEMALE:
        want = "m" if mention in MALE else "f"
        likely = a.antecedent(k, want, credited)
        owner = a.fullest(likely, k) if likely else None
        if gender_of(a.gender, credited, minus=want) not in (None, want):
            if len(a.given.get(credited, ())) > 1:
                return None  # "Mrs. Trump" may be another Trump than the speaker
            return _misattribution(
                f"credited to {q.speaker}, but the text says “{s.mention}”, which "
                f"the article never uses for {q.speaker}: “{a.sentence(k)}”",
                owner,
                0.7,
            )
        if q.speaker_type in _NOT_PERSON:
            return _misattribution(
                f"credited to {q.speaker}, not a person, but the text says "
                f"“{s.mention}”: “{a.sentence(k)}”",
                owner,
                0.7,
            )
        return None
    person = q.speaker_type in (None, "person") and bool(parse_name(q.speaker).given)
    if mention == "who" and q.speaker_span:
        # "Sen. Ilse Marko, who chairs the committee, said …": the name right
        # before "who" is whom it means
        m = _WHO_RE.search(a.text, max(0, q.speaker_span[0] - 80), q.speaker_span[0])
        parts = name_parts(m.group(1))[0] if m else []
        if parts and fold(parts[-1]) in a.known:
            name = " ".join(parts)
            if same_speaker(name, q.speaker) is False:
                return _misattribution(
                    f"credited to {q.speaker}, but “who” refers to {name}: "
                    f"“{a.sentence(k)}”",
                    a.fullest(fold(parts[-1])),
                    0.8,
                )
    if mention == "which" and q.speaker_span and q.speaker_type in _NOT_PERSON:
        # "the Harbour Ledger, which reported …": the organisation right
        # before "which" is what it means
        m = _WHICH_RE.search(a.text, max(0, q.speaker_span[0] - 80), q.speaker_span[0])
        if m and not same_org(m.group(1), q.speaker):
            return _misattribution(
                f"credited to {q.speaker}, but “which” refers to {m.group(1)}: "
                f"“{a.sentence(k)}”",
                m.group(1),
                0.7,
            )
    if mention in _THINGS and person:
        return _misattribution(
            f"credited to the person {q.speaker}, but the text's speaker is "
            f"“{s.mention}”, a thing: “{a.sentence(k)}”",
            None,
            0.7,
        )
    if mention in _PLURAL and person:
        return _misattribution(
            f"credited to one person, {q.speaker}, but the text's speaker is "
            f"“{s.mention}”: “{a.sentence(k)}”",
            None,
            0.6,
        )
    if mention in _FIRST and person and _quoted_by_name(a, credited, k):
        # the writer ("I think …") is not someone the article quotes by name
        writer = Counter(
            a.entity(j)
            for j, o in enumerate(a.slots)
            if j != k and fold(o.mention or "") in _FIRST and a.entity(j)
        ).most_common(1)
        return _misattribution(
            f"credited to {q.speaker}, whom the article quotes by name, but the "
            f"text's speaker is the writer, “{s.mention}”: “{a.sentence(k)}”",
            a.fullest(writer[0][0]) if writer and writer[0][0] else None,
            0.6,
        )
    return None


def _quoted_by_name(a: _Article, surname: str, but: int) -> bool:
    """Whether the text names this person as a speaker somewhere (not ``but``)."""
    return any(
        j != but and o.named and o.surname == surname for j, o in enumerate(a.slots)
    )


_ORG_NOUNS = frozenset(
    """agency fund company office department newspaper paper website site network
    committee council court campaign government ministry administration firm
    organization organisation union party bank magazine station center centre
    institute university board commission bureau service channel outlet
    convention poll survey study report group coalition alliance bloc""".split()
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
_WHO_RE = re.compile(
    r"((?:[A-Z][\w\-’'.]*\s+){0,3}[A-Z][\w\-’']+)\s*(?:\([^)]{0,30}\))?,?\s*$"
)
# "Mr. Ban", "Scheiderman, a Democrat whose office …": a person, named or not
_PERSONAL_MENTION_RE = re.compile(
    r"^(?:Mr|Mrs|Ms|Dr)\.?\s|^[A-Z][\w\-’']+,\s+(?:a|an|the)\s"
)
_POSSESSORS = frozenset({"his", "her", "their", "my", "our"})
_DESCRIPTION_RE = re.compile(r"^(?:the|a|an|another)\s+(.*)$", re.IGNORECASE)


def _role_conflict(a: _Article, q: Quote) -> Flag | None:
    """A role or kind in the mention that the credited speaker cannot have.

    "the agency", "The Daily Ledger" or "CNS" cannot be a person with a given
    name and surname; "a senior adviser" cannot be an organisation; "The
    Harbour Ledger" cannot be another organisation; "the president" cannot
    be anyone but a person the article calls "President X" ("the senator",
    "a New York judge", "the Republican nominee" likewise).
    """
    mention = " ".join((q.speaker_mention or "").split())
    assert q.speaker is not None
    name = parse_name(q.speaker)
    # a given name, not the type alone: unresolved descriptions ("The
    # newspaper") are often typed as people
    person = bool(name.given) and q.speaker_type in (None, "person")
    org = q.speaker_type in _NOT_PERSON
    raw = raw_tokens(mention)
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
    acronym = len(raw) == 1 and raw[0].isupper() and 2 <= len(raw[0]) <= 6

    def where() -> str:  # the quote's sentence, for a flag's detail only
        return f"“{sentence(a.text, *_span_of(q))}”"

    if person and (capital_org or (m and head in _ORG_NOUNS)):
        if name.surname in {fold(t) for t in raw}:
            return None  # "the Trump campaign" names the person it belongs to
        return _misattribution(
            f"credited to the person {q.speaker}, but the text's speaker is "
            f"“{mention}”: {where()}",
            None,
            0.7,
        )
    if person and acronym and fold(raw[0]) not in a.known:
        return _misattribution(
            f"credited to the person {q.speaker}, but the text's speaker is "
            f"“{mention}”: {where()}",
            None,
            0.7,
        )
    if org and (capital_org or acronym) and not same_org(mention, q.speaker):
        return _misattribution(
            f"credited to {q.speaker}, but the text's speaker is “{mention}”: "
            f"{where()}",
            " ".join(raw[1:] if raw[0] == "The" else raw),
            0.7,
        )
    if person and head in GENDERED_NOUNS and (m or raw[0].lower() in _POSSESSORS):
        want = "f" if head in FEMALE_NOUNS else "m"
        if gender_of(a.gender, name.surname) not in (None, want):
            return _misattribution(
                f"credited to {q.speaker}, but the text's speaker is “{mention}”, "
                f"which the article's {q.speaker} is not: {where()}",
                None,
                0.7,
            )
    if org and m and head in _PERSON_NOUNS and not same_org(mention, q.speaker):
        return _misattribution(
            f"credited to {q.speaker}, but the text's speaker is a person, "
            f"“{mention}”: {where()}",
            None,
            0.7,
        )
    if m and head in ROLE_HEADS and name.surname and person and " and " not in mention:
        if any(t[:1].isupper() and fold(t) in a.known for t in raw):
            return None  # "the Trump campaign spokesman": a name is in it
        held = holders(a.text, raw, a.known)
        if held and name.surname not in held.values():
            names = sorted({a.fullest(h) for h in held.values()})
            at = min(held)
            return _misattribution(
                f"credited to {q.speaker}, but “{mention}” is what the article "
                f"calls {' and '.join(names)}, never {q.speaker}: {where()} … "
                f"“{' '.join(a.text[at : at + 120].split())}…”",
                names[0] if len(names) == 1 else None,
                0.7,
            )
    return None


# ---------------------------------------------------------------------------
# pronouns
# ---------------------------------------------------------------------------


def _no_referent(a: _Article, k: int) -> Flag | None:
    """ "he"/"she" credited to someone the article has not named just before.

    A pronoun needs a referent the reader has just met: a person named
    nowhere in the 1,000 characters before "he said" is not whom it means.
    Not raised when a flagged quote stands in between (its wrong name, not
    the pronoun's record, is the likelier error), nor when the quotes right
    after go on with the credited speaker (then a wrong name before the
    pronoun is the likelier error; see :func:`_pronoun_pairs`).
    """
    s = a.slots[k]
    q = a.quotes[s.pos]
    mention = fold((s.mention or "").strip())
    if mention not in MALE | FEMALE or not q.speaker:
        return None
    if q.speaker_type not in (None, "person") or not parse_name(q.speaker).given:
        return None
    credited = parse_name(q.speaker).surname
    at = q.speaker_span[0] if q.speaker_span else s.start
    lo = at - ANTECEDENT_WINDOW
    if any(o.pos in a.found and lo < o.start < at for o in a.slots[:k]):
        return None
    spoke = any(
        a.entity(j) == credited and lo < o.end <= at + 1
        for j, o in enumerate(a.slots)
        if j != k
    )
    if spoke or names_in(q.speaker, a.text[max(0, lo) : at]):
        return None
    if a.speaker_after(k) == credited:
        return None
    if k and a.slots[k - 1].named and 0 <= s.start - a.slots[k - 1].end <= PAIR_GAP:
        return None  # "X said … he said": the pair of records decides
    likely = a.antecedent(k, "m" if mention in MALE else "f", credited)
    owner = a.fullest(likely, k) if likely else None
    return _misattribution(
        f"credited to {q.speaker}, but the text says “{s.mention}” and does not "
        f"name {q.speaker} anywhere in the {ANTECEDENT_WINDOW:,} characters "
        f"before: “{a.sentence(k)}”"
        + (f"; the person quoted just before is {owner}" if owner else ""),
        owner,
        0.7,
    )


def _pronoun_chain(a: _Article, k: int) -> Flag | None:
    """ "X said … he said … he added" with the last pronoun credited to someone else.

    A chain of "he said" quotes right after one another continues the person
    named at its head; a pronoun in the chain credited to another person,
    with no one else named since the head, is the odd one.
    """
    s = a.slots[k]
    q = a.quotes[s.pos]
    if fold(s.mention or "") not in ("he", "she") or not q.speaker or k == 0:
        return None
    credited = parse_name(q.speaker).surname
    at = q.speaker_span[0] if q.speaker_span else s.start
    head, j = None, k - 1
    while j >= 0:
        o = a.slots[j]
        if a.slots[j + 1].start - o.end > PAIR_GAP or o.pos in a.found:
            return None
        if o.named:
            head = j
            break
        if not o.pronoun:
            return None
        j -= 1
    if head is None or head == k - 1:
        return None  # a named quote right before: see _pronoun_pairs
    first = a.entity(head)
    if not first or first == credited or not credited:
        return None
    if any(a.entity(i) != first for i in range(head, k)):
        return None
    if names_in(q.speaker, a.text[a.slots[head].start : at]):
        return None
    if _ROLE_RE.search(a.text[a.slots[head].end : at]):
        return None
    want = "m" if fold(s.mention or "") == "he" else "f"
    if gender_of(a.gender, first) not in (None, want):
        return None
    owner = a.fullest(first, head)
    return _misattribution(
        f"credited to {q.speaker}, but “{s.mention}” goes on from quotes of "
        f"{owner}'s and no one else is named since “{a.sentence(head)}”: "
        f"“{a.sentence(k)}”",
        owner,
        0.6,
    )


def _pronoun_pairs(a: _Article) -> tuple[dict[int, Flag], dict[int, Flag]]:
    """Quote pairs "X said … He added …" whose two records name different people.

    In news style a "he/she" speaker right after a quote continues that
    quote's speaker unless someone else is named in between. When the record
    credits the two to different people, one of them is wrong; which one, the
    quotes around the pair tell:

    - the pronoun's speaker also speaks just before the pair or right after
      it: the first quote breaks that speaker's run (a wrong name in the
      text);
    - the first quote's speaker goes on after it, or nothing follows: the
      pronoun is the odd one (a wrong resolution);
    - someone else speaks next: nothing tells, both are flagged (score 0.4).

    Returns:
        Flags by position in ``quotes``, and among them the named quotes that
        break another speaker's run.
    """
    out: dict[int, Flag] = {}
    breaks: dict[int, Flag] = {}
    for k in range(len(a.slots) - 1):
        s, n = a.slots[k], a.slots[k + 1]
        mention = fold(n.mention or "")
        if mention not in ("he", "she"):
            continue
        if s.pos in a.found or n.pos in a.found:
            continue  # one of the two is explained already
        qs, qn = a.quotes[s.pos], a.quotes[n.pos]
        first, second = a.entity(k), parse_name(qn.speaker).surname
        if not first or not second or first == second:
            continue
        if same_speaker(qs.speaker, qn.speaker) is not False:
            continue
        if not (0 <= n.start - s.end <= PAIR_GAP):
            continue
        pron_at = qn.speaker_span[0] if qn.speaker_span else n.start
        between = a.text[s.start : pron_at]
        if names_in(qn.speaker, between) or _ROLE_RE.search(between):
            continue  # the pronoun may well mean the person named there
        want = "m" if mention == "he" else "f"
        if gender_of(a.gender, first) not in (None, want):
            continue  # the pronoun cannot continue the first speaker
        # the pronoun's speaker quoted just before, and the first speaker not
        # introduced since: the first quote interrupts a run
        before = a.around(k)[0]
        run_before = (
            before == k - 1
            and a.entity(k - 1) == second
            and not names_in(qs.speaker, _outside(a.text, a.slots[k - 1].end, qs))
        )
        after = a.speaker_after(k + 1)
        pair = f"“{a.sentence(k)}” → “{a.sentence(k + 1)}”"
        if (run_before or after == second) and s.named and qs.speaker:
            owner = a.fullest(second, k + 1)
            out[s.pos] = breaks[s.pos] = _misattribution(
                f"credited to {qs.speaker}, but it sits in a run of {owner}'s "
                f"quotes and the next sentence continues with “{n.mention}” for "
                f"{owner}: {pair}",
                owner,
                0.6,
            )
        elif after == first and not run_before and qn.speaker:
            owner = a.fullest(first, k)
            out[n.pos] = _misattribution(
                f"credited to {qn.speaker}, but “{n.mention}” follows a quote by "
                f"{owner}, whose quotes go on after it, and no one else is named "
                f"in between: {pair}",
                owner,
                0.6,
            )
        elif after is None and qn.speaker:
            # the pronoun ends the run: it continues the quote before it
            owner = a.fullest(first, k)
            out[n.pos] = _misattribution(
                f"credited to {qn.speaker}, but “{n.mention}” follows a quote by "
                f"{owner} and no one else is named in between: {pair}",
                owner,
                0.5,
            )
        elif s.named and qs.speaker and qn.speaker:
            # nothing tells which of the two records is wrong: both are flagged
            a_name, b_name = a.fullest(first, k), a.fullest(second, k + 1)
            out[s.pos] = _misattribution(
                f"credited to {qs.speaker}, but the next sentence goes on with "
                f"“{n.mention}” credited to {b_name}, no one else named in between: "
                f"one of the two attributions is wrong: {pair}",
                b_name,
                0.4,
            )
            out[n.pos] = _misattribution(
                f"credited to {qn.speaker}, but “{n.mention}” follows a quote "
                f"credited to {a_name}, no one else named in between: one of the "
                f"two attributions is wrong: {pair}",
                a_name,
                0.4,
            )
    return out, breaks


def _swapped_twins(a: _Article, breaks: dict[int, Flag]) -> dict[int, Flag]:
    """The other half of a swap: "B said" in A's run, and "A said" in B's.

    When a quote named B in the text breaks A's run (see
    :func:`_pronoun_pairs`), and exactly one quote that the text credits to A
    by name sits next to a quote of B's (not the flagged one) and to none of
    A's, the two names were most likely swapped.
    """
    out: dict[int, Flag] = {}
    for pos, flag in breaks.items():
        qa = a.quotes[pos]
        assert qa.speaker is not None
        assert flag.likely_speaker is not None
        first = parse_name(flag.likely_speaker).surname
        second = parse_name(qa.speaker).surname
        twins = []
        for k, s in enumerate(a.slots):
            q = a.quotes[s.pos]
            if s.pos in a.found or s.pos in out or not s.named or not q.speaker:
                continue
            if same_speaker(q.speaker, flag.likely_speaker) is not True:
                continue
            near = [j for j in a.around(k) if j is not None]
            if any(a.entity(j) == first for j in near):
                continue
            hits = [j for j in near if a.entity(j) == second and a.slots[j].pos != pos]
            if hits:
                twins.append((k, hits[0]))
        if len(twins) != 1:
            continue
        k, j = twins[0]
        q = a.quote(k)
        index = next(i for i, o in enumerate(a.slots) if o.pos == pos)
        out[a.slots[k].pos] = _misattribution(
            f"credited to {q.speaker}, but it sits next to a quote of "
            f"{qa.speaker}'s (“{a.sentence(j)}”), while “{a.sentence(index)}”, "
            f"credited to {qa.speaker}, sits in {flag.likely_speaker}'s run: the "
            f"two names look swapped: “{a.sentence(k)}”",
            qa.speaker,
            0.5,
        )
    return out


def _outside(text: str, start: int, q: Quote) -> str:
    """The text from ``start`` to a quote, its speaker mention left out."""
    at = q.speaker_span[0] if q.speaker_span else _span_of(q)[0]
    return text[start:at] if start <= at else ""


_SUBJECT_PRONOUN_RE = re.compile(r"\b(he|she|He|She)\b")
_NEXT_SENTENCE_RE = re.compile(r"[.!?][\"”’')\]]*\s+(?:[\"“‘']\s*)?(He|She)\b")


def _next_subject_pronoun(a: _Article, k: int) -> re.Match[str] | None:
    """ "He"/"She" opening the sentence after a quote, or the next quote's speaker.

    Pronouns inside quoted words (which speak of others) do not count.
    """
    s = a.slots[k]
    if k + 1 < len(a.slots) and 0 <= a.slots[k + 1].start - s.end <= PAIR_GAP:
        span = a.quote(k + 1).speaker_span
        if span and fold(a.text[span[0] : span[1]]) in ("he", "she"):
            return _SUBJECT_PRONOUN_RE.match(a.text, span[0], span[1])
    stop = SENT_END.search(a.text, max(s.end - 2, 0), s.end + PAIR_GAP)
    if stop is None:
        return None
    m = _NEXT_SENTENCE_RE.match(a.text, stop.start())
    if m is None:
        return None
    return _SUBJECT_PRONOUN_RE.match(a.text, m.start(1), m.end(1))


def _gender_after(a: _Article, k: int) -> Flag | None:
    """A named quote followed at once by "She …" for a man (or "He …" for a woman).

    With no one else named in between, the pronoun continues a run that the
    named quote interrupts: its name is most likely wrong.
    """
    s = a.slots[k]
    q = a.quotes[s.pos]
    if not s.named or not q.speaker:
        return None
    credited = parse_name(q.speaker).surname
    own = gender_of(a.gender, credited)
    m = _next_subject_pronoun(a, k) if own else None
    if m is None:
        return None
    want = "m" if m.group(1).lower() == "he" else "f"
    if want == own:
        return None
    between = a.text[s.start : m.start()]
    for t in raw_tokens(between):
        low = fold(t)
        if t[:1].isupper() and low in a.known and low != credited:
            return None  # someone else the pronoun may mean
    if _ROLE_RE.search(between):
        return None
    nxt = next(
        (
            j
            for j in range(k + 1, len(a.slots))
            if a.slots[j].start <= m.start() <= a.slots[j].end
        ),
        None,
    )
    other = a.entity(nxt) if nxt is not None else None
    likely = other if other and other != credited else None
    likely = likely or a.antecedent(k, want, credited)
    if likely and gender_of(a.gender, likely) != want:
        likely = None
    return _misattribution(
        f"credited to {q.speaker}, whom the article calls "
        f"“{'he' if own == 'm' else 'she'}”, but the next sentence goes on with "
        f"“{m.group(1)}” and no one else is named in between: “{a.sentence(k)}” → "
        f"“{sentence(a.text, m.start(), m.end())}”",
        a.fullest(likely, k) if likely else None,
        0.6,
    )


# ---------------------------------------------------------------------------
# a name out of place
# ---------------------------------------------------------------------------

_NOT_SPEECH = frozenset(
    """know knows knew believe believes believed think thinks thought feel
    feels felt want wants wanted hope hopes hoped fear fears feared see sees
    saw shows show showed found find finds expect expects expected seem seems
    plan plans planned support supports supported""".split()
)
_FIRST_PERSON_RE = re.compile(r"\b(?:I|me|my|myself)\b|\bI['’]")


def _self_reference(a: _Article, k: int) -> Flag | None:
    """The quote speaks of its credited speaker in the third person, by name.

    People do not call themselves "Smith" or "Smith's plan"; when the
    quotes around it are someone else's, that person most likely said it.
    """
    s = a.slots[k]
    q = a.quotes[s.pos]
    if not q.speaker or q.speaker_type not in (None, "person") or s.pronoun:
        return None
    if not parse_name(q.speaker).given:
        return None  # "Twitter", "United States": not surely a person
    if q.cue and fold(q.cue).split()[-1] in _NOT_SPEECH:
        return None  # "Trump knows …": a belief the writer ascribes
    credited = parse_name(q.speaker).surname
    where = third_person(q.speaker, content_text(a.text, q), a.given)
    if not credited or where is None:
        return None
    likely = a.context_speaker(k, credited)
    if likely is None and _FIRST_PERSON_RE.search(where):
        return None  # "I'm not working for Trump", said Trump: self-mockery
    owner = a.fullest(likely, k) if likely else None
    return _misattribution(
        f"credited to {q.speaker}, but the words speak of {credited.title()} in "
        f"the third person (“…{where}…”): “{a.sentence(k)}”"
        + (f"; the quotes around it are {owner}'s" if owner else ""),
        owner,
        0.6 if owner else 0.5,
    )


def _bare_surname(s: _Slot, q: Quote) -> str | None:
    """The surname of a mention that is a surname alone ("Kamin", "Mr. Kamin")."""
    if not q.speaker_span or not s.named or s.pronoun:
        return None
    if q.speaker_type not in (None, "person"):
        return None
    words = [w for w in (s.mention or "").replace(".", " ").split() if w]
    raw = (q.speaker_mention or "").replace(".", " ").split()
    if len(raw) == 2 and fold(raw[0]) in _PLAIN_TITLES:
        raw = raw[1:]
    if len(raw) != 1 or len(words) != 1:
        return None
    sur = POSSESSIVE_RE.sub("", raw[0])
    if len(sur) < 3 or fold(sur) in GROUPS or sur.isupper():
        return None
    return sur


def _fits_run(a: _Article, k: int) -> bool:
    """Whether a quote next to ``slots[k]`` is credited to the same person."""
    me = a.entity(k)
    return any(j is not None and a.entity(j) == me for j in a.around(k))


def _introduction_order(a: _Article) -> dict[int, Flag]:
    """A surname alone ("Kamin said") before the article introduces the person.

    News style gives a person's full name before the surname alone; a
    speaker called by surname before the article has named them in full
    carries a name from elsewhere. When the full name is itself another
    quote's speaker, either name may be the misplaced one: the one whose
    neighbouring quotes are someone else's is flagged.
    """
    out: dict[int, Flag] = {}
    text = a.text
    title_end = text.find("\n")
    if title_end < 0:
        return out
    for k, s in enumerate(a.slots):
        q = a.quotes[s.pos]
        sur = _bare_surname(s, q)
        if sur is None or s.pos in a.found or s.pos in out:
            continue
        assert q.speaker_span is not None
        at, end = q.speaker_span
        if at < title_end:
            continue  # headlines name people by surname
        if re.search(r"\b" + re.escape(sur) + r"\b", text[title_end:at]):
            continue
        full = next(
            (
                m
                for m in re.finditer(
                    r"\b([A-Z][a-z]+)\s+(?:[A-Z]\.\s+)?" + re.escape(sur) + r"\b",
                    text[end:],
                )
                if fold(m.group(1)) not in NOT_GIVEN
                and same_speaker(m.group(0), q.speaker) is True
            ),
            None,
        )
        if full is None:
            continue
        where = end + full.start()
        later = next(
            (
                j
                for j, o in enumerate(a.slots)
                if (sp := a.quotes[o.pos].speaker_span) and sp[0] <= where < sp[1]
            ),
            None,
        )
        target = k
        if later is not None:
            if a.slots[later].pos in a.found:
                continue
            fits_bare, fits_full = _fits_run(a, k), _fits_run(a, later)
            if fits_bare == fits_full:
                continue  # which of the two names is misplaced, nothing tells
            if fits_bare:
                target = later
        qt = a.quote(target)
        likely = a.context_speaker(target, fold(sur))
        owner = a.fullest(likely, target) if likely else None
        later_text = sentence(text, where, where + len(full.group(0)))
        if target == k:
            evidence = (
                f"credited to {qt.speaker} by surname alone before the article "
                f"introduces {full.group(0)}: “{a.sentence(k)}” … later: "
                f"“{later_text}”"
            )
        else:
            evidence = (
                f"credited to {qt.speaker}, introduced here in full although the "
                f"article has quoted {sur} by surname before, among {sur}'s own "
                f"quotes: “{a.sentence(k)}” … here: “{later_text}”"
            )
        if owner:
            evidence += f"; the quotes around it are {owner}'s"
        out[a.slots[target].pos] = _misattribution(evidence, owner, 0.6)
    return out
