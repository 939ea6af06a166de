"""Building blocks of the officers' table fixtures (tests/table_fixtures.py): a table as rows of
texts with merged regions, the catalogue's columns and what each holds for a row, and writers for
Word (python-docx), Excel (openpyxl, xlwt) and CSV, written independently of the exporter
(gkml_ssg.export, gkml_ssg.form). Every text comes from the agency as it is; a value the model
does not have is an empty cell."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import docx
import openpyxl
import xlwt

from gkml_ssg.content.model import Agency, Audience, Category, Channel, ChannelKind, Item, Mode


@dataclass
class Table:
    """Rows of texts; a merged region's text stands in every cell it covers, as the readers give it."""

    rows: list[list[str]] = field(default_factory=list)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # top, left, bottom, right: 0-based, inclusive

    def add(self, cells: Iterable[str]) -> int:  # the new row's index
        self.rows.append(list(cells))
        return len(self.rows) - 1

    def merge(self, top: int, left: int, bottom: int, right: int) -> None:
        if (top, left) != (bottom, right):
            self.merges.append((top, left, bottom, right))

    def banner(self, text: str, width: int) -> None:
        """A row of one text across the table, as a title or a sign-off line."""
        row = self.add([text] * width)
        self.merge(row, 0, row, width - 1)

    def covered(self) -> set[tuple[int, int]]:
        """The cells of merged regions other than their top-left cell."""
        cells = {(row, column) for top, left, bottom, right in self.merges for row in range(top, bottom + 1) for column in range(left, right + 1)}
        return cells - {(top, left) for top, left, _, _ in self.merges}


PAGE_BREAK = object()  # a block of a Word document: a paragraph holding a page break


@dataclass(frozen=True)
class Style:
    """How a layout writes channels, ticks and legal bases."""

    ticked: str | None = "■"  # None: channels as plain words, without boxes
    unticked: str = "□"
    box_separator: str = " "
    basis_joiner: str = "\n"
    tick: str = "√"


@dataclass(frozen=True)
class Column:
    key: str  # what the column holds (`cell_value`)
    header: str
    group: str | None = None  # the heading written above it, over the neighbours of the same group


def channels_text(channels: Sequence[Channel], style: Style) -> str:
    """Boxes for all 13 channels, the ticked ones by their specific name when they have one; or,
    without boxes, the channels' words."""
    if style.ticked is None:
        return "、".join(channel.name or channel.kind.value for channel in channels)
    boxes = [[style.ticked + (channel.name or kind.value) for channel in channels if channel.kind is kind] or [style.unticked + kind.value] for kind in ChannelKind]
    return style.box_separator.join(box for kind_boxes in boxes for box in kind_boxes)


# Column keys that are an item's field of the same meaning, and the tick columns.
_ITEM_FIELDS = {
    "number": "number", "title": "title", "content": "content", "deadline": "deadline", "body": "body",
    "level": "level", "section": "portal_section", "remarks": "remarks",
}  # fmt: skip
_TICKS = {"public": Audience.PUBLIC, "group": Audience.SPECIFIC_GROUP, "proactive": Mode.PROACTIVE, "on_request": Mode.ON_REQUEST}


def cell_value(key: str, category: Category, item: Item, style: Style) -> str | None:
    """What the column `key` holds in an item's row (None: an empty cell)."""
    if key in _ITEM_FIELDS:
        return getattr(item, _ITEM_FIELDS[key])
    if key in _TICKS:
        return style.tick if _TICKS[key] in (item.audience, item.mode) else None
    numbered = f"{category.number}、{category.name}" if category.number else category.name
    values = {
        "category_number": category.number, "stage": category.stage, "category": category.name, "numbered_category": numbered,
        "basis": style.basis_joiner.join(item.basis), "channels": channels_text(item.channels, style), "blank": None,
    }  # fmt: skip
    return values[key]


# Columns that hold the category's values: written once per category (or part of one).
CATEGORY_KEYS = frozenset({"category_number", "stage", "category", "numbered_category"})


