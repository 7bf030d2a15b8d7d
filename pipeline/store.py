"""The Parquet store: ``DIR/<table>/fiscal_year=YYYY/<file>.parquet``, hive-partitioned.

Two kinds of file live in a partition folder: a document's own file (``<doc_id[:24]>.parquet``,
written by a run) and a merged file (``part-<token>.parquet``, written by ``juesuan compact``).

A document's rows become visible together: its line_items, facts and checks files are written
first (each atomically: a hidden temporary file, flushed, then renamed), the documents row last.
The documents row is the commit marker; readers (``report``) only see rows of committed
documents. Opening the store for writing (:func:`recover`) finishes a journal left by a killed
multi-file change (:mod:`pipeline.journal`), removes the files of documents that never committed
and sweeps temporary files, so a rerun after ``kill -9`` converges without duplicates.
"""

from __future__ import annotations

import dataclasses
import os
import secrets
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipeline import journal
from schemas.arrow import TABLES, schema
from schemas.records import DocumentResult

PARTITION = "fiscal_year"
NULL_PARTITION = "__HIVE_DEFAULT_PARTITION__"
DATA_TABLES = ("line_items", "facts", "checks")
MERGED_PREFIX = "part-"
# Rows per row group of a merged file: large enough for fast scans, small enough to stream.
ROW_GROUP_ROWS = 128_000


def partition_dir(out: Path, table: str, year: int | None) -> Path:
    return out / table / f"{PARTITION}={year if year is not None else NULL_PARTITION}"


def file_schema(table: str) -> pa.Schema:
    """The schema of a file of ``table``: the table's schema without the partition column."""
    full = schema(table)
    return pa.schema([f for f in full if f.name != PARTITION])


def records_to_arrow(records: Iterable[Any], table: str) -> pa.Table:
    """Records (dataclasses) -> an Arrow table of ``table``'s schema without the partition column."""
    target = file_schema(table)
    columns: dict[str, list[Any]] = {n: [] for n in target.names}
    for rec in records:
        values = dataclasses.asdict(rec)
        for n in target.names:
            columns[n].append(values.get(n))
    return pa.table(columns, schema=target)


def temp_path(path: Path) -> Path:
    """The hidden temporary name of ``path``: invisible to ``*.parquet`` globs and to pyarrow."""
    return path.with_name(f".{path.name}.{os.getpid()}.tmp")


def write_parquet(table: pa.Table, path: Path) -> None:
    """Write ``table`` to ``path`` in full and flush it to disk (the caller renames it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as f:
        pq.write_table(table, f, compression="zstd")
        f.flush()
        os.fsync(f.fileno())


def _write_atomic(table: pa.Table, path: Path) -> None:
    tmp = temp_path(path)
    write_parquet(table, tmp)
    os.replace(tmp, path)


def document_file_name(doc_id: str) -> str:
    return f"{doc_id[:24]}.parquet"


def is_merged(path: Path) -> bool:
    return path.name.startswith(MERGED_PREFIX)


def new_merged_name() -> str:
    return f"{MERGED_PREFIX}{secrets.token_hex(8)}.parquet"


def table_files(out: Path, table: str) -> list[Path]:
    """Every visible file of ``table``, sorted."""
    return sorted((out / table).glob(f"{PARTITION}=*/*.parquet"))


def remove_document(out: Path, doc_id: str) -> None:
    """Delete a document's own files (documents first: it is uncommitted before its rows go)."""
    name = document_file_name(doc_id)
    for table in TABLES:
        for path in (out / table).glob(f"{PARTITION}=*/{name}"):
            path.unlink()


def write_result(out: Path, result: DocumentResult) -> None:
    """Commit one document: its data files, then its documents row (the commit marker)."""
    doc = result.document
    remove_document(out, doc.doc_id)
    year = doc.fiscal_year
    name = document_file_name(doc.doc_id)
    for table, records in (
        ("line_items", result.line_items),
        ("facts", result.facts),
        ("checks", result.checks),
    ):
        if records:
            _write_atomic(records_to_arrow(records, table), partition_dir(out, table, year) / name)
    # Last: the commit marker.
    _write_atomic(records_to_arrow([doc], "documents"), partition_dir(out, "documents", year) / name)


@dataclass(frozen=True)
class Committed:
    """One committed document: its documents row (only the columns asked for) and its file."""

    row: dict[str, Any]
    file: Path

    @property
    def merged(self) -> bool:
        return is_merged(self.file)


def _read_columns(path: Path, columns: list[str] | None) -> list[dict[str, Any]]:
    pf = pq.ParquetFile(path)
    names = pf.schema_arrow.names
    wanted = names if columns is None else [c for c in columns if c in names]
    rows: list[dict[str, Any]] = pf.read(columns=wanted).to_pylist()
    return rows


def read_index(out: Path, columns: list[str] | None = None) -> dict[str, Committed]:
    """doc_id -> :class:`Committed` for every committed document (threads: many small files)."""
    files = table_files(out, "documents")
    index: dict[str, Committed] = {}
    with ThreadPoolExecutor(max_workers=8) as pool:
        for path, rows in zip(files, pool.map(lambda p: _read_columns(p, columns), files), strict=True):
            for row in rows:
                index.setdefault(row["doc_id"], Committed(row, path))
    return index


