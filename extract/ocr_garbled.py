"""Text layers that look like text but are not: a test to run beside extract/screen.py's.

``screen.classify_page_text`` catches unmapped glyphs (U+FFFD, private use, '(cid:N)') and
pages with almost no Han characters. Two broken text layers pass it, and their pages then
need OCR as much as a scan does:

- a font whose glyphs map to the wrong Han characters: random ideographs, or UTF-8 bytes
  decoded as GBK ('鍖椾含甯傛斂鍔'), which are Han characters too;
- GBK bytes decoded as Latin-1 ('±±¾©ÊÐÕþÎñ'): no Han at all, but its amounts survive, so the
  page still passes for a table.

Real 决算/预算 text takes at most 0.5% of its Han characters from outside the 3500 most
frequent (measured on the seed and on all thirteen real PDFs); random ideographs take ~83%,
mojibake 50–80%. ``data/common_han.csv`` lists those 3500 characters: the most frequent Han
characters of jieba 0.42.1's dict.txt, each weighted by the frequencies of the words holding it.
"""

from __future__ import annotations

import csv
from functools import cache
from importlib import resources

# Above this share of rare Han characters a text layer is garbled (real text: ≤ 0.5%).
RARE_HAN_SHARE = 0.2
# Above this share of Latin-1 letters among the non-ASCII characters it is mojibake.
LATIN1_SHARE = 0.3
# Fewer characters than this say nothing either way (a page number, a stray label).
MIN_SAMPLE = 20


@cache
def common_han() -> frozenset[str]:
    text = resources.files("extract").joinpath("data", "common_han.csv").read_text("utf-8")
    return frozenset(row["char"] for row in csv.DictReader(text.splitlines()))


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


def garbled_reason(text: str) -> str | None:
    """Why a page's text layer is garbled, or None when it reads as real text. Pure."""
    han = [ch for ch in text if _is_han(ch)]
    if len(han) >= MIN_SAMPLE:
        common = common_han()
        rare = sum(1 for ch in han if ch not in common) / len(han)
        if rare > RARE_HAN_SHARE:
            return f"{rare:.0%} of its Han characters are rare ones: the text layer maps glyphs to wrong characters"
    wide = [ch for ch in text if not ch.isspace() and not ch.isascii()]
    if len(wide) >= MIN_SAMPLE:
        latin1 = sum(1 for ch in wide if "\u00a0" <= ch <= "\u00ff") / len(wide)
        if latin1 > LATIN1_SHARE:
            return f"{latin1:.0%} of its characters are Latin-1 letters: GBK text decoded as Latin-1"
    return None
