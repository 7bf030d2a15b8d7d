"""One table page -> table pieces (grid, layout, title, unit), and pieces -> raw rows."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from extract.geometry import group_lines, line_text, split_runs
from extract.tables.grid import Grid, GridCell, ruled_grids
from extract.tables.layout import Layout, grid_to_layout
from extract.tables.titles import TitleMatch, find_titles, number_from_text
from extract.tables.words import borderless_grid, tail_grid
from normalize.amounts import parse_amount, unit_from_text
from normalize.text import fold_text
from schemas.raw import RawCell, RawColumn, RawRow
from schemas.records import Provenance

_EMPTY_NOTE = re.compile(r"(无|没有)[^。]{0,30}(收入|支出|数据|经费)|空表|本表无数据")


@dataclass(frozen=True)
class TablePiece:
    page: int
    grid: Grid
    layout: Layout | None
    title: TitleMatch | None
    number_raw: str | None
    unit: str | None
    note: str  # an empty-table note printed with the table
    above_text: str
    amount_cells: tuple[tuple[tuple[float, float, float, float], str], ...]  # for table_coverage


# Amount-like text for coverage: decimals, or thousands-separated integers. Plain small
# integers are 栏次 numbers, years or counts and are not counted.
AMOUNT_LIKE = re.compile(r"^-?(\d{1,3}(,\d{3})+(\.\d+)?|\d+\.\d+)$")


def _amount_like(text: str) -> bool:
    return bool(AMOUNT_LIKE.match(fold_text(text).replace(" ", "")))


def outside_amounts(chars: list[dict[str, Any]], grids: list[Grid]) -> list[str]:
    """Amount-like runs of text outside every grid on the page."""

    def inside(c: dict[str, Any], g: Grid) -> bool:
        x, y = (c["x0"] + c["x1"]) / 2, (c["top"] + c["bottom"]) / 2
        return g.bbox[0] <= x <= g.bbox[2] and g.bbox[1] <= y <= g.bbox[3]

    outside = [c for c in chars if not any(inside(c, g) for g in grids)]
    out = []
    for line in group_lines(outside):
        for run in split_runs(line):
            text = "".join(c["text"] for c in run)
            if _amount_like(text):
                out.append(text)
    return out


_NOT_AMOUNT_ROLES = ("index", "score", "code", "code_class", "code_kuan", "code_xiang")


def _amount_cells(grid: Grid, layout: Layout | None) -> tuple[tuple[tuple[float, float, float, float], str], ...]:
    """Amount-like cells of a grid for table_coverage: not in 栏次, score or code columns."""
    skip = {c.index for c in layout.columns if c.role in _NOT_AMOUNT_ROLES} if layout else set()
    return tuple((c.bbox, c.text) for c in grid.cells if _amount_like(c.text) and c.col not in skip)


def _is_title_block_line(text: str) -> bool:
    folded = fold_text(text).replace(" ", "")
    return bool(number_from_text(folded)) or (("：" in folded or ":" in folded) and not _amount_like(folded))


def _text_lines(chars: list[dict[str, Any]]) -> list[tuple[float, float, str]]:
    return [
        (min(c["top"] for c in line), max(c["bottom"] for c in line), line_text(line)) for line in group_lines(chars)
    ]


def page_to_pieces(
    page: Any,
    page_no: int,
    previous_header: tuple[RawColumn, ...] | None,
    grid_source: Callable[[Any, int, list[dict[str, Any]]], list[Grid]] | None = None,
    previous_bounds: tuple[tuple[float, float, str], ...] | None = None,
) -> tuple[list[TablePiece], list[str]]:
    """Read the tables of one pdfplumber page; also the amounts printed outside them.

    ``grid_source`` finds the ruled grids (default: pdfplumber's own edges); a page without
    ruled grids is read by text alignment."""
    chars = [c for c in page.chars if c["text"].strip()]
    lines = _text_lines(chars)
    found = grid_source(page, page_no, chars) if grid_source else ruled_grids(page, chars)
    grids = sorted(found, key=lambda g: g.bbox[1])
    if not grids:
        # No ruled table: read the page below its title (or from the top) by text alignment.
        title_bottom = 0.0
        for _top, bottom, text in lines:
            # The title block: the title, its 公开NN表 label, the unit and 单位名称 lines.
            if find_titles([text]) or unit_from_text(text) or (title_bottom and _is_title_block_line(text)):
                title_bottom = bottom
            elif title_bottom:
                break
        region = (0.0, title_bottom + 0.5, float(page.width), float(page.height))
        grid = borderless_grid(chars, region, None if title_bottom else previous_bounds)
        if grid is not None:
            grids = [grid]
    pieces: list[TablePiece] = []
    prev_bottom = 0.0
    for grid in grids:
        above = [t for (top, bottom, t) in lines if prev_bottom - 1 <= top and bottom <= grid.bbox[1] + 1]
        inside_top = [t for (top, bottom, t) in lines if grid.bbox[1] <= top and bottom <= grid.bbox[3] + 1][:3]
        titles = find_titles(above) or find_titles(inside_top)  # an outer border may enclose the title
        title = titles[-1] if titles else None
        if not above and title is not None:
            above = inside_top
        above_text = "\n".join(above)
        unit = unit_from_text(above_text)
        number = number_from_text(above_text)
        layout = grid_to_layout(grid, None if title else previous_header)
        inside = [t for (top, bottom, t) in lines if grid.bbox[1] <= top and bottom <= grid.bbox[3] + 1]
        note_text = " ".join(t for t in inside if _EMPTY_NOTE.search(fold_text(t)))
        if unit is None:
            unit = unit_from_text("\n".join(inside[:3]))
        amount_cells = _amount_cells(grid, layout)
        pieces.append(TablePiece(page_no, grid, layout, title, number, unit, note_text, above_text, amount_cells))
        if layout is not None:
            previous_header = layout.columns
        prev_bottom = grid.bbox[3]
        if layout is not None and grid.engine != "words":
            next_top = min((g.bbox[1] for g in grids if g.bbox[1] > grid.bbox[3]), default=float(page.height))
            tail = tail_grid(chars, grid, [c.role for c in layout.columns], next_top)
            tail_layout = grid_to_layout(tail, layout.columns) if tail is not None else None
            if tail is not None and tail_layout is not None:
                cells = tuple((c.bbox, c.text) for c in tail.cells if _amount_like(c.text))
                pieces.append(TablePiece(page_no, tail, tail_layout, None, None, unit, "", "", cells))
                prev_bottom = tail.bbox[3]
    return pieces, outside_amounts(chars, [p.grid for p in pieces])


def _cell_text(cell: GridCell | None) -> str:
    return fold_text(cell.text) if cell is not None else ""


def piece_to_rows(piece: TablePiece, file: str, first_row_no: int, engine: str) -> list[RawRow]:
    """Data rows of one piece, one RawRow per side with at least one non-blank amount cell."""
    if piece.layout is None:
        return []
    columns = piece.layout.columns
    sides = sorted({c.side for c in columns})
    rows: list[RawRow] = []
    row_no = first_row_no
    for data in piece.layout.data_rows:
        per_side: list[tuple[int, str, tuple[str, ...], float, list[RawCell]]] = []
        for side in sides:
            cols = [c for c in columns if c.side == side]
            label_cells = [data.cells[c.index] for c in cols if c.role == "label"]
            code_cols = [c for c in cols if c.role.startswith("code")]
            code_cells = [data.cells[c.index] for c in code_cols]
            seen: set[int] = set()
            label_parts: list[str] = []
            stray: list[tuple[int, GridCell]] = []  # amounts printed in a label column (forms)
            for col, cell in zip([c for c in cols if c.role == "label"], label_cells, strict=True):
                if cell is not None and id(cell) not in seen:
                    seen.add(id(cell))
                    if label_parts and _amount_like(cell.text):
                        stray.append((col.index, cell))
                    else:
                        label_parts.append(_cell_text(cell))
            code_parts = []
            for cell in code_cells:
                text = _cell_text(cell)
                if cell is not None and id(cell) in seen:
                    text = ""
                elif cell is not None:
                    seen.add(id(cell))
                if text and not re.fullmatch(r"\d+", text.replace(" ", "")):
                    # A merged label over the code columns (合计, 类 names in some layouts).
                    label_parts.insert(0, text)
                    text = ""
                code_parts.append(text.replace(" ", ""))
            label = "".join(p for p in label_parts if p)
            cells = []
            for col in cols:
                if col.role != "amount":
                    continue
                cell = data.cells[col.index]
                if cell is None or id(cell) in seen:
                    continue
                seen.add(id(cell))
                text = cell.text.strip()
                if not text or parse_amount(text) is None:
                    continue
                cells.append(RawCell(text, col.index, Provenance(file, piece.page, cell.bbox, engine)))
            for index, cell in stray:
                cells.append(RawCell(cell.text.strip(), index, Provenance(file, piece.page, cell.bbox, engine)))
            first_label = next((c for c in label_cells if c is not None), None)
            indent = 0.0
            if first_label is not None and first_label.first_x is not None:
                indent = first_label.first_x - first_label.bbox[0]
            per_side.append((side, label, tuple(code_parts), indent, cells))
        bbox = _row_bbox(data.cells)
        for side, label, codes, indent, cells in _merged_labels_to_amounts(per_side):
            if not cells:
                continue
            rows.append(
                RawRow(row_no, side, label, codes, indent, tuple(cells), Provenance(file, piece.page, bbox, engine))
            )
            row_no += 1
    return rows


def _merged_labels_to_amounts(
    per_side: list[tuple[int, str, tuple[str, ...], float, list[RawCell]]],
) -> list[tuple[int, str, tuple[str, ...], float, list[RawCell]]]:
    """A label with no amounts beside a side with amounts and no label is one merged cell
    ('公用经费合计' centred over the 公用经费 columns of a 基本支出 table): it labels them. Pure."""
    out = list(per_side)
    for i in range(1, len(out)):
        side, label, codes, _indent, cells = out[i]
        p_side, p_label, p_codes, p_indent, p_cells = out[i - 1]
        if cells and not label and not any(codes) and p_label and not p_cells:
            out[i] = (side, p_label, p_codes, p_indent, cells)
            out[i - 1] = (p_side, "", p_codes, p_indent, p_cells)
    return out


def _row_bbox(cells: tuple[GridCell | None, ...]) -> tuple[float, float, float, float] | None:
    boxes = [c.bbox for c in cells if c is not None]
    if not boxes:
        return None
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )
