"""Batch run: files and folders -> the store, with a ledger of what is already done."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from extract.settings import ExtractSettings
from pipeline.process import process_file
from pipeline.store import committed, remove_uncommitted, write_result
from schemas import PIPELINE_VERSION
from schemas.records import DocumentRow


class OutputLocked(Exception):
    """Another run holds the output folder."""


def iter_inputs(paths: list[Path]) -> Iterator[Path]:
    """Files as given, and every *.pdf under folders (recursive, case-insensitive), sorted."""
    seen: set[Path] = set()
    for p in paths:
        found = (
            [p]
            if p.is_file() or not p.exists()
            else sorted(q for q in p.rglob("*") if q.is_file() and q.suffix.lower() == ".pdf")
        )
        for q in found:
            if q not in seen:
                seen.add(q)
                yield q


@dataclass
class RunSummary:
    ok: int = 0
    partial: int = 0
    failed: int = 0
    skipped: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)

    def add(self, row: DocumentRow) -> None:
        setattr(self, row.status, getattr(self, row.status) + 1)
        if row.status == "failed":
            self.failures.append((row.source_path, row.error or ""))


class Lock:
    """A lock file holding the owner's pid; a lock whose process is gone is stale and taken over."""

    def __init__(self, out: Path) -> None:
        self.path = out / ".juesuan.lock"

    def __enter__(self) -> Lock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            pid = _read_pid(self.path)
            if pid is not None and _alive(pid):
                raise OutputLocked(f"{self.path.parent} is being written by another run (pid {pid})") from None
            self.path.unlink(missing_ok=True)
            fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        os.write(fd, str(os.getpid()).encode())
        os.close(fd)
        return self

    def __exit__(self, *exc: object) -> None:
        self.path.unlink(missing_ok=True)


def _read_pid(path: Path) -> int | None:
    try:
        return int(path.read_text().strip())
    except (OSError, ValueError):
        return None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def run_batch(
    paths: list[Path],
    out: Path,
    settings: ExtractSettings,
    force: bool = False,
    on_document: Callable[[DocumentRow, float, bool], None] | None = None,
    log_json: Path | None = None,
) -> RunSummary:
    """Process every input not yet committed by this pipeline version."""
    summary = RunSummary()
    with Lock(out):
        remove_uncommitted(out)
        done = committed(out)
        log = log_json.open("a", encoding="utf-8") if log_json else None
        try:
            for path in iter_inputs(paths):
                started = time.monotonic()
                doc_id = _quick_id(path)
                prior = done.get(doc_id) if doc_id else None
                if prior and prior["pipeline_version"] == PIPELINE_VERSION and not force:
                    summary.skipped += 1
                    if on_document:
                        on_document(_row_from_dict(prior), 0.0, True)
                    continue
                result = process_file(path, settings)
                write_result(out, result)
                done[result.document.doc_id] = {"pipeline_version": PIPELINE_VERSION}
                summary.add(result.document)
                seconds = time.monotonic() - started
                if on_document:
                    on_document(result.document, seconds, False)
                if log:
                    row = result.document
                    log.write(
                        json.dumps(
                            {
                                "doc_id": row.doc_id,
                                "path": row.source_path,
                                "status": row.status,
                                "reason": row.error,
                                "seconds": round(seconds, 3),
                                "pages": row.page_count,
                            },
                            ensure_ascii=False,
                        )
                        + "\n"
                    )
                    log.flush()
        finally:
            if log:
                log.close()
    return summary


def _quick_id(path: Path) -> str | None:
    import hashlib

    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _row_from_dict(d: dict[str, object]) -> DocumentRow:
    fields = DocumentRow.__dataclass_fields__
    return DocumentRow(**{k: d.get(k) for k in fields})  # type: ignore[arg-type]
