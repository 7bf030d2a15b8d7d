"""``juesuan run``: process PDF files, folders and glob patterns into the dataset."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

from extract.settings import OCR_MODES, TABLE_ENGINES

if TYPE_CHECKING:
    from pipeline.run import RunSummary

NAME = "run"
HELP = "process PDF files and folders into the dataset"
DESCRIPTION = (
    "Process PDF files, folders (recursive, *.pdf) and glob patterns (quote them: 'inbox/**/*.pdf') "
    "into the Parquet dataset. Each document runs in its own worker process with a timeout and a "
    "memory cap; the same bytes at two paths are one document; documents already processed by this "
    "pipeline version are skipped, so an interrupted run simply resumes. "
    "Exit codes: 0 all ok, 1 some documents failed, 2 usage error, 3 output locked by another run."
)

EXIT_INTERRUPTED = 130


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def _memory_mb(text: str) -> int:
    value = int(text)
    if value != 0 and value < 256:
        raise argparse.ArgumentTypeError("must be 0 (no cap) or at least 256 MB")
    return value


def _seconds(text: str) -> float:
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be more than 0 seconds, not {text}")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from pipeline.executors import EXECUTORS, default_workers

    parser.add_argument("paths", nargs="+", help="PDF files, folders or glob patterns")
    parser.add_argument("--out", type=Path, default=Path("output"), help="dataset folder (default: output/)")
    parser.add_argument("--force", action="store_true", help="reprocess documents already in the dataset")
    parser.add_argument(
        "--retry-failed", action="store_true", help="reprocess documents whose recorded status is failed"
    )
    parser.add_argument(
        "--workers",
        type=_positive_int,
        default=default_workers(),
        help="documents processed at once (default: the number of cores, here %(default)s)",
    )
    parser.add_argument(
        "--timeout", type=_seconds, default=1200.0, help="seconds one document may take (default: %(default)g)"
    )
    parser.add_argument(
        "--max-memory-mb",
        type=_memory_mb,
        default=2048,
        help="address-space cap of one worker in MB, 0 for none (default: %(default)s)",
    )
    parser.add_argument("--executor", choices=EXECUTORS, default="local", help="where documents run (default: local)")
    parser.add_argument(
        "--dask-address", help="scheduler of an existing Dask cluster (with --executor dask; default: a local cluster)"
    )
    parser.add_argument("--table-engine", choices=TABLE_ENGINES, default="auto", help="table engine (default: auto)")
    parser.add_argument("--ocr", choices=OCR_MODES, default="auto", help="OCR for scanned pages (default: auto)")
    parser.add_argument("--quiet", action="store_true", help="print nothing but errors (for cron)")
    parser.add_argument("--log-json", type=Path, help="append one JSON line per document to this file")


def _usage_error(message: str) -> int:
    print(f"juesuan run: {message}", file=sys.stderr)
    return 2


def _raise_interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def run(args: argparse.Namespace) -> int:
    from rich.console import Console

    from extract.settings import ExtractSettings
    from pipeline.child import Limits, faults_from_env
    from pipeline.executors import ExecutorUnavailable, require_dask
    from pipeline.inputs import scan_inputs
    from pipeline.run import OutputLocked, RunOptions, run_batch
    from pipeline.run_view import RunProgress, print_summary

    if args.dask_address and args.executor != "dask":
        return _usage_error("--dask-address needs --executor dask")
    if args.executor == "dask":
        try:
            require_dask()
        except ExecutorUnavailable as exc:
            return _usage_error(str(exc))
    scan = scan_inputs(args.paths)
    if scan.missing:
        return _usage_error(f"no such file or folder: {', '.join(scan.missing)}")
    console = Console(stderr=True)
    for pattern in scan.unmatched:
        if not args.quiet:
            console.print(f"juesuan run: no file matches {pattern!r}")
    try:
        settings = ExtractSettings(table_engine=args.table_engine, ocr=args.ocr)
        limits = Limits(args.timeout, args.max_memory_mb, faults_from_env())
        options = RunOptions(args.workers, limits, args.executor, args.dask_address, args.force, args.retry_failed)
    except ValueError as exc:
        return _usage_error(str(exc))

    progress = RunProgress(console, enabled=not args.quiet and console.is_terminal)
    # systemd and kill send SIGTERM: stop like Ctrl-C (workers killed, the store left consistent).
    main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _raise_interrupt) if main_thread else None
    try:
        with progress:
            summary: RunSummary = run_batch(
                args.paths,
                args.out,
                settings,
                options,
                on_start=progress.start,
                on_document=progress.document,
                log_json=args.log_json,
            )
    except OutputLocked as exc:
        print(f"juesuan run: {exc}", file=sys.stderr)
        return 3
    except OSError as exc:  # the dataset cannot be written (disk full, permissions): stop, say why
        print(f"juesuan run: cannot write the dataset: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("juesuan run: interrupted; committed documents are kept, run again to continue", file=sys.stderr)
        return EXIT_INTERRUPTED
    finally:
        if main_thread:
            signal.signal(signal.SIGTERM, previous)
    if not args.quiet:
        print_summary(Console(), summary, args.out)
    return 1 if summary.failed else 0
