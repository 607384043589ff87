"""The Ray Data engine on a local Ray (marked ``ray``; skipped without Ray)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from onrecord.run import IngestOptions, ingest
from onrecord.store import open_bank

ray = pytest.importorskip("ray")
pytestmark = [pytest.mark.ray, pytest.mark.slow]

try:  # tests/ is not a package: import the helper whichever way pytest ran
    from tests.test_run import write_corpus
except ImportError:
    from test_run import write_corpus  # type: ignore[no-redef]


@pytest.fixture(scope="module")
def local_ray() -> Iterator[None]:
    ray.init(num_cpus=3, include_dashboard=False, log_to_driver=False)
    yield
    ray.shutdown()


def _counts(db: Path) -> dict[str, int]:
    conn = sqlite3.connect(db)
    try:
        return dict(conn.execute("SELECT article_id, count(*) FROM quotes GROUP BY 1"))
    finally:
        conn.close()


def test_run_ray_bank_same_as_local(local_ray: None, tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "c.jsonl", 10)
    (tmp_path / "bad.txt").write_bytes(b"\x00binary")
    with open_bank(tmp_path / "local.db") as bank:
        ingest([str(corpus)], bank, options=IngestOptions(progress=False))
    opts = IngestOptions(
        engine="ray", workers=2, batch_size=3, progress=False,
        parquet=str(tmp_path / "shards"),
    )  # fmt: skip
    with open_bank(tmp_path / "ray.db") as bank:
        report = ingest([str(corpus), str(tmp_path / "bad.txt")], bank, options=opts)
        assert report.stored == 10
        assert report.failed == 1
        assert [e["reason"] for e in bank.iter_errors()] == ["binary (NUL bytes)"]
        again = ingest([str(corpus)], bank, options=opts)
        assert again.stored == 0
    assert _counts(tmp_path / "ray.db") == _counts(tmp_path / "local.db")
    import pyarrow.parquet as pq

    table = pq.read_table(tmp_path / "shards")
    assert table.num_rows == 11


def test_run_ray_parquet_only(local_ray: None, tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "c.jsonl", 6)
    out = tmp_path / "pq"
    opts = IngestOptions(
        engine="ray", workers=2, batch_size=2, progress=False, parquet=str(out),
        write_bank=False,
    )  # fmt: skip
    report = ingest([str(corpus)], None, options=opts)
    assert report.stored == 6
    import pyarrow.parquet as pq

    rows = pq.read_table(out).to_pylist()
    assert sorted(r["id"] for r in rows) == [f"story-{i:04d}" for i in range(6)]
    assert all(json.loads(r["quotes"]) for r in rows)
