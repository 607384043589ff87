"""onrecord_pos sets what spaCy's attribute ruler sets, token for token."""

from __future__ import annotations

import numpy as np
import spacy
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from spacy.attrs import LEMMA, MORPH, POS

from onrecord._pipeline import MODEL, load_nlp

TEXT = (
    "The mayor of Port Halden, Ines Arbor, said on Tuesday that the ferry would run "
    "again. "
    "\u201cWe ain't gonna wait,\u201d she told reporters. There is no money, critics "
    "say; "
    "it's been years.  Did he do it? He didn't, according to the council.\n\n"
    "Y'all know that, don't you? Let's go. Doin' nothin'. Those who did, got paid."
)


def test_same_pos_morph_and_lemma_as_the_attribute_ruler() -> None:
    ref_nlp = spacy.load(MODEL, disable=["lemmatizer", "ner"])
    ours = load_nlp()
    assert "onrecord_pos" in ours.pipe_names
    assert "attribute_ruler" not in ours.pipe_names
    ref = ref_nlp(TEXT)
    doc = ours(TEXT)
    assert [t.text for t in ref] == [t.text for t in doc]
    assert [t.pos_ for t in doc] == [t.pos_ for t in ref]
    assert [str(t.morph) for t in doc] == [str(t.morph) for t in ref]
    assert [t.lemma_ for t in doc] == [t.lemma_ for t in ref]


def test_empty_doc() -> None:
    assert len(load_nlp()("")) == 0


def test_same_on_a_batch_as_the_attribute_ruler() -> None:
    # one numpy pass over the batch; no two-token rule may reach across documents
    # (the ruler's "gon na", "let 's", "y' all" rules)
    texts = [
        TEXT,
        "",
        "We were gon",
        "na win, they said. Then let",
        "'s go",
        "y'",
        "all know.",
        "ain't",
        "He did n't",
        TEXT[:80],
    ]
    ref_nlp = spacy.load(MODEL, disable=["lemmatizer", "ner"])
    refs = list(ref_nlp.pipe(texts))
    docs = list(load_nlp().pipe(texts))
    for ref, doc in zip(refs, docs, strict=True):
        assert [t.text for t in ref] == [t.text for t in doc]
        assert [t.pos_ for t in doc] == [t.pos_ for t in ref]
        assert [str(t.morph) for t in doc] == [str(t.morph) for t in ref]
        assert [t.lemma_ for t in doc] == [t.lemma_ for t in ref]


RULE_WORDS = st.sampled_from(
    "gon na wan let 's y' all ai n't do did is 're are was the a The He she said "
    "told “ ” \" ' , . ? ! \n\n Mr. U.S. I you who that 9 $ % - — ( ) : ; it its "
    "Doin' nothin' ain't can't".split(" ")
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.lists(RULE_WORDS, max_size=30).map(" ".join), min_size=1, max_size=6)
)
@example(["y' all know it, y'all", "gon na", "There 's c'm on"])
def test_any_batch_as_the_attribute_ruler(texts: list[str]) -> None:
    # the ruler and onrecord_pos on the same parsed documents, attributes cleared
    nlp = load_nlp("fast")
    docs = list(nlp.pipe(texts))
    for doc in docs:
        doc.from_array([POS, MORPH, LEMMA], np.zeros((len(doc), 3), dtype=np.uint64))
    ruler = nlp.get_pipe("attribute_ruler")
    refs = [ruler(doc.copy()) for doc in docs]
    docs = list(nlp.get_pipe("onrecord_pos").pipe(docs, batch_size=4))
    for ref, doc in zip(refs, docs, strict=True):
        assert [t.pos_ for t in doc] == [t.pos_ for t in ref]
        assert [str(t.morph) for t in doc] == [str(t.morph) for t in ref]
        assert [t.lemma_ for t in doc] == [t.lemma_ for t in ref]
