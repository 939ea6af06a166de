"""Every kind of bad content gets a Chinese message naming file, line, column and YAML key."""

from __future__ import annotations

import os

import pytest
from click.testing import CliRunner
from conftest import AGENCY_YML

from gkml_ssg.cli.main import main
from gkml_ssg.content.errors import ContentInvalid
from gkml_ssg.content.load import load_content
from gkml_ssg.site.graph import assemble


def errors_of(project) -> list[str]:
    with pytest.raises(ContentInvalid) as caught:
        assemble(load_content(project.content))
    return [error.format() for error in caught.value.errors]


def only_error(project) -> str:
    errors = errors_of(project)
    assert len(errors) == 1, errors
    return errors[0]


def test_yaml_syntax_error(project):
    project.write("a/x.yml", "名称: 甲\n地区: [未闭合\n")
    assert only_error(project).startswith("a/x.yml:3:1: YAML 语法错误")


def test_duplicate_key(project):
    project.write("a/x.yml", AGENCY_YML + "名称: 乙\n")
    message = only_error(project)
    assert message.startswith("a/x.yml:18:1: 重复的键“名称”（第 1 行已出现）")


def test_unknown_field_suggests_the_real_key(project):
    project.write("a/x.yml", AGENCY_YML.replace("        公开内容: 机构职能", "        公开依剧: [《某法》]"))
    message = only_error(project)
    assert message == "a/x.yml:11:9: 字段“目录[1].事项[1].公开依剧”：未知字段“公开依剧”（是否为“公开依据”？）"


def test_unknown_field_written_as_the_english_attribute(project):
    project.write("a/x.yml", AGENCY_YML.replace("        公开内容: 机构职能", "        basiss: x"))
    assert only_error(project).endswith("未知字段“basiss”（是否为“公开依据”？）")


def test_missing_required_field(project):
    project.write("a/x.yml", AGENCY_YML.replace("来源文件: test.txt\n", ""))
    message = only_error(project)
    assert message.startswith("a/x.yml:1:1: 字段“来源文件”：缺少必填字段（请添加“来源文件: …”")


def test_wrong_type(project):
    project.write(
        "a/x.yml",
        AGENCY_YML.replace("          - 《中华人民共和国政府信息公开条例》（国务院令第711号）\n", "").replace(
            "        公开依据:\n", "        公开依据: 《条例》\n"
        ),
    )
    assert only_error(project) == (
        "a/x.yml:12:15: 字段“目录[1].事项[1].公开依据”：应为列表，实际为文本（列表的每一项以“- ”开头，各占一行）"
    )


def test_count_must_be_an_integer(project):
    project.write("a/x.yml", AGENCY_YML + "声明数量:\n  主动公开二级事项: 三十七\n")
    assert only_error(project).endswith("字段“声明数量.主动公开二级事项”：应为整数，实际为“三十七”（请只写阿拉伯数字，如 37）")


@pytest.mark.parametrize(
    ("line", "replacement", "field", "value", "suggestion"),
    [
        ("        公开渠道: [政府网站]", "        公开渠道: [政府网占]", "公开渠道[1]", "政府网占", "政府网站"),
        ("        公开方式: 主动", "        公开方式: 主动公开", "公开方式", "主动公开", "主动"),
        ("        公开对象: 全社会", "        公开对象: 全体社会", "公开对象", "全体社会", "全社会"),
    ],
)
def test_unknown_enum_value(project, line, replacement, field, value, suggestion):
    project.write("a/x.yml", AGENCY_YML.replace(line, replacement))
    message = only_error(project)
    assert f"字段“目录[1].事项[1].{field}”：未知的取值“{value}”，可选值：" in message
    assert message.endswith(f"（是否为“{suggestion}”？）")


def test_duplicate_item_slug(project):
    text = AGENCY_YML.replace("      - 二级事项: 领导信息\n", "      - 二级事项: 领导信息\n        网址标识: \"1\"\n")
    project.write("a/x.yml", text)
    assert only_error(project).startswith("a/x.yml:17:9: 字段“网址标识”：网址标识“1”重复（第 10 行的“机构信息”已使用）")


def test_duplicate_agency_slug(project):
    project.write("a/x.yml", AGENCY_YML + "网址标识: same\n")
    project.write("b/y.yml", AGENCY_YML + "网址标识: same\n")
    assert only_error(project).startswith("b/y.yml:1:1: 字段“网址标识”：网址标识“same”与 a/x.yml 重复")


@pytest.mark.parametrize("slug", ["Huinong", "hui_nong", "../../etc", "a b", "惠农"])
def test_slug_outside_a_z_0_9_and_hyphen(project, slug):
    project.write("a/x.yml", AGENCY_YML + f"网址标识: \"{slug}\"\n")
    assert only_error(project).startswith(f"a/x.yml:18:7: 字段“网址标识”：“{slug}”的格式不对（只能使用小写英文字母")


