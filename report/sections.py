"""The report's sections, built from the dataset: overview, 三公经费, 基本支出, budget completion by
科目, audit findings. Each chart is built from the same rows as the table shown under it.

Department comparisons show the latest fiscal year of the selection that has the figure (the
chart says which); year-on-year uses the same department's previous year in the dataset, else
the change the document states.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import duckdb

from report.compare import department_key, plain, prior_documents, subject_name
from report.completion import code_totals, completions
from report.figures import Figure, fact_figures, measure_figures, measures
from report.flags import audit_mark, error_checks
from report.html import Block, Column, Section, Table, wan
from report.labels import check_label, status_label
from report.selection import region_label
from report.svg import Bar, BarChart

_TENTH = Decimal("0.1")
_CENT = Decimal("0.01")
_UNSPLIT = "未分项"
_NO_REGION = "未识别地区"
_NO_YEAR = "未识别年度"
_STATUS_ORDER = ("ok", "partial", "failed")
_SEVERITIES = (("error", "错误"), ("warning", "警告"), ("info", "提示"))


@dataclass(frozen=True)
class ReportSettings:
    top: int = 30  # bars per department or 科目 chart
    max_rows: int = 300  # rows of list tables (findings, completion detail, problem files)

    def __post_init__(self) -> None:
        if self.top < 1 or self.max_rows < 1:
            raise ValueError("--top and --max-rows must be at least 1")


def _pct(part: Decimal, whole: Decimal | None) -> Decimal | None:
    if whole is None or whole == 0:
        return None
    return (part * 100 / abs(whole)).quantize(_TENTH, rounding=ROUND_HALF_UP)


def _f(value: Decimal) -> float:
    """A chart length in 万元 (geometry only: tables print the exact figures)."""
    return float(wan(value))


def _count_chart(title: str, counts: list[tuple[str, int]]) -> BarChart | None:
    """A chart of document counts; None when there is nothing to count."""
    if not counts:
        return None
    bars = tuple(Bar(label, (float(n),), f"{n:,}") for label, n in counts)
    return BarChart(title, "份", ("文件数",), bars, counts=True)


# --- overview -----------------------------------------------------------------------------------


def overview(docs: list[dict[str, Any]], settings: ReportSettings) -> Section:
    status = Counter(d["status"] for d in docs)
    status_rows = [(s, status[s]) for s in (*_STATUS_ORDER, *sorted(set(status) - set(_STATUS_ORDER))) if status[s]]
    years = Counter(d.get("fiscal_year") for d in docs)
    year_rows = sorted(years.items(), key=lambda kv: (kv[0] is None, -(kv[0] or 0)))
    regions = Counter(" ".join(p for p in (d.get("province"), d.get("city")) if p) or _NO_REGION for d in docs)
    region_rows = sorted(regions.items(), key=lambda kv: (-kv[1], kv[0]))
    blocks = [
        Block(
            "docs-by-status",
            "文件处理状态",
            Table(
                (Column("状态"), Column("状态键"), Column("文件数", "int")),
                tuple((status_label(s), s, n) for s, n in status_rows),
            ),
            _count_chart("文件处理状态", [(status_label(s), n) for s, n in status_rows]),
        ),
        Block(
            "docs-by-year",
            "文件年度分布",
            Table(
                (Column("年度"), Column("文件数", "int")),
                tuple((str(y) if y is not None else _NO_YEAR, n) for y, n in year_rows),
            ),
            _count_chart("文件年度分布", [(str(y) if y is not None else _NO_YEAR, n) for y, n in year_rows]),
        ),
    ]
    shown = region_rows[: settings.top]
    blocks.append(
        Block(
            "docs-by-region",
            "文件地区分布（省、市）",
            Table((Column("地区"), Column("文件数", "int")), tuple(shown)),
            _count_chart("文件地区分布", shown),
            note=f"另有 {len(region_rows) - len(shown)} 个地区未列出。" if len(region_rows) > len(shown) else "",
        )
    )
    problems = [d for d in docs if d["status"] != "ok"]
    if problems:
        rows = tuple(
            (d["file_name"], status_label(d["status"]), d.get("error") or "") for d in problems[: settings.max_rows]
        )
        blocks.append(
            Block(
                "docs-not-ok",
                "未完整处理的文件",
                Table((Column("文件名"), Column("状态"), Column("原因")), rows),
                note=_more(len(problems), len(rows)),
            )
        )
    intro = f"共 {len(docs):,} 份文件；每份文件都有处理状态，未完整处理的列出原因。"
    return Section("overview", "概况", intro, tuple(blocks))


def _more(total: int, shown: int) -> str:
    return f"只列出前 {shown} 行，共 {total} 行；全部数据见 juesuan export 或 juesuan sql。" if total > shown else ""


# --- department comparisons ---------------------------------------------------------------------


@dataclass(frozen=True)
class DeptFigures:
    doc: dict[str, Any]
    figs: dict[str, Figure]  # measure -> figure
    prior: dict[str, Any] | None  # the same department's previous-year document with the total


def _latest_year(docs: list[dict[str, Any]], having: dict[str, Figure]) -> int | None:
    years = [d["fiscal_year"] for d in docs if d["doc_id"] in having and d.get("fiscal_year") is not None]
    return max(years) if years else None


def _department_rows(
    docs: list[dict[str, Any]], all_docs: list[dict[str, Any]], by_measure: dict[str, dict[str, Figure]], total: str
) -> tuple[int | None, list[DeptFigures]]:
    """The latest year's documents having the ``total`` measure, largest first."""
    year = _latest_year(docs, by_measure[total])
    priors = prior_documents(all_docs, by_measure[total])
    rows = [
        DeptFigures(
            d, {k: figs[d["doc_id"]] for k, figs in by_measure.items() if d["doc_id"] in figs}, priors.get(d["doc_id"])
        )
        for d in docs
        if d.get("fiscal_year") == year and d["doc_id"] in by_measure[total]
    ]
    rows.sort(key=lambda r: (-r.figs[total].value, r.doc.get("department") or ""))
    return year, rows


