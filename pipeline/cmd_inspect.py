"""``juesuan inspect``: what was found in one PDF."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from extract.settings import TABLE_ENGINES

NAME = "inspect"
HELP = "show what was found in one PDF"
DESCRIPTION = (
    "Print metadata, page kinds, tables (page, rows, cells, engine, quality, stitch decisions), "
    "numbers that did not become line items, facts and checks found in one PDF."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, help="a PDF file")
    parser.add_argument("--table-engine", choices=TABLE_ENGINES, default="auto", help="table engine")
    parser.add_argument("--rows", type=int, default=0, help="also print the first N line items of each table")


_META_KEYS = (
    "report_type", "fiscal_year", "department", "province", "city", "county", "adcode",
    "publish_date", "amount_unit", "page_count", "text_source", "table_coverage",
)  # fmt: skip


def run(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.table import Table

    from extract.document import page_ranges
    from extract.settings import ExtractSettings
    from pipeline.process import process_path

    settings = ExtractSettings(table_engine=args.table_engine)
    if not args.file.is_file():
        print(f"juesuan: no such file: {args.file}", file=sys.stderr)
        return 2
    # Piped output (a file, a test) gets a wide console so tables are not truncated.
    console = Console(width=None if sys.stdout.isatty() else 200)
    result, doc = process_path(args.file, settings)
    row = result.document
    console.print(f"[bold]{row.file_name}[/bold]  {row.status}" + (f" — {row.error}" if row.error else ""))
    for key in _META_KEYS:
        console.print(f"  {key}: {getattr(row, key)}")
    if doc is None:
        return 1
    pages = Table(title="pages")
    for col in ("kind", "pages"):
        pages.add_column(col)
    by_kind: dict[str, list[int]] = {}
    for screen in doc.raw.screens:
        by_kind.setdefault(screen.kind, []).append(screen.page)
    for kind, nums in by_kind.items():
        pages.add_row(kind, page_ranges(nums))
    console.print(pages)
    tables = Table(title=f"tables ({len(doc.raw.tables)})")
    for col in ("table_key", "no", "printed", "title", "unit", "pages", "rows", "cells", "engine", "quality"):
        tables.add_column(col)
    for t in doc.raw.tables:
        cells = sum(len(r.cells) for r in t.rows)
        tables.add_row(
            t.table_key or "?", str(t.table_no or ""), t.number_raw or "", t.title, t.unit or "",
            page_ranges(list(t.pages)), str(len(t.rows)), str(cells), t.engine, f"{t.quality:.2f}",
        )  # fmt: skip
    console.print(tables)
    for t in doc.raw.tables:
        for note in t.notes:
            console.print(f"  {t.title or '?'}: {note}")
    if args.rows:
        for t in doc.raw.tables:
            items = [i for i in result.line_items if i.table_title == t.title][: args.rows]
            for i in items:
                console.print(
                    f"  {t.table_key} r{i.row_no} {i.code or ''} {i.row_label} | {i.column_label_raw} = {i.value_raw}"
                )
    if doc.raw.table_numbers_unused:
        console.print(f"numbers on table pages that did not become line items ({len(doc.raw.table_numbers_unused)}):")
        console.print("  " + ", ".join(doc.raw.table_numbers_unused[:60]))
    facts = Table(title=f"facts ({len(result.facts)})")
    for col in ("page", "metric", "qualifier", "code", "value", "unit", "subject"):
        facts.add_column(col)
    for f in result.facts:
        facts.add_row(str(f.page or ""), f.metric, f.qualifier, f.code or "", str(f.value), f.unit, f.subject_raw)
    console.print(facts)
    if result.checks:
        checks = Table(title=f"checks ({len(result.checks)})")
        for col in ("severity", "check", "page", "message", "expected", "actual"):
            checks.add_column(col)
        for c in result.checks:
            checks.add_row(c.severity, c.check, str(c.page or ""), c.message, c.expected or "", c.actual or "")
        console.print(checks)
    return 0 if row.status != "failed" else 1
