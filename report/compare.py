"""Departments side by side for one figure: a narrative metric or a 科目 cell, with year-on-year.

Year-on-year comes from the dataset when it holds the same department's previous year (matched
by the folded department name and report type); otherwise from the change the document itself
states (facts qualifier ``yoy_change`` / ``yoy_pct``), marked ``stated``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import duckdb

from normalize.amounts import unit_factors
from normalize.codebook import names_of
from normalize.text import match_key
from report.figures import Figure, cell_figures, fact_figures
from report.flags import audit_mark, error_checks
from report.labels import column_label, metric_label, qualifier_label, table_label, unit_label
from report.selection import Selection, region_label, selected_documents
from schemas.vocab import metrics

DISPLAY_UNITS = ("万元", "元")
SORTS = ("value", "change", "change_pct", "per_person", "department", "year")
_COUNTED = {"count", "person", "person_time", "batch"}
_CENT = Decimal("0.01")
_TENTH = Decimal("0.1")


def default_qualifier(metric: str) -> str:
    """'actual' for amounts, rates and scores; 'count' for counted metrics such as staff_on_post."""
    m = metrics().get(metric)
    return "count" if m is not None and m.unit in _COUNTED else "actual"


@dataclass(frozen=True)
class CompareSpec:
    """What to compare: a facts metric (``metric``), or a 科目 cell (``code`` without ``metric``)."""

    metric: str | None = None
    qualifier: str = "actual"
    code: str | None = None
    table_key: str = "general_budget_expenditure"
    column_key: str = "total"
    display_unit: str = "万元"
    staff_metric: str = "staff_on_post"
    sort: str = "value"

    def __post_init__(self) -> None:
        if self.metric is None and self.code is None:
            raise ValueError("give a metric (--metric) or a 科目 code (--code)")
        if self.metric is not None and self.metric not in metrics():
            raise ValueError(f"unknown metric {self.metric!r}")
        if self.code is not None and not (self.code.isdigit() and len(self.code) in (3, 5, 7)):
            raise ValueError(f"a 科目 code has 3, 5 or 7 digits, not {self.code!r}")
        if self.display_unit not in DISPLAY_UNITS:
            raise ValueError(f"unit must be one of {DISPLAY_UNITS}")
        if self.sort not in SORTS:
            raise ValueError(f"sort must be one of {SORTS}")

    @property
    def from_facts(self) -> bool:
        return self.metric is not None


@dataclass(frozen=True)
class CompareRow:
    doc_id: str
    year: int | None
    department: str | None
    region: str
    report_type: str
    value: Decimal  # in the figure's unit (元 for amounts)
    unit: str
    prior_value: Decimal | None
    change: Decimal | None
    change_pct: Decimal | None
    change_source: str  # dataset / stated / ''
    staff: Decimal | None
    per_person: Decimal | None  # 元 per person
    pages: tuple[int, ...]
    audit: str
    others: tuple[Decimal, ...]
    rank: int | None = None


COLUMNS = (
    "year",
    "rank",
    "department",
    "region",
    "report_type",
    "value",
    "unit",
    "prior_value",
    "change",
    "change_pct",
    "change_source",
    "staff",
    "per_person_yuan",
    "pages",
    "audit",
    "other_values",
    "doc_id",
)
# The terminal table leaves out what only machines need.
TABLE_COLUMNS = tuple(c for c in COLUMNS if c not in ("unit", "doc_id"))


def department_key(doc: dict[str, Any]) -> tuple[str, str]:
    """The identity of a department across years: folded name and report type."""
    return match_key(doc.get("department") or ""), doc.get("report_type") or ""


def _pct(part: Decimal, whole: Decimal) -> Decimal | None:
    if whole == 0:
        return None
    return (part * 100 / abs(whole)).quantize(_TENTH, rounding=ROUND_HALF_UP)


def prior_documents(docs: list[dict[str, Any]], figures: Mapping[str, object]) -> dict[str, dict[str, Any]]:
    """doc_id -> the document of the same department one year earlier that has the figure."""
    by_key_year: dict[tuple[tuple[str, str], int], dict[str, Any]] = {}
    for doc in sorted(docs, key=lambda d: str(d.get("processed_at") or "")):
        if doc["doc_id"] in figures and doc.get("fiscal_year") is not None:
            by_key_year[(department_key(doc), doc["fiscal_year"])] = doc  # the latest processed wins
    out = {}
    for doc in docs:
        year = doc.get("fiscal_year")
        if year is None:
            continue
        prior = by_key_year.get((department_key(doc), year - 1))
        if prior is not None:
            out[doc["doc_id"]] = prior
    return out


def figures_to_rows(
    spec: CompareSpec,
    docs: list[dict[str, Any]],
    figures: dict[str, Figure],
    stated_change: dict[str, Figure],
    stated_pct: dict[str, Figure],
    staff: dict[str, Figure],
    checks: dict[str, list[dict[str, Any]]],
) -> list[CompareRow]:
    """Comparison rows for the documents that have the figure, sorted and ranked. Pure.

    ``docs`` must include the previous years of the requested ones (the year-on-year base).
    """
    prior_docs = prior_documents(docs, figures)
    rows = []
    for doc in docs:
        fig = figures.get(doc["doc_id"])
        if fig is None:
            continue
        prior_value = change = change_pct = None
        source = ""
        prior = prior_docs.get(doc["doc_id"])
        if prior is not None:
            prior_value = figures[prior["doc_id"]].value
            change = fig.value - prior_value
            change_pct = _pct(change, prior_value)
            source = "dataset"
        elif doc["doc_id"] in stated_change:
            change = stated_change[doc["doc_id"]].value
            prior_value = fig.value - change
            pct = stated_pct.get(doc["doc_id"])
            change_pct = plain(pct.value) if pct is not None else _pct(change, prior_value)
            source = "stated"
        headcount = staff.get(doc["doc_id"])
        per_person = None
        # Per person only for spent amounts: a budget or a change per person says little.
        spent = not spec.from_facts or spec.qualifier == "actual"
        if headcount is not None and headcount.value > 0 and fig.unit == "yuan" and spent:
            per_person = (fig.value / headcount.value).quantize(_CENT, rounding=ROUND_HALF_UP)
        rows.append(
            CompareRow(
                doc_id=doc["doc_id"],
                year=doc.get("fiscal_year"),
                department=doc.get("department"),
                region=region_label(doc),
                report_type=doc.get("report_type") or "",
                value=fig.value,
                unit=fig.unit,
                prior_value=prior_value,
                change=change,
                change_pct=change_pct,
                change_source=source,
                staff=plain(headcount.value) if headcount is not None else None,
                per_person=per_person,
                pages=fig.pages,
                audit=audit_mark(fig, doc, checks.get(doc["doc_id"], [])).label(),
                others=fig.others,
            )
        )
    return rank_rows(rows, spec.sort)


def _sort_value(row: CompareRow, sort: str) -> Decimal | None:
    return {
        "value": row.value,
        "change": row.change,
        "change_pct": row.change_pct,
        "per_person": row.per_person,
    }.get(sort)


def rank_rows(rows: list[CompareRow], sort: str) -> list[CompareRow]:
    """Rank by value within each year (1 = largest), then order. Pure.

    Numeric sorts: newest year first, largest first, rows without the value last. ``department``
    and ``year``: by department, newest year first (a department's history reads top-down).
    """
    ranked = []
    for row in rows:
        larger = {r.value for r in rows if r.year == row.year and r.value > row.value}
        ranked.append(replace(row, rank=1 + len(larger)))
    if sort in ("department", "year"):
        return sorted(ranked, key=lambda r: (r.department or "", -(r.year or 0)))

    def order(row: CompareRow) -> tuple[Any, ...]:
        v = _sort_value(row, sort)
        return (-(row.year or 0), v is None, -(v or 0), row.department or "")

    return sorted(ranked, key=order)


def compare(con: duckdb.DuckDBPyConnection, spec: CompareSpec, sel: Selection) -> list[CompareRow]:
    """The comparison over the documents of ``sel`` (year-on-year reads the previous years too)."""
    docs = selected_documents(con, sel.without_years())
    if spec.from_facts:
        assert spec.metric is not None
        figures = fact_figures(con, spec.metric, spec.qualifier, spec.code)
        stated_change: dict[str, Figure] = {}
        stated_pct: dict[str, Figure] = {}
        if spec.qualifier == "actual":
            stated_change = fact_figures(con, spec.metric, "yoy_change", spec.code)
            stated_pct = fact_figures(con, spec.metric, "yoy_pct", spec.code)
    else:
        assert spec.code is not None
        figures = cell_figures(con, spec.table_key, spec.column_key, code=spec.code)
        stated_change, stated_pct = {}, {}
    staff = fact_figures(con, spec.staff_metric, default_qualifier(spec.staff_metric))
    rows = figures_to_rows(spec, docs, figures, stated_change, stated_pct, staff, error_checks(con))
    if sel.years:
        rows = [r for r in rows if r.year in sel.years]
    return rows


def subject_name(con: duckdb.DuckDBPyConnection, code: str) -> str:
    """The name of a 科目 code as the documents print it most often, else the codebook's."""
    cur = con.execute("SELECT row_label FROM line_items WHERE code = ? AND row_label <> ''", [code])
    labels = Counter(r[0] for r in cur.fetchall())
    if labels:
        return labels.most_common(1)[0][0]
    names = names_of(code)
    return names[0] if names else ""


def title(con: duckdb.DuckDBPyConnection, spec: CompareSpec) -> str:
    """What the comparison shows, in words: '公务接待费 (three_public_reception) · 决算数'."""
    if spec.from_facts:
        assert spec.metric is not None
        text = f"{metric_label(spec.metric)} ({spec.metric}) · {qualifier_label(spec.qualifier)}"
        if spec.code:
            text += f" · {spec.code} {subject_name(con, spec.code)}"
        return text
    assert spec.code is not None
    return (
        f"{spec.code} {subject_name(con, spec.code)} · {table_label(spec.table_key)} · {column_label(spec.column_key)}"
    )


def plain(value: Decimal) -> Decimal:
    """A count or rate without trailing zeros, never in exponent form ('5', '99.8', '100')."""
    n = value.normalize()
    return n.quantize(Decimal(1)) if n.as_tuple().exponent > 0 else n  # type: ignore[operator]


def _in_unit(value: Decimal | None, unit: str, display_unit: str) -> Decimal | None:
    """Amounts (元) in the display unit rounded to the fen of that unit; other units as they are."""
    if value is None:
        return None
    if unit != "yuan":
        return plain(value)
    return (value / unit_factors()[display_unit]).quantize(_CENT, rounding=ROUND_HALF_UP)


def display_unit_of(rows: list[CompareRow], spec: CompareSpec) -> str:
    units = {r.unit for r in rows}
    if units <= {"yuan"}:
        return spec.display_unit
    return "/".join(sorted(unit_label(u) for u in units))


def row_values(row: CompareRow, spec: CompareSpec, columns: tuple[str, ...] = COLUMNS) -> list[Any]:
    """One output row in the order of ``columns``, amounts in the display unit."""
    unit = row.unit
    shown = spec.display_unit if unit == "yuan" else unit_label(unit)
    values = {
        "year": row.year,
        "rank": row.rank,
        "department": row.department,
        "region": row.region,
        "report_type": row.report_type,
        "value": _in_unit(row.value, unit, spec.display_unit),
        "unit": shown,
        "prior_value": _in_unit(row.prior_value, unit, spec.display_unit),
        "change": _in_unit(row.change, unit, spec.display_unit),
        "change_pct": row.change_pct,
        "change_source": row.change_source,
        "staff": row.staff,
        "per_person_yuan": row.per_person,
        "pages": ",".join(str(p) for p in row.pages),
        "audit": row.audit,
        "other_values": "; ".join(str(_in_unit(v, unit, spec.display_unit)) for v in row.others),
        "doc_id": row.doc_id,
    }
    return [values[c] for c in columns]
