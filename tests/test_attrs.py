"""onrecord_pos sets what spaCy's attribute ruler sets, token for token."""

from __future__ import annotations

import spacy

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
