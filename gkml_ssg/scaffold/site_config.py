"""content/site.yml of a new site, written from the model's declaration of the site configuration.

Every field of `SiteConfig` is written, its Chinese description (the field's doc) as a comment
above it, so that a field added to the model appears here without a change to this file. The
required fields and the footer a publishing build requires are filled in, the footer with values
that say they are examples; every other field is written commented out, with an example value
where there is one; a value holding fields (门户) is written with each of its own fields likewise.
"""

from __future__ import annotations

import dataclasses
import posixpath
import types
import typing
from enum import Enum
from typing import Any

import yaml

from gkml_ssg.content.fields import FieldInfo, yaml_fields
from gkml_ssg.content.model import SiteConfig
from gkml_ssg.content.production import REQUIRED_FOOTER

# Example values, by attribute path. A field without one is written with its default, or empty.
SITE_EXAMPLES: dict[str, object] = {
    "title": "示例县政务公开目录",
    "base_url": "https://www.example.gov.cn/gkml/",
    "description": "示例县各部门的政府信息公开目录：主动公开事项、依申请公开事项和负面清单，逐条可查。",
    "sponsor": "示例县人民政府办公室（请改为本单位）",
    "site_code": "示例标识码（请改为本站的网站标识码）",
    "icp": "示例ICP备00000000号（请改为本站的ICP备案号）",
    "police_record": "示例公网安备00000000000000号（请改为本站的公安备案号）",
    "contact": "示例电话 0000-0000000（请改为本单位的联系方式）",
    "edit_url": "https://git.example.gov.cn/shili/gkml/_edit/main/content/{path}",
    "partition": "省",
    "portal.name": "示例县人民政府",
    "portal.home": "https://www.example.gov.cn/",
    "portal.column": "https://www.example.gov.cn/zwgk/",
    "portal.logo": "logo.png",
    "portal.header_include": "/include/header.shtml",
    "portal.footer_include": "/include/footer.shtml",
    "licence.title": "知识共享署名 4.0 国际许可协议",
    "licence.url": "https://creativecommons.org/licenses/by/4.0/deed.zh-hans",
    "licence.name": "CC-BY-4.0",
}

HEADER = (
    "网站配置（由 gkml new 生成）。每项上方的注释说明它是什么；以 # 开头的行不起作用，",
    "去掉项目行首的“# ”即启用该项。带“示例”“请改为”字样的值请改为本单位的真实信息后再正式发布。",
)


def site_config_text(schema: str) -> str:
    """The text of site.yml; `schema`: site.schema.json's path relative to the content folder."""
    lines = [f"# yaml-language-server: $schema={posixpath.normpath(schema)}", *(f"# {line}" for line in HEADER)]
    for block in _blocks(SiteConfig, "", top=True):
        lines += ["", *block]
    return "\n".join(lines) + "\n"


def _blocks(cls: type, path: str, top: bool = False) -> list[list[str]]:
    """Per field of `cls`: its description as comment lines, then its YAML lines, commented out
    unless the field is required (or, at the top, a footer field a publishing build requires).
    Inside a value holding fields, its optional fields are commented out once more, so that
    removing one “# ” before each line of a block enables the block as it is."""
    hints = typing.get_type_hints(cls)
    blocks = []
    for declared, info in yaml_fields(cls):
        kind = _without_none(hints[declared.name])
        attribute = f"{path}{declared.name}"
        if isinstance(kind, type) and dataclasses.is_dataclass(kind):
            inner = [line for block in _blocks(kind, f"{attribute}.") for line in block]
            body = [f"{info.key}:", *(f"  {line}" for line in inner)]
        else:
            body = _entry(info.key, SITE_EXAMPLES.get(attribute, _default(declared)))
        active = _required(declared) or (top and declared.name in REQUIRED_FOOTER)
        comment = [f"# {line}" for line in _doc(info, kind).splitlines()]
        blocks.append(comment + (body if active else [f"# {line}" for line in body]))
    return blocks


def _entry(key: str, value: object) -> list[str]:
    if value is None:
        return [f"{key}:"]
    text = yaml.safe_dump({key: value}, allow_unicode=True, sort_keys=False, width=1_000_000)
    return text.rstrip("\n").splitlines()


def _doc(info: FieldInfo, kind: Any) -> str:
    """The field's doc; for a closed list of values, the values when the doc does not name them all."""
    if isinstance(kind, type) and issubclass(kind, Enum):
        values = [str(member.value) for member in kind]
        if not all(value in info.doc for value in values):
            return f"{info.doc}（可选值：{'、'.join(values)}）"
    return info.doc


def _default(declared: dataclasses.Field) -> object:
    default = declared.default
    if isinstance(default, Enum):
        return default.value
    return default if isinstance(default, str | int) and default != "" else None


def _required(declared: dataclasses.Field) -> bool:
    return declared.default is dataclasses.MISSING and declared.default_factory is dataclasses.MISSING


def _without_none(kind: Any) -> Any:
    if typing.get_origin(kind) in (typing.Union, types.UnionType):
        kept = [arg for arg in typing.get_args(kind) if arg is not type(None)]
        return kept[0] if len(kept) == 1 else kind
    return kind