def _split_bar(row: DeptFigures, total: str, parts: tuple[str, ...], flagged: bool) -> tuple[Bar, bool]:
    """A stacked bar of the parts, plus a 未分项 segment for what the parts do not cover."""
    value = row.figs[total].value
    segs = [row.figs[p].value if p in row.figs else Decimal(0) for p in parts]
    rest = value - sum(segs, Decimal(0))
    has_rest = rest >= _CENT
    label = row.doc.get("department") or row.doc["file_name"]
    bar = Bar(label, (*(_f(s) for s in segs), _f(rest) if has_rest else 0.0), f"{wan(value):,.2f}", flagged)
    return bar, has_rest


def _stacked_chart(title: str, series: tuple[str, ...], bars: list[tuple[Bar, bool]]) -> BarChart:
    if any(rest for _, rest in bars):
        return BarChart(title, "万元", (*series, _UNSPLIT), tuple(b for b, _ in bars))
    return BarChart(title, "万元", series, tuple(Bar(b.label, b.segments[:-1], b.text, b.flagged) for b, _ in bars))


def _audit_text(fig: Figure, doc: dict[str, Any], checks: dict[str, list[dict[str, Any]]]) -> tuple[str, bool]:
    mark = audit_mark(fig, doc, checks.get(doc["doc_id"], []))
    if mark.touching:
        return "⚠ 本数有审核错误：" + "、".join(check_label(c) for c in sorted(set(mark.touching))), True
    if mark.doc_errors:
        return f"⚠ 该文件有 {mark.doc_errors} 项审核错误", True
    return "", False


def _per_person(value: Decimal | None, staff: Figure | None) -> Decimal | None:
    if value is None or staff is None or staff.value <= 0:
        return None
    return (value / staff.value).quantize(_CENT, rounding=ROUND_HALF_UP)


def _pages(fig: Figure) -> str:
    where = "表" if fig.source == "table" else "文"
    return f"{where} p." + ",".join(str(p) for p in fig.pages)


