"""Cross-article verification on fictional quotes: one test per flag kind."""

from __future__ import annotations

import pytest

import onrecord.verify as verify
from onrecord.types import Article, Quote, Result
from onrecord.verify import (
    IndexedQuote,
    LayeredIndex,
    MemoryIndex,
    QuoteIndex,
    lsh_keys,
    provenance,
    same_speaker,
    verify_results,
    word_diff,
)
from onrecord.verify.normalize import normalize, parse_name

FARM = "We will never accept a plan that leaves our farmers behind, whatever the price"
BRIDGE = (
    "The bridge will open before the winter storms reach the valley and the "
    "ferry will keep running until then"
)
HARBOUR = "Our harbour needs three new cranes and a dredging contract by the spring"


def quote(content: str, speaker: str | None = "Mara Ellison") -> Quote:
    return Quote(
        kind="direct", content=content, content_span=(0, len(content)), speaker=speaker
    )


def result(aid: str, day: str, *quotes: Quote) -> Result:
    return Result(Article(aid, "text", day), tuple(quotes))


def flags_of(res: Result) -> list[list[str]]:
    return [[f.kind for f in q.flags] for q in res.quotes]


def run(*batch: Result, index: QuoteIndex | None = None) -> list[Result]:
    return verify_results(list(batch), index=MemoryIndex() if index is None else index)


# ---------------------------------------------------------------------------
# normaliser and names
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("“We’ll win,” she said.", "we'll win she said"),
        ("Orbán's  plan", "orban's plan"),
        ("", ""),
        ("-- ... --", ""),
    ],
)
def test_normalize_words(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Ryabkov", "Sergei Ryabkov", True),
        ("Sergey Lavrov", "Sergei Lavrov", True),
        ("Trump’s", "Donald Trump", True),
        ("Rival Hillary Clinton", "Hillary Clinton", True),
        ("U.S. Secretary of State Marco Rubio", "Rubio", True),
        ("The Post", "The New York Post", True),
        ("Bill Clinton", "Hillary Clinton", False),
        ("Macron", "Sergei Ryabkov", False),
        ("Russia's deputy foreign minister", "Sergei Ryabkov", None),
        ("spokesman (unnamed)", "Sergei Ryabkov", None),
        ("he", "Sergei Ryabkov", None),
        (None, "Sergei Ryabkov", None),
    ],
)
def test_normalize_same_speaker(a: str | None, b: str, same: bool | None) -> None:
    assert same_speaker(a, b) is same


def test_normalize_parse_name_titles() -> None:
    name = parse_name("U.S. Secretary of State Marco Rubio")
    assert (name.given, name.surname) == (("marco",), "rubio")


# ---------------------------------------------------------------------------
# keys and index
# ---------------------------------------------------------------------------


def test_match_lsh_keys_deterministic_and_bounded() -> None:
    keys = lsh_keys(FARM)
    assert keys == lsh_keys(FARM.upper())  # case and punctuation never matter
    assert keys
    assert all(0 <= k < 2**62 for k in keys)
    assert lsh_keys("Very useful.") == []  # too short to be evidence


def test_match_lsh_keys_find_a_part() -> None:
    # a truncated part shares window keys with the whole
    assert set(lsh_keys(BRIDGE[:60])) & set(lsh_keys(BRIDGE))


def test_index_candidates_ranked_and_grouped() -> None:
    index = MemoryIndex()
    index.add(Article("a", "", "2025-01-01"), [quote(FARM), quote(HARBOUR)])
    index.add(Article("b", "", "2025-01-02"), [quote(FARM)])
    got = index.candidates(lsh_keys(FARM))
    assert [c.article_id for c in got[:2]] == ["a", "b"]  # one wording, two records
    assert all(c.content == FARM for c in got[:2])
    assert len(index) == 3


def test_index_layered_never_writes_base() -> None:
    base = MemoryIndex()
    base.add(Article("a", "", "2025-01-01"), [quote(FARM)])
    layered = LayeredIndex(base)
    layered.add(Article("b", "", "2025-01-02"), [quote(HARBOUR)])
    assert len(base) == 1
    assert layered.candidates(lsh_keys(HARBOUR))[0].article_id == "b"


# ---------------------------------------------------------------------------
# flag kinds
# ---------------------------------------------------------------------------


def test_verdict_conflicting_attribution() -> None:
    out = run(
        result("a", "2025-03-01", quote(FARM, "Mara Ellison")),
        result("b", "2025-03-02", quote(FARM, "Paul Okafor")),
    )
    assert flags_of(out[0]) == [[]]
    (flag,) = out[1].quotes[0].flags
    assert flag.kind == "conflicting_attribution"
    assert flag.likely_speaker == "Mara Ellison"
    assert flag.other_article == "a"


@pytest.mark.parametrize(
    "other",
    ["Ellison", "Gov. Mara Ellison", "Governor Ellison’s", "the governor", None],
)
def test_verdict_one_speaker_many_names_no_conflict(other: str | None) -> None:
    out = run(
        result("a", "2025-03-01", quote(FARM, "Mara Ellison")),
        result("b", "2025-03-02", quote(FARM, other)),
    )
    assert flags_of(out[1]) == [[]]


