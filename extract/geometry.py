"""Geometry helpers shared by the table engines: clustering coordinates, reading characters."""

from __future__ import annotations

from typing import Any


def cluster_values(values: list[float], tolerance: float) -> list[float]:
    """Sorted cluster centres of ``values``: values closer than ``tolerance`` are one. Pure."""
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= tolerance:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(group) / len(group) for group in out]


def group_lines(chars: list[dict[str, Any]], tolerance: float = 3.0) -> list[list[dict[str, Any]]]:
    """Characters grouped into text lines by vertical centre, top to bottom, left to right."""
    lines: list[list[dict[str, Any]]] = []
    total = 0.0  # sum of the vertical centres of the current line's characters
    for ch in sorted(chars, key=lambda c: ((c["top"] + c["bottom"]) / 2, c["x0"])):
        mid = (ch["top"] + ch["bottom"]) / 2
        if lines and abs(mid - total / len(lines[-1])) <= tolerance:
            lines[-1].append(ch)
            total += mid
            continue
        lines.append([ch])
        total = mid
    return [sorted(line, key=lambda c: c["x0"]) for line in lines]


def line_text(line: list[dict[str, Any]]) -> str:
    """Text of one line; a gap wider than half a character becomes a space."""
    parts: list[str] = []
    prev = None
    for ch in line:
        if prev is not None:
            gap = ch["x0"] - prev["x1"]
            width = max(prev["x1"] - prev["x0"], 1.0)
            if gap > 0.5 * width:
                parts.append(" ")
        parts.append(ch["text"])
        prev = ch
    return "".join(parts).strip()


def text_from_chars(chars: list[dict[str, Any]]) -> str:
    """Text of a cell: its lines joined without a separator.

    Chinese needs no space where a label wraps, and a number wrapped in a narrow cell
    ('370,219.2' / '5') must read as one number.
    """
    return "".join(line_text(line) for line in group_lines(chars)).strip()


def split_runs(line: list[dict[str, Any]], gap_factor: float = 0.8, min_gap: float = 3.0) -> list[list[dict[str, Any]]]:
    """Split one text line into runs at gaps wider than ``gap_factor`` × the character width.

    Spreadsheet exports keep the characters of a label that overflows its cell (the cell
    clips it only visually): the overflow continues the run that began in the label's own
    cell, while the amount in the next cell is a separate run after a gap.
    """
    runs: list[list[dict[str, Any]]] = []
    for ch in line:
        if runs:
            prev = runs[-1][-1]
            width = max(prev["x1"] - prev["x0"], 1.0)
            if ch["x0"] - prev["x1"] <= max(min_gap, gap_factor * width):
                runs[-1].append(ch)
                continue
        runs.append([ch])
    return runs
