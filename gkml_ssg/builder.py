"""The build orchestrator: load → site → render → index → write, with the timing of each stage."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from .content_cache import ContentCache
from .load import SITE_CONFIG_NAME, load_content, source_digests
from .manifest import Manifest, code_version, combined_key, digest, folder_key
from .parallel_render import (
    SITE_UNIT,
    agency_unit,
    default_workers,
    render_units,
    work_units,
)
from .progress import NoProgress, Progress
from .render import Renderer
from .search_index import build_bundle, search_records
from .site import assemble
from .write import Unit, WriteReport, check_output_folder, write_site

PROJECT_ROOT = Path(__file__).resolve().parent.parent
STATIC_UNIT = "static"
INDEX_UNIT = "index"


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


@dataclass(frozen=True)
class BuildReport:
    pages: int
    rendered: int
    write: WriteReport
    seconds: dict[str, float] = field(default_factory=dict)

    def summary(self) -> str:
        total = sum(self.seconds.values())
        stages = "，".join(f"{name} {seconds:.2f}s" for name, seconds in self.seconds.items())
        return (
            f"构建完成：{self.pages} 个页面（渲染 {self.rendered} 个）；写入 {self.write.written} 个文件，"
            f"未变 {self.write.unchanged} 个，删除 {self.write.deleted} 个；用时 {total:.2f} 秒（{stages}）"
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


def build(options: BuildOptions, progress: Progress = NoProgress()) -> BuildReport:
    """Run every stage that has something to do. Raises ContentInvalid or OutputRefused before
    anything is written."""
    seconds: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        seconds[stage] = now - clock
        clock = now

    check_output_folder(options.out, [options.source, options.templates, options.static, *([options.cache] if options.cache else [])])
    previous = Manifest.read(options.out)
    assets = static_files(options.static)
    sources = source_digests(options.source)
    settings = settings_key(options, assets, (sources or {}).get(SITE_CONFIG_NAME, ""))
    unchanged = sources == previous.sources and settings == previous.settings
    if sources is not None and unchanged and (INDEX_UNIT in previous.units) == options.search_index:
        lap("检查")
        pages = sum(len(unit.outputs) for name, unit in previous.units.items() if name not in (STATIC_UNIT, INDEX_UNIT))
        return BuildReport(pages, 0, WriteReport(0, len(previous.outputs), 0), seconds)

    content = load_content(options.source, ContentCache(options.cache) if options.cache else None, options.workers)
    if content.sources != sources:  # the scan failed, or a file changed since
        settings = settings_key(options, assets, content.sources[SITE_CONFIG_NAME])
    lap("加载")
    site = assemble(content, options.base_url)
    lap("页面图")

    renderer = Renderer(options.templates, {name: digest(data)[:10] for name, data in assets.items()})
    everything = combined_key(settings, *(f"{path}={d}" for path, d in sorted(content.sources.items())))
    keys = {agency_unit(a.slug): combined_key(settings, a.source.path, a.source.digest) for a in site.agencies}
    keys[SITE_UNIT] = everything
    named = work_units(site)
    chosen = [i for i, (name, _) in enumerate(named) if _changed(previous, name, keys[name])]
    rendered: dict[str, dict[str, bytes]] = {}
    progress.start("渲染", sum(len(named[i][1]) for i in chosen))
    for index, files in zip(chosen, render_units(renderer, site, chosen, options.workers), strict=True):
        rendered[named[index][0]] = files
        progress.advance(len(files))
    progress.close()
    units = [Unit(name, keys[name], rendered.get(name)) for name, _ in named]
    units.append(Unit(STATIC_UNIT, settings, {f"static/{name}": data for name, data in assets.items()}))
    lap("渲染")
    if options.search_index:
        index_key = combined_key(everything, INDEX_UNIT)
        bundle = build_bundle(search_records(site)) if _changed(previous, INDEX_UNIT, index_key) else None
        units.append(Unit(INDEX_UNIT, index_key, bundle))
        lap("索引")
    report = write_site(options.out, previous, units, settings, content.sources)
    lap("写入")
    return BuildReport(len(site.pages), sum(len(f) for f in rendered.values()), report, seconds)


def _changed(previous: Manifest, name: str, key: str) -> bool:
    unit = previous.units.get(name)
    return unit is None or unit.key != key
