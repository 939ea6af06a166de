"""`gkml import` and `gkml export`: an officer's Word or Excel table in, and back out."""

from __future__ import annotations

import os
import re
import sys
import tempfile
from pathlib import Path
from typing import NoReturn

import click

from gkml_ssg.content.fields import SLUG_MAX_LENGTH, SLUG_PATTERN
from gkml_ssg.content.load import decode_agency
from gkml_ssg.importing.agency import ImportFailed, ImportOptions, import_file

SCHEMA = Path("schema") / "agency.schema.json"


def region_option(_ctx: click.Context, _param: click.Parameter, value: str | None) -> tuple[str, str, str] | None:
    if value is None:
        return None
    parts = [part.strip() for part in value.replace("／", "/").split("/")]
    if len(parts) != 3 or not all(parts):
        raise click.BadParameter("请写成“省/市/区县”三级，如 宁夏回族自治区/石嘴山市/惠农区")
    return parts[0], parts[1], parts[2]


def slug_option(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    if value is not None and (len(value) > SLUG_MAX_LENGTH or not re.fullmatch(SLUG_PATTERN, value)):
        raise click.BadParameter(f"网址标识只能使用小写英文字母、数字和连字符（最长 {SLUG_MAX_LENGTH} 个），如 huinong-yibao")
    return value


@click.command("import")
@click.argument("table", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="写入的机构 YAML 文件，如 content/ningxia/shizuishan/huinong-yibao.yml。")
@click.option("--region", callback=region_option, default=None, help="地区“省/市/区县”，如 宁夏回族自治区/石嘴山市/惠农区。")
@click.option("--name", default=None, help="机构名称；默认取表格标题中的机构名称。")
@click.option("--slug", callback=slug_option, default=None, help="机构页面的网址标识（小写字母、数字、连字符）；默认用文件名。")
@click.option("--mapping", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="列名对照文件（YAML，“原表列名: 标准列名”），用于无法识别的表头。")
@click.option("--dry-run", is_flag=True, help="只显示报告和将写入的 YAML，不写文件。")
@click.option("--force", is_flag=True, help="覆盖已存在的输出文件。")
def import_command(
    table: Path, out: Path | None, region: tuple[str, str, str] | None, name: str | None, slug: str | None,
    mapping: Path | None, dry_run: bool, force: bool,
) -> None:
    """导入 Word（.docx、.doc）、Excel（.xlsx、.xls）或 CSV 格式的政务公开目录表格，写成一个机构 YAML 文件。

    报告列出读到的内容，以及每个无法放置或需要判断的单元格（判断写入该行的“备注”）。
    什么也读不出时以状态 1 退出，不写任何文件。
    """
    if out is None and not dry_run:
        raise click.UsageError("请用 --out 指定写入的机构 YAML 文件（或加 --dry-run 只看结果）")
    if out is not None and out.suffix not in (".yml", ".yaml"):
        raise click.UsageError(f"--out 应是 .yml 文件：{out}")
    if out is not None and not dry_run and out.exists() and not force:
        _refuse(f"{out} 已存在，未改动；确认要覆盖时加 --force")
    comments = (f"yaml-language-server: $schema={schema}",) if out is not None and (schema := schema_comment_path(out)) else ()
    options = ImportOptions(region=region, name=name, slug=slug, mapping=mapping, comments=comments)
    try:
        imported = import_file(table, options)
    except ImportFailed as error:
        _refuse(str(error))
    if dry_run:
        click.echo(imported.yaml)
    click.echo(imported.report.text(), nl=False)
    if imported.report.errors:
        _refuse("导入结果未通过内容校验（见上），未写入文件；这是 gkml 的缺陷，请报告维护者")
    if not dry_run and out is not None:
        write_whole(out, imported.yaml.encode("utf-8"))
        click.echo(f"已写入 {out}")


def schema_comment_path(out: Path) -> str | None:
    """The editor schema, as a path relative to the output file's folder: the nearest `schema/`
    above it (a site's own, or this repository's), else none."""
    folder = out.resolve().parent
    for candidate in (folder, *folder.parents):
        if (candidate / SCHEMA).is_file():
            return os.path.relpath(candidate / SCHEMA, folder).replace(os.sep, "/")
    return None


def write_whole(path: Path, data: bytes) -> None:
    """The file written whole or not at all."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        # a file replaced keeps its permissions (mkstemp's are the owner's alone)
        os.chmod(temporary, path.stat().st_mode & 0o7777 if path.exists() else 0o644)
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _refuse(message: str) -> NoReturn:
    click.echo(message, err=True)
    sys.exit(1)


@click.command("export")
@click.argument("agency_file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--format", "form", type=click.Choice(["xlsx", "docx"]), default="xlsx", show_default=True,
              help="xlsx：Excel 工作簿（附件和说明各占一个工作表）；docx：Word 文档。")
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="写入的文件；默认为当前目录下与机构文件同名的 .xlsx 或 .docx。")
@click.option("--force", is_flag=True, help="覆盖已存在的文件。")
def export_command(agency_file: Path, form: str, out: Path | None, force: bool) -> None:
    """把一个机构 YAML 文件导出为政务公开目录表格（Excel 或 Word），供科室继续在 Office 中填写；
    用 gkml import 导入导出的文件，得到相同的内容。"""
    from gkml_ssg.export.office import export_agency  # imported here: openpyxl and python-docx load only for this command

    out = out if out is not None else Path(f"{agency_file.stem}.{form}")
    if out.suffix.lower() != f".{form}":
        raise click.UsageError(f"--out 的扩展名应是 .{form}：{out}")
    if out.exists() and not force:
        _refuse(f"{out} 已存在，未改动；确认要覆盖时加 --force")
    try:
        data = agency_file.read_bytes()
    except OSError as error:
        _refuse(f"导出失败：无法读取 {agency_file}（{error.strerror or error}）")
    agency, errors = decode_agency(agency_file.name, data)
    if agency is None:
        for problem in errors:
            click.echo(problem.format(), err=True)
        _refuse(f"导出失败：{agency_file} 有 {len(errors)} 处错误，未导出")
    try:
        exported = export_agency(agency, form)
    except ValueError as error:
        _refuse(f"导出失败：{error}")
    write_whole(out, exported)
    click.echo(f"已写入 {out}")
