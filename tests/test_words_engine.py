"""The text-alignment engine on synthetic borderless layouts: sides, 行次 columns, group headers
over wrapped neighbours, wrapped leaf headers, one-row tables and merged total labels."""

from __future__ import annotations

from extract.tables.layout import Layout, grid_to_layout
from extract.tables.words import borderless_grid

HAN = 9.0  # width of a Han character (pt)
DIGIT = 5.0  # width of a digit


def _left(text: str, x: float, top: float, size: float = HAN) -> list[dict]:
    """Characters of a left-aligned run starting at x."""
    out, cursor = [], x
    for ch in text:
        w = DIGIT if ch.isascii() else size
        out.append({"text": ch, "x0": cursor, "x1": cursor + w, "top": top, "bottom": top + size})
        cursor += w
    return out


def _width(text: str, size: float = HAN) -> float:
    return sum(DIGIT if ch.isascii() else size for ch in text)


def _centred(text: str, centre: float, top: float, size: float = HAN) -> list[dict]:
    return _left(text, centre - _width(text, size) / 2, top, size)


def _right(text: str, right: float, top: float) -> list[dict]:
    return _left(text, right - _width(text), top)


def _layout(chars: list[dict]) -> Layout:
    grid = borderless_grid(chars, (0, 90, 842, 595))
    assert grid is not None and grid.engine == "words"
    layout = grid_to_layout(grid)
    assert layout is not None
    return layout


def _rows(layout: Layout) -> list[list[str]]:
    return [[(c.text if c else "") for c in row.cells] for row in layout.data_rows]


def test_two_sided_table_with_row_numbers_and_glued_cells():
    # 收入 | 支出 with 项目 | 行次 | 金额 on each side; the left side's amounts end 1.5 pt before
    # the right side's labels start (one text run unless split).
    chars = (
        _centred("收入", 162, 100) + _centred("支出", 403, 100)
        + _centred("项目", 120, 114) + _centred("行次", 215, 114) + _centred("金额", 262, 114)
        + _centred("项目", 365, 114) + _centred("行次", 450, 114) + _centred("金额", 502, 114)
        + _centred("栏次", 120, 128) + _centred("1", 262, 128) + _centred("栏次", 365, 128) + _centred("2", 502, 128)
        + _left("一、一般公共预算财政拨款收入", 40, 142) + _centred("1", 215, 142) + _right("2235.57", 280, 142)
        + _left("一、一般公共服务支出", 281.5, 142) + _centred("32", 450, 142) + _right("989.33", 520, 142)
        + _left("二、政府性基金收入", 40, 156) + _centred("2", 215, 156) + _right("320.00", 280, 156)
        + _left("二、外交支出", 281.5, 156) + _centred("33", 450, 156)
        + _centred("3", 215, 170) + _left("三、国防支出", 285, 170) + _centred("34", 450, 170)
        + _right("18.60", 520, 170)
        + _left("总计", 40, 184) + _centred("4", 215, 184) + _right("2555.57", 280, 184)
        + _left("总计", 285, 184) + _centred("35", 450, 184) + _right("2555.57", 520, 184)
    )  # fmt: skip
    layout = _layout(chars)
    assert [(c.role, c.side) for c in layout.columns] == [
        ("label", 0), ("index", 0), ("amount", 0), ("label", 1), ("index", 1), ("amount", 1),
    ]  # fmt: skip
    assert [c.label_raw for c in layout.columns if c.role == "amount"] == ["收入/金额", "支出/金额"]
    assert _rows(layout) == [
        ["一、一般公共预算财政拨款收入", "1", "2235.57", "一、一般公共服务支出", "32", "989.33"],
        ["二、政府性基金收入", "2", "320.00", "二、外交支出", "33", ""],
        # A row whose left side is blank but for its 行次 number stays a row of its own.
        ["", "3", "", "三、国防支出", "34", "18.60"],
        ["总计", "4", "2555.57", "总计", "35", "2555.57"],
    ]


