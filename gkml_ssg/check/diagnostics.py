"""A finding of `gkml check`: a content problem (where, what, how to fix) and how serious it is.

Errors are what the build refuses; warnings are doubts the build lets through (a declared count
that does not match, extraction spacing, …). Both are a ContentError underneath, so they are
located, worded and formatted the same way as the build's errors.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from gkml_ssg.content.errors import ContentError


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Diagnostic:
    severity: Severity
    problem: ContentError

    def format(self) -> str:
        """One line, as the build prints its errors; a warning says so after its position."""
        return self.problem.format("警告：" if self.severity is Severity.WARNING else "")

    def as_json(self) -> dict[str, object]:
        """The shape documented in the README (`gkml check --format json`)."""
        problem = self.problem
        return {
            "file": problem.path,
            "line": problem.origin.line if problem.origin else None,
            "column": problem.origin.column if problem.origin else None,
            "field": problem.field,
            "code": problem.code,
            "severity": self.severity.value,
            "message": problem.message,
            "hint": problem.hint,
        }

    def sort_key(self) -> tuple[str, int, int]:
        return self.problem.position()


def errors(problems: list[ContentError]) -> list[Diagnostic]:
    return [Diagnostic(Severity.ERROR, problem) for problem in problems]
