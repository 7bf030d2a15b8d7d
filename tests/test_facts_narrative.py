"""Narrative text as PDF text layers give it -> sentences, pages and headings -> facts."""

from __future__ import annotations

from facts_support import D, keys, page_facts

from extract.narrative import heading_level, is_tabular, pages_to_sentences


def test_sentence_broken_across_pages_keeps_each_figure_on_its_page():
    # The seed prints '职工基本医疗保险缴费2.57' at the foot of page 17 and '万元' on page 18.
    pages = [
        (17, "人员经费 83.07 万元，主要包括：基本工资 27.04 万元、职工基本医疗保险缴费 2.57\n- 15 -\n"),
        (18, "- 16 -\n万元、其他社会保障缴费 1.62 万元。\n"),
    ]
    sentences = pages_to_sentences(pages)
    assert [s.text for s in sentences] == [
        "人员经费 83.07 万元，主要包括：基本工资 27.04 万元、职工基本医疗保险缴费 2.57万元、"
        "其他社会保障缴费 1.62 万元。"
    ]
    got = page_facts(pages)
    assert [(f.value, f.page) for f in got] == [
        (D("830700.00"), 17),
        (D("270400.00"), 17),
        (D("25700.00"), 17),
        (D("16200.00"), 18),
    ]


def test_words_broken_across_lines_and_pages_are_joined():
    pages = [
        (7, "要求各相关部门主要负责同志要亲自研究、亲\n"),
        (8, "自推动，对上报民生实事工作推进情况要亲自审核把关。\n"),
    ]
    assert pages_to_sentences(pages)[0].text.endswith("亲自研究、亲自推动，对上报民生实事工作推进情况要亲自审核把关。")


def test_running_headers_and_page_numbers_are_dropped_inside_a_sentence():
    header = "苍溪县目标绩效事务中心2023年度部门决算"
    pages = [
        (n, f"{header}\n{body}\n第 {n} 页\n")
        for n, body in [
            (12, "一、收入支出决算总体情况说明\n2023年度收、支总计均为133.28"),
            (13, "万元。与2022年度相比，收、支总计各减少17.36万元，"),
            (14, "下降11.5%。"),
        ]
    ]
    sentences = pages_to_sentences(pages)
    assert [s.text for s in sentences] == [
        "2023年度收、支总计均为133.28万元。",
        "与2022年度相比，收、支总计各减少17.36万元，下降11.5%。",
    ]
    assert sentences[0].section == "一、收入支出决算总体情况说明"
    got = page_facts(pages)
    assert [(f.metric, f.qualifier, f.page) for f in got] == [
        ("income_total", "actual", 12),
        ("expenditure_total", "actual", 12),
        ("income_total", "yoy_change", 13),
        ("expenditure_total", "yoy_change", 13),
        ("income_total", "yoy_pct", 14),
        ("expenditure_total", "yoy_pct", 14),
    ]


def test_kangxi_radicals_and_wide_digits_are_folded():
    # '⽀' (U+2F40) is the Kangxi radical Word exports write for 支; '１３３．２８' is full width.
    pages = [(3, "2023年度收、⽀总计均为１３３．２８万元。\n")]
    assert keys(page_facts(pages)) == [
        ("income_total", "actual", None, D("1332800.00")),
        ("expenditure_total", "actual", None, D("1332800.00")),
    ]


def test_headings_are_not_sentences_and_clauses_are_not_headings():
    assert heading_level("第二部分 2023年度部门决算情况说明") == 0
    assert heading_level("附件1") == 1
    assert heading_level("一、收入支出决算总体情况说明") == 2
    assert heading_level("（四）预算绩效管理情况。") == 3
    assert heading_level("3.公务接待情况") == 4
    assert heading_level("（一）收入情况。苍溪县目标绩效事务中心部门 2023 年度") is None
    assert heading_level("（七）负责本区会计管理工作，监督和规范会计行为，组织和实施国家颁布的各") is None
    assert heading_level("1. 一般公共服务支出（类）政府办公厅（室）及相关机构") is None
    assert heading_level("5. 负责年度民生实事任务统筹服务工作。") is None


def test_a_wrapped_report_title_heads_the_annex():
    pages = [
        (24, "第四部分 附件\n附件 1\n2023 年苍溪县目标绩效事务中心部门整体 预算绩效评\n价报告\n一、部门基本情况\n"
             "（一）机构组成。\n该类项目总数 13 个，涉及预算总金额151.82 万元。\n"),
    ]  # fmt: skip
    sentence = pages_to_sentences(pages)[0]
    assert sentence.headings[1] == "2023 年苍溪县目标绩效事务中心部门整体预算绩效评价报告"
    assert [f.metric for f in page_facts(pages)] == ["performance_projects", "performance_budget"]


def test_table_rows_set_as_text_are_not_narrative():
    assert is_tabular("≥110 人 123 人 6 6")
    assert is_tabular("年度资金总额： 180.61 180.03 180.03 10.0 100.00% 10")
    assert not is_tabular("2023 年，高质量督办完成县委政府主要领导批交办事项 174 件，人大建议 62 件")
    assert not is_tabular("为 1028.48 万元，完成年初预算的 101.11%。")
    pages = [(30, "培训人数 ≥300 人 366 人 6 6\n培训班次 ≥4 次 4 次 6 6\n在编在岗5人。\n")]
    assert [f.value for f in page_facts(pages)] == [D("5")]


def test_block_context_carries_the_subject_to_the_next_sentence():
    pages = [
        (21, "五、一般公共预算财政拨款支出决算情况说明\n1.一般公共服务（类）信访事务（款）行政运行（项）。年\n"
             "初预算为 5717.32 万元，支出决算为 5757.63 万元，完成年初预算的 100.71%。\n"
             "决算数大于预算数的主要原因是追加了预算。\n"
             "2.一般公共服务（类）信访事务（款）一般行政管理事务（项）。\n年初预算为 590.53 万元。\n"),
    ]  # fmt: skip
    sentences = pages_to_sentences(pages)
    assert sentences[1].context.endswith("行政运行（项）。")
    assert sentences[1].following.startswith("决算数大于预算数的主要原因")
    got = page_facts(pages, year=2024)
    assert [(f.metric, f.qualifier, f.code) for f in got] == [
        ("general_budget_expenditure_subject", "budget", "2014001"),
        ("general_budget_expenditure_subject", "actual", "2014001"),
        ("general_budget_expenditure_subject", "completion_pct", "2014001"),
        ("general_budget_expenditure_subject", "budget", "2014002"),
    ]


def test_fiscal_year_and_report_kind_come_from_the_narrative():
    pages = [(1, "2023年度部门决算\n2023年度收、支总计均为133.28万元。与2022年度决算数相比持平。\n")]
    s = pages_to_sentences(pages)[0]
    assert (s.fiscal_year, s.report_kind) == (2023, "决算")
    prior = page_facts([(1, "2023年度部门决算\n机关运行经费2022年度决算数为5万元。\n")])
    assert [(f.metric, f.qualifier) for f in prior] == [("operating_costs", "prior_year")]


def test_captions_and_contents_lines_are_skipped():
    pages = [
        (2, "目 录\n第一部分 部门概况......................1\n第二部分 2023 年度部门决算情况说明........10\n"),
        (12, "图 1: 收、支决算总计变动情况图 (单位: 万元)\n二、收入决算情况说明\n本年收入合计132.96万元。\n"),
    ]
    got = page_facts(pages)
    assert [(f.metric, f.page) for f in got] == [("income_current_year", 12)]
