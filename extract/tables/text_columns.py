"""Columns of a borderless table from the alignment of its body text. Pure.

Amounts are right-aligned, so the right edges of amount runs cluster into amount columns.
The text between two amount columns (and left of the first) is a text zone: a label column,
with code columns at its left (digit runs where the labels start) and a 行次 column at its
right (small integers right of where the labels start). A table has one text zone per side:
收入 | 支出 and 人员经费 | 公用经费 tables have two or three. A 栏次 line adds the columns that
hold no amount at all (its numbers are centred in their columns); without one, header words
standing over no column do.

A column is (left, right, role) with role ``code``, ``label``, ``index`` or ``amount``.
"""

from __future__ import annotations

import itertools
import re
import statistics
from dataclasses import dataclass, field
from typing import Any

from extract.geometry import cluster_values
from normalize.text import fold_text

Run = dict[str, Any]
Bound = tuple[float, float, str]

# Right edges of amounts in one column differ by glyph metrics only; 4 pt keeps neighbouring
# columns (at least ~40 pt apart in every layout seen) apart.
RIGHT_EDGE_TOLERANCE = 4.0
# Left edges of codes in one code column (类 | 款 | 项 columns are ≥ 15 pt apart).
CODE_LEFT_TOLERANCE = 6.0
# Centres of 行次 numbers in one column: one- and two-digit numbers centred in a ~30 pt column.
INDEX_CENTRE_TOLERANCE = 6.0

_AMOUNT = re.compile(r"^-?(\d{1,3}(,\d{3})+(\.\d+)?|\d+\.\d+|\d{8,})$|^[-—–]$")
_CODE = re.compile(r"^\d{2,7}$|^\[\d{3,7}\]$")
_SMALL_INT = re.compile(r"^\d{1,3}$")
_HAN = re.compile(r"[\u3400-\u9fff]")


def run_text(run: Run) -> str:
    return fold_text(run["text"]).replace(" ", "")


def is_amount_run(run: Run) -> bool:
    """An amount as printed in a table cell: decimals, thousands separators or a dash.

    Plain small integers are not: they are 行次 / 栏次 numbers, codes or counts."""
    return bool(_AMOUNT.match(run_text(run)))


def has_han(run: Run) -> bool:
    return bool(_HAN.search(run["text"]))


@dataclass
class _Zone:
    """The non-amount text left of one amount column (or right of the last)."""

    han: list[Run] = field(default_factory=list)
    ints: list[Run] = field(default_factory=list)


def _amount_columns(amount_runs: list[Run]) -> list[tuple[float, float]]:
    """(left, right edge) of each amount column: right edges clustered; left is the widest
    amount's start."""
    anchors = cluster_values([r["x1"] for r in amount_runs], RIGHT_EDGE_TOLERANCE)
    out = []
    for a in anchors:
        members = [r for r in amount_runs if abs(r["x1"] - a) <= RIGHT_EDGE_TOLERANCE]
        if members:
            out.append((min(r["x0"] for r in members), max(r["x1"] for r in members)))
    # Clusters chained by the tolerance can overlap; keep them ordered and disjoint.
    merged: list[tuple[float, float]] = []
    for left, right in out:
        if merged and left < merged[-1][1] - RIGHT_EDGE_TOLERANCE and right - merged[-1][1] < RIGHT_EDGE_TOLERANCE:
            merged[-1] = (min(left, merged[-1][0]), max(right, merged[-1][1]))
        else:
            merged.append((left, right))
    return merged


def _zone_of(run: Run, columns: list[tuple[float, float]]) -> int:
    """Index of the first amount column that ends right of where the run starts."""
    return sum(1 for _left, right in columns if right < run["x0"] + 1)


def _near_centre(runs: list[Run], centre: float) -> int:
    return sum(1 for r in runs if abs((r["x0"] + r["x1"]) / 2 - centre) <= INDEX_CENTRE_TOLERANCE)