def committed(out: Path) -> dict[str, dict[str, Any]]:
    """doc_id -> documents row (as a dict) for every committed document."""
    return {doc_id: c.row for doc_id, c in read_index(out).items()}


def recover(out: Path) -> list[str]:
    """Bring a store left by a killed process back to a clean state. Returns what was removed.

    Order matters: the journal first (it may still rename temporary files into place), then the
    files of documents that never committed, then leftover temporary files.
    """
    journal.replay(out)
    return remove_uncommitted(out)


def remove_uncommitted(out: Path, committed_ids: Iterable[str] | None = None) -> list[str]:
    """Delete a document's own data files when its documents row is missing (a killed run).

    Merged files hold committed documents only: compaction merges committed rows, and taking a
    document out of merged files goes through the journal, which :func:`recover` finishes first.
    ``committed_ids`` saves reading the documents files again when the caller has just done so.
    """
    ids = read_index(out, ["doc_id"]) if committed_ids is None else committed_ids
    done = {document_file_name(d) for d in ids}
    removed = []
    for table in DATA_TABLES:
        for path in table_files(out, table):
            if not is_merged(path) and path.name not in done:
                path.unlink()
                removed.append(str(path))
    for path in [*out.glob("*/*/.*.tmp"), *out.glob("_juesuan/.*.tmp")]:
        path.unlink()
        removed.append(str(path))
    return removed


def conform(batch: pa.RecordBatch | pa.Table, target: pa.Schema) -> pa.Table:
    """Give rows written under an older schema the current one: missing columns become null."""
    table = pa.Table.from_batches([batch]) if isinstance(batch, pa.RecordBatch) else batch
    columns = []
    for field in target:
        if field.name in table.column_names:
            col = table.column(field.name)
            columns.append(col if col.type == field.type else col.cast(field.type))
        else:
            columns.append(pa.nulls(len(table), field.type))
    return pa.Table.from_arrays(columns, schema=target)


def merged_schema(table: str, sources: list[Path]) -> pa.Schema:
    """The current file schema plus any column an older file has that it lacks (kept, not dropped).

    A column some source lacks becomes nullable: its rows from that source are null.
    """
    target = file_schema(table)
    for path in sources:
        have = pq.read_schema(path)
        for field in have:
            if field.name not in target.names and field.name != PARTITION:
                target = target.append(field.with_nullable(True))
        for i, field in enumerate(target):
            if field.name not in have.names and not field.nullable:
                target = target.set(i, field.with_nullable(True))
    return target


def iter_rows(sources: list[Path], target: pa.Schema, drop: set[str] | None = None) -> Iterator[pa.Table]:
    """Stream the rows of ``sources`` in the ``target`` schema, leaving out documents in ``drop``."""
    drop_set = pa.array(sorted(drop), pa.string()) if drop else None
    for path in sources:
        for batch in pq.ParquetFile(path).iter_batches(batch_size=ROW_GROUP_ROWS):
            table = conform(batch, target)
            if drop_set is not None:
                table = table.filter(pc.invert(pc.is_in(table.column("doc_id"), value_set=drop_set)))
            if table.num_rows:
                yield table


def write_stream(tables: Iterable[pa.Table], target: pa.Schema, path: Path) -> int:
    """Write streamed tables to ``path`` in row groups of ~ROW_GROUP_ROWS, flushed. Returns rows."""
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = 0
    buffer: list[pa.Table] = []
    buffered = 0
    with path.open("wb") as f:
        with pq.ParquetWriter(f, target, compression="zstd") as writer:
            for table in tables:
                buffer.append(table)
                buffered += table.num_rows
                if buffered >= ROW_GROUP_ROWS:
                    writer.write_table(pa.concat_tables(buffer), row_group_size=ROW_GROUP_ROWS)
                    rows += buffered
                    buffer, buffered = [], 0
            if buffer:
                writer.write_table(pa.concat_tables(buffer), row_group_size=ROW_GROUP_ROWS)
                rows += buffered
        f.flush()
        os.fsync(f.fileno())
    return rows


def _doc_ids_in(path: Path) -> set[str]:
    return set(pq.read_table(path, columns=["doc_id"]).column("doc_id").to_pylist())


def take_out_of_merged(out: Path, doc_ids: set[str]) -> int:
    """Remove documents from merged files before they are reprocessed. Returns files rewritten.

    The documents files are rewritten first, so the documents are uncommitted before their rows
    leave the other tables; the whole change goes through the journal, so a kill at any moment
    is finished by the next :func:`recover`.
    """
    if not doc_ids:
        return 0
    actions: list[journal.Action] = []
    for table in TABLES:  # documents first
        for path in table_files(out, table):
            if not is_merged(path) or not (_doc_ids_in(path) & doc_ids):
                continue
            target = merged_schema(table, [path])
            tmp = temp_path(path)
            if write_stream(iter_rows([path], target, drop=doc_ids), target, tmp):
                actions.append(journal.Action("rename", str(path), str(tmp)))
            else:
                tmp.unlink()
                actions.append(journal.Action("unlink", str(path)))
    journal.commit(out, actions)
    return len(actions)
