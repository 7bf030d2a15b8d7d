"""The codebooks in ``normalize/data``: 科目 names with the years each name is vouched for.

Three files hold names: ``function_codes.csv`` and ``economic_codes.csv`` (compiled from the
published editions) and ``observed_codes.csv`` (code/name pairs printed by real documents, for codes
the editions reviewed do not list). ``item_suffixes.csv`` holds the 项 suffix conventions and
``ocr_confusions.csv`` the glyphs OCR mistakes for one another. CODEBOOK.md describes them.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources

from normalize.text import match_key

LEVEL_OF_LENGTH = {3: "类", 5: "款", 7: "项"}
LENGTH_OF_LEVEL = {v: k for k, v in LEVEL_OF_LENGTH.items()}


@dataclass(frozen=True)
class CodeEntry:
    code: str
    system: str  # function / economic
    level: str  # 类 / 款 / 项
    name: str
    valid_from: int | None
    valid_to: int | None
    source: str
    note: str = ""
    origin: str = "edition"  # edition (a published edition) / observed (printed by a real document)

    @property
    def key(self) -> str:
        return _key(self.name)

    def valid_in(self, year: int | None) -> bool:
        if year is None:
            return True
        return (self.valid_from is None or self.valid_from <= year) and (self.valid_to is None or year <= self.valid_to)

    @property
    def years(self) -> str:
        """The span the row vouches for, as a person reads it: '2019–', '–2018', '2024–2026', 'all'."""
        if self.valid_from is None and self.valid_to is None:
            return "all"
        if self.valid_from == self.valid_to:
            return str(self.valid_from)
        return f"{self.valid_from or ''}–{self.valid_to or ''}"


@dataclass(frozen=True)
class SuffixRule:
    """A 项 suffix convention: the last two digits a 项 of this name takes under a 款."""

    suffix: str
    name_pattern: str  # 行政运行, or 其他{款名}支出
    certainty: str  # certain (for the 款 in certain_for) / default (a strong default, not a guarantee)
    certain_for: frozenset[str]
    except_for: frozenset[str]
    source: str


@cache
def _key(name: str) -> str:
    return match_key(name)


def system_of(code: str) -> str | None:
    """功能分类 codes start with 2; 部门 (3xx) and 政府 (5xx) 经济分类 codes are economic."""
    if code[:1] == "2":
        return "function"
    if code[:1] in ("3", "5"):
        return "economic"
    return None


def level_of(code: str) -> str | None:
    return LEVEL_OF_LENGTH.get(len(code))


def _year(text: str) -> int | None:
    return int(text) if text.strip() else None


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files("normalize").joinpath("data", name).read_text("utf-8")
    return list(csv.DictReader(text.splitlines()))


@cache
def entries() -> tuple[CodeEntry, ...]:
    out: list[CodeEntry] = []
    files = (("function_codes.csv", "edition"), ("economic_codes.csv", "edition"), ("observed_codes.csv", "observed"))
    for file_name, origin in files:
        for row in _rows(file_name):
            code = row["code"]
            system = system_of(code)
            if system is None or LEVEL_OF_LENGTH.get(len(code)) != row["level"]:
                raise ValueError(f"{file_name}: code {code} does not fit level {row['level']}")
            out.append(
                CodeEntry(
                    code, system, row["level"], row["name"], _year(row["valid_from"]), _year(row["valid_to"]),
                    row["source"], row.get("note") or "", origin,
                )
            )  # fmt: skip
    return tuple(out)


@cache
def by_code() -> dict[str, tuple[CodeEntry, ...]]:
    out: dict[str, list[CodeEntry]] = {}
    for e in entries():
        out.setdefault(e.code, []).append(e)
    return {k: tuple(v) for k, v in out.items()}


@cache
def by_name_key() -> dict[str, tuple[CodeEntry, ...]]:
    out: dict[str, list[CodeEntry]] = {}
    for e in entries():
        out.setdefault(e.key, []).append(e)
    return {k: tuple(v) for k, v in out.items()}


@cache
def children_of(parent: str) -> tuple[CodeEntry, ...]:
    """Entries one level below ``parent`` ('' for the 类)."""
    length = len(parent) + 2 if parent else 3
    return tuple(e for e in entries() if len(e.code) == length and e.code.startswith(parent))


def names_of(code: str, year: int | None = None) -> list[str]:
    """Names the codebook knows for a code (valid in ``year`` first)."""
    found = by_code().get(code, ())
    valid = [e.name for e in found if e.valid_in(year)]
    return valid or [e.name for e in found]


def code_alive(code: str, year: int | None) -> bool:
    """Whether the codebook vouches that ``code`` existed in ``year``: a row is valid then, or the
    year falls in a gap between two rows of the same code (the code existed on both sides)."""
    found = by_code().get(code, ())
    if not found:
        return False
    if year is None or any(e.valid_in(year) for e in found):
        return True
    before = any(e.valid_to is not None and e.valid_to < year for e in found)
    after = any(e.valid_from is not None and e.valid_from > year for e in found)
    return before and after


@cache
def suffix_rules() -> tuple[SuffixRule, ...]:
    def codes(text: str) -> frozenset[str]:
        return frozenset(c.strip() for c in text.split(";") if c.strip())

    return tuple(
        SuffixRule(
            r["suffix"], r["name_pattern"], r["certainty"], codes(r["certain_for"]), codes(r["except_for"]), r["source"]
        )
        for r in _rows("item_suffixes.csv")
    )


@cache
def ocr_confusions() -> dict[str, str]:
    return {r["char"]: r["canonical"] for r in _rows("ocr_confusions.csv")}
