"""``juesuan compare``: figures checked against the fixtures' ground truth."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from report_datasets import (
    OTHER_FACTOR,
    OTHER_REGION,
    OTHER_STAFF,
    PRIOR_FACTOR,
    audited_code,
    doc_id_of,
    fixture_dataset,
    load_truth,
    ok_truths,
    scaled,
    truth_cells,
    truth_dataset,
    unique_fact,
)

from pipeline.cli import main
from report.compare import CompareSpec, figures_to_rows
from report.figures import Figure, facts_to_figure
from report.flags import check_touches

TRUTHS = ok_truths()
# Figures a journalist compares first; each is checked wherever a truth file states it unambiguously.
METRICS = (
    "three_public_total",
    "three_public_reception",
    "expenditure_total",
    "income_total",
    "expenditure_basic",
    "general_budget_basic_expenditure",
)
WAN = Decimal(10000)


@pytest.fixture(scope="module")
def fixture_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return fixture_dataset(tmp_path_factory)


@pytest.fixture(scope="module")
def truth_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return truth_dataset(tmp_path_factory)


def compare_json(capsys: pytest.CaptureFixture[str], *args: str) -> list[dict[str, Any]]:
    capsys.readouterr()
    assert main(["compare", *args, "--format", "json"]) == 0
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def by_doc(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {r["doc_id"]: r for r in rows}


def dec(value: Any) -> Decimal | None:
    return None if value is None else Decimal(value)


def code_cases() -> list[Any]:
    """(truth file, code, amount in 元) for every coded 合计 cell of each truth's 公开06表."""
    cases = []
    for path in TRUTHS:
        for cell in truth_cells(load_truth(path), "general_budget_expenditure", "total"):
            if cell["code"]:
                cases.append(
                    pytest.param(path, cell["code"], Decimal(cell["amount_yuan"]), id=f"{path.stem}-{cell['code']}")
                )
    return cases


def metric_cases() -> list[Any]:
    cases = []
    for path in TRUTHS:
        truth = load_truth(path)
        for metric in METRICS:
            value = unique_fact(truth, metric, "actual")
            if value is not None:
                cases.append(pytest.param(path, metric, value, id=f"{path.stem}-{metric}"))
    return cases


# --- the pipeline's dataset against the truth ---------------------------------------------------


@pytest.mark.parametrize(("truth_path", "code", "amount"), code_cases())
def test_code_compare_on_fixture_dataset_matches_truth(fixture_data, capsys, truth_path, code, amount):
    meta = load_truth(truth_path)["metadata"]
    args = ["--code", code, "--data", str(fixture_data), "--year", str(meta["fiscal_year"])]
    rows = [r for r in compare_json(capsys, *args, "--unit", "元") if r["department"] == meta["department"]]
    assert len(rows) == 1
    assert dec(rows[0]["value"]) == amount
    assert rows[0]["unit"] == "元"
    wan_rows = [r for r in compare_json(capsys, *args) if r["department"] == meta["department"]]
    assert dec(wan_rows[0]["value"]) == (amount / WAN).quantize(Decimal("0.01"))
    assert wan_rows[0]["unit"] == "万元"


@pytest.mark.parametrize(("truth_path", "metric", "value"), metric_cases())
def test_metric_compare_on_fixture_dataset_matches_truth(fixture_data, capsys, truth_path, metric, value):
    meta = load_truth(truth_path)["metadata"]
    capsys.readouterr()
    query = (
        f"SELECT count(*) FROM facts JOIN documents USING (doc_id) WHERE metric = '{metric}' "
        f"AND qualifier = 'actual' AND code IS NULL AND documents.department = '{meta['department']}'"
    )
    assert main(["sql", query, "--data", str(fixture_data), "--format", "csv"]) == 0
    if capsys.readouterr().out.splitlines()[1] == "0":
        pytest.skip(f"the pipeline extracted no {metric} from {truth_path.name} (facts recall: benchmarks/accuracy.py)")
    rows = compare_json(capsys, "--metric", metric, "--data", str(fixture_data), "--unit", "元")
    mine = [r for r in rows if r["department"] == meta["department"] and r["year"] == meta["fiscal_year"]]
    assert [dec(r["value"]) for r in mine] == [value]


