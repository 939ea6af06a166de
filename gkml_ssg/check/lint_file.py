"""What every warning of `gkml check` is worded with: the agency file it is about and where its
values are."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from gkml_ssg.check.diagnostics import Diagnostic, Severity
from gkml_ssg.content.errors import ContentError, Origin


@dataclass(frozen=True)
class LintFile:
    """One agency file: where its values are, and how to word a warning about one of them."""

    path: str
    origins: Mapping[str, Origin]

    def line_of(self, field: str) -> int | None:
        origin = self.origins.get(field)
        return origin.line if origin else None

    def warning(self, code: str, field: str, message: str, hint: str | None, near: Origin | None) -> Diagnostic:
        # `near` is the row's origin, for a value the node tree does not have (it always should)
        origin = self.origins.get(field, near)
        return Diagnostic(Severity.WARNING, ContentError(self.path, message, origin, field, hint, code))
