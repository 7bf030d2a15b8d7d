"""Page images for OCR: binarising, skew estimation and correction, ruling lines.

Pure functions over numpy arrays (8-bit grayscale, white paper, dark ink). Scans come in
slightly rotated (a sheet fed at an angle of up to a few degrees); the OCR models read
tilted lines fine, but the table reader needs axis-aligned ruling lines and text lines, so the
image is rotated back before anything is read from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray

# 8-bit grayscale or binary image (OpenCV's stubs type its results loosely, so Any).
Gray = NDArray[Any]

# Skew search: scanners feed pages at most a few degrees off; anything beyond ±5° is a page
# turned on purpose (landscape), which the /Rotate flag or the OCR direction model handles.
MAX_SKEW_DEGREES = 5.0
# The profile is computed on a copy of the page about this many pixels wide: enough for
# text lines ~10 px apart to stay separate, small enough that 60 trial angles take ~0.1 s.
_PROFILE_WIDTH = 1000


@dataclass(frozen=True)
class Ruling:
    """A ruling line found in the image, in pixels: (x0, top, x1, bottom) of its axis."""

    orientation: str  # 'h' or 'v'
    x0: float
    top: float
    x1: float
    bottom: float


def ink_mask(gray: Gray) -> Gray:
    """255 where there is ink. Otsu's threshold separates paper from ink on printed pages;
    it is capped at 200 so that a page with almost no ink (a blank scan with paper texture)
    does not turn its texture into ink."""
    level, _ = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    _, mask = cv2.threshold(gray, min(level, 200.0), 255, cv2.THRESH_BINARY_INV)
    return mask


def _profile_sharpness(ys: NDArray[np.float64], xs: NDArray[np.float64], angle: float, height: int) -> float:
    """How sharply the ink rows stand out when the page is rotated by ``angle`` degrees:
    the sum of squared row counts, which is largest when text lines and rules lie flat."""
    theta = np.deg2rad(angle)
    rows = np.round(ys * np.cos(theta) - xs * np.sin(theta)).astype(np.int64)
    rows -= rows.min()
    counts = np.bincount(rows, minlength=height)
    return float(np.dot(counts, counts))


def skew_angle(gray: Gray, max_degrees: float = MAX_SKEW_DEGREES) -> float:
    """The angle in degrees by which the page's text lines and ruling lines are tilted,
    positive when they descend to the right (a clockwise tilt on screen); 0.0 for a page with
    too little ink to tell.

    Projection-profile search: the horizontal ink profile is sharpest when the lines are level.
    Coarse steps of 0.25° over ±``max_degrees``, then 0.02° steps around the best. Pure."""
    scale = min(1.0, _PROFILE_WIDTH / gray.shape[1])
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else gray
    mask = ink_mask(small)
    ys, xs = np.nonzero(mask)
    if len(ys) < 200:
        return 0.0
    yf, xf = ys.astype(np.float64), xs.astype(np.float64)
    height = int(small.shape[0] + small.shape[1])

    def best(candidates: NDArray[np.float64]) -> float:
        scores = [_profile_sharpness(yf, xf, float(a), height) for a in candidates]
        return float(candidates[int(np.argmax(scores))])

    coarse = best(np.arange(-max_degrees, max_degrees + 1e-9, 0.25))
    fine = best(np.arange(coarse - 0.25, coarse + 0.25 + 1e-9, 0.02))
    return round(fine, 2)


def rotate_image(gray: Gray, angle: float) -> Gray:
    """Rotate by ``angle`` degrees (counter-clockwise positive) about the centre, same size,
    new corners filled with white."""
    h, w = gray.shape[:2]
    matrix = cv2.getRotationMatrix2D((w / 2.0, h / 2.0), angle, 1.0)
    out: Gray = cv2.warpAffine(
        gray, matrix, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=255
    )
    return out


def deskew(gray: Gray, min_degrees: float) -> tuple[Gray, float]:
    """(level image, angle corrected). Angles below ``min_degrees`` are left alone: rotating
    costs sharpness, and a fraction of a degree shifts a line by less than the 3 pt the table
    reader tolerates across a page."""
    angle = skew_angle(gray)
    if abs(angle) < min_degrees:
        return gray, 0.0
    # Lines descending to the right by ``angle`` are levelled by turning the image
    # counter-clockwise by that angle (OpenCV's positive direction).
    return rotate_image(gray, angle), angle


def _runs(mask: Gray, orientation: str, length: int) -> Gray:
    """Ink that continues for at least ``length`` pixels in one direction. A 3-pixel closing
    first bridges the breaks a scanner or JPEG leaves in faint rules."""
    if orientation == "h":
        bridge, kernel = (3, 1), (length, 1)
    else:
        bridge, kernel = (1, 3), (1, length)
    closed = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, bridge))
    runs: Gray = cv2.morphologyEx(closed, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, kernel))
    return runs


def _keep_rules(
    lines: Gray, orientation: str, other: Gray, max_thickness_px: int, standalone_px: int
) -> tuple[list[Ruling], list[int], Gray]:
    """Rulings among the runs of ``lines``: thin, and either long (``standalone_px``) or
    running from a perpendicular run of ``other`` to another, as a cell border does. Returns the
    rulings, the kept component labels and the label image."""
    n, labels, stats, _ = cv2.connectedComponentsWithStats(lines, connectivity=8)
    near = cv2.dilate(other, cv2.getStructuringElement(cv2.MORPH_RECT, (7, 7)))
    out: list[Ruling] = []
    kept: list[int] = []
    for i in range(1, n):
        x, y, w, h = (int(v) for v in stats[i, :4])
        if orientation == "h":
            thin, length = h <= max_thickness_px, w
            ends = (near[y : y + h, x], near[y : y + h, x + w - 1])
        else:
            thin, length = w <= max_thickness_px, h
            ends = (near[y, x : x + w], near[y + h - 1, x : x + w])
        if not thin:
            continue  # a filled area (a shaded header band), not a rule
        if length < standalone_px and not all(e.any() for e in ends):
            continue  # a short stroke not bounded by rules: part of a character or a dash
        kept.append(i)
        if orientation == "h":
            out.append(Ruling("h", float(x), y + h / 2.0, float(x + w), y + h / 2.0))
        else:
            out.append(Ruling("v", x + w / 2.0, float(y), x + w / 2.0, float(y + h)))
    return out, kept, labels


def find_rulings(
    gray: Gray, min_px: tuple[int, int], max_thickness_px: int, standalone_px: int
) -> tuple[list[Ruling], Gray]:
    """Horizontal and vertical ruling lines, and the mask of their pixels. Pure.

    A rule is a run of ink at least ``min_px`` (horizontal, vertical) long and at most
    ``max_thickness_px`` thick; one shorter than ``standalone_px`` counts only where it runs
    from one perpendicular rule to another (a cell border), so that strokes of large
    characters and dashes in running text are not rules, nor is a character stroke that a
    blurred scan joins to the rule under it, nor two strokes joined through a rule.
    Morphological opening with a long thin kernel keeps only ink that continues in one
    direction for the kernel's length."""
    mask = ink_mask(gray)
    horizontal = _runs(mask, "h", min_px[0])
    vertical = _runs(mask, "v", min_px[1])
    v_rules, v_kept, v_labels = _keep_rules(vertical, "v", horizontal, max_thickness_px, standalone_px)
    v_mask = np.where(np.isin(v_labels, v_kept), 255, 0).astype(np.uint8)
    h_rules, h_kept, h_labels = _keep_rules(horizontal, "h", v_mask, max_thickness_px, standalone_px)
    rules = np.where(np.isin(h_labels, h_kept) | (v_mask > 0), mask, 0).astype(np.uint8)
    return h_rules + v_rules, rules


