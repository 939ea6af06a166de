"""`gkml new`: a new site folder, or a new agency file in a site's content folder."""

from __future__ import annotations

import os
import re
import shutil
import sys
import tempfile
from pathlib import Path
from typing import NoReturn

import click

from gkml_ssg.cli.failures import reported
from gkml_ssg.cli.tables import region_option, schema_comment_path, slug_option
from gkml_ssg.content.load import CONTENT_SUFFIXES, SITE_CONFIG_NAME
from gkml_ssg.content.model import Region

SLUG_HELP = (
    "机构页面的网址标识，也是文件名（小写英文字母、数字、连字符）。默认为“区县拼音-机构简称拼音”："
    "区县名去掉“县”“区”“市”等后的拼音，加上机构名去掉开头区县名后的拼音，常见机构用通行简称（医疗保障局→医保），"
    "其他去掉末尾的“局”，如 惠农区医疗保障局 → huinong-yibao，惠农区财政局 → huinong-caizheng。"
    "多音字可能读错（如 长治 → zhangzhi），此时请用本选项指定。"
)


@click.command("new")
@click.argument("directory", required=False, type=click.Path(path_type=Path))
@click.option("--agency", "name", default=None, help="添加一个机构：机构全称，如 惠农区医疗保障局。")
@click.option("--region", callback=region_option, default=None, help="与 --agency 同用：地区“省/市/区县”，如 宁夏回族自治区/石嘴山市/惠农区。")
@click.option("--slug", callback=slug_option, default=None, help=SLUG_HELP)
@click.option("--source", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="与 --agency 同用：内容目录（含 site.yml）。  [默认：content]")
def new_command(
    directory: Path | None, name: str | None, region: tuple[str, str, str] | None, slug: str | None, source: Path | None
) -> None:
    """建立新网站，或在网站中添加一个机构。

    gkml new 目录：建立新的网站目录：content/（site.yml 和一个示例机构）、schema/（编辑器校验）、.vscode/、.gitignore、.pre-commit-config.yaml、GitLab/GitHub/Gitea 的自动构建示例和 README.md；建好即可通过 gkml check --strict 和 gkml build --production。目录须不存在或为空，否则什么也不写。

    gkml new --agency 名称 --region 省/市/区县：在当前网站中添加机构文件 content/<省>/<市>/<网址标识>.yml，含一个待改写的占位事项。文件夹是地区名称去掉“省”“市”“自治区”等以后的拼音，如 宁夏回族自治区/石嘴山市 → ningxia/shizuishan。已有的文件不会被覆盖。
    """
    if name is None:
        if region is not None or slug is not None or source is not None:
            raise click.UsageError("--region、--slug 和 --source 只与 --agency 同用")
        if directory is None:
            raise click.UsageError("请写出新网站的目录，如 gkml new gkml-site；添加机构用 gkml new --agency 名称 --region 省/市/区县")
        _new_site(directory)
        return
    if directory is not None:
        raise click.UsageError(f"添加机构时不写目录（{directory}）；内容目录不是 content 时用 --source 指定")
    if not name.strip():
        raise click.UsageError("--agency 请写机构全称，如 惠农区医疗保障局")
    if region is None:
        raise click.UsageError("请用 --region 写出机构的地区“省/市/区县”，如 宁夏回族自治区/石嘴山市/惠农区")
    _new_agency(name.strip(), Region(*region), slug, source if source is not None else Path("content"))


def _new_site(directory: Path) -> None:
    from gkml_ssg.scaffold.site import EXAMPLE_FILE, new_site  # imported here: pypinyin loads only for this command

    if directory.exists() or directory.is_symlink():
        if not directory.is_dir() or directory.is_symlink():
            _refuse(f"新建失败：{directory} 已存在，且不是目录，未改动；请换一个新目录名")
        if any(directory.iterdir()):
            _refuse(f"新建失败：目录 {directory} 已存在，且不是空的，未改动；gkml new 只在新目录或空目录中建立网站，请换一个新目录名")
    files = new_site()
    with reported("新建失败", directory):
        _write_tree(directory, files)
    click.echo(f"已建立网站 {directory}：")
    for relative in files:
        click.echo(f"  {directory / relative}")
    click.echo("下一步：")
    if Path(os.path.abspath(directory)) != Path.cwd():
        click.echo(f"  cd {_shell(str(directory))}")
    click.echo("  gkml check --strict    # 检查内容")
    click.echo("  gkml serve             # 在浏览器中预览 http://127.0.0.1:8000/")
    click.echo("  gkml new --agency 机构全称 --region 省/市/区县    # 添加本单位的机构")
    click.echo(
        f"正式发布前，请把 content/{SITE_CONFIG_NAME} 中带“示例”“请改为”字样的值改为本单位的信息，"
        f"并删除示例机构 {EXAMPLE_FILE}。说明见 {directory / 'README.md'}。"
    )


