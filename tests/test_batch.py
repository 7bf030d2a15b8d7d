"""Batch runs: killed runs converge, bad files and bad workers become failed rows, reruns skip."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from pipeline.cli import main
from pipeline.ledger import read_paths
from pipeline.lock import is_locked
from schemas.arrow import TABLES

ROOT = Path(__file__).resolve().parent.parent


# --- helpers (also used by test_batch_dask.py and test_store_compact.py) ----------------------


def make_copies(folder: Path, seed_pdf: Path, n: int, stem: str = "copy") -> list[Path]:
    """``n`` distinct documents: the seed PDF with a distinct comment after %%EOF."""
    folder.mkdir(parents=True, exist_ok=True)
    data = seed_pdf.read_bytes()
    paths = []
    for i in range(n):
        p = folder / f"{stem}{i:02d}.pdf"
        p.write_bytes(data + f"\n% copy {i}\n".encode())
        paths.append(p)
    return paths


def table_rows(out: Path, table: str) -> list[str]:
    """Every row of every file of ``table`` (committed or not), processed_at left out, sorted."""
    files = list((out / table).glob("fiscal_year=*/*.parquet"))
    if not files:
        return []
    pattern = str(out / table / "fiscal_year=*" / "*.parquet")
    rel = duckdb.sql(f"select * from read_parquet('{pattern}', hive_partitioning=true, union_by_name=true)")
    names = [n for n in rel.columns if n != "processed_at"]
    return sorted(repr(row) for row in rel.select(*names).fetchall())


def dataset(out: Path) -> dict[str, list[str]]:
    return {table: table_rows(out, table) for table in TABLES}


def log_lines(path: Path) -> dict[str, dict]:
    """file name -> its JSON log record."""
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return {Path(r["path"]).name: r for r in records}


def run_cli(*args: str | Path) -> int:
    return main(["run", *map(str, args)])


# --- a run killed with SIGKILL converges to the uninterrupted dataset ---------------------------


def test_kill_9_then_rerun_equals_uninterrupted_run(tmp_path, seed_pdf):
    inbox = tmp_path / "inbox"
    make_copies(inbox, seed_pdf, 4)
    (inbox / "zz_empty.pdf").write_bytes(b"")

    reference = tmp_path / "reference"
    assert run_cli(inbox, "--out", reference, "--quiet", "--workers", "2") == 1  # the empty file fails

    killed = tmp_path / "killed"
    proc = subprocess.Popen(
        [sys.executable, "-m", "pipeline.cli", "run", str(inbox), "--out", str(killed), "--quiet", "--workers", "1"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while not list((killed / "documents").glob("*/*.parquet")):
        assert proc.poll() is None, "the run ended before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    committed_before = len(list((killed / "documents").glob("*/*.parquet")))
    assert 1 <= committed_before < 5, "killed part-way"
    # readers can open what the killed run left, and see only whole documents
    from report.views import connect

    con = connect(killed)
    per_doc = con.sql("select doc_id, count(*) from line_items group by doc_id").fetchall()
    assert len(per_doc) <= committed_before
    assert all(n == len(table_rows(reference, "line_items")) // 4 for _, n in per_doc)

    assert run_cli(inbox, "--out", killed, "--quiet", "--workers", "2") == 1
    assert dataset(killed) == dataset(reference)
    assert not list(killed.glob("**/.*.tmp"))
    assert not is_locked(killed)  # the dead run's lock was taken over and released


# --- broken inputs and misbehaving workers become failed rows, the batch goes on ---------------


def test_broken_inputs_fail_with_reasons_and_good_files_succeed(tmp_path, seed_pdf):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "good.pdf").write_bytes(seed_pdf.read_bytes())
    (inbox / "zero.pdf").write_bytes(b"")
    (inbox / "random.pdf").write_bytes(bytes((i * 7919) % 256 for i in range(4096)))
    (inbox / "page.pdf").write_text("<!DOCTYPE html><html><body>404 Not Found</body></html>")
    (inbox / "cut.pdf").write_bytes(seed_pdf.read_bytes()[:4000])
    out, log = tmp_path / "out", tmp_path / "log.jsonl"
    assert run_cli(inbox, "--out", out, "--quiet", "--workers", "2", "--log-json", log) == 1
    records = log_lines(log)
    assert records["good.pdf"]["status"] == "ok" and records["good.pdf"]["pages"] > 0
    reasons = {name: r["reason"] for name, r in records.items() if r["status"] == "failed"}
    assert set(reasons) == {"zero.pdf", "random.pdf", "page.pdf", "cut.pdf"}
    assert "empty" in reasons["zero.pdf"]
    assert "not a PDF" in reasons["random.pdf"]
    assert "HTML" in reasons["page.pdf"]
    assert "truncated" in reasons["cut.pdf"] or "damaged" in reasons["cut.pdf"]
    # the JSON log carries what a cron job needs, for every document
    for r in records.values():
        assert set(r) >= {"doc_id", "path", "status", "reason", "seconds", "pages"}
    rows = duckdb.sql(
        f"select file_name, status, error from read_parquet('{out}/documents/**/*.parquet', hive_partitioning=true)"
    ).fetchall()
    assert {name: (status, error) for name, status, error in rows} == {
        name: (r["status"], r["reason"]) for name, r in records.items()
    }


@pytest.mark.parametrize(
    ("fault", "options", "reason"),
    [
        ("hang", ["--timeout", "5"], "timed out after 5 s"),
        ("segv", [], "worker crashed (signal 11, SIGSEGV)"),
        ("exit", [], "worker crashed (exit code 3) before returning a result"),
        ("oom", ["--max-memory-mb", "512"], "exceeded the 512 MB memory cap"),
    ],
)
def test_misbehaving_worker_becomes_a_failed_row(tmp_path, monkeypatch, fault, options, reason):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a_bad.pdf").write_bytes(b"%PDF-1.4 bad worker")
    (inbox / "b_empty.pdf").write_bytes(b"")
    monkeypatch.setenv("JUESUAN_TEST_FAULTS", f"a_bad*={fault}")
    out, log = tmp_path / "out", tmp_path / "log.jsonl"
    # one worker: the document after the bad one runs only if the batch went on
    assert run_cli(inbox, "--out", out, "--quiet", "--workers", "1", "--log-json", log, *options) == 1
    records = log_lines(log)
    assert records["a_bad.pdf"]["status"] == "failed"
    assert records["a_bad.pdf"]["reason"] == reason
    assert records["b_empty.pdf"]["status"] == "failed" and "empty" in records["b_empty.pdf"]["reason"]
    rows = duckdb.sql(
        f"select error from read_parquet('{out}/documents/**/*.parquet') where file_name = 'a_bad.pdf'"
    ).fetchall()
    assert rows == [(reason,)]


# --- one writer per output ------------------------------------------------------------------


def test_second_concurrent_run_exits_3_and_a_dead_runs_lock_is_taken_over(tmp_path, capsys):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "stuck.pdf").write_bytes(b"")
    out = tmp_path / "out"
    env = {**os.environ, "JUESUAN_TEST_FAULTS": "stuck.pdf=hang"}
    first = subprocess.Popen(
        [sys.executable, "-m", "pipeline.cli", "run", str(inbox), "--out", str(out), "--quiet", "--timeout", "120"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while not is_locked(out):
            assert first.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
        capsys.readouterr()
        assert run_cli(inbox, "--out", out, "--quiet") == 3
        err = capsys.readouterr().err
        assert "another juesuan run" in err and f"pid {first.pid}" in err
        assert main(["compact", "--data", str(out)]) == 3
    finally:
        first.kill()
        first.wait()
    # the lock file of the killed run is still there, but nobody holds it: taken over
    assert (out / ".juesuan.lock").exists() and not is_locked(out)
    assert run_cli(inbox, "--out", out, "--quiet") == 1  # the empty file, processed this time


# --- incremental: skip, --force, a new pipeline version ----------------------------------------


def test_rerun_skips_force_redoes_new_version_reprocesses(tmp_path, seed_pdf, monkeypatch):
    inbox = tmp_path / "inbox"
    make_copies(inbox, seed_pdf, 2)
    out, log = tmp_path / "out", tmp_path / "log.jsonl"

    def statuses(*extra: str) -> list[str]:
        log.unlink(missing_ok=True)
        assert run_cli(inbox, "--out", out, "--quiet", "--log-json", log, *extra) == 0
        return sorted(r["status"] for r in log_lines(log).values())

    assert statuses() == ["ok", "ok"]
    first = dataset(out)
    assert statuses() == ["skipped", "skipped"]
    assert statuses("--force") == ["ok", "ok"]
    assert dataset(out) == first  # redone in place, no duplicates

    import pipeline.run

    monkeypatch.setattr(pipeline.run, "PIPELINE_VERSION", "99.0.0")
    assert statuses() == ["ok", "ok"]
    assert dataset(out) == first


# --- inputs: folders, globs, the same bytes at two paths --------------------------------------


def test_globs_and_duplicate_bytes_make_one_document_with_every_path(tmp_path, seed_pdf, capsys):
    a, b = tmp_path / "a", tmp_path / "b" / "deeper"
    a.mkdir()
    b.mkdir(parents=True)
    (a / "report.pdf").write_bytes(seed_pdf.read_bytes())
    (b / "same_again.PDF").write_bytes(seed_pdf.read_bytes())
    (a / "notes.txt").write_text("not a pdf, not picked up from a folder")
    out, log = tmp_path / "out", tmp_path / "log.jsonl"
    # a quoted glob (expanded by juesuan, not the shell) and a folder walked recursively
    assert (
        run_cli(str(a / "*.pdf"), tmp_path / "b", str(tmp_path / "nothing*.pdf"), "--out", out, "--log-json", log) == 0
    )
    assert "no file matches" in capsys.readouterr().err
    (record,) = log_lines(log).values()
    assert record["path"] == str(a / "report.pdf")
    assert record["aliases"] == [str(b / "same_again.PDF")]
    rows = duckdb.sql(f"select doc_id, source_path from read_parquet('{out}/documents/**/*.parquet')").fetchall()
    assert rows == [(record["doc_id"], str(a / "report.pdf"))]
    assert read_paths(out) == {record["doc_id"]: [str(a / "report.pdf"), str(b / "same_again.PDF")]}
    # the copy seen later at a third path is skipped, and that path is recorded too
    (tmp_path / "c.pdf").write_bytes(seed_pdf.read_bytes())
    assert run_cli(tmp_path / "c.pdf", "--out", out, "--quiet") == 0
    assert read_paths(out)[record["doc_id"]][-1] == str(tmp_path / "c.pdf")


def test_usage_errors_exit_2(tmp_path, seed_pdf, capsys):
    assert run_cli(tmp_path / "missing.pdf") == 2
    assert run_cli(seed_pdf, "--workers", "0") == 2
    assert run_cli(seed_pdf, "--timeout", "0") == 2
    assert run_cli(seed_pdf, "--max-memory-mb", "10") == 2
    assert run_cli(seed_pdf, "--dask-address", "tcp://127.0.0.1:8786") == 2
    assert "--dask-address needs --executor dask" in capsys.readouterr().err


def test_dask_missing_is_a_usage_error(tmp_path, seed_pdf, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "dask", None)  # import dask -> ImportError
    monkeypatch.setitem(sys.modules, "dask.distributed", None)
    assert run_cli(seed_pdf, "--out", tmp_path / "out", "--executor", "dask") == 2
    assert "pip install 'juesuan[dask]'" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_summary_counts_statuses_slowest_files_and_failure_reasons(tmp_path, seed_pdf, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "250")  # one table row per line
    inbox = tmp_path / "inbox"
    make_copies(inbox, seed_pdf, 1)
    (inbox / "empty1.pdf").write_bytes(b"")
    (inbox / "empty2.pdf").write_bytes(b"")  # the same bytes: one document, one more path
    (inbox / "junk.pdf").write_bytes(b"junk")
    (inbox / "other.pdf").write_bytes(b"other junk")
    assert run_cli(inbox, "--out", tmp_path / "out") == 1
    lines = [line.strip("│┃ ") for line in capsys.readouterr().out.splitlines()]
    counts = lines.index(
        next(line for line in lines if line.split() == ["ok", "┃", "partial", "┃", "failed", "┃", "skipped"])
    )
    assert lines[counts + 2].split() == ["1", "│", "0", "│", "3", "│", "0"]
    assert "slowest documents" in lines
    assert any(line.endswith("copy00.pdf") and "51" in line for line in lines)
    assert "why documents failed" in lines
    failed = {line.split("│")[1].strip(): line.split("│")[0].strip() for line in lines if "│" in line and "PDF" in line}
    assert failed.get("not a PDF: the file does not start with a PDF header") == "2"


def test_a_memory_error_inside_the_pipeline_is_reported_as_the_cap(tmp_path):
    from pipeline.child import Limits, name_the_memory_cap
    from pipeline.process import failed_row
    from schemas.records import DocumentResult

    path = tmp_path / "big.pdf"
    path.write_bytes(b"%PDF-1.4")
    inside = DocumentResult(failed_row(path, "could not be processed: internal error (MemoryError)"))
    assert name_the_memory_cap(inside, Limits(max_memory_mb=768)).document.error == "exceeded the 768 MB memory cap"
    other = DocumentResult(failed_row(path, "could not be processed: internal error (KeyError: 'x')"))
    assert name_the_memory_cap(other, Limits()).document.error == other.document.error
    # without a cap, a MemoryError is the machine's, not ours: left as it was
    assert name_the_memory_cap(inside, Limits(max_memory_mb=0)).document.error == inside.document.error
