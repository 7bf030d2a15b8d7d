"""Entry point of the audit stage: every identity a document promises, failures as checks."""

from __future__ import annotations

from audit.tables import Identity, column_identities, hierarchy_identities, identity_to_check, summary_identities
from normalize.document import NormalizedDocument
from schemas.records import Check
from schemas.vocab import table_kinds


def document_identities(doc: NormalizedDocument) -> list[Identity]:
    items = list(doc.line_items)
    unit_of = {t.title: (t.unit or doc.raw.meta.amount_unit or "万元") for t in doc.raw.tables}
    kinds = {k.key: k.kind for k in table_kinds()}
    return (
        hierarchy_identities(items, unit_of)
        + column_identities(items, unit_of, kinds)
        + summary_identities(items, unit_of)
    )


def audit_document(doc: NormalizedDocument) -> list[Check]:
    return [identity_to_check(i) for i in document_identities(doc) if not i.holds]
