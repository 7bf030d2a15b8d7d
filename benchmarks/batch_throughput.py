"""Batch throughput of ``juesuan run`` for 1 and 2 local workers (and optionally Dask).

    python benchmarks/batch_throughput.py [--docs 200] [--workers 1 2] [--dask] [--keep DIR]

Copies the fixture PDFs into a temporary folder until there are ``--docs`` distinct documents
(each copy gets a distinct comment after %%EOF, so its sha256 and doc_id differ), then runs the
whole batch once per worker count into a fresh output folder and prints documents/s, pages/s and
the speed-up over one worker. Runs through :func:`pipeline.run.run_batch`, i.e. the parent's
hashing, scheduling and Parquet commits are all counted.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extract.settings import ExtractSettings  # noqa: E402
from pipeline.child import Limits  # noqa: E402
from pipeline.run import RunOptions, RunSummary, run_batch  # noqa: E402


def make_corpus(folder: Path, n: int, sources: list[Path]) -> list[Path]:
    """``n`` distinct documents: the sources repeated, each copy with its own trailing comment."""
    folder.mkdir(parents=True, exist_ok=True)
    made = []
    for i in range(n):
        src = sources[i % len(sources)]
        dst = folder / f"{src.stem}_{i:05d}.pdf"
        dst.write_bytes(src.read_bytes() + f"\n% copy {i}\n".encode())
        made.append(dst)
    return made


def _one(inbox: Path, work: Path, label: str, options: RunOptions) -> tuple[float, RunSummary]:
    out = work / f"out-{label}"
    shutil.rmtree(out, ignore_errors=True)
    started = time.perf_counter()
    summary = run_batch([inbox], out, ExtractSettings(), options)
    return time.perf_counter() - started, summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=200, help="distinct documents (default: 200)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="worker counts (default: 1 2)")
    parser.add_argument("--dask", action="store_true", help="also run the largest worker count on a Dask LocalCluster")
    parser.add_argument("--fixtures", type=Path, default=ROOT / "fixtures" / "pdfs")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it (default: a temporary folder)")
    args = parser.parse_args(argv)
    sources = sorted(args.fixtures.glob("*.pdf"))
    if not sources:
        print(f"no fixture PDFs in {args.fixtures}", file=sys.stderr)
        return 2
    work = args.keep or Path(tempfile.mkdtemp(prefix="juesuan-bench-"))
    try:
        inbox = work / "inbox"
        shutil.rmtree(inbox, ignore_errors=True)
        make_corpus(inbox, args.docs, sources)
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
        print(f"{args.docs} distinct documents from {len(sources)} fixture PDF(s); {cores} core(s)")
        print(f"{'run':<16} {'seconds':>8} {'docs/s':>8} {'pages/s':>8} {'speed-up':>9}  statuses")
        runs = [(f"local x{w}", RunOptions(workers=w, limits=Limits())) for w in args.workers]
        if args.dask:
            w = max(args.workers)
            runs.append((f"dask x{w}", RunOptions(workers=w, limits=Limits(), executor="dask")))
        base: float | None = None
        for label, options in runs:
            seconds, summary = _one(inbox, work, label.replace(" ", ""), options)
            rate = summary.processed / seconds
            base = base or rate
            statuses = f"ok {summary.ok} partial {summary.partial} failed {summary.failed}"
            print(
                f"{label:<16} {seconds:8.1f} {rate:8.2f} {summary.pages / seconds:8.1f} {rate / base:8.2f}x  {statuses}"
            )
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
