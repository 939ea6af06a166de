"""A body row's cells → the model's values, with every judgement written down.

Each value is the cell's text with Word's gaps closed (`form.text`); nothing else is changed.
Where a cell cannot be taken as it stands (a lone √ in a text column, both boxes of a pair
ticked, a channel none of the 13 names), `RowJudge.judge` writes the judgement into the row's
备注 and the report, and the value stays absent rather than guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum
from typing import TypeVar

from gkml_ssg.content.fields import SLUG_MAX_LENGTH, SLUG_PATTERN
from gkml_ssg.content.index_numbers import INDEX_NUMBER_PATTERN
from gkml_ssg.content.model import Audience, Channel, Mode, Validity
from gkml_ssg.form.channels import channel_of, read_channels
from gkml_ssg.form.citations import basis_remark, split_citations
from gkml_ssg.form.columns import FIVE_TYPE_NAMES, RUNNING_TEXT, Column
from gkml_ssg.form.text import close_gaps
from gkml_ssg.importing.report import Report
from gkml_ssg.importing.rows import Row
from gkml_ssg.tables.grid import Cell, check_marks

ONLY_TICKS = re.compile(r"^[√☑☐\s]+$")
E = TypeVar("E", bound=Enum)


@dataclass
class RowJudge:
    """The judgements made on one row: report lines, and the sentences for its 备注."""

    report: Report
    remarks: list[str] = field(default_factory=list)

    def judge(self, where: str, finding: str, done: str) -> None:
        self.report.note(where, finding, done)
        self.remarks.append(f"原表此行{finding}，{done}。")

    def remark(self, sentence: str) -> None:
        self.remarks.append(sentence)

    def remarks_with(self, written: str | None) -> str | None:
        """The row's own 备注 followed by the judgements."""
        parts = [written] if written else []
        parts += self.remarks
        if not parts:
            return None
        return "".join(part if part.endswith(("。", "！", "？", "）", ")")) else part + "。" for part in parts[:-1]) + parts[-1]


def text(row: Row, column: Column, judge: RowJudge, *, lines: bool | None = None) -> str | None:
    """The column's text, or None when empty or only a tick (judged: a √ is not a value). Line
    breaks stay in running text (`form.text`), or where `lines` says."""
    cell = row.cell(column)
    if cell is None:
        return None
    value = close_gaps(cell.text, lines=column in RUNNING_TEXT if lines is None else lines)
    formula_read(cell, judge)
    if not value:
        return None
    if ONLY_TICKS.match(check_marks(value)):
        judge.judge(cell.where, f"“{column.value}”栏只有“{value}”", f"未作为{column.value}录入")
        return None
    return value


def formula_read(cell: Cell, judge: RowJudge) -> None:
    """A spreadsheet formula is never imported: its cached value is, and the report says so."""
    if cell.formula is not None and not cell.is_covered:
        judge.report.note(cell.where, f"是公式“{cell.formula}”", f"导入的是文件中保存的计算结果“{close_gaps(cell.text)}”")


def slug(row: Row, judge: RowJudge) -> str | None:
    """A pinned 网址标识, when it has the form the site needs (else judged, and left out)."""
    value = text(row, Column.SLUG, judge)
    if value is not None and (len(value) > SLUG_MAX_LENGTH or not re.fullmatch(SLUG_PATTERN, value)):
        judge.judge(row.cell(Column.SLUG).where, f"网址标识“{value}”不是小写字母、数字和连字符（最长 {SLUG_MAX_LENGTH} 个）", "未录入，网站按顺序编号")  # type: ignore[union-attr]
        return None
    return value


def index_number(row: Row, judge: RowJudge) -> str | None:
    """A pinned 索引号, when it has the form the site takes (else judged, and left out)."""
    value = text(row, Column.INDEX_NUMBER, judge)
    if value is not None and not re.fullmatch(INDEX_NUMBER_PATTERN, value):
        judge.judge(row.cell(Column.INDEX_NUMBER).where, f"索引号“{value}”不是“机构代码/年份-序号”的形式", "未录入，可用 gkml index-numbers 编号")  # type: ignore[union-attr]
        return None
    return value


def citations(row: Row, column: Column, label: str, judge: RowJudge) -> tuple[str, ...]:
    value = text(row, column, judge, lines=True)
    if value is None:
        return ()
    split = split_citations(value)
    if (remark := basis_remark(label, split)) is not None:
        judge.remark(remark)
    return split.entries


