"""``juesuan export --xlsx``: sheets, Chinese headers, 万元 amounts checked against the ground truth."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.utils import get_column_letter
from report_datasets import (
    OTHER_FACTOR,
    OTHER_REGION,
    PRIOR_FACTOR,
    doc_id_of,
    fixture_dataset,
    load_truth,
    ok_truths,
    scaled,
    truth_dataset,
)

from pipeline.cli import main
from report.labels import header, sheet_name
from report.selection import Selection, register_selection, selected_documents
from report.views import connect
from report.xlsx import AMOUNT_FORMAT, sheet_columns, write_workbook
from schemas.arrow import TABLES, field_names

TRUTHS = ok_truths()
WAN = Decimal(10000)
UNIT_LABELS = {
    "yuan": "万元",
    "percent": "%",
    "count": "个",
    "person": "人",
    "person_time": "人次",
    "batch": "批次",
    "score": "分",
}
SHEETS = ["说明", *(sheet_name(t) for t in TABLES)]


@pytest.fixture(scope="module")
def fixture_book(tmp_path_factory: pytest.TempPathFactory) -> openpyxl.Workbook:
    data = fixture_dataset(tmp_path_factory)
    path = tmp_path_factory.mktemp("export") / "fixture.xlsx"
    assert main(["export", "--xlsx", str(path), "--data", str(data)]) == 0
    return openpyxl.load_workbook(path)


@pytest.fixture(scope="module")
def truth_book(tmp_path_factory: pytest.TempPathFactory) -> openpyxl.Workbook:
    data = truth_dataset(tmp_path_factory)
    path = tmp_path_factory.mktemp("export") / "truth.xlsx"
    assert main(["export", "--xlsx", str(path), "--data", str(data)]) == 0
    return openpyxl.load_workbook(path)


def records(ws: Any) -> list[dict[str, Any]]:
    """Data rows keyed by the dataset column names of the second header row."""
    keys = [c.value for c in ws[2]]
    return [dict(zip(keys, row, strict=True)) for row in ws.iter_rows(min_row=3, values_only=True)]


def cells(ws: Any, column: str) -> list[Any]:
    index = [c.value for c in ws[2]].index(column) + 1
    return [ws.cell(row=r, column=index) for r in range(3, ws.max_row + 1)]


@pytest.mark.parametrize("table", TABLES)
def test_every_column_has_a_chinese_header(table):
    for name in field_names(table):
        text = header(table, name)
        assert any("\u4e00" <= ch <= "\u9fff" for ch in text), f"{table}.{name}: {text!r}"


def test_sheets_headers_frozen_rows_and_filters(fixture_book):
    assert fixture_book.sheetnames == SHEETS
    for table in TABLES:
        ws = fixture_book[sheet_name(table)]
        columns = sheet_columns(table)
        assert [c.value for c in ws[1]] == [c.header for c in columns]
        assert [c.value for c in ws[2]] == [c.name for c in columns]
        assert set(field_names(table)) <= {c.name for c in columns}
        assert ws.freeze_panes == "A3"
        last_row = max(ws.max_row, 3)
        assert ws.auto_filter.ref == f"A2:{get_column_letter(len(columns))}{last_row}"


@pytest.mark.parametrize("truth_path", TRUTHS, ids=lambda p: p.stem)
def test_fixture_amounts_are_the_truth_in_wan(fixture_book, truth_path):
    """Every truth cell is in the 附表数字 sheet, in 万元, shown with two decimals."""
    truth = load_truth(truth_path)
    ws = fixture_book[sheet_name("line_items")]
    department = truth["metadata"]["department"]
    rows = [r for r in records(ws) if r["department"] == department]
    have = Counter((r["table_key"], r["page"], r["value_raw"], round(r["amount_yuan"], 6)) for r in rows)
    for table in truth["tables"]:
        for cell in table["cells"]:
            key = (
                table["table_key"],
                cell["page"],
                cell["value_raw"],
                round(float(Decimal(cell["amount_yuan"]) / WAN), 6),
            )
            assert have[key] > 0, key
            have[key] -= 1
    assert all(c.number_format == AMOUNT_FORMAT for c in cells(ws, "amount_yuan"))


@pytest.mark.parametrize("truth_path", TRUTHS, ids=lambda p: p.stem)
def test_truth_dataset_amounts_and_fact_units(truth_book, truth_path):
    truth = load_truth(truth_path)
    items = records(truth_book[sheet_name("line_items")])
    for suffix, factor in (("", Decimal(1)), ("prior", PRIOR_FACTOR), ("other", OTHER_FACTOR)):
        doc = doc_id_of(truth, suffix)
        got = sorted(Decimal(str(r["amount_yuan"])) for r in items if r["doc_id"] == doc)
        want = sorted((scaled(c["amount_yuan"], factor) / WAN).normalize() for t in truth["tables"] for c in t["cells"])
        assert [g.normalize() for g in got] == want
    facts = [r for r in records(truth_book[sheet_name("facts")]) if r["doc_id"] == doc_id_of(truth, "")]
    assert len(facts) == len(truth["facts"])
    for fact in facts:
        assert fact["unit_label"] == UNIT_LABELS[fact["unit"]]
    stated = Counter(
        (f["metric"], f["qualifier"], Decimal(f["value"]) / (WAN if f["unit"] == "yuan" else 1)) for f in truth["facts"]
    )
    exported = Counter((f["metric"], f["qualifier"], Decimal(str(f["value"]))) for f in facts)
    assert {(m, q, v.normalize()): n for (m, q, v), n in exported.items()} == {
        (m, q, v.normalize()): n for (m, q, v), n in stated.items()
    }


def test_checks_sheet_names_the_department(truth_book):
    rows = records(truth_book[sheet_name("checks")])
    departments = {load_truth(p)["metadata"]["department"] + "（审核样例）" for p in TRUTHS}
    assert {r["department"] for r in rows} == departments
    assert {r["check_label"] for r in rows} == {"款 = Σ项"}


def test_filters_select_documents(truth_dataset_path, tmp_path):
    path = tmp_path / "zj.xlsx"
    assert main(["export", "--xlsx", str(path), "--data", str(truth_dataset_path), "--province", OTHER_REGION[0]]) == 0
    book = openpyxl.load_workbook(path)
    docs = records(book[sheet_name("documents")])
    assert {d["doc_id"] for d in docs} == {doc_id_of(load_truth(p), "other") for p in TRUTHS}
    assert {r["doc_id"] for r in records(book[sheet_name("line_items")])} == {d["doc_id"] for d in docs}
    info = {row[0]: row[1] for row in book["说明"].iter_rows(values_only=True) if row[0]}
    assert info["筛选"] == f"省含“{OTHER_REGION[0]}”"
    assert info["文件数"] == str(len(docs))


@pytest.fixture(scope="module")
def truth_dataset_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return truth_dataset(tmp_path_factory)


def test_a_table_longer_than_a_sheet_continues_on_the_next(truth_dataset_path, tmp_path):
    con = connect(truth_dataset_path)
    register_selection(con, selected_documents(con, Selection()))
    (n_items,) = con.execute("SELECT count(*) FROM line_items").fetchall()[0]
    max_rows = 102  # two header rows + 100 data rows per sheet
    written = write_workbook(con, tmp_path / "split.xlsx", about=[], max_rows=max_rows)
    parts = written["line_items"]
    assert len(parts) == -(-n_items // 100)
    assert sum(n for _, n in parts) == n_items
    book = openpyxl.load_workbook(tmp_path / "split.xlsx")
    assert [name for name, _ in parts][:2] == ["附表数字", "附表数字 (2)"]
    for name, n in parts:
        assert book[name].max_row == n + 2 and book[name].freeze_panes == "A3"


def test_usage_errors(truth_dataset_path, tmp_path, capsys):
    assert main(["export", "--xlsx", str(tmp_path / "x.csv"), "--data", str(truth_dataset_path)]) == 2
    assert main(["export", "--xlsx", str(tmp_path / "x.xlsx"), "--data", str(tmp_path / "none")]) == 2
    assert main(["export", "--data", str(truth_dataset_path)]) == 2  # --xlsx is required
    assert not (tmp_path / "x.xlsx").exists()
