"""Stage 2, site: the page graph. Every page of the site and its URL are decided here, once.

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
    404.html, sitemap.xml, robots.txt
    feed.xml                             Atom feed of recent changes (in a git checkout)
"""

from __future__ import annotations

import dataclasses
import functools
import re
from dataclasses import dataclass
from enum import Enum
from urllib.parse import quote, urlsplit

from gkml_ssg.content.errors import ContentError, ContentInvalid
from gkml_ssg.content.fields import SLUG_PATTERN
from gkml_ssg.content.history import NO_HISTORY, Commit, SourceHistory
from gkml_ssg.site.summaries import (
    AgencySummary,
    CitingLine,
    LawNode,
    LawRef,
    RegionGroup,
    SummaryHead,
    cited_law,
    law_refs,
    laws_of,
    regions_of,
    subpage_paths_fields,
)
from gkml_ssg.content.load import AgencySource, Content
from gkml_ssg.content.model import Category, Item, NegativeEntry, OnRequestEntry, SiteConfig
from gkml_ssg.site.slugs import check_unique_agency_slugs, check_unique_entry_slugs


class PageKind(Enum):
    HOME = "home"
    AGENCY = "agency"
    HISTORY = "history"
    ITEM = "item"
    ON_REQUEST = "on-request"
    NEGATIVE = "negative"
    LEGAL_BASIS = "legal-basis"
    LAW = "law"
    LAW_PROVINCE = "law-province"
    SEARCH = "search"
    NOT_FOUND = "404"
    SITEMAP = "sitemap"
    SITEMAP_PART = "sitemap-part"
    ROBOTS = "robots"
    FEED = "feed"


# sitemaps.org: at most 50,000 URLs a file; a larger site gets a sitemap index and parts.
SITEMAP_LIMIT = 50_000
# The feed's entries: the most recent commits that changed the content.
FEED_LIMIT = 50
KIND_LABELS = {PageKind.ITEM: "主动公开事项", PageKind.ON_REQUEST: "依申请公开", PageKind.NEGATIVE: "负面清单"}
_SEGMENTS = {PageKind.ITEM: "items", PageKind.ON_REQUEST: "on-request", PageKind.NEGATIVE: "negative"}
# The column (栏目) each kind of page belongs to, as government-website monitoring reads it
# (the ColumnName meta tag).
COLUMN_NAMES = {
    PageKind.HOME: "首页",
    PageKind.AGENCY: "政务公开目录",
    PageKind.HISTORY: "政务公开目录",
    **KIND_LABELS,
    PageKind.LEGAL_BASIS: "公开依据索引",
    PageKind.LAW: "公开依据索引",
    PageKind.LAW_PROVINCE: "公开依据索引",
    PageKind.SEARCH: "搜索",
    PageKind.NOT_FOUND: "页面未找到",
}


@dataclass(frozen=True)
class EntryNode:
    """A page-owning row of an agency: catalogue item, on-request entry or negative-list entry."""

    kind: PageKind
    slug: str
    path: str
    title: str
    category: str | None  # 一级事项; for the negative list, 事项类别
    category_index: int | None  # position of the category in the agency's catalogue, for anchors
    stage: str | None
    data: Item | OnRequestEntry | NegativeEntry
    citations: tuple[CitedBasis, ...]  # its 公开依据 (or grounds for not disclosing), in order


@dataclass(frozen=True)
class AgencyNode:
    source: AgencySource
    slug: str
    path: str
    entries: tuple[EntryNode, ...]  # items, then on-request, then negative entries
    history: tuple[Commit, ...] = ()  # the commits that changed its file, newest first

    @property
    def history_path(self) -> str:
        return self.path + "history/"

    @property
    def updated(self) -> str | None:
        """When its file last changed (YYYY-MM-DD), from git; None outside git or before a commit."""
        return self.history[0].day if self.history else None

    @property
    def agency(self):
        return self.source.agency

    def of_kind(self, kind: PageKind) -> tuple[EntryNode, ...]:
        return tuple(e for e in self.entries if e.kind is kind)

    @property
    def item_count(self) -> int:
        return sum(1 for e in self.entries if e.kind is PageKind.ITEM)

    def stage_groups(self) -> list[tuple[str | None, list[tuple[int, Category, list[EntryNode]]]]]:
        """The catalogue as consecutive runs of categories that share a stage (过程)."""
        items = self.of_kind(PageKind.ITEM)
        groups: list[tuple[str | None, list]] = []
        for index, category in enumerate(self.agency.catalogue):
            entries = [e for e in items if e.category_index == index]
            if not groups or groups[-1][0] != category.stage:
                groups.append((category.stage, []))
            groups[-1][1].append((index, category, entries))
        return groups


