"""Stage 2, site: the page graph. Every page of the site and its URL are decided here, once.

URL scheme (relative to the site's base path):
    ""                                   home
    agencies/<agency>/                   agency page
    agencies/<agency>/items/<item>/      catalogue item (item = 网址标识, or its position)
    agencies/<agency>/on-request/<n>/    on-request entry
    agencies/<agency>/negative/<n>/      negative-list entry
    legal-basis/                         the legal-basis index: every cited law once
    legal-basis/<law>/                   one law and every entry that cites it (or, for a
    legal-basis/<law>/<province>/        much-cited law, its provinces, each on its own page)
    search/                              the search page (?q=…)
    404.html, sitemap.xml, robots.txt
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass
from enum import Enum
from urllib.parse import urlsplit

from .errors import ContentError, ContentInvalid
from .fields import SLUG_PATTERN
from .legal import citation_key, cited_titles
from .load import AgencySource, Content
from .model import Category, Item, NegativeEntry, OnRequestEntry, SiteConfig


class PageKind(Enum):
    HOME = "home"
    AGENCY = "agency"
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


# sitemaps.org: at most 50,000 URLs a file; a larger site gets a sitemap index and parts.
SITEMAP_LIMIT = 50_000
# A law's page lists at most this many citing entries; above it, one page per province.
LAW_PAGE_LIMIT = 2_000
KIND_LABELS = {PageKind.ITEM: "主动公开事项", PageKind.ON_REQUEST: "依申请公开", PageKind.NEGATIVE: "负面清单"}
_SEGMENTS = {PageKind.ITEM: "items", PageKind.ON_REQUEST: "on-request", PageKind.NEGATIVE: "negative"}


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
class Citation:
    agency: AgencyNode
    entry: EntryNode
    text: str  # the citation as the catalogue words it


@dataclass(frozen=True)
class LawRef:
    """A law or regulation as the legal-basis index lists it."""

    key: str  # the normalised cited title, or the whole citation when it has no 《title》
    titled: bool

    @property
    def path(self) -> str:
        """The law's own page, listing every entry that cites it."""
        return f"legal-basis/{hashlib.sha1(self.key.encode()).hexdigest()[:10]}/"


@dataclass(frozen=True)
class CitedBasis:
    """One legal basis an entry cites, as worded, and the legal-basis index entries it belongs to."""

    text: str
    laws: tuple[LawRef, ...]


def law_refs(citation: str) -> list[LawRef]:
    """The index entries a citation belongs to: its 《titles》, or its own text when it has none.

    Decided by the citation alone, so a page linking to the index needs no other page's content."""
    titles = cited_titles(citation)
    return [LawRef(t, True) for t in dict.fromkeys(titles)] or [LawRef(citation_key(citation), False)]


@dataclass(frozen=True)
class LawNode:
    ref: LawRef
    citations: tuple[Citation, ...]

    @property
    def key(self) -> str:
        return self.ref.key

    @property
    def titled(self) -> bool:
        return self.ref.titled

    @property
    def path(self) -> str:
        return self.ref.path

    @functools.cached_property
    def agency_count(self) -> int:
        return len({c.agency.slug for c in self.citations})

    @property
    def split_by_province(self) -> bool:
        """A law cited more often than this lists its entries on one page per province."""
        return len(self.citations) > LAW_PAGE_LIMIT

    def by_agency(self, province: str | None = None) -> list[tuple[AgencyNode, list[EntryNode]]]:
        """The citing entries grouped by agency (of one province, if given), in page-graph order."""
        grouped: dict[str, tuple[AgencyNode, list[EntryNode]]] = {}
        for citation in self.citations:
            if province is None or citation.agency.agency.region.province == province:
                grouped.setdefault(citation.agency.slug, (citation.agency, []))[1].append(citation.entry)
        return list(grouped.values())

    def provinces(self) -> list[tuple[str, str, int, int]]:
        """(province, its page's path, agencies, entries) for each province with citing entries."""
        counts: dict[str, tuple[set[str], int]] = {}
        for citation in self.citations:
            agencies, entries = counts.get(citation.agency.agency.region.province, (set(), 0))
            agencies.add(citation.agency.slug)
            counts[citation.agency.agency.region.province] = (agencies, entries + 1)
        return [(p, self.province_path(p), len(a), n) for p, (a, n) in sorted(counts.items())]

    def province_path(self, province: str) -> str:
        return f"{self.path}{hashlib.sha1(province.encode()).hexdigest()[:8]}/"

    @functools.cached_property
    def citation_digests(self) -> dict[str | None, str]:
        """A hash of what a law page shows of each citing entry (its agency, its address, title and
        kind, and the wording cited), in order: per province, and under None for the whole law.
        Computed once per law per build."""
        hashes: dict[str | None, hashlib._Hash] = {None: hashlib.sha256()}
        for c in self.citations:
            agency = c.agency.agency
            line = "|".join((c.agency.path, agency.name, c.entry.path, c.entry.title, c.entry.kind.value, c.text))
            line_bytes = line.encode("utf-8") + b"\n"
            hashes[None].update(line_bytes)
            hashes.setdefault(agency.region.province, hashlib.sha256()).update(line_bytes)
        return {province: value.hexdigest() for province, value in hashes.items()}

    def wordings(self) -> list[tuple[str, int]]:
        """Each distinct wording of the citation in the catalogues, with how often it is used."""
        counts: dict[str, int] = {}
        for citation in self.citations:
            counts[citation.text] = counts.get(citation.text, 0) + 1
        return sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))


