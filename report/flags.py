"""Which audit findings touch a figure, so a comparison marks the rows a reader should distrust.

A finding touches a table figure when it names the figure's 科目 code (in its location or its
evidence) on a page of the figure; it touches a narrative figure when it is on the figure's page
and its evidence is part of the figure's sentence, or it quotes the figure as printed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import duckdb

from normalize.text import fold_text
from report.figures import Figure


@dataclass(frozen=True)
class AuditMark:
    """The audit state of one compared figure."""

    doc_errors: int  # documents.n_checks_failed
    touching: tuple[str, ...]  # ids of error checks touching the figure

    def label(self) -> str:
        """'' when clean; else what is wrong, short enough for a table cell."""
        if self.touching:
            return "figure: " + ", ".join(sorted(set(self.touching)))
        if self.doc_errors:
            return f"document: {self.doc_errors} error{'s' if self.doc_errors != 1 else ''}"
        return ""


def error_checks(con: duckdb.DuckDBPyConnection) -> dict[str, list[dict[str, Any]]]:
    """doc_id -> its checks of severity error."""
    cur = con.execute("SELECT * FROM checks WHERE severity = 'error'")
    names = [d[0] for d in cur.description or []]
    out: dict[str, list[dict[str, Any]]] = {}
    for row in cur.fetchall():
        rec = dict(zip(names, row, strict=True))
        out.setdefault(rec["doc_id"], []).append(rec)
    return out


def _names_code(check: dict[str, Any], code: str) -> bool:
    text = f"{check.get('location') or ''} {check.get('evidence') or ''}"
    return re.search(rf"(?<!\d){re.escape(code)}(?!\d)", text) is not None


def _squash(text: str) -> str:
    """Folded text without spaces: the extracted sentence and a finding's evidence may differ in
    the spaces an exporter put between numbers and Han characters."""
    return fold_text(text).replace(" ", "")


def check_touches(check: dict[str, Any], fig: Figure) -> bool:
    """Whether one finding is about this figure. Pure."""
    page = check.get("page")
    on_page = page is None or page in fig.pages
    if fig.source == "table":
        if not on_page:
            return False
        if fig.code is not None:
            return _names_code(check, fig.code)
        # An uncoded row (合计): the finding's location names the same table, row and column.
        location = _squash(check.get("location") or "")
        return bool(location) and any(location == _squash(e) for e in fig.evidence)
    if not on_page:
        return False
    evidence = _squash(check.get("evidence") or "")
    if evidence and any(evidence in _squash(s) for s in fig.evidence):
        return True
    quoted = _squash(f"{check.get('evidence') or ''} {check.get('location') or ''}")
    # A printed figure quoted in the finding ('152.17元'), not a longer number ending with it.
    return any(r and re.search(rf"(?<![\d.]){re.escape(_squash(r))}", quoted) for r in fig.raw)


def audit_mark(fig: Figure | None, doc: dict[str, Any], checks: list[dict[str, Any]]) -> AuditMark:
    """The audit mark of a figure of document ``doc`` given the document's error checks. Pure."""
    touching = tuple(c["check"] for c in checks if fig is not None and check_touches(c, fig))
    return AuditMark(int(doc.get("n_checks_failed") or 0), touching)
