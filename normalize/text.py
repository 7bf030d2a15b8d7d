"""Text folding: the one place where printed Chinese text is made comparable.

Word/WPS exports write Kangxi radicals (⽀ U+2F40 for 支) into the text layer when the font
draws the radical and the ideograph with one glyph; Noto CJK does. Exporters also put
spaces between Han characters and full-width digits into numbers. Every stage folds with
these functions and keeps the raw text beside the folded one.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from functools import cache
from importlib import resources

_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Spaces between two Han characters (or a Han character and CJK punctuation) are layout
# artefacts of justified text, never meaningful in Chinese.
_CJK = rf"[{_HAN}\u3000-\u303f\uff08\uff09\uff0c\uff1a\uff1b]"
_SPACE_BETWEEN_HAN = re.compile(rf"(?<={_CJK})[ \t\u3000]+(?={_CJK})")
_SPACES = re.compile(r"[ \t\u3000\u00a0]+")
_PUNCT_FOR_KEYS = re.compile(
    r"[\s\u3000-\u303f\uff00-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65()\[\]{}<>:;,.!?\"'“”‘’、·•\-—_/\\]+"
)


@cache
def _radicals_supplement() -> dict[str, str]:
    text = resources.files("normalize").joinpath("data", "radicals_supplement.tsv").read_text("utf-8")
    return {r["radical"]: r["ideograph"] for r in csv.DictReader(text.splitlines(), delimiter="\t")}


# Brackets are folded to the full-width forms the official 科目 names use.
_BRACKETS = {"(": "（", ")": "）", "﹙": "（", "﹚": "）", "〔": "〔", "〕": "〕"}


@cache
def _fold_char(ch: str) -> str:
    cp = ord(ch)
    if 0x2F00 <= cp <= 0x2FDF or 0xF900 <= cp <= 0xFAFF:
        # Kangxi radicals and CJK compatibility ideographs carry a compatibility
        # decomposition to the unified ideograph.
        return unicodedata.normalize("NFKC", ch)
    if 0x2E80 <= cp <= 0x2EFF:
        # The CJK radicals supplement has (almost) no decompositions: use the table.
        return _radicals_supplement().get(ch, unicodedata.normalize("NFKC", ch))
    if 0xFF10 <= cp <= 0xFF19 or 0xFF21 <= cp <= 0xFF3A or 0xFF41 <= cp <= 0xFF5A:
        return chr(cp - 0xFEE0)  # full-width digits and Latin letters
    if ch in "．":
        return "."
    if ch in "％":
        return "%"
    if ch in "－−":
        return "-"
    if ch == "\u3000":
        return " "
    return _BRACKETS.get(ch, ch)


def fold_text(text: str) -> str:
    """Fold printed text to its canonical form (radicals, widths, brackets, spaces)."""
    folded = "".join(_fold_char(ch) for ch in text)
    folded = _SPACE_BETWEEN_HAN.sub("", folded)
    return _SPACES.sub(" ", folded).strip()


def match_key(text: str) -> str:
    """A key for comparing labels: folded, without spaces and punctuation."""
    return _PUNCT_FOR_KEYS.sub("", fold_text(text))


def han_count(text: str) -> int:
    return sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf")
