"""The fixture corpus itself, independent of the extractor.

Every ground truth must be internally consistent: table sums, column relations, cross-table
figures and narrative figures hold, except where the truth plants an inconsistency, and every
planted inconsistency really breaks its identity (all computed from the truth's own cells and
facts). Each text-layer PDF must contain what its truth says; the broken inputs must exist and be
broken the way their truth says.
"""

from __future__ import annotations

import csv
import re
import sys
from decimal import Decimal
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from conftest import FIXTURES, ROOT, load_truth, truth_files

from normalize.amounts import parse_amount, to_yuan
from normalize.text import fold_text

sys.path.insert(0, str(ROOT / "fixtures"))
from builder.identities import all_identities, explained

TRUTHS = truth_files()
IDS = [p.name.split(".")[0] for p in TRUTHS]
SCHEMA = ROOT / "schemas" / "data"
QUALIFIERS = {"actual", "budget", "prior_year", "yoy_change", "yoy_pct", "share_pct", "completion_pct", "count"}
UNITS = {"yuan", "percent", "count", "person", "person_time", "batch", "score"}
ERRORS = {"empty", "truncated", "not_pdf", "encrypted", "not_juesuan", "scanned", "garbled", "pathological"}
PLANTED_KINDS = {
    "narrative_vs_table",
    "sum_item",
    "basic_project",
    "unit_slip",
    "pct_mismatch",
    "count_mismatch",
    "cross_table",
}
MB = 1_000_000


