"""Annex-table rows -> line items: one per non-blank amount cell, amounts in 元, codes resolved.

A row's code is the printed one (checked against its label), else the one its name takes at its
place in the 类/款/项 hierarchy (normalize.hierarchy), else ``none``. Names are looked up only in
tables that list 科目: by 科目 (function), by economic classification, tables whose kind is unknown,
and the sides of two-sided summaries that show the 类/款/项 tree; never in the 三公 table or the asset
table, whose rows are lines of account rather than 科目.
"""

from __future__ import annotations

from collections.abc import Iterator

from normalize.amounts import parse_amount, to_yuan
from normalize.codes import NO_CODE, CodeInfo, SplitCodeContext, code_info
from normalize.columns import column_label_to_key
from normalize.hierarchy import PathContext, indentation_levels
from normalize.labels import label_to_canonical, split_glued_code
from normalize.resolve import Resolution, Resolver
from schemas.raw import RawDocument, RawRow, RawTable
from schemas.records import LineItem
from schemas.vocab import table_kinds

_NAMED_KINDS = (None, "by_subject", "by_economic")
_SYSTEM_OF_KIND = {"by_subject": "function", "by_economic": "economic"}


def _table_kind(table: RawTable) -> str | None:
    for kind in table_kinds():
        if kind.key == table.table_key:
            return kind.kind
    return None


def _printed_codes(table: RawTable) -> Iterator[tuple[RawRow, str | None, str]]:
    """Each row with its printed code (or None) and its label without a glued code."""
    contexts: dict[int, SplitCodeContext] = {}
    for row in table.rows:
        ctx = contexts.setdefault(row.side, SplitCodeContext())
        printed = ctx.resolve(row.code_parts) if any(row.code_parts) else None
        if printed:
            yield row, printed, row.label
            continue
        glued, rest = split_glued_code(row.label)
        yield row, glued, (rest if glued else row.label)


def document_pairs(raw: RawDocument) -> list[tuple[str, str]]:
    """The (code, name) pairs the document's tables print, in print order, without repeats."""
    seen: dict[tuple[str, str], None] = {}
    for table in raw.tables:
        for _, code, label in _printed_codes(table):
            if code:
                seen.setdefault((code, label_to_canonical(label)), None)
    return list(seen)


def document_resolver(raw: RawDocument) -> Resolver:
    """A resolver for the document's year that knows the code/name pairs its tables print."""
    return Resolver(raw.meta.fiscal_year, document_pairs(raw))


def _info(res: Resolution) -> CodeInfo:
    if res.code is None:
        return CodeInfo(None, None, None, None, "none", res.reason)
    return code_info(res.code, res.match, reason=res.disagreement or res.reason)


def table_to_codes(table: RawTable, resolver: Resolver) -> list[tuple[CodeInfo, str]]:
    """Each row's code and its label without a glued code, in row order. Pure."""
    kind = _table_kind(table)
    system = _SYSTEM_OF_KIND.get(kind or "")
    by_name = kind in _NAMED_KINDS or kind == "two_sided"
    sides = {row.side for row in table.rows}
    indented = {
        side: indentation_levels((r.label, r.indent) for r in table.rows if r.side == side) >= 2 for side in sides
    }
    paths: dict[int, PathContext] = {}
    out: list[tuple[int, bool, CodeInfo, str]] = []  # side, resolved by name, code, label
    for row, printed, label in _printed_codes(table):
        path = paths.setdefault(row.side, PathContext(resolver, system, indented[row.side]))
        if printed:
            path.printed(printed, row.indent)
            out.append((row.side, False, _info(resolver.check_printed(printed, label)), label))
        elif by_name:
            out.append((row.side, True, _info(path.resolve(label, row.indent)), label))
        else:
            out.append((row.side, False, NO_CODE, label))
    if kind == "two_sided":
        # A summary side that lists only 类 names holds lines of account (一、一般公共服务支出 beside
        # 本年支出合计); a side that shows the 类/款/项 tree (杭州市公安局 收支总表) is a 科目 list.
        tree = {side for side, named, info, _ in out if named and info.level in ("款", "项")}
        out = [(side, named, info if side in tree or not named else NO_CODE, lbl) for side, named, info, lbl in out]
    return [(info, label) for _, _, info, label in out]


def table_to_line_items(
    raw: RawDocument, table: RawTable, default_unit: str | None, resolver: Resolver | None = None
) -> list[LineItem]:
    """One LineItem per non-blank amount cell of a table. Pure."""
    unit = table.unit or default_unit or "万元"
    labels = {c.index: c.label_raw for c in table.columns}
    codes = table_to_codes(table, resolver or document_resolver(raw))
    items: list[LineItem] = []
    for row, (info, label_raw) in zip(table.rows, codes, strict=True):
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
