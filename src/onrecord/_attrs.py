"""The attribute ruler's part-of-speech rules, applied with numpy.

spaCy's ``attribute_ruler`` maps fine tags to coarse parts of speech (and a few
exceptions keyed on the word or its dependency label) through a token Matcher.
That costs about a tenth of the small English pipeline's time, for what are
lookups. This component reads the same patterns from the loaded pipeline and
applies the ones that set ``POS`` as vector operations over the document's
arrays, in the ruler's order, so later patterns override earlier ones as they
do in spaCy.

``POS``, ``MORPH`` and ``LEMMA`` are set (the rule lemmatizer reads the
morphology; the ruler's lemmas for "is", "has", "n't"... are what the rule
lemmatizer, run on demand in ``extract/_lemma.py``, defers to). What is left
out: the one rule that relabels the dependency of whitespace tokens. Patterns with
keys other than TAG, LOWER, DEP and IS_SPACE (with IN, NOT_IN or REGEX) are
skipped.
"""

import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import numpy as np
from spacy.attrs import DEP, IS_SPACE, LEMMA, LOWER, MORPH, POS, TAG
from spacy.language import Language
from spacy.parts_of_speech import IDS as POS_IDS
from spacy.tokens import Doc
from spacy.util import minibatch

_KEYS = {"TAG": TAG, "LOWER": LOWER, "DEP": DEP, "IS_SPACE": IS_SPACE}
_COLS = {"TAG": 0, "LOWER": 1, "DEP": 2, "IS_SPACE": 3}

Cond = Callable[[np.ndarray], np.ndarray]


def _value(strings: Any, key: str, v: Any) -> int:
    if key == "IS_SPACE":
        return int(bool(v))
    return int(strings.add(v)) if v != "" else 0


def _condition(strings: Any, key: str, spec: Any) -> Cond | None:
    col = _COLS[key]
    if isinstance(spec, dict) and set(spec) == {"REGEX"} and key != "IS_SPACE":
        rx = re.compile(spec["REGEX"])
        seen: dict[int, bool] = {}

        def match(h: int) -> bool:
            hit = seen.get(h)
            if hit is None:
                hit = seen[h] = bool(rx.search(strings[h])) if h in strings else False
            return hit

        def test(a: np.ndarray) -> np.ndarray:
            # the regex once per distinct value, not once per token
            values, where = np.unique(a[:, col], return_inverse=True)
            hits = np.fromiter((match(int(h)) for h in values), bool, len(values))
            return hits[where.reshape(-1)]

        return test
    if isinstance(spec, dict):
        if set(spec) - {"IN", "NOT_IN"}:
            return None
        if "IN" in spec:
            vals = np.array(
                [_value(strings, key, v) for v in spec["IN"]], dtype=np.uint64
            )
            return lambda a: np.isin(a[:, col], vals)
        vals = np.array(
            [_value(strings, key, v) for v in spec["NOT_IN"]], dtype=np.uint64
        )
        return lambda a: ~np.isin(a[:, col], vals)
    return _Equals(col, np.uint64(_value(strings, key, spec)))


class _Equals:
    """A column equal to one value: the condition the rules can be indexed by."""

    __slots__ = ("col", "value")

    def __init__(self, col: int, value: np.uint64) -> None:
        self.col = col
        self.value = value

    def __call__(self, a: np.ndarray) -> np.ndarray:
        return a[:, self.col] == self.value  # type: ignore[no-any-return]


class _Index:
    """The positions of each value in a column of a batch's array, on demand."""

    def __init__(self, arr: np.ndarray) -> None:
        self.arr = arr
        self.sorted: dict[int, tuple[np.ndarray, np.ndarray]] = {}

    def positions(self, col: int, value: np.uint64) -> np.ndarray:
        """Ascending rows where column ``col`` equals ``value``."""
        if col not in self.sorted:
            order = np.argsort(self.arr[:, col], kind="stable")
            self.sorted[col] = (order, self.arr[order, col])
        order, values = self.sorted[col]
        lo = np.searchsorted(values, value, side="left")
        hi = np.searchsorted(values, value, side="right")
        return order[lo:hi]