@dataclass(frozen=True)
class RegionGroup:
    name: str
    children: tuple[RegionGroup, ...] = ()
    agencies: tuple[AgencyNode, ...] = ()

    @property
    def item_count(self) -> int:
        return sum(a.item_count for a in self.agencies) + sum(c.item_count for c in self.children)


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
    agencies: tuple[AgencyNode, ...]
    regions: tuple[RegionGroup, ...]
    laws: tuple[LawNode, ...]
    pages: tuple[Page, ...]

    def url(self, path: str) -> str:
        return self.base_path + path

    def absolute_url(self, path: str) -> str:
        return self.origin + self.base_path + path

    def sitemap_parts(self) -> list[list[str]]:
        """The paths a sitemap lists, in parts of at most SITEMAP_LIMIT (the protocol's limit)."""
        return self._sitemap_parts

    @functools.cached_property
    def _sitemap_parts(self) -> list[list[str]]:
        listed = [p.path for p in self.pages if p.output.endswith(".html") and p.kind is not PageKind.NOT_FOUND]
        return [listed[i : i + SITEMAP_LIMIT] for i in range(0, len(listed), SITEMAP_LIMIT)] or [[]]


def normalise_base_path(value: str) -> str:
    path = urlsplit(value).path if "://" in value else value
    path = "/" + path.strip("/") + "/"
    return "/" if path == "//" else path


def assemble(content: Content, base_url: str | None = None) -> SiteGraph:
    """Build the page graph. `base_url` (a path or a full URL) overrides the configured one."""
    configured = urlsplit(content.config.base_url)
    origin = f"{configured.scheme}://{configured.netloc}"
    if base_url and "://" in base_url:
        override = urlsplit(base_url)
        origin = f"{override.scheme}://{override.netloc}"
    base_path = normalise_base_path(base_url or configured.path or "/")

    errors: list[ContentError] = []
    # The same few laws are cited throughout a province's catalogues: each wording is parsed once.
    cited: dict[str, CitedBasis] = {}
    agencies = tuple(_agency_node(source, errors, cited) for source in content.agencies)
    _check_unique_agency_slugs(agencies, errors)
    if errors:
        raise ContentInvalid(errors)

    pages = [Page(PageKind.HOME, "", "index.html", content.config.title)]
    for agency in agencies:
        pages.append(Page(PageKind.AGENCY, agency.path, agency.path + "index.html", agency.agency.name, agency))
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
    pages += [
        Page(PageKind.LEGAL_BASIS, "legal-basis/", "legal-basis/index.html", "公开依据索引"),
        Page(PageKind.SEARCH, "search/", "search/index.html", "搜索"),
        Page(PageKind.NOT_FOUND, "404.html", "404.html", "页面未找到"),
        Page(PageKind.SITEMAP, "sitemap.xml", "sitemap.xml", "站点地图"),
        Page(PageKind.ROBOTS, "robots.txt", "robots.txt", "robots.txt"),
    ]
    laws = _laws(agencies)
    for law in laws:
        pages.append(Page(PageKind.LAW, law.path, law.path + "index.html", law.key, law=law))
        if law.split_by_province:
            pages += [
                Page(PageKind.LAW_PROVINCE, path, path + "index.html", f"{law.key}（{province}）", law=law, province=province)
                for province, path, _, _ in law.provinces()
            ]
    site = SiteGraph(
        config=content.config,
        origin=origin,
        base_path=base_path,
        agencies=agencies,
        regions=_regions(agencies),
        laws=laws,
        pages=tuple(pages),
    )
    parts = site.sitemap_parts()
    if len(parts) == 1:
        return site
    sitemap_parts = tuple(
        Page(PageKind.SITEMAP_PART, f"sitemaps/{n}.xml", f"sitemaps/{n}.xml", f"站点地图 {n}", part=n)
        for n in range(1, len(parts) + 1)
    )
    return dataclasses.replace(site, pages=site.pages + sitemap_parts)