# --- comparisons across departments and years (truth-built dataset) -----------------------------


def _first_item_code(truth: dict[str, Any]) -> tuple[str, Decimal]:
    cell = next(
        c for c in truth_cells(truth, "general_budget_expenditure", "total") if c["code"] and len(c["code"]) == 7
    )
    return cell["code"], Decimal(cell["amount_yuan"])


@pytest.mark.parametrize("truth_path", TRUTHS, ids=lambda p: p.stem)
def test_year_on_year_from_the_dataset(truth_data, capsys, truth_path):
    truth = load_truth(truth_path)
    meta = truth["metadata"]
    code, amount = _first_item_code(truth)
    rows = by_doc(compare_json(capsys, "--code", code, "--data", str(truth_data), "--unit", "元"))
    this_year, last_year = rows[doc_id_of(truth, "")], rows[doc_id_of(truth, "prior")]
    assert this_year["year"] == meta["fiscal_year"] and last_year["year"] == meta["fiscal_year"] - 1
    prior = scaled(amount, PRIOR_FACTOR)
    assert dec(this_year["value"]) == amount
    assert dec(this_year["prior_value"]) == prior
    assert dec(this_year["change"]) == amount - prior
    if prior:
        assert dec(this_year["change_pct"]) == ((amount - prior) * 100 / prior).quantize(Decimal("0.1"))
    assert this_year["change_source"] == "dataset"
    assert last_year["change"] is None and last_year["change_source"] == ""


def stated_yoy_cases() -> list[Any]:
    cases = []
    for path in TRUTHS:
        truth = load_truth(path)
        for metric in METRICS:
            actual, change = unique_fact(truth, metric, "actual"), unique_fact(truth, metric, "yoy_change")
            if actual is not None and change is not None:
                pct = unique_fact(truth, metric, "yoy_pct")
                cases.append(pytest.param(path, metric, actual, change, pct, id=f"{path.stem}-{metric}"))
    return cases


@pytest.mark.parametrize(("truth_path", "metric", "actual", "change", "pct"), stated_yoy_cases())
def test_year_on_year_stated_by_the_document(truth_data, capsys, truth_path, metric, actual, change, pct):
    """The 审核样例 copy has no previous year in the dataset: its change is the one its text states."""
    truth = load_truth(truth_path)
    rows = by_doc(compare_json(capsys, "--metric", metric, "--data", str(truth_data), "--unit", "元"))
    row = rows[doc_id_of(truth, "audited")]
    assert dec(row["value"]) == actual
    assert dec(row["change"]) == change
    assert dec(row["prior_value"]) == actual - change
    assert row["change_source"] == "stated"
    if pct is not None:
        assert dec(row["change_pct"]) == pct
    # The department's own document has its previous year in the dataset, which wins.
    assert rows[doc_id_of(truth, "")]["change_source"] == "dataset"


@pytest.mark.parametrize("truth_path", TRUTHS, ids=lambda p: p.stem)
def test_per_person_uses_the_stated_staff(truth_data, capsys, truth_path):
    truth = load_truth(truth_path)
    reception = unique_fact(truth, "three_public_reception", "actual")
    staff = unique_fact(truth, "staff_on_post", "count")
    if reception is None:
        pytest.skip(f"{truth_path.name} states no 公务接待费")
    rows = by_doc(compare_json(capsys, "--metric", "公务接待费", "--data", str(truth_data), "--unit", "元"))
    other = rows[doc_id_of(truth, "other")]
    assert dec(other["staff"]) == OTHER_STAFF
    assert dec(other["per_person_yuan"]) == (scaled(reception, OTHER_FACTOR) / OTHER_STAFF).quantize(Decimal("0.01"))
    own = rows[doc_id_of(truth, "")]
    if staff is None:
        assert own["per_person_yuan"] is None
    else:
        assert dec(own["staff"]) == staff
        assert dec(own["per_person_yuan"]) == (reception / staff).quantize(Decimal("0.01"))


