"""The uniform grid every reader makes: cells with their text and their position."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

# A sheet or table of more rows than this is refused (read.py refuses large files the same way).
MAX_ROWS = 20_000

# What a check box or tick looks like in a file → the one character it is read as. Cells keep their
# text as written (a 备注 may quote a ■); who reads a cell as a check box applies `check_marks`.
CHECK_MARKS = {
    "■": "☑", "☑": "☑", "☒": "☑", "🗹": "☑", "🗷": "☑", "⌧": "☑",
    "□": "☐", "☐": "☐", "◻": "☐", "❑": "☐", "❒": "☐",
    "√": "√", "✓": "√", "✔": "√", "🗸": "√",
}  # fmt: skip


class TableError(Exception):
    """A file that cannot be read as tables; the message is Chinese and names the file."""


@dataclass(frozen=True)
class Cell:
    """One grid position. `merged_from` is the (row, column) of the top-left cell of the merged
    region covering it (the top-left cell points at itself), None when the cell is not merged.
    `formula` is the spreadsheet formula whose cached value `text` is, when the cell had one."""

    text: str
    row: int
    column: int
    merged_from: tuple[int, int] | None
    where: str
    formula: str | None = None

    @property
    def is_merge_origin(self) -> bool:
        return self.merged_from == (self.row, self.column)

    @property
    def is_covered(self) -> bool:
        """Part of a merged region without being its top-left cell: its text is repeated."""
        return self.merged_from is not None and not self.is_merge_origin


@dataclass
class Grid:
    """A table or sheet: rows of cells, every row as long as the longest."""

    name: str
    cells: list[list[Cell]]

    @property
    def rows(self) -> int:
        return len(self.cells)

    @property
    def columns(self) -> int:
        return len(self.cells[0]) if self.cells else 0

    def cell(self, row: int, column: int) -> Cell:
        """The cell at 1-based (row, column)."""
        return self.cells[row - 1][column - 1]

    def texts(self) -> list[list[str]]:
        return [[cell.text for cell in row] for row in self.cells]

    @property
    def is_empty(self) -> bool:
        return not any(cell.text.strip() for row in self.cells for cell in row)


@dataclass(frozen=True)
class Paragraph:
    """A text paragraph of the document's body, outside any table."""

    text: str


Block = Paragraph | Grid


@dataclass
class Document:
    """A file's body in order: paragraphs and tables (a workbook: one grid per sheet), with the
    notes the reading made (in Chinese, each naming the position it is about)."""

    source: str
    blocks: list[Block]
    notes: list[str] = field(default_factory=list)

    @property
    def tables(self) -> list[Grid]:
        return [block for block in self.blocks if isinstance(block, Grid)]

    @property
    def paragraphs(self) -> list[str]:
        return [block.text for block in self.blocks if isinstance(block, Paragraph)]

    def paragraphs_before(self, table: Grid) -> list[str]:
        """The paragraphs between the previous table (or the start) and this one."""
        return self._around(table, before=True)

    def paragraphs_after(self, table: Grid) -> list[str]:
        """The paragraphs between this table and the next (or the end)."""
        return self._around(table, before=False)

    def _around(self, table: Grid, *, before: bool) -> list[str]:
        at = next(index for index, block in enumerate(self.blocks) if block is table)
        found: list[str] = []
        span = range(at - 1, -1, -1) if before else range(at + 1, len(self.blocks))
        for index in span:
            block = self.blocks[index]
            if isinstance(block, Grid):
                break
            found.append(block.text)
        return found[::-1] if before else found


def distinct_cells(cells: list[Cell]) -> list[Cell]:
    """The cells of a row that hold text, each merged region once (at its first cell)."""
    seen: set[tuple[int, int]] = set()
    distinct = []
    for cell in cells:
        origin = cell.merged_from or (cell.row, cell.column)
        if origin in seen or not cell.text.strip():
            continue
        seen.add(origin)
        distinct.append(cell)
    return distinct


def check_marks(text: str) -> str:
    """The text with every check box or tick written as ☑, ☐ or √."""
    return "".join(CHECK_MARKS.get(character, character) for character in text)


def one_line_ending(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def check_rows(source: str, name: str, rows: int) -> None:
    """Refuse a table of more than MAX_ROWS rows before its cells are read."""
    if rows > MAX_ROWS:
        raise TableError(f"{source}：“{name}”有 {rows} 行，超过上限 {MAX_ROWS} 行，不予读取；请拆分后再导入")


def rectangle(rows: list[list[Cell]], where: Callable[[int, int], str]) -> list[list[Cell]]:
    """The rows padded with empty cells to the longest row's length."""
    width = max((len(row) for row in rows), default=0)
    return [
        row + [Cell("", number, column, None, where(number, column)) for column in range(len(row) + 1, width + 1)]
        for number, row in enumerate(rows, start=1)
    ]
