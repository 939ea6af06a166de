"""The terms the site's data may be reused on (site.yml's 数据许可): the data package
(`datapackage.json`) and the downloads page state them, so that whoever takes the CSV files
knows what they may do with them.
"""

from __future__ import annotations

from dataclasses import dataclass

from gkml_ssg.content.fields import yaml_field
from gkml_ssg.content.portal import LINK, LINK_HINT

# An SPDX or Open Definition identifier, as the Frictionless standard names a licence.
LICENCE_ID = r"^[A-Za-z0-9][A-Za-z0-9.+-]*$"


@dataclass(frozen=True)
class DataLicence:
    title: str = yaml_field("标题", "许可的名称，如“知识共享署名 4.0 国际许可协议”。")
    url: str = yaml_field("网址", "许可全文的地址。", pattern=LINK, pattern_hint=LINK_HINT)
    name: str | None = yaml_field(
        "标识", "许可的标准标识（SPDX），如“CC-BY-4.0”“CC0-1.0”；没有标准标识的许可不填。", default=None,
        pattern=LICENCE_ID, pattern_hint="请写许可的英文标识，只用字母、数字、点、加号和连字符，如“CC-BY-4.0”",
    )