def _zone_bounds(zone: _Zone, left: float, right: float) -> list[Bound]:
    """Code, label and 行次 columns of one text zone spanning [left, right]."""
    # Where labels typically start (the median start: a 合计 label may be centred or merged
    # over the code columns); codes lie left of it, 行次 numbers right of it.
    typical = statistics.median(r["x0"] for r in zone.han) if zone.han else right
    codes = [r for r in zone.ints if r["x1"] <= typical + 1 and _CODE.match(run_text(r))]
    index = [r for r in zone.ints if r["x0"] > typical + 1 and _SMALL_INT.match(run_text(r))]
    code_right = max((r["x1"] for r in codes), default=left)
    # The code columns end where the first label right of them starts.
    label_start = min((r["x0"] for r in zone.han if r["x0"] >= code_right - 1), default=code_right + 2)
    if not zone.han:
        # Only numbers between two amount columns: a 行次 column of its own.
        index = [r for r in zone.ints if _SMALL_INT.match(run_text(r))]
        codes = []
    bounds: list[Bound] = []
    code_lefts = cluster_values([r["x0"] for r in codes], CODE_LEFT_TOLERANCE) if len(codes) >= 2 else []
    cursor = left
    for i, cl in enumerate(code_lefts):
        members = [r for r in codes if abs(r["x0"] - cl) <= CODE_LEFT_TOLERANCE]
        last = max(r["x1"] for r in members) + 1
        nxt = code_lefts[i + 1] - 1 if i + 1 < len(code_lefts) else max(last, label_start - 0.5)
        bounds.append((cursor, nxt, "code"))
        cursor = nxt
    index_cols = cluster_values([(r["x0"] + r["x1"]) / 2 for r in index], INDEX_CENTRE_TOLERANCE) if index else []
    index_cols = [c for c in index_cols if _near_centre(index, c) >= 2]
    if index_cols:
        members = [r for r in index if abs((r["x0"] + r["x1"]) / 2 - index_cols[-1]) <= INDEX_CENTRE_TOLERANCE]
        index_left = min(r["x0"] for r in members) - 2
        label_end = max([r["x0"] + 1 for r in zone.han if r["x0"] < index_left] + [index_left])
        if zone.han:
            bounds.append((cursor, min(label_end, index_left), "label"))
            cursor = min(label_end, index_left)
        bounds.append((cursor, right, "index"))
    elif zone.han:
        bounds.append((cursor, right, "label"))
    elif bounds:
        bounds[-1] = (bounds[-1][0], right, "code")
    return bounds


def _split_points(bounds: list[Bound], centres: list[float], header_runs: list[Run]) -> list[float]:
    """Where an amount column's span holds a blank column too: between two 栏次 numbers that
    fall in one span, else between two header words side by side in one span. The right one
    of each pair belongs to the column's amounts (they are right-aligned)."""
    points: list[float] = []
    for left, right, role in bounds:
        if role != "amount":
            continue
        inside = sorted(c for c in centres if left < c <= right)
        if not centres:
            words = sorted((r for r in _leaves(header_runs) if left - 1 <= r["x0"] and r["x1"] <= right + 1),
                           key=lambda r: r["x0"])  # fmt: skip
            # Words stacked over each other are one wrapped label; side by side, two columns.
            groups: list[list[Run]] = []
            for r in words:
                if groups and r["x0"] < max(w["x1"] for w in groups[-1]):
                    groups[-1].append(r)
                else:
                    groups.append([r])
            inside = [(min(w["x0"] for w in g) + max(w["x1"] for w in g)) / 2 for g in groups]
        points.extend((a + b) / 2 for a, b in itertools.pairwise(inside))
    return points


def _leaves(runs: list[Run]) -> list[Run]:
    """Header words with no other header word below them (the lowest level of each column)."""
    return [r for r in runs if not any(o["top"] > r["bottom"] - 1 and o["x0"] < r["x1"] and r["x0"] < o["x1"]
                                       for o in runs)]  # fmt: skip


def _with_blank_columns(bounds: list[Bound], centres: list[float], header_runs: list[Run], width: float) -> list[Bound]:
    """Bounds with the amount columns that hold no amount inserted."""
    out = list(bounds)
    for point in sorted(_split_points(bounds, centres, header_runs)):
        i = next(i for i, (left, right, _r) in enumerate(out) if left < point <= right)
        left, right, role = out[i]
        out[i : i + 1] = [(left, point, "amount"), (point, right, role)]
    # 栏次 numbers right of the table: blank columns at the right end.
    last = out[-1][1]
    for c in sorted(c for c in centres if c > last):
        out.append((max(last, c - width / 2), c + width / 2, "amount"))
        last = c + width / 2
    if not centres:
        for r in sorted(header_runs, key=lambda r: r["x0"]):
            if (r["x0"] + r["x1"]) / 2 > last:
                out.append((max(last, r["x0"] - 2), r["x1"] + 2, "amount"))
                last = r["x1"] + 2
    return out


