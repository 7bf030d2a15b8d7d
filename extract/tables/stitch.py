"""Table pieces across pages -> whole tables.

A piece with a title starts a table. A piece without one continues the table before it when
its columns agree (same count); a repeated header is recognised by its labels and dropped,
and a last page holding only the 合计 row joins like any other. Every decision is logged in
the table's notes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from extract.tables.reader import TablePiece


@dataclass
class TableGroup:
    pieces: list[TablePiece] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def head(self) -> TablePiece:
        return self.pieces[0]


def _n_cols(piece: TablePiece) -> int:
    return piece.grid.n_cols


def pieces_to_groups(pieces: list[TablePiece]) -> list[TableGroup]:
    groups: list[TableGroup] = []
    for piece in pieces:
        if piece.title is not None or not groups:
            group = TableGroup([piece])
            if piece.title is None:
                group.notes.append(f"p{piece.page}: table without a title; kept as an unknown table")
            groups.append(group)
            continue
        prev = groups[-1]
        last = prev.pieces[-1]
        if _n_cols(piece) == _n_cols(last) and piece.page >= last.page:
            repeated = bool(piece.layout and piece.layout.header_rows)
            prev.pieces.append(piece)
            prev.notes.append(
                f"p{piece.page}: continues from p{last.page} ({_n_cols(piece)} columns; "
                f"{'header repeated' if repeated else 'no header, columns carried over'})"
            )
        else:
            group = TableGroup([piece])
            group.notes.append(
                f"p{piece.page}: untitled table with {_n_cols(piece)} columns does not continue "
                f"p{last.page} ({_n_cols(last)} columns); kept as an unknown table"
            )
            groups.append(group)
    return groups
