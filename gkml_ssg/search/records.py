"""The search records: one per page of the kinds declared searched (see `site.kinds`), agency and
entry pages.

A record's text comes from the model's searchable fields (see `content.fields.searchable_texts`),
not scraped from the HTML, so that navigation, footers and list pages never reach the index and
every page's text appears once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from gkml_ssg.search.text import page_text
from gkml_ssg.site.graph import SiteGraph
from gkml_ssg.site.kinds import ENTRY_KIND_OF, KIND_LABELS, KINDS, PageKind
from gkml_ssg.site.nodes import AgencyNode

AGENCY_KIND_LABEL = "机构"

FILTER_AGENCY = "机构"
FILTER_PROVINCE = "省份"
FILTER_CITY = "城市"
FILTER_KIND = "类型"
# The filters of each entry kind (一级事项, 公开方式, 公开对象) are declared with it, in site.kinds.
# The agency's slug: not shown to readers; a search sets aside the pages of agencies being
# re-indexed with it (see build.index_units).
FILTER_AGENCY_ID = "网址标识"


@dataclass(frozen=True)
class SearchRecord:
    url: str
    title: str
    fields: tuple[str, ...]  # the page's texts after its title, in order
    text: str  # the normalised page text a query must be a substring of (the ground truth)
    meta: dict[str, str] = field(default_factory=dict)
    filters: dict[str, list[str]] = field(default_factory=dict)


def _record(
    site: SiteGraph,
    agency: AgencyNode,
    path: str,
    title: str,
    kind_label: str,
    fields: list[str | None] | list[str],
    meta: dict[str, str],
    filters: dict[str, list[str]],
) -> SearchRecord:
    a = agency.agency
    # The agency's name stands on every entry page, so it is part of its text; the kind label is
    # the page's wording (readers narrow by it with the 类型 filter).
    texts = [t for t in [*([a.name] if path != agency.path else []), *fields] if t]
    base_meta = {
        "title": title,
        "agency": a.name,
        "kind": kind_label,
    }
    base_filters = {
        FILTER_AGENCY: [a.name],
        FILTER_PROVINCE: [a.region.province],
        FILTER_CITY: [a.region.city],
        FILTER_KIND: [kind_label],
        FILTER_AGENCY_ID: [agency.slug],
    }
    return SearchRecord(
        url=site.url(path),
        title=title,
        fields=tuple(texts),
        text=page_text(title, texts),
        meta={**base_meta, **meta},
        filters={**base_filters, **filters},
    )


def search_records(site: SiteGraph, agencies: Iterable[AgencyNode]) -> list[SearchRecord]:
    """One record per searched page of `agencies` (see `site.kinds`): each agency's page and its
    entries' pages, in page-graph order."""
    records = []
    for agency in agencies:
        if KINDS[PageKind.AGENCY].searched:
            records.append(_record(site, agency, agency.path, agency.agency.name, AGENCY_KIND_LABEL, agency.search_texts(), {}, {}))
        for entry in agency.entries:
            if not KINDS[entry.kind].searched:
                continue
            meta = {"category": entry.category} if entry.category else {}
            filters = ENTRY_KIND_OF[entry.kind].filters(entry)
            records.append(_record(site, agency, entry.path, entry.title, KIND_LABELS[entry.kind], entry.search_texts(), meta, filters))
    return records


def site_records(site: SiteGraph) -> list[SearchRecord]:
    """The records of every agency whose pages are in `site`."""
    return search_records(site, site.loaded_agencies())
