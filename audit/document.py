"""Entry point of the audit stage."""

from __future__ import annotations

from audit.tables import hierarchy_checks, summary_checks
from normalize.document import NormalizedDocument
from schemas.records import Check


def audit_document(doc: NormalizedDocument) -> list[Check]:
    items = list(doc.line_items)
    unit_of = {t.title: (t.unit or doc.raw.meta.amount_unit or "万元") for t in doc.raw.tables}
    return hierarchy_checks(items, unit_of) + summary_checks(items, unit_of)
