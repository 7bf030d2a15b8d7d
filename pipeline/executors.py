"""Executors: run the per-document task (:mod:`pipeline.child`) over many files.

Both yield :class:`Outcome` objects as documents finish, in completion order; neither writes the
store (the parent does, see :mod:`pipeline.run`).

- ``local``: a pool of ``workers`` slots on this machine. Each document gets a fresh process
  from a ``forkserver`` that has imported the pipeline once, so starting a worker costs
  milliseconds and nothing a document leaks survives it. The parent watches every worker's
  result pipe, its exit and its deadline: a late worker is killed, a dead one is reported.
- ``dask``: the same task on a dask.distributed cluster (``address``) or a LocalCluster of
  worker processes; on the worker it runs in a fresh ``python -m pipeline.child`` process so the
  timeout and the memory cap hold there too.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import time
from collections.abc import Generator, Iterable
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from pipeline.child import Limits, child_main, crashed_reason, run_in_subprocess, timed_out_reason

if TYPE_CHECKING:  # kept light: ``juesuan run --help`` imports this module
    from extract.settings import ExtractSettings
    from schemas.records import DocumentResult

EXECUTORS = ("local", "dask")
# Modules the forkserver imports once, so every worker starts with the pipeline loaded.
PRELOAD = ["pipeline.child", "pipeline.process"]


class ExecutorUnavailable(Exception):
    """The chosen executor cannot run here (e.g. dask is not installed)."""


@dataclass(frozen=True)
class Job:
    """One distinct document: the path to read and the parent's hash of its bytes (None: unreadable)."""

    path: Path
    doc_id: str | None


@dataclass(frozen=True)
class Outcome:
    job: Job
    result: DocumentResult
    seconds: float


class Executor(Protocol):
    def run(self, jobs: Iterable[Job]) -> Generator[Outcome, None, None]: ...


def _failed(job: Job, reason: str) -> DocumentResult:
    from pipeline.process import failed_row
    from schemas.records import DocumentResult

    return DocumentResult(failed_row(job.path, reason, doc_id=job.doc_id))


@dataclass
class _Running:
    job: Job
    process: BaseProcess
    conn: Connection
    alive: Connection  # closed (by us or by our death) only once the worker is done
    started: float
    deadline: float


class LocalExecutor:
    """A pool of ``workers`` fresh processes, one per document, each under ``limits``."""

    def __init__(self, settings: ExtractSettings, limits: Limits, workers: int) -> None:
        if workers < 1:
            raise ValueError("workers must be at least 1")
        self.settings, self.limits, self.workers = settings, limits, workers
        self.context = multiprocessing.get_context("forkserver")
        self.context.set_forkserver_preload(PRELOAD)

    def _start(self, job: Job) -> _Running:
        receive, send = self.context.Pipe(duplex=False)
        lifeline, alive = self.context.Pipe(duplex=False)  # see child._watch_parent
        process = self.context.Process(
            target=child_main,
            args=(send, lifeline, str(job.path), self.settings, self.limits),
            name=f"juesuan-worker {job.path.name}",
            daemon=True,
        )
        started = time.monotonic()
        process.start()
        send.close()  # the child holds the only write end: its death reads as EOF here
        lifeline.close()
        return _Running(job, process, receive, alive, started, started + self.limits.timeout_s)

    def _finish(self, run: _Running, now: float) -> Outcome | None:
        """The outcome of a worker that has sent, died or run out of time; None if still busy."""
        result: DocumentResult | None = None
        if run.conn.poll():
            try:
                result = run.conn.recv()
            except (EOFError, OSError):
                result = None
            if result is None:
                run.process.join(timeout=5)
        if result is None:
            if run.process.is_alive() and now < run.deadline:
                return None
            if run.process.is_alive():
                run.process.kill()
                run.process.join()
                result = _failed(run.job, timed_out_reason(self.limits))
            else:
                run.process.join()
                result = _failed(run.job, crashed_reason(run.process.exitcode))
        else:
            run.process.join(timeout=5)
            if run.process.is_alive():  # sent its result but will not exit: do not wait on it
                run.process.kill()
                run.process.join()
        run.conn.close()
        run.alive.close()
        run.process.close()
        return Outcome(run.job, result, time.monotonic() - run.started)

    def run(self, jobs: Iterable[Job]) -> Generator[Outcome, None, None]:
        pending = iter(jobs)
        running: list[_Running] = []

        def fill() -> None:
            while len(running) < self.workers and (job := next(pending, None)) is not None:
                running.append(self._start(job))

        try:
            while True:
                fill()
                if not running:
                    return
                timeout = max(0.0, min(r.deadline for r in running) - time.monotonic())
                wait([r.conn for r in running] + [r.process.sentinel for r in running], timeout)
                now = time.monotonic()
                finished: list[Outcome] = []
                for run in list(running):
                    outcome = self._finish(run, now)
                    if outcome is not None:
                        running.remove(run)
                        finished.append(outcome)
                fill()  # the next documents start while the caller commits these
                yield from finished
        finally:  # interrupted (Ctrl-C, SIGTERM, an error in the caller): no orphan workers
            for run in running:
                if run.process.is_alive():
                    run.process.kill()
                run.process.join()
                run.alive.close()


