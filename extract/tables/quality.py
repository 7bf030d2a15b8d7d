"""A quality score for every extracted table, from the table alone (no ground truth).

Three signals, multiplied: the share of non-blank cells in amount columns that parse as amounts;
the share of the table's own arithmetic that holds on its rows (a 类/款 row against the sum of
the rows below it in its first amount column); and whether any amount column was found. A
table that reads as empty and has no amounts printed in it scores 1.0: empty tables are real.
"""

from __future__ import annotations

from decimal import Decimal

from extract.tables.reader import TablePiece
from normalize.amounts import parse_amount
from normalize.codes import SplitCodeContext
from schemas.raw import RawRow


def _half_step(decimals: int) -> Decimal:
    """Half a unit of the last printed digit: the most rounding can move one figure."""
    return Decimal(5) * Decimal(10) ** (-(decimals + 1))


def parse_rate(pieces: list[TablePiece]) -> float:
    good = bad = 0
    for piece in pieces:
        if piece.layout is None:
            continue
        amount_cols = [c.index for c in piece.layout.columns if c.role == "amount"]
        for row in piece.layout.data_rows:
            seen: set[int] = set()
            for index in amount_cols:
                cell = row.cells[index]
                # Only text with digits can be a misread amount; words in an amount column are
                # labels of merged cells ('支出合计'), not parse failures.
                if cell is None or id(cell) in seen or not any(ch.isdigit() for ch in cell.text):
                    continue
                seen.add(id(cell))
                if parse_amount(cell.text) is None:
                    bad += 1
                else:
                    good += 1
    return good / (good + bad) if good + bad else 1.0


def arithmetic_rate(rows: list[RawRow]) -> tuple[int, int]:
    """(held, tested): 类/款 rows against the sum of their children, first amount column."""
    coded: list[tuple[str, Decimal, Decimal]] = []
    contexts: dict[int, SplitCodeContext] = {}
    for row in rows:
        if not any(row.code_parts) or not row.cells:
            continue
        code = contexts.setdefault(row.side, SplitCodeContext()).resolve(row.code_parts)
        amount = parse_amount(row.cells[0].text)
        if code and amount is not None:
            coded.append((code, amount.value, _half_step(amount.decimals)))
    held = tested = 0
    for i, (code, value, step) in enumerate(coded):
        if len(code) not in (3, 5):
            continue
        children: list[tuple[Decimal, Decimal]] = []
        for other, other_value, other_step in coded[i + 1 :]:
            if not other.startswith(code) or len(other) <= len(code):
                break
            if len(other) == len(code) + 2:
                children.append((other_value, other_step))
        if children:
            tested += 1
            tolerance = step + sum((s for _, s in children), Decimal(0))
            held += abs(sum((v for v, _ in children), Decimal(0)) - value) <= tolerance
    return held, tested


def table_quality(pieces: list[TablePiece], rows: list[RawRow]) -> float:
    has_amount_column = any(p.layout and any(c.role == "amount" for c in p.layout.columns) for p in pieces)
    printed = sum(len(p.amount_cells) for p in pieces)
    if not rows:
        return 1.0 if printed == 0 else 0.0
    held, tested = arithmetic_rate(rows)
    arithmetic = held / tested if tested else 1.0
    return round(parse_rate(pieces) * arithmetic * (1.0 if has_amount_column else 0.5), 3)
