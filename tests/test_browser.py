"""The search page in a real browser (Debian's Chromium driven by Playwright), served on 127.0.0.1,
at the site root and under a sub-path, used the way a reader uses it."""

from __future__ import annotations

import functools
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from conftest import REPO

from gkml_ssg.build.orchestrator import BuildOptions, build
from gkml_ssg.content.load import load_content
from gkml_ssg.search.records import site_records
from gkml_ssg.search.shards import SHARD_PAGE_TARGET
from gkml_ssg.search.text import query_words
from gkml_ssg.site.graph import assemble

pytestmark = pytest.mark.browser


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


# At the root with one search bundle; under a sub-path with the index split into shards that the
# browser merges (8 shards of which 5 hold agencies), as a province-wide site is.
@pytest.fixture(scope="module", params=[("/", SHARD_PAGE_TARGET), ("/gkml/", 30)], ids=["root", "sub-path-sharded"])
def served(request, tmp_path_factory):
    """The seed site built for a base path and served on 127.0.0.1; yields (origin + base, base)."""
    base, shard_pages = request.param
    root = tmp_path_factory.mktemp("served")
    out = root / base.strip("/") if base != "/" else root / "site"
    build(BuildOptions(source=REPO / "content", out=out, base_url=base, shard_pages=shard_pages))
    serve_dir = root if base != "/" else root / "site"
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(serve_dir)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}{base}", base
    server.shutdown()
    server.server_close()
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="module")
def records_by_base():
    content = load_content(REPO / "content")
    return lambda base: site_records(assemble(content, base))


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    tab = context.new_page()
    tab.console_errors = []
    tab.on("console", lambda message: message.type == "error" and tab.console_errors.append(message.text))
    tab.on("pageerror", lambda error: tab.console_errors.append(str(error)))
    yield tab
    context.close()


def search_as_a_reader(page, site: str, query: str) -> str:
    page.goto(site + "search/")
    page.locator("[data-search][data-ready]").wait_for(state="attached")
    box = page.get_by_label("搜索词")
    box.click()
    page.keyboard.type(query)
    page.keyboard.press("Enter")
    status = page.locator("[data-status]")
    status.filter(has_text="结果").wait_for()
    return status.inner_text()


def all_result_links(page) -> list[str]:
    more = page.locator("[data-more]")
    while more.is_visible():
        count = page.locator(".result").count()
        more.click()
        page.wait_for_function(f"document.querySelectorAll('.result').length > {count}")
    return [a.get_attribute("href") for a in page.locator(".result h3 a").all()]


def expected_urls(records, query: str) -> set[str]:
    words = query_words(query)
    return {r.url for r in records if all(w in r.text for w in words)}


def test_yidi_jiuyi_lists_every_page_that_mentions_it_title_matches_first(page, served, records_by_base):
    site, base = served
    status = search_as_a_reader(page, site, "异地就医")
    links = all_result_links(page)
    expected = expected_urls(records_by_base(base), "异地就医")
    assert status == f"共找到 {len(expected)} 条结果。"
    assert set(links) == expected
    guannan = {f"{base}agencies/guannan-yibao/items/{n}/" for n in (22, 23, 24, 25)}
    assert guannan <= set(links)  # the 灌南县 异地就医备案 items
    titles = page.locator(".result h3 a").all_inner_texts()
    with_phrase = [i for i, t in enumerate(titles) if "异地就医" in t]
    assert with_phrase == list(range(len(with_phrase))) and with_phrase  # titles with the phrase come first
    assert page.locator(".result-excerpt mark").first.inner_text() == "异地就医"
    assert "?q=" in page.url and "异地就医" in page.evaluate("decodeURIComponent(location.search)")
    assert page.console_errors == []


def test_sangong_jingfei_finds_entries_of_at_least_three_agencies(page, served):
    site, _ = served
    search_as_a_reader(page, site, "三公经费")
    agencies = {meta.split(" · ")[1] for meta in page.locator(".result-meta").all_inner_texts()}
    assert len(agencies) >= 3, agencies
    assert page.console_errors == []


def test_an_agency_filter_narrows_the_results_and_the_counts_agree(page, served):
    site, _ = served
    status = search_as_a_reader(page, site, "政府信息公开")
    total = int(status.split()[1])
    option = page.locator("fieldset", has=page.locator("legend", has_text="机构")).locator("label", has_text="惠农区医疗保障局")
    announced = int(option.locator(".count").inner_text().strip("（）"))
    assert 0 < announced < total
    option.locator("input").check()
    page.locator("[data-status]").filter(has_text=f"共找到 {announced} 条结果").wait_for()
    metas = page.locator(".result-meta")
    all_result_links(page)
    assert metas.count() == announced
    assert all("惠农区医疗保障局" in text for text in metas.all_inner_texts())
    assert "f=" in page.url  # the filter is part of the address too
    assert page.console_errors == []


def test_a_query_without_hits_says_so_in_chinese(page, served):
    site, _ = served
    status = search_as_a_reader(page, site, "火星探测器")
    assert status == "没有找到与“火星探测器”相关的结果。请换一个词，或减少筛选条件。"
    assert page.locator(".result").count() == 0
    assert page.console_errors == []


def test_several_words_must_all_occur(page, served, records_by_base):
    site, base = served
    status = search_as_a_reader(page, site, "异地就医 备案")
    expected = expected_urls(records_by_base(base), "异地就医 备案")
    assert status == f"共找到 {len(expected)} 条结果。"
    assert set(all_result_links(page)) == expected


def test_header_search_box_and_bookmarked_address(page, served):
    site, _ = served
    page.goto(site + "agencies/huinong-yibao/negative/1/")
    page.get_by_label("搜索公开目录").fill("医疗救助")
    page.get_by_label("搜索公开目录").press("Enter")
    page.locator("[data-status]").filter(has_text="共找到").wait_for()
    assert page.locator("#search-query").input_value() == "医疗救助"
    bookmarked = page.url
    page.goto(bookmarked)
    page.locator("[data-status]").filter(has_text="共找到").wait_for()
    assert page.locator(".result").count() > 0


def test_pages_log_no_console_errors(page, served):
    site, _ = served
    for path in ["", "agencies/huinong-yibao/", "agencies/huinong-yibao/items/1/", "agencies/huinong-yibao/negative/2/",
                 "agencies/huinong-yibao/on-request/1/", "legal-basis/", "search/?q=医保"]:
        response = page.goto(site + path)
        assert response.ok, path
        page.wait_for_load_state("networkidle")
    assert page.console_errors == []


def test_a_sentence_typed_without_spaces_finds_pages_with_all_its_words(page, served):
    site, base = served
    status = search_as_a_reader(page, site, "如何办理异地就医备案")
    assert status == "没有完全包含“如何办理异地就医备案”的页面；以下 5 条结果同时包含“办理”“异地就医”“备案”。"
    # four items, and their agency's page, whose 一级事项 heading is 基本医疗保险参保人员异地就医备案
    expected = {f"{base}agencies/guannan-yibao/items/{n}/" for n in (22, 23, 24, 25)} | {f"{base}agencies/guannan-yibao/"}
    assert set(all_result_links(page)) == expected
    assert page.console_errors == []
