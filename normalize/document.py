"""Entry point of the normalize stage: RawDocument -> canonical line items and facts."""

from __future__ import annotations

from dataclasses import dataclass

from normalize.facts import fact_to_canonical
from normalize.lines import table_to_line_items
from normalize.resolve import Resolver
from schemas.raw import RawDocument
from schemas.records import Fact, LineItem, Region


@dataclass(frozen=True)
class NormalizedDocument:
    raw: RawDocument
    region: Region
    line_items: tuple[LineItem, ...]
    facts: tuple[Fact, ...]


def normalize_document(raw: RawDocument) -> NormalizedDocument:
    items: list[LineItem] = []
    for table in raw.tables:
        items.extend(table_to_line_items(raw, table, raw.meta.amount_unit))
    # The document's own printed code/name pairs teach the narrative.
    pairs = {(i.code, i.row_label) for i in items if i.code and i.code_match == "printed"}
    resolver = Resolver(raw.meta.fiscal_year, sorted(pairs))
    facts = [f for f in (fact_to_canonical(raw, rf, resolver) for rf in raw.facts) if f is not None]
    return NormalizedDocument(raw=raw, region=Region(), line_items=tuple(items), facts=tuple(facts))
