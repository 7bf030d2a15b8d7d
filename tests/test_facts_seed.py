"""The seed fixture's narrative against its ground truth: every stated figure, with its page."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from conftest import FIXTURES, load_truth

TRUTH = load_truth(FIXTURES / "seed_cangxi_2023.truth.json")
SUBJECT_CODES = ["2010350", "2010399", "2010499", "2013650", "2013699", "2080505", "2101102", "2130599", "2210201"]


def _key(metric, qualifier, code, value, page):
    return (metric, qualifier, code or "", Decimal(str(value)).normalize(), page)


def test_every_stated_figure_is_a_fact_on_its_page(seed_result):
    truth = Counter(_key(f["metric"], f["qualifier"], f["code"], f["value"], f["page"]) for f in TRUTH["facts"])
    got = Counter(_key(f.metric, f.qualifier, f.code, f.value, f.page) for f in seed_result.facts)
    assert truth - got == Counter(), "figures of the narrative that are no fact (or not on their page)"
    assert got - truth == Counter(), "facts that the narrative does not state"


def test_units_and_printed_values_match_the_truth(seed_result):
    truth = Counter((f["metric"], f["unit"], f["value_raw"]) for f in TRUTH["facts"])
    got = Counter((f.metric, f.unit, f.value_raw) for f in seed_result.facts)
    assert truth == got


def test_the_nine_subject_sentences_carry_their_codes(seed_result):
    subject = [f for f in seed_result.facts if f.metric == "general_budget_expenditure_subject"]
    codes = sorted({f.code for f in subject if f.code})
    assert codes == SUBJECT_CODES
    assert all(f.code for f in subject)
    for code in SUBJECT_CODES:
        assert sorted(f.qualifier for f in subject if f.code == code) == ["actual", "budget", "completion_pct"]


def test_unit_slips_are_kept_as_printed(seed_result):
    slips = {f.value_raw: f for f in seed_result.facts if f.value_raw in ("152.17元", "3元")}
    assert slips["152.17元"].value == Decimal("152.17") and slips["152.17元"].qualifier == "budget"
    assert slips["3元"].value == Decimal("3.00") and slips["3元"].code == "2130599"


def test_part_one_figures_are_mentions_and_sentences_are_whole(seed_result):
    part_one = [f for f in seed_result.facts if f.page is not None and f.page <= 11]
    assert part_one and {f.metric for f in part_one} == {"mention", "internal_units"}
    totals = [f for f in seed_result.facts if f.metric == "income_total" and f.qualifier == "actual"]
    assert totals[0].sentence.replace(" ", "") == "2023年度收、支总计均为133.28万元。"
    assert totals[0].section == "一、收入支出决算总体情况说明"
