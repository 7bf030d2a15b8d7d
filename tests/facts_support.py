"""Helpers for the narrative-fact tests: run sentences or pages through extract and normalize."""

from __future__ import annotations

from decimal import Decimal

from extract.facts import sentence_to_facts
from extract.narrative import Sentence, pages_to_sentences
from normalize.facts import fact_to_canonical
from normalize.resolve import Resolver
from normalize.text import fold_text
from schemas.raw import RawDocument
from schemas.records import DocumentMeta, Fact

_DOC = RawDocument("d", "p", 1, 1, (), DocumentMeta("部门决算", 2023, "x", None, "万元"), (), (), ())


def sentence(text: str, *headings: str, kind: str = "决算", year: int = 2023, context: str = "") -> Sentence:
    return Sentence(fold_text(text), 1, headings[-1] if headings else "", (), headings, context, "", year, kind)


def facts(text: str, *headings: str, kind: str = "决算", year: int = 2023, context: str = "") -> list[Fact]:
    """Canonical facts of one sentence (codes resolved with the codebook)."""
    raw = sentence_to_facts(sentence(text, *headings, kind=kind, year=year, context=context), "f")
    out = [fact_to_canonical(_DOC, r, Resolver(year)) for r in raw]
    return [f for f in out if f is not None]


def page_facts(pages: list[tuple[int, str]], year: int = 2023) -> list[Fact]:
    """Canonical facts of narrative pages (page number, text as a PDF text layer gives it)."""
    out = []
    for s in pages_to_sentences(pages):
        for r in sentence_to_facts(s, "f"):
            f = fact_to_canonical(_DOC, r, Resolver(year))
            if f is not None:
                out.append(f)
    return out


def keys(found: list[Fact]) -> list[tuple[str, str, str | None, Decimal]]:
    """(metric, qualifier, code, value) of each fact, in order."""
    return [(f.metric, f.qualifier, f.code, f.value) for f in found]


def D(text: str) -> Decimal:
    return Decimal(text)
