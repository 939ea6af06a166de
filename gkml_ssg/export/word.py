"""The layout as a Word document (.docx), with python-docx.

Each paragraph of the layout is a body paragraph, each table a Word table whose merged regions
are real merges (`gridSpan` across, `vMerge` down), so that Word shows the form as officers know
it and the importer reads a merged cell once. A line break inside a text is a line break in its
run (`w:br`), never a new paragraph: a paragraph break would read back as the same text, but a
cell of several paragraphs is not what officers type.
"""

from __future__ import annotations

import io
import re

import docx
from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Pt
from docx.text.paragraph import Paragraph

from gkml_ssg.export.layout import Layout, Table, column_widths

NOTES_HEADING = "说明"
_MARGIN = Cm(1.5)
_FONT = "宋体"  # the usual typeface of government forms; Word substitutes one where it is missing
# Characters XML 1.0 cannot hold; the content model refuses them, so meeting one here is a bug.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def write_docx(layout: Layout) -> bytes:
    """The document's bytes (not yet made deterministic: `archive.fixed_zip` does that)."""
    document = docx.Document()
    _page(document)
    if layout.title is not None:
        title = _paragraph(document, layout.title, bold=True)
        title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for text in layout.before:
        _paragraph(document, text)
    _table(document, layout.catalogue)
    for text in layout.after:
        _paragraph(document, text)
    for attachment in layout.attachments:
        if attachment.label is not None:
            _paragraph(document, attachment.label)
        if attachment.title is not None:
            _paragraph(document, attachment.title, bold=True)
        _table(document, attachment.table)
    _paragraph(document, NOTES_HEADING, bold=True)
    _table(document, layout.notes)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _page(document: Document) -> None:
    """A4 landscape with narrow margins (the form is wide), and a Chinese typeface for the text."""
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21)
    section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = _MARGIN
    normal = document.styles["Normal"]
    normal.font.size = Pt(10.5)
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), _FONT)


def _write(paragraph: Paragraph, text: str, bold: bool = False) -> None:
    """`text` into `paragraph` as one run, each line break a `w:br`."""
    if _NOT_XML.search(text):
        raise ValueError(f"文字含有 Word 无法保存的控制字符：{text!r}")
    run = paragraph.add_run()
    if bold:
        run.bold = True
    for index, line in enumerate(text.split("\n")):
        if index:
            run.add_break()
        if line:
            run.add_text(line)


def _paragraph(document: Document, text: str, bold: bool = False) -> Paragraph:
    paragraph = document.add_paragraph()
    _write(paragraph, text, bold)
    return paragraph


def _table(document: Document, table: Table) -> None:
    """A Word table of the table's texts: bordered, headers bold, centred and repeated at the top
    of every page, columns as wide as their texts need, then the merges."""
    body = document.element.body
    if len(body) > 1 and body[-2].tag == qn("w:tbl"):
        # Word joins two tables with nothing between them into one when the file is next saved.
        document.add_paragraph()
    section = document.sections[0]
    usable = int(section.page_width or 0) - int(section.left_margin or 0) - int(section.right_margin or 0)
    wanted = column_widths(table)
    widths = [Emu(usable * width // sum(wanted)) for width in wanted]
    grid = document.add_table(rows=len(table.rows), cols=table.width)
    grid.style = document.styles["Table Grid"]
    for column, width in zip(grid.columns, widths, strict=True):
        column.width = width
    for index, (row, values) in enumerate(zip(grid.rows, table.rows, strict=True)):
        header = index < table.header_rows
        if header:  # python-docx has no word for a repeated header row: its XML, `w:tblHeader`
            row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
        for cell, value, width in zip(row.cells, values, widths, strict=True):
            cell.width = width
            if value:
                paragraph = cell.paragraphs[0]
                _write(paragraph, value, bold=header)
                if header:
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    # `grid.cell(row, column)` lays out the whole table on every call; a row's cells are its own.
    rows = list(grid.rows)
    for merge in table.merges:
        rows[merge.top].cells[merge.left].merge(rows[merge.bottom].cells[merge.right])
