"""Render: each page is a pure function of the page graph and the page, one file per output the
page's kind declares (see `site.kinds` and `formats`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2

from gkml_ssg.content.errors import ContentError, ContentInvalid, Origin
from gkml_ssg.render.formats import FORMATS, OutputFormat
from gkml_ssg.render.markup import MarkdownRenderer
from gkml_ssg.site.graph import Page, SiteGraph
from gkml_ssg.site.kinds import COLUMN_NAMES, KIND_LABELS, PageKind


class Renderer:
    """Holds a template environment per output format; `render` keeps no state between pages."""

    def __init__(self, templates: Path, asset_versions: dict[str, str], compiled: Path | None = None):
        """`compiled`: a folder where compiled templates are kept between builds (compiling them
        takes longer than rendering an agency's pages)."""
        self.templates = templates
        self._compiled = compiled
        self._asset_versions = asset_versions
        self._environments: dict[str, jinja2.Environment] = {}

    def environment(self, output_format: str) -> jinja2.Environment:
        if output_format not in self._environments:
            self._environments[output_format] = self._new_environment(FORMATS[output_format])
        return self._environments[output_format]

    def _new_environment(self, output_format: OutputFormat) -> jinja2.Environment:
        bytecode_cache = None
        if self._compiled is not None:
            # one folder per format: the escaping is part of the compiled code
            folder = self._compiled / output_format.name
            folder.mkdir(parents=True, exist_ok=True)
            bytecode_cache = jinja2.FileSystemBytecodeCache(str(folder))
        options: dict[str, Any] = {"finalize": output_format.finalize} if output_format.finalize else {}
        environment = jinja2.Environment(
            loader=jinja2.FileSystemLoader(self.templates),
            bytecode_cache=bytecode_cache,
            autoescape=output_format.autoescape,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            **options,
        )
        environment.filters["markdown"] = MarkdownRenderer()
        environment.globals["kind_labels"] = KIND_LABELS
        environment.globals["column_names"] = COLUMN_NAMES
        environment.globals["PageKind"] = PageKind
        return environment

    def render(self, site: SiteGraph, page: Page) -> dict[str, bytes]:
        """Every file of the page: output path → bytes."""

        def url(path: str) -> str:
            return site.url(path)

        def asset(name: str) -> str:
            # The version is the file's content hash, so a changed asset gets a new URL.
            if name not in self._asset_versions:
                raise jinja2.TemplateRuntimeError(f"静态文件 static/{name} 不存在")
            return f"{site.url('static/' + name)}?v={self._asset_versions[name]}"

        files = {}
        for output_format, template_name, output in page.outputs:
            try:
                template = self.environment(output_format).get_template(template_name)
                text = template.render(site=site, page=page, url=url, asset=asset)
            except jinja2.TemplateSyntaxError as error:
                raise ContentInvalid([_template_error(error.filename or error.name, error.lineno, error.message)]) from None
            except jinja2.TemplateError as error:
                raise ContentInvalid([_template_error(template_name, None, f"{error}（页面 {page.path or '/'}）")]) from None
            files[output] = text.encode("utf-8")
        return files


def _template_error(name: str | None, line: int | None, message: str | None) -> ContentError:
    return ContentError(f"templates/{Path(name or '?').name}", f"模板错误：{message}", Origin(line, 1) if line else None)
