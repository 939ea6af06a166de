"""The `gkml` command: a thin shell over the build stages."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from gkml_ssg.build.orchestrator import BuildOptions, build
from gkml_ssg.build.progress import terminal_progress
from gkml_ssg.cli.coverage import coverage_command
from gkml_ssg.cli.failures import REFUSALS, fail, reported
from gkml_ssg.cli.new import new_command
from gkml_ssg.cli.numbers import index_numbers_command
from gkml_ssg.cli.release import (
    check_archive_option,
    publish_command,
    verify_command,
    write_site_archive,
)
from gkml_ssg.cli.tables import export_command, import_command
from gkml_ssg.content.errors import ContentInvalid
from gkml_ssg.content.regions import RegionFilter
from gkml_ssg.content.schema import write_schemas
from gkml_ssg.render.parallel import default_workers


class _Commands(click.Group):
    """Every command's failures end as a message in Chinese and an exit status, never a traceback:
    the commands report what they expect themselves (invalid content, an unsafe or unwritable
    output folder); a file the system refuses (OSError) is reported here with its name, status 1;
    anything else is a fault of gkml's, reported as such, status 2 (GKML_DEBUG=1 shows the
    traceback for a bug report)."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort, KeyboardInterrupt, SystemExit):
            raise
        except (ContentInvalid, *REFUSALS, OSError) as error:
            fail("失败", error)
        except Exception as error:
            if os.environ.get("GKML_DEBUG"):
                raise
            click.echo(
                f"gkml 内部错误（{type(error).__name__}：{error}）。请把这条信息和所运行的命令报告给维护者；"
                "设置环境变量 GKML_DEBUG=1 再运行可看到详细信息。",
                err=True,
            )
            sys.exit(2)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="gkml", message="gkml %(version)s")
def main() -> None:
    """gkml：把政务公开目录（YAML）生成可检索的静态网站。"""


def check_region_option(ctx: click.Context, param: click.Parameter, value: str | None) -> RegionFilter | None:
    if value is None:
        return None
    found = RegionFilter.parse(value)
    if found is None:
        raise click.BadParameter(f"“{value}”不是地区：请写省，或“省/市”，如“宁夏回族自治区/石嘴山市”")
    return found


@main.command("build")
@click.option("--source", type=click.Path(path_type=Path), default="content", show_default=True, help="内容目录（机构 YAML 文件和 site.yml）。")
@click.option("--out", type=click.Path(path_type=Path), default="public", show_default=True, help="输出目录。只改写有变化的文件。")
@click.option("--base-url", default=None, help="网站发布的路径（如 /gkml/）或完整地址；默认取 site.yml 的“网址”。")
@click.option("--no-index", is_flag=True, help="跳过搜索索引阶段，用于快速检查和基准测试。")
@click.option("--workers", type=click.IntRange(min=1), default=default_workers(), show_default="CPU 核数",
              help="并行渲染页面的进程数；结果与单进程完全相同。")
@click.option("--cache", type=click.Path(path_type=Path), default=".gkml-cache", show_default=True,
              help="缓存已解析内容文件的目录（按文件内容的哈希），使再次构建只解析改动的文件；不会发布。")
@click.option("--no-cache", is_flag=True, help="不使用内容缓存。")
@click.option("--production", is_flag=True,
              help="正式发布用的构建：site.yml 的页脚字段（主办单位、网站标识码、ICP备案号、公安备案号、联系方式）缺一即失败。")
@click.option("--layout", type=click.Choice(["full", "embed"]), default=None,
              help="full：页面带本站页头页脚；embed：不带，由门户的内容管理系统或服务器端包含（SSI）套上门户框架。默认按 site.yml 的“布局”。")
@click.option("--archive", type=click.Path(path_type=Path, dir_okay=False), default=None, callback=check_archive_option,
              help="另把网站写成归档（.tar.gz、.tgz 或 .zip，内含 SHA256SUMS），供只能上传文件的主机；相同内容得到逐字节相同的归档。")
@click.option("--only", "only", default=None, callback=check_region_option, metavar="省[/市]",
              help="只构建这个地区的机构和搜索分片（网站的一个部分，由 gkml merge 合成整站）；需要 site.yml 的“构建分区”。")
@click.option("--distributed", "address", default=None, metavar="ADDRESS",
              help="在 Dask 集群上按地区分别构建再合并：调度器地址（如 tcp://scheduler:8786），或 local（在本机启动两个工作进程）。"
                   "内容目录和 --parts 须是各工作节点共享的路径；需要 site.yml 的“构建分区”。")
@click.option("--parts", default=".gkml-parts", show_default=True,
              help="--distributed 时各地区部分的位置：各节点共享的目录，或对象存储地址（如 s3://bucket/gkml-parts）；"
                   "保留到下次构建，使其只做有变化的部分。")
@click.option("--git-url", default=None,
              help="--distributed 时各节点从这个 git 地址取内容（取内容目录当前所在的提交），不读共享路径。")
def build_command(
    source: Path, out: Path, base_url: str | None, no_index: bool, workers: int, cache: Path, no_cache: bool, production: bool,
    layout: str | None, archive: Path | None, only: RegionFilter | None, address: str | None, parts: str, git_url: str | None,
) -> None:
    """生成网站：加载并校验内容，渲染全部页面，写入输出目录。

    内容有错时列出全部错误（文件、行、列、字段），以状态 1 退出，输出目录保持原样。
    """
    with reported("构建失败", out, unchanged=out):
        options = BuildOptions(
            source=source, out=out, base_url=base_url, search_index=not no_index, workers=workers,
            cache=None if no_cache else cache, production=production, embed=None if layout is None else layout == "embed",
            only=only,
        )
        if address is not None:
            from gkml_ssg.build.distributed import build_distributed  # imported here: only this needs Dask

            report, part_reports = build_distributed(address, options, parts, git_url, terminal_progress())
            for part in part_reports:
                click.echo(f"{part.region}：{part.pages} 个页面（渲染 {part.rendered} 个），用时 {part.seconds:.2f} 秒")
        else:
            report = build(options, terminal_progress(), on_current=_announce_current)
    click.echo(report.summary())
    if archive is not None:
        write_site_archive(out, archive)


