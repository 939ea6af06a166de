"""The build orchestrator: load → site → render → index → write, with the timing of each stage."""

from __future__ import annotations

import contextlib
import gc
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .content_cache import ContentCache
from .history import SourceHistory, git_head, read_history
from .index_stage import (
    CATALOGUE_UNIT,
    EDITS_UNIT,
    edit_units,
    edits_apply,
    is_index_unit,
    plan_index,
    shard_units,
)
from .listing import AgencySummary, SummaryHead
from .load import SITE_CONFIG_NAME, load_content, scan_sources
from .manifest import (
    Manifest,
    SourceFile,
    code_version,
    combined_key,
    digest,
    folder_key,
)
from .pagefind_service import PagefindService
from .parallel_render import (
    AGENCY_UNIT_PREFIX,
    agency_unit,
    default_workers,
    is_listing_unit,
    listing_unit,
    render_units,
    work_units,
)
from .production import require_publishable
from .progress import NoProgress, Progress
from .render import Renderer
from .search_index import warm_up
from .search_shards import SHARD_PAGE_TARGET
from .site import (
    AgencyNode,
    SiteGraph,
    agency_graph,
    agency_nodes,
    listing_inputs,
    with_lists,
)
from .write import Unit, WriteReport, WriteTransaction, check_output_folder

PROJECT_ROOT = Path(__file__).resolve().parent.parent
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
    seconds: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        seconds[stage] = now - clock
        clock = now

    check_output_folder(options.out, [options.source, options.templates, options.static, *([options.cache] if options.cache else [])])
    if options.production:
        require_publishable(options.source)
    previous = Manifest.read(options.out)
    assets = static_files(options.static)
    scanned = scan_sources(options.source, previous.sources)
    digests = {path: source.digest for path, source in (scanned or {}).items()}
    settings = settings_key(options, assets, digests.get(SITE_CONFIG_NAME, ""))
    # The pages show the git history of their files: a new commit is a change even when no file is.
    checked_out = git_head(options.source)
    # A build stopped between its edit bundle and its shards (see index_stage) is not finished.
    finished = EDITS_UNIT not in previous.keys and (CATALOGUE_UNIT in previous.keys) == options.search_index
    unchanged = digests == previous.digests and settings == previous.settings and checked_out == previous.history
    if scanned is not None and unchanged and finished:
        if scanned != previous.sources:
            previous.refresh_sources(options.out, scanned)
        lap("检查")
        pages = sum(count for name, count in previous.files.items() if _is_page_unit(name))
        return BuildReport(pages, 0, WriteReport(0, sum(previous.files.values()), 0), seconds)

    # An edit's search bundle is the next thing to wait for: Pagefind loads its language data
    # meanwhile, on the other core.
    with _warm_pagefind(options.search_index and CATALOGUE_UNIT in previous.keys) as pagefind:
        cache = ContentCache(options.cache) if options.cache else None
        with _collector_for_a_build() as loaded:
            history = read_history(options.source, checked_out)
            heads = previous.summary_heads() if scanned is not None and settings == previous.settings else {}
            kept = _unchanged_agencies(previous, heads, scanned or {}, settings, history)
            only = set(scanned) - set(kept) - {SITE_CONFIG_NAME} if kept and scanned is not None else None
            content = load_content(options.source, cache, options.workers, only)
            if content.sources[SITE_CONFIG_NAME] != digests.get(SITE_CONFIG_NAME):
                # the scan failed, or site.yml changed since: every page depends on it
                settings = settings_key(options, assets, content.sources[SITE_CONFIG_NAME])
                if kept:
                    kept, content = {}, load_content(options.source, cache, options.workers)
            lap("加载")
            site = agency_graph(content, options.base_url, tuple(kept.values()), history)
            lists_kept = bool(kept) and _lists_unchanged(previous, heads, site)
            if not lists_kept:
                summaries = _kept_summaries(previous, kept)
                if summaries is None:  # unreadable: every agency is loaded instead
                    kept, content = {}, load_content(options.source, cache, options.workers)
                    site = agency_graph(content, options.base_url, history=history)
                site = with_lists(site, summaries or ())
            sources = _sources_read(scanned or {}, content.sources)
            # The lists kept are units of the previous build this one carries over unrendered.
            kept_lists = {name: key for name, key in previous.keys.items() if is_listing_unit(name)} if lists_kept else {}
            page_count = site.page_count + len(kept_lists)
            lap("页面图")
            loaded()

            renderer = Renderer(
                options.templates,
                {name: digest(data)[:10] for name, data in assets.items()},
                # compiled code depends on gkml's Environment options as well as on the templates
                options.cache / f"templates-{code_version()[:16]}" if options.cache else None,
            )
            keys = {agency_unit(a.slug): agency_key(settings, a.source.path, a.source.digest, history) for a in site.agencies}
            keys |= {listing_unit(page): combined_key(settings, *listing_inputs(site, page)) for page in site.pages if page.agency is None}
            named = work_units(site)
            chosen = [i for i, (name, _) in enumerate(named) if previous.changed(name, keys[name])]
            rendered = 0
            edits_first = False
            with WriteTransaction(options.out, previous) as transaction:
                # Each unit's files go to temporaries as soon as they are rendered, so that memory holds
                # one unit's bytes at a time; the swap happens once every stage has succeeded.
                progress.start("渲染", sum(len(named[i][1]) for i in chosen))
                renders = zip(chosen, render_units(renderer, site, chosen, options.workers), strict=True)
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
                for head in kept.values():
                    name = agency_unit(head.slug)
                    transaction.stage(Unit(name, previous.keys[name], None))
                for name, key in kept_lists.items():
                    transaction.stage(Unit(name, key, None))
                transaction.stage(Unit(STATIC_UNIT, settings, {f"static/{name}": data for name, data in assets.items()}))
                lap("渲染")
                if options.search_index:
                    index_settings = combined_key(code_version(), content.sources[SITE_CONFIG_NAME], options.base_url or "")
                    plan = plan_index(site.heads, page_count, previous, index_settings, options.shard_pages)
                    changed = _changed_agencies(previous, keys, {s.slug for s in kept.values()})
                    edits_first = edits_apply(plan, previous, changed)
                    nodes = {agency.slug: agency for agency in site.agencies}
                    if edits_first:
                        units = edit_units(plan, site, nodes, previous, changed, pagefind)
                    else:
                        nodes |= _load_agencies(options, cache, plan.slugs_to_index() - set(nodes), kept)
                        units = shard_units(plan, site, nodes, progress)
                    for unit in units:
                        transaction.stage(unit)
                    lap("编辑索引" if edits_first else "索引")
                # every agency was loaded unless some were kept: their summaries replace all others
                report = transaction.commit(settings, sources, site.fresh, every_summary=not kept, history=checked_out)
                written = transaction.manifest
            lap("写入")
            if not edits_first:
                return BuildReport(page_count, rendered, report, seconds)

            # The site and its search are current. Now re-index the edited agencies' shards and drop the
            # edit bundle, leaving what a fresh build would.
            current_after = sum(seconds.values())
            if on_current is not None:
                on_current(current_after)
            nodes |= _load_agencies(options, cache, plan.slugs_to_index() - set(nodes), kept)
            with WriteTransaction(options.out, written) as transaction:
                for name, key in written.keys.items():
                    if not is_index_unit(name):
                        transaction.stage(Unit(name, key, None))
                for unit in shard_units(plan, site, nodes, progress):
                    transaction.stage(unit)
                lap("分片索引")
                settled = transaction.commit(settings, sources)
            lap("收尾写入")
            both = WriteReport(report.written + settled.written, settled.unchanged, report.deleted + settled.deleted)
            return BuildReport(page_count, rendered, both, seconds, current_after)


