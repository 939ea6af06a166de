"""gkml_ssg.tables: Word, Excel and CSV tables read into one grid, cell by cell, with positions
named as the office program names them; and every file it cannot read refused in Chinese.
The fixtures are made here (python-docx, openpyxl, xlwt): no binary file is committed."""

from __future__ import annotations

import datetime
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from docx import Document as WordDocument
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from gkml_ssg.tables import grid, read
from gkml_ssg.tables.grid import TableError
from gkml_ssg.tables.read import read_document

OLE = bytes.fromhex("D0CF11E0A1B11AE1")


def symbol(run, font: str, char: str) -> None:
    sym = OxmlElement("w:sym")
    sym.set(qn("w:font"), font)
    sym.set(qn("w:char"), char)
    run._r.append(sym)


def make_docx(path: Path) -> Path:
    document = WordDocument()
    document.add_paragraph("惠农区医疗保障局政务公开目录")
    document.add_paragraph("填表时间：2024年3月1日")
    table = document.add_table(rows=5, cols=4)
    for column, heading in enumerate(["序号", "一级事项", "二级事项", "公开渠道"]):
        table.cell(0, column).text = heading
    for row in (1, 2, 3):
        table.cell(row, 0).text = str(row)
    table.cell(1, 1).merge(table.cell(3, 1)).paragraphs[0].add_run("概况信息")  # vMerge over 3 rows
    table.cell(1, 2).text = "领导信息"
    channels = table.cell(1, 3).paragraphs[0]
    symbol(channels.add_run(), "Wingdings", "F0FE")
    channels.add_run("政府网站")
    symbol(channels.add_run(), "Wingdings", "F06F")
    channels.add_run("两微一端□报刊■公示栏")
    lines = table.cell(2, 2).paragraphs[0].add_run("机构职能")
    lines.add_break()
    lines.add_text("内设机构")
    table.cell(2, 2).add_paragraph("第二段\t制表")
    symbol(table.cell(2, 3).paragraphs[0].add_run(), "Wingdings 2", "F052")
    nested = table.cell(3, 3).add_table(rows=1, cols=2)
    nested.cell(0, 0).text = "甲"
    nested.cell(0, 1).text = "乙"
    merged = table.cell(4, 1).merge(table.cell(4, 2))  # gridSpan 2
    merged.text = "注：跨两列"
    table.cell(4, 3).text = "末列"
    row5 = table.rows[4]._tr
    row5.remove(row5.tc_lst[0])  # the row starts one grid column in: w:gridBefore
    before = OxmlElement("w:gridBefore")
    before.set(qn("w:val"), "1")
    row5.get_or_add_trPr().insert(0, before)
    document.add_paragraph("注：依申请公开的信息见附件2。")
    document.add_paragraph("附件2")
    second = document.add_table(rows=1, cols=2)
    second.cell(0, 0).text = "事项"
    second.cell(0, 1).text = "依据"
    document.add_paragraph("审签人：张三")
    document.save(str(path))
    return path


def test_word_table_cell_by_cell(tmp_path):
    document = read_document(make_docx(tmp_path / "目录.docx"))
    first, second = document.tables
    assert document.paragraphs_before(first) == ["惠农区医疗保障局政务公开目录", "填表时间：2024年3月1日"]
    assert document.paragraphs_after(first) == ["注：依申请公开的信息见附件2。", "附件2"]
    assert document.paragraphs_before(second) == ["注：依申请公开的信息见附件2。", "附件2"]
    assert document.paragraphs_after(second) == ["审签人：张三"]
    assert first.texts() == [
        ["序号", "一级事项", "二级事项", "公开渠道"],
        ["1", "概况信息", "领导信息", "☑政府网站☐两微一端□报刊■公示栏"],  # Word's symbols become boxes; typed ones stay
        ["2", "概况信息", "机构职能\n内设机构\n第二段\t制表", "☑"],
        ["3", "概况信息", "", "\n甲\t乙\n"],
        ["", "注：跨两列", "注：跨两列", "末列"],
    ]
    assert second.texts() == [["事项", "依据"]]
    assert first.name == "表1" and second.name == "表2"
    assert first.cell(3, 2).where == "表1 第3行第2列" and first.cell(5, 3).where == "表1 第5行第3列"
    assert [first.cell(row, 2).merged_from for row in (2, 3, 4)] == [(2, 2)] * 3
    assert first.cell(2, 2).is_merge_origin and first.cell(3, 2).is_covered
    assert first.cell(5, 2).merged_from == (5, 2) and first.cell(5, 3).merged_from == (5, 2)
    assert first.cell(5, 1).merged_from is None and first.cell(1, 1).merged_from is None
    assert all(cell.row == row and cell.column == column for row, cells in enumerate(first.cells, 1) for column, cell in enumerate(cells, 1))
    assert any("表1 第4行第4列 含嵌套表格" in note for note in document.notes)


