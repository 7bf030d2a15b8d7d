"""Tables from the alignment of text alone: borderless tables and rows that lost their rules.

The page region below a table title is cut into text lines and runs (two cells that come
closer than the gap between runs are split, see ``_CELL_GAP``). Lines with an amount are
rows; the columns come from the alignment of their text (``text_columns``): amount columns
from right edges, and a label zone per side with its code and 行次 columns. Lines above the
first row are the header (``text_header``). A line without amounts is a row of its own when
it has a 行次 number or labels on two sides; otherwise it is a label wrapped over several
lines (or a label beside an amount vertically centred in its cell) and joins the nearest row.
"""

from __future__ import annotations

import itertools
import re
from functools import cache
from typing import Any

from extract.geometry import group_lines, split_runs
from extract.tables.grid import Grid, GridCell
from extract.tables.layout import header_roles
from extract.tables.text_columns import body_to_bounds, has_han, is_amount_run
from extract.tables.text_header import header_to_cells
from normalize.text import fold_text, match_key

_AMOUNT = re.compile(r"^-?(\d{1,3}(,\d{3})+(\.\d+)?|\d+(\.\d+)?)$|^[-—–]$")
# Two cells can come closer than the gap that separates runs: an amount right-aligned against
# the next column's left-aligned label or code ('2235.57' | '一、一般公共服务支出', '1,099.61' |
# '302'), 1.5–2.1 pt apart in spreadsheet exports. Inside one cell characters touch ('2020年',
# gap 0), so a gap of 1 pt splits where digits meet Han text or a finished amount meets more.
_CELL_GAP = 1.0
_FINISHED_AMOUNT = re.compile(r"(\d\.\d+|^[-—–])$")

Run = dict[str, Any]
_NOTE = re.compile(r"^\s*(注|说明|备注|资料来源)\s*[:：\d]")


def _is_digitish(ch: str) -> bool:
    return ch.isdigit() or ch in ".,%-"


