"""The build orchestrator: load → site → render → index → write, with the timing of each stage."""

from __future__ import annotations

import contextlib
import gc
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from gkml_ssg.build.carry_over import (
    agency_key,
    changed_agencies,
    kept_summaries,
    lists_unchanged,
    sources_read,
    unchanged_agencies,
)
from gkml_ssg.content.cache import ContentCache
from gkml_ssg.content.history import git_head, read_history
from gkml_ssg.build.index_units import (
    CATALOGUE_UNIT,
    EDITS_UNIT,
    IndexPlan,
    edit_units,
    edits_apply,
    is_index_unit,
    plan_index,
    shard_units,
)
from gkml_ssg.site.summaries import SummaryHead
from gkml_ssg.site.list_inputs import listing_inputs
from gkml_ssg.content.load import SITE_CONFIG_NAME, Content, load_content, scan_sources
from gkml_ssg.build.manifest import (
    Manifest,
    SourceFile,
    code_version,
    combined_key,
    digest,
    folder_key,
)
from gkml_ssg.search.pagefind import PagefindService
from gkml_ssg.render.parallel import (
    agency_unit,
    default_workers,
    is_listing_unit,
    listing_unit,
    render_units,
    work_units,
)
from gkml_ssg.content.production import require_publishable
from gkml_ssg.build.progress import NoProgress, Progress
from gkml_ssg.render.renderer import Renderer
from gkml_ssg.search.records import warm_up
from gkml_ssg.search.shards import SHARD_PAGE_TARGET
from gkml_ssg.site.graph import (
    AgencyNode,
    SiteGraph,
    agency_graph,
    agency_nodes,
    with_lists,
)
from gkml_ssg.build.write import Unit, WriteReport, WriteTransaction, check_output_folder

PROJECT_ROOT = Path(__file__).resolve().parents[2]
STATIC_UNIT = "static"


@dataclass(frozen=True)
class BuildOptions:
    source: Path = Path("content")
    out: Path = Path("public")
    base_url: str | None = None  # a path (/gkml/) or a full URL; overrides the site configuration
    templates: Path = PROJECT_ROOT / "templates"
    static: Path = PROJECT_ROOT / "static"
    search_index: bool = True  # False skips the Pagefind stage (quick checks, benchmarks)
    workers: int = field(default_factory=default_workers)  # processes that render; 1 renders in this one
    cache: Path | None = None  # decoded content files are kept here between builds (None: no cache)
    shard_pages: int = SHARD_PAGE_TARGET  # search index pages per shard, on average at most
    production: bool = False  # a build for publishing: the footer fields of site.yml are required


@dataclass(frozen=True)
class BuildReport:
    pages: int
    rendered: int
    write: WriteReport
    seconds: dict[str, float] = field(default_factory=dict)
    # When an edit went into the edit bundle first: seconds until the site and its search were current.
    current_after: float | None = None

    def summary(self) -> str:
        total = sum(self.seconds.values())
        stages = "，".join(f"{name} {seconds:.2f}s" for name, seconds in self.seconds.items())
        current = f"；{self.current_after:.2f} 秒时网站和搜索已是最新" if self.current_after is not None else ""
        return (
            f"构建完成：{self.pages} 个页面（渲染 {self.rendered} 个）；写入 {self.write.written} 个文件，"
            f"未变 {self.write.unchanged} 个，删除 {self.write.deleted} 个；用时 {total:.2f} 秒（{stages}）{current}"
        )


def static_files(static: Path) -> dict[str, bytes]:
    """Every file under `static/`, keyed by its path below it."""
    if not static.is_dir():
        return {}
    return {
        path.relative_to(static).as_posix(): path.read_bytes()
        for path in sorted(static.rglob("*"))
        if path.is_file() and not path.name.startswith(".")
    }


def settings_key(options: BuildOptions, assets: dict[str, bytes], site_config_digest: str) -> str:
    """What every page is made from besides its own content: gkml's code, templates, static files,
    the site configuration and the base URL. A change here re-renders everything."""
    return combined_key(
        code_version(),
        folder_key(options.templates),
        *(f"{name}={digest(data)}" for name, data in assets.items()),
        site_config_digest,
        options.base_url or "",
    )


