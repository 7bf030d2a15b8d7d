"""One figure per document: a metric stated in the text, or a cell of an annex table.

A narrative often states the same figure more than once (in the overview, then in its own
section), and a table may repeat a 科目 row. The choice is explicit and reported: for facts the
value stated most often wins (ties: the earliest page); for cells the first row printed wins.
Any other value found is kept in ``others`` so a reader sees the disagreement.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any

import duckdb

from normalize.text import match_key


@dataclass(frozen=True)
class Figure:
    """The value of one document for one question, with where it was found."""

    doc_id: str
    value: Decimal
    unit: str  # yuan / percent / count / person / …
    source: str  # table / text
    pages: tuple[int, ...]
    code: str | None = None
    table_key: str | None = None
    evidence: tuple[str, ...] = ()  # sentences (text) or row labels (table)
    raw: tuple[str, ...] = ()  # values as printed
    others: tuple[Decimal, ...] = ()  # other values found for the same question


def _rows(cur: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    names = [d[0] for d in cur.description or []]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def facts_to_figure(rows: list[dict[str, Any]]) -> Figure:
    """The figure of one document from its fact rows (same metric, qualifier and code). Pure."""
    counts = Counter(r["value"] for r in rows)
    first_page: dict[Decimal, int] = {}
    for r in rows:
        page = r["page"] if r["page"] is not None else 1 << 30
        first_page[r["value"]] = min(first_page.get(r["value"], page), page)
    value = min(counts, key=lambda v: (-counts[v], first_page[v]))
    chosen = [r for r in rows if r["value"] == value]
    return Figure(
        doc_id=rows[0]["doc_id"],
        value=value,
        unit=chosen[0]["unit"],
        source="text",
        pages=tuple(sorted({r["page"] for r in chosen if r["page"] is not None})),
        code=chosen[0]["code"],
        evidence=tuple(dict.fromkeys(r["sentence"] for r in chosen)),
        raw=tuple(dict.fromkeys(r["value_raw"] for r in chosen if r["value_raw"])),
        others=tuple(sorted(v for v in counts if v != value)),
    )


def _location(cell: dict[str, Any]) -> str:
    """Where a cell is, written the way audit findings write their location."""
    where = cell["table_number_raw"] or cell["table_key"]
    return f"{where} {cell['code'] or cell['row_label']} / {cell['column_label_raw']}"


def cells_to_figure(rows: list[dict[str, Any]]) -> Figure:
    """The figure of one document from its cells (same table, row and column): the first printed. Pure."""
    ordered = sorted(rows, key=lambda r: (r["row_no"], r["page"]))
    first = ordered[0]
    return Figure(
        doc_id=first["doc_id"],
        value=first["amount_yuan"],
        unit="yuan",
        source="table",
        pages=(first["page"],),
        code=first["code"],
        table_key=first["table_key"],
        evidence=(_location(first),),
        raw=(first["value_raw"],),
        others=tuple(sorted({r["amount_yuan"] for r in ordered[1:]} - {first["amount_yuan"]})),
    )


def _group(rows: Iterable[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        out.setdefault(r["doc_id"], []).append(r)
    return out


def fact_figures(
    con: duckdb.DuckDBPyConnection, metric: str, qualifier: str, code: str | None = None
) -> dict[str, Figure]:
    """doc_id -> figure of ``metric``/``qualifier``; ``code`` None means facts without a code."""
    sql = "SELECT * FROM facts WHERE metric = ? AND qualifier = ? AND " + ("code = ?" if code else "code IS NULL")
    params = [metric, qualifier, *([code] if code else [])]
    groups = _group(_rows(con.execute(sql, params)))
    return {doc: facts_to_figure(rows) for doc, rows in groups.items()}


def cell_figures(
    con: duckdb.DuckDBPyConnection,
    table_key: str,
    column_key: str,
    *,
    code: str | None = None,
    row_labels: tuple[str, ...] = (),
) -> dict[str, Figure]:
    """doc_id -> figure of one cell per document.

    With ``code``: the row of that 科目 code. Without: the first uncoded row whose label is one
    of ``row_labels`` (matched by ``match_key``), or any uncoded row when ``row_labels`` is empty
    (公开13表 prints its single row without a label).
    """
    if code:
        rows = _rows(
            con.execute(
                "SELECT * FROM line_items WHERE table_key = ? AND column_key = ? AND code = ?",
                [table_key, column_key, code],
            )
        )
    else:
        rows = _rows(
            con.execute(
                "SELECT * FROM line_items WHERE table_key = ? AND column_key = ? AND code IS NULL",
                [table_key, column_key],
            )
        )
        if row_labels:
            keys = {match_key(label) for label in row_labels}
            rows = [r for r in rows if match_key(r["row_label"] or "") in keys]
    return {doc: cells_to_figure(group) for doc, group in _group(rows).items()}


@dataclass(frozen=True)
class MeasureSource:
    rank: int
    table_key: str | None
    row_labels: tuple[str, ...]
    column_key: str | None
    metric: str | None
    qualifier: str | None


@dataclass(frozen=True)
class Measure:
    """A question the report asks of every document, answered from the first source that has it."""

    key: str
    label: str
    sources: tuple[MeasureSource, ...]


@cache
def measures() -> dict[str, Measure]:
    """The measures of ``report/data/measures.csv``: table sources first, then the narrative."""
    text = resources.files("report").joinpath("data", "measures.csv").read_text(encoding="utf-8")
    grouped: dict[str, list[dict[str, str]]] = {}
    for row in csv.DictReader(text.splitlines()):
        grouped.setdefault(row["measure"], []).append(row)
    out = {}
    for key, rows in grouped.items():
        sources = tuple(
            sorted(
                (
                    MeasureSource(
                        rank=int(r["rank"]),
                        table_key=r["table_key"] or None,
                        row_labels=tuple(x for x in r["row_labels"].split("|") if x),
                        column_key=r["column_key"] or None,
                        metric=r["metric"] or None,
                        qualifier=r["qualifier"] or None,
                    )
                    for r in rows
                ),
                key=lambda s: s.rank,
            )
        )
        for s in sources:
            if not ((s.table_key and s.column_key) or (s.metric and s.qualifier)):
                raise ValueError(f"measures.csv: {key} rank {s.rank} names neither a table cell nor a fact")
        out[key] = Measure(key, rows[0]["label_zh"], sources)
    return out


def measure_figures(con: duckdb.DuckDBPyConnection, key: str) -> dict[str, Figure]:
    """doc_id -> figure of a measure, each document answered by its best-ranked source."""
    out: dict[str, Figure] = {}
    for source in measures()[key].sources:
        if source.table_key and source.column_key:
            found = cell_figures(con, source.table_key, source.column_key, row_labels=source.row_labels)
        else:
            assert source.metric and source.qualifier
            found = fact_figures(con, source.metric, source.qualifier)
        for doc, fig in found.items():
            out.setdefault(doc, fig)
    return out