@dataclass(frozen=True)
class CitedBasis:
    """One legal basis an entry cites, as worded, and the legal-basis index entries it belongs to."""

    text: str
    laws: tuple[LawRef, ...]


@dataclass(frozen=True)
class Page:
    kind: PageKind
    path: str  # URL path relative to the base path
    output: str  # file path relative to the output folder
    title: str
    agency: AgencyNode | None = None
    entry: EntryNode | None = None
    previous: EntryNode | None = None
    next: EntryNode | None = None
    part: int | None = None  # the number of a sitemap part
    law: LawNode | None = None
    province: str | None = None  # the province of a law's province page


@dataclass(frozen=True)
class SiteGraph:
    config: SiteConfig
    origin: str  # scheme and host, e.g. https://www.example.gov.cn
    base_path: str  # always starts and ends with "/"
    agencies: tuple[AgencyNode, ...]  # the agencies loaded for this build: all, unless their files were unchanged
    fresh: tuple[AgencySummary, ...]  # their summaries
    heads: tuple[SummaryHead, ...]  # every agency's, in page-graph order
    # The lists (see `with_lists`); empty in a graph without them
    summaries: tuple[AgencySummary, ...]  # every agency's, in page-graph order
    regions: tuple[RegionGroup, ...]
    laws: tuple[LawNode, ...]
    pages: tuple[Page, ...]  # the loaded agencies' pages and every page that lists other pages
    history: SourceHistory = NO_HISTORY

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

    @property
    def page_count(self) -> int:
        """Every agency's pages, loaded or not, and the lists in this graph."""
        return sum(1 for page in self.pages if page.agency is None) + sum(h.page_count for h in self.heads)

    def sitemap_parts(self) -> list[list[str]]:
        """The paths a sitemap lists, in parts of at most SITEMAP_LIMIT (the protocol's limit)."""
        return self._sitemap_parts

    @functools.cached_property
    def _sitemap_parts(self) -> list[list[str]]:
        listings = [p.path for p in self.pages if p.agency is None and in_sitemap(p)]
        # the home page first, then every agency's pages, then the other lists (as in `pages`)
        listed = [*listings[:1], *(path for s in self.summaries for path in (s.path, *s.subpage_paths)), *listings[1:]]
        return [listed[i : i + SITEMAP_LIMIT] for i in range(0, len(listed), SITEMAP_LIMIT)] or [[]]


@dataclass(frozen=True)
class FeedEntry:
    commit: Commit
    agencies: tuple[AgencySummary, ...]  # the agencies whose files it changed, those that still exist
    other_paths: tuple[str, ...]  # the other files it changed: site.yml, removed agencies' files


def in_sitemap(page: Page) -> bool:
    return page.output.endswith(".html") and page.kind is not PageKind.NOT_FOUND


def normalise_base_path(value: str) -> str:
    path = urlsplit(value).path if "://" in value else value
    path = "/" + path.strip("/") + "/"
    return "/" if path == "//" else path


def assemble(
    content: Content, base_url: str | None = None, kept: tuple[AgencySummary, ...] = (), history: SourceHistory = NO_HISTORY
) -> SiteGraph:
    """Build the page graph. `base_url` (a path or a full URL) overrides the configured one.

    `kept` are the summaries of agencies whose files were not loaded because they have not changed
    since the build that summarised them: the lists of the site include them, their own pages are
    not part of this graph."""
    return with_lists(agency_graph(content, base_url, tuple(s.head for s in kept), history), kept)


