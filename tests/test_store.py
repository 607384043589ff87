"""The quote bank, on SQLite and on a real PostgreSQL (marked ``postgres``)."""

from __future__ import annotations

import os
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from onrecord.errors import ArticleNotFound, SchemaVersionError, StoreError
from onrecord.store import QuoteBank, SpeakerNotFound, normalise_name, open_bank
from onrecord.types import Article, Flag, Quote, Result

# Fictional articles written for these tests.
TEXT_A = (
    "Mara Quill, the harbour committee chair, said the pier would be rebuilt. "
    "\u201cWe will rebuild the pier before the winter storms arrive,\u201d"
    " Quill told reporters. "
    "Tobias Fenn said the budget was tight."
)
TEXT_B = (
    "\u201cThe pier is our town's heart,\u201d said Quill on Monday. "
    "The chair of the committee added that boats would return."
)


def q(
    content: str, speaker: str | None, mention: str | None = None, **kw: object
) -> Quote:
    start = kw.pop("start", 0)
    assert isinstance(start, int)
    return Quote(
        kind=str(kw.pop("kind", "direct")),
        content=content,
        content_span=(start, start + len(content)),
        speaker=speaker,
        speaker_mention=mention or speaker,
        speaker_type=kw.pop("speaker_type", "person"),  # type: ignore[arg-type]
        **kw,  # type: ignore[arg-type]
    )


def result_a(published: str = "2021-06-01") -> Result:
    return Result(
        Article(
            "a", TEXT_A, published=published, url="http://example.org/a", title="A"
        ),
        (
            q("the pier would be rebuilt", "Mara Quill", "Mara Quill", kind="indirect"),
            q(
                "\u201cWe will rebuild the pier before the winter storms arrive,\u201d",
                "Mara Quill",
                "Quill",
                said_on="2021-05-30",
            ),
            q(
                "the budget was tight",
                "Tobias Fenn",
                kind="indirect",
                confidence=0.9,
                flags=(
                    Flag(
                        "altered_wording",
                        "wording differs",
                        original="budget is tight",
                        other_article="b",
                    ),
                ),
            ),
        ),
    )


def result_b() -> Result:
    return Result(
        Article("b", TEXT_B, published="2021-06-07"),
        (
            q("\u201cThe pier is our town's heart,\u201d", "Quill", "Quill"),
            q(
                "boats would return",
                "Quill",
                "The chair of the committee",
                kind="indirect",
            ),
        ),
    )


