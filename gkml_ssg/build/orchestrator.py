"""The build orchestrator: load → site → render → index → write, with the timing of each stage.

It only orchestrates: what the build knows is owned by `state.BuildState`, the files are written by
`write.WriteTransaction`, the pages rendered by `render`, the search index made by `search`.
"""

from __future__ import annotations

import contextlib
import gc
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from gkml_ssg.build.gathering import start_gathering
from gkml_ssg.build.index_units import edit_units, edits_readable, shard_units
from gkml_ssg.build.lock import FolderLock
from gkml_ssg.build.manifest import BuildRecord, Manifest
from gkml_ssg.build.options import BuildOptions
from gkml_ssg.build.progress import NoProgress, Progress
from gkml_ssg.build.state import BuildState
from gkml_ssg.build.write import Unit, WriteReport, WriteTransaction, check_output_folder, sweep_temporaries
from gkml_ssg.content.production import require_publishable
from gkml_ssg.keys import DOWNLOADS_UNIT, STATIC_UNIT, agency_unit, code_version, digest, is_index_unit
from gkml_ssg.render.parallel import render_units, work_units
from gkml_ssg.render.renderer import Renderer

__all__ = ["BuildOptions", "BuildReport", "build"]


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


def build(
    options: BuildOptions, progress: Progress = NoProgress(), on_current: Callable[[float], None] | None = None
) -> BuildReport:
    """Run every stage that has something to do, holding the output folder's lock throughout.
    Raises ContentInvalid before anything is written; OutputRefused when the output folder is
    unsafe, held by another build, or cannot be written (what was swapped in by then is marked
    pending, and the next build finishes the job). When an edit is published through the edit
    bundle first, `on_current` is called with the seconds it took, before the shards are
    re-indexed."""
    check_output_folder(options.out, [options.source, *options.template_folders, *options.static_folders, *([options.cache] if options.cache else [])])
    if options.production:
        require_publishable(options.source)
    with FolderLock(options.out):
        return _build(options, progress, on_current)


def _build(options: BuildOptions, progress: Progress, on_current: Callable[[float], None] | None) -> BuildReport:
    watch = Stopwatch()
    state = BuildState.start(options)
    previous = state.previous
    # A killed build's temporaries go first; a build from no record also looks for older versions'.
    sweep_temporaries(options.out, legacy=not previous.keys)
    if state.unchanged():
        if state.scanned is not None and state.scanned != previous.sources:
            previous.refresh_sources(options.out, state.scanned)
        watch.lap("检查")
        pages = previous.page_count()
        return BuildReport(pages, 0, WriteReport(0, sum(previous.files.values()), 0), watch.seconds)

    with _collector_for_a_build() as loaded:
        state.load()
        watch.lap("加载")
        loaded()
    renderer = make_renderer(state)
    with WriteTransaction(options.out, previous) as transaction:
        if state.edits_first and not edits_readable(transaction.read):
            state.index_without_edits()  # the previous catalogue was changed by hand since
        rendered = render_stage(transaction, state, renderer, progress)
        watch.lap("渲染")

        def index() -> None:
            if options.search_index:
                _index(transaction, state, progress)
                watch.lap("编辑索引" if state.edits_first else "索引")

        if options.only is not None:
            index()  # a part of the site: the site's downloads are gathered by the merge
        elif state.edits_first and DOWNLOADS_UNIT in previous.keys:
            # The editor waits for the pages and the search only: the site's downloads are
            # gathered with the shards, in the second pass.
            transaction.stage(Unit(DOWNLOADS_UNIT, previous.keys[DOWNLOADS_UNIT], None))
            index()
        else:
            rendered += stage_downloads(transaction, state, renderer, index, background=options.search_index)
            watch.lap("全站下载")
        report = transaction.commit(state.record())
        written = transaction.manifest
    watch.lap("写入")
    if not state.edits_first:
        return BuildReport(state.page_count, rendered, report, watch.seconds)

    # The site and its search are current. Now re-index the edited agencies' shards and drop the
    # edit bundle, leaving what a fresh build would.
    current_after = watch.total
    if on_current is not None:
        on_current(current_after)
    settled, gathered = _settle_shards(state, written, renderer, progress, watch)
    rendered += gathered
    both = WriteReport(report.written + settled.written, settled.unchanged, report.deleted + settled.deleted)
    return BuildReport(state.page_count, rendered, both, watch.seconds, current_after)


