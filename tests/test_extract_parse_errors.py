"""Speaker spans when the parser errs the way a smaller, faster parser does.

Each test builds a fictional sentence with the parse (and entities) set by hand,
as a weaker pipeline parsed it, and checks the frame still finds its speaker.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from spacy.tokens import Doc

from onrecord.extract.cues import load_lexicon
from onrecord.extract.frames import Frame, FrameFinder, _complement_as_relcl

# (word, tag, pos, dep, head index)
Row = tuple[str, str, str, str, int]
_NO_SPACE_BEFORE = {",", ".", "’s", "'s", "?", "!", ";", ":"}


@cache
def _finder() -> FrameFinder:
    return FrameFinder(load_lexicon())


def _doc(rows: list[Row], ents: Sequence[tuple[int, int, str]] = ()) -> Doc:
    from onrecord._pipeline import _load_nlp, default_model

    vocab = _load_nlp(default_model()).vocab
    words = [r[0] for r in rows]
    spaces = [
        i + 1 < len(words)
        and words[i + 1] not in _NO_SPACE_BEFORE | {"”"}
        and words[i] != "“"
        for i in range(len(words))
    ]
    return Doc(
        vocab,
        words=words,
        spaces=spaces,
        tags=[r[1] for r in rows],
        pos=[r[2] for r in rows],
        deps=[r[3] for r in rows],
        heads=[r[4] for r in rows],
        ents=[
            "O"
            if not any(a <= i < b for a, b, _ in ents)
            else ("B-" if any(a == i for a, _, _ in ents) else "I-")
            + next(lab for a, b, lab in ents if a <= i < b)
            for i in range(len(rows))
        ],
    )


def _frames(
    rows: list[Row], ents: Sequence[tuple[int, int, str]] = ()
) -> list[tuple[str | None, str | None, str]]:
    doc = _doc(rows, ents)
    text = doc.text
    out = []
    for f in _finder().find(doc, text):
        out.append(_show(text, f))
    return out


def _show(text: str, f: Frame) -> tuple[str | None, str | None, str]:
    return (
        text[f.cue[0] : f.cue[1]] if f.cue else None,
        text[f.speaker[0] : f.speaker[1]] if f.speaker else None,
        " | ".join(text[a:b] for a, b in f.content),
    )


def test_clause_hung_on_an_adverb_climbs_to_the_verb_it_modifies() -> None:
    # "overnight" took "to accuse" as its complement: the accuser is who took to it
    rows: list[Row] = [
        ("Vera", "NNP", "PROPN", "compound", 1),
        ("Holm", "NNP", "PROPN", "nsubj", 2),
        ("took", "VBD", "VERB", "ROOT", 2),
        ("to", "IN", "ADP", "prep", 2),
        ("the", "DT", "DET", "det", 5),
        ("radio", "NN", "NOUN", "pobj", 3),
        ("overnight", "RB", "ADV", "advmod", 2),
        ("to", "TO", "PART", "aux", 8),
        ("claim", "VB", "VERB", "xcomp", 6),
        ("that", "IN", "SCONJ", "mark", 12),
        ("the", "DT", "DET", "det", 11),
        ("ferry", "NN", "NOUN", "nsubj", 12),
        ("was", "VBD", "AUX", "ccomp", 8),
        ("unsafe", "JJ", "ADJ", "acomp", 12),
        (".", ".", "PUNCT", "punct", 2),
    ]
    frames = _frames(rows, [(0, 2, "PERSON")])
    assert ("to claim", "Vera Holm") in [f[:2] for f in frames]


def test_clause_hung_on_an_adjective_used_as_an_adverb_climbs_to_the_verb() -> None:
    # "steering clear of claiming": "of claiming" hung on "clear", an adjective the
    # parser made an adverb of "steering"; the claimer is who steers
    rows: list[Row] = [
        ("Vera", "NNP", "PROPN", "compound", 1),
        ("Holm", "NNP", "PROPN", "nsubj", 3),
        ("is", "VBZ", "AUX", "aux", 3),
        ("steering", "VBG", "VERB", "ROOT", 3),
        ("clear", "JJ", "ADJ", "advmod", 3),
        ("of", "IN", "ADP", "prep", 4),
        ("claiming", "VBG", "VERB", "pcomp", 5),
        ("that", "IN", "SCONJ", "mark", 10),
        ("the", "DT", "DET", "det", 9),
        ("ferry", "NN", "NOUN", "nsubj", 10),
        ("was", "VBD", "AUX", "ccomp", 6),
        ("unsafe", "JJ", "ADJ", "acomp", 10),
        (".", ".", "PUNCT", "punct", 3),
    ]
    frames = _frames(rows, [(0, 2, "PERSON")])
    assert ("claiming", "Vera Holm") in [f[:2] for f in frames]


def test_finite_cue_coordinated_with_an_infinitive_goes_with_the_finite_verb() -> None:
    # "asserted" hung on "delay" (an infinitive under a participle of a prepositional
    # phrase): it is coordinated with "accused", whose subject asserts
    rows: list[Row] = [
        ("Ansel", "NNP", "PROPN", "compound", 1),
        ("Brook", "NNP", "PROPN", "nsubj", 2),
        ("accused", "VBD", "VERB", "ROOT", 2),
        ("the", "DT", "DET", "det", 4),
        ("council", "NN", "NOUN", "dobj", 2),
        ("of", "IN", "ADP", "prep", 4),
        ("trying", "VBG", "VERB", "pcomp", 5),
        ("to", "TO", "PART", "aux", 8),
        ("delay", "VB", "VERB", "xcomp", 6),
        ("the", "DT", "DET", "det", 10),
        ("vote", "NN", "NOUN", "dobj", 8),
        ("and", "CC", "CCONJ", "cc", 8),
        ("asserted", "VBD", "VERB", "conj", 8),
        ("that", "IN", "SCONJ", "mark", 16),
        ("the", "DT", "DET", "det", 15),
        ("ferry", "NN", "NOUN", "nsubj", 16),
        ("was", "VBD", "AUX", "ccomp", 12),
        ("unsafe", "JJ", "ADJ", "acomp", 16),
        (".", ".", "PUNCT", "punct", 2),
    ]
    frames = _frames(rows, [(0, 2, "PERSON")])
    assert ("asserted", "Ansel Brook", "the ferry was unsafe") in frames


def test_cue_the_tagger_took_for_a_noun_takes_the_quote_before_it() -> None:
    # "sings" tagged a plural noun but given a subject: it took the first quote, and
    # "asking" (hung on it) takes the one after
    rows: list[Row] = [
        ("“", "``", "PUNCT", "punct", 19),
        ("Hold", "VB", "VERB", "compound", 2),
        ("fast", "NN", "NOUN", "nsubj", 19),
        ("to", "IN", "ADP", "prep", 2),
        ("the", "DT", "DET", "det", 5),
        ("harbor", "NN", "NOUN", "pobj", 3),
        (",", ",", "PUNCT", "punct", 8),
        ("”", "''", "PUNCT", "punct", 8),
        ("Ines", "NNP", "PROPN", "nsubj", 9),
        ("sings", "NNS", "NOUN", "conj", 2),
        ("to", "IN", "ADP", "prep", 9),
        ("the", "DT", "DET", "det", 12),
        ("crowd", "NN", "NOUN", "pobj", 10),
        ("before", "IN", "ADP", "prep", 9),
        ("asking", "VBG", "VERB", "pcomp", 13),
        ("them", "PRP", "PRON", "dobj", 14),
        (",", ",", "PUNCT", "punct", 2),
        ("“", "``", "PUNCT", "punct", 19),
        ("Who", "WP", "PRON", "nsubj", 19),
        ("knows", "VBZ", "VERB", "ROOT", 19),
        ("the", "DT", "DET", "det", 21),
        ("way", "NN", "NOUN", "dobj", 19),
        ("home", "RB", "ADV", "advmod", 21),
        ("?", ".", "PUNCT", "punct", 19),
        ("”", "''", "PUNCT", "punct", 19),
    ]
    frames = _frames(rows, [(8, 9, "PERSON")])
    assert [f for f in frames if f[0] in {"sings", "asking"}] == [
        ("sings", "Ines", "Hold fast to the harbor,"),
        ("asking", "Ines", "Who knows the way home?"),
    ]


def test_fronted_apposition_parsed_as_a_second_subject_yields_to_the_name() -> None:
    rows: list[Row] = [
        ("A", "DT", "DET", "det", 2),
        ("longtime", "JJ", "ADJ", "amod", 2),
        ("critic", "NN", "NOUN", "nsubj", 9),
        ("of", "IN", "ADP", "prep", 2),
        ("the", "DT", "DET", "det", 5),
        ("plan", "NN", "NOUN", "pobj", 3),
        (",", ",", "PUNCT", "punct", 9),
        ("Ms.", "NNP", "PROPN", "compound", 8),
        ("Vale", "NNP", "PROPN", "nsubj", 9),
        ("said", "VBD", "VERB", "ROOT", 9),
        ("the", "DT", "DET", "det", 11),
        ("pier", "NN", "NOUN", "nsubj", 12),
        ("was", "VBD", "AUX", "ccomp", 9),
        ("unsafe", "JJ", "ADJ", "acomp", 12),
        (".", ".", "PUNCT", "punct", 9),
    ]
    frames = _frames(rows, [(8, 9, "PERSON")])
    assert frames == [("said", "Ms. Vale", "the pier was unsafe")]


def test_finite_cue_left_without_a_subject_takes_the_noun_phrase_before_it() -> None:
    # "the Harbor Court" hung on the comma; "this week" modifies the verb
    rows: list[Row] = [
        ("After", "IN", "ADP", "prep", 10),
        ("the", "DT", "DET", "det", 2),
        ("hearing", "NN", "NOUN", "pobj", 0),
        (",", ",", "PUNCT", "punct", 10),
        ("the", "DT", "DET", "det", 6),
        ("Harbor", "NNP", "PROPN", "compound", 6),
        ("Court", "NNP", "PROPN", "appos", 3),
        ("this", "DT", "DET", "det", 8),
        ("week", "NN", "NOUN", "npadvmod", 10),
        ("also", "RB", "ADV", "advmod", 10),
        ("ruled", "VBD", "VERB", "ROOT", 10),
        ("that", "IN", "SCONJ", "mark", 14),
        ("the", "DT", "DET", "det", 13),
        ("toll", "NN", "NOUN", "nsubj", 14),
        ("was", "VBD", "AUX", "ccomp", 10),
        ("unlawful", "JJ", "ADJ", "acomp", 14),
        (".", ".", "PUNCT", "punct", 10),
    ]
    frames = _frames(rows, [(4, 7, "ORG"), (7, 9, "DATE")])
    assert frames == [("ruled", "the Harbor Court", "the toll was unlawful")]


def test_coordinated_names_left_without_their_verb_are_its_subject() -> None:
    rows: list[Row] = [
        ("Before", "IN", "ADP", "prep", 7),
        ("the", "DT", "DET", "det", 2),
        ("summit", "NN", "NOUN", "pobj", 0),
        (",", ",", "PUNCT", "punct", 2),
        ("Norland", "NNP", "PROPN", "conj", 2),
        ("and", "CC", "CCONJ", "cc", 4),
        ("Vesta", "NNP", "PROPN", "conj", 4),
        ("announced", "VBD", "VERB", "ROOT", 7),
        ("that", "IN", "SCONJ", "mark", 11),
        ("the", "DT", "DET", "det", 10),
        ("border", "NN", "NOUN", "nsubj", 11),
        ("would", "MD", "AUX", "aux", 12),
        ("reopen", "VB", "VERB", "ccomp", 7),
        (".", ".", "PUNCT", "punct", 7),
    ]
    frames = _frames(rows, [(4, 5, "GPE"), (6, 7, "GPE")])
    assert frames == [("announced", "Norland and Vesta", "the border would reopen")]


def test_tensed_verb_taken_for_a_modifier_of_a_noun_has_that_noun_as_subject() -> None:
    # "met" hung on "group" as if it were a reduced relative: the group met
    rows: list[Row] = [
        ("A", "DT", "DET", "det", 1),
        ("group", "NN", "NOUN", "ROOT", 1),
        ("of", "IN", "ADP", "prep", 1),
        ("ferry", "NN", "NOUN", "compound", 4),
        ("captains", "NNS", "NOUN", "pobj", 2),
        ("met", "VBD", "VERB", "acl", 1),
        ("with", "IN", "ADP", "prep", 5),
        ("the", "DT", "DET", "det", 8),
        ("mayor", "NN", "NOUN", "pobj", 6),
        ("to", "TO", "PART", "aux", 10),
        ("demand", "VB", "VERB", "advcl", 5),
        ("that", "IN", "SCONJ", "mark", 14),
        ("the", "DT", "DET", "det", 13),
        ("pier", "NN", "NOUN", "nsubj", 14),
        ("reopen", "VB", "VERB", "ccomp", 10),
        (".", ".", "PUNCT", "punct", 1),
    ]
    frames = _frames(rows)
    assert frames == [("to demand", "A group of ferry captains", "the pier reopen")]


def test_subject_a_reduced_relative_swallowed_is_the_cues() -> None:
    rows: list[Row] = [
        ("Since", "IN", "SCONJ", "mark", 3),
        ("letters", "NNS", "NOUN", "nsubj", 3),
        ("later", "RB", "ADV", "advmod", 3),
        ("released", "VBD", "VERB", "advcl", 7),
        ("by", "IN", "ADP", "agent", 3),
        ("the", "DT", "DET", "det", 6),
        ("council", "NN", "NOUN", "pobj", 4),
        ("suggest", "VBP", "VERB", "ROOT", 7),
        ("that", "IN", "SCONJ", "mark", 11),
        ("the", "DT", "DET", "det", 10),
        ("mayor", "NN", "NOUN", "nsubj", 11),
        ("knew", "VBD", "VERB", "ccomp", 7),
        (".", ".", "PUNCT", "punct", 7),
    ]
    frames = _frames(rows)
    assert frames == [("suggest", "letters", "the mayor knew")]


def test_subject_recovered_before_a_verb_is_the_whole_noun_phrase_not_its_tail() -> (
    None
):
    # "say" left without a subject: the phrase before it ends in "the ministry",
    # but its head is "sources"
    rows: list[Row] = [
        ("Several", "JJ", "ADJ", "amod", 1),
        ("sources", "NNS", "NOUN", "dep", 5),
        ("at", "IN", "ADP", "prep", 1),
        ("the", "DT", "DET", "det", 4),
        ("ministry", "NN", "NOUN", "pobj", 2),
        ("say", "VBP", "VERB", "ROOT", 5),
        ("the", "DT", "DET", "det", 7),
        ("deal", "NN", "NOUN", "nsubj", 9),
        ("will", "MD", "AUX", "aux", 9),
        ("fail", "VB", "VERB", "ccomp", 5),
        (".", ".", "PUNCT", "punct", 5),
    ]
    frames = _frames(rows)
    assert frames == [("say", "Several sources at the ministry", "the deal will fail")]


def test_name_swallowed_by_an_opening_phrase_is_the_subject_not_the_phrase() -> None:
    # "Vale" parsed as the end of "In a meeting with the board of the Courier Vale"
    rows: list[Row] = [
        ("In", "IN", "ADP", "prep", 10),
        ("a", "DT", "DET", "det", 2),
        ("meeting", "NN", "NOUN", "pobj", 0),
        ("with", "IN", "ADP", "prep", 2),
        ("the", "DT", "DET", "det", 5),
        ("board", "NN", "NOUN", "pobj", 3),
        ("of", "IN", "ADP", "prep", 5),
        ("the", "DT", "DET", "det", 9),
        ("Courier", "NNP", "PROPN", "compound", 9),
        ("Vale", "NNP", "PROPN", "pobj", 6),
        ("said", "VBD", "VERB", "ROOT", 10),
        ("the", "DT", "DET", "det", 12),
        ("pier", "NN", "NOUN", "nsubj", 13),
        ("was", "VBD", "AUX", "ccomp", 10),
        ("unsafe", "JJ", "ADJ", "acomp", 13),
        (".", ".", "PUNCT", "punct", 10),
    ]
    frames = _frames(rows, [(9, 10, "PERSON")])
    assert [f[:2] for f in frames] == [("said", "the Courier Vale")]


def test_verb_coordinated_with_an_extraposition_frame_shares_the_clause_subject() -> (
    None
):
    # "refuses" hung on "astonishing" as a second conjunct of "It is astonishing"
    rows: list[Row] = [
        ("It", "PRP", "PRON", "nsubj", 3),
        ("is", "VBZ", "AUX", "aux", 3),
        ("simply", "RB", "ADV", "advmod", 3),
        ("astonishing", "VBG", "VERB", "ROOT", 3),
        ("that", "IN", "SCONJ", "mark", 6),
        ("Vale", "NNP", "PROPN", "nsubj", 6),
        ("demands", "VBZ", "VERB", "ccomp", 3),
        ("answers", "NNS", "NOUN", "dobj", 6),
        (",", ",", "PUNCT", "punct", 3),
        ("yet", "CC", "CCONJ", "cc", 3),
        ("refuses", "VBZ", "VERB", "conj", 3),
        ("to", "TO", "PART", "aux", 12),
        ("explain", "VB", "VERB", "xcomp", 10),
        ("how", "WRB", "SCONJ", "advmod", 16),
        ("the", "DT", "DET", "det", 15),
        ("money", "NN", "NOUN", "nsubj", 16),
        ("vanished", "VBD", "VERB", "ccomp", 12),
        (".", ".", "PUNCT", "punct", 3),
    ]
    frames = _frames(rows, [(5, 6, "PERSON")])
    assert ("refuses", "Vale") in [f[:2] for f in frames]


def test_infinitive_after_the_object_of_force_is_the_objects_even_as_advcl() -> None:
    # "to admit" taken for a purpose clause of "forced": the object still admits
    rows: list[Row] = [
        ("The", "DT", "DET", "det", 1),
        ("senator", "NN", "NOUN", "nsubj", 2),
        ("forced", "VBD", "VERB", "ROOT", 2),
        ("Brandt", "NNP", "PROPN", "dobj", 2),
        (",", ",", "PUNCT", "punct", 3),
        ("who", "WP", "PRON", "nsubj", 6),
        ("was", "VBD", "AUX", "relcl", 3),
        ("under", "IN", "ADP", "prep", 6),
        ("oath", "NN", "NOUN", "pobj", 7),
        (",", ",", "PUNCT", "punct", 2),
        ("to", "TO", "PART", "aux", 11),
        ("admit", "VB", "VERB", "advcl", 2),
        ("that", "IN", "SCONJ", "mark", 15),
        ("the", "DT", "DET", "det", 14),
        ("accounts", "NNS", "NOUN", "nsubj", 15),
        ("were", "VBD", "AUX", "ccomp", 11),
        ("fake", "JJ", "ADJ", "acomp", 15),
        (".", ".", "PUNCT", "punct", 2),
    ]
    frames = _frames(rows, [(3, 4, "PERSON")])
    assert ("to admit", "Brandt", "the accounts were fake") in frames


def test_quote_before_a_said_clause_stays_with_said_not_a_verb_below_it() -> None:
    # the relative clause "in which ..." hung on "said" as its complement, and
    # "see" (deep inside it) looking back for a quote
    rows: list[Row] = [
        ("“", "``", "PUNCT", "punct", 3),
        ("It", "PRP", "PRON", "nsubj", 3),
        ("is", "VBZ", "AUX", "aux", 3),
        ("over", "RB", "ADV", "ccomp", 7),
        (",", ",", "PUNCT", "punct", 7),
        ("”", "''", "PUNCT", "punct", 7),
        ("she", "PRP", "PRON", "nsubj", 7),
        ("said", "VBD", "VERB", "ROOT", 7),
        ("of", "IN", "ADP", "prep", 7),
        ("the", "DT", "DET", "det", 10),
        ("race", "NN", "NOUN", "pobj", 8),
        (",", ",", "PUNCT", "punct", 7),
        ("in", "IN", "ADP", "prep", 15),
        ("which", "WDT", "PRON", "pobj", 12),
        ("she", "PRP", "PRON", "nsubj", 15),
        ("was", "VBD", "AUX", "ccomp", 7),
        ("sure", "JJ", "ADJ", "acomp", 15),
        ("Vale", "NNP", "PROPN", "nsubj", 19),
        ("would", "MD", "AUX", "aux", 19),
        ("win", "VB", "VERB", "ccomp", 16),
        ("and", "CC", "CCONJ", "cc", 19),
        ("voters", "NNS", "NOUN", "nsubj", 24),
        ("would", "MD", "AUX", "aux", 24),
        ("finally", "RB", "ADV", "advmod", 24),
        ("see", "VB", "VERB", "conj", 19),
        (".", ".", "PUNCT", "punct", 7),
    ]
    doc = _doc(rows, [(17, 18, "PERSON")])
    finder = _finder()
    frames = [_show(doc.text, f) for f in finder.find(doc, doc.text)]
    assert frames == [("said", "she", "It is over,")]
    # when "see" (under "said") took the same quote too, and more of it, the merged
    # frame is still "said"'s
    (said,) = finder.find(doc, doc.text)
    see = next(t for t in doc if t.text == "see")
    deeper = Frame(
        content=[(said.content[0][0], len(doc.text) - 1)],
        rule="quote-cue",
        cue=(see.idx, see.idx + 3),
        cue_i=see.i,
        speaker=(0, 1),
        speaker_head=see.i - 4,
        quote_runs=list(said.quote_runs),
    )
    (merged,) = FrameFinder._merge_overlaps(doc, [deeper, said])
    assert (merged.cue_i, merged.speaker) == (said.cue_i, said.speaker)
    assert merged.end == deeper.end


def test_name_after_said_hung_on_a_later_verb_is_still_the_inverted_subject() -> None:
    # '“...,” said Brandt, who predicted ...' with "Brandt" parsed as the subject of
    # "be cast" (the complement of "said"): the quote is what Brandt said
    rows: list[Row] = [
        ("“", "``", "PUNCT", "punct", 7),
        ("We", "PRP", "PRON", "nsubj", 2),
        ("win", "VBP", "VERB", "ccomp", 7),
        ("every", "DT", "DET", "det", 4),
        ("time", "NN", "NOUN", "npadvmod", 2),
        (",", ",", "PUNCT", "punct", 7),
        ("”", "''", "PUNCT", "punct", 7),
        ("said", "VBD", "VERB", "ROOT", 7),
        ("Brandt", "NNP", "PROPN", "nsubjpass", 18),
        (",", ",", "PUNCT", "punct", 8),
        ("who", "WP", "PRON", "nsubj", 11),
        ("predicted", "VBD", "VERB", "relcl", 8),
        ("half", "NN", "NOUN", "nsubjpass", 18),
        ("of", "IN", "ADP", "prep", 12),
        ("the", "DT", "DET", "det", 15),
        ("votes", "NNS", "NOUN", "pobj", 13),
        ("will", "MD", "AUX", "aux", 18),
        ("be", "VB", "AUX", "auxpass", 18),
        ("cast", "VBN", "VERB", "ccomp", 7),
        ("early", "RB", "ADV", "advmod", 18),
        (".", ".", "PUNCT", "punct", 7),
    ]
    frames = _frames(rows, [(8, 9, "PERSON")])
    assert ("said", "Brandt", "We win every time,") in frames


def test_that_clause_hung_on_a_noun_as_a_relative_clause_is_the_cues_content() -> None:
    rows: list[Row] = [
        ("Vale", "NNP", "PROPN", "nsubj", 1),
        ("said", "VBD", "VERB", "ROOT", 1),
        ("at", "IN", "ADP", "prep", 1),
        ("a", "DT", "DET", "det", 4),
        ("rally", "NN", "NOUN", "pobj", 2),
        ("in", "IN", "ADP", "prep", 4),
        ("Dunmore", "NNP", "PROPN", "pobj", 5),
        ("that", "IN", "SCONJ", "mark", 10),
        ("Brandt", "NNP", "PROPN", "nsubj", 10),
        ("once", "RB", "ADV", "advmod", 10),
        ("praised", "VBD", "VERB", "relcl", 4),
        ("the", "DT", "DET", "det", 12),
        ("toll", "NN", "NOUN", "dobj", 10),
        (".", ".", "PUNCT", "punct", 1),
    ]
    frames = _frames(rows, [(0, 1, "PERSON"), (6, 7, "GPE"), (8, 9, "PERSON")])
    assert frames == [("said", "Vale", "Brandt once praised the toll")]


def test_relative_clause_with_a_gap_is_no_complement_even_with_that_as_mark() -> None:
    # "a toll that Brandt once praised": "praised" lacks its object, so "that" is a
    # relative pronoun whatever its label, and the clause is not what Vale said
    doc = _doc(
        [
            ("Vale", "NNP", "PROPN", "nsubj", 1),
            ("criticized", "VBD", "VERB", "ROOT", 1),
            ("a", "DT", "DET", "det", 3),
            ("toll", "NN", "NOUN", "dobj", 1),
            ("that", "IN", "SCONJ", "mark", 6),
            ("Brandt", "NNP", "PROPN", "nsubj", 6),
            ("praised", "VBD", "VERB", "relcl", 3),
            (".", ".", "PUNCT", "punct", 1),
        ]
    )
    assert not _complement_as_relcl(doc[6])


def test_subject_of_a_phrase_taken_for_a_clause_is_the_cues() -> None:
    # "privy" taken for a verb with "sources" as its subject, and "say" left
    # without one
    rows: list[Row] = [
        ("Several", "JJ", "ADJ", "amod", 1),
        ("sources", "NNS", "NOUN", "nsubj", 2),
        ("privy", "VBP", "VERB", "advcl", 5),
        ("to", "IN", "ADP", "prep", 2),
        ("talks", "NNS", "NOUN", "pobj", 3),
        ("say", "VBP", "VERB", "ROOT", 5),
        ("the", "DT", "DET", "det", 7),
        ("deal", "NN", "NOUN", "nsubj", 9),
        ("will", "MD", "AUX", "aux", 9),
        ("fail", "VB", "VERB", "ccomp", 5),
        (".", ".", "PUNCT", "punct", 5),
    ]
    frames = _frames(rows)
    assert frames == [("say", "Several sources", "the deal will fail")]
