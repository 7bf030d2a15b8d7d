"""Which documents a reading command looks at: year, region, report type and department filters.

The filters are applied to the ``documents`` view in Python because names are matched through
``normalize.text.match_key`` (folded, without spaces and punctuation), so ``--department 绩效``
finds ``苍溪县目标绩效事务中心`` and ``--county 苍溪`` finds ``苍溪县``.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from typing import Any

import duckdb
import pyarrow as pa

from normalize.text import match_key

_FIRST_YEAR, _LAST_YEAR = 1990, 2100
# Failed documents carry no figures; they still count in the overview of the report.
FIGURE_STATUSES = ("ok", "partial")


@dataclass(frozen=True)
class Selection:
    """Document filters; empty fields select everything. Text filters match a substring of the
    folded value (``match_key``)."""

    years: tuple[int, ...] = ()
    province: str | None = None
    city: str | None = None
    county: str | None = None
    report_type: str | None = None
    department: str | None = None

    def __post_init__(self) -> None:
        for year in self.years:
            if not _FIRST_YEAR <= year <= _LAST_YEAR:
                raise ValueError(f"year {year} is outside {_FIRST_YEAR}–{_LAST_YEAR}")
        for name in ("province", "city", "county", "report_type", "department"):
            value = getattr(self, name)
            if value is not None and not match_key(value):
                raise ValueError(f"--{name.replace('_', '-')} is empty")

    def without_years(self) -> Selection:
        return Selection((), self.province, self.city, self.county, self.report_type, self.department)

    def describe(self) -> str:
        """The filters in words, for titles and the export's info sheet."""
        parts = []
        if self.years:
            parts.append("年度 " + "、".join(str(y) for y in sorted(self.years)))
        for label, value in (
            ("省", self.province),
            ("市", self.city),
            ("县", self.county),
            ("报告类型", self.report_type),
            ("部门", self.department),
        ):
            if value:
                parts.append(f"{label}含“{value}”")
        return "；".join(parts) if parts else "全部文件"


def add_selection_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("document filters")
    group.add_argument("--year", type=int, action="append", default=[], help="fiscal year (repeatable)")
    group.add_argument("--province", help="province name contains this text (e.g. 四川)")
    group.add_argument("--city", help="city name contains this text (e.g. 广元)")
    group.add_argument("--county", help="county name contains this text (e.g. 苍溪)")
    group.add_argument("--report-type", help="report type contains this text (e.g. 部门决算)")
    group.add_argument("--department", help="department name contains this text")


def selection_from_args(args: argparse.Namespace) -> Selection:
    """Raises ValueError with a message for the user when a filter is invalid."""
    return Selection(
        years=tuple(args.year),
        province=args.province,
        city=args.city,
        county=args.county,
        report_type=args.report_type,
        department=args.department,
    )


def _contains(value: str | None, wanted: str | None) -> bool:
    if wanted is None:
        return True
    return value is not None and match_key(wanted) in match_key(value)


def document_matches(doc: dict[str, Any], sel: Selection) -> bool:
    """Whether one documents row passes the filters. Pure."""
    if sel.years and doc.get("fiscal_year") not in sel.years:
        return False
    return (
        _contains(doc.get("province"), sel.province)
        and _contains(doc.get("city"), sel.city)
        and _contains(doc.get("county"), sel.county)
        and _contains(doc.get("report_type"), sel.report_type)
        and _contains(doc.get("department"), sel.department)
    )


def selected_documents(con: duckdb.DuckDBPyConnection, sel: Selection) -> list[dict[str, Any]]:
    """The committed documents rows passing the filters, ordered by year, department and file."""
    cur = con.execute("SELECT * FROM documents ORDER BY fiscal_year NULLS LAST, department NULLS LAST, file_name")
    names = [d[0] for d in cur.description or []]
    rows = [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
    return [r for r in rows if document_matches(r, sel)]


def register_selection(con: duckdb.DuckDBPyConnection, docs: list[dict[str, Any]], name: str = "selected") -> None:
    """Make the chosen doc_ids joinable in SQL as table ``name(doc_id)``."""
    con.register(name, pa.table({"doc_id": pa.array([d["doc_id"] for d in docs], pa.string())}))


def region_label(doc: dict[str, Any]) -> str:
    """'四川省 广元市 苍溪县' from the resolved parts; '' when none is known."""
    return " ".join(p for p in (doc.get("province"), doc.get("city"), doc.get("county")) if p)
