"""A build for publishing: the footer fields a government website must carry, and the meta tags
the national government-website monitoring reads."""

from __future__ import annotations

import subprocess
import sys
from html.parser import HTMLParser

from conftest import AGENCY_YML, REPO
from test_history import Repository

from gkml_ssg.build.orchestrator import BuildOptions, build
from gkml_ssg.keys import gkml_version

FULL_SITE_YML = """\
网站名称: 测试县政务公开目录
网址: https://gkml.example.gov.cn/gkml/
主办单位: 测试县医疗保障局
网站标识码: "6402050001"
ICP备案号: 宁ICP备12345678号-1
公安备案号: 宁公网安备 64020502000123号
联系方式: 0952-1234567
"""


class MetaTags(HTMLParser):
    def __init__(self, html: str):
        super().__init__()
        self.meta: dict[str, str] = {}
        self.footer_links: list[str] = []
        self._in_footer = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "meta" and "name" in attributes:
            self.meta[attributes["name"]] = attributes["content"]
        if tag == "footer":
            self._in_footer = True
        if tag == "a" and self._in_footer:
            self.footer_links.append(attributes["href"])

    def handle_endtag(self, tag):
        if tag == "footer":
            self._in_footer = False


def gkml_build(project, *arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "gkml_ssg", "build", "--source", str(project.content), "--out", str(project.out), "--no-index", *arguments],
        capture_output=True, text=True, cwd=REPO, check=False,
    )


def test_a_production_build_names_every_missing_footer_field_and_writes_nothing(project):
    project.write("a/x.yml", AGENCY_YML)
    run = gkml_build(project, "--production")
    assert run.returncode == 1
    lines = run.stderr.splitlines()
    for key in ("网站标识码", "ICP备案号", "公安备案号", "联系方式"):
        assert any(line.startswith(f"site.yml: 字段“{key}”：正式发布（--production）时页脚必须填写此项") for line in lines), key
    assert not any("主办单位" in line for line in lines)  # the test site has one
    assert lines[-1].startswith("构建失败：发现 4 处错误")
    assert not project.out.exists()
    # without --production the same content builds
    assert gkml_build(project).returncode == 0


def test_a_blank_footer_field_counts_as_missing(project):
    project.write("site.yml", FULL_SITE_YML.replace("联系方式: 0952-1234567", '联系方式: "  "'))
    project.write("a/x.yml", AGENCY_YML)
    run = gkml_build(project, "--production")
    assert run.returncode == 1 and "字段“联系方式”" in run.stderr


def test_the_footer_and_the_monitoring_meta_tags_of_a_production_build(project):
    project.write("site.yml", FULL_SITE_YML)
    project.write("a/x.yml", AGENCY_YML)
    Repository(project).commit("录入公开目录", "2025-04-03T14:25:00+08:00")
    run = gkml_build(project, "--production")
    assert run.returncode == 0, run.stderr

    item = (project.out / "agencies/x/items/1/index.html").read_text(encoding="utf-8")
    tags = MetaTags(item)
    assert tags.meta == {
        "viewport": tags.meta["viewport"],
        "generator": f"gkml {gkml_version()}",  # which gkml made the page
        "description": "测试县医疗保障局·主动公开事项·机构信息：机构职能",  # for search engines' snippets
        "SiteName": "测试县政务公开目录",
        "SiteDomain": "gkml.example.gov.cn",
        "SiteIDCode": "6402050001",
        "ColumnName": "主动公开事项",
        "ArticleTitle": "机构信息",
        "PubDate": "2025-04-03 14:25",
        "ContentSource": "测试县医疗保障局",
    }
    for text in ("测试县医疗保障局", "6402050001", "宁ICP备12345678号-1", "宁公网安备 64020502000123号", "0952-1234567"):
        assert text in item
    assert "https://beian.miit.gov.cn/" in tags.footer_links  # the ICP number links to the register

    home = MetaTags((project.out / "index.html").read_text(encoding="utf-8")).meta
    assert home["ColumnName"] == "首页" and home["SiteIDCode"] == "6402050001"
    assert not {"ArticleTitle", "PubDate", "ContentSource"} & set(home)
    agency = MetaTags((project.out / "agencies/x/index.html").read_text(encoding="utf-8")).meta
    assert (agency["ColumnName"], agency["ArticleTitle"]) == ("政务公开目录", "测试县医疗保障局")


def test_outside_git_a_content_page_has_no_publication_date(project):
    project.write("site.yml", FULL_SITE_YML)
    project.write("a/x.yml", AGENCY_YML)
    build(BuildOptions(source=project.content, out=project.out, search_index=False, production=True))
    meta = MetaTags((project.out / "agencies/x/items/1/index.html").read_text(encoding="utf-8")).meta
    assert "PubDate" not in meta and meta["ArticleTitle"] == "机构信息"