class FastPOS:
    """Sets ``pos``, ``morph`` and ``lemma`` as the model's attribute ruler would."""

    def __init__(self, patterns: list[dict[str, Any]], vocab: Any) -> None:
        strings = vocab.strings
        # (conditions per token, index of the token to set, POS id, MORPH hash,
        # LEMMA hash; -1 where the rule leaves the attribute alone)
        self.rules: list[tuple[list[list[Cond]], int, int, int, int]] = []
        for entry in patterns:
            attrs = entry.get("attrs", {})
            pos = attrs.get("POS")
            morph = attrs.get("MORPH")
            pos_id = POS_IDS[pos] if pos in POS_IDS else -1
            morph_id = (
                int(vocab.morphology.add("" if morph == "_" else morph))
                if isinstance(morph, str)
                else -1
            )
            lem = attrs.get("LEMMA")
            lemma_id = int(strings.add(lem)) if isinstance(lem, str) else -1
            if pos_id < 0 and morph_id < 0 and lemma_id < 0:
                continue
            for pattern in entry["patterns"]:
                conds: list[list[Cond]] = []
                ok = True
                for tok in pattern:
                    tc: list[Cond] = []
                    for key, spec in tok.items():
                        if key not in _KEYS:
                            ok = False
                            break
                        c = _condition(strings, key, spec)
                        if c is None:
                            ok = False
                            break
                        tc.append(c)
                    conds.append(tc)
                if ok and conds:
                    self.rules.append(
                        (conds, int(entry.get("index", 0)), pos_id, morph_id, lemma_id)
                    )

    def __call__(self, doc: Doc) -> Doc:
        self._set([doc])
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        """The rules over a batch of documents at once: numpy's per-call cost
        is paid per rule and batch, not per rule and document."""
        for batch in minibatch(docs, size=batch_size):  # type: ignore[no-untyped-call]
            self._set(batch)
            yield from batch

    def _set(self, docs: list[Doc]) -> None:
        docs = [d for d in docs if len(d)]
        if not docs:
            return
        arr = np.concatenate(
            [d.to_array([TAG, LOWER, DEP, IS_SPACE, POS, MORPH, LEMMA]) for d in docs]
        ).astype(np.uint64)
        n = len(arr)
        # which document each token is in: a pattern never spans two
        doc_of = np.repeat(np.arange(len(docs)), [len(d) for d in docs])
        pos = arr[:, 4].copy()
        morph = arr[:, 5].copy()
        lemma = arr[:, 6].copy()
        index = _Index(arr)
        for conds, at, pos_id, morph_id, lemma_id in self.rules:
            width = len(conds)
            if width > n:
                continue
            hits = _matches(arr, doc_of, index, conds) + at
            if hits.size:
                if pos_id >= 0:
                    pos[hits] = pos_id
                if morph_id >= 0:
                    morph[hits] = morph_id
                if lemma_id >= 0:
                    lemma[hits] = lemma_id
        values: Any = np.stack([pos, morph, lemma], axis=1)
        start = 0
        for doc in docs:
            doc.from_array([POS, MORPH, LEMMA], values[start : start + len(doc)])
            start += len(doc)


def _matches(
    arr: np.ndarray, doc_of: np.ndarray, index: _Index, conds: list[list[Cond]]
) -> np.ndarray:
    """Ascending start rows where a pattern (conditions per token) matches within
    one document. A pattern with a token equal to one value is tried only where
    that value is (most rules name a tag or a word), others on every row."""
    n, width = len(arr), len(conds)
    key = next(
        ((k, c) for k, tc in enumerate(conds) for c in tc if isinstance(c, _Equals)),
        None,
    )
    if key is None:
        if width > 1:
            mask = doc_of[: n - width + 1] == doc_of[width - 1 :]
        else:
            mask = np.ones(n, dtype=bool)
        for k, tc in enumerate(conds):
            window = arr[k : n - width + 1 + k]
            for c in tc:
                mask &= c(window)
        return np.nonzero(mask)[0]
    k0, c0 = key
    starts = index.positions(c0.col, c0.value) - k0
    starts = starts[(starts >= 0) & (starts <= n - width)]
    if width > 1:
        starts = starts[doc_of[starts] == doc_of[starts + width - 1]]
    for k, tc in enumerate(conds):
        for c in tc:
            if starts.size == 0:
                return starts
            if k != k0 or c is not c0:
                starts = starts[c(arr[starts + k])]
    return starts


@Language.factory("onrecord_pos")
def make_fast_pos(nlp: Language, name: str) -> FastPOS:
    """The attribute ruler's POS rules of ``nlp``, vectorised (see module doc)."""
    ruler: Any = nlp.get_pipe("attribute_ruler")
    return FastPOS(list(ruler.patterns), nlp.vocab)
