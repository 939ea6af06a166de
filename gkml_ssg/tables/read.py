"""Which reader a file gets: by its magic bytes and its extension together, refusing any mismatch."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

from gkml_ssg.tables.csv_reader import read_csv
from gkml_ssg.tables.docx import read_docx
from gkml_ssg.tables.grid import Document, TableError
from gkml_ssg.tables.xls import read_xls
from gkml_ssg.tables.xlsx import read_xlsx

MAX_BYTES = 50 * 1024 * 1024
ZIP = (b"PK\x03\x04", b"PK\x05\x06")
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
KINDS = {".docx": "Word (.docx)", ".xlsx": "Excel (.xlsx)", ".xls": "Excel 97–2003 (.xls)", ".doc": "Word 97–2003 (.doc)", ".csv": "CSV"}
# The part that says what an Office Open XML zip holds.
ZIP_PARTS = {".docx": "word/document.xml", ".xlsx": "xl/workbook.xml"}
CONVERT_SECONDS = 180


def read_document(path: Path | str) -> Document:
    """The file's paragraphs and tables; a TableError, in Chinese and naming the file, when it is
    not a table file of the kind its extension says, is damaged or locked, too large, or holds no
    table."""
    path = Path(path)
    source = str(path)
    extension = path.suffix.lower()
    if extension not in KINDS:
        raise TableError(f"{source}：不支持的文件类型“{path.suffix or '无扩展名'}”；可导入 .docx、.doc、.xlsx、.xls、.csv")
    if not path.is_file():
        raise TableError(f"{source}：找不到这个文件")
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise TableError(f"{source}：文件有 {size / 1024 / 1024:.1f} MB，超过上限 {MAX_BYTES // 1024 // 1024} MB，不予读取")
    if size == 0:
        raise TableError(f"{source}：文件是空的")
    with path.open("rb") as file:
        magic = file.read(8)
    kind = KINDS[extension]
    if extension == ".csv":
        if magic.startswith(ZIP) or magic == OLE:
            raise TableError(f"{source}：扩展名是 .csv，内容却是 Word 或 Excel 文件；请改回正确的扩展名")
        document = read_csv(path, source)
    elif extension in ZIP_PARTS:
        if magic == OLE:
            raise TableError(_ole_message(path, source, kind))
        if not magic.startswith(ZIP):
            raise TableError(f"{source}：不是 {kind} 文件（内容不是 Office 文档格式），可能是改了扩展名的其他文件")
        _check_zip(path, source, extension)
        document = read_docx(path, source) if extension == ".docx" else read_xlsx(path, source)
    else:
        if magic.startswith(ZIP):
            raise TableError(f"{source}：扩展名是 {extension}，内容却是新版 Office 文件（.docx 或 .xlsx）；请改回正确的扩展名")
        if magic != OLE:
            raise TableError(f"{source}：不是 {kind} 文件，可能是改了扩展名的其他文件")
        if _is_encrypted(path):
            raise TableError(f"{source}：文件设有打开密码，请在 Office 中取消密码、另存后再导入")
        document = read_xls(path, source) if extension == ".xls" else _read_doc(path, source)
    if not any(not table.is_empty for table in document.tables):
        raise TableError(f"{source}：文件中没有表格（或表格都是空的）")
    return document


def _check_zip(path: Path, source: str, extension: str) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            damaged = archive.testzip()
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise TableError(f"{source}：文件已损坏（不是完整的 Office 文档压缩包），无法读取") from error
    if damaged is not None:
        raise TableError(f"{source}：文件已损坏（其中的“{damaged}”读不出来）")
    for other, part in ZIP_PARTS.items():
        if other != extension and part in names:
            raise TableError(f"{source}：扩展名是 {extension}，内容却是 {KINDS[other]} 文件；请改回正确的扩展名")
    if ZIP_PARTS[extension] not in names:
        raise TableError(f"{source}：不是 {KINDS[extension]} 文件（压缩包中没有 {ZIP_PARTS[extension]}）")


def _is_encrypted(path: Path) -> bool:
    """An OLE compound file holding the streams of an encrypted Office Open XML document."""
    data = path.read_bytes()
    return "EncryptionInfo".encode("utf-16-le") in data and "EncryptedPackage".encode("utf-16-le") in data


def _ole_message(path: Path, source: str, kind: str) -> str:
    if _is_encrypted(path):
        return f"{source}：文件设有打开密码（加密的 Office 文件），请在 Office 中取消密码、另存后再导入"
    return (
        f"{source}：不是 {kind} 文件，而是 OLE 复合文件：可能设有打开密码（加密的 Office 文件就是这种格式），"
        "也可能是改了扩展名的旧版 .doc/.xls 文件；请取消密码或改回正确的扩展名后再导入"
    )


def _read_doc(path: Path, source: str) -> Document:
    """A .doc converted to .docx by LibreOffice in a temporary folder, then read as one."""
    soffice = shutil.which("soffice")
    if soffice is None:
        raise TableError(
            f"{source}：旧版 Word (.doc) 文件需要先转换：请安装 LibreOffice（Debian 软件包 libreoffice-writer），"
            "或在 Word 中另存为 .docx 后再导入"
        )
    with tempfile.TemporaryDirectory(prefix="gkml-doc-") as folder:
        command = [soffice, f"-env:UserInstallation=file://{folder}/profile", "--headless", "--convert-to", "docx", "--outdir", folder, str(path)]
        try:
            subprocess.run(command, capture_output=True, timeout=CONVERT_SECONDS, check=True)
        except (subprocess.SubprocessError, OSError) as error:
            raise TableError(f"{source}：LibreOffice 无法把这个 .doc 文件转换为 .docx（文件可能已损坏或设有密码）") from error
        converted = Path(folder) / (path.stem + ".docx")
        if not converted.is_file():
            raise TableError(f"{source}：LibreOffice 没有转换出 .docx 文件（文件可能已损坏或设有密码）")
        return read_docx(converted, source)
