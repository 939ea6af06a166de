"""`gkml check`: everything the build validates, and the warnings of `lint`, without writing a file.

It runs the build's own validation (loading the content folder and assembling the page graph)
with no content cache and no output folder, so it cannot disagree with the build, and a check in
a pre-commit hook or CI leaves the working tree exactly as it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from gkml_ssg.audit.coverage import unknown_numbers
from gkml_ssg.build.options import BuildOptions, portal_assets, static_files
from gkml_ssg.check.diagnostics import Diagnostic, Severity, errors
from gkml_ssg.check.index_lint import shared_codes
from gkml_ssg.check.lint import lint_agency
from gkml_ssg.content.errors import ContentInvalid
from gkml_ssg.content.load import Content, load_content
from gkml_ssg.content.origins import FileOrigins
from gkml_ssg.content.references import site_references
from gkml_ssg.render.parallel import default_workers
from gkml_ssg.site.graph import assemble
from gkml_ssg.site.nodes import catalogue_items


@dataclass(frozen=True)
class CheckReport:
    source: Path
    diagnostics: tuple[Diagnostic, ...]  # by file, line and column
    agency_count: int | None  # None when the content did not load (its warnings are then unchecked)

    @property
    def error_count(self) -> int:
        return sum(1 for d in self.diagnostics if d.severity is Severity.ERROR)

    @property
    def warning_count(self) -> int:
        return sum(1 for d in self.diagnostics if d.severity is Severity.WARNING)

    def passed(self, strict: bool = False) -> bool:
        return self.error_count == 0 and not (strict and self.warning_count)

    def summary(self, strict: bool = False) -> str:
        verdict = "检查通过" if self.passed(strict) else "检查失败"
        if self.agency_count is None:
            return f"{verdict}：{self.error_count} 处错误（内容无法加载，改正后才会检查警告）"
        text = f"{verdict}：{self.agency_count} 个机构，{self.error_count} 处错误，{self.warning_count} 处警告"
        if strict and self.error_count == 0 and self.warning_count:
            text += "（--strict：警告也算失败）"
        return text

    def as_json(self, strict: bool = False) -> dict[str, object]:
        """The document `gkml check --format json` prints (its shape is in the README)."""
        return {
            "source": str(self.source),
            "passed": self.passed(strict),
            "agencies": self.agency_count,
            "errors": self.error_count,
            "warnings": self.warning_count,
            "diagnostics": [d.as_json() for d in self.diagnostics],
        }


def check_content(source: Path, workers: int | None = None) -> CheckReport:
    """Check the content folder `source`: the build's errors, then (once it loads) the warnings.
    Files are parsed on `workers` processes (default: the CPU count), as the build parses them."""
    try:
        content = load_content(source, workers=default_workers() if workers is None else workers)
    except ContentInvalid as invalid:
        return CheckReport(source, tuple(errors(invalid.errors)), None)
    found: list[Diagnostic] = []
    try:
        site = assemble(content)
        # the static files the site's pages need (the portal's logo), as the build looks for them
        portal_assets(static_files(BuildOptions(source=source).static_folders), content.config)
        # the reference catalogues `gkml coverage` checks the items against, and the items' 对应标准事项
        references, reference_errors = site_references(source)
        found += errors([*reference_errors, *unknown_numbers(references, catalogue_items(site.loaded_agencies()))])
    except ContentInvalid as invalid:
        found += errors(invalid.errors)
    found += _warnings(source, content)
    return CheckReport(source, tuple(sorted(found, key=Diagnostic.sort_key)), len(content.agencies))


def _warnings(source: Path, content: Content) -> list[Diagnostic]:
    # The values' own lines come from the file's node tree (the model keeps only the rows').
    return [
        *(
            warning
            for agency in content.agencies
            for warning in lint_agency(agency.path, agency.agency, FileOrigins(source / agency.path))
        ),
        *shared_codes((agency.path, agency.agency) for agency in content.agencies),
    ]
