"""Excel 97–2003 (.xls) → one grid per sheet, with xlrd.

xlrd does not keep formulas: a formula cell of an .xls reads as its cached value, unmarked.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import xlrd
from openpyxl.utils import get_column_letter

from gkml_ssg.tables.grid import Cell, Document, Grid, TableError, check_rows, rectangle
from gkml_ssg.tables.xlsx import display, sheet_reference


def read_xls(path: Path, source: str) -> Document:
    try:
        book = xlrd.open_workbook(str(path), formatting_info=True, on_demand=True)
    except xlrd.XLRDError as error:
        if "encrypted" in str(error).lower():
            raise TableError(f"{source}：Excel 文件设有打开密码，请在 Excel 中取消密码、另存后再导入") from error
        raise TableError(f"{source}：不是可读的 Excel 97–2003 (.xls) 文件或已损坏（{error}）") from error
    except (xlrd.compdoc.CompDocError, ValueError, IndexError, KeyError, AssertionError, OSError) as error:
        raise TableError(f"{source}：Excel (.xls) 文件已损坏，无法读取（{type(error).__name__}）") from error
    grids = []
    notes = []
    try:
        for index in range(book.nsheets):
            sheet = book.sheet_by_index(index)
            if sheet.visibility:
                notes.append(f"{source}：工作表“{sheet.name}”是隐藏的，仍已读取")
            check_rows(source, f"工作表“{sheet.name}”", sheet.nrows)
            merged = {}
            for first_row, end_row, first_column, end_column in sheet.merged_cells:
                for row in range(first_row, end_row):
                    for column in range(first_column, end_column):
                        merged[(row + 1, column + 1)] = (first_row + 1, first_column + 1)

            def where(row: int, column: int, title: str = sheet.name) -> str:
                return f"{sheet_reference(title)}!{get_column_letter(column)}{row}"

            rows = []
            for row in range(1, sheet.nrows + 1):
                cells = []
                for column in range(1, sheet.ncols + 1):
                    origin = merged.get((row, column))
                    at = origin or (row, column)
                    text = _text(book, sheet, at[0] - 1, at[1] - 1)
                    cells.append(Cell(text, row, column, origin, where(row, column)))
                rows.append(cells)
            grids.append(Grid(sheet.name, rectangle(rows, where)))
    finally:
        book.release_resources()
    return Document(source, list(grids), notes)


def _text(book: xlrd.Book, sheet: xlrd.sheet.Sheet, row: int, column: int) -> str:
    if column >= sheet.row_len(row):
        return ""
    cell = sheet.cell(row, column)
    if cell.ctype == xlrd.XL_CELL_DATE:
        moment = xlrd.xldate.xldate_as_datetime(cell.value, book.datemode)
        return display(moment.date() if moment.time() == datetime.time(0) else moment)
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return display(bool(cell.value))
    if cell.ctype == xlrd.XL_CELL_ERROR:
        return xlrd.error_text_from_code.get(cell.value, "#错误")
    if cell.ctype == xlrd.XL_CELL_NUMBER:
        number_format = book.format_map[book.xf_list[cell.xf_index].format_key].format_str
        return display(cell.value, number_format)
    return display(cell.value)