def three_public(
    con: duckdb.DuckDBPyConnection, docs: list[dict[str, Any]], all_docs: list[dict[str, Any]], settings: ReportSettings
) -> Section:
    keys = ("three_public_overseas", "three_public_vehicle", "three_public_reception")
    by = {k: measure_figures(con, k) for k in ("three_public_total", "three_public_budget", *keys, "staff_on_post")}
    year, rows = _department_rows(docs, all_docs, by, "three_public_total")
    intro = (
        "财政拨款“三公”经费决算数，取自公开13表（无表时取说明文字）；人均数按文中的在编在岗人数计算。"
        "⚠ 表示该文件或该数字有审核错误。"
    )
    if not rows:
        return Section("three-public", "“三公”经费", intro, (Block("three-public-none", "没有“三公”经费数据", None),))
    checks = error_checks(con)
    stated = fact_figures(con, "three_public_total", "yoy_change")
    stated_pct = fact_figures(con, "three_public_total", "yoy_pct")
    shown = rows[: settings.top]
    table_rows, bars, changes = [], [], []
    for r in shown:
        total = r.figs["three_public_total"]
        audit, flagged = _audit_text(total, r.doc, checks)
        bars.append(_split_bar(r, "three_public_total", keys, flagged))
        budget = r.figs.get("three_public_budget")
        change, pct, source = _change(r, "three_public_total", by["three_public_total"], stated, stated_pct)
        if change is not None:
            changes.append((r, change, pct, source))
        reception = r.figs.get("three_public_reception")
        table_rows.append(
            (
                r.doc.get("department"),
                region_label(r.doc),
                *(r.figs[k].value if k in r.figs else None for k in keys),
                total.value,
                budget.value if budget else None,
                _pct(total.value, budget.value) if budget else None,
                change,
                pct,
                plain(r.figs["staff_on_post"].value) if "staff_on_post" in r.figs else None,
                _per_person(reception.value if reception else None, r.figs.get("staff_on_post")),
                _pages(total),
                audit,
            )
        )
    labels = tuple(measures()[k].label for k in keys)
    columns = (
        Column("部门"),
        Column("地区"),
        *(Column(f"{lbl}（万元）", "wan") for lbl in labels),
        Column("合计（万元）", "wan"),
        Column("预算（万元）", "wan"),
        Column("完成预算", "pct"),
        Column("比上年增减（万元）", "wan"),
        Column("增减率", "pct"),
        Column("在编在岗人数", "num"),
        Column("人均公务接待费（元）", "yuan"),
        Column("来源页码"),
        Column("审核"),
    )
    title = f"{year}年“三公”经费决算（万元）"
    blocks = [
        Block(
            "three-public",
            title,
            Table(columns, tuple(table_rows)),
            _stacked_chart(title, labels, bars),
            note=_more(len(rows), len(shown)),
        )
    ]
    if changes:
        blocks.append(_change_block("three-public-change", f"{year}年“三公”经费比上年增减（万元）", changes))
    return Section("three-public", "“三公”经费", intro, tuple(blocks))


def _change(
    row: DeptFigures, total: str, figs: dict[str, Figure], stated: dict[str, Figure], stated_pct: dict[str, Figure]
) -> tuple[Decimal | None, Decimal | None, str]:
    value = row.figs[total].value
    if row.prior is not None:
        prior = figs[row.prior["doc_id"]].value
        return value - prior, _pct(value - prior, prior), f"数据集 {row.prior.get('fiscal_year')} 年"
    s = stated.get(row.doc["doc_id"])
    if s is None:
        return None, None, ""
    p = stated_pct.get(row.doc["doc_id"])
    return s.value, (p.value.quantize(_TENTH) if p else _pct(s.value, value - s.value)), "文中所述"


def _change_block(key: str, title: str, changes: list[tuple[DeptFigures, Decimal, Decimal | None, str]]) -> Block:
    changes = sorted(changes, key=lambda c: (-c[1], c[0].doc.get("department") or ""))
    bars = tuple(
        Bar(r.doc.get("department") or r.doc["file_name"], (_f(ch),), f"{wan(ch):+,.2f}") for r, ch, _, _ in changes
    )
    table = Table(
        (Column("部门"), Column("增减（万元）", "wan"), Column("增减率", "pct"), Column("依据")),
        tuple((r.doc.get("department"), ch, pct, src) for r, ch, pct, src in changes),
    )
    return Block(key, title, table, BarChart(title, "万元", ("比上年增减",), bars))


