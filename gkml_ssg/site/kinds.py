"""The page kinds of a site, in one registry: each kind's URL, label, column, outputs, search rule
and sitemap rule. A new kind of page is one entry here (and its templates); a new kind of entry
(a row of an agency's catalogue with pages of its own) is one `EntryKind` in `ENTRY_KINDS`.

Nothing here reads content files or writes output; the page graph (`graph.py`) applies these
rules, the renderer renders each declared output, the search stage indexes the kinds declared
searchable.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import Enum
from typing import Protocol

from gkml_ssg.content.model import Agency, Item, Mode, NegativeEntry, OnRequestEntry


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
    DOWNLOADS = "downloads"
    AUDIT = "audit"
    REFERENCE = "reference"
    REFERENCE_PROVINCE = "reference-province"
    DEADLINES = "deadlines"
    DEADLINE = "deadline"
    DEADLINE_PROVINCE = "deadline-province"
    COMPARE = "compare"


@dataclass(frozen=True)
class Output:
    """One file a page produces: rendered by `template` in output format `format` (see
    `render.formats`), at the page's path followed by `file` ("" when the path names the file)."""

    format: str
    template: str
    file: str = "index.html"


def html(template: str) -> tuple[Output, ...]:
    return (Output("html", template),)


@dataclass(frozen=True)
class KindSpec:
    kind: PageKind
    outputs: tuple[Output, ...]  # the first is the page's own address (its canonical file)
    column: str | None = None  # the 栏目 government-website monitoring reads (the ColumnName meta tag)
    in_sitemap: bool = True  # listed in sitemap.xml
    searched: bool = False  # its pages are records of the search index
    agency_page: bool = False  # one per agency (rendered with the agency's unit), not one per site
    # made from every agency's downloads once they are rendered (`build.gathering`), not from the graph alone
    gathered: bool = False


# Filter names of the search page (the filters a reader narrows results with).
FILTER_CATEGORY = "一级事项"
FILTER_MODE = "公开方式"
FILTER_AUDIENCE = "公开对象"
FILTER_SUBJECT = "主题分类"
FILTER_VALIDITY = "有效性"


class PlacedRow(Protocol):
    """A row with what it takes from its place: an `EntryRow`, or the entry's node made from it."""

    @property
    def data(self) -> Item | OnRequestEntry | NegativeEntry: ...

    @property
    def category(self) -> str | None: ...

    @property
    def stage(self) -> str | None: ...


@dataclass(frozen=True)
class EntryRow:
    """A row of an agency that has a page of its own, with what it takes from its place."""

    data: Item | OnRequestEntry | NegativeEntry
    title: str
    category: str | None  # 一级事项; for the negative list, 事项类别
    category_index: int | None = None  # position of the category in the agency's catalogue, for anchors
    stage: str | None = None


@dataclass(frozen=True)
class EntryKind:
    """A kind of agency row with pages of its own: where its rows are in the model, the URL
    segment of their pages, their label, and what search shows of them besides their fields."""

    kind: PageKind
    segment: str  # agencies/<agency>/<segment>/<n>/
    label: str  # what readers call the list (主动公开事项, 依申请公开, 负面清单)
    template: str  # of its pages (HTML)
    rows: Callable[[Agency], Iterator[EntryRow]]
    # The texts a row's page shows from its place rather than its own fields (an item's 过程 and
    # 一级事项, which belong to its category), before its own searchable fields.
    context_texts: Callable[[PlacedRow], list[str | None]] = lambda entry: []
    filters: Callable[[PlacedRow], dict[str, list[str]]] = lambda entry: {}


def _items(agency: Agency) -> Iterator[EntryRow]:
    for index, category in enumerate(agency.catalogue):
        for item in category.items:
            yield EntryRow(item, item.title or category.name, category.name, index, category.stage)


def _on_request(agency: Agency) -> Iterator[EntryRow]:
    for entry in agency.on_request.entries if agency.on_request else ():
        yield EntryRow(entry, entry.title, entry.category)


def _negative(agency: Agency) -> Iterator[EntryRow]:
    for entry in agency.negative.entries if agency.negative else ():
        yield EntryRow(entry, entry.title, entry.kind)


def _category_filter(entry: PlacedRow) -> dict[str, list[str]]:
    return {FILTER_CATEGORY: [entry.category]} if entry.category else {}


def _item_filters(entry: PlacedRow) -> dict[str, list[str]]:
    item = entry.data
    assert isinstance(item, Item)
    found = _category_filter(entry)
    if item.mode:
        found[FILTER_MODE] = [item.mode.value]
    if item.audience:
        found[FILTER_AUDIENCE] = [item.audience.value]
    if item.subject:
        found[FILTER_SUBJECT] = [item.subject]
    if item.validity:
        found[FILTER_VALIDITY] = [item.validity.value]
    return found


# In page-graph order: an agency's items, then its on-request entries, then its negative list.
ENTRY_KINDS: tuple[EntryKind, ...] = (
    EntryKind(
        PageKind.ITEM, "items", "主动公开事项", "item.html", _items, lambda entry: [entry.stage, entry.category], _item_filters
    ),
    EntryKind(
        PageKind.ON_REQUEST,
        "on-request",
        "依申请公开",
        "on_request.html",
        _on_request,
        # the list is the agency's 依申请公开 list, whatever its rows say
        filters=lambda entry: {**_category_filter(entry), FILTER_MODE: [Mode.ON_REQUEST.value]},
    ),
    EntryKind(PageKind.NEGATIVE, "negative", "负面清单", "negative.html", _negative, filters=_category_filter),
)
ENTRY_KIND_OF = {entry_kind.kind: entry_kind for entry_kind in ENTRY_KINDS}

