"""Speed and memory: juesuan against its peers on the same files, in one run.

    python benchmarks/speed.py [FILES or FOLDERS ...] [--no-camelot] [--no-ocr] [--batch-docs 200 | --no-batch]

Default files: the fixture PDFs (not the broken ones) and ../shared/realpdfs. Three ways of
reading every file's text layer:
- juesuan: the whole extract stage (page screen, metadata, narrative facts, tables), no OCR;
- pdfplumber: ``extract_text`` + ``extract_tables`` on every page (the naive baseline);
- camelot: lattice on every page.
Prints pages per second for each and the ratios, and juesuan's peak memory (max RSS) per
document, each document read in a fresh process so one file's memory does not hide another's.
Then the seconds per page of OCR on the files with image-only or garbled pages, and the batch
throughput of ``juesuan run`` with 1 and 2 workers on the fixture corpus repeated to
``--batch-docs`` documents (see ``benchmarks/batch_throughput.py``).
"""

from __future__ import annotations

import argparse
import logging
import multiprocessing as mp
import resource
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _juesuan(path: str) -> tuple[float, int, float]:
    """The extract stage without OCR: the peers read the text layer only, so does this run."""
    from extract.document import extract_document
    from extract.settings import ExtractSettings

    started = time.perf_counter()
    doc = extract_document(Path(path), ExtractSettings(ocr="off"))
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return seconds, doc.page_count, peak_mb


def _juesuan_ocr(path: str) -> tuple[float, int, float]:
    """The extract stage with OCR of the image-only and garbled pages; counts those pages."""
    from extract.document import extract_document
    from extract.settings import ExtractSettings

    started = time.perf_counter()
    doc = extract_document(Path(path), ExtractSettings(ocr="auto"))
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return seconds, sum(1 for s in doc.screens if s.source == "ocr"), peak_mb


def _needs_ocr(path: str) -> int:
    """Pages the screen sends to OCR (image-only or garbled)."""
    import pypdfium2

    from extract.screen import screen_pages
    from extract.settings import ExtractSettings

    doc = pypdfium2.PdfDocument(path)
    try:
        return sum(1 for screen, _text in screen_pages(doc, ExtractSettings()) if screen.kind in ("image", "garbled"))
    finally:
        doc.close()


def _pdfplumber(path: str) -> tuple[float, int, float]:
    import pdfplumber

    started = time.perf_counter()
    with pdfplumber.open(path) as pdf:
        n = len(pdf.pages)
        for page in pdf.pages:
            page.extract_text()
            page.extract_tables()
            page.close()
    return time.perf_counter() - started, n, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _camelot(path: str) -> tuple[float, int, float]:
    import camelot
    import pypdfium2

    logging.getLogger("camelot").setLevel(logging.ERROR)
    n = len(pypdfium2.PdfDocument(path))
    started = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        camelot.read_pdf(path, pages="all", flavor="lattice")
    return time.perf_counter() - started, n, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _in_fresh_process(fn: object, path: Path) -> tuple[float, int, float]:
    ctx = mp.get_context("spawn")
    with ctx.Pool(1, maxtasksperchild=1) as pool:
        return pool.apply(fn, (str(path),))  # type: ignore[arg-type]


def _files(args: list[Path]) -> list[Path]:
    if not args:
        args = [ROOT / "fixtures" / "pdfs", ROOT.parent / "shared" / "realpdfs"]
    out: list[Path] = []
    for a in args:
        out.extend(sorted(a.glob("*.pdf")) if a.is_dir() else [a])
    # Files that are not readable PDFs or are pathological inputs are not speed material.
    return [p for p in out if p.stat().st_size > 1000 and not p.name.startswith("broken_")]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="*", type=Path)
    parser.add_argument("--no-camelot", action="store_true", help="skip the (slow) camelot baseline")
    parser.add_argument("--batch-docs", type=int, default=200, help="documents in the batch run (default: 200)")
    parser.add_argument("--no-batch", action="store_true", help="skip the batch throughput run")
    parser.add_argument("--no-ocr", action="store_true", help="skip the OCR timing of scanned and garbled files")
    args = parser.parse_args(argv)
    files = _files(args.paths)
    engines = [("juesuan", _juesuan), ("pdfplumber", _pdfplumber)]
    if not args.no_camelot:
        engines.append(("camelot", _camelot))
    totals = {name: [0.0, 0] for name, _ in engines}
    peak = 0.0
    print(f"{'document':<50} {'pages':>5} " + " ".join(f"{n + ' s':>12}" for n, _ in engines) + f" {'juesuan MB':>11}")
    for path in files:
        cols = []
        pages = 0
        mb = 0.0
        for name, fn in engines:
            try:
                seconds, pages, peak_mb = _in_fresh_process(fn, path)
            except Exception as exc:  # a peer that cannot read a file is reported, not fatal
                print(f"  {name} failed on {path.name}: {exc}")
                cols.append(f"{'-':>12}")
                continue
            totals[name][0] += seconds
            totals[name][1] += pages
            cols.append(f"{seconds:>12.2f}")
            if name == "juesuan":
                mb = peak_mb
                peak = max(peak, peak_mb)
        print(f"{path.name[:48]:<50} {pages:>5} " + " ".join(cols) + f" {mb:>11.0f}")
    print()
    rate = {n: (t[1] / t[0] if t[0] else 0.0) for n, t in totals.items()}
    for name, (seconds, pages) in totals.items():
        print(f"{name:<12} {pages:>6} pages in {seconds:8.2f} s = {rate[name]:7.1f} pages/s")
    for peer in ("pdfplumber", "camelot"):
        if rate.get(peer):
            print(f"juesuan is {rate['juesuan'] / rate[peer]:.1f}x {peer} (pages/s, same files, one run)")
    print(f"peak memory of one juesuan worker: {peak:.0f} MB (max RSS over all documents)")
    scanned = [p for p in files if _needs_ocr(str(p))]
    if scanned and not args.no_ocr:
        print()
        print("OCR of image-only and garbled pages (juesuan --ocr auto, one process per document):")
        ocr_seconds, ocr_pages = 0.0, 0
        for path in scanned:
            seconds, pages, mb = _in_fresh_process(_juesuan_ocr, path)
            ocr_seconds, ocr_pages = ocr_seconds + seconds, ocr_pages + pages
            print(f"{path.name[:48]:<50} {pages:>5} OCR pages {seconds:8.1f} s  {mb:6.0f} MB")
        if ocr_pages:
            print(f"OCR: {ocr_seconds / ocr_pages:.1f} s per OCR page (whole document time over its OCR pages)")
    if not args.no_batch:
        from benchmarks import batch_throughput

        print()
        print("batch throughput (juesuan run, fixture corpus):")
        batch_throughput.main(["--docs", str(args.batch_docs), "--workers", "1", "2"])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
