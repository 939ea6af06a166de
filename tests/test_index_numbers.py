"""索引号: the agency's code (check character verified), the year and a serial, written into the
agency files by `gkml index-numbers`; never changed by an edit of another agency, an added or a
deleted row; a deleted row's number never given again; shown on the entry page, in the downloads,
the JSON twins and the exported table, and imported back."""

from __future__ import annotations

import csv
import io
import json

import openpyxl
import pytest
from click.testing import CliRunner
from conftest import AGENCY_YML

from gkml_ssg.build.orchestrator import BuildOptions, build
from gkml_ssg.cli.main import main
from gkml_ssg.content.errors import ContentInvalid
from gkml_ssg.content.index_numbers import agency_code_problem, credit_code_check, organisation_code_check
from gkml_ssg.content.load import decode_agency, load_content
from gkml_ssg.export.office import export_agency
from gkml_ssg.importing.agency import ImportOptions, import_file

CODE = "91350100M000100Y43"  # GB 32100-2015's own example
CODED = AGENCY_YML.replace("来源文件: test.txt\n", f"来源文件: test.txt\n# 机构代码取自登记证书\n机构代码: {CODE}\n")
ROWS = "\n".join(f"      - 二级事项: 第{n}项\n        公开内容: 内容{n}" for n in range(3, 7)) + "\n"
NEGATIVE = """\
负面清单:
  条目:
    - 公开事项: 涉密事项
      事项类别: 国家秘密
"""


def number(project, *args: str):
    return CliRunner().invoke(main, ["index-numbers", "--source", str(project.content), *args])


def numbers_of(project, relative: str) -> list[str | None]:
    agency, errors = decode_agency(relative, (project.content / relative).read_bytes())
    assert agency is not None, errors
    rows = [item for category in agency.catalogue for item in category.items]
    rows += list(agency.negative.entries if agency.negative else ())
    return [row.index_number for row in rows]


@pytest.mark.parametrize("code", ["91350100M000100Y43", "91110108551385082Q", "D2143569-X", "D2143569X"])
def test_valid_codes_pass_their_check_character(code):
    assert agency_code_problem(code) is None


def test_a_code_with_a_wrong_check_character_is_an_error_naming_the_right_one(project):
    assert credit_code_check("91350100M000100Y4") == "3" and organisation_code_check("D2143569") == "X"
    project.write("a/x.yml", CODED.replace(CODE, CODE[:-1] + "4"))
    with pytest.raises(ContentInvalid) as raised:
        build(BuildOptions(source=project.content, out=project.out, search_index=False))
    (error,) = raised.value.errors
    assert error.field == "机构代码" and error.code == "bad-value" and "校验位应为“3”" in error.message
    assert error.origin is not None and error.origin.line == 8


def test_every_row_is_numbered_in_order_and_the_file_keeps_its_comments(project):
    project.write("a/x.yml", CODED + ROWS + NEGATIVE)
    result = number(project, "--year", "2026")
    assert result.exit_code == 0, result.output
    assert numbers_of(project, "a/x.yml") == [f"{CODE}/2026-{n:05d}" for n in range(1, 8)]
    text = (project.content / "a/x.yml").read_text(encoding="utf-8")
    assert "# 机构代码取自登记证书\n" in text and '索引号已编至: "2026-00007"' in text
    assert "      - 索引号: 91350100M000100Y43/2026-00001\n        二级事项: 机构信息\n" in text
    assert "    - 索引号: 91350100M000100Y43/2026-00007\n      公开事项: 涉密事项\n" in text
    assert "已编写 7 个索引号（1 个机构文件）" in result.output
    again = number(project, "--year", "2026")
    assert again.exit_code == 0 and "已编写 0 个索引号" in again.output
    assert (project.content / "a/x.yml").read_text(encoding="utf-8") == text  # nothing to do: untouched


