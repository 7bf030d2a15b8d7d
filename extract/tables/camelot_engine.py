"""The second table engine: camelot's lattice reader, turned into the same grids.

camelot finds rules in a rendered image of the page, so it recovers tables whose vector rules
pdfplumber cannot join (broken or overdrawn borders). It is an order of magnitude slower, so
``auto`` uses it only for tables that fail validation. Its cells are in PDF space (origin at the
bottom left); merged cells are cells without an edge between them.
"""

from __future__ import annotations

import logging
import warnings
from pathlib import Path
from typing import Any

from extract.tables.grid import Grid, cell_bboxes_to_grid


def _merged_boxes(table: Any, page_height: float) -> list[tuple[float, float, float, float]]:
    """Union of camelot cells not separated by an edge, as (x0, top, x1, bottom) boxes."""
    rows, cols = len(table.cells), len(table.cells[0]) if table.cells else 0
    parent = list(range(rows * cols))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for r in range(rows):
        for c in range(cols):
            cell = table.cells[r][c]
            if c + 1 < cols and not cell.right:
                parent[find(r * cols + c)] = find(r * cols + c + 1)
            if r + 1 < rows and not cell.bottom:
                parent[find(r * cols + c)] = find((r + 1) * cols + c)
    groups: dict[int, list[Any]] = {}
    for r in range(rows):
        for c in range(cols):
            groups.setdefault(find(r * cols + c), []).append(table.cells[r][c])
    boxes = []
    for cells in groups.values():
        x0 = min(cell.x1 for cell in cells)
        x1 = max(cell.x2 for cell in cells)
        top = page_height - max(cell.y2 for cell in cells)
        bottom = page_height - min(cell.y1 for cell in cells)
        boxes.append((x0, top, x1, bottom))
    return boxes


def camelot_grids(path: Path, page_no: int, page_height: float, chars: list[dict[str, Any]]) -> list[Grid]:
    """Grids camelot's lattice flavour finds on one page (1-based)."""
    import camelot  # imported lazily: it pulls in OpenCV

    logging.getLogger("camelot").setLevel(logging.ERROR)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # camelot warns on pages without tables
        tables = camelot.read_pdf(str(path), pages=str(page_no), flavor="lattice")
    grids = []
    for table in tables:
        grid = cell_bboxes_to_grid(_merged_boxes(table, page_height), chars, "camelot")
        if grid is not None and grid.n_cols >= 2 and grid.n_rows >= 2:
            grids.append(grid)
    return grids