def test_unknown_symbol_is_kept_and_noted(tmp_path):
    document = WordDocument()
    table = document.add_table(rows=1, cols=1)
    symbol(table.cell(0, 0).paragraphs[0].add_run(), "Wingdings", "F04A")
    path = tmp_path / "sym.docx"
    document.save(str(path))
    read_back = read_document(path)
    assert read_back.tables[0].cell(1, 1).text == chr(0x4A)
    assert "表1 第1行第1列 有无法识别的符号（字体 wingdings，代码 004A）" in read_back.notes[0]


def make_xlsx(path: Path, *, cached: bool = True) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    sheet.append(["序号", "一级事项", "二级事项", "公开渠道", "日期"])
    sheet.append([1, "概况信息", "领导信息", "■政府网站□两微一端", datetime.datetime(2024, 3, 1)])
    sheet.append([2.0, None, "机构职能\r\n内设机构", "√", None])
    sheet.append([3.5, None, "联系方式", 0.25, None])
    sheet["D4"].number_format = "0%"
    sheet["B5"] = "注：跨两列"
    sheet["D5"] = "=SUM(A2:A4)"
    sheet.merge_cells("B2:B4")
    sheet.merge_cells("B5:C5")
    book.create_sheet("附件 2").append(["事项"])
    book.save(path)
    if cached:  # what Excel writes when it saves: the formula's last value beside it
        with zipfile.ZipFile(path) as archive:
            parts = {name: archive.read(name) for name in archive.namelist()}
        sheet_xml = parts["xl/worksheets/sheet1.xml"].decode()
        parts["xl/worksheets/sheet1.xml"] = re.sub(r'(<c r="D5"[^>]*><f>[^<]*</f>)<v></v>', r"\1<v>6.5</v>", sheet_xml).encode()
        with zipfile.ZipFile(path, "w") as archive:
            for name, data in parts.items():
                archive.writestr(name, data)
    return path


def test_xlsx_cell_by_cell(tmp_path):
    document = read_document(make_xlsx(tmp_path / "目录.xlsx"))
    sheet, attachment = document.tables
    assert sheet.name == "Sheet1" and attachment.name == "附件 2"
    assert sheet.texts() == [
        ["序号", "一级事项", "二级事项", "公开渠道", "日期"],
        ["1", "概况信息", "领导信息", "■政府网站□两微一端", "2024-03-01"],
        ["2", "概况信息", "机构职能\n内设机构", "√", ""],
        ["3.5", "概况信息", "联系方式", "25%", ""],
        ["", "注：跨两列", "注：跨两列", "6.5", ""],
    ]
    assert sheet.cell(5, 3).where == "Sheet1!C5" and attachment.cell(1, 1).where == "'附件 2'!A1"
    assert [sheet.cell(row, 2).merged_from for row in (2, 3, 4)] == [(2, 2)] * 3
    assert sheet.cell(5, 3).merged_from == (5, 2) and sheet.cell(5, 4).merged_from is None
    assert sheet.cell(5, 4).formula == "=SUM(A2:A4)" and sheet.cell(5, 3).formula is None
    assert document.notes == []


