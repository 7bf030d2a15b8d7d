"""Headless Chromium driven over the DevTools protocol on a pipe (--remote-debugging-pipe).

No websocket library and no browser download: Debian's ``chromium`` reads protocol messages
(JSON, each ending with a NUL byte) on its file descriptor 3 and answers on 4. The page is
opened with a phone-sized viewport; every network request, console message, log entry and
uncaught exception is recorded.
"""

from __future__ import annotations

import base64
import json
import os
import queue
import shutil
import signal
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "chrome")
TIMEOUT = 60.0
PHONE = {"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": True}


def find_chromium() -> str | None:
    """JUESUAN_CHROMIUM, else the first browser on PATH."""
    env = os.environ.get("JUESUAN_CHROMIUM")
    if env:
        return env if Path(env).exists() else None
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


@dataclass
class PageRecord:
    requests: list[str] = field(default_factory=list)
    console: list[tuple[str, str]] = field(default_factory=list)  # (type, text)
    log: list[tuple[str, str, str]] = field(default_factory=list)  # (level, source, text)
    exceptions: list[str] = field(default_factory=list)

    def errors(self) -> list[str]:
        out = [f"console.{kind}: {text}" for kind, text in self.console if kind in ("error", "assert")]
        out += [f"log {level} ({source}): {text}" for level, source, text in self.log if level == "error"]
        out += [f"exception: {text}" for text in self.exceptions]
        return out


class Browser:
    """One headless Chromium process; use as a context manager."""

    def __init__(self, executable: str, profile: Path) -> None:
        self.executable, self.profile = executable, profile
        self._next_id = 0
        self._replies: dict[int, queue.Queue[dict[str, Any]]] = {}
        self._events: queue.Queue[dict[str, Any]] = queue.Queue()
        self._lock = threading.Lock()

    def __enter__(self) -> Browser:
        # Pipe ends above fd 10 so the dup2 onto 3 and 4 in the child cannot clobber them.
        to_child_r, to_child_w = os.pipe()
        from_child_r, from_child_w = os.pipe()
        import fcntl

        child_in = fcntl.fcntl(to_child_r, fcntl.F_DUPFD_CLOEXEC, 10)
        child_out = fcntl.fcntl(from_child_w, fcntl.F_DUPFD_CLOEXEC, 10)
        os.close(to_child_r)
        os.close(from_child_w)
        log = os.open(self.profile / "chromium.log", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        devnull = os.open(os.devnull, os.O_RDONLY)
        args = [
            self.executable,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-default-apps",
            "--disable-extensions",
            "--no-first-run",
            "--no-default-browser-check",
            "--mute-audio",
            "--remote-debugging-pipe",
            f"--user-data-dir={self.profile}",
            "about:blank",
        ]
        self.pid = os.posix_spawn(
            self.executable,
            args,
            os.environ,
            file_actions=[
                (os.POSIX_SPAWN_DUP2, devnull, 0),
                (os.POSIX_SPAWN_DUP2, log, 1),
                (os.POSIX_SPAWN_DUP2, log, 2),
                (os.POSIX_SPAWN_DUP2, child_in, 3),
                (os.POSIX_SPAWN_DUP2, child_out, 4),
            ],
            setsid=True,
        )
        for fd in (child_in, child_out, log, devnull):
            os.close(fd)
        self._write = to_child_w
        self._read = from_child_r
        self._reader = threading.Thread(target=self._read_loop, daemon=True)
        self._reader.start()
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self.send("Browser.close", timeout=10)
        except Exception:
            pass
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            pid, _ = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                break
            time.sleep(0.1)
        else:
            os.killpg(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        os.close(self._write)
        os.close(self._read)

    def _read_loop(self) -> None:
        buffer = b""
        while True:
            try:
                chunk = os.read(self._read, 1 << 16)
            except OSError:
                return
            if not chunk:
                return
            buffer += chunk
            while b"\0" in buffer:
                raw, buffer = buffer.split(b"\0", 1)
                message = json.loads(raw)
                if "id" in message:
                    with self._lock:
                        box = self._replies.get(message["id"])
                    if box is not None:
                        box.put(message)
                else:
                    self._events.put(message)

    def send(
        self, method: str, params: dict[str, Any] | None = None, session: str | None = None, timeout: float = TIMEOUT
    ) -> dict[str, Any]:
        with self._lock:
            self._next_id += 1
            ident = self._next_id
            box: queue.Queue[dict[str, Any]] = queue.Queue()
            self._replies[ident] = box
        message: dict[str, Any] = {"id": ident, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._write, json.dumps(message).encode() + b"\0")
        reply = box.get(timeout=timeout)
        if "error" in reply:
            raise RuntimeError(f"{method}: {reply['error']}")
        return reply.get("result", {})

    def open(self, url: str, record: PageRecord, viewport: dict[str, Any] = PHONE) -> str:
        """Open ``url`` in a new tab with ``viewport``, wait for its load event; returns the session id."""
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.send(f"{domain}.enable", session=session)
        self.send("Emulation.setDeviceMetricsOverride", viewport, session=session)
        self._drain(record, session)
        self.send("Page.navigate", {"url": url}, session=session)
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            event = self._events.get(timeout=max(0.1, deadline - time.monotonic()))
            self._note(event, record, session)
            if event.get("sessionId") == session and event.get("method") == "Page.loadEventFired":
                break
        else:
            raise TimeoutError(f"{url} did not load")
        time.sleep(0.3)  # let late console messages and requests arrive
        self._drain(record, session)
        return session

    def _drain(self, record: PageRecord, session: str) -> None:
        while True:
            try:
                self._note(self._events.get_nowait(), record, session)
            except queue.Empty:
                return

    @staticmethod
    def _note(event: dict[str, Any], record: PageRecord, session: str) -> None:
        if event.get("sessionId") != session:
            return
        method, params = event.get("method"), event.get("params", {})
        if method == "Network.requestWillBeSent":
            record.requests.append(params["request"]["url"])
        elif method == "Runtime.consoleAPICalled":
            text = " ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", []))
            record.console.append((params.get("type", ""), text))
        elif method == "Runtime.exceptionThrown":
            details = params.get("exceptionDetails", {})
            record.exceptions.append(details.get("exception", {}).get("description") or details.get("text", ""))
        elif method == "Log.entryAdded":
            entry = params.get("entry", {})
            record.log.append((entry.get("level", ""), entry.get("source", ""), entry.get("text", "")))

    def evaluate(self, session: str, expression: str) -> Any:
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True}, session=session)
        if "exceptionDetails" in result:
            raise RuntimeError(f"evaluation failed: {result['exceptionDetails']}")
        return result["result"].get("value")

    def screenshot(self, session: str, path: Path) -> None:
        """A PNG of the whole page (beyond the viewport)."""
        size = self.send("Page.getLayoutMetrics", session=session)["cssContentSize"]
        clip = {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1}
        data = self.send(
            "Page.captureScreenshot",
            {"format": "png", "clip": clip, "captureBeyondViewport": True},
            session=session,
        )["data"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data))
