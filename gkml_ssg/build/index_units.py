"""The index stage's units: the search shards, their catalogue, and the edit bundle.

Re-indexing a shard takes seconds (about 0.25 ms a page), too long for an editor who wants to
see an edit at once. So when a few agencies changed since a build that had a search index, the
build first indexes only those agencies into a small bundle, `search-index/edits/`, and
lists it in the catalogue with the agencies it replaces; the search page then merges it and sets
aside those agencies' pages in the shards. The site is current as soon as that is written. The
build then re-indexes the shards those agencies belong to and removes the edit bundle, so that
what it leaves is byte-identical to a fresh build.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from gkml_ssg.build.manifest import Manifest
from gkml_ssg.build.progress import Progress
from gkml_ssg.build.write import Unit
from gkml_ssg.content.model import Partition
from gkml_ssg.keys import CATALOGUE_UNIT, EDITS_UNIT, combined_key, digest, index_unit, is_index_unit
from gkml_ssg.search.bundle import META_NAME, build_bundle, bundle_meta, read_meta
from gkml_ssg.search.records import search_records
from gkml_ssg.search.shards import (
    BUNDLE_FOLDER,
    CATALOGUE_PATH,
    EDITS_NAME,
    Shard,
    catalogue,
    catalogue_with_edits,
    plan_partitioned_shards,
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

# The bytes a file of a unit will hold once committed (see `WriteTransaction.read`), or None.
Reader = Callable[[str, str], bytes | None]
# The nodes of these agencies, loaded if the build had not read them.
Loader = Callable[[Iterable[str]], dict[str, AgencyNode]]


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


def plan_index(
    heads: tuple[SummaryHead, ...], pages: int, previous: Manifest, settings: str, shard_pages: int, partition: Partition | None = None
) -> IndexPlan:
    """The shards of a site of `pages` pages whose agencies are `heads`; with a `partition`
    (site.yml's 构建分区), each region's agencies are sharded on their own (see
    `search.shards.plan_partitioned_shards`)."""
    agencies = {head.slug: head for head in heads}
    if partition is None:
        shards = plan_shards(sorted(agencies), pages, shard_pages)
        modulus = {"": str(shard_count(pages, shard_pages))}
    else:
        members: dict[str, list[str]] = {}
        counts: dict[str, int] = {}
        for head in heads:
            region = head_region(head, partition)
            members.setdefault(region, []).append(head.slug)
            counts[region] = counts.get(region, 0) + head.page_count
        regions = {region: (slugs, counts[region]) for region, slugs in members.items()}
        shards = plan_partitioned_shards(regions, shard_pages)
        modulus = {region: str(shard_count(counted, shard_pages)) for region, (_, counted) in regions.items()}
    keys = {
        shard.name: combined_key(
            settings,
            shard.partition,
            modulus.get(shard.partition, "1"),
            *(f"{slug}={agencies[slug].source_path}={agencies[slug].source_digest}" for slug in shard.slugs),
        )
        for shard in shards
    }
    stale = [shard for shard in shards if previous.changed(index_unit(shard.name), keys[shard.name])]
    return IndexPlan(shards, keys, stale, agencies)


def head_region(head: SummaryHead, partition: Partition) -> str:
    """The region an agency is built in: its province, or its province and city."""
    return head.province if partition is Partition.PROVINCE else f"{head.province}/{head.city}"


def edits_apply(plan: IndexPlan, previous: Manifest, changed_slugs: set[str]) -> bool:
    """Whether an edit bundle can make the search current before the shards are re-indexed: the
    previous build left a complete index in the same shard folders (so that they hold every
    agency's pages but the changed ones'), few agencies changed, and their pages are a small part
    of the shards to re-index (otherwise indexing twice gains nothing)."""
    shard_units = {name for name in previous.keys if is_index_unit(name)} - {CATALOGUE_UNIT}
    return (
        bool(plan.stale)
        and 0 < len(changed_slugs) <= EDITS_AGENCY_LIMIT
        and plan.pages(changed_slugs) * EDITS_SHARE_LIMIT <= plan.pages(_slugs(plan.stale))
        and CATALOGUE_UNIT in previous.keys
        and shard_units == {index_unit(shard.name) for shard in plan.shards}
    )


def edits_readable(read: Reader) -> bool:
    """Whether the previous build's catalogue can be read back, to add an edit bundle to it."""
    previous = read(CATALOGUE_UNIT, CATALOGUE_PATH)
    return previous is not None and catalogue_with_edits(previous, [], None) is not None


def edit_units(
    plan: IndexPlan, site: SiteGraph, nodes: dict[str, AgencyNode], previous: Manifest, changed_slugs: set[str], read: Reader
) -> list[Unit]:
    """The first pass: the shards as the previous build left them, the changed agencies' pages in
    an edit bundle, and the previous catalogue with the edits added. `nodes` holds at least the
    changed agencies; the previous catalogue is readable (`edits_readable`)."""
    previous_listing = read(CATALOGUE_UNIT, CATALOGUE_PATH)
    assert previous_listing is not None
    units = [Unit(index_unit(shard.name), previous.keys[index_unit(shard.name)], None) for shard in plan.shards]
    present = [nodes[slug] for slug in sorted(changed_slugs) if slug in plan.agencies]
    edits = None
    if present:
        folder = f"{BUNDLE_FOLDER}/{EDITS_NAME}"
        bundle = build_bundle(search_records(site, present), folder)
        edits = bundle_meta(bundle, folder)
        units.append(Unit(EDITS_UNIT, combined_key(*sorted(bundle)), bundle))
    listing = catalogue_with_edits(previous_listing, sorted(changed_slugs), edits)
    assert listing is not None
    units.append(Unit(CATALOGUE_UNIT, digest(listing), {CATALOGUE_PATH: listing}))
    return units


def shard_units(plan: IndexPlan, site: SiteGraph, load: Loader, read: Reader, progress: Progress) -> Iterator[Unit]:
    """The shards and their catalogue, yielded one by one: stale shards are re-indexed, and so is
    a shard whose files were changed by hand since (its meta cannot be read back)."""
    progress.start("索引", plan.pages(_slugs(plan.stale)))
    metas = []
    for shard in plan.shards:
        name, key = index_unit(shard.name), plan.keys[shard.name]
        repair = False
        if shard not in plan.stale:
            meta = read_meta(read(name, f"{shard.folder}/{META_NAME}"))
            if meta is not None:
                metas.append((shard, meta))
                yield Unit(name, key, None)
                continue
            repair = True
        agencies = load(shard.slugs)
        bundle = build_bundle(search_records(site, [agencies[slug] for slug in shard.slugs]), shard.folder)
        metas.append((shard, bundle_meta(bundle, shard.folder)))
        yield Unit(name, key, bundle, repair)
        progress.advance(plan.pages(shard.slugs))
    progress.close()
    listing = catalogue(metas)
    yield Unit(CATALOGUE_UNIT, digest(listing), {CATALOGUE_PATH: listing})


def _slugs(shards: list[Shard]) -> list[str]:
    return [slug for shard in shards for slug in shard.slugs]
