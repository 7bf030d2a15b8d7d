"""Fast page screen with PDFium: text, table, blank, image-only or garbled.

PDFium reads a page's text and objects an order of magnitude faster than pdfminer, so the
slow engines (pdfplumber tables, camelot, OCR) run only on the pages that need them.
"""

from __future__ import annotations

import re

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from extract.ocr_garbled import garbled_reason
from extract.settings import ExtractSettings
from normalize.text import fold_text, han_count
from schemas.records import PageScreen

_AMOUNT_TOKEN = re.compile(r"(?<![\d.,])\d{1,3}(?:,\d{3})+(?:\.\d{1,6})?(?![\d.,])|(?<![\d.,])\d+\.\d{2,6}(?![\d.,])")
# A table page shows a 公开/预算 table label, a unit line or many two-decimal amounts on
# their own; narrative pages mention amounts inside sentences (followed by 万元).
_TABLE_MARK = re.compile(r"(公开|预算|决算)\s*\d{1,2}\s*表|栏次|行次|科目编码|功能分类科目|经济分类科目")
# A unit line on its own ('单位：万元'), not inside a chart caption ('图1：…（单位：万元）').
_UNIT_LINE = re.compile(r"^\s*(金额)?单位\s*[:：]\s*(亿元|万元|千元|元)\s*$", re.M)
# A unit right after an amount: narrative amounts carry one ('42,211,482.87 元'); cells don't.
_UNIT_AFTER = re.compile(r"\s*(亿元|万元|千元|元|%)")


# A note printed under a table: '注：本表反映…', '说明：…'.
_NOTE = re.compile(r"(?m)^\s*(注|说明|备注)\s*\d?\s*[:：][^。]*。?")


def _bad_char(ch: str) -> bool:
    cp = ord(ch)
    return ch == "\ufffd" or 0xE000 <= cp <= 0xF8FF or (cp < 32 and ch not in "\r\n\t")


def classify_page_text(text: str, n_images: int, settings: ExtractSettings, n_paths: int = 0) -> tuple[str, str]:
    """(kind, reason) for a page from its text, image and vector-path counts. Pure."""
    stripped = "".join(text.split())
    if not stripped:
        if n_images:
            return "image", "no text layer, only images: needs OCR"
        return "blank", "no text and no images"
    cid_share = len(re.findall(r"\(cid:\d+\)", text)) * 7 / max(len(stripped), 1)
    bad = sum(1 for ch in stripped if _bad_char(ch)) / len(stripped) + cid_share
    if bad > settings.garbled_share:
        return "garbled", f"{bad:.0%} of the text layer is unmapped or private-use characters"
    n_han = han_count(stripped)
    if n_han < 3 and len(stripped) > 40 and not _AMOUNT_TOKEN.search(text):
        return "garbled", "the text layer has almost no Chinese characters and no amounts"
    # Glyphs mapped to the wrong characters read as Han text: rare ideographs, mojibake.
    if (why := garbled_reason(stripped)) is not None:
        return "garbled", why
    folded = fold_text(text)
    amounts = len(_AMOUNT_TOKEN.findall(folded))
    wan_mentions = folded.count("万元") + folded.count("%")
    # Letter-spaced exports (Chromium) put one character per text line: look for the marks
    # with all whitespace removed.
    if _TABLE_MARK.search(folded) or _TABLE_MARK.search(re.sub(r"\s+", "", folded)):
        return "table", f"table marks and {amounts} amounts"
    if _UNIT_LINE.search(folded) and amounts >= 2:
        return "table", f"a unit line and {amounts} amounts"
    bare = sum(1 for m in _AMOUNT_TOKEN.finditer(folded) if not _UNIT_AFTER.match(folded, m.end()))
    if amounts >= 8 and bare > 2 * wan_mentions:
        return "table", f"{amounts} amounts outside sentences"
    # A continuation page: a few amounts, ruled lines, no sentences (e.g. only the 合计 rows).
    if amounts >= 1 and n_paths >= 8 and folded.count("。") <= 1 and wan_mentions == 0:
        return "table", f"{amounts} amounts on a ruled page without sentences"
    if n_han == 0 and n_images:
        return "image", "images with no Chinese text: needs OCR"
    return "text", f"{n_han} Chinese characters"


def screen_pages(doc: pdfium.PdfDocument, settings: ExtractSettings) -> list[tuple[PageScreen, str]]:
    """Screen every page: returns (PageScreen, text) per page, 1-based page numbers."""
    out: list[tuple[PageScreen, str]] = []
    for index in range(len(doc)):
        page = doc[index]
        try:
            textpage = page.get_textpage()
            try:
                text = textpage.get_text_range()
            finally:
                textpage.close()
            n_images = n_paths = 0
            for obj in page.get_objects(max_depth=2):
                if obj.type == pdfium_c.FPDF_PAGEOBJ_IMAGE:
                    n_images += 1
                elif obj.type == pdfium_c.FPDF_PAGEOBJ_PATH:
                    n_paths += 1
            kind, reason = classify_page_text(text, n_images, settings, n_paths)
            stripped = "".join(text.split())
            out.append(
                (
                    PageScreen(
                        page=index + 1,
                        kind=kind,
                        n_chars=len(stripped),
                        n_han=han_count(stripped),
                        rotation=page.get_rotation(),
                        reason=reason,
                    ),
                    text,
                )
            )
        finally:
            page.close()
    return out


def promote_continuations(screened: list[tuple[PageScreen, str]]) -> list[tuple[PageScreen, str]]:
    """A 'text' page right after a table page that holds amounts and no sentence is the table's
    last page (often only its 总计 row). Pure."""
    out = list(screened)
    for i in range(1, len(out)):
        screen, text = out[i]
        # A note under the table ('注：本表反映…。', broken over text lines) is a sentence that
        # does not count.
        folded = _NOTE.sub("", fold_text(text))
        if (
            screen.kind == "text"
            and out[i - 1][0].kind == "table"
            and _AMOUNT_TOKEN.search(folded)
            and "。" not in folded
            and "万元" not in folded
        ):
            promoted = PageScreen(screen.page, "table", screen.n_chars, screen.n_han, screen.rotation,
                                  "amounts without sentences after a table page")  # fmt: skip
            out[i] = (promoted, text)
    return out
