"""Where each value of a YAML file starts, by the key path the decoder names it with.

The model keeps an origin only for rows (items, entries, categories, the agency). A warning about
one field of a row should point at that field's own line, so `gkml check` parses the file's node
tree again and looks the field up here; the paths are built exactly as the decoder builds them
(`目录[1].事项[2].公开依据[1]`), so a warning and an error about one value name it alike.
"""

from __future__ import annotations

import collections.abc
import functools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from gkml_ssg.content.errors import Origin
from gkml_ssg.content.yamlnodes import Mapping, Node, Sequence, YamlRefused, decode_utf8, parse


def value_origins(root: Node) -> dict[str, Origin]:
    found: dict[str, Origin] = {}

    def walk(node: Node, path: str) -> None:
        if path:
            found[path] = node.origin
        if isinstance(node, Mapping):
            for key, value in node.entries:
                walk(value, f"{path}.{key.value}" if path else key.value)
        elif isinstance(node, Sequence):
            for index, item in enumerate(node.items, start=1):
                walk(item, f"{path}[{index}]")

    walk(root, "")
    return found


@dataclass(frozen=True)
class FileOrigins(collections.abc.Mapping[str, Origin]):
    """The origins of a file's values, read and parsed at the first lookup: a file without
    warnings is never parsed a second time. Empty when the file is gone or no longer parses
    (the row's origin then stands in)."""

    path: Path

    @functools.cached_property
    def _found(self) -> dict[str, Origin]:
        try:
            return value_origins(parse(decode_utf8(self.path.read_bytes())))
        except (OSError, YamlRefused):
            return {}

    def __getitem__(self, field: str) -> Origin:
        return self._found[field]

    def __iter__(self) -> Iterator[str]:
        return iter(self._found)

    def __len__(self) -> int:
        return len(self._found)
