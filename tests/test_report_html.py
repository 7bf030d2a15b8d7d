"""``juesuan report``: a self-contained page whose tables hold the ground truth's numbers."""

from __future__ import annotations

import base64
import hashlib
import re
from decimal import ROUND_HALF_UP, Decimal
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from report_datasets import (
    FAILED_FILE,
    OTHER_FACTOR,
    OTHER_REGION,
    OTHER_STAFF,
    PRIOR_FACTOR,
    fixture_dataset,
    load_truth,
    ok_truths,
    scaled,
    scenario_truths,
    truth_cells,
    truth_dataset,
    unique_fact,
)

from pipeline.cli import main

TRUTHS = ok_truths()
SCENARIO = scenario_truths()  # the truths the synthetic (truth-built) dataset copies
WAN = Decimal(10000)


class ReportParser(HTMLParser):
    """Figures (chart + table) by id, every URL-bearing attribute, the inline style and script."""

    def __init__(self) -> None:
        super().__init__()
        self.figures: dict[str, dict[str, Any]] = {}
        self.urls: list[tuple[str, str, str]] = []
        self.tags: list[str] = []
        self.csp = ""
        self.style = self.script = ""
        self._figure: str | None = None
        self._cell: list[str] | None = None
        self._row: list[str] | None = None
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        self.tags.append(tag)
        for name in ("src", "href", "action", "data", "poster", "srcset", "xlink:href"):
            if name in a:
                self.urls.append((tag, name, a[name]))
        if tag == "meta" and a.get("http-equiv", "").lower() == "content-security-policy":
            self.csp = a.get("content", "")
        if tag in ("style", "script"):
            self._in = tag
        if tag == "figure":
            self._figure = a["id"]
            self.figures[a["id"]] = {"bars": None, "rects": 0, "all_rows": [], "flagged": 0}
        fig = self.figures.get(self._figure or "")
        if fig is None:
            return
        if tag == "svg":
            fig["bars"] = int(a["data-bars"])
        if tag == "rect" and "bar" in a.get("class", "").split():
            fig["rects"] += 1
        if tag == "g" and "flagged" in a.get("class", "").split():
            fig["flagged"] += 1
        if tag == "tr":
            self._row = []
        if tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script"):
            self._in = None
        fig = self.figures.get(self._figure or "")
        if tag == "figure":
            self._figure = None
        if fig is None:
            return
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append("".join(self._cell))
            self._cell = None
        if tag == "tr" and self._row is not None:
            fig["all_rows"].append(self._row)
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._in == "style":
            self.style += data
        elif self._in == "script":
            self.script += data
        if self._cell is not None:
            self._cell.append(data)


def parse(text: str) -> ReportParser:
    parser = ReportParser()
    parser.feed(text)
    for fig in parser.figures.values():  # the first row of a table is its header row
        fig["headers"], fig["rows"] = (fig["all_rows"][0], fig["all_rows"][1:]) if fig["all_rows"] else ([], [])
    return parser


def table(parser: ReportParser, figure: str) -> list[dict[str, str]]:
    fig = parser.figures[figure]
    return [dict(zip(fig["headers"], row, strict=True)) for row in fig["rows"]]


def write_report(data: Path, out: Path, *args: str) -> str:
    assert main(["report", "--out", str(out), "--data", str(data), *args]) == 0
    return out.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def fixture_report(tmp_path_factory: pytest.TempPathFactory) -> str:
    data = fixture_dataset(tmp_path_factory)
    return write_report(data, tmp_path_factory.mktemp("report") / "fixture.html")


@pytest.fixture(scope="module")
def truth_report(tmp_path_factory: pytest.TempPathFactory) -> str:
    data = truth_dataset(tmp_path_factory)
    return write_report(data, tmp_path_factory.mktemp("report") / "truth.html")


class _ReportsByYear:
    """The report restricted to one fiscal year (the comparisons show one year at a time)."""

    def __init__(self, data: Path, out: Path) -> None:
        self.data, self.out, self.cache = data, out, {}

    def __call__(self, year: int) -> str:
        if year not in self.cache:
            self.cache[year] = write_report(self.data, self.out / f"{year}.html", "--year", str(year))
        return self.cache[year]


