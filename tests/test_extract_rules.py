"""Extraction rules on fictional text: one format per test."""

from __future__ import annotations

import pytest

import onrecord


def test_transcript_lines_inside_quote_marks_are_attributed_to_their_label() -> None:
    text = (
        "Partial transcript as follows:\n\n"
        '"HOLLIS: Will the ferry run this winter, Mayor Brandt?\n\n'
        '"BRANDT: It will run every day from the first of December."\n'
    )
    quotes = onrecord.extract(text).quotes
    assert [(q.speaker_mention, q.content) for q in quotes] == [
        ("HOLLIS", "Will the ferry run this winter, Mayor Brandt?"),
        ("BRANDT", "It will run every day from the first of December."),
    ]


def test_reversed_opening_mark_with_a_dash_signature() -> None:
    text = (
        "Readers answered.\n\n"
        "”The bridge should have been closed a year ago.” ― Marta Olsen\n"
    )
    (q,) = onrecord.extract(text).quotes
    assert q.content == "The bridge should have been closed a year ago."
    assert q.speaker == "Marta Olsen"


def test_parenthetical_cue_the_parser_misreads() -> None:
    text = (
        "To understand the old harbor, Chief Engineer Tomas Brandt said, "
        "one should walk the sea wall at low tide."
    )
    (q,) = onrecord.extract(text).quotes
    assert q.speaker == "Tomas Brandt"
    assert [text[a:b] for a, b in q.content_fragments] == [
        "To understand the old harbor",
        "one should walk the sea wall at low tide.",
    ]


def test_passive_cue_credits_its_agent_with_the_subject() -> None:
    text = "The harbor tax plan was endorsed by the Fishermen's Guild on Monday."
    (q,) = onrecord.extract(text).quotes
    assert q.content == "The harbor tax plan"
    assert q.speaker_mention == "the Fishermen's Guild"


def test_as_clause_cue_credits_the_clause_it_comments_on() -> None:
    text = "As the harbor master noted, the old pier cannot hold another ferry."
    (q,) = onrecord.extract(text).quotes
    assert q.content == "the old pier cannot hold another ferry."
    assert q.speaker_mention == "the harbor master"


def test_temporal_as_clause_keeps_its_own_object() -> None:
    text = "The ferry left as the harbor master discussed the new schedule."
    (q,) = onrecord.extract(text).quotes
    assert q.content == "the new schedule"


def test_open_complement_of_a_confident_cue_is_the_content() -> None:
    text = "The council proposed closing the north pier for the winter."
    (q,) = onrecord.extract(text).quotes
    assert q.content == "closing the north pier for the winter"
    assert q.speaker_mention == "The council"


def test_confident_cue_that_usually_takes_a_clause_may_take_an_object() -> None:
    text = "Two council members have questioned the cost of the new ferry terminal."
    (q,) = onrecord.extract(text).quotes
    assert q.content == "the cost of the new ferry terminal"
    assert q.speaker_mention == "Two council members"


def test_cue_inside_another_attributions_content_is_not_a_second_quote() -> None:
    text = (
        "The mayor said the harbor master had complained about the delays "
        "at the north pier."
    )
    (q,) = onrecord.extract(text).quotes
    assert q.speaker_mention == "The mayor"
    assert q.content == (
        "the harbor master had complained about the delays at the north pier"
    )


def test_stance_verb_with_at_takes_its_object_as_content() -> None:
    (q,) = onrecord.extract("The fishermen balked at the new harbor fees.").quotes
    assert q.content == "the new harbor fees"
    assert q.speaker_mention == "The fishermen"


def test_quote_paragraph_after_a_said_clause_continues_the_statement() -> None:
    text = (
        "“The ferry will not run this winter,” the harbor master said.\n\n"
        "“We have no crew for it. The boats need repairs first.”\n"
    )
    (q,) = onrecord.extract(text).quotes
    assert q.speaker_mention == "the harbor master"
    assert [text[a:b] for a, b in q.content_fragments] == [
        "The ferry will not run this winter,",
        "We have no crew for it. The boats need repairs first.",
    ]


def test_quote_after_a_participle_clause_continues_the_said_quote() -> None:
    text = (
        "“You cannot fix a pier you do not understand,” Voss said, stressing that "
        "the survey came first. “We measured every post before we touched one.”"
    )
    said, stressing = onrecord.extract(text).quotes
    assert said.cue == "said"
    assert [text[a:b] for a, b in said.content_fragments] == [
        "You cannot fix a pier you do not understand,",
        "We measured every post before we touched one.",
    ]
    assert stressing.content == "the survey came first"