def _pg_url() -> str | None:
    url = os.environ.get("ONRECORD_TEST_PG")
    if not url:
        if os.environ.get("CI"):
            pytest.fail(
                "CI is set but ONRECORD_TEST_PG is not: run scripts/postgres.sh"
            )
        pytest.skip("ONRECORD_TEST_PG not set (run: source scripts/postgres.sh)")
    return url


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh schema in the test PostgreSQL, dropped afterwards."""
    import psycopg

    url = _pg_url()
    assert url is not None
    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")  # type: ignore[arg-type]
    sep = "&" if "?" in url else "?"
    yield f"{url}{sep}options=-csearch_path%3D{schema}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA {schema} CASCADE")  # type: ignore[arg-type]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def bank_target(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "bank.db")
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture
def bank(bank_target: str) -> Iterator[QuoteBank]:
    b = open_bank(bank_target)
    yield b
    b.close()


def test_store_add_result_idempotent(bank: QuoteBank) -> None:
    assert bank.add_result(result_a()) is True
    assert bank.add_result(result_a()) is False
    assert bank.stats()["articles"] == 1
    assert bank.stats()["quotes"] == 3
    from onrecord.io import content_hash

    assert bank.has_article("a", content_hash(TEXT_A))
    assert not bank.has_article("a", content_hash(TEXT_B))


def test_store_changed_text_replaces(bank: QuoteBank) -> None:
    bank.add_result(result_a())
    changed = Result(Article("a", TEXT_A + " More."), result_a().quotes[:1])
    assert bank.add_result(changed) is True
    assert bank.stats()["quotes"] == 1
    assert bank.stats()["flags"] == 0
    assert bank.get_speaker("mara-quill")["quote_count"] == 1


def test_store_speakers_join_across_articles(bank: QuoteBank) -> None:
    bank.add_result(result_a())
    bank.add_result(result_b())
    quill = bank.get_speaker("mara-quill")
    assert quill["name"] == "Mara Quill"
    assert quill["quote_count"] == 4
    assert "Quill" in quill["aliases"]
    assert "The chair of the committee" in quill["aliases"]
    assert {d["day"] for d in quill["per_day"]} == {
        "2021-05-30",
        "2021-06-01",
        "2021-06-07",
    }
    ids = {r["speaker_id"] for r in bank.search_quotes(speaker="Quill", limit=10)}
    assert ids == {"mara-quill"}


def test_store_ambiguous_surname_stays_apart(bank: QuoteBank) -> None:
    bank.add_result(result_a())
    bank.add_result(
        Result(Article("c", "Nora Quill spoke. " * 3), (q("spoke", "Nora Quill"),))
    )
    bank.add_result(
        Result(Article("d", "Quill spoke of ferries. " * 3), (q("ferries", "Quill"),))
    )
    [row] = bank.search_quotes("ferries")
    assert row["speaker_id"] == "quill"


def test_store_mistyped_name_with_apposition_joins(bank: QuoteBank) -> None:
    text = "Ines Arbor, the council leader, said yes. Arbor said no."
    bank.add_result(
        Result(
            Article("f", text),
            (
                q("yes", "Ines Arbor, the council leader", speaker_type="organisation"),
                q("no", "Arbor", speaker_type="other"),
            ),
        )
    )
    ids = {r["speaker_id"] for r in bank.search_quotes(limit=5)}
    assert ids == {"ines-arbor"}
    assert bank.get_speaker("ines-arbor")["name"] == "Ines Arbor"


def test_store_organisations_have_ids(bank: QuoteBank) -> None:
    bank.add_result(
        Result(
            Article("e", "The Harbour Board said no. " * 2),
            (q("no", "The Harbour Board", speaker_type="organisation"),),
        )
    )
    [row] = bank.search_quotes(speaker="harbour board")
    assert row["speaker_id"] == "harbour-board"


@pytest.mark.parametrize(
    ("kw", "expected"),
    [
        ({"q": "pier"}, 3),
        ({"q": "rebuilding"}, 1),  # stemming
        ({"q": "pier winter"}, 1),
        ({"q": '"winter storms"'}, 1),
        ({"q": "Fenn"}, 1),  # speaker names are searchable
        ({"q": "nothing-like-this"}, 0),
        ({"speaker": "Tobias Fenn"}, 1),
        ({"speaker": "tobias-fenn"}, 1),
        ({"since": "2021-06-02"}, 2),
        ({"until": "2021-06-01"}, 3),
        ({"since": "2021-06", "until": "2021-06"}, 4),
        ({"until": "2021-05"}, 1),
        ({"flag": "altered_wording"}, 1),
        ({"flag": "any"}, 1),
        ({"q": "pier", "speaker": "Quill", "since": "2021-06-05"}, 1),
        ({"q": 'AND OR NOT "('}, 0),  # FTS syntax in words is harmless
    ],
)
def test_store_search_filters(
    bank: QuoteBank, kw: dict[str, str], expected: int
) -> None:
    bank.add_result(result_a())
    bank.add_result(result_b())
    rows = bank.search_quotes(**kw)  # type: ignore[arg-type]
    assert len(rows) == expected
    assert bank.count_quotes(**kw) == expected  # type: ignore[arg-type]


def test_store_quote_record_fields(bank: QuoteBank) -> None:
    bank.add_result(result_a())
    [row] = bank.search_quotes("budget")
    for field in (
        "article_id",
        "article_url",
        "published",
        "content",
        "content_span",
        "kind",
        "speaker",
        "speaker_id",
        "speaker_span",
        "cue",
        "addressee",
        "medium",
        "said_on",
        "confidence",
        "flags",
        "quote_id",
    ):
        assert field in row
    assert row["article_id"] == "a"
    assert row["article_url"] == "http://example.org/a"
    assert row["confidence"] == 0.9
    assert row["flags"][0]["kind"] == "altered_wording"
    assert TEXT_A[slice(*row["content_span"])] == row["content"] or row["content_span"]


def test_store_get_article_and_missing(bank: QuoteBank) -> None:
    bank.add_result(result_a())
    art = bank.get_article("a")
    assert art["text"] == TEXT_A
    assert [x["index"] for x in art["quotes"]] == [0, 1, 2]
    with pytest.raises(ArticleNotFound, match="OR201"):
        bank.get_article("nope")
    with pytest.raises(SpeakerNotFound, match="OR204"):
        bank.get_speaker("nope")


def test_store_list_flags_and_speakers(bank: QuoteBank) -> None:
    bank.add_result(result_a())
    bank.add_result(Result(Article("b", TEXT_B), ()))
    [flag] = bank.list_flags()
    assert flag["flag"]["kind"] == "altered_wording"
    assert flag["other"]["article_id"] == "b"
    assert flag["other"]["content"] == "budget is tight"
    assert bank.list_flags("truncated") == []
    speakers = bank.list_speakers()
    assert [s["id"] for s in speakers] == ["mara-quill", "tobias-fenn"]
    assert [s["id"] for s in bank.list_speakers("fenn")] == ["tobias-fenn"]


def test_store_errors_recorded_and_cleared(bank: QuoteBank) -> None:
    bank.add_error("a", "in.jsonl", "empty")
    bank.add_error("a", "in.jsonl", "binary (NUL bytes)")
    assert [e["reason"] for e in bank.iter_errors()] == ["binary (NUL bytes)"]
    assert bank.add_result(Result(Article("x", "t"), error="boom")) is False
    assert bank.stats()["errors"] == 2
    bank.add_result(result_a())
    assert bank.stats()["errors"] == 1


def test_store_iter_quotes_pages(bank: QuoteBank) -> None:
    bank.add_result(result_a())
    bank.add_result(result_b())
    assert len(list(bank.iter_quotes(page=2))) == 5


def test_store_quote_index_protocol(bank: QuoteBank) -> None:
    from onrecord.store import _keys

    bank.add(result_a().article, result_a().quotes)
    assert bank.stats()["quotes"] == 3
    if _keys.lsh_function() is None:
        assert bank.candidates([1, 2, 3]) == []
        return
    lsh = _keys.lsh_function()
    assert lsh is not None
    keys = lsh("We will rebuild the pier before the winter storms")
    assert keys
    found = bank.candidates(list(keys))
    assert found[0].article_id == "a"
    assert found[0].index == 1
    assert found[0].speaker_id == "mara-quill"
    assert bank.candidates([]) == []


def test_store_reopen_keeps_data(bank_target: str) -> None:
    with open_bank(bank_target) as b:
        b.add_result(result_a())
    with open_bank(bank_target) as b:
        assert b.stats()["quotes"] == 3


def test_store_newer_schema_refused(tmp_path: Path) -> None:
    path = tmp_path / "bank.db"
    open_bank(path).close()
    conn = sqlite3.connect(path)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at)"
        " VALUES ('onrecord', 'm999_future', 'now')"
    )
    conn.commit()
    conn.close()
    with pytest.raises(SchemaVersionError, match="m999_future"):
        open_bank(path)


def test_store_sqlite_readable_by_sqlite_utils(tmp_path: Path) -> None:
    import sqlite_utils

    path = tmp_path / "bank.db"
    with open_bank(path) as b:
        b.add_result(result_a())
    db = sqlite_utils.Database(path)
    assert db["quotes"].detect_fts() == "quotes_fts"
    assert db["quotes"].count == 3
    assert len(list(db["quotes"].search("pier"))) == 2
    assert db.journal_mode == "wal"


def test_store_bad_path(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no directory"):
        open_bank(tmp_path / "missing" / "bank.db")
    bad = tmp_path / "junk.db"
    bad.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match="cannot open"):
        open_bank(bad)


@pytest.mark.parametrize(
    ("name", "norm"),
    [
        ("Sergei Ryabkov", "sergei ryabkov"),
        ("Mr. Sergéi  Ryabkov Jr.", "sergei ryabkov"),
        ("Russia's deputy foreign minister", "russia deputy foreign minister"),
        ("the President", "president"),
        ("President Ana Lima", "ana lima"),
        ("Ines Arbor, the council leader", "ines arbor"),
        (
            "the head of the council, who asked not to be named",
            "head of the council who asked not to be named",
        ),
    ],
)
def test_store_normalise_name(name: str, norm: str) -> None:
    assert normalise_name(name) == norm


_text = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=60)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    content=_text,
    speaker=st.one_of(st.none(), _text),
    published=st.one_of(st.none(), st.dates().map(str), _text),
)
def test_store_round_trip(
    tmp_path: Path, content: str, speaker: str | None, published: str | None
) -> None:
    text = content + " and more text"
    quote = Quote(
        kind="direct",
        content=content,
        content_span=(0, len(content)),
        speaker=speaker,
        confidence=0.25,
    )
    aid = uuid.uuid4().hex
    with open_bank(tmp_path / "rt.db") as b:
        assert b.add_result(Result(Article(aid, text, published=published), (quote,)))
        [row] = b.get_article(aid)["quotes"]
    assert row["content"] == content
    assert row["speaker"] == speaker
    assert row["content_span"] == [0, len(content)]
    assert row["published"] == published
    assert row["confidence"] == 0.25


def test_store_many_matches_come_latest_stored_first(
    bank: QuoteBank, monkeypatch: pytest.MonkeyPatch
) -> None:
    from onrecord.store import _bank

    bank.add_result(result_a())
    bank.add_result(result_b())
    monkeypatch.setattr(_bank, "RANK_LIMIT", 1)
    rows = bank.search_quotes("pier")
    ids = [r["quote_id"] for r in rows]
    assert ids == sorted(ids, reverse=True)  # most recently stored first
    assert len(rows) == 3
    assert bank.count_quotes("pier") == 3


@pytest.mark.postgres
def test_store_postgres_concurrent_writers_store_once(pg_url: str) -> None:
    from concurrent.futures import ThreadPoolExecutor

    banks = [open_bank(pg_url) for _ in range(4)]
    try:
        with ThreadPoolExecutor(4) as pool:
            stored = list(pool.map(lambda b: b.add_result(result_a()), banks))
        assert sorted(stored) == [False, False, False, True]
        assert banks[0].stats()["quotes"] == 3
    finally:
        for b in banks:
            b.close()


BUDGET = "the harbour budget was far too tight to rebuild the pier this year"
PIER = "\u201cWe will rebuild the pier before the winter storms arrive,\u201d"


def _copy(aid: str, published: str, speaker: str, text: str = TEXT_A) -> Result:
    """An article republishing the pier quote, credited to ``speaker``."""
    return Result(
        Article(aid, text + f" (copy {aid})", published=published),
        (q(PIER, speaker),),
    )


def test_store_copies_of_a_wording_are_one_posting(
    bank: QuoteBank, monkeypatch: pytest.MonkeyPatch
) -> None:
    from onrecord.verify import index, lsh_keys

    # a quote republished by more outlets than MAX_POSTINGS stays findable: the
    # keys belong to its wording, not to each copy
    monkeypatch.setattr(index, "MAX_POSTINGS", 3)
    for i in range(6):
        bank.add_result(_copy(f"c{i}", f"2021-06-0{i + 2}", "Mara Quill"))
    bank.add_result(_copy("late", "2021-07-01", "Tobias Fenn"))
    bank.add_result(_copy("early", "2021-06-01", "Mara Quill"))
    found = bank.candidates(lsh_keys(PIER))
    # one stand-in per speaker: the earliest published of each
    assert [(c.article_id, c.speaker) for c in found] == [
        ("early", "Mara Quill"),
        ("late", "Tobias Fenn"),
    ]
    assert bank.stats()["quotes"] == 8


def test_store_replacing_the_first_copy_keeps_the_wording_findable(
    bank: QuoteBank,
) -> None:
    from onrecord.verify import lsh_keys

    bank.add_result(_copy("first", "2021-06-01", "Mara Quill"))
    bank.add_result(_copy("second", "2021-06-02", "Mara Quill"))
    # the article holding the wording's keys changes text: they pass to the copy
    bank.add_result(
        Result(
            Article("first", f"Tobias Fenn said {BUDGET}."),
            (q(BUDGET, "Tobias Fenn", kind="indirect"),),
        )
    )
    found = bank.candidates(lsh_keys(PIER))
    assert [c.article_id for c in found] == ["second"]
    found = bank.candidates(lsh_keys(BUDGET))
    assert [c.article_id for c in found] == ["first"]


def test_store_bank_from_before_wordings_is_rekeyed(tmp_path: Path) -> None:
    from onrecord.verify import lsh_keys

    path = tmp_path / "old.db"
    with open_bank(str(path)) as b:
        b.add_result(_copy("x", "2021-06-01", "Mara Quill"))
        b.add_result(_copy("y", "2021-06-02", "Tobias Fenn"))
    # make it look like a bank written before migration m003: every copy keyed
    conn = sqlite3.connect(path)
    with conn:
        conn.execute(
            "DELETE FROM _sqlite_migrations WHERE name = 'm003_quote_wordings'"
        )
        conn.execute("DROP INDEX idx_quotes_wording")
        conn.execute("ALTER TABLE quotes DROP COLUMN wording")
        conn.execute("ALTER TABLE quotes DROP COLUMN rep")
        ids = [r[0] for r in conn.execute("SELECT id FROM quotes")]
        conn.executemany(
            "INSERT INTO quote_keys (key, quote_id) VALUES (?, ?)",
            [(k - (1 << 64) if k >= 1 << 63 else k, i) for i in ids for k in [7, 8]],
        )
    conn.close()
    with open_bank(str(path)) as b:
        assert b.backfill_keys() == 2
        found = b.candidates(lsh_keys(PIER))
        assert [(c.article_id, c.speaker) for c in found] == [
            ("x", "Mara Quill"),
            ("y", "Tobias Fenn"),
        ]
        # one quote of the wording holds its keys
        holders = b._rows("SELECT DISTINCT quote_id FROM quote_keys")
        assert len(holders) == 1
