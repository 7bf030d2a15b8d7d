"""Entry point of the audit stage: every identity a document promises, failures as checks."""

from __future__ import annotations

from audit.cross import cross_table_checks
from audit.narrative import count_sums, empty_tables, narrative_vs_tables, slip_checks, stated_rates, unit_slips
from audit.tables import Identity, column_identities, hierarchy_identities, identity_to_check, summary_identities
from normalize.document import NormalizedDocument
from schemas.records import Check
from schemas.vocab import table_kinds


def _unit_of(doc: NormalizedDocument) -> dict[str, str]:
    return {t.title: (t.unit or doc.raw.meta.amount_unit or "万元") for t in doc.raw.tables}


def document_identities(doc: NormalizedDocument) -> list[Identity]:
    items = list(doc.line_items)
    unit_of = _unit_of(doc)
    kinds = {k.key: k.kind for k in table_kinds()}
    return (
        hierarchy_identities(items, unit_of)
        + column_identities(items, unit_of, kinds)
        + summary_identities(items, unit_of)
    )


def audit_document(doc: NormalizedDocument) -> list[Check]:
    items = list(doc.line_items)
    facts = list(doc.facts)
    unit_of = _unit_of(doc)
    checks = [identity_to_check(i) for i in document_identities(doc) if not i.holds]
    checks += cross_table_checks(items, unit_of)
    slips = unit_slips(facts, doc.raw.meta.amount_unit)
    skip = {id(f) for f in slips}
    checks += slip_checks(slips)
    checks += narrative_vs_tables(facts, items, unit_of, skip)
    checks += stated_rates(facts, skip)
    checks += count_sums(facts)
    text = "".join(p.text for p in doc.raw.pages_text).replace(" ", "")
    checks += empty_tables(list(doc.raw.tables), facts, text, doc.raw.doc_id, doc.raw.meta.fiscal_year)
    return checks
