"""`datapackage.json`: the site's downloads described as a Frictionless Tabular Data Package, so
that a platform or an analyst can load and check them without reading our pages.

Each list has a table schema (`downloads/<list>.schema.json`) made from its CSV's own header row:
every column a string, described in Chinese, with the values the model allows where it allows
only some, and each row's page address as its primary key. Every CSV of the site, the gathered
ones and each agency's, is a resource that names its list's schema; the gathered ones also carry
their size and SHA-256, so that `frictionless validate` checks the files are the ones described.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from gkml_ssg.content.model import Audience, Mode, SiteConfig, Validity
from gkml_ssg.site.kinds import DOWNLOADS_FOLDER, GatheredList

PRIMARY_KEY = "网址"
# What each column of the lists holds, by its header (a column a site's own template adds is
# described by its header alone).
COLUMN_DESCRIPTIONS = {
    "发布机构": "发布机构：目录所属机构的名称。",
    "索引号": "索引号：机构代码/年份-序号，每个条目唯一，编定后不再改变（政府信息公开目录系统实施指引的核心元数据）；机构未填机构代码时为空。",
    "省": "机构所在的省、自治区、直辖市。",
    "市": "机构所在的市、州、盟（直辖市下的区县留空）。",
    "区县": "机构所在的县、区、旗。",
    "过程": "事项所属的过程或环节（部分目录按过程分组）。",
    "一级事项": "事项所属的一级事项（类别）。",
    "二级事项": "事项的名称（二级事项）。",
    "序号": "事项在原目录中的序号，照原文。",
    "公开内容": "公开内容（要素）。",
    "公开依据": "公开依据：法律、法规、规章和文件，每行一条。",
    "公开时限": "信息形成或变更后公开的时限。",
    "公开主体": "负责公开的机构或科室。",
    "公开渠道和载体": "公开的渠道和载体，以顿号分隔；括号内为具体网站或账号。",
    "公开对象": "公开对象：全社会，或特定群体。",
    "公开方式": "公开方式：主动，或依申请。",
    "公开层级": "公开的层级（如县级、市级）。",
    "网站所属栏目": "信息在政府网站上所在的栏目。",
    "主题分类": "信息的主题分类。",
    "有效性": "信息是否有效：有效，或已废止。",
    "备注": "原目录的备注，及录入时的说明。",
    "网址": "该条目在本站的页面地址，唯一标识一行。",
    "不予主动公开的内容": "不予主动公开、可依申请公开的内容。",
    "不予主动公开的依据": "不予主动公开的依据，每行一条。",
    "责任科室": "负责该事项的科室。",
    "信息产生时间或更新周期": "信息产生的时间或更新的周期。",
    "依申请公开审核程序": "依申请公开时的审核程序。",
    "事项类别": "负面清单条目的类别。",
    "公开事项": "不予公开的事项。",
    "内容": "不予公开的内容。",
    "不予公开的依据": "不予公开的依据，每行一条。",
}
# The values the model allows in a column (an empty cell is a missing value).
COLUMN_VALUES = {
    "公开对象": [value.value for value in Audience],
    "公开方式": [value.value for value in Mode],
    "有效性": [value.value for value in Validity],
}
_NOT_IN_NAME = re.compile(r"[^a-z0-9._-]+")


@dataclass(frozen=True)
class CsvFile:
    """A CSV of the site: its path from the site's root and its bytes."""

    path: str
    data: bytes


@dataclass(frozen=True)
class AgencyCsv:
    listed: GatheredList
    slug: str
    agency: str  # its name, in the resource's title
    path: str


def schema_path(listed: GatheredList) -> str:
    return f"{DOWNLOADS_FOLDER}{listed.name}.schema.json"


def table_schema(listed: GatheredList, header: Sequence[str]) -> bytes:
    """The table schema of a list whose CSV has this header row."""
    fields = []
    for name in header:
        field: dict[str, object] = {"name": name, "title": name, "type": "string"}
        if name in COLUMN_DESCRIPTIONS:
            field["description"] = COLUMN_DESCRIPTIONS[name]
        constraints: dict[str, object] = {}
        if name in COLUMN_VALUES:
            constraints["enum"] = COLUMN_VALUES[name]
        if name in ("发布机构", PRIMARY_KEY):
            constraints["required"] = True
        if name == "索引号":
            constraints["unique"] = True
        if constraints:
            field["constraints"] = constraints
        fields.append(field)
    schema: dict[str, object] = {"fields": fields, "missingValues": [""]}
    if PRIMARY_KEY in header:
        schema["primaryKey"] = [PRIMARY_KEY]
    return _json(schema)


def data_package(
    config: SiteConfig, homepage: str, gathered: Sequence[tuple[GatheredList, CsvFile]], agencies: Sequence[AgencyCsv]
) -> bytes:
    """The descriptor of the site's CSVs: the gathered ones first, then each agency's."""
    resources = [
        {
            **_resource(listed, listed.name, file.path, f"{listed.title}（全部机构）", listed.description),
            "bytes": len(file.data),
            "hash": "sha256:" + hashlib.sha256(file.data).hexdigest(),
        }
        for listed, file in gathered
    ]
    resources += [
        _resource(entry.listed, f"{entry.listed.name}-{entry.slug}", entry.path, f"{entry.agency}：{entry.listed.title}")
        for entry in agencies
    ]
    descriptor: dict[str, object] = {
        "profile": "tabular-data-package",
        "name": _NOT_IN_NAME.sub("-", (urlsplit(homepage).hostname or "").lower()).strip("-") or "gkml",
        "title": config.title,
        "description": "政府信息公开目录的开放数据：各机构的主动公开事项、依申请公开事项和负面清单。",
        "homepage": homepage,
        "keywords": ["政务公开", "政府信息公开目录", "主动公开", "依申请公开", "负面清单"],
        "sources": [{"title": config.title, "path": homepage}],
    }
    if config.licence is not None:
        licence: dict[str, str] = {"title": config.licence.title, "path": config.licence.url}
        if config.licence.name is not None:
            licence["name"] = config.licence.name
        descriptor["licenses"] = [licence]
    descriptor["resources"] = resources
    return _json(descriptor)


def _resource(listed: GatheredList, name: str, path: str, title: str, description: str | None = None) -> dict[str, object]:
    resource: dict[str, object] = {
        "name": name,
        "path": path,
        "profile": "tabular-data-resource",
        "title": title,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8-sig",  # a byte-order mark first, for Excel
        "schema": schema_path(listed),
    }
    if description is not None:
        resource["description"] = description
    return resource


def _json(value: object) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