def erase(gray: Gray, mask: Gray) -> Gray:
    """The image with the masked pixels (grown by one pixel) painted white: table rules taken
    out before OCR, so that a stroke touching a rule ('一' at a cell's left border) is not
    read as part of the rule. Pure."""
    grown = cv2.dilate(mask, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 3)))
    out = gray.copy()
    out[grown > 0] = 255
    return out


def ink_segments(
    mask: Gray, box: tuple[int, int, int, int], min_gap: int, cuts: list[float]
) -> list[tuple[int, int, int, int]]:
    """The pieces of ink inside ``box`` (x0, top, x1, bottom) of a binary mask, left to right,
    each as (x0, top, x1, bottom). Pieces are split where a run of empty columns is at least
    ``min_gap`` wide or holds one of the x positions in ``cuts`` (an erased vertical rule: two
    cells' texts read as one line). Pure."""
    x0, top, x1, bottom = (max(v, 0) for v in box)
    region = mask[top:bottom, x0:x1]
    if region.size == 0:
        return []
    filled = np.concatenate(([0], region.any(axis=0).astype(np.int8), [0]))
    change = np.flatnonzero(np.diff(filled))
    runs = list(zip(change[::2].tolist(), change[1::2].tolist(), strict=True))  # [start, end) of inked columns
    pieces: list[list[int]] = []
    for start, end in runs:
        if pieces:
            gap_from, gap_to = x0 + pieces[-1][1], x0 + start
            cut = any(gap_from - 2 <= c <= gap_to + 2 for c in cuts)
            if start - pieces[-1][1] < min_gap and not cut:
                pieces[-1][1] = end
                continue
        pieces.append([start, end])
    out = []
    for a, b in pieces:
        rows = np.flatnonzero(region[:, a:b].any(axis=1))
        out.append((x0 + a, top + int(rows[0]), x0 + b, top + int(rows[-1]) + 1))
    return out
