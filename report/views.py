"""DuckDB views over the dataset: only rows of committed documents are visible."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa

from schemas.arrow import TABLES, schema

_DUCK_TYPES = {
    pa.string(): "VARCHAR",
    pa.int32(): "INTEGER",
    pa.int64(): "BIGINT",
    pa.float64(): "DOUBLE",
    pa.date32(): "DATE",
    pa.bool_(): "BOOLEAN",
}


def _duck_type(t: pa.DataType) -> str:
    if pa.types.is_decimal(t):
        return f"DECIMAL({t.precision},{t.scale})"
    if pa.types.is_timestamp(t):
        return "TIMESTAMPTZ"
    return _DUCK_TYPES[t]


def _empty_select(table: str) -> str:
    cols = ", ".join(f"CAST(NULL AS {_duck_type(f.type)}) AS {f.name}" for f in schema(table))
    return f"SELECT {cols} WHERE false"


def connect(data: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection with views documents, line_items, facts, checks."""
    con = duckdb.connect()
    for table in TABLES:
        files = list((data / table).glob("fiscal_year=*/*.parquet"))
        if files:
            pattern = str(data / table / "fiscal_year=*" / "*.parquet").replace("'", "''")
            source = f"SELECT * FROM read_parquet('{pattern}', hive_partitioning=true, union_by_name=true)"
        else:
            source = _empty_select(table)
        con.execute(f"CREATE VIEW raw_{table} AS {source}")
    con.execute("CREATE VIEW documents AS SELECT * FROM raw_documents")
    for table in ("line_items", "facts", "checks"):
        con.execute(
            f"CREATE VIEW {table} AS SELECT * FROM raw_{table} WHERE doc_id IN (SELECT doc_id FROM raw_documents)"
        )
    return con


def has_dataset(data: Path) -> bool:
    """Whether ``data`` looks like a dataset folder (``juesuan run`` creates documents/ first)."""
    return (data / "documents").is_dir()
