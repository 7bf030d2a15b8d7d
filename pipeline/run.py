"""Batch run: files, folders and globs -> the store, skipping what this version already did.

The parent is the store's only writer. Under the output lock it first repairs what a killed run
left (:func:`pipeline.store.recover`), reads which documents are committed, groups the inputs
by content, and hands the documents still to do to an executor (:mod:`pipeline.executors`),
committing each result as it arrives. Killed at any moment, the next run converges to the
dataset an uninterrupted run would have written.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from extract.settings import ExtractSettings
from pipeline import journal
from pipeline.child import Limits
from pipeline.executors import Job, make_executor
from pipeline.inputs import DocumentGroup, group_documents, scan_inputs
from pipeline.ledger import PathLedger
from pipeline.lock import Lock, OutputLocked
from pipeline.store import Committed, read_index, remove_uncommitted, take_out_of_merged, write_result
from schemas import PIPELINE_VERSION

__all__ = ["DocumentEvent", "OutputLocked", "RunOptions", "RunSummary", "run_batch"]

# Columns of committed documents rows a run needs (skip decisions and the summary).
INDEX_COLUMNS = ["doc_id", "status", "error", "pipeline_version", "page_count", "source_path"]


@dataclass(frozen=True)
class RunOptions:
    """How a batch runs (what to extract is ExtractSettings)."""

    workers: int = 1
    limits: Limits = field(default_factory=Limits)
    executor: str = "local"
    dask_address: str | None = None
    force: bool = False  # redo documents already committed by this version
    retry_failed: bool = False  # redo documents whose committed status is failed

    def __post_init__(self) -> None:
        if self.workers < 1:
            raise ValueError("workers must be at least 1")


@dataclass(frozen=True)
class DocumentEvent:
    """What a run reports about one document (progress bar, JSON log, summary)."""

    doc_id: str
    path: str
    status: str  # ok / partial / failed / skipped
    reason: str | None
    seconds: float
    pages: int | None
    aliases: tuple[str, ...] = ()

    def to_json(self) -> str:
        record: dict[str, Any] = {
            "doc_id": self.doc_id,
            "path": self.path,
            "status": self.status,
            "reason": self.reason,
            "seconds": round(self.seconds, 3),
            "pages": self.pages,
            "time": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        if self.aliases:
            record["aliases"] = list(self.aliases)
        return json.dumps(record, ensure_ascii=False)


@dataclass
class RunSummary:
    ok: int = 0
    partial: int = 0
    failed: int = 0
    skipped: int = 0
    pages: int = 0
    seconds: float = 0.0
    other_versions: int = 0  # results stamped with another pipeline version (mismatched workers)
    failures: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    timings: list[tuple[float, str, int | None]] = field(default_factory=list)  # (seconds, path, pages)

    def add(self, event: DocumentEvent) -> None:
        setattr(self, event.status, getattr(self, event.status) + 1)
        if event.status == "skipped":
            return
        self.pages += event.pages or 0
        self.timings.append((event.seconds, event.path, event.pages))
        if event.status == "failed":
            self.failures.append((event.path, event.reason or ""))

    def slowest(self, n: int = 5) -> list[tuple[float, str, int | None]]:
        return sorted(self.timings, key=lambda t: -t[0])[:n]

    @property
    def processed(self) -> int:
        return self.ok + self.partial + self.failed


def _should_redo(prior: Committed | None, options: RunOptions) -> bool:
    if prior is None or options.force:
        return True
    if prior.row.get("pipeline_version") != PIPELINE_VERSION:
        return True
    return options.retry_failed and prior.row.get("status") == "failed"


def _skipped_event(group: DocumentGroup, prior: Committed) -> DocumentEvent:
    status = prior.row.get("status")
    return DocumentEvent(
        doc_id=group.doc_id or "",
        path=str(group.path),
        status="skipped",
        reason=f"already processed by pipeline {PIPELINE_VERSION} (status {status})",
        seconds=0.0,
        pages=prior.row.get("page_count"),
        aliases=tuple(map(str, group.aliases)),
    )


def run_batch(
    paths: list[str] | list[Path],
    out: Path,
    settings: ExtractSettings,
    options: RunOptions | None = None,
    on_start: Callable[[int, int], None] | None = None,
    on_document: Callable[[DocumentEvent], None] | None = None,
    log_json: Path | None = None,
) -> RunSummary:
    """Process every distinct input document not yet committed by this pipeline version.

    ``on_start(to_process, skipped)`` is called once the work is known; ``on_document`` once per
    document, skipped ones included. Raises :class:`OutputLocked` when another run holds ``out``.
    """
    options = options or RunOptions()
    summary = RunSummary()
    started = time.monotonic()
    with Lock(out):
        # What a killed run left: its journal finished first, then files of uncommitted documents.
        journal.replay(out)
        index = read_index(out, INDEX_COLUMNS)
        remove_uncommitted(out, index)
        groups = group_documents(scan_inputs(paths).files)
        todo: list[DocumentGroup] = []
        skipped: list[tuple[DocumentGroup, Committed]] = []
        for group in groups:
            prior = index.get(group.doc_id) if group.doc_id else None
            if prior is not None and not _should_redo(prior, options):
                skipped.append((group, prior))
            else:
                todo.append(group)
        # A document to redo that sits in merged files leaves them first (journaled).
        take_out_of_merged(out, {g.doc_id for g in todo if g.doc_id and g.doc_id in index and index[g.doc_id].merged})
        if on_start:
            on_start(len(todo), len(skipped))
        log: IO[str] | None = log_json.open("a", encoding="utf-8") if log_json else None
        try:
            with PathLedger(out) as ledger:

                def report(event: DocumentEvent) -> None:
                    summary.add(event)
                    if log:
                        log.write(event.to_json() + "\n")
                        log.flush()
                    if on_document:
                        on_document(event)

                for group, prior in skipped:
                    ledger.record(prior.row["doc_id"], map(str, group.paths))
                    report(_skipped_event(group, prior))
                executor = make_executor(
                    options.executor, settings, options.limits, options.workers, options.dask_address
                )
                by_path = {g.path: g for g in todo}
                # closing(): however this loop ends, the executor's cleanup runs now (workers killed)
                with closing(executor.run(Job(g.path, g.doc_id) for g in todo)) as outcomes:
                    for outcome in outcomes:
                        group = by_path[outcome.job.path]
                        row = outcome.result.document
                        write_result(out, outcome.result)
                        summary.other_versions += row.pipeline_version != PIPELINE_VERSION
                        ledger.record(row.doc_id, map(str, group.paths))
                        report(
                            DocumentEvent(
                                doc_id=row.doc_id,
                                path=row.source_path,
                                status=row.status,
                                reason=row.error,
                                seconds=outcome.seconds,
                                pages=row.page_count,
                                aliases=tuple(map(str, group.aliases)),
                            )
                        )
        finally:
            if log:
                log.close()
    summary.seconds = time.monotonic() - started
    return summary
