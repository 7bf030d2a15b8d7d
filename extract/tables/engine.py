"""Entry point of table extraction: pdfplumber pages -> RawTables and coverage figures."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium

from extract.pdfium_page import read_page
from extract.tables.camelot_engine import camelot_grids
from extract.tables.grid import Grid
from extract.tables.quality import table_quality
from extract.tables.reader import TablePiece, page_to_pieces, piece_to_rows
from extract.tables.stitch import TableGroup, pieces_to_groups
from schemas.raw import RawColumn, RawRow, RawTable
from schemas.records import Provenance


@dataclass(frozen=True)
class TableResult:
    tables: tuple[RawTable, ...]
    numbers_total: int
    numbers_unused: tuple[str, ...]


# Below this quality, ``auto`` re-reads a table's pages with camelot and keeps the better.
FALLBACK_BELOW = 0.95

GridSource = Callable[[Any, int, list[dict[str, Any]]], list[Grid]]


def _read_pages(
    pdf: Any, pages: list[int], source: GridSource | None, overrides: dict[int, Any] | None = None
) -> tuple[list[TablePiece], list[str]]:
    """Pieces of every page. ``pdf`` is a PDFium document (fast path: characters and edges read
    by PDFium, grids by pdfplumber's table finder) or a pdfplumber PDF (full pdfminer parse)."""
    pieces: list[TablePiece] = []
    outside: list[str] = []
    header: tuple[RawColumn, ...] | None = None
    bounds: tuple[tuple[float, float, str], ...] | None = None
    for page_no in pages:
        if overrides and page_no in overrides:
            page = overrides[page_no]  # read from the page image (OCR)
        elif isinstance(pdf, pdfium.PdfDocument):
            page = read_page(pdf, page_no)
        else:
            page = pdf.pages[page_no - 1]
        try:
            new, page_outside = page_to_pieces(page, page_no, header, source, bounds)
        finally:
            # pdfplumber caches every object it parsed on the page; release it now.
            page.close()
        outside.extend(f"p{page_no}: {t} (outside any table)" for t in page_outside)
        for piece in new:
            if piece.layout is not None:
                header = piece.layout.columns
            bounds = piece.grid.col_bounds
        pieces.extend(new)
    return pieces, outside


def _build_tables(groups: list[TableGroup], file: str) -> list[tuple[RawTable, TableGroup]]:
    out = []
    for group in groups:
        head = group.head
        engine = head.grid.engine
        rows: list[RawRow] = []
        for piece in group.pieces:
            rows.extend(piece_to_rows(piece, file, len(rows) + 1, piece.grid.engine))
        notes = list(group.notes)
        if any(p.note for p in group.pieces):
            notes.append("empty-table note: " + " ".join(p.note for p in group.pieces if p.note))
        kind = head.title.kind if head.title else None
        table = RawTable(
            title=head.title.title if head.title else "",
            table_key=kind.key if kind else None,
            table_no=kind.table_no if kind else None,
            number_raw=head.number_raw,
            unit=next((p.unit for p in group.pieces if p.unit), None),
            pages=tuple(sorted({p.page for p in group.pieces})),
            columns=head.layout.columns if head.layout else (),
            rows=tuple(rows),
            engine=engine,
            quality=table_quality(group.pieces, rows),
            notes=tuple(notes),
            prov=Provenance(file, head.page, head.grid.bbox, engine),
        )
        out.append((table, group))
    return out


def _camelot_source(path: Path) -> GridSource:
    def source(page: Any, page_no: int, chars: list[dict[str, Any]]) -> list[Grid]:
        return camelot_grids(path, page_no, float(page.height), chars)

    return source


def extract_tables(
    pdf: Any,
    pages: list[int],
    file: str,
    engine: str = "auto",
    path: Path | None = None,
    overrides: dict[int, Any] | None = None,
) -> TableResult:
    """Tables on the given 1-based pages of an open PDF (PDFium or pdfplumber); pages are
    closed as read.

    ``engine``: pdfplumber, camelot, or auto (pdfplumber, and camelot for the tables whose
    quality is below FALLBACK_BELOW, keeping whichever reads better). camelot needs ``path``.
    """
    use_camelot = engine == "camelot" and path is not None
    pieces, outside = _read_pages(pdf, pages, _camelot_source(path) if use_camelot and path else None, overrides)
    built = _build_tables(pieces_to_groups(pieces), file)
    if engine == "auto" and path is not None:
        built, pieces, outside = _fallback(pdf, built, pieces, outside, file, path, frozenset(overrides or {}))
    tables = [t for t, _ in built]
    used_boxes: dict[int, list[tuple[float, float, float, float]]] = {}
    for table in tables:
        for row in table.rows:
            for cell in row.cells:
                if cell.prov.page is not None and cell.prov.bbox is not None:
                    used_boxes.setdefault(cell.prov.page, []).append(cell.prov.bbox)
    total = len(outside)
    unused = list(outside)
    for piece in pieces:
        boxes = used_boxes.get(piece.page, [])
        for bbox, text in piece.amount_cells:
            total += 1
            if bbox not in boxes:
                unused.append(f"p{piece.page}: {text}")
    return TableResult(tuple(tables), total, tuple(unused))


def _fallback(
    pdf: Any,
    built: list[tuple[RawTable, TableGroup]],
    pieces: list[TablePiece],
    outside: list[str],
    file: str,
    path: Path,
    ocr_pages: frozenset[int] = frozenset(),
) -> tuple[list[tuple[RawTable, TableGroup]], list[TablePiece], list[str]]:
    """Re-read the pages of low-quality tables with camelot; keep a page's camelot reading
    when the tables on it score better. Pages read by OCR are not re-read: camelot takes its
    text from the PDF's text layer, which such a page lacks or has garbled."""
    # Only the standard tables are validated this way: forms such as 绩效自评表 hold text and
    # scores in their grid and score low whatever engine reads them.
    weak_pages = sorted(
        {p for t, _ in built if t.table_key and t.quality < FALLBACK_BELOW for p in t.pages} - ocr_pages
    )
    if not weak_pages:
        return built, pieces, outside
    alt_pieces, alt_outside = _read_pages(pdf, weak_pages, _camelot_source(path))
    alt_built = _build_tables(pieces_to_groups(alt_pieces), file)

    def score(tables: list[RawTable]) -> float:
        return min((t.quality for t in tables), default=0.0)

    keep_alt: set[int] = set()
    for page in weak_pages:
        old = [t for t, _ in built if page in t.pages]
        new = [t for t, _ in alt_built if page in t.pages]
        if new and score(new) > score(old):
            keep_alt.add(page)
    if not keep_alt:
        return built, pieces, outside
    merged_pieces = [p for p in pieces if p.page not in keep_alt] + [p for p in alt_pieces if p.page in keep_alt]
    merged_pieces.sort(key=lambda p: (p.page, p.grid.bbox[1]))
    merged_outside = [o for o in outside if int(o[1:].split(":")[0]) not in keep_alt] + [
        o for o in alt_outside if int(o[1:].split(":")[0]) in keep_alt
    ]
    groups = pieces_to_groups(merged_pieces)
    for group in groups:
        if group.head.grid.engine == "camelot":
            group.notes.append(f"read with camelot: pdfplumber's reading of pages {sorted(keep_alt)} failed validation")
    return _build_tables(groups, file), merged_pieces, merged_outside
