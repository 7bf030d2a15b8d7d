"""Arithmetic inside one table: 合计 = Σ类, 类 = Σ款, 款 = Σ项, 基本 + 项目 = 合计, 收入总计 = 支出总计."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from audit.tolerance import rounding_tolerance_yuan
from normalize.text import match_key
from schemas.records import Check, LineItem

_TOTAL_LABELS = {"合计", "总计", "本年支出合计", "本年收入合计"}


def _fmt(v: Decimal) -> str:
    return f"{v:.2f}"


def _check(item: LineItem, check: str, message: str, expected: Decimal, parts: list[LineItem]) -> Check:
    evidence = "; ".join(f"{p.code or p.row_label} {p.value_raw}" for p in parts[:12])
    return Check(
        doc_id=item.doc_id,
        fiscal_year=item.fiscal_year,
        check=check,
        severity="error",
        message=message,
        expected=_fmt(expected),
        actual=_fmt(item.amount_yuan),
        page=item.page,
        location=f"{item.table_number_raw or item.table_key} {item.code or item.row_label} / {item.column_label_raw}",
        evidence=evidence,
    )


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


def hierarchy_checks(items: list[LineItem], unit_of: dict[str, str]) -> list[Check]:
    """合计 = Σ类, 类 = Σ款, 款 = Σ项 per table and column, for coded rows in print order."""
    out: list[Check] = []
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
            total = sum((c.amount_yuan for c in children), Decimal(0))
            tol = rounding_tolerance_yuan([c.value_raw for c in children] + [parent.value_raw], unit)
            if abs(total - parent.amount_yuan) > tol:
                plen = len(parent.code)
                check = "table.sum_class" if plen == 3 else "table.sum_item"
                level = "类" if plen == 3 else "款"
                message = f"{title}：{level} {parent.code} 的金额与其下级科目之和不符（{column}）"
                out.append(_check(parent, check, message, total, children))
        for i, row in enumerate(rows):
            if row.code or match_key(row.row_label) not in _TOTAL_LABELS:
                continue
            classes = []
            for other in rows[i + 1 :]:
                if not other.code and match_key(other.row_label) in _TOTAL_LABELS:
                    break
                if other.code and len(other.code) == 3 and other.code_system == "function":
                    classes.append(other)
            if not classes:
                continue
            s = sum((c.amount_yuan for c in classes), Decimal(0))
            tol = rounding_tolerance_yuan([c.value_raw for c in classes] + [row.value_raw], unit)
            if abs(s - row.amount_yuan) > tol:
                out.append(_check(row, "table.sum_total", f"{title}：合计与各类之和不符（{column}）", s, classes))
            break
    return out


def summary_checks(items: list[LineItem], unit_of: dict[str, str]) -> list[Check]:
    """收入总计 = 支出总计 in 公开01表 and 公开04表."""
    out: list[Check] = []
    for key in ("income_expenditure_summary", "appropriation_summary"):
        rows = [i for i in items if i.table_key == key and match_key(i.row_label) == "总计"]
        by_side: dict[str, LineItem] = {}
        for r in rows:
            side = r.column_label_raw.split("/")[0]
            if side not in by_side and r.column_key in ("amount", "total", None):
                by_side[side] = r
        if len(by_side) == 2:
            (_, a), (_, b) = sorted(by_side.items())
            unit = unit_of.get(a.table_title, "万元")
            if abs(a.amount_yuan - b.amount_yuan) > rounding_tolerance_yuan([a.value_raw, b.value_raw], unit):
                out.append(
                    _check(
                        a,
                        "table.income_equals_expenditure",
                        f"{a.table_title}：收入总计与支出总计不等",
                        b.amount_yuan,
                        [a, b],
                    )
                )
    return out
