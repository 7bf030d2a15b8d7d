"""Subject phrases of narrative figures and the cue words around them (``extract/data/*.csv``).

``fact_subjects.csv`` maps a phrase ('收、支总计', '国内公务接待', '项目') to metrics per unit kind:
'国内公务接待' is reception_domestic for an amount, reception_batches for 批次 and
reception_person_times for 人次. A row may apply only under a heading (``context``: a regex
over the headings the sentence sits under), may force a qualifier ('预算收入' is a budget) and
may name the metric of the figures it itemises ('人员经费…主要包括：基本工资…').

Three phrases are special: ``<科目>`` is a 科目 chain 'X（类）Y（款）Z（项）', ``<类>`` a class on
its own ('一般公共服务（类）支出'), ``*`` the subject of an amount that names none in a context
(a performance report's '全年预算数为…').
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

CHAIN, CLASS, DEFAULT = "<科目>", "<类>", "*"
_SPECIAL = (CHAIN, CLASS, DEFAULT)


@dataclass(frozen=True)
class SubjectRow:
    phrase: str
    unit: str  # yuan (amounts and their percentages) / count / person / person_time / batch / score
    metrics: tuple[str, ...]
    qualifier: str  # forced qualifier for amounts ('' = from the cue words)
    items: str  # metric of the figures this one itemises ('' = none)
    context: str  # regex the headings must match ('' = anywhere)
    position: str  # before: the phrase precedes its figure; after: it follows ('2个项目')


@dataclass(frozen=True)
class Subject:
    start: int
    end: int
    text: str  # as matched in the sentence
    key: str  # the phrase of the CSV rows ('<科目>' for chains)
    rows: tuple[SubjectRow, ...]  # the rows that apply under the sentence's headings

    def row_for(self, unit: str) -> SubjectRow | None:
        """The row for a figure's unit; percentages belong to the amount's row."""
        wanted = "yuan" if unit == "percent" else unit
        return next((r for r in self.rows if r.unit == wanted), None)


def _read(name: str) -> list[dict[str, str]]:
    text = resources.files("extract").joinpath("data", name).read_text("utf-8")
    return list(csv.DictReader(text.splitlines()))


@cache
def subject_rows() -> tuple[SubjectRow, ...]:
    out = []
    for r in _read("fact_subjects.csv"):
        metrics = tuple(m for m in (r["metric"], r["metric2"]) if m)
        out.append(
            SubjectRow(
                r["phrase"], r["unit"] or "yuan", metrics, r["qualifier"], r["items"], r["context"],
                r["position"] or "before",
            )
        )  # fmt: skip
    return tuple(out)


@cache
def cue_words(role: str) -> tuple[str, ...]:
    """Cue words of one role (down, up, share, completion, budget, actual, prior, trigger, gap), longest first."""
    return tuple(sorted((r["word"] for r in _read("fact_cues.csv") if r["role"] == role), key=len, reverse=True))


@cache
def cue_re(role: str) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(w) for w in cue_words(role)))


@cache
def _rows_by_phrase() -> dict[tuple[str, str], tuple[SubjectRow, ...]]:
    """Subject rows by (phrase, position): every sentence looks up several phrases."""
    out: dict[tuple[str, str], list[SubjectRow]] = {}
    for r in subject_rows():
        out.setdefault((r.phrase, r.position), []).append(r)
    return {k: tuple(v) for k, v in out.items()}


def _applicable(phrase: str, headings: str, position: str = "before") -> tuple[SubjectRow, ...]:
    rows = _rows_by_phrase().get((phrase, position), ())
    return tuple(r for r in rows if not r.context or re.search(r.context, headings))


@cache
def _phrase_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    phrases: dict[str, None] = {}
    for r in subject_rows():
        if r.phrase not in _SPECIAL and r.position == "before":
            phrases[r.phrase] = None
    out = []
    for p in phrases:
        pattern = re.compile(p[3:]) if p.startswith("re:") else re.compile(re.escape(p))
        out.append((p, pattern))
    return tuple(out)


# A 科目 name: Han text without delimiters; '（室）' belongs to names such as 政府办公厅（室）.
_NAME = r"(?:[^\d.，。；：:、,;\s（）()“”\"《》]|（[^（）类款项\d]{1,3}）)"
_CHAIN = re.compile(rf"{_NAME}+?（类）(?:支出)?(?:{_NAME}+?（款）)?(?:{_NAME}+?（项）)?")


_NOTE = re.compile(r"（[^（）]{2,30}）|\([^()]{2,30}\)")


def _chains(text: str, headings: str) -> list[Subject]:
    out = []
    for m in _CHAIN.finditer(text):
        chain = m.group(0)
        key = CHAIN if ("（款）" in chain or "（项）" in chain) else CLASS
        rows = _applicable(key, headings)
        if rows:
            out.append(Subject(m.start(), m.end(), chain, key, rows))
    return out


def find_subjects(text: str, headings: str = "") -> list[Subject]:
    """Non-overlapping subjects of a sentence in order: chains first, then the longest phrases. Pure."""
    candidates: list[tuple[int, Subject]] = [(0, s) for s in _chains(text, headings)]
    for phrase, pattern in _phrase_patterns():
        rows = _applicable(phrase, headings)
        if not rows:
            continue
        for m in pattern.finditer(text):
            if m.end() > m.start():
                candidates.append((1, Subject(m.start(), m.end(), m.group(0), phrase, rows)))
    # A phrase inside a bracketed note ('设备（不含车辆）') is not a subject.
    notes = [(m.start(), m.end()) for m in _NOTE.finditer(text)]
    candidates = [c for c in candidates if not any(a < c[1].start and c[1].end < b for a, b in notes)]
    candidates.sort(key=lambda c: (c[0], -(c[1].end - c[1].start), c[1].start))
    taken = [False] * len(text)
    found: list[Subject] = []
    for _, s in candidates:
        if any(taken[s.start : s.end]):
            continue
        for i in range(s.start, s.end):
            taken[i] = True
        found.append(s)
    return sorted(found, key=lambda s: s.start)


def default_subject(headings: str) -> Subject | None:
    """The subject of an amount that names none, under these headings (or None)."""
    rows = _applicable(DEFAULT, headings)
    return Subject(0, 0, "", DEFAULT, rows) if rows else None


def after_subject(text_after: str, unit: str, headings: str) -> SubjectRow | None:
    """A phrase right after a count ('2个项目开展了…', '2个专项预算项目…') that names what is counted."""
    head = re.split(r"[，。；：、,;:]", text_after, maxsplit=1)[0][:8]
    for r in subject_rows():
        if r.position != "after" or r.unit != unit or r.phrase not in head:
            continue
        if not r.context or re.search(r.context, headings):
            return r
    return None
