"""Corpus ingestion: resumable after kill -9, bad inputs recorded, workers, Ray."""

from __future__ import annotations

import json
import logging
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from onrecord.io import ReadOptions
from onrecord.run import IngestOptions, IngestReport, ingest
from onrecord.run._progress import Progress, count_inputs
from onrecord.store import open_bank

pytestmark = pytest.mark.slow  # loads the spaCy pipeline

FIRST = ["Mara", "Tobias", "Ines", "Oskar", "Lena", "Pavel", "Ruth", "Amos"]
LAST = ["Quill", "Fenn", "Arbor", "Strand", "Vey", "Holm", "Marr", "Tollan"]
TOWNS = ["Eastmere", "Calder Bay", "Norvik", "Ashgrove", "Pellham"]
ROLES = ["council leader", "harbour master", "school head", "union organiser"]
SAYINGS = [
    "We will rebuild the pier before the winter storms arrive",
    "The budget for the new library has not been approved yet",
    "Nobody on the council wants the ferry service to close",
    "Our teachers deserve a fair settlement this spring",
    "The river defences held better than anyone expected",
    "We have asked the regional office for an urgent review",
]


def fictional_article(i: int) -> dict[str, str]:
    """A made-up local news story with a few quotes (deterministic in ``i``)."""
    rnd = random.Random(i)
    first, last = rnd.choice(FIRST), rnd.choice(LAST)
    first2, last2 = rnd.choice(FIRST), rnd.choice(LAST)
    town, role = rnd.choice(TOWNS), rnd.choice(ROLES)
    s1, s2, s3 = rnd.sample(SAYINGS, 3)
    text = (
        f"The {town} council met on Tuesday evening to discuss the year ahead. "
        f"\u201c{s1},\u201d said {first} {last}, the {role}. "
        f"{last} told reporters that {s2[0].lower() + s2[1:]}. "
        f"Residents filled the hall for story number {i}. "
        f"\u201c{s3},\u201d {first2} {last2} said after the meeting."
    )
    return {
        "id": f"story-{i:04d}",
        "text": text,
        "published": f"2021-03-{1 + i % 28:02d}",
    }


def write_corpus(path: Path, n: int) -> Path:
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            fh.write(json.dumps(fictional_article(i)) + "\n")
    return path


def _counts(db: Path) -> dict[str, int]:
    conn = sqlite3.connect(db)
    try:
        return dict(conn.execute("SELECT article_id, count(*) FROM quotes GROUP BY 1"))
    finally:
        conn.close()


def test_run_ingest_stores_and_is_idempotent(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "c.jsonl", 12)
    with open_bank(tmp_path / "b.db") as bank:
        first = ingest([str(corpus)], bank, options=IngestOptions(progress=False))
        again = ingest([str(corpus)], bank, options=IngestOptions(progress=False))
        assert first.stored == 12
        assert first.quotes >= 24
        assert again.stored == 0
        assert again.skipped == 12
        assert bank.stats()["quotes"] == first.quotes
        quill = [
            s for s in bank.list_speakers(limit=100) if s["name"].endswith("Quill")
        ]
        assert quill
        assert all(" " in s["name"] for s in quill)  # surnames joined full names


