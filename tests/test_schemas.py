import dataclasses

from conftest import ROOT

from schemas.arrow import TABLES, schema
from schemas.dictionary import dictionary_markdown
from schemas.records import Check, DocumentRow, Fact, LineItem


def test_data_dictionary_is_up_to_date():
    committed = (ROOT / "docs" / "data-dictionary.md").read_text(encoding="utf-8")
    assert committed == dictionary_markdown(), "regenerate: python -m schemas.dictionary > docs/data-dictionary.md"


def test_records_match_arrow_schemas():
    for table, record in zip(TABLES, (DocumentRow, LineItem, Fact, Check), strict=True):
        fields = {f.name for f in dataclasses.fields(record)}
        columns = {f.name for f in schema(table)}
        assert columns == fields, table


def test_money_is_decimal_in_yuan():
    assert str(schema("line_items").field("amount_yuan").type) == "decimal128(20, 2)"
