"""Entry point of the extract stage: one PDF file -> one RawDocument."""

from __future__ import annotations

import io
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium

from extract.facts import sentence_to_facts
from extract.metadata import metadata_from_text
from extract.narrative import pages_to_sentences
from extract.ocr import OCR_MISSING_REASON, ocr_available, ocr_page, page_text
from extract.pdf import open_pdfium, read_pdf_bytes
from extract.pdfium_page import PdfiumPage
from extract.screen import classify_page_text, promote_continuations, screen_pages
from extract.settings import ExtractSettings
from extract.tables.engine import extract_tables
from schemas.raw import PageText, RawDocument
from schemas.records import PageScreen


def extract_document(path: Path, settings: ExtractSettings | None = None) -> RawDocument:
    """Read one PDF. Raises ``extract.errors.InputError`` (with a user-facing message) when
    the file cannot be read at all; anything partial is recorded in the returned record."""
    settings = settings or ExtractSettings()
    pdf_bytes = read_pdf_bytes(path)
    doc = open_pdfium(pdf_bytes)
    warnings: list[str] = []
    try:
        page_count = len(doc)
        screened = promote_continuations(screen_pages(doc, settings))
        screened, ocr_pages = _ocr_pages(doc, screened[: settings.max_pages], settings, warnings)
    finally:
        doc.close()
    if page_count > settings.max_pages:
        warnings.append(f"only the first {settings.max_pages} of {page_count} pages were read")
    screened = screened[: settings.max_pages]
    screens = tuple(s for s, _ in screened)
    texts = [(s.page, t) for s, t in screened]
    readable = [(p, t) for (s, _), (p, t) in zip(screened, texts, strict=True) if s.kind in ("text", "table")]
    first_pages = [t for p, t in readable[:2]]
    meta = metadata_from_text(first_pages, "\n".join(t for _, t in readable))

    narrative_pages = [(p, t) for (s, _), (p, t) in zip(screened, texts, strict=True) if s.kind == "text"]
    facts = []
    for sentence in pages_to_sentences(narrative_pages):
        facts.extend(sentence_to_facts(sentence, str(path)))

    table_pages = [s.page for s in screens if s.kind == "table"]
    tables_result = None
    if table_pages:
        if settings.page_reader == "pdfium":
            tables_doc = open_pdfium(pdf_bytes)
            try:
                tables_result = extract_tables(
                    tables_doc, table_pages, str(path), settings.table_engine, path, ocr_pages
                )
            finally:
                tables_doc.close()
        else:
            with pdfplumber.open(io.BytesIO(pdf_bytes.data)) as pdf:
                tables_result = extract_tables(pdf, table_pages, str(path), settings.table_engine, path)
    for kind in ("image", "garbled"):
        pages = [s.page for s in screens if s.kind == kind]
        if pages:
            what = "image-only (scanned)" if kind == "image" else "garbled text layer"
            warnings.append(f"{len(pages)} page(s) {what}: {page_ranges(pages)}; {OCR_MISSING_REASON}")
    return RawDocument(
        doc_id=pdf_bytes.doc_id,
        source_path=str(path),
        file_bytes=len(pdf_bytes.data),
        page_count=page_count,
        screens=screens,
        meta=meta,
        pages_text=tuple(PageText(p, t) for p, t in texts),
        tables=tables_result.tables if tables_result else (),
        facts=tuple(facts),
        table_numbers_total=tables_result.numbers_total if tables_result else 0,
        table_numbers_unused=tables_result.numbers_unused if tables_result else (),
        warnings=tuple(warnings),
    )


def _ocr_pages(
    doc: pdfium.PdfDocument,
    screened: list[tuple[PageScreen, str]],
    settings: ExtractSettings,
    warnings: list[str],
) -> tuple[list[tuple[PageScreen, str]], dict[int, PdfiumPage]]:
    """Read image-only and garbled pages (every page with ``ocr='force'``) from their images.

    The OCR page carries characters and ruling edges like a text-layer page, so the same
    narrative and table readers run on it; its screen is redone on the recognised text."""
    wanted = [s.page for s, _ in screened if settings.ocr == "force" or s.kind in ("image", "garbled")]
    if settings.ocr == "off" or not wanted:
        return screened, {}
    if not ocr_available():
        return screened, {}
    out = list(screened)
    pages: dict[int, PdfiumPage] = {}
    for i, (screen, _) in enumerate(screened):
        if screen.page not in wanted:
            continue
        page = ocr_page(doc, screen.page)
        text = page_text(page)
        kind, reason = classify_page_text(text, 0, settings, len(page.edges))
        out[i] = (
            PageScreen(screen.page, kind, len(text), screen.n_han, screen.rotation, f"OCR: {reason}", "ocr"),
            text,
        )
        pages[screen.page] = page
    warnings.append(f"{len(pages)} page(s) read by OCR: {page_ranges(sorted(pages))}")
    return out, pages


def page_ranges(pages: list[int]) -> str:
    """'1, 3–5' for [1, 3, 4, 5]."""
    runs: list[list[int]] = []
    for p in pages:
        if runs and p == runs[-1][-1] + 1:
            runs[-1].append(p)
        else:
            runs.append([p])
    return ", ".join(f"{r[0]}" if len(r) == 1 else f"{r[0]}–{r[-1]}" for r in runs)