def _split_glued(run: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Split a run where two cells meet across a small gap (see ``_CELL_GAP``)."""
    out = [[run[0]]]
    for prev, ch in itertools.pairwise(run):
        kinds = (_is_digitish(prev["text"]), _is_digitish(ch["text"]))
        han = "\u3400" <= prev["text"] <= "\u9fff" or "\u3400" <= ch["text"] <= "\u9fff"
        so_far = "".join(c["text"] for c in out[-1])
        if ch["x0"] - prev["x1"] >= _CELL_GAP and (
            (kinds[0] != kinds[1] and han) or (_FINISHED_AMOUNT.search(so_far) and ch["text"] not in ".,%")
        ):
            out.append([ch])
        else:
            out[-1].append(ch)
    return out


def _runs(chars: list[dict[str, Any]]) -> list[list[Run]]:
    out = []
    for line in group_lines(chars):
        runs = []
        for coarse in split_runs(line, gap_factor=0.6, min_gap=2.5):
            for run in _split_glued(coarse):
                text = "".join(c["text"] for c in run).strip()
                if text:
                    runs.append({
                        "text": text, "x0": run[0]["x0"], "x1": run[-1]["x1"],
                        "top": min(c["top"] for c in run), "bottom": max(c["bottom"] for c in run),
                        "chars": run,
                    })  # fmt: skip
        if runs:
            out.append(runs)
    return out


def _is_amount(text: str) -> bool:
    return bool(_AMOUNT.match(fold_text(text).replace(" ", "")))


def _is_data_line(runs: list[Run]) -> bool:
    """A line holding an amount with decimals, or a dash standing for zero."""
    return any((_is_amount(r["text"]) and "." in r["text"]) or r["text"] in ("-", "—") for r in runs)


def _index_centres(runs: list[Run]) -> list[float]:
    """Centres of the column numbers of a 栏次 line ('栏次 1 2 3 …'), or [] for other lines."""
    ints = [r for r in runs if re.fullmatch(r"\d{1,2}", r["text"].replace(" ", ""))]
    values = [int(r["text"]) for r in ints]
    if len(ints) >= 3 and values == sorted(values) and len(ints) >= len(runs) - 2:
        return [(r["x0"] + r["x1"]) / 2 for r in ints]
    return []


def borderless_grid(
    chars: list[dict[str, Any]],
    bbox: tuple[float, float, float, float],
    bounds_hint: tuple[tuple[float, float, str], ...] | None = None,
) -> Grid | None:
    """A grid for the text inside ``bbox`` (a page region below a table title). Pure.

    Columns come from the alignment of the body text (see ``text_columns``), blank columns
    from a 栏次 line or the header words; ``bounds_hint`` carries the columns of the previous
    page for a continuation without a header."""
    x0, top, x1, bottom = bbox
    inside = [c for c in chars if x0 <= c["x0"] and c["x1"] <= x1 + 1 and top <= c["top"] and c["bottom"] <= bottom + 1]
    lines = _runs(inside)
    data_idx = [i for i, runs in enumerate(lines) if _is_data_line(runs)]
    if not data_idx:
        return None
    if bounds_hint is not None:
        # A continuation page: the previous page's columns (a page holding only the 总计 row
        # has too few lines to find them again). Lines above the first amount line are a
        # repeated header down to the last that looks like one; below it, rows without amounts.
        marked = [
            i
            for i in range(data_idx[0])
            if _is_header_line(lines[i]) or any(_over_amount_column(r, bounds_hint) for r in lines[i])
        ]
        return _grid_from_lines(lines, data_idx, list(bounds_hint), "words", marked[-1] + 1 if marked else 0)
    centres = next((c for i in range(data_idx[0]) if (c := _index_centres(lines[i]))), [])
    # One amount line (a 三公 table has one row of figures) is a table under a 栏次 line, or
    # when it holds several amounts under header lines.
    if len(data_idx) < 2 and not centres:
        amounts = sum(1 for r in lines[data_idx[0]] if _is_amount(r["text"]))
        if data_idx[0] == 0 or amounts < 3:
            return None
    end = _body_end(lines, data_idx)
    body = lines[data_idx[0] : end]
    header_runs = [r for i in range(data_idx[0]) if not _is_index_line(lines[i]) for r in lines[i]]
    bounds = body_to_bounds(body, header_runs, centres)
    if bounds is None:
        return None
    # Below a 栏次 line, lines without amounts are rows (their amounts blank), not header.
    index_at = [i for i in range(data_idx[0]) if _is_index_line(lines[i])]
    return _grid_from_lines(lines[:end], data_idx, bounds, "words", index_at[-1] + 1 if index_at else data_idx[0])


@cache
def _header_words() -> frozenset[str]:
    """Words that only a header shows as a whole cell: 项目, 科目名称, 行次, 栏次, 科目编码 …"""
    roles = header_roles()
    return frozenset(word for word, role, _match in roles if role in ("label", "index") or role.startswith("code"))


def _is_header_line(runs: list[Run]) -> bool:
    return _is_index_line(runs) or any(match_key(r["text"]) in _header_words() for r in runs)


def _over_amount_column(run: Run, bounds: tuple[tuple[float, float, str], ...]) -> bool:
    """Words centred over an amount column: a header label (小计 | 人员经费 | 公用经费), since
    a row's own words sit in its label, code and 行次 columns."""
    centre = (run["x0"] + run["x1"]) / 2
    return has_han(run) and any(role == "amount" and left <= centre <= right for left, right, role in bounds)


def _is_index_line(runs: list[Run]) -> bool:
    return bool(_index_centres(runs)) or any("栏次" in r["text"] for r in runs)


def _body_end(lines: list[list[Run]], data_idx: list[int]) -> int:
    """Index after the table's last line: a note under the table, or the last amount line
    followed by more than two lines of other text, ends it."""
    for i in range(data_idx[0], len(lines)):
        if _NOTE.match("".join(r["text"] for r in lines[i])):
            return i
        if i > data_idx[-1]:
            return min(len(lines), data_idx[-1] + 3)
    return len(lines)


def _col_of(run: Run, bounds: list[tuple[float, float, str]]) -> int:
    """The column of a body run: amounts by their right edge (right-aligned), other text by
    where it starts (labels are left-aligned, indented within their column)."""
    if is_amount_run(run) or _is_amount(run["text"]):
        for i, (left, right, role) in enumerate(bounds):
            if role == "amount" and left < run["x1"] <= right + 0.5:
                return i
    start = run["x0"] + 1
    if has_han(run) and any(
        role == "amount" and run["x0"] < left and run["x1"] > right + 0.5 for left, right, role in bounds
    ):
        # Words across a whole amount column: a label merged over several columns and centred
        # ('公用经费合计' over the 公用经费 side); its centre says where it belongs.
        start = (run["x0"] + run["x1"]) / 2
    for i, (left, right, role) in enumerate(bounds):
        if left <= start <= right:
            if role == "amount" and has_han(run):
                # A merged label centred over an amount column labels the amounts right of it.
                labels = [j for j, b in enumerate(bounds) if b[2] == "label"]
                right_of = [j for j in labels if j > i]
                if right_of or labels:
                    return right_of[0] if right_of else labels[-1]
            return i
    centre = (run["x0"] + run["x1"]) / 2
    return min(range(len(bounds)), key=lambda i: abs((bounds[i][0] + bounds[i][1]) / 2 - centre))


def _grid_from_lines(
    lines: list[list[Run]],
    data_idx: list[int],
    bounds: list[tuple[float, float, str]],
    engine: str,
    body_start: int | None = None,
) -> Grid:
    """Cells of the lines in the given columns. Lines before ``body_start`` (default: the
    first amount line) are the header and 栏次 lines; the rest are rows."""
    first = data_idx[0] if body_start is None else body_start
    index_lines = {i for i in range(first) if _is_index_line(lines[i])}
    header_only = [lines[i] for i in range(first) if i not in index_lines]
    after_header = [lines[i] for i in sorted(index_lines)] + lines[first : first + 1]
    body_top = min((r["top"] for runs in after_header for r in runs), default=None)
    header_cells = header_to_cells(header_only, bounds, body_top)
    rows: list[dict[int, list[Run]]] = [{} for _ in header_only]
    for i in sorted(index_lines):
        row: dict[int, list[Run]] = {}
        for r in lines[i]:
            row.setdefault(_col_of(r, bounds), []).append(r)
        rows.append(row)
    n_header = len(header_only)
    label_cols = {i for i, (_l, _r, role) in enumerate(bounds) if role == "label"}
    data_rows: list[dict[int, list[Run]]] = []
    data_mid: list[float] = []
    pending: list[list[Run]] = []
    last_mid = 0.0  # middle of the last line that went into the last row
    for i in range(first, len(lines)):
        runs = lines[i]
        mid = _line_mid(runs)
        # A line with words in the label columns of two sides (伙食补助费 | 手续费 | 房屋建筑物购建)
        # is a row of its own whose amounts are blank, not a wrapped label.
        sides = {c for r in runs if has_han(r) and (c := _col_of(r, bounds)) in label_cols}
        # So is a line with a 行次 number: every row has its own.
        numbered = any(bounds[_col_of(r, bounds)][2] == "index" for r in runs)
        if i in data_idx or len(sides) >= 2 or numbered:
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
        elif not _near_a_neighbour(lines, i, last_mid if data_rows else None):
            # A row pitch from the lines around it: a row whose amounts are all blank.
            row = {}
            for r in runs:
                row.setdefault(_col_of(r, bounds), []).append(r)
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
        if data_rows and not pending:
            last_mid = mid
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
    return Grid(len(rows), len(bounds), cells_sorted, bbox, engine, tuple(bounds), n_header + len(index_lines))


# Lines of a label wrapped inside one cell are a line spacing apart (1.15–1.3 line heights in
# Word and spreadsheet exports); rows are a row pitch apart (≥ 1.5 line heights in every
# export seen).
WRAP_PITCH_LINES = 1.35


def _line_mid(runs: list[Run]) -> float:
    return sum((r["top"] + r["bottom"]) / 2 for r in runs) / len(runs)


def _near_a_neighbour(lines: list[list[Run]], i: int, last_mid: float | None) -> bool:
    """Is a line without amounts within a line spacing of the last line of the row above or
    of the next line (so part of a wrapped label)?"""
    runs = lines[i]
    height = sorted(r["bottom"] - r["top"] for r in runs)[len(runs) // 2]
    mid = _line_mid(runs)
    gaps = [abs(mid - last_mid)] if last_mid is not None else []
    if i + 1 < len(lines):
        gaps.append(abs(_line_mid(lines[i + 1]) - mid))
    return bool(gaps) and min(gaps) <= WRAP_PITCH_LINES * height


def _next_gap(lines: list[list[Run]], i: int, data_idx: list[int]) -> float:
    """Distance from line i to the next amount line (infinity when none)."""
    mid = _line_mid(lines[i])
    nxt = [j for j in data_idx if j > i]
    if not nxt:
        return float("inf")
    runs = lines[nxt[0]]
    return abs(_line_mid(runs) - mid)


def tail_grid(chars: list[dict[str, Any]], grid: Grid, roles: list[str], bottom: float) -> Grid | None:
    """Rows printed below a ruled grid in its columns (the last row's bottom rule is missing,
    or the 合计 row was drawn without rules). Column bounds come from the grid's cells."""
    below = [c for c in chars if c["top"] >= grid.bbox[3] - 1 and c["bottom"] <= bottom
             and grid.bbox[0] - 2 <= c["x0"] and c["x1"] <= grid.bbox[2] + 2]  # fmt: skip
    lines = _runs(below)
    # Stop at the first line that is not a table line (a note, a title, the next table).
    data_idx: list[int] = []
    for i, runs in enumerate(lines):
        if _is_data_line(runs):
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
