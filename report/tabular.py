"""Rows printed as a table (terminal), CSV or JSON lines: the output of ``sql`` and ``compare``.

Decimals keep their exact digits: CSV and JSON write them as text ("1329600.00"), the way the
dataset stores them, so nothing is rounded through binary floats on the way out.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, TextIO

FORMATS = ("table", "csv", "json")


def _text(value: Any) -> str:
    if value is None:
        return ""
    return str(value)


def _numeric(values: list[Any]) -> bool:
    present = [v for v in values if v is not None]
    return bool(present) and all(isinstance(v, int | float | Decimal) and not isinstance(v, bool) for v in present)


def write_rows(
    names: Sequence[str],
    rows: Sequence[Sequence[Any]],
    fmt: str,
    *,
    title: str | None = None,
    caption: str | None = None,
    out: TextIO | None = None,
) -> None:
    """Write ``rows`` (sequences in the order of ``names``) to ``out`` (stdout) as ``fmt``.

    ``title`` and ``caption`` only show in the table format (CSV and JSON stay plain data).
    """
    stream = out or sys.stdout
    if fmt == "csv":
        writer = csv.writer(stream)
        writer.writerow(names)
        writer.writerows([[_text(v) for v in row] for row in rows])
    elif fmt == "json":
        for row in rows:
            stream.write(json.dumps(dict(zip(names, row, strict=True)), ensure_ascii=False, default=str) + "\n")
    elif fmt == "table":
        from rich.console import Console
        from rich.table import Table

        table = Table(title=title, caption=caption)
        for i, name in enumerate(names):
            table.add_column(name, justify="right" if _numeric([r[i] for r in rows]) else "left")
        for row in rows:
            table.add_row(*(_text(v) for v in row))
        # A pipe gets the whole table (no wrapping to 80 columns); a terminal gets its width.
        console = Console(file=stream, width=None if stream.isatty() else 1000, soft_wrap=False)
        console.print(table)
    else:
        raise ValueError(f"unknown format {fmt!r}; expected one of {FORMATS}")
