"""In-article checks: fictional articles, and the example article's gold quotes."""

from __future__ import annotations

import dataclasses
import re
from typing import Any

import pytest

from onrecord.types import Article, Quote
from onrecord.verify import check_article


def build(
    text: str, specs: list[tuple[str, str, str | None]]
) -> tuple[Article, list[Quote]]:
    """Quotes from (content, speaker mention, resolved speaker), found in text."""
    quotes = []
    for content, mention, resolved in specs:
        cs = text.index(content)
        # the mention nearest to the content
        hits = [m.start() for m in re.finditer(re.escape(mention), text)]
        ss = min(hits, key=lambda h: abs(h - cs))
        quotes.append(
            Quote(
                kind="direct",
                content=content,
                content_span=(cs, cs + len(content)),
                speaker=resolved,
                speaker_mention=mention,
                speaker_span=(ss, ss + len(mention)),
            )
        )
    return Article("t", text, "2025-03-01"), quotes


RUN = (
    "Harbour minister Lena Vasquez told reporters that the port would reopen. "
    "“The cranes are back and the channel is clear,” said Brannock. "
    "However, she stated that the night shifts would wait until June. "
    "Vasquez also said that the ferry fares would stay the same."
)


def test_inarticle_unintroduced_name_inside_a_run() -> None:
    art, quotes = build(
        RUN,
        [
            ("the port would reopen", "Lena Vasquez", "Lena Vasquez"),
            ("The cranes are back and the channel is clear,", "Brannock", "Brannock"),
            ("the night shifts would wait until June", "she", "Brannock"),
            ("the ferry fares would stay the same", "Vasquez", "Lena Vasquez"),
        ],
    )
    out = check_article(art, quotes)
    assert [len(q.flags) for q in out] == [0, 1, 0, 0]
    flag = out[1].flags[0]
    assert flag.kind == "misattribution"
    assert flag.likely_speaker == "Lena Vasquez"
    assert "Brannock" in flag.evidence
    assert flag.score >= 0.9


def test_inarticle_unintroduced_name_alone_is_a_weak_flag() -> None:
    text = (
        "The council met on Tuesday. “We have the money for two schools,” "
        "Brannock said. The vote is next week."
    )
    art, quotes = build(
        text, [("We have the money for two schools,", "Brannock", "Brannock")]
    )
    (q,) = check_article(art, quotes)
    assert [f.kind for f in q.flags] == ["misattribution"]
    assert q.flags[0].score <= 0.5
    assert q.flags[0].likely_speaker is None


@pytest.mark.parametrize(
    ("text", "mention"),
    [
        # introduced before, surname later: normal news style
        (
            "Council leader Tom Brannock opened the meeting. “We have the money "
            "for two schools,” Brannock said.",
            "Brannock",
        ),
        # groups and organisations are not people to introduce
        (
            "Protesters gathered. “No more tolls on the bridge,” Protesters chanted.",
            "Protesters",
        ),
        ("“Prices will rise again in May,” The Ledger reported.", "The Ledger"),
        ("“Prices will rise again in May,” NATO said.", "NATO"),
    ],
)
def test_inarticle_no_false_alarm(text: str, mention: str) -> None:
    content = re.search(r"“(.*?)”", text)
    assert content is not None
    art, quotes = build(text, [(content.group(1), mention, None)])
    assert check_article(art, quotes)[0].flags == ()


def test_inarticle_mention_cannot_be_the_credited_speaker() -> None:
    text = (
        "Harbour minister Lena Vasquez and mayor Tom Brannock met on Monday. "
        "“The channel is clear,” Vasquez said. “The fares stay,” Brannock said."
    )
    art, quotes = build(
        text,
        [
            ("The channel is clear,", "Vasquez", "Tom Brannock"),  # record swapped
            ("The fares stay,", "Brannock", "Tom Brannock"),
        ],
    )
    out = check_article(art, quotes)
    assert [f.kind for f in out[0].flags] == ["misattribution"]
    assert out[0].flags[0].likely_speaker == "Lena Vasquez"
    assert out[1].flags == ()


def test_inarticle_pronoun_gender_contradicts_speaker() -> None:
    text = (
        "Ms. Lena Vasquez spoke first. “The channel is clear,” she said. "
        "Mr. Tom Brannock answered. “The fares stay,” she said."
    )
    quotes = []
    for content, speaker in [
        ("The channel is clear,", "Lena Vasquez"),
        ("The fares stay,", "Tom Brannock"),
    ]:
        start = text.index(content)
        span = (start, start + len(content))
        quotes.append(
            Quote("direct", content, span, speaker=speaker, speaker_mention="she")
        )
    out = check_article(Article("t", text), quotes)
    assert out[0].flags == ()
    assert [f.kind for f in out[1].flags] == ["misattribution"]