def agency_graph(
    content: Content,
    base_url: str | None = None,
    kept: tuple[SummaryHead, ...] = (),
    history: SourceHistory = NO_HISTORY,
) -> SiteGraph:
    """The page graph of the loaded agencies' pages, without the pages that list other pages
    (`with_lists` adds them). `kept` are the heads of the agencies not loaded; `history` is the
    content folder's git history."""
    configured = urlsplit(content.config.base_url)
    origin = f"{configured.scheme}://{configured.netloc}"
    if base_url and "://" in base_url:
        override = urlsplit(base_url)
        origin = f"{override.scheme}://{override.netloc}"
    base_path = normalise_base_path(base_url or configured.path or "/")

    errors: list[ContentError] = []
    agencies = _agency_nodes(content, errors, history)
    fresh = tuple(summarise(agency) for agency in agencies)
    loaded = {summary.source_path for summary in fresh}
    heads = tuple(sorted((*(s.head for s in fresh), *(h for h in kept if h.source_path not in loaded)), key=_source_order))
    check_unique_agency_slugs(agencies, heads, errors)
    if errors:
        raise ContentInvalid(errors)

    pages = []
    for agency in agencies:
        pages.append(Page(PageKind.AGENCY, agency.path, agency.path + "index.html", agency.agency.name, agency))
        pages.append(Page(PageKind.HISTORY, agency.history_path, agency.history_path + "index.html", f"{agency.agency.name}变更记录", agency))
        chain = agency.entries
        for index, entry in enumerate(chain):
            pages.append(
                Page(
                    entry.kind,
                    entry.path,
                    entry.path + "index.html",
                    entry.title,
                    agency,
                    entry,
                    previous=chain[index - 1] if index > 0 else None,
                    next=chain[index + 1] if index + 1 < len(chain) else None,
                )
            )
    return SiteGraph(content.config, origin, base_path, agencies, fresh, heads, (), (), (), tuple(pages), history)