def agency_key(settings: str, source_path: str, source_digest: str, history: SourceHistory) -> str:
    """An agency's pages are made from its file, its file's git history and the settings alone
    (and whether the site has a history at all: every page links to the feed then)."""
    return combined_key(settings, source_path, source_digest, history.key(source_path), str(bool(history.commits)))


def _unchanged_agencies(
    previous: Manifest, heads: dict[str, SummaryHead], scanned: dict[str, SourceFile], settings: str, history: SourceHistory
) -> dict[str, SummaryHead]:
    """The agencies whose file and pages are as the previous build left them (their files need not
    be read), by source path; `heads` are those the previous build summarised."""
    kept = {}
    for path, head in heads.items():
        source = scanned.get(path)
        key = agency_key(settings, path, head.source_digest, history)
        if source is not None and source.digest == head.source_digest and not previous.changed(agency_unit(head.slug), key):
            kept[path] = head
    return kept


def _lists_unchanged(previous: Manifest, heads: dict[str, SummaryHead], site: SiteGraph) -> bool:
    """Whether every page that lists other pages is as the previous build left it: the same agencies,
    none of them changed in what the lists show, the same git history (the feed shows it), and
    every list built (none left pending)."""
    lists = [key for name, key in previous.keys.items() if is_listing_unit(name)]
    return (
        previous.history == site.history.head
        and {head.source_path for head in site.heads} == set(heads)
        and all(heads[summary.source_path].listed == summary.head.listed for summary in site.fresh)
        and bool(lists)
        and all(lists)
    )


def _kept_summaries(previous: Manifest, kept: dict[str, SummaryHead]) -> tuple[AgencySummary, ...] | None:
    """The summaries of the agencies kept, or None when any cannot be read back."""
    if not kept:
        return ()
    found = previous.summaries()
    if any(path not in found or found[path].source_digest != head.source_digest for path, head in kept.items()):
        return None
    return tuple(found[path] for path in kept)


def _sources_read(scanned: dict[str, SourceFile], read: dict[str, str]) -> dict[str, SourceFile]:
    """The files as scanned, except those whose bytes changed between the scan and the reading:
    their digest is of what was read, and their size and time are unknown, so the next build reads
    them again."""
    sources = dict(scanned)
    for path, found in read.items():
        if path not in sources or sources[path].digest != found:
            sources[path] = SourceFile(found)
    return {path: sources[path] for path in sorted(sources) if path in scanned or path in read}


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


def _changed_agencies(previous: Manifest, keys: dict[str, str], kept: set[str]) -> set[str]:
    """The slugs of agencies added, edited or removed since the previous build (`kept` ones did not)."""
    names = {name for name, key in keys.items() if name.startswith(AGENCY_UNIT_PREFIX) and previous.changed(name, key)}
    present = set(keys) | {agency_unit(slug) for slug in kept}
    names |= {name for name in previous.keys if name.startswith(AGENCY_UNIT_PREFIX) and name not in present}
    return {name.removeprefix(AGENCY_UNIT_PREFIX) for name in names}

