"""The curated codebooks (``normalize/data/*_codes.csv``), with the edition years of each name."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources

from normalize.text import match_key


@dataclass(frozen=True)
class CodeEntry:
    code: str
    system: str  # function / economic
    level: str  # 类 / 款 / 项
    name: str
    valid_from: int | None
    valid_to: int | None
    source: str

    def valid_in(self, year: int | None) -> bool:
        if year is None:
            return True
        return (self.valid_from is None or self.valid_from <= year) and (self.valid_to is None or year <= self.valid_to)


def _year(text: str) -> int | None:
    return int(text) if text.strip() else None


@cache
def entries() -> tuple[CodeEntry, ...]:
    out: list[CodeEntry] = []
    for system, name in (("function", "function_codes.csv"), ("economic", "economic_codes.csv")):
        text = resources.files("normalize").joinpath("data", name).read_text("utf-8")
        for row in csv.DictReader(text.splitlines()):
            out.append(
                CodeEntry(
                    row["code"], system, row["level"], row["name"],
                    _year(row["valid_from"]), _year(row["valid_to"]), row["source"],
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
        out.setdefault(match_key(e.name), []).append(e)
    return {k: tuple(v) for k, v in out.items()}


def names_of(code: str, year: int | None = None) -> list[str]:
    """Names the codebook knows for a code (valid in ``year`` first)."""
    found = by_code().get(code, ())
    valid = [e.name for e in found if e.valid_in(year)]
    return valid or [e.name for e in found]
