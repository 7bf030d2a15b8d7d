from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from normalize.amounts import parse_amount, to_yuan, unit_from_text


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1,234.56", "1234.56"),
        ("１２３．４", "123.4"),
        ("0.00", "0.00"),
        ("-", "0"),
        ("—", "0"),
        ("-12.30", "-12.30"),
        ("△3.2", "-3.2"),
        ("（3.2）", "-3.2"),
        ("10,096.054007", "10096.054007"),
    ],
)
def test_parse_amount(text, value):
    amount = parse_amount(text)
    assert amount is not None
    assert amount.value == Decimal(value)
    assert amount.raw == text


@pytest.mark.parametrize("text", ["", "abc", "1,23", "12.3.4", "(3.2", "公开01表"])
def test_not_amounts(text):
    assert parse_amount(text) is None


def test_to_yuan_units():
    assert to_yuan(Decimal("133.28"), "万元") == Decimal("1332800.00")
    assert to_yuan(Decimal("10096.054007"), "万元") == Decimal("100960540.07")
    assert to_yuan(Decimal("1.5"), "亿元") == Decimal("150000000.00")
    with pytest.raises(ValueError):
        to_yuan(Decimal(1), "美元")


def test_unit_line():
    assert unit_from_text("单位：万元") == "万元"
    assert unit_from_text("金额单位: 元") == "元"
    assert unit_from_text("公开01表") is None


@given(st.decimals(min_value=Decimal("-1e12"), max_value=Decimal("1e12"), places=2, allow_nan=False))
def test_thousands_separated_round_trip(value):
    text = f"{value:,.2f}"
    parsed = parse_amount(text)
    assert parsed is not None and parsed.value == value