def _agency_node(source: AgencySource, errors: list[ContentError], cited: dict[str, CitedBasis]) -> AgencyNode:
    agency = source.agency
    slug = agency.slug or source.stem
    if agency.slug is None and not re.fullmatch(SLUG_PATTERN, slug):
        errors.append(
            ContentError(
                source.path,
                f"文件名“{source.stem}”不能用作网址",
                hint="请把文件改名为小写字母、数字和连字符，或添加“网址标识: …”",
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
    _check_unique_entry_slugs(source, entries, errors)
    return AgencyNode(source, slug, path, tuple(entries))


def _check_unique_entry_slugs(source: AgencySource, entries: list[EntryNode], errors: list[ContentError]) -> None:
    seen: dict[tuple[PageKind, str], EntryNode] = {}
    for entry in entries:
        key = (entry.kind, entry.slug)
        if key in seen:
            first = seen[key].data.origin
            errors.append(
                ContentError(
                    source.path,
                    f"网址标识“{entry.slug}”重复（第 {first.line} 行的“{seen[key].title}”已使用）"
                    if first
                    else f"网址标识“{entry.slug}”重复",
                    entry.data.origin,
                    "网址标识",
                    "每个条目的网址标识必须不同；数字标识会与按顺序自动编号的条目冲突",
                )
            )
        else:
            seen[key] = entry


def _check_unique_agency_slugs(agencies: tuple[AgencyNode, ...], errors: list[ContentError]) -> None:
    seen: dict[str, AgencyNode] = {}
    for agency in agencies:
        if agency.slug in seen:
            errors.append(
                ContentError(
                    agency.source.path,
                    f"网址标识“{agency.slug}”与 {seen[agency.slug].source.path} 重复",
                    agency.agency.origin,
                    "网址标识",
                    "请为其中一个机构填写不同的“网址标识”",
                )
            )
        else:
            seen[agency.slug] = agency


def _regions(agencies: tuple[AgencyNode, ...]) -> tuple[RegionGroup, ...]:
    tree: dict[str, dict[str, dict[str, list[AgencyNode]]]] = defaultdict(lambda: defaultdict(lambda: defaultdict(list)))
    for agency in agencies:
        region = agency.agency.region
        tree[region.province][region.city][region.county].append(agency)
    return tuple(
        RegionGroup(
            province,
            tuple(
                RegionGroup(
                    city,
                    tuple(
                        RegionGroup(county, agencies=tuple(sorted(found, key=lambda a: (a.agency.name, a.slug))))
                        for county, found in sorted(counties.items())
                    ),
                )
                for city, counties in sorted(cities.items())
            ),
        )
        for province, cities in sorted(tree.items())
    )


def _laws(agencies: tuple[AgencyNode, ...]) -> tuple[LawNode, ...]:
    cited: dict[LawRef, list[Citation]] = defaultdict(list)
    for agency in agencies:
        for entry in agency.entries:
            for basis in entry.citations:
                for ref in basis.laws:
                    cited[ref].append(Citation(agency, entry, basis.text))
    laws = [LawNode(ref, tuple(citations)) for ref, citations in cited.items()]
    # Most-cited first; untitled references (no 《》) after every titled law.
    return tuple(sorted(laws, key=lambda law: (not law.titled, -len(law.citations), law.key)))


def listing_inputs(site: SiteGraph, page: Page) -> list[str]:
    """What a page outside the agencies (home, legal-basis index, law pages, sitemap, …) shows of
    the page graph; its template reads nothing else from it besides the site configuration. Two
    builds that give such a page the same inputs give it the same bytes, so the build renders it
    again only when they change (an agency's edit touches the few lists that show what it changed)."""
    own = [page.kind.value, page.path, page.title, page.province or "", str(page.part or "")]
    kind = page.kind
    if kind is PageKind.HOME:
        return own + [
            "|".join(
                (
                    a.path,
                    a.agency.name,
                    a.agency.region.province,
                    a.agency.region.city,
                    a.agency.region.county,
                    *(str(len(a.of_kind(k))) for k in _SEGMENTS),
                )
            )
            for a in site.agencies
        ]
    if kind is PageKind.LEGAL_BASIS:
        return own + [f"{law.key}|{law.titled}|{law.agency_count}|{len(law.citations)}" for law in site.laws]
    if kind in (PageKind.LAW, PageKind.LAW_PROVINCE):
        assert page.law is not None
        law = page.law
        header = f"{law.key}|{law.titled}|{law.split_by_province}|{law.agency_count}|{len(law.citations)}"
        if page.province is not None:
            return own + [header, law.citation_digests[page.province]]
        if law.split_by_province:
            return own + [header, repr(law.wordings()), repr(law.provinces())]
        return own + [header, repr(law.wordings()), law.citation_digests[None]]
    if kind in (PageKind.SITEMAP, PageKind.SITEMAP_PART):
        parts = site.sitemap_parts()
        return own + [str(len(parts)), *("\n".join(part) for part in parts)]
    if kind in (PageKind.SEARCH, PageKind.NOT_FOUND, PageKind.ROBOTS):
        return own
    raise ValueError(f"{kind} is an agency's page, not a listing")
