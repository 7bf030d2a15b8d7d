"""Narrative facts of real published 决算 (skipped when ../shared/realpdfs is absent)."""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest
from conftest import realpdfs_or_skip

from pipeline.process import process_file
from schemas.records import DocumentResult
from schemas.vocab import metrics

pytestmark = pytest.mark.realpdfs


@cache
def _result(name: str) -> DocumentResult:
    return process_file(Path(realpdfs_or_skip()) / name)


def _find(result: DocumentResult, metric: str, qualifier: str, code: str | None = None) -> list[Decimal]:
    return [f.value for f in result.facts if f.metric == metric and f.qualifier == qualifier and f.code == code]


@pytest.mark.parametrize(
    "name",
    ["国家信访局2024年度部门决算公开.pdf", "上海市普陀区财政局2024年度部门决算.pdf", "上海市部门决算公开模板_2024.pdf"],
)
def test_every_fact_has_a_known_metric_a_page_and_its_sentence(name):
    result = _result(name)
    for f in result.facts:
        assert f.metric in metrics(), f.metric
        assert f.page is not None and f.sentence and f.value_raw


def test_national_bureau_figures():
    r = _result("国家信访局2024年度部门决算公开.pdf")
    assert _find(r, "income_total", "actual") == [Decimal("220665900.00")]
    assert _find(r, "income_total", "yoy_pct") == [Decimal("35.74")]
    assert _find(r, "general_budget_expenditure", "completion_pct") == [Decimal("91.14")]
    # the 14 科目 named in their own sentence, each with its code
    subject = [f for f in r.facts if f.metric == "general_budget_expenditure_subject"]
    assert len({f.code for f in subject}) == 14 and all(f.code for f in subject)
    assert _find(r, "general_budget_expenditure_subject", "budget", "2101101") == [Decimal("0.00")]
    assert _find(r, "general_budget_expenditure_class", "share_pct", "208") == [Decimal("16.23")]
    assert _find(r, "expenditure_class", "yoy_change", "201") == [Decimal("2412100.00")]
    assert _find(r, "reception_batches", "count") == [Decimal("10")]
    assert _find(r, "vehicle_count", "count") == [Decimal("15")]
    assert _find(r, "procurement_sme_services", "share_pct") == [Decimal("90.84")]
    assert _find(r, "assets_large_equipment", "count") == [Decimal("0")]
    assert sorted(_find(r, "performance_score", "actual")) == sorted(
        Decimal(x) for x in ("94.7", "98.0", "88.5", "98.0", "85.19")
    )


def test_putuo_figures():
    r = _result("上海市普陀区财政局2024年度部门决算.pdf")
    assert _find(r, "income_total", "yoy_change") == [Decimal("-569500.00")]
    assert _find(r, "general_budget_expenditure_subject", "budget", "2010608") == [Decimal("4505200.00")]
    assert _find(r, "three_public_total", "budget") == [Decimal("9500.00")]
    assert _find(r, "procurement_sme", "actual") == [Decimal("2464700.00"), Decimal("47900.00")]
    assert _find(r, "assets_large_equipment", "count") == [Decimal("2")]
    assert _find(r, "performance_score", "actual") == [Decimal("99.43")]


def test_template_placeholders_state_no_figures():
    r = _result("上海市部门决算公开模板_2024.pdf")
    assert [(f.metric, f.value_raw) for f in r.facts] == [("mention", "100万元")]
