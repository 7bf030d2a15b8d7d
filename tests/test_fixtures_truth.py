"""Each fixture PDF against its ground truth, one test per document (and per table)."""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest
from conftest import FIXTURES, load_truth, truth_files

from benchmarks.scoring import missing_cells, score_cells
from pipeline.process import process_file
from schemas.records import DocumentResult

TRUTHS = truth_files()
# Cell floors asserted per document; benchmarks/accuracy.py prints the exact figures.
CELL_FLOOR = 0.995


def test_every_fixture_pdf_has_a_truth_file():
    pdfs = sorted(p.name for p in FIXTURES.glob("*.pdf"))
    assert pdfs, "no fixture PDFs"
    for pdf in pdfs:
        assert (FIXTURES / pdf.replace(".pdf", ".truth.json")).exists(), f"missing ground truth for {pdf}"


@cache
def _result(truth_path: Path) -> DocumentResult:
    truth = load_truth(truth_path)
    return process_file(FIXTURES / truth["pdf"])


@pytest.mark.parametrize("truth_path", TRUTHS, ids=lambda p: p.name.split(".")[0])
def test_status_and_metadata(truth_path):
    truth = load_truth(truth_path)
    doc = _result(truth_path).document
    assert doc.status == truth["expected_status"], doc.error
    meta = truth["metadata"]
    for key in ("report_type", "fiscal_year", "department", "amount_unit"):
        assert getattr(doc, key) == meta[key], key
    assert str(doc.publish_date) == meta["publish_date"]


@pytest.mark.parametrize("truth_path", TRUTHS, ids=lambda p: p.name.split(".")[0])
def test_annex_cells(truth_path):
    truth = load_truth(truth_path)
    result = _result(truth_path)
    scores = score_cells(truth, result.line_items)
    missing, extra = missing_cells(truth, result.line_items)
    total = sum(scores.values(), start=next(iter(scores.values())).__class__(0, 0, 0))
    assert total.recall >= CELL_FLOOR, f"missing cells: {missing[:10]}"
    assert total.precision >= CELL_FLOOR, f"cells not in the truth: {extra[:10]}"


@pytest.mark.parametrize("truth_path", TRUTHS, ids=lambda p: p.name.split(".")[0])
def test_every_truth_table_is_found_with_its_pages(truth_path):
    truth = load_truth(truth_path)
    result = _result(truth_path)
    found = {(i.table_key, i.page) for i in result.line_items}
    for table in truth["tables"]:
        for cell in table["cells"]:
            assert (table["table_key"], cell["page"]) in found, (table["table_key"], cell["page"])


@pytest.mark.parametrize("truth_path", TRUTHS, ids=lambda p: p.name.split(".")[0])
def test_totals_facts_with_page_and_sentence(truth_path):
    truth = load_truth(truth_path)
    facts = _result(truth_path).facts
    wanted = [f for f in truth["facts"] if f["metric"] in ("income_total", "expenditure_total")]
    assert wanted, "the truth states no totals"
    for w in wanted:
        match = [
            f
            for f in facts
            if f.metric == w["metric"] and f.qualifier == w["qualifier"] and f.value == Decimal(w["value"])
        ]
        assert match, w
        assert match[0].page == w["page"]
        assert match[0].sentence.replace(" ", "") == w["sentence"].replace(" ", "")
