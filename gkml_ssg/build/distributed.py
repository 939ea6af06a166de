"""`gkml build --distributed ADDRESS`: the site's regions built as tasks on a Dask cluster
(`tcp://scheduler:8786`, or `local` for a LocalCluster on this machine), then merged here.

Each task is `gkml build --only <region>` run by a worker: the same command a Kubernetes Indexed Job
or a CI matrix runs (see deploy/). A worker reads the content at the same path (a shared folder), or
clones it from a git URL at the commit this machine's content folder is checked out at. Its part
comes back through a shared folder, or as an archive in an object store (any URL fsspec opens). A
task that fails is retried once by the scheduler; a region that fails twice fails the build with
its error. The parts are kept between builds (and fetched back from a store before a part is
built), so each part build, and the merge, does only what changed.
"""

from __future__ import annotations

import hashlib
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from gkml_ssg.build.merge import merge
from gkml_ssg.build.orchestrator import BuildOptions, BuildReport, build
from gkml_ssg.build.progress import NoProgress, Progress
from gkml_ssg.content.errors import ContentError, ContentInvalid
from gkml_ssg.content.history import git_head
from gkml_ssg.content.load import SITE_CONFIG_NAME, load_site_config, scan_sources
from gkml_ssg.content.model import Partition
from gkml_ssg.content.regions import RegionFilter, decoded_region
from gkml_ssg.theme import folder as theme_folder

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
    errors: list[ContentError] = []
    for path in scan_sources(source, {}) or {}:
        if path != SITE_CONFIG_NAME:
            region, problems = decoded_region(path, (source / path).read_bytes())
            errors += problems
            if region is not None:
                found.add((region[0], region[1] if partition is Partition.CITY else None))
    if errors:
        raise ContentInvalid(errors)
    return [RegionFilter(province, city) for province, city in sorted(found, key=lambda r: (r[0], r[1] or ""))]


def part_name(region: RegionFilter) -> str:
    """A region's part's name in the parts folder or store: the same from build to build (so that
    each part build is incremental)."""
    return hashlib.sha1(str(region).encode("utf-8")).hexdigest()[:12]


@dataclass(frozen=True)
class TaskPlace:
    """Where a task reads the content and leaves its part: the content at a shared path, or a git
    repository's URL with the commit and the content folder's path in it; the parts in a shared
    folder, or at an object store's URL (`s3://bucket/prefix`, anything fsspec opens), one archive
    per part."""

    parts: str
    git: tuple[str, str, str] | None = None  # (URL, commit, content folder in the repository)


def is_store(parts: str) -> bool:
    return "://" in parts


def build_part(options: BuildOptions, region: str, place: TaskPlace, name: str) -> PartResult:
    """One task: build one region's part (run on a worker, with the worker's own gkml theme)."""
    only = RegionFilter.parse(region)
    assert only is not None
    options = replace(options, only=only, templates=theme_folder("templates"), static=theme_folder("static"))
    with tempfile.TemporaryDirectory(prefix="gkml-part-") as scratch:
        if place.git is not None:
            options = replace(options, source=checkout(place.git, Path(scratch) / "repository"))
        if is_store(place.parts):
            out = fetch_part(place.parts, name, Path(scratch) / "part")
            report = build(replace(options, out=out))
            store_part(out, place.parts, name)
        else:
            report = build(replace(options, out=Path(place.parts) / name))
    return PartResult(region, report.pages, report.rendered, sum(report.seconds.values()))


def checkout(git: tuple[str, str, str], folder: Path) -> Path:
    """The content folder of the repository at `git`'s URL and commit, cloned into `folder`."""
    url, commit, content = git
    for command in (["git", "clone", "--quiet", "--no-checkout", url, str(folder)], ["git", "-C", str(folder), "checkout", "--quiet", commit]):
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise ContentInvalid([ContentError(url, f"无法取得提交 {commit[:12]}：{done.stderr.strip()}", code="git-checkout-failed")])
    return folder / content


def _archive(parts: str, name: str) -> str:
    return f"{parts.rstrip('/')}/{name}.tar"


def fetch_part(parts: str, name: str, folder: Path) -> Path:
    """The part as the store holds it (its previous build, so that this one is incremental), or an
    empty folder."""
    import fsspec  # a dependency of Dask's

    folder.mkdir(parents=True, exist_ok=True)
    try:
        with fsspec.open(_archive(parts, name), "rb") as handle, tarfile.open(fileobj=handle) as archive:
            archive.extractall(folder, filter="data")
    except FileNotFoundError:
        pass
    return folder


def store_part(folder: Path, parts: str, name: str) -> None:
    import fsspec

    with fsspec.open(_archive(parts, name), "wb") as handle, tarfile.open(fileobj=handle, mode="w") as archive:
        archive.add(folder, arcname=".")


def build_distributed(
    address: str, options: BuildOptions, parts: str | Path, git_url: str | None = None, progress: Progress = NoProgress(),
    client: Any = None,
) -> tuple[BuildReport, list[PartResult]]:
    """Build every region's part on the cluster at `address` (or the given Dask `client`), then merge
    them into `options.out`; the merge's report and each part's. `parts`: a folder every worker
    shares, or an object store's URL. `git_url`: workers clone the content from there, at the
    commit `options.source` is checked out at, rather than reading it at a shared path."""
    from dask.distributed import Client, LocalCluster  # imported here: only this command needs Dask

    config = load_site_config(options.source)
    if config.partition is None:
        raise ContentInvalid([ContentError(
            SITE_CONFIG_NAME, "分布式构建（--distributed）需要在 site.yml 中设置“构建分区”", field="构建分区",
            hint="写“构建分区: 省”或“构建分区: 市”：每个分区是集群上的一个任务", code="partition-missing",
        )])  # fmt: skip
    regions = site_regions(options.source, config.partition)
    parts = str(parts) if is_store(str(parts)) else str(Path(parts).resolve())
    place = TaskPlace(parts, _git_place(options.source, git_url) if git_url else None)
    task_options = replace(options, source=options.source.resolve(), workers=1, cache=None)
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True) if client is None and address == "local" else None
    own_client = client is None
    client = client or Client(cluster if cluster is not None else address)
    try:
        futures = [
            client.submit(
                build_part, task_options, str(region), place, part_name(region),
                key=f"gkml-part-{part_name(region)}", retries=RETRIES, pure=False,
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
    if not is_store(parts):
        return merge([Path(parts) / part_name(region) for region in regions], options, progress), results
    with tempfile.TemporaryDirectory(prefix="gkml-parts-") as local:
        folders = [fetch_part(parts, part_name(region), Path(local) / part_name(region)) for region in regions]
        return merge(folders, options, progress), results


def _git_place(source: Path, url: str) -> tuple[str, str, str]:
    """(URL, commit, content folder in the repository) of the checkout `source` is in."""
    commit = git_head(source)
    top = subprocess.run(["git", "-C", str(source), "rev-parse", "--show-toplevel"], capture_output=True, text=True, check=False)
    if not commit or top.returncode != 0:
        raise ContentInvalid([ContentError(
            str(source), "--git-url 需要内容目录在 git 仓库中，且已有提交", hint="先提交内容，或不用 --git-url，让各节点读取共享路径",
            code="not-a-checkout",
        )])  # fmt: skip
    return url, commit, source.resolve().relative_to(Path(top.stdout.strip()).resolve()).as_posix()
