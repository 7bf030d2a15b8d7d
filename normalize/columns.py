"""Column labels as printed -> stable column keys from ``schemas/data/columns.csv``."""

from __future__ import annotations

from functools import cache

from normalize.text import match_key
from schemas.vocab import column_keys

_SUBTOTAL = ("小计", "合计")


@cache
def _aliases() -> list[tuple[str, str]]:
    pairs = [(match_key(a), c.key) for c in column_keys() for a in (c.label, *c.aliases)]
    return sorted(pairs, key=lambda p: -len(p[0]))


def _level_key(level: str) -> str | None:
    key = match_key(level)
    for alias, column in _aliases():
        if key == alias:
            return column
    return None


_DIMENSIONS = ("budget", "actual")


def column_label_to_key(label_raw: str) -> str | None:
    """Key of a column; under a 预算数 / 决算数 group it is prefixed: 'budget.reception'. Pure."""
    key = _leaf_key(label_raw)
    levels = [lv for lv in label_raw.split("/") if lv]
    dims = [d for d in (_level_key(lv) for lv in levels[:-1]) if d in _DIMENSIONS]
    if dims and key and key not in _DIMENSIONS:
        return f"{dims[-1]}.{key}"
    return key


def _leaf_key(label_raw: str) -> str | None:
    """The key of the deepest header level that names a known column.

    '本年支出/基本支出' -> 'basic'; '公务用车购置及运行费/小计' -> 'vehicle' (a 小计 under a
    named group is that group); '收入/金额' -> 'amount'; a bare '合计' -> 'total'. Pure.
    """
    levels = [lv for lv in label_raw.split("/") if lv]
    if not levels:
        return None
    leaf = levels[-1]
    if match_key(leaf) in _SUBTOTAL and len(levels) > 1:
        for parent in reversed(levels[:-1]):
            key = _level_key(parent)
            if key and key not in ("budget", "actual", "expenditure_current", "income_current"):
                return key
        return "total"
    for level in reversed(levels):
        key = _level_key(level)
        if key:
            return key
    return None
