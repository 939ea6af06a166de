"""The page graph: every page of the site and its URL, decided here once, by the kinds' rules in
`kinds.py`.

URL scheme (relative to the site's base path):
    ""                                   home
    agencies/<agency>/                   agency page
    agencies/<agency>/items/<item>/      catalogue item (item = 网址标识, or its position)
    agencies/<agency>/on-request/<n>/    on-request entry
    agencies/<agency>/negative/<n>/      negative-list entry
    agencies/<agency>/history/           the commits that changed the agency's file
    legal-basis/                         the legal-basis index: every cited law once
    legal-basis/<law>/                   one law and every entry that cites it (or, for a
    legal-basis/<law>/<province>/        much-cited law, its provinces, each on its own page)
    search/                              the search page (?q=…)
    downloads/                           the site's downloads: every agency's lists in one CSV
                                         each and one workbook; datapackage.json describes them
    references/, deadlines/, compare/    the auditors' pages (see `audit_view`)
    404.html, sitemap.xml, robots.txt
    feed.xml                             Atom feed of recent changes (in a git checkout)

A graph holds the pages one build renders: the agencies it loaded, and the pages that list other
pages when it has the summaries of every agency (`with_lists`). Those lists are made from
summaries alone, never from the agencies loaded, so they are complete whichever were loaded.
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from gkml_ssg.audit.coverage import Matcher, Matches
from gkml_ssg.audit.deadlines import DeadlineUse
from gkml_ssg.content.errors import ContentInvalid
from gkml_ssg.content.history import NO_HISTORY, Commit, SourceHistory
from gkml_ssg.content.load import Content
from gkml_ssg.content.model import SiteConfig
from gkml_ssg.content.references import Reference
from gkml_ssg.site.address import site_address
from gkml_ssg.site.audit_view import (
    AUDIT_FOLDER,
    COMPARE_FOLDER,
    DEADLINES_FOLDER,
    AuditView,
    deadline_path,
    province_path,
    reference_path,
)
from gkml_ssg.site.kinds import DOWNLOADS_FOLDER, KINDS, PageKind
from gkml_ssg.site.nodes import AgencyNode, EntryNode, agency_nodes, summarise
from gkml_ssg.site.regions import RegionGroup, regions_of
from gkml_ssg.site.slugs import agency_slug_conflicts
from gkml_ssg.site.summaries import AgencySummary, LawNode, laws_of

# sitemaps.org: at most 50,000 URLs a file; a larger site gets a sitemap index and parts.
SITEMAP_LIMIT = 50_000
# The feed's entries: the most recent commits that changed the content.
FEED_LIMIT = 50


@dataclass(frozen=True)
class Page:
    kind: PageKind
    path: str  # URL path relative to the base path
    title: str
    agency: AgencyNode | None = None
    entry: EntryNode | None = None
    previous: EntryNode | None = None
    next: EntryNode | None = None
    part: int | None = None  # the number of a sitemap part
    law: LawNode | None = None
    province: str | None = None  # the province of a page split by province
    reference: Reference | None = None  # the reference catalogue of a matrix page
    deadline: DeadlineUse | None = None  # the wording of a deadline page

    @property
    def outputs(self) -> tuple[tuple[str, str, str], ...]:
        """(format, template, file path relative to the output folder) of each file it produces."""
        return tuple((out.format, out.template, self.path + out.file) for out in KINDS[self.kind].outputs)

    @property
    def output(self) -> str:
        """The file at its own address."""
        return self.path + KINDS[self.kind].outputs[0].file


@dataclass(frozen=True)
class SiteLists:
    """What the pages that list other pages are made from: every agency's summary."""

    summaries: tuple[AgencySummary, ...]  # in page-graph order (by source path)
    laws: tuple[LawNode, ...]
    audit: AuditView


@dataclass(frozen=True)
class FeedEntry:
    commit: Commit
    agencies: tuple[AgencySummary, ...]  # the agencies whose files it changed, those that still exist
    other_paths: tuple[str, ...]  # the other files it changed: site.yml, removed agencies' files


class ListsNotAssembled(RuntimeError):
    """A page read what only the pages that list others may read (see `SiteGraph.lists`)."""


