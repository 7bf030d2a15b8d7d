"""Audit: the seed's real slips are found and nothing else; each kind of finding on its own."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from audit.cross import cross_table_checks
from audit.narrative import count_sums, narrative_vs_tables, stated_rates, unit_slips
from audit.tables import column_identities, hierarchy_identities
from schemas.records import Fact, LineItem


def test_seed_findings_are_exactly_its_real_slips(seed_result):
    found = sorted((c.check, c.page, c.evidence[:40]) for c in seed_result.checks)
    assert [c[0] for c in found] == ["narrative.count_sum", "narrative.unit_slip", "narrative.unit_slip"]
    evidence = " ".join(c.evidence for c in seed_result.checks).replace(" ", "")
    assert "152.17元" in evidence and "3元" in evidence and "174件" in evidence
    # 7.84 / 132.96 = 5.9% printed as 6% is rounding, not a finding
    assert not any(c.check == "narrative.rate" for c in seed_result.checks)


def _item(**kw) -> LineItem:
    base = dict(
        doc_id="d", fiscal_year=2023, department="x", table_key="general_budget_expenditure", table_no=6,
        table_number_raw="公开06表", table_title="一般公共预算财政拨款支出决算表", page=5, row_no=1,
        row_label_raw="", row_label="", code=None, code_system=None, code_level=None, class_code=None,
        code_match="none", column_key="total", column_label_raw="本年支出/小计", amount_yuan=Decimal(0),
        value_raw="0.00", engine="pdfplumber",
    )  # fmt: skip
    base.update(kw)
    return LineItem(**base)  # type: ignore[arg-type]


def _coded(row_no: int, code: str, value: str) -> LineItem:
    return _item(row_no=row_no, code=code, code_system="function", row_label=code,
                 amount_yuan=Decimal(value) * 10000, value_raw=value)  # fmt: skip


def _fact(metric: str, qualifier: str, value: str, raw: str, sentence: str, unit: str = "yuan", code=None) -> Fact:
    return Fact("d", 2023, "x", metric, qualifier, code, metric, Decimal(value), unit, 3, "s", sentence, raw)


def test_kuan_not_equal_sum_of_its_xiang():
    items = [_coded(1, "201", "10.00"), _coded(2, "20103", "10.00"), _coded(3, "2010301", "6.00"),
             _coded(4, "2010350", "3.00")]  # fmt: skip
    failing = [i for i in hierarchy_identities(items, {}) if not i.holds]
    assert [(i.check, i.item.code) for i in failing] == [("table.sum_item", "20103")]


def test_rounding_within_printed_precision_is_not_a_finding():
    # 3.33 + 3.33 + 3.34 + 0.00 = 10.00: a printed 10.01 is within six half-cents of rounding
    items = [_coded(1, "201", "10.01"), _coded(2, "20103", "3.33"), _coded(3, "20104", "3.33"),
             _coded(4, "20105", "3.34"), _coded(5, "20106", "0.00")]  # fmt: skip
    assert [i for i in hierarchy_identities(items, {}) if not i.holds] == []
    items[0] = _coded(1, "201", "10.05")  # 0.05 万元 off: more than rounding can explain
    assert [i.item.code for i in hierarchy_identities(items, {}) if not i.holds] == ["201"]


def test_basic_plus_project_not_equal_total():
    row = [
        _item(column_label_raw="本年支出/小计", column_key="total", amount_yuan=Decimal(1000000), value_raw="100.00"),
        _item(column_label_raw="本年支出/基本支出", column_key="basic", amount_yuan=Decimal(600000), value_raw="60.00"),
        _item(
            column_label_raw="本年支出/项目支出", column_key="project", amount_yuan=Decimal(300000), value_raw="30.00"
        ),
    ]
    failing = [i for i in column_identities(row, {}, {"general_budget_expenditure": "by_subject"}) if not i.holds]
    assert len(failing) == 1 and failing[0].expected == Decimal(900000)


def test_narrative_total_differs_from_table():
    items = [_item(table_key="income_expenditure_summary", row_label="总计", column_label_raw="收入/金额",
                   column_key="amount", amount_yuan=Decimal("1332800.00"), value_raw="133.28")]  # fmt: skip
    fact = _fact("income_total", "actual", "1342800.00", "134.28万元", "收入总计134.28万元。")
    checks = narrative_vs_tables([fact], items, {}, set())
    assert [c.check for c in checks] == ["narrative.vs_table"]
    assert narrative_vs_tables([replace(fact, value=Decimal("1332800.00"))], items, {}, set()) == []


def test_stated_share_that_does_not_follow_from_its_figures():
    total = _fact("expenditure_current_year", "actual", "1332800", "133.28万元", "a")
    basic = _fact("expenditure_basic", "actual", "890800", "89.08万元", "b")
    good = _fact("expenditure_basic", "share_pct", "66.8", "66.8%", "b", unit="percent")
    bad = _fact("expenditure_basic", "share_pct", "70.8", "70.8%", "b", unit="percent")
    assert stated_rates([total, basic, good], set()) == []
    assert [c.check for c in stated_rates([total, basic, bad], set())] == ["narrative.rate"]


def test_counts_that_do_not_add_up():
    sentence = "人大建议和政协提案共174件，其中人大建议62件，政协提案109件。"
    facts = [_fact("mention", "count", "174", "174件", sentence, unit="count")]
    assert [c.expected for c in count_sums(facts)] == ["174"]
    ok = "共171件，其中人大建议62件，政协提案109件。"
    assert count_sums([_fact("mention", "count", "171", "171件", ok, unit="count")]) == []


def test_unit_slip_needs_the_sentence_arithmetic():
    s = "全年预算为3元，支出决算为2.31万元，完成预算77%。"
    budget = _fact("general_budget_expenditure_subject", "budget", "3", "3元", s, code="2130599")
    actual = _fact("general_budget_expenditure_subject", "actual", "23100", "2.31万元", s, code="2130599")
    assert unit_slips([budget, actual], "万元") == [budget]
    items = "具体内容包括全市一季度综合督查1083元。"
    reception = _fact("reception_item", "actual", "1083", "1083元", items)
    assert unit_slips([reception], "万元") == []


def test_same_figure_differs_between_tables():
    t04 = _item(table_key="appropriation_summary", table_number_raw="公开04表", row_label="本年支出合计",
                column_key="general_budget", amount_yuan=Decimal(1329600), value_raw="132.96")  # fmt: skip
    t06 = _item(row_label="合计", amount_yuan=Decimal(1339600), value_raw="133.96")
    checks = cross_table_checks([t04, t06], {})
    assert [c.check for c in checks] == ["cross.same_figure"]
    assert cross_table_checks([t04, replace(t06, amount_yuan=Decimal(1329600))], {}) == []
