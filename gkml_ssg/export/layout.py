"""The exported document as plain data: paragraphs and tables of text, with their merged regions.

Excel and Word differ only in how they write a paragraph, a cell and a merge; what goes where is
decided once, here and in `catalogue` and `lists`, so that both files hold the same layout and the
importer reads them alike.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

Record = TypeVar("Record")

TICK = "√"


@dataclass(frozen=True)
class Merge:
    """A merged region of a table, 0-based and inclusive; its text stands in the top-left cell."""

    top: int
    left: int
    bottom: int
    right: int


@dataclass(frozen=True)
class Table:
    """Rows of cell texts, each row as wide as the table; "" is an empty cell, and every cell a
    merge covers but its top-left one is "". The first `header_rows` rows are headers."""

    rows: tuple[tuple[str, ...], ...]
    merges: tuple[Merge, ...]
    header_rows: int

    @property
    def width(self) -> int:
        return len(self.rows[0]) if self.rows else 0


@dataclass(frozen=True)
class Attachment:
    """An attachment list: Excel names its sheet `sheet`, Word heads it with `label` and `title`."""

    sheet: str
    label: str | None
    title: str | None
    table: Table


@dataclass(frozen=True)
class Layout:
    """The whole document: the title, the other paragraphs before the main table, the table,
    paragraphs after it, the attachment lists, and the 说明 table."""

    title: str | None
    before: tuple[str, ...]
    catalogue: Table
    after: tuple[str, ...]
    attachments: tuple[Attachment, ...]
    notes: Table


@dataclass(frozen=True)
class Field(Generic[Record]):
    """A column of a table: its header, the group header above it (two-row headers only), and
    the text of its cell for one record."""

    header: str
    value: Callable[[Record], str]
    group: str | None = None


def optional_fields(
    records: Sequence[Record], columns: Sequence[tuple[str, Callable[[Record], str | None]]]
) -> list[Field[Record]]:
    """A field for each (header, value) column that some record has a value in: a column the
    form only sometimes has is written when used, so that an empty one never suggests the source
    had it."""
    return [Field(header, _text_of(value)) for header, value in columns if any(value(record) is not None for record in records)]


def _text_of(value: Callable[[Record], str | None]) -> Callable[[Record], str]:
    return lambda record: text(value(record))


def text(value: str | None) -> str:
    """A field's text as it is; None is an empty cell."""
    return "" if value is None else value


def lines(values: Sequence[str]) -> str:
    """A list field (bases, grounds) as one cell: one entry a line."""
    return "\n".join(values)


def display_width(value: str) -> int:
    """The width of a text's longest line in the columns of a monospace grid: a Chinese character
    (wide or full-width) takes two."""
    return max(
        (sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in line) for line in value.split("\n")), default=0
    )


def column_widths(table: Table, least: int = 6, most: int = 40) -> list[int]:
    """A width for each column, in the characters of the grid: its widest cell that no merge
    spans across columns (a merged title or group header does not widen one column), kept between
    `least` and `most` so that long texts wrap rather than make one column a screen wide."""
    across = {
        (row, column)
        for merge in table.merges
        if merge.right > merge.left
        for row in range(merge.top, merge.bottom + 1)
        for column in range(merge.left, merge.right + 1)
    }
    widths = [least] * table.width
    for row_index, row in enumerate(table.rows):
        for column, value in enumerate(row):
            # a cell cannot widen a column already `most` wide, nor one at least twice its length wide
            if widths[column] >= most or 2 * len(value) + 2 <= widths[column] or (row_index, column) in across:
                continue
            widths[column] = max(widths[column], min(display_width(value) + 2, most))
    return widths


def build_table(fields: Sequence[Field[Record]], records: Sequence[Record], header_rows: int) -> Table:
    """A table of one row per record under one or two header rows. With two, a field without a
    group has its header merged down over both rows, and consecutive fields of the same group
    have the group header merged across them above their own headers."""
    merges: list[Merge] = []
    if header_rows == 1:
        header: list[list[str]] = [[field.header for field in fields]]
    else:
        top = [field.group or field.header for field in fields]
        bottom = ["" if field.group is None else field.header for field in fields]
        for index, field in enumerate(fields):
            if field.group is None:
                merges.append(Merge(0, index, 1, index))
            elif index == 0 or fields[index - 1].group != field.group:
                right = index
                while right + 1 < len(fields) and fields[right + 1].group == field.group:
                    right += 1
                    top[right] = ""
                merges.append(Merge(0, index, 0, right))
        header = [top, bottom]
    body = [[field.value(record) for field in fields] for record in records]
    return Table(tuple(tuple(row) for row in header + body), tuple(merges), header_rows)


def merge_down(table: Table, column: int, runs: Sequence[tuple[int, int]]) -> Table:
    """The table with `column` merged over each (first, last) run of body rows (0-based, counted
    under the headers): the run's first text stays, the rest are emptied. A run of one row is no
    merge."""
    rows = [list(row) for row in table.rows]
    merges = list(table.merges)
    for first, last in runs:
        if last <= first:
            continue
        top, bottom = table.header_rows + first, table.header_rows + last
        for row in range(top + 1, bottom + 1):
            rows[row][column] = ""
        merges.append(Merge(top, column, bottom, column))
    return Table(tuple(tuple(row) for row in rows), tuple(merges), table.header_rows)