def basic_expenditure(
    con: duckdb.DuckDBPyConnection, docs: list[dict[str, Any]], all_docs: list[dict[str, Any]], settings: ReportSettings
) -> Section:
    keys = ("basic_personnel", "basic_public")
    by = {k: measure_figures(con, k) for k in ("basic_total", *keys, "staff_on_post")}
    year, rows = _department_rows(docs, all_docs, by, "basic_total")
    intro = (
        "一般公共预算财政拨款基本支出及其人员经费、公用经费，取自公开07表（无表时取公开06表、公开08表或说明文字）；"
        "人均数按文中的在编在岗人数计算。"
    )
    if not rows:
        return Section("basic", "基本支出", intro, (Block("basic-none", "没有基本支出数据", None),))
    checks = error_checks(con)
    shown = rows[: settings.top]
    table_rows, bars = [], []
    for r in shown:
        total = r.figs["basic_total"]
        audit, flagged = _audit_text(total, r.doc, checks)
        bars.append(_split_bar(r, "basic_total", keys, flagged))
        staff = r.figs.get("staff_on_post")
        public = r.figs.get("basic_public")
        table_rows.append(
            (
                r.doc.get("department"),
                region_label(r.doc),
                *(r.figs[k].value if k in r.figs else None for k in keys),
                total.value,
                plain(staff.value) if staff else None,
                _per_person(total.value, staff),
                _per_person(public.value if public else None, staff),
                _pages(total),
                audit,
            )
        )
    labels = tuple(measures()[k].label for k in keys)
    columns = (
        Column("部门"),
        Column("地区"),
        *(Column(f"{lbl}（万元）", "wan") for lbl in labels),
        Column("基本支出（万元）", "wan"),
        Column("在编在岗人数", "num"),
        Column("人均基本支出（元）", "yuan"),
        Column("人均公用经费（元）", "yuan"),
        Column("来源页码"),
        Column("审核"),
    )
    title = f"{year}年基本支出（万元）"
    block = Block(
        "basic",
        title,
        Table(columns, tuple(table_rows)),
        _stacked_chart(title, labels, bars),
        note=_more(len(rows), len(shown)),
    )
    return Section("basic", "基本支出", intro, (block,))


# --- budget completion by 科目 ----------------------------------------------------------------------


def budget_completion(con: duckdb.DuckDBPyConnection, docs: list[dict[str, Any]], settings: ReportSettings) -> Section:
    by_id = {d["doc_id"]: d for d in docs}
    rows = completions(con, set(by_id))
    intro = (
        "一般公共预算财政拨款支出按科目的预算数、决算数和完成率。文中所述完成率与预算数、决算数算出的不一致时标记 ⚠，"
        "该行不计入科目合计。"
    )
    if not rows:
        return Section(
            "completion", "预算完成情况（按科目）", intro, (Block("completion-none", "没有按科目的预算数据", None),)
        )
    names: dict[str, str] = {}

    def name(code: str) -> str:
        if code not in names:
            names[code] = subject_name(con, code)
        return names[code]

    totals = code_totals(rows)
    rated = [t for t in totals if t.pct is not None]
    shown = rated[: settings.top]
    unrated = [t.code for t in totals if t.pct is None]
    note = " ".join(
        n
        for n in (
            _more(len(rated), len(shown)),
            f"以下科目没有可用的预算数（各行都被标记或预算为零），未列入：{'、'.join(unrated)}。" if unrated else "",
        )
        if n
    )
    bars = tuple(Bar(f"{t.code} {name(t.code)}", (float(t.pct or 0),), f"{t.pct}%", t.n_marked > 0) for t in shown)
    chart = BarChart("预算完成率（决算数 ÷ 预算数）", "%", ("完成率",), bars, reference=100.0)
    table = Table(
        (
            Column("科目编码"),
            Column("科目名称"),
            Column("文件数", "int"),
            Column("预算数（万元）", "wan"),
            Column("决算数（万元）", "wan"),
            Column("完成率", "pct"),
            Column("标记行（未计入）", "int"),
        ),
        tuple((t.code, name(t.code), t.n_documents, t.budget, t.actual, t.pct, t.n_marked) for t in shown),
    )
    detail = sorted(rows, key=lambda r: (not r.mismatch, by_id[r.doc_id].get("department") or "", r.code))
    listed = detail[: settings.max_rows]
    detail_table = Table(
        (
            Column("部门"),
            Column("年度"),
            Column("科目"),
            Column("预算数（万元）", "wan"),
            Column("决算数（万元）", "wan"),
            Column("算出完成率", "pct"),
            Column("文中完成率", "pct"),
            Column("标记"),
            Column("来源页码"),
        ),
        tuple(
            (
                by_id[r.doc_id].get("department"),
                str(by_id[r.doc_id].get("fiscal_year") or ""),
                f"{r.code} {name(r.code)}",
                r.budget,
                r.actual,
                r.computed_pct,
                r.stated_pct,
                "⚠ 完成率与金额不符" if r.mismatch else "",
                ("表" if r.source == "table" else "文") + " p." + ",".join(str(p) for p in r.pages),
            )
            for r in listed
        ),
    )
    blocks = (
        Block("completion", "按科目的预算完成率（全部文件合计）", table, chart, note=note),
        Block("completion-detail", "各部门按科目的预算完成情况", detail_table, note=_more(len(detail), len(listed))),
    )
    return Section("completion", "预算完成情况（按科目）", intro, blocks)


