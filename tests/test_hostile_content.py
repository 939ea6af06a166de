"""Hostile content: script tags, event attributes, `javascript:` and `data:` links, entity-encoded
and mixed-case variants, in Markdown fields, plain fields, titles, regions, citations, the site
configuration and commit messages. The site builds, shows every such text as text, and no page
carries a script vector; this is checked by parsing the output, not by searching its strings.
Hostile slugs and file names are refused before anything is written."""

from __future__ import annotations

import json
import re
import threading
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from test_history import Repository

from gkml_ssg.build.orchestrator import BuildOptions, build
from gkml_ssg.content.errors import ContentInvalid

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">点我</a>',
    "[点我](javascript:alert(1))",
    "[点我](JaVaScRiPt:alert(1))",
    "[点我]( javascript:alert(1))",
    "[点我](java\tscript:alert(1))",
    "[点我](&#106;avascript:alert(1))",
    "[点我](&#x6A;avascript&#x3A;alert(1))",
    "[点我](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![图](javascript:alert(1))",
    "<javascript:alert(1)>",
    "[点我][1]\n\n[1]: javascript:alert(1)",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    '" onmouseover="alert(1)" x="',
    "' onfocus='alert(1)' autofocus='",
    "</title><script>alert(1)</script>",
    "<svg onload=alert(1)>",
    "<iframe src=javascript:alert(1)></iframe>",
    '<style>body{background:url("javascript:alert(1)")}</style>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "<base href=javascript:alert(1)//>",
    "{{ 7*7 }}{% raw %}",
    "]]><script>alert(1)</script>",
]
TITLE = "<script>alert('标题')</script><img src=x onerror=alert(1)>"
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcset", "background", "cite", "ping"}
DANGEROUS_TAGS = {"iframe", "object", "embed", "svg", "math", "base", "style", "frame", "frameset", "applet", "template"}
DANGEROUS_SCHEMES = ("javascript:", "data:", "vbscript:")
C0_AND_SPACE = "".join(map(chr, range(0x21)))


