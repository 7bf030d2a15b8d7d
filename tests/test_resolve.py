"""科目 resolution: the labelled variants, printed-code checks, document pairs, indentation paths."""

from __future__ import annotations

import csv
import json
from functools import cache
from pathlib import Path

import pytest
from conftest import realpdfs_or_skip

from normalize.learn import PrintedPair, learn_codes
from normalize.lines import table_to_codes
from normalize.resolve import Resolution, Resolver, ResolveSettings, printed_code_disagreement
from schemas.raw import RawCell, RawColumn, RawRow, RawTable
from schemas.records import Provenance

VARIANTS = Path(__file__).parent / "data" / "label_variants.csv"


def _variants() -> list[dict[str, str]]:
    with VARIANTS.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


@cache
def _resolver(year: int | None) -> Resolver:
    return Resolver(year)


def _resolve_variant(row: dict[str, str]) -> Resolution:
    resolver = _resolver(int(row["year"]) if row["year"] else None)
    if row["mode"] == "chain":
        return resolver.resolve_chain(row["label"])
    return resolver.resolve(
        row["label"], parent=row["parent"] or None, level=row["level"] or None, system=row["system"] or None
    )


def test_label_variants_cover_the_kinds_of_variation():
    rows = _variants()
    notes = " ".join(r["note"] for r in rows)
    assert len(rows) >= 300
    assert sum(1 for r in rows if not r["expected"]) >= 60
    for kind in ("Kangxi", "half-width", "spaces", "truncated", "OCR", "older", "chain", "99", "economic", "NONE"):
        assert kind in notes, kind


def test_label_variants_resolve_at_least_99_percent_right():
    rows = _variants()
    wrong = [(r["label"], r["year"], r["parent"], r["expected"], _resolve_variant(r)) for r in rows]
    wrong = [(label, y, p, exp, res.code, res.reason) for label, y, p, exp, res in wrong if (res.code or "") != exp]
    assert 1 - len(wrong) / len(rows) >= 0.99, wrong[:20]


def test_no_label_whose_answer_is_none_gets_a_code():
    given = [(r["label"], r["year"], r["parent"], _resolve_variant(r)) for r in _variants() if not r["expected"]]
    assert [(label, y, p, res.code, res.match) for label, y, p, res in given if res.code] == []


def test_every_resolved_code_carries_system_level_and_class():
    for row in _variants():
        res = _resolve_variant(row)
        if res.code:
            assert res.system in ("function", "economic") and res.level in ("类", "款", "项"), row
            assert res.class_code == res.code[:3] and res.match in ("document", "path", "fuzzy")


def test_matches_are_recorded_by_kind():
    r = _resolver(2023)
    assert r.resolve("一般公共服务支出").match == "path"
    assert r.resolve("一般公共服务攴出").match == "fuzzy"
    assert r.resolve("其他市场监督管理事务支出", parent="20138").reason.startswith("项 suffix 99")
    none = r.resolve("行政运行")
    assert none.match == "none" and none.code is None and "ambiguous" in none.reason


def test_document_pairs_teach_the_narrative():
    r = Resolver(2024, [("20140", "信访事务"), ("2014001", "行政运行"), ("2014004", "信访业务")])
    res = r.resolve("行政运行")
    assert (res.code, res.match) == ("2014001", "document")
    assert r.resolve("信访业务").code == "2014004"
    chain = r.resolve_chain("一般公共服务支出（类）信访事务（款）信访业务（项）")
    # A chain is as strong as its weakest link: the 类 came from the codebook.
    assert chain.code == "2014004" and chain.match == "path"
    # Under another 款 the codebook decides, not the document's pair.
    assert r.resolve("行政运行", parent="20103").code == "2010301"


