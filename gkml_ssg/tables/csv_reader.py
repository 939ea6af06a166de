"""CSV → one grid: UTF-8 (with or without BOM), else GB18030; comma or tab separated."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from gkml_ssg.tables.grid import Cell, Document, Grid, TableError, check_rows, one_line_ending, rectangle


def read_csv(path: Path, source: str) -> Document:
    data = path.read_bytes()
    if b"\x00" in data[:8192]:
        raise TableError(f"{source}：不是文本 CSV 文件（含二进制内容），可能是改了扩展名的其他文件")
    text = decode(data, source)
    delimiter = sniff(text)
    records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False))
    while records and not any(field.strip() for field in records[-1]):
        records.pop()
    check_rows(source, path.name, len(records))

    def where(row: int, column: int) -> str:
        return f"第{row}行第{column}列"

    rows = [
        [Cell(one_line_ending(field), row, column, None, where(row, column)) for column, field in enumerate(record, start=1)]
        for row, record in enumerate(records, start=1)
    ]
    notes = [f"{source}：以 GB18030 编码读取"] if not _is_utf8(data) else []
    return Document(source, [Grid(path.stem, rectangle(rows, where))], notes)


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    return True


def decode(data: bytes, source: str) -> str:
    """UTF-8 (a BOM dropped), else GB18030, the encoding of Chinese Windows' Excel."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise TableError(f"{source}：CSV 文件既不是 UTF-8 也不是 GB18030 编码，请在 Excel 中另存为“CSV UTF-8”后再导入")


def sniff(text: str) -> str:
    """Comma or tab: what the sniffer finds in the first lines, else the more frequent of the two
    in the first line."""
    sample = "".join(text.splitlines(keepends=True)[:20])
    try:
        return csv.Sniffer().sniff(sample, delimiters=",\t").delimiter
    except csv.Error:
        first = text.split("\n", 1)[0]
        return "\t" if first.count("\t") > first.count(",") else ","
