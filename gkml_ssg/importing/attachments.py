"""The attachment tables: the on-request list (附件2, 依申请公开) and the negative list (附件3,
负面清单), one entry per body row.

The title of an entry is its 二级事项 (on-request) or its 公开事项 (negative list); a negative
list whose 公开事项 header stands over 一级事项/二级事项 cells has its title in whichever of them
is written (both: the two joined, reported), as real lists do.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from gkml_ssg.content.model import NegativeEntry, NegativeList, OnRequestEntry, OnRequestList
from gkml_ssg.form.columns import Column
from gkml_ssg.importing import cells
from gkml_ssg.importing.cells import RowJudge
from gkml_ssg.importing.report import Report
from gkml_ssg.importing.rows import Body, Row

E = TypeVar("E", OnRequestEntry, NegativeEntry)


def on_request_list(rows: list[Body], label: str | None, title: str | None, report: Report) -> OnRequestList | None:
    def entry(row: Row, name: str, judge: RowJudge) -> OnRequestEntry:
        return OnRequestEntry(
            title=name,
            number=cells.text(row, Column.NUMBER, judge),
            slug=cells.slug(row, judge),
            index_number=cells.index_number(row, judge),
            category=cells.text(row, Column.CATEGORY, judge),
            content=cells.text(row, Column.WITHHELD_CONTENT, judge) or cells.text(row, Column.CONTENT, judge),
            grounds=cells.citations(row, Column.WITHHELD_GROUNDS, "不予主动公开的依据", judge)
            or cells.citations(row, Column.BASIS, "不予主动公开的依据", judge),
            office=cells.text(row, Column.OFFICE, judge),
            update_cycle=cells.text(row, Column.UPDATE_CYCLE, judge),
            review_procedure=cells.text(row, Column.REVIEW, judge),
            remarks=judge.remarks_with(cells.text(row, Column.REMARKS, judge)),
        )

    def name(row: Row, judge: RowJudge) -> str | None:
        return cells.text(row, Column.TITLE, judge) or cells.text(row, Column.ITEM, judge)

    entries = _entries(rows, report, name, "依申请公开清单此行没有二级事项名称", entry)
    return OnRequestList(tuple(entries), label, title) if entries else None


def negative_list(rows: list[Body], label: str | None, title: str | None, report: Report) -> NegativeList | None:
    def entry(row: Row, name: str, judge: RowJudge) -> NegativeEntry:
        return NegativeEntry(
            title=name,
            number=cells.text(row, Column.NUMBER, judge),
            slug=cells.slug(row, judge),
            index_number=cells.index_number(row, judge),
            kind=cells.text(row, Column.NEGATIVE_KIND, judge),
            content=cells.text(row, Column.NEGATIVE_CONTENT, judge) or cells.text(row, Column.CONTENT, judge),
            grounds=cells.citations(row, Column.NEGATIVE_GROUNDS, "不予公开的依据", judge)
            or cells.citations(row, Column.BASIS, "不予公开的依据", judge),
            office=cells.text(row, Column.OFFICE, judge),
            update_cycle=cells.text(row, Column.UPDATE_CYCLE, judge),
            remarks=judge.remarks_with(cells.text(row, Column.REMARKS, judge)),
        )

    entries = _entries(rows, report, _negative_title, "负面清单此行没有公开事项名称", entry)
    return NegativeList(tuple(entries), label, title) if entries else None


def _entries(
    rows: list[Body], report: Report, name_of: Callable[[Row, RowJudge], str | None], nameless: str,
    make: Callable[[Row, str, RowJudge], E],
) -> list[E]:
    """One entry per body row that names its matter; a row that names none is reported, not guessed."""
    entries = []
    for row in rows:
        if not isinstance(row, Row):
            continue
        judge = RowJudge(report)
        name = name_of(row, judge)
        if name is None:
            report.note(row.cells[0][1].where, nameless, "未导入此行（其他栏的文字见原表）")
            continue
        entries.append(make(row, name, judge))
    return entries


def _negative_title(row: Row, judge: RowJudge) -> str | None:
    item = cells.text(row, Column.ITEM, judge)
    if item is not None:
        return item
    parts = [value for column in (Column.CATEGORY, Column.TITLE) if (value := cells.text(row, column, judge))]
    if len(parts) == 2:
        where = row.cell(Column.CATEGORY).where  # type: ignore[union-attr]
        judge.judge(where, f"公开事项的一级事项栏和二级事项栏都有文字（“{parts[0]}”“{parts[1]}”）", "两者相连作为公开事项")
        return "：".join(parts)
    return parts[0] if parts else None
