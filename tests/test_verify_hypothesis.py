"""Invariants of the verify stage on arbitrary text: never crash, stay in bounds."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from onrecord.types import Article, Quote, Result
from onrecord.verify import (
    MemoryIndex,
    check_article,
    lsh_keys,
    same_speaker,
    verify_results,
    word_diff,
)
from onrecord.verify.match import align
from onrecord.verify.normalize import norm_words, parse_name, words
from onrecord.verify.verdict import relation

TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300
) | st.text(alphabet="abc ABC’'\".,-\n“”", max_size=120)
NAME = st.one_of(
    st.none(),
    st.sampled_from(["he", "She", "Mara Ellison", "Ellison", "The Ledger", "NATO"]),
    st.text(max_size=40),
)


@given(TEXT)
def test_normalize_word_spans_in_bounds(text: str) -> None:
    ws = words(text)
    assert [w.norm for w in ws] == norm_words(text)
    last = 0
    for w in ws:
        s, e = w.span
        assert last <= s < e <= len(text)
        last = e
        assert w.norm == w.norm.strip()
        assert w.norm


@given(NAME, NAME)
def test_normalize_same_speaker_never_crashes_and_is_symmetric(
    a: str | None, b: str | None
) -> None:
    assert same_speaker(a, b) == same_speaker(b, a)
    parse_name(a)


@given(TEXT)
def test_match_lsh_keys_bounded(text: str) -> None:
    keys = lsh_keys(text)
    assert len(keys) == len(set(keys))
    assert all(0 <= k < 2**62 for k in keys)


@given(TEXT, TEXT)
def test_match_word_diff_never_crashes(old: str, new: str) -> None:
    diff = word_diff(old, new)
    assert isinstance(diff, str)
    # the alignment never matches more words than either side has
    aln = align(norm_words(old), norm_words(new))
    assert aln.matched <= min(len(aln.old), len(aln.new))
    relation(aln)


@st.composite
def article_with_quotes(draw: st.DrawFn) -> tuple[Article, list[Quote]]:
    text = draw(TEXT)
    n = len(text)
    quotes = []
    for _ in range(draw(st.integers(0, 5))):
        s = draw(st.integers(0, n))
        e = draw(st.integers(s, n))
        span = None
        if draw(st.booleans()):
            a = draw(st.integers(0, n))
            span = (a, draw(st.integers(a, n)))
        quotes.append(
            Quote(
                kind="direct",
                content=text[s:e],
                content_span=(s, e),
                speaker=draw(NAME),
                speaker_mention=draw(NAME),
                speaker_span=span,
            )
        )
    return Article("h", text, draw(st.sampled_from([None, "2025-01-01"]))), quotes


@settings(max_examples=200)
@given(article_with_quotes())
def test_inarticle_never_crashes_and_keeps_quotes(
    case: tuple[Article, list[Quote]],
) -> None:
    art, quotes = case
    out = check_article(art, quotes)
    assert len(out) == len(quotes)
    for before, after in zip(quotes, out, strict=True):
        assert after.content == before.content
        assert after.content_span == before.content_span
        assert all(f.kind == "misattribution" for f in after.flags)


@settings(max_examples=100)
@given(st.lists(article_with_quotes(), max_size=4))
def test_verdict_never_crashes(cases: list[tuple[Article, list[Quote]]]) -> None:
    results = [
        Result(Article(f"a{i}", a.text, a.published), tuple(qs))
        for i, (a, qs) in enumerate(cases)
    ]
    out = verify_results(results, index=MemoryIndex())
    assert [r.article.id for r in out] == [r.article.id for r in results]
