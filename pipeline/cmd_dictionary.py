"""``juesuan dictionary``: print the data dictionary."""

from __future__ import annotations

import argparse
import sys

NAME = "dictionary"
HELP = "print the data dictionary (Markdown)"
DESCRIPTION = "Print the data dictionary generated from the vocabularies in schemas/data."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """No options."""


def run(args: argparse.Namespace) -> int:
    from schemas.dictionary import dictionary_markdown

    sys.stdout.write(dictionary_markdown())
    return 0