@pytest.fixture(scope="module")
def fixture_report_for(tmp_path_factory: pytest.TempPathFactory) -> _ReportsByYear:
    return _ReportsByYear(fixture_dataset(tmp_path_factory), tmp_path_factory.mktemp("report-years"))


def wan(value: Decimal | str) -> str:
    return f"{(Decimal(value) / WAN).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,.2f}"


def pct(part: Decimal, whole: Decimal) -> str:
    return f"{(part * 100 / whole).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP):,.1f}%"


def _sha(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()


@pytest.mark.parametrize("which", ["fixture_report", "truth_report"])
def test_the_page_is_self_contained(request, which):
    text = request.getfixturevalue(which)
    page = parse(text)
    assert not [u for u in page.urls if not u[2].startswith("#")], "only in-page links are allowed"
    assert not {"link", "img", "iframe", "object", "embed", "image", "use", "audio", "video"} & set(page.tags)
    assert "@import" not in page.style and "url(" not in page.style
    assert not re.search(r"\b(fetch|XMLHttpRequest|WebSocket|import\s*\()", page.script)
    policy = dict(p.strip().split(" ", 1) for p in page.csp.split(";") if p.strip())
    assert policy["default-src"] == "'none'"
    assert policy["style-src"] == f"'{_sha(page.style)}'" and policy["script-src"] == f"'{_sha(page.script)}'"
    assert 'name="viewport"' in text


@pytest.mark.parametrize("which", ["fixture_report", "truth_report"])
def test_every_chart_has_its_numbers_in_a_table(request, which):
    page = parse(request.getfixturevalue(which))
    charts = {k: f for k, f in page.figures.items() if f["bars"] is not None}
    assert {"docs-by-status", "docs-by-year", "docs-by-region"} <= set(charts)
    for key, fig in charts.items():
        assert fig["bars"] == len(fig["rows"]) > 0, key
        assert fig["rects"] >= fig["bars"], key


@pytest.mark.parametrize("truth_path", TRUTHS, ids=lambda p: p.stem)
def test_three_public_from_the_fixture_dataset_is_the_truth(fixture_report_for, truth_path):
    fixture_report = fixture_report_for(load_truth(truth_path)["metadata"]["fiscal_year"])
    truth = load_truth(truth_path)
    cells = {c["column_key"]: Decimal(c["amount_yuan"]) for c in truth_cells(truth, "three_public")}
    rows = {r["部门"]: r for r in table(parse(fixture_report), "three-public")}
    row = rows[truth["metadata"]["department"]]
    assert row["因公出国（境）费（万元）"] == wan(cells["actual.overseas"])
    assert row["公务用车购置及运行维护费（万元）"] == wan(cells["actual.vehicle"])
    assert row["公务接待费（万元）"] == wan(cells["actual.reception"])
    assert row["合计（万元）"] == wan(cells["actual.total"])
    assert row["预算（万元）"] == wan(cells["budget.total"])
    if cells["budget.total"]:
        assert row["完成预算"] == pct(cells["actual.total"], cells["budget.total"])
    assert row["来源页码"] == f"表 p.{truth_cells(truth, 'three_public')[0]['page']}"


@pytest.mark.parametrize("truth_path", TRUTHS, ids=lambda p: p.stem)
def test_basic_expenditure_from_the_fixture_dataset_is_the_truth(fixture_report_for, truth_path):
    fixture_report = fixture_report_for(load_truth(truth_path)["metadata"]["fiscal_year"])
    truth = load_truth(truth_path)
    total_row = {
        c["column_key"]: Decimal(c["amount_yuan"])
        for c in truth_cells(truth, "general_budget_expenditure_detail")
        if c["code"] is None
    }
    rows = {r["部门"]: r for r in table(parse(fixture_report), "basic")}
    row = rows[truth["metadata"]["department"]]
    assert row["人员经费（万元）"] == wan(total_row["personnel"])
    assert row["公用经费（万元）"] == wan(total_row["public"])
    assert row["基本支出（万元）"] == wan(total_row["basic"])


def test_overview_counts_documents_by_status_year_and_region(truth_report):
    page = parse(truth_report)
    n = len(TRUTHS)
    status = {r["状态键"]: r["文件数"] for r in table(page, "docs-by-status")}
    assert status == {"ok": str(4 * n), "failed": "1"}
    years = file_counts(table(page, "docs-by-year"), "年度")
    expected: dict[str, int] = {"未识别年度": 1}
    for p in TRUTHS:
        y = load_truth(p)["metadata"]["fiscal_year"]
        expected[str(y)] = expected.get(str(y), 0) + 3
        expected[str(y - 1)] = expected.get(str(y - 1), 0) + 1
    assert years == expected
    regions = file_counts(table(page, "docs-by-region"), "地区")
    assert regions[f"{OTHER_REGION[0]} {OTHER_REGION[1]}"] == n
    assert regions["未识别地区"] == 1
    (broken,) = table(page, "docs-not-ok")
    assert broken["文件名"] == FAILED_FILE and broken["状态"] == "失败" and broken["原因"]


def file_counts(rows: list[dict[str, str]], key: str) -> dict[str, int]:
    return {r[key]: int(r["文件数"].replace(",", "")) for r in rows}


@pytest.mark.parametrize("truth_path", SCENARIO, ids=lambda p: p.stem)
def test_three_public_year_on_year_per_person_and_audit_marks(truth_report, truth_path):
    truth = load_truth(truth_path)
    meta = truth["metadata"]
    total = Decimal(next(c for c in truth_cells(truth, "three_public", "actual.total"))["amount_yuan"])
    reception = Decimal(next(c for c in truth_cells(truth, "three_public", "actual.reception"))["amount_yuan"])
    page = parse(truth_report)
    rows = {r["部门"]: r for r in table(page, "three-public")}
    own = rows[meta["department"]]
    prior = scaled(total, PRIOR_FACTOR)
    assert own["合计（万元）"] == wan(total)
    assert own["比上年增减（万元）"] == wan(total - prior)
    if prior:
        assert own["增减率"] == pct(total - prior, prior)
    changes = {r["部门"]: r for r in table(page, "three-public-change")}
    assert changes[meta["department"]]["依据"] == f"数据集 {meta['fiscal_year'] - 1} 年"
    other = rows[f"{OTHER_REGION[2]}{meta['department']}"]
    assert other["合计（万元）"] == wan(scaled(total, OTHER_FACTOR))
    assert other["在编在岗人数"] == str(OTHER_STAFF)
    per_person = (scaled(reception, OTHER_FACTOR) / OTHER_STAFF).quantize(Decimal("0.01"))
    assert other["人均公务接待费（元）"] == f"{per_person:,.2f}"
    audited = rows[f"{meta['department']}（审核样例）"]
    assert audited["审核"] == "⚠ 该文件有 1 项审核错误"
    assert own["审核"] == ""
    stated = unique_fact(truth, "three_public_total", "yoy_change")
    if stated is not None:
        assert changes[audited["部门"]]["依据"] == "文中所述"
        assert changes[audited["部门"]]["增减（万元）"] == wan(stated)


def _planted_slip_codes(truth: dict[str, Any]) -> set[str]:
    """Codes of per-科目 sentences that carry a planted unit slip: their stated rate cannot be reproduced."""
    slips = [p["evidence"] for p in truth.get("planted", []) if p["kind"] == "unit_slip"]
    return {
        f["code"]
        for f in truth["facts"]
        if f["metric"] == "general_budget_expenditure_subject" and any(s in f["sentence"] for s in slips)
    }


@pytest.mark.parametrize("truth_path", SCENARIO, ids=lambda p: p.stem)
def test_budget_completion_by_subject(truth_report, truth_path):
    truth = load_truth(truth_path)
    page = parse(truth_report)
    totals = {r["科目编码"]: r for r in table(page, "completion")}
    detail = table(page, "completion-detail")
    slips = _planted_slip_codes(truth)
    subject = [f for f in truth["facts"] if f["metric"] == "general_budget_expenditure_subject"]
    codes = {f["code"] for f in subject}
    if not codes:
        pytest.skip(f"{truth_path.name} states no per-科目 budgets")
    # Every variant of the document counts once per code: factors 1 (own, 审核样例), 0.8 and 1.5.
    factors = (Decimal(1), PRIOR_FACTOR, OTHER_FACTOR, Decimal(1))
    for code in codes - slips:
        budget = Decimal(next(f["value"] for f in subject if f["code"] == code and f["qualifier"] == "budget"))
        actual = Decimal(next(f["value"] for f in subject if f["code"] == code and f["qualifier"] == "actual"))
        row = totals[code]
        assert row["预算数（万元）"] == wan(sum((scaled(budget, k) for k in factors), Decimal(0)))
        assert row["决算数（万元）"] == wan(sum((scaled(actual, k) for k in factors), Decimal(0)))
        assert row["完成率"] == pct(actual, budget)
        assert row["标记行（未计入）"] == "0"
    marked = {r["科目"].split()[0] for r in detail if r["标记"]}
    assert marked == slips
    assert not slips & {c for c, r in totals.items() if r["完成率"]}


def test_audit_findings_are_listed(truth_report):
    page = parse(truth_report)
    (summary,) = table(page, "audit")
    assert summary["审核项"] == "款 = Σ项" and summary["审核项键"] == "table.sum_item"
    assert summary["错误"] == str(len(SCENARIO)) and summary["涉及文件数"] == str(len(SCENARIO))
    detail = table(page, "audit-detail")
    assert {r["部门"] for r in detail} == {load_truth(p)["metadata"]["department"] + "（审核样例）" for p in SCENARIO}
    assert all(r["严重程度"] == "错误" and r["页码"] for r in detail)
    assert parse(truth_report).figures["three-public"]["flagged"] == len(SCENARIO)


def test_year_filter_and_top(tmp_path_factory, tmp_path):
    data = truth_dataset(tmp_path_factory)
    year = load_truth(TRUTHS[0])["metadata"]["fiscal_year"] - 1
    page = parse(write_report(data, tmp_path / "r.html", "--year", str(year), "--top", "1"))
    assert {r["年度"] for r in table(page, "docs-by-year")} == {str(year)}
    assert len(table(page, "three-public")) == 1
    assert page.figures["three-public"]["bars"] == 1


def test_usage_errors(tmp_path_factory, tmp_path, capsys):
    data = truth_dataset(tmp_path_factory)
    assert main(["report", "--out", str(tmp_path / "r.html"), "--data", str(data), "--top", "0"]) == 2
    assert main(["report", "--out", str(tmp_path / "r.html"), "--data", str(tmp_path / "none")]) == 2
    assert not (tmp_path / "r.html").exists()


def test_bar_lengths_are_proportional_and_negative_bars_grow_left():
    from report.svg import Bar, BarChart, bar_chart_svg

    svg = bar_chart_svg(
        BarChart("t", "万元", ("v",), (Bar("a", (1.0,), "1"), Bar("b", (2.0,), "2"), Bar("c", (-1.0,), "-1"))), "c"
    )
    rects = re.findall(r'<rect class="bar s0( neg)?" x="([\d.]+)" y="[\d.]+" width="([\d.]+)"', svg)
    (_, xa, wa), (_, _, wb), (neg, xc, wc) = rects
    assert float(wb) == pytest.approx(2 * float(wa), rel=0.01)
    assert float(wc) == pytest.approx(float(wa), rel=0.01)
    assert neg and float(xc) + float(wc) == pytest.approx(float(xa), abs=0.1)  # ends where the others start


def test_stacked_bars_refuse_mismatched_or_negative_segments():
    from report.svg import Bar, BarChart

    with pytest.raises(ValueError):
        BarChart("t", "万元", ("a", "b"), (Bar("x", (1.0,), ""),))
    with pytest.raises(ValueError):
        BarChart("t", "万元", ("a", "b"), (Bar("x", (1.0, -1.0), ""),))


def test_an_empty_dataset_gives_a_page_without_charts(tmp_path):
    (tmp_path / "data" / "documents").mkdir(parents=True)
    page = parse(write_report(tmp_path / "data", tmp_path / "r.html"))
    assert not [f for f in page.figures.values() if f["bars"] is not None]
    assert {"three-public-none", "basic-none", "completion-none", "audit-none"} <= set(page.figures)
    assert table(page, "docs-by-status") == []
