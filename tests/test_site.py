"""The page graph and the built seed site: every page, its URL, its links, its title."""

from __future__ import annotations

import itertools
import re
from collections import Counter

import pytest
from conftest import REPO
from helpers import parse_html, resolve_internal

from gkml_ssg.build.orchestrator import BuildOptions, build
from gkml_ssg.content.legal import cited_titles
from gkml_ssg.content.load import load_content, load_site_config
from gkml_ssg.content.references import site_references
from gkml_ssg.site.address import normalise_base_path
from gkml_ssg.site.graph import PageKind, assemble

BASE = "/gkml/"


@pytest.fixture(scope="module")
def graph():
    return assemble(load_content(REPO / "content"), BASE, references=tuple(site_references(REPO / "content")[0]))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("site") / "public"
    build(BuildOptions(source=REPO / "content", out=out, base_url=BASE))
    return out


def test_page_counts_match_the_seeds(graph):
    counts = Counter(page.kind for page in graph.pages)
    assert counts[PageKind.AGENCY] == 5
    assert counts[PageKind.ITEM] == 120
    assert counts[PageKind.ON_REQUEST] == 3
    assert counts[PageKind.NEGATIVE] == 15
    for kind in (PageKind.HOME, PageKind.LEGAL_BASIS, PageKind.SEARCH, PageKind.NOT_FOUND, PageKind.SITEMAP, PageKind.ROBOTS):
        assert counts[kind] == 1


def test_urls_are_unique_readable_ascii(graph):
    outputs = [page.output for page in graph.pages]
    assert len(outputs) == len(set(outputs))
    for page in graph.pages:
        assert re.fullmatch(r"[a-z0-9./-]*", page.path), page.path
    paths = {page.kind: [] for page in graph.pages}
    for page in graph.pages:
        paths[page.kind].append(page.path)
    assert "agencies/huinong-yibao/" in paths[PageKind.AGENCY]
    assert "agencies/huinong-yibao/items/1/" in paths[PageKind.ITEM]
    assert "agencies/huinong-yibao/on-request/3/" in paths[PageKind.ON_REQUEST]
    assert "agencies/huinong-yibao/negative/15/" in paths[PageKind.NEGATIVE]


def test_a_pinned_slug_changes_only_that_url(project):
    from conftest import AGENCY_YML

    project.write("a/x.yml", AGENCY_YML.replace("      - 二级事项: 领导信息\n", "      - 二级事项: 领导信息\n        网址标识: leaders\n"))
    graph = assemble(load_content(project.content))
    assert [p.path for p in graph.pages if p.kind is PageKind.ITEM] == ["agencies/x/items/1/", "agencies/x/items/leaders/"]


def test_previous_and_next_chain_within_an_agency(graph):
    huinong = [p for p in graph.pages if p.agency and p.agency.slug == "huinong-yibao" and p.entry]
    assert len(huinong) == 16 + 3 + 15
    assert huinong[0].previous is None and huinong[-1].next is None
    for before, after in itertools.pairwise(huinong):
        assert before.next == after.entry and after.previous == before.entry


def test_regions_group_province_city_county(graph):
    tree = {p.name: {c.name: [k.name for k in c.children] for c in p.children} for p in graph.regions}
    assert tree == {
        "宁夏回族自治区": {"中卫市": ["海原县"], "石嘴山市": ["大武口区", "惠农区"], "银川市": ["灵武市"]},
        "江苏省": {"连云港市": ["灌南县"]},
    }
    assert sum(p.item_count for p in graph.regions) == 120


def test_citations_of_one_law_are_one_entry():
    variants = [
        "《国务院办公厅印发<关于全面推进政务公开工作的意见>实施细则的通知》(国办发〔2016〕80 号)",
        "《国务院办公厅印发〈关于全面推进政务公开工作的意见〉实施细则的通知》（国办发〔2016〕80号）",
        "《国务院办公厅印发 〈关于全面推进政务公开工作的意见〉 实施细则的通知》",
    ]
    assert {tuple(cited_titles(v)) for v in variants} == {("《国务院办公厅印发〈关于全面推进政务公开工作的意见〉实施细则的通知》",)}
    # seed 002 leaves a 《 unclosed; it is the same document as its overview's correctly closed citation
    assert cited_titles("《中共中央办公厅、国务院办公厅《关于全面推进政务公开工作的意见》") == cited_titles(
        "《中共中央办公厅、国务院办公厅<关于全面推进政务公开工作的意见>》"
    )
    assert cited_titles("《中华人民共和国政府信息 公开条例》（国务院令711 号）") == ["《中华人民共和国政府信息公开条例》"]
    assert cited_titles("√") == []