def test_region_report_type_department_and_year_filters(truth_data, capsys):
    data = ["--data", str(truth_data), "--metric", "expenditure_total"]
    everything = compare_json(capsys, *data)
    others = {doc_id_of(load_truth(p), "other") for p in TRUTHS}
    for flag, value in zip(("--province", "--city", "--county"), OTHER_REGION, strict=True):
        rows = compare_json(capsys, *data, flag, value[:2])
        assert {r["doc_id"] for r in rows} == others & {r["doc_id"] for r in everything}
        assert all(r["region"] == " ".join(OTHER_REGION) for r in rows)
    truth = load_truth(TRUTHS[0])
    meta = truth["metadata"]
    rows = compare_json(capsys, *data, "--department", meta["department"], "--year", str(meta["fiscal_year"] - 1))
    assert [r["doc_id"] for r in rows] == [doc_id_of(truth, "prior")]
    assert rows[0]["change"] is None  # nothing two years back
    assert compare_json(capsys, *data, "--report-type", "单位预算") == []
    assert len(compare_json(capsys, *data, "--report-type", meta["report_type"])) == len(everything)


@pytest.mark.parametrize("truth_path", TRUTHS, ids=lambda p: p.stem)
def test_audit_errors_mark_rows(truth_data, capsys, truth_path):
    truth = load_truth(truth_path)
    code = audited_code(truth)
    assert code is not None
    rows = by_doc(compare_json(capsys, "--code", code, "--data", str(truth_data)))
    assert rows[doc_id_of(truth, "audited")]["audit"] == "figure: table.sum_item"
    assert rows[doc_id_of(truth, "")]["audit"] == ""
    # A 科目 the finding does not name: the row is marked through its document only.
    elsewhere = next(
        c["code"]
        for c in truth_cells(truth, "general_budget_expenditure", "total")
        if c["code"] and not c["code"].startswith(code) and not code.startswith(c["code"])
    )
    rows = by_doc(compare_json(capsys, "--code", elsewhere, "--data", str(truth_data)))
    assert rows[doc_id_of(truth, "audited")]["audit"] == "document: 1 error"
    assert rows[doc_id_of(truth, "other")]["audit"] == ""


def test_rank_and_order_within_a_year(truth_data, capsys):
    truth = load_truth(TRUTHS[0])
    year = truth["metadata"]["fiscal_year"]
    rows = compare_json(capsys, "--metric", "expenditure_total", "--data", str(truth_data), "--year", str(year))
    values = [Decimal(r["value"]) for r in rows]
    assert values == sorted(values, reverse=True)
    mine = by_doc(rows)
    assert mine[doc_id_of(truth, "other")]["rank"] < mine[doc_id_of(truth, "")]["rank"]
    assert mine[doc_id_of(truth, "")]["rank"] == mine[doc_id_of(truth, "audited")]["rank"]  # equal values tie


def test_chinese_metric_label_and_table_output(truth_data, capsys):
    by_label = compare_json(capsys, "--metric", "公务接待费", "--data", str(truth_data))
    by_key = compare_json(capsys, "--metric", "three_public_reception", "--data", str(truth_data))
    assert by_label == by_key and by_label
    capsys.readouterr()
    assert main(["compare", "--metric", "公务接待费", "--data", str(truth_data)]) == 0
    out = capsys.readouterr().out
    assert "公务接待费 (three_public_reception) · 决算数 · 万元" in out
    assert load_truth(TRUTHS[0])["metadata"]["department"] in out