@main.command("merge")
@click.argument("parts", nargs=-1, required=True, type=click.Path(path_type=Path, file_okay=False, exists=True))
@click.option("--source", type=click.Path(path_type=Path), default="content", show_default=True, help="内容目录（与构建各部分时相同）。")
@click.option("--out", type=click.Path(path_type=Path), default="public", show_default=True, help="输出目录。只改写有变化的文件。")
@click.option("--base-url", default=None, help="与构建各部分时相同的 --base-url。")
@click.option("--no-index", is_flag=True, help="各部分是用 --no-index 构建的。")
@click.option("--workers", type=click.IntRange(min=1), default=default_workers(), show_default="CPU 核数", help="并行渲染页面的进程数。")
@click.option("--production", is_flag=True, help="正式发布用（与构建各部分时相同）。")
@click.option("--layout", type=click.Choice(["full", "embed"]), default=None, help="与构建各部分时相同的 --layout。")
def merge_command(
    parts: tuple[Path, ...], source: Path, out: Path, base_url: str | None, no_index: bool, workers: int, production: bool,
    layout: str | None,
) -> None:
    """把 gkml build --only 分地区构建的各部分合成整个网站：渲染首页、公开依据、对照、站点地图等列表页，
    汇总全站下载和搜索索引目录，复制各部分的文件。结果与一次 gkml build 逐字节相同（清单文件除外）。

    各部分须用同样的内容、设置和 git 提交构建，每个机构恰在一个部分中；否则列出问题，以状态 1 退出，输出目录保持原样。
    """
    from gkml_ssg.build.merge import merge  # imported here: a plain build does not need it

    with reported("合并失败", out, unchanged=out):
        options = BuildOptions(
            source=source, out=out, base_url=base_url, search_index=not no_index, workers=workers, cache=None,
            production=production, embed=None if layout is None else layout == "embed",
        )
        report = merge(list(parts), options, terminal_progress())
    click.echo(report.summary().replace("构建完成", "合并完成", 1))


def _announce_current(seconds: float) -> None:
    click.echo(f"网站和搜索已更新（{seconds:.2f} 秒）；正在重建改动机构所在的搜索分片……")
    sys.stdout.flush()


@main.command("check")
@click.option("--source", type=click.Path(path_type=Path), default="content", show_default=True, help="内容目录（机构 YAML 文件和 site.yml）。")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text：每条问题一行；json：供 CI 和编辑器读取的 JSON（UTF-8）。")
@click.option("--strict", is_flag=True, help="有警告时也以状态 1 退出。")
def check_command(source: Path, output_format: str, strict: bool) -> None:
    """检查内容：构建所做的全部校验，外加警告（声明数量不符、PDF 提取空格、依据未用书名号、
    同一一级事项中标题重复、负面清单与主动公开事项同名而无备注）。不写任何文件。

    无错误时以状态 0 退出，有错误时以状态 1 退出；加 --strict 时警告也算失败。
    """
    from gkml_ssg.check.command import check_content  # imported here: the lints are not needed to build

    report = check_content(source)
    if output_format == "json":
        click.echo(json.dumps(report.as_json(strict), ensure_ascii=False, indent=2).encode("utf-8"))
    else:
        for diagnostic in report.diagnostics:
            click.echo(diagnostic.format())
        click.echo(report.summary(strict))
    sys.exit(0 if report.passed(strict) else 1)


@main.command("serve")
@click.option("--source", type=click.Path(path_type=Path), default="content", show_default=True, help="内容目录（机构 YAML 文件和 site.yml）。")
@click.option("--out", type=click.Path(path_type=Path), default=".gkml-preview", show_default=True,
              help="预览网站的输出目录（不是发布用的 public/）。")
@click.option("--host", default="127.0.0.1", show_default=True, help="监听地址；默认只有本机能访问。")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True, help="监听端口。")
@click.option("--no-index", is_flag=True, help="跳过搜索索引，重建更快，但搜索页不可用。")
def serve_command(source: Path, out: Path, host: str, port: int, no_index: bool) -> None:
    """预览网站：构建后在本机提供访问；保存内容、模板、静态文件或 site.yml 后自动重建并刷新浏览器。

    内容有错时服务器继续运行，保留上次成功构建的网站，浏览器中显示错误（文件、行、列），改正后自动恢复。
    """
    # imported here: tornado is loaded only for this command
    from gkml_ssg.serve.preview import Preview, preview_options

    sys.exit(Preview(preview_options(source, out, search_index=not no_index)).run(host, port))


@main.command("schema")
@click.option("--out-dir", type=click.Path(path_type=Path), default="schema", show_default=True, help="写入 JSON Schema 文件的目录。")
def schema_command(out_dir: Path) -> None:
    """由内容模型生成 JSON Schema（供编辑器校验和提示）。"""
    for path in write_schemas(out_dir):
        click.echo(f"已写入 {path}")


main.add_command(publish_command)
main.add_command(import_command)
main.add_command(export_command)
main.add_command(new_command)
main.add_command(index_numbers_command)
main.add_command(verify_command)
main.add_command(coverage_command)
