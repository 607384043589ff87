"""The embedded quote bank: SQLite in WAL mode, FTS5 search, named migrations.

The file is a plain SQLite database that Datasette and sqlite-utils open as
is: ``quotes_fts`` is an external-content FTS5 table over ``quotes`` with the
trigger names sqlite-utils uses, so Datasette offers full-text search on it.
"""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import Any

from sqlite_utils import Database

from onrecord.errors import SchemaVersionError, StoreError
from onrecord.store._bank import FtsClause, QuoteBank, Row

Migration = Callable[[Database], None]

MIGRATION_SET = "onrecord"
MIGRATIONS_TABLE = "_sqlite_migrations"


def m001_schema(db: Database) -> None:
    """Articles, speakers and aliases, quotes, flags, errors, LSH keys."""
    db.table("articles").create(
        {
            "id": str,
            "content_hash": str,
            "text": str,
            "published": str,
            "url": str,
            "title": str,
            "source": str,
            "n_quotes": int,
            "ingested_at": str,
        },
        pk="id",
        not_null=["content_hash", "text"],
    )
    db.table("speakers").create(
        {
            "id": str,
            "name": str,
            "norm": str,
            "surname": str,
            "type": str,
            "n_quotes": int,
        },
        pk="id",
        not_null=["name", "norm"],
        defaults={"n_quotes": 0},
    )
    db.table("speakers").create_index(["norm"], unique=True)
    db.table("speakers").create_index(["surname"])
    db.table("speakers").create_index(["n_quotes"])
    db.table("speaker_aliases").create(
        {"speaker_id": str, "alias": str, "norm": str, "n": int},
        pk=("speaker_id", "norm"),
        foreign_keys=[("speaker_id", "speakers", "id")],
        defaults={"n": 1},
    )
    db.table("speaker_aliases").create_index(["norm"])
    db.table("quotes").create(
        {
            "id": int,
            "article_id": str,
            "idx": int,
            "kind": str,
            "content": str,
            "content_start": int,
            "content_end": int,
            "content_fragments": str,
            "cue": str,
            "cue_start": int,
            "cue_end": int,
            "speaker": str,
            "speaker_id": str,
            "speaker_mention": str,
            "speaker_start": int,
            "speaker_end": int,
            "speaker_type": str,
            "addressee": str,
            "medium": str,
            "said_on": str,
            "date_text": str,
            "stance": str,
            "confidence": float,
            "rule": str,
            "day": str,
            "n_flags": int,
            "keyed": int,
        },
        pk="id",
        not_null=["article_id", "idx", "content"],
        defaults={"n_flags": 0, "keyed": 0},
        foreign_keys=[
            ("article_id", "articles", "id"),
            ("speaker_id", "speakers", "id"),
        ],
    )
    db.table("quotes").create_index(["article_id", "idx"], unique=True)
    db.table("quotes").create_index(["speaker_id", "day"])
    db.table("quotes").create_index(["day"])
    db.execute("CREATE INDEX idx_quotes_unkeyed ON quotes (id) WHERE keyed = 0")
    db.table("flags").create(
        {
            "id": int,
            "quote_id": int,
            "kind": str,
            "evidence": str,
            "likely_speaker": str,
            "original": str,
            "diff": str,
            "other_article": str,
            "score": float,
        },
        pk="id",
        not_null=["quote_id", "kind"],
        foreign_keys=[("quote_id", "quotes", "id")],
    )
    db.table("flags").create_index(["quote_id"])
    db.table("flags").create_index(["kind"])
    db.table("errors").create(
        {"article_id": str, "source": str, "reason": str, "at": str},
        pk=("article_id", "source"),
        not_null=["reason"],
    )
    db.table("quote_keys").create(
        {"key": int, "quote_id": int}, not_null=["key", "quote_id"]
    )
    db.table("quote_keys").create_index(["key"])
    db.table("quote_keys").create_index(["quote_id"])


