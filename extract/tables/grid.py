"""Page objects -> cell grids.

A grid is a matrix of cells with row/column spans, built from ruling edges (lines, thin
filled rectangles and curves: pdfplumber's ``page.edges`` includes all three) or, for
borderless tables, from the alignment of the text itself. Each cell's text is assembled from
the characters whose centres fall inside it, so a label wrapped over two or three lines in
one cell reads as one label and a number wrapped in a narrow cell as one number.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Any

from pdfplumber.table import TableFinder, TableSettings

from extract.geometry import cluster_values, group_lines, split_runs, text_from_chars

# Tolerances in PDF points. 3 pt: Excel and Word exports draw each border as two slightly
# offset strokes or as thin rectangles ~0.5–1 pt wide; joining within 3 pt merges them
# without merging neighbouring rows (the smallest row pitch seen in 决算 tables is ~12 pt).
LINE_SETTINGS: dict[str, Any] = {
    "vertical_strategy": "lines",
    "horizontal_strategy": "lines",
    "snap_tolerance": 3,
    "join_tolerance": 3,
    "intersection_tolerance": 3,
    "edge_min_length": 5,
}


@dataclass(frozen=True)
class GridCell:
    row: int
    col: int
    row_span: int
    col_span: int
    bbox: tuple[float, float, float, float]
    text: str
    first_x: float | None  # x0 of the first character (for indentation)


@dataclass(frozen=True)
class Grid:
    n_rows: int
    n_cols: int
    cells: tuple[GridCell, ...]
    bbox: tuple[float, float, float, float]
    engine: str
    # Column bounds (left, right, role) of a grid built from text alignment, so that a
    # continuation page without a header can be read in the same columns.
    col_bounds: tuple[tuple[float, float, str], ...] | None = None
    # Rows above the body when the engine knows them (header and 栏次 lines of a grid built
    # from text alignment); None: the layout finds them (rows above the first amount).
    n_head_rows: int | None = None

    def at(self, row: int, col: int) -> GridCell | None:
        for cell in self.cells:
            if cell.row <= row < cell.row + cell.row_span and cell.col <= col < cell.col + cell.col_span:
                return cell
        return None

    def matrix(self) -> list[list[GridCell | None]]:
        out: list[list[GridCell | None]] = [[None] * self.n_cols for _ in range(self.n_rows)]
        for cell in self.cells:
            for r in range(cell.row, cell.row + cell.row_span):
                for c in range(cell.col, cell.col + cell.col_span):
                    out[r][c] = cell
        return out


# Cells are looked up by the vertical band of a character's centre: a dense table page has
# ~1,000 cells and ~5,000 characters, and scanning every cell per character dominated the
# reading of such a page. 10 pt bands hold a row or two.
_BAND = 10.0


def _band_index(bboxes: list[tuple[float, float, float, float]]) -> dict[int, list[int]]:
    """Cell indices per vertical band, ascending (the first cell holding a point wins)."""
    bands: dict[int, list[int]] = {}
    for i, (_x0, top, _x1, bottom) in enumerate(bboxes):
        for band in range(int(top // _BAND), int(bottom // _BAND) + 1):
            bands.setdefault(band, []).append(i)
    return bands


def _cell_of(
    ch: dict[str, Any], bboxes: list[tuple[float, float, float, float]], bands: dict[int, list[int]]
) -> int | None:
    x = (ch["x0"] + ch["x1"]) / 2
    y = (ch["top"] + ch["bottom"]) / 2
    for i in bands.get(int(y // _BAND), ()):
        x0, top, x1, bottom = bboxes[i]
        if x0 <= x <= x1 and top <= y <= bottom:
            return i
    return None


_NUMBER_CHARS = set("0123456789.,-")


def _is_amount_chars(chars: list[dict[str, Any]]) -> bool:
    text = "".join(c["text"] for c in chars)
    return bool(re.fullmatch(r"-?\d[\d,]*(\.\d+)?", text)) and ("." in text or len(text) >= 3)


def _is_number_text(chars: list[dict[str, Any]]) -> bool:
    text = "".join(c["text"] for c in chars).strip()
    return bool(text) and all(c in "0123456789.,-—%()（）" for c in text)


def _runs_by_cell(
    chars: list[dict[str, Any]], bboxes: list[tuple[float, float, float, float]]
) -> dict[int, list[dict[str, Any]]]:
    """Characters per cell (index into ``bboxes``).

    A run of text that crosses a cell border without a gap is a label that overflows its
    cell: spreadsheet exports clip it only visually and keep its characters. Such overflow
    stays with the cell where the run began; a number after the border stays in its own cell.
    """
    out: dict[int, list[dict[str, Any]]] = {}
    bands = _band_index(bboxes)
    for line in group_lines(chars):
        for run in split_runs(line):
            segments: list[tuple[int | None, list[dict[str, Any]]]] = []
            for ch in run:
                cell = _cell_of(ch, bboxes, bands)
                if segments and segments[-1][0] == cell:
                    segments[-1][1].append(ch)
                else:
                    segments.append((cell, [ch]))
            owner: int | None = None
            prev_seg: list[dict[str, Any]] | None = None
            for cell, seg in segments:
                # Overflow continues the letter spacing of the run; centred text in the next
                # cell starts after a visible gap (cell padding) even when that gap is small.
                width = max(seg[0]["x1"] - seg[0]["x0"], 1.0)
                continuous = prev_seg is not None and seg[0]["x0"] - prev_seg[-1]["x1"] <= max(1.0, 0.2 * width)
                prev_seg = seg
                if (
                    owner is not None
                    and continuous
                    and not _is_number_text(seg)
                    and not _is_number_text(out.get(owner, []))
                ):
                    # Overflow of the label on the left. The cell's own number may be printed
                    # right after it, or even under it (the clipped glyphs interleave with the
                    # digits by x): the number's characters stay in this cell.
                    digits = [c for c in seg if c["text"] in _NUMBER_CHARS]
                    if cell is not None and _is_amount_chars(digits):
                        out[owner].extend(c for c in seg if c["text"] not in _NUMBER_CHARS)
                        out.setdefault(cell, []).extend(digits)
                    else:
                        out[owner].extend(seg)
                    continue
                if cell is None:
                    continue
                out.setdefault(cell, []).extend(seg)
                owner = cell
    return out


def cell_bboxes_to_grid(
    bboxes: list[tuple[float, float, float, float]], chars: list[dict[str, Any]], engine: str
) -> Grid | None:
    """Cell boxes (from any engine) + page characters -> a Grid with spans. Pure."""
    if not bboxes:
        return None
    xs = cluster_values([b[0] for b in bboxes] + [b[2] for b in bboxes], 2.0)
    ys = cluster_values([b[1] for b in bboxes] + [b[3] for b in bboxes], 2.0)
    if len(xs) < 2 or len(ys) < 2:
        return None

    def index(values: list[float], v: float) -> int:
        """The nearest of the sorted grid lines."""
        i = bisect.bisect_left(values, v)
        return min((j for j in (i - 1, i) if 0 <= j < len(values)), key=lambda j: abs(values[j] - v))

    cells = []
    seen: set[tuple[int, int]] = set()
    by_cell = _runs_by_cell(chars, bboxes)
    for i, b in enumerate(bboxes):
        c0, c1 = index(xs, b[0]), index(xs, b[2])
        r0, r1 = index(ys, b[1]), index(ys, b[3])
        if c1 <= c0 or r1 <= r0 or (r0, c0) in seen:
            continue
        seen.add((r0, c0))
        inside = by_cell.get(i, [])
        text = text_from_chars(inside)
        first_x = min((ch["x0"] for ch in inside), default=None)
        cells.append(GridCell(r0, c0, r1 - r0, c1 - c0, b, text, first_x))
    if not cells:
        return None
    x0 = min(b[0] for b in bboxes)
    top = min(b[1] for b in bboxes)
    x1 = max(b[2] for b in bboxes)
    bottom = max(b[3] for b in bboxes)
    return Grid(
        len(ys) - 1,
        len(xs) - 1,
        tuple(sorted(cells, key=lambda c: (c.row, c.col))),
        (x0, top, x1, bottom),
        engine,
    )


def _is_white(color: Any) -> bool:
    if color is None:
        return False
    values = color if isinstance(color, list | tuple) else [color]
    if len(values) == 4:  # CMYK: white is no ink
        return all(float(v) <= 0.02 for v in values)
    return bool(values) and all(float(v) >= 0.98 for v in values)


def is_invisible_rect(obj: dict[str, Any]) -> bool:
    """A white, unstroked rectangle: spreadsheet exports paint every cell background white,
    and those boxes would join the title and unit lines to the table grid."""
    return (
        obj.get("object_type") == "rect"
        and bool(obj.get("fill"))
        and not (obj.get("stroke") and not _is_white(obj.get("stroking_color")))
        and _is_white(obj.get("non_stroking_color"))
    )


def ruled_grids(page: Any, chars: list[dict[str, Any]]) -> list[Grid]:
    """Grids of the ruled tables on a pdfplumber page (lines, rectangles or curves)."""
    grids = []
    if hasattr(page, "filter"):  # a pdfplumber page
        tables = page.filter(lambda obj: not is_invisible_rect(obj)).find_tables(LINE_SETTINGS)
    else:  # a PDFium-read page: its edges already leave out invisible paths
        tables = TableFinder(page, TableSettings.resolve(LINE_SETTINGS)).tables
    for table in tables:
        # A clipped merged cell can reach far outside the page: keep the cells on the page.
        height = float(page.height)
        cells = [tuple(c) for c in table.cells if c[1] >= -1 and c[3] <= height + 1]
        grid = cell_bboxes_to_grid(cells, chars, "pdfplumber")
        # One row is enough: a table's last page may hold only its 总计 row.
        if grid is not None and grid.n_cols >= 2 and grid.n_rows >= 1:
            grids.append(grid)
    return grids
