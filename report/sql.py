"""``juesuan sql``: DuckDB over the dataset, printed as a table, CSV or JSON."""

from __future__ import annotations

import argparse
import csv
import json
import sys

import duckdb

from report.views import connect


def cmd_sql(args: argparse.Namespace) -> int:
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
