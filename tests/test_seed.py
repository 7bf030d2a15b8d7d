"""The seed document: what the first slice promises about it."""

from decimal import Decimal

from normalize.text import match_key


def test_seed_metadata(seed_result):
    doc = seed_result.document
    assert doc.status == "ok"
    assert doc.fiscal_year == 2023
    assert doc.department == "苍溪县目标绩效事务中心"
    assert str(doc.publish_date) == "2024-09-04"
    assert doc.report_type == "部门决算"


def test_seed_totals_in_yuan(seed_result):
    facts = {(f.metric, f.qualifier): f for f in seed_result.facts}
    assert facts[("income_total", "actual")].value == Decimal("1332800.00")
    assert facts[("expenditure_total", "actual")].value == Decimal("1332800.00")
    assert facts[("income_total", "yoy_change")].value == Decimal("-173600.00")
    assert facts[("income_total", "yoy_pct")].value == Decimal("-11.5")
    assert facts[("income_total", "actual")].unit == "yuan"
    assert facts[("income_total", "yoy_pct")].unit == "percent"


def test_seed_summary_table_balances(seed_result):
    items = [i for i in seed_result.line_items if i.table_key == "income_expenditure_summary"]
    totals = {i.column_label_raw: i.amount_yuan for i in items if match_key(i.row_label) == "总计"}
    assert totals == {"收入/金额": Decimal("1332800.00"), "支出/金额": Decimal("1332800.00")}
    assert all(i.table_number_raw == "公开01表" and i.table_no == 1 for i in items)


def test_seed_all_thirteen_tables_found(seed_result):
    assert seed_result.document.n_tables == 13
    assert seed_result.document.table_coverage == 1.0


def test_seed_audit_clean_tables(seed_result):
    assert [c for c in seed_result.checks if c.check.startswith("table.")] == []
