"""The quote bank: one SQL layer shared by the SQLite and PostgreSQL backends.

SQL here uses ``?`` placeholders and only syntax both engines accept
(``INSERT ... ON CONFLICT``, ``RETURNING``); the backends translate
placeholders and supply full-text search, transactions and the schema.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from typing import Any

from onrecord.errors import ArticleNotFound, StoreError
from onrecord.io import content_hash
from onrecord.store._keys import (
    index_limits,
    indexed_quote,
    quote_keys,
    to_signed64,
    wording_key,
)
from onrecord.store._speakers import (
    clean_name,
    is_alias,
    looks_like_person,
    normalise_name,
    speaker_slug,
    surname_of,
)
from onrecord.types import Article, Quote, Result

Row = dict[str, Any]

RANK_LIMIT = 5000
"""Above this many full-text matches, results come newest first, not ranked."""

_ISO_DAY = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?")


@dataclass(frozen=True, slots=True)
class FtsClause:
    """Full-text search as SQL fragments over ``quotes q``.

    ``join`` (with ``join_params``) is added after ``FROM quotes q``,
    ``where`` (with ``params``) to the conditions, ``order`` (with
    ``order_params``) is the relevance order, empty when not ranked.
    """

    join: str = ""
    join_params: tuple[Any, ...] = ()
    where: str = ""
    params: tuple[Any, ...] = ()
    order: str = ""
    order_params: tuple[Any, ...] = ()


class SpeakerNotFound(StoreError):
    """No speaker with that id in the quote bank."""

    code = "OR204"


def iso_day(value: str | None) -> str | None:
    """The ``YYYY[-MM[-DD]]`` prefix of an ISO date, or ``None``."""
    if not value:
        return None
    m = _ISO_DAY.match(value.strip())
    return m.group(0) if m else None


def until_bound(until: str) -> str:
    """An upper bound that includes every day that starts with ``until``."""
    return until + "~"  # '~' sorts after digits and '-'


def _span(a: Any, b: Any) -> list[int] | None:
    return [int(a), int(b)] if a is not None and b is not None else None


def _utcnow() -> str:
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")


QUOTE_COLUMNS = (
    "article_id",
    "idx",
    "kind",
    "content",
    "content_start",
    "content_end",
    "content_fragments",
    "cue",
    "cue_start",
    "cue_end",
    "speaker",
    "speaker_id",
    "speaker_mention",
    "speaker_start",
    "speaker_end",
    "speaker_type",
    "addressee",
    "medium",
    "said_on",
    "date_text",
    "stance",
    "confidence",
    "rule",
    "day",
    "n_flags",
    "keyed",
)


_COPIES = (
    "SELECT q.id, q.wording, q.speaker_id, q.speaker, q.speaker_mention,"
    " a.published FROM quotes q JOIN articles a ON a.id = q.article_id"
)
"""Copies of wordings with what tells them apart (add a WHERE clause)."""


def _claims_keys(wording: int | None, keyed: set[int]) -> bool:
    """Whether a quote carries its wording's match keys: the first quote of a
    wording does, for all its copies (``keyed`` records the wordings taken)."""
    if wording is None:
        return True
    if wording in keyed:
        return False
    keyed.add(wording)
    return True


def _chunks(values: Sequence[Any], size: int = 500) -> Iterator[Sequence[Any]]:
    """``values`` in slices that stay under SQLite's bound-parameter limit."""
    for i in range(0, len(values), size):
        yield values[i : i + size]


def _speaker_key(row: Any, speaker_id: str | None = None) -> str:
    """Who a stored row or a new quote credits, for telling copies apart: the
    speaker's id, else the name or mention as written."""
    if isinstance(row, dict):
        speaker_id = row.get("speaker_id")
        name, mention = row.get("speaker"), row.get("speaker_mention")
    else:
        name, mention = row.speaker, row.speaker_mention
    return speaker_id or (name or "").lower() or (mention or "").lower()


