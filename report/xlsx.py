"""The dataset as an Excel workbook: one sheet per table, Chinese headers, amounts in 万元.

Each data sheet has two frozen header rows (the Chinese header, then the dataset's column name
so a formula or a script can refer to it) and an auto-filter. Amount cells hold the exact value
in 万元 shown with two decimals. Sheets are streamed (openpyxl write-only), and a table longer
than Excel's row limit continues on a sheet named ``… (2)``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from normalize.amounts import unit_factors
from report.labels import (
    check_label,
    column_label,
    export_notes,
    header,
    metric_label,
    sheet_meaning,
    sheet_name,
    table_label,
    unit_label,
)
from schemas.arrow import TABLES, field_names

EXCEL_MAX_ROWS = 1_048_576
HEADER_ROWS = 2
AMOUNT_FORMAT = "#,##0.00"
_WAN = "万元"
_BATCH = 5000
_WIDTH_SAMPLE = 500

# Label columns added after the key they explain: (table, key column) -> (label column, labeller).
_LABELS: dict[tuple[str, str], tuple[str, Callable[[dict[str, Any]], str]]] = {
    ("line_items", "table_key"): ("table_label", lambda r: table_label(r["table_key"])),
    ("line_items", "column_key"): ("column_label", lambda r: column_label(r["column_key"])),
    ("facts", "metric"): ("metric_label", lambda r: metric_label(r["metric"])),
    ("facts", "value"): ("unit_label", lambda r: unit_label(r["unit"])),
    ("checks", "doc_id"): ("department", lambda r: r["doc_department"] or ""),
    ("checks", "check"): ("check_label", lambda r: check_label(r["check"])),
}
# Within a document: tables in their printed order, figures by page.
_ORDER = {
    "documents": "t.file_name",
    "line_items": "t.table_no NULLS LAST, t.row_no, t.page",
    "facts": "t.page NULLS LAST",
    "checks": "t.page NULLS LAST",
}


@dataclass(frozen=True)
class SheetColumn:
    name: str  # dataset column or derived label column
    header: str  # Chinese header
    amount: bool  # shown in 万元 with two decimals


def sheet_columns(table: str) -> list[SheetColumn]:
    """The columns of a table's sheet: schema order, each key followed by its label column."""
    out = []
    for name in field_names(table):
        amount = (table, name) in (("line_items", "amount_yuan"), ("facts", "value"))
        out.append(SheetColumn(name, header(table, name), amount))
        if (table, name) in _LABELS:
            label = _LABELS[(table, name)][0]
            out.append(SheetColumn(label, header(table, label), False))
    return out


def _to_wan(value: Decimal) -> float:
    return float(value / unit_factors()[_WAN])


_LABELLERS = {(table, label): f for (table, _key), (label, f) in _LABELS.items()}


def is_amount(table: str, column: SheetColumn, row: dict[str, Any]) -> bool:
    """Whether the cell is money (shown in 万元): line item amounts, and facts whose unit is yuan."""
    return column.amount and (table != "facts" or row.get("unit") == "yuan")


def cell_value(table: str, column: SheetColumn, row: dict[str, Any]) -> Any:
    """The value of one cell: labels looked up, amounts in 万元, datetimes without a zone. Pure."""
    labeller = _LABELLERS.get((table, column.name))
    if labeller is not None:
        return labeller(row)
    value = row.get(column.name)
    if value is None:
        return None
    if is_amount(table, column, row):
        return _to_wan(value)
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).replace(tzinfo=None)  # Excel has no time zones: UTC, as the header says
    return value


def _rows(con: duckdb.DuckDBPyConnection, table: str) -> Iterator[dict[str, Any]]:
    cur = con.execute(
        f"SELECT t.*, d.department AS doc_department FROM {table} t JOIN documents d ON t.doc_id = d.doc_id "
        "WHERE t.doc_id IN (SELECT doc_id FROM selected) "
        f"ORDER BY d.fiscal_year NULLS LAST, d.department NULLS LAST, d.doc_id, {_ORDER[table]}"
    )
    names = [d[0] for d in cur.description or []]
    while batch := cur.fetchmany(_BATCH):
        for r in batch:
            yield dict(zip(names, r, strict=True))


