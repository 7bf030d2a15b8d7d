"""The ``juesuan`` command line: a thin layer over the stages. ``main(argv) -> exit code``.

Each command is a module with ``NAME``, ``HELP``, ``DESCRIPTION``, ``add_arguments(parser)`` and
``run(args) -> int``; heavy imports happen inside ``run`` so ``--help`` stays fast.

Exit codes: 0 all documents ok, 1 some documents failed, 2 usage error, 3 output locked.
"""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Sequence
from types import ModuleType

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_LOCKED = 0, 1, 2, 3

COMMAND_MODULES = (
    "pipeline.cmd_run",
    "pipeline.cmd_compact",
    "pipeline.cmd_inspect",
    "report.cmd_sql",
    "report.cmd_compare",
    "report.cmd_export",
    "report.cmd_report",
    "pipeline.cmd_dictionary",
    "pipeline.cmd_codes",
)


def commands() -> list[ModuleType]:
    return [importlib.import_module(name) for name in COMMAND_MODULES]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="juesuan",
        description="Turn Chinese government final-accounts PDFs (部门决算) into one Parquet dataset.",
        epilog="Exit codes: 0 all ok, 1 some documents failed, 2 usage error, 3 output locked.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in commands():
        command = sub.add_parser(module.NAME, help=module.HELP, description=module.DESCRIPTION)
        module.add_arguments(command)
        command.set_defaults(_run=module.run)
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
    return int(args._run(args))


if __name__ == "__main__":
    raise SystemExit(main())
