"""The auditors' pages as a reader finds them: each agency's coverage on its own page, the matrix of
each reference catalogue (and its pages per province when the site is large), the deadlines and
each wording's page, and the comparison page's data — checked against `gkml coverage`'s JSON, on
the seeds and on content written here; a site's own reference catalogue; bad reference input."""

from __future__ import annotations

import html
import json
import re

import pytest
from click.testing import CliRunner
from conftest import AGENCY_YML, REPO
from helpers import tree_bytes

from gkml_ssg.build.orchestrator import BuildOptions, build
from gkml_ssg.cli.main import main
from gkml_ssg.content.errors import ContentInvalid
from gkml_ssg.site import audit_view

ROW = re.compile(r'<tr><th scope="row"><a href="/agencies/([^/]+)/#coverage-1">.*?</tr>', re.S)
CELL = re.compile(r"<td(?: class=\"no\")?>(有|缺)</td>")


def coverage_json(source) -> list[dict]:
    result = CliRunner().invoke(main, ["coverage", "--source", str(source), "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def covered_by_agency(catalogue: dict) -> dict[str, dict[str, list[str]]]:
    """slug → reference item number → the covering pages (none: not covered)."""
    found: dict[str, dict[str, list[str]]] = {}
    for entry in catalogue["事项"]:
        for covering in entry["覆盖"]:
            found.setdefault(covering["网址标识"], {})[entry["编号"]] = covering["页面"]
        for missing in entry["未覆盖"]:
            found.setdefault(missing["网址标识"], {})[entry["编号"]] = []
    return found


def matrix_rows(page: str) -> dict[str, list[bool]]:
    return {match.group(1): [cell == "有" for cell in CELL.findall(match.group(0))] for match in ROW.finditer(page)}


def read(site, path: str) -> str:
    return (site / path / "index.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seeds(tmp_path_factory):
    out = tmp_path_factory.mktemp("audit") / "public"
    build(BuildOptions(source=REPO / "content", out=out, search_index=False))
    return out


@pytest.fixture(scope="module")
def seeds_json():
    return coverage_json(REPO / "content")


def matrix_path(site) -> str:
    index = read(site, "references")
    return re.search(r'<h2 id="reference-1"><a href="/(references/[0-9a-f]{10}/)">', index).group(1)


def test_each_agency_page_shows_what_covers_each_reference_item_and_what_is_missing(seeds, seeds_json):
    for slug, found in covered_by_agency(seeds_json[0]).items():
        page = read(seeds, f"agencies/{slug}")
        section = page[page.index('<section class="coverage"') :]
        section = section[: section.index("</section>")]
        assert f"覆盖 {sum(1 for pages in found.values() if pages)}/15 项" in section
        rows = re.findall(r"<tr(?: class=\"missing\")?>.*?</tr>", section, re.S)[1:]
        assert len(rows) == 15
        for row, (number, pages) in zip(rows, sorted(found.items(), key=lambda pair: int(pair[0].split("-")[1])), strict=True):
            assert f"<td data-label=\"编号\">{number}</td>" in row
            assert re.findall(r'<a href="/(agencies/[^"]+)">', row) == pages
            assert ("未覆盖" in row) == (not pages) and ('class="missing"' in row) == (not pages)
        assert "data-not-searched" in page[page.index('<section class="coverage"') - 1 : page.index('<section class="coverage"') + 80]
    # the evidence is shown: a keyword and where it was found
    guannan = read(seeds, "agencies/guannan-yibao")
    assert "（二级事项含“应急预案”）" in guannan


def test_the_matrix_has_a_row_per_agency_and_a_cell_per_reference_item_as_the_json_says(seeds, seeds_json):
    page = read(seeds, matrix_path(seeds))
    rows = matrix_rows(page)
    found = covered_by_agency(seeds_json[0])
    numbers = [entry["编号"] for entry in seeds_json[0]["事项"]]
    assert rows == {slug: [bool(by_number[n]) for n in numbers] for slug, by_number in found.items()}
    # grouped by region: a fold per province, the cities inside it
    assert page.count('<details class="region-fold" open>') == 2
    assert page.index("宁夏回族自治区") < page.index("中卫市") < page.index("江苏省") < page.index("连云港市")
    assert '<div class="matrix-scroll" role="region"' in page
    # the index counts what the matrix shows
    index = read(seeds, "references")
    for entry in seeds_json[0]["事项"]:
        assert f"{len(entry['覆盖'])}/5</td>" in index.split(f">{entry['名称']}</th>", 1)[1][:80]


def test_a_large_site_has_a_matrix_page_per_province(tmp_path, monkeypatch, seeds_json):
    monkeypatch.setattr(audit_view, "MATRIX_PAGE_LIMIT", 2)
    out = tmp_path / "public"
    build(BuildOptions(source=REPO / "content", out=out, search_index=False))
    top = read(out, matrix_path(out))
    provinces = re.findall(r'<th scope="row"><a href="/(references/[0-9a-f]{10}/[0-9a-f]{8}/)">([^<]+)</a></th>\s*<td>(\d+)</td>', top)
    assert [(name, int(count)) for _, name, count in provinces] == [("宁夏回族自治区", 4), ("江苏省", 1)]
    assert not matrix_rows(top)
    rows: dict[str, list[bool]] = {}
    for path, name, _ in provinces:
        page = read(out, path)
        assert f"<h1>{html.escape(seeds_json[0]['名称'])}</h1>" in page and name in page
        rows |= matrix_rows(page)
    assert set(rows) == set(covered_by_agency(seeds_json[0]))
    sitemap = (out / "sitemap.xml").read_text(encoding="utf-8")
    assert all(path in sitemap for path, _, _ in provinces)


def test_deadlines_list_each_wording_normalised_with_its_agencies_and_items(seeds):
    page = read(seeds, "deadlines")
    rows = re.findall(r'<a href="/(deadlines/[0-9a-f]{10}/)">([^<]+)</a></th>\s*(?:<td data-label="折算">([^<]+)</td>)?', page)
    wordings = {html.unescape(text): (path, label) for path, text, label in rows}
    assert wordings["形成或者变更之日起20个工作日内"][1] == "20 个工作日"
    assert wordings["按照有关规定及时公开。"][1] == ""  # no number of days: as written
    assert page.index("可折算为天数的写法") < page.index("未写明天数的写法")
    common = read(seeds, wordings["形成或者变更之日起20个工作日内"][0])
    assert "折算为 20 个工作日" in common and "36 个事项使用" in common
    assert len(re.findall(r'<li><a href="/agencies/[^/]+/items/[^/]+/">', common)) == 36


def test_a_widely_used_wording_has_a_page_per_province(tmp_path, monkeypatch):
    monkeypatch.setattr(audit_view, "DEADLINE_PAGE_LIMIT", 10)
    out = tmp_path / "public"
    build(BuildOptions(source=REPO / "content", out=out, search_index=False))
    page = read(out, "deadlines")
    path = re.search(r'<a href="/(deadlines/[0-9a-f]{10}/)">形成或者变更之日起20个工作日内</a>', page).group(1)
    wording = read(out, path)
    provinces = re.findall(rf'<a href="/({path}[0-9a-f]{{8}}/)">([^<]+)</a></th>\s*<td data-label="机构数">(\d+)</td>\s*<td data-label="事项数">(\d+)</td>', wording)
    assert provinces and sum(int(items) for *_, items in provinces) == 36
    for province_path, _, _, items in provinces:
        assert len(re.findall(r'<li><a href="/agencies/', read(out, province_path))) == int(items)


def test_the_comparison_page_reads_each_agencys_catalogue_file(seeds):
    listing = json.loads((seeds / "compare/agencies.json").read_text(encoding="utf-8"))["机构"]
    assert len(listing) == 5 and [row[2] for row in listing] == sorted(row[2] for row in listing)  # by region
    for slug, name, region, file in listing:
        data = json.loads((seeds / file.lstrip("/")).read_text(encoding="utf-8"))
        assert data["名称"] == name and data["网址标识"] == slug and data["地区"] == region
        items = [item for category in data["目录"] for item in category["事项"]]
        assert all((seeds / item["网址"].lstrip("/") / "index.html").is_file() for item in items)
        assert all(set(item) == {"事项", "网址", "公开时限", "公开主体", "公开渠道", "公开依据"} for item in items)
    page = read(seeds, "compare")
    assert 'data-agencies="/compare/agencies.json"' in page and page.count('name="a"') == 4
    assert 'href="/compare/?a=huinong-yibao"' in read(seeds, "agencies/huinong-yibao")


SITE_REFERENCE = """\
名称: 医疗保障领域基层政务公开标准目录（节选）
来源: 国家医疗保障局《医疗保障领域基层政务公开标准指引》
版本: 2020年
事项:
  - 编号: 医保-1
    名称: 机构信息
    关键词: [机构信息, 机构职能]
  - 编号: 医保-2
    名称: 领导信息
    关键词: [领导]
"""


def test_a_sites_own_reference_catalogue_gets_its_matrix_and_an_edit_to_it_rebuilds(project):
    project.write("a/x.yml", AGENCY_YML)
    (project.root / "references").mkdir()
    reference = project.root / "references" / "医保.yml"
    reference.write_text(SITE_REFERENCE, encoding="utf-8")
    options = BuildOptions(source=project.content, out=project.out, search_index=False, workers=1)
    build(options)
    agency = read(project.out, "agencies/x")
    assert "对照标准目录：医疗保障领域基层政务公开标准目录（节选）" in agency and "覆盖 2/2 项" in agency
    index = read(project.out, "references")
    assert index.count('<h2 id="reference-') == 2

    reference.write_text(SITE_REFERENCE.replace("关键词: [领导]", "关键词: [负责人]"), encoding="utf-8")
    build(options)
    assert "覆盖 1/2 项" in read(project.out, "agencies/x")
    fresh = project.root / "fresh"
    build(BuildOptions(source=project.content, out=fresh, search_index=False, workers=1))
    assert tree_bytes(project.out) == tree_bytes(fresh)


def test_a_bad_reference_file_or_number_fails_the_build_with_its_position(project):
    project.write("a/x.yml", AGENCY_YML)
    (project.root / "references").mkdir()
    (project.root / "references" / "坏.yml").write_text(SITE_REFERENCE.replace("编号: 医保-2", "编号: 医保-1"), encoding="utf-8")
    with pytest.raises(ContentInvalid) as failed:
        build(BuildOptions(source=project.content, out=project.out, search_index=False, workers=1))
    assert [error.code for error in failed.value.errors] == ["duplicate-reference-number"]
    assert failed.value.errors[0].path == "references/坏.yml" and failed.value.errors[0].origin.line == 8

    (project.root / "references" / "坏.yml").unlink()
    project.write("a/x.yml", AGENCY_YML.replace("      - 二级事项: 领导信息\n", "      - 二级事项: 领导信息\n        对应标准事项: 条例20-99\n"))
    with pytest.raises(ContentInvalid) as failed:
        build(BuildOptions(source=project.content, out=project.out, search_index=False, workers=1))
    assert [error.code for error in failed.value.errors] == ["unknown-reference-number"]
    assert failed.value.errors[0].path == "a/x.yml"
