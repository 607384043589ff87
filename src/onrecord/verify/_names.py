"""Reading people out of one article's text: names, titles, roles, genders.

Regex and string work only (no spaCy), for the in-article checks: what a
speaker mention names ("Trump campaign spokesman Jason Miller" -> Jason
Miller), which people the article names in full, which gender its
honorifics and pronouns give them, who holds a role ("the senator"), and
whether a quote speaks of someone in the third person.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

from onrecord.types import Quote
from onrecord.verify.normalize import HONORIFICS, STOPWORDS, fold, parse_name

TOKEN_RE = re.compile(r"[^\W\d_][\w\-]*(?:['’][^\W\d_][\w\-]*)*")
POSSESSIVE_RE = re.compile(r"['’]s$|['’]$")
SENT_END = re.compile(r"[.!?][\"”’')\]]*(?=\s|$)|\n")
_ENDS_SENTENCE = re.compile(r"[.!?][\"”’')\]]*$")
_PREPOSITION_RE = re.compile(r"\s(?:of|for|at|from|with|in|to|on|by|and)\s")

# Capitalised at the start of a sentence, these name groups, not people.
GROUPS = frozenset(
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
GROUP_SUFFIXES = ("ers", "ors", "ists", "ants", "ents", "ians", "ans", "ees")

_NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
_TITLE_WORDS = frozenset(
    """president secretary minister senator governor mayor judge justice
    chairman chairwoman chair director spokesman spokeswoman spokesperson
    ambassador commissioner sheriff representative congressman congresswoman
    chancellor nominee candidate leader speaker attorney general sen rep gov
    chief executive officer editor founder professor economist strategist
    adviser advisor aide manager member""".split()
)


def raw_tokens(text: str) -> list[str]:
    """Word tokens, possessive endings removed ("Trump's" -> "Trump")."""
    toks = TOKEN_RE.findall(text)
    if "'" not in text and "’" not in text:
        return toks
    # a token holds an apostrophe only before a letter (TOKEN_RE), so only those
    # with one can end in a possessive
    return [
        u
        for u in (POSSESSIVE_RE.sub("", t) if "'" in t or "’" in t else t for t in toks)
        if u
    ]


_LEADING = STOPWORDS | {"neither", "either", "every", "everything", "nothing"}


def _honorific(token: str) -> bool:
    return fold(token).replace(".", "") in HONORIFICS


def _is_title(token: str) -> bool:
    return fold(token).replace(".", "") in _TITLE_WORDS


def name_parts(mention: str) -> tuple[list[str], bool]:
    """The name in a mention, and whether it is the whole mention.

    The name is the trailing run of capitalised words of the first segment
    (split at commas and parentheses) that has one, titles removed:
    "Clinton, the former secretary of State," -> Clinton; "Trump campaign
    spokesman Jason Miller" -> Jason Miller; "British Prime Minister Theresa
    May" -> Theresa May; "Vice President Joseph R. Biden Jr." -> Joseph R.
    Biden. An empty list when no segment ends in a name, or when the name is
    an organisation's ("The New York Times").
    """
    for segment in re.split(r"[,(\[;:—–]", mention):
        # "Mr. Morgan of the Sierra Club", "A spokeswoman for Hillary Clinton"
        head, *rest = _PREPOSITION_RE.split(segment, maxsplit=1)
        toks = raw_tokens(head)
        run: list[str] = []
        for t in reversed(toks):
            if not t[:1].isupper():
                break
            run.insert(0, t)
        if not run:
            continue
        if run[0] == "The":
            return [], False
        while len(run) > 1 and fold(run[0]) in _LEADING:
            run.pop(0)  # "Neither Clinton nor …", "Everything Trump says"
        while len(run) > 1 and fold(run[-1]).replace(".", "") in _NAME_SUFFIXES:
            run.pop()
        if _is_title(run[-1]) and all(_is_title(t) or _honorific(t) for t in run):
            # "Secretary of State John F. Kerry": the name is after the title
            return (name_parts(rest[0])[0] if rest else []), False
        # the name is what follows the last title word ("Mr. King": King)
        titles = [i for i, t in enumerate(run[:-1]) if _is_title(t) or _honorific(t)]
        if titles:
            run = run[titles[-1] + 1 :]
        whole = len(toks) == len(run) == 1 and len(raw_tokens(mention)) == 1
        return run, whole
    return [], False


def looks_like_name(parts: list[str], known: set[str]) -> bool:
    """Whether name parts are a person's name, not an acronym or a brand."""
    if not parts or len(parts) > 4:
        return False
    last = parts[-1]
    if len(last) > 1 and last.isupper():  # an acronym ("NATO") or a transcript
        return fold(last) in known  # label ("WALLACE") for a named person
    return sum(c.isupper() for c in last) < 3  # "RealClearPolitics"