def with_lists(graph: SiteGraph, kept: tuple[AgencySummary, ...]) -> SiteGraph:
    """The graph with the pages that list other pages, made from the summaries of the loaded
    agencies and `kept` (those of every other agency in `graph.heads`)."""
    loaded = {summary.source_path for summary in graph.fresh}
    summaries = tuple(sorted((*graph.fresh, *(s for s in kept if s.source_path not in loaded)), key=_source_order))
    assert [s.source_path for s in summaries] == [h.source_path for h in graph.heads], "a summary for every agency"
    lists = [
        Page(PageKind.LEGAL_BASIS, "legal-basis/", "legal-basis/index.html", "公开依据索引"),
        Page(PageKind.SEARCH, "search/", "search/index.html", "搜索"),
        Page(PageKind.NOT_FOUND, "404.html", "404.html", "页面未找到"),
        Page(PageKind.SITEMAP, "sitemap.xml", "sitemap.xml", "站点地图"),
        Page(PageKind.ROBOTS, "robots.txt", "robots.txt", "robots.txt"),
    ]
    if graph.history.commits:
        lists.append(Page(PageKind.FEED, "feed.xml", "feed.xml", "最近更新"))
    laws = laws_of(summaries)
    for law in laws:
        lists.append(Page(PageKind.LAW, law.path, law.path + "index.html", law.key, law=law))
        if law.split_by_province:
            lists += [
                Page(PageKind.LAW_PROVINCE, path, path + "index.html", f"{law.key}（{province}）", law=law, province=province)
                for province, path, _, _ in law.provinces()
            ]
    # counted, not listed: listing would unpack every agency's page addresses
    listed = 1 + sum(1 for page in lists if in_sitemap(page)) + sum(s.page_count for s in summaries)
    part_count = -(-listed // SITEMAP_LIMIT)
    if part_count > 1:
        lists += [
            Page(PageKind.SITEMAP_PART, f"sitemaps/{n}.xml", f"sitemaps/{n}.xml", f"站点地图 {n}", part=n)
            for n in range(1, part_count + 1)
        ]
    home = Page(PageKind.HOME, "", "index.html", graph.config.title)
    return dataclasses.replace(
        graph,
        summaries=summaries,
        regions=regions_of(summaries),
        laws=laws,
        pages=(home, *graph.pages, *lists),
    )


def agency_nodes(content: Content) -> tuple[AgencyNode, ...]:
    """The nodes of the agencies loaded, without the rest of the graph (for indexing them)."""
    errors: list[ContentError] = []
    agencies = _agency_nodes(content, errors)
    if errors:
        raise ContentInvalid(errors)
    return agencies


def _agency_nodes(
    content: Content, errors: list[ContentError], history: SourceHistory = NO_HISTORY
) -> tuple[AgencyNode, ...]:
    # The same few laws are cited throughout a province's catalogues: each wording is parsed once.
    cited: dict[str, CitedBasis] = {}
    return tuple(_agency_node(source, errors, cited, history.of(source.path)) for source in content.agencies)


def _agency_node(
    source: AgencySource, errors: list[ContentError], cited: dict[str, CitedBasis], history: tuple[Commit, ...]
) -> AgencyNode:
    agency = source.agency
    slug = agency.slug or source.stem
    if agency.slug is None and not re.fullmatch(SLUG_PATTERN, slug):
        errors.append(
            ContentError(
                source.path,
                f"文件名“{source.stem}”不能用作网址",
                hint="请把文件改名为小写字母、数字和连字符，或添加“网址标识: …”",
                code="bad-file-name",
            )
        )
    path = f"agencies/{slug}/"
    entries: list[EntryNode] = []

    def basis(text: str) -> CitedBasis:
        if text not in cited:
            cited[text] = CitedBasis(text, tuple(law_refs(text)))
        return cited[text]

    def add(kind: PageKind, position: int, data, title: str, category: str | None, category_index=None, stage=None):
        entry_slug = data.slug or str(position)
        entry_path = f"{path}{_SEGMENTS[kind]}/{entry_slug}/"
        citations = tuple(basis(text) for text in (data.basis if isinstance(data, Item) else data.grounds))
        entries.append(EntryNode(kind, entry_slug, entry_path, title, category, category_index, stage, data, citations))

    position = 0
    for category_index, category in enumerate(agency.catalogue):
        for item in category.items:
            position += 1
            add(PageKind.ITEM, position, item, item.title or category.name, category.name, category_index, category.stage)
    if agency.on_request:
        for position, entry in enumerate(agency.on_request.entries, start=1):
            add(PageKind.ON_REQUEST, position, entry, entry.title, entry.category)
    if agency.negative:
        for position, entry in enumerate(agency.negative.entries, start=1):
            add(PageKind.NEGATIVE, position, entry, entry.title, entry.kind)
    check_unique_entry_slugs(source, entries, errors)
    return AgencyNode(source, slug, path, tuple(entries), history)


def _source_order(summary: AgencySummary | SummaryHead) -> str:
    return summary.source_path


def summarise(agency: AgencyNode) -> AgencySummary:
    """What the site's lists show of an agency (see `listing`)."""
    lines: dict[LawRef, list[CitingLine]] = {}
    for entry in agency.entries:
        for basis in entry.citations:
            for ref in basis.laws:
                lines.setdefault(ref, []).append((entry.path, entry.title, entry.kind.value, basis.text))
    region = agency.agency.region
    counts = {kind: 0 for kind in _SEGMENTS}
    for entry in agency.entries:
        counts[entry.kind] += 1
    page_count, paths_digest, packed_paths = subpage_paths_fields((agency.history_path, *(entry.path for entry in agency.entries)))
    return AgencySummary(
        source_path=agency.source.path,
        source_digest=agency.source.digest,
        slug=agency.slug,
        path=agency.path,
        name=agency.agency.name,
        province=region.province,
        city=region.city,
        county=region.county,
        item_count=counts[PageKind.ITEM],
        on_request_count=counts[PageKind.ON_REQUEST],
        negative_count=counts[PageKind.NEGATIVE],
        page_count=page_count,
        paths_digest=paths_digest,
        packed_paths=packed_paths,
        laws=tuple(cited_law(ref, found) for ref, found in lines.items()),
    )
