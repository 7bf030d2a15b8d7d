"""Narrative pages -> sentences with their page and section.

PDF text breaks a sentence wherever the line or page ends ("2.57\n\n万元", "亲\n\n自推动")
and inserts page headers and footers. Lines are joined without a separator (Chinese needs
none), page-number lines are dropped, and headings end the sentence before them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from normalize.text import fold_text

_PAGE_NUMBER = re.compile(r"^[-—–\s]*(第\s*)?\d{1,3}(\s*页)?[-—–\s]*$|^\d{1,3}\s*/\s*\d{1,3}$")
_HEADING = re.compile(
    r"^(第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]|附件\d*|附表)"
)
_SENTENCE_END = re.compile(r"(?<=[。！？!?])")


@dataclass(frozen=True)
class Sentence:
    text: str
    page: int
    section: str


def _is_heading(line: str) -> bool:
    return bool(_HEADING.match(line)) and len(line) <= 40 and not line.endswith(("。", "；", "，"))


def pages_to_sentences(pages: list[tuple[int, str]]) -> list[Sentence]:
    """Sentences of the narrative pages, in order. Pure."""
    out: list[Sentence] = []
    section = ""
    buf = ""
    buf_page = 0

    def flush() -> None:
        nonlocal buf
        text = buf.strip()
        if text:
            out.extend(Sentence(part.strip(), buf_page, section) for part in _SENTENCE_END.split(text) if part.strip())
        buf = ""

    for page_no, text in pages:
        for raw in text.splitlines():
            line = fold_text(raw)
            if not line or _PAGE_NUMBER.match(line):
                continue
            if _is_heading(line):
                flush()
                section = line
                continue
            if not buf:
                buf_page = page_no
            # Complete sentences are flushed as soon as they end so each keeps its own page.
            buf += line
            if buf.endswith(("。", "！", "？")):
                flush()
    flush()
    return out
