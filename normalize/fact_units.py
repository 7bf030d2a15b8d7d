"""Units a narrative figure can carry (``normalize/data/fact_units.csv``), shared by both stages.

``extract`` recognises a figure by its printed unit; ``normalize`` converts it with the same
table, so the list of units exists once. Amount units (元/千元/万元/亿元) are converted by
``normalize.amounts.to_yuan``; counted units carry their own factor ('72万册' is 720000 册).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from importlib import resources

FACT_UNITS = ("yuan", "percent", "count", "person", "person_time", "batch", "score", "measure")


@dataclass(frozen=True)
class FactUnit:
    printed: str  # as printed after the number: 万元, %, 人次, 台（套）…
    unit: str  # one of FACT_UNITS
    factor: Decimal | None  # multiplier to the unit; None for amounts (converted via to_yuan)
    not_followed_by: str  # characters that make the printed unit part of a word ('人员', '分析')


@cache
def fact_units() -> tuple[FactUnit, ...]:
    """All printed units, longest first (so '人次' wins over '人', '个百分点' over '个')."""
    text = resources.files("normalize").joinpath("data", "fact_units.csv").read_text("utf-8")
    out = []
    for row in csv.DictReader(text.splitlines()):
        if row["unit"] not in FACT_UNITS:
            raise ValueError(f"fact_units.csv: unknown unit {row['unit']!r} for {row['printed']!r}")
        factor = Decimal(row["factor"]) if row["factor"] else None
        out.append(FactUnit(row["printed"], row["unit"], factor, row["not_followed_by"]))
    return tuple(sorted(out, key=lambda u: -len(u.printed)))


@cache
def unit_of(printed: str) -> FactUnit | None:
    """The unit row for a printed unit ('万元', '人次'); None when it is not a fact unit."""
    for u in fact_units():
        if u.printed == printed:
            return u
    return None
