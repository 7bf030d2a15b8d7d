"""Sentences -> raw facts: every figure with its metric, qualifier, subject and page.

A sentence is read figure by figure (``extract.figures``). A figure's subject is, in order:

1. in an itemisation ('人员经费83.07万元，主要包括：基本工资27.04万元、…'), the item's own name,
   under the metric the itemised figure names (basic_expenditure_item, reception_item, the 类
   of a structure sentence);
2. a subject phrase (``extract/data/fact_subjects.csv``) in the figure's clause with nothing but
   cue words between ('公务接待费支出决算为0.43万元', '收、支总计各减少17.36万元'); a phrase after
   占 is a denominator, not a subject;
3. when the words before it are only cue words ('，下降11.5%', '，占85.4%', '年初预算为…'),
   the subject of the figure before it in the sentence, else the subject the sentence's block
   stated a figure for ('1.一般公共服务（类）信访事务（款）行政运行（项）。年初预算为…'), else the
   default subject of the section (an amount in a performance report);
4. a phrase right after a count ('2个项目开展了…');
5. otherwise the figure is kept as metric ``mention`` with the words before it as its subject.

The qualifier comes from the cue words between the subject (or the previous figure) and the
figure (``extract/data/fact_cues.csv``): the last of 减少/下降 or 增加/增长 decides yoy_change or
yoy_pct and the sign; 占 → share_pct, 完成/执行率 → completion_pct, 预算 → budget, 上年…数为 →
prior_year, else actual (count for counted units; budget throughout a 预算 document). Amounts are
kept as printed: a unit slip ('152.17元' where 万元 was meant) stays a 元 figure with its printed
value, for the audit to compare with its siblings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache

from extract.figures import Figure, find_figures
from extract.narrative import Sentence
from extract.subjects import (
    CHAIN,
    Subject,
    SubjectRow,
    after_subject,
    cue_re,
    cue_words,
    default_subject,
    find_subjects,
)
from schemas.raw import RawFact
from schemas.records import Provenance
from schemas.vocab import read_rows

_CLAUSE = re.compile(r"[，；。：:,;]")
_CLAUSE_BREAK = re.compile(r"[，；。,;]")
_PAREN = re.compile(r"（[^（）]{0,24}）|\([^()]{0,24}\)")
_DATES = re.compile(r"\d{4}\s*年(度)?|\d{1,2}\s*-\s*\d{1,2}\s*月|\d{1,2}\s*月(\d{1,2}\s*日)?|截至|截止")
_LIST_MARK = re.compile(
    r"^\s*(\d{1,2}\s*[.、．](?!\d)|[（(][\d一二三四五六七八九十]{1,3}[)）]|[一二三四五六七八九十]是)\s*"
)
# '比上年…', '较2022年度…': what follows 比/较 is compared with, '与上年相比' compares.
_DENOMINATOR = re.compile(r"(?<!相)[比较]$")
_CLASS_NAME = re.compile(r"支出$|（类）")
_LEVEL_MARK = re.compile(r"（[类款项]）")
_LEAD_VERB = re.compile(r"^\s*(主要是|其中)?\s*(减少|增加|压减|新增|下降|增长)")
_JOINT_RATES = re.compile(r"^([\u4e00-\u9fff]{1,8}[率度])(、[\u4e00-\u9fff]{1,8}[率度])+$")
_REASON = re.compile(r"(?:主要)?原因(?:是|为|：|:|在于)|主要是由于|主要是因为")
# '上年决算数为…', '2022年度支出为…': a prior-year figure ('上年结转' is a source of funds, not one).
_PRIOR_TAIL = r"\s*(同期)?(年初|全年)?(预算|决算|执行|实际)?(支出|收入)?(数|为|是)"
# How each counted unit is qualified when no change word is present.
_COUNTED = {"count", "person", "person_time", "batch"}


@dataclass(frozen=True)
class _Assigned:
    """What a figure was attributed to: metrics, subject text and how (for the next figures)."""

    metrics: tuple[str, ...]
    subject_raw: str
    qualifier: str = ""  # forced by the subject row ('预算收入' is a budget)
    subject: Subject | None = None  # a phrase subject: re-read for a figure of another unit
    items: str = ""  # metric of the figures this one itemises
    item_unit: str = ""  # unit of an item assignment (an item carries over only to its own unit)


@cache
def _metric_rows() -> dict[str, dict[str, str]]:
    return {r["key"]: r for r in read_rows("metrics.csv")}


def _metric_unit(metric: str) -> str:
    return _metric_rows().get(metric, {}).get("unit", "")


def _economic(metric: str) -> bool:
    return _metric_rows().get(metric, {}).get("code_kind", "") == "economic"


@cache
def _gap_re() -> re.Pattern[str]:
    return re.compile("|".join(re.escape(w) for w in cue_words("gap")))


def cue_only(text: str) -> bool:
    """True when ``text`` holds nothing but cue words, dates, brackets and punctuation. Pure."""
    t = text.split("占")[0]  # '占本年支出合计的' names the denominator, not the subject
    t = _PAREN.sub("", t)
    t = _DATES.sub("", t)
    t = _gap_re().sub("", t)
    return not re.search(r"[\u4e00-\u9fff]", t)


def _strip_subject(clause: str) -> str:
    """The name in a clause: list marks, dates, lead words and trailing cue words removed."""
    s = _LIST_MARK.sub("", clause.strip())
    s = _DATES.sub("", s).strip()
    s = re.split(r"主要包括|具体内容包括|包括|其中|划分为|分别为|分别是|主要用于", s)[-1]
    s = s.strip(" ：:，,、")
    while True:
        m = re.search(r"(均为|各为|共计|合计|累计|总数|为|是|达到|达|约|共|计)$", s)
        if not m or m.start() == 0:
            break
        s = s[: m.start()]
    return s.strip()


def _after_text(text: str, end: int) -> str:
    """The words right after a figure, up to the next delimiter or number ('6个乡镇和7个…' -> 乡镇和)."""
    return re.split(r"[，。；：、,;:\d]", text[end:], maxsplit=1)[0][:16].strip()


def _unit_row(subject: Subject | None, figure: Figure) -> SubjectRow | None:
    return subject.row_for(figure.unit) if subject is not None else None


def _from_subject(subject: Subject, row: SubjectRow) -> _Assigned:
    return _Assigned(row.metrics, subject.text, row.qualifier, subject, row.items)


def _adjacent(subjects: list[Subject], text: str, lo: int, at: int, unit: str) -> Subject | None:
    """The nearest subject between ``lo`` and a figure at ``at``, with only cue words in between."""
    before = [s for s in subjects if lo <= s.start and s.end <= at and s.row_for(unit)]
    # '占本年支出合计的99.8%', '占一般公共预算项目支出总额的100%': a subject after 占 is the denominator.
    before = [
        s
        for s in before
        if "占" not in re.split(_CLAUSE, text[lo : s.start])[-1] and not _DENOMINATOR.search(text[: s.start])
    ]
    # A subject and its figure share a clause: in '…的基本支出和项目支出，比上年增加241.21万元' the
    # increase belongs to the sentence's subject, not to the last phrase before the comma.
    if not before or not cue_only(text[before[-1].end : at]) or _CLAUSE_BREAK.search(text[before[-1].end : at]):
        return None
    found = before[-1]
    # '“三公”经费财政拨款支出预算为…': a phrase made of cue words only ('财政拨款支出') describes the
    # subject right before it.
    if len(before) > 1 and cue_only(found.text) and cue_only(text[before[-2].end : found.start]):
        return before[-2]
    return found


def _item(head: _Assigned, seg: str, adjacent: Subject | None, figure: Figure) -> _Assigned | None:
    """A listed item ('基本工资27.04万元') under the figure that itemises it, or None."""
    unit = "yuan" if figure.unit == "percent" else figure.unit
    if _metric_unit(head.items) != unit:
        return None
    name = _strip_subject(re.split(r"[，；。：、,;:]", seg)[-1])
    if not name or cue_only(name):
        return None  # '，占85.4%' follows the item, it names none
    kind = _metric_rows()[head.items].get("code_kind")
    if (kind == "class" and not _CLASS_NAME.search(name)) or (kind == "chain" and not _LEVEL_MARK.search(name)):
        return None  # a list of 类 names ('…支出', '…（类）') or of 科目 ('…（项）'); '单位预留机动经费' is none
    row = adjacent.row_for(figure.unit) if adjacent is not None else None
    # A phrase that itemises in turn ('…；公用经费2266.65万元，主要包括') is no item; nor is a known
    # phrase in a list of 类 ('其中：基本支出…'), while in a list of 经济分类 names the name wins
    # ('公用经费…主要包括：…公务接待费0.43万元' is item 30217, not the “三公” figure).
    if row is not None and (row.items or not _economic(head.items)):
        return None
    return _Assigned((head.items,), name, item_unit=unit)


def _carry(prev: _Assigned | None, figure: Figure) -> _Assigned | None:
    """The previous figure's subject, re-read for this figure's unit."""
    if prev is None:
        return None
    if prev.subject is not None:
        row = prev.subject.row_for(figure.unit)
        return _Assigned(row.metrics, prev.subject_raw, "", prev.subject, row.items) if row else None
    if prev.item_unit and ("yuan" if figure.unit == "percent" else figure.unit) == prev.item_unit:
        return prev
    return None


def _context_subject(sentence: Sentence, headings: str, figure: Figure) -> _Assigned | None:
    """The subject the block named before this sentence: its last 科目 chain, else the last subject
    of a figure ('1.一般公共服务（类）支出20153.75万元，主要用于…基本支出和项目支出。与上年相比增加…'
    continues the 类, not the 项目支出 of the explanation)."""
    context = sentence.context
    if not context:
        return None
    found = [s for s in find_subjects(context, headings) if s.row_for(figure.unit)]
    chains = [s for s in found if s.key == CHAIN]
    starts = [f.start for f in find_figures(context)]
    stated = [s for s in found if any(_adjacent([s], context, s.start, start, figure.unit) for start in starts)]
    pick = chains[-1] if chains else (stated[-1] if stated else None)
    if pick is None:
        return None
    row = pick.row_for(figure.unit)
    return _from_subject(pick, row) if row else None


def _qualifier(figure: Figure, cue: str, forced: str, sentence: Sentence) -> tuple[str, bool]:
    """(qualifier, negative) from the cue words before a figure."""
    fiscal_year = sentence.fiscal_year
    down = max((m.start() for m in cue_re("down").finditer(cue)), default=-1)
    up = max((m.start() for m in cue_re("up").finditer(cue)), default=-1)
    if down >= 0 or up >= 0:
        negative = down > up  # the last change word before the figure decides
        if figure.unit == "percent":
            return "yoy_pct", negative
        return "yoy_change", negative
    if figure.unit == "percent":
        if cue_re("completion").search(cue):
            return "completion_pct", False
        return "share_pct", False
    if figure.unit in _COUNTED:
        return "count", False
    if figure.unit != "yuan":
        return "actual", False
    if forced:
        return forced, False
    if re.search(f"({cue_re('prior').pattern}){_PRIOR_TAIL}", cue) or (
        fiscal_year and re.search(rf"{fiscal_year - 1}\s*年度?{_PRIOR_TAIL}", cue)
    ):
        return "prior_year", False
    budget = cue_re("budget").search(cue)
    if budget and not cue_re("actual").search(cue[budget.end() :]):
        return "budget", False
    # A 预算 document states budgets unless it says otherwise ('上年执行数').
    if sentence.report_kind == "预算" and not cue_re("actual").search(cue):
        return "budget", False
    return "actual", False


def stated_reason(sentence: Sentence) -> str:
    """The reason a sentence (or the next one in its block) gives for its figures, or ''. Pure."""
    for text in (sentence.text, sentence.following):
        m = _REASON.search(text)
        if m and (text is sentence.following or not find_figures(text[m.end() :])):
            return text[m.end() :].strip(" ：:，。")
    return ""


def _assign(
    sentence: Sentence,
    headings: str,
    subjects: list[Subject],
    figure: Figure,
    lo: int,
    prev: _Assigned | None,
    governing: tuple[_Assigned, int] | None,
) -> tuple[_Assigned, str]:
    """(assignment, cue text) of one figure; ``lo`` is where the previous figure ended."""
    text = sentence.text
    seg = text[lo : figure.start]
    clause = re.split(_CLAUSE, seg)[-1]
    adjacent = _adjacent(subjects, text, lo, figure.start, figure.unit)
    if figure.threshold:
        subject_raw = _strip_subject(clause) + figure.printed + _after_text(text, figure.end)
        return _Assigned(("mention",), subject_raw), seg
    # Itemisation: the figures after '主要包括：' under a figure whose subject itemises.
    if governing is not None and cue_re("trigger").search(text[governing[1] : figure.start]):
        item = _item(governing[0], seg, adjacent, figure)
        if item is not None:
            return item, clause
    if adjacent is not None:
        row = adjacent.row_for(figure.unit)
        assert row is not None
        got = _from_subject(adjacent, row)
        lead = re.split(_CLAUSE, text[lo : adjacent.start])[-1]
        if row.unit != "yuan":
            # '部级领导干部用车0辆', '编报绩效目标的项目4个': the counted kind is the whole name.
            got = replace(got, subject_raw=_strip_subject(lead + adjacent.text) or got.subject_raw)
        # The cue is what stands between subject and figure; a change verb heading the clause counts too
        # ('主要是减少在职人员1名'), while change words inside a name do not ('能力提升项目自评得分91分').
        verb = _LEAD_VERB.match(lead)
        return got, (verb.group(0) if verb else "") + " " + text[adjacent.end : figure.start]
    # '其中当年财政拨款898万元' is a part of the figure before it, not more of the same.
    part = "其中" in clause
    if cue_only(clause) and not part and (carried := _carry(prev, figure)) is not None:
        return carried, seg
    if cue_only(clause) and not part:
        found = _context_subject(sentence, headings, figure) if prev is None else None
        if found is None and figure.unit in ("yuan", "percent"):
            default = default_subject(headings)
            row = _unit_row(default, figure)
            if default is not None and row is not None:
                found = _Assigned(row.metrics, _strip_subject(clause) or "", row.qualifier, default)
        if found is not None:
            return found, seg
    after = after_subject(text[figure.end :], figure.unit, headings)
    if after is not None:
        return _Assigned(after.metrics, _strip_subject(clause) + _after_text(text, figure.end)), clause
    name = _strip_subject(clause)
    if len(re.findall(r"[\u4e00-\u9fff]", name)) < 2:
        name = (name + _after_text(text, figure.end)).strip()  # '对6个乡镇' names 乡镇 after the figure
    joint = _JOINT_RATES.match(name) if figure.unit == "percent" else None
    if joint:
        return _Assigned(("mention",) * (name.count("、") + 1), name), clause
    return _Assigned(("mention",), name), clause


def sentence_to_facts(sentence: Sentence, file: str) -> list[RawFact]:
    """Every figure of one sentence as raw facts. Pure."""
    text = sentence.text
    figures = find_figures(text)
    if not figures:
        return []
    headings = " ".join(sentence.headings) or sentence.section
    subjects = find_subjects(text, headings)
    facts: list[RawFact] = []
    prev: _Assigned | None = None
    governing: tuple[_Assigned, int] | None = None
    lo = 0
    reason = stated_reason(sentence)
    for figure in figures:
        got, cue = _assign(sentence, headings, subjects, figure, lo, prev, governing)
        qualifier, negative = _qualifier(figure, cue, got.qualifier, sentence)
        # '办结率、满意率100%': one figure stated for several rates, one mention each.
        joint = got.metrics[0] == "mention" and len(got.metrics) > 1
        names = got.subject_raw.split("、") if joint else [got.subject_raw] * len(got.metrics)
        for metric, name in zip(got.metrics, names, strict=True):
            facts.append(
                RawFact(
                    metric=metric,
                    qualifier=qualifier,
                    subject_raw=name,
                    value_raw=figure.number,
                    unit_raw=figure.unit_raw,
                    page=sentence.page_at(figure.start),
                    section=sentence.section,
                    sentence=text,
                    prov=Provenance(file, sentence.page_at(figure.start), None, "text"),
                    negative=negative and qualifier in ("yoy_change", "yoy_pct"),
                    reason=reason,
                )
            )
        if got.items:
            governing = (got, figure.end)
        prev, lo = got, figure.end
    return facts
