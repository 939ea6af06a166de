"""The commands that deliver a built site: `gkml publish`, `gkml verify [--repair]`, and `gkml
build --archive` (its option's check and its step after the build). Registered on the `gkml` group
in cli/main.py; the work is done in publish/. Every refusal and every OSError is one Chinese
message on stderr and exit status 1, never a traceback."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from gkml_ssg.build.orchestrator import BuildOptions, build
from gkml_ssg.build.progress import terminal_progress
from gkml_ssg.cli.failures import reported
from gkml_ssg.publish.files import SUMS_NAME, SiteRefused, verify_folder
from gkml_ssg.publish.releases import (
    DEFAULT_KEEP,
    PublishFolder,
    live_folder,
    sums_digest_prefix,
)
from gkml_ssg.publish.repair import repair


def check_archive_option(context: click.Context, parameter: click.Parameter, value: Path | None) -> Path | None:
    """click callback of `gkml build --archive`: a name gkml cannot write is refused before the build."""
    if value is not None:
        # imported here, as below: tarfile and zipfile are not needed by a build without --archive
        from gkml_ssg.publish.archive import archive_format

        try:
            archive_format(value)
        except SiteRefused as refused:
            raise click.BadParameter(str(refused)) from None
    return value


def write_site_archive(out: Path, archive: Path) -> None:
    """After `gkml build`: pack the site into `archive`, or say why not and exit with status 1."""
    from gkml_ssg.publish.archive import write_archive

    with reported("归档失败", archive):
        count = write_archive(out, archive)
    click.echo(f"已写入归档 {archive}：{count} 个文件和 {SUMS_NAME}")


@click.command("publish")
@click.argument("dest", type=click.Path(path_type=Path))
@click.option("--source", type=click.Path(path_type=Path), default="content", show_default=True, help="内容目录（机构 YAML 文件和 site.yml）。")
@click.option("--out", type=click.Path(path_type=Path), default="public", show_default=True, help="输出目录：先在这里构建，再从这里发布。")
@click.option("--base-url", default=None, help="网站发布的路径（如 /gkml/）或完整地址；默认取 site.yml 的“网址”。")
@click.option("--keep", type=click.IntRange(min=1), default=DEFAULT_KEEP, show_default=True,
              help="保留几个版本（按最近上线的先后；当前版本和回滚要用的上一版本总会保留）。")
@click.option("--production", is_flag=True, help="以正式发布模式构建（同 gkml build --production：页脚字段缺一即失败）。")
@click.option("--no-build", is_flag=True, help="不构建，发布输出目录中已有的网站（须是一次完整构建的结果）。")
@click.option("--copy", is_flag=True, hidden=True, help="（已无作用：各版本总是各有一份文件。）")
@click.option("--rollback", is_flag=True, help="不发布新版本，把 current 切回上一个上线过的版本（被回滚掉的版本不算）。")
def publish_command(
    dest: Path, source: Path, out: Path, base_url: str | None, keep: int, production: bool, no_build: bool,
    copy: bool, rollback: bool,
) -> None:
    """发布网站：构建（增量）后把网站复制为 DEST/releases/<版本>/，再原子地把 DEST/current 指向它。

    任何时刻 current 都指向一个完整的版本；发布中途被打断时网站仍是上一版本，下次发布会清理残留。
    各版本各有一份文件，互不影响，也不影响输出目录。Web 服务器应提供 DEST/current/（见 deploy/nginx/gkml.conf）。
    """
    folder = PublishFolder(dest)
    with reported("回滚失败" if rollback else "发布失败", dest, unchanged=dest):
        if rollback:
            click.echo(folder.rollback().summary())
            return
        if not no_build:
            options = BuildOptions(
                source=source, out=out, base_url=base_url, cache=Path(".gkml-cache"), production=production
            )
            click.echo(build(options, terminal_progress()).summary())
        report = folder.publish(out, keep)
    click.echo(report.summary())
    for release in report.removed:
        click.echo(f"已删除旧版本 {release}")


@click.command("verify")
@click.argument("dest", type=click.Path(path_type=Path))
@click.option("--repair", is_flag=True,
              help="校验不通过时，用输出目录中的构建修复线上版本：生成一个完好的新版本并原子地切换 current。")
@click.option("--out", type=click.Path(path_type=Path), default="public", show_default=True,
              help="--repair 从这里取文件：构建的输出目录（文件须与其构建清单一致）。")
def verify_command(dest: Path, repair: bool, out: Path) -> None:
    """校验线上版本：把 DEST/current（或含 SHA256SUMS 的网站目录 DEST）的每个文件与 SHA256SUMS 比对。

    有文件被改动、缺失或多出时逐个列出，以状态 1 退出。current 须指向 DEST/releases/ 中的版本。
    加 --repair 时把线上版本修复为发布时的样子（从输出目录取回被改动的文件），成功则以状态 0 退出。
    """
    if not dest.is_dir():
        what = "不是目录" if dest.exists() or dest.is_symlink() else "不存在"
        click.echo(f"无法校验：{dest} {what}：请指定发布目录（含 current 和 releases/）或含 {SUMS_NAME} 的网站目录", err=True)
        sys.exit(1)
    if repair:
        _repair(dest, out)
        return
    with reported("无法校验", dest):
        folder = live_folder(dest)
        verification = verify_folder(folder, sums_digest_prefix(folder))
    for problem in verification.problems:
        click.echo(problem.format())
    click.echo(verification.summary())
    if verification.problems and (dest / "current").is_symlink():
        click.echo(f"修复：gkml verify {dest} --repair（从输出目录取回发布时的文件），或 gkml publish {dest} --rollback（回滚到上一版本）")
    sys.exit(1 if verification.problems else 0)


def _repair(dest: Path, out: Path) -> None:
    with reported("修复失败", dest):
        report = repair(PublishFolder(dest), out)
    for problem in report.problems:
        click.echo(problem.format())
    click.echo(report.summary())