@dataclass(frozen=True)
class SiteGraph:
    config: SiteConfig
    origin: str  # scheme and host, e.g. https://www.example.gov.cn
    base_path: str  # always starts and ends with "/"
    pages: tuple[Page, ...]  # the loaded agencies' pages and, with the lists, every page that lists other pages
    history: SourceHistory = NO_HISTORY
    lists: SiteLists | None = None  # None: this graph has no page that lists others
    references: tuple[Reference, ...] = ()  # the reference catalogues (标准目录) agencies are checked against

    def url(self, path: str) -> str:
        return self.base_path + path

    def absolute_url(self, path: str) -> str:
        return self.origin + self.base_path + path

    @property
    def domain(self) -> str:
        """The host the site is published on, without scheme or port."""
        return urlsplit(self.origin).hostname or ""

    def edit_url(self, source_path: str) -> str | None:
        """The address where the source file is edited (the configured 编辑链接 pattern), if any."""
        pattern = self.config.edit_url
        return pattern.replace("{path}", quote(source_path)) if pattern else None

    def _lists(self) -> SiteLists:
        if self.lists is None:
            raise ListsNotAssembled("这个页面图不含列表页：机构页面不能读取全站的机构列表")
        return self.lists

    @property
    def summaries(self) -> tuple[AgencySummary, ...]:
        """Every agency's summary, in page-graph order."""
        return self._lists().summaries

    @functools.cached_property
    def regions(self) -> tuple[RegionGroup, ...]:
        """The agencies by province, city and county (made when a page reads them)."""
        return regions_of(self.summaries)

    @property
    def laws(self) -> tuple[LawNode, ...]:
        return self._lists().laws

    @property
    def audit(self) -> AuditView:
        """What the auditors' pages show of every agency."""
        return self._lists().audit

    @functools.cached_property
    def _matchers(self) -> tuple[Matcher, ...]:
        return tuple(Matcher(reference) for reference in self.references)

    def agency_coverage(self, agency: AgencyNode) -> list[tuple[Reference, str, dict[str, Matches]]]:
        """One agency's coverage of each reference catalogue (for its own page): the catalogue, its
        matrix page and, per reference item's number, the agency's items that cover it."""
        audited = agency.audited
        return [(matcher.reference, reference_path(matcher.reference), matcher.agency(audited)) for matcher in self._matchers]

    @functools.cached_property
    def feed(self) -> tuple[FeedEntry, ...]:
        """The most recent commits that changed the content, with the agencies they changed."""
        by_source = {summary.source_path: summary for summary in self.summaries}
        return tuple(
            FeedEntry(
                commit,
                tuple(by_source[path] for path in commit.paths if path in by_source),
                tuple(path for path in commit.paths if path not in by_source),
            )
            for commit in self.history.recent(FEED_LIMIT)
        )

    def loaded_agencies(self) -> tuple[AgencyNode, ...]:
        """The agencies whose pages are in this graph: after an edit, only those loaded (a list
        of every agency is `summaries`)."""
        return tuple(page.agency for page in self.pages if page.kind is PageKind.AGENCY and page.agency is not None)

    @property
    def list_pages(self) -> tuple[Page, ...]:
        return tuple(page for page in self.pages if page.agency is None)

    def sitemap_parts(self) -> list[list[str]]:
        """The paths a sitemap lists, in parts of at most SITEMAP_LIMIT (the protocol's limit)."""
        return self._sitemap_parts

    @functools.cached_property
    def _sitemap_parts(self) -> list[list[str]]:
        listings = [p.path for p in self.list_pages if in_sitemap(p)]
        # the home page first, then every agency's pages, then the other lists (as in `pages`)
        listed = [*listings[:1], *(path for s in self.summaries for path in (s.path, *s.subpage_paths)), *listings[1:]]
        return [listed[i : i + SITEMAP_LIMIT] for i in range(0, len(listed), SITEMAP_LIMIT)] or [[]]


def in_sitemap(page: Page) -> bool:
    spec = KINDS[page.kind]
    return spec.in_sitemap and spec.outputs[0].format == "html"


def assemble(
    content: Content, base_url: str | None = None, history: SourceHistory = NO_HISTORY, references: tuple[Reference, ...] = ()
) -> SiteGraph:
    """The whole page graph of `content`. Raises ContentInvalid when two pages would share a URL."""
    nodes, errors = agency_nodes(content, history)
    summaries = tuple(summarise(node) for node in nodes)
    errors += agency_slug_conflicts(nodes, tuple(summary.head for summary in summaries))
    if errors:
        raise ContentInvalid(errors)
    return with_lists(agency_graph(content.config, base_url, nodes, history, references), summaries)


