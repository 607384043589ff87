"""Speaker resolution: from a mention ("he", "Ryabkov", "the president") to a speaker.

No pretrained coreference model is installable here, so this is our own
salience model, in the spirit of Lappin & Leass and centering theory:

- names: a short name ("Ryabkov", "Mr. Trump", "President Obama") links to the
  fullest name in the article that contains its last name;
- pronouns: "he"/"she" link to the most salient compatible person before them,
  where salience rewards recent *speakers* (a pronoun subject of a cue verb
  continues the current speaker far more often than it picks up any name just
  mentioned), subjects, and people the article has properly introduced (full
  name or title); a bare surname that is never introduced is a weak antecedent;
- titles and roles: "the president" links to the person introduced with that
  title ("President Barack Obama");
- organisations and unnamed groups are speakers too ("Senior US officials").
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from spacy.attrs import LOWER
from spacy.tokens import Doc, Span, Token

from onrecord.extract.cues import Lexicon
from onrecord.extract.frames import sentence_ids

_PRON_MALE = {"he", "him", "his"}
_PRON_FEMALE = {"she", "her", "hers"}
_PRON_PLURAL = {"they", "them", "we", "us"}
_PRON_FIRST = {"i", "me", "we", "us"}
_PRONOUNS = (
    _PRON_MALE | _PRON_FEMALE | _PRON_PLURAL | _PRON_FIRST | {"it", "you", "who"}
)
_DOC_WORDS = {
    "report",
    "poll",
    "survey",
    "study",
    "analysis",
    "data",
    "memo",
    "document",
    "statement",
    "letter",
    "filing",
    "ruling",
    "complaint",
    "lawsuit",
    "indictment",
    "records",
    "figures",
    "estimates",
    "research",
    "review",
    "audit",
    "post",
    "tweet",
}
_ORG_WORDS = {
    "office",
    "ministry",
    "department",
    "agency",
    "committee",
    "campaign",
    "party",
    "government",
    "administration",
    "council",
    "court",
    "commission",
    "house",
    "company",
    "corporation",
    "inc",
    "inc.",
    "bank",
    "fund",
    "institute",
    "university",
    "association",
    "union",
    "times",
    "post",
    "news",
    "journal",
    "press",
    "network",
    "foundation",
    "center",
    "centre",
    "organization",
    "organisation",
    "group",
    "board",
    "bureau",
    "service",
    "police",
    "army",
    "military",
    "embassy",
    "kremlin",
    "pentagon",
    "congress",
    "senate",
    "parliament",
    "fbi",
    "cia",
    "nato",
    "un",
    "eu",
    "imf",
    "gop",
}
_ROLE_NORM = {
    "sen.": "senator",
    "rep.": "representative",
    "congressman": "representative",
    "congresswoman": "representative",
    "gov.": "governor",
    "gen.": "general",
    "dr.": "doctor",
    "prof.": "professor",
    "lt.": "lieutenant",
    "sgt.": "sergeant",
    "capt.": "captain",
    "col.": "colonel",
    "adm.": "admiral",
    "rev.": "reverend",
    "justice": "judge",  # "Supreme Court Justice Frank Nervo" ... "the judge"
    "chairwoman": "chairman",
    "chair": "chairman",
    "spokeswoman": "spokesman",
    "spokesperson": "spokesman",
    "gop": "republican",
    "democrat": "democratic",
    "u.s.": "us",
}
# what someone says, as a noun: "his response was", "her statement said"
_UTTERANCES = {
    "response",
    "statement",
    "statements",
    "remarks",
    "remark",
    "comments",
    "comment",
    "answer",
    "reply",
    "words",
    "message",
    "tweet",
    "tweets",
    "post",
    "speech",
    "retort",
    "explanation",
    "argument",
    "testimony",
}
# entity labels the NER sometimes gives a person's name
_OTHER_LABELS = {"PRODUCT", "WORK_OF_ART", "FAC", "LOC", "EVENT", "LAW", "LANGUAGE"}
# role nouns that news uses as epithets for someone just named ("the New York
# businessman", "the Republican nominee"); not those that usually introduce a new,
# unnamed person ("the spokesman", "an official", "the lawyer")
_EPITHETS = {
    "nominee",
    "candidate",
    "governor",
    "senator",
    "businessman",
    "businesswoman",
    "billionaire",
    "mogul",
    "congressman",
    "congresswoman",
    "lawmaker",
    "mayor",
    "judge",
    "president",
    "minister",
    "chancellor",
    "premier",
    "secretary",
    "chairman",
    "chairwoman",
    "ceo",
    "frontrunner",
    "front-runner",
    "incumbent",
    "challenger",
    "democrat",
    "republican",
}
_FEMALE_ROLES = {
    "widow",
    "wife",
    "mother",
    "daughter",
    "sister",
    "woman",
    "girl",
    "grandmother",
    "mom",
    "actress",
    "congresswoman",
    "spokeswoman",
    "chairwoman",
    "businesswoman",
    "councilwoman",
    "assemblywoman",
    "queen",
    "princess",
    "lady",
    "dame",
    "niece",
    "aunt",
    "girlfriend",
    "granddaughter",
    "stepdaughter",
    "heiress",
}
_MALE_ROLES = {
    "husband",
    "father",
    "son",
    "brother",
    "man",
    "boy",
    "grandfather",
    "dad",
    "congressman",
    "businessman",
    "councilman",
    "assemblyman",
    "king",
    "prince",
    "sir",
    "lord",
    "nephew",
    "uncle",
    "boyfriend",
    "grandson",
    "stepson",
    "widower",
}
# salience weights, chosen on PolNeAR dev (resolved-speaker accuracy on pronouns)
SUBJ = 2.0  # bonus: main-clause subject of the previous sentence (centering)
FREQ = 0.3  # bonus per log-mention count: people the article keeps naming
WINDOW = 3  # sentences back in which a not-yet-quoted name can be an antecedent
LAST_RESORT = 6  # ... and how far back when no candidate is nearer
LEDE = 3  # sentences (headline included) in which a role may precede the name
# pronouns that pick out an unnamed part of a group ("Some say ..."), not someone
# named before
_QUANTIFIERS = {
    "some",
    "many",
    "most",
    "few",
    "several",
    "others",
    "all",
    "both",
    "everyone",
    "everybody",
    "someone",
    "somebody",
    "anyone",
    "nobody",
    "none",
}
# the people around someone: "Scott's family", "Trump's lawyers"
_PEOPLE_OF = {
    "family",
    "relatives",
    "lawyers",
    "attorneys",
    "aides",
    "advisers",
    "advisors",
    "allies",
    "supporters",
    "friends",
    "parents",
    "staff",
    "associates",
    "representatives",
    "spokespeople",
    "team",
    "camp",
    "circle",
    "strategists",
    "rivals",
    "opponents",
    "partners",
    "confidants",
    "backers",
    "boosters",
    "donors",
    "surrogates",
    "biographers",
    "kids",
    "children",
}
# one person described by their relation to someone: "Trump's running mate",
# "Clinton's pollster" (with the title and family words of the lexicon)
_PERSON_OF = {
    "mate",
    "manager",
    "counsel",
    "pollster",
    "principal",
    "friend",
    "partner",
    "adviser",
    "advisor",
    "strategist",
    "lawyer",
    "attorney",
    "aide",
    "rival",
    "opponent",
    "successor",
    "predecessor",
    "deputy",
    "assistant",
    "biographer",
}
# institution nouns that stand for the organisation just named: "the bank"
_GENERIC_ORGS = {
    "agency",
    "bank",
    "company",
    "firm",
    "newspaper",
    "paper",
    "website",
    "site",
    "network",
    "organization",
    "organisation",
    "outlet",
    "publication",
}
# modifiers that pick out part of a group: "other sources", "multiple officials"
_PART_WORDS = {"other", "another", "multiple", "various", "numerous", "own", "such"}
_PARTIES = {"democratic", "republican", "libertarian"}
_CUE_WORDS = {"said", "says", "added", "adds", "asked", "wrote", "writes", "tweeted"}
_STOP = {"the", "a", "an", "of", "'s", "’s", "his", "her", "their", "its"}
# roles that usually stay unnamed ("a campaign official who was not authorized")
_ANONYMOUS_ROLES = {"official", "officer", "aide", "source"}
# generational suffixes: part of the full name, never the last name ("Joseph R.
# Biden Jr." is "Biden")
_SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"}


@dataclass(slots=True)
class Name:
    """A person or organisation name mentioned in the article."""

    text: str
    tokens: tuple[str, ...]  # lower-cased name tokens without titles
    start: int  # char offset
    sent: int
    label: str  # PERSON, ORG, ...
    titled: bool  # preceded by a title or followed by an appositive role
    title: str = ""
    subject: bool = False  # subject of its sentence's main clause
    # words describing the person here (title, appositive)
    roles: frozenset[str] = frozenset()


@dataclass(slots=True)
class Resolution:
    name: str | None
    type: str | None
    how: str
    confidence: float
    gender: str | None = None


@dataclass(slots=True)
class _Entity:
    name: str
    last: str
    gender: str | None
    introduced: bool
    label: str
    mentions: list[int] = field(default_factory=list)


def _unsuffixed(words: list[str]) -> list[str]:
    """A name's words without a generational suffix at the end (but "Donald Jr."
    keeps it: a first name alone is no last name)."""
    while len(words) > 2 and words[-1].lower() in _SUFFIXES:
        words = words[:-1]
    return words


def _name_tokens(words: list[str]) -> tuple[str, ...]:
    """A name's lower-cased words, the last name last: a generational suffix goes
    first ("Joseph R. Biden Jr." -> "jr.", "joseph", "r.", "biden"), so that the
    son is still told from the father but the last name is the surname."""
    bare = _unsuffixed(words)
    return tuple(w.lower() for w in [*words[len(bare) :], *bare])


def _rank(n: Name) -> int:
    """Which of two names for one surname is the fuller: more words, a suffix not
    counted (on a tie the one named first: "Brent Bozell III ... his father, Brent
    Bozell, Jr.")."""
    return sum(t not in _SUFFIXES for t in n.tokens)


def _is_party(n: Name) -> bool:
    """A party's one-word name ("GOP"): in a description it is an adjective ("the
    GOP nominee" is "the Republican nominee", a person, not the party)."""
    return len(n.tokens) == 1 and _ROLE_NORM.get(n.tokens[0], n.tokens[0]) in _PARTIES


def _is_acronym(word: str) -> bool:
    """ "IMF", "HNS": two to six capitals."""
    return word.isupper() and 2 <= len(word) <= 6


def _without_the(name: str) -> str:
    """ "The Harbor Institute" -> "Harbor Institute"."""
    return re.sub(r"^(?i:the)\s+", "", name)


def _join(parts: list[str]) -> str:
    """ "A and B", "A, B and C"."""
    if len(parts) <= 2:
        return " and ".join(parts)
    return f"{', '.join(parts[:-1])} and {parts[-1]}"


def _clean(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip(" ,;:—–-\"“”'")
    text = (
        re.sub(r"^(the|a|an)\s+", "", text, flags=re.I)
        if len(text.split()) > 2
        else text
    )
    return text


def _is_subject(tok: Token) -> bool:
    """A subject, or a name the parser hung on its verb as a modifier when the verb
    has no subject ("Scott bristles at ...": "Scott" a compound of "bristles"), or
    on a verb it took for a plural noun ("Trump charges that ...": "charges" the
    root noun of a sentence without a verb)."""
    if tok.dep_ in {"nsubj", "nsubjpass"}:
        return True
    verb = tok.head
    if (
        tok.dep_ == "compound"
        and tok.text[:1].isupper()
        and verb.dep_ == "ROOT"
        and verb.tag_ == "NNS"
        and verb.i == tok.i + 1
        and not any(c.dep_ in {"det", "poss", "nummod"} for c in verb.children)
    ):
        return True
    return (
        tok.dep_ in {"compound", "amod", "npadvmod", "dep"}
        and tok.pos_ == "PROPN"
        and tok.ent_type_ in {"PERSON", "ORG", ""}
        and verb.pos_ in {"VERB", "AUX"}
        and tok.i < verb.i
        and not any(
            c.dep_ in {"nsubj", "nsubjpass", "csubj", "expl"} for c in verb.children
        )
    )


def _looks_like_person(ent: Span, lex: Lexicon) -> bool:
    """Two or three capitalised words starting with a known first name."""
    words = [t.text for t in ent]
    return (
        2 <= len(words) <= 3
        and all(w[:1].isupper() for w in words)
        and (words[0].lower() in lex.female_names or words[0].lower() in lex.male_names)
    )


def _repaired_ents(doc: Doc, lex: Lexicon) -> tuple[Span, ...]:
    """The document's entities, with the errors a less accurate recogniser makes
    mended:

    - a person's name cut at a hyphen ("Ana Ruiz-Vega" as "Ana Ruiz", "Lee
      Min-jun" as "Lee Min") runs on over the hyphenated word;
    - a person's name labelled an organisation or a place ("Marta Ruiz" ORG) is a
      person when it has a person's shape: two or three capitalised words, no
      organisation word, and a known first name first or (two words) the surname
      of someone the article names in full ("Rakeyia Scott" beside "Keith
      Scott");
    - an organisation labelled a place ("Harbor City Times" GPE) is an
      organisation when its last word is one ("Times", "Court", "Committee")."""
    out: list[Span] = []
    n = len(doc)
    ents = doc.ents  # once: Doc.ents walks every token
    first_names = lex.female_names | lex.male_names
    surnames = {
        e[-1].lower_
        for e in ents
        if e.label_ == "PERSON"
        and len(e) >= 2
        and e[0].lower_ in first_names
        and all(t.text[:1].isupper() for t in e)
    }
    for ent in ents:
        label = ent.label_
        if label in {"ORG", "GPE", "NORP"} and 2 <= len(ent) <= 3:
            words = [t.text for t in ent]
            if (
                all(w[:1].isupper() and w.isalpha() for w in words)
                and not any(w.lower() in _ORG_WORDS for w in words)
                and words[0].lower() not in lex.titles
                and words[0].lower() != "the"
                and (
                    _looks_like_person(ent, lex)
                    or len(words) == 2
                    and words[1].lower() in surnames
                )
            ):
                label = "PERSON"
        if (
            label in {"GPE", "NORP", "LOC", "FAC"}
            and len(ent) >= 2
            and ent[-1].lower_ in _ORG_WORDS
            and ent[-1].lower_ != "union"
            and ent[-1].text[:1].isupper()
        ):
            label = "ORG"
        end = ent.end
        if label == "PERSON":
            while (
                end + 1 < n
                and doc[end].text == "-"
                and not doc[end - 1].whitespace_
                and not doc[end].whitespace_
                and doc[end + 1].is_alpha
                and doc[end + 1].ent_iob_ == "O"
            ):
                end += 2
        out.append(
            ent
            if end == ent.end and label == ent.label_
            else Span(doc, ent.start, end, label)
        )
    return tuple(out)


class Resolver:
    """Resolves speaker mentions in one parsed article, left to right."""

    def __init__(self, doc: Doc, lex: Lexicon, *, text: str | None = None) -> None:
        self.doc = doc
        # ``doc.text`` rebuilds the string from every token: pass it when known
        self.text = doc.text if text is None else text
        self.lex = lex
        self._author_cache: str | None = None
        self._chunks: list[tuple[int, str, Any]] | None = None
        self.names: list[Name] = []
        self._fullest_cache: dict[tuple[str, tuple[str, ...]], Name | None] = {}
        self._hgender: dict[str, str] = {}
        self._rgender: dict[str, str] = {}  # full name -> gender its role word shows
        # surname -> the full name whose role word gave it its gender in _hgender
        self._rgender_of: dict[str, str] = {}
        # role nouns a news lede may name someone by before naming them
        self._lede_roles = {
            _ROLE_NORM.get(w, w) for w in lex.titles if " " not in w
        } | {"member", "doctor", "physician"}
        # the entities once: Doc.ents walks every token on each access
        self.ents: tuple[Span, ...] = _repaired_ents(doc, lex)
        # words of every name the entity recogniser labelled PERSON
        self._ner_people = {
            t.lower_ for e in self.ents if e.label_ == "PERSON" for t in e
        }
        self._sent_of: list[int] = []  # sentence index of each token
        self._collect_names()
        self.history: list[
            tuple[int, _Entity, int]
        ] = []  # (char offset, entity, sent index)
        self._entities: dict[str, _Entity] = {}
        self._content: tuple[int, int] | None = None  # of the attribution resolved

    # -- inventory of names --------------------------------------------------

    def _sent(self, i: int) -> int:
        return self._sent_of[i] if 0 <= i < len(self._sent_of) else 0

    def _same_word(self, tok: Token) -> list[int]:
        """Indices of the tokens spelt like ``tok`` (lower case), in order."""
        return np.nonzero(self._lowers == self._lowers[tok.i])[0].tolist()

    def _names_between(self, lo: int, hi: int) -> list[Name]:
        """The names starting at a character offset in [lo, hi) (names are sorted
        by start)."""
        names = self.names
        i = bisect_left(names, lo, key=lambda n: n.start)
        j = bisect_left(names, hi, lo=i, key=lambda n: n.start)
        return names[i:j]

    def _collect_names(self) -> None:
        doc = self.doc
        # lower-case forms as one array: word searches without a Token per word
        self._lowers = (
            doc.to_array([LOWER]).reshape(-1) if len(doc) else np.zeros(0, np.uint64)
        )
        self._sent_of = sentence_ids(doc).tolist()
        seen: set[int] = set()
        for ent in self.ents:
            label = ent.label_
            if label in _OTHER_LABELS and _looks_like_person(ent, self.lex):
                label = "PERSON"  # "Ivanka Trump" tagged PRODUCT now and then
            if label not in {"PERSON", "ORG", "NORP", "GPE"}:
                continue
            toks = [
                t
                for t in ent
                if t.lower_ not in self.lex.honorifics and t.text not in {"’s", "'s"}
            ]
            while len(toks) > 1 and (
                toks[0].lower_ in self.lex.titles or toks[0].lower_ in _CUE_WORDS
            ):
                toks = toks[1:]  # "Councillor Tomas Brandt" -> "Tomas Brandt"
            # hyphenated names are one word ("Ban Ki-moon"); a hyphenated pair used
            # as a modifier ("a Putin-Trump summit") is not a name
            words: list[str] = []
            joined = False
            for t in toks:
                if (
                    words
                    and (t.text == "-" or words[-1].endswith("-"))
                    and not doc[t.i - 1].whitespace_
                ):
                    words[-1] += t.text
                    joined = True
                else:
                    words.append(t.text)
            if joined and ent.root.dep_ in {"compound", "amod", "nmod"}:
                continue
            if not words or any(
                not (
                    w[:1].isupper()
                    or w.lower() in {"de", "van", "von", "al", "bin", "la", "le", "da"}
                )
                or w.endswith("-")
                for w in words
            ):
                continue
            if any(
                t.text in {"–", "/", "&"} or t.is_punct and t.text not in {".", "-"}
                for t in toks
            ):
                continue
            first = ent[0]
            prev = doc[first.i - 1] if first.i > 0 else None
            hon = (prev.lower_ if prev is not None else "").rstrip(".")
            if ent[0].lower_.rstrip(".") in {"mr", "mrs", "ms", "miss"}:
                hon = ent[0].lower_.rstrip(".")
            if hon in {"mr", "mrs", "ms", "miss"}:
                self._hgender[toks[-1].lower_] = "m" if hon == "mr" else "f"
                self._rgender_of.pop(toks[-1].lower_, None)
            elif label == "PERSON":
                g = self._role_gender(ent)
                if g is not None:
                    full = " ".join(t.lower_ for t in toks)
                    self._rgender.setdefault(full, g)
                    if toks[-1].lower_ not in self._hgender:
                        self._hgender[toks[-1].lower_] = g
                        self._rgender_of[toks[-1].lower_] = full
            titled = prev is not None and (
                prev.lower_ in self.lex.titles
                or prev.ent_type_ == ""
                and prev.pos_ in {"NOUN", "PROPN"}
                and prev.lower_ in self.lex.titles
            )
            title = ""
            if prev is not None and prev.lower_ in self.lex.titles:
                j = first.i - 1
                while j >= 0 and (
                    doc[j].lower_ in self.lex.titles
                    or doc[j].pos_ in {"PROPN", "ADJ"}
                    and doc[j].ent_type_ in {"NORP", "GPE", ""}
                    and j >= first.i - 4
                ):
                    j -= 1
                title = doc[j + 1 : first.i].text
            if (
                any(c.dep_ == "appos" for c in ent.root.children)
                or ent.root.dep_ == "appos"
            ):
                titled = True
            self.names.append(
                Name(
                    text=" ".join(words),
                    tokens=_name_tokens(words),
                    start=ent.start_char,
                    sent=self._sent(first.i),
                    label=label,
                    titled=titled or len(toks) >= 2,
                    title=title.lower(),
                    subject=self._is_main_subject(ent.root),
                    roles=self._roles_of(
                        ent.root, set(range(ent.start, ent.end)), title
                    )
                    if label == "PERSON"
                    else frozenset(),
                )
            )
            seen.update(range(ent.start, ent.end))
        self.names.sort(key=lambda n: n.start)
        # the tagger calls "Trump" an organisation or "Clinton" a place now and then:
        # a bare surname of someone the article names in full is that person
        people = {
            n.tokens[-1]
            for n in self.names
            if n.label == "PERSON" and len(n.tokens) >= 2
        }
        for n in self.names:
            if (
                n.label in {"ORG", "GPE", "NORP"}
                and len(n.tokens) == 1
                and n.tokens[0] in people
            ):
                n.label = "PERSON"
        # ... and misses a surname now and then ("Ham made it clear"): a capitalised
        # word outside any entity that is the surname of someone named in full
        added = False
        # only the tokens spelling one of those surnames (an array test, not a Token
        # per word)
        wanted = [doc.vocab.strings.add(w) for w in people]
        lowers = self._lowers
        hits = np.nonzero(np.isin(lowers, np.array(wanted, dtype=lowers.dtype)))[0]
        for i in hits.tolist():
            t = doc[i]
            if (
                t.i not in seen
                and t.lower_ in people
                and t.text[:1].isupper()
                and t.pos_ in {"PROPN", "NOUN"}
                and (t.dep_ != "compound" or _is_subject(t))
                and (
                    t.i == 0
                    or not doc[t.i - 1].text[:1].isupper()
                    or doc[t.i - 1].is_sent_start
                )
            ):
                self.names.append(
                    Name(
                        text=t.text,
                        tokens=(t.lower_,),
                        start=t.idx,
                        sent=self._sent(t.i),
                        label="PERSON",
                        titled=False,
                        subject=self._is_main_subject(t),
                    )
                )
                added = True
        if added:
            self.names.sort(key=lambda n: n.start)

    @staticmethod
    def _role_gender(ent: Span) -> str | None:
        """ "9/11 widow Terry Strada", "Strada, his wife": a gendered role word in the
        title before the name or in an appositive."""
        doc = ent.doc
        prev = doc[ent.start - 1] if ent.start > 0 else None
        words = (
            [prev.lower_] if prev is not None and prev.pos_ in {"NOUN", "PROPN"} else []
        )
        for c in ent.root.children:
            if c.dep_ == "appos" and c.pos_ == "NOUN":
                words.append(c.lower_)
        if ent.root.dep_ == "appos" and ent.root.head.pos_ == "NOUN":
            words.append(ent.root.head.lower_)
        for w in reversed(words):
            if w in _FEMALE_ROLES:
                return "f"
            if w in _MALE_ROLES:
                return "m"
        return None

    @staticmethod
    def _roles_of(root: Token, own: set[int], title: str) -> frozenset[str]:
        """Words that describe a person where they are named: the title before the
        name, an appositive ("Sanders, the Vermont senator"), a noun the name is in
        apposition to ("the Vermont senator, Bernie Sanders") or a copula ("X is the
        nominee")."""
        nouns: list[Token] = [c for c in root.children if c.dep_ == "appos"]
        if root.dep_ == "appos" and root.head.i < root.i:
            nouns.append(root.head)
        if root.dep_ == "nsubj" and root.head.lemma_ == "be":
            nouns.extend(c for c in root.head.children if c.dep_ == "attr")
        toks: list[Token] = []
        for c in nouns:
            nxt = c.doc[c.i + 1] if c.i + 1 < len(c.doc) else None
            if nxt is not None and nxt.pos_ in {"VERB", "AUX"}:
                # "Putin, Russia's deputy foreign minister announced": a subject
                continue
            if c.pos_ == "NOUN":
                # a role noun with its modifiers: "a former Mexican foreign minister"
                lo = max(c.left_edge.i, c.i - 6)
                toks.extend(
                    t for t in c.doc[lo : c.i + 1] if t.i == c.i or c.is_ancestor(t)
                )
        words = {_ROLE_NORM.get(w, w) for w in title.lower().split()}
        words.update(
            _ROLE_NORM.get(t.lower_, t.lower_)
            for t in toks
            if t.pos_ in {"NOUN", "PROPN", "ADJ"} and t.i not in own
        )
        return frozenset(words)

    @staticmethod
    def _is_main_subject(tok: Token) -> bool:
        while tok.dep_ == "compound" and tok.head.pos_ == "PROPN":
            tok = tok.head
        if not _is_subject(tok):
            return False
        verb = tok.head
        while verb.dep_ in {"conj", "xcomp"} and verb.head.i != verb.i:
            verb = verb.head
        return verb.dep_ == "ROOT"

    def _subjects_before(self, offset: int, sent: int) -> set[str]:
        """Full names of the main-clause subjects of the previous sentence (and of
        this one, before offset)."""
        out: set[str] = set()
        for n in self.names:
            if (
                n.subject
                and n.label == "PERSON"
                and (n.sent == sent - 1 or n.sent == sent and n.start < offset)
            ):
                full = self._fullest(n.tokens[-1], tokens=n.tokens) or n
                out.add(full.text.lower())
        return out

    def _described_subjects(self, offset: int, sent: int) -> list[tuple[Name, int]]:
        """People that the main-clause subject of the previous sentence (or of this
        one, before ``offset``) describes by a role only ("the president")."""
        out: list[tuple[Name, int]] = []
        for t in self._recent_subjects(offset, sent):
            if (
                t.pos_ == "NOUN"
                and t.lower_ in self.lex.titles
                and any(c.dep_ == "det" and c.lower_ == "the" for c in t.children)
            ):
                role = [
                    x.lower_
                    for x in t.subtree
                    if x.i <= t.i and x.lower_ not in _STOP and not x.is_punct
                ]
                found = self._described(role, t, t.idx)
                if found is not None:
                    out.append((found, sent - self._sent(t.i)))
        return out

    def _recent_subjects(self, offset: int, sent: int) -> Iterator[Token]:
        """Main-clause subjects before ``offset`` in this sentence and the previous
        one, newest first."""
        tok = self._token_at(offset)
        if tok is None:
            return
        for t in reversed(self.doc[max(0, tok - 80) : tok]):
            if self._sent(t.i) < sent - 1:
                return
            if _is_subject(t) and t.head.dep_ == "ROOT":
                yield t

    def _count(self, last: str, offset: int) -> int:
        """How often the article names someone with this last name before ``offset``."""
        return sum(
            1
            for n in self.names
            if n.start < offset and n.tokens and n.tokens[-1] == last
        )

    def _gender(self, name: str) -> str | None:
        parts = name.split()
        first = parts[0].lower() if parts else ""
        if name.lower() in self._rgender:
            return self._rgender[name.lower()]  # "widow Terry Strada" over "Terry"
        if first in self.lex.female_names:
            return "f"
        if first in self.lex.male_names:
            return "m"
        # "Mr. Obama", "Mrs. Clinton" anywhere in the article
        if not parts:
            return None
        last = _unsuffixed(parts)[-1].lower()
        source = self._rgender_of.get(last)
        if len(parts) >= 2 and source is not None and source != name.lower():
            # "his wife, Rakeyia Scott": another Scott's role word is not hers
            return None
        return self._hgender.get(last)

    def _fullest(
        self, last: str, before: int | None = None, tokens: tuple[str, ...] = ()
    ) -> Name | None:
        key = (last, tokens)
        if key in self._fullest_cache:
            return self._fullest_cache[key]
        best = self._fullest_uncached(last, tokens)
        self._fullest_cache[key] = best
        return best

    def _fullest_uncached(self, last: str, tokens: tuple[str, ...]) -> Name | None:
        best: Name | None = None
        for n in self.names:
            if n.label != "PERSON" or not n.tokens:
                continue
            # ("Donald Jr.": a first name and a suffix, found in "Donald Trump Jr.")
            if (n.tokens[-1] == last or last in _SUFFIXES) and all(
                t in n.tokens for t in tokens
            ):
                if best is None or _rank(n) > _rank(best):
                    best = n
        if (best is None or len(best.tokens) == 1) and tokens in ((), (last,)):
            # family name first ("Ban" -> "Ban Ki-moon")
            for n in self.names:
                if (
                    n.label == "PERSON"
                    and len(n.tokens) >= 2
                    and n.tokens[0] == last
                    and "-" in n.tokens[-1]
                ):
                    return n
        return best

    def _entity(self, name: str, label: str, introduced: bool) -> _Entity:
        key = name.lower()
        ent = self._entities.get(key)
        if ent is None:
            ent = _Entity(
                name,
                _unsuffixed(name.split())[-1].lower() if name else "",
                self._gender(name),
                introduced,
                label,
            )
            self._entities[key] = ent
        else:
            ent.introduced = ent.introduced or introduced
        return ent

    # -- resolution ------------------------------------------------------------

    def resolve(
        self,
        mention: str,
        head: Token | None,
        offset: int,
        *,
        content: tuple[int, int] | None = None,
    ) -> Resolution:
        """Who ``mention`` (at char ``offset``, parse head ``head``) refers to;
        ``content`` is the char span of what is attributed to it: a person named
        only inside it is what is talked about, not the one talking."""
        self._content = content
        res = self._resolve(mention, head, offset)
        return res if head is None else self._with_conjuncts(head, res, offset)

    def _resolve(self, mention: str, head: Token | None, offset: int) -> Resolution:
        low = mention.lower().strip()
        words = low.split()
        if not words:
            return Resolution(None, None, "none", 0.0)
        sent = self._sent(head.i) if head is not None else 0
        if low in {"i", "me"}:
            # first person outside quote marks: the writer of the piece (op-eds,
            # columns)
            author = self._author()
            if author is not None:
                return Resolution(author, "person", "author", 0.7, self._gender(author))
            return Resolution(
                "the author of the article (columnist)", "person", "author", 0.5
            )
        if low in {"each", "both", "all"} and head is not None:
            # "Ann Lee and Tomas Brandt met on Monday, each saying ...": a floating
            # quantifier is the coordinated subject of the clause it hangs on
            verb = head.head
            subj = [
                c
                for c in verb.head.children
                if c.dep_ == "nsubj" and c.i < head.i and verb.dep_ in {"advcl", "conj"}
            ]
            conj = (
                self._coordinated(subj[0], subj[0].idx)
                if subj and head.dep_ == "nsubj" and not any(head.children)
                else None
            )
            if conj is not None:
                return self._as_group(conj, offset, sent)
        if low in _PRONOUNS or (
            head is not None
            and head.pos_ == "PRON"
            and len(words) == 1
            and low not in _QUANTIFIERS
        ):
            res = self._pronoun(low, offset, sent)
            if res is not None:
                return res
            return Resolution(
                mention,
                "person" if low in _PRON_MALE | _PRON_FEMALE else "other",
                "pronoun-unresolved",
                0.3,
            )
        if head is not None and head.pos_ == "PROPN":
            conj = self._coordinated(head, offset)
            if conj is not None:
                return self._as_group(conj, offset, sent)
        # a name inside the mention ("one of the family's attorneys, Justin Bamberg")
        inner = self._names_between(offset, offset + len(mention))
        persons = [n for n in inner if n.label == "PERSON"]
        if (
            persons
            and head is not None
            and head.pos_ == "NOUN"
            and (head.lower_ in _ORG_WORDS or head.lower_ in _PEOPLE_OF)
            and not any(n.start <= head.idx < n.start + len(n.text) for n in persons)
            and all(self._possessive_of(n, head) for n in persons)
        ):
            # "Donald Trump's campaign", "Clinton's campaign": an organisation named
            # after its owner, not the owner; "Scott's family", "Trump's lawyers":
            # the people around someone, not that person
            n = persons[-1]
            full = self._fullest(n.tokens[-1], tokens=n.tokens) or n
            name = f"{full.text}’s {head.text}"
            if head.lower_ in _PEOPLE_OF:
                ent = self._entity(name, "GROUP", True)
                self.history.append((offset, ent, sent))
                return Resolution(name, "group", "owner-group", 0.75)
            ent = self._entity(name, "ORG", True)
            self.history.append((offset, ent, sent))
            return Resolution(name, "organisation", "owner-organisation", 0.75)
        if (
            persons
            and head is not None
            and head.pos_ == "NOUN"
            and (
                head.lower_ in self.lex.titles
                or head.lower_ in _EPITHETS
                or head.lower_ in _PERSON_OF
                or head.lower_ in _MALE_ROLES
                or head.lower_ in _FEMALE_ROLES
            )
            and not any(n.start <= head.idx < n.start + len(n.text) for n in persons)
            and all(self._possessive_of(n, head) for n in persons)
        ):
            # "Trump's running mate", "Clinton's spokesman": someone else, described
            # by their role for that person
            persons = []
        if head is not None and head.pos_ == "NOUN" and head.tag_ == "NNS":
            # "presidential candidates Hillary Clinton and Donald Trump"
            for c in head.children:
                if c.dep_ == "appos" and c.pos_ == "PROPN":
                    conj = self._coordinated(c, offset)
                    if conj is not None:
                        return self._as_group(conj, offset, sent)
        if persons:
            n = self._head_name(persons, head)
            full = self._fullest(n.tokens[-1], tokens=n.tokens) or n
            introduced = (
                full.titled
                or any(t in self.lex.titles for t in words[:-1])
                or len(full.tokens) >= 2
                or self._appositive(head)
            )
            ent = self._entity(full.text, "PERSON", introduced)
            self.history.append((offset, ent, sent))
            conf = 0.95 if len(full.tokens) >= 2 else (0.75 if introduced else 0.55)
            how = "name" if full is n else "short-name"
            return Resolution(full.text, "person", how, conf, ent.gender)
        if (
            head is not None
            and head.pos_ == "PROPN"
            and head.ent_type_ in {"", "PERSON"}
            and not inner
        ):
            # a name the NER missed: treat capitalised tokens as the name
            toks = [
                w
                for w in re.findall(r"[A-Z][\w’'.-]+", mention)
                if w.lower() not in self.lex.honorifics
                and w.lower() not in self.lex.titles
            ]
            if toks and head.ent_type_ == "PERSON":
                found = self._fullest(toks[-1].lower())
                name = found.text if found else " ".join(toks)
                ent = self._entity(
                    name, "PERSON", bool(found and found.titled) or len(toks) >= 2
                )
                self.history.append((offset, ent, sent))
                return Resolution(name, "person", "name", 0.7, ent.gender)
        if head is not None and head.pos_ == "PROPN" and not persons:
            caps = [
                w
                for w in re.findall(r"[A-Z][\w’'.-]*", mention)
                if w.lower() not in self.lex.honorifics
                and w.lower() not in self.lex.titles
            ]
            if caps:
                found = self._fullest(
                    caps[-1].lower().rstrip("’'s")
                    if caps[-1].endswith(("’s", "'s"))
                    else caps[-1].lower()
                )
                if found is not None:
                    ent = self._entity(found.text, "PERSON", True)
                    self.history.append((offset, ent, sent))
                    return Resolution(
                        found.text, "person", "short-name", 0.75, ent.gender
                    )
        if (
            head is not None
            and head.pos_ == "PROPN"
            and any(
                c.dep_ == "appos" and c.lower_ in self.lex.titles for c in head.children
            )
        ):
            # "Ines Arbor, the council leader": the name is the head, not the whole
            # phrase
            chain = [
                c for c in head.lefts if c.dep_ == "compound" and c.pos_ == "PROPN"
            ]
            toks = [*chain, head]
            toks = [
                t
                for t in toks
                if t.lower_ not in self.lex.honorifics
                and t.lower_ not in self.lex.titles
            ]
            if len(toks) >= 2:
                name = " ".join(t.text for t in toks)
                # the appositive role makes it a person whatever the NER said; later
                # short mentions ("Arbor") link to it
                self.names.append(
                    Name(
                        name,
                        tuple(t.lower_ for t in toks),
                        toks[0].idx,
                        sent,
                        "PERSON",
                        True,
                    )
                )
                self.names.sort(key=lambda n: n.start)
                self._fullest_cache.clear()
                ent = self._entity(name, "PERSON", True)
                self.history.append((offset, ent, sent))
                return Resolution(name, "person", "name", 0.8, ent.gender)
        orgs = [n for n in inner if n.label in {"ORG", "GPE", "NORP"}]
        if (
            head is not None
            and head.pos_ == "PROPN"
            and not orgs
            and len(words) <= 2
            and _is_acronym(head.text)
        ):
            # an acronym the entity recogniser did not label: "HNS reported" after
            # "Harbor News Service"
            org = self._organisation(words, head, offset)
            if org is not None:
                ent = self._entity(org, "ORG", True)
                self.history.append((offset, ent, sent))
                return Resolution(org, "organisation", "organisation", 0.75)
        if head is not None and not persons:
            lede = self._lede_role(head, offset, len(mention), sent)
            if lede is not None:
                ent = self._entity(lede.text, "PERSON", True)
                self.history.append((offset, ent, sent))
                return Resolution(lede.text, "person", "lede-role", 0.6, ent.gender)
        # a title for a person introduced elsewhere: "the president", "the senator"
        title_words = [w for w in words if w not in _STOP]
        if (
            title_words
            and len(title_words) <= 4
            and (
                title_words[-1] in self.lex.titles
                or head is not None
                and head.tag_ == "NN"
            )
            and (
                not any(n.label != "NORP" and not _is_party(n) for n in orgs)
                or title_words[-1] in self.lex.titles  # "the Harbor Party nominee"
            )
        ):
            role = [
                w
                for w in title_words
                if not w.endswith(("’s", "'s")) and w not in self.lex.honorifics
            ]
            described = self._described(role, head, offset)
            if described is not None:
                full = (
                    self._fullest(described.tokens[-1], tokens=described.tokens)
                    or described
                )
                ent = self._entity(full.text, "PERSON", True)
                self.history.append((offset, ent, sent))
                return Resolution(full.text, "person", "title", 0.7, ent.gender)
            # a role named only afterwards: "the country's foreign minister held
            # calls... Andrii Sybiha's posts indicate..." -> the new full name in the
            # next sentences
            if (
                head is not None
                and head.tag_ == "NN"
                and title_words[-1] in self.lex.titles
                and len(title_words) <= 4
                and not any(
                    n.label not in {"GPE", "NORP"} and not _is_party(n) for n in orgs
                )
                and title_words[-1] not in _ANONYMOUS_ROLES
            ):
                earlier = {n.tokens[-1] for n in self.names if n.start < offset}
                key = _ROLE_NORM.get(title_words[-1], title_words[-1])
                plain = not orgs  # "the judge"; "a New York judge" needs the role named
                for n in self.names:
                    if n.start <= offset or n.label != "PERSON" or len(n.tokens) < 2:
                        continue
                    if n.sent > sent + (3 if not plain else 1):
                        break
                    if n.tokens[-1] in earlier:
                        continue
                    if key in n.roles or plain and n.sent <= sent + 1:
                        ent = self._entity(n.text, "PERSON", True)
                        self.history.append((offset, ent, sent))
                        return Resolution(
                            n.text, "person", "role-named-after", 0.5, ent.gender
                        )
            epithet = self._epithet(words, head, orgs, offset, sent)
            if epithet is not None:
                return epithet
        elif title_words:
            # "the New York businessman": a place in the description keeps it out of
            # the title lookup above, but not from being an epithet
            epithet = self._epithet(words, head, orgs, offset, sent)
            if epithet is not None:
                return epithet
        if head is not None and head.lower_ in _UTTERANCES:
            # "his best response was to say ...", "her statement said": the owner
            owner = self._possessor(head, offset, sent)
            if owner is not None:
                ent = self._entity(owner, "PERSON", True)
                self.history.append((offset, ent, sent))
                return Resolution(owner, "person", "possessor", 0.6, ent.gender)
        text = _clean(mention)
        kind = self._type_of(words, orgs, head)
        if low in _QUANTIFIERS and head is not None:
            # "not everyone agrees": the negation is part of who
            neg = [c for c in head.children if c.dep_ == "neg" and c.i < head.i]
            if neg:
                text = f"{neg[0].text} {text}"
            kind = "person" if low in {"someone", "somebody", "anyone"} else "group"
        conj = self._coordinated(head, offset) if head is not None else None
        if conj is not None:
            return self._as_group(conj, offset, sent)
        if kind == "organisation" and head is not None:
            org = self._organisation(words, head, offset)
            if org is not None:
                ent = self._entity(org, "ORG", True)
                self.history.append((offset, ent, sent))
                return Resolution(org, "organisation", "organisation", 0.75)
            if not orgs:
                # "police said" after "Charlotte-Mecklenburg police"
                org = self._earlier_group(head, offset, sent)
                if org is None:
                    org = self._named_institution(head, offset, sent)
                if org is not None:
                    ent = self._entity(org, "ORG", True)
                    self.history.append((offset, ent, sent))
                    return Resolution(org, "organisation", "organisation", 0.7)
        if (
            kind in {"group", "document"} or kind == "organisation" and not orgs
        ) and head is not None:
            text = _clean(self._description(head)) or text
            fuller = self._antecedent_np(head, offset)
            if fuller is None and kind == "group":
                fuller = self._earlier_group(head, offset, sent)
            if fuller is None and kind == "organisation":
                fuller = self._generic_org(head, sent)
            if fuller is None and kind == "document":
                fuller = self._named_later(head, offset, sent)
            if fuller is not None:
                text = fuller
            elif kind == "document":
                text = self._spelled_out(head, text, offset)
            owner = self._possessor(head, offset, sent)
            if owner is not None and text.lower().split()[0] in {"his", "her"}:
                text = f"{owner}’s {text.split(None, 1)[1]}" if " " in text else text
        elif kind == "organisation" and head is not None and head.tag_ == "NNPS":
            # "Republicans said" after "Oversight Committee Republicans"
            fuller = self._earlier_group(head, offset, sent)
            if fuller is not None:
                text = fuller
                kind = "group"
        conf = 0.8 if orgs or kind in {"organisation", "document"} else 0.65
        if kind == "person" and orgs == [] and len(words) <= 3:
            # "the spokesman": an unnamed person
            pass
        if kind in {"organisation", "group", "document"}:
            label = {"organisation": "ORG", "group": "GROUP", "document": "DOC"}[kind]
            ent = self._entity(text, label, True)
            self.history.append((offset, ent, sent))
        return Resolution(text, kind, "mention", conf)

    def _lede_role(
        self, head: Token, offset: int, length: int, sent: int
    ) -> Name | None:
        """ "Retired General Reveals ... / Retired U.S. Air Force Gen. Norman Ham is
        speaking out": a role without a name in the headline or the first sentences
        of a story is the person the next sentences name with that role (the
        delayed identification of a news lede)."""
        low = head.lower_
        key = _ROLE_NORM.get(low, low)
        if (
            sent > LEDE
            or head.pos_ not in {"NOUN", "PROPN"}
            or head.ent_type_ not in {"", "NORP"}
            or not (low in self._lede_roles or key in self._lede_roles)
            or low in _ANONYMOUS_ROLES
            # "his lawyer": someone related to a person already known
            or any(c.dep_ == "poss" and c.pos_ == "PRON" for c in head.children)
        ):
            return None
        lo, hi = self._content or (0, 0)
        later = [
            n
            for n in self.names
            if n.start >= offset + length
            and n.label == "PERSON"
            and len(n.tokens) >= 2
            and not lo <= n.start < hi
            and n.sent <= sent + 3
        ]
        # the person named with that role, else the first one named as the subject
        # of a main clause ("Kevin Sullivan says ...")
        found = next((n for n in later if key in n.roles), None) or next(
            (n for n in later if n.subject), None
        )
        if found is None:
            return None
        return self._fullest(found.tokens[-1], tokens=found.tokens) or found

    def _epithet(
        self,
        words: list[str],
        head: Token | None,
        orgs: list[Name],
        offset: int,
        sent: int,
    ) -> Resolution | None:
        """ "Mike Pence says ... The Indiana governor said": a definite description
        whose role the article never attached to a name is an epithet for someone just
        mentioned, resolved like "he or she" (no gender)."""
        if (
            head is None
            or words[0] != "the"
            or len(words) > 6
            or head.tag_ != "NN"
            or head.lower_ not in _EPITHETS
            or any(n.label not in {"GPE", "NORP"} and not _is_party(n) for n in orgs)
            or any(c.dep_ in {"prep", "acl", "relcl", "appos"} for c in head.children)
        ):
            return None
        # a gendered role is a gendered pronoun ("the businessman": "he")
        low = head.lower_
        res = self._pronoun(
            "he" if low in _MALE_ROLES else "she" if low in _FEMALE_ROLES else "the",
            offset,
            sent,
        )
        if res is None or res.type != "person":
            return None
        return Resolution(
            res.name, "person", "epithet", min(res.confidence, 0.6), res.gender
        )

    def _antecedent_np(self, head: Token, offset: int) -> str | None:
        """ "The poll said": the fuller description an earlier sentence gave the same
        thing ("a Washington Post-ABC News poll of 1,000 adults" -> that)."""
        dets = [c for c in head.children if c.dep_ == "det"]
        if not dets or dets[0].lower_ not in {"the", "this", "that", "these", "those"}:
            return None
        own = {t.lower_ for t in head.subtree if not t.is_punct} - _STOP
        if any(t.pos_ == "PROPN" for c in head.lefts for t in c.subtree):
            return None  # "the latest Harbor Gazette poll": named already
        best: tuple[int, str] | None = None
        for start, root, nc in self._noun_chunks():
            if start >= offset:
                break
            if root != head.lower_:
                continue
            words = [
                t
                for t in nc
                if not t.is_punct and t.lower_ not in _STOP and t.dep_ != "det"
            ]
            extra = {t.lower_ for t in words} - own
            if not extra or len(words) > 12:
                continue
            if best is None or len(words) > best[0]:
                best = (len(words), _clean(nc.text))
        return best[1] if best is not None else None

    def _spelled_out(self, head: Token, text: str, offset: int) -> str:
        """ "the IMF report" -> "International Monetary Fund report": an acronym
        before a document noun, spelt out as the article names the organisation."""
        for t in [x for c in head.lefts for x in c.subtree]:
            if t.pos_ != "PROPN" or not _is_acronym(t.text):
                continue
            full = self._organisation([t.lower_], t, offset)
            m = re.search(rf"\b{re.escape(t.text)}\b", text)
            if full is not None and full != t.text and m is not None:
                text = text[: m.start()] + full + text[m.end() :]
        return text

    def _noun_chunks(self) -> list[tuple[int, str, Any]]:
        if self._chunks is None:
            self._chunks = [
                (nc.start_char, nc.root.lower_, nc)
                for nc in self.doc.noun_chunks
                if nc.root.pos_ == "NOUN"
            ]
        return self._chunks

    def _named_later(self, head: Token, offset: int, sent: int) -> str | None:
        """ "A new poll shows ... The latest Harbor Gazette poll found": a document
        given without a name (bare or indefinite) is the one the next sentences
        name with the same noun."""
        lefts = [t for c in head.lefts for t in c.subtree]
        if any(
            c.dep_ not in {"det", "amod", "compound", "punct"}
            or c.dep_ == "det"
            and c.lower_ not in {"a", "an"}
            for c in head.lefts
        ) or any(t.ent_type_ for t in lefts):
            return None  # "the poll", "a June poll", "a Harbor Gazette poll"
        # a headline's bare "Poll" may be introduced again ("Poll: ... according to a
        # new Gazette poll"); "a new poll" is not "a Gazette poll" later, only "the"
        bare = not any(c.dep_ == "det" for c in head.lefts)
        for start, root, nc in self._noun_chunks():
            if start <= offset or root != head.lower_:
                continue
            if self._sent(nc.root.i) > sent + 3:
                break
            if not bare and nc[0].lower_ != "the":
                continue
            if any(
                t.pos_ == "PROPN" and t.ent_type_ not in {"", "DATE", "TIME"}
                for t in nc
                if t.i < nc.root.i
            ):
                return _clean(nc.text)
        return None

    def _earlier_group(self, head: Token, offset: int, sent: int) -> str | None:
        """ "Democrats said": the group as the article last described it in full
        ("Democrats on the House Oversight Committee", "Oversight Committee
        Democrats"), when this mention is bare or only has a determiner."""
        if any(c.dep_ not in {"det", "punct"} for c in head.children):
            return None  # "Senate Democrats", "experts on Korea": already specific
        if any(
            c.dep_ == "det" and c.lower_ not in {"the", "these", "those"}
            for c in head.children
        ):
            return None  # "some Democrats", "many experts"
        word = head.lower_
        doc = head.doc
        same = self._same_word(head)
        for i in reversed([i for i in same if i < head.i]):
            if self._sent(i) < sent - 40:
                break
            t = doc[i]
            if t.idx >= offset:
                continue
            if t.pos_ not in {"NOUN", "PROPN"}:
                continue
            found = self._group_phrase(t)
            if found is not None:
                return _clean(doc[found[0] : found[1]].text)
        # an institution named only later: "police said ... the Harbor County police
        # chief" (not a group of people: "officials" now may be others later)
        if word not in _ORG_WORDS:
            return None
        for i in [i for i in same if i > head.i]:
            if self._sent(i) > sent + 40:
                break
            t = doc[i]
            if t.pos_ not in {"NOUN", "PROPN"}:
                continue
            found = self._group_phrase(t)
            if found is not None and any(
                x.pos_ == "PROPN" for x in doc[found[0] : t.i]
            ):
                return _clean(doc[found[0] : t.i + 1].text)
        return None

    def _entity_at(self, tok: Token) -> Span | None:
        """The named entity ``tok`` is part of, or None."""
        return next((e for e in self.ents if e.start <= tok.i < e.end), None)

    def _group_phrase(self, t: Token) -> tuple[int, int] | None:
        """The token range of ``t`` with its naming modifiers and a short
        prepositional phrase ("Oversight Committee Republicans", "Democrats on the
        harbor board"), or None when it has none."""
        doc = t.doc
        lo = t.i
        for c in t.lefts:
            if c.dep_ in {"compound", "amod", "nmod"}:
                lo = min(lo, c.left_edge.i)
        if t.dep_ == "compound" and lo == t.i:
            # a flat compound: "the Harbor County police chief" names the police
            for c in reversed([c for c in t.head.lefts if c.i < t.i]):
                if c.dep_ != "compound" or c.pos_ != "PROPN" or c.right_edge.i < lo - 2:
                    break
                lo = c.left_edge.i
        # "most pollsters", "three million fewer Democrats", "other sources": a
        # part or an amount of the group, not a fuller name for it; nor is a
        # lower-case adjective ("vulnerable Democrats", "younger voters")
        if any(
            x.lower_ in _QUANTIFIERS | _PART_WORDS
            or x.tag_ in {"JJR", "JJS", "CD", "RBS"}
            or (x.pos_ == "ADJ" or x.dep_ == "amod")
            and (x.is_lower or x.is_sent_start and not x.ent_type_)
            and x.head.i == t.i
            for x in doc[lo : t.i]
        ):
            return None
        for k in range(t.i - 1, lo - 1, -1):
            tok = doc[k]
            if tok.is_punct and not tok.whitespace_ and not doc[k - 1].whitespace_:
                continue  # a hyphen inside a name: "Harbor-Mill"
            if tok.is_punct or tok.is_space or "\n" in tok.whitespace_:
                lo = k + 1  # not across a dateline ("BRUSSELS - European leaders")
                break
        hi = t.i + 1
        preps = [
            c
            for c in t.rights
            if c.dep_ == "prep" and c.lower_ in {"on", "of", "at", "from", "for"}
        ]
        if preps:
            end = preps[0].right_edge.i + 1
            if end - t.i <= 7 and not any(
                x.pos_ in {"VERB", "AUX"} for x in doc[t.i : end]
            ):
                hi = end
        if hi - lo < 2:
            return None
        if t.ent_type_ and t.ent_type_ != "NORP":
            ent = self._entity_at(t)
            if ent is not None and ent.start + (ent[0].pos_ == "DET") < lo:
                return None  # cut out of a longer name: "League of Harbor Voters"
        return lo, hi

    def _named_institution(self, head: Token, offset: int, sent: int) -> str | None:
        """ "A federal appeals court ruled ... the U.S. Court of Appeals": an
        institution described by common words only is the organisation the article
        names with the same nouns, the nearest before it, else the first in the next
        sentences."""
        if head.pos_ != "NOUN" or head.lower_ not in _ORG_WORDS:
            return None
        nouns = {head.lower_}
        for c in head.lefts:
            if c.dep_ == "det" or c.dep_ == "amod" and c.is_lower:
                continue  # "a federal appeals court"
            if c.dep_ == "compound" and c.pos_ == "NOUN" and c.is_lower:
                nouns.add(c.lower_)
                continue
            return None  # a name, an owner, a number: not a bare description
        # "the board of elections" is the "Board of Elections", but "a group of
        # experts at the Harbor Institute" is not the institute
        nouns.update(
            t.lower_
            for c in head.rights
            if c.dep_ == "prep" and c.lower_ == "of"
            for t in c.children
            if t.dep_ == "pobj"
        )
        before: str | None = None
        for e in self.ents:
            if e.label_ != "ORG" or e.start == head.i:
                continue
            words = {t.lower_ for t in e}
            if not nouns <= words or len(words - {"the"}) < 2:
                continue
            name = _without_the(e.text)
            if e.start_char < offset:
                before = name
            elif before is None and self._sent(e.start) <= sent + 3:
                return name
            else:
                break
        return before

    def _generic_org(self, head: Token, sent: int) -> str | None:
        """ "The bank said" after "Halden Savings reported ...": a definite generic
        institution noun is the organisation most recently named before it."""
        if head.lower_ not in _GENERIC_ORGS or [c.lower_ for c in head.children] != [
            "the"
        ]:
            return None
        for n in reversed(self.names):
            if n.start >= head.idx or n.label != "ORG":
                continue
            if n.sent < sent - 4:
                break
            return _without_the(n.text)
        return None

    def _author(self) -> str | None:
        """The writer of a first-person piece, when the article names them: a byline
        ("By Ana Ruiz") or a closing bio ("Ana Ruiz is a writer in Lyon.")."""
        if self._author_cache is not None:
            return self._author_cache or None
        found = ""
        text = self.text
        tail = len(text) - 600
        for n in self.names:
            if n.label != "PERSON" or len(n.tokens) < 2:
                continue
            before = text[max(0, n.start - 4) : n.start]
            after = text[n.start + len(n.text) : n.start + len(n.text) + 12]
            at_line = n.start == 0 or "\n" in text[max(0, n.start - 2) : n.start]
            if n.start < 200 and re.search(r"(?i)\bby\s*$", before):
                found = n.text
                break
            if (
                n.start >= tail
                and at_line
                and re.match(r",? (is|was|has|teaches|writes|lives)\b", after)
            ):
                found = n.text
        self._author_cache = found
        return found or None

    def _head_name(self, persons: list[Name], head: Token | None) -> Name:
        """Which of the names inside a mention is the speaker: the one the mention is
        headed by ("John Dickey, the chief executive of ... Mr. King's ..."), else
        the last one that is not a modifier ("one of the family's attorneys, Justin
        Bamberg"; not "Scott's niece", "the Clinton campaign")."""
        if head is not None:
            for n in persons:
                if n.start <= head.idx < n.start + len(n.text) + 2:
                    return n
        free = []
        for n in persons:
            end = n.start + len(n.text)
            after = self.text[end : end + 2]
            tok = self._token_at(max(n.start, end - 1))
            if (
                after.startswith(("'s", "’s"))
                or tok is not None
                and self.doc[tok].dep_ in {"compound", "poss", "amod"}
            ):
                continue
            free.append(n)
        return (free or persons)[-1]

    def _possessive_of(self, n: Name, head: Token) -> bool:
        """Is the name ``n`` the possessor of ``head`` ("Trump's campaign")?"""
        tok = self._token_at(n.start + len(n.text) - 1)
        if tok is None:
            return False
        t = self.doc[tok]
        while t.dep_ == "compound" and t.head.i != t.i:
            t = t.head
        return t.dep_ == "poss" and t.head.i == head.i

    def _token_at(self, offset: int) -> int | None:
        span = self.doc.char_span(offset, offset + 1, alignment_mode="expand")
        return span.start if span is not None and len(span) else None

    def _described(
        self, role: list[str], head: Token | None, offset: int
    ) -> Name | None:
        """The person an earlier passage describes with this role ("the senator")."""
        if not role:
            return None
        key = _ROLE_NORM.get(role[-1], role[-1])
        mods = {_ROLE_NORM.get(w, w) for w in role[:-1]}
        required = {key}
        if len(role) >= 2 and " ".join(role[-2:]) in self.lex.titles:
            required.add(role[-2])  # "foreign minister" is not "prime minister"
        # the party is what tells "the Democratic nominee" from the other nominee
        required.update(_PARTIES & mods)
        scores: dict[tuple[str, ...], tuple[float, Name]] = {}
        roles: dict[tuple[str, ...], set[str]] = {}
        for n in self.names:
            if n.start >= offset or n.label != "PERSON":
                continue
            full = self._fullest(n.tokens[-1], tokens=n.tokens) or n
            roles.setdefault(full.tokens, set()).update(n.roles)
            scores[full.tokens] = (n.start, full)
        best: tuple[float, Name] | None = None
        for toks, (last, full) in scores.items():
            words = roles[toks]
            if not required <= words:
                continue
            score = 2.0 * len(mods & words) - 0.5 * len(mods - words) + last / 1e6
            if best is None or score > best[0]:
                best = (score, full)
        return best[1] if best is not None else None

    @staticmethod
    def _conjuncts(head: Token) -> list[Token]:
        """The other conjuncts of a coordination headed by ``head``, also down a chain
        ("A, B and C": "B" hangs on "A", "C" on "B"); empty without a conjunction."""
        out: list[Token] = []
        todo = [head]
        has_cc = False
        while todo:
            tok = todo.pop()
            has_cc = has_cc or any(c.dep_ == "cc" for c in tok.children)
            more = [c for c in tok.children if c.dep_ == "conj" and c.i < tok.i + 12]
            out.extend(more)
            todo.extend(more)
        return sorted(out, key=lambda t: t.i) if has_cc else []

    def _conjunct_name(self, tok: Token) -> str:
        """A name as a conjunct: its fullest form in the article."""
        lo = tok.i
        while (
            lo > 0
            and tok.doc[lo - 1].dep_ == "compound"
            and tok.doc[lo - 1].head.i == tok.i
            and tok.doc[lo - 1].pos_ == "PROPN"  # not "candidates Ann Lee"
        ):
            lo -= 1
        words = [
            t.text
            for t in tok.doc[lo : tok.i + 1]
            if t.i == tok.i  # the name itself, even when it is a title: "King"
            or t.lower_ not in self.lex.honorifics
            and t.lower_ not in self.lex.titles
            and not t.is_punct  # "Sens. Ann Lee" split as "Sens", "."
        ]
        full = self._fullest(
            _unsuffixed(words)[-1].lower(), tokens=tuple(w.lower() for w in words)
        )
        return full.text if full is not None else " ".join(words)

    def _coordinated(self, head: Token, offset: int) -> str | None:
        """ "France and Germany", "Mr. King and Mr. Schultz": each conjunct's name."""
        conjs = self._conjuncts(head)
        if not conjs or any(tok.pos_ != "PROPN" for tok in [head, *conjs]):
            return None
        return _join([self._conjunct_name(tok) for tok in [head, *conjs]])

    def _as_group(
        self, name: str, offset: int, sent: int, confidence: float = 0.7
    ) -> Resolution:
        """A coordination ("A and B", "A and her aides") as the speaker: recorded as
        a group mentioned here."""
        ent = self._entity(name, "GROUP", True)
        self.history.append((offset, ent, sent))
        return Resolution(name, "group", "coordinated", confidence)

    def _with_conjuncts(self, head: Token, res: Resolution, offset: int) -> Resolution:
        """ "Ann Lee and her aides", "the mayor and other officials": a speaker
        coordinated with unnamed people is the whole group, its first conjunct
        resolved as usual ("Ann Lee and her aides" -> "Ann Lee Smith and her
        aides")."""
        conjs = self._conjuncts(head)
        lo, hi = self._content or (0, 0)
        if (
            not conjs
            or res.name is None
            or res.how == "coordinated"
            # people: names or plural nouns ("Ann Lee and transparency" is a parse
            # error; "the former mayor and senator" one person)
            or any(tok.pos_ != "PROPN" and tok.tag_ != "NNS" for tok in conjs)
            # "three in five insiders and two-thirds": amounts, not more people
            or any(t.like_num or t.tag_ == "CD" for tok in conjs for t in tok.subtree)
            or all(tok.pos_ == "PROPN" for tok in conjs)
            # (the mention itself was already the whole coordination)
            or any(tok.lower_ in res.name.lower().split() for tok in conjs)
            or any(lo <= tok.idx < hi for tok in conjs)
        ):
            return res
        parts = [res.name]
        for tok in conjs:
            if tok.pos_ == "PROPN":
                parts.append(self._conjunct_name(tok))
            else:
                left = min(
                    (c.left_edge.i for c in tok.lefts if c.dep_ not in {"cc", "punct"}),
                    default=tok.i,
                )
                parts.append(tok.doc[left : tok.i + 1].text)
        return self._as_group(
            _join(parts), offset, self._sent(head.i), min(res.confidence, 0.7)
        )

    def _possessor(self, head: Token, offset: int, sent: int) -> str | None:
        """Who "his" or "her" refers to in "his aides" (without recording a mention)."""
        poss = [
            c for c in head.children if c.dep_ == "poss" and c.lower_ in {"his", "her"}
        ]
        if not poss:
            return None
        n = len(self.history)
        res = self._pronoun(poss[0].lower_, offset, sent)
        del self.history[n:]
        return res.name if res is not None and res.type == "person" else None

    def _organisation(self, words: list[str], head: Token, offset: int) -> str | None:
        """An organisation's full name: "the IMF", "the Times", "the fund", "the
        court"."""
        orgs = [n for n in self.names if n.label == "ORG" and n.start < offset]
        if not orgs:
            return None
        w = head.text
        if _is_acronym(w):
            m = re.search(
                r"((?:[A-Z][\w.’'-]*\s+(?:(?:of|for|the|and|on|to|in)\s+)*)+)\("
                + re.escape(w)
                + r"\)",
                self.text,
            )
            if m and m.start() < offset:
                return _without_the(m.group(1).strip())
            for n in orgs:
                caps = [t[0] for t in n.text.split() if t[:1].isupper()]
                if len(caps) >= 2 and "".join(caps).upper() == w:
                    return n.text
            return None
        if head.ent_type_ == "ORG" and head.ent_iob_ != "O":
            ent = self._entity_at(head)
            if ent is not None and sum(t.dep_ != "det" for t in ent) > 1:
                return _clean(ent.text)
        # "the Post" after "the New York Post": the fullest name with that word
        low = head.lower_
        cands = [n for n in orgs if low in n.tokens and len(n.tokens) > 1]
        if head.pos_ == "PROPN" or cands:
            return (
                max(cands, key=lambda n: (len(n.tokens), n.start)).text
                if cands
                else None
            )
        return None

    @staticmethod
    def _description(head: Token) -> str:
        """The whole noun phrase of an unnamed speaker: "experts on North Korea"."""
        lo, hi = head.left_edge.i, head.right_edge.i + 1
        doc = head.doc
        hi = min(hi, head.i + 16)
        while hi > lo + 1 and (doc[hi - 1].is_punct or doc[hi - 1].is_space):
            hi -= 1
        return doc[lo:hi].text

    def _appositive(self, head: Token | None) -> bool:
        return head is not None and any(c.dep_ == "appos" for c in head.children)

    def _type_of(self, words: list[str], orgs: list[Name], head: Token | None) -> str:
        last = words[-1].strip(",.")
        if (last in _DOC_WORDS or words[0] in _DOC_WORDS) and not (
            orgs and head is not None and head.pos_ == "PROPN"
        ):
            return "document"  # (but "the Post" is a newspaper)
        if orgs or last in _ORG_WORDS or any(w in _ORG_WORDS for w in words):
            return "organisation"
        if head is not None and head.tag_ in {"NNS", "NNPS"}:
            return "group"
        if head is not None and head.pos_ == "PROPN":
            # a name the entity recogniser did not label, no organisation word
            return "person"
        if last in self.lex.titles or head is not None and head.tag_ == "NN":
            return "person"
        return "other"

    def _pronoun(self, low: str, offset: int, sent: int) -> Resolution | None:
        want: str | None = (
            "m" if low in _PRON_MALE else "f" if low in _PRON_FEMALE else None
        )
        plural = low in _PRON_PLURAL
        neuter = low in {"it", "its"}
        best: tuple[float, _Entity] | None = None
        seen: set[str] = set()
        subjects = self._subjects_before(offset, sent)
        # 1. recent speakers, newest first
        for i, (off, ent, s) in enumerate(reversed(self.history)):
            if off >= offset or ent.name.lower() in seen:
                continue
            dist = sent - s
            if dist > 8:
                # (someone named in the last sentences is still a candidate below)
                break
            seen.add(ent.name.lower())
            is_person = ent.label == "PERSON"
            # a bare capitalised word never introduced as a person ("Politifact
            # ruled") may be an organisation the tagger did not know
            maybe_org = is_person and (
                self._bare_unknown(ent.name) or self._bare_name(ent.name)
            )
            personal = want is not None or not plural and not neuter
            if personal != is_person and not (maybe_org and not personal):
                continue  # he/she: people; it/they/we: organisations, groups, documents
            if neuter and ent.label == "GROUP":
                continue
            if want and ent.gender and ent.gender != want:
                continue
            score = 3.0 - 0.35 * dist - 0.5 * i
            score += 1.0 if ent.introduced else -2.0
            score += FREQ * math.log1p(self._count(ent.last, offset))
            if ent.name.lower() in subjects:
                score += SUBJ
            if best is None or score > best[0]:
                best = (score, ent)
        # 2. people named in recent sentences who haven't spoken yet
        if not plural and not neuter:
            lo, hi = self._content or (0, 0)
            for n in reversed(
                [
                    n
                    for n in self.names
                    if n.start < offset
                    and n.label == "PERSON"
                    and not lo <= n.start < hi
                ]
            ):
                dist = sent - n.sent
                if dist > WINDOW and (best is not None or dist > LAST_RESORT):
                    break  # (with nobody nearer, look a little further back)
                full = self._fullest(n.tokens[-1], tokens=n.tokens) or n
                if full.text.lower() in seen:
                    continue
                seen.add(full.text.lower())
                g = self._gender(full.text)
                if want and g and g != want:
                    continue
                score = (
                    1.6
                    - 0.5 * dist
                    + (0.6 if len(full.tokens) >= 2 or full.titled else -1.0)
                )
                score += FREQ * math.log1p(self._count(full.tokens[-1], offset))
                if full.text.lower() in subjects:
                    score += SUBJ
                if best is None or score > best[0]:
                    ent = self._entity(
                        full.text, "PERSON", len(full.tokens) >= 2 or full.titled
                    )
                    best = (score, ent)
            # ... and people the last sentences' subjects describe by a role only
            # ("the president appeared cowed. Campaigning in 2012, he ...")
            for n, dist in self._described_subjects(offset, sent):
                # (scored again even if seen above: being the subject is the point)
                full = self._fullest(n.tokens[-1], tokens=n.tokens) or n
                g = self._gender(full.text)
                if want and g and g != want:
                    continue
                score = 1.6 - 0.5 * dist + 0.6 + SUBJ
                score += FREQ * math.log1p(self._count(full.tokens[-1], offset))
                if best is None or score > best[0]:
                    best = (score, self._entity(full.text, "PERSON", True))
        # 3. "it"/"they": the thing the previous sentence (or this one) is about, when
        # it is not a person: "Donald Trump's campaign is defending ... It's denouncing"
        if (neuter or low in {"they", "them"}) and not any(
            off < offset and s >= sent - 1 for off, _, s in self.history
        ):
            cand = self._subject_np(offset, sent, plural=not neuter)
            if cand is not None:
                return cand
        if best is None:
            return None
        ent = best[1]
        as_org = ent.label == "PERSON" and (plural or neuter) and want is None
        # (the pronoun does not fix the gender of an unknown name for later pronouns:
        # one wrong "she" would then send every later "he" elsewhere)
        self.history.append((offset, ent, sent))
        conf = max(0.35, min(0.85, 0.45 + 0.1 * best[0]))
        kind = (
            "organisation"
            if as_org
            else "person"
            if ent.label == "PERSON"
            else "organisation"
            if ent.label == "ORG"
            else "document"
            if ent.label == "DOC"
            else "group"
        )
        return Resolution(ent.name, kind, "pronoun", conf, ent.gender)

    def _bare_unknown(self, name: str, *, ner: bool = True) -> bool:
        """One capitalised word that is no known first name and that the entity
        recogniser never called a person ("Politifact"): maybe an organisation.
        With ``ner=False`` what the recogniser said is not asked."""
        low = name.lower()
        return (
            " " not in name
            and low not in self.lex.female_names
            and low not in self.lex.male_names
            and (not ner or low not in self._ner_people)
        )

    def _never_introduced(self, tok: Token) -> bool:
        """A one-word name never given with a first name, title or honorific."""
        if (
            tok.i + 1 < len(self.doc)
            and self.doc[tok.i + 1].pos_ == "PROPN"
            or any(c.dep_ == "compound" for c in tok.children)
        ):
            return False
        return self._bare_name(tok.text)

    def _bare_name(self, name: str) -> bool:
        """One word, no known first name, that the article only ever gives bare."""
        low = name.lower()
        return (
            self._bare_unknown(name, ner=False)
            and low not in self._hgender
            and all(
                len(n.tokens) == 1 and not n.titled and not n.title
                for n in self.names
                if n.tokens and n.tokens[-1] == low
            )
        )

    def _subject_np(self, offset: int, sent: int, *, plural: bool) -> Resolution | None:
        """The main-clause subject of this sentence (before the pronoun) or the
        previous one, when it is a non-person noun phrase of the pronoun's number."""
        doc = self.doc
        for t in self._recent_subjects(offset, sent):
            if t.pos_ == "PRON":
                continue
            # a one-word "person" the article never introduces (no first name,
            # title or honorific anywhere) and calls "they" is an organisation the
            # tagger did not know ("Politifact did a fact-check ... they published")
            bare = t.tag_ == "NNP" and self._never_introduced(t)
            if (
                t.ent_type_ == "PERSON"
                and not bare
                or t.lower_ in self.lex.titles
                or t.lower_ in _EPITHETS
            ):
                return None  # about a person: the pronoun is not for a thing
            is_org = t.ent_type_ in {"ORG", "NORP"} or (
                bare
                and t.ent_type_ in {"PERSON", ""}
                and (t.ent_type_ == "PERSON" or self._bare_unknown(t.text))
            )
            if plural != (t.tag_ in {"NNS", "NNPS"} or is_org and plural):
                return None
            if t.tag_ not in {"NN", "NNS", "NNP", "NNPS"}:
                return None
            lo = t.i
            for c in t.lefts:
                if c.dep_ in {"det", "compound", "amod", "poss", "nmod"}:
                    lo = min(lo, c.left_edge.i)
            mention = doc[lo : t.i + 1]
            n = len(self.history)
            res = self.resolve(mention.text, t, mention.start_char)
            del self.history[n:]
            name, kind = res.name, res.type
            if kind == "person":
                # "Donald Trump's campaign" (named after its owner), "the harbor
                # authority": a role word would have stopped us above, so a thing
                kind = self._type_of(mention.text.lower().split(), [], t)
                if kind == "person":
                    kind = "group" if plural else "organisation"
                name = _clean(mention.text)
            if name is None or kind not in {"organisation", "group", "document"}:
                return None
            label = {"organisation": "ORG", "document": "DOC"}.get(kind, "GROUP")
            ent = self._entity(name, label, True)
            self.history.append((offset, ent, sent))
            return Resolution(name, kind, "pronoun-subject", 0.55)
        return None

    def inherit(self, offset: int, name: str | None) -> None:
        """Record that a continuation quote at ``offset`` belongs to ``name``."""
        if name and name.lower() in self._entities:
            ent = self._entities[name.lower()]
            span = self.doc.char_span(offset, offset + 1, alignment_mode="expand")
            sent = self._sent(span.start) if span is not None and len(span) else 0
            self.history.append((offset, ent, sent))
