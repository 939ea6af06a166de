"""Render: each page is a pure function of the page graph and the page, one file per output the
page's kind declares (see `site.kinds` and `formats`)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jinja2

from gkml_ssg.audit.deadlines import period
from gkml_ssg.content.dump import model_tree
from gkml_ssg.content.errors import ContentError, ContentInvalid, Origin
from gkml_ssg.content.model import Channel
from gkml_ssg.keys import gkml_version
from gkml_ssg.render.comparison import agency_comparison, comparison_agencies
from gkml_ssg.render.formats import FORMATS, OutputFormat
from gkml_ssg.render.markup import MarkdownRenderer
from gkml_ssg.site.audit_view import deadline_path, reference_path
from gkml_ssg.site.graph import Page, SiteGraph
from gkml_ssg.site.kinds import COLUMN_NAMES, KIND_LABELS, PageKind


class Renderer:
    """Holds a template environment per output format; `render` keeps no state between pages."""

    def __init__(
        self, templates: tuple[Path, ...], asset_versions: dict[str, str], compiled: Path | None = None, embed: bool | None = None
    ):
        """`templates`: the folders templates are looked up in, first match wins (a site's own,
        then the theme's). `compiled`: a folder where compiled templates are kept between builds
        (compiling them takes longer than rendering an agency's pages). `embed`: pages without
        the site's own header and footer (None: as site.yml's 布局 says)."""
        self.templates = templates
        self._embed = embed
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
            loader=jinja2.FileSystemLoader([str(folder) for folder in self.templates]),
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
        environment.globals["gkml_version"] = gkml_version()
        environment.globals["embed"] = self._embed
        environment.globals["has_asset"] = self._asset_versions.__contains__
        environment.globals["model_tree"] = model_tree  # a model value as its YAML keys and values (JSON outputs)
        environment.globals["channel_list"] = channel_list
        environment.globals["agency_comparison"] = agency_comparison
        environment.globals["comparison_agencies"] = comparison_agencies
        environment.globals["period_of"] = period
        environment.globals["reference_path"] = reference_path
        environment.globals["deadline_path"] = deadline_path
        return environment

    def render(self, site: SiteGraph, page: Page, made: Mapping[str, bytes] | None = None) -> dict[str, bytes]:
        """Every file of the page: output path → bytes. `made`: files made for the page before,
        which it links with their sizes (the site's downloads)."""

        def url(path: str) -> str:
            return site.url(path)

        def asset(name: str) -> str:
            # The version is the file's content hash, so a changed asset gets a new URL.
            if name not in self._asset_versions:
                raise jinja2.TemplateRuntimeError(f"静态文件 static/{name} 不存在")
            return f"{site.url('static/' + name)}?v={self._asset_versions[name]}"

        files: dict[str, bytes] = dict(made or {})
        # A page's HTML links its other files with their sizes (an agency's downloads): those come first.
        ordered = sorted(page.outputs, key=lambda output: output[0] == "html")
        for output_format, template_name, output in ordered:
            produce = FORMATS[output_format].produce
            if produce is not None:
                files[output] = produce(page)
                continue
            # by path from the page's folder when below it (`proactive.csv`), else from the site's root
            sizes = {path.removeprefix(page.path): len(data) for path, data in files.items()}
            try:
                template = self.environment(output_format).get_template(template_name)
                text = template.render(site=site, page=page, url=url, asset=asset, sizes=sizes)
            except jinja2.TemplateSyntaxError as error:
                raise ContentInvalid([self._error(error.filename or error.name, error.lineno, error.message)]) from None
            except jinja2.TemplateError as error:
                at, line = _template_frame(error, self.templates) or (template_name, None)
                raise ContentInvalid([self._error(at, line, f"{error}（页面 {page.path or '/'}）")]) from None
            files[output] = text.encode("utf-8")
        return {output: files[output] for _, _, output in page.outputs}

    def _error(self, name: str | None, line: int | None, message: str | None) -> ContentError:
        """A template error naming the file as the site's author finds it: `templates/x.html`
        below the site folder, or the default theme's file."""
        path = Path(name or "?")
        for number, folder in enumerate(self.templates):
            candidate = path if path.is_absolute() else folder / path
            if candidate.is_file() and candidate.resolve().is_relative_to(folder.resolve()):
                relative = candidate.resolve().relative_to(folder.resolve()).as_posix()
                theirs = number == len(self.templates) - 1 and len(self.templates) > 1
                shown = f"templates/{relative}" + ("（gkml 默认主题）" if theirs else "")
                return ContentError(shown, f"模板错误：{message}", Origin(line, 1) if line else None)
        return ContentError(f"templates/{path.name}", f"模板错误：{message}", Origin(line, 1) if line else None)


def _template_frame(error: BaseException, folders: tuple[Path, ...]) -> tuple[str, int] | None:
    """The template file and line a runtime error was raised in: the innermost frame of the
    traceback that is a template's (Jinja gives template frames their file and line)."""
    roots = [str(folder.resolve()) for folder in folders]
    found = None
    trace = error.__traceback__
    while trace is not None:
        filename = trace.tb_frame.f_code.co_filename
        if any(filename.startswith(root) for root in roots):
            found = (filename, trace.tb_lineno)
        trace = trace.tb_next
    return found


def channel_list(channels: tuple[Channel, ...]) -> str:
    """Channels in one line, as a download's cell shows them: `政府网站（某县人民政府网）、两微一端`."""
    return "、".join(channel.kind.value + (f"（{channel.name}）" if channel.name else "") for channel in channels)