@pytest.mark.parametrize(
    ("mention", "speaker", "speaker_type", "likely"),
    [
        ("the agency", "Tom Brannock", "person", None),  # an agency is no person
        ("The Harbour Ledger", "Tom Brannock", "person", None),
        ("a senior adviser", "Harbour Ledger", "organisation", None),
        ("the mayor", "Lena Vasquez", "person", "Tom Brannock"),  # Mayor Tom Brannock
    ],
)
def test_inarticle_role_contradicts_speaker(
    mention: str, speaker: str, speaker_type: str, likely: str | None
) -> None:
    text = (
        "Harbour minister Lena Vasquez and Mayor Tom Brannock met on Monday. "
        f"“The fares stay,” {mention} said."
    )
    start = text.index("The fares stay,")
    ss = text.index(mention, start)
    q = Quote(
        "direct",
        "The fares stay,",
        (start, start + 15),
        speaker=speaker,
        speaker_type=speaker_type,
        speaker_mention=mention,
        speaker_span=(ss, ss + len(mention)),
    )
    (out,) = check_article(Article("t", text), [q])
    assert [f.kind for f in out.flags] == ["misattribution"]
    assert out.flags[0].likely_speaker == likely


@pytest.mark.parametrize(
    ("mention", "speaker"),
    [
        ("the mayor", "Tom Brannock"),
        ("The Republican", "Tom Brannock"),
        ("the Brannock campaign", "Tom Brannock"),
        ("The Harbour Ledger", "Harbour Ledger"),
    ],
)
def test_inarticle_role_fits_speaker(mention: str, speaker: str) -> None:
    text = f"Mayor Tom Brannock spoke on Monday. “The fares stay,” {mention} said."
    start = text.index("The fares stay,")
    q = Quote(
        "direct", "The fares stay,", (start, start + 15),
        speaker=speaker, speaker_mention=mention,
    )  # fmt: skip
    assert check_article(Article("t", text), [q])[0].flags == ()


def _flags(text: str, specs: list[tuple[str, str, str | None]], **types: str) -> list:
    """The flags check_article gives each quote of a fictional article."""
    art, quotes = build(text, specs)
    quotes = [
        dataclasses.replace(q, speaker_type=types.get(f"q{i}"))
        for i, q in enumerate(quotes)
    ]
    return [q.flags for q in check_article(art, quotes)]


HARBOUR = (
    "Harbour minister Lena Vasquez opened the new pier on Monday. "
    "“The cranes are back and the channel is clear,” Vasquez said. "
    "“Night shifts start in June,” she said.\n\n"
    "Council leader Tom Brannock was less sure. "
    "“The budget will not stretch that far,” Brannock said. "
    "“We have asked for an audit,” he added."
)
HARBOUR_QUOTES: list[tuple[str, str, str | None]] = [
    ("The cranes are back and the channel is clear,", "Vasquez", "Lena Vasquez"),
    ("Night shifts start in June,", "she", "Lena Vasquez"),
    ("The budget will not stretch that far,", "Brannock", "Tom Brannock"),
    ("We have asked for an audit,", "he", "Tom Brannock"),
]


def test_inarticle_clean_runs_have_no_flags() -> None:
    assert all(f == () for f in _flags(HARBOUR, HARBOUR_QUOTES))


def test_inarticle_pronoun_continuing_someone_else() -> None:
    # the record credits "he added" to Vasquez although Brannock's quotes
    # go on around it and no one else is named in between
    text = HARBOUR + " “The audit is due in May,” Brannock said."
    specs = [*HARBOUR_QUOTES, ("The audit is due in May,", "Brannock", "Tom Brannock")]
    specs[3] = ("We have asked for an audit,", "he", "Lena Vasquez")
    flags = _flags(text, specs)
    assert [len(f) for f in flags] == [0, 0, 0, 1, 0]
    assert flags[3][0].likely_speaker == "Tom Brannock"


