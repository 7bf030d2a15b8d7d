"""Tables from the alignment of text alone: borderless tables and rows that lost their rules.

Amounts in 决算 tables are right-aligned, so the right edges of amount-like runs cluster into
columns even where no vertical rule is drawn. Everything left of the first amount column is
the label zone: leading runs of digits there are code columns (one 7-digit column or split
类 | 款 | 项), the rest is the label. Lines above the first amount line are header levels.
A label-only line (a label wrapped over two or three lines, or an amount vertically centred
between label lines) joins the nearest amount line.
"""

from __future__ import annotations

import re
from typing import Any

from extract.geometry import cluster_values, group_lines, split_runs
from extract.tables.grid import Grid, GridCell
from normalize.text import fold_text

_AMOUNT = re.compile(r"^-?(\d{1,3}(,\d{3})+(\.\d+)?|\d+(\.\d+)?)$|^[-—–]$")
_CODE = re.compile(r"^\d{2,7}$|^\[\d{3,7}\]$")
# Right edges of amounts in one column differ by glyph metrics only; 4 pt keeps neighbouring
# columns (at least ~40 pt apart in every layout seen) apart.
_RIGHT_EDGE_TOLERANCE = 4.0

Run = dict[str, Any]


def _runs(chars: list[dict[str, Any]]) -> list[list[Run]]:
    out = []
    for line in group_lines(chars):
        runs = []
        for run in split_runs(line, gap_factor=0.6, min_gap=2.5):
            text = "".join(c["text"] for c in run).strip()
            if text:
                runs.append({
                    "text": text, "x0": run[0]["x0"], "x1": run[-1]["x1"],
                    "top": min(c["top"] for c in run), "bottom": max(c["bottom"] for c in run),
                })  # fmt: skip
        if runs:
            out.append(runs)
    return out


def _is_amount(text: str) -> bool:
    return bool(_AMOUNT.match(fold_text(text).replace(" ", "")))


def _is_data_line(runs: list[Run], label_right: float | None) -> bool:
    amounts = [r for r in runs if (_is_amount(r["text"]) and "." in r["text"]) or r["text"] in ("-", "—")]
    return bool(amounts) and (label_right is None or any(r["x0"] > label_right for r in amounts))


def borderless_grid(chars: list[dict[str, Any]], bbox: tuple[float, float, float, float]) -> Grid | None:
    """A grid for the text inside ``bbox`` (a page region below a table title). Pure."""
    x0, top, x1, bottom = bbox
    inside = [c for c in chars if x0 <= c["x0"] and c["x1"] <= x1 + 1 and top <= c["top"] and c["bottom"] <= bottom + 1]
    lines = _runs(inside)
    data_idx = [i for i, runs in enumerate(lines) if _is_data_line(runs, None)]
    if len(data_idx) < 2:
        return None
    amount_runs = [
        r for i in data_idx for r in lines[i] if _is_amount(r["text"]) and not _CODE.match(r["text"].replace(" ", ""))
    ]
    anchors = [a for a in cluster_values([r["x1"] for r in amount_runs], _RIGHT_EDGE_TOLERANCE)
               if sum(1 for r in amount_runs if abs(r["x1"] - a) <= _RIGHT_EDGE_TOLERANCE) >= 2]  # fmt: skip
    if not anchors:
        return None
    first_left = min(r["x0"] for r in amount_runs if abs(r["x1"] - anchors[0]) <= _RIGHT_EDGE_TOLERANCE) - 2
    # Code columns: digit-only runs at the start of data lines, clustered by left edge.
    code_runs = [lines[i][0] for i in data_idx if _CODE.match(lines[i][0]["text"].replace(" ", ""))
                 and lines[i][0]["x1"] < first_left]  # fmt: skip
    code_lefts = cluster_values([r["x0"] for r in code_runs], 6.0) if len(code_runs) >= 2 else []
    bounds: list[tuple[float, float, str]] = []  # (left, right, role)
    left = x0 - 1
    for i, cl in enumerate(code_lefts):
        nxt = code_lefts[i + 1] - 1 if i + 1 < len(code_lefts) else None
        right = nxt if nxt is not None else max(r["x1"] for r in code_runs if abs(r["x0"] - cl) <= 6.0) + 1
        bounds.append((left if i == 0 else cl - 1, right, "code"))
        left = right
    bounds.append((left, first_left, "label"))
    prev = first_left
    for a in anchors:
        bounds.append((prev, a + _RIGHT_EDGE_TOLERANCE, "amount"))
        prev = a + _RIGHT_EDGE_TOLERANCE
    return _grid_from_lines(lines, data_idx, bounds, "words")


def _col_of(run: Run, bounds: list[tuple[float, float, str]]) -> int:
    mid_right = run["x1"]
    for i, (left, right, role) in enumerate(bounds):
        if role == "amount" and left < mid_right <= right + 0.5:
            return i
    centre = (run["x0"] + run["x1"]) / 2
    for i, (left, right, _role) in enumerate(bounds):
        if left <= centre <= right:
            return i
    return min(range(len(bounds)), key=lambda i: abs((bounds[i][0] + bounds[i][1]) / 2 - centre))