def yaml_text(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # JSON strings are YAML strings


def hostile_agency(slug_field: str = "") -> str:
    payloads = [yaml_text(p) for p in PAYLOADS]
    items = "\n".join(
        f"""      - 二级事项: {payload}
        公开内容: {payload}
        公开依据:
          - {yaml_text("《" + PAYLOADS[index % len(PAYLOADS)] + "》")}
          - {payload}
        公开时限: {payload}
        公开主体: {payload}
        公开渠道: [{{渠道: 政府网站, 名称: {payload}}}]
        公开对象: 全社会
        公开方式: 主动
        网站所属栏目: {payload}
        备注: {payload}"""
        for index, payload in enumerate(payloads)
    )
    return f"""\
名称: {yaml_text(TITLE)}
{slug_field}地区:
  省: {yaml_text("<script>省</script>")}
  市: {yaml_text('" onmouseover="alert(1)')}
  区县: {yaml_text("javascript:alert(1)")}
  备注: {payloads[3]}
来源文件: {payloads[0]}
目录名称: {payloads[1]}
备注: {payloads[9]}
注: {payloads[12]}
目录:
  - 一级事项: {yaml_text(TITLE)}
    过程: {payloads[2]}
    备注: {payloads[4]}
    事项:
{items}
依申请公开:
  条目:
    - 二级事项: {payloads[0]}
      一级事项: {payloads[1]}
      不予主动公开的内容: {payloads[3]}
      不予主动公开的依据: [{payloads[5]}]
      依申请公开审核程序: {payloads[8]}
负面清单:
  条目:
    - 公开事项: {payloads[1]}
      事项类别: {payloads[0]}
      内容: {payloads[10]}
      不予公开的依据: [{payloads[7]}]
      备注: {payloads[11]}
"""


HOSTILE_SITE_YML = f"""\
网站名称: {yaml_text("</title><script>alert('站名')</script>")}
网址: https://example.gov.cn/
网站简介: {yaml_text("[点我](javascript:alert(1)) <img src=x onerror=alert(1)>")}
主办单位: {yaml_text("<b onmouseover=alert(1)>主办</b>")}
网站标识码: {yaml_text("<script>")}
ICP备案号: {yaml_text('"><script>alert(1)</script>')}
公安备案号: {yaml_text("javascript:alert(1)")}
联系方式: {yaml_text("<a href=javascript:alert(1)>电话</a>")}
"""


class ScriptVectors(HTMLParser):
    """Every way a parsed page could run script, as (tag, attribute, value) findings."""

    def __init__(self, allowed_scripts: set[str]):
        super().__init__(convert_charrefs=True)
        self.allowed_scripts = allowed_scripts
        self.findings: list[tuple[str, str, str]] = []
        self.texts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.findings.append((tag, name, value))
            if name == "style":
                self.findings.append((tag, name, value))
            if name in URL_ATTRIBUTES:
                # as a browser reads a URL (WHATWG URL parsing): outer C0 controls and spaces
                # stripped, tabs and newlines removed anywhere, the scheme case-insensitive
                read = re.sub(r"[\t\n\r]", "", value.strip(C0_AND_SPACE)).lower()
                if read.startswith(DANGEROUS_SCHEMES):
                    self.findings.append((tag, name, value))
        attributes = dict(attrs)
        if tag in DANGEROUS_TAGS:
            self.findings.append((tag, "", ""))
        if tag == "meta" and (attributes.get("http-equiv") or "").lower() == "refresh":
            self.findings.append((tag, "http-equiv", attributes.get("content") or ""))
        if tag == "script":
            self._in_script = True
            source = (attributes.get("src") or "").split("?")[0]
            if source not in self.allowed_scripts:
                self.findings.append((tag, "src", source))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.findings.append(("script", "", data))
        elif not self._in_script:
            self.texts.append(data)


def scan(page: Path) -> ScriptVectors:
    # the site's own scripts, from its own static folder
    site = next(folder for folder in page.parents if (folder / "static").is_dir())
    parser = ScriptVectors({f"/static/js/{script.name}" for script in (site / "static/js").glob("*.js")})
    parser.feed(page.read_text(encoding="utf-8"))
    parser.close()
    return parser


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    content = root / "content"
    (content / "a").mkdir(parents=True)
    (content / "site.yml").write_text(HOSTILE_SITE_YML, encoding="utf-8")
    (content / "a" / "hostile.yml").write_text(hostile_agency(), encoding="utf-8")

    class Project:  # what Repository needs
        pass

    project = Project()
    project.root = root
    Repository(project).commit("<script>alert('提交')</script>[x](javascript:alert(1))", "2025-01-02T03:04:05+08:00")
    out = root / "public"
    build(BuildOptions(source=content, out=out))
    return out


def test_hostile_content_builds_into_pages_without_a_script_vector(hostile_site):
    pages = sorted(hostile_site.rglob("*.html"))
    assert len(pages) > len(PAYLOADS) + 5
    for page in pages:
        assert scan(page).findings == [], page.relative_to(hostile_site)


def test_links_in_fields_keep_only_absolute_web_and_mail_addresses(hostile_site):
    """A field's link is kept only with an http(s) or mailto address: a mangled scheme
    (`java<TAB>script:`, which Markdown widens to spaces) is not left behind as a relative link."""
    found = []

    class Links(HTMLParser):
        def handle_starttag(self, tag, attrs):
            href = dict(attrs).get("href")
            if tag == "a" and href and "script" in href.lower():
                found.append(href)

    for page in (hostile_site / "agencies/hostile").rglob("index.html"):
        Links().feed(page.read_text(encoding="utf-8"))
    assert found == []


def test_hostile_text_is_shown_as_text(hostile_site):
    item = scan(hostile_site / "agencies/hostile/items/1/index.html")
    text = "".join(item.texts)
    assert "<script>alert(1)</script>" in text  # the title, as the officer wrote it
    agency = "".join(scan(hostile_site / "agencies/hostile/index.html").texts)
    assert TITLE in agency
    # a template expression in content stays text
    template_item = next(p for p in (hostile_site / "agencies/hostile/items").glob("*/index.html") if "{{ 7*7 }}" in "".join(scan(p).texts))
    assert "49" not in "".join(scan(template_item).texts).replace("{{ 7*7 }}", "")
    history = "".join(scan(hostile_site / "agencies/hostile/history/index.html").texts)
    assert "<script>alert('提交')</script>" in history


def test_the_xml_outputs_stay_well_formed_with_hostile_text(hostile_site):
    feed = ET.parse(hostile_site / "feed.xml").getroot()
    ns = "{http://www.w3.org/2005/Atom}"
    assert feed.findtext(f"{ns}title").startswith("</title><script>")
    assert feed.find(f"{ns}entry").findtext(f"{ns}title") == "<script>alert('提交')</script>[x](javascript:alert(1))"
    ET.parse(hostile_site / "sitemap.xml")


@pytest.mark.parametrize(
    ("slug", "expected"),
    [("../../etc", "格式不对"), ("<script>", "格式不对"), ("a/b", "格式不对"), ("javascript:alert(1)", "格式不对"), ("%2e%2e", "格式不对")],
)
def test_hostile_slugs_are_refused_before_anything_is_written(project, slug, expected):
    project.write("a/x.yml", hostile_agency(f"网址标识: {yaml_text(slug)}\n"))
    with pytest.raises(ContentInvalid) as raised:
        build(BuildOptions(source=project.content, out=project.out, search_index=False))
    assert any(e.field == "网址标识" and expected in e.message for e in raised.value.errors)
    assert not project.out.exists()


# (a name starting with a dot is a hidden file: the build skips it, as editors' temporaries)
@pytest.mark.parametrize("name", ["<script>.yml", "x onerror=alert(1).yml", "%2e%2e.yml", "javascript:x.yml"])
def test_hostile_file_names_are_refused(project, name):
    project.write_bytes(f"a/{name}", hostile_agency().encode("utf-8"))
    with pytest.raises(ContentInvalid) as raised:
        build(BuildOptions(source=project.content, out=project.out, search_index=False))
    assert any("不能用作网址" in e.message for e in raised.value.errors)
    assert not project.out.exists()


@pytest.mark.browser
def test_hostile_entries_searched_in_chromium_run_no_script(hostile_site, browser):
    """Search results are written into the page by script: their text must stay text there too."""

    class Quiet(SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(hostile_site), **kwargs)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    context = browser.new_context()
    tab = context.new_page()
    dialogs: list[str] = []
    tab.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    try:
        tab.goto(f"http://127.0.0.1:{server.server_address[1]}/search/?q=alert")
        tab.wait_for_selector(".result-excerpt", timeout=20_000)
        tab.wait_for_timeout(500)
        injected = tab.evaluate(
            """() => [...document.querySelectorAll('#main *')].flatMap(element =>
                   [...element.attributes].filter(a => a.name.startsWith('on')).map(a => element.tagName + ' ' + a.name))
                 .concat([...document.querySelectorAll('#main script, #main img, #main iframe, #main svg')].map(e => e.tagName))"""
        )
        assert injected == []
        assert dialogs == []
        assert tab.locator(".result-excerpt").count() > 0
    finally:
        context.close()
        server.shutdown()
        server.server_close()


def test_the_scan_finds_each_kind_of_script_vector():
    vectors = [
        '<img src="x" onerror="alert(1)">',
        '<a href=" JaVa&#x09;Script:alert(1)">x</a>',
        '<a href="data:text/html,x">x</a>',
        "<script>alert(1)</script>",
        '<script src="https://evil.example/x.js"></script>',
        "<svg></svg>",
        '<p style="color:red">x</p>',
        '<meta http-equiv="Refresh" content="0;url=javascript:alert(1)">',
        '<form action="javascript:alert(1)"></form>',
    ]
    for vector in vectors:
        parser = ScriptVectors({"/static/js/search.js"})
        parser.feed(f"<body>{vector}</body>")
        parser.close()
        assert parser.findings, vector
    clean = ScriptVectors({"/static/js/search.js"})
    clean.feed('<script src="/static/js/search.js?v=1"></script><a href="/agencies/x/">站内地址</a><p>&lt;script&gt;</p>')
    assert clean.findings == []
