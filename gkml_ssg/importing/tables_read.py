"""The document's blocks in order → its tables by kind, with the lines around them.

Each table is placed by its header: the main catalogue, the on-request list or the negative list
(`kind_of`); the 说明 table (项目/内容) gives the facts the form has no place for. A table with no
header of its own that follows a placed table of the same width continues it (Word splits a
table at a page break); any other is reported and left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum

from gkml_ssg.form.columns import Column, header_key
from gkml_ssg.form.text import close_gaps
from gkml_ssg.importing.headers import Header, find_header, header_texts, is_header_row
from gkml_ssg.importing.report import Report
from gkml_ssg.importing.rows import Body, Line, body, lines_above, single_text
from gkml_ssg.tables.grid import Document, Grid, Paragraph

SHEET_LABEL = re.compile(r"^附件\s*\d+")


class TableKind(Enum):
    MAIN = "主动公开目录"
    ON_REQUEST = "依申请公开清单"
    NEGATIVE = "负面清单"


@dataclass
class Placed:
    """A table (or a run of tables continuing one) of one kind, with its label and title lines."""

    kind: TableKind
    grids: list[Grid]
    rows: list[Body]
    label: str | None = None
    title: str | None = None


@dataclass
class Layout:
    """The document as tables and lines, in order: `lines[i]` are the lines before `tables[i]`
    (the last entry: the lines after the last table)."""

    tables: list[Placed] = field(default_factory=list)
    lines: list[list[Line]] = field(default_factory=lambda: [[]])
    facts: dict[str, str] = field(default_factory=dict)  # the 说明 table


def kind_of(header: Header) -> TableKind:
    if header.has(Column.NEGATIVE_GROUNDS, Column.NEGATIVE_KIND):
        return TableKind.NEGATIVE
    if header.has(Column.WITHHELD_CONTENT, Column.WITHHELD_GROUNDS, Column.REVIEW):
        return TableKind.ON_REQUEST
    return TableKind.MAIN


def lay_out(document: Document, mapping: dict[str, Column], report: Report) -> Layout:
    layout = Layout()
    last: tuple[Placed, Header, set[str]] | None = None  # the table placed last, its header and its words
    paragraphs = 0
    blocks = list(document.blocks)
    while blocks:
        block = blocks.pop(0)
        if isinstance(block, Paragraph):
            paragraphs += 1
            if close_gaps(block.text):
                layout.lines[-1].append(Line(block.text, f"第{paragraphs}段"))
            continue
        if block.is_empty:
            continue
        if (facts := _facts(block)) is not None:
            layout.facts.update(facts)
            continue
        header = find_header(block, mapping)
        if header is None:
            if last is not None and last[0].grids[-1].columns == block.columns:
                report.judge_table(block.name, "没有表头，与上一个表格列数相同", f"看作“{last[0].grids[-1].name}”换页后的续表")
                last[0].grids.append(block)
                last[0].rows.extend(body(block, last[1], last[2], first=1))
            else:
                report.note(block.name, "找不到可识别的表头（如“二级事项”“公开内容”“公开依据”）", "未导入这个表格；如表头用词不同，可用 --mapping 指定列名对照")
            continue
        block, rest = _split_at_next_table(block, header, mapping)
        if rest is not None:  # another table below this one in the same sheet (附件3 under the catalogue)
            blocks.insert(0, rest)
        _report_heads(block, header, report)
        if SHEET_LABEL.match(block.name):  # a workbook names an attachment's sheet by its label
            layout.lines[-1].append(Line(block.name, block.name))
        layout.lines[-1].extend(lines_above(block, header))
        kind = kind_of(header)
        words = header_texts(block, header)
        rows = body(block, header, words)
        continuing = last is not None and last[0].kind is kind and kind is TableKind.MAIN and not layout.lines[-1]
        if continuing and last is not None:
            last[0].grids.append(block)
            last[0].rows.extend(rows)
        else:
            layout.tables.append(Placed(kind, [block], rows))
            layout.lines.append([])
        last = (layout.tables[-1], header, words)
        # Lines kept in the sheet's last rows (注, sign-off) come after the table.
        while layout.tables[-1].rows and isinstance(layout.tables[-1].rows[-1], Line):
            layout.lines[-1].insert(0, layout.tables[-1].rows.pop())  # type: ignore[arg-type]
    return layout


def _split_at_next_table(grid: Grid, header: Header, mapping: dict[str, Column]) -> tuple[Grid, Grid | None]:
    """The grid up to the header of another table further down (not this header repeated), and
    that table with the lines just above it (its label and title); the grid whole when none."""
    words = header_texts(grid, header)
    for number in range(header.last + 1, grid.rows + 1):
        texts = {header_key(cell.text) for cell in grid.cells[number - 1] if cell.text.strip()}
        if not is_header_row(grid, number, mapping) or texts <= words:
            continue
        start = number
        while start - 1 > header.last and (single_text(grid.cells[start - 2]) is not None or not any(c.text.strip() for c in grid.cells[start - 2])):
            start -= 1
        return Grid(grid.name, grid.cells[: start - 1]), Grid(grid.name, grid.cells[start - 1 :])
    return grid, None


def _facts(grid: Grid) -> dict[str, str] | None:
    """The 说明 table: a header 项目 | 内容, then one fact per row."""
    first = [close_gaps(cell.text) for cell in grid.cells[0] if cell.text.strip()]
    if first != ["项目", "内容"]:
        return None
    facts = {}
    for row in grid.cells[1:]:
        texts = [cell.text for cell in row]
        key = close_gaps(texts[0]) if texts else ""
        if key:
            facts[key] = texts[1].strip() if len(texts) > 1 else ""
    return facts


def _report_heads(grid: Grid, header: Header, report: Report) -> None:
    for head in header.heads:
        where = grid.cell(header.last, head.index).where
        if head.judged is not None:
            report.judge_table(where, f"表头“{head.header}”不是常用写法", f"按“{head.judged}”理解")
        elif head.column is None:
            # Its own texts: a cell merged in from a column to its left is read there.
            filled = [
                cell.where
                for row in grid.cells[header.last :]
                if (cell := row[head.index - 1]).text.strip() and (cell.merged_from is None or cell.merged_from[1] == head.index)
            ]
            if not head.header and not filled:
                continue
            cells = f"，其中有文字的单元格：{'、'.join(filled)}" if filled else ""
            named = f"表头“{head.header}”无法识别" if head.header else f"第{head.index}列没有表头"
            report.note(where, named, f"此列未导入{cells}；可用 --mapping 列名对照文件指定它是哪一列")
            report.table_remarks.append(f"原表{where}{named}，此列未导入。")
