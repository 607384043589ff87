"""Attribution frames from a parsed article: cue, speaker mention, content.

A *frame* is one attribution before its speaker is resolved. Frames come from
three rules, each named in :attr:`Frame.rule` so every quote can say why it
exists:

- ``cue-verb``: a cue verb (from the lexicon) with a subject and a clausal or
  nominal complement ("Rubio told the AP that ...", "Lavrov described the
  meeting as ...");
- ``according-to``: "according to X" and its clause;
- ``quote-cue``: a quoted stretch linked to a cue verb next to it
  ("“...,” he said"), and ``quote-continued`` for quoted stretches that
  continue the previous speaker's quote without a cue of their own.
"""

from __future__ import annotations

import os
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np
from spacy.attrs import IDX, LOWER, POS, SENT_START, TAG
from spacy.parts_of_speech import IDS as POS_IDS
from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from onrecord.extract._lemma import lemma as lemma_of
from onrecord.extract.cuemodel import cue_features, load_cue_model
from onrecord.extract.cues import Lexicon
from onrecord.extract.quotemarks import QuoteRun, _family, find_quote_runs
from onrecord.types import Span

_SUBJ = {"nsubj", "nsubjpass", "csubj"}
QUOTED_PHRASE_MIN = (
    0.35  # cue probability for a quoted phrase to count as an attribution (dev)
)
OPEN_COMPLEMENT_MIN = (
    0.65  # cue probability for an open complement alone to be the content (dev)
)
OBJECT_MIN = 0.7  # cue probability for a bare object of a "needs a clause" cue (dev)
_CONTENT_PREPS = {
    "about",
    "on",
    "against",
    "over",
    "for",
    "with",
    "of",
    "behind",
    "into",
    "to",
    "at",
}
_CLAUSE = {"ccomp", "xcomp", "csubj"}
_PRONOUNS = {"he", "she", "they", "it", "we", "i", "you", "him", "her", "them", "us"}
_QUOTE_CHARS = set("\"“”„«»'‘’`")
_DASH_SIGNATURE = re.compile(
    r"[^\S\n]*[―—–-]{1,2}[^\S\n]*([A-Z][\w.’'-]*(?:[^\S\n]+[A-Z][\w.’'-]*){0,3})"
)
_INVERTED_CUE = re.compile(
    r"(?:^|(?<=[.!?”\"]\s)|(?<=\n))(Said|Says|Added|Adds|Asked|Wrote|Writes|Tweeted)[^\S\n]+"
    r"((?:[A-Z][\w.’'-]*[^\S\n]*){1,4}?)[:,][^\S\n]*(?=[“\"])"
)
# "WALLACE: Let's start..." (interview transcripts) and "Pence: Flowers won't be at
# debate" (headlines)
_TRANSCRIPT = re.compile(
    r"(?m)^[\"“]?((?:[A-Z][\w.’'-]*[ \t]+){0,2}[A-Z][\w.’'-]*):"
    r"[ \t]+(\S[^\n]{8,}?)[\"”]?$"
)
_NAMING_NOUNS = {
    "phrase",
    "term",
    "terms",
    "word",
    "words",
    "slogan",
    "slogans",
    "expression",
    "catchphrase",
    "motto",
}
# a quoted wording right after "the phrase", "known as the", "labeled", ...
_NAMED_BEFORE = re.compile(
    r"(?<![\w-])((?:the|a|this|that|his|her|their|its)[^\S\n]+(?:"
    + "|".join(sorted(_NAMING_NOUNS, key=len, reverse=True))
    + r")|known[^\S\n]+as|labell?ed|(?:en)?titled|dubbed|nicknamed|called|named)"
    r",?(?:[^\S\n]+(?:the|a|an))?[^\S\n]*$",
    re.IGNORECASE,
)
_NOT_SPEAKER_LABELS = {
    "correction",
    "corrections",
    "clarification",
    "update",
    "updated",
    "note",
    "editor's",
    "photo",
    "photos",
    "video",
    "watch",
    "read",
    "related",
    "source",
    "sources",
    "credit",
    "caption",
    "disclosure",
    "warning",
    "transcript",
    "listen",
    "advertisement",
    "file",
    "summary",
    "background",
    "q",
    "question",
    "answer",
}


@dataclass(slots=True)
class Frame:
    """An attribution found in the text, before speaker resolution."""

    content: list[Span]
    rule: str
    cue: Span | None = None
    cue_i: int | None = None
    speaker: Span | None = None  # char span of the mention
    speaker_head: int | None = None  # token index of the mention's head
    addressee: Span | None = None
    kind: str = "indirect"
    strength: float = 0.8
    quote_runs: list[int] = field(default_factory=list)

    @property
    def start(self) -> int:
        return self.content[0][0]

    @property
    def end(self) -> int:
        return self.content[-1][1]


