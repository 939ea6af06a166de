"""Content errors that name file, line, column and YAML field, in Chinese."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Origin:
    """Where a value starts in its source file (1-based)."""

    line: int
    column: int


@dataclass(frozen=True)
class ContentError:
    path: str
    message: str
    origin: Origin | None = None
    field: str | None = None
    hint: str | None = None
    # A stable name for the kind of problem (`unknown-field`, `slug-conflict`, …): tools that read
    # `gkml check --format json` match on it, never on the Chinese message, which may be reworded.
    code: str = "invalid"

    def format(self, label: str = "") -> str:
        """`file:line:column: ` (where editors look for it), then `label` (e.g. 警告：), field and message."""
        where = self.path
        if self.origin is not None:
            where += f":{self.origin.line}:{self.origin.column}"
        text = f"{where}: {label}"
        if self.field:
            text += f"字段“{self.field}”："
        text += self.message
        if self.hint:
            text += f"（{self.hint}）"
        return text

    def position(self) -> tuple[str, int, int]:
        """Where it is, for listing problems in file order (a whole-file problem first)."""
        return (self.path, self.origin.line if self.origin else 0, self.origin.column if self.origin else 0)


class ContentInvalid(Exception):
    """Raised by a stage when content has errors; carries every error of the run."""

    def __init__(self, errors: list[ContentError]):
        self.errors = sorted(errors, key=ContentError.position)
        super().__init__("\n".join(e.format() for e in self.errors))
