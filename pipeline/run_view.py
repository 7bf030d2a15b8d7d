"""What ``juesuan run`` shows a person: a progress bar on a terminal and a summary at the end."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path
from types import TracebackType

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeRemainingColumn
from rich.table import Table

from pipeline.run import DocumentEvent, RunSummary


class RunProgress:
    """A rich progress bar over the documents to process: done/total, pages/s, failures, ETA."""

    def __init__(self, console: Console, enabled: bool) -> None:
        self.progress = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[pages_per_s]:.1f} pages/s"),
            TextColumn("[red]{task.fields[failed]} failed"),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=console,
            disable=not enabled,
        )
        self.console = console
        self.enabled = enabled
        self.task: TaskID | None = None
        self.finding = TaskID(-1)
        self.started = time.monotonic()
        self.pages = 0
        self.failed = 0

    def __enter__(self) -> RunProgress:
        self.progress.__enter__()
        # Until start(): finding, hashing and grouping the input files (a minute for 20,000 files).
        self.finding = self.progress.add_task("reading input files", total=None, pages_per_s=0.0, failed=0)
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.progress.__exit__(kind, exc, tb)

    def start(self, to_process: int, skipped: int) -> None:
        if self.enabled and skipped:
            self.console.print(f"{skipped} document(s) already processed by this version: skipped")
        self.progress.remove_task(self.finding)
        self.started = time.monotonic()
        self.task = self.progress.add_task("documents", total=to_process, pages_per_s=0.0, failed=0)

    def document(self, event: DocumentEvent) -> None:
        if event.status == "skipped" or self.task is None:
            return
        self.pages += event.pages or 0
        self.failed += event.status == "failed"
        elapsed = max(time.monotonic() - self.started, 1e-6)
        self.progress.update(self.task, advance=1, pages_per_s=self.pages / elapsed, failed=self.failed)


def _short(path: str, width: int = 60) -> str:
    return path if len(path) <= width else "…" + path[-(width - 1) :]


def print_summary(console: Console, summary: RunSummary, out: Path) -> None:
    """Counts by status, the slowest documents and the failure reasons, counted."""
    line = f"[bold]juesuan run[/bold] → {out}"
    if summary.processed:
        line += f": {summary.processed} document(s), {summary.pages} pages in {summary.seconds:.1f} s"
        if summary.seconds and summary.pages:
            line += f" ({summary.pages / summary.seconds:.1f} pages/s)"
    console.print(line)
    counts = Table(header_style="bold")
    for status in ("ok", "partial", "failed", "skipped"):
        counts.add_column(status, justify="right")
    counts.add_row(*(str(getattr(summary, s)) for s in ("ok", "partial", "failed", "skipped")))
    console.print(counts)
    slowest = summary.slowest(5)
    if slowest:
        table = Table(title="slowest documents", title_justify="left", header_style="bold")
        table.add_column("seconds", justify="right")
        table.add_column("pages", justify="right")
        table.add_column("file")
        for seconds, path, pages in slowest:
            table.add_row(f"{seconds:.1f}", "" if pages is None else str(pages), _short(path))
        console.print(table)
    if summary.failures:
        table = Table(title="why documents failed", title_justify="left", header_style="bold")
        table.add_column("documents", justify="right")
        table.add_column("reason")
        table.add_column("for example")
        examples: dict[str, str] = {}
        for path, reason in summary.failures:
            examples.setdefault(reason, path)
        for reason, n in Counter(reason for _, reason in summary.failures).most_common(10):
            table.add_row(str(n), reason, _short(examples[reason], 40))
        console.print(table)
    if summary.other_versions:
        console.print(
            f"[yellow]note:[/yellow] {summary.other_versions} document(s) were processed by another pipeline "
            "version than this one (workers running a different juesuan?); the next run will redo them"
        )