class DaskExecutor:
    """The same per-document task on dask.distributed; ``address`` None starts a LocalCluster."""

    def __init__(self, settings: ExtractSettings, limits: Limits, workers: int, address: str | None) -> None:
        require_dask()
        self.settings, self.limits, self.workers, self.address = settings, limits, workers, address

    def _client(self) -> tuple[Any, Any]:
        from dask.distributed import Client, LocalCluster

        if self.address:
            return Client(self.address), None
        cluster = LocalCluster(
            n_workers=self.workers,
            threads_per_worker=1,
            processes=True,
            memory_limit=0,  # each document's own process carries the cap
            dashboard_address=None,
            silence_logs=logging.ERROR,
        )
        return Client(cluster), cluster

    def run(self, jobs: Iterable[Job]) -> Generator[Outcome, None, None]:
        from dask.distributed import as_completed

        client, cluster = self._client()
        try:
            slots = max(1, sum(client.nthreads().values())) * 2
            pending = iter(jobs)
            futures = as_completed()
            job_of: dict[str, Job] = {}

            def submit(job: Job) -> None:
                future = client.submit(run_in_subprocess, str(job.path), self.settings, self.limits, pure=False)
                job_of[future.key] = job
                futures.add(future)

            for job in pending:
                submit(job)
                if len(job_of) >= slots:
                    break
            for future in futures:
                job = job_of.pop(future.key)
                try:
                    result, seconds = future.result()
                except Exception as exc:  # a lost worker (KilledWorker) or a cluster error
                    result, seconds = _failed(job, f"the Dask worker running it failed ({type(exc).__name__})"), 0.0
                yield Outcome(job, result, seconds)
                following = next(pending, None)
                if following is not None:
                    submit(following)
        finally:
            client.close()
            if cluster is not None:
                cluster.close()


def require_dask() -> None:
    try:
        import dask.distributed  # noqa: F401
    except ImportError:
        raise ExecutorUnavailable(
            "--executor dask needs dask.distributed, which is not installed: pip install 'juesuan[dask]'"
        ) from None


def make_executor(
    name: str, settings: ExtractSettings, limits: Limits, workers: int, address: str | None = None
) -> Executor:
    if name == "local":
        return LocalExecutor(settings, limits, workers)
    if name == "dask":
        return DaskExecutor(settings, limits, workers, address)
    raise ValueError(f"executor must be one of {EXECUTORS}, not {name!r}")


def default_workers() -> int:
    """The cores this process may use (respects CPU affinity, e.g. in containers)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)
