"""The main list: the paragraphs above the table, the table itself, and the paragraphs below it.

The table has the columns of the national catalogue form in the form's order; a column the form
only sometimes has (过程, 公开层级, 网站所属栏目) or that only the model has (网址标识) is written
when some row uses it, so that an empty column never suggests the source had one.
"""

from __future__ import annotations

from collections.abc import Sequence

from gkml_ssg.content.model import Agency, Audience, Category, ChannelKind, DeclaredCounts, FormInfo, Item, Mode, Overview
from gkml_ssg.export.layout import TICK, Field, Table, build_table, lines, merge_down, optional_fields, text
from gkml_ssg.form.channels import channel_text
from gkml_ssg.form.columns import Column

Row = tuple[Category, Item]

TICKED = "☑"
UNTICKED = "☐"
# The sign-off words of the form: they head values, not columns, so `Column` does not list them.
SIGN_OFF_SEPARATOR = "\u3000\u3000"
OVERVIEW = "概述"


def category_label(category: Category) -> str:
    """`一、概况信息` as the form numbers a category; the bare name when it has no number."""
    return category.name if category.number is None else f"{category.number}、{category.name}"


def channels_cell(item: Item) -> str:
    """The channel cell as the printed form has it: the item's ticked channels in its order, then
    an empty box for each of the 13 kinds none of them is."""
    ticked = [TICKED + channel_text(channel) for channel in item.channels]
    used = {channel.kind for channel in item.channels}
    unticked = [UNTICKED + kind.value for kind in ChannelKind if kind not in used]
    return lines(ticked + unticked)


def _tick(value: object, wanted: object) -> str:
    return TICK if value == wanted else ""


def _fields(rows: Sequence[Row]) -> list[Field[Row]]:
    """The columns the rows need, in the form's order."""
    fields: list[Field[Row]] = [Field(Column.NUMBER.value, lambda row: text(row[1].number))]
    if any(category.stage is not None for category, _ in rows):
        fields.append(Field(Column.STAGE.value, lambda row: text(row[0].stage)))
    item = Column.ITEM.value
    fields += [
        Field(Column.CATEGORY.value, lambda row: category_label(row[0]), item),
        Field(Column.TITLE.value, lambda row: text(row[1].title), item),
        Field(Column.CONTENT.value, lambda row: text(row[1].content)),
        Field(Column.BASIS.value, lambda row: lines(row[1].basis)),
        Field(Column.DEADLINE.value, lambda row: text(row[1].deadline)),
        Field(Column.BODY.value, lambda row: text(row[1].body)),
        Field(Column.CHANNELS.value, lambda row: channels_cell(row[1])),
        Field(Column.PUBLIC.value, lambda row: _tick(row[1].audience, Audience.PUBLIC), Column.AUDIENCE.value),
        Field(Column.GROUP.value, lambda row: _tick(row[1].audience, Audience.SPECIFIC_GROUP), Column.AUDIENCE.value),
        Field(Column.PROACTIVE.value, lambda row: _tick(row[1].mode, Mode.PROACTIVE), Column.MODE.value),
        Field(Column.ON_REQUEST.value, lambda row: _tick(row[1].mode, Mode.ON_REQUEST), Column.MODE.value),
    ]
    fields += optional_fields(
        rows,
        [
            (Column.LEVEL.value, lambda row: row[1].level),
            (Column.SECTION.value, lambda row: row[1].portal_section),
            (Column.SUBJECT.value, lambda row: row[1].subject),
            (Column.VALIDITY.value, lambda row: row[1].validity.value if row[1].validity else None),
            (Column.SLUG.value, lambda row: row[1].slug),
            (Column.INDEX_NUMBER.value, lambda row: row[1].index_number),
        ],
    )
    fields.append(Field(Column.REMARKS.value, lambda row: text(row[1].remarks)))
    return fields


def catalogue_table(catalogue: Sequence[Category]) -> Table:
    """One row per item under two header rows; each category's cell merged over its rows, and
    each stage's over the consecutive rows that share it, as officers merge them."""
    rows: list[Row] = [(category, item) for category in catalogue for item in category.items]
    fields = _fields(rows)
    table = build_table(fields, rows, header_rows=2)
    headers = [field.header for field in fields]
    category_runs: list[tuple[int, int]] = []
    start = 0
    for category in catalogue:
        category_runs.append((start, start + len(category.items) - 1))
        start += len(category.items)
    table = merge_down(table, headers.index(Column.CATEGORY.value), category_runs)
    if Column.STAGE.value in headers:
        table = merge_down(table, headers.index(Column.STAGE.value), _stage_runs(rows))
    return table


def _stage_runs(rows: Sequence[Row]) -> list[tuple[int, int]]:
    """(first, last) of each run of consecutive rows with the same stage; rows without one are
    never merged."""
    runs: list[tuple[int, int]] = []
    for index, (category, _) in enumerate(rows):
        stage = category.stage
        if stage is None:
            continue
        if runs and runs[-1][1] == index - 1 and rows[index - 1][0].stage == stage:
            runs[-1] = (runs[-1][0], index)
        else:
            runs.append((index, index))
    return runs


def declared_text(declared: DeclaredCounts) -> str:
    """`主动公开一级事项6项，主动公开二级事项37项`: the counts the header declares."""
    parts = [
        ("主动公开一级事项", declared.proactive_categories),
        ("主动公开二级事项", declared.proactive_items),
        ("依申请公开二级事项", declared.on_request_items),
    ]
    return "，".join(f"{words}{count}项" for words, count in parts if count is not None)


def overview_paragraphs(overview: Overview) -> list[str]:
    """`概述`, then one `name：value` paragraph per field the overview has."""
    parts = [
        ("公开依据", lines(overview.basis) if overview.basis else None),
        ("责任主体", overview.responsible),
        ("联系方式", overview.contact),
        ("公开渠道", overview.channels),
        ("监督渠道", overview.supervision),
    ]
    return [OVERVIEW] + [f"{name}：{value}" for name, value in parts if value is not None]


def sign_off_text(form: FormInfo) -> str:
    """`责任单位：…　　填表人：…`: the sign-off line under the table."""
    parts = [
        ("责任单位", form.unit),
        ("填表人", form.filled_by),
        ("复核人", form.reviewed_by),
        ("审签人", form.approved_by),
        ("填表时间", form.filled_on),
    ]
    return SIGN_OFF_SEPARATOR.join(f"{name}：{value}" for name, value in parts if value is not None)


def paragraphs_before(agency: Agency) -> list[str]:
    """单位, declared counts and overview (under the title), those the agency has. A
    declared-counts block without any count writes nothing (an empty paragraph would say nothing)."""
    found: list[str] = []
    if agency.unit is not None:
        found.append(f"单位：{agency.unit}")
    if agency.declared is not None and (counts := declared_text(agency.declared)):
        found.append(counts)
    if agency.overview is not None:
        found += overview_paragraphs(agency.overview)
    return found


def paragraphs_after(agency: Agency) -> list[str]:
    """注 and the sign-off, those the agency has (an empty sign-off block writes nothing)."""
    found: list[str] = []
    if agency.note is not None:
        found.append(f"注：{agency.note}")
    if agency.form is not None and (sign_off := sign_off_text(agency.form)):
        found.append(sign_off)
    return found