def _mid_x(run: Run) -> float:
    return (run["x0"] + run["x1"]) / 2


def _zone_end(zone: _Zone, left: float, right: float, centres: list[float]) -> float:
    """Where a text zone ends and the amount column [left, right] right of it begins.

    The widest amount's start is an upper bound; a 栏次 number or a header word centred over
    the column says where the column really starts (its centre mirrored about the right edge),
    provided no word of the zone starts right of that."""
    starts = max(r["x0"] + 1 for r in zone.han + zone.ints)
    end = max(left - 1, starts)
    for c in centres:
        implied = 2 * c - (right + RIGHT_EDGE_TOLERANCE)
        if starts <= implied < end and c < right:
            end = implied
    return end


def body_to_bounds(
    body: list[list[Run]],
    header_runs: list[Run],
    index_centres: list[float],
) -> list[Bound] | None:
    """Column bounds from the body lines (data lines and label lines between them).

    ``header_runs`` are the runs of the header lines (for blank columns and the table's left
    edge); ``index_centres`` the centres of a 栏次 line's numbers, or []."""
    amount_runs = [r for line in body for r in line if is_amount_run(r)]
    if not amount_runs:
        return None
    columns = _amount_columns(amount_runs)
    zones: dict[int, _Zone] = {}
    for line in body:
        for r in line:
            if is_amount_run(r):
                continue
            k = _zone_of(r, columns)
            if has_han(r):
                if k < len(columns) and r["x1"] > columns[k][1] + RIGHT_EDGE_TOLERANCE:
                    continue  # a label merged across this amount column ('公用经费合计'): not a zone word
                zones.setdefault(k, _Zone()).han.append(r)
            elif re.fullmatch(r"\d+|\[\d+\]", run_text(r)) and (k == len(columns) or r["x1"] <= columns[k][0] + 1):
                # Digits inside an amount column's extent are an amount printed as an integer.
                zones.setdefault(k, _Zone()).ints.append(r)
    # A zone right of the first amount column is a new side only when several lines hold
    # words there; one stray word (a label overflowing its cell) is not a column.
    min_support = 1 if len(body) < 3 else 2
    for k in list(zones):
        if k > 0 and len(zones[k].han) < min_support and len(zones[k].ints) < 3:
            del zones[k]
    everything = [r for line in body for r in line] + header_runs
    table_left = min(r["x0"] for r in everything) - 2
    centres = index_centres + [_mid_x(r) for r in _leaves(header_runs)]
    bounds: list[Bound] = []
    cursor = table_left
    for k, (left, right) in enumerate(columns):
        if (zone := zones.get(k)) is not None:
            zone_right = _zone_end(zone, left, right, centres)
            bounds.extend(_zone_bounds(zone, cursor, zone_right))
            cursor = zone_right
        edge = right + RIGHT_EDGE_TOLERANCE
        if (after := zones.get(k + 1)) is not None:
            # The next side's labels may start right after this column's amounts (1–2 pt).
            edge = max(right + 0.5, min([edge] + [r["x0"] - 0.5 for r in after.han + after.ints]))
        if k == 0 and zones.get(0) is None:
            # No label column: the first column starts where its header says (centred words).
            cursor = min([cursor] + [2 * c - edge for c in centres if cursor < c < right])
        bounds.append((cursor, edge, "amount"))
        cursor = edge
    trailing = zones.get(len(columns))
    if trailing is not None:
        end = max(r["x1"] for r in trailing.han + trailing.ints) + 2
        bounds.extend(_zone_bounds(trailing, cursor, end))
    widths = [right - left for left, right in columns]
    amount_width = statistics.median(widths) + 2 * RIGHT_EDGE_TOLERANCE if widths else 40.0
    return _with_blank_columns(bounds, index_centres, header_runs, amount_width)
