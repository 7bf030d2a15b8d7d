"""``juesuan sql``: DuckDB over the dataset, printed as a table, CSV or JSON."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

NAME = "sql"
HELP = "run a DuckDB query over the dataset"
DESCRIPTION = "Run SQL over the views documents, line_items, facts and checks of a dataset."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("query", help="SQL text")
    parser.add_argument("--data", type=Path, default=Path("output"), help="dataset folder (default: output/)")
    parser.add_argument("--format", choices=("table", "csv", "json"), default="table", help="output format")


def run(args: argparse.Namespace) -> int:
    import duckdb

    from report.views import connect

    if not (args.data / "documents").exists():
        print(f"juesuan: no dataset at {args.data} (run `juesuan run` first or pass --data)", file=sys.stderr)
        return 2
    con = connect(args.data)
    try:
        cur = con.execute(args.query)
    except duckdb.Error as exc:
        print(f"juesuan: query failed: {exc}", file=sys.stderr)
        return 2
    names = [d[0] for d in cur.description or []]
    rows = cur.fetchall()
    if args.format == "csv":
        writer = csv.writer(sys.stdout)
        writer.writerow(names)
        writer.writerows(rows)
    elif args.format == "json":
        for row in rows:
            sys.stdout.write(json.dumps(dict(zip(names, row, strict=True)), ensure_ascii=False, default=str) + "\n")
    else:
        from rich.console import Console
        from rich.table import Table

        table = Table()
        for n in names:
            table.add_column(n)
        for row in rows:
            table.add_row(*("" if v is None else str(v) for v in row))
        Console().print(table)
    return 0
