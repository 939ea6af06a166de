"""The seed site served by nginx with deploy/nginx/gkml.conf under /gkml/: every page reachable and
every link whole, the 404 page, the security and caching headers as designed, the types, and the
search working in Chromium under the Content-Security-Policy."""

from __future__ import annotations

import gzip
import http.client
import json
import re
import shutil
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from conftest import REPO
from nginx_site import NginxSite

from gkml_ssg.build.orchestrator import BuildOptions, build

SUB_PATH = "/gkml/"
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}
REVALIDATE = "no-cache"
IMMUTABLE = "public, max-age=31536000, immutable"
# Attributes whose value is an address the page makes the browser load (the search page's script
# imports data-core, and reads the catalogue index.json in the folder data-bundle names).
LINK_ATTRIBUTES = {"href": "", "src": "", "data-core": "", "data-bundle": "index.json"}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("nginx")
    out = root / "gkml"
    build(BuildOptions(source=REPO / "content", out=out, base_url=SUB_PATH))
    (out / "probe.wasm").write_bytes(b"\0asm\1\0\0\0")  # no site has one: only its type is checked
    (root / "work").mkdir()
    with NginxSite(out, root / "work", SUB_PATH) as served:
        yield served
    shutil.rmtree(root, ignore_errors=True)


class Response:
    def __init__(self, status: int, headers: http.client.HTTPMessage, body: bytes):
        self.status, self.headers, self.body = status, headers, body


def get(site: NginxSite, path: str, headers: dict[str, str] | None = None) -> Response:
    """One GET of a path (from the origin), redirects not followed."""
    connection = http.client.HTTPConnection("127.0.0.1", site.port, timeout=10)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return Response(response.status, response.headers, response.read())
    finally:
        connection.close()


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "link" and attributes.get("rel") == "canonical":
            return  # the page's address on the real host
        self.links += [attributes[name] + file for name, file in LINK_ATTRIBUTES.items() if attributes.get(name)]


def crawl(site: NginxSite) -> tuple[dict[str, Response], list[str]]:
    """Every address under the sub-path reachable from the home page, with its response, and the
    links whose target did not answer 200 (as "page → link (status)")."""
    seen: dict[str, Response] = {}
    broken: list[str] = []
    queue = [SUB_PATH]
    while queue:
        path = queue.pop()
        if path in seen:
            continue
        response = seen[path] = get(site, path)
        if response.status != 200 or not response.headers.get("Content-Type", "").startswith("text/html"):
            continue
        parser = Links()
        parser.feed(response.body.decode("utf-8"))
        for link in parser.links:
            target = urlsplit(urljoin(site.origin + path, link))
            if target.netloc != f"127.0.0.1:{site.port}" or not target.path.startswith(SUB_PATH):
                continue  # another host, or outside the site
            address = target.path + (f"?{target.query}" if target.query else "")
            if address not in seen:
                queue.append(address)
            elif seen[address].status != 200:
                broken.append(f"{path} → {link} ({seen[address].status})")
    broken += [f"? → {path} ({response.status})" for path, response in seen.items() if response.status != 200]
    return seen, broken


@pytest.mark.nginx
def test_a_crawl_from_the_home_page_reaches_every_page_of_the_sitemap_and_no_broken_link(site):
    seen, broken = crawl(site)
    assert broken == []
    sitemap = get(site, SUB_PATH + "sitemap.xml")
    assert sitemap.status == 200 and sitemap.headers["Content-Type"] == "text/xml; charset=utf-8"
    pages = {urlsplit(loc).path for loc in re.findall(r"<loc>([^<]+)</loc>", sitemap.body.decode("utf-8"))}
    assert len(pages) > 190
    assert pages - set(seen) == set()
    assert any(path.startswith(SUB_PATH + "static/css/site.css?v=") for path in seen)


@pytest.mark.nginx
def test_the_search_index_files_the_search_page_loads_are_served(site):
    catalogue = get(site, SUB_PATH + "search-index/index.json")
    assert catalogue.status == 200
    for shard in json.loads(catalogue.body)["shards"]:
        folder = f"{SUB_PATH}search-index/{shard['folder']}"
        for name in ("meta.json", "terms/0.bin", "filter/0.bin", "pages/0.json"):
            assert get(site, f"{folder}{name}?v={shard['version']}").status == 200, name


