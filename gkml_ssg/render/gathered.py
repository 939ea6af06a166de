"""The site's downloads, gathered from every agency's: one CSV per list with every agency's rows,
and one workbook with a sheet per list.

Each agency's CSV of a list is made by the same template, so they share one header row; the
site's CSV is that header followed by each agency's rows, in page-graph order, byte for byte as
the agency's file has them. The workbook is read back from those CSVs, so the two never differ.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from xlsxwriter import Workbook

from gkml_ssg.export.archive import fixed_zip
from gkml_ssg.export.layout import display_width
from gkml_ssg.render.formats import csv_text

BOM = "\ufeff".encode()
# Widths are measured on the first rows only: a province's list has 100,000 rows.
_MEASURED_ROWS = 200
_WIDEST = 40


@dataclass(frozen=True)
class GatheredTable:
    sheet: str  # its sheet's name in the workbook (at most 31 characters)
    csv: bytes  # the gathered CSV


class HeadersDiffer(ValueError):
    """Two agencies' CSVs of one list have different header rows (made by different templates)."""


def gathered_csv(parts: Sequence[bytes]) -> bytes:
    """One CSV of every part's rows under their common header row (the first line: a header has
    no line break inside a cell). Raises HeadersDiffer when the parts' headers differ."""
    if not parts:
        return b""
    header, _, _ = parts[0].partition(b"\n")
    gathered = [header, b"\n"]
    for part in parts:
        own, _, rows = part.partition(b"\n")
        if own.removeprefix(BOM) != header.removeprefix(BOM):
            raise HeadersDiffer(f"表头不同：{own.decode('utf-8', 'replace')}")
        gathered.append(rows)
    return b"".join(gathered)


def csv_rows(data: bytes) -> Iterator[list[str]]:
    """A CSV's rows, as they are read, with each cell's text as written in the content (the
    formula guard taken off)."""
    for row in csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")):
        yield [csv_text(cell) for cell in row]


def gathered_workbook(tables: Sequence[GatheredTable]) -> bytes:
    """A workbook with a sheet per table: its header row bold and frozen, a filter on every
    column, every cell a string (never a formula). Deterministic bytes."""
    buffer = io.BytesIO()
    # constant_memory writes each row out as it comes: a province's lists do not sit in memory
    workbook = Workbook(
        buffer,
        {"constant_memory": True, "strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False},
    )
    header_format = workbook.add_format({"bold": True, "text_wrap": True, "valign": "vcenter", "border": 1})
    body_format = workbook.add_format({"text_wrap": True, "valign": "top"})
    for table in tables:
        rows = list(csv_rows(table.csv))
        sheet = workbook.add_worksheet(table.sheet)
        if not rows:
            continue
        width = len(rows[0])
        for column, characters in enumerate(_column_widths(rows)):
            sheet.set_column(column, column, characters)
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, max(len(rows) - 1, 0), width - 1)
        for number, row in enumerate(rows):
            cell_format = header_format if number == 0 else body_format
            for column, value in enumerate(row):
                if value:
                    sheet.write_string(number, column, value, cell_format)
    workbook.close()
    return fixed_zip(buffer.getvalue())


def _column_widths(rows: list[list[str]]) -> list[int]:
    widths = [6] * len(rows[0])
    for row in rows[:_MEASURED_ROWS]:
        for column, value in enumerate(row[: len(widths)]):
            widths[column] = max(widths[column], min(display_width(value) + 2, _WIDEST))
    return widths
