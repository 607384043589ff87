"""onrecord's compiled speed-ups give spaCy's and thinc's results exactly:
onrecord._greedy (the parser's transition loop without the GIL: the same parse,
entities and sentences) and onrecord._t2v (maxout and hash-embedding kernels: the
same vectors, bit for bit), and the fused hash embedding (the same vectors to within
float rounding, the same parse). Both modules are built in CI."""

from __future__ import annotations

import os
import sys
from functools import lru_cache

import numpy as np
import pytest
import spacy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from spacy.tokens import Doc
from thinc.api import NumpyOps, set_dropout_rate

import onrecord
import onrecord._pipeline as pipeline_mod
from onrecord._accel import _chain as _chain_module
from onrecord._accel import (
    _EmbedForward,
    _maxout_forward,
    _t2v,
    greedy_loop,
    use_kernels,
)
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


_chain_forward = _chain_module.forward


def _unfuse(nlp: spacy.language.Language) -> int:
    """Give ``nlp``'s hash-embedding chains back thinc's forward pass."""
    n = 0
    for _, proc in nlp.pipeline:
        model = getattr(proc, "model", None)
        for node in model.walk() if hasattr(model, "walk") else ():
            if isinstance(node._func, _EmbedForward):
                node._func = _chain_forward
                n += 1
    return n


def _vectors(nlp: spacy.language.Language, texts: list[str]) -> list[np.ndarray]:
    docs = [nlp.make_doc(t) for t in texts]
    return list(nlp.get_pipe("tok2vec").model.predict(docs))


@needs_t2v
@pytest.mark.parametrize("model", ["sm", "fast"])
def test_same_vectors_as_thincs_kernels(model: str) -> None:
    ours = spacy.load(model_location(model))
    assert use_kernels(ours) > 0  # there is something to change...
    assert any(  # ...the maxout layers among them
        node._func is _maxout_forward for node in ours.get_pipe("tok2vec").model.walk()
    )
    assert _unfuse(ours) > 0  # the kernels alone, without the fused embedding
    theirs = spacy.load(model_location(model))  # thinc's own, to compare
    texts = [t for t in TEXTS if t.strip()]
    mine, ref = _vectors(ours, texts), _vectors(theirs, texts)
    assert len(mine) == len(ref) == len(texts)
    for a, b in zip(mine, ref, strict=True):
        assert a.shape == b.shape
        assert a.shape[0] > 0
        assert np.array_equal(_bits(a), _bits(b))


def _close(mine: list[np.ndarray], ref: list[np.ndarray]) -> None:
    # the same sums in another order: float32 rounding apart, no more
    assert len(mine) == len(ref)
    for a, b in zip(mine, ref, strict=True):
        assert a.shape == b.shape
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-4)


@needs_t2v
@pytest.mark.parametrize("model", ["sm", "fast"])
def test_fused_embedding_gives_thincs_vectors_and_parse(model: str) -> None:
    ours = load_nlp(model)
    fused = [
        node
        for _, proc in ours.pipeline
        for node in (
            proc.model.walk() if hasattr(getattr(proc, "model", None), "walk") else ()
        )
        if isinstance(node._func, _EmbedForward)
    ]
    assert len(fused) == (2 if model == "sm" else 1)  # sm's recogniser has its own
    theirs = spacy.load(model_location(model))
    texts = [t for t in TEXTS if t.strip()]
    _close(_vectors(ours, texts), _vectors(theirs, texts))
    # the same parse, entities and sentences as with thinc's embedding
    plain = pipeline_mod._load_uncollected(model)
    assert _unfuse(plain) == len(fused)
    assert _annotations(ours) == _annotations(plain)
    assert all(node._func.fused is not None for node in fused)  # the tables were used


@needs_t2v
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(WORDS, max_size=40).map(" ".join), min_size=1, max_size=4))
def test_fused_embedding_on_any_text(texts: list[str]) -> None:
    ours = load_nlp("fast")
    _close(_vectors(ours, texts), _vectors(_thincs_fast(), texts))


@lru_cache(maxsize=1)
def _thincs_fast() -> spacy.language.Language:
    return spacy.load(model_location("fast"))


@needs_t2v
def test_fused_embedding_trains_as_thinc() -> None:
    ours = spacy.load(model_location("fast"))
    use_kernels(ours)
    theirs = spacy.load(model_location("fast"))
    for nlp in (ours, theirs):  # no dropout: the same output each time
        set_dropout_rate(nlp.get_pipe("tok2vec").model, 0.0)
    texts = [t for t in TEXTS if t.strip()]
    mine, _ = ours.get_pipe("tok2vec").model.begin_update(
        [ours.make_doc(t) for t in texts]
    )
    ref, _ = theirs.get_pipe("tok2vec").model.begin_update(
        [theirs.make_doc(t) for t in texts]
    )
    for a, b in zip(mine, ref, strict=True):  # training runs thinc's chain: bit for bit
        assert np.array_equal(_bits(a), _bits(b))


@needs_t2v
def test_fused_embedding_after_training_with_averaged_weights() -> None:
    # spaCy's evaluation during training: the optimizer's averages, updated in
    # place, swapped in by use_params: the table must follow them
    from spacy.training import Example

    ours = spacy.load(model_location("fast"))
    use_kernels(ours)
    (node,) = [
        n
        for n in ours.get_pipe("tok2vec").model.walk()
        if isinstance(n._func, _EmbedForward)
    ]
    texts = [t for t in TEXTS if t.strip()]
    gold = [ours(t) for t in texts]
    sgd = ours.resume_training()
    assert sgd.averages is not None
    for step in range(6):
        examples = [
            Example(ours.make_doc(t), g) for t, g in zip(texts, gold, strict=True)
        ]
        ours.update(examples, sgd=sgd, drop=0.0)
        if step % 2:
            with ours.use_params(sgd.averages):
                fused = _vectors(ours, texts)
                assert node._func.fused is not None
                forward, node._func = node._func, _chain_forward
                try:
                    _close(fused, _vectors(ours, texts))
                finally:
                    node._func = forward


@needs_t2v
def test_fused_embedding_follows_new_weights() -> None:
    ours = spacy.load(model_location("fast"))
    use_kernels(ours)
    theirs = spacy.load(model_location("fast"))
    texts = [t for t in TEXTS if t.strip()]
    before = _vectors(ours, texts)
    rng = np.random.default_rng(0)
    for nlp in (ours, theirs):  # the same new weights in both
        for node in nlp.get_pipe("tok2vec").model.walk():
            if node.name in {"hashembed", "maxout"}:
                for name in ("E", "W"):
                    if node.has_param(name):
                        old = node.get_param(name)
                        new = old + rng.normal(0, 0.1, old.shape).astype(old.dtype)
                        node.set_param(name, new)
        rng = np.random.default_rng(0)
    after = _vectors(ours, texts)
    _close(after, _vectors(theirs, texts))
    assert not np.allclose(after[0], before[0], atol=1e-3)


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
