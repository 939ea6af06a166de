"""Word (.docx) → paragraphs and grids, from the document's XML.

python-docx's `table.rows[i].cells` repeats a merged cell's object and hides skipped grid columns,
so the table is walked as WordprocessingML says: `w:tbl/w:tr/w:tc`, `w:gridBefore`/`w:gridAfter`
(grid columns a row skips: empty cells), `w:gridSpan` (a cell over several grid columns),
`w:vMerge` restart/continue (a cell over several rows) and the legacy `w:hMerge`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import docx
from docx.oxml.ns import qn

from gkml_ssg.tables.grid import Cell, Document, Grid, Paragraph, TableError, check_rows, rectangle

# w:sym characters (font, code without the F000 private-use offset) → the character they show.
SYMBOLS = {
    ("wingdings", 0x6E): "☑",  # ■ black square, the ticked box of the catalogues
    ("wingdings", 0x6F): "☐",  # □
    ("wingdings", 0x70): "☐",  # ◻
    ("wingdings", 0x71): "☐",  # ❑
    ("wingdings", 0x72): "☐",  # ❒
    ("wingdings", 0xA8): "☐",  # ◻ the box Word's check-box bullets use
    ("wingdings", 0x78): "☑",  # ⌧ box with an X
    ("wingdings", 0xFC): "√",  # 🗸 check mark
    ("wingdings", 0xFD): "☑",  # 🗵 box with an X
    ("wingdings", 0xFE): "☑",  # 🗹 box with a check mark
    ("wingdings 2", 0x50): "√",  # 🗸 check mark
    ("wingdings 2", 0x52): "☑",  # 🗹 box with a check mark
    ("wingdings 2", 0x53): "☑",  # ⮽ box with an X
    ("wingdings 2", 0x54): "☑",  # ☒ box with an X
    ("wingdings 2", 0xA3): "☐",  # □
    ("symbol", 0xD6): "√",  # the radical sign, inserted as a tick
}

Element = Any  # lxml elements of python-docx's oxml (lxml has no type stubs)


def read_docx(path: Path, source: str) -> Document:
    """The document's body in order; raises TableError for a file python-docx cannot open."""
    try:
        body = docx.Document(str(path)).element.body
    except Exception as error:
        raise TableError(f"{source}：Word 文件已损坏，无法读取（{type(error).__name__}）") from error
    reader = _Reader(source)
    for child in _blocks(body):
        if child.tag == qn("w:p"):
            reader.blocks.append(Paragraph(reader.paragraph(child)))
        else:
            reader.table(child)
    return Document(source, reader.blocks, reader.notes)


def _blocks(parent: Element) -> list[Element]:
    """The paragraphs and tables of a body or cell, content controls (w:sdt) opened."""
    found: list[Element] = []
    for child in parent:
        if child.tag in (qn("w:p"), qn("w:tbl")):
            found.append(child)
        elif child.tag in (qn("w:sdt"), qn("w:customXml")):
            content = child.find(qn("w:sdtContent"))
            found.extend(_blocks(child if content is None else content))
    return found


def _value(element: Element | None, name: str = "w:val") -> str | None:
    return None if element is None else element.get(qn(name))


