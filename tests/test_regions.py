"""An agency file's region read from its start (`content.regions`), as a build of one region reads
every other file: right on every layout YAML allows, or None so that the file is decoded in full."""

from __future__ import annotations

import pytest
from conftest import AGENCY_YML, REPO

from gkml_ssg.content.regions import RegionFilter, decoded_region, peek_region

REGION = ("测试省", "测试市")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (AGENCY_YML, REGION),
        # 地区 after a long catalogue, past the first 8 kB
        (AGENCY_YML.replace("地区:\n  省: 测试省\n  市: 测试市\n  区县: 测试县\n", "") + "备注: " + "长" * 5000
         + "\n地区:\n  省: 测试省\n  市: 测试市\n  区县: 测试县\n", REGION),
        # flow style, quoted keys, a comment, the fields in another order
        (AGENCY_YML.replace("地区:\n  省: 测试省\n  市: 测试市\n  区县: 测试县\n", '地区: {"区县": 测试县, 市: 测试市, 省: 测试省}  # 注\n'), REGION),
        # a nested mapping before 地区 whose keys are 省 and 市 must not be taken for it
        ("填表信息:\n  省: 别省\n  市: 别市\n" + AGENCY_YML, REGION),
        (AGENCY_YML.replace("  市: 测试市\n", ""), None),  # no city: the decoder says what is wrong
        (AGENCY_YML.replace("地区:\n  省: 测试省", "地区: &r\n  省: 测试省"), REGION),
        ("base: &r {省: 测试省, 市: 测试市, 区县: 测试县}\n地区: *r\n", None),  # an alias: decoded instead
        ("地区: [测试省, 测试市]\n", None),
        ("名称: [未闭合\n地区:\n  省: 测试省\n", None),  # broken YAML
        ("", None),
    ],
)
def test_the_start_of_a_file_tells_its_region_or_says_it_cannot(text, expected):
    assert peek_region(text.encode("utf-8")) == expected


def test_every_seed_file_peeks_as_it_decodes():
    for path in (REPO / "content").rglob("*.yml"):
        if path.name != "site.yml":
            relative = path.relative_to(REPO / "content").as_posix()
            assert peek_region(path.read_bytes()) == decoded_region(relative, path.read_bytes())[0] is not None


@pytest.mark.parametrize(("text", "expected"), [
    ("宁夏回族自治区", RegionFilter("宁夏回族自治区")), ("宁夏回族自治区/石嘴山市", RegionFilter("宁夏回族自治区", "石嘴山市")),
    (" 江苏省 / 连云港市 ", RegionFilter("江苏省", "连云港市")), ("", None), ("/", None), ("a/b/c", None), ("省/", None),
])
def test_a_region_option_is_a_province_or_a_province_and_city(text, expected):
    assert RegionFilter.parse(text) == expected


def test_a_file_that_does_not_decode_gives_its_errors():
    region, errors = decoded_region("a/x.yml", AGENCY_YML.replace("  市: 测试市\n", "").encode("utf-8"))
    assert region is None and errors and errors[0].path == "a/x.yml" and errors[0].origin is not None
