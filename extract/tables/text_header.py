"""Header cells of a borderless table from the position of its header words. Pure.

Spreadsheet exports centre a merged header cell's text in the merged area, both ways. So a
label over several columns (本年支出 over 小计 | 基本支出 | 项目支出) is centred over them and
stands above their own labels; it is often narrower than one of them. A label whose text
wraps inside one column (对附属单位补助支 / 出) is two lines close together in that column,
and its neighbours' labels, centred vertically, sit between or beside the two lines. Telling
the two apart is what this module does:

- a word with no header text below it in its column is a leaf;
- otherwise it is a group over the widest run of columns around it that it is centred over,
  whose own labels lie at or below the next label in its column;
- a "group" over its own column only is wrapped text when the next line follows within a
  line height (it continues the same label), else a level of its own.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

from extract.tables.grid import GridCell

Run = dict[str, Any]
Bound = tuple[float, float, str]

# A merged label is centred over its columns; column bounds found from text alignment are off
# by up to a cell's padding on each side, more for label columns (their right edge is placed
# between the longest label and the widest amount). A quarter of the narrower end column plus
# 3 pt allows that, while one column more or less moves the centre by half a column.
CENTRE_TOLERANCE_SHARE = 0.25
CENTRE_TOLERANCE_PT = 3.0
# A label centred in a cell below a header word has about as much space above it as below it;
# one in a cell beside the word's row has little or none above. Half, less 1 pt of rounding.
CELL_SPACE_SHARE = 0.5
CELL_SPACE_PT = 1.0
# Wrapped lines of one label follow each other at the font's line spacing: measured gaps of
# 0.37–0.45 of a line height in spreadsheet exports. Stacked header levels are a spreadsheet
# row apart: gaps of 0.8–1.7 line heights, down to 1.0 in compact browser prints.
WRAP_GAP_LINES = 0.6


def _centre(run: Run) -> float:
    return (run["x0"] + run["x1"]) / 2


def _own_column(run: Run, bounds: list[Bound]) -> int:
    """The column under the run's centre (the nearest when it is outside every column)."""
    c = _centre(run)
    for i, (left, right, _role) in enumerate(bounds):
        if left <= c <= right:
            return i
    return min(range(len(bounds)), key=lambda i: abs((bounds[i][0] + bounds[i][1]) / 2 - c))


# Wrapped header text fills its cell, so the words of neighbouring columns can come within
# 3–4 pt of each other, closer than the gap that separates runs. A gap of at least 1 pt with a
# column boundary within 5 pt of it separates two columns' words.
SPLIT_GAP_PT = 1.0
SPLIT_WINDOW_PT = 5.0


def _split_at_bounds(runs: list[Run], bounds: list[Bound]) -> list[Run]:
    """Split runs that cross a column boundary at a gap between two characters."""
    edges = [right for _left, right, _role in bounds[:-1]]
    out: list[Run] = []
    for r in runs:
        chars = r.get("chars")
        if not chars or len(chars) < 2:
            out.append(r)
            continue
        pieces = [[chars[0]]]
        for prev, ch in itertools.pairwise(chars):
            gap = ch["x0"] - prev["x1"]
            if gap >= SPLIT_GAP_PT and any(
                prev["x1"] - SPLIT_WINDOW_PT <= e <= ch["x0"] + SPLIT_WINDOW_PT for e in edges
            ):
                pieces.append([ch])
            else:
                pieces[-1].append(ch)
        for piece in pieces:
            text = "".join(c["text"] for c in piece).strip()
            if text:
                out.append({"text": text, "x0": piece[0]["x0"], "x1": piece[-1]["x1"],
                            "top": min(c["top"] for c in piece), "bottom": max(c["bottom"] for c in piece),
                            "chars": piece})  # fmt: skip
    return out


def _join_spaced(runs: list[Run], bounds: list[Bound]) -> list[Run]:
    """Join the letters of a spaced-out word ('项    目', '合    计') in one column: one- or
    two-character runs of Han text less than three character heights apart."""
    out: list[Run] = []
    for r in runs:
        if out:
            prev = out[-1]
            height = prev["bottom"] - prev["top"]
            short = len(prev["text"].strip()) <= 2 and len(r["text"].strip()) <= 2
            if (
                short
                and r["x0"] - prev["x1"] <= 3 * height
                and _own_column(prev, bounds) == _own_column(r, bounds)
                and all("\u3400" <= ch <= "\u9fff" for ch in prev["text"].strip() + r["text"].strip())
            ):
                out[-1] = {**prev, "text": prev["text"] + r["text"], "x1": r["x1"],
                           "top": min(prev["top"], r["top"]), "bottom": max(prev["bottom"], r["bottom"])}  # fmt: skip
                continue
        out.append(r)
    return out


