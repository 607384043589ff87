"""Loading the spaCy pipelines: the saved tokenizer is used as it is on disk."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy

from onrecord._pipeline import MODEL, _saved_pipeline_dir, load_nlp, model_location

TEXT = (
    "Dr. Ada Moreno-Ruiz can't say it (yet): \"we'll see,\" she told WKRP-TV's "
    "reporters at 9:30 a.m. on 3/14 — see https://example.org/a?b=c :-) U.S. "
    "officials' e-mails, 'tis the season... #budget @mayor_ada $4.5bn, 12%!"
)


@pytest.mark.parametrize("model", ["sm", "fast"])
def test_tokens_equal_spacys_own_load(model: str) -> None:
    location = model_location(model)
    ours = load_nlp(model).make_doc(TEXT)
    theirs = spacy.load(location).make_doc(TEXT)
    assert [t.text for t in ours] == [t.text for t in theirs]
    assert len(ours) > 50


def test_saved_pipeline_dir(tmp_path: Path) -> None:
    package = _saved_pipeline_dir(MODEL)
    assert package is not None
    assert (package / "tokenizer").is_file()
    fast = _saved_pipeline_dir(model_location("fast"))
    assert fast is not None
    assert (fast / "config.cfg").is_file()
    assert _saved_pipeline_dir("no_such_pipeline_xyz") is None
    assert _saved_pipeline_dir(str(tmp_path)) is None  # a directory, not a pipeline
