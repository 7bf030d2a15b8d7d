"""Amounts as printed -> Decimal, and units -> 元.

Explicit error policy: ``parse_amount`` returns None for text that is not an amount
(never raises, never guesses); dashes mean zero; unit conversion raises on an unknown unit.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib import resources

from normalize.text import fold_text

# A dash in a cell means "nothing": real tables print -, —, –, or ─ for zero.
_DASHES = {"-", "—", "–", "─", "--", "——", "/"}
_NUMBER = re.compile(r"^(?P<neg>[-△▲]|\()?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)\)?$")


@dataclass(frozen=True)
class Amount:
    value: Decimal
    raw: str
    decimals: int  # digits printed after the point: the printed precision


def parse_amount(text: str) -> Amount | None:
    """Parse one printed amount ('1,234.56', '１２３．４', '-5', '△3.2', '(3.2)', '-', '0.00').

    Returns None when the text is not an amount. Thousands separators must be well formed
    ('1,23' is not an amount), so a cell holding two numbers is not silently merged.
    """
    raw = text
    s = fold_text(text).replace(" ", "").replace("，", ",").replace("（", "(").replace("）", ")")
    if not s:
        return None
    if s in _DASHES:
        return Amount(Decimal("0"), raw, 0)
    m = _NUMBER.match(s)
    if not m:
        return None
    if s.startswith("(") != s.endswith(")"):
        return None
    num = m.group("num").replace(",", "")
    try:
        value = Decimal(num)
    except InvalidOperation:  # pragma: no cover - the regex admits only digits
        return None
    if m.group("neg"):
        value = -value
    decimals = len(num.split(".")[1]) if "." in num else 0
    return Amount(value, raw, decimals)


@cache
def unit_factors() -> dict[str, Decimal]:
    text = resources.files("normalize").joinpath("data", "units.csv").read_text("utf-8")
    out: dict[str, Decimal] = {}
    for row in csv.DictReader(text.splitlines()):
        for alias in row["aliases"].split("|"):
            out[alias] = Decimal(row["factor_to_yuan"])
    return out


def to_yuan(value: Decimal, unit: str) -> Decimal:
    """Convert an amount in ``unit`` (元/千元/万元/亿元) to 元, exact to the fen."""
    try:
        factor = unit_factors()[unit]
    except KeyError:
        raise ValueError(f"unknown amount unit {unit!r}") from None
    return (value * factor).quantize(Decimal("0.01"))


_UNIT_LINE = re.compile(r"(?:单位|金额单位)[:：]?\s*(亿元|万元|千元|元)")


def unit_from_text(text: str) -> str | None:
    """The unit named by a '单位：万元' line, or None."""
    m = _UNIT_LINE.search(fold_text(text).replace(" ", ""))
    return m.group(1) if m else None