def build(
    options: BuildOptions, progress: Progress = NoProgress(), on_current: Callable[[float], None] | None = None
) -> BuildReport:
    """Run every stage that has something to do. Raises ContentInvalid or OutputRefused before
    anything is written. When an edit is published through the edit bundle first, `on_current` is
    called with the seconds it took, before the shards are re-indexed."""
    watch = _Stopwatch()
    check_output_folder(options.out, [options.source, options.templates, options.static, *([options.cache] if options.cache else [])])
    if options.production:
        require_publishable(options.source)
    inputs = _read_inputs(options)
    previous = inputs.previous
    if inputs.unchanged(options):
        if inputs.scanned != previous.sources:
            previous.refresh_sources(options.out, inputs.scanned)
        watch.lap("检查")
        pages = sum(count for name, count in previous.files.items() if _is_page_unit(name))
        return BuildReport(pages, 0, WriteReport(0, sum(previous.files.values()), 0), watch.seconds)

    # An edit's search bundle is the next thing to wait for: Pagefind loads its language data
    # meanwhile, on the other core.
    with _warm_pagefind(options.search_index and CATALOGUE_UNIT in previous.keys) as pagefind:
        cache = ContentCache(options.cache) if options.cache else None
        graph = _load_graph(options, inputs, cache, watch)
        keys = _unit_keys(graph)
        with WriteTransaction(options.out, previous) as transaction:
            rendered = _render(transaction, options, inputs.assets, graph, keys, previous, progress)
            watch.lap("渲染")
            index = None
            if options.search_index:
                index = _index(transaction, options, graph, keys, previous, cache, pagefind, progress)
                watch.lap("编辑索引" if index.edits_first else "索引")
            # every agency was loaded unless some were kept: their summaries replace all others
            report = transaction.commit(
                graph.settings, graph.sources, graph.site.fresh, every_summary=not graph.kept, history=inputs.checked_out
            )
            written = transaction.manifest
        watch.lap("写入")
        if index is None or not index.edits_first:
            return BuildReport(graph.page_count, rendered, report, watch.seconds)

        # The site and its search are current. Now re-index the edited agencies' shards and drop the
        # edit bundle, leaving what a fresh build would.
        current_after = watch.total
        if on_current is not None:
            on_current(current_after)
        settled = _settle_shards(options, graph, index, written, cache, progress, watch)
        both = WriteReport(report.written + settled.written, settled.unchanged, report.deleted + settled.deleted)
        return BuildReport(graph.page_count, rendered, both, watch.seconds, current_after)


class _Stopwatch:
    """The seconds of each stage of a build, in order."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._clock = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.seconds[stage] = now - self._clock
        self._clock = now

    @property
    def total(self) -> float:
        return sum(self.seconds.values())


@dataclass(frozen=True)
class _Inputs:
    """What a build starts from: the previous build's record and the sources as they are now."""

    previous: Manifest
    assets: dict[str, bytes]  # static/
    scanned: dict[str, SourceFile] | None  # the content files; None when the scan found errors (loading reports them)
    digests: dict[str, str]  # the scanned files' digests, by path
    settings: str  # see `settings_key`
    checked_out: str  # the git commit whose history the pages show ("" outside git)

    def unchanged(self, options: BuildOptions) -> bool:
        """Whether the previous build is what this one would write: same sources, settings and
        history, and it finished (a build stopped between its edit bundle and its shards, see
        index_stage, did not)."""
        previous = self.previous
        finished = EDITS_UNIT not in previous.keys and (CATALOGUE_UNIT in previous.keys) == options.search_index
        return (
            self.scanned is not None
            and finished
            and self.digests == previous.digests
            and self.settings == previous.settings
            and self.checked_out == previous.history
        )


def _read_inputs(options: BuildOptions) -> _Inputs:
    previous = Manifest.read(options.out)
    assets = static_files(options.static)
    scanned = scan_sources(options.source, previous.sources)
    digests = {path: source.digest for path, source in (scanned or {}).items()}
    settings = settings_key(options, assets, digests.get(SITE_CONFIG_NAME, ""))
    # The pages show the git history of their files: a new commit is a change even when no file is.
    return _Inputs(previous, assets, scanned, digests, settings, git_head(options.source))


