"""onrecord's compiled speed-ups, where they are built: the parser's transition
loop (``onrecord._greedy``), two embedding kernels (``onrecord._t2v``) and, on those
kernels, the hash embeddings fused with the maxout layer that mixes them.

The loop and the kernels give the same results as spaCy's and thinc's own code,
which runs wherever they are missing (no C++ compiler at install time) or, for
``_greedy``, built for another spaCy version. The fused embedding adds the same
products in another order: its vectors are thinc's to within float32 rounding
(about 1e-6), and PolNeAR's 924 train and dev articles get the same parse, tags
and entities from both (tests/test_accel.py checks the vectors and the parse).
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
from thinc.layers import hashembed as _hashembed
from thinc.layers import maxout as _maxout

_chain = importlib.import_module("thinc.layers.chain")
_chain_forward: Callable[[Any, Any, bool], tuple[Any, Any]] = _chain.forward
_concatenate = importlib.import_module("thinc.layers.concatenate")
_with_array = importlib.import_module("thinc.layers.with_array")

GreedyLoop = Callable[[Any, list[Any]], list[Any]]

_log = logging.getLogger(__name__)


def _compiled(name: str, instead: str) -> Any:
    """The compiled module ``onrecord.<name>``, or None: not built (no compiler at
    install time), or unusable (built for other structs or another numpy ABI,
    which Cython's import checks report as ValueError or TypeError)."""
    try:
        return importlib.import_module(f"onrecord.{name}")
    except ImportError:
        return None
    except Exception as exc:
        _log.warning("onrecord.%s unusable (%s); %s runs", name, exc, instead)
        return None


@lru_cache(maxsize=1)
def greedy_loop() -> GreedyLoop | None:
    """onrecord._greedy's transition loop, when it is built for this spaCy."""
    greedy = _compiled("_greedy", "spaCy's loop")
    if greedy is None:
        return None
    import spacy

    if greedy.SPACY_VERSION != spacy.about.__version__:
        _log.warning(
            "onrecord._greedy was built for spaCy %s, not %s; spaCy's loop runs",
            greedy.SPACY_VERSION,
            spacy.about.__version__,
        )
        return None
    loop: GreedyLoop = greedy.greedy_parse
    return loop


@lru_cache(maxsize=1)
def _t2v() -> Any:
    return _compiled("_t2v", "thinc's kernels")


def _inference_only(_: Any) -> Any:
    raise RuntimeError("onrecord's inference kernels have no backward pass")


def _maxout_forward(model: Any, X: Any, is_train: bool) -> tuple[Any, Any]:
    # thinc.layers.maxout.forward without the winners' indices
    if is_train:
        return _maxout.forward(model, X, is_train)
    nO = model.get_dim("nO")
    nP = model.get_dim("nP")
    nI = model.get_dim("nI")
    W = model.ops.reshape2f(model.get_param("W"), nO * nP, nI)
    Y = model.ops.gemm(X, W, trans2=True)
    Y += model.ops.reshape1f(model.get_param("b"), nO * nP)
    Z = model.ops.reshape3f(Y, Y.shape[0], nO, nP)
    return _t2v().maxout(Z), _inference_only


def _hashembed_forward(model: Any, ids: Any, is_train: bool) -> tuple[Any, Any]:
    # thinc.layers.hashembed.forward, the rows summed by onrecord._t2v
    vectors = model.get_param("E")
    if is_train or len(ids) == 0 or vectors.dtype != "float32":
        return _hashembed.forward(model, ids, is_train)
    ids = model.ops.as_contig(ids, dtype="uint64")
    keys = model.ops.hash(ids, model.attrs["seed"]) % vectors.shape[0]
    if keys.dtype != "uint32":
        return _hashembed.forward(model, ids, is_train)
    return _t2v().gather_add(vectors, keys), _inference_only


@dataclass(frozen=True)
class _Fused:
    """A hash-embedding layer's tables multiplied through the maxout layer after it.

    MultiHashEmbed concatenates one hash embedding per token attribute (each the
    sum of four hashed rows of its table) and mixes them with a maxout layer. The
    maxout's product with the concatenation is the sum of each table row's product
    with that table's block of the weights, so those products are computed once per
    row (``table``, all attributes' rows one after the other) and a token's
    pre-activations become the sum of its rows in that table: no matrix product
    per token."""

    params: tuple[Any, ...]  # the arrays the table was computed from
    table: Any  # (rows of all attributes, nO * nP) float32
    tables: tuple[tuple[int, int, int, int], ...]  # (column, seed, rows, offset)
    bias: Any  # (nO * nP,)
    nO: int
    nP: int
    after: tuple[Any, ...]  # the layers after the maxout (layer norm, dropout)


def _flat(node: Any) -> list[Any]:
    if node._func is _chain_forward:
        return [leaf for layer in node.layers for leaf in _flat(layer)]
    return [node]


def _embed_parts(model: Any) -> tuple[list[Any], Any, list[Any]] | None:
    """The hash embeddings, the maxout and the layers after it of a MultiHashEmbed
    chain (features, list2ragged, with_array(concatenate(embeddings)),
    with_array(maxout...), ragged2list), or None for any other layer."""
    if len(model.layers) != 5:
        return None
    features, to_ragged, embed, mix, to_list = model.layers
    if (
        features.name != "extract_features"
        or to_ragged.name != "list2ragged"
        or to_list.name != "ragged2list"
        or embed._func is not _with_array.forward
        or mix._func is not _with_array.forward
        or embed.layers[0]._func is not _concatenate.forward
    ):
        return None
    embeddings = []
    for column, layer in enumerate(embed.layers[0].layers):
        parts = _flat(layer)
        if (
            len(parts) != 2
            or parts[0].name != "ints-getitem"
            or parts[0].attrs.get("index") != (slice(0, None), column)
            or parts[1]._func not in (_hashembed.forward, _hashembed_forward)
        ):
            return None
        embeddings.append(parts[1])
    layers = _flat(mix.layers[0])
    if layers[0]._func not in (_maxout.forward, _maxout_forward) or any(
        layer.name not in {"layernorm", "dropout"} for layer in layers[1:]
    ):
        return None
    return embeddings, layers[0], layers[1:]


def _fused(model: Any, done: _Fused | None) -> _Fused | None:
    """``done`` while the layer's parameters are the arrays it was computed from,
    else computed anew (None when the layer is not a MultiHashEmbed). Arrays
    changed in place are not noticed here: a training pass drops the table
    (:class:`_EmbedForward`), and code editing weights in place otherwise must set
    ``fused`` to None."""
    parts = _embed_parts(model)
    if parts is None:
        return None
    embeddings, maxout, after = parts
    arrays = [e.get_param("E") for e in embeddings]
    W, b = maxout.get_param("W"), maxout.get_param("b")
    params = (*arrays, W, b)
    if (
        done is not None
        and len(done.params) == len(params)
        and all(a is c for a, c in zip(done.params, params, strict=True))
    ):
        return done
    nO, nP, nI = maxout.get_dim("nO"), maxout.get_dim("nP"), maxout.get_dim("nI")
    if sum(E.shape[1] for E in arrays) != nI or any(
        E.dtype != "float32" for E in arrays
    ):
        return None
    # thinc's gemm (blis, one thread), not numpy's: numpy's OpenBLAS starts threads
    # that then spin on the other core
    ops = model.ops
    W2 = ops.reshape2f(W, nO * nP, nI)
    blocks, tables, start, offset = [], [], 0, 0
    for column, (e, E) in enumerate(zip(embeddings, arrays, strict=True)):
        width = E.shape[1]
        block = np.ascontiguousarray(W2[:, start : start + width])
        blocks.append(ops.gemm(ops.as_contig(E), block, trans2=True))
        tables.append((column, int(e.attrs["seed"]), E.shape[0], offset))
        start += width
        offset += E.shape[0]
    done = _Fused(
        params=params,
        table=np.ascontiguousarray(np.vstack(blocks)),
        tables=tuple(tables),
        bias=np.asarray(b, dtype=np.float32).reshape(nO * nP),
        nO=nO,
        nP=nP,
        after=tuple(after),
    )
    return done


class _EmbedForward:
    """The forward pass of a MultiHashEmbed chain with its embeddings and the
    maxout's product fused (:class:`_Fused`, computed on first use and kept here,
    with the layer); training runs thinc's chain and drops the table, since the
    optimizer (and its parameter averages) then update the weights in place."""

    def __init__(self) -> None:
        self.fused: _Fused | None = None

    def __call__(self, model: Any, docs: Any, is_train: bool) -> tuple[Any, Any]:
        if is_train:
            self.fused = None
            return _chain_forward(model, docs, is_train)
        self.fused = _fused(model, self.fused)
        if self.fused is None:
            return _chain_forward(model, docs, is_train)
        return _embed_predict(model, self.fused, docs)


def _embed_predict(model: Any, fused: _Fused, docs: Any) -> tuple[Any, Any]:
    features, to_ragged, _, _, to_list = model.layers
    Xr, _ = to_ragged(features(docs, is_train=False)[0], is_train=False)
    ids = Xr.dataXd
    if len(ids) == 0:
        return _chain_forward(model, docs, False)
    ops = model.ops
    keys = np.empty((ids.shape[0], 4 * len(fused.tables)), dtype=np.uint32)
    for k, (column, seed, rows, offset) in enumerate(fused.tables):
        hashed = ops.hash(ops.as_contig(ids[:, column], dtype="uint64"), seed)
        keys[:, 4 * k : 4 * k + 4] = hashed % rows + offset
    Y = _t2v().gather_add(fused.table, keys)
    Y += fused.bias
    X = _t2v().maxout(Y.reshape(Y.shape[0], fused.nO, fused.nP))
    for layer in fused.after:
        X = layer.predict(X)
    return to_list(type(Xr)(X, Xr.lengths), is_train=False)[0], _inference_only


def use_kernels(nlp: Any) -> int:
    """Route the maxout and hash-embedding layers of ``nlp``'s components through
    onrecord._t2v, and fuse each MultiHashEmbed's embeddings with its maxout, when
    they predict (training keeps thinc's code); the number of layers changed (0 when
    the module is not built)."""
    if _t2v() is None:
        return 0
    from thinc.api import NumpyOps

    changed = 0
    for _, proc in nlp.pipeline:
        model = getattr(proc, "model", None)
        if model is None or not hasattr(model, "walk"):
            continue
        for node in model.walk():
            if not isinstance(node.ops, NumpyOps):
                continue
            if node._func is _chain_forward and _embed_parts(node) is not None:
                node._func = _EmbedForward()
                changed += 1
            elif node._func is _maxout.forward:
                node._func = _maxout_forward
                changed += 1
            elif node._func is _hashembed.forward:
                node._func = _hashembed_forward
                changed += 1
    return changed
