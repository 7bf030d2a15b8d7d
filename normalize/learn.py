"""A corpus codebook: the (year, code, name) triples printed by processed documents.

``juesuan codes --learn`` feeds this the printed codes of a dataset. The result lists each code/name
pair with the years and documents that print it, says how it compares with the curated codebook, and
reports conflicts: one code printed with different names in one year, and different codes printed
with one name under the same parent in one year (行政运行 under two 款 is no conflict). Rows whose
codebook status is ``new`` are candidates for ``normalize/data/observed_codes.csv``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from normalize.codebook import by_code, level_of, system_of
from normalize.resolve import codebook_resolver, label_key
from normalize.text import han_count

LEARNED_COLUMNS = (
    "code", "level", "name", "valid_from", "valid_to", "source", "note",
    "system", "n_documents", "n_rows", "codebook",
)  # fmt: skip


@dataclass(frozen=True)
class PrintedPair:
    year: int | None
    code: str
    name: str
    document: str  # file name or doc id


@dataclass(frozen=True)
class LearnedCode:
    code: str
    name: str
    years: tuple[int, ...]
    documents: tuple[str, ...]
    n_rows: int
    codebook: str  # agrees / new / other-year name / contradicts: …

    def row(self) -> dict[str, str]:
        sources = ";".join(f"doc:{d}" for d in self.documents[:5])
        more = f" (+{len(self.documents) - 5} more documents)" if len(self.documents) > 5 else ""
        return {
            "code": self.code,
            "level": level_of(self.code) or "",
            "name": self.name,
            "valid_from": str(min(self.years)) if self.years else "",
            "valid_to": str(max(self.years)) if self.years else "",
            "source": sources,
            "note": f"printed with this code{more}",
            "system": system_of(self.code) or "",
            "n_documents": str(len(self.documents)),
            "n_rows": str(self.n_rows),
            "codebook": self.codebook,
        }


@dataclass(frozen=True)
class Conflict:
    kind: str  # code-names / name-codes
    year: int | None
    subject: str  # the code, or the name (with its parent)
    values: tuple[str, ...]  # the names, or the codes

    def message(self) -> str:
        what = "one code, several names" if self.kind == "code-names" else "one name, several codes"
        return f"{self.year or 'year unknown'}: {what}: {self.subject} -> {' | '.join(self.values)}"


def _status(code: str, name: str, years: Iterable[int | None]) -> str:
    if not by_code().get(code):
        return "new"
    checks = [codebook_resolver(y).check_printed(code, name) for y in sorted({y for y in years}, key=lambda y: y or 0)]
    disagreements = [c.disagreement for c in checks if c.disagreement]
    if disagreements:
        return f"contradicts: {disagreements[0]}"
    if any("lists" in c.reason for c in checks):
        return "other-year name"
    return "agrees"


def learn_codes(pairs: Iterable[PrintedPair]) -> tuple[list[LearnedCode], list[Conflict]]:
    """Group printed pairs by (code, name) and find the conflicts within each year. Pure."""
    groups: dict[tuple[str, str], list[PrintedPair]] = defaultdict(list)
    spelled: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for p in pairs:
        key = label_key(p.name)
        if not key or han_count(key) == 0 or system_of(p.code) is None or level_of(p.code) is None:
            continue
        groups[(p.code, key)].append(p)
        spelled[(p.code, key)][p.name] += 1
    learned: list[LearnedCode] = []
    for (code, key), found in sorted(groups.items()):
        years = tuple(sorted({p.year for p in found if p.year is not None}))
        docs = tuple(sorted({p.document for p in found}))
        name = spelled[(code, key)].most_common(1)[0][0]
        learned.append(LearnedCode(code, name, years, docs, len(found), _status(code, name, [p.year for p in found])))
    names_of_code: dict[tuple[int | None, str], set[str]] = defaultdict(set)
    codes_of_name: dict[tuple[int | None, str, str], set[str]] = defaultdict(set)
    for (code, key), found in groups.items():
        for p in found:
            names_of_code[(p.year, code)].add(spelled[(code, key)].most_common(1)[0][0])
            codes_of_name[(p.year, code[:-2] if len(code) > 3 else "", key)].add(code)
    conflicts = [
        Conflict("code-names", year, code, tuple(sorted(names)))
        for (year, code), names in sorted(names_of_code.items(), key=lambda kv: (kv[0][0] or 0, kv[0][1]))
        if len(names) > 1
    ]
    conflicts += [
        Conflict("name-codes", year, f"{key} (under {parent or 'no parent'})", tuple(sorted(codes)))
        for (year, parent, key), codes in sorted(codes_of_name.items(), key=lambda kv: (kv[0][0] or 0, kv[0][1:]))
        if len(codes) > 1
    ]
    return learned, conflicts