def _trim(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Trim punctuation, 'that' and conjunctions off the edges of a token range."""
    while start < end and (
        doc[start].is_punct
        and doc[start].text not in _QUOTE_CHARS
        or doc[start].is_space
        or doc[start].lower_ in {"that", "and", "but", ",", "whether"}
        and doc[start].dep_ in {"mark", "cc", "punct"}
    ):
        start += 1
    while end > start and (
        doc[end - 1].is_space
        or doc[end - 1].is_punct
        and doc[end - 1].text not in _QUOTE_CHARS
        and doc[end - 1].text not in {".", "?", "!"}
        or doc[end - 1].lower_ in {"and", "but"}
        and doc[end - 1].dep_ == "cc"
    ):
        end -= 1
    return start, end


# a full stop after these is not a sentence end ("St. Regis", "Sen. Voss")
_ABBREVIATIONS = {
    "st", "mr", "mrs", "ms", "dr", "jr", "sr", "gov", "sen", "rep", "gen", "lt",
    "col", "capt", "sgt", "rev", "mt", "ft", "inc", "co", "corp", "ltd",
    "vs", "prof", "pres", "atty", "supt", "ave", "blvd", "jan", "feb", "aug",
    "sept", "oct", "nov", "dec",
}  # fmt: skip
_STOP_THEN_WORD = re.compile(r"(\w*)([.!?])\s+\S")


def _sentence_end_in(text: str) -> bool:
    """Does a sentence end inside ``text``, not counting the full stops of
    abbreviations and initials ("St. Regis", "U.S. officials", "John F. Voss")?"""
    for m in _STOP_THEN_WORD.finditer(text):
        word = m.group(1)
        if m.group(2) == "." and (
            word.lower() in _ABBREVIATIONS
            or (len(word) == 1 and word.isupper())
            or text[max(0, m.start(2) - 2) : m.start(2) - 1] == "."
        ):
            continue
        return True
    return False


def _chars(doc: Doc, start: int, end: int) -> Span:
    return doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text)


_OBJECT_PREPS = {"of", "for", "about", "over", "against", "with", "to", "on"}


_OWN_CLAUSE = {"relcl", "advcl", "conj"}
# verbs whose object is the subject of their open complement ("urged X to Y")
_OBJECT_CONTROL = {
    "encourage", "urge", "ask", "push", "press", "pressure", "require", "empower",
    "challenge", "dare", "persuade", "invite", "order", "force", "allow",
    "implore", "exhort", "prompt", "convince", "beg", "warn", "advise",
    "instruct", "direct", "want", "expect", "like", "welcome", "call", "tell",
    "inspire", "lobby", "petition", "authorize", "permit", "forbid", "compel",
    "recruit", "remind", "entreat", "enable", "prod", "nudge", "appeal",
}  # fmt: skip
# object-control verbs whose infinitive after the object is often a purpose clause
# of the subject's instead ("called reporters to announce ...")
_LOOSE_CONTROL = {"call", "like", "welcome", "want", "expect", "direct", "appeal"}
_RAISING = {"seem", "appear", "be", "have", "get", "go", "use", "try"}
_BARE_AS_DEPS = {"nsubj", "aux", "advmod", "prt", "mark", "punct", "neg", "npadvmod"}
_VB_TAGS = ("VB", "VBD", "VBG", "VBN", "VBP", "VBZ")


class _Extents:
    """The frames whose contents' extent covers a character offset, without testing
    every frame (frames sorted by where their content starts, with the running
    maximum of where they end)."""

    def __init__(self, frames: list[Frame]) -> None:
        rows = sorted(
            (min(a for a, _ in f.content), max(b for _, b in f.content), k)
            for k, f in enumerate(frames)
            if f.content
        )
        self._frames = frames
        self._rows = rows
        self._starts = [lo for lo, _, _ in rows]
        self._reach: list[int] = []
        for _, hi, _ in rows:
            self._reach.append(max(hi, self._reach[-1]) if self._reach else hi)

    def covering(self, char: int) -> Iterator[Frame]:
        j = bisect_right(self._starts, char) - 1
        while j >= 0 and self._reach[j] > char:
            _, hi, k = self._rows[j]
            if hi > char:
                yield self._frames[k]
            j -= 1


def sentence_ids(doc: Doc) -> np.ndarray:
    """The sentence index of every token, as ``doc.sents`` counts them (one array
    operation, not a Span per sentence)."""
    starts = doc.to_array([SENT_START]).reshape(-1) == 1
    if len(starts):
        starts[0] = True
    return np.cumsum(starts) - 1


def _candidate_cues(doc: Doc) -> list[int]:
    """Indices of the tokens that can be cues (verbs, "according", plural nouns that
    may be mistagged verbs), found with array operations instead of a Token per word."""
    if not len(doc):
        return []
    strings = doc.vocab.strings
    arr = doc.to_array([POS, TAG, LOWER]).astype(np.uint64)
    mask = np.isin(
        arr[:, 0], np.array([POS_IDS["VERB"], POS_IDS["AUX"]], dtype=np.uint64)
    )
    tags = np.array([strings.add(t) for t in (*_VB_TAGS, "NNS")], dtype=np.uint64)
    mask |= np.isin(arr[:, 1], tags)
    mask |= arr[:, 2] == np.uint64(strings.add("according"))
    return np.nonzero(mask)[0].tolist()


def _subtree_range(tok: Token) -> tuple[int, int]:
    lo, hi = tok.left_edge.i, tok.right_edge.i + 1
    return lo, hi


def mention_range(tok: Token) -> tuple[int, int]:
    """The token range of the noun phrase headed by ``tok``, without clauses."""
    lo, hi = tok.i, tok.i + 1
    for child in tok.lefts:
        if child.dep_ in {
            "det",
            "compound",
            "amod",
            "poss",
            "nmod",
            "nummod",
            "case",
            "quantmod",
            "predet",
        }:
            lo = min(lo, child.left_edge.i)
    for child in tok.rights:
        if (
            child.dep_ in {"appos", "compound", "prep", "case", "nmod", "flat"}
            and child.i <= tok.i + 12
        ):
            if child.dep_ == "prep" and child.lower_ not in {
                "of",
                "for",
                "at",
                "with",
                "from",
                "in",
            }:
                continue
            hi = max(hi, child.right_edge.i + 1)
    if tok.pos_ == "PROPN" and any(c.dep_ == "cc" for c in tok.rights):
        # "Lena Voss and Tomas Brandt said": both names are the mention
        for child in tok.rights:
            if child.dep_ == "conj" and child.pos_ == "PROPN" and child.i <= tok.i + 8:
                hi = max(hi, child.i + 1)
    doc = tok.doc
    while hi > lo + 1 and (doc[hi - 1].is_punct or doc[hi - 1].is_space):
        hi -= 1
    while lo < hi - 1 and (doc[lo].is_punct or doc[lo].is_space):
        lo += 1
    return lo, hi


_FINITE_TAGS = {"VBD", "VBZ", "VBP"}


def _finite(tok: Token) -> bool:
    """A finite verb: tensed itself ("said") or with a tensed auxiliary ("has said",
    "will say"); not an infinitive or a participle on its own."""
    if tok.pos_ not in {"VERB", "AUX"}:
        return False
    return tok.tag_ in _FINITE_TAGS or any(
        c.dep_ in {"aux", "auxpass"} and c.tag_ in {*_FINITE_TAGS, "MD"}
        for c in tok.children
    )


def _extraposed_subject(conj: Token) -> Token | None:
    """ "It is astounding that Vale demands answers, yet refuses to give any": a verb
    the parser coordinated with an extraposition frame ("It is astounding") goes
    with the clause in between, whose subject it shares."""
    host = conj.head
    if not any(c.dep_ in {"nsubj", "expl"} and c.lower_ == "it" for c in host.children):
        return None
    copular = (
        host.pos_ == "ADJ"
        or lemma_of(host) == "be"
        or host.lower_ in {"is", "was", "'s", "’s", "seems", "seemed"}
        or any(c.dep_ in {"acomp", "attr"} for c in host.children)
        or any(
            c.dep_ in {"aux", "auxpass"} and c.lower_ in {"is", "was", "'s", "’s"}
            for c in host.children
        )
        and host.tag_ in {"VBG", "VBN", "JJ"}
    )
    if not copular:
        return None
    for c in host.children:
        if (
            c.dep_ == "ccomp"
            and host.i < c.i < conj.i
            and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)
        ):
            s = next((g for g in c.children if g.dep_ == "nsubj"), None)
            if s is not None and s.lower_ not in {"it", "this", "that", "there"}:
                return s
    return None


def _complement_as_relcl(tok: Token) -> bool:
    """A "relative clause" opening with the conjunction "that" and with a subject
    of its own ("a rally in Ohio that Vale had lied") is a complement clause the
    parser hung on the wrong word: a relative "that" is a pronoun, not a mark."""
    return (
        tok.dep_ == "relcl"
        and any(
            c.dep_ == "mark" and c.lower_ == "that" and c.i < tok.i
            for c in tok.children
        )
        and any(c.dep_ in {"nsubj", "nsubjpass"} for c in tok.children)
        and any(
            # no gap: "a plan that voters would reject" lacks its object
            c.dep_ in {"dobj", "attr", "acomp", "ccomp", "xcomp", "oprd", "prt"}
            or c.dep_ in {"nsubjpass", "dative"}
            or c.dep_ == "prep"
            and any(g.dep_ in {"pobj", "pcomp"} for g in c.children)
            for c in tok.children
        )
    )


def _nominal_subject(verb: Token, in_quote: list[int | None]) -> Token | None:
    """``verb``'s first nominal subject (a name, noun or pronoun) outside quotes."""
    return next(
        (
            c
            for c in verb.children
            if c.dep_ == "nsubj"
            and in_quote[c.i] is None
            and c.pos_ in {"PROPN", "NOUN", "PRON"}
        ),
        None,
    )


def _verbal(tok: Token) -> bool:
    """A verb, or a verb the tagger took for a plural noun although the parser gave
    it a subject ("“...,” Ines sings to the crowd")."""
    return tok.pos_ == "VERB" or (
        tok.tag_ == "NNS"
        and any(c.dep_ == "nsubj" and c.i < tok.i for c in tok.children)
    )


_PURPOSE_HOSTS = {"use", "take", "spend", "need", "have", "get", "make", "give"}


def _find_subject(verb: Token, quoted: list[int | None] | None = None) -> Token | None:
    """The subject of a cue verb, climbing through conj/xcomp/advcl when implicit.

    Subjects inside quote marks belong to the quotation ("“... it will,” said X"),
    so a subject outside them is preferred.
    """
    tok: Token | None = verb
    for _ in range(6):
        if tok is None:
            return None
        children = list(tok.children)
        if quoted is not None:
            children.sort(key=lambda c: quoted[c.i] is not None)
        for child in children:
            if child.dep_ in {"nsubj", "nsubjpass"}:
                if child.dep_ == "nsubjpass":
                    # "X was quoted as saying": keep; "it was reported by Y": the agent
                    for c2 in tok.children:
                        if c2.dep_ == "agent":
                            for c3 in c2.children:
                                if c3.dep_ == "pobj":
                                    return c3
                later = next(
                    (
                        c
                        for c in children
                        if c.dep_ == "nsubj"
                        and child.right_edge.i < c.i < tok.i
                        and tok.doc[child.right_edge.i + 1].text == ","
                        and c.left_edge.i == child.right_edge.i + 2
                        and (quoted is None or quoted[c.i] is None)
                    ),
                    None,
                )
                if (
                    child.dep_ == "nsubj"
                    and later is not None
                    and later.pos_ in {"PROPN", "PRON"}
                    and child.pos_ != "PROPN"
                    and not any(g.dep_ in {"cc", "conj"} for g in later.children)
                ):
                    # "A longtime critic of the plan, Ms. Vale said ...": two subjects
                    # for one verb; the first is a fronted apposition of the name
                    return later
                return child
        if (
            tok.dep_ in {"conj", "xcomp", "advcl", "pcomp", "acomp", "ccomp"}
            and tok.head is not tok
        ):
            if tok.dep_ == "ccomp" and tok is not verb:
                return None
            if tok.dep_ == "conj" and (extraposed := _extraposed_subject(tok)):
                return extraposed
            if tok.dep_ == "conj" and _finite(tok) and not _finite(tok.head):
                # "X accused them of trying to stall and asserted ...": a finite verb
                # is not coordinated with an infinitive or a participle; it goes
                # with the nearest finite verb above them
                up = next((a for a in tok.head.ancestors if _finite(a)), None)
                if up is not None:
                    tok = up
                    continue
            if (
                tok.dep_ == "pcomp"
                and tok.tag_ == "VBG"
                and tok.head.lower_ == "for"
                and tok.head.head.pos_ == "VERB"
            ):
                # "the panel faulted Pagliano for refusing ...": the object did it
                objs = [c for c in tok.head.head.children if c.dep_ == "dobj"]
                if objs and (
                    objs[0].pos_ == "PROPN"
                    and objs[0].ent_type_ in {"", "PERSON", "ORG", "NORP", "GPE"}
                    and not any(c.dep_ == "det" for c in objs[0].children)
                    or objs[0].lower_ in {"him", "her", "them"}
                ):
                    return objs[0]
            if (
                tok.dep_ == "xcomp"
                and tok.tag_ == "VB"
                and lemma_of(tok.head) not in _PURPOSE_HOSTS
                or tok.dep_ == "advcl"
                and tok.tag_ == "VB"
                and any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children)
                and lemma_of(tok.head) in _OBJECT_CONTROL - _LOOSE_CONTROL
            ):
                # (an infinitive of "forced X, who ..., to admit" that the parser took
                # for a purpose clause is still the object's)
                # "led the reporter to fear ...": the object of the verb above is
                # the one who fears (object control); but "used the speech to
                # attack ...": the subject attacks
                objs = [
                    c
                    for c in tok.head.children
                    if c.dep_ == "dobj"
                    and c.i < tok.i
                    and c.pos_ in {"PROPN", "NOUN", "PRON"}
                    and (quoted is None or quoted[c.i] is None)
                ]
                if objs:
                    return objs[0]
            tok = tok.head
            if tok.dep_ == "prep":  # "by claiming" -> up to the verb
                tok = tok.head
            if (
                tok.pos_ in {"ADV", "ADJ"}
                and tok.dep_ == "advmod"
                and tok.head is not tok
            ):
                # "aside from saying", "went overnight to accuse", "is steering clear
                # of criticizing" when the parser hung the clause on the adverb (or an
                # adjective used as one): up to the verb it modifies
                tok = tok.head
            continue
        if tok.dep_ == "acl" and tok.head.pos_ in {"PROPN", "PRON"}:
            return tok.head  # "footage of Trump saying ..."
        return None
    return None


_IRREGULAR = {
    "said": "say",
    "says": "say",
    "told": "tell",
    "wrote": "write",
    "written": "write",
    "thought": "think",
    "felt": "feel",
    "found": "find",
    "knew": "know",
    "sang": "sing",
    "swore": "swear",
    "held": "hold",
    "spoke": "speak",
    "saw": "see",
    "heard": "hear",
    "taught": "teach",
    "read": "read",
    "went": "go",
}


def lemma_of_form(word: str) -> str:
    """A rough lemma of a verb form, for tokens the tagger took for nouns ("asks")."""
    w = word.lower()
    if w in _IRREGULAR:
        return _IRREGULAR[w]
    for suffix, repl in (
        ("ies", "y"),
        ("ied", "y"),
        ("ing", ""),
        ("ed", ""),
        ("es", ""),
        ("s", ""),
        ("d", ""),
    ):
        if w.endswith(suffix) and len(w) - len(suffix) >= 2:
            return w[: -len(suffix)] + repl
    return w


