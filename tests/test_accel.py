"""onrecord's compiled speed-ups give spaCy's and thinc's results exactly:
onrecord._greedy (the parser's transition loop without the GIL: the same parse,
entities and sentences) and onrecord._t2v (maxout and hash-embedding kernels: the
same vectors, bit for bit). Both are built in CI."""

from __future__ import annotations

import os
import sys

import numpy as np
import pytest
import spacy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from spacy.tokens import Doc
from thinc.api import NumpyOps

import onrecord
import onrecord._pipeline as pipeline_mod
from onrecord._accel import _maxout_forward, _t2v, greedy_loop, use_kernels
from onrecord._pipeline import annotate, load_nlp, model_location

# a wrong transition loop can loop for ever
pytestmark = pytest.mark.timeout(300)

TEXTS = [
    "The mayor, Ada Moreno, told reporters on Tuesday that the bridge would reopen "
    'in May. "We are not there yet," she said, adding that the council had agreed.',
    "",
    "   \n\n  ",
    "Officials at the Port Authority of Lowell declined to comment. A spokesman for "
    'Governor Tom Baird said the plan was "dead on arrival" and called it a stunt.\n\n'
    "Baird, 61, has not said whether he will run again.",
    "“Unbalanced quote marks, she wrote in a post on X, are common",
    "Yes.",
]


def _annotation(doc: Doc) -> tuple[object, ...]:
    return (
        [(t.head.i, t.dep_) for t in doc],
        [(e.start, e.end, e.label_) for e in doc.ents],
        [s.start for s in doc.sents] if doc.has_annotation("SENT_START") else [],
    )


def _annotations(
    nlp: spacy.language.Language, *, fast_loop: bool = True
) -> list[tuple[object, ...]]:
    return [_annotation(d) for d in annotate(nlp, TEXTS, fast_loop=fast_loop)]


def _both_loops(
    nlp: spacy.language.Language,
) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    """TEXTS annotated with onrecord's loop and with spaCy's."""
    return _annotations(nlp), _annotations(nlp, fast_loop=False)


def test_built_in_ci() -> None:
    built = greedy_loop() is not None and _t2v() is not None
    if not built and not os.environ.get("CI"):
        pytest.skip("onrecord's speed-ups are not built here (no C++ compiler?)")
    assert greedy_loop() is not None, "CI builds onrecord._greedy; the install lost it"
    assert _t2v() is not None, "CI builds onrecord._t2v; the install lost it"


@pytest.mark.parametrize("model", ["sm", "fast"])
def test_same_annotation_as_spacys_loop(model: str) -> None:
    if greedy_loop() is None:
        pytest.skip("onrecord._greedy is not built")
    nlp = load_nlp(model)
    ours = list(annotate(nlp, TEXTS))
    theirs = list(annotate(nlp, TEXTS, fast_loop=False))
    assert [_annotation(d) for d in ours] == [_annotation(d) for d in theirs]
    assert [d.text for d in ours] == TEXTS  # order kept
    assert ours[0].has_annotation("DEP")
    assert any(e.label_ == "PERSON" for e in ours[3].ents)


def test_batches_split_by_tokens(monkeypatch: pytest.MonkeyPatch) -> None:
    if greedy_loop() is None:
        pytest.skip("onrecord._greedy is not built")
    monkeypatch.setattr(pipeline_mod, "PARSE_TOKENS", 5)  # a batch per document
    monkeypatch.setattr(pipeline_mod, "GROUP_CHARS", 100)  # groups of a few texts
    ours, theirs = _both_loops(load_nlp("fast"))
    assert ours == theirs


WORDS = st.sampled_from(
    "the a mayor Ada Moreno said told that “ ” \" ' , . ; : — ( ) \n \n\n and not "
    "Lowell Council 2024 $5 U.S. she he it would reopen in on Tuesday X who".split(" ")
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(WORDS, max_size=60).map(" ".join), min_size=1, max_size=5))
def test_same_annotation_on_any_text(texts: list[str]) -> None:
    if greedy_loop() is None:
        pytest.skip("onrecord._greedy is not built")
    nlp = load_nlp("fast")
    ours = list(annotate(nlp, texts))
    theirs = list(annotate(nlp, texts, fast_loop=False))
    assert [_annotation(d) for d in ours] == [_annotation(d) for d in theirs]


needs_t2v = pytest.mark.skipif(_t2v() is None, reason="onrecord._t2v is not built")


