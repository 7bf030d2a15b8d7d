"""What runs inside a worker process: its limits, one document, and the sentence for each failure.

Every document is processed in a fresh process (see :mod:`pipeline.executors`), so a hang, a
crash or a leak in one file cannot touch the next. Inside that process :func:`run_document`
applies the memory cap (``RLIMIT_AS``), a backstop alarm in case the parent is gone, and
then calls :func:`pipeline.process.process_file`. The same function is reached two ways: as the
target of a ``forkserver`` process (local pool) or via ``python -m pipeline.child JOB RESULT``
(:func:`run_in_subprocess`, used on Dask workers, whose daemonic processes may not use
multiprocessing).

Test hook: ``JUESUAN_TEST_FAULTS="<file-name glob>=<fault>;…"`` with fault ``hang``, ``segv``,
``exit`` or ``oom`` makes the worker of a matching file misbehave that way. The parent reads it
once per run and hands it to its workers; it exists so that tests can prove the batch survives.
"""

from __future__ import annotations

import fnmatch
import math
import os
import pickle
import resource
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from extract.settings import ExtractSettings
    from schemas.records import DocumentResult

FAULTS_ENV = "JUESUAN_TEST_FAULTS"
FAULT_KINDS = ("hang", "segv", "exit", "oom")
# After the parent's own deadline, how long a child waits before its alarm ends it anyway.
ALARM_GRACE_S = 30


@dataclass(frozen=True)
class Limits:
    """What one worker may use: wall-clock seconds and address space (0 = no cap)."""

    timeout_s: float = 1200.0
    max_memory_mb: int = 2048
    faults: tuple[tuple[str, str], ...] = ()  # test hook: (file-name glob, fault)

    def __post_init__(self) -> None:
        if not self.timeout_s > 0:
            raise ValueError("timeout must be more than 0 seconds")
        if self.max_memory_mb < 0:
            raise ValueError("max_memory_mb must be 0 (no cap) or more")
        for _, fault in self.faults:
            if fault not in FAULT_KINDS:
                raise ValueError(f"unknown test fault {fault!r}; expected one of {FAULT_KINDS}")


def faults_from_env(environ: Mapping[str, str] | None = None) -> tuple[tuple[str, str], ...]:
    """Parse the test hook ``JUESUAN_TEST_FAULTS`` ('' or unset: none)."""
    spec = (os.environ if environ is None else environ).get(FAULTS_ENV, "")
    faults = []
    for item in filter(None, (s.strip() for s in spec.split(";"))):
        pattern, _, fault = item.rpartition("=")
        faults.append((pattern, fault))
    return tuple(faults)


# --- the sentences a person reads in documents.error -------------------------------------------


def _seconds(value: float) -> str:
    return f"{value:g}"


def timed_out_reason(limits: Limits) -> str:
    return f"timed out after {_seconds(limits.timeout_s)} s"


def memory_reason(limits: Limits) -> str:
    return f"exceeded the {limits.max_memory_mb} MB memory cap"


