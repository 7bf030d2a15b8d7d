"""Row labels: strip the ordinal prefixes tables print ('一、', '（一）', '1.') and fold."""

from __future__ import annotations

import re

from normalize.text import fold_text

_ORDINAL = re.compile(
    r"^\s*(?:[一二三四五六七八九十]{1,3}[、.．]|[（(][一二三四五六七八九十\d]{1,3}[)）]|\d{1,2}[、.．](?!\d)|[①-⑳])\s*"
)
# '[2010350]事业运行', '【201】…', '2010601-行政运行', '2010350 事业运行'.
_GLUED_CODE = re.compile(
    r"^\s*[\[【〔(（]?\s*(?P<code>\d{3}(?:\d{2}){0,2})\s*[\]】〕)）]?\s*[-－—:：]?\s*(?P<rest>[^\d\s\-－—].*)$"
)


def label_to_canonical(raw: str) -> str:
    """'一、一般公共服务支出' -> '一般公共服务支出'; '  其中：行政运行' stays readable. Pure."""
    label = fold_text(raw).replace(" ", "")
    label = _ORDINAL.sub("", label)
    return label


def split_glued_code(raw: str) -> tuple[str | None, str]:
    """'[2010350]事业运行' or '2010350 事业运行' -> ('2010350', '事业运行'); else (None, raw)."""
    m = _GLUED_CODE.match(fold_text(raw))
    if not m:
        return None, raw
    return m.group("code"), m.group("rest").strip()