class _Reader:
    def __init__(self, source: str) -> None:
        self.source = source
        self.blocks: list[Paragraph | Grid] = []
        self.notes: list[str] = []
        self.where = ""  # the position being read, for the notes

    def table(self, tbl: Element) -> None:
        number = sum(isinstance(block, Grid) for block in self.blocks) + 1
        name = f"表{number}"
        rows_xml = tbl.findall(qn("w:tr"))
        check_rows(self.source, name, len(rows_xml))

        def where(row: int, column: int) -> str:
            return f"{name} 第{row}行第{column}列"

        rows: list[list[Cell]] = []
        for row_number, tr in enumerate(rows_xml, start=1):
            trpr = tr.find(qn("w:trPr"))
            before = int(_value(trpr.find(qn("w:gridBefore")) if trpr is not None else None) or 0)
            after = int(_value(trpr.find(qn("w:gridAfter")) if trpr is not None else None) or 0)
            row = [Cell("", row_number, column, None, where(row_number, column)) for column in range(1, before + 1)]
            for tc in tr.findall(qn("w:tc")):
                tcpr = tc.find(qn("w:tcPr"))
                span = int(_value(tcpr.find(qn("w:gridSpan")) if tcpr is not None else None) or 1)
                vmerge = tcpr.find(qn("w:vMerge")) if tcpr is not None else None
                hmerge = tcpr.find(qn("w:hMerge")) if tcpr is not None else None
                first = len(row) + 1
                self.where = where(row_number, first)
                text = self.cell_text(tc)
                for column in range(first, first + span):
                    origin = (row_number, first) if span > 1 else None
                    cell_text = text
                    if vmerge is not None and _value(vmerge) != "restart" and len(rows) and column <= len(rows[-1]):
                        above = rows[-1][column - 1]  # a continue cell: the restart cell's text
                        origin, cell_text = above.merged_from or (above.row, above.column), above.text
                    elif vmerge is not None and _value(vmerge) == "restart":
                        origin = (row_number, first)
                    elif hmerge is not None and _value(hmerge) != "restart" and row:
                        left = row[first - 2]
                        origin, cell_text = left.merged_from or (left.row, left.column), left.text
                    row.append(Cell(cell_text, row_number, column, origin, where(row_number, column)))
            row += [Cell("", row_number, column, None, where(row_number, column)) for column in range(len(row) + 1, len(row) + after + 1)]
            rows.append(row)
        self._close_origins(rows)
        self.blocks.append(Grid(name, rectangle(rows, where)))
        self.where = ""

    @staticmethod
    def _close_origins(rows: list[list[Cell]]) -> None:
        """A restart cell no continue cell followed is not merged after all."""
        used = {cell.merged_from for row in rows for cell in row if cell.is_covered}
        for row in rows:
            for index, cell in enumerate(row):
                if cell.is_merge_origin and (cell.row, cell.column) not in used:
                    row[index] = Cell(cell.text, cell.row, cell.column, None, cell.where)

    def cell_text(self, tc: Element) -> str:
        parts = []
        for child in _blocks(tc):
            if child.tag == qn("w:p"):
                parts.append(self.paragraph(child))
            else:
                self.notes.append(f"{self.source}：{self.where} 含嵌套表格，其文字已并入该单元格（行分行，格以制表符分隔）")
                parts.append(self.nested(child))
        return "\n".join(parts)

    def nested(self, tbl: Element) -> str:
        return "\n".join("\t".join(self.cell_text(tc) for tc in tr.findall(qn("w:tc"))) for tr in tbl.findall(qn("w:tr")))

    def paragraph(self, p: Element) -> str:
        """Runs concatenated: w:t text, w:tab a tab, w:br/w:cr a line break, w:sym its character,
        a legacy check-box form field ☑/☐; deleted text (w:delText) left out."""
        parts: list[str] = []
        for run in p.iter(qn("w:r")):
            for child in run:
                tag = child.tag
                if tag == qn("w:t"):
                    parts.append(child.text or "")
                elif tag == qn("w:tab"):
                    parts.append("\t")
                elif tag in (qn("w:br"), qn("w:cr")):
                    parts.append("\n")
                elif tag == qn("w:noBreakHyphen"):
                    parts.append("-")
                elif tag == qn("w:sym"):
                    parts.append(self.symbol(child))
                elif tag == qn("w:fldChar"):
                    parts.append(self.check_box(child))
        return "".join(parts)

    def symbol(self, sym: Element) -> str:
        font = (_value(sym, "w:font") or "").strip().lower()
        code = int(_value(sym, "w:char") or "0", 16)
        code = code - 0xF000 if code >= 0xF000 else code
        if (font, code) in SYMBOLS:
            return SYMBOLS[(font, code)]
        self.notes.append(f"{self.source}：{self.where or '正文'} 有无法识别的符号（字体 {font or '未注明'}，代码 {code:04X}），已按原代码保留")
        return chr(code)

    @staticmethod
    def check_box(fld_char: Element) -> str:
        box = fld_char.find(f"{qn('w:ffData')}/{qn('w:checkBox')}")
        if box is None:
            return ""
        state = box.find(qn("w:checked"))
        if state is None:
            state = box.find(qn("w:default"))
            ticked = state is not None and _value(state) not in ("0", "false")
        else:
            ticked = _value(state) not in ("0", "false")
        return "☑" if ticked else "☐"