@dataclass(frozen=True)
class _Graph:
    """What the load and page-graph stages made."""

    content: Content  # the files loaded
    site: SiteGraph
    settings: str  # the inputs' settings, unless site.yml changed while the build read it
    kept: dict[str, SummaryHead]  # by source path: the agencies not loaded, whose pages are the previous build's
    kept_lists: dict[str, str]  # the pages that list others carried over unrendered, with their keys
    sources: dict[str, SourceFile]  # what the manifest records of the content files

    @property
    def page_count(self) -> int:
        return self.site.page_count + len(self.kept_lists)


def _load_graph(options: BuildOptions, inputs: _Inputs, cache: ContentCache | None, watch: _Stopwatch) -> _Graph:
    """Load what changed and assemble the page graph: the agencies whose files and history are as
    the previous build left them are not read, and the lists are the previous build's when no
    edited agency changed what they show."""
    previous, scanned, settings = inputs.previous, inputs.scanned, inputs.settings
    with _collector_for_a_build() as loaded:
        history = read_history(options.source, inputs.checked_out)
        heads = previous.summary_heads() if scanned is not None and settings == previous.settings else {}
        kept = unchanged_agencies(previous, heads, scanned or {}, settings, history)
        only = set(scanned) - set(kept) - {SITE_CONFIG_NAME} if kept and scanned is not None else None
        content = load_content(options.source, cache, options.workers, only)
        if content.sources[SITE_CONFIG_NAME] != inputs.digests.get(SITE_CONFIG_NAME):
            # the scan failed, or site.yml changed since: every page depends on it
            settings = settings_key(options, inputs.assets, content.sources[SITE_CONFIG_NAME])
            if kept:
                kept, content = {}, load_content(options.source, cache, options.workers)
        watch.lap("加载")
        site = agency_graph(content, options.base_url, tuple(kept.values()), history)
        lists_kept = bool(kept) and lists_unchanged(previous, heads, site)
        if not lists_kept:
            summaries = kept_summaries(previous, kept)
            if summaries is None:  # unreadable: every agency is loaded instead
                kept, content = {}, load_content(options.source, cache, options.workers)
                site = agency_graph(content, options.base_url, history=history)
            site = with_lists(site, summaries or ())
        kept_lists = {name: key for name, key in previous.keys.items() if is_listing_unit(name)} if lists_kept else {}
        watch.lap("页面图")
        loaded()
    return _Graph(content, site, settings, kept, kept_lists, sources_read(scanned or {}, content.sources))


def _unit_keys(graph: _Graph) -> dict[str, str]:
    """The key of every unit this build renders: what its pages are made from."""
    site, settings = graph.site, graph.settings
    keys = {agency_unit(a.slug): agency_key(settings, a.source.path, a.source.digest, site.history) for a in site.agencies}
    keys |= {listing_unit(page): combined_key(settings, *listing_inputs(site, page)) for page in site.pages if page.agency is None}
    return keys


def _render(
    transaction: WriteTransaction,
    options: BuildOptions,
    assets: dict[str, bytes],
    graph: _Graph,
    keys: dict[str, str],
    previous: Manifest,
    progress: Progress,
) -> int:
    """Render the units whose key changed and stage every unit; the number of files rendered."""
    renderer = Renderer(
        options.templates,
        {name: digest(data)[:10] for name, data in assets.items()},
        # compiled code depends on gkml's Environment options as well as on the templates
        options.cache / f"templates-{code_version()[:16]}" if options.cache else None,
    )
    named = work_units(graph.site)
    chosen = [i for i, (name, _) in enumerate(named) if previous.changed(name, keys[name])]
    rendered = 0
    # Each unit's files go to temporaries as soon as they are rendered, so that memory holds one
    # unit's bytes at a time; the swap happens once every stage has succeeded.
    progress.start("渲染", sum(len(named[i][1]) for i in chosen))
    renders = zip(chosen, render_units(renderer, graph.site, chosen, options.workers), strict=True)
    to_render = set(chosen)
    for index, (name, _) in enumerate(named):
        files = None
        if index in to_render:
            rendered_index, files = next(renders)
            assert rendered_index == index
        transaction.stage(Unit(name, keys[name], files))
        if files is not None:
            rendered += len(files)
            progress.advance(len(files))
    # Run the generator to its end: that shuts its worker processes down now, not when it is
    # collected (at 2,500 agencies they held 0.7 GB through the index stage).
    assert next(renders, None) is None
    progress.close()
    for head in graph.kept.values():
        name = agency_unit(head.slug)
        transaction.stage(Unit(name, previous.keys[name], None))
    for name, key in graph.kept_lists.items():
        transaction.stage(Unit(name, key, None))
    transaction.stage(Unit(STATIC_UNIT, graph.settings, {f"static/{name}": data for name, data in assets.items()}))
    return rendered


