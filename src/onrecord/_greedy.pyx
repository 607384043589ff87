# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
# distutils: language = c++
"""The transition loop of spaCy's parser and entity recogniser, without the GIL.

spaCy 3.8.7's ``Parser.greedy_parse`` runs its loop in ``nogil`` code, but the
compiled loop takes the GIL back after every hidden unit of every state at every
step, only to ask whether a Python error is pending (Cython 3's exception check
after a call it cannot prove ``noexcept``): about 20 million GIL round trips on
PolNeAR dev. This module is the same loop — same features, same maxout, same
scores, same choice of the best valid action — written so that nothing in it
needs the GIL: parser and recogniser run about twice as fast and give the same
parse, the same entities and the same sentences (tests/test_accel.py).

Built from pyproject's build requirements against the pinned spaCy; the structs it
reads are spaCy's own (``spacy.ml.parser_model``, ``_parser_internals``), so it is
used only with the spaCy version it was built with (``SPACY_VERSION``) and
otherwise spaCy's loop runs (onrecord._pipeline.annotate).
"""

from libc.stdlib cimport calloc, free
from libcpp.vector cimport vector

from spacy.ml.parser_model cimport SizesC, WeightsC, get_c_sizes, get_c_weights
from spacy.pipeline._parser_internals._state cimport StateC
from spacy.pipeline._parser_internals.stateclass cimport StateClass
from spacy.pipeline._parser_internals.transition_system cimport (
    Transition,
    TransitionSystem,
)
from thinc.backends.cblas cimport CBlas, sgemm, sgemm_ptr


cdef extern from *:
    """
    #ifndef ONRECORD_SPACY_VERSION
    #define ONRECORD_SPACY_VERSION ""
    #endif
    """
    const char* ONRECORD_SPACY_VERSION


SPACY_VERSION = ONRECORD_SPACY_VERSION.decode("ascii")
"""The spaCy version whose structs this module was compiled against."""


from spacy.pipeline._parser_internals.arc_eager import ArcEager
from spacy.pipeline._parser_internals.ner import BiluoPushDown

_PER_ACTION = (ArcEager, BiluoPushDown)


cdef struct Buffers:
    int* token_ids
    float* unmaxed
    float* hiddens
    float* scores
    int* is_valid


cdef int _best_valid(const float* scores, const int* is_valid, int n) noexcept nogil:
    # spaCy's arg_max_if_valid: the first best-scoring valid action, -1 if none
    cdef int best = -1
    cdef int i
    for i in range(n):
        if is_valid[i] >= 1:
            if best == -1 or scores[i] > scores[best]:
                best = i
    return best


cdef void _score(
    sgemm_ptr gemm, Buffers* A, StateC** states, const WeightsC* W, SizesC n
) noexcept nogil:
    # spaCy's predict_states: sum the precomputed features of each state's context
    # tokens, add the bias, maxout, then the output layer; unseen classes get the
    # lowest score
    cdef int i, j, f, k, p
    cdef Py_ssize_t idx
    cdef int O = n.hiddens * n.pieces
    cdef const float* padding = W.feat_weights
    cdef const float* cached = W.feat_weights + n.feats * O
    cdef const float* feature
    cdef float* out
    cdef float best, lowest
    for i in range(n.states):
        states[i].set_context_tokens(&A.token_ids[i * n.feats], n.feats)
    for i in range(n.states):
        out = &A.unmaxed[i * O]
        for k in range(O):
            out[k] = 0.0
        for f in range(n.feats):
            idx = A.token_ids[i * n.feats + f]
            if idx < 0:
                feature = &padding[f * O]
            else:
                feature = &cached[idx * n.feats * O + <Py_ssize_t>f * O]
            for k in range(O):
                out[k] += feature[k]
        for k in range(O):
            out[k] += W.feat_bias[k]
        for j in range(n.hiddens):
            # thinc's Vec.arg_max, whose winner spaCy takes (NaN and ties as there)
            if n.pieces == 2:
                if out[j * 2] > out[j * 2 + 1]:
                    best = out[j * 2]
                else:
                    best = out[j * 2 + 1]
            else:
                best = out[j * n.pieces]
                for p in range(1, n.pieces):
                    if out[j * n.pieces + p] > best:
                        best = out[j * n.pieces + p]
            A.hiddens[i * n.hiddens + j] = best
    if W.hidden_weights == NULL:
        for i in range(n.states * n.classes):
            A.scores[i] = A.hiddens[i]
    else:
        gemm(
            False, True, n.states, n.classes, n.hiddens,
            1.0, <const float*>A.hiddens, n.hiddens,
            <const float*>W.hidden_weights, n.hiddens,
            0.0, A.scores, n.classes,
        )
        for i in range(n.states):
            for j in range(n.classes):
                A.scores[i * n.classes + j] += W.hidden_bias[j]
    lowest = A.scores[0]
    for i in range(1, n.states * n.classes):
        if A.scores[i] < lowest:
            lowest = A.scores[i]
    for i in range(n.states):
        for j in range(n.classes):
            if not W.seen_classes[j]:
                A.scores[i * n.classes + j] = lowest


