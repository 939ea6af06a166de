"""Which rows of a grid are its header, and which column each grid column is.

A header is one row, or two where the second names the parts of a group above it (公开事项 over
一级事项/二级事项, 公开对象 over 全社会/特定群体, 公开渠道和载体 over one column per channel). A
header word is taken from the officer's mapping first, then the form's listed words, then, for a
typo, the closest listed word (reported). Rows above the header are the document's own lines
(title, counts) that a spreadsheet keeps in cells.
"""

from __future__ import annotations

from dataclasses import dataclass

from gkml_ssg.content.model import ChannelKind
from gkml_ssg.form.channels import channel_of
from gkml_ssg.form.columns import Column, closest_column, header_key, known_column
from gkml_ssg.form.text import close_gaps
from gkml_ssg.tables.grid import Grid, distinct_cells

# A header is looked for among a table's first rows (a sheet may have a title, counts and a unit
# above it).
SEARCH_ROWS = 12
GROUPS = {Column.ITEM, Column.AUDIENCE, Column.MODE, Column.FIVE_TYPES, Column.CHANNELS}


@dataclass(frozen=True)
class Head:
    """One grid column: what it holds, as which header words."""

    index: int  # 1-based grid column
    column: Column | None  # None: not recognised
    header: str  # as written (the lower header when there are two)
    group: Column | None = None  # the group header above it
    channel: ChannelKind | None = None  # a channel's own tick column
    judged: str | None = None  # the listed word a typo was taken for


@dataclass(frozen=True)
class Header:
    first: int  # 1-based rows
    last: int
    heads: tuple[Head, ...]

    def columns(self, column: Column) -> list[Head]:
        return [head for head in self.heads if head.column is column]

    def has(self, *columns: Column) -> bool:
        return any(head.column in columns for head in self.heads)


def find_header(grid: Grid, mapping: dict[str, Column]) -> Header | None:
    """The grid's header, or None when none of its first rows reads as one."""
    for row in range(1, min(grid.rows, SEARCH_ROWS) + 1):
        if is_header_row(grid, row, mapping):
            two = row < grid.rows and _is_second_row(grid, row, mapping)
            return Header(row, row + 1 if two else row, tuple(_heads(grid, row, two, mapping)))
    return None


def _word(text: str, mapping: dict[str, Column]) -> Column | None:
    return mapping.get(header_key(text)) or known_column(text)


def is_header_row(grid: Grid, row: int, mapping: dict[str, Column]) -> bool:
    """Whether the row reads as a header (three known columns at least, half its texts)."""
    texts = [cell.text for cell in distinct_cells(grid.cells[row - 1])]
    known = {column for text in texts if (column := _word(text, mapping)) is not None}
    return len(known) >= 3 and len(known) * 2 >= len(texts)


def _groups(grid: Grid, row: int, mapping: dict[str, Column]) -> list[Column | None]:
    """The column each cell of a header row names, a group's continuing to its right over the empty
    cells after it: a group header merged across its columns repeats its text in each, but a CSV
    (or a careless table) writes it once and leaves the cells after it empty."""
    found: list[Column | None] = []
    for cell in grid.cells[row - 1]:
        column = _word(cell.text, mapping) if cell.text.strip() else None
        if column is None and not cell.text.strip() and found and found[-1] in GROUPS:
            column = found[-1]
        found.append(column)
    return found


def _is_second_row(grid: Grid, row: int, mapping: dict[str, Column]) -> bool:
    """Whether the row below a header names the parts of its groups: every text of its own (not
    merged down from the header) is a header word or a channel under 公开渠道和载体."""
    below = grid.cells[row]
    groups = _groups(grid, row, mapping)
    own = 0
    for cell in below:
        above = grid.cells[row - 1][cell.column - 1]
        if not cell.text.strip() or (cell.merged_from is not None and cell.merged_from == above.merged_from):
            continue
        group = groups[cell.column - 1]
        if _word(cell.text, mapping) is None and not (group is Column.CHANNELS and channel_of(cell.text)):
            return False
        own += 1
    return own > 0


def _heads(grid: Grid, row: int, two: bool, mapping: dict[str, Column]) -> list[Head]:
    heads = []
    groups = _groups(grid, row, mapping)
    for top in grid.cells[row - 1]:
        lower = grid.cells[row][top.column - 1] if two else None
        split = lower is not None and lower.text.strip() and not (lower.merged_from is not None and lower.merged_from == top.merged_from)
        if lower is not None and split:
            heads.append(_head(top.column, close_gaps(lower.text), groups[top.column - 1], mapping))
        else:
            heads.append(_head(top.column, close_gaps(top.text), None, mapping))
    return heads


def _head(index: int, text: str, group: Column | None, mapping: dict[str, Column]) -> Head:
    if not text:
        return Head(index, None, text, group)
    column = _word(text, mapping)
    if group is Column.CHANNELS and column is None:
        channel = channel_of(text)
        if channel is not None:
            return Head(index, Column.CHANNEL_TICK, text, group, channel.kind)
    if column is None and (closest := closest_column(text)) is not None:
        return Head(index, closest[0], text, group, judged=closest[1])
    if column is None and group is not None and group not in GROUPS:
        column = group  # a header merged over two columns whose lower cells say nothing known
    return Head(index, column, text, group)


def header_texts(grid: Grid, header: Header) -> set[str]:
    """The header's words, to recognise the header repeated after a page break."""
    return {header_key(cell.text) for row in grid.cells[header.first - 1 : header.last] for cell in row if cell.text.strip()}