def m002_quotes_fts(db: Database) -> None:
    """FTS5 over quote text, speaker name and mention, kept by triggers."""
    # Written out rather than Table.enable_fts, whose executescript would
    # commit the migration's transaction half-way.
    cols = ("content", "speaker", "speaker_mention")
    new = ", ".join(f"new.[{c}]" for c in cols)
    old = ", ".join(f"old.[{c}]" for c in cols)
    names = ", ".join(f"[{c}]" for c in cols)
    for stmt in (
        f"CREATE VIRTUAL TABLE [quotes_fts] USING FTS5 ({names},"
        " tokenize='porter unicode61 remove_diacritics 2', content=[quotes])",
        f"CREATE TRIGGER [quotes_ai] AFTER INSERT ON [quotes] BEGIN"
        f" INSERT INTO [quotes_fts] (rowid, {names}) VALUES (new.rowid, {new}); END",
        f"CREATE TRIGGER [quotes_ad] AFTER DELETE ON [quotes] BEGIN"
        f" INSERT INTO [quotes_fts] ([quotes_fts], rowid, {names})"
        f" VALUES('delete', old.rowid, {old}); END",
        f"CREATE TRIGGER [quotes_au] AFTER UPDATE ON [quotes] BEGIN"
        f" INSERT INTO [quotes_fts] ([quotes_fts], rowid, {names})"
        f" VALUES('delete', old.rowid, {old});"
        f" INSERT INTO [quotes_fts] (rowid, {names}) VALUES (new.rowid, {new}); END",
        "INSERT INTO [quotes_fts] ([quotes_fts]) VALUES ('rebuild')",
    ):
        db.execute(stmt)


def m003_quote_wordings(db: Database) -> None:
    """Quotes grouped by wording: match keys only for the first quote of each
    wording (earlier banks are re-keyed by ``QuoteBank.backfill_keys``)."""
    db.execute("ALTER TABLE quotes ADD COLUMN wording INTEGER")
    # rep: the earliest published copy of a wording per speaker stands for the rest
    db.execute("ALTER TABLE quotes ADD COLUMN rep INTEGER NOT NULL DEFAULT 0")
    db.execute("CREATE INDEX idx_quotes_wording ON quotes (wording, rep)")
    db.execute("DELETE FROM quote_keys")
    db.execute("UPDATE quotes SET keyed = 0 WHERE keyed != 0")


MIGRATIONS: tuple[Migration, ...] = (m001_schema, m002_quotes_fts, m003_quote_wordings)


def _applied(db: Database) -> list[str]:
    if MIGRATIONS_TABLE not in db.table_names():
        return []
    return [
        r[0]
        for r in db.execute(
            f"SELECT name FROM [{MIGRATIONS_TABLE}] WHERE migration_set = ?"
            " ORDER BY rowid",
            [MIGRATION_SET],
        ).fetchall()
    ]


def apply_migrations(db: Database, *, path: str = "") -> list[str]:
    """Apply pending migrations, each in its own transaction.

    The bookkeeping table is sqlite-utils' ``_sqlite_migrations``
    (``sqlite_utils/migrations.py``), so ``sqlite-utils migrate`` sees the
    same history.

    Returns:
        Names of the migrations applied now.

    Raises:
        SchemaVersionError: The bank has migrations this version doesn't know.
    """
    known = [m.__name__ for m in MIGRATIONS]
    applied = _applied(db)
    unknown = [n for n in applied if n not in known]
    if unknown:
        raise SchemaVersionError(
            f"quote bank {path!r} was written by a newer onrecord (unknown "
            f"migrations: {', '.join(unknown)}; known: {', '.join(known)}); "
            "upgrade with: pip install -U onrecord"
        )
    if MIGRATIONS_TABLE not in db.table_names():
        db.execute(
            f"CREATE TABLE IF NOT EXISTS [{MIGRATIONS_TABLE}] (id INTEGER PRIMARY KEY,"
            " migration_set TEXT, name TEXT, applied_at TEXT)"
        )
        db.execute(
            f"CREATE UNIQUE INDEX IF NOT EXISTS idx_{MIGRATIONS_TABLE}_set_name"
            f" ON [{MIGRATIONS_TABLE}] (migration_set, name)"
        )
    done = []
    for migration in MIGRATIONS:
        if migration.__name__ in applied:
            continue
        conn = db.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            if migration.__name__ in _applied(db):  # another process got there
                conn.execute("COMMIT")
                continue
            migration(db)
            conn.execute(
                f"INSERT INTO [{MIGRATIONS_TABLE}] (migration_set, name, applied_at)"
                " VALUES (?, ?, datetime('now'))",
                [MIGRATION_SET, migration.__name__],
            )
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        done.append(migration.__name__)
    return done


