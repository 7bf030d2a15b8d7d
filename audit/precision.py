"""Printed precision of figures: what rounding can explain."""

from __future__ import annotations

import re
from decimal import Decimal

from normalize.amounts import to_yuan

_NUMBER = re.compile(r"-?\d[\d,]*(?:\.(\d+))?")


def half_step(value_raw: str) -> Decimal:
    """Half a unit of the last printed digit of a figure as printed ('44.2万元' -> 0.05)."""
    m = _NUMBER.search(value_raw.replace("，", ","))
    decimals = len(m.group(1) or "") if m else 2
    return Decimal(5) * Decimal(10) ** (-(decimals + 1))


def printed_unit(value_raw: str) -> str | None:
    for unit in ("亿元", "万元", "千元", "元"):
        if value_raw.endswith(unit):
            return unit
    return None


def half_step_yuan(value_raw: str, default_unit: str = "万元") -> Decimal:
    """Half a unit of the last printed digit, in 元."""
    return to_yuan(half_step(value_raw), printed_unit(value_raw) or default_unit) + Decimal("0.005")
