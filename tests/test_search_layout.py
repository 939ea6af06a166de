"""The search page does not jump while its results arrive: the layout shift (CLS, as Lighthouse and
Chrome measure it) of opening a bookmarked search stays below 0.05 on a phone and on a desktop,
until the results and the filters are all shown. Other pages do not shift either."""

from __future__ import annotations

import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from conftest import REPO

from gkml_ssg.build.orchestrator import BuildOptions, build

pytestmark = pytest.mark.browser

# Every layout shift not caused by the reader's own input, added up (the page is short: one window).
SHIFTS = """
window.__shift = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.__shift += entry.value;
}).observe({ type: "layout-shift", buffered: true });
"""


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("layout") / "site"
    build(BuildOptions(source=REPO / "content", out=out, base_url="/"))
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(out)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(("width", "height"), [(412, 823), (1350, 940)], ids=["phone", "desktop"])
@pytest.mark.parametrize("query", ["异地就医", "医", "定点医疗机构", "没有这个词的查询"])
def test_opening_a_search_shifts_the_layout_less_than_005(browser, site, width, height, query):
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    page = context.new_page()
    page.add_init_script(SHIFTS)
    page.goto(site + f"search/?q={query}")
    page.locator("[data-status]").filter(has_text="结果").wait_for()
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)  # the filters, drawn after the first results
    shift = page.evaluate("window.__shift")
    context.close()
    assert shift < 0.05, shift


@pytest.mark.parametrize("path", ["", "agencies/huinong-yibao/", "agencies/huinong-yibao/items/1/", "legal-basis/"])
def test_other_pages_do_not_shift_when_the_text_size_button_appears(browser, site, path):
    # The button is hidden in the HTML and shown by its script once the page is parsed; its place
    # is kept from the first paint (a phone's header wrapped to another line: 0.04 on every page).
    context = browser.new_context(viewport={"width": 412, "height": 823}, locale="zh-CN")
    page = context.new_page()
    page.add_init_script(SHIFTS)
    page.goto(site + path)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)
    shift = page.evaluate("window.__shift")
    visible = page.locator("[data-text-size]").is_visible()
    context.close()
    assert visible and shift < 0.01, shift
