"""The page screen's pure parts: a table's last page that holds only its 总计 row is a table page."""

from __future__ import annotations

import pytest

from extract.screen import promote_continuations
from schemas.records import PageScreen


def _screen(page: int, kind: str) -> PageScreen:
    return PageScreen(page, kind, 100, 50, 0, "test")


@pytest.mark.parametrize(
    "text",
    [
        "总计 31 8,182.04 总计 62 8,182.04",
        # The note under the table, broken over text lines by the PDF's text order.
        "总计 31 8,182.04 总计 62 8,182.04\r\n注：本表反映部门本年\r\n度的总收支和年\r\n末\r\n结\r\n转结余情况。",
        "合计 1,234.56\n说明：本表无政府性基金预算财政拨款以外的收支。",
    ],
)
def test_last_page_of_a_table_is_promoted(text):
    out = promote_continuations([(_screen(13, "table"), "收入支出决算总表"), (_screen(14, "text"), text)])
    assert out[1][0].kind == "table"


@pytest.mark.parametrize(
    ("previous", "text"),
    [
        # A narrative page: its amounts sit in sentences.
        ("table", "本年收入合计8,182.04万元。其中：财政拨款收入7,769.44万元，占95%。"),
        # Not after a table page.
        ("text", "总计 31 8,182.04 总计 62 8,182.04"),
        # No amount at all.
        ("table", "注：本表无数据。"),
    ],
)
def test_other_pages_are_not_promoted(previous, text):
    out = promote_continuations([(_screen(13, previous), ""), (_screen(14, "text"), text)])
    assert out[1][0].kind == "text"