def test_xlsx_formula_without_a_cached_value_is_noted(tmp_path):
    document = read_document(make_xlsx(tmp_path / "目录.xlsx", cached=False))
    assert document.tables[0].cell(5, 4).text == ""
    assert document.notes == [f"{tmp_path / '目录.xlsx'}：Sheet1!D5 是公式 =SUM(A2:A4)，文件中没有计算结果（未在 Excel 中保存过），读作空白"]


def test_xls_cell_by_cell(tmp_path):
    xlwt = pytest.importorskip("xlwt")
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Sheet1")
    for column, heading in enumerate(["序号", "一级事项", "二级事项", "日期"]):
        sheet.write(0, column, heading)
    for row in (1, 2, 3):
        sheet.write(row, 0, float(row))
    sheet.write_merge(1, 3, 1, 1, "概况信息")
    sheet.write(1, 2, "领导信息")
    sheet.write(2, 2, "机构职能\n内设机构")
    sheet.write(3, 2, "■政府网站")
    sheet.write(1, 3, datetime.date(2024, 3, 1), xlwt.easyxf(num_format_str="YYYY-MM-DD"))
    sheet.write_merge(4, 4, 1, 2, "注：跨两列")
    path = tmp_path / "目录.xls"
    book.save(str(path))
    table = read_document(path).tables[0]
    assert table.texts() == [
        ["序号", "一级事项", "二级事项", "日期"],
        ["1", "概况信息", "领导信息", "2024-03-01"],
        ["2", "概况信息", "机构职能\n内设机构", ""],
        ["3", "概况信息", "■政府网站", ""],
        ["", "注：跨两列", "注：跨两列", ""],
    ]
    assert table.cell(5, 3).where == "Sheet1!C5" and table.cell(5, 3).merged_from == (5, 2)
    assert [table.cell(row, 2).merged_from for row in (2, 3, 4)] == [(2, 2)] * 3


CSV_ROWS = [["序号", "二级事项", "公开渠道"], ["1", "领导信息", "■政府网站□报刊"], ["2", "机构职能\n内设机构", "√"]]


@pytest.mark.parametrize(
    ("encoding", "content"),
    [
        ("utf-8-sig", '序号,二级事项,公开渠道\r\n1,领导信息,■政府网站□报刊\r\n2,"机构职能\n内设机构",√\r\n'),
        ("gb18030", '序号\t二级事项\t公开渠道\n1\t领导信息\t■政府网站□报刊\n2\t"机构职能\n内设机构"\t√\n\n'),
        ("utf-8", "序号,二级事项,公开渠道\n1,领导信息,■政府网站□报刊\n2,机构职能\n"),
    ],
)
def test_csv_cell_by_cell(tmp_path, encoding, content):
    path = tmp_path / "目录.csv"
    path.write_bytes(content.encode(encoding))
    document = read_document(path)
    table = document.tables[0]
    expected = [list(row) for row in CSV_ROWS]  # as written: a ■ stays a ■
    if encoding == "utf-8":
        expected[2] = ["2", "机构职能", ""]  # a short row is padded
    assert table.texts() == expected
    assert table.cell(3, 2).where == "第3行第2列" and table.cell(3, 2).merged_from is None
    assert document.notes == ([f"{path}：以 GB18030 编码读取"] if encoding == "gb18030" else [])


