"""A page read by PDFium: characters and ruling edges as pdfplumber-style dicts.

pdfminer interprets a dense table page in ~0.2 s; PDFium reads the same characters and paths
in a few milliseconds. The table reader needs only characters (text and box) and the edges of
ruling lines, rectangles and curves, so it takes them from here and runs pdfplumber's table
finder over them. Coordinates are pdfplumber's: points from the top-left of the page as
displayed (a /Rotate flag is applied).
"""

from __future__ import annotations

import ctypes
import itertools
from dataclasses import dataclass, field
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

# A segment within this many points of horizontal or vertical is a ruling line.
_AXIS_TOLERANCE = 0.5
_WHITE = 250  # 8-bit channel value treated as white


@dataclass
class PdfiumPage:
    page_number: int
    width: float
    height: float
    chars: list[dict[str, Any]] = field(default_factory=list)
    edges: list[dict[str, Any]] = field(default_factory=list)

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return (0.0, 0.0, self.width, self.height)

    def close(self) -> None:
        """Nothing is cached beyond the lists; present for symmetry with pdfplumber pages."""


class _Transform:
    """PDF user space (origin bottom-left) -> displayed top-left space, applying /Rotate."""

    def __init__(self, page: pdfium.PdfPage) -> None:
        left, bottom, right, top = page.get_mediabox()
        self.left, self.top = left, top
        self.w, self.h = right - left, top - bottom
        self.rotation = page.get_rotation() % 360

    @property
    def size(self) -> tuple[float, float]:
        return (self.h, self.w) if self.rotation in (90, 270) else (self.w, self.h)

    def point(self, x: float, y: float) -> tuple[float, float]:
        ux, uy = x - self.left, self.top - y  # unrotated, y down
        if self.rotation == 90:
            return self.h - uy, ux
        if self.rotation == 180:
            return self.w - ux, self.h - uy
        if self.rotation == 270:
            return uy, self.w - ux
        return ux, uy

    def box(self, left: float, bottom: float, right: float, top: float) -> tuple[float, float, float, float]:
        (ax, ay), (bx, by) = self.point(left, bottom), self.point(right, top)
        return min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)


def _chars(page: pdfium.PdfPage, tf: _Transform) -> list[dict[str, Any]]:
    textpage = page.get_textpage()
    try:
        raw = textpage.raw
        rect = pdfium_c.FS_RECTF()
        out = []
        for i in range(textpage.count_chars()):
            code = pdfium_c.FPDFText_GetUnicode(raw, i)
            if code in (0, 0xFFFE) or chr(code) in "\r\n":
                continue  # characters PDFium generates for line ends
            if not pdfium_c.FPDFText_GetLooseCharBox(raw, i, rect):
                continue
            x0, top, x1, bottom = tf.box(rect.left, rect.bottom, rect.right, rect.top)
            out.append({"text": chr(code), "x0": x0, "x1": x1, "top": top, "bottom": bottom,
                        "size": bottom - top, "object_type": "char"})  # fmt: skip
        return out
    finally:
        textpage.close()


def _color(obj: Any, getter: Any) -> tuple[int, int, int, int] | None:
    r, g, b, a = (ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint())
    if not getter(obj, r, g, b, a):
        return None
    return r.value, g.value, b.value, a.value


def _visible(obj: Any) -> bool:
    """False for paths that draw nothing a reader sees: no paint, or white on white."""
    fillmode, stroke = ctypes.c_int(), ctypes.c_int()
    if not pdfium_c.FPDFPath_GetDrawMode(obj, fillmode, stroke):
        return True
    fill = _color(obj, pdfium_c.FPDFPageObj_GetFillColor) if fillmode.value else None
    line = _color(obj, pdfium_c.FPDFPageObj_GetStrokeColor) if stroke.value else None

    def shows(color: tuple[int, int, int, int] | None) -> bool:
        return color is not None and color[3] > 0 and min(color[:3]) < _WHITE

    return shows(fill) or shows(line)


def _matrix(obj: Any) -> tuple[float, float, float, float, float, float]:
    m = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(obj, m):
        return (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _compose(inner: tuple[float, ...], outer: tuple[float, ...]) -> tuple[float, float, float, float, float, float]:
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _edge(x0: float, top: float, x1: float, bottom: float, orientation: str) -> dict[str, Any]:
    return {"x0": x0, "x1": x1, "top": top, "bottom": bottom, "doctop": top, "width": x1 - x0,
            "height": bottom - top, "orientation": orientation, "object_type": "path_edge"}  # fmt: skip


def _path_edges(obj: Any, matrix: tuple[float, ...], tf: _Transform) -> list[dict[str, Any]]:
    a, b, c, d, e, f = matrix
    points: list[tuple[float, float, bool]] = []  # (x, y, starts a new subpath)
    x, y = ctypes.c_float(), ctypes.c_float()
    for i in range(pdfium_c.FPDFPath_CountSegments(obj)):
        seg = pdfium_c.FPDFPath_GetPathSegment(obj, i)
        if not pdfium_c.FPDFPathSegment_GetPoint(seg, x, y):
            continue
        kind = pdfium_c.FPDFPathSegment_GetType(seg)
        px, py = tf.point(a * x.value + c * y.value + e, b * x.value + d * y.value + f)
        points.append((px, py, kind == pdfium_c.FPDF_SEGMENT_MOVETO))
        if pdfium_c.FPDFPathSegment_GetClose(seg):
            start = next((p for p in reversed(points) if p[2]), points[0])
            points.append((start[0], start[1], False))
    edges = []
    for (x0, y0, _), (x1, y1, new) in itertools.pairwise(points):
        if new:
            continue
        if abs(y0 - y1) <= _AXIS_TOLERANCE and abs(x1 - x0) > _AXIS_TOLERANCE:
            edges.append(_edge(min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1), "h"))
        elif abs(x0 - x1) <= _AXIS_TOLERANCE and abs(y1 - y0) > _AXIS_TOLERANCE:
            edges.append(_edge(min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1), "v"))
    return edges


def _edges(page: pdfium.PdfPage, tf: _Transform) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    forms: list[tuple[int, tuple[float, ...]]] = []  # (level, matrix to page space)
    for obj in page.get_objects(max_depth=4):
        while forms and forms[-1][0] >= obj.level:
            forms.pop()
        own = _matrix(obj.raw)
        to_page = _compose(own, forms[-1][1]) if forms else own
        if obj.type == pdfium_c.FPDF_PAGEOBJ_FORM:
            forms.append((obj.level, to_page))
        elif obj.type == pdfium_c.FPDF_PAGEOBJ_PATH and _visible(obj.raw):
            out.extend(_path_edges(obj.raw, to_page, tf))
    return out


def read_page(doc: pdfium.PdfDocument, page_number: int) -> PdfiumPage:
    """Characters and edges of one page (1-based)."""
    page = doc[page_number - 1]
    try:
        tf = _Transform(page)
        width, height = tf.size
        return PdfiumPage(page_number, width, height, _chars(page, tf), _edges(page, tf))
    finally:
        page.close()
