"""The store under compaction and crashes: readers see whole committed documents, once."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from test_batch import dataset, make_copies

from pipeline import journal
from pipeline.cli import main
from pipeline.lock import Lock, OutputLocked
from pipeline.store import (
    DATA_TABLES,
    document_file_name,
    is_merged,
    partition_dir,
    read_index,
    recover,
    table_files,
    take_out_of_merged,
)
from schemas.arrow import TABLES


class Killed(Exception):
    """Stands for kill -9 at the point where the journal has been written."""


@pytest.fixture(scope="module")
def built(tmp_path_factory, seed_pdf) -> tuple[Path, Path]:
    """(inbox, store): 3 documents of 2023 and one failed document in the null partition."""
    root = tmp_path_factory.mktemp("store")
    inbox = root / "inbox"
    make_copies(inbox, seed_pdf, 3)
    (inbox / "empty.pdf").write_bytes(b"")
    out = root / "out"
    assert main(["run", str(inbox), "--out", str(out), "--quiet", "--workers", "2"]) == 1
    return inbox, out


@pytest.fixture
def store(built, tmp_path) -> Path:
    out = tmp_path / "out"
    shutil.copytree(built[1], out)
    return out


def visible(out: Path) -> dict[str, dict[str, int]]:
    """doc_id -> rows per table, as readers see them (only committed documents)."""
    from report.views import connect

    con = connect(out)
    docs = [d for (d,) in con.sql("select doc_id from documents").fetchall()]
    assert len(docs) == len(set(docs)), "a document is visible twice"
    counts: dict[str, dict[str, int]] = {d: {} for d in docs}
    for table in DATA_TABLES:
        for doc_id, n in con.sql(f"select doc_id, count(*) from {table} group by doc_id").fetchall():
            counts[doc_id][table] = n
    return counts


def assert_readers_see_whole_documents(out: Path, reference: dict[str, dict[str, int]]) -> None:
    for doc_id, counts in visible(out).items():
        assert counts == reference[doc_id], f"{doc_id[:8]} is visible with {counts}, not {reference[doc_id]}"


def test_compact_merges_files_without_changing_rows(store):
    before, seen = dataset(store), visible(store)
    assert main(["compact", "--data", str(store), "--quiet"]) == 0
    assert dataset(store) == before
    assert visible(store) == seen
    for table in TABLES:
        folders = {p.parent for p in table_files(store, table)}
        assert all(len(list(f.glob("*.parquet"))) == 1 for f in folders), table
    assert is_merged(table_files(store, "line_items")[0])
    assert not journal.journal_path(store).exists()
    # a second compaction has nothing to merge
    files = {t: table_files(store, t) for t in TABLES}
    assert main(["compact", "--data", str(store), "--quiet"]) == 0
    assert {t: table_files(store, t) for t in TABLES} == files


def _journal_written_then_killed(monkeypatch, out: Path, action: Callable[[], object]) -> list[dict]:
    def killed(_: Path) -> int:
        raise Killed

    with monkeypatch.context() as m:
        m.setattr(journal, "replay", killed)
        with pytest.raises(Killed):
            action()
    return json.loads(journal.journal_path(out).read_text(encoding="utf-8"))["actions"]


def _apply_first(out: Path, actions: list[dict], k: int) -> None:
    """What a process applying the journal did before it was killed after ``k`` actions."""
    for a in actions[:k]:
        if a["kind"] == "rename":
            os.replace(out / a["source"], out / a["target"])
        else:
            (out / a["target"]).unlink(missing_ok=True)


def test_compaction_killed_at_any_step_is_finished_by_the_next_run(store, built, monkeypatch):
    from pipeline.compact import compact

    before, seen = dataset(store), visible(store)
    actions = _journal_written_then_killed(monkeypatch, store, lambda: compact(store))
    pristine = store.with_name("pristine")
    shutil.copytree(store, pristine)
    for k in range(len(actions) + 1):
        shutil.rmtree(store)
        shutil.copytree(pristine, store)
        _apply_first(store, actions, k)
        # between any two steps, readers see whole documents, none twice
        assert_readers_see_whole_documents(store, seen)
        # the next run finishes the compaction and converges
        assert main(["run", str(built[0]), "--out", str(store), "--quiet"]) == 0
        assert dataset(store) == before
        assert not journal.journal_path(store).exists()
        assert not list(store.glob("**/.*.tmp"))


def test_reprocessing_merged_documents_leaves_no_duplicates(store, built):
    before = dataset(store)
    assert main(["compact", "--data", str(store), "--quiet"]) == 0
    assert main(["run", str(built[0]), "--out", str(store), "--quiet", "--force"]) == 1
    assert dataset(store) == before
    # the merged files gave the documents up; they are the documents' own files again
    assert not [p for t in TABLES for p in table_files(store, t) if is_merged(p)]
    assert main(["compact", "--data", str(store), "--quiet"]) == 0
    assert dataset(store) == before


def test_taking_documents_out_of_merged_files_killed_is_finished(store, monkeypatch):
    assert main(["compact", "--data", str(store), "--quiet"]) == 0
    seen = visible(store)
    index = read_index(store, ["doc_id"])
    redo = set(sorted(index)[:2])
    actions = _journal_written_then_killed(monkeypatch, store, lambda: take_out_of_merged(store, redo))
    tables = [a["target"].split("/")[0] for a in actions]
    assert tables == sorted(tables, key=lambda t: t != "documents")  # uncommitted before their rows go
    _apply_first(store, actions, 1)
    assert_readers_see_whole_documents(store, seen)
    recover(store)
    after = visible(store)
    assert set(after) == set(seen) - redo
    assert_readers_see_whole_documents(store, seen)


def test_recover_removes_uncommitted_files_and_temporaries(store):
    before = dataset(store)
    orphan = "f" * 64
    planted = []
    for table in DATA_TABLES:
        for src in table_files(store, table)[:1]:  # tables with rows (a clean fixture has no checks)
            planted.append(partition_dir(store, table, 2023) / document_file_name(orphan))
            shutil.copy(src, planted[-1])
    planted.append(partition_dir(store, "documents", 2023) / ".x.parquet.123.tmp")
    planted[-1].write_bytes(b"half a file")
    assert sorted(recover(store)) == sorted(map(str, planted))
    assert dataset(store) == before


def test_lock_refuses_a_second_holder_and_takes_over_a_dead_ones(tmp_path):
    out = tmp_path / "out"
    with Lock(out):
        with pytest.raises(OutputLocked, match="another juesuan run"):
            with Lock(out):
                pass
    # what a dead process leaves: a lock file nobody holds
    (out / ".juesuan.lock").write_text("pid 999999999 on elsewhere\n")
    with Lock(out):
        assert f"pid {os.getpid()}" in (out / ".juesuan.lock").read_text()


def test_journal_replay_is_idempotent(tmp_path):
    out = tmp_path / "out"
    (out / "a").mkdir(parents=True)
    (out / "a" / ".new.tmp").write_text("new")
    (out / "a" / "old").write_text("old")
    actions = [
        journal.Action("unlink", str(out / "a" / "old")),
        journal.Action("rename", str(out / "a" / "new"), str(out / "a" / ".new.tmp")),
    ]
    path = journal.journal_path(out)
    path.parent.mkdir(parents=True)
    body = [
        {
            "kind": a.kind,
            "target": os.path.relpath(a.target, out),
            "source": a.source and os.path.relpath(a.source, out),
        }
        for a in actions
    ]
    for _ in range(2):  # killed during the first replay, replayed again
        path.write_text(json.dumps({"actions": body}))
        assert journal.replay(out) == 2
    assert sorted(p.name for p in (out / "a").iterdir()) == ["new"]
    assert (out / "a" / "new").read_text() == "new"


def test_paths_ledger_survives_a_line_cut_by_a_kill(tmp_path):
    from pipeline.ledger import PathLedger, ledger_path, read_paths

    out = tmp_path / "out"
    with PathLedger(out) as ledger:
        ledger.record("a" * 64, ["x.pdf", "y.pdf"])
        ledger.record("a" * 64, ["x.pdf"])  # known: not written again
    with ledger_path(out).open("a", encoding="utf-8") as f:
        f.write('{"doc_id": "bbbb", "pa')  # killed mid-line
    with PathLedger(out) as ledger:
        ledger.record("c" * 64, ["z.pdf"])
    assert read_paths(out) == {"a" * 64: ["x.pdf", "y.pdf"], "c" * 64: ["z.pdf"]}
    assert len(ledger_path(out).read_text(encoding="utf-8").splitlines()) == 4


def test_compact_keeps_rows_written_under_an_older_schema(store):
    import pyarrow as pa
    import pyarrow.parquet as pq

    old = table_files(store, "line_items")[0]
    table = pq.read_table(old)
    table = table.drop_columns(["value_raw"]).append_column("legacy_note", pa.array(["kept"] * table.num_rows))
    pq.write_table(table, old)
    doc_id = table.column("doc_id")[0].as_py()
    assert main(["compact", "--data", str(store), "--quiet"]) == 0
    (merged,) = table_files(store, "line_items")
    rows = pq.read_table(merged).to_pylist()
    mine = [r for r in rows if r["doc_id"] == doc_id]
    others = [r for r in rows if r["doc_id"] != doc_id]
    assert len(mine) == table.num_rows and others
    assert all(r["value_raw"] is None and r["legacy_note"] == "kept" for r in mine)
    assert all(r["value_raw"] is not None and r["legacy_note"] is None for r in others)
