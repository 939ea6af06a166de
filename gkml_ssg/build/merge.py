"""`gkml merge PART… --out SITE`: a site assembled from the parts that `gkml build --only` made of it,
region by region (on other machines, or as the tasks of `gkml build --distributed`).

The parts hold every agency's pages and search shards and, in their manifests, every agency's
summary. The merge renders what lists other pages (home, legal-basis index and law pages, the
auditors' pages, sitemap, feed) from the summaries alone, gathers the site's downloads from the
agencies' CSVs, writes the search index's catalogue from the shards' metas, and copies the parts'
files in, as one write transaction: SITE is byte for byte what one `gkml build` of the whole content
writes (its manifest aside). Like a build, it writes only what changed since its last run.

Every part must have been built from the content as it is now, with the same settings (gkml,
templates, static files, site.yml, reference catalogues, base URL) and git commit; every agency
must be in exactly one part. Anything else is refused in Chinese, before anything is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from gkml_ssg.build.index_units import plan_index
from gkml_ssg.build.lock import FolderLock
from gkml_ssg.build.manifest import BuildRecord, Manifest, build_finished
from gkml_ssg.build.options import BuildOptions, portal_assets
from gkml_ssg.build.orchestrator import BuildReport, Stopwatch, make_renderer, render_stage, stage_downloads
from gkml_ssg.build.progress import NoProgress, Progress
from gkml_ssg.build.state import BuildState
from gkml_ssg.build.write import Unit, WriteTransaction, check_output_folder, sweep_temporaries
from gkml_ssg.content.errors import ContentError, ContentInvalid
from gkml_ssg.content.history import read_history
from gkml_ssg.content.load import SITE_CONFIG_NAME, load_site_config
from gkml_ssg.content.references import load_references
from gkml_ssg.keys import (
    CATALOGUE_UNIT,
    EDITS_UNIT,
    digest,
    index_unit,
    is_agency_unit,
    is_index_unit,
)
from gkml_ssg.search.bundle import META_NAME, read_meta
from gkml_ssg.search.shards import CATALOGUE_PATH, catalogue
from gkml_ssg.site.graph import agency_graph, with_lists
from gkml_ssg.site.slugs import agency_slug_conflicts
from gkml_ssg.site.summaries import AgencySummary


@dataclass(frozen=True)
class Part:
    folder: Path
    manifest: Manifest
    summaries: dict[str, AgencySummary]  # by source path

    @property
    def units(self) -> list[str]:
        """Its agencies' and search shards' units (not its own catalogue of its shards)."""
        return sorted(
            name for name in self.manifest.keys if is_agency_unit(name) or (is_index_unit(name) and name not in (CATALOGUE_UNIT, EDITS_UNIT))
        )


def _problem(where: str, message: str, hint: str, code: str) -> ContentInvalid:
    return ContentInvalid([ContentError(where, message, hint=hint, code=code)])


def read_part(folder: Path) -> Part:
    """The part `gkml build --only` wrote in `folder`; ContentInvalid, in Chinese, if it is not one."""
    manifest = Manifest.read(folder)
    if not manifest.region:
        raise _problem(str(folder), "不是 gkml build --only 构建的网站部分", "请先运行 gkml build --only 省[/市] --out 该目录", "not-a-part")
    if not build_finished(manifest):
        raise _problem(str(folder), "这个部分的构建没有完成", "请重新运行 gkml build --only 构建它", "part-unfinished")
    return Part(folder, manifest, manifest.summaries())


def merge(parts: list[Path], options: BuildOptions, progress: Progress = NoProgress()) -> BuildReport:
    """Assemble the parts into `options.out`, holding its lock throughout."""
    protected = [options.source, *options.template_folders, *options.static_folders, *parts]
    check_output_folder(options.out, [*protected, *([options.cache] if options.cache else [])])
    with FolderLock(options.out):
        return _merge([read_part(folder) for folder in parts], options, progress)


def _merge(parts: list[Part], options: BuildOptions, progress: Progress) -> BuildReport:
    watch = Stopwatch()
    state = BuildState.start(options)
    sweep_temporaries(options.out)
    _assemble(state, parts)
    watch.lap("加载")
    renderer = make_renderer(state)
    with WriteTransaction(options.out, state.previous) as transaction:
        for part in parts:
            _stage_part(transaction, part)
        rendered = render_stage(transaction, state, renderer, progress)
        watch.lap("渲染")

        def index() -> None:
            if options.search_index:
                transaction.stage(_catalogue(state, transaction))
                watch.lap("索引")

        rendered += stage_downloads(transaction, state, renderer, index, background=options.search_index)
        record = BuildRecord(state.settings, state.sources, state.fresh, every_summary=True, history=state.checked_out)
        report = transaction.commit(record)
    watch.lap("写入")
    return BuildReport(state.page_count, rendered, report, watch.seconds)


def _assemble(state: BuildState, parts: list[Part]) -> None:
    """Fill the build's state from the parts: the site with its lists, every agency's summary and
    the keys of every unit; refuse parts that do not make the site as its content now is."""
    options = state.options
    if state.scanned is None:
        raise _problem(str(options.source), "内容目录无法读取", "请先运行 gkml check 查看问题", "unreadable-source")
    config = load_site_config(options.source)
    references, errors = load_references(state.reference_files, state.cache)
    if errors:
        raise ContentInvalid(errors)
    for part in parts:
        if part.manifest.settings != state.settings or part.manifest.history != state.checked_out:
            raise _problem(
                str(part.folder), "这个部分的构建设置与本次合并不同（gkml 版本、模板、静态文件、site.yml、标准目录、网址或 git 提交）",
                "请用同样的内容和设置重新构建这个部分", "part-settings-differ",
            )  # fmt: skip
    summaries: dict[str, AgencySummary] = {}
    owner: dict[str, Path] = {}
    for part in parts:
        for path, summary in part.summaries.items():
            if path in owner:
                raise _problem(path, f"同时在 {owner[path]} 和 {part.folder} 两个部分中", "每个地区只构建一个部分", "agency-in-two-parts")
            owner[path], summaries[path] = part.folder, summary
    digests = state.digests
    for path in sorted(set(digests) - {SITE_CONFIG_NAME}):
        if path not in summaries:
            raise _problem(path, "不在任何部分中", "请构建它所在地区的部分（gkml build --only 省[/市]），再合并", "agency-in-no-part")
        if summaries[path].source_digest != digests[path]:
            raise _problem(path, f"{owner[path]} 构建之后文件有改动", "请重新构建它所在地区的部分，再合并", "part-out-of-date")
    state.fresh = tuple(summaries[path] for path in sorted(summaries))
    state.heads = tuple(summary.head for summary in state.fresh)
    errors = agency_slug_conflicts((), state.heads)
    if errors:
        raise ContentInvalid(errors)
    state.history = read_history(options.source, state.checked_out)
    state.references = tuple(references)
    state.assets = portal_assets(state.assets, config)
    graph = agency_graph(config, options.base_url, (), state.history, state.references)
    site = with_lists(graph, state.fresh)
    state.site = site
    state.sources = dict(state.scanned)
    state.keys = {part_unit: part.manifest.keys[part_unit] for part in parts for part_unit in part.units}
    state.keys |= state.unit_keys()
    if options.search_index:
        state.index = plan_index(state.heads, state.page_count, state.previous, "", options.shard_pages, config.partition)
        missing = [shard.name for shard in state.index.shards if index_unit(shard.name) not in state.keys]
        if missing:
            raise _problem(str(options.out), f"部分中没有搜索分片 {missing[0]}", "请用同一构建分区、带搜索索引重新构建各部分", "shard-missing")


def _stage_part(transaction: WriteTransaction, part: Part) -> None:
    """The part's agencies' and shards' units: kept when the site already holds them as built
    from the same key, else copied from the part (each file checked against the part's manifest)."""
    previous = transaction.previous
    outputs = part.manifest.outputs(part.units)
    for name in part.units:
        key = part.manifest.keys[name]
        if not previous.changed(name, key):
            transaction.stage(Unit(name, key, None))
            continue
        files = {}
        for path, expected in sorted(outputs.get(name, {}).items()):
            try:
                data = (part.folder / path).read_bytes()
            except OSError as error:
                raise _problem(f"{part.folder}/{path}", f"无法读取：{error.strerror}", "请重新构建这个部分", "part-file-missing") from None
            if digest(data) != expected:
                raise _problem(f"{part.folder}/{path}", "文件在构建之后被改动过", "请重新构建这个部分", "part-file-changed")
            files[path] = data
        transaction.stage(Unit(name, key, files))


def _catalogue(state: BuildState, transaction: WriteTransaction) -> Unit:
    """The search index's catalogue: every shard's meta, in the order one build of the site lists them."""
    assert state.index is not None
    metas = []
    for shard in state.index.shards:
        meta = read_meta(transaction.read(index_unit(shard.name), f"{shard.folder}/{META_NAME}"))
        if meta is None:
            raise _problem(shard.folder, "搜索分片无法读取", "请重新构建含有它的部分", "shard-unreadable")
        metas.append((shard, meta))
    listing = catalogue(metas)
    return Unit(CATALOGUE_UNIT, digest(listing), {CATALOGUE_PATH: listing})