def _grid_from_lines(
    lines: list[list[Run]], data_idx: list[int], bounds: list[tuple[float, float, str]], engine: str
) -> Grid:
    first = data_idx[0]
    header_lines = lines[:first]
    rows: list[dict[int, list[Run]]] = []
    for runs in header_lines:
        row: dict[int, list[Run]] = {}
        for r in runs:
            row.setdefault(_col_of(r, bounds), []).append(r)
        rows.append(row)
    n_header = len(rows)
    data_rows: list[dict[int, list[Run]]] = []
    data_mid: list[float] = []
    pending: list[list[Run]] = []
    for i in range(first, len(lines)):
        runs = lines[i]
        mid = sum((r["top"] + r["bottom"]) / 2 for r in runs) / len(runs)
        if i in data_idx:
            row = {}
            for r in runs:
                row.setdefault(_col_of(r, bounds), []).append(r)
            for p in pending:  # label lines above that belong to this row
                for r in p:
                    row.setdefault(_col_of(r, bounds), []).insert(0, r)
            pending = []
            data_rows.append(row)
            data_mid.append(mid)
        else:
            # A label-only line joins the nearest amount line: the one above when it is closer
            # (a wrapped label continues downward), else the next one.
            if data_rows and abs(mid - data_mid[-1]) <= _next_gap(lines, i, data_idx):
                for r in runs:
                    data_rows[-1].setdefault(_col_of(r, bounds), []).append(r)
            else:
                pending.append(runs)
    rows.extend(data_rows)
    cells = []
    for r_i, row in enumerate(rows):
        for c_i, runs in row.items():
            runs = sorted(runs, key=lambda r: (round(r["top"]), r["x0"]))
            text = "".join(r["text"] for r in runs)
            # The cell starts at its column's left bound, so indentation is measured from there.
            box = (min(bounds[c_i][0], min(r["x0"] for r in runs)), min(r["top"] for r in runs),
                   max(r["x1"] for r in runs), max(r["bottom"] for r in runs))  # fmt: skip
            span = 1
            if r_i < n_header:  # a header run over several columns is a merged cell
                span = max(1, sum(1 for (left, right, _) in bounds[c_i:] if left < box[2] - 2))
            cells.append(GridCell(r_i, c_i, 1, min(span, len(bounds) - c_i), box, text, runs[0]["x0"]))
    all_boxes = [c.bbox for c in cells]
    bbox = (min(b[0] for b in all_boxes), min(b[1] for b in all_boxes),
            max(b[2] for b in all_boxes), max(b[3] for b in all_boxes))  # fmt: skip
    return Grid(len(rows), len(bounds), tuple(sorted(cells, key=lambda c: (c.row, c.col))), bbox, engine)


def _next_gap(lines: list[list[Run]], i: int, data_idx: list[int]) -> float:
    """Distance from line i to the next amount line (infinity when none)."""
    mid = sum((r["top"] + r["bottom"]) / 2 for r in lines[i]) / len(lines[i])
    nxt = [j for j in data_idx if j > i]
    if not nxt:
        return float("inf")
    runs = lines[nxt[0]]
    return abs(sum((r["top"] + r["bottom"]) / 2 for r in runs) / len(runs) - mid)


def tail_grid(chars: list[dict[str, Any]], grid: Grid, roles: list[str], bottom: float) -> Grid | None:
    """Rows printed below a ruled grid in its columns (the last row's bottom rule is missing,
    or the 合计 row was drawn without rules). Column bounds come from the grid's cells."""
    below = [c for c in chars if c["top"] >= grid.bbox[3] - 1 and c["bottom"] <= bottom
             and grid.bbox[0] - 2 <= c["x0"] and c["x1"] <= grid.bbox[2] + 2]  # fmt: skip
    lines = _runs(below)
    # Stop at the first line that is not a table line (a note, a title, the next table).
    data_idx: list[int] = []
    for i, runs in enumerate(lines):
        if _is_data_line(runs, None):
            data_idx.append(i)
        elif data_idx and i - data_idx[-1] > 2:
            lines = lines[:i]
            break
    if not data_idx or data_idx[0] > 1:
        return None
    lefts = [grid.bbox[0]] * grid.n_cols
    rights = [grid.bbox[2]] * grid.n_cols
    for cell in grid.cells:
        if cell.col_span == 1:
            lefts[cell.col] = cell.bbox[0]
            rights[cell.col] = cell.bbox[2]
    bounds = [(lefts[i], rights[i], roles[i] if i < len(roles) else "amount") for i in range(grid.n_cols)]
    return _grid_from_lines(lines[data_idx[0] :], [i - data_idx[0] for i in data_idx], bounds, grid.engine)