class FrameFinder:
    """Finds attribution frames in a parsed article."""

    def __init__(self, lexicon: Lexicon, *, use_model: bool = True) -> None:
        self.lex = lexicon
        self.model = load_cue_model() if use_model else None
        self.threshold = float(
            os.environ.get("ONRECORD_CUE_THRESHOLD")
            or (self.model.threshold if self.model else 0.5)
        )
        self._in_quote: list[int | None] | None = None
        self._near_quote: list[bool] = []  # per token: a quote in its sentence
        self._text = ""

    def _lemma(self, tok: Token) -> str:
        lem = lemma_of(tok)
        return lem or tok.lower_

    def find(self, doc: Doc, text: str) -> list[Frame]:
        runs = find_quote_runs(text)
        in_quote = self._quote_mask(doc, runs)
        self._in_quote = in_quote
        self._near_quote = self._near_quote_mask(doc, in_quote)
        self._text = text  # Doc.text rebuilds the string on every access
        frames: list[Frame] = []
        used_runs: set[int] = set()
        cue_tokens: set[int] = set()

        for i in _candidate_cues(doc):
            if in_quote[i] is not None:
                continue
            tok = doc[i]
            frame = None
            if (
                tok.lower_ == "according"
                and tok.i + 1 < len(doc)
                and doc[tok.i + 1].lower_ == "to"
            ):
                frame = self._according_to(doc, tok, tok.sent, in_quote, runs)
            elif tok.pos_ in {"VERB", "AUX"} or tok.tag_.startswith("VB"):
                frame = self._cue_verb(doc, tok, in_quote, runs)
            elif (
                tok.tag_ == "NNS"
                and tok.i > 0
                and in_quote[tok.i - 1] is None
                and self.lex.is_cue(lemma_of_form(tok.text))
            ):
                # "“...?” a narrator asks.": the tagger took the verb for a plural noun
                frame = self._mistagged_cue(doc, tok, in_quote, runs)
            if frame is not None:
                frames.append(frame)
                if frame.cue_i is not None:
                    cue_tokens.add(frame.cue_i)
                used_runs.update(frame.quote_runs)

        frames.extend(self._dash_and_colon(doc, text, runs, used_runs))
        frames.sort(key=lambda f: f.start)
        frames = self._direct(doc, text, runs, in_quote, frames, used_runs)
        frames = self._merge_overlaps(doc, frames)
        for f in frames:
            f.kind = self._kind(text, f, runs)
        return self._drop_nested(doc, frames)

    @staticmethod
    def _drop_nested(doc: Doc, frames: list[Frame]) -> list[Frame]:
        """Drop indirect frames whose cue lies inside another frame's content.

        "She said he had complained about the delays": PolNeAR annotates the
        outer attribution only (no cue in its train or dev splits lies inside
        another attribution's content). A cue in a relative, adverbial or
        coordinated clause ("..., who have questioned ...", "although he refused
        to ...", "... and warned ...") is kept: there the outer content more
        likely ran on too far.
        """
        out = []
        spans = _Extents(frames)
        for f in frames:
            if (
                f.kind == "indirect"
                and f.cue is not None
                and not (
                    f.cue_i is not None
                    and doc[f.cue_i].dep_ in _OWN_CLAUSE
                    and not _complement_as_relcl(doc[f.cue_i])
                )
            ):
                c = f.cue[0]
                if any(
                    g is not f
                    and any(a <= c < b for a, b in g.content)
                    and not (
                        # each inside the other ("X, Y said, would Z"): the surer
                        g.cue is not None
                        and any(a <= g.cue[0] < b for a, b in f.content)
                        and f.strength > g.strength
                    )
                    for g in spans.covering(c)
                ):
                    continue
            out.append(f)
        return out

    # -- helpers -----------------------------------------------------------

    @staticmethod
    def _quote_mask(doc: Doc, runs: list[QuoteRun]) -> list[int | None]:
        """The quote run each token's start lies inside (its inner span), or None.

        From the tokens' character offsets as one array: no Token per word."""
        mask: list[int | None] = [None] * len(doc)
        if not runs or not len(doc):
            return mask
        starts = doc.to_array([IDX]).reshape(-1)
        for ri, run in enumerate(runs):
            lo, hi = np.searchsorted(starts, run.inner, side="left").tolist()
            mask[lo:hi] = [ri] * (hi - lo)
        return mask

    @staticmethod
    def _near_quote_mask(doc: Doc, in_quote: list[int | None]) -> list[bool]:
        """For each token: does its sentence hold a token inside a quote?"""
        if not len(doc):
            return []
        sent_of = sentence_ids(doc)
        quoted = np.fromiter((q is not None for q in in_quote), bool, len(in_quote))
        per_sent = np.bincount(sent_of, weights=quoted) > 0
        return per_sent[sent_of].tolist()  # type: ignore[no-any-return]

    def _runs_in(self, runs: list[QuoteRun], start: int, end: int) -> list[int]:
        return [
            i for i, r in enumerate(runs) if r.inner[0] < end and r.inner[1] > start
        ]

    def _participle_subject(self, verb: Token) -> Token | None:
        """The subject a participial cue shares with its clause when the parse lost it:
        "X said, suggesting ..." / "X said, going on to say ..." (the nearest subject
        before the participle) and "Claiming ..., X told ..." (the one after it)."""
        part = verb
        while part.tag_ != "VBG" and part.dep_ == "xcomp" and part.head.i < part.i:
            part = part.head
        in_quote = self._in_quote
        if part.tag_ != "VBG" or in_quote is None or in_quote[part.i] is not None:
            return None
        doc = verb.doc
        sent = part.sent
        lo = part.i
        while lo > sent.start and doc[lo - 1].dep_ in {"neg", "advmod"}:
            lo -= 1  # "..., not even needing to mention"
        if lo > sent.start:
            if doc[lo - 1].text != ",":
                return None
            order = range(lo - 2, sent.start - 1, -1)
        else:
            # "Claiming ..., X told ...": the subject after the participle's clause
            end = next(
                (
                    j
                    for j in range(part.i + 1, sent.end)
                    if doc[j].text == "," and in_quote[j] is None
                ),
                sent.end,
            )
            order = range(end + 1, sent.end)
        for i in order:
            tok = doc[i]
            if tok.pos_ not in {"VERB", "AUX"} or in_quote[i] is not None:
                continue
            subj = _nominal_subject(tok, in_quote)
            if subj is not None:
                return subj
        return None

    def _object_clause_subject(self, verb: Token) -> Token | None:
        """The subject of the clause whose object a participle or infinitive cue
        modifies: "X unleashed a series of tweets criticizing ...", "X missed an
        opportunity to remind ...", "she said at a news conference announcing ..."."""
        in_quote = self._in_quote
        if in_quote is None or verb.dep_ != "acl" or verb.tag_ not in {"VBG", "VB"}:
            return None
        tok = verb.head
        for _ in range(4):  # up through "a series of tweets" to the verb
            if tok.dep_ not in {"dobj", "pobj", "prep"} or tok.head.i >= tok.i:
                return None
            tok = tok.head
            if tok.pos_ in {"VERB", "AUX"}:
                break
        if tok.pos_ not in {"VERB", "AUX"} or in_quote[tok.i] is not None:
            return None
        return _nominal_subject(tok, in_quote)

    @staticmethod
    def _reporting_conjunct(verb: Token) -> Token | None:
        """The reporting verb a finite cue is really coordinated with when the parse
        hung it on the reported clause: "X said he would order a review and warned
        ..." ("would ... warned" cannot be one verb phrase)."""
        host = verb.head
        if (
            verb.dep_ == "advcl"
            and verb.tag_ == "VBG"
            and verb.i > host.i
            and verb.doc[verb.i - 1].text == ","
            and host.dep_ == "ccomp"
            and host.head.pos_ == "VERB"
            and host.head.i < host.i
            and not any(c.dep_ in {"nsubj", "nsubjpass"} for c in verb.children)
        ):
            # "X said he did not believe it, arguing ...": the reporter argues
            return host.head
        if (
            verb.dep_ != "conj"
            or verb.tag_ not in {"VBD", "VBZ"}
            or host.dep_ != "ccomp"
            or host.head.pos_ != "VERB"
            or any(c.dep_ in {"nsubj", "nsubjpass"} for c in verb.children)
        ):
            return None
        if host.tag_ in {"VB", "VBG"} or any(
            c.tag_ == "MD" or c.dep_ == "auxpass" for c in host.children
        ):
            return host.head
        return None

    def _orphan_subject(self, verb: Token) -> Token | None:
        """The subject of a finite verb the parser left without one, found the way
        a weaker parse misplaces it: the noun a tensed "relative" clause hangs on
        ("a group of senators met ... to discuss" with "met" taken for a modifier of
        "group"), the subject a reduced relative swallowed ("since emails released
        by the panel suggest that ..."), or the noun phrase right before the verb
        ("..., the Supreme Court this month rejected ..." with the court hung on
        the comma)."""
        in_quote = self._in_quote
        v = verb
        for _ in range(4):
            if _finite(v) or v.dep_ not in {"xcomp", "advcl", "conj"}:
                break
            v = v.head
        if (
            in_quote is None
            or in_quote[v.i] is not None
            or not _finite(v)
            or v.dep_ == "relcl"
            or any(
                c.dep_ in {"nsubj", "nsubjpass", "expl", "csubj", "csubjpass"}
                for c in v.children
            )
        ):
            return None
        doc = v.doc
        nominal = {"NOUN", "PROPN"}
        if v.dep_ == "acl":
            h = v.head
            if (
                h.pos_ in nominal
                and h.i < v.i
                and v.tag_ in _FINITE_TAGS
                and not any(c.dep_ == "agent" for c in v.children)
                and in_quote[h.i] is None
            ):
                return h
            return None
        for c in v.children:
            if c.i < v.i and c.tag_ in {"VBN", "VBD"} and c.dep_ in {"advcl", "acl"}:
                s = next((g for g in c.children if g.dep_ == "nsubj"), None)
                if (
                    s is not None
                    and s.pos_ in nominal
                    and in_quote[s.i] is None
                    and any(g.dep_ == "agent" for g in c.children)
                ):
                    return s
        sent_start = v.sent.start
        j = v.i - 1
        while j >= sent_start:
            t = doc[j]
            if t.head.i == v.i and t.dep_ in {
                "advmod",
                "npadvmod",
                "neg",
                "aux",
                "prep",
                "punct",
            }:
                j = t.left_edge.i - 1
                continue
            break
        if j < sent_start:
            return None
        t = doc[j]
        if (
            t.pos_ not in nominal
            or in_quote[t.i] is not None
            or t.dep_ in {"nsubj", "nsubjpass", "poss", "compound"}
            or t.ent_type_ in {"DATE", "TIME", "MONEY", "PERCENT", "CARDINAL"}
            or t.lower_ in {"n't", "n’t"}
        ):
            return None
        # up to the head of the noun phrase that ends there ("sources privy to the
        # talks", "a woman who had studied in Montana"), but not over a comma into
        # a phrase that merely runs on ("Ahead of the summit, Norland and Vesta")
        top = t
        x = t
        while x.head.i != x.i and x.head.i < v.i and x.head.right_edge.i <= j:
            if x.dep_ in {"conj", "appos"} and any(
                doc[k].is_punct for k in range(x.head.i + 1, x.i)
            ):
                break
            x = x.head
            if x.pos_ in nominal and in_quote[x.i] is None:
                top = x
        y = x if x.pos_ in {"VERB", "AUX"} else x.head
        if y.pos_ in {"VERB", "AUX"} and y.i < v.i:
            # "sources privy to the talks say" with "privy" taken for a verb: the
            # phrase before the cue is a clause with a subject of its own, which
            # is the cue's
            s = next(
                (c for c in y.children if c.dep_ == "nsubj" and c.i < y.i),
                None,
            )
            if s is not None and s.pos_ in nominal and in_quote[s.i] is None:
                return s
        if x.pos_ == "ADP" and x.head.i == v.i:
            # the phrase is a prepositional adjunct of the verb: only a name right
            # before the verb is its subject, swallowed by the phrase ("In a meeting
            # with the board of the Post Trump said"); "For instance, calls ..." has
            # none
            return t if t.pos_ == "PROPN" and t.i == v.i - 1 else None
        if top.dep_ == "pobj":
            return t
        return top

    def _speaker_of(self, verb: Token) -> tuple[Span | None, int | None]:
        reporting = self._reporting_conjunct(verb)
        subj = _find_subject(reporting or verb, self._in_quote)
        if (
            subj is None
            or self._in_quote is not None
            and self._in_quote[subj.i] is not None
        ):
            subj = self._participle_subject(verb) or subj
        if subj is None:
            subj = self._orphan_subject(reporting or verb)
        if subj is None:
            subj = self._object_clause_subject(verb)
        if (
            subj is not None
            and subj.ent_type_ in {"TIME", "DATE"}
            and subj.lower_ != "old"  # "said the 46-year-old": a person
        ):
            return None, None  # "12:15 p.m. Trump says ..." (live-blog timestamps)
        if (
            subj is None
            or self._in_quote is not None
            and self._in_quote[subj.i] is not None
        ):
            return (
                None,
                None,
            )  # a quote parsed as the subject is the content, not the speaker
        if (
            subj.lower_ in {"it", "there", "this", "that", "which", "who"}
            and subj.dep_ != "pobj"
        ):
            if subj.lower_ in {"which", "who"} and verb.dep_ == "relcl":
                # the mention is the relative pronoun; who it is, its antecedent's head
                return _chars(verb.doc, subj.i, subj.i + 1), verb.head.i
            if subj.lower_ in {"which", "who"} and subj.i > 0:
                # "the department, which reported ..." parsed as a clause of its own
                prev = verb.doc[subj.i - 1]
                if prev.text == "," and subj.i > 1:
                    prev = verb.doc[subj.i - 2]
                if prev.pos_ in {"NOUN", "PROPN"}:
                    return _chars(verb.doc, subj.i, subj.i + 1), prev.i
            if subj.lower_ != "it":
                return None, None
        lo, hi = mention_range(subj)
        return _chars(verb.doc, lo, hi), subj.i

    def _cue_verb(
        self, doc: Doc, verb: Token, in_quote: list[int | None], runs: list[QuoteRun]
    ) -> Frame | None:
        lemma = self._lemma(verb)
        lex = self.lex
        model = self.model
        if model is not None:
            near = self._near_quote[verb.i]
            feats = cue_features(verb, in_lexicon=lex.is_cue(lemma), near_quote=near)
            prob = model.probability(feats)
            # a hand-listed speech verb next to a quote is a cue whatever the model says
            sure = (
                near
                and lemma in lex.speech_verbs
                and (
                    lemma not in lex.needs_complement
                    or self._right_after_quote(doc, verb, runs)
                )
            )
            if prob < self.threshold and not sure and not self._make_clear(verb):
                return None
            strength = max(prob, 0.6) if sure else prob
        else:
            if not lex.is_cue(lemma) and not self._make_clear(verb):
                return None
            strength = lex.cue_strength(lemma) or 0.8
        right_clause = [
            c
            for c in verb.children
            if c.dep_ == "ccomp"
            and c.i > verb.i
            and in_quote[c.i] is None
            and "\n" not in self._text[verb.idx : c.left_edge.idx]
        ]
        plain_right = right_clause and not any(
            t.dep_ == "cc" or t.text == ","
            for t in doc[verb.i + 1 : right_clause[0].left_edge.i + 1]
        )
        if (
            plain_right
            and not any(c.dep_ in {"nsubj", "nsubjpass"} for c in verb.children)
            and self._inverted_subject(doc, verb, in_quote) is not None
        ):
            # '“...,” said Borges, who predicted ...' with "Borges" parsed as the
            # subject of the clause after it: an inverted report of the quote
            plain_right = False
        if not plain_right and self._right_after_quote(doc, verb, runs):
            # '“...,” she said, but ...' / '“...,” said Acton': the quote is the content
            frame = self._cue_next_to_quote(doc, verb, in_quote, runs, strength)
            if frame is not None:
                frame.addressee = self._addressee(doc, verb, lemma)
                return frame
        children = list(verb.children)
        # a complement never starts in another paragraph (the parser sometimes runs on)
        clause = [
            c
            for c in children
            if c.dep_ == "ccomp"
            and c.i > verb.i
            and "\n" not in self._text[verb.idx : c.left_edge.idx]
        ]
        if not clause:
            clause = [c for c in children if c.dep_ == "ccomp"]
        if not clause:
            # "said during a rally in Ohio that X had ...": the complement hung on
            # the rally as if it were a relative clause
            clause = [
                d
                for p in children
                if p.dep_ == "prep" and p.i > verb.i
                for d in p.subtree
                if _complement_as_relcl(d)
                and "\n" not in self._text[verb.idx : d.left_edge.idx]
            ][:1]
        xcomp = [c for c in children if c.dep_ == "xcomp" and c.i > verb.i]
        objs = [c for c in children if c.dep_ in {"dobj", "attr"} and c.i > verb.i]
        dative = [c for c in children if c.dep_ == "dative"]
        preps_as = [
            c
            for c in children
            if c.dep_ in {"prep", "oprd", "advcl"}
            and c.lower_ in {"as"}
            or c.dep_ == "prep"
            and c.lower_ == "to"
            and lemma in {"liken", "compare", "equate"}
        ]
        oprd = [c for c in children if c.dep_ == "oprd"]
        content: tuple[int, int] | None = None
        addressee: Span | None = None
        rule = "cue-verb"
        if lemma in lex.addressee_verbs and objs:
            # "told reporters that ...": the object is the addressee, never the content
            lo, hi = mention_range(objs[0])
            addressee = _chars(doc, lo, hi)
            objs = []
        if dative:
            lo, hi = mention_range(dative[0])
            addressee = _chars(doc, lo, hi)
        as_main = self._as_clause_main(verb) if not clause else None
        if self._make_clear(verb):
            marks = [
                c
                for c in verb.subtree
                if c.dep_ == "mark" and c.lower_ == "that" and c.i > verb.i
            ]
            if marks:
                clause_head = marks[0].head
                content = (marks[0].i, clause_head.right_edge.i + 1)
        elif as_main is not None:
            # "As the minister noted, the port is full": the clause it comments on
            content = as_main
        elif clause:
            c = clause[0]
            lo, hi = _subtree_range(c)
            for extra in clause[1:]:
                hi = max(hi, extra.right_edge.i + 1)
            if c.i < verb.i:
                # "“...,” he said" / "X, he said, is Y": the complement precedes the cue
                lo, hi = c.left_edge.i, min(c.right_edge.i + 1, verb.i)
                subj = _find_subject(verb)
                if subj is not None and subj.i < verb.i and subj.i >= lo:
                    hi = min(hi, subj.left_edge.i)
                # only the inverted report: "X, he said" / "“X,” he said"
                j = hi - 1
                while j > lo and doc[j].is_space:
                    j -= 1
                gap = [t for t in doc[hi : verb.i] if not t.is_space]
                inverted = doc[j].text in {",", "”", '"', "''", "—", "–", ":"} or (
                    bool(gap)
                    and all(t.is_punct for t in gap)
                    and any(t.text in {",", "”", '"', "''", "—", "–", ":"} for t in gap)
                )
                if not inverted or self._has_quote(doc, lo, hi, in_quote):
                    lo = (
                        hi
                    ) = -1  # not a complement of this cue; try the quote next to it
            content = (lo, hi) if lo >= 0 else None
        elif xcomp and lemma in {
            "call",
            "urge",
            "ask",
            "promise",
            "pledge",
            "vow",
            "threaten",
            "demand",
            "want",
            "refuse",
            "decline",
            "agree",
            "plan",
            "hope",
            "expect",
            "continue",
            "order",
            "advise",
            "warn",
        }:
            x = xcomp[0]
            content = (x.left_edge.i, x.right_edge.i + 1)
        elif (
            objs
            and (lemma not in lex.needs_complement or strength >= OBJECT_MIN)
            or objs
            and (preps_as or oprd)
        ):
            o = objs[0]
            lo, hi = o.left_edge.i, o.right_edge.i + 1
            for extra in preps_as + oprd:
                if extra.i > o.i:
                    hi = max(hi, extra.right_edge.i + 1)
            for p in children:
                # "accused the government of stalling": what the object is said
                # to have done
                if p.dep_ == "prep" and p.i == hi and p.lower_ in _OBJECT_PREPS:
                    hi = p.right_edge.i + 1
            if lemma in _OBJECT_CONTROL and any(
                c.dep_ in {"nsubj", "nsubjpass"} for c in children
            ):
                # "urged lawmakers to reject the deal": what the object is urged
                # to do goes with it (not across a comma)
                for c in children:
                    if c.i < hi:
                        continue
                    if (
                        c.left_edge.i == hi
                        and c.dep_ in {"xcomp", "oprd"}
                        and not any(
                            doc[j].text in {",", ";", "—", "–"}
                            for j in range(c.left_edge.i, c.right_edge.i + 1)
                        )
                    ):
                        hi = c.right_edge.i + 1
                    else:
                        break
            content = (lo, hi)
        elif lemma in {"call"} and any(
            c.dep_ == "prep" and c.lower_ in {"for", "on"} for c in children
        ):
            p = next(
                c for c in children if c.dep_ == "prep" and c.lower_ in {"for", "on"}
            )
            content = (p.i + 1, p.right_edge.i + 1)
        elif xcomp and lemma not in _RAISING and strength >= OPEN_COMPLEMENT_MIN:
            # "He proposed dropping the tax", "The FBI decided not to recommend
            # charges": what the cue is about is its open complement
            x = xcomp[0]
            content = (x.left_edge.i, x.right_edge.i + 1)
        elif passive := self._passive_subject(verb):
            # "The plan was endorsed by the union": what the agent endorsed is the
            # passive subject
            content = passive
        elif (
            model is not None
            and lemma not in {"say", "tell"}
            and not self._quote_before(verb, runs)
        ):
            # "is doubling down on his attacks", "complained about his mic"
            for p in children:
                if p.dep_ != "prep" or p.i < verb.i or p.lower_ not in _CONTENT_PREPS:
                    continue
                pobj = next(
                    (g for g in p.children if g.dep_ in {"pobj", "pcomp"}), None
                )
                if (
                    pobj is None
                    or pobj.ent_type_ in {"DATE", "TIME"}
                    or lemma_of(pobj) in lex.medium_heads
                ):
                    continue
                content = (p.i + 1, p.right_edge.i + 1)
                break
        elif verb.dep_ in {"ccomp", "parataxis"} and verb.head.i < verb.i and not objs:
            # "Preparations are underway, the minister announced": the main clause is
            # the content
            subj = _find_subject(verb)
            if subj is not None and subj.i < verb.i and subj.head.i == verb.i:
                lo = verb.head.left_edge.i
                hi = subj.left_edge.i
                if hi - lo >= 3 and not self._has_quote(doc, lo, hi, in_quote):
                    content = (lo, hi)
        if content is None:
            # a bare cue next to a quote: "“...,” he said." / "He said: “...”"
            frame = self._cue_next_to_quote(doc, verb, in_quote, runs, strength)
            if frame is None:
                frame = self._parenthetical(doc, verb, strength)
            if frame is not None and addressee is not None:
                frame.addressee = addressee
            return frame
        lo, hi = _trim(doc, *self._cut_tail(doc, *content, in_quote))
        first = next(
            (j for j in range(lo, min(lo + 2, hi)) if in_quote[j] is not None), None
        )
        if first is not None and lo < hi and content[0] > verb.i:
            # a complement that opens with a quotation ends with it: what follows the
            # closing mark ("…,” when Clinton blasted him) is the reporter's
            run = runs[in_quote[first]]  # type: ignore[index]
            said = self._text[run.inner[0] : run.inner[1]].rstrip("”\"' ")
            cut = next((j for j in range(first, hi) if doc[j].idx >= run.span[1]), hi)
            if (
                said[-1:] in {",", ".", "?", "!"}
                and len(said.split()) >= 3
                and cut < hi
                and any(not doc[j].is_punct for j in range(cut, hi))
            ):
                hi = cut
        if hi <= lo or hi - lo < 2 and not self._has_quote(doc, lo, hi, in_quote):
            return None
        speaker, head = self._speaker_of(verb)
        if speaker is None and lemma in lex.needs_complement:
            return None
        if speaker is not None and head is not None and lo <= head < hi:
            return None
        span = _chars(doc, lo, hi)
        frame = Frame(
            content=[span],
            rule=rule,
            cue=self._cue_span(doc, verb),
            cue_i=verb.i,
            speaker=speaker,
            speaker_head=head,
            addressee=addressee,
            strength=strength,
            quote_runs=self._runs_in(runs, *span),
        )
        # a content cut inside a quote runs to that quote's marks, never across the cue
        if frame.quote_runs and frame.cue is not None:
            lo_c, hi_c = span
            cue_lo, cue_hi = frame.cue
            for ri in frame.quote_runs:
                r = runs[ri]
                if r.span[0] < lo_c and (
                    cue_hi <= r.span[0] or cue_lo >= r.span[1] and cue_lo > lo_c
                ):
                    if not (r.span[0] < cue_lo < lo_c):
                        lo_c = r.span[0]
                if r.span[1] > hi_c and (
                    cue_lo >= r.span[1] or cue_hi <= r.inner[0] or cue_hi <= lo_c
                ):
                    if not (hi_c < cue_lo < r.span[1]):
                        hi_c = r.span[1]
            frame.content = [(lo_c, hi_c)]
        if content is not None and content[1] <= verb.i and not frame.quote_runs:
            # "Acts of protest, Mr. Obama said, are acts of patriotism": the statement
            # goes on after the parenthetical cue
            k = verb.i + 1
            sent_end = verb.sent.end
            while (
                k < sent_end
                and doc[k].dep_ in {"advmod", "npadvmod"}
                and doc[k].head.i == verb.i
            ):
                k += 1
            if k < sent_end - 1 and doc[k].text == ",":
                a, b = _trim(doc, k + 1, sent_end)
                if b - a >= 2:
                    frame.content = frame.content + [_chars(doc, a, b)]
        return frame

    def _mistagged_cue(
        self, doc: Doc, tok: Token, in_quote: list[int | None], runs: list[QuoteRun]
    ) -> Frame | None:
        # only at the end of a sentence right after a quote and its subject, or
        # anywhere after them when the parser gave the "noun" a subject ("“...,” Ines
        # sings to the crowd")
        nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
        if (
            nxt is not None
            and nxt.text not in {".", ",", "!", "?", ";"}
            and not any(c.dep_ == "nsubj" and c.i < tok.i for c in tok.children)
        ):
            return None
        lo = tok.i - 1
        while (
            lo > 0
            and in_quote[lo - 1] is None
            and doc[lo - 1].text not in {"”", '"', "''"}
            and tok.i - lo < 8
        ):
            lo -= 1
        if (
            lo <= 0
            or in_quote[lo - 2 if lo >= 2 else 0] is None
            and doc[lo - 1].text not in {"”", '"', "''"}
        ):
            return None
        ri = next(
            (
                in_quote[j]
                for j in range(lo - 1, max(-1, lo - 4), -1)
                if in_quote[j] is not None
            ),
            None,
        )
        if ri is None:
            return None
        run = runs[ri]
        subj_lo, subj_hi = lo, tok.i
        while subj_lo < subj_hi and (doc[subj_lo].is_punct or doc[subj_lo].is_space):
            subj_lo += 1
        if subj_hi <= subj_lo:
            return None
        head = doc[subj_hi - 1]
        return Frame(
            content=list(run.fragments),
            rule="quote-cue",
            cue=_chars(doc, tok.i, tok.i + 1),
            cue_i=tok.i,
            speaker=_chars(doc, subj_lo, subj_hi),
            speaker_head=head.i,
            strength=0.8,
            quote_runs=[ri],
        )

    def _dash_and_colon(
        self, doc: Doc, text: str, runs: list[QuoteRun], used: set[int]
    ) -> list[Frame]:
        """“...” ― Name (a quote signed with a dash) and "NAME: words" transcripts."""
        out: list[Frame] = []
        starts: list[int] = []  # token start offsets, computed when first needed

        def token_at(char: int) -> int | None:
            if not starts:
                starts.extend(int(x) for x in doc.to_array([IDX]).reshape(-1))
            j = bisect_left(starts, char)
            return j if j < len(starts) and starts[j] == char else None

        for ri, run in enumerate(runs):
            if ri in used:
                continue
            m = _DASH_SIGNATURE.match(text, run.span[1])
            if m:
                name_lo, name_hi = m.span(1)
                tok = token_at(name_lo)
                dash = re.search(r"[―—–-]+", m.group(0))
                assert dash is not None
                content = list(run.fragments)
                signed = [ri]
                par_start = text.rfind("\n", 0, run.span[0]) + 1
                first = ri
                while (
                    first > 0
                    and runs[first - 1].span[0] >= par_start
                    and first - 1 not in used
                ):
                    first -= 1
                if first < ri and runs[first].span[0] == par_start:
                    # '“A ‘B.” C “D’.” ― Name': a signed paragraph that opens with
                    # a quote mark is all quotation, however its marks pair up
                    content = [(runs[first].inner[0], run.inner[1])]
                    signed = list(range(first, ri + 1))
                out.append(
                    Frame(
                        content=content,
                        rule="dash-signature",
                        cue=(m.start(0) + dash.start(), m.start(0) + dash.end()),
                        cue_i=None,
                        speaker=(name_lo, name_hi),
                        speaker_head=tok,
                        strength=0.8,
                        quote_runs=signed,
                    )
                )
                used.update(signed)
        for m in _INVERTED_CUE.finditer(text):
            # "Said Ellis: “…”" (the parser reads "Said" as part of the name)
            qi = next(
                (
                    i
                    for i, r in enumerate(runs)
                    if r.span[0] == m.end() and i not in used
                ),
                None,
            )
            if qi is None:
                continue
            name_lo, name_hi = m.span(2)
            tok = token_at(name_lo)
            out.append(
                Frame(
                    content=list(runs[qi].fragments),
                    rule="inverted-cue",
                    cue=m.span(1),
                    cue_i=None,
                    speaker=(name_lo, name_hi),
                    speaker_head=tok,
                    strength=0.8,
                    quote_runs=[qi],
                )
            )
            used.add(qi)
        for m in _TRANSCRIPT.finditer(text):
            name_lo, name_hi = m.span(1)
            label = m.group(1).lower().split()
            if label[0] in {"the", "a", "an"} or label[-1] in _NOT_SPEAKER_LABELS:
                continue  # "The Latest: ...", "CORRECTION: ...", "Photo: ..."
            c_lo, c_hi = m.span(2)
            if any(
                r.inner[0] < c_hi and r.inner[1] > c_lo and ri in used
                for ri, r in enumerate(runs)
            ):
                continue
            tok = token_at(name_lo)
            out.append(
                Frame(
                    content=[(c_lo, c_hi)],
                    rule="transcript",
                    cue=(name_hi, name_hi + 1),
                    cue_i=None,
                    speaker=(name_lo, name_hi),
                    speaker_head=tok,
                    strength=0.7,
                )
            )
        return out

    @staticmethod
    def _cut_tail(
        doc: Doc, lo: int, hi: int, in_quote: list[int | None]
    ) -> tuple[int, int]:
        """End a content before what only comments on it: "; another clause", " - a
        charge that ...", ", the latest chapter in ..." (an apposition to the
        object)."""
        skip_to = -1
        for i in range(lo + 1, hi):
            tok = doc[i]
            if tok.is_space and "\n" in tok.text and in_quote[i] is None:
                return lo, i  # the parser ran on into the next paragraph
            if in_quote[i] is not None or i < lo + 3 or i <= skip_to:
                continue
            if tok.text == ";":
                return lo, i
            if tok.text in {"—", "–", "--"} or tok.text == "-" and tok.whitespace_:
                # "the top earners -- those above $1 million -- would pay more":
                # a pair of dashes encloses an aside the statement goes on after
                pair = next(
                    (
                        j
                        for j in range(i + 2, min(hi - 2, i + 40))
                        if doc[j].text == tok.text
                        and in_quote[j] is None
                        and (tok.text != "-" or doc[j].whitespace_)
                    ),
                    None,
                )
                if (
                    pair is not None
                    and any(t.pos_ in {"VERB", "AUX"} for t in doc[pair + 1 : hi])
                    and not any(t.text == "," for t in doc[lo:i])
                ):
                    skip_to = pair
                    continue
                return lo, i
            if tok.text == "," and i + 1 < hi:
                nxt = doc[i + 1]
                if nxt.lower_ in {"which", "who", "whom", "whose"} and (
                    in_quote[i + 1] is None
                ):
                    rel = nxt
                    while (
                        rel.dep_ != "relcl" and rel.head.i != rel.i and rel.head.i > i
                    ):
                        rel = rel.head
                    if rel.dep_ == "relcl" and rel.right_edge.i + 1 >= hi - 1:
                        # "endorsed Trump, who says he is honored": the relative
                        # clause comments on the content's last noun
                        return lo, i
                root = nxt
                while (
                    root.head.i != root.i and lo <= root.head.i < hi and root.head.i > i
                ):
                    root = root.head
                top = next(
                    (
                        t
                        for t in doc[lo:hi]
                        if not lo <= t.head.i < hi or t.head.i == t.i
                    ),
                    None,
                )
                if (
                    root.dep_ == "appos"
                    and top is not None
                    and root.head.i == top.i
                    and not (
                        # "two developers, A and B, with fraud": the apposition is
                        # closed and the content goes on
                        root.right_edge.i + 2 < hi
                        and doc[root.right_edge.i + 1].text == ","
                    )
                ):
                    return lo, i
        return lo, hi

    def _parenthetical(self, doc: Doc, verb: Token, strength: float) -> Frame | None:
        """ "Climate change, Mr. Obama often says, is the greatest threat." """
        # the subject nearest the verb ("People like Scott, he said": "he", not
        # "People")
        near = [c for c in verb.children if c.dep_ == "nsubj" and c.i < verb.i]
        subj = (
            max(near, key=lambda c: c.i)
            if near
            else _find_subject(verb, self._in_quote)
        )
        sent = verb.sent
        parsed = subj is not None and subj.i < verb.i and subj.head.i == verb.i
        if parsed:
            assert subj is not None
            lo = subj.left_edge.i
            hi = verb.i + 1
            while (
                hi < sent.end
                and doc[hi].dep_ in {"advmod", "npadvmod"}
                and doc[hi].head.i == verb.i
            ):
                hi += 1
        if (
            not parsed
            or lo - 1 <= sent.start
            or doc[lo - 1].text != ","
            or hi >= sent.end
            or doc[hi].text not in {",", "."}
        ):
            # the parser missed the parenthetical ("To understand X, Chief Justice
            # Roberts said, one should ..."): read it off the surface
            found = self._surface_parenthetical(doc, verb)
            if found is None:
                return None
            lo, hi, subj = found
        assert subj is not None
        frags = [_chars(doc, *_trim(doc, sent.start, lo - 1))]
        if doc[hi].text == ",":
            a, b = _trim(doc, hi + 1, sent.end)
            if b > a:
                frags.append(_chars(doc, a, b))
        if sum(len(self._text[x:y].split()) for x, y in frags) < 3:
            return None
        return Frame(
            content=frags,
            rule="parenthetical",
            cue=self._cue_span(doc, verb),
            cue_i=verb.i,
            speaker=_chars(doc, *mention_range(subj)),
            speaker_head=subj.i,
            strength=strength,
        )

    @staticmethod
    def _surface_parenthetical(doc: Doc, verb: Token) -> tuple[int, int, Token] | None:
        """``, NAME said [in a June report],`` in mid-sentence: (start of the name,
        the closing comma or full stop, the name's head), or None."""
        sent = verb.sent
        k = verb.i - 1
        while k > sent.start and verb.i - k <= 6 and doc[k].text != ",":
            if doc[k].pos_ not in {"PROPN", "NOUN", "DET", "ADJ", "PRON", "PUNCT"}:
                return None
            if doc[k].is_punct and doc[k].text not in {".", "-"}:
                return None
            k -= 1
        if k <= sent.start or doc[k].text != "," or k == verb.i - 1:
            return None
        heads = [t for t in doc[k + 1 : verb.i] if t.pos_ in {"PROPN", "NOUN", "PRON"}]
        if not heads:
            return None
        hi = verb.i + 1
        while hi < sent.end and hi - verb.i <= 6 and doc[hi].text not in {",", "."}:
            if doc[hi].pos_ in {"VERB", "AUX", "PUNCT"} or doc[hi].dep_ == "mark":
                return None
            hi += 1
        if hi >= sent.end or doc[hi].text not in {",", "."}:
            return None
        return k + 1, hi, heads[-1]

    @staticmethod
    def _as_clause_main(verb: Token) -> tuple[int, int] | None:
        """For a cue in an "as X said" clause with a subject, the token range of
        the clause it modifies (before or after it), or None."""
        if verb.dep_ != "advcl" or not any(
            c.dep_ == "mark" and c.lower_ == "as" for c in verb.children
        ):
            return None
        if not any(c.dep_ == "nsubj" for c in verb.children):
            return None
        # only a bare "as X noted" / "as X put it": a cue with its own object or
        # phrase ("as she discussed the plan") is a temporal "as"
        if any(
            c.dep_ not in _BARE_AS_DEPS and not (c.dep_ == "dobj" and c.lower_ == "it")
            for c in verb.children
        ):
            return None
        head = verb.head
        lo, hi = verb.left_edge.i, verb.right_edge.i + 1
        if hi <= head.i:
            return hi, head.right_edge.i + 1
        if lo > head.i:
            return head.left_edge.i, lo
        return None

    @staticmethod
    def _passive_subject(verb: Token) -> tuple[int, int] | None:
        """The token range of a passive cue's subject when an agent ("by X")
        follows the verb, or None."""
        subj = next((c for c in verb.lefts if c.dep_ == "nsubjpass"), None)
        if subj is None or subj.lower_ in _PRONOUNS | {"which", "who", "that"}:
            return None
        agent = next(
            (
                c
                for c in verb.rights
                if c.dep_ == "agent" and any(g.dep_ == "pobj" for g in c.children)
            ),
            None,
        )
        if agent is None:
            return None
        return subj.left_edge.i, subj.right_edge.i + 1

    def _quote_before(self, verb: Token, runs: list[QuoteRun]) -> bool:
        """Does a quotation end in this sentence (or right before it) ahead of the
        verb?"""
        start = verb.sent.start_char
        for r in runs:
            if (
                start - 3 <= r.span[1] <= verb.idx
                and "\n" not in self._text[r.span[1] : verb.idx]
            ):
                return True
        return False

    def _addressee(self, doc: Doc, verb: Token, lemma: str) -> Span | None:
        for c in verb.children:
            if (
                c.dep_ == "dative"
                or c.dep_ == "dobj"
                and c.i > verb.i
                and lemma in self.lex.addressee_verbs
            ):
                if self._in_quote is not None and self._in_quote[c.i] is not None:
                    continue
                lo, hi = mention_range(c)
                return _chars(doc, lo, hi)
        return None

    def _right_after_quote(self, doc: Doc, verb: Token, runs: list[QuoteRun]) -> bool:
        """Is the verb just after a closing quote mark, with at most a short subject
        between?"""
        at = verb.idx
        for r in runs:
            if r.span[1] <= at and at - r.span[1] <= 60:
                between = self._text[r.span[1] : at]
                if "\n" in between or any(c in between for c in ".!?;:()"):
                    continue
                words = between.replace(",", " ").split()
                if len(words) <= 5 and (
                    not words
                    or words[0][:1].isupper()
                    or words[0].lower()
                    in {
                        "he",
                        "she",
                        "they",
                        "we",
                        "i",
                        "the",
                        "a",
                        "an",
                        "his",
                        "her",
                        "their",
                    }
                ):
                    return True
        return False

    @staticmethod
    def _make_clear(verb: Token) -> bool:
        return lemma_of(verb) == "make" and any(
            c.lower_ == "clear"
            for c in verb.subtree
            if c.i > verb.i and c.i <= verb.i + 3
        )

    @staticmethod
    def _has_quote(doc: Doc, lo: int, hi: int, in_quote: list[int | None]) -> bool:
        return any(in_quote[i] is not None for i in range(lo, hi))

    def _cue_span(self, doc: Doc, verb: Token) -> Span:
        lo, hi = verb.i, verb.i + 1
        # include particles and auxiliaries that belong to the cue ("has said",
        # "pointed to")
        for c in verb.children:
            if c.dep_ in {"aux", "auxpass", "neg", "prt"} and abs(c.i - verb.i) <= 3:
                lo, hi = min(lo, c.i), max(hi, c.i + 1)
        if self._make_clear(verb):
            for c in verb.subtree:
                if c.lower_ == "clear" and c.i > verb.i:
                    hi = max(hi, c.i + 1)
        # don't swallow the subject or adverbs between aux and verb
        lo = (
            max(lo, verb.i - 2)
            if any(doc[j].dep_ in _SUBJ for j in range(lo, verb.i))
            else lo
        )
        return _chars(doc, lo, hi)

    @staticmethod
    def _inverted_subject(
        doc: Doc, verb: Token, in_quote: list[int | None]
    ) -> Token | None:
        """'“...,” said Lena Voss, adding ...' / '“...,” added another council
        member': the name right after a cue that follows a closing quote mark,
        parsed as the verb's object or modifier instead of its subject."""
        k = verb.i - 1
        while k >= 0 and doc[k].is_space:
            k -= 1
        if k < 0 or doc[k].text not in {"”", '"', "''"} or in_quote[k] is not None:
            return None
        for c in verb.children:
            if (
                c.i > verb.i
                and c.i <= verb.i + 6
                and c.dep_ in {"dobj", "advmod", "npadvmod", "attr", "appos", "dep"}
                and (
                    c.pos_ in {"PROPN", "NOUN"}
                    or c.tag_ == "NNP"
                    # "said Voss," (a capitalised name the tagger took for an adverb)
                    or (c.dep_ == "advmod" and c.text[:1].isupper())
                )
                and c.left_edge.i == verb.i + 1
                and in_quote[c.i] is None
                and c.ent_type_ not in {"DATE", "TIME"}
            ):
                return c
        j = verb.i + 1
        if (
            j < len(doc)
            and doc[j].tag_ == "NNP"
            and in_quote[j] is None
            and doc[j].ent_type_ not in {"DATE", "TIME"}
        ):
            # '“...,” said Borges, who ...' with the name hung on a verb further on
            end = j
            while end + 1 < len(doc) and doc[end + 1].tag_ == "NNP" and end - j < 3:
                end += 1
            return doc[end]
        return None

    def _verb_above_took(
        self, verb: Token, quote_end: int, in_quote: list[int | None], *, cue_only: bool
    ) -> bool:
        """Is a verb ``verb`` depends on, between the quote ending at character
        ``quote_end`` and ``verb``, the one that took that quote (with
        ``cue_only``, a cue verb)?"""
        return any(
            a.i < verb.i
            and a.idx >= quote_end
            and in_quote[a.i] is None
            and _verbal(a)
            and (not cue_only or self.lex.is_cue(self._lemma(a)))
            for a in verb.ancestors
        )

    def _cue_next_to_quote(
        self,
        doc: Doc,
        verb: Token,
        in_quote: list[int | None],
        runs: list[QuoteRun],
        strength: float,
    ) -> Frame | None:
        sent = verb.sent
        # quote runs touching this sentence
        cand: list[int | None] = [
            in_quote[t.i] for t in sent if in_quote[t.i] is not None
        ]
        if not cand:
            # the quote may start right after "said:" at the sentence end
            nxt = sent.end
            last = sent.end - 1
            while last > sent.start and doc[last].is_space:
                last -= 1
            first_quoted = next(
                (
                    j
                    for j in range(nxt, min(nxt + 3, len(doc)))
                    if in_quote[j] is not None
                ),
                None,
            )
            if first_quoted is not None and doc[last].text in {":", ","}:
                cand = [in_quote[first_quoted]]
            elif (
                verb.i + 2 < len(doc)
                and doc[verb.i + 1].text == ":"
                and nxt < len(doc)
                and in_quote[min(nxt + 1, len(doc) - 1)] is not None
            ):
                cand = [in_quote[min(nxt + 1, len(doc) - 1)]]
            else:
                # '“...?” Clinton said.' split into a sentence of its own: the quote
                # closes right before this sentence starts
                start = sent.start_char
                prev = [
                    i
                    for i, r in enumerate(runs)
                    if start - 3 <= r.span[1] <= start
                    and "\n" not in self._text[r.span[1] : start]
                ]
                if not prev or verb.i - sent.start > 6:
                    return None
                cand = list[int | None](prev[-1:])
        ids = sorted({c for c in cand if c is not None})
        speaker, head = self._speaker_of(verb)
        own_subject = speaker is not None
        if speaker is None:
            # '“...,” Janssen told a rally': the parser took the quote for the subject;
            # the name between the quote and the verb is the speaker
            j = verb.i - 1
            while (
                j >= 0
                and in_quote[j] is None
                and not doc[j].is_punct
                and verb.i - j <= 7
            ):
                j -= 1
            names = [t for t in doc[j + 1 : verb.i] if t.pos_ in {"PROPN", "PRON"}]
            if (
                j < verb.i - 1
                and names
                and doc[j].text in {",", "”", '"', "''"} | {"’"}
            ):
                lo, hi = j + 1, verb.i
                speaker, head = _chars(doc, lo, hi), doc[hi - 1].i
            elif (inverted := self._inverted_subject(doc, verb, in_quote)) is not None:
                lo, hi = mention_range(inverted)
                speaker, head = _chars(doc, lo, hi), inverted.i
            else:
                return None
        # a run before the verb, closest first; else the run after it. Quotes inside
        # the speaker's own name ('Marcia "Cia" Price') are not what was said.
        ids = [i for i in ids if not speaker[0] <= runs[i].span[0] < speaker[1]]
        before = [i for i in ids if runs[i].inner[1] <= doc[verb.i].idx]
        after = [i for i in ids if runs[i].inner[0] >= doc[verb.i].idx]
        subj_first = head is not None and doc[head].left_edge.i == sent.start
        if not before and (verb.i - sent.start <= 6 or subj_first):
            # '“You winning?” she said, but ...': the sentence splitter cut after
            # the quote
            start = sent.start_char
            adjacent = [
                i
                for i, r in enumerate(runs)
                if start - 3 <= r.span[1] <= start
                and "\n" not in self._text[r.span[1] : start]
            ]
            if adjacent:
                before = adjacent[-1:]
        own_after = [
            i
            for i in after
            if any(c.dep_ == "ccomp" and in_quote[c.i] == i for c in verb.children)
            and not any(
                # '“A,” she sang before asking him, “B”': “B” is the later verb's
                t.pos_ == "VERB" and in_quote[t.i] is None and t.idx < runs[i].span[0]
                for t in doc[verb.i + 1 : verb.sent.end]
            )
        ]
        if own_after and not (
            # '“A,” Trump said, “B”': the cue right after “A” took it too (one
            # statement in two pieces), unless another verb came between
            before
            and self._text[: runs[before[-1]].inner[1]].rstrip().endswith(",")
            and verb.idx - runs[before[-1]].span[1] <= 60
            and not any(
                t.pos_ == "VERB" and in_quote[t.i] is None
                for t in doc[verb.sent.start : verb.i]
            )
        ):
            # "…,” Trump said, adding, “B”: adding's own quote is the one after it
            before, after = [], own_after
        elif (
            before
            and (not after or verb.dep_ in {"advcl", "conj", "xcomp", "pcomp"})
            and self._verb_above_took(
                verb, runs[before[-1]].span[1], in_quote, cue_only=not after
            )
        ):
            # '“A,” she sang before asking him, “B”': the verb it depends on,
            # between “A” and it, is the one that took “A”; with no “B”, only a cue
            # verb above does ('“A,” she said of the race, in which she was sure
            # more voters would see ...')
            before = []
        chosen = before[-1:] if before else after[:1]
        if not chosen:
            return None
        r = runs[chosen[0]]
        frags = list(r.fragments)
        quote_ids = [chosen[0]]
        if (
            before
            and own_subject
            and verb.dep_ != "conj"
            and (head is None or doc[head].idx >= r.span[1])
        ):
            lead = self._lead_in(doc, sent, r, in_quote, verb)
            if lead is not None:
                frags = [(lead, frags[0][1]), *frags[1:]]
        # "“A,” he said, “B”": the run right after the cue clause continues it
        if before and after:
            # but not across another verb: '“A,” he said, adding later, “B”' is
            # two statements
            nxt_run = runs[after[0]]
            stop = verb.i + 1
            while stop < len(doc) and doc[stop].idx < nxt_run.span[0]:
                stop += 1
            between = doc[verb.i + 1 : stop]
            if not any(t.pos_ == "VERB" and in_quote[t.i] is None for t in between):
                frags += list(nxt_run.fragments)
                quote_ids.append(after[0])
        return Frame(
            content=frags,
            rule="quote-cue",
            cue=self._cue_span(doc, verb),
            cue_i=verb.i,
            speaker=speaker,
            speaker_head=head,
            strength=max(strength, 0.8),
            quote_runs=quote_ids,
        )

    def _lead_in(
        self,
        doc: Doc,
        sent: SpacySpan,
        run: QuoteRun,
        in_quote: list[int | None],
        verb: Token,
    ) -> int | None:
        """Where a statement starts that only ends in quote marks: 'Using the tax
        this way “is a mistake,” said Voss' (the sentence from its start), or
        None when the quote opens the sentence."""
        text = self._text
        said = text[run.inner[0] : run.inner[1]].rstrip("”\"' ")
        if said[-1:] != ",":
            return None
        start = max(sent.start_char, text.rfind("\n", 0, run.span[0]) + 1)
        lead = text[start : run.span[0]]
        if not lead.strip() or any(
            in_quote[t.i] is not None or t.text in {"“", "”", '"', "''", ":"}
            for t in sent
            if start <= t.idx < run.span[0]
        ):
            return None
        if len(lead.split()) < 3 or verb.idx < run.span[1] or "(" in lead:
            return None
        if self._is_title(text, run) or all(
            w[:1].isupper() for w in said.split() if w[:1].isalpha()
        ):
            return None  # 'In his memoir, “Harbor Days,” Voss wrote'
        toks = [t for t in sent if start <= t.idx < run.span[0] and not t.is_space]
        if not toks or not any(a.i == verb.i for a in toks[0].ancestors):
            return None  # not part of what the cue reports
        if any(
            t.pos_ in {"VERB", "AUX"} and self.lex.is_cue(self._lemma(t)) for t in toks
        ):
            return None  # 'what he called a “revolution,”': another cue's words
        return start + len(lead) - len(lead.lstrip())

    def _according_to(
        self,
        doc: Doc,
        tok: Token,
        sent: SpacySpan,
        in_quote: list[int | None],
        runs: list[QuoteRun],
    ) -> Frame | None:
        to = doc[tok.i + 1]
        pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
        if pobj is None:
            pobj = next((c for c in tok.children if c.dep_ == "pobj"), None)
        if pobj is None:
            return None
        slo, shi = mention_range(pobj)
        speaker_head = pobj
        if pobj.pos_ == "NOUN":
            # "according to a speech Ms. Voss delivered": the one who delivered it
            for rel in pobj.children:
                if rel.dep_ != "relcl":
                    continue
                who = [
                    c
                    for c in rel.children
                    if c.dep_ == "nsubj" and c.pos_ == "PROPN" and c.i > pobj.i
                ]
                if who:
                    speaker_head = who[0]
                    slo, shi = mention_range(who[0])
        phrase_lo = tok.i
        phrase_hi = max(pobj.right_edge.i + 1, to.i + 1)
        # the content: the rest of the sentence, within the paragraph
        lo, hi = sent.start, sent.end
        for j in range(lo, hi):
            if doc[j].is_space and "\n" in doc[j].text:
                if j < tok.i:
                    lo = j + 1
                elif j > phrase_hi:
                    hi = j
                    break
        if phrase_lo - lo > hi - phrase_hi:
            hi = phrase_lo
        else:
            lo = phrase_hi
        lo, hi = _trim(doc, lo, hi)
        if hi - lo < 3:
            return None
        ri = next(
            (
                in_quote[j]
                for j in range(lo, min(lo + 2, hi))
                if in_quote[j] is not None
            ),
            None,
        )
        if ri is not None and lo > phrase_lo:
            # "According to X, “A. B.”": the whole quotation, not its first sentence
            j = hi
            while j < len(doc) and in_quote[j] == ri:
                j += 1
            while (
                j < len(doc)
                and doc[j].is_punct
                and not doc[j].is_space
                and j < hi + 200
            ):
                j += 1
                if in_quote[j - 1] is None and doc[j - 1].text in {"”", '"', "’", "'"}:
                    break
            hi = max(hi, j)
        else:
            ri = None
        span = _chars(doc, lo, hi)
        return Frame(
            content=[span],
            rule="according-to",
            cue=_chars(doc, tok.i, to.i + 1),
            cue_i=tok.i,
            speaker=_chars(doc, slo, shi),
            speaker_head=speaker_head.i,
            strength=0.7,
            quote_runs=self._runs_in(runs, *span) if ri is not None else [],
        )

    def _direct(
        self,
        doc: Doc,
        text: str,
        runs: list[QuoteRun],
        in_quote: list[int | None],
        frames: list[Frame],
        used: set[int],
    ) -> list[Frame]:
        """Quote runs no frame claimed: continuations of the previous quote, or scare
        quotes."""
        out = list(frames)
        for ri, run in enumerate(runs):
            if ri in used:
                continue
            if any(f.start <= run.inner[0] and run.inner[1] <= f.end for f in out):
                continue
            intro = self._colon_intro(doc, text, run, ri)
            if intro is None:
                intro = self._trailing_cue(doc, text, run, ri, in_quote)
                took = (
                    [f for f in out if f.cue_i == intro.cue_i]
                    if intro is not None
                    else []
                )
                if took:
                    # '“A,” X said, “B”' where the cue took only “B”: “A” too
                    f = took[0]
                    if (
                        f.start >= run.span[1]
                        and f.speaker is not None
                        and any(
                            runs[j].span[0] <= f.start <= runs[j].inner[0]
                            for j in f.quote_runs
                        )
                    ):
                        f.content = list(run.fragments) + f.content
                        f.quote_runs = [ri] + f.quote_runs
                        continue
                    intro = None
            if intro is not None:
                out.append(intro)
                out.sort(key=lambda f: f.start)
                continue
            words = len(text[run.inner[0] : run.inner[1]].split())
            par_start = text.rfind("\n", 0, run.span[0]) + 1
            par_end = text.find("\n", run.span[1])
            par_end = len(text) if par_end < 0 else par_end
            whole_par = not text[par_start : run.span[0]].strip() and not text[
                run.span[1] : par_end
            ].strip(" .,")
            inner_text = text[run.inner[0] : run.inner[1]].rstrip("”\"' ")
            before = text[par_start : run.span[0]].rstrip()
            sentence_like = inner_text[-1:] in {".", "!", "?", ","} and (
                not before or before[-1] in '.!?:”"'
            )
            if 6 <= words <= 12 and not whole_par and not sentence_like:
                # a longer quoted name: 'the bill, known as the “Harbor and River
                # Protection Act of 2015”'
                named = self._named_phrase(doc, text, run, ri)
                if named is not None:
                    out.append(named)
                    out.sort(key=lambda f: f.start)
                    continue
            if words < 6 and not whole_par and not sentence_like:
                # a quoted phrase someone is credited with ("branded X an “outlaw
                # nation”", "accused him of “recklessness”"), or scare quotes
                framed = self._quoted_phrase(doc, run, ri, in_quote)
                if framed is not None and self._is_title(text, run):
                    # "told “Fox News Sunday,”": a programme, not words said
                    framed = None
                if framed is None:
                    framed = self._named_phrase(doc, text, run, ri)
                if framed is not None:
                    same = [
                        f
                        for f in out
                        if f.cue_i is not None
                        and f.cue_i == framed.cue_i
                        and f.end <= run.span[0]
                        and "\n" not in text[f.end : run.span[0]]
                    ]
                    if same:
                        # 'called him a “liar,” “amoral” and a “bully”': one statement
                        f = same[-1]
                        a, _ = f.content[-1]
                        f.content = f.content[:-1] + [(a, max(run.span[1], f.end))]
                        f.quote_runs = f.quote_runs + [ri]
                    else:
                        out.append(framed)
                continue
            prev = [f for f in out if f.end <= run.span[0] and f.speaker is not None]
            prev.sort(key=lambda f: f.end)
            if not prev:
                continue
            p = prev[-1]
            if not p.quote_runs and p.cue_i is not None:
                # '“A,” she said, stressing that X. “B.”': the participle's own
                # attribution sits inside the statement that goes on with “B”
                cue = doc[p.cue_i]
                host = [
                    f
                    for f in prev
                    if f.quote_runs and f.cue_i == cue.head.i and f.end <= p.start
                ]
                if host and cue.dep_ in {"advcl", "conj", "xcomp"}:
                    p = host[-1]
            gap = text[p.end : run.span[0]]
            if p.kind != "indirect" or p.quote_runs:
                same_par = "\n" not in gap
                next_par = gap.count("\n") >= 1 and not gap.replace("\n", "").strip(
                    ' .,”"'
                )
                if (
                    same_par
                    and len(gap) < 200
                    and (p.cue is None or p.cue[0] >= p.start)
                ):
                    # "“A,” he said. “B.”": one statement in fragments
                    p.content = p.content + list(run.fragments)
                    p.quote_runs = p.quote_runs + [ri]
                    continue
                tail = gap.rstrip()
                if (
                    whole_par
                    and p.quote_runs
                    and "\n" not in tail
                    and "\n" in gap
                    and len(tail) < 200
                    and not _sentence_end_in(tail)
                    and run.balanced
                    and _family(text[run.span[0] : run.inner[0]])
                    == _family(text[run.inner[1] : run.span[1]])
                ):
                    # '“A,” he said.\n\n“B.”': a paragraph that is only a quote goes
                    # on with the quotation before it (PolNeAR train: the same
                    # statement in 41 of 70 such paragraphs, a new one in 8)
                    p.content = p.content + list(run.fragments)
                    p.quote_runs = p.quote_runs + [ri]
                    continue
                own = (
                    self._own_subject(doc, run, in_quote)
                    if next_par or same_par
                    else None
                )
                if own is not None:
                    # "Cruz called Trump a “liar” ...": the quote sits in a
                    # sentence with a speaker of its own, not the last one's
                    verb, subj = own
                    lo, hi = mention_range(subj)
                    out.append(
                        Frame(
                            content=list(run.fragments),
                            rule="quote-cue",
                            cue=self._cue_span(doc, verb),
                            cue_i=verb.i,
                            speaker=_chars(doc, lo, hi),
                            speaker_head=subj.i,
                            strength=0.6,
                            quote_runs=[ri],
                        )
                    )
                    out.sort(key=lambda f: f.start)
                    continue
                if next_par or same_par:
                    out.append(
                        Frame(
                            content=list(run.fragments),
                            rule="quote-continued",
                            speaker=None,
                            speaker_head=p.speaker_head,
                            strength=0.6,
                            quote_runs=[ri],
                        )
                    )
                    out[-1].cue = None
                    # the speaker is inherited at resolution time
                    out[-1].addressee = None
                    out.sort(key=lambda f: f.start)
        return out

    def _trailing_cue(
        self,
        doc: Doc,
        text: str,
        run: QuoteRun,
        ri: int,
        in_quote: list[int | None],
    ) -> Frame | None:
        """A quote no cue claimed that opens its sentence and ends like speech
        ('“…,”', '“…!”', '“…?”'), followed in the same sentence by a cue whatever
        the tagger or the cue model made of it: '“…!” beamed Lena Voss',
        '“…,” Voss, 58, told a radio host', '“…,” the mayor, a former pilot,
        quipped'. The speaker is the verb's subject, else the name between the
        quote and the verb (up to its first comma), else the name right after the
        verb."""
        par_start = text.rfind("\n", 0, run.span[0]) + 1
        before = text[par_start : run.span[0]].rstrip()
        if before and before[-1] not in '.!?”"':
            return None
        said = text[run.inner[0] : run.inner[1]].rstrip("”\"' ")
        if said[-1:] not in {",", "!", "?"} or len(said.split()) < 2:
            return None
        span = doc.char_span(run.span[1] - 1, run.span[1], alignment_mode="expand")
        if span is None or not len(span):
            return None
        k = span[-1].i + 1
        cue: Token | None = None
        for t in doc[k : min(k + 14, len(doc))]:
            if (
                in_quote[t.i] is not None
                or "\n" in t.text
                or t.text in {".", ";", ":", "!", "?", "“", "”", '"', "(", "—", "–"}
            ):
                break
            if t.dep_ in {"relcl", "acl", "amod", "advcl", "xcomp", "pcomp"}:
                continue
            if (
                self.lex.is_cue(lemma_of_form(t.lower_))
                and t.pos_ != "PROPN"
                and (
                    t.tag_ in _VB_TAGS
                    or t.i == k
                    or t.i + 1 < len(doc)
                    and doc[t.i + 1].text in {".", ","}
                )
            ):
                # a cue word, whatever its tag, where a cue stands: a verb, or
                # right after the quote, or closing its clause
                cue = t
                break
            if t.tag_ in _VB_TAGS:
                # a verb outside the lexicon only in the inverted order with a
                # name: '“…!” beamed Lena Voss'
                if (
                    t.i == k
                    and t.tag_ in {"VBD", "VBZ"}
                    and lemma_of(t) not in {"be", "go", "have", "do", "get", "put"}
                    and any(
                        c.dep_ == "nsubj"
                        and c.i > t.i
                        and any(g.pos_ == "PROPN" for g in c.subtree)
                        for c in t.children
                    )
                ):
                    cue = t
                break
        if cue is None:
            return None
        subj: Token | None = next(
            (
                c
                for c in cue.children
                if c.dep_ in {"nsubj", "nsubjpass"} and in_quote[c.i] is None
            ),
            None,
        )
        lo = hi = -1
        if subj is not None and subj.pos_ in {"PROPN", "PRON", "NOUN"}:
            lo, hi = mention_range(subj)
        elif cue.i > k:
            # the name between the quote and the verb, up to its first comma
            lo, hi = k, cue.i
            while lo < hi and doc[lo].is_punct:
                lo += 1
            cut = next((j for j in range(lo, hi) if doc[j].text == ","), hi)
            hi = cut
            if hi - lo > 6 or not any(
                doc[j].pos_ in {"PROPN", "PRON", "NOUN"} for j in range(lo, hi)
            ):
                return None
        else:
            # '“…!” beamed Lena Voss': the name right after the verb
            nxt = cue.i + 1
            if nxt < len(doc) and doc[nxt].pos_ in {"PROPN", "DET", "PRON", "NOUN"}:
                head = doc[nxt]
                while (
                    head.head.i > head.i
                    and head.head.i < cue.sent.end
                    and head.head.pos_ in {"PROPN", "NOUN"}
                ):
                    head = head.head
                lo, hi = mention_range(head)
                if lo != nxt:
                    return None
        if lo < 0 or hi <= lo or in_quote[lo] is not None:
            return None
        if doc[hi - 1].lower_ in {"it", "this", "that", "there", "which"}:
            return None
        return Frame(
            content=list(run.fragments),
            rule="quote-cue",
            cue=_chars(doc, cue.i, cue.i + 1),
            cue_i=cue.i,
            speaker=_chars(doc, lo, hi),
            speaker_head=hi - 1,
            strength=0.7,
            quote_runs=[ri],
        )

    @staticmethod
    def _own_subject(
        doc: Doc, run: QuoteRun, in_quote: list[int | None]
    ) -> tuple[Token, Token] | None:
        """The verb and named or pronoun subject, outside quote marks, of the sentence
        a quote run sits in, before the run."""
        span = doc.char_span(run.inner[0], run.inner[1], alignment_mode="expand")
        if span is None or not len(span):
            return None
        first = span[0]
        sent = first.sent
        for tok in doc[sent.start : first.i]:
            head = tok.head
            if (
                tok.dep_ == "nsubj"
                and in_quote[tok.i] is None
                and in_quote[head.i] is None
                and head.pos_ == "VERB"
                and head.i < first.i
                and (
                    tok.pos_ == "PROPN"
                    or tok.pos_ == "PRON"
                    and tok.lower_ in {"he", "she", "they", "i", "we"}
                )
            ):
                return head, tok
        return None

    @staticmethod
    def _is_title(text: str, run: QuoteRun) -> bool:
        """A quoted name of a programme or work: every word capitalised, after "on",
        "told", "to" or "of", possibly through a possessive ("told MSNBC's “Morning
        Joe”", "said on “Face the Nation”", "an episode of “The Morning Show”")."""
        inner = text[run.inner[0] : run.inner[1]].strip(" ,.")
        words = inner.split()
        if not words or len(words) > 6:
            return False
        small = {"the", "of", "and", "a", "an", "in", "on", "for", "to", "with"}
        if not all(w[:1].isupper() or w in small for w in words):
            return False
        before = text[max(0, run.span[0] - 40) : run.span[0]].lower().split()
        if before and before[-1].endswith(("’s", "'s")):
            before = before[:-1]  # "told MSNBC's “Morning Joe”"
        preps = {"on", "told", "tells", "to", "with", "in", "of"}
        return bool(before) and before[-1] in preps

    def _colon_intro(self, doc: Doc, text: str, run: QuoteRun, ri: int) -> Frame | None:
        """ "Sanders made the following comment:\n\n“For young people …”" """
        before = text[: run.span[0]].rstrip()
        if not before.endswith(":") or len(text[len(before) : run.span[0]]) > 4:
            return None
        span = doc.char_span(len(before) - 1, len(before), alignment_mode="expand")
        if span is None:
            return None
        colon = span[0]
        verb = colon.sent.root
        if verb.pos_ not in {"VERB", "AUX"}:
            return None
        return self._run_frame(doc, run, ri, verb, rule="colon-intro", strength=0.7)

    def _run_frame(
        self,
        doc: Doc,
        run: QuoteRun,
        ri: int,
        verb: Token,
        *,
        rule: str,
        strength: float,
    ) -> Frame | None:
        """A quote run credited to the subject of ``verb`` (None without a subject)."""
        speaker, head = self._speaker_of(verb)
        if speaker is None:
            return None
        return Frame(
            content=list(run.fragments),
            rule=rule,
            cue=self._cue_span(doc, verb),
            cue_i=verb.i,
            speaker=speaker,
            speaker_head=head,
            strength=strength,
            quote_runs=[ri],
        )

    def _named_phrase(
        self, doc: Doc, text: str, run: QuoteRun, ri: int
    ) -> Frame | None:
        """A quoted wording named as such: "used the phrase “open borders”", "ran
        on the slogan “Fix It Now”" (credited to the verb's subject), or "the
        levy, known as the “harbor fee”", "a file labeled “urgent review”" (no
        speaker). PolNeAR train: 16 of 23 such quote runs of two or more words
        that no other rule claimed lie in a gold attribution; "so-called" and
        "-named" are scare quotes."""
        par_start = text.rfind("\n", 0, run.span[0]) + 1
        m = _NAMED_BEFORE.search(text, max(par_start, run.span[0] - 60), run.span[0])
        if m is None:
            return None
        span = doc.char_span(run.inner[0], run.inner[1], alignment_mode="expand")
        if span is None or sum(1 for t in span if not t.is_punct) < 2:
            return None
        word = doc.char_span(*m.span(1), alignment_mode="expand")
        if word is None:
            return None
        tok = word[-1]
        if m.group(1).lower() in _NAMING_NOUNS or tok.lower_ in _NAMING_NOUNS:
            # the wording is the object of what someone did with it
            if tok.dep_ == "pobj" and tok.head.dep_ == "prep":
                verb = tok.head.head
            elif tok.dep_ == "dobj":
                verb = tok.head
            else:
                return None
            if verb.pos_ != "VERB":
                return None
            speaker, head = self._speaker_of(verb)
            if speaker is None:
                return None
            cue: Span = self._cue_span(doc, verb)
            cue = (cue[0], max(cue[1], tok.idx + len(tok.text)))
            return Frame(
                content=list(run.fragments),
                rule="named-phrase",
                cue=cue,
                cue_i=verb.i,
                speaker=speaker,
                speaker_head=head,
                strength=0.5,
                quote_runs=[ri],
            )
        verb = word[0]
        if (
            verb.pos_ != "VERB"
            or verb.dep_ not in {"acl", "advcl", "ROOT"}
            or any(c.dep_ == "nsubj" for c in verb.children)
        ):
            return None  # "X called it “...”" is a statement: _quoted_phrase's
        return Frame(
            content=list(run.fragments),
            rule="named-phrase",
            cue=(word.start_char, word.end_char),
            cue_i=verb.i,
            speaker=None,
            speaker_head=None,
            strength=0.4,
            quote_runs=[ri],
        )

    def _quoted_phrase(
        self, doc: Doc, run: QuoteRun, ri: int, in_quote: list[int | None]
    ) -> Frame | None:
        span = doc.char_span(run.inner[0], run.inner[1], alignment_mode="expand")
        toks = list(span) if span is not None else []
        if sum(1 for t in toks if not t.is_punct) < 2:
            # one quoted word is a label or a scare quote, not a quotation (none
            # of PolNeAR train's first 300 articles' single quoted words is one)
            return None
        # the verb governing the phrase, outside the quote
        inside = {t.i for t in toks}
        head = next(
            (t for t in toks if t.head.i not in inside or t.head.i == t.i), toks[0]
        )
        verb = head.head
        for _ in range(4):
            if verb.pos_ == "VERB" or verb.i == verb.head.i:
                break
            verb = verb.head
        if verb.pos_ != "VERB" or verb.i in inside:
            return None
        lemma = self._lemma(verb)
        prob = 0.0
        if self.model is not None:
            prob = self.model.probability(
                cue_features(verb, in_lexicon=self.lex.is_cue(lemma), near_quote=True)
            )
        elif self.lex.is_cue(lemma):
            prob = self.lex.cue_strength(lemma)
        if prob < QUOTED_PHRASE_MIN:
            return None
        return self._run_frame(doc, run, ri, verb, rule="quoted-phrase", strength=prob)

    @staticmethod
    def _merge_overlaps(doc: Doc, frames: list[Frame]) -> list[Frame]:
        frames.sort(key=lambda f: (f.start, -f.end))
        out: list[Frame] = []
        for f in frames:
            if out and f.start < out[-1].end:
                prev = out[-1]
                # keep the frame with a cue and a speaker; extend to cover both when
                # one quote
                if f.cue_i == prev.cue_i or set(f.quote_runs) & set(prev.quote_runs):
                    if (
                        f.cue_i is not None
                        and prev.cue_i is not None
                        and f.speaker is not None
                        and f.rule == prev.rule == "quote-cue"
                        and f.cue is not None
                        and prev.cue is not None
                        and f.content[0][1] <= f.cue[0] < prev.cue[0]
                        and doc[f.cue_i] in doc[prev.cue_i].ancestors
                    ):
                        # '“A,” she said of the race, in which she was sure voters
                        # would see ...': a cue verb under the other one, deeper in
                        # its sentence, took the same quote; the one above said it
                        prev.cue, prev.cue_i = f.cue, f.cue_i
                        prev.speaker, prev.speaker_head = f.speaker, f.speaker_head
                        prev.addressee, prev.strength = f.addressee, f.strength
                    lo = min(prev.start, f.start)
                    hi = max(prev.end, f.end)
                    if len(prev.content) == 1 and len(f.content) == 1:
                        prev.content = [(lo, hi)]
                    prev.quote_runs = sorted(set(prev.quote_runs) | set(f.quote_runs))
                    continue
                # nested attributions are allowed (PolNeAR has them): keep both
            out.append(f)
        return out

    @staticmethod
    def _kind(text: str, f: Frame, runs: list[QuoteRun]) -> str:
        if not f.quote_runs:
            return "indirect"
        total = sum(len(text[a:b].split()) for a, b in f.content) or 1
        quoted = 0
        for ri in f.quote_runs:
            r = runs[ri]
            for a, b in r.fragments:
                for ca, cb in f.content:
                    lo, hi = max(a, ca), min(b, cb)
                    if hi > lo:
                        quoted += len(text[lo:hi].split())
        share = quoted / total
        if share >= 0.9:
            return "direct"
        return "mixed"
