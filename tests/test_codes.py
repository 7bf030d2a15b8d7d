from normalize.codes import SplitCodeContext, code_info
from normalize.columns import column_label_to_key


def test_split_code_columns_inherit_class_and_kuan():
    ctx = SplitCodeContext()
    assert ctx.resolve(("201", "", "")) == "201"
    assert ctx.resolve(("", "03", "")) == "20103"
    assert ctx.resolve(("", "", "50")) == "2010350"
    assert ctx.resolve(("201", "06", "01")) == "2010601"
    assert ctx.resolve(("", "", "99")) == "2010699"


def test_single_code_column():
    ctx = SplitCodeContext()
    assert ctx.resolve(("2010350",)) == "2010350"
    assert ctx.resolve(("合计",)) is None


def test_code_info_levels_and_systems():
    assert code_info("2010350", "printed").level == "项"
    assert code_info("20103", "printed").class_code == "201"
    assert code_info("30101", "printed").system == "economic"
    assert code_info("221", "printed").system == "function"


def test_column_keys():
    assert column_label_to_key("本年支出/基本支出") == "basic"
    assert column_label_to_key("决算数/公务接待费") == "actual.reception"
    assert column_label_to_key("预算数/公务用车购置及运行维护费/小计") == "budget.vehicle"
    assert column_label_to_key("收入/金额") == "amount"
    assert column_label_to_key("某个未知列") is None
