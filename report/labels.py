"""Chinese labels for what the reading commands print, and the reverse: keys from what users type.

Vocabulary labels come from ``schemas.vocab`` (tables, columns, metrics, checks); labels that
only the reading side needs (column headers, sheet names, units, qualifiers) are in
``report/data/*.csv``.
"""

from __future__ import annotations

import csv
from functools import cache
from importlib import resources

from normalize.text import match_key
from schemas.vocab import check_ids, column_keys, metrics, table_kinds


def _read(name: str) -> list[dict[str, str]]:
    text = resources.files("report").joinpath("data", name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


@cache
def _headers() -> dict[tuple[str, str], str]:
    return {(r["table"], r["name"]): r["header_zh"] for r in _read("headers.csv")}


def header(table: str, name: str) -> str:
    """The Chinese column header of ``table.name`` (``report/data/headers.csv``)."""
    try:
        return _headers()[(table, name)]
    except KeyError:
        raise KeyError(f"report/data/headers.csv has no header for {table}.{name}") from None


@cache
def _sheets() -> dict[str, tuple[str, str]]:
    return {r["table"]: (r["sheet_zh"], r["meaning_zh"]) for r in _read("sheets.csv")}


def sheet_name(table: str) -> str:
    return _sheets()[table][0]


def sheet_meaning(table: str) -> str:
    return _sheets()[table][1]


def export_notes() -> list[tuple[str, str]]:
    """(label, sentence) notes for the export's first sheet."""
    return [(r["label_zh"], r["text_zh"]) for r in _read("export_notes.csv")]


@cache
def _units() -> dict[str, str]:
    return {r["unit"]: r["label_zh"] for r in _read("units.csv")}


def unit_label(unit: str | None) -> str:
    """'万元' for yuan (the reading side shows amounts in 万元), '%' for percent, …"""
    return _units().get(unit or "", unit or "")


@cache
def _qualifiers() -> dict[str, str]:
    return {r["qualifier"]: r["label_zh"] for r in _read("qualifiers.csv")}


def qualifier_label(qualifier: str) -> str:
    return _qualifiers().get(qualifier, qualifier)


@cache
def _statuses() -> dict[str, str]:
    return {r["status"]: r["label_zh"] for r in _read("statuses.csv")}


def status_label(status: str) -> str:
    """'完整' for ok, '部分' for partial, '失败' for failed."""
    return _statuses().get(status, status)


def table_label(key: str | None) -> str:
    for kind in table_kinds():
        if kind.key == key:
            return kind.title
    return key or ""


@cache
def _column_labels() -> dict[str, str]:
    return {c.key: c.label for c in column_keys()}


def column_label(key: str | None) -> str:
    """'actual.reception' -> '决算数/公务接待费'; unknown parts stay as they are."""
    if not key:
        return ""
    return "/".join(_column_labels().get(part, part) for part in key.split("."))


def metric_label(key: str) -> str:
    metric = metrics().get(key)
    return metric.label if metric else key


def check_label(check: str) -> str:
    row = check_ids().get(check)
    return row["label_zh"] if row else check


def _resolve(text: str, pairs: list[tuple[str, str]], what: str) -> str:
    """The key whose key or label equals ``text`` (after ``match_key``)."""
    wanted = match_key(text)
    found = sorted({key for key, label in pairs if wanted in (match_key(key), match_key(label))})
    if len(found) == 1:
        return found[0]
    if found:
        raise ValueError(f"{what} {text!r} is ambiguous: {', '.join(found)}")
    near = sorted({key for key, label in pairs if wanted and (wanted in match_key(label) or wanted in key)})
    hint = f"; did you mean {', '.join(near[:8])}?" if near else " (see `juesuan dictionary`)"
    raise ValueError(f"unknown {what} {text!r}{hint}")


def resolve_metric(text: str) -> str:
    """A metric key from its key or Chinese label ('公务接待费' -> 'three_public_reception')."""
    return _resolve(text, [(k, m.label) for k, m in metrics().items()], "metric")


def resolve_table(text: str) -> str:
    """A table key from its key, 1–13 number, title or alias."""
    pairs = [(t.key, a) for t in table_kinds() for a in (t.title, *t.aliases)]
    pairs += [(t.key, str(t.table_no)) for t in table_kinds() if t.table_no is not None]
    return _resolve(text, pairs, "table")


def resolve_column(text: str) -> str:
    """A column key from its key or label; 'actual.reception' style keys pass through when their parts are known."""
    parts = text.split(".")
    if len(parts) == 2 and all(p in _column_labels() for p in parts):
        return text
    return _resolve(text, [(c.key, a) for c in column_keys() for a in (c.label, *c.aliases)], "column")
