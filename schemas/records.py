"""Record types that cross stage boundaries.

All records are frozen: provenance (file, page, bbox, engine) is set when a record is
created and never filled in later.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

BBox = tuple[float, float, float, float]


@dataclass(frozen=True)
class Provenance:
    """Where a record came from: the file, the 1-based page, the box on it and the engine."""

    file: str
    page: int | None
    bbox: BBox | None
    engine: str


@dataclass(frozen=True)
class PageScreen:
    """The fast verdict on one page, taken before any slow engine runs."""

    page: int
    kind: str  # text | table | blank | image | garbled
    n_chars: int
    n_han: int
    rotation: int
    reason: str
    source: str = "text"  # text (the PDF's text layer) or ocr (read from the page image)


@dataclass(frozen=True)
class DocumentMeta:
    """Title-page metadata as found in the document."""

    report_type: str  # 部门决算 / 单位决算 / 部门预算 / 单位预算 / unknown
    fiscal_year: int | None
    department: str | None
    publish_date: date | None
    amount_unit: str | None
    is_template: bool = False
    evidence: str = ""


@dataclass(frozen=True)
class Region:
    province: str | None = None
    city: str | None = None
    county: str | None = None
    adcode: str | None = None
    note: str = ""


@dataclass(frozen=True)
class DocumentRow:
    doc_id: str
    source_path: str
    file_name: str
    file_bytes: int
    page_count: int | None
    report_type: str
    fiscal_year: int | None
    department: str | None
    province: str | None
    city: str | None
    county: str | None
    adcode: str | None
    publish_date: date | None
    amount_unit: str | None
    text_source: str | None
    status: str  # ok / partial / failed
    error: str | None
    n_tables: int
    n_line_items: int
    n_facts: int
    n_checks_failed: int
    table_coverage: float | None
    pipeline_version: str
    processed_at: datetime


@dataclass(frozen=True)
class LineItem:
    doc_id: str
    fiscal_year: int | None
    department: str | None
    table_key: str | None
    table_no: int | None
    table_number_raw: str | None
    table_title: str
    page: int
    row_no: int
    row_label_raw: str
    row_label: str
    code: str | None
    code_system: str | None  # function / economic
    code_level: str | None  # 类 / 款 / 项
    class_code: str | None
    code_match: str  # printed / path / document / fuzzy / none
    column_key: str | None
    column_label_raw: str
    amount_yuan: Decimal
    value_raw: str
    engine: str = ""


@dataclass(frozen=True)
class Fact:
    doc_id: str
    fiscal_year: int | None
    department: str | None
    metric: str
    qualifier: str
    code: str | None
    subject_raw: str
    value: Decimal
    unit: str  # yuan / percent / count / person / person_time / batch / score
    page: int | None
    section: str
    sentence: str
    value_raw: str = ""
    reason: str = ""


@dataclass(frozen=True)
class Check:
    doc_id: str
    fiscal_year: int | None
    check: str
    severity: str  # error / warning / info
    message: str
    expected: str | None
    actual: str | None
    page: int | None
    location: str
    evidence: str


@dataclass(frozen=True)
class DocumentResult:
    """Everything one document contributes to the dataset: committed together or not at all."""

    document: DocumentRow
    line_items: tuple[LineItem, ...] = field(default_factory=tuple)
    facts: tuple[Fact, ...] = field(default_factory=tuple)
    checks: tuple[Check, ...] = field(default_factory=tuple)
