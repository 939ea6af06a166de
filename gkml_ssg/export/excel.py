"""The layout as an Excel workbook (.xlsx), with XlsxWriter.

Sheet `目录` holds the title and the paragraphs above the main table, each a row merged across the
table's width, then the table, then 注 and the sign-off likewise; each attachment list has a sheet
of its own named by its label, its title a merged row above its header; the 说明 table has the
sheet `说明`.

XlsxWriter rather than openpyxl (which still reads officers' files): a build writes this workbook
for every agency, and XlsxWriter writes one about five times faster, because it streams each cell
with a format made once rather than hashing a style object per cell.

Every text is stored as a string cell (`write_string`), never as a formula, a number or a link:
an officer's text such as `=以上各项` or a citation starting with `-` must open as the text it is.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from xlsxwriter import Workbook
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from gkml_ssg.export.layout import Layout, Table, column_widths

CATALOGUE_SHEET = "目录"
NOTES_SHEET = "说明"
# Excel stores at most this many characters in a cell; a longer text would be cut short.
CELL_LIMIT = 32_767
# Excel's rules for a sheet name: at most 31 characters, none of \ / ? * : [ ].
_SHEET_NAME_LIMIT = 31
_NOT_IN_SHEET_NAME = re.compile(r"[\\/?*:\[\]]")
_LINE_HEIGHT = 15  # points: one line of the default 11-point font
# Never guess a type from a text: a string stays a string.
_OPTIONS = {"in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False}


@dataclass(frozen=True)
class _Formats:
    """The workbook's cell formats, each made once (XlsxWriter ties a format to its workbook)."""

    paragraph: Format
    title: Format
    heading: Format  # an attachment's title
    header: Format  # a table's header cell
    body: Format  # a table's body cell

    @classmethod
    def of(cls, workbook: Workbook) -> _Formats:
        wrap = {"text_wrap": True, "valign": "top"}
        cell = {"text_wrap": True, "border": 1}
        return cls(
            paragraph=workbook.add_format(wrap),
            title=workbook.add_format({**wrap, "bold": True, "font_size": 14}),
            heading=workbook.add_format({**wrap, "bold": True}),
            header=workbook.add_format({**cell, "bold": True, "align": "center", "valign": "vcenter"}),
            body=workbook.add_format({**cell, "valign": "top"}),
        )


def write_xlsx(layout: Layout) -> bytes:
    """The workbook's bytes (not yet made deterministic: `archive.fixed_zip` does that)."""
    buffer = io.BytesIO()
    workbook = Workbook(buffer, _OPTIONS)
    formats = _Formats.of(workbook)
    sheet = workbook.add_worksheet(CATALOGUE_SHEET)
    table = layout.catalogue
    row = 0
    if layout.title is not None:
        row = _paragraph(sheet, row, layout.title, table.width, formats.title)
    for text in layout.before:
        row = _paragraph(sheet, row, text, table.width, formats.paragraph)
    header_row = row
    row = _table(sheet, row, table, formats)
    for text in layout.after:
        row = _paragraph(sheet, row, text, table.width, formats.paragraph)
    # Frozen rows taller than the window (an overview of several lines) would leave nothing to scroll.
    if all("\n" not in text for text in layout.before):
        sheet.freeze_panes(header_row + table.header_rows, 0)
    _finish(sheet, table)
    taken = {CATALOGUE_SHEET, NOTES_SHEET}
    for attachment in layout.attachments:
        name = _sheet_name(attachment.sheet, taken)
        taken.add(name)
        listed = workbook.add_worksheet(name)
        row = 0
        if attachment.title is not None:
            row = _paragraph(listed, row, attachment.title, attachment.table.width, formats.heading)
        _table(listed, row, attachment.table, formats)
        listed.freeze_panes(row + attachment.table.header_rows, 0)
        _finish(listed, attachment.table)
    notes = workbook.add_worksheet(NOTES_SHEET)
    _table(notes, 0, layout.notes, formats)
    notes.freeze_panes(layout.notes.header_rows, 0)
    _finish(notes, layout.notes)
    workbook.close()
    return buffer.getvalue()


def _checked(sheet: Worksheet, row: int, column: int, value: str) -> str:
    """`value`, when one Excel cell can hold it (row and column 0-based)."""
    if len(value) > CELL_LIMIT:
        raise ValueError(
            f"工作表“{sheet.name}”第{row + 1}行第{column + 1}列的文字有{len(value)}字，超过 Excel 单元格的上限 {CELL_LIMIT} 字"
        )
    return value


def _paragraph(sheet: Worksheet, row: int, text: str, width: int, cell_format: Format) -> int:
    """A paragraph as one row, its text in the first cell merged across the table's width; the
    next free row."""
    _checked(sheet, row, 0, text)
    if width > 1:
        sheet.merge_range(row, 0, row, width - 1, text, cell_format)
    else:
        sheet.write_string(row, 0, text, cell_format)
    line_count = text.count("\n") + 1
    if line_count > 1:  # Excel does not grow a merged row to fit its text
        sheet.set_row(row, _LINE_HEIGHT * line_count)
    return row + 1


def _table(sheet: Worksheet, first_row: int, table: Table, formats: _Formats) -> int:
    """The table's rows from `first_row` on, bordered, headers bold and centred, each merged
    region written once over its cells; the next free row. An empty text leaves its cell empty
    (but bordered)."""
    merged = {(merge.top, merge.left): merge for merge in table.merges}
    covered = {
        (row, column)
        for merge in table.merges
        for row in range(merge.top, merge.bottom + 1)
        for column in range(merge.left, merge.right + 1)
    }
    for offset, values in enumerate(table.rows):
        cell_format = formats.header if offset < table.header_rows else formats.body
        for column, value in enumerate(values):
            merge = merged.get((offset, column))
            if merge is not None:
                sheet.merge_range(
                    first_row + merge.top, merge.left, first_row + merge.bottom, merge.right,
                    _checked(sheet, first_row + offset, column, value), cell_format,
                )
            elif (offset, column) in covered:
                continue
            elif value:
                sheet.write_string(first_row + offset, column, _checked(sheet, first_row + offset, column, value), cell_format)
            else:
                sheet.write_blank(first_row + offset, column, None, cell_format)
    return first_row + len(table.rows)


def _finish(sheet: Worksheet, table: Table) -> None:
    """Column widths to fit the table, and landscape pages for printing."""
    for column, width in enumerate(column_widths(table)):
        sheet.set_column(column, column, width)
    sheet.set_landscape()


def _sheet_name(wanted: str, taken: set[str]) -> str:
    """`wanted` as Excel allows a sheet name (forbidden characters replaced by `_`, cut to 31),
    numbered `(2)`, `(3)` … when another sheet has it already (Excel ignores case)."""
    base = _NOT_IN_SHEET_NAME.sub("_", wanted).strip("'") or "清单"
    name = base[:_SHEET_NAME_LIMIT]
    number = 1
    while name.casefold() in {other.casefold() for other in taken}:
        number += 1
        suffix = f"({number})"
        name = base[: _SHEET_NAME_LIMIT - len(suffix)] + suffix
    return name
