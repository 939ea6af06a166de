"""Characters no content may hold (control characters, noncharacters: `content.characters`),
taken out of every cell and paragraph before anything is read, each one reported with its place.
They come with text pasted from PDFs and web pages and are invisible in Office."""

from __future__ import annotations

import dataclasses

from gkml_ssg.content.characters import FORBIDDEN, describe
from gkml_ssg.importing.report import Report
from gkml_ssg.tables.grid import Document, Grid, Paragraph


def without_forbidden(document: Document, report: Report) -> Document:
    blocks: list[Paragraph | Grid] = []
    paragraphs = 0
    for block in document.blocks:
        if isinstance(block, Paragraph):
            paragraphs += 1
            blocks.append(Paragraph(_clean(block.text, f"第{paragraphs}段", report)))
            continue
        cells = [
            [dataclasses.replace(cell, text=_clean(cell.text, cell.where, report, cell.is_covered)) for cell in row]
            for row in block.cells
        ]
        blocks.append(Grid(block.name, cells))
    return Document(document.source, blocks, document.notes)


def _clean(text: str, where: str, report: Report, quiet: bool = False) -> str:
    found = {match.group() for match in FORBIDDEN.finditer(text)}
    if not found:
        return text
    if not quiet:  # a merged region is reported once, at its top-left cell
        names = "、".join(describe(char) for char in sorted(found))
        report.note(where, f"含有不允许的字符 {names}（常随从 PDF 或网页复制的文字混入，看不见）", "已删除")
    return FORBIDDEN.sub("", text)
