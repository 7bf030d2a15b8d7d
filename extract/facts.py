"""Sentences -> raw facts: every number with a unit, its metric, qualifier and subject.

A sentence is read left to right. Each number with a unit gets the nearest subject phrase
before it (from ``extract/data/fact_subjects.csv``, longest phrase first) and a qualifier
from the cue words between that subject (or the previous number) and itself:
增加/减少 → yoy_change, 下降/增长 + % → yoy_pct, 占/比重 → share_pct, 完成 → completion_pct,
预算 → budget, otherwise actual. A number with a unit but no subject is kept as ``mention``.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from extract.narrative import Sentence
from schemas.raw import RawFact
from schemas.records import Provenance

_TOKEN = re.compile(
    r"(?<![\d.,])(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(?P<approx>余|多)?\s*"
    r"(?P<unit>万元|亿元|千元|元|%|个百分点|人次|批次|件|次|人|批|期|个|项|辆|台|套|分|名|家|条|份|场|户)"
)
_DOWN = re.compile(r"减少|下降|降低|减支|节约")
_UP = re.compile(r"增加|增长|上升|提高|增支")
_SHARE = re.compile(r"占|比重|比例")
_COMPLETION = re.compile(r"完成")
_BUDGET = re.compile(r"预算")
_ACTUAL = re.compile(r"决算|支出为|实际")
_PRIOR = re.compile(r"上年|上一年|20\d\d年度?(决算)?数?为")
_CLAUSE_START = re.compile(r"[，,。；;：:、（）()]")


@dataclass(frozen=True)
class Subject:
    start: int
    end: int
    phrase: str
    metrics: tuple[str, ...]


@cache
def _subject_phrases() -> list[tuple[str, tuple[str, ...]]]:
    text = resources.files("extract").joinpath("data", "fact_subjects.csv").read_text("utf-8")
    rows = list(csv.DictReader(text.splitlines()))
    pairs = [(r["phrase"], tuple(m for m in (r["metric"], r["metric2"]) if m)) for r in rows]
    return sorted(pairs, key=lambda p: -len(p[0]))


def find_subjects(sentence: str) -> list[Subject]:
    """Non-overlapping subject phrases, longest first. Pure."""
    taken = [False] * len(sentence)
    found: list[Subject] = []
    for phrase, metrics in _subject_phrases():
        for m in re.finditer(re.escape(phrase), sentence):
            if any(taken[m.start() : m.end()]):
                continue
            for i in range(m.start(), m.end()):
                taken[i] = True
            found.append(Subject(m.start(), m.end(), phrase, metrics))
    return sorted(found, key=lambda s: s.start)


def _qualifier(unit: str, cue: str) -> tuple[str, int]:
    """(qualifier, sign) of a figure from the cue words before it."""
    if _DOWN.search(cue):
        return ("yoy_pct" if unit in ("%", "个百分点") else "yoy_change"), -1
    if _UP.search(cue):
        return ("yoy_pct" if unit in ("%", "个百分点") else "yoy_change"), 1
    if unit == "%":
        if _COMPLETION.search(cue):
            return "completion_pct", 1
        return "share_pct", 1
    if unit in ("万元", "亿元", "千元", "元"):
        if _ACTUAL.search(cue):
            return "actual", 1
        if _BUDGET.search(cue):
            return "budget", 1
        if _PRIOR.search(cue):
            return "prior_year", 1
        return "actual", 1
    return "count", 1


def _mention_subject(sentence: str, start: int) -> str:
    head = sentence[:start]
    cut = max((m.end() for m in _CLAUSE_START.finditer(head)), default=0)
    return head[cut:][-24:]


def sentence_to_facts(sentence: Sentence, file: str) -> list[RawFact]:
    """Every number with a unit in one sentence. Pure."""
    text = sentence.text
    subjects = find_subjects(text)
    facts: list[RawFact] = []
    prev_end = 0
    for tok in _TOKEN.finditer(text):
        unit = tok.group("unit")
        start = tok.start()
        # "占本年支出合计的99.8%": a subject right after 占 is the denominator, not the subject.
        before = [s for s in subjects if s.end <= start and not text[max(0, s.start - 1) : s.start] == "占"]
        subject = before[-1] if before else None
        # A % right after a figure refers to that figure's subject ("基本支出89.08万元，占66.8%").
        cue_from = max(prev_end, subject.end if subject else 0)
        cue = text[cue_from:start]
        qualifier, sign = _qualifier(unit, cue)
        money_or_pct = unit in ("万元", "亿元", "千元", "元", "%", "个百分点")
        if subject is not None and money_or_pct:
            metrics = subject.metrics
            subject_raw = subject.phrase
        else:
            metrics = ("mention",)
            subject_raw = _mention_subject(text, start)
            if qualifier in ("actual",):
                qualifier = "count" if not money_or_pct else "actual"
        number = tok.group("num")
        for metric in metrics:
            facts.append(
                RawFact(
                    metric=metric,
                    qualifier=qualifier,
                    subject_raw=subject_raw,
                    value_raw=number,
                    unit_raw=unit,
                    page=sentence.page,
                    section=sentence.section,
                    sentence=text,
                    prov=Provenance(file, sentence.page, None, "text"),
                    negative=sign < 0,
                )
            )
        prev_end = tok.end()
    return facts