def _display_width(value: Any) -> int:
    text = f"{value:,.2f}" if isinstance(value, float) else str(value if value is not None else "")
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


class _SheetWriter:
    """Writes one table over as many sheets as Excel's row limit needs."""

    def __init__(self, wb: Workbook, table: str, max_rows: int) -> None:
        self.wb, self.table, self.max_rows = wb, table, max_rows
        self.columns = sheet_columns(table)
        self.sheets: list[tuple[str, int]] = []
        self._ws: WriteOnlyWorksheet | None = None
        self._n = 0
        self._widths: list[int] = []
        self._bold = Font(bold=True)
        self._fill = PatternFill("solid", fgColor="DDE7F0")
        self._key_font = Font(italic=True, color="666666", size=9)

    def _open(self) -> None:
        self._close()
        part = len(self.sheets) + 1
        title = sheet_name(self.table) + (f" ({part})" if part > 1 else "")
        ws = self.wb.create_sheet(title)
        for i, width in enumerate(self._widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = width
        ws.freeze_panes = f"A{HEADER_ROWS + 1}"
        top = []
        for c in self.columns:
            cell = WriteOnlyCell(ws, c.header)
            cell.font, cell.fill = self._bold, self._fill
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            top.append(cell)
        keys = []
        for c in self.columns:
            cell = WriteOnlyCell(ws, c.name)
            cell.font = self._key_font
            keys.append(cell)
        ws.append(top)
        ws.append(keys)
        self._ws, self._n = ws, 0
        self.sheets.append((title, 0))

    def _close(self) -> None:
        if self._ws is None:
            return
        last = get_column_letter(len(self.columns))
        self._ws.auto_filter.ref = f"A{HEADER_ROWS}:{last}{HEADER_ROWS + max(self._n, 1)}"
        self.sheets[-1] = (self.sheets[-1][0], self._n)
        self._ws = None

    def write(self, rows: Iterator[dict[str, Any]]) -> list[tuple[str, int]]:
        sample: list[list[tuple[Any, bool]]] = []
        for row in rows:
            sample.append(self._cells(row))
            if len(sample) >= _WIDTH_SAMPLE:
                break
        self._widths = [
            min(60, max(8, _display_width(c.header) // 2 + 2, *(_display_width(r[i][0]) + 2 for r in sample)))
            for i, c in enumerate(self.columns)
        ]
        self._open()
        for values in sample:
            self._append(values)
        for row in rows:
            self._append(self._cells(row))
        self._close()
        return self.sheets

    def _cells(self, row: dict[str, Any]) -> list[tuple[Any, bool]]:
        return [(cell_value(self.table, c, row), is_amount(self.table, c, row)) for c in self.columns]

    def _append(self, values: list[tuple[Any, bool]]) -> None:
        if self._n >= self.max_rows - HEADER_ROWS:
            self._open()
        assert self._ws is not None
        cells: list[Any] = []
        for v, amount in values:
            if amount and v is not None:
                cell = WriteOnlyCell(self._ws, v)
                cell.number_format = AMOUNT_FORMAT
                cells.append(cell)
            else:
                cells.append(v)
        self._ws.append(cells)
        self._n += 1


def write_workbook(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    *,
    about: list[tuple[str, str]],
    max_rows: int = EXCEL_MAX_ROWS,
) -> dict[str, list[tuple[str, int]]]:
    """Write the documents registered as ``selected`` to ``path``; returns table -> [(sheet, rows)].

    ``about`` are (label, value) lines for the first sheet (说明): where the data came from.
    """
    wb = Workbook(write_only=True)
    info = wb.create_sheet("说明")
    info.column_dimensions["A"].width = 16
    info.column_dimensions["B"].width = 90
    written = {table: _SheetWriter(wb, table, max_rows).write(_rows(con, table)) for table in TABLES}
    bold = Font(bold=True)
    for label, value in about:
        cell = WriteOnlyCell(info, label)
        cell.font = bold
        info.append([cell, value])
    info.append([])
    info.append([WriteOnlyCell(info, "工作表"), "内容"])
    for table in TABLES:
        for sheet, n in written[table]:
            info.append([sheet, f"{sheet_meaning(table)}（{n} 行）"])
    info.append([])
    for label, text in export_notes():
        info.append([label, text])
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    wb.save(tmp)
    tmp.replace(path)
    return written