def test_csv_output_has_a_header_and_one_line_per_row(truth_data, capsys):
    rows = compare_json(capsys, "--metric", "expenditure_total", "--data", str(truth_data))
    capsys.readouterr()
    assert main(["compare", "--metric", "expenditure_total", "--data", str(truth_data), "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("year,rank,department,region,report_type,value,unit,")
    assert len(lines) == len(rows) + 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "give a metric"),
        (["--metric", "no_such_metric"], "unknown metric"),
        (["--metric", "接待"], "did you mean"),
        (["--code", "12"], "3, 5 or 7 digits"),
        (["--code", "201", "--table", "no table"], "unknown table"),
        (["--metric", "income_total", "--year", "3000"], "outside"),
    ],
)
def test_usage_errors_exit_2(truth_data, capsys, args, message):
    capsys.readouterr()
    assert main(["compare", *args, "--data", str(truth_data)]) == 2
    assert message in capsys.readouterr().err


def test_missing_dataset_exits_2(tmp_path, capsys):
    assert main(["compare", "--metric", "income_total", "--data", str(tmp_path / "none")]) == 2
    assert "no dataset" in capsys.readouterr().err


# --- the rules behind the columns ---------------------------------------------------------------


def _fact(value: str, page: int, sentence: str = "s") -> dict[str, Any]:
    return {
        "doc_id": "d",
        "value": Decimal(value),
        "unit": "yuan",
        "page": page,
        "code": None,
        "sentence": sentence,
        "value_raw": f"{value}元",
    }


def test_a_figure_stated_most_often_wins_and_the_others_are_kept():
    fig = facts_to_figure([_fact("1700", 17), _fact("4300", 17), _fact("4300", 18), _fact("2400", 16)])
    assert fig.value == Decimal(4300)
    assert fig.pages == (17, 18)
    assert fig.others == (Decimal(1700), Decimal(2400))


def test_a_tie_goes_to_the_earliest_page():
    assert facts_to_figure([_fact("2", 20), _fact("1", 12)]).value == Decimal(1)


def _table_fig(code: str, page: int = 44) -> Figure:
    return Figure("d", Decimal(1), "yuan", "table", (page,), code=code, evidence=(f"公开06表 {code} / 本年支出/小计",))


def test_a_finding_touches_the_codes_it_names_as_whole_numbers():
    check = {
        "check": "table.sum_item",
        "page": 44,
        "location": "公开06表 20103 / 本年支出/小计",
        "evidence": "2010350 68.05",
    }
    assert check_touches(check, _table_fig("20103"))
    assert check_touches(check, _table_fig("2010350"))  # named in the evidence
    assert not check_touches(check, _table_fig("201"))  # a prefix is not the code
    assert not check_touches(check, _table_fig("20103", page=45))


def test_a_finding_touches_a_stated_figure_in_its_sentence_despite_spacing():
    fig = Figure(
        "d", Decimal("152.17"), "yuan", "text", (15,), evidence=("全年预算数为 152.17 元，支出决算数为 132.96 万元",)
    )
    assert check_touches({"check": "x", "page": 15, "location": "", "evidence": "全年预算数为152.17元"}, fig)
    assert not check_touches({"check": "x", "page": 16, "location": "", "evidence": "全年预算数为152.17元"}, fig)


def test_rows_without_a_prior_year_or_statement_have_no_change():
    spec = CompareSpec(metric="income_total")
    doc = {"doc_id": "a", "fiscal_year": 2023, "department": "甲", "report_type": "部门决算", "n_checks_failed": 0}
    fig = Figure("a", Decimal(5), "yuan", "text", (1,))
    (row,) = figures_to_rows(spec, [doc], {"a": fig}, {}, {}, {}, {})
    assert (row.prior_value, row.change, row.change_pct, row.change_source) == (None, None, None, "")
    assert row.rank == 1
