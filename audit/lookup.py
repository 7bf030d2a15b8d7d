"""Finding a printed figure in the line items: by table, row and column selectors.

Selectors come from the audit data files. Rows: a label ('总计', '合计', several joined by '|'),
``code`` (the code of the fact being compared), ``any`` (the only row), ``all_classes`` or
``side_total:<header>`` (the sum of a table's 类 rows, on one side). Columns: ``side:<header>``
(the amount column under that top-level header), ``column:<column_key>`` or ``first``.
"""

from __future__ import annotations

from decimal import Decimal

from normalize.text import match_key
from schemas.records import LineItem


def _column_ok(item: LineItem, column: str) -> bool:
    if column == "first":
        return True
    kind, _, value = column.partition(":")
    if kind == "side":
        return item.column_label_raw.split("/")[0] == value
    if kind == "column":
        return item.column_key == value
    return False


def find_items(items: list[LineItem], table_key: str, row: str, column: str, code: str | None = None) -> list[LineItem]:
    """The line items a selector names (several only for sums over rows)."""
    rows = [i for i in items if i.table_key == table_key and _column_ok(i, column)]
    if row == "code":
        hits = [i for i in rows if code and i.code == code]
    elif row == "any":
        hits = rows[:1] if len({i.row_no for i in rows}) == 1 else []
    elif row == "all_classes":
        hits = [i for i in rows if i.code and len(i.code) == 3]
    elif row.startswith("side_total:"):
        side = row.split(":", 1)[1]
        hits = [i for i in rows if i.code and len(i.code) == 3 and i.column_label_raw.startswith(side)]
    else:
        wanted = {match_key(r) for r in row.split("|")}
        hits = [i for i in rows if not i.code and match_key(i.row_label) in wanted]
    if row in ("code", "any") or row.startswith(("side_total", "all_classes")):
        pass
    else:
        hits = hits[:1]
    if column == "first":
        # One figure per row: the first amount column.
        seen: set[int] = set()
        firsts = []
        for i in sorted(hits, key=lambda x: (x.row_no, x.column_label_raw)):
            if i.row_no not in seen:
                seen.add(i.row_no)
                firsts.append(i)
        hits = firsts
    return hits


def total_of(items: list[LineItem]) -> Decimal:
    return sum((i.amount_yuan for i in items), Decimal(0))
