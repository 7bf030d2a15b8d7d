"""Crash-safe multi-file changes to the store: an intent journal replayed forward.

A change that touches several files (compacting a partition, taking documents out of merged
files before they are reprocessed) is prepared first: every new file is written in full under a
hidden temporary name and flushed to disk. Only then is the journal written, atomically: an
ordered list of renames (temporary -> final) and deletions. Applying it is renames and unlinks
only, and each action can be repeated safely, so a process killed half-way is finished by the
next one that opens the store (:func:`replay`). A crash before the journal exists leaves only
hidden temporary files, which the store sweeps away.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

JOURNAL_NAME = "journal.json"


@dataclass(frozen=True)
class Action:
    """``rename`` moves ``source`` onto ``target``; ``unlink`` deletes ``target``."""

    kind: str  # rename | unlink
    target: str
    source: str | None = None


def journal_path(out: Path) -> Path:
    return out / "_juesuan" / JOURNAL_NAME


def fsync_dir(path: Path) -> None:
    """Make a rename or unlink in ``path`` durable (a no-op where directories cannot be opened)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def commit(out: Path, actions: list[Action]) -> None:
    """Write the journal, apply it, remove it. Every ``rename`` source must be on disk already."""
    if not actions:
        return
    path = journal_path(out)
    if path.exists():  # never overwrite an unfinished journal (recover() normally finished it)
        replay(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    body = [{"kind": a.kind, "target": _rel(out, a.target), "source": _rel(out, a.source)} for a in actions]
    tmp = path.with_name(f".{path.name}.tmp")
    with tmp.open("w", encoding="utf-8") as f:
        json.dump({"actions": body}, f, ensure_ascii=False)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    fsync_dir(path.parent)
    replay(out)


def replay(out: Path) -> int:
    """Finish a journal left by a killed process. Returns the number of actions replayed."""
    path = journal_path(out)
    if not path.exists():
        return 0
    actions = json.loads(path.read_text(encoding="utf-8"))["actions"]
    touched: set[Path] = set()
    for a in actions:
        target = out / a["target"]
        if a["kind"] == "rename":
            source = out / a["source"]
            if source.exists():  # else this rename was done before the crash
                os.replace(source, target)
        elif a["kind"] == "unlink":
            target.unlink(missing_ok=True)
        else:
            raise ValueError(f"unknown journal action {a['kind']!r} in {path}")
        touched.add(target.parent)
    for folder in touched:
        fsync_dir(folder)
    path.unlink()
    fsync_dir(path.parent)
    return len(actions)


def _rel(out: Path, p: str | None) -> str | None:
    # Relative paths keep the journal valid when the whole output folder is moved.
    return None if p is None else os.path.relpath(p, out)
