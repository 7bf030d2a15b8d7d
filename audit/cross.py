"""The same figure printed in several tables must agree (``data/cross_table.csv``).

E.g. 一般公共预算财政拨款支出 in 公开04表, 06表 and 07表; each 科目's total in 05/06/07表.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from functools import cache
from importlib import resources

from audit.lookup import find_items, total_of
from audit.tolerance import rounding_tolerance_yuan
from schemas.records import Check, LineItem


@cache
def _rules() -> list[dict[str, str]]:
    text = resources.files("audit").joinpath("data", "cross_table.csv").read_text("utf-8")
    return list(csv.DictReader(text.splitlines()))


def cross_table_checks(items: list[LineItem], unit_of: dict[str, str]) -> list[Check]:
    out: list[Check] = []
    # figure -> code (None for whole-table figures) -> [(table_key, hits)]
    found: dict[tuple[str, str | None], list[tuple[str, list[LineItem]]]] = defaultdict(list)
    codes = sorted({i.code for i in items if i.code and i.code_system == "function"})
    for rule in _rules():
        for code in codes if rule["row"] == "code" else [None]:
            hits = find_items(items, rule["table_key"], rule["row"], rule["column"], code)
            if hits:
                found[(rule["figure"], code)].append((rule["table_key"], hits))
    for (figure, code), readings in found.items():
        if len(readings) < 2:
            continue
        base_key, base = readings[0]
        base_value = total_of(base)
        for key, hits in readings[1:]:
            value = total_of(hits)
            unit = unit_of.get(hits[0].table_title, "万元")
            tol = rounding_tolerance_yuan([h.value_raw for h in base + hits], unit)
            if abs(value - base_value) <= tol:
                continue
            first = hits[0]
            name = f"{figure} {code}" if code else figure
            message = (
                f"{name}在{first.table_number_raw or key}中为{first.value_raw}，"
                f"在{base[0].table_number_raw or base_key}中为{base[0].value_raw}，两表不一致"
            )
            out.append(Check(
                doc_id=first.doc_id, fiscal_year=first.fiscal_year, check="cross.same_figure", severity="error",
                message=message, expected=f"{base_value:.2f}", actual=f"{value:.2f}", page=first.page,
                location=f"{first.table_number_raw or key} {code or first.row_label} / {first.column_label_raw}",
                evidence="; ".join(f"{h.table_number_raw or h.table_key}: {h.value_raw}" for h in base + hits),
            ))  # fmt: skip
    return out
