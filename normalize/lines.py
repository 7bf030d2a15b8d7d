"""Annex-table rows -> line items: one per non-blank amount cell, amounts in 元, codes resolved."""

from __future__ import annotations

from normalize.amounts import parse_amount, to_yuan
from normalize.codes import NO_CODE, CodeInfo, SplitCodeContext, code_info
from normalize.columns import column_label_to_key
from normalize.labels import label_to_canonical, split_glued_code
from schemas.raw import RawDocument, RawTable
from schemas.records import LineItem
from schemas.vocab import table_kinds


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