def test_quotes_either_side_of_two_cues_go_to_the_nearer_cue() -> None:
    text = (
        "“Keep the lights on,” Marta Olsen sings to the crowd before asking them, "
        "“Who is ready to go home?”"
    )
    sings, asking = onrecord.extract(text).quotes
    assert (sings.cue, sings.content) == ("sings", "Keep the lights on,")
    assert (asking.cue, asking.content) == ("asking", "Who is ready to go home?")


def test_signed_paragraph_with_mispaired_marks_is_one_quote() -> None:
    text = (
        "Readers wrote in.\n\n"
        "“The ferry is late again and nobody at the harbor office will say why. "
        "As my father told me ‘Never trust a timetable.” He was right about "
        "“the harbor’.” ― Lena Voss\n"
    )
    (q,) = onrecord.extract(text).quotes
    assert q.speaker == "Lena Voss"
    assert q.content.startswith("The ferry is late again")
    assert q.content.endswith("“the harbor’.")


def test_one_quoted_word_is_a_label_not_a_quotation() -> None:
    text = (
        "Across the valley, farmers have been startled by the council\u2019s "
        "\u201creckless\u201d water plan."
    )
    assert onrecord.extract(text).quotes == ()


def test_participle_after_a_said_clause_shares_its_speaker() -> None:
    text = (
        "''We have shown the valley we can build bridges like beavers,'' "
        "Mr. Brandt said, not even needing to mention the author of that boast, "
        "Marta Olsen, who retired last spring."
    )
    quotes = onrecord.extract(text).quotes
    (later,) = [q for q in quotes if q.content == "the author of that boast"]
    assert later.speaker_mention == "Mr. Brandt"


def test_coordinated_participle_shares_the_clause_subject() -> None:
    text = (
        "Mr. Brandt hardly settled the question, treating the complaint first as a "
        "joke -- ''That makes me rich'' -- and, when pressed after the meeting, "
        "asserting, ''Of course, I pay the pilots.''"
    )
    (q,) = [q for q in onrecord.extract(text).quotes if "pilots" in q.content]
    assert q.speaker_mention == "Mr. Brandt"


def test_finite_cue_hung_on_the_reported_clause_keeps_the_reporter() -> None:
    text = (
        "Voss said this week that the council would formally declare its plan by "
        "March and suggested that it would sell the old pier."
    )
    (q,) = [
        q for q in onrecord.extract(text).quotes if q.content.startswith("it would")
    ]
    assert q.speaker_mention == "Voss"


def test_relative_pronoun_the_parser_detached_still_names_its_antecedent() -> None:
    text = (
        "To settle the dispute, they turned to the Harbor Safety Office which "
        "reported “412 late sailings” on the island route between March 1 and "
        "June 30."
    )
    (q,) = onrecord.extract(text).quotes
    assert q.speaker_mention == "which"
    assert q.speaker == "Harbor Safety Office"


def test_quote_in_a_sentence_with_its_own_subject_names_that_subject() -> None:
    text = (
        "“We will keep the ferry running,” Mayor Lena Voss said.\n\n"
        "Brandt tells his supporters at a harbor rally to “go to the pier and wait” "
        "and then “go find another pier and sit there with your neighbors and make "
        "sure the boats are on time.”"
    )
    (q,) = [q for q in onrecord.extract(text).quotes if "neighbors" in q.content]
    assert q.speaker_mention == "Brandt"


def test_for_participle_after_an_object_is_the_objects_statement() -> None:
    text = (
        "The committee censured Tomas Brandt for refusing to testify about the "
        "ferry contracts."
    )
    (q,) = onrecord.extract(text).quotes
    assert q.speaker_mention == "Tomas Brandt"


def test_according_to_a_speech_someone_gave_names_the_speaker() -> None:
    text = (
        "The old pier is meant to close by May, according to a speech Mayor "
        "Lena Voss delivered at the harbor last week."
    )
    (q,) = onrecord.extract(text).quotes
    assert q.speaker == "Lena Voss"


def test_sentence_initial_participle_takes_the_following_subject() -> None:
    text = (
        "Claiming the closure of the pier is designed to punish the fishermen, "
        'Brandt told the radio station that "they hit the harbor first."'
    )
    quotes = onrecord.extract(text).quotes
    assert quotes
    assert all(q.speaker_mention == "Brandt" for q in quotes)


def test_participle_hung_on_the_reported_clause_is_the_reporters() -> None:
    text = (
        "Analysts said geopolitical factors have helped the island win support, "
        "citing the strategic importance of its harbor."
    )
    (q,) = [q for q in onrecord.extract(text).quotes if q.cue == "citing"]
    assert q.speaker_mention == "Analysts"


