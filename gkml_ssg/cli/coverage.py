"""`gkml coverage`: each agency's catalogue against the reference catalogues (标准目录)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from gkml_ssg.audit.coverage import catalogue_coverage, unknown_numbers
from gkml_ssg.audit.report import CSV_HEADER, coverage_json, coverage_rows, coverage_text
from gkml_ssg.cli.failures import reported
from gkml_ssg.content.errors import ContentError, ContentInvalid
from gkml_ssg.content.load import load_content
from gkml_ssg.content.references import Reference, load_references, site_references
from gkml_ssg.render.formats import csv_cell
from gkml_ssg.site.graph import assemble
from gkml_ssg.site.nodes import catalogue_items


@click.command("coverage")
@click.option("--source", type=click.Path(path_type=Path, file_okay=False), default=Path("content"), show_default=True,
              help="内容目录。")
@click.option("--reference", "references", type=click.Path(path_type=Path, dir_okay=False, exists=True), multiple=True,
              help="标准目录文件（可写多次）；省略时用站点 references/ 文件夹中的和 gkml 自带的。")
@click.option("--format", "output_format", type=click.Choice(["text", "json", "csv"]), default="text", show_default=True,
              help="输出格式：text 供人阅读，json 供脚本读取（键名固定），csv 每个事项和机构一行。")
def coverage_command(source: Path, references: tuple[Path, ...], output_format: str) -> None:
    """各机构目录对照标准目录的覆盖情况：每个标准事项由哪些机构的哪些事项覆盖（及依据），哪些机构没有。

    输入有误时列出每处错误（文件、行、列、字段）并以状态 1 退出；否则退出状态为 0。"""
    with reported("对照失败"):
        loaded, errors = _references(source, references)
        site = assemble(load_content(source))
        agencies = site.loaded_agencies()
        # an item may name an item of the site's other catalogues, not only of those given
        known = loaded + site_references(source)[0] if references else loaded
        errors += unknown_numbers(known, catalogue_items(agencies))
        if errors:
            raise ContentInvalid(errors)
    coverages = [catalogue_coverage(reference, [summary.audited for summary in site.summaries]) for reference in loaded]
    if output_format == "json":
        click.echo(json.dumps(coverage_json(coverages), ensure_ascii=False, indent=1))
    elif output_format == "csv":
        # quoted and guarded as the site's CSV downloads are: no cell starts a formula
        for row in [CSV_HEADER, *coverage_rows(coverages)]:
            click.echo(",".join(csv_cell(value) for value in row))
    else:
        for line in coverage_text(coverages):
            click.echo(line)


def _references(source: Path, files: tuple[Path, ...]) -> tuple[list[Reference], list[ContentError]]:
    """The files given, or the shipped reference catalogues and the site's (beside `source`)."""
    if files:
        return load_references([(str(path), path) for path in files])
    return site_references(source)