def columns_for(
    agency: Agency, *, content_header: str = "公开内容（要素）", channel_header: str = "公开渠道和载体", group_header: str = "特定群体",
    proactive_header: str = "主动", numbers_in_category: bool = False, mode_before_audience: bool = False,
    channels_last: bool = False, five_types: bool = False, remarks: bool = True,
) -> list[Column]:  # fmt: skip
    """The catalogue's columns, those the agency uses. Items' numbers go in 序号 (the category's
    number then written before its name, 一、概况信息); without them the category's number does,
    written once over the category's rows, unless `numbers_in_category` (a layout without merges)."""
    items = [item for category in agency.catalogue for item in category.items]
    numbered_categories = any(category.number for category in agency.catalogue)
    numbered_items = any(item.number for item in items)
    columns: list[Column] = []
    if numbered_items:
        columns.append(Column("number", "序号"))
    elif numbered_categories and not numbers_in_category:
        columns.append(Column("category_number", "序号"))
    if any(category.stage for category in agency.catalogue):
        columns.append(Column("stage", "过程"))
    numbered = numbered_categories and (numbers_in_category or numbered_items)
    columns += [
        Column("numbered_category" if numbered else "category", "一级事项", "公开事项"), Column("title", "二级事项", "公开事项"),
        Column("content", content_header), Column("basis", "公开依据"), Column("deadline", "公开时限"), Column("body", "公开主体"),
    ]  # fmt: skip
    channels = [Column("channels", channel_header)]
    audience = [Column("public", "全社会", "公开对象"), Column("group", group_header, "公开对象")] if any(item.audience for item in items) else []
    mode = [Column("proactive", proactive_header, "公开方式"), Column("on_request", "依申请", "公开方式")] if any(item.mode for item in items) else []
    ticks = mode + audience if mode_before_audience else audience + mode
    columns += ticks + channels if channels_last else channels + ticks
    if five_types:
        columns += [Column("blank", name, "所属“五公开”类型") for name in ("决策", "执行", "管理", "服务", "结果")]
    if any(item.level for item in items):
        columns.append(Column("level", "公开层级"))
    if any(item.portal_section for item in items):
        columns.append(Column("section", "网站所属栏目"))
    if remarks:
        columns.append(Column("remarks", "备注"))
    return columns


def add_header(table: Table, columns: Sequence[Column]) -> None:
    """One header row, or two when some columns are grouped: a single heading merged down both
    rows, a group's heading merged across its columns."""
    top = table.add(column.group or column.header for column in columns)
    if not any(column.group for column in columns):
        return
    table.add(column.header for column in columns)
    start = 0
    for index, column in enumerate(columns):
        if column.group is None:
            table.merge(top, index, top + 1, index)
        if index + 1 == len(columns) or column.group is None or columns[index + 1].group != column.group:
            if column.group is not None:
                table.merge(top, start, top, index)
            start = index + 1


@dataclass
class Row:
    values: dict[str, str | None]  # column key → text (None: an empty cell)
    block: object  # cells merge only between rows of one block


def fill(table: Table, columns: Sequence[Column], rows: Sequence[Row], merge_keys: Iterable[str] = ()) -> None:
    """Append the rows; in the `merge_keys` columns, consecutive rows of one block with the same
    text (not empty) become one merged cell."""
    merge_keys = set(merge_keys)
    start = len(table.rows)
    for row in rows:
        table.add(row.values.get(column.key) or "" for column in columns)
    for index, column in enumerate(columns):
        run = 0
        for at in range(1, len(rows) + 1) if column.key in merge_keys else ():
            if at == len(rows) or (rows[at].block, table.rows[start + at][index]) != (rows[run].block, table.rows[start + run][index]):
                if table.rows[start + run][index]:
                    table.merge(start + run, index, start + at - 1, index)
                run = at


