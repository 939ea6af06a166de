"""The build orchestrator: load → site → render → index → write, with the timing of each stage."""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from pathlib import Path

from .load import load_content
from .parallel_render import default_workers, render_units, work_units
from .render import Renderer
from .search_index import build_bundle, search_records
from .site import assemble
from .write import WriteReport, check_output_folder, write_site

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class BuildOptions:
    source: Path = Path("content")
    out: Path = Path("public")
    base_url: str | None = None  # a path (/gkml/) or a full URL; overrides the site configuration
    templates: Path = PROJECT_ROOT / "templates"
    static: Path = PROJECT_ROOT / "static"
    search_index: bool = True  # False skips the Pagefind stage (quick checks, benchmarks)
    workers: int = field(default_factory=default_workers)  # processes that render; 1 renders in this one


@dataclass(frozen=True)
class BuildReport:
    pages: int
    write: WriteReport
    seconds: dict[str, float] = field(default_factory=dict)

    def summary(self) -> str:
        total = sum(self.seconds.values())
        stages = "，".join(f"{name} {seconds:.2f}s" for name, seconds in self.seconds.items())
        return (
            f"构建完成：{self.pages} 个页面；写入 {self.write.written} 个文件，"
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


def build(options: BuildOptions) -> BuildReport:
    """Run every stage. Raises ContentInvalid or OutputRefused before anything is written."""
    seconds: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        seconds[stage] = now - clock
        clock = now

    check_output_folder(options.out, [options.source, options.templates, options.static])
    content = load_content(options.source)
    lap("加载")
    site = assemble(content, options.base_url)
    lap("页面图")
    assets = static_files(options.static)
    renderer = Renderer(options.templates, {name: hashlib.sha256(data).hexdigest()[:10] for name, data in assets.items()})
    files: dict[str, bytes] = {}
    for unit_files in render_units(renderer, site, work_units(site), options.workers):
        files.update(unit_files)
    files.update({f"static/{name}": data for name, data in assets.items()})
    lap("渲染")
    if options.search_index:
        files.update(build_bundle(search_records(site)))
        lap("索引")
    report = write_site(options.out, files)
    lap("写入")
    return BuildReport(pages=len(site.pages), write=report, seconds=seconds)
