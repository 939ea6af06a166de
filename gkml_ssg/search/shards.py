"""How the search index is split into shards, and the catalogue the search page reads them from.

Pagefind builds one index in one process, and its memory grows with the pages in it (about 1.3 GB
for 14,000 pages of this domain), so a province's index is built as several bundles, one after
another, and merged in the browser (Pagefind's `mergeIndex`). An agency's shard is a hash of its
slug, so a shard is a pure function of its agencies: the same content gives the same bundles
whatever was built before, and an edit re-indexes only the shard of the agency edited. The number
of shards is a power of two chosen from the number of pages; when it grows, every shard is rebuilt.

Layout: `pagefind/index.json` lists the shard folders; the first is a complete Pagefind bundle (it
carries the script and WebAssembly the browser runs); the others hold only index data. While a
build re-indexes shards after an edit, `pagefind/edits/` holds the edited agencies' pages and the
catalogue names the agencies it replaces (see `build.index_units`).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

BUNDLE_FOLDER = "pagefind"
CATALOGUE_PATH = f"{BUNDLE_FOLDER}/index.json"
CATALOGUE_FORMAT = 1
# Pages per shard, at most on average: about 0.6 GB in the Pagefind process that builds it.
SHARD_PAGE_TARGET = 6000
EDITS_NAME = "edits"


@dataclass(frozen=True)
class Shard:
    number: int
    slugs: tuple[str, ...]  # its agencies, sorted
    carries_runtime: bool  # the first shard: the browser loads Pagefind's script from it

    @property
    def name(self) -> str:
        return f"shard-{self.number:03d}"

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
    """The shards that hold agencies, in order, the first carrying the runtime (Pagefind cannot
    start from an empty bundle). A site with no agencies gets one empty shard."""
    count = shard_count(pages, target)
    members: dict[int, list[str]] = {}
    for slug in slugs:
        members.setdefault(shard_number(slug, count), []).append(slug)
    numbers = sorted(members) or [0]
    return [Shard(number, tuple(sorted(members.get(number, []))), i == 0) for i, number in enumerate(numbers)]


def catalogue(shards: list[Shard], replaced: list[str] | None = None, edits: bool = False) -> bytes:
    """`pagefind/index.json`: the shard folders, relative to `pagefind/`; the first is the one whose
    runtime the browser loads. `replaced` lists the agencies whose pages in the shards are out of
    date: a search sets them aside, and finds their current pages in the edit bundle if `edits`."""
    data: dict = {"format": CATALOGUE_FORMAT, "shards": [f"{shard.name}/" for shard in shards]}
    if replaced is not None:
        data["edits"] = {"bundle": f"{EDITS_NAME}/" if edits else None, "replaced": replaced}
    return (json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")
