"""Narrative facts per figure family, with phrasings of the seed and of real published 决算.

Sentences are quoted from the seed (苍溪县目标绩效事务中心 2023), 国家信访局 2024, 上海市普陀区财政局 2024
and the 上海 2024 template; each test states what a reader of the sentence takes from it.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from facts_support import D, facts, keys

GB = ("第二部分 2023年度部门决算情况说明", "五、一般公共预算财政拨款支出决算情况说明")
PERF = ("第二部分 2023年度部门决算情况说明", "十、其他重要事项的情况说明", "（四）预算绩效管理情况。")


# 1. 收支总计 -------------------------------------------------------------------------------------
def test_totals_stated_together_give_income_and_expenditure():
    assert keys(facts("2023年度收、支总计均为133.28万元。")) == [
        ("income_total", "actual", None, D("1332800.00")),
        ("expenditure_total", "actual", None, D("1332800.00")),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "与2022年度相比，收、支总计各减少17.36万元，下降11.5%。",  # seed
        "与2022年度相比，收入支出总计减少17.36万元，下降11.5%。",  # 普陀区财政局
        "与2022年度相比，收、支总计各减少17.36万元，降幅为11.5%。",
    ],
)
def test_totals_decrease_is_negative_change_and_pct(text):
    got = keys(facts(text))
    assert ("income_total", "yoy_change", None, D("-173600.00")) in got
    assert ("expenditure_total", "yoy_pct", None, D("-11.5")) in got
    assert len(got) == 4


def test_totals_increase_and_separate_statement():
    got = keys(
        facts("国家信访局2024年度收、支总计22066.59万元，与2023年相比，收、支总计各增加5834.37万元，增长35.74%。")
    )
    assert ("income_total", "yoy_change", None, D("58343700.00")) in got
    assert ("expenditure_total", "yoy_pct", None, D("35.74")) in got
    sep = keys(facts("2023年度收入总计1,234.50万元，支出总计1,234.50万元。"))
    assert sep == [
        ("income_total", "actual", None, D("12345000.00")),
        ("expenditure_total", "actual", None, D("12345000.00")),
    ]


def test_flat_year_states_no_figure():
    assert facts("与2023年度相比，财政拨款收入支出总计持平。") == []


# 2. 本年收入 -------------------------------------------------------------------------------------
def test_income_composition_with_shares():
    got = keys(facts("本年收入合计2946.25万元，其中：财政拨款收入2940.05万元，占99.79%；其他收入6.2万元，占0.21%；"))
    assert got == [
        ("income_current_year", "actual", None, D("29462500.00")),
        ("income_fiscal_appropriation", "actual", None, D("29400500.00")),
        ("income_fiscal_appropriation", "share_pct", None, D("99.79")),
        ("income_other", "actual", None, D("62000.00")),
        ("income_other", "share_pct", None, D("0.21")),
    ]


def test_income_item_with_definition_keeps_its_subject_for_the_change():
    text = (
        "2.其他收入878.44万元，为国家信访局及所属单位在财政拨款收入、事业收入、经营收入、附属单位上缴收入之外"
        "取得的收入，比2023年度决算数增加326.11万元，增长59.04%，主要原因是非同级财政拨款收入增加。"
    )
    assert keys(facts(text)) == [
        ("income_other", "actual", None, D("8784400.00")),
        ("income_other", "yoy_change", None, D("3261100.00")),
        ("income_other", "yoy_pct", None, D("59.04")),
    ]


# 3. 本年支出 -------------------------------------------------------------------------------------
def test_expenditure_basic_and_project_with_shares():
    got = keys(facts("2023年度本年支出合计133.28万元，其中：基本支出89.08万元，占66.8%；项目支出44.2万元，占33.2%。"))
    assert got == [
        ("expenditure_current_year", "actual", None, D("1332800.00")),
        ("expenditure_basic", "actual", None, D("890800.00")),
        ("expenditure_basic", "share_pct", None, D("66.8")),
        ("expenditure_project", "actual", None, D("442000.00")),
        ("expenditure_project", "share_pct", None, D("33.2")),
    ]


def test_expenditure_by_class_under_the_year_total():
    text = (
        "本年支出合计14572.53万元，其中：按功能分类支出划分为一般公共服务支出10685.56万元，占比73.33%；"
        "教育支出180.03万元，占比1.24%。"
    )
    got = keys(facts(text))
    assert ("expenditure_class", "actual", "201", D("106855600.00")) in got
    assert ("expenditure_class", "share_pct", "201", D("73.33")) in got
    assert ("expenditure_class", "actual", "205", D("1800300.00")) in got


def test_other_spending_columns():
    got = keys(facts("本年支出合计100万元，其中：基本支出60万元，项目支出30万元，上缴上级支出4万元，经营支出6万元。"))
    assert [k[0] for k in got] == [
        "expenditure_current_year",
        "expenditure_basic",
        "expenditure_project",
        "expenditure_to_superior",
        "expenditure_operating",
    ]


# 4. 财政拨款收支总计 -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    ["2023年度财政拨款收、支总计均为132.96万元。", "国家信访局2023年度财政拨款收支总决算132.96万元。"],
)
def test_appropriation_totals(text):
    assert {k[0] for k in keys(facts(text))} == {"appropriation_income_total", "appropriation_expenditure_total"}


# 5. 一般公共预算财政拨款支出 ---------------------------------------------------------------------
def test_general_budget_share_refers_to_subject_not_denominator():
    got = keys(facts("2023年度一般公共预算财政拨款支出132.96万元，占本年支出合计的99.8%。"))
    assert got[1] == ("general_budget_expenditure", "share_pct", None, D("99.8"))


def test_appropriation_spending_under_the_general_budget_heading():
    text = "国家信访局2024年度财政拨款支出13733.8万元，占总支出94.24%。"
    heading = ("五、一般公共预算财政拨款支出决算情况说明", "（一）财政拨款支出决算总体情况")
    assert keys(facts(text, *heading)) == [
        ("general_budget_expenditure", "actual", None, D("137338000.00")),
        ("general_budget_expenditure", "share_pct", None, D("94.24")),
    ]


def test_general_budget_budget_actual_completion_keeps_a_unit_slip_as_printed():
    got = facts("2023年度一般公共预算支出全年预算数为152.17元，支出决算数为132.96万元，完成全年预算数的87.4%。其中：")
    assert keys(got) == [
        ("general_budget_expenditure", "budget", None, D("152.17")),
        ("general_budget_expenditure", "actual", None, D("1329600.00")),
        ("general_budget_expenditure", "completion_pct", None, D("87.4")),
    ]
    assert got[0].value_raw == "152.17元"  # the slip stays visible for the audit


# 6. 结构 by 类 ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("2023年度一般公共预算财政拨款支出132.96万元，主要用于以下方面：一般公共服务支出113.6万元，占85.4%；"
         "社会保障和就业支出7.84万元，占6%；住房保障支出6.64万元，占5%。", "一般公共服务支出"),
        ("一般公共预算财政拨款支出2940.05万元，主要用于以下方面：一般公共服务支出（类）113.6万元，占85.4%；"
         "社会保障和就业支出（类）7.84万元，占6%；住房保障支出（类）6.64万元，占5%；", "一般公共服务支出（类）"),
        ("国家信访局2024年度一般公共预算财政拨款支出132.96万元，主要用于以下方面：一般公共服务（类）支出113.6万元，"
         "占85.4%；社会保障和就业（类）支出7.84万元，占6%；住房保障（类）支出6.64万元，比重为5%。",
         "一般公共服务（类）支出"),
    ],
)  # fmt: skip
def test_general_budget_structure_by_class_with_codes(text, first):
    got = facts(text, *GB)
    classes = [(f.qualifier, f.code, f.value) for f in got if f.metric == "general_budget_expenditure_class"]
    assert classes == [
        ("actual", "201", D("1136000.00")),
        ("share_pct", "201", D("85.4")),
        ("actual", "208", D("78400.00")),
        ("share_pct", "208", D("6")),
        ("actual", "221", D("66400.00")),
        ("share_pct", "221", D("5")),
    ]
    assert got[1].subject_raw == first


# 7. per 科目 ------------------------------------------------------------------------------------
def test_subject_line_budget_actual_completion_with_code():
    text = (
        "1. 一般公共服务支出（类）政府办公厅（室）及相关机构事务（款）事业运行（项）：全年预算为68.25万元，"
        "支出决算为68.05万元，完成全年预算的99.7%。决算数小于全年预算数的主要原因是部分支出未及时结算。"
    )
    assert keys(facts(text, *GB)) == [
        ("general_budget_expenditure_subject", "budget", "2010350", D("682500.00")),
        ("general_budget_expenditure_subject", "actual", "2010350", D("680500.00")),
        ("general_budget_expenditure_subject", "completion_pct", "2010350", D("99.7")),
    ]


def test_subject_named_in_the_sentence_before():
    # 国家信访局 and the 上海 template put the 科目 in its own sentence: '…（项）。年初预算为…'
    chain = "12.住房保障（类）住房改革支出（款）住房公积金（项）。"
    got = facts("年初预算为676万元，支出决算为586.32万元，完成年初预算的86.73%。", *GB, context=chain)
    assert keys(got) == [
        ("general_budget_expenditure_subject", "budget", "2210201", D("6760000.00")),
        ("general_budget_expenditure_subject", "actual", "2210201", D("5863200.00")),
        ("general_budget_expenditure_subject", "completion_pct", "2210201", D("86.73")),
    ]
    # '主要用于：…人员经费及公用经费…' between the 科目 and its figures does not take them over
    chain2 = "1、一般公共服务支出（类）财政事务（款）行政运行（项）。主要用于：局本部人员经费及公用经费等的基本支出。"
    got2 = facts("年初预算为 1560.05 万元，支出决算为1511.89万元。", *GB, context=chain2)
    assert [(f.metric, f.code) for f in got2] == [("general_budget_expenditure_subject", "2010601")] * 2


def test_class_printed_without_its_zhichu_resolves():
    chain = "6.教育（类）进修及培训（款）培训支出（项）。"  # 国家信访局 2024
    got = facts("年初预算为180.61万元，支出决算为180.03万元，完成年初预算的99.68%。", *GB, context=chain, year=2024)
    assert {f.code for f in got} == {"2050803"}


def test_subject_in_the_gov_fund_section_is_a_gov_fund_subject():
    heading = ("八、政府性基金预算财政拨款收入支出决算情况说明",)
    chain = "1、城乡社区支出（类）国有土地使用权出让收入安排的支出（款）征地和拆迁补偿支出（项）。主要用于：拆迁。"
    got = facts("年初预算为100万元，支出决算为90万元。", *heading, context=chain)
    assert [(f.metric, f.qualifier) for f in got] == [
        ("gov_fund_expenditure_subject", "budget"),
        ("gov_fund_expenditure_subject", "actual"),
    ]


def test_stated_reason_is_found_for_the_figures():
    from facts_support import sentence

    from extract.facts import stated_reason

    s = sentence("公务接待费支出决算比2022年度减少0.37万元，下降46%。")
    s = s.__class__(**{**s.__dict__, "following": "主要原因是部分支出未及时结算。"})
    assert stated_reason(s) == "部分支出未及时结算"
    inline = sentence("比2023年度决算数增加6263.17万元，增长47.06%，主要原因是根据工作需要，增加一次性项目支出。")
    assert stated_reason(inline) == "根据工作需要，增加一次性项目支出"


# 8. 基本支出 --------------------------------------------------------------------------------------
def test_basic_items_carry_economic_codes():
    text = (
        "公用经费6.01万元，主要包括：办公费0.48万元、印刷费2万元、差旅费1.77万元、公务接待费0.43万元、"
        "其他交通费0.17万元、其他商品和服务支出0.24万元。"
    )
    got = keys(facts(text))
    assert got == [
        ("public_expenditure", "actual", None, D("60100.00")),
        ("basic_expenditure_item", "actual", "30201", D("4800.00")),
        ("basic_expenditure_item", "actual", "30202", D("20000.00")),
        ("basic_expenditure_item", "actual", "30211", D("17700.00")),
        ("basic_expenditure_item", "actual", "30217", D("4300.00")),  # the item, not the “三公” figure
        ("basic_expenditure_item", "actual", "30239", D("1700.00")),  # printed 其他交通费, named 其他交通费用
        ("basic_expenditure_item", "actual", "30299", D("2400.00")),
    ]


def test_personnel_and_public_in_one_sentence_without_item_figures():
    text = (
        "国家信访局2024年度财政拨款基本支出10234.37万元，其中：人员经费7967.72万元，主要包括：基本工资、津贴补贴、"
        "奖金；公用经费2266.65万元，主要包括：办公费、印刷费。"
    )
    got = keys(facts(text, "六、一般公共预算财政拨款基本支出决算情况说明"))
    assert got == [
        ("general_budget_basic_expenditure", "actual", None, D("102343700.00")),
        ("personnel_expenditure", "actual", None, D("79677200.00")),
        ("public_expenditure", "actual", None, D("22666500.00")),
    ]


# 9. “三公”经费 -----------------------------------------------------------------------------------
def test_three_public_budget_actual_completion_and_change():
    text = (
        "2023年度“三公”经费财政拨款支出预算为0.8万元，支出决算为0.43万元，完成预算的54%；较上年减少0.37万元，下降46%。"
    )
    assert keys(facts(text)) == [
        ("three_public_total", "budget", None, D("8000.00")),
        ("three_public_total", "actual", None, D("4300.00")),
        ("three_public_total", "completion_pct", None, D("54")),
        ("three_public_total", "yoy_change", None, D("-3700.00")),
        ("three_public_total", "yoy_pct", None, D("-46")),
    ]


def test_three_public_items_and_overseas_groups():
    text = (
        "按照批准的因公出国（境）计划，2024年度共执行因公出国（境）团组数1个；全年因公出国（境）累计1人次；"
        "全年因公出国（境）费支出4.69万元。"
    )
    assert keys(facts(text)) == [
        ("overseas_groups", "count", None, D("1")),
        ("overseas_person_times", "count", None, D("1")),
        ("three_public_overseas", "actual", None, D("46900.00")),
    ]


def test_vehicles_owned_and_operation_per_vehicle():
    text = (
        "2024年度，国家信访局没有购置车辆，年末实际保有量为15辆，全年公务用车运行维护费支出40.61万元，"
        "平均每辆2.71万元。"
    )
    assert keys(facts(text)) == [
        ("vehicle_count", "count", None, D("15")),
        ("three_public_vehicle_operation", "actual", None, D("406100.00")),
        ("vehicle_operation_per_vehicle", "actual", None, D("27100.00")),
    ]


def test_reception_batches_person_times_and_itemised_receptions():
    text = (
        "国内公务接待4批次40人次，共计支出0.43万元，具体内容包括全市一季度综合督查1083元、全市半年经济指标督查1075元。"
    )
    got = facts(text)
    assert keys(got) == [
        ("reception_batches", "count", None, D("4")),
        ("reception_person_times", "count", None, D("40")),
        ("reception_domestic", "actual", None, D("4300.00")),
        ("reception_item", "actual", None, D("1083.00")),
        ("reception_item", "actual", None, D("1075.00")),
    ]
    assert [f.unit for f in got[:2]] == ["batch", "person_time"]
    assert got[3].subject_raw == "全市一季度综合督查"
    assert keys(facts("外事接待支出0万元。")) == [("reception_foreign", "actual", None, D("0.00"))]


def test_reception_batches_after_a_longer_clause():
    text = "2024年度，国家信访局使用一般公共预算财政拨款支出的公务接待10批次、152人次，全部为国内公务接待。"
    assert keys(facts(text)) == [
        ("reception_batches", "count", None, D("10")),
        ("reception_person_times", "count", None, D("152")),
    ]


# 10. 政府性基金 / 国有资本经营 ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "metric"),
    [
        ("2023年度政府性基金预算拨款支出0万元。", "gov_fund_expenditure"),
        ("2023年度国有资本经营预算拨款支出0万元。", "state_capital_expenditure"),
        (
            "本部门2023年度没有使用政府性基金预算财政拨款安排的支出，政府性基金预算财政拨款支出0.00万元。",
            "gov_fund_expenditure",
        ),
    ],
)
def test_other_budgets_also_when_zero(text, metric):
    assert keys(facts(text)) == [(metric, "actual", None, D("0.00"))]


# 11. 机关运行经费, 政府采购, 国有资产 ------------------------------------------------------------
def test_operating_costs_with_change():
    got = keys(facts("机关运行经费支出184.65万元，比2023年度增加2.55万元，增长1.40%。"))
    assert got == [
        ("operating_costs", "actual", None, D("1846500.00")),
        ("operating_costs", "yoy_change", None, D("25500.00")),
        ("operating_costs", "yoy_pct", None, D("1.40")),
    ]


def test_procurement_national_phrasing():
    text = (
        "授予中小企业合同金额1820.69万元，占政府采购支出总额的92.54%，其中：授予小微企业合同金额1015.5万元，"
        "占授予中小企业合同金额的55.78%；货物采购授予中小企业合同金额占货物支出金额的9.16%。"
    )
    assert keys(facts(text)) == [
        ("procurement_sme", "actual", None, D("18206900.00")),
        ("procurement_sme", "share_pct", None, D("92.54")),
        ("procurement_small_micro", "actual", None, D("10155000.00")),
        ("procurement_small_micro", "share_pct", None, D("55.78")),
        ("procurement_sme_goods", "share_pct", None, D("9.16")),
    ]


def test_procurement_shanghai_phrasing():
    total = (
        "上海市普陀区财政局2024年度政府采购金额（以合同签订为准）为251.25万元，其中：货物采购金额4.79万元、"
        "工程采购金额0万元、服务采购金额246.47万元。"
    )
    assert [k[0] for k in keys(facts(total))] == [
        "procurement_total",
        "procurement_goods",
        "procurement_works",
        "procurement_services",
    ]
    awarded = (
        "在面向中小企业预留的政府采购项目中，由中小企业供应商中标或成交的，采购金额246.47万元；在其他政府采购项目中，"
        "由中小企业供应商中标或成交的，采购金额4.79万元。"
    )
    assert [k[0] for k in keys(facts(awarded))] == ["procurement_sme", "procurement_sme"]


def test_assets_vehicles_by_kind_and_equipment_over_a_million():
    text = (
        "截至2024年12月31日，国家信访局共有车辆15辆，其中，副部（省）级及以上领导干部用车1辆、机要通信用车2辆；"
        "单价100万元以上设备（不含车辆）0台（套）。"
    )
    got = facts(text)
    assert keys(got) == [
        ("assets_vehicles", "count", None, D("15")),
        ("assets_vehicles", "count", None, D("1")),
        ("assets_vehicles", "count", None, D("2")),
        ("mention", "actual", None, D("1000000.00")),  # the threshold is kept, as a mention
        ("assets_large_equipment", "count", None, D("0")),
    ]
    assert got[2].subject_raw == "机要通信用车"


# 12. 预算绩效 ------------------------------------------------------------------------------------
def test_performance_projects_counted_before_and_after_the_number():
    text = (
        "本部门组织对重大工作督查、驻村帮扶等2个项目开展了预算事前绩效评估，对2个项目编制了绩效目标，"
        "选取2个项目开展绩效监控。"
    )
    assert [k[:2] for k in keys(facts(text, *PERF))] == [("performance_projects", "count")] * 3
    # outside a performance section '2个项目' is just a mention
    assert [k[0] for k in keys(facts(text, "一、部门职责"))] == ["mention"] * 3


def test_performance_shanghai_phrasing():
    text = (
        "编报绩效目标的2024年度项目4个，涉及预算金额598.42万元；绩效自评的2024年度项目4个，涉及预算金额598.42万元，"
        "平均得分99.43分（其中，绩效评级为“优”的项目4个；绩效评级为“良”的项目0个。"
    )
    got = keys(facts(text, "十、预算绩效管理情况"))
    assert got == [
        ("performance_projects", "count", None, D("4")),
        ("performance_budget", "budget", None, D("5984200.00")),
        ("performance_projects", "count", None, D("4")),
        ("performance_budget", "budget", None, D("5984200.00")),
        ("performance_score", "actual", None, D("99.43")),
        ("performance_projects", "count", None, D("4")),
        ("performance_projects", "count", None, D("0")),
    ]


def test_performance_project_report_figures_without_a_subject():
    heading = ("十一、关于2024年度预算绩效情况说明", "（二）部门决算中项目绩效自评结果")
    got = facts("全年预算数为536.20万元，执行数为413.57万元，完成预算的77.1%。", *heading)
    assert keys(got) == [
        ("performance_budget", "budget", None, D("5362000.00")),
        ("performance_budget", "actual", None, D("4135700.00")),
        ("performance_budget", "completion_pct", None, D("77.1")),
    ]
    score = facts("1.信访研究宣传立法专项项目综述：根据年初设定的绩效目标，项目自评得分为94.7分。", *heading)
    assert keys(score) == [("performance_score", "actual", None, D("94.7"))]


# 13. staffing ------------------------------------------------------------------------------------
def test_staffing_and_internal_units():
    assert keys(facts("县目标绩效中心事业编制8名。")) == [("staff_authorized", "count", None, D("8"))]
    assert keys(facts("在编在岗5人。")) == [("staff_on_post", "count", None, D("5"))]
    got = keys(facts("根据上述工作职责，国家信访局内设13个职能机构，分别是：办公室、综合指导司。"))
    assert got == [("internal_units", "count", None, D("13"))]
    units = keys(facts("下属二级预算单位1个，其中行政单位0个，参照公务员法管理的事业单位0个，其他事业单位1个。"))
    assert [k[0] for k in units] == ["internal_units"] * 4


# 14. mentions -------------------------------------------------------------------------------------
def test_numbers_without_subject_are_mentions_with_their_subject():
    got = facts("2023年，高质量督办完成县委政府主要领导批交办事项174件，人大建议62件，政协提案109件。")
    assert [(f.metric, f.qualifier, f.value, f.subject_raw) for f in got] == [
        ("mention", "count", D("174"), "高质量督办完成县委政府主要领导批交办事项"),
        ("mention", "count", D("62"), "人大建议"),
        ("mention", "count", D("109"), "政协提案"),
    ]


def test_one_rate_stated_for_two_subjects_gives_two_mentions():
    got = facts("截至目前，办结率、满意率100%。")
    assert [(f.metric, f.qualifier, f.subject_raw, f.value) for f in got] == [
        ("mention", "share_pct", "办结率", D("100")),
        ("mention", "share_pct", "满意率", D("100")),
    ]


def test_mention_units_and_approximate_counts():
    got = facts(
        "全年，开展各类督促检查工作30余批次，综合督查6次，发现问题300余个，追责问责54人次，追缴违纪资金12.48万元。"
    )
    assert [(f.qualifier, f.value, f.unit, f.value_raw) for f in got] == [
        ("count", D("30"), "batch", "30余批次"),
        ("count", D("6"), "count", "6次"),
        ("count", D("300"), "count", "300余个"),
        ("count", D("54"), "person_time", "54人次"),
        ("actual", D("124800.00"), "yuan", "12.48万元"),
    ]


def test_mention_changes_are_signed_per_figure():
    got = facts("今年开展的督查活动相比去年同期减少30%，推动工作落地效率提升25%。")
    assert [(f.qualifier, f.value) for f in got] == [("yoy_pct", D("-30")), ("yoy_pct", D("25"))]


@pytest.mark.parametrize(
    "text",
    [
        "采编入《省委巡视工作简报》2023年第15期。",  # an ordinal
        "位列全市县区第2名，获评先进县区。",
        "连续2年主要经济指标完成排名全市或全县最后1位的县级责任部门。",  # a rank; 年 is no unit
        "对标《2023年广元市48件民生实事实施方案》，及时分解下达任务。",  # a title names a document
        "按“4+14+92”和“5+14+X”的总体构架，严格《通知》（苍财绩〔2021〕15号）文件规定。",
        "截至2023年12月31日，1-12月完成。",
    ],
)
def test_not_figures(text):
    assert facts(text) == []


def test_wide_digits_and_thousands_separators():
    got = facts("本年收入合计１,２３４．５６万元。")
    assert keys(got) == [("income_current_year", "actual", None, D("12345600.00"))]
    assert keys(facts("2026年本部门收入预算3,944.08万元。", kind="预算")) == [
        ("income_current_year", "budget", None, D("39440800.00"))
    ]


def test_budget_documents_state_budgets():
    text = "其中：一般公共预算拨款收入366,195.79万元，占90.5%；政府性基金预算收入7,600.00万元，占1.9%。"
    assert keys(facts(text, kind="预算", year=2026)) == [
        ("income_general_budget", "budget", None, D("3661957900.00")),
        ("income_general_budget", "share_pct", None, D("90.5")),
        ("income_gov_fund", "budget", None, D("76000000.00")),
        ("income_gov_fund", "share_pct", None, D("1.9")),
    ]
    prior = keys(
        facts("2026年度收入预算44169.36万元，比2025年年初预算数44021.20万元增加148.16万元。", kind="预算", year=2026)
    )
    assert prior == [
        ("income_current_year", "budget", None, D("441693600.00")),
        ("income_current_year", "prior_year", None, D("440212000.00")),
        ("income_current_year", "yoy_change", None, D("1481600.00")),
    ]


def test_values_are_exact_decimals():
    got = facts("财政拨款收入0.01万元。")
    assert got[0].value == Decimal("100.00") and got[0].unit == "yuan"


def test_only_class_names_are_class_items():
    text = (
        "江苏省委办公厅本年支出预算合计24458.43万元，其中：基本支出10403.11万元，占42.53%；"
        "单位预留机动经费1973.86万元，占8.07%。"
    )
    got = keys(facts(text, kind="预算", year=2018))
    assert [k[0] for k in got] == [
        "expenditure_current_year",
        "expenditure_basic",
        "expenditure_basic",
        "mention",
        "mention",
    ]


def test_the_next_sentence_continues_the_figure_not_its_explanation():
    # 江苏省委办公厅 2018: the change of a 类 is stated in the sentence after its amount and explanation.
    first = "1.一般公共服务（类）支出20153.75万元，主要用于保障机构正常运转而发生的基本支出和项目支出。"
    got = facts("与上年相比增加3161.38万元，增长18.60%。", "一、收入支出预算总体情况", context=first, kind="预算")
    assert keys(got) == [
        ("expenditure_class", "yoy_change", "201", D("31613800.00")),
        ("expenditure_class", "yoy_pct", "201", D("18.60")),
    ]


def test_compared_totals_are_not_denominators():
    text = (
        "江苏省委办公厅2018年度收入、支出预算总计24458.43万元，与上年相比收、支预算总计各增加3608.98万元，增长17.31%。"
    )
    got = keys(facts(text, kind="预算", year=2018))
    assert ("income_total", "yoy_change", None, D("36089800.00")) in got
    assert ("expenditure_total", "yoy_pct", None, D("17.31")) in got


def test_cases_and_measures_are_kept_with_their_units():
    got = facts(
        "2022年，全县共破获刑事案件612起，查处治安案件1864起，起草文件3份，绿化面积1000平方米，响应时间≤15分钟。"
    )
    assert [(f.value, f.unit, f.value_raw) for f in got] == [
        (D("612"), "count", "612起"),
        (D("1864"), "count", "1864起"),
        (D("3"), "count", "3份"),
        (D("1000"), "measure", "1000平方米"),
        (D("15"), "measure", "15分钟"),  # minutes, not a score of 15
    ]
