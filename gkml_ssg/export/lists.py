"""The attachment lists (依申请公开, 负面清单) and the 说明 table.

The on-request list has the form's two header rows (公开事项 over 一级事项 and 二级事项); the
negative list, as the catalogues print it, one. The 说明 table holds what the agency's file says
and the officers' form has no place for, so that nothing of the agency is lost on the way out.
"""

from __future__ import annotations

from collections.abc import Callable

from gkml_ssg.content.model import Agency, NegativeEntry, NegativeList, OnRequestEntry, OnRequestList
from gkml_ssg.export.layout import Attachment, Field, Table, build_table, lines, optional_fields, text
from gkml_ssg.form.columns import Column

ON_REQUEST_SHEET = "依申请公开"
NEGATIVE_SHEET = "负面清单"
NOTES_HEADER = ("项目", "内容")


def _pinned() -> list[tuple[str, Callable[[OnRequestEntry | NegativeEntry], str | None]]]:
    """The columns of what an entry may pin: its address and its 索引号."""
    return [(Column.SLUG.value, lambda entry: entry.slug), (Column.INDEX_NUMBER.value, lambda entry: entry.index_number)]


def on_request_table(listed: OnRequestList) -> Table:
    item = Column.ITEM.value
    fields: list[Field[OnRequestEntry]] = [
        Field(Column.NUMBER.value, lambda entry: text(entry.number)),
        Field(Column.CATEGORY.value, lambda entry: text(entry.category), item),
        Field(Column.TITLE.value, lambda entry: entry.title, item),
        Field(Column.WITHHELD_CONTENT.value, lambda entry: text(entry.content)),
        Field(Column.WITHHELD_GROUNDS.value, lambda entry: lines(entry.grounds)),
        Field(Column.OFFICE.value, lambda entry: text(entry.office)),
        Field(Column.UPDATE_CYCLE.value, lambda entry: text(entry.update_cycle)),
        Field(Column.REVIEW.value, lambda entry: text(entry.review_procedure)),
    ]
    fields += optional_fields(listed.entries, _pinned())
    fields.append(Field(Column.REMARKS.value, lambda entry: text(entry.remarks)))
    return build_table(fields, listed.entries, header_rows=2)


def negative_table(listed: NegativeList) -> Table:
    fields: list[Field[NegativeEntry]] = [
        Field(Column.NUMBER.value, lambda entry: text(entry.number)),
        Field(Column.NEGATIVE_KIND.value, lambda entry: text(entry.kind)),
        Field(Column.ITEM.value, lambda entry: entry.title),
        Field(Column.NEGATIVE_CONTENT.value, lambda entry: text(entry.content)),
        Field(Column.NEGATIVE_GROUNDS.value, lambda entry: lines(entry.grounds)),
        Field(Column.OFFICE.value, lambda entry: text(entry.office)),
        Field(Column.UPDATE_CYCLE.value, lambda entry: text(entry.update_cycle)),
    ]
    fields += optional_fields(listed.entries, _pinned())
    fields.append(Field(Column.REMARKS.value, lambda entry: text(entry.remarks)))
    return build_table(fields, listed.entries, header_rows=1)


def attachments(agency: Agency) -> list[Attachment]:
    """The on-request list, then the negative list, those the agency has."""
    found: list[Attachment] = []
    if agency.on_request is not None:
        listed = agency.on_request
        found.append(Attachment(listed.label or ON_REQUEST_SHEET, listed.label, listed.title, on_request_table(listed)))
    if agency.negative is not None:
        negative = agency.negative
        found.append(Attachment(negative.label or NEGATIVE_SHEET, negative.label, negative.title, negative_table(negative)))
    return found


def notes_table(agency: Agency) -> Table:
    """`项目 | 内容`, then a row for each fact the agency has and the form cannot hold: its name,
    region, address, remarks, and each category's remarks (named by position, since names may
    repeat)."""
    region = agency.region
    facts: list[tuple[str, str | None]] = [
        ("机构名称", agency.name),
        ("省", region.province),
        ("市", region.city),
        ("区县", region.county),
        ("地区备注", region.remarks),
        (Column.SLUG.value, agency.slug),
        ("机构代码", agency.code),
        ("索引号已编至", agency.index_mark),
        ("目录备注", agency.remarks),
    ]
    for position, category in enumerate(agency.catalogue, start=1):
        facts.append((f"第{position}个一级事项“{category.name}”的备注", category.remarks))
    rows = [NOTES_HEADER] + [(name, value) for name, value in facts if value is not None]
    return Table(tuple(rows), (), header_rows=1)
