"""What a build is asked to do, and what every page is made from besides its own content."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from gkml_ssg.content.errors import ContentError, ContentInvalid
from gkml_ssg.content.load import SITE_CONFIG_NAME
from gkml_ssg.content.model import SiteConfig
from gkml_ssg.content.portal import theme_css
from gkml_ssg.content.regions import RegionFilter
from gkml_ssg.keys import code_version, combined_key, digest, folder_key
from gkml_ssg.render.parallel import default_workers
from gkml_ssg.search.shards import SHARD_PAGE_TARGET
from gkml_ssg.theme import folder as theme_folder


@dataclass(frozen=True)
class BuildOptions:
    source: Path = Path("content")
    out: Path = Path("public")
    base_url: str | None = None  # a path (/gkml/) or a full URL; overrides the site configuration
    # The default theme. A site overrides it file by file with the `templates/` and `static/`
    # folders beside its content folder (`template_folders`, `static_folders`).
    templates: Path = field(default_factory=lambda: theme_folder("templates"))
    static: Path = field(default_factory=lambda: theme_folder("static"))
    search_index: bool = True  # False skips the search stage (quick checks, benchmarks)
    workers: int = field(default_factory=default_workers)  # processes that render; 1 renders in this one
    cache: Path | None = None  # decoded content files are kept here between builds (None: no cache)
    shard_pages: int = SHARD_PAGE_TARGET  # search index pages per shard, on average at most
    production: bool = False  # a build for publishing: the footer fields of site.yml are required
    embed: bool | None = None  # pages without the site's own header and footer (None: as site.yml's 布局 says)
    # Build only this region's agencies and search shards, with their summaries: a part of the site
    # that `gkml merge` assembles with the others (site.yml's 构建分区 must be set).
    only: RegionFilter | None = None

    @property
    def site_folder(self) -> Path:
        """The folder that holds the content folder and the site's own templates/ and static/."""
        return self.source.resolve().parent

    @property
    def template_folders(self) -> tuple[Path, ...]:
        """Where templates are looked up, first match wins: the site's own, then the theme's."""
        return _overriding(self.site_folder / "templates", self.templates)

    @property
    def static_folders(self) -> tuple[Path, ...]:
        """Where static files come from, later ones replacing earlier: the theme's, then the site's."""
        return _overriding(self.site_folder / "static", self.static)[::-1]


def _overriding(site: Path, default: Path) -> tuple[Path, ...]:
    """The site's folder, when it has one that is not the theme's own, before the theme's."""
    if site.is_dir() and site.resolve() != default.resolve():
        return (site, default)
    return (default,)


def static_files(folders: tuple[Path, ...]) -> dict[str, bytes]:
    """Every file under these static folders, keyed by its path below its folder; a later
    folder's file replaces an earlier one's of the same path. Sorted by path."""
    files: dict[str, bytes] = {}
    for static in folders:
        if static.is_dir():
            for path in sorted(static.rglob("*")):
                if path.is_file() and not path.name.startswith("."):
                    files[path.relative_to(static).as_posix()] = path.read_bytes()
    return dict(sorted(files.items()))


def settings_key(options: BuildOptions, assets: dict[str, bytes], site_config_digest: str, references: str) -> str:
    """What every page is made from besides its own content: gkml's code, templates, static files,
    the site configuration, the reference catalogues (`references`: their digest) and the base URL.
    A change here re-renders everything."""
    return combined_key(
        code_version(),
        *(folder_key(folder) for folder in options.template_folders),
        f"embed={options.embed}",
        *(f"{name}={digest(data)}" for name, data in assets.items()),
        site_config_digest,
        references,
        options.base_url or "",
    )


PORTAL_CSS = "css/portal.css"


def portal_assets(assets: dict[str, bytes], config: SiteConfig) -> dict[str, bytes]:
    """The static files with the stylesheet of the portal's colours added (when site.yml sets
    any); a ContentInvalid naming site.yml when its logo is not among them."""
    portal = config.portal
    if portal is not None and portal.logo is not None and portal.logo not in assets:
        raise ContentInvalid([
            ContentError(
                SITE_CONFIG_NAME, f"找不到标志图片 static/{portal.logo}", field="门户.标志",
                hint="请把图片放进站点的 static/ 文件夹（与 content/ 文件夹同级），或改正文件名", code="missing-logo",
            )
        ])  # fmt: skip
    css = theme_css(portal.colours if portal is not None else None)
    return dict(sorted({**assets, PORTAL_CSS: css}.items())) if css is not None else assets
