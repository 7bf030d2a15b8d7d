"""Raw records: what ``extract`` hands to ``normalize``.

Text is kept as printed; nothing here is converted to 元 or resolved to a code yet.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from schemas.records import DocumentMeta, PageScreen, Provenance


@dataclass(frozen=True)
class RawColumn:
    index: int
    label_raw: str  # header levels as printed, joined with '/'
    role: str  # label / code / code_class / code_kuan / code_xiang / index / amount
    side: int  # 0 for the left (or only) side of a two-sided table, 1 for the right


@dataclass(frozen=True)
class RawCell:
    text: str
    column: int
    prov: Provenance


@dataclass(frozen=True)
class RawRow:
    row_no: int
    side: int
    label: str
    code_parts: tuple[str, ...]
    indent: float  # x of the label's first character minus the column's left edge, in pt
    cells: tuple[RawCell, ...]
    prov: Provenance


@dataclass(frozen=True)
class RawTable:
    title: str
    table_key: str | None
    table_no: int | None
    number_raw: str | None
    unit: str | None
    pages: tuple[int, ...]
    columns: tuple[RawColumn, ...]
    rows: tuple[RawRow, ...]
    engine: str
    quality: float
    notes: tuple[str, ...]
    prov: Provenance


@dataclass(frozen=True)
class RawFact:
    metric: str
    qualifier: str
    subject_raw: str
    value_raw: str  # the number as printed
    unit_raw: str  # 万元 / 元 / % / 件 / 人 …
    page: int | None
    section: str
    sentence: str
    prov: Provenance
    negative: bool = False  # stated as a decrease (减少/下降): the value is negated
    reason: str = ""  # the reason the text gives for the figure ('主要原因是…'), as printed


@dataclass(frozen=True)
class PageText:
    page: int
    text: str


@dataclass(frozen=True)
class RawDocument:
    doc_id: str
    source_path: str
    file_bytes: int
    page_count: int
    screens: tuple[PageScreen, ...]
    meta: DocumentMeta
    pages_text: tuple[PageText, ...]
    tables: tuple[RawTable, ...]
    facts: tuple[RawFact, ...]
    table_numbers_total: int = 0  # amount-like numbers printed on table pages
    table_numbers_unused: tuple[str, ...] = field(default_factory=tuple)
    warnings: tuple[str, ...] = field(default_factory=tuple)
