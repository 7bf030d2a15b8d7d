"""Entry point of table extraction: pdfplumber pages -> RawTables and coverage figures."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from extract.tables.reader import TablePiece, page_to_pieces, piece_to_rows
from extract.tables.stitch import pieces_to_groups
from schemas.raw import RawColumn, RawRow, RawTable
from schemas.records import Provenance


@dataclass(frozen=True)
class TableResult:
    tables: tuple[RawTable, ...]
    numbers_total: int
    numbers_unused: tuple[str, ...]


def _quality(rows_total: int, rows_with_label: int, columns: tuple[RawColumn, ...]) -> float:
    if rows_total == 0:
        return 0.0
    has_amount_col = any(c.role == "amount" for c in columns)
    return round((rows_with_label / rows_total) * (1.0 if has_amount_col else 0.5), 3)


def extract_tables(pdf: Any, pages: list[int], file: str) -> TableResult:
    """Tables on the given 1-based pages of an open pdfplumber PDF; pages are closed as read."""
    pieces: list[TablePiece] = []
    outside: list[str] = []
    header: tuple[RawColumn, ...] | None = None
    for page_no in pages:
        page = pdf.pages[page_no - 1]
        try:
            new, page_outside = page_to_pieces(page, page_no, header)
        finally:
            # pdfplumber caches every object it parsed on the page; release it now.
            page.close()
        outside.extend(f"p{page_no}: {t} (outside any table)" for t in page_outside)
        for piece in new:
            if piece.layout is not None:
                header = piece.layout.columns
        pieces.extend(new)

    tables: list[RawTable] = []
    used_boxes: dict[int, list[tuple[float, float, float, float]]] = {}
    for group in pieces_to_groups(pieces):
        head = group.head
        rows: list[RawRow] = []
        for piece in group.pieces:
            rows.extend(piece_to_rows(piece, file, len(rows) + 1, "pdfplumber"))
        for row in rows:
            for cell in row.cells:
                if cell.prov.page is not None and cell.prov.bbox is not None:
                    used_boxes.setdefault(cell.prov.page, []).append(cell.prov.bbox)
        columns = head.layout.columns if head.layout else ()
        notes = list(group.notes)
        if any(p.note for p in group.pieces):
            notes.append("empty-table note: " + " ".join(p.note for p in group.pieces if p.note))
        kind = head.title.kind if head.title else None
        title = head.title.title if head.title else ""
        tables.append(
            RawTable(
                title=title,
                table_key=kind.key if kind else None,
                table_no=kind.table_no if kind else None,
                number_raw=head.number_raw,
                unit=next((p.unit for p in group.pieces if p.unit), None),
                pages=tuple(sorted({p.page for p in group.pieces})),
                columns=columns,
                rows=tuple(rows),
                engine="pdfplumber",
                quality=_quality(len(rows), sum(1 for r in rows if r.label or any(r.code_parts)), columns),
                notes=tuple(notes),
                prov=Provenance(file, head.page, head.grid.bbox, "pdfplumber"),
            )
        )
    total = len(outside)
    unused = list(outside)
    for piece in pieces:
        boxes = used_boxes.get(piece.page, [])
        for bbox, text in piece.amount_cells:
            total += 1
            if bbox not in boxes:
                unused.append(f"p{piece.page}: {text}")
    return TableResult(tuple(tables), total, tuple(unused))
