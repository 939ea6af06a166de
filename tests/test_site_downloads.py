"""The site's downloads: every agency's lists in one CSV each and one workbook, described by
datapackage.json (which `frictionless validate` passes), linked from the downloads page; made
again when any agency changes and only then, equal to a fresh build's."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import frictionless
import openpyxl
from conftest import AGENCY_YML
from helpers import tree_bytes

from gkml_ssg.build.orchestrator import BuildOptions, build

LISTS = ("proactive.csv", "on-request.csv", "negative.csv")
SHEETS = {"proactive.csv": "主动公开事项", "on-request.csv": "依申请公开事项", "negative.csv": "负面清单"}


def csv_table(data: bytes) -> list[list[str]]:
    assert data.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def slug_of(source) -> str:
    return source.agency.slug or Path(source.path).stem


def test_each_site_list_holds_every_agencys_rows_in_order(seeds_site, seeds):
    counts = {
        "proactive.csv": lambda agency: sum(len(category.items) for category in agency.catalogue),
        "on-request.csv": lambda agency: len(agency.on_request.entries) if agency.on_request else 0,
        "negative.csv": lambda agency: len(agency.negative.entries) if agency.negative else 0,
    }
    for name in LISTS:
        gathered = csv_table((seeds_site / "downloads" / name).read_bytes())
        expected_rows: list[list[str]] = []
        for source in sorted(seeds, key=lambda source: source.path):
            own = csv_table((seeds_site / "agencies" / slug_of(source) / name).read_bytes())
            assert own[0] == gathered[0]  # one header
            assert len(own) - 1 == counts[name](source.agency), (name, source.path)
            expected_rows += own[1:]
        assert gathered[1:] == expected_rows
        assert len(gathered) - 1 == sum(counts[name](source.agency) for source in seeds) > 0


def test_site_proactive_values_equal_the_yaml(seeds_site, seeds):
    table = csv_table((seeds_site / "downloads/proactive.csv").read_bytes())
    by_address = {row[table[0].index("网址")]: dict(zip(table[0], row, strict=True)) for row in table[1:]}
    assert len(by_address) == len(table) - 1  # the address is unique: the package's primary key
    for source in seeds:
        agency = source.agency
        position = 0
        for category in agency.catalogue:
            for item in category.items:
                position += 1
                segment = item.slug or str(position)
                row = by_address[f"https://gkml.example.gov.cn/agencies/{slug_of(source)}/items/{segment}/"]
                assert (row["发布机构"], row["一级事项"], row["二级事项"]) == (agency.name, category.name, item.title or "")
                assert row["公开内容"] == (item.content or "") and row["公开依据"] == "\n".join(item.basis)
                assert row["公开对象"] == (item.audience.value if item.audience else "")


def test_the_site_workbook_has_a_sheet_per_list_equal_to_its_csv(seeds_site):
    workbook = openpyxl.load_workbook(seeds_site / "downloads/catalogue.xlsx")
    assert workbook.sheetnames == list(SHEETS.values())
    for name, sheet_name in SHEETS.items():
        table = csv_table((seeds_site / "downloads" / name).read_bytes())
        sheet = workbook[sheet_name]
        cells = [[cell.value or "" for cell in row] for row in sheet.iter_rows()]
        assert cells == table, name
        assert all(cell.data_type == "s" for row in sheet.iter_rows() for cell in row if cell.value is not None)
        assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref


def test_the_data_package_validates_and_describes_every_csv(seeds_site, seeds):
    report = frictionless.validate(str(seeds_site / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]
    package = json.loads((seeds_site / "datapackage.json").read_text(encoding="utf-8"))
    assert package["profile"] == "tabular-data-package" and package["title"] == "县级医疗保障局政务公开目录"
    assert package["licenses"] == [
        {"title": "知识共享署名 4.0 国际许可协议", "path": "https://creativecommons.org/licenses/by/4.0/deed.zh-hans", "name": "CC-BY-4.0"}
    ]
    assert package["sources"][0]["path"] == "https://gkml.example.gov.cn/"
    paths = [resource["path"] for resource in package["resources"]]
    on_disk = sorted(path.relative_to(seeds_site).as_posix() for path in seeds_site.rglob("*.csv"))
    assert sorted(paths) == on_disk and len(paths) == 3 * (len(seeds) + 1)
    for resource in package["resources"]:
        schema = json.loads((seeds_site / resource["schema"]).read_text(encoding="utf-8"))
        header = csv_table((seeds_site / resource["path"]).read_bytes())[0]
        assert [field["name"] for field in schema["fields"]] == header
        assert all(field.get("description") for field in schema["fields"])  # every column explained in Chinese
        assert schema["primaryKey"] == ["网址"] and resource["title"]


def test_a_changed_or_broken_file_fails_validation(seeds_site, tmp_path):
    copy = tmp_path / "copy"
    for path in [seeds_site / "datapackage.json", *seeds_site.rglob("*.csv"), *seeds_site.rglob("*.schema.json")]:
        target = copy / path.relative_to(seeds_site)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(path.read_bytes())
    site_list = copy / "downloads/proactive.csv"
    site_list.write_bytes(site_list.read_bytes().replace("全社会".encode(), "所有人".encode(), 1))
    report = frictionless.validate(str(copy / "datapackage.json"))
    kinds = {error.type for task in report.tasks for error in task.errors}
    assert {"constraint-error", "hash-count"} <= kinds


def test_formulas_stay_text_in_the_site_files(project):
    values = ["=1+1", "+SUM(A1)", "-2", "@A1", "'引号开头", "=HYPERLINK(\"http://x\")"]
    text = AGENCY_YML.replace("      - 二级事项: 领导信息\n", "".join(
        f"      - 二级事项: 第{index}项\n        公开时限: {json.dumps(value, ensure_ascii=False)}\n" for index, value in enumerate(values)
    ))  # fmt: skip
    project.write("x/a.yml", text)
    build(BuildOptions(source=project.content, out=project.out, search_index=False))
    table = csv_table((project.out / "downloads/proactive.csv").read_bytes())
    column = table[0].index("公开时限")
    assert [row[column] for row in table[2:]] == ["'" + value for value in values]
    sheet = openpyxl.load_workbook(project.out / "downloads/catalogue.xlsx")["主动公开事项"]
    shown = [row[column].value for row in sheet.iter_rows(min_row=3)]
    assert shown == values and all(row[column].data_type == "s" for row in sheet.iter_rows(min_row=3))


def test_made_again_when_any_agency_changes_and_equal_to_a_fresh_build(project, tmp_path):
    project.write("x/a.yml", AGENCY_YML)
    project.write("y/b.yml", AGENCY_YML.replace("测试县医疗保障局", "测试县财政局"))
    options = BuildOptions(source=project.content, out=project.out, search_index=False, workers=1)
    build(options)
    site_files = ["downloads/proactive.csv", "downloads/catalogue.xlsx", "datapackage.json", "downloads/index.html"]
    stamps = {name: (project.out / name).stat().st_mtime_ns for name in site_files}
    assert build(options).write.written == 0  # nothing changed: nothing gathered again
    assert {name: (project.out / name).stat().st_mtime_ns for name in site_files} == stamps

    def fresh() -> dict[str, bytes]:
        out = tmp_path / f"fresh-{len(list(tmp_path.iterdir()))}"
        build(BuildOptions(source=project.content, out=out, search_index=False, workers=1))
        return tree_bytes(out)

    def same_as_fresh() -> None:
        made, expected = tree_bytes(project.out), fresh()
        for name in (*site_files, "downloads/on-request.csv", "downloads/negative.csv"):
            assert made[name] == expected[name], name

    project.write("x/a.yml", AGENCY_YML.replace("机构职能", "机构职能和内设机构"))
    build(options)
    assert "机构职能和内设机构" in (project.out / "downloads/proactive.csv").read_text(encoding="utf-8-sig")
    same_as_fresh()

    # An unchanged agency's CSV removed or edited by hand: it is made again for the site's list.
    (project.out / "agencies/b/proactive.csv").unlink()
    (project.out / "agencies/a/negative.csv").write_text("篡改", encoding="utf-8")
    project.write("x/a.yml", AGENCY_YML.replace("机构职能", "机构职能（修订）"))
    build(options)
    same_as_fresh()

    project.write("z/c.yml", AGENCY_YML.replace("测试县医疗保障局", "测试县教育局"))
    build(options)
    same_as_fresh()
    (project.content / "y/b.yml").unlink()
    build(options)
    same_as_fresh()
    assert "测试县财政局" not in (project.out / "downloads/proactive.csv").read_text(encoding="utf-8-sig")


def test_the_downloads_page_links_every_site_file_with_its_size(seeds_site):
    page = (seeds_site / "downloads/index.html").read_text(encoding="utf-8")
    for name in (*LISTS, "catalogue.xlsx"):
        assert f'href="/downloads/{name}"' in page, name
    assert 'href="/datapackage.json"' in page and 'rel="license"' in page
    size = (seeds_site / "downloads/proactive.csv").stat().st_size
    assert f"{size / 1024:.1f} KB" in page
    home = (seeds_site / "index.html").read_text(encoding="utf-8")
    assert 'href="/downloads/"' in home  # in the site's navigation


def test_a_site_without_agencies_builds_a_downloads_page_and_no_package(project):
    build(BuildOptions(source=project.content, out=project.out, search_index=False))
    assert (project.out / "downloads/index.html").is_file()
    assert not (project.out / "datapackage.json").exists()
