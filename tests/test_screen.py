"""The page screen's pure parts: a table's last page that holds only its 总计 row is a table page."""

from __future__ import annotations

import pytest

from extract.screen import classify_page_text, promote_continuations
from extract.settings import ExtractSettings
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


@pytest.mark.parametrize(
    "text",
    [
        # UTF-8 bytes of 北京市政务服务和数据管理局 … decoded as GBK: Han characters, but rare ones.
        "鍖椾含甯傛斂鍔℃湇鍔″拰鏁版嵁绠＄悊灞€2026骞村害閮ㄩ棬棰勭畻 鍖椾含甯傛斂鍔℃湇鍔″拰鏁版嵁绠＄悊灞€",
        # GBK bytes decoded as Latin-1: no Han at all, amounts intact.
        "±±¾©ÊÐÕþÎñ·þÎñºÍÊý¾Ý¹ÜÀí¾Ö 2026Äê¶È²¿ÃÅÔ¤Ëã 1,234.56 ±±¾©ÊÐÕþÎñ·þÎñºÍÊý¾Ý¹ÜÀí¾Ö",
    ],
)
def test_mojibake_text_layer_is_garbled(text):
    kind, reason = classify_page_text(text, 0, ExtractSettings())
    assert kind == "garbled", reason


def test_real_text_is_not_garbled():
    text = "苍溪县目标绩效事务中心2023年度部门决算。本年收入合计133.28万元，比上年减少17.36万元，下降11.5%。"
    assert classify_page_text(text, 0, ExtractSettings())[0] == "text"
