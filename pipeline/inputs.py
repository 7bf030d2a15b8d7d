"""What a run reads: paths, folders and glob patterns -> files -> distinct documents.

A document is its bytes: the same bytes at two paths are one document (its ``doc_id`` is the
sha256 of the bytes). The first path in input order becomes the documents row's ``source_path``;
every path is kept in the paths ledger (:mod:`pipeline.ledger`).
"""

from __future__ import annotations

import glob
import hashlib
import os
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

PDF_SUFFIX = ".pdf"
_CHUNK = 1 << 20


@dataclass(frozen=True)
class InputScan:
    """Files found, in input order without repeats, and the arguments that found nothing."""

    files: tuple[Path, ...]
    missing: tuple[str, ...] = ()  # literal paths that do not exist
    unmatched: tuple[str, ...] = ()  # glob patterns that matched nothing


@dataclass(frozen=True)
class DocumentGroup:
    """One distinct document: its doc_id (None when unreadable), first path and other paths."""

    doc_id: str | None
    path: Path
    aliases: tuple[Path, ...] = field(default=())

    @property
    def paths(self) -> tuple[Path, ...]:
        return (self.path, *self.aliases)


def _walk_pdfs(folder: Path) -> Iterator[Path]:
    """Every *.pdf (any case) under ``folder``, recursively, in a stable sorted order."""
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files):
            if name.lower().endswith(PDF_SUFFIX):
                yield Path(root) / name


def _expand(arg: str) -> tuple[list[Path], bool]:
    """(files, is_pattern). A path that exists is taken literally, even with [ or * in its name."""
    path = Path(arg)
    if path.is_dir():
        return list(_walk_pdfs(path)), False
    if path.exists():
        return [path], False
    if not glob.has_magic(arg):
        return [], False
    found: list[Path] = []
    for match in sorted(glob.glob(arg, recursive=True)):
        p = Path(match)
        found.extend(_walk_pdfs(p) if p.is_dir() else [p])
    return found, True


def scan_inputs(args: Iterable[str | Path]) -> InputScan:
    """Expand files, folders (recursive *.pdf) and glob patterns (``**`` allowed) in order."""
    files: list[Path] = []
    seen: set[str] = set()
    missing: list[str] = []
    unmatched: list[str] = []
    for arg in args:
        found, is_pattern = _expand(str(arg))
        if not found and not Path(arg).exists():
            (unmatched if is_pattern else missing).append(str(arg))
        for p in found:
            key = os.path.realpath(p)
            if key not in seen:
                seen.add(key)
                files.append(p)
    return InputScan(tuple(files), tuple(missing), tuple(unmatched))


def hash_file(path: Path) -> str | None:
    """sha256 of the file's bytes, or None when it cannot be read."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as f:
            while chunk := f.read(_CHUNK):
                digest.update(chunk)
    except OSError:
        return None
    return digest.hexdigest()


def group_documents(files: Iterable[Path], threads: int = 4) -> list[DocumentGroup]:
    """Hash files (in threads: hashlib releases the GIL) and group equal bytes, in input order."""
    files = list(files)
    with ThreadPoolExecutor(max_workers=threads) as pool:
        hashes = list(pool.map(hash_file, files))
    order: list[str | Path] = []
    first: dict[str, Path] = {}
    aliases: dict[str, list[Path]] = {}
    for path, doc_id in zip(files, hashes, strict=True):
        if doc_id is None:
            order.append(path)
        elif doc_id in first:
            aliases[doc_id].append(path)
        else:
            first[doc_id] = path
            aliases[doc_id] = []
            order.append(doc_id)
    return [
        DocumentGroup(None, key) if isinstance(key, Path) else DocumentGroup(key, first[key], tuple(aliases[key]))
        for key in order
    ]
