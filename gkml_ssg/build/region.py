"""A build of one region (`gkml build --only 省[/市]`): which content files it reads, and the
agencies it keeps. Its output is a part of the site: the region's agencies' pages and search
shards, and their summaries in its manifest, which `gkml merge` assembles with the other parts.

A part's manifest records every content file it saw, its own or not. A file another region's
build owns is read again only when its bytes change (an edit may move an agency between regions);
then only the start of it, to its 地区 (`content.regions.peek_region`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from pathlib import Path

from gkml_ssg.build.manifest import Manifest
from gkml_ssg.content.errors import ContentError
from gkml_ssg.content.load import SITE_CONFIG_NAME, Content, SourceFile
from gkml_ssg.content.model import SiteConfig
from gkml_ssg.content.regions import RegionFilter, peek_region
from gkml_ssg.site.summaries import SummaryHead


def region_errors(config: SiteConfig, only: RegionFilter) -> list[ContentError]:
    """What makes `--only` impossible for this site: no 构建分区, or a city of a site built by province."""
    if config.partition is None:
        return [ContentError(
            SITE_CONFIG_NAME, "按地区分别构建（--only）需要在 site.yml 中设置“构建分区”", field="构建分区",
            hint="写“构建分区: 省”或“构建分区: 市”：搜索索引按分区分片，各地区的构建才互不重叠",
            code="partition-missing",
        )]  # fmt: skip
    if not only.fits(config.partition):
        return [ContentError(
            SITE_CONFIG_NAME, f"构建分区为“{config.partition.value}”，不能只构建“{only}”这个市", field="构建分区",
            hint=f"用 --only {only.province} 构建整个省，或把构建分区改为“市”", code="partition-too-coarse",
        )]  # fmt: skip
    return []


def region_paths(
    source: Path, scanned: dict[str, SourceFile], previous: Manifest, own: Iterable[str], only: RegionFilter
) -> set[str]:
    """The content files a build of `only` reads besides those it keeps: files that are new or
    changed since its previous build and whose 地区 is in the region (or cannot be told without
    decoding them). `own`: the files of the agencies the previous build of this region held."""
    same_region = previous.region == str(only)
    own = set(own)
    paths = set()
    for path, found in scanned.items():
        if path == SITE_CONFIG_NAME:
            continue
        before = previous.sources.get(path)
        if same_region and path not in own and before is not None and before.digest == found.digest:
            continue  # another region's, unchanged since it was found to be so
        try:
            region = peek_region((source / path).read_bytes())
        except OSError:
            region = None  # the loader reports it
        if region is None or only.holds(*region):
            paths.add(path)
    return paths


def in_region(content: Content, only: RegionFilter) -> Content:
    """The content with only the region's agencies (a file read because its region could not be
    told without decoding it may be another region's)."""
    return dataclasses.replace(content, agencies=tuple(a for a in content.agencies if only.holds_region(a.agency.region)))


def own_heads(heads: dict[str, SummaryHead], previous: Manifest, only: RegionFilter | None) -> dict[str, SummaryHead]:
    """The previous build's agencies this build may keep: none when it built another region (or
    the whole site while this builds a region, or the other way round)."""
    return heads if previous.region == (str(only) if only is not None else "") else {}
