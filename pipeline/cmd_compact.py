"""``juesuan compact``: merge a dataset's small files, one file per table and partition."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

NAME = "compact"
HELP = "merge the dataset's small files (one file per table and year)"
DESCRIPTION = (
    "Merge the one-file-per-document Parquet files of a dataset into one file per table and "
    "fiscal_year partition. The rows do not change; readers keep seeing only committed documents, "
    "and a compaction killed at any moment is finished by the next run or compaction. Takes the "
    "same lock as `juesuan run`. Exit codes: 0 done, 2 usage error, 3 output locked by another run."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", type=Path, default=Path("output"), help="dataset folder (default: output/)")
    parser.add_argument(
        "--min-files",
        type=int,
        default=2,
        help="merge a partition only when one of its tables has at least this many files (default: 2)",
    )
    parser.add_argument("--quiet", action="store_true", help="print nothing but errors (for cron)")


def run(args: argparse.Namespace) -> int:
    from pipeline.compact import compact
    from pipeline.lock import Lock, OutputLocked
    from pipeline.store import recover

    if args.min_files < 2:
        print("juesuan compact: --min-files must be at least 2", file=sys.stderr)
        return 2
    if not args.data.is_dir():
        print(f"juesuan compact: no dataset at {args.data} (pass --data)", file=sys.stderr)
        return 2
    try:
        with Lock(args.data):
            if not (args.data / "documents").is_dir():
                print(f"juesuan compact: no documents in {args.data} yet: nothing to compact", file=sys.stderr)
                return 2
            recover(args.data)
            summary = compact(args.data, min_files=args.min_files)
    except OutputLocked as exc:
        print(f"juesuan compact: {exc}", file=sys.stderr)
        return 3
    if not args.quiet:
        rows = ", ".join(f"{table} {n}" for table, n in sorted(summary.rows.items()))
        print(
            f"compacted {summary.partitions} partition(s): {summary.files_before} files -> "
            f"{summary.files_after}" + (f" (rows: {rows})" if rows else "")
        )
    return 0
