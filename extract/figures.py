"""Figures in a sentence: a number followed by a unit ('133.28 万元', '30余次', '4批次', '85.4%').

Not figures: years and dates (2023年, 9月4日, 1-12月: 年/月/日 are not units), document numbers
(〔2021〕15号), ordinals ('第15期', '第2名', '最后1位'), names inside 《》 ('《2023年广元市48件
民生实事实施方案》' names a document, it states no figure) and numbers without a unit.
Units come from ``normalize/data/fact_units.csv``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from normalize.fact_units import fact_units

_NUMBER = r"(?<![\d.,])(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
# '30余次', '20多个', '90 分以上': the approximation marker is kept in the printed unit.
_APPROX = r"(?P<approx>余|多)?"
# An ordinal or rank: the number names a position, not a quantity.
_ORDINAL_BEFORE = re.compile(r"(第|最后|倒数|排名前|排名后|前|末)\s*$")
_RANK_UNITS = ("位", "名")
# '价值100万元以上大型设备': an amount that qualifies a noun is a threshold.
_THRESHOLD_AFTER = re.compile(r"^\s*(（含）)?\s*(以上|以下|及以上|及以下)\s*(（含）)?\s*[^\s，。；、,;：:）)]")


@dataclass(frozen=True)
class Figure:
    start: int  # offset of the number in the sentence
    end: int  # offset just after the unit
    number: str  # digits as printed ('1,234.5')
    unit_raw: str  # unit as printed, with an approximation marker ('万元', '余次', '台（套）')
    unit: str  # yuan / percent / count / person / person_time / batch / score / measure
    threshold: bool = False  # '100万元以上设备': a bound, not an amount spent

    @property
    def money(self) -> bool:
        return self.unit == "yuan"

    @property
    def printed(self) -> str:
        return f"{self.number}{self.unit_raw}"


@cache
def _figure_re() -> re.Pattern[str]:
    alternatives = []
    for u in fact_units():
        guard = f"(?![{re.escape(u.not_followed_by)}])" if u.not_followed_by else ""
        alternatives.append(re.escape(u.printed) + guard)
    return re.compile(_NUMBER + r"\s*" + _APPROX + r"\s*(?P<unit>" + "|".join(alternatives) + ")")


@cache
def _unit_kinds() -> dict[str, str]:
    return {u.printed: u.unit for u in fact_units()}


def _title_spans(text: str) -> list[tuple[int, int]]:
    spans, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch == "《":
            if depth == 0:
                start = i
            depth += 1
        elif ch == "》" and depth:
            depth -= 1
            if depth == 0:
                spans.append((start, i + 1))
    return spans


def find_figures(text: str) -> list[Figure]:
    """Every figure of a (folded) sentence, in order. Pure."""
    titles = _title_spans(text)
    out: list[Figure] = []
    for m in _figure_re().finditer(text):
        start = m.start("num")
        if any(a <= start < b for a, b in titles):
            continue
        unit = m.group("unit")
        before = text[max(0, start - 4) : start]
        ordinal = _ORDINAL_BEFORE.search(before)
        if ordinal and (ordinal.group(1) == "第" or unit in _RANK_UNITS):
            continue
        kind = _unit_kinds()[unit]
        threshold = kind == "yuan" and bool(_THRESHOLD_AFTER.match(text[m.end() :]))
        out.append(Figure(start, m.end(), m.group("num"), (m.group("approx") or "") + unit, kind, threshold))
    return out
