"""Extraction settings: one validated dataclass with named defaults."""

from __future__ import annotations

from dataclasses import dataclass

TABLE_ENGINES = ("auto", "pdfplumber", "camelot")
PAGE_READERS = ("pdfium", "pdfminer")
OCR_MODES = ("auto", "off", "force")


@dataclass(frozen=True)
class ExtractSettings:
    table_engine: str = "auto"
    # Who reads characters and ruling edges of table pages: PDFium (fast) or pdfminer through
    # pdfplumber (slow, the reference). The grids come from pdfplumber's table finder either way.
    page_reader: str = "pdfium"
    ocr: str = "auto"
    # Words whose vertical centres differ by less than this share one text line. 3 pt is
    # below the smallest line pitch of a 9 pt table font and above the jitter pdfminer
    # reports for glyphs of one line set in mixed CJK/Latin fonts.
    line_tolerance: float = 3.0
    # A page whose text holds fewer Han characters than this is not narrative.
    min_han_per_text_page: int = 20
    # Share of U+FFFD / private-use / control / (cid:) characters above which a text layer
    # is treated as garbled.
    garbled_share: float = 0.3
    # Pages beyond this are screened but never parsed (a 'PDF' of 900 blank pages).
    max_pages: int = 400

    def __post_init__(self) -> None:
        if self.table_engine not in TABLE_ENGINES:
            raise ValueError(f"table_engine must be one of {TABLE_ENGINES}, not {self.table_engine!r}")
        if self.page_reader not in PAGE_READERS:
            raise ValueError(f"page_reader must be one of {PAGE_READERS}, not {self.page_reader!r}")
        if self.ocr not in OCR_MODES:
            raise ValueError(f"ocr must be one of {OCR_MODES}, not {self.ocr!r}")
        if not 0 < self.line_tolerance < 20:
            raise ValueError("line_tolerance must be between 0 and 20 pt")
        if not 0 < self.garbled_share < 1:
            raise ValueError("garbled_share must be between 0 and 1")
        if self.max_pages < 1:
            raise ValueError("max_pages must be at least 1")