def test_pairs_that_contradict_the_codebook_are_not_learnt():
    r = Resolver(2022, [("234", "西安市气象局"), ("30101", "津贴补贴工资福利支出"), ("30102", "津贴补贴")])
    assert {code for code, _, _ in r.rejected_pairs} == {"234", "30101"}
    assert r.resolve("西安市气象局").code is None
    assert r.resolve("津贴补贴").code == "30102"
    # Cells of a cross-tabulation run together are no name, whatever code is beside them.
    r = Resolver(2022, [("2200599", "C0903气象服务"), ("50101", "-工资奖金津补贴30102-津贴补贴")])
    assert r.pairs == {}


def test_printed_codes_are_kept_and_contradictions_flagged():
    r = Resolver(2023)
    agree = r.check_printed("2010350", "事业运行")
    assert (agree.code, agree.match, agree.disagreement) == ("2010350", "printed", "")
    variant = r.check_printed("30239", "其他交通费")
    assert variant.disagreement == ""
    wrong = r.check_printed("2010350", "行政运行")
    assert wrong.code == "2010350" and wrong.match == "printed"
    assert "事业运行" in wrong.disagreement
    unknown = r.check_printed("2014101", "某某")
    assert unknown.disagreement == "" and "not in the codebook" in unknown.reason
    assert printed_code_disagreement("2010350", "事业运行", 2023) is None
    assert "事业运行" in (printed_code_disagreement("2010350", "行政运行", 2023) or "")
    assert printed_code_disagreement("234", "西安市气象局", 2022)


def test_jieba_vocabulary_is_up_to_date():
    from normalize.fuzzy import VOCABULARY, vocabulary_lines

    committed = (Path(__file__).parent.parent / "normalize" / "data" / VOCABULARY).read_text(encoding="utf-8")
    assert committed.splitlines() == vocabulary_lines(), "regenerate: python -m normalize.fuzzy"


def test_settings_are_validated():
    with pytest.raises(ValueError):
        ResolveSettings(fuzzy_threshold=1.5)
    with pytest.raises(ValueError):
        ResolveSettings(truncation_min_chars=1)
    strict = Resolver(2023, settings=ResolveSettings(fuzzy_threshold=0.99))
    assert strict.resolve("住房保障", level="类").code is None
    assert Resolver(2023).resolve("住房保障", level="类").code == "221"


# -- tables without printed codes -----------------------------------------------------------------

_PROV = Provenance("f", 1, None, "test")


def _table(table_key: str | None, rows: list[tuple[int, str, float]]) -> RawTable:
    columns = (RawColumn(0, "项目", "label", 0), RawColumn(1, "金额", "amount", 0))
    raw_rows = tuple(
        RawRow(i + 1, side, label, (), indent, (RawCell("1.00", 1, _PROV),), _PROV)
        for i, (side, label, indent) in enumerate(rows)
    )
    return RawTable("t", table_key, None, None, "万元", (1,), columns, raw_rows, "test", 1.0, (), _PROV)


# 杭州市公安局 2026: codes absent, the hierarchy shown by indentation only.
_INDENTED = [
    (0, "合计", 5.4),
    (0, "一般公共服务支出", 5.4),
    (0, "其他一般公共服务支出", 15.4),
    (0, "其他一般公共服务支出", 25.4),
    (0, "公共安全支出", 5.4),
    (0, "公安", 15.4),
    (0, "行政运行", 25.4),
    (0, "事业运行", 25.4),
    (0, "其他公安支出", 25.4),
    (0, "城乡社区支出", 5.4),
    (0, "城市基础设施配套费安排的支出", 15.4),
    (0, "城市公共设施", 25.4),
    (0, "行政运行", 25.4),
    (0, "社会保障和就业支出", 5.4),
    (0, "行政事业单位养老支出", 15.4),
    (0, "机关事业单位基本养老保险缴", 25.4),
]
_INDENTED_CODES = [
    None, "201", "20199", "2019999", "204", "20402", "2040201", "2040250", "2040299",
    "212", None, None, None, "208", "20805", "2080505",
]  # fmt: skip


