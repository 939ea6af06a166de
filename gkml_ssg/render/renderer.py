"""Stage 3, render: each page is a pure function of the page graph and the page."""

from __future__ import annotations

from pathlib import Path

import jinja2

from gkml_ssg.content.errors import ContentError, ContentInvalid, Origin
from gkml_ssg.render.markup import MarkdownRenderer
from gkml_ssg.site.graph import COLUMN_NAMES, KIND_LABELS, Page, PageKind, SiteGraph

TEMPLATE_OF = {
    PageKind.HOME: "home.html",
    PageKind.AGENCY: "agency.html",
    PageKind.HISTORY: "history.html",
    PageKind.ITEM: "item.html",
    PageKind.ON_REQUEST: "on_request.html",
    PageKind.NEGATIVE: "negative.html",
    PageKind.LEGAL_BASIS: "legal_basis.html",
    PageKind.LAW: "law.html",
    PageKind.LAW_PROVINCE: "law.html",
    PageKind.SEARCH: "search.html",
    PageKind.NOT_FOUND: "404.html",
    PageKind.SITEMAP: "sitemap.xml",
    PageKind.SITEMAP_PART: "sitemap.xml",
    PageKind.ROBOTS: "robots.txt",
    PageKind.FEED: "feed.xml",
}


class Renderer:
    """Holds the template environment; `render` keeps no state between pages."""

    def __init__(self, templates: Path, asset_versions: dict[str, str], compiled: Path | None = None):
        """`compiled`: a folder where compiled templates are kept between builds (compiling them
        takes longer than rendering an agency's pages)."""
        self.templates = templates
        bytecode_cache = None
        if compiled is not None:
            compiled.mkdir(parents=True, exist_ok=True)
            bytecode_cache = jinja2.FileSystemBytecodeCache(str(compiled))
        self.environment = jinja2.Environment(
            loader=jinja2.FileSystemLoader(templates),
            bytecode_cache=bytecode_cache,
            autoescape=True,  # every template, whatever its extension
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.environment.filters["markdown"] = MarkdownRenderer()
        self.environment.globals["kind_labels"] = KIND_LABELS
        self.environment.globals["column_names"] = COLUMN_NAMES
        self.environment.globals["PageKind"] = PageKind
        self._asset_versions = asset_versions

    def render(self, site: SiteGraph, page: Page) -> bytes:
        def url(path: str) -> str:
            return site.url(path)

        def asset(name: str) -> str:
            # The version is the file's content hash, so a changed asset gets a new URL.
            return f"{site.url('static/' + name)}?v={self._asset_versions[name]}"

        try:
            template = self.environment.get_template(TEMPLATE_OF[page.kind])
            text = template.render(site=site, page=page, url=url, asset=asset)
        except jinja2.TemplateSyntaxError as error:
            raise ContentInvalid([_template_error(error.filename or error.name, error.lineno, error.message)]) from None
        except jinja2.TemplateError as error:
            raise ContentInvalid([_template_error(TEMPLATE_OF[page.kind], None, f"{error}（页面 {page.path or '/'}）")]) from None
        return text.encode("utf-8")


def _template_error(name: str | None, line: int | None, message: str | None) -> ContentError:
    return ContentError(f"templates/{Path(name or '?').name}", f"模板错误：{message}", Origin(line, 1) if line else None)
