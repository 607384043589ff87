"""A response cache for the read-only JSON API, in front of FastAPI.

The quote bank is read far more often than it is written, and one full-text
query over a large bank can cost tens of milliseconds of SQLite time (ranking
every match of a common word), while answering the same bytes again costs
microseconds. So successful ``GET /api/...`` answers are kept, keyed by path and
query string, as long as the bank has not changed:

* the bank's *generation* is checked for every request. For SQLite it is
  ``PRAGMA data_version``, which every commit changes, whoever makes it
  (``onrecord ingest`` in another process too), so a cached answer is never
  older than the bank. It is read at most once per turn of the event loop:
  every request served in a turn arrived before that turn started, so one
  read made in the turn is newer than all of them. For PostgreSQL it is a
  clock tick of ``ttl`` seconds: answers may be that much behind.
* concurrent misses of one key are computed once ("single flight"): the
  other requests wait for the first one's answer instead of running the same
  query again, so a burst of identical searches costs one query.
* the cache is bounded in entries and bytes, least recently used out first;
  answers larger than ``max_item_bytes`` are not kept.

Responses carry ``x-onrecord-cache: hit | miss`` so clients and the benchmark
can tell.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send

Generation = Callable[[], Hashable]


def sqlite_generation(path: str) -> Generation:
    """A token that changes with every commit to the SQLite bank at ``path``.

    ``PRAGMA data_version`` on a connection of our own changes whenever another
    connection, in this process or any other, commits to the file, and
    costs microseconds. Opening or checkpointing does not change it, unlike
    the files' sizes and times, which are only the fallback.
    """
    import sqlite3
    import urllib.parse

    conn: sqlite3.Connection | None = None

    def stat_token() -> Hashable:
        parts: list[int] = []
        for name in (path, path + "-wal"):
            try:
                st = os.stat(name)
            except OSError:
                parts.extend((0, 0))
            else:
                parts.extend((st.st_mtime_ns, st.st_size))
        return ("stat", *parts)

    def generation() -> Hashable:
        nonlocal conn
        try:
            if conn is None:
                uri = "file:" + urllib.parse.quote(os.path.abspath(path)) + "?mode=ro"
                # used only by the event loop's thread, one call at a time
                conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
            row = conn.execute("PRAGMA data_version").fetchone()
            return ("dv", int(row[0]))
        except sqlite3.Error:
            conn = None
            return stat_token()

    return generation


def clock_generation(ttl: float) -> Generation:
    """A token that changes every ``ttl`` seconds (for banks we cannot stat)."""

    def generation() -> Hashable:
        return int(time.monotonic() / ttl)

    return generation


_UNREAD: Hashable = object()


@dataclass(frozen=True, slots=True)
class _Entry:
    status: int
    headers: tuple[tuple[bytes, bytes], ...]
    body: bytes


class ResponseCache:
    """LRU of whole responses, emptied when the bank's generation changes."""

    def __init__(
        self,
        generation: Generation,
        *,
        max_entries: int = 4096,
        max_bytes: int = 64 * 1024 * 1024,
        max_item_bytes: int = 1024 * 1024,
    ) -> None:
        self.generation = generation
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.max_item_bytes = max_item_bytes
        self._items: OrderedDict[bytes, _Entry] = OrderedDict()
        self._bytes = 0
        self._gen: Hashable = None
        self._turn_gen: Hashable = _UNREAD  # generation read in this loop turn
        self._inflight: dict[bytes, asyncio.Future[_Entry | None]] = {}
        self.hits = 0
        self.misses = 0
        self._bumps = 0

    def invalidate(self) -> None:
        """Forget every answer (safe from any thread: applied on the next get)."""
        self._bumps += 1

    def clear(self) -> None:
        self._items.clear()
        self._bytes = 0

    def current(self, *, fresh: bool = False) -> Hashable:
        """The bank's generation (read at most once per event loop turn).

        Args:
            fresh: Read it now even if it was read in this turn already.
        """
        gen = self._turn_gen
        if gen is _UNREAD or fresh:
            gen = self.generation()
            if self._turn_gen is _UNREAD:
                try:
                    asyncio.get_running_loop().call_soon(self._next_turn)
                except RuntimeError:  # no event loop: read every time
                    return (gen, self._bumps)
            self._turn_gen = gen
        return (gen, self._bumps)

    def _next_turn(self) -> None:
        self._turn_gen = _UNREAD

    def _check_generation(self) -> None:
        gen = self.current()
        if gen != self._gen:
            self.clear()
            self._gen = gen

    def get(self, key: bytes) -> _Entry | None:
        self._check_generation()
        entry = self._items.get(key)
        if entry is not None:
            self._items.move_to_end(key)
        return entry

    def put(self, key: bytes, entry: _Entry) -> None:
        size = len(entry.body) + len(key)
        if size > self.max_item_bytes:
            return
        old = self._items.pop(key, None)
        if old is not None:
            self._bytes -= len(old.body) + len(key)
        self._items[key] = entry
        self._bytes += size
        while self._items and (
            len(self._items) > self.max_entries or self._bytes > self.max_bytes
        ):
            k, e = self._items.popitem(last=False)
            self._bytes -= len(e.body) + len(k)

    def __len__(self) -> int:
        return len(self._items)


class CacheMiddleware:
    """Serve repeated ``GET /api/...`` answers from a :class:`ResponseCache`."""

    def __init__(
        self, app: ASGIApp, *, cache: ResponseCache, prefix: str = "/api/"
    ) -> None:
        self.app = app
        self.cache = cache
        self.prefix = prefix

    def _cacheable(self, scope: Scope) -> bool:
        path: str = scope.get("path", "")
        return (
            scope["type"] == "http"
            and scope.get("method") == "GET"
            and path.startswith(self.prefix)
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self._cacheable(scope):
            await self.app(scope, receive, send)
            return
        key = scope.get("raw_path") or scope["path"].encode()
        key = key + b"?" + scope.get("query_string", b"")
        entry = self.cache.get(key)
        if entry is None:
            waiting = self.cache._inflight.get(key)
            if waiting is not None:
                # someone is computing this answer right now: wait for it
                entry = await asyncio.shield(waiting)
        if entry is not None:
            self.cache.hits += 1
            await _replay(entry, send, b"hit")
            return
        self.cache.misses += 1
        gen_before = self.cache._gen
        future: asyncio.Future[_Entry | None] = (
            asyncio.get_running_loop().create_future()
        )
        self.cache._inflight[key] = future
        start: Message | None = None
        chunks: list[bytes] = []
        result: _Entry | None = None

        async def capture(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
                headers = [*message.get("headers", ()), (b"x-onrecord-cache", b"miss")]
                message = {**message, "headers": headers}
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, capture)
            if start is not None and start["status"] == 200:
                result = _Entry(
                    status=200,
                    headers=tuple(
                        (k, v)
                        for k, v in start.get("headers", ())
                        if k.lower() not in (b"date", b"server", b"x-onrecord-cache")
                    ),
                    body=b"".join(chunks),
                )
                # a bank that changed while we computed may have given a mixed answer
                if (
                    self.cache._gen == gen_before
                    and self.cache.current(fresh=True) == gen_before
                ):
                    self.cache.put(key, result)
        finally:
            self.cache._inflight.pop(key, None)
            if not future.done():
                future.set_result(result)


async def _replay(entry: _Entry, send: Send, state: bytes) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": entry.status,
            "headers": [*entry.headers, (b"x-onrecord-cache", state)],
        }
    )
    await send({"type": "http.response.body", "body": entry.body})
