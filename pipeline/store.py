"""The Parquet store: hive-partitioned by fiscal_year, one file per document and table.

A document's rows become visible together: its line_items, facts and checks files are
written first (each atomically: temp file + rename), the documents row last. The documents
row is the commit marker; readers (``report``) only see rows of committed documents, and a
rerun removes files left by a document that never committed.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from schemas.arrow import TABLES, schema
from schemas.records import DocumentResult

PARTITION = "fiscal_year"
NULL_PARTITION = "__HIVE_DEFAULT_PARTITION__"


def _partition_dir(out: Path, table: str, year: int | None) -> Path:
    return out / table / f"{PARTITION}={year if year is not None else NULL_PARTITION}"


def records_to_arrow(records: Iterable[Any], table: str) -> pa.Table:
    """Records (dataclasses) -> an Arrow table of ``table``'s schema without the partition column."""
    full = schema(table)
    names = [f.name for f in full if f.name != PARTITION]
    columns: dict[str, list[Any]] = {n: [] for n in names}
    for rec in records:
        values = dataclasses.asdict(rec)
        for n in names:
            columns[n].append(values.get(n))
    file_schema = pa.schema([full.field(n) for n in names])
    return pa.table(columns, schema=file_schema)


def _write_atomic(table: pa.Table, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    pq.write_table(table, tmp, compression="zstd")
    os.replace(tmp, path)


def _file_name(doc_id: str) -> str:
    return f"{doc_id[:24]}.parquet"


def remove_document(out: Path, doc_id: str) -> None:
    """Delete every file of one document (before rewriting it, or when it never committed)."""
    name = _file_name(doc_id)
    for table in TABLES:
        for path in (out / table).glob(f"{PARTITION}=*/{name}"):
            path.unlink()


def write_result(out: Path, result: DocumentResult) -> None:
    doc = result.document
    remove_document(out, doc.doc_id)
    year = doc.fiscal_year
    name = _file_name(doc.doc_id)
    for table, records in (
        ("line_items", result.line_items),
        ("facts", result.facts),
        ("checks", result.checks),
    ):
        if records:
            _write_atomic(records_to_arrow(records, table), _partition_dir(out, table, year) / name)
    # Last: the commit marker.
    _write_atomic(records_to_arrow([doc], "documents"), _partition_dir(out, "documents", year) / name)


def committed(out: Path) -> dict[str, dict[str, Any]]:
    """doc_id -> documents row (as a dict) for every committed document."""
    out_docs: dict[str, dict[str, Any]] = {}
    for path in sorted((out / "documents").glob(f"{PARTITION}=*/*.parquet")):
        for row in pq.read_table(path).to_pylist():
            out_docs[row["doc_id"]] = row
    return out_docs


def remove_uncommitted(out: Path) -> list[str]:
    """Delete files of documents whose documents row is missing (a killed run). Returns names."""
    done = {_file_name(d) for d in committed(out)}
    removed = []
    for table in ("line_items", "facts", "checks"):
        for path in (out / table).glob(f"{PARTITION}=*/*.parquet"):
            if path.name not in done:
                path.unlink()
                removed.append(str(path))
    for path in out.glob("*/*/.*.tmp"):
        path.unlink()
        removed.append(str(path))
    return removed
