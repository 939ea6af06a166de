"""Which region an agency file belongs to, read from its `地区` without decoding the file, so that a
build of one region (`gkml build --only 省[/市]`) decodes only that region's files.

The YAML parser's events are read only as far as the top-level `地区` mapping (the second key of
an agency file, a few hundred bytes in); a file where it cannot be found that way is decoded in full
by the caller, whose own check of the region is then the one that counts.
"""

from __future__ import annotations

from dataclasses import dataclass

import yaml

from gkml_ssg.content.errors import ContentError
from gkml_ssg.content.load import decode_file
from gkml_ssg.content.model import Agency, Partition, Region

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_HEAD_BYTES = 8192  # the start of a file that holds its 地区, read before the rest


@dataclass(frozen=True)
class RegionFilter:
    """A province, or a province and one of its cities (`--only 省[/市]`)."""

    province: str
    city: str | None = None

    @classmethod
    def parse(cls, text: str) -> RegionFilter | None:
        """`宁夏回族自治区` or `宁夏回族自治区/石嘴山市`; None when it is neither."""
        parts = [part.strip() for part in text.split("/")]
        if not 1 <= len(parts) <= 2 or not all(parts):
            return None
        return cls(parts[0], parts[1] if len(parts) == 2 else None)

    def holds(self, province: str, city: str) -> bool:
        return province == self.province and (self.city is None or city == self.city)

    def holds_region(self, region: Region) -> bool:
        return self.holds(region.province, region.city)

    def fits(self, partition: Partition) -> bool:
        """Whether it is a whole number of the site's regions (a city of a site built by province
        is not: its province's search shards would be split between builds)."""
        return self.city is None or partition is Partition.CITY

    def __str__(self) -> str:
        return self.province if self.city is None else f"{self.province}/{self.city}"


def peek_region(data: bytes) -> tuple[str, str] | None:
    """(省, 市) of an agency file's top-level `地区`, or None when they cannot be read this way."""
    found = _peek(data[:_HEAD_BYTES])
    if found is None and len(data) > _HEAD_BYTES:
        found = _peek(data)
    return found


def decoded_region(relative: str, data: bytes) -> tuple[tuple[str, str] | None, list[ContentError]]:
    """(省, 市) of an agency file, from its start when that tells (`peek_region`), else decoded in
    full; None and the decoder's errors when the file does not decode."""
    found = peek_region(data)
    if found is not None:
        return found, []
    value, errors = decode_file(relative, data, Agency)
    return ((value.region.province, value.region.city) if isinstance(value, Agency) and not errors else None), errors


def _peek(data: bytes) -> tuple[str, str] | None:
    depth = 0
    expecting_key = False  # at the top level of the file's mapping, the next scalar is a key
    in_region = False
    key: str | None = None
    region: dict[str, str] = {}
    try:
        for event in yaml.parse(data, Loader=_LOADER):
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if in_region:
                    return None  # a nested value inside 地区: not a plain region, decode the file
                if depth == 2 and in_region is False and key == "地区" and isinstance(event, yaml.MappingStartEvent):
                    in_region = True
                    key = None
                elif depth == 1:
                    expecting_key = True
                continue
            if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
                if in_region and depth == 1:
                    return (region["省"], region["市"]) if "省" in region and "市" in region else None
                if depth == 1:
                    expecting_key = True
                continue
            if isinstance(event, yaml.AliasEvent):
                if in_region:
                    return None
                if depth == 1:
                    expecting_key = not expecting_key
                continue
            if not isinstance(event, yaml.ScalarEvent):
                continue
            if in_region and depth == 2:
                if key is None:
                    key = event.value
                else:
                    region[key], key = event.value, None
            elif depth == 1:
                if expecting_key:
                    key = event.value
                expecting_key = not expecting_key
    except yaml.YAMLError:
        return None
    return None