@pytest.mark.nginx
def test_the_search_index_is_sent_compressed(site):
    shard = json.loads(get(site, SUB_PATH + "search-index/index.json").body)["shards"][0]
    folder = f"{SUB_PATH}search-index/{shard['folder']}"
    for name in ("terms/0.bin", "filter/0.bin", "pages/0.json"):
        response = get(site, f"{folder}{name}?v={shard['version']}", {"Accept-Encoding": "gzip"})
        assert response.headers["Content-Encoding"] == "gzip", name
        assert gzip.decompress(response.body) == (site.root / f"search-index/{shard['folder']}{name}").read_bytes()


@pytest.mark.nginx
def test_a_missing_address_gets_the_sites_404_page_with_status_404(site):
    for path in ("no-such-page/", "agencies/no-such-agency/items/1/", "agencies/"):
        response = get(site, SUB_PATH + path)
        assert response.status == 404, path
        assert response.body == (site.root / "404.html").read_bytes()
        assert response.headers["Content-Type"] == "text/html; charset=utf-8"
        assert {name: response.headers[name] for name in SECURITY_HEADERS} == SECURITY_HEADERS


@pytest.mark.nginx
def test_the_sub_path_without_its_slash_redirects_to_it(site):
    response = get(site, SUB_PATH.rstrip("/"))
    assert (response.status, response.headers["Location"]) == (301, SUB_PATH)
    folder = get(site, SUB_PATH + "legal-basis")
    assert (folder.status, folder.headers["Location"]) == (301, SUB_PATH + "legal-basis/")


@pytest.mark.nginx
@pytest.mark.parametrize(
    ("path", "content_type", "cache"),
    [
        ("", "text/html; charset=utf-8", REVALIDATE),
        ("agencies/huinong-yibao/items/1/", "text/html; charset=utf-8", REVALIDATE),
        ("sitemap.xml", "text/xml; charset=utf-8", REVALIDATE),
        ("robots.txt", "text/plain; charset=utf-8", REVALIDATE),
        ("static/css/site.css?v=x", "text/css; charset=utf-8", IMMUTABLE),
        ("static/js/search.js?v=x", "application/javascript; charset=utf-8", IMMUTABLE),
        ("static/favicon.svg?v=x", "image/svg+xml; charset=utf-8", IMMUTABLE),
        ("search-index/index.json", "application/json; charset=utf-8", REVALIDATE),
        ("search-index/shard-000/terms/0.bin?v=x", "application/octet-stream", IMMUTABLE),
        ("search-index/shard-000/filter/0.bin?v=x", "application/octet-stream", IMMUTABLE),
        ("search-index/shard-000/pages/0.json?v=x", "application/json; charset=utf-8", IMMUTABLE),
        ("search-index/shard-000/terms/0.bin", "application/octet-stream", REVALIDATE),
        ("probe.wasm", "application/wasm", REVALIDATE),
        ("agencies/huinong-yibao/proactive.csv", "text/csv; charset=utf-8", REVALIDATE),
        ("agencies/huinong-yibao/catalogue.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", REVALIDATE),
        ("agencies/huinong-yibao/items/1/index.json", "application/json; charset=utf-8", REVALIDATE),
        ("downloads/negative.csv", "text/csv; charset=utf-8", REVALIDATE),
        ("downloads/catalogue.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", REVALIDATE),
        ("datapackage.json", "application/json; charset=utf-8", REVALIDATE),
    ],
)
def test_headers_types_and_caching(site, path, content_type, cache):
    response = get(site, SUB_PATH + path)
    assert response.status == 200
    assert response.headers["Content-Type"] == content_type
    assert response.headers["Cache-Control"] == cache
    assert {name: response.headers[name] for name in SECURITY_HEADERS} == SECURITY_HEADERS
    assert len(response.headers.get_all("Content-Security-Policy")) == 1


def test_the_shipped_headers_snippet_sends_this_policy():
    snippet = (REPO / "deploy/nginx/gkml-headers.conf").read_text(encoding="utf-8")
    assert f'add_header Content-Security-Policy "{CSP}" always;' in snippet


@pytest.mark.browser
@pytest.mark.nginx
def test_search_works_in_chromium_under_the_policy(site, browser):
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(site.base_url + "search/?q=异地就医")
        page.locator("[data-status]").filter(has_text="共找到").wait_for()
        assert page.locator(".result").count() > 0
        page.goto(site.base_url + "agencies/huinong-yibao/")
        page.wait_for_load_state("networkidle")
        assert errors == []
    finally:
        context.close()