def bad_files(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    text_file = tmp_path / "文本.docx"
    text_file.write_text("这只是一段文字", encoding="utf-8")
    corrupt = tmp_path / "损坏.docx"
    corrupt.write_bytes(b"PK\x03\x04" + b"\x00" * 200)
    ole = tmp_path / "加密.docx"
    ole.write_bytes(OLE + b"junk" * 100)
    encrypted = tmp_path / "密码.xlsx"
    encrypted.write_bytes(OLE + b"\x00" * 64 + "EncryptionInfo".encode("utf-16-le") + "EncryptedPackage".encode("utf-16-le"))
    no_table = tmp_path / "无表格.docx"
    document = WordDocument()
    document.add_paragraph("只有文字")
    document.save(str(no_table))
    workbook_as_word = tmp_path / "工作簿.docx"
    make_xlsx(workbook_as_word, cached=False)
    other_zip = tmp_path / "压缩包.xlsx"
    with zipfile.ZipFile(other_zip, "w") as archive:
        archive.writestr("readme.txt", "hello")
    xlsx_as_xls = tmp_path / "新版.xls"
    make_xlsx(xlsx_as_xls, cached=False)
    bad_xls = tmp_path / "损坏.xls"
    bad_xls.write_bytes(OLE + b"junk" * 100)
    binary_csv = tmp_path / "二进制.csv"
    binary_csv.write_bytes(b"a,b\x00\x01")
    return {
        "renamed text": (text_file, "不是 Word (.docx) 文件（内容不是 Office 文档格式），可能是改了扩展名的其他文件"),
        "corrupt zip": (corrupt, "文件已损坏（不是完整的 Office 文档压缩包），无法读取"),
        "OLE junk": (ole, "不是 Word (.docx) 文件，而是 OLE 复合文件：可能设有打开密码"),
        "encrypted": (encrypted, "文件设有打开密码（加密的 Office 文件），请在 Office 中取消密码、另存后再导入"),
        "no table": (no_table, "文件中没有表格"),
        "workbook as .docx": (workbook_as_word, "扩展名是 .docx，内容却是 Excel (.xlsx) 文件"),
        "other zip": (other_zip, "不是 Excel (.xlsx) 文件（压缩包中没有 xl/workbook.xml）"),
        "xlsx as .xls": (xlsx_as_xls, "扩展名是 .xls，内容却是新版 Office 文件"),
        "bad xls": (bad_xls, "Excel"),
        "binary csv": (binary_csv, "不是文本 CSV 文件"),
        "unsupported": (tmp_path / "表.pdf", "不支持的文件类型“.pdf”"),
        "missing": (tmp_path / "没有.xlsx", "找不到这个文件"),
    }


@pytest.mark.parametrize(
    "case",
    ["renamed text", "corrupt zip", "OLE junk", "encrypted", "no table", "workbook as .docx", "other zip", "xlsx as .xls",
     "bad xls", "binary csv", "unsupported", "missing"],
)  # fmt: skip
def test_bad_files_are_refused_in_chinese(tmp_path, case):
    path, message = bad_files(tmp_path)[case]
    with pytest.raises(TableError) as refused:
        read_document(path)
    assert str(refused.value).startswith(f"{path}："), refused.value
    assert message in str(refused.value)


def test_doc_without_libreoffice_names_the_package(tmp_path, monkeypatch):
    monkeypatch.setattr(read.shutil, "which", lambda name: None)
    doc = tmp_path / "旧版.doc"
    doc.write_bytes(OLE + b"junk" * 100)
    with pytest.raises(TableError, match=r"旧版\.doc：旧版 Word \(\.doc\) 文件需要先转换：请安装 LibreOffice（Debian 软件包 libreoffice-writer）"):
        read_document(doc)


def test_a_file_over_the_size_limit_is_refused_before_reading(tmp_path, monkeypatch):
    path = make_docx(tmp_path / "大.docx")
    monkeypatch.setattr(read, "MAX_BYTES", 1024)
    monkeypatch.setattr(read, "read_docx", lambda *args: pytest.fail("read"))
    with pytest.raises(TableError, match=r"大\.docx：文件有 0\.0 MB，超过上限 0 MB，不予读取"):
        read_document(path)


@pytest.mark.parametrize("suffix", [".docx", ".xlsx", ".xls", ".csv"])
def test_a_table_over_the_row_limit_is_refused(tmp_path, monkeypatch, suffix):
    monkeypatch.setattr(grid, "MAX_ROWS", 3)
    path = tmp_path / f"长{suffix}"
    if suffix == ".docx":
        make_docx(path)
    elif suffix == ".xlsx":
        make_xlsx(path)
    elif suffix == ".csv":
        path.write_text("a\nb\nc\nd\n", encoding="utf-8")
    else:
        xlwt = pytest.importorskip("xlwt")
        book = xlwt.Workbook()
        sheet = book.add_sheet("Sheet1")
        for row in range(4):
            sheet.write(row, 0, row)
        book.save(str(path))
    with pytest.raises(TableError, match=r"行，超过上限 3 行，不予读取"):
        read_document(path)
