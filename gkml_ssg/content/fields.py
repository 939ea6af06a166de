"""How a model attribute is written in YAML: its Chinese key, its description, its constraints.

The model's dataclasses declare every attribute with `yaml_field`; the decoder and the JSON
Schema exporter both read this one declaration, so the editor's hints and the build's errors can
never disagree.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"


@dataclass(frozen=True)
class FieldInfo:
    key: str  # the YAML key, in the officers' own vocabulary
    doc: str  # shown by editors while typing and in the README
    pattern: str | None = None  # a regular expression a text value must match
    pattern_hint: str | None = None  # what to write instead when the pattern does not match
    markdown: bool = False  # rendered as Markdown (raw HTML is never passed through)
    non_empty: bool = False  # a list that must have at least one entry


def yaml_field(key: str, doc: str, *, default: Any = dataclasses.MISSING, **info: Any) -> Any:
    return dataclasses.field(default=default, metadata={"yaml": FieldInfo(key, doc, **info)})


def field_info(field: dataclasses.Field) -> FieldInfo | None:
    return field.metadata.get("yaml")


def yaml_fields(cls: type) -> list[tuple[dataclasses.Field, FieldInfo]]:
    return [(f, info) for f in dataclasses.fields(cls) if (info := field_info(f)) is not None]
