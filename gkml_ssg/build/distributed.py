"""`gkml build --distributed ADDRESS`: the site's regions built as tasks on a Dask cluster
(`tcp://scheduler:8786`, or `local` for a LocalCluster on this machine), then merged here.

Each task is `gkml build --only <region> --out <parts>/<region's folder>` run by a worker on the
content at the same path (a shared folder): the same code a Kubernetes Indexed Job or a CI matrix
runs (see deploy/). Parts come back through the parts folder, which must be shared too. A task that
fails is retried once by the scheduler; a region that fails twice fails the build with its error.
The parts folder is kept between builds, so each part build, and the merge, does only what changed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from gkml_ssg.build.merge import merge
from gkml_ssg.build.orchestrator import BuildOptions, BuildReport, build
from gkml_ssg.build.progress import NoProgress, Progress
from gkml_ssg.content.errors import ContentError, ContentInvalid
from gkml_ssg.content.load import SITE_CONFIG_NAME, load_content, load_site_config, scan_sources
from gkml_ssg.content.model import Partition
from gkml_ssg.content.regions import RegionFilter, peek_region

RETRIES = 1  # a task is tried at most twice


@dataclass(frozen=True)
class PartResult:
    region: str
    pages: int
    rendered: int
    seconds: float


def site_regions(source: Path, partition: Partition) -> list[RegionFilter]:
    """The regions of the site's agencies, each one task: their 地区 as the start of each file says,
    or as the file decoded says when the start does not tell."""
    found: set[tuple[str, str | None]] = set()
    undecided = set()
    for path in scan_sources(source, {}) or {}:
        if path == SITE_CONFIG_NAME:
            continue
        region = peek_region((source / path).read_bytes())
        if region is None:
            undecided.add(path)
        else:
            found.add((region[0], region[1] if partition is Partition.CITY else None))
    if undecided:
        for agency in load_content(source, None, 1, undecided).agencies:
            decoded = agency.agency.region
            found.add((decoded.province, decoded.city if partition is Partition.CITY else None))
    return [RegionFilter(province, city) for province, city in sorted(found, key=lambda r: (r[0], r[1] or ""))]


def part_folder(parts: Path, region: RegionFilter) -> Path:
    """A region's part, under a name that stays the same from build to build (so it is incremental)."""
    return parts / hashlib.sha1(str(region).encode("utf-8")).hexdigest()[:12]


def build_part(options: BuildOptions, region: str) -> PartResult:
    """One task: build one region's part (run on a worker)."""
    only = RegionFilter.parse(region)
    assert only is not None
    report = build(replace(options, only=only))
    return PartResult(region, report.pages, report.rendered, sum(report.seconds.values()))


def build_distributed(
    address: str, options: BuildOptions, parts: Path, progress: Progress = NoProgress(), client: Any = None
) -> tuple[BuildReport, list[PartResult]]:
    """Build every region's part on the cluster at `address` (or the given Dask `client`), then merge
    them into `options.out`; the merge's report and each part's."""
    from dask.distributed import Client, LocalCluster  # imported here: only this command needs Dask

    config = load_site_config(options.source)
    if config.partition is None:
        raise ContentInvalid([ContentError(
            SITE_CONFIG_NAME, "分布式构建（--distributed）需要在 site.yml 中设置“构建分区”", field="构建分区",
            hint="写“构建分区: 省”或“构建分区: 市”：每个分区是集群上的一个任务", code="partition-missing",
        )])  # fmt: skip
    regions = site_regions(options.source, config.partition)
    source, parts = options.source.resolve(), parts.resolve()
    task_options = replace(options, source=source, workers=1, cache=None)
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True) if client is None and address == "local" else None
    own_client = client is None
    client = client or Client(cluster if cluster is not None else address)
    try:
        futures = [
            client.submit(
                build_part, replace(task_options, out=part_folder(parts, region)), str(region),
                key=f"gkml-part-{part_folder(parts, region).name}", retries=RETRIES, pure=False,
            )
            for region in regions
        ]  # fmt: skip
        results, failures = [], []
        for region, future in zip(regions, futures, strict=True):
            try:
                results.append(future.result())
            except ContentInvalid as invalid:
                failures += invalid.errors
            except Exception as error:  # noqa: BLE001 -- a worker's failure, reported with its region
                failures.append(ContentError(str(region), f"这个地区的构建两次失败：{type(error).__name__}: {error}", code="part-failed"))
        if failures:
            raise ContentInvalid(failures)
    finally:
        if own_client:
            client.close()
        if cluster is not None:
            cluster.close()
    report = merge([part_folder(parts, region) for region in regions], options, progress)
    return report, results
