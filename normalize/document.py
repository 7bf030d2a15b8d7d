"""Entry point of the normalize stage: RawDocument -> canonical line items and facts."""

from __future__ import annotations

from dataclasses import dataclass

from normalize.facts import fact_to_canonical
from normalize.lines import document_resolver, table_to_line_items
from normalize.region import department_to_region
from schemas.raw import RawDocument
from schemas.records import Fact, LineItem, Region


@dataclass(frozen=True)
class NormalizedDocument:
    raw: RawDocument
    region: Region
    line_items: tuple[LineItem, ...]
    facts: tuple[Fact, ...]


def normalize_document(raw: RawDocument) -> NormalizedDocument:
    # The document's own printed code/name pairs teach the narrative and the rows printed without codes.
    resolver = document_resolver(raw)
    items: list[LineItem] = []
    for table in raw.tables:
        items.extend(table_to_line_items(raw, table, raw.meta.amount_unit, resolver))
    facts = [f for f in (fact_to_canonical(raw, rf, resolver) for rf in raw.facts) if f is not None]
    # The title page and the first pages may name the province or city a district name needs.
    region = department_to_region(raw.meta.department or "", "\n".join(p.text for p in raw.pages_text[:3]))
    return NormalizedDocument(raw=raw, region=region, line_items=tuple(items), facts=tuple(facts))
