"""Invariants on the real published PDFs in ../shared/realpdfs (skipped when absent).

No ground truth exists for them: every table page must yield line items, the document's own
arithmetic must hold on the extracted rows, and specific layouts must read as they print.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest
from conftest import REALPDFS, realpdfs_or_skip

from audit.document import document_identities
from normalize.document import NormalizedDocument
from pipeline.process import process_path
from schemas.records import DocumentResult

REAL = sorted(REALPDFS.glob("*.pdf")) if REALPDFS.is_dir() else []


@cache
def _read(name: str) -> tuple[DocumentResult, NormalizedDocument | None]:
    realpdfs_or_skip()
    return process_path(REALPDFS / name)


@pytest.mark.realpdfs
@pytest.mark.parametrize("path", REAL, ids=lambda p: p.stem[:20])
def test_every_real_pdf_ends_with_a_status_and_its_tables_read(path: Path):
    result, doc = _read(path.name)
    row = result.document
    assert row.status in ("ok", "partial"), row.error
    if row.table_coverage is not None:
        assert row.table_coverage >= 0.99
    if doc is not None:
        ids = document_identities(doc)
        if ids:
            assert sum(i.holds for i in ids) / len(ids) >= 0.99


def _items(name: str, **where: object) -> list:
    result, _ = _read(name)
    return [i for i in result.line_items if all(getattr(i, k) == v for k, v in where.items())]


@pytest.mark.realpdfs
def test_split_class_kuan_xiang_columns_make_seven_digit_codes():
    items = _items("上海市普陀区财政局2024年度部门决算.pdf", table_key="income")
    codes = {i.code for i in items}
    assert {"201", "20106", "2010601", "2080505"} <= codes
    row = next(i for i in items if i.code == "2010601" and i.column_key == "total")
    assert row.amount_yuan == Decimal("15119000.00")  # 1,511.90 万元


@pytest.mark.realpdfs
def test_glued_bracket_codes_and_curve_rules():
    items = _items("广州市信访局_2026年部门预算.pdf")
    glued = [i for i in items if i.row_label_raw.startswith("[") and i.code]
    assert glued and all(i.code_match == "printed" for i in glued)
    assert any(i.code == "2014001" for i in glued)


@pytest.mark.realpdfs
def test_six_decimal_wanyuan_amounts_are_exact():
    items = _items("北京市财政局2026年度部门预算_附件2报表.pdf")
    assert any(i.value_raw == "44,156.640120" and i.amount_yuan == Decimal("441566401.20") for i in items)


@pytest.mark.realpdfs
def test_yuan_tables_under_a_wanyuan_narrative():
    result, doc = _read("上海市审计局(本级)2026年度预算.pdf")
    assert doc is not None
    units = {t.unit for t in doc.raw.tables}
    assert "元" in units
    row = next(i for i in result.line_items if i.code == "2010801" and i.column_label_raw.endswith("合计"))
    assert row.amount_yuan == Decimal("114479860.00")  # printed 114,479,860 in a 元 table


@pytest.mark.realpdfs
def test_rotated_a3_pages_are_read():
    result, doc = _read("江苏省委办公厅2018年度部门预算公开表.pdf")
    assert doc is not None
    assert any(t.table_key == "income_expenditure_summary" for t in doc.raw.tables)
    assert any(i.value_raw == "24,458.43" for i in result.line_items)


@pytest.mark.realpdfs
def test_clipped_overflow_label_does_not_eat_the_amount():
    items = _items("西安市气象局_2022年部门预算.pdf", code="2080506")
    assert any(i.row_label == "机关事业单位职业年金缴费支出" and i.value_raw == "43608.96" for i in items)


@pytest.mark.realpdfs
def test_template_is_recognised():
    result, _ = _read("上海市部门决算公开模板_2024.pdf")
    assert result.document.report_type == "template"
    assert "template" in (result.document.error or "")


@pytest.mark.realpdfs
def test_continuation_page_with_only_totals_is_stitched():
    result, doc = _read("上海市普陀区财政局2024年度部门决算.pdf")
    assert doc is not None
    summary = next(t for t in doc.raw.tables if t.table_key == "income_expenditure_summary")
    assert summary.pages == (6, 7)
    assert any("continues from p6" in n for n in summary.notes)
    totals = [i for i in result.line_items if i.table_key == "income_expenditure_summary" and i.row_label == "总计"]
    assert {i.page for i in totals} == {7}