def test_numbers_never_change_and_a_deleted_rows_number_is_never_given_again(project):
    project.write("a/x.yml", CODED + ROWS)
    project.write("b/y.yml", CODED.replace("测试县医疗保障局", "测试县财政局").replace(CODE, "91110108551385082Q"))
    assert number(project, "--year", "2026").exit_code == 0
    first = numbers_of(project, "a/x.yml")
    assert first == [f"{CODE}/2026-{n:05d}" for n in range(1, 7)]

    # another agency edited and numbered again: this one's numbers stay
    other = project.content / "b/y.yml"
    other.write_text(other.read_text(encoding="utf-8") + ROWS, encoding="utf-8")
    assert number(project, "--year", "2026").exit_code == 0
    assert numbers_of(project, "a/x.yml") == first

    # a row added in the middle gets the next number; the others keep theirs
    path = project.content / "a/x.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("      - 索引号: " + first[3], "      - 二级事项: 新增\n      - 索引号: " + first[3]), encoding="utf-8")
    assert number(project, "--year", "2026").exit_code == 0
    assert numbers_of(project, "a/x.yml") == [*first[:3], f"{CODE}/2026-00007", *first[3:]]

    # the newest row deleted, then a row added: the deleted number is not given again
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(f"      - 索引号: {CODE}/2026-00007\n        二级事项: 新增\n", ""), encoding="utf-8")
    path.write_text(path.read_text(encoding="utf-8") + "      - 二级事项: 再新增\n", encoding="utf-8")
    assert number(project, "--year", "2026").exit_code == 0
    assert numbers_of(project, "a/x.yml") == [*first, f"{CODE}/2026-00008"]

    # a new year starts at 1; a clock set back does not go back to the old year's serials
    path.write_text(path.read_text(encoding="utf-8") + "      - 二级事项: 明年新增\n", encoding="utf-8")
    assert number(project, "--year", "2027").exit_code == 0
    path.write_text(path.read_text(encoding="utf-8") + "      - 二级事项: 时钟拨回\n", encoding="utf-8")
    assert number(project, "--year", "2026").exit_code == 0
    assert numbers_of(project, "a/x.yml")[-2:] == [f"{CODE}/2027-00001", f"{CODE}/2027-00002"]


def test_pinned_numbers_are_kept_and_counted(project):
    legacy = "013512345/2019-00042"
    text = CODED.replace("      - 二级事项: 领导信息\n", f"      - 二级事项: 领导信息\n        索引号: {legacy}\n")
    text = text.replace("      - 二级事项: 机构信息\n", f"      - 二级事项: 机构信息\n        索引号: {CODE}/2026-00010\n")
    project.write("a/x.yml", text + "      - 二级事项: 未编号\n")
    assert number(project, "--year", "2026").exit_code == 0
    assert numbers_of(project, "a/x.yml") == [f"{CODE}/2026-00010", legacy, f"{CODE}/2026-00011"]


def test_two_rows_with_one_number_are_an_error_naming_the_first(project):
    text = CODED.replace("      - 二级事项: 领导信息\n", f"      - 二级事项: 领导信息\n        索引号: {CODE}/2026-00001\n")
    text = text.replace("      - 二级事项: 机构信息\n", f"      - 二级事项: 机构信息\n        索引号: {CODE}/2026-00001\n")
    project.write("a/x.yml", text)
    with pytest.raises(ContentInvalid) as raised:
        build(BuildOptions(source=project.content, out=project.out, search_index=False))
    (error,) = raised.value.errors
    assert error.code == "index-number-conflict" and "“机构信息”已使用" in error.message


def test_an_agency_without_a_code_is_not_numbered_and_the_command_says_why(project):
    project.write("a/x.yml", AGENCY_YML)
    before = (project.content / "a/x.yml").read_bytes()
    result = number(project)
    assert result.exit_code == 1 and "没有“机构代码”" in result.output
    assert (project.content / "a/x.yml").read_bytes() == before


