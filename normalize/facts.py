"""Raw narrative facts -> canonical facts: values in 元 or as printed, 科目 codes resolved."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from normalize.amounts import to_yuan
from normalize.resolve import Resolver
from schemas.raw import RawDocument, RawFact
from schemas.records import Fact

_FACT_UNITS = {
    "%": "percent",
    "个百分点": "percent",
    "人次": "person_time",
    "人": "person",
    "名": "person",
    "批次": "batch",
    "批": "batch",
    "分": "score",
}


def fact_to_canonical(raw: RawDocument, fact: RawFact, resolver: Resolver | None = None) -> Fact | None:
    """A raw fact with its value in 元 (amounts) or as printed (percent, counts). Pure."""
    try:
        number = Decimal(fact.value_raw.replace(",", ""))
    except InvalidOperation:
        return None
    if fact.negative:
        number = -number
    if fact.unit_raw in ("万元", "亿元", "千元", "元"):
        value, unit = to_yuan(number, fact.unit_raw), "yuan"
    else:
        value, unit = number, _FACT_UNITS.get(fact.unit_raw, "count")
    return Fact(
        doc_id=raw.doc_id,
        fiscal_year=raw.meta.fiscal_year,
        department=raw.meta.department,
        metric=fact.metric,
        qualifier=fact.qualifier,
        code=_fact_code(fact, resolver),
        subject_raw=fact.subject_raw,
        value=value,
        unit=unit,
        page=fact.page,
        section=fact.section,
        sentence=fact.sentence,
        value_raw=f"{fact.value_raw}{fact.unit_raw}",
    )


def _fact_code(fact: RawFact, resolver: Resolver | None) -> str | None:
    """The 科目 a sentence names as 'X（类）Y（款）Z（项）', resolved; None when unsure."""
    if resolver is None or "（类）" not in fact.subject_raw:
        return None
    return resolver.resolve_chain(fact.subject_raw).code