def agency_graph(
    config: SiteConfig, base_url: str | None, nodes: tuple[AgencyNode, ...], history: SourceHistory, references: tuple[Reference, ...] = ()
) -> SiteGraph:
    """The graph of these agencies' pages and the downloads page, without the pages that list
    other pages. The downloads page is made from every agency's downloads by the build
    (`build.gathering`), whichever agencies it loaded."""
    origin, base_path = site_address(config, base_url)
    pages = []
    for agency in nodes:
        pages.append(Page(PageKind.AGENCY, agency.path, agency.agency.name, agency))
        pages.append(Page(PageKind.HISTORY, agency.history_path, f"{agency.agency.name}变更记录", agency))
        chain = agency.entries
        for index, entry in enumerate(chain):
            previous = chain[index - 1] if index > 0 else None
            following = chain[index + 1] if index + 1 < len(chain) else None
            pages.append(Page(entry.kind, entry.path, entry.title, agency, entry, previous, following))
    pages.append(Page(PageKind.DOWNLOADS, DOWNLOADS_FOLDER, "数据下载"))
    return SiteGraph(config, origin, base_path, tuple(pages), history, references=references)


def is_gathered(page: Page) -> bool:
    """Whether the page is made from every agency's rendered downloads rather than from the graph."""
    return KINDS[page.kind].gathered


def with_lists(graph: SiteGraph, summaries: tuple[AgencySummary, ...]) -> SiteGraph:
    """The graph with the pages that list other pages, made from `summaries`: every agency's,
    in page-graph order."""
    lists = [
        Page(PageKind.LEGAL_BASIS, "legal-basis/", "公开依据索引"),
        Page(PageKind.SEARCH, "search/", "搜索"),
        Page(PageKind.NOT_FOUND, "404.html", "页面未找到"),
        Page(PageKind.SITEMAP, "sitemap.xml", "站点地图"),
        Page(PageKind.ROBOTS, "robots.txt", "robots.txt"),
    ]
    if graph.history.commits:
        lists.append(Page(PageKind.FEED, "feed.xml", "最近更新"))
    laws = laws_of(summaries)
    for law in laws:
        lists.append(Page(PageKind.LAW, law.path, law.key, law=law))
        if law.split_by_province:
            lists += [
                Page(PageKind.LAW_PROVINCE, path, f"{law.key}（{province}）", law=law, province=province)
                for province, path, _, _ in law.provinces()
            ]
    audit = AuditView(graph.references, summaries)
    lists += _audit_pages(audit)
    # counted, not listed: listing would unpack every agency's page addresses
    listed = 1 + sum(1 for page in (*graph.list_pages, *lists) if in_sitemap(page)) + sum(s.page_count for s in summaries)
    part_count = -(-listed // SITEMAP_LIMIT)
    if part_count > 1:
        lists += [Page(PageKind.SITEMAP_PART, f"sitemaps/{n}.xml", f"站点地图 {n}", part=n) for n in range(1, part_count + 1)]
    home = Page(PageKind.HOME, "", graph.config.title)
    return dataclasses.replace(
        graph, pages=(home, *graph.pages, *lists), lists=SiteLists(summaries, laws, audit)
    )


def _audit_pages(audit: AuditView) -> list[Page]:
    """The auditors' pages: their index, each reference catalogue's matrix (by province when the
    site is large), the deadlines and each wording's page (by province when used widely), and the
    comparison page."""
    pages = [Page(PageKind.AUDIT, AUDIT_FOLDER, "标准目录对照")]
    for reference in audit.references:
        name, path = reference.catalogue.name, reference_path(reference)
        pages.append(Page(PageKind.REFERENCE, path, name, reference=reference))
        if audit.split():
            pages += [
                Page(PageKind.REFERENCE_PROVINCE, province_path(path, p), f"{name}（{p}）", reference=reference, province=p)
                for p in audit.provinces
            ]
    pages.append(Page(PageKind.DEADLINES, DEADLINES_FOLDER, "公开时限对照"))
    for use in audit.deadlines:
        pages.append(Page(PageKind.DEADLINE, deadline_path(use.wording), use.wording, deadline=use))
        if audit.deadline_split(use):
            pages += [
                Page(PageKind.DEADLINE_PROVINCE, path, f"{use.wording}（{p}）", deadline=use, province=p)
                for p, path, _, _ in audit.deadline_provinces(use)
            ]
    pages.append(Page(PageKind.COMPARE, COMPARE_FOLDER, "机构对比"))
    return pages