def test_run_bad_inputs_recorded_never_stop(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(fictional_article(1)["text"], encoding="utf-8")
    (corpus / "b.txt").write_bytes(b"\x00\x01binary\xff" * 50)
    (corpus / "c.txt").write_text("   \n", encoding="utf-8")
    (corpus / "d.txt").write_text("x " * 3000, encoding="utf-8")
    (corpus / "e.txt").write_text(
        "\u0416\u0438\u0437\u043d\u044c " * 100, encoding="utf-8"
    )
    (corpus / "f.jsonl").write_text(
        json.dumps(fictional_article(2)) + "\n{broken\n", encoding="utf-8"
    )
    opts = IngestOptions(progress=False, read=ReadOptions(max_bytes=4000))
    with open_bank(tmp_path / "b.db") as bank:
        report = ingest([str(corpus)], bank, options=opts)
        errors = {Path(e["source"]).name: e["reason"] for e in bank.iter_errors()}
        assert report.stored == 2
        assert report.failed == 5
        assert report.exit_code == 1
    assert "binary" in errors["b.txt"]
    assert errors["c.txt"] == "empty"
    assert "too large" in errors["d.txt"]
    assert "wrong language" in errors["e.txt"]
    assert "malformed JSON" in errors["f.jsonl"]


def test_run_workers_match_single_process(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "c.jsonl", 10)
    with open_bank(tmp_path / "one.db") as bank:
        ingest([str(corpus)], bank, options=IngestOptions(progress=False))
    with open_bank(tmp_path / "two.db") as bank:
        report = ingest(
            [str(corpus)],
            bank,
            options=IngestOptions(workers=2, batch_size=3, progress=False),
        )
    assert report.stored == 10
    assert _counts(tmp_path / "one.db") == _counts(tmp_path / "two.db")


@pytest.mark.parametrize("workers", [1, 2])
def test_run_kill_and_resume(tmp_path: Path, workers: int) -> None:
    n = 60
    corpus = write_corpus(tmp_path / "c.jsonl", n)
    db = tmp_path / "killed.db"
    cmd = [
        sys.executable,
        "-c",
        "from onrecord.cli import cli; cli()",
        "ingest",
        str(corpus),
        "--db",
        str(db),
        "--batch-size",
        "2",
        "--workers",
        str(workers),
        "--no-progress",
    ]
    proc = subprocess.Popen(
        cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
    )
    try:
        deadline = time.monotonic() + 240
        stored = 0
        while time.monotonic() < deadline and proc.poll() is None:
            if db.exists():
                try:
                    conn = sqlite3.connect(db, timeout=1)
                    stored = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
                    conn.close()
                except sqlite3.OperationalError:
                    stored = 0
                if stored >= 6:
                    break
            time.sleep(0.05)
        assert proc.poll() is None, "ingest ended before it could be killed"
        assert 6 <= stored < n
        os.kill(proc.pid, signal.SIGKILL)  # the parent, mid-run
        proc.wait(timeout=30)
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # orphaned workers, if any
        except ProcessLookupError:
            pass
    partial = _counts(db)
    assert 0 < len(partial) < n
    rerun = subprocess.run(
        cmd + ["--json"], capture_output=True, text=True, timeout=600
    )
    assert rerun.returncode == 0, rerun.stderr
    summary = json.loads(rerun.stdout)
    assert summary["seen"] == n
    assert summary["skipped"] + summary["stored"] == n
    assert summary["skipped"] >= len(partial)
    # the reference: one uninterrupted run
    ref = tmp_path / "ref.db"
    with open_bank(ref) as bank:
        ingest([str(corpus)], bank, options=IngestOptions(progress=False))
    assert _counts(db) == _counts(ref)
    conn = sqlite3.connect(db)
    dupes = conn.execute(
        "SELECT count(*) FROM (SELECT article_id, idx FROM quotes GROUP BY 1, 2"
        " HAVING count(*) > 1)"
    ).fetchone()[0]
    articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    conn.close()
    assert dupes == 0
    assert articles == n


def test_run_progress_log_lines(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="onrecord.run")
    progress = Progress(100, enabled=None, every=0.0)  # stderr is not a tty here
    progress.update(articles=10, quotes=30, stored=10)
    progress.close()
    [line] = [r.getMessage() for r in caplog.records]
    assert line.startswith("ingest: 10/100 articles (10 stored")
    assert "30 quotes" in line
    assert "articles/s" in line
    assert "ETA" in line


def test_run_count_inputs(tmp_path: Path) -> None:
    write_corpus(tmp_path / "c.jsonl", 7)
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "x.txt").write_text("hello")
    (tmp_path / "d" / "y.html").write_text("<p>hello</p>")
    assert count_inputs([str(tmp_path / "c.jsonl"), str(tmp_path / "d")]) == 9
    assert count_inputs(["-"]) is None


@pytest.mark.parametrize(
    ("seen", "failed", "code"), [(5, 0, 0), (5, 2, 1), (5, 5, 3), (0, 0, 0)]
)
def test_run_exit_codes(seen: int, failed: int, code: int) -> None:
    assert IngestReport(seen=seen, failed=failed).exit_code == code


def test_run_parallel_reads_ahead_boundedly() -> None:
    """Inputs are pulled lazily: at most 2·workers batches are in flight."""
    from onrecord import Options
    from onrecord.run import extract_parallel
    from onrecord.types import Article

    produced = 0

    def endless() -> Iterator[Article]:
        nonlocal produced
        i = 0
        while True:
            produced += 1
            a = fictional_article(i)
            yield Article(a["id"], a["text"])
            i += 1

    workers, batch = 2, 2
    got = 0
    results = extract_parallel(endless(), workers=workers, batch_size=batch,
                               options=Options())  # fmt: skip
    for _ in results:
        got += 1
        if got == 10:
            break
    results.close()  # type: ignore[attr-defined]  # stops the workers
    assert produced <= got + (2 * workers + 1) * batch