def header_to_cells(lines: list[list[Run]], bounds: list[Bound], body_top: float | None = None) -> list[GridCell]:
    """Header lines (top to bottom) -> header cells with row and column spans. ``body_top`` is
    the top of the first line below the header (a 栏次 line or the first row)."""
    if not bounds:
        return []
    lines = [_join_spaced(_split_at_bounds(runs, bounds), bounds) for runs in lines]
    own = [[_own_column(r, bounds) for r in runs] for runs in lines]
    if body_top is None:
        body_top = max((r["bottom"] for runs in lines for r in runs), default=0.0) + 1.0

    def below(col: int, k: int) -> list[tuple[int, int]]:
        """(line, run) of the header words below line k in this column, top to bottom."""
        return [(k2, j2) for k2 in range(k + 1, len(lines)) for j2 in range(len(lines[k2])) if own[k2][j2] == col]

    def first_label(col: int, k: int) -> tuple[float, float, float] | None:
        """(top, bottom, top of what follows) of the first label below line k in this column,
        with the lines that continue it closely (a wrapped label)."""
        runs = [lines[k2][j2] for k2, j2 in below(col, k)]
        if not runs:
            return None
        block = runs[:1]
        for r in runs[1:]:
            if r["top"] - block[-1]["bottom"] > WRAP_GAP_LINES * (block[-1]["bottom"] - block[-1]["top"]):
                break
            block.append(r)
        after = runs[len(block)]["top"] if len(block) < len(runs) else body_top
        return min(b["top"] for b in block), max(b["bottom"] for b in block), after

    spans: dict[tuple[int, int], tuple[int, int, int]] = {}  # (line, run) -> (first col, last col, last line)
    parts: dict[tuple[int, int], list[Run]] = {}
    consumed: set[tuple[int, int]] = set()
    for k, runs in enumerate(lines):
        words = [j for j in range(len(runs)) if (k, j) not in consumed]
        # A word lies inside the span of the word above it: columns under another upper
        # word (公务接待费 beside 公务用车购置及运行费) are not its.
        upper = [(a, b) for (k0, _j0), (a, b, _last) in spans.items() if k0 < k]
        fenced = {j: {c for a, b in upper if not a <= own[k][j] <= b for c in range(a, b + 1)} for j in words}
        options = {j: _ranges(k, j, lines, own, bounds, first_label, fenced[j]) for j in words}
        chosen = _choose(options)
        for j in words:
            r, o = runs[j], own[k][j]
            first, last = chosen[j]
            pieces, last_line = [r], k
            if (first, last) == (o, o):
                # One column with more text below: wrapped text when it follows closely.
                cur = r
                for nxt in below(o, k):
                    nr = lines[nxt[0]][nxt[1]]
                    if nr["top"] - cur["bottom"] > WRAP_GAP_LINES * (cur["bottom"] - cur["top"]):
                        break
                    consumed.add(nxt)
                    pieces.append(nr)
                    last_line, cur = nxt[0], nr
            spans[(k, j)] = (first, last, last_line)
            parts[(k, j)] = pieces
    cells: list[GridCell] = []
    for (k, j), (a, b, last_line) in sorted(spans.items()):
        pieces = parts[(k, j)]
        box = (bounds[a][0], min(p["top"] for p in pieces), bounds[b][1], max(p["bottom"] for p in pieces))
        text = "".join(p["text"] for p in pieces)
        cells.append(GridCell(k, a, last_line - k + 1, b - a + 1, box, text, pieces[0]["x0"]))
    return cells


def _ranges(
    k: int,
    j: int,
    lines: list[list[Run]],
    own: list[list[int]],
    bounds: list[Bound],
    first_label: Callable[[int, int], tuple[float, float, float] | None],
    fenced: set[int],
) -> list[tuple[int, int, float]]:
    """(first col, last col, off-centre) of every run of columns word j of line k may head:
    its own column, and the runs of columns around it that it is centred over and that all
    have their own labels below it."""
    r, o = lines[k][j], own[k][j]
    out = [(o, o, abs((bounds[o][0] + bounds[o][1]) / 2 - _centre(r)))]
    if first_label(o, k) is None:
        return out
    blocked = {own[k][j2] for j2 in range(len(lines[k])) if j2 != j} | fenced

    def eligible(c: int) -> bool:
        # A column is under this word when its first label below sits in a cell that starts
        # below the word: labels are centred in their (merged) cells, so the space above the
        # label, down from the word, is about the space below it, down to the next label.
        # A label merged down from the word's own row (因公出国费 beside 公务用车购置及运行费)
        # or beside the two lines of a wrapped word has much less space above than below.
        found = first_label(c, k)
        if c in blocked or found is None:
            return False
        top, bottom, after = found
        return top - r["bottom"] >= CELL_SPACE_SHARE * (after - bottom) - CELL_SPACE_PT

    lo = hi = o
    while lo - 1 >= 0 and eligible(lo - 1):
        lo -= 1
    while hi + 1 < len(bounds) and eligible(hi + 1):
        hi += 1
    centre = _centre(r)
    for a in range(lo, o + 1):
        for b in range(o, hi + 1):
            if a == b:
                continue
            end_width = min(bounds[a][1] - bounds[a][0], bounds[b][1] - bounds[b][0])
            off = abs((bounds[a][0] + bounds[b][1]) / 2 - centre)
            if off <= CENTRE_TOLERANCE_SHARE * end_width + CENTRE_TOLERANCE_PT:
                out.append((a, b, off))
    return out


def _choose(options: dict[int, list[tuple[int, int, float]]]) -> dict[int, tuple[int, int]]:
    """One range per word of a line: no two overlapping, as many columns covered as possible,
    then the least off-centre. Neighbouring groups of equal columns are each centred over a
    run one column wider on both sides too; only the joint choice tells them apart."""
    words = sorted(options)
    best: tuple[int, float] | None = None
    pick: dict[int, tuple[int, int]] = {j: options[j][0][:2] for j in words}
    # A line holds a handful of words, each with a few centred ranges: the product is small.
    # Beyond that, each word keeps its own column.
    size = 1
    for j in words:
        size *= len(options[j])
    if size > 4096:
        return pick
    for combo in itertools.product(*(options[j] for j in words)):
        spans = sorted((a, b) for a, b, _off in combo)
        if any(b1 >= a2 for (_a1, b1), (a2, _b2) in itertools.pairwise(spans)):
            continue
        score = (sum(b - a + 1 for a, b, _off in combo), -sum(off for _a, _b, off in combo))
        if best is None or score > best:
            best = score
            pick = {j: (a, b) for j, (a, b, _off) in zip(words, combo, strict=True)}
    return pick