def test_indentation_builds_the_path():
    codes = table_to_codes(_table("expenditure", _INDENTED), Resolver(2026))
    assert [info.code for info, _ in codes] == _INDENTED_CODES
    matches = {info.match for info, _ in codes if info.code}
    assert matches <= {"path", "fuzzy"}
    assert all(info.system == "function" and info.class_code == info.code[:3] for info, _ in codes if info.code)


def test_rows_under_an_unknown_kuan_are_not_filed_under_the_previous_one():
    codes = table_to_codes(_table("expenditure", _INDENTED), Resolver(2026))
    # 行政运行 under 城市基础设施配套费安排的支出 (not in the codebook) must not become 2040201.
    assert codes[12][0].code is None


def test_order_alone_builds_the_path_when_nothing_is_indented():
    rows = [(0, label, 2.0) for _, label, _ in _INDENTED if label != "其他一般公共服务支出"]
    codes = [info.code for info, _ in table_to_codes(_table(None, rows), Resolver(2026))]
    assert codes[:7] == [None, "201", "204", "20402", "2040201", "2040250", "2040299"]
    # A row that resolves at no level leaves the 款 unknown: the 行政运行 after it stays none.
    assert codes[7:11] == ["212", None, None, None]


def test_economic_tables_resolve_economic_names():
    rows = [(0, "工资福利支出", 5.0), (0, "基本工资", 15.0), (0, "住房公积金", 15.0), (0, "资本性支出", 5.0)]
    rows += [(0, "房屋建筑物购建", 15.0)]
    codes = table_to_codes(_table("general_budget_basic_expenditure", rows), Resolver(2023))
    assert [info.code for info, _ in codes] == ["301", "30101", "30113", "310", "31001"]
    assert {info.system for info, _ in codes} == {"economic"}


def test_summary_sides_with_only_class_names_stay_uncoded():
    rows = [(0, "一般公共预算财政拨款收入", 5.0), (1, "一、一般公共服务支出", 5.0), (1, "本年支出合计", 5.0)]
    codes = table_to_codes(_table("income_expenditure_summary", rows), Resolver(2023))
    assert [info.code for info, _ in codes] == [None, None, None]
    tree = [(0, "一般公共预算", 45.0), (1, "公共安全支出", 5.0), (1, "公安", 15.0), (1, "行政运行", 25.0)]
    codes = table_to_codes(_table("income_expenditure_summary", tree), Resolver(2026))
    assert [info.code for info, _ in codes] == [None, "204", "20402", "2040201"]


def test_printed_codes_anchor_the_rows_that_follow():
    table = _table("expenditure", [(0, "政府办公厅（室）及相关机构事务", 10.0), (0, "事业运行", 20.0)])
    first = table.rows[0]
    table = RawTable(
        table.title, table.table_key, None, None, "万元", (1,), table.columns,
        (RawRow(1, 0, first.label, ("20103",), 10.0, first.cells, _PROV), table.rows[1]),
        "test", 1.0, (), _PROV,
    )  # fmt: skip
    codes = table_to_codes(table, Resolver(2023))
    assert [(i.code, i.match) for i, _ in codes] == [("20103", "printed"), ("2010350", "path")]


# -- the corpus codebook ----------------------------------------------------------------------------


def test_learning_reports_conflicts_within_a_year():
    pairs = [
        PrintedPair(2023, "2010350", "事业运行", "a.pdf"),
        PrintedPair(2023, "2010350", "事业运行", "b.pdf"),
        PrintedPair(2023, "2010350", "行政运行", "c.pdf"),
        PrintedPair(2024, "2014101", "行政运行", "d.pdf"),
        PrintedPair(2024, "2014102", "行政运行", "e.pdf"),
        PrintedPair(2024, "2010301", "行政运行", "e.pdf"),
    ]
    learned, conflicts = learn_codes(pairs)
    by_pair = {(e.code, e.name): e for e in learned}
    assert by_pair[("2010350", "事业运行")].documents == ("a.pdf", "b.pdf")
    assert by_pair[("2010350", "事业运行")].codebook == "agrees"
    assert by_pair[("2010350", "行政运行")].codebook.startswith("contradicts")
    assert by_pair[("2014101", "行政运行")].codebook == "new"
    kinds = {(c.kind, c.year, c.subject) for c in conflicts}
    assert ("code-names", 2023, "2010350") in kinds
    assert ("name-codes", 2024, "行政运行 (under 20141)") in kinds
    # 行政运行 under two different 款 is no conflict: only the two codes under 20141 are.
    assert [c.values for c in conflicts if c.kind == "name-codes"] == [("2014101", "2014102")]


