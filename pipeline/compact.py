"""Merge the many small files of a store into one file per table and partition.

Content does not change: the same rows, in the same schema, only fewer files. Per partition the
merged files are written in full under hidden temporary names first; the swap is then one
journal (:mod:`pipeline.journal`) applied in the order that keeps the commit marker meaningful:

1. the partition's old documents files are deleted (its documents are uncommitted for a moment,
   so readers never see a row twice);
2. each data table's merged file is renamed into place and its old files deleted;
3. the merged documents file is renamed into place last: the documents are committed again.

A kill at any moment is finished by the next run or compaction (``store.recover``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from pipeline import journal
from pipeline.store import (
    DATA_TABLES,
    iter_rows,
    merged_schema,
    new_merged_name,
    read_index,
    table_files,
    temp_path,
    write_stream,
)


@dataclass
class CompactSummary:
    partitions: int = 0
    files_before: int = 0
    files_after: int = 0
    rows: dict[str, int] = field(default_factory=dict)


def _by_partition(out: Path, table: str) -> dict[str, list[Path]]:
    groups: dict[str, list[Path]] = defaultdict(list)
    for path in table_files(out, table):
        groups[path.parent.name].append(path)
    return groups


def compact(out: Path, min_files: int = 2) -> CompactSummary:
    """Merge every partition where some table has at least ``min_files`` files. Needs the lock."""
    summary = CompactSummary()
    committed_ids = set(read_index(out, ["doc_id"]))
    files = {table: _by_partition(out, table) for table in ("documents", *DATA_TABLES)}
    partitions = sorted({p for groups in files.values() for p in groups})
    for partition in partitions:
        if max(len(files[t].get(partition, [])) for t in files) < min_files:
            continue
        summary.partitions += 1
        actions: list[journal.Action] = []
        docs_action: list[journal.Action] = []
        for table in (*DATA_TABLES, "documents"):
            sources = files[table].get(partition, [])
            if not sources:
                continue
            summary.files_before += len(sources)
            target = merged_schema(table, sources)
            final = sources[0].parent / new_merged_name()
            tmp = temp_path(final)
            # Rows of a document that never committed stay out (recover has removed them already;
            # this keeps a merged file from ever holding one).
            rows = write_stream(_committed_rows(sources, target, committed_ids), target, tmp)
            summary.rows[table] = summary.rows.get(table, 0) + rows
            unlinks = [journal.Action("unlink", str(p)) for p in sources]
            rename: list[journal.Action] = []
            if rows:
                summary.files_after += 1
                rename = [journal.Action("rename", str(final), str(tmp))]
            else:
                tmp.unlink()
            if table == "documents":
                docs_action = rename
                actions = unlinks + actions
            else:
                actions += [*rename, *unlinks]
        actions += docs_action
        journal.commit(out, actions)
    return summary


def _committed_rows(sources: list[Path], target: pa.Schema, committed_ids: set[str]) -> Iterator[pa.Table]:
    keep = pa.array(sorted(committed_ids), pa.string())
    for table in iter_rows(sources, target):
        filtered = table.filter(pc.is_in(table.column("doc_id"), value_set=keep))
        if filtered.num_rows:
            yield filtered
