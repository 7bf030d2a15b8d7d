"""OCR text boxes -> per-character dicts in PDF points, and OCR artefacts in numbers.

The table reader assigns characters to cells by their centres and splits runs at gaps, so
each recognised line must become characters with plausible boxes. The OCR engine gives one
box per text line and its string; the box's ink extent is shared among the characters in
proportion to their printed widths (a Han character or full-width mark is one em, a digit
about half an em, a point or comma about a quarter), which puts each digit of an amount
within a fraction of a character of where it is printed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import cache
from typing import Any

from extract.geometry import group_lines, line_text

# Printed advance widths in em for the glyph classes of 决算 fonts (SimSun/Song, FangSong,
# Times, Noto Serif CJK): half-width digits and Latin letters ~0.5, narrow punctuation ~0.25.
_FULL = 1.0
_HALF = 0.5
_NARROW = 0.28
_NARROW_CHARS = frozenset(".,:;'|!`")
_SPACE = 0.3


@cache
def glyph_width(ch: str) -> float:
    """Printed width of one character in em (see the module note). Pure."""
    if ch.isspace():
        return _SPACE
    if ch in _NARROW_CHARS:
        return _NARROW
    if ch in "()[]-/":
        return 0.33
    if ch in "%@MWmw":
        return 0.8
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return _FULL
    return _HALF


def box_to_chars(text: str, box: Iterable[float], scale: float) -> list[dict[str, Any]]:
    """Characters of one recognised line: ``box`` is its ink extent (x0, top, x1, bottom) in
    pixels, ``scale`` points per pixel. Spaces take their width but emit no character. Pure."""
    x0, top, x1, bottom = box
    widths = [glyph_width(ch) for ch in text]
    total = sum(widths)
    if not text or total <= 0:
        return []
    step = (x1 - x0) / total
    out = []
    x = x0
    t, b = top * scale, bottom * scale
    for ch, w in zip(text, widths, strict=True):
        nx = x + w * step
        if not ch.isspace():
            out.append({"text": ch, "x0": x * scale, "x1": nx * scale, "top": t, "bottom": b,
                        "size": b - t, "object_type": "char"})  # fmt: skip
        x = nx
    return out


_NUMERIC = frozenset("0123456789.,%")


def _snap_to_number_edge(text: str, cut: int) -> int:
    """A cut inside a number moves to where the number meets a full-width character (at most
    two characters away): two cells read as one line ('132.96一般公共服务支出') never share a
    number, and a width estimate thrown off by a character the OCR dropped should not split
    one. Between two numbers ('33.8530215': an amount and a code in the next cell) only the
    widths can tell, so the cut stays. Pure."""

    def inside(i: int) -> bool:
        return 0 < i < len(text) and text[i - 1] in _NUMERIC and text[i] in _NUMERIC

    def edge(i: int) -> bool:
        if not 0 < i < len(text):
            return False
        a, b = text[i - 1], text[i]
        return (a in _NUMERIC and glyph_width(b) == _FULL) or (b in _NUMERIC and glyph_width(a) == _FULL)

    if not inside(cut):
        return cut
    for step in (1, -1, 2, -2):
        if edge(cut + step):
            return cut + step
    return cut


def _split_by_width(text: str, widths: list[float]) -> list[str]:
    """Split ``text`` into consecutive parts whose printed widths best match ``widths`` (the ink
    widths of the pieces it was read from): each character goes to the piece its centre falls
    in when the pieces are laid end to end without their gaps. Pure."""
    glyphs = [glyph_width(ch) for ch in text]
    scale = sum(widths) / max(sum(glyphs), 1e-9)
    bounds = [sum(widths[: i + 1]) for i in range(len(widths))]
    owner = []
    pos = 0.0
    for w in glyphs:
        centre = (pos + w / 2) * scale
        owner.append(next((i for i, b in enumerate(bounds) if centre <= b), len(widths) - 1))
        pos += w
    cuts = [sum(1 for o in owner if o <= i) for i in range(len(widths) - 1)]
    edges = [0]
    for c in cuts:
        edges.append(max(_snap_to_number_edge(text, c), edges[-1]))
    edges.append(len(text))
    return [text[edges[i] : edges[i + 1]] for i in range(len(widths))]


def segments_to_chars(text: str, segments: list[tuple[int, int, int, int]], scale: float) -> list[dict[str, Any]]:
    """Characters of one recognised line printed as ``segments`` (pieces of ink separated by
    wide gaps or erased rules, in pixels, left to right). When the text has as many
    space-separated words as there are pieces, word i is piece i; otherwise the characters
    are shared out by width. Pure."""
    if not segments:
        return []
    words = text.split()
    if len(segments) == 1:
        parts = [text.strip()]
    elif len(words) == len(segments):
        parts = words
    else:
        parts = [p.strip() for p in _split_by_width(text, [float(s[2] - s[0]) for s in segments])]
    out: list[dict[str, Any]] = []
    for part, segment in zip(parts, segments, strict=True):
        out.extend(box_to_chars(part, (float(v) for v in segment), scale))
    return out


# A full-width comma between digits, before exactly three digits (a thousands group):
# '1，234.56'. Any other '，' stays, since it may separate two numbers in a sentence.
_FULLWIDTH_GROUP = re.compile(r"(?<=\d)[，﹐](?=\d{3}(?!\d))")
# A letter O between two digits is a zero: '1O3.5' -> '103.5'. Only with digits on both sides.
_LETTER_O = re.compile(r"(?<=\d)[Oo](?=\d)")
# A full-width or ideographic point between digits: '132。96', '132．96'.
_WIDE_POINT = re.compile(r"(?<=\d)[。．](?=\d)")
# A space before the separator inside a number: '132 .96', '1 ,234'. (A space after it is
# left alone: '1. 2025年' is a list item followed by a year.)
_SPACE_AT_SEPARATOR = re.compile(r"(?<=\d)\s+([.,])(?=\d)")


# Points read for thousands commas: '1.301.98' has one reading only, 1,301.98 (the last group
# has two digits, so it is the decimal part; '1.301.980' could be either and stays).
_POINTS_AS_GROUPS = re.compile(r"(?<![\d.,])\d{1,3}(?:\.\d{3})+\.\d{1,2}(?![\d.,])")


def _points_to_groups(match: re.Match[str]) -> str:
    head, _, decimals = match.group(0).rpartition(".")
    return head.replace(".", ",") + "." + decimals


def fix_number_artefacts(text: str) -> str:
    """Undo OCR artefacts inside numbers that have exactly one reading; anything else is left
    for the row arithmetic to catch. Pure."""
    text = _FULLWIDTH_GROUP.sub(",", text)
    # Twice: '1O0O5' has overlapping matches ('O0O' shares the middle digit).
    text = _LETTER_O.sub("0", _LETTER_O.sub("0", text))
    text = _WIDE_POINT.sub(".", text)
    text = _SPACE_AT_SEPARATOR.sub(r"\1", text)
    return _POINTS_AS_GROUPS.sub(_points_to_groups, text)


def chars_to_text(chars: list[dict[str, Any]]) -> str:
    """The text of a page's characters: lines top to bottom, left to right, joined by
    newlines (the same line grouping the table reader uses). Pure."""
    return "\n".join(line_text(line) for line in group_lines(chars))
