"""Arithmetic inside one table, as identities that hold or not.

- hierarchy: 合计 = Σ类, 类 = Σ款, 款 = Σ项 per column, along the rows in print order;
- columns: in each header group the total column (合计/小计) = Σ the other columns of the group
  (本年支出合计 = 基本支出 + 项目支出 + …; 公务用车购置及运行费 = 购置费 + 运行费);
- summary: 收入总计 = 支出总计 in 公开01表 and 公开04表.
Every identity is returned, holding or not, so benchmarks can count how many hold; the failing
ones become checks.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from audit.tolerance import rounding_tolerance_yuan
from normalize.text import match_key
from schemas.records import Check, LineItem

_TOTAL_LABELS = {"合计", "总计", "本年支出合计", "本年收入合计"}
_TOTAL_COLUMNS = ("合计", "小计", "本年支出合计", "本年收入合计", "总计")
# Column groups whose parts are not additive: prior-year figures, memo columns.
_NOT_ADDITIVE = ("上年", "扣除", "其中", "备注", "2019", "202", "201")
_ADDITIVE_KINDS = ("by_subject", "three_public")


@dataclass(frozen=True)
class Identity:
    check: str
    item: LineItem  # the printed figure under test
    expected: Decimal  # what its parts add up to
    parts: tuple[LineItem, ...]
    tolerance: Decimal
    message: str

    @property
    def holds(self) -> bool:
        return abs(self.item.amount_yuan - self.expected) <= self.tolerance


def identity_to_check(identity: Identity) -> Check:
    item = identity.item
    evidence = "; ".join(f"{p.code or p.row_label or p.column_label_raw} {p.value_raw}" for p in identity.parts[:12])
    return Check(
        doc_id=item.doc_id,
        fiscal_year=item.fiscal_year,
        check=identity.check,
        severity="error",
        message=identity.message,
        expected=f"{identity.expected:.2f}",
        actual=f"{item.amount_yuan:.2f}",
        page=item.page,
        location=f"{item.table_number_raw or item.table_key} {item.code or item.row_label} / {item.column_label_raw}",
        evidence=evidence,
    )


def _identity(check: str, item: LineItem, parts: list[LineItem], unit: str, message: str) -> Identity:
    expected = sum((p.amount_yuan for p in parts), Decimal(0))
    tol = rounding_tolerance_yuan([p.value_raw for p in parts] + [item.value_raw], unit)
    return Identity(check, item, expected, tuple(parts), tol, message)


def _children(rows: list[LineItem], i: int) -> list[LineItem]:
    """The rows directly under rows[i] in print order: its block ends at the first row that is
    not below it (tables repeat the same codes per unit, so codes alone are not enough)."""
    parent = rows[i].code or ""
    out = []
    for row in rows[i + 1 :]:
        code = row.code
        if not code:
            if match_key(row.row_label) in _TOTAL_LABELS:
                break
            continue
        if not code.startswith(parent) or len(code) <= len(parent):
            break
        if len(code) == len(parent) + 2:
            out.append(row)
    return out


def hierarchy_identities(items: list[LineItem], unit_of: dict[str, str]) -> list[Identity]:
    """合计 = Σ类, 类 = Σ款, 款 = Σ项 per table and column, for coded rows in print order."""
    out: list[Identity] = []
    groups: dict[tuple[str, str, str, str], list[LineItem]] = defaultdict(list)
    for it in items:
        groups[(it.table_title, it.table_key or "", it.table_number_raw or "", it.column_label_raw)].append(it)
    for (title, _key, _no, column), group in groups.items():
        unit = unit_of.get(title, "万元")
        rows = sorted(group, key=lambda r: r.row_no)
        for i, parent in enumerate(rows):
            if parent.code is None or parent.code_system != "function" or len(parent.code) not in (3, 5):
                continue
            children = _children(rows, i)
            if not children:
                continue
            level = "类" if len(parent.code) == 3 else "款"
            check = "table.sum_class" if level == "类" else "table.sum_item"
            message = f"{title}：{level} {parent.code} 的金额与其下级科目之和不符（{column}）"
            out.append(_identity(check, parent, children, unit, message))
        for i, row in enumerate(rows):
            if row.code or match_key(row.row_label) not in _TOTAL_LABELS:
                continue
            classes = []
            for other in rows[i + 1 :]:
                if not other.code and match_key(other.row_label) in _TOTAL_LABELS:
                    break
                if other.code and len(other.code) == 3 and other.code_system == "function":
                    classes.append(other)
            if classes:
                message = f"{title}：合计与各类之和不符（{column}）"
                out.append(_identity("table.sum_total", row, classes, unit, message))
            break
    return out


def _is_total_column(label: str) -> bool:
    leaf = match_key(label.split("/")[-1])
    return leaf in _TOTAL_COLUMNS


def column_identities(items: list[LineItem], unit_of: dict[str, str], kinds: dict[str, str]) -> list[Identity]:
    """Per row: each header group's total column = Σ its other columns (sub-groups by their 小计)."""
    out: list[Identity] = []
    rows: dict[tuple[str, int], list[LineItem]] = defaultdict(list)
    for it in items:
        if kinds.get(it.table_key or "") in _ADDITIVE_KINDS:
            rows[(it.table_title, it.row_no)].append(it)
    for (title, _row_no), cells in rows.items():
        unit = unit_of.get(title, "万元")
        labels = {c.column_label_raw: c for c in cells}
        all_labels = {c.column_label_raw for c in cells}
        prefixes = {"/".join(lbl.split("/")[:-1]) for lbl in all_labels}
        for prefix in prefixes:
            if any(w in prefix for w in _NOT_ADDITIVE):
                continue
            depth = len(prefix.split("/")) if prefix else 0
            direct = [lbl for lbl in all_labels if len(lbl.split("/")) == depth + 1 and lbl.startswith(prefix)]
            totals = [lbl for lbl in direct if _is_total_column(lbl)]
            if len(totals) != 1:
                continue
            parts: list[LineItem] = []
            complete = True
            sub_groups = {lbl.split("/")[depth] for lbl in all_labels if len(lbl.split("/")) > depth + 1
                          and lbl.startswith(prefix)}  # fmt: skip
            for lbl in direct:
                if lbl != totals[0]:
                    if any(w in lbl for w in _NOT_ADDITIVE):
                        complete = False
                    parts.append(labels[lbl])
            for sub in sub_groups:
                sub_prefix = f"{prefix}/{sub}" if prefix else sub
                sub_total = [lbl for lbl in all_labels if lbl.startswith(sub_prefix + "/") and _is_total_column(lbl)
                             and len(lbl.split("/")) == depth + 2]  # fmt: skip
                if len(sub_total) != 1:
                    complete = False
                    break
                parts.append(labels[sub_total[0]])
            if not complete or not parts:
                continue
            total = labels[totals[0]]
            message = f"{title}：{total.row_label or '该行'} 的 {total.column_label_raw} 与各分项之和不符"
            out.append(_identity("table.column_sum", total, parts, unit, message))
    return out


def summary_identities(items: list[LineItem], unit_of: dict[str, str]) -> list[Identity]:
    """收入总计 = 支出总计 in 公开01表 and 公开04表."""
    out: list[Identity] = []
    for key in ("income_expenditure_summary", "appropriation_summary"):
        rows = [i for i in items if i.table_key == key and match_key(i.row_label) == "总计"]
        by_side: dict[str, LineItem] = {}
        for r in rows:
            side = r.column_label_raw.split("/")[0]
            if side not in by_side:
                by_side[side] = r
        if len(by_side) == 2:
            (_, a), (_, b) = sorted(by_side.items())
            unit = unit_of.get(a.table_title, "万元")
            message = f"{a.table_title}：收入总计与支出总计不等"
            out.append(_identity("table.income_equals_expenditure", a, [b], unit, message))
    return out
