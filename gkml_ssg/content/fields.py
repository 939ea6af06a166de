"""How a model attribute is written in YAML: its Chinese key, its description, its constraints,
and whether a reader can search for it.

The model's dataclasses declare every attribute with `yaml_field`; the decoder, the JSON Schema
exporter and the search index all read this one declaration, so the editor's hints and the
build's errors can never disagree, and a new field is searchable by being declared.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import Enum
from typing import Any

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
# A slug is one segment of a page's address and the name of its output folder, and an agency's
# defaults to its file's name: 64 characters (as a DNS label's 63) is four times the longest real
# slug (`huinong-yibao`), keeps `agencies/<slug>/items/<slug>/index.html` readable and short to
# share, and far below the 255 bytes a file name may have.
SLUG_MAX_LENGTH = 64


@dataclass(frozen=True)
class FieldInfo:
    key: str  # the YAML key, in the officers' own vocabulary
    doc: str  # shown by editors while typing and in the README
    pattern: str | None = None  # a regular expression a text value must match
    pattern_hint: str | None = None  # what to write instead when the pattern does not match
    # Why a value the pattern refuses is wrong, in Chinese (the pattern alone decides; None: “格式不对”)
    explain: Callable[[str], str | None] | None = None
    # What is wrong with a value the pattern accepts (a code's check character), in Chinese; None: nothing
    check: Callable[[str], str | None] | None = None
    max_length: int | None = None  # of a text value, in characters
    maximum: int | None = None  # of an integer value
    markdown: bool = False  # rendered as Markdown (raw HTML is never passed through)
    non_empty: bool = False  # a list that must have at least one entry
    one_or_more: bool = False  # a list that may be written as its one value, without the list
    # Part of the text a reader searches (the page that shows the row): every field a page shows
    # as text, but not a row's title (the record's own), its number, its URL slug, counts, or the
    # rows of another page.
    searchable: bool = True
    cited: bool = False  # legal bases (公开依据 and grounds for not disclosing): the legal-basis index lists them


def yaml_field(key: str, doc: str, *, default: Any = dataclasses.MISSING, **info: Any) -> Any:
    return dataclasses.field(default=default, metadata={"yaml": FieldInfo(key, doc, **info)})


@functools.cache
def yaml_key(cls: type, attribute: str) -> str:
    """The YAML key of a model attribute, from its declaration (the model is the only place it is spelled)."""
    return next(info.key for declared, info in yaml_fields(cls) if declared.name == attribute)


def field_info(field: dataclasses.Field) -> FieldInfo | None:
    return field.metadata.get("yaml")


def yaml_fields(cls: type) -> list[tuple[dataclasses.Field, FieldInfo]]:
    return [(f, info) for f in dataclasses.fields(cls) if (info := field_info(f)) is not None]


def searchable_texts(value: object) -> Iterator[str]:
    """The texts of a model value a reader can search for, in declaration order: its searchable
    fields' strings, enum values, and those of the rows and values they hold."""
    if isinstance(value, Enum):
        yield str(value.value)
    elif isinstance(value, str):
        if value:
            yield value
    elif isinstance(value, tuple):
        for element in value:
            yield from searchable_texts(element)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for name in _searchable_names(type(value)):
            yield from searchable_texts(getattr(value, name))


def cited_texts(row: object) -> tuple[str, ...]:
    """The legal bases a row cites, in order: the values of its fields declared `cited`."""
    return tuple(text for name in _cited_names(type(row)) for text in getattr(row, name))


# A province has hundreds of thousands of rows: each class's declarations are read once.
_SEARCHABLE: dict[type, tuple[str, ...]] = {}
_CITED: dict[type, tuple[str, ...]] = {}


def _searchable_names(cls: type) -> tuple[str, ...]:
    if cls not in _SEARCHABLE:
        _SEARCHABLE[cls] = tuple(declared.name for declared, info in yaml_fields(cls) if info.searchable)
    return _SEARCHABLE[cls]


def _cited_names(cls: type) -> tuple[str, ...]:
    if cls not in _CITED:
        _CITED[cls] = tuple(declared.name for declared, info in yaml_fields(cls) if info.cited)
    return _CITED[cls]