def sentence(text: str, start: int, end: int) -> str:
    """The sentence(s) around ``text[start:end]``, at most 300 characters out."""
    lo = max(0, start - 300)
    head = text[lo:start]
    cut = max((m.end() for m in SENT_END.finditer(head)), default=0)
    if _ENDS_SENTENCE.search(text[max(0, end - 3) : end]):
        stop = end  # the span itself closes its sentence
    else:
        tail = text[end : end + 300]
        m = SENT_END.search(tail)
        stop = end + (m.end() if m else len(tail))
    return " ".join(text[lo + cut : stop].split())


def name_tokens(name: str | None) -> list[str]:
    """The folded surname and given names (3 letters or more) of a speaker."""
    n = parse_name(name)
    return [t for t in n.given if len(t) >= 3] + ([n.surname] if n.surname else [])


def names_in(name: str | None, chunk: str) -> bool:
    """Whether ``chunk`` mentions any part of the name ("Clinton", "Hillary")."""
    low = fold(chunk)
    return any(re.search(r"\b" + re.escape(t) + r"\b", low) for t in name_tokens(name))


def fullest(surname: str, quotes: Sequence[Quote], text: str) -> str:
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
        parts = name_parts(m.group(0))[0]
        if parts and fold(parts[-1]) == surname and len(" ".join(parts)) > len(best):
            best = " ".join(parts)
    return best or surname


# ---------------------------------------------------------------------------
# the people of an article
# ---------------------------------------------------------------------------

# the given name is consumed, the surname only looked at: "Mayor Tom Brannock"
# yields (Mayor, Tom) and (Tom, Brannock)
_FULL_NAME_RE = re.compile(r"\b([A-Z][a-z]+)\s+(?=(?:[A-Z]\.\s+)?([A-Z][\w\-’']+))")
NOT_GIVEN = HONORIFICS | STOPWORDS
"""Folded words that are never a given name before a surname ("Mr", "The")."""


def _full_names(text: str) -> Iterable[tuple[str, str]]:
    """(given, surname) of every "Given Surname" outside title-case lines."""
    for line in text.splitlines():
        line_words = line.split()
        caps = sum(1 for w in line_words if w[:1].isupper())
        if caps > 0.5 * len(line_words):
            continue  # a headline in title case: capitals say nothing
        for m in _FULL_NAME_RE.finditer(line):
            given = fold(m.group(1))
            if given not in NOT_GIVEN:
                # not parse_name: "King" in "Larry King" is a surname here
                yield given, fold(POSSESSIVE_RE.sub("", m.group(2)))


def people(text: str, quotes: Sequence[Quote]) -> tuple[set[str], dict[str, set[str]]]:
    """The surnames of people the article names, and their given names.

    Returns:
        Surnames of the speakers and of every "Given Surname" in the text; and
        surname -> the given names the text pairs with it (two given names: a
        family, "Bill Clinton" and "Hillary Clinton").
    """
    known = {parse_name(q.speaker).surname for q in quotes if q.speaker}
    given: dict[str, set[str]] = defaultdict(set)
    for first, sur in _full_names(text):
        if sur:
            known.add(sur)
            given[sur].add(first)
    known.discard("")
    return known, given


# ---------------------------------------------------------------------------
# genders
# ---------------------------------------------------------------------------

MALE = frozenset({"he", "him", "his", "mr"})
FEMALE = frozenset({"she", "her", "hers", "mrs", "ms", "miss"})

_HONORIFIC_RE = re.compile(
    r"\b(Mr|Mrs|Ms|Miss)\.?\s+((?:[A-Z][\w\-]+\s+){0,2}[A-Z][\w\-]+)"
)
SAID_PRONOUN_RE = re.compile(
    r"\b([A-Z][\w\-’']+)\s+(?:(?:also|later|then|has|had)\s+)?"
    r"(?:said|says|told\s+\w+|added|argued|claimed|insisted|noted|stated|"
    r"explained|wrote|believes|thinks)\s+(?:that\s+)?(he|she)\b"
)
FEMALE_NOUNS = frozenset(
    """spokeswoman congresswoman chairwoman businesswoman actress mother wife
    ex-wife daughter sister widow grandmother woman""".split()
)
MALE_NOUNS = frozenset(
    """spokesman congressman businessman actor father husband ex-husband son
    brother widower grandfather man""".split()
)
GENDERED_NOUNS = FEMALE_NOUNS | MALE_NOUNS
_GENDERED = "|".join(sorted(GENDERED_NOUNS))
_GENDERED_BEFORE_RE = re.compile(
    r"\b(" + _GENDERED + r")\s+(?:[A-Z][\w\-’'.]*\s+){0,2}([A-Z][\w\-’']+)"
)
_GENDERED_AFTER_RE = re.compile(
    r"\b([A-Z][\w\-’']+),\s+(?:a|an|the)\s+(?:[\w\-’']+\s+){0,4}?(" + _GENDERED + r")\b"
)

