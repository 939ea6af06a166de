"""The main table's rows → the catalogue: categories (一级事项) with their items (二级事项).

A category is the run of rows with the same 过程 and 一级事项 text: merged cells repeat it down
their rows, and a category or stage repeated after a page break (a repeated header, a new
table) is the same category. A category written as a row of its own (a banner) names the rows
below it. A row whose 一级事项 cell is empty (not merged) stays in the running category, and the
row's 备注 says so. The 序号 column numbers the categories when every category's rows share one
number (a cell merged down the category), else the items.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from gkml_ssg.content.model import Category, Item
from gkml_ssg.form.columns import Column
from gkml_ssg.importing import cells
from gkml_ssg.importing.cells import RowJudge
from gkml_ssg.importing.report import Report
from gkml_ssg.importing.rows import Banner, Body, Row

NUMBERED = re.compile(
    r"^\s*(?:(?P<number>[一二三四五六七八九十百]{1,4}|\d{1,3})\s*[、.．]|[（(](?P<bracketed>[一二三四五六七八九十百]{1,4}|\d{1,3})[）)])\s*(?P<name>\S.*)$",
    re.S,
)


@dataclass
class _Group:
    name: str
    number: str | None
    stage: str | None
    banner: bool = False  # named by a row of its own: its rows leave the 一级事项 cell empty
    rows: list[tuple[Row, RowJudge]] = field(default_factory=list)
    types: list[tuple[str, ...]] = field(default_factory=list)


def split_number(text: str) -> tuple[str | None, str]:
    """`一、概况信息` → ("一", "概况信息"); an unnumbered name → (None, name)."""
    match = NUMBERED.match(text)
    return (match["number"] or match["bracketed"], match["name"].strip()) if match else (None, text)


def catalogue(rows: list[Body], report: Report) -> tuple[Category, ...]:
    groups: list[_Group] = []
    for entry in rows:
        if isinstance(entry, Banner):
            number, name = split_number(entry.text)
            groups.append(_Group(name, number, None, banner=True))
            continue
        if not isinstance(entry, Row):
            continue
        judge = RowJudge(report)
        written = cells.text(entry, Column.CATEGORY, judge)
        stage = cells.text(entry, Column.STAGE, judge)
        if written is None:
            if not groups:
                cell = entry.cell(Column.TITLE) or entry.cells[0][1]
                judge.judge(cell.where, "一级事项栏为空，且前面没有一级事项", "以本行二级事项作一级事项名称")
                groups.append(_Group(entry.text(Column.TITLE) or "（未填写）", None, stage))
            elif entry.cell(Column.CATEGORY) is not None and not groups[-1].banner:
                judge.judge(entry.cell(Column.CATEGORY).where, "一级事项栏为空（不是合并单元格）", f"归入上一个一级事项“{groups[-1].name}”")  # type: ignore[union-attr]
        else:
            number, name = split_number(written)
            last = groups[-1] if groups else None
            if last is None or (last.name, last.stage) != (name, stage if stage is not None else last.stage) or (number and number != last.number):
                groups.append(_Group(name, number, stage))
        groups[-1].rows.append((entry, judge))
        groups[-1].types.append(cells.five_types(entry, judge))
    groups = [group for group in groups if group.rows]
    numbered_categories = _numbers_are_categories(groups)
    return tuple(_category(group, numbered_categories) for group in groups)


def _numbers_are_categories(groups: list[_Group]) -> bool:
    """Whether the 序号 column numbers categories: no category's rows have two different numbers
    (a table split at a page break leaves the merged number's cell empty below the break), and
    some category has two rows of the same number."""
    shared = False
    for group in groups:
        numbers = [number for row, _ in group.rows if (number := row.text(Column.NUMBER))]
        if len(set(numbers)) > 1:
            return False
        shared = shared or len(numbers) > 1
    return shared


def _category(group: _Group, numbered_categories: bool) -> Category:
    number = group.number
    if numbered_categories:
        number = number or next((found for row, _ in group.rows if (found := row.text(Column.NUMBER))), None)
    stage = group.stage
    types = set(group.types)
    if stage is None and len(types) == 1 and (only := next(iter(types))):
        stage = "、".join(only)
    elif stage is None:
        for (_, judge), ticked in zip(group.rows, group.types, strict=True):
            if ticked:
                judge.remark(f"原表此行所属“五公开”类型为{'、'.join(ticked)}。")
    items = tuple(_item(row, judge, numbered_categories) for row, judge in group.rows)
    return Category(name=group.name, items=items, number=number, stage=stage)


def _item(row: Row, judge: RowJudge, numbered_categories: bool) -> Item:
    # A table with one level of 公开事项 (no 一级/二级 below it) names its items there.
    title = cells.text(row, Column.TITLE if row.cell(Column.TITLE) is not None else Column.ITEM, judge)
    return Item(
        title=title,
        number=None if numbered_categories else cells.text(row, Column.NUMBER, judge),
        slug=cells.slug(row, judge),
        index_number=cells.index_number(row, judge),
        content=cells.text(row, Column.CONTENT, judge),
        basis=cells.citations(row, Column.BASIS, "公开依据", judge),
        deadline=cells.text(row, Column.DEADLINE, judge),
        body=cells.text(row, Column.BODY, judge),
        channels=cells.channels(row, judge),
        audience=cells.audience(row, judge),
        mode=cells.mode(row, judge),
        level=cells.text(row, Column.LEVEL, judge),
        portal_section=cells.text(row, Column.SECTION, judge),
        subject=cells.text(row, Column.SUBJECT, judge),
        validity=cells.validity(row, judge),
        remarks=judge.remarks_with(cells.text(row, Column.REMARKS, judge)),
    )
