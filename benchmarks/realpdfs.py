"""Invariants on the real published PDFs (no ground truth exists for them).

    python benchmarks/realpdfs.py [FOLDER]   (default ../shared/realpdfs)

Per document: status, report type, tables found, line items, table_coverage (amount-like
numbers on table pages that became line items) and the table identities the document's own
rows imply (合计 = Σ类, 类 = Σ款, 款 = Σ项, total columns = Σ parts, 收入总计 = 支出总计): how many
were tested and how many hold.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from audit.document import document_identities  # noqa: E402
from pipeline.process import process_path  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    folder = Path(args[0]) if args else ROOT.parent / "shared" / "realpdfs"
    if not folder.is_dir():
        print(f"no folder {folder}: nothing to measure")
        return 0
    print(f"{'document':<52} {'status':<8} {'type':<6} {'tables':>6} {'items':>6} {'coverage':>9} {'identities':>14}")
    held_all = tested_all = 0
    for path in sorted(folder.glob("*.pdf")):
        started = time.perf_counter()
        result, doc = process_path(path)
        seconds = time.perf_counter() - started
        row = result.document
        ids = document_identities(doc) if doc is not None else []
        held = sum(1 for i in ids if i.holds)
        held_all += held
        tested_all += len(ids)
        coverage = "-" if row.table_coverage is None else f"{100 * row.table_coverage:.2f}%"
        share = f"{held}/{len(ids)}" + (f" {100 * held / len(ids):.1f}%" if ids else "")
        print(
            f"{row.file_name[:50]:<52} {row.status:<8} {row.report_type[:6]:<6} {row.n_tables:>6} "
            f"{row.n_line_items:>6} {coverage:>9} {share:>14}  {seconds:.1f}s"
        )
    if tested_all:
        print(f"identities holding over all documents: {held_all}/{tested_all} = {100 * held_all / tested_all:.2f}%")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
