"""What a reader downloads: per agency a CSV per list, the officers' table (XLSX) and the whole
catalogue (JSON), linked from its page with format and size; per entry page a JSON twin. Each
file parsed back equals the YAML; no cell can become a formula; the files are made again only
when their agency changes."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import os
import re
import textwrap
from pathlib import Path

import openpyxl
import pytest
from conftest import AGENCY_YML, REPO, SITE_YML

from gkml_ssg.build.orchestrator import BuildOptions, build
from gkml_ssg.content.dump import model_tree
from gkml_ssg.importing.agency import ImportOptions, import_file
from gkml_ssg.render.renderer import channel_list


def rows(path: Path) -> list[dict[str, str]]:
    data = path.read_bytes()
    assert data.startswith("\ufeff".encode())  # Excel reads the file as UTF-8
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def slug_of(source) -> str:
    return source.agency.slug or Path(source.path).stem


def test_each_list_as_csv_has_the_seeds_rows_and_values(seeds_site, seeds):
    for source in seeds:
        agency, folder = source.agency, seeds_site / "agencies" / slug_of(source)
        items = [(category, item) for category in agency.catalogue for item in category.items]
        proactive = rows(folder / "proactive.csv")
        assert len(proactive) == len(items), source.path
        for row, (category, item) in zip(proactive, items, strict=True):
            assert row["发布机构"] == agency.name and row["区县"] == agency.region.county
            assert (row["一级事项"], row["二级事项"], row["序号"]) == (category.name, item.title or "", item.number or "")
            assert row["公开依据"].split("\n") == list(item.basis) or (row["公开依据"] == "" and not item.basis)
            assert row["公开内容"] == (item.content or "") and row["备注"] == (item.remarks or "")
            assert row["公开渠道和载体"] == channel_list(item.channels)
            assert row["公开对象"] == (item.audience.value if item.audience else "")
            assert row["网址"].startswith("https://") and "/items/" in row["网址"]
        on_request = rows(folder / "on-request.csv")
        negative = rows(folder / "negative.csv")
        assert len(on_request) == (len(agency.on_request.entries) if agency.on_request else 0)
        assert len(negative) == (len(agency.negative.entries) if agency.negative else 0)
        if agency.negative:
            assert [row["公开事项"] for row in negative] == [entry.title for entry in agency.negative.entries]
    huinong = seeds_site / "agencies/huinong-yibao"
    assert (len(rows(huinong / "on-request.csv")), len(rows(huinong / "negative.csv"))) == (3, 15)


def test_the_json_is_the_catalogue_as_the_model_describes_it(seeds_site, seeds):
    for source in seeds:
        folder = seeds_site / "agencies" / slug_of(source)
        assert json.loads((folder / "catalogue.json").read_text(encoding="utf-8")) == json.loads(json.dumps(model_tree(source.agency)))
        first = json.loads((folder / "items/1/index.json").read_text(encoding="utf-8")) if (folder / "items/1").is_dir() else None
        if first is not None:
            assert first["发布机构"] == source.agency.name and first["清单"] == "主动公开事项"


def test_every_entry_page_has_a_json_twin_announced_in_its_head(seeds_site):
    pages = [path for path in (seeds_site / "agencies").rglob("index.html") if re.search(r"/(items|on-request|negative)/[^/]+/index.html$", path.as_posix())]
    assert len(pages) == 120 + 3 + 15  # the seeds' items, on-request and negative entries
    for page in pages:
        twin = page.with_name("index.json")
        data = json.loads(twin.read_text(encoding="utf-8"))
        assert data["条目"] and data["网址"].endswith(page.parent.relative_to(seeds_site).as_posix() + "/")
        link = f'<link rel="alternate" type="application/json" href="/{twin.relative_to(seeds_site).as_posix()}"'
        assert link in page.read_text(encoding="utf-8")


def test_the_xlsx_is_the_officers_table_and_imports_back_to_the_agency(seeds_site, seeds, tmp_path):
    for source in seeds:
        path = tmp_path / f"{slug_of(source)}.xlsx"
        path.write_bytes((seeds_site / "agencies" / slug_of(source) / "catalogue.xlsx").read_bytes())
        imported = import_file(path, ImportOptions()).agency
        assert dataclasses.replace(imported, source_file=source.agency.source_file) == source.agency, source.path


def test_the_agency_page_links_its_downloads_with_their_real_sizes(seeds_site):
    page = (seeds_site / "agencies/huinong-yibao/index.html").read_text(encoding="utf-8")
    links = re.findall(r'<a href="/agencies/huinong-yibao/([a-z.-]+)" download="惠农区医疗保障局-[^"]+">[^<]+</a> <span class="count">(\w+)，([\d.]+) (KB|字节)</span>', page)
    assert [name for name, *_ in links] == ["proactive.csv", "on-request.csv", "negative.csv", "catalogue.xlsx", "catalogue.json"]
    for name, _, size, unit in links:
        actual = (seeds_site / "agencies/huinong-yibao" / name).stat().st_size
        assert float(size) == (round(actual / 1024, 1) if unit == "KB" else actual)
    # an agency without an on-request list links no such CSV
    assert "on-request.csv" not in (seeds_site / "agencies/haiyuan-yibao/index.html").read_text(encoding="utf-8")


FORMULAS = ["=HYPERLINK(\"http://x\",\"点我\")", "+1+2", "-3", "@SUM(A1)", "=A1*2"]


@pytest.mark.parametrize("value", ["=1", "+1", "-1", "@A1", "\t=1", "\r=1", "'=1", "'已废止'"])
def test_a_csv_cell_that_starts_like_a_formula_is_text(value):
    from gkml_ssg.render.formats import csv_cell, csv_text

    cell = csv_cell(value)
    assert cell == '"' + "'" + value + '"'
    # an apostrophe of the text's own is kept: reading the guard off gives back what was written
    assert csv_text(next(csv.reader([cell]))[0]) == value
    assert csv_cell("公开=1") == '"公开=1"'



def test_no_cell_becomes_a_formula_while_the_page_shows_the_value_as_written(project):
    text = AGENCY_YML.replace("公开内容: 机构职能", "公开内容: '=HYPERLINK(\"http://x\",\"点我\")'")
    text = text.replace("      - 二级事项: 领导信息\n", "".join(
        f"      - 二级事项: 第{index}项\n        公开时限: {json.dumps(value, ensure_ascii=False)}\n" for index, value in enumerate(FORMULAS)
    ))  # fmt: skip
    project.write("x/agency.yml", text)
    build(BuildOptions(source=project.content, out=project.out, search_index=False))
    folder = project.out / "agencies/agency"
    cells = rows(folder / "proactive.csv")
    assert cells[0]["公开内容"] == "'" + FORMULAS[0]
    assert [row["公开时限"] for row in cells[1:]] == ["'" + value for value in FORMULAS]
    sheet = openpyxl.load_workbook(folder / "catalogue.xlsx")["目录"]
    texts = {cell.value: cell.data_type for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)}
    for value in FORMULAS:
        assert texts.get(value) == "s", value  # text cells, as written
    shown = (folder / "items/1/index.html").read_text(encoding="utf-8")
    assert "=HYPERLINK(" in shown and "'=HYPERLINK" not in shown and "<dd>'+1+2</dd>" not in shown


def test_downloads_are_made_again_only_when_their_agency_changes(project):
    project.write("x/a.yml", AGENCY_YML)
    project.write("y/b.yml", AGENCY_YML.replace("测试县医疗保障局", "测试县财政局"))
    options = BuildOptions(source=project.content, out=project.out, search_index=False, workers=1)
    build(options)
    files = ["proactive.csv", "on-request.csv", "negative.csv", "catalogue.xlsx", "catalogue.json"]
    before = {name: os.stat(project.out / "agencies/b" / name).st_mtime_ns for name in files}
    project.write("x/a.yml", AGENCY_YML.replace("机构职能", "机构职能和内设机构"))
    build(options)
    assert {name: os.stat(project.out / "agencies/b" / name).st_mtime_ns for name in files} == before
    assert "机构职能和内设机构" in (project.out / "agencies/a/proactive.csv").read_text(encoding="utf-8-sig")


def test_the_same_sources_give_the_same_download_bytes(tmp_path):
    def made(out: Path) -> dict[str, bytes]:
        build(BuildOptions(source=REPO / "content", out=out, search_index=False, workers=1))
        return {path.relative_to(out).as_posix(): path.read_bytes() for path in out.rglob("*") if path.suffix in (".csv", ".xlsx", ".json")}

    assert made(tmp_path / "a") == made(tmp_path / "b")


def test_subject_and_validity_are_shown_and_searchable_filters(project):
    text = AGENCY_YML.replace("        公开方式: 主动\n", "        公开方式: 主动\n        主题分类: 卫生、体育\n        有效性: 已废止\n")
    project.write("x/agency.yml", textwrap.dedent(text))
    build(BuildOptions(source=project.content, out=project.out, search_index=False))
    page = (project.out / "agencies/agency/items/1/index.html").read_text(encoding="utf-8")
    assert "<dt>主题分类</dt>" in page and "卫生、体育" in page and "已废止" in page
    row = rows(project.out / "agencies/agency/proactive.csv")[0]
    assert (row["主题分类"], row["有效性"]) == ("卫生、体育", "已废止")


SITE = SITE_YML  # the project fixture's site.yml
