"""Accuracy against the fixtures' ground truth: annex cells and narrative facts.

    python benchmarks/accuracy.py [--engine auto|pdfplumber|camelot ...] [--fixtures DIR]

Prints cell precision/recall per document and overall for each engine, and fact precision/recall
per document and per metric family. Scanned fixtures (``text_layer: false``) are reported apart.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.scoring import ZERO, Score, score_cells, score_facts  # noqa: E402
from extract.settings import TABLE_ENGINES, ExtractSettings  # noqa: E402
from pipeline.process import process_file  # noqa: E402
from schemas.vocab import metrics  # noqa: E402


def _pct(x: float) -> str:
    return f"{100 * x:6.2f}%"


def _line(name: str, s: Score) -> str:
    return f"  {name:<44} P {_pct(s.precision)}  R {_pct(s.recall)}  (tp {s.tp}, fp {s.fp}, fn {s.fn})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--engine", action="append", choices=TABLE_ENGINES, help="engines to score (default: all)")
    parser.add_argument("--fixtures", type=Path, default=ROOT / "fixtures" / "pdfs")
    args = parser.parse_args(argv)
    engines = args.engine or list(TABLE_ENGINES)
    truths = [json.loads(p.read_text("utf-8")) for p in sorted(args.fixtures.glob("*.truth.json"))]
    truths = [t for t in truths if t.get("expected_status") != "failed" and (t.get("tables") or t.get("facts"))]
    families = {k: m.family for k, m in metrics().items()}

    def needs_ocr(t: dict) -> bool:
        return not t.get("text_layer", True) or t.get("expected_error") in ("scanned", "garbled")

    for group, selected in (("text layer", [t for t in truths if not needs_ocr(t)]),
                            ("scanned or garbled (OCR)", [t for t in truths if needs_ocr(t)])):  # fmt: skip
        if not selected:
            continue
        print(f"== {group}: {len(selected)} documents")
        fact_total: Score = ZERO
        fact_by_family: dict[str, Score] = {}
        fact_by_doc: dict[str, dict[str, Score]] = {}
        for engine in engines:
            print(f"-- annex cells, engine {engine}")
            total: Score = ZERO
            for truth in selected:
                result = process_file(args.fixtures / truth["pdf"], ExtractSettings(table_engine=engine))
                s = sum(score_cells(truth, result.line_items).values(), ZERO)
                total = total + s
                print(_line(truth["pdf"], s))
                if engine == engines[0]:
                    fs = score_facts(truth, result.facts, families)
                    fact_by_doc[truth["pdf"]] = fs
                    for fam, v in fs.items():
                        fact_by_family[fam] = fact_by_family.get(fam, ZERO) + v
                    fact_total = fact_total + sum(fs.values(), ZERO)
            print(_line(f"ALL ({engine})", total))
        print(f"-- narrative facts (engine {engines[0]})")
        for pdf, fs in fact_by_doc.items():
            print(_line(pdf, sum(fs.values(), ZERO)))
            for fam, s in sorted(fs.items()):
                print(_line(f"  {fam}", s))
        print("-- narrative facts per metric family, all documents")
        for fam, s in sorted(fact_by_family.items()):
            print(_line(fam, s))
        print(_line("ALL facts", fact_total))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
