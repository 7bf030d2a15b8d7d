"""Entry point of the normalize stage: RawDocument -> canonical line items and facts."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from normalize.amounts import parse_amount, to_yuan
from normalize.codes import NO_CODE, CodeInfo, SplitCodeContext, code_info
from normalize.columns import column_label_to_key
from normalize.labels import label_to_canonical, split_glued_code
from schemas.raw import RawDocument, RawFact, RawTable
from schemas.records import Fact, LineItem, Region
from schemas.vocab import table_kinds

_FACT_UNITS = {
    "%": "percent",
    "个百分点": "percent",
    "人次": "person_time",
    "人": "person",
    "名": "person",
    "批次": "batch",
    "批": "batch",
    "分": "score",
}


@dataclass(frozen=True)
class NormalizedDocument:
    raw: RawDocument
    region: Region
    line_items: tuple[LineItem, ...]
    facts: tuple[Fact, ...]
    table_units: dict[int, str]


def _table_kind(table: RawTable) -> str | None:
    for kind in table_kinds():
        if kind.key == table.table_key:
            return kind.kind
    return None


def table_to_line_items(raw: RawDocument, table: RawTable, default_unit: str | None) -> list[LineItem]:
    """One LineItem per non-blank amount cell of a table. Pure."""
    unit = table.unit or default_unit or "万元"
    kind = _table_kind(table)
    labels = {c.index: c.label_raw for c in table.columns}
    items: list[LineItem] = []
    contexts: dict[int, SplitCodeContext] = {}
    for row in table.rows:
        ctx = contexts.setdefault(row.side, SplitCodeContext())
        label_raw = row.label
        info: CodeInfo = NO_CODE
        printed = ctx.resolve(row.code_parts) if any(row.code_parts) else None
        if printed:
            info = code_info(printed, "printed", kind)
        else:
            glued, rest = split_glued_code(label_raw)
            if glued:
                info = code_info(glued, "printed", kind)
                label_raw = rest
        for cell in row.cells:
            amount = parse_amount(cell.text)
            if amount is None:
                continue
            column_raw = labels.get(cell.column, "")
            items.append(
                LineItem(
                    doc_id=raw.doc_id,
                    fiscal_year=raw.meta.fiscal_year,
                    department=raw.meta.department,
                    table_key=table.table_key,
                    table_no=table.table_no,
                    table_number_raw=table.number_raw,
                    table_title=table.title,
                    page=cell.prov.page or row.prov.page or 0,
                    row_no=row.row_no,
                    row_label_raw=row.label,
                    row_label=label_to_canonical(label_raw),
                    code=info.code,
                    code_system=info.system,
                    code_level=info.level,
                    class_code=info.class_code,
                    code_match=info.match,
                    column_key=column_label_to_key(column_raw),
                    column_label_raw=column_raw,
                    amount_yuan=to_yuan(amount.value, unit),
                    value_raw=cell.text,
                    engine=cell.prov.engine,
                )
            )
    return items


def fact_to_canonical(raw: RawDocument, fact: RawFact) -> Fact | None:
    """A raw fact with its value in 元 (amounts) or as printed (percent, counts). Pure."""
    try:
        number = Decimal(fact.value_raw.replace(",", ""))
    except InvalidOperation:
        return None
    if fact.negative:
        number = -number
    if fact.unit_raw in ("万元", "亿元", "千元", "元"):
        value, unit = to_yuan(number, fact.unit_raw), "yuan"
    else:
        value, unit = number, _FACT_UNITS.get(fact.unit_raw, "count")
    return Fact(
        doc_id=raw.doc_id,
        fiscal_year=raw.meta.fiscal_year,
        department=raw.meta.department,
        metric=fact.metric,
        qualifier=fact.qualifier,
        code=None,
        subject_raw=fact.subject_raw,
        value=value,
        unit=unit,
        page=fact.page,
        section=fact.section,
        sentence=fact.sentence,
        value_raw=f"{fact.value_raw}{fact.unit_raw}",
    )


def normalize_document(raw: RawDocument) -> NormalizedDocument:
    items: list[LineItem] = []
    for table in raw.tables:
        items.extend(table_to_line_items(raw, table, raw.meta.amount_unit))
    facts = [f for f in (fact_to_canonical(raw, rf) for rf in raw.facts) if f is not None]
    return NormalizedDocument(
        raw=raw,
        region=Region(),
        line_items=tuple(items),
        facts=tuple(facts),
        table_units={i: t.unit or "" for i, t in enumerate(raw.tables)},
    )
