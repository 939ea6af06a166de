"""The report's first lines: what the file held, and how its declared counts compare."""

from __future__ import annotations

from gkml_ssg.content.model import Agency
from gkml_ssg.importing.parts import Parts
from gkml_ssg.importing.report import Report
from gkml_ssg.importing.rows import Row
from gkml_ssg.importing.tables_read import Layout


def summarise(report: Report, layout: Layout, agency: Agency, parts: Parts) -> None:
    for placed in layout.tables:
        names = "、".join(grid.name for grid in placed.grids)
        rows = sum(isinstance(row, Row) for row in placed.rows)
        report.read.append(f"{names}：{placed.kind.value}，{rows} 行")
    items = sum(len(category.items) for category in agency.catalogue)
    report.read.append(f"一级事项 {len(agency.catalogue)} 个，二级事项 {items} 项")
    if agency.on_request is not None:
        report.read.append(f"{agency.on_request.label or '依申请公开清单'}：{len(agency.on_request.entries)} 条")
    if agency.negative is not None:
        report.read.append(f"{agency.negative.label or '负面清单'}：{len(agency.negative.entries)} 条")
    found = [
        label
        for label, value in (
            ("标题", agency.catalogue_title), ("单位", agency.unit), ("声明数量", agency.declared),
            ("概述", agency.overview), ("注", agency.note), ("填表信息", agency.form),
        )
        if value is not None
    ]  # fmt: skip
    if found:
        report.read.append("还读到：" + "、".join(found))
    for text in parts.others:
        report.notes.append(f"表格外的文字“{text}”：不属于任何字段，未导入")
    declared = agency.declared
    if declared is not None:
        _compare(report, "主动公开一级事项", declared.proactive_categories, len(agency.catalogue))
        _compare(report, "主动公开二级事项", declared.proactive_items, items)
        on_request = len(agency.on_request.entries) if agency.on_request else 0
        _compare(report, "依申请公开二级事项", declared.on_request_items, on_request)


def _compare(report: Report, label: str, declared: int | None, counted: int) -> None:
    if declared is not None and declared != counted:
        report.notes.append(f"声明数量：表头声明{label} {declared} 项，表中读到 {counted} 项；照录声明，请核对（gkml check 也会指出）")