def _write_tree(directory: Path, files: dict[str, bytes]) -> None:
    """All the files or none. A new folder is written as a hidden folder beside it, then renamed
    into place in one step; an empty folder (`gkml new .`) is filled in place and emptied again
    when a file cannot be written."""
    target = Path(os.path.abspath(directory))
    if target.is_dir():
        try:
            _write_files(target, files)
        except BaseException:
            for child in target.iterdir():
                if child.is_dir() and not child.is_symlink():
                    shutil.rmtree(child)
                else:
                    child.unlink()
            raise
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".gkml-new-", dir=target.parent))
    try:
        tree = staging / "site"
        tree.mkdir()  # with the usual permissions, unlike mkdtemp's private folder
        _write_files(tree, files)
        os.rename(tree, target)  # refused if a folder appeared there meanwhile
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _write_files(root: Path, files: dict[str, bytes]) -> None:
    for relative, data in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def _new_agency(name: str, region: Region, slug: str | None, source: Path) -> None:
    from gkml_ssg.scaffold.names import default_slug, place_folder  # imported here: pypinyin loads only for this command
    from gkml_ssg.scaffold.site import new_agency

    if not (source / SITE_CONFIG_NAME).is_file():
        _refuse(
            f"添加失败：{source} 中没有 {SITE_CONFIG_NAME}：请在网站目录（gkml new 建立的目录，content/ 所在处）中运行，"
            "或用 --source 指定内容目录"
        )
    folders = [place_folder(region.province), place_folder(region.city)]
    if not all(folders):
        _refuse(f"添加失败：地区“{region.province}/{region.city}”得不出拼音文件夹名；请写地区的中文全称，如 宁夏回族自治区/石嘴山市/惠农区")
    slug = slug or default_slug(name, region.county)
    if not slug:
        _refuse(f"添加失败：由“{name}”得不出网址标识；请用 --slug 指定，如 --slug huinong-yibao")
    path = source.joinpath(*folders, f"{slug}.yml")
    if path.exists() or path.is_symlink():
        _refuse(f"添加失败：{path} 已存在，未改动；请直接编辑它，或用 --slug 另取一个网址标识")
    taken = sorted(p for p in source.rglob(f"{slug}.*") if p.suffix in CONTENT_SUFFIXES and p.name != SITE_CONFIG_NAME)
    if taken:
        _refuse(f"添加失败：网址标识 {slug} 已由 {taken[0]} 使用（文件名相同的机构网址会冲突），未改动；请用 --slug 另取一个")
    text = new_agency(name, region, schema_comment_path(path))
    with reported("添加失败", path):
        _create(path, text.encode("utf-8"))
    click.echo(f"已写入 {path}")
    click.echo("其中的一级事项和二级事项是占位示例：请按本单位的目录改写，或导入本单位的 Word/Excel 表格：")
    region_text = f"{region.province}/{region.city}/{region.county}"
    click.echo(f"  gkml import 表格.docx --out {_shell(str(path))} --region {_shell(region_text)} --force")
    click.echo("然后运行 gkml check" + (f" --source {_shell(str(source))}" if source != Path("content") else "") + " 检查。")


def _create(path: Path, data: bytes) -> None:
    """A new file, never one that exists (even one made a moment ago); on failure, none."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
    except BaseException:
        path.unlink(missing_ok=True)
        raise


def _shell(text: str) -> str:
    """`text` as one word of a shell command: quoted only when it must be."""
    if re.fullmatch(r"[^\s'\"$`\\;&|<>()*?!#~{}\[\]]+", text):
        return text
    return "'" + text.replace("'", "'\\''") + "'"


def _refuse(message: str) -> NoReturn:
    click.echo(message, err=True)
    sys.exit(1)
