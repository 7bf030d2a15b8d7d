"""One writer per output folder: an advisory lock on ``DIR/.juesuan.lock``.

The lock is ``flock`` on a file that stays in place: the kernel drops it when the owner exits,
however it exits (kill -9 included), so a lock left by a dead process is simply not held and the
next run takes it over without guessing from pids. The owner's pid and start time are written
into the file only so that the message naming the other run can say who it is.
"""

from __future__ import annotations

import fcntl
import os
import socket
from datetime import UTC, datetime
from pathlib import Path

LOCK_NAME = ".juesuan.lock"


class OutputLocked(Exception):
    """Another run holds the output folder."""


class Lock:
    """``with Lock(out):`` holds the output folder or raises :class:`OutputLocked` at once."""

    def __init__(self, out: Path) -> None:
        self.path = out / LOCK_NAME
        self._fd: int | None = None

    def __enter__(self) -> Lock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            owner = holder(self.path)
            os.close(fd)
            who = f" ({owner})" if owner else ""
            raise OutputLocked(
                f"{self.path.parent} is being written by another juesuan run{who}; "
                "wait for it to finish or write to another folder"
            ) from None
        # Taken (a lock file left by a dead run is not held, so it is taken over here).
        os.ftruncate(fd, 0)
        stamp = datetime.now(UTC).isoformat(timespec="seconds")
        os.write(fd, f"pid {os.getpid()} on {socket.gethostname()} since {stamp}\n".encode())
        self._fd = fd
        return self

    def __exit__(self, *exc: object) -> None:
        # The file stays: unlinking a flock'ed file lets two later runs lock two different inodes.
        if self._fd is not None:
            os.ftruncate(self._fd, 0)
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None


def holder(path: Path) -> str:
    """What the lock file says about its owner ('' when unreadable)."""
    try:
        return path.read_text(encoding="utf-8").strip()
    except OSError:
        return ""


def is_locked(out: Path) -> bool:
    """True while some process holds the lock on ``out`` (for tests and status checks)."""
    path = out / LOCK_NAME
    if not path.exists():
        return False
    fd = os.open(path, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False
