"""Scoring extracted records against a fixture's ground truth (``*.truth.json``).

A cell matches when table, row (its printed code and its folded label, or the label alone),
column (folded header path) and amount in 元 agree. Facts match on metric, qualifier, code and
value. Both are counted as multisets, so a duplicated cell is a false positive.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from normalize.labels import label_to_canonical, split_glued_code
from normalize.text import match_key


@dataclass(frozen=True)
class Score:
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    def __add__(self, other: Score) -> Score:
        return Score(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)


ZERO = Score(0, 0, 0)


def _row_key(label: str | None, code: str | None) -> str:
    """A row is its printed code and its label (a code glued to the label, '[2040201]行政运行',
    is left out of the label), or its label alone."""
    key = match_key(label_to_canonical(split_glued_code(label or "")[1]))
    return f"{code}|{key}" if code else key


def truth_cell_keys(truth: dict[str, Any]) -> Counter[tuple[str, str, str, Decimal]]:
    keys: Counter[tuple[str, str, str, Decimal]] = Counter()
    for table in truth["tables"]:
        for cell in table["cells"]:
            keys[
                (
                    table["table_key"] or match_key(table["title"]),
                    _row_key(cell["row_label"], cell["code"]),
                    match_key(cell["column_label"]),
                    Decimal(cell["amount_yuan"]),
                )
            ] += 1
    return keys


def item_cell_keys(items: Iterable[Any]) -> Counter[tuple[str, str, str, Decimal]]:
    keys: Counter[tuple[str, str, str, Decimal]] = Counter()
    for it in items:
        keys[
            (
                it.table_key or match_key(it.table_title),
                # The truth records codes as printed; resolved codes are scored elsewhere.
                _row_key(it.row_label_raw, it.code if it.code_match == "printed" else None),
                match_key(it.column_label_raw),
                Decimal(it.amount_yuan),
            )
        ] += 1
    return keys


def _score(truth: Counter[Any], got: Counter[Any]) -> Score:
    tp = sum((truth & got).values())
    return Score(tp, sum(got.values()) - tp, sum(truth.values()) - tp)


def score_cells(truth: dict[str, Any], items: Iterable[Any]) -> dict[str, Score]:
    """Per table key: cells found vs ground truth."""
    t, g = truth_cell_keys(truth), item_cell_keys(items)
    tables = {k[0] for k in t} | {k[0] for k in g}
    return {
        table: _score(Counter({k: v for k, v in t.items() if k[0] == table}),
                      Counter({k: v for k, v in g.items() if k[0] == table}))
        for table in sorted(tables)
    }  # fmt: skip


def missing_cells(truth: dict[str, Any], items: Iterable[Any]) -> tuple[list[Any], list[Any]]:
    """(in truth but not extracted, extracted but not in truth) — for diagnostics."""
    t, g = truth_cell_keys(truth), item_cell_keys(items)
    return sorted((t - g).elements()), sorted((g - t).elements())


def _fact_key(metric: str, qualifier: str, code: str | None, value: Any) -> tuple[str, str, str, Decimal]:
    return (metric, qualifier, code or "", Decimal(str(value)).normalize())


def score_facts(truth: dict[str, Any], facts: Iterable[Any], families: dict[str, str]) -> dict[str, Score]:
    """Per metric family: facts found vs ground truth."""
    t = Counter(_fact_key(f["metric"], f["qualifier"], f["code"], f["value"]) for f in truth["facts"])
    g = Counter(_fact_key(f.metric, f.qualifier, f.code, f.value) for f in facts)
    fams = sorted({families.get(k[0], "other") for k in t} | {families.get(k[0], "other") for k in g})
    return {
        fam: _score(Counter({k: v for k, v in t.items() if families.get(k[0], "other") == fam}),
                    Counter({k: v for k, v in g.items() if families.get(k[0], "other") == fam}))
        for fam in fams
    }  # fmt: skip
