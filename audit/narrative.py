"""The narrative against the tables and against itself.

- narrative vs tables: each stated figure with a table counterpart (``data/narrative_table.csv``);
- stated percentages recomputed from the stated figures: shares (``data/shares.csv``), completion
  rates (决算 / 预算) and year-on-year rates (change / (figure − change));
- counts that should add up ("共174件，其中人大建议62件，政协提案109件");
- unit slips: a figure printed in 元 where the sentence and the arithmetic say 万元;
- empty tables (政府性基金, 国有资本经营) that the text does not explain.
Tolerances follow printed precision: '6%' covers [5.5%, 6.5%), '44.2万元' covers ±0.05 万元.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from decimal import Decimal
from functools import cache
from importlib import resources

from audit.lookup import find_items, total_of
from audit.precision import half_step, half_step_yuan, printed_unit
from audit.tolerance import rounding_tolerance_yuan
from schemas.raw import RawTable
from schemas.records import Check, Fact, LineItem

# '共174件，其中…62件，…109件' and '核定编制120名，其中行政编制45名、事业编制72名'.
_COUNT = re.compile(r"(?:共(?:计)?)?(\d+)(件|个|项|人|名|次|批|期|份|条)[，,：:]?其中[：:，,]?([^。；]*)")
_EMPTY_TABLES = {"gov_fund": "政府性基金", "state_capital_income_expenditure": "国有资本经营",
                 "state_capital_expenditure": "国有资本经营"}  # fmt: skip
_HUNDRED = Decimal(100)


@cache
def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files("audit").joinpath("data", name).read_text("utf-8")
    return list(csv.DictReader(text.splitlines()))


def _check(fact: Fact, check: str, severity: str, message: str, expected: Decimal | None, location: str) -> Check:
    return Check(
        doc_id=fact.doc_id, fiscal_year=fact.fiscal_year, check=check, severity=severity, message=message,
        expected=None if expected is None else f"{expected:.2f}", actual=f"{fact.value:.2f}",
        page=fact.page, location=location, evidence=fact.sentence,
    )  # fmt: skip


def unit_slips(facts: list[Fact], doc_unit: str | None) -> list[Fact]:
    """Facts printed in 元 that the sentence's own arithmetic says are 万元.

    '全年预算数为152.17元，支出决算数为132.96万元，完成全年预算数的87.4%': the budget is a 万元
    figure printed as 元 — its counterpart in the sentence (same metric and 科目) is ~10 000 times
    larger, and the stated rate fits only when it is read in 万元. Itemised small amounts in 元
    ('全市一季度综合督查1083元') have no such counterpart and are left alone.
    """
    if doc_unit != "万元":
        return []
    slips = []
    for f in facts:
        if f.unit != "yuan" or printed_unit(f.value_raw) != "元" or abs(f.value) >= 10000 or f.value == 0:
            continue
        peers = [
            g for g in facts
            if g.sentence == f.sentence and g is not f and g.metric == f.metric and g.code == f.code
        ]  # fmt: skip
        counterparts = [
            g for g in peers
            if g.unit == "yuan" and printed_unit(g.value_raw) == "万元" and g.value
            and g.qualifier in ("actual", "budget", "prior_year")
        ]  # fmt: skip
        if any(
            abs(f.value) / abs(g.value) < Decimal("0.01") and Decimal("0.2") <= abs(f.value) * 10000 / abs(g.value) <= 5
            for g in counterparts
        ):
            slips.append(f)
    return slips


def narrative_vs_tables(
    facts: list[Fact], items: list[LineItem], unit_of: dict[str, str], skip: set[int]
) -> list[Check]:
    out = []
    for rule in _rows("narrative_table.csv"):
        for f in facts:
            if id(f) in skip or f.metric != rule["metric"] or f.qualifier != rule["qualifier"] or f.unit != "yuan":
                continue
            if rule["row"] == "code" and not f.code:
                continue
            hits = find_items(items, rule["table_key"], rule["row"], rule["column"], f.code)
            if not hits:
                continue
            table_value = total_of(hits)
            unit = unit_of.get(hits[0].table_title, "万元")
            tol = half_step_yuan(f.value_raw) + rounding_tolerance_yuan([h.value_raw for h in hits], unit)
            if abs(table_value - f.value) > tol:
                first = hits[0]
                table = first.table_number_raw or first.table_key
                where = f"{table} {first.code or first.row_label} / {first.column_label_raw}"
                message = f"正文所述{f.subject_raw}（{f.value_raw}）与表中数（{hits[0].value_raw}，{where}）不一致"
                out.append(_check(f, "narrative.vs_table", "error", message, table_value, where))
    return out


def _within(stated: Decimal, stated_raw: str, low: Decimal, high: Decimal) -> bool:
    half = half_step(stated_raw)
    return low - half <= stated <= high + half


def _ratio_bounds(num: Fact, den: Fact) -> tuple[Decimal, Decimal] | None:
    hn, hd = half_step_yuan(num.value_raw), half_step_yuan(den.value_raw)
    if den.value - hd <= 0:
        return None
    low = (abs(num.value) - hn) / (den.value + hd) * _HUNDRED
    high = (abs(num.value) + hn) / (den.value - hd) * _HUNDRED
    return low, high


def _peer(group: list[Fact], f: Fact, qualifier: str) -> Fact | None:
    return next((g for g in group if g.metric == f.metric and g.code == f.code and g.qualifier == qualifier), None)


def stated_rates(facts: list[Fact], skip: set[int]) -> list[Check]:
    """Shares, completion rates and year-on-year rates recomputed from the stated figures."""
    out = []
    by_sentence: dict[str, list[Fact]] = defaultdict(list)
    for f in facts:
        by_sentence[f.sentence].append(f)
    actual = {(f.metric, f.code): f for f in facts if f.qualifier == "actual" and f.unit == "yuan"}
    denominators = {r["metric"]: r["denominator"] for r in _rows("shares.csv")}
    for f in facts:
        if f.unit != "percent" or id(f) in skip:
            continue
        group = by_sentence[f.sentence]
        num = den = None
        if f.qualifier == "share_pct" and f.metric in denominators:
            num = actual.get((f.metric, f.code))
            den = actual.get((denominators[f.metric], None))
        elif f.qualifier == "completion_pct":
            num = next(
                (g for g in group if g.metric == f.metric and g.code == f.code and g.qualifier == "actual"), None
            )
            den = next(
                (g for g in group if g.metric == f.metric and g.code == f.code and g.qualifier == "budget"), None
            )
        elif f.qualifier == "yoy_pct":
            change = next(
                (g for g in group if g.metric == f.metric and g.code == f.code and g.qualifier == "yoy_change"), None
            )
            now = actual.get((f.metric, f.code))
            if change is not None and now is not None and id(change) not in skip:
                prior = Fact(**{**now.__dict__, "value": now.value - change.value, "value_raw": now.value_raw})
                num, den = change, prior
        if num is None or den is None or id(num) in skip or id(den) in skip:
            continue
        bounds = _ratio_bounds(num, den)
        if bounds is None or _within(abs(f.value), f.value_raw, *bounds):
            continue
        expected = (abs(num.value) / den.value * _HUNDRED).quantize(Decimal("0.01"))
        message = f"正文所述{f.subject_raw}的比例{f.value_raw}与所述数字推算的{expected}%不符"
        out.append(_check(f, "narrative.rate", "warning", message, expected, f.section))
    return out


def count_sums(facts: list[Fact]) -> list[Check]:
    """'共N件，其中A件，B件' where A + B ≠ N."""
    out = []
    seen: set[str] = set()
    for f in facts:
        if f.sentence in seen:
            continue
        seen.add(f.sentence)
        for m in _COUNT.finditer(f.sentence.replace(" ", "")):
            total, unit, rest = int(m.group(1)), m.group(2), m.group(3)
            parts = [int(n) for n in re.findall(rf"(\d+)(?:余|多)?{unit}", rest)]
            if len(parts) >= 2 and sum(parts) != total:
                message = f"共{total}{unit}，但其中各项合计为{sum(parts)}{unit}（{' + '.join(map(str, parts))}）"
                out.append(Check(
                    doc_id=f.doc_id, fiscal_year=f.fiscal_year, check="narrative.count_sum", severity="warning",
                    message=message, expected=str(total), actual=str(sum(parts)), page=f.page,
                    location=f.section, evidence=m.group(0),
                ))  # fmt: skip
    return out


def empty_tables(tables: list[RawTable], facts: list[Fact], text: str, doc_id: str, year: int | None) -> list[Check]:
    """An empty 政府性基金 / 国有资本经营 table must be explained (a note, a zero, or 无…)."""
    out = []
    for t in tables:
        if t.table_key not in _EMPTY_TABLES or t.rows:
            continue
        if any(n.startswith("empty-table note") for n in t.notes):
            continue
        topic = _EMPTY_TABLES[t.table_key]
        explained = any(topic in f.subject_raw and f.value == 0 for f in facts) or bool(
            re.search(rf"(无|未|没有)[^。]{{0,20}}{topic}|{topic}[^。]{{0,30}}(为0|为零|0万元|无)", text)
        )
        if not explained:
            out.append(Check(
                doc_id=doc_id, fiscal_year=year, check="narrative.empty_table", severity="warning",
                message=f"{t.title}为空表，但正文和表注均未说明原因", expected=None, actual=None,
                page=t.pages[0] if t.pages else None, location=t.number_raw or t.title, evidence=t.title,
            ))  # fmt: skip
    return out


def slip_checks(slips: list[Fact]) -> list[Check]:
    out = []
    for f in slips:
        message = f"正文所述{f.subject_raw}印为“{f.value_raw}”，同句其他金额以万元计，疑为“万元”之误"
        out.append(_check(f, "narrative.unit_slip", "error", message, f.value * 10000, f.section))
    return out
