"""Department name -> region from GB/T 2260 division codes."""

from __future__ import annotations

import pytest

from normalize.region import department_to_region, mentions


@pytest.mark.parametrize(
    ("department", "expected"),
    [
        # an unambiguous county
        ("苍溪县目标绩效事务中心", ("四川省", "广元市", "苍溪县", "510824")),
        ("中共沛县县委组织部", ("江苏省", "徐州市", "沛县", "320322")),
        # a city-level department
        ("杭州市公安局", ("浙江省", "杭州市", None, "330100")),
        ("广州市信访局", ("广东省", "广州市", None, "440100")),
        # a provincial one, and a municipality's
        ("江苏省委办公厅", ("江苏省", None, None, "320000")),
        ("北京市财政局", ("北京市", None, None, "110000")),
        # a district whose name two places share, made unique by the city printed before it
        ("上海市普陀区财政局", ("上海市", "上海市", "普陀区", "310107")),
    ],
)
def test_department_resolves(department, expected):
    region = department_to_region(department)
    assert (region.province, region.city, region.county, region.adcode) == expected


def test_national_department_has_no_region():
    region = department_to_region("国家信访局")
    assert (region.province, region.city, region.county, region.adcode) == (None, None, None, None)
    assert "中央" in region.note


def test_ambiguous_district_stays_unresolved():
    region = department_to_region("朝阳区财政局")
    assert (region.province, region.city, region.county, region.adcode) == (None, None, None, None)
    assert "110105" in region.note and "220104" in region.note


def test_document_text_can_name_the_parent():
    context = "北京市朝阳区财政局2023年度部门决算\n北京市朝阳区财政局编制"
    region = department_to_region("朝阳区财政局", context)
    assert (region.province, region.county, region.adcode) == ("北京市", "朝阳区", "110105")
    # Text that names both candidate parents decides nothing.
    both = department_to_region("朝阳区财政局", "北京市朝阳区与长春市朝阳区")
    assert both.adcode is None


def test_two_character_names_need_a_neighbour():
    # 城区 inside an ordinary word is no place; after its city it is 阳泉市城区.
    assert mentions("主城区管理局") == []
    region = department_to_region("阳泉市城区财政局")
    assert (region.province, region.city, region.county, region.adcode) == ("山西省", "阳泉市", "城区", "140302")
    assert department_to_region("某某单位").adcode is None


def test_seed_documents_row_has_its_region(seed_result):
    doc = seed_result.document
    assert (doc.province, doc.city, doc.county, doc.adcode) == ("四川省", "广元市", "苍溪县", "510824")
