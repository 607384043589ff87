"""Extraction in N worker processes with bounded queues; the caller writes.

Each worker builds one :class:`onrecord.Pipeline` (so loads spaCy once) and
turns batches of articles into batches of results. The parent feeds and
drains the queues from one thread, so reading inputs, checking the bank and
writing to it never run concurrently, and at most ``2 * workers`` batches
are in flight whatever the corpus size.
"""

from __future__ import annotations

import itertools
import multiprocessing as mp
import os
import queue
from collections.abc import Iterable, Iterator
from typing import Any

from onrecord.errors import OnrecordError
from onrecord.types import Article, Result


class WorkerDied(OnrecordError):
    """A worker process died (killed, out of memory); the run can be resumed."""

    code = "OR401"


def _worker(in_q: Any, out_q: Any, options: Any, parent: int) -> None:
    from onrecord import Pipeline

    pipe = Pipeline(options)
    _ = pipe.nlp  # load the model before the first batch
    while True:
        try:
            item = in_q.get(timeout=2.0)
        except queue.Empty:
            # the parent was killed (kill -9): don't linger as an orphan
            if os.getppid() != parent:
                return
            continue
        if item is None:
            _put(out_q, None, parent)
            return
        seq, batch = item
        try:
            results = list(pipe.process_many(batch, batch_size=len(batch)))
        except Exception as exc:  # noqa: BLE001 - a batch failure must not kill the run
            results = [Result(a, (), f"extraction failed: {exc!r:.200}") for a in batch]
        if not _put(out_q, (seq, results), parent):
            return


def _put(out_q: Any, item: Any, parent: int) -> bool:
    """Put, giving up (False) if the parent has died meanwhile."""
    while True:
        try:
            out_q.put(item, timeout=2.0)
            return True
        except queue.Full:
            if os.getppid() != parent:
                return False


def extract_parallel(
    articles: Iterable[Article],
    *,
    workers: int,
    batch_size: int = 16,
    options: Any = None,
    poll: float = 1.0,
) -> Iterator[Result]:
    """Results for ``articles``, in completion order, from ``workers`` processes.

    Args:
        articles: A stream of articles (consumed lazily, in this thread).
        workers: Number of worker processes.
        batch_size: Articles per batch sent to a worker.
        options: :class:`onrecord.Options` for each worker's pipeline.
        poll: Seconds between liveness checks while waiting.

    Raises:
        WorkerDied: A worker exited abnormally; rerunning resumes the job.
    """
    ctx = mp.get_context("spawn")
    limit = workers * 2
    in_q = ctx.Queue(maxsize=limit + workers)
    out_q = ctx.Queue(maxsize=limit + workers)
    procs = [
        ctx.Process(
            target=_worker, args=(in_q, out_q, options, os.getpid()), daemon=True
        )
        for _ in range(workers)
    ]
    for p in procs:
        p.start()
    it = iter(articles)
    batches = iter(lambda: list(itertools.islice(it, batch_size)), [])
    seq = 0
    pending = 0
    exhausted = False
    finished = 0

    def fill() -> None:
        nonlocal seq, pending, exhausted
        while not exhausted and pending < limit:
            batch = next(batches, None)
            if batch is None:
                exhausted = True
                for _ in procs:
                    in_q.put(None)
                return
            in_q.put((seq, batch))
            seq += 1
            pending += 1

    try:
        fill()
        while finished < len(procs):
            try:
                item = out_q.get(timeout=poll)
            except queue.Empty:
                dead = [p for p in procs if p.exitcode not in (None, 0)]
                if dead:
                    raise WorkerDied(
                        f"worker process {dead[0].pid} died (exit code "
                        f"{dead[0].exitcode}); stored articles are kept: rerun "
                        "the same command to resume"
                    ) from None
                continue
            if item is None:
                finished += 1
                continue
            pending -= 1
            _, results = item
            yield from results
            fill()
    finally:
        for p in procs:
            if p.is_alive():
                p.terminate()
        for p in procs:
            p.join(timeout=5)
        in_q.close()
        out_q.close()
        in_q.cancel_join_thread()
        out_q.cancel_join_thread()
