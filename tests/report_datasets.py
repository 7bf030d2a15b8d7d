"""Datasets for the reading commands' tests.

- ``fixture_dataset``: the pipeline run on fixtures/pdfs (what a user gets), once per session.
- ``truth_dataset``: written straight from the fixtures' ground truth through the store, with
  variants that a corpus of one document per department cannot show: the same department a year
  earlier (amounts × 0.8), a second department in another region with a staff count (amounts ×
  1.5), a third carrying an audit error on one 科目, and a failed file. Expectations are computed
  from the truth files and these factors, never from the reading code.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest

from normalize.codes import code_info
from normalize.columns import column_label_to_key
from normalize.labels import label_to_canonical
from pipeline.cli import main
from pipeline.process import failed_row
from pipeline.store import write_result
from schemas.records import Check, DocumentResult, DocumentRow, Fact, LineItem

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures" / "pdfs"
CENT = Decimal("0.01")

PRIOR_FACTOR = Decimal("0.8")  # the same department one year earlier
OTHER_FACTOR = Decimal("1.5")  # a second department
OTHER_STAFF = Decimal(10)
OTHER_REGION = ("浙江省", "杭州市", "淳安县")
AUDITED_CODE_TABLE = "general_budget_expenditure"


def truth_files() -> list[Path]:
    return sorted(FIXTURES.glob("*.truth.json"))


def load_truth(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def ok_truths() -> list[Path]:
    """The truths the report tests check figures against: the seed document, whose every figure
    the pipeline reads exactly. (The whole corpus is scored by tests/test_fixtures_truth.py and
    benchmarks/accuracy.py; here the subject is the report's own arithmetic, and the synthetic
    dataset copies these truths into other years and regions.)"""
    return [p for p in truth_files() if p.name.startswith("seed_")]


def scenario_truths() -> list[Path]:
    """The truths the synthetic scenario is built from: the seed only, so that its copies (the
    prior year, another region, an audit sample) are the only documents of their years."""
    seed = [p for p in ok_truths() if p.name.startswith("seed_")]
    return seed or ok_truths()[:1]


def fixture_dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The pipeline's output for fixtures/pdfs, built once per session and shared by the test modules."""
    out = tmp_path_factory.getbasetemp() / "report-fixture-dataset"
    done = out.with_name(out.name + ".done")
    if not done.exists():
        assert main(["run", str(FIXTURES), "--out", str(out), "--quiet"]) in (0, 1)
        done.write_text("")
    return out


def scaled(value: str | Decimal, factor: Decimal) -> Decimal:
    return (Decimal(value) * factor).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Variant:
    """How a copy of a truth document differs from it."""

    suffix: str  # '' for the document itself
    department: str
    year: int
    factor: Decimal
    region: tuple[str | None, str | None, str | None]
    staff: Decimal | None = None  # replaces the stated 在编在岗 figure
    audited_code: str | None = None  # a 类/款 code of 公开06表 that gets a table.sum_item error
    keep_yoy: bool = True  # keep the narrative's stated year-on-year facts


def variants(truth: dict[str, Any]) -> list[Variant]:
    meta = truth["metadata"]
    region = (meta.get("province"), meta.get("city"), meta.get("county"))
    dept, year = meta["department"], meta["fiscal_year"]
    return [
        Variant("", dept, year, Decimal(1), region),
        Variant("prior", dept, year - 1, PRIOR_FACTOR, region, keep_yoy=False),
        Variant("other", f"{OTHER_REGION[2]}{dept}", year, OTHER_FACTOR, OTHER_REGION, staff=OTHER_STAFF),
        Variant("audited", f"{dept}（审核样例）", year, Decimal(1), region, audited_code=audited_code(truth)),
    ]


def audited_code(truth: dict[str, Any]) -> str | None:
    """The first 款 code of the truth's 公开06表 (5 digits), the row the planted error sits on."""
    for table in truth["tables"]:
        if table["table_key"] == AUDITED_CODE_TABLE:
            for cell in table["cells"]:
                if cell["code"] and len(cell["code"]) == 5:
                    return cell["code"]
    return None


def doc_id_of(truth: dict[str, Any], suffix: str) -> str:
    return hashlib.sha256(f"{truth['pdf']}#{suffix}".encode()).hexdigest()


def _line_items(truth: dict[str, Any], doc_id: str, v: Variant) -> list[LineItem]:
    out = []
    for table in truth["tables"]:
        row_no, last = 0, None
        for cell in table["cells"]:
            key = (cell["row_label"], cell["code"], cell["page"])
            if key != last:
                row_no, last = row_no + 1, key
            code = cell["code"]
            info = code_info(code, "printed") if code else None
            out.append(
                LineItem(
                    doc_id=doc_id,
                    fiscal_year=v.year,
                    department=v.department,
                    table_key=table["table_key"],
                    table_no=table["table_no"],
                    table_number_raw=table["table_number_raw"],
                    table_title=table["title"],
                    page=cell["page"],
                    row_no=row_no,
                    row_label_raw=cell["row_label"] or "",
                    row_label=label_to_canonical(cell["row_label"] or ""),
                    code=code,
                    code_system=info.system if info else None,
                    code_level=info.level if info else None,
                    class_code=info.class_code if info else None,
                    code_match="printed" if code else "none",
                    column_key=column_label_to_key(cell["column_label"]),
                    column_label_raw=cell["column_label"],
                    amount_yuan=scaled(cell["amount_yuan"], v.factor),
                    value_raw=cell["value_raw"],
                )
            )
    return out


