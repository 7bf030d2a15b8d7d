"""The HTML report in headless Chromium: charts render, nothing is requested, no console error.

Needs Debian's ``chromium`` (``make test`` installs it; set JUESUAN_CHROMIUM to use another
binary). Screenshots go to test-artifacts/ (git-ignored).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from report_browser import Browser, PageRecord, find_chromium
from report_datasets import ROOT, fixture_dataset, load_truth, ok_truths, truth_dataset

from pipeline.cli import main

CHROMIUM = find_chromium()
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="chromium is not installed (Debian: apt-get install chromium; `make test` installs it when run as root)",
)
ARTIFACTS = ROOT / "test-artifacts"
DESKTOP = {"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": False}

# What the page shows once rendered: sizes come from layout, so a chart that failed to render
# (no size, no visible bar) is caught.
STATE = """(() => {
  const charts = Array.from(document.querySelectorAll('svg.chart')).map(svg => {
    const box = svg.getBoundingClientRect();
    const bars = Array.from(svg.querySelectorAll('rect.bar'));
    return {
      id: svg.id,
      width: box.width,
      height: box.height,
      declared: Number(svg.dataset.bars),
      rows: svg.querySelectorAll('g.row').length,
      visibleBars: bars.filter(b => b.getBoundingClientRect().width > 0).length,
      visibleLabels: Array.from(svg.querySelectorAll('text.label')).filter(t => t.getBBox().width > 0).length,
      tableRows: Number(svg.closest('figure').querySelector('table.data').dataset.rows),
    };
  });
  return {
    innerWidth: window.innerWidth,
    scrollWidth: document.documentElement.scrollWidth,
    title: document.querySelector('h1').textContent,
    charts: charts,
    tables: document.querySelectorAll('table.data').length,
  };
})()"""


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory):
    assert CHROMIUM is not None
    with Browser(CHROMIUM, tmp_path_factory.mktemp("chromium-profile")) as b:
        yield b


def _report(data: Path, out: Path) -> Path:
    assert main(["report", "--out", str(out), "--data", str(data)]) == 0
    return out


def _check_rendered(state: dict[str, Any]) -> None:
    assert state["title"] == "部门决算数据报告"
    assert state["charts"], "no chart on the page"
    for chart in state["charts"]:
        assert chart["width"] > 100 and chart["height"] > 30, chart
        assert chart["width"] <= state["innerWidth"], chart
        assert chart["rows"] == chart["declared"] == chart["tableRows"] > 0, chart
        assert chart["visibleLabels"] == chart["rows"], chart
        assert chart["visibleBars"] >= 1, chart
    # A phone never scrolls sideways: wide tables scroll inside their own box.
    assert state["scrollWidth"] <= state["innerWidth"]


def test_fixture_report_renders_on_a_phone(browser, tmp_path_factory):
    page = _report(fixture_dataset(tmp_path_factory), tmp_path_factory.mktemp("html") / "report.html")
    record = PageRecord()
    session = browser.open(page.as_uri(), record)
    assert record.errors() == []
    assert record.requests == [page.as_uri()], "the page must not request anything"
    state = browser.evaluate(session, STATE)
    _check_rendered(state)
    assert {"chart-docs-by-status", "chart-docs-by-year", "chart-docs-by-region"} <= {c["id"] for c in state["charts"]}
    shot = ARTIFACTS / "report.png"
    browser.screenshot(session, shot)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_sample_report_renders_on_a_desktop_and_its_tables_sort(browser, tmp_path_factory):
    page = _report(truth_dataset(tmp_path_factory), tmp_path_factory.mktemp("html") / "sample.html")
    record = PageRecord()
    session = browser.open(page.as_uri(), record, viewport=DESKTOP)
    assert record.errors() == []
    assert record.requests == [page.as_uri()]
    state = browser.evaluate(session, STATE)
    _check_rendered(state)
    assert len(state["charts"]) >= 7  # overview 3, 三公 2, 基本支出 1, completion 1, audit 1
    # Clicking a numeric header sorts the rows by value, largest first, then smallest first.
    sort = """(() => {
      const table = document.querySelector('#three-public table.data');
      const th = Array.from(table.querySelectorAll('th')).find(h => h.textContent === '合计（万元）');
      const column = Array.from(th.parentNode.children).indexOf(th);
      const read = () => Array.from(table.tBodies[0].rows).map(r => Number(r.cells[column].dataset.v));
      th.click(); const first = read();
      th.click(); const second = read();
      return [first, second];
    })()"""
    first, second = browser.evaluate(session, sort)
    assert first == sorted(first, reverse=True) and second == sorted(second)
    assert len(first) == 3 * len(ok_truths()) > 0  # own, other and 审核样例 copies of each truth
    assert record.errors() == []
    browser.screenshot(session, ARTIFACTS / "report-sample.png")
    assert load_truth(ok_truths()[0])["metadata"]["department"] in browser.evaluate(session, "document.body.innerText")


def test_the_harness_sees_requests_console_errors_and_exceptions(browser, tmp_path):
    """The checks above would catch a page that fetches or fails: shown on a page that does both."""
    bad = tmp_path / "bad.html"
    bad.write_text(
        '<!doctype html><img src="http://127.0.0.1:9/x.png"><script>console.error("boom"); missing();</script>',
        encoding="utf-8",
    )
    record = PageRecord()
    browser.open(bad.as_uri(), record)
    assert "http://127.0.0.1:9/x.png" in record.requests
    errors = record.errors()
    assert any("boom" in e for e in errors)
    assert any("missing" in e for e in errors)
