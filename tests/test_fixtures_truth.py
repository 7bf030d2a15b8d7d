"""Each fixture PDF against its ground truth, one test per document."""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest
from conftest import FIXTURES, load_truth, truth_files

from benchmarks.scoring import ZERO, missing_cells, score_cells
from normalize.text import fold_text
from pipeline.process import process_file
from schemas.records import DocumentResult

TRUTHS = truth_files()
# Cell floors asserted per document; benchmarks/accuracy.py prints the exact figures.
CELL_FLOOR = 0.995
_IDS = {"ids": lambda p: p.name.split(".")[0]}


def _readable(truth: dict) -> bool:
    """A document whose text layer the extractor reads (not broken, scanned or garbled)."""
    return (
        truth.get("text_layer", True)
        and truth.get("expected_status") != "failed"
        and (truth.get("expected_error") not in ("scanned", "garbled", "not_juesuan"))
    )


def test_every_fixture_pdf_has_a_truth_file():
    pdfs = sorted(p.name for p in FIXTURES.glob("*.pdf"))
    assert pdfs, "no fixture PDFs"
    for pdf in pdfs:
        assert (FIXTURES / pdf.replace(".pdf", ".truth.json")).exists(), f"missing ground truth for {pdf}"


@cache
def _result(truth_path: Path) -> DocumentResult:
    truth = load_truth(truth_path)
    return process_file(FIXTURES / truth["pdf"])


@pytest.mark.parametrize("truth_path", TRUTHS, **_IDS)
def test_status(truth_path):
    truth = load_truth(truth_path)
    doc = _result(truth_path).document
    assert doc.status == truth["expected_status"], doc.error
    if doc.status != "ok":
        assert doc.error, "a document that is not ok must say why"


@pytest.mark.parametrize("truth_path", [p for p in TRUTHS if _readable(load_truth(p))], **_IDS)
def test_metadata(truth_path):
    truth = load_truth(truth_path)
    doc = _result(truth_path).document
    meta = truth["metadata"]
    for key in ("report_type", "fiscal_year", "department", "amount_unit"):
        if meta.get(key) is not None:
            assert getattr(doc, key) == meta[key], key
    if meta.get("publish_date") and _prints_date(FIXTURES / truth["pdf"], meta["publish_date"]):
        assert str(doc.publish_date) == meta["publish_date"]


def _prints_date(pdf: Path, iso: str) -> bool:
    """Is the date printed in the document? (A pair's second file may not print its 公开时间.)"""
    import pypdfium2

    y, m, d = (int(x) for x in iso.split("-"))
    doc = pypdfium2.PdfDocument(pdf)
    try:
        text = "".join(doc[i].get_textpage().get_text_range() for i in range(min(3, len(doc))))
    finally:
        doc.close()
    return f"{y}年{m}月{d}日" in fold_text(text).replace(" ", "")


@pytest.mark.parametrize("truth_path", [p for p in TRUTHS if _readable(load_truth(p))], **_IDS)
def test_annex_cells(truth_path):
    truth = load_truth(truth_path)
    result = _result(truth_path)
    total = sum(score_cells(truth, result.line_items).values(), ZERO)
    missing, extra = missing_cells(truth, result.line_items)
    assert total.recall >= CELL_FLOOR, f"missing cells: {missing[:10]}"
    assert total.precision >= CELL_FLOOR, f"cells not in the truth: {extra[:10]}"


@pytest.mark.parametrize("truth_path", [p for p in TRUTHS if _readable(load_truth(p))], **_IDS)
def test_totals_facts_with_page_and_sentence(truth_path):
    truth = load_truth(truth_path)
    wanted = [f for f in truth["facts"] if f["metric"] in ("income_total", "expenditure_total")]
    if not wanted:
        pytest.skip("this document states no 收支总计")
    facts = _result(truth_path).facts
    for w in wanted:
        match = [
            f
            for f in facts
            if f.metric == w["metric"] and f.qualifier == w["qualifier"] and f.value == Decimal(w["value"])
        ]
        assert match, w
        assert match[0].page == w["page"]
        assert fold_text(match[0].sentence).replace(" ", "") == fold_text(w["sentence"]).replace(" ", "")
