"""Arrow schemas of the four tables, built from ``schemas/data/fields.csv``."""

from __future__ import annotations

from functools import cache

import pyarrow as pa

from schemas.vocab import read_rows

TABLES = ("documents", "line_items", "facts", "checks")

# Money is decimal128(20,2) in 元: exact to the fen whatever unit the document printed.
MONEY = pa.decimal128(20, 2)
# Facts also hold percentages and scores printed with more decimals (e.g. 91.41%).
FACT_VALUE = pa.decimal128(20, 4)

_TYPES: dict[str, pa.DataType] = {
    "string": pa.string(),
    "int32": pa.int32(),
    "int64": pa.int64(),
    "float64": pa.float64(),
    "date32": pa.date32(),
    "timestamp": pa.timestamp("us", tz="UTC"),
    "bool": pa.bool_(),
}


@cache
def schema(table: str) -> pa.Schema:
    """The Arrow schema of one of the four tables."""
    if table not in TABLES:
        raise KeyError(f"unknown table {table!r}; expected one of {TABLES}")
    fields = []
    for row in read_rows("fields.csv"):
        if row["table"] != table:
            continue
        if row["type"] == "decimal":
            dtype = FACT_VALUE if table == "facts" else MONEY
        else:
            dtype = _TYPES[row["type"]]
        fields.append(
            pa.field(
                row["name"],
                dtype,
                nullable=row["nullable"] == "true",
                metadata={"description": row["description"]},
            )
        )
    return pa.schema(fields)


def field_names(table: str) -> list[str]:
    return [f.name for f in schema(table)]
