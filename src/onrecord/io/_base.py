"""Shared pieces of the readers: the failure record, limits, decoding, checks."""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass

from onrecord.types import Article

logger = logging.getLogger("onrecord.io")

DEFAULT_MAX_BYTES = 10_000_000
"""Default limit on an article's text, in UTF-8 bytes (10 MB)."""

RAW_FACTOR = 5
"""Markup (HTML, WARC payloads) may be this many times larger than the text limit."""


@dataclass(frozen=True, slots=True)
class InputFailure:
    """An input that could not be read as an article.

    Attributes:
        id: The article id the input would have had (file path, JSONL ``id``,
            ``path:line``...).
        source: Where it came from (a file path, ``-`` for stdin).
        reason: One line saying what is wrong ("binary (NUL bytes)", "empty"...).
    """

    id: str
    source: str
    reason: str


@dataclass(frozen=True, slots=True)
class ReadOptions:
    """Options of :func:`onrecord.io.read_inputs`.

    Attributes:
        published: Publication date for articles that carry none.
        max_bytes: Largest accepted article text, in UTF-8 bytes.
        text_column: The CSV column holding the article text.
        language: ``"en"`` rejects text that is clearly not English; ``None``
            accepts any language.
    """

    published: str | None = None
    max_bytes: int = DEFAULT_MAX_BYTES
    text_column: str = "text"
    language: str | None = "en"


def content_hash(text: str) -> str:
    """The SHA-256 hex digest of an article text, the bank's content key."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


# Control characters (other than whitespace), lone surrogates, private use
# and non-characters: what decoded binary looks like.
_BAD_CHARS = re.compile(
    "[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff\ue000-\uf8ff\ufffe\uffff]"
)


def _garbage_ratio(text: str, sample: int = 20_000) -> float:
    """Share of control, surrogate, private-use or non-characters in a sample."""
    chunk = text[:sample]
    if not chunk:
        return 0.0
    return len(_BAD_CHARS.findall(chunk)) / len(chunk)


def decode_bytes(data: bytes, *, hint: str | None = None) -> tuple[str | None, str]:
    """Decode article bytes: UTF-8 first, then a declared or detected charset.

    Args:
        data: The raw bytes.
        hint: A charset declared by the container (HTTP header), tried second.

    Returns:
        ``(text, note)``: the text and the encoding used, or ``(None, reason)``
        when the bytes are not text.
    """
    if b"\x00" in data:
        return None, "binary (NUL bytes)"
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    candidates: list[str] = []
    if hint:
        candidates.append(hint)
    try:
        import charset_normalizer

        best = charset_normalizer.from_bytes(data[:200_000]).best()
        if best is not None:
            candidates.append(best.encoding)
    except Exception:  # noqa: BLE001 - detection is best effort
        logger.debug("charset detection failed", exc_info=True)
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        if _garbage_ratio(text) <= 0.01:
            return text, encoding
    return None, "not text (undecodable bytes, not UTF-8)"


_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_EN_STOPWORDS = frozenset(
    "the a an of to in and is was for on that with as by at from he she it they "
    "said says be are were has have had not this but his her their its we i you "
    "will would or who which after about more".split()
)


def check_text(text: str, opts: ReadOptions) -> str | None:
    """Why a decoded text cannot be an article, or ``None`` when it can.

    Checks, in order: empty, too large, binary-looking, not English.
    """
    if not text.strip():
        return "empty"
    try:
        size = len(text.encode("utf-8"))
    except UnicodeEncodeError:
        return "not valid Unicode (lone surrogates in text)"
    if size > opts.max_bytes:
        return f"too large ({size} bytes of text > limit {opts.max_bytes})"
    if _garbage_ratio(text) > 0.01:
        return "binary (control characters in text)"
    if opts.language == "en":
        reason = _not_english(text)
        if reason:
            return reason
    return None


def _not_english(text: str) -> str | None:
    # Cheap and conservative: only long enough texts are judged, and only a
    # clear signal (mostly non-Latin letters, or almost no English function
    # words) rejects them, so short or odd English never gets dropped.
    words = _WORD.findall(text[:20_000])
    if len(words) < 30:
        return None
    letters = "".join(words)
    latin = len(letters.encode("ascii", "ignore"))
    if latin / len(letters) < 0.5:
        return "wrong language (mostly non-Latin script; onrecord reads English)"
    hits = sum(map(_EN_STOPWORDS.__contains__, map(str.lower, words)))
    if hits / len(words) < 0.05:
        return (
            f"wrong language (English function words {hits}/{len(words)}; "
            "onrecord reads English)"
        )
    return None


def make_article(
    *,
    id: str,
    source: str,
    text: str | None,
    opts: ReadOptions,
    published: str | None = None,
    url: str | None = None,
    title: str | None = None,
    failure: str | None = None,
) -> Article | InputFailure:
    """Build an :class:`Article`, or an :class:`InputFailure` when it is bad."""
    if failure is not None or text is None:
        return InputFailure(id, source, failure or "no text")
    reason = check_text(text, opts)
    if reason:
        return InputFailure(id, source, reason)
    return Article(
        id=id,
        text=text,
        published=published or opts.published,
        url=url,
        title=title,
    )