def _bits(a: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(a, dtype=np.float32).view(np.uint32)


@needs_t2v
@pytest.mark.parametrize("model", ["sm", "fast"])
def test_same_vectors_as_thincs_layers(model: str) -> None:
    ours = load_nlp(model)
    assert any(  # onrecord's pipeline does use the kernels...
        node._func is _maxout_forward for node in ours.get_pipe("tok2vec").model.walk()
    )
    theirs = spacy.load(model_location(model))  # ...thinc's own, to compare
    assert use_kernels(theirs) > 0  # there is something to change...
    theirs = spacy.load(model_location(model))  # ...but compare with a fresh load
    docs = [ours.make_doc(t) for t in TEXTS if t.strip()]
    mine = ours.get_pipe("tok2vec").model.predict(docs)
    ref = theirs.get_pipe("tok2vec").model.predict(
        [theirs.make_doc(t) for t in TEXTS if t.strip()]
    )
    assert len(mine) == len(ref) == len(docs)
    for a, b in zip(mine, ref, strict=True):
        assert a.shape == b.shape
        assert a.shape[0] > 0
        assert np.array_equal(_bits(a), _bits(b))


FLOATS = st.floats(width=32, allow_nan=True, allow_infinity=True)


@needs_t2v
@settings(max_examples=200, deadline=None)
@given(
    hnp.arrays(
        np.float32,
        st.tuples(st.integers(1, 6), st.integers(1, 5), st.integers(1, 4)),
        elements=st.one_of(FLOATS, st.sampled_from([0.0, -0.0, 1.0, 1.0])),
    )
)
def test_maxout_kernel(X: np.ndarray) -> None:
    best, _ = NumpyOps().maxout(X)
    assert np.array_equal(_bits(_t2v().maxout(X)), _bits(best))


@needs_t2v
@settings(max_examples=200, deadline=None)
@given(
    st.integers(1, 8).flatmap(
        lambda rows: st.tuples(
            hnp.arrays(
                np.float32,
                st.tuples(st.just(rows), st.integers(1, 7)),
                elements=st.floats(-1e6, 1e6, width=32),
            ),
            hnp.arrays(
                np.uint32,
                st.tuples(st.integers(1, 9), st.integers(1, 4)),
                elements=st.integers(0, rows - 1),
            ),
        )
    )
)
def test_gather_add_kernel(args: tuple[np.ndarray, np.ndarray]) -> None:
    table, keys = args
    ref = NumpyOps().gather_add(table, keys)
    assert np.array_equal(_bits(_t2v().gather_add(table, keys)), _bits(ref))


@needs_t2v
def test_kernels_on_empty_input() -> None:
    # (thinc's kernels fail on these; the layers never pass them)
    assert _t2v().maxout(np.zeros((0, 4, 3), dtype=np.float32)).shape == (0, 4)
    table = np.ones((3, 2), dtype=np.float32)
    assert _t2v().gather_add(table, np.zeros((0, 4), dtype=np.uint32)).shape == (0, 2)


@needs_t2v
def test_gather_add_refuses_a_row_out_of_range() -> None:
    table = np.ones((3, 2), dtype=np.float32)
    with pytest.raises(IndexError):
        _t2v().gather_add(table, np.array([[0, 3]], dtype=np.uint32))


@pytest.fixture
def fresh_fast() -> spacy.language.Language:
    """A fast pipeline of its own, free to have its weights changed."""
    if greedy_loop() is None:
        pytest.skip("onrecord._greedy is not built")
    return spacy.load(model_location("fast"))


def test_unseen_classes_are_masked_as_in_spacy(
    fresh_fast: spacy.language.Language,
) -> None:
    # spaCy gives the actions a parser never saw in training the lowest score;
    # marking the commonest ones unseen changes the parse, the same way in both loops
    parser = fresh_fast.get_pipe("parser")
    before = _annotations(fresh_fast)
    parser.model.attrs["unseen_classes"] = set(range(0, parser.moves.n_moves, 2))
    ours, theirs = _both_loops(fresh_fast)
    assert ours == theirs
    assert ours != before


def test_ties_go_to_the_first_valid_action_as_in_spacy(
    fresh_fast: spacy.language.Language,
) -> None:
    # an output layer of zeros: every action scores the same at every step
    for name in ("parser", "ner"):
        upper = fresh_fast.get_pipe(name).model.get_ref("upper")
        for param in ("W", "b"):
            upper.set_param(param, np.zeros_like(upper.get_param(param)))
    ours, theirs = _both_loops(fresh_fast)
    assert ours == theirs


@pytest.mark.parametrize(
    ("layer", "where"),
    [
        # a hidden unit's first piece: spaCy's maxout then takes the second
        ("lower", (5, 0)),
        # one action's score: spaCy takes it when it is the first valid one
        ("upper", (1,)),
    ],
)
def test_nan_as_in_spacy(
    fresh_fast: spacy.language.Language, layer: str, where: tuple[int, ...]
) -> None:
    before = _annotations(fresh_fast)
    for name in ("parser", "ner"):
        ref = fresh_fast.get_pipe(name).model.get_ref(layer)
        b = ref.get_param("b").copy()
        b[where] = np.nan
        ref.set_param("b", b)
    ours, theirs = _both_loops(fresh_fast)
    assert ours == theirs
    if layer == "upper":
        assert ours != before  # the NaN action is taken where spaCy takes it


def test_falls_back_to_spacys_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    if greedy_loop() is None:
        pytest.skip("onrecord._greedy is not built")
    nlp = load_nlp("fast")
    expected = _annotations(nlp)
    from onrecord import _greedy

    try:
        # built for another spaCy: not used
        monkeypatch.setattr(_greedy, "SPACY_VERSION", "0.0.0")
        greedy_loop.cache_clear()
        assert greedy_loop() is None
        assert _annotations(nlp) == expected
        # not importable (no compiler at install time): not used
        monkeypatch.undo()
        monkeypatch.setitem(sys.modules, "onrecord._greedy", None)
        monkeypatch.delattr(onrecord, "_greedy", raising=False)
        greedy_loop.cache_clear()
        assert greedy_loop() is None
        assert _annotations(nlp) == expected
    finally:
        monkeypatch.undo()
        greedy_loop.cache_clear()
    assert greedy_loop() is not None
