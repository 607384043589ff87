"""onrecord: who said what, to whom, when, and how reliably."""

from onrecord import verify  # noqa: E402  (callable subpackage: onrecord.verify(results, index=...))
from onrecord._pipeline import Options, Pipeline, extract, extract_articles
from onrecord.errors import OnrecordError
from onrecord.types import Article, Flag, Quote, Result

__all__ = [
    "Article",
    "Flag",
    "OnrecordError",
    "Options",
    "Pipeline",
    "Quote",
    "Result",
    "extract",
    "extract_articles",
    "verify",
]
__version__ = "0.1.0"