Genders = dict[str, Counter[str]]


def genders(text: str, quotes: Sequence[Quote]) -> Genders:
    """Surname -> weighted votes for "m"/"f" in the article.

    Evidence: honorifics ("Mr. Deese", "Ms. Martin") count 2; "Deese said he
    …", gendered roles ("spokeswoman Lena Vasquez", "Vasquez, the mother of
    …") and pronoun mentions resolved to that speaker count 1.
    """
    votes: Genders = defaultdict(Counter)
    for m in _HONORIFIC_RE.finditer(text):
        votes[fold(m.group(2).split()[-1])]["m" if m.group(1) == "Mr" else "f"] += 2
    for m in SAID_PRONOUN_RE.finditer(text):
        votes[fold(m.group(1))]["m" if m.group(2) == "he" else "f"] += 1
    for m in _GENDERED_BEFORE_RE.finditer(text):
        votes[fold(m.group(2))]["f" if fold(m.group(1)) in FEMALE_NOUNS else "m"] += 1
    for m in _GENDERED_AFTER_RE.finditer(text):
        votes[fold(m.group(1))]["f" if fold(m.group(2)) in FEMALE_NOUNS else "m"] += 1
    for q in quotes:
        mention = fold(q.speaker_mention or "")
        sur = parse_name(q.speaker).surname
        if sur and mention in MALE | FEMALE:
            votes[sur]["m" if mention in MALE else "f"] += 1
    return dict(votes)


def gender_of(votes: Genders, surname: str, minus: str | None = None) -> str | None:
    """The article's one gender for a surname, not counting one own vote.

    A gender needs 2 votes (one honorific, or two pronouns) and none for the
    other: one wrong resolution must not make a gender.
    """
    v = Counter(votes.get(surname, ()))
    if minus:
        v[minus] -= 1
    known = [g for g, n in v.items() if n > 0]
    if len(known) != 1 or v[known[0]] < 2:
        return None
    return known[0]


# ---------------------------------------------------------------------------
# roles and organisations
# ---------------------------------------------------------------------------

ROLE_HEADS = frozenset(
    """president senator governor mayor judge justice congressman
    congresswoman representative secretary nominee candidate businessman
    billionaire chairman chairwoman director spokesman spokeswoman
    spokesperson ambassador minister chancellor commissioner sheriff
    attorney lawyer economist strategist professor doctor physician anchor
    host moderator""".split()
)
_ABBREVIATIONS = {
    "senator": ("Sen",),
    "congressman": ("Rep", "Representative"),
    "congresswoman": ("Rep", "Representative"),
    "representative": ("Rep",),
    "governor": ("Gov",),
    "secretary": ("Sec",),
    "professor": ("Prof",),
    "doctor": ("Dr",),
    "justice": ("Judge",),
    "judge": ("Justice",),
}
_NAME_RUN = r"((?:[A-Z][\w\-’'.]*\s+){0,3}[A-Z][\w\-’']+)"
_VAGUE = frozenset("former top senior new then current longtime onetime".split())


def holders(text: str, description: list[str], known: set[str]) -> dict[int, str]:
    """The people the article gives a described role, by position.

    "the senator" -> everyone called "Sen. X", "Senator X", "senator X" or
    "X, the … senator"; "the president" leaves out "Vice President X"; "the
    Democratic nominee" only those whose role words include "Democratic".

    Args:
        text: The article text.
        description: The tokens of the description, its head noun last.
        known: Surnames of the article's people.

    Returns:
        Position of the role in the text -> folded surname of its holder.
    """
    head = description[-1]
    vice = any(fold(t) == "vice" for t in description)
    qualifiers = {fold(t) for t in description[1:-1]} - STOPWORDS - _VAGUE
    words = [head.capitalize(), head.lower(), *_ABBREVIATIONS.get(fold(head), ())]
    alt = "|".join(re.escape(w) for w in words)
    found: dict[int, str] = {}

    def add(at: int, role: str, name: str) -> None:
        if ("vice" in fold(role)) != vice:
            return
        if not qualifiers <= {fold(t) for t in raw_tokens(role)}:
            return
        parts, _ = name_parts(name)
        if parts and fold(parts[-1]) in known:
            found.setdefault(at, fold(parts[-1]))

    for m in re.finditer(r"\b(?:" + alt + r")\.?\s+" + _NAME_RUN, text):
        # the role words: the title and up to three words before it
        before = " ".join(text[max(0, m.start() - 60) : m.start()].split()[-3:])
        add(m.start(), before + " " + m.group(0)[: -len(m.group(1))], m.group(1))
    appositive = (
        _NAME_RUN + r",\s+(?:the|a|an|who\s+is)\s+[^,.;()]{0,60}?\b(?:" + alt + r")\b"
    )
    for m in re.finditer(appositive, text):
        add(m.start(), m.group(0)[len(m.group(1)) :], m.group(1))
    return {pos: who for pos, who in found.items() if who not in STOPWORDS}


