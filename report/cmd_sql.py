"""``juesuan sql``: DuckDB over the dataset, printed as a table, CSV or JSON."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

NAME = "sql"
HELP = "run a DuckDB query over the dataset"
DESCRIPTION = (
    "Run SQL over the views documents, line_items, facts and checks of a dataset "
    "(only rows of committed documents are visible)."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("query", help='SQL text, e.g. "SELECT department, fiscal_year FROM documents"')
    parser.add_argument("--data", type=Path, default=Path("output"), help="dataset folder (default: output/)")
    parser.add_argument("--format", choices=("table", "csv", "json"), default="table", help="output format")


def run(args: argparse.Namespace) -> int:
    import duckdb

    from report.tabular import write_rows
    from report.views import connect, has_dataset

    if not has_dataset(args.data):
        print(f"juesuan: no dataset at {args.data} (run `juesuan run` first or pass --data)", file=sys.stderr)
        return 2
    con = connect(args.data)
    try:
        cur = con.execute(args.query)
        names = [d[0] for d in cur.description or []]
        rows = cur.fetchall()
    except duckdb.Error as exc:
        print(f"juesuan: query failed: {exc}", file=sys.stderr)
        return 2
    write_rows(names, rows, args.format)
    return 0
