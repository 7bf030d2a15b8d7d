"""Batch throughput of ``juesuan run`` for 1 and 2 local workers (and optionally Dask).

    python benchmarks/batch_throughput.py [--docs 200] [--workers 1 2] [--rounds 4] [--ocr off] [--dask]

Copies the fixture PDFs into a temporary folder until there are ``--docs`` distinct documents
(each copy gets a distinct comment after %%EOF, so its sha256 and doc_id differ), then runs the
batch through each worker count (in ``--rounds`` slices, the configurations taking turns, so
that a change in background load hits them alike) and prints documents/s, pages/s and the
speed-up over one worker. Runs through :func:`pipeline.run.run_batch`, i.e. the parent's hashing,
scheduling and Parquet commits are all counted. The figures mean something only on an otherwise
idle machine: the load average, and how much faster N plain busy loops finish than one, are
printed before and after.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extract.settings import OCR_MODES, ExtractSettings  # noqa: E402
from pipeline.child import Limits  # noqa: E402
from pipeline.run import RunOptions, RunSummary, run_batch  # noqa: E402


def make_corpus(folder: Path, n: int, sources: list[Path], rounds: int) -> list[Path]:
    """``n`` distinct documents in ``rounds`` sub-folders: the sources repeated, each copy with its
    own trailing comment (so its sha256, hence its doc_id, differs)."""
    chunks = [folder / f"round{r:02d}" for r in range(rounds)]
    for chunk in chunks:
        chunk.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        src = sources[i % len(sources)]
        dst = chunks[i % rounds] / f"{src.stem}_{i:05d}.pdf"
        dst.write_bytes(src.read_bytes() + f"\n% copy {i}\n".encode())
    return chunks


def _spin(n: int) -> float:
    started = time.perf_counter()
    x = 0
    for i in range(n):
        x += i
    return time.perf_counter() - started


def machine_scaling(workers: int, n: int = 20_000_000, repeats: int = 3) -> float:
    """How much faster ``workers`` busy loops finish than one, right now (``workers``x when idle).

    A speed-up below this is the pipeline's; a machine busy with other work caps both. One
    loop and ``workers`` loops both run in the same warm pool, best of ``repeats`` each, so
    process start-up and a passing hiccup do not count.
    """
    import multiprocessing

    def best(tasks: int) -> float:
        times = []
        for _ in range(repeats):
            started = time.perf_counter()
            pool.map(_spin, [n] * tasks, chunksize=1)
            times.append(time.perf_counter() - started)
        return min(times)

    with multiprocessing.get_context("spawn").Pool(workers) as pool:
        # Spawned workers import this module before their first task: start them all first.
        pool.map(_spin, [1] * workers * 4)
        one = best(1)
        many = best(workers)
    return workers * one / many


@dataclass
class Tally:
    seconds: float = 0.0
    processed: int = 0
    pages: int = 0
    statuses: Counter[str] = field(default_factory=Counter)

    def add(self, seconds: float, summary: RunSummary) -> None:
        self.seconds += seconds
        self.processed += summary.processed
        self.pages += summary.pages
        self.statuses.update(ok=summary.ok, partial=summary.partial, failed=summary.failed)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=200, help="distinct documents (default: 200)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="worker counts (default: 1 2)")
    parser.add_argument("--rounds", type=int, default=4, help="alternating rounds (default: 4), see below")
    parser.add_argument("--dask", action="store_true", help="also run the largest worker count on a Dask LocalCluster")
    parser.add_argument("--fixtures", type=Path, default=ROOT / "fixtures" / "pdfs")
    parser.add_argument(
        "--ocr",
        choices=OCR_MODES,
        default="off",
        help="OCR mode (default: off, so minutes of OCR on the scanned fixtures do not drown the batch figures)",
    )
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it (default: a temporary folder)")
    args = parser.parse_args(argv)
    sources = sorted(args.fixtures.glob("*.pdf"))
    if not sources:
        print(f"no fixture PDFs in {args.fixtures}", file=sys.stderr)
        return 2
    work = args.keep or Path(tempfile.mkdtemp(prefix="juesuan-bench-"))
    try:
        shutil.rmtree(work / "inbox", ignore_errors=True)
        chunks = make_corpus(work / "inbox", args.docs, sources, args.rounds)
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
        print(f"{args.docs} distinct documents from {len(sources)} fixture PDF(s); {cores} core(s); OCR {args.ocr}")
        # Other work on the machine skews the speed-up: the load average and the speed-up of plain
        # busy loops say how much there was.
        top = max(args.workers)
        print("load average before: " + " ".join(f"{x:.2f}" for x in os.getloadavg()))
        print(f"busy loops, {top} processes vs 1, before: {machine_scaling(top):.2f}x")
        runs = [(f"local x{w}", RunOptions(workers=w, limits=Limits())) for w in args.workers]
        if args.dask:
            w = max(args.workers)
            runs.append((f"dask x{w}", RunOptions(workers=w, limits=Limits(), executor="dask")))
        tallies = {label: Tally() for label, _ in runs}
        settings = ExtractSettings(ocr=args.ocr)
        # The corpus is split into rounds and the configurations take turns (in alternating order)
        # on each, so a change in background load hits them alike instead of favouring one.
        for r, chunk in enumerate(chunks):
            for label, options in runs if r % 2 == 0 else runs[::-1]:
                out = work / f"out-{label.replace(' ', '')}"
                if r == 0:
                    shutil.rmtree(out, ignore_errors=True)
                started = time.perf_counter()
                summary = run_batch([chunk], out, settings, options)
                tallies[label].add(time.perf_counter() - started, summary)
        print(f"{'run':<16} {'seconds':>8} {'docs/s':>8} {'pages/s':>8} {'speed-up':>9}  statuses")
        base = tallies[runs[0][0]]
        for label, tally in tallies.items():
            rate = tally.processed / tally.seconds
            speedup = rate / (base.processed / base.seconds)
            statuses = " ".join(f"{k} {tally.statuses[k]}" for k in ("ok", "partial", "failed"))
            print(
                f"{label:<16} {tally.seconds:8.1f} {rate:8.2f} {tally.pages / tally.seconds:8.1f} "
                f"{speedup:8.2f}x  {statuses}"
            )
        print("load average after:  " + " ".join(f"{x:.2f}" for x in os.getloadavg()))
        print(f"busy loops, {top} processes vs 1, after:  {machine_scaling(top):.2f}x")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
