"""Rows without printed codes -> codes from their place in the 类/款/项 hierarchy (``path``).

Tables that print no codes show the hierarchy by indentation (杭州市公安局: 类 at 5 pt, 款 at 15 pt,
项 at 25 pt from the cell's left edge) or only by the order of the rows. Walking down a table side in
print order, a 类 name resolves alone, a 款 under the last 类 and a 项 under the last 款. A row at a level
that does not resolve leaves that level unknown, so the rows under it are not filed under the
previous 款: they resolve only if their name is unique in the whole codebook.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from normalize.resolve import Resolution, Resolver, label_key
from normalize.text import han_count

_TOTAL = re.compile(r"合计|小计|总计|共计")
INDENT_TOLERANCE = 2.0  # pt: rows whose label starts within this distance are on one level


@dataclass
class _Anchor:
    code: str | None  # None: a row on this level that did not resolve
    indent: float | None


def _is_label(label: str) -> bool:
    key = label_key(label)
    return bool(key) and han_count(key) > 0 and not _TOTAL.search(key)


def indentation_levels(rows: Iterable[tuple[str, float]], tolerance: float = INDENT_TOLERANCE) -> int:
    """How many distinct indentation levels the (label, indent) rows of a table side use
    (totals and blank labels left out: a centred 合计 is no level)."""
    indents = sorted(indent for label, indent in rows if _is_label(label))
    levels = 0
    last: float | None = None
    for x in indents:
        if last is None or x - last > tolerance:
            levels += 1
        last = x
    return levels


class PathContext:
    """The 类 and 款 above the current row of one table side."""

    def __init__(
        self, resolver: Resolver, system: str | None, indented: bool, tolerance: float = INDENT_TOLERANCE
    ) -> None:
        self.resolver = resolver
        self.system = system
        self.indented = indented
        self.tolerance = tolerance
        self.cls: _Anchor | None = None
        self.kuan: _Anchor | None = None

    def printed(self, code: str, indent: float | None) -> None:
        """A row with a printed code anchors the levels for the rows that follow it."""
        if len(code) == 3:
            self.cls, self.kuan = _Anchor(code, indent), None
            return
        if self.cls is None or self.cls.code != code[:3]:
            self.cls = _Anchor(code[:3], None)
        if len(code) == 5:
            self.kuan = _Anchor(code, indent)
        elif self.kuan is None or self.kuan.code != code[:5]:
            self.kuan = _Anchor(code[:5], None)

    def _hint(self, indent: float) -> str | None:
        """The level the indentation puts a row on, or None when indentation says nothing."""
        if not self.indented or self.cls is None or self.cls.indent is None:
            return None
        if indent <= self.cls.indent + self.tolerance:
            return "类"
        if self.kuan is None or self.kuan.indent is None or indent <= self.kuan.indent + self.tolerance:
            return "款"
        return "项"

    def _tries(self, label: str, hint: str | None) -> list[tuple[str, Resolution]]:
        r, system = self.resolver, self.system
        tries: list[tuple[str, Resolution]] = []
        if hint in (None, "类"):
            tries.append(("类", r.resolve(label, level="类", system=system)))
        if hint in (None, "款"):
            if self.cls is not None and self.cls.code:
                tries.append(("款", r.resolve(label, parent=self.cls.code, level="款", system=system)))
            else:
                tries.append(("款", r.resolve(label, level="款", system=system)))
        if hint in (None, "项"):
            if self.kuan is not None and self.kuan.code:
                tries.append(("项", r.resolve(label, parent=self.kuan.code, level="项", system=system)))
            elif self.kuan is not None or self.cls is None or hint == "项":
                tries.append(("项", r.resolve(label, level="项", system=system)))
        return tries

    def resolve(self, label: str, indent: float) -> Resolution:
        key = label_key(label)
        if not key or han_count(key) == 0:
            return Resolution(None, None, None, "none", 0.0, "no label")
        if _TOTAL.search(key):
            self.cls = self.kuan = None
            return Resolution(None, None, None, "none", 0.0, "a total row")
        hint = self._hint(indent)
        tries = self._tries(label, hint)
        found = [(lvl, res) for lvl, res in tries if res.code]
        # An exact name beats a similar one.
        if any(res.match != "fuzzy" for _, res in found):
            found = [(lvl, res) for lvl, res in found if res.match != "fuzzy"]
        # A 类 or 款 is not followed by itself: a repeated name is the 项 below it (20199 -> 2019999).
        if len(found) > 1:
            found = [
                (lvl, res)
                for lvl, res in found
                if not (lvl == "类" and self.cls and res.code == self.cls.code)
                and not (lvl == "款" and self.kuan and res.code == self.kuan.code)
            ]
        codes = {res.code for _, res in found}
        if len(codes) == 1:
            level, res = found[0]
            self._accept(level, res.code, indent)
            return res
        self._unknown(hint, indent)
        if len(codes) > 1:
            return Resolution(None, None, None, "none", 0.0, f"ambiguous level: {', '.join(sorted(map(str, codes)))}")
        reasons = "; ".join(f"{lvl}: {res.reason}" for lvl, res in tries)
        return Resolution(None, None, None, "none", 0.0, reasons or "no code found")

    def _accept(self, level: str, code: str | None, indent: float) -> None:
        if level == "类":
            self.cls, self.kuan = _Anchor(code, indent), None
        elif level == "款":
            self.kuan = _Anchor(code, indent)

    def _unknown(self, hint: str | None, indent: float) -> None:
        if hint == "类":
            self.cls, self.kuan = _Anchor(None, indent), None
        elif hint == "款" or (hint is None and self.cls is not None):
            self.kuan = _Anchor(None, indent)