# What a reader downloads from an agency's page: a CSV per list (Chinese headers, UTF-8 with BOM
# for Excel), the officers' table (as `gkml export` writes it) and the whole catalogue as JSON.
AGENCY_DOWNLOADS = (
    Output("csv", "proactive.csv", "proactive.csv"),
    Output("csv", "on_request.csv", "on-request.csv"),
    Output("csv", "negative.csv", "negative.csv"),
    Output("xlsx", "", "catalogue.xlsx"),
    Output("json", "catalogue.json", "catalogue.json"),
)



@dataclass(frozen=True)
class GatheredList:
    """A list of every agency's rows, gathered from each agency's CSV of it into one CSV and one
    sheet of the site's workbook (`render.gathered`), described in the data package."""

    name: str  # of its resource in datapackage.json
    file: str  # the agency's CSV it gathers, and the site's CSV under DOWNLOADS_FOLDER
    title: str
    description: str


GATHERED_LISTS = (
    GatheredList("proactive", "proactive.csv", "主动公开事项", "各机构政府信息主动公开基本目录的全部事项，一行一个事项。"),
    GatheredList("on-request", "on-request.csv", "依申请公开事项", "各机构依申请公开（不予主动公开）清单的全部条目，一行一个条目。"),
    GatheredList("negative", "negative.csv", "负面清单", "各机构不予公开信息清单（负面清单）的全部条目，一行一个条目。"),
)
DOWNLOADS_FOLDER = "downloads/"  # the downloads page and the site's gathered files
SITE_WORKBOOK = "catalogue.xlsx"  # the gathered lists, a sheet each, under DOWNLOADS_FOLDER
DATA_PACKAGE = "datapackage.json"  # at the site's root, as the Frictionless standard places it

_CATALOGUE_COLUMN = "政务公开目录"
_AUDIT_COLUMN = "标准目录对照"
# An agency's catalogue as the comparison page reads it (see `render.comparison`).
AGENCY_COMPARISON = Output("json", "compare.json", "compare.json")
_LEGAL_COLUMN = "公开依据索引"

KINDS: dict[PageKind, KindSpec] = {
    spec.kind: spec
    for spec in (
        KindSpec(PageKind.HOME, html("home.html"), column="首页"),
        KindSpec(
            PageKind.AGENCY, (*html("agency.html"), *AGENCY_DOWNLOADS, AGENCY_COMPARISON), column=_CATALOGUE_COLUMN, searched=True, agency_page=True
        ),
        KindSpec(PageKind.HISTORY, html("history.html"), column=_CATALOGUE_COLUMN, agency_page=True),
        *(
            # each entry's page has a machine-readable twin, announced in its head
            KindSpec(
                entry_kind.kind, (*html(entry_kind.template), Output("json", "entry.json", "index.json")),
                column=entry_kind.label, searched=True, agency_page=True,
            )
            for entry_kind in ENTRY_KINDS
        ),
        KindSpec(PageKind.LEGAL_BASIS, html("legal_basis.html"), column=_LEGAL_COLUMN),
        KindSpec(PageKind.LAW, html("law.html"), column=_LEGAL_COLUMN),
        KindSpec(PageKind.LAW_PROVINCE, html("law.html"), column=_LEGAL_COLUMN),
        KindSpec(PageKind.SEARCH, html("search.html"), column="搜索"),
        KindSpec(PageKind.NOT_FOUND, (Output("html", "404.html", ""),), column="页面未找到", in_sitemap=False),
        KindSpec(PageKind.SITEMAP, (Output("xml", "sitemap.xml", ""),), in_sitemap=False),
        KindSpec(PageKind.SITEMAP_PART, (Output("xml", "sitemap.xml", ""),), in_sitemap=False),
        KindSpec(PageKind.ROBOTS, (Output("text", "robots.txt", ""),), in_sitemap=False),
        KindSpec(PageKind.FEED, (Output("xml", "feed.xml", ""),), in_sitemap=False),
        KindSpec(PageKind.DOWNLOADS, html("downloads.html"), column="数据下载", gathered=True),
        KindSpec(PageKind.AUDIT, html("audit.html"), column=_AUDIT_COLUMN),
        KindSpec(PageKind.REFERENCE, html("reference.html"), column=_AUDIT_COLUMN),
        KindSpec(PageKind.REFERENCE_PROVINCE, html("reference.html"), column=_AUDIT_COLUMN),
        KindSpec(PageKind.DEADLINES, html("deadlines.html"), column=_AUDIT_COLUMN),
        KindSpec(PageKind.DEADLINE, html("deadline.html"), column=_AUDIT_COLUMN),
        KindSpec(PageKind.DEADLINE_PROVINCE, html("deadline.html"), column=_AUDIT_COLUMN),
        # the page and the agencies a reader picks from; each agency's catalogue is its AGENCY_COMPARISON
        KindSpec(PageKind.COMPARE, (*html("compare.html"), Output("json", "compare_agencies.json", "agencies.json")), column="机构对比"),
    )
}

# What templates show: the label of each entry kind, and each kind's column.
KIND_LABELS = {entry_kind.kind: entry_kind.label for entry_kind in ENTRY_KINDS}
COLUMN_NAMES = {kind: spec.column for kind, spec in KINDS.items() if spec.column is not None}
