"""Budget completion by 科目: budget and actual per document and code, the stated rate beside the
recomputed one, and the corpus totals per code.

Sources: tables that print 预算数 and 决算数 columns for a coded row (regional variants of the
一般公共预算 tables), then the narrative's per-科目 sentences (metric
``general_budget_expenditure_subject``: budget, actual and completion_pct by code). A stated rate
that the stated amounts do not reproduce (a unit slip such as 全年预算为3元) marks the row, and a
marked row stays out of the corpus totals.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import duckdb

from report.figures import Figure, facts_to_figure

SUBJECT_METRIC = "general_budget_expenditure_subject"
_TENTH = Decimal("0.1")
_MIN_TOLERANCE = Decimal("0.1")  # percentage points, as the audit compares percentages


@dataclass(frozen=True)
class Completion:
    doc_id: str
    code: str
    budget: Decimal | None  # 元
    actual: Decimal | None  # 元
    stated_pct: Decimal | None
    stated_raw: str
    source: str  # table / text
    pages: tuple[int, ...]

    @property
    def computed_pct(self) -> Decimal | None:
        if self.budget is None or self.actual is None or self.budget == 0:
            return None
        return (self.actual * 100 / self.budget).quantize(_TENTH, rounding=ROUND_HALF_UP)

    @property
    def mismatch(self) -> bool:
        """The stated rate differs from actual / budget by more than its printed rounding."""
        computed = self.computed_pct
        if computed is None or self.stated_pct is None:
            return False
        return abs(computed - self.stated_pct) > stated_tolerance(self.stated_raw)


def stated_tolerance(raw: str) -> Decimal:
    """Half a unit of the last printed digit of a rate ('54%' -> 0.5, '99.7%' -> 0.05), at least 0.1 point."""
    m = re.search(r"\d+(?:\.(\d+))?", raw or "")
    decimals = len(m.group(1) or "") if m else 1
    return max(_MIN_TOLERANCE, Decimal(5) * Decimal(10) ** -(decimals + 1))


def _rows(cur: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    names = [d[0] for d in cur.description or []]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def table_completions(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], Completion]:
    """(doc_id, code) -> budget and actual from a coded table row printing both columns."""
    rows = _rows(
        con.execute(
            "SELECT doc_id, table_key, row_no, code, column_key, amount_yuan, page FROM line_items "
            "WHERE code IS NOT NULL AND column_key IN ('budget', 'actual') ORDER BY doc_id, table_no, row_no"
        )
    )
    by_row: dict[tuple[str, str | None, int, str], dict[str, Any]] = {}
    for r in rows:
        cell = by_row.setdefault((r["doc_id"], r["table_key"], r["row_no"], r["code"]), {"page": r["page"]})
        cell.setdefault(r["column_key"], r["amount_yuan"])
    out: dict[tuple[str, str], Completion] = {}
    for (doc, _table, _row, code), cell in by_row.items():
        if "budget" in cell and "actual" in cell and (doc, code) not in out:
            out[(doc, code)] = Completion(doc, code, cell["budget"], cell["actual"], None, "", "table", (cell["page"],))
    return out


def text_completions(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], Completion]:
    """(doc_id, code) -> budget, actual and stated rate from the per-科目 sentences."""
    rows = _rows(con.execute("SELECT * FROM facts WHERE metric = ? AND code IS NOT NULL", [SUBJECT_METRIC]))
    grouped: dict[tuple[str, str], dict[str, list[dict[str, Any]]]] = {}
    for r in rows:
        grouped.setdefault((r["doc_id"], r["code"]), {}).setdefault(r["qualifier"], []).append(r)
    out = {}
    for (doc, code), by_q in grouped.items():
        figs: dict[str, Figure] = {q: facts_to_figure(rs) for q, rs in by_q.items()}
        budget, actual, pct = figs.get("budget"), figs.get("actual"), figs.get("completion_pct")
        if budget is None and actual is None:
            continue
        pages = sorted({p for f in figs.values() for p in f.pages})
        out[(doc, code)] = Completion(
            doc,
            code,
            budget.value if budget else None,
            actual.value if actual else None,
            pct.value if pct else None,
            pct.raw[0] if pct and pct.raw else "",
            "text",
            tuple(pages),
        )
    return out


def completions(con: duckdb.DuckDBPyConnection, doc_ids: set[str]) -> list[Completion]:
    """Per document and code; amounts from a table when one prints them, the stated rate from the text."""
    table = table_completions(con)
    text = text_completions(con)
    out = []
    for key in sorted(set(table) | set(text)):
        if key[0] not in doc_ids:
            continue
        t, s = table.get(key), text.get(key)
        if t is not None:
            stated = (s.stated_pct, s.stated_raw) if s is not None else (None, "")
            out.append(Completion(t.doc_id, t.code, t.budget, t.actual, stated[0], stated[1], "table", t.pages))
        elif s is not None:
            out.append(s)
    return out


@dataclass(frozen=True)
class CodeTotal:
    code: str
    n_documents: int
    n_marked: int  # rows left out because their stated rate disagrees with their amounts
    budget: Decimal
    actual: Decimal

    @property
    def pct(self) -> Decimal | None:
        if self.budget == 0:
            return None
        return (self.actual * 100 / self.budget).quantize(_TENTH, rounding=ROUND_HALF_UP)


def code_totals(rows: list[Completion]) -> list[CodeTotal]:
    """Σ budget and Σ actual per code over rows with both amounts and no mismatch; largest budget first. Pure."""
    acc: dict[str, list[Completion]] = {}
    for r in rows:
        acc.setdefault(r.code, []).append(r)
    out = []
    for code, group in acc.items():
        usable = [r for r in group if r.budget is not None and r.actual is not None and not r.mismatch]
        out.append(
            CodeTotal(
                code=code,
                n_documents=len({r.doc_id for r in group}),
                n_marked=sum(1 for r in group if r.mismatch),
                budget=sum((r.budget for r in usable if r.budget is not None), Decimal(0)),
                actual=sum((r.actual for r in usable if r.actual is not None), Decimal(0)),
            )
        )
    return sorted(out, key=lambda t: (-t.budget, t.code))
