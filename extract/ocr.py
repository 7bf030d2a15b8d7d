"""Scanned pages -> PdfiumPage: characters and ruling edges read from the page image.

A scanned or garbled page is rendered with PDFium, levelled (deskewed), read by RapidOCR
(ONNX models shipped inside the ``rapidocr_onnxruntime`` wheel: nothing is downloaded), and
turned into the same page object the text-layer reader produces: characters as
pdfplumber-style dicts and ruling edges found by morphology in the image, in points from the
top-left of the displayed page. The table reader and the narrative reader then run unchanged:
one implementation of tables and narrative, two sources of characters.

OCR is an optional extra (``pip install 'juesuan[ocr]'``); without it ``ocr_available()`` is
False and the caller reports the pages as needing OCR.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pypdfium2 as pdfium

from extract.ocr_chars import chars_to_text, fix_number_artefacts, segments_to_chars
from extract.ocr_engine import read_lines
from extract.ocr_image import Gray, Ruling, deskew, erase, find_rulings, ink_mask, ink_segments
from extract.pdfium_page import PdfiumPage

OCR_MISSING_REASON = "needs OCR (install juesuan[ocr])"

# Render resolution, measured (2 cores, one ONNX thread) on table pages of three kinds: five
# seed table pages (7–9 pt text) rendered at 300 dpi into image-only PDFs, clean; the same
# blurred, speckled, JPEG-compressed and turned 1.2°; the same at 150 dpi turned 0.8° (a poor
# scan of small print); and the nine table pages of the scanned fixture hubei_yiling_justice_2022
# (150 dpi scan, skewed, speckled). Amounts exact / all cells equal to the text-layer reading:
#              clean 300      noisy 300      noisy 150          hubei (191 truth cells)
#   150 dpi:   539/539        537/539        grids broken on 2 pages; 204/205 amounts   190
#   200 dpi:   539/539        537/539        519/539, 205/205 amounts                   190
#   300 dpi:   539/539        538/539        523/539, 205/205 amounts                   190
# CPU per page is about the same at every resolution (~5–5.5 s per table page, ~4.5 s per
# narrative page of the 北京 scan, one thread), because detection runs on at most 2000 px
# whatever the render and recognition reads crops scaled to 48 px high; memory grows with the
# render (process peak on a hubei table page: 381 MB at 200 dpi, 404 MB at 300 dpi). 150 dpi
# breaks rules and loses decimal points of small print; 300 dpi adds little. Hence 200.
DEFAULT_DPI = 200


@dataclass(frozen=True)
class OcrSettings:
    # Render resolution of the page image (dots per inch).
    dpi: int = DEFAULT_DPI
    # Skews below this many degrees are not corrected (see ocr_image.deskew).
    min_skew_degrees: float = 0.1
    # Recognised lines with a confidence below this are dropped (RapidOCR's own default).
    min_confidence: float = 0.5
    # ONNX Runtime threads per engine; 0 lets it use every core. A batch running one worker
    # per core should set 1.
    threads: int = 1
    # Rules shorter than this are character strokes, not table lines (points). The shortest
    # cell border that matters is a row's height (~12 pt) but vertical rules run across many
    # rows; horizontal rules span at least one column (~25 pt).
    min_rule_h: float = 20.0
    min_rule_v: float = 10.0
    # A rule shorter than this counts only where it meets a perpendicular rule (a cell
    # border); on its own it is a stroke of a large character (16 pt body text has vertical
    # strokes of ~14 pt) or a dash (points).
    standalone_rule: float = 40.0
    # Rules thicker than this are filled areas (a black header band), not lines (points).
    max_rule_thickness: float = 3.0

    def __post_init__(self) -> None:
        if not 72 <= self.dpi <= 600:
            raise ValueError("dpi must be between 72 and 600")
        if not 0 <= self.min_skew_degrees < 5:
            raise ValueError("min_skew_degrees must be between 0 and 5")
        if not 0 <= self.min_confidence < 1:
            raise ValueError("min_confidence must be between 0 and 1")
        if self.threads < 0:
            raise ValueError("threads must be 0 (all cores) or more")
        if min(self.min_rule_h, self.min_rule_v, self.standalone_rule, self.max_rule_thickness) <= 0:
            raise ValueError("rule lengths and thickness must be positive")


def ocr_available() -> bool:
    """True when the OCR engine (rapidocr_onnxruntime and its ONNX runtime) can be imported."""
    try:
        import onnxruntime  # noqa: F401
        import rapidocr_onnxruntime  # noqa: F401
    except ImportError:
        return False
    return True


def render_gray(doc: pdfium.PdfDocument, page_number: int, dpi: int) -> tuple[Gray, float, float]:
    """(grayscale image, width, height in points) of one page (1-based) as displayed."""
    page = doc[page_number - 1]
    try:
        width, height = page.get_size()
        bitmap = page.render(scale=dpi / 72.0, grayscale=True)
        try:
            # Copy out of PDFium's buffer so the bitmap can be closed now.
            gray = np.array(bitmap.to_numpy(), dtype=np.uint8, copy=True)
        finally:
            bitmap.close()
    finally:
        page.close()
    if gray.ndim == 3:
        gray = gray[:, :, 0]
    return np.ascontiguousarray(gray), float(width), float(height)


def _edge(r: Ruling, scale: float) -> dict[str, Any]:
    x0, top, x1, bottom = r.x0 * scale, r.top * scale, r.x1 * scale, r.bottom * scale
    return {"x0": x0, "x1": x1, "top": top, "bottom": bottom, "doctop": top, "width": x1 - x0,
            "height": bottom - top, "orientation": r.orientation, "object_type": "line"}  # fmt: skip


def image_to_page(gray: Gray, page_number: int, width: float, height: float, settings: OcrSettings) -> PdfiumPage:
    """Read a level page image (``width`` × ``height`` points) into characters and edges."""
    scale = width / gray.shape[1]  # points per pixel
    rulings, rules = find_rulings(
        gray,
        (max(int(settings.min_rule_h / scale), 2), max(int(settings.min_rule_v / scale), 2)),
        max(int(settings.max_rule_thickness / scale), 1),
        int(settings.standalone_rule / scale),
    )
    # OCR reads the page without its rules, and text extents are measured without them: a
    # box touching a cell border would otherwise stretch to it.
    clean = erase(gray, rules)
    text_ink = ink_mask(clean)
    chars: list[dict[str, Any]] = []
    boxes = read_lines(clean, settings.threads, settings.min_confidence)
    verticals = [r for r in rulings if r.orientation == "v"]
    for text, box in boxes:
        mid = (box[1] + box[3]) / 2
        cuts = [r.x0 for r in verticals if r.top <= mid <= r.bottom and box[0] < r.x0 < box[2]]
        # Columns of a borderless table are at least a character apart; characters of one
        # phrase are not (a word space is a third of one).
        segments = ink_segments(text_ink, box, max(int(0.6 * (box[3] - box[1])), 3), cuts)
        chars.extend(segments_to_chars(fix_number_artefacts(text), segments, scale))
    edges = [_edge(r, scale) for r in rulings if not _inside_a_box(r, boxes)]
    return PdfiumPage(page_number, width, height, chars, edges)


def _inside_a_box(r: Ruling, boxes: list[tuple[str, tuple[int, int, int, int]]]) -> bool:
    """A 'rule' wholly inside one recognised line is a stroke of a large character or an
    underline of that line, not a table border."""
    return any(b[0] <= r.x0 and r.x1 <= b[2] and b[1] <= r.top and r.bottom <= b[3] for _, b in boxes)


def ocr_page(doc: pdfium.PdfDocument, page_number: int, settings: OcrSettings | None = None) -> PdfiumPage:
    """Characters and ruling edges of one page (1-based) read from its image."""
    settings = settings or OcrSettings()
    gray, width, height = render_gray(doc, page_number, settings.dpi)
    level, _angle = deskew(gray, settings.min_skew_degrees)
    del gray
    return image_to_page(level, page_number, width, height, settings)


def page_text(page: PdfiumPage) -> str:
    """The page's lines in reading order (top to bottom, left to right), one per line."""
    return chars_to_text(page.chars)
