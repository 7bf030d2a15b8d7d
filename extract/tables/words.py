"""Tables from the alignment of text alone: borderless tables and rows that lost their rules.

Amounts in 决算 tables are right-aligned, so the right edges of amount-like runs cluster into
columns even where no vertical rule is drawn. Everything left of the first amount column is
the label zone: leading runs of digits there are code columns (one 7-digit column or split
类 | 款 | 项), the rest is the label. Lines above the first amount line are header levels.
A label-only line (a label wrapped over two or three lines, or an amount vertically centred
between label lines) joins the nearest amount line.
"""

from __future__ import annotations

import itertools
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
_NOTE = re.compile(r"^\s*(注|说明|备注|资料来源)\s*[:：\d]")


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


def _index_centres(runs: list[Run]) -> list[float]:
    """Centres of the column numbers of a 栏次 line ('栏次 1 2 3 …'), or [] for other lines."""
    ints = [r for r in runs if re.fullmatch(r"\d{1,2}", r["text"].replace(" ", ""))]
    values = [int(r["text"]) for r in ints]
    if len(ints) >= 3 and values == sorted(values) and len(ints) >= len(runs) - 2:
        return [(r["x0"] + r["x1"]) / 2 for r in ints]
    return []


def _spans_from_centres(centres: list[float]) -> list[tuple[float, float]]:
    gaps = [b - a for a, b in itertools.pairwise(centres)] or [60.0]
    spans = []
    for i, c in enumerate(centres):
        left = (centres[i - 1] + c) / 2 if i else c - gaps[0] / 2
        right = (c + centres[i + 1]) / 2 if i + 1 < len(centres) else c + gaps[-1] / 2
        spans.append((left, right))
    return spans


def borderless_grid(
    chars: list[dict[str, Any]],
    bbox: tuple[float, float, float, float],
    bounds_hint: tuple[tuple[float, float, str], ...] | None = None,
) -> Grid | None:
    """A grid for the text inside ``bbox`` (a page region below a table title). Pure.

    Amount columns come from a 栏次 line when there is one (its numbers are centred in their
    columns, including columns that hold no amount at all), else from the right edges of the
    amounts plus header words standing over no amount column. ``bounds_hint`` carries the
    columns of the previous page for a continuation without a header."""
    x0, top, x1, bottom = bbox
    inside = [c for c in chars if x0 <= c["x0"] and c["x1"] <= x1 + 1 and top <= c["top"] and c["bottom"] <= bottom + 1]
    lines = _runs(inside)
    data_idx = [i for i, runs in enumerate(lines) if _is_data_line(runs, None)]
    if not data_idx or (len(data_idx) < 2 and bounds_hint is None):
        return None
    if bounds_hint is not None and data_idx[0] == 0:
        return _grid_from_lines(lines, data_idx, list(bounds_hint), "words")
    amount_runs = [
        r for i in data_idx for r in lines[i] if _is_amount(r["text"]) and not _CODE.match(r["text"].replace(" ", ""))
    ]
    anchors = [a for a in cluster_values([r["x1"] for r in amount_runs], _RIGHT_EDGE_TOLERANCE)
               if sum(1 for r in amount_runs if abs(r["x1"] - a) <= _RIGHT_EDGE_TOLERANCE) >= 2]  # fmt: skip
    if not anchors:
        return None
    first_left = min(r["x0"] for r in amount_runs if abs(r["x1"] - anchors[0]) <= _RIGHT_EDGE_TOLERANCE) - 2
    centres = next((c for i in range(data_idx[0]) if (c := _index_centres(lines[i]))), [])
    centres = [c for c in centres if c > first_left - 30]
    if centres:
        spans = _spans_from_centres(centres)
        # Amounts are right-aligned: where a column holds amounts, its right edge is theirs.
        for i, (left, right) in enumerate(spans):
            edge = [a for a in anchors if left < a <= right + 0.6 * (right - left)]
            if edge:
                spans[i] = (left, edge[0] + _RIGHT_EDGE_TOLERANCE)
                if i + 1 < len(spans):
                    spans[i + 1] = (edge[0] + _RIGHT_EDGE_TOLERANCE, spans[i + 1][1])
    else:
        spans = []
        prev = first_left
        for a in anchors:
            spans.append((prev, a + _RIGHT_EDGE_TOLERANCE))
            prev = a + _RIGHT_EDGE_TOLERANCE
        # Header words right of the labels standing over no amount column: columns left blank.
        for i in range(data_idx[0]):
            for r in lines[i]:
                mid = (r["x0"] + r["x1"]) / 2
                if mid > first_left and not any(left <= mid <= right for left, right in spans):
                    spans.append((r["x0"] - 2, r["x1"] + 2))
        spans.sort()
    first_left = min(first_left, spans[0][0])
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
    bounds.extend((lo, hi, "amount") for lo, hi in spans)
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
    index_lines = {i for i in range(first) if _index_centres(lines[i]) or any("栏次" in r["text"] for r in lines[i])}
    header_only = [lines[i] for i in range(first) if i not in index_lines]
    header_cells = _header_cells(header_only, bounds)
    rows: list[dict[int, list[Run]]] = [{} for _ in header_only]
    for i in sorted(index_lines):
        row: dict[int, list[Run]] = {}
        for r in lines[i]:
            row.setdefault(_col_of(r, bounds), []).append(r)
        rows.append(row)
    n_header = len(header_only)
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
        elif _NOTE.match("".join(r["text"] for r in runs)):
            break  # 注：本表反映… under the table ends it
        else:
            # A label-only line joins the nearest amount line: the one above when it is closer
            # (a wrapped label continues downward), else the next one.
            if data_rows and abs(mid - data_mid[-1]) <= _next_gap(lines, i, data_idx):
                for r in runs:
                    data_rows[-1].setdefault(_col_of(r, bounds), []).append(r)
            else:
                pending.append(runs)
    rows.extend(data_rows)
    cells = list(header_cells)
    for r_i, row in enumerate(rows):
        if r_i < n_header:
            continue
        for c_i, runs in row.items():
            runs = sorted(runs, key=lambda r: (round(r["top"]), r["x0"]))
            text = "".join(r["text"] for r in runs)
            # The cell starts at its column's left bound, so indentation is measured from there.
            box = (min(bounds[c_i][0], min(r["x0"] for r in runs)), min(r["top"] for r in runs),
                   max(r["x1"] for r in runs), max(r["bottom"] for r in runs))  # fmt: skip
            cells.append(GridCell(r_i, c_i, 1, 1, box, text, runs[0]["x0"]))
    all_boxes = [c.bbox for c in cells]
    bbox = (min(b[0] for b in all_boxes), min(b[1] for b in all_boxes),
            max(b[2] for b in all_boxes), max(b[3] for b in all_boxes))  # fmt: skip
    cells_sorted = tuple(sorted(cells, key=lambda c: (c.row, c.col)))
    return Grid(len(rows), len(bounds), cells_sorted, bbox, engine, tuple(bounds))