def catalogue(
    table: Table, agency: Agency, columns: Sequence[Column], style: Style, *,
    merge_keys: Iterable[str] = (), header_before: Iterable[int] = (), split_before: int | None = None,
) -> list[Table]:  # fmt: skip
    """The catalogue's header and rows appended to `table`. Before the items (counted from 0 over
    the whole catalogue) in `header_before` the header is repeated, as after a page break, and the
    running category written again; before `split_before` a new table begins, without a header,
    its first rows' category cells empty (the category runs on from the table above), merged down
    those rows as Word leaves a merged cell it splits."""
    merge_keys = set(merge_keys)
    header_before = set(header_before)
    tables = [table]
    add_header(table, columns)
    rows: list[Row] = []
    position = continued = 0  # continued: the rows of the second table that continue a category
    for number, category in enumerate(agency.catalogue):
        part = 0
        for index, item in enumerate(category.items):
            if position in header_before or position == split_before:
                fill(tables[-1], columns, rows, merge_keys)
                rows, part = [], part + 1
                if position == split_before:
                    tables.append(Table())
                    continued = len(category.items) - index if index else 0
                else:
                    add_header(tables[-1], columns)
            values = {column.key: cell_value(column.key, category, item, style) for column in columns}
            if position >= (split_before or 0) and position - (split_before or 0) < continued:
                values.update(dict.fromkeys(CATEGORY_KEYS, ""))
            rows.append(Row(values, (number, part)))
            position += 1
    fill(tables[-1], columns, rows, merge_keys)
    for index, column in enumerate(columns):
        if continued and column.key in CATEGORY_KEYS & merge_keys:
            tables[-1].merge(0, index, continued - 1, index)
    return tables


def _number(text: str) -> str | int:  # a row number is stored as Excel stores one typed in
    return int(text) if re.fullmatch(r"[1-9]\d{0,3}", text) else text


def write_docx(blocks: Sequence[object], path: Path) -> Path:
    """Paragraphs (str), tables and page breaks, in order."""
    document = docx.Document()
    for block in blocks:
        if isinstance(block, str):
            document.add_paragraph(block)
        elif block is PAGE_BREAK:
            document.add_page_break()
        elif isinstance(block, Table):
            _docx_table(document, block)
    document.save(str(path))
    return path


def _docx_table(document: docx.document.Document, table: Table) -> None:
    grid = document.add_table(rows=len(table.rows), cols=max(map(len, table.rows)))
    grid.style = "Table Grid"
    for top, left, bottom, right in table.merges:  # python-docx: vMerge down the rows, gridSpan across
        grid.cell(top, left).merge(grid.cell(bottom, right))
    covered = table.covered()
    for row, texts in enumerate(table.rows):
        for column, text in enumerate(texts):
            if text and (row, column) not in covered:
                first, *others = text.split("\n")  # a line of the cell: a paragraph of its own
                cell = grid.cell(row, column)
                cell.paragraphs[0].text = first
                for line in others:
                    cell.add_paragraph(line)


def _written(table: Table) -> Iterable[tuple[int, int, str, tuple[int, int] | None]]:
    """(row, column, text, a merged region's bottom-right corner or None) of the cells that hold a
    value: a merged region's top-left cell only."""
    regions = {(top, left): (bottom, right) for top, left, bottom, right in table.merges}
    covered = table.covered()
    for row, texts in enumerate(table.rows):
        for column, text in enumerate(texts):
            if (row, column) in regions or (text and (row, column) not in covered):
                yield row, column, text, regions.get((row, column))


def write_xlsx(table: Table, path: Path, sheet_name: str = "Sheet1") -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = sheet_name
    for row, column, text, corner in _written(table):
        sheet.cell(row + 1, column + 1, _number(text) if text else None)
        if corner is not None:
            sheet.merge_cells(start_row=row + 1, start_column=column + 1, end_row=corner[0] + 1, end_column=corner[1] + 1)
    book.save(path)
    return path


def write_xls(table: Table, path: Path, sheet_name: str = "Sheet1") -> Path:
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet(sheet_name)
    for row, column, text, corner in _written(table):
        if corner is None:
            sheet.write(row, column, _number(text))
        else:
            sheet.write_merge(row, corner[0], column, corner[1], _number(text))
    book.save(str(path))
    return path


def write_csv(table: Table, path: Path) -> Path:
    """UTF-8 with a BOM, as Excel saves “CSV UTF-8”: a merged region's text in its first cell only."""
    covered = table.covered()
    with path.open("w", encoding="utf-8-sig", newline="") as file:
        writer = csv.writer(file)
        for row, texts in enumerate(table.rows):
            writer.writerow("" if (row, column) in covered else text for column, text in enumerate(texts))
    return path
