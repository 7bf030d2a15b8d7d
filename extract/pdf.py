"""Open a file as a PDF, or say in one sentence why it cannot be opened."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium

from extract.errors import CorruptPdf, EmptyFile, Encrypted, NotPdf

# The PDF header may legally be preceded by junk, but readers look only this far.
_HEADER_WINDOW = 1024


@dataclass(frozen=True)
class PdfBytes:
    path: Path
    data: bytes
    doc_id: str


def read_pdf_bytes(path: Path) -> PdfBytes:
    data = path.read_bytes()
    doc_id = hashlib.sha256(data).hexdigest()
    if not data:
        raise EmptyFile("the file is empty (0 bytes)")
    if b"%PDF-" not in data[:_HEADER_WINDOW]:
        raise NotPdf(f"not a PDF: {describe_non_pdf(data)}")
    return PdfBytes(path, data, doc_id)


def describe_non_pdf(data: bytes) -> str:
    head = data[:512].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")) or b"<html" in head:
        return "it is an HTML page (often a download that returned an error page)"
    if head.startswith(b"pk\x03\x04"):
        return "it is a ZIP archive (possibly a .docx or .xlsx)"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "it is an old Office document (.doc/.xls)"
    if head.startswith((b"\x89png", b"\xff\xd8\xff")):
        return "it is an image"
    return "the file does not start with a PDF header"


def open_pdfium(pdf: PdfBytes) -> pdfium.PdfDocument:
    """Open with PDFium; encrypted files with an empty user password open as usual."""
    try:
        doc = pdfium.PdfDocument(pdf.data)
    except pdfium.PdfiumError as exc:
        msg = str(exc).lower()
        if "password" in msg:
            raise Encrypted("the PDF is encrypted with a password; it cannot be read without it") from None
        if b"%%EOF" not in pdf.data[-2048:]:
            raise CorruptPdf("the PDF is truncated or damaged: the end of the file is missing") from None
        raise CorruptPdf(f"the PDF is damaged and cannot be opened ({exc})") from None
    if len(doc) == 0:
        doc.close()
        raise CorruptPdf("the PDF has no pages")
    return doc
