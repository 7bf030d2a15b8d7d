"""What ``juesuan run`` and ``juesuan inspect`` do, kept apart from argument parsing."""

from __future__ import annotations

import argparse
import sys
from collections import Counter

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from extract.document import page_ranges
from extract.settings import ExtractSettings
from pipeline.process import process_path
from pipeline.run import OutputLocked, iter_inputs, run_batch
from schemas.records import DocumentRow


def cmd_run(args: argparse.Namespace, settings: ExtractSettings) -> int:
    missing = [p for p in args.paths if not p.exists()]
    if missing:
        print(f"juesuan: no such file or folder: {', '.join(map(str, missing))}", file=sys.stderr)
        return 2
    console = Console(stderr=True)
    total = sum(1 for _ in iter_inputs(args.paths))
    show = not args.quiet and console.is_terminal
    progress = Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("failed {task.fields[failed]}"),
        TimeRemainingColumn(),
        console=console,
        disable=not show,
    )
    failed = 0
    slow: list[tuple[float, str]] = []

    def on_document(row: DocumentRow, seconds: float, skipped: bool) -> None:
        nonlocal failed
        failed += row.status == "failed"
        slow.append((seconds, row.file_name))
        progress.update(task, advance=1, failed=failed)

    with progress:
        task = progress.add_task("documents", total=total, failed=0)
        try:
            summary = run_batch(
                args.paths,
                args.out,
                settings,
                force=args.force,
                on_document=on_document,
                log_json=args.log_json,
            )
        except OutputLocked as exc:
            print(f"juesuan: {exc}", file=sys.stderr)
            return 3
    if not args.quiet:
        console.print(
            f"ok {summary.ok}  partial {summary.partial}  failed {summary.failed}  skipped {summary.skipped}"
            f"  → {args.out}"
        )
        reasons = Counter(reason for _, reason in summary.failures)
        for reason, n in reasons.most_common(10):
            console.print(f"  failed ×{n}: {reason}")
        for seconds, name in sorted(slow, reverse=True)[:3]:
            if seconds > 0:
                console.print(f"  slowest: {name} {seconds:.1f}s")
    return 1 if summary.failed else 0


_META_KEYS = (
    "report_type", "fiscal_year", "department", "province", "city", "county", "adcode",
    "publish_date", "amount_unit", "page_count", "text_source", "table_coverage",
)  # fmt: skip


def cmd_inspect(args: argparse.Namespace, settings: ExtractSettings) -> int:
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
