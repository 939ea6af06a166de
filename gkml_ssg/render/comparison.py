"""What the comparison page (`compare/`) reads: the agencies a reader picks from, and each agency's
catalogue category by category with what the page sets side by side (items, deadlines, bodies,
channels, laws cited). The page itself is static; its script fetches the chosen agencies' files,
so any two to four of them can be compared without a page for every pair."""

from __future__ import annotations

from typing import Any, cast

from gkml_ssg.content.model import Item
from gkml_ssg.site.graph import SiteGraph
from gkml_ssg.site.kinds import PageKind
from gkml_ssg.site.nodes import AgencyNode


def comparison_agencies(site: SiteGraph) -> dict[str, Any]:
    """Every agency as the picker lists it: [slug, name, region, its comparison file], by region."""
    rows = sorted(site.summaries, key=lambda s: (s.province, s.city, s.county, s.name, s.slug))
    return {
        "机构": [[s.slug, s.name, " ".join((s.province, s.city, s.county)), site.url(s.path + "compare.json")] for s in rows]
    }


def agency_comparison(site: SiteGraph, agency: AgencyNode) -> dict[str, Any]:
    """One agency's catalogue as the comparison page sets it beside others."""
    categories: dict[str, list[dict[str, Any]]] = {}
    for entry in agency.of_kind(PageKind.ITEM):
        item = cast(Item, entry.data)  # an ITEM entry's row (not asserted: tests render through a recording view)
        categories.setdefault(entry.category or "", []).append({
            "事项": entry.title,
            "网址": site.url(entry.path),
            "公开时限": item.deadline,
            "公开主体": item.body,
            "公开渠道": [channel.kind.value + (f"（{channel.name}）" if channel.name else "") for channel in item.channels],
            "公开依据": [basis.text for basis in entry.citations],
        })  # fmt: skip
    region = agency.agency.region
    return {
        "名称": agency.agency.name,
        "网址标识": agency.slug,
        "网址": site.url(agency.path),
        "地区": " ".join((region.province, region.city, region.county)),
        "目录": [{"一级事项": name, "事项": items} for name, items in categories.items()],
    }
