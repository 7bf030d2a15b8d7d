"""The table engines and page readers agree on the seed fixture; the words engine on its own."""

from __future__ import annotations

import pytest
from conftest import FIXTURES, load_truth

from benchmarks.scoring import ZERO, score_cells
from extract.settings import ExtractSettings
from extract.tables.layout import grid_to_layout
from extract.tables.words import borderless_grid
from pipeline.process import process_file

SEED = FIXTURES / "seed_cangxi_2023.truth.json"


@pytest.mark.parametrize(
    "settings",
    [
        ExtractSettings(table_engine="pdfplumber", page_reader="pdfium"),
        ExtractSettings(table_engine="pdfplumber", page_reader="pdfminer"),
        ExtractSettings(table_engine="camelot"),
    ],
    ids=["pdfplumber-pdfium", "pdfplumber-pdfminer", "camelot"],
)
def test_engines_read_every_seed_cell(settings):
    truth = load_truth(SEED)
    result = process_file(FIXTURES / truth["pdf"], settings)
    score = sum(score_cells(truth, result.line_items).values(), ZERO)
    assert score.recall == 1.0 and score.precision == 1.0, score
    engines = {i.engine for i in result.line_items}
    assert engines == {"camelot" if settings.table_engine == "camelot" else "pdfplumber"}


def _chars(text: str, x: float, top: float, size: float = 9.0) -> list[dict]:
    return [
        {"text": ch, "x0": x + i * size, "x1": x + (i + 1) * size, "top": top, "bottom": top + size}
        for i, ch in enumerate(text)
    ]


def _right(text: str, right: float, top: float) -> list[dict]:
    width = 5.0
    x = right - width * len(text)
    return [
        {"text": ch, "x0": x + i * width, "x1": x + (i + 1) * width, "top": top, "bottom": top + 9}
        for i, ch in enumerate(text)
    ]


def test_borderless_table_by_alignment_with_wrapped_label():
    chars = (
        _chars("项目", 40, 100) + _chars("决算数", 240, 100) + _chars("预算数", 320, 100)
        + _chars("合计", 40, 120) + _right("133.28", 290, 120) + _right("152.17", 370, 120)
        + _chars("机关事业单位基本养老保险缴", 40, 140) + _right("7.84", 290, 140) + _right("7.84", 370, 140)
        + _chars("费支出", 40, 152)
        + _chars("住房公积金", 40, 172) + _right("6.64", 290, 172) + _right("-", 370, 172)
    )  # fmt: skip
    grid = borderless_grid(chars, (0, 90, 600, 400))
    assert grid is not None and grid.engine == "words"
    layout = grid_to_layout(grid)
    assert layout is not None
    roles = [c.role for c in layout.columns]
    assert roles.count("amount") == 2 and "label" in roles
    labels = [c.label_raw for c in layout.columns if c.role == "amount"]
    assert labels == ["决算数", "预算数"]
    texts = [[(c.text if c else "") for c in row.cells] for row in layout.data_rows]
    assert ["机关事业单位基本养老保险缴费支出", "7.84", "7.84"] in texts
    assert ["住房公积金", "6.64", "-"] in texts
