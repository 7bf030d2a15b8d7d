"""The report page: sections of charts, each with the table of the numbers behind it, in one
self-contained HTML file.

Everything the page needs is inside it: the stylesheet and the small table-sorting script are
inlined, charts are inline SVG, and a content security policy allows only those two (by hash),
so the browser fetches nothing when the file is opened.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from html import escape
from importlib import resources

from normalize.amounts import unit_factors
from report.svg import BarChart, bar_chart_svg

KINDS = ("text", "int", "wan", "yuan", "pct", "num")
_CENT = Decimal("0.01")


@dataclass(frozen=True)
class Column:
    header: str
    kind: str = "text"  # text / int / wan (元 shown in 万元) / yuan (元) / pct / num

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"column kind {self.kind!r} is not one of {KINDS}")


Value = str | int | Decimal | None


@dataclass(frozen=True)
class Table:
    columns: tuple[Column, ...]
    rows: tuple[tuple[Value, ...], ...]

    def __post_init__(self) -> None:
        for row in self.rows:
            if len(row) != len(self.columns):
                raise ValueError(f"a row has {len(row)} cells for {len(self.columns)} columns")


@dataclass(frozen=True)
class Block:
    """A chart and the table of its numbers (or a table alone, or only a note)."""

    key: str
    title: str
    table: Table | None
    chart: BarChart | None = None
    note: str = ""


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    intro: str
    blocks: tuple[Block, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Page:
    title: str
    subtitle: str
    summary: tuple[tuple[str, str], ...]  # (label, figure) cards at the top
    sections: tuple[Section, ...]
    footer: str


def wan(value: Decimal) -> Decimal:
    """元 -> 万元, rounded to two decimals as the documents print them."""
    return (value / unit_factors()["万元"]).quantize(_CENT, rounding=ROUND_HALF_UP)


def format_value(value: Value, kind: str) -> str:
    """The text of a cell. Pure."""
    if value is None or value == "":
        return ""
    if kind == "wan" and isinstance(value, Decimal):
        return f"{wan(value):,.2f}"
    if kind == "yuan" and isinstance(value, Decimal):
        return f"{value.quantize(_CENT, rounding=ROUND_HALF_UP):,.2f}"
    if kind == "pct" and isinstance(value, Decimal):
        return f"{value:,.1f}%"
    if kind == "int" and isinstance(value, int | Decimal):
        return f"{value:,}"
    if kind == "num" and isinstance(value, Decimal):
        n = value.normalize()
        return f"{n:f}"
    return str(value)


def _sort_key(value: Value, kind: str) -> str:
    """A data-v attribute for numeric cells, so the sorting script orders numbers as numbers."""
    if kind == "text" or value is None or isinstance(value, str):
        return ""
    number = wan(value) if kind == "wan" and isinstance(value, Decimal) else value
    return f' data-v="{number}"'


def table_html(table: Table) -> str:
    head = "".join(
        f'<th scope="col"{" class=num" if c.kind != "text" else ""}>{escape(c.header)}</th>' for c in table.columns
    )
    body = []
    for row in table.rows:
        cells = []
        for c, v in zip(table.columns, row, strict=True):
            cls = ' class="num"' if c.kind != "text" else ""
            cells.append(f"<td{cls}{_sort_key(v, c.kind)}>{escape(format_value(v, c.kind))}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (
        f'<div class="table-wrap"><table class="data" data-rows="{len(table.rows)}">'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
    )


def block_html(block: Block) -> str:
    parts = [f'<figure class="block" id="{escape(block.key)}">', f"<figcaption>{escape(block.title)}</figcaption>"]
    if block.chart is not None:
        parts.append(bar_chart_svg(block.chart, f"chart-{block.key}"))
    if block.note:
        parts.append(f'<p class="note">{escape(block.note)}</p>')
    if block.table is not None:
        parts.append(table_html(block.table))
    parts.append("</figure>")
    return "".join(parts)


@cache
def _asset(name: str) -> str:
    return resources.files("report").joinpath("data", name).read_text(encoding="utf-8")


def _hash(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


def content_security_policy(style: str, script: str) -> str:
    """Nothing may load: only the page's own stylesheet and script run, identified by hash."""
    return (
        f"default-src 'none'; style-src '{_hash(style)}'; script-src '{_hash(script)}'; "
        "img-src 'none'; font-src 'none'; connect-src 'none'; base-uri 'none'; form-action 'none'"
    )


def page_html(page: Page) -> str:
    """The whole HTML document."""
    style, script = _asset("report.css"), _asset("report.js")
    nav = "".join(f'<a href="#{escape(s.key)}">{escape(s.title)}</a>' for s in page.sections)
    cards = "".join(
        f'<div class="card"><div class="figure">{escape(v)}</div><div class="what">{escape(k)}</div></div>'
        for k, v in page.summary
    )
    sections = []
    for s in page.sections:
        body = "".join(block_html(b) for b in s.blocks)
        head = f'<h2>{escape(s.title)}</h2><p class="intro">{escape(s.intro)}</p>'
        sections.append(f'<section id="{escape(s.key)}">{head}{body}</section>')
    return (
        "<!doctype html>\n"
        '<html lang="zh-CN"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{escape(content_security_policy(style, script))}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="referrer" content="no-referrer">'
        f"<title>{escape(page.title)}</title><style>{style}</style></head>"
        f'<body><header><h1>{escape(page.title)}</h1><p class="subtitle">{escape(page.subtitle)}</p>'
        f'<nav>{nav}</nav><div class="cards">{cards}</div></header>'
        f"<main>{''.join(sections)}</main>"
        f"<footer>{escape(page.footer)}</footer>"
        f"<script>{script}</script></body></html>\n"
    )