_FTS_TOKEN = re.compile(r'"[^"]*"|\S+')
_WORDS = re.compile(r"\w+", re.UNICODE)


def fts5_query(text: str) -> str | None:
    """User words to a safe FTS5 query: every word (or "quoted phrase") must match."""
    parts = []
    for token in _FTS_TOKEN.findall(text):
        words = _WORDS.findall(token)
        if words:
            parts.append('"' + " ".join(words) + '"')
    return " ".join(parts) or None


class SqliteBank(QuoteBank):
    """The quote bank in one SQLite file (WAL mode)."""

    dialect = "sqlite"

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.url = os.fspath(path)
        parent = os.path.dirname(os.path.abspath(self.url))
        if not os.path.isdir(parent):
            raise StoreError(
                f"cannot open quote bank {self.url!r}: no directory {parent!r}"
            )
        try:
            conn = sqlite3.connect(self.url, timeout=60.0, check_same_thread=False)
            # explicit BEGIN/COMMIT below, whatever sqlite-utils' default is
            conn.isolation_level = None
            self.db = Database(conn)
            conn.execute("PRAGMA busy_timeout = 60000")
            self.db.enable_wal()
            conn.execute("PRAGMA synchronous = NORMAL")
            apply_migrations(self.db, path=self.url)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot open quote bank {self.url!r}: {exc}") from exc

    @property
    def conn(self) -> sqlite3.Connection:
        return self.db.conn

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        cur = self.conn.execute(sql, list(params))
        if cur.description is None:
            return []
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]

    def _exec(self, sql: str, params: Sequence[Any] = ()) -> None:
        self.conn.execute(sql, list(params))

    def _exec_many(self, sql: str, seq: Sequence[Sequence[Any]]) -> None:
        self.conn.executemany(sql, [list(p) for p in seq])

    @contextmanager
    def _tx(self) -> Iterator[None]:
        if self.conn.in_transaction:
            yield
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def batch_writes(self) -> AbstractContextManager[Any]:
        """One transaction for a batch: one commit, and one full-text index
        segment, per batch instead of per article; stored whole or not at all."""
        return self._tx()

    def _fts(self, q: str, *, ranked: bool) -> FtsClause:
        query = fts5_query(q)
        if query is None:
            return FtsClause(where="1 = 0")
        if ranked:
            # bm25 computed once per match, in a derived table
            return FtsClause(
                join=" JOIN (SELECT rowid AS rid, rank AS r FROM quotes_fts"
                " WHERE quotes_fts MATCH ?) f ON f.rid = q.id",
                join_params=(query,),
                order="f.r, q.id DESC",
            )
        return FtsClause(
            where="q.id IN (SELECT rowid FROM quotes_fts WHERE quotes_fts MATCH ?)",
            params=(query,),
        )

    def _fts_matches(self, q: str) -> int | None:
        query = fts5_query(q)
        if query is None:
            return 0
        row = self._one(
            "SELECT count(*) AS n FROM quotes_fts WHERE quotes_fts MATCH ?", [query]
        )
        return int(row["n"]) if row else 0

    def analyze(self) -> None:
        """Refresh the query planner's statistics (after a large ingest)."""
        self.conn.execute("ANALYZE")

    def close(self) -> None:
        self.db.close()