def _facts(truth: dict[str, Any], doc_id: str, v: Variant) -> list[Fact]:
    out = []
    for f in truth["facts"]:
        if not v.keep_yoy and f["qualifier"] in ("yoy_change", "yoy_pct"):
            continue
        value = Decimal(f["value"])
        if f["unit"] == "yuan":
            value = scaled(value, v.factor)
        if f["metric"] == "staff_on_post" and v.staff is not None:
            value = v.staff
        out.append(
            Fact(
                doc_id=doc_id,
                fiscal_year=v.year,
                department=v.department,
                metric=f["metric"],
                qualifier=f["qualifier"],
                code=f["code"],
                subject_raw=f["subject"],
                value=value,
                unit=f["unit"],
                page=f["page"],
                section="",
                sentence=f["sentence"],
                value_raw=f["value_raw"],
            )
        )
    return out


def _checks(truth: dict[str, Any], doc_id: str, v: Variant, items: list[LineItem]) -> list[Check]:
    if v.audited_code is None:
        return []
    row = next(i for i in items if i.table_key == AUDITED_CODE_TABLE and i.code == v.audited_code)
    children = [i for i in items if i.table_key == AUDITED_CODE_TABLE and i.code and i.code.startswith(row.code or "")]
    return [
        Check(
            doc_id=doc_id,
            fiscal_year=v.year,
            check="table.sum_item",
            severity="error",
            message=f"{row.table_title}：款 {row.code} 的金额与其下级科目之和不符（{row.column_label_raw}）",
            expected=f"{row.amount_yuan + Decimal(100):.2f}",
            actual=f"{row.amount_yuan:.2f}",
            page=row.page,
            location=f"{row.table_number_raw} {row.code} / {row.column_label_raw}",
            evidence="; ".join(f"{c.code} {c.value_raw}" for c in children if c.code != row.code),
        )
    ]


def truth_results(path: Path) -> list[DocumentResult]:
    truth = load_truth(path)
    meta = truth["metadata"]
    out = []
    for v in variants(truth):
        doc_id = doc_id_of(truth, v.suffix)
        items = _line_items(truth, doc_id, v)
        facts = _facts(truth, doc_id, v)
        checks = _checks(truth, doc_id, v, items)
        name = path.name.replace(".truth.json", f"{'_' + v.suffix if v.suffix else ''}.pdf")
        doc = DocumentRow(
            doc_id=doc_id,
            source_path=f"fixtures/pdfs/{name}",
            file_name=name,
            file_bytes=1,
            page_count=truth["page_count"],
            report_type=meta["report_type"],
            fiscal_year=v.year,
            department=v.department,
            province=v.region[0],
            city=v.region[1],
            county=v.region[2],
            adcode=None,
            publish_date=date.fromisoformat(meta["publish_date"]) if meta.get("publish_date") else None,
            amount_unit=meta.get("amount_unit"),
            text_source="text",
            status="ok",
            error=None,
            n_tables=len(truth["tables"]),
            n_line_items=len(items),
            n_facts=len(facts),
            n_checks_failed=sum(1 for c in checks if c.severity == "error"),
            table_coverage=1.0,
            pipeline_version="test",
            processed_at=datetime(2024, 1, 1, tzinfo=UTC),
        )
        out.append(DocumentResult(doc, tuple(items), tuple(facts), tuple(checks)))
    return out


FAILED_FILE = "broken.pdf"


def failed_result() -> DocumentResult:
    """A failed document as the pipeline records one, stamped like the truth-built results."""
    doc = truth_results(ok_truths()[0])[0].document
    doc_id = hashlib.sha256(b"broken").hexdigest()
    row = failed_row(Path("inbox") / FAILED_FILE, "The file is not a PDF.", doc_id=doc_id)
    return DocumentResult(replace(row, processed_at=doc.processed_at, pipeline_version=doc.pipeline_version))


def truth_dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The truth-built dataset (see the module docstring), built once per session."""
    out = tmp_path_factory.getbasetemp() / "report-truth-dataset"
    done = out.with_name(out.name + ".done")
    if not done.exists():
        for path in scenario_truths():
            for result in truth_results(path):
                write_result(out, result)
        write_result(out, failed_result())
        done.write_text("")
    return out


# --- looking things up in a truth file ----------------------------------------------------------


def truth_cells(truth: dict[str, Any], table_key: str, column_key: str | None = None) -> list[dict[str, Any]]:
    """Cells of one table, each with its resolved ``column_key`` added."""
    out = []
    for table in truth["tables"]:
        if table["table_key"] != table_key:
            continue
        for cell in table["cells"]:
            key = column_label_to_key(cell["column_label"])
            if column_key is None or key == column_key:
                out.append({**cell, "column_key": key})
    return out


def truth_fact_values(truth: dict[str, Any], metric: str, qualifier: str, code: str | None = None) -> set[Decimal]:
    return {
        Decimal(f["value"])
        for f in truth["facts"]
        if f["metric"] == metric and f["qualifier"] == qualifier and f["code"] == code
    }


def unique_fact(truth: dict[str, Any], metric: str, qualifier: str, code: str | None = None) -> Decimal | None:
    """The value of a figure the truth states once or several times alike; None when absent or ambiguous."""
    values = truth_fact_values(truth, metric, qualifier, code)
    return values.pop() if len(values) == 1 else None
