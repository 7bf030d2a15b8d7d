"""Raw narrative facts -> canonical facts: values in 元 or as printed, 科目 and 经济分类 codes resolved.

The code a fact carries depends on its metric (``code_kind`` in ``schemas/data/metrics.csv``):
``chain`` — the 科目 a sentence names as 'X（类）Y（款）Z（项）' (7-digit code); ``class`` — a 类
named on its own ('一般公共服务（类）支出' → 201); ``economic`` — a 基本支出 item ('基本工资' →
30101). Names printed with the small variations narratives use ('教育（类）' for 教育支出, '其他交通费'
for 其他交通费用, ``normalize/data/fact_name_variants.csv``) are tried after the printed name; when
no single code fits, the code is None, never a guess.
"""

from __future__ import annotations

import csv
import re
from decimal import Decimal
from functools import cache
from importlib import resources

from normalize.amounts import parse_amount, to_yuan
from normalize.fact_units import unit_of
from normalize.resolve import Resolution, Resolver
from schemas.raw import RawDocument, RawFact
from schemas.records import Fact
from schemas.vocab import read_rows

_APPROX = re.compile(r"^(余|多)")


@cache
def _code_kinds() -> dict[str, str]:
    return {r["key"]: r.get("code_kind", "") for r in read_rows("metrics.csv")}


@cache
def _variants(kind: str) -> tuple[tuple[str, str], ...]:
    text = resources.files("normalize").joinpath("data", "fact_name_variants.csv").read_text("utf-8")
    return tuple((r["suffix"], r["replacement"]) for r in csv.DictReader(text.splitlines()) if r["kind"] == kind)


def name_variants(name: str, kind: str) -> list[str]:
    """The printed name first, then its suffix variants ('教育' -> '教育支出'). Pure."""
    out = [name]
    for suffix, replacement in _variants(kind):
        if name.endswith(suffix) and not name.endswith(replacement):
            out.append(name[: len(name) - len(suffix)] + replacement)
    return out


def fact_value(fact: RawFact) -> tuple[Decimal, str] | None:
    """(value, unit) of a raw fact: amounts in 元, counts times their printed factor ('72万册'). Pure."""
    amount = parse_amount(fact.value_raw)
    unit = unit_of(_APPROX.sub("", fact.unit_raw))
    if amount is None or unit is None:
        return None
    number = -amount.value if fact.negative else amount.value
    if unit.unit == "yuan":
        return to_yuan(number, unit.printed), "yuan"
    return number * (unit.factor or 1), unit.unit


def fact_to_canonical(raw: RawDocument, fact: RawFact, resolver: Resolver | None = None) -> Fact | None:
    """A raw fact with its value in 元 (amounts) or as printed (percent, counts). Pure."""
    got = fact_value(fact)
    if got is None:
        return None
    value, unit = got
    return Fact(
        doc_id=raw.doc_id,
        fiscal_year=raw.meta.fiscal_year,
        department=raw.meta.department,
        metric=fact.metric,
        qualifier=fact.qualifier,
        code=fact_code(fact.metric, fact.subject_raw, resolver),
        subject_raw=fact.subject_raw,
        value=value,
        unit=unit,
        page=fact.page,
        section=fact.section,
        sentence=fact.sentence,
        value_raw=f"{fact.value_raw}{fact.unit_raw}",
        reason=fact.reason,
    )


def _first(resolutions: list[Resolution]) -> str | None:
    return next((r.code for r in resolutions if r.code), None)


def _class_name(subject: str) -> str:
    """'卫生健康支出（类）支出' -> '卫生健康支出'; '一般公共服务（类）' -> '一般公共服务'."""
    name = subject.replace("（类）", "")
    while name.endswith("支出支出"):
        name = name[:-2]
    return name


def fact_code(metric: str, subject: str, resolver: Resolver | None) -> str | None:
    """The code a fact's subject names, per the metric's code kind; None when unsure. Pure."""
    kind = _code_kinds().get(metric, "")
    if resolver is None or not kind:
        return None
    if kind == "chain":
        chains = [subject]
        m = re.match(r"^(?P<cls>[^（]+)（类）", subject)
        if m:
            chains += [v + "（类）" + subject[m.end() :] for v in name_variants(m.group("cls"), "class")[1:]]
        return _first([resolver.resolve_chain(c) for c in chains])
    if kind == "class":
        return _first([resolver.resolve(n, level="类") for n in name_variants(_class_name(subject), "class")])
    if kind == "economic":
        return _first([resolver.resolve(n, parent="3", level="款") for n in name_variants(subject, "economic")])
    return None