def test_legal_basis_index(graph, built):
    regulation = next(law for law in graph.laws if law.key == "《中华人民共和国政府信息公开条例》")
    assert regulation.agency_count == 5
    assert graph.laws[0] is regulation  # most cited first
    keys = [law.key for law in graph.laws]
    assert len(keys) == len(set(keys))
    index = parse_html(built / "legal-basis/index.html")
    law_links = [link for link in index.links if re.fullmatch(rf"{BASE}legal-basis/[0-9a-f]{{10}}/", link)]
    assert len(law_links) == len(set(law_links)) == len(graph.laws)
    # every law has its page, listing each citing entry under its agency
    html = (built / regulation.path / "index.html").read_text(encoding="utf-8")
    assert f"<h1>{regulation.key}</h1>" in html
    page = parse_html(built / regulation.path / "index.html")
    assert {c.path for c in regulation.citations} <= {link[len(BASE):] for link in page.links}
    # the 492号 and 711号 citations of the regulation are wordings of the one entry
    wordings = dict(regulation.wordings())
    assert wordings["《中华人民共和国政府信息公开条例》（国务院令第492号）"] == 1
    assert "<li>《中华人民共和国政府信息公开条例》（国务院令第492号） <span" in html
    assert sum(len(entries) for _, entries in regulation.by_agency()) == len(regulation.citations)
    # an item's citation links to the law's page
    item = parse_html(built / "agencies/guannan-yibao/items/2/index.html")
    assert f"{BASE}{regulation.path}" in item.links


def test_every_entry_is_linked_from_its_agency_page_and_titled_as_in_its_seed(graph, built):
    for agency in graph.loaded_agencies():
        page = parse_html(built / agency.path / "index.html")
        linked = {resolve_internal(built, BASE, link) for link in page.links if not link.startswith("#")}
        for entry in agency.entries:
            target = built / entry.path / "index.html"
            assert target in linked, entry.path
            html = target.read_text(encoding="utf-8")
            assert f"<h1>{entry.title}</h1>" in html.replace("&#34;", '"')


def test_every_internal_link_resolves_under_the_sub_path(built):
    pages = sorted(built.rglob("*.html"))
    laws = len(list((built / "legal-basis").glob("*/index.html")))
    assert laws > 40
    wordings = len(list((built / "deadlines").glob("*/index.html")))
    assert wordings > 10
    # home, agencies, entries, their change histories, legal basis, laws, search, 404, downloads,
    # the auditors' index, the 第二十条 matrix, deadlines and each wording's page, comparison
    assert len(pages) == 1 + 5 + 120 + 3 + 15 + 5 + 1 + laws + 1 + 1 + 1 + 1 + 1 + 1 + wordings + 1
    licence = load_site_config(REPO / "content").licence
    # links out that site.yml asks for: the ICP registry, the data licence's text
    outside = ("https://beian.miit.gov.cn/", *((licence.url,) if licence else ()))
    for html_file in pages:
        page = parse_html(html_file)
        for link in page.links:
            if link.startswith(outside):
                continue
            assert not re.match(r"^[a-z]+:", link) and not link.startswith("//"), f"{html_file}: {link}"
            if link.startswith("#"):
                assert link[1:] in page.ids, f"{html_file}: {link}"
                continue
            target = resolve_internal(built, BASE, link)
            assert target is not None and target.is_file(), f"{html_file}: {link}"
            fragment = link.partition("#")[2]
            if fragment:
                assert fragment in parse_html(target).ids, f"{html_file}: {link}"


