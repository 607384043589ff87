"""The same ingestion on Ray Data: read in tasks, extract in actors.

``map_batches`` with a callable class (:class:`ExtractBatch`) so each actor
builds the spaCy pipeline once (STYLE.md §6). Input files are read inside
Ray tasks (:func:`read_file_batches`), so on a cluster the inputs must be on
storage every node sees. Results either stream back to this process, which
is the quote bank's single writer (and can also write Parquet shards), or,
without a bank, are written as Parquet shards by Ray itself.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Sequence
from dataclasses import asdict
from typing import Any

from onrecord.errors import ConfigError, MissingExtra
from onrecord.io import InputFailure, ReadOptions, content_hash, format_of, read_inputs
from onrecord.types import Article, Quote, Result

READ_CHUNK = 16
"""Articles per block produced by a reading task (the run's batch size)."""

COLUMNS = ("id", "source", "text", "published", "url", "title", "error", "quotes")


def import_ray() -> Any:
    """The ``ray`` module, or :class:`MissingExtra` saying what to install."""
    try:
        import ray
        import ray.data  # noqa: F401
    except ImportError as exc:
        raise MissingExtra(
            "--engine ray needs Ray Data; install it with: pip install 'onrecord[ray]'"
            " (or: pip install 'ray[data]')"
        ) from exc
    return ray


def _row(item: Article | InputFailure) -> dict[str, Any]:
    if isinstance(item, InputFailure):
        return {
            "id": item.id,
            "source": item.source,
            "text": "",
            "published": None,
            "url": None,
            "title": None,
            "error": item.reason,
            "quotes": "[]",
        }
    return {**asdict(item), "source": "", "error": None, "quotes": "[]"}


def _columns(rows: list[dict[str, Any]]) -> dict[str, list[Any]]:
    return {c: [r[c] for r in rows] for c in COLUMNS}


def read_file_batches(
    batch: dict[str, Any],
    *,
    read: ReadOptions,
    stored: Any = None,
    chunk: int = READ_CHUNK,
) -> Iterator[dict[str, list[Any]]]:
    """Ray task: the articles of some input files, skipping stored ones."""
    done: set[str] = set()
    if stored is not None:
        import ray

        done = stored if isinstance(stored, set) else ray.get(stored)
    rows: list[dict[str, Any]] = []
    for path in batch["path"]:
        for item in read_inputs([str(path)], options=read):
            if isinstance(item, Article) and done:
                if f"{item.id}\x00{content_hash(item.text)}" in done:
                    continue
            rows.append(_row(item))
            if len(rows) >= chunk:
                yield _columns(rows)
                rows = []
    if rows:
        yield _columns(rows)


class ExtractBatch:
    """Ray actor: extraction with one pipeline per actor, loaded once."""

    def __init__(self, batch_size: int = 16) -> None:
        from onrecord import Options, Pipeline

        self.pipe = Pipeline(Options(verify=True))
        _ = self.pipe.nlp
        self.batch_size = batch_size

    def __call__(self, batch: dict[str, Any]) -> dict[str, list[Any]]:
        rows = [
            {c: _plain(batch[c][i]) for c in COLUMNS} for i in range(len(batch["id"]))
        ]
        todo = [i for i, r in enumerate(rows) if not r["error"]]
        articles = [
            Article(
                id=rows[i]["id"],
                text=rows[i]["text"],
                published=rows[i]["published"],
                url=rows[i]["url"],
                title=rows[i]["title"],
            )
            for i in todo
        ]
        results = self.pipe.process_many(articles, batch_size=self.batch_size)
        for i, result in zip(todo, results, strict=True):
            rows[i]["error"] = result.error
            rows[i]["quotes"] = json.dumps([q.to_dict() for q in result.quotes])
        return _columns(rows)


def _plain(value: Any) -> Any:
    if value is None:
        return None
    if hasattr(value, "item"):  # numpy scalar
        value = value.item()
    if isinstance(value, float) and value != value:  # NaN from pandas
        return None
    return value


def _actor_pool(ray: Any, size: int) -> dict[str, Any]:
    """``compute=ActorPoolStrategy`` (Ray >= 2.51) or ``concurrency`` before."""
    strategy = getattr(ray.data, "ActorPoolStrategy", None)
    if strategy is not None:
        return {"compute": strategy(size=size)}
    return {"concurrency": size}


def _files(paths: Sequence[str]) -> list[str]:
    files: list[str] = []
    for path in paths:
        if path == "-":
            raise ConfigError("--engine ray reads files, not stdin ('-'): got '-'")
        if os.path.isdir(path):
            for d, dirs, names in os.walk(path):
                dirs[:] = sorted(x for x in dirs if not x.startswith("."))
                files += [
                    os.path.abspath(os.path.join(d, n))
                    for n in sorted(names)
                    if not n.startswith(".") and format_of(n)
                ]
        else:
            files.append(os.path.abspath(path))
    return files


def result_of(row: dict[str, Any]) -> Result:
    """A :class:`Result` from an output row of :class:`ExtractBatch`."""
    article = Article(
        id=row["id"],
        text=row["text"] or "",
        published=row["published"],
        url=row["url"],
        title=row["title"],
    )
    if row["error"]:
        return Result(article, (), row["error"])
    quotes = tuple(Quote.from_dict(d) for d in json.loads(row["quotes"] or "[]"))
    return Result(article, quotes)


def ingest_ray(
    paths: Sequence[str], bank: Any, opts: Any, report: Any, progress: Any
) -> None:
    """Run the ingestion on Ray (a local one unless ``RAY_ADDRESS`` is set)."""
    ray = import_ray()
    if not ray.is_initialized():
        address = os.environ.get("RAY_ADDRESS")
        kwargs: dict[str, Any] = {
            "include_dashboard": False,
            "log_to_driver": False,
            "configure_logging": False,
        }
        if address:
            ray.init(address=address, **kwargs)
        else:
            ray.init(num_cpus=max(opts.workers, 1) + 1, **kwargs)
    ctx = ray.data.DataContext.get_current()
    ctx.enable_progress_bars = False
    # Ray Data packs what the reader yields into blocks of up to 128 MiB, and a
    # block goes to one actor: a corpus file of 50 MB was one block, so one actor
    # extracted it all while the rest of the pool idled. Blocks of about 256 KiB
    # (some fifty articles) spread the work over the pool.
    ctx.target_max_block_size = 256 * 1024
    if hasattr(ctx, "print_on_execution_start"):
        ctx.print_on_execution_start = False

    files = _files(paths)
    if not files:
        return
    stored_ref = None
    if bank is not None and opts.write_bank:
        stored = {f"{aid}\x00{digest}" for aid, digest in bank.article_hashes()}
        stored_ref = ray.put(stored) if stored else None
    ds = ray.data.from_items([{"path": f} for f in files])
    # Reading asks for less CPU than extraction, which also keeps Ray from
    # fusing the two stages: the blocks a reader yields are spread over the
    # whole actor pool even when there is a single input file.
    ds = ds.map_batches(
        read_file_batches,
        batch_size=1,
        num_cpus=0.25,
        fn_kwargs={
            "read": opts.read,
            "stored": stored_ref,
            "chunk": max(opts.batch_size, 1),
        },
    )
    pool = max(opts.workers, 1)
    ds = ds.map_batches(
        ExtractBatch,
        fn_constructor_kwargs={"batch_size": opts.batch_size},
        batch_size=opts.batch_size,
        num_cpus=1,
        **_actor_pool(ray, pool),
    )
    if bank is None or not opts.write_bank:
        if not opts.parquet:
            raise ConfigError("--engine ray needs a bank (--db) or --parquet DIR")
        ds.write_parquet(opts.parquet)
        for shard in _parquet_rows(opts.parquet):
            report.seen += 1
            report.stored += 0 if shard["error"] else 1
            report.failed += 1 if shard["error"] else 0
            report.quotes += len(json.loads(shard["quotes"] or "[]"))
        return

    from onrecord.run._ingest import write_results

    writer = _ParquetShards(opts.parquet) if opts.parquet else None
    try:

        def results() -> Iterator[Result]:
            for batch in ds.iter_batches(
                batch_size=opts.batch_size, batch_format="numpy"
            ):
                n = len(batch["id"])
                rows = [{c: _plain(batch[c][i]) for c in COLUMNS} for i in range(n)]
                if writer is not None:
                    writer.write(rows)
                for row in rows:
                    report.seen += 1
                    res = result_of(row)
                    if res.error and row["source"]:  # an input failure
                        bank.add_error(res.article.id, row["source"], res.error)
                        report.failed += 1
                        progress.update(articles=1, failed=1)
                        continue
                    yield res

        write_results(
            bank,
            results(),
            report,
            progress,
            verify=opts.verify,
            batch_size=opts.batch_size,
        )
    finally:
        if writer is not None:
            writer.close()


def _parquet_rows(directory: str) -> Iterator[dict[str, Any]]:
    import pyarrow.parquet as pq

    for name in sorted(os.listdir(directory)):
        if name.endswith(".parquet"):
            table = pq.read_table(
                os.path.join(directory, name), columns=["error", "quotes"]
            )
            yield from table.to_pylist()


class _ParquetShards:
    """Parquet shards written from the driver, ``rows_per_shard`` rows each."""

    def __init__(self, directory: str, rows_per_shard: int = 5000) -> None:
        os.makedirs(directory, exist_ok=True)
        self.directory = directory
        self.rows_per_shard = rows_per_shard
        self.buffer: list[dict[str, Any]] = []
        existing = [n for n in os.listdir(directory) if n.startswith("shard-")]
        self.n = len(existing)

    def write(self, rows: list[dict[str, Any]]) -> None:
        self.buffer.extend(rows)
        if len(self.buffer) >= self.rows_per_shard:
            self.flush()

    def flush(self) -> None:
        if not self.buffer:
            return
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.Table.from_pylist(self.buffer)
        path = os.path.join(self.directory, f"shard-{self.n:05d}.parquet")
        pq.write_table(table, path + ".tmp")
        os.replace(path + ".tmp", path)
        self.n += 1
        self.buffer = []

    def close(self) -> None:
        self.flush()
