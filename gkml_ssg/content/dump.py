"""The typed model → YAML text laid out like a hand-written agency file.

Keys are the model's Chinese keys in declaration order, except that lists of rows (目录, 事项,
条目) come after a value's other keys, as officers write them: the short facts first, then the
table. Absent values (None, empty text, empty lists) are not written; a multi-line text is
written as a literal block so that its line breaks read as they are.
"""

from __future__ import annotations

import dataclasses
import functools
from enum import Enum
from typing import Any

import yaml

from gkml_ssg.content.fields import yaml_fields


def model_tree(value: object) -> Any:
    """A model value as plain mappings, lists and strings, in the writing order."""
    if type(value) is str:
        return value
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple):
        return [model_tree(element) for element in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        facts: dict[str, Any] = {}
        rows: dict[str, Any] = {}
        for name, key in _written_fields(type(value)):
            written = getattr(value, name)
            if _absent(written):
                continue
            tree = model_tree(written)
            if _absent(tree):
                continue
            is_rows = isinstance(written, tuple) and dataclasses.is_dataclass(written[0]) and not _scalar_rows(written)
            (rows if is_rows else facts)[key] = tree
        return {**facts, **rows}
    return value


@functools.cache
def _written_fields(cls: type) -> tuple[tuple[str, str], ...]:
    """(attribute, YAML key) of each field a class writes, in declaration order."""
    return tuple((declared.name, info.key) for declared, info in yaml_fields(cls))


def _scalar_rows(rows: tuple) -> bool:
    """Channels are short values, not rows of a table."""
    return hasattr(type(rows[0]), "__scalar_field__")


def _absent(value: object) -> bool:
    return value is None or value == "" or value == () or value == [] or value == {}


def dump_yaml(value: object, header: list[str] | None = None) -> str:
    """The value as YAML text, with `header` lines written as comments on top."""
    comments = "".join(f"# {line}\n" for line in header or ())
    body = yaml.dump(model_tree(value), Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1_000_000, indent=2)
    return comments + body


class _Dumper(yaml.SafeDumper):
    """Lists indented under their key, as in the hand-written files."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _text(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    if "\n" in text and text == text.strip() and not any(line != line.rstrip() for line in text.split("\n")):
        return dumper.represent_scalar("tag:yaml.org,2002:str", text, style="|")
    return dumper.represent_str(text)


_Dumper.add_representer(str, _text)