class QuoteBank(ABC):
    """Articles, quotes, speakers, flags and failures, searchable.

    Use :func:`onrecord.store.open_bank` to get one. Implements the
    ``QuoteIndex`` protocol of ``onrecord.verify`` (``candidates``/``add``).
    """

    url: str
    dialect: str

    # -- backend primitives -------------------------------------------------

    @abstractmethod
    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[Row]: ...

    @abstractmethod
    def _exec(self, sql: str, params: Sequence[Any] = ()) -> None: ...

    @abstractmethod
    def _exec_many(self, sql: str, seq: Sequence[Sequence[Any]]) -> None: ...

    @abstractmethod
    def _tx(self) -> AbstractContextManager[Any]: ...

    @abstractmethod
    def _fts(self, q: str, *, ranked: bool) -> FtsClause:
        """How to find the quotes matching words ``q`` (see :class:`FtsClause`)."""

    @abstractmethod
    def close(self) -> None:
        """Close the connection."""

    def batch_writes(self) -> AbstractContextManager[Any]:
        """Group the writes of one batch of articles (``ingest`` uses it).

        Nothing here: each article is its own transaction, so concurrent
        ingests into a PostgreSQL bank never hold two articles' locks at once.
        SQLite, a single writer, makes the batch one transaction.
        """
        return nullcontext()

    def __enter__(self) -> QuoteBank:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _lock_article(self, article_id: str) -> None:  # noqa: B027 - optional hook
        """Serialise writers of one article until the transaction ends.

        SQLite needs nothing: ``BEGIN IMMEDIATE`` already serialises writers.
        """

    def _one(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        rows = self._rows(sql, params)
        return rows[0] if rows else None

    def _insert_id(self, sql: str, params: Sequence[Any]) -> int:
        row = self._one(sql + " RETURNING id", params)
        assert row is not None
        return int(row["id"])

    # -- writing --------------------------------------------------------------

    def has_article(self, article_id: str, content_hash: str) -> bool:
        """Whether this article, with this exact text, is already stored."""
        return (
            self._one(
                "SELECT 1 AS x FROM articles WHERE id = ? AND content_hash = ?",
                (article_id, content_hash),
            )
            is not None
        )

    def article_hashes(self) -> Iterator[tuple[str, str]]:
        """``(id, content_hash)`` of every stored article."""
        for r in self._rows("SELECT id, content_hash FROM articles"):
            yield r["id"], r["content_hash"]

    def add_result(self, result: Result, *, source: str | None = None) -> bool:
        """Store one article with its quotes, speakers, flags and match keys.

        One transaction. Idempotent: an article already stored with the same
        text is left alone (returns ``False``); one stored with another text
        is replaced. A result with an ``error`` goes to the errors table.

        Returns:
            Whether the article was written.
        """
        article = result.article
        if result.error:
            self.add_error(article.id, source or "", result.error)
            return False
        digest = content_hash(article.text)
        with self._tx():
            self._lock_article(article.id)
            row = self._one(
                "SELECT content_hash FROM articles WHERE id = ?", (article.id,)
            )
            if row is not None and row["content_hash"] == digest:
                return False
            if row is not None:
                self._delete_article(article.id)
            self._exec(
                "INSERT INTO articles (id, content_hash, text, published, url, title,"
                " source, n_quotes, ingested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    article.id,
                    digest,
                    article.text,
                    article.published,
                    article.url,
                    article.title,
                    source,
                    len(result.quotes),
                    _utcnow(),
                ),
            )
            speaker_ids = self._resolve_speakers(result.quotes)
            self._insert_quotes(article, result.quotes, speaker_ids)
            self._exec("DELETE FROM errors WHERE article_id = ?", (article.id,))
        return True

    def add(self, article: Article, quotes: Sequence[Quote]) -> None:
        """``QuoteIndex.add``: store an article and its (verified) quotes."""
        self.add_result(Result(article=article, quotes=tuple(quotes)))

    def add_error(self, article_id: str, source: str, reason: str) -> None:
        """Record an input or article that failed, with the reason."""
        with self._tx():
            self._exec(
                "INSERT INTO errors (article_id, source, reason, at)"
                " VALUES (?, ?, ?, ?)"
                " ON CONFLICT (article_id, source) DO UPDATE SET"
                " reason = excluded.reason, at = excluded.at",
                (article_id, source or "", reason, _utcnow()),
            )

    def _delete_article(self, article_id: str) -> None:
        for r in self._rows(
            "SELECT speaker_id, count(*) AS n FROM quotes WHERE article_id = ?"
            " AND speaker_id IS NOT NULL GROUP BY speaker_id",
            (article_id,),
        ):
            self._exec(
                "UPDATE speakers SET n_quotes = n_quotes - ? WHERE id = ?",
                (r["n"], r["speaker_id"]),
            )
        sub = "(SELECT id FROM quotes WHERE article_id = ?)"
        # keys held for a wording's copies go to the next copy in another article
        for r in self._rows(
            "SELECT id, wording FROM quotes WHERE article_id = ? AND wording IS NOT"
            " NULL AND id IN (SELECT quote_id FROM quote_keys)",
            (article_id,),
        ):
            heir = self._one(
                "SELECT min(id) AS id FROM quotes"
                " WHERE wording = ? AND article_id != ?",
                (r["wording"], article_id),
            )
            if heir is not None and heir["id"] is not None:
                self._exec(
                    "UPDATE quote_keys SET quote_id = ? WHERE quote_id = ?",
                    (heir["id"], r["id"]),
                )
        # a copy in another article stands for a speaker's wording in its place
        for r in self._rows(
            "SELECT id, wording, speaker_id, speaker, speaker_mention FROM quotes"
            " WHERE article_id = ? AND rep = 1 AND wording IS NOT NULL",
            (article_id,),
        ):
            copies = [
                c
                for c in self._rows(
                    f"{_COPIES} WHERE q.wording = ? AND q.article_id != ?",
                    (r["wording"], article_id),
                )
                if _speaker_key(c) == _speaker_key(r)
            ]
            if copies:
                heir = min(copies, key=lambda c: (c["published"] or "~", c["id"]))
                self._exec("UPDATE quotes SET rep = 1 WHERE id = ?", (heir["id"],))
        self._exec(f"DELETE FROM flags WHERE quote_id IN {sub}", (article_id,))
        self._exec(f"DELETE FROM quote_keys WHERE quote_id IN {sub}", (article_id,))
        self._exec("DELETE FROM quotes WHERE article_id = ?", (article_id,))
        self._exec("DELETE FROM articles WHERE id = ?", (article_id,))

    def _ensure_speaker(
        self, sid: str, name: str, norm: str, stype: str | None, person: bool
    ) -> None:
        self._exec(
            "INSERT INTO speakers (id, name, norm, surname, type, n_quotes)"
            " VALUES (?, ?, ?, ?, ?, 0) ON CONFLICT DO NOTHING",
            (sid, name, norm, surname_of(norm, person), stype),
        )

    def _resolve_speakers(self, quotes: Sequence[Quote]) -> list[str | None]:
        """Speaker ids for the quotes of one article, creating speakers.

        Full names map to the id of their normalised form. A one-word name
        (a bare surname) joins a person of this article, or else of the
        bank, whose surname or alias it is, but only when exactly one matches.
        """
        first: dict[str, tuple[str, str | None, bool]] = {}  # norm -> name, type
        for q in quotes:
            if q.speaker:
                norm = normalise_name(q.speaker)
                if norm and norm not in first:
                    person = looks_like_person(q.speaker, q.speaker_type)
                    first[norm] = (clean_name(q.speaker), q.speaker_type, person)
        by_norm: dict[str, str] = {}
        local_surnames: dict[str, set[str]] = {}
        for norm, (name, stype, person) in first.items():
            if len(norm.split()) > 1 or not person:
                sid = speaker_slug(norm)
                self._ensure_speaker(sid, name, norm, stype, person)
                by_norm[norm] = sid
                surname = surname_of(norm, person)
                if surname:
                    local_surnames.setdefault(surname, set()).add(sid)
        for norm, (name, stype, person) in first.items():
            if norm in by_norm:
                continue
            own = speaker_slug(norm)
            local = local_surnames.get(norm, set())
            if len(local) == 1:
                by_norm[norm] = next(iter(local))
                continue
            if not local:
                found = {
                    r["id"]
                    for r in self._rows(
                        "SELECT id FROM speakers WHERE surname = ? UNION"
                        " SELECT speaker_id AS id FROM speaker_aliases WHERE norm = ?",
                        (norm, norm),
                    )
                } - {own}
                if len(found) == 1:
                    by_norm[norm] = found.pop()
                    continue
            self._ensure_speaker(own, name, norm, stype, person)
            by_norm[norm] = own
        return [
            by_norm.get(normalise_name(q.speaker)) if q.speaker else None
            for q in quotes
        ]

    def _insert_quotes(
        self, article: Article, quotes: Sequence[Quote], speaker_ids: list[str | None]
    ) -> None:
        columns = (*QUOTE_COLUMNS, "wording", "rep")
        placeholders = ", ".join("?" for _ in columns)
        insert = f"INSERT INTO quotes ({', '.join(columns)}) VALUES ({placeholders})"
        article_day = iso_day(article.published)
        flag_rows: list[tuple[Any, ...]] = []
        key_rows: list[tuple[int, int]] = []
        per_speaker: dict[str, int] = {}
        aliases: dict[tuple[str, str], str] = {}
        wordings = [wording_key(q.content) for q in quotes]
        keyed = self._keyed_wordings(wordings)
        reps = self._representatives(
            [
                (w, _speaker_key(q, sid), article.published)
                for w, q, sid in zip(wordings, quotes, speaker_ids, strict=True)
            ]
        )
        for i, (q, sid) in enumerate(zip(quotes, speaker_ids, strict=True)):
            keys = quote_keys(q.content)
            wording = wordings[i]
            fragments = [list(f) for f in q.content_fragments] or None
            values = (
                article.id,
                i,
                q.kind,
                q.content,
                q.content_span[0],
                q.content_span[1],
                json.dumps(fragments) if fragments else None,
                q.cue,
                q.cue_span[0] if q.cue_span else None,
                q.cue_span[1] if q.cue_span else None,
                q.speaker,
                sid,
                q.speaker_mention,
                q.speaker_span[0] if q.speaker_span else None,
                q.speaker_span[1] if q.speaker_span else None,
                q.speaker_type,
                q.addressee,
                q.medium,
                q.said_on,
                q.date_text,
                q.stance,
                float(q.confidence),
                q.rule,
                iso_day(q.said_on) or article_day,
                len(q.flags),
                1 if keys is not None else 0,
                wording,
                1 if reps[i] else 0,
            )
            qid = self._insert_id(insert, values)
            for f in q.flags:
                flag_rows.append(
                    (
                        qid,
                        f.kind,
                        f.evidence,
                        f.likely_speaker,
                        f.original,
                        f.diff,
                        f.other_article,
                        float(f.score),
                    )
                )
            if _claims_keys(wording, keyed):
                key_rows.extend((k, qid) for k in keys or ())
            if sid is not None:
                per_speaker[sid] = per_speaker.get(sid, 0) + 1
                for mention in (q.speaker, q.speaker_mention):
                    if mention and is_alias(mention):
                        aliases.setdefault(
                            (sid, normalise_name(mention)), mention.strip()
                        )
        if flag_rows:
            self._exec_many(
                "INSERT INTO flags (quote_id, kind, evidence, likely_speaker, original,"
                " diff, other_article, score) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                flag_rows,
            )
        if key_rows:
            self._exec_many(
                "INSERT INTO quote_keys (key, quote_id) VALUES (?, ?)", key_rows
            )
        for sid, n in per_speaker.items():
            self._exec(
                "UPDATE speakers SET n_quotes = n_quotes + ? WHERE id = ?", (n, sid)
            )
        if aliases:
            self._exec_many(
                "INSERT INTO speaker_aliases (speaker_id, alias, norm, n)"
                " VALUES (?, ?, ?, 1) ON CONFLICT (speaker_id, norm)"
                " DO UPDATE SET n = speaker_aliases.n + 1",
                [(sid, alias, norm) for (sid, norm), alias in aliases.items()],
            )

    def _keyed_wordings(self, wordings: Sequence[int | None]) -> set[int]:
        """The wordings among ``wordings`` that a stored quote already keys."""
        distinct = sorted({w for w in wordings if w is not None})
        if not distinct:
            return set()
        marks = ", ".join("?" for _ in distinct)
        return {
            int(r["wording"])
            for r in self._rows(
                "SELECT DISTINCT wording FROM quotes"
                f" WHERE keyed = 1 AND wording IN ({marks})",
                distinct,
            )
        }

    def _representatives(
        self, items: Sequence[tuple[int | None, str, str | None]]
    ) -> list[bool]:
        """Which of these new quotes (wording, speaker key, published) stand
        for their wording and speaker: the earliest published copy does (ties:
        the first stored); stored ones they displace stop standing for it."""
        wordings = sorted({w for w, _, _ in items if w is not None})
        best: dict[tuple[int, str], tuple[str, int]] = {}
        if wordings:
            marks = ", ".join("?" for _ in wordings)
            for r in self._rows(
                f"{_COPIES} WHERE q.rep = 1 AND q.wording IN ({marks})", wordings
            ):
                best[(r["wording"], _speaker_key(r))] = (r["published"] or "~", r["id"])
        out: list[bool] = []
        demoted: list[int] = []
        for i, (wording, speaker, published) in enumerate(items):
            if wording is None:
                out.append(True)
                continue
            when = published or "~"
            held = best.get((wording, speaker))
            if held is not None and when >= held[0]:
                out.append(False)
                continue
            if held is not None:
                if held[1] >= 0:
                    demoted.append(held[1])  # a stored quote
                else:
                    out[-held[1] - 1] = False  # an earlier one of these
            best[(wording, speaker)] = (when, -(i + 1))
            out.append(True)
        if demoted:
            marks = ", ".join("?" for _ in demoted)
            self._exec(f"UPDATE quotes SET rep = 0 WHERE id IN ({marks})", demoted)
        return out

    def backfill_keys(self, *, batch: int = 1000) -> int:
        """Add match keys to quotes stored without them.

        Quotes stored before ``lsh_keys`` was available, or by a bank older
        than the grouping by wording (migration m003), get their wording and,
        for the first quote of each wording, the keys.

        Returns:
            How many quotes were keyed (0 when verify is still missing).
        """
        if quote_keys("probe") is None:
            return 0
        done = 0
        while True:
            rows = self._rows(
                "SELECT q.id, q.content, q.speaker_id, q.speaker, q.speaker_mention,"
                " a.published FROM quotes q JOIN articles a ON a.id = q.article_id"
                " WHERE q.keyed = 0 ORDER BY q.id LIMIT ?",
                (batch,),
            )
            if not rows:
                return done
            with self._tx():
                wordings = [wording_key(r["content"]) for r in rows]
                keyed = self._keyed_wordings(wordings)
                reps = self._representatives(
                    [
                        (w, _speaker_key(r), r["published"])
                        for w, r in zip(wordings, rows, strict=True)
                    ]
                )
                pairs: list[tuple[int, Any]] = []
                for r, wording in zip(rows, wordings, strict=True):
                    if _claims_keys(wording, keyed):
                        pairs.extend(
                            (k, r["id"]) for k in quote_keys(r["content"]) or ()
                        )
                if pairs:
                    self._exec_many(
                        "INSERT INTO quote_keys (key, quote_id) VALUES (?, ?)", pairs
                    )
                self._exec_many(
                    "UPDATE quotes SET wording = ?, rep = ?, keyed = 1 WHERE id = ?",
                    [
                        (w, 1 if rep else 0, r["id"])
                        for r, w, rep in zip(rows, wordings, reps, strict=True)
                    ],
                )
            done += len(rows)

    # -- QuoteIndex -------------------------------------------------------

    def candidates(self, keys: Sequence[int]) -> list[Any]:
        """``QuoteIndex.candidates``: stored quotes sharing LSH keys.

        Ranked like ``onrecord.verify.MemoryIndex``: wordings (a quote and its
        republished copies) sharing most keys first, keys shared by more than
        ``MAX_POSTINGS`` wordings ignored, at most ``MAX_CANDIDATES`` wordings.
        Of each wording's copies, the earliest published per speaker stands for
        the others, so a quote republished a thousand times costs no more than
        one and a different speaker for the same words is still seen.
        """
        return self.candidates_many([keys])[0]

    def candidates_many(self, keys_list: Sequence[Sequence[int]]) -> list[list[Any]]:
        """:meth:`candidates` for several quotes (an article's) in three queries."""
        signed = [sorted({to_signed64(int(k)) for k in keys}) for keys in keys_list]
        every = sorted({k for keys in signed for k in keys})
        if not every:
            return [[] for _ in signed]
        max_postings, max_candidates = index_limits()
        postings: dict[int, list[int]] = {}
        for chunk in _chunks(every):
            marks = ", ".join("?" for _ in chunk)
            for r in self._rows(
                "SELECT key, quote_id FROM quote_keys WHERE key IN"
                f" (SELECT key FROM quote_keys WHERE key IN ({marks})"
                " GROUP BY key HAVING count(*) <= ?)",
                [*chunk, max_postings],
            ):
                postings.setdefault(int(r["key"]), []).append(int(r["quote_id"]))
        ranked: list[list[int]] = []
        for keys in signed:
            shared: dict[int, int] = {}
            for k in keys:
                for qid in postings.get(k, ()):
                    shared[qid] = shared.get(qid, 0) + 1
            best = sorted(shared, key=lambda qid: (-shared[qid], qid))
            ranked.append(best[:max_candidates])
        heads = sorted({h for hs in ranked for h in hs})
        if not heads:
            return [[] for _ in signed]
        group_of: dict[int, int] = {}
        for chunk in _chunks(heads):
            marks = ", ".join("?" for _ in chunk)
            for r in self._rows(
                f"SELECT id, wording FROM quotes WHERE id IN ({marks})", chunk
            ):
                qid = int(r["id"])
                group_of[qid] = int(r["wording"]) if r["wording"] is not None else -qid
        singles = [h for h, g in group_of.items() if g == -h]
        wordings = sorted({g for h, g in group_of.items() if g != -h})
        members: dict[int, list[Any]] = {}
        for part, cond in ((wordings, "q.rep = 1 AND q.wording"), (singles, "q.id")):
            for chunk in _chunks(part):
                marks = ", ".join("?" for _ in chunk)
                for r in self._rows(
                    "SELECT q.id, q.article_id, q.idx, q.kind, q.content, q.speaker,"
                    " q.speaker_mention, q.speaker_id, q.wording, a.published,"
                    " a.url AS article_url FROM quotes q JOIN articles a"
                    f" ON a.id = q.article_id WHERE {cond} IN ({marks})",
                    chunk,
                ):
                    qid = int(r["id"])
                    group = int(r["wording"]) if r["wording"] is not None else -qid
                    members.setdefault(group, []).append(
                        ((r["published"] or "~", qid), r)
                    )
        built: dict[int, list[Any]] = {
            g: [indexed_quote(r) for _, r in sorted(rows, key=lambda x: x[0])]
            for g, rows in members.items()
        }
        out: list[list[Any]] = []
        for hs in ranked:
            found: list[Any] = []
            for group in dict.fromkeys(group_of[h] for h in hs if h in group_of):
                found.extend(built.get(group, ()))
            out.append(found)
        return out

    # -- reading --------------------------------------------------------------

    _SELECT = (
        "SELECT q.id, "
        + ", ".join(f"q.{c}" for c in QUOTE_COLUMNS)
        + ", a.url AS article_url, a.published AS published,"
        " a.title AS article_title FROM quotes q JOIN articles a ON a.id = q.article_id"
    )

    def _conditions(
        self,
        speaker: str | None,
        since: str | None,
        until: str | None,
        flag: str | None,
    ) -> tuple[list[str], list[Any]]:
        where: list[str] = []
        params: list[Any] = []
        if speaker:
            # resolved to ids first, so the (speaker_id, day) index serves
            # the filter
            ids = self.speaker_ids(speaker)
            marks = ", ".join("?" for _ in ids) or "NULL"
            where.append(f"q.speaker_id IN ({marks})")
            params.extend(ids)
        if since:
            where.append("q.day >= ?")
            params.append(since)
        if until:
            where.append("q.day <= ?")
            params.append(until_bound(until))
        if flag:
            if flag == "any":
                where.append("q.n_flags > 0")
            else:
                where.append(
                    "EXISTS (SELECT 1 FROM flags f WHERE f.quote_id = q.id"
                    " AND f.kind = ?)"
                )
                params.append(flag)
        return where, params

    def speaker_ids(self, speaker: str) -> list[str]:
        """Ids of the speakers a name designates: id, full name, alias or surname."""
        norm = normalise_name(speaker)
        rows = self._rows(
            "SELECT id FROM speakers WHERE id = ? OR norm = ? OR surname = ?"
            " UNION SELECT speaker_id AS id FROM speaker_aliases WHERE norm = ?",
            (speaker, norm, norm, norm),
        )
        return sorted({r["id"] for r in rows})

    def _fts_matches(self, q: str) -> int | None:
        """How many quotes the words match, when cheap to know (else None)."""
        return None

    def search_quotes(
        self,
        q: str | None = None,
        *,
        speaker: str | None = None,
        since: str | None = None,
        until: str | None = None,
        flag: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> list[Row]:
        """Quotes matching words (full-text), a speaker and a date range.

        Args:
            q: Words to find in the quote text or speaker name (all of them).
            speaker: A speaker id, name, alias or surname.
            since: First day (ISO ``YYYY[-MM[-DD]]``), inclusive.
            until: Last day, inclusive.
            flag: A flag kind, or ``"any"`` for flagged quotes.
            limit: Page size.
            offset: Rows to skip.

        Returns:
            Quote dicts, best match first; newest first without words, or
            most recently stored first when the words match more than
            ``RANK_LIMIT`` quotes (ranking them all would be slow).
        """
        where, params = self._conditions(speaker, since, until, flag)
        join, join_params = "", []
        order, order_params = "q.day DESC NULLS LAST, q.id DESC", []
        if q and q.strip():
            n = self._fts_matches(q)
            ranked = n is None or n <= RANK_LIMIT
            fts = self._fts(q, ranked=ranked)
            join, join_params = fts.join, list(fts.join_params)
            if fts.where:
                where.insert(0, fts.where)
                params[:0] = fts.params
            if ranked and fts.order:
                order, order_params = fts.order, list(fts.order_params)
            else:
                order = "q.id DESC"
        # Phase 1 finds the page's ids on quotes (and its FTS index) alone,
        # so the planner can walk an index and stop early; phase 2 fetches
        # those rows with their article.
        sql = "SELECT q.id FROM quotes q" + join
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += f" ORDER BY {order} LIMIT ? OFFSET ?"
        ids = [
            int(r["id"])
            for r in self._rows(
                sql, [*join_params, *params, *order_params, int(limit), int(offset)]
            )
        ]
        if not ids:
            return []
        marks = ", ".join("?" for _ in ids)
        rows = {
            int(r["id"]): r
            for r in self._rows(self._SELECT + f" WHERE q.id IN ({marks})", ids)
        }
        return self._quote_dicts([rows[i] for i in ids if i in rows])

    def count_quotes(
        self,
        q: str | None = None,
        *,
        speaker: str | None = None,
        since: str | None = None,
        until: str | None = None,
        flag: str | None = None,
    ) -> int:
        """How many quotes :meth:`search_quotes` would find without paging."""
        where, params = self._conditions(speaker, since, until, flag)
        join, join_params = "", []
        if q and q.strip():
            if not where:
                n = self._fts_matches(q)
                if n is not None:
                    return n
            fts = self._fts(q, ranked=False)
            join, join_params = fts.join, list(fts.join_params)
            if fts.where:
                where.insert(0, fts.where)
                params[:0] = fts.params
        sql = "SELECT count(*) AS n FROM quotes q" + join
        if where:
            sql += " WHERE " + " AND ".join(where)
        row = self._one(sql, [*join_params, *params])
        return int(row["n"]) if row else 0

    def iter_quotes(self, *, page: int = 1000) -> Iterator[Row]:
        """Every quote, in storage order, a page at a time (flat memory)."""
        last = -1
        while True:
            rows = self._rows(
                self._SELECT + " WHERE q.id > ? ORDER BY q.id LIMIT ?", (last, page)
            )
            if not rows:
                return
            last = int(rows[-1]["id"])
            yield from self._quote_dicts(rows)

    def get_article(self, article_id: str) -> Row:
        """One article with its quotes.

        Raises:
            ArticleNotFound: No article with that id.
        """
        row = self._one(
            "SELECT id, text, published, url, title, content_hash, ingested_at"
            " FROM articles WHERE id = ?",
            (article_id,),
        )
        if row is None:
            raise ArticleNotFound(f"no article {article_id!r} in the quote bank")
        rows = self._rows(
            self._SELECT + " WHERE q.article_id = ? ORDER BY q.idx", (article_id,)
        )
        row["quotes"] = self._quote_dicts(rows)
        return row

    def list_speakers(
        self, q: str | None = None, *, limit: int = 50, offset: int = 0
    ) -> list[Row]:
        """Speakers, most quoted first; ``q`` filters on name or alias."""
        sql = "SELECT id, name, type, n_quotes FROM speakers s"
        params: list[Any] = []
        if q and q.strip():
            like = f"%{normalise_name(q)}%"
            sql += (
                " WHERE s.norm LIKE ? OR s.id IN"
                " (SELECT speaker_id FROM speaker_aliases WHERE norm LIKE ?)"
            )
            params += [like, like]
        sql += " ORDER BY n_quotes DESC, id LIMIT ? OFFSET ?"
        rows = self._rows(sql, [*params, int(limit), int(offset)])
        aliases = self._aliases([r["id"] for r in rows])
        return [
            {
                "id": r["id"],
                "name": r["name"],
                "type": r["type"],
                "aliases": aliases.get(r["id"], []),
                "quote_count": int(r["n_quotes"]),
            }
            for r in rows
        ]

    def get_speaker(self, speaker_id: str, *, limit: int = 50) -> Row:
        """One speaker: aliases, quotes per day, latest quotes.

        Raises:
            SpeakerNotFound: No speaker with that id.
        """
        row = self._one(
            "SELECT id, name, type, n_quotes FROM speakers WHERE id = ?", (speaker_id,)
        )
        if row is None:
            raise SpeakerNotFound(f"no speaker {speaker_id!r} in the quote bank")
        per_day = self._rows(
            "SELECT day, count(*) AS count FROM quotes WHERE speaker_id = ?"
            " AND day IS NOT NULL GROUP BY day ORDER BY day",
            (speaker_id,),
        )
        quotes = self._rows(
            self._SELECT + " WHERE q.speaker_id = ? ORDER BY q.day DESC NULLS LAST,"
            " q.id DESC LIMIT ?",
            (speaker_id, int(limit)),
        )
        return {
            "id": row["id"],
            "name": row["name"],
            "type": row["type"],
            "aliases": self._aliases([speaker_id]).get(speaker_id, []),
            "quote_count": int(row["n_quotes"]),
            "per_day": [{"day": d["day"], "count": int(d["count"])} for d in per_day],
            "quotes": self._quote_dicts(quotes),
        }

    def list_flags(
        self, kind: str | None = None, *, limit: int = 50, offset: int = 0
    ) -> list[Row]:
        """Flagged quotes, newest flag first: quote dict + ``flag`` + ``other``."""
        sql = (
            "SELECT f.id AS flag_id, f.quote_id FROM flags f"
            + (" WHERE f.kind = ?" if kind else "")
            + " ORDER BY f.id DESC LIMIT ? OFFSET ?"
        )
        params: list[Any] = [kind] if kind else []
        flag_rows = self._rows(sql, [*params, int(limit), int(offset)])
        if not flag_rows:
            return []
        fids = [r["flag_id"] for r in flag_rows]
        marks = ", ".join("?" for _ in fids)
        flags = {
            r["id"]: r
            for r in self._rows(
                "SELECT f.*, o.url AS other_url, o.published AS other_published"
                " FROM flags f LEFT JOIN articles o ON o.id = f.other_article"
                f" WHERE f.id IN ({marks})",
                fids,
            )
        }
        qids = sorted({r["quote_id"] for r in flag_rows})
        qmarks = ", ".join("?" for _ in qids)
        quotes = {
            d["quote_id"]: d
            for d in self._quote_dicts(
                self._rows(self._SELECT + f" WHERE q.id IN ({qmarks})", qids)
            )
        }
        out = []
        for r in flag_rows:
            f = flags[r["flag_id"]]
            d = dict(quotes[r["quote_id"]])
            d["flag"] = _flag_dict(f)
            d["other"] = {
                "article_id": f["other_article"],
                "article_url": f["other_url"],
                "published": f["other_published"],
                "content": f["original"],
            }
            out.append(d)
        return out

    def stats(self) -> Row:
        """Row counts of the main tables."""
        out: Row = {}
        for table in ("articles", "quotes", "speakers", "flags", "errors"):
            row = self._one(f"SELECT count(*) AS n FROM {table}")
            out[table] = int(row["n"]) if row else 0
        return out

    def iter_errors(self) -> Iterator[Row]:
        """Every recorded failure: article_id, source, reason, at."""
        yield from self._rows(
            "SELECT article_id, source, reason, at FROM errors ORDER BY at, article_id"
        )

    # -- helpers ----------------------------------------------------------------

    def _aliases(self, speaker_ids: Sequence[str]) -> dict[str, list[str]]:
        if not speaker_ids:
            return {}
        marks = ", ".join("?" for _ in speaker_ids)
        out: dict[str, list[str]] = {}
        for r in self._rows(
            "SELECT speaker_id, alias FROM speaker_aliases"
            f" WHERE speaker_id IN ({marks}) ORDER BY n DESC, alias",
            list(speaker_ids),
        ):
            out.setdefault(r["speaker_id"], []).append(r["alias"])
        return out

    def _quote_dicts(self, rows: list[Row]) -> list[Row]:
        flagged = [r["id"] for r in rows if r.get("n_flags")]
        flags: dict[int, list[Row]] = {}
        if flagged:
            marks = ", ".join("?" for _ in flagged)
            for f in self._rows(
                f"SELECT * FROM flags WHERE quote_id IN ({marks}) ORDER BY id", flagged
            ):
                flags.setdefault(int(f["quote_id"]), []).append(_flag_dict(f))
        return [quote_dict(r, flags.get(int(r["id"]), [])) for r in rows]


def _flag_dict(f: Row) -> Row:
    d = {
        "kind": f["kind"],
        "evidence": f["evidence"],
        "likely_speaker": f["likely_speaker"],
        "original": f["original"],
        "diff": f["diff"],
        "other_article": f["other_article"],
        "score": f["score"],
    }
    return {k: v for k, v in d.items() if v is not None}


def quote_dict(r: Row, flags: list[Row]) -> Row:
    """The public quote record (export, search, HTTP API) of a bank row."""
    fragments = (
        json.loads(r["content_fragments"]) if r.get("content_fragments") else None
    )
    return {
        "quote_id": int(r["id"]),
        "article_id": r["article_id"],
        "article_url": r.get("article_url"),
        "article_title": r.get("article_title"),
        "published": r.get("published"),
        "index": int(r["idx"]),
        "kind": r["kind"],
        "content": r["content"],
        "content_span": _span(r["content_start"], r["content_end"]),
        "content_fragments": fragments or [_span(r["content_start"], r["content_end"])],
        "cue": r["cue"],
        "cue_span": _span(r["cue_start"], r["cue_end"]),
        "speaker": r["speaker"],
        "speaker_id": r["speaker_id"],
        "speaker_mention": r["speaker_mention"],
        "speaker_span": _span(r["speaker_start"], r["speaker_end"]),
        "speaker_type": r["speaker_type"],
        "addressee": r["addressee"],
        "medium": r["medium"],
        "said_on": r["said_on"],
        "date_text": r["date_text"],
        "stance": r["stance"],
        "confidence": round(float(r["confidence"]), 3)
        if r["confidence"] is not None
        else None,
        "rule": r["rule"],
        "flags": flags,
    }