def is_ticked(cell: Cell, judge: RowJudge, column: str) -> bool:
    value = check_marks(close_gaps(cell.text))
    formula_read(cell, judge)
    if not value or value == "☐":
        return False
    if "√" in value or "☑" in value:
        if value.strip("√☑ ") and not ONLY_TICKS.match(value):
            judge.judge(cell.where, f"“{column}”栏写有“{value}”", "按打了√录入，其余文字未录入")
        return True
    judge.judge(cell.where, f"“{column}”栏写有“{value}”而不是√", "不作为勾选")
    return False


def pick(row: Row, judge: RowJudge, pairs: dict[Column, E], text_column: Column, kind: type[E]) -> E | None:
    """The one choice a row makes between two values (全社会/特定群体, 主动/依申请): by ticks in
    their columns, or by the words (or ticked boxes) of the text column; two choices, or words
    that are neither, are judged and leave it absent."""
    chosen = [value for column, value in pairs.items() if (cell := row.cell(column)) is not None and is_ticked(cell, judge, column.value)]
    written = text(row, text_column, judge)
    if written is not None:
        marked = check_marks(written)
        boxes = [part[1:] for part in re.split(r"(?=[☑☐])", marked) if part.startswith("☑")]
        words = [word for part in boxes or [marked] for word in re.split(r"[、，,/\s]+", part) if word]
        for word in words:
            value = _enum_of(kind, word)
            if value is None:
                choices = "”或“".join(str(option.value) for option in kind)
                judge.judge(_where(row, text_column), f"“{text_column.value}”栏写有“{written}”", f"其中“{word}”不是“{choices}”，未录入")
                return None
            if value not in chosen:
                chosen.append(value)
    if len(chosen) > 1:
        where = _where(row, text_column, *pairs)
        judge.judge(where, f"“{text_column.value}”选了{'、'.join(str(value.value) for value in chosen)}", f"无法只取其一，未录入{text_column.value}")
        return None
    return chosen[0] if chosen else None


def _where(row: Row, *columns: Column) -> str:
    """The first of these columns' cells the row has, by its position."""
    return next((cell.where for column in columns if (cell := row.cell(column)) is not None), "")


def _enum_of(kind: type[E], word: str) -> E | None:
    word = word.strip().removesuffix("公开")
    return next((value for value in kind if value.value == word), None)


def audience(row: Row, judge: RowJudge) -> Audience | None:
    return pick(row, judge, {Column.PUBLIC: Audience.PUBLIC, Column.GROUP: Audience.SPECIFIC_GROUP}, Column.AUDIENCE, Audience)


def mode(row: Row, judge: RowJudge) -> Mode | None:
    return pick(row, judge, {Column.PROACTIVE: Mode.PROACTIVE, Column.ON_REQUEST: Mode.ON_REQUEST}, Column.MODE, Mode)


def validity(row: Row, judge: RowJudge) -> Validity | None:
    """有效 or 已废止 (废止 and 失效 read as 已废止); other words are judged and left out."""
    value = text(row, Column.VALIDITY, judge)
    if value is None:
        return None
    word = {"废止": "已废止", "失效": "已废止", "已失效": "已废止", "现行有效": "有效"}.get(value, value)
    found = next((option for option in Validity if option.value == word), None)
    if found is None:
        judge.judge(_where(row, Column.VALIDITY), f"“有效性”栏写有“{value}”", "不是“有效”或“已废止”，未录入")
    return found


def channels(row: Row, judge: RowJudge) -> tuple[Channel, ...]:
    found: list[Channel] = []
    cell = row.cell(Column.CHANNELS)
    if cell is not None and (value := text(row, Column.CHANNELS, judge)) is not None:
        reading = read_channels(check_marks(value))
        found += reading.channels
        for name in reading.unmatched:
            judge.judge(cell.where, f"公开渠道“{name}”不是13种标准渠道之一", "按“其他”录入，名称照录")
        for stray in reading.unreadable:
            judge.judge(cell.where, f"公开渠道栏的“{stray}”前没有复选框", "未作为渠道录入")
    for head, tick in row.all(Column.CHANNEL_TICK):
        if head.channel is not None and is_ticked(tick, judge, head.header):
            named = channel_of(head.header)
            found.append(named if named is not None else Channel(head.channel))
    return tuple(found)


def five_types(row: Row, judge: RowJudge) -> tuple[str, ...]:
    """The 五公开 types a row ticks (or writes in its text column)."""
    ticked = [name for column, name in FIVE_TYPE_NAMES.items() if (cell := row.cell(column)) is not None and is_ticked(cell, judge, name)]
    written = text(row, Column.FIVE_TYPES, judge)
    return tuple(ticked) + ((written,) if written else ())
