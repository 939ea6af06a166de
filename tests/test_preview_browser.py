"""`gkml serve` in a real browser (Debian's Chromium driven by Playwright, as in test_browser.py):
the open page reloads by itself after an edit, shows the error of a broken edit and comes back
after the fix; and the search page works in the preview."""

from __future__ import annotations

import pytest
from preview_server import HAIYUAN, HAIYUAN_ITEM, PreviewProcess
from test_browser import (
    all_result_links,
    expected_urls,
    search_as_a_reader,
)

from gkml_ssg.content.load import load_content
from gkml_ssg.search.records import site_records
from gkml_ssg.site.graph import assemble

pytestmark = pytest.mark.browser

# Set in every document the page loads, once livereload.js has connected to the server.
CONNECTED = "document.addEventListener('LiveReloadConnect', () => { window.liveReloadConnected = true; });"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with PreviewProcess(tmp_path_factory.mktemp("preview-browser")) as process:  # with the search index
        yield process


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    tab = context.new_page()
    tab.add_init_script(CONNECTED)
    tab.console_errors = []
    tab.on("console", lambda message: message.type == "error" and tab.console_errors.append(message.text))
    tab.on("pageerror", lambda error: tab.console_errors.append(str(error)))
    yield tab
    context.close()


def wait_connected(page) -> None:
    page.wait_for_function("window.liveReloadConnected === true", timeout=15_000)


def test_search_works_in_the_preview(page, server):
    responses = []
    page.on("response", lambda response: responses.append(response))
    status = search_as_a_reader(page, server.url + "/", "异地就医")
    records = site_records(assemble(load_content(server.content), "/"))
    expected = expected_urls(records, "异地就医")
    assert status == f"共找到 {len(expected)} 条结果。"
    assert set(all_result_links(page)) == expected
    types = {response.url.split("?")[0].rsplit(".", 1)[-1]: response.headers["content-type"] for response in responses if "/search-index/" in response.url}
    assert types == {"json": "application/json", "bin": "application/octet-stream"}
    assert page.console_errors == []


def test_the_open_page_reloads_by_itself_after_edits(page, server):
    page.goto(server.url + HAIYUAN_ITEM)
    wait_connected(page)
    page.evaluate("window.beforeTheEdit = true")
    server.edit(HAIYUAN, "领导班子成员姓名", "领导班子成员的姓名")
    page.get_by_text("领导班子成员的姓名、职务").first.wait_for(timeout=30_000)
    assert page.evaluate("window.beforeTheEdit") is None  # a new document: the page was reloaded

    wait_connected(page)
    server.edit(HAIYUAN, "公开方式: 主动\n", "公开方式: 主动公开\n")
    page.get_by_role("heading", name="构建失败：网站未更新").wait_for(timeout=30_000)
    assert f"{HAIYUAN}:" in page.locator("main").inner_text() and "未知的取值“主动公开”" in page.content()

    wait_connected(page)
    server.edit(HAIYUAN, "公开方式: 主动公开\n", "公开方式: 主动\n")
    page.get_by_text("领导班子成员的姓名、职务").first.wait_for(timeout=30_000)
    assert page.get_by_role("heading", name="构建失败：网站未更新").count() == 0
    # the error page's own status is the only thing the browser complains about
    assert set(page.console_errors) == {"Failed to load resource: the server responded with a status of 500 (Internal Server Error)"}
