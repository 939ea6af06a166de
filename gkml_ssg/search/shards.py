"""How the search index is split into shards, and the catalogue the search page reads them from.

A province's index is built as several bundles (`bundle`), each in seconds, so that an edit
re-indexes only the shard of the agency edited, and searched together in the browser. An agency's
shard is a hash of its slug, so a shard is a pure function of its agencies: the same content gives
the same bundles whatever was built before. The number of shards is a power of two chosen from the
number of pages; when it grows, every shard is rebuilt. Every query reads a block from each shard,
so they are few.

Layout: `search-index/index.json`, the catalogue, lists the shards with what the browser needs to
know of each before it fetches anything else (its term chunks' bounds, its filters, its version).
While a build re-indexes shards after an edit, `search-index/edits/` holds the edited agencies'
pages and the catalogue names the agencies it replaces (see `build.index_units`).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

BUNDLE_FOLDER = "search-index"
CATALOGUE_PATH = f"{BUNDLE_FOLDER}/index.json"
CATALOGUE_FORMAT = 2
# Pages per shard, at most on average. Every query reads each shard's blocks of its terms, so
# shards are few; an edit re-indexes its agency's shard after the edit bundle, about 0.5 ms a page.
SHARD_PAGE_TARGET = 20000
EDITS_NAME = "edits"


@dataclass(frozen=True)
class Shard:
    number: int
    slugs: tuple[str, ...]  # its agencies, sorted
    # The region whose agencies it holds ("省" or "省/市"), when the site is built region by region
    # (site.yml's 构建分区): then each region's shards are its own build's alone.
    partition: str = ""

    @property
    def name(self) -> str:
        if not self.partition:
            return f"shard-{self.number:03d}"
        return f"shard-{hashlib.sha1(self.partition.encode()).hexdigest()[:8]}-{self.number:03d}"

    @property
    def folder(self) -> str:
        return f"{BUNDLE_FOLDER}/{self.name}"


def shard_count(pages: int, target: int = SHARD_PAGE_TARGET) -> int:
    """The smallest power of two that keeps the average shard at or below `target` pages."""
    count = 1
    while pages > count * target:
        count *= 2
    return count


def shard_number(slug: str, count: int) -> int:
    return int.from_bytes(hashlib.sha256(slug.encode("utf-8")).digest()[:8], "big") % count


def plan_shards(slugs: list[str], pages: int, target: int = SHARD_PAGE_TARGET) -> list[Shard]:
    """The shards that hold agencies, in order. A site with no agencies gets one empty shard."""
    count = shard_count(pages, target)
    members: dict[int, list[str]] = {}
    for slug in slugs:
        members.setdefault(shard_number(slug, count), []).append(slug)
    numbers = sorted(members) or [0]
    return [Shard(number, tuple(sorted(members.get(number, [])))) for number in numbers]


def plan_partitioned_shards(partitions: dict[str, tuple[list[str], int]], target: int = SHARD_PAGE_TARGET) -> list[Shard]:
    """The shards of a site built region by region: `partitions` maps each region to its
    agencies' slugs and pages; each region is split as a site of its own, and the regions come in
    the order of their names, so that a region's build and the whole site's give the same shards."""
    shards = [
        Shard(shard.number, shard.slugs, partition)
        for partition, (slugs, pages) in sorted(partitions.items())
        for shard in plan_shards(sorted(slugs), pages, target)
    ]
    return shards or plan_shards([], 0, target)


def catalogue(shards: list[tuple[Shard, dict]]) -> bytes:
    """`search-index/index.json`: each shard's folder (relative to `search-index/`) and its
    bundle's meta (see `bundle`), which the browser reads before anything else."""
    return _dump({"format": CATALOGUE_FORMAT, "shards": [{"folder": f"{shard.name}/", **meta} for shard, meta in shards]})


def catalogue_with_edits(previous: bytes, replaced: list[str], edits: dict | None) -> bytes | None:
    """The catalogue `previous` (one without edits) with an edit bundle: `replaced` lists the
    agencies whose pages in the shards are out of date; a search sets them aside, and finds their
    current pages in the edit bundle whose meta is `edits`. None if `previous` is not a catalogue
    this version writes."""
    try:
        data = json.loads(previous)
    except ValueError:
        return None
    if not isinstance(data, dict) or data.get("format") != CATALOGUE_FORMAT or "edits" in data:
        return None
    data["edits"] = {"bundle": {"folder": f"{EDITS_NAME}/", **edits} if edits else None, "replaced": replaced}
    return _dump(data)


def _dump(data: dict) -> bytes:
    return (json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")
