"""`gkml coverage`: each agency's catalogue against reference catalogues — the shipped 第二十条 on
the seeds, pinned with its evidence; keywords, explicit mappings, invalid reference files."""

from __future__ import annotations

import csv
import io
import json

import pytest
from conftest import AGENCY_YML, REPO

from gkml_ssg.cli.main import main
from gkml_ssg.content.model import Agency
from gkml_ssg.content.schema import schema_for


def run(capsys, *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exited:
        main(["coverage", *args])
    captured = capsys.readouterr()
    return int(exited.value.code or 0), captured.out, captured.err


@pytest.fixture(scope="module")
def seeds_coverage():
    """The seeds' coverage as JSON (run in a subprocess-free way: the CLI's own code)."""
    from click.testing import CliRunner

    result = CliRunner().invoke(main, ["coverage", "--source", str(REPO / "content"), "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def item(coverage, number):
    return next(entry for entry in coverage[0]["事项"] if entry["编号"] == number)


def test_the_shipped_catalogue_is_article_20_in_the_regulations_wording(seeds_coverage):
    catalogue = seeds_coverage[0]
    assert catalogue["名称"] == "政府信息公开条例第二十条主动公开事项"
    assert [entry["编号"] for entry in catalogue["事项"]] == [f"条例20-{n}" for n in range(1, 16)]
    assert item(seeds_coverage, "条例20-7")["名称"] == "财政预算、决算信息"
    assert item(seeds_coverage, "条例20-12")["名称"] == "突发公共事件的应急预案、预警信息及应对情况"


def test_article_20_on_the_seeds_is_pinned_with_its_evidence(seeds_coverage):
    counts = {entry["编号"]: (len(entry["覆盖"]), len(entry["未覆盖"])) for entry in seeds_coverage[0]["事项"]}
    assert counts == {
        "条例20-1": (5, 0), "条例20-2": (5, 0), "条例20-3": (3, 2), "条例20-4": (0, 5), "条例20-5": (3, 2),
        "条例20-6": (2, 3), "条例20-7": (5, 0), "条例20-8": (0, 5), "条例20-9": (0, 5), "条例20-10": (0, 5),
        "条例20-11": (5, 0), "条例20-12": (1, 4), "条例20-13": (4, 1), "条例20-14": (0, 5), "条例20-15": (0, 5),
    }
    assert item(seeds_coverage, "条例20-12")["覆盖"] == [{
        "机构": "灌南县医疗保障局", "网址标识": "guannan-yibao",
        "页面": ["agencies/guannan-yibao/items/15/", "agencies/guannan-yibao/items/16/"],
        "依据": [{"规则": "关键词", "关键词": "应急预案", "位置": "二级事项"}, {"规则": "关键词", "关键词": "预警信息", "位置": "二级事项"}],
    }]
    # several keywords of one item: 预决算 holds 决算 (not 预算); “三公”经费 holds 三公经费 (quotes ignored)
    budget = {entry["网址标识"]: entry for entry in item(seeds_coverage, "条例20-7")["覆盖"]}
    assert budget["guannan-yibao"]["依据"] == [
        {"规则": "关键词", "关键词": "决算", "位置": "二级事项"}, {"规则": "关键词", "关键词": "三公经费", "位置": "二级事项"},
    ]
    assert {"规则": "关键词", "关键词": "预算", "位置": "二级事项"} in budget["dawukou-yibao"]["依据"]
    assert item(seeds_coverage, "条例20-6")["未覆盖"][0] == {"机构": "灌南县医疗保障局", "网址标识": "guannan-yibao"}
    for entry in seeds_coverage[0]["事项"]:
        for covering in entry["覆盖"]:
            assert len(covering["页面"]) == len(covering["依据"])
            for page in covering["页面"]:
                assert page.startswith(f"agencies/{covering['网址标识']}/items/")


REFERENCE = """\
名称: 测试标准目录
来源: 测试文件第一条
版本: 2026年
事项:
  - 编号: T-1
    名称: 机构信息
    关键词: [机构 信息, 领导]
  - 编号: T-2
    名称: 财政信息
    说明: 以“对应标准事项”认定
    关键词: [预算]
  - 编号: T-3
    名称: 概况
    关键词: [概况]
"""


@pytest.fixture
def site(project):
    project.write("a/x.yml", AGENCY_YML)
    (project.root / "references").mkdir()
    (project.root / "references/测试.yml").write_text(REFERENCE, encoding="utf-8")
    return project


def test_keywords_and_an_explicit_mapping_that_wins_over_them(capsys, site):
    # 领导信息 names T-2 (and only that, in this catalogue): its keyword matches on T-1 and T-3 are set aside
    site.write("a/x.yml", AGENCY_YML.replace("      - 二级事项: 领导信息\n", "      - 二级事项: 领导信息\n        对应标准事项: T-2\n"))
    status, out, err = run(capsys, "--source", str(site.content), "--reference", str(site.root / "references/测试.yml"), "--format", "json")
    assert status == 0, err
    found = {entry["编号"]: entry for entry in json.loads(out)[0]["事项"]}
    assert found["T-1"]["覆盖"][0]["页面"] == ["agencies/x/items/1/"]  # 机构信息: “机构 信息” with its space ignored
    assert found["T-1"]["覆盖"][0]["依据"] == [{"规则": "关键词", "关键词": "机构 信息", "位置": "二级事项"}]
    assert found["T-2"]["覆盖"][0]["页面"] == ["agencies/x/items/2/"]
    assert found["T-2"]["覆盖"][0]["依据"] == [{"规则": "对应标准事项"}]
    # T-3 by the 一级事项 概况信息, for the item that names nothing
    assert found["T-3"]["覆盖"][0]["页面"] == ["agencies/x/items/1/"]
    assert found["T-3"]["覆盖"][0]["依据"] == [{"规则": "关键词", "关键词": "概况", "位置": "一级事项"}]
    # an item naming an item of a catalogue not given (the shipped one) is no error with --reference
    site.write("a/x.yml", AGENCY_YML.replace("      - 二级事项: 领导信息\n", "      - 二级事项: 领导信息\n        对应标准事项: [T-2, 条例20-2]\n"))
    status, out, err = run(capsys, "--source", str(site.content), "--reference", str(site.root / "references/测试.yml"), "--format", "json")
    assert status == 0, err
    assert [catalogue["名称"] for catalogue in json.loads(out)] == ["测试标准目录"]


def test_the_sites_references_are_read_beside_its_content_with_the_shipped_one(capsys, site):
    status, out, _ = run(capsys, "--source", str(site.content), "--format", "json")
    assert status == 0
    assert [catalogue["名称"] for catalogue in json.loads(out)] == ["政府信息公开条例第二十条主动公开事项", "测试标准目录"]
    status, out, _ = run(capsys, "--source", str(site.content), "--format", "csv")
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["标准目录", "编号", "事项", "机构", "网址标识", "覆盖", "页面", "依据"]
    assert ["测试标准目录", "T-3", "概况", "测试县医疗保障局", "x", "是", "agencies/x/items/1/ agencies/x/items/2/", "一级事项含关键词“概况”"] in rows
    status, out, _ = run(capsys, "--source", str(site.content))
    assert status == 0 and "测试标准目录" in out and "T-2 财政信息：0/1 个机构覆盖" in out


def test_a_formula_in_a_reference_never_reaches_a_spreadsheet(capsys, site):
    (site.root / "references/测试.yml").write_text(REFERENCE.replace("名称: 概况", "名称: =HYPERLINK(1)"), encoding="utf-8")
    status, out, _ = run(capsys, "--source", str(site.content), "--format", "csv")
    assert status == 0 and "'=HYPERLINK(1)" in out


def test_an_invalid_reference_file_is_refused_with_positioned_errors(capsys, site):
    bad = REFERENCE.replace("  - 编号: T-3\n", "  - 编号: T-1\n").replace("版本: 2026年\n", "版本: 2026年\n作者: 某人\n")
    (site.root / "references/测试.yml").write_text(bad, encoding="utf-8")
    status, out, err = run(capsys, "--source", str(site.content))
    assert status == 1 and out == ""
    assert "references/测试.yml:4:1: 字段“作者”：未知字段“作者”" in err  # with its line and column
    (site.root / "references/测试.yml").write_text(REFERENCE.replace("  - 编号: T-3\n", "  - 编号: T-1\n"), encoding="utf-8")
    status, _, err = run(capsys, "--source", str(site.content))
    assert status == 1 and "references/测试.yml:12:5: 字段“事项[3].编号”：编号“T-1”与第 1 项重复" in err
    (site.root / "references/测试.yml").write_text("名称: [", encoding="utf-8")
    status, _, err = run(capsys, "--source", str(site.content))
    assert status == 1 and "references/测试.yml" in err and "Traceback" not in err


def test_a_mapping_to_no_reference_item_is_an_error(capsys, site):
    site.write("a/x.yml", AGENCY_YML.replace("      - 二级事项: 领导信息\n", "      - 二级事项: 领导信息\n        对应标准事项: [T-2, T-9]\n"))
    status, _, err = run(capsys, "--source", str(site.content))
    assert status == 1 and "a/x.yml:17:9: 字段“对应标准事项”：对应标准事项“T-9”不是任何标准目录中的编号" in err


def test_the_mapping_field_takes_one_value_or_a_list():
    schema = schema_for(Agency, "agency.schema.json")["$defs"]["Item"]["properties"]["对应标准事项"]
    assert {"type": "array"}.items() <= schema["anyOf"][1].items() and "type" in schema["anyOf"][0]


def test_the_shipped_catalogue_meets_its_own_json_schema():
    import jsonschema
    import yaml

    schema = json.loads((REPO / "schema/reference.schema.json").read_text(encoding="utf-8"))
    shipped = yaml.safe_load((REPO / "references/条例第二十条.yml").read_text(encoding="utf-8"))
    jsonschema.validate(shipped, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**shipped, "作者": "某人"}, schema)


def test_the_text_summary_names_ten_agencies_and_counts_the_rest(capsys, tmp_path):
    import subprocess
    import sys

    corpus = tmp_path / "corpus"
    subprocess.run([sys.executable, str(REPO / "bench/make_corpus.py"), "12", str(corpus)], check=True, capture_output=True)
    status, out, _ = run(capsys, "--source", str(corpus))
    assert status == 0
    line = next(line for line in out.splitlines() if line.startswith("    未覆盖") and "等 12 个机构" in line)
    assert line.count("、") == 9  # ten names


def test_gkml_check_reports_reference_files_and_unknown_numbers(site):
    from gkml_ssg.check.command import check_content

    assert check_content(site.content, workers=1).passed()
    site.write("a/x.yml", AGENCY_YML.replace("      - 二级事项: 领导信息\n", "      - 二级事项: 领导信息\n        对应标准事项: 不存在\n"))
    (site.root / "references/测试.yml").write_text(REFERENCE.replace("  - 编号: T-3\n", "  - 编号: T-1\n"), encoding="utf-8")
    report = check_content(site.content, workers=1)
    codes = sorted(d.as_json()["code"] for d in report.diagnostics)
    assert not report.passed() and codes == ["duplicate-reference-number", "unknown-reference-number"]
