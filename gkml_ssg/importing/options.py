"""What the officer tells the importer on the command line."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ImportOptions:
    region: tuple[str, str, str] | None = None  # 省, 市, 区县
    name: str | None = None
    slug: str | None = None
    mapping: Path | None = None
    comments: tuple[str, ...] = ()  # comment lines for the top of the YAML (the editor schema)
