"""onrecord's compiled speed-ups, where they are built: the parser's transition
loop (``onrecord._greedy``) and two embedding kernels (``onrecord._t2v``).

Both give the same results as spaCy's and thinc's own code, which runs wherever
they are missing (no C++ compiler at install time) or, for ``_greedy``, built for
another spaCy version.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from thinc.layers import hashembed as _hashembed
from thinc.layers import maxout as _maxout

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


def use_kernels(nlp: Any) -> int:
    """Route the maxout and hash-embedding layers of ``nlp``'s components through
    onrecord._t2v when they predict (training keeps thinc's code); the number of
    layers changed (0 when the module is not built)."""
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
            if node._func is _maxout.forward:
                node._func = _maxout_forward
                changed += 1
            elif node._func is _hashembed.forward:
                node._func = _hashembed_forward
                changed += 1
    return changed