def test_dry_run_lists_and_writes_nothing_and_crlf_files_keep_their_line_ends(project):
    path = project.content / "a/x.yml"
    path.parent.mkdir(parents=True)
    path.write_bytes((CODED + ROWS).replace("\n", "\r\n").encode("utf-8"))
    before = path.read_bytes()
    result = number(project, "--dry-run", "--year", "2026")
    assert result.exit_code == 0 and f"{CODE}/2026-00006" in result.output and path.read_bytes() == before
    assert number(project, "--year", "2026").exit_code == 0
    data = path.read_bytes()
    assert b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")
    assert numbers_of(project, "a/x.yml")[-1] == f"{CODE}/2026-00006"


def test_a_row_written_in_braces_is_refused_untouched(project):
    project.write("a/x.yml", CODED + "      - {二级事项: 花括号}\n")
    before = (project.content / "a/x.yml").read_bytes()
    result = number(project)
    assert result.exit_code == 1 and "花括号" in result.output
    assert (project.content / "a/x.yml").read_bytes() == before


def test_a_missing_number_is_a_warning_only_where_a_code_makes_it_fixable(project):
    from gkml_ssg.check.command import check_content

    project.write("a/x.yml", CODED)
    project.write("b/y.yml", AGENCY_YML)
    warned = [d for d in check_content(project.content).diagnostics if d.problem.code == "index-number-missing"]
    assert [(d.problem.path, d.problem.message) for d in warned] == [("a/x.yml", "2 个条目还没有索引号")]


def test_numbers_are_shown_and_in_every_download_and_the_table_imports_them_back(project, tmp_path):
    project.write("a/x.yml", CODED + NEGATIVE)
    assert number(project, "--year", "2026").exit_code == 0
    build(BuildOptions(source=project.content, out=project.out, search_index=False))
    folder = project.out / "agencies/x"
    first = f"{CODE}/2026-00001"
    assert f"<dt>索引号</dt>\n  <dd>{first}</dd>" in (folder / "items/1/index.html").read_text(encoding="utf-8")
    twin = json.loads((folder / "items/1/index.json").read_text(encoding="utf-8"))
    assert twin["索引号"] == first and twin["条目"]["索引号"] == first
    catalogue = json.loads((folder / "catalogue.json").read_text(encoding="utf-8"))
    assert catalogue["机构代码"] == CODE and catalogue["索引号已编至"] == "2026-00003"
    for name, expected in (("proactive.csv", [first, f"{CODE}/2026-00002"]), ("negative.csv", [f"{CODE}/2026-00003"])):
        for table in (folder / name, project.out / "downloads" / name):
            rows = list(csv.DictReader(io.StringIO(table.read_text(encoding="utf-8-sig"), newline="")))
            assert [row["索引号"] for row in rows] == expected
    package = json.loads((project.out / "datapackage.json").read_text(encoding="utf-8"))
    schema = json.loads((project.out / package["resources"][0]["schema"]).read_text(encoding="utf-8"))
    assert {"name": "索引号", "constraints": {"unique": True}}.items() <= {
        key: value for field in schema["fields"] if field["name"] == "索引号" for key, value in field.items()
    }.items()

    agency = load_content(project.content).agencies[0].agency
    exported = tmp_path / "x.xlsx"
    exported.write_bytes(export_agency(agency, "xlsx"))
    texts = {cell.value for row in openpyxl.load_workbook(exported)["目录"].iter_rows() for cell in row}
    assert {"索引号", first} <= texts
    imported = import_file(exported, ImportOptions())
    assert imported.agency.code == CODE and imported.agency.index_mark == "2026-00003"
    assert [item.index_number for category in imported.agency.catalogue for item in category.items] == [first, f"{CODE}/2026-00002"]


def test_two_agencies_with_one_code_are_warned_about(project):
    from gkml_ssg.check.command import check_content

    project.write("a/x.yml", CODED)
    project.write("b/y.yml", CODED.replace("测试县医疗保障局", "测试县财政局"))
    shared = [d.problem for d in check_content(project.content).diagnostics if d.problem.code == "shared-agency-code"]
    assert [(problem.path, problem.field) for problem in shared] == [("b/y.yml", "机构代码")]
    assert "a/x.yml" in shared[0].message