def test_inarticle_pronoun_without_referent() -> None:
    # "he" credited to someone the article names nowhere before it
    text = (
        "Ferry captain Ilse Marko warned of storms.\n\n"
        + "The council meets again in spring. " * 30
        + "\n\nPort engineer Dario Feld spoke next. “The pier holds,” Feld said. "
        "“It was built for worse,” he said."
    )
    specs = [
        ("The pier holds,", "Feld", "Dario Feld"),
        ("It was built for worse,", "he", "Ilse Marko"),
    ]
    flags = _flags(text, specs)
    assert [len(f) for f in flags] == [0, 1]
    assert flags[1][0].likely_speaker == "Dario Feld"


def test_inarticle_pronoun_for_an_organisation() -> None:
    text = (
        "The Harbour Ledger reported the closure. Port engineer Dario Feld "
        "disagreed. “The pier holds,” he said."
    )
    flags = _flags(
        text, [("The pier holds,", "he", "Harbour Ledger")], q0="organisation"
    )
    assert [f.kind for f in flags[0]] == ["misattribution"]


def test_inarticle_name_out_of_run_by_next_pronoun() -> None:
    # the text names Brannock, but the "she said" that goes on is Vasquez's
    text = (
        "Harbour minister Lena Vasquez opened the new pier on Monday. "
        "“The cranes are back,” Vasquez said. “The channel is clear,” Brannock "
        "said. “Night shifts start in June,” she said. Vasquez left at noon.\n\n"
        "Council leader Tom Brannock was less sure. “The budget is thin,” "
        "Brannock said."
    )
    specs = [
        ("The cranes are back,", "Vasquez", "Lena Vasquez"),
        ("The channel is clear,", "Brannock", "Tom Brannock"),
        ("Night shifts start in June,", "she", "Lena Vasquez"),
        ("The budget is thin,", "Brannock", "Tom Brannock"),
    ]
    flags = _flags(text, specs)
    assert [len(f) for f in flags] == [0, 1, 0, 0]
    assert flags[1][0].likely_speaker == "Lena Vasquez"


def test_inarticle_quote_speaks_of_its_speaker_in_the_third_person() -> None:
    text = (
        "Council leader Tom Brannock attacked the port plan. “The minister has "
        "no money,” Brannock said. “Vasquez's pier is a gift to shipowners,” "
        "Vasquez said. “We will vote it down,” Brannock said.\n\n"
        "Harbour minister Lena Vasquez did not reply."
    )
    specs = [
        ("The minister has no money,", "Brannock", "Tom Brannock"),
        ("Vasquez's pier is a gift to shipowners,", "Vasquez", "Lena Vasquez"),
        ("We will vote it down,", "Brannock", "Tom Brannock"),
    ]
    art, quotes = build(text, specs)
    at = text.index("Vasquez said")  # not the "Vasquez's" inside the quote
    quotes[1] = dataclasses.replace(quotes[1], speaker_span=(at, at + 7))
    flags = [q.flags for q in check_article(art, quotes)]
    assert [len(f) for f in flags] == [0, 1, 0]
    assert flags[1][0].likely_speaker == "Tom Brannock"
    assert "third person" in flags[1][0].evidence


def test_inarticle_surname_before_introduction() -> None:
    text = (
        "The harbour reopened on Monday.\n\n"
        "“The channel is clear,” Feld said of the dredging.\n\n"
        "Port engineer Dario Feld, who led the works, will retire in May."
    )
    flags = _flags(text, [("The channel is clear,", "Feld", "Dario Feld")])
    assert [f.kind for f in flags[0]] == ["misattribution"]
    assert "introduces Dario Feld" in flags[0][0].evidence


def test_inarticle_next_sentence_pronoun_of_the_other_gender() -> None:
    text = (
        "Ms. Lena Vasquez and Mr. Tom Brannock met on Monday. Brannock said "
        "he was tired. “The channel is clear,” Brannock said. She then left "
        "for the pier."
    )
    flags = _flags(text, [("The channel is clear,", "Brannock", "Tom Brannock")])
    assert [f.kind for f in flags[0]] == ["misattribution"]


@pytest.mark.parametrize(
    ("mention", "speaker", "speaker_type", "likely"),
    [
        ("the senator", "Tom Brannock", "person", "Ilse Marko"),  # Sen. Ilse Marko
        ("The Harbour Ledger", "Velmar Courier", "organisation", "Harbour Ledger"),
        ("VHA", "Tom Brannock", "person", None),  # an acronym is no person
    ],
)
def test_inarticle_role_or_organisation_of_someone_else(
    mention: str, speaker: str, speaker_type: str, likely: str | None
) -> None:
    text = (
        "Sen. Ilse Marko and council leader Tom Brannock toured the pier, "
        f"reported the Velmar Courier. “The fares stay,” {mention} said."
    )
    flags = _flags(text, [("The fares stay,", mention, speaker)], q0=speaker_type)
    assert [f.kind for f in flags[0]] == ["misattribution"]
    assert flags[0][0].likely_speaker == likely