def test_quoted_wording_named_as_a_phrase_is_its_users() -> None:
    text = (
        "Mayor Lena Voss has used the phrase \u201charbor renewal\u201d in every "
        "speech this year."
    )
    (q,) = onrecord.extract(text).quotes
    assert q.content == "harbor renewal"
    assert q.speaker == "Lena Voss"
    assert q.kind == "direct"


def test_quoted_name_after_known_as_is_an_attribution_without_a_speaker() -> None:
    text = (
        "The record shop sits in a building known as the \u201cOld Ferry House.\u201d"
    )
    (q,) = onrecord.extract(text).quotes
    assert q.content == "Old Ferry House."
    assert q.speaker is None
    assert q.cue == "known as"


def test_so_called_is_a_scare_quote_not_a_name() -> None:
    text = "The council dropped the so-called \u201criver tax\u201d in May."
    assert onrecord.extract(text).quotes == ()


def test_object_of_prompted_speaks_the_open_complement() -> None:
    text = (
        "The delays prompted harbor master Tomas Brandt to predict another "
        "winter of closures."
    )
    (q,) = onrecord.extract(text).quotes
    assert q.speaker_mention == "harbor master Tomas Brandt"
    assert q.content == "another winter of closures"


def test_object_of_used_does_not_speak_the_purpose_clause() -> None:
    text = "The mayor used the budget speech to attack the ferry operators again."
    quotes = onrecord.extract(text).quotes
    assert quotes
    assert all(q.speaker_mention == "The mayor" for q in quotes)


def test_name_after_a_cue_that_follows_the_quote_is_its_speaker() -> None:
    text = (
        "\u201cThe ferry is late again,\u201d added another harbor pilot. "
        "\u201cNobody told us why.\u201d"
    )
    (q,) = onrecord.extract(text).quotes
    assert q.speaker_mention == "another harbor pilot"
    assert [text[a:b] for a, b in q.content_fragments] == [
        "The ferry is late again,",
        "Nobody told us why.",
    ]


def test_an_age_as_speaker_is_a_person_not_a_timestamp() -> None:
    text = (
        "\u201cWe have waited long enough for this bridge,\u201d said the 72-year-old."
    )
    (q,) = onrecord.extract(text).quotes
    assert q.speaker_mention == "the 72-year-old"
    assert q.content == "We have waited long enough for this bridge,"


def test_quote_split_by_its_cue_keeps_both_pieces() -> None:
    texts = [
        "\u201cFrankly,\u201d the harbor master said, "
        "\u201cthe old pier should have been closed years ago.\u201d",
        "\u201cI think the ferry will run on time,\u201d Brandt said during a visit "
        "to the harbor, \u201cbut a lot of riders are going to be watching.\u201d",
    ]
    for text in texts:
        (q,) = onrecord.extract(text).quotes
        first, second = (text[a:b] for a, b in q.content_fragments)
        assert first.startswith(("Frankly", "I think"))
        assert second.startswith(("the old pier", "but a lot"))


def test_abbreviation_is_no_sentence_end_before_a_continued_quote() -> None:
    text = (
        "\u201cWe expect the ferry to run all winter,\u201d Brandt said at the "
        "St. Ives harbor office on Monday.\n\n"
        "\u201cThe crews are ready and the new engines have been tested.\u201d\n"
    )
    (q,) = onrecord.extract(text).quotes
    assert [text[a:b] for a, b in q.content_fragments] == [
        "We expect the ferry to run all winter,",
        "The crews are ready and the new engines have been tested.",
    ]


def test_unclaimed_quote_takes_the_cue_after_it_whatever_its_tag() -> None:
    text = (
        "\u201cThis is wonderful!\u201d beamed Lena Voss of Harwick, who drove two "
        "hours to see the new ferry."
    )
    (q,) = onrecord.extract(text).quotes
    assert q.content == "This is wonderful!"
    assert q.speaker_mention is not None
    assert q.speaker_mention.startswith("Lena Voss")


def test_unclaimed_quote_takes_the_name_between_it_and_the_cue() -> None:
    text = (
        "\u201cI am calling from the harbor office. Is this a good time?\u201d "
        "Nilsen, a retired ferry pilot, said quietly into the phone."
    )
    (q,) = onrecord.extract(text).quotes
    assert q.content == "I am calling from the harbor office. Is this a good time?"
    assert q.speaker_mention is not None
    assert q.speaker_mention.startswith("Nilsen")


