"""What a build is asked to do, and what every page is made from besides its own content."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from gkml_ssg.keys import code_version, combined_key, digest, folder_key
from gkml_ssg.render.parallel import default_workers
from gkml_ssg.search.shards import SHARD_PAGE_TARGET

PROJECT_ROOT = Path(__file__).resolve().parents[2]


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