@pytest.mark.parametrize(
    ("new", "diff_part"),
    [
        (FARM.replace("plan", "deal"), "[-plan-] {+deal+}"),
        (FARM.replace("farmers", "farmers and fishers"), "{+and fishers+}"),
        (FARM.replace("our farmers", "farmers"), "[-our-]"),
    ],
)
def test_verdict_altered_wording(new: str, diff_part: str) -> None:
    out = run(
        result("a", "2025-03-01", quote(FARM)),
        result("b", "2025-03-02", quote(new)),
    )
    (flag,) = out[1].quotes[0].flags
    assert flag.kind == "altered_wording"
    assert flag.original == FARM
    assert flag.diff is not None
    assert diff_part in flag.diff


@pytest.mark.parametrize(
    "new",
    [
        FARM.replace("never ", ""),  # a qualifier dropped
        "The bridge will open before the winter storms reach the valley",  # a part
        "the ferry will keep running until then, the minister said on the radio",
    ],
)
def test_verdict_truncated(new: str) -> None:
    out = run(
        result("a", "2025-03-01", quote(FARM), quote(BRIDGE)),
        result("b", "2025-03-02", quote(new)),
    )
    kinds = flags_of(out[1])[0]
    if "minister" in new:  # extra words: neither a part nor a splice
        assert kinds == []
    else:
        assert kinds == ["truncated"]


def test_verdict_truncated_qualifier_diff() -> None:
    out = run(
        result("a", "2025-03-01", quote(FARM)),
        result("b", "2025-03-02", quote(FARM.replace("never ", ""))),
    )
    flag = out[1].quotes[0].flags[0]
    assert flag.diff is not None
    assert "[-never-]" in flag.diff
    assert flag.score >= 0.9


def test_verdict_spliced() -> None:
    spliced = BRIDGE + ", and " + HARBOUR
    out = run(
        result("a", "2025-03-01", quote(BRIDGE, "Mara Ellison")),
        result("b", "2025-03-01", quote(HARBOUR, "Paul Okafor")),
        result("c", "2025-03-05", quote(spliced, "Mara Ellison")),
    )
    (flag,) = out[2].quotes[0].flags
    assert flag.kind == "spliced"
    assert "Paul Okafor" in flag.evidence
    assert flag.original is not None
    assert BRIDGE in flag.original
    assert HARBOUR in flag.original


def test_verdict_fuller_later_version_is_not_flagged() -> None:
    # the earlier article quoted a part; the later one gives the whole quote
    out = run(
        result("a", "2025-03-01", quote(BRIDGE[:62])),
        result("b", "2025-03-02", quote(BRIDGE)),
    )
    assert flags_of(out[1]) == [[]]


def test_verdict_verbatim_earlier_version_suppresses_wording_flags() -> None:
    out = run(
        result("a", "2025-03-01", quote(FARM)),
        result("b", "2025-03-02", quote(FARM.replace("plan", "deal"))),
        result("c", "2025-03-03", quote(FARM)),
    )
    assert flags_of(out[2]) == [[]]


def test_verdict_later_version_is_the_suspect_in_any_input_order() -> None:
    out = run(
        result("late", "2025-03-09", quote(FARM.replace("plan", "deal"))),
        result("early", "2025-03-01", quote(FARM)),
    )
    assert flags_of(out[1]) == [[]]
    assert flags_of(out[0]) == [["altered_wording"]]


def test_verdict_same_article_and_errors_pass() -> None:
    failed = Result(Article("bad", ""), (), "unreadable")
    out = run(
        result("a", "2025-03-01", quote(FARM), quote(FARM, "Paul Okafor")), failed
    )
    assert flags_of(out[0]) == [[], []]
    assert out[1] is failed


def test_verdict_provenance_orders_by_date() -> None:
    index = MemoryIndex()
    run(
        result("b", "2025-03-04", quote(FARM)),
        result("a", "2025-03-01", quote(FARM)),
        result("c", "2025-03-02", quote(FARM.replace("plan", "deal"))),
        result("x", "2025-03-03", quote(HARBOUR)),
        index=index,
    )
    prov = provenance(FARM, index)
    assert prov.first is not None
    assert prov.first.article_id == "a"
    assert [r.article_id for r in prov.later] == ["c", "b"]
    assert (
        provenance("Nothing like anything recorded in this bank at all", index).first
        is None
    )


def test_verify_module_is_callable() -> None:
    out = verify([result("a", "2025-03-01", quote(FARM))])  # type: ignore[operator]
    assert isinstance(out, list)
    assert isinstance(out[0], Result)


def test_verify_indexed_quote_fields() -> None:
    item = IndexedQuote("a", "2025-03-01", None, FARM, "Mara Ellison")
    assert (item.speaker_id, item.index, item.kind) == (None, 0, None)


def test_match_word_diff_unchanged_and_elided() -> None:
    assert word_diff(FARM, FARM) == FARM.replace(",", "")  # words, no punctuation
    diff = word_diff(BRIDGE, BRIDGE.replace("ferry", "boat"))
    assert "[-ferry-] {+boat+}" in diff
    assert "..." in diff
