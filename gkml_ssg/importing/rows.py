"""A table's body: the rows below its header, told apart from what only looks like a row.

Not rows: empty rows; the header repeated after a page break; and lines a spreadsheet keeps in
cells (a title or a count above the header, a 注 or the sign-off under the table): one text
across the row, or in its first cell alone, that reads as a document line. A row of one text
across the table that is none of those is a banner (a category written across the row).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from gkml_ssg.form.columns import Column, header_key
from gkml_ssg.form.text import close_gaps
from gkml_ssg.importing.headers import Head, Header
from gkml_ssg.tables.grid import Cell, Grid, distinct_cells

# The words a document line starts with (or holds, for the counts).
LINE_WORDS = re.compile(r"^(注|备注|说明|责任单位|填表人|复核人|审签人|填表时间|单位|附件\s*\d)\s*[：:0-9一二三四五六七八九十、.．]|主动公开一级事项|依申请公开二级事项")


@dataclass(frozen=True)
class Row:
    """A body row: its grid row number and its cells by column head."""

    number: int
    cells: tuple[tuple[Head, Cell], ...]

    def cell(self, column: Column) -> Cell | None:
        """The first cell of that column."""
        return next((cell for head, cell in self.cells if head.column is column), None)

    def text(self, column: Column) -> str:
        cell = self.cell(column)
        return close_gaps(cell.text) if cell is not None else ""

    def all(self, column: Column) -> list[tuple[Head, Cell]]:
        return [(head, cell) for head, cell in self.cells if head.column is column]


@dataclass(frozen=True)
class Banner:
    """One text across a body row that is not a document line: a category written as a row."""

    number: int
    text: str
    where: str


@dataclass(frozen=True)
class Line:
    """A document line kept in a cell (title, counts, 注, sign-off)."""

    text: str
    where: str


@dataclass(frozen=True)
class RepeatedHeader:
    number: int
    where: str


Body = Row | Banner | Line | RepeatedHeader


def body(grid: Grid, header: Header, words: set[str], first: int | None = None) -> list[Body]:
    """The rows from `first` (default: below the header) to the table's end, each as what it is;
    `words` are the header's (`header_texts` of the grid the header is in), to know it repeated."""
    found: list[Body] = []
    for number in range(first or header.last + 1, grid.rows + 1):
        cells = grid.cells[number - 1]
        texts = [cell for cell in cells if cell.text.strip()]
        if not texts:
            continue
        if _repeats_header(texts, words):
            found.append(RepeatedHeader(number, cells[0].where))
        elif (single := single_text(cells)) is not None:
            text, where = single
            found.append(Line(text, where) if LINE_WORDS.search(text) else Banner(number, text, where))
        else:
            found.append(Row(number, tuple((head, cells[head.index - 1]) for head in header.heads)))
    return found


def lines_above(grid: Grid, header: Header) -> list[Line]:
    """The document lines a sheet keeps above its header."""
    lines = []
    for number in range(1, header.first):
        texts = [close_gaps(cell.text) for cell in distinct_cells(grid.cells[number - 1])]
        if texts:
            lines.append(Line("　".join(texts), grid.cells[number - 1][0].where))
    return lines


def single_text(cells: list[Cell]) -> tuple[str, str] | None:
    """The text of a row that holds one text only, with its place: one cell, one merged region, or
    the same text in every cell (a merged row saved as CSV by some programs)."""
    distinct = distinct_cells(cells)
    if not distinct or len(cells) < 3:
        return None
    only = distinct[0]
    if len(distinct) > 1:
        repeated = len(distinct) == len(cells) and len({close_gaps(cell.text) for cell in distinct}) == 1
        return (close_gaps(only.text), only.where) if repeated else None
    spans = sum(1 for cell in cells if cell.merged_from is not None and cell.merged_from == only.merged_from)
    if spans * 2 < len(cells) and only.column != 1:
        return None
    return close_gaps(only.text), only.where


def _repeats_header(cells: list[Cell], words: set[str]) -> bool:
    keys = [header_key(cell.text) for cell in cells]
    return len(keys) >= 2 and sum(key in words for key in keys) * 10 >= len(keys) * 8
