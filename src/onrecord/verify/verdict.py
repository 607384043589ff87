"""Cross-article verdicts: conflicting attribution, altered, truncated, spliced.

A quote is compared with the earlier recorded quotes that share a match key
(:func:`~onrecord.verify.match.lsh_keys`); each candidate's words are aligned
with the quote's, the alignment is classified (same, altered, part of, whole
of), and flags with evidence are added. Only the later version is flagged: an
earlier recording is the reference, never the suspect.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from onrecord.types import Article, Flag, Quote, Result
from onrecord.verify.index import IndexedQuote, QuoteIndex
from onrecord.verify.match import Alignment, align, lsh_keys, word_diff
from onrecord.verify.normalize import QUALIFIERS, norm_words, same_speaker

MAX_CHANGED = 3
"""Words changed (substituted, inserted or deleted) for a version to be "altered"."""
MIN_SHARED = 5
"""Words two versions must share before any comparison counts."""
MIN_PART_CONFLICT = 8
"""Words a quote needs to conflict with a longer quote it is a part of."""
MAX_COMPARED = 24
"""Candidates aligned per quote (the index ranks them by shared keys)."""

Relation = str
"""One of ``same``, ``altered``, ``part`` (new is a part of old), ``qualifier``
(a qualifier dropped), ``whole`` (old is a part of new) or ``other``."""


@lru_cache(maxsize=65536)
def _words(content: str) -> tuple[str, ...]:
    return tuple(norm_words(content))


_IDS: dict[str, int] = {}


@lru_cache(maxsize=65536)
def _ids(content: str) -> tuple[int, ...]:
    """Words as small ints: rapidfuzz aligns int sequences faster than str ones."""
    return tuple(_IDS.setdefault(w, len(_IDS)) for w in _words(content))


@lru_cache(maxsize=65536)
def _wordset(content: str) -> frozenset[str]:
    return frozenset(_words(content))


def _align(old: str, new: str) -> Alignment:
    ids = align(_ids(old), _ids(new))
    return Alignment(_words(old), _words(new), ids.matched, ids.edits)


def _snip(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _cite(c: IndexedQuote) -> str:
    when = f", {c.published}" if c.published else ""
    return f"{c.article_id}{when}"


def relation(aln: Alignment) -> Relation:
    """Classify how a new version relates to an old one.

    Args:
        aln: The alignment of new against old words.

    Returns:
        The :data:`Relation`.
    """
    n_old, n_new, m = len(aln.old), len(aln.new), aln.matched
    if m < MIN_SHARED:
        return "other"
    if not aln.edits:
        return "same"
    deleted = sum(e.old[1] - e.old[0] for e in aln.edits if e.tag != "insert")
    inserted = sum(e.new[1] - e.new[0] for e in aln.edits if e.tag != "delete")
    if inserted == 0 and deleted <= MAX_CHANGED:
        gone = [aln.old[i] for e in aln.edits for i in range(*e.old)]
        if all(w in QUALIFIERS for w in gone):
            return "qualifier"
    edge_del = 0
    first, last = aln.edits[0], aln.edits[-1]
    if first.tag == "delete" and first.old[0] == 0:
        edge_del += first.old[1] - first.old[0]
    if last.tag == "delete" and last.old[1] == n_old and last.old[0] > 0:
        edge_del += last.old[1] - last.old[0]
    if (
        aln.cover_new >= 0.9
        and edge_del >= 3
        and deleted - edge_del <= 1
        and inserted <= 1
    ):
        return "part"
    if max(deleted, inserted) <= MAX_CHANGED and m >= 0.6 * max(n_old, n_new):
        return "altered"
    if aln.cover_old >= 0.9 and inserted >= 3:
        return "whole"
    return "other"


@dataclass(frozen=True, slots=True)
class _Match:
    cand: IndexedQuote
    aln: Alignment
    rel: Relation


def _matched_new(aln: Alignment) -> set[int]:
    """Indices of new words that the alignment matched to old words."""
    out = set(range(len(aln.new)))
    for e in aln.edits:
        out.difference_update(range(*e.new))
    return out


def _earlier(cand: IndexedQuote, published: str | None) -> bool:
    return not (cand.published and published and cand.published > published)


def check_quote(
    quote: Quote, article: Article, cands: Sequence[IndexedQuote]
) -> tuple[Flag, ...]:
    """Cross-article flags for one quote against candidate earlier quotes.

    Args:
        quote: The quote to check.
        article: Its article (its id and publication date are used).
        cands: Candidates from a :class:`QuoteIndex`, best first.

    Returns:
        New flags (none if nothing is wrong).
    """
    new = _words(quote.content)
    new_set = _wordset(quote.content)
    speaker = quote.speaker or quote.speaker_mention
    matches: list[_Match] = []
    seen: dict[tuple[int, ...], tuple[Alignment, Relation] | None] = {}
    for cand in cands:
        if cand.article_id == article.id:
            continue
        ids = _ids(cand.content)
        if ids not in seen:  # one alignment per distinct wording
            if len(new_set & _wordset(cand.content)) < MIN_SHARED:
                seen[ids] = None  # cheap reject before aligning
            else:
                aln = _align(cand.content, quote.content)
                seen[ids] = (aln, relation(aln))
        got = seen[ids]
        if got is None or not _earlier(cand, article.published):
            continue  # a later recording is never the reference
        aln, rel = got
        if rel != "other":
            matches.append(_Match(cand, aln, rel))
        if len(matches) >= MAX_COMPARED:
            break
    if not matches:
        return ()
    flags: list[Flag] = []
    # conflicting attribution: the same (or nearly the same) words, two speakers.
    # An article that also credits these words to a compatible speaker (nested
    # attributions: "X said Y told him ...") is no conflict.
    supports = {
        mt.cand.article_id
        for mt in matches
        if same_speaker(speaker, mt.cand.speaker) is not False
    }
    for mt in sorted(matches, key=lambda x: (x.cand.published or "~", x.rel != "same")):
        if mt.rel not in ("same", "altered", "part", "qualifier"):
            continue
        if mt.cand.article_id in supports:
            continue
        if mt.rel == "part" and len(new) < MIN_PART_CONFLICT:
            continue  # a short phrase inside someone's statement proves little
        if same_speaker(speaker, mt.cand.speaker) is False:
            flags.append(
                Flag(
                    kind="conflicting_attribution",
                    evidence=(
                        f"credited to {speaker}, but {_cite(mt.cand)} credits "
                        f"{'the same' if mt.rel == 'same' else 'nearly the same'} "
                        f"words to {mt.cand.speaker}: “{_snip(mt.cand.content)}”"
                    ),
                    likely_speaker=mt.cand.speaker,
                    original=mt.cand.content,
                    other_article=mt.cand.article_id,
                    score=0.9 if mt.rel == "same" else 0.75,
                )
            )
            break
    # wording: only against earlier versions by a compatible speaker, and only
    # when no earlier version has exactly these words
    # (a splice may join statements of two different speakers)
    earlier = [
        mt
        for mt in matches
        if (mt.rel == "whole" or same_speaker(speaker, mt.cand.speaker) is not False)
    ]
    if any(mt.rel == "same" for mt in earlier):
        return tuple(flags)
    earlier.sort(key=lambda x: (x.cand.published or "~", -x.aln.matched))
    wording = _wording_flag(quote, earlier)
    if wording is not None:
        flags.append(wording)
    return tuple(flags)


def _wording_flag(quote: Quote, earlier: list[_Match]) -> Flag | None:
    by_rel: dict[Relation, _Match] = {}
    for mt in earlier:
        by_rel.setdefault(mt.rel, mt)
    if "whole" in by_rel:
        spliced = _splice(quote, [mt for mt in earlier if mt.rel == "whole"])
        if spliced is not None:
            return spliced
    for rel in ("qualifier", "part", "altered"):
        found = by_rel.get(rel)
        if found is None:
            continue
        mt = found
        diff = word_diff(mt.cand.content, quote.content)
        if rel == "altered":
            kind, what, score = "altered_wording", "words changed from", 0.8
        elif rel == "qualifier":
            kind, what, score = "truncated", "a qualifier dropped from", 0.9
        else:
            kind, what, score = "truncated", "a part of a longer quote in", 0.6
        return Flag(
            kind=kind,
            evidence=f"{what} the version recorded in {_cite(mt.cand)}: {diff}",
            original=mt.cand.content,
            diff=diff,
            other_article=mt.cand.article_id,
            score=score,
        )
    return None


def _splice(quote: Quote, wholes: list[_Match]) -> Flag | None:
    """Two earlier quotes that together make up this one: a splice."""
    n = len(_words(quote.content))
    for i, a in enumerate(wholes):
        sa = _matched_new(a.aln)
        for b in wholes[i + 1 :]:
            if (b.cand.article_id, b.cand.index) == (a.cand.article_id, a.cand.index):
                continue
            sb = _matched_new(b.aln)
            if len(sa & sb) > 0.2 * min(len(sa), len(sb)):
                continue  # two versions of one statement, not two statements
            if len(sa | sb) < 0.85 * n:
                continue
            first, second = (a, b) if min(sa) <= min(sb) else (b, a)
            original = f"{first.cand.content} … {second.cand.content}"
            same_src = first.cand.article_id == second.cand.article_id
            adjacent = same_src and abs(first.cand.index - second.cand.index) == 1
            return Flag(
                kind="spliced",
                evidence=(
                    f"joins two separately recorded statements: "
                    f"“{_snip(first.cand.content, 100)}” ({_cite(first.cand)}, "
                    f"{first.cand.speaker}) and “{_snip(second.cand.content, 100)}” "
                    f"({_cite(second.cand)}, {second.cand.speaker})"
                ),
                original=original,
                diff=word_diff(original, quote.content),
                other_article=first.cand.article_id,
                score=0.6 if adjacent else 0.85,
            )
    return None


def _add_flags(quote: Quote, flags: Sequence[Flag]) -> Quote:
    seen = {(f.kind, f.other_article) for f in quote.flags}
    new = [f for f in flags if (f.kind, f.other_article) not in seen]
    return dataclasses.replace(quote, flags=quote.flags + tuple(new)) if new else quote


def verify_article(
    article: Article, quotes: Sequence[Quote], *, index: QuoteIndex
) -> tuple[Quote, ...]:
    """Cross-article flags for one article's quotes (the index is not changed).

    Args:
        article: The article.
        quotes: Its quotes.
        index: Earlier quotes.

    Returns:
        The quotes, with cross-article flags added.
    """
    keys_list = [lsh_keys(q.content) for q in quotes]
    many = getattr(index, "candidates_many", None)
    if many is not None:  # the quote bank: one round of queries per article
        found = many(keys_list)
    else:
        found = [index.candidates(keys) if keys else [] for keys in keys_list]
    return tuple(
        _add_flags(q, check_quote(q, article, cands) if keys else ())
        for q, keys, cands in zip(quotes, keys_list, found, strict=True)
    )


def _date_order(results: Sequence[Result]) -> list[int]:
    return sorted(
        range(len(results)),
        key=lambda i: (
            results[i].article.published is None,
            results[i].article.published or "",
            i,
        ),
    )


def verify_results(results: Iterable[Result], *, index: QuoteIndex) -> list[Result]:
    """Add cross-article flags to a batch, then record it in the index.

    Articles are checked in publication order (undated last, ties in input
    order), each against the index plus the batch's earlier articles, so the
    later version of a quote is the one flagged.

    Args:
        results: Extraction results (failed ones pass through untouched).
        index: Earlier quotes: a :class:`~onrecord.verify.index.MemoryIndex`,
            the quote bank, or a :class:`~onrecord.verify.index.LayeredIndex`.

    Returns:
        The results in input order, quotes with flags added.
    """
    batch = list(results)
    out: list[Result] = list(batch)
    for i in _date_order(batch):
        res = batch[i]
        if res.error:
            continue
        quotes = verify_article(res.article, res.quotes, index=index)
        out[i] = dataclasses.replace(res, quotes=quotes)
        index.add(res.article, quotes)
    return out


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a quote was recorded: the earliest article and all later ones.

    Attributes:
        first: The earliest recording (by publication date), or None.
        later: The other recordings, in publication order.
    """

    first: IndexedQuote | None
    later: tuple[IndexedQuote, ...] = ()

    @property
    def records(self) -> tuple[IndexedQuote, ...]:
        """All recordings, earliest first."""
        return ((self.first,) if self.first else ()) + self.later


def provenance(quote: Quote | str, index: QuoteIndex) -> Provenance:
    """The recordings of a quote in an index, earliest first.

    A recording is a version with the same or nearly the same words, or one
    that is a part or the whole of it.

    Args:
        quote: The quote (or its content).
        index: Where to look.

    Returns:
        The :class:`Provenance`; ``first`` is None when nothing matches.
    """
    content = quote if isinstance(quote, str) else quote.content
    found: list[IndexedQuote] = []
    for cand in index.candidates(lsh_keys(content)):
        if relation(_align(cand.content, content)) != "other":
            found.append(cand)
    found.sort(key=lambda c: (c.published is None, c.published or "", c.article_id))
    if not found:
        return Provenance(None)
    return Provenance(found[0], tuple(found[1:]))