def test_file_name_that_cannot_be_a_url(project):
    project.write("a/惠农.yml", AGENCY_YML)
    assert only_error(project) == "a/惠农.yml: 文件名“惠农”不能用作网址（请把文件改名为小写字母、数字和连字符，或添加“网址标识: …”）"


def test_file_that_is_not_utf8(project):
    project.write_bytes("a/x.yml", AGENCY_YML.encode("gb18030"))
    assert only_error(project).startswith("a/x.yml:1:1: 文件不是 UTF-8 编码（请用 UTF-8 另存该文件")


def test_alias_bomb(project):
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
    project.write("a/x.yml", bomb)
    assert only_error(project) == "a/x.yml:2:8: 不支持 YAML 别名“*a”（请直接写出内容）"


def test_nesting_deeper_than_any_catalogue(project):
    project.write("a/x.yml", "名称: " + "[" * 50 + "]" * 50 + "\n")
    assert only_error(project).startswith("a/x.yml:1:")
    assert "嵌套层级超过 10 层" in only_error(project)


def test_python_object_tag_is_refused(project):
    project.write("a/x.yml", "名称: !!python/object/apply:os.system [echo hacked]\n")
    assert "不支持 YAML 标签" in only_error(project)


def test_symlink_in_content(project, tmp_path):
    outside = tmp_path / "outside.yml"
    outside.write_text(AGENCY_YML, encoding="utf-8")
    (project.content / "a").mkdir()
    os.symlink(outside, project.content / "a" / "x.yml")
    assert only_error(project) == "a/x.yml: 内容目录中不允许符号链接（请把文件本身放进 content/，而不是链接）"


def test_missing_site_configuration(project):
    (project.content / "site.yml").unlink()
    project.write("a/x.yml", AGENCY_YML)
    assert only_error(project) == "site.yml: 文件不存在（请创建 site.yml）"


def test_every_error_of_a_run_is_reported(project):
    project.write("a/x.yml", AGENCY_YML.replace("公开方式: 主动", "公开方式: 主動").replace("公开对象: 全社会", "公开对象: 社会"))
    project.write("b/y.yml", "名称: [\n")
    project.write_bytes("c/z.yml", b"\xff\xfe")
    errors = errors_of(project)
    assert [e.split(":")[0] for e in errors] == ["a/x.yml", "a/x.yml", "b/y.yml", "c/z.yml"]


def test_cli_exits_1_and_keeps_the_previous_site(project):
    project.write("a/x.yml", AGENCY_YML)
    runner = CliRunner()
    args = ["build", "--source", str(project.content), "--out", str(project.out)]
    assert runner.invoke(main, args).exit_code == 0
    before = {p: p.read_bytes() for p in project.out.rglob("*") if p.is_file()}

    project.write("a/x.yml", AGENCY_YML.replace("公开方式: 主动", "公开方式: 主动公开"))
    result = runner.invoke(main, args)
    assert result.exit_code == 1
    assert "字段“目录[1].事项[1].公开方式”：未知的取值“主动公开”" in result.output
    assert f"构建失败：发现 1 处错误，{project.out} 未改动。" in result.output
    after = {p: p.read_bytes() for p in project.out.rglob("*") if p.is_file()}
    assert after == before


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "a/x.yml:1:1: 文件为空"),
        ("# 只有注释\n", "a/x.yml:1:1: 文件为空"),
        ("- 名称: 甲\n", "a/x.yml:1:1: 应为映射（键: 值），实际为列表（请按“键: 值”逐行填写）"),
        ("名称: 甲\n---\n名称: 乙\n", "a/x.yml:2:1: 一个文件只能包含一个 YAML 文档（删除多余的“---”）"),
        ("? [a, b]\n: c\n", "a/x.yml:1:3: 键必须是简单文本，不能是列表或映射"),
    ],
)
def test_file_shapes_that_are_not_an_agency(project, text, expected):
    project.write("a/x.yml", text)
    assert only_error(project) == expected


def test_a_required_key_left_empty_is_missing(project):
    project.write("a/x.yml", AGENCY_YML.replace("来源文件: test.txt", "来源文件:"))
    assert only_error(project).startswith("a/x.yml:1:1: 字段“来源文件”：缺少必填字段")


def test_an_optional_key_left_empty_is_the_same_as_absent(project):
    project.write("a/x.yml", AGENCY_YML.replace("公开内容: 机构职能", "公开内容:"))
    graph = assemble(load_content(project.content))
    assert graph.loaded_agencies()[0].entries[0].data.content is None
