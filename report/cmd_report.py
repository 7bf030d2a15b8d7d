"""``juesuan report --out FILE.html``: one self-contained HTML report with charts."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

NAME = "report"
HELP = "write a self-contained HTML report with charts"
DESCRIPTION = """\
Write one self-contained HTML file (styles, script and SVG charts inline; nothing is
fetched when it is opened) with an overview of the corpus, 三公经费 and 基本支出 by
department, budget completion by 科目 and the audit findings. Every chart has the table
of its numbers under it. Amounts in 万元."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from report.selection import add_selection_arguments

    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument("--out", type=Path, required=True, metavar="FILE.html", help="HTML file to write")
    parser.add_argument("--data", type=Path, default=Path("output"), help="dataset folder (default: output/)")
    parser.add_argument("--top", type=int, default=30, help="bars per department or 科目 chart (default 30)")
    parser.add_argument("--max-rows", type=int, default=300, help="rows per list table (default 300)")
    add_selection_arguments(parser)


def run(args: argparse.Namespace) -> int:
    from report.html import page_html
    from report.page import build_page
    from report.sections import ReportSettings
    from report.selection import selection_from_args
    from report.views import connect, has_dataset

    if not has_dataset(args.data):
        print(f"juesuan: no dataset at {args.data} (run `juesuan run` first or pass --data)", file=sys.stderr)
        return 2
    try:
        sel = selection_from_args(args)
        settings = ReportSettings(top=args.top, max_rows=args.max_rows)
    except ValueError as exc:
        print(f"juesuan: {exc}", file=sys.stderr)
        return 2
    page = build_page(connect(args.data), sel, settings, args.data)
    text = page_html(page)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.out.with_name(f".{args.out.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(args.out)
    charts = text.count('<svg class="chart"')
    print(f"wrote {args.out}: {len(page.sections)} sections, {charts} charts, {len(text.encode('utf-8')):,} bytes")
    return 0