cdef int _first_max(const float* scores, int n) noexcept nogil:
    # the first best score; -1 if any score is NaN (comparisons with NaN are
    # false both ways, so the best of all and the best valid may then differ)
    cdef int best = 0
    cdef int i
    if scores[0] != scores[0]:
        return -1
    for i in range(1, n):
        if scores[i] != scores[i]:
            return -1
        if scores[i] > scores[best]:
            best = i
    return best


cdef int _parse(
    TransitionSystem moves,
    sgemm_ptr gemm,
    StateC** states,
    WeightsC W,
    SizesC n,
    bint per_action,
) noexcept nogil:
    # spaCy's _parseC and c_transition_batch: score the live states, take each
    # one's best valid action, drop the finished ones, until none is left
    cdef Buffers A
    cdef int i, guess, live
    cdef int rc = 0
    cdef Transition action
    A.token_ids = <int*>calloc(n.states * n.feats, sizeof(int))
    A.unmaxed = <float*>calloc(n.states * n.hiddens * n.pieces, sizeof(float))
    A.hiddens = <float*>calloc(n.states * n.hiddens, sizeof(float))
    A.scores = <float*>calloc(n.states * n.classes, sizeof(float))
    # set_valid writes n_moves entries, _best_valid reads n.classes
    A.is_valid = <int*>calloc(max(moves.n_moves, n.classes), sizeof(int))
    if (
        A.token_ids == NULL or A.unmaxed == NULL or A.hiddens == NULL
        or A.scores == NULL or A.is_valid == NULL
    ):
        rc = -1
    else:
        while n.states >= 1:
            _score(gemm, &A, states, &W, n)
            for i in range(n.states):
                guess = -1
                if per_action:
                    # the best-scoring action is nearly always valid: test it
                    # alone before testing them all (same choice either way)
                    guess = _first_max(&A.scores[i * n.classes], n.classes)
                    if guess != -1:
                        action = moves.c[guess]
                        if not action.is_valid(states[i], action.label):
                            guess = -1
                if guess == -1:
                    moves.set_valid(A.is_valid, states[i])
                    guess = _best_valid(
                        &A.scores[i * n.classes], A.is_valid, n.classes
                    )
                if guess == -1:
                    states[i].force_final()
                else:
                    action = moves.c[guess]
                    action.do(states[i], action.label)
            live = 0
            for i in range(n.states):
                if not states[i].is_final():
                    states[live] = states[i]
                    live += 1
            n.states = live
    free(A.token_ids)
    free(A.unmaxed)
    free(A.hiddens)
    free(A.scores)
    free(A.is_valid)
    return rc


def greedy_parse(parser, docs):
    """``parser.greedy_parse(docs)`` for a spaCy ``Parser`` (dependency parser or
    entity recogniser) on the CPU, with greedy decoding: the list of final parse
    states, for ``parser.set_annotations(docs, states)``."""
    cdef vector[StateC*] states
    cdef StateClass state
    cdef TransitionSystem moves = parser.moves
    cdef CBlas cblas = parser.model.ops.cblas()
    cdef sgemm_ptr gemm = sgemm(cblas)
    cdef WeightsC weights
    cdef SizesC sizes
    cdef int rc = 0
    # TransitionSystem.set_valid asks each action's is_valid, and ArcEager's
    # asks the same per move type: one action can be tested alone
    cdef bint per_action = type(moves) in _PER_ACTION
    if moves.n_moves <= 0:
        raise ValueError(f"{parser.name} has no actions: is it initialised?")
    parser._ensure_labels_are_added(docs)
    batch = moves.init_batch(docs)
    model = parser.model.predict(docs)
    try:
        weights = get_c_weights(model)
        for state in batch:
            if not state.is_final():
                states.push_back(state.c)
        sizes = get_c_sizes(model, states.size())
        if sizes.classes > moves.n_moves:
            per_action = False
        if states.size():
            with nogil:
                rc = _parse(moves, gemm, &states[0], weights, sizes, per_action)
    finally:
        model.clear_memory()
        del model
    if rc != 0:
        raise MemoryError("no memory for the parser's activations")
    return batch