def test_quoted_title_opening_a_sentence_is_not_speech() -> None:
    text = "\u201cHarbor Lights,\u201d the film that opened on Friday, runs two hours."
    assert onrecord.extract(text).quotes == ()


def test_object_of_a_control_verb_keeps_its_open_complement() -> None:
    text = "Mayor Brandt has encouraged other towns to build their own sea walls."
    (q,) = onrecord.extract(text).quotes
    assert q.content == "other towns to build their own sea walls"
    assert q.speaker_mention == "Mayor Brandt"


def test_content_goes_on_after_an_aside_between_two_dashes() -> None:
    text = (
        "The harbor authority estimates that the largest ferries -- those built "
        "before 1990 -- will need new engines within five years."
    )
    (q,) = onrecord.extract(text).quotes
    assert q.content.endswith("will need new engines within five years")
    assert "those built before 1990" in q.content


def test_content_still_ends_at_a_single_dash() -> None:
    text = (
        "The mayor said the pier will reopen in May - a date the ferry crews "
        "have heard before."
    )
    (q,) = onrecord.extract(text).quotes
    assert q.content == "the pier will reopen in May"


def test_statement_ending_in_quote_marks_starts_with_its_sentence() -> None:
    text = (
        "However useful the old ferry was, keeping it in service \u201cis simply "
        "too expensive,\u201d said Omar Lind, the harbor treasurer."
    )
    (q,) = onrecord.extract(text).quotes
    assert q.content.startswith("However useful the old ferry was")
    assert q.kind == "mixed"
    assert q.speaker_mention is not None
    assert q.speaker_mention.startswith("Omar Lind")


def test_quoted_title_inside_a_sentence_keeps_its_own_span() -> None:
    text = "In his memoir, \u201cHarbor Days,\u201d Voss wrote about the winter storms."
    for q in onrecord.extract(text).quotes:
        assert not q.content.startswith("In his memoir")


def test_content_ends_before_a_relative_clause_that_closes_it() -> None:
    text = (
        "Several council members questioned the cost of the new pier, which has "
        "already doubled since the first estimate."
    )
    (q,) = onrecord.extract(text).quotes
    assert q.content == "the cost of the new pier"


def test_content_goes_on_after_an_apposition_closed_by_a_comma() -> None:
    text = (
        "Federal prosecutors in April charged two harbor developers, Tomas Brandt "
        "and Lena Voss, with defrauding investors from at least 12 countries."
    )
    (q,) = onrecord.extract(text).quotes
    assert q.content.startswith("two harbor developers, Tomas Brandt and Lena Voss")
    assert q.content.endswith("with defrauding investors from at least 12 countries")


def _quotes(model: str, text: str) -> tuple[onrecord.Quote, ...]:
    """The quotes of ``text`` with the pipeline ``model`` (sm or fast)."""
    return (
        onrecord.Pipeline(onrecord.Options(model=model))
        .process(onrecord.Article("t", text))
        .quotes
    )


@pytest.mark.parametrize("model", ["sm", "fast"])
@pytest.mark.parametrize(
    ("text", "speaker", "cue"),
    [
        # the verbs above the cue, after the quote, are not cues ("watched", "stood"):
        # with no quote after it, the cue still takes the quote before it
        (
            "“The plan is dead,” voters watched Moreno say on television.",
            "Moreno",
            "say",
        ),
        (
            "“This is over,” the senator stood up and declared.",
            "the senator",
            "declared",
        ),
    ],
)
def test_quote_before_a_cue_under_a_verb_that_is_no_cue(
    model: str, text: str, speaker: str, cue: str
) -> None:
    quotes = _quotes(model, text)
    assert [(q.speaker, q.cue, q.kind) for q in quotes] == [(speaker, cue, "direct")]


@pytest.mark.parametrize("model", ["sm", "fast"])
@pytest.mark.parametrize(
    ("text", "speaker", "cue"),
    [
        # a participle or infinitive cue on the object of a clause: its subject speaks
        (
            "Mayor Ada Moreno unleashed a series of posts criticizing the budget.",
            "Ada Moreno",
            "criticizing",
        ),
        (
            "Moreno never missed a chance to remind voters the bridge was her idea.",
            "Moreno",
            "to remind",
        ),
        (
            "Governor Tom Baird wrote a letter urging lawmakers to pass the bill.",
            "Tom Baird",
            "urging",
        ),
    ],
)
def test_cue_on_the_object_of_a_clause_speaks_for_its_subject(
    model: str, text: str, speaker: str, cue: str
) -> None:
    quotes = _quotes(model, text)
    assert [(q.speaker, q.cue) for q in quotes] == [(speaker, cue)]
