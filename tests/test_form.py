"""The form's vocabulary: channel cells, legal-basis cells, Word's gaps, header words, and the
YAML writer's round trip over the seeds."""

from __future__ import annotations

from pathlib import Path

import pytest

from gkml_ssg.content.dump import dump_yaml
from gkml_ssg.content.load import decode_agency
from gkml_ssg.content.model import Channel, ChannelKind
from gkml_ssg.form.channels import channel_of, channel_text, read_channels
from gkml_ssg.form.citations import basis_remark, split_citations
from gkml_ssg.form.columns import Column, closest_column, known_column
from gkml_ssg.form.text import close_gaps

CONTENT = Path(__file__).resolve().parent.parent / "content"


@pytest.mark.parametrize(
    ("cell", "entries", "quoted"),
    [
        ("《中华人民共和国保守国家秘密法》 《中华人民共和国政府信息公开条例》", ["《中华人民共和国保守国家秘密法》", "《中华人民共和国政府信息公开条例》"], False),
        ("《A》（国务院令第711号）\n《B》", ["《A》（国务院令第711号）", "《B》"], False),
        ("1.《A》(国务院令第711号); 2.根据《B》(国办发〔2018〕10号)、《C》和《D》", ["《A》(国务院令第711号)", "《B》(国办发〔2018〕10号)", "《C》", "《D》"], True),
        ("《条例》及国家、自治区、银川市、灵武市2021年政务公开工作要点要求", ["《条例》", "国家、自治区、银川市、灵武市2021年政务公开工作要点要求"], True),
        ("根据国务院办公厅《关于X的意见》（国办发〔2018〕10号）、自治区扶贫开发领导小组《Y》", ["国务院办公厅《关于X的意见》（国办发〔2018〕10号）", "自治区扶贫开发领导小组《Y》"], True),
        ("《条例》第二十条、第二十一条", ["《条例》第二十条、第二十一条"], False),
        ("《中华人民共和国政府信息公开条例》（不限于此）", ["《中华人民共和国政府信息公开条例》（不限于此）"], False),
        ("《甲》、《乙《丙》", ["《甲》", "《乙《丙》"], True),
        ("国家和自治区有关规定", ["国家和自治区有关规定"], False),
        ("1.国家规定；2.省规定", ["国家规定", "省规定"], False),  # numbers and ；only part documents
        ("《A》；《B》。", ["《A》", "《B》"], False),
        ("", [], False),
    ],
)
def test_a_basis_cell_is_one_entry_per_citation_and_its_joining_words_are_quoted(cell, entries, quoted):
    citations = split_citations(cell)
    assert list(citations.entries) == entries
    assert (citations.original is not None) == quoted
    remark = basis_remark("公开依据", citations)
    assert (remark is not None) == quoted
    if remark:
        assert close_gaps(cell) in remark


@pytest.mark.parametrize(
    ("cell", "channels", "unmatched"),
    [
        ("☑海原县人民政府门户网站 ☐两微一端 ☐ 政 府 公 报", [Channel(ChannelKind.GOV_WEBSITE, "海原县人民政府门户网站")], []),
        ("☑精准推送(注明) ☑其他（注明）：公示牌", [Channel(ChannelKind.TARGETED_PUSH), Channel(ChannelKind.OTHER, "公示牌")], []),
        ("政府网站、两微一端", [Channel(ChannelKind.GOV_WEBSITE), Channel(ChannelKind.SOCIAL_MEDIA)], []),
        ("社区（村）/企事业单位及政务服务中心公示栏", [Channel(ChannelKind.NOTICE_BOARD, "社区（村）/企事业单位及政务服务中心公示栏")], []),
        ("☑社区(村)/企事业单位公示栏", [Channel(ChannelKind.NOTICE_BOARD)], []),
        ("☑官方微信公众账号\n☐报刊", [Channel(ChannelKind.SOCIAL_MEDIA, "官方微信公众账号")], []),
        ("☑信鸽", [Channel(ChannelKind.OTHER, "信鸽")], ["信鸽"]),
        ("☐政府网站 ☐两微一端", [], []),
    ],
)
def test_a_channel_cell_gives_its_ticked_channels_with_their_own_wording(cell, channels, unmatched):
    reading = read_channels(cell)
    assert list(reading.channels) == channels
    assert list(reading.unmatched) == unmatched


def test_every_channel_is_written_so_that_it_reads_back_the_same():
    names = [None, "部门网站", "灵武市政务公开平台", "信鸽", "官方微信公众号", "社区（村）/企事业单位及政务服务中心公示栏"]
    for kind in ChannelKind:
        for name in names:
            channel = Channel(kind, name)
            assert channel_of(channel_text(channel)) == channel


def test_gaps_between_chinese_characters_go_and_nothing_else_changes():
    assert close_gaps("形 成 或 者 变\n更之日起 20 个工作日内") == "形成或者变更之日起 20 个工作日内"
    assert close_gaps("《中华人民共和国政府信息公开条\n例》（国务院令 第711号）") == "《中华人民共和国政府信息公开条例》（国务院令第711号）"
    assert close_gaps("  Word and Excel  ") == "Word and Excel"


def test_header_words_variants_and_typos():
    assert known_column("特定全体") is Column.GROUP
    assert known_column("公开内容\n（要素）") is Column.CONTENT
    assert known_column('所属"五公开" 类型') is Column.FIVE_TYPES
    assert known_column("公开渠道") is Column.CHANNELS
    assert closest_column("公开渠到和载体") == (Column.CHANNELS, "公开渠道和载体")
    assert closest_column("联系电话") is None


@pytest.mark.parametrize("path", sorted(CONTENT.rglob("*-yibao.yml")), ids=lambda path: path.name)
def test_the_yaml_writer_gives_back_the_same_agency(path):
    agency, errors = decode_agency(path.name, path.read_bytes())
    assert not errors and agency is not None
    text = dump_yaml(agency, ["yaml-language-server: $schema=../../../schema/agency.schema.json"])
    assert text.startswith("# yaml-language-server:")
    again, errors = decode_agency(path.name, text.encode())
    assert not errors
    assert again == agency


@pytest.mark.parametrize(
    ("cell", "number", "name"),
    [("一、概况信息", "一", "概况信息"), ("（二）政策文件", "二", "政策文件"), ("3.规划信息", "3", "规划信息"), ("12345热线", None, "12345热线")],
)
def test_a_category_cells_number_is_read_in_the_forms_officers_write_it(cell, number, name):
    from gkml_ssg.importing.catalogue import split_number

    assert split_number(cell) == (number, name)
