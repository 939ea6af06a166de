"""The facts an officers' form has no place for: the 说明 table (机构名称, 省, 市, 区县, 地区备注,
网址标识, 目录备注, a category's 备注) that `gkml export` writes, and the options. An option wins
over the table; what neither gives is listed in the report for the officer to fill in."""

from __future__ import annotations

import re
from dataclasses import replace

from gkml_ssg.content.model import Agency, Region
from gkml_ssg.importing.options import ImportOptions
from gkml_ssg.importing.report import Report

_CATEGORY_REMARK = re.compile(r"^第(\d+)个一级事项“(.*)”的备注$")
KNOWN = {"机构名称", "省", "市", "区县", "地区备注", "网址标识", "机构代码", "索引号已编至", "目录备注"}


def apply_facts(agency: Agency, facts: dict[str, str], options: ImportOptions, report: Report) -> Agency:
    def fact(key: str) -> str | None:
        return facts.get(key) or None

    name = options.name or fact("机构名称") or agency.name
    province, city, county = options.region or (fact("省") or "", fact("市") or "", fact("区县") or "")
    region = Region(province, city, county, fact("地区备注") if not options.region else None)
    categories = list(agency.catalogue)
    for key, value in facts.items():
        match = _CATEGORY_REMARK.match(key)
        if match is None:
            if key not in KNOWN and value:
                report.note("说明表", f"“{key}”不是可导入的项目", "未导入")
            continue
        index = int(match[1]) - 1
        if 0 <= index < len(categories) and categories[index].name == match[2]:
            categories[index] = replace(categories[index], remarks=value or None)
        else:
            report.note("说明表", f"“{key}”对应不到目录中的一级事项", "未导入")
    agency = replace(
        agency,
        name=name,
        region=region,
        slug=options.slug or fact("网址标识"),
        code=fact("机构代码"),
        index_mark=fact("索引号已编至"),
        remarks=fact("目录备注") or agency.remarks,
        catalogue=tuple(categories),
    )
    if not agency.name:
        report.missing.append("名称：表格标题中找不到机构名称，请用 --name 指定（如 --name 惠农区医疗保障局）")
    if not all((region.province, region.city, region.county)):
        report.missing.append("地区：表格中没有省、市、区县，请用 --region 指定（如 --region 宁夏回族自治区/石嘴山市/惠农区）")
    if agency.slug is None:
        report.notes.append("网址标识：未指定（可用 --slug 指定）；省略时网站用文件名作网址标识")
    return agency