def _csv(name: str) -> list[dict]:
    with open(SCHEMA / name, encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


TABLE_KEYS = {r["table_key"] for r in _csv("tables.csv")}
METRICS = {r["key"] for r in _csv("metrics.csv")}


def pair_of(truth: dict) -> dict | None:
    return load_truth(FIXTURES / (Path(truth["pair"]).stem + ".truth.json")) if truth.get("pair") else None


# ---- tests -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("truth_path", TRUTHS, ids=IDS)
def test_truth_format(truth_path: Path):
    truth = load_truth(truth_path)
    for key in (
        "format",
        "pdf",
        "producer",
        "text_layer",
        "expected_status",
        "expected_error",
        "page_count",
        "narrative_pages",
        "table_pages",
        "text_layer_radicals",
        "metadata",
        "tables",
        "facts",
        "planted",
    ):
        assert key in truth, key  # fmt: skip
    assert truth["format"] == 1
    assert (FIXTURES / truth["pdf"]).exists()
    assert truth["expected_status"] in ("ok", "partial", "failed")
    assert truth["expected_error"] is None if truth["expected_status"] == "ok" else truth["expected_error"] in ERRORS
    for table in truth["tables"]:
        assert table["table_key"] in TABLE_KEYS or table["table_key"] is None
        assert table["empty"] == (not table["cells"])
        for c in table["cells"]:
            assert c["page"] in table["pages"]
            amount = parse_amount(c["value_raw"])
            assert amount is not None, c
            assert to_yuan(amount.value, table["unit"]) == Decimal(c["amount_yuan"]), c
    for f in truth["facts"]:
        assert f["metric"] in METRICS, f
        assert f["qualifier"] in QUALIFIERS and f["unit"] in UNITS, f
        assert (
            fold_text(f["value_raw"]) in fold_text(f["sentence"]).replace(" ", "") or f["value_raw"] in f["sentence"]
        ), f
    for p in truth["planted"]:
        assert p["kind"] in PLANTED_KINDS and p["description"] and p["evidence"] and p["page"], p


@pytest.mark.parametrize("truth_path", TRUTHS, ids=IDS)
def test_identities_hold_except_planted(truth_path: Path):
    truth = load_truth(truth_path)
    broken = [i for i in all_identities(truth, pair_of(truth)) if not i.holds and not explained(i, truth["planted"])]
    assert not broken, [f"{i.name}: {i.left} != {i.right}" for i in broken[:10]]


PLANTED = [(p, i) for p in TRUTHS for i, _ in enumerate(load_truth(p)["planted"])]


@pytest.mark.parametrize("truth_path,index", PLANTED, ids=[f"{p.name.split('.')[0]}-{i}" for p, i in PLANTED])
def test_planted_inconsistency_really_breaks(truth_path: Path, index: int):
    truth = load_truth(truth_path)
    p = truth["planted"][index]
    if p["kind"] == "count_mismatch" and "table_key" not in p:
        # the evidence states a whole and its parts: "共174件，其中人大建议62件，政协提案109件"
        numbers = [Decimal(n) for n in re.findall(r"\d+", fold_text(p["evidence"]))]
        assert len(numbers) >= 3 and numbers[0] != sum(numbers[1:]), p["evidence"]
        return
    if p["kind"] == "unit_slip":
        slipped = p.get("value_raw") or p["evidence"]
        assert re.search(r"\d元", fold_text(slipped)) and "万元" not in fold_text(slipped).split("元")[0][-3:], p
    failing = [i for i in all_identities(truth, pair_of(truth)) if not i.holds and explained(i, [p])]
    assert failing, f"planted {p['kind']} breaks no identity: {p['evidence']}"


def _page_texts(path: Path) -> list[str]:
    pdf = pdfium.PdfDocument(str(path))
    try:
        out = []
        for page in pdf:
            tp = page.get_textpage()
            out.append(tp.get_text_range())
            tp.close()
            page.close()
        return out
    finally:
        pdf.close()


def _folded(text: str) -> str:
    return "".join(fold_text(text).split())


READABLE = [p for p in TRUTHS if (t := load_truth(p))["text_layer"] and t["expected_error"] != "garbled"
            and (t["tables"] or t["facts"])]  # fmt: skip


@pytest.mark.parametrize("truth_path", READABLE, ids=[p.name.split(".")[0] for p in READABLE])
def test_text_layer_shows_the_truth(truth_path: Path):
    truth = load_truth(truth_path)
    texts = [_folded(t) for t in _page_texts(FIXTURES / truth["pdf"])]
    assert len(texts) == truth["page_count"]
    assert _folded(truth["metadata"]["department"]) in "".join(texts)
    cells = [c for t in truth["tables"] for c in t["cells"]]
    for c in cells[:: max(1, len(cells) // 40)]:
        assert _folded(c["value_raw"]) in texts[c["page"] - 1], c
    facts = truth["facts"]
    for f in facts[:: max(1, len(facts) // 25)]:
        assert _folded(f["value_raw"]) in texts[f["page"] - 1], f


@pytest.mark.parametrize("truth_path", TRUTHS, ids=IDS)
def test_files_are_broken_as_stated(truth_path: Path):
    truth = load_truth(truth_path)
    path = FIXTURES / truth["pdf"]
    data = path.read_bytes()
    error = truth["expected_error"]
    if error == "empty":
        assert data == b""
    elif error == "not_pdf":
        assert not data.startswith(b"%PDF")
    elif error == "truncated":
        assert data.startswith(b"%PDF") and b"%%EOF" not in data[-2048:]
    elif error == "encrypted":
        with pytest.raises(pdfium.PdfiumError):
            pdfium.PdfDocument(str(path))  # the empty password does not open it
    elif error == "pathological":
        pages = _page_texts(path)
        assert len(pages) >= 500 and not any(t.strip() for t in pages)
    elif error == "scanned":
        assert not truth["text_layer"] and not any(t.strip() for t in _page_texts(path))
        assert truth["tables"] and truth["facts"], "a scan keeps its full truth for OCR"
    elif error == "garbled":
        text = "".join(_folded(t) for t in _page_texts(path))
        assert _folded(truth["metadata"]["department"]) not in text
        assert truth["tables"] and truth["facts"]
    elif error == "not_juesuan":
        text = "".join(_folded(t) for t in _page_texts(path))
        assert "决算" not in text
    else:
        assert error is None and truth["expected_status"] == "ok"
        assert len(_page_texts(path)) == truth["page_count"]  # opens, also when encrypted with an empty password


def test_corpus_sizes():
    total = 0
    for truth_path in TRUTHS:
        truth = load_truth(truth_path)
        size = (FIXTURES / truth["pdf"]).stat().st_size
        total += size + truth_path.stat().st_size
        limit = 4 * MB if truth["expected_error"] == "scanned" else 1.5 * MB
        assert size <= limit, truth["pdf"]
    assert total <= 25 * MB


def test_pairs_point_at_each_other():
    pairs = {}
    for truth_path in TRUTHS:
        truth = load_truth(truth_path)
        if truth.get("pair"):
            pairs[truth["pdf"]] = truth["pair"]
    for a, b in pairs.items():
        assert pairs.get(b) == a