@pytest.mark.parametrize(
    ("mention", "speaker"),
    [
        ("Velmar Harbour Authority Chairman Tomas Reyes", "Tomas Reyes"),
        ("Mayor Joseph R. Alder Jr.", "Joseph Alder"),
        ("the senator", "Ilse Marko"),
    ],
)
def test_inarticle_long_titles_and_roles_fit(mention: str, speaker: str) -> None:
    text = (
        "Sen. Ilse Marko, Mayor Joseph R. Alder Jr. and Tomas Reyes toured the "
        f"pier. “The fares stay,” {mention} said."
    )
    flags = _flags(text, [("The fares stay,", mention, speaker)])
    assert flags[0] == ()


@pytest.mark.parametrize(
    ("text", "mention", "speaker", "speaker_type", "likely"),
    [
        # a relative pronoun means the name right before it
        (
            "Council leader Tom Brannock and Sen. Ilse Marko toured the pier. "
            "Brannock, who opened it, said the fares stay.",
            "who",
            "Ilse Marko",
            "person",
            "Tom Brannock",
        ),
        (
            "The Velmar Courier and the Harbour Ledger covered the pier. "
            "The Harbour Ledger, which sent two reporters, said the fares stay.",
            "which",
            "Velmar Courier",
            "organisation",
            "The Harbour Ledger",
        ),
        # "they" is no single person
        (
            "Dock workers met Tom Brannock. Later they said the fares stay.",
            "they",
            "Tom Brannock",
            "person",
            None,
        ),
        # the writer ("I") is not someone the article quotes by name
        (
            "Tom Brannock said the pier was ready. I think the fares stay.",
            "I",
            "Tom Brannock",
            "person",
            None,
        ),
    ],
)
def test_inarticle_pronoun_kinds(
    text: str, mention: str, speaker: str, speaker_type: str, likely: str | None
) -> None:
    content = "the fares stay" if "fares stay" in text else ""
    at = text.rindex(mention + " ") if mention != "I" else text.index("I think")
    cs = text.index(content)
    quotes = [
        Quote(
            "indirect",
            content,
            (cs, cs + len(content)),
            speaker=speaker,
            speaker_type=speaker_type,
            speaker_mention=mention,
            speaker_span=(at, at + len(mention)),
        )
    ]
    if mention == "I":
        ps = text.index("the pier was ready")
        quotes.insert(
            0,
            Quote(
                "indirect",
                "the pier was ready",
                (ps, ps + 18),
                speaker="Tom Brannock",
                speaker_mention="Tom Brannock",
                speaker_span=(0, 12),
            ),
        )
    flags = [q.flags for q in check_article(Article("t", text), quotes)]
    assert [f.kind for f in flags[-1]] == ["misattribution"]
    assert flags[-1][0].likely_speaker == likely
    assert all(f == () for f in flags[:-1])


def test_inarticle_pronoun_chain_goes_on_from_its_head() -> None:
    text = (
        "Port engineer Dario Feld spoke first. “The pier holds,” Feld said. "
        "“It was built for worse,” he said. “The storms will not move it,” "
        "he added."
    )
    specs = [
        ("The pier holds,", "Feld", "Dario Feld"),
        ("It was built for worse,", "he", "Dario Feld"),
        ("The storms will not move it,", "he", "Tom Brannock"),  # record slip
    ]
    flags = _flags(text + " Council leader Tom Brannock left.", specs)
    assert [len(f) for f in flags] == [0, 0, 1]
    assert flags[2][0].likely_speaker == "Dario Feld"


def test_inarticle_pair_with_no_clue_flags_both() -> None:
    # "Feld said … he said" credited to two people, and a third speaks next:
    # nothing tells which record is wrong
    text = (
        "Port engineer Dario Feld and ferry captain Ilse Marko spoke on Monday. "
        "Council leader Tom Brannock listened.\n\n"
        "“The pier holds,” Feld said. “It was built for worse,” he said. "
        "“We will see,” Marko said."
    )
    specs = [
        ("The pier holds,", "Feld", "Dario Feld"),
        ("It was built for worse,", "he", "Tom Brannock"),
        ("We will see,", "Marko", "Ilse Marko"),
    ]
    flags = _flags(text, specs)
    assert [len(f) for f in flags] == [1, 1, 0]
    assert flags[0][0].score < 0.5
    assert "one of the two attributions" in flags[1][0].evidence