def _initials(words: list[str]) -> str:
    return "".join(w[0] for w in words if w[:1].isupper() and fold(w) not in STOPWORDS)


def _capitals(words: list[str]) -> str:
    return "".join(w[0] for w in words if w[:1].isupper())


def same_org(mention: str, name: str) -> bool:
    """Whether an organisation's mention and name can be one ("The Post", "IAEA")."""
    a = [t for t in raw_tokens(mention) if fold(t) not in STOPWORDS]
    b = [t for t in raw_tokens(name) if fold(t) not in STOPWORDS]
    if {fold(t) for t in a} & {fold(t) for t in b}:
        return True
    joined_a, joined_b = "".join(a), "".join(b)
    if joined_a.isupper() and joined_b.isupper():
        return sorted(joined_a) == sorted(joined_b)  # "MNSBC" for "MSNBC"
    # "AROS" for "Alliance to Reclaim Our Schools"
    all_a, all_b = raw_tokens(mention), raw_tokens(name)
    return (
        (joined_a.isupper() and joined_a in (_initials(b), _capitals(all_b)))
        or (joined_b.isupper() and joined_b in (_initials(a), _capitals(all_a)))
        or (joined_a.isupper() and joined_a in joined_b)
        or (joined_b.isupper() and joined_b in joined_a)
    )


# ---------------------------------------------------------------------------
# a quote's words
# ---------------------------------------------------------------------------


def content_text(text: str, q: Quote) -> str:
    """The words of a quote, its speaker mention blanked out when inside."""
    pieces = []
    for a, b in q.content_fragments or (q.content_span,):
        chunk = text[a:b] if 0 <= a < b <= len(text) else ""
        if q.speaker_span and a <= q.speaker_span[0] < b:
            x, y = q.speaker_span
            chunk = text[a:x] + " " * (min(y, b) - x) + text[min(y, b) : b]
        pieces.append(chunk)
    return " … ".join(pieces) if any(pieces) else q.content


_KIN_OR_THING = frozenset(
    """wife husband son daughter father mother brother sister family children
    kids campaign administration organization foundation tower towers
    university hotel hotels presidency team era doctrine camp""".split()
)


def third_person(name: str, content: str, given: dict[str, set[str]]) -> str | None:
    """Where the content speaks of a person by surname, in the third person.

    Not "Bill Clinton" in a quote of Hillary Clinton's (nor any surname the
    article gives two people), "the Trump campaign", "Trump Tower" or
    "Trump's wife".

    Returns:
        The words around the reference, or None.
    """
    parsed = parse_name(name)
    sur = parsed.surname
    if len(sur) < 3 or len(given.get(sur, ())) > 1:
        return None
    for m in re.finditer(r"\b" + re.escape(sur) + r"\b", content, re.IGNORECASE):
        if not m.group()[:1].isupper():
            continue
        before = content[: m.start()].split()[-1:]
        prev = fold(before[0]).strip(".,“”\"'’‘(") if before else ""
        at = m.start()
        while True:  # back over the given names: "the United States"
            words = content[:at].split()
            if not words or fold(words[-1]) not in parsed.given:
                break
            at = content.rfind(words[-1], 0, at)
        if fold(content[:at].split()[-1:][0] if content[:at].split() else "") == "the":
            continue  # "the United States", "the Trump campaign"
        if before and before[0][:1].isupper() and prev not in NOT_GIVEN:
            if prev not in parsed.given:
                continue  # another given name: "Bill Clinton"
        after = re.match(r"(?:['’]s)?\s+([\w’']+)", content[m.end() : m.end() + 40])
        if after and (
            after.group(1)[:1].isupper() or fold(after.group(1)) in _KIN_OR_THING
        ):
            continue
        lo = max(0, m.start() - 30)
        return " ".join(content[lo : m.end() + 30].split())
    return None
