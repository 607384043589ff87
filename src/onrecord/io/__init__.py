"""Readers: text, HTML, JSONL, WARC and CSV inputs to a stream of articles."""

from onrecord.io._base import (
    DEFAULT_MAX_BYTES,
    InputFailure,
    ReadOptions,
    check_text,
    content_hash,
)
from onrecord.io._read import FORMATS, format_of, read_inputs

__all__ = [
    "DEFAULT_MAX_BYTES",
    "FORMATS",
    "InputFailure",
    "ReadOptions",
    "check_text",
    "content_hash",
    "format_of",
    "read_inputs",
]