def test_group_header_over_wrapped_neighbours_and_a_wrapped_leaf():
    # 支出 over 合计 | 一般公共预算财政拨款 (wrapped, its two lines straddling 合计) | 项目支出;
    # the last column's label wraps too ('对附属单位补助支' / '出') with 项目支出 centred between.
    chars = (
        _centred("支出", 302, 100)
        + _centred("一般公共预算财", 299, 116, 8) + _centred("对附属单位补助支", 439, 116, 8)
        + _centred("项目", 120, 122, 8) + _centred("合计", 232, 122, 8) + _centred("项目支出", 369, 122, 8)
        + _centred("政拨款", 299, 128, 8) + _centred("出", 439, 128, 8)
        + _centred("栏次", 120, 142) + _centred("1", 232, 142) + _centred("2", 299, 142)
        + _centred("3", 369, 142) + _centred("4", 439, 142)
        + _left("合计", 40, 156) + _right("2579.77", 260, 156) + _right("1008.02", 330, 156)
        + _right("1571.75", 400, 156) + _right("-", 470, 156)
        + _left("一般公共服务支出", 40, 170) + _right("989.33", 260, 170) + _right("820.58", 330, 170)
        + _right("168.75", 400, 170) + _right("-", 470, 170)
    )  # fmt: skip
    layout = _layout(chars)
    assert [c.label_raw for c in layout.columns] == [
        "项目", "支出/合计", "支出/一般公共预算财政拨款", "支出/项目支出", "对附属单位补助支出",
    ]  # fmt: skip
    assert _rows(layout)[1] == ["一般公共服务支出", "989.33", "820.58", "168.75", "-"]


def test_neighbouring_groups_of_equal_columns_each_get_their_own():
    # Three groups of three equal columns: each group label is also centred over a run one
    # column wider on both sides; only choosing the three together gets them right.
    rights = [100 + 60 * i for i in range(9)]
    centres = [r - 26 for r in rights]
    chars = (
        _centred("一般公共预算", 134, 100) + _centred("政府性基金", 314, 100) + _centred("国有资本经营", 494, 100)
        + [ch for i, c in enumerate(centres) for ch in _centred(("小计", "基本支出", "项目支出")[i % 3], c, 114)]
        + [ch for i, c in enumerate(centres) for ch in _centred(str(i + 1), c, 128)]
        + _left("合计", 10, 142) + [ch for r in rights for ch in _right("12.50", r, 142)]
        + _left("行政运行", 10, 156) + [ch for r in rights for ch in _right("3.10", r, 156)]
    )  # fmt: skip
    layout = _layout(chars)
    labels = [c.label_raw for c in layout.columns if c.role == "amount"]
    assert labels == [
        f"{group}/{leaf}"
        for group in ("一般公共预算", "政府性基金", "国有资本经营")
        for leaf in ("小计", "基本支出", "项目支出")
    ]


def test_one_row_table_under_a_column_number_line():
    # A 三公 table: no label column, one line of figures under the 栏次 numbers.
    rights = [100, 170, 240, 310, 380, 450]
    centres = [70, 139, 209, 279, 349, 419]
    leaves = ("合计", "因公出国费", "公务接待费")
    chars = (
        _centred("预算数", 140, 100) + _centred("决算数", 349, 100)
        + [ch for i, c in enumerate(centres) for ch in _centred(leaves[i % 3], c, 114, 8)]
        + [ch for i, c in enumerate(centres) for ch in _centred(str(i + 1), c, 128)]
        + [ch for r, v in zip(rights, ("10.50", "0.00", "4.50", "8.48", "0.00", "3.12"), strict=True)
           for ch in _right(v, r, 142)]
        + _left("注：本表反映部门本年度“三公”经费支出预决算情况。", 40, 160)
    )  # fmt: skip
    layout = _layout(chars)
    assert [c.label_raw for c in layout.columns] == [f"{g}/{leaf}" for g in ("预算数", "决算数") for leaf in leaves]
    assert {c.role for c in layout.columns} == {"amount"}
    assert _rows(layout) == [["10.50", "0.00", "4.50", "8.48", "0.00", "3.12"]]


