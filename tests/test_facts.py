from decimal import Decimal

from extract.facts import sentence_to_facts
from extract.narrative import Sentence, pages_to_sentences


def _facts(text):
    return [(f.metric, f.qualifier, f.value_raw, f.negative) for f in sentence_to_facts(Sentence(text, 3, "s"), "f")]


def test_together_totals_state_two_figures():
    assert _facts("2023年度收、支总计均为133.28万元。") == [
        ("income_total", "actual", "133.28", False),
        ("expenditure_total", "actual", "133.28", False),
    ]


def test_decrease_is_negative_change_and_pct():
    got = _facts("与2022年度相比，收、支总计各减少17.36万元，下降11.5%。")
    assert ("income_total", "yoy_change", "17.36", True) in got
    assert ("expenditure_total", "yoy_pct", "11.5", True) in got
    assert len(got) == 4


def test_appropriation_totals_are_not_plain_totals():
    got = _facts("2023年度财政拨款收、支总计均为132.96万元。")
    assert {g[0] for g in got} == {"appropriation_income_total", "appropriation_expenditure_total"}


def test_share_refers_to_subject_not_denominator():
    got = _facts("2023年度一般公共预算财政拨款支出132.96万元，占本年支出合计的99.8%。")
    assert got[1] == ("general_budget_expenditure", "share_pct", "99.8", False)


def test_numbers_without_subject_are_mentions():
    got = _facts("高质量督办完成县委政府主要领导批交办事项174件，人大建议62件。")
    assert [g[0] for g in got] == ["mention", "mention"]
    assert [g[2] for g in got] == ["174", "62"]


def test_sentence_broken_across_pages_is_joined_with_its_first_page():
    pages = [(4, "职工基本医疗保险缴费2.57\n"), (5, "- 5 -\n万元、其他社会保障缴费1.62万元。\n")]
    sentences = pages_to_sentences(pages)
    assert len(sentences) == 1
    assert sentences[0].text == "职工基本医疗保险缴费2.57万元、其他社会保障缴费1.62万元。"
    assert sentences[0].page == 4


def test_canonical_fact_values_in_yuan():
    from normalize.facts import fact_to_canonical
    from schemas.raw import RawDocument
    from schemas.records import DocumentMeta

    raw_doc = RawDocument("d", "p", 1, 1, (), DocumentMeta("部门决算", 2023, "x", None, "万元"), (), (), ())
    raw = sentence_to_facts(Sentence("收、支总计各减少17.36万元，下降11.5%。", 1, ""), "f")
    facts = [fact_to_canonical(raw_doc, f) for f in raw]
    assert facts[0] is not None and facts[0].value == Decimal("-173600.00") and facts[0].unit == "yuan"
    assert facts[2] is not None and facts[2].value == Decimal("-11.5") and facts[2].unit == "percent"
