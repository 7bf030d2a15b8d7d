"""A cell grid -> header columns and data rows.

Header rows are the rows above the first row that carries an amount (栏次 rows excluded);
merged header cells are spread over the columns they cover and the levels joined with '/'.
Column roles (label / code / 类 款 项 / index / amount) come from the header words and are
confirmed by what the data cells hold. A two-sided table (收入 | 支出, 人员经费 | 公用经费)
is split into sides at each label column that follows amount columns.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from extract.tables.grid import Grid, GridCell
from normalize.amounts import parse_amount
from normalize.text import fold_text, match_key
from schemas.raw import RawColumn

_CODE = re.compile(r"^\d{3}(\d{2}){0,2}$")
_SMALL_INT = re.compile(r"^\d{1,2}$")
_INDEX_WORDS = ("栏次", "行次", "序号")


@cache
def header_roles() -> list[tuple[str, str, str]]:
    """(word, role, match) from extract/data/header_roles.csv, in file order (first match wins)."""
    text = resources.files("extract").joinpath("data", "header_roles.csv").read_text("utf-8")
    return [(r["word"], r["role"], r["match"]) for r in csv.DictReader(text.splitlines())]


@dataclass(frozen=True)
class DataRow:
    grid_row: int
    cells: tuple[GridCell | None, ...]


@dataclass(frozen=True)
class Layout:
    columns: tuple[RawColumn, ...]
    header_rows: tuple[int, ...]
    index_rows: tuple[int, ...]
    data_rows: tuple[DataRow, ...]


def _is_index_row(texts: list[str]) -> bool:
    """A 栏次 row: '栏次' with column numbers, or only small ascending integers / letters.

    '行次' alone is a header word (项目 | 行次 | 金额), not an index row.
    """
    values = [t.replace(" ", "") for t in texts if t]
    ints = [int(t) for t in values if _SMALL_INT.match(t)]
    if any(v in _INDEX_WORDS for v in values) and ints:
        return True
    if len(values) < 3:
        return False
    letters = [v for v in values if re.fullmatch(r"[A-Za-z]", v)]
    return len(ints) + len(letters) >= len(values) - 1 and len(ints) + len(letters) >= 3 and ints == sorted(ints)


def _is_banner_row(cells: list[GridCell | None]) -> bool:
    """A title, unit or 编制单位 line inside the grid: one cell across (nearly) the whole row."""
    distinct = {id(c): c for c in cells if c is not None and c.text.strip()}
    if len(distinct) != 1:
        return (
            len(distinct) == 2
            and any("单位" in c.text for c in distinct.values())
            and all(
                ":" in fold_text(c.text) or "：" in fold_text(c.text) or c.text.strip().endswith("表")
                for c in distinct.values()
            )
        )
    (cell,) = distinct.values()
    text = fold_text(cell.text).replace(" ", "")
    # A group header over every column ('财政拨款“三公”经费') is a header level, not a banner.
    looks_like_banner = text.endswith(("表", "）", ")")) or "单位" in text or ":" in text or "：" in text
    return cell.col_span >= max(2, len(cells) - 1) and looks_like_banner


def _repeats_header(texts: list[list[str]], rows: list[int], hint: tuple[RawColumn, ...]) -> bool:
    """Do these rows repeat the previous page's header (most of its header words appear)?"""
    words = {match_key(level) for c in hint for level in c.label_raw.split("/") if level}
    if not words:
        return False
    found = {match_key(t) for r in rows for t in texts[r] if t}
    return len(words & found) >= max(1, len(words) // 2)


def _row_texts(matrix: list[list[GridCell | None]], r: int) -> list[str]:
    out: list[str] = []
    prev: GridCell | None = None
    for cell in matrix[r]:
        out.append(fold_text(cell.text) if cell is not None and cell is not prev else "")
        prev = cell
    return out


def _has_amount(texts: list[str]) -> bool:
    return any("." in t and parse_amount(t) is not None for t in texts) or (
        sum(1 for t in texts if parse_amount(t) is not None and t not in ("",)) >= 2 and not _is_index_row(texts)
    )


def _role_from_header(label: str) -> str | None:
    """Role of a column from its header: the leaf decides, an index word anywhere too."""
    leaf = match_key(label.split("/")[-1] if label else "")
    full = match_key(label)
    if not leaf:
        return None
    for word, role, match in header_roles():
        if (
            (match == "exact" and leaf == word)
            or (match == "endswith" and leaf.endswith(word))
            or (match == "contains" and (word in full if role == "index" else word in leaf))
        ):
            return role
    return None


def grid_to_layout(grid: Grid, header_hint: tuple[RawColumn, ...] | None = None) -> Layout | None:
    """Header columns and data rows of a grid; ``header_hint`` carries a previous page's header."""
    matrix = grid.matrix()
    texts = [_row_texts(matrix, r) for r in range(grid.n_rows)]
    first_data = next((r for r in range(grid.n_rows) if _has_amount(texts[r])), None)
    if first_data is None:
        return None
    if grid.n_head_rows is not None:
        # Rows between the header and the first amount are rows with blank amounts.
        first_data = min(first_data, grid.n_head_rows)
    header_rows = [r for r in range(first_data) if not _is_index_row(texts[r]) and not _is_banner_row(matrix[r])]
    if header_hint is not None and header_rows and not _repeats_header(texts, header_rows, header_hint):
        # A continuation page whose first rows are data rows with blank amounts, not a header.
        first_data = min(header_rows)
        header_rows = []
    index_rows = [r for r in range(grid.n_rows) if _is_index_row(texts[r])]
    data_rows = [DataRow(r, tuple(matrix[r])) for r in range(first_data, grid.n_rows) if r not in index_rows]
    if header_rows:
        labels = []
        for c in range(grid.n_cols):
            levels: list[str] = []
            prev: GridCell | None = None
            for r in header_rows:
                cell = matrix[r][c]
                if cell is None or cell is prev or not cell.text.strip():
                    prev = cell
                    continue
                levels.append(fold_text(cell.text).replace(" ", ""))
                prev = cell
            labels.append("/".join(levels))
    elif header_hint is not None and len(header_hint) == grid.n_cols:
        labels = [c.label_raw for c in header_hint]
    else:
        labels = [""] * grid.n_cols
    columns = _assign_roles(labels, data_rows, grid.n_cols, header_hint)
    return Layout(tuple(columns), tuple(header_rows), tuple(index_rows), tuple(data_rows))


def _assign_roles(
    labels: list[str], rows: list[DataRow], n_cols: int, hint: tuple[RawColumn, ...] | None
) -> list[RawColumn]:
    if hint is not None and len(hint) == n_cols and not any(labels):
        return list(hint)
    roles: list[str] = []
    for c in range(n_cols):
        values = [fold_text(cell.text) for row in rows if (cell := row.cells[c]) is not None]
        values = [v for v in values if v]
        role = _role_from_header(labels[c])
        numeric = sum(1 for v in values if parse_amount(v) is not None)
        codes = sum(1 for v in values if _CODE.match(v.replace(" ", "")))
        if role is None:
            if values and codes >= 0.6 * len(values) and all("." not in v for v in values):
                role = "code"
            elif values and numeric < 0.5 * len(values):
                role = "label"
            else:
                role = "amount"
        roles.append(role)
    side = 0
    seen_amount = False
    columns = []
    for c, role in enumerate(roles):
        if role in ("label", "code", "code_class") and seen_amount:
            side += 1
            seen_amount = False
        if role == "amount":
            seen_amount = True
        columns.append(RawColumn(c, labels[c], role, side))
    return columns
