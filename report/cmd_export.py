"""``juesuan export --xlsx FILE``: the dataset as an Excel workbook."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path

NAME = "export"
HELP = "export the dataset to an Excel workbook (one sheet per table)"
DESCRIPTION = """\
Export the dataset to an Excel workbook: a 说明 sheet, then one sheet per table (文件,
附表数字, 文字数字, 审核发现) with Chinese column headers over the dataset's column names,
amounts in 万元 with two decimals, frozen header rows and filters on."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from report.selection import add_selection_arguments

    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument("--xlsx", type=Path, required=True, metavar="FILE", help="workbook to write (.xlsx)")
    parser.add_argument("--data", type=Path, default=Path("output"), help="dataset folder (default: output/)")
    add_selection_arguments(parser)


def run(args: argparse.Namespace) -> int:
    from report.selection import register_selection, selected_documents, selection_from_args
    from report.views import connect, has_dataset
    from report.xlsx import write_workbook

    if not has_dataset(args.data):
        print(f"juesuan: no dataset at {args.data} (run `juesuan run` first or pass --data)", file=sys.stderr)
        return 2
    if args.xlsx.suffix.lower() != ".xlsx":
        print(f"juesuan: {args.xlsx} should end in .xlsx", file=sys.stderr)
        return 2
    try:
        sel = selection_from_args(args)
    except ValueError as exc:
        print(f"juesuan: {exc}", file=sys.stderr)
        return 2
    con = connect(args.data)
    docs = selected_documents(con, sel)
    register_selection(con, docs)
    about = [
        ("数据集", str(args.data.resolve())),
        ("导出时间", datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")),
        ("筛选", sel.describe()),
        ("文件数", str(len(docs))),
    ]
    written = write_workbook(con, args.xlsx, about=about)
    parts = [f"{sheet} {n} rows" for sheets in written.values() for sheet, n in sheets]
    print(f"wrote {args.xlsx}: " + ", ".join(parts))
    return 0
