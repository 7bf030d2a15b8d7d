"""RapidOCR, run strip by strip: text boxes and their strings for one page image.

RapidOCR's own entry point detects text on the whole page at once. Its detection network
needs memory in proportion to its input: ~500 MB above the loaded models for an A4 page at
2000 px, more than a pipeline worker may use (400 MB in all). So detection runs here on
horizontal strips of the page that overlap by more than a text line; a line found by several
strips is kept once, from the strip where it lies farthest from a cut edge. The angle
classifier and the recognition network then read the boxes cut from the full-resolution
image, as RapidOCR does. The models are the ones inside
the ``rapidocr_onnxruntime`` wheel (pinned): nothing is downloaded.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from functools import cache
from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray

# Detection works on the page shrunk to at most this many pixels on its longer side (~170 dpi
# on A4): 7 pt table text is found as reliably as at full resolution, at a fraction of the
# cost. Recognition reads crops of the full-resolution image.
DETECT_MAX_SIDE = 2000
# Strip height and overlap in detection pixels. Detection needs ~0.4 KB per pixel of its
# input: 256-px strips of a 2000-px-wide page keep it near 190 MB (512 px: ~420 MB; the whole
# page at once: ~500–650 MB), at the same total cost. 96 px of overlap is more than twice the
# height of a 22 pt title line at 170 dpi (~52 px), so every line lies whole in some strip,
# clear of its cut edges (the detector misses some lines that touch them).
STRIP = 256
OVERLAP = 96

Box = NDArray[np.float32]  # 4 corner points (x, y), clockwise from top-left


@cache
def engine(threads: int) -> Any:
    """One RapidOCR engine per process and thread count (loading its models takes ~1 s)."""
    from rapidocr_onnxruntime import RapidOCR

    n = threads if threads > 0 else -1
    # det_limit_type "max": the detector only shrinks images larger than its size tiers (960,
    # 1500, 2000 px); its default ("min", 736) would enlarge every strip to 736 px high.
    # rec_batch_num 1: recognition pads a batch to its widest line, and memory grows with the
    # batch (a page of 16 pt narrative: peak 495 MB at the default 6, 337 MB at 1) while one
    # thread gains nothing from batching (CPU per page measured equal or lower).
    return RapidOCR(det_limit_type="max", rec_batch_num=1, intra_op_num_threads=n, inter_op_num_threads=n)


def strips(height: int, strip: int = STRIP, overlap: int = OVERLAP) -> list[tuple[int, int]]:
    """(start, end) rows of strips covering ``height`` rows, each overlapping the next by
    ``overlap`` rows. Pure."""
    if height <= strip:
        return [(0, height)]
    out = []
    start = 0
    while True:
        end = min(start + strip, height)
        out.append((start, end))
        if end == height:
            return out
        start += strip - overlap


def _overlaps(a: Box, b: Box) -> bool:
    """True when two boxes cover the same text: the centre of either lies in the other."""

    def holds(outer: Box, inner: Box) -> bool:
        x, y = float(inner[:, 0].mean()), float(inner[:, 1].mean())
        return bool(outer[:, 0].min() <= x <= outer[:, 0].max() and outer[:, 1].min() <= y <= outer[:, 1].max())

    return holds(a, b) or holds(b, a)


def merge_strip_boxes(found: list[tuple[Box, float]]) -> list[Box]:
    """One box per text line from the boxes of overlapping strips, each given with its
    distance from the nearest cut edge of its strip: the detector reads a line best away from
    the edges (it misses some there), so a line is kept from whichever strip found it, and
    among boxes of the same line the most central wins. Pure."""
    kept: list[Box] = []
    for box, _margin in sorted(found, key=lambda item: -item[1]):
        if not any(_overlaps(box, other) for other in kept):
            kept.append(box)
    return kept


def _detect(rgb: NDArray[Any], ocr: Any, max_side: int, strip: int) -> list[Box]:
    """Text boxes of the whole image in its own pixels, detected strip by strip."""
    h, w = rgb.shape[:2]
    scale = min(1.0, max_side / max(h, w))
    small = cv2.resize(rgb, (round(w * scale), round(h * scale)), interpolation=cv2.INTER_AREA) if scale < 1 else rgb
    height = small.shape[0]
    found: list[tuple[Box, float]] = []
    for start, end in strips(height, strip):
        boxes, _ = ocr.text_det(np.ascontiguousarray(small[start:end]))
        if boxes is None or len(boxes) == 0:
            continue
        for box in boxes:
            box = np.array(box, dtype=np.float32)
            top, bottom = float(box[:, 1].min()), float(box[:, 1].max())
            # Distance to the strip's cut edges (a page edge is not a cut).
            margin = min(top if start > 0 else float(strip), (end - start) - bottom if end < height else float(strip))
            if margin < 2:
                continue  # cut by the strip's edge: the neighbouring strip holds it whole
            box[:, 1] += start
            found.append((box / scale, margin))
    return merge_strip_boxes(found)


@cache
def _libc() -> Any:
    name = ctypes.util.find_library("c")
    try:
        return ctypes.CDLL(name) if name else None
    except OSError:
        return None


def release_memory() -> None:
    """Hand freed memory back to the system. The detector allocates and frees a few hundred
    MB per page; glibc keeps it in its free lists, so a worker's resident size would stay at
    its peak (measured: 330 MB after one page, 124 MB after trimming)."""
    libc = _libc()
    if libc is not None and hasattr(libc, "malloc_trim"):
        libc.malloc_trim(0)


def read_lines(
    gray: NDArray[Any],
    threads: int,
    min_confidence: float,
    max_side: int = DETECT_MAX_SIDE,
    strip: int = STRIP,
) -> list[tuple[str, tuple[int, int, int, int]]]:
    """(text, axis-aligned pixel box) of every text line read with at least ``min_confidence``,
    top to bottom."""
    ocr = engine(threads)
    rgb = np.dstack([gray, gray, gray])
    boxes = _detect(rgb, ocr, max_side, strip)
    if not boxes:
        return []
    boxes = ocr.sorted_boxes(np.array(boxes, dtype=np.float32))
    crops = ocr.get_crop_img_list(rgb, boxes)
    crops, _, _ = ocr.text_cls(crops)
    results, _ = ocr.text_rec(crops, False)
    del crops, rgb
    release_memory()
    out = []
    for box, (text, score, *_rest) in zip(boxes, results, strict=True):
        text = str(text)
        if float(score) < min_confidence or not text.strip():
            continue
        xs, ys = box[:, 0], box[:, 1]
        x0, top = max(int(xs.min()), 0), max(int(ys.min()), 0)
        out.append((text, (x0, top, int(xs.max()) + 1, int(ys.max()) + 1)))
    return out
