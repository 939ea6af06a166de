"""Each indexed page's search record holds what the page shows, and only that.

The page's side is read from the built HTML (tests/page_text.py: the content of <main> without
navigation and the templates' own wording); the record's side is `site_records`' text. They are
compared as the search sees text: a query word matches within a run of letters, digits and
ideographs (any other character separates), so each such run of one side must occur in the other.
Then every query word that finds a page by what it shows finds its record, and the reverse.
"""

from __future__ import annotations

import pytest
from conftest import REPO
from page_text import indexed_pages, template_wording, word_runs

from gkml_ssg.build.orchestrator import BuildOptions, build
from gkml_ssg.content.load import load_content
from gkml_ssg.search.records import site_records
from gkml_ssg.site.graph import assemble

BASE_PATH = "/"  # the seeds' 网址 (site.yml) has no path


@pytest.fixture(scope="module")
def seed_pages(tmp_path_factory):
    out = tmp_path_factory.mktemp("seeds") / "public"
    build(BuildOptions(source=REPO / "content", out=out, search_index=False))
    return indexed_pages(out, BASE_PATH)


@pytest.fixture(scope="module")
def seed_records():
    site = assemble(load_content(REPO / "content"))
    assert site.url("") == BASE_PATH
    return {record.url: record for record in site_records(site)}


def test_every_indexed_page_has_one_record(seed_pages, seed_records):
    assert list(seed_pages) == sorted(seed_pages)
    assert sorted(seed_records) == list(seed_pages)
    assert len(seed_records) == 5 + 120 + 3 + 15


def test_the_page_text_is_content_without_chrome(seed_pages):
    """The page rule itself, on pages whose values are known."""
    wording = template_wording()
    assert {"公开时限", "公开内容", "主动公开事项", "（未填）"} <= wording.constants  # macro arguments, defaults, kind labels
    assert {"公开渠道和载体", "原表未填写", "机构信息"} <= {run.source for run in wording.runs}  # literal text
    item = seed_pages["/agencies/huinong-yibao/items/2/"]
    assert item.title == "领导信息"
    assert {"领导信息", "概况信息", "全社会", "主动", "惠农区医疗保障局", "政府网站", "官方微信公众账号"} <= set(item.values)
    shown_as_wording = ("公开时限", "公开内容", "一级事项", "原表未填写", "变更记录", "引用情况", "主动公开事项", "上一条", "下一条", "首页")
    assert not [text for text in shown_as_wording if text in item.values]
    page_text = "。".join(page.text for page in seed_pages.values())
    for chrome in ("跳到正文", "公开依据索引", "主办单位", "上一条", "当前位置", "编辑此页"):
        assert chrome not in page_text, chrome
    agency = seed_pages["/agencies/huinong-yibao/"]
    assert "领导信息" not in agency.text  # the catalogue's rows are the item pages' content
    assert {"宁夏回族自治区", "石嘴山市", "惠农区"} <= set(agency.values)


def test_pages_show_what_their_records_index_and_index_what_they_show(seed_pages, seed_records):
    problems = []
    for url, page in seed_pages.items():
        record = seed_records[url]
        for block in page.blocks:
            for value in block.values:
                if missing := [run for run in word_runs(value) if run not in record.text]:
                    problems.append(f"{url} shows, not indexed [{block.context}] {block.text[:60]!r}: {missing}")
        page_text = page.text
        if missing := sorted({run for run in word_runs(record.text) if run not in page_text}):
            problems.append(f"{url} indexes, not shown: {missing}")
    assert not problems, f"{len(problems)} mismatches:\n" + "\n".join(problems)
