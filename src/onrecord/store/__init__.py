"""The quote bank: SQLite by default, PostgreSQL for a server."""

from __future__ import annotations

import os

from onrecord.store._bank import QuoteBank, SpeakerNotFound, quote_dict
from onrecord.store._speakers import normalise_name, speaker_slug

DEFAULT_DB = "onrecord.db"


def is_postgres_url(target: str | os.PathLike[str]) -> bool:
    """Whether a ``--db`` value names a PostgreSQL server."""
    text = os.fspath(target)
    return text.startswith(("postgresql://", "postgres://"))


def open_bank(target: str | os.PathLike[str] = DEFAULT_DB) -> QuoteBank:
    """Open (creating if needed) a quote bank and apply pending migrations.

    Args:
        target: A SQLite file path, or a ``postgresql://`` URL.

    Raises:
        StoreError: It cannot be opened.
        SchemaVersionError: It was written by a newer onrecord.
        MissingExtra: A PostgreSQL URL without psycopg installed.
    """
    if is_postgres_url(target):
        from onrecord.store._postgres import PostgresBank

        return PostgresBank(os.fspath(target))
    from onrecord.store._sqlite import SqliteBank

    return SqliteBank(target)


__all__ = [
    "DEFAULT_DB",
    "QuoteBank",
    "SpeakerNotFound",
    "is_postgres_url",
    "normalise_name",
    "open_bank",
    "quote_dict",
    "speaker_slug",
]
