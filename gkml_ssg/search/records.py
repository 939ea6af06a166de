"""The search stage: the Pagefind bundles for the pages of the kinds declared searched (see
`site.kinds`): agency and entry pages.

Each page becomes one custom record whose text comes from the model's searchable fields (see
`content.fields.searchable_texts` and `search.text`), not scraped from the HTML, so that navigation, footers and list pages never reach the index and every page's
text appears once. The bundle is returned as bytes and written with the rest of the site in one
transaction.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from gkml_ssg.search.canonical import canonical_bundle
from gkml_ssg.search.pagefind import PagefindService
from gkml_ssg.search.text import indexed_content, page_text
from gkml_ssg.site.graph import SiteGraph
from gkml_ssg.site.kinds import ENTRY_KIND_OF, KIND_LABELS, KINDS, PageKind
from gkml_ssg.site.nodes import AgencyNode

LANGUAGE = "zh-cn"
_INDEX_CONFIG = {"force_language": LANGUAGE}
AGENCY_KIND_LABEL = "机构"
# Pagefind's own UI kits are not used: the search page has its own script.
_UNUSED_BUNDLE_FILES = ("pagefind-ui", "pagefind-component-ui", "pagefind-modular-ui", "pagefind-highlight")
# What the browser runs; one bundle carries it, the others hold only index data (see search_shards).
_RUNTIME_FILES = ("pagefind.js", "pagefind-worker.js", "wasm.")

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
    text: str  # the normalised page text a query must be a substring of (the ground truth)
    content: str  # what Pagefind indexes
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
        "region": f"{a.region.province} / {a.region.city} / {a.region.county}",
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
        text=page_text(title, texts),
        content=indexed_content(title, texts),
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


def warm_up(service: PagefindService) -> None:
    """Have the service load its Chinese language data now (see `PagefindService.warm_up`)."""
    record = SearchRecord("/", "政务公开", "政务公开", "政务公开目录")
    service.warm_up(_INDEX_CONFIG, LANGUAGE, record)


def build_bundle(
    records: list[SearchRecord], folder: str, with_runtime: bool, service: PagefindService | None = None
) -> dict[str, bytes]:
    """Run Pagefind over the records (in `service`, or a service of its own); return the bundle's
    files keyed by their path in the site, under `folder`. Without the runtime, the bundle is only
    data for another bundle's runtime."""
    with contextlib.nullcontext(service) if service is not None else PagefindService() as running:
        index = running.new_index(_INDEX_CONFIG)
        running.add_records(index, LANGUAGE, records)
        bundle = running.get_files(index)
    unused = _UNUSED_BUNDLE_FILES if with_runtime else _UNUSED_BUNDLE_FILES + _RUNTIME_FILES
    files = {
        f"{folder}/{path}": data
        for path, data in sorted(bundle.items())
        if not PurePosixPath(path).name.startswith(unused)
    }
    return canonical_bundle(files, folder)