# --- audit findings -----------------------------------------------------------------------------


def audit_findings(con: duckdb.DuckDBPyConnection, docs: list[dict[str, Any]], settings: ReportSettings) -> Section:
    by_id = {d["doc_id"]: d for d in docs}
    cur = con.execute("SELECT * FROM checks ORDER BY doc_id, page NULLS LAST")
    names = [d[0] for d in cur.description or []]
    found = [r for r in (dict(zip(names, row, strict=True)) for row in cur.fetchall()) if r["doc_id"] in by_id]
    intro = "审核把表内、表间和文字与表格的数字互相核对；每条发现写明页码和依据。"
    if not found:
        return Section("audit", "审核发现", intro, (Block("audit-none", "没有审核发现", None),))
    per_check: dict[str, Counter[str]] = {}
    docs_per_check: dict[str, set[str]] = {}
    for f in found:
        per_check.setdefault(f["check"], Counter())[f["severity"]] += 1
        docs_per_check.setdefault(f["check"], set()).add(f["doc_id"])
    order = sorted(per_check, key=lambda c: (-sum(per_check[c].values()), c))
    sev = [(k, lbl) for k, lbl in _SEVERITIES if any(per_check[c][k] for c in order)]
    bars = tuple(
        Bar(check_label(c), tuple(float(per_check[c][k]) for k, _ in sev), f"{sum(per_check[c].values()):,}")
        for c in order
    )
    chart = BarChart("审核发现（按审核项）", "条", tuple(lbl for _, lbl in sev), bars, counts=True)
    summary = Table(
        (Column("审核项"), Column("审核项键"), *(Column(lbl, "int") for _, lbl in sev), Column("涉及文件数", "int")),
        tuple((check_label(c), c, *(per_check[c][k] for k, _ in sev), len(docs_per_check[c])) for c in order),
    )
    rank = {k: i for i, (k, _) in enumerate(_SEVERITIES)}
    listed = sorted(found, key=lambda f: (rank.get(f["severity"], 9), by_id[f["doc_id"]].get("department") or ""))
    shown = listed[: settings.max_rows]
    detail = Table(
        (
            Column("部门"),
            Column("年度"),
            Column("审核项"),
            Column("严重程度"),
            Column("说明"),
            Column("应为"),
            Column("实为"),
            Column("页码", "int"),
            Column("依据"),
        ),
        tuple(
            (
                by_id[f["doc_id"]].get("department"),
                str(f.get("fiscal_year") or ""),
                check_label(f["check"]),
                dict(_SEVERITIES).get(f["severity"], f["severity"]),
                f["message"],
                f.get("expected"),
                f.get("actual"),
                f.get("page"),
                f.get("evidence"),
            )
            for f in shown
        ),
    )
    blocks = (
        Block("audit", "审核发现（按审核项）", summary, chart),
        Block("audit-detail", "审核发现明细", detail, note=_more(len(listed), len(shown))),
    )
    return Section("audit", "审核发现", intro, blocks)


def departments(docs: list[dict[str, Any]]) -> int:
    return len({department_key(d) for d in docs if d.get("department")})