def _header_cells(header_lines: list[list[Run]], bounds: list[tuple[float, float, str]]) -> list[GridCell]:
    """Header lines -> header cells with column spans and row spans.

    A label over several columns (本年支出 over 小计 | 基本支出 | 项目支出) is centred over them and
    usually narrower than they are: a column with words below but none on this line joins the
    nearest label of this line that is itself over such a group. A label that continues on the
    next line in the same single column is wrapped text, not a second level: one cell.
    """
    n_cols, n_lines = len(bounds), len(header_lines)
    centres = [(left + right) / 2 for left, right, _ in bounds]
    width = sorted(right - left for left, right, _ in bounds)[n_cols // 2] if n_cols else 60.0
    cover: list[list[int | None]] = [[None] * n_cols for _ in range(n_lines)]
    for k, runs in enumerate(header_lines):
        for j, r in enumerate(runs):
            own = _col_of(r, bounds)
            for c in range(n_cols):
                if c == own or (r["x0"] - 2 <= centres[c] <= r["x1"] + 2 and cover[k][c] is None):
                    cover[k][c] = j

    def below(k: int, c: int) -> bool:
        return any(cover[k2][c] is not None for k2 in range(k + 1, n_lines))

    for k, runs in enumerate(header_lines):
        for c in range(n_cols):
            if cover[k][c] is not None or not below(k, c) or bounds[c][2] != "amount":
                continue
            groups = [j for j in set(filter(None.__ne__, cover[k])) if j is not None
                      and any(below(k, c2) for c2 in range(n_cols) if cover[k][c2] == j)]  # fmt: skip
            if not groups:
                continue
            j = min(groups, key=lambda j: abs((runs[j]["x0"] + runs[j]["x1"]) / 2 - centres[c]))
            if abs((runs[j]["x0"] + runs[j]["x1"]) / 2 - centres[c]) <= 1.6 * width:
                cols = [c2 for c2 in range(n_cols) if cover[k][c2] == j] + [c]
                if all(cover[k][c2] in (None, j) for c2 in range(min(cols), max(cols) + 1)):
                    for c2 in range(min(cols), max(cols) + 1):
                        cover[k][c2] = j
    cells: list[GridCell] = []
    used: set[tuple[int, int]] = set()
    for k, runs in enumerate(header_lines):
        for j, r in enumerate(runs):
            if (k, j) in used:
                continue
            cols = [c for c in range(n_cols) if cover[k][c] == j]
            if not cols:
                continue
            parts, k_end = [r], k
            # Wrapped text: the next line continues this single column and nothing else.
            while len(cols) == 1 and k_end + 1 < n_lines:
                nxt = [j2 for j2 in range(len(header_lines[k_end + 1])) if cover[k_end + 1][cols[0]] == j2]
                if len(nxt) != 1 or [c for c in range(n_cols) if cover[k_end + 1][c] == nxt[0]] != cols:
                    break
                k_end += 1
                used.add((k_end, nxt[0]))
                parts.append(header_lines[k_end][nxt[0]])
            box = (
                bounds[cols[0]][0],
                min(p["top"] for p in parts),
                bounds[cols[-1]][1],
                max(p["bottom"] for p in parts),
            )
            text = "".join(p["text"] for p in parts)
            cells.append(GridCell(k, cols[0], k_end - k + 1, len(cols), box, text, parts[0]["x0"]))
    return cells


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