def test_inarticle_swapped_names_both_flagged() -> None:
    # Vasquez's and Brannock's names swapped between two of their quotes
    text = (
        "Harbour minister Lena Vasquez opened the pier. Council leader Tom "
        "Brannock opposed it.\n\n"
        "“The cranes are back,” Vasquez said. “The channel is clear,” Brannock "
        "said. “Night shifts start in June,” she said.\n\n"
        "“The budget is thin,” Brannock said. “Fares will rise,” Vasquez said. "
        "“We want an audit,” Brannock said."
    )
    specs = [
        ("The cranes are back,", "Vasquez", "Lena Vasquez"),
        ("The channel is clear,", "Brannock", "Tom Brannock"),
        ("Night shifts start in June,", "she", "Lena Vasquez"),
        ("The budget is thin,", "Brannock", "Tom Brannock"),
        ("Fares will rise,", "Vasquez", "Lena Vasquez"),
        ("We want an audit,", "Brannock", "Tom Brannock"),
    ]
    art, quotes = build(text, specs)
    for i, name in ((1, "Brannock"), (4, "Vasquez")):  # the second of each name
        at = text.index(f"{name} said", quotes[i].content_span[1])
        quotes[i] = dataclasses.replace(quotes[i], speaker_span=(at, at + len(name)))
    flags = [q.flags for q in check_article(art, quotes)]
    assert [len(f) for f in flags] == [0, 1, 0, 0, 1, 0]
    assert flags[1][0].likely_speaker == "Lena Vasquez"
    assert flags[4][0].likely_speaker == "Tom Brannock"
    assert "swapped" in flags[4][0].evidence


@pytest.mark.parametrize(
    ("mention", "speaker"),
    [
        ("Mr. Feld", "Tom Brannock"),  # "Mr." makes a person of a name seen once
        ("Secretary of State Ilse Marko", "Tom Brannock"),
    ],
)
def test_inarticle_named_mention_of_someone_else(mention: str, speaker: str) -> None:
    text = (
        "Ilse Marko, Tom Brannock and Ed King toured the new pier on a cold and "
        "windy morning after the long dispute about the budget was over. "
        f"“The fares stay,” {mention} said."
    )
    flags = _flags(text, [("The fares stay,", mention, speaker)])
    assert [f.kind for f in flags[0]] == ["misattribution"]


def test_inarticle_empty_inputs() -> None:
    assert check_article(Article("t", ""), []) == ()
    q = Quote("direct", "x", (0, 1))
    assert check_article(Article("t", ""), [q]) == (q,)


# ---------------------------------------------------------------------------
# the example article (gold spans; read from shared/, never copied)
# ---------------------------------------------------------------------------


def _gold_quotes(gold: dict[str, Any], *, resolved: bool) -> list[Quote]:
    out = []
    for g in gold["quotes"]:
        span = g.get("speaker_span")
        out.append(
            Quote(
                kind=g["kind"],
                content=g["content"],
                content_span=(g["content_span"][0], g["content_span"][1]),
                speaker=g["speaker"] if resolved else g["speaker_text"],
                speaker_span=(span[0], span[1]) if span else None,
                speaker_mention=g["speaker_text"],
                cue=g.get("cue"),
            )
        )
    return out


@pytest.mark.parametrize("resolved", [True, False])
def test_inarticle_example_article_single_flag(
    example_gold: dict[str, Any], resolved: bool
) -> None:
    art = Article(example_gold["id"], example_gold["text"], example_gold["published"])
    out = check_article(art, _gold_quotes(example_gold, resolved=resolved))
    flagged = [(i, q) for i, q in enumerate(out) if q.flags]
    expected = [
        i for i, g in enumerate(example_gold["quotes"]) if g.get("expected_flag")
    ]
    assert [i for i, _ in flagged] == expected
    for i, q in flagged:
        gold = example_gold["quotes"][i]
        (flag,) = q.flags
        assert flag.kind == gold["expected_flag"]
        assert flag.likely_speaker == gold["likely_speaker"]
        assert "Macron" in flag.evidence