# -- real documents --------------------------------------------------------------------------------


def test_seed_line_items_with_codes_carry_system_level_and_class(seed_result):
    coded = [i for i in seed_result.line_items if i.code]
    assert coded
    for item in coded:
        assert item.code_system in ("function", "economic"), item
        assert item.code_level == {3: "类", 5: "款", 7: "项"}[len(item.code)]
        assert item.class_code == item.code[:3]
    printed = [i for i in coded if i.code_match == "printed"]
    assert {i.code_system for i in printed} == {"function", "economic"}


@cache
def _real(name: str):
    from pipeline.process import process_file

    return process_file(realpdfs_or_skip() / name)


REAL = [
    "杭州市公安局_2026年部门预算.pdf",
    "国家信访局2024年度部门决算公开.pdf",
    "上海市普陀区财政局2024年度部门决算.pdf",
]


@pytest.mark.realpdfs
@pytest.mark.parametrize("name", REAL)
def test_realpdf_line_items_with_codes_carry_system_level_and_class(name):
    result = _real(name)
    coded = [i for i in result.line_items if i.code]
    assert coded
    for item in coded:
        assert item.code_system in ("function", "economic"), item
        assert item.code_level in ("类", "款", "项") and item.class_code == item.code[:3]


@pytest.mark.realpdfs
def test_realpdf_indentation_only_tables_get_path_codes():
    items = _real("杭州市公安局_2026年部门预算.pdf").line_items
    path = {(i.row_label, i.code) for i in items if i.code_match == "path"}
    assert ("公安", "20402") in path and ("行政运行", "2040201") in path and ("事业单位医疗", "2101102") in path
    assert sum(1 for i in items if i.code_match == "path") >= 200
    assert not any(i.code for i in items if i.row_label.startswith("杭州市"))


# -- the command line --------------------------------------------------------------------------------


def test_codes_command_looks_up_codes_and_names(capsys):
    from pipeline.cli import main

    assert main(["codes", "2010350", "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert "事业运行" in out and "mof-2018" in out
    assert main(["codes", "行政运行", "--parent", "20103", "--year", "2023", "--format", "json"]) == 0
    first = json.loads(capsys.readouterr().out.splitlines()[0])
    assert (first["code"], first["level"], first["source"]) == ("2010301", "项", "path")
    assert main(["codes", "住房保障（类）住房改革支出（款）住房公积金（项）", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out.splitlines()[0])["code"] == "2210201"
    assert main(["codes", "杭州市公安局", "--format", "csv"]) == 1
    assert main(["codes"]) == 2


def test_codes_learn_writes_the_printed_codes_of_a_dataset(tmp_path, seed_pdf, capsys):
    from pipeline.cli import main

    out = tmp_path / "out"
    assert main(["run", str(seed_pdf), "--out", str(out), "--quiet"]) == 0
    learned = tmp_path / "learned.csv"
    assert main(["codes", "--learn", "--data", str(out), "--out", str(learned)]) == 0
    with learned.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert {("2010350", "事业运行"), ("30239", "其他交通费用"), ("201", "一般公共服务支出")} <= {
        (r["code"], r["name"]) for r in rows
    }
    assert {r["valid_from"] for r in rows} == {"2023"} and {r["codebook"] for r in rows} == {"agrees"}
    assert "0 conflicts" in capsys.readouterr().err
    assert main(["codes", "--learn", "--data", str(tmp_path / "missing")]) == 2
