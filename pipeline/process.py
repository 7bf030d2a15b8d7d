"""One file -> one DocumentResult. Never raises: a failure is a documents row with a reason."""

from __future__ import annotations

import traceback
from datetime import UTC, datetime
from pathlib import Path

from audit.document import audit_document
from extract.document import extract_document
from extract.errors import InputError
from extract.settings import ExtractSettings
from normalize.document import NormalizedDocument, normalize_document
from schemas import PIPELINE_VERSION
from schemas.records import DocumentResult, DocumentRow

_ACCEPTED_TYPES = ("部门决算", "单位决算")


def _doc_id_of(path: Path) -> str:
    import hashlib

    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return hashlib.sha256(str(path).encode()).hexdigest()


def failed_row(path: Path, reason: str, page_count: int | None = None, doc_id: str | None = None) -> DocumentRow:
    try:
        size = path.stat().st_size
    except OSError:
        size = 0
    return DocumentRow(
        doc_id=doc_id or _doc_id_of(path),
        source_path=str(path),
        file_name=path.name,
        file_bytes=size,
        page_count=page_count,
        report_type="unknown",
        fiscal_year=None,
        department=None,
        province=None,
        city=None,
        county=None,
        adcode=None,
        publish_date=None,
        amount_unit=None,
        text_source=None,
        status="failed",
        error=reason,
        n_tables=0,
        n_line_items=0,
        n_facts=0,
        n_checks_failed=0,
        table_coverage=None,
        pipeline_version=PIPELINE_VERSION,
        processed_at=datetime.now(UTC),
    )


def _status(doc: NormalizedDocument) -> tuple[str, str | None]:
    raw = doc.raw
    meta = raw.meta
    reasons: list[str] = []
    if meta.is_template:
        return (
            "partial",
            f"a blank template with placeholder text ({meta.department or 'XX'}), not a department's document",
        )
    what = meta.report_type if meta.report_type != "unknown" else "document without a 决算 title"
    readable = [sc for sc in raw.screens if sc.kind in ("text", "table")]
    unreadable = [sc for sc in raw.screens if sc.kind in ("image", "garbled")]
    if unreadable and len(readable) <= len(unreadable) // 10:
        kind = "scanned (image-only)" if any(sc.kind == "image" for sc in unreadable) else "garbled"
        return "partial", f"the document is {kind}: its {len(unreadable)} page(s) need OCR"
    if meta.report_type not in _ACCEPTED_TYPES:
        if meta.report_type == "unknown" and not raw.tables:
            return "failed", "not a 决算: no 部门决算/单位决算 title and no annex tables were found"
        reasons.append(f"this is a {what}, not a 部门决算; read with the same parser")
    reasons.extend(raw.warnings)
    if not raw.tables and not raw.facts:
        reasons.append("no annex tables and no narrative figures were found")
    if not reasons:
        return "ok", None
    return "partial", "; ".join(reasons)


def _amount_unit(doc: NormalizedDocument) -> str | None:
    """The unit the annex tables print (most of them), else the narrative's."""
    units = [t.unit for t in doc.raw.tables if t.unit and t.rows]
    if units:
        return max(set(units), key=units.count)
    return doc.raw.meta.amount_unit


def _text_source(doc: NormalizedDocument) -> str:
    sources = {s.source for s in doc.raw.screens if s.kind in ("text", "table")}
    if "ocr" in sources:
        return "mixed" if "text" in sources else "ocr"
    kinds = {s.kind for s in doc.raw.screens}
    if kinds & {"image", "garbled"} and kinds & {"text", "table"}:
        return "mixed"
    if kinds & {"text", "table"}:
        return "text"
    return "ocr"


def process_file(path: Path, settings: ExtractSettings | None = None) -> DocumentResult:
    """Extract, normalize and audit one file; every outcome is a DocumentResult."""
    return process_path(path, settings)[0]


def process_path(
    path: Path, settings: ExtractSettings | None = None
) -> tuple[DocumentResult, NormalizedDocument | None]:
    """Like :func:`process_file`, also returning the normalized document (for ``inspect``)."""
    try:
        raw = extract_document(path, settings)
    except InputError as exc:
        return DocumentResult(failed_row(path, str(exc))), None
    except Exception as exc:  # a bug or a pathological file: record it, keep the batch going
        detail = traceback.format_exception_only(type(exc), exc)[-1].strip()
        return DocumentResult(failed_row(path, f"could not be processed: internal error ({detail})")), None
    try:
        doc = normalize_document(raw)
        checks = audit_document(doc)
    except Exception as exc:
        detail = traceback.format_exception_only(type(exc), exc)[-1].strip()
        reason = f"could not be normalized: internal error ({detail})"
        return DocumentResult(failed_row(path, reason, raw.page_count, raw.doc_id)), None
    status, error = _status(doc)
    coverage = None
    if raw.table_numbers_total:
        coverage = round(1 - len(raw.table_numbers_unused) / raw.table_numbers_total, 4)
    meta = raw.meta
    row = DocumentRow(
        doc_id=raw.doc_id,
        source_path=str(path),
        file_name=path.name,
        file_bytes=raw.file_bytes,
        page_count=raw.page_count,
        report_type="template" if meta.is_template else meta.report_type,
        fiscal_year=meta.fiscal_year,
        department=meta.department,
        province=doc.region.province,
        city=doc.region.city,
        county=doc.region.county,
        adcode=doc.region.adcode,
        publish_date=meta.publish_date,
        amount_unit=_amount_unit(doc),
        text_source=_text_source(doc),
        status=status,
        error=error,
        n_tables=len(raw.tables),
        n_line_items=len(doc.line_items),
        n_facts=len(doc.facts),
        n_checks_failed=sum(1 for c in checks if c.severity == "error"),
        table_coverage=coverage,
        pipeline_version=PIPELINE_VERSION,
        processed_at=datetime.now(UTC),
    )
    return DocumentResult(row, doc.line_items, doc.facts, tuple(checks)), doc
