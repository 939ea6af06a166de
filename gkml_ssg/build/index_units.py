"""The index stage's units: the search shards, their catalogue, and the edit bundle.

Re-indexing a shard takes seconds (Pagefind spends 1.5–2 ms a page), too long for an editor who
wants to see an edit at once. So when a few agencies changed since a build that had a search
index, the build first indexes only those agencies into a small bundle, `pagefind/edits/`, and
lists it in the catalogue with the agencies it replaces; the search page then merges it and sets
aside those agencies' pages in the shards. The site is current as soon as that is written. The
build then re-indexes the shards those agencies belong to and removes the edit bundle, so that
what it leaves is byte-identical to a fresh build.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from gkml_ssg.build.manifest import Manifest
from gkml_ssg.build.progress import Progress
from gkml_ssg.build.write import Unit
from gkml_ssg.keys import CATALOGUE_UNIT, EDITS_UNIT, combined_key, digest, index_unit
from gkml_ssg.search.pagefind import PagefindService
from gkml_ssg.search.records import FILTER_AGENCY_ID, build_bundle, search_records
from gkml_ssg.search.shards import (
    BUNDLE_FOLDER,
    CATALOGUE_PATH,
    EDITS_NAME,
    Shard,
    catalogue,
    plan_shards,
    shard_count,
)
from gkml_ssg.site.graph import SiteGraph
from gkml_ssg.site.nodes import AgencyNode
from gkml_ssg.site.summaries import SummaryHead

# More changed agencies than this are indexed into their shards directly: the edit bundle is for
# an editor's save, not for a batch of changes.
EDITS_AGENCY_LIMIT = 20
# …or when their pages are more than this fraction (1/n) of the shards to re-index.
EDITS_SHARE_LIMIT = 4


@dataclass(frozen=True)
class IndexPlan:
    shards: list[Shard]
    keys: dict[str, str]  # shard name → key of what it indexes
    stale: list[Shard]  # shards whose agencies changed since the previous build
    agencies: dict[str, SummaryHead]  # by slug

    def pages(self, slugs: Iterable[str]) -> int:
        """The indexed pages of these agencies (each agency's page and its entries')."""
        return sum(self.agencies[slug].page_count for slug in slugs if slug in self.agencies)

    def slugs_to_index(self) -> set[str]:
        """The agencies whose shards are re-indexed: their files must be loaded."""
        return set(_slugs(self.stale))


def plan_index(heads: tuple[SummaryHead, ...], pages: int, previous: Manifest, settings: str, shard_pages: int) -> IndexPlan:
    """The shards of a site of `pages` pages whose agencies are `heads`."""
    agencies = {head.slug: head for head in heads}
    shards = plan_shards(sorted(agencies), pages, shard_pages)
    modulus = str(shard_count(pages, shard_pages))
    keys = {
        shard.name: combined_key(
            settings,
            modulus,
            str(shard.carries_runtime),
            *(f"{slug}={agencies[slug].source_path}={agencies[slug].source_digest}" for slug in shard.slugs),
        )
        for shard in shards
    }
    stale = [shard for shard in shards if previous.changed(index_unit(shard.name), keys[shard.name])]
    return IndexPlan(shards, keys, stale, agencies)


def edits_apply(plan: IndexPlan, previous: Manifest, changed_slugs: set[str]) -> bool:
    """Whether an edit bundle can make the search current before the shards are re-indexed: the
    previous build left a complete index with the same shards, few agencies changed, and their
    pages are a small part of the shards to re-index (otherwise indexing twice gains nothing)."""
    return (
        bool(plan.stale)
        and 0 < len(changed_slugs) <= EDITS_AGENCY_LIMIT
        and plan.pages(changed_slugs) * EDITS_SHARE_LIMIT <= plan.pages(_slugs(plan.stale))
        and EDITS_UNIT not in previous.keys
        and previous.keys.get(CATALOGUE_UNIT) == digest(catalogue(plan.shards))
    )


def edit_units(
    plan: IndexPlan,
    site: SiteGraph,
    nodes: dict[str, AgencyNode],
    previous: Manifest,
    changed_slugs: set[str],
    service: PagefindService | None = None,
) -> Iterator[Unit]:
    """The first pass: the shards as the previous build left them, the changed agencies' pages in
    an edit bundle, and a catalogue that lists it. `nodes` holds at least the changed agencies;
    `service` is a Pagefind service to use (one started early and warmed up)."""
    for shard in plan.shards:
        name = index_unit(shard.name)
        yield Unit(name, previous.keys[name], None)
    present = [nodes[slug] for slug in sorted(changed_slugs) if slug in plan.agencies]
    if present:
        # Without the agency filter, these pages are not set aside with the shards' copies.
        records = [
            dataclasses.replace(record, filters={k: v for k, v in record.filters.items() if k != FILTER_AGENCY_ID})
            for record in search_records(site, present)
        ]
        bundle = build_bundle(records, f"{BUNDLE_FOLDER}/{EDITS_NAME}", with_runtime=False, service=service)
        yield Unit(EDITS_UNIT, combined_key(*sorted(bundle)), bundle)
    listing = catalogue(plan.shards, replaced=sorted(changed_slugs), edits=bool(present))
    yield Unit(CATALOGUE_UNIT, digest(listing), {CATALOGUE_PATH: listing})


def shard_units(plan: IndexPlan, site: SiteGraph, nodes: dict[str, AgencyNode], progress: Progress) -> Iterator[Unit]:
    """The shards and their catalogue, yielded one by one: stale shards are re-indexed one after
    another, so that one Pagefind process runs at a time. `nodes` holds at least the agencies of
    the stale shards (`IndexPlan.slugs_to_index`)."""
    progress.start("索引", plan.pages(_slugs(plan.stale)))
    for shard in plan.shards:
        name, key = index_unit(shard.name), plan.keys[shard.name]
        if shard not in plan.stale:
            yield Unit(name, key, None)
            continue
        agencies = [nodes[slug] for slug in shard.slugs]
        yield Unit(name, key, build_bundle(search_records(site, agencies), shard.folder, shard.carries_runtime))
        progress.advance(plan.pages(shard.slugs))
    progress.close()
    listing = catalogue(plan.shards)
    yield Unit(CATALOGUE_UNIT, digest(listing), {CATALOGUE_PATH: listing})


def _slugs(shards: list[Shard]) -> list[str]:
    return [slug for shard in shards for slug in shard.slugs]