class Stopwatch:
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


def make_renderer(state: BuildState) -> Renderer:
    options = state.options
    return Renderer(
        options.template_folders,
        {name: digest(data)[:10] for name, data in state.assets.items()},
        # compiled code depends on gkml's Environment options as well as on the templates
        options.cache / f"templates-{code_version()[:16]}" if options.cache else None,
        options.embed,
    )


def render_stage(transaction: WriteTransaction, state: BuildState, renderer: Renderer, progress: Progress) -> int:
    """Render the units whose key changed and stage every unit; the number of pages rendered."""
    options, previous, site, keys = state.options, state.previous, state.site, state.keys
    assert site is not None
    named = work_units(site)
    chosen = [i for i, (name, _) in enumerate(named) if previous.changed(name, keys[name])]
    rendered = 0
    # Each unit's files go to temporaries as soon as they are rendered, so that memory holds one
    # unit's bytes at a time; the swap happens once every stage has succeeded.
    progress.start("渲染", sum(len(named[i][1]) for i in chosen))
    renders = zip(chosen, render_units(renderer, site, chosen, options.workers), strict=True)
    to_render = set(chosen)
    for index, (name, _) in enumerate(named):
        files = None
        if index in to_render:
            rendered_index, files = next(renders)
            assert rendered_index == index
        transaction.stage(Unit(name, keys[name], files))
        if files is not None:  # counted in pages, as the progress is (a page may have several files)
            rendered += len(named[index][1])
            progress.advance(len(named[index][1]))
    # Run the generator to its end: that shuts its worker processes down now, not when it is
    # collected (at 2,500 agencies they held 0.7 GB through the index stage).
    assert next(renders, None) is None
    progress.close()
    for head in state.kept.values():
        name = agency_unit(head.slug)
        transaction.stage(Unit(name, previous.keys[name], None))
    for name, key in state.kept_lists.items():
        transaction.stage(Unit(name, key, None))
    if options.only is None:  # a part of the site leaves the static files to the merge
        transaction.stage(Unit(STATIC_UNIT, state.settings, {f"static/{name}": data for name, data in state.assets.items()}))
    return rendered


def _index(transaction: WriteTransaction, state: BuildState, progress: Progress) -> None:
    """Stage the search index: the edit bundle when a few agencies changed (see index_units),
    else the shards whose agencies changed."""
    assert state.site is not None and state.index is not None
    units: Iterable[Unit]
    if state.edits_first:
        units = edit_units(state.index, state.site, state.index_nodes(), state.previous, state.changed, transaction.read)
    else:
        units = shard_units(state.index, state.site, state.agency_nodes, transaction.read, progress)
    for unit in units:
        transaction.stage(unit)


def stage_downloads(
    transaction: WriteTransaction, state: BuildState, renderer: Renderer, meanwhile: Callable[[], None], background: bool
) -> int:
    """Stage the site's downloads, gathered from the agencies' units staged so far, running
    `meanwhile` (the indexing) while their workbook is written on the other core (`background`);
    1 when the downloads page was rendered, else 0."""
    assert state.site is not None
    with start_gathering(state, transaction, renderer, background) as gathering:
        meanwhile()
        downloads = gathering.unit(state.site, renderer)
    transaction.stage(downloads)
    return int(downloads.files is not None)


def _settle_shards(
    state: BuildState, written: Manifest, renderer: Renderer, progress: Progress, watch: Stopwatch
) -> tuple[WriteReport, int]:
    """After an edit bundle: re-index the edited agencies' shards, drop the bundle and gather the
    site's downloads; the write report and the pages rendered."""
    assert state.site is not None and state.index is not None
    site, index = state.site, state.index
    with WriteTransaction(state.options.out, written) as transaction:
        for name, key in written.keys.items():
            if not is_index_unit(name) and name != DOWNLOADS_UNIT:
                transaction.stage(Unit(name, key, None))

        def reindex() -> None:
            for unit in shard_units(index, site, state.agency_nodes, transaction.read, progress):
                transaction.stage(unit)
            watch.lap("分片索引")

        rendered = stage_downloads(transaction, state, renderer, reindex, background=True)
        settled = transaction.commit(BuildRecord(state.settings, state.sources))
    watch.lap("收尾写入")
    return settled, rendered


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
