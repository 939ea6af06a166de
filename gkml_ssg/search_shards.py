"""How the search index is split into shards, and the catalogue the search page reads them from.

Pagefind builds one index in one process, and its memory grows with the pages in it (about 1.3 GB
for 14,000 pages of this domain), so a province's index is built as several bundles, one after
another, and merged in the browser (Pagefind's `mergeIndex`). An agency's shard is a hash of its
slug, so a shard is a pure function of its agencies: the same content gives the same bundles
whatever was built before, and an edit re-indexes only the shard of the agency edited. The number
of shards is a power of two chosen from the number of pages; when it grows, every shard is rebuilt.

Layout: `pagefind/index.json` lists the shard folders; `pagefind/shard-000/` is a complete Pagefind
bundle (it carries the script and WebAssembly the browser runs); the other shards hold only index
data.
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


@dataclass(frozen=True)
class Shard:
    number: int
    slugs: tuple[str, ...]  # its agencies, sorted

    @property
    def name(self) -> str:
        return f"shard-{self.number:03d}"

    @property
    def folder(self) -> str:
        return f"{BUNDLE_FOLDER}/{self.name}"

    @property
    def carries_runtime(self) -> bool:
        return self.number == 0


def shard_count(pages: int, target: int = SHARD_PAGE_TARGET) -> int:
    """The smallest power of two that keeps the average shard at or below `target` pages."""
    count = 1
    while pages > count * target:
        count *= 2
    return count


def shard_number(slug: str, count: int) -> int:
    return int.from_bytes(hashlib.sha256(slug.encode("utf-8")).digest()[:8], "big") % count


def plan_shards(slugs: list[str], pages: int, target: int = SHARD_PAGE_TARGET) -> list[Shard]:
    """Every shard, in order, with its agencies. A shard no agency falls into is left out, except
    shard 0, which carries the runtime (a site with no agencies still has a working, empty search)."""
    count = shard_count(pages, target)
    members: dict[int, list[str]] = {0: []}
    for slug in slugs:
        members.setdefault(shard_number(slug, count), []).append(slug)
    return [Shard(number, tuple(sorted(members[number]))) for number in sorted(members)]


def catalogue(shards: list[Shard]) -> bytes:
    """`pagefind/index.json`: the shard folders, relative to `pagefind/`; the first is the one whose
    runtime the browser loads."""
    data = {"format": CATALOGUE_FORMAT, "shards": [f"{shard.name}/" for shard in shards]}
    return (json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")
