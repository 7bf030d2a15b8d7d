"""Tolerance follows printed precision, not a fixed constant.

A sum of n figures each rounded to 0.01 can differ from the printed total by up to
(n + 1) × 0.005 in the printed unit.
"""

from __future__ import annotations

from decimal import Decimal

from normalize.amounts import parse_amount, to_yuan


def rounding_tolerance_yuan(raw_values: list[str], unit: str) -> Decimal:
    """Largest difference that rounding of these printed values can explain, in 元."""
    half_steps = Decimal(0)
    for raw in raw_values:
        amount = parse_amount(raw)
        decimals = amount.decimals if amount else 2
        half_steps += Decimal(5) * Decimal(10) ** (-(decimals + 1))
    return to_yuan(half_steps, unit) + Decimal("0.01")
