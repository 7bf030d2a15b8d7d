"""``juesuan compare``: departments side by side for a metric or a 科目 code, with year-on-year."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

NAME = "compare"
HELP = "compare departments on a metric or a 科目 code, with year-on-year change"
DESCRIPTION = """\
Compare departments side by side on one figure: a metric stated in the text (--metric,
from facts) or a 科目 code of an annex table (--code, from line_items).
Year-on-year change comes from the same department's previous year in the dataset, else
from the change the document itself states. Per-person values divide by the staff count
the document states (在编在岗人数). Rows of documents with audit errors are marked."""
EPILOG = """examples:
  juesuan compare --metric 公务接待费
  juesuan compare --metric three_public_total --county 苍溪 --year 2023
  juesuan compare --code 2010350 --column basic --format csv
  juesuan compare --metric general_budget_expenditure_subject --code 2013699 --qualifier completion_pct

amounts are shown in 万元 (--unit 元 for exact 元); per_person_yuan is always in 元 per person.
audit: 'figure: <check>' when an error finding touches the figure, 'document: N errors' when the
document has error findings elsewhere."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from report.selection import add_selection_arguments

    parser.epilog = EPILOG
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    what = parser.add_argument_group("what to compare (one of --metric or --code)")
    what.add_argument("--metric", help="facts metric key or Chinese label, e.g. three_public_reception or 公务接待费")
    what.add_argument(
        "--qualifier",
        help="facts qualifier for --metric: actual (default), budget, completion_pct, … (count for counted metrics)",
    )
    what.add_argument(
        "--code",
        help="科目 code (3/5/7 digits); alone: line_items of --table/--column; with --metric: facts of that code",
    )
    what.add_argument(
        "--table",
        default="general_budget_expenditure",
        help="table for --code: key, number or title (default general_budget_expenditure, 公开06表)",
    )
    what.add_argument("--column", default="total", help="column key or label for --code (default total)")
    parser.add_argument("--data", type=Path, default=Path("output"), help="dataset folder (default: output/)")
    parser.add_argument("--format", choices=("table", "csv", "json"), default="table", help="output format")
    parser.add_argument("--unit", choices=("万元", "元"), default="万元", help="unit of amounts (default 万元)")
    parser.add_argument(
        "--sort",
        choices=("value", "change", "change_pct", "per_person", "department"),
        default="value",
        help="order within a year (default value, largest first; department lists each department's years)",
    )
    parser.add_argument(
        "--staff-metric", default="staff_on_post", help="facts metric for per-person values (default staff_on_post)"
    )
    add_selection_arguments(parser)


def run(args: argparse.Namespace) -> int:
    from report.compare import (
        COLUMNS,
        TABLE_COLUMNS,
        CompareSpec,
        compare,
        default_qualifier,
        display_unit_of,
        row_values,
        title,
    )
    from report.labels import resolve_column, resolve_metric, resolve_table
    from report.selection import selection_from_args
    from report.tabular import write_rows
    from report.views import connect, has_dataset

    if not has_dataset(args.data):
        print(f"juesuan: no dataset at {args.data} (run `juesuan run` first or pass --data)", file=sys.stderr)
        return 2
    try:
        metric = resolve_metric(args.metric) if args.metric else None
        spec = CompareSpec(
            metric=metric,
            qualifier=args.qualifier or (default_qualifier(metric) if metric else "actual"),
            code=args.code,
            table_key=resolve_table(args.table),
            column_key=resolve_column(args.column),
            display_unit=args.unit,
            staff_metric=resolve_metric(args.staff_metric),
            sort=args.sort,
        )
        sel = selection_from_args(args)
    except ValueError as exc:
        print(f"juesuan: {exc}", file=sys.stderr)
        return 2
    con = connect(args.data)
    rows = compare(con, spec, sel)
    columns = TABLE_COLUMNS if args.format == "table" else COLUMNS
    unit = display_unit_of(rows, spec)
    caption = f"rows: {len(rows)} · amounts in {unit} · {sel.describe()}"
    write_rows(
        columns,
        [row_values(r, spec, columns) for r in rows],
        args.format,
        title=f"{title(con, spec)} · {unit}",
        caption=caption,
    )
    return 0