def crashed_reason(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            return f"worker crashed (signal {-exitcode})"
        return f"worker crashed (signal {-exitcode}, {name})"
    return f"worker crashed (exit code {exitcode}) before returning a result"


# --- inside the worker ------------------------------------------------------------------------


def _apply_limits(limits: Limits, lifeline: Connection | None) -> None:
    if limits.max_memory_mb:
        cap = limits.max_memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    # Backstops for a parent that is gone (kill -9), so that an orphan does not run on: the
    # parent kills a late worker itself otherwise. SIGALRM's default action ends the process.
    signal.signal(signal.SIGALRM, signal.SIG_DFL)
    signal.alarm(math.ceil(limits.timeout_s) + ALARM_GRACE_S)
    threading.Thread(target=_watch_parent, args=(lifeline,), daemon=True, name="juesuan-parent-watch").start()


def _watch_parent(lifeline: Connection | None) -> None:
    """End this process when the run that started it is gone.

    A forkserver worker's parent process is the forkserver, which outlives the run while any
    worker lives, so the run hands each worker the read end of a pipe only the run writes to
    (and never does): end of file there means the run is gone. A plain subprocess watches its
    parent's pid instead.
    """
    if lifeline is not None:
        try:
            lifeline.poll(None)
        except OSError:
            pass
        os._exit(70)
    parent = os.getppid()
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(70)


def _inject_fault(path: str, limits: Limits) -> None:
    name = Path(path).name
    for pattern, fault in limits.faults:
        if not fnmatch.fnmatch(name, pattern):
            continue
        if fault == "hang":
            while True:
                time.sleep(3600)
        elif fault == "segv":
            os.kill(os.getpid(), signal.SIGSEGV)
        elif fault == "exit":
            os._exit(3)
        elif fault == "oom":
            if not limits.max_memory_mb:  # never eat a machine without a cap
                raise MemoryError
            hog = [bytearray(64 * 1024 * 1024) for _ in range(1 << 16)]
            del hog


def run_document(
    path: str, settings: ExtractSettings, limits: Limits, lifeline: Connection | None = None
) -> DocumentResult:
    """Process one file inside a worker process under ``limits``; never raises."""
    from pipeline.process import failed_row, process_file
    from schemas.records import DocumentResult

    _apply_limits(limits, lifeline)
    try:
        _inject_fault(path, limits)
        result = process_file(Path(path), settings)
    except MemoryError:
        return DocumentResult(failed_row(Path(path), memory_reason(limits)))
    return name_the_memory_cap(result, limits)


def name_the_memory_cap(result: DocumentResult, limits: Limits) -> DocumentResult:
    """process_file records a MemoryError as an internal error; under a cap, the cap is the reason."""
    row = result.document
    if row.status == "failed" and limits.max_memory_mb and "MemoryError" in (row.error or ""):
        return replace(result, document=replace(row, error=memory_reason(limits)))
    return result


def _quiet_stdio() -> None:
    # Library warnings from thousands of workers would bury the progress bar; every outcome
    # reaches the user as a documents row instead.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    os.close(devnull)


def child_main(conn: Connection, lifeline: Connection, path: str, settings: ExtractSettings, limits: Limits) -> None:
    """Target of a local-pool worker process: send back one DocumentResult."""
    _quiet_stdio()
    result = run_document(path, settings, limits, lifeline)
    try:
        conn.send(result)
    except MemoryError:
        from pipeline.process import failed_row
        from schemas.records import DocumentResult

        conn.send(DocumentResult(failed_row(Path(path), memory_reason(limits))))
    conn.close()


def run_in_subprocess(path: str, settings: ExtractSettings, limits: Limits) -> tuple[DocumentResult, float]:
    """Process one file in a fresh ``python -m pipeline.child`` under ``limits`` (blocking).

    Returns the result and the wall-clock seconds. A timeout, a crash or a cap becomes a failed
    documents row, as in the local pool.
    """
    from pipeline.process import failed_row
    from schemas.records import DocumentResult

    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="juesuan-") as tmp:
        job, out = Path(tmp) / "job.pickle", Path(tmp) / "result.pickle"
        job.write_bytes(pickle.dumps((path, settings, limits)))
        proc = subprocess.Popen(
            [sys.executable, "-m", "pipeline.child", str(job), str(out)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            code = proc.wait(timeout=limits.timeout_s)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            reason = timed_out_reason(limits)
        else:
            if out.exists():
                result: DocumentResult = pickle.loads(out.read_bytes())
                return result, time.monotonic() - started
            reason = crashed_reason(code)
    return DocumentResult(failed_row(Path(path), reason)), time.monotonic() - started


def _subprocess_main(job: Path, out: Path) -> int:
    path, settings, limits = pickle.loads(job.read_bytes())
    result = run_document(path, settings, limits)
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_bytes(pickle.dumps(result))
    os.replace(tmp, out)  # a half-written result is never read
    return 0


if __name__ == "__main__":
    raise SystemExit(_subprocess_main(Path(sys.argv[1]), Path(sys.argv[2])))
