"""Unreadable files become failed documents rows with a clear reason; the run goes on."""

import duckdb

from pipeline.cli import main
from pipeline.process import process_file


def test_zero_byte(tmp_path):
    p = tmp_path / "empty.pdf"
    p.write_bytes(b"")
    row = process_file(p).document
    assert row.status == "failed" and "empty" in (row.error or "")


def test_html_named_pdf(tmp_path):
    p = tmp_path / "page.pdf"
    p.write_text("<!DOCTYPE html><html><body>404</body></html>")
    row = process_file(p).document
    assert row.status == "failed" and "HTML" in (row.error or "")


def test_truncated_pdf(tmp_path, seed_pdf):
    p = tmp_path / "cut.pdf"
    p.write_bytes(seed_pdf.read_bytes()[:4000])
    row = process_file(p).document
    assert row.status == "failed"
    assert "truncated" in (row.error or "") or "damaged" in (row.error or "")


def test_batch_with_bad_files_keeps_good_one(tmp_path, seed_pdf):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "zero.pdf").write_bytes(b"")
    (inbox / "random.pdf").write_bytes(bytes(range(256)) * 4)
    (inbox / "good.pdf").write_bytes(seed_pdf.read_bytes())
    out = tmp_path / "out"
    assert main(["run", str(inbox), "--out", str(out), "--quiet"]) == 1
    rows = duckdb.sql(
        f"select file_name, status, error from read_parquet('{out}/documents/**/*.parquet', hive_partitioning=true)"
    ).fetchall()
    status = {name: (st, err) for name, st, err in rows}
    assert status["good.pdf"][0] == "ok"
    assert status["zero.pdf"][0] == "failed" and "empty" in status["zero.pdf"][1]
    assert status["random.pdf"][0] == "failed" and "not a PDF" in status["random.pdf"][1]
    # a second run skips everything it already committed
    assert main(["run", str(inbox), "--out", str(out), "--quiet"]) == 0
