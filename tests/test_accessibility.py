"""Accessibility and 适老化, in Chromium, on the seed site built for /gkml/ and served by nginx with the
example configuration (deploy/nginx/, its Content-Security-Policy included):

- no CSP violation and no console error on the main kinds of page, and search works there;
- axe-core (tests/install.sh installs it from the npm registry) reports no serious or critical
  WCAG 2.1 A/AA or best-practice violation, on a desktop screen, on a 360 px phone in the
  larger-text mode, and at 200% zoom;
- no page scrolls sideways on a phone or at 200% zoom, in either text size;
- the larger-text mode (大字模式) holds across pages from the first paint, and its button is not
  shown without JavaScript;
- printed, a page drops the site's controls, and a catalogue table repeats its header row on
  every A4 sheet.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import REPO, missing
from nginx_site import NginxSite

from gkml_ssg.build.orchestrator import BuildOptions, build
from gkml_ssg.content.references import site_references
from gkml_ssg.site.audit_view import reference_path

pytestmark = [pytest.mark.browser, pytest.mark.nginx]

SUB_PATH = "/gkml/"
AXE = REPO / ".test-deps/axe/node_modules/axe-core/axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
FAILING_IMPACTS = {"serious", "critical"}

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}
# A browser zoomed to 200% lays a 1280×900 window out as 640×450 CSS pixels (WCAG 1.4.4 and 1.4.10).
ZOOM_200 = {"width": 640, "height": 450}

HOME = ""
AGENCY = "agencies/huinong-yibao/"
ITEM = "agencies/huinong-yibao/items/1/"
NEGATIVE = "agencies/huinong-yibao/negative/2/"
SEARCH = "search/?q=医疗保障"
MATRIX = reference_path(site_references(REPO / "content")[0][0])  # the shipped 第二十条's
COMPARE = "compare/?a=huinong-yibao&a=guannan-yibao"
MAIN_PAGES = [HOME, AGENCY, ITEM, NEGATIVE, SEARCH, MATRIX, COMPARE]
OTHER_PAGES = ["agencies/huinong-yibao/on-request/1/", "agencies/huinong-yibao/history/", "legal-basis/", "downloads/",
               "references/", "deadlines/", "no-such-page/"]  # the last one: nginx answers with the site's 404 page

TEXT_SIZE_KEY = "gkml-text-size"  # static/js/text-size.js
LARGE_TEXT = f"localStorage.setItem('{TEXT_SIZE_KEY}', 'large')"

# Every violation of the page's Content-Security-Policy is handed to the test as it happens.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  const where = `${event.sourceFile}:${event.lineNumber}`;
  window.reportViolation(`${event.violatedDirective} blocked ${event.blockedURI || "inline"} at ${where}`);
});
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("a11y") / "gkml"
    build(BuildOptions(source=REPO / "content", out=out, base_url=SUB_PATH))
    yield out
    shutil.rmtree(out.parent, ignore_errors=True)


@pytest.fixture(scope="module")
def site(built, tmp_path_factory):
    with NginxSite(built, tmp_path_factory.mktemp("nginx"), SUB_PATH) as served:
        yield served


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.exists():
        missing(f"axe-core ({AXE})")
    return AXE.read_text(encoding="utf-8")


@pytest.fixture
def open_context(browser):
    """Opens browser contexts (viewport, JavaScript, larger text) that are closed after the test."""
    contexts = []

    def open_(viewport=DESKTOP, large_text=False, **options):
        context = browser.new_context(viewport=viewport, locale="zh-CN", **options)
        if large_text:
            context.add_init_script(LARGE_TEXT)
        contexts.append(context)
        return context

    yield open_
    for context in contexts:
        context.close()


def watched_page(context):
    """A page whose CSP violations, console errors and uncaught exceptions are recorded in `problems`."""
    problems: list[str] = []
    context.expose_binding("reportViolation", lambda _source, text: problems.append(f"CSP: {text}"))
    context.add_init_script(REPORT_VIOLATIONS)
    page = context.new_page()
    page.on("console", lambda message: message.type == "error" and problems.append(f"console: {message.text}"))
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    return page, problems


def visit(page, site, path: str, settle: bool = True):
    """Opens a page; the search page once its results are shown. `settle`: and until the network
    has been quiet for half a second (what a late script or style might still load)."""
    response = page.goto(site.base_url + path)
    if path.startswith("search/"):
        page.locator("[data-status]").filter(has_text="结果").wait_for()
    if path.startswith("compare/?"):
        page.locator("[data-status]").filter(has_text="正在对比").wait_for()
    if settle:
        page.wait_for_load_state("networkidle")
    return response


@pytest.mark.parametrize("path", MAIN_PAGES, ids=["home", "agency", "item", "negative", "search", "matrix", "compare"])
def test_no_csp_violation_no_console_error_and_search_works(site, open_context, path):
    page, problems = watched_page(open_context())
    response = visit(page, site, path)
    assert "script-src 'self'" in response.headers["content-security-policy"]  # nginx's policy is on
    if path != SEARCH:
        # the header's search box, as a reader uses it
        page.get_by_label("搜索公开目录").fill("医疗保障")
        page.get_by_label("搜索公开目录").press("Enter")
    page.locator("[data-status]").filter(has_text="共找到").wait_for()
    assert page.locator(".result h3 a").count() > 0
    assert page.locator("#search-query").input_value() == "医疗保障"
    page.wait_for_load_state("networkidle")
    assert problems == []


def axe_violations(page, axe_source: str) -> list[str]:
    """axe-core's serious and critical violations on the page, one line per element.

    axe is evaluated through the DevTools protocol (page.evaluate): the page's CSP, which forbids
    any script the site does not ship, does not apply to that, so the policy stays on while it runs.
    """
    page.evaluate(axe_source)
    result = page.evaluate("(tags) => axe.run(document, { runOnly: { type: 'tag', values: tags } })", AXE_TAGS)
    return [
        f"{violation['impact']} {violation['id']} ({violation['help']}): {node['target']} {node['html'][:160]}"
        for violation in result["violations"]
        if violation["impact"] in FAILING_IMPACTS
        for node in violation["nodes"]
    ]


def scrolls_sideways(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth > window.innerWidth")


AXE_CASES = (
    [("desktop", DESKTOP, False, path) for path in MAIN_PAGES + OTHER_PAGES]
    + [("phone-large-text", PHONE, True, path) for path in MAIN_PAGES]
    + [("zoom-200", ZOOM_200, False, path) for path in MAIN_PAGES]
)


@pytest.mark.parametrize(
    ("screen", "viewport", "large_text", "path"), AXE_CASES,
    ids=[f"{screen}:{path.split('?')[0] or 'home'}" for screen, _, _, path in AXE_CASES],
)
def test_axe_finds_no_serious_or_critical_violation(site, open_context, axe_source, screen, viewport, large_text, path):
    page = open_context(viewport=viewport, large_text=large_text).new_page()
    visit(page, site, path)
    assert page.evaluate("document.documentElement.classList.contains('text-large')") == large_text
    assert axe_violations(page, axe_source) == []
    assert not scrolls_sideways(page)


def reflow_pages(built: Path) -> list[str]:
    agencies = sorted(p.name for p in (built / "agencies").iterdir() if p.is_dir())
    wordings = sorted(p.name for p in (built / "deadlines").iterdir() if p.is_dir())[:3]
    return [HOME, "legal-basis/", SEARCH, ITEM, NEGATIVE, "agencies/huinong-yibao/on-request/1/",
            "agencies/huinong-yibao/history/", "downloads/", "references/", MATRIX, "deadlines/", COMPARE,
            *(f"deadlines/{name}/" for name in wordings)] + [f"agencies/{slug}/" for slug in agencies]


@pytest.mark.parametrize("large_text", [False, True], ids=["standard-text", "large-text"])
@pytest.mark.parametrize("viewport", [PHONE, ZOOM_200], ids=["phone-360", "zoom-200"])
def test_no_page_scrolls_sideways_on_a_phone_or_at_200_percent_zoom(site, built, open_context, viewport, large_text):
    page = open_context(viewport=viewport, large_text=large_text).new_page()
    wide = []
    for path in reflow_pages(built):
        visit(page, site, path, settle=False)  # the layout is done once the page has loaded
        if scrolls_sideways(page):
            wide.append(f"{path}: {page.evaluate('document.documentElement.scrollWidth')} px")
    assert wide == []


# Records, when <body> is first parsed (before anything is drawn), whether the mode is applied.
RECORD_FIRST_PAINT = """
new MutationObserver((_, observer) => {
  if (!document.body) return;
  window.largeAtFirstPaint = document.documentElement.classList.contains("text-large");
  observer.disconnect();
}).observe(document, { childList: true, subtree: true });
"""


def test_the_larger_text_mode_holds_across_pages_from_the_first_paint(site, open_context):
    context = open_context()
    context.add_init_script(RECORD_FIRST_PAINT)
    page = context.new_page()
    visit(page, site, HOME)
    button = page.get_by_role("button", name="大字模式")
    assert button.is_visible() and button.get_attribute("aria-pressed") == "false"
    standard = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")

    button.focus()
    page.keyboard.press("Enter")
    assert button.get_attribute("aria-pressed") == "true"
    assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") == pytest.approx(standard * 1.25)

    page.get_by_role("link", name="惠农区医疗保障局").click()  # the next page opens large
    page.wait_for_url("**/" + AGENCY)
    assert page.evaluate("window.largeAtFirstPaint") is True
    assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") == pytest.approx(standard * 1.25)
    assert page.get_by_role("button", name="大字模式").get_attribute("aria-pressed") == "true"

    page.get_by_role("button", name="大字模式").click()  # and back
    visit(page, site, ITEM)
    assert page.evaluate("window.largeAtFirstPaint") is False
    assert page.get_by_role("button", name="大字模式").get_attribute("aria-pressed") == "false"


def test_without_javascript_the_text_size_button_is_not_shown(site, open_context):
    page = open_context(java_script_enabled=False).new_page()
    page.goto(site.base_url + AGENCY)
    assert page.locator("[data-text-size]").count() == 1
    assert page.locator("[data-text-size]").is_hidden()


def display(page, selector: str) -> str:
    return page.eval_on_selector(selector, "element => getComputedStyle(element).display")


def test_printed_pages_drop_the_controls_and_tables_repeat_their_header(site, open_context):
    page = open_context(large_text=True).new_page()
    visit(page, site, AGENCY)
    page.emulate_media(media="print")
    for control in [".site-header nav", ".header-search", ".text-size-toggle", ".breadcrumbs", ".toc", ".skip-link"]:
        assert display(page, control) == "none", control
    assert display(page, ".site-title") != "none"  # the site's name heads the first sheet
    assert display(page, "table.catalogue thead") == "table-header-group"
    assert page.eval_on_selector("table.catalogue tbody tr", "row => getComputedStyle(row).breakInside") == "avoid"
    # printed sizes do not follow the screen's text size
    assert page.evaluate("getComputedStyle(document.documentElement).fontSize") == "16px"

    # A link to another host prints its address; a link within the site does not.
    after = page.evaluate("""() => {
        const external = Object.assign(document.createElement("a"), { href: "https://www.gov.cn/zhengce/", textContent: "政策" });
        document.querySelector("main").append(external);
        const internal = document.querySelector("main table a");
        return [getComputedStyle(external, "::after").content, getComputedStyle(internal, "::after").content];
    }""")
    assert after == ['"（https://www.gov.cn/zhengce/）"', "none"]

    pdf = page.pdf(prefer_css_page_size=True)  # the stylesheet's @page asks for A4
    sizes = set(re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf))
    assert {(round(float(w)), round(float(h))) for w, h in sizes} == {(595, 842)}
    assert len(re.findall(rb"/Type /Page\b", pdf)) > 1  # the agency's catalogue spans several sheets

    visit(page, site, ITEM)
    assert display(page, ".prev-next") == "none"


def test_a_reader_compares_agencies_chosen_by_name_and_the_address_keeps_them(site, open_context):
    page, problems = watched_page(open_context(viewport=PHONE))
    visit(page, site, "agencies/huinong-yibao/")
    page.get_by_role("link", name="与其他机构对比").click()
    page.locator("[data-status]").filter(has_text="请再选择至少一个机构").wait_for()
    assert page.get_by_label("机构一").input_value() == "惠农区医疗保障局（宁夏回族自治区 石嘴山市 惠农区）"

    page.get_by_label("机构二").fill("灌南县医疗保障局")  # a name only one agency has is enough
    page.get_by_label("机构二").press("Enter")
    page.locator("[data-status]").filter(has_text="正在对比 惠农区医疗保障局、灌南县医疗保障局").wait_for()
    assert page.url.endswith(f"{SUB_PATH}compare/?a=huinong-yibao&a=guannan-yibao")
    categories = page.locator(".compare-category")
    assert categories.count() >= 5
    first = categories.first
    assert first.locator(".compare-column h3").all_inner_texts() == ["惠农区医疗保障局", "灌南县医疗保障局"]
    item = first.locator(".compare-items a").first
    href = item.get_attribute("href")
    assert href.startswith(f"{SUB_PATH}agencies/huinong-yibao/items/")
    assert first.locator(".compare-fields dt").first.inner_text() == "公开时限"
    assert not scrolls_sideways(page)

    page.get_by_label("机构三").fill("没有这个机构")
    page.get_by_role("button", name="对比").click()
    page.locator("[data-status]").filter(has_text="找不到机构：没有这个机构").wait_for()
    page.go_back()  # the address held the comparison before the last one: it comes back
    page.locator("[data-status]").filter(has_text="请再选择至少一个机构").wait_for()
    item_page = site.base_url + href.removeprefix(SUB_PATH)
    assert page.request.get(item_page).status == 200
    assert problems == []