def test_three_sided_table_keeps_label_lines_and_merged_total_labels_apart():
    # 人员经费 | 公用经费 (two sides) in three label/amount pairs. A line of labels without
    # amounts is a row of its own; '公用经费合计' is centred over the 公用经费 columns and
    # starts inside the middle amount column: it labels the amount right of it.
    chars = (
        _centred("人员经费", 150, 100) + _centred("公用经费", 480, 100)
        + _centred("科目名称", 110, 114) + _centred("决算数", 225, 114)
        + _centred("科目名称", 340, 114) + _centred("决算数", 445, 114)
        + _centred("科目名称", 560, 114) + _centred("决算数", 665, 114)
        + _left("工资福利支出", 40, 128) + _right("847.72", 250, 128) + _left("商品和服务支出", 270, 128)
        + _right("123.60", 470, 128) + _left("债务利息及费用支出", 490, 128)
        + _left("伙食补助费", 40, 142) + _left("手续费", 270, 142) + _left("房屋建筑物购建", 490, 142)
        + _left("基本工资", 40, 156) + _right("196.94", 250, 156) + _left("办公费", 270, 156)
        + _right("21.70", 470, 156) + _left("国内债务付息", 490, 156) + _right("1.00", 690, 156)
        + _centred("人员经费合计", 140, 170) + _right("1044.66", 250, 170)
        + _centred("公用经费合计", 480, 170) + _right("146.30", 690, 170)
    )  # fmt: skip
    layout = _layout(chars)
    assert [(c.role, c.side) for c in layout.columns] == [
        ("label", 0), ("amount", 0), ("label", 1), ("amount", 1), ("label", 2), ("amount", 2),
    ]  # fmt: skip
    assert [c.label_raw for c in layout.columns if c.role == "amount"] == [
        "人员经费/决算数", "公用经费/决算数", "公用经费/决算数",
    ]  # fmt: skip
    assert _rows(layout) == [
        ["工资福利支出", "847.72", "商品和服务支出", "123.60", "债务利息及费用支出", ""],
        ["伙食补助费", "", "手续费", "", "房屋建筑物购建", ""],
        ["基本工资", "196.94", "办公费", "21.70", "国内债务付息", "1.00"],
        ["人员经费合计", "1044.66", "", "", "公用经费合计", "146.30"],
    ]


def test_four_level_header_with_labels_merged_down_beside_a_group():
    # A compact browser print: 合计 | 因公出国（境）费 | 公务接待费 are merged down from the row of
    # 公务用车购置及运行费 and printed between it and the row of 小计 | 购置费 | 运行费; they are
    # beside that group, not under it, and the groups of the lower row stay out of their columns.
    rights = [100 + 60 * i for i in range(12)]

    def over(a: int, b: int) -> float:
        return (rights[a] - 56 + rights[b] + 4) / 2

    size = 7.5
    chars = (
        _centred("财政拨款“三公”经费", over(0, 11), 112.7, size)
        + _centred("公务用车购置及运行费", over(4, 9), 122.5, size)
        + _centred("合计", over(0, 1), 127.7, size) + _centred("因公出国（境）费", over(2, 3), 127.7, size)
        + _centred("公务接待费", over(10, 11), 127.7, size)
        + _centred("小计", over(4, 5), 133.0, size) + _centred("公务用车购置费", over(6, 7), 133.0, size)
        + _centred("公务用车运行费", over(8, 9), 133.0, size)
        + [ch for i in range(12) for ch in _centred(("预算数", "决算数")[i % 2], over(i, i), 142.7, size)]
        + [ch for i, r in enumerate(rights) for ch in _right(f"{1000 + i}.00", r, 153)]
    )  # fmt: skip
    layout = _layout(chars)
    groups = ["合计", "因公出国（境）费", "公务用车购置及运行费/小计", "公务用车购置及运行费/公务用车购置费",
              "公务用车购置及运行费/公务用车运行费", "公务接待费"]  # fmt: skip
    assert [c.label_raw for c in layout.columns] == [
        f"财政拨款“三公”经费/{g}/{leaf}" for g in groups for leaf in ("预算数", "决算数")
    ]
    assert _rows(layout) == [[f"{1000 + i}.00" for i in range(12)]]


def test_continuation_page_in_the_previous_columns_with_a_repeated_header():
    # The previous page's columns; this page repeats the header, whose last line holds only
    # words over amount columns (no 项目 / 栏次 to recognise it by), then rows.
    bounds = ((38.0, 200.0, "label"), (200.0, 264.0, "amount"), (264.0, 334.0, "amount"), (334.0, 404.0, "amount"))
    chars = (
        _centred("项目", 120, 100) + _centred("基本支出", 300, 100)
        + _centred("小计", 232, 114) + _centred("人员经费", 299, 114) + _centred("公用经费", 369, 114)
        + _left("其他支出", 40, 128)  # a row whose amounts are blank
        + _left("行政运行", 40, 142) + _right("3.00", 260, 142) + _right("2.00", 330, 142) + _right("1.00", 400, 142)
    )  # fmt: skip
    grid = borderless_grid(chars, (0, 90, 842, 595), bounds)
    assert grid is not None
    layout = grid_to_layout(grid)
    assert layout is not None
    assert [c.label_raw for c in layout.columns] == ["项目", "基本支出/小计", "基本支出/人员经费", "基本支出/公用经费"]
    assert _rows(layout)[-1] == ["行政运行", "3.00", "2.00", "1.00"]
