"""``juesuan codes``: look up a 科目 code or name in the codebooks, or learn codes from a dataset."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path
from typing import Any

NAME = "codes"
HELP = "look up a 科目 code or name, or learn the codes a dataset prints"
DESCRIPTION = (
    "Look up 科目 codes. QUERY is a code (2010350, 30101: its names with the years each is valid and "
    "the source), a name (行政运行 with --parent 20103: the code it resolves to, how, with what "
    "confidence, and the closest codebook names), or a narrative chain '一般公共服务支出（类）…（项）'. "
    "With --learn, collect the (year, code, name) triples that the documents of a dataset print, "
    "compare them with the codebook, report conflicts, and write them to a CSV that can grow the codebook."
)
EPILOG = (
    "Examples:\n"
    "  juesuan codes 2010350\n"
    "  juesuan codes 行政运行 --parent 20103 --year 2023\n"
    "  juesuan codes '住房保障（类）住房改革支出（款）住房公积金（项）'\n"
    "  juesuan codes --learn --data output --out learned_codes.csv\n"
    "Exit codes: 0 found (or learnt), 1 nothing found, 2 usage error."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.epilog = EPILOG
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument("query", nargs="?", help="a code, a 科目 name or a 类/款/项 chain")
    parser.add_argument("--year", type=int, help="fiscal year the name is read for (default: any year)")
    parser.add_argument("--parent", help="the parent code the name sits under (a 类 for a 款, a 款 for a 项)")
    parser.add_argument("--level", choices=("类", "款", "项"), help="the level of the name")
    parser.add_argument("--system", choices=("function", "economic"), help="the classification of the name")
    parser.add_argument("--format", choices=("table", "csv", "json"), default="table", help="output format")
    parser.add_argument("--learn", action="store_true", help="learn the printed codes of the dataset in --data")
    parser.add_argument("--data", type=Path, default=Path("output"), help="dataset folder for --learn")
    parser.add_argument("--out", type=Path, help="CSV file to write the learnt codes to (with --learn)")


def _emit(rows: list[dict[str, Any]], fmt: str) -> None:
    if not rows:
        return
    if fmt == "json":
        for row in rows:
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
    elif fmt == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    else:
        from rich.console import Console
        from rich.table import Table

        table = Table()
        for name in rows[0]:
            table.add_column(name)
        for row in rows:
            table.add_row(*("" if v is None else str(v) for v in row.values()))
        Console().print(table)


def _lookup_code(code: str, year: int | None) -> list[dict[str, Any]]:
    from normalize.codebook import by_code

    return [
        {
            "code": e.code,
            "level": e.level,
            "system": e.system,
            "name": e.name,
            "years": e.years,
            "valid_in_year": "" if year is None else ("yes" if e.valid_in(year) else "no"),
            "source": e.source,
            "origin": e.origin,
            "note": e.note,
        }
        for e in by_code().get(code, ())
    ]


def _lookup_name(args: argparse.Namespace) -> list[dict[str, Any]]:
    from normalize.resolve import Resolver

    resolver = Resolver(args.year)
    if any(mark in args.query for mark in ("类）", "类)")):
        res = resolver.resolve_chain(args.query, system=args.system)
    else:
        res = resolver.resolve(args.query, parent=args.parent, level=args.level, system=args.system)
    rows: list[dict[str, Any]] = [
        {
            "rank": "resolved",
            "code": res.code or "",
            "level": res.level or "",
            "name": "",
            "years": "",
            "source": res.match,
            "confidence": res.confidence,
            "reason": res.reason,
        }
    ]
    for score, e in resolver.candidates(args.query, parent=args.parent, level=args.level, system=args.system):
        rows.append(
            {
                "rank": "candidate",
                "code": e.code,
                "level": e.level,
                "name": e.name,
                "years": e.years,
                "source": e.source,
                "confidence": score,
                "reason": e.note,
            }
        )
    return rows


def _learn(args: argparse.Namespace) -> int:
    from normalize.learn import LEARNED_COLUMNS, PrintedPair, learn_codes
    from report.views import connect, has_dataset

    if not has_dataset(args.data):
        print(f"juesuan: no dataset at {args.data} (run `juesuan run` first or pass --data)", file=sys.stderr)
        return 2
    con = connect(args.data)
    rows = con.execute(
        "select l.fiscal_year, l.code, l.row_label, coalesce(d.file_name, l.doc_id) "
        "from line_items l left join documents d using (doc_id) "
        "where l.code_match = 'printed' and l.code is not null "
        "group by all"
    ).fetchall()
    learned, conflicts = learn_codes(PrintedPair(y, c, n or "", d) for y, c, n, d in rows)
    out_rows = [entry.row() for entry in learned]
    if args.out:
        with args.out.open("w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=list(LEARNED_COLUMNS), lineterminator="\n")
            writer.writeheader()
            writer.writerows(out_rows)
    else:
        _emit(out_rows, args.format)
    statuses: dict[str, int] = {}
    for entry in learned:
        statuses[entry.codebook.split(":")[0]] = statuses.get(entry.codebook.split(":")[0], 0) + 1
    summary = ", ".join(f"{n} {s}" for s, n in sorted(statuses.items()))
    print(f"{len(learned)} code/name pairs ({summary}); {len(conflicts)} conflicts", file=sys.stderr)
    for conflict in conflicts:
        print(f"conflict: {conflict.message()}", file=sys.stderr)
    if args.out:
        print(f"written to {args.out}", file=sys.stderr)
    return 0


def run(args: argparse.Namespace) -> int:
    if args.learn:
        return _learn(args)
    if not args.query:
        print("juesuan codes: give a QUERY (a code or a name) or --learn", file=sys.stderr)
        return 2
    query = args.query.strip()
    rows = _lookup_code(query, args.year) if query.isdigit() else _lookup_name(args)
    _emit(rows, args.format)
    if not rows or (not query.isdigit() and not rows[0]["code"]):
        return 1
    return 0
