"""The paths ledger: every path at which a document's bytes were seen.

``DIR/_juesuan/paths.jsonl`` holds one JSON object per line, ``{"doc_id": …, "path": …}``, in the
order first seen; the documents row's ``source_path`` is a document's first path, the ledger
keeps all of them (the same report downloaded twice, a file moved into a new inbox). Query it
with DuckDB: ``select * from read_json('DIR/_juesuan/paths.jsonl')``.

Only the run holding the output lock appends, and only for committed documents, so the ledger
never names a document the dataset lacks. A line cut short by ``kill -9`` is skipped when read
and closed before the next append; the pairs it held are written again by the next run, which
meets the same files.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import IO

LEDGER_NAME = "paths.jsonl"


def ledger_path(out: Path) -> Path:
    return out / "_juesuan" / LEDGER_NAME


def read_paths(out: Path) -> dict[str, list[str]]:
    """doc_id -> its paths in the order first seen (lines that do not parse are skipped)."""
    paths: dict[str, list[str]] = {}
    try:
        text = ledger_path(out).read_text(encoding="utf-8")
    except FileNotFoundError:
        return paths
    for line in text.splitlines():
        try:
            entry = json.loads(line)
            doc_id, path = entry["doc_id"], entry["path"]
        except (ValueError, KeyError, TypeError):
            continue
        known = paths.setdefault(doc_id, [])
        if path not in known:
            known.append(path)
    return paths


class PathLedger:
    """Appends (doc_id, path) pairs not yet in the ledger. Use as a context manager."""

    def __init__(self, out: Path) -> None:
        self.path = ledger_path(out)
        self.known = {(d, p) for d, ps in read_paths(out).items() for p in ps}
        self._file: IO[str] | None = None

    def __enter__(self) -> PathLedger:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("ab") as f:
            if f.tell() and not _ends_with_newline(self.path):
                f.write(b"\n")  # close a line cut short by a kill
        self._file = self.path.open("a", encoding="utf-8")
        return self

    def __exit__(self, *exc: object) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None

    def record(self, doc_id: str, paths: Iterable[str]) -> None:
        assert self._file is not None, "use PathLedger as a context manager"
        new = [p for p in paths if (doc_id, p) not in self.known]
        for p in new:
            self._file.write(json.dumps({"doc_id": doc_id, "path": p}, ensure_ascii=False) + "\n")
            self.known.add((doc_id, p))
        if new:
            self._file.flush()


def _ends_with_newline(path: Path) -> bool:
    with path.open("rb") as f:
        f.seek(-1, 2)
        return f.read(1) == b"\n"
