"""Narrative pages -> sentences with their pages, headings and neighbours.

PDF text breaks a sentence wherever the line or page ends ("2.57\n\n万元", "亲\n\n自推动")
and inserts page headers and footers. Lines are joined without a separator (Chinese needs
none); page numbers and running headers/footers (a line repeated at the top or bottom of
many pages) are dropped; headings end the sentence before them and are kept as the
sentence's heading path. A sentence records where each page starts inside it, so every figure
gets the page it is printed on. Lines that are rows of a table set in the text (bare numbers
side by side, no sentence punctuation: '≥110 人 123 人 6 6') are not narrative and are skipped;
so are chart captions ('图1: …').

Each sentence also carries the sentences before and after it in its block (a block ends at a
heading or at a new list item '1.', '2、', '（1）', '一是'): a 科目 named in '1.一般公共服务（类）
信访事务（款）行政运行（项）。' is the subject of the next sentence's '年初预算为…', and the
reason ('主要原因是…') often follows the figures it explains.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace

from normalize.text import fold_text

_PAGE_NUMBER = re.compile(r"^[-—–\s]*(第\s*)?\d{1,3}(\s*页)?[-—–\s]*$|^\d{1,3}\s*/\s*\d{1,3}$|^[-—–]\s*[-—–]$")
_HEADING = re.compile(
    r"^(?P<part>第[一二三四五六七八九十]+部分)"
    r"|^(?P<annex>附件\s*\d*(?![\d、.])|附表)"
    r"|^(?P<section>[一二三四五六七八九十]+、)"
    r"|^(?P<sub>[（(][一二三四五六七八九十]+[)）])"
    r"|^(?P<item>\d{1,2}\s*[.、．](?!\d))"
)
# A report title inside the narrative ('2023年…部门整体 预算绩效评价报告') starts an annex.
_TITLE = re.compile(r"(报告|说明|情况表|自评表)$")
_ITEM_HEADING_MAX = 16
# Table-of-contents lines ('第一部分 部门概况……1') carry dot leaders.
_LEADER = re.compile(r"(\.{4,}|…{2,}|·{4,}|-{6,})\s*\d*\s*$")
_CAPTION = re.compile(r"^(图|表)\s*\d+\s*[:：\s]")
_CLAUSE_PUNCT = re.compile(r"[，；、。,;]")
_SENTENCE_END = "。！？!?"
_LIST_START = re.compile(
    r"^(\d{1,2}\s*[.、．](?!\d)|[（(]\d{1,2}[)）]|[（(][一二三四五六七八九十]+[)）]|[一二三四五六七八九十]是)"
)
# A number standing alone between spaces, followed by another number or the line end ('6 6').
_BARE_NUMBER = re.compile(r"(?:(?<=\s)|^)[-+]?\d+(?:,\d{3})*(?:\.\d+)?%?(?=\s+[-\d+≥≤<>]|\s*$)")
_FISCAL_YEAR = re.compile(r"(20\d\d)\s*年度")
_REPORT_KIND = re.compile(r"20\d\d\s*年度?\s*(?:部门|单位)?(决算|预算)")
_LEVELS = {"part": 0, "annex": 1, "section": 2, "sub": 3, "item": 4}


@dataclass(frozen=True)
class Sentence:
    text: str
    page: int  # page of the sentence's first character
    section: str  # the innermost heading
    page_starts: tuple[tuple[int, int], ...] = ()  # (offset, page) where a later page begins inside text
    headings: tuple[str, ...] = ()  # the heading path, outermost first
    context: str = ""  # the sentences before this one in its block
    following: str = ""  # the next sentence of its block
    fiscal_year: int | None = None  # the year the narrative reports on (its most frequent 'YYYY年度')
    report_kind: str = ""  # 决算 or 预算: what the narrative's title phrases say it is ('' unknown)

    def page_at(self, offset: int) -> int:
        """The page a character of ``text`` is printed on."""
        page = self.page
        for start, p in self.page_starts:
            if offset >= start:
                page = p
        return page


def _edge_key(line: str) -> str:
    return re.sub(r"\d+", "#", line.replace(" ", ""))


def running_lines(pages: list[tuple[int, list[str]]]) -> set[str]:
    """Keys of lines printed at the top or bottom of at least three pages and a third of them."""
    counts: Counter[str] = Counter()
    for _, lines in pages:
        edges = {_edge_key(x) for x in lines[:2] + lines[-2:] if len(x) <= 40}
        counts.update(edges)
    need = max(3, len(pages) // 3)
    return {k for k, c in counts.items() if c >= need}


def is_tabular(line: str) -> bool:
    """A table row set as text: two or more bare numbers side by side and no sentence punctuation."""
    if _CLAUSE_PUNCT.search(line):
        return False
    return len(_BARE_NUMBER.findall(line)) >= 2


def heading_level(line: str) -> int | None:
    """The level of a heading line (0 part, 1 annex, 2 一、, 3 （一）, 4 a short '1. 履职效能。'), or None for text."""
    m = _HEADING.match(line)
    if m is None or len(line) > 40 or re.search(r"（[类款项]）", line):
        return None
    kind = next(k for k, v in m.groupdict().items() if v)
    body = line[m.end() :]
    if kind == "annex":
        body = body.lstrip("：: ")
    # A heading holds no clause: '（一）收入情况。苍溪县…' and '（七）负责…，…' are text.
    if re.search(r"[，；、：:]", body) or "。" in body.rstrip("。"):
        return None
    # '1. 履职效能。' heads a list; '5. 负责年度民生实事任务统筹服务工作。' is a list item.
    if kind == "item" and len(line) > _ITEM_HEADING_MAX:
        return None
    return _LEVELS[kind]


def is_title(text: str) -> bool:
    """A report title set in the narrative ('2023年…部门整体 预算绩效评价报告'), possibly wrapped."""
    return 8 <= len(text) <= 60 and bool(_TITLE.search(text)) and not _CLAUSE_PUNCT.search(text)


def narrative_year(texts: list[str]) -> int | None:
    """The fiscal year a narrative reports on: its most frequent 'YYYY年度'."""
    years = Counter(int(y) for t in texts for y in _FISCAL_YEAR.findall(fold_text(t)))
    return years.most_common(1)[0][0] if years else None


def narrative_kind(texts: list[str]) -> str:
    """决算 or 预算: the more frequent of '2023年度部门决算' and '2026年部门预算' ('' when neither)."""
    kinds = Counter(k for t in texts for k in _REPORT_KIND.findall(fold_text(t).replace(" ", "")))
    ranked = kinds.most_common()
    if not ranked or (len(ranked) > 1 and ranked[0][1] == ranked[1][1]):
        return ""
    return ranked[0][0]


class _Builder:
    """Accumulates lines into sentences; one instance per document."""

    def __init__(self, year: int | None, kind: str) -> None:
        self.year, self.kind = year, kind
        self.out: list[Sentence] = []
        self.headings: list[tuple[int, str]] = []
        self.block: list[int] = []  # indexes into out of the current block's sentences
        self.buf = ""
        self.buf_pages: list[int] = []  # the page of each character of buf

    def add(self, line: str, page: int) -> None:
        if _LIST_START.match(line) and self.buf.rstrip().endswith(("：", ":")):
            self.flush()  # '其中：' ends the lead-in; '1. …' starts an item
        self.buf += line
        self.buf_pages += [page] * len(line)
        while True:
            cut = next((i for i, ch in enumerate(self.buf) if ch in _SENTENCE_END), -1)
            if cut < 0:
                return
            # A closing quote or bracket after 。 belongs to the sentence.
            while cut + 1 < len(self.buf) and self.buf[cut + 1] in "”’」）)":
                cut += 1
            self._emit(cut + 1)

    def _emit(self, cut: int) -> None:
        text, pages = self.buf[:cut], self.buf_pages[:cut]
        self.buf, self.buf_pages = self.buf[cut:], self.buf_pages[cut:]
        lead = len(text) - len(text.lstrip())
        text, pages = text.strip(), pages[lead : lead + len(text.strip())]
        if text:
            self._sentence(text, pages)

    def flush(self) -> None:
        self._emit(len(self.buf))

    def _sentence(self, text: str, pages: list[int]) -> None:
        if _LIST_START.match(text):
            self.block = []
        starts = tuple((i, p) for i, p in enumerate(pages) if i and p != pages[i - 1])
        headings = tuple(h for _, h in self.headings)
        context = "".join(self.out[i].text for i in self.block[-3:])
        section = headings[-1] if headings else ""
        self.out.append(Sentence(text, pages[0], section, starts, headings, context, "", self.year, self.kind))
        if self.block:
            i = self.block[-1]
            self.out[i] = replace(self.out[i], following=text)
        self.block.append(len(self.out) - 1)

    def heading(self, line: str, level: int) -> None:
        title = self.buf.strip()
        if is_title(title.replace(" ", "")):
            # A wrapped report title ('…预算绩效评' / '价报告') is only whole when the next heading comes.
            self.buf, self.buf_pages = "", []
            self.headings = [(lv, h) for lv, h in self.headings if lv < 1] + [(1, title)]
        self.flush()
        self.headings = [(lv, h) for lv, h in self.headings if lv < level] + [(level, line)]
        self.block = []

    def break_block(self) -> None:
        self.flush()
        self.block = []


def pages_to_sentences(pages: list[tuple[int, str]]) -> list[Sentence]:
    """Sentences of the narrative pages, in order. Pure."""
    folded = [(p, [fold_text(x) for x in t.splitlines()]) for p, t in pages]
    folded = [(p, [x for x in lines if x and not _PAGE_NUMBER.match(x)]) for p, lines in folded]
    running = running_lines(folded)
    texts = [t for _, t in pages]
    builder = _Builder(narrative_year(texts), narrative_kind(texts))
    for page_no, lines in folded:
        lines = [x for x in lines if _edge_key(x) not in running]
        for line in lines:
            level = heading_level(line)
            if level is not None:
                builder.heading(line, level)
            elif _CAPTION.match(line) or _LEADER.search(line) or is_tabular(line):
                builder.break_block()
            else:
                builder.add(line, page_no)
    builder.flush()
    return builder.out
