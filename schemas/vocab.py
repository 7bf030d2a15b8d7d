"""Controlled vocabularies, read from the CSV files in ``schemas/data``.

The files are the single source: code reads them here, and the data dictionary is
generated from them.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources


def read_rows(name: str) -> list[dict[str, str]]:
    """Rows of ``schemas/data/<name>`` as dicts (UTF-8 CSV with a header)."""
    text = resources.files("schemas").joinpath("data", name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


@dataclass(frozen=True)
class TableKind:
    key: str
    table_no: int | None
    title: str
    aliases: tuple[str, ...]
    kind: str


@dataclass(frozen=True)
class ColumnKey:
    key: str
    label: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    unit: str
    family: str
    meaning: str


@cache
def table_kinds() -> tuple[TableKind, ...]:
    return tuple(
        TableKind(
            key=r["table_key"],
            table_no=int(r["table_no"]) if r["table_no"] else None,
            title=r["title_zh"],
            aliases=tuple(a for a in r["aliases_zh"].split("|") if a),
            kind=r["kind"],
        )
        for r in read_rows("tables.csv")
    )


@cache
def column_keys() -> tuple[ColumnKey, ...]:
    return tuple(
        ColumnKey(r["key"], r["label_zh"], tuple(a for a in r["aliases_zh"].split("|") if a))
        for r in read_rows("columns.csv")
    )


@cache
def metrics() -> dict[str, Metric]:
    return {
        r["key"]: Metric(r["key"], r["label_zh"], r["unit"], r["family"], r["meaning"])
        for r in read_rows("metrics.csv")
    }


@cache
def check_ids() -> dict[str, dict[str, str]]:
    return {r["check"]: r for r in read_rows("checks.csv")}