@dataclass
class _IndexPass:
    plan: IndexPlan
    nodes: dict[str, AgencyNode]  # the agencies loaded so far, by slug
    edits_first: bool  # the edits went into the edit bundle; the shards are re-indexed after the swap


def _index(
    transaction: WriteTransaction,
    options: BuildOptions,
    graph: _Graph,
    keys: dict[str, str],
    previous: Manifest,
    cache: ContentCache | None,
    pagefind: PagefindService | None,
    progress: Progress,
) -> _IndexPass:
    """Stage the search index: the edit bundle when a few agencies changed (see index_stage),
    else the shards whose agencies changed."""
    settings = combined_key(code_version(), graph.content.sources[SITE_CONFIG_NAME], options.base_url or "")
    plan = plan_index(graph.site.heads, graph.page_count, previous, settings, options.shard_pages)
    changed = changed_agencies(previous, keys, {s.slug for s in graph.kept.values()})
    edits_first = edits_apply(plan, previous, changed)
    nodes = {agency.slug: agency for agency in graph.site.agencies}
    if edits_first:
        units = edit_units(plan, graph.site, nodes, previous, changed, pagefind)
    else:
        nodes |= _load_agencies(options, cache, plan.slugs_to_index() - set(nodes), graph.kept)
        units = shard_units(plan, graph.site, nodes, progress)
    for unit in units:
        transaction.stage(unit)
    return _IndexPass(plan, nodes, edits_first)


def _settle_shards(
    options: BuildOptions,
    graph: _Graph,
    index: _IndexPass,
    written: Manifest,
    cache: ContentCache | None,
    progress: Progress,
    watch: _Stopwatch,
) -> WriteReport:
    """After an edit bundle: re-index the edited agencies' shards and drop the bundle."""
    nodes = index.nodes | _load_agencies(options, cache, index.plan.slugs_to_index() - set(index.nodes), graph.kept)
    with WriteTransaction(options.out, written) as transaction:
        for name, key in written.keys.items():
            if not is_index_unit(name):
                transaction.stage(Unit(name, key, None))
        for unit in shard_units(index.plan, graph.site, nodes, progress):
            transaction.stage(unit)
        watch.lap("分片索引")
        settled = transaction.commit(graph.settings, graph.sources)
    watch.lap("收尾写入")
    return settled


def _load_agencies(
    options: BuildOptions, cache: ContentCache | None, slugs: set[str], kept: dict[str, SummaryHead]
) -> dict[str, AgencyNode]:
    """The nodes of agencies that were not loaded because they had not changed (to index them)."""
    paths = {summary.source_path for summary in kept.values() if summary.slug in slugs}
    if not paths:
        return {}
    content = load_content(options.source, cache, options.workers, paths)
    return {agency.slug: agency for agency in agency_nodes(content)}


@contextlib.contextmanager
def _warm_pagefind(wanted: bool) -> Iterator[PagefindService | None]:
    if not wanted:
        yield None
        return
    with PagefindService() as service:
        warm_up(service)
        yield service


@contextlib.contextmanager
def _collector_for_a_build() -> Iterator[Callable[[], None]]:
    """Loading and assembling create millions of objects that live for the whole build and form no
    garbage cycles. The cyclic collector would walk the growing heap again and again (two thirds of
    the time of both stages at 2,500 agencies), so it is paused until the caller says they are
    loaded; they are then frozen, so that no later collection walks them, nor, in forked render
    workers, copies their memory. On exit they are unfrozen and the collector is as it was."""
    enabled = gc.isenabled()
    gc.disable()

    def loaded() -> None:
        gc.freeze()
        if enabled:
            gc.enable()

    try:
        yield loaded
    finally:
        gc.unfreeze()
        if enabled:
            gc.enable()


def _is_page_unit(name: str) -> bool:
    return name != STATIC_UNIT and not is_index_unit(name)
