"""Title-page metadata: report type, fiscal year, department, publish date, unit."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

from normalize.text import fold_text, han_count
from schemas.records import DocumentMeta

_REPORT = re.compile(r"(部门|单位)\s*(?:综合)?\s*(决算|预算)")
_LABELLED = re.compile(r"^(?:预算单位|决算单位|部门名称|单位名称|部门|单位)[:：](?P<dept>[^:：]{3,40})$")
_NOT_A_NAME = re.compile(r"^(第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、|目录|\d)")
_YEAR = re.compile(r"(20[0-4]\d)\s*年度?")
_PUBLISH = re.compile(r"公开(?:时间|日期)[:：]?\s*(20\d\d)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_PLACEHOLDER = re.compile(r"[X×Ｘ]{2,}|某某")
_DEPT_SUFFIX = re.compile(
    r"(局|委员会|委|办公室|办公厅|中心|政府|人民政府|厅|院|所|站|队|馆|会|部|处|校|学|社|室|公司|法院|检察院|联合会|协会|党校|集团|基地|园区|管委会|服务中心|事务中心)(本级|机关)?$"
)
_AMOUNT_UNIT = re.compile(r"\d(亿元|万元|元)")


def _title_lines(text: str) -> list[str]:
    return [fold_text(line) for line in text.splitlines() if fold_text(line)]


def _department_from_lines(lines: list[str]) -> str | None:
    for line in lines[:15]:
        m = _LABELLED.match(line.replace(" ", ""))
        if m and "单位：万元" not in line and not m.group("dept").endswith("元"):
            return m.group("dept")
    for i, line in enumerate(lines[:15]):
        compact = line.replace(" ", "")
        if _NOT_A_NAME.match(compact):
            continue
        m = re.match(r"^(?P<dept>.+?)(20[0-4]\d)年度?(部门|单位)?(综合)?(决算|预算)", compact)
        if m and han_count(m.group("dept")) >= 3:
            return m.group("dept")
        m = re.match(r"^(?P<dept>.{3,40}?)(部门|单位)(综合)?(决算|预算)$", compact)
        if m and han_count(m.group("dept")) >= 3 and not re.match(r"^20\d\d", m.group("dept")):
            return m.group("dept")
        if _REPORT.search(compact) and han_count(compact) <= 6:
            # "部门决算" on its own line: the department is the nearest line above that is
            # neither the year nor a heading.
            for prev in reversed(lines[:i]):
                p = prev.replace(" ", "")
                if _YEAR.fullmatch(p) or han_count(p) < 3 or _NOT_A_NAME.match(p):
                    continue
                return re.sub(r"^(20[0-4]\d)年度?", "", p)
    for line in lines[:15]:
        compact = line.replace(" ", "")
        if 4 <= len(compact) <= 40 and _DEPT_SUFFIX.search(compact) and not _NOT_A_NAME.match(compact):
            return compact
    return None


def metadata_from_text(first_pages: list[str], all_text: str) -> DocumentMeta:
    """Metadata from the text of the first pages (title page first) and the whole text. Pure."""
    head = "\n".join(first_pages)
    lines = _title_lines(head)
    head_compact = fold_text(head).replace(" ", "")
    report_type = "unknown"
    fiscal_year: int | None = None
    evidence = ""
    for line in lines[:20]:
        compact = line.replace(" ", "")
        rep = _REPORT.search(compact)
        if rep and report_type == "unknown":
            report_type = rep.group(1) + rep.group(2)
            evidence = compact
    if report_type == "unknown":
        rep = _REPORT.search(head_compact)
        if rep:
            report_type = rep.group(1) + rep.group(2)
    years = [int(y) for y in _YEAR.findall(head_compact)]
    if years:
        # The title's year comes first; a 公开时间 year (the following year) comes later.
        fiscal_year = years[0]
    department = _department_from_lines(lines)
    publish: date | None = None
    m = _PUBLISH.search(fold_text(all_text[:20000]).replace(" ", ""))
    if m:
        try:
            publish = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            publish = None
    is_template = bool(department and _PLACEHOLDER.search(department)) or bool(_PLACEHOLDER.search(head_compact[:400]))
    units = Counter(_AMOUNT_UNIT.findall(fold_text(all_text).replace(" ", "")))
    amount_unit = units.most_common(1)[0][0] if units else None
    return DocumentMeta(
        report_type=report_type,
        fiscal_year=fiscal_year,
        department=department,
        publish_date=publish,
        amount_unit=amount_unit,
        is_template=is_template,
        evidence=evidence,
    )
