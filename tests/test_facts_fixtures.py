"""Narrative facts of every text-layer fixture against its ground truth, at the design's bars."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from conftest import FIXTURES, load_truth, truth_files

from benchmarks.scoring import ZERO, score_facts
from pipeline.process import process_file
from schemas.records import DocumentResult
from schemas.vocab import metrics

RECALL, PRECISION = 0.98, 0.99
# Text-layer documents the pipeline reads as text: a garbled or scanned narrative needs OCR first.
TRUTHS = [
    p
    for p in truth_files()
    if load_truth(p).get("text_layer", True) and load_truth(p).get("facts") and load_truth(p)["expected_status"] == "ok"
]


@cache
def _result(truth_path: Path) -> DocumentResult:
    return process_file(FIXTURES / load_truth(truth_path)["pdf"])


@pytest.mark.parametrize("truth_path", TRUTHS, ids=lambda p: p.name.split(".")[0])
def test_narrative_facts_meet_the_bars(truth_path):
    truth = load_truth(truth_path)
    scores = score_facts(truth, _result(truth_path).facts, {k: m.family for k, m in metrics().items()})
    total = sum(scores.values(), ZERO)
    weak = {fam: s for fam, s in scores.items() if s.fn or s.fp}
    assert total.recall >= RECALL, f"recall {total.recall:.2%}; families with misses: {weak}"
    assert total.precision >= PRECISION, f"precision {total.precision:.2%}; families with extras: {weak}"
