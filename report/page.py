"""The report page for a selection of documents: sections in reading order, summary figures on top."""

from __future__ import annotations

from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import duckdb

from report.html import Page
from report.sections import (
    ReportSettings,
    audit_findings,
    basic_expenditure,
    budget_completion,
    departments,
    overview,
    three_public,
)
from report.selection import Selection, selected_documents


def _version() -> str:
    try:
        return version("juesuan")
    except PackageNotFoundError:  # running from a source tree that was not installed
        return "unknown"


def build_page(con: duckdb.DuckDBPyConnection, sel: Selection, settings: ReportSettings, data: Path) -> Page:
    docs = selected_documents(con, sel)
    all_docs = selected_documents(con, sel.without_years())  # previous years for year-on-year
    years = sorted({d["fiscal_year"] for d in docs if d.get("fiscal_year") is not None})
    span = f"{years[0]}–{years[-1]}" if len(years) > 1 else (str(years[0]) if years else "—")
    summary = (
        ("文件", f"{len(docs):,}"),
        ("部门（单位）", f"{departments(docs):,}"),
        ("年度", span),
        ("附表数字", f"{sum(d['n_line_items'] for d in docs):,}"),
        ("文字数字", f"{sum(d['n_facts'] for d in docs):,}"),
        ("审核错误", f"{sum(d['n_checks_failed'] for d in docs):,}"),
    )
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    sections = (
        overview(docs, settings),
        three_public(con, docs, all_docs, settings),
        basic_expenditure(con, docs, all_docs, settings),
        budget_completion(con, docs, settings),
        audit_findings(con, docs, settings),
    )
    return Page(
        title="部门决算数据报告",
        subtitle=f"{sel.describe()} · 金额单位：万元 · 生成于 {now}",
        summary=summary,
        sections=sections,
        footer=f"juesuan {_version()} · 数据集 {data} · 生成于 {now}。每个数字都可在 juesuan sql 中按文件和页码追溯。",
    )
