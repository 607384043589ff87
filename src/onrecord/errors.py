"""The onrecord error tree. Every error carries a stable code like ``[OR101]``."""

from __future__ import annotations


class OnrecordError(Exception):
    """Base class of every error onrecord raises on purpose."""

    code = "OR100"

    def __init__(self, message: str) -> None:
        super().__init__(f"[{self.code}] {message}")


class InputError(OnrecordError):
    """An input could not be read as an article (binary, empty, too large...)."""

    code = "OR101"


class ConfigError(OnrecordError):
    """A bad option value."""

    code = "OR102"


class ModelNotFound(OnrecordError):
    """The spaCy English pipeline is not installed."""

    code = "OR103"


class ArticleNotFound(OnrecordError):
    """No article with that id in the quote bank."""

    code = "OR201"


class SchemaVersionError(OnrecordError):
    """The quote bank was written by a newer onrecord."""

    code = "OR202"


class StoreError(OnrecordError):
    """The quote bank could not be opened or written."""

    code = "OR203"


class MissingExtra(OnrecordError):
    """An optional dependency is missing; the message says what to install."""

    code = "OR301"
