"""``juesuan sql``: the four views over the pipeline's dataset, checked against the ground truth."""

from __future__ import annotations

import csv
import io
import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from report_datasets import fixture_dataset, load_truth, ok_truths, truth_cells, truth_files

from pipeline.cli import main

TRUTHS = ok_truths()


@pytest.fixture(scope="module")
def fixture_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return fixture_dataset(tmp_path_factory)


def sql_csv(capsys: pytest.CaptureFixture[str], data: Path, query: str) -> list[dict[str, str]]:
    capsys.readouterr()
    assert main(["sql", query, "--data", str(data), "--format", "csv"]) == 0
    return list(csv.DictReader(io.StringIO(capsys.readouterr().out)))


def test_every_fixture_file_has_a_documents_row(fixture_data, capsys):
    rows = sql_csv(capsys, fixture_data, "SELECT file_name, status FROM documents")
    expected = {load_truth(p)["pdf"]: load_truth(p)["expected_status"] for p in truth_files()}
    assert {r["file_name"]: r["status"] for r in rows if r["file_name"] in expected} == expected


@pytest.mark.parametrize("truth_path", TRUTHS, ids=lambda p: p.stem)
def test_metadata_matches_truth(fixture_data, capsys, truth_path):
    truth = load_truth(truth_path)
    meta = truth["metadata"]
    (row,) = sql_csv(
        capsys,
        fixture_data,
        "SELECT report_type, fiscal_year, department, publish_date, amount_unit, page_count "
        f"FROM documents WHERE file_name = '{truth['pdf']}'",
    )
    assert row == {
        "report_type": meta["report_type"],
        "fiscal_year": str(meta["fiscal_year"]),
        "department": meta["department"],
        "publish_date": meta["publish_date"],
        "amount_unit": meta["amount_unit"],
        "page_count": str(truth["page_count"]),
    }


@pytest.mark.parametrize("truth_path", TRUTHS, ids=lambda p: p.stem)
def test_table_totals_match_truth(fixture_data, capsys, truth_path):
    """Σ amount_yuan per annex table equals the truth's, read through the line_items view."""
    truth = load_truth(truth_path)
    rows = sql_csv(
        capsys,
        fixture_data,
        "SELECT table_key, sum(amount_yuan) AS total, count(*) AS n FROM line_items JOIN documents USING (doc_id) "
        f"WHERE file_name = '{truth['pdf']}' GROUP BY table_key",
    )
    got = {r["table_key"]: (Decimal(r["total"]), int(r["n"])) for r in rows}
    for table in truth["tables"]:
        if table["empty"]:
            continue
        cells = truth_cells(truth, table["table_key"])
        expected = (sum((Decimal(c["amount_yuan"]) for c in cells), Decimal(0)), len(cells))
        assert got.get(table["table_key"]) == expected, table["table_key"]


def test_json_and_table_formats(fixture_data, capsys):
    capsys.readouterr()
    assert (
        main(["sql", "SELECT department, fiscal_year FROM documents", "--data", str(fixture_data), "--format", "json"])
        == 0
    )
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    departments = {load_truth(p)["metadata"]["department"] for p in TRUTHS}
    assert departments <= {r["department"] for r in rows}
    assert main(["sql", "SELECT department FROM documents", "--data", str(fixture_data)]) == 0
    out = capsys.readouterr().out
    assert "department" in out and all(d in out for d in departments)


def test_decimals_keep_their_digits_in_json(fixture_data, capsys):
    capsys.readouterr()
    assert (
        main(["sql", "SELECT CAST(1.10 AS DECIMAL(20,2)) AS x", "--data", str(fixture_data), "--format", "json"]) == 0
    )
    assert json.loads(capsys.readouterr().out) == {"x": "1.10"}


def test_rows_of_uncommitted_documents_are_invisible(fixture_data, tmp_path, capsys):
    """A document whose documents row was never written (a killed run) shows no line items."""
    copy = tmp_path / "copy"
    shutil.copytree(fixture_data, copy)
    before = sql_csv(capsys, copy, "SELECT count(*) AS n FROM line_items")[0]["n"]
    for path in (copy / "documents").rglob("*.parquet"):
        path.unlink()
    assert sql_csv(capsys, copy, "SELECT count(*) AS n FROM line_items")[0]["n"] == "0"
    assert int(before) > 0


def test_bad_query_exits_2(fixture_data, capsys):
    assert main(["sql", "SELECT nope FROM documents", "--data", str(fixture_data)]) == 2
    assert "query failed" in capsys.readouterr().err


def test_empty_tables_still_have_their_columns(tmp_path, capsys):
    (tmp_path / "documents").mkdir()
    rows = sql_csv(capsys, tmp_path, "SELECT * FROM checks")
    assert rows == []
    # CHECK is an SQL keyword: the column is written "check".
    assert main(["sql", 'SELECT "check", severity FROM checks', "--data", str(tmp_path), "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines() == ["check,severity"]
