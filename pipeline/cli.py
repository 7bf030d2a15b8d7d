"""The ``juesuan`` command line: a thin layer over the stages. ``main(argv) -> exit code``.

Exit codes: 0 all documents ok, 1 some documents failed, 2 usage error, 3 output locked.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from extract.settings import OCR_MODES, TABLE_ENGINES, ExtractSettings

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_LOCKED = 0, 1, 2, 3


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="juesuan",
        description="Turn Chinese government final-accounts PDFs (部门决算) into one Parquet dataset.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    run = sub.add_parser(
        "run",
        help="process PDF files and folders into the dataset",
        description="Process PDF files and folders (recursive) into the Parquet dataset. "
        "Files already processed by this version are skipped.",
    )
    run.add_argument("paths", nargs="+", type=Path, help="PDF files or folders")
    run.add_argument("--out", type=Path, default=Path("output"), help="dataset folder (default: output/)")
    run.add_argument("--force", action="store_true", help="reprocess files already in the dataset")
    run.add_argument("--table-engine", choices=TABLE_ENGINES, default="auto", help="table engine (default: auto)")
    run.add_argument("--ocr", choices=OCR_MODES, default="auto", help="OCR for scanned pages (default: auto)")
    run.add_argument("--quiet", action="store_true", help="no progress output (for cron)")
    run.add_argument("--log-json", type=Path, help="append one JSON line per document to this file")

    inspect = sub.add_parser(
        "inspect",
        help="show what was found in one PDF",
        description="Print metadata, tables, facts and checks found in one PDF.",
    )
    inspect.add_argument("file", type=Path, help="a PDF file")
    inspect.add_argument("--table-engine", choices=TABLE_ENGINES, default="auto", help="table engine")
    inspect.add_argument("--rows", type=int, default=0, help="also print the first N line items of each table")

    sql = sub.add_parser(
        "sql",
        help="run a DuckDB query over the dataset",
        description="Run SQL over views documents, line_items, facts and checks.",
    )
    sql.add_argument("query", help="SQL text")
    sql.add_argument("--data", type=Path, default=Path("output"), help="dataset folder (default: output/)")
    sql.add_argument("--format", choices=("table", "csv", "json"), default="table", help="output format")

    sub.add_parser(
        "dictionary",
        help="print the data dictionary (Markdown)",
        description="Print the data dictionary generated from the vocabularies.",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors and 0 on --help
        return int(exc.code or 0)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    if args.command == "run":
        from pipeline.commands import cmd_run

        return cmd_run(args, ExtractSettings(table_engine=args.table_engine, ocr=args.ocr))
    if args.command == "inspect":
        from pipeline.commands import cmd_inspect

        return cmd_inspect(args, ExtractSettings(table_engine=args.table_engine))
    if args.command == "sql":
        from report.sql import cmd_sql

        return cmd_sql(args)
    if args.command == "dictionary":
        from schemas.dictionary import dictionary_markdown

        sys.stdout.write(dictionary_markdown())
        return EXIT_OK
    parser.print_help()  # pragma: no cover - argparse rejects unknown commands
    return EXIT_USAGE


if __name__ == "__main__":
    raise SystemExit(main())
