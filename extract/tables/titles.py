"""Which table is this? Titles and aliases from the vocabulary; printed numbers recorded only.

Regions number their tables differently (公开06表 in one province is 公开07表 in another),
so the printed 公开NN表 label is kept as ``table_number_raw`` but identity comes from the title.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from normalize.text import fold_text, match_key
from schemas.vocab import TableKind, table_kinds

_NUMBER = re.compile(r"((?:公开|决算|预算|部门|附)\s*\d{1,2}\s*表|表\s*\d{1,2}(?:[-－]\d{1,2})?)")
# An unknown table is still a table when its title line ends with 表 and reads like one.
_GENERIC_TITLE = re.compile(r"^[^，。；：:]{4,40}(决算|预算|情况|明细|汇总|统计|自评)?表$")


@dataclass(frozen=True)
class TitleMatch:
    title: str  # as printed (folded)
    kind: TableKind | None
    number_raw: str | None
    line_index: int


@cache
def _alias_keys() -> list[tuple[str, TableKind]]:
    pairs = [(match_key(alias), kind) for kind in table_kinds() for alias in (kind.title, *kind.aliases)]
    # Longest alias first: 一般公共预算财政拨款基本支出决算表 must win over 基本支出表.
    return sorted(pairs, key=lambda p: -len(p[0]))


def kind_from_title(title: str) -> TableKind | None:
    key = match_key(title)
    for alias, kind in _alias_keys():
        if alias and alias in key:
            return kind
    return None


def number_from_text(text: str) -> str | None:
    m = _NUMBER.search(fold_text(text).replace(" ", ""))
    return m.group(1) if m else None


def find_titles(lines: list[str]) -> list[TitleMatch]:
    """Table titles among the text lines above or around a table. Pure."""
    out: list[TitleMatch] = []
    for i, raw in enumerate(lines):
        line = fold_text(raw).replace(" ", "")
        if not line or len(line) > 60:
            continue
        stripped = _NUMBER.sub("", line).strip()
        stripped = re.sub(r"^(附表|附件)\d*[:：、.]?", "", stripped)
        stripped = re.sub(r"^[一二三四五六七八九十]+[、.]", "", stripped)
        stripped = re.sub(r"^[:：、.．\s]+", "", stripped)
        # '…基本支出情况表（按经济分类科目）': a qualifier after the title.
        stripped = re.sub(r"[（(][^（）()]{1,20}[)）]$", "", stripped)
        kind = kind_from_title(stripped)
        if kind is not None and len(match_key(stripped)) <= len(match_key(kind.title)) + 14:
            out.append(TitleMatch(stripped, kind, number_from_text(line), i))
        elif _GENERIC_TITLE.match(stripped):
            out.append(TitleMatch(stripped, None, number_from_text(line), i))
    return out
