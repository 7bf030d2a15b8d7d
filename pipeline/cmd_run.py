"""``juesuan run``: process PDF files and folders into the dataset."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from extract.settings import OCR_MODES, TABLE_ENGINES

NAME = "run"
HELP = "process PDF files and folders into the dataset"
DESCRIPTION = (
    "Process PDF files and folders (recursive) into the Parquet dataset. Files already processed "
    "by this version are skipped. Exit codes: 0 all ok, 1 some documents failed, 2 usage error, "
    "3 output locked."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", type=Path, help="PDF files or folders")
    parser.add_argument("--out", type=Path, default=Path("output"), help="dataset folder (default: output/)")
    parser.add_argument("--force", action="store_true", help="reprocess files already in the dataset")
    parser.add_argument("--table-engine", choices=TABLE_ENGINES, default="auto", help="table engine (default: auto)")
    parser.add_argument("--ocr", choices=OCR_MODES, default="auto", help="OCR for scanned pages (default: auto)")
    parser.add_argument("--quiet", action="store_true", help="no progress output (for cron)")
    parser.add_argument("--log-json", type=Path, help="append one JSON line per document to this file")


def run(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from extract.settings import ExtractSettings
    from pipeline.run import OutputLocked, iter_inputs, run_batch
    from schemas.records import DocumentRow

    settings = ExtractSettings(table_engine=args.table_engine, ocr=args.ocr)
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
