"""Excel (.xlsx) → one grid per sheet, with openpyxl.

The workbook is opened twice: with `data_only=True` for the values Excel last calculated (what the
officer sees), and as written to find the formula cells. A formula cell keeps its cached value as
its text and its formula in `Cell.formula`; one without a cached value (a file never opened in
Excel) gets an empty text and a note.
"""

from __future__ import annotations

import datetime
import re
import warnings
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.utils import get_column_letter

from gkml_ssg.tables.grid import Cell, Document, Grid, TableError, check_rows, one_line_ending, rectangle


def read_xlsx(path: Path, source: str) -> Document:
    try:
        with warnings.catch_warnings():  # openpyxl warns of extensions it drops (data validation, styles): not cell values
            warnings.simplefilter("ignore")
            values = openpyxl.load_workbook(path, read_only=False, data_only=True)
            formulas = openpyxl.load_workbook(path, read_only=False, data_only=False)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError, IndexError) as error:
        raise TableError(f"{source}：Excel 文件已损坏，无法读取（{type(error).__name__}）") from error
    notes: list[str] = []
    grids = []
    for sheet in values.worksheets:
        formula_sheet = formulas[sheet.title]
        if sheet.sheet_state != "visible":
            notes.append(f"{source}：工作表“{sheet.title}”是隐藏的，仍已读取")
        last_row, last_column = _extent(sheet)
        check_rows(source, f"工作表“{sheet.title}”", last_row)
        merged = {}
        for merged_range in sheet.merged_cells.ranges:
            top_left = (merged_range.min_row, merged_range.min_col)
            for row in range(merged_range.min_row, merged_range.max_row + 1):
                for column in range(merged_range.min_col, merged_range.max_col + 1):
                    merged[(row, column)] = top_left

        def where(row: int, column: int, title: str = sheet.title) -> str:
            return f"{sheet_reference(title)}!{get_column_letter(column)}{row}"

        rows = []
        for row in range(1, last_row + 1):
            cells = []
            for column in range(1, last_column + 1):
                origin = merged.get((row, column))
                at = origin or (row, column)
                cell = sheet.cell(*at)
                written = formula_sheet.cell(*at)
                formula = _formula(written.value) if written.data_type == "f" else None
                if formula is not None and cell.value is None and origin in (None, (row, column)):
                    notes.append(f"{source}：{where(row, column)} 是公式 {formula}，文件中没有计算结果（未在 Excel 中保存过），读作空白")
                cells.append(Cell(display(cell.value, cell.number_format), row, column, origin, where(row, column), formula))
            rows.append(cells)
        grids.append(Grid(sheet.title, rectangle(rows, where)))
    return Document(source, list(grids), notes)


def _extent(sheet: Any) -> tuple[int, int]:
    """The last row and column holding a value or a merged region (formatting alone is not content)."""
    last_row = last_column = 0
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value is not None and cell.value != "":
                last_row, last_column = max(last_row, cell.row), max(last_column, cell.column)
    for merged_range in sheet.merged_cells.ranges:
        if sheet.cell(merged_range.min_row, merged_range.min_col).value not in (None, ""):
            last_row, last_column = max(last_row, merged_range.max_row), max(last_column, merged_range.max_col)
    return last_row, last_column


def _formula(written: object) -> str:
    """A formula's text: a plain formula is a string, an array formula an object with `.text`."""
    return written if isinstance(written, str) else str(getattr(written, "text", written))


def sheet_reference(title: str) -> str:
    """The sheet's name as Excel writes it in a reference: quoted when it holds a space or sign."""
    return title if re.fullmatch(r"\w+", title) else "'" + title.replace("'", "''") + "'"


def display(value: object, number_format: str = "General") -> str:
    """A value as the officer sees it: 3 not 3.0, dates as YYYY-MM-DD, percentages with %."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0):
            return value.date().isoformat()
        return value.strftime("%Y-%m-%d %H:%M:%S" if value.second else "%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M:%S" if value.second else "%H:%M")
    if isinstance(value, int | float):
        if "%" in number_format:
            return number(value * 100) + "%"
        return number(value)
    return one_line_ending(str(value))


def number(value: float) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return repr(value) if isinstance(value, float) else str(value)
