"""The layout as an Excel workbook (.xlsx), with openpyxl.

Sheet `目录` holds the title and the paragraphs above the main table, each a row merged across the
table's width, then the table, then 注 and the sign-off likewise; each attachment list has a sheet
of its own named by its label, its title a merged row above its header; the 说明 table has the
sheet `说明`.

Every text is stored as a string cell, never as a formula or an error value: openpyxl takes a
string starting with `=` for a formula and `#N/A` for an error, and an officer's text such as
`=以上各项` or a citation starting with `-` must open as the text it is, not be computed.
"""

from __future__ import annotations

import io
import re

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from gkml_ssg.export.layout import Layout, Table, column_widths

CATALOGUE_SHEET = "目录"
NOTES_SHEET = "说明"
# Excel stores at most this many characters in a cell; openpyxl would cut a longer text short.
CELL_LIMIT = 32_767
# Excel's rules for a sheet name: at most 31 characters, none of \ / ? * : [ ].
_SHEET_NAME_LIMIT = 31
_NOT_IN_SHEET_NAME = re.compile(r"[\\/?*:\[\]]")
_LINE_HEIGHT = 15  # points: one line of the default 11-point font

_WRAP = Alignment(wrap_text=True, vertical="top")
_CENTRE = Alignment(wrap_text=True, vertical="center", horizontal="center")
_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=14)
_THIN = Side(style="thin")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def write_xlsx(layout: Layout) -> bytes:
    """The workbook's bytes (not yet made deterministic: `archive.fixed_zip` does that)."""
    workbook = Workbook()
    sheet = workbook.active
    assert isinstance(sheet, Worksheet)
    sheet.title = CATALOGUE_SHEET
    table = layout.catalogue
    row = 1
    if layout.title is not None:
        row = _paragraph(sheet, row, layout.title, table.width, _TITLE)
    for text in layout.before:
        row = _paragraph(sheet, row, text, table.width)
    header_row = row
    row = _table(sheet, row, table)
    for text in layout.after:
        row = _paragraph(sheet, row, text, table.width)
    # Frozen rows taller than the window (an overview of several lines) would leave nothing to scroll.
    if all("\n" not in text for text in layout.before):
        sheet.freeze_panes = f"A{header_row + table.header_rows}"
    _finish(sheet, table)
    taken = {CATALOGUE_SHEET, NOTES_SHEET}
    for attachment in layout.attachments:
        name = _sheet_name(attachment.sheet, taken)
        taken.add(name)
        listed = workbook.create_sheet(name)
        row = 1
        if attachment.title is not None:
            row = _paragraph(listed, row, attachment.title, attachment.table.width, _BOLD)
        _table(listed, row, attachment.table)
        listed.freeze_panes = f"A{row + attachment.table.header_rows}"
        _finish(listed, attachment.table)
    notes = workbook.create_sheet(NOTES_SHEET)
    _table(notes, 1, layout.notes)
    notes.freeze_panes = f"A{1 + layout.notes.header_rows}"
    _finish(notes, layout.notes)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _put(sheet: Worksheet, row: int, column: int, value: str) -> None:
    """A text into a cell as a string, whatever it looks like; an empty text leaves the cell
    empty."""
    if not value:
        return
    if len(value) > CELL_LIMIT:
        raise ValueError(
            f"工作表“{sheet.title}”第{row}行第{column}列的文字有{len(value)}字，超过 Excel 单元格的上限 {CELL_LIMIT} 字"
        )
    cell = sheet.cell(row=row, column=column)
    cell.value = value
    cell.data_type = "s"  # after the value: openpyxl has just guessed "f" or "e" for some texts


def _paragraph(sheet: Worksheet, row: int, text: str, width: int, font: Font | None = None) -> int:
    """A paragraph as one row, its text in the first cell merged across the table's width; the
    next free row."""
    _put(sheet, row, 1, text)
    cell = sheet.cell(row=row, column=1)
    cell.alignment = _WRAP
    if font is not None:
        cell.font = font
    if width > 1:
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    line_count = text.count("\n") + 1
    if line_count > 1:  # Excel does not grow a merged row to fit its text
        sheet.row_dimensions[row].height = _LINE_HEIGHT * line_count
    return row + 1


def _table(sheet: Worksheet, first_row: int, table: Table) -> int:
    """The table's rows from `first_row` on, bordered, headers bold and centred, then its merged
    regions; the next free row."""
    for offset, values in enumerate(table.rows):
        header = offset < table.header_rows
        for column, value in enumerate(values, start=1):
            _put(sheet, first_row + offset, column, value)
            cell = sheet.cell(row=first_row + offset, column=column)
            cell.border = _BORDER
            cell.alignment = _CENTRE if header else _WRAP
            if header:
                cell.font = _BOLD
    for merge in table.merges:
        sheet.merge_cells(
            start_row=first_row + merge.top,
            start_column=merge.left + 1,
            end_row=first_row + merge.bottom,
            end_column=merge.right + 1,
        )
    return first_row + len(table.rows)


def _finish(sheet: Worksheet, table: Table) -> None:
    """Column widths to fit the table, and landscape pages for printing."""
    for column, width in enumerate(column_widths(table), start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.page_setup.orientation = "landscape"


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