def test_no_resource_from_another_host_and_lang_zh_cn(built):
    for html_file in built.rglob("*.html"):
        page = parse_html(html_file)
        tags = dict(page.tags)
        assert tags["html"].get("lang") == "zh-CN"
        for tag, attrs in page.tags:
            if tag in ("link", "script", "img", "iframe", "source", "video", "audio"):
                for name in ("href", "src"):
                    if tag == "link" and attrs.get("rel") == "canonical":
                        continue
                    value = attrs.get(name) or ""
                    assert value == "" or value.startswith(BASE), f"{html_file}: {tag} {value}"
        scripts = [attrs for tag, attrs in page.tags if tag == "script"]
        # Every page's first script sets the text size: a plain one, neither deferred nor a module,
        # so that it runs before the page is drawn.
        assert scripts[0] == {"src": scripts[0]["src"]}, html_file
        assert scripts.pop(0)["src"].startswith(BASE + "static/js/text-size.js?v=")
        own_script = {"search": "search.js", "compare": "compare.js"}.get(html_file.parent.name)
        if own_script and html_file.parent.parent == built:
            assert scripts == [{"type": "module", "src": scripts[0]["src"]}]
            assert scripts[0]["src"].startswith(BASE + f"static/js/{own_script}?v=")
        else:
            assert scripts == []
    css = (built / "static/css/site.css").read_text(encoding="utf-8")
    assert "url(" not in css and "@import" not in css


def test_sitemap_and_robots(graph, built):
    sitemap = (built / "sitemap.xml").read_text(encoding="utf-8")
    locations = re.findall(r"<loc>(.*?)</loc>", sitemap)
    assert len(locations) == len([p for p in graph.pages if p.output.endswith(".html")]) - 1  # all but 404
    assert all(loc.startswith("https://gkml.example.gov.cn/gkml/") for loc in locations)
    assert "404" not in sitemap
    robots = (built / "robots.txt").read_text(encoding="utf-8")
    assert "Sitemap: https://gkml.example.gov.cn/gkml/sitemap.xml" in robots


def test_404_page_links_work_from_any_url(built):
    page = parse_html(built / "404.html")
    assert page.links and all(link.startswith((BASE, "#", "https://beian.miit.gov.cn/")) for link in page.links)
    assert page.canonical is None


@pytest.mark.parametrize(
    ("given", "expected"),
    [("/gkml/", "/gkml/"), ("gkml", "/gkml/"), ("/", "/"), ("", "/"), ("https://x.gov.cn/a/b", "/a/b/"), ("/a/b", "/a/b/")],
)
def test_base_path_forms(given, expected):
    assert normalise_base_path(given) == expected


def test_a_site_over_the_sitemap_limit_gets_a_sitemap_index(tmp_path, monkeypatch):
    from gkml_ssg.site import graph as site_module

    monkeypatch.setattr(site_module, "SITEMAP_LIMIT", 50)
    out = tmp_path / "public"
    build(BuildOptions(source=REPO / "content", out=out, base_url=BASE, search_index=False))
    index = (out / "sitemap.xml").read_text(encoding="utf-8")
    parts = re.findall(r"<loc>(.*?)</loc>", index)
    pages = len(list(out.rglob("index.html")))  # every page but 404.html is listed
    assert pages > 200
    assert "<sitemapindex" in index and len(parts) == -(-pages // 50)
    listed = []
    for number, loc in enumerate(parts, start=1):
        assert loc == f"https://gkml.example.gov.cn/gkml/sitemaps/{number}.xml"
        part = (out / f"sitemaps/{number}.xml").read_text(encoding="utf-8")
        listed += re.findall(r"<loc>(.*?)</loc>", part)
    assert len(listed) == len(set(listed)) == pages


def test_a_much_cited_law_lists_its_entries_on_a_page_per_province(tmp_path, monkeypatch):
    from gkml_ssg.site import summaries as listing

    monkeypatch.setattr(listing, "LAW_PAGE_LIMIT", 100)
    out = tmp_path / "public"
    build(BuildOptions(source=REPO / "content", out=out, base_url=BASE, search_index=False))
    graph = assemble(load_content(REPO / "content"), BASE)
    regulation = next(law for law in graph.laws if law.key == "《中华人民共和国政府信息公开条例》")
    assert regulation.split_by_province and len(regulation.citations) == 113
    law_page = parse_html(out / regulation.path / "index.html")
    province_links = [link for link in law_page.links if link.startswith(BASE + regulation.path) and link != BASE + regulation.path]
    assert len(province_links) == 2  # 宁夏回族自治区, 江苏省
    reached = set()
    for link in province_links:
        reached |= {href[len(BASE):] for href in parse_html(resolve_internal(out, BASE, link)).links}
    assert {c.path for c in regulation.citations} <= reached
    assert not any(link.startswith(BASE + "agencies/") and "/items/" in link for link in law_page.links)
